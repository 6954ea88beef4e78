//! Typed values in text: durations, prices, phone numbers, e-mail addresses, URLs, opening
//! hours, dates and percentages, found in German and English marketing and service text and
//! normalised, so that what different channels say about the same fact can be compared.
//!
//! Every finder is one or a few regular expressions, compiled once, plus small checks on the
//! text right next to a match (is the number part of a range, of a date, of a longer number…).
//! The `regex` crate matches with finite automata, never by backtracking, so finding is linear
//! in the text for practical purposes; the neighbour checks only look at a few characters.
//!
//! Deliberate choices:
//! - A range ("2–3 Werktage", "10–20 %", "5–10 €") is not one value, so neither end is reported.
//! - A rate ("24 Stunden am Tag", "7 days a week") is not a duration.
//! - Signs are ignored: "-20 %" on an offer is a discount of 20 %.
//! - Bare numbers ("8–18") are opening hours only with a sign of time ("Uhr", "h", am/pm,
//!   "8:00") or after a weekday or similar word ("Mo–Fr 8–18", "täglich 9–17").
//! - A month is 30 days, but whole years of months are years: "12 Monate" = "1 Jahr" = 8760 hours.
//! - National phone numbers are German; slashed dates ("03/04/2026") are read day first unless
//!   only the month-first reading is valid.

use std::collections::HashMap;
use std::fmt;
use std::sync::LazyLock;

use jiff::civil::Date;
use regex::{Captures, Match, Regex};
use serde::{Deserialize, Serialize};

/// The kinds of value the consistency checker compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ValueKind {
    Duration,
    Price,
    Phone,
    Email,
    Url,
    Hours,
    Date,
    Percentage,
}

impl ValueKind {
    pub const ALL: [ValueKind; 8] = [
        ValueKind::Duration,
        ValueKind::Price,
        ValueKind::Phone,
        ValueKind::Email,
        ValueKind::Url,
        ValueKind::Hours,
        ValueKind::Date,
        ValueKind::Percentage,
    ];

    /// The snake-case name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ValueKind::Duration => "duration",
            ValueKind::Price => "price",
            ValueKind::Phone => "phone",
            ValueKind::Email => "email",
            ValueKind::Url => "url",
            ValueKind::Hours => "hours",
            ValueKind::Date => "date",
            ValueKind::Percentage => "percentage",
        }
    }

    /// The kind named by [`ValueKind::as_str`] (ASCII case and surrounding white space ignored).
    pub fn parse(s: &str) -> Option<ValueKind> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s))
    }
}

/// A normalised value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub enum Value {
    /// Normalised to hours: "14 Tage" = 336, "2 Wochen" = 336, "24 Stunden" = 24,
    /// "1 Monat" = 720 (30 days), "1 Jahr" = 8760.
    Duration {
        hours: u32,
    },
    /// Amount in cents and ISO currency ("EUR" default for €/Euro).
    Price {
        cents: i64,
        currency: String,
    },
    /// Digits of the number in international form without "+": "0800 123 45 67" →
    /// "498001234567", "+49 (0)40 123456" → "4940123456", "040/123456" → "4940123456".
    /// National numbers are German (country code 49).
    Phone {
        digits: String,
    },
    /// Lower-cased.
    Email {
        address: String,
    },
    /// Lower-cased host, no scheme, no trailing slash, no "www.":
    /// "https://www.Nordlicht.de/faq/" → "nordlicht.de/faq".
    Url {
        url: String,
    },
    /// Opening hours as minutes since midnight.
    Hours {
        open: u16,
        close: u16,
    },
    Date {
        date: Date,
    },
    /// Basis points: "15 %" = 1500, "2,5%" = 250.
    Percentage {
        basis_points: i64,
    },
}

impl Value {
    pub fn kind(&self) -> ValueKind {
        match self {
            Value::Duration { .. } => ValueKind::Duration,
            Value::Price { .. } => ValueKind::Price,
            Value::Phone { .. } => ValueKind::Phone,
            Value::Email { .. } => ValueKind::Email,
            Value::Url { .. } => ValueKind::Url,
            Value::Hours { .. } => ValueKind::Hours,
            Value::Date { .. } => ValueKind::Date,
            Value::Percentage { .. } => ValueKind::Percentage,
        }
    }
}

/// Readable canonical German-style form, which [`parse_value`] reads back.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Duration { hours } => match (hours.is_multiple_of(24), hours / 24, hours) {
                (true, 1, _) => f.write_str("1 Tag"),
                (true, days, _) => write!(f, "{days} Tage"),
                (false, _, 1) => f.write_str("1 Stunde"),
                (false, _, hours) => write!(f, "{hours} Stunden"),
            },
            Value::Price { cents, currency } => write!(f, "{} {currency}", format_cents(*cents)),
            Value::Phone { digits } => match digits.strip_prefix("49") {
                Some(rest) if !rest.is_empty() => write!(f, "+49 {rest}"),
                _ => write!(f, "+{digits}"),
            },
            Value::Email { address } => f.write_str(address),
            Value::Url { url } => f.write_str(url),
            Value::Hours { open, close } => write!(
                f,
                "{:02}:{:02}–{:02}:{:02}",
                open / 60,
                open % 60,
                close / 60,
                close % 60
            ),
            Value::Date { date } => {
                write!(
                    f,
                    "{:02}.{:02}.{:04}",
                    date.day(),
                    date.month(),
                    date.year()
                )
            }
            Value::Percentage { basis_points } => {
                let sign = if *basis_points < 0 { "-" } else { "" };
                let abs = basis_points.unsigned_abs();
                let (whole, frac) = (abs / 100, abs % 100);
                match frac {
                    0 => write!(f, "{sign}{whole} %"),
                    _ if frac.is_multiple_of(10) => write!(f, "{sign}{whole},{} %", frac / 10),
                    _ => write!(f, "{sign}{whole},{frac:02} %"),
                }
            }
        }
    }
}

/// "129900" → "1.299,00".
fn format_cents(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let whole = (abs / 100).to_string();
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped},{:02}", abs % 100)
}

/// A value found in text: byte range in the text and the normalised value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub value: Value,
}

/// Every value of this kind in the text, in order, not overlapping. Linear in the text: regexes
/// compiled once, no backtracking blow-ups.
pub fn find_values(kind: ValueKind, text: &str) -> Vec<Found> {
    let found = match kind {
        ValueKind::Duration => find_durations(text),
        ValueKind::Price => find_prices(text),
        ValueKind::Phone => find_phones(text),
        ValueKind::Email => find_emails(text),
        ValueKind::Url => find_urls(text),
        ValueKind::Hours => find_hours(text),
        ValueKind::Date => find_dates(text),
        ValueKind::Percentage => find_percentages(text),
    };
    in_order_without_overlaps(found)
}

/// Parses a canonical value as written in a guideline ("30 Tage", "0800 123 4567"); the whole
/// string must be one value (surrounding white space allowed). URLs may also be written without
/// scheme and "www." ("nordlicht.de/faq"), as [`Value`]'s `Display` writes them.
pub fn parse_value(kind: ValueKind, text: &str) -> Option<Value> {
    let text = text.trim();
    if kind == ValueKind::Url {
        if text.is_empty() || text.chars().any(char::is_whitespace) {
            return None;
        }
        return normalize_url(text).map(|url| Value::Url { url });
    }
    match find_values(kind, text).as_slice() {
        [found] if found.start == 0 && found.end == text.len() => Some(found.value.clone()),
        _ => None,
    }
}

fn in_order_without_overlaps(mut found: Vec<Found>) -> Vec<Found> {
    found.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut out: Vec<Found> = Vec::with_capacity(found.len());
    for f in found {
        if f.start < f.end && out.last().is_none_or(|last| f.start >= last.end) {
            out.push(f);
        }
    }
    out
}

/// Compiles one of this module's regular expressions, once, inside a `LazyLock`. The patterns
/// are literals or are assembled only from this file's literal word lists, so a failure is a
/// bug in this file that every test run shows at once; it never depends on input.
fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("valid regex")
}

/// Like [`re`] with ASCII word boundaries: with Unicode ones the fast lazy DFA gives up on
/// non-ASCII text, which made the patterns with the long number-word lists slow on German text.
/// The finders check for letters around the match themselves ("2 tagsüber" is no duration).
fn re_ascii_boundaries(pattern: &str) -> Regex {
    re(&pattern.replace(r"\b", r"(?-u:\b)"))
}

/// The matches of `exact`, a pattern with Unicode word boundaries, found with `quick`, the same
/// pattern with ASCII ones ([`re_ascii_boundaries`]). In the patterns given here every `\b`
/// has an ASCII letter or digit of the pattern on one side, and there an ASCII boundary holds
/// wherever a Unicode one does: `quick` matches at or before every match of `exact`, so `exact`
/// is asked only from there on. Its lazy DFA gives up at the first byte beyond ASCII ("€",
/// "–", "ä") and leaves the search to a slower engine, which then starts at the match
/// instead of at the start of the text.
fn matches_via<'t>(
    quick: &'static Regex,
    exact: &'static Regex,
    text: &'t str,
) -> impl Iterator<Item = Match<'t>> + 't {
    let mut at = 0;
    std::iter::from_fn(move || {
        let from = quick.find_at(text, at)?.start();
        let found = exact.find_at(text, from)?;
        // Neither pattern matches the empty string.
        at = found.end().max(found.start() + 1);
        Some(found)
    })
}

// ---------------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------------

/// A non-negative decimal number: `units / 10^scale`.
#[derive(Debug, Clone, Copy)]
struct Decimal {
    units: u64,
    scale: u32,
}

impl Decimal {
    fn whole(units: u64) -> Decimal {
        Decimal { units, scale: 0 }
    }

    /// `self × factor × 10^shift` when that is a whole number that fits.
    fn scaled(self, factor: u64, shift: u32) -> Option<u64> {
        let num = u128::from(self.units)
            .checked_mul(u128::from(factor))?
            .checked_mul(10u128.checked_pow(shift)?)?;
        let den = 10u128.checked_pow(self.scale)?;
        if num % den != 0 {
            return None;
        }
        u64::try_from(num / den).ok()
    }
}

fn is_number_separator(c: char) -> bool {
    matches!(c, '.' | ',' | '\'' | '’')
}

/// Reads "9,99", "9.99", "1.299,00", "1,299.00", "1'299", "1.299". With both '.' and ',' the
/// last one is the decimal mark; one kind used several times groups thousands; a single '.' or
/// ',' before exactly three digits groups thousands when `three_digit_groups` (prices,
/// durations) and is a decimal mark otherwise (percentages).
fn parse_number(s: &str, three_digit_groups: bool) -> Option<Decimal> {
    if s.is_empty()
        || !s
            .chars()
            .all(|c| c.is_ascii_digit() || is_number_separator(c))
    {
        return None;
    }
    let separators: Vec<(usize, char)> = s
        .char_indices()
        .filter(|&(_, c)| is_number_separator(c))
        .collect();
    let decimal_at = match separators.last() {
        None => None,
        Some(&(_, '\'' | '’')) => None,
        Some(&(at, last)) => {
            let same = separators.iter().filter(|&&(_, c)| c == last).count();
            let mixed = same != separators.len();
            if mixed && same > 1 {
                return None;
            }
            let grouping =
                same > 1 || (three_digit_groups && s.len() - at - 1 == 3 && &s[..at] != "0");
            if !mixed && grouping { None } else { Some(at) }
        }
    };
    // The decimal mark is '.' or ',', one byte.
    let (whole, frac) = match decimal_at {
        Some(at) => (&s[..at], &s[at + 1..]),
        None => (s, ""),
    };
    if decimal_at.is_some() && (frac.is_empty() || !frac.chars().all(|c| c.is_ascii_digit())) {
        return None;
    }
    let groups: Vec<&str> = whole.split(is_number_separator).collect();
    if groups.iter().any(|g| g.is_empty())
        || (groups.len() > 1 && (groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3)))
    {
        return None;
    }
    let mut digits = groups.concat();
    digits.push_str(frac);
    if digits.len() > 18 {
        return None;
    }
    let mut number = Decimal {
        units: digits.parse().ok()?,
        scale: u32::try_from(frac.len()).ok()?,
    };
    while number.scale > 0 && number.units.is_multiple_of(10) {
        number.units /= 10;
        number.scale -= 1;
    }
    Some(number)
}

