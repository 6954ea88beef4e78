//! Tables of simple records from CSV or JSON files: survey answers and customer events from
//! other tools. The file is read into rows of named cells first, the same way for both
//! formats, so that each kind of record is converted and validated once and every problem
//! carries its row and column.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::problem::Problem;
use crate::transfer::{
    Format, MAX_PROBLEMS, RowProblem, csv_error, defuse, detect_delimiter, start_line, strip_bom,
    undefuse, write_csv_record,
};

/// How many rows are read between two progress reports.
const PROGRESS_EVERY: usize = 1_000;

/// One row of a file: its number as a person sees it (the spreadsheet row for CSV, where the
/// header is row 1; the 1-based position in the array for JSON) and its non-empty cells by
/// column name in lower case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub row: usize,
    pub cells: BTreeMap<String, String>,
}

impl Record {
    /// The trimmed cell, `None` when absent or blank.
    pub fn get(&self, column: &str) -> Option<&str> {
        self.cells
            .get(column)
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
    }
}

/// Reads every row of a file whose columns are `columns` (in any order and case; unknown
/// columns are problems, so a typo does not silently drop data). Problems are capped at
/// [`MAX_PROBLEMS`].
pub fn read(
    format: Format,
    bytes: &[u8],
    columns: &[&str],
    progress: &mut dyn FnMut(usize),
) -> Result<Vec<Record>, Vec<RowProblem>> {
    let bytes = strip_bom(bytes);
    let result = match format {
        Format::Csv => read_csv(bytes, columns, progress),
        Format::Json => read_json(bytes, columns, progress),
    };
    result.map_err(|mut problems| {
        problems.truncate(MAX_PROBLEMS);
        problems
    })
}

fn unknown_column(row: usize, name: &str, columns: &[&str]) -> RowProblem {
    RowProblem::new(
        row,
        name,
        Problem::Unknown {
            value: name.to_owned(),
            allowed: columns.iter().map(|&c| c.to_owned()).collect(),
        },
    )
}

fn read_csv(
    bytes: &[u8],
    columns: &[&str],
    progress: &mut dyn FnMut(usize),
) -> Result<Vec<Record>, Vec<RowProblem>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(detect_delimiter(bytes))
        .from_reader(bytes);
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(header)) => header,
        Some(Err(error)) => return Err(vec![csv_error(&error)]),
        None => {
            return Err(vec![RowProblem::new(
                1,
                "",
                Problem::Invalid {
                    reason: format!(
                        "the file is empty; expected a header row with the columns {}",
                        columns.join(", ")
                    ),
                },
            )]);
        }
    };
    let names: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    let mut problems: Vec<RowProblem> = names
        .iter()
        .filter(|n| !n.is_empty() && !columns.contains(&n.as_str()))
        .map(|n| unknown_column(1, n, columns))
        .collect();
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut out = Vec::new();
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                problems.push(csv_error(&error));
                break;
            }
        };
        let row = record
            .position()
            .map_or(0, |position| start_line(bytes, position));
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if record.len() > names.len() {
            problems.push(RowProblem::new(
                row,
                "",
                Problem::Invalid {
                    reason: format!(
                        "has {} cells but the header names {} columns",
                        record.len(),
                        names.len()
                    ),
                },
            ));
            continue;
        }
        let cells = names
            .iter()
            .zip(record.iter())
            .filter(|(name, cell)| !name.is_empty() && !cell.trim().is_empty())
            // A cell an export marked so that spreadsheets do not run it (a refund's
            // "'-3.50") reads back as written.
            .map(|(name, cell)| (name.clone(), undefuse(cell).to_owned()))
            .collect();
        out.push(Record { row, cells });
        if out.len() % PROGRESS_EVERY == 0 {
            progress(out.len());
        }
    }
    progress(out.len());
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

