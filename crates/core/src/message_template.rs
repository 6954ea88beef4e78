//! Templates of messages to customers: reply templates and campaign texts written once in
//! Jinja syntax (minijinja) and filled with one customer's data when used.
//!
//! A template runs in a sandbox. It reads only the [`VARIABLES`] of [`MessageData`] and uses
//! only the [`FILTERS`] and [`TESTS`] listed here; there is no loader, so `include`, `import`
//! and `extends` find nothing (no file or network access); its work is bounded by fuel and
//! its output by [`MAX_OUTPUT_BYTES`], so a template saved by a manager can neither stall the
//! server nor fill a mail with megabytes. [`check`] finds what would fail at use when the
//! template is saved: an unknown variable, filter or test, named with line and column, even in
//! a branch a given customer would not reach.
//!
//! Filling is minijinja's: for the common case (text, fields, conditions, loops over the
//! segments, a few filters) `direct` runs the instructions minijinja compiled on the
//! customer's fields without converting them, several times faster; anything else, and
//! every error, is the engine's.

mod direct;

use minijinja::{Environment, ErrorKind, UndefinedBehavior};
use serde::{Deserialize, Serialize};

use crate::problem::{Problem, Problems, check_text};

/// The longest name of a template, in characters.
pub const NAME_MAX: usize = 120;
/// The longest subject template, in characters.
pub const SUBJECT_MAX: usize = 200;
/// The longest template, in characters.
pub const MAX_SOURCE_CHARS: usize = 5_000;
/// The most a template may write for one customer, in bytes.
pub const MAX_OUTPUT_BYTES: usize = 100_000;
/// The work one rendering may do: an instruction costs one fuel, and every 64 bytes written
/// or made cost one more. Generous for any message; small enough that a loop gone wrong
/// ends in milliseconds, and that no rendering makes more than about 3 MB of text before
/// [`MAX_OUTPUT_BYTES`] is applied to what it wrote.
const FUEL: u64 = 50_000;

/// The variables a template can use: the fields of [`MessageData`], in its order.
pub const VARIABLES: [&str; 17] = [
    "greeting",
    "salutation",
    "name",
    "first_name",
    "last_name",
    "customer_number",
    "segment",
    "segments",
    "language",
    "lifetime_value",
    "last_order_date",
    "last_order_amount",
    "open_requests",
    "touchpoint",
    "request_number",
    "subject",
    "agent",
];

/// The filters a template can use.
pub const FILTERS: [&str; 15] = [
    "capitalize",
    "default",
    "first",
    "int",
    "join",
    "last",
    "length",
    "lower",
    "replace",
    "reverse",
    "round",
    "sort",
    "title",
    "trim",
    "upper",
];

/// The tests a template can use (`{% if segments is defined %}`).
pub const TESTS: [&str; 9] = [
    "defined",
    "undefined",
    "none",
    "number",
    "string",
    "odd",
    "even",
    "eq",
    "ne",
];

/// What a template knows of the customer and the occasion. Every text is empty when unknown
/// (and a number 0), so `{{ first_name or "Kundin, Kunde" }}` and `{{ first_name |
/// default("…", true) }}` give a fallback; nothing is ever undefined.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MessageData {
    /// "Sehr geehrte Frau Schulz", "Guten Tag Alex Weber", "Hallo Anna", "Dear Ms Schulz":
    /// by salutation, name, language and the guideline's form of address.
    pub greeting: String,
    pub salutation: String,
    pub name: String,
    pub first_name: String,
    pub last_name: String,
    pub customer_number: String,
    /// The first of the profile's segments.
    pub segment: String,
    pub segments: Vec<String>,
    /// `de` or `en`.
    pub language: String,
    /// What the customer has bought so far, as money is written in their language.
    pub lifetime_value: String,
    /// The day of the customer's last purchase, as written in their language.
    pub last_order_date: String,
    pub last_order_amount: String,
    pub open_requests: u64,
    /// The touchpoint's name.
    pub touchpoint: String,
    /// The request's number ("#42"), for a reply.
    pub request_number: String,
    /// The request's subject, for a reply.
    pub subject: String,
    /// The name of the staff member who writes.
    pub agent: String,
}

