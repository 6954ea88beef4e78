//! The user interface's languages: German and English from one message catalogue per
//! language (Fluent files in `locales/`), and the choice of language per request.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::Serialize;
use touchpoints_core::Problem;
use unic_langid::LanguageIdentifier;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    De,
    En,
}

impl Lang {
    /// The one of a German and an English text that this language reads.
    pub fn pick<'a>(self, de: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::De => de,
            Lang::En => en,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "de" => Some(Lang::De),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The best of our languages for an `Accept-Language` header, by its quality values;
    /// `None` when it names neither.
    pub fn negotiate(accept_language: &str) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for part in accept_language.split(',') {
            let mut pieces = part.split(';');
            let Some(lang) = pieces.next().and_then(Lang::from_code) else {
                continue;
            };
            let quality = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if quality > 0.0 && best.is_none_or(|(q, _)| quality > q) {
                best = Some((quality, lang));
            }
        }
        best.map(|(_, lang)| lang)
    }
}

/// The message catalogues of all languages.
pub struct Messages {
    de: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

fn bundle(lang: &str, source: &str) -> Result<FluentBundle<FluentResource>, String> {
    let id: LanguageIdentifier = lang.parse().map_err(|e| format!("{lang}: {e}"))?;
    let resource = FluentResource::try_new(source.to_owned())
        .map_err(|(_, errors)| format!("{lang}.ftl: {errors:?}"))?;
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Unicode isolation marks around arguments confuse form values and tests; our arguments
    // are numbers and names in the same script.
    bundle.set_use_isolating(false);
    bundle
        .add_resource(resource)
        .map_err(|errors| format!("{lang}.ftl: {errors:?}"))?;
    Ok(bundle)
}

impl Messages {
    /// Loads the catalogues compiled into the binary.
    pub fn load() -> Result<Messages, String> {
        Ok(Messages {
            de: bundle("de", include_str!("../locales/de.ftl"))?,
            en: bundle("en", include_str!("../locales/en.ftl"))?,
        })
    }

    fn bundle(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        match lang {
            Lang::De => &self.de,
            Lang::En => &self.en,
        }
    }

    /// The message `key` in `lang`; the key itself if the catalogue lacks it, so a missing
    /// text shows up on the page instead of failing the request.
    pub fn get(&self, lang: Lang, key: &str, args: Option<&FluentArgs<'_>>) -> String {
        let bundle = self.bundle(lang);
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            tracing::warn!(key, lang = lang.code(), "missing message");
            return key.to_owned();
        };
        let mut errors = Vec::new();
        bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned()
    }

    /// Whether the catalogue of `lang` holds `key`.
    pub fn has(&self, lang: Lang, key: &str) -> bool {
        self.bundle(lang).has_message(key)
    }

    /// A field problem in words of `lang`.
    pub fn problem(&self, lang: Lang, problem: &Problem) -> String {
        let mut args = FluentArgs::new();
        let key = match problem {
            Problem::Required => "problem-required",
            Problem::TooLong { max } => {
                args.set("max", FluentValue::from(*max));
                "problem-too-long"
            }
            Problem::TooShort { min } => {
                args.set("min", FluentValue::from(*min));
                "problem-too-short"
            }
            Problem::Rule { rule, reason } => {
                let key = format!("problem-rule-{rule}");
                if self.bundle(lang).has_message(&key) {
                    return self.get(lang, &key, None);
                }
                args.set("reason", FluentValue::from(reason.as_str()));
                "problem-invalid"
            }
            Problem::TooMany { max } => {
                args.set("max", FluentValue::from(*max));
                "problem-too-many"
            }
            Problem::OutOfRange { min, max } => {
                args.set("min", FluentValue::from(*min));
                args.set("max", FluentValue::from(*max));
                "problem-out-of-range"
            }
            Problem::Unknown { value, .. } => {
                args.set("value", FluentValue::from(value.as_str()));
                "problem-unknown"
            }
            Problem::Duplicate { value } => {
                args.set("value", FluentValue::from(value.as_str()));
                "problem-duplicate"
            }
            Problem::InUse { count } => {
                args.set("count", FluentValue::from(*count));
                "problem-in-use"
            }
            Problem::Invalid { reason } => {
                args.set("reason", FluentValue::from(reason.as_str()));
                "problem-invalid"
            }
            Problem::Template {
                line,
                column,
                fault,
                detail,
            } => {
                args.set("line", FluentValue::from(*line));
                args.set("column", FluentValue::from(*column));
                args.set("detail", FluentValue::from(detail.as_str()));
                let fault = serde_json::to_value(fault)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                let what = self.get(lang, &format!("template-fault-{fault}"), Some(&args));
                args.set("what", FluentValue::from(what));
                "problem-template"
            }
        };
        self.get(lang, key, Some(&args))
    }

