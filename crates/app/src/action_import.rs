//! Actions imported from a CSV or XLSX file with the columns of the plan's export: every row
//! a new action, all or nothing. The rows are read and validated by the core
//! (`action_plan::import`, `records`, `workbook`), names of touchpoints and owners looked
//! up in the store, and the actions stored in one transaction; a problem anywhere, also one
//! only the store sees, is reported by its row and column and nothing is stored.

use touchpoints_core::action_plan::import::{self, Directory, ImportedAction};
use touchpoints_core::transfer::{Format, RowProblem};
use touchpoints_core::{FieldProblem, Problem, Problems, TouchpointFilter, records, workbook};
use touchpoints_store::{Store, StoreError, StoredAction};

use crate::AppError;

/// The kinds of file an import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Csv,
    Xlsx,
}

impl FileFormat {
    /// A workbook by its first bytes (a ZIP archive), else CSV text.
    pub fn sniff(bytes: &[u8]) -> FileFormat {
        if workbook::is_xlsx(bytes) {
            FileFormat::Xlsx
        } else {
            FileFormat::Csv
        }
    }
}

/// Why an import stored nothing.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ImportError {
    /// Problems of the file, each with its row and column (at most 1,000).
    #[error("{} problems in the file", .0.len())]
    Rows(Vec<RowProblem>),
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<StoreError> for ImportError {
    fn from(error: StoreError) -> Self {
        ImportError::App(error.into())
    }
}

/// The field of a file's problem in the API's error body: `rows[4].due` for row 4, column
/// `due`; `rows[4]` for a whole row; `file` for the whole file.
pub fn field_of(problem: &RowProblem) -> String {
    match (problem.row, problem.column.as_str()) {
        (0, "") => "file".to_owned(),
        (0, column) => column.to_owned(),
        (row, "") => format!("rows[{row}]"),
        (row, column) => format!("rows[{row}].{column}"),
    }
}

impl From<ImportError> for AppError {
    fn from(error: ImportError) -> Self {
        match error {
            ImportError::Rows(rows) => AppError::Invalid(Problems(
                rows.into_iter()
                    .map(|p| FieldProblem {
                        field: field_of(&p),
                        problem: p.problem,
                        message: p.message,
                    })
                    .collect(),
            )),
            ImportError::App(e) => e,
        }
    }
}

/// What the names of a file refer to: the inventory's touchpoints and the staff accounts.
pub async fn directory(store: &dyn Store) -> Result<Directory, AppError> {
    let touchpoints = store
        .list_touchpoints(&TouchpointFilter::default())
        .await?
        .into_iter()
        .map(|t| (t.fields.name_key(), t.id))
        .collect();
    let accounts = store
        .users()
        .await?
        .into_iter()
        .map(|u| (u.username, u.display_name))
        .collect();
    Ok(Directory {
        touchpoints,
        accounts,
    })
}

/// Reads and validates a file without storing anything.
pub fn read(
    format: FileFormat,
    bytes: &[u8],
    directory: &Directory,
) -> Result<Vec<ImportedAction>, Vec<RowProblem>> {
    let records = match format {
        FileFormat::Csv => records::read(Format::Csv, bytes, &import::COLUMNS, &mut |_| {})?,
        FileFormat::Xlsx => workbook::read_xlsx(bytes, &import::COLUMNS)?,
    };
    import::parse(&records, directory)
}

/// The column a field of the store's problems (`actions[2].touchpoint_ids[0]`) came from.
fn column_of(field: &str) -> &str {
    match field.split(['.', '[']).next().unwrap_or(field) {
        "touchpoint_ids" => "touchpoints",
        other => other,
    }
}

