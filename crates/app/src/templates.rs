//! Message templates: saved only once they pass the sandbox's check, and filled with a
//! customer's data: for a reply to one of their requests, or as a preview for any customer
//! (and for one of whom nothing is known, to see the fallbacks).

use std::collections::HashMap;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use touchpoints_core::consistency::tone::Address;
use touchpoints_core::customer::IdentifierKind;
use touchpoints_core::greeting::greeting;
use touchpoints_core::message_template::{self, MessageData, TemplateFields, split_name};
use touchpoints_core::request::RequestStatus;
use touchpoints_core::written;
use touchpoints_core::{Problem, Problems};
use touchpoints_store::{CustomerProfile, Store, StoredRequest, StoredTemplate};

use crate::recipient::{Recipient, language_of};
use crate::{AppError, Result};

/// Checks a template and stores it (`id` None: a new one).
pub async fn save(
    store: &dyn Store,
    id: Option<i64>,
    fields: &TemplateFields,
    actor: &str,
) -> Result<StoredTemplate> {
    let fields = fields.checked().map_err(AppError::Invalid)?;
    Ok(store.put_message_template(id, &fields, actor).await?)
}

/// A template filled in: the subject (empty when the template has none) and the text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Filled {
    pub subject: String,
    pub body: String,
}

/// Fills `fields` with `data`; a failure names the field, line and column.
pub fn fill(fields: &TemplateFields, data: &MessageData) -> Result<Filled> {
    let one = |field: &str, text: &str| {
        message_template::render(text, data)
            .map_err(|p| AppError::Invalid(Problems::single(field, Problem::from(p))))
    };
    Ok(Filled {
        subject: one("subject", &fields.subject)?,
        body: one("body", &fields.body)?,
    })
}

/// The stored template `template_id` filled for a reply to `request`, written by `agent`.
pub async fn for_request(
    store: &dyn Store,
    template_id: i64,
    request: &StoredRequest,
    agent: &str,
) -> Result<Filled> {
    let template = store.message_template(template_id).await?;
    // Greeted and written in the template's language, whatever the customer's.
    let recipient = Recipient {
        language: language_of(&template.fields.language),
        ..Recipient::of(store, request).await?
    };
    let mut data = customer_data(store, &recipient).await?;
    data.request_number = format!("#{}", request.id);
    data.subject = request.subject.clone();
    data.touchpoint = match request.touchpoint_id {
        Some(id) => store.touchpoint(id).await?.fields.name,
        None => String::new(),
    };
    data.agent = agent.to_owned();
    fill(&template.fields, &data)
}

/// A preview of `fields` (language, subject and text: a draft needs no name yet) for the
/// customer `customer_id`, or with nothing known of the customer when `None` (every fallback
/// shows). Problems are named `language`, `subject`, `body` and `customer_id`.
pub async fn preview(
    store: &dyn Store,
    fields: &TemplateFields,
    customer_id: Option<i64>,
    agent: &str,
) -> Result<Filled> {
    let fields = fields.checked_message()?;
    let recipient = match customer_id {
        Some(id) => match store.customer(id).await {
            Ok(profile) => Recipient::of_profile(profile, &fields.language),
            Err(touchpoints_store::StoreError::NotFound { .. }) => {
                return Err(AppError::Invalid(Problems::single(
                    "customer_id",
                    Problem::rule("unknown-customer", &format!("no customer has the id {id}")),
                )));
            }
            Err(e) => return Err(e.into()),
        },
        None => Recipient::unknown(&fields.language),
    };
    let recipient = Recipient {
        language: language_of(&fields.language),
        ..recipient
    };
    let mut data = customer_data(store, &recipient).await?;
    data.agent = agent.to_owned();
    fill(&fields, &data)
}

/// What a template knows of the customer: the profile's fields, their last purchase (from
/// the customer events under their customer numbers and e-mail addresses) and their open
/// requests; money and days as written in the customer's language.
pub(crate) async fn customer_data(store: &dyn Store, recipient: &Recipient) -> Result<MessageData> {
    let profiles: Vec<&CustomerProfile> = recipient.profile.iter().collect();
    let known = Known::load(store, &profiles).await?;
    let open = match &recipient.profile {
        Some(profile) => store
            .customer_requests(profile.id)
            .await?
            .iter()
            .filter(|r| r.status != RequestStatus::Resolved)
            .count() as u64,
        None => 0,
    };
    Ok(known.data(recipient, open))
}

/// What filling a template reads beside the profile, read once for any number of customers:
/// the guideline's form of address, the organisation's time zone and the customers' newest
/// purchases.
pub(crate) struct Known {
    address: Address,
    zone: TimeZone,
    newest: HashMap<String, (Timestamp, i64)>,
}

impl Known {
    pub(crate) async fn load(store: &dyn Store, profiles: &[&CustomerProfile]) -> Result<Known> {
        let refs: Vec<String> = profiles
            .iter()
            .flat_map(|p| event_refs(p))
            .cloned()
            .collect();
        Ok(Known {
            address: store
                .guideline()
                .await?
                .tone
                .address
                .unwrap_or(Address::Formal),
            zone: crate::action_effect::time_zone(store).await?,
            newest: store.last_purchases(&refs).await?,
        })
    }

    /// The data of `recipient`, who has `open_requests` requests not yet resolved.
    pub(crate) fn data(&self, recipient: &Recipient, open_requests: u64) -> MessageData {
        let english = recipient.language == "en";
        let (first_name, last_name) = split_name(&recipient.name, &recipient.salutation);
        let mut data = MessageData {
            greeting: greeting(
                &recipient.salutation,
                &recipient.name,
                recipient.language,
                self.address,
            ),
            salutation: recipient.salutation.clone(),
            name: recipient
                .name
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            first_name,
            last_name,
            language: recipient.language.to_owned(),
            ..MessageData::default()
        };
        let Some(profile) = &recipient.profile else {
            return data;
        };
        data.customer_number = identifier(profile, IdentifierKind::CustomerNumber);
        data.segments = profile.fields.segments.clone();
        data.segment = data.segments.first().cloned().unwrap_or_default();
        data.lifetime_value = written::euros(profile.fields.lifetime_value_cents, english);
        if let Some((day, cents)) = last_purchase(profile, &self.newest, &self.zone) {
            data.last_order_date = written::day(day, english);
            data.last_order_amount = written::euros(cents, english);
        }
        data.open_requests = open_requests;
        data
    }
}

fn identifier(profile: &CustomerProfile, kind: IdentifierKind) -> String {
    profile
        .identifiers
        .iter()
        .find(|i| i.kind == kind)
        .map(|i| i.value.clone())
        .unwrap_or_default()
}

/// The references customer events name a profile's customer by: its customer numbers and
/// e-mail addresses.
pub(crate) fn event_refs(profile: &CustomerProfile) -> impl Iterator<Item = &String> {
    profile
        .identifiers
        .iter()
        .filter(|i| {
            matches!(
                i.kind,
                IdentifierKind::CustomerNumber | IdentifierKind::Email
            )
        })
        .map(|i| &i.value)
}

/// The newest of the purchases in `newest` (by reference) that name the profile: its day in
/// the organisation's time zone, and its amount in cents.
pub(crate) fn last_purchase(
    profile: &CustomerProfile,
    newest: &HashMap<String, (Timestamp, i64)>,
    zone: &TimeZone,
) -> Option<(jiff::civil::Date, i64)> {
    event_refs(profile)
        .filter_map(|r| newest.get(r))
        .max_by_key(|(at, _)| *at)
        .map(|(at, cents)| (at.to_zoned(zone.clone()).date(), *cents))
}