/// Number words 2–99 and 100, German (also in ASCII: "fuenf", "dreissig") and English.
/// "ein", "eine", "a", "an" are articles, handled apart.
static NUMBER_WORDS: LazyLock<HashMap<String, u64>> = LazyLock::new(|| {
    const DE: [&str; 3] = [
        "ein zwei drei vier fünf sechs sieben acht neun",
        "zehn elf zwölf dreizehn vierzehn fünfzehn sechzehn siebzehn achtzehn neunzehn",
        "zwanzig dreißig vierzig fünfzig sechzig siebzig achtzig neunzig",
    ];
    const EN: [&str; 3] = [
        "one two three four five six seven eight nine",
        "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen",
        "twenty thirty forty fifty sixty seventy eighty ninety",
    ];
    let mut words: HashMap<String, u64> = HashMap::new();
    for ([ones, teens, tens], german) in [(DE, true), (EN, false)] {
        let ones: Vec<&str> = ones.split_whitespace().collect();
        // German 1 before a noun is an article ("ein Tag"), not "eins".
        for (n, one) in (1..).zip(&ones).skip(usize::from(german)) {
            words.insert((*one).to_owned(), n);
        }
        for (n, teen) in (10..).zip(teens.split_whitespace()) {
            words.insert(teen.to_owned(), n);
        }
        for (t, ten) in (2..).map(|t: u64| t * 10).zip(tens.split_whitespace()) {
            words.insert(ten.to_owned(), t);
            for (o, one) in (1..).zip(&ones) {
                if german {
                    words.insert(format!("{one}und{ten}"), t + o);
                } else {
                    words.insert(format!("{ten}-{one}"), t + o);
                    words.insert(format!("{ten} {one}"), t + o);
                }
            }
        }
    }
    for word in ["hundert", "einhundert", "hundred", "one hundred"] {
        words.insert(word.to_owned(), 100);
    }
    let ascii: Vec<(String, u64)> = words
        .iter()
        .filter(|(w, _)| w.contains(['ä', 'ö', 'ü', 'ß']))
        .map(|(w, &n)| {
            let w = w.replace('ä', "ae").replace('ö', "oe").replace('ü', "ue");
            (w.replace('ß', "ss"), n)
        })
        .collect();
    words.extend(ascii);
    words
});

/// The number words as a regex alternation, longest first ("vierzehn" before "vier").
static NUMBER_WORDS_PATTERN: LazyLock<String> = LazyLock::new(|| {
    let mut words: Vec<&String> = NUMBER_WORDS.keys().collect();
    words.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    let escaped: Vec<String> = words
        .iter()
        .map(|w| regex::escape(w).replace(' ', r"\s{1,3}"))
        .collect();
    escaped.join("|")
});

fn number_word_value(word: &str) -> Option<u64> {
    if word.len() > 40 {
        return None;
    }
    let key = word.split_whitespace().collect::<Vec<_>>().join(" ");
    NUMBER_WORDS.get(&key.to_lowercase()).copied()
}

const ARTICLES: [&str; 8] = ["ein", "eine", "einen", "einem", "einer", "eines", "a", "an"];

// ---------------------------------------------------------------------------------------------
// Looking at the neighbours of a match
// ---------------------------------------------------------------------------------------------

const SPACES: [char; 4] = [' ', '\t', '\u{a0}', '\u{202f}'];
const DASHES: [char; 3] = ['-', '–', '—'];

fn prev_char(text: &str, at: usize) -> Option<char> {
    text.get(..at)?.chars().next_back()
}

fn next_char(text: &str, at: usize) -> Option<char> {
    text.get(at..)?.chars().next()
}

/// A letter touches the match: a word around it goes on ("2 tagsüber", "15 Prozentpunkte").
fn letters_around(text: &str, m: Match) -> bool {
    let touches = |inside: Option<char>, outside: Option<char>| {
        inside.is_some_and(char::is_alphabetic) && outside.is_some_and(char::is_alphabetic)
    };
    touches(m.as_str().chars().next(), prev_char(text, m.start()))
        || touches(m.as_str().chars().next_back(), next_char(text, m.end()))
}

/// The number starting at `start` continues something before it: "x14", "1.14", "3/4", "1:30".
fn glued_before(text: &str, start: usize) -> bool {
    let mut before = text[..start].chars().rev();
    match before.next() {
        Some(c) if c.is_alphanumeric() => true,
        Some('.' | ',' | '/' | ':') => before.next().is_some_and(|c| c.is_ascii_digit()),
        _ => false,
    }
}

/// The number ending at `end` goes on after it: "5" + "0", ".5", "/7", ":30".
fn glued_after(text: &str, end: usize) -> bool {
    let mut after = text[end..].chars();
    match after.next() {
        Some(c) if c.is_ascii_digit() => true,
        Some('.' | ',' | '/' | ':') => after.next().is_some_and(|c| c.is_ascii_digit()),
        _ => false,
    }
}

/// A match that starts with a digit, split where a pattern of the form `number separator rest`
/// splits it: where the number starts, the number (digits, with `.` or `,` before further
/// digits), and the rest after white space or a hyphen. Asking the regex for its groups instead
/// runs its backtracker over all the pattern's states (those of every number word too), which
/// costs more than finding the match did.
fn number_first(whole: Match<'_>) -> Option<(usize, &str, &str)> {
    let s = whole.as_str();
    let bytes = s.as_bytes();
    if !bytes.first()?.is_ascii_digit() {
        return None;
    }
    let mut end = 0;
    while let Some(&b) = bytes.get(end) {
        if b.is_ascii_digit() {
            end += 1;
        } else if matches!(b, b'.' | b',') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit) {
            end += 2;
        } else {
            break;
        }
    }
    let rest = s[end..].trim_start_matches(|c: char| c.is_whitespace() || c == '-');
    Some((whole.start(), &s[..end], rest))
}

/// `s` without the whole word `word` (ASCII, any case) at its end.
fn strip_word_suffix<'a>(s: &'a str, word: &str) -> Option<&'a str> {
    let cut = s.len().checked_sub(word.len())?;
    let tail = s.get(cut..)?;
    if !tail.eq_ignore_ascii_case(word) {
        return None;
    }
    let rest = &s[..cut];
    (!rest.chars().next_back().is_some_and(char::is_alphanumeric)).then_some(rest)
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// Longer words are no number, unit or weekday; looking no further keeps the checks cheap.
const MAX_WORD: usize = 40;

/// The trailing run of letters of `s`, lower-cased (empty when there is none or it is long).
fn last_word(s: &str) -> String {
    let letters: Vec<(usize, char)> = s
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c.is_alphabetic())
        .take(MAX_WORD + 1)
        .collect();
    match letters.last() {
        Some(&(start, _)) if letters.len() <= MAX_WORD => s[start..].to_lowercase(),
        _ => String::new(),
    }
}

/// The leading run of letters of `s`, lower-cased, and the rest.
fn first_word(s: &str) -> (String, &str) {
    match s
        .char_indices()
        .take(MAX_WORD + 1)
        .find(|&(_, c)| !c.is_alphabetic())
    {
        Some((end, _)) => (s[..end].to_lowercase(), &s[end..]),
        None if s.chars().nth(MAX_WORD).is_none() => (s.to_lowercase(), ""),
        None => (String::new(), s),
    }
}

/// The word right before `at`, skipping white space and the punctuation in `skip`.
fn prev_word(text: &str, at: usize, skip: &[char]) -> String {
    last_word(text[..at].trim_end_matches(|c: char| c.is_whitespace() || skip.contains(&c)))
}

/// `s` ends with a number, a number word or an article, maybe followed by "h" or "Uhr".
fn ends_with_number(s: &str) -> bool {
    let mut s = s.trim_end();
    if let Some(rest) = strip_word_suffix(s, "uhr") {
        s = rest.trim_end();
    } else if let Some(rest) = s.strip_suffix(['h', 'H'])
        && rest.trim_end().ends_with(|c: char| c.is_ascii_digit())
    {
        s = rest.trim_end();
    }
    match s.chars().next_back() {
        Some(c) if c.is_ascii_digit() => true,
        Some(c) if c.is_alphabetic() => {
            let word = last_word(s);
            number_word_value(&word).is_some() || ARTICLES.contains(&word.as_str())
        }
        _ => false,
    }
}

/// The value starting at `start` is the second end of a range: "2–3 Werktage", "zwei bis drei
/// Wochen", "8h-18h", "10 to 20 %". ("oder" is no range: "9,99 € oder 12,99 €".)
fn preceded_by_range(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end();
    let rest = match before.strip_suffix(DASHES) {
        Some(rest) => rest,
        None => match ["bis", "to"]
            .iter()
            .find_map(|w| strip_word_suffix(before, w))
        {
            Some(rest) => rest,
            None => return false,
        },
    };
    ends_with_number(rest)
}

/// The value ending at `end` is the first end of a range: "8h-18h", "10 € – 20 €".
fn followed_by_range(text: &str, end: usize) -> bool {
    let after = text[end..].trim_start();
    after
        .strip_prefix(DASHES)
        .is_some_and(|rest| rest.trim_start().starts_with(|c: char| c.is_ascii_digit()))
}

fn starts_with_time_unit(s: &str) -> bool {
    let (word, _) = first_word(s);
    [
        "tag", "day", "woche", "week", "monat", "month", "jahr", "year", "stunde", "hour",
    ]
    .iter()
    .any(|unit| word.starts_with(unit))
}

/// After a duration: "am Tag", "die Woche", "a week", "pro Monat", "/Tag", "täglich".
fn followed_by_rate(text: &str, end: usize) -> bool {
    let after = text[end..].trim_start();
    if let Some(rest) = after.strip_prefix('/') {
        return starts_with_time_unit(rest.trim_start());
    }
    let (word, rest) = first_word(after);
    match word.as_str() {
        "täglich" | "taeglich" | "daily" | "wöchentlich" | "woechentlich" | "weekly"
        | "monatlich" | "monthly" | "jährlich" | "jaehrlich" | "yearly" | "annually" => true,
        "a" | "an" | "per" | "pro" | "je" | "am" | "die" | "im" | "each" | "every" | "jeden"
        | "jede" => starts_with_time_unit(rest.trim_start()),
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Durations
// ---------------------------------------------------------------------------------------------

const DAY_PREFIXES: &str =
    "werk|arbeits|geschäfts|geschaefts|kalender|bankarbeits|bank|liefer|wochen";

/// The units a number or number word takes, German and English, as one alternation.
static DURATION_UNITS: LazyLock<String> = LazyLock::new(|| {
    let de = format!(
        "(?:{DAY_PREFIXES})?(?:tag(?:e|en|es|s)?|tägig(?:e[mnrs]?)?)|woche(?:n)?|wöchig(?:e[mnrs]?)?\
         |monat(?:e|en|s)?|monatig(?:e[mnrs]?)?|jahr(?:e|en|es|s)?|jährig(?:e[mnrs]?)?\
         |stunde(?:n)?|stündig(?:e[mnrs]?)?"
    );
    let en =
        "(?:(?:business|working|calendar|banking|week)[ -]?)?days?|weeks?|months?|years?|hours?";
    format!("{de}|{en}")
});

static DURATION_RE: LazyLock<Regex> = LazyLock::new(|| {
    let units = DURATION_UNITS.as_str();
    let abbreviations = "std|hrs?|yrs?|h";
    let de_singular =
        format!("(?:{DAY_PREFIXES})?tag(?:es|s)?|woche|monat(?:s)?|jahr(?:es|s)?|stunde");
    let en_singular = "(?:(?:business|working|calendar|banking)[ -]?)?day|week|month|year|hour";
    let words = NUMBER_WORDS_PATTERN.as_str();
    re_ascii_boundaries(&format!(
        r"(?i)\b(?P<num>[0-9]+(?:[.,][0-9]+)*)(?:\s{{0,3}}|-)(?P<unit>{units}|{abbreviations})\b|\b(?P<word>{words})(?:\s{{1,3}}|-)?(?P<wunit>{units})\b|\b(?P<gart>eine[mnrs]?|ein)\s{{1,3}}(?P<gunit>{de_singular})\b|\b(?P<eart>an?)\s{{1,3}}(?P<eunit>{en_singular})\b"
    ))
});

/// The whole text is a unit that follows a number word.
static DURATION_UNIT_RE: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"(?i)\A(?:{})\z", DURATION_UNITS.as_str())));

fn find_durations(text: &str) -> Vec<Found> {
    DURATION_RE
        .find_iter(text)
        .filter_map(|whole| {
            let hours = duration_hours(text, whole)?;
            Some(Found {
                start: whole.start(),
                end: whole.end(),
                value: Value::Duration { hours },
            })
        })
        .collect()
}

