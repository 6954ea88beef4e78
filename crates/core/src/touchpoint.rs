//! The touchpoint: one place where a customer meets the company, as kept in the inventory.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, Kind};
use crate::problem::{Problem, Problems, check_labels, check_text};

pub const NAME_MAX: usize = 120;
pub const DESCRIPTION_MAX: usize = 2_000;
pub const OWNER_MAX: usize = 120;
pub const NOTES_MAX: usize = 5_000;
pub const LABEL_MAX: usize = 60;
pub const LABELS_MAX: usize = 20;
/// Words of a search that count; more add nothing a person would type.
pub const SEARCH_WORDS_MAX: usize = 20;

/// Where a touchpoint stands in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Status {
    Planned,
    Active,
    Retired,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Planned, Status::Active, Status::Retired];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Planned => "planned",
            Status::Active => "active",
            Status::Retired => "retired",
        }
    }

    pub fn parse(value: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == value)
    }
}

/// How much a touchpoint matters from the customer's view, each on a scale of 1 (hardly) to
/// 5 (decisive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Importance {
    /// For the customer's experience.
    pub experience: u8,
    /// For the customer's loyalty.
    pub loyalty: u8,
    /// For referrals (word of mouth).
    pub referral: u8,
}

impl Importance {
    /// The mean of the three, the single figure used to rank touchpoints.
    pub fn overall(&self) -> f64 {
        f64::from(u16::from(self.experience) + u16::from(self.loyalty) + u16::from(self.referral))
            / 3.0
    }
}

/// The content of a touchpoint, validated: what is created, updated, imported and exported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TouchpointFields {
    pub name: String,
    pub description: String,
    /// Key of a channel of the catalog.
    pub channel: String,
    pub kind: Kind,
    /// Key of a journey phase of the catalog.
    pub phase: String,
    /// The person or team responsible.
    pub owner: String,
    pub target_groups: Vec<String>,
    pub regions: Vec<String>,
    pub status: Status,
    pub importance: Importance,
    /// How well the touchpoint fits the brand, 1 to 5.
    pub brand_fit: u8,
    pub notes: String,
}

impl TouchpointFields {
    /// The form of the name that must be unique: case and inner white space do not count.
    pub fn name_key(&self) -> String {
        name_key(&self.name)
    }
}

/// See [`TouchpointFields::name_key`].
pub fn name_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The key lists are sorted by: the name folded as German dictionaries do (DIN 5007-1: "ä"
/// sorts as "a", "ß" as "ss"), so that "Küche" comes before "Kunde" and not after "Zahlung".
pub fn sort_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    for c in name_key(name).chars() {
        match c {
            'ä' | 'à' | 'á' | 'â' | 'ã' | 'å' => key.push('a'),
            'æ' => key.push_str("ae"),
            'ç' | 'č' => key.push('c'),
            'è' | 'é' | 'ê' | 'ë' => key.push('e'),
            'ì' | 'í' | 'î' | 'ï' => key.push('i'),
            'ñ' => key.push('n'),
            'ö' | 'ò' | 'ó' | 'ô' | 'õ' | 'ø' => key.push('o'),
            'œ' => key.push_str("oe"),
            'ß' => key.push_str("ss"),
            'š' => key.push('s'),
            'ü' | 'ù' | 'ú' | 'û' => key.push('u'),
            'ý' | 'ÿ' => key.push('y'),
            'ž' => key.push('z'),
            other => key.push(other),
        }
    }
    key
}

/// A touchpoint as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Touchpoint {
    pub id: i64,
    #[serde(flatten)]
    pub fields: TouchpointFields,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: Timestamp,
}

/// A touchpoint as submitted by a person or a program, before validation. Numbers are wide
/// so that an out-of-range value is reported as such rather than as a type error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TouchpointInput {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub channel: String,
    /// Defaults to the channel's kind.
    #[serde(default)]
    pub kind: Option<Kind>,
    pub phase: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub target_groups: Vec<String>,
    #[serde(default)]
    pub regions: Vec<String>,
    /// Defaults to `active`.
    #[serde(default)]
    pub status: Option<Status>,
    #[serde(default)]
    pub importance: ImportanceInput,
    /// 1 to 5; defaults to 3.
    #[serde(default = "middle")]
    pub brand_fit: i64,
    #[serde(default)]
    pub notes: String,
}

/// [`Importance`] as submitted; each defaults to 3, the middle of the scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportanceInput {
    #[serde(default = "middle")]
    pub experience: i64,
    #[serde(default = "middle")]
    pub loyalty: i64,
    #[serde(default = "middle")]
    pub referral: i64,
}

fn middle() -> i64 {
    3
}

impl Default for TouchpointInput {
    fn default() -> Self {
        TouchpointInput {
            name: String::new(),
            description: String::new(),
            channel: String::new(),
            kind: None,
            phase: String::new(),
            owner: String::new(),
            target_groups: Vec::new(),
            regions: Vec::new(),
            status: None,
            importance: ImportanceInput::default(),
            brand_fit: middle(),
            notes: String::new(),
        }
    }
}

