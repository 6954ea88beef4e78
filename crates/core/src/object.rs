//! Input read with every struct only from an object. Serde's derived structs also take an
//! array of their fields in order (`[3, true]` for `{"a": 3, "b": true}`), and a struct whose
//! fields all have defaults takes `[]` as all defaults: input no client means, which the API
//! document (an object wherever a struct is) does not allow. [`ObjectsOnly`] wraps a
//! deserializer and passes itself down into every nested value, so the rule holds at any
//! depth without an attribute on each field; [`Strict`] applies it where only a type can be
//! named. Every way in for JSON (the API's bodies, the command line's files) reads through
//! one of them; the YAML reader of guidelines reads a struct only from a mapping by itself.
//!
//! What serde buffers before it knows the type (the content of untagged and internally tagged
//! enums, flattened fields) it reads with its own deserializer, beyond the wrapper's reach; no
//! input type uses them.

use std::fmt;

use serde::Deserialize;
use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Unexpected,
    VariantAccess, Visitor,
};

/// A deserializer that reads every struct and struct variant only from an object, in the
/// value it reads and in every value nested in it.
pub struct ObjectsOnly<D>(pub D);

/// A `T` read by [`ObjectsOnly`], for readers that take a type rather than a deserializer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Strict<T>(pub T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Strict<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(ObjectsOnly(deserializer)).map(Strict)
    }
}

