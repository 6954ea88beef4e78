//! The priority weights as a form: one field per weight with what it does, a row per
//! customer segment (and empty rows to add one), a field per channel. Numbers take a decimal
//! comma or point; every problem is named at its field, and nothing is stored until all
//! weights hold.

use std::collections::BTreeMap;

use serde::Serialize;
use touchpoints_core::priority::Weights;
use touchpoints_core::{Catalog, FieldProblem, Problem, Problems};

use super::super::numbers::parse_decimal;
use crate::i18n::Lang;

/// Empty segment rows the form offers for new segments.
const NEW_SEGMENT_ROWS: usize = 2;

/// The weights as the form shows and sends them, each number as typed.
#[derive(Debug, Default, Serialize)]
pub(super) struct WeightsForm {
    pub time_per_hour: String,
    pub horizon_hours: String,
    pub value_per_1000_eur: String,
    pub value_cap: String,
    pub urgent: String,
    pub negative: String,
    pub repeat_contact: String,
    pub repeat_cap: String,
    /// Segment key and points, a row each (fields `segment_key_N`, `segment_points_N`).
    pub segments: Vec<(String, String)>,
    /// Channel key and points, for every channel of the catalog and any other the weights
    /// name (fields `channel_KEY`).
    pub channels: Vec<(String, String)>,
}

/// The number typed into `field`, as a page in `lang` reads numbers (either decimal mark,
/// see [`parse_decimal`]); 0 and a problem otherwise.
fn number(problems: &mut Problems, field: &str, text: &str, lang: Lang) -> f64 {
    if text.trim().is_empty() {
        problems.push(field, Problem::Required);
        return 0.0;
    }
    parse_decimal(text, lang).unwrap_or_else(|| {
        problems.push(
            field,
            Problem::Rule {
                rule: "not-a-number".into(),
                reason: format!("\"{}\" is not a number", text.trim()),
            },
        );
        0.0
    })
}

/// A weight as the form writes it: "1,5" on German pages, "1.5" on English ones.
fn written(value: f64, lang: Lang) -> String {
    let text = value.to_string();
    match lang {
        Lang::De => text.replace('.', ","),
        Lang::En => text,
    }
}

impl WeightsForm {
    pub(super) fn of(weights: &Weights, catalog: &Catalog, lang: Lang) -> WeightsForm {
        let mut segments: Vec<(String, String)> = weights
            .segments
            .iter()
            .map(|(key, points)| (key.clone(), written(*points, lang)))
            .collect();
        segments.extend((0..NEW_SEGMENT_ROWS).map(|_| Default::default()));
        let mut channels: Vec<(String, String)> = catalog
            .channels_in_order()
            .iter()
            .map(|c| {
                let points = weights.channels.get(&c.key).copied().unwrap_or(0.0);
                (c.key.clone(), written(points, lang))
            })
            .collect();
        for (key, points) in &weights.channels {
            if !channels.iter().any(|(k, _)| k == key) {
                channels.push((key.clone(), written(*points, lang)));
            }
        }
        WeightsForm {
            time_per_hour: written(weights.time_per_hour, lang),
            horizon_hours: written(weights.horizon_hours, lang),
            value_per_1000_eur: written(weights.value_per_1000_eur, lang),
            value_cap: written(weights.value_cap, lang),
            urgent: written(weights.urgent, lang),
            negative: written(weights.negative, lang),
            repeat_contact: written(weights.repeat_contact, lang),
            repeat_cap: weights.repeat_cap.to_string(),
            segments,
            channels,
        }
    }

