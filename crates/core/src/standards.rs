//! Service standards: the minimum every touchpoint promises, as do's and don'ts, and the
//! measurable ones checked against real interactions (a request and the replies to it).

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::consistency::{Finding, FindingKind, Place};

/// What a measurable standard checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Measure {
    /// The first reply comes within this many hours of the request.
    FirstResponseWithin { hours: u32 },
    /// The request is resolved within this many hours.
    ResolvedWithin { hours: u32 },
    /// The reply addresses the customer by name.
    AddressedByName,
    /// None of these phrases appears in the reply ("leider nicht möglich").
    PhrasesAbsent { phrases: Vec<String> },
    /// Each of these phrases appears in the reply (a signature, a ticket number).
    PhrasesPresent { phrases: Vec<String> },
}

/// A standard as the team reads it; `measure` makes it checkable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standard {
    pub id: i64,
    pub title: String,
    /// The do or don't, in words.
    pub text: String,
    /// Mandatory for everyone, or a recommendation.
    pub mandatory: bool,
    /// The touchpoint (by id) or channel (by key) it applies to; everywhere when both are
    /// empty.
    pub touchpoint: Option<i64>,
    pub channel: Option<String>,
    pub measure: Option<Measure>,
}

/// One customer request and how it was handled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interaction {
    pub id: i64,
    pub touchpoint: Option<i64>,
    pub channel: String,
    /// The customer's name as known ("Anna Becker"), if known.
    pub customer_name: Option<String>,
    pub received_at: Timestamp,
    pub first_response_at: Option<Timestamp>,
    pub resolved_at: Option<Timestamp>,
    /// The text of the replies.
    pub reply: String,
}

/// What a standard says about one interaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    Met,
    Violated {
        violation: Violation,
    },
    /// Cannot be judged yet (no reply so far, target not yet passed) or does not apply.
    Open,
}

impl Standard {
    pub fn applies_to(&self, interaction: &Interaction) -> bool {
        self.touchpoint
            .is_none_or(|t| interaction.touchpoint == Some(t))
            && self
                .channel
                .as_deref()
                .is_none_or(|c| interaction.channel == c)
    }
}

fn lower_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether `text` addresses the person `name`: "Sehr geehrte Frau Becker" and "Hallo Anna"
/// both address Anna Becker, as any part of the name counts, so long as it is a whole word
/// of the text (without regard to case).
pub fn addresses_by_name(text: &str, name: &str) -> bool {
    let words = lower_words(text);
    lower_words(name)
        .iter()
        .filter(|part| part.chars().count() > 1)
        .any(|part| words.contains(part))
}

/// Whether `phrase` occurs in `text` as whole words, without regard to case.
fn contains_phrase(text_words: &[String], phrase: &str) -> bool {
    let phrase = lower_words(phrase);
    !phrase.is_empty()
        && text_words
            .windows(phrase.len())
            .any(|w| w == phrase.as_slice())
}

/// The event a deadline waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Deadline {
    FirstResponse,
    Resolution,
}

/// Why an interaction broke a standard, with what pages need to say it in their language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Violation {
    /// The event came after the target: `took_hours` whole hours, rounded up.
    Late {
        deadline: Deadline,
        took_hours: u64,
        target_hours: u32,
    },
    /// The event has not come and the target has passed.
    Missing {
        deadline: Deadline,
        target_hours: u32,
    },
    NotAddressedByName {
        name: String,
    },
    Says {
        phrase: String,
    },
    Lacks {
        phrase: String,
    },
}

impl Violation {
    /// In English words, for logs, the API and the command line.
    pub fn english(&self) -> String {
        let what = |deadline: &Deadline| match deadline {
            Deadline::FirstResponse => "first reply",
            Deadline::Resolution => "resolution",
        };
        match self {
            Violation::Late {
                deadline,
                took_hours,
                target_hours,
            } => format!(
                "{} after {took_hours} h, target {target_hours} h",
                what(deadline)
            ),
            Violation::Missing {
                deadline,
                target_hours,
            } => format!("no {} within {target_hours} h", what(deadline)),
            Violation::NotAddressedByName { name } => {
                format!("the reply does not address {name} by name")
            }
            Violation::Says { phrase } => format!("the reply says \"{phrase}\""),
            Violation::Lacks { phrase } => format!("the reply lacks \"{phrase}\""),
        }
    }
}

