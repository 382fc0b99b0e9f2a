//! Money: integer øre inside, two-decimal strings on the wire, `rust_decimal` for arithmetic.
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// An amount in Danish kroner, held as whole øre so it can never carry a fraction of an øre.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("amount {0:?} is not a decimal number such as \"1234.50\"")]
    NotANumber(String),
    #[error("amount {0:?} has more than two decimals; amounts are kroner with at most two decimals (øre)")]
    TooManyDecimals(String),
    #[error("amount {0:?} is too large (at most 100000000000.00)")]
    TooLarge(String),
}

impl Money {
    pub const ZERO: Money = Money(0);
    /// The largest amount accepted anywhere: 100 billion kroner. Far above any real amount, and
    /// low enough that no sum the ledger forms can overflow.
    pub const MAX: Money = Money(10_000_000_000_000);
    /// The largest amount a caller may send: 100,000,000.00 kr. No single home-training amount
    /// comes near it, and at it the ledger's running totals (64-bit øre) would need 900 million
    /// postings to overflow. Totals the service forms itself (a payroll run, an import) may be
    /// larger and are guarded by checked arithmetic instead.
    pub const MAX_INPUT: Money = Money(10_000_000_000);

    #[inline]
    pub const fn from_ore(ore: i64) -> Self {
        Money(ore)
    }

    #[inline]
    pub const fn ore(self) -> i64 {
        self.0
    }

    #[inline]
    pub fn kroner(kr: i64) -> Self {
        Money(kr * 100)
    }

    #[inline]
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, 2)
    }

    /// Exact conversion: fails rather than rounds when the value has more than two decimals.
    #[inline]
    pub fn from_decimal_exact(d: Decimal) -> Result<Self, MoneyError> {
        let n = d.normalize();
        if n.scale() > 2 {
            return Err(MoneyError::TooManyDecimals(d.to_string()));
        }
        let ore = n
            .checked_mul(Decimal::ONE_HUNDRED)
            .map(|x| x.trunc().to_string())
            .and_then(|x| x.parse::<i64>().ok())
            .filter(|o| o.unsigned_abs() <= Self::MAX.0.unsigned_abs())
            .ok_or_else(|| MoneyError::TooLarge(d.to_string()))?;
        Ok(Money(ore))
    }

    /// The one rounding step of a computation: to the øre, half away from zero.
    #[inline]
    pub fn round(d: Decimal) -> Result<Self, MoneyError> {
        Self::from_decimal_exact(
            d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero),
        )
    }

    #[inline]
    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    pub fn is_positive(self) -> bool {
        self.0 > 0
    }

    #[inline]
    pub fn checked_add(self, o: Money) -> Option<Money> {
        self.0.checked_add(o.0).map(Money)
    }

    #[inline]
    pub fn checked_sub(self, o: Money) -> Option<Money> {
        self.0.checked_sub(o.0).map(Money)
    }

    /// The sum of stored amounts, or `None` past what 64-bit øre hold: totals over many
    /// accounts are summed with this, never with `+`, so stored data can never make a read panic.
    pub fn checked_sum<I: IntoIterator<Item = Money>>(items: I) -> Option<Money> {
        items
            .into_iter()
            .try_fold(Money::ZERO, |acc, m| acc.checked_add(m))
    }

    /// Whether a caller may send this amount (see `MAX_INPUT`).
    pub fn within_input(self) -> bool {
        self.0.unsigned_abs() <= Self::MAX_INPUT.0.unsigned_abs()
    }
}

