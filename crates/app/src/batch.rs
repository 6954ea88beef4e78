//! Bodies that carry one item or a batch, `{"<key>": [items]}`, stored all or none. Every
//! item's problems are named as the body names it — `requests[3].channel` in a batch,
//! `channel` alone — here and nowhere else, whether the problem is found while reading,
//! validating or storing.
//!
//! The size of a batch is counted before any item is read, so an oversized body costs one
//! pass over its bytes and no memory per item.

use std::fmt;

use serde::Deserialize;
use serde::de::{DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use touchpoints_core::object::ObjectsOnly;
use touchpoints_core::{Problem, Problems};

use crate::json::{from_slice, from_value, malformed, parse};
use crate::{AppError, Result};

/// How a body carried its items: alone, or as a batch under a key.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub key: &'static str,
    pub batch: bool,
}

impl Shape {
    /// How the body names the `i`-th item's fields: `requests[3].` in a batch, nothing alone.
    pub fn prefix(&self, i: usize) -> String {
        if self.batch {
            format!("{}[{i}].", self.key)
        } else {
            String::new()
        }
    }

    /// The store names an item's fields `[3].channel`; the caller knows them as the body does.
    pub fn rename(&self, error: AppError) -> AppError {
        error.map_fields(|field| match field.strip_prefix("[0].") {
            Some(rest) if !self.batch => rest.to_owned(),
            _ if field.starts_with('[') => format!("{}{field}", self.key),
            _ => field,
        })
    }
}

/// The items of a body as read: each item, or the problems with its shape.
pub struct Items<I> {
    pub shape: Shape,
    pub items: Vec<Result<I, Problems>>,
}

impl<I> Items<I> {
    /// Validates every item; the problems of all items together, each named as the body
    /// names its item, or every item's value.
    pub fn validate<T>(self, validate: impl Fn(&I) -> Result<T, Problems>) -> Result<Vec<T>> {
        let mut problems = Problems::default();
        let mut out = Vec::with_capacity(self.items.len());
        for (i, item) in self.items.into_iter().enumerate() {
            match item.and_then(|input| {
                validate(&input).map_err(|found| {
                    let prefix = self.shape.prefix(i);
                    Problems(
                        found
                            .0
                            .into_iter()
                            .map(|mut p| {
                                p.field = format!("{prefix}{}", p.field);
                                p
                            })
                            .collect(),
                    )
                })
            }) {
                Ok(value) => out.push(value),
                Err(found) => problems.0.extend(found.0),
            }
        }
        problems.into_result(out).map_err(AppError::Invalid)
    }
}

/// Reads a body of one item or `{"<key>": [...]}` with at most `max` items.
///
/// A well-formed body is read in one typed pass, the common case and the fast one. Only a
/// body with a problem is counted, so that an oversized one is refused after one pass over
/// its bytes, and then read again item by item, so that the answer names every problem.
pub fn read<I: DeserializeOwned>(body: &[u8], key: &'static str, max: usize) -> Result<Items<I>> {
    let too_many = || Problems::single(key, Problem::TooMany { max }).into();
    let fast = match envelope::<I>(body, key) {
        Some(items) => Some((true, items)),
        None => from_slice::<I>(body).ok().map(|i| (false, vec![i])),
    };
    if let Some((batch, items)) = fast {
        if items.len() > max {
            return Err(too_many());
        }
        return Ok(Items {
            shape: Shape { key, batch },
            items: items.into_iter().map(Ok).collect(),
        });
    }
    let batch = match count(body, key).map_err(|e| malformed(&e))? {
        Count::Single => false,
        Count::Batch(len) if len > max => return Err(too_many()),
        Count::Batch(_) => true,
    };
    let shape = Shape { key, batch };
    let values = if batch {
        let Value::Object(mut map) = parse::<Value>(body)? else {
            return Err(AppError::Malformed("expected an object".into()));
        };
        let mut problems = Problems::default();
        for other in map.keys().filter(|k| *k != key) {
            problems.push(
                other.clone(),
                Problem::Invalid {
                    reason: format!("unknown field; a batch has only `{key}`"),
                },
            );
        }
        if !problems.is_empty() {
            return Err(problems.into());
        }
        match map.remove(key) {
            Some(Value::Array(items)) => items,
            _ => {
                return Err(Problems::single(
                    key,
                    Problem::Invalid {
                        reason: "must be a list".into(),
                    },
                )
                .into());
            }
        }
    } else {
        vec![parse::<Value>(body)?]
    };
    Ok(Items {
        shape,
        items: values
            .into_iter()
            .enumerate()
            .map(|(i, value)| from_value::<I>(value, &shape.prefix(i)))
            .collect(),
    })
}

