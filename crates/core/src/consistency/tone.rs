//! Form of address in German text: formal "Sie" or informal "Du".
//!
//! [`address_marks`] finds every word that surely shows how a text addresses its reader, so the
//! checker can flag a newsletter that says "du" where the guideline says "Sie", and the other way
//! round. False alarms annoy content teams, so where German is ambiguous the rules find nothing:
//!
//! - **Informal**: du, dich, dir, dein, deine, deinen, deinem, deiner, deines and the plural euch,
//!   euer, eure, euren, eurem, eurer, eures, in any case and anywhere in a sentence. "ihr" is also
//!   "her"/"their", so it counts only next to a verb form that exists for "ihr" alone ("Habt ihr
//!   Fragen?", "Ihr könnt"); so does a capitalised "Ihr" ("habt Ihr", letter style).
//! - **Formal**: Sie, Ihnen, Ihr, Ihre, Ihren, Ihrem, Ihrer, Ihres, spelt exactly so (lower-case
//!   "sie"/"ihr" are third person, all-caps "SIE" could be either) and not at the start of a
//!   sentence, where "Sie kommen" may be "they come", "Ihr Paket" "her parcel" and "Ihnen" "them".
//! - **Sentence start**: the start of the text; after `.`, `!`, `?`, `:` or `…`; a new line, unless
//!   the line before ends with a comma (the salutation "Sehr geehrte Frau Müller," goes on with
//!   the sentence); a list bullet at the start of a line (`-`, `*`, `–`, `#`, `>`, `1)`, `a)`);
//!   an item separator anywhere (`•`, `·`, `|`). The full stop of a common abbreviation ("z. B.",
//!   "d. h.", "bzw.", "inkl.", "zzgl.") ends no sentence. Brackets and closing quotes are looked
//!   through: "Gut! (Sie …" starts a sentence.
//! - **Whole words** with Unicode word boundaries: "Dusche", "durch", "Produkt", "Fürdich" and a
//!   "du" followed by a combining umlaut (decomposed "dürfen") are no marks.
//! - **Not address**: quoted speech („…“, "…", “…”, »…«, «…»; a quote that is never closed ends
//!   with its paragraph, an `"` after a digit is an inch sign); parts of compounds, web and mail
//!   addresses ("Du-Form", "Sie/Du", "dein-shop.de"); the pronoun as a noun after a preposition
//!   ("per Du", "beim Sie bleiben"); French "du" in names ("Côtes du Rhône", "Château du Tertre").
//!   Greetings ("Hallo", "Liebe Anna", "Sehr geehrte") carry no address and are not looked at.
//!
//! Known gaps, all on the safe side: a plural "ihr" without one of those verbs ("Schön, dass ihr
//! da seid") and a "Sie" right after a new line or a colon are not counted.
//!
//! One pass over the words of the text, each judged by the characters just around it and a
//! little state carried from the gap before it: linear in the text.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};
use serde::{Deserialize, Serialize};

use super::blocks::{BLOCK, non_word_bytes, window};

/// The form of address of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Address {
    /// "Sie": siezen. A guideline may write `sie`.
    #[serde(alias = "sie", alias = "Sie")]
    Formal,
    /// "Du", and "ihr" to several readers: duzen. A guideline may write `du`.
    #[serde(alias = "du", alias = "Du")]
    Informal,
}

impl Address {
    /// The pronoun that names the form: "sie" or "du".
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Formal => "sie",
            Self::Informal => "du",
        }
    }

    /// Reads "sie"/"formal" or "du"/"informal", in any case, surrounding blanks ignored.
    pub fn parse(s: &str) -> Option<Address> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("sie") || s.eq_ignore_ascii_case("formal") {
            Some(Self::Formal)
        } else if s.eq_ignore_ascii_case("du") || s.eq_ignore_ascii_case("informal") {
            Some(Self::Informal)
        } else {
            None
        }
    }
}

/// One word that shows the form of address: its byte range in the text and which form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressMark {
    pub start: usize,
    pub end: usize,
    pub address: Address,
    pub word: String,
}

/// A word: a run of Unicode word characters, as the regular expression `\w` matches them
/// (letters, marks, decimal digits, connector punctuation such as `_`, and joiners).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Word<'t> {
    start: usize,
    end: usize,
    text: &'t str,
}

impl<'t> Word<'t> {
    fn start(&self) -> usize {
        self.start
    }

    fn end(&self) -> usize {
        self.end
    }

    fn as_str(&self) -> &'t str {
        self.text
    }
}

/// Whether `c` is a word character of `\w`; ASCII and the letters of Western European
/// languages are decided without the Unicode table.
fn is_word_char(c: char) -> bool {
    match c {
        '\0'..='\u{7F}' => c.is_ascii_alphanumeric() || c == '_',
        '\u{C0}'..='\u{FF}' => c != '×' && c != '÷',
        // Spaces, dashes, quotes and currency signs; of these only the joiners and the
        // connecting ties are part of words.
        '\u{2000}'..='\u{206F}' | '\u{20A0}'..='\u{20CF}' => {
            matches!(c, '\u{200C}' | '\u{200D}' | '‿' | '⁀' | '⁔')
        }
        _ => regex_syntax::is_word_character(c),
    }
}