/// A duration's match as [`DURATION_RE`]'s groups split it.
#[derive(Debug, PartialEq)]
enum DurationParts<'t> {
    /// "30 Tage", "2-wöchig": a number, where it starts, and its unit.
    Number {
        at: usize,
        number: &'t str,
        unit: &'t str,
    },
    /// "drei Wochen".
    Word { word: &'t str, unit: &'t str },
    /// "eines Tages", "ein Monat".
    German { article: &'t str, unit: &'t str },
    /// "a week".
    English { unit: &'t str },
}

fn duration_parts<'t>(text: &'t str, whole: Match<'t>) -> Option<DurationParts<'t>> {
    if let Some((at, number, unit)) = number_first(whole) {
        return Some(DurationParts::Number { at, number, unit });
    }
    word_first_duration(whole).or_else(|| {
        let caps = DURATION_RE.captures_at(text, whole.start())?;
        duration_parts_by_groups(&caps)
    })
}

/// The parts as the pattern's own groups give them: for what the hand splits leave, and to
/// check them against.
fn duration_parts_by_groups<'t>(caps: &Captures<'t>) -> Option<DurationParts<'t>> {
    let group = |name: &str| caps.name(name).map(|m| m.as_str());
    if let (Some(number), Some(unit)) = (caps.name("num"), group("unit")) {
        Some(DurationParts::Number {
            at: number.start(),
            number: number.as_str(),
            unit,
        })
    } else if let (Some(word), Some(unit)) = (group("word"), group("wunit")) {
        Some(DurationParts::Word { word, unit })
    } else if let (Some(article), Some(unit)) = (group("gart"), group("gunit")) {
        Some(DurationParts::German { article, unit })
    } else {
        Some(DurationParts::English {
            unit: group("eunit")?,
        })
    }
}

/// A duration's match that starts with a word, split by hand like [`number_first`]: a number
/// word or an article, white space (or a hyphen after a number word), and the unit. Anything
/// else ("twenty one days", "dreitägig", letters the pattern folds but `to_lowercase` does
/// not) is left to the pattern's groups.
fn word_first_duration(whole: Match<'_>) -> Option<DurationParts<'_>> {
    let s = whole.as_str();
    let first_end = s.find(|c: char| !c.is_alphabetic())?;
    let (first, rest) = s.split_at(first_end);
    let (unit, hyphen) = match rest.strip_prefix('-') {
        Some(unit) => (unit, true),
        None => (rest.trim_start(), false),
    };
    if unit.is_empty() || unit.len() == rest.len() {
        return None;
    }
    let lower = first.to_lowercase();
    if number_word_value(&lower).is_some() {
        // Not "twenty-onedays" or "one hundredTage": the number word goes on.
        return DURATION_UNIT_RE
            .is_match(unit)
            .then_some(DurationParts::Word { word: first, unit });
    }
    if hyphen || !unit.chars().all(char::is_alphabetic) {
        return None;
    }
    match lower.as_str() {
        "a" | "an" => Some(DurationParts::English { unit }),
        article if ARTICLES.contains(&article) => Some(DurationParts::German {
            article: first,
            unit,
        }),
        _ => None,
    }
}

fn duration_hours(text: &str, whole: Match) -> Option<u32> {
    if letters_around(text, whole) {
        return None;
    }
    let (amount, unit) = match duration_parts(text, whole)? {
        DurationParts::Number { at, number, unit } => {
            if glued_before(text, at) {
                return None;
            }
            (parse_number(number, true)?, unit)
        }
        DurationParts::Word { word, unit } => (Decimal::whole(number_word_value(word)?), unit),
        DurationParts::German { article, unit } => {
            // "eines Tages" is "one day, some day", unless "innerhalb/binnen eines Tages".
            if article.eq_ignore_ascii_case("eines")
                && unit.to_lowercase().starts_with("tag")
                && !matches!(
                    prev_word(text, whole.start(), &[]).as_str(),
                    "innerhalb" | "binnen"
                )
            {
                return None;
            }
            (Decimal::whole(1), unit)
        }
        DurationParts::English { unit } => {
            // "once a week" and "24 hours a day" are frequencies.
            let before = prev_word(text, whole.start(), &[]);
            if matches!(before.as_str(), "once" | "twice" | "thrice" | "times")
                || starts_with_time_unit(&before)
            {
                return None;
            }
            (Decimal::whole(1), unit)
        }
    };
    if preceded_by_range(text, whole.start())
        || followed_by_range(text, whole.end())
        || followed_by_rate(text, whole.end())
    {
        return None;
    }
    duration_to_hours(amount, unit)
}

fn duration_to_hours(amount: Decimal, unit: &str) -> Option<u32> {
    let unit = unit.to_lowercase();
    let has = |stems: &[&str]| stems.iter().any(|s| unit.contains(s));
    let factor = if has(&["tag", "täg", "day"]) {
        24
    } else if has(&["woch", "wöch", "week"]) {
        168
    } else if has(&["mon"]) {
        // Whole years of months are years, so that "12 Monate" = "1 Jahr".
        if amount.scale == 0 && amount.units.is_multiple_of(12) {
            return u32::try_from((amount.units / 12).checked_mul(8760)?).ok();
        }
        720
    } else if has(&["jahr", "jähr", "year", "yr"]) {
        8760
    } else {
        1
    };
    u32::try_from(amount.scaled(factor, 0)?).ok()
}

// ---------------------------------------------------------------------------------------------
// Prices
// ---------------------------------------------------------------------------------------------

static PRICE_RE: LazyLock<Regex> = LazyLock::new(|| re(&price_pattern()));
static PRICE_QUICK_RE: LazyLock<Regex> = LazyLock::new(|| re_ascii_boundaries(&price_pattern()));

fn price_pattern() -> String {
    let amount = r"[0-9]+(?:[.,'’][0-9]+)*(?:[.,](?:--?|–|—))?";
    format!(
        r"(?i)(?P<cb>€|US\$|\$|£|\beur\b|\b(?-i:USD|GBP|CHF)\b)\s{{0,3}}(?P<a1>{amount})|\b(?P<a2>{amount})\s{{0,3}}(?P<ca>€|\$|£|eur\b|euros?\b|(?-i:USD|GBP|CHF)\b|dollars?\b|franken\b|cents?\b|ct\b)"
    )
}

fn find_prices(text: &str) -> Vec<Found> {
    matches_via(&PRICE_QUICK_RE, &PRICE_RE, text)
        .filter_map(|whole| {
            let (cents, currency) = price(text, whole)?;
            Some(Found {
                start: whole.start(),
                end: whole.end(),
                value: Value::Price {
                    cents,
                    currency: currency.to_owned(),
                },
            })
        })
        .collect()
}

/// A price's match split as [`PRICE_RE`]'s groups split it, by hand (see [`number_first`]):
/// the amount, where it starts, and the currency, which stands before or after it.
#[derive(Debug, PartialEq)]
struct PriceParts<'t> {
    at: usize,
    amount: &'t str,
    currency: &'t str,
    currency_first: bool,
}

fn price_parts(whole: Match<'_>) -> Option<PriceParts<'_>> {
    let s = whole.as_str();
    let digit = s.find(|c: char| c.is_ascii_digit())?;
    if digit > 0 {
        // "€ 19,99", "US$19.99": the amount runs to the end of the match.
        return Some(PriceParts {
            at: whole.start() + digit,
            amount: &s[digit..],
            currency: s[..digit].trim_end(),
            currency_first: true,
        });
    }
    // "19,99 €", "1.299,- EUR": digits with marks, maybe a dash after the last mark.
    let bytes = s.as_bytes();
    let mut end = 0;
    while let Some(&b) = bytes.get(end) {
        if b.is_ascii_digit() {
            end += 1;
            continue;
        }
        let mark = s[end..].chars().next()?;
        let after = end + mark.len_utf8();
        if matches!(mark, '.' | ',' | '\'' | '’')
            && bytes.get(after).is_some_and(u8::is_ascii_digit)
        {
            end = after;
        } else {
            break;
        }
    }
    if s[end..].starts_with(['.', ',']) {
        let after = &s[end + 1..];
        if let Some(rest) = after
            .strip_prefix("--")
            .or_else(|| after.strip_prefix(DASHES))
        {
            end = s.len() - rest.len();
        }
    }
    Some(PriceParts {
        at: whole.start(),
        amount: &s[..end],
        currency: s[end..].trim_start(),
        currency_first: false,
    })
}

fn price(text: &str, whole: Match) -> Option<(i64, &'static str)> {
    let parts = price_parts(whole)?;
    let amount_end = parts.at + parts.amount.len();
    if parts.currency_first {
        if glued_after(text, amount_end) {
            return None;
        }
    } else if glued_before(text, parts.at) {
        return None;
    }
    if preceded_by_range(text, whole.start()) || followed_by_range(text, whole.end()) {
        return None;
    }
    let (currency, in_cents) = match parts.currency.to_lowercase().as_str() {
        "€" | "eur" | "euro" | "euros" => ("EUR", false),
        "$" | "us$" | "usd" | "dollar" | "dollars" => ("USD", false),
        "£" | "gbp" => ("GBP", false),
        "chf" | "franken" => ("CHF", false),
        "cent" | "ct" => ("EUR", true),
        "cents" => ("USD", true),
        _ => return None,
    };
    // "19,-" and "19,–" are whole amounts.
    let raw = parts.amount;
    let number = raw.trim_end_matches(DASHES);
    let dashed = number.len() != raw.len();
    let number = if dashed {
        number.strip_suffix(['.', ','])?
    } else {
        number
    };
    let amount = parse_number(number, true)?;
    if dashed && amount.scale != 0 {
        return None;
    }
    let cents = amount.scaled(1, if in_cents { 0 } else { 2 })?;
    Some((i64::try_from(cents).ok()?, currency))
}

// ---------------------------------------------------------------------------------------------
// Phone numbers
// ---------------------------------------------------------------------------------------------

/// Starts with "+", "0" or "(0"; then groups of digits (or a parenthesised group) separated by
/// at most two spaces and maybe a "/" or "-". No dots: "01.12.2026" must stay a date.
const PHONE: &str = r"\A(?:\+[0-9]{1,3}|\(0[0-9]{0,5}\)|0[0-9]*)(?:[\x20\x{a0}\x{202f}]{0,2}(?:[/\-][\x20\x{a0}\x{202f}]{0,2})?(?:\([0-9]{1,5}\)|[0-9]+))*";

/// [`PHONE`] at the start of the text it is run on.
static PHONE_RE: LazyLock<Regex> = LazyLock::new(|| re(PHONE));

/// The bytes a phone number starts with. Looking for them first is several times faster than
/// the pattern's automaton walking every byte: whole texts are searched for phone numbers.
static PHONE_START_RE: LazyLock<Regex> = LazyLock::new(|| re("[+(0]"));

static DATE_LIKE_RE: LazyLock<Regex> =
    LazyLock::new(|| re(r"^[0-9]{1,2}[/\-][0-9]{1,2}[/\-][0-9]{2,4}$"));

/// Phone numbers in order, not overlapping: from each place a number can start, the longest
/// stretch [`PHONE`] takes, then on after it, as an unanchored search would go.
fn find_phones(text: &str) -> Vec<Found> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(start) = PHONE_START_RE.find_at(text, at).map(|m| m.start()) {
        // A "0" inside a word or a number ("x0", "2026") starts nothing: such a match is
        // refused by `phone_digits` anyway.
        if bytes[start] == b'0'
            && start > 0
            && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_')
        {
            at = start + 1;
            continue;
        }
        match PHONE_RE.find(&text[start..]) {
            Some(m) if !m.is_empty() => {
                let end = start + m.end();
                if let Some(digits) = phone_digits(text, start, end) {
                    found.push(Found {
                        start,
                        end,
                        value: Value::Phone { digits },
                    });
                }
                at = end;
            }
            _ => at = start + 1,
        }
    }
    found
}

