//! Readers that accept whatever JSON type a field turns out to have.
//!
//! Claude Code has no published schema and its fields drift between builds, so one odd field must
//! not cost the whole line: a string field of another type reads as absent, a flag as `false`, a
//! token count as 0 (numeric strings and floats are accepted; out-of-range values saturate), and
//! [`Obj`] reads a nested object or, for any other value, nothing. Every reader consumes the value
//! it was given, so the line is still scanned once.

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

/// Visitor methods for the values a lenient reader ignores: they read as `$value`.
macro_rules! read_others_as {
    ($value:expr) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($value)
        }
    };
}
pub(super) use read_others_as;

/// Skip the rest of a list.
pub fn drain_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

/// Skip the rest of an object.
pub fn drain_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

/// A nested object decoded as `T`, or `Other` when the value is not an object. (Serde alone would
/// also fill a struct from a JSON array, position by position.)
pub enum Obj<T> {
    Object(T),
    Other,
}

// Not derived: the derive would require `T: Default`, which the line structs are not.
#[allow(clippy::derivable_impls)]
impl<T> Default for Obj<T> {
    fn default() -> Self {
        Obj::Other
    }
}

impl<T> Obj<T> {
    pub fn into_option(self) -> Option<T> {
        match self {
            Obj::Object(t) => Some(t),
            Obj::Other => None,
        }
    }

    pub fn get(&self) -> Option<&T> {
        match self {
            Obj::Object(t) => Some(t),
            Obj::Other => None,
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Obj<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ObjVisitor(std::marker::PhantomData))
    }
}

struct ObjVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjVisitor<T> {
    type Value = Obj<T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(Obj::Object)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        drain_seq(seq).map(|_| Obj::Other)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Obj::Other)
    }
    read_others_as!(Obj::Other);
}

/// A list whose object elements are decoded as `T`; other elements, or a value that is not a
/// list, are left out.
pub fn objects<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    d.deserialize_any(ListVisitor(std::marker::PhantomData))
}

struct ListVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ListVisitor<T> {
    type Value = Vec<T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Obj<T>>()? {
            items.extend(item.into_option());
        }
        Ok(items)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        drain_map(map).map(|_| Vec::new())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
    read_others_as!(Vec::new());
}

/// A string, borrowed when it holds no escapes; `None` for any other JSON value.
pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Cow<'de, str>>, D::Error> {
    d.deserialize_any(StrVisitor)
}

/// `true` only for JSON `true`.
pub fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(matches!(d.deserialize_any(ScalarVisitor)?, Scalar::Bool(true)))
}

/// A token count: an integer, a float (truncated) or a numeric string; anything else is 0.
pub fn count<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    Ok(match d.deserialize_any(ScalarVisitor)? {
        Scalar::Int(i) => i,
        // `as` saturates at the i64 bounds and maps NaN to 0.
        Scalar::Float(f) => f as i64,
        Scalar::Text(s) => {
            let s = s.trim();
            s.parse::<i64>().ok().or_else(|| s.parse::<f64>().ok().map(|f| f as i64)).unwrap_or(0)
        }
        Scalar::Bool(_) | Scalar::Other => 0,
    })
}

/// A finite number (or numeric string), else `None`.
pub fn number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    let x = match d.deserialize_any(ScalarVisitor)? {
        Scalar::Int(i) => Some(i as f64),
        Scalar::Float(f) => Some(f),
        Scalar::Text(s) => s.trim().parse::<f64>().ok(),
        Scalar::Bool(_) | Scalar::Other => None,
    };
    Ok(x.filter(|f| f.is_finite()))
}

struct StrVisitor;

impl<'de> Visitor<'de> for StrVisitor {
    type Value = Option<Cow<'de, str>>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v)))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        drain_seq(seq).map(|_| None)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        drain_map(map).map(|_| None)
    }
    read_others_as!(None);
}

/// A JSON scalar as the number and flag readers see it; lists and objects read as `Other`.
enum Scalar<'de> {
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(Cow<'de, str>),
    Other,
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Scalar::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Scalar::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Scalar::Int(i64::try_from(v).unwrap_or(i64::MAX)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Scalar::Float(v))
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Scalar::Text(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Scalar::Text(Cow::Owned(v.to_owned())))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Other)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Other)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        drain_seq(seq).map(|_| Scalar::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        drain_map(map).map(|_| Scalar::Other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Probe<'a> {
        #[serde(borrow, default, deserialize_with = "string")]
        s: Option<Cow<'a, str>>,
        #[serde(default, deserialize_with = "count")]
        n: i64,
        #[serde(default, deserialize_with = "flag")]
        b: bool,
        #[serde(default, deserialize_with = "number")]
        x: Option<f64>,
    }

    #[test]
    fn odd_types_read_as_absent_zero_or_false() {
        type Want<'a> = (Option<&'a str>, i64, bool, Option<f64>);
        let table: &[(&str, Want)] = &[
            (r#"{"s":"x","n":5,"b":true,"x":1.5}"#, (Some("x"), 5, true, Some(1.5))),
            (r#"{"s":"a\"b","n":"42","b":"true","x":"2"}"#, (Some("a\"b"), 42, false, Some(2.0))),
            (r#"{"s":{"k":[1,2]},"n":3.9,"b":1,"x":[1]}"#, (None, 3, false, None)),
            (r#"{"s":null,"n":null,"b":null,"x":null}"#, (None, 0, false, None)),
            (r#"{"s":[],"n":1e300,"b":false,"x":"inf"}"#, (None, i64::MAX, false, None)),
            (r#"{"n":18446744073709551615,"x":true}"#, (None, i64::MAX, false, None)),
            (r#"{"n":-7,"s":7,"x":-7}"#, (None, -7, false, Some(-7.0))),
            (r#"{"n":" 12 "}"#, (None, 12, false, None)),
            (r#"{}"#, (None, 0, false, None)),
        ];
        for (json, want) in table {
            let p: Probe = serde_json::from_str(json).unwrap();
            assert_eq!((p.s.as_deref(), p.n, p.b, p.x), *want, "{json}");
        }
    }

    #[test]
    fn plain_strings_are_borrowed() {
        let p: Probe = serde_json::from_str(r#"{"s":"plain"}"#).unwrap();
        assert!(matches!(p.s, Some(Cow::Borrowed("plain"))));
    }

    #[derive(Deserialize, Debug, PartialEq)]
    struct Pair {
        a: i64,
    }

    #[test]
    fn objects_are_read_and_everything_else_is_left_out() {
        let one = |json: &str| serde_json::from_str::<Obj<Pair>>(json).unwrap().into_option();
        assert_eq!(one(r#"{"a":1}"#), Some(Pair { a: 1 }));
        assert_eq!(one("[1]"), None);
        assert_eq!(one(r#""x""#), None);
        assert_eq!(one("null"), None);
        let many = |json: &str| objects::<Pair, _>(&mut serde_json::Deserializer::from_str(json)).unwrap();
        assert_eq!(many(r#"[{"a":1},[2],"x",{"a":3},null]"#), [Pair { a: 1 }, Pair { a: 3 }]);
        assert_eq!(many(r#"{"a":1}"#), []);
        assert_eq!(many("7"), []);
    }
}
