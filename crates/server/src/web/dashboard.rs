//! The KPI dashboard: tiles, trend, breakdown, the journey map coloured by score and the
//! importance–performance matrix, each table also as CSV and all of them as one workbook.
//! Every number is in the HTML tables; `dashboard.js` only draws the charts from the same data.

use std::collections::{BTreeMap, HashMap};

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use minijinja::value::Serde;
use serde::{Deserialize, Serialize};
use touchpoints_core::dashboard::{Compared, Dimension, Value};
use touchpoints_core::journey::JourneyMap;
use touchpoints_core::kpi::{self, Granularity, Metric};
use touchpoints_core::{Role, Touchpoint, TouchpointFilter};

use super::export::{Cell, Table, csv_file, xlsx_file};
use super::numbers::{day, decimals, euros, number, signed, unit};
use super::{Page, PageResult};
use crate::AppState;
use crate::i18n::Lang;
use touchpoints_app::AppError;
use touchpoints_app::agent_scores::{self, AgentScores, ScoreRow, ScoresQuery};
use touchpoints_app::matrix;
use touchpoints_app::reports::{self, CustomerReport, KpiQuery, Report};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/dashboard", get(dashboard))
        .route("/dashboard/export.csv", get(export_csv))
        .route("/dashboard/export.xlsx", get(export_xlsx))
}

/// The filter as the form sends it, plus the table an export asks for.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(default)]
struct Params {
    metric: String,
    from: String,
    until: String,
    granularity: String,
    by: String,
    table: String,
}

impl Params {
    fn query(&self) -> KpiQuery {
        let some = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        KpiQuery {
            metric: some(&self.metric),
            from: some(&self.from),
            until: some(&self.until),
            granularity: some(&self.granularity),
            by: some(&self.by),
        }
    }

    /// The parameters of the report as shown, for export links.
    fn of(report: &Report) -> Params {
        Params {
            metric: report.metric.as_str().to_owned(),
            from: report.from.to_string(),
            until: report.until.to_string(),
            granularity: report.granularity.as_str().to_owned(),
            by: report.by.as_str().to_owned(),
            table: String::new(),
        }
    }

    fn link(&self) -> String {
        form_urlencoded::Serializer::new(String::new())
            .append_pair("metric", &self.metric)
            .append_pair("from", &self.from)
            .append_pair("until", &self.until)
            .append_pair("granularity", &self.granularity)
            .append_pair("by", &self.by)
            .finish()
    }
}

/// A value as the tables show it.
#[derive(Debug, Default, Serialize)]
struct Shown {
    n: u64,
    /// Empty without answers.
    value: String,
    /// "± 4" — half the width of the 95% interval.
    margin: String,
    /// "28 – 36"
    interval: String,
    few: bool,
}

fn shown(metric: Metric, value: &Value, lang: Lang) -> Shown {
    let places = decimals(metric);
    match &value.estimate {
        None => Shown {
            n: value.n,
            ..Shown::default()
        },
        Some(e) => Shown {
            n: value.n,
            value: format!("{}{}", number(e.value, places, lang), unit(metric)),
            margin: format!("± {}", number((e.high - e.low) / 2.0, places, lang)),
            interval: format!(
                "{} – {}",
                number(e.low, places, lang),
                number(e.high, places, lang)
            ),
            few: e.few,
        },
    }
}

/// A comparison with the window before as the tables show it.
#[derive(Debug, Default, Serialize)]
struct ShownChange {
    current: Shown,
    previous: Shown,
    /// Empty when either window has no answers.
    delta: String,
    /// up, down or flat.
    direction: &'static str,
    significant: bool,
}

fn shown_change(metric: Metric, compared: &Compared, lang: Lang) -> ShownChange {
    let (delta, direction, significant) = match &compared.change {
        None => (String::new(), "flat", false),
        Some(c) => {
            let text = signed(c.delta, decimals(metric), lang);
            let direction = if text.starts_with('+') {
                "up"
            } else if text.starts_with('-') {
                "down"
            } else {
                "flat"
            };
            (text, direction, c.significant)
        }
    };
    ShownChange {
        current: shown(metric, &compared.current, lang),
        previous: shown(metric, &compared.previous, lang),
        delta,
        direction,
        significant,
    }
}

