//! Import and export of touchpoints as CSV and JSON files: the format only, from bytes to
//! values and back, so that the CLI, the server and the tests share one definition of it.
//!
//! An import is all or nothing: every row is read and validated, and if anything is wrong the
//! caller gets every problem with its row and column, so a person can fix the whole file in one
//! go instead of one error per attempt.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use serde::Serialize;

use crate::catalog::{Catalog, Kind};
use crate::problem::{FieldProblem, Problem};
use crate::touchpoint::{Status, TouchpointFields, TouchpointInput, name_key};

/// The file formats an inventory can be imported from and exported to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Csv,
    Json,
}

impl Format {
    pub const ALL: [Format; 2] = [Format::Csv, Format::Json];

    /// The format a file name suggests, so the CLI needs no format flag in the common case.
    pub fn from_path(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?;
        Format::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(extension))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The columns of the CSV format, in the order of an export. The importer accepts them in any
/// order and any case, and all but `name`, `channel` and `phase` may be left out.
pub const CSV_COLUMNS: [&str; 14] = [
    "name",
    "description",
    "channel",
    "kind",
    "phase",
    "owner",
    "target_groups",
    "regions",
    "status",
    "importance_experience",
    "importance_loyalty",
    "importance_referral",
    "brand_fit",
    "notes",
];

/// At most this many problems are reported for one file. A wholly wrong file (say, another
/// table altogether) would otherwise yield one problem per cell, which helps nobody; when the
/// count reaches this limit there may be more.
pub const MAX_PROBLEMS: usize = 1_000;

/// How many rows are processed between two progress reports.
const PROGRESS_EVERY: usize = 1_000;

/// One problem at one place of an import file.
///
/// `row` is the spreadsheet row for CSV (the header is row 1) and the 1-based position in the
/// array for JSON; 0 means the file as a whole. `column` is the CSV column or the JSON field
/// path, empty when the problem concerns the whole row or file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RowProblem {
    pub row: usize,
    pub column: String,
    /// Flattened like in [`FieldProblem`], so clients read both the same way.
    #[serde(flatten)]
    pub problem: Problem,
    /// The problem in English words, for the CLI and logs.
    pub message: String,
}

impl RowProblem {
    pub(crate) fn new(row: usize, column: impl Into<String>, problem: Problem) -> Self {
        let message = problem.to_string();
        RowProblem {
            row,
            column: column.into(),
            problem,
            message,
        }
    }
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.row, self.column.as_str()) {
            (0, "") => f.write_str(&self.message),
            (0, column) => write!(f, "{column}: {}", self.message),
            (row, "") => write!(f, "row {row}: {}", self.message),
            (row, column) => write!(f, "row {row}, column {column}: {}", self.message),
        }
    }
}

/// Reads and validates a whole import file. Returns every touchpoint in file order, or every
/// problem found (at most [`MAX_PROBLEMS`]) if there is any.
///
/// `progress` is told the number of rows processed so far every thousand rows and once at the
/// end, so that the CLI can show a progress bar for large files.
pub fn parse(
    format: Format,
    bytes: &[u8],
    catalog: &Catalog,
    progress: &mut dyn FnMut(usize),
) -> Result<Vec<TouchpointFields>, Vec<RowProblem>> {
    let mut import = Import::new(catalog, progress);
    match format {
        Format::Csv => parse_csv(strip_bom(bytes), &mut import),
        Format::Json => parse_json(strip_bom(bytes), &mut import),
    }
    import.finish()
}

/// Windows tools (Excel's "CSV UTF-8", Notepad) start files with a byte order mark, which
/// would otherwise become part of the first header name or break the JSON syntax.
pub(crate) fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// The state of one import: what has been accepted, what is wrong, and which names were seen.
struct Import<'a> {
    catalog: &'a Catalog,
    progress: &'a mut dyn FnMut(usize),
    items: Vec<TouchpointFields>,
    problems: Vec<RowProblem>,
    /// Name key → the row that first used it.
    names: HashMap<String, usize>,
    rows: usize,
    reported_rows: usize,
}

impl<'a> Import<'a> {
    fn new(catalog: &'a Catalog, progress: &'a mut dyn FnMut(usize)) -> Self {
        Import {
            catalog,
            progress,
            items: Vec::new(),
            problems: Vec::new(),
            names: HashMap::new(),
            rows: 0,
            reported_rows: 0,
        }
    }

    fn push(&mut self, problem: RowProblem) {
        if !self.is_full() {
            self.problems.push(problem);
        }
    }

    fn is_full(&self) -> bool {
        self.problems.len() >= MAX_PROBLEMS
    }

    /// Validates one row. Problems in `bad_columns` were already reported from the raw cells;
    /// validation would only repeat them in other words (an undecodable name is also empty).
    fn accept(
        &mut self,
        row: usize,
        input: &TouchpointInput,
        column_of: fn(&FieldProblem) -> (String, String),
        bad_columns: &[&str],
    ) {
        self.check_name(row, &input.name);
        match input.validate(self.catalog) {
            Ok(fields) if bad_columns.is_empty() => {
                // Once the import has failed the rows are no longer needed.
                if self.problems.is_empty() {
                    self.items.push(fields);
                }
            }
            Ok(_) => {}
            Err(problems) => {
                for p in problems.0 {
                    let (column, message) = column_of(&p);
                    if !bad_columns.contains(&column.as_str()) {
                        self.push(RowProblem {
                            row,
                            column,
                            problem: p.problem,
                            message,
                        });
                    }
                }
            }
        }
    }

    /// Names must be unique in the inventory, so a file that repeats one cannot be imported
    /// whole; the later row is the one reported, as the first is the one a person expects to
    /// keep.
    fn check_name(&mut self, row: usize, name: &str) {
        let key = name_key(name);
        if key.is_empty() {
            return;
        }
        if let Some(&first) = self.names.get(&key) {
            let problem = Problem::Duplicate {
                value: name.trim().to_owned(),
            };
            let message = format!("{problem} by row {first}");
            self.push(RowProblem {
                row,
                column: "name".into(),
                problem,
                message,
            });
        } else {
            self.names.insert(key, row);
        }
    }

    fn row_done(&mut self) {
        self.rows += 1;
        if self.rows.is_multiple_of(PROGRESS_EVERY) {
            self.report_progress();
        }
    }

