//! The 30-day improvement programme (30-Tage-Programm) of the action plan: five phases —
//! inventory days 1–7, communication guideline 8–10, request handling 11–15,
//! personalisation 16–25, measurement and adjustment 26–30 — each with its standard tasks.
//!
//! A task's progress is read from the data where the product can know it (a [`Snapshot`]
//! the application fills from the store); the others are ticked by hand. A task is done,
//! open, or overdue once its due day has passed without it being done; a phase's state
//! follows from its tasks and the day. After day 30 the optimisation goes on with a new
//! round: [`carry_over`] says which tasks it inherits.

use std::collections::BTreeSet;

use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The programme's length in days.
pub const DAYS: i64 = 30;
/// How far back a survey's answers count as a running measurement.
pub const MEASUREMENT_DAYS: i64 = 14;
/// How far back the channels that requests came in on are those that need a response-time
/// target.
pub const REQUEST_DAYS: i64 = 90;

/// A phase of the programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PhaseKey {
    /// Days 1–7: every touchpoint and its weaknesses, documented.
    Inventory,
    /// Days 8–10: a communication guideline all staff use.
    Guideline,
    /// Days 11–15: request handling, staff trained, faster responses.
    Requests,
    /// Days 16–25: personalisation campaigns.
    Personalisation,
    /// Days 26–30: a first measurement of success, then adjust and go on.
    Measurement,
}

impl PhaseKey {
    pub const ALL: [PhaseKey; 5] = [
        PhaseKey::Inventory,
        PhaseKey::Guideline,
        PhaseKey::Requests,
        PhaseKey::Personalisation,
        PhaseKey::Measurement,
    ];

    /// The stable name used in JSON and message keys.
    pub fn as_str(self) -> &'static str {
        match self {
            PhaseKey::Inventory => "inventory",
            PhaseKey::Guideline => "guideline",
            PhaseKey::Requests => "requests",
            PhaseKey::Personalisation => "personalisation",
            PhaseKey::Measurement => "measurement",
        }
    }

    /// The phase's first and last day, counted from 1 (the start day).
    pub fn days(self) -> (i64, i64) {
        match self {
            PhaseKey::Inventory => (1, 7),
            PhaseKey::Guideline => (8, 10),
            PhaseKey::Requests => (11, 15),
            PhaseKey::Personalisation => (16, 25),
            PhaseKey::Measurement => (26, 30),
        }
    }
}

/// A standard task of the programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum TaskKey {
    /// Every active touchpoint has an owner, a phase and its importance.
    InventoryComplete,
    /// Weaknesses are documented: the as-is analysis has stored findings.
    WeaknessesDocumented,
    /// The guideline holds canonical facts.
    GuidelinePublished,
    /// The consistency check ran since the programme started.
    ConsistencyChecked,
    /// At least one active agent account for the service team.
    ServiceTeam,
    /// Response-time targets for every channel requests came in on lately.
    ResponseTargets,
    /// Staff trained on the queue and customer profiles (by hand).
    CrmTraining,
    /// Personalised message templates in use (by hand: the product sends none yet).
    PersonalTemplates,
    /// A personalisation campaign run (by hand).
    PersonalCampaign,
    /// An active survey with answers in the last [`MEASUREMENT_DAYS`] days.
    MeasurementRunning,
    /// The day-30 review: what works, where more is needed (by hand).
    ReviewDone,
}

/// Where a task's progress comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Source {
    /// Read from the product's data; cannot be ticked.
    Data,
    /// Ticked by hand.
    Manual,
}

/// Who carries a task: the product's users as the method names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Owner {
    /// The CX / touchpoint manager: inventory, analysis, plan.
    CxManager,
    /// Marketing: guideline, content, personalised campaigns.
    Marketing,
    /// The service team's lead: requests, targets, training.
    Service,
    /// Management: the review of the results.
    Management,
}

impl Owner {
    pub fn as_str(self) -> &'static str {
        match self {
            Owner::CxManager => "cx_manager",
            Owner::Marketing => "marketing",
            Owner::Service => "service",
            Owner::Management => "management",
        }
    }
}

