//! The built-in cue words: German and English words and phrases that show a request is urgent
//! or that the customer is upset, the words that negate them, and the idioms that only look
//! like a cue.
//!
//! Each entry is a stem plus the endings it may take within the same word. A stem that may
//! begin compounds takes any ending ("Kündigungsfrist" is about cancelling); one whose
//! compounds mean something else lists its inflections only ("Sofortüberweisung" is a way to
//! pay, not a hurry; "Fristenlösung" and "fristgerecht" are no deadline).

use super::cues::{CueKind, Language};

/// Which texts an entry is looked for in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Languages {
    German,
    English,
    /// Loan words German writers use as well ("asap", "Deadline").
    Both,
}

impl Languages {
    pub(super) fn include(self, language: Option<Language>) -> bool {
        match (self, language) {
            (_, None) | (Both, _) => true,
            (German, Some(language)) => language == Language::De,
            (English, Some(language)) => language == Language::En,
        }
    }
}

/// What a matched entry stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Cue {
        kind: CueKind,
        /// False for words of repetition: "not again!" and "it didn't work again" complain,
        /// the negation belongs to the verb, not to the repetition.
        negatable: bool,
    },
    /// An idiom holding a cue word without its meaning ("thanks again"): cues inside it are
    /// ignored.
    Idiom,
}

#[derive(Debug)]
pub(super) struct Entry {
    /// Lower case with umlauts and ß; the ae/oe/ue/ss spellings are derived from it.
    pub stem: &'static str,
    /// What may follow the stem within the same word, in lower-case ASCII: `""` nothing,
    /// `"en"` exactly that, `"de*"` anything starting with `de`, `"*"` anything.
    pub endings: &'static [&'static str],
    pub role: Role,
    pub languages: Languages,
}

const WHOLE: &[&str] = &[""];
const PLURAL: &[&str] = &["", "s"];
const ANY: &[&str] = &["*"];
const ADJECTIVE: &[&str] = &["", "e", "em", "en", "er", "es"];
const ADJECTIVE_SUPERLATIVE: &[&str] = &[
    "", "e", "em", "en", "er", "es", "st", "ste", "stem", "sten", "ster", "stes",
];

const fn urgent(
    languages: Languages,
    stem: &'static str,
    endings: &'static [&'static str],
) -> Entry {
    Entry {
        stem,
        endings,
        role: Role::Cue {
            kind: CueKind::Urgent,
            negatable: true,
        },
        languages,
    }
}

const fn negative(
    languages: Languages,
    stem: &'static str,
    endings: &'static [&'static str],
) -> Entry {
    Entry {
        stem,
        endings,
        role: Role::Cue {
            kind: CueKind::Negative,
            negatable: true,
        },
        languages,
    }
}

const fn repetition(
    languages: Languages,
    stem: &'static str,
    endings: &'static [&'static str],
) -> Entry {
    Entry {
        stem,
        endings,
        role: Role::Cue {
            kind: CueKind::Negative,
            negatable: false,
        },
        languages,
    }
}

const fn idiom(languages: Languages, stem: &'static str) -> Entry {
    Entry {
        stem,
        endings: WHOLE,
        role: Role::Idiom,
        languages,
    }
}

use Languages::{Both, English, German};

