//! The 30-day programme: what the product knows of its tasks, read from the store with a few
//! small queries, the programme as it stands today, its start or continuation, the ticks of
//! the tasks done by hand, and its tasks as calendar to-dos.

use std::collections::BTreeSet;

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use touchpoints_core::action_plan::ical::Todo;
use touchpoints_core::action_plan::programme::{
    self, Count, MEASUREMENT_DAYS, ProgrammeView, REQUEST_DAYS, Snapshot, TaskKey, TaskStatus,
};
use touchpoints_core::kpi::local_day;
use touchpoints_core::touchpoint::Status;
use touchpoints_core::{Problem, Problems, Role, TouchpointFilter};
use touchpoints_store::{ProgrammeTick, Store, StoredProgramme};

use crate::{AppError, Result};

/// The current round as it stands on `today`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgrammeState {
    pub round: i64,
    pub started_by: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub started_at: Timestamp,
    /// The organisation's day the view is computed for.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub today: Date,
    #[serde(flatten)]
    pub view: ProgrammeView,
    /// Who ticked the tasks done by hand, and when.
    pub ticks: Vec<ProgrammeTick>,
}

/// Reads what the product knows of the data-driven tasks of a round starting on `start`.
pub async fn snapshot(
    store: &dyn Store,
    start: Date,
    ticks: BTreeSet<TaskKey>,
    now: Timestamp,
    time_zone: &jiff::tz::TimeZone,
) -> Result<Snapshot> {
    let active = store
        .list_touchpoints(&TouchpointFilter {
            status: Some(Status::Active),
            ..TouchpointFilter::default()
        })
        .await?;
    // Importance is part of every stored touchpoint (1 to 5 each, 3 unless rated): owner
    // and phase are what an inventory can lack.
    let complete = active
        .iter()
        .filter(|t| !t.fields.owner.trim().is_empty() && !t.fields.phase.trim().is_empty())
        .count() as u64;
    let findings = store.findings().await?;
    let checked_since_start = findings
        .iter()
        .any(|f| local_day(f.last_seen, time_zone) >= start);
    let guideline_facts = store.guideline().await?.facts.len() as u64;
    let requests_since = now
        .checked_sub(SignedDuration::from_hours(24 * REQUEST_DAYS))
        .unwrap_or(Timestamp::MIN);
    let channels = store.request_channels(requests_since).await?;
    let targeted: BTreeSet<String> = store
        .sla_policies()
        .await?
        .into_iter()
        .map(|p| p.channel)
        .collect();
    let channels_with_targets = Count {
        done: channels.iter().filter(|c| targeted.contains(*c)).count() as u64,
        total: channels.len() as u64,
    };
    let agents = store
        .users()
        .await?
        .iter()
        .filter(|u| u.role == Role::Agent && !u.disabled)
        .count() as u64;
    let since = now
        .checked_sub(SignedDuration::from_hours(24 * MEASUREMENT_DAYS))
        .unwrap_or(Timestamp::MIN);
    let answered = store.surveys_answered_since(since).await?;
    let surveys_answered = store
        .surveys()
        .await?
        .iter()
        .filter(|s| s.fields.active && answered.contains(&s.id))
        .count() as u64;
    Ok(Snapshot {
        touchpoints: Count {
            done: complete,
            total: active.len() as u64,
        },
        findings: findings.len() as u64,
        guideline_facts,
        checked_since_start,
        channels_with_targets,
        agents,
        surveys_answered,
        ticks,
    })
}

async fn state_of(
    store: &dyn Store,
    stored: StoredProgramme,
    now: Timestamp,
) -> Result<ProgrammeState> {
    let time_zone =
        jiff::tz::TimeZone::get(&store.time_zone().await?).unwrap_or(jiff::tz::TimeZone::UTC);
    let today = local_day(now, &time_zone);
    let snapshot = snapshot(store, stored.start, stored.ticked(), now, &time_zone).await?;
    let view = programme::plan(stored.start, today, &snapshot, &stored.carried);
    Ok(ProgrammeState {
        round: stored.round,
        started_by: stored.started_by,
        started_at: stored.started_at,
        today,
        view,
        ticks: stored.ticks,
    })
}

/// The current round as it stands now; `None` before the first start.
pub async fn current(store: &dyn Store, now: Timestamp) -> Result<Option<ProgrammeState>> {
    match store.programme().await? {
        Some(stored) => Ok(Some(state_of(store, stored, now).await?)),
        None => Ok(None),
    }
}

