//! Closing the loop: an unhappy customer who says why opens a follow-up request in the queue.
//!
//! A detractor (see [`crate::kpi::Metric::is_detractor`]) whose answer carries a comment gets a request of
//! high priority at the answer's touchpoint, on its channel, for its customer reference,
//! quoting the comment and the score. Answers without a comment say too little to act on,
//! anonymous ones leave no one to get back to, and an answer recorded more than [`WINDOW`] after it was given (an import of the past)
//! opens none: a call that late comes too late, and history does not flood the queue.

use jiff::{SignedDuration, Timestamp};

use crate::customer::{Identifier, IdentifierKind};
use crate::request::{NewRequest, Priority};
use crate::survey::ResponseFields;

/// The source follow-up requests are recorded under.
pub const SOURCE: &str = "follow-up";

/// How long after an answer a follow-up is still opened for it.
pub const WINDOW: SignedDuration = SignedDuration::from_hours(7 * 24);

/// The longest subject excerpt of the comment, in characters.
const SUBJECT_EXCERPT: usize = 60;

/// A follow-up request to open for an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    pub subject: String,
    pub body: String,
    pub priority: Priority,
    pub channel: String,
    pub touchpoint_id: i64,
    pub customer_ref: Option<String>,
    /// `de` or `en`: the language of the texts above.
    pub language: &'static str,
}

impl FollowUp {
    /// The request for the intake: the customer reference as a customer number, when it
    /// reads as one, so that the customer's profile is found as intake finds it.
    pub fn into_request(self) -> NewRequest {
        let identifiers = self
            .customer_ref
            .as_deref()
            .and_then(|r| Identifier::parse(IdentifierKind::CustomerNumber, r).ok())
            .into_iter()
            .collect();
        NewRequest {
            channel: self.channel,
            touchpoint_id: Some(self.touchpoint_id),
            source: SOURCE.to_owned(),
            customer_name: String::new(),
            identifiers,
            subject: self.subject,
            body: self.body,
            received_at: None,
            language: self.language.to_owned(),
            external_id: None,
            priority: self.priority,
            first_response_at: None,
            resolved_at: None,
            message_id: None,
        }
    }
}

/// The follow-up an answer recorded at `now` opens, if any: a detractor's score, a comment
/// that is not blank, a customer reference to get back to (an anonymous answer leaves no
/// one to call, and a public link must not fill the queue), given at most [`WINDOW`] before. `channel` is the channel the answer is
/// recorded under; `lang` the language the customer answered in, German when unknown or
/// neither German nor English.
pub fn follow_up(
    answer: &ResponseFields,
    channel: &str,
    lang: Option<&str>,
    now: Timestamp,
) -> Option<FollowUp> {
    let comment = answer.comment.trim();
    let named = answer
        .customer_ref
        .as_deref()
        .is_some_and(|r| !r.trim().is_empty());
    if comment.is_empty()
        || !named
        || !answer.metric.is_detractor(answer.score)
        || now.duration_since(answer.answered_at) > WINDOW
    {
        return None;
    }
    let language = match lang {
        Some("en") => "en",
        _ => "de",
    };
    let (_, max) = answer.metric.scale();
    let metric = answer.metric.as_str().to_uppercase();
    let excerpt = excerpt(comment);
    let (subject, body) = if language == "en" {
        (
            format!("Follow-up: {metric} {}/{max}: {excerpt}", answer.score),
            format!(
                "A customer gave {metric} {score} of {max} and wrote:\n\n{comment}\n\n\
                 Please get in touch and close the loop.",
                score = answer.score
            ),
        )
    } else {
        (
            format!("Nachfassen: {metric} {}/{max}: {excerpt}", answer.score),
            format!(
                "Eine Kundin oder ein Kunde hat {metric} {score} von {max} gegeben und \
                 geschrieben:\n\n{comment}\n\nBitte melden Sie sich und schließen Sie den Kreis.",
                score = answer.score
            ),
        )
    };
    Some(FollowUp {
        subject,
        body,
        priority: Priority::High,
        channel: channel.to_owned(),
        touchpoint_id: answer.touchpoint_id,
        customer_ref: answer.customer_ref.clone(),
        language,
    })
}

