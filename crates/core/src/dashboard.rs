//! What the dashboard shows, computed from roll-up rows (answer counts per touchpoint, channel
//! and day or month): a metric's value over a window, its trend by period, and its breakdown
//! by a dimension, each compared with the window before and judged against the noise.
//!
//! The store hands in tallies; everything here is merging counts and applying the standard
//! definitions, so the result is exactly what a scan of every answer would give.

use std::collections::{BTreeMap, HashMap};

use jiff::civil::Date;
use serde::Serialize;

use crate::kpi::{self, Change, Estimate, Granularity, Metric, Tally};
use crate::touchpoint::Touchpoint;

/// Counts of one metric at one touchpoint, on one channel, in one roll-up bucket (a day, or a
/// month's first day).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TallyRow {
    pub metric: Metric,
    pub bucket: Date,
    pub touchpoint_id: i64,
    pub channel: String,
    pub tally: Tally,
}

/// What a breakdown groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Dimension {
    Touchpoint,
    Channel,
    Phase,
    TargetGroup,
    Region,
}

impl Dimension {
    pub const ALL: [Dimension; 5] = [
        Dimension::Touchpoint,
        Dimension::Channel,
        Dimension::Phase,
        Dimension::TargetGroup,
        Dimension::Region,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Touchpoint => "touchpoint",
            Dimension::Channel => "channel",
            Dimension::Phase => "phase",
            Dimension::TargetGroup => "target_group",
            Dimension::Region => "region",
        }
    }

    pub fn parse(text: &str) -> Option<Dimension> {
        Dimension::ALL.into_iter().find(|d| d.as_str() == text)
    }
}

/// A value with everything needed to read it honestly: the counts it comes from, its interval
/// and whether it rests on few answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Value {
    pub n: u64,
    /// Answers per score, index = score (0–10).
    pub counts: [u64; 11],
    /// `None` without answers.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub estimate: Option<Estimate>,
}

impl Value {
    pub fn of(metric: Metric, tally: &Tally) -> Value {
        Value {
            n: tally.n(),
            counts: tally.counts,
            estimate: kpi::estimate(metric, tally),
        }
    }
}

/// A value now and in the window before, and whether the difference is larger than the noise.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Compared {
    pub current: Value,
    pub previous: Value,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub change: Option<Change>,
}

impl Compared {
    pub fn of(metric: Metric, current: &Tally, previous: &Tally) -> Compared {
        let current = Value::of(metric, current);
        let previous = Value::of(metric, previous);
        let change = match (&current.estimate, &previous.estimate) {
            (Some(c), Some(p)) => Some(kpi::change(c, p)),
            _ => None,
        };
        Compared {
            current,
            previous,
            change,
        }
    }
}

/// One period of a trend.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Period {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub start: Date,
    pub label: String,
    #[serde(flatten)]
    pub value: Value,
}

/// One group of a breakdown.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Group {
    /// A touchpoint's id, or a channel, phase, target group or region as written.
    pub key: String,
    #[serde(flatten)]
    pub compared: Compared,
}

/// The periods of a window `[from, until)` in order, each with its tally; periods without
/// answers are there too, with a count of 0, so a chart shows the gap.
pub fn trend(
    rows: &[TallyRow],
    metric: Metric,
    granularity: Granularity,
    from: Date,
    until: Date,
) -> Vec<Period> {
    let mut tallies: BTreeMap<Date, Tally> = BTreeMap::new();
    let mut start = kpi::period_start(from, granularity);
    while start < until {
        tallies.insert(start, Tally::default());
        start = kpi::next_period(start, granularity);
    }
    for row in rows.iter().filter(|r| r.metric == metric) {
        if let Some(tally) = tallies.get_mut(&kpi::period_start(row.bucket, granularity)) {
            tally.merge(&row.tally);
        }
    }
    tallies
        .into_iter()
        .map(|(start, tally)| Period {
            start,
            label: kpi::period_label(start, granularity),
            value: Value::of(metric, &tally),
        })
        .collect()
}

/// Everything of one metric merged.
pub fn total(rows: &[TallyRow], metric: Metric) -> Tally {
    let mut tally = Tally::default();
    for row in rows.iter().filter(|r| r.metric == metric) {
        tally.merge(&row.tally);
    }
    tally
}

