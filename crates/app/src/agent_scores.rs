//! NPS and CSAT per agent and per team, for the dashboard's managers: the answers to requests
//! in the dashboard's window (a survey after a resolution names its request), which the store
//! counts by the request's assignee and the answer's touchpoint, merged here by agent and by
//! team. Values, intervals and the flag for few answers are the core's (`kpi::estimate`).
//!
//! Accounts carry no team. The team is the owner of the answer's touchpoint, as the meeting
//! digest groups stories and violations by it; an agent who answers for several touchpoints
//! counts in each of their teams.

use std::collections::{BTreeMap, HashMap};

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use touchpoints_core::TouchpointFilter;
use touchpoints_core::dashboard::Value;
use touchpoints_core::kpi::{MIN_ANSWERS, Metric, Tally};
use touchpoints_store::{AssigneeTally, Store};

use crate::action_effect::time_zone;
use crate::reports::{self, KpiQuery};
use crate::{AppError, Result};

/// The window, as the dashboard's filter gives it.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ScoresQuery {
    /// First day (YYYY-MM-DD); default: the start of the period eleven periods ago.
    pub from: Option<String>,
    /// Day after the last (YYYY-MM-DD, exclusive); default: the end of the current period.
    pub until: Option<String>,
    /// day, week, month (default), quarter or year: the window is widened to whole periods,
    /// as on the dashboard.
    pub granularity: Option<String>,
}

/// One agent's or one team's scores.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScoreRow {
    /// The agent's user name, or the team as its touchpoints name it; `null` for requests
    /// nobody holds, or for touchpoints without an owner.
    pub key: Option<String>,
    /// The agent's display name (the user name of an account no longer there), or the team's
    /// name; empty where `key` is `null`.
    pub label: String,
    /// Answers of both metrics.
    pub answers: u64,
    /// Percent promoters (9–10) minus percent detractors (0–6), with its interval.
    pub nps: Value,
    /// Percent of answers 4 or 5 on the 1–5 scale, with its interval.
    pub csat: Value,
}

/// The scores per agent and per team in one window.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgentScores {
    pub time_zone: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub from: Date,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub until: Date,
    /// A value from fewer answers than this is flagged `few`: too few to judge a person or a
    /// team by.
    pub min_answers: u64,
    /// By display name, requests nobody holds last.
    pub agents: Vec<ScoreRow>,
    /// By name, touchpoints without an owner last.
    pub teams: Vec<ScoreRow>,
}

/// The scores per agent and team over the window `query` asks for, as of `now`. A malformed
/// or backwards window is invalid input naming `from` or `until`, as on the dashboard.
pub async fn agent_scores(
    store: &dyn Store,
    query: &ScoresQuery,
    now: Timestamp,
) -> Result<AgentScores> {
    let time_zone_name = store.time_zone().await?;
    let kpi_query = KpiQuery {
        from: query.from.clone(),
        until: query.until.clone(),
        granularity: query.granularity.clone(),
        ..KpiQuery::default()
    };
    let (_, _, window) = reports::check(&kpi_query, reports::today(&time_zone_name, now))?;
    // The window's days begin at midnight in the organisation's zone, as the roll-ups count
    // them, so these scores cover the answers the dashboard's tiles cover.
    let tz = time_zone(store).await?;
    let start_of = |day: Date| {
        day.to_zoned(tz.clone())
            .map(|zoned| zoned.timestamp())
            .map_err(|e| AppError::Internal(format!("day {day} in the time zone: {e}")))
    };
    let counted = store
        .tallies_by_assignee(start_of(window.from)?, start_of(window.until)?)
        .await?;
    let display_names: HashMap<String, String> = store
        .users()
        .await?
        .into_iter()
        .map(|user| (user.username, user.display_name))
        .collect();
    let owners: HashMap<i64, String> = store
        .list_touchpoints(&TouchpointFilter::default())
        .await?
        .into_iter()
        .map(|t| (t.id, t.fields.owner))
        .collect();
    Ok(AgentScores {
        time_zone: time_zone_name,
        from: window.from,
        until: window.until,
        min_answers: MIN_ANSWERS,
        agents: by_agent(&counted, &display_names),
        teams: by_team(&counted, &owners),
    })
}

/// Tallies of NPS and CSAT under one key, with the key's label.
#[derive(Default)]
struct Group {
    key: Option<String>,
    label: String,
    nps: Tally,
    csat: Tally,
}

impl Group {
    fn count(&mut self, row: &AssigneeTally) {
        match row.metric {
            Metric::Nps => self.nps.merge(&row.tally),
            Metric::Csat => self.csat.merge(&row.tally),
            // CES is not among the scores per person: effort depends on the process more
            // than on who handled the request.
            Metric::Ces => {}
        }
    }

    fn into_row(self) -> ScoreRow {
        ScoreRow {
            answers: self.nps.n().saturating_add(self.csat.n()),
            nps: Value::of(Metric::Nps, &self.nps),
            csat: Value::of(Metric::Csat, &self.csat),
            key: self.key,
            label: self.label,
        }
    }
}

