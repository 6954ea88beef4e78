//! The action plan: actions written and moved through their statuses, and the plan ranked
//! from the customer's view by the core's score with the quick win on top, each action with
//! the points and reasons of its rank. Retire actions carry who still uses their
//! touchpoints, as a warning before anyone retires them.
//!
//! The score's signals are measured over the last [`WINDOW_DAYS`] days at each action's
//! touchpoints, from what the store keeps anyway:
//! - importance and brand fit: the highest among the touchpoints in the inventory;
//! - NPS, CSAT and CES with their change since the window before: the daily roll-ups;
//! - late answers: the requests' first-response targets, as the queue's statistics judge them;
//! - open contradictions and broken mandatory standards: the open findings of the latest
//!   check placed at the touchpoints (in their content or their interactions) or linked to
//!   the action;
//! - reach: the customers who made requests or gave answers there;
//! - target group and region: the heaviest weight a manager gave to one of the touchpoints'
//!   target groups and regions (1 for those without).
//!
//! Not measured, and so left out rather than guessed: customer events, which name no
//! touchpoint. The weights and the quick-win rule are the plan's settings, the core's
//! defaults until a manager changes them.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp, ToSpan};
use serde::Serialize;
use touchpoints_core::action_plan::{
    ActionInput, ActionKind, ActionStatus, Candidate, Measured, PlanSettings, PlanWeights,
    QuickWin, QuickWinRule, Reason, Reliance, Signals, StatusChangeInput, quick_win, reliance,
    score,
};
use touchpoints_core::consistency::check::FindingKind;
use touchpoints_core::consistency::library::FindingStatus;
use touchpoints_core::dashboard::TallyRow;
use touchpoints_core::kpi::{self, Metric, Tally};
use touchpoints_core::problem::{Problem, Problems};
use touchpoints_core::{Touchpoint, TouchpointFilter};
use touchpoints_store::{
    ActionStatusEntry, Resolution, Store, StoredAction, StoredContent, StoredFinding, TargetCount,
    TouchpointUsage,
};

use crate::Result;
use crate::plan_counts::{PlanCounts, RetireCounts, SetCounts};

/// How far back the plan measures, and how far back a retirement looks for customers who
/// still use a touchpoint.
pub const WINDOW_DAYS: i64 = 90;

/// Stores a new action in the status it asks for (planned by default).
pub async fn create(
    store: &dyn Store,
    input: &ActionInput,
    now: Timestamp,
    actor: &str,
) -> Result<StoredAction> {
    let fields = input.validate()?;
    let status = input.status.unwrap_or(ActionStatus::Planned);
    let retiring = Retiring {
        kind: fields.kind,
        touchpoint_ids: &fields.touchpoint_ids,
        from: None,
        to: status,
    };
    retiring.check(store, now, false).await?;
    Ok(store.create_action(&fields, status, actor).await?)
}

/// Replaces an action; a status in the input other than the stored one moves it, recorded in
/// its history.
pub async fn replace(
    store: &dyn Store,
    id: i64,
    input: &ActionInput,
    now: Timestamp,
    actor: &str,
) -> Result<StoredAction> {
    let fields = input.validate()?;
    if let Some(to) = input.status {
        let stored = store.action(id).await?;
        let retiring = Retiring {
            kind: fields.kind,
            touchpoint_ids: &fields.touchpoint_ids,
            from: Some(stored.status),
            to,
        };
        retiring.check(store, now, false).await?;
    }
    Ok(store
        .update_action(id, &fields, input.status, actor)
        .await?)
}

/// Moves an action to another status with a note for its history.
pub async fn set_status(
    store: &dyn Store,
    id: i64,
    input: &StatusChangeInput,
    now: Timestamp,
    actor: &str,
) -> Result<StoredAction> {
    let mut change = input.validate()?;
    let stored = store.action(id).await?;
    let retiring = Retiring {
        kind: stored.fields.kind,
        touchpoint_ids: &stored.fields.touchpoint_ids,
        from: Some(stored.status),
        to: change.status,
    };
    change.confirmed = retiring.check(store, now, input.confirm_retirement).await?;
    Ok(store.set_action_status(id, &change, actor).await?)
}

/// Who relies now on the touchpoints `touchpoint_ids`: the customers of the last
/// [`WINDOW_DAYS`] days, those with no other touchpoint, and where the others went too.
pub async fn reliance_now(
    store: &dyn Store,
    touchpoint_ids: &[i64],
    now: Timestamp,
) -> Result<Reliance> {
    let contacts = store
        .reliance_contacts(touchpoint_ids, window_start(now), now)
        .await?;
    Ok(reliance(&contacts, touchpoint_ids))
}

pub(crate) fn window_start(now: Timestamp) -> Timestamp {
    now.checked_sub(SignedDuration::from_hours(24 * WINDOW_DAYS))
        .unwrap_or(Timestamp::MIN)
}

/// A move of an action from one status (none when it is new) to another.
pub(crate) struct Retiring<'a> {
    pub(crate) kind: ActionKind,
    pub(crate) touchpoint_ids: &'a [i64],
    pub(crate) from: Option<ActionStatus>,
    pub(crate) to: ActionStatus,
}

