//! Personalised survey links: `/s/{slug}?c=…&ch=…&sig=…`, where `c` is a customer
//! reference and `ch` a channel that an answer given through the link is attributed to, and
//! `sig` proves that the product made the link. Anyone can open a survey; only the product can
//! say whom and which channel an answer belongs to.
//!
//! The signature is an HMAC-SHA256 over the slug, `c` and `ch` (each with its length, so that
//! no two triples read alike) with a key the store keeps, cut to its first 128 bits and
//! written as 32 hex digits. The key is made on first use and is the same for every app
//! server on the database; it is never logged or exported.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use touchpoints_core::survey::CUSTOMER_REF_MAX;
use touchpoints_core::{Problem, Problems};
use touchpoints_store::Store;

use crate::{AppError, Result, secrets};

/// The name of the key that signs survey links, in the store.
pub const KEY_NAME: &str = "survey-links";

/// Bytes of the HMAC kept in a link: 128 bits.
const SIGNATURE_BYTES: usize = 16;

/// What the MAC is computed over first, so that a MAC made for another purpose with the same
/// key can never pass for a survey link's.
const DOMAIN: &[u8] = b"touchpoints survey link v1";
const DOMAIN_WITH_REQUEST: &[u8] = b"touchpoints survey link with request v1";

/// The key that signs survey links. Its `Debug` shows nothing of it, so it cannot end up in a
/// log by accident.
#[derive(Clone)]
pub struct LinkKey(Vec<u8>);

impl LinkKey {
    pub fn new(bytes: impl Into<Vec<u8>>) -> LinkKey {
        LinkKey(bytes.into())
    }
}

impl std::fmt::Debug for LinkKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkKey(…)")
    }
}

/// The key from the store; the first call on a database makes it from fresh randomness.
pub async fn survey_link_key(store: &dyn Store) -> Result<LinkKey> {
    let candidate = secrets::new_secret()?;
    let key = store.key(KEY_NAME, &candidate).await?;
    if key.len() < 32 {
        return Err(AppError::Internal(
            "the stored key for survey links is too short".to_owned(),
        ));
    }
    Ok(LinkKey::new(key.into_bytes()))
}

fn mac(key: &LinkKey, slug: &str, c: &str, ch: &str, r: &str) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(&key.0).expect("HMAC takes keys of every length");
    // A link that names a request is signed over it as well, under a domain of its own.
    let parts: &[&str] = if r.is_empty() {
        mac.update(DOMAIN);
        &[slug, c, ch]
    } else {
        mac.update(DOMAIN_WITH_REQUEST);
        &[slug, c, ch, r]
    };
    for part in parts {
        mac.update(&(part.len() as u64).to_be_bytes());
        mac.update(part.as_bytes());
    }
    mac
}

/// The signature of a link's slug, customer reference, channel and request: 32 hex digits.
pub fn signature(key: &LinkKey, slug: &str, c: &str, ch: &str, r: &str) -> String {
    let tag = mac(key, slug, c, ch, r).finalize().into_bytes();
    tag[..SIGNATURE_BYTES]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether `sig` is the signature of these values, compared in constant time. Anything but
/// 32 hex digits fails.
pub fn verify(key: &LinkKey, slug: &str, c: &str, ch: &str, r: &str, sig: &str) -> bool {
    let Some(tag) = unhex(sig) else {
        return false;
    };
    tag.len() == SIGNATURE_BYTES && mac(key, slug, c, ch, r).verify_truncated_left(&tag).is_ok()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if text.len() != 2 * SIGNATURE_BYTES {
        return None;
    }
    let digit = |b: u8| {
        char::from(b)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
    };
    text.as_bytes()
        .chunks(2)
        .map(|pair| Some((digit(pair[0])? << 4) | digit(pair[1])?))
        .collect()
}

/// The path and query of the survey's link for this customer reference, channel and request
/// (the id of the request it follows), signed: `/s/{slug}?c=…&ch=…&r=…&sig=…`, or the plain
/// `/s/{slug}` when all are empty.
pub fn signed_survey_link(key: &LinkKey, slug: &str, c: &str, ch: &str, r: &str) -> String {
    let path = format!("/s/{}", encode(slug));
    if c.is_empty() && ch.is_empty() && r.is_empty() {
        return path;
    }
    let sig = signature(key, slug, c, ch, r);
    let mut query = Vec::new();
    for (name, value) in [("c", c), ("ch", ch), ("r", r)] {
        if !value.is_empty() {
            query.push(format!("{name}={}", encode(value)));
        }
    }
    query.push(format!("sig={sig}"));
    format!("{path}?{}", query.join("&"))
}

/// What an unsubscribe link's MAC is computed over first.
const DOMAIN_UNSUBSCRIBE: &[u8] = b"touchpoints unsubscribe v1";

fn unsubscribe_mac(key: &LinkKey, campaign_id: i64, customer_id: i64) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(&key.0).expect("HMAC takes keys of every length");
    mac.update(DOMAIN_UNSUBSCRIBE);
    mac.update(&campaign_id.to_be_bytes());
    mac.update(&customer_id.to_be_bytes());
    mac
}