/// Forwards `deserialize_*` methods to the wrapped deserializer with a wrapped visitor.
macro_rules! forward {
    ($($method:ident($($arg:ident: $ty:ty),*)),* $(,)?) => {
        $(
            fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, D::Error> {
                self.0.$method($($arg,)* Wrap::any(visitor))
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for ObjectsOnly<D> {
    type Error = D::Error;

    forward!(
        deserialize_any(),
        deserialize_bool(),
        deserialize_i8(),
        deserialize_i16(),
        deserialize_i32(),
        deserialize_i64(),
        deserialize_i128(),
        deserialize_u8(),
        deserialize_u16(),
        deserialize_u32(),
        deserialize_u64(),
        deserialize_u128(),
        deserialize_f32(),
        deserialize_f64(),
        deserialize_char(),
        deserialize_str(),
        deserialize_string(),
        deserialize_bytes(),
        deserialize_byte_buf(),
        deserialize_option(),
        deserialize_unit(),
        deserialize_unit_struct(name: &'static str),
        deserialize_newtype_struct(name: &'static str),
        deserialize_seq(),
        deserialize_tuple(len: usize),
        deserialize_tuple_struct(name: &'static str, len: usize),
        deserialize_map(),
        deserialize_enum(name: &'static str, variants: &'static [&'static str]),
        deserialize_identifier(),
        deserialize_ignored_any(),
    );

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0
            .deserialize_struct(name, fields, Wrap::object(visitor))
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

/// A visitor that hands on what it is given wrapped, so that nested values are read by
/// [`ObjectsOnly`] too; if `object`, it refuses an array.
struct Wrap<V> {
    visitor: V,
    object: bool,
}

impl<V> Wrap<V> {
    fn any(visitor: V) -> Self {
        Wrap {
            visitor,
            object: false,
        }
    }

    fn object(visitor: V) -> Self {
        Wrap {
            visitor,
            object: true,
        }
    }
}

/// Forwards `visit_*` methods of plain values unchanged.
macro_rules! visit {
    ($($method:ident($ty:ty)),* $(,)?) => {
        $(
            fn $method<E: de::Error>(self, v: $ty) -> Result<V::Value, E> {
                self.visitor.$method(v)
            }
        )*
    };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Wrap<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    visit!(
        visit_bool(bool),
        visit_i8(i8),
        visit_i16(i16),
        visit_i32(i32),
        visit_i64(i64),
        visit_i128(i128),
        visit_u8(u8),
        visit_u16(u16),
        visit_u32(u32),
        visit_u64(u64),
        visit_u128(u128),
        visit_f32(f32),
        visit_f64(f64),
        visit_char(char),
        visit_str(&str),
        visit_borrowed_str(&'de str),
        visit_string(String),
        visit_bytes(&[u8]),
        visit_borrowed_bytes(&'de [u8]),
        visit_byte_buf(Vec<u8>),
    );

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        self.visitor.visit_some(ObjectsOnly(deserializer))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<V::Value, D::Error> {
        self.visitor.visit_newtype_struct(ObjectsOnly(deserializer))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        if self.object {
            return Err(de::Error::invalid_type(Unexpected::Seq, &self));
        }
        self.visitor.visit_seq(Nested(seq))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_map(Nested(map))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_enum(Nested(data))
    }
}

/// An array's items, an object's entries, an enum's content or a seed, each read by
/// [`ObjectsOnly`].
struct Nested<T>(T);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Nested<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(ObjectsOnly(deserializer))
    }
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Nested<A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        self.0.next_element_seed(Nested(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Nested<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.0.next_key_seed(Nested(seed))
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.0.next_value_seed(Nested(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: EnumAccess<'de>> EnumAccess<'de> for Nested<A> {
    type Error = A::Error;
    type Variant = Nested<A::Variant>;

    fn variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<(T::Value, Self::Variant), A::Error> {
        let (value, variant) = self.0.variant_seed(Nested(seed))?;
        Ok((value, Nested(variant)))
    }
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for Nested<A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.0.unit_variant()
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.0.newtype_variant_seed(Nested(seed))
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.0.tuple_variant(len, Wrap::any(visitor))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.0.struct_variant(fields, Wrap::object(visitor))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    use super::*;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Pair {
        a: i64,
        b: bool,
    }

    #[derive(Debug, Default, PartialEq, Deserialize)]
    #[serde(default)]
    struct Defaults {
        a: i64,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Shape {
        Point { x: i64 },
        Wrapped(Pair),
        Unit,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Outer {
        pair: Pair,
        #[serde(default)]
        defaults: Defaults,
        #[serde(default)]
        maybe: Option<Pair>,
        #[serde(default)]
        list: Vec<Pair>,
        #[serde(default)]
        by_key: BTreeMap<String, Pair>,
        #[serde(default)]
        shapes: Vec<Shape>,
        #[serde(default)]
        numbers: Vec<i64>,
        #[serde(default)]
        tuple: Option<(i64, String)>,
    }

    fn read(json: &str) -> Result<Outer, serde_json::Error> {
        Outer::deserialize(ObjectsOnly(&mut serde_json::Deserializer::from_str(json)))
    }

    const PAIR: &str = r#""pair": {"a": 1, "b": true}"#;

    #[test]
    fn a_struct_written_as_an_array_is_refused_at_any_depth() {
        for (json, expected) in [
            (r#"[{"a": 1, "b": true}]"#.to_owned(), "struct Outer"),
            (r#"{"pair": [1, true]}"#.to_owned(), "struct Pair"),
            (format!(r#"{{{PAIR}, "defaults": []}}"#), "struct Defaults"),
            (format!(r#"{{{PAIR}, "maybe": [1, true]}}"#), "struct Pair"),
            (format!(r#"{{{PAIR}, "list": [[1, true]]}}"#), "struct Pair"),
            (
                format!(r#"{{{PAIR}, "by_key": {{"k": [1, true]}}}}"#),
                "struct Pair",
            ),
            (
                format!(r#"{{{PAIR}, "shapes": [{{"point": [3]}}]}}"#),
                "struct variant",
            ),
            (
                format!(r#"{{{PAIR}, "shapes": [{{"wrapped": [1, true]}}]}}"#),
                "struct Pair",
            ),
        ] {
            let error = read(&json).expect_err(&json).to_string();
            assert!(
                error.starts_with("invalid type: sequence, expected ") && error.contains(expected),
                "{json}: {error}"
            );
            // Without the wrapper serde takes every one of them.
            assert!(
                json.starts_with('[') || serde_json::from_str::<Outer>(&json).is_ok(),
                "{json}"
            );
        }
    }

    #[test]
    fn objects_lists_and_tuples_read_as_before() {
        let json = format!(
            r#"{{{PAIR}, "defaults": {{}}, "maybe": {{"a": 2, "b": false}},
                "list": [{{"a": 3, "b": true}}], "by_key": {{"k": {{"a": 4, "b": false}}}},
                "shapes": [{{"point": {{"x": 5}}}}, {{"wrapped": {{"a": 6, "b": true}}}}, "unit"],
                "numbers": [7, 8], "tuple": [9, "nine"]}}"#
        );
        let read = read(&json).expect("reads");
        assert_eq!(read, serde_json::from_str::<Outer>(&json).expect("plain"));
        assert_eq!(read.shapes[0], Shape::Point { x: 5 });
        assert_eq!(read.tuple, Some((9, "nine".to_owned())));
        assert_eq!(read.numbers, [7, 8]);
    }

    #[test]
    fn a_value_tree_and_a_named_type_are_held_to_the_same_rule() {
        let value = serde_json::json!({"pair": {"a": 1, "b": true}, "list": [[1, true]]});
        let error = Outer::deserialize(ObjectsOnly(value)).expect_err("an array for a struct");
        assert!(error.to_string().contains("struct Pair"), "{error}");
        let error = serde_json::from_str::<Strict<Outer>>(r#"{"pair": [1, true]}"#)
            .expect_err("an array for a struct");
        assert!(error.to_string().contains("struct Pair"), "{error}");
        let Strict(read) =
            serde_json::from_str::<Strict<Outer>>(&format!("{{{PAIR}}}")).expect("an object");
        assert_eq!(read.pair, Pair { a: 1, b: true });
    }
}
