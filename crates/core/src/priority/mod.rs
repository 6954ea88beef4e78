//! The priority of a customer request: a score with its explanation.
//!
//! A score is the sum of parts, each with its reason: the time left until the response is
//! due, the customer's lifetime value and segments, urgency and anger in the text (German and
//! English cue words, negations understood), the channel and earlier contacts. The weights
//! are the organisation's ([`Weights`]); every score comes with its breakdown ("due in 40 min
//! +73.3, premium customer +15, angry: 'unverschämt' +10").
//!
//! The time part is linear in the due time, `time_per_hour × (horizon_hours − hours left)`,
//! so it grows at the same rate for every open request and the queue's order never changes
//! as time passes. A request is therefore stored once with its [`rank_key`] (the score at the
//! Unix epoch, in milli-points), an index on it gives the next-best request at any instant,
//! and [`score_at`] tells its current score without scoring it again. Only a change to the
//! request or to the weights calls for a new key.

mod cues;
mod lexicon;
pub(crate) mod reason;
mod score;
mod weights;

pub use cues::{CueHit, CueKind, Cues, Language};
pub use reason::{Part, Reason};
pub use score::{Score, Signals, rank_key, score, score_at, static_points};
pub use weights::Weights;