    fn report_progress(&mut self) {
        (self.progress)(self.rows);
        self.reported_rows = self.rows;
    }

    fn finish(mut self) -> Result<Vec<TouchpointFields>, Vec<RowProblem>> {
        if self.reported_rows != self.rows || self.rows == 0 {
            self.report_progress();
        }
        if self.problems.is_empty() {
            Ok(self.items)
        } else {
            Err(self.problems)
        }
    }
}

// --- CSV ---------------------------------------------------------------------------------

/// A column of the CSV format; the discriminant is the position in [`CSV_COLUMNS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Name,
    Description,
    Channel,
    Kind,
    Phase,
    Owner,
    TargetGroups,
    Regions,
    Status,
    ImportanceExperience,
    ImportanceLoyalty,
    ImportanceReferral,
    BrandFit,
    Notes,
}

impl Column {
    const ALL: [Column; 14] = [
        Column::Name,
        Column::Description,
        Column::Channel,
        Column::Kind,
        Column::Phase,
        Column::Owner,
        Column::TargetGroups,
        Column::Regions,
        Column::Status,
        Column::ImportanceExperience,
        Column::ImportanceLoyalty,
        Column::ImportanceReferral,
        Column::BrandFit,
        Column::Notes,
    ];

    const REQUIRED: [Column; 3] = [Column::Name, Column::Channel, Column::Phase];

    fn name(self) -> &'static str {
        CSV_COLUMNS[self as usize]
    }

    fn find(header: &str) -> Option<Column> {
        let header = header.trim();
        Column::ALL
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(header))
    }

    /// The cell of this column for one touchpoint, as exported.
    fn cell(self, f: &TouchpointFields) -> Cow<'_, str> {
        match self {
            Column::Name => Cow::Borrowed(&f.name),
            Column::Description => Cow::Borrowed(&f.description),
            Column::Channel => Cow::Borrowed(&f.channel),
            Column::Kind => Cow::Borrowed(f.kind.as_str()),
            Column::Phase => Cow::Borrowed(&f.phase),
            Column::Owner => Cow::Borrowed(&f.owner),
            Column::TargetGroups => Cow::Owned(join_list(&f.target_groups)),
            Column::Regions => Cow::Owned(join_list(&f.regions)),
            Column::Status => Cow::Borrowed(f.status.as_str()),
            Column::ImportanceExperience => Cow::Owned(f.importance.experience.to_string()),
            Column::ImportanceLoyalty => Cow::Owned(f.importance.loyalty.to_string()),
            Column::ImportanceReferral => Cow::Owned(f.importance.referral.to_string()),
            Column::BrandFit => Cow::Owned(f.brand_fit.to_string()),
            Column::Notes => Cow::Borrowed(&f.notes),
        }
    }

    /// Puts one cell into `input`. Empty cells leave the defaults of [`TouchpointInput`].
    fn read(self, input: &mut TouchpointInput, cell: &str) -> Result<(), Problem> {
        let trimmed = cell.trim();
        match self {
            Column::Name => input.name = cell.to_owned(),
            Column::Description => input.description = cell.to_owned(),
            Column::Channel => input.channel = cell.to_owned(),
            Column::Phase => input.phase = cell.to_owned(),
            Column::Owner => input.owner = cell.to_owned(),
            Column::Notes => input.notes = cell.to_owned(),
            Column::TargetGroups => input.target_groups = split_list(cell),
            Column::Regions => input.regions = split_list(cell),
            Column::Kind if !trimmed.is_empty() => input.kind = Some(parse_kind(trimmed)?),
            Column::Status if !trimmed.is_empty() => input.status = Some(parse_status(trimmed)?),
            Column::ImportanceExperience if !trimmed.is_empty() => {
                input.importance.experience = parse_number(trimmed)?;
            }
            Column::ImportanceLoyalty if !trimmed.is_empty() => {
                input.importance.loyalty = parse_number(trimmed)?;
            }
            Column::ImportanceReferral if !trimmed.is_empty() => {
                input.importance.referral = parse_number(trimmed)?;
            }
            Column::BrandFit if !trimmed.is_empty() => input.brand_fit = parse_number(trimmed)?,
            Column::Kind
            | Column::Status
            | Column::ImportanceExperience
            | Column::ImportanceLoyalty
            | Column::ImportanceReferral
            | Column::BrandFit => {}
        }
        Ok(())
    }
}

/// German words for the kinds, as people who keep the inventory in a German spreadsheet write
/// them; the English keys are what an export writes.
const KIND_WORDS: [(&str, Kind); 3] = [
    ("physisch", Kind::Physical),
    ("digital", Kind::Digital),
    ("kommunikation", Kind::Communication),
];

/// See [`KIND_WORDS`].
const STATUS_WORDS: [(&str, Status); 3] = [
    ("geplant", Status::Planned),
    ("aktiv", Status::Active),
    ("eingestellt", Status::Retired),
];

fn parse_kind(value: &str) -> Result<Kind, Problem> {
    let lower = value.to_lowercase();
    Kind::parse(&lower)
        .or_else(|| {
            KIND_WORDS
                .iter()
                .find(|(w, _)| *w == lower)
                .map(|(_, k)| *k)
        })
        .ok_or_else(|| Problem::Unknown {
            value: value.to_owned(),
            allowed: Kind::ALL.iter().map(|k| k.as_str().to_owned()).collect(),
        })
}

fn parse_status(value: &str) -> Result<Status, Problem> {
    let lower = value.to_lowercase();
    Status::parse(&lower)
        .or_else(|| {
            STATUS_WORDS
                .iter()
                .find(|(w, _)| *w == lower)
                .map(|(_, s)| *s)
        })
        .ok_or_else(|| Problem::Unknown {
            value: value.to_owned(),
            allowed: Status::ALL.iter().map(|s| s.as_str().to_owned()).collect(),
        })
}

fn parse_number(value: &str) -> Result<i64, Problem> {
    value.parse().map_err(|_| Problem::Invalid {
        reason: format!("\"{value}\" is not a whole number"),
    })
}

