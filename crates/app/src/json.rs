//! JSON input that does not fit, named the way the caller wrote it: a body that is not JSON is
//! malformed, JSON of the wrong shape an invalid input naming the field with its path
//! (`importance.loyalty`, `requests[3].channel`). The API and the command line read JSON
//! through here, so a problem has one name wherever it is reported, and every struct is
//! read only from an object ([`ObjectsOnly`]).

use serde::de::DeserializeOwned;
use touchpoints_core::object::ObjectsOnly;
use touchpoints_core::{Problem, Problems};

use crate::AppError;

/// Parses a JSON document into `T`. Syntax is checked first, so a broken document is
/// malformed whatever it contains.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    // One pass over the bytes: a syntax error anywhere is malformed input, a value of the
    // wrong shape in well-formed JSON an invalid one naming its field.
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(ObjectsOnly(&mut deserializer)).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if !inner.is_data() {
            return malformed(&inner);
        }
        // The shape failed before the end was read: the rest must be JSON too.
        if let Err(syntax) = serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
            return malformed(&syntax);
        }
        let (field, problem) = data_problem(&path, &inner);
        AppError::Invalid(Problems::single(field, problem))
    });
    let value = match value {
        Ok(value) => value,
        Err(error) => return with_whole_numbers(bytes).ok_or(error),
    };
    deserializer.end().map_err(|e| malformed(&e))?;
    Ok(value)
}

/// Writes every whole number that has a fraction or an exponent (`3.0`, `1e2`) as an
/// integer; true if there was one.
fn normalise_whole_numbers(value: &mut serde_json::Value) -> bool {
    match value {
        serde_json::Value::Number(n) if !n.is_i64() && !n.is_u64() => {
            let Some(f) = n.as_f64() else {
                return false;
            };
            // 2^63 is the first float past i64::MAX; every float below it is exact.
            if f.fract() == 0.0
                && (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&f)
            {
                *value = serde_json::Value::from(f as i64);
                return true;
            }
            false
        }
        serde_json::Value::Array(items) => items
            .iter_mut()
            .fold(false, |c, v| normalise_whole_numbers(v) | c),
        serde_json::Value::Object(map) => map
            .values_mut()
            .fold(false, |c, v| normalise_whole_numbers(v) | c),
        _ => false,
    }
}

/// JSON knows one kind of number, and JSON Schema counts `3.0` and `1e2` as integers: a
/// document that failed only because a whole number was written with a fraction or an
/// exponent is read again with those numbers as integers. Only a document that failed pays
/// for the second pass.
fn with_whole_numbers<T: DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    let mut value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    if !normalise_whole_numbers(&mut value) {
        return None;
    }
    T::deserialize(ObjectsOnly(value)).ok()
}

/// Reads `T` from one JSON document, structs only from objects, without naming a problem:
/// the fast path for input that is expected to be well-formed.
pub(crate) fn from_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = T::deserialize(ObjectsOnly(&mut deserializer))?;
    deserializer.end()?;
    Ok(value)
}

/// The error of a document that is not JSON, with where it breaks.
pub(crate) fn malformed(e: &serde_json::Error) -> AppError {
    AppError::Malformed(format!(
        "malformed JSON at line {}, column {}: {e}",
        e.line(),
        e.column()
    ))
}

/// Reads `T` from a part of a document that was JSON already, naming a field that does not
/// fit `{prefix}{path}` (`requests[3].channel`).
pub fn from_value<T: DeserializeOwned>(
    mut value: serde_json::Value,
    prefix: &str,
) -> Result<T, Problems> {
    normalise_whole_numbers(&mut value);
    serde_path_to_error::deserialize(ObjectsOnly(value)).map_err(|e| {
        let (field, problem) = data_problem(&e.path().to_string(), e.inner());
        let field = match (prefix.strip_suffix('.'), field.is_empty()) {
            (Some(whole), true) => whole.to_owned(),
            _ => format!("{prefix}{field}"),
        };
        Problems::single(field, problem)
    })
}

