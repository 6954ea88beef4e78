//! Actions read from a table: the columns of the plan's export (CSV or XLSX), so that an
//! export imports back. Each row becomes a new action, validated like any other
//! ([`ActionInput::validate`]); names of touchpoints and owners are looked up in a
//! [`Directory`] the caller reads from the store. All or nothing: any problem, and the
//! caller gets every problem with its row and column and stores nothing.
//!
//! The computed columns of the export (`rank`, `id`, `quick_win`, `points`) are read over:
//! an import adds actions, it changes none.

use std::collections::{BTreeMap, HashMap};

use jiff::civil::Date;

use super::{ActionFields, ActionInput, ActionKind, ActionStatus, Budget, Quarter, Target};
use super::{BUDGET_CENTS_MAX, TargetMetric};
use crate::problem::Problem;
use crate::records::{self, Record};
use crate::touchpoint::name_key;
use crate::transfer::RowProblem;

/// The columns of the plan's export in its order; an import takes them in any order and
/// case, and needs only `kind` and `title`.
pub const COLUMNS: [&str; 21] = [
    "rank",
    "id",
    "quick_win",
    "kind",
    "title",
    "status",
    "touchpoints",
    "owner",
    "team",
    "person_days",
    "budget_planned_eur",
    "budget_spent_eur",
    "start",
    "due",
    "points",
    "goal",
    "budgets",
    "target_metric",
    "target_value",
    "target_within_days",
    "finding_ids",
];

/// What the names in a file refer to.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    /// Touchpoints by [`name_key`].
    pub touchpoints: HashMap<String, i64>,
    /// Staff accounts as (user name, display name).
    pub accounts: Vec<(String, String)>,
}

/// One row of a file, validated: a new action in its status.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedAction {
    /// The row of the file, as the problems name it.
    pub row: usize,
    pub fields: ActionFields,
    pub status: ActionStatus,
}

/// Cents as the export writes them: euros with a decimal point and two places.
pub fn euros_text(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    format!("{sign}{}.{:02}", cents / 100, cents % 100)
}