/// The keys a row counts under. A touchpoint in two regions counts in both: a breakdown by
/// region answers "how is it going where this touchpoint is", not a partition.
fn keys_of<'a>(
    row: &'a TallyRow,
    dimension: Dimension,
    touchpoints: &'a HashMap<i64, &Touchpoint>,
) -> Vec<&'a str> {
    let touchpoint = touchpoints.get(&row.touchpoint_id);
    match dimension {
        Dimension::Channel => vec![row.channel.as_str()],
        Dimension::Touchpoint => Vec::new(),
        Dimension::Phase => touchpoint
            .map(|t| vec![t.fields.phase.as_str()])
            .unwrap_or_default(),
        Dimension::TargetGroup => touchpoint
            .map(|t| t.fields.target_groups.iter().map(String::as_str).collect())
            .unwrap_or_default(),
        Dimension::Region => touchpoint
            .map(|t| t.fields.regions.iter().map(String::as_str).collect())
            .unwrap_or_default(),
    }
}

fn grouped(
    rows: &[TallyRow],
    metric: Metric,
    dimension: Dimension,
    touchpoints: &HashMap<i64, &Touchpoint>,
) -> HashMap<String, Tally> {
    let mut groups: HashMap<String, Tally> = HashMap::new();
    for row in rows.iter().filter(|r| r.metric == metric) {
        if dimension == Dimension::Touchpoint {
            groups
                .entry(row.touchpoint_id.to_string())
                .or_default()
                .merge(&row.tally);
            continue;
        }
        for key in keys_of(row, dimension, touchpoints) {
            groups.entry(key.to_owned()).or_default().merge(&row.tally);
        }
    }
    groups
}

/// The metric by `dimension` in the current window, each group compared with the previous
/// window; groups ordered by answers in the current window (most first), then by key.
pub fn breakdown(
    current: &[TallyRow],
    previous: &[TallyRow],
    metric: Metric,
    dimension: Dimension,
    touchpoints: &HashMap<i64, &Touchpoint>,
) -> Vec<Group> {
    let now = grouped(current, metric, dimension, touchpoints);
    let before = grouped(previous, metric, dimension, touchpoints);
    let empty = Tally::default();
    let mut groups: Vec<Group> = now
        .iter()
        .map(|(key, tally)| Group {
            key: key.clone(),
            compared: Compared::of(metric, tally, before.get(key).unwrap_or(&empty)),
        })
        .collect();
    groups.sort_by(|a, b| {
        b.compared
            .current
            .n
            .cmp(&a.compared.current.n)
            .then_with(|| a.key.cmp(&b.key))
    });
    groups
}

/// The window before `[from, until)` with as many periods (`from` starts a period).
pub fn previous_window(from: Date, until: Date, granularity: Granularity) -> (Date, Date) {
    let mut start = from;
    let mut period = from;
    while period < until {
        period = kpi::next_period(period, granularity);
        start = kpi::previous_period(start, granularity);
    }
    (start, from)
}

