//! `touchpoints demo`: loads the demo company of the core into the store in one transaction,
//! then surveys at its touchpoints with a history of answers and customer events, and an
//! action plan dated around today whose finished actions the answers prove or refute; with
//! `--scale`, millions of made-up rows on top, streamed in batches.

use std::collections::{BTreeMap, HashMap};
use std::io::IsTerminal;
use std::time::Instant;

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressStyle};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};
use touchpoints_core::action_plan::programme::TaskKey;
use touchpoints_core::action_plan::{
    ActionInput, ActionKind, ActionStatus, Budget, StatusChangeInput, Target, TargetMetric,
};
use touchpoints_core::campaign::CampaignFields;
use touchpoints_core::catalog::default_phases;
use touchpoints_core::consistency::Guideline;
use touchpoints_core::consistency::library::ContentFields;
use touchpoints_core::consistency::text::{TextFormat, plain_text};
use touchpoints_core::kpi::{Metric, local_day};
use touchpoints_core::message_template::TemplateFields;
use touchpoints_core::sample::{self, SampleSpec, SampleTouchpoint, SplitMix64};
use touchpoints_core::segment::{Combine, SegmentFields, SegmentRule};
use touchpoints_core::standards::Measure;
use touchpoints_core::survey::{ResponseFields, SurveyInput};
use touchpoints_core::{
    Catalog, Kind, Status, Touchpoint, TouchpointFields, TouchpointFilter, demo,
};
use touchpoints_store::{
    Example, Import, InteractionInput, StandardFields, Store, StoreError, StoryFields,
};

pub async fn load(store: &dyn Store, force: bool) -> anyhow::Result<()> {
    let existing = store.list_touchpoints(&TouchpointFilter::default()).await?;
    if !existing.is_empty() && !force {
        if force_needed(&existing) {
            bail!(
                "the inventory already holds {} touchpoints; use --force to add the demo company anyway",
                existing.len()
            );
        }
        println!("demo data already loaded ({} touchpoints)", existing.len());
        load_templates(store).await?;
        load_chat(store).await?;
        load_surveys(store).await?;
        load_actions(store).await?;
        load_campaign(store).await?;
        return load_programme(store).await;
    }
    let company = demo::company();
    let catalog = Catalog {
        channels: company.channels.clone(),
        phases: company.phases.clone(),
    };
    let touchpoints = company
        .touchpoints
        .iter()
        .map(|input| input.validate(&catalog))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|p| anyhow::anyhow!("demo data is invalid: {p}"))?;
    let import = Import {
        channels: company.channels,
        phases: company.phases,
        touchpoints,
    };
    let summary = store
        .import(&import, "demo")
        .await
        .context("cannot load the demo company")?;
    // The demo files touchpoints under finer phases; the three default phases would only
    // add empty columns to its journey map.
    for phase in default_phases() {
        match store.delete_phase(&phase.key, "demo").await {
            Ok(()) | Err(StoreError::Conflict(_) | StoreError::NotFound { .. }) => {}
            Err(e) => return Err(e.into()),
        }
    }
    println!(
        "demo company \"{}\" loaded: {} touchpoints created, {} updated",
        company.name, summary.created, summary.updated
    );
    // Its name on the survey pages, unless an admin has set one.
    let mut branding = store.branding().await?;
    if branding.company_name.is_none() {
        branding.company_name = Some(company.name.to_owned());
        store.set_branding(&branding, "demo").await?;
    }
    load_library(store).await?;
    load_templates(store).await?;
    load_standards(store).await?;
    let findings =
        touchpoints_app::analysis::check_weaknesses(store, "demo", Timestamp::now()).await?;
    println!("as-is analysis: {} documented weaknesses", findings.len());
    load_requests(store).await?;
    load_chat(store).await?;
    load_surveys(store).await?;
    load_actions(store).await?;
    load_campaign(store).await?;
    load_programme(store).await
}

/// The website the demo's chat widget is allowed on, besides the server's own demo page.
const CHAT_WEBSITE: &str = "https://www.nordlicht-wohnen.de";

/// The live chat's widget, on for the demo company's website, and one conversation in which
/// the bot answered twice before the customer asked for a person: it waits in the queue.
async fn load_chat(store: &dyn Store) -> anyhow::Result<()> {
    use touchpoints_app::chat;
    if !store.chat_widgets().await?.is_empty() {
        return Ok(());
    }
    let touchpoints = store.list_touchpoints(&TouchpointFilter::default()).await?;
    let Some(live_chat) = touchpoints
        .iter()
        .find(|t| t.fields.name == "Live-Chat im Onlineshop")
    else {
        return Ok(());
    };
    chat::save_widget(
        store,
        live_chat.id,
        &[CHAT_WEBSITE.to_owned()],
        true,
        "demo",
    )
    .await
    .map_err(|e| anyhow::anyhow!("cannot set up the demo chat: {e}"))?;
    let now = Timestamp::now();
    let fail = |e: touchpoints_app::AppError| anyhow::anyhow!("cannot load the demo chat: {e}");
    let opened = chat::open(store, live_chat.id, chat::Origin::Own, "de", now)
        .await
        .map_err(fail)?;
    let bot = chat::ChatBot::default();
    for question in [
        "Wie lange habe ich Zeit für eine Rückgabe?",
        "Holt ihr das Sofa auch wieder ab, wenn es nicht passt?",
    ] {
        chat::ask(store, &bot, &opened.conversation, question, now)
            .await
            .map_err(fail)?;
    }
    let contact = chat::Contact {
        name: Some("Jana Krüger".into()),
        email: Some("jana.krueger@example.de".into()),
        ..chat::Contact::default()
    };
    chat::hand_over(store, &opened.conversation, &contact, now)
        .await
        .map_err(fail)?;
    println!("live chat on for {CHAT_WEBSITE}; one chat waits for a person");
    Ok(())
}

/// (minutes ago, channel, name, e-mail, phone, subject, text): open requests for the queue, two
/// of them from one person by e-mail and later by phone, so they meet in one profile.
const REQUESTS: [(i64, &str, &str, &str, &str, &str, &str); 8] = [
    (
        2 * 24 * 60,
        "email",
        "Anna Schulz",
        "anna.schulz@example.de",
        "",
        "Wo bleibt mein Sofa?",
        "Guten Tag, mein Sofa (Bestellung 48213) sollte letzte Woche kommen. Bitte melden Sie sich.",
    ),
    (
        50,
        "phone",
        "Anna Schulz",
        "anna.schulz@example.de",
        "0171 1234567",
        "Rückruf: Lieferung Sofa",
        "Kundin ruft zum wiederholten Mal an, ist verärgert: Liefertermin schon wieder verschoben.",
    ),
    (
        35,
        "chat",
        "Jonas Becker",
        "jonas.becker@example.de",
        "",
        "Gutschein einlösen",
        "Hallo, wie löse ich meinen Geschenkgutschein im Onlineshop ein? Keine Eile.",
    ),
    (
        6 * 60,
        "email",
        "Petra Wagner",
        "p.wagner@example.de",
        "",
        "Reklamation Esstisch",
        "Die Tischplatte hat einen Riss. Das ist inakzeptabel, ich erwarte dringend eine Lösung.",
    ),
    (
        20 * 60,
        "letter",
        "Horst Neumann",
        "",
        "040 5551234",
        "Kündigung Kundenkarte",
        "Hiermit kündige ich meine Kundenkarte Nordlicht Plus zum Monatsende.",
    ),
    (
        90,
        "social-media",
        "Lea Hoffmann",
        "lea.hoffmann@example.de",
        "",
        "Frage zu Öffnungszeiten",
        "Habt ihr am Samstag in Hamburg-Altona länger geöffnet?",
    ),
    (
        3 * 60,
        "website",
        "Murat Yilmaz",
        "murat.yilmaz@example.de",
        "",
        "Montagetermin",
        "Ich brauche einen neuen Termin für die Küchenmontage, nicht dringend.",
    ),
    (
        15,
        "phone",
        "Sabine Krüger",
        "",
        "+49 30 9876543",
        "Falsche Rechnung",
        "Die Rechnung ist doppelt abgebucht worden. Bitte sofort korrigieren.",
    ),
];

