//! The importance–performance matrix: each touchpoint placed by how much it matters to
//! customers (from the inventory) and how well it does (a measured KPI), with lines at the
//! means of all placed touchpoints — the data-centred reading of importance–performance
//! analysis (Martilla & James, 1977). The quadrant says what to do with a touchpoint.

use serde::{Deserialize, Serialize};

/// What importance–performance analysis advises for a touchpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Quadrant {
    /// Important and below the mean: improve here first.
    Concentrate,
    /// Important and at or above the mean: keep up the good work.
    KeepUp,
    /// Less important and below the mean: low priority.
    LowPriority,
    /// Less important and at or above the mean: possibly effort to spare.
    Overkill,
}

impl Quadrant {
    pub fn as_str(self) -> &'static str {
        match self {
            Quadrant::Concentrate => "concentrate",
            Quadrant::KeepUp => "keep-up",
            Quadrant::LowPriority => "low-priority",
            Quadrant::Overkill => "overkill",
        }
    }

    /// The quadrant of a point against the lines at `mean_importance` and
    /// `mean_performance`; a point on a line counts as at or above it.
    pub fn of(
        importance: f64,
        performance: f64,
        mean_importance: f64,
        mean_performance: f64,
    ) -> Quadrant {
        match (
            importance >= mean_importance,
            performance >= mean_performance,
        ) {
            (true, false) => Quadrant::Concentrate,
            (true, true) => Quadrant::KeepUp,
            (false, false) => Quadrant::LowPriority,
            (false, true) => Quadrant::Overkill,
        }
    }
}

/// The lines of the matrix: the means of importance and performance over the placed points,
/// or `None` when there is no point.
pub fn means(points: &[(f64, f64)]) -> Option<(f64, f64)> {
    if points.is_empty() {
        return None;
    }
    let n = points.len() as f64;
    let (sum_i, sum_p) = points
        .iter()
        .fold((0.0, 0.0), |(i, p), (pi, pp)| (i + pi, p + pp));
    Some((sum_i / n, sum_p / n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quadrants_split_at_the_means() {
        assert_eq!(Quadrant::of(4.0, 10.0, 3.0, 20.0), Quadrant::Concentrate);
        assert_eq!(Quadrant::of(4.0, 30.0, 3.0, 20.0), Quadrant::KeepUp);
        assert_eq!(Quadrant::of(2.0, 10.0, 3.0, 20.0), Quadrant::LowPriority);
        assert_eq!(Quadrant::of(2.0, 30.0, 3.0, 20.0), Quadrant::Overkill);
        // On the line is at or above it.
        assert_eq!(Quadrant::of(3.0, 20.0, 3.0, 20.0), Quadrant::KeepUp);
    }

    #[test]
    fn means_are_taken_over_the_placed_points() {
        assert_eq!(means(&[]), None);
        assert_eq!(
            means(&[(1.0, 10.0), (3.0, 20.0), (5.0, 60.0)]),
            Some((3.0, 30.0))
        );
    }

    #[test]
    fn names_are_the_wire_names() {
        for q in [
            Quadrant::Concentrate,
            Quadrant::KeepUp,
            Quadrant::LowPriority,
            Quadrant::Overkill,
        ] {
            assert_eq!(
                serde_json::to_value(q).expect("json"),
                serde_json::json!(q.as_str())
            );
        }
    }
}
