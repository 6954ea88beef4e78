//! A customer profile with its requests and merges, and undoing a merge.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use minijinja::value::Serde;

use crate::AppState;
use crate::web::{Id, Page, PageResult};

pub(super) async fn customer_page(
    State(state): State<AppState>,
    page: Page,
    Id(id): Id,
) -> PageResult {
    let customer = state.store.customer(id).await?;
    let history = state.store.customer_requests(id).await?;
    let merges = state.store.merges(id).await?;
    Ok(page.render(
        &state,
        "customer.html",
        minijinja::context! {
            section => "queue",
            customer => Serde(&customer),
            history => Serde(&history),
            merges => Serde(&merges),
        },
    ))
}

pub(super) async fn unmerge(State(state): State<AppState>, page: Page, Id(id): Id) -> PageResult {
    let record = state.store.unmerge(id, &page.caller.actor()).await?;
    state.queue_events.send(0, "customer").await;
    Ok(Redirect::to(&format!("/customers/{}", record.survivor_id)).into_response())
}
