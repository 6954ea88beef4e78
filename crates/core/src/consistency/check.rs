//! The scan: every mention of every fact in every content item, found in one pass of a
//! multi-pattern automaton over the text (the cost grows with the text, not with facts ×
//! text), and the findings drawn from the mentions.

use std::collections::{BTreeMap, HashMap, HashSet};

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::blocks::sentence_marks;
use super::guideline::{Fact, Guideline};
use super::keywords::{Keywords, is_word_char};
use super::tone::{Address, address_marks, dominant};
use super::value::{
    Found, Value, ValueKind, find_contacts, find_values, parse_contact, url_beneath,
};

/// The automaton over all keywords and terms exceeds its size limits: far beyond any
/// guideline people write, but reported rather than assumed away.
#[derive(Debug, thiserror::Error)]
#[error("the guideline has too many keywords to scan: {0}")]
pub struct GuidelineTooLarge(String);

/// At most this many findings of one kind and rule are listed for one text, and at most this
/// many places for one side of a finding. A text that breaks a rule more often names one
/// problem more often than anyone reads; the rest is counted on the last one listed
/// ([`Finding::unlisted`], [`Finding::unlisted_places`]) and shows once the listed ones are
/// fixed. It keeps a check's findings in proportion to its texts: without it, 0.5 MB of
/// text could make tens of megabytes of findings.
pub const LISTED_PER_TEXT: usize = 20;

/// At most this many distinct values of one fact are compared between channels (the
/// guideline's value among them), so that a text full of different values makes at most
/// `n(n-1)/2` contradictions, not one per pair of its thousands of values.
pub const VALUES_COMPARED: usize = 8;

/// A published text of one channel or touchpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Content {
    /// Where the text lives: a file path, or `content/12` for one kept in the database.
    pub source: String,
    pub title: String,
    /// Channel key, if known; tone rules may apply per channel.
    pub channel: Option<String>,
    pub text: String,
}

/// A place in a content item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Place {
    pub source: String,
    pub title: String,
    pub channel: Option<String>,
    /// 1-based line and column (in characters).
    pub line: usize,
    pub column: usize,
    /// The sentence or line around the mention.
    pub excerpt: String,
    /// What stands there: the value as written, the term or the word of address; for a
    /// broken standard, why, in English words.
    #[serde(default)]
    pub written: Option<String>,
    /// For a broken standard: why, for pages to say in their language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub violation: Option<Box<crate::standards::Violation>>,
}

/// What a finding reports. Contradictions (`contradicts_guideline`, `contradicts_channel`)
/// and broken standards (`violates_standard`) are errors; tone findings (`wrong_address`,
/// `forbidden_term`, `missing_term`) and unknown contacts (`unknown_contact`) are warnings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum FindingKind {
    /// A channel states a fact differently from the guideline.
    ContradictsGuideline,
    /// Two channels state a fact differently.
    ContradictsChannel,
    /// Informal address where the guideline says formal, or the reverse.
    WrongAddress,
    ForbiddenTerm,
    MissingTerm,
    /// A phone number, e-mail address or web address that is neither a fact's value nor one
    /// of the guideline's allowed contacts.
    UnknownContact,
    /// A recorded interaction broke a measurable service standard.
    ViolatesStandard,
}

impl FindingKind {
    /// Contradictions and broken mandatory standards are errors (contradictions make
    /// `touchpoints check` fail); tone findings and unknown contacts are warnings.
    pub fn is_error(self) -> bool {
        matches!(
            self,
            FindingKind::ContradictsGuideline
                | FindingKind::ContradictsChannel
                | FindingKind::ViolatesStandard
        )
    }

    pub const ALL: [FindingKind; 7] = [
        FindingKind::ContradictsGuideline,
        FindingKind::ContradictsChannel,
        FindingKind::WrongAddress,
        FindingKind::ForbiddenTerm,
        FindingKind::MissingTerm,
        FindingKind::UnknownContact,
        FindingKind::ViolatesStandard,
    ];

    pub fn parse(value: &str) -> Option<FindingKind> {
        FindingKind::ALL.into_iter().find(|k| k.as_str() == value)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::ContradictsGuideline => "contradicts-guideline",
            FindingKind::ContradictsChannel => "contradicts-channel",
            FindingKind::WrongAddress => "wrong-address",
            FindingKind::ForbiddenTerm => "forbidden-term",
            FindingKind::MissingTerm => "missing-term",
            FindingKind::UnknownContact => "unknown-contact",
            FindingKind::ViolatesStandard => "violates-standard",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Finding {
    pub kind: FindingKind,
    /// The fact or rule concerned: a fact key, `address`, or the term.
    pub rule: String,
    pub message: String,
    /// The places concerned; for a contradiction between channels, one of each side.
    pub places: Vec<Place>,
    pub suggestion: Option<String>,
    /// How many more findings like this one the check left out, counted on the last one it
    /// lists: further breaches of the same rule in the same text (20 are listed), further
    /// unknown contacts of a text (20), or the contradictions between channels with the
    /// values of a fact beyond the 8 compared.
    #[serde(default)]
    pub unlisted: usize,
    /// How many more places of this finding were left out, beyond 20 on a side.
    #[serde(default)]
    pub unlisted_places: usize,
}

/// One mention of a fact in a content item: the value stated there, and where. It holds
/// positions only: its [`place`](Mention::place), with the content's names, is made for the
/// few mentions that end up in findings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub fact: usize,
    pub value: Value,
    /// Byte range of the value as written in the content's text.
    pub span: (usize, usize),
    /// 1-based line of the value.
    pub line: usize,
    /// Byte range of the sentence around the value, for its excerpt.
    pub sentence: (usize, usize),
}

impl Mention {
    /// The value as written; `text` is the text of the content it was found in.
    pub fn written<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.span.0..self.span.1).unwrap_or_default()
    }

    /// Where the mention stands in `content`, the content it was found in, with the value
    /// as written and without an excerpt.
    pub fn place(&self, content: &Content) -> Place {
        let text = content.text.as_str();
        let offset = self.span.0.min(text.len());
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        Place {
            written: Some(self.written(text).to_owned()),
            ..bare_place(content, self.line, line_start, offset)
        }
    }

    /// The sentence around the mention, cut to a readable length; `text` is the text of the
    /// content it was found in.
    pub fn excerpt(&self, text: &str) -> String {
        let (start, end) = self.sentence;
        if text
            .get(start..end)
            .is_none_or(|s| s.chars().count() <= EXCERPT_MAX)
        {
            return text.get(start..end).map(excerpt_of).unwrap_or_default();
        }
        // A long sentence: the stretch around the value, marked as cut on each side.
        let offset = self.span.0;
        let before: String = text[start..offset.clamp(start, end)]
            .chars()
            .rev()
            .take(EXCERPT_MAX / 3)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let after: String = text[offset.clamp(start, end)..end]
            .chars()
            .take(EXCERPT_MAX - EXCERPT_MAX / 3 - 2)
            .collect();
        excerpt_of(&format!("…{before}{after}…"))
    }
}

/// A guideline prepared for scanning: one automaton over the keywords of every fact and
/// every tone term.
pub struct Checker<'g> {
    guideline: &'g Guideline,
    facts: Vec<&'g Fact>,
    keywords: Keywords,
    /// Per pattern: what it announces.
    targets: Vec<Target>,
    contacts: Contacts,
}

