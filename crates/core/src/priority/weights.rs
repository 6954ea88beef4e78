//! How many points each signal is worth: the organisation's setting, with sensible defaults.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::catalog::check_key;
use crate::problem::{Problem, Problems};

/// The points of every signal. Missing fields take their default, unknown fields are refused.
///
/// Points are kept to a thousandth (see [`super::rank_key`]); `time_per_hour` is used to a
/// thousandth of a point per hour.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Weights {
    /// Points a request gains per hour its due time comes closer, and keeps gaining once
    /// overdue.
    pub time_per_hour: f64,
    /// Hours before the due time at which the time part is zero: further out it is
    /// negative, closer it is positive.
    pub horizon_hours: f64,
    /// Points per 1,000 euros of the customer's lifetime value.
    pub value_per_1000_eur: f64,
    /// Most points the lifetime value can give.
    pub value_cap: f64,
    /// Points per customer segment, by segment key (`premium`, `vip`); each segment of a
    /// customer counts.
    pub segments: BTreeMap<String, f64>,
    /// Points when the text asks for haste ("dringend", "asap"), once per request.
    pub urgent: f64,
    /// Points when the customer is angry, disappointed or threatens to leave, once per
    /// request.
    pub negative: f64,
    /// Points per channel, by channel key (`phone`, `letter`).
    pub channels: BTreeMap<String, f64>,
    /// Points per earlier contact of the customer in the last seven days.
    pub repeat_contact: f64,
    /// Earlier contacts counted at most.
    pub repeat_cap: u32,
}

impl Default for Weights {
    /// An hour closer is worth 10 points, so a VIP (25) is served as if 2.5 hours closer to
    /// the due time and an urgent request (20) as if two hours.
    fn default() -> Self {
        Weights {
            time_per_hour: 10.0,
            horizon_hours: 8.0,
            value_per_1000_eur: 1.0,
            value_cap: 20.0,
            segments: BTreeMap::from([("premium".to_owned(), 15.0), ("vip".to_owned(), 25.0)]),
            urgent: 20.0,
            negative: 10.0,
            channels: BTreeMap::from([
                ("phone".to_owned(), 5.0),
                ("chat".to_owned(), 5.0),
                ("letter".to_owned(), -5.0),
            ]),
            repeat_contact: 5.0,
            repeat_cap: 3,
        }
    }
}

/// The most points one weight may give or take: enough to outweigh days of waiting, small
/// enough that no sum of weights leaves the range scores are kept in.
const MAX_POINTS: i64 = 1000;
const MAX_HORIZON_HOURS: i64 = 24 * 30;
const MAX_REPEAT_CAP: i64 = 100;
/// Segments or channels at most; more are a mistake, not a setting.
const MAX_TABLE_ENTRIES: usize = 100;

impl Weights {
    /// Checks every weight and reports all problems at once, each named by its field
    /// (`time_per_hour`, `segments.premium`).
    pub fn validate(&self) -> Result<(), Problems> {
        let mut problems = Problems::default();
        check_points(
            &mut problems,
            "time_per_hour",
            self.time_per_hour,
            0,
            MAX_POINTS,
        );
        check_points(
            &mut problems,
            "horizon_hours",
            self.horizon_hours,
            0,
            MAX_HORIZON_HOURS,
        );
        check_points(
            &mut problems,
            "value_per_1000_eur",
            self.value_per_1000_eur,
            0,
            MAX_POINTS,
        );
        check_points(&mut problems, "value_cap", self.value_cap, 0, MAX_POINTS);
        check_table(&mut problems, "segments", &self.segments);
        // A negative weight for urgency or anger would serve the calm first: no setting means
        // that.
        check_points(&mut problems, "urgent", self.urgent, 0, MAX_POINTS);
        check_points(&mut problems, "negative", self.negative, 0, MAX_POINTS);
        check_table(&mut problems, "channels", &self.channels);
        check_points(
            &mut problems,
            "repeat_contact",
            self.repeat_contact,
            0,
            MAX_POINTS,
        );
        if i64::from(self.repeat_cap) > MAX_REPEAT_CAP {
            problems.push(
                "repeat_cap",
                Problem::OutOfRange {
                    min: 0,
                    max: MAX_REPEAT_CAP,
                },
            );
        }
        problems.into_result(())
    }
}

