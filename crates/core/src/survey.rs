//! Surveys at touchpoints, the answers they collect, and the customer events (activity,
//! purchases, cancellations) that retention and revenue are measured from: what each is and
//! how input becomes one, the same for the public survey page, the API and file imports.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::kpi::{CustomerEventKind, Metric};
use crate::problem::{Problem, Problems, check_text};
use crate::records::Record;

pub const QUESTION_MAX: usize = 300;
pub const COMMENT_MAX: usize = 2_000;
pub const CUSTOMER_REF_MAX: usize = 120;
pub const EXTERNAL_ID_MAX: usize = 200;
/// The largest amount of one purchase or refund, in cents either way: 10^12 cents, ten billion
/// in the currency. No real purchase comes near it, and nine million purchases at the limit
/// still add up within `i64`, so a day's or a period's revenue cannot overflow.
pub const AMOUNT_CENTS_MAX: i64 = 1_000_000_000_000;

/// Clocks of other systems run a little ahead; an answer further in the future is a mistake.
const FUTURE_TOLERANCE: SignedDuration = SignedDuration::from_mins(5);

/// The standard question of a metric, as the established definitions word it.
pub fn standard_question(metric: Metric, lang: &str) -> &'static str {
    match (metric, lang) {
        (Metric::Nps, "de") => "Wie wahrscheinlich ist es, dass Sie uns weiterempfehlen?",
        (Metric::Nps, _) => {
            "How likely is it that you would recommend us to a friend or colleague?"
        }
        (Metric::Csat, "de") => "Wie zufrieden waren Sie mit uns?",
        (Metric::Csat, _) => "How satisfied were you with us?",
        (Metric::Ces, "de") => "Wie einfach war es, Ihr Anliegen zu erledigen?",
        (Metric::Ces, _) => "How easy was it to get your issue handled?",
    }
}

/// The standard free-text follow-up.
pub fn standard_follow_up(lang: &str) -> &'static str {
    match lang {
        "de" => "Was ist der wichtigste Grund für Ihre Bewertung?",
        _ => "What is the most important reason for your score?",
    }
}

/// What the ends of a metric's scale mean, for the answer buttons.
pub fn scale_ends(metric: Metric, lang: &str) -> (&'static str, &'static str) {
    match (metric, lang) {
        (Metric::Nps, "de") => ("sehr unwahrscheinlich", "sehr wahrscheinlich"),
        (Metric::Nps, _) => ("not at all likely", "extremely likely"),
        (Metric::Csat, "de") => ("sehr unzufrieden", "sehr zufrieden"),
        (Metric::Csat, _) => ("very dissatisfied", "very satisfied"),
        (Metric::Ces, "de") => ("sehr schwierig", "sehr einfach"),
        (Metric::Ces, _) => ("very difficult", "very easy"),
    }
}

/// A survey as configured: one question of one metric at one touchpoint, in German and
/// English, with an optional free-text follow-up (empty means none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyFields {
    pub touchpoint_id: i64,
    pub metric: Metric,
    /// The channel answers are recorded under; the touchpoint's channel when absent.
    pub channel: Option<String>,
    pub question_de: String,
    pub question_en: String,
    pub follow_up_de: String,
    pub follow_up_en: String,
    /// An inactive survey's page says it is closed and takes no answers.
    pub active: bool,
}

impl SurveyFields {
    pub fn question(&self, lang: &str) -> &str {
        if lang == "de" {
            &self.question_de
        } else {
            &self.question_en
        }
    }

    pub fn follow_up(&self, lang: &str) -> &str {
        if lang == "de" {
            &self.follow_up_de
        } else {
            &self.follow_up_en
        }
    }
}

/// A survey as a form or the API sends it. Empty questions take the standard wording; an
/// absent follow-up takes the standard one, an empty one means none.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyInput {
    pub touchpoint_id: i64,
    pub metric: String,
    #[serde(default)]
    pub channel: Option<String>,
    #[serde(default)]
    pub question_de: String,
    #[serde(default)]
    pub question_en: String,
    #[serde(default)]
    pub follow_up_de: Option<String>,
    #[serde(default)]
    pub follow_up_en: Option<String>,
    #[serde(default)]
    pub active: Option<bool>,
}

