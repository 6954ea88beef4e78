//! The chat bot's answer latency in process: every question of the demo's question set and
//! held-out set, asked again and again of a bot built from the demo company's guideline and
//! FAQ pages, each reply timed alone; p50, p95, p99 and the slowest, and the time to build
//! the bot. A reference probe (SHA-256 over 64 MiB, best of 3) is timed before and after, as
//! in the other benchmarks, so figures of different days compare.
//!
//! `cargo bench -p touchpoints-core --bench chat -- [--rounds N]`. Under
//! `cargo test --benches` it runs a smoke version (one round, a 1 MiB probe).

use std::hint::black_box;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use touchpoints_core::chat::{Bot, LibraryText};
use touchpoints_core::consistency::Guideline;
use touchpoints_core::consistency::library::ContentFields;
use touchpoints_core::consistency::text::{TextFormat, plain_text};
use touchpoints_core::priority::Language;
use touchpoints_core::sla::{CalendarInput, Hours, WeekHoursInput};

const GUIDELINE: &str = include_str!("../../../examples/nordlicht/guideline.yaml");
const FAQ_DE: &str = include_str!("../../../examples/nordlicht/content/website/faq.html");
const FAQ_EN: &str = include_str!("../../../examples/nordlicht/content/website/faq-en.html");
const QUESTIONS: &str = include_str!("../../../examples/nordlicht/chat/questions.tsv");
const HELD_OUT: &str = include_str!("../../../examples/nordlicht/chat/held-out.tsv");

fn probe(bytes: usize) -> Duration {
    let data: Vec<u8> = (0..bytes).map(|i| (i % 251) as u8).collect();
    (0..3)
        .map(|_| {
            let start = Instant::now();
            black_box(Sha256::digest(&data));
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn content(title: &str, language: &str, html: &str) -> ContentFields {
    ContentFields {
        title: title.into(),
        channel: Some("website".into()),
        touchpoint_id: None,
        url: String::new(),
        language: language.into(),
        body: plain_text(TextFormat::Html, html),
        valid_from: None,
        valid_until: None,
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let mut rounds = 1;
    let mut smoke = true;
    let mut argv = std::env::args().skip(1);
    while let Some(arg) = argv.next() {
        match arg.as_str() {
            "--bench" => {
                smoke = false;
                rounds = rounds.max(50);
            }
            "--rounds" => {
                rounds = argv
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("--rounds takes a number");
            }
            _ => {}
        }
    }
    let probe_bytes = if smoke { 1 << 20 } else { 64 << 20 };
    let probe_before = probe(probe_bytes);

    let guideline = Guideline::from_yaml(GUIDELINE).expect("the demo guideline");
    let texts = [
        content("Hilfe & FAQ", "de", FAQ_DE),
        content("Help & FAQ", "en", FAQ_EN),
    ];
    let library: Vec<LibraryText<'_>> = texts
        .iter()
        .enumerate()
        .map(|(i, fields)| LibraryText {
            id: i as i64 + 1,
            fields,
        })
        .collect();
    let today = jiff::civil::date(2026, 12, 4);
    let build_start = Instant::now();
    let bot = Bot::new(&guideline, &library, true, today);
    let build = build_start.elapsed();
    let hours = Hours::Business(
        CalendarInput {
            time_zone: "Europe/Berlin".into(),
            hours: WeekHoursInput {
                monday: "08:00-18:00".into(),
                tuesday: "08:00-18:00".into(),
                wednesday: "08:00-18:00".into(),
                thursday: "08:00-18:00".into(),
                friday: "08:00-18:00".into(),
                saturday: String::new(),
                sunday: String::new(),
            },
            public_holidays: Some("DE-HH".into()),
            custom_holidays: Vec::new(),
        }
        .validate()
        .expect("calendar"),
    );
    let now: jiff::Timestamp = "2026-12-04T21:30:00+01:00".parse().expect("instant");
    let questions: Vec<(Language, &str)> = QUESTIONS
        .lines()
        .chain(HELD_OUT.lines())
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut parts = l.splitn(3, '\t');
            let language = Language::parse(parts.next()?)?;
            Some((language, parts.nth(1)?))
        })
        .collect();

    let mut times = Vec::with_capacity(questions.len() * rounds);
    for _ in 0..rounds {
        for (language, question) in &questions {
            let start = Instant::now();
            black_box(bot.reply(question, *language, Some(&hours), now));
            times.push(start.elapsed());
        }
    }
    times.sort_unstable();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    let probe_after = probe(probe_bytes);
    println!(
        "chat bot, {} sources: {} replies ({} questions × {rounds} rounds)",
        bot.source_count(),
        times.len(),
        questions.len()
    );
    println!(
        "  reply latency: p50 {:.3} ms, p95 {:.3} ms, p99 {:.3} ms, slowest {:.3} ms",
        ms(at(0.50)),
        ms(at(0.95)),
        ms(at(0.99)),
        ms(times[times.len() - 1])
    );
    println!("  building the bot: {:.1} ms", ms(build));
    println!(
        "  reference probe (SHA-256 over {} MiB, best of 3): {:.1} ms before, {:.1} ms after",
        probe_bytes >> 20,
        ms(probe_before),
        ms(probe_after)
    );
}