/// The words of `text` in order. The text is read in blocks of 64 bytes, each a bit mask of
/// the bytes that are part of words (see `blocks`), and a word's start and end are the next
/// set and clear bits: a loop over the bytes paid a branch at each one, a regular
/// expression's search for `\w+` several times as much per word, and this pass reads every
/// word of every text the checker is given.
fn words(text: &str) -> Words<'_> {
    let mut words = Words {
        text,
        block: 0,
        word: 0,
        from: 0,
        open: None,
        spill: 0,
        pad: [0; BLOCK],
    };
    words.read_block();
    words
}

#[derive(Clone)]
struct Words<'t> {
    text: &'t str,
    /// Where the block of `word` begins.
    block: usize,
    /// Bit `i`: the byte at `block + i` is part of a word.
    word: u64,
    /// The bits of `word` below this one are read.
    from: u32,
    /// Where the word being read begins, once its start is found.
    open: Option<usize>,
    /// The bytes, in the next block, of a character that is not part of a word.
    spill: u64,
    /// The last block of the text, padded (see `blocks::window`).
    pad: [u8; BLOCK],
}

impl Words<'_> {
    fn read_block(&mut self) {
        let block = window(self.text.as_bytes(), self.block, &mut self.pad);
        let (non_word, _) =
            non_word_bytes(block, self.text, self.block, &mut self.spill, is_word_char);
        self.word = !non_word;
        self.from = 0;
    }
}

impl<'t> Iterator for Words<'t> {
    type Item = Word<'t>;

    #[inline]
    fn next(&mut self) -> Option<Word<'t>> {
        loop {
            let unread = u64::MAX << self.from;
            match self.open {
                None => {
                    let starts = self.word & unread;
                    if starts != 0 {
                        self.from = starts.trailing_zeros();
                        self.open = Some(self.block + self.from as usize);
                        continue;
                    }
                }
                Some(start) => {
                    let ends = !self.word & unread;
                    if ends != 0 {
                        self.from = ends.trailing_zeros();
                        self.open = None;
                        let end = self.block + self.from as usize;
                        return Some(Word {
                            start,
                            end,
                            text: &self.text[start..end],
                        });
                    }
                }
            }
            if self.block + BLOCK >= self.text.len() {
                // The last block is read: a word that runs to the end of the text ends there.
                self.word = 0;
                let start = self.open.take()?;
                return Some(Word {
                    start,
                    end: self.text.len(),
                    text: &self.text[start..],
                });
            }
            self.block += BLOCK;
            self.read_block();
        }
    }
}

/// The byte ranges of the words of `text`, which `\w+` would find, as the tone pass walks
/// them; for the benchmark of its parts.
pub fn word_spans(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    words(text).map(|w| (w.start, w.end))
}

/// Pronouns of the informal address, in any case.
const INFORMAL: &[&str] = &[
    "du", "dich", "dir", "dein", "deine", "deinen", "deinem", "deiner", "deines", "euch", "euer",
    "eure", "euren", "eurem", "eurer", "eures",
];

/// Pronouns of the formal address, spelt exactly so.
const FORMAL: &[&str] = &[
    "Sie", "Ihnen", "Ihr", "Ihre", "Ihren", "Ihrem", "Ihrer", "Ihres",
];

/// "ihr" in any spelling: informal plural beside a verb form of "ihr" alone, else maybe the
/// formal "Ihr".
const IHR: &str = "ihr";

/// Verb forms that exist only with "ihr" (unlike "hat", "kommt", which are also third person).
const IHR_VERBS: &[&str] = &[
    "habt", "seid", "könnt", "wollt", "müsst", "dürft", "sollt", "wisst", "mögt", "werdet",
    "möchtet", "würdet", "hättet", "wärt", "wäret",
];

/// Prepositions after which "Du"/"Sie" is the noun: "per Du", "beim Sie bleiben".
const NOMINALISERS: &[&str] = &["per", "beim", "vom", "zum", "ans", "ins", "im"];

/// Words before a French "du" in names of wines, places and dishes.
const FRENCH: &[&str] = &[
    "château", "domaine", "côtes", "côte", "clos", "café", "hôtel", "maison", "crème", "moulin",
    "chemin", "jardin", "pays", "mas", "tour",
];

/// Abbreviations whose full stop ends no sentence (compared without case).
const ABBREVIATIONS: &[&str] = &[
    "bzw", "ca", "inkl", "exkl", "zzgl", "abzgl", "ggf", "evtl", "vgl", "bspw", "bzgl", "insb",
    "sog", "gem", "lt", "nr",
];

/// Two-letter abbreviations as (first, second) letter: "z. B.", "d. h.", "u. a.", "o. Ä.".
const LETTER_ABBREVIATIONS: &[(&str, &str)] = &[("z", "B"), ("d", "h"), ("u", "a"), ("o", "Ä")];

/// Hyphens that join a word into a compound ("Du-Form").
const HYPHENS: &[char] = &['-', '\u{2010}', '\u{2011}'];

