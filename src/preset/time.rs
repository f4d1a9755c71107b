//! Times on the command line and in presets (SPEC section 1): a number of
//! seconds, or a string with a unit: `0.02`, `"20 ms"`, `"20ms"`, `"500 us"`,
//! `"500 µs"`, `"1.5 s"`.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};

/// What the error messages say a valid time looks like.
pub const TIME_FORMS: &str = "a number of seconds (0.02) or a string with a unit: \"20 ms\", \"500 us\", \"500 µs\", \"1.5 s\"";

/// Units accepted, with their factor to seconds.
const UNITS: [(&str, f64); 7] = [
    ("s", 1.0),
    ("ms", 1e-3),
    ("us", 1e-6),
    ("µs", 1e-6),
    ("μs", 1e-6),
    ("ns", 1e-9),
    ("min", 60.0),
];

/// Parses a time string to seconds. A bare number is seconds.
pub fn parse_time(text: &str) -> Result<f64, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E')))
        .unwrap_or(t.len());
    // An exponent 'e' directly followed by a letter would be a unit; numbers
    // here never end in 'e', so step back over a trailing one.
    let (num, unit) = t.split_at(split);
    let (num, unit) = match num.strip_suffix(['e', 'E']) {
        Some(n) if !unit.is_empty() => (n, &t[n.len()..]),
        _ => (num, unit),
    };
    let value: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("\"{text}\" is not a time: expected {TIME_FORMS}"))?;
    let unit = unit.trim();
    let factor = if unit.is_empty() {
        1.0
    } else {
        UNITS
            .iter()
            .find(|(u, _)| *u == unit)
            .map(|(_, f)| *f)
            .ok_or_else(|| {
                format!(
                    "\"{text}\" has an unknown unit \"{unit}\": use s, ms, us (or µs), ns or min"
                )
            })?
    };
    Ok(value * factor)
}

/// A time in seconds as read from a preset.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Seconds(pub f64);

impl<'de> Deserialize<'de> for Seconds {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Seconds;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(TIME_FORMS)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Seconds, E> {
                Ok(Seconds(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Seconds, E> {
                Ok(Seconds(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Seconds, E> {
                Ok(Seconds(v as f64))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Seconds, E> {
                parse_time(v).map(Seconds).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

/// A time for people: "20 ms", "500 µs", "1.5 s".
pub fn format_time(seconds: f64) -> String {
    in_time_unit(seconds, trim)
}

/// A time in the unit that suits it (µs below 1 ms, ms below 1 s, else
/// s), its number written by `number`.
pub fn in_time_unit(seconds: f64, number: impl Fn(f64) -> String) -> String {
    let a = seconds.abs();
    if a == 0.0 {
        "0 s".into()
    } else if a < 1e-3 {
        format!("{} µs", number(seconds * 1e6))
    } else if a < 1.0 {
        format!("{} ms", number(seconds * 1e3))
    } else {
        format!("{} s", number(seconds))
    }
}

fn trim(x: f64) -> String {
    let s = format!("{x:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forms_of_spec_section_1() {
        assert_eq!(parse_time("0.02"), Ok(0.02));
        assert_eq!(parse_time("20 ms"), Ok(0.02));
        assert_eq!(parse_time("20ms"), Ok(0.02));
        assert_eq!(parse_time("500 us"), Ok(500e-6));
        assert_eq!(parse_time("500 µs"), Ok(500e-6));
        assert_eq!(parse_time("1.5 s"), Ok(1.5));
        assert_eq!(parse_time("1e-3 s"), Ok(1e-3));
        assert_eq!(parse_time("2e1ms"), Ok(0.02));
        assert!(
            parse_time("20 parsecs")
                .unwrap_err()
                .contains("unknown unit")
        );
        assert!(parse_time("ms").is_err());
        assert!(parse_time("").is_err());
    }

    #[test]
    fn formats_for_people() {
        assert_eq!(format_time(0.02), "20 ms");
        assert_eq!(format_time(25e-6), "25 µs");
        assert_eq!(format_time(1.5), "1.5 s");
    }
}