/// Reads a start day as written (YYYY-MM-DD), naming `start_day`.
pub fn start_day(text: &str) -> Result<Date> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::Invalid(Problems::single(
            "start_day",
            Problem::Required,
        )));
    }
    text.parse::<Date>().map_err(|_| {
        AppError::Invalid(Problems::single(
            "start_day",
            Problem::rule(
                "not-a-date",
                &format!("\"{text}\" is no day in the form YYYY-MM-DD"),
            ),
        ))
    })
}

/// Starts the programme on `start`, or goes on with a new round from it: the tasks the
/// current round has not done by today are carried over ([`programme::carry_over`]).
pub async fn start(
    store: &dyn Store,
    start: Date,
    now: Timestamp,
    actor: &str,
) -> Result<ProgrammeState> {
    let carried = match current(store, now).await? {
        Some(state) => programme::carry_over(&state.view),
        None => BTreeSet::new(),
    };
    let stored = store.start_programme(start, &carried, actor).await?;
    state_of(store, stored, now).await
}

/// The task a key names, if it is one ticked by hand; otherwise invalid input naming `key`.
pub fn manual_task(key: &str) -> Result<TaskKey> {
    let Some(task) = TaskKey::parse(key) else {
        return Err(AppError::Invalid(Problems::single(
            "key",
            Problem::Unknown {
                value: key.to_owned(),
                allowed: TaskKey::ALL
                    .iter()
                    .filter(|k| k.is_manual())
                    .map(|k| k.as_str().to_owned())
                    .collect(),
            },
        )));
    };
    if !task.is_manual() {
        return Err(AppError::Invalid(Problems::single(
            "key",
            Problem::rule(
                "programme-task-from-data",
                &format!("\"{key}\" is read from the product's data and cannot be ticked by hand"),
            ),
        )));
    }
    Ok(task)
}

/// Ticks (`done`) or unticks a task done by hand in the current round.
pub async fn tick(
    store: &dyn Store,
    key: &str,
    done: bool,
    now: Timestamp,
    actor: &str,
) -> Result<ProgrammeState> {
    let task = manual_task(key)?;
    let stored = store.tick_programme_task(task, done, actor).await?;
    state_of(store, stored, now).await
}

/// The round's tasks as all-day calendar to-dos, from their phase's first day to their due
/// day; `title` words a task, `base_url` (without a trailing slash) makes its link absolute.
/// The UID names the round, its start day and the task, so a calendar that imports the
/// file again updates the to-dos rather than doubling them.
pub fn todos(
    state: &ProgrammeState,
    base_url: Option<&str>,
    title: impl Fn(TaskKey) -> (String, String),
) -> Vec<Todo> {
    state
        .view
        .phases
        .iter()
        .flat_map(|phase| {
            phase.tasks.iter().map(|task| {
                let (summary, description) = title(task.key);
                Todo {
                    uid: format!(
                        "programme-{}-{}-{}@touchpoints",
                        state.round,
                        state.view.start,
                        task.key.as_str()
                    ),
                    summary,
                    description,
                    start: phase.start,
                    due: task.due,
                    completed: task.status == TaskStatus::Done,
                    url: base_url.map(|base| format!("{base}{}", task.link)),
                }
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_and_problem(error: AppError) -> (String, Problem) {
        let problem = error.problems()[0].clone();
        (problem.field, problem.problem)
    }

    #[test]
    fn a_start_day_is_a_day_or_named_as_the_problem() {
        assert_eq!(
            start_day(" 2027-03-01 ").expect("day"),
            jiff::civil::date(2027, 3, 1)
        );
        assert_eq!(
            field_and_problem(start_day("").expect_err("refused")),
            ("start_day".to_owned(), Problem::Required)
        );
        for text in ["01.03.2027", "2027-02-30", "morgen"] {
            let (field, problem) = field_and_problem(start_day(text).expect_err("refused"));
            assert_eq!(field, "start_day");
            assert!(
                matches!(&problem, Problem::Rule { rule, .. } if rule == "not-a-date"),
                "{text}"
            );
        }
    }

    #[test]
    fn only_manual_tasks_are_ticked() {
        assert_eq!(
            manual_task("crm_training").expect("manual"),
            TaskKey::CrmTraining
        );
        let (field, problem) =
            field_and_problem(manual_task("inventory_complete").expect_err("refused"));
        assert_eq!(field, "key");
        assert!(
            matches!(&problem, Problem::Rule { rule, .. } if rule == "programme-task-from-data")
        );
        let (field, problem) = field_and_problem(manual_task("coffee").expect_err("refused"));
        assert_eq!(field, "key");
        assert_eq!(
            problem,
            Problem::Unknown {
                value: "coffee".into(),
                allowed: vec![
                    "crm_training".into(),
                    "personal_templates".into(),
                    "personal_campaign".into(),
                    "review_done".into(),
                ],
            }
        );
    }
}
