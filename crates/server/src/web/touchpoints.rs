//! Inventory pages: the list with filters and search, the touchpoint with its history, and
//! the forms to create and edit one.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use touchpoints_core::consistency::library::FindingStatus;
use touchpoints_core::touchpoint::ImportanceInput;
use touchpoints_core::transfer;
use touchpoints_core::{
    Catalog, Kind, Problem, Problems, Status, TouchpointFilter, TouchpointInput,
};

use super::{Id, Page, PageResult, form_problems, split_labels};
use minijinja::value::Serde;

use crate::AppState;
use touchpoints_core::Role;
use touchpoints_store::QueueFilter;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/touchpoints", get(list).post(create))
        .route("/touchpoints/new", get(new_form))
        .route("/touchpoints/export.csv", get(export_csv))
        .route("/touchpoints/export.json", get(export_json))
        .route("/touchpoints/{id}", get(show).post(update))
        .route("/touchpoints/{id}/edit", get(edit_form))
        .route("/touchpoints/{id}/retire", post(retire))
        .route("/touchpoints/{id}/delete", post(delete))
}

/// The filter as an HTML form sends it: every field, empty when unused.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct FilterForm {
    channel: String,
    phase: String,
    status: String,
    kind: String,
    owner: String,
    group: String,
    region: String,
    q: String,
    /// name, importance, nps, csat or ces; the inventory's own order when empty.
    sort: String,
}

/// The orders the inventory can be sorted in, besides its own.
const SORTS: [&str; 5] = ["name", "importance", "nps", "csat", "ces"];

impl FilterForm {
    fn filter(&self) -> TouchpointFilter {
        TouchpointFilter {
            channel: Some(self.channel.clone()),
            phase: Some(self.phase.clone()),
            status: Status::parse(&self.status),
            kind: Kind::parse(&self.kind),
            owner: Some(self.owner.clone()),
            group: Some(self.group.clone()),
            region: Some(self.region.clone()),
            q: Some(self.q.clone()),
        }
        .normalized()
    }
}

/// Distinct values of owners, target groups and regions, sorted, for the filter choices.
pub(super) fn choices(touchpoints: &[touchpoints_core::Touchpoint]) -> minijinja::Value {
    let mut owners = std::collections::BTreeSet::new();
    let mut groups = std::collections::BTreeSet::new();
    let mut regions = std::collections::BTreeSet::new();
    for t in touchpoints {
        if !t.fields.owner.is_empty() {
            owners.insert(t.fields.owner.clone());
        }
        groups.extend(t.fields.target_groups.iter().cloned());
        regions.extend(t.fields.regions.iter().cloned());
    }
    minijinja::context! { owners => owners, groups => groups, regions => regions }
}

