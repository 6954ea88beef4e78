//! Action plan pages: the plan ranked from the customer's view with the quick win on top, an
//! action with the parts of its score and the history of its status, and the forms to plan,
//! edit, move and delete actions. The ranking, the reasons and the retire warnings are the
//! app's; these pages only show them in the page's language.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use jiff::Timestamp;
use jiff::civil::Date;
use minijinja::value::Serde;
use serde::{Deserialize, Serialize};
use touchpoints_app::action_effect::{self, ActionEffect, Window};
use touchpoints_app::actions::{self, Plan, RankedAction};
use touchpoints_core::action_plan::import;
use touchpoints_core::action_plan::{
    ActionFields, ActionInput, ActionKind, ActionStatus, BUDGET_CENTS_MAX, Budget, GOAL_MAX,
    NOTE_MAX, StatusChangeInput, TEAM_MAX, TITLE_MAX, Target, TargetMetric,
};
use touchpoints_core::consistency::library::FindingStatus;
use touchpoints_core::kpi::{Estimate, Metric, Verdict};
use touchpoints_core::{FieldProblem, Problem, Problems, Role, TouchpointFilter};
use touchpoints_store::{StoredAction, StoredFinding};

use super::export::{Cell, Table, csv_file, xlsx_file};
use super::numbers::{
    day, decimals, euros, normalise_number, number, parse_decimal, short_number, signed, unit,
};
use super::{Id, Page, PageResult, form_problems, form_refusal};
use crate::AppState;
use crate::i18n::Lang;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/actions", get(list).post(create))
        .route("/actions/new", get(new_form))
        .route("/actions/export.csv", get(export_csv))
        .route("/actions/export.xlsx", get(export_xlsx))
        .route("/actions/{id}", get(show).post(update))
        .route("/actions/{id}/edit", get(edit_form))
        .route("/actions/{id}/status", post(set_status))
        .route("/actions/{id}/delete", post(delete))
        .route(
            "/actions/suggestions/{touchpoint_id}",
            post(accept_suggestion),
        )
}

/// An amount of cents as the form shows it for editing: no thousands separators, the
/// page's decimal mark, cents only when there are any.
fn cents_for_input(cents: i64, lang: Lang) -> String {
    if cents % 100 == 0 {
        (cents / 100).to_string()
    } else {
        number(cents as f64 / 100.0, 2, lang)
    }
}

/// Euros as typed into the form, in cents. Exact: the amount is read as digits, never
/// through a float, so 0,10 € is 10 cents.
fn parse_euros(text: &str, lang: Lang) -> Option<i64> {
    let text = normalise_number(text.trim().trim_matches('€'), lang)?;
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.as_str()),
    };
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty())
        || !digits(whole)
        || !digits(fraction)
        || fraction.len() > 2
    {
        return None;
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let fraction: i64 = match fraction.len() {
        0 => 0,
        1 => fraction.parse::<i64>().ok()? * 10,
        _ => fraction.parse().ok()?,
    };
    let cents = whole.checked_mul(100)?.checked_add(fraction)?;
    Some(if negative { -cents } else { cents })
}

// --- what the pages show of an action ------------------------------------------------------

/// Names of the touchpoints and display names of the accounts, to show an action's ids and
/// user names as people know them.
struct Names {
    touchpoints: HashMap<i64, String>,
    accounts: HashMap<String, String>,
}

impl Names {
    async fn load(state: &AppState) -> Result<Names, touchpoints_store::StoreError> {
        let touchpoints = super::touchpoint_names(state).await?;
        let accounts = state
            .store
            .users()
            .await?
            .into_iter()
            .map(|u| (u.username, u.display_name))
            .collect();
        Ok(Names {
            touchpoints,
            accounts,
        })
    }

    fn account(&self, username: &str) -> String {
        self.accounts
            .get(username)
            .cloned()
            .unwrap_or_else(|| username.to_owned())
    }
}

#[derive(Debug, Serialize)]
struct TouchpointLink {
    id: i64,
    name: String,
}

#[derive(Debug, Serialize)]
struct PartView {
    text: String,
    /// Whether the part adds points (else it takes them, like the effort).
    adds: bool,
}

#[derive(Debug, Serialize)]
struct BudgetView {
    quarter: String,
    planned: String,
    spent: String,
}

/// An action with everything formatted for the page: labels are looked up by the template
/// from the stable names (`kind`, `status`), numbers and dates are written here.
#[derive(Debug, Serialize)]
struct ActionView {
    id: i64,
    kind: &'static str,
    status: &'static str,
    title: String,
    goal: String,
    target: Option<TargetView>,
    touchpoints: Vec<TouchpointLink>,
    owner: Option<String>,
    team: String,
    person_days: String,
    start: Option<String>,
    due: Option<String>,
    budgets: Vec<BudgetView>,
    planned_total: String,
    spent_total: String,
    finding_ids: Vec<i64>,
}

