//! The chat bot's quality on the demo company's question set
//! (`examples/nordlicht/chat/questions.tsv`): the share of answerable questions answered from
//! the right source, the share of unanswerable ones handed to a person, and the number of
//! answers that state a value the guideline does not hold. `--nocapture` prints the figures
//! and every miss.

#![allow(clippy::unwrap_used)]

use jiff::Timestamp;
use touchpoints_core::chat::{Bot, Citation, LibraryText, Reply};
use touchpoints_core::consistency::Guideline;
use touchpoints_core::consistency::library::ContentFields;
use touchpoints_core::consistency::text::{TextFormat, plain_text};
use touchpoints_core::consistency::value::{ValueKind, find_values};
use touchpoints_core::priority::Language;
use touchpoints_core::sla::{CalendarInput, Hours, WeekHoursInput};

const GUIDELINE: &str = include_str!("../../../examples/nordlicht/guideline.yaml");
const FAQ_DE: &str = include_str!("../../../examples/nordlicht/content/website/faq.html");
const FAQ_EN: &str = include_str!("../../../examples/nordlicht/content/website/faq-en.html");
const NEWSLETTER: &str = include_str!("../../../examples/nordlicht/content/newsletter/2026-11.md");
const CHATBOT: &str = include_str!("../../../examples/nordlicht/content/chatbot/answers.txt");
const QUESTIONS: &str = include_str!("../../../examples/nordlicht/chat/questions.tsv");
const HELD_OUT: &str = include_str!("../../../examples/nordlicht/chat/held-out.tsv");

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

fn content(
    title: &str,
    channel: &str,
    language: &str,
    format: TextFormat,
    source: &str,
) -> ContentFields {
    ContentFields {
        title: title.into(),
        channel: Some(channel.into()),
        touchpoint_id: None,
        url: String::new(),
        language: language.into(),
        body: plain_text(format, source),
        valid_from: None,
        valid_until: None,
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
    let texts = [
        content("Hilfe & FAQ", "website", "de", TextFormat::Html, FAQ_DE),
        content("Help & FAQ", "website", "en", TextFormat::Html, FAQ_EN),
        content(
            "Newsletter",
            "newsletter",
            "de",
            TextFormat::Markdown,
            NEWSLETTER,
        ),
        content("Chatbot", "chatbot", "de", TextFormat::Plain, CHATBOT),
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
    let bot = Bot::new(&guideline, &library, true, today);
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
        .unwrap(),
    );
    Demo {
        bot,
        guideline,
        hours,
        now: "2026-12-04T21:30:00+01:00".parse().unwrap(),
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
    for line in set
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let mut parts = line.splitn(3, '\t');
        let (language, expected, question) = (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap(),
        );
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