impl SurveyInput {
    pub fn validate(&self) -> Result<SurveyFields, Problems> {
        let mut problems = Problems::default();
        let metric = parse_metric(&mut problems, "metric", &self.metric);
        if self.touchpoint_id <= 0 {
            problems.push("touchpoint_id", Problem::Required);
        }
        let channel = self
            .channel
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned);
        let mut text =
            |field: &str, value: &str| check_text(&mut problems, field, value, QUESTION_MAX, false);
        let question_de = text("question_de", &self.question_de);
        let question_en = text("question_en", &self.question_en);
        let follow_up_de = self
            .follow_up_de
            .as_deref()
            .map(|v| text("follow_up_de", v));
        let follow_up_en = self
            .follow_up_en
            .as_deref()
            .map(|v| text("follow_up_en", v));
        let metric = problems.into_result(metric)?.unwrap_or(Metric::Nps);
        let or_standard = |value: String, standard: &str| {
            if value.is_empty() {
                standard.to_owned()
            } else {
                value
            }
        };
        Ok(SurveyFields {
            touchpoint_id: self.touchpoint_id,
            metric,
            channel,
            question_de: or_standard(question_de, standard_question(metric, "de")),
            question_en: or_standard(question_en, standard_question(metric, "en")),
            follow_up_de: follow_up_de.unwrap_or_else(|| standard_follow_up("de").to_owned()),
            follow_up_en: follow_up_en.unwrap_or_else(|| standard_follow_up("en").to_owned()),
            active: self.active.unwrap_or(true),
        })
    }
}

fn parse_metric(problems: &mut Problems, field: &str, value: &str) -> Option<Metric> {
    let metric = Metric::parse(value.trim());
    if metric.is_none() {
        problems.push(
            field,
            if value.trim().is_empty() {
                Problem::Required
            } else {
                Problem::Unknown {
                    value: value.to_owned(),
                    allowed: Metric::ALL.iter().map(|m| m.as_str().to_owned()).collect(),
                }
            },
        );
    }
    metric
}

fn optional_text(
    problems: &mut Problems,
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Option<String> {
    value
        .map(|v| check_text(problems, field, v, max, false))
        .filter(|v| !v.is_empty())
}

fn check_not_future(problems: &mut Problems, field: &str, at: Timestamp, now: Timestamp) {
    if at > now.saturating_add(FUTURE_TOLERANCE).unwrap_or(now) {
        problems.push(
            field,
            Problem::Invalid {
                reason: format!("{at} lies in the future"),
            },
        );
    }
}

/// One answer to store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResponseFields {
    pub touchpoint_id: i64,
    pub survey_id: Option<i64>,
    pub metric: Metric,
    pub score: u8,
    pub comment: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub answered_at: Timestamp,
    /// The touchpoint's (or survey's) channel when absent.
    pub channel: Option<String>,
    pub customer_ref: Option<String>,
    /// Identifies the answer in the system it came from: sending it again changes nothing.
    pub external_id: Option<String>,
    /// The request the answer follows, so that the answer is counted under the request's
    /// channel unless it names its own.
    pub request_id: Option<i64>,
}

/// An answer as the API, an import file or the survey page sends it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResponseInput {
    pub touchpoint_id: i64,
    #[serde(default)]
    pub survey_id: Option<i64>,
    pub metric: String,
    pub score: i64,
    #[serde(default)]
    pub comment: Option<String>,
    /// RFC 3339; now when absent.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub answered_at: Option<Timestamp>,
    #[serde(default)]
    pub channel: Option<String>,
    #[serde(default)]
    pub customer_ref: Option<String>,
    #[serde(default)]
    pub external_id: Option<String>,
    /// The request the answer follows: it must exist.
    #[serde(default)]
    pub request_id: Option<i64>,
}

