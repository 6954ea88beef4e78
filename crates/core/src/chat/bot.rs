//! The chat bot: answers a customer's question from what the company has decided, and from
//! nothing else. Its sources are the guideline's facts in force (with their canonical values),
//! the library's question-and-answer passages, and the chat's opening hours. An answer is
//! retrieved, never composed: the bot says a fact's canonical value or a passage as published,
//! and names where it comes from.
//!
//! A passage is a source only when every value it states (a price, a period, a phone number, …)
//! is the canonical value of a fact in force and the checker finds nothing against it: so the
//! bot and the guideline cannot disagree, and a page that says "59 €" where the guideline says
//! "49 €" is left out, and listed as left out, instead of being repeated.
//!
//! Ranking is Okapi BM25 over the terms [`Words`] makes. Whether to answer at all
//! is decided apart from the ranking: the share of the question's words, weighted by how
//! rarely they occur in the sources, that the best source contains. A question about something
//! no source mentions ("Do you sell cars?") covers little and is handed to a person.

use std::collections::{HashMap, HashSet};

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

use super::lexicon::{LIGHT, kind_words};
use super::words::{Intent, Word, Words};
use crate::consistency::library::ContentFields;
use crate::consistency::value::{Value, ValueKind, find_values};
use crate::consistency::{Checker, Content, Fact, FindingKind, Guideline};
use crate::priority::Language;
use crate::sla::{Hours, next_open};

/// The least share of a question's weighted words the best source must contain for the bot
/// to answer. Below it the bot says it is not sure and offers a person.
pub const CONFIDENCE_THRESHOLD: f64 = 0.6;

/// How much a question word of [`LIGHT`] weighs against its rarity.
const LIGHT_WEIGHT: f64 = 0.25;

/// A text of the library as the bot reads it.
#[derive(Debug, Clone, Copy)]
pub struct LibraryText<'a> {
    pub id: i64,
    pub fields: &'a ContentFields,
}

/// What an answer comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Citation {
    /// A fact of the guideline, with its canonical value.
    Fact {
        key: String,
        label: String,
        value: String,
    },
    /// A question-and-answer passage of the library.
    Passage {
        content_id: i64,
        /// The text's title.
        title: String,
        /// The passage's question.
        question: String,
        /// Where the text is published, if known.
        url: String,
        /// The facts the passage states, each with its canonical value.
        facts: Vec<CitedFact>,
    },
    /// The chat's opening hours.
    OpeningHours,
}

/// A fact a passage states.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CitedFact {
    pub key: String,
    pub label: String,
    pub value: String,
}

/// The bot's reply to one message.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reply {
    /// An answer from one source.
    Answer {
        text: String,
        source: Citation,
        /// The share of the question's weighted words the source contains, 0–1.
        confidence: f64,
    },
    /// No source answers it well enough: the bot says so and offers a person.
    NotSure { text: String, confidence: f64 },
    /// The customer asked for a person.
    Person { text: String },
    /// A greeting answered with an offer to help.
    Greeting { text: String },
    /// Thanks answered.
    Thanks { text: String },
}

impl Reply {
    /// What the customer reads.
    pub fn text(&self) -> &str {
        match self {
            Reply::Answer { text, .. }
            | Reply::NotSure { text, .. }
            | Reply::Person { text }
            | Reply::Greeting { text }
            | Reply::Thanks { text } => text,
        }
    }
}

/// A passage or fact the bot does not use, and why: for the people who keep the sources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeftOut {
    /// `facts/return-period` or `content/12`.
    pub source: String,
    /// The fact's label, or the passage's question.
    pub title: String,
    pub reason: LeftOutReason,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum LeftOutReason {
    /// The fact has no canonical value to state.
    NoValue,
    /// The passage states a value no fact in force holds.
    UnknownValue { written: String },
    /// The checker finds the passage against the guideline.
    Finding { finding: FindingKind },
}

