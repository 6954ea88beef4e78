//! Finding the guideline's keywords and terms in a text. A keyword counts only where it starts
//! a word, so the search looks only there: a cheap filter on the first bytes at each word start
//! lets through the few places where some keyword could begin, and an anchored search of the
//! keyword automaton decides each of those. An unanchored automaton would instead run through
//! every byte of the text, which was about half the time of a scan (docs/benchmarks.md).

use aho_corasick::{
    AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, Anchored, BuildError, Input, Match,
    MatchKind, StartKind,
};

use super::blocks::{BLOCK, non_word_bytes, window};

/// Bytes of a keyword's start that the filter looks at.
const PREFIX: usize = 8;

/// The keywords (each spelling a pattern), matched ASCII case-insensitively, the longest at
/// a place winning.
pub struct Keywords {
    automaton: AhoCorasick,
    filter: PrefixFilter,
}

impl Keywords {
    pub fn new(patterns: &[String]) -> Result<Keywords, BuildError> {
        // Anchored only, as every search starts where a keyword could. A contiguous NFA takes a
        // few hundred kilobytes for thousands of keywords where a DFA takes megabytes, and is
        // as fast here: the filter leaves it few places to search.
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .start_kind(StartKind::Anchored)
            .prefilter(false)
            .build(patterns)?;
        Ok(Keywords {
            automaton,
            filter: PrefixFilter::new(patterns),
        })
    }

    /// Every keyword that starts a word, in order, none overlapping: at each word start
    /// not inside an earlier hit, the longest keyword starting there (of equally long ones,
    /// the first given). A keyword may end inside a word: "Rückgabe" announces
    /// "Rückgaberecht" too, as German builds compounds.
    pub fn find_iter<'k, 't>(&'k self, text: &'t str) -> Hits<'k, 't> {
        Hits::new(self, text)
    }

    fn at(&self, text: &str, start: usize) -> Option<Match> {
        let input = Input::new(text).range(start..).anchored(Anchored::Yes);
        // An anchored search of an automaton built for anchored searches cannot fail.
        self.automaton.try_find(input).ok().flatten()
    }
}

/// The hits of [`Keywords::find_iter`]. The text is read in blocks of 64 bytes. Each block
/// becomes a bit mask of the places where a word starts, and those are put through the prefix
/// filter all at once, without a branch on each; only the places that pass are searched.
pub struct Hits<'k, 't> {
    keywords: &'k Keywords,
    text: &'t str,
    /// Where the block of `passed` begins.
    block: usize,
    /// Bit `i`: a word starts at `block + i`, the filter let it through, and it was not
    /// searched yet.
    passed: u64,
    /// The bytes, in the next block, of characters beyond ASCII that are not part of a word
    /// and cross into it.
    spill: u64,
    /// Whether the last byte of the block before is part of a character that is not part of
    /// a word.
    carry: bool,
    /// The end of the last hit: hits do not overlap.
    after: usize,
    /// The last block of the text, padded (see `blocks::window`).
    pad: [u8; BLOCK + PREFIX],
}

impl<'k, 't> Hits<'k, 't> {
    fn new(keywords: &'k Keywords, text: &'t str) -> Self {
        let mut hits = Hits {
            keywords,
            text,
            block: 0,
            passed: 0,
            spill: 0,
            carry: true,
            pad: [0; BLOCK + PREFIX],
            after: 0,
        };
        hits.read_block();
        hits
    }

    /// Fills `passed` for the block at `self.block`.
    fn read_block(&mut self) {
        // The block and the prefix of the block after it: read in place, and only near the
        // end of the text copied and padded with 0.
        let window = window(self.text.as_bytes(), self.block, &mut self.pad);
        let Some(block) = window.first_chunk::<BLOCK>() else {
            return;
        };
        let (non_word, continuations) =
            non_word_bytes(block, self.text, self.block, &mut self.spill, is_word_char);
        // A word starts at each character right after one that is not part of a word.
        let mut starts = (non_word << 1 | u64::from(self.carry)) & !continuations;
        self.carry = non_word >> (BLOCK - 1) != 0;
        let rest = self.text.len() - self.block;
        if rest < BLOCK {
            starts &= (1 << rest) - 1;
        }
        let mut passed = 0;
        while starts != 0 {
            let i = starts.trailing_zeros() as usize;
            starts &= starts - 1;
            let mut key = [0u8; PREFIX];
            key.copy_from_slice(&window[i..i + PREFIX]);
            passed |= u64::from(self.keywords.filter.may_start(u64::from_le_bytes(key))) << i;
        }
        self.passed = passed;
    }
}

