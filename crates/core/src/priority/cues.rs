//! Finding urgency and anger in a request's text: German and English cue words, matched at
//! word starts in any case and in the ae/oe/ue/ss spellings, and dropped when a negation stands
//! shortly before them.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind};
use serde::{Deserialize, Serialize};

use super::lexicon::{
    CONTRASTS_ENGLISH, CONTRASTS_GERMAN, ENTRIES, Entry, NEGATION_REACH, NEGATIONS_ENGLISH,
    NEGATIONS_GERMAN, Role,
};

/// The language of a text, for choosing the cue words to look for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    De,
    En,
}

impl Language {
    /// By the primary subtag of a language tag (`de`, `de-AT`, `en_GB`); `None` for others.
    pub fn parse(tag: &str) -> Option<Language> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("de") {
            Some(Language::De)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Language::En)
        } else {
            None
        }
    }
}

/// What a cue says about a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CueKind {
    /// The customer needs an answer soon ("dringend", "asap").
    Urgent,
    /// The customer is angry, disappointed or about to leave ("unverschämt", "cancel").
    Negative,
}

/// One cue word found in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CueHit {
    pub kind: CueKind,
    /// The whole word or phrase as written, with its ending ("Kündigungsfrist", "DRINGEND").
    pub word: String,
    /// Whether a negation stands shortly before it ("nicht dringend"): such a cue counts not.
    pub negated: bool,
    /// Byte range of `word` in the text.
    pub start: usize,
    pub end: usize,
}

/// The built-in cue words compiled into one automaton. Build it once and share it: building
/// takes about a millisecond, [`Cues::detect`] then reads a text once, however many cue words
/// there are.
#[derive(Debug, Clone)]
pub struct Cues {
    automaton: AhoCorasick,
    /// Per pattern of the automaton: the entry it spells.
    entries: Vec<&'static Entry>,
}

impl Default for Cues {
    fn default() -> Self {
        Cues::new()
    }
}

/// A word may continue this far after a stem; past it, a "word" is no prose (a token, a
/// hash) and an entry with listed endings does not match it.
const MAX_ENDING_CHARS: usize = 64;

impl Cues {
    /// Compiles the built-in German and English cue words.
    pub fn new() -> Cues {
        let mut patterns: Vec<String> = Vec::new();
        let mut entries: Vec<&'static Entry> = Vec::new();
        for entry in ENTRIES {
            for spelling in spellings(entry.stem) {
                patterns.push(spelling);
                entries.push(entry);
            }
        }
        // Overlapping search (the default match kind) reports an idiom and the cue inside
        // it both, so the idiom can cancel the cue. The list is this module's constant, so a
        // failure to build shows in every test run and never depends on input.
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&patterns)
            .expect("the built-in cue words fit an automaton");
        Cues { automaton, entries }
    }

    /// Every cue in the text, German and English, negated ones included, in text order.
    pub fn detect(&self, text: &str) -> Vec<CueHit> {
        self.detect_in(text, None)
    }

    /// Like [`Cues::detect`], with only the cue and negation words of `language` (both for
    /// `None`).
    pub fn detect_in(&self, text: &str, language: Option<Language>) -> Vec<CueHit> {
        let mut candidates: Vec<(usize, usize, &Entry)> = Vec::new();
        for found in self.automaton.find_overlapping_iter(text) {
            let entry = self.entries[found.pattern().as_usize()];
            if !entry.languages.include(language) || !starts_word(text, found.start()) {
                continue;
            }
            if let Some(end) = word_end(text, found.end(), entry.endings) {
                candidates.push((found.start(), end, entry));
            }
        }
        // The automaton reports by end; idioms must be seen before the cues inside them.
        candidates.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));

        let mut hits = Vec::new();
        let mut idiom_until = 0;
        let mut previous_cue_end = 0;
        for (start, end, entry) in candidates {
            match entry.role {
                Role::Idiom => idiom_until = idiom_until.max(end),
                Role::Cue { kind, negatable } => {
                    if start < idiom_until || start < previous_cue_end {
                        continue;
                    }
                    // The window ends at the previous cue: in "nicht dringend und verärgert"
                    // the "nicht" belongs to "dringend".
                    let negated = negatable && is_negated(&text[previous_cue_end..start], language);
                    hits.push(CueHit {
                        kind,
                        word: text[start..end].to_owned(),
                        negated,
                        start,
                        end,
                    });
                    previous_cue_end = end;
                }
            }
        }
        hits
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