/// Characters that join words into one token (compound, path, web or mail address).
const JOINERS: &[char] = &['-', '\u{2010}', '\u{2011}', '/', '@', '.', '&', '+'];

/// Every sure sign of a form of address in German text, in order.
pub fn address_marks(text: &str) -> Vec<AddressMark> {
    if !has_pronoun(text) {
        // Texts in other languages, most of all: no word to judge.
        return Vec::new();
    }
    let mut marks = Vec::new();
    let mut scan = Scanner::default();
    let mut words = words(text);
    let mut gap_start = 0;
    while let Some(word) = words.next() {
        let before = &text[gap_start..word.start()];
        scan.cross_gap(before);
        // Only a pronoun is judged, and only then is the word after it looked up.
        if let Some(kind) = candidate(word.as_str()) {
            let next = words.clone().next();
            let after = &text[word.end()..next.map_or(text.len(), |n| n.start())];
            if let Some(address) = scan.judge(word, kind, before, after, next) {
                marks.push(AddressMark {
                    start: word.start(),
                    end: word.end(),
                    address,
                    word: word.as_str().to_owned(),
                });
            }
        }
        scan.after_word(word.as_str());
        gap_start = word.end();
    }
    marks
}

/// The pronouns of address, in any case, for [`has_pronoun`].
static PRONOUNS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .build(INFORMAL.iter().chain(FORMAL).chain(&[IHR]))
        .expect("a few short patterns build")
});

/// Whether some word of `text` could be a pronoun of address ([`candidate`]): a search for the
/// pronouns' letters, each found one checked to be a whole word. A pronoun's letters are word
/// characters, so a found place never hides one that starts within it.
fn has_pronoun(text: &str) -> bool {
    PRONOUNS.find_iter(text).any(|found| {
        let whole = |at: Option<char>| !at.is_some_and(is_word_char);
        whole(text[..found.start()].chars().next_back())
            && whole(text[found.end()..].chars().next())
            && candidate(&text[found.range()]).is_some()
    })
}

/// The form the text mostly uses, if any sign was found; on a tie, the form it uses first.
pub fn dominant(marks: &[AddressMark]) -> Option<Address> {
    let first = marks.first()?.address;
    let formal = marks
        .iter()
        .filter(|m| m.address == Address::Formal)
        .count();
    let informal = marks.len() - formal;
    Some(match formal.cmp(&informal) {
        std::cmp::Ordering::Greater => Address::Formal,
        std::cmp::Ordering::Less => Address::Informal,
        std::cmp::Ordering::Equal => first,
    })
}

/// What a word could be, before its surroundings are looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Candidate {
    /// du, dich, …, euch, euer, …
    Informal,
    /// "ihr" in any spelling: informal plural next to an ihr-verb, else maybe formal "Ihr".
    Ihr,
    /// Sie, Ihnen, Ihre, … (not "Ihr"), spelt exactly so.
    Formal,
}

fn candidate(word: &str) -> Option<Candidate> {
    // Every pronoun of address starts with d, e, i or s, and has at most 7 bytes.
    let bytes = word.as_bytes();
    let first = bytes.first()? | 0x20;
    if bytes.len() > 7 || !matches!(first, b'd' | b'e' | b'i' | b's') {
        return None;
    }
    // Many German words get this far ("die", "ein", "sind"): compared as numbers.
    let folded = key(bytes, true);
    if INFORMAL_KEYS.contains(&folded) {
        Some(Candidate::Informal)
    } else if folded == IHR_KEY {
        Some(Candidate::Ihr)
    } else if FORMAL_KEYS.contains(&key(bytes, false)) {
        Some(Candidate::Formal)
    } else {
        None
    }
}

/// A word of at most 7 bytes as one number: its bytes, ASCII letters in lower case if `fold`,
/// and its length in the top byte. Two words have the same key if and only if they are equal
/// (compared without ASCII case if `fold`).
const fn key(word: &[u8], fold: bool) -> u64 {
    let mut key = (word.len() as u64) << 56;
    let mut i = 0;
    while i < word.len() && i < 7 {
        let byte = if fold {
            word[i].to_ascii_lowercase()
        } else {
            word[i]
        };
        key |= (byte as u64) << (8 * i);
        i += 1;
    }
    key
}

const fn keys<const N: usize>(words: &[&str], fold: bool) -> [u64; N] {
    let mut keys = [0; N];
    let mut i = 0;
    while i < N {
        keys[i] = key(words[i].as_bytes(), fold);
        i += 1;
    }
    keys
}

const INFORMAL_KEYS: [u64; INFORMAL.len()] = keys(INFORMAL, true);
const FORMAL_KEYS: [u64; FORMAL.len()] = keys(FORMAL, false);
const IHR_KEY: u64 = key(IHR.as_bytes(), true);

/// An open quotation, by what closes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quote {
    /// Opened by „ “ ” or "; closed by any of “ ” " (German, English and typed quotes mix).
    Double,
    /// Opened by » or «; closed by the other one.
    Angle(char),
}

