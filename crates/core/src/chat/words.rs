//! How the chat bot reads a text: words folded to one spelling (case, umlauts written as
//! ae/oe/ue, hyphens), the words every question carries dropped, synonyms mapped to one word,
//! and each word stemmed in German and in English, because a customer on a German page may
//! write English and the other way round.

use std::collections::HashMap;

use rust_stemmers::{Algorithm, Stemmer};

use super::lexicon::{GREETINGS, PERSON, STOP_WORDS, SYNONYMS, THANKS};

/// One word of a text as the bot compares it: its folded spelling and its stems.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Lower case, umlauts as ae/oe/ue, ß as ss, hyphens removed; a synonym as its group's
    /// first word.
    pub folded: String,
    /// The German and the English stem, once when they agree.
    pub terms: Vec<String>,
}

/// What a message is besides a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// Only greetings: "Hallo!", "Guten Tag".
    Greeting,
    /// Only thanks: "Danke!", "thank you".
    Thanks,
    /// The customer asks for a person.
    Person,
    /// A question for the sources.
    Question,
}

/// The bot's reading of words; built once, used for every text.
pub struct Words {
    german: Stemmer,
    english: Stemmer,
    synonyms: HashMap<&'static str, &'static str>,
    /// The lexicon's words a compound may begin or end with, longest first.
    parts: Vec<&'static str>,
}

impl Default for Words {
    fn default() -> Self {
        Words::new()
    }
}

impl Words {
    pub fn new() -> Words {
        let mut synonyms = HashMap::new();
        for group in SYNONYMS {
            for word in *group {
                synonyms.insert(*word, group[0]);
            }
        }
        let mut parts: Vec<&'static str> = SYNONYMS
            .iter()
            .flat_map(|group| group.iter().copied())
            .filter(|w| w.len() >= 5)
            .collect();
        parts.sort_by_key(|w| std::cmp::Reverse(w.len()));
        Words {
            german: Stemmer::create(Algorithm::German),
            english: Stemmer::create(Algorithm::English),
            synonyms,
            parts,
        }
    }

    /// The words of `text` that carry meaning, in order; a compound is followed by the
    /// lexicon's words it begins and ends with.
    pub fn read(&self, text: &str) -> Vec<Word> {
        let mut out = Vec::new();
        for folded in folded_words(text).filter(|w| !is_stop_word(w)) {
            let (head, tail) = self.compound_parts(&folded);
            out.push(self.word(folded));
            out.extend(
                head.into_iter()
                    .chain(tail)
                    .map(|p| self.word(p.to_owned())),
            );
        }
        out
    }

    /// The longest lexicon words a word begins and ends with, other than itself.
    fn compound_parts(&self, word: &str) -> (Option<&'static str>, Option<&'static str>) {
        if word.len() < 7 {
            return (None, None);
        }
        // A part leaves at least three letters: "solange" is no compound of "lange".
        let shorter = || {
            self.parts
                .iter()
                .copied()
                .filter(|p| p.len() + 3 <= word.len())
        };
        let head = shorter().find(|p| word.starts_with(p));
        let tail = shorter().find(|p| word.ends_with(p));
        (head, tail)
    }

    /// One folded word, mapped to its synonym group and stemmed.
    pub fn word(&self, folded: String) -> Word {
        let folded = match self.synonyms.get(folded.as_str()) {
            Some(first) => (*first).to_owned(),
            None => folded,
        };
        let german = self.german.stem(&folded).into_owned();
        let english = self.english.stem(&folded).into_owned();
        let terms = if german == english {
            vec![german]
        } else {
            vec![german, english]
        };
        Word { folded, terms }
    }

    /// Whether the message greets, thanks, asks for a person or asks a question.
    pub fn intent(&self, text: &str) -> Intent {
        let words: Vec<String> = folded_words(text).collect();
        if words.iter().any(|w| PERSON.contains(&w.as_str())) {
            return Intent::Person;
        }
        let only = |list: &[&str]| {
            !words.is_empty()
                && words
                    .iter()
                    .all(|w| list.contains(&w.as_str()) || is_stop_word(w))
                && words.iter().any(|w| list.contains(&w.as_str()))
        };
        if only(THANKS) {
            Intent::Thanks
        } else if only(GREETINGS) {
            Intent::Greeting
        } else {
            Intent::Question
        }
    }
}

