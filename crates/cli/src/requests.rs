//! `touchpoints requests import FILE.csv`: historical customer requests into the queue and
//! the customer profiles, all rows or none; `touchpoints customers merge` and `unmerge`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use jiff::Timestamp;
use touchpoints_core::request_import;
use touchpoints_store::{Store, StoreError};

use crate::progress;

/// The actor the audit log records for changes made here.
const ACTOR: &str = "cli";

#[derive(Subcommand)]
pub enum RequestsCommand {
    /// Import historical requests from CSV (`,` or `;`): channel, received_at and an
    /// identifier (email, phone, customer_number, device, social) per row; optional
    /// external_id, touchpoint_id, source, name, subject, body, language, priority,
    /// first_response_at, resolved_at. A row whose external_id is stored already with the
    /// same content is skipped. All rows or none.
    Import {
        file: PathBuf,
        /// Check the file and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand)]
pub enum CustomersCommand {
    /// Merge two customer profiles; the older one survives.
    Merge { a: i64, b: i64 },
    /// Undo a merge: both profiles as they were before it.
    Unmerge { merge_id: i64 },
}

pub async fn run(store: &dyn Store, command: RequestsCommand) -> anyhow::Result<ExitCode> {
    match command {
        RequestsCommand::Import { file, dry_run } => import(store, &file, dry_run).await,
    }
}

async fn import(store: &dyn Store, file: &PathBuf, dry_run: bool) -> anyhow::Result<ExitCode> {
    let name = file.display().to_string();
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {name}"))?;
    let catalog = store.catalog().await?;
    let estimate = bytes.iter().filter(|&&b| b == b'\n').count();
    let bar = progress::bar(estimate, "checking");
    let parsed = request_import::parse_csv(&bytes, &catalog, Timestamp::now(), &mut |rows| {
        bar.set_position(rows as u64)
    });
    bar.finish_and_clear();
    let requests = match parsed {
        Ok(requests) => requests,
        Err(problems) => return Ok(progress::report_problems(&name, &problems)),
    };
    if dry_run {
        println!(
            "{name}: {} requests are valid; nothing was written (--dry-run)",
            requests.len()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let spinner = progress::spinner(requests.len(), "requests");
    let result = store.intake(&requests, ACTOR).await;
    spinner.finish_and_clear();
    match result {
        Ok(outcomes) => {
            let created = outcomes.iter().filter(|o| o.created).count();
            println!(
                "{name}: {created} requests imported, {} stored before",
                outcomes.len() - created
            );
            Ok(ExitCode::SUCCESS)
        }
        // The store names rows from 0 (`[3].touchpoint_id`); the file's rows start at 2.
        Err(StoreError::Invalid(p) | StoreError::Conflict(p)) => {
            for fp in &p.0 {
                let (row, column) = fp
                    .field
                    .strip_prefix('[')
                    .and_then(|rest| rest.split_once("]."))
                    .and_then(|(i, column)| Some((i.parse::<usize>().ok()? + 2, column)))
                    .unwrap_or((0, fp.field.as_str()));
                eprintln!("{name}: row {row}, column {column}: {}", fp.message);
            }
            eprintln!("{} problem(s); nothing was imported", p.0.len());
            Ok(ExitCode::FAILURE)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn customers(store: &dyn Store, command: CustomersCommand) -> anyhow::Result<ExitCode> {
    match command {
        CustomersCommand::Merge { a, b } => {
            let record = store.merge_customers(a, b, ACTOR).await?;
            println!(
                "profile {} merged into {} (merge {}; undo with `touchpoints customers unmerge {}`)",
                record.absorbed_id, record.survivor_id, record.id, record.id
            );
        }
        CustomersCommand::Unmerge { merge_id } => {
            let record = store.unmerge(merge_id, ACTOR).await?;
            println!(
                "merge {merge_id} undone: profiles {} and {} are apart again",
                record.survivor_id, record.absorbed_id
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
