//! Times on the command line and in presets (SPEC section 1): a number of
//! seconds, or a string with a unit: `0.02`, `"20 ms"`, `"20ms"`, `"500 us"`,
//! `"500 µs"`, `"1.5 s"`.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};

use super::toml_errors::VALID_SEPARATOR;

/// What the error messages say a valid time looks like.
pub const TIME_FORMS: &str =
    "a number of seconds (0.02) or a string with a unit: \"20 ms\", \"500 us\", \"1.5 s\"";

/// Units accepted: a power of ten of a second, or (minutes) a factor.
#[derive(Clone, Copy)]
enum Scale {
    Decimal(i32),
    Factor(f64),
}

const UNITS: [(&str, Scale); 7] = [
    ("s", Scale::Decimal(0)),
    ("ms", Scale::Decimal(-3)),
    ("us", Scale::Decimal(-6)),
    ("µs", Scale::Decimal(-6)),
    ("μs", Scale::Decimal(-6)),
    ("ns", Scale::Decimal(-9)),
    ("min", Scale::Factor(60.0)),
];

/// Parses a time string to seconds. A bare number is seconds. A decimal
/// with a unit that is a power of ten of a second is read as the decimal
/// number of seconds it is ("52 ms" is 52e-3 s, the f64 nearest to 0.052),
/// not as a product rounded twice.
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
    let num = num.trim();
    let not_a_time = || format!("\"{text}\" is not a time{VALID_SEPARATOR}{TIME_FORMS}");
    // The number must parse as written before its exponent is shifted.
    let value: f64 = num.parse().map_err(|_| not_a_time())?;
    let unit = unit.trim();
    if unit.is_empty() {
        return Ok(value);
    }
    let scale = UNITS
        .iter()
        .find(|(u, _)| *u == unit)
        .map(|(_, s)| *s)
        .ok_or_else(|| {
            let meant = unit_meant(unit)
                .map(|u| format!(": write \"{num} {u}\""))
                .unwrap_or_default();
            format!(
                "\"{text}\" has an unknown unit \"{unit}\"{meant}{VALID_SEPARATOR}a number with s, ms, us, ns or min"
            )
        })?;
    match scale {
        Scale::Factor(f) => Ok(value * f),
        Scale::Decimal(shift) => {
            let (mantissa, exponent) = match num.find(['e', 'E']) {
                Some(k) => (
                    &num[..k],
                    num[k + 1..].parse::<i64>().map_err(|_| not_a_time())?,
                ),
                None => (num, 0),
            };
            let exponent = exponent.saturating_add(i64::from(shift));
            format!("{mantissa}e{exponent}")
                .parse()
                .map_err(|_| not_a_time())
        }
    }
}

/// The unit a unit not accepted stands for, where it is one spelled out or
/// in other letters (`milliseconds`, `msec`, `MS`, `mins`); no guess from
/// likeness, as the units are a letter or two and every short word is like
/// one of them.
fn unit_meant(unit: &str) -> Option<&'static str> {
    let lower = unit.to_lowercase();
    let singular = lower.strip_suffix('s').filter(|n| n.len() >= 3);
    let name = singular.unwrap_or(&lower);
    let spelled = match name {
        "sec" | "second" => "s",
        "msec" | "millisecond" => "ms",
        "usec" | "µsec" | "μsec" | "microsecond" => "us",
        "nsec" | "nanosecond" => "ns",
        "minute" => "min",
        _ => {
            return UNITS
                .iter()
                .map(|(u, _)| *u)
                .find(|u| *u == lower || *u == name);
        }
    };
    Some(spelled)
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

/// A time a preset wrote as a bare number, read in seconds as SPEC 1 says,
/// where its key's times are milliseconds (`tau_m = 20`, its default 20
/// ms): said back as it is read, so that a 20 s membrane meant as 20 ms is
/// not run in silence.
#[derive(Debug, Clone, PartialEq)]
pub struct BareTime {
    pub key: String,
    /// The number as written.
    pub written: String,
    pub seconds: f64,
    /// Its line in the preset file (None where overrides rewrote the text).
    pub line: Option<usize>,
    /// Given by a `--set` rather than the file (the command line notes
    /// every bare time a `--set` gives on its own).
    pub by_set: bool,
}

impl BareTime {
    /// `note: ORIGIN:LINE: `key` = 20: read as 20 s, ...`.
    pub fn note(&self, origin: &str) -> String {
        let at = match self.line {
            Some(line) => format!("{origin}:{line}"),
            None => origin.to_string(),
        };
        format!(
            "note: {at}: `{}` = {}: read as {}, a time without a unit being in seconds; \
             write \"{} ms\" if milliseconds were meant",
            self.key,
            self.written,
            format_time(self.seconds),
            self.written
        )
    }