fn check_points(problems: &mut Problems, field: &str, value: f64, min: i64, max: i64) {
    if !value.is_finite() {
        problems.push(
            field,
            Problem::rule("not-a-number", "must be a finite number"),
        );
    } else if value < min as f64 || value > max as f64 {
        problems.push(field, Problem::OutOfRange { min, max });
    }
}

/// Segment and channel tables: keys as the catalog writes them (so a lookup by the lower-case
/// key finds them), points either way.
fn check_table(problems: &mut Problems, name: &str, table: &BTreeMap<String, f64>) {
    if table.len() > MAX_TABLE_ENTRIES {
        problems.push(
            name,
            Problem::TooMany {
                max: MAX_TABLE_ENTRIES,
            },
        );
        return;
    }
    for (key, points) in table {
        if key.trim().is_empty() {
            // A blank key named as the field `segments.` would read as the whole table
            // being required.
            problems.push(name, Problem::rule("blank-key", "a key is blank"));
            continue;
        }
        let field = format!("{name}.{key}");
        let before = problems.0.len();
        check_key(problems, &field, key);
        if problems.0.len() == before && key.trim() != key {
            problems.push(
                &field,
                Problem::rule("key-spaces", "must not start or end with spaces"),
            );
        }
        check_points(problems, &field, *points, -MAX_POINTS, MAX_POINTS);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::FieldProblem;

    #[test]
    fn the_defaults_are_valid() {
        assert_eq!(Weights::default().validate(), Ok(()));
    }

    #[test]
    fn every_problem_names_its_field() {
        let mut weights = Weights {
            time_per_hour: -1.0,
            horizon_hours: f64::INFINITY,
            value_cap: f64::NAN,
            urgent: 1000.5,
            repeat_cap: 101,
            ..Weights::default()
        };
        weights.segments.insert("premium".into(), 2000.0);
        weights.segments.insert("Gold Kunden".into(), 5.0);
        weights.channels.insert("letter".into(), -1001.0);
        let problems = weights.validate().expect_err("invalid").0;
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            vec![
                "time_per_hour",
                "horizon_hours",
                "value_cap",
                "segments.Gold Kunden",
                "segments.premium",
                "urgent",
                "channels.letter",
                "repeat_cap"
            ]
        );
        assert_eq!(
            problems[0],
            FieldProblem::new("time_per_hour", Problem::OutOfRange { min: 0, max: 1000 })
        );
        assert_eq!(problems[1].message, "must be a finite number");
        assert_eq!(
            problems[4].problem,
            Problem::OutOfRange {
                min: -1000,
                max: 1000
            }
        );
    }

    #[test]
    fn a_blank_key_is_named_by_its_table() {
        let mut weights = Weights::default();
        weights.segments.insert(String::new(), 5.0);
        let problems = weights.validate().expect_err("invalid").0;
        assert_eq!(
            problems[0],
            FieldProblem::new("segments", Problem::rule("blank-key", "a key is blank"))
        );
    }

    #[test]
    fn a_key_with_spaces_around_it_would_never_be_found() {
        let mut weights = Weights::default();
        weights.segments.insert(" gold".into(), 5.0);
        let problems = weights.validate().expect_err("invalid").0;
        assert_eq!(problems[0].field, "segments. gold");
    }

    #[test]
    fn too_many_segments_are_refused_at_once() {
        let weights = Weights {
            segments: (0..200).map(|i| (format!("s{i}"), 1.0)).collect(),
            ..Weights::default()
        };
        let problems = weights.validate().expect_err("invalid").0;
        assert_eq!(
            problems,
            vec![FieldProblem::new("segments", Problem::TooMany { max: 100 })]
        );
    }

    #[test]
    fn missing_fields_take_defaults_and_unknown_ones_are_refused() {
        let weights: Weights =
            serde_json::from_str(r#"{"urgent": 30, "channels": {"email": 2}}"#).expect("parses");
        assert_eq!(weights.urgent, 30.0);
        assert_eq!(weights.time_per_hour, 10.0);
        assert_eq!(weights.channels.len(), 1);
        assert!(serde_json::from_str::<Weights>(r#"{"urgnet": 30}"#).is_err());
    }
}
