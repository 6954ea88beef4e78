//! The configurable lists a touchpoint is filed under: channels and journey phases, each with
//! a German and an English label, and the defaults a new installation starts with.

use serde::{Deserialize, Serialize};

use crate::problem::{Problem, Problems, check_text};

/// Where a touchpoint happens, in the three groups of the method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Kind {
    Physical,
    Digital,
    Communication,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Physical, Kind::Digital, Kind::Communication];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Physical => "physical",
            Kind::Digital => "digital",
            Kind::Communication => "communication",
        }
    }

    pub fn parse(value: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == value)
    }
}

/// The three stages of the customer journey; finer phases belong to one of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Stage {
    BeforePurchase,
    DuringPurchase,
    AfterPurchase,
}

impl Stage {
    pub const ALL: [Stage; 3] = [
        Stage::BeforePurchase,
        Stage::DuringPurchase,
        Stage::AfterPurchase,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::BeforePurchase => "before_purchase",
            Stage::DuringPurchase => "during_purchase",
            Stage::AfterPurchase => "after_purchase",
        }
    }

    pub fn parse(value: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.as_str() == value)
    }
}

/// A channel such as the website, the hotline or the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Channel {
    /// Stable identifier used in the API, in imports and in URLs (`website`, `hotline`).
    /// May be left out of a request body that names it in the URL.
    #[serde(default)]
    pub key: String,
    pub label_de: String,
    pub label_en: String,
    /// The kind a new touchpoint on this channel gets unless it says otherwise.
    pub kind: Kind,
    /// Order in lists and journey-map rows; lower first.
    #[serde(default)]
    pub position: i32,
}

/// A phase of the customer journey: one of the three stages, or a finer phase inside one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Phase {
    /// Stable identifier; may be left out of a request body that names it in the URL.
    #[serde(default)]
    pub key: String,
    pub label_de: String,
    pub label_en: String,
    pub stage: Stage,
    /// Order within the stage; lower first.
    #[serde(default)]
    pub position: i32,
}

/// Checks a key: lower-case ASCII letters, digits, `-` and `_`, 1 to 40 characters, so that it
/// is safe in URLs, file names and CSV without quoting.
pub fn check_key(problems: &mut Problems, field: &str, key: &str) -> String {
    let key = key.trim();
    if key.is_empty() {
        problems.push(field, Problem::Required);
    } else if key.len() > 40 {
        problems.push(field, Problem::TooLong { max: 40 });
    } else if !key
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    {
        problems.push(
            field,
            Problem::rule(
                "key-characters",
                "use lower-case letters a-z, digits, '-' and '_' only",
            ),
        );
    }
    key.to_owned()
}

impl Channel {
    /// Validates a channel as submitted; returns it trimmed.
    pub fn validated(self) -> Result<Channel, Problems> {
        let mut p = Problems::default();
        let channel = Channel {
            key: check_key(&mut p, "key", &self.key),
            label_de: check_text(&mut p, "label_de", &self.label_de, 60, true),
            label_en: check_text(&mut p, "label_en", &self.label_en, 60, true),
            kind: self.kind,
            position: self.position,
        };
        p.into_result(channel)
    }
}

impl Phase {
    /// Validates a phase as submitted; returns it trimmed.
    pub fn validated(self) -> Result<Phase, Problems> {
        let mut p = Problems::default();
        let phase = Phase {
            key: check_key(&mut p, "key", &self.key),
            label_de: check_text(&mut p, "label_de", &self.label_de, 60, true),
            label_en: check_text(&mut p, "label_en", &self.label_en, 60, true),
            stage: self.stage,
            position: self.position,
        };
        p.into_result(phase)
    }
}

/// The channels and phases in force, as read from the store.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Catalog {
    pub channels: Vec<Channel>,
    pub phases: Vec<Phase>,
}

impl Catalog {
    pub fn channel(&self, key: &str) -> Option<&Channel> {
        self.channels.iter().find(|c| c.key == key)
    }

    pub fn phase(&self, key: &str) -> Option<&Phase> {
        self.phases.iter().find(|p| p.key == key)
    }

