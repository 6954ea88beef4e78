//! Request intake from every channel: one request or a batch of up to [`BATCH_MAX`], read,
//! validated against the catalog and stored all or none, with every problem named as the
//! caller's body names it.

use jiff::Timestamp;
use touchpoints_core::request::RequestInput;
use touchpoints_core::{Problem, Problems};
use touchpoints_store::{IntakeOutcome, Store};

use crate::{AppError, Result, batch};

/// The most requests one batch may hold.
pub const BATCH_MAX: usize = 5_000;

/// The key under which a body carries a batch: `{"requests": [...]}`.
pub const BATCH_KEY: &str = "requests";

/// What intake did: one outcome per request, in the body's order.
#[derive(Debug)]
pub struct Intake {
    /// Whether the body was a batch (its answer lists results) or one request.
    pub batch: bool,
    pub outcomes: Vec<IntakeOutcome>,
}

impl Intake {
    /// Whether anything was stored now, rather than recognised as a retry.
    pub fn created_any(&self) -> bool {
        self.outcomes.iter().any(|o| o.created)
    }
}

/// Reads a JSON body of one request or `{"requests": [...]}` and stores what it holds.
pub async fn intake_json(
    store: &dyn Store,
    body: &[u8],
    actor: &str,
    now: Timestamp,
) -> Result<Intake> {
    let read = batch::read::<RequestInput>(body, BATCH_KEY, BATCH_MAX)?;
    intake(store, read, actor, now).await
}

/// Validates requests read from a body and stores them all or none.
pub async fn intake(
    store: &dyn Store,
    read: batch::Items<RequestInput>,
    actor: &str,
    now: Timestamp,
) -> Result<Intake> {
    let shape = read.shape;
    if shape.batch && read.items.is_empty() {
        return Err(Problems::single(BATCH_KEY, Problem::Required).into());
    }
    let catalog = store.catalog().await?;
    let mut problems = Problems::default();
    let mut requests = Vec::with_capacity(read.items.len());
    for (i, input) in read.items.into_iter().enumerate() {
        match input {
            Ok(input) => {
                requests.push(input.validate_into(&mut problems, &shape.prefix(i), &catalog, now))
            }
            Err(p) => problems.0.extend(p.0),
        }
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let outcomes = store
        .intake(&requests, actor)
        .await
        .map_err(|e| shape.rename(e.into()))?;
    Ok(Intake {
        batch: shape.batch,
        outcomes,
    })
}
