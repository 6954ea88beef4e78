//! Findings of the checker, broken standards and the audit log's accounts in words of a
//! reader's language: what is wrong, and the fix. The engines' own words are English (for logs and the API); pages and
//! the command line build theirs from what a finding holds and from the guideline it was
//! checked against.

use fluent_bundle::{FluentArgs, FluentValue};
use serde::Serialize;
use touchpoints_core::consistency::guideline::Guideline;
use touchpoints_core::consistency::value::{ValueKind, parse_contact};
use touchpoints_core::consistency::{Finding, FindingKind};

use touchpoints_core::audit::{Said, SaidArg};
use touchpoints_core::standards::{Deadline, Violation};

use crate::i18n::{Lang, Messages};

#[derive(Debug, Clone, Serialize)]
pub struct FindingText {
    pub message: String,
    pub fix: String,
}

pub fn finding(
    messages: &Messages,
    lang: Lang,
    finding: &Finding,
    guideline: &Guideline,
) -> FindingText {
    let say = |key: &str, args: &[(&str, &str)]| {
        let mut fluent = FluentArgs::new();
        for (name, value) in args {
            fluent.set(*name, FluentValue::from(*value));
        }
        messages.get(lang, key, Some(&fluent))
    };
    let first = finding.places.first();
    let written = first.and_then(|p| p.written.as_deref()).unwrap_or_default();
    let fact = guideline.facts.iter().find(|f| f.key == finding.rule);
    let label = fact.map_or(finding.rule.as_str(), |f| f.label.as_str());
    let value = fact.and_then(|f| f.value.as_deref()).unwrap_or_default();
    let wanted = guideline
        .tone
        .address
        .map(|a| messages.get(lang, &format!("guideline-address-{}", a.as_str()), None))
        .unwrap_or_default();
    let term = finding.rule.as_str();
    match finding.kind {
        FindingKind::ContradictsGuideline => FindingText {
            message: say(
                "finding-msg-guideline",
                &[("label", label), ("written", written), ("expected", value)],
            ),
            fix: say("finding-fix-write", &[("value", value)]),
        },
        FindingKind::ContradictsChannel => FindingText {
            message: say("finding-msg-channel", &[("label", label)]),
            fix: if value.is_empty() {
                say("finding-fix-decide", &[("label", label)])
            } else {
                say("finding-fix-everywhere", &[("value", value)])
            },
        },
        FindingKind::WrongAddress => FindingText {
            message: say(
                "finding-msg-address",
                &[("word", written), ("expected", &wanted)],
            ),
            fix: say("finding-fix-address", &[("expected", &wanted)]),
        },
        FindingKind::ForbiddenTerm => {
            let instead = guideline
                .tone
                .forbidden
                .iter()
                .find(|r| r.term == term)
                .and_then(|r| r.instead.as_deref());
            FindingText {
                message: say("finding-msg-forbidden", &[("term", term)]),
                fix: match instead {
                    Some(instead) => say("finding-fix-instead", &[("instead", instead)]),
                    None => say("finding-fix-remove", &[("term", term)]),
                },
            }
        }
        FindingKind::MissingTerm => FindingText {
            message: say("finding-msg-missing", &[("term", term)]),
            fix: say("finding-fix-add", &[("term", term)]),
        },
        FindingKind::UnknownContact => {
            // The rule is the contact in its normal form, which reads back as its kind.
            let kind = parse_contact(&finding.rule).map(|v| v.kind());
            let message = match kind {
                Some(ValueKind::Email) => "finding-msg-unknown-email",
                Some(ValueKind::Url) => "finding-msg-unknown-url",
                _ => "finding-msg-unknown-phone",
            };
            let own = kind.and_then(|kind| {
                guideline
                    .facts
                    .iter()
                    .find(|f| f.kind == kind && f.value.is_some())
            });
            FindingText {
                message: say(message, &[("written", written)]),
                fix: match own {
                    Some(fact) => say(
                        "finding-fix-unknown-use",
                        &[
                            ("value", fact.value.as_deref().unwrap_or_default()),
                            ("label", &fact.label),
                            ("written", written),
                        ],
                    ),
                    None => say("finding-fix-unknown-allow", &[("written", written)]),
                },
            }
        }
        FindingKind::ViolatesStandard => {
            let title = say("finding-msg-standard", &[("title", term)]);
            let reason = first
                .and_then(|p| p.violation.as_deref())
                .map(|v| violation(messages, lang, v));
            FindingText {
                message: match reason {
                    Some(reason) => format!("{title} {reason}"),
                    None => title,
                },
                // The standard's own text, in the words its author wrote.
                fix: finding.suggestion.clone().unwrap_or_default(),
            }
        }
    }
}