impl ResponseInput {
    pub fn validate(&self, now: Timestamp) -> Result<ResponseFields, Problems> {
        let mut problems = Problems::default();
        if self.touchpoint_id <= 0 {
            problems.push("touchpoint_id", Problem::Required);
        }
        let metric = parse_metric(&mut problems, "metric", &self.metric);
        let score = metric.and_then(|m| match m.check_score(self.score) {
            Ok(score) => Some(score),
            Err(problem) => {
                problems.push("score", problem);
                None
            }
        });
        let comment = optional_text(
            &mut problems,
            "comment",
            self.comment.as_deref(),
            COMMENT_MAX,
        );
        if self.request_id.is_some_and(|id| id <= 0) {
            problems.push(
                "request_id",
                Problem::OutOfRange {
                    min: 1,
                    max: i64::MAX,
                },
            );
        }
        let answered_at = self.answered_at.unwrap_or(now);
        check_not_future(&mut problems, "answered_at", answered_at, now);
        let channel = optional_text(&mut problems, "channel", self.channel.as_deref(), 60);
        let customer_ref = optional_text(
            &mut problems,
            "customer_ref",
            self.customer_ref.as_deref(),
            CUSTOMER_REF_MAX,
        );
        let external_id = optional_text(
            &mut problems,
            "external_id",
            self.external_id.as_deref(),
            EXTERNAL_ID_MAX,
        );
        match (metric, score) {
            (Some(metric), Some(score)) if problems.is_empty() => Ok(ResponseFields {
                touchpoint_id: self.touchpoint_id,
                survey_id: self.survey_id,
                metric,
                score,
                comment: comment.unwrap_or_default(),
                answered_at,
                channel,
                customer_ref,
                external_id,
                request_id: self.request_id,
            }),
            _ => Err(problems),
        }
    }
}

/// The columns of an answers file, in the order of an export.
pub const RESPONSE_COLUMNS: [&str; 9] = [
    "touchpoint",
    "metric",
    "score",
    "comment",
    "answered_at",
    "channel",
    "customer_ref",
    "external_id",
    "survey_id",
];

/// An answer from a row of a file; `touchpoint` is a touchpoint's id or name, resolved by
/// `find_touchpoint`.
pub fn response_from_record(
    record: &Record,
    find_touchpoint: &dyn Fn(&str) -> Option<i64>,
    now: Timestamp,
) -> Result<ResponseFields, Vec<(String, Problem)>> {
    let mut found: Vec<(String, Problem)> = Vec::new();
    let touchpoint_id = match record.get("touchpoint") {
        None => {
            found.push(("touchpoint".into(), Problem::Required));
            0
        }
        Some(name) => find_touchpoint(name).unwrap_or_else(|| {
            found.push((
                "touchpoint".into(),
                Problem::Invalid {
                    reason: format!("no touchpoint has the name or id \"{name}\""),
                },
            ));
            0
        }),
    };
    let score = match record.get("score").map(str::parse::<i64>) {
        None => {
            found.push(("score".into(), Problem::Required));
            None
        }
        Some(Ok(score)) => Some(score),
        Some(Err(_)) => {
            found.push((
                "score".into(),
                Problem::Invalid {
                    reason: "is not a whole number".into(),
                },
            ));
            None
        }
    };
    let answered_at = parse_instant(record, "answered_at", &mut found);
    let survey_id = match record.get("survey_id").map(str::parse::<i64>) {
        None => None,
        Some(Ok(id)) => Some(id),
        Some(Err(_)) => {
            found.push((
                "survey_id".into(),
                Problem::Invalid {
                    reason: "is not a whole number".into(),
                },
            ));
            None
        }
    };
    let input = ResponseInput {
        touchpoint_id,
        survey_id,
        metric: record.get("metric").unwrap_or_default().to_owned(),
        score: score.unwrap_or_default(),
        comment: record.get("comment").map(str::to_owned),
        answered_at: Some(answered_at.unwrap_or(now)),
        channel: record.get("channel").map(str::to_owned),
        customer_ref: record.get("customer_ref").map(str::to_owned),
        external_id: record.get("external_id").map(str::to_owned),
        request_id: None,
    };
    let validated = input.validate(now);
    match validated {
        Ok(fields) if found.is_empty() => Ok(fields),
        Ok(_) => Err(found),
        Err(problems) => {
            // A field already reported as unreadable is not reported again as out of range.
            for p in problems.0 {
                let column = if p.field == "touchpoint_id" {
                    "touchpoint".to_owned()
                } else {
                    p.field
                };
                if !found.iter().any(|(c, _)| *c == column) {
                    found.push((column, p.problem));
                }
            }
            Err(found)
        }
    }
}