impl Iterator for Hits<'_, '_> {
    type Item = Match;

    fn next(&mut self) -> Option<Match> {
        loop {
            while self.passed != 0 {
                let at = self.block + self.passed.trailing_zeros() as usize;
                self.passed &= self.passed - 1;
                if at < self.after {
                    continue;
                }
                if let Some(hit) = self.keywords.at(self.text, at) {
                    self.after = hit.end();
                    return Some(hit);
                }
            }
            self.block += BLOCK;
            if self.block >= self.text.len() {
                return None;
            }
            self.read_block();
        }
    }
}

/// Whether `c` is part of a word, for where keywords start and end.
pub(super) fn is_word_char(c: char) -> bool {
    match c {
        // The letters of Western European languages, and the dashes, quotes, spaces and
        // currency signs between words, without a look into Unicode's tables.
        '\u{C0}'..='\u{FF}' => c != '×' && c != '÷',
        '\u{2000}'..='\u{206F}' | '\u{20A0}'..='\u{20CF}' => false,
        _ => c.is_alphanumeric() || c == '_',
    }
}

/// The first bytes of every pattern, ASCII case folded, hashed into a bit table: a place
/// whose first bytes are not in the table starts no pattern. A place is first looked up by as
/// many bytes as the shortest pattern has (at most [`PREFIX`]), which turns most places away
/// with one look; the few left are looked up by each length patterns have, up to [`PREFIX`].
struct PrefixFilter {
    bits: Vec<u64>,
    shift: u32,
    /// Bytes of the first look: the shortest pattern's length, at most [`PREFIX`].
    first: usize,
    /// The lengths below [`PREFIX`] that some pattern has.
    short: Vec<usize>,
    any_long: bool,
}

impl PrefixFilter {
    fn new(patterns: &[String]) -> PrefixFilter {
        let lengths = patterns
            .iter()
            .map(|p| p.len().min(PREFIX))
            .filter(|&n| n > 0);
        let first = lengths.clone().min().unwrap_or(PREFIX);
        let mut short: Vec<usize> = lengths.clone().filter(|&n| n < PREFIX).collect();
        short.sort_unstable();
        short.dedup();
        // About 16 bits per entry (two per pattern) keeps chance collisions near 1 in 16 of
        // the places looked at, in a table that stays in the first levels of cache.
        let bits_log = (patterns.len().max(1) * 32)
            .next_power_of_two()
            .trailing_zeros()
            .clamp(12, 22);
        let mut filter = PrefixFilter {
            bits: vec![0; 1 << (bits_log - 6)],
            shift: 64 - bits_log,
            first,
            short,
            any_long: lengths.clone().any(|n| n == PREFIX),
        };
        for pattern in patterns.iter().map(String::as_bytes) {
            let len = pattern.len().min(PREFIX);
            if len > 0 {
                filter.insert(folded(pattern), first, Look::First);
                if first < PREFIX {
                    filter.insert(folded(pattern), len, Look::Exact);
                }
            }
        }
        filter
    }

