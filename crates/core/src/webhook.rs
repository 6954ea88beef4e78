//! Outbound webhooks: the events an integration can subscribe to, a subscription and its
//! validation, the JSON an event is sent as, and which network addresses a delivery may
//! reach.
//!
//! The address rule guards against server-side request forgery: a subscription's URL is set
//! by an admin, but the host it names may resolve to the server's own loopback, the cloud's
//! metadata service (169.254.169.254) or a machine on the company network that trusts
//! anything coming from inside. So a delivery goes only to globally reachable addresses,
//! unless an admin allows private ones for that subscription.

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::{Problem, Problems};

/// What happened, as an integration subscribes to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum EventKind {
    /// A request entered the queue, from any channel.
    #[serde(rename = "request.created")]
    RequestCreated,
    /// An agent resolved a request.
    #[serde(rename = "request.resolved")]
    RequestResolved,
    /// A survey answer was recorded.
    #[serde(rename = "answer.received")]
    AnswerReceived,
    /// A recorded answer is a detractor's: an NPS score of 0 to 6.
    #[serde(rename = "answer.detractor")]
    AnswerDetractor,
    /// A campaign's mails were written to the outbox.
    #[serde(rename = "campaign.sent")]
    CampaignSent,
    /// A test event an admin sends; every subscription gets it, whatever it subscribed to.
    #[serde(rename = "ping")]
    Ping,
}

impl EventKind {
    /// The events a subscription may name (every one but `ping`).
    pub const SUBSCRIBABLE: [EventKind; 5] = [
        EventKind::RequestCreated,
        EventKind::RequestResolved,
        EventKind::AnswerReceived,
        EventKind::AnswerDetractor,
        EventKind::CampaignSent,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::RequestCreated => "request.created",
            EventKind::RequestResolved => "request.resolved",
            EventKind::AnswerReceived => "answer.received",
            EventKind::AnswerDetractor => "answer.detractor",
            EventKind::CampaignSent => "campaign.sent",
            EventKind::Ping => "ping",
        }
    }

    pub fn parse(text: &str) -> Option<EventKind> {
        Self::SUBSCRIBABLE
            .into_iter()
            .chain([EventKind::Ping])
            .find(|kind| kind.as_str() == text)
    }
}

/// An event about to be written for every subscription that wants it: its kind and its
/// `data`, which holds ids and figures only, never free text a customer wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub kind: EventKind,
    pub data: serde_json::Value,
}

impl Event {
    pub fn request_created(
        request_id: i64,
        channel: &str,
        touchpoint_id: Option<i64>,
        customer_id: Option<i64>,
    ) -> Event {
        Event {
            kind: EventKind::RequestCreated,
            data: request_data(request_id, channel, touchpoint_id, customer_id),
        }
    }

    pub fn request_resolved(
        request_id: i64,
        channel: &str,
        touchpoint_id: Option<i64>,
        customer_id: Option<i64>,
    ) -> Event {
        Event {
            kind: EventKind::RequestResolved,
            data: request_data(request_id, channel, touchpoint_id, customer_id),
        }
    }

    /// `answer.received`, and `answer.detractor` beside it for an NPS score of 0 to 6.
    pub fn answer(answer: &AnswerFacts<'_>) -> Vec<Event> {
        let data = serde_json::json!({
            "response_id": answer.response_id,
            "survey_id": answer.survey_id,
            "touchpoint_id": answer.touchpoint_id,
            "channel": answer.channel,
            "request_id": answer.request_id,
            "metric": answer.metric,
            "score": answer.score,
        });
        let mut events = vec![Event {
            kind: EventKind::AnswerReceived,
            data: data.clone(),
        }];
        // NPS: detractors answer 0 to 6 (Reichheld, "The One Number You Need to Grow", 2003).
        if answer.metric == "nps" && (0..=6).contains(&answer.score) {
            events.push(Event {
                kind: EventKind::AnswerDetractor,
                data,
            });
        }
        events
    }

    pub fn campaign_sent(campaign_id: i64, segment_id: i64, mails: u64) -> Event {
        Event {
            kind: EventKind::CampaignSent,
            data: serde_json::json!({
                "campaign_id": campaign_id,
                "segment_id": segment_id,
                "mails": mails,
            }),
        }
    }

    pub fn ping(subscription_id: i64) -> Event {
        Event {
            kind: EventKind::Ping,
            data: serde_json::json!({ "subscription_id": subscription_id }),
        }
    }

