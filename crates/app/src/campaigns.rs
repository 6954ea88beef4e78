//! Segments and campaigns: which customers a segment holds, and a campaign's template filled
//! for each of its consenting members, checked against the guideline and written to the
//! outbox with a link that ends such mails.

use jiff::Timestamp;
use std::collections::HashMap;
use touchpoints_core::campaign::CampaignFields;
use touchpoints_core::consistency::check::Content;
use touchpoints_core::consistency::{Checker, Finding};

use touchpoints_core::mail::{self, CampaignMail, MailSettings};
use touchpoints_core::message_template;
use touchpoints_core::segment::{CustomerFacts, SegmentFields, Selection};
use touchpoints_core::{Problem, Problems};
use touchpoints_store::{
    CampaignMailOut, CampaignSend, CustomerProfile, Store, StoredCampaign, StoredSegment,
    StoredTemplate,
};

use crate::recipient::{Recipient, first_email, language_of};
use crate::templates::{Filled, Known};
use crate::{AppError, Result, links};

/// How many members a segment's preview shows.
pub const SAMPLE: usize = 10;

/// Checks a segment (its channels against the catalog) and stores it (`id` None: a new one).
pub async fn save_segment(
    store: &dyn Store,
    id: Option<i64>,
    fields: &SegmentFields,
    actor: &str,
) -> Result<StoredSegment> {
    let fields = checked(store, fields).await?;
    Ok(store.put_segment(id, &fields, actor).await?)
}

/// The segment as stored, or its problems: those of the core, and a channel the catalog does
/// not know.
async fn checked(store: &dyn Store, fields: &SegmentFields) -> Result<SegmentFields> {
    let mut problems = match fields.validate() {
        Ok(_) => Problems::default(),
        Err(problems) => problems,
    };
    let catalog = store.catalog().await?;
    let keys: Vec<String> = catalog.channels.iter().map(|c| c.key.clone()).collect();
    for (i, channel) in fields.channels() {
        let channel = channel.trim();
        if !channel.is_empty() && !keys.iter().any(|k| k == channel) {
            problems.push(
                format!("rules[{i}].value"),
                Problem::Unknown {
                    value: channel.to_owned(),
                    allowed: keys.clone(),
                },
            );
        }
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    fields.validate().map_err(AppError::Invalid)
}

/// Who a segment holds at `now`, and how many of them a campaign would reach.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SegmentPreview {
    /// Every member.
    pub members: u64,
    /// Members with an e-mail address who consented to marketing mails: a campaign's
    /// recipients.
    pub reachable: u64,
    /// The first members, by id.
    pub sample: Vec<Member>,
}

/// A member of a segment as a preview names them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Member {
    pub id: i64,
    pub name: String,
}

/// Counts and a sample of the segment `fields` would hold at `now`, saved or not.
pub async fn preview(
    store: &dyn Store,
    fields: &SegmentFields,
    now: Timestamp,
) -> Result<SegmentPreview> {
    let fields = checked(store, fields).await?;
    let selection = fields.selection().map_err(AppError::Invalid)?;
    Ok(counted(&selection, &store.customer_facts().await?, now))
}

/// Counts of every stored segment at `now`, from one reading of the customers' facts: for a
/// list of segments.
pub async fn counts(
    store: &dyn Store,
    segments: &[StoredSegment],
    now: Timestamp,
) -> Result<Vec<SegmentPreview>> {
    let facts = store.customer_facts().await?;
    segments
        .iter()
        .map(|segment| {
            let selection = segment.fields.selection().map_err(AppError::Invalid)?;
            Ok(counted(&selection, &facts, now))
        })
        .collect()
}

fn counted(selection: &Selection, facts: &[CustomerFacts], now: Timestamp) -> SegmentPreview {
    let mut preview = SegmentPreview {
        members: 0,
        reachable: 0,
        sample: Vec::new(),
    };
    for c in facts.iter().filter(|c| selection.holds(c, now)) {
        preview.members += 1;
        preview.reachable += u64::from(c.reachable());
        if preview.sample.len() < SAMPLE {
            preview.sample.push(Member {
                id: c.id,
                name: c.fields.name.clone(),
            });
        }
    }
    preview
}

/// Checks and stores a new campaign, a draft.
pub async fn create(
    store: &dyn Store,
    fields: &CampaignFields,
    actor: &str,
) -> Result<StoredCampaign> {
    let fields = fields.validate().map_err(AppError::Invalid)?;
    Ok(store.create_campaign(&fields, actor).await?)
}

/// A campaign's message as one customer gets it, with what the guideline finds in it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Draft {
    /// The member it is filled for; `None` when the segment has no reachable member and
    /// every fallback shows.
    pub customer_id: Option<i64>,
    #[serde(flatten)]
    pub filled: Filled,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub findings: Vec<Finding>,
}

/// The campaign's template, its segment's reachable members at `now` (each with their open
/// requests) and what filling the template for them reads.
struct Plan {
    campaign: StoredCampaign,
    template: StoredTemplate,
    recipients: Vec<(CustomerProfile, u64)>,
    known: Known,
}

