//! The communication guideline as data: canonical facts with the ways a mention of them is
//! recognised, and tone rules. It lives in the database or, as YAML or JSON, in a company's
//! own repository beside its website.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::tone::Address;
use super::value::{Value, ValueKind, parse_contact, parse_value};
use crate::problem::{Problem, Problems, check_text};

/// The largest guideline document read, in bytes. A guideline of a few hundred facts takes
/// a tenth of it.
pub const GUIDELINE_MAX_BYTES: usize = 1024 * 1024;

/// How deep a guideline document may nest: a guideline needs four levels (`tone`,
/// `forbidden`, a rule, its `channels`).
const GUIDELINE_MAX_DEPTH: usize = 16;

/// The most characters of one allowed contact.
pub const CONTACT_MAX: usize = 200;

/// The field a problem with the document as a whole is reported under.
const DOCUMENT: &str = "document";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Guideline {
    #[serde(default)]
    pub facts: Vec<Fact>,
    /// Phone numbers, e-mail addresses and web addresses that texts may name besides the
    /// facts' values ("+49 40 123456", "presse@example.de", "https://jobs.example.de"); any
    /// other the checker reports as unknown. A web address includes the pages beneath it.
    #[serde(default)]
    pub allowed_contacts: Vec<String>,
    #[serde(default)]
    pub tone: Tone,
}

/// A fact every channel must state the same way: the return period, the hotline number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Fact {
    /// Stable identifier, shown in findings: `return-period`.
    pub key: String,
    /// For people: "Rückgabefrist".
    pub label: String,
    /// What kind of value states the fact.
    pub kind: ValueKind,
    /// The canonical value ("30 Tage"); without one, channels are still compared.
    #[serde(default)]
    pub value: Option<String>,
    /// Words that announce a mention ("Rückgabe", "Rückgaberecht", "return"); a value of the
    /// fact's kind in the same sentence is its value.
    pub keywords: Vec<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub valid_from: Option<Date>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub valid_until: Option<Date>,
}

impl Fact {
    /// The canonical value, parsed; `None` without one or if it does not parse (validation
    /// reports that).
    pub fn canonical(&self) -> Option<Value> {
        self.value
            .as_deref()
            .and_then(|v| parse_value(self.kind, v))
    }

    /// Whether the fact is in force on `day`.
    pub fn valid_on(&self, day: Date) -> bool {
        self.valid_from.is_none_or(|from| day >= from)
            && self.valid_until.is_none_or(|until| day <= until)
    }
}

/// How the company speaks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tone {
    /// The form of address in German text: `sie` or `du`.
    #[serde(default)]
    pub address: Option<Address>,
    /// Terms that must not appear ("Kunde ist König", "leider nicht möglich").
    #[serde(default)]
    pub forbidden: Vec<TermRule>,
    /// Terms that must appear (a signature, "Impressum").
    #[serde(default)]
    pub required: Vec<TermRule>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TermRule {
    pub term: String,
    /// What to write instead, for forbidden terms.
    #[serde(default)]
    pub instead: Option<String>,
    /// Channels the rule applies to; all when empty.
    #[serde(default)]
    pub channels: Vec<String>,
}

impl TermRule {
    pub fn applies_to(&self, channel: Option<&str>) -> bool {
        self.channels.is_empty() || channel.is_some_and(|c| self.channels.iter().any(|x| x == c))
    }
}

