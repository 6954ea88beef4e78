//! The journey map page: phases × channels, every touchpoint a card coloured by status.

use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;
use serde::{Deserialize, Serialize};
use touchpoints_core::journey::JourneyMap;
use touchpoints_core::{Status, TouchpointFilter};

use super::{Page, PageResult};
use minijinja::value::Serde;

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/journey", get(journey))
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct MapForm {
    status: String,
    group: String,
    region: String,
    /// "1" to show channels without touchpoints too.
    all_channels: String,
}

async fn journey(
    State(state): State<AppState>,
    page: Page,
    Query(form): Query<MapForm>,
) -> PageResult {
    let filter = TouchpointFilter {
        status: Status::parse(&form.status),
        group: Some(form.group.clone()),
        region: Some(form.region.clone()),
        ..TouchpointFilter::default()
    }
    .normalized();
    let catalog = state.store.catalog().await?;
    let all = state
        .store
        .list_touchpoints(&TouchpointFilter::default())
        .await?;
    let shown: Vec<_> = all
        .iter()
        .filter(|t| filter.matches(&t.fields))
        .cloned()
        .collect();
    let map = JourneyMap::build(&catalog, &shown, form.all_channels == "1");
    // Column groups of the header: each stage over its phases.
    let mut stages: Vec<(String, usize)> = Vec::new();
    for phase in &map.phases {
        let stage = phase.stage.as_str().to_owned();
        match stages.last_mut() {
            Some((s, n)) if *s == stage => *n += 1,
            _ => stages.push((stage, 1)),
        }
    }
    let counts = Status::ALL.map(|s| {
        (
            s.as_str(),
            shown.iter().filter(|t| t.fields.status == s).count(),
        )
    });
    Ok(page.render(
        &state,
        "journey.html",
        minijinja::context! {
            section => "journey",
            map => Serde(map),
            stages => Serde(stages),
            total => all.len(),
            shown => shown.len(),
            counts => Serde(counts),
            choices => super::touchpoints::choices(&all),
            filter => Serde(form),
            statuses => Serde(Status::ALL.map(Status::as_str)),
        },
    ))
}