/// A task's definition: its phase, owner, due day and the product's screen where it is
/// done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskDef {
    pub key: TaskKey,
    pub phase: PhaseKey,
    pub owner: Owner,
    /// Due at the end of this day of the programme (1 to 30). Always after the phase's first
    /// day, so that a calendar's to-do starts before it is due.
    pub due_day: i64,
    pub link: &'static str,
    pub source: Source,
}

/// Every task, in the order of the programme.
pub const TASKS: [TaskDef; 11] = [
    task(
        TaskKey::InventoryComplete,
        PhaseKey::Inventory,
        Owner::CxManager,
        5,
        "/touchpoints",
        Source::Data,
    ),
    task(
        TaskKey::WeaknessesDocumented,
        PhaseKey::Inventory,
        Owner::CxManager,
        7,
        "/consistency",
        Source::Data,
    ),
    task(
        TaskKey::GuidelinePublished,
        PhaseKey::Guideline,
        Owner::Marketing,
        9,
        "/guideline",
        Source::Data,
    ),
    task(
        TaskKey::ConsistencyChecked,
        PhaseKey::Guideline,
        Owner::Marketing,
        10,
        "/consistency",
        Source::Data,
    ),
    task(
        TaskKey::ServiceTeam,
        PhaseKey::Requests,
        Owner::Service,
        12,
        "/admin/users",
        Source::Data,
    ),
    task(
        TaskKey::ResponseTargets,
        PhaseKey::Requests,
        Owner::Service,
        13,
        "/queue/rules",
        Source::Data,
    ),
    task(
        TaskKey::CrmTraining,
        PhaseKey::Requests,
        Owner::Service,
        15,
        "/queue",
        Source::Manual,
    ),
    task(
        TaskKey::PersonalTemplates,
        PhaseKey::Personalisation,
        Owner::Marketing,
        18,
        "/content",
        Source::Manual,
    ),
    task(
        TaskKey::PersonalCampaign,
        PhaseKey::Personalisation,
        Owner::Marketing,
        25,
        "/dashboard",
        Source::Manual,
    ),
    task(
        TaskKey::MeasurementRunning,
        PhaseKey::Measurement,
        Owner::CxManager,
        27,
        "/surveys",
        Source::Data,
    ),
    task(
        TaskKey::ReviewDone,
        PhaseKey::Measurement,
        Owner::Management,
        30,
        "/actions",
        Source::Manual,
    ),
];

const fn task(
    key: TaskKey,
    phase: PhaseKey,
    owner: Owner,
    due_day: i64,
    link: &'static str,
    source: Source,
) -> TaskDef {
    TaskDef {
        key,
        phase,
        owner,
        due_day,
        link,
        source,
    }
}

impl TaskKey {
    pub const ALL: [TaskKey; 11] = [
        TaskKey::InventoryComplete,
        TaskKey::WeaknessesDocumented,
        TaskKey::GuidelinePublished,
        TaskKey::ConsistencyChecked,
        TaskKey::ServiceTeam,
        TaskKey::ResponseTargets,
        TaskKey::CrmTraining,
        TaskKey::PersonalTemplates,
        TaskKey::PersonalCampaign,
        TaskKey::MeasurementRunning,
        TaskKey::ReviewDone,
    ];

    /// The stable name used in JSON, URLs, the database and message keys.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskKey::InventoryComplete => "inventory_complete",
            TaskKey::WeaknessesDocumented => "weaknesses_documented",
            TaskKey::GuidelinePublished => "guideline_published",
            TaskKey::ConsistencyChecked => "consistency_checked",
            TaskKey::ServiceTeam => "service_team",
            TaskKey::ResponseTargets => "response_targets",
            TaskKey::CrmTraining => "crm_training",
            TaskKey::PersonalTemplates => "personal_templates",
            TaskKey::PersonalCampaign => "personal_campaign",
            TaskKey::MeasurementRunning => "measurement_running",
            TaskKey::ReviewDone => "review_done",
        }
    }

    pub fn parse(value: &str) -> Option<TaskKey> {
        TaskKey::ALL.into_iter().find(|k| k.as_str() == value)
    }

    pub fn def(self) -> TaskDef {
        // TASKS lists every key once (a test checks it).
        TASKS
            .into_iter()
            .find(|t| t.key == self)
            .unwrap_or(TASKS[0])
    }

    pub fn is_manual(self) -> bool {
        self.def().source == Source::Manual
    }
}