/// Checks a deadline: met when the event came in time, violated when it came late or has not
/// come and the time is up, open while there is still time.
fn within(
    received: Timestamp,
    event: Option<Timestamp>,
    hours: u32,
    now: Timestamp,
    deadline: Deadline,
) -> Verdict {
    let limit = SignedDuration::from_hours(i64::from(hours));
    let took = |at: Timestamp| at.duration_since(received);
    match event {
        Some(at) if took(at) <= limit => Verdict::Met,
        Some(at) => Verdict::Violated {
            violation: Violation::Late {
                deadline,
                // Whole hours, rounded up: 4 h 10 min is late for a 4 h target.
                took_hours: u64::try_from(took(at).as_secs() + 3599).unwrap_or(0) / 3600,
                target_hours: hours,
            },
        },
        None if took(now) > limit => Verdict::Violated {
            violation: Violation::Missing {
                deadline,
                target_hours: hours,
            },
        },
        None => Verdict::Open,
    }
}

/// Judges one interaction by one measure at the instant `now`. Deadlines count elapsed time.
pub fn evaluate(measure: &Measure, interaction: &Interaction, now: Timestamp) -> Verdict {
    let words = || lower_words(&interaction.reply);
    match measure {
        Measure::FirstResponseWithin { hours } => within(
            interaction.received_at,
            interaction.first_response_at,
            *hours,
            now,
            Deadline::FirstResponse,
        ),
        Measure::ResolvedWithin { hours } => within(
            interaction.received_at,
            interaction.resolved_at,
            *hours,
            now,
            Deadline::Resolution,
        ),
        Measure::AddressedByName => {
            if interaction.reply.trim().is_empty() {
                return Verdict::Open;
            }
            let Some(name) = interaction
                .customer_name
                .as_deref()
                .filter(|n| !n.trim().is_empty())
            else {
                return Verdict::Open;
            };
            if addresses_by_name(&interaction.reply, name) {
                Verdict::Met
            } else {
                Verdict::Violated {
                    violation: Violation::NotAddressedByName {
                        name: name.to_owned(),
                    },
                }
            }
        }
        Measure::PhrasesAbsent { phrases } => {
            let reply = words();
            match phrases.iter().find(|p| contains_phrase(&reply, p)) {
                Some(found) => Verdict::Violated {
                    violation: Violation::Says {
                        phrase: found.clone(),
                    },
                },
                None if interaction.reply.trim().is_empty() => Verdict::Open,
                None => Verdict::Met,
            }
        }
        Measure::PhrasesPresent { phrases } => {
            if interaction.reply.trim().is_empty() {
                return Verdict::Open;
            }
            let reply = words();
            match phrases.iter().find(|p| !contains_phrase(&reply, p)) {
                Some(missing) => Verdict::Violated {
                    violation: Violation::Lacks {
                        phrase: missing.clone(),
                    },
                },
                None => Verdict::Met,
            }
        }
    }
}