    /// The note in a line under the oscilloscope: `lif.tau_m = 20 is 20 s:
    /// a time without a unit is in seconds ("20 ms" for milliseconds)`.
    pub fn short_note(&self) -> String {
        format!(
            "{} = {} is {}: a time without a unit is in seconds (\"{} ms\" for milliseconds)",
            self.key,
            self.written,
            format_time(self.seconds),
            self.written
        )
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
    } else if !a.is_finite() {
        format!("{seconds} s")
    } else if !(1e-9..1e12).contains(&a) {
        // Below a nanosecond no unit reads better than the exponent: four
        // significant digits, trailing zeros dropped; so from a trillion
        // seconds on, which plain digits wrote out in full (`--duration
        // 1e300` was echoed in 301 digits).
        let text = format!("{seconds:.3e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
        format!("{mantissa}e{exponent} s")
    } else if a < 1e-6 {
        format!("{} ns", number(seconds * 1e9))
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
        // The units once each, as a terminal without UTF-8 shows them too
        // (`us (or µs)` read `us (or us)` there); µs is read all the same.
        let e = parse_time("20 parsecs").unwrap_err();
        assert!(
            e.ends_with("unknown unit \"parsecs\"; valid: a number with s, ms, us, ns or min"),
            "{e}"
        );
        assert_eq!(crate::text::for_locale(&e, false), e);
        // A unit spelled out or in other letters is named as it is written.
        for (text, meant) in [
            ("2 milliseconds", "2 ms"),
            ("2 msec", "2 ms"),
            ("2 MS", "2 ms"),
            ("1.5 Seconds", "1.5 s"),
            ("1 sec", "1 s"),
            ("500 microseconds", "500 us"),
            ("3 nanosecond", "3 ns"),
            ("2 minutes", "2 min"),
            ("2 mins", "2 min"),
        ] {
            let e = parse_time(text).unwrap_err();
            let want = format!(": write \"{meant}\"; valid:");
            assert!(e.contains(&want), "{text}: {e}");
        }
        assert!(!parse_time("2 hr").unwrap_err().contains("write"));
        assert!(parse_time("ms").is_err());
        assert!(parse_time("").is_err());
    }

    /// A decimal time with a unit is the f64 nearest to its value in
    /// seconds: "52 ms" is 0.052, not 52 x 1e-3 = 0.052000000000000005.
    #[test]
    fn decimal_times_are_read_exactly() {
        assert_eq!(parse_time("52 ms"), Ok(0.052));
        assert_eq!(parse_time("200 ms"), Ok(0.2));
        assert_eq!(parse_time("1.5e2 ms"), Ok(0.15));
        assert_eq!(parse_time("-3 us"), Ok(-3e-6));
        assert_eq!(parse_time("7 ns"), Ok(7e-9));
        assert_eq!(parse_time("1.5 min"), Ok(90.0));
        // Every whole number of ms, µs and ns up to 100,000 and every
        // thousandth: the f64 that the same decimal in seconds gives.
        for k in 0..100_000u32 {
            for (unit, exp) in [("ms", 3), ("us", 6), ("ns", 9)] {
                let want: f64 = format!("{k}e-{exp}").parse().unwrap();
                assert_eq!(parse_time(&format!("{k} {unit}")), Ok(want), "{k} {unit}");
            }
            let want: f64 = format!("{k}e-6").parse().unwrap();
            let text = format!("{}.{:03} ms", k / 1000, k % 1000);
            assert_eq!(parse_time(&text), Ok(want), "{text}");
        }
        // And they print back as written.
        assert_eq!(parse_time("52 ms").unwrap().to_string(), "0.052");
        let ryu = |x: f64| ryu::Buffer::new().format_finite(x).to_string();
        assert_eq!(ryu(parse_time("200 ms").unwrap()), "0.2");
    }

    #[test]
    fn formats_for_people() {
        assert_eq!(format_time(0.02), "20 ms");
        assert_eq!(format_time(25e-6), "25 µs");
        assert_eq!(format_time(1.5), "1.5 s");
        assert_eq!(format_time(2.5e-8), "25 ns");
        assert_eq!(format_time(3e-13), "3e-13 s");
        assert_eq!(format_time(9.37799999999966e-18), "9.378e-18 s");
        assert_eq!(format_time(1e300), "1e300 s");
        assert_eq!(format_time(-2.5e15), "-2.5e15 s");
        assert_eq!(format_time(999e9), "999000000000 s");
        assert_eq!(format_time(f64::NAN), "NaN s");
    }
}