impl Guideline {
    /// Checks keys, values and terms, naming each problem's place (`facts[2].value`).
    pub fn validate(&self) -> Result<(), Problems> {
        let mut p = Problems::default();
        for (i, fact) in self.facts.iter().enumerate() {
            let field = |name: &str| format!("facts[{i}].{name}");
            crate::catalog::check_key(&mut p, &field("key"), &fact.key);
            if self.facts[..i].iter().any(|f| f.key == fact.key) {
                p.push(
                    field("key"),
                    Problem::Duplicate {
                        value: fact.key.clone(),
                    },
                );
            }
            check_text(&mut p, &field("label"), &fact.label, 120, true);
            if let Some(value) = &fact.value
                && parse_value(fact.kind, value).is_none()
            {
                p.push(
                    field("value"),
                    Problem::rule(
                        &format!("fact-value-{}", fact.kind.as_str()),
                        &format!("\"{value}\" is not a {}", fact.kind.as_str()),
                    ),
                );
            }
            if fact.keywords.iter().all(|k| k.trim().is_empty()) {
                p.push(field("keywords"), Problem::Required);
            }
            if let (Some(from), Some(until)) = (fact.valid_from, fact.valid_until)
                && until < from
            {
                p.push(
                    field("valid_until"),
                    Problem::rule("ends-before-start", "ends before it starts"),
                );
            }
        }
        // Each allowed contact once, by its normal form: "040 123456" is "+49 40 123456".
        let mut allowed: std::collections::HashMap<Value, usize> = Default::default();
        for (i, contact) in self.allowed_contacts.iter().enumerate() {
            let field = format!("allowed_contacts[{i}]");
            let before = p.0.len();
            check_text(&mut p, &field, contact, CONTACT_MAX, true);
            if p.0.len() > before {
                continue;
            }
            match parse_contact(contact) {
                None => p.push(
                    field,
                    Problem::rule(
                        "not-a-contact",
                        &format!(
                            "\"{}\" is not a phone number, e-mail address or web address",
                            contact.trim()
                        ),
                    ),
                ),
                Some(value) => {
                    if let Some(first) = allowed.get(&value) {
                        p.push(
                            field,
                            Problem::rule(
                                "same-contact",
                                &format!(
                                    "\"{}\" is the same contact as allowed_contacts[{first}]",
                                    contact.trim()
                                ),
                            ),
                        );
                    } else {
                        allowed.insert(value, i);
                    }
                }
            }
        }
        for (list, rules) in [
            ("forbidden", &self.tone.forbidden),
            ("required", &self.tone.required),
        ] {
            for (i, rule) in rules.iter().enumerate() {
                check_text(
                    &mut p,
                    &format!("tone.{list}[{i}].term"),
                    &rule.term,
                    200,
                    true,
                );
            }
        }
        p.into_result(())
    }
}

impl Guideline {
    /// Reads a guideline written in YAML (JSON is YAML too) and checks it as
    /// [`Guideline::validate`] does. Every interface reads guideline YAML here.
    ///
    /// The parser works within a budget, so that no document costs much more time or memory
    /// than its size: at most [`GUIDELINE_MAX_BYTES`], one document, at most 16 levels deep,
    /// and no anchors (`&name`) or aliases (`*name`). A guideline needs none, and an alias
    /// lets a small document stand for a huge one: one long anchored text referred to 20,000
    /// times makes gigabytes of a quarter of a megabyte (an "alias bomb"; counting the
    /// alias's uses, as other parsers do, does not help when each use is long). Problems with
    /// the document as a whole are reported under the field `document`.
    pub fn from_yaml(document: &str) -> Result<Guideline, Problems> {
        if document.len() > GUIDELINE_MAX_BYTES {
            return Err(Problems::single(
                DOCUMENT,
                Problem::Invalid {
                    reason: format!(
                        "is larger than {} KiB: a guideline is a few hundred facts at most",
                        GUIDELINE_MAX_BYTES / 1024
                    ),
                },
            ));
        }
        let options = serde_saphyr::options! {
            budget: serde_saphyr::budget! {
                max_aliases: 0,
                max_anchors: 0,
                max_depth: GUIDELINE_MAX_DEPTH,
                max_documents: 1,
                max_total_scalar_bytes: GUIDELINE_MAX_BYTES,
            },
            alias_limits: serde_saphyr::alias_limits! {
                max_total_replayed_events: 0,
                max_alias_expansions_per_anchor: 0,
            },
            with_snippet: false,
        };
        let guideline: Guideline = serde_saphyr::from_str_with_options(document, options)
            .map_err(|e| Problems::single(DOCUMENT, yaml_problem(&e)))?;
        guideline.validate()?;
        Ok(guideline)
    }

