//! The chat bot's quality on the demo company's question set
//! (`examples/nordlicht/chat/questions.tsv`): the share of answerable questions answered from
//! the right source, the share of unanswerable ones handed to a person, and the number of
//! answers that state a value the guideline does not hold. `--nocapture` prints the figures
//! and every miss.

#![allow(clippy::unwrap_used)]

mod nordlicht_chat;

use jiff::Timestamp;
use nordlicht_chat::{FAQ_DE, FAQ_EN, GUIDELINE, HELD_OUT, QUESTIONS};
use touchpoints_core::chat::{Bot, Citation, Reply};
use touchpoints_core::consistency::Guideline;
use touchpoints_core::consistency::value::{ValueKind, find_values};
use touchpoints_core::priority::Language;
use touchpoints_core::sla::Hours;

/// The topics of the two FAQ pages, in the order of their questions (the pages are parallel).
const TOPICS: [&str; 22] = [
    "return-period",
    "hotline",
    "free-shipping",
    "return-how",
    "delivery-time",
    "express",
    "payment",
    "instalments",
    "tracking",
    "cancel",
    "assembly",
    "old-furniture",
    "damaged",
    "warranty",
    "showroom",
    "voucher",
    "password",
    "newsletter",
    "abroad",
    "samples",
    "invoice",
    "write",
];

/// The topic a fact of the guideline answers.
fn topic_of_fact(key: &str) -> &str {
    match key {
        "service-hours" => "hotline",
        "showroom-hours" => "showroom",
        "express-delivery" => "express",
        "financing-minimum" => "instalments",
        "assembly-price" => "assembly",
        "voucher-validity" => "voucher",
        "service-email" | "email-reply-time" => "write",
        other => other,
    }
}

fn questions_of(html: &str) -> Vec<String> {
    html.lines()
        .filter_map(|l| l.strip_prefix("<h2>")?.strip_suffix("</h2>"))
        .map(str::to_owned)
        .collect()
}

struct Demo {
    bot: Bot,
    guideline: Guideline,
    hours: Hours,
    now: Timestamp,
}

fn demo() -> Demo {
    let guideline = Guideline::from_yaml(GUIDELINE).unwrap();
    let bot = nordlicht_chat::bot(&guideline, &nordlicht_chat::texts());
    Demo {
        bot,
        guideline,
        hours: nordlicht_chat::office_hours(),
        now: nordlicht_chat::evening(),
    }
}

/// The topic of a reply, as the question set names topics.
fn topic_of(reply: &Reply, de: &[String], en: &[String]) -> String {
    match reply {
        Reply::Answer { source, .. } => match source {
            Citation::Fact { key, .. } => topic_of_fact(key).to_owned(),
            Citation::Passage { question, .. } => de
                .iter()
                .position(|q| q == question)
                .or_else(|| en.iter().position(|q| q == question))
                .map_or_else(|| format!("passage {question:?}"), |i| TOPICS[i].to_owned()),
            Citation::OpeningHours => "hours".into(),
        },
        Reply::Person { .. } => "person".into(),
        Reply::NotSure { .. } => "handover".into(),
        Reply::Greeting { .. } => "greeting".into(),
        Reply::Thanks { .. } => "thanks".into(),
    }
}

/// The values an answer states that are no canonical value of the guideline.
fn invented_values(reply: &Reply, guideline: &Guideline) -> Vec<String> {
    let canonical: Vec<_> = guideline
        .facts
        .iter()
        .filter_map(|f| f.canonical())
        .collect();
    let text = reply.text();
    ValueKind::ALL
        .into_iter()
        .flat_map(|kind| find_values(kind, text))
        .filter(|found| !canonical.contains(&found.value))
        .map(|found| text[found.start..found.end].to_owned())
        .collect()
}

#[test]
fn the_faq_pages_are_parallel_and_name_every_topic() {
    let (de, en) = (questions_of(FAQ_DE), questions_of(FAQ_EN));
    assert_eq!(de.len(), TOPICS.len());
    assert_eq!(en.len(), TOPICS.len());
}

/// What a question set measured.
struct Figures {
    answerable: usize,
    right: usize,
    unanswerable: usize,
    handed_over: usize,
    invented: usize,
    misses: Vec<String>,
}

impl Figures {
    fn right_share(&self) -> f64 {
        100.0 * self.right as f64 / self.answerable as f64
    }

    fn handed_over_share(&self) -> f64 {
        100.0 * self.handed_over as f64 / self.unanswerable as f64
    }

    fn print(&self, name: &str) {
        println!(
            "{name}: {} questions: {}/{} answerable answered from the right source ({:.1} %), \
             {}/{} unanswerable handed over ({:.1} %), {} answers with a value not in the \
             guideline",
            self.answerable + self.unanswerable,
            self.right,
            self.answerable,
            self.right_share(),
            self.handed_over,
            self.unanswerable,
            self.handed_over_share(),
            self.invented,
        );
        for miss in &self.misses {
            println!("  {miss}");
        }
    }
}

fn measure(set: &str) -> Figures {
    let demo = demo();
    let (de, en) = (questions_of(FAQ_DE), questions_of(FAQ_EN));
    let mut figures = Figures {
        answerable: 0,
        right: 0,
        unanswerable: 0,
        handed_over: 0,
        invented: 0,
        misses: Vec::new(),
    };
    for (language, expected, question) in nordlicht_chat::questions(set) {
        let language = Language::parse(language).unwrap();
        let reply = demo
            .bot
            .reply(question, language, Some(&demo.hours), demo.now);
        let got = topic_of(&reply, &de, &en);
        let values = invented_values(&reply, &demo.guideline);
        figures.invented += usize::from(!values.is_empty());
        if expected == "handover" {
            figures.unanswerable += 1;
            figures.handed_over += usize::from(got == "handover");
        } else {
            figures.answerable += 1;
            figures.right += usize::from(got == expected);
        }
        if got != expected || !values.is_empty() {
            let confidence = match &reply {
                Reply::Answer { confidence, .. } | Reply::NotSure { confidence, .. } => *confidence,
                _ => 1.0,
            };
            figures.misses.push(format!(
                "{expected:>14} ← {got:<14} {confidence:.2} {question} {values:?}"
            ));
        }
    }
    figures
}

#[test]
fn the_question_set_meets_its_targets() {
    let figures = measure(QUESTIONS);
    figures.print("question set");
    assert!(figures.answerable + figures.unanswerable >= 150);
    assert!(figures.right_share() >= 90.0, "{:#?}", figures.misses);
    assert!(figures.handed_over_share() >= 95.0, "{:#?}", figures.misses);
    assert_eq!(figures.invented, 0, "{:#?}", figures.misses);
}

/// The held-out set is reported, not tuned for: only the rule that no answer states a value
/// outside the guideline holds there by construction.
#[test]
fn the_held_out_set_is_measured() {
    let figures = measure(HELD_OUT);
    figures.print("held-out set");
    assert!(figures.answerable > 0 && figures.unanswerable > 0);
    assert_eq!(figures.invented, 0, "{:#?}", figures.misses);
}

#[test]
fn passages_against_the_guideline_are_left_out_and_said_so() {
    let demo = demo();
    let left: Vec<_> = demo
        .bot
        .left_out()
        .iter()
        .map(|l| format!("{}: {}", l.source, l.title))
        .collect();
    // The FAQ states nothing the guideline does not hold; the chatbot's old answers are
    // no questions, so they are no passages either.
    assert!(left.iter().all(|l| !l.starts_with("content/1")), "{left:?}");
    assert!(left.iter().all(|l| !l.starts_with("content/2")), "{left:?}");
}