#[derive(Serialize)]
struct TileView {
    metric: &'static str,
    #[serde(flatten)]
    shown: ShownChange,
}

#[derive(Serialize)]
struct RowView {
    key: String,
    label: String,
    #[serde(flatten)]
    shown: ShownChange,
}

#[derive(Serialize)]
struct PeriodView {
    label: String,
    #[serde(flatten)]
    shown: Shown,
}

/// A touchpoint on the coloured journey map.
#[derive(Serialize)]
struct MapCard {
    id: i64,
    name: String,
    value: String,
    n: u64,
    /// heat-0 (worst) … heat-10 (best), or heat-none without answers.
    heat: String,
}

#[derive(Serialize)]
struct MapRow {
    channel: touchpoints_core::Channel,
    cells: Vec<Vec<MapCard>>,
}

/// A touchpoint in the importance–performance matrix.
#[derive(Serialize)]
struct MatrixPoint {
    id: i64,
    name: String,
    importance: f64,
    performance: f64,
    n: u64,
    importance_text: String,
    performance_text: String,
    quadrant: &'static str,
}

fn heat(metric: Metric, value: &Value) -> String {
    match &value.estimate {
        None => "heat-none".to_owned(),
        Some(e) => {
            let (low, high) = metric.value_range();
            let share = ((e.value - low) / (high - low)).clamp(0.0, 1.0);
            format!("heat-{}", (share * 10.0).round())
        }
    }
}

/// The values per touchpoint id for the chosen metric: the breakdown when it is by
/// touchpoint, otherwise a second report by touchpoint.
async fn by_touchpoint(
    state: &AppState,
    report: &Report,
    params: &Params,
) -> Result<HashMap<i64, Value>, AppError> {
    if report.by == Dimension::Touchpoint {
        return Ok(matrix::values_by_touchpoint(&report.breakdown));
    }
    let mut query = params.query();
    query.by = Some("touchpoint".to_owned());
    let report = reports::report(state.store.as_ref(), &query, jiff::Timestamp::now()).await?;
    Ok(matrix::values_by_touchpoint(&report.breakdown))
}

async fn dashboard(
    State(state): State<AppState>,
    page: Page,
    Query(params): Query<Params>,
) -> PageResult {
    let lang = page.lang;
    let report = match reports::report(
        state.store.as_ref(),
        &params.query(),
        jiff::Timestamp::now(),
    )
    .await
    {
        Ok(r) => r,
        Err(AppError::Invalid(problems)) => {
            let errors = page.field_errors(&state, &problems.0);
            return Ok(render(&state, &page, &params, errors, None));
        }
        Err(e) => return Err(e.into()),
    };
    let values = match by_touchpoint(&state, &report, &params).await {
        Ok(v) => v,
        Err(AppError::Invalid(_)) => HashMap::new(),
        Err(e) => return Err(e.into()),
    };
    let catalog = state.store.catalog().await?;
    let all = state
        .store
        .list_touchpoints(&TouchpointFilter::default())
        .await?;
    let mut view = View::build(&report, &values, &catalog, &all, lang);
    view.chat(&state, lang).await?;
    let customers = reports::customer_report(
        state.store.as_ref(),
        &params.query(),
        jiff::Timestamp::now(),
    )
    .await?;
    view.customers(&customers, lang);
    // Scores of named colleagues are the managers' to read, as the queue's statistics are.
    if page.caller.role().is_some_and(|role| role >= Role::Manager) {
        let query = ScoresQuery {
            from: Some(report.from.to_string()),
            until: Some(report.until.to_string()),
            granularity: Some(report.granularity.as_str().to_owned()),
        };
        let scores =
            agent_scores::agent_scores(state.store.as_ref(), &query, jiff::Timestamp::now())
                .await?;
        view.agent_scores(&scores, lang);
    }
    Ok(render(
        &state,
        &page,
        &Params::of(&report),
        BTreeMap::new(),
        Some(view),
    ))
}

/// A window from `from` until the day before `until`, as people write it: "01.01.2026 –
/// 31.12.2026".
fn days_of(from: jiff::civil::Date, until: jiff::civil::Date, lang: Lang) -> String {
    let last = until.yesterday().unwrap_or(until);
    format!("{} – {}", day(from, lang), day(last, lang))
}

