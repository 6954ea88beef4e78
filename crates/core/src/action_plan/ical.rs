//! A small iCalendar writer (RFC 5545) for the programme's tasks as all-day to-dos.
//!
//! Written here rather than taken from the `icalendar` crate: that crate builds on `chrono`
//! (the product counts days with `jiff`) and brings its parser and dependencies into the
//! pure core, while the programme needs only a few properties of one component. What the
//! RFC asks of a writer is kept: CRLF line ends (3.1), lines folded at 75 octets without
//! splitting a character (3.1), TEXT escaped (3.3.11), and DTSTAMP and UID on each VTODO
//! (3.6.2).

use jiff::Timestamp;
use jiff::civil::Date;

/// One all-day to-do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Todo {
    /// Stable across exports, so that a calendar updates the to-do instead of adding one.
    pub uid: String,
    pub summary: String,
    pub description: String,
    pub start: Date,
    pub due: Date,
    pub completed: bool,
    /// An absolute link to the product's screen, if known.
    pub url: Option<String>,
}

/// A VCALENDAR with the to-dos, stamped `stamp`.
pub fn calendar(product: &str, name: &str, stamp: Timestamp, todos: &[Todo]) -> String {
    let mut out = String::new();
    let stamp = stamp.strftime("%Y%m%dT%H%M%SZ").to_string();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, &format!("PRODID:{}", escape(product)));
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, &format!("X-WR-CALNAME:{}", escape(name)));
    for todo in todos {
        line(&mut out, "BEGIN:VTODO");
        line(&mut out, &format!("UID:{}", escape(&todo.uid)));
        line(&mut out, &format!("DTSTAMP:{stamp}"));
        line(&mut out, &format!("DTSTART;VALUE=DATE:{}", day(todo.start)));
        line(&mut out, &format!("DUE;VALUE=DATE:{}", day(todo.due)));
        line(&mut out, &format!("SUMMARY:{}", escape(&todo.summary)));
        if !todo.description.is_empty() {
            line(
                &mut out,
                &format!("DESCRIPTION:{}", escape(&todo.description)),
            );
        }
        if let Some(url) = &todo.url {
            // URI values are not TEXT: no escaping (3.3.13).
            line(&mut out, &format!("URL:{url}"));
        }
        let status = if todo.completed {
            "COMPLETED"
        } else {
            "NEEDS-ACTION"
        };
        line(&mut out, &format!("STATUS:{status}"));
        line(&mut out, "END:VTODO");
    }
    line(&mut out, "END:VCALENDAR");
    out
}

fn day(date: Date) -> String {
    date.strftime("%Y%m%d").to_string()
}

/// Escapes a TEXT value: backslash, semicolon, comma and line breaks (RFC 5545 3.3.11).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            // Other control characters are not allowed in TEXT.
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line folded at 75 octets, each line ended by CRLF; a continuation
/// line starts with a space, which counts towards its 75.
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;
    use proptest::prelude::*;

    use super::*;

    /// Undoes the folding: a CRLF followed by a space joins the lines.
    fn unfold(text: &str) -> String {
        text.replace("\r\n ", "")
    }

    #[test]
    fn escapes_text_specials() {
        assert_eq!(
            escape("Rückgabe: 30 Tage; Hotline, Mo–Fr\\Sa\nneu"),
            "Rückgabe: 30 Tage\\; Hotline\\, Mo–Fr\\\\Sa\\nneu"
        );
        assert_eq!(escape("a\r\nb"), "a\\nb");
    }

    #[test]
    fn folds_at_75_octets_without_splitting_a_character() {
        let mut out = String::new();
        // "SUMMARY:" is 8 octets, then 70 "ä" of two octets each.
        line(&mut out, &format!("SUMMARY:{}", "ä".repeat(70)));
        let lines: Vec<&str> = out.split("\r\n").collect();
        // 8 + 33 × 2 = 74 (a 34th would make 76); then 1 + 37 × 2 = 75: 33 + 37 = 70.
        assert_eq!(lines[0].len(), 74);
        assert_eq!(lines[1].len(), 75);
        assert!(lines[1].starts_with(' '));
        assert_eq!(lines[2], "");
        assert_eq!(lines.len(), 3);
        assert_eq!(unfold(&out), format!("SUMMARY:{}\r\n", "ä".repeat(70)));
    }

    #[test]
    fn a_calendar_with_one_todo() {
        let stamp: Timestamp = "2027-03-01T08:30:00Z".parse().expect("instant");
        let text = calendar(
            "-//Touchpoints//Programme//DE",
            "30-Tage-Programm",
            stamp,
            &[Todo {
                uid: "r1-2027-03-01-inventory_complete@touchpoints".into(),
                summary: "Bestandsaufnahme, vollständig".into(),
                description: String::new(),
                start: date(2027, 3, 1),
                due: date(2027, 3, 5),
                completed: true,
                url: Some("https://cx.example/touchpoints".into()),
            }],
        );
        assert_eq!(
            text,
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Touchpoints//Programme//DE\r\n\
             CALSCALE:GREGORIAN\r\nX-WR-CALNAME:30-Tage-Programm\r\nBEGIN:VTODO\r\n\
             UID:r1-2027-03-01-inventory_complete@touchpoints\r\nDTSTAMP:20270301T083000Z\r\n\
             DTSTART;VALUE=DATE:20270301\r\nDUE;VALUE=DATE:20270305\r\n\
             SUMMARY:Bestandsaufnahme\\, vollständig\r\nURL:https://cx.example/touchpoints\r\n\
             STATUS:COMPLETED\r\nEND:VTODO\r\nEND:VCALENDAR\r\n"
        );
    }

    proptest! {
        /// Every line of any text is at most 75 octets, ends in CRLF, and unfolds to the
        /// content line it came from.
        #[test]
        fn folded_lines_fit_and_unfold(text in "\\PC{0,300}") {
            let mut out = String::new();
            let content = format!("DESCRIPTION:{}", escape(&text));
            line(&mut out, &content);
            prop_assert!(out.ends_with("\r\n"));
            for l in out.trim_end_matches("\r\n").split("\r\n") {
                prop_assert!(l.len() <= 75, "{} octets", l.len());
            }
            prop_assert_eq!(unfold(&out), format!("{content}\r\n"));
            // An escaped text holds no bare line break.
            prop_assert!(!escape(&text).contains('\n'));
        }
    }
}
