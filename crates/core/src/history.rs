//! The change history of a touchpoint: who changed what and when, field by field.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::touchpoint::TouchpointFields;

/// What happened to a touchpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Action {
    Created,
    Updated,
    Retired,
    Deleted,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Created => "created",
            Action::Updated => "updated",
            Action::Retired => "retired",
            Action::Deleted => "deleted",
        }
    }

    pub fn parse(value: &str) -> Option<Action> {
        [
            Action::Created,
            Action::Updated,
            Action::Retired,
            Action::Deleted,
        ]
        .into_iter()
        .find(|a| a.as_str() == value)
    }
}

/// One field's value before and after a change, both as display text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// One entry of a touchpoint's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryEntry {
    pub touchpoint_id: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: Timestamp,
    /// Who made the change: a user name, or `cli`, `api`, `import` before accounts exist.
    pub actor: String,
    pub action: Action,
    pub changes: Vec<FieldChange>,
}

/// Each field as (name, display text), in the order the history shows them.
fn field_texts(t: &TouchpointFields) -> [(&'static str, String); 13] {
    [
        ("name", t.name.clone()),
        ("description", t.description.clone()),
        ("channel", t.channel.clone()),
        ("kind", t.kind.as_str().to_owned()),
        ("phase", t.phase.clone()),
        ("owner", t.owner.clone()),
        ("target_groups", t.target_groups.join(", ")),
        ("regions", t.regions.join(", ")),
        ("status", t.status.as_str().to_owned()),
        ("importance.experience", t.importance.experience.to_string()),
        ("importance.loyalty", t.importance.loyalty.to_string()),
        ("importance.referral", t.importance.referral.to_string()),
        ("brand_fit", t.brand_fit.to_string()),
    ]
}

/// The fields that differ between two versions. Notes are compared too but listed last, as
/// they are the longest.
pub fn diff(before: &TouchpointFields, after: &TouchpointFields) -> Vec<FieldChange> {
    let mut changes: Vec<FieldChange> = field_texts(before)
        .into_iter()
        .zip(field_texts(after))
        .filter(|((_, a), (_, b))| a != b)
        .map(|((field, a), (_, b))| FieldChange {
            field: field.to_owned(),
            before: a,
            after: b,
        })
        .collect();
    if before.notes != after.notes {
        changes.push(FieldChange {
            field: "notes".into(),
            before: before.notes.clone(),
            after: after.notes.clone(),
        });
    }
    changes
}

/// The changes that describe a new touchpoint: every non-empty field, from nothing.
pub fn created(fields: &TouchpointFields) -> Vec<FieldChange> {
    let mut empty = fields.clone();
    empty.name.clear();
    empty.description.clear();
    empty.channel.clear();
    empty.phase.clear();
    empty.owner.clear();
    empty.target_groups.clear();
    empty.regions.clear();
    empty.notes.clear();
    let mut changes = diff(&empty, fields);
    // Kind, status and the scales always have a value; show them on creation too.
    for (field, value) in field_texts(fields) {
        if !changes.iter().any(|c| c.field == field) && !value.is_empty() {
            changes.push(FieldChange {
                field: field.to_owned(),
                before: String::new(),
                after: value,
            });
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Kind;
    use crate::touchpoint::{Importance, Status};

    fn sample() -> TouchpointFields {
        TouchpointFields {
            name: "Hotline".into(),
            description: String::new(),
            channel: "phone".into(),
            kind: Kind::Communication,
            phase: "after-purchase".into(),
            owner: "Kundenservice".into(),
            target_groups: vec!["Familien".into()],
            regions: vec![],
            status: Status::Active,
            importance: Importance {
                experience: 5,
                loyalty: 4,
                referral: 2,
            },
            brand_fit: 3,
            notes: String::new(),
        }
    }

    #[test]
    fn diff_lists_only_changed_fields() {
        let before = sample();
        let mut after = sample();
        after.status = Status::Retired;
        after.target_groups.push("Senioren".into());
        after.importance.loyalty = 5;
        assert_eq!(
            diff(&before, &after),
            vec![
                FieldChange {
                    field: "target_groups".into(),
                    before: "Familien".into(),
                    after: "Familien, Senioren".into()
                },
                FieldChange {
                    field: "status".into(),
                    before: "active".into(),
                    after: "retired".into()
                },
                FieldChange {
                    field: "importance.loyalty".into(),
                    before: "4".into(),
                    after: "5".into()
                },
            ]
        );
        assert!(diff(&before, &before).is_empty());
    }

    #[test]
    fn creation_lists_every_filled_field() {
        let fields: Vec<String> = created(&sample()).into_iter().map(|c| c.field).collect();
        assert!(fields.contains(&"name".to_string()));
        assert!(fields.contains(&"status".to_string()));
        assert!(fields.contains(&"brand_fit".to_string()));
        assert!(!fields.contains(&"regions".to_string()));
        assert!(!fields.contains(&"notes".to_string()));
    }

    proptest::proptest! {
        /// A diff is empty exactly when nothing differs, and names each changed field once.
        #[test]
        fn diff_is_empty_only_for_equal_versions(
            owner in "[A-Za-zÄÖÜäöüß ]{0,12}",
            loyalty in 1u8..=5,
            retired in proptest::bool::ANY,
            groups in proptest::collection::vec("[A-Za-z]{1,8}", 0..4),
        ) {
            let before = sample();
            let mut after = sample();
            after.owner = owner;
            after.importance.loyalty = loyalty;
            after.target_groups = groups;
            if retired {
                after.status = Status::Retired;
            }
            let changes = diff(&before, &after);
            proptest::prop_assert_eq!(changes.is_empty(), before == after);
            let mut fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
            fields.dedup();
            proptest::prop_assert_eq!(fields.len(), changes.len());
            for c in &changes {
                proptest::prop_assert_ne!(&c.before, &c.after);
            }
        }
    }
}
