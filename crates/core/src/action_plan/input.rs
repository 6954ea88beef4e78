//! An action as a person or a program submits it, and its validation: every field checked,
//! every problem named, the result the [`ActionFields`] the store keeps. A change of status
//! is an input of its own ([`StatusChangeInput`]), as it is recorded in the action's history.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{ActionKind, ActionStatus};
use crate::access::USERNAME_MAX;
use crate::problem::{Problem, Problems, check_text};
use crate::survey::AMOUNT_CENTS_MAX;

pub const TITLE_MAX: usize = 200;
pub const GOAL_MAX: usize = 2_000;
pub const TEAM_MAX: usize = 120;
pub const NOTE_MAX: usize = 1_000;
/// Internal resources of one action: 10,000 person-days are some forty people for a year,
/// more than any one action of a touchpoint programme takes.
pub const PERSON_DAYS_MAX: i64 = 10_000;
/// Touchpoints one action concerns, and documented findings it addresses.
pub const TOUCHPOINTS_MAX: usize = 50;
pub const FINDINGS_MAX: usize = 100;
/// Quarters with a budget: ten years of them.
pub const QUARTERS_MAX: usize = 40;
/// The budget of one quarter, planned or spent, in cents: the bound of every amount of money
/// in the product (ten billion), so that forty quarters of many actions still add up within
/// `i64`.
pub const BUDGET_CENTS_MAX: i64 = AMOUNT_CENTS_MAX;
/// How long after its start an action may take to reach its target: ten years.
pub const WITHIN_DAYS_MAX: i64 = 3_650;

/// What an action's target measures. NPS, CSAT and CES are aimed up to a value; the 90th
/// percentile of the response time and the open contradictions down to one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum TargetMetric {
    /// NPS at the action's touchpoints, in points (−100 to 100).
    Nps,
    /// CSAT in percent (0 to 100).
    Csat,
    /// CES as a mean score (1 to 7).
    Ces,
    /// The 90th percentile of the time to the first response, in hours (0 to 8,760).
    ResponseP90Hours,
    /// Open contradictions at the action's touchpoints, a whole number (0 to 10,000).
    OpenContradictions,
}

impl TargetMetric {
    pub const ALL: [TargetMetric; 5] = [
        TargetMetric::Nps,
        TargetMetric::Csat,
        TargetMetric::Ces,
        TargetMetric::ResponseP90Hours,
        TargetMetric::OpenContradictions,
    ];

    /// The stable name used in JSON and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            TargetMetric::Nps => "nps",
            TargetMetric::Csat => "csat",
            TargetMetric::Ces => "ces",
            TargetMetric::ResponseP90Hours => "response_p90_hours",
            TargetMetric::OpenContradictions => "open_contradictions",
        }
    }

    pub fn parse(value: &str) -> Option<TargetMetric> {
        TargetMetric::ALL.into_iter().find(|m| m.as_str() == value)
    }

    /// The values a target of this metric may have, both ends allowed.
    pub fn range(self) -> (i64, i64) {
        match self {
            TargetMetric::Nps => (-100, 100),
            TargetMetric::Csat => (0, 100),
            TargetMetric::Ces => (1, 7),
            // A year: a response target beyond it is no target.
            TargetMetric::ResponseP90Hours => (0, 8_760),
            TargetMetric::OpenContradictions => (0, 10_000),
        }
    }

    /// Whether the target is reached by going up (NPS, CSAT, CES) rather than down.
    pub fn higher_is_better(self) -> bool {
        matches!(
            self,
            TargetMetric::Nps | TargetMetric::Csat | TargetMetric::Ces
        )
    }

    /// Whether the metric counts things, so that its target is a whole number.
    pub fn is_count(self) -> bool {
        self == TargetMetric::OpenContradictions
    }
}