impl ActionView {
    fn new(action: &StoredAction, names: &Names, lang: Lang) -> ActionView {
        let f = &action.fields;
        let spent: i64 = f
            .budgets
            .values()
            .map(|b| b.spent_cents)
            .fold(0, i64::saturating_add);
        ActionView {
            id: action.id,
            kind: action.fields.kind.as_str(),
            status: action.status.as_str(),
            title: f.title.clone(),
            goal: f.goal.clone(),
            target: f.target.map(|t| TargetView::new(&t, lang)),
            touchpoints: f
                .touchpoint_ids
                .iter()
                .map(|id| TouchpointLink {
                    id: *id,
                    name: names
                        .touchpoints
                        .get(id)
                        .cloned()
                        .unwrap_or_else(|| format!("#{id}")),
                })
                .collect(),
            owner: f.owner.as_deref().map(|o| names.account(o)),
            team: f.team.clone(),
            person_days: short_number(f.person_days, lang),
            start: f.start.map(|d| day(d, lang)),
            due: f.due.map(|d| day(d, lang)),
            budgets: f
                .budgets
                .iter()
                .map(|(q, b)| BudgetView {
                    quarter: q.to_string(),
                    planned: euros(b.planned_cents, lang),
                    spent: euros(b.spent_cents, lang),
                })
                .collect(),
            planned_total: euros(f.planned_cents(), lang),
            spent_total: euros(spent, lang),
            finding_ids: f.finding_ids.clone(),
        }
    }
}

/// A measurable target as the page words it (`plan-target-<metric>` in the catalogues):
/// the metric's stable name, its value in the page's notation, and the days.
#[derive(Debug, Serialize)]
pub(super) struct TargetView {
    metric: &'static str,
    value: String,
    days: i64,
}

impl TargetView {
    pub(super) fn new(target: &Target, lang: Lang) -> TargetView {
        TargetView {
            metric: target.metric.as_str(),
            value: if target.metric.is_count() {
                number(target.value, 0, lang)
            } else {
                short_number(target.value, lang)
            },
            days: target.within_days,
        }
    }
}

/// An action's place in the plan, as a row of the plan or the score on its own page.
#[derive(Debug, Serialize)]
struct RankView {
    rank: u32,
    quick_win: bool,
    points: String,
    impact: String,
    effort_days: String,
    parts: Vec<PartView>,
    warning: Option<String>,
    /// Customers for whom a retire action's touchpoints are the only ones they used.
    only_here: u64,
    action: ActionView,
}

impl RankView {
    fn new(ranked: &RankedAction, names: &Names, lang: Lang) -> RankView {
        RankView {
            rank: ranked.rank,
            quick_win: ranked.quick_win,
            points: number(ranked.points, 1, lang),
            impact: number(ranked.impact, 1, lang),
            effort_days: number(ranked.effort_days, 1, lang),
            parts: ranked
                .parts
                .iter()
                .map(|p| PartView {
                    text: p.text.clone(),
                    adds: p.points >= 0.0,
                })
                .collect(),
            warning: ranked.retire.as_ref().and_then(|r| r.warning.clone()),
            only_here: ranked.retire.as_ref().map_or(0, |r| r.only_here),
            action: ActionView::new(&ranked.action, names, lang),
        }
    }
}

async fn plan(state: &AppState, lang: Lang) -> Result<Plan, touchpoints_app::AppError> {
    actions::plan(
        state.store.as_ref(),
        &state.plan_counts,
        Timestamp::now(),
        lang.code(),
    )
    .await
}

// --- the plan --------------------------------------------------------------------------------

/// The plan's filter as the form sends it; an unknown value filters nothing.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct PlanFilter {
    status: String,
    kind: String,
}

async fn list(
    State(state): State<AppState>,
    page: Page,
    Query(filter): Query<PlanFilter>,
) -> PageResult {
    let plan = plan(&state, page.lang).await?;
    let names = Names::load(&state).await?;
    let status = ActionStatus::parse(&filter.status);
    let kind = ActionKind::parse(&filter.kind);
    let rows: Vec<RankView> = plan
        .actions
        .iter()
        .filter(|r| status.is_none_or(|s| r.action.status == s))
        .filter(|r| kind.is_none_or(|k| r.action.fields.kind == k))
        .map(|r| RankView::new(r, &names, page.lang))
        .collect();
    let quick_win = plan
        .actions
        .iter()
        .find(|r| r.quick_win)
        .map(|r| ActionView::new(&r.action, &names, page.lang));
    Ok(page.render(
        &state,
        "actions.html",
        minijinja::context! {
            section => "actions",
            rows => Serde(rows),
            total => plan.actions.len(),
            quick_win => Serde(quick_win),
            quick_win_reason => plan.quick_win.reason,
            suggestions => Serde(&plan.suggestions),
            window_days => actions::WINDOW_DAYS,
            counted_at => Serde(plan.until),
            filter => Serde(filter),
            statuses => Serde(ActionStatus::ALL.map(ActionStatus::as_str)),
            kinds => Serde(ActionKind::ALL.map(ActionKind::as_str)),
        },
    ))
}

/// Takes up the plan's suggestion for a touchpoint as an idea and opens it.
async fn accept_suggestion(
    State(state): State<AppState>,
    page: Page,
    axum::extract::Path(touchpoint_id): axum::extract::Path<i64>,
) -> PageResult {
    let action = actions::accept_suggestion(
        state.store.as_ref(),
        &state.plan_counts,
        touchpoint_id,
        Timestamp::now(),
        page.lang.code(),
        &page.caller.actor(),
    )
    .await?;
    Ok(Redirect::to(&format!("/actions/{}", action.id)).into_response())
}

