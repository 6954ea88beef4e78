//! Resolving a request, and the survey that goes to its customer then: the survey of the
//! request's touchpoint (the one for its channel first), by mail, with a signed link that
//! names the request, so that the answer is counted for the request, its agent and its
//! channel. Whether it goes is the core's rule (`touchpoints_core::mail::survey_after_resolution`).

use jiff::Timestamp;
use touchpoints_core::customer::IdentifierKind;
use touchpoints_core::mail::{self, MailKind, SurveyMail};
use touchpoints_core::request::RequestAction;
use touchpoints_store::{NewMail, StepWith, Store, StoredRequest, StoredSurvey};

use crate::recipient::Recipient;
use crate::{Result, links};

/// Resolves request `id`; its survey mail, when one is due, is queued in the same
/// transaction.
pub async fn resolve(
    store: &dyn Store,
    id: i64,
    actor: &str,
    now: Timestamp,
) -> Result<StoredRequest> {
    let request = store.request(id).await?;
    let mail = survey_mail(store, &request, now).await?;
    let with = StepWith {
        note: String::new(),
        mail,
    };
    Ok(store
        .act_with(id, &RequestAction::Resolve, actor, &with)
        .await?)
}

/// The survey mail for the customer of `request` as it is resolved at `now`, if one is due.
async fn survey_mail(
    store: &dyn Store,
    request: &StoredRequest,
    now: Timestamp,
) -> Result<Option<NewMail>> {
    let Some(settings) = store.mail_settings().await? else {
        return Ok(None);
    };
    let (Some(customer_id), Some(touchpoint)) = (request.customer_id, request.touchpoint_id) else {
        return Ok(None);
    };
    let surveys = store.surveys().await?;
    let survey = pick_survey(&surveys, touchpoint, &request.channel);
    let to = Recipient::of(store, request).await?;
    let Some(customer) = &to.profile else {
        return Ok(None);
    };
    let last = store.last_survey_mail(customer_id).await?;
    let due = mail::survey_after_resolution(
        Some(&settings),
        survey.is_some(),
        !to.address.is_empty(),
        &customer.fields.consent,
        last,
        now,
    );
    let (Ok(()), Some(survey)) = (due, survey) else {
        return Ok(None);
    };
    // The answer names the customer as their number does, else as their address does.
    let reference = customer
        .identifiers
        .iter()
        .find(|i| i.kind == IdentifierKind::CustomerNumber)
        .map_or(to.address.as_str(), |i| i.value.as_str());
    let key = links::survey_link_key(store).await?;
    let path = links::signed_survey_link(
        &key,
        &survey.slug,
        reference,
        &request.channel,
        &request.id.to_string(),
    );
    let link = format!("{}{path}", settings.public_url);
    let question = survey.fields.question(to.language);
    let greeting = to.greeting(store).await?;
    let composed = mail::compose_survey(&SurveyMail {
        greeting: &greeting,
        request_id: request.id,
        request_subject: &request.subject,
        question,
        link: &link,
        language: to.language,
        sender_name: &settings.from_name,
    });
    Ok(Some(NewMail {
        kind: MailKind::Survey,
        recipient: to.address,
        composed,
    }))
}

/// The active survey at `touchpoint` for `channel`, else its active one for every channel;
/// the newest of several.
fn pick_survey<'a>(
    surveys: &'a [StoredSurvey],
    touchpoint: i64,
    channel: &str,
) -> Option<&'a StoredSurvey> {
    let active = || {
        surveys
            .iter()
            .filter(|s| s.fields.active && s.fields.touchpoint_id == touchpoint)
    };
    active()
        .filter(|s| s.fields.channel.as_deref() == Some(channel))
        .max_by_key(|s| s.id)
        .or_else(|| {
            active()
                .filter(|s| s.fields.channel.is_none())
                .max_by_key(|s| s.id)
        })
}