fn read_json(
    bytes: &[u8],
    columns: &[&str],
    progress: &mut dyn FnMut(usize),
) -> Result<Vec<Record>, Vec<RowProblem>> {
    let whole = |reason: String| vec![RowProblem::new(0, "", Problem::Invalid { reason })];
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|error| whole(format!("malformed JSON: {error}")))?;
    let serde_json::Value::Array(items) = value else {
        return Err(whole(
            "expected an array of records at the top level".into(),
        ));
    };
    let mut problems = Vec::new();
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let row = i + 1;
        let serde_json::Value::Object(object) = item else {
            problems.push(RowProblem::new(
                row,
                "",
                Problem::Invalid {
                    reason: "expected an object".into(),
                },
            ));
            continue;
        };
        let mut cells = BTreeMap::new();
        for (name, value) in object {
            let name = name.to_lowercase();
            if !columns.contains(&name.as_str()) {
                problems.push(unknown_column(row, &name, columns));
                continue;
            }
            let cell = match value {
                serde_json::Value::Null => continue,
                serde_json::Value::String(s) => s,
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::Bool(b) => b.to_string(),
                other => {
                    problems.push(RowProblem::new(
                        row,
                        name,
                        Problem::Invalid {
                            reason: format!("expected text or a number, not {other}"),
                        },
                    ));
                    continue;
                }
            };
            cells.insert(name, cell);
        }
        out.push(Record { row, cells });
        if out.len() % PROGRESS_EVERY == 0 {
            progress(out.len());
        }
        if problems.len() >= MAX_PROBLEMS {
            break;
        }
    }
    progress(out.len());
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// Converts every record, collecting all problems (capped at [`MAX_PROBLEMS`]) rather than
/// stopping at the first.
pub fn convert<T>(
    records: &[Record],
    mut convert_one: impl FnMut(&Record) -> Result<T, Vec<(String, Problem)>>,
) -> Result<Vec<T>, Vec<RowProblem>> {
    let mut problems = Vec::new();
    let mut out = Vec::with_capacity(records.len());
    for record in records {
        match convert_one(record) {
            Ok(value) => out.push(value),
            Err(found) => {
                problems.extend(
                    found
                        .into_iter()
                        .map(|(column, problem)| RowProblem::new(record.row, column, problem)),
                );
                if problems.len() >= MAX_PROBLEMS {
                    problems.truncate(MAX_PROBLEMS);
                    break;
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// Writes rows as CSV under a header: comma-separated, UTF-8, cells that a spreadsheet would
/// run as formulas defused.
pub fn write_csv<'a>(
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<Cow<'a, str>>>,
) -> Vec<u8> {
    let mut out = String::new();
    write_csv_record(&mut out, header.iter().map(|&h| Cow::Borrowed(h)));
    for row in rows {
        write_csv_record(&mut out, row.into_iter().map(defuse));
    }
    out.into_bytes()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const COLUMNS: [&str; 3] = ["touchpoint", "score", "comment"];

    fn csv(text: &str) -> Result<Vec<Record>, Vec<RowProblem>> {
        read(Format::Csv, text.as_bytes(), &COLUMNS, &mut |_| {})
    }

    #[test]
    fn csv_rows_are_numbered_as_in_a_spreadsheet_and_blank_cells_are_absent() {
        let records = csv(
            "\u{feff}Touchpoint;Score;Comment\nKasse;9;\n\nHotline;3;\"zu lange\nWartezeit\"\n",
        )
        .unwrap();
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].row, 2);
        assert_eq!(records[0].get("touchpoint"), Some("Kasse"));
        assert_eq!(records[0].get("comment"), None);
        assert_eq!(records[1].row, 4);
        assert_eq!(records[1].get("comment"), Some("zu lange\nWartezeit"));
    }

    #[test]
    fn unknown_columns_and_overlong_rows_are_named() {
        let problems = csv("touchpoint,scor\nKasse,9\n").unwrap_err();
        assert_eq!((problems[0].row, problems[0].column.as_str()), (1, "scor"));
        let problems = csv("touchpoint,score\nKasse,9,extra\n").unwrap_err();
        assert_eq!((problems[0].row, problems[0].column.as_str()), (2, ""));
    }

    #[test]
    fn json_numbers_become_cells_and_nested_values_are_refused() {
        let text = r#"[{"touchpoint": "Kasse", "score": 9}, {"score": [1]}, 3]"#;
        let problems = read(Format::Json, text.as_bytes(), &COLUMNS, &mut |_| {}).unwrap_err();
        let places: Vec<_> = problems
            .iter()
            .map(|p| (p.row, p.column.as_str()))
            .collect();
        assert_eq!(places, [(2, "score"), (3, "")]);
        let ok = read(
            Format::Json,
            br#"[{"touchpoint": "Kasse", "score": 9}]"#,
            &COLUMNS,
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(ok[0].get("score"), Some("9"));
    }

    #[test]
    fn conversion_collects_the_problems_of_every_row() {
        let records = csv("touchpoint,score\nA,x\nB,1\nC,y\n").unwrap();
        let problems = convert(&records, |r| {
            r.get("score")
                .unwrap_or_default()
                .parse::<i64>()
                .map_err(|_| vec![("score".to_owned(), Problem::Required)])
        })
        .unwrap_err();
        let rows: Vec<_> = problems.iter().map(|p| p.row).collect();
        assert_eq!(rows, [2, 4]);
    }

    #[test]
    fn written_csv_keeps_numbers_as_numbers() {
        let bytes = write_csv(
            &["value", "low", "note"],
            [vec![
                Cow::Borrowed("-53.17"),
                Cow::Borrowed("-60"),
                Cow::Borrowed("-1+1"),
            ]],
        );
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "value,low,note\n-53.17,-60,'-1+1\n"
        );
    }

    #[test]
    fn written_csv_defuses_formulas() {
        let bytes = write_csv(
            &["a", "b"],
            [vec![Cow::Borrowed("=1+1"), Cow::Borrowed("x")]],
        );
        assert_eq!(String::from_utf8(bytes).unwrap(), "a,b\n'=1+1,x\n");
    }
}
