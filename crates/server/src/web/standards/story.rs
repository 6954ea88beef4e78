//! The stories page: stories that illustrate the standards, good and bad, per touchpoint,
//! and the form to tell one.

use std::collections::{BTreeMap, HashMap};

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use jiff::Timestamp;
use minijinja::value::Serde;
use serde::{Deserialize, Serialize};
use touchpoints_core::problem::check_text;
use touchpoints_core::{FieldProblem, Problem, Problems, TouchpointFilter};
use touchpoints_store::{Example, StoredStory, StoryFields};

use super::{options, parse_id};
use crate::AppState;
use crate::web::{Id, Page, PageResult, form_problems};

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub(super) struct StoryForm {
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
pub(super) struct StoryView {
    id: i64,
    title: String,
    text: String,
    example: &'static str,
    standard: Option<String>,
    created_by: String,
    created_at: Timestamp,
}

pub(super) fn story_view(story: &StoredStory, standards: &HashMap<i64, String>) -> StoryView {
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

pub(super) async fn stories_page(State(state): State<AppState>, page: Page) -> PageResult {
    let form = StoryForm {
        example: "good".into(),
        ..StoryForm::default()
    };
    render_stories(&state, &page, &form, &[]).await
}

pub(super) async fn create_story(
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

pub(super) async fn delete_story(
    State(state): State<AppState>,
    page: Page,
    Id(id): Id,
) -> PageResult {
    state.store.delete_story(id, &page.caller.actor()).await?;
    Ok(Redirect::to("/stories").into_response())
}
