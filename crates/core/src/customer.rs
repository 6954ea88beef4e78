//! The customer profile: who a customer is across channels, and the identifiers that find
//! them (e-mail, phone, customer number, device or cookie id, social handle), each in one
//! normal form so that the same person written two ways is one key.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::problem::{Problem, Problems, check_labels, check_text};

pub const NAME_MAX: usize = 200;
pub const IDENTIFIER_MAX: usize = 200;
pub const SEGMENTS_MAX: usize = 30;
pub const SEGMENT_MAX: usize = 60;
pub const ATTRIBUTES_MAX: usize = 50;
pub const ATTRIBUTE_MAX: usize = 500;
/// The largest lifetime value of a profile, in cents: 10^13 cents, a hundred billion in the
/// currency, far beyond any customer's purchases and far within `i64`, so that sums of
/// lifetime values (a merge of profiles) cannot overflow.
pub const LIFETIME_VALUE_CENTS_MAX: i64 = 10_000_000_000_000;

/// The country a phone number without one belongs to: the organisation's, Germany.
pub const DEFAULT_COUNTRY_CODE: &str = "49";

/// What kind of identifier a value is; each kind has its own normal form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum IdentifierKind {
    Email,
    Phone,
    CustomerNumber,
    Device,
    Social,
}

impl IdentifierKind {
    pub const ALL: [IdentifierKind; 5] = [
        IdentifierKind::Email,
        IdentifierKind::Phone,
        IdentifierKind::CustomerNumber,
        IdentifierKind::Device,
        IdentifierKind::Social,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            IdentifierKind::Email => "email",
            IdentifierKind::Phone => "phone",
            IdentifierKind::CustomerNumber => "customer_number",
            IdentifierKind::Device => "device",
            IdentifierKind::Social => "social",
        }
    }

    pub fn parse(text: &str) -> Option<IdentifierKind> {
        IdentifierKind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// One identifier in its normal form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Identifier {
    pub kind: IdentifierKind,
    pub value: String,
}

impl Identifier {
    /// Normalises `raw` as an identifier of `kind`; the error is the reason in words.
    pub fn parse(kind: IdentifierKind, raw: &str) -> Result<Identifier, String> {
        let value = match kind {
            IdentifierKind::Email => normalize_email(raw)?,
            IdentifierKind::Phone => normalize_phone(raw)?,
            IdentifierKind::CustomerNumber => normalize_plain(raw)?.to_uppercase(),
            IdentifierKind::Device => normalize_plain(raw)?,
            IdentifierKind::Social => normalize_handle(raw)?,
        };
        Ok(Identifier { kind, value })
    }
}

fn normalize_plain(raw: &str) -> Result<String, String> {
    let value = raw.trim();
    if value.is_empty() {
        return Err("is empty".into());
    }
    // Counted as sent, as the API document states the limit.
    if raw.chars().count() > IDENTIFIER_MAX {
        return Err(format!("must be at most {IDENTIFIER_MAX} characters"));
    }
    if value.chars().any(char::is_control) {
        return Err("contains control characters".into());
    }
    Ok(value.to_owned())
}

/// An e-mail address without case: one `@`, a local part, and a domain with a dot.
/// (The local part is case-sensitive by RFC 5321, but no mail system in use treats it so, and
/// a customer who types it differently is the same customer.)
pub fn normalize_email(raw: &str) -> Result<String, String> {
    let value = normalize_plain(raw)?.to_lowercase();
    let Some((local, domain)) = value.split_once('@') else {
        return Err("is not an e-mail address (no @)".into());
    };
    let valid_domain = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !domain.contains('@');
    if local.is_empty() || !valid_domain || value.chars().any(char::is_whitespace) {
        return Err("is not an e-mail address".into());
    }
    Ok(value)
}

/// The rules phone numbers are stored by: the library's release and the metadata it carries.
/// A store whose numbers were written by other rules normalises them anew when it opens, so a
/// new release of the metadata changes this text.
pub const PHONE_RULES: &str = "phonenumber 0.3.10, libphonenumber metadata 9.0.33";