// --- exports ---------------------------------------------------------------------------------

/// The plan as a table for other programs, in its order: keys and numbers as stored (money in
/// euros with a decimal point), texts as written, names of touchpoints and owners.
fn plan_table(plan: &Plan, names: &Names) -> Table {
    let rows = plan
        .actions
        .iter()
        .map(|r| {
            let a = &r.action;
            let f = &a.fields;
            let euros = |cents: i64| Cell::Number(cents as f64 / 100.0);
            let text = |t: &str| Cell::Text(t.to_owned());
            let optional_day =
                |d: Option<Date>| d.map_or(Cell::Empty, |d| Cell::Text(d.to_string()));
            let touchpoints: Vec<&str> = f
                .touchpoint_ids
                .iter()
                .map(|id| names.touchpoints.get(id).map_or("?", String::as_str))
                .collect();
            vec![
                Cell::Number(r.rank as f64),
                Cell::Number(a.id as f64),
                text(if r.quick_win { "yes" } else { "no" }),
                text(f.kind.as_str()),
                text(&f.title),
                text(a.status.as_str()),
                text(&touchpoints.join("; ")),
                f.owner
                    .as_deref()
                    .map_or(Cell::Empty, |o| text(&names.account(o))),
                text(&f.team),
                Cell::Number(f.person_days),
                euros(f.budgets.values().map(|b| b.planned_cents).sum()),
                euros(f.budgets.values().map(|b| b.spent_cents).sum()),
                optional_day(f.start),
                optional_day(f.due),
                Cell::Number((r.points * 10.0).round() / 10.0),
                text(&f.goal),
                text(&import::budgets_cell(&f.budgets)),
                f.target.map_or(Cell::Empty, |t| text(t.metric.as_str())),
                f.target.map_or(Cell::Empty, |t| Cell::Number(t.value)),
                f.target
                    .map_or(Cell::Empty, |t| Cell::Number(t.within_days as f64)),
                text(
                    &f.finding_ids
                        .iter()
                        .map(i64::to_string)
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
            ]
        })
        .collect();
    // The columns an import reads back (`core::action_plan::import`).
    Table {
        name: "actions",
        header: import::COLUMNS.to_vec(),
        rows,
    }
}

async fn export_csv(State(state): State<AppState>, page: Page) -> PageResult {
    let plan = plan(&state, page.lang).await?;
    let names = Names::load(&state).await?;
    Ok(csv_file(&plan_table(&plan, &names), "action-plan.csv"))
}

async fn export_xlsx(State(state): State<AppState>, page: Page) -> PageResult {
    let plan = plan(&state, page.lang).await?;
    let names = Names::load(&state).await?;
    Ok(xlsx_file(&[plan_table(&plan, &names)], "action-plan.xlsx"))
}

// --- one action ------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct StatusForm {
    status: String,
    note: String,
    /// The checkbox to retire although customers have no other touchpoint: sent when ticked.
    confirm_retirement: String,
}

/// The before and after of an action, as its page shows it; or why it cannot be measured.
#[derive(Debug, Default, Serialize)]
pub(super) struct EffectView {
    /// A message key saying why there is nothing to compare, if so.
    unmeasurable: Option<&'static str>,
    before: String,
    after: String,
    running: bool,
    metrics: Vec<EffectRow>,
    response_times: Vec<ResponseRow>,
}

#[derive(Debug, Serialize)]
struct EffectRow {
    metric: &'static str,
    before: String,
    after: String,
    difference: String,
    interval: String,
    p_value: String,
    verdict: &'static str,
}

#[derive(Debug, Serialize)]
struct ResponseRow {
    /// A message key: the median, the 90th percentile, the share of targets met.
    figure: &'static str,
    before: String,
    after: String,
}

