//! Campaigns: a message template sent by e-mail to the members of a segment who consented to
//! marketing mails, each once, at a pace the mail server takes.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::problem::{Problem, Problems, check_text};

/// The longest campaign name, in characters.
pub const NAME_MAX: usize = 120;
/// Mails a minute unless the campaign says otherwise, and the most it may say.
pub const PER_MINUTE_DEFAULT: u32 = 600;
pub const PER_MINUTE_MAX: u32 = 60_000;

fn default_per_minute() -> u32 {
    PER_MINUTE_DEFAULT
}

/// A campaign as given and as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignFields {
    pub name: String,
    /// The segment whose consenting members it goes to.
    pub segment_id: i64,
    /// The message template it sends, filled for each member.
    pub template_id: i64,
    /// How many of its mails go out a minute at most: 1 to 60000.
    #[serde(default = "default_per_minute")]
    pub per_minute: u32,
}

impl CampaignFields {
    /// Checks the name and the pace; problems are named `name` and `per_minute`. That the
    /// segment and the template exist is the store's to say.
    pub fn validate(&self) -> Result<CampaignFields, Problems> {
        let mut problems = Problems::default();
        let name = check_text(&mut problems, "name", &self.name, NAME_MAX, true);
        if !(1..=PER_MINUTE_MAX).contains(&self.per_minute) {
            problems.push(
                "per_minute",
                Problem::OutOfRange {
                    min: 1,
                    max: i64::from(PER_MINUTE_MAX),
                },
            );
        }
        problems.into_result(CampaignFields {
            name,
            ..self.clone()
        })
    }
}

/// When the `index`-th mail of a send that starts at `start` is due, at `per_minute` mails a
/// minute: the outbox takes each no earlier, so a large campaign reaches the mail server
/// spread out rather than all at once.
pub fn due_at(start: Timestamp, index: u64, per_minute: u32) -> Timestamp {
    let micros = i128::from(index) * 60_000_000 / i128::from(per_minute.max(1));
    let offset = SignedDuration::from_micros(i64::try_from(micros).unwrap_or(i64::MAX));
    start.saturating_add(offset).unwrap_or(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> CampaignFields {
        CampaignFields {
            name: "  Frühjahr ".to_owned(),
            segment_id: 1,
            template_id: 2,
            per_minute: 600,
        }
    }

    #[test]
    fn a_campaign_is_trimmed_and_its_pace_bounded() {
        assert_eq!(fields().validate().expect("valid").name, "Frühjahr");
        for per_minute in [0, PER_MINUTE_MAX + 1] {
            let problems = CampaignFields {
                per_minute,
                name: String::new(),
                ..fields()
            }
            .validate()
            .expect_err("invalid");
            let named: Vec<&str> = problems.0.iter().map(|p| p.field.as_str()).collect();
            assert_eq!(named, ["name", "per_minute"]);
        }
    }

    #[test]
    fn mails_are_spread_at_the_pace() {
        let start: Timestamp = "2026-03-01T08:00:00Z".parse().expect("a timestamp");
        assert_eq!(due_at(start, 0, 600), start);
        // 600 a minute: one every 100 ms, the 600th a minute after the first.
        assert_eq!(
            due_at(start, 1, 600),
            start + SignedDuration::from_millis(100)
        );
        assert_eq!(
            due_at(start, 600, 600),
            start + SignedDuration::from_mins(1)
        );
        assert_eq!(due_at(start, 90, 60), start + SignedDuration::from_secs(90));
    }
}