/// A phone number in E.164 (`+491711234567`).
///
/// Whether a text is a phone number at all is the API's documented shape, decided here with
/// every digit counted, the `0` of a "(0)" too: `+` or `00` and 7 to 15 digits with the
/// country code, or a national number with its leading `0` in the default country (Germany:
/// "0171 1234567"); spaces, dashes, dots, slashes and brackets may stand between the digits.
///
/// Which digits the stored number keeps follows the number's country, by libphonenumber's
/// metadata: the national prefix written after the country code is dropped ("+49 (0)171 …",
/// "+49 0171 …", "0043 0664 …"), while an Italian number keeps its leading 0. A number of a
/// country code the metadata does not know is kept as written.
pub fn normalize_phone(raw: &str) -> Result<String, String> {
    let written = international(&normalize_plain(raw)?)?;
    Ok(by_country_rules(&written).unwrap_or(written))
}

/// The E.164 form of `written` ("+" and digits) by its country's rules, if the metadata
/// knows the country, at least seven digits remain and the form reads as itself again.
fn by_country_rules(written: &str) -> Option<String> {
    let normal = e164(written)?;
    // A number with zeros where the country puts none ("+53 (0)0010000") can read otherwise
    // the second time; such a form is no normal form, and the number stays as written.
    match e164(&normal) {
        Some(again) if again != normal => None,
        _ => Some(normal),
    }
}

fn e164(written: &str) -> Option<String> {
    // Without a default country: the library would read a foreign number by that country's
    // national prefix ("+39 06 …" would lose the 0 that belongs to it).
    let number = phonenumber::parse(None, written).ok()?;
    let normal = number.format().mode(phonenumber::Mode::E164).to_string();
    (normal.len() > 7).then_some(normal)
}

/// The digits of a phone number written as `text`, with the country code, after a `+`.
fn international(text: &str) -> Result<String, String> {
    let mut digits = String::with_capacity(text.len());
    let mut plus = false;
    for (i, c) in text.chars().enumerate() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if i == 0 => plus = true,
            ' ' | '-' | '.' | '/' | '(' | ')' | '\u{a0}' => {}
            _ => return Err(format!("is not a phone number (\"{c}\")")),
        }
    }
    let international = if plus {
        digits
    } else if let Some(rest) = digits.strip_prefix("00") {
        rest.to_owned()
    } else if let Some(rest) = digits.strip_prefix('0') {
        format!("{DEFAULT_COUNTRY_CODE}{rest}")
    } else {
        return Err("is not a phone number: start with +, 00 or 0".into());
    };
    // E.164: at most 15 digits, country codes never start with 0; shorter than 7 digits is
    // no subscriber anywhere. Counted as written, a national 0 too.
    if international.starts_with('0') || !(7..=15).contains(&international.len()) {
        return Err("is not a phone number (7 to 15 digits with the country code)".into());
    }
    Ok(format!("+{international}"))
}

/// A social handle without case and without the leading `@`; a network may prefix it
/// (`instagram:@Nordlicht` is `instagram:nordlicht`).
pub fn normalize_handle(raw: &str) -> Result<String, String> {
    let value = normalize_plain(raw)?.to_lowercase();
    let (network, handle) = match value.split_once(':') {
        Some((network, handle)) => (Some(network.trim()), handle.trim()),
        None => (None, value.as_str()),
    };
    let handle = handle.trim_start_matches('@');
    if handle.is_empty() || handle.chars().any(char::is_whitespace) {
        return Err("is not a handle".into());
    }
    Ok(match network {
        Some(network) if !network.is_empty() => format!("{network}:{handle}"),
        _ => handle.to_owned(),
    })
}

/// The identifiers a request or a profile names, as they come in; all optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IdentifiersInput {
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub customer_number: Option<String>,
    /// A device or cookie id.
    #[serde(default)]
    pub device: Option<String>,
    /// A social media handle, optionally with its network (`instagram:@name`).
    #[serde(default)]
    pub social: Option<String>,
}

impl IdentifiersInput {
    /// The normal forms, each problem named `{prefix}{kind}`; blanks are skipped.
    pub fn validate(&self, problems: &mut Problems, prefix: &str) -> Vec<Identifier> {
        let mut out = Vec::new();
        for (kind, value) in [
            (IdentifierKind::Email, &self.email),
            (IdentifierKind::Phone, &self.phone),
            (IdentifierKind::CustomerNumber, &self.customer_number),
            (IdentifierKind::Device, &self.device),
            (IdentifierKind::Social, &self.social),
        ] {
            let Some(raw) = value.as_deref().filter(|v| !v.trim().is_empty()) else {
                continue;
            };
            match Identifier::parse(kind, raw) {
                Ok(id) => out.push(id),
                Err(reason) => problems.push(
                    format!("{prefix}{}", kind.as_str()),
                    Problem::Invalid { reason },
                ),
            }
        }
        out
    }
}