/// Splits a list cell on `;` if there is one, else on `,`: people type either, and a label
/// with a comma in it ("Nord, Ost") survives as long as the list uses `;`.
fn split_list(cell: &str) -> Vec<String> {
    let separator = if cell.contains(';') { ';' } else { ',' };
    cell.split(separator)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The inverse of [`split_list`]. A single label with a comma gets a trailing `;` so that it
/// is not split on the comma when read back. Labels containing `;` cannot round-trip.
fn join_list(labels: &[String]) -> String {
    let mut joined = labels.join("; ");
    if joined.contains(',') && !joined.contains(';') {
        joined.push(';');
    }
    joined
}

/// German Excel separates cells with `;` (the comma is the decimal separator there); everyone
/// else uses `,`. Only the header line is looked at, as it holds no free text.
pub(crate) fn detect_delimiter(bytes: &[u8]) -> u8 {
    let header = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    if header.contains(&b';') && !header.contains(&b',') {
        b';'
    } else {
        b','
    }
}

/// Line breaks inside quoted cells: they make the file's line number run ahead of the row a
/// spreadsheet shows, which is what people look at.
fn line_breaks_in(record: &csv::ByteRecord) -> usize {
    record
        .iter()
        .map(|cell| cell.iter().filter(|&&b| b == b'\n').count())
        .sum()
}

/// The line a record starts on. The csv reader gives the position where it started looking,
/// which lies before any blank lines it skipped; those still are rows in a spreadsheet.
pub(crate) fn start_line(bytes: &[u8], position: &csv::Position) -> usize {
    let from = usize::try_from(position.byte()).unwrap_or(usize::MAX);
    let skipped = bytes
        .get(from..)
        .unwrap_or_default()
        .iter()
        .take_while(|&&b| b == b'\r' || b == b'\n')
        .filter(|&&b| b == b'\n')
        .count();
    usize::try_from(position.line())
        .unwrap_or(usize::MAX)
        .saturating_add(skipped)
}

fn is_blank(cell: &[u8]) -> bool {
    cell.trim_ascii().is_empty()
}

fn parse_csv(bytes: &[u8], import: &mut Import<'_>) {
    // The csv crate counts lines by `\n` only; files from old Mac software end lines with a
    // bare `\r`, and would have every row reported as row 1.
    let bytes: Cow<'_, [u8]> = if !bytes.contains(&b'\n') && bytes.contains(&b'\r') {
        Cow::Owned(
            bytes
                .iter()
                .map(|&b| if b == b'\r' { b'\n' } else { b })
                .collect(),
        )
    } else {
        Cow::Borrowed(bytes)
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(detect_delimiter(&bytes))
        .from_reader(&bytes[..]);
    let mut record = csv::ByteRecord::new();
    // The header is read like any record so that its problems get a row, too.
    match reader.read_byte_record(&mut record) {
        Ok(true) => {}
        Ok(false) => {
            import.push(RowProblem::new(
                1,
                "",
                Problem::Invalid {
                    reason: format!(
                        "the file is empty; expected a header row with the columns {}",
                        CSV_COLUMNS.join(", ")
                    ),
                },
            ));
            return;
        }
        Err(error) => {
            import.push(csv_error(&error));
            return;
        }
    }
    let mut breaks = line_breaks_in(&record);
    let Some(columns) = read_header(&record, import) else {
        return;
    };
    let mut bad_columns: Vec<&str> = Vec::new();
    while !import.is_full() {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(error) => {
                import.push(csv_error(&error));
                break;
            }
        }
        let row = record
            .position()
            .map_or(0, |p| start_line(&bytes, p))
            .saturating_sub(breaks);
        breaks += line_breaks_in(&record);
        // Spreadsheets save trailing rows that were only formatted as `;;;;`.
        if record.iter().all(is_blank) {
            continue;
        }
        if record.len() != columns.len() {
            import.push(RowProblem::new(
                row,
                "",
                Problem::Invalid {
                    reason: format!(
                        "has {} cells but the header has {}",
                        record.len(),
                        columns.len()
                    ),
                },
            ));
            import.row_done();
            continue;
        }
        let mut input = TouchpointInput::default();
        bad_columns.clear();
        for (cell, column) in record.iter().zip(&columns) {
            let Some(column) = *column else {
                if !is_blank(cell) {
                    import.push(RowProblem::new(
                        row,
                        "",
                        Problem::Invalid {
                            reason: "has a value in a column without a header".into(),
                        },
                    ));
                }
                continue;
            };
            let result = std::str::from_utf8(cell)
                .map_err(|_| Problem::Invalid {
                    reason: "is not valid UTF-8 text; save the file as \"CSV UTF-8\"".into(),
                })
                .and_then(|text| column.read(&mut input, undefuse(text)));
            if let Err(problem) = result {
                import.push(RowProblem::new(row, column.name(), problem));
                bad_columns.push(column.name());
            }
        }
        import.accept(row, &input, csv_column, &bad_columns);
        import.row_done();
    }
}

/// Maps the header cells to columns; `None` for a blank header, which spreadsheets produce for
/// a trailing delimiter. Reports every problem with the header and returns `None` if there is
/// one, as rows read against a wrong header would only produce noise.
fn read_header(record: &csv::ByteRecord, import: &mut Import<'_>) -> Option<Vec<Option<Column>>> {
    let problems_before = import.problems.len();
    let mut columns = Vec::with_capacity(record.len());
    for cell in record {
        let Ok(header) = std::str::from_utf8(cell) else {
            import.push(RowProblem::new(
                1,
                String::from_utf8_lossy(cell).trim(),
                Problem::Invalid {
                    reason: "is not valid UTF-8 text; save the file as \"CSV UTF-8\"".into(),
                },
            ));
            columns.push(None);
            continue;
        };
        let header = header.trim();
        if header.is_empty() {
            columns.push(None);
            continue;
        }
        match Column::find(header) {
            Some(column) if columns.contains(&Some(column)) => {
                import.push(RowProblem::new(
                    1,
                    column.name(),
                    Problem::Duplicate {
                        value: header.to_owned(),
                    },
                ));
            }
            Some(column) => columns.push(Some(column)),
            None => {
                import.push(RowProblem::new(
                    1,
                    header,
                    Problem::Unknown {
                        value: header.to_owned(),
                        allowed: CSV_COLUMNS.iter().map(|&c| c.to_owned()).collect(),
                    },
                ));
                columns.push(None);
            }
        }
    }
    for required in Column::REQUIRED {
        if !columns.contains(&Some(required)) {
            import.push(RowProblem::new(1, required.name(), Problem::Required));
        }
    }
    (import.problems.len() == problems_before).then_some(columns)
}

