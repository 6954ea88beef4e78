//! Segments: a saved selection of customers by rules over their profile and their history
//! with the company (last contact, channels used, their latest NPS answer, open requests).
//!
//! A rule is a field, an operator and a value, as a form or a JSON body gives them. Every
//! field has two operators, one the negation of the other, so that "has not used the phone"
//! is as easy to say as "has". Rules are combined with *all* (and) or *any* (or). A segment
//! without rules holds every customer.

use std::collections::BTreeSet;

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::customer::{CustomerFields, check_language};
use crate::problem::{Problem, Problems, check_text};

/// The longest segment name, in characters.
pub const NAME_MAX: usize = 120;
/// The most rules one segment has.
pub const RULES_MAX: usize = 20;
/// The longest rule value, in characters.
const VALUE_MAX: usize = 200;
/// The most days a contact rule looks back.
const DAYS_MAX: i64 = 3650;

/// How a segment's rules combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Combine {
    /// A customer must meet every rule.
    #[default]
    All,
    /// A customer must meet at least one rule.
    Any,
}

impl Combine {
    pub fn as_str(self) -> &'static str {
        match self {
            Combine::All => "all",
            Combine::Any => "any",
        }
    }

    pub fn parse(text: &str) -> Option<Combine> {
        [Combine::All, Combine::Any]
            .into_iter()
            .find(|c| c.as_str() == text)
    }
}

/// One rule as given: `{"field": "lifetime_value", "op": "at_least", "value": "500"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SegmentRule {
    /// One of [`Field::ALL`]'s names.
    pub field: String,
    /// One of the field's two operators (see [`Field::ops`]).
    pub op: String,
    /// A segment tag, an amount in euros, a language code, a region, a number of days, a
    /// channel key, `promoter`/`passive`/`detractor`, a number of requests, or a consent
    /// (`email_marketing`, `phone_marketing`, `personalisation`).
    #[serde(default)]
    pub value: String,
}

/// A segment as given and as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SegmentFields {
    pub name: String,
    #[serde(default)]
    pub combine: Combine,
    #[serde(default)]
    pub rules: Vec<SegmentRule>,
}

/// What a rule reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// A segment tag of the profile (`premium`).
    Segment,
    /// The profile's lifetime value, in euros.
    LifetimeValue,
    Language,
    /// The profile's attribute `region`.
    Region,
    /// The customer's last request or answer, in days before now.
    LastContact,
    /// A channel the customer wrote or answered through.
    Channel,
    /// The category of the customer's latest NPS answer.
    Nps,
    /// Requests not yet resolved.
    OpenRequests,
    /// A consent the customer gave.
    Consent,
}

impl Field {
    pub const ALL: [Field; 9] = [
        Field::Segment,
        Field::LifetimeValue,
        Field::Language,
        Field::Region,
        Field::LastContact,
        Field::Channel,
        Field::Nps,
        Field::OpenRequests,
        Field::Consent,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Field::Segment => "segment",
            Field::LifetimeValue => "lifetime_value",
            Field::Language => "language",
            Field::Region => "region",
            Field::LastContact => "last_contact",
            Field::Channel => "channel",
            Field::Nps => "nps",
            Field::OpenRequests => "open_requests",
            Field::Consent => "consent",
        }
    }

    pub fn parse(text: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.as_str() == text)
    }

    /// The field's operators: the one that holds when the test holds, and its negation.
    pub fn ops(self) -> [&'static str; 2] {
        match self {
            Field::Segment => ["has", "lacks"],
            Field::LifetimeValue | Field::OpenRequests => ["at_least", "below"],
            Field::Language | Field::Region | Field::Nps => ["is", "is_not"],
            Field::LastContact => ["within_days", "not_within_days"],
            Field::Channel => ["used", "not_used"],
            Field::Consent => ["given", "not_given"],
        }
    }
}

/// The category of an NPS answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum NpsCategory {
    /// 9–10.
    Promoter,
    /// 7–8.
    Passive,
    /// 0–6.
    Detractor,
}

impl NpsCategory {
    pub const ALL: [NpsCategory; 3] = [
        NpsCategory::Promoter,
        NpsCategory::Passive,
        NpsCategory::Detractor,
    ];