    /// Phases in journey order: by stage, then position, then key.
    pub fn phases_in_order(&self) -> Vec<&Phase> {
        let mut phases: Vec<&Phase> = self.phases.iter().collect();
        phases.sort_by(|a, b| (a.stage, a.position, &a.key).cmp(&(b.stage, b.position, &b.key)));
        phases
    }

    /// Channels in display order: by position, then key.
    pub fn channels_in_order(&self) -> Vec<&Channel> {
        let mut channels: Vec<&Channel> = self.channels.iter().collect();
        channels.sort_by(|a, b| (a.position, &a.key).cmp(&(b.position, &b.key)));
        channels
    }
}

fn channel(key: &str, label_de: &str, label_en: &str, kind: Kind, position: i32) -> Channel {
    Channel {
        key: key.into(),
        label_de: label_de.into(),
        label_en: label_en.into(),
        kind,
        position,
    }
}

/// The channels a new installation starts with: the physical, digital and communication
/// channels the method names.
pub fn default_channels() -> Vec<Channel> {
    use Kind::*;
    vec![
        channel("store", "Filiale", "Store", Physical, 10),
        channel("event", "Veranstaltung", "Event", Physical, 20),
        channel(
            "field-service",
            "Außendienst",
            "Field service",
            Physical,
            30,
        ),
        channel("website", "Website", "Website", Digital, 40),
        channel("online-shop", "Onlineshop", "Online shop", Digital, 50),
        channel("app", "App", "App", Digital, 60),
        channel("social-media", "Social Media", "Social media", Digital, 70),
        channel("phone", "Telefon", "Phone", Communication, 80),
        channel("email", "E-Mail", "E-mail", Communication, 90),
        channel("newsletter", "Newsletter", "Newsletter", Communication, 100),
        channel("chat", "Chat", "Chat", Communication, 110),
        channel("chatbot", "Chatbot", "Chatbot", Communication, 120),
        channel("letter", "Brief", "Letter", Communication, 130),
    ]
}

/// The phases a new installation starts with: the three stages of the method. Finer phases
/// can be added inside each stage.
pub fn default_phases() -> Vec<Phase> {
    let phase = |key: &str, de: &str, en: &str, stage| Phase {
        key: key.into(),
        label_de: de.into(),
        label_en: en.into(),
        stage,
        position: 10,
    };
    vec![
        phase(
            "before-purchase",
            "Vor dem Kauf",
            "Before purchase",
            Stage::BeforePurchase,
        ),
        phase(
            "during-purchase",
            "Während des Kaufs",
            "During purchase",
            Stage::DuringPurchase,
        ),
        phase(
            "after-purchase",
            "Nach dem Kauf",
            "After purchase",
            Stage::AfterPurchase,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_unique() {
        let catalog = Catalog {
            channels: default_channels(),
            phases: default_phases(),
        };
        for c in &catalog.channels {
            assert_eq!(c.clone().validated().as_ref(), Ok(c));
            assert_eq!(
                catalog.channels.iter().filter(|o| o.key == c.key).count(),
                1
            );
        }
        for p in &catalog.phases {
            assert_eq!(p.clone().validated().as_ref(), Ok(p));
        }
        // Every kind of touchpoint has at least one default channel.
        for kind in Kind::ALL {
            assert!(catalog.channels.iter().any(|c| c.kind == kind), "{kind:?}");
        }
    }

    #[test]
    fn phases_follow_the_journey() {
        let mut phases = default_phases();
        phases.reverse();
        phases.push(Phase {
            key: "awareness".into(),
            label_de: "Aufmerksamkeit".into(),
            label_en: "Awareness".into(),
            stage: Stage::BeforePurchase,
            position: 5,
        });
        let catalog = Catalog {
            channels: vec![],
            phases,
        };
        let keys: Vec<&str> = catalog
            .phases_in_order()
            .iter()
            .map(|p| p.key.as_str())
            .collect();
        assert_eq!(
            keys,
            [
                "awareness",
                "before-purchase",
                "during-purchase",
                "after-purchase"
            ]
        );
    }

    #[test]
    fn keys_are_url_safe() {
        let mut p = Problems::default();
        assert_eq!(check_key(&mut p, "key", " online-shop "), "online-shop");
        assert!(p.is_empty());
        check_key(&mut p, "key", "Online Shop");
        check_key(&mut p, "key", "");
        assert_eq!(p.0.len(), 2);
    }
}