/// The items of `{"<key>": [items]}` and nothing else, in one typed pass; `None` for any
/// other body.
fn envelope<I: DeserializeOwned>(body: &[u8], key: &'static str) -> Option<Vec<I>> {
    struct Envelope<I> {
        key: &'static str,
        items: std::marker::PhantomData<I>,
    }
    impl<'de, I: Deserialize<'de>> DeserializeSeed<'de> for Envelope<I> {
        type Value = Vec<I>;
        fn deserialize<D: serde::Deserializer<'de>>(
            self,
            d: D,
        ) -> std::result::Result<Vec<I>, D::Error> {
            d.deserialize_map(self)
        }
    }
    impl<'de, I: Deserialize<'de>> Visitor<'de> for Envelope<I> {
        type Value = Vec<I>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(f, "an object with only `{}`", self.key)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Vec<I>, A::Error> {
            use serde::de::Error as _;
            match map.next_key::<std::borrow::Cow<'de, str>>()? {
                Some(name) if name == self.key => {}
                _ => return Err(A::Error::custom("not a batch")),
            }
            let items = map.next_value::<Vec<I>>()?;
            match map.next_key::<IgnoredAny>()? {
                None => Ok(items),
                Some(_) => Err(A::Error::custom("more than a batch")),
            }
        }
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let items = Envelope {
        key,
        items: std::marker::PhantomData,
    }
    .deserialize(ObjectsOnly(&mut deserializer))
    .ok()?;
    deserializer.end().ok()?;
    Some(items)
}

enum Count {
    Single,
    /// A batch of this many items.
    Batch(usize),
}