fn parse_instant(
    record: &Record,
    column: &str,
    found: &mut Vec<(String, Problem)>,
) -> Option<Timestamp> {
    let text = record.get(column)?;
    match text.parse::<Timestamp>() {
        Ok(at) => Some(at),
        Err(_) => {
            found.push((
                column.to_owned(),
                Problem::Invalid {
                    reason: format!(
                        "\"{text}\" is no RFC 3339 instant (like 2026-03-02T09:15:00+01:00)"
                    ),
                },
            ));
            None
        }
    }
}

/// A customer event to store: activity and purchases keep a customer in the customer base,
/// a churn (cancellation) takes them out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomerEventFields {
    pub customer_ref: String,
    pub kind: CustomerEventKind,
    pub at: Timestamp,
    /// A purchase's amount in cents (negative for a refund), at most [`AMOUNT_CENTS_MAX`]
    /// either way; 0 for the other kinds.
    pub amount_cents: i64,
    pub external_id: Option<String>,
}

/// A customer event as the API or an import file sends it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerEventInput {
    pub customer_ref: String,
    /// `activity`, `purchase` or `churn`.
    pub kind: String,
    /// RFC 3339; now when absent.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub at: Option<Timestamp>,
    /// In cents, negative for a refund: at most 1000000000000 (10^12) either way.
    /// Required for a purchase, refused for the other kinds.
    #[serde(default)]
    pub amount_cents: Option<i64>,
    #[serde(default)]
    pub external_id: Option<String>,
}

impl CustomerEventInput {
    pub fn validate(&self, now: Timestamp) -> Result<CustomerEventFields, Problems> {
        let mut problems = Problems::default();
        let customer_ref = check_text(
            &mut problems,
            "customer_ref",
            &self.customer_ref,
            CUSTOMER_REF_MAX,
            true,
        );
        let kind = CustomerEventKind::parse(self.kind.trim());
        if kind.is_none() {
            problems.push(
                "kind",
                if self.kind.trim().is_empty() {
                    Problem::Required
                } else {
                    Problem::Unknown {
                        value: self.kind.clone(),
                        allowed: ["activity", "purchase", "churn"]
                            .map(str::to_owned)
                            .to_vec(),
                    }
                },
            );
        }
        match (kind, self.amount_cents) {
            (Some(CustomerEventKind::Purchase), None) => {
                problems.push("amount_cents", Problem::Required);
            }
            (Some(CustomerEventKind::Purchase), Some(0)) => problems.push(
                "amount_cents",
                Problem::Invalid {
                    reason: "a purchase has an amount other than 0".into(),
                },
            ),
            (Some(CustomerEventKind::Purchase), Some(cents))
                if !(-AMOUNT_CENTS_MAX..=AMOUNT_CENTS_MAX).contains(&cents) =>
            {
                problems.push(
                    "amount_cents",
                    Problem::OutOfRange {
                        min: -AMOUNT_CENTS_MAX,
                        max: AMOUNT_CENTS_MAX,
                    },
                );
            }
            (Some(CustomerEventKind::Activity | CustomerEventKind::Churn), Some(_)) => problems
                .push(
                    "amount_cents",
                    Problem::Invalid {
                        reason: "only a purchase has an amount".into(),
                    },
                ),
            _ => {}
        }
        let at = self.at.unwrap_or(now);
        check_not_future(&mut problems, "at", at, now);
        let external_id = optional_text(
            &mut problems,
            "external_id",
            self.external_id.as_deref(),
            EXTERNAL_ID_MAX,
        );
        match kind {
            Some(kind) if problems.is_empty() => Ok(CustomerEventFields {
                customer_ref,
                kind,
                at,
                amount_cents: self.amount_cents.unwrap_or(0),
                external_id,
            }),
            _ => Err(problems),
        }
    }
}