impl Retiring<'_> {
    /// A retire action takes its touchpoints away when it goes into progress or is done.
    /// While customers used only those touchpoints, that needs `confirmed`, and what was
    /// confirmed is returned for the audit log; without it the move is a conflict naming
    /// `confirm_retirement`.
    pub(crate) async fn check(
        &self,
        store: &dyn Store,
        now: Timestamp,
        confirmed: bool,
    ) -> Result<Option<String>> {
        let retires = |status| matches!(status, ActionStatus::InProgress | ActionStatus::Done);
        if self.kind != ActionKind::Retire || !retires(self.to) || self.from.is_some_and(retires) {
            return Ok(None);
        }
        let only_here = reliance_now(store, self.touchpoint_ids, now)
            .await?
            .only_here;
        match (only_here, confirmed) {
            (0, _) => Ok(None),
            (_, true) => Ok(Some(format!(
                "retiring confirmed: {only_here} of the customers of the last {WINDOW_DAYS} \
                 days had no other touchpoint"
            ))),
            (_, false) => Err(crate::AppError::Conflict(Problems::single(
                "confirm_retirement",
                Problem::rule(
                    "retire-needs-confirmation",
                    &format!(
                        "{only_here} of the customers of the last {WINDOW_DAYS} days had no \
                         other touchpoint: confirm to retire anyway"
                    ),
                ),
            ))),
        }
    }
}

/// The history of an action's status, newest first.
pub async fn history(store: &dyn Store, id: i64) -> Result<Vec<ActionStatusEntry>> {
    Ok(store.action_history(id).await?)
}

/// One part of an action's score with its reason in words: "3 open contradictions +12".
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExplainedPart {
    /// Inline: the queue's score has a `Reason` of its own, and one name in the API's
    /// document stands for one schema.
    #[cfg_attr(feature = "openapi", schema(inline))]
    pub reason: Reason,
    pub points: f64,
    pub text: String,
}

/// Who still uses the touchpoints a retire action would take away.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RetireAnalysis {
    /// The window looked at: the last [`WINDOW_DAYS`] days.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub since: Timestamp,
    pub usage: TouchpointUsage,
    /// Customers who used these touchpoints in the window and no other: retiring takes
    /// away the only one they had, and needs a confirmation.
    pub only_here: u64,
    /// Where the other customers can go: the touchpoints they also used, most shared first.
    pub alternatives: Vec<NamedAlternative>,
    /// The saved segments whose members had contacts in the window, and how many of them
    /// were at these touchpoints.
    pub segments: Vec<SegmentShare>,
    /// What stands against retiring now, in words; absent when nobody used the touchpoints
    /// in the window and no request waits there.
    pub warning: Option<String>,
}

/// A saved segment's contacts in the window, and how many were at the retiring touchpoints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SegmentShare {
    pub segment_id: i64,
    pub name: String,
    /// Its members' requests and answers in the window, at any touchpoint.
    pub contacts: u64,
    /// Of those, the ones at the retiring touchpoints.
    pub here: u64,
}

impl SegmentShare {
    /// `here` of `contacts` in per cent, rounded.
    pub fn percent(&self) -> u64 {
        (self.here * 100 + self.contacts / 2)
            .checked_div(self.contacts)
            .unwrap_or(0)
    }
}

/// Another touchpoint the customers of a retiring one also used.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NamedAlternative {
    pub touchpoint_id: i64,
    pub name: String,
    /// Customers of the retiring touchpoints who used this one too.
    pub customers: u64,
}

/// An action in the plan, with its place and why it has it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RankedAction {
    /// 1 for the first of the plan.
    pub rank: u32,
    pub action: StoredAction,
    pub quick_win: bool,
    /// The score the plan is sorted by: the impact less the effort's points.
    pub points: f64,
    pub impact: f64,
    /// Person-days, with the budget counted at the weights' day rate.
    pub effort_days: f64,
    /// The parts the points add up from.
    pub parts: Vec<ExplainedPart>,
    /// For an open retire action: who still uses its touchpoints.
    pub retire: Option<RetireAnalysis>,
}

/// What the quick-win rule found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum QuickWinOutcome {
    Chosen,
    NoOpenAction,
    NoneShortEnough,
    NoneSmallEnough,
    NoneWithImpact,
}

/// The quick win and why, or why there is none.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuickWinAnswer {
    pub outcome: QuickWinOutcome,
    /// The chosen action, first in the plan.
    pub action_id: Option<i64>,
    /// The chosen action's impact per person-day, and its days from start to due.
    pub impact_per_day: Option<f64>,
    pub days: Option<i64>,
    /// The rule's answer in words.
    pub reason: String,
    pub rule: QuickWinRule,
}

/// The ranked plan: the quick win first, then the open actions by their points, then the
/// done and dropped ones by theirs.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Plan {
    /// The window the customers, requests, answers and late answers were counted in.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub from: Timestamp,
    /// When they were counted: the moment of the call, or a counting the server kept from
    /// at most its `--plan-counts-max-age` before (five minutes unless `serve` is told
    /// otherwise).
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub until: Timestamp,
    pub weights: PlanWeights,
    pub quick_win: QuickWinAnswer,
    pub actions: Vec<RankedAction>,
    /// Actions the plan proposes, the most impact first: accepted, each becomes an idea.
    pub suggestions: Vec<Suggestion>,
}

/// An action the plan proposes for an active touchpoint with measured weaknesses that no
/// action concerns yet (of any status: a dropped one counts as decided).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Suggestion {
    pub touchpoint_id: i64,
    pub touchpoint: String,
    /// The title and goal the idea gets, in the plan's language.
    pub title: String,
    pub goal: String,
    /// The open findings placed at the touchpoint, linked to the idea.
    pub finding_ids: Vec<i64>,
    /// What an action there would be worth, as the plan scores it.
    pub impact: f64,
    /// The parts of that impact in words.
    pub reasons: Vec<String>,
}

