//! A survey's answers as people read them: newest first, filtered by score band, by whether
//! they carry a comment and by a text in the comment, so that what customers wrote is read
//! where it was asked.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use jiff::Timestamp;
use jiff::civil::Date;
use minijinja::value::Serde;
use serde::{Deserialize, Serialize};
use touchpoints_app::AppError;
use touchpoints_core::kpi::{self, Metric, Tally};
use touchpoints_core::{Problem, Problems};
use touchpoints_store::ResponseFilter;

use super::export::{Cell, Table, csv_file, xlsx_file};
use super::{Id, Page, PageResult};
use crate::AppState;

/// The most answers a page lists; the filters narrow down the rest.
const SHOWN: u32 = 200;

/// The filters as the browser sends them. A first visit shows the answers with a comment.
#[derive(Debug, Deserialize, Serialize)]
#[serde(default)]
pub(super) struct AnswersQuery {
    /// `all`, `low`, `middle` or `high`.
    band: String,
    /// "1" for answers with a comment only; "0" for every answer.
    comments: String,
    q: String,
    /// The first and last day of the period (YYYY-MM-DD, in the organisation's time zone);
    /// empty for no bound.
    from: String,
    until: String,
}

impl Default for AnswersQuery {
    fn default() -> Self {
        AnswersQuery {
            band: "all".into(),
            comments: "1".into(),
            q: String::new(),
            from: String::new(),
            until: String::new(),
        }
    }
}

/// The scores of a band of the metric's scale: its unhappy end (NPS detractors 0–6, CSAT and
/// CES 1–2), its middle and its happy end (NPS promoters 9–10, CSAT 4–5, CES 6–7).
fn band(metric: Metric, band: &str) -> Option<(u8, u8)> {
    let (low, high) = match metric {
        Metric::Nps => ((0, 6), (9, 10)),
        Metric::Csat => ((1, 2), (4, 5)),
        Metric::Ces => ((1, 2), (6, 7)),
    };
    match band {
        "low" => Some(low),
        "middle" => Some((low.1 + 1, high.0 - 1)),
        "high" => Some(high),
        _ => None,
    }
}

#[derive(Serialize)]
struct AnswerRow {
    answered_at: Timestamp,
    score: u8,
    comment: String,
    channel: String,
    customer_ref: Option<String>,
}

/// One score of the distribution: how many gave it, and their share.
#[derive(Serialize)]
struct ScoreRow {
    score: u8,
    count: u64,
    percent: f64,
}

/// The answers of the survey's period, as a distribution over its scale and the metric.
async fn distribution(
    state: &AppState,
    metric: Metric,
    period: &ResponseFilter,
) -> Result<(Vec<ScoreRow>, Option<kpi::Estimate>), AppError> {
    let counts = state.store.score_counts(period).await?;
    let mut tally = Tally::default();
    for &(score, count) in &counts {
        if let Some(slot) = tally.counts.get_mut(usize::from(score)) {
            *slot = count;
        }
    }
    let total: u64 = counts.iter().map(|(_, n)| n).sum();
    let (min, max) = metric.scale();
    let rows = (min..=max)
        .map(|score| {
            let count = tally.counts[usize::from(score)];
            ScoreRow {
                score,
                count,
                percent: if total == 0 {
                    0.0
                } else {
                    100.0 * count as f64 / total as f64
                },
            }
        })
        .collect();
    Ok((rows, kpi::estimate(metric, &tally)))
}

/// One month of the trend at the survey's touchpoint.
#[derive(Serialize)]
struct MonthRow {
    /// `YYYY-MM`.
    month: String,
    estimate: Option<kpi::Estimate>,
}

/// How many months the trend shows, the current one included.
const TREND_MONTHS: i16 = 12;

/// The metric at the survey's touchpoint month by month, from the KPI roll-ups: every answer
/// of that metric there counts, through this survey or another way in.
async fn trend(
    state: &AppState,
    metric: Metric,
    touchpoint_id: i64,
    today: Date,
) -> Result<Vec<MonthRow>, AppError> {
    let this_month = today.first_of_month();
    let (Ok(from), Ok(until)) = (
        this_month.checked_sub(jiff::Span::new().months(TREND_MONTHS - 1)),
        this_month.checked_add(jiff::Span::new().months(1)),
    ) else {
        return Ok(Vec::new());
    };
    let rows = state
        .store
        .tallies(touchpoints_store::Resolution::Month, from, until)
        .await?;
    Ok((0..TREND_MONTHS)
        .filter_map(|i| from.checked_add(jiff::Span::new().months(i)).ok())
        .map(|month| {
            let mut tally = Tally::default();
            for row in rows.iter().filter(|r| {
                r.metric == metric && r.touchpoint_id == touchpoint_id && r.bucket == month
            }) {
                tally.merge(&row.tally);
            }
            MonthRow {
                month: month.strftime("%Y-%m").to_string(),
                estimate: kpi::estimate(metric, &tally),
            }
        })
        .collect())
}