    /// The body a delivery sends, the same bytes on every try:
    /// `{"id": …, "type": …, "at": RFC 3339, "data": {…}}`.
    pub fn body(&self, event_id: &str, at: Timestamp) -> String {
        serde_json::json!({
            "id": event_id,
            "type": self.kind.as_str(),
            "at": at.to_string(),
            "data": self.data,
        })
        .to_string()
    }
}

/// What an answer's events tell: ids, the metric and the score. Not the customer: an answer
/// names them only by the reference an integration sent, which may be their e-mail address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerFacts<'a> {
    pub response_id: i64,
    pub survey_id: Option<i64>,
    pub touchpoint_id: i64,
    pub channel: &'a str,
    pub request_id: Option<i64>,
    /// `nps`, `csat` or `ces`.
    pub metric: &'a str,
    pub score: i64,
}

fn request_data(
    request_id: i64,
    channel: &str,
    touchpoint_id: Option<i64>,
    customer_id: Option<i64>,
) -> serde_json::Value {
    serde_json::json!({
        "request_id": request_id,
        "channel": channel,
        "touchpoint_id": touchpoint_id,
        "customer_id": customer_id,
    })
}

/// The longest URL a subscription may have.
pub const URL_MAX: usize = 2000;

/// How long an event and its finished deliveries stay in the delivery log, in days: long
/// enough to look into a receiver's trouble after a holiday, short enough that a busy
/// subscription's log does not grow without end.
pub const LOG_DAYS: i64 = 30;

/// A subscription as an admin writes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SubscriptionInput {
    /// Where the events are POSTed: `https://…`, or `http://…` with `allow_http`.
    pub url: String,
    /// What it wants: `request.created`, `request.resolved`, `answer.received`,
    /// `answer.detractor`, `campaign.sent`.
    pub events: Vec<String>,
    /// Whether events go out; true when left out.
    #[serde(default = "yes")]
    pub active: bool,
    /// Allows a plain `http://` URL, whose events anyone on the way can read.
    #[serde(default)]
    pub allow_http: bool,
    /// Allows the URL's host to resolve to a private, loopback or link-local address, such as
    /// a receiver on the company network.
    #[serde(default)]
    pub allow_private: bool,
}

fn yes() -> bool {
    true
}

/// A subscription, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubscriptionFields {
    pub url: String,
    pub events: Vec<EventKind>,
    pub active: bool,
    pub allow_http: bool,
    pub allow_private: bool,
}

impl SubscriptionInput {
    /// The subscription, or every problem named by its field (`url`, `events`,
    /// `events[2]`). The address a host resolves to is checked at each send, not here: DNS
    /// may answer differently then.
    pub fn validate(&self) -> Result<SubscriptionFields, Problems> {
        let mut problems = Problems::default();
        let url = self.url.trim();
        if let Err(problem) = check_url(url, self.allow_http) {
            problems.push("url", problem);
        }
        let mut events = Vec::new();
        if self.events.is_empty() {
            problems.push("events", Problem::Required);
        }
        for (index, name) in self.events.iter().enumerate() {
            match EventKind::parse(name.trim()).filter(|k| *k != EventKind::Ping) {
                Some(kind) if !events.contains(&kind) => events.push(kind),
                Some(_) => {}
                None => problems.push(
                    format!("events[{index}]"),
                    Problem::Unknown {
                        value: name.clone(),
                        allowed: EventKind::SUBSCRIBABLE
                            .iter()
                            .map(|k| k.as_str().to_owned())
                            .collect(),
                    },
                ),
            }
        }
        events.sort_by_key(|k| EventKind::SUBSCRIBABLE.iter().position(|s| s == k));
        problems.into_result(SubscriptionFields {
            url: url.to_owned(),
            events,
            active: self.active,
            allow_http: self.allow_http,
            allow_private: self.allow_private,
        })
    }
}

fn check_url(url: &str, allow_http: bool) -> Result<(), Problem> {
    if url.is_empty() {
        return Err(Problem::Required);
    }
    if url.chars().count() > URL_MAX {
        return Err(Problem::TooLong { max: URL_MAX });
    }
    let parsed = url::Url::parse(url).map_err(|e| Problem::Invalid {
        reason: format!("is no URL: {e}"),
    })?;
    match parsed.scheme() {
        "https" => {}
        "http" if allow_http => {}
        "http" => {
            return Err(Problem::rule(
                "webhook-http",
                "must start with https:// unless plain http is allowed for this subscription",
            ));
        }
        other => {
            return Err(Problem::rule(
                "webhook-scheme",
                &format!("must be an https:// URL, not {other}:"),
            ));
        }
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(Problem::Invalid {
            reason: "names no host".into(),
        });
    }
    // Credentials in a URL end up in logs and on the page; the signature proves the sender.
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(Problem::rule(
            "webhook-credentials",
            "must not carry a user name or password",
        ));
    }
    if parsed.fragment().is_some() {
        return Err(Problem::Invalid {
            reason: "must not have a #fragment".into(),
        });
    }
    Ok(())
}

