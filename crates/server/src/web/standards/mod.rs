//! Service standards pages: the standards per touchpoint and channel with their compliance
//! over recorded interactions, the stories that illustrate them, and the weekly meeting
//! digest of new stories and violations per team.

use std::collections::{BTreeMap, HashMap};

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use fluent_bundle::{FluentArgs, FluentValue};
use jiff::{SignedDuration, Timestamp};
use minijinja::value::Serde;
use serde::{Deserialize, Serialize};
use touchpoints_core::problem::check_text;
use touchpoints_core::standards::{self, Interaction, Measure};
use touchpoints_core::{Catalog, FieldProblem, Problem, Problems, Touchpoint, TouchpointFilter};
use touchpoints_store::{
    Example, StandardFields, StoredInteraction, StoredStandard, StoredStory, StoryFields,
};

use super::{Id, Page, PageResult, form_problems, optional};
use crate::AppState;
use crate::i18n::Lang;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/standards", get(standards_page).post(create_standard))
        .route("/standards/{id}/delete", post(delete_standard))
        .route("/stories", get(stories_page).post(create_story))
        .route("/stories/{id}/delete", post(delete_story))
        .route("/digest", get(digest))
}

/// The measure kinds a form offers, in order.
const MEASURES: [&str; 5] = [
    "first_response_within",
    "resolved_within",
    "addressed_by_name",
    "phrases_absent",
    "phrases_present",
];

const DEFAULT_DAYS: i64 = 30;