/// One source the bot may answer from.
#[derive(Debug, Clone)]
struct Source {
    citation: Citation,
    language: Option<Language>,
    /// What the bot says; empty for the opening hours, which are said at the time of asking.
    answer: String,
    /// Every term of the source.
    terms: HashSet<String>,
    /// The terms of what the source is about: a passage's question and the facts it states.
    about: HashSet<String>,
    /// The terms of each word of the passage's question, or of the fact's label.
    question: Vec<Vec<String>>,
}

impl Source {
    fn new(citation: Citation, language: Option<Language>, answer: String, read: Read) -> Source {
        Source {
            citation,
            language,
            answer,
            terms: read.terms,
            about: read.about,
            question: read.question,
        }
    }
}

/// A source's words as the bot reads them.
struct Read {
    terms: HashSet<String>,
    about: HashSet<String>,
    question: Vec<Vec<String>>,
}

impl Read {
    /// `question` says what the source is about, `about` adds words that say so too, `body`
    /// the rest; every folded word is kept in the vocabulary with its terms.
    fn new(
        words: &Words,
        vocabulary: &mut HashMap<String, Vec<String>>,
        question: &str,
        about: &str,
        body: &str,
    ) -> Read {
        let question: Vec<Word> = words.read(question);
        let mut read = Read {
            terms: HashSet::new(),
            about: HashSet::new(),
            question: question.iter().map(|w| w.terms.clone()).collect(),
        };
        for word in question.into_iter().chain(words.read(about)) {
            read.about.extend(word.terms.iter().cloned());
            read.learn(vocabulary, word);
        }
        for word in words.read(body) {
            read.learn(vocabulary, word);
        }
        read
    }

    fn learn(&mut self, vocabulary: &mut HashMap<String, Vec<String>>, word: Word) {
        self.terms.extend(word.terms.iter().cloned());
        vocabulary.entry(word.folded).or_insert(word.terms);
    }
}

/// BM25's saturation and length normalisation, at their usual values. A source holds each
/// term once, so saturation only scales; the length normalisation favours short sources.
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// The bot, built from the sources of one moment; rebuilt when they change.
pub struct Bot {
    words: Words,
    sources: Vec<Source>,
    /// The mean number of terms a source holds, for BM25's length normalisation.
    average_terms: f64,
    /// How many sources hold each term.
    document_frequency: HashMap<String, usize>,
    /// Every folded word of the sources with its terms, for typos and compounds.
    vocabulary: HashMap<String, Vec<String>>,
    /// Whether some passage is written in German, in English.
    passages_in: [bool; 2],
    left_out: Vec<LeftOut>,
}

/// Words that ask whether someone is there now; they make the opening hours' source.
const OPENING_HOURS_WORDS: &str = "jetzt geöffnet erreichbar heute Wochenende Feiertag \
     Sonntag Samstag now open available today weekend holiday Sunday Saturday";