/// Maps a validation field path to its CSV column: `importance.loyalty` is the column
/// `importance_loyalty`, and `target_groups[2]` the third entry of the column `target_groups`.
fn csv_column(p: &FieldProblem) -> (String, String) {
    match p.field.split_once('[') {
        Some((column, rest)) => {
            let entry = rest.trim_end_matches(']').parse::<usize>().map_or_else(
                |_| rest.trim_end_matches(']').to_owned(),
                |i| (i + 1).to_string(),
            );
            (column.to_owned(), format!("entry {entry}: {}", p.message))
        }
        None => (p.field.replace('.', "_"), p.message.clone()),
    }
}

/// The csv reader fails only on I/O, which a byte slice does not have, or on UTF-8 and
/// record lengths, which this module checks itself; reported rather than trusted.
pub(crate) fn csv_error(error: &csv::Error) -> RowProblem {
    let row = error
        .position()
        .and_then(|p| usize::try_from(p.line()).ok())
        .unwrap_or(0);
    RowProblem::new(
        row,
        "",
        Problem::Invalid {
            reason: format!("cannot read CSV: {error}"),
        },
    )
}

/// Writes the touchpoints as CSV with the columns of [`CSV_COLUMNS`]: comma-separated,
/// `\n`-terminated, UTF-8 without BOM, lists joined with `; `.
pub fn write_csv(items: &[TouchpointFields]) -> Vec<u8> {
    let mut out = String::new();
    write_csv_record(&mut out, CSV_COLUMNS.iter().map(|&c| Cow::Borrowed(c)));
    for item in items {
        write_csv_record(&mut out, Column::ALL.iter().map(|c| defuse(c.cell(item))));
    }
    out.into_bytes()
}

/// A cell that a spreadsheet would run as a formula (text starting with `=`, `+`, `-`, `@`,
/// a tab or a carriage return) gets a leading `'`, which spreadsheets show as text (OWASP: CSV
/// injection); [`undefuse`] takes it off again on import, so an export imports back
/// unchanged. A number stays as it is (`-53.17`, `+4`, `-1.5e3`): a spreadsheet reads it as
/// the number it is and runs nothing. Text that itself starts with `'` before such a
/// character gets one more, so the round trip stays exact. Every CSV export defuses here.
pub(crate) fn defuse(cell: Cow<'_, str>) -> Cow<'_, str> {
    if formula_like(&cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        cell
    }
}

fn formula_like(text: &str) -> bool {
    let text = text.trim_start_matches('\'');
    text.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_number(text)
}

/// A decimal number as a spreadsheet reads one: a sign, digits with at most one decimal point,
/// and an exponent (`-53.17`, `+4`, `.5`, `-1.5e3`). Nothing else, so no formula passes:
/// `-1+1` and `-2+3+cmd|' /C calc'!A0` are not numbers.
fn is_number(text: &str) -> bool {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e.strip_prefix(['+', '-']).unwrap_or(e))),
        None => (unsigned, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    (!whole.is_empty() || !fraction.is_empty())
        && digits(whole)
        && digits(fraction)
        && exponent.is_none_or(|e| !e.is_empty() && digits(e))
}

pub(crate) fn undefuse(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if formula_like(rest) => rest,
        _ => text,
    }
}

/// Writes one record, quoting as RFC 4180 asks. Done by hand rather than with `csv::Writer`
/// because that one returns errors that cannot happen when writing to memory.
pub(crate) fn write_csv_record<'a>(out: &mut String, cells: impl Iterator<Item = Cow<'a, str>>) {
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            out.push(',');
        }
        // `;` is quoted too, so that a spreadsheet guessing the delimiter does not split there.
        let needs_quotes = cell.contains([',', ';', '"', '\n', '\r'])
            || cell.starts_with(char::is_whitespace)
            || cell.ends_with(char::is_whitespace);
        if needs_quotes {
            out.push('"');
            out.push_str(&cell.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&cell);
        }
    }
    out.push('\n');
}

// --- JSON --------------------------------------------------------------------------------

fn parse_json(bytes: &[u8], import: &mut Import<'_>) {
    // Parsed to a tree first, so that one bad touchpoint does not hide the others and each
    // problem is reported with its position in the array.
    let value: serde_json::Value = match serde_json::from_slice(bytes) {
        Ok(value) => value,
        Err(error) => {
            import.push(RowProblem::new(
                0,
                "",
                Problem::Invalid {
                    reason: format!("malformed JSON: {error}"),
                },
            ));
            return;
        }
    };
    let serde_json::Value::Array(items) = value else {
        import.push(RowProblem::new(
            0,
            "",
            Problem::Invalid {
                reason: "expected an array of touchpoints at the top level".into(),
            },
        ));
        return;
    };
    for (i, item) in items.iter().enumerate() {
        if import.is_full() {
            break;
        }
        let row = i + 1;
        match serde_path_to_error::deserialize::<_, TouchpointInput>(item) {
            Ok(input) => import.accept(row, &input, json_column, &[]),
            Err(error) => {
                if let Some(name) = item.get("name").and_then(serde_json::Value::as_str) {
                    import.check_name(row, name);
                }
                let (column, problem) = serde_problem(&error);
                import.push(RowProblem::new(row, column, problem));
            }
        }
        import.row_done();
    }
}

fn json_column(p: &FieldProblem) -> (String, String) {
    (p.field.clone(), p.message.clone())
}

/// Turns a serde error into a problem of the same kinds validation reports, so that the CLI
/// and API clients need to understand only one vocabulary. serde reports these cases only as
/// text, in a fixed wording with the names in backticks.
fn serde_problem(error: &serde_path_to_error::Error<serde_json::Error>) -> (String, Problem) {
    let path = error.path().to_string();
    let path = if path == "." { String::new() } else { path };
    let message = error.inner().to_string();
    let names: Vec<String> = message
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect();
    let child = |name: &str| {
        if path.is_empty() {
            name.to_owned()
        } else {
            format!("{path}.{name}")
        }
    };
    match names.split_first() {
        Some((field, _)) if message.starts_with("missing field") => {
            (child(field), Problem::Required)
        }
        Some((field, allowed)) if message.starts_with("unknown field") => {
            // The path may or may not end with the unknown key; it is the place to name.
            let column = if path.rsplit('.').next() == Some(field.as_str()) {
                path.clone()
            } else {
                child(field)
            };
            let problem = Problem::Unknown {
                value: field.clone(),
                allowed: allowed.to_vec(),
            };
            (column, problem)
        }
        Some((value, allowed)) if message.starts_with("unknown variant") => (
            path,
            Problem::Unknown {
                value: value.clone(),
                allowed: allowed.to_vec(),
            },
        ),
        _ => (path, Problem::Invalid { reason: message }),
    }
}