/// What Nordlicht knows of some of the customers who wrote: (name, salutation, customer
/// number, segment, lifetime value in cents, last purchase: days ago and cents). Templates
/// fill replies with it.
const PROFILES: [(&str, &str, &str, &str, i64, i64, i64); 4] = [
    (
        "Anna Schulz",
        "Frau",
        "KD-48213",
        "premium",
        348_900,
        12,
        189_900,
    ),
    (
        "Petra Wagner",
        "Frau",
        "KD-20417",
        "stammkunde",
        124_950,
        9,
        64_900,
    ),
    (
        "Murat Yilmaz",
        "Herr",
        "KD-31877",
        "premium",
        612_000,
        20,
        420_000,
    ),
    ("Jonas Becker", "", "", "", 0, 0, 0),
];

/// (channel, first response, resolution in minutes, around the clock): the demo company's
/// response-time targets, chat answered day and night.
const SLA_POLICIES: [(&str, i64, i64, bool); 8] = [
    ("email", 8 * 60, 3 * 8 * 60, false),
    ("phone", 60, 8 * 60, false),
    ("chat", 15, 4 * 60, true),
    ("social-media", 4 * 60, 2 * 8 * 60, false),
    ("website", 8 * 60, 3 * 8 * 60, false),
    ("letter", 2 * 8 * 60, 5 * 8 * 60, false),
    ("store", 4 * 60, 2 * 8 * 60, false),
    ("field-service", 4 * 60, 3 * 8 * 60, false),
];

async fn load_requests(store: &dyn Store) -> anyhow::Result<()> {
    let catalog = store.catalog().await?;
    for (channel, first, resolution, around_the_clock) in SLA_POLICIES {
        let policy = touchpoints_core::queue::SlaPolicy {
            channel: channel.to_owned(),
            priority: touchpoints_core::request::Priority::Normal,
            first_response_minutes: first,
            resolution_minutes: resolution,
            around_the_clock,
        }
        .validate(&catalog)
        .map_err(|p| anyhow::anyhow!("demo response-time target for {channel} is invalid: {p}"))?;
        store.put_sla_policy(&policy, "demo").await?;
    }
    let now = Timestamp::now();
    let mut requests = Vec::with_capacity(REQUESTS.len());
    for (i, (minutes_ago, channel, name, email, phone, subject, body)) in
        REQUESTS.iter().enumerate()
    {
        let optional = |text: &str| (!text.is_empty()).then(|| text.to_owned());
        let input = touchpoints_core::request::RequestInput {
            channel: (*channel).to_owned(),
            customer: touchpoints_core::request::RequestCustomer {
                name: Some((*name).to_owned()),
                email: optional(email),
                phone: optional(phone),
                customer_number: PROFILES
                    .iter()
                    .find(|p| p.0 == *name)
                    .and_then(|p| optional(p.2)),
                ..Default::default()
            },
            subject: (*subject).to_owned(),
            body: (*body).to_owned(),
            received_at: Some(now - SignedDuration::from_mins(*minutes_ago)),
            language: Some("de".to_owned()),
            external_id: Some(format!("demo-request-{}", i + 1)),
            ..Default::default()
        };
        requests.push(
            input
                .validate(&catalog, now)
                .map_err(|p| anyhow::anyhow!("demo request {} is invalid: {p}", i + 1))?,
        );
    }
    let stored = store
        .intake(&requests, "demo")
        .await
        .context("cannot load the demo requests")?;
    println!("{} open customer requests in the queue", requests.len());
    load_profiles(store, &stored, now).await?;
    // A first answer to the complaint by e-mail: without a mail server it waits in the
    // outbox, marked as not sent. With one, the demo writes none, as it would go out.
    if store.mail_settings().await?.is_some() {
        return Ok(());
    }
    let complaint = REQUESTS
        .iter()
        .position(|r| r.5 == "Reklamation Esstisch")
        .and_then(|i| stored.get(i))
        .context("the demo complaint is missing")?;
    // Confirmed, so that no finding of the demo guideline can stop the demo from loading.
    touchpoints_app::replies::reply(store, complaint.id, COMPLAINT_REPLY, true, "demo", now)
        .await
        .map_err(|e| anyhow::anyhow!("cannot answer the demo complaint: {e}"))?;
    Ok(())
}

/// Salutations, segments, lifetime values and last purchases of [`PROFILES`], on the
/// profiles the demo requests made.
async fn load_profiles(
    store: &dyn Store,
    stored: &[touchpoints_store::IntakeOutcome],
    now: Timestamp,
) -> anyhow::Result<()> {
    let mut purchases = Vec::new();
    for (name, salutation, number, segment, lifetime, days_ago, cents) in PROFILES {
        // The outcomes stand in the order of REQUESTS.
        let Some(id) = REQUESTS
            .iter()
            .zip(stored)
            .find(|(r, _)| r.2 == name)
            .and_then(|(_, o)| o.customer_id)
        else {
            continue;
        };
        let mut fields = store.customer(id).await?.fields;
        fields.salutation = salutation.into();
        fields.language = "de".into();
        fields.segments = [segment]
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| (*s).to_owned())
            .collect();
        fields.lifetime_value_cents = lifetime;
        // Anna agreed to marketing mails; the other premium customer did not, so the demo's
        // campaign shows that consent decides.
        fields.consent.email_marketing = name == "Anna Schulz";
        store.update_customer(id, &fields, "demo").await?;
        if !number.is_empty() {
            purchases.push(touchpoints_core::survey::CustomerEventFields {
                customer_ref: number.into(),
                kind: touchpoints_core::kpi::CustomerEventKind::Purchase,
                at: now - SignedDuration::from_hours(24 * days_ago),
                amount_cents: cents,
                external_id: Some(format!("demo-purchase-{number}")),
            });
        }
    }
    store.record_customer_events(&purchases, "demo").await?;
    Ok(())
}

const COMPLAINT_REPLY: &str = "Sehr geehrte Frau Wagner,\n\n\
    es tut uns leid, dass Ihr Esstisch beschädigt angekommen ist. Wir tauschen die Tischplatte \
    kostenlos aus und melden uns bis morgen Mittag mit einem Liefertermin.\n\n\
    Freundliche Grüße\nIhr Nordlicht Kundenservice";