/// A template as written: a reply's text with its subject.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateFields {
    /// What agents pick it by: 1–120 characters.
    pub name: String,
    /// `de` or `en`: the customers it is written for.
    pub language: String,
    /// The subject of a mail it starts, itself a template of at most 200 characters; empty
    /// for a reply, which keeps the request's subject.
    #[serde(default)]
    pub subject: String,
    /// The text, a template of at most 5,000 characters.
    pub body: String,
}

impl TemplateFields {
    /// The fields trimmed, or every problem: name, language, and each template's faults at
    /// their line and column.
    pub fn checked(&self) -> Result<TemplateFields, Problems> {
        let mut problems = Problems::default();
        let name = check_text(&mut problems, "name", &self.name, NAME_MAX, true);
        let checked = self.check_message(&mut problems);
        problems.into_result(TemplateFields { name, ..checked })
    }

    /// Like [`TemplateFields::checked`] without the name: what a preview of a draft needs.
    pub fn checked_message(&self) -> Result<TemplateFields, Problems> {
        let mut problems = Problems::default();
        let checked = self.check_message(&mut problems);
        problems.into_result(checked)
    }

    fn check_message(&self, problems: &mut Problems) -> TemplateFields {
        let language = self.language.trim().to_lowercase();
        if !matches!(language.as_str(), "de" | "en") {
            problems.push(
                "language",
                Problem::Unknown {
                    value: self.language.clone(),
                    allowed: vec!["de".into(), "en".into()],
                },
            );
        }
        let subject = check_text(problems, "subject", &self.subject, SUBJECT_MAX, false);
        check_text(problems, "body", &self.body, MAX_SOURCE_CHARS, true);
        for (field, text) in [("subject", subject.as_str()), ("body", self.body.as_str())] {
            if problems.0.iter().all(|p| p.field != field) {
                for problem in check(text) {
                    problems.push(field, problem.into());
                }
            }
        }
        TemplateFields {
            name: self.name.clone(),
            language,
            subject,
            body: self.body.clone(),
        }
    }
}

/// What is wrong with a template, or went wrong filling it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum TemplateFault {
    UnknownVariable,
    UnknownFilter,
    UnknownTest,
    /// Not valid template syntax.
    Syntax,
    /// It would write more than [`MAX_OUTPUT_BYTES`].
    TooLong,
    /// It would run more than its fuel allows (a loop without end, say).
    TooMuchWork,
    /// Anything else that failed while filling it in (an operation on the wrong type).
    Render,
}

/// One problem of a template, at a place in its text (both counted from 1; the column in
/// characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateProblem {
    pub line: usize,
    pub column: usize,
    pub fault: TemplateFault,
    /// The unknown name, or the template engine's own words.
    pub detail: String,
}

/// Statements that would read another template.
const ELSEWHERE: [&str; 4] = ["include", "import", "from", "extends"];

/// The sandbox a template runs in.
fn sandbox<'s>() -> Environment<'s> {
    use minijinja::{filters as f, tests as t};
    // `empty`: no filter, test or function but those added here.
    let mut env = Environment::empty();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(FUEL));
    env.add_filter("capitalize", f::capitalize);
    env.add_filter("default", f::default);
    env.add_filter("first", f::first);
    env.add_filter("int", f::int);
    env.add_filter("join", f::join);
    env.add_filter("last", f::last);
    env.add_filter("length", f::length);
    env.add_filter("lower", f::lower);
    env.add_filter("replace", f::replace);
    env.add_filter("reverse", f::reverse);
    env.add_filter("round", f::round);
    env.add_filter("sort", f::sort);
    env.add_filter("title", f::title);
    env.add_filter("trim", f::trim);
    env.add_filter("upper", f::upper);
    env.add_test("defined", t::is_defined);
    env.add_test("undefined", t::is_undefined);
    env.add_test("none", t::is_none);
    env.add_test("number", t::is_number);
    env.add_test("string", t::is_string);
    env.add_test("odd", t::is_odd);
    env.add_test("even", t::is_even);
    env.add_test("eq", t::is_eq);
    env.add_test("ne", t::is_ne);
    env
}

