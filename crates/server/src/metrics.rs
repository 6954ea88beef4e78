//! Prometheus metrics at `/metrics`, in the Prometheus text format: requests and their
//! latency by matched route, the open queue, and the pages following it live.
//!
//! Requests are labelled with the route as the router matched it (`/api/v1/requests/{id}`),
//! never the path asked for, so that the number of series stays bounded whatever clients
//! send. The queue's gauges are read from the store at each scrape; nothing is exported for
//! roll-ups, which change in the transaction of the write they count and so never lag.
//!
//! Who may read: a request from a loopback address (a Prometheus or agent on the same host),
//! or an admin. A loopback request that carries a proxy's forwarding header came from
//! elsewhere through a proxy on this host and counts as remote.

use std::net::IpAddr;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::prometheus_text;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::metrics::info::Info;
use prometheus_client::registry::{Registry, Unit};
use touchpoints_app::secrets;
use touchpoints_core::{Role, Scope};

use crate::AppState;
use crate::auth::{self, Caller};
use crate::error::ApiError;

/// The least role that reads the metrics from another host.
pub(crate) const METRICS_ROLE: Role = Role::Admin;

/// Upper bounds of the latency buckets in seconds: Prometheus's defaults, from a cached
/// page (5 ms) to a large import (10 s).
const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// How long a scrape waits for the store's counts before answering without them.
const COUNTS_WITHIN: Duration = Duration::from_secs(2);

/// The route label of a request no route matched.
const UNMATCHED: &str = "unmatched";

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    route: String,
    status: u16,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: &'static str,
    route: String,
}

type Durations = Family<RouteLabels, Histogram, fn() -> Histogram>;

/// The counts kept in this process since it started; cheap to clone (shared).
#[derive(Clone)]
pub struct Metrics {
    requests: Family<RequestLabels, Counter>,
    durations: Durations,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        Metrics {
            requests: Family::default(),
            durations: Family::new_with_constructor(|| Histogram::new(BUCKETS)),
        }
    }

    fn record(&self, method: &'static str, route: String, status: u16, elapsed: Duration) {
        self.durations
            .get_or_create(&RouteLabels {
                method,
                route: route.clone(),
            })
            .observe(elapsed.as_secs_f64());
        self.requests
            .get_or_create(&RequestLabels {
                method,
                route,
                status,
            })
            .inc();
    }

    /// The text of a scrape: this process's counts, and what the store and the live
    /// broadcast tell now. The queue's gauges are left out, not zero, when the store did
    /// not answer.
    fn encode(
        &self,
        queue: Option<(u64, u64)>,
        followers: usize,
    ) -> Result<String, std::fmt::Error> {
        let mut registry = Registry::default();
        registry.register(
            "touchpoints_http_requests",
            "Requests answered, by method, matched route and status",
            self.requests.clone(),
        );
        registry.register_with_unit(
            "touchpoints_http_request_duration",
            "Time until a request's answer starts, by method and matched route",
            Unit::Seconds,
            self.durations.clone(),
        );
        if let Some((open, unassigned)) = queue {
            registry.register(
                "touchpoints_open_requests",
                "Customer requests not resolved yet, on every server of the database",
                ConstGauge::new(i64::try_from(open).unwrap_or(i64::MAX)),
            );
            registry.register(
                "touchpoints_unassigned_requests",
                "Open customer requests assigned to nobody",
                ConstGauge::new(i64::try_from(unassigned).unwrap_or(i64::MAX)),
            );
        }
        registry.register(
            "touchpoints_live_queue_followers",
            "Pages following the queue live on this server",
            ConstGauge::new(i64::try_from(followers).unwrap_or(i64::MAX)),
        );
        registry.register(
            "touchpoints_build",
            "The version this server runs",
            Info::new([("version", env!("CARGO_PKG_VERSION"))]),
        );
        let mut text = String::new();
        prometheus_text::encode(&mut text, &registry)?;
        Ok(text)
    }
}

/// The method as a label: the ones the application routes, and `other` for anything a client
/// makes up, so that the number of series stays bounded.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// Middleware on every route (and the fallback): counts the request and observes the time
/// until its answer starts; a streamed answer (the queue's live events) counts until its
/// first byte.
pub async fn track(State(metrics): State<Metrics>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or(UNMATCHED, MatchedPath::as_str)
        .to_owned();
    let method = method_label(request.method());
    let started = Instant::now();
    let response = next.run(request).await;
    metrics.record(method, route, response.status().as_u16(), started.elapsed());
    response
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/metrics", get(scrape))
}

/// Whether a request comes from this host itself: from a loopback address (an IPv4-mapped
/// one too) and not passed on by a proxy, which would make everyone it serves look local.
pub(crate) fn is_local(peer: Option<IpAddr>, headers: &HeaderMap) -> bool {
    let forwarded = ["forwarded", "x-forwarded-for", "x-real-ip"]
        .iter()
        .any(|name| headers.contains_key(*name));
    peer.is_some_and(|ip| ip.to_canonical().is_loopback()) && !forwarded
}

/// What a request for the metrics is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    Allowed,
    /// Nobody known: log in or send a token.
    Unauthorized,
    /// Known, but below [`METRICS_ROLE`].
    Forbidden,
}

