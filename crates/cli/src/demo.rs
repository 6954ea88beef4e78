//! `touchpoints demo`: loads the demo company of the core into the store in one transaction,
//! then surveys at its touchpoints with a history of answers and customer events; with
//! `--scale`, millions of made-up rows on top, streamed in batches.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::time::Instant;

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressStyle};
use jiff::{SignedDuration, Timestamp};
use touchpoints_core::catalog::default_phases;
use touchpoints_core::consistency::Guideline;
use touchpoints_core::consistency::library::ContentFields;
use touchpoints_core::consistency::text::{TextFormat, plain_text};
use touchpoints_core::kpi::Metric;
use touchpoints_core::sample::{self, SampleSpec, SampleTouchpoint};
use touchpoints_core::standards::Measure;
use touchpoints_core::survey::SurveyInput;
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
        return load_surveys(store).await;
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
    load_library(store).await?;
    load_standards(store).await?;
    let findings =
        touchpoints_app::analysis::check_weaknesses(store, "demo", Timestamp::now()).await?;
    println!("as-is analysis: {} documented weaknesses", findings.len());
    load_requests(store).await?;
    load_surveys(store).await
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

/// (channel, first response, resolution in minutes, around the clock): the demo company's
/// response-time targets, chat answered day and night.
const SLA_POLICIES: [(&str, i64, i64, bool); 7] = [
    ("email", 8 * 60, 3 * 8 * 60, false),
    ("phone", 60, 8 * 60, false),
    ("chat", 15, 4 * 60, true),
    ("social-media", 4 * 60, 2 * 8 * 60, false),
    ("website", 8 * 60, 3 * 8 * 60, false),
    ("letter", 2 * 8 * 60, 5 * 8 * 60, false),
    ("store", 4 * 60, 2 * 8 * 60, false),
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
    store
        .intake(&requests, "demo")
        .await
        .context("cannot load the demo requests")?;
    println!("{} open customer requests in the queue", requests.len());
    Ok(())
}

/// The demo company's communication guideline and published texts: the same files as in
/// `examples/nordlicht`, where the newsletter contradicts the website FAQ.
const GUIDELINE: &str = include_str!("../../../examples/nordlicht/guideline.yaml");
const TEXTS: [(&str, &str, &str, TextFormat, &str, &str); 3] = [
    (
        "Hilfe & FAQ",
        "website",
        "Hilfe-Center und FAQ",
        TextFormat::Html,
        "https://www.nordlicht-wohnen.de/hilfe",
        include_str!("../../../examples/nordlicht/content/website/faq.html"),
    ),
    (
        "Newsletter November 2026",
        "newsletter",
        "Wöchentlicher Newsletter",
        TextFormat::Markdown,
        "",
        include_str!("../../../examples/nordlicht/content/newsletter/2026-11.md"),
    ),
    (
        "Chatbot Nora: Antworten",
        "chatbot",
        "Chatbot",
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
    for (title, channel, touchpoint, format, url, source) in TEXTS {
        let touchpoint_id = touchpoints
            .iter()
            .find(|t| t.fields.name.starts_with(touchpoint))
            .map(|t| t.id);
        let fields = ContentFields {
            title: title.into(),
            channel: Some(channel.into()),
            touchpoint_id,
            url: url.into(),
            language: "de".into(),
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
    println!(
        "{} answers and {} customer events from {} to {} loaded in {seconds:.1} s ({:.0} rows/s)",
        spec.answers,
        spec.events,
        spec.from.strftime("%Y-%m-%d"),
        spec.until.strftime("%Y-%m-%d"),
        total as f64 / seconds.max(1e-9),
    );
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

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