/// The phone numbers, e-mail addresses and web addresses a text may name: the values of the
/// facts in force of those kinds, and the guideline's allowed contacts. A guideline that names
/// none (an empty one, or one of prices and tone only) leaves contacts unchecked: otherwise
/// every address in every reply would be a warning before anyone had decided any.
struct Contacts {
    known: HashSet<Value>,
    /// Web addresses, each with the pages beneath it.
    pages: Vec<String>,
}

impl Contacts {
    fn of(facts: &[&Fact], allowed: &[String]) -> Contacts {
        let values = facts
            .iter()
            .filter(|f| matches!(f.kind, ValueKind::Phone | ValueKind::Email | ValueKind::Url))
            .filter_map(|f| f.canonical())
            // Entries that do not read as a contact are reported by validation; here they
            // allow nothing.
            .chain(allowed.iter().filter_map(|c| parse_contact(c)));
        let mut contacts = Contacts {
            known: HashSet::new(),
            pages: Vec::new(),
        };
        for value in values {
            contacts.add(value);
        }
        contacts
    }

    fn any(&self) -> bool {
        !self.known.is_empty() || !self.pages.is_empty()
    }

    fn add(&mut self, value: Value) {
        match value {
            Value::Url { url } => self.pages.push(url),
            other => {
                self.known.insert(other);
            }
        }
    }

    fn allow(&self, value: &Value) -> bool {
        match value {
            Value::Url { url } => self.pages.iter().any(|page| url_beneath(url, page)),
            other => self.known.contains(other),
        }
    }
}

/// Unknown contacts by their normal form, in order of appearance, each with its first place
/// in every content item that writes it.
#[derive(Default)]
struct UnknownContacts {
    index: HashMap<Value, usize>,
    found: Vec<UnknownContact>,
}

/// An unknown contact with its places, and what was left out.
struct UnknownContact {
    value: Value,
    places: Vec<Place>,
    unlisted: usize,
    unlisted_places: usize,
}

/// The findings of one kind and rule in one text: how many are listed, where the last of
/// them stands, and how many more were left out ([`LISTED_PER_TEXT`]).
#[derive(Debug, Default, Clone, Copy)]
struct Listing {
    listed: usize,
    last: usize,
    unlisted: usize,
}

impl Listing {
    /// Whether one more finding is listed, to stand at `at` in the findings; one that is not
    /// is counted as left out.
    fn admit(&mut self, at: usize) -> bool {
        if self.listed == LISTED_PER_TEXT {
            self.unlisted += 1;
            return false;
        }
        self.listed += 1;
        self.last = at;
        true
    }

    /// Counts what was left out on the last finding listed.
    fn count_on(self, findings: &mut [Finding]) {
        if self.unlisted > 0 {
            findings[self.last].unlisted = self.unlisted;
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Target {
    Fact(usize),
    Forbidden(usize),
    Required(usize),
}

/// The spellings a term is matched in: as written, lower case, capitalised and upper case.
/// ASCII letters match in any case anyway; this covers umlauts ("Über", "über").
fn spellings(term: &str) -> Vec<String> {
    let lower = term.to_lowercase();
    let mut capital = String::with_capacity(lower.len());
    let mut chars = lower.chars();
    if let Some(first) = chars.next() {
        capital.extend(first.to_uppercase());
        capital.push_str(chars.as_str());
    }
    let mut all = vec![term.to_owned(), lower, capital, term.to_uppercase()];
    all.sort();
    all.dedup();
    all
}

fn ends_word(text: &str, end: usize) -> bool {
    text[end..].chars().next().is_none_or(|c| !is_word_char(c))
}

/// Longest stretch on either side of a keyword searched for its value: a "sentence" longer
/// than this is a table or minified page, not prose, and the value of a fact stands close to
/// the word that announces it.
const REACH: usize = 300;

/// Whether the dot at `i` ends the day of a German date ("31. Dezember 2026"), which does
/// not end the sentence: one or two digits before it, a month name after the space.
fn is_day_of_date(text: &str, i: usize) -> bool {
    const MONTHS: [&str; 14] = [
        "Januar",
        "Jänner",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
        "Dez",
    ];
    let digits = text[..i]
        .bytes()
        .rev()
        .take_while(u8::is_ascii_digit)
        .count();
    (1..=2).contains(&digits)
        && text[i + 1..]
            .strip_prefix(' ')
            .is_some_and(|rest| MONTHS.iter().any(|m| rest.starts_with(m)))
}

/// The sentences of a text, found as the scan moves forward through it: each byte is looked
/// at a bounded number of times, so finding sentences stays linear in the text.
struct Sentences<'t> {
    text: &'t str,
    start: usize,
    end: usize,
}

impl<'t> Sentences<'t> {
    fn new(text: &'t str) -> Self {
        Sentences {
            text,
            start: 0,
            end: 0,
        }
    }

    /// A sentence ends at `.`, `!`, `?` followed by white space, and at a line break. Dots
    /// inside numbers, dates and addresses do not end one.
    fn ends_at(&self, i: usize) -> bool {
        let bytes = self.text.as_bytes();
        match bytes[i] {
            b'\n' => true,
            b'.' if is_day_of_date(self.text, i) => false,
            b'.' | b'!' | b'?' => bytes.get(i + 1).is_none_or(|n| n.is_ascii_whitespace()),
            _ => false,
        }
    }

    /// The first place in `from..` where a sentence ends, or the text's end.
    fn next_end(&self, from: usize) -> usize {
        let bytes = self.text.as_bytes();
        let mut at = from;
        // Eight bytes at a time: only the bytes that may end a sentence are looked at.
        while let Some(chunk) = bytes.get(at..).and_then(<[u8]>::first_chunk) {
            let mut marks = sentence_marks(u64::from_le_bytes(*chunk));
            while marks != 0 {
                let i = at + marks.trailing_zeros() as usize / 8;
                if self.ends_at(i) {
                    return i;
                }
                marks &= marks - 1;
            }
            at += 8;
        }
        (at..bytes.len())
            .find(|&i| self.ends_at(i))
            .unwrap_or(bytes.len())
    }

    /// The last place in `from..to` where a sentence ends.
    fn last_end(&self, from: usize, to: usize) -> Option<usize> {
        let bytes = self.text.as_bytes();
        let mut to = to;
        while to >= from + 8
            && let Some(chunk) = bytes.get(to - 8..).and_then(<[u8]>::first_chunk)
        {
            let mut marks = sentence_marks(u64::from_le_bytes(*chunk));
            while marks != 0 {
                let lane = 7 - marks.leading_zeros() as usize / 8;
                if self.ends_at(to - 8 + lane) {
                    return Some(to - 8 + lane);
                }
                marks &= !(0x80 << (8 * lane));
            }
            to -= 8;
        }
        (from..to).rev().find(|&i| self.ends_at(i))
    }

    /// The byte range of the sentence around `at`, cut to [`REACH`] on either side of
    /// `at..until`. Calls must come with non-decreasing `at`.
    fn around(&mut self, at: usize, until: usize) -> (usize, usize) {
        if !(self.start <= at && at < self.end) {
            let from = self.end.min(at);
            let start = self.last_end(from, at).map_or(from, |i| i + 1);
            let end = self.next_end(at);
            self.start = start;
            self.end = (end + 1).min(self.text.len());
        }
        let mut from = self.start.max(at.saturating_sub(REACH));
        while !self.text.is_char_boundary(from) {
            from += 1;
        }
        let mut to = self.end.min(until + REACH).max(until);
        while !self.text.is_char_boundary(to) {
            to -= 1;
        }
        (from, to)
    }
}

/// The 1-based line and column of a byte offset, and the line's text.
struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { text, starts }
    }