    fn slot(&self, key: u64, len: usize, look: Look) -> usize {
        let key = if len == PREFIX {
            key
        } else {
            key & ((1 << (8 * len)) - 1)
        };
        // Fibonacci hashing, with the length and the look mixed in: a short pattern does not
        // share its slot with the long patterns it begins, nor the first look's entries with
        // the second's.
        let tag = len as u64 | (look as u64) << 8;
        ((key ^ tag).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    fn insert(&mut self, key: u64, len: usize, look: Look) {
        let slot = self.slot(key, len, look);
        self.bits[slot >> 6] |= 1 << (slot & 63);
    }

    fn contains(&self, key: u64, len: usize, look: Look) -> bool {
        let slot = self.slot(key, len, look);
        self.bits[slot >> 6] & (1 << (slot & 63)) != 0
    }

    /// Whether a pattern may start with `prefix`, the next [`PREFIX`] bytes of the text
    /// (little-endian, padded with anything beyond the text's end: a pattern that matches
    /// lies within the text, so padding can only let more through).
    fn may_start(&self, prefix: u64) -> bool {
        let key = prefix | FOLD;
        self.contains(key, self.first, Look::First)
            && (self.first == PREFIX
                || (self.any_long && self.contains(key, PREFIX, Look::Exact))
                || self
                    .short
                    .iter()
                    .any(|&len| self.contains(key, len, Look::Exact)))
    }
}

/// Which look at a place an entry of the filter serves.
#[derive(Clone, Copy)]
enum Look {
    /// By the shortest pattern's length, for every pattern.
    First,
    /// By the pattern's own length, up to [`PREFIX`].
    Exact,
}

/// The bit that tells ASCII upper from lower case, set in every byte: "R" and "r" agree, and
/// other bytes change alike in pattern and text, which keeps the filter a superset of the
/// automaton's matches.
const FOLD: u64 = u64::from_le_bytes([0x20; PREFIX]);

/// The first [`PREFIX`] bytes of a pattern, folded, little-endian; missing bytes are 0.
fn folded(pattern: &[u8]) -> u64 {
    let mut key = [0u8; PREFIX];
    for (k, b) in key.iter_mut().zip(pattern) {
        *k = b | 0x20;
    }
    u64::from_le_bytes(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(patterns: &[&str], text: &str) -> Vec<(usize, usize, usize)> {
        let patterns: Vec<String> = patterns.iter().map(|p| p.to_string()).collect();
        Keywords::new(&patterns)
            .expect("a few patterns build")
            .find_iter(text)
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect()
    }

    /// The definition, written plainly: at each word start not inside an earlier hit, the
    /// longest pattern that matches there ignoring ASCII case, the first of equally long ones.
    fn by_definition(patterns: &[&str], text: &str) -> Vec<(usize, usize, usize)> {
        let mut found = Vec::new();
        let mut at = 0;
        while at < text.len() {
            let word_start = text[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !is_word_char(c));
            let longest = patterns
                .iter()
                .enumerate()
                .filter(|(_, p)| {
                    !p.is_empty()
                        && text.as_bytes()[at..]
                            .get(..p.len())
                            .is_some_and(|t| t.eq_ignore_ascii_case(p.as_bytes()))
                })
                .max_by_key(|&(i, p)| (p.len(), std::cmp::Reverse(i)));
            match longest {
                Some((i, p)) if word_start => {
                    found.push((at, at + p.len(), i));
                    at += p.len();
                }
                _ => at += text[at..].chars().next().map_or(1, char::len_utf8),
            }
        }
        found
    }

    #[test]
    fn keywords_count_only_at_word_starts_and_may_end_inside_words() {
        let patterns = [
            "Rückgabe",
            "rückgabe",
            "RÜCKGABE",
            "Tel",
            "Öffnungszeiten",
            "a",
        ];
        let text = "Zur Rückgabefrist: RÜCKGABE, rückgabe; Telefon (Tel.) xTel Öffnungszeiten a ba";
        let found = hits(&patterns, text);
        assert_eq!(found, by_definition(&patterns, text));
        let words: Vec<&str> = found.iter().map(|&(s, e, _)| &text[s..e]).collect();
        assert_eq!(
            words,
            [
                "Rückgabe",
                "RÜCKGABE",
                "rückgabe",
                "Tel",
                "Tel",
                "Öffnungszeiten",
                "a"
            ]
        );
    }

    #[test]
    fn the_longest_keyword_at_a_place_wins_and_hides_what_starts_inside_it() {
        let patterns = ["Lieferung", "Lieferung ins Ausland", "Ausland"];
        let text = "LIEFERUNG INS AUSLAND kostet mehr als eine Lieferung; Ausland.";
        let found = hits(&patterns, text);
        assert_eq!(found, by_definition(&patterns, text));
        assert_eq!(found[0], (0, 21, 1));
        assert_eq!(found.len(), 3);
    }

    #[test]
    fn texts_shorter_than_the_filters_prefix_still_match() {
        assert_eq!(hits(&["ab", "abcdef"], "ab"), [(0, 2, 0)]);
        assert_eq!(hits(&["abcd"], "abc"), []);
        assert_eq!(hits(&["x"], ""), []);
        assert_eq!(hits(&[], "no keywords at all"), []);
    }

    /// The quick answers for common characters are those of the definition.
    #[test]
    fn word_characters_are_letters_digits_and_the_underscore() {
        for c in ('\u{0}'..='\u{2FFF}').chain(['€', '😀', '漢']) {
            let by_definition = c.is_alphanumeric() || c == '_';
            assert_eq!(is_word_char(c), by_definition, "{c:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn hits_are_what_the_definition_says(
            patterns in proptest::collection::vec("[aAbBäÄ_ –-]{1,6}", 1..12),
            // Longer than a block of the search, with characters beyond ASCII of two and
            // three bytes, inside words and between them, to cross a block's end.
            text in "[aAbBäÄ1_ .,–„-]{0,300}",
        ) {
            let patterns: Vec<&str> = patterns.iter().map(String::as_str).collect();
            proptest::prop_assert_eq!(hits(&patterns, &text), by_definition(&patterns, &text));
        }
    }
}