    pub fn of(score: u8) -> NpsCategory {
        match score {
            9.. => NpsCategory::Promoter,
            7..=8 => NpsCategory::Passive,
            _ => NpsCategory::Detractor,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            NpsCategory::Promoter => "promoter",
            NpsCategory::Passive => "passive",
            NpsCategory::Detractor => "detractor",
        }
    }
}

/// The consents a rule can ask for.
const CONSENTS: [&str; 3] = ["email_marketing", "phone_marketing", "personalisation"];

/// What a rule tests, its value parsed.
#[derive(Debug, Clone, PartialEq)]
enum Test {
    Segment(String),
    LifetimeValueAtLeast(i64),
    Language(String),
    Region(String),
    ContactWithin(SignedDuration),
    Channel(String),
    Nps(NpsCategory),
    OpenRequestsAtLeast(u64),
    Consent(&'static str),
}

/// A rule ready to test: its test, and whether the operator negates it.
#[derive(Debug, Clone, PartialEq)]
struct Condition {
    test: Test,
    negated: bool,
}

/// A customer as segments see them: the profile, and what their history says.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerFacts {
    pub id: i64,
    pub fields: CustomerFields,
    /// The newest of their requests and answers.
    pub last_contact: Option<Timestamp>,
    /// The channels of their requests and answers.
    pub channels: BTreeSet<String>,
    /// The category of their latest NPS answer.
    pub nps: Option<NpsCategory>,
    pub open_requests: u64,
    /// Whether the profile holds an e-mail address: a campaign can reach them.
    pub has_email: bool,
}

impl CustomerFacts {
    /// Whether a campaign may write to them: an e-mail address, and consent to marketing
    /// mails.
    pub fn reachable(&self) -> bool {
        self.has_email && self.fields.consent.email_marketing
    }
}

/// A segment's rules, checked and ready to test customers with.
#[derive(Debug, Clone)]
pub struct Selection {
    combine: Combine,
    conditions: Vec<Condition>,
}

impl SegmentFields {
    /// Checks the name and every rule; problems are named `name`, `rules`,
    /// `rules[i].field`, `rules[i].op` and `rules[i].value`. Returns the segment as stored:
    /// trimmed, a language in lower case, an amount in whole cents written back as euros.
    /// Channels are the caller's to check against the catalog (see [`SegmentFields::channels`]).
    pub fn validate(&self) -> Result<SegmentFields, Problems> {
        let mut problems = Problems::default();
        let name = check_text(&mut problems, "name", &self.name, NAME_MAX, true);
        if self.rules.len() > RULES_MAX {
            problems.push("rules", Problem::TooMany { max: RULES_MAX });
            return Err(problems);
        }
        let mut rules = Vec::with_capacity(self.rules.len());
        for (i, rule) in self.rules.iter().enumerate() {
            if let Some((rule, _)) = check_rule(&mut problems, &format!("rules[{i}]"), rule) {
                rules.push(rule);
            }
        }
        problems.into_result(SegmentFields {
            name,
            combine: self.combine,
            rules,
        })
    }

    /// The channel keys the rules name, with each rule's index.
    pub fn channels(&self) -> impl Iterator<Item = (usize, &str)> {
        self.rules
            .iter()
            .enumerate()
            .filter(|(_, r)| r.field == Field::Channel.as_str())
            .map(|(i, r)| (i, r.value.as_str()))
    }

    /// The rules ready to test customers with; problems as [`SegmentFields::validate`] names them.
    pub fn selection(&self) -> Result<Selection, Problems> {
        let mut problems = Problems::default();
        let conditions = self
            .rules
            .iter()
            .enumerate()
            .filter_map(|(i, rule)| check_rule(&mut problems, &format!("rules[{i}]"), rule))
            .map(|(_, condition)| condition)
            .collect();
        problems.into_result(Selection {
            combine: self.combine,
            conditions,
        })
    }
}