/// The violations of mandatory standards as findings, so that they join the checker's in
/// one list of documented weaknesses. A place names the interaction under its touchpoint's
/// page (`touchpoints/7#interaction-12`), or under the standards page without a touchpoint.
pub fn violation_findings(
    standards: &[Standard],
    interactions: &[Interaction],
    now: Timestamp,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for standard in standards.iter().filter(|s| s.mandatory) {
        let Some(measure) = &standard.measure else {
            continue;
        };
        for interaction in interactions.iter().filter(|i| standard.applies_to(i)) {
            let Verdict::Violated { violation } = evaluate(measure, interaction, now) else {
                continue;
            };
            let source = match interaction.touchpoint {
                Some(t) => format!("touchpoints/{t}#interaction-{}", interaction.id),
                None => format!("standards#interaction-{}", interaction.id),
            };
            let excerpt: String = interaction
                .reply
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .chars()
                .take(160)
                .collect();
            findings.push(Finding {
                kind: FindingKind::ViolatesStandard,
                rule: standard.title.clone(),
                message: format!("{}: {}", standard.title, violation.english()),
                places: vec![Place {
                    source,
                    title: interaction.channel.clone(),
                    channel: Some(interaction.channel.clone()),
                    line: 1,
                    column: 1,
                    excerpt,
                    written: Some(violation.english()),
                    violation: Some(Box::new(violation)),
                }],
                suggestion: Some(standard.text.clone()),
                unlisted: 0,
                unlisted_places: 0,
            });
        }
    }
    findings
}

/// How well one standard was kept over a set of interactions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Compliance {
    pub standard: i64,
    pub met: u32,
    pub open: u32,
    /// The violating interactions, each with why.
    pub violations: Vec<(i64, Violation)>,
}

impl Compliance {
    /// The share of judged interactions that met the standard, if any was judged.
    pub fn share(&self) -> Option<f64> {
        let judged = self.met + u32::try_from(self.violations.len()).unwrap_or(u32::MAX);
        (judged > 0).then(|| f64::from(self.met) / f64::from(judged))
    }
}

