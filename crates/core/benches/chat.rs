//! The chat bot's answer latency in process: every question of the demo's question set and
//! held-out set, asked again and again of a bot built from the demo company's guideline and
//! published texts (as the question-set test builds it), each reply timed alone; p50, p95, p99 and the slowest, and the time to build
//! the bot. A reference probe (SHA-256 over 64 MiB, best of 3) is timed before and after, as
//! in the other benchmarks, so figures of different days compare.
//!
//! `cargo bench -p touchpoints-core --bench chat -- [--rounds N]`. Under
//! `cargo test --benches` it runs a smoke version (one round, a 1 MiB probe).

#[path = "../tests/nordlicht_chat/mod.rs"]
mod nordlicht_chat;
mod probe;

use std::hint::black_box;
use std::time::{Duration, Instant};

use nordlicht_chat::{GUIDELINE, HELD_OUT, QUESTIONS};
use probe::probe;
use touchpoints_core::consistency::Guideline;
use touchpoints_core::priority::Language;

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
    let texts = nordlicht_chat::texts();
    let build_start = Instant::now();
    let bot = nordlicht_chat::bot(&guideline, &texts);
    let build = build_start.elapsed();
    let hours = nordlicht_chat::office_hours();
    let now = nordlicht_chat::evening();
    let questions: Vec<(Language, &str)> = nordlicht_chat::questions(QUESTIONS)
        .chain(nordlicht_chat::questions(HELD_OUT))
        .filter_map(|(language, _, question)| Some((Language::parse(language)?, question)))
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