/// The budget by quarter in one cell: `2027-Q1: 5000.00/1200.00; 2027-Q2: 300.00/0.00`,
/// planned before spent, in euros.
pub fn budgets_cell(budgets: &BTreeMap<Quarter, Budget>) -> String {
    budgets
        .iter()
        .map(|(q, b)| {
            format!(
                "{q}: {}/{}",
                euros_text(b.planned_cents),
                euros_text(b.spent_cents)
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Euros written with a decimal point (or a decimal comma, as German spreadsheets save
/// them), at most two places, in cents. Exact: read as digits, never through a float.
fn parse_euros(text: &str) -> Option<i64> {
    let text = text.trim().trim_end_matches('€').trim();
    let text = if text.contains('.') {
        text.to_owned()
    } else {
        text.replace(',', ".")
    };
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) || fraction.len() > 2 {
        return None;
    }
    let fraction: i64 = match fraction.len() {
        0 => 0,
        1 => fraction.parse::<i64>().ok()? * 10,
        _ => fraction.parse().ok()?,
    };
    whole
        .parse::<i64>()
        .ok()?
        .checked_mul(100)?
        .checked_add(fraction)
}

fn decimal(text: &str) -> Option<f64> {
    let text = if text.contains('.') {
        text.to_owned()
    } else {
        text.replace(',', ".")
    };
    text.parse::<f64>().ok().filter(|v| v.is_finite())
}

fn quarter_of(day: Date) -> Quarter {
    Quarter {
        year: day.year(),
        quarter: ((day.month() - 1) / 3 + 1) as u8,
    }
}

/// The touchpoints of a cell, names separated by `;`. A name may itself hold a `;`: the
/// longest run of parts that names a touchpoint is taken first.
fn touchpoints(cell: &str, directory: &Directory) -> Result<Vec<i64>, Problem> {
    let parts: Vec<&str> = cell.split(';').collect();
    let mut ids = Vec::new();
    let mut i = 0;
    while i < parts.len() {
        if parts[i].trim().is_empty() {
            i += 1;
            continue;
        }
        let found = (i + 1..=parts.len()).rev().find_map(|j| {
            let name = name_key(&parts[i..j].join(";"));
            directory.touchpoints.get(&name).map(|id| (j, *id))
        });
        match found {
            Some((j, id)) => {
                ids.push(id);
                i = j;
            }
            None => {
                return Err(Problem::rule(
                    "unknown-touchpoint",
                    &format!("no touchpoint is named \"{}\"", parts[i].trim()),
                ));
            }
        }
    }
    Ok(ids)
}

/// An owner by user name, or by a display name that only one account has.
fn owner(cell: &str, directory: &Directory) -> Result<String, Problem> {
    let wanted = cell.trim().to_lowercase();
    if let Some((username, _)) = directory.accounts.iter().find(|(u, _)| *u == wanted) {
        return Ok(username.clone());
    }
    let named: Vec<&String> = directory
        .accounts
        .iter()
        .filter(|(_, display)| display.trim().to_lowercase() == wanted)
        .map(|(u, _)| u)
        .collect();
    match named.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(Problem::rule(
            "not-an-owner",
            &format!(
                "no account has the user name or display name \"{}\"",
                cell.trim()
            ),
        )),
        many => Err(Problem::rule(
            "import-owner-ambiguous",
            &format!(
                "{} accounts are called \"{}\": write the user name",
                many.len(),
                cell.trim()
            ),
        )),
    }
}

/// The quarters of a `budgets` cell (see [`budgets_cell`]).
fn budgets(cell: &str) -> Result<BTreeMap<Quarter, Budget>, Problem> {
    let mut out = BTreeMap::new();
    for part in cell.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let bad = || {
            Problem::rule(
                "import-budgets",
                &format!(
                    "\"{part}\" is no quarter's budget, written like 2027-Q1: 5000.00/1200.00 \
                 (planned/spent euros)"
                ),
            )
        };
        let (quarter, amounts) = part.split_once(':').ok_or_else(bad)?;
        let quarter: Quarter = quarter
            .trim()
            .to_uppercase()
            .parse()
            .map_err(|e: super::NotAQuarter| Problem::rule("not-a-quarter", &e.to_string()))?;
        let (planned, spent) = amounts.split_once('/').ok_or_else(bad)?;
        let planned_cents = parse_euros(planned).ok_or_else(bad)?;
        let spent_cents = parse_euros(spent).ok_or_else(bad)?;
        for cents in [planned_cents, spent_cents] {
            if cents > BUDGET_CENTS_MAX {
                return Err(Problem::rule(
                    "budget-range",
                    &format!("{quarter}: an amount above {} EUR", BUDGET_CENTS_MAX / 100),
                ));
            }
        }
        if out
            .insert(
                quarter,
                Budget {
                    planned_cents,
                    spent_cents,
                },
            )
            .is_some()
        {
            return Err(Problem::Duplicate {
                value: quarter.to_string(),
            });
        }
    }
    Ok(out)
}

/// The column of the file that a field of [`ActionInput::validate`] came from.
fn column_of(field: &str) -> &str {
    let head = field.split(['.', '[']).next().unwrap_or(field);
    match (head, field) {
        (_, "target.value") => "target_value",
        (_, "target.within_days") => "target_within_days",
        ("target", _) => "target_metric",
        ("touchpoint_ids", _) => "touchpoints",
        ("budgets", _) => "budgets",
        (other, _) => other,
    }
}

/// The validation's problems described only in words, given the rule codes that pages say
/// in their language (the same codes the action form uses).
fn coded(field: &str, problem: Problem) -> Problem {
    let code = match field {
        "due" => "due-before-start",
        "target.value" => "whole-number",
        _ => return problem,
    };
    match problem {
        Problem::Invalid { reason } => Problem::Rule {
            rule: code.to_owned(),
            reason,
        },
        other => other,
    }
}

/// One row as an action, or every problem of it by column.
fn convert(
    record: &Record,
    directory: &Directory,
) -> Result<ImportedAction, Vec<(String, Problem)>> {
    let mut problems: Vec<(String, Problem)> = Vec::new();
    let mut push = |column: &str, problem: Problem| problems.push((column.to_owned(), problem));

    let kind = match record.get("kind") {
        None => {
            push("kind", Problem::Required);
            ActionKind::Optimise
        }
        Some(k) => ActionKind::parse(&k.to_lowercase()).unwrap_or_else(|| {
            push(
                "kind",
                Problem::Unknown {
                    value: k.to_owned(),
                    allowed: ActionKind::ALL.map(|k| k.as_str().to_owned()).to_vec(),
                },
            );
            ActionKind::Optimise
        }),
    };
    let status = match record.get("status") {
        None => ActionStatus::Planned,
        Some(s) => ActionStatus::parse(&s.to_lowercase()).unwrap_or_else(|| {
            push(
                "status",
                Problem::Unknown {
                    value: s.to_owned(),
                    allowed: ActionStatus::ALL.map(|s| s.as_str().to_owned()).to_vec(),
                },
            );
            ActionStatus::Planned
        }),
    };
    let mut date = |column: &str| -> Option<Date> {
        let text = record.get(column)?;
        text.parse::<Date>().ok().or_else(|| {
            push(
                column,
                Problem::rule(
                    "not-a-date",
                    &format!("\"{text}\" is no date written as YYYY-MM-DD"),
                ),
            );
            None
        })
    };
    let start = date("start");
    let due = date("due");
    let mut number = |column: &str| -> Option<f64> {
        let text = record.get(column)?;
        decimal(text).or_else(|| {
            push(
                column,
                Problem::rule("not-a-number", &format!("\"{text}\" is no number")),
            );
            None
        })
    };
    let person_days = number("person_days").unwrap_or(0.0);
    let target_value = number("target_value");
    let target_days = number("target_within_days");
    let target = match record.get("target_metric") {
        None => {
            if target_value.is_some() || target_days.is_some() {
                push("target_metric", Problem::Required);
            }
            None
        }
        Some(m) => match TargetMetric::parse(&m.to_lowercase()) {
            None => {
                push(
                    "target_metric",
                    Problem::Unknown {
                        value: m.to_owned(),
                        allowed: TargetMetric::ALL.map(|m| m.as_str().to_owned()).to_vec(),
                    },
                );
                None
            }
            Some(metric) => {
                if target_value.is_none() && record.get("target_value").is_none() {
                    push("target_value", Problem::Required);
                }
                match target_days {
                    Some(d) if d.fract() != 0.0 => {
                        push(
                            "target_within_days",
                            Problem::rule("whole-number", "a whole number of days"),
                        );
                    }
                    None if record.get("target_within_days").is_none() => {
                        push("target_within_days", Problem::Required);
                    }
                    _ => {}
                }
                match (target_value, target_days) {
                    (Some(value), Some(days)) if days.fract() == 0.0 => Some(Target {
                        metric,
                        value,
                        within_days: days as i64,
                    }),
                    _ => None,
                }
            }
        },
    };
    let touchpoint_ids = match record.get("touchpoints") {
        None => Vec::new(),
        Some(cell) => touchpoints(cell, directory).unwrap_or_else(|p| {
            push("touchpoints", p);
            Vec::new()
        }),
    };
    let owner = record
        .get("owner")
        .and_then(|cell| owner(cell, directory).map_err(|p| push("owner", p)).ok());
    let finding_ids = match record.get("finding_ids") {
        None => Vec::new(),
        Some(cell) => {
            let ids: Result<Vec<i64>, _> = cell
                .split(';')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| p.parse::<i64>().map_err(|_| p.to_owned()))
                .collect();
            ids.unwrap_or_else(|p| {
                push(
                    "finding_ids",
                    Problem::rule("not-a-number", &format!("\"{p}\" is no finding's id")),
                );
                Vec::new()
            })
        }
    };
    let mut total = |column: &str| -> Option<i64> {
        let text = record.get(column)?;
        parse_euros(text).or_else(|| {
            push(
                column,
                Problem::rule(
                    "import-euros",
                    &format!("\"{text}\" is no amount of euros with at most two decimals"),
                ),
            );
            None
        })
    };
    let planned_total = total("budget_planned_eur");
    let spent_total = total("budget_spent_eur");
    let quarters = match record.get("budgets") {
        Some(cell) => match budgets(cell) {
            Ok(quarters) => {
                let sum = |f: fn(&Budget) -> i64| {
                    quarters.values().map(f).fold(0i64, i64::saturating_add)
                };
                for (column, given, sum) in [
                    (
                        "budget_planned_eur",
                        planned_total,
                        sum(|b| b.planned_cents),
                    ),
                    ("budget_spent_eur", spent_total, sum(|b| b.spent_cents)),
                ] {
                    if let Some(given) = given
                        && given != sum
                    {
                        push(
                            column,
                            Problem::rule(
                                "import-budget-total",
                                &format!(
                                    "is {} but the quarters in budgets add up to {}",
                                    euros_text(given),
                                    euros_text(sum)
                                ),
                            ),
                        );
                    }
                }
                quarters
            }
            Err(p) => {
                push("budgets", p);
                BTreeMap::new()
            }
        },
        // Only totals: they belong to the quarter the action starts in, or else is due in.
        None => {
            let (planned_cents, spent_cents) =
                (planned_total.unwrap_or(0), spent_total.unwrap_or(0));
            match start.or(due) {
                _ if planned_cents == 0 && spent_cents == 0 => BTreeMap::new(),
                Some(day) => BTreeMap::from([(
                    quarter_of(day),
                    Budget {
                        planned_cents,
                        spent_cents,
                    },
                )]),
                None => {
                    push(
                        "budgets",
                        Problem::rule(
                            "import-budget-quarter",
                            "a budget needs its quarters (like 2027-Q1: 5000.00/0.00) or a \
                             start or due date whose quarter takes it",
                        ),
                    );
                    BTreeMap::new()
                }
            }
        }
    };
    let input = ActionInput {
        kind,
        title: record.get("title").unwrap_or_default().to_owned(),
        goal: record
            .cells
            .get("goal")
            .map(|g| g.trim().to_owned())
            .unwrap_or_default(),
        target,
        owner,
        team: record.get("team").unwrap_or_default().to_owned(),
        person_days,
        start,
        due,
        status: Some(status),
        touchpoint_ids,
        finding_ids,
        budgets: quarters.iter().map(|(q, b)| (q.to_string(), *b)).collect(),
    };
    match input.validate() {
        Ok(fields) if problems.is_empty() => Ok(ImportedAction {
            row: record.row,
            fields,
            status,
        }),
        Ok(_) => Err(problems),
        Err(more) => {
            // A column already reported from its cell is not reported again in other words.
            for p in more.0 {
                let column = column_of(&p.field);
                if !problems.iter().any(|(c, _)| c == column) {
                    problems.push((column.to_owned(), coded(&p.field, p.problem)));
                }
            }
            Err(problems)
        }
    }
}

/// Every row of `records` as a new action, or every problem (at most
/// [`crate::transfer::MAX_PROBLEMS`]) with its row and column. A file without any action is
/// a problem too: it would store nothing, silently.
pub fn parse(
    records: &[Record],
    directory: &Directory,
) -> Result<Vec<ImportedAction>, Vec<RowProblem>> {
    if records.is_empty() {
        return Err(vec![RowProblem::new(
            0,
            "",
            Problem::rule(
                "import-empty",
                "the file holds no action: a header row and one row per action",
            ),
        )]);
    }
    records::convert(records, |r| convert(r, directory))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use jiff::civil::date;

    use super::*;
    use crate::transfer::Format;

    fn directory() -> Directory {
        Directory {
            touchpoints: HashMap::from([
                ("hotline".into(), 1),
                ("filiale; am markt".into(), 2),
                ("website".into(), 3),
            ]),
            accounts: vec![
                ("carla".into(), "Carla Berg".into()),
                ("ben".into(), "Ben Ott".into()),
                ("ben2".into(), "Ben Ott".into()),
            ],
        }
    }

    fn read(csv: &str) -> Result<Vec<ImportedAction>, Vec<RowProblem>> {
        let records = records::read(Format::Csv, csv.as_bytes(), &COLUMNS, &mut |_| {})?;
        parse(&records, &directory())
    }

    fn places(problems: &[RowProblem]) -> Vec<String> {
        problems.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn an_exported_row_reads_back_with_every_field() {
        let actions = read(
            "rank,id,quick_win,kind,title,status,touchpoints,owner,team,person_days,\
             budget_planned_eur,budget_spent_eur,start,due,points,goal,budgets,target_metric,\
             target_value,target_within_days,finding_ids\n\
             1,7,yes,optimise,Rückrufe,in_progress,Hotline; Filiale; am Markt,Carla Berg,\
             Service,2.5,5300.5,120,2027-01-04,2027-03-31,12.3,'=schneller,\
             2027-Q1: 5000.00/120.00; 2027-Q2: 300.50/0.00,nps,30,60,4; 9\n",
        )
        .unwrap();
        let a = &actions[0];
        assert_eq!(a.row, 2);
        assert_eq!(a.status, ActionStatus::InProgress);
        let f = &a.fields;
        assert_eq!(f.kind, ActionKind::Optimise);
        assert_eq!(f.title, "Rückrufe");
        // A cell defused on export ("'=schneller") reads back as written.
        assert_eq!(f.goal, "=schneller");
        // The name with a ";" of its own is found whole.
        assert_eq!(f.touchpoint_ids, [1, 2]);
        assert_eq!(f.owner.as_deref(), Some("carla"));
        assert_eq!(f.person_days, 2.5);
        assert_eq!(
            (f.start, f.due),
            (Some(date(2027, 1, 4)), Some(date(2027, 3, 31)))
        );
        assert_eq!(
            f.target,
            Some(Target {
                metric: TargetMetric::Nps,
                value: 30.0,
                within_days: 60
            })
        );
        assert_eq!(f.finding_ids, [4, 9]);
        assert_eq!(
            budgets_cell(&f.budgets),
            "2027-Q1: 5000.00/120.00; 2027-Q2: 300.50/0.00"
        );
        assert_eq!(f.planned_cents(), 530_050);
    }

    #[test]
    fn totals_without_quarters_go_to_the_quarter_of_the_start() {
        let actions = read(
            "kind,title,budget_planned_eur,budget_spent_eur,due\n\
             launch,App,\"1000,5\",0.1,2027-08-15\n\
             launch,Chat,0,,\n",
        )
        .unwrap();
        let quarters: Vec<(String, Budget)> = actions[0]
            .fields
            .budgets
            .iter()
            .map(|(q, b)| (q.to_string(), *b))
            .collect();
        assert_eq!(
            quarters,
            [(
                "2027-Q3".to_owned(),
                Budget {
                    planned_cents: 100_050,
                    spent_cents: 10
                }
            )]
        );
        assert!(actions[1].fields.budgets.is_empty());
        assert_eq!(actions[1].status, ActionStatus::Planned);
    }

    #[test]
    fn every_problem_is_named_by_row_and_column() {
        let problems = read(
            "kind,title,touchpoints,owner,due,start,budgets,budget_planned_eur,target_value\n\
             optimise,Gut,Hotline,carla,2027-02-01,2027-01-01,,,\n\
             optimise,,Fax,Ben Ott,31.12.2027,,2027-Q5: 1/0,,\n\
             relaunch,X,Hotline,nobody,2027-01-01,2027-02-01,2027-Q1: 10.00/0.00,11,5\n",
        )
        .unwrap_err();
        assert_eq!(
            places(&problems),
            [
                "row 3, column due: \"31.12.2027\" is no date written as YYYY-MM-DD",
                "row 3, column touchpoints: no touchpoint is named \"Fax\"",
                "row 3, column owner: 2 accounts are called \"Ben Ott\": write the user name",
                "row 3, column budgets: \"2027-Q5\" is no quarter in the form YYYY-Qn (like 2027-Q1)",
                "row 3, column title: is required",
                "row 4, column kind: unknown value \"relaunch\"; allowed: optimise, launch, retire",
                "row 4, column target_metric: is required",
                "row 4, column owner: no account has the user name or display name \"nobody\"",
                "row 4, column budget_planned_eur: is 11.00 but the quarters in budgets add up to 10.00",
                "row 4, column due: comes before the start (2027-02-01)",
            ]
        );
    }

    #[test]
    fn an_empty_file_is_refused() {
        let problems = read("kind,title\n").unwrap_err();
        assert_eq!(problems[0].row, 0);
    }

    #[test]
    fn euros_are_read_exactly() {
        assert_eq!(parse_euros("0.10"), Some(10));
        assert_eq!(parse_euros("1234.5"), Some(123_450));
        assert_eq!(parse_euros("12,34"), Some(1_234));
        assert_eq!(parse_euros("12"), Some(1_200));
        assert_eq!(parse_euros("1.234"), None);
        assert_eq!(parse_euros("-1"), None);
        assert_eq!(parse_euros(""), None);
        assert_eq!(euros_text(100_050), "1000.50");
        assert_eq!(euros_text(5), "0.05");
    }
}