/// Suggestions the plan shows at most.
pub const SUGGESTIONS_MAX: usize = 5;

/// What the plan measured at the touchpoints, shared by every action's signals.
#[derive(Debug, Default)]
pub struct Measurements {
    pub touchpoints: HashMap<i64, Touchpoint>,
    /// Tallies of the current and the previous window, by metric and touchpoint.
    pub current: HashMap<(Metric, i64), Tally>,
    pub previous: HashMap<(Metric, i64), Tally>,
    /// Per touchpoint: requests whose first-response target is decided, and those late.
    pub targets: HashMap<i64, TargetCount>,
    /// Open findings of the latest check: kind, and the touchpoints they are placed at.
    pub findings: HashMap<i64, (FindingKind, BTreeSet<i64>)>,
    /// The weights of target groups and regions.
    pub target_groups: BTreeMap<String, f64>,
    pub regions: BTreeMap<String, f64>,
}

impl Measurements {
    /// The tallies of roll-up rows, by metric and touchpoint.
    pub fn tallies(rows: &[TallyRow]) -> HashMap<(Metric, i64), Tally> {
        let mut out: HashMap<(Metric, i64), Tally> = HashMap::new();
        for row in rows {
            out.entry((row.metric, row.touchpoint_id))
                .or_default()
                .merge(&row.tally);
        }
        out
    }

    /// The open, current findings with the touchpoints they are placed at: a text of the
    /// content library belongs to its touchpoint, an interaction names its own in its place
    /// (`touchpoints/7#interaction-3`).
    pub fn place_findings(
        findings: &[StoredFinding],
        contents: &[StoredContent],
    ) -> HashMap<i64, (FindingKind, BTreeSet<i64>)> {
        let content_touchpoint: HashMap<i64, i64> = contents
            .iter()
            .filter_map(|c| Some((c.id, c.fields.touchpoint_id?)))
            .collect();
        findings
            .iter()
            .filter(|f| f.current && f.status == FindingStatus::Open)
            .map(|f| {
                let touchpoints = f
                    .finding
                    .places
                    .iter()
                    .filter_map(|place| {
                        let source = place.source.as_str();
                        if let Some(id) = source.strip_prefix("content/") {
                            content_touchpoint.get(&id.parse().ok()?).copied()
                        } else {
                            let rest = source.strip_prefix("touchpoints/")?;
                            rest.split('#').next()?.parse().ok()
                        }
                    })
                    .collect();
                (f.id, (f.finding.kind, touchpoints))
            })
            .collect()
    }

    /// The signals of one action; `usage` is who used its touchpoints in the window.
    pub fn signals(&self, action: &StoredAction, usage: &TouchpointUsage) -> Signals {
        let ids = &action.fields.touchpoint_ids;
        let touchpoints: Vec<&Touchpoint> = ids
            .iter()
            .filter_map(|id| self.touchpoints.get(id))
            .collect();
        let importance = touchpoints
            .iter()
            .map(|t| t.fields.importance.overall())
            .fold(0.0, f64::max);
        let brand_fit = touchpoints
            .iter()
            .map(|t| t.fields.brand_fit)
            .max()
            .unwrap_or(0);
        let merged = |tallies: &HashMap<(Metric, i64), Tally>, metric: Metric| {
            let mut tally = Tally::default();
            for id in ids {
                if let Some(t) = tallies.get(&(metric, *id)) {
                    tally.merge(t);
                }
            }
            tally
        };
        let measured = Metric::ALL
            .into_iter()
            .filter_map(|metric| {
                let estimate = kpi::estimate(metric, &merged(&self.current, metric))?;
                let change = kpi::estimate(metric, &merged(&self.previous, metric))
                    .map(|before| kpi::change(&estimate, &before));
                Some(Measured {
                    metric,
                    estimate,
                    change,
                })
            })
            .collect();
        let (with_target, late) = ids
            .iter()
            .filter_map(|id| self.targets.get(id))
            .fold((0, 0), |(w, l), t| (w + t.decided, l + t.missed));
        let (mut open_contradictions, mut broken_mandatory_standards) = (0, 0);
        for (id, (kind, places)) in &self.findings {
            let concerned =
                action.fields.finding_ids.contains(id) || places.iter().any(|t| ids.contains(t));
            if !concerned {
                continue;
            }
            match kind {
                FindingKind::ContradictsGuideline | FindingKind::ContradictsChannel => {
                    open_contradictions += 1;
                }
                FindingKind::ViolatesStandard => broken_mandatory_standards += 1,
                _ => {}
            }
        }
        Signals {
            importance,
            measured,
            with_target,
            late,
            open_contradictions,
            broken_mandatory_standards,
            // Customers are told apart by profile in requests and by reference in answers,
            // which the store does not join: the larger count is the number of customers at
            // least reached, never one counted twice.
            customers: usage.request_customers.max(usage.answer_customers),
            target_group: PlanSettings::heaviest(
                &self.target_groups,
                touchpoints.iter().flat_map(|t| &t.fields.target_groups),
            ),
            region: PlanSettings::heaviest(
                &self.regions,
                touchpoints.iter().flat_map(|t| &t.fields.regions),
            ),
            brand_fit,
            person_days: action.fields.person_days,
            budget_cents: action.fields.planned_cents(),
        }
    }
}