/// A measurable target: the metric at the action's touchpoints reaches `value` within
/// `within_days` days of the action's start (at least the value for NPS, CSAT and CES, at
/// most for the response time and the contradictions).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Target {
    pub metric: TargetMetric,
    pub value: f64,
    /// 1 to 3,650.
    pub within_days: i64,
}

/// A calendar quarter, written `2027-Q1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    pub year: i16,
    /// 1 to 4.
    pub quarter: u8,
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-Q{}", self.year, self.quarter)
    }
}

/// Why a text is no quarter.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is no quarter in the form YYYY-Qn (like 2027-Q1)")]
pub struct NotAQuarter(String);

impl FromStr for Quarter {
    type Err = NotAQuarter;

    /// Exactly four digits of the year, `-Q` and the quarter 1 to 4: what the API's schema
    /// states, so that a text the schema allows is never refused here.
    fn from_str(text: &str) -> Result<Quarter, NotAQuarter> {
        let not = || NotAQuarter(text.to_owned());
        let (year, quarter) = text.split_once("-Q").ok_or_else(not)?;
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return Err(not());
        }
        let quarter = match quarter {
            "1" => 1,
            "2" => 2,
            "3" => 3,
            "4" => 4,
            _ => return Err(not()),
        };
        Ok(Quarter {
            year: year.parse().map_err(|_| not())?,
            quarter,
        })
    }
}

impl Serialize for Quarter {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Quarter {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Quarter, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// The money of one quarter, in cents (EUR): planned, and spent so far. Spending more than
/// planned is allowed; it is what the budget view shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Budget {
    /// 0 to 1000000000000 (10^12).
    #[serde(default)]
    pub planned_cents: i64,
    /// 0 to 1000000000000 (10^12).
    #[serde(default)]
    pub spent_cents: i64,
}

/// An action, validated: what is stored, read and exported.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionFields {
    pub kind: ActionKind,
    pub title: String,
    /// The goal in words.
    pub goal: String,
    pub target: Option<Target>,
    /// The user name of the staff account responsible.
    pub owner: Option<String>,
    pub team: String,
    /// Internal resources, in person-days.
    pub person_days: f64,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub start: Option<Date>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub due: Option<Date>,
    /// The touchpoints the action concerns, ascending.
    pub touchpoint_ids: Vec<i64>,
    /// The documented findings (weaknesses) it addresses, ascending.
    pub finding_ids: Vec<i64>,
    /// Budget by quarter (`2027-Q1`), in order.
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, Budget>))]
    pub budgets: BTreeMap<Quarter, Budget>,
}

impl ActionFields {
    /// The budget planned over every quarter, in cents.
    pub fn planned_cents(&self) -> i64 {
        self.budgets
            .values()
            .map(|b| b.planned_cents)
            .fold(0, i64::saturating_add)
    }
}

/// An action as submitted, before validation. Numbers are wide so that an out-of-range value
/// is reported as such rather than as a type error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionInput {
    pub kind: ActionKind,
    pub title: String,
    #[serde(default)]
    pub goal: String,
    #[serde(default)]
    pub target: Option<Target>,
    /// The user name of an active agent, manager or admin; blank for none.
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub team: String,
    /// 0 to 10,000.
    #[serde(default)]
    pub person_days: f64,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub start: Option<Date>,
    /// On or after the start.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub due: Option<Date>,
    /// At creation the status to begin in (default `planned`). On a replacement, a status
    /// other than the stored one changes it as `POST /api/v1/actions/{id}/status` would,
    /// without a note; absent, it stays.
    #[serde(default)]
    pub status: Option<ActionStatus>,
    /// Ids of touchpoints of the inventory; at least one to optimise or retire. Repeated
    /// ids count once.
    #[serde(default)]
    pub touchpoint_ids: Vec<i64>,
    /// Ids of documented findings the action addresses. Repeated ids count once.
    #[serde(default)]
    pub finding_ids: Vec<i64>,
    /// Budget by quarter, keyed `2027-Q1`.
    #[serde(default)]
    pub budgets: BTreeMap<String, Budget>,
}

