//! The queue: mine, the team's, all, at risk and breached, filtered by channel, touchpoint
//! and status, each request with its score; and its changes as Server-Sent Events.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, Sse};
use futures::stream::Stream;
use jiff::{SignedDuration, Timestamp};
use minijinja::value::Serde;
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
use tokio::sync::broadcast::error::RecvError;
use tokio::time::MissedTickBehavior;
use touchpoints_app::scoring;
use touchpoints_app::{AppError, secrets};
use touchpoints_core::request::RequestStatus;
use touchpoints_core::{Role, TouchpointFilter};
use touchpoints_store::{QueueFilter, QueueView, StoredRequest};

use super::{points, risk};
use crate::AppState;
use crate::cookies::cookie;
use crate::live::QueueEvent;
use crate::web::{Page, PageResult};

/// A request as a row of the queue: with its score and breakdown in the page's language.
#[derive(Serialize)]
struct Row {
    request: StoredRequest,
    customer: String,
    touchpoint: String,
    score: String,
    parts: Vec<String>,
    /// `breached`, `at-risk` or empty.
    risk: &'static str,
}

async fn rows(
    state: &AppState,
    page: &Page,
    requests: Vec<StoredRequest>,
    now: Timestamp,
) -> Result<Vec<Row>, AppError> {
    let settings = state.store.queue_settings().await?;
    let customers = scoring::customers_of(state.store.as_ref(), &requests).await?;
    let touchpoints = crate::web::touchpoint_names(state).await?;
    let lang = page.lang.code();
    Ok(requests
        .into_iter()
        .map(|r| {
            let customer = r.customer_id.and_then(|id| customers.get(&id));
            let score = scoring::score(&state.cues, &settings, &r, customer, now);
            let name = customer
                .map(|c| c.fields.name.clone())
                .filter(|n| !n.is_empty())
                .or_else(|| (!r.customer_name.is_empty()).then(|| r.customer_name.clone()))
                .or_else(|| customer.and_then(|c| c.identifiers.first().map(|i| i.value.clone())))
                .unwrap_or_default();
            Row {
                customer: name,
                touchpoint: r
                    .touchpoint_id
                    .and_then(|id| touchpoints.get(&id).cloned())
                    .unwrap_or_default(),
                score: points(score.total),
                parts: score.parts.iter().map(|p| p.describe(lang)).collect(),
                risk: risk(&settings, &r, now),
                request: r,
            }
        })
        .collect())
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub(super) struct QueueParams {
    /// `mine`, `team`, `all`, `at-risk`, `breached`.
    view: String,
    channel: String,
    touchpoint_id: String,
    status: String,
}

pub(super) async fn queue_page(
    State(state): State<AppState>,
    page: Page,
    Query(params): Query<QueueParams>,
) -> PageResult {
    let me = page.caller.actor();
    let now = Timestamp::now();
    let settings = state.store.queue_settings().await?;
    let window = SignedDuration::from_mins(settings.options.at_risk_minutes);
    let view = match params.view.as_str() {
        "mine" | "team" | "at-risk" | "breached" => params.view.as_str(),
        _ => "all",
    };
    let filter = QueueFilter {
        view: match view {
            "mine" => QueueView::Mine(me.clone()),
            "team" => QueueView::Team,
            _ => QueueView::All,
        },
        channel: Some(params.channel.clone()).filter(|c| !c.is_empty()),
        touchpoint_id: params.touchpoint_id.parse().ok(),
        status: RequestStatus::parse(&params.status),
        due_before: match view {
            "at-risk" => now.checked_add(window).ok(),
            "breached" => Some(now),
            _ => None,
        },
        // At risk: due within the window and not yet overdue.
        due_from: (view == "at-risk").then_some(now),
        limit: 200,
    };
    let requests = state.store.queue(&filter).await?;
    let rows = rows(&state, &page, requests, now).await?;
    let (mine, team, all) = state.store.queue_counts(&me).await?;
    let catalog = state.store.catalog().await?;
    let touchpoints = state
        .store
        .list_touchpoints(&TouchpointFilter::default())
        .await?;
    let channels: Vec<(String, String)> = catalog
        .channels_in_order()
        .iter()
        .map(|c| {
            (
                c.key.clone(),
                page.lang.pick(&c.label_de, &c.label_en).to_owned(),
            )
        })
        .collect();
    let touchpoint_options: Vec<(String, String)> = touchpoints
        .iter()
        .map(|t| (t.id.to_string(), t.fields.name.clone()))
        .collect();
    Ok(page.render(
        &state,
        "queue.html",
        minijinja::context! {
            section => "queue",
            view => view,
            params => Serde(params),
            rows => Serde(rows),
            counts => minijinja::context! { mine => mine, team => team, all => all },
            channels => channels,
            touchpoints => touchpoint_options,
            statuses => RequestStatus::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
            at_risk_minutes => settings.options.at_risk_minutes,
        },
    ))
}

/// How often a quiet stream checks that its session still holds, and sends a comment that
/// keeps proxies from closing it as idle.
const SESSION_CHECK: Duration = Duration::from_secs(20);

/// A page following the queue: its session, by digest, and where its events come from.
struct Follower {
    state: AppState,
    session: Option<String>,
    receiver: broadcast::Receiver<QueueEvent>,
    tick: tokio::time::Interval,
}

impl Follower {
    /// Whether the session that opened the stream still lets its user follow the queue: not
    /// logged out, expired, or ended by a disabled account or a new password, and the user
    /// still an agent at least (the route's rule). A store that cannot tell ends it too; the
    /// page's reconnection then meets the guard.
    async fn allowed(&self) -> bool {
        let Some(session) = &self.session else {
            return false;
        };
        matches!(
            self.state.store.session_user(session, Timestamp::now()).await,
            Ok(Some(user)) if user.role >= Role::Agent
        )
    }

    /// The next thing to send: a change of the queue, or a keep-alive comment after a quiet
    /// interval; `None` when nothing more will come.
    async fn next(&mut self) -> Option<Event> {
        tokio::select! {
            received = self.receiver.recv() => {
                let data = match received {
                    // What a chat's person and customer see of each other is no change of
                    // the queue.
                    Ok(event) if matches!(event.kind.as_str(), "typing" | "read") => {
                        return Some(Event::default().comment(""));
                    }
                    Ok(event) => serde_json::to_string(&event).unwrap_or_default(),
                    Err(RecvError::Lagged(_)) => "{}".to_owned(),
                    Err(RecvError::Closed) => return None,
                };
                Some(Event::default().event("queue").data(data))
            }
            _ = self.tick.tick() => Some(Event::default().comment("")),
        }
    }
}

/// The queue's changes as Server-Sent Events: one `queue` event per change, so the page's
/// script reloads the list. A listener that falls behind gets a `queue` event too.
///
/// The stream lasts as long as the session that opened it: before each event, and at least
/// every [`SESSION_CHECK`] when the queue is quiet, it checks the session in the store and
/// ends once the session has (logout, expiry, a disabled account, a new password).
pub(super) async fn events(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let session = cookie(&headers, state.cookies.session).map(secrets::digest);
    let receiver = state.queue_events.subscribe();
    let mut tick =
        tokio::time::interval_at(tokio::time::Instant::now() + SESSION_CHECK, SESSION_CHECK);
    tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let follower = Follower {
        state,
        session,
        receiver,
        tick,
    };
    let stream = futures::stream::unfold(follower, |mut follower| async move {
        let event = follower.next().await?;
        if !follower.allowed().await {
            return None;
        }
        Some((Ok(event), follower))
    });
    Sse::new(stream)
}
