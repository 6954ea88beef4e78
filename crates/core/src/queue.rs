//! The queue's rules: SLA policies (response targets per channel and priority), and the plan
//! of a request under them — when its targets are due and where it ranks.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::priority::{self, Cues, Signals, Weights};
use crate::problem::{Problem, Problems};
use crate::request::{Priority, RequestStatus};
use crate::sla::{Calendar, CalendarInput, Hours, Pause, WeekHoursInput, due_at};

/// The longest target a policy takes: a year.
pub const TARGET_MAX_MINUTES: i64 = 366 * 24 * 60;
/// How long before its due time a request counts as at risk, unless configured.
pub const AT_RISK_DEFAULT_MINUTES: i64 = 60;

/// How an open request stands against its next due target at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Risk {
    /// No target due within the warning window, or nothing due at all.
    OnTrack,
    /// A target falls due within the warning window and has not passed.
    AtRisk,
    /// A target has passed unmet.
    Breached,
}

impl Risk {
    pub fn as_str(self) -> &'static str {
        match self {
            Risk::OnTrack => "on-track",
            Risk::AtRisk => "at-risk",
            Risk::Breached => "breached",
        }
    }
}

/// Where a request stands at `now` when its next target falls due at `next_due` and the
/// organisation warns `window` ahead. Only an open request runs against a target: one that
/// waits for the customer or is resolved is on track whatever its due time says.
pub fn risk(
    status: RequestStatus,
    next_due: Option<Timestamp>,
    now: Timestamp,
    window: SignedDuration,
) -> Risk {
    match next_due {
        Some(due) if status == RequestStatus::Open && due < now => Risk::Breached,
        Some(due) if status == RequestStatus::Open && due.duration_since(now) <= window => {
            Risk::AtRisk
        }
        _ => Risk::OnTrack,
    }
}

/// Response targets for the requests of one channel and priority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlaPolicy {
    pub channel: String,
    pub priority: Priority,
    /// Time to the first response, in minutes of the counted hours.
    pub first_response_minutes: i64,
    /// Time to the resolution, in minutes of the counted hours.
    pub resolution_minutes: i64,
    /// Counted around the clock (a channel that promises 24/7) rather than in the
    /// organisation's business hours.
    pub around_the_clock: bool,
}

impl SlaPolicy {
    /// Checks the targets and the channel against the catalog.
    pub fn validate(self, catalog: &Catalog) -> Result<SlaPolicy, Problems> {
        let mut p = Problems::default();
        if catalog.channel(&self.channel).is_none() {
            p.push(
                "channel",
                Problem::Unknown {
                    value: self.channel.clone(),
                    allowed: catalog.channels.iter().map(|c| c.key.clone()).collect(),
                },
            );
        }
        for (field, value) in [
            ("first_response_minutes", self.first_response_minutes),
            ("resolution_minutes", self.resolution_minutes),
        ] {
            if !(1..=TARGET_MAX_MINUTES).contains(&value) {
                p.push(
                    field,
                    Problem::OutOfRange {
                        min: 1,
                        max: TARGET_MAX_MINUTES,
                    },
                );
            }
        }
        if p.is_empty() && self.resolution_minutes < self.first_response_minutes {
            p.push(
                "resolution_minutes",
                Problem::rule(
                    "resolution-before-response",
                    "must not be shorter than the first-response target",
                ),
            );
        }
        p.into_result(self)
    }
}

/// The policy for a request: the one of its channel and priority.
pub fn policy_for<'a>(
    policies: &'a [SlaPolicy],
    channel: &str,
    priority: Priority,
) -> Option<&'a SlaPolicy> {
    policies
        .iter()
        .find(|p| p.channel == channel && p.priority == priority)
}

/// How the queue works beyond its policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueOptions {
    /// A request due within this many minutes is at risk.
    pub at_risk_minutes: i64,
}

impl Default for QueueOptions {
    fn default() -> Self {
        QueueOptions {
            at_risk_minutes: AT_RISK_DEFAULT_MINUTES,
        }
    }
}

impl QueueOptions {
    pub fn validate(self) -> Result<QueueOptions, Problems> {
        let mut p = Problems::default();
        if !(1..=7 * 24 * 60).contains(&self.at_risk_minutes) {
            p.push(
                "at_risk_minutes",
                Problem::OutOfRange {
                    min: 1,
                    max: 7 * 24 * 60,
                },
            );
        }
        p.into_result(self)
    }
}