/// The comment's first line, cut at [`SUBJECT_EXCERPT`] characters with an ellipsis.
fn excerpt(comment: &str) -> String {
    let line = comment.lines().next().unwrap_or_default().trim();
    if line.chars().count() <= SUBJECT_EXCERPT {
        line.to_owned()
    } else {
        let cut: String = line.chars().take(SUBJECT_EXCERPT).collect();
        format!("{}…", cut.trim_end())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::kpi::Metric;

    fn now() -> Timestamp {
        "2026-11-23T12:00:00Z".parse().unwrap()
    }

    fn answer(metric: Metric, score: u8, comment: &str) -> ResponseFields {
        ResponseFields {
            touchpoint_id: 7,
            survey_id: Some(3),
            metric,
            score,
            comment: comment.into(),
            answered_at: now(),
            channel: None,
            customer_ref: Some("K-10042".into()),
            external_id: None,
            request_id: None,
        }
    }

    fn opens(metric: Metric, score: u8) -> bool {
        follow_up(
            &answer(metric, score, "Zu lange gewartet"),
            "phone",
            None,
            now(),
        )
        .is_some()
    }

    #[test]
    fn detractors_end_at_each_metrics_boundary() {
        // NPS: 0–6 detractors, 7–8 passives, 9–10 promoters.
        assert!(opens(Metric::Nps, 0));
        assert!(opens(Metric::Nps, 6));
        assert!(!opens(Metric::Nps, 7));
        assert!(!opens(Metric::Nps, 10));
        // CSAT 1–5: the bottom-two box.
        assert!(opens(Metric::Csat, 1));
        assert!(opens(Metric::Csat, 2));
        assert!(!opens(Metric::Csat, 3));
        // CES 1 (very difficult) to 7 (very easy): 1–2 are the unhappy end, 6–7 the happy one.
        assert!(opens(Metric::Ces, 1));
        assert!(opens(Metric::Ces, 2));
        assert!(!opens(Metric::Ces, 3));
        assert!(!opens(Metric::Ces, 6));
        assert!(!opens(Metric::Ces, 7));
    }

    #[test]
    fn a_detractor_without_a_comment_opens_nothing() {
        assert_eq!(
            follow_up(&answer(Metric::Nps, 0, ""), "phone", None, now()),
            None
        );
        assert_eq!(
            follow_up(&answer(Metric::Nps, 0, "  \n "), "phone", None, now()),
            None
        );
    }

    #[test]
    fn an_anonymous_detractor_opens_nothing() {
        for reference in [None, Some("  ".to_owned())] {
            let anonymous = ResponseFields {
                customer_ref: reference,
                ..answer(Metric::Nps, 0, "Niemand hat zurückgerufen")
            };
            assert_eq!(follow_up(&anonymous, "phone", None, now()), None);
        }
    }

    #[test]
    fn the_follow_up_quotes_comment_and_score_with_high_priority() {
        let german = follow_up(
            &answer(Metric::Nps, 3, " Zu lange gewartet "),
            "phone",
            None,
            now(),
        )
        .unwrap();
        assert_eq!(german.subject, "Nachfassen: NPS 3/10: Zu lange gewartet");
        assert!(german.body.contains("NPS 3 von 10"), "{}", german.body);
        assert!(
            german.body.contains("\n\nZu lange gewartet\n\n"),
            "{}",
            german.body
        );
        assert_eq!(german.priority, Priority::High);
        assert_eq!(
            (german.channel.as_str(), german.touchpoint_id),
            ("phone", 7)
        );
        assert_eq!(german.customer_ref.as_deref(), Some("K-10042"));
        assert_eq!(german.language, "de");
        let english = follow_up(
            &answer(Metric::Csat, 2, "Rude staff"),
            "store",
            Some("en"),
            now(),
        )
        .unwrap();
        assert_eq!(english.subject, "Follow-up: CSAT 2/5: Rude staff");
        assert!(english.body.contains("CSAT 2 of 5"), "{}", english.body);
        assert_eq!(english.language, "en");
        // Another language is not one of the product's: German.
        let french = follow_up(&answer(Metric::Ces, 1, "Non"), "store", Some("fr"), now()).unwrap();
        assert_eq!(french.language, "de");
    }

    #[test]
    fn an_answer_older_than_a_week_opens_nothing() {
        let mut old = answer(Metric::Nps, 0, "Zu lange gewartet");
        old.answered_at = now() - WINDOW;
        assert!(follow_up(&old, "phone", None, now()).is_some());
        old.answered_at = now() - WINDOW - SignedDuration::from_secs(1);
        assert_eq!(follow_up(&old, "phone", None, now()), None);
    }

    #[test]
    fn a_long_comment_is_cut_in_the_subject_but_whole_in_the_body() {
        let long = format!("{}\nzweite Zeile", "ä".repeat(70));
        let f = follow_up(&answer(Metric::Nps, 1, &long), "phone", None, now()).unwrap();
        assert_eq!(
            f.subject,
            format!("Nachfassen: NPS 1/10: {}…", "ä".repeat(SUBJECT_EXCERPT))
        );
        assert!(f.body.contains(&long));
    }

    #[test]
    fn the_request_carries_the_customer_reference_as_customer_number() {
        let request = follow_up(&answer(Metric::Nps, 2, "schlecht"), "phone", None, now())
            .unwrap()
            .into_request();
        assert_eq!(request.source, SOURCE);
        assert_eq!(request.priority, Priority::High);
        assert_eq!(request.touchpoint_id, Some(7));
        assert_eq!(request.identifiers.len(), 1);
        assert_eq!(request.identifiers[0].kind, IdentifierKind::CustomerNumber);
        assert_eq!(request.language, "de");
    }
}
