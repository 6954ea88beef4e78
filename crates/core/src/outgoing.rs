//! What a text must pass before it reaches a customer: the guideline (its facts, its form of
//! address, its forbidden and required terms — the consistency checker on the text alone)
//! and the mandatory service standards that can be judged on a text (the customer addressed
//! by name, phrases present or absent). Findings come with the fix, so the agent can correct
//! the text before it goes.

use jiff::Timestamp;

use crate::consistency::{Checker, Content, Finding};
use crate::standards::{Interaction, Measure, Standard, violation_findings};

/// A text about to go to a customer, with what the checks need to know of its request.
#[derive(Debug, Clone, Copy)]
pub struct Outgoing<'a> {
    pub request_id: i64,
    pub touchpoint: Option<i64>,
    /// The channel key it goes out on.
    pub channel: &'a str,
    /// The customer's name as known; empty when unknown.
    pub customer_name: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
}

/// The findings on `outgoing`, the guideline's first, then the standards'. Standards whose
/// measure needs more than the text (response times) are left to the standards page.
pub fn check(
    checker: &Checker<'_>,
    standards: &[Standard],
    outgoing: &Outgoing<'_>,
    now: Timestamp,
) -> Vec<Finding> {
    let content = Content {
        source: format!("requests/{}", outgoing.request_id),
        title: outgoing.subject.to_owned(),
        channel: Some(outgoing.channel.to_owned()),
        text: outgoing.text.to_owned(),
    };
    let mut findings = checker.check(std::slice::from_ref(&content));
    let on_text: Vec<Standard> = standards
        .iter()
        .filter(|s| {
            matches!(
                s.measure,
                Some(
                    Measure::AddressedByName
                        | Measure::PhrasesAbsent { .. }
                        | Measure::PhrasesPresent { .. }
                )
            )
        })
        .cloned()
        .collect();
    let name = outgoing.customer_name.trim();
    let interaction = Interaction {
        id: outgoing.request_id,
        touchpoint: outgoing.touchpoint,
        channel: outgoing.channel.to_owned(),
        customer_name: (!name.is_empty()).then(|| name.to_owned()),
        received_at: now,
        first_response_at: Some(now),
        resolved_at: None,
        reply: outgoing.text.to_owned(),
    };
    findings.extend(violation_findings(&on_text, &[interaction], now));
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consistency::{FindingKind, Guideline};

    const GUIDELINE: &str = include_str!("../../../examples/nordlicht/guideline.yaml");

    fn standard(id: i64, measure: Measure, mandatory: bool, channel: Option<&str>) -> Standard {
        Standard {
            id,
            title: format!("Standard {id}"),
            text: "Sprechen Sie Kundinnen und Kunden mit Namen an.".into(),
            mandatory,
            touchpoint: None,
            channel: channel.map(str::to_owned),
            measure: Some(measure),
        }
    }

    fn findings(text: &str, standards: &[Standard]) -> Vec<(FindingKind, String)> {
        let guideline = Guideline::from_yaml(GUIDELINE).expect("guideline");
        let today = jiff::civil::date(2026, 12, 4);
        let checker = Checker::new(&guideline, today).expect("checker");
        let outgoing = Outgoing {
            request_id: 4,
            touchpoint: Some(2),
            channel: "email",
            customer_name: "Petra Wagner",
            subject: "Reklamation",
            text,
        };
        check(&checker, standards, &outgoing, Timestamp::UNIX_EPOCH)
            .into_iter()
            .map(|f| (f.kind, f.rule))
            .collect()
    }

    #[test]
    fn a_wrong_fact_the_wrong_address_and_a_forbidden_term_are_found_with_their_fix() {
        let guideline = Guideline::from_yaml(GUIDELINE).expect("guideline");
        let checker = Checker::new(&guideline, jiff::civil::date(2026, 12, 4)).expect("checker");
        let outgoing = Outgoing {
            request_id: 4,
            touchpoint: None,
            channel: "email",
            customer_name: "",
            subject: "Rückgabe",
            text: "Hallo, du kannst den Tisch innerhalb von 14 Tagen zurückgeben. \
                   Eine Abholung ist leider nicht möglich.",
        };
        let found = check(&checker, &[], &outgoing, Timestamp::UNIX_EPOCH);
        let kinds: Vec<FindingKind> = found.iter().map(|f| f.kind).collect();
        assert_eq!(
            kinds,
            [
                FindingKind::ContradictsGuideline,
                FindingKind::WrongAddress,
                FindingKind::ForbiddenTerm
            ],
            "{found:#?}"
        );
        assert_eq!(found[0].rule, "return-period");
        assert_eq!(found[0].suggestion.as_deref(), Some("write \"30 Tage\""));
        assert_eq!(found[0].places[0].source, "requests/4");
    }

    #[test]
    fn a_text_that_keeps_the_guideline_and_the_standards_passes() {
        let standards = [
            standard(1, Measure::AddressedByName, true, None),
            standard(
                2,
                Measure::PhrasesPresent {
                    phrases: vec!["Ihr Nordlicht Kundenservice".into()],
                },
                true,
                Some("email"),
            ),
        ];
        let text = "Sehr geehrte Frau Wagner, Sie können den Tisch innerhalb von 30 Tagen \
                    zurückgeben. Ihr Nordlicht Kundenservice";
        assert_eq!(findings(text, &standards), []);
    }

    #[test]
    fn mandatory_standards_judged_on_the_text_are_applied_and_the_others_left_out() {
        let standards = [
            standard(1, Measure::AddressedByName, true, None),
            // A recommendation, a standard of another channel, and one on response times.
            standard(2, Measure::AddressedByName, false, None),
            standard(
                3,
                Measure::PhrasesAbsent {
                    phrases: vec!["Sehr geehrte".into()],
                },
                true,
                Some("phone"),
            ),
            standard(4, Measure::FirstResponseWithin { hours: 0 }, true, None),
            standard(
                5,
                Measure::PhrasesAbsent {
                    phrases: vec!["Mit freundlichen Grüßen".into()],
                },
                true,
                Some("email"),
            ),
        ];
        let text = "Sehr geehrte Kundin, Sie erhalten Ersatz. Mit freundlichen Grüßen";
        assert_eq!(
            findings(text, &standards),
            [
                (FindingKind::ViolatesStandard, "Standard 1".to_owned()),
                (FindingKind::ViolatesStandard, "Standard 5".to_owned()),
            ]
        );
    }
}
