//! An agent's reply, checked before it goes: the guideline and the mandatory standards that
//! can be judged on a text (see `touchpoints_core::outgoing`). A reply with findings is sent
//! only when the agent confirms it, and the confirmation is recorded with the reply. A reply
//! to a request that came by e-mail is mailed to the customer, in the reply's transaction
//! (and one to a chat handed over after hours, when the customer left an address).

use jiff::Timestamp;
use touchpoints_core::consistency::{Checker, Finding};
use touchpoints_core::customer::IdentifierKind;
use touchpoints_core::mail::{self, MailKind};
use touchpoints_core::outgoing::{self, Outgoing};
use touchpoints_core::request::RequestAction;
use touchpoints_core::{Problem, Problems};
use touchpoints_store::{NewMail, StepWith, Store, StoredRequest, StoredStandard};

use crate::recipient::Recipient;
use crate::{AppError, Result};

/// The rule a reply's finding is reported under, as a problem of its field `body`.
pub const GUIDELINE_RULE: &str = "guideline";

/// The findings on `text` as a reply to `request`.
pub async fn check(
    store: &dyn Store,
    request: &StoredRequest,
    text: &str,
    now: Timestamp,
) -> Result<Vec<Finding>> {
    let guideline = store.guideline().await?;
    let today = crate::reports::today(&store.time_zone().await?, now);
    // The customer's own phone number and e-mail address are theirs to be written back to
    // them, not contacts the guideline should know.
    let profile = match request.customer_id {
        Some(id) => match store.customer(id).await {
            Ok(profile) => Some(profile),
            Err(touchpoints_store::StoreError::NotFound { .. }) => None,
            Err(e) => return Err(e.into()),
        },
        None => None,
    };
    let own: Vec<String> = profile
        .into_iter()
        .flat_map(|p| p.identifiers)
        .filter(|i| matches!(i.kind, IdentifierKind::Phone | IdentifierKind::Email))
        .map(|i| i.value)
        .collect();
    let own: Vec<&str> = own.iter().map(String::as_str).collect();
    let checker = Checker::new(&guideline, today)
        .map_err(|e| AppError::Internal(e.to_string()))?
        .knowing(&own);
    let standards: Vec<_> = store
        .standards()
        .await?
        .iter()
        .map(StoredStandard::to_standard)
        .collect();
    let outgoing = Outgoing {
        request_id: request.id,
        touchpoint: request.touchpoint_id,
        channel: &request.channel,
        customer_name: &request.customer_name,
        subject: &request.subject,
        text,
    };
    Ok(outgoing::check(&checker, &standards, &outgoing, now))
}

/// A finding as the agent reads it: what is wrong, and the fix.
pub fn describe(finding: &Finding) -> String {
    match &finding.suggestion {
        Some(fix) => format!("{} — {fix}", finding.message),
        None => finding.message.clone(),
    }
}

/// Sends `body` as a reply on request `id`. With findings and without `confirmed` nothing is
/// stored: a conflict names `body` once per finding (rule `guideline`). Confirmed, the reply
/// is stored and its audit entry names what it was sent despite.
pub async fn reply(
    store: &dyn Store,
    id: i64,
    body: &str,
    confirmed: bool,
    actor: &str,
    now: Timestamp,
) -> Result<(StoredRequest, RequestAction)> {
    let action = RequestAction::Reply { body: body.into() }.validate()?;
    let RequestAction::Reply { body } = &action else {
        return Err(AppError::Internal(
            "a reply validated into another step".into(),
        ));
    };
    let request = store.request(id).await?;
    let findings = check(store, &request, body, now).await?;
    if !findings.is_empty() && !confirmed {
        return Err(AppError::Conflict(Problems(
            findings
                .iter()
                .map(|f| {
                    touchpoints_core::FieldProblem::new(
                        "body",
                        Problem::rule(GUIDELINE_RULE, &describe(f)),
                    )
                })
                .collect(),
        )));
    }
    let note = match findings.len() {
        0 => String::new(),
        n => format!(
            "sent despite {n} finding(s) of the guideline: {}",
            findings
                .iter()
                .map(|f| f.message.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        ),
    };
    let by_mail = match request.channel.as_str() {
        EMAIL_CHANNEL => true,
        // A chat handed over while nobody was there, with the customer's address.
        CHAT_CHANNEL => store
            .chat_of_request(request.id)
            .await?
            .is_some_and(|c| c.by_email),
        _ => false,
    };
    let mail = match by_mail {
        true => Some(reply_mail(store, &request, body).await?),
        false => None,
    };
    let with = StepWith { note, mail };
    let stored = store.act_with(id, &action, actor, &with).await?;
    Ok((stored, action))
}

/// How a reply to `request` greets its customer ("Sehr geehrte Frau Schulz").
pub async fn greeting(store: &dyn Store, request: &StoredRequest) -> Result<String> {
    Recipient::of(store, request).await?.greeting(store).await
}

/// The key of the channel whose replies are mailed; replies on the others (phone, store,
/// letter, …) are recorded and send nothing, but for a chat's (below).
const EMAIL_CHANNEL: &str = "email";
/// The chat's channel: its replies reach the widget, and are mailed too when the chat was
/// handed over while nobody was there and the customer left an address.
const CHAT_CHANNEL: &str = "chat";

/// The mail of a reply: to the customer's address in their language, signed with the
/// sender's name. Without an address it is stored as not sent, without a mail server as
/// held (see `Outbox`).
async fn reply_mail(store: &dyn Store, request: &StoredRequest, body: &str) -> Result<NewMail> {
    let to = Recipient::of(store, request).await?;
    let settings = store.mail_settings().await?;
    let composed = mail::compose_reply(&mail::Reply {
        request_id: request.id,
        request_subject: &request.subject,
        body,
        language: to.language,
        sender_name: settings.as_ref().map_or("", |s| s.from_name.as_str()),
    });
    Ok(NewMail {
        kind: MailKind::Reply,
        recipient: to.address,
        composed,
    })
}
