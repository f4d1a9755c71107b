//! Numbers and words as the screen writes them: significant digits, times
//! in the unit that reads best, plurals. The lines they are set in:
//! lines.rs.

/// Plurals are the command line's too (text.rs).
use crate::model::elementary::{decade, pow10};
pub use crate::text::plural;

/// A number with 4 significant digits: 68.32, 0.05300, 1234, -65.00.
pub fn sig4(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{}", if x == 0.0 { 0.0 } else { x });
    }
    // Below the sixth decimal (rounding noise, as the CV of a train of
    // equal intervals, 1e-16) the number reads as 0, not 0.000000.
    if x.abs() < 5e-7 {
        return "0".to_string();
    }
    // Past 1e15 (no input the screen takes; an error's value, 1e300 as a
    // stimulus) the digits of a plain integer are no reading: 1.000e300.
    if x.abs() >= 1e15 {
        return format!("{x:.3e}");
    }
    // Below 0.001 the six decimals give fewer than four digits.
    fixed(x, decimals_for(x, 4, 6))
}

/// `sig4`, with as many more significant digits (up to 12) as tell `x`
/// apart from `mark` where four do not, and one more (unless it is a
/// trailing 0): a LIF input ramping through the threshold, 1.00005, read
/// `v_in 1.000: G 4.674 Hz` beside G(1) = 0; it reads 1.00005.
pub fn sig4_apart(x: f64, mark: f64) -> String {
    let four = sig4(x);
    if x == mark || !x.is_finite() || four.parse::<f64>() != Ok(mark) {
        return four;
    }
    let Some(n) = (5..=12).find(|&n| significant(x, n).parse::<f64>() != Ok(mark)) else {
        return four;
    };
    let more = significant(x, n + 1);
    if more.contains('.') && more.ends_with('0') {
        significant(x, n)
    } else {
        more
    }
}

/// `x` to `n` significant digits as a plain decimal (an integer keeps all
/// its digits): the achieved speed to two reads 0.10, 0.050, 12.
pub fn significant(x: f64, n: i32) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    fixed(x, decimals_for(x, n, 15))
}

/// The decimals that show `x` (finite, not 0) to `n` significant digits,
/// `most` at most. Rounding may carry into the next power of ten (0.99999
/// to four digits is 1.0000, 0.0996 to two 0.100): there the digits are
/// one decimal fewer (1.000, 0.10).
fn decimals_for(x: f64, n: i32, most: usize) -> usize {
    let magnitude = decade(x.abs());
    let digits = (n - 1 - magnitude).clamp(0, most as i32) as usize;
    let carried = n - 1 - magnitude == digits as i32
        && format!("{:.digits$}", x.abs())
            .parse::<f64>()
            .is_ok_and(|r| r >= pow10(magnitude + 1));
    if carried {
        digits.saturating_sub(1)
    } else {
        digits
    }
}

/// A number without trailing zeros (up to 4 significant digits): 0.05, 1, 0.1.
pub fn compact(x: f64) -> String {
    let s = sig4(x);
    // The mantissa's zeros, not the exponent's (1.000e300 is 1e300).
    let (mantissa, exponent) = s
        .split_once('e')
        .map_or((s.as_str(), None), |(m, e)| (m, Some(e)));
    let mantissa = if mantissa.contains('.') {
        mantissa.trim_end_matches('0').trim_end_matches('.')
    } else {
        mantissa
    };
    match exponent {
        Some(e) => format!("{mantissa}e{e}"),
        None => mantissa.to_string(),
    }
}