/// Why an interaction broke a standard, in words of `lang`.
pub fn violation(messages: &Messages, lang: Lang, violation: &Violation) -> String {
    let message = |key: &str, args: &[(&str, FluentValue<'_>)]| {
        let mut fluent = FluentArgs::new();
        for (name, value) in args {
            fluent.set(*name, value.clone());
        }
        messages.get(lang, key, Some(&fluent))
    };
    let keys = |deadline: &Deadline| match deadline {
        Deadline::FirstResponse => (
            "violation-first-response-late",
            "violation-first-response-missing",
        ),
        Deadline::Resolution => ("violation-resolved-late", "violation-resolved-missing"),
    };
    match violation {
        Violation::Late {
            deadline,
            took_hours,
            target_hours,
        } => message(
            keys(deadline).0,
            &[
                ("took", FluentValue::from(*took_hours)),
                ("hours", FluentValue::from(*target_hours)),
            ],
        ),
        Violation::Missing {
            deadline,
            target_hours,
        } => message(
            keys(deadline).1,
            &[("hours", FluentValue::from(*target_hours))],
        ),
        Violation::NotAddressedByName { name } => message(
            "violation-name",
            &[("name", FluentValue::from(name.as_str()))],
        ),
        Violation::Says { phrase } => message(
            "violation-phrase-found",
            &[("phrase", FluentValue::from(phrase.as_str()))],
        ),
        Violation::Lacks { phrase } => message(
            "violation-phrase-missing",
            &[("phrase", FluentValue::from(phrase.as_str()))],
        ),
    }
}

/// The last line of `touchpoints check`: how many texts, errors and warnings.
pub fn check_summary(
    messages: &Messages,
    lang: Lang,
    checked: usize,
    errors: usize,
    warnings: usize,
) -> String {
    let mut args = FluentArgs::new();
    args.set("checked", checked);
    args.set("errors", errors);
    args.set("warnings", warnings);
    messages.get(lang, "check-summary", Some(&args))
}

/// What the check left out of a finding, in words of `lang`: its places not listed, and
/// the findings like it not listed; nothing when it left nothing out.
pub fn unlisted(messages: &Messages, lang: Lang, finding: &Finding) -> Vec<String> {
    [
        ("finding-unlisted-places", finding.unlisted_places),
        ("finding-unlisted", finding.unlisted),
    ]
    .into_iter()
    .filter(|&(_, count)| count > 0)
    .map(|(key, count)| {
        let mut args = FluentArgs::new();
        args.set("count", count);
        messages.get(lang, key, Some(&args))
    })
    .collect()
}

/// An audit entry's account in words of `lang`, channels named by `channel`; `None` where the
/// catalogue lacks its message or a label (an entry a newer build wrote), so that the English
/// summary stands.
pub fn said(
    messages: &Messages,
    lang: Lang,
    said: &Said,
    channel: impl Fn(&str) -> String,
) -> Option<String> {
    let known = |key: &String| messages.has(lang, key);
    let labels_known = said.args.iter().all(|(_, arg)| match arg {
        SaidArg::Label(key) => known(key),
        SaidArg::Labels(keys) => keys.iter().all(known),
        SaidArg::Text(_) | SaidArg::Number(_) | SaidArg::Channel(_) => true,
    });
    if !known(&said.key) || !labels_known {
        return None;
    }
    let mut args = FluentArgs::new();
    for (name, arg) in &said.args {
        let value = match arg {
            SaidArg::Text(text) => FluentValue::from(text.as_str()),
            SaidArg::Number(n) if n.fract() == 0.0 => FluentValue::from(*n),
            // Fluent writes fractions with a point in every language.
            SaidArg::Number(n) => FluentValue::from(match lang {
                Lang::De => n.to_string().replace('.', ","),
                Lang::En => n.to_string(),
            }),
            SaidArg::Label(key) => FluentValue::from(messages.get(lang, key, None)),
            SaidArg::Labels(keys) => FluentValue::from(
                keys.iter()
                    .map(|key| messages.get(lang, key, None))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            SaidArg::Channel(key) => FluentValue::from(channel(key)),
        };
        args.set(name.as_str(), value);
    }
    Some(messages.get(lang, &said.key, Some(&args)))
}
