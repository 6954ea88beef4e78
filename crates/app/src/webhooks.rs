//! Outbound webhooks: an admin's subscriptions, a test event, and the round of the webhook
//! worker that posts the deliveries that are due.
//!
//! A delivery resolves its URL's host once, refuses it when any address it resolves to is
//! not public (unless the subscription allows private ones: `touchpoints_core::webhook`
//! says why), and connects to exactly that address, so a second DNS answer cannot slip a
//! private address past the check. Redirects are not followed. The subscription's secret
//! signs each delivery and is never logged.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};
use hyper::Request;
use hyper::header::{CONTENT_TYPE, HOST, HeaderValue, USER_AGENT};
use hyper_util::rt::TokioIo;
use jiff::{SignedDuration, Timestamp};
use sha2::Sha256;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::{self, ClientConfig, RootCertStore};
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

/// What posts deliveries: the TLS settings with the system's CA certificates, built once
/// per worker.
#[derive(Clone)]
pub struct Poster {
    tls: Arc<ClientConfig>,
    timeout: Duration,
}

impl Poster {
    /// A poster that trusts the system's CA certificates (those it can read; a certificate
    /// store that cannot be read leaves https deliveries failing with the reason).
    pub fn new() -> Poster {
        let mut roots = RootCertStore::empty();
        let found = rustls_native_certs::load_native_certs();
        for error in &found.errors {
            tracing::warn!(error = %error, "a CA certificate of the system could not be read");
        }
        let (added, _) = roots.add_parsable_certificates(found.certs);
        if added == 0 {
            tracing::warn!("no CA certificates found: https webhooks will fail");
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map(|b| b.with_root_certificates(roots).with_no_client_auth())
            .unwrap_or_else(|e| {
                tracing::error!(error = %e, "TLS for webhooks could not be set up");
                ClientConfig::builder_with_provider(Arc::new(
                    rustls::crypto::ring::default_provider(),
                ))
                .with_protocol_versions(&[&rustls::version::TLS13])
                .map(|b| {
                    b.with_root_certificates(RootCertStore::empty())
                        .with_no_client_auth()
                })
                .unwrap_or_else(|_| unreachable_tls())
            });
        Poster {
            tls: Arc::new(tls),
            timeout: TIMEOUT,
        }
    }
}

impl Default for Poster {
    fn default() -> Self {
        Poster::new()
    }
}

#[allow(clippy::panic, reason = "ring supports TLS 1.3: this cannot happen")]
fn unreachable_tls() -> ClientConfig {
    panic!("ring offers no TLS 1.3")
}

/// Why a try failed: the words for the log, the receiver's status when it answered, and
/// whether trying again could help.
struct Failure {
    reason: String,
    status: Option<u16>,
    permanent: bool,
}

impl Failure {
    fn transient(reason: String) -> Failure {
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
    poster: &Poster,
    clock: impl Fn() -> Timestamp,
) -> Result<Round> {
    let mut round = Round::default();
    for _ in 0..ROUND {
        let now = clock();
        let lease_until = now.saturating_add(LEASE).unwrap_or(now);
        let Some(d) = store.claim_deliveries(now, lease_until, 1).await?.pop() else {
            break;
        };
        let outcome = post(poster, &d, now.as_second()).await;
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
    poster: &Poster,
    d: &ClaimedDelivery,
    timestamp: i64,
) -> std::result::Result<u16, Failure> {
    let url = url::Url::parse(&d.url).map_err(|e| Failure {
        reason: format!("the URL cannot be read: {e}"),
        status: None,
        permanent: true,
    })?;
    let target = target(&url, d.allow_private).await?;
    let request = request(&url, d, timestamp)?;
    let attempt = async {
        let stream = connect(&target.addresses).await?;
        match url.scheme() {
            "https" => {
                let name = rustls::pki_types::ServerName::try_from(target.host.clone())
                    .map_err(|e| Failure::transient(format!("no TLS name: {e}")))?;
                let tls = TlsConnector::from(poster.tls.clone())
                    .connect(name, stream)
                    .await
                    .map_err(|e| Failure::transient(format!("TLS failed: {e}")))?;
                exchange(tls, request).await
            }
            _ => exchange(stream, request).await,
        }
    };
    let status = tokio::time::timeout(poster.timeout, attempt)
        .await
        .map_err(|_| {
            Failure::transient(format!(
                "no answer within {} seconds",
                poster.timeout.as_secs()
            ))
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

async fn connect(addresses: &[SocketAddr]) -> std::result::Result<TcpStream, Failure> {
    let mut last = String::new();
    for address in addresses {
        match TcpStream::connect(address).await {
            Ok(stream) => return Ok(stream),
            Err(e) => last = format!("{address}: {e}"),
        }
    }
    Err(Failure::transient(format!("no connection: {last}")))
}

fn request(
    url: &url::Url,
    d: &ClaimedDelivery,
    timestamp: i64,
) -> std::result::Result<Request<String>, Failure> {
    let host = match url.port() {
        Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
        None => url.host_str().unwrap_or_default().to_owned(),
    };
    let path = match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    };
    Request::post(path)
        .header(HOST, host)
        .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
        .header(
            USER_AGENT,
            HeaderValue::from_static("Touchpoints-Webhooks/1"),
        )
        .header("Touchpoints-Event-Id", &d.event_id)
        .header("Touchpoints-Timestamp", timestamp.to_string())
        .header(
            "Touchpoints-Signature",
            signature(&d.secret, timestamp, &d.body),
        )
        .body(d.body.clone())
        .map_err(|e| Failure {
            reason: format!("the request cannot be built: {e}"),
            status: None,
            permanent: true,
        })
}

/// Sends `request` over `io` and returns the response's status; its body is not read.
async fn exchange<T>(io: T, request: Request<String>) -> std::result::Result<u16, Failure>
where
    T: AsyncRead + AsyncWrite + Send + Unpin + 'static,
{
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(io))
        .await
        .map_err(|e| Failure::transient(format!("HTTP failed: {e}")))?;
    let driver = tokio::spawn(connection);
    let response = sender.send_request(request).await;
    driver.abort();
    response
        .map(|r| r.status().as_u16())
        .map_err(|e| Failure::transient(format!("HTTP failed: {e}")))
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
