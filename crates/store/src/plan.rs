//! A request's plan under the queue's rules: when its targets are due and its rank key. The
//! store plans a request whenever it changes, and every open one when the rules change, so
//! the queue's order is an index scan.

use jiff::{SignedDuration, Timestamp};
use touchpoints_core::queue::{SlaPolicy, policy_for};
use touchpoints_core::request::{Priority, RequestStatus};

pub type Calendar = serde_json::Value;
pub type Weights = serde_json::Value;

/// The rules every plan follows.
#[derive(Debug, Clone)]
pub(crate) struct Rules {
    pub policies: Vec<SlaPolicy>,
    #[allow(dead_code)]
    pub calendar: Calendar,
    #[allow(dead_code)]
    pub weights: Weights,
}

/// What a plan depends on.
#[derive(Debug, Clone)]
pub(crate) struct Facts<'a> {
    pub channel: &'a str,
    pub priority: Priority,
    pub status: RequestStatus,
    pub received_at: Timestamp,
    pub first_response_at: Option<Timestamp>,
    pub pauses: &'a [(Timestamp, Option<Timestamp>)],
    #[allow(dead_code)]
    pub lifetime_value_cents: i64,
    #[allow(dead_code)]
    pub segments: &'a [String],
    #[allow(dead_code)]
    pub subject: &'a str,
    #[allow(dead_code)]
    pub body: &'a str,
    #[allow(dead_code)]
    pub language: &'a str,
    #[allow(dead_code)]
    pub earlier_contacts: i64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Plan {
    pub first_response_due: Option<Timestamp>,
    pub resolution_due: Option<Timestamp>,
    pub next_due: Option<Timestamp>,
    pub static_points: f64,
    pub rank_key: i64,
}

fn due(
    start: Timestamp,
    minutes: i64,
    pauses: &[(Timestamp, Option<Timestamp>)],
) -> Option<Timestamp> {
    let mut paused = SignedDuration::ZERO;
    for (from, until) in pauses {
        paused += until.as_ref()?.duration_since(*from);
    }
    start
        .checked_add(SignedDuration::from_mins(minutes) + paused)
        .ok()
}

pub(crate) fn plan(rules: &Rules, facts: &Facts<'_>) -> Plan {
    let policy = policy_for(&rules.policies, facts.channel, facts.priority);
    let first_response_due =
        policy.and_then(|p| due(facts.received_at, p.first_response_minutes, facts.pauses));
    let resolution_due =
        policy.and_then(|p| due(facts.received_at, p.resolution_minutes, facts.pauses));
    let next_due = match facts.status {
        RequestStatus::Resolved => None,
        _ if facts.first_response_at.is_none() => first_response_due,
        _ => resolution_due,
    };
    let static_points = match facts.priority {
        Priority::Urgent => 30.0,
        Priority::High => 20.0,
        Priority::Normal => 10.0,
        Priority::Low => 0.0,
    };
    let anchor = next_due.unwrap_or(facts.received_at).as_second();
    Plan {
        first_response_due,
        resolution_due,
        next_due,
        static_points,
        rank_key: (static_points as i64) * 3600 - anchor,
    }
}
