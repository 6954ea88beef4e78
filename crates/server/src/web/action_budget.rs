//! The plan's budget page: planned against spent per quarter, touchpoint and kind as tables,
//! and the actions on a timeline, drawn by `assets/action_budget.js` from the page's JSON
//! (the table beside it carries every date without JavaScript).

use axum::Router;
use axum::extract::State;

use axum::routing::get;
use minijinja::value::Serde;
use serde::Serialize;
use touchpoints_app::action_budget::{self, Sums};

use super::numbers::{day, euros, number};
use super::{Page, PageResult};
use crate::AppState;
use crate::i18n::Lang;

pub fn routes() -> Router<AppState> {
    Router::new().route("/actions/budget", get(page))
}

/// A row of money, written for the page: what is left of the plan, and the share spent.
#[derive(Debug, Serialize)]
struct SumsView {
    /// A quarter, a touchpoint's name, or a message key (a kind, "no touchpoint").
    label: String,
    touchpoint_id: Option<i64>,
    planned: String,
    spent: String,
    left: String,
    /// Spent beyond the plan.
    over: bool,
    share: String,
    actions: u64,
}

impl SumsView {
    fn new(label: String, touchpoint_id: Option<i64>, sums: &Sums, lang: Lang) -> SumsView {
        let left = sums.planned_cents.saturating_sub(sums.spent_cents);
        SumsView {
            label,
            touchpoint_id,
            planned: euros(sums.planned_cents, lang),
            spent: euros(sums.spent_cents, lang),
            left: euros(left, lang),
            over: left < 0,
            share: if sums.planned_cents > 0 {
                format!(
                    "{} %",
                    number(
                        100.0 * sums.spent_cents as f64 / sums.planned_cents as f64,
                        0,
                        lang
                    )
                )
            } else {
                "–".into()
            },
            actions: sums.actions,
        }
    }
}

/// An action on the timeline: dates for the chart as written in JSON, and for the table in
/// the page's language.
#[derive(Debug, Serialize)]
struct TimelineView {
    id: i64,
    title: String,
    status: &'static str,
    kind: &'static str,
    from: String,
    until: String,
    from_text: String,
    until_text: String,
}

async fn page(State(state): State<AppState>, page: Page) -> PageResult {
    let report = action_budget::budget(state.store.as_ref()).await?;
    let lang = page.lang;
    let quarters: Vec<SumsView> = report
        .by_quarter
        .iter()
        .map(|q| SumsView::new(q.quarter.clone(), None, &q.sums, lang))
        .collect();
    let touchpoints: Vec<SumsView> = report
        .by_touchpoint
        .iter()
        .map(|t| {
            SumsView::new(
                t.name.clone().unwrap_or_default(),
                t.touchpoint_id,
                &t.sums,
                lang,
            )
        })
        .collect();
    let kinds: Vec<SumsView> = report
        .by_kind
        .iter()
        .map(|k| SumsView::new(k.kind.as_str().to_owned(), None, &k.sums, lang))
        .collect();
    let timeline: Vec<TimelineView> = report
        .timeline
        .iter()
        .map(|t| TimelineView {
            id: t.action_id,
            title: t.title.clone(),
            status: t.status.as_str(),
            kind: t.kind.as_str(),
            from: t.from.to_string(),
            until: t.until.to_string(),
            from_text: day(t.from, lang),
            until_text: day(t.until, lang),
        })
        .collect();
    Ok(page.render(
        &state,
        "action_budget.html",
        minijinja::context! {
            section => "actions",
            total => Serde(SumsView::new(String::new(), None, &report.total, lang)),
            quarters => Serde(quarters),
            touchpoints => Serde(touchpoints),
            kinds => Serde(kinds),
            timeline => Serde(timeline),
            undated => report.undated,
        },
    ))
}