impl Default for ImportanceInput {
    fn default() -> Self {
        ImportanceInput {
            experience: 3,
            loyalty: 3,
            referral: 3,
        }
    }
}

fn check_scale(problems: &mut Problems, field: &str, value: i64) -> u8 {
    match u8::try_from(value) {
        Ok(v @ 1..=5) => v,
        _ => {
            problems.push(field, Problem::OutOfRange { min: 1, max: 5 });
            3
        }
    }
}

impl TouchpointInput {
    /// Checks every field against the rules and the catalog, and reports all problems at once.
    pub fn validate(&self, catalog: &Catalog) -> Result<TouchpointFields, Problems> {
        let mut p = Problems::default();
        let name = check_text(&mut p, "name", &self.name, NAME_MAX, true);
        let description = check_text(
            &mut p,
            "description",
            &self.description,
            DESCRIPTION_MAX,
            false,
        );
        let channel_key = self.channel.trim();
        let channel = catalog.channel(channel_key);
        if channel_key.is_empty() {
            p.push("channel", Problem::Required);
        } else if channel.is_none() {
            p.push(
                "channel",
                Problem::Unknown {
                    value: channel_key.to_owned(),
                    allowed: catalog.channels.iter().map(|c| c.key.clone()).collect(),
                },
            );
        }
        let phase_key = self.phase.trim();
        if phase_key.is_empty() {
            p.push("phase", Problem::Required);
        } else if catalog.phase(phase_key).is_none() {
            p.push(
                "phase",
                Problem::Unknown {
                    value: phase_key.to_owned(),
                    allowed: catalog.phases.iter().map(|c| c.key.clone()).collect(),
                },
            );
        }
        let owner = check_text(&mut p, "owner", &self.owner, OWNER_MAX, false);
        let target_groups = check_labels(
            &mut p,
            "target_groups",
            &self.target_groups,
            LABELS_MAX,
            LABEL_MAX,
        );
        let regions = check_labels(&mut p, "regions", &self.regions, LABELS_MAX, LABEL_MAX);
        let importance = Importance {
            experience: check_scale(&mut p, "importance.experience", self.importance.experience),
            loyalty: check_scale(&mut p, "importance.loyalty", self.importance.loyalty),
            referral: check_scale(&mut p, "importance.referral", self.importance.referral),
        };
        let brand_fit = check_scale(&mut p, "brand_fit", self.brand_fit);
        let notes = check_text(&mut p, "notes", &self.notes, NOTES_MAX, false);
        let fields = TouchpointFields {
            name,
            description,
            channel: channel_key.to_owned(),
            kind: self
                .kind
                .or(channel.map(|c| c.kind))
                .unwrap_or(Kind::Communication),
            phase: phase_key.to_owned(),
            owner,
            target_groups,
            regions,
            status: self.status.unwrap_or(Status::Active),
            importance,
            brand_fit,
            notes,
        };
        p.into_result(fields)
    }
}

impl From<&TouchpointFields> for TouchpointInput {
    fn from(f: &TouchpointFields) -> Self {
        TouchpointInput {
            name: f.name.clone(),
            description: f.description.clone(),
            channel: f.channel.clone(),
            kind: Some(f.kind),
            phase: f.phase.clone(),
            owner: f.owner.clone(),
            target_groups: f.target_groups.clone(),
            regions: f.regions.clone(),
            status: Some(f.status),
            importance: ImportanceInput {
                experience: f.importance.experience.into(),
                loyalty: f.importance.loyalty.into(),
                referral: f.importance.referral.into(),
            },
            brand_fit: f.brand_fit.into(),
            notes: f.notes.clone(),
        }
    }
}

/// Which touchpoints to list. Every given criterion must hold; text criteria on owner, target
/// group and region compare without regard to case.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::IntoParams),
    into_params(parameter_in = Query)
)]
pub struct TouchpointFilter {
    /// Channel key.
    pub channel: Option<String>,
    /// Phase key.
    pub phase: Option<String>,
    pub status: Option<Status>,
    pub kind: Option<Kind>,
    /// Owner, exact but case-insensitive.
    pub owner: Option<String>,
    /// A target group the touchpoint serves.
    pub group: Option<String>,
    /// A region the touchpoint serves.
    pub region: Option<String>,
    /// Words to find in name, description, owner or notes.
    pub q: Option<String>,
}

