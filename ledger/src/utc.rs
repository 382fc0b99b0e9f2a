//! Timestamps on the wire: UTC, RFC 3339 with a `Z` and microseconds, always the same width.
use chrono::NaiveDateTime;
use serde::Serializer;

const FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.6fZ";

pub fn ser<S: Serializer>(t: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&t.format(FORMAT))
}

pub fn ser_opt<S: Serializer>(t: &Option<NaiveDateTime>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => ser(t, s),
        None => s.serialize_none(),
    }
}