/// The calendar of an organisation that set none: Europe/Berlin, Monday to Friday
/// 08:00–18:00, no public holidays (the state is not known).
pub fn default_calendar() -> Calendar {
    let day = || "08:00-18:00".to_owned();
    CalendarInput {
        time_zone: "Europe/Berlin".into(),
        hours: WeekHoursInput {
            monday: day(),
            tuesday: day(),
            wednesday: day(),
            thursday: day(),
            friday: day(),
            ..WeekHoursInput::default()
        },
        public_holidays: None,
        custom_holidays: Vec::new(),
    }
    .validate()
    .expect("the default calendar is valid")
}

/// The rules every plan follows.
#[derive(Debug, Clone)]
pub struct Rules {
    pub policies: Vec<SlaPolicy>,
    pub calendar: Calendar,
    pub weights: Weights,
}

/// What is known about a request when it is planned.
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    pub channel: &'a str,
    pub priority: Priority,
    pub status: RequestStatus,
    pub received_at: Timestamp,
    pub first_response_at: Option<Timestamp>,
    pub pauses: &'a [(Timestamp, Option<Timestamp>)],
    pub lifetime_value_cents: i64,
    pub segments: &'a [String],
    pub subject: &'a str,
    pub body: &'a str,
    pub language: &'a str,
    /// Contacts of the customer in the seven days before.
    pub earlier_contacts: i64,
}

/// When a request's targets are due and where it ranks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plan {
    pub first_response_due: Option<Timestamp>,
    pub resolution_due: Option<Timestamp>,
    /// The target that is next: the first response until there is one, then the resolution;
    /// `None` when resolved, paused, or without a policy.
    pub next_due: Option<Timestamp>,
    pub static_points: f64,
    pub rank_key: i64,
}

/// Where a request without a due time ranks: as if due this long after it came in.
pub const UNTARGETED_DUE: SignedDuration = SignedDuration::from_hours(24);

/// Where a paused or resolved request ranks: below every request that waits for the company.
pub const PARKED_RANK: i64 = i64::MIN / 2;

impl Facts<'_> {
    /// The priority signals of the request, due at `due_at`.
    pub fn signals(&self, due_at: Option<Timestamp>) -> Signals<'_> {
        Signals {
            due_at,
            lifetime_value_cents: self.lifetime_value_cents,
            segments: self.segments,
            subject: self.subject,
            body: self.body,
            language: (!self.language.is_empty()).then_some(self.language),
            channel: self.channel,
            earlier_contacts: u32::try_from(self.earlier_contacts.max(0)).unwrap_or(u32::MAX),
        }
    }
}

