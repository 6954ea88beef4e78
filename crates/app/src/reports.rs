//! The dashboard's numbers, shared by the API and the web page: one query reads the roll-ups
//! of the current and the previous window, and the core merges them into tiles, a trend and a
//! breakdown. Nothing here scans answers.

use std::collections::HashMap;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};
use touchpoints_core::dashboard::{self, Compared, Dimension, Period, TallyRow};
use touchpoints_core::kpi::{self, Granularity, Metric, Retention};
use touchpoints_core::{Problem, Problems, Touchpoint, TouchpointFilter};
use touchpoints_store::{ReportTallies, ReportWindow, Resolution, Store};

use crate::Result;

/// What a dashboard asks; every field is optional and has a sensible default.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct KpiQuery {
    /// nps (default), csat or ces.
    pub metric: Option<String>,
    /// First day (YYYY-MM-DD); default: the start of the period eleven periods ago.
    pub from: Option<String>,
    /// Day after the last (YYYY-MM-DD, exclusive); default: the end of the current period.
    pub until: Option<String>,
    /// day, week, month (default), quarter or year.
    pub granularity: Option<String>,
    /// touchpoint (default), channel, phase, target_group or region.
    pub by: Option<String>,
}

/// A metric's value now and before, for a tile.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tile {
    pub metric: Metric,
    #[serde(flatten)]
    pub compared: Compared,
}

/// A breakdown group with a name for people.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Row {
    pub key: String,
    pub label: String,
    #[serde(flatten)]
    pub compared: Compared,
}

/// Everything a dashboard shows for one metric and window.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Report {
    pub metric: Metric,
    pub granularity: Granularity,
    pub by: Dimension,
    pub time_zone: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub from: Date,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub until: Date,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub previous_from: Date,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub previous_until: Date,
    /// All three metrics over the window, for the tiles.
    pub tiles: Vec<Tile>,
    pub total: Compared,
    pub trend: Vec<Period>,
    pub breakdown: Vec<Row>,
}

/// The window and granularity a query asks for, checked.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub granularity: Granularity,
    pub from: Date,
    pub until: Date,
    pub previous_from: Date,
}

/// How long a window may be: ten years of days is more than any chart can show.
const MAX_PERIODS: usize = 3_660;