/// Nordlicht's reply templates, filled with the customer's data: (name, language, text).
const TEMPLATES: [(&str, &str, &str); 4] = [
    (
        "Bestellbestätigung",
        "de",
        "{{ greeting }},\n\nvielen Dank für Ihre Bestellung vom {{ last_order_date or \"heutigen Tag\" }}\
         {% if last_order_amount %} über {{ last_order_amount }}{% endif %}. Wir melden uns, \
         sobald sie unterwegs ist.{% if customer_number %} Ihre Kundennummer für Rückfragen: \
         {{ customer_number }}.{% endif %}\n\nFreundliche Grüße\n{{ agent or \"Ihr Nordlicht \
         Kundenservice\" }}",
    ),
    (
        "Lieferverzögerung",
        "de",
        "{{ greeting }},\n\nIhre Bestellung{% if last_order_date %} vom {{ last_order_date }}\
         {% endif %} verzögert sich leider um einige Tage. Wir nennen Ihnen den neuen \
         Liefertermin, sobald unser Lager ihn bestätigt.{% if \"premium\" in segments %} Als \
         Premiumkundin oder Premiumkunde liefern wir Ihnen kostenlos.{% endif %}\n\n\
         Freundliche Grüße\n{{ agent or \"Ihr Nordlicht Kundenservice\" }}",
    ),
    (
        "Antwort auf Reklamation",
        "de",
        "{{ greeting }},\n\nes tut uns leid, dass mit Ihrer Lieferung etwas nicht stimmt. Wir \
         kümmern uns um Ihre Anfrage {{ request_number }} „{{ subject }}“ und melden uns bis \
         morgen Mittag mit einem Vorschlag.{% if open_requests > 1 %} Ihre anderen offenen \
         Anliegen ({{ open_requests - 1 }}) behalten wir im Blick.{% endif %}\n\n\
         Freundliche Grüße\n{{ agent or \"Ihr Nordlicht Kundenservice\" }}",
    ),
    (
        "Lieferverzögerung",
        "en",
        "{{ greeting }},\n\nunfortunately your order{% if last_order_date %} of \
         {{ last_order_date }}{% endif %} is delayed by a few days. We will tell you the new \
         delivery date as soon as our warehouse confirms it.\n\nKind regards\n\
         {{ agent or \"Your Nordlicht customer service\" }}",
    ),
];

/// The premium customers who agreed to marketing mails, and a campaign to them, sent: its
/// mail waits in the outbox, labelled as not sent, until a mail server is set up.
async fn load_campaign(store: &dyn Store) -> anyhow::Result<()> {
    if !store.segments().await?.is_empty() {
        return Ok(());
    }
    let rule = |field: &str, op: &str, value: &str| SegmentRule {
        field: field.into(),
        op: op.into(),
        value: value.into(),
    };
    let segment = SegmentFields {
        name: "Premium mit Einwilligung".into(),
        combine: Combine::All,
        rules: vec![
            rule("segment", "has", "premium"),
            rule("consent", "given", "email_marketing"),
        ],
    };
    let segment = touchpoints_app::campaigns::save_segment(store, None, &segment, "demo")
        .await
        .map_err(|e| anyhow::anyhow!("the demo segment is invalid: {e}"))?;
    let template = TemplateFields {
        name: "Frühjahrskollektion".into(),
        language: "de".into(),
        subject: "Ihre Vorschau auf unsere Frühjahrskollektion".into(),
        body: "{{ greeting }},\n\nals {% if \"premium\" in segments %}Premiumkundin oder \
               Premiumkunde{% else %}Stammkundin oder Stammkunde{% endif %} sehen Sie unsere \
               Frühjahrskollektion eine Woche vor allen anderen.{% if last_order_date %} Passend \
               zu Ihrem Einkauf vom {{ last_order_date }} haben wir einige Stücke für Sie \
               vorgemerkt.{% endif %}\n\nHerzliche Grüße\nIhr Nordlicht-Team"
            .into(),
    };
    let template = touchpoints_app::templates::save(store, None, &template, "demo")
        .await
        .map_err(|e| anyhow::anyhow!("the demo campaign's template is invalid: {e}"))?;
    let fields = CampaignFields {
        name: "Frühjahrskollektion für Premiumkunden".into(),
        segment_id: segment.id,
        template_id: template.id,
        per_minute: touchpoints_core::campaign::PER_MINUTE_DEFAULT,
    };
    let campaign = touchpoints_app::campaigns::create(store, &fields, "demo").await?;
    let sent =
        touchpoints_app::campaigns::send(store, campaign.id, "demo", Timestamp::now()).await?;
    println!(
        "a segment and a campaign: {} mail in the outbox, held until a mail server is set up",
        sent.queued
    );
    Ok(())
}

async fn load_templates(store: &dyn Store) -> anyhow::Result<()> {
    if !store.message_templates().await?.is_empty() {
        return Ok(());
    }
    for (name, language, body) in TEMPLATES {
        let fields = TemplateFields {
            name: name.into(),
            language: language.into(),
            subject: String::new(),
            body: body.into(),
        };
        touchpoints_app::templates::save(store, None, &fields, "demo")
            .await
            .map_err(|e| anyhow::anyhow!("demo template {name} is invalid: {e}"))?;
    }
    println!("{} reply templates", TEMPLATES.len());
    Ok(())
}

/// The demo company's communication guideline and published texts: the same files as in
/// `examples/nordlicht`, where the newsletter contradicts the website FAQ.
const GUIDELINE: &str = include_str!("../../../examples/nordlicht/guideline.yaml");
/// A published text of the demo: title, channel, touchpoint, language, format, address, source.
type DemoText = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    TextFormat,
    &'static str,
    &'static str,
);
const TEXTS: [DemoText; 4] = [
    (
        "Hilfe & FAQ",
        "website",
        "Hilfe-Center und FAQ",
        "de",
        TextFormat::Html,
        "https://www.nordlicht-wohnen.de/hilfe",
        include_str!("../../../examples/nordlicht/content/website/faq.html"),
    ),
    (
        "Help & FAQ",
        "website",
        "Hilfe-Center und FAQ",
        "en",
        TextFormat::Html,
        "https://www.nordlicht-wohnen.de/en/help",
        include_str!("../../../examples/nordlicht/content/website/faq-en.html"),
    ),
    (
        "Newsletter November 2026",
        "newsletter",
        "Wöchentlicher Newsletter",
        "de",
        TextFormat::Markdown,
        "",
        include_str!("../../../examples/nordlicht/content/newsletter/2026-11.md"),
    ),
    (
        "Chatbot Nora: Antworten",
        "chatbot",
        "Chatbot",
        "de",
        TextFormat::Plain,
        "",
        include_str!("../../../examples/nordlicht/content/chatbot/answers.txt"),
    ),
];

async fn load_library(store: &dyn Store) -> anyhow::Result<()> {
    if !store.guideline().await?.facts.is_empty() || !store.contents().await?.is_empty() {
        return Ok(());
    }
    let guideline = Guideline::from_yaml(GUIDELINE)
        .map_err(|p| anyhow::anyhow!("the demo guideline is invalid: {p}"))?;
    store.put_guideline(&guideline, "demo").await?;
    let touchpoints = store.list_touchpoints(&TouchpointFilter::default()).await?;
    for (title, channel, touchpoint, language, format, url, source) in TEXTS {
        let touchpoint_id = touchpoints
            .iter()
            .find(|t| t.fields.name.starts_with(touchpoint))
            .map(|t| t.id);
        let fields = ContentFields {
            title: title.into(),
            channel: Some(channel.into()),
            touchpoint_id,
            url: url.into(),
            language: language.into(),
            body: plain_text(format, source),
            valid_from: None,
            valid_until: None,
        };
        store.put_content(None, &fields, "demo").await?;
    }
    println!("communication guideline and {} texts loaded", TEXTS.len());
    Ok(())
}

