//! The plan's review page (Auswertung): every action in progress or done with its verdicts,
//! its target against what was measured and what to adjust, as the app judges them; and
//! the same as an XLSX workbook.

use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;
use jiff::Timestamp;
use minijinja::value::Serde;
use serde::{Deserialize, Serialize};
use touchpoints_app::action_review::{self, Review, TargetOutcome};
use touchpoints_core::Problems;
use touchpoints_core::kpi::Verdict;

use super::actions::{EffectView, TargetView};
use super::export::{Cell, Table, xlsx_file};
use super::numbers::{day, short_number};
use super::{Page, PageResult};
use crate::AppState;
use crate::i18n::Lang;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/actions/review", get(page))
        .route("/actions/review.xlsx", get(workbook))
}

/// The window the page asks for; anything but a number in range gets the default.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ReviewQuery {
    days: String,
}

impl ReviewQuery {
    fn days(&self) -> Option<i64> {
        self.days
            .trim()
            .parse()
            .ok()
            .filter(|d| (1..=touchpoints_app::action_effect::MAX_DAYS).contains(d))
    }
}

/// A target as the page shows it: the target in words (`plan-target-<metric>`), the day it
/// is due, the value measured and whether it was reached.
#[derive(Debug, Serialize)]
struct TargetRow {
    target: TargetView,
    deadline: Option<String>,
    measured: Option<String>,
    outcome: &'static str,
}

#[derive(Debug, Serialize)]
struct EntryView {
    id: i64,
    title: String,
    status: &'static str,
    effect: EffectView,
    target: Option<TargetRow>,
    adjustments: Vec<String>,
}

fn outcome_key(outcome: TargetOutcome) -> &'static str {
    match outcome {
        TargetOutcome::Met => "met",
        TargetOutcome::Missed => "missed",
        TargetOutcome::Pending => "pending",
        TargetOutcome::Unmeasured => "unmeasured",
    }
}

fn views(review: &Review, lang: Lang) -> Vec<EntryView> {
    review
        .entries
        .iter()
        .map(|e| {
            let effect = match (&e.effect, &e.unmeasurable) {
                (Some(effect), _) => EffectView::new(effect, lang),
                (None, Some(problem)) => {
                    EffectView::unmeasurable(&Problems(vec![problem.clone()]), &e.action)
                        .unwrap_or_default()
                }
                (None, None) => EffectView::default(),
            };
            EntryView {
                id: e.action.id,
                title: e.action.fields.title.clone(),
                status: e.action.status.as_str(),
                effect,
                target: e.target.as_ref().map(|t| TargetRow {
                    target: TargetView::new(&t.target, lang),
                    deadline: t.deadline.map(|d| day(d, lang)),
                    measured: t
                        .measured
                        .map(|v| short_number((v * 10.0).round() / 10.0, lang)),
                    outcome: outcome_key(t.outcome),
                }),
                adjustments: e.adjustments.iter().map(|a| a.text.clone()).collect(),
            }
        })
        .collect()
}

async fn page(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<ReviewQuery>,
) -> PageResult {
    let review = action_review::review(
        state.store.as_ref(),
        query.days(),
        Timestamp::now(),
        page.lang.code(),
    )
    .await?;
    let entries = views(&review, page.lang);
    let to_adjust = review
        .entries
        .iter()
        .filter(|e| !e.adjustments.is_empty())
        .count();
    Ok(page.render(
        &state,
        "action_review.html",
        minijinja::context! {
            section => "actions",
            days => review.days,
            today => day(review.today, page.lang),
            entries => Serde(entries),
            to_adjust => to_adjust,
        },
    ))
}

fn verdict_name(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Better => "better",
        Verdict::Worse => "worse",
        Verdict::NoDetectableChange => "no_detectable_change",
        Verdict::TooFewAnswers => "too_few_answers",
    }
}

/// The review as two tables for other programs: one row per action, and one per action and
/// metric. Stable names and numbers as computed; the proposals in the page's language.
fn tables(review: &Review) -> [Table; 2] {
    let text = |t: &str| Cell::Text(t.to_owned());
    let optional = |v: Option<f64>| v.map_or(Cell::Empty, Cell::Number);
    let mut actions = Vec::new();
    let mut metrics = Vec::new();
    for e in &review.entries {
        let a = &e.action;
        let window = |w: Option<&touchpoints_app::action_effect::Window>| match w {
            Some(w) => vec![text(&w.from.to_string()), text(&w.until.to_string())],
            None => vec![Cell::Empty, Cell::Empty],
        };
        let mut row = vec![
            Cell::Number(a.id as f64),
            text(&a.fields.title),
            text(a.status.as_str()),
            e.effect
                .as_ref()
                .map_or(Cell::Empty, |ef| text(&ef.start.to_string())),
        ];
        row.extend(window(e.effect.as_ref().map(|ef| &ef.before)));
        row.extend(window(e.effect.as_ref().map(|ef| &ef.after)));
        row.push(e.effect.as_ref().map_or(Cell::Empty, |ef| {
            text(if ef.running { "yes" } else { "no" })
        }));
        match &e.target {
            Some(t) => row.extend([
                text(t.target.metric.as_str()),
                Cell::Number(t.target.value),
                t.deadline.map_or(Cell::Empty, |d| text(&d.to_string())),
                optional(t.measured),
                text(outcome_key(t.outcome)),
            ]),
            None => row.extend((0..5).map(|_| Cell::Empty)),
        }
        row.push(
            e.unmeasurable
                .as_ref()
                .map_or(Cell::Empty, |p| text(&p.message)),
        );
        row.push(text(
            &e.adjustments
                .iter()
                .map(|a| a.text.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
        ));
        actions.push(row);
        for m in e.effect.iter().flat_map(|ef| &ef.metrics) {
            let n = |est: Option<touchpoints_core::kpi::Estimate>| {
                est.map_or(Cell::Empty, |e| Cell::Number(e.n as f64))
            };
            let value =
                |est: Option<touchpoints_core::kpi::Estimate>| optional(est.map(|e| e.value));
            let d = m.difference;
            metrics.push(vec![
                Cell::Number(a.id as f64),
                text(&a.fields.title),
                text(m.metric.as_str()),
                value(m.before),
                n(m.before),
                value(m.after),
                n(m.after),
                optional(d.map(|d| d.value)),
                optional(d.map(|d| d.low)),
                optional(d.map(|d| d.high)),
                optional(d.map(|d| d.p_value)),
                text(verdict_name(m.verdict)),
            ]);
        }
    }
    [
        Table {
            name: "review",
            header: vec![
                "id",
                "title",
                "status",
                "start",
                "before_from",
                "before_until",
                "after_from",
                "after_until",
                "running",
                "target_metric",
                "target_value",
                "target_deadline",
                "target_measured",
                "target_outcome",
                "unmeasurable",
                "adjustments",
            ],
            rows: actions,
        },
        Table {
            name: "metrics",
            header: vec![
                "action_id",
                "title",
                "metric",
                "before",
                "before_n",
                "after",
                "after_n",
                "difference",
                "difference_low",
                "difference_high",
                "p_value",
                "verdict",
            ],
            rows: metrics,
        },
    ]
}

async fn workbook(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<ReviewQuery>,
) -> PageResult {
    let review = action_review::review(
        state.store.as_ref(),
        query.days(),
        Timestamp::now(),
        page.lang.code(),
    )
    .await?;
    Ok(xlsx_file(&tables(&review), "action-review.xlsx"))
}