/// Whom a plan fills the template for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Whom {
    /// Every reachable member: a send.
    Everyone,
    /// The first reachable member alone: the preview and the test mail, which need no more
    /// profiles than that one.
    First,
}

/// The plan of campaign `id` at `now`, its segment's members found among `facts`, with the
/// segment's selection.
async fn plan(
    store: &dyn Store,
    id: i64,
    now: Timestamp,
    facts: &[CustomerFacts],
    whom: Whom,
) -> Result<(Plan, Selection)> {
    let campaign = store.campaign(id).await?;
    let template = store.message_template(campaign.fields.template_id).await?;
    let segment = store.segment(campaign.fields.segment_id).await?;
    let selection: Selection = segment.fields.selection().map_err(AppError::Invalid)?;
    let open: HashMap<i64, u64> = facts
        .iter()
        .filter(|c| c.reachable() && selection.holds(c, now))
        .map(|c| (c.id, c.open_requests))
        .collect();
    let ids: Vec<i64> = match whom {
        Whom::Everyone => open.keys().copied().collect(),
        Whom::First => open.keys().min().copied().into_iter().collect(),
    };
    let mut profiles = store.customers_by_id(&ids).await?;
    profiles.retain(|p| !first_email(p).is_empty());
    profiles.sort_by_key(|p| p.id);
    let known = Known::load(store, &profiles.iter().collect::<Vec<_>>()).await?;
    let recipients = profiles
        .into_iter()
        .map(|p| {
            let n = open.get(&p.id).copied().unwrap_or_default();
            (p, n)
        })
        .collect();
    let plan = Plan {
        campaign,
        template,
        recipients,
        known,
    };
    Ok((plan, selection))
}

/// The campaign's template compiled once, to be filled for one customer after another.
struct Compiled<'t> {
    subject: message_template::Compiled<'t>,
    body: message_template::Compiled<'t>,
}

/// A template's field compiled, or its problems named by the field.
fn compile_field<'t>(field: &str, source: &'t str) -> Result<message_template::Compiled<'t>> {
    message_template::compile(source).map_err(|problems| {
        let mut all = Problems::default();
        for p in problems {
            all.push(field, Problem::from(p));
        }
        AppError::Invalid(all)
    })
}

impl Plan {
    fn compile(&self) -> Result<Compiled<'_>> {
        Ok(Compiled {
            subject: compile_field("subject", &self.template.fields.subject)?,
            body: compile_field("body", &self.template.fields.body)?,
        })
    }

    /// The template filled for a member (or for a customer of whom nothing is known), in the
    /// template's language.
    fn fill(
        &self,
        compiled: &Compiled<'_>,
        member: Option<&(CustomerProfile, u64)>,
    ) -> Result<Filled> {
        let language = &self.template.fields.language;
        let recipient = match member {
            Some((p, _)) => Recipient::of_profile(p.clone(), language),
            None => Recipient::unknown(language),
        };
        let recipient = Recipient {
            language: language_of(language),
            ..recipient
        };
        let data = self
            .known
            .data(&recipient, member.map_or(0, |(_, open)| *open));
        let one = |field: &str, template: &message_template::Compiled<'_>| {
            template
                .render(&data)
                .map_err(|p| AppError::Invalid(Problems::single(field, Problem::from(p))))
        };
        Ok(Filled {
            subject: one("subject", &compiled.subject)?,
            body: one("body", &compiled.body)?,
        })
    }
}

/// What the guideline finds in a campaign's filled message.
async fn check(store: &dyn Store, filled: &Filled, now: Timestamp) -> Result<Vec<Finding>> {
    let guideline = store.guideline().await?;
    let today = crate::reports::today(&store.time_zone().await?, now);
    let checker = Checker::new(&guideline, today).map_err(|e| AppError::Internal(e.to_string()))?;
    let content = Content {
        source: "campaign".to_owned(),
        title: filled.subject.clone(),
        channel: Some("email".to_owned()),
        text: format!("{}\n\n{}", filled.subject, filled.body),
    };
    Ok(checker.check(std::slice::from_ref(&content)))
}

/// The campaign's message filled for its first reachable member at `now`, with the
/// guideline's findings.
pub async fn draft(store: &dyn Store, id: i64, now: Timestamp) -> Result<Draft> {
    let facts = store.customer_facts().await?;
    let (plan, _) = plan(store, id, now, &facts, Whom::First).await?;
    draft_of(store, &plan, now).await
}

/// [`draft`], and whom the campaign's segment holds at `now`: from one reading of the
/// customers' facts, for the campaign's page.
pub async fn draft_and_reach(
    store: &dyn Store,
    id: i64,
    now: Timestamp,
) -> Result<(Draft, SegmentPreview)> {
    let facts = store.customer_facts().await?;
    let (plan, selection) = plan(store, id, now, &facts, Whom::First).await?;
    let draft = draft_of(store, &plan, now).await?;
    Ok((draft, counted(&selection, &facts, now)))
}