/// Names the field of a data error at `path`. serde reports a missing or unknown field at the
/// path of the object that lacks or has it, so the field's own name is taken from the message.
pub fn data_problem(path: &str, error: &impl std::fmt::Display) -> (String, Problem) {
    let message = error.to_string();
    // serde_json appends " at line L column C"; the field name is enough for people.
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(m, _)| m)
        .to_owned();
    let base = if path == "." { "" } else { path };
    let join = |name: &str| {
        if base.is_empty() {
            name.to_owned()
        } else {
            format!("{base}.{name}")
        }
    };
    let quoted = |prefix: &str| {
        message
            .strip_prefix(prefix)
            .and_then(|rest| rest.split('`').next())
            .map(str::to_owned)
    };
    if let Some(name) = quoted("missing field `") {
        (join(&name), Problem::Required)
    } else if message.starts_with("unknown field `") {
        // Here serde's path already ends in the unknown field.
        (
            base.to_owned(),
            Problem::Invalid {
                reason: format!(
                    "unknown field{}",
                    message
                        .split_once(',')
                        .map_or(String::new(), |(_, rest)| format!(";{rest}"))
                ),
            },
        )
    } else {
        (
            base.to_owned(),
            Problem::Invalid {
                reason: plain(&message),
            },
        )
    }
}