/// Whether a body is a batch under `key`, and how many items it holds, without reading any.
fn count(body: &[u8], key: &'static str) -> std::result::Result<Count, serde_json::Error> {
    struct Top {
        key: &'static str,
    }
    impl<'de> DeserializeSeed<'de> for Top {
        type Value = Count;
        fn deserialize<D: serde::Deserializer<'de>>(
            self,
            d: D,
        ) -> std::result::Result<Count, D::Error> {
            d.deserialize_any(self)
        }
    }
    impl<'de> Visitor<'de> for Top {
        type Value = Count;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("one item or a batch")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Count, A::Error> {
            let mut len = None;
            while let Some(name) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                if name == self.key {
                    len = Some(map.next_value::<Length>()?.0);
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(len.map_or(Count::Single, Count::Batch))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Count, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(Count::Single)
        }
        fn visit_bool<E>(self, _: bool) -> std::result::Result<Count, E> {
            Ok(Count::Single)
        }
        fn visit_i64<E>(self, _: i64) -> std::result::Result<Count, E> {
            Ok(Count::Single)
        }
        fn visit_u64<E>(self, _: u64) -> std::result::Result<Count, E> {
            Ok(Count::Single)
        }
        fn visit_f64<E>(self, _: f64) -> std::result::Result<Count, E> {
            Ok(Count::Single)
        }
        fn visit_str<E>(self, _: &str) -> std::result::Result<Count, E> {
            Ok(Count::Single)
        }
        fn visit_unit<E>(self) -> std::result::Result<Count, E> {
            Ok(Count::Single)
        }
    }
    /// The length of a list, or 0 for anything else (which reading then names).
    struct Length(usize);
    impl<'de> Deserialize<'de> for Length {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
            struct Counter;
            impl<'de> Visitor<'de> for Counter {
                type Value = Length;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("a list")
                }
                fn visit_seq<A: SeqAccess<'de>>(
                    self,
                    mut seq: A,
                ) -> std::result::Result<Length, A::Error> {
                    let mut n = 0;
                    while seq.next_element::<IgnoredAny>()?.is_some() {
                        n += 1;
                    }
                    Ok(Length(n))
                }
                fn visit_map<A: MapAccess<'de>>(
                    self,
                    mut map: A,
                ) -> std::result::Result<Length, A::Error> {
                    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                    Ok(Length(0))
                }
                fn visit_bool<E>(self, _: bool) -> std::result::Result<Length, E> {
                    Ok(Length(0))
                }
                fn visit_i64<E>(self, _: i64) -> std::result::Result<Length, E> {
                    Ok(Length(0))
                }
                fn visit_u64<E>(self, _: u64) -> std::result::Result<Length, E> {
                    Ok(Length(0))
                }
                fn visit_f64<E>(self, _: f64) -> std::result::Result<Length, E> {
                    Ok(Length(0))
                }
                fn visit_str<E>(self, _: &str) -> std::result::Result<Length, E> {
                    Ok(Length(0))
                }
                fn visit_unit<E>(self) -> std::result::Result<Length, E> {
                    Ok(Length(0))
                }
            }
            d.deserialize_any(Counter)
        }
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let found = Top { key }.deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Item {
        n: u8,
    }

    fn fields(result: Result<Items<Item>>) -> Vec<String> {
        match result {
            Ok(items) => items
                .items
                .into_iter()
                .filter_map(|i| i.err())
                .flat_map(|p| p.0.into_iter().map(|f| f.field))
                .collect(),
            Err(e) => e.problems().iter().map(|f| f.field.clone()).collect(),
        }
    }

    #[test]
    fn a_single_item_and_a_batch_are_told_apart() {
        let one = read::<Item>(br#"{"n": 1}"#, "items", 3).expect("one");
        assert!(!one.shape.batch);
        assert_eq!(one.items.len(), 1);
        let many = read::<Item>(br#"{"items": [{"n": 1}, {"n": 2}]}"#, "items", 3).expect("two");
        assert!(many.shape.batch);
        let numbers: Vec<u8> = many.items.iter().flatten().map(|i| i.n).collect();
        assert_eq!(numbers, [1, 2]);
    }

    #[test]
    fn problems_are_named_as_the_body_names_them() {
        assert_eq!(fields(read(br#"{"n": "x"}"#, "items", 3)), ["n"]);
        assert_eq!(
            fields(read(
                br#"{"items": [{"n": 1}, {"n": 300}, {"m": 1}]}"#,
                "items",
                3
            )),
            ["items[1].n", "items[2].m"]
        );
        assert_eq!(
            fields(read(br#"{"items": [{"n": 1}], "more": 1}"#, "items", 3)),
            ["more"]
        );
        assert_eq!(fields(read(br#"{"items": 7}"#, "items", 3)), ["items"]);
    }

    #[test]
    fn an_oversized_batch_is_refused_before_its_items_are_read() {
        let body = format!("{{\"items\": [{}0]}}", "0,".repeat(1_000_000));
        match read::<Item>(body.as_bytes(), "items", 5_000) {
            Err(AppError::Invalid(p)) => {
                assert_eq!(p.0.len(), 1);
                assert_eq!(p.0[0].field, "items");
                assert_eq!(p.0[0].problem, Problem::TooMany { max: 5_000 });
            }
            other => panic!("expected too many, got {:?}", other.map(|i| i.items.len())),
        }
    }

    #[test]
    fn a_well_formed_batch_over_the_limit_is_refused_too() {
        let body = br#"{"items": [{"n": 1}, {"n": 2}, {"n": 3}, {"n": 4}]}"#;
        assert_eq!(fields(read::<Item>(body, "items", 3)), ["items"]);
        assert!(read::<Item>(body, "items", 4).is_ok());
    }

    #[test]
    fn broken_json_is_malformed() {
        assert!(matches!(
            read::<Item>(br#"{"items": [1,"#, "items", 3),
            Err(AppError::Malformed(_))
        ));
    }

    #[test]
    fn store_problems_take_the_body_names() {
        let store = || {
            AppError::Invalid(Problems::single(
                "[0].channel",
                Problem::Unknown {
                    value: "fax".into(),
                    allowed: vec![],
                },
            ))
        };
        let single = Shape {
            key: "requests",
            batch: false,
        };
        let batch = Shape {
            key: "requests",
            batch: true,
        };
        assert_eq!(single.rename(store()).problems()[0].field, "channel");
        assert_eq!(
            batch.rename(store()).problems()[0].field,
            "requests[0].channel"
        );
    }
}