async fn list(
    State(state): State<AppState>,
    page: Page,
    Query(form): Query<FilterForm>,
) -> PageResult {
    let catalog = state.store.catalog().await?;
    let all = state
        .store
        .list_touchpoints(&TouchpointFilter::default())
        .await?;
    let filter = form.filter();
    let mut shown: Vec<_> = all
        .iter()
        .filter(|t| filter.matches(&t.fields))
        .cloned()
        .collect();
    let (period, mut scores) = super::dashboard::inventory_scores(&state, page.lang).await?;
    let score = |t: &touchpoints_core::Touchpoint, metric: &str| {
        scores
            .get(&t.id)
            .and_then(|s| s.get(metric))
            .map(|s| s.value)
    };
    match form.sort.as_str() {
        "name" => shown.sort_by_cached_key(|t| t.fields.name.to_lowercase()),
        "importance" => shown.sort_by(|a, b| {
            b.fields
                .importance
                .overall()
                .total_cmp(&a.fields.importance.overall())
        }),
        metric @ ("nps" | "csat" | "ces") => {
            // Best first (a higher CES is less effort); without answers, last.
            shown.sort_by(|a, b| match (score(a, metric), score(b, metric)) {
                (Some(x), Some(y)) => y.total_cmp(&x),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
        }
        _ => {}
    }
    let row_scores: Vec<_> = shown
        .iter()
        .map(|t| scores.remove(&t.id).unwrap_or_default())
        .collect();
    Ok(page.render(
        &state,
        "touchpoints.html",
        minijinja::context! {
            section => "inventory",
            catalog => Serde(catalog),
            touchpoints => Serde(shown),
            scores => Serde(row_scores),
            scores_period => period,
            sorts => SORTS,
            total => all.len(),
            choices => Serde(choices(&all)),
            filter => Serde(form),
            statuses => Serde(Status::ALL.map(Status::as_str)),
            kinds => Serde(Kind::ALL.map(Kind::as_str)),
        },
    ))
}

async fn export(state: &AppState, form: &FilterForm, format: transfer::Format) -> PageResult {
    let list = state.store.list_touchpoints(&form.filter()).await?;
    let fields: Vec<_> = list.into_iter().map(|t| t.fields).collect();
    let (body, content_type) = match format {
        transfer::Format::Csv => (transfer::write_csv(&fields), "text/csv; charset=utf-8"),
        transfer::Format::Json => (transfer::write_json(&fields), "application/json"),
    };
    let disposition = format!("attachment; filename=\"touchpoints.{}\"", format.as_str());
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

async fn export_csv(State(state): State<AppState>, Query(form): Query<FilterForm>) -> PageResult {
    export(&state, &form, transfer::Format::Csv).await
}

async fn export_json(State(state): State<AppState>, Query(form): Query<FilterForm>) -> PageResult {
    export(&state, &form, transfer::Format::Json).await
}

/// The touchpoint's page lists its first open requests in queue order, and links the queue
/// for the rest.
const OPEN_REQUESTS_SHOWN: u32 = 10;

/// The days a touchpoint's page looks back for response times and standards.
const PANEL_DAYS: i64 = 30;

async fn show(State(state): State<AppState>, page: Page, Id(id): Id) -> PageResult {
    let touchpoint = state.store.touchpoint(id).await?;
    let history = state.store.history(id).await?;
    let catalog = state.store.catalog().await?;
    // The documented weaknesses of the touchpoint: current, open findings in the texts
    // that belong to it, and broken standards in its interactions.
    let interactions_of = format!("touchpoints/{id}#");
    let sources: Vec<String> = state
        .store
        .contents()
        .await?
        .iter()
        .filter(|c| c.fields.touchpoint_id == Some(id))
        .map(|c| format!("content/{}", c.id))
        .collect();
    let weaknesses: Vec<_> = state
        .store
        .findings()
        .await?
        .into_iter()
        .filter(|f| f.current && f.status == FindingStatus::Open)
        .filter(|f| {
            f.finding
                .places
                .iter()
                .any(|p| sources.contains(&p.source) || p.source.starts_with(&interactions_of))
        })
        .collect();
    let scores = super::dashboard::touchpoint_scores(&state, id, page.lang).await?;
    // Requests hold customers' words: only those who work the queue see them.
    let open_requests = if page.caller.role().is_some_and(|r| r >= Role::Agent) {
        state
            .store
            .queue(&QueueFilter {
                touchpoint_id: Some(id),
                limit: OPEN_REQUESTS_SHOWN + 1,
                ..QueueFilter::default()
            })
            .await?
    } else {
        Vec::new()
    };
    let surveys: Vec<_> = state
        .store
        .surveys()
        .await?
        .into_iter()
        .filter(|s| s.fields.touchpoint_id == id)
        .collect();
    // Response times are the managers' statistics, as on their own page.
    let response_times = if page.caller.role().is_some_and(|r| r >= Role::Manager) {
        Some(super::queue::response_times_at(&state, id, PANEL_DAYS, page.lang).await?)
    } else {
        None
    };
    let standards = super::standards::kept_at_touchpoint(&state, id, PANEL_DAYS).await?;
    // The plan's actions on the touchpoint: those still to do first, then by due date.
    let mut actions: Vec<_> = state
        .store
        .actions()
        .await?
        .into_iter()
        .filter(|a| a.fields.touchpoint_ids.contains(&id))
        .collect();
    actions.sort_by_key(|a| {
        (
            !a.status.is_open(),
            a.fields.due.is_none(),
            a.fields.due,
            a.id,
        )
    });
    Ok(page.render(
        &state,
        "touchpoint.html",
        minijinja::context! {
            section => "inventory",
            scores => Serde(scores),
            open_requests => Serde(open_requests.iter().take(OPEN_REQUESTS_SHOWN as usize).collect::<Vec<_>>()),
            more_requests => open_requests.len() > OPEN_REQUESTS_SHOWN as usize,
            surveys => Serde(surveys),
            panel_days => PANEL_DAYS,
            response_times => response_times,
            standards => standards,
            actions => Serde(actions),
            weaknesses => Serde(weaknesses),
            channel => Serde(catalog.channel(&touchpoint.fields.channel)),
            phase => Serde(catalog.phase(&touchpoint.fields.phase)),
            importance_overall => super::numbers::number(touchpoint.fields.importance.overall(), 1, page.lang),
            touchpoint => Serde(touchpoint),
            history => Serde(history),
            phase_labels => catalog
                .phases
                .iter()
                .map(|p| (p.key.clone(), match page.lang {
                    crate::i18n::Lang::De => p.label_de.clone(),
                    crate::i18n::Lang::En => p.label_en.clone(),
                }))
                .collect::<std::collections::BTreeMap<String, String>>(),
        },
    ))
}

/// The touchpoint form as the browser sends it. Everything is text, so that any input, even
/// a tampered one, reaches validation and comes back with a message instead of a bare 422.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct TouchpointForm {
    name: String,
    description: String,
    channel: String,
    kind: String,
    phase: String,
    owner: String,
    target_groups: String,
    regions: String,
    status: String,
    importance_experience: String,
    importance_loyalty: String,
    importance_referral: String,
    brand_fit: String,
    notes: String,
}

impl TouchpointForm {
    fn from_fields(f: &touchpoints_core::TouchpointFields) -> Self {
        TouchpointForm {
            name: f.name.clone(),
            description: f.description.clone(),
            channel: f.channel.clone(),
            kind: f.kind.as_str().to_owned(),
            phase: f.phase.clone(),
            owner: f.owner.clone(),
            target_groups: f.target_groups.join(", "),
            regions: f.regions.join(", "),
            status: f.status.as_str().to_owned(),
            importance_experience: f.importance.experience.to_string(),
            importance_loyalty: f.importance.loyalty.to_string(),
            importance_referral: f.importance.referral.to_string(),
            brand_fit: f.brand_fit.to_string(),
            notes: f.notes.clone(),
        }
    }

    fn blank() -> Self {
        let three = || "3".to_owned();
        TouchpointForm {
            status: Status::Active.as_str().to_owned(),
            importance_experience: three(),
            importance_loyalty: three(),
            importance_referral: three(),
            brand_fit: three(),
            ..TouchpointForm::default()
        }
    }

    /// Validates the form into touchpoint content, with every problem at once.
    fn validate(&self, catalog: &Catalog) -> Result<touchpoints_core::TouchpointFields, Problems> {
        let mut problems = Problems::default();
        let mut number = |field: &str, text: &str| -> i64 {
            let text = text.trim();
            if text.is_empty() {
                return 3;
            }
            text.parse().unwrap_or_else(|_| {
                problems.push(field, Problem::OutOfRange { min: 1, max: 5 });
                3
            })
        };
        let importance = ImportanceInput {
            experience: number("importance_experience", &self.importance_experience),
            loyalty: number("importance_loyalty", &self.importance_loyalty),
            referral: number("importance_referral", &self.importance_referral),
        };
        let brand_fit = number("brand_fit", &self.brand_fit);
        let kind = match self.kind.trim() {
            "" => None,
            k => Kind::parse(k).or_else(|| {
                problems.push("kind", unknown(k, Kind::ALL.map(Kind::as_str)));
                None
            }),
        };
        let status = match self.status.trim() {
            "" => None,
            s => Status::parse(s).or_else(|| {
                problems.push("status", unknown(s, Status::ALL.map(Status::as_str)));
                None
            }),
        };
        let input = TouchpointInput {
            name: self.name.clone(),
            description: self.description.clone(),
            channel: self.channel.clone(),
            kind,
            phase: self.phase.clone(),
            owner: self.owner.clone(),
            target_groups: split_labels(&self.target_groups),
            regions: split_labels(&self.regions),
            status,
            importance,
            brand_fit,
            notes: self.notes.clone(),
        };
        match input.validate(catalog) {
            Ok(fields) if problems.is_empty() => Ok(fields),
            Ok(_) => Err(problems),
            Err(more) => {
                problems.0.extend(more.0);
                Err(problems)
            }
        }
    }
}

fn unknown<const N: usize>(value: &str, allowed: [&str; N]) -> Problem {
    Problem::Unknown {
        value: value.to_owned(),
        allowed: allowed.iter().map(|s| (*s).to_owned()).collect(),
    }
}

/// Renders the create or edit form, with the values and problems given.
fn form_page(
    state: &AppState,
    page: &Page,
    catalog: &Catalog,
    form: &TouchpointForm,
    id: Option<i64>,
    problems: &[touchpoints_core::FieldProblem],
) -> Response {
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    page.render_with_status(
        state,
        status,
        "touchpoint_form.html",
        minijinja::context! {
        section => "inventory",
        catalog => Serde(catalog),
        form => Serde(form),
        id => Serde(id),
        errors => Serde(page.field_errors(state, problems)),
        statuses => Serde(Status::ALL.map(Status::as_str)),
        kinds => Serde(Kind::ALL.map(Kind::as_str)),},
    )
}

async fn new_form(State(state): State<AppState>, page: Page) -> PageResult {
    let catalog = state.store.catalog().await?;
    Ok(form_page(
        &state,
        &page,
        &catalog,
        &TouchpointForm::blank(),
        None,
        &[],
    ))
}

async fn edit_form(State(state): State<AppState>, page: Page, Id(id): Id) -> PageResult {
    let catalog = state.store.catalog().await?;
    let t = state.store.touchpoint(id).await?;
    let form = TouchpointForm::from_fields(&t.fields);
    Ok(form_page(&state, &page, &catalog, &form, Some(id), &[]))
}

/// Creates (no id) or updates a touchpoint from the form; on problems, shows the form again
/// with the entered values and the problems next to their fields.
async fn save(state: AppState, page: Page, id: Option<i64>, form: TouchpointForm) -> PageResult {
    let catalog = state.store.catalog().await?;
    let fields = match form.validate(&catalog) {
        Ok(fields) => fields,
        Err(problems) => return Ok(form_page(&state, &page, &catalog, &form, id, &problems.0)),
    };
    let written = match id {
        None => {
            state
                .store
                .create_touchpoint(&fields, &page.caller.actor())
                .await
        }
        Some(id) => {
            state
                .store
                .update_touchpoint(id, &fields, &page.caller.actor())
                .await
        }
    };
    match written {
        Ok(t) => Ok(Redirect::to(&format!("/touchpoints/{}", t.id)).into_response()),
        Err(e) => {
            let problems = form_problems(e)?;
            Ok(form_page(&state, &page, &catalog, &form, id, &problems.0))
        }
    }
}

async fn create(
    State(state): State<AppState>,
    page: Page,
    axum::Form(form): axum::Form<TouchpointForm>,
) -> PageResult {
    save(state, page, None, form).await
}

async fn update(
    State(state): State<AppState>,
    page: Page,
    Id(id): Id,
    axum::Form(form): axum::Form<TouchpointForm>,
) -> PageResult {
    save(state, page, Some(id), form).await
}

async fn retire(State(state): State<AppState>, page: Page, Id(id): Id) -> PageResult {
    let actor = page.caller.actor();
    state.store.retire_touchpoint(id, &actor).await?;
    Ok(Redirect::to(&format!("/touchpoints/{id}")).into_response())
}

async fn delete(State(state): State<AppState>, page: Page, Id(id): Id) -> PageResult {
    state
        .store
        .delete_touchpoint(id, &page.caller.actor())
        .await?;
    Ok(Redirect::to("/touchpoints").into_response())
}
