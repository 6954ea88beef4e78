//! The webhook worker: while `serve` runs, it posts the deliveries that are due, every few
//! seconds on the one server of a shared database whose turn it is (events written by any
//! server, retries, a server that died while posting), and at once after a test event on
//! this server.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hyper::Request;
use hyper::header::{CONTENT_TYPE, HOST, HeaderValue, USER_AGENT};
use hyper_util::rt::TokioIo;
use jiff::Timestamp;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio::sync::Notify;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::{self, ClientConfig, RootCertStore};
use touchpoints_app::webhooks::{self, Failure, Outgoing, Transport};
use touchpoints_store::Store;

use crate::background::{Background, Rounds, Turn};

/// How often the worker looks for due deliveries when nothing woke it.
const POLL: Duration = Duration::from_secs(5);
/// How often it clears the delivery log of what is older than its retention.
const PURGE: Duration = Duration::from_secs(60 * 60);

/// Wakes the worker when a test event was queued; cheap to clone into every handler.
#[derive(Clone, Default)]
pub struct Wakeup(Arc<Notify>);

impl Wakeup {
    pub fn wake(&self) {
        self.0.notify_one();
    }
}

/// Starts the worker, until the returned task is dropped. A delivery in the middle of its
/// post then is taken up again when its lease ends, with the same event id.
pub(crate) fn start(store: Arc<dyn Store>, wakeup: Wakeup, holder: Arc<str>) -> Background {
    Background::spawn(run(store, wakeup, Turn::new("webhooks", holder, POLL)))
}

async fn run(store: Arc<dyn Store>, wakeup: Wakeup, turn: Turn) {
    let poster = HttpTransport::new();
    let mut purged_at: Option<tokio::time::Instant> = None;
    let mut rounds = Rounds::new(turn, POLL);
    loop {
        rounds.next(store.as_ref(), &wakeup.0).await;
        if purged_at.is_none_or(|at| at.elapsed() >= PURGE) {
            purged_at = Some(tokio::time::Instant::now());
            match webhooks::purge_log(store.as_ref(), Timestamp::now()).await {
                Ok(0) => {}
                Ok(events) => tracing::info!(events, "old webhook events left the delivery log"),
                Err(e) => {
                    tracing::error!(error = %e, "the webhook delivery log could not be cleared")
                }
            }
        }
        let full = match webhooks::deliver_due(store.as_ref(), &poster, Timestamp::now).await {
            Ok(round) => {
                if round.delivered + round.retried + round.failed > 0 {
                    tracing::info!(
                        delivered = round.delivered,
                        retried = round.retried,
                        failed = round.failed,
                        "webhook round"
                    );
                }
                round.was_full()
            }
            Err(e) => {
                tracing::error!(error = %e, "the webhook deliveries could not be read");
                false
            }
        };
        rounds.ran(full);
    }
}

/// Posts deliveries over HTTP/1, with TLS for https on the system's CA certificates (read
/// once per worker), to the addresses the app checked: never to another the name resolves to
/// by then, and without following redirects.
#[derive(Clone)]
pub struct HttpTransport {
    tls: Arc<ClientConfig>,
}

impl HttpTransport {
    /// A transport that trusts the system's CA certificates (those it can read; a certificate
    /// store that cannot be read leaves https deliveries failing with the reason).
    pub fn new() -> HttpTransport {
        let mut roots = RootCertStore::empty();
        let found = rustls_native_certs::load_native_certs();
        for error in &found.errors {
            tracing::warn!(error = %error, "a CA certificate of the system could not be read");
        }
        let (added, _) = roots.add_parsable_certificates(found.certs);
        if added == 0 {
            tracing::warn!("no CA certificates found: https webhooks will fail");
        }
        let tls =
            ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
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
        HttpTransport { tls: Arc::new(tls) }
    }
}

impl Default for HttpTransport {
    fn default() -> Self {
        HttpTransport::new()
    }
}

#[allow(clippy::panic, reason = "ring supports TLS 1.3: this cannot happen")]
fn unreachable_tls() -> ClientConfig {
    panic!("ring offers no TLS 1.3")
}

impl Transport for HttpTransport {
    async fn post(&self, addresses: &[SocketAddr], request: &Outgoing) -> Result<u16, Failure> {
        let stream = connect(addresses).await?;
        let http = build(request)?;
        if request.https {
            let name = rustls::pki_types::ServerName::try_from(request.host.clone())
                .map_err(|e| Failure::transient(format!("no TLS name: {e}")))?;
            let tls = TlsConnector::from(self.tls.clone())
                .connect(name, stream)
                .await
                .map_err(|e| Failure::transient(format!("TLS failed: {e}")))?;
            exchange(tls, http).await
        } else {
            exchange(stream, http).await
        }
    }
}

async fn connect(addresses: &[SocketAddr]) -> Result<TcpStream, Failure> {
    let mut last = String::new();
    for address in addresses {
        match TcpStream::connect(address).await {
            Ok(stream) => return Ok(stream),
            Err(e) => last = format!("{address}: {e}"),
        }
    }
    Err(Failure::transient(format!("no connection: {last}")))
}

fn build(request: &Outgoing) -> Result<Request<String>, Failure> {
    let mut builder = Request::post(request.target.as_str())
        .header(HOST, request.host_header.as_str())
        .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
        .header(
            USER_AGENT,
            HeaderValue::from_static("Touchpoints-Webhooks/1"),
        );
    for (name, value) in &request.headers {
        builder = builder.header(*name, value.as_str());
    }
    builder.body(request.body.clone()).map_err(|e| Failure {
        reason: format!("the request cannot be built: {e}"),
        status: None,
        permanent: true,
    })
}

/// Sends `request` over `io` and returns the response's status; its body is not read.
async fn exchange<T>(io: T, request: Request<String>) -> Result<u16, Failure>
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