/// A parameter as given, without the white space (Unicode's) a form may leave around it;
/// `None` when nothing else is left. The API documents a blank value by the same class.
fn given(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

fn parse_day(problems: &mut Problems, field: &str, value: Option<&str>) -> Option<Date> {
    let value = given(value)?;
    match value.parse::<Date>() {
        Ok(day) => Some(day),
        Err(_) => {
            problems.push(
                field,
                Problem::rule(
                    "not-a-date",
                    &format!("\"{value}\" is no day in the form YYYY-MM-DD"),
                ),
            );
            None
        }
    }
}

fn parse_choice<T>(
    problems: &mut Problems,
    field: &str,
    value: Option<&str>,
    parse: impl Fn(&str) -> Option<T>,
    allowed: &[&str],
    default: T,
) -> T {
    match given(value) {
        None => default,
        Some(v) => parse(&v.to_lowercase()).unwrap_or_else(|| {
            problems.push(
                field,
                Problem::Unknown {
                    value: v.to_owned(),
                    allowed: allowed.iter().map(|&a| a.to_owned()).collect(),
                },
            );
            default
        }),
    }
}

/// The checked query: metric, dimension and window in whole periods.
pub fn check(query: &KpiQuery, today: Date) -> Result<(Metric, Dimension, Window), Problems> {
    let mut problems = Problems::default();
    let metric = parse_choice(
        &mut problems,
        "metric",
        query.metric.as_deref(),
        Metric::parse,
        &["nps", "csat", "ces"],
        Metric::Nps,
    );
    let granularity = parse_choice(
        &mut problems,
        "granularity",
        query.granularity.as_deref(),
        Granularity::parse,
        &["day", "week", "month", "quarter", "year"],
        Granularity::Month,
    );
    let by = parse_choice(
        &mut problems,
        "by",
        query.by.as_deref(),
        Dimension::parse,
        &Dimension::ALL.map(Dimension::as_str),
        Dimension::Touchpoint,
    );
    let from = parse_day(&mut problems, "from", query.from.as_deref());
    let until = parse_day(&mut problems, "until", query.until.as_deref());
    let until = until.unwrap_or_else(|| kpi::next_period(today, granularity));
    let from = from.unwrap_or_else(|| {
        let mut start = kpi::period_start(today, granularity);
        for _ in 0..11 {
            start = kpi::previous_period(start, granularity);
        }
        start
    });
    if from >= until {
        problems.push(
            "until",
            Problem::rule(
                "until-before-from",
                &format!("must come after from ({from})"),
            ),
        );
    }
    let (from, until) = dashboard::whole_periods(from, until.max(from), granularity);
    let mut periods = 0;
    let mut start = from;
    while start < until && periods <= MAX_PERIODS {
        start = kpi::next_period(start, granularity);
        periods += 1;
    }
    if periods > MAX_PERIODS {
        problems.push(
            "from",
            Problem::Invalid {
                reason: format!(
                    "the window holds more than {MAX_PERIODS} periods; choose a coarser granularity"
                ),
            },
        );
    }
    let (previous_from, _) = dashboard::previous_window(from, until, granularity);
    problems.into_result((
        metric,
        by,
        Window {
            granularity,
            from,
            until,
            previous_from,
        },
    ))
}

/// Today in the organisation's time zone at the instant `now`.
pub fn today(time_zone: &str, now: Timestamp) -> Date {
    let tz = TimeZone::get(time_zone).unwrap_or(TimeZone::UTC);
    kpi::local_day(now, &tz)
}

fn resolution(granularity: Granularity) -> Resolution {
    match granularity {
        Granularity::Day => Resolution::Day,
        Granularity::Week => Resolution::Week,
        Granularity::Month | Granularity::Quarter | Granularity::Year => Resolution::Month,
    }
}

/// The label of a breakdown key: a touchpoint's name, or the key itself.
fn label(by: Dimension, key: &str, names: &HashMap<i64, String>) -> String {
    if by == Dimension::Touchpoint
        && let Some(name) = key.parse().ok().and_then(|id: i64| names.get(&id))
    {
        return name.clone();
    }
    key.to_owned()
}

/// The dashboard of one metric over the window `query` asks for, as of `now`.
pub async fn report(store: &dyn Store, query: &KpiQuery, now: Timestamp) -> Result<Report> {
    let time_zone = store.time_zone().await?;
    let (metric, by, window) = check(query, today(&time_zone, now))?;
    // Merged in the database: per metric and bucket for tiles and trend, per touchpoint and
    // channel for the breakdown, so a request reads hundreds of rows, not every day of every
    // place. A breakdown by channel names its rows by the channel's key, one by touchpoint by
    // the touchpoint's name; the others group by what the touchpoints are filed under.
    let ReportTallies {
        buckets,
        current,
        previous,
        names,
    } = store
        .report_tallies(
            resolution(window.granularity),
            metric,
            ReportWindow {
                previous_from: window.previous_from,
                from: window.from,
                until: window.until,
            },
            by == Dimension::Touchpoint,
        )
        .await?;
    let (current_buckets, previous_buckets): (Vec<TallyRow>, Vec<TallyRow>) =
        buckets.into_iter().partition(|r| r.bucket >= window.from);
    let all = if matches!(by, Dimension::Channel | Dimension::Touchpoint) {
        Vec::new()
    } else {
        store.list_touchpoints(&TouchpointFilter::default()).await?
    };
    let touchpoints: HashMap<i64, &Touchpoint> = all.iter().map(|t| (t.id, t)).collect();
    let tiles = Metric::ALL
        .into_iter()
        .map(|m| Tile {
            metric: m,
            compared: Compared::of(
                m,
                &dashboard::total(&current_buckets, m),
                &dashboard::total(&previous_buckets, m),
            ),
        })
        .collect();
    let breakdown = dashboard::breakdown(&current, &previous, metric, by, &touchpoints)
        .into_iter()
        .map(|g| Row {
            label: label(by, &g.key, &names),
            key: g.key,
            compared: g.compared,
        })
        .collect();
    Ok(Report {
        metric,
        granularity: window.granularity,
        by,
        time_zone,
        from: window.from,
        until: window.until,
        previous_from: window.previous_from,
        previous_until: window.from,
        tiles,
        total: Compared::of(
            metric,
            &dashboard::total(&current_buckets, metric),
            &dashboard::total(&previous_buckets, metric),
        ),
        trend: dashboard::trend(
            &current_buckets,
            metric,
            window.granularity,
            window.from,
            window.until,
        ),
        breakdown,
    })
}

/// The customer base and revenue of one period.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerPeriod {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub start: Date,
    pub label: String,
    pub customers_at_start: i64,
    pub gained: i64,
    pub lost: i64,
    pub customers_at_end: i64,
    /// (E − N) / S and churn in percent; absent without customers at the start.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub retention: Retention,
    pub revenue_cents: i64,
    pub purchases: i64,
    /// Against the period before, in percent; absent when that had no revenue.
    pub revenue_growth: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerReport {
    pub granularity: Granularity,
    pub time_zone: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub from: Date,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub until: Date,
    pub periods: Vec<CustomerPeriod>,
}

pub async fn customer_report(
    store: &dyn Store,
    query: &KpiQuery,
    now: Timestamp,
) -> Result<CustomerReport> {
    let time_zone = store.time_zone().await?;
    let (_, _, window) = check(query, today(&time_zone, now))?;
    // One period more at the front, for the first period's revenue growth.
    let before = kpi::previous_period(window.from, window.granularity);
    let days = store.customer_days(before, window.until).await?;
    let mut customers = store.customers_before(window.from).await?;
    let mut periods = Vec::new();
    let mut previous_revenue = days
        .iter()
        .filter(|d| d.day < window.from)
        .map(|d| d.revenue_cents)
        .fold(0_i64, i64::saturating_add);
    let mut start = window.from;
    while start < window.until {
        let end = kpi::next_period(start, window.granularity);
        let inside = days.iter().filter(|d| d.day >= start && d.day < end);
        let (mut gained, mut lost, mut revenue, mut purchases) = (0, 0, 0, 0);
        for day in inside {
            gained += day.gained;
            lost += day.lost;
            // Saturates rather than wraps: a figure at the limit is visibly wrong, a wrapped
            // one plausibly so.
            revenue = i64::saturating_add(revenue, day.revenue_cents);
            purchases += day.purchases;
        }
        let at_start = customers;
        customers += gained - lost;
        periods.push(CustomerPeriod {
            start,
            label: kpi::period_label(start, window.granularity),
            customers_at_start: at_start,
            gained,
            lost,
            customers_at_end: customers,
            retention: kpi::retention(
                at_start.max(0).unsigned_abs(),
                gained.max(0).unsigned_abs(),
                lost.max(0).unsigned_abs(),
            ),
            revenue_cents: revenue,
            purchases,
            revenue_growth: kpi::revenue_growth(revenue, previous_revenue),
        });
        previous_revenue = revenue;
        start = end;
    }
    Ok(CustomerReport {
        granularity: window.granularity,
        time_zone,
        from: window.from,
        until: window.until,
        periods,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn white_space_alone_is_a_parameter_left_out() {
        let today = date(2026, 12, 4);
        let blank = KpiQuery {
            from: Some("\u{85}\u{b} \u{3000}".into()),
            metric: Some(" csat ".into()),
            ..KpiQuery::default()
        };
        assert!(check(&blank, today).is_ok());
        let other = KpiQuery {
            from: Some("\u{feff}".into()),
            ..KpiQuery::default()
        };
        let problems = check(&other, today).expect_err("a byte-order mark is no day");
        assert_eq!(problems.0[0].field, "from");
    }

    fn query(pairs: &[(&str, &str)]) -> KpiQuery {
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| (*v).to_owned())
        };
        KpiQuery {
            metric: get("metric"),
            from: get("from"),
            until: get("until"),
            granularity: get("granularity"),
            by: get("by"),
        }
    }

    #[test]
    fn the_default_window_is_the_last_twelve_months() {
        let (metric, by, window) = check(&KpiQuery::default(), date(2026, 11, 23)).unwrap();
        assert_eq!((metric, by), (Metric::Nps, Dimension::Touchpoint));
        assert_eq!(
            (window.from, window.until),
            (date(2025, 12, 1), date(2026, 12, 1))
        );
        assert_eq!(window.previous_from, date(2024, 12, 1));
    }

    #[test]
    fn a_bad_query_names_each_parameter() {
        let problems = check(
            &query(&[
                ("metric", "stars"),
                ("granularity", "hour"),
                ("by", "mood"),
                ("from", "23.11.2026"),
            ]),
            date(2026, 11, 23),
        )
        .unwrap_err();
        let fields: Vec<_> = problems.0.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["metric", "granularity", "by", "from"]);
        let backwards = check(
            &query(&[("from", "2026-05-01"), ("until", "2026-04-01")]),
            date(2026, 11, 23),
        )
        .unwrap_err();
        assert_eq!(backwards.0[0].field, "until");
        let too_long = check(
            &query(&[("from", "1990-01-01"), ("granularity", "day")]),
            date(2026, 11, 23),
        )
        .unwrap_err();
        assert_eq!(too_long.0[0].field, "from");
    }
}