    /// The place at a byte offset, with the text of `excerpt` (a byte range) as its excerpt.
    fn place(&self, content: &Content, offset: usize, excerpt: (usize, usize)) -> Place {
        let line = self.line_of(offset);
        Place {
            excerpt: excerpt_of(&self.text[excerpt.0..excerpt.1]),
            ..bare_place(content, line, self.starts[line - 1], offset)
        }
    }

    /// The 1-based line of a byte offset.
    fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }
}

/// The place at byte `offset` of `content`'s text, on the 1-based `line` that starts at byte
/// `line_start`: its column counts characters. Without excerpt or value as written.
fn bare_place(content: &Content, line: usize, line_start: usize, offset: usize) -> Place {
    Place {
        source: content.source.clone(),
        title: content.title.clone(),
        channel: content.channel.clone(),
        line,
        column: content.text[line_start..offset].chars().count() + 1,
        excerpt: String::new(),
        written: None,
        violation: None,
    }
}

/// Longest excerpt shown for a place, in characters.
const EXCERPT_MAX: usize = 160;

/// A sentence cut to a readable length, on one line: its words joined by single spaces, and
/// if that is longer than [`EXCERPT_MAX`] characters, cut before it with "…".
fn excerpt_of(sentence: &str) -> String {
    let mut flat = String::with_capacity(sentence.len().min(4 * EXCERPT_MAX));
    let mut chars = 0;
    // Words are added only until the excerpt is known to be too long.
    for word in sentence.split_whitespace() {
        if chars > EXCERPT_MAX {
            break;
        }
        if chars > 0 {
            flat.push(' ');
            chars += 1;
        }
        flat.push_str(word);
        chars += word.chars().count();
    }
    if chars <= EXCERPT_MAX {
        return flat;
    }
    let cut = flat
        .char_indices()
        .nth(EXCERPT_MAX - 1)
        .map_or(flat.len(), |(i, _)| i);
    flat.truncate(cut);
    flat.push('…');
    flat
}

impl<'g> Checker<'g> {
    /// Prepares the guideline; facts not in force on `today` are left out.
    pub fn new(guideline: &'g Guideline, today: Date) -> Result<Checker<'g>, GuidelineTooLarge> {
        let facts: Vec<&Fact> = guideline
            .facts
            .iter()
            .filter(|f| f.valid_on(today))
            .collect();
        let mut patterns: Vec<String> = Vec::new();
        let mut targets: Vec<Target> = Vec::new();
        let mut add = |term: &str, target: Target| {
            if term.trim().is_empty() {
                return;
            }
            for spelling in spellings(term.trim()) {
                patterns.push(spelling);
                targets.push(target);
            }
        };
        for (i, fact) in facts.iter().enumerate() {
            for keyword in &fact.keywords {
                add(keyword, Target::Fact(i));
            }
        }
        for (i, rule) in guideline.tone.forbidden.iter().enumerate() {
            add(&rule.term, Target::Forbidden(i));
        }
        for (i, rule) in guideline.tone.required.iter().enumerate() {
            add(&rule.term, Target::Required(i));
        }
        let keywords = Keywords::new(&patterns).map_err(|e| GuidelineTooLarge(e.to_string()))?;
        let contacts = Contacts::of(&facts, &guideline.allowed_contacts);
        Ok(Checker {
            guideline,
            facts,
            keywords,
            targets,
            contacts,
        })
    }

    /// Knows `contacts` too (a customer's own phone number and e-mail address, in a reply to
    /// them), without checking contacts where the guideline names none.
    pub fn knowing(mut self, contacts: &[&str]) -> Checker<'g> {
        if self.contacts.any() {
            for value in contacts.iter().filter_map(|c| parse_contact(c)) {
                self.contacts.add(value);
            }
        }
        self
    }

    /// Every mention of a fact in the content, and the tone findings of the content. A
    /// mention holds positions; [`Mention::place`] and [`Mention::excerpt`] make the rest.
    pub fn scan(&self, content: &Content) -> (Vec<Mention>, Vec<Finding>) {
        self.scan_lines(content, &Lines::new(&content.text))
    }

    fn scan_lines(&self, content: &Content, lines: &Lines<'_>) -> (Vec<Mention>, Vec<Finding>) {
        let text = content.text.as_str();
        let mut mentions = Vec::new();
        let mut findings = Vec::new();
        let mut required_seen = vec![false; self.guideline.tone.required.len()];
        let mut forbidden = vec![Listing::default(); self.guideline.tone.forbidden.len()];
        // Values of one kind in one sentence are looked for once, however many keywords
        // the sentence holds: by the sentence's range and the kind, with their places
        // in it. Hits come in order, so a sentence that ends before a hit is done with.
        let mut values_in: Vec<((usize, usize, ValueKind), Vec<Found>)> = Vec::new();
        let mut last_mention: Option<(usize, usize)> = None;
        let mut sentences = Sentences::new(text);
        for hit in self.keywords.find_iter(text) {
            match self.targets[hit.pattern().as_usize()] {
                Target::Fact(i) => {
                    let fact = self.facts[i];
                    let (s, e) = sentences.around(hit.start(), hit.end());
                    values_in.retain(|((_, end, _), _)| *end > hit.start());
                    let key = (s, e, fact.kind);
                    let values = match values_in.iter().position(|(k, _)| *k == key) {
                        Some(i) => &values_in[i].1,
                        None => {
                            values_in.push((key, find_values(fact.kind, &text[s..e])));
                            &values_in[values_in.len() - 1].1
                        }
                    };
                    // The value nearest to the keyword, after it first: "Rückgabe innerhalb
                    // von 30 Tagen", then before it: "30 Tage Rückgaberecht".
                    let nearest = values
                        .iter()
                        .filter(|f| s + f.start >= hit.end())
                        .min_by_key(|f| s + f.start - hit.end())
                        .or_else(|| {
                            values
                                .iter()
                                .filter(|f| s + f.end <= hit.start())
                                .min_by_key(|f| hit.start() - (s + f.end))
                        })
                        .map(|f| (s + f.start, s + f.end, &f.value));
                    if let Some((vs, ve, value)) = nearest {
                        // One mention per fact and value position: two keywords of a fact
                        // in one sentence name one value.
                        if last_mention == Some((i, vs)) {
                            continue;
                        }
                        last_mention = Some((i, vs));
                        mentions.push(Mention {
                            fact: i,
                            value: value.clone(),
                            span: (vs, ve),
                            line: lines.line_of(vs),
                            sentence: (s, e),
                        });
                    }
                }
                Target::Forbidden(i) => {
                    let rule = &self.guideline.tone.forbidden[i];
                    if !rule.applies_to(content.channel.as_deref()) || !ends_word(text, hit.end()) {
                        continue;
                    }
                    if !forbidden[i].admit(findings.len()) {
                        continue;
                    }
                    let found = &text[hit.start()..hit.end()];
                    findings.push(Finding {
                        kind: FindingKind::ForbiddenTerm,
                        rule: rule.term.clone(),
                        message: format!("the guideline forbids \"{found}\""),
                        places: vec![Place {
                            written: Some(found.to_owned()),
                            ..lines.place(
                                content,
                                hit.start(),
                                sentences.around(hit.start(), hit.end()),
                            )
                        }],
                        suggestion: Some(match &rule.instead {
                            Some(instead) => format!("write \"{instead}\" instead"),
                            None => format!("remove \"{found}\""),
                        }),
                        unlisted: 0,
                        unlisted_places: 0,
                    });
                }
                Target::Required(i) => required_seen[i] = true,
            }
        }
        for listing in forbidden {
            listing.count_on(&mut findings);
        }
        for (i, rule) in self.guideline.tone.required.iter().enumerate() {
            if !required_seen[i] && rule.applies_to(content.channel.as_deref()) {
                findings.push(Finding {
                    kind: FindingKind::MissingTerm,
                    rule: rule.term.clone(),
                    message: format!("the guideline requires \"{}\"", rule.term),
                    places: vec![lines.place(
                        content,
                        0,
                        (0, text.find('\n').unwrap_or(text.len())),
                    )],
                    suggestion: Some(format!("add \"{}\"", rule.term)),
                    unlisted: 0,
                    unlisted_places: 0,
                });
            }
        }
        if let Some(wanted) = self.guideline.tone.address {
            findings.extend(self.address_findings(content, lines, wanted));
        }
        (mentions, findings)
    }

