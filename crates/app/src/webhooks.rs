//! Outbound webhooks: an admin's subscriptions, a test event, and the round of the webhook
//! worker that posts the deliveries that are due.
//!
//! A delivery resolves its URL's host once, refuses it when any address it resolves to is
//! not public (unless the subscription allows private ones: `touchpoints_core::webhook`
//! says why), and connects to exactly that address, so a second DNS answer cannot slip a
//! private address past the check. Redirects are not followed. The subscription's secret
//! signs each delivery and is never logged.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};
use jiff::{SignedDuration, Timestamp};
use sha2::Sha256;
use touchpoints_core::webhook::{
    self, Event, SubscriptionFields, SubscriptionInput, classify, may_connect,
};
use touchpoints_core::{Problem, Problems, mail};
use touchpoints_store::{ClaimedDelivery, Store, WebhookDelivery, WebhookSubscription};

use crate::{AppError, Result, secrets};

/// How many deliveries one round claims.
const ROUND: u32 = 20;

/// How long a receiver has to answer, from the connection's start to the response's status.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// How long a claimed delivery is this server's: well past a try's timeout, so that no other
/// server takes it over while the first still posts it.
const LEASE: SignedDuration = SignedDuration::from_mins(2);

/// The newest deliveries a log shows.
pub const LOG_LIMIT: u32 = 50;

/// A new subscription, with the secret the receiver checks signatures with: shown this once.
#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedWebhook {
    #[serde(flatten)]
    pub subscription: WebhookSubscription,
    /// Signs every delivery (`Touchpoints-Signature`); not shown again.
    pub secret: String,
}

/// Validates and stores a subscription with a new secret. Invalid naming `url`, `events`
/// or `events[i]`.
pub async fn create(
    store: &dyn Store,
    input: &SubscriptionInput,
    actor: &str,
) -> Result<CreatedWebhook> {
    let fields = input.validate()?;
    let secret = format!("whsec_{}", secrets::new_secret()?);
    let subscription = store.create_webhook(&fields, &secret, actor).await?;
    Ok(CreatedWebhook {
        subscription,
        secret,
    })
}

/// Validates and changes subscription `id`; its secret stays.
pub async fn update(
    store: &dyn Store,
    id: i64,
    input: &SubscriptionInput,
    actor: &str,
) -> Result<WebhookSubscription> {
    let fields = input.validate()?;
    Ok(store.update_webhook(id, &fields, actor).await?)
}

/// Pauses or resumes subscription `id`: while paused its deliveries wait.
pub async fn set_active(
    store: &dyn Store,
    id: i64,
    active: bool,
    actor: &str,
) -> Result<WebhookSubscription> {
    let current = store.webhook(id).await?;
    let fields = SubscriptionFields {
        active,
        ..current.fields
    };
    Ok(store.update_webhook(id, &fields, actor).await?)
}

/// Deletes from the delivery log the events older than [`webhook::LOG_DAYS`] at `now` whose
/// deliveries are all finished; returns how many went.
pub async fn purge_log(store: &dyn Store, now: Timestamp) -> Result<u64> {
    let before = now - SignedDuration::from_hours(24 * webhook::LOG_DAYS);
    Ok(store.purge_webhook_events(before).await?)
}

/// Queues a `ping` to subscription `id`, sent by the worker like any event; returns its
/// delivery as the log shows it. A conflict naming `active` while the subscription is paused:
/// its ping would wait.
pub async fn test(store: &dyn Store, id: i64, now: Timestamp) -> Result<WebhookDelivery> {
    let subscription = store.webhook(id).await?;
    if !subscription.fields.active {
        return Err(AppError::Conflict(Problems::single(
            "active",
            Problem::rule(
                "webhook-paused",
                "the subscription is paused: resume it to send a test event",
            ),
        )));
    }
    let delivery = store.queue_webhook_event(id, &Event::ping(id), now).await?;
    store
        .deliveries(id, LOG_LIMIT)
        .await?
        .into_iter()
        .find(|d| d.id == delivery)
        .ok_or_else(|| AppError::Internal("a queued test event is not in its log".into()))
}

