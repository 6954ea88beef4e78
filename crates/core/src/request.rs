//! A customer request: what comes in on any channel (e-mail, phone, chat, social media,
//! store, web form, letter), lands in the one queue and is worked to its resolution.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::customer::{Identifier, IdentifiersInput, NAME_MAX, check_language};
use crate::problem::{Problem, Problems, check_text};

pub const SUBJECT_MAX: usize = 300;
pub const BODY_MAX: usize = 100_000;
pub const EXTERNAL_ID_MAX: usize = 200;
pub const SOURCE_MAX: usize = 200;
/// A received time this far ahead of the server's clock is a clock error, not a request.
pub const FUTURE_SLACK: SignedDuration = SignedDuration::from_mins(5);

/// How urgent a request is, as its sender or an agent says.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Priority {
    Low,
    #[default]
    Normal,
    High,
    Urgent,
}

impl Priority {
    pub const ALL: [Priority; 4] = [
        Priority::Low,
        Priority::Normal,
        Priority::High,
        Priority::Urgent,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Normal => "normal",
            Priority::High => "high",
            Priority::Urgent => "urgent",
        }
    }

    pub fn parse(text: &str) -> Option<Priority> {
        Priority::ALL.into_iter().find(|p| p.as_str() == text)
    }
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RequestStatus {
    /// Waiting for the company.
    Open,
    /// Waiting for the customer: the SLA clock is paused.
    Waiting,
    Resolved,
}

impl RequestStatus {
    pub const ALL: [RequestStatus; 3] = [
        RequestStatus::Open,
        RequestStatus::Waiting,
        RequestStatus::Resolved,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatus::Open => "open",
            RequestStatus::Waiting => "waiting",
            RequestStatus::Resolved => "resolved",
        }
    }

    pub fn parse(text: &str) -> Option<RequestStatus> {
        RequestStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// Who sent the request: a name and the identifiers that find their profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestCustomer {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// Any usual spelling; stored in E.164, German numbers without country code assumed.
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub customer_number: Option<String>,
    /// A device or cookie id.
    #[serde(default)]
    pub device: Option<String>,
    /// A social media handle, optionally with its network (`instagram:@name`).
    #[serde(default)]
    pub social: Option<String>,
}

/// A request as an integration sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestInput {
    /// Key of a channel (`email`, `phone`, `chat`, `social-media`, `store`, `website`,
    /// `letter`); `e-mail`, `social` and `web-form` are understood too.
    pub channel: String,
    /// The touchpoint, by id; without it, the touchpoint mapped to channel and `source`.
    #[serde(default)]
    pub touchpoint_id: Option<i64>,
    /// Where on the channel it arrived (a mailbox, a hotline number, a store), for the
    /// mapping to a touchpoint.
    #[serde(default)]
    pub source: Option<String>,
    pub customer: RequestCustomer,
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub body: String,
    /// When the customer sent it; now if left out.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub received_at: Option<Timestamp>,
    #[serde(default)]
    pub language: Option<String>,
    /// The id in the sending system: sending the same request again changes nothing.
    #[serde(default)]
    pub external_id: Option<String>,
    #[serde(default)]
    pub priority: Option<Priority>,
    /// The `Message-ID` of the customer's e-mail (`<…@…>`, the brackets may be left out):
    /// replies by e-mail answer it, so the customer's mail client shows them in one
    /// conversation with it.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^<?[^\s<>@\x00-\x1F\x7F-\x9F]+@[^\s<>@\x00-\x1F\x7F-\x9F]+>?$",
            max_length = 996
        )
    )]
    pub message_id: Option<String>,
}

/// A `Message-ID` in its angle brackets (added when left out), or `None` for a text that is
/// none: one `@` between a local part and a domain, no spaces or control characters, at
/// most 996 characters.
fn message_id(raw: &str) -> Option<String> {
    let inner = raw.strip_prefix('<').unwrap_or(raw);
    let inner = inner.strip_suffix('>').unwrap_or(inner);
    let (local, domain) = inner.split_once('@')?;
    let fits = !local.is_empty()
        && !domain.is_empty()
        && !domain.contains('@')
        && inner.chars().count() <= 996
        && !inner
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>'));
    fits.then(|| format!("<{inner}>"))
}

/// A request, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewRequest {
    pub channel: String,
    pub touchpoint_id: Option<i64>,
    pub source: String,
    pub customer_name: String,
    pub identifiers: Vec<Identifier>,
    pub subject: String,
    pub body: String,
    /// `None`: when it is stored.
    pub received_at: Option<Timestamp>,
    pub language: String,
    pub external_id: Option<String>,
    pub priority: Priority,
    /// For requests of the past (an import): when they were first answered and resolved.
    pub first_response_at: Option<Timestamp>,
    pub resolved_at: Option<Timestamp>,
    /// The customer's e-mail's `Message-ID`, in angle brackets.
    pub message_id: Option<String>,
}

/// What a stored request was sent with, to tell a retry from a different request under the
/// same external id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentContent<'a> {
    pub channel: &'a str,
    pub touchpoint_id: Option<i64>,
    pub source: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub received_at: Timestamp,
    pub language: &'a str,
    pub priority: Priority,
}