/// Groups ordered by label without case, the one without a key last; groups without NPS or
/// CSAT answers left out.
fn rows(groups: BTreeMap<(bool, String, Option<String>), Group>) -> Vec<ScoreRow> {
    groups
        .into_values()
        .filter(|g| g.nps.n() > 0 || g.csat.n() > 0)
        .map(Group::into_row)
        .collect()
}

fn by_agent(counted: &[AssigneeTally], display_names: &HashMap<String, String>) -> Vec<ScoreRow> {
    let mut groups: BTreeMap<(bool, String, Option<String>), Group> = BTreeMap::new();
    for row in counted {
        let label = row
            .assignee
            .as_ref()
            .map(|name| display_names.get(name).unwrap_or(name).clone())
            .unwrap_or_default();
        // The user name in the key keeps two agents of the same display name apart.
        let key = (
            row.assignee.is_none(),
            label.to_lowercase(),
            row.assignee.clone(),
        );
        groups
            .entry(key)
            .or_insert_with(|| Group {
                key: row.assignee.clone(),
                label,
                ..Group::default()
            })
            .count(row);
    }
    rows(groups)
}

fn by_team(counted: &[AssigneeTally], owners: &HashMap<i64, String>) -> Vec<ScoreRow> {
    let mut groups: BTreeMap<(bool, String, Option<String>), Group> = BTreeMap::new();
    for row in counted {
        let owner = owners
            .get(&row.touchpoint_id)
            .map(|owner| owner.trim())
            .unwrap_or_default();
        // Owners are typed by hand at each touchpoint: "Kundenservice" and "kundenservice"
        // are one team, shown as first written.
        let key = (owner.is_empty(), owner.to_lowercase(), None);
        groups
            .entry(key)
            .or_insert_with(|| Group {
                key: Some(owner.to_owned()).filter(|o| !o.is_empty()),
                label: owner.to_owned(),
                ..Group::default()
            })
            .count(row);
    }
    rows(groups)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counted(
        assignee: Option<&str>,
        touchpoint_id: i64,
        metric: Metric,
        scores: &[u8],
    ) -> AssigneeTally {
        AssigneeTally {
            assignee: assignee.map(str::to_owned),
            touchpoint_id,
            metric,
            tally: Tally::from_scores(scores.iter().copied()),
        }
    }

    fn value(row: &ScoreRow, metric: Metric) -> Option<f64> {
        let value = match metric {
            Metric::Nps => &row.nps,
            _ => &row.csat,
        };
        value.estimate.map(|e| e.value)
    }

    #[test]
    fn agents_merge_their_touchpoints_and_teams_their_agents() {
        let counted = [
            counted(Some("berta"), 1, Metric::Nps, &[10, 9, 9]),
            counted(Some("berta"), 2, Metric::Nps, &[8, 3]),
            counted(Some("berta"), 2, Metric::Csat, &[5, 4, 2]),
            counted(Some("anton"), 1, Metric::Nps, &[0]),
            counted(Some("anton"), 1, Metric::Ces, &[7]),
            counted(None, 3, Metric::Nps, &[7]),
        ];
        let names = HashMap::from([
            ("berta".to_owned(), "Berta Brandt".to_owned()),
            ("anton".to_owned(), "anton Adler".to_owned()),
        ]);
        let agents = by_agent(&counted, &names);
        let labels: Vec<_> = agents.iter().map(|r| r.label.as_str()).collect();
        // By display name without case, nobody's last.
        assert_eq!(labels, ["anton Adler", "Berta Brandt", ""]);
        let berta = &agents[1];
        assert_eq!(berta.key.as_deref(), Some("berta"));
        // 3 promoters, 1 passive, 1 detractor of 5: NPS = 60 − 20 = 40.
        assert_eq!(value(berta, Metric::Nps), Some(40.0));
        // 2 of 3 satisfied: CSAT = 66.7 %.
        assert!((value(berta, Metric::Csat).unwrap_or_default() - 200.0 / 3.0).abs() < 1e-9);
        assert_eq!(berta.answers, 8);
        assert!(berta.nps.estimate.is_some_and(|e| e.few));
        // Anton's CES answer is no score of his and not among his answers.
        assert_eq!(agents[0].answers, 1);
        assert_eq!(agents[0].csat.estimate, None);
        assert_eq!(agents[2].key, None);

        // Touchpoints 1 and 2 belong to one team, written two ways; 3 has no owner.
        let owners = HashMap::from([
            (1, "Kundenservice".to_owned()),
            (2, " kundenservice ".to_owned()),
            (3, String::new()),
        ]);
        let teams = by_team(&counted, &owners);
        assert_eq!(teams.len(), 2, "{teams:?}");
        assert_eq!(teams[0].key.as_deref(), Some("Kundenservice"));
        // 3 promoters, 1 passive, 2 detractors of 6: NPS = 50 − 33.3 = 16.7.
        assert!((value(&teams[0], Metric::Nps).unwrap_or_default() - 50.0 / 3.0).abs() < 1e-9);
        assert_eq!(teams[0].answers, 9);
        assert_eq!(
            (teams[1].key.as_deref(), teams[1].label.as_str()),
            (None, "")
        );
        assert_eq!(value(&teams[1], Metric::Nps), Some(0.0));
    }
}