/// What a customer agreed to, per purpose (DSGVO Art. 6 (1) a, 7). Unknown means not given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Consent {
    /// Marketing e-mails and newsletters.
    pub email_marketing: bool,
    /// Marketing calls.
    pub phone_marketing: bool,
    /// Personalised offers from the customer's data.
    pub personalisation: bool,
}

/// The content of a customer profile, validated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerFields {
    pub name: String,
    /// How to address the customer ("Frau", "Herr", "Dr."); empty when unknown.
    pub salutation: String,
    /// Language code (`de`, `en`); empty when unknown.
    pub language: String,
    /// Key of the channel the customer prefers; empty when unknown.
    pub preferred_channel: String,
    pub segments: Vec<String>,
    pub attributes: BTreeMap<String, String>,
    pub consent: Consent,
    /// What the customer has bought so far, in cents: 0 to 10000000000000 (10^13).
    pub lifetime_value_cents: i64,
}

/// A profile as submitted by the API or a form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub salutation: String,
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub preferred_channel: String,
    #[serde(default)]
    pub segments: Vec<String>,
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    #[serde(default)]
    pub consent: Consent,
    /// What the customer has bought so far, in cents: 0 to 10000000000000 (10^13).
    #[serde(default)]
    pub lifetime_value_cents: i64,
}

/// Checks a language code: two or three lowercase letters, optionally with a region
/// (`de`, `en-GB`); returns it lowercased, empty for empty.
pub fn check_language(problems: &mut Problems, field: &str, value: &str) -> String {
    let value = value.trim();
    if value.is_empty() {
        return String::new();
    }
    let (base, region) = value.split_once(['-', '_']).unwrap_or((value, ""));
    let letters = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphabetic())
    };
    if !letters(base, 2..=3) || !(region.is_empty() || letters(region, 2..=3)) {
        problems.push(
            field,
            Problem::rule("language-code", "is not a language code such as de or en"),
        );
        return String::new();
    }
    base.to_lowercase()
}

impl CustomerInput {
    pub fn validate(&self) -> Result<CustomerFields, Problems> {
        let mut p = Problems::default();
        let fields = self.validate_into(&mut p, "");
        p.into_result(fields)
    }

    /// Like [`CustomerInput::validate`], each field named `{prefix}{field}`.
    pub fn validate_into(&self, p: &mut Problems, prefix: &str) -> CustomerFields {
        let f = |name: &str| format!("{prefix}{name}");
        let name = check_text(p, &f("name"), &self.name, NAME_MAX, false);
        let salutation = check_text(p, &f("salutation"), &self.salutation, 40, false);
        let language = check_language(p, &f("language"), &self.language);
        let preferred_channel = check_text(
            p,
            &f("preferred_channel"),
            &self.preferred_channel,
            60,
            false,
        );
        let segments = check_labels(p, &f("segments"), &self.segments, SEGMENTS_MAX, SEGMENT_MAX);
        if self.attributes.len() > ATTRIBUTES_MAX {
            p.push(
                f("attributes"),
                Problem::TooMany {
                    max: ATTRIBUTES_MAX,
                },
            );
        }
        let mut attributes = BTreeMap::new();
        for (key, value) in self.attributes.iter().take(ATTRIBUTES_MAX) {
            let key = check_text(p, &f(&format!("attributes.{key}")), key, 60, true);
            let value = check_text(
                p,
                &f(&format!("attributes.{key}")),
                value,
                ATTRIBUTE_MAX,
                false,
            );
            attributes.insert(key, value);
        }
        if !(0..=LIFETIME_VALUE_CENTS_MAX).contains(&self.lifetime_value_cents) {
            p.push(
                f("lifetime_value_cents"),
                Problem::OutOfRange {
                    min: 0,
                    max: LIFETIME_VALUE_CENTS_MAX,
                },
            );
        }
        CustomerFields {
            name,
            salutation,
            language,
            preferred_channel,
            segments,
            attributes,
            consent: self.consent,
            lifetime_value_cents: self.lifetime_value_cents.clamp(0, LIFETIME_VALUE_CENTS_MAX),
        }
    }
}