thread_local! {
    /// Set while a request's body is parsed: amounts above `MAX_INPUT` are refused there, while
    /// the same type read back from a recorded response (a payroll run's totals) is not.
    static PARSING_INPUT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` (a request body's typed parse) with the caller's maximum amount in force.
pub fn as_input<T>(f: impl FnOnce() -> T) -> T {
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            PARSING_INPUT.with(|p| p.set(self.0));
        }
    }
    let _reset = Reset(PARSING_INPUT.with(|p| p.replace(true)));
    f()
}

/// The refusal of an amount above what a caller may send.
pub fn above_input(s: &str) -> String {
    format!(
        "amount {s:?} is above the largest amount accepted, {}",
        Money::MAX_INPUT
    )
}

impl std::ops::Add for Money {
    type Output = Money;
    #[inline]
    fn add(self, o: Money) -> Money {
        Money(self.0 + o.0)
    }
}

impl std::ops::Sub for Money {
    type Output = Money;
    #[inline]
    fn sub(self, o: Money) -> Money {
        Money(self.0 - o.0)
    }
}

impl std::ops::AddAssign for Money {
    #[inline]
    fn add_assign(&mut self, o: Money) {
        self.0 += o.0
    }
}

impl std::ops::SubAssign for Money {
    #[inline]
    fn sub_assign(&mut self, o: Money) {
        self.0 -= o.0
    }
}

impl std::ops::Neg for Money {
    type Output = Money;
    #[inline]
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl std::iter::Sum for Money {
    #[inline]
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        Money(iter.map(|m| m.0).sum())
    }
}

impl fmt::Display for Money {
    #[inline]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl FromStr for Money {
    type Err = MoneyError;
    #[inline]
    fn from_str(s: &str) -> Result<Self, MoneyError> {
        let t = s;
        // Only plain decimal notation: an optional minus, digits, and optionally a point followed
        // by digits. No spaces, exponents, thousands separators, "+", "1." or ".5".
        let body = t.strip_prefix('-').unwrap_or(t);
        let (int, frac) = match body.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (body, None),
        };
        let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
        if !digits(int) || frac.is_some_and(|f| !digits(f)) {
            return Err(MoneyError::NotANumber(s.to_string()));
        }
        let d = Decimal::from_str_exact(t).map_err(|_| MoneyError::TooLarge(s.to_string()))?;
        Money::from_decimal_exact(d).map_err(|e| match e {
            MoneyError::TooManyDecimals(_) => MoneyError::TooManyDecimals(s.to_string()),
            other => other,
        })
    }
}

impl Serialize for Money {
    #[inline]
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

/// Error messages start with a bracketed machine code so the API can turn them into problem codes.
const INVALID_AMOUNT: &str = crate::code::Code::InvalidAmount.as_str();

impl<'de> Deserialize<'de> for Money {
    #[inline]
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Money;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an amount as a string with at most two decimals, e.g. \"1234.50\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Money, E> {
                let m: Money = v
                    .parse()
                    .map_err(|e: MoneyError| E::custom(format!("[{INVALID_AMOUNT}] {e}")))?;
                if PARSING_INPUT.with(|p| p.get()) && !m.within_input() {
                    return Err(E::custom(format!("[{INVALID_AMOUNT}] {}", above_input(v))));
                }
                Ok(m)
            }
            fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Money, E> {
                Err(E::custom(format!(
                    "[{INVALID_AMOUNT}] amounts are strings with two decimals, e.g. \"1234.50\", not JSON numbers"
                )))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Money, E> {
                self.visit_i64(v as i64)
            }
            fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Money, E> {
                self.visit_i64(0)
            }
        }
        d.deserialize_any(V)
    }
}

/// A non-negative decimal quantity such as hours, on the wire as a string.
pub fn parse_decimal_str(s: &str) -> Result<Decimal, MoneyError> {
    Decimal::from_str_exact(s.trim()).map_err(|_| MoneyError::NotANumber(s.to_string()))
}

impl utoipa::PartialSchema for Money {
    #[inline]
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(r"^-?[0-9]{1,11}(\.[0-9]{1,2})?$"))
            .description(Some(
                "Amount in DKK as a decimal string with at most two decimals (øre). Responses always carry exactly two.",
            ))
            .examples([serde_json::json!("1234.50")])
            .into()
    }
}

impl utoipa::ToSchema for Money {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats() {
        assert_eq!("1234.50".parse::<Money>().unwrap().ore(), 123450);
        assert_eq!("0.05".parse::<Money>().unwrap().to_string(), "0.05");
        assert_eq!("-3".parse::<Money>().unwrap().to_string(), "-3.00");
        assert_eq!("12.500".parse::<Money>().unwrap().ore(), 1250);
        assert!(matches!(
            "1.234".parse::<Money>(),
            Err(MoneyError::TooManyDecimals(_))
        ));
        assert!(matches!(
            "1e3".parse::<Money>(),
            Err(MoneyError::NotANumber(_))
        ));
        assert!(matches!(
            "".parse::<Money>(),
            Err(MoneyError::NotANumber(_))
        ));
        assert!(matches!(
            "1-2".parse::<Money>(),
            Err(MoneyError::NotANumber(_))
        ));
        assert!("99999999999999999999999".parse::<Money>().is_err());
    }

    #[test]
    fn rounds_half_away_from_zero() {
        use rust_decimal_macros::dec;
        assert_eq!(Money::round(dec!(0.005)).unwrap().ore(), 1);
        assert_eq!(Money::round(dec!(-0.005)).unwrap().ore(), -1);
        assert_eq!(Money::round(dec!(0.0049)).unwrap().ore(), 0);
    }

    #[test]
    fn a_caller_sends_at_most_the_input_maximum_and_sums_never_overflow() {
        let parse = |s: &str| serde_json::from_str::<Money>(&format!("\"{s}\""));
        assert!(as_input(|| parse("100000000.00")).is_ok());
        assert!(as_input(|| parse("-100000000.00")).is_ok());
        assert!(as_input(|| parse("100000000.01")).is_err());
        // Read back outside a request (a recorded response), a larger total is fine.
        assert!(parse("100000000000.00").is_ok());
        let big = Money::from_ore(i64::MAX / 2 + 1);
        assert_eq!(Money::checked_sum([big, big]), None);
        assert_eq!(
            Money::checked_sum([Money::kroner(1), Money::kroner(2)]),
            Some(Money::kroner(3))
        );
    }
}
