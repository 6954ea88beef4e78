//! `touchpoints demo`: loads the demo company of the core into the store in one transaction.

use anyhow::{Context, bail};
use touchpoints_core::catalog::default_phases;
use touchpoints_core::{Catalog, TouchpointFilter, demo};
use touchpoints_store::{Import, Store, StoreError};

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
