//! Rate limits for what anyone can reach: login attempts per account and per client
//! address, and a shared limit per address for public endpoints (login, setup, and later
//! survey and chat pages).
//!
//! An address is counted as its network where one holder has many addresses: an IPv6
//! address by its /64 prefix (what one line or host is given; its 2^64 addresses are one
//! client here), an IPv4-mapped IPv6 address as the IPv4 address it is.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::AppState;
use crate::refusal::Refusal;

/// Requests allowed per minute; each also the burst a quiet client may spend at once.
#[derive(Debug, Clone, Copy)]
pub struct Quotas {
    /// Failed login attempts for one account, from anywhere; past them the account's logins
    /// pause for a minute, right password or not.
    pub login_per_account: u32,
    /// Requests to public endpoints from one address.
    pub public_per_address: u32,
}

impl Default for Quotas {
    fn default() -> Self {
        Quotas {
            login_per_account: 5,
            public_per_address: 60,
        }
    }
}

#[derive(Clone)]
pub struct Limits {
    failures: Arc<DefaultKeyedRateLimiter<String>>,
    /// Accounts whose logins pause, until when. Only accounts under attack land here.
    paused: Arc<Mutex<HashMap<String, Instant>>>,
    public: Arc<DefaultKeyedRateLimiter<IpAddr>>,
}

/// How long an account's logins pause after too many failures.
const PAUSE: Duration = Duration::from_secs(60);

/// Past this many tracked keys, keys whose limits have recovered are dropped, so that a
/// flood of made-up names or addresses cannot grow the maps without bound.
const TIDY_FROM: usize = 10_000;

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

/// Failures count per account and client (see [`client_key`]): one attacker pauses an
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
            failures: Arc::new(RateLimiter::keyed(per_minute(quotas.login_per_account))),
            paused: Arc::new(Mutex::new(HashMap::new())),
            public: Arc::new(RateLimiter::keyed(per_minute(quotas.public_per_address))),
        }
    }

    /// Whether a login attempt for this account from this address may be checked now.
    pub fn login_allowed(&self, username: &str, address: Option<IpAddr>) -> bool {
        let now = Instant::now();
        let Ok(mut paused) = self.paused.lock() else {
            return false;
        };
        paused.retain(|_, until| *until > now);
        !paused.contains_key(&account_key(username, address))
    }

    /// Counts a failed login; too many in a minute pause the account's logins from that
    /// address.
    pub fn login_failed(&self, username: &str, address: Option<IpAddr>) {
        let key = account_key(username, address);
        if self.failures.len() > TIDY_FROM {
            self.failures.retain_recent();
        }
        if self.failures.check_key(&key).is_err()
            && let Ok(mut paused) = self.paused.lock()
        {
            paused.insert(key, Instant::now() + PAUSE);
        }
    }

    /// Whether another public request from this address (counted as its client, see
    /// [`client_key`]) is allowed now.
    pub fn public_allowed(&self, address: IpAddr) -> bool {
        if self.public.len() > TIDY_FROM {
            self.public.retain_recent();
        }
        self.public.check_key(&client_key(address)).is_ok()
    }
}

/// Middleware for public endpoints: limits requests per client address. Requests whose
/// address the server does not know (in-process tests) are not limited.
pub async fn public(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if let Some(address) = super::client_address(request.extensions())
        && !state.limits.public_allowed(address)
    {
        return Refusal::TooMany.answer(&state, request.uri().path(), request.headers());
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_logins_pause_the_account_without_case() {
        let limits = Limits::new(Quotas {
            login_per_account: 3,
            public_per_address: 100,
        });
        let here: Option<IpAddr> = "192.0.2.1".parse().ok();
        let there: Option<IpAddr> = "192.0.2.2".parse().ok();
        for name in ["anna", "Anna", " ANNA "] {
            assert!(limits.login_allowed(name, here));
            limits.login_failed(name, here);
        }
        assert!(
            limits.login_allowed("anna", here),
            "three failures are allowed"
        );
        limits.login_failed("anna", here);
        assert!(
            !limits.login_allowed("anna", here),
            "the fourth failure in a minute pauses"
        );
        assert!(!limits.login_allowed("ANNA", here));
        assert!(
            limits.login_allowed("ben", here),
            "other accounts are not affected"
        );
        assert!(
            limits.login_allowed("anna", there),
            "the owner logs in from elsewhere"
        );
    }

    #[test]
    fn successful_logins_do_not_count() {
        let limits = Limits::new(Quotas {
            login_per_account: 1,
            public_per_address: 100,
        });
        for _ in 0..10 {
            assert!(limits.login_allowed("anna", None));
        }
    }

    #[test]
    fn public_requests_are_limited_per_address() {
        let limits = Limits::new(Quotas {
            login_per_account: 3,
            public_per_address: 2,
        });
        let a: IpAddr = "192.0.2.1".parse().expect("address");
        let b: IpAddr = "192.0.2.2".parse().expect("address");
        assert!(limits.public_allowed(a));
        assert!(limits.public_allowed(a));
        assert!(!limits.public_allowed(a));
        assert!(limits.public_allowed(b));
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    #[test]
    fn an_ipv6_network_is_one_client_and_mapped_ipv4_is_ipv4() {
        assert_eq!(
            client_key(ip("2001:db8:1:2:aaaa:bbbb:cccc:dddd")),
            ip("2001:db8:1:2::")
        );
        assert_eq!(client_key(ip("::ffff:192.0.2.7")), ip("192.0.2.7"));
        assert_eq!(client_key(ip("192.0.2.7")), ip("192.0.2.7"));
        assert_eq!(client_key(ip("::1")), ip("::"));

        let limits = Limits::new(Quotas {
            login_per_account: 3,
            public_per_address: 2,
        });
        // Every address of one /64 spends the same allowance.
        assert!(limits.public_allowed(ip("2001:db8:1:2::1")));
        assert!(limits.public_allowed(ip("2001:db8:1:2::2")));
        assert!(!limits.public_allowed(ip("2001:db8:1:2:ffff:ffff:ffff:ffff")));
        // The next /64 is another client.
        assert!(limits.public_allowed(ip("2001:db8:1:3::1")));
        // An IPv4 client is the same whether it arrives as IPv4 or mapped into IPv6.
        assert!(limits.public_allowed(ip("192.0.2.9")));
        assert!(limits.public_allowed(ip("::ffff:192.0.2.9")));
        assert!(!limits.public_allowed(ip("192.0.2.9")));
    }

    #[test]
    fn failed_logins_from_one_ipv6_network_pause_it_whole() {
        let limits = Limits::new(Quotas {
            login_per_account: 2,
            public_per_address: 100,
        });
        for n in 1..=3 {
            let address = Some(ip(&format!("2001:db8:5:6::{n}")));
            limits.login_failed("anna", address);
        }
        assert!(!limits.login_allowed("anna", Some(ip("2001:db8:5:6::99"))));
        assert!(limits.login_allowed("anna", Some(ip("2001:db8:5:7::1"))));
        limits.login_failed("ben", Some(ip("::ffff:192.0.2.3")));
        limits.login_failed("ben", Some(ip("192.0.2.3")));
        limits.login_failed("ben", Some(ip("::ffff:192.0.2.3")));
        assert!(!limits.login_allowed("ben", Some(ip("192.0.2.3"))));
    }
}
