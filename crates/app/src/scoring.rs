//! A request's priority score at display time, with its breakdown, from what the store keeps
//! (the request, its customer's profile) and the organisation's weights.

use std::collections::HashMap;

use jiff::{SignedDuration, Timestamp};
use touchpoints_core::priority::{self, Cues, Score, Signals};
use touchpoints_core::queue::{self, Risk};
use touchpoints_core::request::RequestStatus;
use touchpoints_store::{CustomerProfile, QueueSettings, Store, StoredRequest};

use crate::Result;

/// The score of `request` at `now`; a request that waits for the customer or is resolved
/// has no time part.
pub fn score(
    cues: &Cues,
    settings: &QueueSettings,
    request: &StoredRequest,
    customer: Option<&CustomerProfile>,
    now: Timestamp,
) -> Score {
    let empty = Vec::new();
    let signals = Signals {
        due_at: match request.status {
            RequestStatus::Open => request.next_due,
            _ => None,
        },
        lifetime_value_cents: customer.map_or(0, |c| c.fields.lifetime_value_cents),
        segments: customer.map_or(&empty, |c| &c.fields.segments),
        subject: &request.subject,
        body: &request.body,
        language: (!request.language.is_empty()).then_some(request.language.as_str()),
        channel: &request.channel,
        earlier_contacts: u32::try_from(request.earlier_contacts.max(0)).unwrap_or(u32::MAX),
    };
    priority::score(&signals, &settings.weights, cues, now)
}

/// Where `request` stands against its next target at `now`, warned the organisation's
/// `at_risk_minutes` ahead.
pub fn risk(settings: &QueueSettings, request: &StoredRequest, now: Timestamp) -> Risk {
    let window = SignedDuration::from_mins(settings.options.at_risk_minutes);
    queue::risk(request.status, request.next_due, now, window)
}

/// The profiles of the requests' customers, by id, read in one query.
pub async fn customers_of(
    store: &dyn Store,
    requests: &[StoredRequest],
) -> Result<HashMap<i64, CustomerProfile>> {
    let mut ids: Vec<i64> = requests.iter().filter_map(|r| r.customer_id).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(store
        .customers_by_id(&ids)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect())
}
