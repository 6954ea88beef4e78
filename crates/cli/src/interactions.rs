//! `touchpoints interactions import FILE.json`: recorded customer interactions (until the
//! request queue records them itself), judged by the service standards. All or nothing.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use jiff::Timestamp;
use serde_json::{Map, Value};
use touchpoints_core::TouchpointFilter;
use touchpoints_store::{InteractionInput, Store, StoreError};

/// The actor the audit log records for changes made here.
const ACTOR: &str = "cli";

const FIELDS: [&str; 8] = [
    "external_id",
    "touchpoint",
    "channel",
    "customer_name",
    "received_at",
    "first_response_at",
    "resolved_at",
    "reply",
];

#[derive(Subcommand)]
pub enum InteractionsCommand {
    /// Import a JSON array of interactions, each with external_id, touchpoint (name or id),
    /// channel, customer_name, received_at, first_response_at, resolved_at (RFC 3339) and
    /// reply. An interaction with a known external_id is updated. All rows or none.
    Import { file: PathBuf },
}

pub async fn run(store: &dyn Store, command: InteractionsCommand) -> anyhow::Result<ExitCode> {
    match command {
        InteractionsCommand::Import { file } => import(store, &file).await,
    }
}

/// A problem of one row (counted from 1) and field.
#[derive(Debug, PartialEq, Eq)]
struct RowProblem {
    row: usize,
    field: String,
    message: String,
}

/// What the rows refer to: touchpoints by id and by name without case, and channel keys.
struct References {
    ids: Vec<i64>,
    names: HashMap<String, i64>,
    channels: Vec<String>,
}

fn text(
    row: &Map<String, Value>,
    field: &str,
    required: bool,
    problems: &mut Vec<String>,
) -> Option<String> {
    match row.get(field) {
        None | Some(Value::Null) => {
            if required {
                problems.push(format!("{field}: is required"));
            }
            None
        }
        Some(Value::String(s)) if s.trim().is_empty() && required => {
            problems.push(format!("{field}: is required"));
            None
        }
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) => Some(s.trim().to_owned()),
        Some(other) => {
            problems.push(format!("{field}: must be text, not {other}"));
            None
        }
    }
}

fn instant(
    row: &Map<String, Value>,
    field: &str,
    required: bool,
    problems: &mut Vec<String>,
) -> Option<Timestamp> {
    let value = text(row, field, required, problems)?;
    match value.parse::<Timestamp>() {
        Ok(at) => Some(at),
        Err(_) => {
            problems.push(format!(
                "{field}: \"{value}\" is no RFC 3339 instant (2026-03-02T09:15:00+01:00)"
            ));
            None
        }
    }
}

fn touchpoint(
    row: &Map<String, Value>,
    refs: &References,
    problems: &mut Vec<String>,
) -> Option<i64> {
    let by_id = |id: i64, problems: &mut Vec<String>| {
        if refs.ids.contains(&id) {
            Some(id)
        } else {
            problems.push(format!("touchpoint: no touchpoint has the id {id}"));
            None
        }
    };
    match row.get("touchpoint") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => match n.as_i64() {
            Some(id) => by_id(id, problems),
            None => {
                problems.push(format!("touchpoint: {n} is no id"));
                None
            }
        },
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) => match refs.names.get(&s.trim().to_lowercase()) {
            Some(id) => Some(*id),
            None => match s.trim().parse::<i64>() {
                Ok(id) => by_id(id, problems),
                Err(_) => {
                    problems.push(format!("touchpoint: no touchpoint is named \"{s}\""));
                    None
                }
            },
        },
        Some(other) => {
            problems.push(format!("touchpoint: must be a name or an id, not {other}"));
            None
        }
    }
}

/// One row as an interaction, or its problems (each "field: message").
fn parse_row(value: &Value, refs: &References) -> Result<InteractionInput, Vec<String>> {
    let Some(row) = value.as_object() else {
        return Err(vec!["must be an object".into()]);
    };
    let mut problems = Vec::new();
    for key in row.keys() {
        if !FIELDS.contains(&key.as_str()) {
            problems.push(format!(
                "{key}: unknown field; known: {}",
                FIELDS.join(", ")
            ));
        }
    }
    let external_id = text(row, "external_id", false, &mut problems);
    let touchpoint_id = touchpoint(row, refs, &mut problems);
    let channel = text(row, "channel", true, &mut problems);
    if let Some(c) = &channel
        && !refs.channels.contains(c)
    {
        problems.push(format!(
            "channel: unknown channel \"{c}\"; known: {}",
            refs.channels.join(", ")
        ));
    }
    let customer_name = text(row, "customer_name", false, &mut problems);
    let received_at = instant(row, "received_at", true, &mut problems);
    let first_response_at = instant(row, "first_response_at", false, &mut problems);
    let resolved_at = instant(row, "resolved_at", false, &mut problems);
    let reply = match row.get("reply") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            problems.push(format!("reply: must be text, not {other}"));
            String::new()
        }
    };
    if let Some(received) = received_at {
        for (field, at) in [
            ("first_response_at", first_response_at),
            ("resolved_at", resolved_at),
        ] {
            if at.is_some_and(|at| at < received) {
                problems.push(format!("{field}: is before received_at"));
            }
        }
    }
    match (channel, received_at) {
        (Some(channel), Some(received_at)) if problems.is_empty() => Ok(InteractionInput {
            external_id,
            touchpoint_id,
            channel,
            customer_name,
            received_at,
            first_response_at,
            resolved_at,
            reply,
        }),
        _ => Err(problems),
    }
}

