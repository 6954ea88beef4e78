//! The CSV format of historical customer requests, as `touchpoints requests import` reads
//! it: one request per row, checked whole before anything is stored, every problem named by
//! row and column as a spreadsheet shows them (the header is row 1).
//!
//! Columns (header names, any order, case ignored; `channel`, `received_at` and one of the
//! identifiers are required): `external_id, channel, touchpoint_id, source, name, email,
//! phone, customer_number, device, social, subject, body, received_at, language, priority,
//! first_response_at, resolved_at`. Instants are RFC 3339 (`2026-03-02T09:15:00Z` or with an
//! offset). German Excel's semicolons and byte order mark are understood.

use jiff::Timestamp;

use crate::catalog::Catalog;
use crate::problem::Problem;
use crate::request::{NewRequest, Priority, RequestCustomer, RequestInput};
use crate::transfer::{MAX_PROBLEMS, RowProblem, detect_delimiter, strip_bom};

pub const COLUMNS: [&str; 17] = [
    "external_id",
    "channel",
    "touchpoint_id",
    "source",
    "name",
    "email",
    "phone",
    "customer_number",
    "device",
    "social",
    "subject",
    "body",
    "received_at",
    "language",
    "priority",
    "first_response_at",
    "resolved_at",
];

/// How many rows are processed between two progress reports.
const PROGRESS_EVERY: usize = 1_000;

