//! `touchpoints check`: runs the consistency checker on content files with a guideline file
//! and reports like a compiler, so that a content team can run it in its website's CI.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use serde::Serialize;
use touchpoints_core::consistency::text::{TextFormat, plain_text};
use touchpoints_core::consistency::{Checker, Content, Finding, Guideline};
use touchpoints_core::object::Strict;
use touchpoints_server::Lang;
use touchpoints_server::Messages;
use touchpoints_server::wording::{self, FindingText};
use touchpoints_store::Store;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Output {
    /// One line per place, like a compiler: `file:line:column: error[rule]: message`.
    Text,
    /// One JSON document with every finding.
    Json,
}

/// Reads a guideline from YAML or JSON, by the file's extension.
pub fn read_guideline(path: &Path) -> anyhow::Result<Guideline> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the guideline {}", path.display()))?;
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let read = if is_json {
        let Strict(guideline): Strict<Guideline> = serde_json::from_str(&text)
            .with_context(|| format!("{}: not a valid guideline", path.display()))?;
        guideline.validate().map(|()| guideline)
    } else {
        Guideline::from_yaml(&text)
    };
    read.map_err(|problems| {
        let lines: Vec<String> = problems
            .0
            .iter()
            .map(|p| format!("  {}: {}", p.field, p.message))
            .collect();
        anyhow::anyhow!(
            "{}: the guideline has problems:\n{}",
            path.display(),
            lines.join("\n")
        )
    })
}

/// Every content file under the paths: files as given, folders searched recursively for
/// text, Markdown and HTML files, in a stable order.
fn content_files(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        let meta =
            std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
        if meta.is_dir() {
            collect(path, &mut files)?;
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for path in entries {
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            collect(&path, files)?;
        } else if TextFormat::from_path(&path).is_some() {
            files.push(path);
        }
    }
    Ok(())
}

/// The channel of a file: the name of the folder it lies in (`content/newsletter/nov.md` is
/// on the channel `newsletter`).
pub fn channel_of(path: &Path) -> Option<String> {
    path.parent()
        .and_then(Path::file_name)
        .and_then(|n| n.to_str())
        .map(str::to_owned)
}

#[derive(Serialize)]
struct Report<'a> {
    errors: usize,
    warnings: usize,
    findings: &'a [Finding],
}

pub fn run(guideline: &Path, paths: &[PathBuf], output: Output) -> anyhow::Result<ExitCode> {
    let guideline = read_guideline(guideline)?;
    let contents = read_contents(paths)?;
    let checker = Checker::new(&guideline, jiff::Zoned::now().date())?;
    let findings = checker.check(&contents);
    report(&findings, &guideline, contents.len(), output)
}

/// Checks the content library of the database against its guideline and the recorded
/// interactions against the mandatory standards, records the findings as the web UI does,
/// and reports the current ones.
pub async fn run_on_library(store: &dyn Store, output: Output) -> anyhow::Result<ExitCode> {
    let guideline = store.guideline().await?;
    if guideline.facts.is_empty() && guideline.tone == Default::default() {
        bail!(
            "the database has no guideline yet: import one with `touchpoints guideline import FILE`"
        );
    }
    let today = jiff::Zoned::now().date();
    let texts = store
        .contents()
        .await?
        .iter()
        .filter(|c| c.fields.valid_on(today))
        .count();
    let findings: Vec<Finding> =
        touchpoints_app::analysis::check_weaknesses(store, "cli", jiff::Timestamp::now())
            .await?
            .into_iter()
            .filter(|f| f.current)
            .map(|f| f.finding)
            .collect();
    report(&findings, &guideline, texts, output)
}

/// Content files read and turned into plain text.
pub fn read_contents(paths: &[PathBuf]) -> anyhow::Result<Vec<Content>> {
    let files = content_files(paths)?;
    if files.is_empty() {
        bail!("no content files (.txt, .md, .html) found in the paths given");
    }
    let mut contents = Vec::with_capacity(files.len());
    for file in &files {
        let bytes =
            std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
        let Ok(source) = String::from_utf8(bytes) else {
            bail!("{}: not UTF-8 text", file.display());
        };
        let format = TextFormat::from_path(file).unwrap_or(TextFormat::Plain);
        contents.push(Content {
            source: file.display().to_string(),
            title: file.display().to_string(),
            channel: channel_of(file),
            text: plain_text(format, &source),
        });
    }
    Ok(contents)
}

/// The language of the text report: the first of `LC_ALL`, `LC_MESSAGES` and `LANG` that is
/// set, as other command-line tools read it; German for `de…`, else English.
fn reader_lang() -> Lang {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|value| !value.is_empty())
        .and_then(|value| Lang::from_code(&value))
        .unwrap_or(Lang::En)
}

fn report(
    findings: &[Finding],
    guideline: &Guideline,
    checked: usize,
    output: Output,
) -> anyhow::Result<ExitCode> {
    let errors = findings.iter().filter(|f| f.kind.is_error()).count();
    let warnings = findings.len() - errors;
    match output {
        Output::Json => {
            let report = Report {
                errors,
                warnings,
                findings,
            };
            println!("{}", serde_json::to_string_pretty(&report)?);
        }
        Output::Text => {
            let messages = Messages::load().map_err(|e| anyhow::anyhow!(e))?;
            let lang = reader_lang();
            let other_place = messages.get(lang, "check-other-place", None);
            for finding in findings {
                let text = wording::finding(&messages, lang, finding, guideline);
                print_finding(finding, &text, &other_place);
                for note in wording::unlisted(&messages, lang, finding) {
                    println!("    = note: {note}");
                }
            }
            eprintln!(
                "{}",
                wording::check_summary(&messages, lang, checked, errors, warnings)
            );
        }
    }
    Ok(if errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn print_finding(finding: &Finding, text: &FindingText, other_place: &str) {
    let level = if finding.kind.is_error() {
        "error"
    } else {
        "warning"
    };
    let Some((first, others)) = finding.places.split_first() else {
        return;
    };
    println!(
        "{}:{}:{}: {level}[{}/{}]: {}",
        first.source,
        first.line,
        first.column,
        finding.kind.as_str(),
        finding.rule,
        text.message
    );
    println!("    | {}", first.excerpt);
    for place in others {
        println!(
            "  {}:{}:{}: {other_place}",
            place.source, place.line, place.column
        );
        println!("    | {}", place.excerpt);
    }
    if !text.fix.is_empty() {
        println!("    = fix: {}", text.fix);
    }
}
