//! `touchpoints guideline` and `touchpoints content`: the guideline and the content library
//! between files (a company's own repository) and the database.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use touchpoints_core::consistency::library::ContentFields;
use touchpoints_store::{Store, StoreError};

use crate::check::{channel_of, read_contents, read_guideline};

/// The actor the audit log records for changes made here.
const ACTOR: &str = "cli";

#[derive(Subcommand)]
pub enum GuidelineCommand {
    /// Replace the guideline in the database with the file's (checked first).
    Import { file: PathBuf },
    /// Write the guideline of the database as YAML (or JSON with --format json).
    Export {
        #[arg(long, default_value = "yaml")]
        format: String,
        /// The file to write; standard output if left out.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
pub enum ContentCommand {
    /// Import text, Markdown and HTML files, or folders of them. A text of the same title
    /// is replaced; the file's folder names its channel unless --channel does.
    Import {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The channel of every imported text.
        #[arg(long)]
        channel: Option<String>,
        #[arg(long, default_value = "de")]
        language: String,
    },
}

pub async fn guideline(store: &dyn Store, command: GuidelineCommand) -> anyhow::Result<ExitCode> {
    match command {
        GuidelineCommand::Import { file } => {
            let guideline = read_guideline(&file)?;
            store.put_guideline(&guideline, ACTOR).await?;
            println!(
                "guideline imported: {} facts, {} forbidden and {} required terms, {} allowed \
                 contacts",
                guideline.facts.len(),
                guideline.tone.forbidden.len(),
                guideline.tone.required.len(),
                guideline.allowed_contacts.len()
            );
        }
        GuidelineCommand::Export { format, output } => {
            let guideline = store.guideline().await?;
            let text = match format.to_ascii_lowercase().as_str() {
                "yaml" | "yml" => guideline.to_yaml(),
                "json" => serde_json::to_string_pretty(&guideline)? + "\n",
                other => anyhow::bail!("unknown format \"{other}\"; use yaml or json"),
            };
            match output {
                Some(path) => std::fs::write(&path, text)
                    .with_context(|| format!("cannot write {}", path.display()))?,
                None => print!("{text}"),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn content(store: &dyn Store, command: ContentCommand) -> anyhow::Result<ExitCode> {
    let ContentCommand::Import {
        paths,
        channel,
        language,
    } = command;
    let texts = read_contents(&paths)?;
    let catalog = store.catalog().await?;
    if let Some(key) = &channel
        && catalog.channel(key).is_none()
    {
        anyhow::bail!("unknown channel \"{key}\"; see `Kanäle & Phasen` for the keys");
    }
    // Everything is checked before anything is written.
    let mut prepared = Vec::with_capacity(texts.len());
    for text in texts {
        let path = PathBuf::from(&text.source);
        let title = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or(&text.source)
            .to_owned();
        // A folder that is no channel ("content/") names none.
        let folder = channel_of(&path).filter(|key| catalog.channel(key).is_some());
        let fields = ContentFields {
            title,
            channel: channel.clone().or(folder),
            touchpoint_id: None,
            url: String::new(),
            language: language.clone(),
            body: text.text,
            valid_from: None,
            valid_until: None,
        }
        .validate()
        .map_err(|p| anyhow::anyhow!("{}: {p}", path.display()))?;
        prepared.push((path, fields));
    }
    let existing = store.contents().await?;
    let (mut created, mut updated) = (0, 0);
    for (path, fields) in prepared {
        let same = existing
            .iter()
            .find(|c| c.fields.title == fields.title)
            .map(|c| c.id);
        match store.put_content(same, &fields, ACTOR).await {
            Ok(_) if same.is_some() => updated += 1,
            Ok(_) => created += 1,
            Err(StoreError::Invalid(problems)) => {
                eprintln!("{}: {problems}", path.display());
                return Ok(ExitCode::FAILURE);
            }
            Err(e) => return Err(e.into()),
        }
    }
    println!("content imported: {created} created, {updated} replaced");
    Ok(ExitCode::SUCCESS)
}