/// The survey's answers in the query's period, and those of them the other filters keep.
fn filters(
    id: i64,
    metric: Metric,
    query: &AnswersQuery,
    zone: &jiff::tz::TimeZone,
    problems: &mut Problems,
) -> (ResponseFilter, ResponseFilter) {
    let scores = band(metric, &query.band);
    let mut day = |field: &str, text: &str, day_after: bool| {
        super::time::day_start(text, day_after, zone).unwrap_or_else(|()| {
            problems.push(
                field,
                Problem::rule("not-a-date", "a date written as YYYY-MM-DD"),
            );
            None
        })
    };
    let period = ResponseFilter {
        survey_id: Some(id),
        from: day("from", &query.from, false),
        until: day("until", &query.until, true),
        ..ResponseFilter::default()
    };
    let filter = ResponseFilter {
        with_comment: query.comments != "0",
        min_score: scores.map(|(min, _)| min),
        max_score: scores.map(|(_, max)| max),
        search: Some(query.q.trim().to_owned()).filter(|q| !q.is_empty()),
        ..period.clone()
    };
    (period, filter)
}

/// The most answers an export holds.
const EXPORTED: u32 = 100_000;

/// The answers the page's filters keep, newest first, as CSV.
pub(super) async fn export_csv(
    State(state): State<AppState>,
    page: Page,
    Id(id): Id,
    Query(query): Query<AnswersQuery>,
) -> PageResult {
    export(&state, &page, id, &query, Format::Csv).await
}

/// The same as an Excel workbook.
pub(super) async fn export_xlsx(
    State(state): State<AppState>,
    page: Page,
    Id(id): Id,
    Query(query): Query<AnswersQuery>,
) -> PageResult {
    export(&state, &page, id, &query, Format::Xlsx).await
}

enum Format {
    Csv,
    Xlsx,
}

async fn export(
    state: &AppState,
    page: &Page,
    id: i64,
    query: &AnswersQuery,
    format: Format,
) -> PageResult {
    let survey = state.store.survey(id).await?;
    let mut problems = Problems::default();
    let (_, filter) = filters(id, survey.fields.metric, query, &page.zone.0, &mut problems);
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems).into());
    }
    let rows = state
        .store
        .responses(&filter, EXPORTED)
        .await?
        .into_iter()
        .map(|r| {
            vec![
                Cell::Text(r.fields.answered_at.to_string()),
                Cell::Number(f64::from(r.fields.score)),
                Cell::Text(r.fields.comment),
                Cell::Text(r.fields.channel.unwrap_or_default()),
                Cell::Text(r.fields.customer_ref.unwrap_or_default()),
            ]
        })
        .collect();
    let table = Table {
        name: "answers",
        header: vec!["answered_at", "score", "comment", "channel", "customer_ref"],
        rows,
    };
    let name = format!("survey-{id}-answers");
    Ok(match format {
        Format::Csv => csv_file(&table, &format!("{name}.csv")),
        Format::Xlsx => xlsx_file(&[table], &format!("{name}.xlsx")),
    })
}

pub(super) async fn answers(
    State(state): State<AppState>,
    page: Page,
    Id(id): Id,
    Query(query): Query<AnswersQuery>,
) -> PageResult {
    let survey = state.store.survey(id).await?;
    let metric = survey.fields.metric;
    let mut problems = Problems::default();
    let zone = &page.zone.0;
    let (period, filter) = filters(id, metric, &query, zone, &mut problems);
    let (scale, estimate) = distribution(&state, metric, &period).await?;
    let today = kpi::local_day(Timestamp::now(), zone);
    let months = trend(&state, metric, survey.fields.touchpoint_id, today).await?;
    let rows: Vec<AnswerRow> = state
        .store
        .responses(&filter, SHOWN)
        .await?
        .into_iter()
        .map(|r| AnswerRow {
            answered_at: r.fields.answered_at,
            score: r.fields.score,
            comment: r.fields.comment,
            channel: r.fields.channel.unwrap_or_default(),
            customer_ref: r.fields.customer_ref,
        })
        .collect();
    let touchpoint = state
        .store
        .touchpoint(survey.fields.touchpoint_id)
        .await
        .map(|t| t.fields.name)
        .unwrap_or_default();
    let bands: Vec<(&str, String)> = ["low", "middle", "high"]
        .into_iter()
        .filter_map(|b| {
            let (min, max) = band(metric, b)?;
            let range = if min == max {
                min.to_string()
            } else {
                format!("{min}–{max}")
            };
            Some((b, range))
        })
        .collect();
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(page.render_with_status(
        &state,
        status,
        "survey_answers.html",
        minijinja::context! {
            section => "surveys",
            id => id,
            touchpoint => touchpoint,
            touchpoint_id => survey.fields.touchpoint_id,
            metric => metric.as_str(),
            scale => Serde(&scale),
            estimate => Serde(&estimate),
            months => Serde(&months),
            decimals => super::numbers::decimals(metric),
            errors => Serde(page.field_errors(&state, &problems.0)),
            query => Serde(&query),
            bands => bands,
            answers => Serde(&rows),
            shown => SHOWN,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_split_each_scale_without_gaps() {
        assert_eq!(band(Metric::Nps, "low"), Some((0, 6)));
        assert_eq!(band(Metric::Nps, "middle"), Some((7, 8)));
        assert_eq!(band(Metric::Csat, "middle"), Some((3, 3)));
        assert_eq!(band(Metric::Ces, "middle"), Some((3, 5)));
        assert_eq!(band(Metric::Ces, "high"), Some((6, 7)));
        assert_eq!(band(Metric::Nps, "all"), None);
        for metric in Metric::ALL {
            let (min, max) = metric.scale();
            let low = band(metric, "low").expect("low");
            let high = band(metric, "high").expect("high");
            assert_eq!((low.0, high.1), (min, max), "{metric:?}");
            assert!(metric.is_detractor(low.1) && !metric.is_detractor(low.1 + 1));
        }
    }
}