/// The signature header's value: `v1=` and the hex HMAC-SHA256 of `{timestamp}.{body}` under
/// the subscription's secret.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of every length");
    mac.update(webhook::signed_text(timestamp, body).as_bytes());
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("v1={hex}")
}

/// What one round of the webhook worker did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Round {
    pub delivered: usize,
    /// Failed tries that will be tried again.
    pub retried: usize,
    /// Deliveries that failed for good.
    pub failed: usize,
}

impl Round {
    /// Whether the round took every delivery it could: another may find more due.
    pub fn was_full(&self) -> bool {
        self.delivered + self.retried + self.failed >= ROUND as usize
    }
}

/// A delivery's request as it goes over the wire: signed, to the path of its URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// The URL's host as the request names it (`Host`), and the name TLS checks.
    pub host: String,
    /// The URL's host with its port when it names one, for the `Host` header.
    pub host_header: String,
    /// The path and query of the URL.
    pub target: String,
    /// Whether the connection is TLS (`https`).
    pub https: bool,
    /// The headers beside `Host`, `Content-Type: application/json` and the user agent.
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
}

/// What carries a signed delivery to one of its checked addresses over HTTP and answers the
/// receiver's status. The server, which speaks HTTP, provides it; the app decides where a
/// delivery may go and what it says.
pub trait Transport: Sync {
    fn post(
        &self,
        addresses: &[SocketAddr],
        request: &Outgoing,
    ) -> impl Future<Output = std::result::Result<u16, Failure>> + Send;
}

/// Why a try failed: the words for the log, the receiver's status when it answered, and
/// whether trying again could help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub reason: String,
    /// The receiver's HTTP status, when it answered.
    pub status: Option<u16>,
    pub permanent: bool,
}

impl Failure {
    /// A failure that a later try may not meet: no connection, no answer in time.
    pub fn transient(reason: String) -> Failure {
        Failure {
            reason,
            status: None,
            permanent: false,
        }
    }
}

/// Posts up to a round's deliveries that are due, one after the other: claims each at the
/// instant `clock` tells, posts it and records how it went. A 2xx answer delivers it; any
/// other answer, a timeout or a connection that fails is tried again later, until the last
/// try (`touchpoints_core::mail::retry_delay`: after 1, 5, 30, 120 and 900 minutes); a URL
/// whose host resolves to an address the subscription may not reach fails at once. A record
/// that fails is logged and the round goes on: the delivery's lease ends and it is taken up
/// again.
pub async fn deliver_due(
    store: &dyn Store,
    transport: &impl Transport,
    clock: impl Fn() -> Timestamp,
) -> Result<Round> {
    let mut round = Round::default();
    for _ in 0..ROUND {
        let now = clock();
        let lease_until = now.saturating_add(LEASE).unwrap_or(now);
        let Some(d) = store.claim_deliveries(now, lease_until, 1).await?.pop() else {
            break;
        };
        let outcome = post(transport, &d, now.as_second()).await;
        let done = clock();
        let recorded = match outcome {
            Ok(status) => {
                round.delivered += 1;
                store.delivered(d.id, d.attempts, status, done).await
            }
            Err(failure) => {
                let attempts = u32::try_from(d.attempts).unwrap_or(u32::MAX);
                let retry_at = match failure.permanent {
                    true => None,
                    false => mail::retry_delay(attempts).and_then(|w| done.checked_add(w).ok()),
                };
                tracing::warn!(delivery = d.id, subscription = d.subscription_id, error = %failure.reason, retry = retry_at.is_some(), "a webhook was not delivered");
                match retry_at {
                    Some(_) => round.retried += 1,
                    None => round.failed += 1,
                }
                store
                    .not_delivered(d.id, d.attempts, &failure.reason, failure.status, retry_at)
                    .await
            }
        };
        match recorded {
            Ok(true) => {}
            Ok(false) => {
                tracing::warn!(
                    delivery = d.id,
                    "a webhook's try was recorded by another server"
                )
            }
            Err(e) => {
                tracing::error!(delivery = d.id, error = %e, "a webhook's try could not be recorded")
            }
        }
    }
    Ok(round)
}