/// The name a template has in its sandbox.
const NAME: &str = "message";

/// A checked template, ready to be filled for one customer after another.
pub struct Compiled<'s> {
    /// A sandbox of its own, holding the compiled template.
    env: Environment<'s>,
    source: &'s str,
    /// The same instructions run on the data as it is, when the template only uses what
    /// that models.
    direct: Option<direct::Direct>,
}

/// Checks a template and compiles it: every problem [`check`] finds, or the template.
pub fn compile(source: &str) -> Result<Compiled<'_>, Vec<TemplateProblem>> {
    if source.chars().count() > MAX_SOURCE_CHARS {
        return Err(vec![TemplateProblem {
            line: 1,
            column: 1,
            fault: TemplateFault::TooLong,
            detail: format!("at most {MAX_SOURCE_CHARS} characters"),
        }]);
    }
    let compiled = Compiled::new(source).map_err(|e| vec![e])?;
    let template = compiled
        .env
        .get_template(NAME)
        .map_err(|e| vec![problem_of(source, &e)])?;
    let mut problems = unknown_names(source, &template);
    if problems.is_empty() {
        // What the text alone does not show, such as `"a" + 1`: a trial with a full record
        // and with an empty one.
        for data in [MessageData::example(), MessageData::default()] {
            if let Err(e) = compiled.render(&data) {
                problems.push(e);
                break;
            }
        }
        if problems.is_empty() {
            return Ok(compiled);
        }
    }
    Err(problems)
}

/// The problems of a template, none when it can be saved.
pub fn check(source: &str) -> Vec<TemplateProblem> {
    compile(source).err().unwrap_or_default()
}

/// Fills a template for one customer. Checked or not, it fails when what this customer
/// reaches cannot be filled.
pub fn render(source: &str, data: &MessageData) -> Result<String, TemplateProblem> {
    Compiled::new(source)?.render(data)
}