/// A touchpoint's scores in the dashboard's default window, each against the window before:
/// what its own page shows.
#[derive(Serialize)]
pub(super) struct TouchpointScores {
    period: String,
    dashboard: String,
    tiles: Vec<TileView>,
}

/// Every touchpoint's NPS, CSAT and CES in the dashboard's default window, each against the
/// window before, keyed by touchpoint id; and that window as the page writes it.
async fn scores_by_touchpoint(
    state: &AppState,
    lang: Lang,
) -> Result<(String, HashMap<i64, Vec<(Metric, Compared)>>), AppError> {
    let now = jiff::Timestamp::now();
    let mut scores: HashMap<i64, Vec<(Metric, Compared)>> = HashMap::new();
    let mut period = String::new();
    for metric in Metric::ALL {
        let query = KpiQuery {
            metric: Some(metric.as_str().to_owned()),
            by: Some(Dimension::Touchpoint.as_str().to_owned()),
            ..KpiQuery::default()
        };
        let report = reports::report(state.store.as_ref(), &query, now).await?;
        period = days_of(report.from, report.until, lang);
        for row in report.breakdown {
            if let Ok(id) = row.key.parse::<i64>() {
                scores.entry(id).or_default().push((metric, row.compared));
            }
        }
    }
    Ok((period, scores))
}

pub(super) async fn touchpoint_scores(
    state: &AppState,
    id: i64,
    lang: Lang,
) -> Result<TouchpointScores, AppError> {
    let (period, mut scores) = scores_by_touchpoint(state, lang).await?;
    let tiles = scores
        .remove(&id)
        .unwrap_or_default()
        .iter()
        .map(|(metric, compared)| TileView {
            metric: metric.as_str(),
            shown: shown_change(*metric, compared, lang),
        })
        .collect();
    Ok(TouchpointScores {
        period,
        dashboard: format!("/dashboard?by={}", Dimension::Touchpoint.as_str()),
        tiles,
    })
}

/// A touchpoint's score in the inventory: as written, and as a number to sort by.
#[derive(Serialize)]
pub(super) struct InventoryScore {
    pub(super) value: f64,
    pub(super) shown: String,
    pub(super) n: u64,
}

/// Every touchpoint's current NPS, CSAT and CES in the dashboard's default window, by the
/// metric's name, for the inventory; and that window as the page writes it.
pub(super) async fn inventory_scores(
    state: &AppState,
    lang: Lang,
) -> Result<(String, HashMap<i64, BTreeMap<&'static str, InventoryScore>>), AppError> {
    let (period, scores) = scores_by_touchpoint(state, lang).await?;
    let scores = scores
        .into_iter()
        .map(|(id, metrics)| {
            let shown = metrics
                .into_iter()
                .filter_map(|(metric, compared)| {
                    let estimate = compared.current.estimate.as_ref()?;
                    Some((
                        metric.as_str(),
                        InventoryScore {
                            value: estimate.value,
                            shown: shown(metric, &compared.current, lang).value,
                            n: compared.current.n,
                        },
                    ))
                })
                .collect();
            (id, shown)
        })
        .collect();
    Ok((period, scores))
}

/// Retention, churn and revenue growth of the window's last period against the period
/// before. The rates are shares of the customers at a period's start, with the interval and
/// test of a proportion (as CSAT); revenue is counted completely and has none.
fn customer_tiles(report: &CustomerReport, lang: Lang) -> Vec<CustomerTile> {
    let Some((last, before)) = report.periods.split_last() else {
        return Vec::new();
    };
    let before = before.last();
    let percent = |v: f64| format!("{} %", number(v, 1, lang));
    let points = |d: f64| {
        let unit = match lang {
            Lang::De => "Pp.",
            Lang::En => "pts",
        };
        format!("{} {unit}", signed(d, 1, lang))
    };
    let kept = |p: &reports::CustomerPeriod, churn: bool| {
        let r = &p.retention;
        let retained = (r.end.saturating_sub(r.gained)).min(r.start);
        let count = if churn { r.start - retained } else { retained };
        kpi::percentage(count, r.start)
    };
    let mut tiles = Vec::new();
    for (metric, churn) in [("retention", false), ("churn", true)] {
        let Some(current) = kept(last, churn) else {
            continue;
        };
        let previous = before.and_then(|p| kept(p, churn));
        let change = previous.as_ref().map(|p| kpi::change(&current, p));
        tiles.push(CustomerTile {
            metric,
            period: last.label.clone(),
            value: percent(current.value),
            margin: format!("± {}", number((current.high - current.low) / 2.0, 1, lang)),
            n: Some(current.n),
            few: current.few,
            previous: previous.map(|p| percent(p.value)).unwrap_or_default(),
            delta: change.map(|c| points(c.delta)).unwrap_or_default(),
            better: change
                .filter(|c| c.delta != 0.0)
                .map(|c| (c.delta > 0.0) != churn),
            significant: change.is_some_and(|c| c.significant),
            exact: false,
        });
    }
    if let Some(growth) = last.revenue_growth {
        let previous = before.and_then(|p| p.revenue_growth);
        let delta = previous.map(|p| growth - p);
        tiles.push(CustomerTile {
            metric: "revenue_growth",
            period: last.label.clone(),
            value: format!("{} %", signed(growth, 1, lang)),
            margin: String::new(),
            n: None,
            few: false,
            previous: previous
                .map(|p| format!("{} %", signed(p, 1, lang)))
                .unwrap_or_default(),
            delta: delta.map(points).unwrap_or_default(),
            better: delta.filter(|d| *d != 0.0).map(|d| d > 0.0),
            significant: false,
            exact: true,
        });
    }
    tiles
}

