//! Throughput of the consistency checker over a generated corpus of German and English text
//! with 1,000 facts, beside two baselines measured in the same run: the naive one, one regex
//! per fact, each run over all the text, so that its cost grows with facts × text; and one
//! regex over the keywords of all facts, run once over the text.
//!
//! ```text
//! cargo bench -p touchpoints-core --bench consistency
//! cargo bench -p touchpoints-core --bench consistency -- --mb 100 --runs 3 --naive-mb 10
//! ```
//!
//! Options: `--mb N` corpus size in MB (10^6 bytes, default 100), `--facts N` (1000), `--runs N`
//! best of N timed runs (3), `--naive-mb N` prefix the naive baseline is timed on (10),
//! `--naive-budget S` seconds the naive baseline may take over the whole corpus before it is
//! only timed on the prefix and extrapolated (180), `--literal-mb N` prefix for the literal
//! `\b…\b` variant of the baseline (1), `--seed N`, `--only scan|tone|check|keywords|words` (only
//! that, for a profiler: `perf record -g target/release/deps/consistency-… --bench --only scan`;
//! `keywords` times the keyword search alone beside the unanchored automata). Without
//! `--bench` (as under `cargo test --benches`) it runs a small smoke version.
//!
//! Everything is generated from a fixed seed by a small inline PRNG, so every run scans the same
//! text. Timing is `std::time::Instant`, single thread, best of N runs. A reference probe
//! (SHA-256 over 64 MiB, best of 3) is timed before and after the run and printed with the
//! figures, because the speed of a shared machine drifts.

use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use aho_corasick::{AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::Regex;
use sha2::{Digest, Sha256};
use touchpoints_core::consistency::keywords::Keywords;
use touchpoints_core::consistency::tone::{Address, address_marks, word_spans};
use touchpoints_core::consistency::value::{
    Value, ValueKind, find_contacts, find_values, parse_value,
};
use touchpoints_core::consistency::{Checker, Content, Fact, Guideline, TermRule, Tone};

const MB: f64 = 1_000_000.0;

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

struct Config {
    corpus_mb: f64,
    facts: usize,
    runs: usize,
    naive_mb: f64,
    naive_budget: f64,
    literal_mb: f64,
    seed: u64,
    smoke: bool,
    /// `scan`, `tone`, `check` or `keywords`: only that, `runs` times (for a profiler).
    only: Option<String>,
}

impl Config {
    fn from_args() -> Config {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let smoke = !args.iter().any(|a| a == "--bench");
        let mut config = if smoke {
            Config {
                corpus_mb: 0.4,
                facts: 40,
                runs: 1,
                naive_mb: 0.4,
                naive_budget: 30.0,
                literal_mb: 0.1,
                seed: 1,
                smoke,
                only: None,
            }
        } else {
            Config {
                corpus_mb: 100.0,
                facts: 1000,
                runs: 3,
                naive_mb: 10.0,
                naive_budget: 180.0,
                literal_mb: 1.0,
                seed: 1,
                smoke,
                only: None,
            }
        };
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            let mut value = || -> f64 {
                it.next()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or_else(|| panic!("{arg} needs a number"))
            };
            match arg.as_str() {
                "--mb" => config.corpus_mb = value(),
                "--facts" => config.facts = value() as usize,
                "--runs" => config.runs = (value() as usize).max(1),
                "--naive-mb" => config.naive_mb = value(),
                "--naive-budget" => config.naive_budget = value(),
                "--literal-mb" => config.literal_mb = value(),
                "--seed" => config.seed = value() as u64,
                "--only" => config.only = it.next().cloned(),
                _ => {}
            }
        }
        config
    }
}

// ---------------------------------------------------------------------------------------------
// Deterministic randomness: SplitMix64
// ---------------------------------------------------------------------------------------------

struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (the modulo bias is irrelevant here).
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    fn range(&mut self, from: u32, to_inclusive: u32) -> u32 {
        from + self.below((to_inclusive - from + 1) as usize) as u32
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn pick_str(&mut self, items: &[&'static str]) -> &'static str {
        items[self.below(items.len())]
    }

    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

// ---------------------------------------------------------------------------------------------
// The guideline: 1,000 facts of every kind, German and English keywords
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    De,
    En,
}

/// Keyword stems per kind; each fact takes some and appends its number ("Lieferzeit017"), so
/// that keywords of different facts are distinct, as in a real guideline.
fn stems(kind: ValueKind, lang: Lang) -> &'static [&'static str] {
    use ValueKind::*;
    match (kind, lang) {
        (Duration, Lang::De) => &[
            "Rückgabefrist",
            "Lieferzeit",
            "Umtauschfrist",
            "Widerrufsfrist",
            "Garantiezeit",
            "Bearbeitungszeit",
            "Kündigungsfrist",
            "Gewährleistung",
        ],
        (Duration, Lang::En) => &[
            "refund",
            "delivery",
            "warranty",
            "cancellation",
            "exchange",
            "processing",
            "trial",
            "guarantee",
        ],
        (Price, Lang::De) => &[
            "Versandkosten",
            "Mindestbestellwert",
            "Grundgebühr",
            "Expresszuschlag",
            "Monatsbeitrag",
            "Servicepauschale",
            "Aufpreis",
            "Jahresgebühr",
        ],
        (Price, Lang::En) => &[
            "shipping",
            "surcharge",
            "fee",
            "subscription",
            "membership",
            "postage",
            "handling",
            "upgrade",
        ],
        (Phone, Lang::De) => &[
            "Hotline",
            "Kundenservice",
            "Servicenummer",
            "Bestellhotline",
            "Servicetelefon",
            "Beratungstelefon",
            "Störungsnummer",
            "Kundentelefon",
        ],
        (Phone, Lang::En) => &[
            "helpline",
            "support",
            "phone",
            "helpdesk",
            "callcenter",
            "servicedesk",
            "careline",
            "infoline",
        ],
        (Email, Lang::De) => &[
            "Kontaktadresse",
            "Serviceadresse",
            "Beschwerdestelle",
            "Kundenpostfach",
            "Supportadresse",
            "Presseadresse",
            "Bewerbungsadresse",
            "Rechnungsadresse",
        ],
        (Email, Lang::En) => &[
            "email",
            "mailbox",
            "inbox",
            "enquiries",
            "complaints",
            "press",
            "careers",
            "billing",
        ],
        (Url, Lang::De) => &[
            "Hilfeseite",
            "Rücksendeportal",
            "Kundenkonto",
            "Bestellstatus",
            "Onlineshop",
            "Sendungsverfolgung",
            "Produktseite",
            "Karriereseite",
        ],
        (Url, Lang::En) => &[
            "helpcenter",
            "portal",
            "tracking",
            "website",
            "homepage",
            "faq",
            "returnsportal",
            "account",
        ],
        (Hours, Lang::De) => &[
            "Öffnungszeiten",
            "Servicezeiten",
            "Sprechzeiten",
            "Geschäftszeiten",
            "Abholzeiten",
            "Beratungszeiten",
            "Erreichbarkeit",
            "Filialzeiten",
        ],
        (Hours, Lang::En) => &[
            "hours",
            "opening",
            "schedule",
            "availability",
            "storehours",
            "callhours",
            "pickuptimes",
            "servicehours",
        ],
        (Date, Lang::De) => &[
            "Aktionsende",
            "Stichtag",
            "Einsendeschluss",
            "Teilnahmeschluss",
            "Gültigkeitsende",
            "Liefertermin",
            "Veranstaltungstag",
            "Anmeldeschluss",
        ],
        (Date, Lang::En) => &[
            "deadline",
            "closing",
            "expiry",
            "launch",
            "cutoff",
            "enddate",
            "startdate",
            "eventdate",
        ],
        (Percentage, Lang::De) => &[
            "Rabatt",
            "Nachlass",
            "Preisnachlass",
            "Skonto",
            "Treuebonus",
            "Mitarbeiterrabatt",
            "Studentenrabatt",
            "Mengenrabatt",
        ],
        (Percentage, Lang::En) => &[
            "discount",
            "cashback",
            "bonus",
            "reduction",
            "markdown",
            "saving",
            "rebate",
            "commission",
        ],
    }
}

const DOMAINS: [&str; 3] = [
    "nordlicht-wohnen.de",
    "nordlicht.shop",
    "nordlicht-moebel.com",
];
const MAIL_LOCALS: [&str; 8] = [
    "service",
    "kontakt",
    "hilfe",
    "info",
    "support",
    "kundenservice",
    "presse",
    "shop",
];
const URL_SLUGS: [&str; 8] = [
    "hilfe/rueckgabe",
    "service/versand",
    "konto/bestellungen",
    "info/zahlung",
    "help/returns",
    "help/shipping",
    "service/garantie",
    "aktion/winter",
];
const AREAS: [&str; 6] = ["0800", "030", "040", "089", "0221", "069"];
const DURATION_DAYS: [u32; 9] = [7, 14, 21, 28, 30, 60, 90, 100, 365];
const PRICE_CENTS: [u32; 5] = [0, 50, 90, 95, 99];
/// Percentages in tenths of a percent.
const PERCENT_TENTHS: [u32; 10] = [50, 100, 150, 200, 250, 300, 400, 500, 25, 35];
const MONTHS_DE: [&str; 12] = [
    "Januar",
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
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// What a fact's value is, before it is written one way or another.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Params {
    Duration { days: u32 },
    Price { euros: u32, cents: u32 },
    Phone { area: &'static str, number: String },
    Email { local: String, domain: &'static str },
    Url { domain: &'static str, path: String },
    Hours { open: u32, close: u32 },
    Date { y: u32, m: u32, d: u32 },
    Percent { tenths: u32 },
}

fn random_params(kind: ValueKind, n: usize, rng: &mut Rng) -> Params {
    match kind {
        ValueKind::Duration => Params::Duration {
            days: *rng.pick(&DURATION_DAYS),
        },
        ValueKind::Price => Params::Price {
            euros: rng.range(1, 199),
            cents: *rng.pick(&PRICE_CENTS),
        },
        ValueKind::Phone => Params::Phone {
            area: rng.pick_str(&AREAS),
            number: format!("{}", rng.range(1_000_000, 9_999_999)),
        },
        ValueKind::Email => Params::Email {
            local: format!("{}{n:03}", rng.pick(&MAIL_LOCALS)),
            domain: rng.pick_str(&DOMAINS),
        },
        ValueKind::Url => Params::Url {
            domain: rng.pick_str(&DOMAINS),
            path: format!("{}-{n:03}", rng.pick(&URL_SLUGS)),
        },
        ValueKind::Hours => Params::Hours {
            open: rng.range(7, 10),
            close: rng.range(16, 20),
        },
        ValueKind::Date => Params::Date {
            y: rng.range(2026, 2027),
            m: rng.range(1, 12),
            d: rng.range(1, 28),
        },
        ValueKind::Percentage => Params::Percent {
            tenths: *rng.pick(&PERCENT_TENTHS),
        },
    }
}

/// A value different from `canonical`, of the same kind.
fn contradiction(kind: ValueKind, canonical: &Params, n: usize, rng: &mut Rng) -> Params {
    loop {
        let other = random_params(kind, n, rng);
        if &other != canonical {
            return other;
        }
    }
}

/// The form the guideline writes a value in.
fn canonical_text(p: &Params) -> String {
    match p {
        Params::Duration { days } => format!("{days} Tage"),
        Params::Price { euros, cents } => format!("{euros},{cents:02} €"),
        Params::Phone { area, number } => format!("{area} {}", grouped(number)),
        Params::Email { local, domain } => format!("{local}@{domain}"),
        Params::Url { domain, path } => format!("https://www.{domain}/{path}"),
        Params::Hours { open, close } => format!("{open:02}:00–{close:02}:00"),
        Params::Date { y, m, d } => format!("{d:02}.{m:02}.{y}"),
        Params::Percent { tenths } => percent_text(*tenths, ","),
    }
}

/// "1234567" → "123 45 67".
fn grouped(number: &str) -> String {
    format!("{} {} {}", &number[..3], &number[3..5], &number[5..])
}

fn percent_text(tenths: u32, mark: &str) -> String {
    if tenths.is_multiple_of(10) {
        format!("{} %", tenths / 10)
    } else {
        format!("{}{mark}{} %", tenths / 10, tenths % 10)
    }
}

fn number_word(n: u32, lang: Lang) -> Option<String> {
    const DE_ONES: [&str; 10] = [
        "", "ein", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun",
    ];
    const DE_TEENS: [&str; 10] = [
        "zehn",
        "elf",
        "zwölf",
        "dreizehn",
        "vierzehn",
        "fünfzehn",
        "sechzehn",
        "siebzehn",
        "achtzehn",
        "neunzehn",
    ];
    const DE_TENS: [&str; 10] = [
        "", "", "zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig", "achtzig",
        "neunzig",
    ];
    const EN_ONES: [&str; 10] = [
        "", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    ];
    const EN_TEENS: [&str; 10] = [
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const EN_TENS: [&str; 10] = [
        "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    let (ones, teens, tens) = match lang {
        Lang::De => (DE_ONES, DE_TEENS, DE_TENS),
        Lang::En => (EN_ONES, EN_TEENS, EN_TENS),
    };
    let (t, o) = ((n / 10) as usize, (n % 10) as usize);
    Some(match n {
        2..=9 => ones[o].to_owned(),
        10..=19 => teens[o].to_owned(),
        20..=99 if o == 0 => tens[t].to_owned(),
        20..=99 => match lang {
            Lang::De => format!("{}und{}", ones[o], tens[t]),
            Lang::En => format!("{}-{}", tens[t], ones[o]),
        },
        _ => return None,
    })
}

/// A value written one of the ways people write it; `true` when written as "31. Dezember 2026"
/// or "31. 12. 2026", whose ". " a sentence splitter may take for a full stop.
fn render(p: &Params, lang: Lang, rng: &mut Rng) -> (String, bool) {
    let mut options: Vec<String> = Vec::new();
    let mut dotted = None;
    match (p, lang) {
        (Params::Duration { days }, _) => {
            let d = *days;
            let (day, days_word, week, weeks, month, months, year, months_word) = match lang {
                Lang::De => (
                    "Tage",
                    "Tagen",
                    "eine Woche",
                    "Wochen",
                    "einen Monat",
                    "Monate",
                    "ein Jahr",
                    "Monate",
                ),
                Lang::En => (
                    "days",
                    "days",
                    "one week",
                    "weeks",
                    "one month",
                    "months",
                    "one year",
                    "months",
                ),
            };
            options.push(format!("{d} {day}"));
            options.push(format!("{d} {days_word}"));
            if let Some(w) = number_word(d, lang) {
                options.push(format!("{w} {day}"));
            }
            if d == 7 {
                options.push(week.to_owned());
            } else if d.is_multiple_of(7) {
                options.push(format!("{} {weeks}", d / 7));
                if let Some(w) = number_word(d / 7, lang) {
                    options.push(format!("{w} {weeks}"));
                }
            }
            match d {
                30 => options.push(month.to_owned()),
                60 | 90 => options.push(format!("{} {months}", d / 30)),
                365 => {
                    options.push(year.to_owned());
                    options.push(format!("12 {months_word}"));
                }
                _ => {}
            }
        }
        (Params::Price { euros, cents }, Lang::De) => {
            options.push(format!("{euros},{cents:02} €"));
            options.push(format!("{euros},{cents:02} EUR"));
            options.push(format!("{euros},{cents:02} Euro"));
            options.push(format!("€ {euros},{cents:02}"));
            if *cents == 0 {
                options.push(format!("{euros} €"));
                options.push(format!("{euros},- €"));
                options.push(format!("{euros} Euro"));
            }
        }
        (Params::Price { euros, cents }, Lang::En) => {
            options.push(format!("€{euros}.{cents:02}"));
            options.push(format!("{euros}.{cents:02} euros"));
            options.push(format!("EUR {euros}.{cents:02}"));
            if *cents == 0 {
                options.push(format!("€{euros}"));
            }
        }
        (Params::Phone { area, number }, _) => {
            let national = &area[1..];
            options.push(format!("{area} {}", grouped(number)));
            options.push(format!("+49 {national} {number}"));
            options.push(format!("+49 (0){national} {number}"));
            if lang == Lang::De {
                options.push(format!("{area}/{number}"));
                options.push(format!("{area}-{number}"));
                options.push(format!("({area}) {number}"));
            }
        }
        (Params::Email { local, domain }, _) => {
            options.push(format!("{local}@{domain}"));
            options.push(format!("{}@{}", capitalised(local), capitalised(domain)));
        }
        (Params::Url { domain, path }, _) => {
            options.push(format!("https://www.{domain}/{path}"));
            options.push(format!("www.{domain}/{path}"));
            options.push(format!("https://{domain}/{path}/"));
            options.push(format!("http://www.{domain}/{path}"));
        }
        (Params::Hours { open, close }, Lang::De) => {
            options.push(format!("{open}–{close} Uhr"));
            options.push(format!("von {open} bis {close} Uhr"));
            options.push(format!("{open}:00–{close}:00 Uhr"));
            options.push(format!("Mo–Fr {open}–{close} Uhr"));
            options.push(format!("{open:02}:00 - {close:02}:00"));
        }
        (Params::Hours { open, close }, Lang::En) => {
            let pm = close - 12;
            options.push(format!("{open}am–{pm}pm"));
            options.push(format!("{open}:00 to {close}:00"));
            options.push(format!("from {open} am to {pm} pm"));
        }
        (Params::Date { y, m, d }, Lang::De) => {
            options.push(format!("{d:02}.{m:02}.{y}"));
            options.push(format!("{d}.{m}.{y}"));
            options.push(format!("{y}-{m:02}-{d:02}"));
            dotted = Some(format!("{d}. {} {y}", MONTHS_DE[*m as usize - 1]));
        }
        (Params::Date { y, m, d }, Lang::En) => {
            let month = MONTHS_EN[*m as usize - 1];
            options.push(format!("{month} {d}, {y}"));
            options.push(format!("{d} {month} {y}"));
            options.push(format!("{y}-{m:02}-{d:02}"));
            options.push(format!("{d:02}/{m:02}/{y}"));
        }
        (Params::Percent { tenths }, Lang::De) => {
            options.push(percent_text(*tenths, ","));
            options.push(percent_text(*tenths, ",").replace(" %", "%"));
            options.push(percent_text(*tenths, ",").replace('%', "Prozent"));
            if let Some(w) = number_word(tenths / 10, lang).filter(|_| tenths.is_multiple_of(10)) {
                options.push(format!("{w} Prozent"));
            }
        }
        (Params::Percent { tenths }, Lang::En) => {
            options.push(percent_text(*tenths, ".").replace(" %", "%"));
            options.push(percent_text(*tenths, ".").replace('%', "percent"));
            if let Some(w) = number_word(tenths / 10, lang).filter(|_| tenths.is_multiple_of(10)) {
                options.push(format!("{w} percent"));
            }
        }
    }
    // The dotted German date is one of the usual ways, one in five.
    if let Some(dotted) = dotted
        && rng.chance(0.2)
    {
        return (dotted, true);
    }
    (rng.pick(&options).clone(), false)
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

struct FactSpec {
    kind: ValueKind,
    de: Vec<String>,
    en: Vec<String>,
    canonical: Params,
    /// The canonical value as the checker normalises it.
    value: Value,
}

fn generate_facts(count: usize, rng: &mut Rng) -> Vec<FactSpec> {
    (0..count)
        .map(|n| {
            let kind = ValueKind::ALL[n % ValueKind::ALL.len()];
            // 2–4 keywords, at least one German and one English one.
            let total = rng.range(2, 4) as usize;
            let mut de_stems: Vec<&str> = stems(kind, Lang::De).to_vec();
            let mut en_stems: Vec<&str> = stems(kind, Lang::En).to_vec();
            let mut de = Vec::new();
            let mut en = Vec::new();
            for k in 0..total {
                let german = k == 0 || (k > 1 && rng.chance(0.5));
                let pool = if german { &mut de_stems } else { &mut en_stems };
                let stem = pool.remove(rng.below(pool.len()));
                let keyword = format!("{stem}{n:03}");
                if german {
                    de.push(keyword);
                } else {
                    en.push(keyword);
                }
            }
            let canonical = random_params(kind, n, rng);
            let value = parse_value(kind, &canonical_text(&canonical))
                .unwrap_or_else(|| panic!("canonical {canonical:?} parses"));
            FactSpec {
                kind,
                de,
                en,
                canonical,
                value,
            }
        })
        .collect()
}

fn guideline_of(facts: &[FactSpec]) -> Guideline {
    Guideline {
        facts: facts
            .iter()
            .enumerate()
            .map(|(n, f)| Fact {
                key: format!("fact-{n:03}"),
                label: format!("Fakt {n}"),
                kind: f.kind,
                value: Some(canonical_text(&f.canonical)),
                keywords: f.de.iter().chain(&f.en).cloned().collect(),
                valid_from: None,
                valid_until: None,
            })
            .collect(),
        allowed_contacts: vec![],
        tone: Tone::default(),
    }
}

const FORBIDDEN: [&str; 20] = [
    "leider nicht möglich",
    "Kunde ist König",
    "Schnäppchen",
    "supergünstig",
    "Sonderangebot",
    "Problem",
    "Beschwerde",
    "umgehend",
    "zeitnah",
    "baldmöglichst",
    "unfortunately not possible",
    "cheap",
    "ASAP",
    "no problem",
    "dear customer",
    "as per",
    "kindly",
    "revert",
    "synergy",
    "best-in-class",
];

fn with_tone(guideline: &Guideline) -> Guideline {
    Guideline {
        facts: guideline.facts.clone(),
        allowed_contacts: vec![],
        tone: Tone {
            address: Some(Address::Formal),
            forbidden: FORBIDDEN
                .iter()
                .map(|t| TermRule {
                    term: (*t).to_owned(),
                    instead: None,
                    channels: vec![],
                })
                .collect(),
            required: vec![],
        },
    }
}

// ---------------------------------------------------------------------------------------------
// The corpus: German and English sentences, about one in ten mentions a fact
// ---------------------------------------------------------------------------------------------

/// Sentences mentioning a fact: keyword `{kw}`, value `{v}`; the value after the keyword, or
/// (the last template) before it.
fn mention_templates(kind: ValueKind, lang: Lang) -> (&'static [&'static str], &'static str) {
    use ValueKind::*;
    match (kind, lang) {
        (Duration, Lang::De) => (
            &[
                "Die {kw} beträgt {v}.",
                "Für alle Bestellungen gilt eine {kw} von {v}.",
                "Bitte beachten Sie unsere {kw} von {v} ab Erhalt der Ware.",
                "{kw}: {v}, gerechnet ab dem Tag der Zustellung.",
            ],
            "Sie haben {v} {kw} auf alle Möbel und Leuchten.",
        ),
        (Duration, Lang::En) => (
            &[
                "The {kw} period is {v}.",
                "Our {kw} policy gives you {v} from the date of delivery.",
                "{kw}: {v} for every order.",
            ],
            "Enjoy {v} of {kw} on all furniture and lamps.",
        ),
        (Price, Lang::De) => (
            &[
                "Die {kw} betragen nur {v}.",
                "Für die {kw} berechnen wir einmalig {v}.",
                "{kw}: {v} pro Bestellung.",
            ],
            "Schon für {v} erhalten Sie unsere {kw} ohne Aufwand.",
        ),
        (Price, Lang::En) => (
            &[
                "The {kw} is only {v}.",
                "We charge a {kw} of {v} per order.",
                "{kw}: {v}, payable at checkout.",
            ],
            "For just {v} you can book our {kw} option.",
        ),
        (Phone, Lang::De) => (
            &[
                "Unsere {kw} erreichen Sie unter {v}.",
                "Rufen Sie einfach unsere {kw} an: {v}.",
                "{kw}: {v} (Mo–Fr, kostenfrei).",
            ],
            "Unter {v} ist unsere {kw} gern für Sie da.",
        ),
        (Phone, Lang::En) => (
            &[
                "Call our {kw} on {v}.",
                "Our {kw} number is {v}, free of charge.",
                "{kw}: {v}.",
            ],
            "Dial {v} to reach our {kw} team.",
        ),
        (Email, Lang::De) => (
            &[
                "Schreiben Sie an unsere {kw}: {v}.",
                "Die {kw} lautet {v}.",
                "Ihre Fragen beantwortet die {kw} unter {v} gern.",
            ],
            "Über {v} erreichen Sie die {kw} jederzeit.",
        ),
        (Email, Lang::En) => (
            &["Write to our {kw} at {v}.", "The {kw} address is {v}."],
            "Send a message to {v} and our {kw} team will reply.",
        ),
        (Url, Lang::De) => (
            &[
                "Alle Details finden Sie auf der {kw} unter {v}.",
                "Zur {kw} geht es hier: {v}.",
                "{kw}: {v}.",
            ],
            "Unter {v} finden Sie unsere {kw}.",
        ),
        (Url, Lang::En) => (
            &[
                "Visit our {kw} at {v}.",
                "The {kw} is available at {v} around the clock.",
            ],
            "Go to {v} for the {kw}.",
        ),
        (Hours, Lang::De) => (
            &[
                "Unsere {kw}: {v}.",
                "Die {kw} sind {v}.",
                "Bitte beachten Sie die {kw} {v}, an Feiertagen geschlossen.",
            ],
            "{v} gelten unsere {kw}.",
        ),
        (Hours, Lang::En) => (
            &["Our {kw} are {v}.", "{kw}: {v}, Monday to Friday."],
            "We are there for you {v} during our {kw}.",
        ),
        (Date, Lang::De) => (
            &[
                "Der {kw} ist am {v}.",
                "{kw}: {v}.",
                "Bitte merken Sie sich den {kw} am {v} vor.",
            ],
            "Bis zum {v} läuft unser {kw}.",
        ),
        (Date, Lang::En) => (&["The {kw} is {v}.", "{kw}: {v}."], "On {v} our {kw} ends."),
        (Percentage, Lang::De) => (
            &[
                "Der {kw} beträgt {v} auf das gesamte Sortiment.",
                "{kw}: {v} auf alle Leuchten.",
            ],
            "Sie erhalten {v} {kw} auf Ihre erste Bestellung.",
        ),
        (Percentage, Lang::En) => (
            &[
                "The {kw} is {v} on all items.",
                "{kw}: {v} on your next order.",
            ],
            "Get {v} {kw} on your first order.",
        ),
    }
}

/// A keyword without a value: no mention.
const KEYWORD_ONLY_DE: [&str; 3] = [
    "Mehr zur {kw} lesen Sie in unseren FAQ.",
    "Alles Wichtige zur {kw} finden Sie weiter unten.",
    "Zur {kw} beraten wir Sie gern persönlich.",
];
const KEYWORD_ONLY_EN: [&str; 3] = [
    "Read more about our {kw} below.",
    "Questions about the {kw} are answered in our FAQ.",
    "Our team explains the {kw} in detail.",
];

const SUBJECTS_DE: [&str; 16] = [
    "Unser Team",
    "Die neue Kollektion",
    "Das Sofa „Fjord“",
    "Unsere Filiale in Hamburg",
    "Der Esstisch aus Eiche",
    "Jede Bestellung",
    "Das Kissen aus Leinen",
    "Unsere Manufaktur",
    "Die Leuchte „Polarlicht“",
    "Der Wintermarkt",
    "Das Bett „Dünenruh“",
    "Unsere Beratung",
    "Die Kommode aus Birke",
    "Der Teppich aus Wolle",
    "Das Regal „Kontor“",
    "Unser Newsletter",
];
const PREDICATES_DE: [&str; 16] = [
    "überzeugt durch klare Linien und ehrliche Materialien",
    "wird in kleinen Werkstätten in Europa gefertigt",
    "passt in jedes Wohnzimmer, ob groß oder klein",
    "ist ab sofort in drei Farben erhältlich",
    "bringt skandinavische Gemütlichkeit in Ihr Zuhause",
    "hält dank robuster Verarbeitung viele Jahre",
    "kombiniert Handwerk mit modernem Design",
    "wurde von unseren Kundinnen und Kunden mehrfach ausgezeichnet",
    "lässt sich mit wenigen Handgriffen aufbauen",
    "zeigt, wie schön nachhaltiges Wohnen sein kann",
    "steht in unserem Showroom zum Probesitzen bereit",
    "freut sich auf Ihren Besuch",
    "berät Sie gern bei der Auswahl der passenden Stoffe",
    "erfüllt die strengen Kriterien des Blauen Engels",
    "sorgt an langen Abenden für warmes Licht",
    "informiert Sie regelmäßig über neue Produkte",
];
const TRAILERS_DE: [&str; 10] = [
    "",
    "",
    "",
    " und begeistert seit Jahren viele Menschen im ganzen Land",
    ", damit Sie lange Freude daran haben",
    " – nachhaltig, langlebig und fair produziert",
    ", wie Sie es von uns gewohnt sind",
    " und lässt sich wunderbar mit anderen Stücken kombinieren",
    ", sodass Ihnen die Entscheidung leichtfällt",
    " und wird klimaneutral zu Ihnen geliefert",
];
const OTHER_DE: [&str; 10] = [
    "Seit 1998 fertigen wir Möbel in Norddeutschland.",
    "Über 120 Mitarbeiterinnen und Mitarbeiter kümmern sich um Ihre Bestellung.",
    "Der Esstisch misst 180 × 90 cm und bietet Platz für sechs Personen.",
    "Wir freuen uns auf Ihren Besuch in einer unserer zwölf Filialen.",
    "Gern beraten wir Sie auch telefonisch oder per Videoanruf.",
    "Wussten Sie schon, dass unser Holz aus nachhaltiger Forstwirtschaft stammt?",
    "Pflegehinweise finden Sie auf dem Etikett an der Unterseite.",
    "Viele Grüße aus dem Norden, Ihr Team von Nordlicht Wohnen.",
    "Sie möchten mehr wissen?",
    "Bei Fragen helfen wir Ihnen jederzeit gern weiter.",
];
const INFORMAL_DE: [&str; 3] = [
    "Hol dir jetzt deinen Gutschein!",
    "Schau doch mal in deinem Kundenkonto vorbei.",
    "Wir freuen uns auf dich!",
];
const FORBIDDEN_DE: [&str; 4] = [
    "Eine Lieferung auf die Inseln ist leider nicht möglich.",
    "Jetzt zuschlagen: ein echtes Schnäppchen für kurze Zeit.",
    "Wir melden uns zeitnah bei Ihnen.",
    "Bei uns ist der Kunde ist König, das wissen Sie ja.",
];

const SUBJECTS_EN: [&str; 14] = [
    "Our team",
    "The new collection",
    "The Fjord sofa",
    "Our store in Hamburg",
    "The oak dining table",
    "Every order",
    "The linen cushion",
    "Our workshop",
    "The Aurora lamp",
    "The winter market",
    "The Dune bed",
    "Our advice service",
    "The birch chest of drawers",
    "Our newsletter",
];
const PREDICATES_EN: [&str; 14] = [
    "stands out with clean lines and honest materials",
    "is made in small workshops across Europe",
    "fits into every living room, large or small",
    "is now available in three colours",
    "brings Scandinavian comfort into your home",
    "lasts for many years thanks to sturdy craftsmanship",
    "combines traditional craft with modern design",
    "has won several awards from our customers",
    "can be assembled in a few simple steps",
    "shows how beautiful sustainable living can be",
    "is waiting for you in our showroom",
    "helps you choose the right fabrics",
    "keeps you informed about new products",
    "creates a warm light on long evenings",
];
const TRAILERS_EN: [&str; 8] = [
    "",
    "",
    "",
    " and has delighted people all over the country for years",
    ", so that you can enjoy it for a long time",
    " – sustainable, durable and fairly produced",
    ", just as you would expect from us",
    " and is delivered to your door carbon-neutral",
];
const OTHER_EN: [&str; 8] = [
    "We have been making furniture in northern Germany since 1998.",
    "More than 120 people take care of your order.",
    "The dining table measures 180 × 90 cm and seats six.",
    "We look forward to your visit in one of our twelve stores.",
    "Did you know that our wood comes from sustainably managed forests?",
    "Care instructions can be found on the label underneath.",
    "Would you like to know more?",
    "Warm regards from the north, your Nordlicht team.",
];
const FORBIDDEN_EN: [&str; 4] = [
    "Delivery to the islands is unfortunately not possible.",
    "Grab this cheap deal while it lasts!",
    "Kindly revert with your order number.",
    "We will get back to you ASAP.",
];

const CHANNELS: [&str; 7] = [
    "website",
    "newsletter",
    "app",
    "chatbot",
    "social",
    "print",
    "support",
];

/// What the generator wrote, to check what the scans find against it.
#[derive(Debug, Clone, Copy, Default)]
struct Written {
    /// Sentences that mention a fact with a value.
    mentions: usize,
    /// Of these, with a value other than the guideline's.
    contradictions: usize,
    /// Of these, with the value before the keyword ("30 Tage Rückgaberecht").
    value_before: usize,
    /// Of these, with a German date written "31. Dezember 2026".
    dotted_dates: usize,
    /// Of these, with the value before the keyword and a dotted date.
    dotted_before: usize,
    keyword_only: usize,
    sentences: usize,
}

impl Written {
    fn add(&mut self, o: &Written) {
        self.mentions += o.mentions;
        self.contradictions += o.contradictions;
        self.value_before += o.value_before;
        self.dotted_dates += o.dotted_dates;
        self.dotted_before += o.dotted_before;
        self.keyword_only += o.keyword_only;
        self.sentences += o.sentences;
    }
}

struct Corpus {
    items: Vec<Content>,
    written: Vec<Written>,
    bytes: usize,
    /// Items in German; the others are in English.
    german: usize,
}

fn fill(template: &str, kw: &str, value: &str) -> String {
    let s = template.replace("{kw}", kw).replace("{v}", value);
    if template.starts_with('{') {
        capitalised(&s)
    } else {
        s
    }
}

fn sentence(lang: Lang, facts: &[FactSpec], rng: &mut Rng, written: &mut Written) -> String {
    written.sentences += 1;
    let roll = rng.below(1000);
    if roll < 100 {
        // A mention.
        let n = rng.below(facts.len());
        let fact = &facts[n];
        let keyword = rng.pick(match lang {
            Lang::De => &fact.de,
            Lang::En => &fact.en,
        });
        let contradicts = rng.chance(0.1);
        let params = if contradicts {
            contradiction(fact.kind, &fact.canonical, n, rng)
        } else {
            fact.canonical.clone()
        };
        let (value, dotted) = render(&params, lang, rng);
        // The generator checks itself: the value as written is one value of the fact's kind,
        // the guideline's or not, as intended.
        let found = find_values(fact.kind, &value);
        assert!(
            found.len() == 1 && (found[0].value == fact.value) != contradicts,
            "{value:?} as {:?}: {found:?}, canonical {:?}",
            fact.kind,
            fact.value
        );
        let (after, before) = mention_templates(fact.kind, lang);
        let value_before = rng.chance(0.15);
        let template = if value_before {
            before
        } else {
            rng.pick(after)
        };
        written.mentions += 1;
        written.contradictions += usize::from(contradicts);
        written.value_before += usize::from(value_before);
        written.dotted_dates += usize::from(dotted);
        written.dotted_before += usize::from(dotted && value_before);
        return fill(template, keyword, &value);
    }
    if roll < 120 {
        let n = rng.below(facts.len());
        let (keywords, templates) = match lang {
            Lang::De => (&facts[n].de, &KEYWORD_ONLY_DE),
            Lang::En => (&facts[n].en, &KEYWORD_ONLY_EN),
        };
        written.keyword_only += 1;
        let keyword = rng.pick(keywords).clone();
        let template = rng.pick_str(templates);
        return fill(template, &keyword, "");
    }
    match (lang, roll) {
        (Lang::De, 120..=124) => rng.pick(&INFORMAL_DE).to_string(),
        (Lang::De, 125..=127) => rng.pick(&FORBIDDEN_DE).to_string(),
        (Lang::En, 120..=122) => rng.pick(&FORBIDDEN_EN).to_string(),
        (Lang::De, 128..=249) => rng.pick(&OTHER_DE).to_string(),
        (Lang::En, 128..=249) => rng.pick(&OTHER_EN).to_string(),
        (Lang::De, _) => format!(
            "{} {}{}.",
            rng.pick(&SUBJECTS_DE),
            rng.pick(&PREDICATES_DE),
            rng.pick(&TRAILERS_DE)
        ),
        (Lang::En, _) => format!(
            "{} {}{}.",
            rng.pick(&SUBJECTS_EN),
            rng.pick(&PREDICATES_EN),
            rng.pick(&TRAILERS_EN)
        ),
    }
}

fn generate_corpus(target_bytes: usize, facts: &[FactSpec], rng: &mut Rng) -> Corpus {
    let mut items = Vec::new();
    let mut written = Vec::new();
    let mut bytes = 0;
    let mut german = 0;
    while bytes < target_bytes {
        let n = items.len();
        let lang = if rng.chance(0.6) { Lang::De } else { Lang::En };
        german += usize::from(lang == Lang::De);
        let channel = *rng.pick(&CHANNELS);
        let size = rng.range(50_000, 200_000) as usize;
        let mut text = String::with_capacity(size + 2_000);
        let mut w = Written::default();
        while text.len() < size {
            let sentences = rng.range(3, 8);
            for i in 0..sentences {
                if i > 0 {
                    text.push(' ');
                }
                text.push_str(&sentence(lang, facts, rng, &mut w));
            }
            text.push_str("\n\n");
        }
        bytes += text.len();
        items.push(Content {
            source: format!("{channel}/{n:04}.txt"),
            title: format!("{channel} {n}"),
            channel: Some(channel.to_owned()),
            text,
        });
        written.push(w);
    }
    Corpus {
        items,
        written,
        bytes,
        german,
    }
}

// ---------------------------------------------------------------------------------------------
// What is timed
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Found {
    mentions: usize,
    contradictions: usize,
    findings: usize,
}

/// The product's scan over every item.
fn scan_all(checker: &Checker<'_>, items: &[Content], canonical: &[Value]) -> Found {
    let mut found = Found::default();
    for item in items {
        let (mentions, findings) = checker.scan(item);
        found.mentions += mentions.len();
        found.contradictions += mentions
            .iter()
            .filter(|m| m.value != canonical[m.fact])
            .count();
        found.findings += findings.len();
    }
    found
}

/// The naive way: one regex per fact, run over every item, and the values of the fact's kind
/// in each match.
struct Naive {
    regexes: Vec<(Regex, ValueKind, usize)>,
}

impl Naive {
    /// The match runs from a keyword to the end of its sentence, at most 300 characters; a
    /// `.`, `!` or `?` ends the sentence only before white space, as in the product
    /// ("30.12.2026", "nordlicht.de"). That the keyword starts a word (it may begin a compound,
    /// as in the product) is checked on the match, as the product does: a Unicode `\b` in the
    /// regex finds the same matches about 10% slower, an ASCII `\b` misses keywords that start
    /// with an umlaut, and `(?:^|\W)` keeps the regex crate from looking for the keywords'
    /// literal prefixes first (7× slower).
    fn new(guideline: &Guideline) -> Naive {
        Self::build(guideline, |alternatives| {
            format!(r"(?i)(?:{alternatives})(?:[^.!?\n]|[.!?]\S){{0,300}}")
        })
    }

    /// The baseline as one would write it first: `\b(?:…)\b[^.!?\n]{0,300}`.
    fn literal(guideline: &Guideline) -> Naive {
        Self::build(guideline, |alternatives| {
            format!(r"(?i)\b(?:{alternatives})\b[^.!?\n]{{0,300}}")
        })
    }

    fn build(guideline: &Guideline, pattern: impl Fn(&str) -> String) -> Naive {
        let regexes = guideline
            .facts
            .iter()
            .enumerate()
            .map(|(i, fact)| {
                let alternatives: Vec<String> =
                    fact.keywords.iter().map(|k| regex::escape(k)).collect();
                let re = Regex::new(&pattern(&alternatives.join("|"))).expect("valid regex");
                (re, fact.kind, i)
            })
            .collect();
        Naive { regexes }
    }

    fn scan(&self, text: &str, canonical: &[Value], found: &mut Found) {
        for (re, kind, fact) in &self.regexes {
            for m in re.find_iter(text) {
                if !starts_word(text, m.start()) {
                    continue;
                }
                if let Some(first) = find_values(*kind, m.as_str()).first() {
                    found.mentions += 1;
                    found.contradictions += usize::from(first.value != canonical[*fact]);
                }
            }
        }
    }

    fn scan_all(&self, items: &[Content], canonical: &[Value]) -> Found {
        let mut found = Found::default();
        for item in items {
            self.scan(&item.text, canonical, &mut found);
        }
        found
    }
}

/// The keywords of all facts in one regex, `(?i)(?:kw1|kw2|…)` over all 3,007, run once over
/// each item. A match's fact is looked up by its lowercased text; its span runs to the end of
/// the sentence, at most 300 characters, as in the naive regexes (an anchored second regex).
/// A keyword inside the span of an earlier match of the same fact is skipped, as the naive
/// fact's regex skips it, so both look at the same spans.
struct OneRegex {
    keywords: Regex,
    tail: Regex,
    fact_of: HashMap<String, usize>,
    kinds: Vec<ValueKind>,
}

impl OneRegex {
    fn new(guideline: &Guideline) -> OneRegex {
        let mut fact_of = HashMap::new();
        let mut alternatives = Vec::new();
        for (i, fact) in guideline.facts.iter().enumerate() {
            for keyword in &fact.keywords {
                fact_of.insert(keyword.to_lowercase(), i);
                alternatives.push(regex::escape(keyword));
            }
        }
        OneRegex {
            // Limits raised from the defaults (10 MB compiled, a 2 MB lazy DFA cache): with
            // them, a first version did not finish three passes over 100 MB in 100 s.
            keywords: regex::RegexBuilder::new(&format!("(?i)(?:{})", alternatives.join("|")))
                .size_limit(256 << 20)
                .dfa_size_limit(256 << 20)
                .build()
                .expect("valid regex"),
            tail: Regex::new(r"^(?:[^.!?\n]|[.!?]\S){0,300}").expect("valid regex"),
            fact_of,
            kinds: guideline.facts.iter().map(|f| f.kind).collect(),
        }
    }

    fn scan(&self, text: &str, canonical: &[Value], ends: &mut [usize], found: &mut OneFound) {
        ends.fill(0);
        for m in self.keywords.find_iter(text) {
            let Some(&fact) = self.fact_of.get(&m.as_str().to_lowercase()) else {
                found.unmapped += 1;
                continue;
            };
            if m.start() < ends[fact] {
                continue;
            }
            let end = m.end() + self.tail.find(&text[m.end()..]).map_or(0, |t| t.end());
            ends[fact] = end;
            if !starts_word(text, m.start()) {
                continue;
            }
            if let Some(first) = find_values(self.kinds[fact], &text[m.start()..end]).first() {
                found.found.mentions += 1;
                found.found.contradictions += usize::from(first.value != canonical[fact]);
            }
        }
    }

    fn scan_all(&self, items: &[Content], canonical: &[Value]) -> OneFound {
        let mut found = OneFound::default();
        let mut ends = vec![0; self.kinds.len()];
        for item in items {
            self.scan(&item.text, canonical, &mut ends, &mut found);
        }
        found
    }
}

/// What [`OneRegex`] found, and the matches whose text named no keyword (there should be
/// none).
#[derive(Debug, Clone, Copy, Default)]
struct OneFound {
    found: Found,
    unmapped: usize,
}

/// The size of the reference probe.
const PROBE_BYTES: usize = 64 << 20;

/// A fixed CPU-bound reference, to tell a slow machine from a slow program: SHA-256 over
/// `bytes`, best of 3. The same probe (64 MiB) is timed by `scripts/bench_kpi.py`.
fn probe(bytes: usize) -> Duration {
    let data: Vec<u8> = (0..bytes).map(|i| (i % 251) as u8).collect();
    best_of(3, || Sha256::digest(&data)).0
}

fn starts_word(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
}

/// Best of `runs` timings of `f`, and its last result.
fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut result = None;
    for _ in 0..runs {
        let start = Instant::now();
        let r = black_box(f());
        best = best.min(start.elapsed());
        result = Some(r);
    }
    (best, result.expect("at least one run"))
}

fn mb_per_s(bytes: usize, time: Duration) -> f64 {
    bytes as f64 / MB / time.as_secs_f64()
}

/// The first items, at least `bytes` of text together (all items if there are not enough).
fn prefix(items: &[Content], bytes: usize) -> &[Content] {
    let mut total = 0;
    for (i, item) in items.iter().enumerate() {
        total += item.text.len();
        if total >= bytes {
            return &items[..=i];
        }
    }
    items
}

fn bytes_of(items: &[Content]) -> usize {
    items.iter().map(|i| i.text.len()).sum()
}

fn written_in(corpus: &Corpus, items: usize) -> Written {
    let mut total = Written::default();
    for w in &corpus.written[..items] {
        total.add(w);
    }
    total
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

// ---------------------------------------------------------------------------------------------
// Where the scan's time goes: its parts, timed alone
// ---------------------------------------------------------------------------------------------

/// The keyword search the checker builds, from the same patterns (spellings as in `check.rs`),
/// beside one automaton run over every byte of the text: as the crate chooses by default, and
/// as a DFA, which `AhoCorasickBuilder` does not choose by itself for this many patterns.
fn automaton_alone(guideline: &Guideline, items: &[Content], runs: usize) -> Vec<Part> {
    let mut patterns: Vec<String> = Vec::new();
    for term in guideline
        .facts
        .iter()
        .flat_map(|f| f.keywords.iter())
        .chain(guideline.tone.forbidden.iter().map(|r| &r.term))
    {
        let term = term.trim();
        let lower = term.to_lowercase();
        let mut spellings = vec![
            term.to_owned(),
            capitalised(&lower),
            term.to_uppercase(),
            lower,
        ];
        spellings.sort();
        spellings.dedup();
        patterns.extend(spellings);
    }
    let time = |kind: Option<AhoCorasickKind>, name: &str| {
        let start = Instant::now();
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .kind(kind)
            .build(&patterns)
            .expect("builds");
        let build = start.elapsed();
        let (time, hits) = best_of(runs, || {
            items
                .iter()
                .map(|i| automaton.find_iter(&i.text).count())
                .sum::<usize>()
        });
        Part {
            name: format!(
                "automaton alone, {name} ({:?}, {} patterns, {:.0} KB, built in {:.0} ms), {hits} \
                 hits",
                automaton.kind(),
                patterns.len(),
                automaton.memory_usage() as f64 / 1e3,
                build.as_secs_f64() * 1e3
            ),
            time,
            bytes: bytes_of(items),
        }
    };
    let start = Instant::now();
    let keywords = Keywords::new(&patterns).expect("builds");
    let build = start.elapsed();
    let (word_starts, hits) = best_of(runs, || {
        items
            .iter()
            .map(|i| keywords.find_iter(&i.text).count())
            .sum::<usize>()
    });
    vec![
        time(None, "unanchored, as the crate chooses by default"),
        time(Some(AhoCorasickKind::DFA), "unanchored, as a DFA"),
        Part {
            name: format!(
                "keywords at word starts, as Checker::new builds them (prefix filter, anchored \
                 automaton; built in {:.0} ms), {hits} hits",
                build.as_secs_f64() * 1e3
            ),
            time: word_starts,
            bytes: bytes_of(items),
        },
    ]
}

/// A part of the scan timed alone: over `bytes` of text.
struct Part {
    name: String,
    time: Duration,
    bytes: usize,
}

fn line_index_alone(items: &[Content], runs: usize) -> Duration {
    best_of(runs, || {
        items
            .iter()
            .map(|i| {
                let mut starts = vec![0];
                starts.extend(i.text.match_indices('\n').map(|(i, _)| i + 1));
                starts.len()
            })
            .sum::<usize>()
    })
    .0
}

/// The one pass over every text for phone numbers, e-mail and web addresses that `check`
/// makes to find the contacts the guideline does not know; with the number found.
fn contacts_alone(items: &[Content], runs: usize) -> (Duration, usize) {
    best_of(runs, || {
        items
            .iter()
            .map(|i| find_contacts(&i.text).len())
            .sum::<usize>()
    })
}

fn address_marks_alone(items: &[Content], runs: usize) -> Duration {
    best_of(runs, || {
        items
            .iter()
            .map(|i| address_marks(&i.text).len())
            .sum::<usize>()
    })
    .0
}

/// `find_values` on every stretch from a keyword to the end of its sentence, by kind: the value
/// finding of the scan without the automaton around it. Per kind: spans, time.
fn values_alone(
    spans: &HashMap<ValueKind, Vec<String>>,
    runs: usize,
) -> Vec<(ValueKind, usize, Duration)> {
    ValueKind::ALL
        .iter()
        .map(|kind| {
            let spans = spans.get(kind).map_or(&[][..], Vec::as_slice);
            let (time, _) = best_of(runs, || {
                spans
                    .iter()
                    .map(|s| find_values(*kind, s).len())
                    .sum::<usize>()
            });
            (*kind, spans.len(), time)
        })
        .collect()
}

/// Words as a regex search for `\w+` finds them (one match per word, start and end), and the
/// same words by the hand-written loop `address_marks` uses. Returns both times, the number of
/// words, and a checksum of their ranges, which must agree.
fn words_alone(items: &[Content], runs: usize) -> (Duration, Duration, usize) {
    let word = Regex::new(r"\w+").expect("valid regex");
    // Not `find_iter(..).count()`: that only looks for the ends of matches, which is cheaper
    // than what `address_marks` needs.
    let (by_regex, (count, sum)) = best_of(runs, || {
        let mut count = 0;
        let mut sum = 0usize;
        for item in items {
            for m in word.find_iter(&item.text) {
                count += 1;
                sum = sum.wrapping_add(m.start() ^ m.end());
            }
        }
        (count, sum)
    });
    let (by_hand, (hand_count, hand_sum)) = best_of(runs, || {
        let mut count = 0;
        let mut sum = 0usize;
        for item in items {
            for (start, end) in word_spans(&item.text) {
                count += 1;
                sum = sum.wrapping_add(start ^ end);
            }
        }
        (count, sum)
    });
    assert_eq!(
        (count, sum),
        (hand_count, hand_sum),
        "both find the same words"
    );
    (by_regex, by_hand, count)
}

/// Combining marks, which `\w` includes (the generated text has none; enough for it).
/// The sentences with a keyword, from the naive regexes on a prefix, for [`values_alone`].
fn keyword_sentences(naive: &Naive, items: &[Content]) -> HashMap<ValueKind, Vec<String>> {
    let mut out: HashMap<ValueKind, Vec<String>> = HashMap::new();
    for item in items {
        for (re, kind, _) in &naive.regexes {
            for m in re.find_iter(&item.text) {
                out.entry(*kind).or_default().push(m.as_str().to_owned());
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------

fn main() {
    let config = Config::from_args();
    if config.smoke {
        println!("smoke run (cargo bench runs the full benchmark)");
    }
    println!(
        "load average before: {} (nproc {})",
        load_average(),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    // A smaller probe in the smoke run, which may be built without optimisations.
    let probe_bytes = if config.smoke { 1 << 20 } else { PROBE_BYTES };
    let probe_before = probe(probe_bytes);
    println!(
        "reference probe before: SHA-256 over {} MiB, best of 3: {:.1} ms",
        probe_bytes >> 20,
        probe_before.as_secs_f64() * 1e3
    );

    let start = Instant::now();
    let mut rng = Rng(config.seed);
    let facts = generate_facts(config.facts, &mut rng);
    let guideline = guideline_of(&facts);
    guideline
        .validate()
        .expect("the generated guideline is valid");
    let canonical: Vec<Value> = facts.iter().map(|f| f.value.clone()).collect();
    let corpus = generate_corpus((config.corpus_mb * MB) as usize, &facts, &mut rng);
    let mut written = Written::default();
    for w in &corpus.written {
        written.add(w);
    }
    let keywords: usize = guideline.facts.iter().map(|f| f.keywords.len()).sum();
    let german = corpus.german;
    println!(
        "generated in {:.1} s: {} facts ({keywords} keywords), {} items ({german} German), \
         {:.1} MB, {} sentences, {} mentions written ({} contradicting, {} value before the \
         keyword, {} dotted dates), {} keywords without a value",
        start.elapsed().as_secs_f64(),
        facts.len(),
        corpus.items.len(),
        corpus.bytes as f64 / MB,
        written.sentences,
        written.mentions,
        written.contradictions,
        written.value_before,
        written.dotted_dates,
        written.keyword_only,
    );

    let today = jiff::civil::date(2026, 11, 23);
    let start = Instant::now();
    let checker = Checker::new(&guideline, today).expect("builds");
    let build_facts = start.elapsed();
    let toned = with_tone(&guideline);
    let start = Instant::now();
    let tone_checker = Checker::new(&toned, today).expect("builds");
    let build_tone = start.elapsed();

    let items = &corpus.items;
    let total = corpus.bytes;
    let runs = config.runs;

    if let Some(only) = &config.only {
        let (time, found) = match only.as_str() {
            "check" => {
                let (time, findings) = best_of(runs, || checker.check(items).len());
                (time, format!("{findings} findings"))
            }
            "keywords" => {
                for part in automaton_alone(&guideline, items, runs) {
                    println!(
                        "{}: {:.0} ms, {:.1} MB/s",
                        part.name,
                        part.time.as_secs_f64() * 1e3,
                        mb_per_s(part.bytes, part.time)
                    );
                }
                return;
            }
            "words" => {
                let (by_regex, by_hand, count) = words_alone(items, runs);
                let marks = address_marks_alone(items, runs);
                for (name, time) in [
                    ("address_marks", marks),
                    ("words by `tone::word_spans`", by_hand),
                    ("words by a `\\w+` regex", by_regex),
                ] {
                    println!(
                        "{name} ({count} words): {:.0} ms, {:.1} MB/s",
                        time.as_secs_f64() * 1e3,
                        mb_per_s(total, time)
                    );
                }
                return;
            }
            "tone" => {
                let (time, found) = best_of(runs, || scan_all(&tone_checker, items, &canonical));
                (time, format!("{found:?}"))
            }
            _ => {
                let (time, found) = best_of(runs, || scan_all(&checker, items, &canonical));
                (time, format!("{found:?}"))
            }
        };
        println!(
            "{only} only: best of {runs}: {:.3} s, {:.1} MB/s, {found}",
            time.as_secs_f64(),
            mb_per_s(total, time)
        );
        return;
    }

    let start = Instant::now();
    let naive = Naive::new(&guideline);
    let build_naive = start.elapsed();
    println!(
        "setup: Checker::new {:.0} ms (with tone {:.0} ms), {} naive regexes {:.0} ms",
        build_facts.as_secs_f64() * 1e3,
        build_tone.as_secs_f64() * 1e3,
        naive.regexes.len(),
        build_naive.as_secs_f64() * 1e3
    );

    // (a) the product's scan, facts only.
    let (scan_time, scan_found) = best_of(runs, || scan_all(&checker, items, &canonical));
    println!(
        "scan:        best of {runs}: {:.3} s, {:.1} MB/s, {} mentions ({} contradicting)",
        scan_time.as_secs_f64(),
        mb_per_s(total, scan_time),
        scan_found.mentions,
        scan_found.contradictions
    );
    // (b) with the tone rules.
    let (tone_time, tone_found) = best_of(runs, || scan_all(&tone_checker, items, &canonical));
    println!(
        "scan + tone: best of {runs}: {:.3} s, {:.1} MB/s, {} mentions, {} tone findings",
        tone_time.as_secs_f64(),
        mb_per_s(total, tone_time),
        tone_found.mentions,
        tone_found.findings
    );
    // The whole check: scan, then contradictions with the guideline and between channels.
    let (check_time, check_findings) = best_of(runs.min(2), || checker.check(items).len());
    println!(
        "check:       best of {}: {:.3} s, {:.1} MB/s, {check_findings} findings",
        runs.min(2),
        check_time.as_secs_f64(),
        mb_per_s(total, check_time),
    );

    // (c) the naive baseline: first on a prefix; over everything if that fits the budget.
    let naive_items = prefix(items, (config.naive_mb * MB) as usize);
    let naive_bytes = bytes_of(naive_items);
    let naive_runs = if naive_items.len() == items.len() {
        runs
    } else {
        2
    };
    let (naive_prefix_time, naive_prefix_found) =
        best_of(naive_runs, || naive.scan_all(naive_items, &canonical));
    let naive_prefix_rate = mb_per_s(naive_bytes, naive_prefix_time);
    let estimate = total as f64 / MB / naive_prefix_rate;
    println!(
        "naive:       prefix {:.1} MB ({} items), best of {naive_runs}: {:.3} s, {:.2} MB/s \
         → whole corpus ≈ {estimate:.0} s",
        naive_bytes as f64 / MB,
        naive_items.len(),
        naive_prefix_time.as_secs_f64(),
        naive_prefix_rate
    );
    // The naive rate, what it was measured on, and the items and mentions to compare.
    let (naive_rate, naive_basis, cmp_items, naive_found) = if naive_items.len() == items.len() {
        (
            naive_prefix_rate,
            format!("whole corpus, best of {naive_runs}"),
            naive_items,
            naive_prefix_found,
        )
    } else if estimate <= config.naive_budget {
        let (time, found) = best_of(1, || naive.scan_all(items, &canonical));
        println!(
            "naive:       whole corpus, 1 run: {:.3} s, {:.2} MB/s, {} mentions",
            time.as_secs_f64(),
            mb_per_s(total, time),
            found.mentions
        );
        (
            mb_per_s(total, time),
            "whole corpus, 1 run".to_owned(),
            &items[..],
            found,
        )
    } else {
        (
            naive_prefix_rate,
            format!(
                "first {:.1} MB, best of {naive_runs}, extrapolated (whole corpus ≈ {estimate:.0} \
                 s > {:.0} s budget)",
                naive_bytes as f64 / MB,
                config.naive_budget
            ),
            naive_items,
            naive_prefix_found,
        )
    };

    // (d) one regex over the keywords of all facts, over the whole corpus.
    let start = Instant::now();
    let one = OneRegex::new(&guideline);
    let build_one = start.elapsed();
    let (one_time, one_found) = best_of(runs, || one.scan_all(items, &canonical));
    let one_rate = mb_per_s(total, one_time);
    println!(
        "one regex:   {} keywords, built in {:.0} ms; best of {runs}: {:.3} s, {one_rate:.2} \
         MB/s, {} mentions ({} contradicting), {} matches without a keyword",
        one.fact_of.len(),
        build_one.as_secs_f64() * 1e3,
        one_time.as_secs_f64(),
        one_found.found.mentions,
        one_found.found.contradictions,
        one_found.unmapped
    );

    // Mentions where all ran, against what was written.
    let (scan_cmp, one_cmp) = if cmp_items.len() == items.len() {
        (scan_found, one_found.found)
    } else {
        (
            scan_all(&checker, cmp_items, &canonical),
            one.scan_all(cmp_items, &canonical).found,
        )
    };
    let w = written_in(&corpus, cmp_items.len());
    println!(
        "mentions in the first {:.1} MB (where all ran): written {} ({} contradicting; {} value \
         before keyword, {} dotted dates of which {} value before); scan {} ({} contradicting); \
         naive {} ({} contradicting); one regex {} ({} contradicting)",
        bytes_of(cmp_items) as f64 / MB,
        w.mentions,
        w.contradictions,
        w.value_before,
        w.dotted_dates,
        w.dotted_before,
        scan_cmp.mentions,
        scan_cmp.contradictions,
        naive_found.mentions,
        naive_found.contradictions,
        one_cmp.mentions,
        one_cmp.contradictions
    );

    // The literal baseline, time-boxed on a small prefix.
    let literal = Naive::literal(&guideline);
    let literal_items = prefix(items, (config.literal_mb * MB) as usize);
    // Best of 2 like the naive prefix: the first run also fills the regexes' lazy DFA caches.
    let (literal_time, literal_found) = best_of(2, || literal.scan_all(literal_items, &canonical));
    let literal_bytes = bytes_of(literal_items);
    let literal_scan = scan_all(&checker, literal_items, &canonical);
    println!(
        "literal:     first {:.2} MB, `\\b(?:…)\\b[^.!?\\n]{{0,300}}`, best of 2: {:.3} s, {:.3} \
         MB/s, {} mentions (scan on the same text: {})",
        literal_bytes as f64 / MB,
        literal_time.as_secs_f64(),
        mb_per_s(literal_bytes, literal_time),
        literal_found.mentions,
        literal_scan.mentions
    );

    // Where the scan's time goes: its parts, timed alone.
    println!("parts (timed alone):");
    let mut parts = automaton_alone(&toned, items, runs);
    parts.push(Part {
        name: "line index (Lines::new)".into(),
        time: line_index_alone(items, runs),
        bytes: total,
    });
    let (contacts_time, contacts) = contacts_alone(items, runs);
    parts.push(Part {
        name: format!("find_contacts (check's pass for unknown contacts), {contacts} found"),
        time: contacts_time,
        bytes: total,
    });
    let spans = keyword_sentences(&naive, naive_items);
    let values = values_alone(&spans, runs);
    let values_time: Duration = values.iter().map(|(_, _, t)| *t).sum();
    let spans_count: usize = values.iter().map(|(_, n, _)| n).sum();
    parts.push(Part {
        name: format!(
            "find_values on the {spans_count} keyword-to-sentence-end spans of the first {:.1} \
             MB",
            naive_bytes as f64 / MB
        ),
        time: values_time,
        bytes: naive_bytes,
    });
    parts.push(Part {
        name: "address_marks (tone)".into(),
        time: address_marks_alone(items, runs),
        bytes: total,
    });
    let (by_regex, by_hand, words) = words_alone(items, runs);
    parts.push(Part {
        name: format!("its words found by a `\\w+` regex search instead ({words} words)"),
        time: by_regex,
        bytes: total,
    });
    parts.push(Part {
        name: "its words by the loop it uses (`tone::word_spans`)".into(),
        time: by_hand,
        bytes: total,
    });
    for part in &parts {
        println!(
            "  {:>8.1} ms per 100 MB {:>7.0} MB/s  {}",
            part.time.as_secs_f64() * 1e3 * 100.0 * MB / part.bytes as f64,
            mb_per_s(part.bytes, part.time),
            part.name
        );
    }
    println!(
        "  the scan itself: {:.1} ms per 100 MB; find_values per span by kind (µs):{}",
        scan_time.as_secs_f64() * 1e3 * 100.0 * MB / total as f64,
        values
            .iter()
            .map(|(kind, n, t)| format!(
                " {} {:.2}",
                kind.as_str(),
                t.as_secs_f64() * 1e6 / (*n).max(1) as f64
            ))
            .collect::<String>()
    );

    let scan_rate = mb_per_s(total, scan_time);
    let tone_rate = mb_per_s(total, tone_time);
    let check_rate = mb_per_s(total, check_time);
    let probe_after = probe(probe_bytes);
    println!(
        "reference probe after: {:.1} ms",
        probe_after.as_secs_f64() * 1e3
    );
    println!();
    println!(
        "| corpus MB | facts | scan MB/s | scan+tone MB/s | check MB/s | naive MB/s | scan/naive \
         | one regex MB/s | scan/one regex | mentions written / scan / naive / one regex \
         | probe before / after (ms) |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    println!(
        "| {:.1} | {} | {scan_rate:.1} | {tone_rate:.1} | {:.1} | {naive_rate:.2} | {:.0}× \
         | {one_rate:.1} | {:.1}× | {} / {} / {} / {}{} | {:.1} / {:.1} |",
        total as f64 / MB,
        facts.len(),
        check_rate,
        scan_rate / naive_rate,
        scan_rate / one_rate,
        w.mentions,
        scan_cmp.mentions,
        naive_found.mentions,
        one_cmp.mentions,
        if cmp_items.len() == items.len() {
            String::new()
        } else {
            format!(" (first {:.1} MB)", bytes_of(cmp_items) as f64 / MB)
        },
        probe_before.as_secs_f64() * 1e3,
        probe_after.as_secs_f64() * 1e3,
    );
    println!();
    println!("naive measured on: {naive_basis}");
    for (what, rate, floor) in [
        ("scan", scan_rate, 300.0),
        ("scan + tone", tone_rate, 150.0),
        ("check", check_rate, 150.0),
    ] {
        println!(
            "floor {what} ≥ {floor:.0} MB/s on one core: {}",
            match (config.smoke, rate >= floor) {
                (true, _) => "not judged (smoke run, not a measurement)",
                (false, true) => "met",
                (false, false) => "not met",
            }
        );
    }
    println!("load average after: {}", load_average());
}
