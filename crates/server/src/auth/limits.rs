//! Rate limits for what anyone can reach: login attempts per account and client address, a
//! limit per address for public endpoints (login, setup, the chat widget), and for the
//! survey pages a limit per survey and address with a daily cap of answers per survey.
//!
//! Surveys count apart from the rest because many customers may answer from one address (a
//! store's Wi-Fi, a tablet at the counter): the limit per address is generous and counts
//! one survey only, and the cap per survey and day is what stops a flood.
//!
//! The counts that must hold however many app servers share the database live in the store
//! ([`Throttles`]): every login attempt is one statement there, so N servers still give an
//! account five attempts a minute. A public request first meets a token bucket in this
//! process, which turns a flood away without asking the database; when the database is
//! shared (PostgreSQL), a request the bucket lets through is counted in the store as well,
//! and that count is the ceiling across servers. On SQLite one server holds the database and
//! its bucket is the whole count.
//!
//! Account names and addresses are counted under a keyed digest, never stored as they are.
//!
//! An address is counted as its network where one holder has many addresses: an IPv6
//! address by its /64 prefix (what one line or host is given; its 2^64 addresses are one
//! client here), an IPv4-mapped IPv6 address as the IPv4 address it is.

use std::net::{IpAddr, Ipv6Addr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use jiff::{SignedDuration, Timestamp};
use tokio::sync::OnceCell;
use touchpoints_app::{AppError, secrets};
use touchpoints_store::Store;

use crate::AppState;
use crate::refusal::Refusal;

/// Attempts and requests allowed per minute.
#[derive(Debug, Clone, Copy)]
pub struct Quotas {
    /// Failed logins for one account from one client (see [`client_key`]) in a minute,
    /// counted on every app server together; one more pauses the account's logins from that
    /// client for a minute, right password or not.
    pub login_per_account: u32,
    /// Requests to public endpoints from one client in a minute, on every app server
    /// together; also the burst a quiet client may spend at once.
    pub public_per_address: u32,
    /// Chat conversations one client may start in twelve hours, on every app server
    /// together.
    pub chats_per_address: u32,
    /// Requests to one survey's page (showing it, answering) from one client in a minute,
    /// on every app server together; also the burst a quiet client may spend at once.
    pub survey_per_address: u32,
    /// Answers one survey takes in 24 hours, from everyone together; one more closes it
    /// for answers for a day.
    pub survey_answers_per_day: u32,
}

impl Default for Quotas {
    fn default() -> Self {
        Quotas {
            login_per_account: 5,
            public_per_address: 60,
            chats_per_address: 6,
            survey_per_address: 120,
            survey_answers_per_day: 20_000,
        }
    }
}

#[derive(Clone)]
pub struct Limits {
    quotas: Quotas,
    /// This process's buckets for public requests, per client.
    public: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    /// This process's buckets for survey pages, per client and survey (by its link's slug).
    survey: Arc<DefaultKeyedRateLimiter<(IpAddr, String)>>,
    /// The key of the digests that stand for account names and addresses in the store,
    /// fetched on first use; the same on every app server on the database.
    key: Arc<OnceCell<String>>,
    /// When this server last deleted ended windows from the store (microseconds).
    purged: Arc<AtomicI64>,
}

/// The window of every count, and how long an account's logins pause past its quota.
const WINDOW: SignedDuration = SignedDuration::from_secs(60);

/// How often one server deletes ended windows from the store, in microseconds: a minute,
/// rarely enough to do on the way, often enough that a row outlives its window by a minute
/// at most.
const PURGE_EVERY: i64 = 60_000_000;

/// Past this many tracked clients, buckets that are full again are dropped, so that a flood
/// of made-up addresses cannot grow the map without bound.
const TIDY_FROM: usize = 10_000;

/// The store's name for the key of the digests.
const KEY_NAME: &str = "rate-limits";

/// What the store counts under.
const LOGIN: &str = "login";
const PUBLIC: &str = "public";
const CHAT: &str = "chat";
const SURVEY: &str = "survey";
const SURVEY_ANSWERS: &str = "survey-answers";

/// The window in which a survey's answers are counted against its cap.
const SURVEY_DAY: SignedDuration = SignedDuration::from_hours(24);

/// The window in which a client's chat conversations are counted.
const CHAT_WINDOW: SignedDuration = SignedDuration::from_hours(12);

/// The client an address is counted as: an IPv4 address as itself, an IPv6 address as its
/// /64 network, and an IPv4 address written as IPv6 (`::ffff:192.0.2.1`) as the IPv4 one.
pub fn client_key(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let network = v6.to_bits() & !u128::from(u64::MAX);
                IpAddr::V6(Ipv6Addr::from_bits(network))
            }
        },
    }
}