/// One try of delivery `d`, signed at `timestamp`: the receiver's status when it is a 2xx.
async fn post(
    transport: &impl Transport,
    d: &ClaimedDelivery,
    timestamp: i64,
) -> std::result::Result<u16, Failure> {
    let url = url::Url::parse(&d.url).map_err(|e| Failure {
        reason: format!("the URL cannot be read: {e}"),
        status: None,
        permanent: true,
    })?;
    let target = target(&url, d.allow_private).await?;
    let request = outgoing(&url, &target.host, d, timestamp);
    let status = tokio::time::timeout(TIMEOUT, transport.post(&target.addresses, &request))
        .await
        .map_err(|_| {
            Failure::transient(format!("no answer within {} seconds", TIMEOUT.as_secs()))
        })??;
    if webhook::is_delivered(status) {
        Ok(status)
    } else {
        Err(Failure {
            reason: format!("the receiver answered HTTP {status}"),
            status: Some(status),
            permanent: false,
        })
    }
}

/// Where a delivery connects: the host as the URL names it (for TLS and `Host`) and the
/// addresses it resolved to, every one of them checked.
struct Target {
    host: String,
    addresses: Vec<SocketAddr>,
}

async fn target(url: &url::Url, allow_private: bool) -> std::result::Result<Target, Failure> {
    let permanent = |reason: String| Failure {
        reason,
        status: None,
        permanent: true,
    };
    let host = match url.host() {
        Some(url::Host::Domain(name)) => name.to_owned(),
        Some(url::Host::Ipv4(ip)) => ip.to_string(),
        Some(url::Host::Ipv6(ip)) => ip.to_string(),
        None => return Err(permanent("the URL names no host".into())),
    };
    let port = url.port_or_known_default().unwrap_or(443);
    let addresses: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), port))
        .await
        .map_err(|e| Failure::transient(format!("{host} could not be resolved: {e}")))?
        .collect();
    if addresses.is_empty() {
        return Err(Failure::transient(format!("{host} resolves to no address")));
    }
    // One forbidden address refuses the host: a name that resolves both ways could be
    // answered with the private one next time.
    if let Some(refused) = addresses
        .iter()
        .find(|a| !may_connect(a.ip(), allow_private))
    {
        return Err(permanent(format!(
            "refused: {host} resolves to {}, a {} address; only an admin's \"allow private \
             addresses\" on this subscription lets a webhook go there",
            refused.ip(),
            classify(refused.ip()).as_str()
        )));
    }
    Ok(Target { host, addresses })
}

/// The signed request of delivery `d` to `url`, at `timestamp`.
fn outgoing(url: &url::Url, host: &str, d: &ClaimedDelivery, timestamp: i64) -> Outgoing {
    let host_header = match url.port() {
        Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
        None => url.host_str().unwrap_or_default().to_owned(),
    };
    let target = match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    };
    Outgoing {
        host: host.to_owned(),
        host_header,
        target,
        https: url.scheme() == "https",
        headers: vec![
            ("Touchpoints-Event-Id", d.event_id.clone()),
            ("Touchpoints-Timestamp", timestamp.to_string()),
            (
                "Touchpoints-Signature",
                signature(&d.secret, timestamp, &d.body),
            ),
        ],
        body: d.body.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_hex_hmac_over_timestamp_and_body() {
        // Checked against `printf '%s' '1700000000.{"id":"evt_1"}' | openssl dgst -sha256 -hmac whsec_test`.
        assert_eq!(
            signature("whsec_test", 1_700_000_000, r#"{"id":"evt_1"}"#),
            "v1=c89214b5b5da833daed6f0b8c5bb6bd58cea9022bd80ccc78230f3942d632925"
        );
        assert_ne!(
            signature("whsec_test", 1_700_000_000, "{}"),
            signature("whsec_test", 1_700_000_001, "{}")
        );
    }
}
