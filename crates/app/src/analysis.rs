//! The as-is analysis: the consistency checker on the content library and the mandatory
//! service standards on the recorded interactions, their findings recorded as one list of
//! documented weaknesses.

use jiff::{SignedDuration, Timestamp};
use touchpoints_core::consistency::{Checker, Content};
use touchpoints_core::standards::violation_findings;
use touchpoints_core::{Problem, Problems};

use touchpoints_store::{Store, StoredContent, StoredFinding, StoredStandard};

use crate::{AppError, Result};

/// How far back interactions are judged by the standards.
const STANDARDS_DAYS: i64 = 30;

/// Runs both checks as of `now` and records their findings; returns the stored findings.
/// Content is judged by what is valid on today's date in the organisation's time zone.
pub async fn check_weaknesses(
    store: &dyn Store,
    actor: &str,
    now: Timestamp,
) -> Result<Vec<StoredFinding>> {
    let guideline = store.guideline().await?;
    let today = crate::reports::today(&store.time_zone().await?, now);
    let texts: Vec<Content> = store
        .contents()
        .await?
        .iter()
        .filter(|c| c.fields.valid_on(today))
        .map(StoredContent::to_checked)
        .collect();
    // Off the async threads: a library of many long texts takes a while to scan, and the
    // server answers other requests meanwhile.
    let mut findings = tokio::task::spawn_blocking(move || {
        let checker = Checker::new(&guideline, today).map_err(|e| {
            AppError::Invalid(Problems::single(
                "guideline",
                Problem::Invalid {
                    reason: e.to_string(),
                },
            ))
        })?;
        Ok::<_, AppError>(checker.check(&texts))
    })
    .await
    .map_err(|e| AppError::Internal(format!("the consistency check stopped: {e}")))??;
    let since = now
        .checked_sub(SignedDuration::from_hours(24 * STANDARDS_DAYS))
        .unwrap_or(Timestamp::MIN);
    let standards: Vec<_> = store
        .standards()
        .await?
        .iter()
        .map(StoredStandard::to_standard)
        .collect();
    let interactions: Vec<_> = store
        .interactions(since, now)
        .await?
        .into_iter()
        .map(|i| i.interaction)
        .collect();
    findings.extend(violation_findings(&standards, &interactions, now));
    Ok(store.sync_findings(&findings, actor).await?)
}