/// So many of so many: touchpoints complete of the active ones, channels with targets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Count {
    pub done: u64,
    pub total: u64,
}

impl Count {
    /// All of at least one.
    pub fn complete(self) -> bool {
        self.total > 0 && self.done >= self.total
    }
}

/// What the product knows of the tasks it can read from its data, and the ticks by hand.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// Active touchpoints with owner, phase and importance, of all active ones.
    pub touchpoints: Count,
    /// Stored findings of the as-is analysis.
    pub findings: u64,
    /// Canonical facts of the guideline.
    pub guideline_facts: u64,
    /// The consistency check ran on or after the programme's start day.
    pub checked_since_start: bool,
    /// Channels with requests in the last [`REQUEST_DAYS`] days that have a response-time
    /// target, of all such channels.
    pub channels_with_targets: Count,
    /// Active agent accounts.
    pub agents: u64,
    /// Active surveys with answers in the last [`MEASUREMENT_DAYS`] days.
    pub surveys_answered: u64,
    /// Manual tasks ticked in this round.
    pub ticks: BTreeSet<TaskKey>,
}

/// A task's standing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum TaskStatus {
    Done,
    Open,
    /// Not done, and its due day has passed.
    Overdue,
}

/// A phase's standing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PhaseState {
    /// Every task done.
    Done,
    /// A task overdue.
    Overdue,
    /// Today is one of its days.
    Running,
    /// Its days are still to come.
    Upcoming,
    /// Its days have passed with tasks open but none overdue (cannot happen with the
    /// standard tasks, which are all due within their phase; kept for completeness).
    Open,
}

/// A task as the programme shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskView {
    pub key: TaskKey,
    pub phase: PhaseKey,
    pub owner: Owner,
    pub due_day: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub due: Date,
    /// The product's screen where the task is done.
    pub link: String,
    pub source: Source,
    pub status: TaskStatus,
    /// So many of so many, for the tasks counted from the data.
    pub progress: Option<Count>,
    /// Left unfinished by the previous round.
    pub carried_over: bool,
}

/// A phase with its dates and tasks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhaseView {
    pub key: PhaseKey,
    pub first_day: i64,
    pub last_day: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub start: Date,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub end: Date,
    pub state: PhaseState,
    /// Tasks done of the phase's tasks.
    pub progress: Count,
    pub tasks: Vec<TaskView>,
}

/// The programme on a given day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgrammeView {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub start: Date,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub end: Date,
    /// Today's day of the programme: 1 on the start day, below 1 before it, above 30 after.
    pub day: i64,
    /// Tasks done of all tasks.
    pub progress: Count,
    pub phases: Vec<PhaseView>,
}

/// The date of day `day` (from 1) of a programme starting on `start`; the far end of the
/// calendar for a date past it.
pub fn date_of(start: Date, day: i64) -> Date {
    start.checked_add((day - 1).days()).unwrap_or(Date::MAX)
}

/// How a task stands in the data and ticks, and how far it got.
fn reading(key: TaskKey, s: &Snapshot) -> (bool, Option<Count>) {
    let flag = |done: bool| (done, None);
    let at_least_one = |n: u64| {
        (
            n > 0,
            Some(Count {
                done: n.min(1),
                total: 1,
            }),
        )
    };
    match key {
        TaskKey::InventoryComplete => (s.touchpoints.complete(), Some(s.touchpoints)),
        TaskKey::WeaknessesDocumented => at_least_one(s.findings),
        TaskKey::GuidelinePublished => at_least_one(s.guideline_facts),
        TaskKey::ConsistencyChecked => flag(s.checked_since_start),
        TaskKey::ServiceTeam => at_least_one(s.agents),
        TaskKey::ResponseTargets => (
            s.channels_with_targets.complete(),
            Some(s.channels_with_targets),
        ),
        TaskKey::MeasurementRunning => at_least_one(s.surveys_answered),
        TaskKey::CrmTraining
        | TaskKey::PersonalTemplates
        | TaskKey::PersonalCampaign
        | TaskKey::ReviewDone => flag(s.ticks.contains(&key)),
    }
}