impl Bot {
    /// The bot over the facts in force on `today`, the library's passages and, when the chat
    /// has opening hours, those.
    pub fn new(
        guideline: &Guideline,
        library: &[LibraryText<'_>],
        with_opening_hours: bool,
        today: Date,
    ) -> Bot {
        let words = Words::new();
        let mut sources = Vec::new();
        let mut left_out = Vec::new();
        let mut vocabulary = HashMap::new();
        let facts: Vec<_> = guideline
            .facts
            .iter()
            .filter(|f| f.valid_on(today))
            .collect();
        let canonical: Vec<Value> = facts.iter().filter_map(|f| f.canonical()).collect();
        let checker = Checker::new(guideline, today).ok();
        let mut stated_anywhere: HashSet<String> = HashSet::new();
        for text in library.iter().filter(|t| t.fields.valid_on(today)) {
            for passage in passages(&text.fields.body) {
                let whole = format!("{}\n{}", passage.question, passage.answer);
                let checked = match (unknown_value(&whole, &canonical), &checker) {
                    (Some(reason), _) => Err(reason),
                    (None, Some(checker)) => checked(checker, guideline, text, &whole),
                    (None, None) => Ok(Vec::new()),
                };
                let cited = match checked {
                    Ok(cited) => cited,
                    Err(reason) => {
                        left_out.push(LeftOut {
                            source: format!("content/{}", text.id),
                            title: passage.question.clone(),
                            reason,
                        });
                        continue;
                    }
                };
                // A passage is about its question, the facts it states and what its values
                // answer ("what does it cost" for a price).
                let mut about = String::new();
                for fact in facts
                    .iter()
                    .filter(|f| cited.iter().any(|c| c.key == f.key))
                {
                    stated_anywhere.insert(fact.key.clone());
                    about.push_str(&fact_words(fact));
                    about.push(' ');
                }
                for kind in ValueKind::ALL {
                    if !find_values(kind, &whole).is_empty() {
                        about.push_str(kind_words(kind));
                        about.push(' ');
                    }
                }
                let read = Read::new(
                    &words,
                    &mut vocabulary,
                    &passage.question,
                    &about,
                    &passage.answer,
                );
                sources.push(Source::new(
                    Citation::Passage {
                        content_id: text.id,
                        title: text.fields.title.clone(),
                        question: passage.question.clone(),
                        url: text.fields.url.clone(),
                        facts: cited,
                    },
                    Language::parse(&text.fields.language),
                    passage.answer.clone(),
                    read,
                ));
            }
        }
        // A fact no passage states answers by itself, with its label and canonical value.
        for fact in facts.iter().filter(|f| !stated_anywhere.contains(&f.key)) {
            let Some(value) = fact.value.as_deref().filter(|_| fact.canonical().is_some()) else {
                left_out.push(LeftOut {
                    source: format!("facts/{}", fact.key),
                    title: fact.label.clone(),
                    reason: LeftOutReason::NoValue,
                });
                continue;
            };
            let about = format!("{} {}", fact.keywords.join(" "), kind_words(fact.kind));
            let read = Read::new(&words, &mut vocabulary, &fact.label, &about, "");
            sources.push(Source::new(
                Citation::Fact {
                    key: fact.key.clone(),
                    label: fact.label.clone(),
                    value: value.to_owned(),
                },
                None,
                format!("{}: {value}", fact.label),
                read,
            ));
        }
        if with_opening_hours {
            let read = Read::new(&words, &mut vocabulary, "", OPENING_HOURS_WORDS, "");
            sources.push(Source::new(
                Citation::OpeningHours,
                None,
                String::new(),
                read,
            ));
        }
        Bot::index(
            words,
            sources,
            vocabulary,
            library_languages(library),
            left_out,
        )
    }

    fn index(
        words: Words,
        sources: Vec<Source>,
        vocabulary: HashMap<String, Vec<String>>,
        passages_in: [bool; 2],
        left_out: Vec<LeftOut>,
    ) -> Bot {
        let mut document_frequency: HashMap<String, usize> = HashMap::new();
        for source in &sources {
            for term in &source.terms {
                *document_frequency.entry(term.clone()).or_default() += 1;
            }
        }
        let average_terms = if sources.is_empty() {
            1.0
        } else {
            sources.iter().map(|s| s.terms.len()).sum::<usize>() as f64 / sources.len() as f64
        };
        Bot {
            words,
            sources,
            average_terms,
            document_frequency,
            vocabulary,
            passages_in,
            left_out,
        }
    }

    /// The facts and passages the bot does not use, and why.
    pub fn left_out(&self) -> &[LeftOut] {
        &self.left_out
    }

    /// How many sources the bot answers from.
    pub fn source_count(&self) -> usize {
        self.sources.len()
    }

    /// The reply to `message` in `language`; `hours` are the chat's opening hours, read at
    /// `now` when the customer asks whether someone is there.
    pub fn reply(
        &self,
        message: &str,
        language: Language,
        hours: Option<&Hours>,
        now: Timestamp,
    ) -> Reply {
        let say = |de: &str, en: &str| match language {
            Language::De => de.to_owned(),
            Language::En => en.to_owned(),
        };
        match self.words.intent(message) {
            Intent::Person => {
                return Reply::Person {
                    text: say(
                        "Gern verbinde ich Sie mit einer Person aus unserem Team.",
                        "I'll connect you with a person from our team.",
                    ),
                };
            }
            Intent::Greeting => {
                return Reply::Greeting {
                    text: say(
                        "Hallo! Was möchten Sie wissen? Sie können jederzeit auch mit einer Person sprechen.",
                        "Hello! What would you like to know? You can talk to a person at any time.",
                    ),
                };
            }
            Intent::Thanks => {
                return Reply::Thanks {
                    text: say(
                        "Gern geschehen! Kann ich noch etwas für Sie tun?",
                        "You're welcome! Is there anything else I can do for you?",
                    ),
                };
            }
            Intent::Question => {}
        }
        let not_sure = |confidence: f64| Reply::NotSure {
            text: say(
                "Da bin ich mir nicht sicher, und raten möchte ich nicht. Soll sich eine Person aus unserem Team darum kümmern?",
                "I'm not sure about that, and I'd rather not guess. Shall a person from our team take care of it?",
            ),
            confidence,
        };
        let Some((best, confidence)) = self.best_source(message, language) else {
            return not_sure(0.0);
        };
        if confidence < CONFIDENCE_THRESHOLD {
            return not_sure(confidence);
        }
        let source = &self.sources[best];
        let text = match source.citation {
            Citation::OpeningHours => match hours {
                Some(hours) => opening_hours_text(hours, now, language),
                None => return not_sure(confidence),
            },
            _ => source.answer.clone(),
        };
        Reply::Answer {
            text,
            source: source.citation.clone(),
            confidence,
        }
    }

    /// The best source for a question and the weighted share of the question's words it
    /// contains; `None` when the question has no word that means something.
    fn best_source(&self, message: &str, language: Language) -> Option<(usize, f64)> {
        let asked: Vec<(Word, Vec<String>)> = self
            .words
            .read(message)
            .into_iter()
            .map(|word| {
                let found = self.known_terms(&word);
                (word, found)
            })
            .collect();
        if asked.is_empty() {
            return None;
        }
        let mut query: Vec<&str> = asked
            .iter()
            .flat_map(|(_, found)| found.iter().map(String::as_str))
            .collect();
        query.sort_unstable();
        query.dedup();
        let in_language = self.passages_in[language_index(language)];
        let weights: Vec<f64> = asked
            .iter()
            .map(|(word, found)| {
                let weight = if found.is_empty() {
                    self.rarity_of_unknown()
                } else {
                    found.iter().map(|t| self.rarity(t)).fold(0.0, f64::max)
                };
                if LIGHT.contains(&word.folded.as_str()) {
                    weight * LIGHT_WEIGHT
                } else {
                    weight
                }
            })
            .collect();
        let total: f64 = weights.iter().sum();
        let share = |terms: &HashSet<String>| {
            let covered: f64 = asked
                .iter()
                .zip(&weights)
                .filter(|((_, found), _)| found.iter().any(|t| terms.contains(t)))
                .map(|(_, w)| w)
                .sum();
            if total > 0.0 { covered / total } else { 0.0 }
        };
        // Ranked by how much of the question the source holds, how much of it the source is
        // about, and how much of the source's own question was asked; BM25 breaks ties.
        let mut best: Option<(usize, f64, f64)> = None;
        for id in self.ranked(&query) {
            let source = &self.sources[id];
            if in_language && source.language.is_some_and(|l| l != language) {
                continue;
            }
            let coverage = share(&source.terms);
            let asked_of_question = if source.question.is_empty() {
                0.0
            } else {
                let hit = source
                    .question
                    .iter()
                    .filter(|terms| terms.iter().any(|t| query.contains(&t.as_str())))
                    .count();
                hit as f64 / source.question.len() as f64
            };
            let rank = coverage + 0.5 * share(&source.about) + 0.25 * asked_of_question;
            if best.is_none_or(|(_, _, r)| rank > r) {
                best = Some((id, coverage, rank));
            }
        }
        best.map(|(id, coverage, _)| (id, coverage))
    }

    /// The terms of the sources a word of a question stands for: its own stems when the
    /// sources hold them, else the words it is a typo of or a part of.
    fn known_terms(&self, word: &Word) -> Vec<String> {
        let own: Vec<String> = word
            .terms
            .iter()
            .filter(|t| self.document_frequency.contains_key(*t))
            .cloned()
            .collect();
        if !own.is_empty() {
            return own;
        }
        let asked = word.folded.as_str();
        let mut near: Vec<String> = self
            .vocabulary
            .iter()
            .filter(|(known, _)| resembles(asked, known))
            .flat_map(|(_, terms)| terms.iter().cloned())
            .collect();
        near.sort_unstable();
        near.dedup();
        near
    }

    /// The sources that hold a term of the query, by their BM25 score, best first (the
    /// earlier source first among equals).
    fn ranked(&self, query: &[&str]) -> Vec<usize> {
        let mut scored: Vec<(usize, f64)> = self
            .sources
            .iter()
            .enumerate()
            .filter_map(|(id, source)| {
                let length = source.terms.len() as f64 / self.average_terms;
                let saturation = (K1 + 1.0) / (1.0 + K1 * (1.0 - B + B * length));
                let score: f64 = query
                    .iter()
                    .filter(|t| source.terms.contains(**t))
                    .map(|t| self.rarity(t) * saturation)
                    .sum();
                (score > 0.0).then_some((id, score))
            })
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1));
        scored.into_iter().map(|(id, _)| id).collect()
    }

    /// BM25's inverse document frequency of a term over the sources.
    fn rarity(&self, term: &str) -> f64 {
        let n = self.sources.len() as f64;
        let df = self.document_frequency.get(term).copied().unwrap_or(0) as f64;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    /// The weight of a word no source holds: as rare as a term of one source, so one unknown
    /// word of substance outweighs a common known one.
    fn rarity_of_unknown(&self) -> f64 {
        let n = self.sources.len() as f64;
        (1.0 + (n - 0.5) / 1.5).ln()
    }
}