/// The demo company's service standards, stories told about them, and customer requests of
/// the last ten days to judge them by: one e-mail does not address the customer by name, one
/// was answered late, and the hotline once said "leider nicht möglich".
async fn load_standards(store: &dyn Store) -> anyhow::Result<()> {
    if !store.standards().await?.is_empty() {
        return Ok(());
    }
    let touchpoints = store.list_touchpoints(&TouchpointFilter::default()).await?;
    let find = |name: &str| {
        touchpoints
            .iter()
            .find(|t| t.fields.name == name)
            .map(|t| t.id)
    };
    let mail = find("Service-E-Mail und Kontaktformular");
    let hotline = find("Kundenhotline");
    let chat = find("Live-Chat im Onlineshop");
    let standard =
        |title: &str, text: &str, mandatory, touchpoint_id, channel: Option<&str>, measure| {
            StandardFields {
                title: title.into(),
                text: text.into(),
                mandatory,
                touchpoint_id,
                channel: channel.map(str::to_owned),
                measure,
            }
        };
    let mut ids = Vec::new();
    for fields in [
        standard(
            "Kunden mit Namen ansprechen",
            "Jede E-Mail beginnt mit dem Namen der Kundin oder des Kunden – nie mit „Sehr geehrte Damen und Herren“.",
            true,
            None,
            Some("email"),
            Some(Measure::AddressedByName),
        ),
        standard(
            "Erste Antwort innerhalb von 4 Stunden",
            "Auf jede Service-E-Mail antworten wir binnen 4 Stunden, wenigstens mit einer persönlichen Eingangsbestätigung.",
            true,
            mail,
            None,
            Some(Measure::FirstResponseWithin { hours: 4 }),
        ),
        standard(
            "Keine Floskel „leider nicht möglich“",
            "Wir sagen, was geht, statt was nicht geht: eine Alternative anbieten.",
            true,
            None,
            None,
            Some(Measure::PhrasesAbsent {
                phrases: vec!["leider nicht möglich".into()],
            }),
        ),
        standard(
            "Rückruf anbieten",
            "Lässt sich ein Anliegen am Telefon nicht gleich lösen, bieten wir einen Rückruf zu einer Wunschzeit an.",
            false,
            hotline,
            None,
            None,
        ),
    ] {
        ids.push(store.create_standard(&fields, "demo").await?.id);
    }
    let stories = [
        (
            mail,
            "„Sehr geehrte Damen und Herren“ an eine Stammkundin",
            "Frau Becker kauft seit zehn Jahren bei uns und bekam auf ihre Reklamation eine Antwort ohne ihren Namen. Sie hat sich im Chat darüber beschwert.",
            Example::Bad,
            Some(ids[0]),
        ),
        (
            hotline,
            "Rückruf am selben Abend",
            "Herr Wagner erreichte uns kurz vor Feierabend; die Kollegin bot einen Rückruf um 19 Uhr an und klärte die Lieferung. Er hat uns bei Google fünf Sterne gegeben.",
            Example::Good,
            Some(ids[3]),
        ),
        (
            chat,
            "Alternative statt Absage",
            "Der Wunschtermin für die Montage war belegt; statt abzusagen, bot der Chat zwei andere Termine und die Abholung an.",
            Example::Good,
            Some(ids[2]),
        ),
    ];
    for (touchpoint, title, text, example, standard_id) in stories {
        let Some(touchpoint_id) = touchpoint else {
            continue;
        };
        let fields = StoryFields {
            touchpoint_id,
            title: title.into(),
            text: text.into(),
            example,
            standard_id,
        };
        store.create_story(&fields, "demo").await?;
    }
    let now = Timestamp::now();
    // (days ago, hour offset, channel, touchpoint, customer, minutes to the first reply,
    // hours to the resolution, reply)
    type Recorded<'a> = (
        i64,
        &'a str,
        Option<i64>,
        &'a str,
        i64,
        Option<i64>,
        &'a str,
    );
    let recorded: [Recorded; 12] = [
        (
            9,
            "email",
            mail,
            "Anna Becker",
            95,
            Some(20),
            "Sehr geehrte Frau Becker,\nvielen Dank für Ihre Nachricht. Der Ersatzbezug ist unterwegs.\nIhr Nordlicht-Team",
        ),
        (
            8,
            "phone",
            hotline,
            "Thomas Wagner",
            2,
            Some(1),
            "Guten Tag Herr Wagner, ich schaue gleich nach Ihrer Lieferung.",
        ),
        (
            8,
            "email",
            mail,
            "Jana Schulz",
            130,
            Some(30),
            "Hallo Frau Schulz,\ngern tauschen wir den Stoff. Ein Muster ist unterwegs.",
        ),
        (
            7,
            "chat",
            chat,
            "Mehmet Yilmaz",
            1,
            Some(1),
            "Hallo Herr Yilmaz, der Termin am Donnerstag ist belegt – passt Ihnen Freitag oder Samstag?",
        ),
        (
            6,
            "email",
            mail,
            "Petra Hoffmann",
            380,
            Some(50),
            "Sehr geehrte Frau Hoffmann,\nentschuldigen Sie die späte Antwort. Die Rechnung ist korrigiert.",
        ),
        (
            5,
            "phone",
            hotline,
            "Klaus Richter",
            3,
            Some(4),
            "Herr Richter, eine Lieferung am Sonntag ist leider nicht möglich, aber wir können Samstag früh kommen.",
        ),
        (
            4,
            "email",
            mail,
            "Sabine König",
            45,
            Some(26),
            "Liebe Frau König,\nIhre Rücksendung ist angekommen, das Geld ist angewiesen.",
        ),
        (
            3,
            "chat",
            chat,
            "Lukas Neumann",
            2,
            Some(1),
            "Hallo Lukas, das Sofa gibt es auch in Grau – hier der Link.",
        ),
        (
            2,
            "email",
            mail,
            "Anna Becker",
            70,
            None,
            "Sehr geehrte Damen und Herren,\nvielen Dank für Ihre Anfrage. Wir melden uns in Kürze.",
        ),
        (
            2,
            "phone",
            hotline,
            "Monika Braun",
            1,
            Some(2),
            "Frau Braun, ich rufe Sie heute um 18 Uhr zurück, dann weiß ich mehr.",
        ),
        (
            1,
            "email",
            mail,
            "Stefan Krüger",
            150,
            None,
            "Guten Tag Herr Krüger,\nder Monteur kommt am Dienstag zwischen 8 und 12 Uhr.",
        ),
        (
            0,
            "chat",
            chat,
            "Eva Schmitt",
            1,
            None,
            "Hallo Frau Schmitt, ich kläre das mit dem Lager und melde mich gleich.",
        ),
    ];
    let minutes = |m: i64| SignedDuration::from_mins(m);
    let mut interactions = Vec::new();
    for (n, (days, channel, touchpoint_id, customer, reply_after, resolved_after, reply)) in
        recorded.into_iter().enumerate()
    {
        let received_at =
            now.checked_sub(minutes(days * 24 * 60 + 3 * 60 + i64::try_from(n)? * 17))?;
        interactions.push(InteractionInput {
            external_id: Some(format!("DEMO-{:03}", n + 1)),
            touchpoint_id,
            channel: channel.into(),
            customer_name: Some(customer.into()),
            received_at,
            first_response_at: Some(received_at.checked_add(minutes(reply_after))?),
            resolved_at: resolved_after
                .map(|h| received_at.checked_add(minutes(h * 60)))
                .transpose()?,
            reply: reply.into(),
        });
    }
    store.record_interactions(&interactions, "demo").await?;
    println!(
        "{} service standards, {} stories and {} recorded interactions loaded",
        ids.len(),
        stories.len(),
        interactions.len()
    );
    Ok(())
}