    /// Every message key of a language, for the test that both catalogues are complete.
    #[cfg(test)]
    fn keys(&self, lang: Lang) -> std::collections::BTreeSet<String> {
        let source = match lang {
            Lang::De => include_str!("../locales/de.ftl"),
            Lang::En => include_str!("../locales/en.ftl"),
        };
        let _ = self.bundle(lang);
        source
            .lines()
            .filter_map(|l| l.split_once(" ="))
            .filter(|(k, _)| !k.starts_with([' ', '#', '.']) && !k.is_empty())
            .map(|(k, _)| k.trim().to_owned())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_best_quality() {
        assert_eq!(Lang::negotiate("de-DE,de;q=0.9,en;q=0.8"), Some(Lang::De));
        assert_eq!(
            Lang::negotiate("fr-FR, en-GB;q=0.8, de;q=0.5"),
            Some(Lang::En)
        );
        assert_eq!(Lang::negotiate("en;q=0.2, de-AT;q=0.7"), Some(Lang::De));
        assert_eq!(Lang::negotiate("fr, it"), None);
        assert_eq!(Lang::negotiate("de;q=0"), None);
        assert_eq!(Lang::negotiate(""), None);
    }

    #[test]
    fn catalogues_parse_and_have_the_same_keys() {
        let messages = Messages::load().expect("catalogues parse");
        let de = messages.keys(Lang::De);
        let en = messages.keys(Lang::En);
        assert!(de.len() > 50, "{} keys", de.len());
        assert_eq!(
            de.symmetric_difference(&en).collect::<Vec<_>>(),
            Vec::<&String>::new()
        );
    }

    /// The audit log's entries name catalogue messages the store writes in `Said::new`; a
    /// key missing here would show the English summary to a German reader.
    #[test]
    fn every_audit_message_the_store_writes_is_in_the_catalogues() {
        let messages = Messages::load().expect("catalogues parse");
        let de = messages.keys(Lang::De);
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../store/src");
        let mut keys = Vec::new();
        for entry in std::fs::read_dir(&dir).expect("the store's sources") {
            let path = entry.expect("an entry").path();
            let Ok(source) = std::fs::read_to_string(&path) else {
                continue;
            };
            for rest in source.split("Said::new(\"").skip(1) {
                if let Some((key, _)) = rest.split_once('"') {
                    keys.push(key.to_owned());
                }
            }
        }
        assert!(keys.len() > 30, "found {} keys", keys.len());
        let missing: Vec<&String> = keys.iter().filter(|k| !de.contains(*k)).collect();
        assert!(missing.is_empty(), "not in the catalogues: {missing:?}");
    }

    #[test]
    fn problems_read_in_both_languages() {
        let messages = Messages::load().expect("catalogues parse");
        let problem = Problem::TooLong { max: 120 };
        assert_eq!(
            messages.problem(Lang::De, &problem),
            "Höchstens 120 Zeichen."
        );
        assert_eq!(
            messages.problem(Lang::En, &problem),
            "At most 120 characters."
        );
    }
}
