//! Whom a mail about a request goes to, and how: the customer's address, language, name and
//! salutation from their profile, with the request's own where the profile knows none.

use touchpoints_core::consistency::tone::Address;
use touchpoints_core::customer::IdentifierKind;
use touchpoints_core::greeting::greeting;
use touchpoints_store::{CustomerProfile, Store, StoredRequest};

use crate::Result;

/// The customer of a request as a mail addresses them.
#[derive(Debug, Clone, Default)]
pub(crate) struct Recipient {
    /// The first e-mail address of the profile (in the order it lists them); empty for none.
    pub address: String,
    /// `en` or `de`: German unless the profile (or else the request) says English.
    pub language: &'static str,
    pub name: String,
    pub salutation: String,
    pub profile: Option<CustomerProfile>,
}

impl Recipient {
    pub(crate) async fn of(store: &dyn Store, request: &StoredRequest) -> Result<Recipient> {
        match request.customer_id {
            Some(id) => {
                let mut recipient =
                    Recipient::of_profile(store.customer(id).await?, &request.language);
                if recipient.name.is_empty() {
                    recipient.name.clone_from(&request.customer_name);
                }
                Ok(recipient)
            }
            None => Ok(Recipient {
                name: request.customer_name.clone(),
                ..Recipient::unknown(&request.language)
            }),
        }
    }

    /// The customer of a profile; `language` where the profile names none.
    pub(crate) fn of_profile(profile: CustomerProfile, language: &str) -> Recipient {
        let fields = &profile.fields;
        let language = if fields.language.is_empty() {
            language
        } else {
            &fields.language
        };
        Recipient {
            address: first_email(&profile).to_owned(),
            language: language_of(language),
            name: fields.name.clone(),
            salutation: fields.salutation.clone(),
            profile: Some(profile),
        }
    }

    /// A customer of whom nothing is known but the language.
    pub(crate) fn unknown(language: &str) -> Recipient {
        Recipient {
            language: language_of(language),
            ..Recipient::default()
        }
    }

    /// How a message greets them: by salutation and name, in their language, with the
    /// guideline's form of address (formal when it names none).
    pub(crate) async fn greeting(&self, store: &dyn Store) -> Result<String> {
        let address = store
            .guideline()
            .await?
            .tone
            .address
            .unwrap_or(Address::Formal);
        Ok(greeting(
            &self.salutation,
            &self.name,
            self.language,
            address,
        ))
    }
}

/// The first e-mail address of a profile, in the order it lists them; empty for none.
pub(crate) fn first_email(profile: &CustomerProfile) -> &str {
    profile
        .identifiers
        .iter()
        .find(|i| i.kind == IdentifierKind::Email)
        .map_or("", |i| i.value.as_str())
}

/// `en` or `de`: German unless the code says English.
pub(crate) fn language_of(code: &str) -> &'static str {
    if code.eq_ignore_ascii_case("en") {
        "en"
    } else {
        "de"
    }
}
