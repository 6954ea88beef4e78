//! Surveys and what flows into them: creating a survey under a public code, and answers and
//! customer events delivered by other tools, one or a batch at a time.

use jiff::Timestamp;
use touchpoints_core::survey::{CustomerEventInput, ResponseInput, SurveyFields};
use touchpoints_store::{ImportSummary, Store, StoreError, StoredSurvey};

use crate::{AppError, Result, batch};

/// The most answers or events one batch may hold.
pub const BATCH_MAX: usize = 10_000;

/// Letters and digits that cannot be mistaken for one another when typed from a poster.
const SLUG_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
const SLUG_LENGTH: usize = 8;

/// A short random code for a survey's public address (`/s/{slug}`): short enough for a QR
/// code and a printed card, long enough (31^8 ≈ 8.5 × 10^11) not to be guessed.
pub fn new_slug() -> Result<String> {
    // Bytes at or above the largest multiple of the alphabet's length are dropped, so every
    // letter is equally likely.
    let limit = 256 - 256 % SLUG_ALPHABET.len();
    let mut slug = String::with_capacity(SLUG_LENGTH);
    let mut bytes = [0u8; 32];
    while slug.len() < SLUG_LENGTH {
        getrandom::fill(&mut bytes)
            .map_err(|e| AppError::Internal(format!("no randomness from the system: {e}")))?;
        slug.extend(
            bytes
                .iter()
                .filter(|&&b| usize::from(b) < limit)
                .map(|&b| char::from(SLUG_ALPHABET[usize::from(b) % SLUG_ALPHABET.len()]))
                .take(SLUG_LENGTH - slug.len()),
        );
    }
    Ok(slug)
}

/// Creates a survey under a fresh slug, trying again in the unlikely case it is taken.
pub async fn create_survey(
    store: &dyn Store,
    fields: &SurveyFields,
    actor: &str,
) -> Result<StoredSurvey> {
    let mut attempts = 0;
    loop {
        let slug = new_slug()?;
        match store.create_survey(&slug, fields, actor).await {
            Err(StoreError::Conflict(p)) if attempts < 5 && p.0[0].field == "slug" => {
                attempts += 1;
            }
            other => return Ok(other?),
        }
    }
}

/// Stores the answers of a JSON body, one or `{"responses": [...]}`, all or none; an answer
/// whose external id was delivered before is not stored twice.
pub async fn record_responses_json(
    store: &dyn Store,
    body: &[u8],
    actor: &str,
    now: Timestamp,
) -> Result<ImportSummary> {
    let read = batch::read::<ResponseInput>(body, "responses", BATCH_MAX)?;
    let shape = read.shape;
    let answers = read.validate(|input| input.validate(now))?;
    store
        .record_responses(&answers, Some(actor))
        .await
        .map_err(|e| shape.rename(e.into()))
}

/// Stores the customer events of a JSON body, one or `{"events": [...]}`, all or none.
pub async fn record_customer_events_json(
    store: &dyn Store,
    body: &[u8],
    actor: &str,
    now: Timestamp,
) -> Result<ImportSummary> {
    let read = batch::read::<CustomerEventInput>(body, "events", BATCH_MAX)?;
    let shape = read.shape;
    let events = read.validate(|input| input.validate(now))?;
    store
        .record_customer_events(&events, actor)
        .await
        .map_err(|e| shape.rename(e.into()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn slugs_avoid_lookalikes() {
        for _ in 0..50 {
            let slug = new_slug().unwrap();
            assert_eq!(slug.len(), SLUG_LENGTH);
            assert!(slug.bytes().all(|b| SLUG_ALPHABET.contains(&b)), "{slug}");
            assert!(!slug.contains(['0', 'o', '1', 'l', 'i']));
        }
    }
}