fn days_ago(now: Timestamp, days: i64) -> Timestamp {
    now.checked_sub(SignedDuration::from_hours(24 * days))
        .unwrap_or(Timestamp::UNIX_EPOCH)
}

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
fn describe(state: &AppState, lang: Lang, measure: &Measure) -> String {
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

/// Why an interaction violates a measure, in words of the page's language.
fn reason(
    state: &AppState,
    lang: Lang,
    measure: &Measure,
    i: &Interaction,
    core_reason: &str,
) -> String {
    let deadline = |event: Option<Timestamp>, hours: u32, late: &str, missing: &str| match event {
        Some(at) => {
            let took = (at.duration_since(i.received_at).as_secs() + 3599) / 3600;
            message(
                state,
                lang,
                late,
                &[
                    ("took", FluentValue::from(took)),
                    ("hours", FluentValue::from(hours)),
                ],
            )
        }
        None => message(state, lang, missing, &[("hours", FluentValue::from(hours))]),
    };
    match measure {
        Measure::FirstResponseWithin { hours } => deadline(
            i.first_response_at,
            *hours,
            "violation-first-response-late",
            "violation-first-response-missing",
        ),
        Measure::ResolvedWithin { hours } => deadline(
            i.resolved_at,
            *hours,
            "violation-resolved-late",
            "violation-resolved-missing",
        ),
        Measure::AddressedByName => message(
            state,
            lang,
            "violation-name",
            &[(
                "name",
                FluentValue::from(i.customer_name.clone().unwrap_or_default()),
            )],
        ),
        Measure::PhrasesAbsent { .. } => message(
            state,
            lang,
            "violation-phrase-found",
            &[("phrase", FluentValue::from(quoted_in(core_reason)))],
        ),
        Measure::PhrasesPresent { .. } => message(
            state,
            lang,
            "violation-phrase-missing",
            &[("phrase", FluentValue::from(quoted_in(core_reason)))],
        ),
    }
}

/// The phrase the engine's reason names in quotes (`the reply says "…"`).
fn quoted_in(reason: &str) -> String {
    reason.split('"').nth(1).unwrap_or_default().to_owned()
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
struct ViolationView {
    id: i64,
    external_id: Option<String>,
    received_at: Timestamp,
    customer_name: Option<String>,
    touchpoint: Option<String>,
    channel: String,
    reply: String,
    reason: String,
    /// The team that owns the interaction's touchpoint (or the standard's).
    team: String,
    standard: String,
}

#[derive(Debug, Serialize)]
struct ComplianceView {
    met: u32,
    open: u32,
    judged: usize,
    percent: Option<u32>,
    violations: Vec<ViolationView>,
}

#[derive(Debug, Serialize)]
struct StandardView {
    id: i64,
    title: String,
    text: String,
    mandatory: bool,
    measure: Option<String>,
    compliance: Option<ComplianceView>,
}

#[derive(Debug, Serialize)]
struct Group {
    label: String,
    kind: &'static str,
    standards: Vec<StandardView>,
}

/// What the pages look up by id: touchpoints, channel labels.
struct Lookup {
    touchpoints: HashMap<i64, Touchpoint>,
    channels: HashMap<String, String>,
}

impl Lookup {
    fn new(touchpoints: Vec<Touchpoint>, catalog: &Catalog, lang: Lang) -> Lookup {
        Lookup {
            touchpoints: touchpoints.into_iter().map(|t| (t.id, t)).collect(),
            channels: catalog
                .channels
                .iter()
                .map(|c| {
                    let label = match lang {
                        Lang::De => c.label_de.clone(),
                        Lang::En => c.label_en.clone(),
                    };
                    (c.key.clone(), label)
                })
                .collect(),
        }
    }

    fn touchpoint_name(&self, id: Option<i64>) -> Option<String> {
        id.and_then(|id| self.touchpoints.get(&id))
            .map(|t| t.fields.name.clone())
    }

    fn owner(&self, id: Option<i64>) -> Option<String> {
        id.and_then(|id| self.touchpoints.get(&id))
            .map(|t| t.fields.owner.trim().to_owned())
            .filter(|o| !o.is_empty())
    }

    fn channel_label(&self, key: &str) -> String {
        self.channels
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_owned())
    }
}

/// Judges every measurable standard over the interactions; the views by standard id.
fn judge(
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
        let Some(measure) = &standard.fields.measure else {
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
                    reason: reason(state, lang, measure, i, why),
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

/// The standards form as the browser sends it.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct StandardForm {
    title: String,
    text: String,
    mandatory: String,
    touchpoint_id: String,
    channel: String,
    measure: String,
    hours: String,
    phrases: String,
}

/// Phrases one per line, or separated by semicolons.
fn split_phrases(text: &str) -> Vec<String> {
    text.split(['\n', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

fn parse_id(problems: &mut Problems, field: &str, text: &str) -> Option<i64> {
    optional(problems, field, text, |text| format!("\"{text}\" is no id"))
}

impl StandardForm {
    fn validate(&self) -> Result<StandardFields, Problems> {
        let mut problems = Problems::default();
        let title = check_text(&mut problems, "title", &self.title, 200, true);
        let text = check_text(&mut problems, "text", &self.text, 4000, true);
        let touchpoint_id = parse_id(&mut problems, "touchpoint_id", &self.touchpoint_id);
        let channel = Some(self.channel.trim().to_owned()).filter(|c| !c.is_empty());
        if touchpoint_id.is_some() && channel.is_some() {
            problems.push(
                "channel",
                Problem::rule("one-scope", "choose a touchpoint or a channel, not both"),
            );
        }
        let hours = || match self.hours.trim().parse::<u32>() {
            Ok(h) if (1..=8760).contains(&h) => Some(h),
            _ => None,
        };
        let phrases = split_phrases(&self.phrases);
        let need_hours = |problems: &mut Problems| {
            let h = hours();
            if h.is_none() {
                problems.push("hours", Problem::OutOfRange { min: 1, max: 8760 });
            }
            h.unwrap_or(1)
        };
        let measure = match self.measure.trim() {
            "" => None,
            "first_response_within" => Some(Measure::FirstResponseWithin {
                hours: need_hours(&mut problems),
            }),
            "resolved_within" => Some(Measure::ResolvedWithin {
                hours: need_hours(&mut problems),
            }),
            "addressed_by_name" => Some(Measure::AddressedByName),
            kind @ ("phrases_absent" | "phrases_present") => {
                if phrases.is_empty() {
                    problems.push(
                        "phrases",
                        Problem::rule("phrases-needed", "name at least one phrase"),
                    );
                }
                for (i, p) in phrases.iter().enumerate() {
                    check_text(&mut problems, &format!("phrases[{i}]"), p, 200, true);
                }
                Some(if kind == "phrases_absent" {
                    Measure::PhrasesAbsent { phrases }
                } else {
                    Measure::PhrasesPresent { phrases }
                })
            }
            other => {
                problems.push(
                    "measure",
                    Problem::Unknown {
                        value: other.to_owned(),
                        allowed: MEASURES.map(str::to_owned).to_vec(),
                    },
                );
                None
            }
        };
        problems.into_result(StandardFields {
            title,
            text,
            mandatory: !self.mandatory.is_empty(),
            touchpoint_id,
            channel,
            measure,
        })
    }
}

/// The period of the standards page: the last `days` days (1 to 365, default 30).
fn period_days(query: &HashMap<String, String>) -> i64 {
    query
        .get("days")
        .and_then(|d| d.trim().parse::<i64>().ok())
        .filter(|d| (1..=365).contains(d))
        .unwrap_or(DEFAULT_DAYS)
}

fn options(touchpoints: &[Touchpoint]) -> Vec<(String, String)> {
    touchpoints
        .iter()
        .map(|t| (t.id.to_string(), t.fields.name.clone()))
        .collect()
}

async fn render_standards(
    state: &AppState,
    page: &Page,
    days: i64,
    form: &StandardForm,
    problems: &[FieldProblem],
) -> PageResult {
    let now = Timestamp::now();
    let stored = state.store.standards().await?;
    let catalog = state.store.catalog().await?;
    let touchpoints = state
        .store
        .list_touchpoints(&TouchpointFilter::default())
        .await?;
    let interactions = state.store.interactions(days_ago(now, days), now).await?;
    let touchpoint_options = options(&touchpoints);
    let lookup = Lookup::new(touchpoints, &catalog, page.lang);
    let mut judged = judge(state, page.lang, &lookup, &stored, &interactions, now);
    // Grouped: each touchpoint (by name), then each channel (in catalog order), then those
    // for everywhere.
    let mut by_touchpoint: BTreeMap<(String, i64), Vec<StandardView>> = BTreeMap::new();
    let mut by_channel: BTreeMap<(usize, String), Vec<StandardView>> = BTreeMap::new();
    let mut everywhere = Vec::new();
    for s in &stored {
        let view = StandardView {
            id: s.id,
            title: s.fields.title.clone(),
            text: s.fields.text.clone(),
            mandatory: s.fields.mandatory,
            measure: s
                .fields
                .measure
                .as_ref()
                .map(|m| describe(state, page.lang, m)),
            compliance: judged.remove(&s.id),
        };
        if let Some(id) = s.fields.touchpoint_id {
            let name = lookup.touchpoint_name(Some(id)).unwrap_or_default();
            by_touchpoint
                .entry((name.to_lowercase(), id))
                .or_default()
                .push(view);
        } else if let Some(channel) = &s.fields.channel {
            let position = catalog
                .channels
                .iter()
                .position(|c| &c.key == channel)
                .unwrap_or(usize::MAX);
            by_channel
                .entry((position, channel.clone()))
                .or_default()
                .push(view);
        } else {
            everywhere.push(view);
        }
    }
    let mut groups = Vec::new();
    for ((_, id), standards) in by_touchpoint {
        groups.push(Group {
            label: lookup.touchpoint_name(Some(id)).unwrap_or_default(),
            kind: "touchpoint",
            standards,
        });
    }
    for ((_, key), standards) in by_channel {
        groups.push(Group {
            label: lookup.channel_label(&key),
            kind: "channel",
            standards,
        });
    }
    if !everywhere.is_empty() {
        groups.push(Group {
            label: state.messages.get(page.lang, "standards-everywhere", None),
            kind: "everywhere",
            standards: everywhere,
        });
    }
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(page.render_with_status(
        state,
        status,
        "standards.html",
        minijinja::context! {
            section => "standards",
            groups => Serde(&groups),
            count => stored.len(),
            interactions => interactions.len(),
            days => days,
            form => Serde(form),
            catalog => Serde(&catalog),
            touchpoints => Serde(&touchpoint_options),
            measures => Serde(MEASURES),
            errors => Serde(page.field_errors(state, problems)),
        },
    ))
}

async fn standards_page(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<HashMap<String, String>>,
) -> PageResult {
    let form = StandardForm {
        mandatory: "1".into(),
        ..StandardForm::default()
    };
    render_standards(&state, &page, period_days(&query), &form, &[]).await
}

async fn create_standard(
    State(state): State<AppState>,
    page: Page,
    axum::Form(form): axum::Form<StandardForm>,
) -> PageResult {
    let fields = match form.validate() {
        Ok(fields) => fields,
        Err(problems) => {
            return render_standards(&state, &page, DEFAULT_DAYS, &form, &problems.0).await;
        }
    };
    match state
        .store
        .create_standard(&fields, &page.caller.actor())
        .await
    {
        Ok(_) => Ok(Redirect::to("/standards").into_response()),
        Err(e) => {
            let problems = form_problems(e)?;
            render_standards(&state, &page, DEFAULT_DAYS, &form, &problems.0).await
        }
    }
}

async fn delete_standard(State(state): State<AppState>, page: Page, Id(id): Id) -> PageResult {
    state
        .store
        .delete_standard(id, &page.caller.actor())
        .await?;
    Ok(Redirect::to("/standards").into_response())
}

// --- stories ------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct StoryForm {
    touchpoint_id: String,
    title: String,
    text: String,
    example: String,
    standard_id: String,
}

impl StoryForm {
    fn validate(&self) -> Result<StoryFields, Problems> {
        let mut problems = Problems::default();
        let touchpoint_id = parse_id(&mut problems, "touchpoint_id", &self.touchpoint_id);
        if touchpoint_id.is_none() && self.touchpoint_id.trim().is_empty() {
            problems.push("touchpoint_id", Problem::Required);
        }
        let title = check_text(&mut problems, "title", &self.title, 200, true);
        let text = check_text(&mut problems, "text", &self.text, 4000, true);
        let example = Example::parse(self.example.trim());
        if example.is_none() {
            problems.push(
                "example",
                if self.example.trim().is_empty() {
                    Problem::Required
                } else {
                    Problem::Unknown {
                        value: self.example.clone(),
                        allowed: Example::ALL.map(|e| e.as_str().to_owned()).to_vec(),
                    }
                },
            );
        }
        let standard_id = parse_id(&mut problems, "standard_id", &self.standard_id);
        match (touchpoint_id, example) {
            (Some(touchpoint_id), Some(example)) if problems.is_empty() => Ok(StoryFields {
                touchpoint_id,
                title,
                text,
                example,
                standard_id,
            }),
            _ => Err(problems),
        }
    }
}

#[derive(Debug, Serialize)]
struct StoryView {
    id: i64,
    title: String,
    text: String,
    example: &'static str,
    standard: Option<String>,
    created_by: String,
    created_at: Timestamp,
}

fn story_view(story: &StoredStory, standards: &HashMap<i64, String>) -> StoryView {
    StoryView {
        id: story.id,
        title: story.fields.title.clone(),
        text: story.fields.text.clone(),
        example: story.fields.example.as_str(),
        standard: story
            .fields
            .standard_id
            .and_then(|id| standards.get(&id).cloned()),
        created_by: story.created_by.clone(),
        created_at: story.created_at,
    }
}

#[derive(Debug, Serialize)]
struct StoryGroup {
    touchpoint: String,
    touchpoint_id: i64,
    stories: Vec<StoryView>,
}

async fn render_stories(
    state: &AppState,
    page: &Page,
    form: &StoryForm,
    problems: &[FieldProblem],
) -> PageResult {
    let stories = state.store.stories().await?;
    let standards = state.store.standards().await?;
    let touchpoints = state
        .store
        .list_touchpoints(&TouchpointFilter::default())
        .await?;
    let titles: HashMap<i64, String> = standards
        .iter()
        .map(|s| (s.id, s.fields.title.clone()))
        .collect();
    let names: HashMap<i64, String> = touchpoints
        .iter()
        .map(|t| (t.id, t.fields.name.clone()))
        .collect();
    let mut grouped: BTreeMap<(String, i64), Vec<StoryView>> = BTreeMap::new();
    for story in &stories {
        let name = names
            .get(&story.fields.touchpoint_id)
            .cloned()
            .unwrap_or_default();
        grouped
            .entry((name.to_lowercase(), story.fields.touchpoint_id))
            .or_default()
            .push(story_view(story, &titles));
    }
    let groups: Vec<StoryGroup> = grouped
        .into_iter()
        .map(|((_, id), stories)| StoryGroup {
            touchpoint: names.get(&id).cloned().unwrap_or_default(),
            touchpoint_id: id,
            stories,
        })
        .collect();
    let standard_options: Vec<(String, String)> = standards
        .iter()
        .map(|s| (s.id.to_string(), s.fields.title.clone()))
        .collect();
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(page.render_with_status(
        state,
        status,
        "stories.html",
        minijinja::context! {
            section => "standards",
            groups => Serde(&groups),
            count => stories.len(),
            form => Serde(form),
            touchpoints => Serde(&options(&touchpoints)),
            standards => Serde(&standard_options),
            examples => Serde(Example::ALL.map(Example::as_str)),
            errors => Serde(page.field_errors(state, problems)),
        },
    ))
}

async fn stories_page(State(state): State<AppState>, page: Page) -> PageResult {
    let form = StoryForm {
        example: "good".into(),
        ..StoryForm::default()
    };
    render_stories(&state, &page, &form, &[]).await
}

async fn create_story(
    State(state): State<AppState>,
    page: Page,
    axum::Form(form): axum::Form<StoryForm>,
) -> PageResult {
    let fields = match form.validate() {
        Ok(fields) => fields,
        Err(problems) => return render_stories(&state, &page, &form, &problems.0).await,
    };
    match state
        .store
        .create_story(&fields, &page.caller.actor())
        .await
    {
        Ok(_) => Ok(Redirect::to("/stories").into_response()),
        Err(e) => {
            let problems = form_problems(e)?;
            render_stories(&state, &page, &form, &problems.0).await
        }
    }
}

async fn delete_story(State(state): State<AppState>, page: Page, Id(id): Id) -> PageResult {
    state.store.delete_story(id, &page.caller.actor()).await?;
    Ok(Redirect::to("/stories").into_response())
}

// --- the meeting digest -------------------------------------------------------------------

#[derive(Debug, Default, Serialize)]
struct Team {
    name: String,
    stories: Vec<(String, StoryView)>,
    violations: Vec<ViolationView>,
}

/// The digest's period: the week (Monday to Monday, UTC) of the date `week` names, or the
/// last seven days. A date that is no date is a field problem.
fn digest_period(
    week: Option<&str>,
    now: Timestamp,
) -> Result<(Timestamp, Timestamp), FieldProblem> {
    match week.map(str::trim).filter(|w| !w.is_empty()) {
        None => Ok((days_ago(now, 7), now)),
        Some(text) => {
            let not_a_date =
                || FieldProblem::new("week", Problem::rule("not-a-date", "a date as YYYY-MM-DD"));
            let date: jiff::civil::Date = text.parse().map_err(|_| not_a_date())?;
            let back = i64::from(date.weekday().to_monday_zero_offset());
            let monday = date
                .checked_sub(jiff::Span::new().days(back))
                .map_err(|_| not_a_date())?;
            let start = monday
                .to_zoned(jiff::tz::TimeZone::UTC)
                .map_err(|_| not_a_date())?
                .timestamp();
            let end = start
                .checked_add(SignedDuration::from_hours(24 * 7))
                .map_err(|_| not_a_date())?;
            Ok((start, end))
        }
    }
}

async fn digest(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<HashMap<String, String>>,
) -> PageResult {
    let now = Timestamp::now();
    let week = query.get("week").cloned().unwrap_or_default();
    let (period, problems) = match digest_period(Some(&week), now) {
        Ok(period) => (period, vec![]),
        Err(problem) => (
            digest_period(None, now).unwrap_or((now, now)),
            vec![problem],
        ),
    };
    let (from, until) = period;
    let standards = state.store.standards().await?;
    let stories = state.store.stories().await?;
    let catalog = state.store.catalog().await?;
    let touchpoints = state
        .store
        .list_touchpoints(&TouchpointFilter::default())
        .await?;
    let interactions = state.store.interactions(from, until).await?;
    let lookup = Lookup::new(touchpoints, &catalog, page.lang);
    let titles: HashMap<i64, String> = standards
        .iter()
        .map(|s| (s.id, s.fields.title.clone()))
        .collect();
    let mut teams: BTreeMap<(bool, String), Team> = BTreeMap::new();
    fn team(teams: &mut BTreeMap<(bool, String), Team>, name: String) -> &mut Team {
        // Named teams by name without case, the one without a team last.
        let key = (name.is_empty(), name.to_lowercase());
        teams.entry(key).or_insert_with(|| Team {
            name,
            ..Team::default()
        })
    }
    let mut new_stories = 0;
    for story in stories
        .iter()
        .filter(|s| s.created_at >= from && s.created_at < until)
    {
        new_stories += 1;
        let touchpoint = Some(story.fields.touchpoint_id);
        team(&mut teams, lookup.owner(touchpoint).unwrap_or_default())
            .stories
            .push((
                lookup.touchpoint_name(touchpoint).unwrap_or_default(),
                story_view(story, &titles),
            ));
    }
    let judged = judge(&state, page.lang, &lookup, &standards, &interactions, now);
    let mut violations = 0;
    // In the order of the standards page's list: by title.
    for s in &standards {
        if let Some(c) = judged.get(&s.id) {
            for v in &c.violations {
                violations += 1;
                team(&mut teams, v.team.clone())
                    .violations
                    .push(ViolationView {
                        id: v.id,
                        external_id: v.external_id.clone(),
                        received_at: v.received_at,
                        customer_name: v.customer_name.clone(),
                        touchpoint: v.touchpoint.clone(),
                        channel: v.channel.clone(),
                        reply: v.reply.clone(),
                        reason: v.reason.clone(),
                        team: v.team.clone(),
                        standard: v.standard.clone(),
                    });
            }
        }
    }
    let teams: Vec<Team> = teams.into_values().collect();
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let last_day = until
        .checked_sub(SignedDuration::from_secs(1))
        .unwrap_or(until);
    Ok(page.render_with_status(
        &state,
        status,
        "digest.html",
        minijinja::context! {
            section => "standards",
            teams => Serde(&teams),
            from => from.strftime("%Y-%m-%d").to_string(),
            until => last_day.strftime("%Y-%m-%d").to_string(),
            week => week,
            new_stories => new_stories,
            violations => violations,
            interactions => interactions.len(),
            errors => Serde(page.field_errors(&state, &problems)),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_week_runs_from_its_monday() {
        let now: Timestamp = "2026-03-12T10:00:00Z".parse().expect("instant");
        let (from, until) = digest_period(Some("2026-03-11"), now).expect("a week");
        assert_eq!(from.to_string(), "2026-03-09T00:00:00Z");
        assert_eq!(until.to_string(), "2026-03-16T00:00:00Z");
        let (from, until) = digest_period(None, now).expect("the last days");
        assert_eq!(from.to_string(), "2026-03-05T10:00:00Z");
        assert_eq!(until, now);
        assert!(digest_period(Some("11.03.2026"), now).is_err());
    }

    #[test]
    fn the_form_asks_for_what_the_measure_needs() {
        let form = StandardForm {
            title: "Schnell".into(),
            text: "Antwort binnen Stunden".into(),
            measure: "first_response_within".into(),
            hours: "0".into(),
            touchpoint_id: "3".into(),
            channel: "email".into(),
            ..StandardForm::default()
        };
        let problems = form.validate().expect_err("invalid");
        let fields: Vec<&str> = problems.0.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["channel", "hours"]);
        let form = StandardForm {
            title: "Floskeln".into(),
            text: "Keine Floskeln".into(),
            measure: "phrases_absent".into(),
            phrases: "leider nicht möglich\n; geht nicht ".into(),
            mandatory: "1".into(),
            ..StandardForm::default()
        };
        let fields = form.validate().expect("valid");
        assert!(fields.mandatory);
        assert_eq!(
            fields.measure,
            Some(Measure::PhrasesAbsent {
                phrases: vec!["leider nicht möglich".into(), "geht nicht".into()]
            })
        );
    }
}