/// A number in at most `width` characters: `compact` if it fits, else
/// fewer significant digits (3, then 2) as a decimal, so a column of small
/// weights reads alike (`0.004302`, `-0.00283`), else scientific
/// (`-1.4e-3`).
pub fn fit_number(x: f64, width: usize) -> String {
    let c = compact(x);
    if c.chars().count() <= width {
        return c;
    }
    if x.is_finite() && x != 0.0 {
        let magnitude = decade(x.abs());
        for significant in [3, 2] {
            let decimals = (significant - 1 - magnitude).max(0) as usize;
            let s = fixed(x, decimals);
            let s = if s.contains('.') {
                s.trim_end_matches('0').trim_end_matches('.').to_string()
            } else {
                s
            };
            if s.chars().count() <= width {
                return s;
            }
        }
    }
    for digits in (1..=3).rev() {
        let s = format!("{x:.digits$e}");
        let s = match s.split_once('e') {
            Some((m, e)) if m.contains('.') => {
                format!("{}e{e}", m.trim_end_matches('0').trim_end_matches('.'))
            }
            _ => s,
        };
        if s.chars().count() <= width {
            return s;
        }
    }
    format!("{x:.0e}")
}

/// A fixed-point number without a negative zero.
pub fn fixed(x: f64, decimals: usize) -> String {
    let s = format!("{x:.decimals$}");
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s
    }
}

/// A simulated time to the resolution that matters at its size: ms with two
/// decimals below 1 s, s with four decimals (0.1 ms) up to 1000 s, then s
/// with one decimal. `229833.45 ms` reads as `229.8335 s`.
pub fn sim_time(t_s: f64) -> String {
    if t_s.abs() < 1.0 {
        format!("{} ms", fixed(t_s * 1e3, 2))
    } else if t_s.abs() < 1000.0 {
        format!("{} s", fixed(t_s, 4))
    } else {
        format!("{} s", fixed(t_s, 1))
    }
}

/// A time as a point: `200 ms`, `6.03 ms`, `1.2 s`, `10 s` (ms below 1 s
/// with up to two decimals, s with up to four; trailing zeros dropped).
pub fn time_point(t_s: f64) -> String {
    time_point_on(t_s, 0.0)
}

/// A time on a grid of `step_s` as a point: as `time_point`, with the
/// decimals the grid needs besides (a sample at 1.23455 s on a 50 µs grid
/// reads `1.23455 s`, not `1.2346 s`; at 37.325 ms on 25 µs, `37.325 ms`).
pub fn time_point_on(t_s: f64, step_s: f64) -> String {
    let trim = |s: String| {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    };
    // The decimals that write the step exactly (up to 9: nanoseconds).
    let decimals_of = |step: f64| {
        (0..=9)
            .find(|&d| {
                let scaled = step * pow10(d);
                (scaled - scaled.round()).abs() < 1e-6
            })
            .unwrap_or(9) as usize
    };
    if t_s.abs() < 1.0 {
        let decimals = decimals_of(step_s * 1e3).max(2);
        format!("{} ms", trim(fixed(t_s * 1e3, decimals)))
    } else {
        format!("{} s", trim(fixed(t_s, decimals_of(step_s).max(4))))
    }
}

/// A duration shortly: `50 ms`, `1.5 s`, `250 µs` (at most 4 significant
/// digits, no trailing zeros).
pub fn duration(t_s: f64) -> String {
    crate::preset::time::in_time_unit(t_s, compact)
}