/// The window `[from, until)` widened to whole periods, so that the first and last period of
/// a trend are not partial.
pub fn whole_periods(from: Date, until: Date, granularity: Granularity) -> (Date, Date) {
    let start = kpi::period_start(from, granularity);
    let last = until.yesterday().unwrap_or(until);
    let end = kpi::next_period(kpi::period_start(last.max(start), granularity), granularity);
    (start, end)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::touchpoint::{Importance, Status, TouchpointFields};
    use jiff::civil::date;

    fn row(
        metric: Metric,
        bucket: Date,
        touchpoint_id: i64,
        channel: &str,
        scores: &[u8],
    ) -> TallyRow {
        TallyRow {
            metric,
            bucket,
            touchpoint_id,
            channel: channel.into(),
            tally: Tally::from_scores(scores.iter().copied()),
        }
    }

    fn touchpoint(id: i64, phase: &str, regions: &[&str]) -> Touchpoint {
        Touchpoint {
            id,
            fields: TouchpointFields {
                name: format!("T{id}"),
                description: String::new(),
                channel: "phone".into(),
                kind: crate::catalog::Kind::Communication,
                phase: phase.into(),
                owner: String::new(),
                target_groups: Vec::new(),
                regions: regions.iter().map(|r| (*r).to_owned()).collect(),
                status: Status::Active,
                importance: Importance {
                    experience: 3,
                    loyalty: 3,
                    referral: 3,
                },
                brand_fit: 3,
                notes: String::new(),
            },
            created_at: jiff::Timestamp::UNIX_EPOCH,
            updated_at: jiff::Timestamp::UNIX_EPOCH,
        }
    }

    #[test]
    fn a_trend_has_every_period_of_the_window_even_without_answers() {
        let rows = [
            row(Metric::Nps, date(2026, 1, 5), 1, "phone", &[10, 9, 0]),
            row(Metric::Nps, date(2026, 1, 20), 2, "web", &[10]),
            row(Metric::Nps, date(2026, 3, 1), 1, "phone", &[5]),
            row(Metric::Csat, date(2026, 1, 5), 1, "phone", &[5]),
        ];
        let periods = trend(
            &rows,
            Metric::Nps,
            Granularity::Month,
            date(2026, 1, 1),
            date(2026, 4, 1),
        );
        let labels: Vec<_> = periods.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["2026-01", "2026-02", "2026-03"]);
        // January: promoters 10, 9, 10 = 3, detractors 0 = 1, n = 4: 100 * (3 - 1) / 4 = 50.
        assert_eq!(periods[0].value.n, 4);
        assert_eq!(periods[0].value.estimate.unwrap().value, 50.0);
        assert_eq!(periods[1].value.n, 0);
        assert!(periods[1].value.estimate.is_none());
        // March: one detractor: -100.
        assert_eq!(periods[2].value.estimate.unwrap().value, -100.0);
    }

    #[test]
    fn a_breakdown_groups_by_touchpoint_attributes_and_compares_windows() {
        let t1 = touchpoint(1, "purchase", &["Nord", "Süd"]);
        let t2 = touchpoint(2, "service", &["Nord"]);
        let touchpoints: HashMap<i64, &Touchpoint> = [(1, &t1), (2, &t2)].into();
        let current = [
            row(Metric::Csat, date(2026, 2, 1), 1, "phone", &[5, 4, 1]),
            row(Metric::Csat, date(2026, 2, 3), 2, "chat", &[2]),
        ];
        let previous = [row(Metric::Csat, date(2026, 1, 1), 2, "chat", &[5, 5])];
        let by_region = breakdown(
            &current,
            &previous,
            Metric::Csat,
            Dimension::Region,
            &touchpoints,
        );
        let keys: Vec<_> = by_region
            .iter()
            .map(|g| (g.key.as_str(), g.compared.current.n))
            .collect();
        // Nord holds both touchpoints (3 + 1 answers), Süd only the first.
        assert_eq!(keys, [("Nord", 4), ("Süd", 3)]);
        // Nord: satisfied 5, 4 of 4 answers = 50 %; before: 2 of 2 = 100 %.
        let nord = &by_region[0].compared;
        assert_eq!(nord.current.estimate.unwrap().value, 50.0);
        assert_eq!(nord.previous.estimate.unwrap().value, 100.0);
        assert_eq!(nord.change.unwrap().delta, -50.0);
        assert!(
            by_region[1].compared.change.is_none(),
            "Süd had no answers before"
        );

        let by_channel = breakdown(
            &current,
            &previous,
            Metric::Csat,
            Dimension::Channel,
            &touchpoints,
        );
        assert_eq!(by_channel[0].key, "phone");
        let by_touchpoint = breakdown(
            &current,
            &[],
            Metric::Csat,
            Dimension::Touchpoint,
            &touchpoints,
        );
        assert_eq!(by_touchpoint[0].key, "1");
        let by_phase = breakdown(&current, &[], Metric::Csat, Dimension::Phase, &touchpoints);
        assert_eq!(by_phase.len(), 2);
    }

    #[test]
    fn windows_widen_to_whole_periods_and_the_previous_one_has_the_same_length() {
        assert_eq!(
            whole_periods(date(2026, 1, 15), date(2026, 3, 2), Granularity::Month),
            (date(2026, 1, 1), date(2026, 4, 1))
        );
        assert_eq!(
            whole_periods(date(2026, 1, 1), date(2026, 4, 1), Granularity::Quarter),
            (date(2026, 1, 1), date(2026, 4, 1))
        );
        // Two months before March and April: January and February, not 61 days.
        assert_eq!(
            previous_window(date(2026, 3, 1), date(2026, 5, 1), Granularity::Month),
            (date(2026, 1, 1), date(2026, 3, 1))
        );
        assert_eq!(
            previous_window(date(2026, 3, 1), date(2026, 3, 8), Granularity::Day),
            (date(2026, 2, 22), date(2026, 3, 1))
        );
        assert_eq!(total(&[], Metric::Nps).n(), 0);
    }
}