/// Whether the inventory holds touchpoints other than the demo's, which a demo load would mix
/// with invented data.
fn force_needed(existing: &[Touchpoint]) -> bool {
    let demo_names: std::collections::HashSet<String> = demo::company()
        .touchpoints
        .iter()
        .map(|t| touchpoints_core::touchpoint::name_key(&t.name))
        .collect();
    existing
        .iter()
        .any(|t| !demo_names.contains(&t.fields.name_key()))
}

/// The demo's history: enough answers and customer events for every dashboard to show
/// trends and differences, few enough to load in seconds.
const HISTORY_ANSWERS: usize = 20_000;
const HISTORY_EVENTS: usize = 5_000;
/// About 18 months.
const HISTORY_DAYS: i64 = 548;
/// `demo --scale` spreads its rows over two years.
const SCALE_DAYS: i64 = 730;
/// Rows per store call: large enough to be fast, small enough to keep memory flat.
const BATCH: usize = 10_000;
const HISTORY_SEED: u64 = 20_261_123;
const SCALE_SEED: u64 = 0x5CA1E;

/// The metric a demo touchpoint is surveyed with: effort where customers serve themselves
/// (digital touchpoints from the purchase on), satisfaction with service encounters, and
/// the recommendation question where the relationship is built (awareness, consideration,
/// loyalty).
fn demo_metric(fields: &TouchpointFields) -> Metric {
    let transactional = matches!(fields.phase.as_str(), "purchase" | "delivery" | "service");
    match (transactional, fields.kind) {
        (true, Kind::Digital) => Metric::Ces,
        (true, _) => Metric::Csat,
        (false, _) => Metric::Nps,
    }
}

/// One survey per demo touchpoint that is or was in use, and their history of answers and
/// customer events. Does nothing once surveys exist.
async fn load_surveys(store: &dyn Store) -> anyhow::Result<()> {
    if !store.surveys().await?.is_empty() {
        return Ok(());
    }
    let touchpoints = store.list_touchpoints(&TouchpointFilter::default()).await?;
    let mut created = 0;
    for t in touchpoints
        .iter()
        .filter(|t| t.fields.status != Status::Planned)
    {
        let fields = SurveyInput {
            touchpoint_id: t.id,
            metric: demo_metric(&t.fields).as_str().into(),
            active: Some(t.fields.status == Status::Active),
            ..SurveyInput::default()
        }
        .validate()
        .map_err(|p| anyhow::anyhow!("demo survey is invalid: {p}"))?;
        touchpoints_app::surveys::create_survey(store, &fields, "demo")
            .await
            .context("cannot create the demo surveys")?;
        created += 1;
    }
    println!("{created} surveys created");
    let until = now_in_seconds()?;
    let spec = SampleSpec {
        seed: HISTORY_SEED,
        from: until - SignedDuration::from_hours(24 * HISTORY_DAYS),
        until,
        answers: HISTORY_ANSWERS,
        events: HISTORY_EVENTS,
    };
    record_sample(store, &spec).await
}

/// `demo --scale N`: N answers and N customer events over the last two years, on top of the
/// demo company (loaded first if missing).
pub async fn scale(store: &dyn Store, rows: usize, force: bool) -> anyhow::Result<()> {
    load(store, force).await?;
    let until = now_in_seconds()?;
    let spec = SampleSpec {
        seed: SCALE_SEED ^ rows as u64,
        from: until - SignedDuration::from_hours(24 * SCALE_DAYS),
        until,
        answers: rows,
        events: rows,
    };
    record_sample(store, &spec).await
}

fn now_in_seconds() -> anyhow::Result<Timestamp> {
    Ok(Timestamp::from_second(Timestamp::now().as_second())?)
}

/// Streams made-up answers for every survey and customer events into the store, a batch at a
/// time, with a progress bar on a terminal.
async fn record_sample(store: &dyn Store, spec: &SampleSpec) -> anyhow::Result<()> {
    let touchpoints: HashMap<i64, Touchpoint> = store
        .list_touchpoints(&TouchpointFilter::default())
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let surveyed: Vec<SampleTouchpoint> = store
        .surveys()
        .await?
        .into_iter()
        .filter_map(|s| {
            let t = touchpoints.get(&s.fields.touchpoint_id)?;
            Some(SampleTouchpoint {
                id: t.id,
                channel: t.fields.channel.clone(),
                importance: t.fields.importance,
                metric: s.fields.metric,
                survey_id: Some(s.id),
            })
        })
        .collect();
    if surveyed.is_empty() && spec.answers > 0 {
        bail!("there are no surveys to make up answers for");
    }
    let total = spec.answers + spec.events;
    let bar = if std::io::stderr().is_terminal() && total >= BATCH {
        let bar = ProgressBar::new(total as u64);
        bar.set_style(
            ProgressStyle::with_template("{msg:>9} [{bar:40}] {pos}/{len} rows ({per_sec}, {eta})")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let started = Instant::now();

    bar.set_message("answers");
    let mut answers = sample::answers(spec, &surveyed);
    let mut batch = Vec::with_capacity(BATCH);
    loop {
        batch.clear();
        batch.extend(answers.by_ref().take(BATCH));
        if batch.is_empty() {
            break;
        }
        store
            .record_responses(&batch, Some("demo"))
            .await
            .context("cannot store the made-up answers")?;
        bar.inc(batch.len() as u64);
    }

    let answers_loaded = started.elapsed().as_secs_f64();
    bar.set_message("customers");
    let mut events = sample::customer_events(spec);
    let mut batch = Vec::with_capacity(BATCH);
    loop {
        batch.clear();
        batch.extend(events.by_ref().take(BATCH));
        if batch.is_empty() {
            break;
        }
        store
            .record_customer_events(&batch, "demo")
            .await
            .context("cannot store the made-up customer events")?;
        bar.inc(batch.len() as u64);
    }
    bar.finish_and_clear();

    let seconds = started.elapsed().as_secs_f64();
    let rate = |rows: usize, seconds: f64| rows as f64 / seconds.max(1e-9);
    println!(
        "{} answers and {} customer events from {} to {} loaded in {seconds:.1} s ({:.0} rows/s): \
         answers {:.0} rows/s, customer events {:.0} rows/s",
        spec.answers,
        spec.events,
        spec.from.strftime("%Y-%m-%d"),
        spec.until.strftime("%Y-%m-%d"),
        rate(total, seconds),
        rate(spec.answers, answers_loaded),
        rate(spec.events, seconds - answers_loaded),
    );
    Ok(())
}

/// The day of its 30-day programme the demo company is at: the actions' dates (in days from
/// today) are set around it.
const PROGRAMME_DAY: i64 = 20;
/// Seed of the answers that show the finished actions' effects.
const EFFECT_SEED: u64 = 20_261_204;

/// Touchpoints the demo's action plan concerns, by name.
const NEWSLETTER: &str = "Wöchentlicher Newsletter";
const HOTLINE: &str = "Kundenhotline";
const SERVICE_MAIL: &str = "Service-E-Mail und Kontaktformular";
const REFERRAL: &str = "Freunde-werben-Programm in der App";
const AR_PREVIEW: &str = "AR-Möbelvorschau in der App";
const FLIPBOOK: &str = "Digitaler Blätterkatalog";
const SHOWROOM: &str = "Beratung im Showroom";
const REVIEWS: &str = "Google-Bewertungen der Filialen";

/// One action of the demo's plan: dates in days from today, budgets in whole euros for the
/// quarter of the start and the one after.
struct DemoAction {
    kind: ActionKind,
    title: &'static str,
    goal: &'static str,
    target: Option<(TargetMetric, f64, i64)>,
    team: &'static str,
    person_days: f64,
    start: i64,
    due: i64,
    touchpoint: &'static str,
    /// (planned, spent) in the start's quarter, and planned in the next one.
    budget: (i64, i64, i64),
    /// The way to the status it ends in, each step with its note for the history.
    steps: &'static [(ActionStatus, &'static str)],
}

