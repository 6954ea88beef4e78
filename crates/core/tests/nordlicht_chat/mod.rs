//! The demo company's chat, as the question-set test and the chat benchmark both build it:
//! its guideline, its published texts (German and English FAQ, a newsletter and the old
//! chatbot answers), office hours on weekdays, and an evening to ask at.

use jiff::Timestamp;
use touchpoints_core::chat::{Bot, LibraryText};
use touchpoints_core::consistency::Guideline;
use touchpoints_core::consistency::library::ContentFields;
use touchpoints_core::consistency::text::{TextFormat, plain_text};
use touchpoints_core::sla::{CalendarInput, Hours, WeekHoursInput};

pub const GUIDELINE: &str = include_str!("../../../../examples/nordlicht/guideline.yaml");
pub const FAQ_DE: &str = include_str!("../../../../examples/nordlicht/content/website/faq.html");
pub const FAQ_EN: &str = include_str!("../../../../examples/nordlicht/content/website/faq-en.html");
const NEWSLETTER: &str =
    include_str!("../../../../examples/nordlicht/content/newsletter/2026-11.md");
const CHATBOT: &str = include_str!("../../../../examples/nordlicht/content/chatbot/answers.txt");
pub const QUESTIONS: &str = include_str!("../../../../examples/nordlicht/chat/questions.tsv");
pub const HELD_OUT: &str = include_str!("../../../../examples/nordlicht/chat/held-out.tsv");

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

/// The demo company's published texts, ids 1 (German FAQ) to 4.
pub fn texts() -> [ContentFields; 4] {
    [
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
    ]
}

/// The bot over the guideline and `texts`, with the opening hours, on 2026-12-04.
pub fn bot(guideline: &Guideline, texts: &[ContentFields]) -> Bot {
    let library: Vec<LibraryText<'_>> = texts
        .iter()
        .enumerate()
        .map(|(i, fields)| LibraryText {
            id: i as i64 + 1,
            fields,
        })
        .collect();
    Bot::new(guideline, &library, true, jiff::civil::date(2026, 12, 4))
}

/// Monday to Friday, 08:00–18:00 in Hamburg.
pub fn office_hours() -> Hours {
    let day = || "08:00-18:00".to_owned();
    Hours::Business(
        CalendarInput {
            time_zone: "Europe/Berlin".into(),
            hours: WeekHoursInput {
                monday: day(),
                tuesday: day(),
                wednesday: day(),
                thursday: day(),
                friday: day(),
                saturday: String::new(),
                sunday: String::new(),
            },
            public_holidays: Some("DE-HH".into()),
            custom_holidays: Vec::new(),
        }
        .validate()
        .expect("the office hours"),
    )
}

/// A Friday evening, after office hours.
pub fn evening() -> Timestamp {
    "2026-12-04T21:30:00+01:00".parse().expect("an instant")
}

/// The questions of a set (`questions.tsv`, `held-out.tsv`): language, expected topic,
/// question.
pub fn questions(set: &str) -> impl Iterator<Item = (&str, &str, &str)> {
    set.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut parts = l.splitn(3, '\t');
            Some((parts.next()?, parts.next()?, parts.next()?))
        })
}