impl Default for ActionInput {
    fn default() -> Self {
        ActionInput {
            kind: ActionKind::Optimise,
            title: String::new(),
            goal: String::new(),
            target: None,
            owner: None,
            team: String::new(),
            person_days: 0.0,
            start: None,
            due: None,
            status: None,
            touchpoint_ids: Vec::new(),
            finding_ids: Vec::new(),
            budgets: BTreeMap::new(),
        }
    }
}

/// Ids of records, each at least 1, at most `max` of them; returned ascending without
/// repeats. A list over the limit is refused before its entries are looked at, repeats
/// included, as the API's schema states the limit on the list as sent.
fn check_ids(problems: &mut Problems, field: &str, ids: &[i64], max: usize) -> Vec<i64> {
    if ids.len() > max {
        problems.push(field, Problem::TooMany { max });
        return Vec::new();
    }
    let mut out = Vec::with_capacity(ids.len());
    for (i, &id) in ids.iter().enumerate() {
        if id < 1 {
            problems.push(
                format!("{field}[{i}]"),
                Problem::OutOfRange {
                    min: 1,
                    max: i64::MAX,
                },
            );
        } else {
            out.push(id);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

fn check_amount(problems: &mut Problems, field: String, cents: i64) {
    if !(0..=BUDGET_CENTS_MAX).contains(&cents) {
        problems.push(
            field,
            Problem::OutOfRange {
                min: 0,
                max: BUDGET_CENTS_MAX,
            },
        );
    }
}

impl Target {
    fn check(&self, problems: &mut Problems) {
        let (min, max) = self.metric.range();
        if !(min as f64..=max as f64).contains(&self.value) {
            problems.push("target.value", Problem::OutOfRange { min, max });
        } else if self.metric.is_count() && self.value.fract() != 0.0 {
            problems.push(
                "target.value",
                Problem::rule("whole-number", "counts contradictions: a whole number"),
            );
        }
        if !(1..=WITHIN_DAYS_MAX).contains(&self.within_days) {
            problems.push(
                "target.within_days",
                Problem::OutOfRange {
                    min: 1,
                    max: WITHIN_DAYS_MAX,
                },
            );
        }
    }
}

impl ActionInput {
    /// Checks every field and reports all problems at once. Which touchpoints, findings and
    /// accounts exist is the store's to check.
    pub fn validate(&self) -> Result<ActionFields, Problems> {
        let mut p = Problems::default();
        let title = check_text(&mut p, "title", &self.title, TITLE_MAX, true);
        let goal = check_text(&mut p, "goal", &self.goal, GOAL_MAX, false);
        if let Some(target) = &self.target {
            target.check(&mut p);
        }
        // User names are kept in lower case (see `access::check_username`).
        let owner = self
            .owner
            .as_deref()
            .map(|o| check_text(&mut p, "owner", o, USERNAME_MAX, false).to_lowercase())
            .filter(|o| !o.is_empty());
        let team = check_text(&mut p, "team", &self.team, TEAM_MAX, false);
        if !(0.0..=PERSON_DAYS_MAX as f64).contains(&self.person_days) {
            p.push(
                "person_days",
                Problem::OutOfRange {
                    min: 0,
                    max: PERSON_DAYS_MAX,
                },
            );
        }
        if let (Some(start), Some(due)) = (self.start, self.due)
            && due < start
        {
            p.push(
                "due",
                Problem::rule(
                    "due-before-start",
                    &format!("comes before the start ({start})"),
                ),
            );
        }
        let touchpoint_ids = check_ids(
            &mut p,
            "touchpoint_ids",
            &self.touchpoint_ids,
            TOUCHPOINTS_MAX,
        );
        if touchpoint_ids.is_empty()
            && self.touchpoint_ids.is_empty()
            && matches!(self.kind, ActionKind::Optimise | ActionKind::Retire)
        {
            p.push(
                "touchpoint_ids",
                Problem::rule(
                    "action-needs-touchpoint",
                    "an action that optimises or retires names the touchpoints it concerns",
                ),
            );
        }
        let finding_ids = check_ids(&mut p, "finding_ids", &self.finding_ids, FINDINGS_MAX);
        let mut budgets = BTreeMap::new();
        if self.budgets.len() > QUARTERS_MAX {
            p.push("budgets", Problem::TooMany { max: QUARTERS_MAX });
        } else {
            for (key, budget) in &self.budgets {
                match key.parse::<Quarter>() {
                    Ok(quarter) => {
                        budgets.insert(quarter, *budget);
                    }
                    Err(e) => p.push(
                        format!("budgets.{key}"),
                        Problem::Invalid {
                            reason: e.to_string(),
                        },
                    ),
                }
                check_amount(
                    &mut p,
                    format!("budgets.{key}.planned_cents"),
                    budget.planned_cents,
                );
                check_amount(
                    &mut p,
                    format!("budgets.{key}.spent_cents"),
                    budget.spent_cents,
                );
            }
        }
        p.into_result(ActionFields {
            kind: self.kind,
            title,
            goal,
            target: self.target,
            owner,
            team,
            person_days: self.person_days,
            start: self.start,
            due: self.due,
            touchpoint_ids,
            finding_ids,
            budgets,
        })
    }
}

impl From<&ActionFields> for ActionInput {
    fn from(f: &ActionFields) -> Self {
        ActionInput {
            kind: f.kind,
            title: f.title.clone(),
            goal: f.goal.clone(),
            target: f.target,
            owner: f.owner.clone(),
            team: f.team.clone(),
            person_days: f.person_days,
            start: f.start,
            due: f.due,
            status: None,
            touchpoint_ids: f.touchpoint_ids.clone(),
            finding_ids: f.finding_ids.clone(),
            budgets: f.budgets.iter().map(|(q, b)| (q.to_string(), *b)).collect(),
        }
    }
}

/// A change of an action's status as submitted, with an optional note for its history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusChangeInput {
    pub status: ActionStatus,
    /// Why, for the history: at most 1,000 characters.
    #[serde(default)]
    pub note: String,
    /// Retires anyway although customers used only the action's touchpoints: needed to move
    /// a retire action into progress or done while any did, and recorded in the audit log.
    #[serde(default)]
    pub confirm_retirement: bool,
}

/// A change of status, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    pub status: ActionStatus,
    pub note: String,
    /// What was confirmed to retire anyway, in words, for the audit log.
    pub confirmed: Option<String>,
}

impl StatusChangeInput {
    pub fn validate(&self) -> Result<StatusChange, Problems> {
        let mut p = Problems::default();
        let note = check_text(&mut p, "note", &self.note, NOTE_MAX, false);
        p.into_result(StatusChange {
            status: self.status,
            note,
            confirmed: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;
    use proptest::prelude::*;

    use super::*;

    fn valid() -> ActionInput {
        ActionInput {
            kind: ActionKind::Optimise,
            title: "  Rückrufzeiten der Hotline halbieren ".into(),
            goal: "Kunden warten nicht mehr auf Rückrufe".into(),
            target: Some(Target {
                metric: TargetMetric::ResponseP90Hours,
                value: 4.0,
                within_days: 60,
            }),
            owner: Some(" Carla ".into()),
            team: "Kundenservice".into(),
            person_days: 12.5,
            start: Some(date(2027, 1, 4)),
            due: Some(date(2027, 2, 26)),
            status: None,
            touchpoint_ids: vec![7, 3, 7],
            finding_ids: vec![12],
            budgets: BTreeMap::from([
                (
                    "2027-Q1".into(),
                    Budget {
                        planned_cents: 500_000,
                        spent_cents: 0,
                    },
                ),
                (
                    "2026-Q4".into(),
                    Budget {
                        planned_cents: 0,
                        spent_cents: 12_000,
                    },
                ),
            ]),
        }
    }

    fn fields_of(problems: &Problems) -> Vec<&str> {
        problems.0.iter().map(|p| p.field.as_str()).collect()
    }

    #[test]
    fn a_valid_action_is_trimmed_and_put_in_order() {
        let fields = valid().validate().expect("valid");
        assert_eq!(fields.title, "Rückrufzeiten der Hotline halbieren");
        assert_eq!(fields.owner.as_deref(), Some("carla"));
        assert_eq!(fields.touchpoint_ids, [3, 7]);
        let quarters: Vec<String> = fields.budgets.keys().map(Quarter::to_string).collect();
        assert_eq!(quarters, ["2026-Q4", "2027-Q1"]);
        assert_eq!(fields.planned_cents(), 500_000);
        // What was stored reads back as the input that stores it again.
        assert_eq!(ActionInput::from(&fields).validate(), Ok(fields));
    }

    #[test]
    fn every_problem_is_named_by_its_field() {
        let input = ActionInput {
            kind: ActionKind::Retire,
            title: " \t".into(),
            goal: "x".repeat(GOAL_MAX + 1),
            target: Some(Target {
                metric: TargetMetric::Nps,
                value: 120.0,
                within_days: 0,
            }),
            owner: Some("carla\u{7}".into()),
            team: "Team\u{0}".into(),
            person_days: 10_000.5,
            start: Some(date(2027, 3, 1)),
            due: Some(date(2027, 2, 28)),
            status: None,
            touchpoint_ids: vec![],
            finding_ids: vec![4, 0],
            budgets: BTreeMap::from([
                (
                    "2027-Q5".into(),
                    Budget {
                        planned_cents: -1,
                        spent_cents: BUDGET_CENTS_MAX + 1,
                    },
                ),
                ("2027-Q2".into(), Budget::default()),
            ]),
        };
        let problems = input.validate().expect_err("invalid");
        assert_eq!(
            fields_of(&problems),
            [
                "title",
                "goal",
                "target.value",
                "target.within_days",
                "owner",
                "team",
                "person_days",
                "due",
                "touchpoint_ids",
                "finding_ids[1]",
                "budgets.2027-Q5",
                "budgets.2027-Q5.planned_cents",
                "budgets.2027-Q5.spent_cents",
            ],
            "{problems}"
        );
        assert_eq!(problems.0[0].problem, Problem::Required);
        assert_eq!(
            problems.0[2].problem,
            Problem::OutOfRange {
                min: -100,
                max: 100
            }
        );
        assert_eq!(problems.0[7].message, "comes before the start (2027-03-01)");
        assert_eq!(
            problems.0[10].message,
            "\"2027-Q5\" is no quarter in the form YYYY-Qn (like 2027-Q1)"
        );
    }

    #[test]
    fn a_title_over_the_limit_is_too_long() {
        let input = ActionInput {
            title: "ä".repeat(TITLE_MAX + 1),
            ..valid()
        };
        let problems = input.validate().expect_err("too long");
        assert_eq!(problems.0[0].problem, Problem::TooLong { max: TITLE_MAX });
        // Counted in characters: the limit itself is fine, whatever its bytes.
        let input = ActionInput {
            title: "ä".repeat(TITLE_MAX),
            ..valid()
        };
        assert!(input.validate().is_ok());
    }

    #[test]
    fn a_launch_may_name_no_touchpoint_yet() {
        let launch = ActionInput {
            kind: ActionKind::Launch,
            touchpoint_ids: vec![],
            ..valid()
        };
        assert!(launch.validate().is_ok());
        let optimise = ActionInput {
            touchpoint_ids: vec![],
            ..valid()
        };
        assert_eq!(
            fields_of(&optimise.validate().expect_err("needs one")),
            ["touchpoint_ids"]
        );
    }

    #[test]
    fn targets_are_checked_against_their_metric() {
        let with = |metric, value| ActionInput {
            target: Some(Target {
                metric,
                value,
                within_days: 30,
            }),
            ..valid()
        };
        for (metric, ok, bad) in [
            (TargetMetric::Nps, -100.0, -100.5),
            (TargetMetric::Csat, 100.0, 100.1),
            (TargetMetric::Ces, 1.0, 0.9),
            (TargetMetric::ResponseP90Hours, 0.0, -0.5),
            (TargetMetric::OpenContradictions, 10_000.0, 10_001.0),
        ] {
            assert!(with(metric, ok).validate().is_ok(), "{metric:?} {ok}");
            let problems = with(metric, bad).validate().expect_err("out of range");
            assert_eq!(fields_of(&problems), ["target.value"], "{metric:?} {bad}");
        }
        let half = with(TargetMetric::OpenContradictions, 1.5)
            .validate()
            .expect_err("a count is whole");
        assert_eq!(half.0[0].message, "counts contradictions: a whole number");
    }

    #[test]
    fn too_many_ids_or_quarters_are_refused() {
        let many = ActionInput {
            touchpoint_ids: (1..=51).collect(),
            finding_ids: vec![1; 1_000],
            ..valid()
        };
        let problems = many.validate().expect_err("too many");
        // The list is counted as sent: a thousand times the same finding is too many.
        assert_eq!(fields_of(&problems), ["touchpoint_ids", "finding_ids"]);
        let quarters = ActionInput {
            budgets: (0..41)
                .map(|i| (format!("{}-Q1", 2000 + i), Budget::default()))
                .collect(),
            ..valid()
        };
        assert_eq!(
            fields_of(&quarters.validate().expect_err("too many")),
            ["budgets"]
        );
    }

    #[test]
    fn unknown_fields_are_refused_and_defaults_filled() {
        let read: Result<ActionInput, _> =
            serde_json::from_str(r#"{"kind": "launch", "title": "App", "priority": 1}"#);
        assert!(read.is_err());
        let read: ActionInput =
            serde_json::from_str(r#"{"kind": "launch", "title": "App", "start": "2027-01-04"}"#)
                .expect("read");
        assert_eq!(read.start, Some(date(2027, 1, 4)));
        assert_eq!(read.person_days, 0.0);
        assert!(read.budgets.is_empty());
    }

    #[test]
    fn a_note_is_checked_like_any_text() {
        let change = StatusChangeInput {
            status: ActionStatus::Done,
            note: " fertig ".into(),
            confirm_retirement: false,
        };
        assert_eq!(change.validate().expect("valid").note, "fertig");
        let long = StatusChangeInput {
            status: ActionStatus::Done,
            note: "x".repeat(NOTE_MAX + 1),
            confirm_retirement: false,
        };
        assert_eq!(
            long.validate().expect_err("too long").0[0].problem,
            Problem::TooLong { max: NOTE_MAX }
        );
    }

    proptest! {
        /// A quarter reads back as it is written, and only the written form reads.
        #[test]
        fn quarters_read_back_as_written(year in 0i16..=9999, quarter in 1u8..=4) {
            let q = Quarter { year, quarter };
            prop_assert_eq!(q.to_string().parse::<Quarter>(), Ok(q));
        }

        #[test]
        fn any_other_text_is_no_quarter(text in "\\PC{0,12}") {
            let bytes = text.as_bytes();
            let well_formed = bytes.len() == 7
                && bytes[..4].iter().all(u8::is_ascii_digit)
                && &bytes[4..6] == b"-Q"
                && (b'1'..=b'4').contains(&bytes[6]);
            prop_assert_eq!(text.parse::<Quarter>().is_ok(), well_formed);
        }
    }
}