/// The plan at day 20 of the programme, with the hotline and the e-mail service being
/// reworked: the quick win (the newsletter that contradicts the guideline, fixed in a week
/// with two person-days) is the only open action short and small enough for the rule; the
/// flipbook to retire is still read; the showroom's consultation changed before the
/// programme and lifted its NPS, the answers to Google reviews did not move theirs.
const ACTIONS: [DemoAction; 8] = [
    DemoAction {
        kind: ActionKind::Optimise,
        title: "Newsletter-Vorlage an den Kommunikationsleitfaden angleichen",
        goal: "Der Newsletter nennt die Rückgabefrist von 30 Tagen und spricht Kunden mit Sie \
               an – wie Website und Hotline, damit niemand widersprüchliche Zusagen liest.",
        target: Some((TargetMetric::OpenContradictions, 0.0, 14)),
        team: "Marketing",
        person_days: 2.0,
        start: 1,
        due: 7,
        touchpoint: NEWSLETTER,
        budget: (300, 0, 0),
        steps: &[(ActionStatus::Planned, "")],
    },
    DemoAction {
        kind: ActionKind::Optimise,
        title: "Rückrufoption in der Kundenhotline",
        goal: "Wer samstags länger als drei Minuten in der Warteschleife hängt, bekommt einen \
               Rückruf zur Wunschzeit angeboten.",
        target: Some((TargetMetric::Csat, 85.0, 60)),
        team: "Kundenservice",
        person_days: 18.0,
        start: 8 - PROGRAMME_DAY,
        due: 30,
        touchpoint: HOTLINE,
        budget: (9_500, 3_800, 2_000),
        steps: &[
            (ActionStatus::Planned, ""),
            (
                ActionStatus::InProgress,
                "Telefonanlage bestellt, Schulung des Hotline-Teams läuft",
            ),
        ],
    },
    DemoAction {
        kind: ActionKind::Optimise,
        title: "Service-E-Mails binnen 4 Stunden beantworten",
        goal: "Anfragen per E-Mail und Kontaktformular laufen im CRM auf; das Team ist \
               geschult und antwortet binnen 4 Stunden persönlich.",
        target: Some((TargetMetric::ResponseP90Hours, 4.0, 45)),
        team: "Kundenservice",
        person_days: 12.0,
        start: 11 - PROGRAMME_DAY,
        due: 10,
        touchpoint: SERVICE_MAIL,
        budget: (6_000, 2_400, 4_000),
        steps: &[
            (ActionStatus::Planned, ""),
            (
                ActionStatus::InProgress,
                "CRM eingerichtet, das Team wird diese Woche geschult",
            ),
        ],
    },
    DemoAction {
        kind: ActionKind::Launch,
        title: "Freunde-werben-Programm in der App starten",
        goal: "Zufriedene Kunden empfehlen Nordlicht in der App weiter; beide erhalten einen \
               Gutschein über 20 Euro.",
        target: Some((TargetMetric::Nps, 40.0, 90)),
        team: "E-Commerce",
        person_days: 35.0,
        start: 45,
        due: 135,
        touchpoint: REFERRAL,
        budget: (0, 0, 25_000),
        steps: &[(ActionStatus::Idea, "")],
    },
    DemoAction {
        kind: ActionKind::Launch,
        title: "AR-Möbelvorschau in der App einführen",
        goal: "Kunden stellen Sofas und Schränke vor dem Kauf virtuell in ihr Wohnzimmer.",
        target: Some((TargetMetric::Nps, 35.0, 90)),
        team: "E-Commerce",
        person_days: 40.0,
        start: 20,
        due: 100,
        touchpoint: AR_PREVIEW,
        budget: (30_000, 0, 15_000),
        steps: &[(ActionStatus::Planned, "")],
    },
    DemoAction {
        kind: ActionKind::Retire,
        title: "Digitalen Blätterkatalog einstellen",
        goal: "Leser des Blätterkatalogs finden dieselben Produkte auf den Produktdetailseiten \
               im Onlineshop; danach entfallen die Lizenzkosten.",
        target: None,
        team: "Marketing",
        person_days: 4.0,
        start: 10,
        due: 45,
        touchpoint: FLIPBOOK,
        budget: (500, 0, 0),
        steps: &[(ActionStatus::Planned, "")],
    },
    DemoAction {
        kind: ActionKind::Optimise,
        title: "Bedarfsgespräch und Wunschtermin in der Showroom-Beratung",
        goal: "Jede Beratung beginnt mit dem Bedarf der Kunden und endet mit einem festen \
               Liefer- oder Planungstermin.",
        target: Some((TargetMetric::Nps, 30.0, 60)),
        team: "Filialvertrieb",
        person_days: 9.0,
        start: -45,
        due: -38,
        touchpoint: SHOWROOM,
        budget: (6_000, 5_400, 0),
        steps: &[
            (ActionStatus::Planned, ""),
            (
                ActionStatus::InProgress,
                "Leitfaden in allen Filialen eingeführt",
            ),
            (ActionStatus::Done, "Alle Berater geschult"),
        ],
    },
    DemoAction {
        kind: ActionKind::Optimise,
        title: "Google-Bewertungen binnen 48 Stunden beantworten",
        goal: "Jede Bewertung der Filialen bekommt binnen 48 Stunden eine persönliche Antwort \
               der Filialleitung.",
        target: Some((TargetMetric::Nps, 25.0, 60)),
        team: "Filialvertrieb",
        person_days: 5.0,
        start: -40,
        due: -33,
        touchpoint: REVIEWS,
        budget: (1_200, 900, 0),
        steps: &[
            (ActionStatus::Planned, ""),
            (ActionStatus::InProgress, ""),
            (
                ActionStatus::Done,
                "Antwortvorlagen stehen, Filialleitungen antworten selbst",
            ),
        ],
    },
];

/// The day `days` from `today`.
fn day(today: Date, days: i64) -> anyhow::Result<Date> {
    Ok(today.checked_add(days.days())?)
}

/// The quarter of `date`, as budgets are keyed.
fn quarter(date: Date) -> String {
    format!("{}-Q{}", date.year(), (date.month() - 1) / 3 + 1)
}

/// The first day of the quarter after the one of `date`.
fn next_quarter(date: Date) -> anyhow::Result<Date> {
    let first_month = (date.month() - 1) / 3 * 3 + 1;
    Ok(Date::new(date.year(), first_month, 1)?.checked_add(3.months())?)
}

