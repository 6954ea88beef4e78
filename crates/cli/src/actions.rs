//! `touchpoints actions import`: actions from a CSV or XLSX file with the columns of the
//! plan's export, every row a new action, all or nothing. Reading, checking and storing are
//! the app's (`action_import`).

use std::io::Read;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use touchpoints_app::AppError;
use touchpoints_app::action_import::{self, FileFormat, ImportError};
use touchpoints_store::Store;

use crate::progress;
use crate::transfer::report_store_problems;

/// The actor the audit log records for changes made here.
const ACTOR: &str = "cli";

#[derive(Subcommand)]
pub enum ActionsCommand {
    /// Import actions from CSV or XLSX (the columns of the plan's export): each row a new
    /// action, all rows or none.
    Import {
        /// The file to read; `-` for standard input. Its kind is told by its content.
        file: String,
        /// Check the file and report problems without writing anything.
        #[arg(long)]
        dry_run: bool,
    },
}

pub async fn run(store: &dyn Store, command: ActionsCommand) -> anyhow::Result<ExitCode> {
    match command {
        ActionsCommand::Import { file, dry_run } => import(store, &file, dry_run).await,
    }
}

async fn import(store: &dyn Store, file: &str, dry_run: bool) -> anyhow::Result<ExitCode> {
    let mut bytes = Vec::new();
    if file == "-" {
        std::io::stdin().read_to_end(&mut bytes)?;
    } else {
        bytes = std::fs::read(file).with_context(|| format!("cannot read {file}"))?;
    }
    let format = FileFormat::sniff(&bytes);
    let directory = action_import::directory(store).await?;
    let actions = match action_import::read(format, &bytes, &directory) {
        Ok(actions) => actions,
        Err(problems) => return Ok(progress::report_problems(file, &problems)),
    };
    if dry_run {
        println!(
            "{file}: {} actions are valid; nothing was written (--dry-run)",
            actions.len()
        );
        return Ok(ExitCode::SUCCESS);
    }
    match action_import::store_all(store, &actions, jiff::Timestamp::now(), ACTOR).await {
        Ok(stored) => {
            println!("{file}: {} actions imported", stored.len());
            Ok(ExitCode::SUCCESS)
        }
        Err(ImportError::Rows(problems)) => Ok(progress::report_problems(file, &problems)),
        Err(ImportError::App(AppError::Invalid(p) | AppError::Conflict(p))) => {
            report_store_problems(file, &p);
            Ok(ExitCode::FAILURE)
        }
        Err(ImportError::App(e)) => Err(e.into()),
    }
}