/// Channel names integrations use for the catalog's keys.
fn channel_alias(text: &str) -> &str {
    match text {
        "e-mail" | "mail" => "email",
        "social" => "social-media",
        "web-form" | "webform" | "web_form" | "form" => "website",
        "telephone" => "phone",
        other => other,
    }
}

impl RequestInput {
    pub fn validate(&self, catalog: &Catalog, now: Timestamp) -> Result<NewRequest, Problems> {
        let mut p = Problems::default();
        let request = self.validate_into(&mut p, "", catalog, now);
        p.into_result(request)
    }

    /// Like [`RequestInput::validate`], each field named `{prefix}{field}`.
    pub fn validate_into(
        &self,
        p: &mut Problems,
        prefix: &str,
        catalog: &Catalog,
        now: Timestamp,
    ) -> NewRequest {
        let f = |name: &str| format!("{prefix}{name}");
        let raw_channel = self.channel.trim().to_lowercase();
        let channel = channel_alias(&raw_channel).to_owned();
        if channel.is_empty() {
            p.push(f("channel"), Problem::Required);
        } else if catalog.channel(&channel).is_none() {
            p.push(
                f("channel"),
                Problem::Unknown {
                    value: self.channel.clone(),
                    allowed: catalog
                        .channels_in_order()
                        .iter()
                        .map(|c| c.key.clone())
                        .collect(),
                },
            );
        }
        if let Some(id) = self.touchpoint_id
            && id <= 0
        {
            p.push(
                f("touchpoint_id"),
                Problem::OutOfRange {
                    min: 1,
                    max: i64::MAX,
                },
            );
        }
        let source = check_text(
            p,
            &f("source"),
            self.source.as_deref().unwrap_or(""),
            SOURCE_MAX,
            false,
        )
        .to_lowercase();
        let c = &self.customer;
        let customer_name = check_text(
            p,
            &f("customer.name"),
            c.name.as_deref().unwrap_or(""),
            NAME_MAX,
            false,
        );
        let identifiers = IdentifiersInput {
            email: c.email.clone(),
            phone: c.phone.clone(),
            customer_number: c.customer_number.clone(),
            device: c.device.clone(),
            social: c.social.clone(),
        };
        let before = p.0.len();
        let identifiers = identifiers.validate(p, &f("customer."));
        if identifiers.is_empty() && p.0.len() == before {
            p.push(
                f("customer"),
                Problem::rule(
                    "customer-identifier-required",
                    "needs at least one of email, phone, customer_number, device, social",
                ),
            );
        }
        let subject = check_text(p, &f("subject"), &self.subject, SUBJECT_MAX, false);
        let body = check_text(p, &f("body"), &self.body, BODY_MAX, false);
        if subject.is_empty() && body.is_empty() {
            p.push(
                f("body"),
                Problem::rule("request-empty", "a request needs a subject or a body"),
            );
        }
        if let Some(at) = self.received_at
            && at.duration_since(now) > FUTURE_SLACK
        {
            p.push(
                f("received_at"),
                Problem::rule("in-the-future", "lies in the future"),
            );
        }
        let language = check_language(p, &f("language"), self.language.as_deref().unwrap_or(""));
        let external_id = self
            .external_id
            .as_deref()
            .map(|id| check_text(p, &f("external_id"), id, EXTERNAL_ID_MAX, false))
            .filter(|id| !id.is_empty());
        let message_id = self
            .message_id
            .as_deref()
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .and_then(|id| match message_id(id) {
                Some(id) => Some(id),
                None => {
                    p.push(
                        f("message_id"),
                        Problem::Invalid {
                            reason: "is no Message-ID (<local@domain>, at most 996 characters)"
                                .into(),
                        },
                    );
                    None
                }
            });
        NewRequest {
            channel,
            touchpoint_id: self.touchpoint_id,
            source,
            customer_name,
            identifiers,
            subject,
            body,
            received_at: self.received_at,
            language,
            external_id,
            priority: self.priority.unwrap_or_default(),
            message_id,
            first_response_at: None,
            resolved_at: None,
        }
    }
}

impl NewRequest {
    /// The first field in which this request differs from what a stored one was sent
    /// with; `None` for a retry of it. A left-out received time matches any.
    pub fn differs_from(&self, stored: &SentContent<'_>) -> Option<&'static str> {
        if self.channel != stored.channel {
            return Some("channel");
        }
        if self.touchpoint_id.is_some() && self.touchpoint_id != stored.touchpoint_id {
            return Some("touchpoint_id");
        }
        if self.source != stored.source {
            return Some("source");
        }
        if self.subject != stored.subject {
            return Some("subject");
        }
        if self.body != stored.body {
            return Some("body");
        }
        if self.received_at.is_some_and(|at| at != stored.received_at) {
            return Some("received_at");
        }
        if self.language != stored.language {
            return Some("language");
        }
        if self.priority != stored.priority {
            return Some("priority");
        }
        None
    }
}

/// An agent's step on a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RequestAction {
    /// To a user by name; `None` gives it back to the team.
    Assign {
        to: Option<String>,
    },
    /// An answer to the customer; the first one is the first response.
    Reply {
        body: String,
    },
    /// A note for colleagues; the customer does not see it.
    Note {
        body: String,
    },
    /// Waiting for the customer: the SLA clock stops.
    Wait,
    /// The customer answered or the wait is over: the clock runs again.
    Resume,
    Resolve,
    Reopen,
    SetPriority {
        priority: Priority,
    },
}