impl EffectView {
    pub(super) fn new(effect: &ActionEffect, lang: Lang) -> EffectView {
        let window = |w: &Window| {
            let last = w.until.yesterday().unwrap_or(w.until);
            format!("{} – {}", day(w.from, lang), day(last, lang))
        };
        let estimate = |metric: Metric, e: Option<&Estimate>| match e {
            Some(e) => format!(
                "{}{} (n = {})",
                number(e.value, decimals(metric), lang),
                unit(metric),
                e.n
            ),
            None => "–".into(),
        };
        let metrics = effect
            .metrics
            .iter()
            .map(|m| {
                let places = decimals(m.metric);
                let (difference, interval, p_value) = match &m.difference {
                    Some(d) => (
                        format!("{}{}", signed(d.value, places, lang), unit(m.metric)),
                        format!(
                            "{} … {}",
                            signed(d.low, places, lang),
                            signed(d.high, places, lang)
                        ),
                        if d.p_value < 0.001 {
                            format!("< {}", number(0.001, 3, lang))
                        } else {
                            number(d.p_value, 3, lang)
                        },
                    ),
                    None => ("–".into(), "–".into(), "–".into()),
                };
                EffectRow {
                    metric: m.metric.as_str(),
                    before: estimate(m.metric, m.before.as_ref()),
                    after: estimate(m.metric, m.after.as_ref()),
                    difference,
                    interval,
                    p_value,
                    verdict: match m.verdict {
                        Verdict::Better => "better",
                        Verdict::Worse => "worse",
                        Verdict::NoDetectableChange => "no-change",
                        Verdict::TooFewAnswers => "too-few",
                    },
                }
            })
            .collect();
        let (b, a) = (&effect.response_times.before, &effect.response_times.after);
        let minutes = |m: Option<f64>| {
            m.map_or("–".into(), |m| {
                super::numbers::minutes(m.round() as i64, lang)
            })
        };
        let share = |s: Option<f64>| {
            s.map_or("–".into(), |s| {
                format!("{} %", number(100.0 * s, 1, lang))
            })
        };
        EffectView {
            unmeasurable: None,
            before: window(&effect.before),
            after: window(&effect.after),
            running: effect.running,
            metrics,
            response_times: vec![
                ResponseRow {
                    figure: "plan-effect-median",
                    before: minutes(b.median_minutes),
                    after: minutes(a.median_minutes),
                },
                ResponseRow {
                    figure: "plan-effect-p90",
                    before: minutes(b.p90_minutes),
                    after: minutes(a.p90_minutes),
                },
                ResponseRow {
                    figure: "plan-effect-compliance",
                    before: share(b.first_response_compliance),
                    after: share(a.first_response_compliance),
                },
            ],
        }
    }

    /// Why an action cannot be measured, from the refusal's field.
    pub(super) fn unmeasurable(problems: &Problems, action: &StoredAction) -> Option<EffectView> {
        let field = problems.0.first()?.field.as_str();
        let key = match field {
            "touchpoint_ids" => "plan-effect-no-touchpoint",
            "start" if action.fields.start.is_some() => "plan-effect-not-started",
            "start" => "plan-effect-no-start",
            _ => return None,
        };
        Some(EffectView {
            unmeasurable: Some(key),
            ..EffectView::default()
        })
    }
}

#[derive(Debug, Serialize)]
struct HistoryView {
    at: Timestamp,
    actor: String,
    from: Option<&'static str>,
    to: &'static str,
    note: String,
}

/// The action's page, with the status form as entered and its problems, if any.
async fn detail_page(
    state: &AppState,
    page: &Page,
    id: i64,
    form: &StatusForm,
    problems: &[FieldProblem],
    status: StatusCode,
) -> PageResult {
    let action = state.store.action(id).await?;
    let plan = plan(state, page.lang).await?;
    let names = Names::load(state).await?;
    let ranked = plan
        .actions
        .iter()
        .find(|r| r.action.id == id)
        .map(|r| RankView::new(r, &names, page.lang));
    let history: Vec<HistoryView> = actions::history(state.store.as_ref(), id)
        .await?
        .into_iter()
        .map(|e| HistoryView {
            at: e.at,
            actor: names.account(&e.actor),
            from: e.from.map(ActionStatus::as_str),
            to: e.to.as_str(),
            note: e.note,
        })
        .collect();
    let effect = match action_effect::action_effect(
        state.store.as_ref(),
        id,
        None,
        Timestamp::now(),
    )
    .await
    {
        Ok(effect) => EffectView::new(&effect, page.lang),
        Err(touchpoints_app::AppError::Invalid(problems)) => {
            EffectView::unmeasurable(&problems, &action)
                .ok_or(touchpoints_app::AppError::Invalid(problems))?
        }
        Err(other) => return Err(other.into()),
    };
    // Only the moves the status rules allow are offered; the store refuses the others.
    let next: Vec<&str> = ActionStatus::ALL
        .into_iter()
        .filter(|s| *s != action.status && action.status.may_become(*s))
        .map(ActionStatus::as_str)
        .collect();
    Ok(page.render_with_status(
        state,
        status,
        "action.html",
        minijinja::context! {
            section => "actions",
            action => Serde(ActionView::new(&action, &names, page.lang)),
            ranked => Serde(ranked),
            history => Serde(history),
            effect => Serde(effect),
            next_statuses => Serde(next),
            status_form => Serde(form),
            errors => Serde(page.field_errors(state, problems)),
            note_max => NOTE_MAX,
            created_at => Serde(action.created_at),
            updated_at => Serde(action.updated_at),
        },
    ))
}

async fn show(State(state): State<AppState>, page: Page, Id(id): Id) -> PageResult {
    detail_page(
        &state,
        &page,
        id,
        &StatusForm::default(),
        &[],
        StatusCode::OK,
    )
    .await
}