fn phone_digits(text: &str, start: usize, end: usize) -> Option<String> {
    let raw = &text[start..end];
    // Not the tail of a longer number, code or IBAN ("DE89 3704 0044 …", "20095 0800…").
    if prev_char(text, start).is_some_and(|c| c == '+')
        || glued_before(text, start)
        || text[..start]
            .trim_end_matches(SPACES)
            .ends_with(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    if next_char(text, end).is_some_and(char::is_alphanumeric) || glued_after(text, end) {
        return None;
    }
    let after = text[end..].trim_start();
    let (next_word, _) = first_word(after);
    if after.starts_with(['€', '$', '£', '%'])
        || matches!(
            next_word.as_str(),
            "eur" | "euro" | "euros" | "prozent" | "percent" | "uhr"
        )
        || DATE_LIKE_RE.is_match(raw)
    {
        return None;
    }
    let international = raw.starts_with('+') || raw.starts_with("00");
    let raw = if international {
        raw.replace("(0)", "")
    } else {
        raw.to_owned()
    };
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    let digits = if raw.starts_with('+') {
        digits
    } else if let Some(rest) = digits.strip_prefix("00") {
        rest.to_owned()
    } else if let Some(rest) = digits.strip_prefix('0') {
        format!("49{rest}")
    } else {
        return None;
    };
    ((8..=15).contains(&digits.len()) && !digits.starts_with('0')).then_some(digits)
}

// ---------------------------------------------------------------------------------------------
// E-mail addresses
// ---------------------------------------------------------------------------------------------

static EMAIL_RE: LazyLock<Regex> =
    LazyLock::new(|| re(r"[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)+"));

fn find_emails(text: &str) -> Vec<Found> {
    EMAIL_RE
        .find_iter(text)
        .filter_map(|m| {
            let s = m.as_str();
            let (local, domain) = s.split_once('@')?;
            let trimmed_local = local.trim_start_matches('.');
            let lead = local.len() - trimmed_local.len();
            let domain = domain.trim_end_matches(['-', '.']);
            if trimmed_local.is_empty()
                || trimmed_local.ends_with('.')
                || trimmed_local.contains("..")
                || !valid_host(domain)
            {
                return None;
            }
            let start = m.start() + lead;
            let end = start + trimmed_local.len() + 1 + domain.len();
            Some(Found {
                start,
                end,
                value: Value::Email {
                    address: format!("{trimmed_local}@{domain}").to_lowercase(),
                },
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// URLs
// ---------------------------------------------------------------------------------------------

static URL_RE: LazyLock<Regex> =
    LazyLock::new(|| re(r#"(?i)\b(?:https?://|www\.)[^\s<>"'`{}|\\^\[\]„“”‘’«»‹›]+"#));

fn find_urls(text: &str) -> Vec<Found> {
    URL_RE
        .find_iter(text)
        .filter_map(|m| {
            let raw = strip_trailing_punctuation(m.as_str());
            let url = normalize_url(raw)?;
            Some(Found {
                start: m.start(),
                end: m.start() + raw.len(),
                value: Value::Url { url },
            })
        })
        .collect()
}

/// Sentence punctuation after a URL: "… /rueckgabe." or "(siehe www.x.de)". A ")" stays when
/// the URL opened it: "…/Sofa_(Möbel)".
fn strip_trailing_punctuation(mut s: &str) -> &str {
    let opened = s.matches('(').count();
    let mut closed = s.matches(')').count();
    while let Some(c) = s.chars().next_back() {
        let strip = match c {
            '.' | ',' | ';' | ':' | '!' | '?' | '…' | '*' => true,
            ')' if opened < closed => {
                closed -= 1;
                true
            }
            _ => false,
        };
        if !strip {
            break;
        }
        s = &s[..s.len() - c.len_utf8()];
    }
    s
}

/// "https://www.Nordlicht.de/faq/" → "nordlicht.de/faq"; None without a plausible host.
fn normalize_url(raw: &str) -> Option<String> {
    let rest = strip_prefix_ci(raw, "https://")
        .or_else(|| strip_prefix_ci(raw, "http://"))
        .unwrap_or(raw);
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (host, path) = rest.split_at(host_end);
    let host = host.to_lowercase();
    let host = match host.strip_prefix("www.") {
        Some(bare) if bare.contains('.') => bare.to_owned(),
        _ => host,
    };
    if !valid_host(&host) {
        return None;
    }
    Some(format!("{host}{}", path.trim_end_matches('/')))
}

/// Labels of letters, digits and inner hyphens, an optional port, and a top-level domain of
/// letters (or an IPv4 address).
fn valid_host(host: &str) -> bool {
    let name = match host.rsplit_once(':') {
        Some((name, port)) if !port.is_empty() && port.chars().all(|c| c.is_ascii_digit()) => name,
        Some(_) => return false,
        None => host,
    };
    let labels: Vec<&str> = name.split('.').collect();
    if labels.len() < 2
        || labels.iter().any(|l| {
            l.is_empty()
                || l.starts_with('-')
                || l.ends_with('-')
                || !l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
    {
        return false;
    }
    let tld = labels[labels.len() - 1];
    (tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic))
        || (labels.len() == 4
            && labels
                .iter()
                .all(|l| l.len() <= 3 && l.chars().all(|c| c.is_ascii_digit())))
}

// ---------------------------------------------------------------------------------------------
// Contacts: phone numbers, e-mail addresses and URLs wherever they stand
// ---------------------------------------------------------------------------------------------

/// Every phone number, e-mail address and URL in the text, in order, not overlapping (a number
/// inside a URL is part of the URL), read as [`find_values`] reads values of those kinds.
///
/// Three searches, not one pattern of all three: each starts from what its values begin
/// with ("@", "http", "www.", a phone number's first bytes), which the regex crate looks for
/// before it runs an automaton, while one pattern of all three can start anywhere and walks
/// every byte. On the benchmark's corpus the three take about a third of the one's time.
pub fn find_contacts(text: &str) -> Vec<Found> {
    let mut found = find_phones(text);
    found.extend(find_emails(text));
    found.extend(find_urls(text));
    in_order_without_overlaps(found)
}

/// A phone number, e-mail address or URL written as a guideline lists the contacts it
/// allows: the whole text one value, read as [`parse_value`] reads a fact of that kind.
pub fn parse_contact(text: &str) -> Option<Value> {
    [ValueKind::Phone, ValueKind::Email, ValueKind::Url]
        .into_iter()
        .find_map(|kind| parse_value(kind, text))
}

/// Whether `url` is `page` or a page beneath it ("example.de/jobs/it" beneath
/// "example.de/jobs", not "example.de/jobsuche"), both in the normal form of [`Value::Url`].
pub fn url_beneath(url: &str, page: &str) -> bool {
    url.strip_prefix(page)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '?', '#']))
}

// ---------------------------------------------------------------------------------------------
// Opening hours
// ---------------------------------------------------------------------------------------------

static HOURS_RE: LazyLock<Regex> = LazyLock::new(|| re(HOURS_PATTERN));
static HOURS_QUICK_RE: LazyLock<Regex> = LazyLock::new(|| re_ascii_boundaries(HOURS_PATTERN));

const HOURS_PATTERN: &str = r"(?ix)
        (?:\b(?P<pre>von|from|zwischen|between)\s{1,3})?
        \b(?P<h1>[0-9]{1,2})(?:(?P<c1>[:.])(?P<m1>[0-9]{2}))?
        (?:\s{0,3}(?P<ap1>[ap]\.?m\b\.?))?
        (?:\s{0,3}(?P<u1>uhr|h)\b)?
        \s{0,3}(?P<sep>-|–|—|bis\b|to\b|until\b|till\b|und\b|and\b)\s{0,3}
        \b(?P<h2>[0-9]{1,2})(?:(?P<c2>[:.])(?P<m2>[0-9]{2}))?
        (?:\s{0,3}(?P<ap2>[ap]\.?m\b\.?))?
        (?:\s{0,3}(?P<u2>uhr|h)\b)?
    ";

/// Words before a bare "8–18" that make it opening hours: "Mo–Fr 8–18", "täglich 9–17".
const HOURS_CONTEXT: &str = "mo di mi do fr sa so mon tue tues wed thu thur thurs fri sat sun \
    montag dienstag mittwoch donnerstag freitag samstag sonnabend sonntag montags dienstags \
    mittwochs donnerstags freitags samstags sonntags monday tuesday wednesday thursday friday \
    saturday sunday mondays tuesdays wednesdays thursdays fridays saturdays sundays werktags \
    wochentags feiertags täglich taeglich daily weekdays weekends wochenende öffnungszeiten \
    oeffnungszeiten geöffnet geoeffnet open hours sprechzeiten servicezeiten erreichbar";

/// Beginnings of words after a bare "8–18" that make it something else: "8–18 Jahre".
const NOT_HOURS_AFTER: &str = "tag werktag arbeitstag woche monat jahr stunde std minute min \
    sekunde day week month year hour hrs second euro eur cent dollar prozent percent person \
    people seite page mal times stück kg km grad";

fn find_hours(text: &str) -> Vec<Found> {
    matches_via(&HOURS_QUICK_RE, &HOURS_RE, text)
        .filter_map(|whole| {
            let parts = hours_parts(whole).or_else(|| {
                let caps = HOURS_RE.captures_at(text, whole.start())?;
                hours_parts_by_groups(&caps)
            })?;
            let (open, close) = hours(text, &parts, whole)?;
            Some(Found {
                start: whole.start(),
                end: whole.end(),
                value: Value::Hours { open, close },
            })
        })
        .collect()
}

/// Opening hours' match as [`HOURS_RE`]'s groups split it.
#[derive(Debug, PartialEq)]
struct HoursParts<'t> {
    pre: Option<&'t str>,
    /// Where the opening hour starts.
    open_at: usize,
    open: Time<'t>,
    sep: &'t str,
    close: Time<'t>,
    /// Where the closing time's digits end.
    close_end: usize,
}

/// One time of opening hours: the hour, maybe a mark and two digits of minutes, maybe
/// "am"/"pm", maybe "Uhr" or "h".
#[derive(Debug, PartialEq)]
struct Time<'t> {
    hour: &'t str,
    mark: Option<&'t str>,
    minutes: Option<&'t str>,
    meridiem: Option<&'t str>,
    unit: Option<&'t str>,
}

impl Time<'_> {
    /// The length of the hour and minutes as written.
    fn digits(&self) -> usize {
        self.hour.len() + self.mark.map_or(0, str::len) + self.minutes.map_or(0, str::len)
    }
}

/// A [`Time`] as the pattern reads it from the start of `s`, and the rest of `s`. The pattern's
/// `\b` after "am" or "Uhr" are checked; those it puts before the hour hold, since the text
/// is a match of it.
fn read_time(s: &str) -> Option<(Time<'_>, &str)> {
    let hour_len = s.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=2).contains(&hour_len) {
        return None;
    }
    let (hour, mut rest) = s.split_at(hour_len);
    let (mut mark, mut minutes) = (None, None);
    if let [b':' | b'.', tens, ones, ..] = rest.as_bytes()
        && tens.is_ascii_digit()
        && ones.is_ascii_digit()
    {
        mark = Some(&rest[..1]);
        minutes = Some(&rest[1..3]);
        rest = &rest[3..];
    }
    let mut next = |read: fn(&str) -> Option<(&str, &str)>| {
        let (found, after) = read(rest.trim_start())?;
        rest = after;
        Some(found)
    };
    let meridiem = next(meridiem_at);
    let unit = next(unit_at);
    let time = Time {
        hour,
        mark,
        minutes,
        meridiem,
        unit,
    };
    Some((time, rest))
}

/// "am", "p.m." and the like as a word at the start of `s` (`[ap]\.?m\b\.?`), and what
/// follows.
fn meridiem_at(s: &str) -> Option<(&str, &str)> {
    let b = s.as_bytes();
    if !matches!(b.first()?.to_ascii_lowercase(), b'a' | b'p') {
        return None;
    }
    let m = 1 + usize::from(b.get(1) == Some(&b'.'));
    if !b.get(m)?.eq_ignore_ascii_case(&b'm')
        || s[m + 1..].starts_with(regex_syntax::is_word_character)
    {
        return None;
    }
    let len = m + 1 + usize::from(b.get(m + 1) == Some(&b'.'));
    Some(s.split_at(len))
}

/// "Uhr" or "h" as a word at the start of `s`, and what follows.
fn unit_at(s: &str) -> Option<(&str, &str)> {
    ["uhr", "h"].iter().find_map(|unit| {
        let tail = strip_prefix_ci(s, unit)?;
        (!tail.starts_with(regex_syntax::is_word_character)).then(|| s.split_at(unit.len()))
    })
}

/// The parts of opening hours' match, read by hand (see [`number_first`]); `None` where the
/// match is not written the way the pattern reads it, which a match always is.
fn hours_parts(whole: Match<'_>) -> Option<HoursParts<'_>> {
    let s = whole.as_str();
    let (pre, from_h1) = if s.starts_with(|c: char| c.is_ascii_digit()) {
        (None, s)
    } else {
        let (pre, rest) = s.split_at(s.find(char::is_whitespace)?);
        (Some(pre), rest.trim_start())
    };
    let open_at = whole.start() + s.len() - from_h1.len();
    let (open, rest) = read_time(from_h1)?;
    let rest = rest.trim_start();
    let sep_len = match rest.chars().next()? {
        dash @ ('-' | '–' | '—') => dash.len_utf8(),
        _ => rest.find(|c: char| !c.is_alphabetic())?,
    };
    let (sep, rest) = rest.split_at(sep_len);
    let from_h2 = rest.trim_start();
    let close_at = whole.start() + s.len() - from_h2.len();
    let (close, rest) = read_time(from_h2)?;
    if !rest.is_empty() {
        return None;
    }
    let close_end = close_at + close.digits();
    Some(HoursParts {
        pre,
        open_at,
        open,
        sep,
        close,
        close_end,
    })
}

/// The parts as the pattern's own groups give them: should the hand reading fail, and to check
/// it against.
fn hours_parts_by_groups<'t>(caps: &Captures<'t>) -> Option<HoursParts<'t>> {
    let group = |name: &str| caps.name(name).map(|m| m.as_str());
    let time = |[hour, mark, minutes, meridiem, unit]: [&str; 5]| {
        Some(Time {
            hour: group(hour)?,
            mark: group(mark),
            minutes: group(minutes),
            meridiem: group(meridiem),
            unit: group(unit),
        })
    };
    let h2 = caps.name("h2")?;
    Some(HoursParts {
        pre: group("pre"),
        open_at: caps.name("h1")?.start(),
        open: time(["h1", "c1", "m1", "ap1", "u1"])?,
        sep: group("sep")?,
        close: time(["h2", "c2", "m2", "ap2", "u2"])?,
        close_end: caps.name("m2").unwrap_or(h2).end(),
    })
}

fn hours(text: &str, parts: &HoursParts, whole: Match) -> Option<(u16, u16)> {
    if glued_before(text, parts.open_at) || glued_after(text, parts.close_end) {
        return None;
    }
    let pre = parts.pre.map(str::to_lowercase);
    let sep = parts.sep.to_lowercase();
    if matches!(sep.as_str(), "und" | "and")
        && !matches!(pre.as_deref(), Some("zwischen" | "between"))
    {
        return None;
    }
    let ap = |m: Option<&str>| {
        m.and_then(|m| m.chars().next())
            .map(|c| c.to_ascii_lowercase())
    };
    let (ap1, ap2) = (ap(parts.open.meridiem), ap(parts.close.meridiem));
    let (u1, u2) = (
        parts.open.unit.map(str::to_lowercase),
        parts.close.unit.map(str::to_lowercase),
    );
    let colon = |m: Option<&str>| m == Some(":");
    let dot = |m: Option<&str>| m == Some(".");

    let marked = colon(parts.open.mark)
        || colon(parts.close.mark)
        || ap1.is_some()
        || ap2.is_some()
        || u1.as_deref() == Some("uhr")
        || u2.as_deref() == Some("uhr")
        || (u1.is_some() && u2.is_some())
        || ((u1.is_some() || u2.is_some()) && pre.is_some())
        || (dot(parts.open.mark) && dot(parts.close.mark))
        || {
            let before = prev_word(text, whole.start(), &[':', ',', '.', '(']);
            HOURS_CONTEXT.split_whitespace().any(|w| w == before)
        };
    if !marked {
        return None;
    }
    if ap2.is_none() && u2.is_none() {
        let after = text[whole.end()..].trim_start();
        let (word, _) = first_word(after);
        if after.starts_with(['€', '$', '£', '%', '°'])
            || (!word.is_empty()
                && NOT_HOURS_AFTER
                    .split_whitespace()
                    .any(|w| word.starts_with(w)))
        {
            return None;
        }
    }

    let number = |m: Option<&str>| -> Option<u16> { m.map_or(Some(0), |m| m.parse().ok()) };
    let (hour1, min1) = (number(Some(parts.open.hour))?, number(parts.open.minutes)?);
    let (hour2, min2) = (
        number(Some(parts.close.hour))?,
        number(parts.close.minutes)?,
    );
    // "9-5pm": the missing am/pm is the one that puts the opening before the closing.
    let (ap1, ap2) = match (ap1, ap2) {
        (None, Some(p)) if (1..=12).contains(&hour1) => {
            let same = minutes(hour1, min1, Some(p))?;
            let close = minutes(hour2, min2, Some(p))?;
            (
                Some(if same < close { p } else { other_meridiem(p) }),
                Some(p),
            )
        }
        (Some(p), None) if (1..=12).contains(&hour2) => {
            let open = minutes(hour1, min1, Some(p))?;
            let same = minutes(hour2, min2, Some(p))?;
            (
                Some(p),
                Some(if same > open { p } else { other_meridiem(p) }),
            )
        }
        other => other,
    };
    // "Mon–Fri 9–5": a bare closing hour before the opening one is in the afternoon; "22–6 Uhr"
    // and "09:00–05:00" stay as they are.
    let hour2 = if ap1.is_none()
        && ap2.is_none()
        && u1.as_deref() != Some("uhr")
        && u2.as_deref() != Some("uhr")
        && !colon(parts.close.mark)
        && hour1 <= 12
        && hour2 < hour1
        && hour2 + 12 > hour1
    {
        hour2 + 12
    } else {
        hour2
    };
    Some((minutes(hour1, min1, ap1)?, minutes(hour2, min2, ap2)?))
}

fn other_meridiem(p: char) -> char {
    if p == 'a' { 'p' } else { 'a' }
}

/// Minutes since midnight; 24:00 is the end of the day.
fn minutes(hour: u16, minute: u16, meridiem: Option<char>) -> Option<u16> {
    let hour = match meridiem {
        None => hour,
        Some(p) => {
            if !(1..=12).contains(&hour) {
                return None;
            }
            hour % 12 + if p == 'p' { 12 } else { 0 }
        }
    };
    if minute > 59 || hour > 24 || (hour == 24 && minute != 0) {
        return None;
    }
    Some(hour * 60 + minute)
}

// ---------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------

/// Month names and abbreviations, German (with Austrian "Jänner") and English, by month.
const MONTHS: [&str; 12] = [
    "januar january jänner jaenner jän jan",
    "februar february feb",
    "märz maerz march mär mrz mar",
    "april apr",
    "mai may",
    "juni june jun",
    "juli july jul",
    "august aug",
    "september sept sep",
    "oktober october okt oct",
    "november nov",
    "dezember december dez dec",
];

static MONTHS_PATTERN: LazyLock<String> = LazyLock::new(|| {
    let mut names: Vec<&str> = MONTHS.iter().flat_map(|m| m.split_whitespace()).collect();
    names.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    names.join("|")
});

fn month_number(name: &str) -> Option<i16> {
    let name = name.to_lowercase();
    (1..)
        .zip(MONTHS)
        .find(|(_, names)| names.split_whitespace().any(|n| n == name))
        .map(|(number, _)| number)
}

/// "31.12.2026", "31. 12. 2026", "31.12.26".
static DATE_DMY_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"\b(?P<d>[0-9]{1,2})\.\s?(?P<m>[0-9]{1,2})\.\s?(?P<y>[0-9]{4}|[0-9]{2})\b")
});
/// "2026-12-31" (also before "T10:00").
static DATE_ISO_RE: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b(?P<y>[0-9]{4})-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})"));
/// "31/12/2026", "12/31/2026".
static DATE_SLASH_RE: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b(?P<a>[0-9]{1,2})/(?P<b>[0-9]{1,2})/(?P<y>[0-9]{4})\b"));
/// "31. Dezember 2026", "31 Dec 2026", "31. Dez. 2026", "1st of March 2026".
static DATE_TEXT_DMY_RE: LazyLock<Regex> = LazyLock::new(|| {
    let months = MONTHS_PATTERN.as_str();
    re_ascii_boundaries(&format!(
        r"(?i)\b(?P<d>[0-9]{{1,2}})(?:\.|st|nd|rd|th)?\s{{0,3}}(?:of\s{{1,3}})?(?P<mon>{months})\b\.?,?\s{{0,3}}(?P<y>[0-9]{{4}})\b"
    ))
});
/// "December 31, 2026", "Dec. 31st 2026".
static DATE_TEXT_MDY_RE: LazyLock<Regex> = LazyLock::new(|| {
    let months = MONTHS_PATTERN.as_str();
    re_ascii_boundaries(&format!(
        r"(?i)\b(?P<mon>{months})\b\.?\s{{0,3}}(?P<d>[0-9]{{1,2}})(?:st|nd|rd|th)?(?:,\s{{0,3}}|\s{{1,3}})(?P<y>[0-9]{{4}})\b"
    ))
});

