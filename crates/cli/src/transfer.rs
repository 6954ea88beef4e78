//! `touchpoints import` and `export`: files in, files out, with a progress bar on long
//! imports. Parsing and writing the formats is the core's job.

use std::io::{Read, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, bail};
use touchpoints_core::transfer::{self, Format};
use touchpoints_core::{Problems, TouchpointFilter};
use touchpoints_store::{Import, Store, StoreError};

use crate::progress;

pub(crate) fn format_named(
    name: Option<&str>,
    path: Option<&str>,
) -> anyhow::Result<Option<Format>> {
    match name {
        Some(name) => match name.to_ascii_lowercase().as_str() {
            "csv" => Ok(Some(Format::Csv)),
            "json" => Ok(Some(Format::Json)),
            other => bail!("unknown format \"{other}\"; use csv or json"),
        },
        None => Ok(path.and_then(|p| Format::from_path(Path::new(p)))),
    }
}

pub async fn import(
    store: &dyn Store,
    file: &str,
    format: Option<&str>,
    dry_run: bool,
) -> anyhow::Result<ExitCode> {
    let from_stdin = file == "-";
    let format = format_named(format, (!from_stdin).then_some(file))?.with_context(|| {
        format!("cannot tell the format of \"{file}\"; name it with --format csv or --format json")
    })?;
    let mut bytes = Vec::new();
    if from_stdin {
        std::io::stdin().read_to_end(&mut bytes)?;
    } else {
        bytes = std::fs::read(file).with_context(|| format!("cannot read {file}"))?;
    }
    let catalog = store.catalog().await?;

    // A row count is only known after parsing; newlines are close enough for a bar.
    let estimate = bytes.iter().filter(|&&b| b == b'\n').count();
    let bar = progress::bar(estimate, "checking");
    let parsed = transfer::parse(format, &bytes, &catalog, &mut |rows| {
        bar.set_position(rows as u64)
    });
    bar.finish_and_clear();
    let touchpoints = match parsed {
        Ok(touchpoints) => touchpoints,
        Err(problems) => return Ok(progress::report_problems(file, &problems)),
    };
    if dry_run {
        println!(
            "{file}: {} touchpoints are valid; nothing was written (--dry-run)",
            touchpoints.len()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let spinner = progress::spinner(touchpoints.len(), "touchpoints");
    let import = Import {
        touchpoints,
        ..Import::default()
    };
    let result = store.import(&import, "cli").await;
    spinner.finish_and_clear();
    match result {
        Ok(summary) => {
            println!(
                "{file}: {} created, {} updated, {} unchanged",
                summary.created, summary.updated, summary.unchanged
            );
            Ok(ExitCode::SUCCESS)
        }
        // Another writer may have changed the catalog or names since the check.
        Err(StoreError::Invalid(p) | StoreError::Conflict(p)) => {
            report_store_problems(file, &p);
            Ok(ExitCode::FAILURE)
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) fn report_store_problems(file: &str, problems: &Problems) {
    for p in &problems.0 {
        eprintln!("{file}: {p}");
    }
    eprintln!("nothing was imported");
}

pub async fn export(
    store: &dyn Store,
    format: Option<&str>,
    output: Option<&str>,
) -> anyhow::Result<()> {
    let format = format_named(format, output)?.unwrap_or(Format::Csv);
    let touchpoints = store.list_touchpoints(&TouchpointFilter::default()).await?;
    let fields: Vec<_> = touchpoints.into_iter().map(|t| t.fields).collect();
    let bytes = match format {
        Format::Csv => transfer::write_csv(&fields),
        Format::Json => transfer::write_json(&fields),
    };
    match output {
        Some(path) => {
            // Write beside the target and rename, so a failed export never leaves half a file.
            let tmp = format!("{path}.partial");
            std::fs::write(&tmp, &bytes).with_context(|| format!("cannot write {tmp}"))?;
            std::fs::rename(&tmp, path).with_context(|| format!("cannot write {path}"))?;
            eprintln!("{} touchpoints written to {path}", fields.len());
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(&bytes)?;
            stdout.flush()?;
        }
    }
    Ok(())
}