/// Attempts count per account and client (see [`client_key`]): one attacker pauses an
/// account for their own network only, while its owner logs in from theirs.
fn account_key(username: &str, address: Option<IpAddr>) -> String {
    let name = username.trim().to_lowercase();
    match address {
        Some(address) => format!("{name} {}", client_key(address)),
        None => name,
    }
}

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN))
}

impl Limits {
    pub fn new(quotas: Quotas) -> Self {
        Limits {
            quotas,
            public: Arc::new(RateLimiter::keyed(per_minute(quotas.public_per_address))),
            survey: Arc::new(RateLimiter::keyed(per_minute(quotas.survey_per_address))),
            key: Arc::new(OnceCell::new()),
            purged: Arc::new(AtomicI64::new(0)),
        }
    }

    /// Counts a login attempt for this account from this address, on every app server
    /// together, and says whether it may be checked: the quota's failures and one more,
    /// whose failure pauses the account's logins from there for a minute. Call
    /// [`Limits::login_succeeded`] when it succeeds: only failures count. Counting before
    /// the check, not after a failure, keeps attempts sent all at once within the quota too.
    pub async fn login_allowed(
        &self,
        store: &dyn Store,
        username: &str,
        address: Option<IpAddr>,
    ) -> Result<bool, AppError> {
        let checked = u64::from(self.quotas.login_per_account) + 1;
        let subject = self
            .subject(store, LOGIN, &account_key(username, address))
            .await?;
        let hits = self.hit(store, LOGIN, &subject, checked).await?;
        Ok(hits <= checked)
    }

    /// Takes back the attempt of a login that succeeded.
    pub async fn login_succeeded(
        &self,
        store: &dyn Store,
        username: &str,
        address: Option<IpAddr>,
    ) -> Result<(), AppError> {
        let subject = self
            .subject(store, LOGIN, &account_key(username, address))
            .await?;
        store.forgive(LOGIN, &subject, Timestamp::now()).await?;
        Ok(())
    }

    /// Counts a chat conversation started from this address (as its client, see
    /// [`client_key`]) and says whether the quota allows it.
    pub async fn chat_allowed(&self, store: &dyn Store, address: IpAddr) -> Result<bool, AppError> {
        let quota = u64::from(self.quotas.chats_per_address.max(1));
        let subject = self
            .subject(store, CHAT, &client_key(address).to_string())
            .await?;
        let hits = store
            .hit(CHAT, &subject, quota, CHAT_WINDOW, Timestamp::now())
            .await?;
        Ok(hits.count <= quota)
    }

    /// Whether another public request from this address (counted as its client, see
    /// [`client_key`]) is allowed now.
    pub async fn public_allowed(
        &self,
        store: &dyn Store,
        address: IpAddr,
    ) -> Result<bool, AppError> {
        let client = client_key(address);
        if self.public.len() > TIDY_FROM {
            self.public.retain_recent();
        }
        if self.public.check_key(&client).is_err() {
            return Ok(false);
        }
        if !store.counts_shared() {
            return Ok(true);
        }
        let quota = u64::from(self.quotas.public_per_address.max(1));
        let subject = self.subject(store, PUBLIC, &client.to_string()).await?;
        Ok(self.hit(store, PUBLIC, &subject, quota).await? <= quota)
    }