/// serde's and the date parser's wording for people who write JSON, not Rust: no type names
/// of the program (`struct ImportanceInput`, `i64`) and no parser internals.
fn plain(message: &str) -> String {
    /// What a value of the wrong kind was, in JSON's words.
    fn found(what: &str) -> String {
        let literal = |prefix: &str| {
            what.strip_prefix(prefix)
                .map(|rest| rest.trim_matches('`').to_owned())
        };
        if let Some(text) = what.strip_prefix("string ") {
            format!("the text {text}")
        } else if let Some(n) = literal("integer ").or_else(|| literal("floating point ")) {
            format!("the number {n}")
        } else if let Some(b) = literal("boolean ") {
            b
        } else {
            match what {
                "map" => "an object".to_owned(),
                "sequence" => "a list".to_owned(),
                "unit value" | "null" => "null".to_owned(),
                other => other.to_owned(),
            }
        }
    }
    /// What was expected, in JSON's words.
    fn expected(what: &str) -> String {
        match what {
            "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "a whole number".to_owned(),
            "u8" => "a whole number from 0 to 255".to_owned(),
            "u16" | "u32" | "u64" | "u128" | "usize" => "a whole number, 0 or more".to_owned(),
            "f32" | "f64" => "a number".to_owned(),
            "a sequence" => "a list".to_owned(),
            "a map" => "an object".to_owned(),
            "a string" => "text".to_owned(),
            "a boolean" => "true or false".to_owned(),
            other if other.starts_with("struct ") || other.starts_with("tuple struct ") => {
                "an object".to_owned()
            }
            other if other.starts_with("enum ") => "one of the allowed values".to_owned(),
            other => other.to_owned(),
        }
    }
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some((what, wanted)) = message
            .strip_prefix(prefix)
            .and_then(|rest| rest.split_once(", expected "))
        {
            return format!("must be {}, not {}", expected(wanted), found(what));
        }
    }
    if let Some((value, allowed)) = message
        .strip_prefix("unknown variant ")
        .and_then(|rest| rest.split_once(", expected one of "))
    {
        return format!(
            "\"{}\" is not allowed; one of: {}",
            value.trim_matches('`'),
            allowed.replace('`', "")
        );
    }
    if message.starts_with("failed to parse") || message.contains("failed to parse") {
        return "must be a date (2026-03-01) or a date and time with its offset \
                (2026-03-01T10:00:00+01:00)"
            .to_owned();
    }
    message.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use touchpoints_core::TouchpointInput;

    fn problem(body: &str) -> (String, Problem) {
        match parse::<TouchpointInput>(body.as_bytes()) {
            Err(AppError::Invalid(p)) => (p.0[0].field.clone(), p.0[0].problem.clone()),
            other => panic!("expected an invalid input, got {other:?}"),
        }
    }

    #[test]
    fn wrong_type_names_the_nested_field() {
        let (field, problem) = problem(
            r#"{"name":"x","channel":"store","phase":"p","importance":{"loyalty":"hoch"}}"#,
        );
        assert_eq!(field, "importance.loyalty");
        assert!(
            matches!(problem, Problem::Invalid { reason } if reason.starts_with("must be a whole number"))
        );
    }

    #[test]
    fn a_number_just_past_a_limit_is_not_read_as_the_limit() {
        let read: f64 = parse(b"1000.0000000000001").expect("a number");
        assert!(read > 1000.0, "{read}");
    }

    #[test]
    fn whole_numbers_with_a_fraction_or_an_exponent_are_integers() {
        let input: TouchpointInput = parse(
            br#"{"name":"x","channel":"store","phase":"p","brand_fit":4.0,"importance":{"loyalty":1e0}}"#,
        )
        .expect("whole numbers");
        assert_eq!((input.brand_fit, input.importance.loyalty), (4, 1));
        let error = parse::<TouchpointInput>(
            br#"{"name":"x","channel":"store","phase":"p","brand_fit":4.5}"#,
        );
        assert!(matches!(error, Err(AppError::Invalid(_))));
    }

    #[test]
    fn missing_and_unknown_fields_are_named() {
        assert_eq!(problem(r#"{"channel":"store","phase":"p"}"#).0, "name");
        let (field, p) = problem(r#"{"name":"x","channel":"store","phase":"p","colour":1}"#);
        assert_eq!(field, "colour");
        assert!(matches!(p, Problem::Invalid { reason } if reason.starts_with("unknown field")));
    }

    #[test]
    fn unknown_enum_value_names_the_field() {
        let (field, p) =
            problem(r#"{"name":"x","channel":"store","phase":"p","status":"vielleicht"}"#);
        assert_eq!(field, "status");
        assert!(matches!(p, Problem::Invalid { reason } if reason.contains("planned")));
    }

    #[test]
    fn problems_speak_json_not_rust() {
        let reason = |body: &str| match problem(body).1 {
            Problem::Invalid { reason } => reason,
            other => panic!("{other:?}"),
        };
        let base = r#""name":"x","channel":"store","phase":"p""#;
        assert_eq!(
            reason(&format!(r#"{{{base},"importance":"hoch"}}"#)),
            "must be an object, not the text \"hoch\""
        );
        assert_eq!(
            reason(&format!(r#"{{{base},"importance":{{"loyalty":"hoch"}}}}"#)),
            "must be a whole number, not the text \"hoch\""
        );
        assert_eq!(
            reason(r#"{"name":7,"channel":"store","phase":"p"}"#),
            "must be text, not the number 7"
        );
        assert_eq!(
            reason(&format!(r#"{{{base},"regions":"a"}}"#)),
            "must be a list, not the text \"a\""
        );
        assert_eq!(
            reason(&format!(r#"{{{base},"status":"x"}}"#)),
            "\"x\" is not allowed; one of: planned, active, retired"
        );
        let answered = parse::<touchpoints_core::survey::ResponseInput>(
            br#"{"touchpoint_id":1,"metric":"nps","score":1,"answered_at":"gestern"}"#,
        );
        match answered {
            Err(AppError::Invalid(p)) => {
                assert_eq!(p.0[0].field, "answered_at");
                assert!(p.0[0].message.contains("2026-03-01T10:00:00+01:00"), "{p}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn broken_json_is_malformed() {
        for body in [r#"{"name": "#, "nicht json", r#"{"name":"x"} trailing"#, ""] {
            assert!(
                matches!(
                    parse::<TouchpointInput>(body.as_bytes()),
                    Err(AppError::Malformed(_))
                ),
                "{body}"
            );
        }
    }
}