    /// Adds to `unknown` the phone numbers, e-mail addresses and web addresses in the content
    /// that are neither the guideline's nor allowed, each at its first place in the content.
    /// A contact that states a fact (a value of the fact's kind next to one of its keywords)
    /// is left to the fact's checks, so that a contradiction is not reported twice.
    fn unknown_contacts(
        &self,
        content: &Content,
        lines: &Lines<'_>,
        mentions: &[Mention],
        unknown: &mut UnknownContacts,
    ) {
        if !self.contacts.any() {
            return;
        }
        let text = content.text.as_str();
        let mut stated: Vec<(usize, usize)> = mentions.iter().map(|m| m.span).collect();
        stated.sort_unstable();
        // The furthest end among the mentions up to each one, so that whether a contact
        // overlaps any mention starting before its end is one look-up.
        let reach: Vec<usize> = stated
            .iter()
            .scan(0, |furthest, &(_, end)| {
                *furthest = end.max(*furthest);
                Some(*furthest)
            })
            .collect();
        let mut here: HashSet<Value> = HashSet::new();
        // The contacts of this text beyond those listed, and how many of them no other text
        // has listed: those are counted on the last contact listed here.
        let mut left_out: HashSet<Value> = HashSet::new();
        let mut new_left_out = 0;
        let mut last_listed = None;
        let mut sentences = Sentences::new(text);
        for found in find_contacts(text) {
            let before = stated.partition_point(|&(start, _)| start < found.end);
            if (before > 0 && reach[before - 1] > found.start)
                || self.contacts.allow(&found.value)
                || here.contains(&found.value)
            {
                continue;
            }
            if here.len() == LISTED_PER_TEXT {
                if !left_out.contains(&found.value) {
                    match unknown.index.get(&found.value) {
                        Some(&i) => unknown.found[i].unlisted_places += 1,
                        None => new_left_out += 1,
                    }
                    left_out.insert(found.value);
                }
                continue;
            }
            here.insert(found.value.clone());
            let place = Place {
                written: Some(text[found.start..found.end].to_owned()),
                ..lines.place(
                    content,
                    found.start,
                    sentences.around(found.start, found.end),
                )
            };
            let i = match unknown.index.get(&found.value) {
                Some(&i) => {
                    let contact = &mut unknown.found[i];
                    if contact.places.len() < LISTED_PER_TEXT {
                        contact.places.push(place);
                    } else {
                        contact.unlisted_places += 1;
                    }
                    i
                }
                None => {
                    let i = unknown.found.len();
                    unknown.index.insert(found.value.clone(), i);
                    unknown.found.push(UnknownContact {
                        value: found.value,
                        places: vec![place],
                        unlisted: 0,
                        unlisted_places: 0,
                    });
                    i
                }
            };
            last_listed = Some(i);
        }
        if let Some(i) = last_listed {
            unknown.found[i].unlisted += new_left_out;
        }
    }

    /// A warning per unknown contact, with the guideline's own contact of its kind to write
    /// instead, where it has one.
    fn unknown_contact_findings(&self, unknown: UnknownContacts) -> Vec<Finding> {
        unknown
            .found
            .into_iter()
            .map(|contact| {
                let UnknownContact {
                    value,
                    places,
                    unlisted,
                    unlisted_places,
                } = contact;
                let written = places
                    .first()
                    .and_then(|p| p.written.clone())
                    .unwrap_or_else(|| value.to_string());
                let what = match value.kind() {
                    ValueKind::Email => "e-mail address",
                    ValueKind::Url => "web address",
                    _ => "phone number",
                };
                let own = self
                    .facts
                    .iter()
                    .find(|f| f.kind == value.kind() && f.value.is_some());
                Finding {
                    kind: FindingKind::UnknownContact,
                    // The contact in its normal form, which reads back as its kind; the
                    // same contact in other words is the same finding.
                    rule: value.to_string(),
                    message: format!(
                        "unknown {what}? \"{written}\" is neither in the guideline nor an \
                         allowed contact"
                    ),
                    places,
                    suggestion: Some(match own {
                        Some(fact) => format!(
                            "write \"{}\" ({}) from the guideline, or add \"{written}\" to \
                             allowed_contacts",
                            fact.value.as_deref().unwrap_or_default(),
                            fact.label
                        ),
                        None => format!("remove \"{written}\", or add it to allowed_contacts"),
                    }),
                    unlisted,
                    unlisted_places,
                }
            })
            .collect()
    }

    /// One finding per line that addresses the reader the other way.
    fn address_findings(
        &self,
        content: &Content,
        lines: &Lines<'_>,
        wanted: Address,
    ) -> Vec<Finding> {
        let text = content.text.as_str();
        let marks = address_marks(text);
        if dominant(&marks).is_none() {
            return Vec::new();
        }
        let mut findings: Vec<Finding> = Vec::new();
        let mut last_line = 0;
        let mut sentences = Sentences::new(text);
        let mut listing = Listing::default();
        for mark in marks.iter().filter(|m| m.address != wanted) {
            let line = lines.line_of(mark.start);
            if line == last_line {
                continue;
            }
            last_line = line;
            if !listing.admit(findings.len()) {
                continue;
            }
            let place = Place {
                written: Some(mark.word.clone()),
                ..lines.place(content, mark.start, sentences.around(mark.start, mark.end))
            };
            let (want, got) = match wanted {
                Address::Formal => ("Sie", "du"),
                Address::Informal => ("du", "Sie"),
            };
            findings.push(Finding {
                kind: FindingKind::WrongAddress,
                rule: "address".into(),
                message: format!(
                    "\"{}\" addresses the reader with {got}; the guideline says {want}",
                    mark.word
                ),
                places: vec![place],
                suggestion: Some(format!("address the reader with {want}")),
                unlisted: 0,
                unlisted_places: 0,
            });
        }
        listing.count_on(&mut findings);
        findings
    }