/// The programme starting on `start` as it stands on `today`, from what the product knows
/// (`snapshot`) and the tasks the previous round left unfinished (`carried`).
pub fn plan(
    start: Date,
    today: Date,
    snapshot: &Snapshot,
    carried: &BTreeSet<TaskKey>,
) -> ProgrammeView {
    let day = start
        .until(today)
        .map_or(0, |span| i64::from(span.get_days()))
        + 1;
    let mut phases = Vec::new();
    let mut progress = Count::default();
    for key in PhaseKey::ALL {
        let (first_day, last_day) = key.days();
        let mut tasks = Vec::new();
        for def in TASKS.iter().filter(|t| t.phase == key) {
            let (done, count) = reading(def.key, snapshot);
            let status = if done {
                TaskStatus::Done
            } else if day > def.due_day {
                TaskStatus::Overdue
            } else {
                TaskStatus::Open
            };
            tasks.push(TaskView {
                key: def.key,
                phase: key,
                owner: def.owner,
                due_day: def.due_day,
                due: date_of(start, def.due_day),
                link: def.link.to_owned(),
                source: def.source,
                status,
                progress: count,
                carried_over: carried.contains(&def.key),
            });
        }
        let phase_progress = Count {
            done: tasks
                .iter()
                .filter(|t| t.status == TaskStatus::Done)
                .count() as u64,
            total: tasks.len() as u64,
        };
        let state = if phase_progress.complete() {
            PhaseState::Done
        } else if tasks.iter().any(|t| t.status == TaskStatus::Overdue) {
            PhaseState::Overdue
        } else if day < first_day {
            PhaseState::Upcoming
        } else if day <= last_day {
            PhaseState::Running
        } else {
            PhaseState::Open
        };
        progress.done += phase_progress.done;
        progress.total += phase_progress.total;
        phases.push(PhaseView {
            key,
            first_day,
            last_day,
            start: date_of(start, first_day),
            end: date_of(start, last_day),
            state,
            progress: phase_progress,
            tasks,
        });
    }
    ProgrammeView {
        start,
        end: date_of(start, DAYS),
        day,
        progress,
        phases,
    }
}

