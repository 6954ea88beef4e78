//! A survey's answers as people read them: newest first, filtered by score band, by whether
//! they carry a comment and by a text in the comment, so that what customers wrote is read
//! where it was asked.

use axum::extract::{Query, State};
use minijinja::value::Serde;
use serde::{Deserialize, Serialize};
use touchpoints_core::kpi::Metric;
use touchpoints_store::ResponseFilter;

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
}

impl Default for AnswersQuery {
    fn default() -> Self {
        AnswersQuery {
            band: "all".into(),
            comments: "1".into(),
            q: String::new(),
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
    answered_at: jiff::Timestamp,
    score: u8,
    comment: String,
    channel: String,
    customer_ref: Option<String>,
}

pub(super) async fn answers(
    State(state): State<AppState>,
    page: Page,
    Id(id): Id,
    Query(query): Query<AnswersQuery>,
) -> PageResult {
    let survey = state.store.survey(id).await?;
    let metric = survey.fields.metric;
    let scores = band(metric, &query.band);
    let filter = ResponseFilter {
        survey_id: Some(id),
        with_comment: query.comments != "0",
        min_score: scores.map(|(min, _)| min),
        max_score: scores.map(|(_, max)| max),
        search: Some(query.q.trim().to_owned()).filter(|q| !q.is_empty()),
        ..ResponseFilter::default()
    };
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
    Ok(page.render(
        &state,
        "survey_answers.html",
        minijinja::context! {
            section => "surveys",
            id => id,
            touchpoint => touchpoint,
            metric => metric.as_str(),
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