/// Checks one rule: the rule as stored and its condition, or `None` with its problems pushed.
fn check_rule(
    problems: &mut Problems,
    at: &str,
    rule: &SegmentRule,
) -> Option<(SegmentRule, Condition)> {
    let Some(field) = Field::parse(rule.field.trim()) else {
        problems.push(
            format!("{at}.field"),
            Problem::Unknown {
                value: rule.field.clone(),
                allowed: Field::ALL.iter().map(|f| f.as_str().to_owned()).collect(),
            },
        );
        return None;
    };
    let ops = field.ops();
    let Some(negated) = ops
        .iter()
        .position(|op| *op == rule.op.trim())
        .map(|i| i == 1)
    else {
        problems.push(
            format!("{at}.op"),
            Problem::Unknown {
                value: rule.op.clone(),
                allowed: ops.iter().map(|op| (*op).to_owned()).collect(),
            },
        );
        return None;
    };
    let value_field = format!("{at}.value");
    let before = problems.0.len();
    let raw = check_text(problems, &value_field, &rule.value, VALUE_MAX, true);
    if problems.0.len() > before {
        return None;
    }
    let whole = |problems: &mut Problems, max: i64| -> Option<i64> {
        match raw.parse::<i64>() {
            Ok(n) if (0..=max).contains(&n) => Some(n),
            _ => {
                problems.push(value_field.clone(), Problem::OutOfRange { min: 0, max });
                None
            }
        }
    };
    let (test, value) = match field {
        Field::Segment => (Test::Segment(raw.to_lowercase()), raw),
        Field::Region => (Test::Region(raw.to_lowercase()), raw),
        Field::LifetimeValue => {
            let cents = euros_to_cents(&raw).filter(|c| *c >= 0);
            let Some(cents) = cents else {
                problems.push(
                    value_field,
                    Problem::rule("amount", "must be an amount in euros, such as 500 or 49.90"),
                );
                return None;
            };
            let value = format!("{}.{:02}", cents / 100, cents % 100);
            (Test::LifetimeValueAtLeast(cents), value)
        }
        Field::Language => {
            let code = check_language(problems, &value_field, &raw);
            if problems.0.len() > before {
                return None;
            }
            (Test::Language(code.clone()), code)
        }
        Field::LastContact => {
            let days = whole(problems, DAYS_MAX)?;
            (
                Test::ContactWithin(SignedDuration::from_hours(days * 24)),
                days.to_string(),
            )
        }
        Field::Channel => (Test::Channel(raw.clone()), raw),
        Field::Nps => {
            let Some(category) = NpsCategory::ALL
                .into_iter()
                .find(|c| c.as_str() == raw.to_lowercase())
            else {
                problems.push(
                    value_field,
                    Problem::Unknown {
                        value: raw,
                        allowed: NpsCategory::ALL
                            .iter()
                            .map(|c| c.as_str().to_owned())
                            .collect(),
                    },
                );
                return None;
            };
            (Test::Nps(category), category.as_str().to_owned())
        }
        Field::OpenRequests => {
            let n = whole(problems, 1_000_000)?;
            (Test::OpenRequestsAtLeast(n.unsigned_abs()), n.to_string())
        }
        Field::Consent => {
            let Some(kind) = CONSENTS.into_iter().find(|c| *c == raw) else {
                problems.push(
                    value_field,
                    Problem::Unknown {
                        value: raw,
                        allowed: CONSENTS.iter().map(|c| (*c).to_owned()).collect(),
                    },
                );
                return None;
            };
            (Test::Consent(kind), kind.to_owned())
        }
    };
    Some((
        SegmentRule {
            field: field.as_str().to_owned(),
            op: ops[usize::from(negated)].to_owned(),
            value,
        },
        Condition { test, negated },
    ))
}

/// "500", "49.9", "49,90" (German decimal comma) as cents; `None` for anything else or more
/// than two decimals.
fn euros_to_cents(raw: &str) -> Option<i64> {
    let raw = raw.replace(',', ".");
    let (whole, fraction) = raw.split_once('.').unwrap_or((&raw, ""));
    if whole.is_empty() || fraction.len() > 2 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let cents = format!("{fraction:0<2}").parse::<i64>().ok()?;
    whole
        .parse::<i64>()
        .ok()?
        .checked_mul(100)?
        .checked_add(cents)
}