    /// Whether another request to the survey page `slug` from this address (counted as its
    /// client, see [`client_key`]) is allowed now.
    pub async fn survey_allowed(
        &self,
        store: &dyn Store,
        address: IpAddr,
        slug: &str,
    ) -> Result<bool, AppError> {
        let client = client_key(address);
        if self.survey.len() > TIDY_FROM {
            self.survey.retain_recent();
        }
        if self.survey.check_key(&(client, slug.to_owned())).is_err() {
            return Ok(false);
        }
        if !store.counts_shared() {
            return Ok(true);
        }
        let quota = u64::from(self.quotas.survey_per_address.max(1));
        let subject = self
            .subject(store, SURVEY, &format!("{client} {slug}"))
            .await?;
        Ok(self.hit(store, SURVEY, &subject, quota).await? <= quota)
    }

    /// Counts an answer to the survey `survey_id` and says whether its daily cap allows it.
    pub async fn survey_answer_allowed(
        &self,
        store: &dyn Store,
        survey_id: i64,
    ) -> Result<bool, AppError> {
        let quota = u64::from(self.quotas.survey_answers_per_day.max(1));
        let hits = store
            .hit(
                SURVEY_ANSWERS,
                &survey_id.to_string(),
                quota,
                SURVEY_DAY,
                Timestamp::now(),
            )
            .await?;
        Ok(hits.count <= quota)
    }

    /// Counts a hit in the store and returns the window's count; deletes ended windows on
    /// the way, about once a minute per server.
    async fn hit(
        &self,
        store: &dyn Store,
        kind: &str,
        subject: &str,
        quota: u64,
    ) -> Result<u64, AppError> {
        let now = Timestamp::now();
        let hits = store.hit(kind, subject, quota, WINDOW, now).await?;
        let last = self.purged.load(Ordering::Relaxed);
        let due = now.as_microsecond().saturating_sub(last) >= PURGE_EVERY;
        if due
            && self
                .purged
                .compare_exchange(
                    last,
                    now.as_microsecond(),
                    Ordering::Relaxed,
                    Ordering::Relaxed,
                )
                .is_ok()
            && let Err(e) = store.purge_throttles(now).await
        {
            // The next purge deletes them; until then they count nothing.
            tracing::warn!(error = %e, "cannot delete ended rate-limit windows");
        }
        Ok(hits.count)
    }

    /// The digest `value` is counted under: keyed, so that neither the database nor a copy
    /// of it gives away which names and addresses were tried, as a plain digest of an IPv4
    /// address is undone by hashing all 2^32 of them.
    async fn subject(
        &self,
        store: &dyn Store,
        kind: &str,
        value: &str,
    ) -> Result<String, AppError> {
        let key = self
            .key
            .get_or_try_init(|| async {
                let candidate = secrets::new_secret()?;
                Ok::<_, AppError>(store.key(KEY_NAME, &candidate).await?)
            })
            .await?;
        Ok(secrets::keyed_digest(key, &[kind, value]))
    }
}

/// Middleware for public endpoints: limits requests per client address. Requests whose
/// address the server does not know (in-process tests) are not limited.
pub async fn public(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if let Some(address) = super::client_address(request.extensions()) {
        let allowed = match state.limits.public_allowed(&*state.store, address).await {
            Ok(allowed) => allowed,
            Err(e) => {
                // Without the shared count, this server's bucket still holds: a database
                // outage must not take the survey pages with it.
                tracing::warn!(error = %e, "cannot count a public request in the store");
                true
            }
        };
        if !allowed {
            return Refusal::TooMany.answer(&state, request.uri().path(), request.headers());
        }
    }
    next.run(request).await
}