/// Reads every request of the file, or every problem (at most [`MAX_PROBLEMS`]).
/// `progress` hears the rows read so far every thousand rows and at the end.
pub fn parse_csv(
    bytes: &[u8],
    catalog: &Catalog,
    now: Timestamp,
    progress: &mut dyn FnMut(usize),
) -> Result<Vec<NewRequest>, Vec<RowProblem>> {
    let bytes = strip_bom(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(detect_delimiter(bytes))
        .flexible(true)
        .from_reader(bytes);
    let mut problems = Vec::new();
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return Err(vec![RowProblem::new(
                1,
                "",
                Problem::Invalid {
                    reason: e.to_string(),
                },
            )]);
        }
    };
    // Column name → position in the file.
    let mut position: [Option<usize>; COLUMNS.len()] = [None; COLUMNS.len()];
    for (i, header) in headers.iter().enumerate() {
        let name = header.trim().to_lowercase();
        match COLUMNS.iter().position(|c| *c == name) {
            Some(c) if position[c].is_some() => problems.push(RowProblem::new(
                1,
                header,
                Problem::Duplicate {
                    value: header.to_owned(),
                },
            )),
            Some(c) => position[c] = Some(i),
            None if name.is_empty() => {}
            None => problems.push(RowProblem::new(
                1,
                header,
                Problem::Unknown {
                    value: header.to_owned(),
                    allowed: COLUMNS.iter().map(|c| (*c).to_owned()).collect(),
                },
            )),
        }
    }
    for required in ["channel", "received_at"] {
        if COLUMNS
            .iter()
            .position(|c| *c == required)
            .and_then(|c| position[c])
            .is_none()
        {
            problems.push(RowProblem::new(1, required, Problem::Required));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut requests = Vec::new();
    let mut rows = 0;
    for (index, record) in reader.records().enumerate() {
        // The header is row 1; records from row 2 (rows with quoted line breaks count once).
        let row = index + 2;
        rows += 1;
        if rows % PROGRESS_EVERY == 0 {
            progress(rows);
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(RowProblem::new(
                    row,
                    "",
                    Problem::Invalid {
                        reason: e.to_string(),
                    },
                ));
                continue;
            }
        };
        let cell = |name: &str| -> Option<String> {
            let c = COLUMNS.iter().position(|c| *c == name)?;
            let value = record.get(position[c]?)?.trim();
            (!value.is_empty()).then(|| value.to_owned())
        };
        let mut row_problems = Vec::new();
        let instant = |name: &str, row_problems: &mut Vec<RowProblem>| {
            cell(name).and_then(|text| match text.parse::<Timestamp>() {
                Ok(t) => Some(t),
                Err(_) => {
                    row_problems.push(RowProblem::new(
                        row,
                        name,
                        Problem::Invalid {
                            reason: format!(
                                "\"{text}\" is not an instant such as 2026-03-02T09:15:00Z"
                            ),
                        },
                    ));
                    None
                }
            })
        };
        let received_at = instant("received_at", &mut row_problems);
        if cell("received_at").is_none() {
            row_problems.push(RowProblem::new(row, "received_at", Problem::Required));
        }
        let first_response_at = instant("first_response_at", &mut row_problems);
        let resolved_at = instant("resolved_at", &mut row_problems);
        let touchpoint_id = cell("touchpoint_id").and_then(|text| match text.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => {
                row_problems.push(RowProblem::new(
                    row,
                    "touchpoint_id",
                    Problem::Invalid {
                        reason: format!("\"{text}\" is not a touchpoint id"),
                    },
                ));
                None
            }
        });
        let priority = cell("priority").and_then(|text| match Priority::parse(&text) {
            Some(p) => Some(p),
            None => {
                row_problems.push(RowProblem::new(
                    row,
                    "priority",
                    Problem::Unknown {
                        value: text,
                        allowed: Priority::ALL
                            .iter()
                            .map(|p| p.as_str().to_owned())
                            .collect(),
                    },
                ));
                None
            }
        });
        let input = RequestInput {
            channel: cell("channel").unwrap_or_default(),
            touchpoint_id,
            source: cell("source"),
            customer: RequestCustomer {
                name: cell("name"),
                email: cell("email"),
                phone: cell("phone"),
                customer_number: cell("customer_number"),
                device: cell("device"),
                social: cell("social"),
            },
            subject: cell("subject").unwrap_or_default(),
            body: cell("body").unwrap_or_default(),
            received_at,
            language: cell("language"),
            external_id: cell("external_id"),
            priority,
            message_id: None,
        };
        let mut field_problems = crate::Problems::default();
        let mut request = input.validate_into(&mut field_problems, "", catalog, now);
        for p in field_problems.0 {
            // The identifiers are columns of their own: `customer.email` is column `email`,
            // `customer` (none given) the identifier columns together.
            let column = match p.field.strip_prefix("customer.") {
                Some(c) => c.to_owned(),
                None if p.field == "customer" => "email".to_owned(),
                None => p.field.clone(),
            };
            if column == "received_at" && cell("received_at").is_none() {
                continue;
            }
            row_problems.push(RowProblem {
                row,
                column,
                problem: p.problem,
                message: p.message,
            });
        }
        if let (Some(answered), Some(received)) = (first_response_at, received_at)
            && answered < received
        {
            row_problems.push(RowProblem::new(
                row,
                "first_response_at",
                Problem::rule("before-received", "lies before received_at"),
            ));
        }
        if let (Some(resolved), Some(received)) = (resolved_at, received_at)
            && resolved < received
        {
            row_problems.push(RowProblem::new(
                row,
                "resolved_at",
                Problem::rule("before-received", "lies before received_at"),
            ));
        }
        if row_problems.is_empty() && problems.is_empty() {
            request.first_response_at = first_response_at;
            request.resolved_at = resolved_at;
            requests.push(request);
        }
        problems.extend(row_problems);
        if problems.len() >= MAX_PROBLEMS {
            problems.truncate(MAX_PROBLEMS);
            break;
        }
    }
    progress(rows);
    if problems.is_empty() {
        Ok(requests)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{default_channels, default_phases};

    fn catalog() -> Catalog {
        Catalog {
            channels: default_channels(),
            phases: default_phases(),
        }
    }

    fn now() -> Timestamp {
        "2026-11-23T10:00:00Z".parse().expect("instant")
    }

    #[test]
    fn a_german_excel_file_is_read() {
        let csv = "\u{feff}external_id;Channel;email;phone;subject;body;received_at;first_response_at;resolved_at\n\
                   m-1;email;anna@example.de;;Lieferung;Wo bleibt das Sofa?;2026-03-02T09:15:00Z;2026-03-02T10:00:00Z;2026-03-03T09:00:00Z\n\
                   c-1;phone;;0171 1234567;Rückruf;\"Bitte\nzurückrufen\";2026-03-02T11:00:00+01:00;;\n";
        let requests = parse_csv(csv.as_bytes(), &catalog(), now(), &mut |_| {}).expect("valid");
        assert_eq!(requests.len(), 2);
        assert_eq!(requests[0].external_id.as_deref(), Some("m-1"));
        assert!(requests[0].resolved_at.is_some());
        assert_eq!(requests[1].identifiers[0].value, "+491711234567");
        assert_eq!(requests[1].body, "Bitte\nzurückrufen");
    }

    #[test]
    fn problems_name_row_and_column() {
        let csv = "channel,email,body,received_at,priority,colour\n";
        let problems = parse_csv(csv.as_bytes(), &catalog(), now(), &mut |_| {}).expect_err("bad");
        assert_eq!(
            (problems[0].row, problems[0].column.as_str()),
            (1, "colour")
        );

        let csv = "channel,email,body,received_at,priority\n\
                   email,a@example.de,ok,2026-03-02T09:15:00Z,\n\
                   fax,nope,x,gestern,sofort\n";
        let problems = parse_csv(csv.as_bytes(), &catalog(), now(), &mut |_| {}).expect_err("bad");
        let places: Vec<(usize, &str)> = problems
            .iter()
            .map(|p| (p.row, p.column.as_str()))
            .collect();
        assert_eq!(
            places,
            [
                (3, "received_at"),
                (3, "priority"),
                (3, "channel"),
                (3, "email")
            ]
        );
    }
}
