//! An agent's step on a request, whichever front end takes it: a reply is checked and mailed
//! (`replies`), a resolution may send its survey (`resolution`), every other step goes to the
//! store as it is.

use jiff::Timestamp;
use touchpoints_core::request::RequestAction;
use touchpoints_store::{Store, StoredRequest};

use crate::{Result, replies, resolution};

/// Takes `action` on request `id`; `confirmed` sends a reply despite the guideline's
/// findings. Returns the request after the step and the step as taken (validated).
pub async fn act(
    store: &dyn Store,
    id: i64,
    action: RequestAction,
    confirmed: bool,
    actor: &str,
    now: Timestamp,
) -> Result<(StoredRequest, RequestAction)> {
    match action {
        RequestAction::Reply { body } => {
            replies::reply(store, id, &body, confirmed, actor, now).await
        }
        RequestAction::Resolve => Ok((
            resolution::resolve(store, id, actor, now).await?,
            RequestAction::Resolve,
        )),
        other => {
            let action = other.validate()?;
            Ok((store.act(id, &action, actor).await?, action))
        }
    }
}
