//! How a message greets a customer, from the salutation and name their profile holds, in
//! German or English, formal or informal as the guideline's form of address says:
//! "Sehr geehrte Frau Schulz", "Sehr geehrter Herr Dr. Yilmaz", "Guten Tag Alex Weber" when
//! the salutation is unknown or diverse, "Hallo Anna" in Du-tone; "Dear Ms Schulz", "Hello
//! Alex Weber", "Hi Anna".

use crate::consistency::tone::Address;

/// The greeting, without the comma that follows it.
pub fn greeting(salutation: &str, name: &str, language: &str, address: Address) -> String {
    let english = language.trim().eq_ignore_ascii_case("en");
    let words: Vec<&str> = name.split_whitespace().collect();
    let full = words.join(" ");
    let first = words.first().copied().unwrap_or_default();
    let last = words.last().copied().unwrap_or_default();
    let (form, title) = form_of(salutation);
    let with = |opening: &str, rest: &str| match rest.trim() {
        "" => opening.to_owned(),
        rest => format!("{opening} {rest}"),
    };
    if address == Address::Informal {
        return with(if english { "Hi" } else { "Hallo" }, first);
    }
    let titled = |honorific: &str| {
        [honorific, title, last]
            .iter()
            .filter(|w| !w.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ")
    };
    match (form, last.is_empty(), english) {
        (Form::Female, false, false) => format!("Sehr geehrte {}", titled("Frau")),
        (Form::Male, false, false) => format!("Sehr geehrter {}", titled("Herr")),
        (Form::Female, false, true) => format!("Dear {}", titled("Ms")),
        (Form::Male, false, true) => format!("Dear {}", titled("Mr")),
        (_, _, false) => with("Guten Tag", &full),
        (_, _, true) => with("Hello", &full),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Female,
    Male,
    /// Unknown, diverse, or a title alone: greeted by the full name.
    Neutral,
}

/// The form a salutation asks for and the academic title in it ("Frau Dr." is a woman with a
/// doctorate).
fn form_of(salutation: &str) -> (Form, &str) {
    let salutation = salutation.trim();
    let (head, title) = salutation
        .split_once(char::is_whitespace)
        .map_or((salutation, ""), |(h, t)| (h, t.trim()));
    let head = head.trim_end_matches('.').to_lowercase();
    match head.as_str() {
        "frau" | "ms" | "mrs" | "miss" => (Form::Female, title),
        "herr" | "mr" => (Form::Male, title),
        _ => (Form::Neutral, ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_forms_follow_the_salutation_and_the_tone() {
        let formal = |s: &str, n: &str| greeting(s, n, "de", Address::Formal);
        assert_eq!(formal("Frau", "Petra Schulz"), "Sehr geehrte Frau Schulz");
        assert_eq!(formal("Herr", "Murat Yilmaz"), "Sehr geehrter Herr Yilmaz");
        assert_eq!(
            formal("Frau Dr.", "Anna Becker"),
            "Sehr geehrte Frau Dr. Becker"
        );
        assert_eq!(formal("", "Alex  Weber"), "Guten Tag Alex Weber");
        assert_eq!(formal("divers", "Alex Weber"), "Guten Tag Alex Weber");
        assert_eq!(formal("Dr.", "Alex Weber"), "Guten Tag Alex Weber");
        assert_eq!(formal("Frau", ""), "Guten Tag");
        assert_eq!(
            greeting("Frau", "Anna Schulz", "de", Address::Informal),
            "Hallo Anna"
        );
        assert_eq!(greeting("", "", "de", Address::Informal), "Hallo");
    }

    #[test]
    fn english_forms_likewise_and_other_languages_read_as_german() {
        let formal = |s: &str, n: &str| greeting(s, n, "EN", Address::Formal);
        assert_eq!(formal("Frau", "Petra Schulz"), "Dear Ms Schulz");
        assert_eq!(formal("Mr.", "John Smith"), "Dear Mr Smith");
        assert_eq!(formal("", "Alex Weber"), "Hello Alex Weber");
        assert_eq!(formal("", ""), "Hello");
        assert_eq!(
            greeting("Herr", "Tom Berg", "en", Address::Informal),
            "Hi Tom"
        );
        assert_eq!(
            greeting("Herr", "Tom Berg", "fr", Address::Formal),
            "Sehr geehrter Herr Berg"
        );
    }
}
