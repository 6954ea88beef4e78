//! Rows of an Excel workbook (XLSX) as [`Record`]s, like [`crate::records::read`] makes of a
//! CSV file: the first worksheet, its first row the header, every problem with its row and
//! column. Read from bytes in memory; what the workbook unpacks to is counted first, so that
//! a small file cannot stand for a huge one.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xlsx};

use crate::problem::Problem;
use crate::records::Record;
use crate::transfer::{MAX_PROBLEMS, RowProblem};

/// The most a workbook may unpack to: 64 MiB of XML is some hundred thousand rows of an
/// action plan, far more than any plan has, and a bound on the memory one upload takes.
pub const MAX_UNPACKED_BYTES: u64 = 64 * 1024 * 1024;

/// Whether `bytes` look like a workbook (a ZIP archive) rather than text.
pub fn is_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

fn whole(reason: impl Into<String>) -> Vec<RowProblem> {
    vec![RowProblem::new(
        0,
        "",
        Problem::Invalid {
            reason: reason.into(),
        },
    )]
}

/// The text of a cell as an import reads it: text as written (an XLSX cell holds its text,
/// nothing is defused in it), numbers in the shortest form that reads back as the same number
/// (`1234.5`, `12`), a date that a spreadsheet made of typed text as `YYYY-MM-DD`.
fn cell_text(cell: &Data) -> Result<Option<String>, String> {
    Ok(match cell {
        Data::Empty => None,
        Data::String(s) => Some(s.clone()),
        Data::Int(i) => Some(i.to_string()),
        Data::Float(f) => Some(f.to_string()),
        Data::Bool(b) => Some(b.to_string()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Some(s.clone()),
        Data::DateTime(d) => {
            // Excel counts days from 1899-12-30 (its 1900 leap-year mistake included).
            let days = d.as_f64().floor() as i64;
            let epoch = jiff::civil::date(1899, 12, 30);
            let day = epoch
                .checked_add(jiff::Span::new().days(days))
                .map_err(|_| format!("a date {days} days after 1899-12-30"))?;
            Some(day.to_string())
        }
        Data::Error(e) => return Err(format!("the cell shows the error {e}")),
    })
}

/// Reads the first worksheet of an XLSX workbook whose header row names `columns` (any order
/// and case; unknown ones are problems). Rows are numbered as the spreadsheet numbers them;
/// blank rows are skipped. Problems are capped at [`MAX_PROBLEMS`].
pub fn read_xlsx(bytes: &[u8], columns: &[&str]) -> Result<Vec<Record>, Vec<RowProblem>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| whole(format!("not an XLSX workbook: {e}")))?;
    // The sizes an archive declares may lie: its parts are unpacked and counted, and the
    // count stops just past the bound, so a small file cannot make the reader below unpack
    // gigabytes.
    let mut unpacked: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive
            .by_index(i)
            .map_err(|e| whole(format!("not an XLSX workbook: {e}")))?;
        let room = MAX_UNPACKED_BYTES.saturating_sub(unpacked) + 1;
        let read = std::io::copy(&mut entry.take(room), &mut std::io::sink())
            .map_err(|e| whole(format!("not an XLSX workbook: {e}")))?;
        unpacked = unpacked.saturating_add(read);
        if unpacked > MAX_UNPACKED_BYTES {
            break;
        }
    }
    if unpacked > MAX_UNPACKED_BYTES {
        return Err(whole(format!(
            "the workbook unpacks to more than the {MAX_UNPACKED_BYTES} bytes read at once"
        )));
    }
    let mut workbook: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| whole(format!("not an XLSX workbook: {e}")))?;
    let range = match workbook.worksheet_range_at(0) {
        Some(Ok(range)) => range,
        Some(Err(e)) => return Err(whole(format!("the first worksheet cannot be read: {e}"))),
        None => return Err(whole("the workbook has no worksheet")),
    };
    let (first_row, _) = range.start().unwrap_or((0, 0));
    let mut rows = range.rows();
    let Some(header) = rows.next() else {
        return Err(whole(format!(
            "the worksheet is empty; expected a header row with the columns {}",
            columns.join(", ")
        )));
    };
    let header_row = first_row as usize + 1;
    let mut names = Vec::with_capacity(header.len());
    let mut problems = Vec::new();
    for cell in header {
        let name = cell_text(cell)
            .ok()
            .flatten()
            .unwrap_or_default()
            .trim()
            .to_lowercase();
        if !name.is_empty() && !columns.contains(&name.as_str()) {
            problems.push(RowProblem::new(
                header_row,
                &name,
                Problem::Unknown {
                    value: name.clone(),
                    allowed: columns.iter().map(|&c| c.to_owned()).collect(),
                },
            ));
        }
        names.push(name);
    }
    if !problems.is_empty() {
        problems.truncate(MAX_PROBLEMS);
        return Err(problems);
    }
    let mut out = Vec::new();
    for (offset, cells) in rows.enumerate() {
        let row = header_row + 1 + offset;
        let mut record = BTreeMap::new();
        for (name, cell) in names.iter().zip(cells) {
            match cell_text(cell) {
                Ok(Some(text)) if !name.is_empty() && !text.trim().is_empty() => {
                    record.insert(name.clone(), text);
                }
                Ok(_) => {}
                Err(reason) if !name.is_empty() => {
                    problems.push(RowProblem::new(row, name, Problem::Invalid { reason }));
                }
                Err(_) => {}
            }
        }
        let beyond_header = cells
            .iter()
            .skip(names.len())
            .any(|c| !matches!(c, Data::Empty));
        if beyond_header {
            problems.push(RowProblem::new(
                row,
                "",
                Problem::Invalid {
                    reason: format!(
                        "has cells beyond the {} columns the header names",
                        names.len()
                    ),
                },
            ));
        }
        if problems.len() >= MAX_PROBLEMS {
            break;
        }
        if !record.is_empty() {
            out.push(Record { row, cells: record });
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        problems.truncate(MAX_PROBLEMS);
        Err(problems)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn text_is_no_workbook() {
        assert!(!is_xlsx(b"title,kind\n"));
        let problems = read_xlsx(b"title,kind\n", &["title"]).unwrap_err();
        assert_eq!(problems[0].row, 0);
        assert!(problems[0].message.starts_with("not an XLSX workbook"));
    }

    #[test]
    fn a_workbook_unpacking_to_too_much_is_refused_before_it_is_read() {
        use std::io::Write;
        // 65 MiB of zeros pack to some 64 KiB.
        let mut packed = Vec::new();
        {
            let mut writer = zip::ZipWriter::new(Cursor::new(&mut packed));
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .large_file(true);
            writer
                .start_file("xl/worksheets/sheet1.xml", options)
                .unwrap();
            let chunk = vec![0u8; 1024 * 1024];
            for _ in 0..65 {
                writer.write_all(&chunk).unwrap();
            }
            writer.finish().unwrap();
        }
        assert!(packed.len() < 1024 * 1024, "{}", packed.len());
        let problems = read_xlsx(&packed, &["title"]).unwrap_err();
        assert_eq!(
            problems[0].message,
            "the workbook unpacks to more than the 67108864 bytes read at once"
        );
    }

    #[test]
    fn excel_day_numbers_read_as_dates() {
        let day =
            calamine::ExcelDateTime::new(46_391.0, calamine::ExcelDateTimeType::DateTime, false);
        // 46,391 days after 1899-12-30.
        assert_eq!(
            cell_text(&Data::DateTime(day)),
            Ok(Some("2027-01-04".into()))
        );
        assert_eq!(cell_text(&Data::Float(1234.5)), Ok(Some("1234.5".into())));
        assert_eq!(cell_text(&Data::Float(12.0)), Ok(Some("12".into())));
    }
}
