//! Identity resolution: which profile a set of identifiers belongs to, and what two profiles
//! become when an identifier shows they are one person.
//!
//! The rules are deterministic, so every app server decides alike: the oldest profile
//! survives (earliest creation, then lowest id); the survivor keeps what it knows and learns
//! what only the other knew; segments are united and lifetime values added up; consent is
//! kept only where both gave it, as a merge must never widen what a person agreed to.

use jiff::Timestamp;

use crate::customer::{Consent, CustomerFields, LIFETIME_VALUE_CENTS_MAX};

/// A profile as the merge decision sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: i64,
    pub created_at: Timestamp,
}

/// What to do with the profiles that a request's identifiers point at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// No identifier is known: a new profile.
    New,
    /// All known identifiers point at this profile.
    Existing(i64),
    /// They point at several: `absorbed` merge into `survivor`, in this order.
    Merge { survivor: i64, absorbed: Vec<i64> },
}

/// Decides which profile survives: the oldest, then the lowest id. Duplicates in `found`
/// count once.
pub fn resolve(found: &[Candidate]) -> Resolution {
    let mut sorted: Vec<&Candidate> = found.iter().collect();
    sorted.sort_by_key(|c| (c.created_at, c.id));
    sorted.dedup_by_key(|c| c.id);
    match sorted.as_slice() {
        [] => Resolution::New,
        [only] => Resolution::Existing(only.id),
        [first, rest @ ..] => Resolution::Merge {
            survivor: first.id,
            absorbed: rest.iter().map(|c| c.id).collect(),
        },
    }
}

/// The survivor's fields after absorbing `other`'s.
pub fn merge_fields(survivor: &CustomerFields, other: &CustomerFields) -> CustomerFields {
    let pick = |a: &String, b: &String| if a.is_empty() { b.clone() } else { a.clone() };
    let mut segments = survivor.segments.clone();
    for s in &other.segments {
        if !segments
            .iter()
            .any(|t| t.to_lowercase() == s.to_lowercase())
        {
            segments.push(s.clone());
        }
    }
    let mut attributes = other.attributes.clone();
    attributes.extend(survivor.attributes.clone());
    CustomerFields {
        name: pick(&survivor.name, &other.name),
        salutation: pick(&survivor.salutation, &other.salutation),
        language: pick(&survivor.language, &other.language),
        preferred_channel: pick(&survivor.preferred_channel, &other.preferred_channel),
        segments,
        attributes,
        consent: Consent {
            email_marketing: survivor.consent.email_marketing && other.consent.email_marketing,
            phone_marketing: survivor.consent.phone_marketing && other.consent.phone_marketing,
            personalisation: survivor.consent.personalisation && other.consent.personalisation,
        },
        // Stays within the bound a profile is validated against, so the survivor can be
        // saved again as it is.
        lifetime_value_cents: survivor
            .lifetime_value_cents
            .saturating_add(other.lifetime_value_cents)
            .clamp(0, LIFETIME_VALUE_CENTS_MAX),
    }
}

/// Merges profiles given oldest first, as the store does one absorption after another.
pub fn merge_all(profiles: &[(Candidate, CustomerFields)]) -> Option<CustomerFields> {
    let mut sorted: Vec<&(Candidate, CustomerFields)> = profiles.iter().collect();
    sorted.sort_by_key(|(c, _)| (c.created_at, c.id));
    let (first, rest) = sorted.split_first()?;
    Some(
        rest.iter()
            .fold(first.1.clone(), |acc, (_, f)| merge_fields(&acc, f)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_second(seconds).expect("instant")
    }

    #[test]
    fn the_oldest_profile_survives() {
        let found = [
            Candidate {
                id: 7,
                created_at: at(200),
            },
            Candidate {
                id: 9,
                created_at: at(100),
            },
            Candidate {
                id: 7,
                created_at: at(200),
            },
        ];
        assert_eq!(
            resolve(&found),
            Resolution::Merge {
                survivor: 9,
                absorbed: vec![7]
            }
        );
        assert_eq!(resolve(&found[..1]), Resolution::Existing(7));
        assert_eq!(resolve(&[]), Resolution::New);
    }

    #[test]
    fn the_survivor_learns_what_it_did_not_know() {
        let old = CustomerFields {
            name: "Anna Schulz".into(),
            segments: vec!["Premium".into()],
            lifetime_value_cents: 100,
            consent: Consent {
                email_marketing: true,
                ..Consent::default()
            },
            ..CustomerFields::default()
        };
        let new = CustomerFields {
            name: "A. Schulz".into(),
            language: "de".into(),
            segments: vec!["premium".into(), "Familie".into()],
            lifetime_value_cents: 50,
            consent: Consent {
                email_marketing: false,
                phone_marketing: true,
                ..Consent::default()
            },
            ..CustomerFields::default()
        };
        let merged = merge_fields(&old, &new);
        assert_eq!(merged.name, "Anna Schulz");
        assert_eq!(merged.language, "de");
        assert_eq!(merged.segments, ["Premium", "Familie"]);
        assert_eq!(merged.lifetime_value_cents, 150);
        assert_eq!(merged.consent, Consent::default());
    }

    #[test]
    fn merged_lifetime_values_stay_within_the_bound() {
        let rich = CustomerFields {
            lifetime_value_cents: LIFETIME_VALUE_CENTS_MAX,
            ..CustomerFields::default()
        };
        let merged = merge_fields(&rich, &rich);
        assert_eq!(merged.lifetime_value_cents, LIFETIME_VALUE_CENTS_MAX);
        // The survivor can be saved again as it is.
        let input = crate::customer::CustomerInput::from(&merged);
        assert!(input.validate().is_ok());
    }

    fn fields() -> impl Strategy<Value = CustomerFields> {
        (
            prop::option::of("[a-c]{1,3}"),
            prop::collection::vec("[a-d]", 0..3),
            0i64..1000,
            any::<bool>(),
        )
            .prop_map(|(name, segments, ltv, consent)| CustomerFields {
                name: name.unwrap_or_default(),
                segments,
                lifetime_value_cents: ltv,
                consent: Consent {
                    email_marketing: consent,
                    ..Consent::default()
                },
                ..CustomerFields::default()
            })
    }

    proptest! {
        #[test]
        fn a_merge_does_not_depend_on_the_order_profiles_are_found(
            profiles in prop::collection::vec(fields(), 1..5),
            seed in any::<u64>(),
        ) {
            let with_ids: Vec<(Candidate, CustomerFields)> = profiles
                .into_iter()
                .enumerate()
                .map(|(i, f)| {
                    let i = i64::try_from(i).expect("small");
                    (Candidate { id: i + 1, created_at: at(1000 - i * 10) }, f)
                })
                .collect();
            let mut shuffled = with_ids.clone();
            // A deterministic shuffle from the seed.
            let n = shuffled.len();
            for i in 0..n {
                let j = usize::try_from((seed >> (i % 60)) % (n as u64)).expect("small");
                shuffled.swap(i, j);
            }
            prop_assert_eq!(merge_all(&with_ids), merge_all(&shuffled));
            let candidates: Vec<Candidate> = shuffled.iter().map(|(c, _)| c.clone()).collect();
            let survivor = with_ids.iter().map(|(c, _)| c).min_by_key(|c| (c.created_at, c.id)).map(|c| c.id);
            match resolve(&candidates) {
                Resolution::Existing(id) => prop_assert_eq!(Some(id), survivor),
                Resolution::Merge { survivor: s, .. } => prop_assert_eq!(Some(s), survivor),
                Resolution::New => prop_assert!(false),
            }
        }
    }
}