/// Stores the actions read, in one transaction; a problem the store reports (a finding
/// that does not exist, an owner who cannot own actions) is named by its row and column.
pub async fn store_all(
    store: &dyn Store,
    actions: &[ImportedAction],
    now: jiff::Timestamp,
    actor: &str,
) -> Result<Vec<StoredAction>, ImportError> {
    // A retire action imported in progress or done would take its touchpoints away without
    // the confirmation the status change asks for: refused by row, to be moved on there.
    let mut refused = Vec::new();
    for action in actions {
        let retiring = crate::actions::Retiring {
            kind: action.fields.kind,
            touchpoint_ids: &action.fields.touchpoint_ids,
            from: None,
            to: action.status,
        };
        match retiring.check(store, now, false).await {
            Ok(_) => {}
            Err(AppError::Conflict(problems)) => {
                refused.extend(problems.0.into_iter().map(|p| RowProblem {
                    row: action.row,
                    column: "status".to_owned(),
                    problem: p.problem,
                    message: p.message,
                }));
            }
            Err(other) => return Err(other.into()),
        }
    }
    if !refused.is_empty() {
        return Err(ImportError::Rows(refused));
    }
    let batch: Vec<_> = actions
        .iter()
        .map(|a| (a.fields.clone(), a.status))
        .collect();
    match store.create_actions(&batch, actor).await {
        Ok(stored) => Ok(stored),
        Err(StoreError::Invalid(problems)) => {
            let rows = problems
                .0
                .into_iter()
                .map(|p| {
                    let placed = p.field.strip_prefix("actions[").and_then(|rest| {
                        let (index, field) = rest.split_once("].")?;
                        let row = actions.get(index.parse::<usize>().ok()?)?.row;
                        Some((row, column_of(field).to_owned()))
                    });
                    let (row, column) = placed.unwrap_or((0, p.field.clone()));
                    // The rule codes the action form gives the same problems, so that pages
                    // say them in their language.
                    let code = match column.as_str() {
                        "touchpoints" => Some("unknown-touchpoint"),
                        "finding_ids" => Some("unknown-finding"),
                        "owner" => Some("not-an-owner"),
                        _ => None,
                    };
                    let problem = match (code, p.problem) {
                        (Some(code), Problem::Invalid { reason }) => Problem::Rule {
                            rule: code.to_owned(),
                            reason,
                        },
                        (_, other) => other,
                    };
                    RowProblem {
                        row,
                        column,
                        problem,
                        message: p.message,
                    }
                })
                .collect();
            Err(ImportError::Rows(rows))
        }
        Err(other) => Err(other.into()),
    }
}

/// Reads, validates and stores a file: every row a new action, or nothing.
pub async fn import(
    store: &dyn Store,
    format: FileFormat,
    bytes: &[u8],
    now: jiff::Timestamp,
    actor: &str,
) -> Result<Vec<StoredAction>, ImportError> {
    let directory = directory(store).await?;
    let actions = read(format, bytes, &directory).map_err(ImportError::Rows)?;
    store_all(store, &actions, now, actor).await
}

/// A problem with the file as a whole, as the import reports it.
pub fn file_problem(reason: &str) -> ImportError {
    let problem = FieldProblem::new(
        "",
        Problem::Invalid {
            reason: reason.to_owned(),
        },
    );
    ImportError::Rows(vec![RowProblem {
        row: 0,
        column: String::new(),
        problem: problem.problem,
        message: problem.message,
    }])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_are_named_as_fields_by_row_and_column() {
        let at = |row, column: &str| RowProblem {
            row,
            column: column.into(),
            problem: Problem::Required,
            message: "is required".into(),
        };
        assert_eq!(field_of(&at(4, "due")), "rows[4].due");
        assert_eq!(field_of(&at(4, "")), "rows[4]");
        assert_eq!(field_of(&at(0, "")), "file");
        assert_eq!(column_of("touchpoint_ids[0]"), "touchpoints");
        assert_eq!(column_of("owner"), "owner");
        assert!(FileFormat::sniff(b"PK\x03\x04rest") == FileFormat::Xlsx);
        assert!(FileFormat::sniff(b"kind,title\n") == FileFormat::Csv);
    }
}