/// Writes the touchpoints as a pretty JSON array in the shape the importer reads, with every
/// default spelled out so that the file documents itself.
pub fn write_json(items: &[TouchpointFields]) -> Vec<u8> {
    let inputs: Vec<TouchpointInput> = items.iter().map(TouchpointInput::from).collect();
    let mut out = serde_json::to_vec_pretty(&inputs)
        // Strings, integers, lists and unit enums: serde_json fails only on non-string map keys
        // and I/O, neither of which can occur here.
        .expect("touchpoints always serialize to JSON");
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{default_channels, default_phases};
    use crate::touchpoint::{Importance, ImportanceInput};
    use proptest::prelude::*;

    fn catalog() -> Catalog {
        Catalog {
            channels: default_channels(),
            phases: default_phases(),
        }
    }

    fn parse_csv(text: impl AsRef<[u8]>) -> Result<Vec<TouchpointFields>, Vec<RowProblem>> {
        parse(Format::Csv, text.as_ref(), &catalog(), &mut |_| {})
    }

    fn parse_json(text: &str) -> Result<Vec<TouchpointFields>, Vec<RowProblem>> {
        parse(Format::Json, text.as_bytes(), &catalog(), &mut |_| {})
    }

    /// (row, column) of every problem, the part tests care most about.
    fn places(problems: &[RowProblem]) -> Vec<(usize, &str)> {
        problems
            .iter()
            .map(|p| (p.row, p.column.as_str()))
            .collect()
    }

    fn kasse() -> TouchpointFields {
        TouchpointFields {
            name: "Kassenbereich \"Süd\", Ebene 2".into(),
            description: "Wartezeit an der Kasse;\nSamstags überfüllt, Größe der Schlange: lang"
                .into(),
            channel: "store".into(),
            kind: Kind::Physical,
            phase: "during-purchase".into(),
            owner: "Filialleitung Straße 5".into(),
            target_groups: vec!["Familien".into(), "Senioren, über 65".into()],
            regions: vec!["Süd".into()],
            status: Status::Active,
            importance: Importance {
                experience: 5,
                loyalty: 4,
                referral: 2,
            },
            brand_fit: 3,
            notes: "".into(),
        }
    }

    fn hotline() -> TouchpointFields {
        TouchpointFields {
            name: "Hotline Kundenservice".into(),
            description: "".into(),
            channel: "phone".into(),
            kind: Kind::Communication,
            phase: "after-purchase".into(),
            owner: "".into(),
            target_groups: vec![],
            regions: vec!["Nord, Ost".into()],
            status: Status::Planned,
            importance: Importance {
                experience: 3,
                loyalty: 3,
                referral: 3,
            },
            brand_fit: 1,
            notes: "Rückrufe binnen 24 h".into(),
        }
    }

    #[test]
    fn numbers_stay_numbers_and_only_formulas_are_defused() {
        let defused = |cell: &str| defuse(Cow::Borrowed(cell)).into_owned();
        // Numbers a spreadsheet reads as numbers, the dashboard's among them.
        for number in ["-53.17", "-0", "+4", "-1.5e3", "1E-7", "-.5", "42", "0.25"] {
            assert_eq!(defused(number), number);
        }
        // Text that a spreadsheet would evaluate.
        for formula in [
            "=1+1",
            "+1+1",
            "-1+1",
            "-2+3+cmd|' /C calc'!A0",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            "-",
            "+",
            "-.",
            "-1e",
            "-1.5.3",
            "-5 % im Vergleich",
            "-inf",
            "-NaN",
            "'-1+1",
        ] {
            assert_eq!(defused(formula), format!("'{formula}"), "{formula:?}");
        }
        // Text that starts otherwise stays.
        for text in ["Kasse", "53.17", "'-53.17", " -1+1", ""] {
            assert_eq!(defused(text), text);
        }
    }

    proptest! {
        #[test]
        fn defusing_is_undone_on_import(cell in "['=+@\\-\t\r0-9.eE a-z]{0,8}") {
            let defused = defuse(Cow::Borrowed(&cell)).into_owned();
            prop_assert_eq!(undefuse(&defused), cell.as_str());
            // What a spreadsheet sees first is no formula's start, unless the cell is a number.
            prop_assert!(
                !defused.starts_with(['=', '+', '-', '@', '\t', '\r']) || is_number(&defused)
            );
        }
    }

    #[test]
    fn formulas_are_defused_in_export_and_restored_on_import() {
        let catalog = catalog();
        let mut fields = TouchpointInput {
            name: "=HYPERLINK(\"http://evil.example\")".into(),
            channel: "phone".into(),
            phase: "after-purchase".into(),
            notes: "-5 % im Vergleich zum Vorjahr".into(),
            ..TouchpointInput::default()
        }
        .validate(&catalog)
        .expect("valid");
        fields.owner = "@service".into();
        let csv = write_csv(std::slice::from_ref(&fields));
        let text = String::from_utf8(csv.clone()).expect("UTF-8");
        assert!(text.contains("'=HYPERLINK"), "{text}");
        assert!(text.contains("'-5 %"), "{text}");
        assert!(text.contains("'@service"), "{text}");
        let back = parse(Format::Csv, &csv, &catalog, &mut |_| {}).expect("parses");
        assert_eq!(back, vec![fields]);
    }

    #[test]
    fn column_enum_matches_the_public_names() {
        for (i, column) in Column::ALL.into_iter().enumerate() {
            assert_eq!(column as usize, i);
            assert_eq!(Column::find(&column.name().to_uppercase()), Some(column));
        }
    }

    #[test]
    fn format_is_chosen_by_extension() {
        assert_eq!(
            Format::from_path(Path::new("/tmp/Inventar.CSV")),
            Some(Format::Csv)
        );
        assert_eq!(
            Format::from_path(Path::new("export.json")),
            Some(Format::Json)
        );
        assert_eq!(Format::from_path(Path::new("export.xlsx")), None);
        assert_eq!(Format::from_path(Path::new("csv")), None);
        assert_eq!(Format::Json.as_str(), "json");
    }

    #[test]
    fn german_content_with_quotes_commas_and_newlines() {
        let file = "name,description,channel,phase,owner,target_groups,notes\n\
            \"Kassenbereich \"\"Süd\"\"\",\"Wartezeit, Größe;\nzweite Zeile\",store,during-purchase,Straße 5,\"Familien, Senioren\",\n\
            Öffnungszeiten-Seite,,website,before-purchase,,,\"Maß \"\"voll\"\"\"\n";
        let items = parse_csv(file).expect("valid");
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].name, "Kassenbereich \"Süd\"");
        assert_eq!(items[0].description, "Wartezeit, Größe;\nzweite Zeile");
        assert_eq!(items[0].owner, "Straße 5");
        assert_eq!(items[0].target_groups, ["Familien", "Senioren"]);
        assert_eq!(items[0].kind, Kind::Physical);
        assert_eq!(items[0].status, Status::Active);
        assert_eq!(items[0].brand_fit, 3);
        assert_eq!(items[1].name, "Öffnungszeiten-Seite");
        assert_eq!(items[1].kind, Kind::Digital);
        assert_eq!(items[1].notes, "Maß \"voll\"");
    }

    #[test]
    fn byte_order_mark_is_ignored() {
        let file = b"\xEF\xBB\xBFname,channel,phase\nKasse,store,during-purchase\n";
        let items = parse_csv(file).expect("valid");
        assert_eq!(items[0].name, "Kasse");
        let json =
            "\u{feff}[{\"name\":\"Kasse\",\"channel\":\"store\",\"phase\":\"during-purchase\"}]";
        assert_eq!(parse_json(json).expect("valid")[0].name, "Kasse");
    }

    #[test]
    fn semicolon_file_as_german_excel_saves_it() {
        let mut file = b"\xEF\xBB\xBF".to_vec();
        file.extend_from_slice(
            "Name;Channel;Phase;Kind;Status;Target_Groups;Brand_Fit;Importance_Loyalty;Description;;\r\n\
             Außendienst-Besuch;field-service;before-purchase;Physisch;Aktiv;Familien, Senioren; 4 ;;\"Termin; dann Beratung\";;\r\n\
             Newsletter Frühjahr;newsletter;after-purchase;KOMMUNIKATION;eingestellt;;;5;;;\r\n\
             ;;;;;;;;;;\r\n"
                .as_bytes(),
        );
        let items = parse_csv(&file).expect("valid");
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].name, "Außendienst-Besuch");
        assert_eq!(items[0].kind, Kind::Physical);
        assert_eq!(items[0].status, Status::Active);
        assert_eq!(items[0].target_groups, ["Familien", "Senioren"]);
        assert_eq!(items[0].brand_fit, 4);
        assert_eq!(items[0].importance.loyalty, 3);
        assert_eq!(items[0].description, "Termin; dann Beratung");
        assert_eq!(items[1].kind, Kind::Communication);
        assert_eq!(items[1].status, Status::Retired);
        assert_eq!(items[1].importance.loyalty, 5);
    }

    #[test]
    fn bad_utf8_names_row_and_column() {
        let mut file = b"name,description,channel,phase\n".to_vec();
        file.extend_from_slice(b"Kasse,ok,store,during-purchase\n");
        // "Gr\xf6\xdfe" is "Größe" in Windows-1252, what Excel's plain "CSV" writes.
        file.extend_from_slice(b"Theke,Gr\xf6\xdfe,store,during-purchase\n");
        let problems = parse_csv(&file).expect_err("invalid");
        assert_eq!(places(&problems), [(3, "description")]);
        assert!(problems[0].message.contains("UTF-8"), "{}", problems[0]);

        // A name that cannot be decoded is reported once, not also as missing.
        let problems =
            parse_csv(b"name,channel,phase\n\xff,store,during-purchase\n").expect_err("invalid");
        assert_eq!(places(&problems), [(2, "name")]);
    }

    #[test]
    fn unknown_channel_names_the_row() {
        let file =
            "name,channel,phase\nKasse,store,during-purchase\nFax-Abruf,fax,after-purchase\n";
        let problems = parse_csv(file).expect_err("invalid");
        assert_eq!(places(&problems), [(3, "channel")]);
        assert!(matches!(&problems[0].problem, Problem::Unknown { value, .. } if value == "fax"));
        let shown = problems[0].to_string();
        assert!(
            shown.starts_with("row 3, column channel: unknown value \"fax\"; allowed: store, "),
            "{shown}"
        );
    }

    #[test]
    fn rows_are_counted_as_a_spreadsheet_shows_them() {
        // Row 2 spans three lines of the file and row 3 is blank; the bad row is row 4.
        let file = "name,description,channel,phase\n\
            Kasse,\"eins\nzwei\ndrei\",store,during-purchase\n\
            \n\
            Theke,,store,nowhere\n";
        let problems = parse_csv(file).expect_err("invalid");
        assert_eq!(places(&problems), [(4, "phase")]);
    }

    #[test]
    fn rows_are_counted_with_any_line_ending() {
        let lf =
            "name,channel,phase\n\nKasse,store,during-purchase\n\n\nTheke,fax,during-purchase\n";
        for file in [
            lf.to_owned(),
            lf.replace('\n', "\r\n"),
            lf.replace('\n', "\r"),
        ] {
            let problems = parse_csv(&file).expect_err("invalid");
            assert_eq!(places(&problems), [(6, "channel")], "{file:?}");
        }
    }

    #[test]
    fn every_problem_of_every_row_is_reported() {
        let file = "name,channel,phase,kind,status,brand_fit,importance_experience,regions\n\
            ,fax,during-purchase,analog,weg,hoch,9,Nord\n\
            Kasse,store,during-purchase,,,2.5,,\n\
            Theke,store,during-purchase\n";
        let problems = parse_csv(file).expect_err("invalid");
        assert_eq!(
            places(&problems),
            [
                (2, "kind"),
                (2, "status"),
                (2, "brand_fit"),
                (2, "name"),
                (2, "channel"),
                (2, "importance_experience"),
                (3, "brand_fit"),
                (4, ""),
            ]
        );
        assert_eq!(
            problems[0].problem,
            Problem::Unknown {
                value: "analog".into(),
                allowed: vec!["physical".into(), "digital".into(), "communication".into()],
            }
        );
        assert!(matches!(problems[2].problem, Problem::Invalid { .. }));
        assert_eq!(problems[3].problem, Problem::Required);
        assert_eq!(problems[5].problem, Problem::OutOfRange { min: 1, max: 5 });
        assert!(problems[7].message.contains("3 cells"), "{}", problems[7]);
    }

    #[test]
    fn list_entries_are_named_in_the_message() {
        let long = "x".repeat(61);
        let file = format!("name,channel,phase,regions\nKasse,store,during-purchase,Nord;{long}\n");
        let problems = parse_csv(file).expect_err("invalid");
        assert_eq!(places(&problems), [(2, "regions")]);
        assert_eq!(
            problems[0].message,
            "entry 2: must be at most 60 characters"
        );
    }

    #[test]
    fn header_problems_are_reported_at_row_1() {
        let problems =
            parse_csv("Name,Description,Phase\nKasse,,during-purchase\n").expect_err("invalid");
        assert_eq!(places(&problems), [(1, "channel")]);
        assert_eq!(problems[0].problem, Problem::Required);

        let problems = parse_csv("name,channel,phase,farbe,name\n").expect_err("invalid");
        assert_eq!(places(&problems), [(1, "farbe"), (1, "name")]);
        assert!(
            matches!(&problems[0].problem, Problem::Unknown { allowed, .. }
            if allowed.len() == CSV_COLUMNS.len())
        );
        assert!(matches!(problems[1].problem, Problem::Duplicate { .. }));

        let problems = parse_csv("").expect_err("invalid");
        assert_eq!(places(&problems), [(1, "")]);
    }

    #[test]
    fn header_only_file_is_an_empty_import() {
        assert_eq!(parse_csv("name,channel,phase\n"), Ok(vec![]));
        assert_eq!(parse_json("[]"), Ok(vec![]));
    }

    #[test]
    fn blank_header_column_is_ignored_unless_it_holds_values() {
        let file =
            "name,channel,phase,\nKasse,store,during-purchase,\nTheke,store,during-purchase,x\n";
        let problems = parse_csv(file).expect_err("invalid");
        assert_eq!(places(&problems), [(3, "")]);
    }

    #[test]
    fn repeated_names_are_duplicates_at_the_later_row() {
        let file = "name,channel,phase\n\
            Hotline  Kundenservice,phone,after-purchase\n\
            Kasse,store,during-purchase\n \
            hotline kundenservice ,phone,after-purchase\n";
        let problems = parse_csv(file).expect_err("invalid");
        assert_eq!(places(&problems), [(4, "name")]);
        assert_eq!(
            problems[0].problem,
            Problem::Duplicate {
                value: "hotline kundenservice".into()
            }
        );
        assert!(problems[0].message.ends_with("by row 2"), "{}", problems[0]);

        let json = r#"[{"name":"Kasse","channel":"store","phase":"during-purchase"},
                       {"name":"KASSE","channel":"store","phase":"during-purchase","brand_fit":"x"}]"#;
        let problems = parse_json(json).expect_err("invalid");
        assert_eq!(places(&problems), [(2, "name"), (2, "brand_fit")]);
    }

    #[test]
    fn json_wrong_type_names_row_and_field() {
        let json = r#"[
            {"name": "Kasse", "channel": "store", "phase": "during-purchase"},
            {"name": "Theke", "channel": "store", "phase": "during-purchase", "brand_fit": "hoch"}
        ]"#;
        let problems = parse_json(json).expect_err("invalid");
        assert_eq!(places(&problems), [(2, "brand_fit")]);
        assert!(matches!(&problems[0].problem, Problem::Invalid { reason }
            if reason.contains("hoch")));
        assert!(
            problems[0]
                .to_string()
                .starts_with("row 2, column brand_fit: invalid type")
        );
    }

    #[test]
    fn json_unknown_field_and_value_are_named() {
        let json = r#"[{"name": "Kasse", "channel": "store", "phase": "during-purchase", "colour": "red"},
                       {"name": "Theke", "channel": "store", "phase": "during-purchase", "status": "weg"},
                       {"name": "Tür", "channel": "store", "phase": "during-purchase", "importance": {"joy": 1}},
                       {"channel": "store", "phase": "during-purchase"},
                       {"name": "Tor", "channel": "store", "phase": "during-purchase", "importance": {"loyalty": 9}},
                       {"name": "Weg", "channel": "store", "phase": "during-purchase", "regions": ["a", 1]},
                       "Kasse"]"#;
        let problems = parse_json(json).expect_err("invalid");
        assert_eq!(
            places(&problems),
            [
                (1, "colour"),
                (2, "status"),
                (3, "importance.joy"),
                (4, "name"),
                (5, "importance.loyalty"),
                (6, "regions[1]"),
                (7, ""),
            ]
        );
        assert!(
            matches!(&problems[0].problem, Problem::Unknown { value, allowed }
            if value == "colour" && allowed.contains(&"brand_fit".to_string()))
        );
        assert!(
            matches!(&problems[1].problem, Problem::Unknown { value, allowed }
            if value == "weg" && allowed == &["planned", "active", "retired"])
        );
        assert_eq!(problems[3].problem, Problem::Required);
        assert_eq!(problems[4].problem, Problem::OutOfRange { min: 1, max: 5 });
    }

    #[test]
    fn malformed_json_is_a_file_problem_with_its_position() {
        let problems = parse_json("[\n{\"name\": \"Kasse\",,}\n]").expect_err("invalid");
        assert_eq!(places(&problems), [(0, "")]);
        assert!(problems[0].message.contains("line 2"), "{}", problems[0]);

        let problems = parse_json(r#"{"name": "Kasse"}"#).expect_err("invalid");
        assert_eq!(places(&problems), [(0, "")]);
        assert!(problems[0].message.contains("array"));
    }

    #[test]
    fn round_trips_csv_and_json() {
        let items = vec![kasse(), hotline()];
        let csv = write_csv(&items);
        let text = String::from_utf8(csv.clone()).expect("UTF-8");
        assert!(text.starts_with(&format!("{}\n", CSV_COLUMNS.join(","))));
        assert!(text.contains(",\"Familien; Senioren, über 65\","), "{text}");
        assert!(text.contains(",\"Nord, Ost;\","), "{text}");
        assert_eq!(parse_csv(&csv), Ok(items.clone()));
        assert_eq!(
            parse(Format::Json, &write_json(&items), &catalog(), &mut |_| {}),
            Ok(items)
        );
        assert_eq!(
            write_csv(&[]),
            format!("{}\n", CSV_COLUMNS.join(",")).into_bytes()
        );
        assert_eq!(write_json(&[]), b"[]\n");
    }

    #[test]
    fn progress_is_reported_every_thousand_rows_and_at_the_end() {
        let mut file = String::from("name,channel,phase\n");
        for i in 0..2_500 {
            file.push_str(&format!("Touchpoint {i},store,during-purchase\n"));
        }
        let mut seen = Vec::new();
        let items = parse(Format::Csv, file.as_bytes(), &catalog(), &mut |n| {
            seen.push(n)
        })
        .expect("valid");
        assert_eq!(items.len(), 2_500);
        assert_eq!(seen, [1_000, 2_000, 2_500]);

        let mut seen = Vec::new();
        let items = parse(Format::Json, b"[]", &catalog(), &mut |n| seen.push(n));
        assert_eq!(items, Ok(vec![]));
        assert_eq!(seen, [0]);
    }

    #[test]
    fn problems_are_capped() {
        let mut file = String::from("name,channel,phase\n");
        for i in 0..1_500 {
            file.push_str(&format!("Touchpoint {i},fax,during-purchase\n"));
        }
        let problems = parse_csv(&file).expect_err("invalid");
        assert_eq!(problems.len(), MAX_PROBLEMS);
    }

    #[test]
    fn row_problem_serializes_flat() {
        let p = RowProblem::new(7, "brand_fit", Problem::OutOfRange { min: 1, max: 5 });
        assert_eq!(
            serde_json::to_value(&p).expect("serializes"),
            serde_json::json!({
                "row": 7, "column": "brand_fit", "code": "out_of_range", "min": 1, "max": 5,
                "message": "must be between 1 and 5"
            })
        );
        assert_eq!(
            p.to_string(),
            "row 7, column brand_fit: must be between 1 and 5"
        );
    }

    /// Scripts a touchpoint name may well be written in, and then some.
    const LETTERS: &[std::ops::RangeInclusive<char>] = &[
        'a'..='z',
        'A'..='Z',
        '0'..='9',
        'À'..='ž',
        'Α'..='ω',
        'А'..='я',
        'א'..='ת',
        'ا'..='ي',
        'ぁ'..='ゖ',
        '一'..='龥',
        '𝐀'..='𝟿',
    ];

    fn text_char() -> impl Strategy<Value = char> {
        prop_oneof![
            3 => prop::char::ranges(LETTERS.into()).prop_filter("letter", |c| c.is_alphanumeric()),
            1 => prop::sample::select(vec![
                '"', ',', ';', ' ', '\n', '\r', '\t', '\'', 'ß', 'Ä', 'ü', '€', '=', '😀'
            ]),
        ]
    }

    fn text(max: usize) -> impl Strategy<Value = String> {
        prop::collection::vec(text_char(), 0..max).prop_map(|cs| cs.into_iter().collect())
    }

    /// Labels may hold commas but not `;`, which the CSV list format cannot carry.
    fn label() -> impl Strategy<Value = String> {
        text(12).prop_map(|s| s.replace(';', ""))
    }

    fn touchpoint() -> impl Strategy<Value = TouchpointFields> {
        let channels: Vec<String> = default_channels().into_iter().map(|c| c.key).collect();
        let phases: Vec<String> = default_phases().into_iter().map(|p| p.key).collect();
        (
            (
                text(30),
                text(80),
                prop::sample::select(channels),
                prop::option::of(prop::sample::select(Kind::ALL.to_vec())),
                prop::sample::select(phases),
                text(20),
            ),
            (
                prop::collection::vec(label(), 0..4),
                prop::collection::vec(label(), 0..4),
                prop::option::of(prop::sample::select(Status::ALL.to_vec())),
                [1i64..=5, 1..=5, 1..=5, 1..=5],
                text(40),
            ),
        )
            .prop_filter_map(
                "valid touchpoint",
                |(
                    (name, description, channel, kind, phase, owner),
                    (
                        target_groups,
                        regions,
                        status,
                        [experience, loyalty, referral, brand_fit],
                        notes,
                    ),
                )| {
                    TouchpointInput {
                        name,
                        description,
                        channel,
                        kind,
                        phase,
                        owner,
                        target_groups,
                        regions,
                        status,
                        importance: ImportanceInput {
                            experience,
                            loyalty,
                            referral,
                        },
                        brand_fit,
                        notes,
                    }
                    .validate(&catalog())
                    .ok()
                },
            )
    }

    proptest! {
        #[test]
        fn any_bytes_give_a_result_not_a_panic(
            bytes in prop::collection::vec(
                prop_oneof![any::<u8>(), prop::sample::select(b",;\"\r\n[]{}:".to_vec())],
                0..200,
            )
        ) {
            for format in Format::ALL {
                if let Err(problems) = parse(format, &bytes, &catalog(), &mut |_| {}) {
                    prop_assert!(!problems.is_empty() && problems.len() <= MAX_PROBLEMS);
                }
            }
        }

        #[test]
        fn export_then_import_gives_back_the_same(
            items in prop::collection::vec(touchpoint(), 0..8)
        ) {
            let mut seen = std::collections::HashSet::new();
            let items: Vec<TouchpointFields> =
                items.into_iter().filter(|t| seen.insert(t.name_key())).collect();
            prop_assert_eq!(parse_csv(write_csv(&items)), Ok(items.clone()));
            prop_assert_eq!(
                parse(Format::Json, &write_json(&items), &catalog(), &mut |_| {}),
                Ok(items)
            );
        }
    }
}
