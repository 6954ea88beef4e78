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
        let profile = match request.customer_id {
            Some(id) => Some(store.customer(id).await?),
            None => None,
        };
        let fields = profile.as_ref().map(|p| &p.fields);
        let or_request = |own: Option<&str>, fallback: &str| -> String {
            match own.filter(|v| !v.is_empty()) {
                Some(v) => v.to_owned(),
                None => fallback.to_owned(),
            }
        };
        let language = or_request(fields.map(|f| f.language.as_str()), &request.language);
        Ok(Recipient {
            address: profile
                .as_ref()
                .and_then(|p| {
                    p.identifiers
                        .iter()
                        .find(|i| i.kind == IdentifierKind::Email)
                })
                .map(|i| i.value.clone())
                .unwrap_or_default(),
            language: if language.eq_ignore_ascii_case("en") {
                "en"
            } else {
                "de"
            },
            name: or_request(fields.map(|f| f.name.as_str()), &request.customer_name),
            salutation: fields.map(|f| f.salutation.clone()).unwrap_or_default(),
            profile,
        })
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