    /// Checks every content item: contradictions with the guideline, between channels, and
    /// tone. Findings come in a stable order: by kind, then by rule, then by place.
    pub fn check(&self, contents: &[Content]) -> Vec<Finding> {
        let mut findings = Vec::new();
        let mut by_fact: BTreeMap<usize, Vec<Stated<'_>>> = BTreeMap::new();
        let mut unknown = UnknownContacts::default();
        for content in contents {
            let lines = Lines::new(&content.text);
            let (mentions, tone) = self.scan_lines(content, &lines);
            findings.extend(tone);
            self.unknown_contacts(content, &lines, &mentions, &mut unknown);
            for mention in mentions {
                by_fact
                    .entry(mention.fact)
                    .or_default()
                    .push(Stated { content, mention });
            }
        }
        findings.extend(self.unknown_contact_findings(unknown));
        for (i, stated) in &by_fact {
            let fact = self.facts[*i];
            let canonical = fact.canonical();
            if let Some(canonical) = &canonical {
                let mut per_text: HashMap<&str, Listing> = HashMap::new();
                for m in stated.iter().filter(|m| &m.mention.value != canonical) {
                    let listing = per_text.entry(m.content.source.as_str()).or_default();
                    if !listing.admit(findings.len()) {
                        continue;
                    }
                    findings.push(Finding {
                        kind: FindingKind::ContradictsGuideline,
                        rule: fact.key.clone(),
                        message: format!(
                            "{}: \"{}\" ({}) contradicts the guideline: {}",
                            fact.label,
                            m.written(),
                            m.mention.value,
                            canonical
                        ),
                        places: vec![m.place()],
                        suggestion: Some(format!(
                            "write \"{}\"",
                            fact.value.as_deref().unwrap_or_default()
                        )),
                        unlisted: 0,
                        unlisted_places: 0,
                    });
                }
                for listing in per_text.into_values() {
                    listing.count_on(&mut findings);
                }
            }
            findings.extend(channel_contradictions(fact, canonical.as_ref(), stated));
        }
        findings.sort_by(|a, b| {
            (
                a.kind as u8,
                &a.rule,
                &a.places.first().map(|p| (&p.source, p.line)),
            )
                .cmp(&(
                    b.kind as u8,
                    &b.rule,
                    &b.places.first().map(|p| (&p.source, p.line)),
                ))
        });
        findings
    }
}

