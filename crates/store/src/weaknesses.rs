//! The as-is analysis over the store: the consistency checker on the content library and the
//! mandatory service standards on the recorded interactions, their findings recorded as one
//! list of documented weaknesses. Shared by the web UI, the API and the command line.

use jiff::{SignedDuration, Timestamp};
use touchpoints_core::consistency::{Checker, Content};
use touchpoints_core::standards::violation_findings;
use touchpoints_core::{Problem, Problems};

use crate::{Result, Store, StoreError, StoredContent, StoredFinding, StoredStandard};

/// How far back interactions are judged by the standards.
const STANDARDS_DAYS: i64 = 30;

/// Runs both checks now and records their findings; returns the stored findings.
pub async fn check_weaknesses(store: &dyn Store, actor: &str) -> Result<Vec<StoredFinding>> {
    let guideline = store.guideline().await?;
    let checker = Checker::new(&guideline, jiff::Zoned::now().date()).map_err(|e| {
        StoreError::Invalid(Problems::single(
            "guideline",
            Problem::Invalid {
                reason: e.to_string(),
            },
        ))
    })?;
    let today = jiff::Zoned::now().date();
    let texts: Vec<Content> = store
        .contents()
        .await?
        .iter()
        .filter(|c| c.fields.valid_on(today))
        .map(StoredContent::to_checked)
        .collect();
    let mut findings = checker.check(&texts);
    let now = Timestamp::now();
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
    store.sync_findings(&findings, actor).await
}