/// What the text before the current position says about it.
#[derive(Debug)]
struct Scanner<'t> {
    /// A new sentence starts here.
    sentence_start: bool,
    /// Only blanks and bullets since the last line break (or the start of the text).
    line_start: bool,
    /// The last non-blank character was a comma.
    after_comma: bool,
    /// Line breaks since the last non-blank character: two make a blank line.
    newlines: u32,
    quote: Option<Quote>,
    /// The last character passed.
    last: Option<char>,
    /// The previous word and the one before it.
    prev: Option<&'t str>,
    prev_prev: Option<&'t str>,
    /// The previous word was the first on its line (an enumerator such as "1" in "1) ").
    prev_first_on_line: bool,
}

impl Default for Scanner<'_> {
    fn default() -> Self {
        Self {
            sentence_start: true,
            line_start: true,
            after_comma: false,
            newlines: 0,
            quote: None,
            last: None,
            prev: None,
            prev_prev: None,
            prev_first_on_line: false,
        }
    }
}

impl<'t> Scanner<'t> {
    /// Passes the characters between two words.
    fn cross_gap(&mut self, gap: &str) {
        if gap == " " {
            // Most gaps: a space changes nothing but the last character.
            self.last = Some(' ');
            return;
        }
        for (i, c) in gap.char_indices() {
            let before = self.last.replace(c);
            if matches!(
                c,
                '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
            ) {
                if !(c == '\n' && before == Some('\r')) {
                    self.newlines += 1;
                }
                if self.newlines >= 2 {
                    // A paragraph ends every quotation, also one never closed.
                    self.quote = None;
                }
                self.line_start = true;
                if !self.after_comma {
                    self.sentence_start = true;
                }
                continue;
            }
            if c.is_whitespace() {
                continue;
            }
            self.newlines = 0;
            let mut bullet = false;
            match c {
                '.' => self.sentence_start = !(i == 0 && self.after_abbreviation()),
                '!' | '?' | ':' | '…' | '‽' => self.sentence_start = true,
                ',' | ';' => self.sentence_start = false,
                ')' if i == 0 && self.after_enumerator() => self.sentence_start = true,
                '•' | '·' | '|' | '▪' | '►' | '‣' | '◦' => self.sentence_start = true,
                '-' | '*' | '–' | '—' | '#' | '>' | '+' if self.line_start => {
                    self.sentence_start = true;
                    bullet = true;
                }
                '„' | '“' | '”' | '"' | '»' | '«' => self.quote_mark(c, before),
                // Brackets, closing marks, symbols, emoji: looked through.
                _ => {}
            }
            self.after_comma = c == ',';
            self.line_start &= bullet;
        }
    }

    /// The previous word is an abbreviation, so the full stop right after it ends no sentence.
    fn after_abbreviation(&self) -> bool {
        let Some(prev) = self.prev else {
            return false;
        };
        ABBREVIATIONS.iter().any(|a| prev.eq_ignore_ascii_case(a))
            || LETTER_ABBREVIATIONS
                .iter()
                .any(|&(first, second)| prev == second && self.prev_prev == Some(first))
    }

    /// The previous word numbers a list item ("1)", "a)", "iv)").
    fn after_enumerator(&self) -> bool {
        self.prev_first_on_line && self.prev.is_some_and(|p| p.chars().count() <= 3)
    }

    fn quote_mark(&mut self, c: char, before: Option<char>) {
        self.quote = match (self.quote, c) {
            (Some(Quote::Double), '“' | '”' | '"') => None,
            (Some(Quote::Angle(closer)), c) if c == closer => None,
            (Some(open), _) => Some(open),
            // 27" is an inch sign.
            (None, '"') if before.is_some_and(|b| b.is_ascii_digit()) => None,
            (None, '„' | '“' | '”' | '"') => Some(Quote::Double),
            (None, '»') => Some(Quote::Angle('«')),
            (None, '«') => Some(Quote::Angle('»')),
            (None, _) => None,
        };
    }

    /// Passes a word.
    fn after_word(&mut self, word: &'t str) {
        self.prev_prev = self.prev;
        self.prev = Some(word);
        self.prev_first_on_line = self.line_start;
        self.sentence_start = false;
        self.line_start = false;
        self.after_comma = false;
        self.newlines = 0;
        self.last = match word.as_bytes().last() {
            Some(&byte) if byte.is_ascii() => Some(char::from(byte)),
            _ => word.chars().next_back(),
        };
    }