    /// The form from its fields as posted (URL-encoded), in any order.
    pub(super) fn parse(body: &[u8]) -> WeightsForm {
        let mut form = WeightsForm::default();
        let mut segments: BTreeMap<usize, (String, String)> = BTreeMap::new();
        for (name, value) in form_urlencoded::parse(body) {
            let value = value.into_owned();
            if let Some(key) = name.strip_prefix("channel_") {
                form.channels.push((key.to_owned(), value));
            } else if let Some(row) = name.strip_prefix("segment_key_") {
                if let Ok(row) = row.parse() {
                    segments.entry(row).or_default().0 = value;
                }
            } else if let Some(row) = name.strip_prefix("segment_points_") {
                if let Ok(row) = row.parse() {
                    segments.entry(row).or_default().1 = value;
                }
            } else {
                let field = match &*name {
                    "time_per_hour" => &mut form.time_per_hour,
                    "horizon_hours" => &mut form.horizon_hours,
                    "value_per_1000_eur" => &mut form.value_per_1000_eur,
                    "value_cap" => &mut form.value_cap,
                    "urgent" => &mut form.urgent,
                    "negative" => &mut form.negative,
                    "repeat_contact" => &mut form.repeat_contact,
                    "repeat_cap" => &mut form.repeat_cap,
                    _ => continue,
                };
                *field = value;
            }
        }
        form.segments = segments.into_values().collect();
        form
    }