/// Compliance of every measurable standard with the interactions it applies to.
pub fn compliance(
    standards: &[Standard],
    interactions: &[Interaction],
    now: Timestamp,
) -> Vec<Compliance> {
    standards
        .iter()
        .filter_map(|s| s.measure.as_ref().map(|m| (s, m)))
        .map(|(standard, measure)| {
            let mut c = Compliance {
                standard: standard.id,
                met: 0,
                open: 0,
                violations: Vec::new(),
            };
            for i in interactions.iter().filter(|i| standard.applies_to(i)) {
                match evaluate(measure, i, now) {
                    Verdict::Met => c.met += 1,
                    Verdict::Open => c.open += 1,
                    Verdict::Violated { violation } => c.violations.push((i.id, violation)),
                }
            }
            c
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(hour: i64) -> Timestamp {
        Timestamp::from_second(1_790_000_000 + hour * 3600).expect("valid")
    }

    fn interaction(reply: &str) -> Interaction {
        Interaction {
            id: 1,
            touchpoint: Some(7),
            channel: "email".into(),
            customer_name: Some("Anna Becker".into()),
            received_at: at(0),
            first_response_at: Some(at(3)),
            resolved_at: None,
            reply: reply.into(),
        }
    }

    #[test]
    fn a_reply_without_the_customers_name_violates_the_standard() {
        let named = interaction("Sehr geehrte Frau Becker,\nvielen Dank für Ihre Nachricht.");
        let first_name = interaction("Hallo Anna, danke dir!");
        let anonymous = interaction("Sehr geehrte Damen und Herren,\nvielen Dank.");
        assert_eq!(
            evaluate(&Measure::AddressedByName, &named, at(5)),
            Verdict::Met
        );
        assert_eq!(
            evaluate(&Measure::AddressedByName, &first_name, at(5)),
            Verdict::Met
        );
        assert_eq!(
            evaluate(&Measure::AddressedByName, &anonymous, at(5)),
            Verdict::Violated {
                violation: Violation::NotAddressedByName {
                    name: "Anna Becker".into()
                }
            }
        );
        // "Beckers" is another word: the name must stand as itself.
        let lookalike = interaction("Die Beckerstraße ist gesperrt.");
        assert!(matches!(
            evaluate(&Measure::AddressedByName, &lookalike, at(5)),
            Verdict::Violated { .. }
        ));
    }

    #[test]
    fn deadlines_are_met_late_or_still_open() {
        let measure = Measure::FirstResponseWithin { hours: 4 };
        let on_time = interaction("x");
        assert_eq!(evaluate(&measure, &on_time, at(10)), Verdict::Met);
        let mut late = interaction("x");
        late.first_response_at = Some(at(6));
        assert_eq!(
            evaluate(&measure, &late, at(10)),
            Verdict::Violated {
                violation: Violation::Late {
                    deadline: Deadline::FirstResponse,
                    took_hours: 6,
                    target_hours: 4
                }
            }
        );
        let mut waiting = interaction("");
        waiting.first_response_at = None;
        assert_eq!(evaluate(&measure, &waiting, at(3)), Verdict::Open);
        assert!(matches!(
            evaluate(&measure, &waiting, at(5)),
            Verdict::Violated { .. }
        ));
        let exactly = Interaction {
            first_response_at: Some(at(4)),
            ..interaction("x")
        };
        assert_eq!(
            evaluate(&measure, &exactly, at(9)),
            Verdict::Met,
            "the limit itself is in time"
        );
    }

    #[test]
    fn phrases_match_whole_words_without_case() {
        let absent = Measure::PhrasesAbsent {
            phrases: vec!["leider nicht möglich".into()],
        };
        let present = Measure::PhrasesPresent {
            phrases: vec!["Ihr Nordlicht-Team".into()],
        };
        let reply = interaction("Das ist LEIDER NICHT MÖGLICH.\nIhr Nordlicht-Team");
        assert!(matches!(
            evaluate(&absent, &reply, at(5)),
            Verdict::Violated { .. }
        ));
        assert_eq!(evaluate(&present, &reply, at(5)), Verdict::Met);
        let other = interaction("Gern erledigt.\nViele Grüße");
        assert_eq!(evaluate(&absent, &other, at(5)), Verdict::Met);
        assert!(matches!(
            evaluate(&present, &other, at(5)),
            Verdict::Violated { .. }
        ));
    }

    #[test]
    fn violations_of_mandatory_standards_become_findings() {
        let standard = Standard {
            id: 1,
            title: "Mit Namen ansprechen".into(),
            text: "Wir sprechen Kundinnen und Kunden mit Namen an.".into(),
            mandatory: true,
            touchpoint: None,
            channel: None,
            measure: Some(Measure::AddressedByName),
        };
        let recommendation = Standard {
            id: 2,
            mandatory: false,
            ..standard.clone()
        };
        let mut anonymous = interaction("Sehr geehrte Damen und Herren, danke.");
        anonymous.id = 9;
        let interactions = [interaction("Liebe Frau Becker, danke."), anonymous];
        let findings = violation_findings(&[standard, recommendation], &interactions, at(10));
        assert_eq!(
            findings.len(),
            1,
            "only the mandatory standard, only the violation"
        );
        assert_eq!(findings[0].kind, FindingKind::ViolatesStandard);
        assert_eq!(findings[0].places[0].source, "touchpoints/7#interaction-9");
        assert!(findings[0].kind.is_error());
    }

    #[test]
    fn compliance_counts_per_standard_and_scope() {
        let standards = [
            Standard {
                id: 1,
                title: "Mit Namen ansprechen".into(),
                text: "Wir sprechen Kundinnen und Kunden mit Namen an.".into(),
                mandatory: true,
                touchpoint: None,
                channel: Some("email".into()),
                measure: Some(Measure::AddressedByName),
            },
            Standard {
                id: 2,
                title: "Freundlich bleiben".into(),
                text: "Auch bei Beschwerden.".into(),
                mandatory: true,
                touchpoint: None,
                channel: None,
                measure: None,
            },
        ];
        let mut chat = interaction("Hallo!");
        chat.id = 3;
        chat.channel = "chat".into();
        let mut anonymous = interaction("Guten Tag.");
        anonymous.id = 2;
        let interactions = [interaction("Liebe Frau Becker, …"), anonymous, chat];
        let result = compliance(&standards, &interactions, at(10));
        assert_eq!(result.len(), 1, "only measurable standards are counted");
        assert_eq!(result[0].met, 1);
        assert_eq!(result[0].violations.len(), 1);
        assert_eq!(result[0].violations[0].0, 2);
        assert_eq!(result[0].share(), Some(0.5));
    }
}