    /// The form of address `word`, a pronoun of `kind`, shows, given the gaps around it and
    /// the next word; called after [`Self::cross_gap`] of `before`.
    fn judge(
        &self,
        word: Word<'t>,
        kind: Candidate,
        before: &str,
        after: &str,
        next: Option<Word<'_>>,
    ) -> Option<Address> {
        let text = word.as_str();
        if self.quote.is_some() {
            return None;
        }
        // Part of a compound, path or address: "Du-Form", "Sie/Du", "dein-shop.de".
        let joined_before = self.prev.is_some() && single(before, JOINERS);
        let joined_after = after.starts_with(HYPHENS) || (next.is_some() && single(after, JOINERS));
        if joined_before || joined_after {
            return None;
        }
        // Only blanks to the neighbouring words, so they belong to the same phrase.
        let prev = self.prev.filter(|_| blank(before));
        let next = next.map(|n| n.as_str()).filter(|_| blank(after));
        let is_one_of = |w: Option<&str>, list: &[&str]| w.is_some_and(|w| one_of(w, list));
        if (text.eq_ignore_ascii_case("du") || text == "Sie") && is_one_of(prev, NOMINALISERS) {
            return None;
        }
        match kind {
            Candidate::Informal if text == "du" && is_one_of(prev, FRENCH) => None,
            Candidate::Informal => Some(Address::Informal),
            Candidate::Ihr if is_one_of(prev, IHR_VERBS) || is_one_of(next, IHR_VERBS) => {
                Some(Address::Informal)
            }
            Candidate::Ihr if text != "Ihr" => None,
            Candidate::Ihr | Candidate::Formal => (!self.sentence_start).then_some(Address::Formal),
        }
    }
}

/// `gap` is exactly one of `chars`.
fn single(gap: &str, chars: &[char]) -> bool {
    let mut it = gap.chars();
    matches!((it.next(), it.next()), (Some(c), None) if chars.contains(&c))
}

/// `gap` is blanks only (line breaks included).
fn blank(gap: &str) -> bool {
    !gap.is_empty() && gap.chars().all(char::is_whitespace)
}

