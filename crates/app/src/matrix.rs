//! The importance–performance matrix of the touchpoints: importance from the inventory,
//! performance from one KPI over a window, each placed touchpoint with its quadrant.

use std::collections::HashMap;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use touchpoints_core::dashboard::Value;
use touchpoints_core::kpi::Metric;
use touchpoints_core::matrix::{Quadrant, means};
use touchpoints_core::{Touchpoint, TouchpointFilter};
use touchpoints_store::Store;

use crate::Result;
use crate::reports::{self, KpiQuery, Row};

/// A touchpoint in the matrix.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MatrixPoint {
    pub touchpoint_id: i64,
    pub name: String,
    /// Importance from the customer's view, 1 to 5 (the inventory's overall importance).
    pub importance: f64,
    /// The metric's value over the window.
    pub performance: f64,
    /// Answers behind the value.
    pub n: u64,
    pub quadrant: Quadrant,
}

/// The matrix of one metric over a window.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Matrix {
    pub metric: Metric,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub from: Date,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub until: Date,
    /// Where the lines are: the means over the placed touchpoints; absent without any.
    pub mean_importance: Option<f64>,
    pub mean_performance: Option<f64>,
    /// The touchpoints with answers in the window; the others cannot be placed.
    pub points: Vec<MatrixPoint>,
}

/// Places the touchpoints that have a value; `values` by touchpoint id.
pub fn place(
    touchpoints: &[Touchpoint],
    values: &HashMap<i64, Value>,
) -> (Option<(f64, f64)>, Vec<MatrixPoint>) {
    let measured: Vec<(&Touchpoint, f64, u64)> = touchpoints
        .iter()
        .filter_map(|t| {
            let v = values.get(&t.id)?;
            Some((t, v.estimate.as_ref()?.value, v.n))
        })
        .collect();
    let coordinates: Vec<(f64, f64)> = measured
        .iter()
        .map(|(t, p, _)| (t.fields.importance.overall(), *p))
        .collect();
    let lines = means(&coordinates);
    let points = measured
        .iter()
        .zip(&coordinates)
        .map(|((t, _, n), &(importance, performance))| {
            let (mean_i, mean_p) = lines.unwrap_or((importance, performance));
            MatrixPoint {
                touchpoint_id: t.id,
                name: t.fields.name.clone(),
                importance,
                performance,
                n: *n,
                quadrant: Quadrant::of(importance, performance, mean_i, mean_p),
            }
        })
        .collect();
    (lines, points)
}

/// The current values of a breakdown by touchpoint, by touchpoint id.
pub fn values_by_touchpoint(breakdown: &[Row]) -> HashMap<i64, Value> {
    breakdown
        .iter()
        .filter_map(|r| {
            r.key
                .parse::<i64>()
                .ok()
                .map(|id| (id, r.compared.current.clone()))
        })
        .collect()
}

/// The matrix for the metric and window `query` asks for (its breakdown is ignored: the
/// matrix is by touchpoint), as of `now`.
pub async fn matrix(store: &dyn Store, query: &KpiQuery, now: Timestamp) -> Result<Matrix> {
    let query = KpiQuery {
        by: Some("touchpoint".to_owned()),
        ..query.clone()
    };
    let report = reports::report(store, &query, now).await?;
    let touchpoints = store.list_touchpoints(&TouchpointFilter::default()).await?;
    let (lines, points) = place(&touchpoints, &values_by_touchpoint(&report.breakdown));
    Ok(Matrix {
        metric: report.metric,
        from: report.from,
        until: report.until,
        mean_importance: lines.map(|l| l.0),
        mean_performance: lines.map(|l| l.1),
        points,
    })
}