    /// The guideline as YAML, as [`Guideline::from_yaml`] reads it back.
    pub fn to_yaml(&self) -> String {
        // Strings, lists and maps of strings always serialise.
        serde_saphyr::to_string(self).unwrap_or_default()
    }
}

/// What is wrong with a document the YAML parser refused, with its place.
fn yaml_problem(error: &serde_saphyr::Error) -> Problem {
    use serde_saphyr::budget::BudgetBreach;

    let what = match error.without_snippet() {
        serde_saphyr::Error::Budget { breach, .. } => match breach {
            BudgetBreach::Aliases { .. } | BudgetBreach::Anchors { .. } => Some(
                "uses an anchor (&name) or an alias (*name); a guideline writes each value out"
                    .to_owned(),
            ),
            BudgetBreach::Depth { .. } => Some(format!(
                "is nested deeper than {GUIDELINE_MAX_DEPTH} levels"
            )),
            BudgetBreach::Documents { .. } => Some("holds more than one YAML document".to_owned()),
            _ => Some("is too large for a guideline".to_owned()),
        },
        _ => None,
    };
    let reason = match (what, error.location()) {
        (Some(what), Some(at)) => format!("{what} (line {}, column {})", at.line(), at.column()),
        (Some(what), None) => what,
        // The parser's own words name the place.
        (None, _) => error.render_with_formatter(&serde_saphyr::UserMessageFormatter),
    };
    Problem::Invalid { reason }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// The demo company's guideline, which `touchpoints demo` loads and the README checks with.
    const NORDLICHT: &str = include_str!("../../../../examples/nordlicht/guideline.yaml");

    fn refused(document: &str) -> (String, String) {
        let problems = Guideline::from_yaml(document).unwrap_err();
        assert_eq!(problems.0.len(), 1, "{problems}");
        let p = &problems.0[0];
        (p.field.clone(), p.message.clone())
    }

    #[test]
    fn an_alias_bomb_is_refused_before_it_grows() {
        // One anchored text of 10 KB referred to 20,000 times: 0.29 MB that a parser
        // replaying aliases turns into 200 MB of terms.
        let mut bomb = format!(
            "tone:\n  forbidden:\n    - term: &t \"{}\"\n",
            "x".repeat(10_000)
        );
        for _ in 0..20_000 {
            bomb.push_str("    - term: *t\n");
        }
        assert!(bomb.len() < GUIDELINE_MAX_BYTES, "{}", bomb.len());
        let (field, message) = refused(&bomb);
        assert_eq!(field, "document");
        assert!(message.contains("alias"), "{message}");
        assert!(message.contains("line 3"), "{message}");
    }

    #[test]
    fn anchors_and_aliases_are_refused_even_when_small() {
        for document in [
            "facts: []\ntone:\n  required:\n    - &rule {term: Impressum}\n",
            "facts:\n  - key: a\n    label: A\n    kind: duration\n    keywords: &k [x]\n  \
             - key: b\n    label: B\n    kind: duration\n    keywords: *k\n",
        ] {
            let (field, message) = refused(document);
            assert_eq!(field, "document");
            assert!(message.contains("anchor"), "{message}");
        }
    }

    #[test]
    fn size_depth_and_documents_are_bounded() {
        let large = format!("facts: []\n#{}\n", "x".repeat(GUIDELINE_MAX_BYTES));
        let (field, message) = refused(&large);
        assert_eq!(field, "document");
        assert!(message.contains("larger than 1024 KiB"), "{message}");

        // Nesting fails on the guideline's shape before it gets deep; the budget stands
        // behind that.
        let deep = format!("facts: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
        let (field, _) = refused(&deep);
        assert_eq!(field, "document");

        let (_, message) = refused("facts: []\n---\nfacts: []\n");
        assert!(message.contains("more than one"), "{message}");
    }

    #[test]
    fn syntax_errors_and_unknown_fields_name_their_place() {
        let (field, message) = refused("facts: [\n");
        assert_eq!(field, "document");
        assert!(message.contains("line"), "{message}");

        let (field, message) = refused("facts: []\ncolour: red\n");
        assert_eq!(field, "document");
        assert!(message.contains("colour"), "{message}");
    }

    #[test]
    fn a_struct_written_as_a_list_is_refused() {
        let (field, message) = refused("facts: []\ntone: []\n");
        assert_eq!(field, "document");
        // The YAML reader itself reads a struct only from a mapping.
        assert!(message.contains("expected mapping"), "{message}");
        let read = Guideline::from_yaml("facts: []\ntone: {}\n").expect("an empty tone");
        assert_eq!(read.tone, Tone::default());
    }

    #[test]
    fn field_problems_name_the_field() {
        let problems = Guideline::from_yaml(
            "facts:\n  - key: x\n    label: X\n    kind: duration\n    value: bald\n    keywords: [a]\n",
        )
        .unwrap_err();
        let fields: Vec<&str> = problems.0.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["facts[0].value"]);
    }

    #[test]
    fn the_demo_guideline_reads_as_before_and_round_trips() {
        let guideline = Guideline::from_yaml(NORDLICHT).unwrap();
        insta::assert_json_snapshot!(guideline);
        assert_eq!(
            Guideline::from_yaml(&guideline.to_yaml()).unwrap(),
            guideline
        );
        // JSON is YAML too.
        let json = serde_json::to_string_pretty(&guideline).unwrap();
        assert_eq!(Guideline::from_yaml(&json).unwrap(), guideline);
    }

    #[test]
    fn allowed_contacts_are_read_and_each_problem_named_by_its_index() {
        let guideline = Guideline::from_yaml(
            "allowed_contacts: [\"+49 40 123456\", presse@example.de, https://jobs.example.de]\n",
        )
        .unwrap();
        assert_eq!(guideline.allowed_contacts.len(), 3);
        assert_eq!(
            Guideline::from_yaml(&guideline.to_yaml()).unwrap(),
            guideline
        );

        let problems = Guideline::from_yaml(
            "allowed_contacts:\n  - \"+49 40 123456\"\n  - Hamburg\n  - \"\"\n  - 040 / 12 34 56\n",
        )
        .unwrap_err();
        let named: Vec<(&str, &str)> = problems
            .0
            .iter()
            .map(|p| (p.field.as_str(), p.message.as_str()))
            .collect();
        assert_eq!(
            named,
            [
                (
                    "allowed_contacts[1]",
                    "\"Hamburg\" is not a phone number, e-mail address or web address"
                ),
                ("allowed_contacts[2]", "is required"),
                (
                    "allowed_contacts[3]",
                    "\"040 / 12 34 56\" is the same contact as allowed_contacts[0]"
                ),
            ]
        );
    }

    #[test]
    fn plain_scalars_stay_text() {
        // Keywords and values that look like numbers, booleans or null are text in a guideline.
        let guideline = Guideline::from_yaml(
            "facts:\n  - key: hotline\n    label: Hotline\n    kind: phone\n    \
             value: 0800 123 45 67\n    keywords: [yes, no, on, 0800, 1.5, ~x, true]\n",
        )
        .unwrap();
        assert_eq!(
            guideline.facts[0].keywords,
            ["yes", "no", "on", "0800", "1.5", "~x", "true"]
        );
        assert_eq!(
            Guideline::from_yaml(&guideline.to_yaml()).unwrap(),
            guideline
        );
    }
}
