//! `touchpoints responses`, `events`, `rollups` and `settings`: survey answers and customer
//! events in and out as files, and the settings the KPI roll-ups depend on. Reading and
//! checking rows is the core's job; exports stream a page at a time, so their size is not
//! limited by memory.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{BufWriter, Read, Write};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::Subcommand;
use jiff::Timestamp;
use touchpoints_core::TouchpointFilter;
use touchpoints_core::kpi::CustomerEventKind;
use touchpoints_core::records::{self, Record};
use touchpoints_core::survey::{
    CUSTOMER_EVENT_COLUMNS, CustomerEventFields, RESPONSE_COLUMNS, ResponseFields,
    customer_event_from_record, response_from_record,
};
use touchpoints_core::touchpoint::name_key;
use touchpoints_core::transfer::Format;
use touchpoints_store::{ImportSummary, Store, StoreError};

use crate::transfer::{format_named, report_store_problems};

use crate::progress;

/// The actor the audit log records for changes made here.
const ACTOR: &str = "cli";
/// Rows per page of an export.
const PAGE: u32 = 10_000;
/// What clap and the shell use for a command called the wrong way.
const USAGE: u8 = 2;

#[derive(Subcommand)]
pub enum ResponsesCommand {
    /// Import survey answers from CSV or JSON: all rows or none. Columns: touchpoint (id or
    /// name), metric, score, comment, answered_at, channel, customer_ref, external_id,
    /// survey_id.
    Import {
        /// The file to read; `-` for standard input (then --format is needed).
        file: String,
        /// csv or json; taken from the file name if left out.
        #[arg(long, value_parser = ["csv", "json"])]
        format: Option<String>,
    },
    /// Export every answer, in the order stored.
    Export {
        /// csv or json; taken from the file name if left out, else csv.
        #[arg(long, value_parser = ["csv", "json"])]
        format: Option<String>,
        /// The file to write; standard output if left out or `-`.
        file: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum EventsCommand {
    /// Import customer events (activity, purchase, churn) from CSV or JSON: all rows or none.
    /// Columns: customer_ref, kind, at, amount, external_id.
    Import {
        /// The file to read; `-` for standard input (then --format is needed).
        file: String,
        /// csv or json; taken from the file name if left out.
        #[arg(long, value_parser = ["csv", "json"])]
        format: Option<String>,
    },
    /// Export every customer event, in the order stored.
    Export {
        /// csv or json; taken from the file name if left out, else csv.
        #[arg(long, value_parser = ["csv", "json"])]
        format: Option<String>,
        /// The file to write; standard output if left out or `-`.
        file: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum RollupsCommand {
    /// Recount every KPI roll-up from the stored answers and customer events.
    Rebuild,
}

#[derive(Subcommand)]
pub enum SettingsCommand {
    /// Print the organisation's time zone, or set it (an IANA name like Europe/Berlin) and
    /// recount the roll-ups in it.
    TimeZone { name: Option<String> },
}

pub async fn responses(store: &dyn Store, command: ResponsesCommand) -> anyhow::Result<ExitCode> {
    match command {
        ResponsesCommand::Import { file, format } => {
            import_responses(store, &file, format.as_deref()).await
        }
        ResponsesCommand::Export { format, file } => quiet_when_cut_off(
            export(store, Kind::Responses, format.as_deref(), file.as_deref()).await,
        ),
    }
}

pub async fn events(store: &dyn Store, command: EventsCommand) -> anyhow::Result<ExitCode> {
    match command {
        EventsCommand::Import { file, format } => {
            import_events(store, &file, format.as_deref()).await
        }
        EventsCommand::Export { format, file } => quiet_when_cut_off(
            export(store, Kind::Events, format.as_deref(), file.as_deref()).await,
        ),
    }
}

pub async fn rollups(store: &dyn Store, command: RollupsCommand) -> anyhow::Result<ExitCode> {
    match command {
        RollupsCommand::Rebuild => {
            let started = Instant::now();
            store.rebuild_rollups(ACTOR).await?;
            println!(
                "roll-ups recounted in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

pub async fn settings(store: &dyn Store, command: SettingsCommand) -> anyhow::Result<ExitCode> {
    match command {
        SettingsCommand::TimeZone { name: None } => {
            println!("{}", store.time_zone().await?);
            Ok(ExitCode::SUCCESS)
        }
        SettingsCommand::TimeZone { name: Some(name) } => {
            match store.set_time_zone(name.trim(), ACTOR).await {
                Ok(()) => {
                    println!("time zone set to {}; roll-ups recounted", name.trim());
                    Ok(ExitCode::SUCCESS)
                }
                Err(StoreError::Invalid(problems)) => {
                    for p in &problems.0 {
                        eprintln!("{p}");
                    }
                    Ok(ExitCode::FAILURE)
                }
                Err(e) => Err(e.into()),
            }
        }
    }
}

/// The rows of an import file, or the exit code when it cannot be read as one.
async fn read_rows(
    file: &str,
    format: Option<&str>,
    columns: &[&str],
) -> anyhow::Result<Result<Vec<Record>, ExitCode>> {
    let from_stdin = file == "-";
    let Some(format) = format_named(format, (!from_stdin).then_some(file))? else {
        eprintln!(
            "error: cannot tell the format of \"{file}\"; name it with --format csv or --format json"
        );
        return Ok(Err(ExitCode::from(USAGE)));
    };
    let mut bytes = Vec::new();
    if from_stdin {
        std::io::stdin().read_to_end(&mut bytes)?;
    } else {
        bytes = std::fs::read(file).with_context(|| format!("cannot read {file}"))?;
    }
    // A row count is only known after parsing; newlines are close enough for a bar.
    let estimate = bytes.iter().filter(|&&b| b == b'\n').count();
    let bar = progress::bar(estimate, "reading");
    let read = records::read(format, &bytes, columns, &mut |rows| {
        bar.set_position(rows as u64)
    });
    bar.finish_and_clear();
    match read {
        Ok(rows) => Ok(Ok(rows)),
        Err(problems) => Ok(Err(progress::report_problems(file, &problems))),
    }
}

fn report_stored(
    file: &str,
    what: &str,
    result: Result<ImportSummary, StoreError>,
) -> anyhow::Result<ExitCode> {
    match result {
        Ok(summary) => {
            println!(
                "{file}: {} {what} imported, {} already there",
                summary.created, summary.unchanged
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(StoreError::Invalid(p) | StoreError::Conflict(p)) => {
            report_store_problems(file, &p);
            Ok(ExitCode::FAILURE)
        }
        Err(e) => Err(e.into()),
    }
}

async fn import_responses(
    store: &dyn Store,
    file: &str,
    format: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let rows = match read_rows(file, format, &RESPONSE_COLUMNS).await? {
        Ok(rows) => rows,
        Err(code) => return Ok(code),
    };
    let touchpoints = store.list_touchpoints(&TouchpointFilter::default()).await?;
    let by_name: HashMap<String, i64> = touchpoints
        .iter()
        .map(|t| (t.fields.name_key(), t.id))
        .collect();
    let find = |text: &str| match text.parse::<i64>() {
        Ok(id) => touchpoints.iter().find(|t| t.id == id).map(|t| t.id),
        Err(_) => by_name.get(&name_key(text)).copied(),
    };
    let now = Timestamp::now();
    let answers = match records::convert(&rows, |r| response_from_record(r, &find, now)) {
        Ok(answers) => answers,
        Err(problems) => return Ok(progress::report_problems(file, &problems)),
    };
    let spinner = progress::spinner(answers.len(), "answers");
    let result = store.record_responses(&answers, Some(ACTOR)).await;
    spinner.finish_and_clear();
    report_stored(file, "answers", result)
}

async fn import_events(
    store: &dyn Store,
    file: &str,
    format: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let rows = match read_rows(file, format, &CUSTOMER_EVENT_COLUMNS).await? {
        Ok(rows) => rows,
        Err(code) => return Ok(code),
    };
    let now = Timestamp::now();
    let events = match records::convert(&rows, |r| customer_event_from_record(r, now)) {
        Ok(events) => events,
        Err(problems) => return Ok(progress::report_problems(file, &problems)),
    };
    let spinner = progress::spinner(events.len(), "customer events");
    let result = store.record_customer_events(&events, ACTOR).await;
    spinner.finish_and_clear();
    report_stored(file, "customer events", result)
}

#[derive(Clone, Copy)]
enum Kind {
    Responses,
    Events,
}

impl Kind {
    fn columns(self) -> &'static [&'static str] {
        match self {
            Kind::Responses => &RESPONSE_COLUMNS,
            Kind::Events => &CUSTOMER_EVENT_COLUMNS,
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Kind::Responses => "answers",
            Kind::Events => "customer events",
        }
    }
}

/// One exported row as cells in the order of the kind's columns; `None` for an empty cell.
type Row = Vec<Option<Cell>>;

enum Cell {
    Text(String),
    Number(i64),
}

impl Cell {
    fn text(&self) -> Cow<'_, str> {
        match self {
            Cell::Text(s) => Cow::Borrowed(s),
            Cell::Number(n) => Cow::Owned(n.to_string()),
        }
    }
}

fn response_row(answer: &ResponseFields) -> Row {
    let text = |s: &str| (!s.is_empty()).then(|| Cell::Text(s.to_owned()));
    vec![
        Some(Cell::Number(answer.touchpoint_id)),
        Some(Cell::Text(answer.metric.as_str().to_owned())),
        Some(Cell::Number(i64::from(answer.score))),
        text(&answer.comment),
        Some(Cell::Text(utc(answer.answered_at))),
        answer.channel.as_deref().and_then(text),
        answer.customer_ref.as_deref().and_then(text),
        answer.external_id.as_deref().and_then(text),
        answer.survey_id.map(Cell::Number),
    ]
}

fn event_row(event: &CustomerEventFields) -> Row {
    vec![
        Some(Cell::Text(event.customer_ref.clone())),
        Some(Cell::Text(event.kind.as_str().to_owned())),
        Some(Cell::Text(utc(event.at))),
        (event.kind == CustomerEventKind::Purchase)
            .then(|| Cell::Text(format_amount(event.amount_cents))),
        event.external_id.clone().map(Cell::Text),
    ]
}

/// RFC 3339 in UTC, as files from other systems are compared most easily.
fn utc(at: Timestamp) -> String {
    at.to_string()
}

/// Cents as a decimal with a point: 4990 → "49.90", -5 → "-0.05".
fn format_amount(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// An export piped into `head` stops when the reader has enough; that is no error.
fn quiet_when_cut_off(result: anyhow::Result<ExitCode>) -> anyhow::Result<ExitCode> {
    match result {
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            Ok(ExitCode::SUCCESS)
        }
        other => other,
    }
}

/// Writes every row of a kind, a page at a time, as CSV or a JSON array.
async fn export(
    store: &dyn Store,
    kind: Kind,
    format: Option<&str>,
    file: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let file = file.filter(|f| *f != "-");
    let format = format_named(format, file)?.unwrap_or(Format::Csv);
    // Write beside the target and rename, so a failed export never leaves half a file.
    let partial = file.map(|path| format!("{path}.partial"));
    let out: Box<dyn Write> = match &partial {
        Some(tmp) => {
            Box::new(std::fs::File::create(tmp).with_context(|| format!("cannot write {tmp}"))?)
        }
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = BufWriter::with_capacity(1 << 20, out);
    let columns = kind.columns();
    match format {
        Format::Csv => {
            out.write_all(&records::write_csv(
                columns,
                std::iter::empty::<Vec<Cow<str>>>(),
            ))?;
        }
        Format::Json => out.write_all(b"[")?,
    }
    let mut after_id = 0;
    let mut count = 0usize;
    loop {
        let rows: Vec<(i64, Row)> = match kind {
            Kind::Responses => store
                .response_page(after_id, PAGE)
                .await?
                .into_iter()
                .map(|r| (r.id, response_row(&r.fields)))
                .collect(),
            Kind::Events => store
                .customer_event_page(after_id, PAGE)
                .await?
                .into_iter()
                .map(|(id, e)| (id, event_row(&e)))
                .collect(),
        };
        let Some(&(last, _)) = rows.last() else {
            break;
        };
        after_id = last;
        match format {
            Format::Csv => {
                let csv = records::write_csv(
                    columns,
                    rows.iter().map(|(_, row)| {
                        row.iter()
                            .map(|cell| cell.as_ref().map_or(Cow::Borrowed(""), Cell::text))
                            .collect()
                    }),
                );
                // The core writes a header before every table; the file has one already.
                let body = csv
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(&csv[..], |i| &csv[i + 1..]);
                out.write_all(body)?;
            }
            Format::Json => {
                for (_, row) in &rows {
                    let object: serde_json::Map<String, serde_json::Value> = columns
                        .iter()
                        .zip(row)
                        .filter_map(|(&column, cell)| {
                            let value = match cell.as_ref()? {
                                Cell::Text(s) => serde_json::Value::from(s.as_str()),
                                Cell::Number(n) => serde_json::Value::from(*n),
                            };
                            Some((column.to_owned(), value))
                        })
                        .collect();
                    out.write_all(if count == 0 { b"\n" } else { b",\n" })?;
                    serde_json::to_writer(&mut out, &object)?;
                    count += 1;
                }
            }
        }
        if format == Format::Csv {
            count += rows.len();
        }
    }
    if format == Format::Json {
        out.write_all(b"\n]\n")?;
    }
    out.flush()?;
    drop(out);
    if let (Some(path), Some(tmp)) = (file, &partial) {
        std::fs::rename(tmp, path).with_context(|| format!("cannot write {path}"))?;
        eprintln!("{count} {} written to {path}", kind.noun());
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_written_with_a_decimal_point() {
        assert_eq!(format_amount(4990), "49.90");
        assert_eq!(format_amount(5), "0.05");
        assert_eq!(format_amount(-350), "-3.50");
        assert_eq!(format_amount(123_400), "1234.00");
    }
}