/// Plans a request: its due times under the policy of its channel and priority (counted in
/// the calendar's business hours, or around the clock), and its rank key under the weights.
pub fn plan(rules: &Rules, facts: &Facts<'_>, cues: &Cues) -> Plan {
    let policy = policy_for(&rules.policies, facts.channel, facts.priority);
    let pauses: Vec<Pause> = facts
        .pauses
        .iter()
        .map(|&(from, until)| Pause { from, until })
        .collect();
    let due = |minutes: i64, hours: &Hours| {
        due_at(
            hours,
            facts.received_at,
            SignedDuration::from_mins(minutes),
            &pauses,
        )
    };
    let (first_response_due, resolution_due) = match policy {
        Some(p) => {
            let hours = if p.around_the_clock {
                Hours::AlwaysOpen
            } else {
                Hours::Business(rules.calendar.clone())
            };
            (
                due(p.first_response_minutes, &hours),
                due(p.resolution_minutes, &hours),
            )
        }
        None => (None, None),
    };
    let next_due = match facts.status {
        RequestStatus::Resolved => None,
        _ if facts.first_response_at.is_none() => first_response_due,
        _ => resolution_due,
    };
    let (static_points, _) =
        priority::static_points(&facts.signals(next_due), &rules.weights, cues);
    let rank_key = match facts.status {
        RequestStatus::Open => {
            let due = next_due.unwrap_or_else(|| {
                facts
                    .received_at
                    .checked_add(UNTARGETED_DUE)
                    .unwrap_or(facts.received_at)
            });
            priority::rank_key(static_points, due, &rules.weights)
        }
        RequestStatus::Waiting | RequestStatus::Resolved => {
            PARKED_RANK.saturating_add((static_points * 1000.0) as i64)
        }
    };
    Plan {
        first_response_due,
        resolution_due,
        next_due,
        static_points,
        rank_key,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{default_channels, default_phases};

    fn at(text: &str) -> Timestamp {
        text.parse().expect("instant")
    }

    #[test]
    fn risk_turns_at_the_window_and_at_the_due_time() {
        let due = at("2026-03-02T12:00:00Z");
        let hour = SignedDuration::from_hours(1);
        let open = RequestStatus::Open;
        assert_eq!(
            risk(open, Some(due), at("2026-03-02T10:59:59Z"), hour),
            Risk::OnTrack
        );
        assert_eq!(
            risk(open, Some(due), at("2026-03-02T11:00:00Z"), hour),
            Risk::AtRisk
        );
        // Due exactly now is not yet missed.
        assert_eq!(risk(open, Some(due), due, hour), Risk::AtRisk);
        assert_eq!(
            risk(open, Some(due), at("2026-03-02T12:00:01Z"), hour),
            Risk::Breached
        );
        assert_eq!(risk(open, None, due, hour), Risk::OnTrack);
        // Waiting for the customer or resolved: no clock runs.
        for status in [RequestStatus::Waiting, RequestStatus::Resolved] {
            assert_eq!(
                risk(status, Some(due), at("2026-03-03T00:00:00Z"), hour),
                Risk::OnTrack
            );
        }
        assert_eq!(Risk::AtRisk.as_str(), "at-risk");
    }

    fn rules(around_the_clock: bool) -> Rules {
        Rules {
            policies: vec![SlaPolicy {
                channel: "email".into(),
                priority: Priority::Normal,
                first_response_minutes: 4 * 60,
                resolution_minutes: 16 * 60,
                around_the_clock,
            }],
            calendar: default_calendar(),
            weights: Weights::default(),
        }
    }

    fn facts<'a>(received: &'a str, pauses: &'a [(Timestamp, Option<Timestamp>)]) -> Facts<'a> {
        Facts {
            channel: "email",
            priority: Priority::Normal,
            status: RequestStatus::Open,
            received_at: at(received),
            first_response_at: None,
            pauses,
            lifetime_value_cents: 0,
            segments: &[],
            subject: "Frage",
            body: "Wann kommt die Lieferung?",
            language: "de",
            earlier_contacts: 0,
        }
    }

    #[test]
    fn a_friday_afternoon_request_is_due_on_monday() {
        let cues = Cues::new();
        // Friday 2026-11-20, 16:00 in Berlin (15:00 UTC): two hours on Friday, two on Monday.
        let plan = plan(&rules(false), &facts("2026-11-20T15:00:00Z", &[]), &cues);
        assert_eq!(plan.first_response_due, Some(at("2026-11-23T09:00:00Z")));
        assert_eq!(plan.next_due, plan.first_response_due);
        let around = super::plan(&rules(true), &facts("2026-11-20T15:00:00Z", &[]), &cues);
        assert_eq!(around.first_response_due, Some(at("2026-11-20T19:00:00Z")));
    }

    #[test]
    fn a_waiting_request_has_no_due_time_and_ranks_last() {
        let cues = Cues::new();
        let pauses = [(at("2026-11-23T09:00:00Z"), None)];
        let mut waiting = facts("2026-11-23T08:00:00Z", &pauses);
        waiting.status = RequestStatus::Waiting;
        let parked = plan(&rules(false), &waiting, &cues);
        assert_eq!(parked.next_due, None);
        let open = plan(&rules(false), &facts("2026-11-23T08:00:00Z", &[]), &cues);
        assert!(open.rank_key > parked.rank_key);
    }

    #[test]
    fn sooner_due_ranks_higher() {
        let cues = Cues::new();
        let early = plan(&rules(true), &facts("2026-11-23T08:00:00Z", &[]), &cues);
        let late = plan(&rules(true), &facts("2026-11-23T09:00:00Z", &[]), &cues);
        assert!(early.rank_key > late.rank_key);
    }

    fn catalog() -> Catalog {
        Catalog {
            channels: default_channels(),
            phases: default_phases(),
        }
    }

    #[test]
    fn policies_name_bad_fields() {
        let bad = SlaPolicy {
            channel: "fax".into(),
            priority: Priority::High,
            first_response_minutes: 0,
            resolution_minutes: 60,
            around_the_clock: false,
        };
        let fields: Vec<String> = bad
            .validate(&catalog())
            .expect_err("invalid")
            .0
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(fields, ["channel", "first_response_minutes"]);
        let backwards = SlaPolicy {
            channel: "email".into(),
            priority: Priority::High,
            first_response_minutes: 120,
            resolution_minutes: 60,
            around_the_clock: false,
        };
        assert_eq!(
            backwards.validate(&catalog()).expect_err("invalid").0[0].field,
            "resolution_minutes"
        );
    }
}
