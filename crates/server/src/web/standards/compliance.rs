//! Compliance with the standards: every measurable standard judged over the recorded
//! interactions, with what a measure checks and why an interaction violates it in words of
//! the page's language.

use std::collections::HashMap;

use fluent_bundle::{FluentArgs, FluentValue};
use jiff::Timestamp;
use serde::Serialize;
use touchpoints_core::standards::{self, Interaction, Measure};
use touchpoints_core::{Catalog, Touchpoint};
use touchpoints_store::{StoredInteraction, StoredStandard};

use crate::AppState;
use crate::i18n::Lang;

fn message(state: &AppState, lang: Lang, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    let mut fluent = FluentArgs::new();
    for (name, value) in args {
        fluent.set(*name, value.clone());
    }
    state.messages.get(lang, key, Some(&fluent))
}

fn quoted(phrases: &[String]) -> String {
    phrases
        .iter()
        .map(|p| format!("„{p}“"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a measure checks, in words of the page's language.
pub(super) fn describe(state: &AppState, lang: Lang, measure: &Measure) -> String {
    match measure {
        Measure::FirstResponseWithin { hours } => message(
            state,
            lang,
            "measure-first_response_within-text",
            &[("hours", FluentValue::from(*hours))],
        ),
        Measure::ResolvedWithin { hours } => message(
            state,
            lang,
            "measure-resolved_within-text",
            &[("hours", FluentValue::from(*hours))],
        ),
        Measure::AddressedByName => message(state, lang, "measure-addressed_by_name-text", &[]),
        Measure::PhrasesAbsent { phrases } => message(
            state,
            lang,
            "measure-phrases_absent-text",
            &[("phrases", FluentValue::from(quoted(phrases)))],
        ),
        Measure::PhrasesPresent { phrases } => message(
            state,
            lang,
            "measure-phrases_present-text",
            &[("phrases", FluentValue::from(quoted(phrases)))],
        ),
    }
}

fn excerpt(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 160 {
        let cut: String = flat.chars().take(159).collect();
        format!("{cut}…")
    } else {
        flat
    }
}

#[derive(Debug, Serialize)]
pub(super) struct ViolationView {
    pub(super) id: i64,
    pub(super) external_id: Option<String>,
    pub(super) received_at: Timestamp,
    pub(super) customer_name: Option<String>,
    pub(super) touchpoint: Option<String>,
    pub(super) channel: String,
    pub(super) reply: String,
    pub(super) reason: String,
    /// The team that owns the interaction's touchpoint (or the standard's).
    pub(super) team: String,
    pub(super) standard: String,
}

#[derive(Debug, Serialize)]
pub(super) struct ComplianceView {
    met: u32,
    open: u32,
    judged: usize,
    percent: Option<u32>,
    pub(super) violations: Vec<ViolationView>,
}

/// What the pages look up by id: touchpoints, channel labels.
pub(super) struct Lookup {
    touchpoints: HashMap<i64, Touchpoint>,
    channels: HashMap<String, String>,
}

impl Lookup {
    pub(super) fn new(touchpoints: Vec<Touchpoint>, catalog: &Catalog, lang: Lang) -> Lookup {
        Lookup {
            touchpoints: touchpoints.into_iter().map(|t| (t.id, t)).collect(),
            channels: catalog
                .channels
                .iter()
                .map(|c| {
                    (
                        c.key.clone(),
                        lang.pick(&c.label_de, &c.label_en).to_owned(),
                    )
                })
                .collect(),
        }
    }

    pub(super) fn touchpoint_name(&self, id: Option<i64>) -> Option<String> {
        id.and_then(|id| self.touchpoints.get(&id))
            .map(|t| t.fields.name.clone())
    }

    pub(super) fn owner(&self, id: Option<i64>) -> Option<String> {
        id.and_then(|id| self.touchpoints.get(&id))
            .map(|t| t.fields.owner.trim().to_owned())
            .filter(|o| !o.is_empty())
    }

    pub(super) fn channel_label(&self, key: &str) -> String {
        self.channels
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_owned())
    }
}

/// Judges every measurable standard over the interactions; the views by standard id.
pub(super) fn judge(
    state: &AppState,
    lang: Lang,
    lookup: &Lookup,
    standards: &[StoredStandard],
    interactions: &[StoredInteraction],
    now: Timestamp,
) -> HashMap<i64, ComplianceView> {
    let core: Vec<_> = standards.iter().map(StoredStandard::to_standard).collect();
    let plain: Vec<Interaction> = interactions.iter().map(|i| i.interaction.clone()).collect();
    let by_id: HashMap<i64, &StoredInteraction> =
        interactions.iter().map(|i| (i.interaction.id, i)).collect();
    let by_standard: HashMap<i64, &StoredStandard> = standards.iter().map(|s| (s.id, s)).collect();
    let mut views = HashMap::new();
    for c in standards::compliance(&core, &plain, now) {
        let Some(standard) = by_standard.get(&c.standard) else {
            continue;
        };
        let violations = c
            .violations
            .iter()
            .filter_map(|(id, why)| by_id.get(id).map(|stored| (stored, why)))
            .map(|(stored, why)| {
                let i = &stored.interaction;
                ViolationView {
                    id: i.id,
                    external_id: stored.external_id.clone(),
                    received_at: i.received_at,
                    customer_name: i.customer_name.clone(),
                    touchpoint: lookup.touchpoint_name(i.touchpoint),
                    channel: lookup.channel_label(&i.channel),
                    reply: excerpt(&i.reply),
                    reason: crate::wording::violation(&state.messages, lang, why),
                    team: lookup
                        .owner(i.touchpoint)
                        .or_else(|| lookup.owner(standard.fields.touchpoint_id))
                        .unwrap_or_default(),
                    standard: standard.fields.title.clone(),
                }
            })
            .collect();
        let share = c.share();
        views.insert(
            c.standard,
            ComplianceView {
                met: c.met,
                open: c.open,
                judged: c.met as usize + c.violations.len(),
                // Rounded down, so that 99.6 % is not shown as all met.
                percent: share.map(|s| (s * 100.0).floor() as u32),
                violations,
            },
        );
    }
    views
}
