//! The weekly meeting digest: new stories and violations of the standards, per team.

use std::collections::{BTreeMap, HashMap};

use axum::extract::{Query, State};
use axum::http::StatusCode;
use jiff::{SignedDuration, Timestamp};
use minijinja::value::Serde;
use serde::Serialize;
use touchpoints_core::{FieldProblem, Problem, TouchpointFilter};

use super::compliance::{Lookup, ViolationView, judge};
use super::days_ago;
use super::story::{StoryView, story_view};
use crate::AppState;
use crate::web::numbers::day;
use crate::web::{Page, PageResult};

#[derive(Debug, Default, Serialize)]
struct Team {
    name: String,
    stories: Vec<(String, StoryView)>,
    violations: Vec<ViolationView>,
}

/// The digest's period: the week (Monday to Monday, in the organisation's time zone `zone`)
/// of the date `week` names, or the last seven days. A date that is no date is a field
/// problem.
fn digest_period(
    week: Option<&str>,
    now: Timestamp,
    zone: &jiff::tz::TimeZone,
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
            let next_monday = monday
                .checked_add(jiff::Span::new().days(7))
                .map_err(|_| not_a_date())?;
            let midnight = |day: jiff::civil::Date| {
                day.to_zoned(zone.clone())
                    .map(|z| z.timestamp())
                    .map_err(|_| not_a_date())
            };
            Ok((midnight(monday)?, midnight(next_monday)?))
        }
    }
}

pub(super) async fn digest(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<HashMap<String, String>>,
) -> PageResult {
    let now = Timestamp::now();
    let week = query.get("week").cloned().unwrap_or_default();
    let zone = &page.zone.0;
    let (period, problems) = match digest_period(Some(&week), now, zone) {
        Ok(period) => (period, vec![]),
        Err(problem) => (
            digest_period(None, now, zone).unwrap_or((now, now)),
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
            from => day(from.to_zoned(zone.clone()).date(), page.lang),
            until => day(last_day.to_zoned(zone.clone()).date(), page.lang),
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
        let utc = jiff::tz::TimeZone::UTC;
        let (from, until) = digest_period(Some("2026-03-11"), now, &utc).expect("a week");
        assert_eq!(from.to_string(), "2026-03-09T00:00:00Z");
        assert_eq!(until.to_string(), "2026-03-16T00:00:00Z");
        // Midnight in Berlin is 23:00 UTC the day before in winter; the week in which
        // summer time begins (29 March 2026) is an hour shorter.
        let berlin = jiff::tz::TimeZone::get("Europe/Berlin").expect("Berlin");
        let (from, until) = digest_period(Some("2026-03-11"), now, &berlin).expect("a week");
        assert_eq!(from.to_string(), "2026-03-08T23:00:00Z");
        assert_eq!(until.to_string(), "2026-03-15T23:00:00Z");
        let (from, until) = digest_period(Some("2026-03-29"), now, &berlin).expect("a week");
        assert_eq!(from.to_string(), "2026-03-22T23:00:00Z");
        assert_eq!(until.to_string(), "2026-03-29T22:00:00Z");
        let (from, until) = digest_period(None, now, &berlin).expect("the last days");
        assert_eq!(from.to_string(), "2026-03-05T10:00:00Z");
        assert_eq!(until, now);
        assert!(digest_period(Some("11.03.2026"), now, &utc).is_err());
    }
}