impl<'s> Compiled<'s> {
    fn new(source: &'s str) -> Result<Compiled<'s>, TemplateProblem> {
        let mut env = sandbox();
        env.add_template(NAME, source)
            .map_err(|e| problem_of(source, &e))?;
        let direct = env.get_template(NAME).ok().and_then(|template| {
            direct::Direct::compile(
                &minijinja::machinery::get_compiled_template(&template).instructions,
            )
        });
        Ok(Compiled {
            env,
            source,
            direct,
        })
    }

    /// The text for one customer.
    pub fn render(&self, data: &MessageData) -> Result<String, TemplateProblem> {
        let text = match self.direct.as_ref().and_then(|direct| direct.render(data)) {
            Some(text) => text,
            None => self.render_by_engine(data)?,
        };
        if text.len() > MAX_OUTPUT_BYTES {
            return Err(TemplateProblem {
                line: 1,
                column: 1,
                fault: TemplateFault::TooLong,
                detail: format!("more than {MAX_OUTPUT_BYTES} bytes"),
            });
        }
        Ok(text)
    }

    /// The text for one customer as the template engine alone fills it, which [`render`]
    /// falls back to: for comparing the two.
    ///
    /// [`render`]: Compiled::render
    pub fn render_by_engine(&self, data: &MessageData) -> Result<String, TemplateProblem> {
        let fail = |e: minijinja::Error| problem_of(self.source, &e);
        let template = self.env.get_template(NAME).map_err(fail)?;
        template.render(minijinja::value::Serde(data)).map_err(fail)
    }
}

fn problem_of(source: &str, error: &minijinja::Error) -> TemplateProblem {
    let fault = match error.kind() {
        ErrorKind::SyntaxError | ErrorKind::TemplateNotFound => TemplateFault::Syntax,
        ErrorKind::UndefinedError => TemplateFault::UnknownVariable,
        ErrorKind::UnknownFilter => TemplateFault::UnknownFilter,
        ErrorKind::UnknownTest => TemplateFault::UnknownTest,
        ErrorKind::OutOfFuel => TemplateFault::TooMuchWork,
        _ => TemplateFault::Render,
    };
    let detail = error
        .detail()
        .map_or_else(|| error.kind().to_string(), str::to_owned);
    let (line, column) = match error.range() {
        Some(range) => position(source, range.start),
        None => (error.line().unwrap_or(1), 1),
    };
    TemplateProblem {
        line,
        column,
        fault,
        detail,
    }
}

/// Line and column (from 1, the column in characters) of a byte offset.
fn position(source: &str, offset: usize) -> (usize, usize) {
    let before = &source[..source.floor_char_boundary(offset.min(source.len()))];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Unknown variables (from the engine's own analysis, so names a template declares with
/// `set`, `for` or a macro are not taken for them), filters and tests, each at its first use.
fn unknown_names(source: &str, template: &minijinja::Template<'_, '_>) -> Vec<TemplateProblem> {
    let tokens = tag_tokens(source);
    let mut problems = Vec::new();
    let mut unknown_variables: Vec<String> = template
        .undeclared_variables(false)
        .into_iter()
        .filter(|name| !VARIABLES.contains(&name.as_str()))
        .collect();
    unknown_variables.sort();
    for name in unknown_variables {
        let offset = tokens
            .iter()
            .find(|t| matches!(t.after, After::Other | After::Statement) && t.text == name)
            .map_or(0, |t| t.offset);
        problems.push(at(source, offset, TemplateFault::UnknownVariable, name));
    }
    for token in &tokens {
        let (fault, known): (_, &[&str]) = match token.after {
            After::Pipe => (TemplateFault::UnknownFilter, &FILTERS),
            After::Is => (TemplateFault::UnknownTest, &TESTS),
            // A template is one text: it reads no other (nor itself) by any name.
            After::Statement if ELSEWHERE.contains(&token.text) => {
                problems.push(at(
                    source,
                    token.offset,
                    TemplateFault::Syntax,
                    format!(
                        "`{}` is not available: a template reads no other",
                        token.text
                    ),
                ));
                continue;
            }
            After::Statement | After::Dot | After::Other => continue,
        };
        if !known.contains(&token.text) {
            problems.push(at(source, token.offset, fault, token.text.to_owned()));
        }
    }
    problems.sort_by_key(|p| (p.line, p.column));
    problems
}

fn at(source: &str, offset: usize, fault: TemplateFault, detail: String) -> TemplateProblem {
    let (line, column) = position(source, offset);
    TemplateProblem {
        line,
        column,
        fault,
        detail,
    }
}

/// What comes right before a name inside a tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum After {
    /// An attribute: `customer.name`.
    Dot,
    /// A filter: `name | upper`.
    Pipe,
    /// A test: `x is defined`, `x is not none`.
    Is,
    /// The first word of a statement: `if`, `for`, `set`, `include`.
    Statement,
    Other,
}

struct Token<'s> {
    text: &'s str,
    offset: usize,
    after: After,
}

/// The names inside `{{ … }}` and `{% … %}` (not in comments or string literals), with what
/// precedes each.
fn tag_tokens(source: &str) -> Vec<Token<'_>> {
    let bytes = source.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while let Some(open) = source[i..].find('{').map(|p| p + i) {
        let close = match bytes.get(open + 1) {
            Some(b'{') => "}}",
            Some(b'%') => "%}",
            Some(b'#') => {
                i = source[open..]
                    .find("#}")
                    .map_or(source.len(), |p| open + p + 2);
                continue;
            }
            _ => {
                i = open + 1;
                continue;
            }
        };
        let mut j = open + 2;
        let mut after = After::Other;
        let mut previous_word = "";
        let mut first_word = None;
        // Bytes, not characters: the loop steps over a character's bytes one by one.
        while j < bytes.len() && !bytes[j..].starts_with(close.as_bytes()) {
            let c = bytes[j];
            if c == b'"' || c == b'\'' {
                j += 1;
                while j < bytes.len() && bytes[j] != c {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                j += 1;
                after = After::Other;
                previous_word = "";
            } else if c.is_ascii_alphabetic() || c == b'_' {
                let start = j;
                while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_') {
                    j += 1;
                }
                let word = &source[start..j];
                let statement = close == "%}" && first_word.is_none();
                first_word.get_or_insert(word);
                match word {
                    "is" => after = After::Is,
                    "not" if previous_word == "is" => {}
                    // `{% filter upper %}…{% endfilter %}` names a filter too.
                    "filter" if statement => after = After::Pipe,
                    _ => {
                        tokens.push(Token {
                            text: word,
                            offset: start,
                            after: if statement { After::Statement } else { after },
                        });
                        after = After::Other;
                    }
                }
                previous_word = word;
            } else {
                match c {
                    b'.' => after = After::Dot,
                    b'|' => after = After::Pipe,
                    c if c.is_ascii_whitespace() => {}
                    _ => after = After::Other,
                }
                if !c.is_ascii_whitespace() {
                    previous_word = "";
                }
                j += 1;
            }
        }
        i = (j + close.len()).min(source.len());
        // What a raw block holds is text, not names.
        if close == "%}" && first_word == Some("raw") {
            i = source[i..].find("endraw").map_or(source.len(), |p| i + p);
        }
    }
    tokens
}