/// Punctuation that ends a clause: a negation does not reach across it.
fn ends_clause(c: char) -> bool {
    matches!(
        c,
        '.' | ',' | ';' | ':' | '!' | '?' | '(' | ')' | '[' | ']' | '\n' | '\r' | '–' | '—' | '…'
    )
}

fn starts_word(text: &str, start: usize) -> bool {
    text[..start]
        .chars()
        .next_back()
        .is_none_or(|c| !is_word_char(c))
}

/// Where the word that continues after a stem ends, if its remaining letters are one of the
/// entry's endings.
fn word_end(text: &str, stem_end: usize, endings: &[&str]) -> Option<usize> {
    let after = &text[stem_end..];
    let mut length = 0;
    for (count, c) in after.chars().enumerate() {
        if !is_word_char(c) {
            break;
        }
        if count == MAX_ENDING_CHARS {
            // Only an entry that takes any ending matches a word this long; it ends here.
            return endings.contains(&"*").then_some(stem_end + length);
        }
        length += c.len_utf8();
    }
    let rest = after[..length].to_lowercase();
    let fits = endings.iter().any(|ending| match ending.strip_suffix('*') {
        Some(prefix) => rest.starts_with(prefix),
        None => rest == *ending,
    });
    fits.then_some(stem_end + length)
}

/// Whether one of the last [`NEGATION_REACH`] words of `before` is a negation, looking back no
/// further than the clause and stopping at a word of contrast.
fn is_negated(before: &str, language: Option<Language>) -> bool {
    let mut words_seen = 0;
    let mut word_start = before.len();
    let mut word_end = None;
    for (i, c) in before.char_indices().rev() {
        let in_word = word_end.is_some();
        if is_word_char(c) || (in_word && is_apostrophe(c)) {
            if !in_word {
                word_end = Some(i + c.len_utf8());
            }
            word_start = i;
            continue;
        }
        if let Some(end) = word_end.take() {
            match judge(&before[word_start..end], language) {
                WordRole::Negation => return true,
                WordRole::Contrast => return false,
                WordRole::Other => {}
            }
            words_seen += 1;
            if words_seen == NEGATION_REACH {
                return false;
            }
        }
        if ends_clause(c) {
            return false;
        }
    }
    word_end.is_some_and(|end| judge(&before[word_start..end], language) == WordRole::Negation)
}

#[derive(Debug, PartialEq, Eq)]
enum WordRole {
    Negation,
    Contrast,
    Other,
}

fn judge(word: &str, language: Option<Language>) -> WordRole {
    let word = word.to_lowercase();
    let german = language != Some(Language::En);
    let english = language != Some(Language::De);
    let negation = (german && NEGATIONS_GERMAN.contains(&word.as_str()))
        || (english
            && (NEGATIONS_ENGLISH.contains(&word.as_str())
                || word.ends_with("n't")
                || word.ends_with("n’t")));
    if negation {
        WordRole::Negation
    } else if (german && CONTRASTS_GERMAN.contains(&word.as_str()))
        || (english && CONTRASTS_ENGLISH.contains(&word.as_str()))
    {
        WordRole::Contrast
    } else {
        WordRole::Other
    }
}

/// The spellings a stem is matched in. ASCII letters match in any case anyway; for the others
/// the lower-case, capitalised, title-case and upper-case forms are listed, each also with
/// ae/oe/ue/ss for ä/ö/ü/ß, as keyboards and older systems write them.
pub(super) fn spellings(stem: &str) -> Vec<String> {
    let mut forms = vec![stem.to_owned()];
    let plain = transliterate(stem);
    if plain != stem {
        forms.push(plain);
    }
    let mut all: Vec<String> = Vec::new();
    for form in forms {
        if !all.iter().any(|known| known.to_ascii_lowercase() == form) {
            all.push(form.clone());
        }
        for spelling in [
            capitalise(&form, false),
            capitalise(&form, true),
            form.to_uppercase(),
        ] {
            let key = spelling.to_ascii_lowercase();
            if !all.iter().any(|known| known.to_ascii_lowercase() == key) {
                all.push(spelling);
            }
        }
    }
    all
}

fn transliterate(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for c in text.chars() {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            _ => out.push(c),
        }
    }
    out
}