/// NPS answers at one touchpoint on the days of `window` (first and last day left out, so
/// that a time zone changed after loading moves none into a neighbouring window), in the
/// given numbers of promoters, passives and detractors, shuffled by `rng`.
struct NpsAnswers<'a> {
    touchpoint_id: i64,
    survey_id: Option<i64>,
    window: (Date, i64),
    mix: (usize, usize, usize),
    /// Prefix of the answers' `external_id`, so that loading them again adds nothing.
    key: &'a str,
}

impl NpsAnswers<'_> {
    fn make(&self, rng: &mut SplitMix64, tz: &TimeZone) -> anyhow::Result<Vec<ResponseFields>> {
        let (promoters, passives, detractors) = self.mix;
        let mut scores: Vec<u8> = Vec::with_capacity(promoters + passives + detractors);
        for _ in 0..promoters {
            scores.push(9 + rng.below(2) as u8);
        }
        for _ in 0..passives {
            scores.push(7 + rng.below(2) as u8);
        }
        for _ in 0..detractors {
            // Mostly the upper detractors: disappointed rather than furious.
            scores.push(6 - rng.below(4).min(rng.below(7)) as u8);
        }
        for i in (1..scores.len()).rev() {
            scores.swap(i, rng.below(i + 1));
        }
        let (first, days) = self.window;
        let inner = (days - 2).max(1);
        let mut answers = Vec::with_capacity(scores.len());
        for (i, score) in scores.into_iter().enumerate() {
            let n = i64::try_from(i)?;
            let date = day(first, 1 + n % inner)?;
            let minutes = (n * 37) % 600;
            let at = date
                .at(9 + (minutes / 60) as i8, (minutes % 60) as i8, 0, 0)
                .to_zoned(tz.clone())?
                .timestamp();
            answers.push(ResponseFields {
                touchpoint_id: self.touchpoint_id,
                survey_id: self.survey_id,
                metric: Metric::Nps,
                score,
                comment: String::new(),
                answered_at: at,
                channel: None,
                // Every second answer names its customer, as the survey asks for the number.
                customer_ref: (i % 2 == 0).then(|| format!("KD-{}", 10_000 + rng.below(2_500))),
                external_id: Some(format!("demo-{}-{}", self.key, i + 1)),
                request_id: None,
            });
        }
        Ok(answers)
    }
}

/// The action plan of the demo company, with the answers that make its finished actions'
/// effects and the retire warning visible. Does nothing once any action exists.
async fn load_actions(store: &dyn Store) -> anyhow::Result<()> {
    if !store.actions().await?.is_empty() {
        return Ok(());
    }
    let touchpoints = store.list_touchpoints(&TouchpointFilter::default()).await?;
    let surveys = store.surveys().await?;
    let find = |name: &str| {
        let id = touchpoints.iter().find(|t| t.fields.name == name)?.id;
        let survey = surveys
            .iter()
            .find(|s| s.fields.touchpoint_id == id)
            .map(|s| s.id);
        Some((id, survey))
    };
    let mut ids = HashMap::new();
    for name in ACTIONS.iter().map(|a| a.touchpoint) {
        let Some(found) = find(name) else {
            // A renamed or deleted demo touchpoint: the plan would be half of itself.
            println!("no action plan: the demo touchpoint \"{name}\" is missing");
            return Ok(());
        };
        ids.insert(name, found);
    }
    let tz = TimeZone::get(&store.time_zone().await?).unwrap_or(TimeZone::UTC);
    let today = local_day(Timestamp::now(), &tz);

    // The answers first, so that the plan measures them. The showroom's NPS rises clearly
    // across the start of its action: these answers alone, 90 a side, go from −20 to +44, so
    // that the rise stays far beyond the noise with the history's answers there mixed in,
    // whatever day the demo is loaded. The reviews' stays where it was: 80 answers alike on
    // either side outweigh the chance differences of the history. And customers still read
    // the flipbook in the last 90 days.
    let mut rng = SplitMix64::new(EFFECT_SEED);
    let start_of = |name: &str| {
        ACTIONS
            .iter()
            .find(|a| a.touchpoint == name)
            .map_or(0, |a| a.start)
    };
    let (showroom, showroom_survey) = ids[SHOWROOM];
    let (reviews, reviews_survey) = ids[REVIEWS];
    let (flipbook, flipbook_survey) = ids[FLIPBOOK];
    let showroom_start = start_of(SHOWROOM);
    let reviews_start = start_of(REVIEWS);
    let batches = [
        NpsAnswers {
            touchpoint_id: showroom,
            survey_id: showroom_survey,
            window: (day(today, showroom_start - 30)?, 30),
            mix: (18, 36, 36),
            key: "showroom-before",
        },
        NpsAnswers {
            touchpoint_id: showroom,
            survey_id: showroom_survey,
            window: (day(today, showroom_start)?, 30),
            mix: (50, 30, 10),
            key: "showroom-after",
        },
        NpsAnswers {
            touchpoint_id: reviews,
            survey_id: reviews_survey,
            window: (day(today, reviews_start - 30)?, 30),
            mix: (28, 32, 20),
            key: "reviews-before",
        },
        NpsAnswers {
            touchpoint_id: reviews,
            survey_id: reviews_survey,
            window: (day(today, reviews_start)?, 30),
            mix: (28, 32, 20),
            key: "reviews-after",
        },
        NpsAnswers {
            touchpoint_id: flipbook,
            survey_id: flipbook_survey,
            window: (day(today, -80)?, 78),
            mix: (3, 7, 6),
            key: "flipbook",
        },
    ];
    let mut answers = Vec::new();
    for batch in &batches {
        answers.extend(batch.make(&mut rng, &tz)?);
    }
    store
        .record_responses(&answers, Some("demo"))
        .await
        .context("cannot store the answers of the demo's actions")?;

    // The weaknesses the check documented at each touchpoint, for the actions to address.
    let placed = touchpoints_app::actions::Measurements::place_findings(
        &store.findings().await?,
        &store.contents().await?,
    );
    for action in &ACTIONS {
        let (touchpoint_id, _) = ids[action.touchpoint];
        let mut finding_ids: Vec<i64> = placed
            .iter()
            .filter(|(_, (_, at))| at.contains(&touchpoint_id))
            .map(|(id, _)| *id)
            .collect();
        finding_ids.sort_unstable();
        let start = day(today, action.start)?;
        let (planned, spent, next) = action.budget;
        let mut budgets = BTreeMap::new();
        if planned > 0 || spent > 0 {
            budgets.insert(
                quarter(start),
                Budget {
                    planned_cents: planned * 100,
                    spent_cents: spent * 100,
                },
            );
        }
        if next > 0 {
            budgets.insert(
                quarter(next_quarter(start)?),
                Budget {
                    planned_cents: next * 100,
                    spent_cents: 0,
                },
            );
        }
        let Some(((first, _), rest)) = action.steps.split_first() else {
            continue;
        };
        let input = ActionInput {
            kind: action.kind,
            title: action.title.into(),
            goal: action.goal.into(),
            target: action.target.map(|(metric, value, within_days)| Target {
                metric,
                value,
                within_days,
            }),
            // The demo has no staff accounts until someone logs in as its admin, and an owner
            // must be one: the team says who does it.
            owner: None,
            team: action.team.into(),
            person_days: action.person_days,
            start: Some(start),
            due: Some(day(today, action.due)?),
            status: Some(*first),
            touchpoint_ids: vec![touchpoint_id],
            finding_ids,
            budgets,
        };
        let stored = touchpoints_app::actions::create(store, &input, Timestamp::now(), "demo")
            .await
            .with_context(|| format!("cannot store the demo action \"{}\"", action.title))?;
        for (status, note) in rest {
            let change = StatusChangeInput {
                status: *status,
                note: (*note).into(),
                confirm_retirement: false,
            };
            touchpoints_app::actions::set_status(
                store,
                stored.id,
                &change,
                Timestamp::now(),
                "demo",
            )
            .await?;
        }
    }
    println!(
        "action plan at day {PROGRAMME_DAY} of the programme: {} actions, {} answers showing their effect",
        ACTIONS.len(),
        answers.len()
    );
    Ok(())
}

