//! JSON Schema's integers include `8.0`: a body's whole-number field takes a number written
//! either way (a generated client may send either), and refuses a fraction.
use serde::Deserialize;

/// A whole number, also when a client writes it as `8.0` (JSON Schema's integers include it).
pub fn whole<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i32, D::Error> {
    let n = f64::deserialize(d)?;
    if n.fract() != 0.0 || n < i32::MIN as f64 || n > i32::MAX as f64 {
        return Err(serde::de::Error::custom("a whole number"));
    }
    Ok(n as i32)
}

/// `whole`, or null (kept as in force, like a value left out).
pub fn whole_opt<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i32>, D::Error> {
    match Option::<f64>::deserialize(d)? {
        None => Ok(None),
        Some(n) if n.fract() == 0.0 && n >= i32::MIN as f64 && n <= i32::MAX as f64 => {
            Ok(Some(n as i32))
        }
        Some(_) => Err(serde::de::Error::custom("a whole number")),
    }
}