/// The first letter upper case, of every word if `every_word`.
fn capitalise(text: &str, every_word: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at_word_start = true;
    for c in text.chars() {
        if at_word_start {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        at_word_start = every_word && c == ' ';
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words found, as (word, negated), for both languages.
    fn found(text: &str) -> Vec<(String, CueKind, bool)> {
        Cues::new()
            .detect(text)
            .into_iter()
            .map(|hit| (hit.word, hit.kind, hit.negated))
            .collect()
    }

    fn counted(text: &str) -> Vec<String> {
        Cues::new()
            .detect(text)
            .into_iter()
            .filter(|hit| !hit.negated)
            .map(|hit| hit.word)
            .collect()
    }

    use CueKind::{Negative, Urgent};

    #[test]
    fn german_and_english_cues_in_any_case() {
        assert_eq!(
            found("DRINGEND: Das ist eine Frechheit. Please answer ASAP, I am furious."),
            vec![
                ("DRINGEND".to_owned(), Urgent, false),
                ("Frechheit".to_owned(), Negative, false),
                ("ASAP".to_owned(), Urgent, false),
                ("furious".to_owned(), Negative, false),
            ]
        );
    }

    #[test]
    fn a_hit_reports_its_place() {
        let text = "Bitte sofort!";
        let hits = Cues::new().detect(text);
        assert_eq!(hits.len(), 1);
        assert_eq!(&text[hits[0].start..hits[0].end], "sofort");
    }

    #[test]
    fn inflections_and_compounds_that_keep_the_meaning() {
        assert_eq!(
            counted(
                "eine dringende Bitte, die sofortige Kündigung, Kündigungsfrist, \
                 meine Anwältin, eine katastrophale Lage, Ihre Fristsetzung"
            ),
            vec![
                "dringende",
                "sofortige",
                "Kündigung",
                "Kündigungsfrist",
                "Anwältin",
                "katastrophale",
                "Fristsetzung"
            ]
        );
        assert_eq!(
            counted("I cancelled, this is urgently needed, your cancellation"),
            vec!["cancelled", "urgently", "cancellation"]
        );
    }

    #[test]
    fn compounds_with_another_meaning_are_no_cue() {
        // Decided: "Frist" and "Fristen" are deadlines, "Fristenlösung" and "fristgerecht" are
        // not; "Sofortüberweisung" is a way to pay; an announcement ("Ankündigung") is no
        // cancellation, as cues must start a word.
        assert!(
            counted(
                "Fristenlösung, fristgerecht, per Sofortüberweisung bezahlt, \
                 laut Ankündigung, Notfallnummer"
            )
            .is_empty()
        );
        assert_eq!(
            counted("Die Frist ist um, die Fristen laufen"),
            vec!["Frist", "Fristen"]
        );
    }

    #[test]
    fn english_words_keep_their_boundaries() {
        assert!(counted("I am against it, the angrybird app, an urgentish note").is_empty());
        assert_eq!(counted("It broke again."), vec!["again"]);
    }

    #[test]
    fn umlauts_match_in_every_spelling() {
        assert_eq!(
            counted("unverschaemt, Kuendigung, WÜTEND, Wuetend, ENTTÄUSCHT, Aergerlich"),
            vec![
                "unverschaemt",
                "Kuendigung",
                "WÜTEND",
                "Wuetend",
                "ENTTÄUSCHT",
                "Aergerlich"
            ]
        );
    }

    #[test]
    fn german_negations_turn_cues_off() {
        for text in [
            "Das ist nicht dringend.",
            "Es ist kein Notfall.",
            "Keine Eile, bitte.",
            "ohne Eile",
            "Ich bin nicht enttäuscht",
            "nicht so wirklich dringend",
            "Das ist NICHT eilig",
        ] {
            let hits = found(text);
            assert_eq!(hits.len(), 1, "{text}");
            assert!(hits[0].2, "{text}: {hits:?}");
        }
    }

    #[test]
    fn english_negations_turn_cues_off() {
        for text in [
            "This is not urgent.",
            "No rush at all.",
            "Nothing urgent here",
            "It isn't urgent",
            "It isn’t urgent",
            "I'm not angry, just asking",
            "We don't need it immediately",
        ] {
            let hits = found(text);
            assert_eq!(hits.len(), 1, "{text}");
            assert!(hits[0].2, "{text}: {hits:?}");
        }
    }

    #[test]
    fn a_negation_further_away_does_not_negate() {
        // Four words between the negation and the cue.
        assert_eq!(
            found("Ich habe nicht gedacht dass es so dringend wird"),
            vec![("dringend".to_owned(), Urgent, false)]
        );
        assert_eq!(
            found("I do not know why this is urgent"),
            vec![("urgent".to_owned(), Urgent, false)]
        );
    }

    #[test]
    fn a_negation_stops_at_the_clause_and_at_a_contrast() {
        assert_eq!(counted("Nicht schlimm. Dringend!"), vec!["Dringend"]);
        assert_eq!(counted("Not a big deal, urgent though"), vec!["urgent"]);
        assert_eq!(counted("nicht schlimm aber dringend"), vec!["dringend"]);
        assert_eq!(counted("not bad but urgent"), vec!["urgent"]);
    }

    #[test]
    fn a_negation_belongs_to_the_first_cue_after_it() {
        assert_eq!(
            found("nicht dringend und verärgert"),
            vec![
                ("dringend".to_owned(), Urgent, true),
                ("verärgert".to_owned(), Negative, false),
            ]
        );
    }

    #[test]
    fn negated_phrases_that_complain_are_negative() {
        assert_eq!(
            counted("Das ist nicht akzeptabel. I am not happy."),
            vec!["nicht akzeptabel", "not happy"]
        );
    }

    #[test]
    fn repetition_complains_even_after_a_negation() {
        assert_eq!(
            counted("Nicht schon wieder! It didn't work again."),
            vec!["schon wieder", "again"]
        );
        assert_eq!(
            counted("zum wiederholten Male"),
            vec!["zum wiederholten Male"]
        );
    }

    #[test]
    fn thanks_again_is_no_complaint() {
        assert!(counted("Thanks again! Thank you again for your help.").is_empty());
        assert_eq!(counted("Thanks. Broken again."), vec!["again"]);
    }

    #[test]
    fn the_language_chooses_the_words() {
        let cues = Cues::new();
        let words = |text: &str, language| -> Vec<String> {
            cues.detect_in(text, language)
                .into_iter()
                .map(|hit| hit.word)
                .collect()
        };
        let text = "dringend, urgent, Deadline";
        assert_eq!(
            words(text, Some(Language::De)),
            vec!["dringend", "Deadline"]
        );
        assert_eq!(words(text, Some(Language::En)), vec!["urgent", "Deadline"]);
        assert_eq!(words(text, None), vec!["dringend", "urgent", "Deadline"]);
        // German negations in an English text negate nothing.
        let not_german = cues.detect_in("kein urgent", Some(Language::En));
        assert!(!not_german[0].negated);
    }

    #[test]
    fn language_tags_are_read_by_their_primary_subtag() {
        assert_eq!(Language::parse("de-AT"), Some(Language::De));
        assert_eq!(Language::parse("EN_gb"), Some(Language::En));
        assert_eq!(Language::parse("fr"), None);
        assert_eq!(Language::parse(""), None);
    }

    #[test]
    fn no_two_entries_share_a_spelling_and_endings_are_ascii() {
        let mut seen = std::collections::HashSet::new();
        for entry in ENTRIES {
            for spelling in spellings(entry.stem) {
                assert!(
                    seen.insert(spelling.to_ascii_lowercase()),
                    "{spelling} twice"
                );
            }
            assert!(entry.endings.iter().all(|e| e.is_ascii()), "{}", entry.stem);
            assert_eq!(entry.stem, entry.stem.to_lowercase());
        }
    }

    #[test]
    fn spellings_cover_case_and_umlauts() {
        assert_eq!(spellings("wütend"), vec!["wütend", "WÜTEND", "wuetend"]);
        assert_eq!(spellings("ärger"), vec!["ärger", "Ärger", "aerger"]);
        assert_eq!(spellings("asap"), vec!["asap"]);
    }

    #[test]
    fn detect_reads_a_long_text_in_one_pass() {
        // Every word a cue and long words without any: the work stays linear in the text.
        let mut text = "dringend nicht eilig ".repeat(20_000);
        text.push_str(&"x".repeat(100_000));
        text.push_str(" Kündigung");
        let hits = Cues::new().detect(&text);
        assert_eq!(hits.len(), 40_001);
        assert_eq!(hits.iter().filter(|hit| hit.negated).count(), 20_000);
    }
}
