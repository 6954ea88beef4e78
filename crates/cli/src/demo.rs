//! `touchpoints demo`: loads the demo company of the core into the store in one transaction.

use anyhow::{Context, bail};
use touchpoints_core::catalog::default_phases;
use touchpoints_core::consistency::library::ContentFields;
use touchpoints_core::consistency::text::{TextFormat, plain_text};
use touchpoints_core::consistency::{Checker, Content, Guideline};
use touchpoints_core::{Catalog, TouchpointFilter, demo};
use touchpoints_store::{Import, Store, StoreError, StoredContent};

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
        return Ok(());
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
    load_library(store).await
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
    let guideline: Guideline =
        serde_yaml_ng::from_str(GUIDELINE).context("the demo guideline is invalid")?;
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
        };
        store.put_content(None, &fields, "demo").await?;
    }
    let contents = store.contents().await?;
    let texts: Vec<Content> = contents.iter().map(StoredContent::to_checked).collect();
    let checker = Checker::new(&guideline, jiff::Zoned::now().date())?;
    let findings = checker.check(&texts);
    store.sync_findings(&findings, "demo").await?;
    println!(
        "communication guideline and {} texts loaded: {} findings",
        contents.len(),
        findings.len()
    );
    Ok(())
}

/// Whether the inventory holds touchpoints other than the demo's, which a demo load would mix
/// with invented data.
fn force_needed(existing: &[touchpoints_core::Touchpoint]) -> bool {
    let demo_names: std::collections::HashSet<String> = demo::company()
        .touchpoints
        .iter()
        .map(|t| touchpoints_core::touchpoint::name_key(&t.name))
        .collect();
    existing
        .iter()
        .any(|t| !demo_names.contains(&t.fields.name_key()))
}
