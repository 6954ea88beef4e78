//! The queue's rules: SLA policies (response targets per channel and priority), and the plan
//! of a request under them — when its targets are due and where it ranks.

use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::problem::{Problem, Problems};
use crate::request::Priority;

/// The longest target a policy takes: a year.
pub const TARGET_MAX_MINUTES: i64 = 366 * 24 * 60;
/// How long before its due time a request counts as at risk, unless configured.
pub const AT_RISK_DEFAULT_MINUTES: i64 = 60;

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