/// Whether an action's analysis is a retirement's: an open retire action.
pub(crate) fn retires(action: &StoredAction) -> bool {
    action.fields.kind == ActionKind::Retire && action.status.is_open()
}

/// The analysis of an open retire action; other actions have none.
fn retire_analysis(
    action: &StoredAction,
    usage: &TouchpointUsage,
    counted: Option<&RetireCounts>,
    touchpoints: &HashMap<i64, Touchpoint>,
    since: Timestamp,
    lang: &str,
) -> Option<RetireAnalysis> {
    if !retires(action) {
        return None;
    }
    let none_counted = RetireCounts::default();
    let RetireCounts { reliance, segments } = counted.unwrap_or(&none_counted);
    let german = lang.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("de"));
    let alternatives: Vec<NamedAlternative> = reliance
        .alternatives
        .iter()
        .map(|a| NamedAlternative {
            touchpoint_id: a.touchpoint_id,
            name: touchpoints.get(&a.touchpoint_id).map_or_else(
                || format!("#{}", a.touchpoint_id),
                |t| t.fields.name.clone(),
            ),
            customers: a.customers,
        })
        .collect();
    let customers = usage
        .request_customers
        .max(usage.answer_customers)
        .max(reliance.customers);
    let warning = (customers > 0 || usage.open_requests > 0).then(|| {
        let mut warning = if german {
            format!(
                "In den letzten {WINDOW_DAYS} Tagen nutzten mindestens {customers} Kunden diese \
                 Touchpoints ({} Anfragen, {} Antworten), und {} Anfragen sind dort noch offen: \
                 erst diese Kunden umleiten, dann streichen",
                usage.requests, usage.answers, usage.open_requests
            )
        } else {
            format!(
                "at least {customers} customers used these touchpoints in the last \
                 {WINDOW_DAYS} days ({} requests, {} answers), and {} requests are still open \
                 there: move these customers before retiring",
                usage.requests, usage.answers, usage.open_requests
            )
        };
        if reliance.only_here > 0 {
            warning.push_str(&if german {
                format!(
                    ". Für {} von ihnen war es der einzige Touchpoint: Streichen nur mit \
                     ausdrücklicher Bestätigung",
                    reliance.only_here
                )
            } else {
                format!(
                    "; for {} of them it was their only touchpoint: retiring needs an explicit \
                     confirmation",
                    reliance.only_here
                )
            });
        }
        let shares: Vec<String> = segments
            .iter()
            .filter(|share| share.here > 0)
            .map(|share| {
                format!(
                    "{} {} % ({} / {})",
                    share.name,
                    share.percent(),
                    share.here,
                    share.contacts
                )
            })
            .collect();
        if !shares.is_empty() {
            warning.push_str(if german {
                ". Anteil an den Kontakten der Segmente: "
            } else {
                "; share of the segments' contacts: "
            });
            warning.push_str(&shares.join(", "));
        }
        if !alternatives.is_empty() {
            let names: Vec<String> = alternatives
                .iter()
                .map(|a| format!("{} ({})", a.name, a.customers))
                .collect();
            warning.push_str(if german {
                ". Sie nutzen auch: "
            } else {
                "; they also use: "
            });
            warning.push_str(&names.join(", "));
        }
        warning
    });
    Some(RetireAnalysis {
        since,
        usage: *usage,
        only_here: reliance.only_here,
        alternatives,
        segments: segments.to_vec(),
        warning,
    })
}

/// The day after `today`, and the day [`WINDOW_DAYS`] before it, and as many before that.
fn windows(today: Date) -> Option<(Date, Date, Date)> {
    let until = today.checked_add(1.day()).ok()?;
    let from = until.checked_sub(WINDOW_DAYS.days()).ok()?;
    let previous = from.checked_sub(WINDOW_DAYS.days()).ok()?;
    Some((previous, from, until))
}

/// Ranks entries: the quick win, then open actions, each group by points (highest first),
/// ties by id.
fn rank(entries: &mut [RankedAction]) {
    entries.sort_by(|a, b| {
        b.quick_win
            .cmp(&a.quick_win)
            .then(b.action.status.is_open().cmp(&a.action.status.is_open()))
            .then(b.points.total_cmp(&a.points))
            .then(a.action.id.cmp(&b.action.id))
    });
    for (i, entry) in entries.iter_mut().enumerate() {
        entry.rank = u32::try_from(i + 1).unwrap_or(u32::MAX);
    }
}

fn answer(
    outcome: &QuickWin,
    actions: &[StoredAction],
    rule: &QuickWinRule,
    lang: &str,
) -> QuickWinAnswer {
    let reason = outcome.describe(lang, rule);
    let (outcome, action_id, impact_per_day, days) = match outcome {
        QuickWin::Chosen {
            index,
            impact_per_day,
            days,
        } => (
            QuickWinOutcome::Chosen,
            actions.get(*index).map(|a| a.id),
            Some(*impact_per_day),
            Some(*days),
        ),
        QuickWin::NoOpenAction => (QuickWinOutcome::NoOpenAction, None, None, None),
        QuickWin::NoneShortEnough => (QuickWinOutcome::NoneShortEnough, None, None, None),
        QuickWin::NoneSmallEnough => (QuickWinOutcome::NoneSmallEnough, None, None, None),
        QuickWin::NoneWithImpact => (QuickWinOutcome::NoneWithImpact, None, None, None),
    };
    QuickWinAnswer {
        outcome,
        action_id,
        impact_per_day,
        days,
        reason,
        rule: rule.clone(),
    }
}