/// Whether a word of a question is a typo of a known term, or a compound's part or whole.
fn resembles(asked: &str, known: &str) -> bool {
    let (a, k) = (asked.chars().count(), known.chars().count());
    if a < 4 || k < 4 {
        return false;
    }
    if a >= 5 && k >= 5 && (known.starts_with(asked) || asked.starts_with(known)) {
        return true;
    }
    if a >= 6 && k >= 5 && (asked.ends_with(known) || known.ends_with(asked)) {
        return true;
    }
    let allowed = if a.min(k) >= 8 { 2 } else { 1 };
    a.abs_diff(k) <= allowed && strsim::damerau_levenshtein(asked, known) <= allowed
}

/// A fact's label and keywords, as words to find it by.
fn fact_words(fact: &Fact) -> String {
    format!("{} {}", fact.label, fact.keywords.join(" "))
}

fn language_index(language: Language) -> usize {
    match language {
        Language::De => 0,
        Language::En => 1,
    }
}

fn library_languages(library: &[LibraryText<'_>]) -> [bool; 2] {
    let mut found = [false; 2];
    for text in library {
        if let Some(language) = Language::parse(&text.fields.language) {
            found[language_index(language)] = true;
        }
    }
    found
}

/// A question of the library and its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Passage {
    question: String,
    answer: String,
}