    /// The weights the form holds, checked; otherwise every problem, named by the form's
    /// field. A segment row without a key and points is no segment.
    pub(super) fn weights(&self, lang: Lang) -> Result<Weights, Problems> {
        let mut problems = Problems::default();
        let time_per_hour = number(&mut problems, "time_per_hour", &self.time_per_hour, lang);
        let horizon_hours = number(&mut problems, "horizon_hours", &self.horizon_hours, lang);
        let value_per_1000_eur = number(
            &mut problems,
            "value_per_1000_eur",
            &self.value_per_1000_eur,
            lang,
        );
        let value_cap = number(&mut problems, "value_cap", &self.value_cap, lang);
        let urgent = number(&mut problems, "urgent", &self.urgent, lang);
        let negative = number(&mut problems, "negative", &self.negative, lang);
        let repeat_contact = number(&mut problems, "repeat_contact", &self.repeat_contact, lang);
        let repeat_cap = number(&mut problems, "repeat_cap", &self.repeat_cap, lang);
        let mut segments = BTreeMap::new();
        for (row, (key, points)) in self.segments.iter().enumerate() {
            if key.trim().is_empty() && points.trim().is_empty() {
                continue;
            }
            if key.trim().is_empty() {
                problems.push(format!("segment_key_{row}"), Problem::Required);
                continue;
            }
            let points = number(
                &mut problems,
                &format!("segment_points_{row}"),
                points,
                lang,
            );
            if segments.insert(key.trim().to_owned(), points).is_some() {
                problems.push(
                    format!("segment_key_{row}"),
                    Problem::Duplicate { value: key.clone() },
                );
            }
        }
        let channels: BTreeMap<String, f64> = self
            .channels
            .iter()
            .map(|(key, points)| {
                (
                    key.clone(),
                    number(&mut problems, &format!("channel_{key}"), points, lang),
                )
            })
            .filter(|(_, points)| *points != 0.0)
            .collect();
        let repeat_cap =
            if repeat_cap.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&repeat_cap) {
                repeat_cap as u32
            } else {
                problems.push(
                    "repeat_cap",
                    Problem::Rule {
                        rule: "whole-number".into(),
                        reason: "must be a whole number".into(),
                    },
                );
                0
            };
        // Checked by the core even when a number could not be read (it stands as 0 there),
        // so that the form names every problem at once.
        let weights = Weights {
            time_per_hour,
            horizon_hours,
            value_per_1000_eur,
            value_cap,
            segments,
            urgent,
            negative,
            channels,
            repeat_contact,
            repeat_cap,
        };
        if let Err(found) = weights.validate() {
            problems.0.extend(self.named(found).0);
        }
        problems.into_result(weights)
    }

    /// The core's names of table entries (`segments.vip`, `channels.phone`) as the form's
    /// fields: a segment's points out of range at its points, another problem of it at its
    /// key; a problem of a whole table at its first row.
    fn named(&self, problems: Problems) -> Problems {
        let field = |core: &str, problem: &Problem| -> String {
            if let Some(key) = core.strip_prefix("segments.") {
                let row = self
                    .segments
                    .iter()
                    .position(|(k, _)| k.trim() == key)
                    .unwrap_or(0);
                return match problem {
                    Problem::OutOfRange { .. } => format!("segment_points_{row}"),
                    _ => format!("segment_key_{row}"),
                };
            }
            if let Some(key) = core.strip_prefix("channels.") {
                return format!("channel_{key}");
            }
            match core {
                "segments" => "segment_key_0".to_owned(),
                "channels" => self
                    .channels
                    .first()
                    .map_or_else(|| "channels".to_owned(), |(k, _)| format!("channel_{k}")),
                other => other.to_owned(),
            }
        };
        Problems(
            problems
                .0
                .into_iter()
                .map(|p| FieldProblem {
                    field: field(&p.field, &p.problem),
                    ..p
                })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> WeightsForm {
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        WeightsForm::parse(body.as_bytes())
    }

    const SCALARS: [(&str, &str); 8] = [
        ("time_per_hour", "10"),
        ("horizon_hours", "8"),
        ("value_per_1000_eur", "1,5"),
        ("value_cap", "20"),
        ("urgent", "20"),
        ("negative", "10"),
        ("repeat_contact", "5"),
        ("repeat_cap", "3"),
    ];

    #[test]
    fn the_form_reads_every_weight_with_a_decimal_comma_and_skips_empty_rows() {
        let mut pairs = SCALARS.to_vec();
        pairs.extend([
            ("segment_key_0", "vip"),
            ("segment_points_0", "25"),
            ("segment_key_1", ""),
            ("segment_points_1", ""),
            ("channel_phone", "5"),
            ("channel_letter", "-5,5"),
            ("channel_email", "0"),
        ]);
        let weights = form(&pairs).weights(Lang::De).expect("valid weights");
        assert!((weights.value_per_1000_eur - 1.5).abs() < f64::EPSILON);
        assert_eq!(weights.segments, BTreeMap::from([("vip".to_owned(), 25.0)]));
        assert_eq!(
            weights.channels,
            BTreeMap::from([("letter".to_owned(), -5.5), ("phone".to_owned(), 5.0)])
        );
        assert_eq!(weights.repeat_cap, 3);
    }

    #[test]
    fn problems_are_named_by_the_forms_fields() {
        let mut pairs = SCALARS.to_vec();
        pairs[0] = ("time_per_hour", "zehn");
        pairs[7] = ("repeat_cap", "2,5");
        pairs.extend([
            ("segment_key_0", ""),
            ("segment_points_0", "25"),
            ("segment_key_1", "vip"),
            ("segment_points_1", ""),
        ]);
        let problems = form(&pairs).weights(Lang::De).expect_err("invalid");
        let fields: Vec<&str> = problems.0.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "time_per_hour",
                "segment_key_0",
                "segment_points_1",
                "repeat_cap"
            ]
        );

        // A weight out of range, checked by the core, lands at its row.
        let mut pairs = SCALARS.to_vec();
        pairs.extend([
            ("segment_key_0", "vip"),
            ("segment_points_0", "5000"),
            ("channel_phone", "-2000"),
        ]);
        let problems = form(&pairs).weights(Lang::De).expect_err("out of range");
        let fields: Vec<&str> = problems.0.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["segment_points_0", "channel_phone"]);
    }

    #[test]
    fn the_stored_weights_fill_the_form_in_the_pages_language() {
        let catalog = Catalog::default();
        let form = WeightsForm::of(
            &Weights {
                value_per_1000_eur: 1.5,
                ..Weights::default()
            },
            &catalog,
            Lang::De,
        );
        assert_eq!(form.value_per_1000_eur, "1,5");
        assert_eq!(form.segments.len(), 2 + NEW_SEGMENT_ROWS);
        assert!(form.channels.iter().any(|(k, p)| k == "phone" && p == "5"));
        assert!(
            form.channels
                .iter()
                .any(|(k, p)| k == "letter" && p == "-5")
        );
    }
}