/// What a new round inherits when the optimisation goes on ("Optimierung fortsetzen"): the
/// tasks the current round has not done, as they stand on the day of the restart. They are
/// marked as carried over in the new round, so nothing left open is forgotten; done tasks
/// start over, as each round asks for them again (a new review at its day 30, the
/// inventory kept complete). Ticks by hand belong to their round and are not inherited.
pub fn carry_over(current: &ProgrammeView) -> BTreeSet<TaskKey> {
    current
        .phases
        .iter()
        .flat_map(|p| &p.tasks)
        .filter(|t| t.status != TaskStatus::Done)
        .map(|t| t.key)
        .collect()
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;
    use proptest::prelude::*;

    use super::*;

    fn everything_done() -> Snapshot {
        Snapshot {
            touchpoints: Count { done: 4, total: 4 },
            findings: 3,
            guideline_facts: 5,
            checked_since_start: true,
            channels_with_targets: Count { done: 2, total: 2 },
            agents: 2,
            surveys_answered: 1,
            ticks: TaskKey::ALL.into_iter().filter(|k| k.is_manual()).collect(),
        }
    }

    fn task(view: &ProgrammeView, key: TaskKey) -> &TaskView {
        view.phases
            .iter()
            .flat_map(|p| &p.tasks)
            .find(|t| t.key == key)
            .expect("task")
    }

    #[test]
    fn phases_have_the_methods_dates() {
        let view = plan(
            date(2027, 3, 1),
            date(2027, 3, 1),
            &Snapshot::default(),
            &BTreeSet::new(),
        );
        let dates: Vec<(PhaseKey, Date, Date)> = view
            .phases
            .iter()
            .map(|p| (p.key, p.start, p.end))
            .collect();
        assert_eq!(
            dates,
            vec![
                (PhaseKey::Inventory, date(2027, 3, 1), date(2027, 3, 7)),
                (PhaseKey::Guideline, date(2027, 3, 8), date(2027, 3, 10)),
                (PhaseKey::Requests, date(2027, 3, 11), date(2027, 3, 15)),
                (
                    PhaseKey::Personalisation,
                    date(2027, 3, 16),
                    date(2027, 3, 25)
                ),
                (PhaseKey::Measurement, date(2027, 3, 26), date(2027, 3, 30)),
            ]
        );
        assert_eq!(view.end, date(2027, 3, 30));
        assert_eq!(view.day, 1);
        assert_eq!(view.progress, Count { done: 0, total: 11 });
        assert_eq!(
            task(&view, TaskKey::InventoryComplete).due,
            date(2027, 3, 5)
        );
        assert_eq!(task(&view, TaskKey::ReviewDone).due, date(2027, 3, 30));
    }

    #[test]
    fn every_task_once_due_inside_its_phase_after_its_first_day() {
        for key in TaskKey::ALL {
            assert_eq!(TASKS.iter().filter(|t| t.key == key).count(), 1, "{key:?}");
            assert_eq!(TaskKey::parse(key.as_str()), Some(key));
            let def = key.def();
            let (first, last) = def.phase.days();
            assert!(def.due_day > first && def.due_day <= last, "{key:?}");
        }
        assert_eq!(TaskKey::parse("review"), None);
    }

    #[test]
    fn data_tasks_read_the_snapshot() {
        let mut snapshot = everything_done();
        snapshot.touchpoints = Count { done: 3, total: 4 };
        snapshot.channels_with_targets = Count { done: 0, total: 0 };
        snapshot.agents = 0;
        let view = plan(
            date(2027, 3, 1),
            date(2027, 3, 3),
            &snapshot,
            &BTreeSet::new(),
        );
        let inventory = task(&view, TaskKey::InventoryComplete);
        assert_eq!(inventory.status, TaskStatus::Open);
        assert_eq!(inventory.progress, Some(Count { done: 3, total: 4 }));
        // No channel in use is no target set: nothing to answer yet is not done.
        assert_eq!(
            task(&view, TaskKey::ResponseTargets).status,
            TaskStatus::Open
        );
        assert_eq!(task(&view, TaskKey::ServiceTeam).status, TaskStatus::Open);
        assert_eq!(
            task(&view, TaskKey::ServiceTeam).progress,
            Some(Count { done: 0, total: 1 })
        );
        assert_eq!(
            task(&view, TaskKey::WeaknessesDocumented).status,
            TaskStatus::Done
        );
        assert_eq!(task(&view, TaskKey::ConsistencyChecked).progress, None);
        // 11 tasks, 3 of them not done.
        assert_eq!(view.progress, Count { done: 8, total: 11 });
    }

    #[test]
    fn overdue_the_day_after_the_due_day() {
        let start = date(2027, 3, 1);
        let none = BTreeSet::new();
        // Inventory is due on day 5, 2027-03-05.
        let on_due = plan(start, date(2027, 3, 5), &Snapshot::default(), &none);
        assert_eq!(
            task(&on_due, TaskKey::InventoryComplete).status,
            TaskStatus::Open
        );
        assert_eq!(on_due.phases[0].state, PhaseState::Running);
        let after = plan(start, date(2027, 3, 6), &Snapshot::default(), &none);
        assert_eq!(after.day, 6);
        assert_eq!(
            task(&after, TaskKey::InventoryComplete).status,
            TaskStatus::Overdue
        );
        assert_eq!(after.phases[0].state, PhaseState::Overdue);
        assert_eq!(after.phases[1].state, PhaseState::Upcoming);
    }

    #[test]
    fn phase_states_on_day_twenty() {
        // Day 20: phases 1–3 done but the training, personalisation running with its
        // templates (due day 18) overdue, measurement to come.
        let mut snapshot = everything_done();
        snapshot.ticks = BTreeSet::from([TaskKey::CrmTraining]);
        snapshot.surveys_answered = 0;
        let view = plan(
            date(2027, 3, 1),
            date(2027, 3, 20),
            &snapshot,
            &BTreeSet::new(),
        );
        let states: Vec<PhaseState> = view.phases.iter().map(|p| p.state).collect();
        assert_eq!(
            states,
            vec![
                PhaseState::Done,
                PhaseState::Done,
                PhaseState::Done,
                PhaseState::Overdue,
                PhaseState::Upcoming,
            ]
        );
        assert_eq!(view.phases[3].progress, Count { done: 0, total: 2 });
        assert_eq!(
            task(&view, TaskKey::PersonalTemplates).status,
            TaskStatus::Overdue
        );
        assert_eq!(
            task(&view, TaskKey::PersonalCampaign).status,
            TaskStatus::Open
        );
        assert_eq!(view.progress, Count { done: 7, total: 11 });
    }

    #[test]
    fn before_the_start_day_everything_is_to_come() {
        let view = plan(
            date(2027, 3, 10),
            date(2027, 3, 1),
            &Snapshot::default(),
            &BTreeSet::new(),
        );
        assert_eq!(view.day, -8);
        assert!(view.phases.iter().all(|p| p.state == PhaseState::Upcoming));
    }

    #[test]
    fn a_new_round_inherits_what_is_not_done() {
        let mut snapshot = everything_done();
        snapshot.ticks.remove(&TaskKey::ReviewDone);
        snapshot.touchpoints = Count { done: 5, total: 6 };
        let view = plan(
            date(2027, 3, 1),
            date(2027, 4, 2),
            &snapshot,
            &BTreeSet::new(),
        );
        let carried = carry_over(&view);
        assert_eq!(
            carried,
            BTreeSet::from([TaskKey::InventoryComplete, TaskKey::ReviewDone])
        );
        // The next round shows them as carried over, and its ticks start empty.
        let mut next_snapshot = snapshot.clone();
        next_snapshot.ticks.clear();
        let next = plan(date(2027, 4, 2), date(2027, 4, 2), &next_snapshot, &carried);
        assert!(task(&next, TaskKey::ReviewDone).carried_over);
        assert!(task(&next, TaskKey::InventoryComplete).carried_over);
        assert!(!task(&next, TaskKey::CrmTraining).carried_over);
        assert_eq!(task(&next, TaskKey::CrmTraining).status, TaskStatus::Open);
    }

    proptest! {
        /// For any start day, the phases cover days 1 to 30 one after the other, without gap
        /// or overlap, in dates as in day numbers.
        #[test]
        fn phases_cover_thirty_days_contiguously(offset in 0i64..2_900_000) {
            let start = date(1970, 1, 1).checked_add(offset.days()).expect("in range");
            let view = plan(start, start, &Snapshot::default(), &BTreeSet::new());
            let mut next_day = 1;
            let mut next_date = start;
            for phase in &view.phases {
                prop_assert_eq!(phase.first_day, next_day);
                prop_assert_eq!(phase.start, next_date);
                prop_assert_eq!(
                    phase.start.until(phase.end).expect("span").get_days() as i64,
                    phase.last_day - phase.first_day
                );
                next_day = phase.last_day + 1;
                next_date = phase.end.tomorrow().expect("in range");
            }
            prop_assert_eq!(next_day, DAYS + 1);
            prop_assert_eq!(view.end, date_of(start, DAYS));
        }

        /// Status follows the day: a task not done is open up to its due day and overdue after;
        /// a done one is done whatever the day.
        #[test]
        fn status_follows_the_day(day in -40i64..80, done in any::<bool>()) {
            let start = date(2027, 1, 1);
            let today = date_of(start, day);
            let snapshot = if done { everything_done() } else { Snapshot::default() };
            let view = plan(start, today, &snapshot, &BTreeSet::new());
            prop_assert_eq!(view.day, day);
            for t in view.phases.iter().flat_map(|p| &p.tasks) {
                let expected = if done {
                    TaskStatus::Done
                } else if day > t.due_day {
                    TaskStatus::Overdue
                } else {
                    TaskStatus::Open
                };
                prop_assert_eq!(t.status, expected);
            }
        }
    }
}