/// The rule of the module docs, for a request that is `local` or not, from a caller acting
/// with `role` (by session or API token).
pub(crate) fn verdict(local: bool, role: Option<Role>) -> Verdict {
    match role {
        _ if local => Verdict::Allowed,
        Some(role) if role >= METRICS_ROLE => Verdict::Allowed,
        Some(_) => Verdict::Forbidden,
        None => Verdict::Unauthorized,
    }
}

async fn scrape(State(state): State<AppState>, parts: Parts) -> Response {
    let local = is_local(auth::client_address(&parts.extensions), &parts.headers);
    if !local {
        // The guard identified a session only, as this route is outside the API; a token
        // is looked up here, and fails as on the API when unknown or revoked.
        let role = match auth::bearer(&parts.headers) {
            Some(token) => {
                match state
                    .store
                    .use_api_token(&secrets::digest(token), jiff::Timestamp::now())
                    .await
                {
                    Ok(Some(token)) if token.scope == Scope::Metrics => Some(METRICS_ROLE),
                    Ok(Some(token)) => token.scope.role(),
                    Ok(None) => return auth::unauthorized("unknown or revoked API token"),
                    Err(e) => return ApiError::from(e).into_response(),
                }
            }
            None => parts.extensions.get::<Caller>().and_then(Caller::role),
        };
        match verdict(local, role) {
            Verdict::Allowed => {}
            Verdict::Unauthorized => {
                return auth::unauthorized("send an admin's session or scrape from this host");
            }
            Verdict::Forbidden => {
                return ApiError::Forbidden(format!(
                    "needs the role {} or higher, or a request from this host",
                    METRICS_ROLE.as_str()
                ))
                .into_response();
            }
        }
    }
    let queue = match tokio::time::timeout(COUNTS_WITHIN, state.store.queue_counts("")).await {
        Ok(Ok((_, unassigned, open))) => Some((open, unassigned)),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "metrics without the queue: the store failed to count it");
            None
        }
        Err(_) => {
            tracing::warn!("metrics without the queue: the store did not count it in time");
            None
        }
    };
    match state.metrics.encode(queue, state.queue_events.followers()) {
        Ok(text) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static(prometheus_text::CONTENT_TYPE),
            )],
            text,
        )
            .into_response(),
        Err(e) => ApiError::Internal(format!("encoding the metrics: {e}")).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, Ipv6Addr};

    #[test]
    fn only_loopback_without_a_proxy_is_local() {
        let none = HeaderMap::new();
        let v4 = IpAddr::V4(Ipv4Addr::LOCALHOST);
        let mapped = IpAddr::V6(Ipv4Addr::LOCALHOST.to_ipv6_mapped());
        assert!(is_local(Some(v4), &none));
        assert!(is_local(Some(IpAddr::V6(Ipv6Addr::LOCALHOST)), &none));
        assert!(is_local(Some(mapped), &none));
        assert!(!is_local(
            Some(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 7))),
            &none
        ));
        assert!(!is_local(None, &none));
        for name in ["forwarded", "x-forwarded-for", "x-real-ip"] {
            let mut proxied = HeaderMap::new();
            proxied.insert(name, HeaderValue::from_static("203.0.113.9"));
            assert!(!is_local(Some(v4), &proxied), "{name}");
        }
    }

    #[test]
    fn remote_callers_need_an_admin() {
        assert_eq!(verdict(true, None), Verdict::Allowed);
        assert_eq!(verdict(true, Some(Role::Viewer)), Verdict::Allowed);
        assert_eq!(verdict(false, Some(Role::Admin)), Verdict::Allowed);
        assert_eq!(verdict(false, Some(Role::Manager)), Verdict::Forbidden);
        assert_eq!(verdict(false, Some(Role::Viewer)), Verdict::Forbidden);
        assert_eq!(verdict(false, None), Verdict::Unauthorized);
    }

    #[test]
    fn made_up_methods_share_one_label() {
        let made_up = Method::from_bytes(b"BREW").expect("a method");
        assert_eq!(method_label(&made_up), "other");
        assert_eq!(method_label(&Method::PUT), "PUT");
    }

    #[test]
    fn a_scrape_reads_as_prometheus_text() {
        let metrics = Metrics::new();
        metrics.record(
            "GET",
            "/api/v1/requests/{id}".into(),
            200,
            Duration::from_millis(30),
        );
        let text = metrics.encode(Some((3, 1)), 2).expect("encode");
        for line in [
            "# TYPE touchpoints_http_requests_total counter",
            "touchpoints_http_requests_total{method=\"GET\",route=\"/api/v1/requests/{id}\",status=\"200\"} 1",
            "# TYPE touchpoints_http_request_duration_seconds histogram",
            "touchpoints_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/requests/{id}\",le=\"0.025\"} 0",
            "touchpoints_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/requests/{id}\",le=\"0.05\"} 1",
            "touchpoints_http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/requests/{id}\"} 1",
            "touchpoints_open_requests 3",
            "touchpoints_unassigned_requests 1",
            "touchpoints_live_queue_followers 2",
            &format!(
                "touchpoints_build_info{{version=\"{}\"}} 1",
                env!("CARGO_PKG_VERSION")
            ),
        ] {
            assert!(text.lines().any(|l| l == line), "no line {line} in\n{text}");
        }
        let without = metrics.encode(None, 0).expect("encode");
        assert!(!without.contains("touchpoints_open_requests"), "{without}");
    }
}
