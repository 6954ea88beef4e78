//! How personal the messages to customers are: the share of replies that address the
//! customer by name and use at least one fact of the customer's own (their customer number,
//! lifetime value, the day or amount of their last order).

use serde::Serialize;

use crate::standards::addresses_by_name;

/// How one reply was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Judged {
    pub by_name: bool,
    pub uses_facts: bool,
}

impl Judged {
    /// Both: what counts as personalised.
    pub fn personalised(self) -> bool {
        self.by_name && self.uses_facts
    }
}

/// Judges one reply to the customer `name`, whose own facts are `facts` as a message would
/// write them ("KD-4711", "02.03.2026", "499 €"). A fact counts when the reply holds it as
/// whole words, without regard to case ("KD-1" is not in "KD-10", "5 €" not in "25 €"); facts
/// of fewer than three characters are too common to tell.
pub fn judge(reply: &str, name: &str, facts: &[String]) -> Judged {
    let words = words_of(reply);
    Judged {
        by_name: !name.trim().is_empty() && addresses_by_name(reply, name),
        uses_facts: facts
            .iter()
            .filter(|f| f.trim().chars().count() >= 3)
            .map(|f| words_of(f))
            .any(|fact| !fact.is_empty() && words.windows(fact.len()).any(|w| w == fact)),
    }
}

/// The words of a text as facts are written in it: split at white space, punctuation at
/// either end dropped, so that "1.499,00 €" stays one number and "KD-4711," one number.
fn words_of(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// Replies counted by how they were written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Share {
    pub replies: u64,
    /// Addressing the customer by name.
    pub by_name: u64,
    /// Using at least one fact of the customer's.
    pub uses_facts: u64,
    /// Both.
    pub personalised: u64,
}

impl Share {
    pub fn add(&mut self, judged: Judged) {
        self.replies += 1;
        self.by_name += u64::from(judged.by_name);
        self.uses_facts += u64::from(judged.uses_facts);
        self.personalised += u64::from(judged.personalised());
    }

    /// The share of personalised replies, if there was any reply.
    pub fn rate(&self) -> Option<f64> {
        (self.replies > 0).then(|| self.personalised as f64 / self.replies as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PETRA: &str = "Petra Schulz";

    fn facts() -> Vec<String> {
        ["KD-4711", "02.03.2026", "499 €", "", "B2"]
            .map(String::from)
            .to_vec()
    }

    #[test]
    fn a_reply_is_personal_by_name_and_by_a_fact_of_the_customers() {
        let judged = |text: &str| judge(text, PETRA, &facts());
        assert_eq!(
            judged("Sehr geehrte Frau Schulz, Ihre Bestellung vom 02.03.2026 kommt."),
            Judged {
                by_name: true,
                uses_facts: true
            }
        );
        assert!(judged("Hallo Petra, Ihre Nummer kd-4711.").personalised());
        let generic = judged("Sehr geehrte Damen und Herren, danke für Ihre Nachricht.");
        assert_eq!((generic.by_name, generic.uses_facts), (false, false));
        // A name within another word, or a fact too short to tell, is not enough.
        let near = judged("Die Schulzeit ist vorbei, B2 ist da.");
        assert_eq!((near.by_name, near.uses_facts), (false, false));
        // A fact counts as whole words only.
        let partial = judged("Sehr geehrte Frau Schulz, KD-47110 und 1.499 € und 2499 €.");
        assert_eq!((partial.by_name, partial.uses_facts), (true, false));
        assert!(judged("Frau Schulz, Sie zahlten 499 €.").uses_facts);
        // Without a known name, no reply addresses the customer by it.
        let nameless = judge("Guten Tag, KD-4711", "", &facts());
        assert_eq!((nameless.by_name, nameless.uses_facts), (false, true));
    }

    #[test]
    fn shares_count_each_reply_once() {
        let mut share = Share::default();
        assert_eq!(share.rate(), None);
        for (by_name, uses_facts) in [(true, true), (true, false), (false, true), (false, false)] {
            share.add(Judged {
                by_name,
                uses_facts,
            });
        }
        assert_eq!(
            share,
            Share {
                replies: 4,
                by_name: 2,
                uses_facts: 2,
                personalised: 1
            }
        );
        assert_eq!(share.rate(), Some(0.25));
    }
}
