//! The manager's response-time statistics: median, p90 and compliance, overall, by channel
//! and by touchpoint.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use jiff::Timestamp;
use serde::Deserialize;
use touchpoints_app::AppError;
use touchpoints_app::queue_stats::Stats;
use touchpoints_core::queue_stats::Summary;

use crate::AppState;
use crate::i18n::Lang;
use crate::web::channel_names::ChannelNames;
use crate::web::export::{Cell, Table, csv_file, xlsx_file};
use crate::web::{Page, PageResult, numbers};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct StatsParams {
    days: String,
    /// The table an export asks for.
    table: String,
}

impl StatsParams {
    /// The window in days: 30 unless a whole number from 1 to 366 is asked for.
    fn days(&self) -> i64 {
        self.days
            .parse::<i64>()
            .ok()
            .filter(|d| (1..=366).contains(d))
            .unwrap_or(30)
    }
}

/// The statistics of the last `days` with the names of their touchpoints and, from the
/// page, of their channels.
struct Named<'a> {
    stats: Stats,
    touchpoints: HashMap<i64, String>,
    channels: &'a ChannelNames,
    lang: Lang,
}

impl<'a> Named<'a> {
    async fn load(state: &AppState, page: &'a Page, days: i64) -> Result<Named<'a>, AppError> {
        let stats =
            touchpoints_app::queue_stats::stats(state.store.as_ref(), days, Timestamp::now())
                .await?;
        Ok(Named {
            stats,
            touchpoints: crate::web::touchpoint_names(state).await?,
            channels: &page.channel_names,
            lang: page.lang,
        })
    }

    fn channel(&self, key: &str) -> String {
        self.channels.label(key, self.lang)
    }

    fn touchpoint(&self, id: i64) -> String {
        self.touchpoints
            .get(&id)
            .cloned()
            .unwrap_or_else(|| "–".into())
    }
}

pub(super) async fn stats_page(
    State(state): State<AppState>,
    page: Page,
    Query(params): Query<StatsParams>,
) -> PageResult {
    let days = params.days();
    let named = Named::load(&state, &page, days).await?;
    let (stats, lang) = (&named.stats, page.lang);
    let by_channel: Vec<(String, _)> = stats
        .by_channel
        .iter()
        .map(|(k, s)| (named.channel(k), summary(s, lang)))
        .collect();
    let by_touchpoint: Vec<(String, _)> = stats
        .by_touchpoint
        .iter()
        .map(|(id, s)| (named.touchpoint(*id), summary(s, lang)))
        .collect();
    // The weeks as bars against the slowest p90 of the period, so that weeks compare.
    let slowest = stats
        .by_week
        .iter()
        .filter_map(|w| w.summary.p90_minutes)
        .fold(0.0_f64, f64::max);
    let bar = |minutes: Option<f64>| {
        minutes
            .filter(|_| slowest > 0.0)
            .map_or(0, |m| (m / slowest * 100.0).round() as i64)
    };
    let weeks: Vec<_> = stats
        .by_week
        .iter()
        .map(|w| {
            minijinja::context! {
                week => numbers::day(w.week, lang),
                figures => summary(&w.summary, lang),
                median_bar => bar(w.summary.median_minutes),
                p90_bar => bar(w.summary.p90_minutes),
                compliance => w.summary.first_response_compliance.map(|p| (p * 100.0).round() as i64),
            }
        })
        .collect();
    let people: HashMap<String, String> = state
        .store
        .users()
        .await?
        .into_iter()
        .map(|u| (u.username, u.display_name))
        .collect();
    let personal = &stats.personalisation;
    let personal_by_channel: Vec<(String, _)> = personal
        .by_channel
        .iter()
        .map(|(k, s)| (named.channel(k), share(s)))
        .collect();
    let personal_by_touchpoint: Vec<(String, _)> = personal
        .by_touchpoint
        .iter()
        .map(|(id, s)| (named.touchpoint(*id), share(s)))
        .collect();
    let personal_by_agent: Vec<(String, _)> = personal
        .by_agent
        .iter()
        .map(|(author, s)| {
            let name = people
                .get(author)
                .filter(|n| !n.trim().is_empty())
                .unwrap_or(author);
            (name.clone(), share(s))
        })
        .collect();
    Ok(page.render(
        &state,
        "queue_stats.html",
        minijinja::context! {
            section => "queue",
            days => days,
            overall => summary(&stats.overall, lang),
            by_channel => by_channel,
            by_touchpoint => by_touchpoint,
            weeks => weeks,
            personal => share(&personal.overall),
            personal_by_channel => personal_by_channel,
            personal_by_touchpoint => personal_by_touchpoint,
            personal_by_agent => personal_by_agent,
        },
    ))
}

/// The response times of the requests received at a touchpoint in the last `days`, as the
/// statistics page shows a row: for the touchpoint's own page.
pub(in crate::web) async fn at_touchpoint(
    state: &AppState,
    id: i64,
    days: i64,
    lang: Lang,
) -> Result<minijinja::Value, AppError> {
    let now = Timestamp::now();
    let from = now
        .checked_sub(jiff::SignedDuration::from_hours(24 * days))
        .unwrap_or(Timestamp::UNIX_EPOCH);
    let records = state
        .store
        .touchpoint_response_records(&[id], from, now)
        .await?;
    Ok(summary(
        &touchpoints_core::queue_stats::summarize(&records, now),
        lang,
    ))
}

/// How personal a set of replies was, as the page shows it.
fn share(s: &touchpoints_core::personalisation::Share) -> minijinja::Value {
    minijinja::context! {
        replies => s.replies,
        by_name => s.by_name,
        uses_facts => s.uses_facts,
        personalised => s.personalised,
        rate => s.rate().map_or_else(|| "–".to_owned(), |p| format!("{:.0} %", p * 100.0)),
    }
}

/// A summary's figures as the page shows them: times as people say them ("2 Std. 15 Min.").
fn summary(s: &Summary, lang: Lang) -> minijinja::Value {
    let minutes = |m: Option<f64>| {
        m.map_or_else(
            || "–".to_owned(),
            |m| numbers::minutes(m.round() as i64, lang),
        )
    };
    let share =
        |p: Option<f64>| p.map_or_else(|| "–".to_owned(), |p| format!("{:.0} %", p * 100.0));
    minijinja::context! {
        requests => s.requests,
        responded => s.responded,
        median => minutes(s.median_minutes),
        p90 => minutes(s.p90_minutes),
        first_response => share(s.first_response_compliance),
        resolution => share(s.resolution_compliance),
        breached => s.breached,
    }
}

/// The response times as tables: overall, by channel, by week and by touchpoint, times in minutes and
/// compliance in percent, as numbers.
fn tables(named: &Named) -> [Table; 4] {
    const HEADER: [&str; 7] = [
        "requests",
        "responded",
        "median_minutes",
        "p90_minutes",
        "first_response_compliance_percent",
        "resolution_compliance_percent",
        "breached",
    ];
    let figures = |s: &Summary| {
        let number = |v: Option<f64>| v.map_or(Cell::Empty, Cell::Number);
        let percent =
            |v: Option<f64>| v.map_or(Cell::Empty, |p| Cell::Number((p * 1000.0).round() / 10.0));
        vec![
            Cell::Number(s.requests as f64),
            Cell::Number(s.responded as f64),
            number(s.median_minutes.map(f64::round)),
            number(s.p90_minutes.map(f64::round)),
            percent(s.first_response_compliance),
            percent(s.resolution_compliance),
            Cell::Number(s.breached as f64),
        ]
    };
    let header = |first: &'static [&'static str]| {
        let mut header = first.to_vec();
        header.extend(HEADER);
        header
    };
    let stats = &named.stats;
    [
        Table {
            name: "overall",
            header: header(&[]),
            rows: vec![figures(&stats.overall)],
        },
        Table {
            name: "channels",
            header: header(&["channel", "label"]),
            rows: stats
                .by_channel
                .iter()
                .map(|(key, s)| {
                    let mut row = vec![Cell::Text(key.clone()), Cell::Text(named.channel(key))];
                    row.extend(figures(s));
                    row
                })
                .collect(),
        },
        Table {
            name: "weeks",
            header: header(&["week"]),
            rows: stats
                .by_week
                .iter()
                .map(|w| {
                    let mut row = vec![Cell::Text(w.week.to_string())];
                    row.extend(figures(&w.summary));
                    row
                })
                .collect(),
        },
        Table {
            name: "touchpoints",
            header: header(&["touchpoint_id", "touchpoint"]),
            rows: stats
                .by_touchpoint
                .iter()
                .map(|(id, s)| {
                    let mut row = vec![Cell::Number(*id as f64), Cell::Text(named.touchpoint(*id))];
                    row.extend(figures(s));
                    row
                })
                .collect(),
        },
    ]
}

/// One table of the response times as CSV (`table`: overall, channels, weeks or touchpoints).
pub(super) async fn export_csv(
    State(state): State<AppState>,
    page: Page,
    Query(params): Query<StatsParams>,
) -> PageResult {
    let days = params.days();
    let named = Named::load(&state, &page, days).await?;
    let wanted = match params.table.trim() {
        "" => "touchpoints",
        t => t,
    };
    let Some(table) = tables(&named).into_iter().find(|t| t.name == wanted) else {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            "table: choose overall, channels, weeks or touchpoints",
        )
            .into_response());
    };
    Ok(csv_file(
        &table,
        &format!("response-times-{}-{days}-days.csv", table.name),
    ))
}

/// The response times as a workbook, a sheet per table.
pub(super) async fn export_xlsx(
    State(state): State<AppState>,
    page: Page,
    Query(params): Query<StatsParams>,
) -> PageResult {
    let days = params.days();
    let named = Named::load(&state, &page, days).await?;
    Ok(xlsx_file(
        &tables(&named),
        &format!("response-times-{days}-days.xlsx"),
    ))
}