pub(super) const ENTRIES: &[Entry] = &[
    // German: urgency.
    urgent(German, "dringend", ADJECTIVE_SUPERLATIVE),
    urgent(German, "dringlich", ANY),
    urgent(
        German,
        "sofort",
        &["", "ig", "ige", "igem", "igen", "iger", "iges"],
    ),
    urgent(German, "umgehend", ADJECTIVE),
    urgent(German, "unverzüglich", ADJECTIVE),
    urgent(German, "schnellstmöglich", ADJECTIVE),
    urgent(German, "so schnell wie möglich", WHOLE),
    urgent(German, "eilig", ADJECTIVE_SUPERLATIVE),
    urgent(German, "eilt", WHOLE),
    // "Eile" so that "keine Eile" and "ohne Eile" are seen and negated.
    urgent(German, "eile", WHOLE),
    urgent(German, "notfall", PLURAL),
    urgent(German, "notfälle", &["", "n"]),
    urgent(German, "frist", &["", "en", "setzung"]),
    urgent(German, "letzte mahnung", WHOLE),
    urgent(Both, "asap", WHOLE),
    urgent(Both, "deadline", PLURAL),
    // German: anger, disappointment, and the threat to leave or go to law.
    negative(German, "kündig", ANY),
    negative(German, "gekündigt", ADJECTIVE),
    negative(German, "anwalt", ANY),
    negative(German, "anwält", ANY),
    negative(German, "rechtsanwalt", ANY),
    negative(German, "rechtsanwält", ANY),
    negative(German, "verbraucherzentrale", ANY),
    negative(German, "verbraucherschutz", ANY),
    negative(German, "beschwer", &["e", "en", "t", "st", "de*"]),
    negative(German, "unverschämt", ANY),
    negative(German, "frechheit", &["", "en"]),
    negative(German, "zumutung", &["", "en"]),
    negative(German, "unzumutbar", ANY),
    negative(German, "enttäusch", ANY),
    negative(German, "verärger", ANY),
    negative(German, "ärger", &["", "t", "lich*"]),
    negative(German, "wütend", ADJECTIVE),
    negative(German, "wut", WHOLE),
    negative(German, "katastroph", ANY),
    negative(German, "skandal", ANY),
    negative(German, "inakzeptab", ANY),
    negative(German, "nicht akzeptabel", WHOLE),
    negative(German, "nicht hinnehmbar", WHOLE),
    negative(German, "unzufrieden", ANY),
    negative(German, "nicht zufrieden", WHOLE),
    repetition(German, "zum wiederholten mal", &["", "e"]),
    repetition(German, "schon wieder", WHOLE),
    // English: urgency.
    urgent(English, "urgen", &["t", "tly", "cy"]),
    urgent(English, "immediate", &["", "ly"]),
    urgent(English, "emergenc", &["y", "ies"]),
    // "rush" so that "no rush" is seen and negated.
    urgent(English, "rush", WHOLE),
    urgent(English, "right away", WHOLE),
    urgent(English, "as soon as possible", WHOLE),
    // English: anger, disappointment, and the threat to leave or go to law.
    negative(
        English,
        "cancel",
        &["", "s", "ed", "led", "ing", "ling", "lation", "lations"],
    ),
    negative(English, "lawyer", PLURAL),
    negative(English, "attorney", PLURAL),
    negative(English, "legal action", WHOLE),
    negative(English, "complain", &["", "s", "ed", "ing", "t", "ts"]),
    negative(English, "unacceptable", WHOLE),
    negative(English, "not acceptable", WHOLE),
    negative(English, "disappoint", &["ed", "ing", "ment"]),
    negative(English, "angry", WHOLE),
    negative(English, "furious", WHOLE),
    negative(English, "upset", WHOLE),
    negative(English, "outrage", ANY),
    negative(English, "ridiculous", &["", "ly"]),
    negative(English, "terribl", &["e", "y"]),
    negative(English, "awful", &["", "ly"]),
    negative(English, "unhappy", WHOLE),
    negative(English, "dissatisfied", WHOLE),
    negative(English, "not happy", WHOLE),
    negative(English, "not satisfied", WHOLE),
    negative(English, "fed up", WHOLE),
    repetition(English, "again", WHOLE),
    idiom(English, "thanks again"),
    idiom(English, "thank you again"),
];

/// Words that negate a cue standing at most [`NEGATION_REACH`] words after them.
pub(super) const NEGATIONS_GERMAN: &[&str] = &[
    "nicht",
    "nichts",
    "kein",
    "keine",
    "keinem",
    "keinen",
    "keiner",
    "keines",
    "keinesfalls",
    "keineswegs",
    "ohne",
    "nie",
    "niemals",
];

/// As [`NEGATIONS_GERMAN`]; words ending in "n't" negate as well.
pub(super) const NEGATIONS_ENGLISH: &[&str] = &[
    "not", "no", "nothing", "never", "without", "none", "neither", "nor", "cannot",
];

/// Words that start a new thought: a negation before them does not reach past them
/// ("nicht schlimm aber dringend" is urgent).
pub(super) const CONTRASTS_GERMAN: &[&str] = &[
    "aber",
    "sondern",
    "jedoch",
    "doch",
    "dennoch",
    "trotzdem",
    "allerdings",
];

pub(super) const CONTRASTS_ENGLISH: &[&str] = &["but", "however", "though", "although"];

/// How many words before a cue a negation may stand: "nicht so wirklich dringend" is negated,
/// a "nicht" four words earlier most often belongs to another phrase.
pub(super) const NEGATION_REACH: usize = 3;