/// The plan as of `now`, its reasons in German for `lang` `de`, else in English. Who used
/// the actions' touchpoints comes from `counts`: counted now, or kept from a recent counting.
pub async fn plan(
    store: &dyn Store,
    counts: &PlanCounts,
    now: Timestamp,
    lang: &str,
) -> Result<Plan> {
    let PlanSettings {
        target_groups,
        regions,
        quick_win: rule,
        weights,
    } = store.plan_settings().await?;
    let today = crate::reports::today(&store.time_zone().await?, now);
    let (previous_from, from, until) = windows(today).ok_or_else(|| {
        crate::AppError::Internal(format!("no {WINDOW_DAYS}-day window before {today}"))
    })?;

    let actions = store.actions().await?;
    let counting = counts.for_actions(store, &actions, now).await?;
    let since = window_start(counting.at);
    let mut measurements = Measurements {
        touchpoints: store
            .list_touchpoints(&TouchpointFilter::default())
            .await?
            .into_iter()
            .map(|t| (t.id, t))
            .collect(),
        targets: counting.targets.clone(),
        findings: Measurements::place_findings(&store.findings().await?, &store.contents().await?),
        target_groups,
        regions,
        ..Measurements::default()
    };
    for metric in Metric::ALL {
        let (current, previous) = tokio::join!(
            store.tallies_by_place(Resolution::Day, metric, from, until),
            store.tallies_by_place(Resolution::Day, metric, previous_from, from),
        );
        measurements
            .current
            .extend(Measurements::tallies(&current?));
        measurements
            .previous
            .extend(Measurements::tallies(&previous?));
    }

    let mut entries = Vec::with_capacity(actions.len());
    let mut candidates = Vec::with_capacity(actions.len());
    let nothing_counted = SetCounts::default();
    for action in &actions {
        let counted = counting
            .sets
            .get(&action.fields.touchpoint_ids)
            .unwrap_or(&nothing_counted);
        let usage = counted.usage;
        let scored = score(&measurements.signals(action, &usage), &weights);
        candidates.push(Candidate {
            status: action.status,
            start: action.fields.start,
            due: action.fields.due,
            impact: scored.impact,
            effort_days: scored.effort_days,
        });
        entries.push(RankedAction {
            rank: 0,
            action: action.clone(),
            quick_win: false,
            points: scored.points,
            impact: scored.impact,
            effort_days: scored.effort_days,
            parts: scored
                .parts
                .iter()
                .map(|p| ExplainedPart {
                    reason: p.reason.clone(),
                    points: p.points,
                    text: p.describe(lang),
                })
                .collect(),
            retire: retire_analysis(
                action,
                &usage,
                counted.retire.as_ref(),
                &measurements.touchpoints,
                since,
                lang,
            ),
        });
    }
    let outcome = quick_win(&candidates, &rule);
    if let QuickWin::Chosen { index, .. } = outcome
        && let Some(entry) = entries.get_mut(index)
    {
        entry.quick_win = true;
    }
    let quick_win = answer(&outcome, &actions, &rule, lang);
    rank(&mut entries);
    let suggestions = suggest(&measurements, &weights, &actions, lang);
    Ok(Plan {
        from: since,
        until: counting.at,
        weights,
        quick_win,
        actions: entries,
        suggestions,
    })
}

/// The actions the plan proposes: for every active touchpoint no action concerns, an
/// optimisation scored as the plan would score it; those with a measured weakness (a metric
/// below target or falling, late answers, open contradictions, broken mandatory standards),
/// the most impact first.
fn suggest(
    measurements: &Measurements,
    weights: &PlanWeights,
    actions: &[StoredAction],
    lang: &str,
) -> Vec<Suggestion> {
    let german = lang.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("de"));
    let decided: BTreeSet<i64> = actions
        .iter()
        .flat_map(|a| a.fields.touchpoint_ids.iter().copied())
        .collect();
    let mut suggestions: Vec<Suggestion> = measurements
        .touchpoints
        .values()
        .filter(|t| {
            t.fields.status == touchpoints_core::touchpoint::Status::Active
                && !decided.contains(&t.id)
        })
        .filter_map(|t| {
            let finding_ids: Vec<i64> = measurements
                .findings
                .iter()
                .filter(|(_, (_, places))| places.contains(&t.id))
                .map(|(id, _)| *id)
                .collect::<BTreeSet<i64>>()
                .into_iter()
                .take(touchpoints_core::action_plan::FINDINGS_MAX)
                .collect();
            let name: String = t.fields.name.chars().take(120).collect();
            let (title, goal) = if german {
                (
                    format!("{name} verbessern"),
                    format!("Die gemessenen Schwächen am Touchpoint „{name}“ beheben"),
                )
            } else {
                (
                    format!("Improve {name}"),
                    format!("Fix the measured weaknesses at the touchpoint “{name}”"),
                )
            };
            let fields = ActionInput {
                kind: ActionKind::Optimise,
                title: title.clone(),
                goal: goal.clone(),
                touchpoint_ids: vec![t.id],
                finding_ids: finding_ids.clone(),
                ..ActionInput::default()
            }
            .validate()
            .ok()?;
            let idea = StoredAction {
                id: 0,
                fields,
                status: ActionStatus::Idea,
                created_at: t.updated_at,
                updated_at: t.updated_at,
            };
            let scored = score(
                &measurements.signals(&idea, &TouchpointUsage::default()),
                weights,
            );
            let weak = scored.parts.iter().any(|p| {
                matches!(
                    p.reason,
                    Reason::BelowTarget { .. }
                        | Reason::Falling { .. }
                        | Reason::Late { .. }
                        | Reason::OpenContradictions { .. }
                        | Reason::BrokenStandards { .. }
                )
            });
            (weak && scored.impact > 0.0).then(|| Suggestion {
                touchpoint_id: t.id,
                touchpoint: t.fields.name.clone(),
                title,
                goal,
                finding_ids,
                impact: scored.impact,
                reasons: scored.parts.iter().map(|p| p.describe(lang)).collect(),
            })
        })
        .collect();
    suggestions.sort_by(|a, b| {
        b.impact
            .total_cmp(&a.impact)
            .then(a.touchpoint_id.cmp(&b.touchpoint_id))
    });
    suggestions.truncate(SUGGESTIONS_MAX);
    suggestions
}