impl Selection {
    /// Whether the customer belongs to the segment at `now`.
    pub fn holds(&self, customer: &CustomerFacts, now: Timestamp) -> bool {
        let mut results = self.conditions.iter().map(|c| c.holds(customer, now));
        match self.combine {
            Combine::All => results.all(|r| r),
            Combine::Any => self.conditions.is_empty() || results.any(|r| r),
        }
    }
}

impl Condition {
    fn holds(&self, c: &CustomerFacts, now: Timestamp) -> bool {
        let fields = &c.fields;
        let test = match &self.test {
            Test::Segment(tag) => fields.segments.iter().any(|s| s.to_lowercase() == *tag),
            Test::LifetimeValueAtLeast(cents) => fields.lifetime_value_cents >= *cents,
            Test::Language(code) => fields.language == *code,
            Test::Region(region) => fields
                .attributes
                .get("region")
                .is_some_and(|r| r.trim().to_lowercase() == *region),
            Test::ContactWithin(span) => c
                .last_contact
                .is_some_and(|at| now.duration_since(at) <= *span),
            Test::Channel(key) => c.channels.contains(key),
            Test::Nps(category) => c.nps == Some(*category),
            Test::OpenRequestsAtLeast(n) => c.open_requests >= *n,
            Test::Consent(kind) => match *kind {
                "email_marketing" => fields.consent.email_marketing,
                "phone_marketing" => fields.consent.phone_marketing,
                _ => fields.consent.personalisation,
            },
        };
        test != self.negated
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(field: &str, op: &str, value: &str) -> SegmentRule {
        SegmentRule {
            field: field.to_owned(),
            op: op.to_owned(),
            value: value.to_owned(),
        }
    }

    fn segment(combine: Combine, rules: Vec<SegmentRule>) -> Selection {
        SegmentFields {
            name: "Test".to_owned(),
            combine,
            rules,
        }
        .selection()
        .expect("valid rules")
    }

    fn now() -> Timestamp {
        "2026-06-30T12:00:00Z".parse().expect("a timestamp")
    }

    fn customer() -> CustomerFacts {
        let mut fields = CustomerFields {
            name: "Anna Schulz".to_owned(),
            language: "de".to_owned(),
            segments: vec!["Premium".to_owned()],
            lifetime_value_cents: 120_000,
            ..CustomerFields::default()
        };
        fields
            .attributes
            .insert("region".to_owned(), "Nord".to_owned());
        fields.consent.email_marketing = true;
        CustomerFacts {
            id: 1,
            fields,
            last_contact: Some("2026-06-20T12:00:00Z".parse().expect("a timestamp")),
            channels: ["email".to_owned()].into(),
            nps: Some(NpsCategory::Promoter),
            open_requests: 1,
            has_email: true,
        }
    }

    #[test]
    fn each_field_tests_what_it_names_and_its_negation_the_opposite() {
        let c = customer();
        let cases = [
            ("segment", "has", "premium", true),
            ("lifetime_value", "at_least", "1200", true),
            ("lifetime_value", "at_least", "1200,01", false),
            ("language", "is", "DE", true),
            ("region", "is", "nord", true),
            ("last_contact", "within_days", "10", true),
            ("last_contact", "within_days", "9", false),
            ("channel", "used", "email", true),
            ("channel", "used", "phone", false),
            ("nps", "is", "promoter", true),
            ("nps", "is", "detractor", false),
            ("open_requests", "at_least", "1", true),
            ("open_requests", "at_least", "2", false),
            ("consent", "given", "email_marketing", true),
            ("consent", "given", "phone_marketing", false),
        ];
        for (field, op, value, expected) in cases {
            let positive = segment(Combine::All, vec![rule(field, op, value)]);
            assert_eq!(positive.holds(&c, now()), expected, "{field} {op} {value}");
            let negative_op = Field::parse(field).expect("a field").ops()[1];
            let negative = segment(Combine::All, vec![rule(field, negative_op, value)]);
            assert_eq!(
                negative.holds(&c, now()),
                !expected,
                "{field} {negative_op} {value}"
            );
        }
    }

    #[test]
    fn a_customer_without_history_meets_no_history_rule_but_its_negation() {
        let c = CustomerFacts {
            last_contact: None,
            channels: BTreeSet::new(),
            nps: None,
            open_requests: 0,
            ..customer()
        };
        for (field, op, value) in [
            ("last_contact", "within_days", "3650"),
            ("channel", "used", "email"),
            ("nps", "is", "passive"),
            ("open_requests", "at_least", "1"),
        ] {
            assert!(!segment(Combine::All, vec![rule(field, op, value)]).holds(&c, now()));
        }
        assert!(segment(Combine::All, vec![rule("nps", "is_not", "detractor")]).holds(&c, now()));
    }

    #[test]
    fn all_needs_every_rule_any_one_and_no_rules_hold_everyone() {
        let c = customer();
        let yes = rule("segment", "has", "premium");
        let no = rule("language", "is", "en");
        assert!(!segment(Combine::All, vec![yes.clone(), no.clone()]).holds(&c, now()));
        assert!(segment(Combine::Any, vec![yes, no.clone()]).holds(&c, now()));
        assert!(!segment(Combine::Any, vec![no]).holds(&c, now()));
        assert!(segment(Combine::All, vec![]).holds(&c, now()));
        assert!(segment(Combine::Any, vec![]).holds(&c, now()));
    }

    #[test]
    fn bad_rules_are_named_by_their_place_and_part() {
        let fields = SegmentFields {
            name: " ".to_owned(),
            combine: Combine::All,
            rules: vec![
                rule("shoe_size", "is", "42"),
                rule("segment", "is", "premium"),
                rule("lifetime_value", "at_least", "12.345"),
                rule("nps", "is", "fan"),
                rule("last_contact", "within_days", "-3"),
                rule("consent", "given", "newsletter"),
                rule("region", "is", ""),
            ],
        };
        let problems = fields.validate().expect_err("invalid");
        let named: Vec<&str> = problems.0.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            named,
            [
                "name",
                "rules[0].field",
                "rules[1].op",
                "rules[2].value",
                "rules[3].value",
                "rules[4].value",
                "rules[5].value",
                "rules[6].value"
            ]
        );
        let too_many = SegmentFields {
            rules: vec![rule("segment", "has", "x"); RULES_MAX + 1],
            ..fields
        };
        let problems = too_many.validate().expect_err("too many");
        assert!(problems.0.iter().any(|p| p.field == "rules"));
    }