/// Where a delivery may go, by the address the host resolved to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressClass {
    /// Reachable on the internet: always allowed.
    Public,
    /// `0.0.0.0`, `::`: "this host" to most systems.
    Unspecified,
    /// `127.0.0.0/8`, `::1`.
    Loopback,
    /// RFC 1918 networks, shared address space (RFC 6598), and the other blocks IANA marks
    /// as not globally reachable (`0.0.0.0/8`, `192.0.0.0/24`, benchmarking, reserved,
    /// documentation, broadcast, IPv6's deprecated site-local and documentation blocks).
    Private,
    /// `169.254.0.0/16` (cloud metadata services live here), `fe80::/10`.
    LinkLocal,
    /// `fc00::/7`.
    UniqueLocal,
    /// `224.0.0.0/4`, `ff00::/8`: not a receiver at all.
    Multicast,
}

impl AddressClass {
    pub fn as_str(self) -> &'static str {
        match self {
            AddressClass::Public => "public",
            AddressClass::Unspecified => "unspecified",
            AddressClass::Loopback => "loopback",
            AddressClass::Private => "private",
            AddressClass::LinkLocal => "link-local",
            AddressClass::UniqueLocal => "unique-local",
            AddressClass::Multicast => "multicast",
        }
    }
}

/// What kind of address `ip` is. An IPv6 address that carries an IPv4 one (IPv4-mapped
/// `::ffff:a.b.c.d`, IPv4-compatible `::a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) is
/// the IPv4 address's class, since that is where the packets end up.
pub fn classify(ip: IpAddr) -> AddressClass {
    match ip {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => classify_v6(v6),
    }
}

/// Whether a delivery may connect to `ip`: a public address, or any but multicast when the
/// subscription allows private ones.
pub fn may_connect(ip: IpAddr, allow_private: bool) -> bool {
    match classify(ip) {
        AddressClass::Public => true,
        AddressClass::Multicast => false,
        _ => allow_private,
    }
}

fn classify_v4(ip: Ipv4Addr) -> AddressClass {
    let [a, b, c, _] = ip.octets();
    if ip.is_unspecified() {
        AddressClass::Unspecified
    } else if ip.is_loopback() {
        AddressClass::Loopback
    } else if ip.is_link_local() {
        AddressClass::LinkLocal
    } else if ip.is_multicast() {
        AddressClass::Multicast
    } else if ip.is_private()
        || a == 0
        // Shared address space of carrier-grade NAT, 100.64.0.0/10.
        || (a == 100 && (64..128).contains(&b))
        // IETF protocol assignments, 192.0.0.0/24.
        || (a == 192 && b == 0 && c == 0)
        // Benchmarking, 198.18.0.0/15.
        || (a == 198 && (b == 18 || b == 19))
        || ip.is_documentation()
        // Reserved 240.0.0.0/4, broadcast included.
        || a >= 240
    {
        AddressClass::Private
    } else {
        AddressClass::Public
    }
}

fn classify_v6(ip: Ipv6Addr) -> AddressClass {
    if ip.is_unspecified() {
        return AddressClass::Unspecified;
    }
    if ip.is_loopback() {
        return AddressClass::Loopback;
    }
    if let Some(v4) = embedded_v4(ip) {
        return classify_v4(v4);
    }
    let first = ip.segments()[0];
    match first {
        _ if ip.is_multicast() => AddressClass::Multicast,
        _ if first & 0xffc0 == 0xfe80 => AddressClass::LinkLocal,
        _ if first & 0xfe00 == 0xfc00 => AddressClass::UniqueLocal,
        // Deprecated site-local fec0::/10, documentation 2001:db8::/32, discard 100::/64.
        _ if first & 0xffc0 == 0xfec0 => AddressClass::Private,
        0x2001 if ip.segments()[1] == 0x0db8 => AddressClass::Private,
        0x0100 if ip.segments()[1..4] == [0, 0, 0] => AddressClass::Private,
        _ => AddressClass::Public,
    }
}