impl TouchpointFilter {
    /// The reference meaning of the filter; the stores' queries must agree with it.
    pub fn matches(&self, t: &TouchpointFields) -> bool {
        let same = |a: &str, b: &str| a.to_lowercase() == b.to_lowercase();
        self.channel.as_deref().is_none_or(|c| t.channel == c)
            && self.phase.as_deref().is_none_or(|p| t.phase == p)
            && self.status.is_none_or(|s| t.status == s)
            && self.kind.is_none_or(|k| t.kind == k)
            && self.owner.as_deref().is_none_or(|o| same(&t.owner, o))
            && self
                .group
                .as_deref()
                .is_none_or(|g| t.target_groups.iter().any(|x| same(x, g)))
            && self
                .region
                .as_deref()
                .is_none_or(|r| t.regions.iter().any(|x| same(x, r)))
            && self.q.as_deref().is_none_or(|q| {
                let haystack = search_text(t);
                q.split_whitespace()
                    .all(|word| haystack.contains(&word.to_lowercase()))
            })
    }

    /// Drops empty criteria, as an HTML form sends every field, filled or not, and keeps
    /// the first [`SEARCH_WORDS_MAX`] words of the search: each word is one condition of
    /// the query, and databases cap their number.
    pub fn normalized(self) -> TouchpointFilter {
        let keep = |v: Option<String>| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
        let q = keep(self.q).map(|q| {
            q.split_whitespace()
                .take(SEARCH_WORDS_MAX)
                .collect::<Vec<_>>()
                .join(" ")
        });
        TouchpointFilter {
            channel: keep(self.channel),
            phase: keep(self.phase),
            status: self.status,
            kind: self.kind,
            owner: keep(self.owner),
            group: keep(self.group),
            region: keep(self.region),
            q,
        }
    }
}

/// The lower-cased text that free-text search looks in: name, description, owner and notes.
pub fn search_text(t: &TouchpointFields) -> String {
    format!("{}\n{}\n{}\n{}", t.name, t.description, t.owner, t.notes).to_lowercase()
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

    fn input() -> TouchpointInput {
        TouchpointInput {
            name: "  Kassenbereich  ".into(),
            channel: "store".into(),
            phase: "during-purchase".into(),
            ..TouchpointInput::default()
        }
    }

    #[test]
    fn defaults_fill_kind_status_and_scales() {
        let fields = input().validate(&catalog()).expect("valid");
        assert_eq!(fields.name, "Kassenbereich");
        assert_eq!(fields.kind, Kind::Physical);
        assert_eq!(fields.status, Status::Active);
        assert_eq!(fields.brand_fit, 3);
        assert_eq!(fields.importance.overall(), 3.0);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let bad = TouchpointInput {
            name: "".into(),
            channel: "fax".into(),
            phase: "".into(),
            importance: ImportanceInput {
                experience: 0,
                loyalty: 6,
                referral: 300,
            },
            brand_fit: -1,
            ..TouchpointInput::default()
        };
        let problems = bad.validate(&catalog()).expect_err("invalid");
        let fields: Vec<&str> = problems.0.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "name",
                "channel",
                "phase",
                "importance.experience",
                "importance.loyalty",
                "importance.referral",
                "brand_fit"
            ]
        );
        assert!(
            matches!(&problems.0[1].problem, Problem::Unknown { value, allowed }
            if value == "fax" && allowed.contains(&"phone".to_string()))
        );
    }

    #[test]
    fn json_input_rejects_unknown_fields_and_enum_values() {
        let unknown_field = serde_json::from_str::<TouchpointInput>(
            r#"{"name":"x","channel":"store","phase":"during-purchase","colour":"red"}"#,
        );
        assert!(unknown_field.is_err());
        let unknown_status = serde_json::from_str::<TouchpointInput>(
            r#"{"name":"x","channel":"store","phase":"during-purchase","status":"gone"}"#,
        );
        assert!(unknown_status.is_err());
    }

    #[test]
    fn name_key_ignores_case_and_spacing() {
        assert_eq!(
            name_key("  Hotline   Kundenservice "),
            "hotline kundenservice"
        );
        assert_eq!(name_key("ÜBER UNS"), name_key("über uns"));
    }

    #[test]
    fn sort_key_follows_german_dictionaries() {
        let mut names = [
            "Zahlung",
            "Kundenhotline",
            "Küchenplanung",
            "Straße",
            "Strasse 2",
        ];
        names.sort_by_key(|n| sort_key(n));
        assert_eq!(
            names,
            [
                "Küchenplanung",
                "Kundenhotline",
                "Straße",
                "Strasse 2",
                "Zahlung"
            ]
        );
    }

    #[test]
    fn filter_matches_words_anywhere_and_labels_without_case() {
        let mut t = input().validate(&catalog()).expect("valid");
        t.target_groups = vec!["Familien".into()];
        t.notes = "Wartezeit an Samstagen zu lang".into();
        let filter = TouchpointFilter {
            group: Some("familien".into()),
            q: Some("samstagen KASSEN".into()),
            ..TouchpointFilter::default()
        };
        assert!(filter.matches(&t));
        let other = TouchpointFilter {
            region: Some("Nord".into()),
            ..TouchpointFilter::default()
        };
        assert!(!other.matches(&t));
    }
}