impl MessageData {
    /// A customer with every field known, for trials and previews.
    pub fn example() -> MessageData {
        MessageData {
            greeting: "Sehr geehrte Frau Schulz".into(),
            salutation: "Frau".into(),
            name: "Petra Schulz".into(),
            first_name: "Petra".into(),
            last_name: "Schulz".into(),
            customer_number: "KD-10001".into(),
            segment: "premium".into(),
            segments: vec!["premium".into(), "newsletter".into()],
            language: "de".into(),
            lifetime_value: "1.234,50 €".into(),
            last_order_date: "02.03.2026".into(),
            last_order_amount: "499 €".into(),
            open_requests: 2,
            touchpoint: "Kundenhotline".into(),
            request_number: "#42".into(),
            subject: "Lieferung".into(),
            agent: "Jonas Berg".into(),
        }
    }
}

/// First and last name of a full name: the first word and the last, titles ("Dr.", "Prof.")
/// left out, "Schulz, Petra" read as last name first. One word is a first name only when
/// there is no salutation to go with it, as "Frau Schulz" names a last name.
pub fn split_name(name: &str, salutation: &str) -> (String, String) {
    if let Some((last, first)) = name.split_once(',') {
        let (first, _) = split_name(first, "");
        return (first, last.trim().to_owned());
    }
    let words: Vec<&str> = name
        .split_whitespace()
        .filter(|w| !w.ends_with('.'))
        .collect();
    match words.as_slice() {
        [] => (String::new(), String::new()),
        [one] if salutation.trim().is_empty() => ((*one).to_owned(), String::new()),
        [one] => (String::new(), (*one).to_owned()),
        [first, .., last] => ((*first).to_owned(), (*last).to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn faults(source: &str) -> Vec<(usize, usize, TemplateFault, String)> {
        check(source)
            .into_iter()
            .map(|p| (p.line, p.column, p.fault, p.detail))
            .collect()
    }

    #[test]
    fn the_variables_are_the_fields_of_the_data() {
        let json = serde_json::to_value(MessageData::default()).expect("json");
        let keys: Vec<&str> = json
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        let mut variables = VARIABLES.to_vec();
        variables.sort_unstable();
        let mut keys = keys;
        keys.sort_unstable();
        assert_eq!(keys, variables);
    }

    #[test]
    fn a_template_is_filled_with_the_customers_data() {
        let text = render(
            "{{ greeting }},\n\nIhre Bestellung vom {{ last_order_date }} über \
             {{ last_order_amount }} ist unterwegs.{% if open_requests > 1 %} Sie haben \
             {{ open_requests }} offene Anliegen.{% endif %}\n\n{{ agent }}",
            &MessageData::example(),
        )
        .expect("render");
        assert_eq!(
            text,
            "Sehr geehrte Frau Schulz,\n\nIhre Bestellung vom 02.03.2026 über 499 € ist \
             unterwegs. Sie haben 2 offene Anliegen.\n\nJonas Berg"
        );
    }

    #[test]
    fn missing_fields_are_empty_and_fall_back() {
        let source = "Hallo {{ first_name or \"liebe Kundin, lieber Kunde\" }}! \
                      Nr. {{ customer_number | default(\"unbekannt\", true) }}{{ segment }}.";
        assert_eq!(
            render(source, &MessageData::default()).expect("render"),
            "Hallo liebe Kundin, lieber Kunde! Nr. unbekannt."
        );
        assert_eq!(
            render(source, &MessageData::example()).expect("render"),
            "Hallo Petra! Nr. KD-10001premium."
        );
    }

    #[test]
    fn unknown_names_are_named_with_line_and_column_even_in_branches_not_taken() {
        assert_eq!(
            faults("Hallo {{ vorname }}"),
            [(1, 10, TemplateFault::UnknownVariable, "vorname".into())]
        );
        assert_eq!(
            faults("Hallo\n{% if false %}\n  {{ name | shout }}{% endif %}"),
            [(3, 13, TemplateFault::UnknownFilter, "shout".into())]
        );
        assert_eq!(
            faults("{% if name is not blank %}x{% endif %}"),
            [(1, 19, TemplateFault::UnknownTest, "blank".into())]
        );
        // Umlauts before count as one column each.
        assert_eq!(
            faults("Grüße {{ kundennr }}"),
            [(1, 10, TemplateFault::UnknownVariable, "kundennr".into())]
        );
        let both = faults("{{ a }}\n{{ name | b }}");
        assert_eq!(both.len(), 2, "{both:?}");
        assert_eq!((both[0].0, both[0].1), (1, 4));
        assert_eq!(
            (both[1].0, both[1].1, both[1].2),
            (2, 11, TemplateFault::UnknownFilter)
        );
    }

    #[test]
    fn names_a_template_declares_and_text_in_strings_are_not_unknown() {
        assert_eq!(
            faults(
                "{% set n = segments | length %}{% for s in segments %}{{ loop.index }} {{ s \
                 | upper }}{% endfor %}{{ n }} {{ \"x | y is z\" }}{# {{ nix }} #}"
            ),
            []
        );
    }

    #[test]
    fn syntax_errors_have_their_line() {
        let found = faults("Hallo\n{% if name %}offen");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, 2, "{found:?}");
        assert_eq!(found[0].2, TemplateFault::Syntax);
    }

    #[test]
    fn the_sandbox_reads_no_files_and_bounds_work_and_output() {
        // Nothing is read from elsewhere, not even the template itself, in any branch.
        for reading in [
            "{% include \"/etc/passwd\" %}",
            "{% if false %}{% include \"message\" %}{% endif %}",
            "{% if false %}{% import \"message\" as m %}{% endif %}",
            "{% from \"message\" import x %}",
            "{% extends \"message\" %}",
        ] {
            let found = faults(reading);
            assert!(!found.is_empty(), "{reading}");
            assert!(
                found.iter().all(|f| f.2 == TemplateFault::Syntax),
                "{reading}: {found:?}"
            );
        }
        // No `range` function: loops run only over the data's own lists.
        assert_eq!(
            faults("{% for i in range(10) %}{% endfor %}")[0].2,
            TemplateFault::UnknownVariable
        );
        let long = "{% for s in segments %}{{ name * 5000 }}{% endfor %}";
        assert_eq!(faults(long)[0].2, TemplateFault::TooLong);
        let busy = "{% macro f(n) %}{% if n > 0 %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}\
                    {% endmacro %}{{ f(30) }}";
        assert_eq!(faults(busy)[0].2, TemplateFault::TooMuchWork);
        let deep = "{% macro f(n) %}{% if n > 0 %}{{ f(n - 1) }}{% endif %}{% endmacro %}\
                    {{ f(1000) }}";
        let found = faults(deep);
        assert_eq!(found.len(), 1);
        assert!(found[0].3.contains("recursion"), "{found:?}");
        let too_big = "x".repeat(MAX_SOURCE_CHARS + 1);
        assert_eq!(faults(&too_big)[0].2, TemplateFault::TooLong);
    }

    #[test]
    fn raw_blocks_are_text_and_filter_blocks_name_filters() {
        assert_eq!(
            faults("{% raw %}{{ ä | foo }} {{ x }}{% endraw %}{{ name }}"),
            []
        );
        assert_eq!(
            render("{% raw %}{{ ä }}{% endraw %}", &MessageData::default()).expect("render"),
            "{{ ä }}"
        );
        assert_eq!(
            faults("{% if false %}{% filter shout %}x{% endfilter %}{% endif %}"),
            [(1, 25, TemplateFault::UnknownFilter, "shout".into())]
        );
        assert_eq!(
            render(
                "{% filter upper %}{{ name }}{% endfilter %}",
                &MessageData::example()
            )
            .expect("render"),
            "PETRA SCHULZ"
        );
        // Non-ASCII text inside a tag is read byte by byte without splitting a character.
        assert!(
            !faults("{{ name ~ \"ä\" }}{{ \"€\" }}")
                .iter()
                .any(|f| f.2 == TemplateFault::UnknownVariable)
        );
    }

    #[test]
    fn every_listed_filter_and_test_is_there() {
        for filter in FILTERS {
            let found = faults(&format!("{{{{ segments | {filter} }}}}"));
            assert!(
                found.iter().all(|f| f.2 != TemplateFault::UnknownFilter),
                "{filter}: {found:?}"
            );
        }
        for test in TESTS {
            let found = faults(&format!(
                "{{% if open_requests is {test}(1) %}}x{{% endif %}}"
            ));
            assert!(
                found.iter().all(|f| f.2 != TemplateFault::UnknownTest),
                "{test}: {found:?}"
            );
        }
    }

    #[test]
    fn type_errors_show_in_the_trial() {
        let found = faults("{{ name + 1 }}");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].2, TemplateFault::Render);
    }

    #[test]
    fn fields_are_checked_with_each_templates_problems_under_its_field() {
        let fields = TemplateFields {
            name: "  Lieferverzug ".into(),
            language: "DE".into(),
            subject: "Ihre Bestellung {{ nummer }}".into(),
            body: "{{ greeting }},\n{{ name | fett }}".into(),
        };
        let problems = fields.checked().expect_err("unknown names");
        let found: Vec<String> = problems.0.iter().map(ToString::to_string).collect();
        assert_eq!(
            found,
            [
                "subject: line 1, column 20: unknown variable `nummer`",
                "body: line 2, column 11: unknown filter `fett`",
            ]
        );
        let fine = TemplateFields {
            subject: String::new(),
            body: "{{ greeting }},".into(),
            ..fields
        };
        let checked = fine.checked().expect("valid");
        assert_eq!(
            (checked.name.as_str(), checked.language.as_str()),
            ("Lieferverzug", "de")
        );
        let empty = TemplateFields::default().checked().expect_err("empty");
        let fields: Vec<&str> = empty.0.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["name", "language", "body"]);
    }

    #[test]
    fn names_split_into_first_and_last() {
        assert_eq!(
            split_name("Petra  Schulz", "Frau"),
            ("Petra".into(), "Schulz".into())
        );
        assert_eq!(
            split_name("Anna Maria Becker", ""),
            ("Anna".into(), "Becker".into())
        );
        assert_eq!(split_name("Schulz", "Frau"), ("".into(), "Schulz".into()));
        assert_eq!(split_name("Alex", ""), ("Alex".into(), "".into()));
        assert_eq!(split_name(" ", ""), ("".into(), "".into()));
        assert_eq!(
            split_name("Dr. Petra Schulz", "Frau"),
            ("Petra".into(), "Schulz".into())
        );
        assert_eq!(
            split_name("Schulz, Petra Maria", ""),
            ("Petra".into(), "Schulz".into())
        );
    }
}
