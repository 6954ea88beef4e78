//! A finding of the checker in words of the page's language: what is wrong, and the fix.
//! The checker's own words are English (for logs, the API and the command line); pages build
//! theirs from what a finding holds and from the guideline it was checked against.

use fluent_bundle::{FluentArgs, FluentValue};
use serde::Serialize;
use touchpoints_core::consistency::guideline::Guideline;
use touchpoints_core::consistency::{Finding, FindingKind};

use crate::AppState;
use crate::i18n::Lang;

#[derive(Debug, Clone, Serialize)]
pub(super) struct FindingText {
    pub message: String,
    pub fix: String,
}

pub(super) fn describe(
    state: &AppState,
    lang: Lang,
    finding: &Finding,
    guideline: &Guideline,
) -> FindingText {
    let say = |key: &str, args: &[(&str, &str)]| {
        let mut fluent = FluentArgs::new();
        for (name, value) in args {
            fluent.set(*name, FluentValue::from(*value));
        }
        state.messages.get(lang, key, Some(&fluent))
    };
    let first = finding.places.first();
    let written = first.and_then(|p| p.written.as_deref()).unwrap_or_default();
    let fact = guideline.facts.iter().find(|f| f.key == finding.rule);
    let label = fact.map_or(finding.rule.as_str(), |f| f.label.as_str());
    let value = fact.and_then(|f| f.value.as_deref()).unwrap_or_default();
    let wanted = guideline
        .tone
        .address
        .map(|a| {
            state
                .messages
                .get(lang, &format!("guideline-address-{}", a.as_str()), None)
        })
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
        FindingKind::ViolatesStandard => {
            let title = say("finding-msg-standard", &[("title", term)]);
            let reason = first
                .and_then(|p| p.violation.as_deref())
                .map(|v| super::standards::compliance::reason(state, lang, v));
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