/// The three numbers of a numeric date's match, split at `mark` ("31. 12. 2026" at '.'),
/// without the white space the patterns allow after a mark. Cheaper than the regex's groups
/// (see [`number_first`]).
fn three_numbers(whole: Match<'_>, mark: char) -> Option<[&str; 3]> {
    let mut parts = whole.as_str().split(mark).map(str::trim);
    let numbers = [parts.next()?, parts.next()?, parts.next()?];
    parts.next().is_none().then_some(numbers)
}

fn find_dates(text: &str) -> Vec<Found> {
    let mut found = Vec::new();
    let mut push = |whole: Match, date: Option<Date>| {
        if let Some(date) = date {
            found.push(Found {
                start: whole.start(),
                end: whole.end(),
                value: Value::Date { date },
            });
        }
    };
    let int =
        |caps: &Captures, name: &str| -> Option<i16> { caps.name(name)?.as_str().parse().ok() };
    let ymd = |y: i16, m: i16, d: i16| -> Option<Date> {
        Date::new(y, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()
    };
    let separate =
        |whole: Match| !glued_before(text, whole.start()) && !glued_after(text, whole.end());

    for whole in DATE_DMY_RE.find_iter(text) {
        let date = (|| {
            if !separate(whole) {
                return None;
            }
            let [d, m, y] = three_numbers(whole, '.')?;
            // Two-digit years only in the full form "31.12.26", not "1.2.26" (versions).
            let year = if y.len() == 2 {
                if d.len() != 2 || m.len() != 2 {
                    return None;
                }
                2000 + y.parse::<i16>().ok()?
            } else {
                y.parse().ok()?
            };
            ymd(year, m.parse().ok()?, d.parse().ok()?)
        })();
        push(whole, date);
    }
    for whole in DATE_ISO_RE.find_iter(text) {
        let date = (|| {
            if glued_before(text, whole.start())
                || glued_after(text, whole.end())
                || text[whole.end()..].starts_with(['-', '/'])
            {
                return None;
            }
            let [y, m, d] = three_numbers(whole, '-')?;
            ymd(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
        })();
        push(whole, date);
    }
    for whole in DATE_SLASH_RE.find_iter(text) {
        let date = (|| {
            if !separate(whole) {
                return None;
            }
            let [a, b, y] = three_numbers(whole, '/')?;
            let (a, b, y) = (a.parse().ok()?, b.parse().ok()?, y.parse().ok()?);
            ymd(y, b, a).or_else(|| ymd(y, a, b))
        })();
        push(whole, date);
    }
    for caps in DATE_TEXT_DMY_RE.captures_iter(text) {
        let Some(whole) = caps.get(0) else { continue };
        let date = (|| {
            if glued_before(text, whole.start())
                || next_char(text, whole.end()).is_some_and(char::is_alphanumeric)
            {
                return None;
            }
            let month = month_number(caps.name("mon")?.as_str())?;
            ymd(int(&caps, "y")?, month, int(&caps, "d")?)
        })();
        push(whole, date);
    }
    for caps in DATE_TEXT_MDY_RE.captures_iter(text) {
        let Some(whole) = caps.get(0) else { continue };
        let date = (|| {
            if letters_around(text, whole)
                || next_char(text, whole.end()).is_some_and(char::is_alphanumeric)
            {
                return None;
            }
            let month = month_number(caps.name("mon")?.as_str())?;
            ymd(int(&caps, "y")?, month, int(&caps, "d")?)
        })();
        push(whole, date);
    }
    found
}

// ---------------------------------------------------------------------------------------------
// Percentages
// ---------------------------------------------------------------------------------------------

static PERCENT_RE: LazyLock<Regex> = LazyLock::new(|| {
    let words = NUMBER_WORDS_PATTERN.as_str();
    re_ascii_boundaries(&format!(
        r"(?i)\b(?P<num>[0-9]+(?:[.,][0-9]+)?)\s{{0,3}}(?:%|prozent\b|percent\b|per\s{{1,3}}cent\b)|\b(?P<word>{words})\s{{1,3}}(?:prozent|percent|per\s{{1,3}}cent)\b"
    ))
});

fn find_percentages(text: &str) -> Vec<Found> {
    PERCENT_RE
        .find_iter(text)
        .filter_map(|whole| {
            if letters_around(text, whole) {
                return None;
            }
            let value = match percentage_parts(text, whole)? {
                PercentageParts::Number { at, number } => {
                    if glued_before(text, at) {
                        return None;
                    }
                    parse_number(number, false)?
                }
                PercentageParts::Word(word) => Decimal::whole(number_word_value(word)?),
            };
            if preceded_by_range(text, whole.start()) || followed_by_range(text, whole.end()) {
                return None;
            }
            Some(Found {
                start: whole.start(),
                end: whole.end(),
                value: Value::Percentage {
                    basis_points: i64::try_from(value.scaled(100, 0)?).ok()?,
                },
            })
        })
        .collect()
}

/// A percentage's match as [`PERCENT_RE`]'s groups split it.
#[derive(Debug, PartialEq)]
enum PercentageParts<'t> {
    /// "12,5 %": the number and where it starts.
    Number { at: usize, number: &'t str },
    /// "zwölf Prozent".
    Word(&'t str),
}

fn percentage_parts<'t>(text: &'t str, whole: Match<'t>) -> Option<PercentageParts<'t>> {
    if let Some((at, number, _)) = number_first(whole) {
        return Some(PercentageParts::Number { at, number });
    }
    word_first_percentage(whole).or_else(|| {
        let caps = PERCENT_RE.captures_at(text, whole.start())?;
        percentage_parts_by_groups(&caps)
    })
}

/// A percentage's match of a number word, white space and the word for percent, split by hand
/// like [`number_first`]. A number word of several words ("twenty one percent") is left to the
/// pattern's groups.
fn word_first_percentage(whole: Match<'_>) -> Option<PercentageParts<'_>> {
    let s = whole.as_str();
    let (word, rest) = s.split_at(s.find(|c: char| !c.is_alphabetic())?);
    let percent = rest.trim_start();
    let spelled = ["prozent", "per"]
        .iter()
        .any(|p| strip_prefix_ci(percent, p).is_some());
    (percent.len() < rest.len() && spelled && number_word_value(word).is_some())
        .then_some(PercentageParts::Word(word))
}

/// The parts as the pattern's own groups give them: for what the hand splits leave, and to
/// check them against.
fn percentage_parts_by_groups<'t>(caps: &Captures<'t>) -> Option<PercentageParts<'t>> {
    match caps.name("num") {
        Some(number) => Some(PercentageParts::Number {
            at: number.start(),
            number: number.as_str(),
        }),
        None => Some(PercentageParts::Word(caps.name("word")?.as_str())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn values(kind: ValueKind, text: &str) -> Vec<Value> {
        find_values(kind, text)
            .into_iter()
            .map(|f| f.value)
            .collect()
    }

    fn texts(kind: ValueKind, text: &str) -> Vec<&str> {
        find_values(kind, text)
            .into_iter()
            .map(|f| &text[f.start..f.end])
            .collect()
    }

    fn one(kind: ValueKind, text: &str) -> Value {
        let found = values(kind, text);
        assert_eq!(found.len(), 1, "{kind:?} in {text:?}: {found:?}");
        found.into_iter().next().expect("one value")
    }

    fn none(kind: ValueKind, text: &str) {
        let found = find_values(kind, text);
        assert!(found.is_empty(), "{kind:?} in {text:?}: {found:?}");
    }

    fn hours(h: u32) -> Value {
        Value::Duration { hours: h }
    }

    fn eur(cents: i64) -> Value {
        Value::Price {
            cents,
            currency: "EUR".into(),
        }
    }

    fn phone(digits: &str) -> Value {
        Value::Phone {
            digits: digits.into(),
        }
    }

    fn open(open: u16, close: u16) -> Value {
        Value::Hours { open, close }
    }

    fn date(y: i16, m: i8, d: i8) -> Value {
        Value::Date {
            date: Date::new(y, m, d).expect("valid date"),
        }
    }

    fn percent(basis_points: i64) -> Value {
        Value::Percentage { basis_points }
    }

    #[test]
    fn kinds_have_names() {
        for kind in ValueKind::ALL {
            assert_eq!(ValueKind::parse(kind.as_str()), Some(kind));
            let json = serde_json::to_string(&kind).expect("serializes");
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
            assert_eq!(Value::kind(&parse_value_example(kind)), kind);
        }
        assert_eq!(ValueKind::parse(" Price "), Some(ValueKind::Price));
        assert_eq!(ValueKind::parse("preis"), None);
    }

    fn parse_value_example(kind: ValueKind) -> Value {
        let text = match kind {
            ValueKind::Duration => "30 Tage",
            ValueKind::Price => "9,99 €",
            ValueKind::Phone => "0800 123 4567",
            ValueKind::Email => "service@nordlicht-wohnen.de",
            ValueKind::Url => "nordlicht-wohnen.de/faq",
            ValueKind::Hours => "8–18 Uhr",
            ValueKind::Date => "31.12.2026",
            ValueKind::Percentage => "15 %",
        };
        parse_value(kind, text).expect("parses")
    }

    #[test]
    fn durations_in_german_sentences() {
        use ValueKind::Duration as D;
        let text = "Sie können Artikel innerhalb von 30 Tagen zurückgeben.";
        assert_eq!(texts(D, text), ["30 Tagen"]);
        assert_eq!(one(D, text), hours(720));
        assert_eq!(one(D, "Rückgabe binnen zwei Wochen"), hours(336));
        assert_eq!(one(D, "Rückgabe binnen 14 Tagen"), hours(336));
        assert_eq!(
            one(D, "Sie haben vierzehn Tage Zeit, es sich zu überlegen."),
            hours(336)
        );
        assert_eq!(one(D, "Wir antworten innerhalb von 48 h."), hours(48));
        assert_eq!(one(D, "Wir antworten innerhalb von 24 Stunden."), hours(24));
        assert_eq!(one(D, "Die Lieferung dauert 6 Werktage."), hours(144));
        assert_eq!(one(D, "Das Abo läuft 1 Monat."), hours(720));
        assert_eq!(one(D, "Die Probezeit beträgt drei Monate."), hours(2160));
        assert_eq!(one(D, "Sie haben einundzwanzig Tage Zeit."), hours(504));
        assert_eq!(one(D, "Rückgabe innerhalb von dreißig Tagen"), hours(720));
        assert_eq!(one(D, "Rückgabe innerhalb von dreissig Tagen"), hours(720));
        assert_eq!(one(D, "Garantie: zwölf Monate"), hours(8760));
        assert_eq!(one(D, "Die Garantie gilt ein Jahr."), hours(8760));
        assert_eq!(one(D, "Kündigung innerhalb eines Monats"), hours(720));
        assert_eq!(
            one(D, "Sie erhalten binnen einer Woche eine Antwort."),
            hours(168)
        );
        assert_eq!(one(D, "Wir melden uns innerhalb eines Tages."), hours(24));
        assert_eq!(one(D, "Testen Sie das Sofa einen Monat lang."), hours(720));
        assert_eq!(one(D, "Unser 30-Tage-Rückgaberecht"), hours(720));
        assert_eq!(one(D, "Es gilt ein 14-tägiges Widerrufsrecht."), hours(336));
        assert_eq!(
            one(D, "Es gilt ein vierzehntägiges Widerrufsrecht."),
            hours(336)
        );
        assert_eq!(one(D, "Lieferung in 2,5 Tagen"), hours(60));
        assert_eq!(one(D, "Bearbeitung: 72 Std."), hours(72));
        assert_eq!(
            values(D, "Versand in 2 Tagen, Rückgabe 30 Tage, Garantie 2 Jahre."),
            [hours(48), hours(720), hours(17520)]
        );
    }

    #[test]
    fn durations_in_english_sentences() {
        use ValueKind::Duration as D;
        assert_eq!(one(D, "You can return items within 30 days."), hours(720));
        assert_eq!(one(D, "Returns are accepted for two weeks."), hours(336));
        assert_eq!(one(D, "We ship within 3 business days."), hours(72));
        assert_eq!(one(D, "Warranty: 12 months"), hours(8760));
        assert_eq!(one(D, "Our 30-day money-back guarantee"), hours(720));
        assert_eq!(one(D, "Try it for a week."), hours(168));
        assert_eq!(one(D, "We reply within an hour."), hours(1));
        assert_eq!(one(D, "Returns within twenty-one days"), hours(504));
        assert_eq!(one(D, "Allow one month for processing."), hours(720));
    }

    #[test]
    fn things_that_are_not_durations() {
        use ValueKind::Duration as D;
        none(D, "Wir sind 24/7 für Sie da.");
        none(
            D,
            "Wir sind 24 Stunden am Tag, 7 Tage die Woche erreichbar.",
        );
        none(D, "We're open 24 hours a day, 7 days a week.");
        none(D, "Newsletter once a week");
        none(D, "Lieferzeit 2–3 Werktage");
        none(D, "Lieferung in zwei bis drei Wochen");
        none(D, "Mo–Fr 8–18 h");
        none(D, "Mo–Fr 8h-18h");
        none(D, "Am 3. Tag melden wir uns.");
        none(D, "Eines Tages kommt das Paket.");
        none(D, "Tagesgeld und Monatsbeitrag");
        none(D, "Hotline bis 18 Uhr");
        none(D, "Bearbeitung in 1,5 Stunden");
        none(D, "an Werktagen geöffnet");
    }

    #[test]
    fn prices() {
        use ValueKind::Price as P;
        let text = "Versandkostenfrei ab 49 €";
        assert_eq!(texts(P, text), ["49 €"]);
        assert_eq!(one(P, text), eur(4900));
        assert_eq!(one(P, "Der Versand kostet 4,95 Euro."), eur(495));
        assert_eq!(one(P, "Nur 9,99 € im Monat"), eur(999));
        assert_eq!(one(P, "Nur 9,99€/Monat"), eur(999));
        assert_eq!(one(P, "Preis: € 9,99"), eur(999));
        assert_eq!(one(P, "Price: 9.99 EUR"), eur(999));
        assert_eq!(one(P, "Preis: EUR 1.299,00"), eur(129_900));
        assert_eq!(one(P, "Das Sofa kostet 1.299 €."), eur(129_900));
        assert_eq!(one(P, "ab 49 Euro Bestellwert"), eur(4900));
        assert_eq!(one(P, "Jetzt nur 19,- €"), eur(1900));
        assert_eq!(one(P, "Aufpreis 99 Cent"), eur(99));
        assert_eq!(
            one(P, "Shipping is just $5."),
            Value::Price {
                cents: 500,
                currency: "USD".into()
            }
        );
        assert_eq!(
            one(P, "Price: 1,299.00 USD"),
            Value::Price {
                cents: 129_900,
                currency: "USD".into()
            }
        );
        assert_eq!(
            values(P, "Statt 1.499 € jetzt 1.299 € – Versand 4,95 €."),
            [eur(149_900), eur(129_900), eur(495)]
        );
        assert_eq!(
            values(P, "Sessel 299 € oder 2 für 499 €, Hocker 49 € bis 79 €"),
            [eur(29_900), eur(49_900), eur(4900), eur(7900)]
        );
        assert_eq!(
            texts(P, "$1,299.99 or USD 5 or 5EUR"),
            ["$1,299.99", "USD 5", "5EUR"]
        );
        none(P, "Lieferung in 2–3 Tagen");
        none(P, "15 % Rabatt auf alles");
        none(P, "Gutscheine im Wert von 10–20 €");
        none(P, "Hotline 0800 123 45 67");
    }

    #[test]
    fn phones() {
        use ValueKind::Phone as T;
        let text = "Unsere Hotline 0800 123 45 67 ist Mo–Fr von 8 bis 18 Uhr für Sie da.";
        assert_eq!(texts(T, text), ["0800 123 45 67"]);
        assert_eq!(one(T, text), phone("498001234567"));
        assert_eq!(
            one(T, "Call us at +49 40 1234567, 9am-5pm"),
            phone("49401234567")
        );
        assert_eq!(one(T, "Tel.: +49 (0)40 123456"), phone("4940123456"));
        assert_eq!(one(T, "Telefon 040/123456"), phone("4940123456"));
        assert_eq!(one(T, "Telefon (040) 123456"), phone("4940123456"));
        assert_eq!(
            one(T, "Aus dem Ausland: 0049 40 123456"),
            phone("4940123456")
        );
        assert_eq!(one(T, "Zentrale: 089 12345-0"), phone("4989123450"));
        assert_eq!(
            one(T, "US office: +1 (555) 123-4567."),
            phone("15551234567")
        );
        assert_eq!(
            values(T, "Tel. 040 123456, Fax 040 123457"),
            [phone("4940123456"), phone("4940123457")]
        );
    }

    #[test]
    fn things_that_are_not_phone_numbers() {
        use ValueKind::Phone as T;
        none(T, "Nordlicht Wohnen, Hafenstraße 12, 20095 Hamburg");
        none(T, "Filiale: Prager Straße 1, 01067 Dresden");
        none(T, "Seit 2026 für Sie da.");
        none(T, "Aktion gültig bis 31.12.2026");
        none(T, "Aktion gültig vom 01.12.2026 bis 05.01.2027");
        none(T, "Am 01/12/2026 geht es los");
        none(T, "Stand: 2026-01-15");
        none(T, "Nur 0,99 € pro Stück");
        none(T, "IBAN DE89 3704 0044 0532 0130 00");
        none(T, "Wir sind 24/7 für Sie da.");
        none(T, "Mo–Fr 08-18 Uhr");
        none(T, "+15 % mehr Leistung");
    }

    #[test]
    fn emails() {
        use ValueKind::Email as E;
        let text = "Schreiben Sie an service@Nordlicht-Wohnen.de";
        assert_eq!(
            one(E, text),
            Value::Email {
                address: "service@nordlicht-wohnen.de".into()
            }
        );
        let text = "Fragen? kundenservice@nordlicht-wohnen.de.";
        assert_eq!(texts(E, text), ["kundenservice@nordlicht-wohnen.de"]);
        assert_eq!(texts(E, "(mailto:info@example.com)"), ["info@example.com"]);
        none(E, "Folgen Sie @nordlicht auf Instagram");
        none(E, "a@b ist keine Adresse");
    }

    #[test]
    fn urls() {
        use ValueKind::Url as U;
        let text = "Mehr unter https://www.nordlicht-wohnen.de/rueckgabe.";
        assert_eq!(
            texts(U, text),
            ["https://www.nordlicht-wohnen.de/rueckgabe"]
        );
        assert_eq!(
            one(U, text),
            Value::Url {
                url: "nordlicht-wohnen.de/rueckgabe".into()
            }
        );
        assert_eq!(
            one(U, "See https://www.Nordlicht.de/faq/"),
            Value::Url {
                url: "nordlicht.de/faq".into()
            }
        );
        assert_eq!(
            texts(U, "(siehe www.nordlicht-wohnen.de/faq)"),
            ["www.nordlicht-wohnen.de/faq"]
        );
        assert_eq!(
            texts(U, "Siehe https://de.wikipedia.org/wiki/Sofa_(Möbel)."),
            ["https://de.wikipedia.org/wiki/Sofa_(Möbel)"]
        );
        none(U, "Besuchen Sie nordlicht-wohnen.de, z.B. am Wochenende.");
        none(U, "https:// ist das Protokoll");
        assert_eq!(
            parse_value(U, "nordlicht.de/faq"),
            Some(Value::Url {
                url: "nordlicht.de/faq".into()
            })
        );
        assert_eq!(
            parse_value(U, " HTTPS://WWW.NORDLICHT.DE "),
            Some(Value::Url {
                url: "nordlicht.de".into()
            })
        );
        assert_eq!(parse_value(U, "service@nordlicht.de"), None);
        assert_eq!(parse_value(U, "nordlicht"), None);
    }

    #[test]
    fn contacts_are_what_the_three_finders_find() {
        for text in [
            "Unsere Hotline 0800 123 45 67 ist Mo–Fr von 8 bis 18 Uhr für Sie da.",
            "Call us at +49 40 1234567, 9am-5pm, or write to service@Nordlicht-Wohnen.de.",
            "Tel.: +49 (0)40 123456, Fax 040/123457, (040) 123458; aus dem Ausland 0049 40 123456",
            "Zentrale: 089 12345-0. US office: +1 (555) 123-4567.",
            "Nordlicht Wohnen, Hafenstraße 12, 20095 Hamburg; Filiale Prager Straße 1, 01067 Dresden",
            "Aktion vom 01.12.2026 bis 05.01.2027, am 01/12/2026, Stand 2026-01-15, nur 0,99 €",
            "IBAN DE89 3704 0044 0532 0130 00; 24/7 für Sie da; Mo–Fr 08-18 Uhr; +15 % mehr",
            "Fragen? kundenservice@nordlicht-wohnen.de. (mailto:info@example.com) @nordlicht a@b",
            "Mehr unter https://www.nordlicht-wohnen.de/rueckgabe. (siehe www.nordlicht-wohnen.de/faq)",
            "Siehe https://de.wikipedia.org/wiki/Sofa_(Möbel). Besuchen Sie nordlicht-wohnen.de.",
            "https:// ist das Protokoll; HTTP://Example.ORG/A/ und www.example.de?x=1#y",
        ] {
            let mut each: Vec<Found> = [ValueKind::Phone, ValueKind::Email, ValueKind::Url]
                .into_iter()
                .flat_map(|kind| find_values(kind, text))
                .collect();
            each.sort_by_key(|f| f.start);
            assert_eq!(find_contacts(text), each, "{text}");
        }
    }

    #[test]
    fn contacts_read_web_addresses_as_words_and_keep_addresses_whole() {
        // "www." inside a word starts no web address, as with `\b` in Unicode.
        assert_eq!(find_contacts("Überwww.example.de und _www.example.de"), []);
        assert_eq!(
            find_contacts("www.info@example.de")
                .first()
                .map(|f| &f.value),
            Some(&Value::Email {
                address: "www.info@example.de".into()
            })
        );
        assert_eq!(
            find_contacts("www.example.de/@nordlicht")
                .first()
                .map(|f| &f.value),
            Some(&Value::Url {
                url: "example.de/@nordlicht".into()
            })
        );
    }

    #[test]
    fn a_number_inside_a_web_or_e_mail_address_is_part_of_it() {
        let found = find_contacts(
            "Rückruf: https://example.de/rueckruf?tel=04012345678 oder 04012345678@fax.example.de",
        );
        let kinds: Vec<ValueKind> = found.iter().map(|f| f.value.kind()).collect();
        assert_eq!(kinds, [ValueKind::Url, ValueKind::Email]);
    }

    /// The phone finder as a plain unanchored search of the pattern, which the finder only
    /// speeds up.
    fn phones_by_search(text: &str) -> Vec<Found> {
        let unanchored = re(PHONE.trim_start_matches("\\A"));
        unanchored
            .find_iter(text)
            .filter_map(|m| {
                let digits = phone_digits(text, m.start(), m.end())?;
                Some(Found {
                    start: m.start(),
                    end: m.end(),
                    value: Value::Phone { digits },
                })
            })
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn phones_are_found_as_by_a_search_of_the_whole_text(
            text in "[0-9+()/ \\-a-zä.,:€\u{a0}]{0,60}"
        ) {
            proptest::prop_assert_eq!(find_phones(&text), phones_by_search(&text));
        }
    }

    #[test]
    fn a_contact_reads_as_its_kind_and_a_page_lies_beneath_its_address() {
        assert_eq!(parse_contact("040 / 123 45-6"), Some(phone("4940123456")));
        assert_eq!(
            parse_contact("Presse@Example.de"),
            Some(Value::Email {
                address: "presse@example.de".into()
            })
        );
        assert_eq!(
            parse_contact("https://Jobs.Example.de/"),
            Some(Value::Url {
                url: "jobs.example.de".into()
            })
        );
        for nothing in [
            "",
            "Hamburg",
            "040",
            "presse@",
            "https://",
            "+49 40 123456 oder so",
        ] {
            assert_eq!(parse_contact(nothing), None, "{nothing}");
        }
        assert!(url_beneath("example.de/jobs", "example.de/jobs"));
        assert!(url_beneath("example.de/jobs/it", "example.de/jobs"));
        assert!(url_beneath("example.de/jobs?ort=hh", "example.de/jobs"));
        assert!(!url_beneath("example.de/jobsuche", "example.de/jobs"));
        assert!(!url_beneath("example.de.evil.com", "example.de"));
    }

    #[test]
    fn opening_hours() {
        use ValueKind::Hours as H;
        let text = "Unsere Hotline 0800 123 45 67 ist Mo–Fr von 8 bis 18 Uhr für Sie da.";
        assert_eq!(texts(H, text), ["von 8 bis 18 Uhr"]);
        assert_eq!(one(H, text), open(480, 1080));
        assert_eq!(
            one(H, "Call us at +49 40 1234567, 9am-5pm"),
            open(540, 1020)
        );
        assert_eq!(one(H, "Geöffnet 8–18 Uhr"), open(480, 1080));
        assert_eq!(one(H, "Service: 8:00 - 18:00"), open(480, 1080));
        assert_eq!(one(H, "Filiale 09:00–17:30"), open(540, 1050));
        assert_eq!(one(H, "Samstag 8 Uhr bis 14 Uhr"), open(480, 840));
        assert_eq!(one(H, "zwischen 8 und 18 Uhr"), open(480, 1080));
        assert_eq!(one(H, "Kasse 10.00–18.30 Uhr"), open(600, 1110));
        assert_eq!(one(H, "Mo–Fr 9–17"), open(540, 1020));
        assert_eq!(one(H, "Mo.-Fr.: 9-17"), open(540, 1020));
        assert_eq!(one(H, "open from 9 a.m. to 5 p.m."), open(540, 1020));
        assert_eq!(one(H, "open 9-5pm"), open(540, 1020));
        assert_eq!(one(H, "open 1-5pm"), open(780, 1020));
        assert_eq!(one(H, "Notdienst 0–24 Uhr"), open(0, 1440));
        assert_eq!(one(H, "Mo–Fr 8h-18h"), open(480, 1080));
        assert_eq!(one(H, "We're open from 9 to 5."), open(540, 1020));
        assert_eq!(one(H, "Mon–Fri 9–5"), open(540, 1020));
        assert_eq!(one(H, "Nachtschicht 22–6 Uhr"), open(1320, 360));
        assert_eq!(
            values(H, "Mo–Fr 8–18 Uhr, Sa 10–14 Uhr"),
            [open(480, 1080), open(600, 840)]
        );
        assert_eq!(
            values(H, "Mo–Fr 8–12 und 14–18 Uhr"),
            [open(480, 720), open(840, 1080)]
        );
        none(H, "Lieferung in 2–3 Werktagen");
        none(H, "Lesen Sie die Seiten 8-18");
        none(H, "Seit 1999-2026 im Geschäft");
        none(H, "Für Kinder von 8 bis 18 Jahren");
        none(H, "Bearbeitung 2-3 h");
        none(H, "Mo–Fr 10–20 €");
        none(H, "Aktion gültig bis 31.12.2026");
        none(H, "Wir sind 24/7 für Sie da.");
        none(H, "von 9 bis 25 Uhr");
    }

    #[test]
    fn dates() {
        use ValueKind::Date as T;
        let text = "Aktion gültig bis 31.12.2026";
        assert_eq!(texts(T, text), ["31.12.2026"]);
        assert_eq!(one(T, text), date(2026, 12, 31));
        assert_eq!(one(T, "Gültig bis 31. Dezember 2026."), date(2026, 12, 31));
        assert_eq!(one(T, "Gültig bis 31. Dez. 2026."), date(2026, 12, 31));
        assert_eq!(one(T, "Start am 1. März 2026"), date(2026, 3, 1));
        assert_eq!(one(T, "Start am 1. Maerz 2026"), date(2026, 3, 1));
        assert_eq!(one(T, "Stand: 2026-12-31"), date(2026, 12, 31));
        assert_eq!(one(T, "Stand: 2026-12-31T10:00"), date(2026, 12, 31));
        assert_eq!(one(T, "Valid until December 31, 2026."), date(2026, 12, 31));
        assert_eq!(one(T, "Valid until 31 Dec 2026."), date(2026, 12, 31));
        assert_eq!(one(T, "Starts Mar 1st, 2026"), date(2026, 3, 1));
        assert_eq!(one(T, "Starts on the 1st of March 2026"), date(2026, 3, 1));
        assert_eq!(one(T, "gültig bis 31.12.26"), date(2026, 12, 31));
        assert_eq!(one(T, "ab 15/03/2026"), date(2026, 3, 15));
        assert_eq!(one(T, "until 12/31/2026"), date(2026, 12, 31));
        assert_eq!(
            values(T, "vom 01.12.2026 bis 5. Januar 2027"),
            [date(2026, 12, 1), date(2027, 1, 5)]
        );
        none(T, "Aktion gültig bis 31.02.2026");
        none(T, "Aktion gültig bis 32.01.2026");
        none(T, "Version 1.2.26");
        none(T, "Version 1.2.3");
        none(T, "Im Dezember 2026");
        none(T, "Aktion gültig bis 31.12.");
        none(T, "Am 30. Februar 2026");
        none(T, "Seit 2026");
    }

    #[test]
    fn percentages() {
        use ValueKind::Percentage as Pc;
        let text = "15 % Rabatt auf alle Sofas";
        assert_eq!(texts(Pc, text), ["15 %"]);
        assert_eq!(one(Pc, text), percent(1500));
        assert_eq!(one(Pc, "Nur 2,5% Zinsen"), percent(250));
        assert_eq!(one(Pc, "15 Prozent Rabatt"), percent(1500));
        assert_eq!(one(Pc, "15 percent off"), percent(1500));
        assert_eq!(one(Pc, "12.5% off"), percent(1250));
        assert_eq!(one(Pc, "zehn Prozent Rabatt"), percent(1000));
        assert_eq!(one(Pc, "Sparen Sie -20 %!"), percent(2000));
        none(Pc, "15 Personen");
        none(Pc, "Rabatte von 10–20 %");
    }

    #[test]
    fn display_is_canonical_and_parses_back() {
        let cases = [
            (hours(336), "14 Tage"),
            (hours(24), "1 Tag"),
            (hours(30), "30 Stunden"),
            (hours(1), "1 Stunde"),
            (eur(999), "9,99 EUR"),
            (eur(129_900), "1.299,00 EUR"),
            (phone("498001234567"), "+49 8001234567"),
            (phone("15551234567"), "+15551234567"),
            (open(480, 1080), "08:00–18:00"),
            (date(2026, 12, 31), "31.12.2026"),
            (percent(1500), "15 %"),
            (percent(250), "2,5 %"),
            (percent(1525), "15,25 %"),
            (
                Value::Email {
                    address: "a@b.de".into(),
                },
                "a@b.de",
            ),
            (
                Value::Url {
                    url: "nordlicht.de/faq".into(),
                },
                "nordlicht.de/faq",
            ),
        ];
        for (value, text) in cases {
            assert_eq!(value.to_string(), text);
            assert_eq!(parse_value(value.kind(), text), Some(value), "{text}");
        }
    }

    #[test]
    fn guideline_values() {
        use ValueKind::*;
        assert_eq!(parse_value(Duration, " 30 Tage "), Some(hours(720)));
        assert_eq!(
            parse_value(Phone, "0800 123 4567"),
            Some(phone("498001234567"))
        );
        assert_eq!(
            parse_value(Hours, "von 8 bis 18 Uhr"),
            Some(open(480, 1080))
        );
        assert_eq!(parse_value(Price, "ab 49 €"), None);
        assert_eq!(parse_value(Duration, "30 Tage oder 4 Wochen"), None);
        assert_eq!(parse_value(Date, "31.02.2026"), None);
        assert_eq!(parse_value(Percentage, ""), None);
    }

    fn assert_well_formed(text: &str, found: &[Found]) {
        let mut last_end = 0;
        for f in found {
            assert!(f.start < f.end && f.end <= text.len(), "{f:?}");
            assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
            assert!(f.start >= last_end, "overlap or order: {found:?}");
            last_end = f.end;
        }
    }

    /// Text made of what the numeric patterns are made of: numbers with marks, white space,
    /// hyphens, units, number words and percent signs.
    fn numeric_text() -> impl Strategy<Value = String> {
        const NUMERIC_PIECES: &str = ".|,| |  |\u{a0}|-|/|%|x|Tage|tagen|Wochen|Monate|h|Std|\
            business days|week|Prozent|percent|drei|zwei Wochen|eines Tages|a week|12.|2026|\
            31. 12. 26|1.2.2026|2026-12-31|12/31/2026|DREI|tägig|twenty|one|hundert|eine|\
            ein Jahr|an hour|Einen|ſechs|€|$|US$|EUR|eur|USD|Euro|Cent|ct|19,99|1.299,00|\
            1'299|,-|,--|–|—|£|CHF|:|:00|.30|am|a.m.|PM|p.m|Uhr|uhr|bis|to|und|and|von|From|\
            zwischen|8|18|9:00|Uhrzeit|hours|amount|undo|zwölf|per cent|one hundred|twenty one|twenty-one|days";
        let piece = prop_oneof![
            "[0-9]{1,5}",
            prop::sample::select(NUMERIC_PIECES.split('|').collect::<Vec<_>>())
                .prop_map(str::to_owned),
        ];
        prop::collection::vec(piece, 0..12).prop_map(|pieces| pieces.concat())
    }

    proptest::proptest! {
        /// With letters beyond ASCII right at the places the word boundaries look at.
        #[test]
        fn matches_found_by_way_of_ascii_boundaries_are_the_patterns_own(
            pieces in prop::collection::vec(
                prop_oneof![
                    numeric_text(),
                    prop::sample::select(vec!["ä", "ß", "é", "hä", "8ä", "ä8", "Uhrä", "eurä", "äeur", "bisä", "amä"])
                        .prop_map(str::to_owned),
                ],
                0..6,
            ),
        ) {
            let text = pieces.concat();
            for (quick, exact) in [(&PRICE_QUICK_RE, &PRICE_RE), (&HOURS_QUICK_RE, &HOURS_RE)] {
                let via: Vec<_> = matches_via(quick, exact, &text).map(|m| m.range()).collect();
                let own: Vec<_> = exact.find_iter(&text).map(|m| m.range()).collect();
                prop_assert_eq!(via, own);
            }
        }
    }

    /// The hand splits on the ways of writing that their rules single out, against the
    /// patterns' own groups (the property below tries the pieces in any order).
    #[test]
    fn the_hand_splits_agree_with_the_groups_on_the_ways_values_are_written() {
        let text = "30 Tage, 2-wöchig, 1.5 h, drei Wochen, drei-tägig, dreitägig, twenty one days, twenty-one days, one hundred Tage, \
            eine Woche, eines Tages, ein Jahr, a week, an hour, EINEN Monat; \
            19,99 €, 19,-- €, 19,– EUR, 1.299,- Euro, 1'299 CHF, € 5, US$19.99, EUR 1.000,00, \
            99 ct, 5 Cent; 31. 12. 2026, 1.2.26, 2026-12-31, 12/31/2026; 12,5 %, 3.5 percent.";
        let mut split = 0;
        for whole in DURATION_RE.find_iter(text) {
            let caps = DURATION_RE
                .captures_at(text, whole.start())
                .expect("the same match");
            assert_eq!(
                duration_parts(text, whole),
                duration_parts_by_groups(&caps),
                "{whole:?}"
            );
            split += 1;
        }
        for whole in PRICE_RE.find_iter(text) {
            let caps = PRICE_RE
                .captures_at(text, whole.start())
                .expect("the same match");
            let parts = price_parts(whole).expect("parts");
            let amount = caps.name("a1").or(caps.name("a2")).expect("an amount");
            let currency = caps.name("cb").or(caps.name("ca")).expect("a currency");
            assert_eq!(
                (parts.at, parts.amount, parts.currency, parts.currency_first),
                (
                    amount.start(),
                    amount.as_str(),
                    currency.as_str(),
                    caps.name("cb").is_some()
                ),
                "{whole:?}"
            );
            split += 1;
        }
        assert_eq!(split, 15 + 10, "every duration and price above was found");
        let percentages = "12,5 %, 3.5 per cent, zwölf Prozent, Zwanzig prozent, twenty percent, \
            one hundred percent, twenty one percent, fuenfzig Prozent.";
        for whole in PERCENT_RE.find_iter(percentages) {
            let caps = PERCENT_RE
                .captures_at(percentages, whole.start())
                .expect("the same match");
            let parts = percentage_parts(percentages, whole);
            assert_eq!(parts, percentage_parts_by_groups(&caps), "{whole:?}");
            split += 1;
        }
        assert_eq!(split, 15 + 10 + 8, "every percentage above was found");
        let hours = "8–18 Uhr, von 8 bis 18 Uhr, 8:00–18:00 Uhr, Mo–Fr 8–18 Uhr, 08:00 - 18:00, \
            8am–6pm, 8:00 to 18:00, from 8 am to 6 pm, 9 a.m. until 5 p.m., zwischen 8 und 9, \
            8h-18h, 8.30 - 12 h, 10 UHR BIS 12 UHR, 9 am-5pmx 4, 12 - 1.";
        let mut read = 0;
        for whole in HOURS_RE.find_iter(hours) {
            let caps = HOURS_RE
                .captures_at(hours, whole.start())
                .expect("the same match");
            assert_eq!(
                hours_parts(whole),
                hours_parts_by_groups(&caps),
                "{whole:?}"
            );
            read += 1;
        }
        assert_eq!(read, 15, "every time above was found");
    }

    proptest! {
        /// Wherever the hand splits read a match, they yield the groups the regex itself
        /// would capture.
        #[test]
        fn the_hand_splits_agree_with_the_patterns_groups(text in numeric_text()) {
            for whole in DURATION_RE.find_iter(&text) {
                let caps = DURATION_RE.captures_at(&text, whole.start()).expect("the same match");
                prop_assert_eq!(caps.get(0).map(|m| m.range()), Some(whole.range()));
                prop_assert_eq!(duration_parts(&text, whole), duration_parts_by_groups(&caps));
            }
            for whole in PERCENT_RE.find_iter(&text) {
                let caps = PERCENT_RE.captures_at(&text, whole.start()).expect("the same match");
                prop_assert_eq!(percentage_parts(&text, whole), percentage_parts_by_groups(&caps));
            }
            for whole in PRICE_RE.find_iter(&text) {
                let caps = PRICE_RE.captures_at(&text, whole.start()).expect("the same match");
                let (amount, currency) = match (caps.name("a1"), caps.name("cb")) {
                    (Some(amount), Some(currency)) => (amount, currency),
                    _ => (caps.name("a2").expect("an amount"), caps.name("ca").expect("a currency")),
                };
                prop_assert_eq!(
                    price_parts(whole),
                    Some(PriceParts {
                        at: amount.start(),
                        amount: amount.as_str(),
                        currency: currency.as_str(),
                        currency_first: caps.name("cb").is_some(),
                    })
                );
            }
            for whole in HOURS_RE.find_iter(&text) {
                let caps = HOURS_RE.captures_at(&text, whole.start()).expect("the same match");
                prop_assert_eq!(hours_parts(whole), hours_parts_by_groups(&caps));
            }
            for (re, names, mark) in [
                (&*DATE_DMY_RE, ["d", "m", "y"], '.'),
                (&*DATE_ISO_RE, ["y", "m", "d"], '-'),
                (&*DATE_SLASH_RE, ["a", "b", "y"], '/'),
            ] {
                for caps in re.captures_iter(&text) {
                    let whole = caps.get(0).expect("a match");
                    let groups = names.map(|n| caps.name(n).expect("a group").as_str());
                    prop_assert_eq!(three_numbers(whole, mark), Some(groups));
                }
            }
        }
    }

    proptest! {
        #[test]
        fn finding_never_panics_and_ranges_are_sound(text in any::<String>()) {
            for kind in ValueKind::ALL {
                assert_well_formed(&text, &find_values(kind, &text));
            }
        }

        #[test]
        fn finding_in_value_like_text_is_sound(
            text in "[0-9 .,:/()+€$%@a-zA-Z–äöüß\u{a0}-]{0,80}"
        ) {
            for kind in ValueKind::ALL {
                let found = find_values(kind, &text);
                assert_well_formed(&text, &found);
                for f in found {
                    prop_assert_eq!(f.value.kind(), kind);
                }
            }
        }

        #[test]
        fn durations_round_trip(h in 0u32..2_000_000) {
            let value = hours(h);
            prop_assert_eq!(parse_value(ValueKind::Duration, &value.to_string()), Some(value));
        }

        #[test]
        fn prices_round_trip(
            cents in 0i64..1_000_000_000_000,
            currency in prop::sample::select(vec!["EUR", "USD", "GBP", "CHF"]),
        ) {
            let value = Value::Price { cents, currency: currency.into() };
            prop_assert_eq!(parse_value(ValueKind::Price, &value.to_string()), Some(value));
        }

        #[test]
        fn percentages_round_trip(basis_points in 0i64..10_000_000) {
            let value = percent(basis_points);
            prop_assert_eq!(parse_value(ValueKind::Percentage, &value.to_string()), Some(value));
        }

        #[test]
        fn hours_round_trip(o in 0u16..1440, c in 0u16..=1440) {
            let value = open(o, c);
            prop_assert_eq!(parse_value(ValueKind::Hours, &value.to_string()), Some(value));
        }

        #[test]
        fn dates_round_trip(y in 1000i16..=9999, m in 1i8..=12, d in 1i8..=31) {
            if let Ok(day) = Date::new(y, m, d) {
                let value = Value::Date { date: day };
                prop_assert_eq!(parse_value(ValueKind::Date, &value.to_string()), Some(value));
            }
        }

        #[test]
        fn phones_round_trip(rest in "[1-9][0-9]{5,12}") {
            let value = phone(&format!("49{rest}"));
            prop_assert_eq!(parse_value(ValueKind::Phone, &value.to_string()), Some(value));
        }
    }
}
