//! Field problems: what is wrong with one field of some input, in a form every interface can
//! show (the API as JSON, the web forms inline, the importer with row and column).

use std::fmt;

use serde::Serialize;

use crate::message_template::{TemplateFault, TemplateProblem};

/// What is wrong with a value. The code is stable for programs; the message is for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Problem {
    /// The field is empty or missing but must have a value.
    Required,
    /// The text is longer than allowed (counted in characters, not bytes).
    TooLong { max: usize },
    /// The text is shorter than required (counted in characters).
    TooShort { min: usize },
    /// The list has more entries than allowed.
    TooMany { max: usize },
    /// A number outside the allowed range.
    OutOfRange { min: i64, max: i64 },
    /// A value that is not one of the allowed ones.
    Unknown { value: String, allowed: Vec<String> },
    /// Another record already uses this value.
    Duplicate { value: String },
    /// The value is still used elsewhere and cannot be removed.
    InUse { count: u64 },
    /// A value that breaks a named rule: `rule` is a stable code interfaces translate
    /// (`password-is-username`), `reason` the rule in English words.
    Rule { rule: String, reason: String },
    /// Any other malformed value, described in words.
    Invalid { reason: String },
    /// A message template that cannot be used, at a line and column of its text (from 1;
    /// the column in characters); `detail` is the unknown name or the engine's own words.
    Template {
        line: usize,
        column: usize,
        fault: TemplateFault,
        detail: String,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Required => f.write_str("is required"),
            Problem::TooLong { max } => write!(f, "must be at most {max} characters"),
            Problem::TooShort { min } => write!(f, "must be at least {min} characters"),
            Problem::TooMany { max } => write!(f, "must have at most {max} entries"),
            Problem::OutOfRange { min, max } => write!(f, "must be between {min} and {max}"),
            Problem::Unknown { value, allowed } => {
                write!(
                    f,
                    "unknown value \"{value}\"; allowed: {}",
                    allowed.join(", ")
                )
            }
            Problem::Duplicate { value } => write!(f, "\"{value}\" is already taken"),
            Problem::InUse { count } => write!(f, "is still used by {count} record(s)"),
            Problem::Rule { reason, .. } | Problem::Invalid { reason } => f.write_str(reason),
            Problem::Template {
                line,
                column,
                fault,
                detail,
            } => {
                write!(f, "line {line}, column {column}: ")?;
                match fault {
                    TemplateFault::UnknownVariable => write!(f, "unknown variable `{detail}`"),
                    TemplateFault::UnknownFilter => write!(f, "unknown filter `{detail}`"),
                    TemplateFault::UnknownTest => write!(f, "unknown test `{detail}`"),
                    TemplateFault::TooLong => write!(f, "too long ({detail})"),
                    TemplateFault::TooMuchWork => {
                        f.write_str("does too much work (a loop without end?)")
                    }
                    TemplateFault::Syntax | TemplateFault::Render => f.write_str(detail),
                }
            }
        }
    }
}

/// One problem with one field. `field` is the input's name for it (`importance.loyalty`,
/// `target_groups[2]`), so a client can put the message next to the right control.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldProblem {
    pub field: String,
    #[serde(flatten)]
    pub problem: Problem,
    /// The problem in English words, for logs and API clients.
    pub message: String,
}

impl Problem {
    pub fn rule(rule: &str, reason: &str) -> Problem {
        Problem::Rule {
            rule: rule.to_owned(),
            reason: reason.to_owned(),
        }
    }
}

impl From<TemplateProblem> for Problem {
    fn from(p: TemplateProblem) -> Problem {
        Problem::Template {
            line: p.line,
            column: p.column,
            fault: p.fault,
            detail: p.detail,
        }
    }
}

impl FieldProblem {
    pub fn new(field: impl Into<String>, problem: Problem) -> Self {
        let message = problem.to_string();
        FieldProblem {
            field: field.into(),
            problem,
            message,
        }
    }
}

impl fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// All problems found in one input; never empty when returned as an error.
#[derive(Debug, Clone, PartialEq, Eq, Default, thiserror::Error)]
pub struct Problems(pub Vec<FieldProblem>);

