//! The audit log: who changed what and when, for every write through any interface.

use std::borrow::Cow;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::transfer::defuse;

/// One recorded change.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: Timestamp,
    /// Who: a user name, `token:NAME` for an API token, `cli` or `system`.
    pub actor: String,
    /// What was done, as `entity.verb`: `touchpoint.update`, `user.create`, `login.failed`.
    pub action: String,
    /// The kind of record changed: `touchpoint`, `channel`, `user`, `token`, …
    pub entity: String,
    /// Which record, as its id or key; empty where none applies.
    pub entity_id: String,
    /// A short human-readable account of the change.
    pub summary: String,
    /// The same account in the message catalogue's words, where it is more than names and
    /// values: pages say it in the reader's language.
    #[serde(skip)]
    pub said: Option<Said>,
}

/// An account of a change as a message of the catalogue and its arguments, so that the log
/// reads in each reader's language. Kept beside the English summary, which the API and the
/// command line show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Said {
    pub key: String,
    #[serde(default)]
    pub args: Vec<(String, SaidArg)>,
}

/// One argument of a [`Said`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SaidArg {
    /// Names and other values, shown as they are.
    Text(String),
    /// Counts and amounts, written as the reader's language writes numbers.
    Number(f64),
    /// The key of another message (a role, a status), said in the reader's language.
    Label(String),
    /// Keys of other messages (the fields a change touched), said and listed.
    Labels(Vec<String>),
    /// A channel's key, named by the channel's label in the reader's language.
    Channel(String),
}

impl Said {
    pub fn new(key: &str) -> Said {
        Said {
            key: key.to_owned(),
            args: Vec::new(),
        }
    }

    pub fn text(mut self, name: &str, value: impl Into<String>) -> Said {
        self.args
            .push((name.to_owned(), SaidArg::Text(value.into())));
        self
    }

    pub fn number(mut self, name: &str, value: impl Into<f64>) -> Said {
        self.args
            .push((name.to_owned(), SaidArg::Number(value.into())));
        self
    }

    pub fn label(mut self, name: &str, key: impl Into<String>) -> Said {
        self.args
            .push((name.to_owned(), SaidArg::Label(key.into())));
        self
    }

    pub fn labels(mut self, name: &str, keys: Vec<String>) -> Said {
        self.args.push((name.to_owned(), SaidArg::Labels(keys)));
        self
    }

    pub fn channel(mut self, name: &str, key: impl Into<String>) -> Said {
        self.args
            .push((name.to_owned(), SaidArg::Channel(key.into())));
        self
    }
}

/// Which entries to show. Every given criterion must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::IntoParams),
    into_params(parameter_in = Query)
)]
pub struct AuditFilter {
    /// Exact actor.
    pub actor: Option<String>,
    /// Exact entity kind.
    pub entity: Option<String>,
    /// Action, or its prefix followed by `.` (`user.` for every user action).
    pub action: Option<String>,
    /// Entries at or after this instant (RFC 3339).
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>))]
    pub from: Option<Timestamp>,
    /// Entries before this instant (RFC 3339).
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>))]
    pub until: Option<Timestamp>,
}

impl AuditFilter {
    /// The reference meaning of the filter; the stores' queries must agree with it.
    pub fn matches(&self, e: &AuditEntry) -> bool {
        self.actor.as_deref().is_none_or(|a| e.actor == a)
            && self.entity.as_deref().is_none_or(|x| e.entity == x)
            && self
                .action
                .as_deref()
                .is_none_or(|a| match a.strip_suffix('.') {
                    Some(prefix) => e
                        .action
                        .strip_prefix(prefix)
                        .is_some_and(|rest| rest.starts_with('.')),
                    None => e.action == a,
                })
            && self.from.is_none_or(|f| e.at >= f)
            && self.until.is_none_or(|u| e.at < u)
    }
}

const CSV_COLUMNS: [&str; 7] = [
    "id",
    "at",
    "actor",
    "action",
    "entity",
    "entity_id",
    "summary",
];

/// The entries as CSV, for auditors' spreadsheets, with cells that a spreadsheet would run as
/// a formula defused as in every export.
pub fn to_csv(entries: &[AuditEntry]) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut rows: Vec<Vec<String>> = vec![CSV_COLUMNS.iter().map(|c| (*c).to_owned()).collect()];
    for e in entries {
        rows.push(vec![
            e.id.to_string(),
            e.at.to_string(),
            e.actor.clone(),
            e.action.clone(),
            e.entity.clone(),
            e.entity_id.clone(),
            e.summary.clone(),
        ]);
    }
    for row in rows {
        let cells = row
            .iter()
            .map(|cell| defuse(Cow::Borrowed(cell)).into_owned());
        // Writing to a Vec cannot fail.
        if writer.write_record(cells).is_err() {
            break;
        }
    }
    writer.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(action: &str, at: i64) -> AuditEntry {
        AuditEntry {
            id: at,
            at: Timestamp::from_second(at).expect("valid"),
            actor: "anna".into(),
            action: action.into(),
            entity: action.split('.').next().unwrap_or("").into(),
            entity_id: "7".into(),
            summary: "=HYPERLINK(\"http://evil\")".into(),
            said: None,
        }
    }

    #[test]
    fn action_prefix_matches_whole_segments() {
        let filter = AuditFilter {
            action: Some("user.".into()),
            ..AuditFilter::default()
        };
        assert!(filter.matches(&entry("user.create", 0)));
        assert!(!filter.matches(&entry("username.change", 0)));
        assert!(!filter.matches(&entry("touchpoint.update", 0)));
        let exact = AuditFilter {
            action: Some("user.create".into()),
            ..AuditFilter::default()
        };
        assert!(exact.matches(&entry("user.create", 0)));
        assert!(!exact.matches(&entry("user.create_more", 0)));
    }

    #[test]
    fn time_window_includes_start_excludes_end() {
        let filter = AuditFilter {
            from: Some(Timestamp::from_second(10).expect("valid")),
            until: Some(Timestamp::from_second(20).expect("valid")),
            ..AuditFilter::default()
        };
        assert!(!filter.matches(&entry("a.b", 9)));
        assert!(filter.matches(&entry("a.b", 10)));
        assert!(filter.matches(&entry("a.b", 19)));
        assert!(!filter.matches(&entry("a.b", 20)));
    }

    #[test]
    fn csv_defuses_formulas() {
        let csv = String::from_utf8(to_csv(&[entry("user.create", 0)])).expect("utf-8");
        let mut lines = csv.lines();
        assert_eq!(
            lines.next(),
            Some("id,at,actor,action,entity,entity_id,summary")
        );
        let row = lines.next().expect("a row");
        assert!(
            row.contains("\"'=HYPERLINK(\"\"http://evil\"\")\""),
            "{row}"
        );
    }
}
