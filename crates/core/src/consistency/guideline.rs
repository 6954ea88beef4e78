//! The communication guideline as data: canonical facts with the ways a mention of them is
//! recognised, and tone rules. It lives in the database or, as YAML or JSON, in a company's
//! own repository beside its website.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::tone::Address;
use super::value::{Value, ValueKind, parse_value};
use crate::problem::{Problem, Problems, check_text};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Guideline {
    #[serde(default)]
    pub facts: Vec<Fact>,
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
                    Problem::Invalid {
                        reason: format!("\"{value}\" is not a {}", fact.kind.as_str()),
                    },
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
                    Problem::Invalid {
                        reason: "ends before it starts".into(),
                    },
                );
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