/// Channels that state a fact with different values: one finding per pair of values, naming
/// the first place of that value in every content item that states it, so that a finding
/// shows everyone who has to change something. The guideline's value, where there is one,
/// comes second: the deviating places lead.
fn channel_contradictions(
    fact: &Fact,
    canonical: Option<&Value>,
    mentions: &[Stated<'_>],
) -> Vec<Finding> {
    // Distinct values in order of appearance (the first VALUES_COMPARED, and the
    // guideline's), each with its first mention per item and the items beyond those listed.
    let mut groups: Vec<(&Value, Vec<&Stated<'_>>, HashSet<&str>)> = Vec::new();
    let mut index: HashMap<&Value, usize> = HashMap::new();
    let mut not_compared: HashSet<&Value> = HashSet::new();
    for m in mentions {
        let value = &m.mention.value;
        match index.get(value) {
            Some(&i) => {
                let (_, places, more) = &mut groups[i];
                let source = m.content.source.as_str();
                if places.iter().any(|p| p.content.source == source) {
                    continue;
                }
                if places.len() < LISTED_PER_TEXT {
                    places.push(m);
                } else {
                    more.insert(source);
                }
            }
            None => {
                let room =
                    groups.len() + usize::from(canonical.is_some_and(|c| !index.contains_key(c)));
                if room < VALUES_COMPARED || canonical == Some(value) {
                    index.insert(value, groups.len());
                    groups.push((value, vec![m], HashSet::new()));
                } else {
                    not_compared.insert(value);
                }
            }
        }
    }
    if let Some(canonical) = canonical {
        groups.sort_by_key(|(v, _, _)| *v == canonical);
    }
    let titles = |ms: &[&Stated<'_>]| {
        ms.iter()
            .map(|m| m.content.title.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    // Each group's places are made once: a group stands in a finding with every other group.
    let places: Vec<Vec<Place>> = groups
        .iter()
        .map(|(_, ms, _)| ms.iter().map(|m| m.place()).collect())
        .collect();
    let mut findings = Vec::new();
    for (i, (_, a, more_a)) in groups.iter().enumerate() {
        for (j, (_, b, more_b)) in groups.iter().enumerate().skip(i + 1) {
            findings.push(Finding {
                kind: FindingKind::ContradictsChannel,
                rule: fact.key.clone(),
                message: format!(
                    "{}: \"{}\" in {} contradicts \"{}\" in {}",
                    fact.label,
                    a[0].written(),
                    titles(a),
                    b[0].written(),
                    titles(b)
                ),
                places: places[i].iter().chain(&places[j]).cloned().collect(),
                suggestion: Some(match (&fact.value, canonical) {
                    (Some(text), Some(_)) => format!("write \"{text}\" everywhere"),
                    _ => format!("decide on one value for {} in the guideline", fact.label),
                }),
                unlisted: 0,
                unlisted_places: more_a.len() + more_b.len(),
            });
        }
    }
    // Every pair with a value not compared is a contradiction left out.
    let pairs = |n: usize| n * n.saturating_sub(1) / 2;
    if let Some(last) = findings.last_mut() {
        last.unlisted = pairs(groups.len() + not_compared.len()) - pairs(groups.len());
    }
    findings
}

/// A mention with the content it was found in, as `check` gathers them by fact.
struct Stated<'c> {
    content: &'c Content,
    mention: Mention,
}

impl Stated<'_> {
    fn written(&self) -> &str {
        self.mention.written(&self.content.text)
    }

    /// The mention's place with its excerpt, made only for the places that end up in
    /// findings.
    fn place(&self) -> Place {
        Place {
            excerpt: self.mention.excerpt(&self.content.text),
            ..self.mention.place(self.content)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consistency::guideline::{TermRule, Tone};
    use crate::consistency::value::ValueKind;

    fn fact(key: &str, kind: ValueKind, value: Option<&str>, keywords: &[&str]) -> Fact {
        Fact {
            key: key.into(),
            label: key.into(),
            kind,
            value: value.map(str::to_owned),
            keywords: keywords.iter().map(|k| (*k).to_owned()).collect(),
            valid_from: None,
            valid_until: None,
        }
    }

    fn content(source: &str, channel: &str, text: &str) -> Content {
        Content {
            source: source.into(),
            title: source.into(),
            channel: Some(channel.into()),
            text: text.into(),
        }
    }

    fn today() -> Date {
        jiff::civil::date(2026, 11, 23)
    }

    fn guideline() -> Guideline {
        Guideline {
            facts: vec![
                fact(
                    "return-period",
                    ValueKind::Duration,
                    Some("30 Tage"),
                    &["Rückgabe", "Rückgaberecht", "zurückgeben", "return"],
                ),
                fact("hotline", ValueKind::Phone, None, &["Hotline", "call us"]),
            ],
            allowed_contacts: vec![],
            tone: Tone::default(),
        }
    }

    /// Findings grow with the text, not with its square: a text full of different values,
    /// unknown contacts, informal lines and forbidden terms lists a bounded number of each.
    #[test]
    fn a_text_that_breaks_a_rule_thousands_of_times_lists_a_bounded_number_of_findings() {
        let mut g = guideline();
        g.facts[1].value = Some("0800 123 45 67".into());
        g.allowed_contacts = vec!["service@example.de".into()];
        g.tone = Tone {
            address: Some(Address::Formal),
            forbidden: vec![TermRule {
                term: "leider nicht möglich".into(),
                instead: None,
                channels: vec![],
            }],
            required: vec![],
        };
        let checker = Checker::new(&g, today()).expect("builds");
        let mut hotlines = String::new();
        let mut other = String::new();
        for i in 0..2_000 {
            hotlines.push_str(&format!("Hotline: 0800 {:06}. ", 100_000 + i));
            other.push_str(&format!(
                "Sie erreichen uns unter a{i}@example.org. Das ist leider nicht möglich.\n\
                 Kannst du uns schreiben?\n"
            ));
        }
        // The guideline's own value comes last, after thousands of others, and is still
        // one side of the comparison.
        hotlines.push_str("Hotline: 0800 123 45 67.");
        let contents = [
            content("faq", "website", &hotlines),
            content("mail", "newsletter", &other),
            content("app", "app", "Hotline: 0800 999 999."),
        ];
        let findings = checker.check(&contents);
        let count = |kind: FindingKind| findings.iter().filter(|f| f.kind == kind).count();
        let pairs = VALUES_COMPARED * (VALUES_COMPARED - 1) / 2;
        assert_eq!(count(FindingKind::ContradictsChannel), pairs);
        assert!(findings.iter().any(|f| {
            f.kind == FindingKind::ContradictsChannel
                && f.places
                    .iter()
                    .any(|p| p.written.as_deref() == Some("0800 123 45 67"))
        }));
        // Per text: the website's 2,000 deviating hotlines, and the app's one.
        assert_eq!(
            count(FindingKind::ContradictsGuideline),
            LISTED_PER_TEXT + 1
        );
        assert_eq!(count(FindingKind::UnknownContact), LISTED_PER_TEXT);
        assert_eq!(count(FindingKind::WrongAddress), LISTED_PER_TEXT);
        assert_eq!(count(FindingKind::ForbiddenTerm), LISTED_PER_TEXT);
        assert!(
            findings
                .iter()
                .all(|f| f.places.len() <= 2 * LISTED_PER_TEXT)
        );
        // What was left out is counted once, on the last finding listed of its kind and
        // text: 2,000 of each in a text, 20 listed. Between channels, the 2,002 distinct
        // hotlines (2,000 of the website, the guideline's, the app's) make 2,002 · 2,001 / 2
        // pairs, of which the 8 values compared make 28.
        let unlisted = |kind: FindingKind| -> Vec<(String, usize)> {
            findings
                .iter()
                .filter(|f| f.kind == kind && f.unlisted > 0)
                .map(|f| (f.places[0].source.clone(), f.unlisted))
                .collect()
        };
        let of = |source: &str, n: usize| vec![(source.to_owned(), n)];
        assert_eq!(
            unlisted(FindingKind::ContradictsGuideline),
            of("faq", 1_980)
        );
        assert_eq!(unlisted(FindingKind::UnknownContact), of("mail", 1_980));
        assert_eq!(unlisted(FindingKind::WrongAddress), of("mail", 1_980));
        assert_eq!(unlisted(FindingKind::ForbiddenTerm), of("mail", 1_980));
        let channels = unlisted(FindingKind::ContradictsChannel);
        assert_eq!(channels.len(), 1, "{channels:?}");
        assert_eq!(channels[0].1, 2_002 * 2_001 / 2 - pairs);
        // Each listed one is the last of its text.
        let last = findings
            .iter()
            .filter(|f| f.kind == FindingKind::ForbiddenTerm)
            .max_by_key(|f| f.places[0].line)
            .expect("forbidden terms");
        assert_eq!(last.unlisted, 1_980);
        assert!(findings.iter().all(|f| f.unlisted_places == 0));
    }

    #[test]
    fn an_unknown_contact_in_many_texts_lists_a_bounded_number_of_places() {
        let mut g = guideline();
        g.allowed_contacts = vec!["service@example.de".into()];
        let checker = Checker::new(&g, today()).expect("builds");
        let contents: Vec<Content> = (0..50)
            .map(|i| {
                content(
                    &format!("t{i}"),
                    "website",
                    "Schreiben Sie an x@example.org.",
                )
            })
            .collect();
        let findings = checker.check(&contents);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].kind, FindingKind::UnknownContact);
        assert_eq!(findings[0].places.len(), LISTED_PER_TEXT);
        assert_eq!(findings[0].unlisted_places, 50 - LISTED_PER_TEXT);
        assert_eq!(findings[0].unlisted, 0);
    }

    #[test]
    fn a_value_stated_in_many_texts_lists_a_bounded_number_of_places_and_counts_the_rest() {
        let g = guideline();
        let checker = Checker::new(&g, today()).expect("builds");
        let mut contents: Vec<Content> = (0..25)
            .map(|i| content(&format!("t{i}"), "website", "Hotline: 0800 111 111."))
            .collect();
        contents.push(content("app", "app", "Hotline: 0800 222 222."));
        let findings = checker.check(&contents);
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].kind, FindingKind::ContradictsChannel);
        assert_eq!(findings[0].places.len(), LISTED_PER_TEXT + 1);
        assert_eq!(findings[0].unlisted_places, 25 - LISTED_PER_TEXT);
        assert_eq!(findings[0].unlisted, 0);
    }

    #[test]
    fn german_and_english_formats_of_one_value_agree() {
        let g = guideline();
        let checker = Checker::new(&g, today()).expect("builds");
        let contents = [
            content(
                "faq",
                "website",
                "Sie können Artikel innerhalb von 30 Tagen zurückgeben.",
            ),
            content("en", "website", "You may return items within 30 days."),
            content("app", "app", "Rückgaberecht: dreißig Tage."),
        ];
        assert_eq!(checker.check(&contents), vec![]);
        let (mentions, _) = checker.scan(&contents[0]);
        assert_eq!(mentions.len(), 1);
        assert_eq!(mentions[0].written(&contents[0].text), "30 Tagen");
        let place = mentions[0].place(&contents[0]);
        assert_eq!((place.line, place.column), (1, 34));
        assert_eq!(
            (place.source.as_str(), place.written.as_deref()),
            ("faq", Some("30 Tagen"))
        );
        // On a later line, after letters of two bytes: the column counts characters.
        let later = content("faq", "website", "Grüße!\nÄnderung: Rückgabe in 30 Tagen.");
        let (mentions, _) = checker.scan(&later);
        let place = mentions[0].place(&later);
        assert_eq!((place.line, place.column), (2, 23));
    }

    #[test]
    fn a_deviation_names_its_place_and_the_other_channels() {
        let g = guideline();
        let checker = Checker::new(&g, today()).expect("builds");
        let contents = [
            content(
                "faq.html",
                "website",
                "Rückgabe binnen 30 Tagen.\nHotline: 0800 123 45 67",
            ),
            content(
                "news.md",
                "newsletter",
                "Hallo!\nDu hast zwei Wochen Rückgaberecht.\nUnsere Hotline 0800 765 43 21",
            ),
        ];
        let findings = checker.check(&contents);
        let kinds: Vec<(FindingKind, &str)> =
            findings.iter().map(|f| (f.kind, f.rule.as_str())).collect();
        assert_eq!(
            kinds,
            [
                (FindingKind::ContradictsGuideline, "return-period"),
                (FindingKind::ContradictsChannel, "hotline"),
                (FindingKind::ContradictsChannel, "return-period"),
            ]
        );
        let guideline_finding = &findings[0];
        assert_eq!(guideline_finding.places[0].source, "news.md");
        assert_eq!(guideline_finding.places[0].line, 2);
        assert_eq!(
            guideline_finding.suggestion.as_deref(),
            Some("write \"30 Tage\"")
        );
        let sources: Vec<&str> = findings[2]
            .places
            .iter()
            .map(|p| p.source.as_str())
            .collect();
        assert_eq!(
            sources,
            ["news.md", "faq.html"],
            "the deviating place leads"
        );
        let hotline: Vec<usize> = findings[1].places.iter().map(|p| p.line).collect();
        assert_eq!(hotline, [2, 3]);
    }

    #[test]
    fn facts_out_of_force_are_not_checked() {
        let mut g = guideline();
        g.facts[0].valid_until = Some(jiff::civil::date(2026, 1, 31));
        let checker = Checker::new(&g, today()).expect("builds");
        let contents = [content("a", "website", "Rückgabe binnen 14 Tagen.")];
        assert!(checker.check(&contents).is_empty());
    }

    #[test]
    fn tone_rules_apply_per_channel() {
        let g = Guideline {
            facts: vec![],
            allowed_contacts: vec![],
            tone: Tone {
                address: Some(Address::Formal),
                forbidden: vec![TermRule {
                    term: "leider nicht möglich".into(),
                    instead: None,
                    channels: vec![],
                }],
                required: vec![TermRule {
                    term: "Impressum".into(),
                    instead: None,
                    channels: vec!["website".into()],
                }],
            },
        };
        let checker = Checker::new(&g, today()).expect("builds");
        let contents = [
            content(
                "w",
                "website",
                "Wir beraten Sie gern.\nDas ist Leider nicht möglich.",
            ),
            content("n", "newsletter", "Hol dir deinen Gutschein."),
        ];
        let findings = checker.check(&contents);
        let kinds: Vec<(FindingKind, &str)> = findings
            .iter()
            .map(|f| (f.kind, f.places[0].source.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                (FindingKind::WrongAddress, "n"),
                (FindingKind::ForbiddenTerm, "w"),
                (FindingKind::MissingTerm, "w"),
            ]
        );
    }

    #[test]
    fn a_german_date_does_not_end_the_sentence() {
        let mut g = guideline();
        g.facts.push(fact(
            "deadline",
            ValueKind::Date,
            Some("31.12.2026"),
            &["Aktion"],
        ));
        let checker = Checker::new(&g, today()).expect("builds");
        let (mentions, _) = checker.scan(&content(
            "a",
            "w",
            "Die Aktion läuft bis zum 31. Dezember 2026.",
        ));
        assert_eq!(mentions.len(), 1, "{mentions:?}");
        assert_eq!(
            mentions[0].written("Die Aktion läuft bis zum 31. Dezember 2026."),
            "31. Dezember 2026"
        );
    }

    #[test]
    fn keywords_start_words_and_may_begin_compounds() {
        let g = guideline();
        let checker = Checker::new(&g, today()).expect("builds");
        // "Rückgaberechts" is a compound of the keyword; "Warenrückgabe" does not start with it.
        let (hits, _) = checker.scan(&content("a", "w", "Dauer des Rückgaberechts: 30 Tage."));
        assert_eq!(hits.len(), 1);
        let (none, _) = checker.scan(&content("a", "w", "Die Warenrückgabe dauert 5 Tage."));
        assert!(none.is_empty());
    }

    /// A guideline with one contact of each kind, and the contacts it allows besides.
    fn contacts_guideline(allowed: &[&str]) -> Guideline {
        Guideline {
            facts: vec![
                fact(
                    "hotline",
                    ValueKind::Phone,
                    Some("+49 40 123456"),
                    &["Hotline"],
                ),
                fact(
                    "service-email",
                    ValueKind::Email,
                    Some("service@nordlicht-wohnen.de"),
                    &["E-Mail"],
                ),
                fact(
                    "faq",
                    ValueKind::Url,
                    Some("nordlicht-wohnen.de/faq"),
                    &["FAQ"],
                ),
            ],
            allowed_contacts: allowed.iter().map(|c| (*c).to_owned()).collect(),
            tone: Tone::default(),
        }
    }

    /// The unknown contacts found in one text: (rule, written, line).
    fn unknown(guideline: &Guideline, text: &str) -> Vec<(String, String, usize)> {
        let checker = Checker::new(guideline, today()).expect("builds");
        checker
            .check(&[content("a", "website", text)])
            .into_iter()
            .filter(|f| f.kind == FindingKind::UnknownContact)
            .map(|f| {
                let place = &f.places[0];
                (
                    f.rule.clone(),
                    place.written.clone().unwrap_or_default(),
                    place.line,
                )
            })
            .collect()
    }

    #[test]
    fn a_phone_number_that_is_not_the_hotline_is_a_warning_with_its_place() {
        let g = contacts_guideline(&[]);
        let checker = Checker::new(&g, today()).expect("builds");
        let findings = checker.check(&[content(
            "faq.html",
            "website",
            "Willkommen!\nFür Fragen zur Lieferung rufen Sie 040 999 888 77 an.",
        )]);
        assert_eq!(findings.len(), 1, "{findings:?}");
        let f = &findings[0];
        assert_eq!(f.kind, FindingKind::UnknownContact);
        assert!(!f.kind.is_error(), "a warning, not a contradiction");
        assert_eq!(f.rule, "+49 4099988877");
        let place = &f.places[0];
        assert_eq!((place.line, place.column), (2, 36));
        assert_eq!(place.written.as_deref(), Some("040 999 888 77"));
        assert_eq!(
            place.excerpt,
            "Für Fragen zur Lieferung rufen Sie 040 999 888 77 an."
        );
        assert_eq!(
            f.message,
            "unknown phone number? \"040 999 888 77\" is neither in the guideline nor an allowed contact"
        );
        assert_eq!(
            f.suggestion.as_deref(),
            Some(
                "write \"+49 40 123456\" (hotline) from the guideline, or add \"040 999 888 77\" \
                 to allowed_contacts"
            )
        );
    }

    #[test]
    fn the_guidelines_own_contacts_written_otherwise_are_known() {
        let g = contacts_guideline(&[]);
        for text in [
            "Rufen Sie an: 040 / 123 45-6.",
            "Telefon (040) 12 34 56, international +49 (0)40 123456.",
            "Schreiben Sie an SERVICE@Nordlicht-Wohnen.de.",
            "Antworten unter https://www.Nordlicht-Wohnen.de/faq/ und WWW.nordlicht-wohnen.de/faq.",
        ] {
            assert_eq!(unknown(&g, text), [], "{text}");
        }
    }

    #[test]
    fn allowed_contacts_are_not_reported_and_a_web_address_allows_its_pages() {
        let g = contacts_guideline(&[
            "+49 40 987654",
            "Presse@Example.de",
            "https://jobs.example.de/",
        ]);
        let text = "Zentrale 040 98 76 54, Presse: presse@example.de.\n\
                    Stellen: https://jobs.example.de und https://jobs.example.de/it?ort=hamburg.\n\
                    Nicht: https://jobs.example.de.evil.com/x oder https://example.de/jobsuche";
        assert_eq!(
            unknown(&g, text),
            [
                (
                    "example.de/jobsuche".to_owned(),
                    "https://example.de/jobsuche".to_owned(),
                    3
                ),
                (
                    "jobs.example.de.evil.com/x".to_owned(),
                    "https://jobs.example.de.evil.com/x".to_owned(),
                    3
                ),
            ]
        );
    }

    #[test]
    fn unknown_e_mail_and_web_addresses_are_warnings_too() {
        let g = contacts_guideline(&[]);
        let checker = Checker::new(&g, today()).expect("builds");
        let findings = checker.check(&[content(
            "news.md",
            "newsletter",
            "Fragen an info@nordlicht-wohnen.de; Angebote auf www.moebel-discount.example.com/sale.",
        )]);
        let found: Vec<(FindingKind, &str, &str)> = findings
            .iter()
            .map(|f| (f.kind, f.rule.as_str(), f.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    FindingKind::UnknownContact,
                    "info@nordlicht-wohnen.de",
                    "unknown e-mail address? \"info@nordlicht-wohnen.de\" is neither in the \
                     guideline nor an allowed contact"
                ),
                (
                    FindingKind::UnknownContact,
                    "moebel-discount.example.com/sale",
                    "unknown web address? \"www.moebel-discount.example.com/sale\" is neither \
                     in the guideline nor an allowed contact"
                ),
            ]
        );
        assert_eq!(
            findings[0].suggestion.as_deref(),
            Some(
                "write \"service@nordlicht-wohnen.de\" (service-email) from the guideline, or add \
                 \"info@nordlicht-wohnen.de\" to allowed_contacts"
            )
        );
    }

    #[test]
    fn without_a_fact_of_its_kind_the_fix_is_to_allow_or_remove() {
        let g = Guideline {
            allowed_contacts: vec!["+49 40 987654".into()],
            ..guideline()
        };
        let checker = Checker::new(&g, today()).expect("builds");
        let findings = checker.check(&[content("a", "w", "Mehr unter presse@example.de.")]);
        assert_eq!(
            findings[0].suggestion.as_deref(),
            Some("remove \"presse@example.de\", or add it to allowed_contacts")
        );
    }

    #[test]
    fn a_guideline_that_names_no_contact_leaves_contacts_unchecked() {
        let text = "Rückgabe binnen 30 Tagen, Fragen an 040 555 666 oder info@example.de.";
        let mut g = guideline();
        assert_eq!(unknown(&g, text), []);
        g.allowed_contacts = vec!["www.example.de".into()];
        let found: Vec<String> = unknown(&g, text)
            .into_iter()
            .map(|(rule, _, _)| rule)
            .collect();
        assert_eq!(found, ["+49 40555666", "info@example.de"]);
    }

    #[test]
    fn a_contradiction_of_the_hotline_is_not_reported_again_as_unknown() {
        let g = contacts_guideline(&[]);
        let checker = Checker::new(&g, today()).expect("builds");
        let findings = checker.check(&[content(
            "a",
            "website",
            "Unsere Hotline 040 999 999 ist für Sie da. Per E-Mail: info@example.de.",
        )]);
        let kinds: Vec<(FindingKind, &str)> =
            findings.iter().map(|f| (f.kind, f.rule.as_str())).collect();
        assert_eq!(
            kinds,
            [
                (FindingKind::ContradictsGuideline, "hotline"),
                (FindingKind::ContradictsGuideline, "service-email"),
            ]
        );
    }

    #[test]
    fn an_unknown_contact_is_one_finding_with_its_first_place_in_each_text() {
        let g = contacts_guideline(&[]);
        let checker = Checker::new(&g, today()).expect("builds");
        let findings = checker.check(&[
            content("a", "website", "Ruf 040 555 666 an.\nNochmal: 040 555 666."),
            content("b", "newsletter", "Oder +49 40 555666 wählen."),
        ]);
        assert_eq!(findings.len(), 1, "{findings:?}");
        let places: Vec<(&str, usize, Option<&str>)> = findings[0]
            .places
            .iter()
            .map(|p| (p.source.as_str(), p.line, p.written.as_deref()))
            .collect();
        assert_eq!(
            places,
            [
                ("a", 1, Some("040 555 666")),
                ("b", 1, Some("+49 40 555666"))
            ]
        );
    }

    proptest::proptest! {
        /// A number in any of the ways people write it is known when the guideline allows it
        /// in another way, and otherwise reported once, by its digits.
        #[test]
        fn a_number_is_known_or_unknown_whatever_its_spelling(
            area in 2u32..9999,
            subscriber in 10_000u32..99_999_999,
            form in 0usize..5,
            allow_form in 0usize..5,
            allowed in proptest::bool::ANY,
        ) {
            let spell = |form: usize| {
                let sub = subscriber.to_string();
                let (head, tail) = sub.split_at(sub.len() / 2);
                match form {
                    0 => format!("0{area} {sub}"),
                    1 => format!("+49 {area} {sub}"),
                    2 => format!("0{area} / {head} {tail}"),
                    3 => format!("+49 (0){area} {head}-{tail}"),
                    _ => format!("(0{area}) {head} {tail}"),
                }
            };
            let g = contacts_guideline(&[]);
            let g = Guideline {
                allowed_contacts: if allowed { vec![spell(allow_form)] } else { vec![] },
                ..g
            };
            let text = format!("Rufen Sie uns an unter {} – wir freuen uns.", spell(form));
            let found = unknown(&g, &text);
            // The hotline's own digits ("+49 40 123456") are known however they are split.
            if allowed || format!("{area}{subscriber}") == "40123456" {
                proptest::prop_assert_eq!(found, vec![]);
            } else {
                proptest::prop_assert_eq!(found.len(), 1);
                proptest::prop_assert_eq!(&found[0].0, &format!("+49 {area}{subscriber}"));
                proptest::prop_assert_eq!(&found[0].1, &spell(form));
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn an_excerpt_is_the_sentence_on_one_line_cut_to_its_length(
            sentence in "[a-zäö \n\t]{0,400}",
        ) {
            // The definition, written plainly.
            let flat = sentence.split_whitespace().collect::<Vec<_>>().join(" ");
            let expected = if flat.chars().count() <= EXCERPT_MAX {
                flat
            } else {
                format!("{}…", flat.chars().take(EXCERPT_MAX - 1).collect::<String>())
            };
            proptest::prop_assert_eq!(excerpt_of(&sentence), expected);
        }

        /// The search eight bytes at a time finds the sentences' ends one byte at a time
        /// would: stops before white space, line breaks, not the dots of dates.
        #[test]
        fn sentence_ends_are_where_a_byte_by_byte_search_finds_them(
            text in "[a1ä. !?\n\t]{0,90}",
            from in 0..100usize,
            to in 0..100usize,
        ) {
            let sentences = Sentences::new(&text);
            let len = text.len();
            let (from, to) = (from.min(to).min(len), from.max(to).min(len));
            let ends = |range: std::ops::Range<usize>| range.filter(|&i| sentences.ends_at(i));
            proptest::prop_assert_eq!(
                sentences.next_end(from),
                ends(from..len).next().unwrap_or(len)
            );
            proptest::prop_assert_eq!(sentences.last_end(from, to), ends(from..to).next_back());
        }
    }

    #[test]
    fn a_long_line_without_sentences_stays_linear_and_finds_near_values() {
        let g = guideline();
        let checker = Checker::new(&g, today()).expect("builds");
        let mut text = "wort ".repeat(100_000);
        text.push_str("Rückgabe 30 Tage ");
        text.push_str(&"wort ".repeat(100_000));
        let (mentions, _) = checker.scan(&content("big", "w", &text));
        assert_eq!(mentions.len(), 1);
        let excerpt = mentions[0].excerpt(&text);
        assert!(excerpt.contains("Rückgabe 30 Tage") && excerpt.chars().count() <= 160);
    }
}