/// The columns of a customer events file.
pub const CUSTOMER_EVENT_COLUMNS: [&str; 5] =
    ["customer_ref", "kind", "at", "amount", "external_id"];

/// A customer event from a row of a file. `amount` is in the currency's units with a decimal
/// point or, as German spreadsheets write it, a decimal comma: "49.90", "49,90", "1.234,50".
pub fn customer_event_from_record(
    record: &Record,
    now: Timestamp,
) -> Result<CustomerEventFields, Vec<(String, Problem)>> {
    let mut found: Vec<(String, Problem)> = Vec::new();
    let at = parse_instant(record, "at", &mut found);
    let amount_cents = record
        .get("amount")
        .and_then(|text| match parse_amount(text) {
            Some(cents) => Some(cents),
            None => {
                found.push((
                    "amount".into(),
                    Problem::Invalid {
                        reason: format!("\"{text}\" is no amount (like 49.90 or 49,90)"),
                    },
                ));
                None
            }
        });
    let input = CustomerEventInput {
        customer_ref: record.get("customer_ref").unwrap_or_default().to_owned(),
        kind: record.get("kind").unwrap_or_default().to_owned(),
        at: Some(at.unwrap_or(now)),
        amount_cents,
        external_id: record.get("external_id").map(str::to_owned),
    };
    match input.validate(now) {
        Ok(fields) if found.is_empty() => Ok(fields),
        Ok(_) => Err(found),
        Err(problems) => {
            for p in problems.0 {
                let (column, problem) = if p.field == "amount_cents" {
                    // The file's column is in the currency's units, not in cents.
                    let problem = match p.problem {
                        Problem::OutOfRange { min, max } => Problem::OutOfRange {
                            min: min / 100,
                            max: max / 100,
                        },
                        other => other,
                    };
                    ("amount".to_owned(), problem)
                } else {
                    (p.field, p.problem)
                };
                if !found.iter().any(|(c, _)| *c == column) {
                    found.push((column, problem));
                }
            }
            Err(found)
        }
    }
}