/// `word` is one of the lower-case `list`, compared without case.
fn one_of(word: &str, list: &[&str]) -> bool {
    if word.is_ascii() {
        // The same comparison, without decoding: an ASCII word folds to ASCII.
        return list.iter().any(|w| word.eq_ignore_ascii_case(w));
    }
    list.iter()
        .any(|w| word.chars().flat_map(char::to_lowercase).eq(w.chars()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words as the regular expression `\w+` finds them, as ranges.
    fn words_by_regex(text: &str) -> Vec<(usize, usize)> {
        let word = regex::Regex::new(r"\w+").expect("valid regex");
        word.find_iter(text).map(|m| (m.start(), m.end())).collect()
    }

    fn word_ranges(text: &str) -> Vec<(usize, usize)> {
        word_spans(text).collect()
    }

    /// The quick answers for common characters are those of Unicode's tables.
    #[test]
    fn word_characters_are_those_of_the_regular_expression() {
        for c in ('\u{0}'..='\u{2FFF}').chain(['€', '😀', '漢']) {
            assert_eq!(is_word_char(c), regex_syntax::is_word_character(c), "{c:?}");
        }
    }

    #[test]
    fn words_are_what_the_regular_expression_finds() {
        for text in [
            "",
            "   ",
            "Sie",
            "Hallo, wie geht's dir? Ihr Paket_7 kommt.",
            "Straße № 5½ – ², Ⅻ, ٣٤ und e\u{301}cole",
            "a\u{200d}b ‿x⁀ 漢字かな",
            "ends in a word",
        ] {
            assert_eq!(word_ranges(text), words_by_regex(text), "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn words_agree_with_the_regular_expression_on_any_text(
            text in proptest::prelude::any::<String>()
        ) {
            proptest::prop_assert_eq!(word_ranges(&text), words_by_regex(&text));
        }

        #[test]
        fn words_agree_on_text_of_letters_marks_digits_and_punctuation(
            text in "[a-zA-Zäöüß0-9_ ,.!?\u{301}\u{200c}\u{200d}‿½²٣Ⅻ-]{0,40}"
        ) {
            proptest::prop_assert_eq!(word_ranges(&text), words_by_regex(&text));
        }
    }

    /// What a word could be, by comparing it with each listed word: the definition that
    /// [`candidate`]'s keys stand for.
    fn candidate_by_comparison(word: &str) -> Option<Candidate> {
        let first = word.as_bytes().first()? | 0x20;
        if word.len() > 7 || !matches!(first, b'd' | b'e' | b'i' | b's') {
            None
        } else if INFORMAL.iter().any(|w| word.eq_ignore_ascii_case(w)) {
            Some(Candidate::Informal)
        } else if word.eq_ignore_ascii_case("ihr") {
            Some(Candidate::Ihr)
        } else if FORMAL.contains(&word) {
            Some(Candidate::Formal)
        } else {
            None
        }
    }

    proptest::proptest! {
        #[test]
        fn candidates_are_the_listed_words_in_their_cases(
            word in proptest::sample::select([INFORMAL, FORMAL, &["ihr", "die", "sich"]].concat()),
            upper in proptest::collection::vec(proptest::bool::ANY, 7),
            tail in "[a-zäßA-Z]{0,2}",
        ) {
            let cased: String = word
                .chars()
                .zip(upper.iter().chain(std::iter::repeat(&false)))
                .map(|(c, &up)| if up { c.to_ascii_uppercase() } else { c })
                .collect();
            for word in [word.to_owned(), cased.clone(), format!("{cased}{tail}")] {
                proptest::prop_assert_eq!(candidate(&word), candidate_by_comparison(&word), "{}", word);
            }
        }
    }

    /// The marked words and their forms.
    fn marked(text: &str) -> Vec<(&str, Address)> {
        address_marks(text)
            .into_iter()
            .map(|m| {
                assert_eq!(&text[m.start..m.end], m.word);
                (&text[m.start..m.end], m.address)
            })
            .collect()
    }

    use Address::{Formal, Informal};

    #[test]
    fn formal_faq() {
        let text = "Sie können Ihre Bestellung innerhalb von 30 Tagen zurückgeben. \
                    Wir erstatten Ihnen den Kaufpreis.";
        assert_eq!(marked(text), [("Ihre", Formal), ("Ihnen", Formal)]);
        let marks = address_marks(text);
        assert_eq!(marks[0].start, text.find("Ihre").expect("in text"));
        assert_eq!(marks[0].end, marks[0].start + "Ihre".len());
        assert_eq!(dominant(&marks), Some(Formal));
    }

    #[test]
    fn formal_service_texts() {
        assert_eq!(marked("Wir rufen Sie an."), [("Sie", Formal)]);
        assert_eq!(
            marked(
                "Vielen Dank für Ihren Einkauf! Ihr Paket ist unterwegs. \
                 Die Sendungsnummer finden Sie in Ihrem Kundenkonto."
            ),
            [("Ihren", Formal), ("Sie", Formal), ("Ihrem", Formal)]
        );
        assert_eq!(
            marked("Bei Fragen helfen wir Ihnen gern, auch zu Ihrer Rechnung und Ihres Kontos."),
            [("Ihnen", Formal), ("Ihrer", Formal), ("Ihres", Formal)]
        );
        assert_eq!(
            marked("Bitte senden Sie (falls vorhanden) Ihre Kundennummer mit; wir melden uns."),
            [("Sie", Formal), ("Ihre", Formal)]
        );
    }

    #[test]
    fn informal_newsletter() {
        let text = "Hol dir jetzt deinen Gutschein! Du hast 14 Tage Zeit.";
        assert_eq!(
            marked(text),
            [("dir", Informal), ("deinen", Informal), ("Du", Informal)]
        );
        assert_eq!(dominant(&address_marks(text)), Some(Informal));
        assert_eq!(
            marked("Dein Warenkorb wartet. Kannst du dich noch entscheiden? DEIN RABATT: 10 %"),
            [
                ("Dein", Informal),
                ("du", Informal),
                ("dich", Informal),
                ("DEIN", Informal)
            ]
        );
        assert_eq!(
            marked("Wir schicken euch eure Bestellung an eurem Wunschtag, mit eurer Karte."),
            [
                ("euch", Informal),
                ("eure", Informal),
                ("eurem", Informal),
                ("eurer", Informal)
            ]
        );
        assert_eq!(marked("Hast du's schon gesehen?"), [("du", Informal)]);
    }

    #[test]
    fn plural_ihr_only_next_to_its_verb() {
        assert_eq!(
            marked("Habt ihr Fragen? Ihr könnt uns jederzeit schreiben."),
            [("ihr", Informal), ("Ihr", Informal)]
        );
        // Letter style capitalises the plural: still informal, not formal.
        assert_eq!(
            marked("Liebe Freunde, habt Ihr schon die neue Kollektion gesehen?"),
            [("Ihr", Informal)]
        );
        // "ihr" without such a verb is "her"/"their" or undecidable.
        assert_eq!(marked("Schön, dass ihr da seid."), []);
        assert_eq!(marked("Er hilft ihr nicht, ihr Auftrag kommt."), []);
    }

    #[test]
    fn sentence_start_is_ambiguous() {
        assert_eq!(marked("Sie kommen morgen."), []);
        assert_eq!(marked("Die Monteure rufen an. Sie kommen morgen."), []);
        assert_eq!(marked("Der Paketdienst klingelt! Ihr Paket kam an."), []);
        assert_eq!(marked("Lieferung? Ihnen wurde alles gebracht."), []);
        assert_eq!(marked("Wichtig: Sie kommen um acht."), []);
        assert_eq!(marked("Ihrer Meinung nach ist das gut."), []);
        assert_eq!(marked("Unsere Vorteile\nSie sparen Zeit."), []);
        assert_eq!(marked("Erster Absatz.\n\nSie kommen morgen."), []);
        assert_eq!(marked("Gut so! (Sie kommen morgen.)"), []);
        assert_eq!(marked("„Super!“ Sie kommen morgen."), []);
        assert_eq!(marked("Versand • Sie sparen"), []);
    }

    #[test]
    fn list_items_start_sentences() {
        assert_eq!(marked("- Sie erhalten eine Bestätigung"), []);
        for text in [
            "So geht es:\n- Sie erhalten eine Bestätigung",
            "Nach der Bestellung\n* Sie erhalten eine Bestätigung",
            "Nach der Bestellung\n  • Sie erhalten eine Bestätigung",
            "Nach der Bestellung\n1) Sie erhalten eine Bestätigung",
            "Nach der Bestellung\n2. Sie erhalten eine Bestätigung",
            "Nach der Bestellung\n– Ihre Daten werden geprüft",
        ] {
            assert_eq!(marked(text), [], "{text:?}");
        }
        // A dash inside a line is no bullet.
        assert_eq!(
            marked("Unser Tipp – Sie sparen doppelt."),
            [("Sie", Formal)]
        );
    }

    #[test]
    fn comma_at_line_end_continues_the_sentence() {
        assert_eq!(
            marked("Sehr geehrte Frau Müller,\n\nSie erhalten heute Ihre Rechnung."),
            [("Sie", Formal), ("Ihre", Formal)]
        );
        assert_eq!(marked("Hallo, Sie haben gewonnen!"), [("Sie", Formal)]);
    }

    #[test]
    fn abbreviations_end_no_sentence() {
        assert_eq!(
            marked("Versand zzgl. Ihrer Versandkosten, z. B. Ihre Expresslieferung."),
            [("Ihrer", Formal), ("Ihre", Formal)]
        );
        assert_eq!(marked("Es gilt, d. h. Sie sparen."), [("Sie", Formal)]);
        assert_eq!(marked("Das ist Plan B. Sie kommen morgen."), []);
    }

    #[test]
    fn third_person_lower_case() {
        assert_eq!(
            marked("Die Kundin sagt, sie sei zufrieden; ihr Paket kam pünktlich."),
            []
        );
        assert_eq!(
            marked("Die Filialen haben ihre Öffnungszeiten geändert."),
            []
        );
        assert_eq!(marked("Wir danken ihnen."), []);
        assert_eq!(marked("SIE SPAREN 20 % AUF IHRE BESTELLUNG"), []);
    }

    #[test]
    fn mixed_text_dominant_is_the_majority() {
        let text = "Sehr geehrte Kundin, wir danken Ihnen. Sie finden Ihre Rechnung \
                    in Ihrem Konto. Du kannst auch die App nutzen.";
        assert_eq!(
            marked(text),
            [
                ("Ihnen", Formal),
                ("Ihre", Formal),
                ("Ihrem", Formal),
                ("Du", Informal)
            ]
        );
        assert_eq!(dominant(&address_marks(text)), Some(Formal));

        let text = "Hol dir deinen Rabatt, wir senden Ihnen dann deine Karte.";
        assert_eq!(dominant(&address_marks(text)), Some(Informal));
        // A tie goes to the form the text uses first.
        let tie = address_marks("Wir danken Ihnen. Du bist toll.");
        assert_eq!(dominant(&tie), Some(Formal));
        let tie = address_marks("Du bist toll. Wir danken Ihnen.");
        assert_eq!(dominant(&tie), Some(Informal));
        assert_eq!(dominant(&[]), None);
    }

    #[test]
    fn quoted_speech_is_ignored() {
        assert_eq!(
            marked("Anna schreibt: „Ihr seid toll, danke für euren Service!“ Wir danken Ihnen."),
            [("Ihnen", Formal)]
        );
        assert_eq!(
            marked("Eine Kundin meint \"Du bist mein Lieblingsladen\" und bestellt bei Ihnen."),
            [("Ihnen", Formal)]
        );
        assert_eq!(
            marked("Aus den Bewertungen: »Dein Shop ist super« und «Danke dir»."),
            []
        );
        assert_eq!(
            marked("Er sagt “Hol dir das” – und du?"),
            [("du", Informal)]
        );
        // Mixed quote marks close each other.
        assert_eq!(
            marked("Sie sagt „Danke dir\" und geht. Hol dir was."),
            [("dir", Informal)]
        );
        // A quote never closed ends with its paragraph.
        assert_eq!(
            marked("Ein Kunde: „Dein Laden\n\nHol dir deinen Gutschein."),
            [("dir", Informal), ("deinen", Informal)]
        );
        // An inch sign opens no quote.
        assert_eq!(
            marked("Der 27\" Monitor passt zu deinem Schreibtisch."),
            [("deinem", Informal)]
        );
    }

    #[test]
    fn look_alike_words_are_no_marks() {
        for text in [
            "Die Dusche ist im Angebot.",
            "Das Produkt kommt durch die Post.",
            "Das Dirndl und der Kundendienst sind neu.",
            "Ein dichtes Netz aus Filialen in Europa, zum Euro-Preis.",
            "Die Deine-Welt-Kampagne.",
            "Die Ihre-Meinung-zählt-Umfrage.",
            "Ihrer Meinung nach ist das gut.",
            "Eurer-Liebling ist neu.",
            "Der Sieger und die Ihnenfrage.",
            "Durchblick, Dusche, Dirigent, Deinstallation, Euchre.",
        ] {
            assert_eq!(marked(text), [], "{text:?}");
        }
    }

    #[test]
    fn umlaut_word_boundaries() {
        assert_eq!(marked("Das Fürdich-Paket und Fürdich bleiben."), []);
        assert_eq!(marked("Ein Geschenk fürdich."), []);
        // Decomposed "dürfen": u followed by a combining diaeresis.
        assert_eq!(marked("Wir du\u{308}rfen nicht."), []);
        assert_eq!(marked("Ein Gruß für dich."), [("dich", Informal)]);
        assert_eq!(marked("Schön für dich!"), [("dich", Informal)]);
        assert_eq!(marked("Grüße an Sie."), [("Sie", Formal)]);
    }

    #[test]
    fn compounds_addresses_and_nouns_are_no_marks() {
        for text in [
            "Wir nutzen die Du-Form, nicht die Sie-Form.",
            "Du- und Sie-Form im Vergleich.",
            "Wir nennen es Sie/Du.",
            "Besuche www.dein-shop.de oder schreib an du@example.de.",
            "Wir sind per Du mit der Kundschaft.",
            "Im Geschäft bleiben wir beim Sie.",
            "Wir bieten das Angebot per Sie an.",
        ] {
            assert_eq!(marked(text), [], "{text:?}");
        }
    }

    #[test]
    fn french_du_in_names() {
        assert_eq!(
            marked("Ein Côtes du Rhône und ein Château du Tertre zum Grillen."),
            []
        );
        assert_eq!(
            marked("Wenn du Zeit hast, probier den Wein."),
            [("du", Informal)]
        );
        assert_eq!(marked("Hast du Fragen?"), [("du", Informal)]);
    }

    #[test]
    fn greetings_carry_no_address() {
        for text in [
            "Hallo zusammen!",
            "Hallo Anna,",
            "Liebe Kundin, lieber Kunde,",
            "Sehr geehrte Damen und Herren,",
            "Moin!",
        ] {
            assert_eq!(marked(text), [], "{text:?}");
        }
    }

    #[test]
    fn english_text_gives_nothing() {
        let text = "Thank you for your order! Your parcel will be delivered during the \
                    next days. Don't let the battery die: direct sunlight is bad. \
                    Your dish, your euro, your due date.";
        assert_eq!(marked(text), []);
        assert_eq!(dominant(&address_marks(text)), None);
        assert_eq!(marked(""), []);
    }

    #[test]
    fn address_names_and_serde() {
        assert_eq!(Formal.as_str(), "sie");
        assert_eq!(Informal.as_str(), "du");
        for (s, address) in [
            ("sie", Formal),
            ("SIE", Formal),
            ("Formal", Formal),
            (" du ", Informal),
            ("Du", Informal),
            ("INFORMAL", Informal),
        ] {
            assert_eq!(Address::parse(s), Some(address), "{s:?}");
        }
        assert_eq!(Address::parse("ihr"), None);
        assert_eq!(Address::parse(""), None);
        for address in [Formal, Informal] {
            assert_eq!(Address::parse(address.as_str()), Some(address));
        }
        assert_eq!(
            serde_json::to_string(&Formal).expect("serialises"),
            "\"formal\""
        );
        assert_eq!(
            serde_json::from_str::<Address>("\"informal\"").expect("deserialises"),
            Informal
        );
    }

    /// Marks are in order, do not overlap, lie on character boundaries and name their text.
    fn check_marks(text: &str) -> Result<(), proptest::test_runner::TestCaseError> {
        let marks = address_marks(text);
        let mut end = 0;
        for m in &marks {
            proptest::prop_assert!(end <= m.start && m.start < m.end && m.end <= text.len());
            proptest::prop_assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
            proptest::prop_assert_eq!(&text[m.start..m.end], m.word.as_str());
            end = m.end;
        }
        proptest::prop_assert_eq!(dominant(&marks).is_some(), !marks.is_empty());
        Ok(())
    }

    const PIECES: &[&str] = &[
        "Sie", "sie", "SIE", "Ihr", "ihr", "Ihre", "Ihnen", "du", "Du", "DU", "dir", "deinem",
        "euch", "habt", "per", "Côtes", "z", "B", "1", "27", "Dusche", "wir", "ü", "\u{308}", "ß",
        "😀", "\u{FEFF}", " ", " ", " ", "\n", "\r\n", "\r", ". ", "! ", ": ", ", ", ";", ".", "-",
        "- ", "•", ")", "(", "„", "“", "”", "\"", "»", "«", "'", "/", "@",
    ];

    proptest::proptest! {
        /// Texts of several blocks, with characters beyond ASCII on the blocks' edges.
        #[test]
        fn words_agree_with_the_regular_expression_across_blocks(
            pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..200),
        ) {
            let text = pieces.concat();
            proptest::prop_assert_eq!(word_ranges(&text), words_by_regex(&text));
        }

        /// The search for pronouns finds one exactly where some word is one.
        #[test]
        fn a_pronoun_is_found_where_a_word_is_one(
            pieces in proptest::collection::vec(
                proptest::sample::select([PIECES, &["Sied", "xdu", "DUrch", "ihren", "Ihrem", "deiner"]].concat()),
                0..30,
            ),
        ) {
            let text = pieces.concat();
            proptest::prop_assert_eq!(
                has_pronoun(&text),
                words(&text).any(|w| candidate(w.as_str()).is_some())
            );
        }

        #[test]
        fn marks_are_ordered_and_on_boundaries(
            pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..60),
        ) {
            check_marks(&pieces.concat())?;
        }

        #[test]
        fn any_text_never_panics(chars in proptest::collection::vec(proptest::char::any(), 0..200)) {
            check_marks(&chars.into_iter().collect::<String>())?;
        }
    }
}