impl Problems {
    pub fn push(&mut self, field: impl Into<String>, problem: Problem) {
        self.0.push(FieldProblem::new(field, problem));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when nothing was found, the problems otherwise.
    pub fn into_result<T>(self, value: T) -> Result<T, Problems> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    pub fn single(field: impl Into<String>, problem: Problem) -> Self {
        Problems(vec![FieldProblem::new(field, problem)])
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

/// Checks a free text: at most `max` characters as sent (the documented `maxLength`, white
/// space included), present if `required`, and no control character other than tab and line
/// breaks anywhere, the ends included (as the documented pattern says). Returns the trimmed
/// text.
pub fn check_text(
    problems: &mut Problems,
    field: &str,
    value: &str,
    max: usize,
    required: bool,
) -> String {
    let trimmed = value.trim();
    if required && trimmed.is_empty() {
        problems.push(field, Problem::Required);
    } else if value.chars().count() > max {
        problems.push(field, Problem::TooLong { max });
    } else if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
    {
        problems.push(
            field,
            Problem::rule("control-characters", "contains control characters"),
        );
    }
    trimmed.to_owned()
}

/// Checks a list of short labels: each trimmed and non-empty, de-duplicated keeping the first
/// spelling, at most `max_items` entries of at most `max_len` characters. Linear in the input,
/// and a list far over the limit is refused before its entries are looked at.
pub fn check_labels(
    problems: &mut Problems,
    field: &str,
    values: &[String],
    max_items: usize,
    max_len: usize,
) -> Vec<String> {
    if values.len() > max_items * 2 {
        problems.push(field, Problem::TooMany { max: max_items });
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::with_capacity(values.len());
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    for (i, raw) in values.iter().enumerate() {
        let item_field = format!("{field}[{i}]");
        let label = check_text(problems, &item_field, raw, max_len, false);
        if !label.is_empty() && seen.insert(label.to_lowercase()) {
            out.push(label);
        }
    }
    if out.len() > max_items {
        problems.push(field, Problem::TooMany { max: max_items });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_counted_in_characters() {
        let mut p = Problems::default();
        // Five umlauts are ten bytes but five characters.
        assert_eq!(check_text(&mut p, "name", "ÄÖÜäö", 5, true), "ÄÖÜäö");
        assert_eq!(check_text(&mut p, "name", "  ÄÖÜäö  ", 9, true), "ÄÖÜäö");
        assert!(p.is_empty());
        check_text(&mut p, "name", "ÄÖÜäöß", 5, true);
        // The limit is the documented maxLength of what is sent, white space included.
        check_text(&mut p, "name", "\u{a0}ÄÖÜäö", 5, true);
        assert_eq!(
            p.0,
            vec![
                FieldProblem::new("name", Problem::TooLong { max: 5 }),
                FieldProblem::new("name", Problem::TooLong { max: 5 })
            ]
        );
    }

    #[test]
    fn a_control_character_is_refused_at_the_ends_too() {
        for raw in ["\u{c}%", "Neu\u{b}", "a\u{0}b"] {
            let mut p = Problems::default();
            check_text(&mut p, "subject", raw, 200, false);
            assert_eq!(
                p.0,
                vec![FieldProblem::new(
                    "subject",
                    Problem::rule("control-characters", "contains control characters")
                )],
                "{raw:?}"
            );
        }
        let mut p = Problems::default();
        assert_eq!(
            check_text(&mut p, "subject", "\tNeu\r\n", 200, false),
            "Neu"
        );
        assert!(p.is_empty());
    }

    #[test]
    fn blank_required_text_is_a_problem() {
        let mut p = Problems::default();
        check_text(&mut p, "name", " \t ", 10, true);
        assert_eq!(p.0[0].problem, Problem::Required);
        assert_eq!(p.0[0].to_string(), "name: is required");
    }

    #[test]
    fn labels_drop_blanks_and_case_duplicates() {
        let mut p = Problems::default();
        let labels = ["Familien", " familien ", "", "Senioren"].map(String::from);
        assert_eq!(
            check_labels(&mut p, "target_groups", &labels, 10, 20),
            vec!["Familien", "Senioren"]
        );
        assert!(p.is_empty());
    }

    #[test]
    fn a_huge_list_is_refused_at_once() {
        let mut p = Problems::default();
        let labels = vec!["x".to_string(); 100_000];
        assert!(check_labels(&mut p, "regions", &labels, 20, 60).is_empty());
        assert_eq!(
            p.0,
            vec![FieldProblem::new("regions", Problem::TooMany { max: 20 })]
        );
    }

    #[test]
    fn labels_name_the_offending_entry() {
        let mut p = Problems::default();
        let labels = ["ok".to_string(), "x".repeat(30)];
        check_labels(&mut p, "regions", &labels, 10, 20);
        assert_eq!(p.0[0].field, "regions[1]");
    }
}