/// An amount of money in cents from "49.90", "49,90", "-3", "1.234,50" or "1,234.50": the
/// last `.` or `,` followed by one or two digits is the decimal separator, other separators
/// group thousands.
pub fn parse_amount(text: &str) -> Option<i64> {
    let text = text.trim().trim_end_matches(['€', ' ']).trim();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    if digits.is_empty() {
        return None;
    }
    let decimal_at = digits
        .rfind(['.', ','])
        .filter(|&i| (1..=2).contains(&(digits.len() - i - 1)));
    let (whole, fraction) = match decimal_at {
        Some(i) => (&digits[..i], &digits[i + 1..]),
        None => (digits, ""),
    };
    let whole: String = whole.chars().filter(|c| !matches!(c, '.' | ',')).collect();
    if whole.is_empty() && fraction.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !fraction.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let units: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let cents: i64 = match fraction.len() {
        0 => 0,
        1 => fraction.parse::<i64>().ok()? * 10,
        _ => fraction.parse().ok()?,
    };
    let total = units.checked_mul(100)?.checked_add(cents)?;
    Some(if negative { -total } else { total })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::transfer::Format;

    fn now() -> Timestamp {
        "2026-11-23T12:00:00Z".parse().unwrap()
    }

    fn fields_of(problems: &Problems) -> Vec<&str> {
        problems.0.iter().map(|p| p.field.as_str()).collect()
    }

    #[test]
    fn a_survey_without_wording_takes_the_standard_question() {
        let survey = SurveyInput {
            touchpoint_id: 4,
            metric: "NPS".into(),
            ..SurveyInput::default()
        }
        .validate()
        .unwrap();
        assert_eq!(survey.metric, Metric::Nps);
        assert_eq!(
            survey.question("de"),
            "Wie wahrscheinlich ist es, dass Sie uns weiterempfehlen?"
        );
        assert!(survey.active);
        assert_eq!(survey.follow_up("en"), standard_follow_up("en"));
        let no_follow_up = SurveyInput {
            touchpoint_id: 4,
            metric: "ces".into(),
            follow_up_de: Some(String::new()),
            ..SurveyInput::default()
        }
        .validate()
        .unwrap();
        assert_eq!(no_follow_up.follow_up_de, "");
    }

    #[test]
    fn a_survey_names_every_wrong_field() {
        let problems = SurveyInput {
            touchpoint_id: 0,
            metric: "stars".into(),
            question_en: "x".repeat(QUESTION_MAX + 1),
            ..SurveyInput::default()
        }
        .validate()
        .unwrap_err();
        assert_eq!(
            fields_of(&problems),
            ["metric", "touchpoint_id", "question_en"]
        );
    }

    #[test]
    fn an_answer_out_of_its_scale_is_refused_with_the_range() {
        let input = |metric: &str, score: i64| ResponseInput {
            touchpoint_id: 1,
            metric: metric.into(),
            score,
            ..ResponseInput::default()
        };
        assert_eq!(input("nps", 10).validate(now()).unwrap().score, 10);
        assert_eq!(input("nps", 0).validate(now()).unwrap().score, 0);
        for (metric, score, min, max) in [
            ("nps", 11, 0, 10),
            ("nps", -1, 0, 10),
            ("csat", 0, 1, 5),
            ("csat", 6, 1, 5),
            ("ces", 8, 1, 7),
        ] {
            let problems = input(metric, score).validate(now()).unwrap_err();
            assert_eq!(problems.0.len(), 1, "{metric} {score}");
            assert_eq!(problems.0[0].field, "score");
            assert_eq!(problems.0[0].problem, Problem::OutOfRange { min, max });
        }
    }

    #[test]
    fn an_answer_from_the_future_is_refused_but_clock_skew_is_not() {
        let at = |offset: i64| ResponseInput {
            touchpoint_id: 1,
            metric: "csat".into(),
            score: 4,
            answered_at: Some(now() + SignedDuration::from_mins(offset)),
            ..ResponseInput::default()
        };
        assert!(at(4).validate(now()).is_ok());
        assert_eq!(
            fields_of(&at(60).validate(now()).unwrap_err()),
            ["answered_at"]
        );
    }

    #[test]
    fn answer_rows_resolve_touchpoints_and_report_columns() {
        let file = "touchpoint;metric;score;answered_at;comment\n\
                    Hotline;nps;9;2026-11-02T10:00:00+01:00;gut\n\
                    Unbekannt;nps;zehn;gestern;\n\
                    7;csat;9;;\n";
        let records =
            crate::records::read(Format::Csv, file.as_bytes(), &RESPONSE_COLUMNS, &mut |_| {})
                .unwrap();
        let find = |name: &str| match name {
            "Hotline" | "7" => Some(7),
            _ => None,
        };
        let first = response_from_record(&records[0], &find, now()).unwrap();
        assert_eq!((first.touchpoint_id, first.score), (7, 9));
        assert_eq!(first.answered_at, "2026-11-02T09:00:00Z".parse().unwrap());
        let second = response_from_record(&records[1], &find, now()).unwrap_err();
        let columns: Vec<_> = second.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(columns, ["touchpoint", "score", "answered_at"]);
        let third = response_from_record(&records[2], &find, now()).unwrap_err();
        assert_eq!(third[0].0, "score");
        assert_eq!(third[0].1, Problem::OutOfRange { min: 1, max: 5 });
    }

    #[test]
    fn a_purchase_needs_an_amount_and_nothing_else_has_one() {
        let event = |kind: &str, amount: Option<i64>| CustomerEventInput {
            customer_ref: "K-1".into(),
            kind: kind.into(),
            amount_cents: amount,
            ..CustomerEventInput::default()
        };
        assert_eq!(
            event("purchase", Some(4990))
                .validate(now())
                .unwrap()
                .amount_cents,
            4990
        );
        assert_eq!(
            fields_of(&event("purchase", None).validate(now()).unwrap_err()),
            ["amount_cents"]
        );
        assert_eq!(
            fields_of(&event("churn", Some(5)).validate(now()).unwrap_err()),
            ["amount_cents"]
        );
        assert_eq!(
            fields_of(&event("visit", None).validate(now()).unwrap_err()),
            ["kind"]
        );
        let blank = CustomerEventInput::default().validate(now()).unwrap_err();
        assert_eq!(fields_of(&blank), ["customer_ref", "kind"]);
    }

    #[test]
    fn amounts_beyond_ten_billion_are_refused_naming_the_bound() {
        let purchase = |cents: i64| CustomerEventInput {
            customer_ref: "K-1".into(),
            kind: "purchase".into(),
            amount_cents: Some(cents),
            ..CustomerEventInput::default()
        };
        for cents in [AMOUNT_CENTS_MAX, -AMOUNT_CENTS_MAX, 4990, -350] {
            assert_eq!(purchase(cents).validate(now()).unwrap().amount_cents, cents);
        }
        for cents in [
            AMOUNT_CENTS_MAX + 1,
            -AMOUNT_CENTS_MAX - 1,
            i64::MAX,
            i64::MIN,
        ] {
            let problems = purchase(cents).validate(now()).unwrap_err();
            assert_eq!(fields_of(&problems), ["amount_cents"], "{cents}");
            assert_eq!(
                problems.0[0].problem,
                Problem::OutOfRange {
                    min: -1_000_000_000_000,
                    max: 1_000_000_000_000
                }
            );
        }
        // Nine million purchases at the limit still add up within i64.
        assert!(AMOUNT_CENTS_MAX.checked_mul(9_000_000).is_some());
    }

    #[test]
    fn an_amount_in_a_file_beyond_the_bound_is_named_in_units() {
        let file = "customer_ref;kind;at;amount\n\
                    K-1;purchase;2026-11-02T09:00:00Z;92233720368547758,07\n\
                    K-1;purchase;2026-11-02T09:00:00Z;10.000.000.000,00\n\
                    K-1;purchase;2026-11-02T09:00:00Z;-10.000.000.000,01\n";
        let records = crate::records::read(
            Format::Csv,
            file.as_bytes(),
            &CUSTOMER_EVENT_COLUMNS,
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(
            customer_event_from_record(&records[0], now()).unwrap_err(),
            [(
                "amount".to_owned(),
                Problem::OutOfRange {
                    min: -10_000_000_000,
                    max: 10_000_000_000
                }
            )]
        );
        assert_eq!(
            customer_event_from_record(&records[1], now())
                .unwrap()
                .amount_cents,
            AMOUNT_CENTS_MAX
        );
        assert_eq!(
            customer_event_from_record(&records[2], now()).unwrap_err()[0].0,
            "amount"
        );
    }

    #[test]
    fn amounts_are_read_in_german_and_english_notation() {
        for (text, cents) in [
            ("49.90", 4990),
            ("49,90", 4990),
            ("49,9", 4990),
            ("1.234,50", 123_450),
            ("1,234.50", 123_450),
            ("1.234", 123_400),
            ("12", 1200),
            ("-3,50", -350),
            ("7 €", 700),
        ] {
            assert_eq!(parse_amount(text), Some(cents), "{text}");
        }
        for text in ["", "-", "abc", "1,2,3x", "12a"] {
            assert_eq!(parse_amount(text), None, "{text}");
        }
    }
}