/// Everything the page shows of a report.
struct View {
    context: minijinja::Value,
}

/// The chat's last 30 days: how many conversations with questions the bot answered alone,
/// and how many went to a person.
#[derive(Serialize)]
struct ChatFigures {
    days: i64,
    conversations: u64,
    bot_rate: String,
    handover_rate: String,
}

impl View {
    async fn chat(&mut self, state: &AppState, lang: Lang) -> Result<(), AppError> {
        const DAYS: i64 = 30;
        let now = jiff::Timestamp::now();
        let figures = state
            .store
            .chat_figures(now - jiff::SignedDuration::from_hours(24 * DAYS), now)
            .await?;
        if figures.with_questions == 0 {
            return Ok(());
        }
        let rate = |n: u64| number(100.0 * n as f64 / figures.with_questions as f64, 1, lang);
        let chat = ChatFigures {
            days: DAYS,
            conversations: figures.with_questions,
            bot_rate: rate(figures.answered_by_bot),
            handover_rate: rate(figures.handed_over),
        };
        self.context = minijinja::context! { chat => Serde(chat), ..self.context.clone() };
        Ok(())
    }
}

/// A success measure of the customer base on a tile: the window's last period against the
/// one before, as the survey metrics' tiles compare windows.
#[derive(Serialize)]
struct CustomerTile {
    metric: &'static str,
    period: String,
    value: String,
    /// "± 4,1" (points) for a rate; empty for revenue growth, a complete count.
    margin: String,
    /// Customers at the period's start (the rates' sample).
    n: Option<u64>,
    few: bool,
    previous: String,
    delta: String,
    /// Whether the change is good news: up for retention and growth, down for churn.
    better: Option<bool>,
    significant: bool,
    /// Counted completely, so no sampling noise: revenue.
    exact: bool,
}

/// One period of the customer base and its revenue, as the page writes it.
#[derive(Serialize)]
struct CustomerRow {
    label: String,
    at_start: i64,
    gained: i64,
    lost: i64,
    at_end: i64,
    retention: Option<String>,
    churn: Option<String>,
    revenue: String,
    purchases: i64,
    growth: Option<String>,
}

/// An agent's or a team's NPS and CSAT as the page writes them.
#[derive(Serialize)]
struct ScoreRowView {
    /// `None` for requests nobody holds, or touchpoints without an owner.
    key: Option<String>,
    label: String,
    answers: u64,
    nps: Shown,
    csat: Shown,
}

fn score_rows(rows: &[ScoreRow], lang: Lang) -> Vec<ScoreRowView> {
    rows.iter()
        .map(|row| ScoreRowView {
            key: row.key.clone(),
            label: row.label.clone(),
            answers: row.answers,
            nps: shown(Metric::Nps, &row.nps, lang),
            csat: shown(Metric::Csat, &row.csat, lang),
        })
        .collect()
}