    #[test]
    fn values_are_stored_in_one_spelling() {
        let fields = SegmentFields {
            name: " Premium  ".to_owned(),
            combine: Combine::Any,
            rules: vec![
                rule(" lifetime_value", "at_least ", "49,9"),
                rule("language", "is", "EN"),
                rule("nps", "is", "Detractor"),
            ],
        }
        .validate()
        .expect("valid");
        assert_eq!(fields.name, "Premium");
        assert_eq!(
            fields.rules,
            [
                rule("lifetime_value", "at_least", "49.90"),
                rule("language", "is", "en"),
                rule("nps", "is", "detractor")
            ]
        );
        // What was stored reads back as the same selection.
        assert_eq!(fields.validate().expect("still valid"), fields);
    }

    #[test]
    fn amounts_read_as_cents() {
        assert_eq!(euros_to_cents("500"), Some(50_000));
        assert_eq!(euros_to_cents("49.9"), Some(4_990));
        assert_eq!(euros_to_cents("49,90"), Some(4_990));
        assert_eq!(euros_to_cents("0.05"), Some(5));
        for bad in [
            "",
            ".5",
            "1.234",
            "1e3",
            "-5",
            "1.2.3",
            "99999999999999999999",
        ] {
            assert_eq!(euros_to_cents(bad), None, "{bad}");
        }
    }

    #[test]
    fn nps_categories_follow_the_standard_bands() {
        let categories: Vec<NpsCategory> = (0..=10).map(NpsCategory::of).collect();
        assert_eq!(categories[..7], [NpsCategory::Detractor; 7]);
        assert_eq!(categories[7..9], [NpsCategory::Passive; 2]);
        assert_eq!(categories[9..], [NpsCategory::Promoter; 2]);
    }
}
