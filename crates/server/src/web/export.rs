//! Tables of a page as files for other programs: CSV (UTF-8, comma-separated, numbers with a
//! decimal point) and XLSX workbooks with one sheet per table, numbers as numbers and text
//! as text.

use std::borrow::Cow;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use touchpoints_core::records::write_csv;

/// A table as cells, with a machine-readable name and header.
pub(super) struct Table {
    pub(super) name: &'static str,
    pub(super) header: Vec<&'static str>,
    pub(super) rows: Vec<Vec<Cell>>,
}

pub(super) enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl Cell {
    pub(super) fn text(&self) -> Cow<'_, str> {
        match self {
            Cell::Text(t) => Cow::Borrowed(t),
            Cell::Number(n) => Cow::Owned(n.to_string()),
            Cell::Empty => Cow::Borrowed(""),
        }
    }
}

/// `table` as a CSV download named `file_name`; text a spreadsheet would run as a formula is
/// defused by the writer, numbers stay numbers.
pub(super) fn csv_file(table: &Table, file_name: &str) -> Response {
    let body = write_csv(
        &table.header,
        table
            .rows
            .iter()
            .map(|row| row.iter().map(Cell::text).collect::<Vec<_>>()),
    );
    download("text/csv; charset=utf-8", file_name, body)
}

/// `tables` as an XLSX download named `file_name`, a sheet per table.
pub(super) fn xlsx_file(tables: &[Table], file_name: &str) -> Response {
    match workbook(tables) {
        Ok(bytes) => download(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            file_name,
            bytes,
        ),
        Err(e) => {
            tracing::error!(error = %e, "workbook failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "export failed").into_response()
        }
    }
}

fn workbook(tables: &[Table]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    for table in tables {
        let sheet = workbook.add_worksheet();
        sheet.set_name(table.name)?;
        for (col, name) in (0u16..).zip(&table.header) {
            sheet.write_string(0, col, *name)?;
        }
        for (row, cells) in (1u32..).zip(&table.rows) {
            for (col, cell) in (0u16..).zip(cells) {
                match cell {
                    // A label typed by staff may look like a formula; write it as text.
                    Cell::Text(t) => sheet.write_string(row, col, t)?,
                    Cell::Number(n) => sheet.write_number(row, col, *n)?,
                    Cell::Empty => sheet,
                };
            }
        }
    }
    workbook.save_to_buffer()
}

fn download(content_type: &str, file_name: &str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        body,
    )
        .into_response()
}
