//! Nested input read only from JSON objects. Serde's derived structs also take an array of
//! their fields in order, and a struct whose fields all have defaults takes `[]` as all
//! defaults: input no client means, which the API document (an object) does not allow. The
//! API refuses a body that is not an object; these serve the structs nested in one.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor, value::MapAccessDeserializer};

/// A `T` that was written as an object.
struct Object<T>(T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ObjectVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectVisitor<T> {
            type Value = Object<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Object<T>, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(Object)
            }
        }
        deserializer.deserialize_map(ObjectVisitor(PhantomData))
    }
}

/// For `#[serde(deserialize_with)]` on a struct-typed field.
pub fn from_object<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    Object::deserialize(deserializer).map(|Object(value)| value)
}

/// For `#[serde(deserialize_with)]` on a map whose values are structs.
pub fn map_of_objects<'de, D, K, T>(deserializer: D) -> Result<BTreeMap<K, T>, D::Error>
where
    D: Deserializer<'de>,
    K: Deserialize<'de> + Ord,
    T: Deserialize<'de>,
{
    let map = BTreeMap::<K, Object<T>>::deserialize(deserializer)?;
    Ok(map.into_iter().map(|(k, Object(v))| (k, v)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, PartialEq, Deserialize)]
    #[serde(default)]
    struct Pair {
        a: i64,
        b: bool,
    }

    #[derive(Debug, Default, PartialEq, Deserialize)]
    #[serde(default)]
    struct Outer {
        #[serde(deserialize_with = "from_object")]
        pair: Pair,
        #[serde(deserialize_with = "map_of_objects")]
        pairs: BTreeMap<String, Pair>,
    }

    #[test]
    fn arrays_are_refused_where_objects_are_read() {
        for json in [
            r#"{"pair": []}"#,
            r#"{"pair": [1, true]}"#,
            r#"{"pairs": {"x": []}}"#,
            r#"{"pairs": {"x": [2, false]}}"#,
        ] {
            let read: Result<Outer, _> = serde_json::from_str(json);
            let error = read.expect_err(json).to_string();
            assert!(error.contains("expected an object"), "{json}: {error}");
        }
    }

    #[test]
    fn objects_are_read_and_left_out_fields_default() {
        let read: Outer =
            serde_json::from_str(r#"{"pair": {"a": 3}, "pairs": {"x": {"b": true}}}"#)
                .expect("objects");
        assert_eq!(read.pair, Pair { a: 3, b: false });
        assert_eq!(read.pairs["x"], Pair { a: 0, b: true });
        let empty: Outer = serde_json::from_str("{}").expect("empty");
        assert_eq!(empty, Outer::default());
    }
}