/// Whether a word says nothing about what is asked, inflected too: "Schranks", "Sachen".
fn is_stop_word(word: &str) -> bool {
    let listed = |w: &str| STOP_WORDS.binary_search(&w).is_ok();
    listed(word)
        || ["s", "es", "e", "en", "n"].iter().any(|ending| {
            word.len() > ending.len() + 2 && word.strip_suffix(ending).is_some_and(listed)
        })
}

/// The words of a text, folded: letters and digits, a hyphen between two of them joins them
/// ("E-Mail" is "email"), everything else separates.
pub fn folded_words(text: &str) -> impl Iterator<Item = String> + '_ {
    let mut chars = text.chars().peekable();
    std::iter::from_fn(move || {
        let mut word = String::new();
        while let Some(c) = chars.next() {
            if c.is_alphanumeric() {
                fold_into(&mut word, c);
            } else if c == '-'
                && !word.is_empty()
                && chars.peek().is_some_and(|n| n.is_alphanumeric())
            {
                continue;
            } else if !word.is_empty() {
                return Some(word);
            }
        }
        (!word.is_empty()).then_some(word)
    })
}

fn fold_into(out: &mut String, c: char) {
    match c {
        'ä' | 'Ä' => out.push_str("ae"),
        'ö' | 'Ö' => out.push_str("oe"),
        'ü' | 'Ü' => out.push_str("ue"),
        'ß' | 'ẞ' => out.push_str("ss"),
        'à' | 'á' | 'â' | 'À' | 'Á' | 'Â' => out.push('a'),
        'è' | 'é' | 'ê' | 'È' | 'É' | 'Ê' => out.push('e'),
        'ì' | 'í' | 'î' | 'Ì' | 'Í' | 'Î' => out.push('i'),
        'ò' | 'ó' | 'ô' | 'Ò' | 'Ó' | 'Ô' => out.push('o'),
        'ù' | 'ú' | 'û' | 'Ù' | 'Ú' | 'Û' => out.push('u'),
        c => out.extend(c.to_lowercase()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(text: &str) -> Vec<String> {
        Words::new()
            .read(text)
            .into_iter()
            .map(|w| w.folded)
            .collect()
    }

    #[test]
    fn umlauts_and_their_ascii_spelling_read_alike() {
        let words = Words::new();
        assert_eq!(words.read("Rückgabe"), words.read("Rueckgabe"));
        assert_eq!(words.read("GRÖSSE"), words.read("größe"));
    }

    #[test]
    fn question_words_fall_away_and_hyphens_join() {
        assert_eq!(
            folded("Wie kann ich Ihnen eine E-Mail schreiben?"),
            ["email", "email"]
        );
        assert_eq!(folded("How do I reach you?"), ["kundenservice"]);
    }

    #[test]
    fn synonyms_become_their_groups_first_word() {
        assert_eq!(folded("Umtausch"), folded("Rückgabe"));
        assert_eq!(folded("refund"), folded("Rückgabe"));
        assert_eq!(folded("warranty"), folded("Garantie"));
    }

    #[test]
    fn inflections_share_a_stem() {
        let words = Words::new();
        let stems = |text: &str| words.read(text).remove(0).terms;
        let drawers = stems("Schubladen");
        assert!(stems("Schublade").iter().any(|t| drawers.contains(t)));
        let drawers = stems("drawers");
        assert!(stems("drawer").iter().any(|t| drawers.contains(t)));
    }

    #[test]
    fn the_stop_word_list_is_sorted_for_binary_search() {
        assert!(
            STOP_WORDS.windows(2).all(|w| w[0] < w[1]),
            "sort STOP_WORDS"
        );
    }

    #[test]
    fn intents() {
        let words = Words::new();
        assert_eq!(words.intent("Hallo!"), Intent::Greeting);
        assert_eq!(words.intent("Guten Tag"), Intent::Greeting);
        assert_eq!(words.intent("Danke schön!"), Intent::Thanks);
        assert_eq!(words.intent("thanks a lot"), Intent::Thanks);
        assert_eq!(
            words.intent("Ich möchte mit einem Menschen sprechen"),
            Intent::Person
        );
        assert_eq!(words.intent("Can I talk to a human?"), Intent::Person);
        assert_eq!(
            words.intent("Hallo, wie lange dauert die Lieferung?"),
            Intent::Question
        );
    }
}