impl View {
    /// NPS and CSAT per agent and per team in the report's window, for managers.
    fn agent_scores(&mut self, scores: &AgentScores, lang: Lang) {
        self.context = minijinja::context! {
            agent_scores => minijinja::context! {
                min_answers => scores.min_answers,
                agents => Serde(score_rows(&scores.agents, lang)),
                teams => Serde(score_rows(&scores.teams, lang)),
            },
            ..self.context.clone()
        };
    }

    /// Retention, churn and revenue per period of the window, beside the survey metrics:
    /// the success measures the method proves its actions with. Left out while no customer
    /// event has ever been recorded.
    fn customers(&mut self, report: &CustomerReport, lang: Lang) {
        let recorded = report
            .periods
            .iter()
            .any(|p| p.customers_at_start != 0 || p.gained != 0 || p.lost != 0 || p.purchases != 0);
        if !recorded {
            return;
        }
        let percent = |v: Option<f64>| v.map(|v| format!("{} %", number(v, 1, lang)));
        let rows: Vec<CustomerRow> = report
            .periods
            .iter()
            .map(|p| CustomerRow {
                label: p.label.clone(),
                at_start: p.customers_at_start,
                gained: p.gained,
                lost: p.lost,
                at_end: p.customers_at_end,
                retention: percent(p.retention.rate),
                churn: percent(p.retention.churn),
                revenue: euros(p.revenue_cents, lang),
                purchases: p.purchases,
                growth: p
                    .revenue_growth
                    .map(|g| format!("{} %", signed(g, 1, lang))),
            })
            .collect();
        let tiles = customer_tiles(report, lang);
        self.context = minijinja::context! {
            customers => Serde(rows),
            customer_tiles => Serde(tiles),
            ..self.context.clone()
        };
    }

    fn build(
        report: &Report,
        values: &HashMap<i64, Value>,
        catalog: &touchpoints_core::Catalog,
        all: &[Touchpoint],
        lang: Lang,
    ) -> View {
        let metric = report.metric;
        let places = decimals(metric);
        let tiles: Vec<TileView> = report
            .tiles
            .iter()
            .map(|t| TileView {
                metric: t.metric.as_str(),
                shown: shown_change(t.metric, &t.compared, lang),
            })
            .collect();
        let breakdown: Vec<RowView> = report
            .breakdown
            .iter()
            .map(|r| RowView {
                key: r.key.clone(),
                label: r.label.clone(),
                shown: shown_change(metric, &r.compared, lang),
            })
            .collect();
        let trend: Vec<PeriodView> = report
            .trend
            .iter()
            .map(|p| PeriodView {
                label: match (report.granularity, lang) {
                    (Granularity::Day, Lang::De) => day(p.start, lang),
                    _ => p.label.clone(),
                },
                shown: shown(metric, &p.value, lang),
            })
            .collect();
        let empty = Value {
            n: 0,
            counts: [0; 11],
            estimate: None,
        };
        // The journey map, every touchpoint coloured by its value.
        let map = JourneyMap::build(catalog, all, false);
        let mut stages: Vec<(String, usize)> = Vec::new();
        for phase in &map.phases {
            let stage = phase.stage.as_str().to_owned();
            match stages.last_mut() {
                Some((s, n)) if *s == stage => *n += 1,
                _ => stages.push((stage, 1)),
            }
        }
        let rows: Vec<MapRow> = map
            .rows
            .iter()
            .map(|row| MapRow {
                channel: row.channel.clone(),
                cells: row
                    .cells
                    .iter()
                    .map(|cell| {
                        cell.iter()
                            .map(|t| {
                                let value = values.get(&t.id).unwrap_or(&empty);
                                MapCard {
                                    id: t.id,
                                    name: t.fields.name.clone(),
                                    value: shown(metric, value, lang).value,
                                    n: value.n,
                                    heat: heat(metric, value),
                                }
                            })
                            .collect()
                    })
                    .collect(),
            })
            .collect();
        // The matrix: touchpoints with answers only; importance from the inventory.
        let (lines, placed) = matrix::place(all, values);
        let (mean_i, mean_p) = lines.unwrap_or_default();
        let points: Vec<MatrixPoint> = placed
            .into_iter()
            .map(|p| MatrixPoint {
                id: p.touchpoint_id,
                importance_text: number(p.importance, 1, lang),
                performance_text: number(p.performance, places, lang),
                name: p.name,
                importance: p.importance,
                performance: p.performance,
                n: p.n,
                quadrant: p.quadrant.as_str(),
            })
            .collect();
        // What the charts draw, in plain numbers.
        let chart = serde_json::json!({
            "metric": metric.as_str(),
            "range": metric.value_range(),
            "trend": report.trend.iter().zip(&trend).map(|(p, v)| serde_json::json!({
                "label": v.label,
                "n": p.value.n,
                "value": p.value.estimate.as_ref().map(|e| e.value),
                "low": p.value.estimate.as_ref().map(|e| e.low),
                "high": p.value.estimate.as_ref().map(|e| e.high),
            })).collect::<Vec<_>>(),
            "matrix": {
                "mean_importance": mean_i,
                "mean_performance": mean_p,
                "points": points.iter().map(|p| serde_json::json!({
                    "name": p.name, "x": p.importance, "y": p.performance, "n": p.n,
                    "quadrant": p.quadrant,
                })).collect::<Vec<_>>(),
            },
        });
        let context = minijinja::context! {
            metric => metric.as_str(),
            granularity => report.granularity.as_str(),
            by => report.by.as_str(),
            period => days_of(report.from, report.until, lang),
            previous_period => days_of(report.previous_from, report.previous_until, lang),
            time_zone => report.time_zone.clone(),
            tiles => Serde(tiles),
            total => Serde(shown_change(metric, &report.total, lang)),
            breakdown => Serde(breakdown),
            trend => Serde(trend),
            phases => Serde(&map.phases),
            stages => Serde(stages),
            map_rows => Serde(rows),
            points => Serde(points),
            mean_importance => number(mean_i, 1, lang),
            mean_performance => number(mean_p, places, lang),
            chart => Serde(chart),
        };
        View { context }
    }
}