/// The path of a customer's link that ends their marketing mails, from a mail of campaign
/// `campaign_id`: `/u/{campaign}/{customer}/{sig}`, signed with the survey links' key under a
/// domain of its own.
pub fn unsubscribe_path(key: &LinkKey, campaign_id: i64, customer_id: i64) -> String {
    let tag = unsubscribe_mac(key, campaign_id, customer_id)
        .finalize()
        .into_bytes();
    let sig: String = tag[..SIGNATURE_BYTES]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("/u/{campaign_id}/{customer_id}/{sig}")
}

/// Whether `sig` is the signature of an unsubscribe link for these ids.
pub fn verify_unsubscribe(key: &LinkKey, campaign_id: i64, customer_id: i64, sig: &str) -> bool {
    let Some(tag) = unhex(sig) else {
        return false;
    };
    unsubscribe_mac(key, campaign_id, customer_id)
        .verify_truncated_left(&tag)
        .is_ok()
}

/// Percent-encodes everything but the unreserved characters of RFC 3986.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A personalised link as staff ask for it: the survey's slug, a customer reference and a
/// channel, either may be empty. The reference is trimmed and at most as long as an answer's;
/// the channel must be one of the catalog's, so that the answers the link brings are taken.
/// Problems are named `customer_ref` and `channel`.
pub async fn personal_link(
    store: &dyn Store,
    slug: &str,
    customer_ref: &str,
    channel: &str,
) -> Result<String> {
    let (c, ch) = (customer_ref.trim(), channel.trim());
    let mut problems = Problems::default();
    if c.chars().count() > CUSTOMER_REF_MAX {
        problems.push(
            "customer_ref",
            Problem::TooLong {
                max: CUSTOMER_REF_MAX,
            },
        );
    }
    if !ch.is_empty() {
        let catalog = store.catalog().await?;
        if !catalog.channels.iter().any(|k| k.key == ch) {
            problems.push(
                "channel",
                Problem::Unknown {
                    value: ch.to_owned(),
                    allowed: catalog.channels.iter().map(|k| k.key.clone()).collect(),
                },
            );
        }
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let key = survey_link_key(store).await?;
    Ok(signed_survey_link(&key, slug, c, ch, ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> LinkKey {
        LinkKey::new(*b"0123456789abcdef0123456789abcdef")
    }

    /// The value of a query parameter of a link, still encoded.
    fn param<'a>(link: &'a str, name: &str) -> Option<&'a str> {
        let (_, query) = link.split_once('?')?;
        query
            .split('&')
            .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
    }

    #[test]
    fn a_signed_link_verifies_with_its_own_values_only() {
        let key = key();
        let link = signed_survey_link(&key, "ab12cd34", "K-17", "website", "");
        assert!(
            link.starts_with("/s/ab12cd34?c=K-17&ch=website&sig="),
            "{link}"
        );
        let sig = param(&link, "sig").expect("a signature");
        assert_eq!(sig.len(), 32);
        assert!(verify(&key, "ab12cd34", "K-17", "website", "", sig));
        assert!(
            !verify(&key, "ab12cd34", "K-18", "website", "", sig),
            "other customer"
        );
        assert!(
            !verify(&key, "ab12cd34", "K-17", "email", "", sig),
            "other channel"
        );
        assert!(
            !verify(&key, "zz12cd34", "K-17", "website", "", sig),
            "other survey"
        );
        assert!(!verify(&key, "ab12cd34", "", "", "", sig), "dropped values");
        let other = LinkKey::new(*b"another key of thirty-two bytes!");
        assert!(
            !verify(&other, "ab12cd34", "K-17", "website", "", sig),
            "other key"
        );
    }

    #[test]
    fn values_cannot_be_shifted_between_fields() {
        let key = key();
        // Without the lengths, "K-1" + "7website" and "K-17" + "website" would read alike.
        assert_ne!(
            signature(&key, "s", "K-17", "website", ""),
            signature(&key, "s", "K-1", "7website", "")
        );
        assert_ne!(
            signature(&key, "s", "", "x", ""),
            signature(&key, "s", "x", "", "")
        );
    }

    #[test]
    fn a_bad_signature_fails_whatever_its_form() {
        let key = key();
        let sig = signature(&key, "s", "c", "ch", "");
        assert!(verify(&key, "s", "c", "ch", "", &sig));
        assert!(verify(&key, "s", "c", "ch", "", &sig.to_uppercase()));
        for bad in [
            String::new(),
            sig[..30].to_owned(),
            sig[..2].to_owned(),
            format!("{sig}00"),
            format!("{}zz", &sig[..30]),
            "0".repeat(32),
            "ü".repeat(16),
        ] {
            assert!(!verify(&key, "s", "c", "ch", "", &bad), "{bad:?}");
        }
        let mut flipped = sig.into_bytes();
        flipped[0] = if flipped[0] == b'0' { b'1' } else { b'0' };
        let flipped = String::from_utf8(flipped).expect("hex");
        assert!(!verify(&key, "s", "c", "ch", "", &flipped));
    }

    #[test]
    fn links_encode_their_values_and_stay_plain_without_any() {
        let key = key();
        assert_eq!(
            signed_survey_link(&key, "ab12cd34", "", "", ""),
            "/s/ab12cd34"
        );
        let link = signed_survey_link(&key, "ab12cd34", "Müller & Co", "", "");
        assert!(
            link.starts_with("/s/ab12cd34?c=M%C3%BCller%20%26%20Co&sig="),
            "{link}"
        );
        assert!(param(&link, "ch").is_none());
        let sig = param(&link, "sig").expect("a signature");
        assert!(verify(&key, "ab12cd34", "Müller & Co", "", "", sig));
        let link = signed_survey_link(&key, "ab12cd34", "", "store", "");
        assert!(link.starts_with("/s/ab12cd34?ch=store&sig="), "{link}");
    }

    #[test]
    fn an_unsubscribe_link_verifies_for_its_own_campaign_and_customer_only() {
        let key = key();
        let path = unsubscribe_path(&key, 7, 42);
        let sig = path.strip_prefix("/u/7/42/").expect("the ids in the path");
        assert!(verify_unsubscribe(&key, 7, 42, sig));
        assert!(!verify_unsubscribe(&key, 7, 43, sig), "another customer");
        assert!(!verify_unsubscribe(&key, 8, 42, sig), "another campaign");
        assert!(!verify_unsubscribe(&key, 7, 42, &sig[..30]), "cut short");
        // A survey link's signature over the same numbers is no unsubscribe signature.
        let survey = signature(&key, "7", "42", "", "");
        assert!(!verify_unsubscribe(&key, 7, 42, &survey));
    }

    #[test]
    fn the_key_shows_nothing_when_printed() {
        let printed = format!("{:?}", key());
        assert!(!printed.contains("0123"), "{printed}");
    }

    #[test]
    fn a_link_that_names_its_request_is_signed_over_it() {
        let key = key();
        let link = signed_survey_link(&key, "ab12cd34", "K-17", "email", "42");
        assert!(
            link.starts_with("/s/ab12cd34?c=K-17&ch=email&r=42&sig="),
            "{link}"
        );
        let sig = param(&link, "sig").expect("a signature");
        assert!(verify(&key, "ab12cd34", "K-17", "email", "42", sig));
        assert!(
            !verify(&key, "ab12cd34", "K-17", "email", "43", sig),
            "another request"
        );
        assert!(
            !verify(&key, "ab12cd34", "K-17", "email", "", sig),
            "the request dropped"
        );
        let without = signature(&key, "ab12cd34", "K-17", "email", "");
        assert!(
            !verify(&key, "ab12cd34", "K-17", "email", "42", &without),
            "a request added"
        );
    }
}