async fn draft_of(store: &dyn Store, plan: &Plan, now: Timestamp) -> Result<Draft> {
    let first = plan.recipients.first();
    let filled = plan.fill(&plan.compile()?, first)?;
    let findings = check(store, &filled, now).await?;
    Ok(Draft {
        customer_id: first.map(|(p, _)| p.id),
        filled,
        findings,
    })
}

/// The base of the links in campaign mails: the public address from the mail settings.
/// With a mail server but no public address no campaign mail may go, since its unsubscribe
/// link would lead nowhere. Without a mail server the mails are held in the outbox and never
/// leave, and their links are written as paths.
fn public_url(settings: Option<&MailSettings>) -> Result<String> {
    match settings {
        None => Ok(String::new()),
        Some(settings) if !settings.public_url.is_empty() => Ok(settings.public_url.clone()),
        Some(_) => Err(AppError::Conflict(Problems::single(
            "public_url",
            Problem::rule(
                "no-public-url",
                "set the public address in the mail settings first: every campaign mail \
                 carries a link that ends such mails",
            ),
        ))),
    }
}

/// What every mail of one send shares: the compiled template, the links' base and key, the
/// sender's name.
struct Sending<'p> {
    plan: &'p Plan,
    compiled: Compiled<'p>,
    base: String,
    key: links::LinkKey,
    sender_name: String,
}

impl<'p> Sending<'p> {
    async fn new(store: &dyn Store, plan: &'p Plan) -> Result<Sending<'p>> {
        let settings = store.mail_settings().await?;
        Ok(Sending {
            base: public_url(settings.as_ref())?,
            key: links::survey_link_key(store).await?,
            sender_name: settings.map(|s| s.from_name).unwrap_or_default(),
            compiled: plan.compile()?,
            plan,
        })
    }

    /// One customer's mail of the campaign, to `recipient`.
    fn mail(
        &self,
        member: Option<&(CustomerProfile, u64)>,
        recipient: &str,
    ) -> Result<CampaignMailOut> {
        let filled = self.plan.fill(&self.compiled, member)?;
        let customer_id = member.map_or(0, |(p, _)| p.id);
        let unsubscribe = format!(
            "{}{}",
            self.base,
            links::unsubscribe_path(&self.key, self.plan.campaign.id, customer_id)
        );
        let composed = mail::compose_campaign(&CampaignMail {
            subject: &filled.subject,
            body: &filled.body,
            language: &self.plan.template.fields.language,
            sender_name: &self.sender_name,
            unsubscribe: &unsubscribe,
        });
        Ok(CampaignMailOut {
            customer_id,
            recipient: recipient.to_owned(),
            composed,
            unsubscribe,
        })
    }
}

/// Sends the campaign to its segment's reachable members at `now`: each gets it once, at the
/// campaign's pace through the outbox.
pub async fn send(store: &dyn Store, id: i64, actor: &str, now: Timestamp) -> Result<CampaignSend> {
    let facts = store.customer_facts().await?;
    let (plan, _) = plan(store, id, now, &facts, Whom::Everyone).await?;
    let sending = Sending::new(store, &plan).await?;
    let mails = plan
        .recipients
        .iter()
        .map(|member| sending.mail(Some(member), first_email(&member.0)))
        .collect::<Result<Vec<_>>>()?;
    Ok(store.send_campaign(id, &mails, actor, now).await?)
}

/// Sends the campaign's message, filled for its first reachable member, to `to` alone: to see
/// it in a mail client before the customers do. Its unsubscribe link ends nobody's mails.
pub async fn test(store: &dyn Store, id: i64, to: &str, actor: &str, now: Timestamp) -> Result<()> {
    let to = mail::address(to).map_err(|p| AppError::Invalid(Problems::single("to", p)))?;
    let facts = store.customer_facts().await?;
    let (plan, _) = plan(store, id, now, &facts, Whom::First).await?;
    let sending = Sending::new(store, &plan).await?;
    let mail = CampaignMailOut {
        customer_id: 0,
        ..sending.mail(plan.recipients.first(), &to)?
    };
    Ok(store.test_campaign(id, &mail, actor, now).await?)
}

/// What an unsubscribe link did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsubscribed {
    /// Consent withdrawn now.
    Now,
    /// It was withdrawn before (or the link was a test's).
    Already,
}

/// Withdraws the consent to marketing mails of the customer an unsubscribe link names; a
/// link that is not the product's is not found.
pub async fn unsubscribe(
    store: &dyn Store,
    campaign_id: i64,
    customer_id: i64,
    sig: &str,
) -> Result<Unsubscribed> {
    let key = links::survey_link_key(store).await?;
    if !links::verify_unsubscribe(&key, campaign_id, customer_id, sig) {
        return Err(AppError::NotFound { entity: "link" });
    }
    // A test mail's link names no customer.
    if customer_id == 0 {
        return Ok(Unsubscribed::Already);
    }
    match store.unsubscribe(customer_id, campaign_id).await {
        Ok(true) => Ok(Unsubscribed::Now),
        Ok(false) | Err(touchpoints_store::StoreError::NotFound { .. }) => {
            Ok(Unsubscribed::Already)
        }
        Err(e) => Err(e.into()),
    }
}