fn render(
    state: &AppState,
    page: &Page,
    params: &Params,
    errors: BTreeMap<String, String>,
    view: Option<View>,
) -> Response {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let context = minijinja::context! {
        section => "dashboard",
        filter => Serde(params),
        export => params.link(),
        errors => errors,
        metrics => Metric::ALL.map(Metric::as_str),
        granularities => Granularity::ALL.map(Granularity::as_str),
        dimensions => Dimension::ALL.map(Dimension::as_str),
        report => view.map(|v| v.context),
    };
    page.render_with_status(state, status, "dashboard.html", context)
}

fn value_cells(value: &Value) -> Vec<Cell> {
    let num = |f: fn(&kpi::Estimate) -> f64| {
        value.estimate.as_ref().map_or(Cell::Empty, |e| {
            Cell::Number((f(e) * 100.0).round() / 100.0)
        })
    };
    vec![
        Cell::Number(value.n as f64),
        num(|e| e.value),
        num(|e| e.low),
        num(|e| e.high),
    ]
}

fn compared_cells(compared: &Compared) -> Vec<Cell> {
    let mut cells = value_cells(&compared.current);
    cells.push(Cell::Text(
        match compared.current.estimate.as_ref().map(|e| e.few) {
            Some(true) => "yes",
            Some(false) => "no",
            None => "",
        }
        .to_owned(),
    ));
    cells.extend(value_cells(&compared.previous));
    match &compared.change {
        Some(c) => {
            cells.push(Cell::Number((c.delta * 100.0).round() / 100.0));
            cells.push(Cell::Text(
                if c.significant { "yes" } else { "no" }.to_owned(),
            ));
        }
        None => {
            cells.push(Cell::Empty);
            cells.push(Cell::Empty);
        }
    }
    cells
}

const COMPARED_HEADER: [&str; 11] = [
    "n",
    "value",
    "low_95",
    "high_95",
    "few_answers",
    "previous_n",
    "previous_value",
    "previous_low_95",
    "previous_high_95",
    "change",
    "significant",
];