/// The question-and-answer passages of a text: a line ending in a question mark opens one,
/// and the lines up to the next question are its answer.
fn passages(body: &str) -> Vec<Passage> {
    let mut out: Vec<Passage> = Vec::new();
    let mut open: Option<Passage> = None;
    for line in body.lines() {
        let line = collapse_spaces(line);
        // Plain text of HTML ends each block with a lone full stop, so a heading stays apart
        // from the sentence after it; Markdown marks headings and list items.
        let line = line.strip_suffix(" .").unwrap_or(&line);
        let line = line.trim_start_matches(['.', '#', '*', '-', ' ']).trim();
        if line.is_empty() {
            continue;
        }
        if line.ends_with('?') {
            out.extend(open.take().filter(|p| !p.answer.is_empty()));
            open = Some(Passage {
                question: line.to_owned(),
                answer: String::new(),
            });
        } else if let Some(passage) = open.as_mut() {
            if !passage.answer.is_empty() {
                passage.answer.push(' ');
            }
            passage.answer.push_str(line);
        }
    }
    out.extend(open.filter(|p| !p.answer.is_empty()));
    out
}

fn collapse_spaces(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first value a passage states that no fact in force holds as its canonical value.
fn unknown_value(text: &str, canonical: &[Value]) -> Option<LeftOutReason> {
    for kind in ValueKind::ALL {
        for found in find_values(kind, text) {
            if !canonical.contains(&found.value) {
                return Some(LeftOutReason::UnknownValue {
                    written: text[found.start..found.end].to_owned(),
                });
            }
        }
    }
    None
}

/// One scan of a passage by the checker: the facts it states, with their canonical values,
/// once each; or why it is left out, a finding against it (a contradiction, a tone rule
/// broken). A required term is the whole text's duty, not a passage's.
fn checked(
    checker: &Checker<'_>,
    guideline: &Guideline,
    text: &LibraryText<'_>,
    passage: &str,
) -> Result<Vec<CitedFact>, LeftOutReason> {
    let content = Content {
        source: format!("content/{}", text.id),
        title: text.fields.title.clone(),
        channel: text.fields.channel.clone(),
        text: passage.to_owned(),
    };
    let (mentions, findings) = checker.scan(&content);
    if let Some(finding) = findings.iter().find(|f| f.kind != FindingKind::MissingTerm) {
        return Err(LeftOutReason::Finding {
            finding: finding.kind,
        });
    }
    let mut cited: Vec<CitedFact> = Vec::new();
    for mention in mentions {
        let Some(fact) = guideline.facts.get(mention.fact) else {
            continue;
        };
        if cited.iter().any(|c| c.key == fact.key) {
            continue;
        }
        if let Some(value) = &fact.value {
            cited.push(CitedFact {
                key: fact.key.clone(),
                label: fact.label.clone(),
                value: value.clone(),
            });
        }
    }
    Ok(cited)
}

/// Whether a person is there now, or from when.
fn opening_hours_text(hours: &Hours, now: Timestamp, language: Language) -> String {
    let de = language == Language::De;
    match (hours, next_open(hours, now)) {
        (Hours::AlwaysOpen, _) => if de {
            "Unser Team ist rund um die Uhr für Sie da."
        } else {
            "Our team is there for you around the clock."
        }
        .to_owned(),
        (_, Some(open)) if open <= now => if de {
            "Ja, unser Team ist gerade für Sie da. Wenn Sie möchten, übernimmt eine Person Ihren Chat."
        } else {
            "Yes, our team is there right now. If you like, a person takes over your chat."
        }
        .to_owned(),
        (Hours::Business(calendar), Some(open)) => {
            let local = open.to_zoned(calendar.time_zone().clone());
            let day = crate::written::weekday(local.weekday(), !de);
            let at = format!("{:02}:{:02}", local.hour(), local.minute());
            if de {
                format!(
                    "Gerade ist niemand aus unserem Team da. Eine Person antwortet ab {day}, {}, {at} Uhr; Ihre Frage können Sie schon jetzt hinterlassen.",
                    local.strftime("%d.%m.")
                )
            } else {
                format!(
                    "Nobody from our team is here right now. A person answers from {day}, {}, {at}; you can leave your question now.",
                    local.strftime("%-d %B")
                )
            }
        }
        (Hours::Business(_), None) => if de {
            "Gerade ist niemand aus unserem Team da."
        } else {
            "Nobody from our team is here right now."
        }
        .to_owned(),
    }
}
