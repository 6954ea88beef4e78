//! Channels by their labels: pages name a channel as the catalog labels it in the page's
//! language ("E-Mail"), never by its key (`email`).

use std::collections::HashMap;
use std::sync::Arc;

use minijinja::value::{Object, Value};
use touchpoints_core::Catalog;

use crate::i18n::Lang;

/// The catalog's channel labels (German, English) by key; its templates find it as
/// `channel_names`.
#[derive(Debug, Clone, Default)]
pub struct ChannelNames(Arc<HashMap<String, (String, String)>>);

impl ChannelNames {
    pub fn of(catalog: &Catalog) -> ChannelNames {
        ChannelNames(Arc::new(
            catalog
                .channels
                .iter()
                .map(|c| (c.key.clone(), (c.label_de.clone(), c.label_en.clone())))
                .collect(),
        ))
    }

    /// The label of the channel `key` in `lang`; a key the catalog does not know (a channel
    /// deleted since) is shown as it is.
    pub fn label(&self, key: &str, lang: Lang) -> String {
        match (self.0.get(key), lang) {
            (Some((de, _)), Lang::De) => de.clone(),
            (Some((_, en)), Lang::En) => en.clone(),
            (None, _) => key.to_owned(),
        }
    }

    /// A template's value for the labels, as the `channel` filter reads them.
    pub fn value(&self) -> Value {
        Value::from_object(self.clone())
    }

    /// The labels a template renders with: those its page set, or none.
    pub fn of_template(state: &minijinja::State) -> Arc<ChannelNames> {
        state
            .lookup("channel_names")
            .and_then(|v| v.downcast_object::<ChannelNames>())
            .unwrap_or_default()
    }
}

impl Object for ChannelNames {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_channel_is_named_by_its_label_and_an_unknown_key_as_it_is() {
        let names = ChannelNames::of(&Catalog {
            channels: touchpoints_core::catalog::default_channels(),
            ..Catalog::default()
        });
        assert_eq!(names.label("email", Lang::De), "E-Mail");
        assert_eq!(names.label("email", Lang::En), "E-mail");
        assert_eq!(names.label("letter", Lang::De), "Brief");
        assert_eq!(names.label("fax-2000", Lang::De), "fax-2000");
    }
}