/// The demo company's 30-day programme, started so that today is its day
/// [`PROGRAMME_DAY`], as the action plan's dates assume: the inventory, the guideline and the
/// response targets read as done from the demo's data, the training and the personal
/// templates ticked by hand, the campaign still running. One task is overdue: the service
/// team, as the demo creates no agent accounts (an account of the demo would stand in the
/// way of the first admin's setup).
async fn load_programme(store: &dyn Store) -> anyhow::Result<()> {
    if store.programme().await?.is_some() {
        return Ok(());
    }
    let tz = TimeZone::get(&store.time_zone().await?).unwrap_or(TimeZone::UTC);
    let now = Timestamp::now();
    let start = day(local_day(now, &tz), 1 - PROGRAMME_DAY)?;
    store
        .start_programme(start, &std::collections::BTreeSet::new(), "demo")
        .await?;
    for task in [TaskKey::CrmTraining, TaskKey::PersonalTemplates] {
        store.tick_programme_task(task, true, "demo").await?;
    }
    if let Some(state) = touchpoints_app::programme::current(store, now).await? {
        println!(
            "30-day programme at day {}: {} of {} tasks done",
            state.view.day, state.view.progress.done, state.view.progress.total
        );
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// The plan as the demo shows it, whatever day it is loaded: the quick win on top, the
    /// warning before retiring the flipbook, and the finished actions' verdicts.
    #[tokio::test]
    async fn the_demo_plan_has_a_quick_win_a_retire_warning_and_proven_effects() {
        use touchpoints_app::action_effect::action_effect;
        use touchpoints_app::actions::{QuickWinOutcome, plan};
        use touchpoints_app::plan_counts::PlanCounts;
        use touchpoints_core::kpi::Verdict;

        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("demo.db").display());
        let store = touchpoints_store::open(&url).await.unwrap();
        load(store.as_ref(), false).await.unwrap();
        let now = Timestamp::now();
        let plan = plan(
            store.as_ref(),
            &PlanCounts::new(std::time::Duration::ZERO),
            now,
            "de",
        )
        .await
        .unwrap();
        assert_eq!(plan.actions.len(), ACTIONS.len());
        for kind in ActionKind::ALL {
            assert!(
                plan.actions.iter().any(|a| a.action.fields.kind == kind),
                "{kind:?}"
            );
        }
        for status in [
            ActionStatus::Idea,
            ActionStatus::Planned,
            ActionStatus::InProgress,
            ActionStatus::Done,
        ] {
            assert!(
                plan.actions.iter().any(|a| a.action.status == status),
                "{status:?}"
            );
        }

        assert_eq!(
            plan.quick_win.outcome,
            QuickWinOutcome::Chosen,
            "{}",
            plan.quick_win.reason
        );
        let first = &plan.actions[0];
        assert!(first.quick_win);
        assert_eq!(first.action.fields.title, ACTIONS[0].title);
        assert!(
            first.parts.iter().any(|p| p.text.contains("Widerspr")),
            "the gap it addresses: {:?}",
            first.parts
        );

        let retire = plan
            .actions
            .iter()
            .find(|a| a.action.fields.kind == ActionKind::Retire)
            .unwrap();
        let warning = retire.retire.as_ref().and_then(|r| r.warning.as_deref());
        assert!(
            warning.is_some_and(|w| w.starts_with("In den letzten 90 Tagen")),
            "{warning:?}"
        );

        for (title, verdict) in [
            (ACTIONS[6].title, Verdict::Better),
            (ACTIONS[7].title, Verdict::NoDetectableChange),
        ] {
            let action = plan
                .actions
                .iter()
                .find(|a| a.action.fields.title == title)
                .unwrap();
            assert_eq!(action.action.status, ActionStatus::Done);
            let effect = action_effect(store.as_ref(), action.action.id, Some(30), now)
                .await
                .unwrap();
            assert!(!effect.running, "{title}: the after window is complete");
            let nps = effect
                .metrics
                .iter()
                .find(|m| m.metric == Metric::Nps)
                .unwrap();
            assert!(
                nps.before.unwrap().n >= 30 && nps.after.unwrap().n >= 30,
                "{nps:?}"
            );
            assert_eq!(nps.verdict, verdict, "{title}: {nps:?}");
        }

        // Loading again adds no second plan, nor the answers once more.
        let answers = store
            .surveys()
            .await
            .unwrap()
            .iter()
            .map(|s| s.responses)
            .sum::<u64>();
        load(store.as_ref(), false).await.unwrap();
        assert_eq!(store.actions().await.unwrap().len(), ACTIONS.len());
        let again = store
            .surveys()
            .await
            .unwrap()
            .iter()
            .map(|s| s.responses)
            .sum::<u64>();
        assert_eq!(again, answers);
    }

    #[test]
    fn every_metric_has_demo_touchpoints() {
        let catalog = demo::company();
        let catalog = Catalog {
            channels: catalog.channels,
            phases: catalog.phases,
        };
        let metrics: Vec<Metric> = demo::company()
            .touchpoints
            .iter()
            .map(|t| demo_metric(&t.validate(&catalog).unwrap()))
            .collect();
        for metric in Metric::ALL {
            let n = metrics.iter().filter(|&&m| m == metric).count();
            assert!(n >= 5, "{metric:?}: {n}");
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod programme_tests {
    use touchpoints_core::action_plan::programme::{PhaseState, TaskStatus};

    use super::*;

    /// The demo's programme, whatever day it is loaded: at day 20, the first two phases
    /// done, the service team overdue in the third, personalisation running.
    #[tokio::test]
    async fn the_demo_programme_is_at_day_twenty_with_one_task_overdue() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("demo.db").display());
        let store = touchpoints_store::open(&url).await.unwrap();
        load(store.as_ref(), false).await.unwrap();
        let state = touchpoints_app::programme::current(store.as_ref(), Timestamp::now())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(state.view.day, PROGRAMME_DAY);
        let states: Vec<PhaseState> = state.view.phases.iter().map(|p| p.state).collect();
        assert_eq!(
            states,
            [
                PhaseState::Done,
                PhaseState::Done,
                PhaseState::Overdue,
                PhaseState::Running,
                PhaseState::Upcoming,
            ],
            "{:#?}",
            state.view.phases
        );
        let overdue: Vec<TaskKey> = state
            .view
            .phases
            .iter()
            .flat_map(|p| &p.tasks)
            .filter(|t| t.status == TaskStatus::Overdue)
            .map(|t| t.key)
            .collect();
        assert_eq!(overdue, [TaskKey::ServiceTeam]);
        // Loading again starts no second round.
        load(store.as_ref(), false).await.unwrap();
        assert_eq!(store.programme().await.unwrap().unwrap().round, 1);
    }
}