/// Middleware for the survey pages (`/s/{slug}`): limits requests per client address and
/// survey. Requests whose address the server does not know (in-process tests) are not
/// limited.
pub async fn survey(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let slug = request
        .uri()
        .path()
        .strip_prefix("/s/")
        .unwrap_or_default()
        .to_owned();
    if let Some(address) = super::client_address(request.extensions()) {
        let allowed = match state
            .limits
            .survey_allowed(&*state.store, address, &slug)
            .await
        {
            Ok(allowed) => allowed,
            Err(e) => {
                tracing::warn!(error = %e, "cannot count a survey request in the store");
                true
            }
        };
        if !allowed {
            return Refusal::TooMany.answer(&state, request.uri().path(), request.headers());
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Limits with these quotas on a new SQLite store, which holds them while the folder
    /// lives.
    async fn limits(login: u32, public: u32) -> (Limits, Arc<dyn Store>, tempfile::TempDir) {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let url = format!("sqlite://{}", dir.path().join("limits.db").display());
        let store = touchpoints_store::open(&url).await.expect("open the store");
        let limits = Limits::new(Quotas {
            login_per_account: login,
            public_per_address: public,
            chats_per_address: 2,
            survey_per_address: public,
            survey_answers_per_day: 3,
        });
        (limits, store, dir)
    }

    #[tokio::test]
    async fn survey_pages_count_per_client_and_survey_and_answers_per_survey() {
        let (limits, store, _dir) = limits(5, 2).await;
        let store = &*store;
        let allowed = |address: &'static str, slug: &'static str| {
            let limits = limits.clone();
            async move {
                limits
                    .survey_allowed(store, ip(address), slug)
                    .await
                    .expect("count")
            }
        };
        assert!(allowed("192.0.2.1", "kasse").await);
        assert!(allowed("192.0.2.1", "kasse").await);
        assert!(
            !allowed("192.0.2.1", "kasse").await,
            "the third in a minute"
        );
        assert!(allowed("192.0.2.1", "lieferung").await, "another survey");
        assert!(allowed("192.0.2.2", "kasse").await, "another client");
        assert!(
            limits
                .public_allowed(store, ip("192.0.2.1"))
                .await
                .expect("count"),
            "the other public pages count apart"
        );

        for n in 1..=3 {
            assert!(
                limits.survey_answer_allowed(store, 7).await.expect("count"),
                "answer {n} of the day"
            );
        }
        assert!(!limits.survey_answer_allowed(store, 7).await.expect("count"));
        assert!(limits.survey_answer_allowed(store, 8).await.expect("count"));
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    #[tokio::test]
    async fn login_attempts_pause_the_account_without_case() {
        let (limits, store, _dir) = limits(3, 100).await;
        let store = &*store;
        let allowed = |name: &'static str, address: &'static str| {
            let limits = limits.clone();
            async move {
                limits
                    .login_allowed(store, name, Some(ip(address)))
                    .await
                    .expect("count")
            }
        };
        for name in ["anna", "Anna", " ANNA ", "anna"] {
            assert!(
                allowed(name, "192.0.2.1").await,
                "three failures are allowed, and a fourth attempt"
            );
        }
        assert!(
            !allowed("anna", "192.0.2.1").await,
            "the fourth failure in a minute pauses"
        );
        assert!(!allowed("ANNA", "192.0.2.1").await);
        assert!(
            allowed("ben", "192.0.2.1").await,
            "other accounts are not affected"
        );
        assert!(
            allowed("anna", "192.0.2.2").await,
            "the owner logs in from elsewhere"
        );
    }

    #[tokio::test]
    async fn successful_logins_do_not_count() {
        let (limits, store, _dir) = limits(0, 100).await;
        for _ in 0..10 {
            assert!(
                limits
                    .login_allowed(&*store, "anna", None)
                    .await
                    .expect("count")
            );
            limits
                .login_succeeded(&*store, "anna", None)
                .await
                .expect("take back");
        }
        assert!(
            limits
                .login_allowed(&*store, "anna", None)
                .await
                .expect("count")
        );
        assert!(
            !limits
                .login_allowed(&*store, "anna", None)
                .await
                .expect("count"),
            "a failure after them counts"
        );
    }

    #[tokio::test]
    async fn public_requests_are_limited_per_address() {
        let (limits, store, _dir) = limits(3, 2).await;
        let allowed = |address| limits.public_allowed(&*store, ip(address));
        assert!(allowed("192.0.2.1").await.expect("count"));
        assert!(allowed("192.0.2.1").await.expect("count"));
        assert!(!allowed("192.0.2.1").await.expect("count"));
        assert!(allowed("192.0.2.2").await.expect("count"));
    }

    #[tokio::test]
    async fn an_ipv6_network_is_one_client_and_mapped_ipv4_is_ipv4() {
        assert_eq!(
            client_key(ip("2001:db8:1:2:aaaa:bbbb:cccc:dddd")),
            ip("2001:db8:1:2::")
        );
        assert_eq!(client_key(ip("::ffff:192.0.2.7")), ip("192.0.2.7"));
        assert_eq!(client_key(ip("192.0.2.7")), ip("192.0.2.7"));
        assert_eq!(client_key(ip("::1")), ip("::"));

        let (limits, store, _dir) = limits(3, 2).await;
        let allowed = |address| limits.public_allowed(&*store, ip(address));
        // Every address of one /64 spends the same allowance.
        assert!(allowed("2001:db8:1:2::1").await.expect("count"));
        assert!(allowed("2001:db8:1:2::2").await.expect("count"));
        assert!(
            !allowed("2001:db8:1:2:ffff:ffff:ffff:ffff")
                .await
                .expect("count")
        );
        // The next /64 is another client.
        assert!(allowed("2001:db8:1:3::1").await.expect("count"));
        // An IPv4 client is the same whether it arrives as IPv4 or mapped into IPv6.
        assert!(allowed("192.0.2.9").await.expect("count"));
        assert!(allowed("::ffff:192.0.2.9").await.expect("count"));
        assert!(!allowed("192.0.2.9").await.expect("count"));
    }

    #[tokio::test]
    async fn login_attempts_from_one_ipv6_network_pause_it_whole() {
        let (limits, store, _dir) = limits(1, 100).await;
        let allowed = |name, address| limits.login_allowed(&*store, name, Some(ip(address)));
        assert!(allowed("anna", "2001:db8:5:6::1").await.expect("count"));
        assert!(allowed("anna", "2001:db8:5:6::2").await.expect("count"));
        assert!(!allowed("anna", "2001:db8:5:6::99").await.expect("count"));
        assert!(allowed("anna", "2001:db8:5:7::1").await.expect("count"));
        assert!(allowed("ben", "::ffff:192.0.2.3").await.expect("count"));
        assert!(allowed("ben", "192.0.2.3").await.expect("count"));
        assert!(!allowed("ben", "::ffff:192.0.2.3").await.expect("count"));
    }

    #[tokio::test]
    async fn the_store_holds_neither_names_nor_addresses() {
        use sqlx::Connection;

        let (limits, store, dir) = limits(1, 100).await;
        for _ in 0..3 {
            limits
                .login_allowed(&*store, "Zyxwa", Some(ip("198.51.100.23")))
                .await
                .expect("count");
        }
        let url = format!("sqlite://{}", dir.path().join("limits.db").display());
        let mut conn = sqlx::SqliteConnection::connect(&url)
            .await
            .expect("connect");
        let rows: Vec<(String, String, i64)> =
            sqlx::query_as("SELECT kind, subject, hits FROM throttles")
                .fetch_all(&mut conn)
                .await
                .expect("read the counts");
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert_eq!(rows[0].2, 3);
        let text = format!("{rows:?}").to_lowercase();
        assert!(
            !text.contains("zyxwa") && !text.contains("198.51"),
            "{text}"
        );
    }
}