impl From<&CustomerFields> for CustomerInput {
    fn from(fields: &CustomerFields) -> Self {
        CustomerInput {
            name: fields.name.clone(),
            salutation: fields.salutation.clone(),
            language: fields.language.clone(),
            preferred_channel: fields.preferred_channel.clone(),
            segments: fields.segments.clone(),
            attributes: fields.attributes.clone(),
            consent: fields.consent,
            lifetime_value_cents: fields.lifetime_value_cents,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn german_numbers_become_e164() {
        for raw in [
            "0171 1234567",
            "0171/1234567",
            "+49 171 1234567",
            "+49 (0)171 123-45-67",
            "0049 171 1234567",
            "(0171) 1234567",
            "+49 0171 1234567",
            "+49-0171-1234567",
            "0049 0171 1234567",
            "0049 (0)171 1234567",
            "+49 (0171) 1234567",
            "0171 / 123 45 67",
        ] {
            assert_eq!(
                normalize_phone(raw).as_deref(),
                Ok("+491711234567"),
                "{raw}"
            );
        }
        assert_eq!(
            normalize_phone("+43 1 5321234").as_deref(),
            Ok("+4315321234")
        );
    }

    #[test]
    fn austrian_and_swiss_numbers_lose_their_national_zero_too() {
        for raw in [
            "+43 664 1234567",
            "+43 (0)664 1234567",
            "0043 0664 1234567",
            "+43 0664/1234567",
        ] {
            assert_eq!(
                normalize_phone(raw).as_deref(),
                Ok("+436641234567"),
                "{raw}"
            );
        }
        for raw in [
            "+41 79 123 45 67",
            "+41 (0)79 123 45 67",
            "0041 079 123 45 67",
        ] {
            assert_eq!(normalize_phone(raw).as_deref(), Ok("+41791234567"), "{raw}");
        }
        // In Italy the 0 belongs to the number.
        for raw in ["+39 06 12345678", "0039 06 1234 5678", "+390612345678"] {
            assert_eq!(
                normalize_phone(raw).as_deref(),
                Ok("+390612345678"),
                "{raw}"
            );
        }
    }

    #[test]
    fn numbers_of_other_countries_follow_their_own_rules() {
        assert_eq!(
            normalize_phone("+44 (0)20 7946 0958").as_deref(),
            Ok("+442079460958")
        );
        assert_eq!(
            normalize_phone("+1 (650) 253-0000").as_deref(),
            Ok("+16502530000")
        );
        // Zeros where Cuba's numbers have none would read otherwise a second time: kept as
        // written, so that the stored form stores as itself.
        assert_eq!(
            normalize_phone("+53 (0)0010000").as_deref(),
            Ok("+5300010000")
        );
        // A country code no country has: kept as written, as the API accepts it.
        assert_eq!(
            normalize_phone("+999 123 4567").as_deref(),
            Ok("+9991234567")
        );
    }

    /// Every digit counts for whether a text is a phone number, as the API's document says;
    /// a "(0)" is left out of the stored number only where enough digits remain.
    #[test]
    fn a_trunk_zero_counts_as_a_digit_until_the_number_is_stored() {
        // Seven digits with the 0: a number, kept whole as no shorter one would be.
        assert_eq!(
            normalize_phone("+20 2(7/9 ((0).2").as_deref(),
            Ok("+2027902")
        );
        // Sixteen digits with the 0: too long, though fifteen would remain without it.
        assert!(normalize_phone("+49 (0)171 1234567890").is_err());
        assert_eq!(
            normalize_phone("+49 (0)171 123456789").as_deref(),
            Ok("+49171123456789")
        );
    }

    #[test]
    fn bad_phone_numbers_say_why() {
        for raw in [
            "171 1234567",
            "0171 12a4567",
            "+0171",
            "0",
            "+1234567890123456",
        ] {
            assert!(normalize_phone(raw).is_err(), "{raw}");
        }
    }

    #[test]
    fn emails_lose_case_and_need_a_domain() {
        assert_eq!(
            normalize_email("  Anna.Schulz@Example.DE ").as_deref(),
            Ok("anna.schulz@example.de")
        );
        for raw in [
            "anna",
            "anna@",
            "@example.de",
            "anna@example",
            "a b@example.de",
        ] {
            assert!(normalize_email(raw).is_err(), "{raw}");
        }
        // The limit counts what was sent, the white space around it too.
        let long = format!("{}@example.de", "a".repeat(IDENTIFIER_MAX - 11));
        assert!(normalize_email(&long).is_ok());
        assert!(normalize_email(&format!(" {long}")).is_err());
    }

    #[test]
    fn handles_lose_the_at_and_case() {
        assert_eq!(normalize_handle("@Nordlicht").as_deref(), Ok("nordlicht"));
        assert_eq!(
            normalize_handle("Instagram:@Nordlicht").as_deref(),
            Ok("instagram:nordlicht")
        );
        assert!(normalize_handle("@").is_err());
    }

    #[test]
    fn identifier_problems_name_the_field() {
        let input = IdentifiersInput {
            email: Some("nope".into()),
            phone: Some("0171 1234567".into()),
            customer_number: Some(" kd-1 ".into()),
            ..IdentifiersInput::default()
        };
        let mut p = Problems::default();
        let ids = input.validate(&mut p, "customer.");
        assert_eq!(p.0.len(), 1);
        assert_eq!(p.0[0].field, "customer.email");
        assert_eq!(
            ids,
            vec![
                Identifier {
                    kind: IdentifierKind::Phone,
                    value: "+491711234567".into()
                },
                Identifier {
                    kind: IdentifierKind::CustomerNumber,
                    value: "KD-1".into()
                },
            ]
        );
    }

    #[test]
    fn profile_problems_name_each_field() {
        let input = CustomerInput {
            language: "deutsch".into(),
            lifetime_value_cents: -1,
            ..CustomerInput::default()
        };
        let fields: Vec<_> = input
            .validate()
            .expect_err("invalid")
            .0
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(fields, ["language", "lifetime_value_cents"]);
    }

    #[test]
    fn lifetime_value_is_bounded_by_a_hundred_billion() {
        let with = |cents: i64| CustomerInput {
            lifetime_value_cents: cents,
            ..CustomerInput::default()
        };
        for cents in [0, 123_456, LIFETIME_VALUE_CENTS_MAX] {
            assert_eq!(
                with(cents)
                    .validate()
                    .expect("in range")
                    .lifetime_value_cents,
                cents
            );
        }
        for cents in [-1, LIFETIME_VALUE_CENTS_MAX + 1, i64::MAX, i64::MIN] {
            let problems = with(cents).validate().expect_err("out of range");
            assert_eq!(problems.0.len(), 1, "{cents}");
            assert_eq!(problems.0[0].field, "lifetime_value_cents");
            assert_eq!(
                problems.0[0].problem,
                Problem::OutOfRange {
                    min: 0,
                    max: 10_000_000_000_000
                }
            );
        }
        // A request's customer, validated with a prefix, names the field with it.
        let mut p = Problems::default();
        with(i64::MAX).validate_into(&mut p, "customer.");
        assert_eq!(p.0[0].field, "customer.lifetime_value_cents");
    }

    proptest! {
        #[test]
        fn phone_normal_form_is_a_fixed_point(digits in "[1-9][0-9]{6,12}") {
            let national = format!("0{digits}");
            let once = normalize_phone(&national).expect("valid");
            prop_assert_eq!(normalize_phone(&once).expect("valid"), once.clone());
            prop_assert!(once.starts_with("+49"));
        }

        /// Any number the API's document accepts is stored in a form that stores as itself,
        /// with at least seven digits.
        #[test]
        fn international_normal_form_is_a_fixed_point(
            digits in "[1-9][0-9]{6,14}",
            trunk in proptest::bool::ANY,
        ) {
            let written = if trunk {
                format!("+{} (0){}", &digits[..2], &digits[2..])
            } else {
                format!("+{digits}")
            };
            if let Ok(once) = normalize_phone(&written) {
                prop_assert_eq!(normalize_phone(&once).expect("valid"), once.clone());
                prop_assert!((8..=16).contains(&once.len()), "{}", once);
            } else {
                // Only a "(0)" that pushes the digits past fifteen is refused.
                prop_assert!(trunk && digits.len() == 15);
            }
        }

        #[test]
        fn email_normal_form_is_a_fixed_point(local in "[A-Za-z0-9._]{1,12}", domain in "[A-Za-z]{1,10}") {
            let raw = format!("{local}@{domain}.De");
            let once = normalize_email(&raw).expect("valid");
            prop_assert_eq!(normalize_email(&once).expect("valid"), once);
        }
    }
}