/// The IPv4 address an IPv6 one carries to an IPv4 host, if it does.
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return Some(v4);
    }
    let s = ip.segments();
    let low = |hi: u16, lo: u16| Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo));
    match s {
        // IPv4-compatible ::a.b.c.d (deprecated, but still routed by some stacks).
        [0, 0, 0, 0, 0, 0, hi, lo] => Some(low(hi, lo)),
        // NAT64 well-known prefix 64:ff9b::/96.
        [0x64, 0xff9b, 0, 0, 0, 0, hi, lo] => Some(low(hi, lo)),
        // 6to4 2002:a.b.c.d::/48.
        [0x2002, hi, lo, ..] => Some(low(hi, lo)),
        _ => None,
    }
}

/// The status of a delivery: `queued` until its try comes, `sending` while a server holds it
/// (until its lease ends, when another may take it over), then `delivered`, or `failed` after
/// its last try.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum DeliveryStatus {
    Queued,
    Sending,
    Delivered,
    Failed,
}

impl DeliveryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Queued => "queued",
            DeliveryStatus::Sending => "sending",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<DeliveryStatus> {
        [
            DeliveryStatus::Queued,
            DeliveryStatus::Sending,
            DeliveryStatus::Delivered,
            DeliveryStatus::Failed,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// What a receiver's answer means: a 2xx status is a delivery, any other a failed try (a
/// redirect is not followed: it could lead anywhere, past the address check).
pub fn is_delivered(status: u16) -> bool {
    (200..300).contains(&status)
}

/// The text a delivery's signature covers: its timestamp (unix seconds), a dot, and the
/// body, so that a receiver that checks the timestamp's age also refuses a replayed body.
pub fn signed_text(timestamp: i64, body: &str) -> String {
    format!("{timestamp}.{body}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn class(text: &str) -> AddressClass {
        classify(text.parse().expect("an address"))
    }

    #[test]
    fn addresses_are_classified() {
        for (ip, expected) in [
            ("0.0.0.0", AddressClass::Unspecified),
            ("::", AddressClass::Unspecified),
            ("127.0.0.1", AddressClass::Loopback),
            ("127.255.1.2", AddressClass::Loopback),
            ("::1", AddressClass::Loopback),
            ("10.1.2.3", AddressClass::Private),
            ("172.16.0.1", AddressClass::Private),
            ("172.31.255.255", AddressClass::Private),
            ("192.168.178.1", AddressClass::Private),
            ("100.64.0.1", AddressClass::Private),
            ("0.1.2.3", AddressClass::Private),
            ("255.255.255.255", AddressClass::Private),
            ("169.254.169.254", AddressClass::LinkLocal),
            ("fe80::1", AddressClass::LinkLocal),
            ("fd00::1", AddressClass::UniqueLocal),
            ("fc12::1", AddressClass::UniqueLocal),
            ("224.0.0.1", AddressClass::Multicast),
            ("ff02::1", AddressClass::Multicast),
            ("::ffff:127.0.0.1", AddressClass::Loopback),
            ("::ffff:10.0.0.1", AddressClass::Private),
            ("::ffff:169.254.169.254", AddressClass::LinkLocal),
            ("::127.0.0.1", AddressClass::Loopback),
            ("64:ff9b::10.0.0.1", AddressClass::Private),
            ("2002:c0a8:0101::1", AddressClass::Private),
            ("2001:db8::1", AddressClass::Private),
            ("93.184.215.14", AddressClass::Public),
            ("172.32.0.1", AddressClass::Public),
            ("100.128.0.1", AddressClass::Public),
            ("2a00:1450:4001:82a::200e", AddressClass::Public),
            ("::ffff:93.184.215.14", AddressClass::Public),
        ] {
            assert_eq!(class(ip), expected, "{ip}");
        }
    }

    #[test]
    fn only_public_addresses_without_permission() {
        assert!(may_connect("93.184.215.14".parse().expect("ip"), false));
        assert!(!may_connect("127.0.0.1".parse().expect("ip"), false));
        assert!(may_connect("127.0.0.1".parse().expect("ip"), true));
        assert!(!may_connect("ff02::1".parse().expect("ip"), true));
    }

    proptest! {
        /// An IPv4 address is refused or allowed alike in every IPv6 form that carries it.
        #[test]
        fn ipv6_forms_of_an_ipv4_address_classify_alike(bits in any::<u32>()) {
            let v4 = Ipv4Addr::from(bits);
            let expected = classify(IpAddr::V4(v4));
            prop_assert_eq!(classify(IpAddr::V6(v4.to_ipv6_mapped())), expected);
            let [a, b, c, d] = v4.octets();
            let nat64 = Ipv6Addr::new(0x64, 0xff9b, 0, 0, 0, 0,
                u16::from_be_bytes([a, b]), u16::from_be_bytes([c, d]));
            prop_assert_eq!(classify(IpAddr::V6(nat64)), expected);
        }

        /// Every address in the private, loopback and link-local blocks is refused.
        #[test]
        fn private_blocks_are_refused(host in any::<u32>()) {
            for (net, prefix) in [([10, 0, 0, 0], 8), ([127, 0, 0, 0], 8), ([172, 16, 0, 0], 12),
                                  ([192, 168, 0, 0], 16), ([169, 254, 0, 0], 16)] {
                let mask = u32::MAX >> prefix;
                let ip = Ipv4Addr::from(u32::from(Ipv4Addr::from(net)) | (host & mask));
                prop_assert!(!may_connect(IpAddr::V4(ip), false), "{}", ip);
            }
            let ula = Ipv6Addr::from((0xfd00_u128 << 112) | u128::from(host));
            prop_assert!(!may_connect(IpAddr::V6(ula), false));
        }
    }

    fn input(url: &str, events: &[&str]) -> SubscriptionInput {
        SubscriptionInput {
            url: url.into(),
            events: events.iter().map(|e| (*e).to_owned()).collect(),
            active: true,
            allow_http: false,
            allow_private: false,
        }
    }

    fn fields_of(result: Result<SubscriptionFields, Problems>) -> Vec<String> {
        result
            .expect_err("invalid")
            .0
            .into_iter()
            .map(|p| p.field)
            .collect()
    }

    #[test]
    fn a_subscription_needs_an_https_url_and_known_events() {
        let ok = input(
            " https://hooks.example.com/tp?x=1 ",
            &["request.resolved", "request.created", "request.created"],
        )
        .validate()
        .expect("valid");
        assert_eq!(ok.url, "https://hooks.example.com/tp?x=1");
        assert_eq!(
            ok.events,
            [EventKind::RequestCreated, EventKind::RequestResolved]
        );
        assert_eq!(
            fields_of(input("no url", &["ping"]).validate()),
            ["url", "events[0]"]
        );
        assert_eq!(
            fields_of(input("ftp://x.example/", &["campaign.sent"]).validate()),
            ["url"]
        );
        assert_eq!(
            fields_of(input("http://x.example/", &["campaign.sent"]).validate()),
            ["url"]
        );
        assert_eq!(
            fields_of(input("https://u:p@x.example/", &["campaign.sent"]).validate()),
            ["url"]
        );
        assert_eq!(
            fields_of(input("https://x.example/", &[]).validate()),
            ["events"]
        );
        let http = SubscriptionInput {
            allow_http: true,
            ..input("http://x.example/", &["answer.detractor"])
        };
        assert!(http.validate().is_ok());
    }

    #[test]
    fn detractors_get_a_second_event() {
        let facts = AnswerFacts {
            response_id: 7,
            survey_id: Some(2),
            touchpoint_id: 3,
            channel: "email",
            request_id: Some(9),
            metric: "nps",
            score: 6,
        };
        let kinds =
            |f: &AnswerFacts<'_>| Event::answer(f).iter().map(|e| e.kind).collect::<Vec<_>>();
        assert_eq!(
            kinds(&facts),
            [EventKind::AnswerReceived, EventKind::AnswerDetractor]
        );
        assert_eq!(
            kinds(&AnswerFacts {
                score: 7,
                ..facts.clone()
            }),
            [EventKind::AnswerReceived]
        );
        assert_eq!(
            kinds(&AnswerFacts {
                metric: "csat",
                score: 1,
                ..facts
            }),
            [EventKind::AnswerReceived]
        );
    }

    #[test]
    fn the_body_names_the_event() {
        let at: Timestamp = "2026-03-01T10:00:00Z".parse().expect("instant");
        let body = Event::request_resolved(5, "email", Some(2), None).body("evt-1", at);
        assert_eq!(
            body,
            r#"{"at":"2026-03-01T10:00:00Z","data":{"channel":"email","customer_id":null,"request_id":5,"touchpoint_id":2},"id":"evt-1","type":"request.resolved"}"#
        );
        assert_eq!(signed_text(1700000000, "{}"), "1700000000.{}");
        assert!(is_delivered(204) && !is_delivered(301) && !is_delivered(500));
    }
}