/// Takes up the plan's suggestion for a touchpoint as an idea; a conflict naming
/// `touchpoint_id` when the plan suggests nothing there (an action concerns it already, or
/// nothing was measured wrong).
pub async fn accept_suggestion(
    store: &dyn Store,
    counts: &PlanCounts,
    touchpoint_id: i64,
    now: Timestamp,
    lang: &str,
    actor: &str,
) -> Result<StoredAction> {
    store.touchpoint(touchpoint_id).await?;
    let plan = plan(store, counts, now, lang).await?;
    let Some(suggestion) = plan
        .suggestions
        .into_iter()
        .find(|s| s.touchpoint_id == touchpoint_id)
    else {
        return Err(crate::AppError::Conflict(Problems::single(
            "touchpoint_id",
            Problem::rule(
                "no-suggestion",
                "the plan suggests no action here: an action concerns the touchpoint already, \
                 or nothing was measured wrong there",
            ),
        )));
    };
    let input = ActionInput {
        kind: ActionKind::Optimise,
        title: suggestion.title,
        goal: suggestion.goal,
        touchpoint_ids: vec![touchpoint_id],
        finding_ids: suggestion.finding_ids,
        status: Some(ActionStatus::Idea),
        ..ActionInput::default()
    };
    create(store, &input, now, actor).await
}

/// The plan's settings as a manager last set them, or the defaults.
pub async fn settings(store: &dyn Store) -> Result<PlanSettings> {
    Ok(store.plan_settings().await?)
}