/// Every row, or the problems of all rows (row counted from 1).
fn parse(bytes: &[u8], refs: &References) -> Result<Vec<InteractionInput>, Vec<RowProblem>> {
    let document: Value = serde_json::from_slice(bytes).map_err(|e| {
        vec![RowProblem {
            row: 0,
            field: String::new(),
            message: format!("not JSON: {e}"),
        }]
    })?;
    let Some(rows) = document.as_array() else {
        return Err(vec![RowProblem {
            row: 0,
            field: String::new(),
            message: "must be an array of interactions".into(),
        }]);
    };
    let mut problems = Vec::new();
    let mut interactions = Vec::with_capacity(rows.len());
    for (i, value) in rows.iter().enumerate() {
        match parse_row(value, refs) {
            Ok(interaction) => interactions.push(interaction),
            Err(found) => problems.extend(found.into_iter().map(|p| {
                let (field, message) = p.split_once(": ").unwrap_or(("", p.as_str()));
                RowProblem {
                    row: i + 1,
                    field: field.to_owned(),
                    message: message.to_owned(),
                }
            })),
        }
    }
    if problems.is_empty() {
        Ok(interactions)
    } else {
        Err(problems)
    }
}

fn report(file: &std::path::Path, problems: &[RowProblem]) {
    for p in problems {
        match (p.row, p.field.as_str()) {
            (0, _) => eprintln!("{}: {}", file.display(), p.message),
            (row, "") => eprintln!("{}: row {row}: {}", file.display(), p.message),
            (row, field) => eprintln!("{}: row {row}, {field}: {}", file.display(), p.message),
        }
    }
    eprintln!("{} problem(s); nothing was imported", problems.len());
}

async fn import(store: &dyn Store, file: &std::path::Path) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let touchpoints = store.list_touchpoints(&TouchpointFilter::default()).await?;
    let catalog = store.catalog().await?;
    let refs = References {
        ids: touchpoints.iter().map(|t| t.id).collect(),
        names: touchpoints
            .iter()
            .map(|t| (t.fields.name.to_lowercase(), t.id))
            .collect(),
        channels: catalog.channels.iter().map(|c| c.key.clone()).collect(),
    };
    let interactions = match parse(&bytes, &refs) {
        Ok(interactions) => interactions,
        Err(problems) => {
            report(file, &problems);
            return Ok(ExitCode::FAILURE);
        }
    };
    match store.record_interactions(&interactions, ACTOR).await {
        Ok(summary) => {
            println!(
                "{}: {} interactions created, {} updated",
                file.display(),
                summary.created,
                summary.updated
            );
            Ok(ExitCode::SUCCESS)
        }
        // Another writer may have deleted a touchpoint or channel since the check.
        Err(StoreError::Invalid(p) | StoreError::Conflict(p)) => {
            let problems: Vec<RowProblem> =
                p.0.iter()
                    .map(|fp| {
                        // The store names fields as "[row].field", rows from 0.
                        let (row, field) = fp
                            .field
                            .strip_prefix('[')
                            .and_then(|f| f.split_once("]."))
                            .and_then(|(row, field)| Some((row.parse::<usize>().ok()? + 1, field)))
                            .unwrap_or((0, fp.field.as_str()));
                        RowProblem {
                            row,
                            field: field.to_owned(),
                            message: fp.problem.to_string(),
                        }
                    })
                    .collect();
            report(file, &problems);
            Ok(ExitCode::FAILURE)
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs() -> References {
        References {
            ids: vec![7],
            names: [("kundenservice e-mail".to_owned(), 7)].into(),
            channels: vec!["email".into(), "phone".into()],
        }
    }

    #[test]
    fn rows_name_their_touchpoint_by_name_or_id() {
        let json = br#"[
            {"external_id": "M-1", "touchpoint": "Kundenservice E-Mail", "channel": "email",
             "customer_name": "Anna Becker", "received_at": "2026-03-02T09:15:00+01:00",
             "first_response_at": "2026-03-02T10:00:00+01:00", "reply": "Hallo Frau Becker"},
            {"touchpoint": 7, "channel": "phone", "received_at": "2026-03-02T08:00:00Z"}
        ]"#;
        let rows = parse(json, &refs()).expect("valid");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].touchpoint_id, Some(7));
        assert_eq!(
            rows[0].received_at.to_string(),
            "2026-03-02T08:15:00Z",
            "offsets are kept as the instant they name"
        );
        assert_eq!(rows[1].touchpoint_id, Some(7));
        assert_eq!(rows[1].reply, "");
    }

    #[test]
    fn every_problem_is_named_by_row_and_field() {
        let json = br#"[
            {"channel": "email", "received_at": "2026-03-02T09:15:00Z"},
            {"touchpoint": "Filiale", "channel": "fax", "received_at": "gestern",
             "colour": "red"},
            {"channel": "email", "received_at": "2026-03-02T09:15:00Z",
             "first_response_at": "2026-03-01T09:15:00Z"}
        ]"#;
        let problems = parse(json, &refs()).expect_err("invalid");
        let named: Vec<(usize, &str)> =
            problems.iter().map(|p| (p.row, p.field.as_str())).collect();
        assert_eq!(
            named,
            [
                (2, "colour"),
                (2, "touchpoint"),
                (2, "channel"),
                (2, "received_at"),
                (3, "first_response_at"),
            ]
        );
        assert!(parse(b"{}", &refs()).is_err());
        assert!(parse(b"[", &refs()).is_err());
    }
}
