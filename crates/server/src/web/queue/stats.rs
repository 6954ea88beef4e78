//! The manager's response-time statistics: median, p90 and compliance, overall, by channel
//! and by touchpoint.

use std::collections::HashMap;

use axum::extract::{Query, State};
use jiff::Timestamp;
use serde::Deserialize;
use touchpoints_core::TouchpointFilter;

use crate::AppState;
use crate::web::{Page, PageResult};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct StatsParams {
    days: String,
}

pub(super) async fn stats_page(
    State(state): State<AppState>,
    page: Page,
    Query(params): Query<StatsParams>,
) -> PageResult {
    let days = params
        .days
        .parse::<i64>()
        .ok()
        .filter(|d| (1..=366).contains(d))
        .unwrap_or(30);
    let stats =
        touchpoints_app::queue_stats::stats(state.store.as_ref(), days, Timestamp::now()).await?;
    let touchpoints: HashMap<i64, String> = state
        .store
        .list_touchpoints(&TouchpointFilter::default())
        .await?
        .into_iter()
        .map(|t| (t.id, t.fields.name))
        .collect();
    let catalog = state.store.catalog().await?;
    let channel_label = |key: &str| {
        catalog
            .channel(key)
            .map(|c| page.lang.pick(&c.label_de, &c.label_en).to_owned())
            .unwrap_or_else(|| key.to_owned())
    };
    let by_channel: Vec<(String, _)> = stats
        .by_channel
        .iter()
        .map(|(k, s)| (channel_label(k), summary(s)))
        .collect();
    let by_touchpoint: Vec<(String, _)> = stats
        .by_touchpoint
        .iter()
        .map(|(id, s)| {
            (
                touchpoints.get(id).cloned().unwrap_or_else(|| "–".into()),
                summary(s),
            )
        })
        .collect();
    let people: HashMap<String, String> = state
        .store
        .users()
        .await?
        .into_iter()
        .map(|u| (u.username, u.display_name))
        .collect();
    let personal = &stats.personalisation;
    let personal_by_channel: Vec<(String, _)> = personal
        .by_channel
        .iter()
        .map(|(k, s)| (channel_label(k), share(s)))
        .collect();
    let personal_by_touchpoint: Vec<(String, _)> = personal
        .by_touchpoint
        .iter()
        .map(|(id, s)| {
            (
                touchpoints.get(id).cloned().unwrap_or_else(|| "–".into()),
                share(s),
            )
        })
        .collect();
    let personal_by_agent: Vec<(String, _)> = personal
        .by_agent
        .iter()
        .map(|(author, s)| {
            let name = people
                .get(author)
                .filter(|n| !n.trim().is_empty())
                .unwrap_or(author);
            (name.clone(), share(s))
        })
        .collect();
    Ok(page.render(
        &state,
        "queue_stats.html",
        minijinja::context! {
            section => "queue",
            days => days,
            overall => summary(&stats.overall),
            by_channel => by_channel,
            by_touchpoint => by_touchpoint,
            personal => share(&personal.overall),
            personal_by_channel => personal_by_channel,
            personal_by_touchpoint => personal_by_touchpoint,
            personal_by_agent => personal_by_agent,
        },
    ))
}

/// How personal a set of replies was, as the page shows it.
fn share(s: &touchpoints_core::personalisation::Share) -> minijinja::Value {
    minijinja::context! {
        replies => s.replies,
        by_name => s.by_name,
        uses_facts => s.uses_facts,
        personalised => s.personalised,
        rate => s.rate().map_or_else(|| "–".to_owned(), |p| format!("{:.0} %", p * 100.0)),
    }
}

/// A summary's figures as the page shows them.
fn summary(s: &touchpoints_core::queue_stats::Summary) -> minijinja::Value {
    let minutes = |m: Option<f64>| m.map_or_else(|| "–".to_owned(), |m| format!("{m:.0}"));
    let share =
        |p: Option<f64>| p.map_or_else(|| "–".to_owned(), |p| format!("{:.0} %", p * 100.0));
    minijinja::context! {
        requests => s.requests,
        responded => s.responded,
        median => minutes(s.median_minutes),
        p90 => minutes(s.p90_minutes),
        first_response => share(s.first_response_compliance),
        resolution => share(s.resolution_compliance),
        breached => s.breached,
    }
}