/// An ordinal number in English: 2nd, 3rd, 4th, 11th, 12th, 13th, 21st.
pub fn ordinal(n: u64) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals_read_as_english_writes_them() {
        let read: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 112]
            .into_iter()
            .map(ordinal)
            .collect();
        assert_eq!(
            read,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd",
                "101st", "111th", "112th"
            ]
        );
    }

    proptest::proptest! {
        /// From 0.001 to 9999 a number shows four significant digits, never
        /// five (a rounding that carries, 0.99999, had read 1.0000), and
        /// reads back within half its last digit.
        #[test]
        fn sig4_shows_four_significant_digits(
            // Half the cases where the fourth digit rounds up into a carry.
            mantissa in proptest::prop_oneof![1.0f64..10.0, 9.9995f64..10.0],
            exponent in -3i32..4,
            negative in proptest::bool::ANY,
        ) {
            let x = if negative { -1.0 } else { 1.0 } * mantissa * pow10(exponent);
            let shown = sig4(x);
            let digits: String = shown
                .chars()
                .filter(char::is_ascii_digit)
                .skip_while(|&c| c == '0')
                .collect();
            let read: f64 = shown.parse().unwrap();
            // The place of the fourth digit of what is shown.
            let last = pow10(decade(read.abs()) - 3);
            proptest::prop_assert!(
                digits.len() == 4 || shown.ends_with("10000"),
                "{x} as {shown}"
            );
            proptest::prop_assert!(
                (read - x).abs() <= 0.5 * last * (1.0 + 1e-9),
                "{x} as {shown}"
            );
        }
    }

    #[test]
    fn numbers_and_times() {
        assert_eq!(sig4(68.3214), "68.32");
        assert_eq!(sig4(-65.0), "-65.00");
        assert_eq!(sig4(0.0529), "0.05290");
        assert_eq!(sig4(1.2e-6), "0.000001");
        assert_eq!(sig4(-1.1e-16), "0");
        // A rounding that carries keeps four digits, not five.
        assert_eq!(sig4(0.99999), "1.000");
        assert_eq!(sig4(-99.996), "-100.0");
        assert_eq!(sig4(9.99996e-5), "0.000100");
        assert_eq!(sig4(0.99994), "0.9999");
        // Past 1e15 in exponent form, not 301 digits.
        assert_eq!(sig4(1e300), "1.000e300");
        assert_eq!(compact(-2.5e20), "-2.5e20");
        assert_eq!(compact(1e300), "1e300");
        assert_eq!(sig4(123456789.0), "123456789");
        // Two digits, as the achieved speed: the carry again.
        assert_eq!(significant(0.0996, 2), "0.10");
        assert_eq!(significant(0.05, 2), "0.050");
        assert_eq!(significant(0.2449, 2), "0.24");
        assert_eq!(significant(9.96, 2), "10");
        assert_eq!(significant(12.3, 2), "12");
        assert_eq!(significant(996.0, 2), "996");
        assert_eq!(compact(0.05), "0.05");
        assert_eq!(fit_number(-0.001388, 8), "-0.00139");
        assert_eq!(fit_number(-0.0028341, 8), "-0.00283");
        assert_eq!(fit_number(-0.0000123456, 8), "-1.23e-5");
        assert_eq!(fit_number(123456789.0, 8), "1.235e8");
        assert_eq!(fit_number(0.004464, 8), "0.004464");
        assert_eq!(fixed(-0.0001, 2), "0.00");
        assert_eq!(sim_time(0.15230), "152.30 ms");
        assert_eq!(time_point_on(1.23455, 50e-6), "1.23455 s");
        assert_eq!(time_point(1.23455), "1.2346 s");
        assert_eq!(time_point_on(0.037325, 25e-6), "37.325 ms");
        assert_eq!(time_point_on(0.0373, 50e-6), "37.3 ms");
        assert_eq!(time_point_on(2.5, 100e-6), "2.5 s");
        assert_eq!(sim_time(229.83346), "229.8335 s");
        assert_eq!(sim_time(3600.0), "3600.0 s");
        assert_eq!(duration(0.00025), "250 µs");
        assert_eq!(duration(1.5), "1.5 s");
        assert_eq!(plural(1, "spike", "spikes"), "1 spike");
        assert_eq!(plural(0, "sweep", "sweeps"), "0 sweeps");
    }

    #[test]
    fn a_number_beside_a_mark_shows_the_digits_that_part_them() {
        assert_eq!(sig4_apart(1.00005, 1.0), "1.00005");
        assert_eq!(sig4_apart(1.0000512, 1.0), "1.00005");
        assert_eq!(sig4_apart(1.000004, 1.0), "1.000004");
        assert_eq!(sig4_apart(0.99999999, 1.0), "0.99999999");
        assert_eq!(sig4_apart(1.0, 1.0), "1.000");
        assert_eq!(sig4_apart(1.5, 1.0), "1.500");
        // Beyond twelve digits the two read alike: four, as sig4.
        assert_eq!(sig4_apart(1.0 + 1e-15, 1.0), "1.000");
    }
}