async fn set_status(
    State(state): State<AppState>,
    page: Page,
    Id(id): Id,
    axum::Form(form): axum::Form<StatusForm>,
) -> PageResult {
    let Some(status) = ActionStatus::parse(form.status.trim()) else {
        let problem = match form.status.trim() {
            "" => Problem::Required,
            other => unknown(other, ActionStatus::ALL.map(ActionStatus::as_str)),
        };
        let problems = Problems::single("status", problem);
        return detail_page(
            &state,
            &page,
            id,
            &form,
            &problems.0,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let input = StatusChangeInput {
        status,
        note: form.note.clone(),
        confirm_retirement: !form.confirm_retirement.is_empty(),
    };
    match actions::set_status(
        state.store.as_ref(),
        id,
        &input,
        Timestamp::now(),
        &page.caller.actor(),
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/actions/{id}")).into_response()),
        Err(e) => {
            let (code, problems) = form_refusal(e)?;
            let problems = localise(problems);
            detail_page(&state, &page, id, &form, &problems.0, code).await
        }
    }
}

async fn delete(State(state): State<AppState>, page: Page, Id(id): Id) -> PageResult {
    state.store.delete_action(id, &page.caller.actor()).await?;
    Ok(Redirect::to("/actions").into_response())
}

// --- the form --------------------------------------------------------------------------------

/// One quarter's budget as the form sends it, in euros.
#[derive(Debug, Default, Clone, Serialize)]
struct BudgetRow {
    quarter: String,
    planned: String,
    spent: String,
}

/// The action form as the browser sends it. Everything is text, so that any input, even a
/// tampered one, reaches validation and comes back with a message instead of a bare 422.
/// Read from the body by hand, because the touchpoints and findings are lists (a select with
/// `multiple` repeats its name) and the budget is a table of rows.
#[derive(Debug, Default, Serialize)]
struct ActionForm {
    kind: String,
    title: String,
    goal: String,
    target_metric: String,
    target_value: String,
    target_within_days: String,
    touchpoint_ids: Vec<String>,
    finding_ids: Vec<String>,
    owner: String,
    team: String,
    person_days: String,
    start: String,
    due: String,
    /// Only on creation: the status an action begins in.
    status: String,
    budgets: Vec<BudgetRow>,
}

/// Blank rows the form offers for more quarters, since a page without JavaScript cannot
/// add rows.
const BLANK_BUDGET_ROWS: usize = 2;

impl ActionForm {
    fn blank() -> ActionForm {
        ActionForm {
            kind: ActionKind::Optimise.as_str().to_owned(),
            status: ActionStatus::Planned.as_str().to_owned(),
            ..ActionForm::default()
        }
    }

    fn from_fields(f: &ActionFields, lang: Lang) -> ActionForm {
        ActionForm {
            kind: f.kind.as_str().to_owned(),
            title: f.title.clone(),
            goal: f.goal.clone(),
            target_metric: f
                .target
                .map(|t| t.metric.as_str().to_owned())
                .unwrap_or_default(),
            target_value: f
                .target
                .map(|t| short_number(t.value, lang))
                .unwrap_or_default(),
            target_within_days: f
                .target
                .map(|t| t.within_days.to_string())
                .unwrap_or_default(),
            touchpoint_ids: f.touchpoint_ids.iter().map(i64::to_string).collect(),
            finding_ids: f.finding_ids.iter().map(i64::to_string).collect(),
            owner: f.owner.clone().unwrap_or_default(),
            team: f.team.clone(),
            person_days: short_number(f.person_days, lang),
            start: f.start.map(|d| d.to_string()).unwrap_or_default(),
            due: f.due.map(|d| d.to_string()).unwrap_or_default(),
            status: String::new(),
            budgets: f
                .budgets
                .iter()
                .map(|(q, b)| BudgetRow {
                    quarter: q.to_string(),
                    planned: cents_for_input(b.planned_cents, lang),
                    spent: cents_for_input(b.spent_cents, lang),
                })
                .collect(),
        }
    }

    /// Reads a URL-encoded form body; fields it does not know (the CSRF token) are skipped.
    fn read(body: &[u8]) -> ActionForm {
        let mut form = ActionForm::default();
        let (mut quarters, mut planned, mut spent) = (Vec::new(), Vec::new(), Vec::new());
        for (key, value) in form_urlencoded::parse(body) {
            let value = value.into_owned();
            match key.as_ref() {
                "kind" => form.kind = value,
                "title" => form.title = value,
                "goal" => form.goal = value,
                "target_metric" => form.target_metric = value,
                "target_value" => form.target_value = value,
                "target_within_days" => form.target_within_days = value,
                "touchpoint_ids" => form.touchpoint_ids.push(value),
                "finding_ids" => form.finding_ids.push(value),
                "owner" => form.owner = value,
                "team" => form.team = value,
                "person_days" => form.person_days = value,
                "start" => form.start = value,
                "due" => form.due = value,
                "status" => form.status = value,
                "budget_quarter" => quarters.push(value),
                "budget_planned" => planned.push(value),
                "budget_spent" => spent.push(value),
                _ => {}
            }
        }
        let rows = quarters.len().max(planned.len()).max(spent.len());
        let at = |list: &[String], i: usize| list.get(i).cloned().unwrap_or_default();
        form.budgets = (0..rows)
            .map(|i| BudgetRow {
                quarter: at(&quarters, i),
                planned: at(&planned, i),
                spent: at(&spent, i),
            })
            .filter(|r| {
                !(r.quarter.trim().is_empty()
                    && r.planned.trim().is_empty()
                    && r.spent.trim().is_empty())
            })
            .collect();
        form
    }

    /// The budget rows the form shows: those entered and some blank ones for more quarters.
    fn rows_to_show(&self) -> Vec<BudgetRow> {
        let mut rows = self.budgets.clone();
        rows.extend(std::iter::repeat_n(BudgetRow::default(), BLANK_BUDGET_ROWS));
        rows
    }

    /// The action input of the form, with every problem at once: those of reading the text
    /// here, and the core's validation of the rest.
    fn input(&self, lang: Lang, creating: bool) -> Result<ActionInput, Problems> {
        let mut p = Problems::default();
        let kind = match self.kind.trim() {
            "" => {
                p.push("kind", Problem::Required);
                ActionKind::Optimise
            }
            k => ActionKind::parse(k).unwrap_or_else(|| {
                p.push("kind", unknown(k, ActionKind::ALL.map(ActionKind::as_str)));
                ActionKind::Optimise
            }),
        };
        let status = match self.status.trim() {
            "" => None,
            s if creating => ActionStatus::parse(s).or_else(|| {
                p.push(
                    "status",
                    unknown(s, ActionStatus::ALL.map(ActionStatus::as_str)),
                );
                None
            }),
            // The edit form moves no status: that is the status form's, with its note.
            _ => None,
        };
        let target = match self.target_metric.trim() {
            "" => {
                if !self.target_value.trim().is_empty() {
                    p.push("target_metric", Problem::Required);
                }
                None
            }
            m => {
                let metric = TargetMetric::parse(m);
                if metric.is_none() {
                    p.push(
                        "target_metric",
                        unknown(m, TargetMetric::ALL.map(TargetMetric::as_str)),
                    );
                }
                let value = match self.target_value.trim() {
                    "" => {
                        p.push("target_value", Problem::Required);
                        None
                    }
                    v => parse_decimal(v, lang).or_else(|| {
                        p.push("target_value", not_a_number());
                        None
                    }),
                };
                let within_days = match self.target_within_days.trim() {
                    "" => {
                        p.push("target_within_days", Problem::Required);
                        None
                    }
                    d => d.parse::<i64>().ok().or_else(|| {
                        p.push("target_within_days", not_a_number());
                        None
                    }),
                };
                match (metric, value, within_days) {
                    (Some(metric), Some(value), Some(within_days)) => Some(Target {
                        metric,
                        value,
                        within_days,
                    }),
                    _ => None,
                }
            }
        };
        let person_days = match self.person_days.trim() {
            "" => 0.0,
            d => parse_decimal(d, lang).unwrap_or_else(|| {
                p.push("person_days", not_a_number());
                0.0
            }),
        };
        let mut date = |field: &str, text: &str| -> Option<Date> {
            match text.trim() {
                "" => None,
                t => t.parse::<Date>().ok().or_else(|| {
                    p.push(
                        field,
                        Problem::rule("not-a-date", "a date written as YYYY-MM-DD"),
                    );
                    None
                }),
            }
        };
        let start = date("start", &self.start);
        let due = date("due", &self.due);
        let ids = |p: &mut Problems, field: &str, list: &[String]| -> Vec<i64> {
            list.iter()
                .filter(|t| !t.trim().is_empty())
                .filter_map(|t| {
                    t.trim().parse::<i64>().ok().or_else(|| {
                        p.push(field, not_a_number());
                        None
                    })
                })
                .collect()
        };
        let touchpoint_ids = ids(&mut p, "touchpoint_ids", &self.touchpoint_ids);
        let finding_ids = ids(&mut p, "finding_ids", &self.finding_ids);
        let budgets = self.budgets(&mut p, lang);
        let input = ActionInput {
            kind,
            title: self.title.clone(),
            goal: self.goal.clone(),
            target,
            owner: Some(self.owner.clone()).filter(|o| !o.trim().is_empty()),
            team: self.team.clone(),
            person_days,
            start,
            due,
            status,
            touchpoint_ids,
            finding_ids,
            budgets,
        };
        // The core's problems of the rest, so that the form shows all of them at once.
        if let Err(more) = input.validate() {
            p.0.extend(localise(more).0);
        }
        p.into_result(input)
    }

    /// The budget rows by quarter, each problem named by its row (`budget_planned_1`).
    fn budgets(&self, p: &mut Problems, lang: Lang) -> BTreeMap<String, Budget> {
        let mut budgets = BTreeMap::new();
        let mut seen = BTreeSet::new();
        for (i, row) in self.budgets.iter().enumerate() {
            let problems_before = p.0.len();
            let quarter = row.quarter.trim().to_uppercase();
            let quarter_field = format!("budget_quarter_{i}");
            if quarter.is_empty() {
                p.push(&quarter_field, Problem::Required);
            } else if quarter
                .parse::<touchpoints_core::action_plan::Quarter>()
                .is_err()
            {
                p.push(
                    &quarter_field,
                    Problem::rule("not-a-quarter", "a quarter written as YYYY-Qn"),
                );
            } else if !seen.insert(quarter.clone()) {
                p.push(
                    &quarter_field,
                    Problem::Duplicate {
                        value: quarter.clone(),
                    },
                );
            }
            let mut amount = |field: String, text: &str| -> i64 {
                if text.trim().is_empty() {
                    return 0;
                }
                match parse_euros(text, lang) {
                    Some(cents) if (0..=BUDGET_CENTS_MAX).contains(&cents) => cents,
                    Some(_) => {
                        p.push(
                            field,
                            Problem::rule("budget-range", "an amount from 0 to 10,000,000,000 EUR"),
                        );
                        0
                    }
                    None => {
                        p.push(field, not_a_number());
                        0
                    }
                }
            };
            let planned_cents = amount(format!("budget_planned_{i}"), &row.planned);
            let spent_cents = amount(format!("budget_spent_{i}"), &row.spent);
            // A row with a problem is reported here by its row, not again by the core.
            if p.0.len() > problems_before {
                continue;
            }
            budgets.insert(
                quarter,
                Budget {
                    planned_cents,
                    spent_cents,
                },
            );
        }
        budgets
    }
}

fn unknown<const N: usize>(value: &str, allowed: [&str; N]) -> Problem {
    Problem::Unknown {
        value: value.to_owned(),
        allowed: allowed.iter().map(|s| (*s).to_owned()).collect(),
    }
}

fn not_a_number() -> Problem {
    Problem::rule("not-a-number", "a number")
}

/// Gives the problems the core and the store describe only in English words a rule code of
/// their own, so that the page says them in its language; the field stays as named.
fn localise(problems: Problems) -> Problems {
    let rule = |code: &str, reason: String| Problem::Rule {
        rule: code.to_owned(),
        reason,
    };
    Problems(
        problems
            .0
            .into_iter()
            .map(|mut fp| {
                if let Problem::Invalid { reason } = &fp.problem {
                    let field = fp.field.split('[').next().unwrap_or(&fp.field);
                    let code = match field {
                        "touchpoint_ids" => Some("unknown-touchpoint"),
                        "finding_ids" => Some("unknown-finding"),
                        "owner" => Some("not-an-owner"),
                        _ => None,
                    };
                    if let Some(code) = code {
                        fp.problem = rule(code, reason.clone());
                    }
                }
                fp
            })
            .collect(),
    )
}

/// The choices of the form: touchpoints, staff who may own an action, open findings.
#[derive(Debug, Serialize)]
struct Choice {
    value: String,
    text: String,
}

async fn choices(
    state: &AppState,
    form: &ActionForm,
) -> Result<(Vec<Choice>, Vec<Choice>, Vec<Choice>), touchpoints_store::StoreError> {
    let touchpoints = state
        .store
        .list_touchpoints(&TouchpointFilter::default())
        .await?
        .into_iter()
        .map(|t| Choice {
            value: t.id.to_string(),
            text: t.fields.name,
        })
        .collect();
    // Agents, managers and admins own actions (the store refuses viewers and disabled
    // accounts); the owner already chosen stays listed so that an edit does not lose them.
    let owners = state
        .store
        .users()
        .await?
        .into_iter()
        .filter(|u| (!u.disabled && u.role >= Role::Agent) || u.username == form.owner)
        .map(|u| Choice {
            text: format!("{} ({})", u.display_name, u.username),
            value: u.username,
        })
        .collect();
    let findings = state
        .store
        .findings()
        .await?
        .into_iter()
        .filter(|f| {
            (f.current && f.status == FindingStatus::Open)
                || form.finding_ids.contains(&f.id.to_string())
        })
        .map(|f| Choice {
            value: f.id.to_string(),
            text: finding_places(&f),
        })
        .collect();
    Ok((touchpoints, owners, findings))
}

/// Where a finding was found, to tell the findings apart in the form.
fn finding_places(finding: &StoredFinding) -> String {
    let places: Vec<&str> = finding
        .finding
        .places
        .iter()
        .map(|p| p.title.as_str())
        .collect();
    places.join(", ")
}

/// Renders the create or edit form, with the values and problems given.
async fn form_page(
    state: &AppState,
    page: &Page,
    form: &ActionForm,
    id: Option<i64>,
    problems: &[FieldProblem],
) -> PageResult {
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let (touchpoints, owners, findings) = choices(state, form).await?;
    Ok(page.render_with_status(
        state,
        status,
        "action_form.html",
        minijinja::context! {
            section => "actions",
            form => Serde(form),
            budget_rows => Serde(form.rows_to_show()),
            id => Serde(id),
            errors => Serde(page.field_errors(state, problems)),
            touchpoints => Serde(touchpoints),
            owners => Serde(owners),
            findings => Serde(findings),
            kinds => Serde(ActionKind::ALL.map(ActionKind::as_str)),
            statuses => Serde(ActionStatus::ALL.map(ActionStatus::as_str)),
            metrics => Serde(TargetMetric::ALL.map(TargetMetric::as_str)),
            title_max => TITLE_MAX,
            goal_max => GOAL_MAX,
            team_max => TEAM_MAX,
        },
    ))
}

async fn new_form(State(state): State<AppState>, page: Page) -> PageResult {
    form_page(&state, &page, &ActionForm::blank(), None, &[]).await
}

async fn edit_form(State(state): State<AppState>, page: Page, Id(id): Id) -> PageResult {
    let action = state.store.action(id).await?;
    let form = ActionForm::from_fields(&action.fields, page.lang);
    form_page(&state, &page, &form, Some(id), &[]).await
}

/// Creates (no id) or replaces an action from the form; on problems, shows the form again
/// with the entered values and each problem next to its field, and stores nothing.
async fn save(state: AppState, page: Page, id: Option<i64>, body: &[u8]) -> PageResult {
    let form = ActionForm::read(body);
    let input = match form.input(page.lang, id.is_none()) {
        Ok(input) => input,
        Err(problems) => return form_page(&state, &page, &form, id, &problems.0).await,
    };
    let actor = page.caller.actor();
    let written = match id {
        None => actions::create(state.store.as_ref(), &input, Timestamp::now(), &actor).await,
        Some(id) => {
            actions::replace(state.store.as_ref(), id, &input, Timestamp::now(), &actor).await
        }
    };
    match written {
        Ok(action) => Ok(Redirect::to(&format!("/actions/{}", action.id)).into_response()),
        Err(e) => {
            let problems = localise(form_problems(e)?);
            form_page(&state, &page, &form, id, &problems.0).await
        }
    }
}

async fn create(State(state): State<AppState>, page: Page, body: Bytes) -> PageResult {
    save(state, page, None, &body).await
}

async fn update(State(state): State<AppState>, page: Page, Id(id): Id, body: Bytes) -> PageResult {
    save(state, page, Some(id), &body).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn euros_are_read_exactly_in_the_page_language() {
        assert_eq!(parse_euros("1.234,56", Lang::De), Some(123_456));
        assert_eq!(parse_euros("1234,5 €", Lang::De), Some(123_450));
        assert_eq!(parse_euros("0,10", Lang::De), Some(10));
        assert_eq!(parse_euros("1,234.56", Lang::En), Some(123_456));
        assert_eq!(parse_euros("€ 5000", Lang::En), Some(500_000));
        assert_eq!(parse_euros("-3", Lang::En), Some(-300));
        assert_eq!(
            parse_euros("12.50", Lang::De),
            Some(1_250),
            "either decimal mark"
        );
        assert_eq!(
            parse_euros("1.000", Lang::De),
            Some(100_000),
            "German thousands"
        );
        assert_eq!(
            parse_euros("1,000", Lang::En),
            Some(100_000),
            "English thousands"
        );
        assert_eq!(parse_euros("1.000.000", Lang::En), Some(100_000_000));
        assert_eq!(parse_euros("1,234", Lang::De), None, "three decimals");
        assert_eq!(parse_euros("zehn", Lang::De), None);
        assert_eq!(parse_euros("", Lang::De), None);
    }

    #[test]
    fn decimals_are_read_in_the_page_language() {
        assert_eq!(parse_decimal("12,5", Lang::De), Some(12.5));
        assert_eq!(parse_decimal("12.5", Lang::En), Some(12.5));
        assert_eq!(parse_decimal("1.000,5", Lang::De), Some(1000.5));
        assert_eq!(
            parse_decimal("12.5", Lang::De),
            Some(12.5),
            "a dot on a German page"
        );
        assert_eq!(
            parse_decimal("1,5", Lang::En),
            Some(1.5),
            "a comma on an English page"
        );
        assert_eq!(parse_decimal("NaN", Lang::En), None);
        assert_eq!(
            parse_decimal("1.5.3", Lang::De),
            None,
            "thousands come in threes"
        );
        assert_eq!(parse_euros("1.000.00", Lang::De), None);
        assert_eq!(parse_decimal("viel", Lang::De), None);
    }

    #[test]
    fn a_form_reads_lists_and_budget_rows_in_order() {
        let body = b"_csrf=x&kind=retire&title=Fax&touchpoint_ids=3&touchpoint_ids=7\
            &budget_quarter=2027-Q1&budget_planned=1000&budget_spent=\
            &budget_quarter=&budget_planned=&budget_spent=\
            &budget_quarter=2027-q2&budget_planned=&budget_spent=5,50";
        let form = ActionForm::read(body);
        assert_eq!(form.kind, "retire");
        assert_eq!(form.touchpoint_ids, ["3", "7"]);
        assert_eq!(form.budgets.len(), 2, "the blank row is left out");
        let input = form.input(Lang::De, true).expect("valid");
        assert_eq!(input.touchpoint_ids, [3, 7]);
        assert_eq!(input.budgets["2027-Q1"].planned_cents, 100_000);
        assert_eq!(input.budgets["2027-Q2"].spent_cents, 550);
    }

    #[test]
    fn every_problem_of_the_form_is_named_by_its_field() {
        let body = "kind=optimise&title=&person_days=viel&start=2027-03-01&due=2027-02-01\
            &target_metric=nps&target_value=&target_within_days=x\
            &budget_quarter=2027-Q5&budget_planned=-1&budget_spent=1";
        let problems = ActionForm::read(body.as_bytes())
            .input(Lang::De, true)
            .expect_err("invalid");
        let fields: Vec<&str> = problems.0.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "target_value",
                "target_within_days",
                "person_days",
                "budget_quarter_0",
                "budget_planned_0",
                "title",
                "due",
                "touchpoint_ids",
            ]
        );
        let due = problems.0.iter().find(|p| p.field == "due").expect("due");
        assert!(matches!(&due.problem, Problem::Rule { rule, .. } if rule == "due-before-start"));
    }
}