/// Replaces the plan's settings after checking every value.
pub async fn set_settings(
    store: &dyn Store,
    settings: &PlanSettings,
    actor: &str,
) -> Result<PlanSettings> {
    let settings = settings.validate()?;
    store.set_plan_settings(&settings, actor).await?;
    Ok(settings)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use jiff::civil::date;
    use touchpoints_core::consistency::check::{Finding, Place};
    use touchpoints_core::consistency::library::ContentFields;
    use touchpoints_core::{TouchpointInput, catalog};

    use super::*;

    fn at(hours: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + hours * 3600).unwrap()
    }

    fn touchpoint(id: i64, importance: i64, brand_fit: i64) -> Touchpoint {
        let catalog = touchpoints_core::Catalog {
            channels: catalog::default_channels(),
            phases: catalog::default_phases(),
        };
        let fields = TouchpointInput {
            name: format!("Touchpoint {id}"),
            channel: "phone".into(),
            phase: "after-purchase".into(),
            importance: touchpoints_core::touchpoint::ImportanceInput {
                experience: importance,
                loyalty: importance,
                referral: importance,
            },
            brand_fit,
            ..TouchpointInput::default()
        }
        .validate(&catalog)
        .unwrap();
        Touchpoint {
            id,
            fields,
            created_at: at(0),
            updated_at: at(0),
        }
    }

    fn stored(id: i64, input: ActionInput, status: ActionStatus) -> StoredAction {
        StoredAction {
            id,
            fields: input.validate().unwrap(),
            status,
            created_at: at(0),
            updated_at: at(0),
        }
    }

    fn finding(
        id: i64,
        kind: FindingKind,
        sources: &[&str],
        status: FindingStatus,
    ) -> StoredFinding {
        StoredFinding {
            id,
            fingerprint: format!("f{id}"),
            finding: Finding {
                kind,
                rule: "rule".into(),
                message: "message".into(),
                places: sources
                    .iter()
                    .map(|s| Place {
                        source: (*s).into(),
                        title: String::new(),
                        channel: None,
                        line: 1,
                        column: 1,
                        excerpt: String::new(),
                        written: None,
                        violation: None,
                    })
                    .collect(),
                suggestion: None,
                unlisted: 0,
                unlisted_places: 0,
            },
            status,
            status_by: None,
            first_seen: at(0),
            last_seen: at(0),
            current: true,
        }
    }

    #[test]
    fn findings_are_placed_at_the_touchpoints_of_their_content_and_interactions() {
        let contents = [StoredContent {
            id: 5,
            fields: ContentFields {
                title: "FAQ".into(),
                touchpoint_id: Some(7),
                body: "x".into(),
                ..ContentFields::default()
            },
            updated_at: at(0),
        }];
        let mut gone = finding(
            4,
            FindingKind::ContradictsChannel,
            &["content/5"],
            FindingStatus::Open,
        );
        gone.current = false;
        let findings = [
            finding(
                1,
                FindingKind::ContradictsGuideline,
                &["content/5", "content/6"],
                FindingStatus::Open,
            ),
            finding(
                2,
                FindingKind::ViolatesStandard,
                &["touchpoints/9#interaction-3"],
                FindingStatus::Open,
            ),
            finding(
                3,
                FindingKind::ContradictsGuideline,
                &["content/5"],
                FindingStatus::Accepted,
            ),
            gone,
        ];
        let placed = Measurements::place_findings(&findings, &contents);
        let mut ids: Vec<_> = placed.keys().copied().collect();
        ids.sort_unstable();
        assert_eq!(
            ids,
            [1, 2],
            "accepted and no longer found ones are not open"
        );
        assert_eq!(placed[&1].1, BTreeSet::from([7]));
        assert_eq!(placed[&2].1, BTreeSet::from([9]));
    }

    #[test]
    fn signals_merge_what_was_measured_at_every_touchpoint_of_the_action() {
        let mut m = Measurements::default();
        m.touchpoints.insert(1, touchpoint(1, 2, 5));
        m.touchpoints.insert(2, touchpoint(2, 4, 2));
        m.touchpoints.insert(3, touchpoint(3, 5, 5));
        // NPS at touchpoints 1 and 2: 20 promoters and 10 detractors together.
        let mut one = Tally::default();
        one.counts[10] = 20;
        let mut two = Tally::default();
        two.counts[2] = 10;
        m.current.insert((Metric::Nps, 1), one);
        m.current.insert((Metric::Nps, 2), two);
        m.current.insert((Metric::Nps, 3), one);
        m.targets.insert(
            1,
            TargetCount {
                decided: 10,
                missed: 4,
            },
        );
        m.targets.insert(
            2,
            TargetCount {
                decided: 5,
                missed: 1,
            },
        );
        m.targets.insert(
            3,
            TargetCount {
                decided: 100,
                missed: 100,
            },
        );
        m.findings
            .insert(11, (FindingKind::ContradictsGuideline, BTreeSet::from([2])));
        m.findings
            .insert(12, (FindingKind::ViolatesStandard, BTreeSet::from([3])));
        m.findings
            .insert(13, (FindingKind::ContradictsChannel, BTreeSet::from([3])));
        m.findings
            .insert(14, (FindingKind::ForbiddenTerm, BTreeSet::from([1])));
        let action = stored(
            1,
            ActionInput {
                title: "Hotline".into(),
                touchpoint_ids: vec![1, 2],
                finding_ids: vec![12],
                person_days: 3.0,
                budgets: [(
                    "2027-Q1".to_owned(),
                    touchpoints_core::action_plan::Budget {
                        planned_cents: 160_000,
                        spent_cents: 0,
                    },
                )]
                .into(),
                ..ActionInput::default()
            },
            ActionStatus::Planned,
        );
        let usage = TouchpointUsage {
            request_customers: 40,
            answer_customers: 55,
            ..TouchpointUsage::default()
        };
        let s = m.signals(&action, &usage);
        assert_eq!(s.importance, 4.0, "the most important of its touchpoints");
        assert_eq!(s.brand_fit, 5);
        assert_eq!(s.measured.len(), 1, "{:?}", s.measured);
        // (20 − 10) / 30 promoters less detractors: NPS 33.3 over both touchpoints.
        assert!((s.measured[0].estimate.value - 100.0 / 3.0).abs() < 1e-9);
        assert_eq!(s.measured[0].estimate.n, 30);
        assert_eq!(
            s.measured[0].change, None,
            "no answers in the window before"
        );
        assert_eq!((s.with_target, s.late), (15, 5));
        // The contradiction at touchpoint 2, and the broken standard linked by hand; not
        // those of touchpoint 3 or a tone finding.
        assert_eq!(
            (s.open_contradictions, s.broken_mandatory_standards),
            (1, 1)
        );
        assert_eq!(s.customers, 55);
        assert_eq!((s.person_days, s.budget_cents), (3.0, 160_000));
    }

    #[test]
    fn the_quick_win_leads_and_closed_actions_trail() {
        let entry = |id: i64, status: ActionStatus, points: f64, quick_win: bool| RankedAction {
            rank: 0,
            action: stored(
                id,
                ActionInput {
                    kind: ActionKind::Launch,
                    title: format!("Aktion {id}"),
                    ..ActionInput::default()
                },
                status,
            ),
            quick_win,
            points,
            impact: points,
            effort_days: 0.0,
            parts: Vec::new(),
            retire: None,
        };
        let mut entries = vec![
            entry(1, ActionStatus::Done, 90.0, false),
            entry(2, ActionStatus::Planned, 10.0, false),
            entry(3, ActionStatus::Idea, 30.0, false),
            entry(4, ActionStatus::Planned, 5.0, true),
            entry(5, ActionStatus::InProgress, 30.0, false),
        ];
        rank(&mut entries);
        let order: Vec<(u32, i64)> = entries.iter().map(|e| (e.rank, e.action.id)).collect();
        assert_eq!(order, [(1, 4), (2, 3), (3, 5), (4, 2), (5, 1)]);
    }

    #[test]
    fn an_open_retire_action_warns_of_the_customers_who_still_use_it() {
        let retire = |status| {
            stored(
                1,
                ActionInput {
                    kind: ActionKind::Retire,
                    title: "Fax".into(),
                    touchpoint_ids: vec![3],
                    ..ActionInput::default()
                },
                status,
            )
        };
        let usage = TouchpointUsage {
            requests: 12,
            request_customers: 8,
            answers: 5,
            answer_customers: 5,
            open_requests: 2,
        };
        let touchpoints: HashMap<i64, Touchpoint> =
            [(4, touchpoint(4, 3, 3))].into_iter().collect();
        let relying = Reliance {
            customers: 9,
            only_here: 3,
            alternatives: vec![
                touchpoints_core::action_plan::Alternative {
                    touchpoint_id: 4,
                    customers: 5,
                },
                touchpoints_core::action_plan::Alternative {
                    touchpoint_id: 77,
                    customers: 1,
                },
            ],
        };
        let analysis = |status, usage: &TouchpointUsage, reliance: &Reliance, lang| {
            let counted = RetireCounts {
                reliance: reliance.clone(),
                segments: Vec::new(),
            };
            retire_analysis(
                &retire(status),
                usage,
                Some(&counted),
                &touchpoints,
                at(0),
                lang,
            )
        };
        let english = analysis(ActionStatus::Planned, &usage, &relying, "en").unwrap();
        assert_eq!(
            english.warning.as_deref(),
            Some(
                "at least 9 customers used these touchpoints in the last 90 days (12 requests, \
                 5 answers), and 2 requests are still open there: move these customers before \
                 retiring; for 3 of them it was their only touchpoint: retiring needs an \
                 explicit confirmation; they also use: Touchpoint 4 (5), #77 (1)"
            )
        );
        assert_eq!(english.only_here, 3);
        assert_eq!(english.alternatives[0].name, "Touchpoint 4");
        let german = analysis(ActionStatus::Idea, &usage, &relying, "de-DE").unwrap();
        let german = german.warning.unwrap();
        assert!(german.starts_with("In den letzten 90 Tagen nutzten mindestens 9 Kunden"));
        assert!(german.contains("Für 3 von ihnen war es der einzige Touchpoint"));
        assert!(german.ends_with("Sie nutzen auch: Touchpoint 4 (5), #77 (1)"));
        let plain = analysis(ActionStatus::Planned, &usage, &Reliance::default(), "en").unwrap();
        assert!(
            plain
                .warning
                .unwrap()
                .ends_with("move these customers before retiring")
        );
        let unused = analysis(
            ActionStatus::Planned,
            &TouchpointUsage::default(),
            &Reliance::default(),
            "en",
        )
        .unwrap();
        assert_eq!(unused.warning, None);
        assert!(analysis(ActionStatus::Done, &usage, &relying, "en").is_none());
        // A segment's share of contacts, rounded: 2 of 3 are 67 %; a segment without a
        // contact here is not named.
        let shares = vec![
            SegmentShare {
                segment_id: 1,
                name: "Premium".into(),
                contacts: 3,
                here: 2,
            },
            SegmentShare {
                segment_id: 2,
                name: "Neu".into(),
                contacts: 5,
                here: 0,
            },
        ];
        let with_segments = retire_analysis(
            &retire(ActionStatus::Planned),
            &usage,
            Some(&RetireCounts {
                reliance: Reliance::default(),
                segments: shares,
            }),
            &touchpoints,
            at(0),
            "en",
        )
        .unwrap();
        assert!(
            with_segments
                .warning
                .unwrap()
                .ends_with("share of the segments' contacts: Premium 67 % (2 / 3)")
        );
        assert_eq!(with_segments.segments.len(), 2);
        let optimise = stored(
            2,
            ActionInput {
                title: "Hotline".into(),
                touchpoint_ids: vec![3],
                ..ActionInput::default()
            },
            ActionStatus::Planned,
        );
        assert!(retire_analysis(&optimise, &usage, None, &touchpoints, at(0), "en").is_none());
    }

    #[test]
    fn the_heaviest_weighted_target_group_and_region_of_the_touchpoints_count() {
        let mut hotline = touchpoint(1, 4, 3);
        hotline.fields.target_groups = vec!["Neukunden".into(), "Stammkunden".into()];
        hotline.fields.regions = vec!["Nord".into()];
        let mut shop = touchpoint(2, 3, 3);
        shop.fields.target_groups = vec!["Familien".into()];
        let measurements = Measurements {
            touchpoints: [(1, hotline), (2, shop)].into_iter().collect(),
            target_groups: [
                ("Stammkunden".to_owned(), 1.5),
                ("Familien".to_owned(), 1.8),
                ("Neukunden".to_owned(), 0.5),
            ]
            .into_iter()
            .collect(),
            regions: [("Süd".to_owned(), 2.0)].into_iter().collect(),
            ..Measurements::default()
        };
        let action = |touchpoints: Vec<i64>| {
            stored(
                1,
                ActionInput {
                    title: "Hotline".into(),
                    touchpoint_ids: touchpoints,
                    ..ActionInput::default()
                },
                ActionStatus::Planned,
            )
        };
        let usage = TouchpointUsage::default();
        let hotline_only = measurements.signals(&action(vec![1]), &usage);
        assert_eq!(hotline_only.target_group, Some(("Stammkunden".into(), 1.5)));
        assert_eq!(hotline_only.region, None, "Nord has no weight");
        let both = measurements.signals(&action(vec![1, 2]), &usage);
        assert_eq!(both.target_group, Some(("Familien".into(), 1.8)));
    }

    #[test]
    fn the_windows_end_with_today() {
        let (previous, from, until) = windows(date(2027, 3, 31)).unwrap();
        assert_eq!(until, date(2027, 4, 1));
        assert_eq!(from, date(2027, 1, 1));
        assert_eq!(previous, date(2026, 10, 3));
    }
}