fn tables(report: &Report, customers: &CustomerReport) -> [Table; 4] {
    let mut tiles_header = vec!["metric"];
    tiles_header.extend(COMPARED_HEADER);
    let mut breakdown_header = vec!["key", "label"];
    breakdown_header.extend(COMPARED_HEADER);
    [
        Table {
            name: "tiles",
            header: tiles_header,
            rows: report
                .tiles
                .iter()
                .map(|t| {
                    let mut row = vec![Cell::Text(t.metric.as_str().to_owned())];
                    row.extend(compared_cells(&t.compared));
                    row
                })
                .collect(),
        },
        Table {
            name: "trend",
            header: vec!["period", "start", "n", "value", "low_95", "high_95"],
            rows: report
                .trend
                .iter()
                .map(|p| {
                    let mut row =
                        vec![Cell::Text(p.label.clone()), Cell::Text(p.start.to_string())];
                    row.extend(value_cells(&p.value));
                    row
                })
                .collect(),
        },
        Table {
            name: "breakdown",
            header: breakdown_header,
            rows: report
                .breakdown
                .iter()
                .map(|r| {
                    let mut row = vec![Cell::Text(r.key.clone()), Cell::Text(r.label.clone())];
                    row.extend(compared_cells(&r.compared));
                    row
                })
                .collect(),
        },
        Table {
            name: "customers",
            header: vec![
                "period",
                "start",
                "customers_at_start",
                "gained",
                "lost",
                "customers_at_end",
                "retention_percent",
                "churn_percent",
                "revenue_eur",
                "purchases",
                "revenue_growth_percent",
            ],
            rows: customers
                .periods
                .iter()
                .map(|p| {
                    let count = |n: i64| Cell::Number(n as f64);
                    let percent = |v: Option<f64>| {
                        v.map_or(Cell::Empty, |v| Cell::Number((v * 100.0).round() / 100.0))
                    };
                    vec![
                        Cell::Text(p.label.clone()),
                        Cell::Text(p.start.to_string()),
                        count(p.customers_at_start),
                        count(p.gained),
                        count(p.lost),
                        count(p.customers_at_end),
                        percent(p.retention.rate),
                        percent(p.retention.churn),
                        Cell::Number(p.revenue_cents as f64 / 100.0),
                        count(p.purchases),
                        percent(p.revenue_growth),
                    ]
                })
                .collect(),
        },
    ]
}

/// The reports for an export, or the answer that explains why there are none.
async fn export_report(
    state: &AppState,
    params: &Params,
) -> Result<(Report, CustomerReport), Response> {
    let store = state.store.as_ref();
    let (query, now) = (params.query(), jiff::Timestamp::now());
    let both = async {
        Ok::<_, AppError>((
            reports::report(store, &query, now).await?,
            reports::customer_report(store, &query, now).await?,
        ))
    };
    match both.await {
        Ok(r) => Ok(r),
        Err(AppError::Invalid(problems)) => {
            let text = problems
                .0
                .iter()
                .map(|p| format!("{}: {:?}", p.field, p.problem))
                .collect::<Vec<_>>()
                .join("\n");
            Err((StatusCode::UNPROCESSABLE_ENTITY, text).into_response())
        }
        Err(e) => {
            tracing::error!(error = %e, "dashboard export failed");
            Err((StatusCode::INTERNAL_SERVER_ERROR, "export failed").into_response())
        }
    }
}

fn file_name(report: &Report, table: &str, extension: &str) -> String {
    format!(
        "kpi-{}-{table}-{}-{}.{extension}",
        report.metric.as_str(),
        report.from,
        report.until
    )
}

async fn export_csv(State(state): State<AppState>, Query(params): Query<Params>) -> Response {
    let (report, customers) = match export_report(&state, &params).await {
        Ok(r) => r,
        Err(response) => return response,
    };
    let wanted = match params.table.trim() {
        "" => "breakdown",
        t => t,
    };
    let Some(table) = tables(&report, &customers)
        .into_iter()
        .find(|t| t.name == wanted)
    else {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            "table: choose breakdown, trend, tiles or customers",
        )
            .into_response();
    };
    csv_file(&table, &file_name(&report, table.name, "csv"))
}

async fn export_xlsx(State(state): State<AppState>, Query(params): Query<Params>) -> Response {
    let (report, customers) = match export_report(&state, &params).await {
        Ok(r) => r,
        Err(response) => return response,
    };
    xlsx_file(
        &tables(&report, &customers),
        &file_name(&report, "tables", "xlsx"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_the_language() {
        assert_eq!(number(4.256, 2, Lang::De), "4,26");
        assert_eq!(number(4.256, 2, Lang::En), "4.26");
        assert_eq!(number(-0.2, 0, Lang::De), "0");
        assert_eq!(signed(3.0, 0, Lang::De), "+3");
        assert_eq!(signed(-1.5, 1, Lang::De), "-1,5");
    }
}