impl RequestAction {
    pub fn name(&self) -> &'static str {
        match self {
            RequestAction::Assign { .. } => "assign",
            RequestAction::Reply { .. } => "reply",
            RequestAction::Note { .. } => "note",
            RequestAction::Wait => "wait",
            RequestAction::Resume => "resume",
            RequestAction::Resolve => "resolve",
            RequestAction::Reopen => "reopen",
            RequestAction::SetPriority { .. } => "set_priority",
        }
    }

    /// Checks the texts an action carries.
    pub fn validate(&self) -> Result<RequestAction, Problems> {
        let mut p = Problems::default();
        let action = match self {
            RequestAction::Reply { body } => RequestAction::Reply {
                body: check_text(&mut p, "body", body, BODY_MAX, true),
            },
            RequestAction::Note { body } => RequestAction::Note {
                body: check_text(&mut p, "body", body, BODY_MAX, true),
            },
            RequestAction::Assign { to } => RequestAction::Assign {
                to: to
                    .as_deref()
                    .map(|t| t.trim().to_lowercase())
                    .filter(|t| !t.is_empty()),
            },
            other => other.clone(),
        };
        p.into_result(action)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::catalog::{default_channels, default_phases};

    fn catalog() -> Catalog {
        Catalog {
            channels: default_channels(),
            phases: default_phases(),
        }
    }

    fn now() -> Timestamp {
        "2026-11-23T10:00:00Z".parse().expect("instant")
    }

    fn input() -> RequestInput {
        RequestInput {
            channel: "e-mail".into(),
            customer: RequestCustomer {
                name: Some(" Anna Schulz ".into()),
                email: Some("Anna@Example.de".into()),
                ..RequestCustomer::default()
            },
            subject: "Lieferung".into(),
            body: "Wo bleibt mein Sofa?".into(),
            external_id: Some("mail-1".into()),
            ..RequestInput::default()
        }
    }

    #[test]
    fn a_valid_request_is_normalised() {
        let request = input().validate(&catalog(), now()).expect("valid");
        assert_eq!(request.channel, "email");
        assert_eq!(request.customer_name, "Anna Schulz");
        assert_eq!(request.identifiers[0].value, "anna@example.de");
        assert_eq!(request.priority, Priority::Normal);
    }

    #[test]
    fn every_bad_field_is_named_with_its_prefix() {
        let bad = RequestInput {
            channel: "fax".into(),
            customer: RequestCustomer {
                phone: Some("12".into()),
                ..RequestCustomer::default()
            },
            subject: String::new(),
            body: String::new(),
            received_at: Some("2026-11-24T10:00:00Z".parse().expect("instant")),
            language: Some("deutsch".into()),
            ..RequestInput::default()
        };
        let mut p = Problems::default();
        bad.validate_into(&mut p, "requests[3].", &catalog(), now());
        let fields: Vec<&str> = p.0.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "requests[3].channel",
                "requests[3].customer.phone",
                "requests[3].body",
                "requests[3].received_at",
                "requests[3].language",
            ]
        );
    }

    #[test]
    fn a_request_needs_someone_to_answer() {
        let mut anonymous = input();
        anonymous.customer = RequestCustomer::default();
        let problems = anonymous.validate(&catalog(), now()).expect_err("invalid");
        assert_eq!(problems.0[0].field, "customer");
    }

    #[test]
    fn a_retry_is_told_from_a_different_request() {
        let request = input().validate(&catalog(), now()).expect("valid");
        let stored = SentContent {
            channel: "email",
            touchpoint_id: Some(4),
            source: "",
            subject: "Lieferung",
            body: "Wo bleibt mein Sofa?",
            received_at: now(),
            language: "",
            priority: Priority::Normal,
        };
        assert_eq!(request.differs_from(&stored), None);
        let changed = SentContent {
            body: "anders",
            ..stored
        };
        assert_eq!(request.differs_from(&changed), Some("body"));
    }

    #[test]
    fn replies_need_text() {
        let reply = RequestAction::Reply { body: "  ".into() };
        assert_eq!(reply.validate().expect_err("empty").0[0].field, "body");
    }

    #[test]
    fn a_message_id_is_kept_in_angle_brackets_or_refused() {
        assert_eq!(
            message_id("abc.1@mail.example").as_deref(),
            Some("<abc.1@mail.example>")
        );
        assert_eq!(
            message_id("<abc.1@mail.example>").as_deref(),
            Some("<abc.1@mail.example>")
        );
        for bad in [
            "abc",
            "<@mail.example>",
            "a b@c",
            "a@b@c",
            "a@b>\r\nBcc: x@y",
        ] {
            assert_eq!(message_id(bad), None, "{bad}");
        }
    }
}
