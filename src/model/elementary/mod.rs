//! The elementary functions the models compute with (e^x, logarithms,
//! powers, tanh, sine, arctangent), the same to the last bit on every
//! machine. `f64::exp` and its kin call the platform's C library, whose
//! bits differ between machines: glibc picks code written for FMA where the
//! CPU has it (0.07% of `exp`'s values as the models use them differ by one
//! ulp, 0.18% of `expm1`'s), and other systems have other libraries. One ulp
//! is nothing to a spike time, but a chaotic network (the benchmark network)
//! grows it tenfold every quarter of a second, so a run or a replayed
//! journal on another machine would part from the first after a few seconds.
//! Here each function is plain Rust on IEEE operations, which every machine
//! rounds alike (Rust never fuses a multiply and an add unless asked):
//! `exp`, on every network crossing and every spike's delivery, and `ln`,
//! on every synapse a random network draws (four at a time on AVX2,
//! `ln_each`), are ARM's (exp.rs, log.rs, log_each.rs), as fast as
//! glibc's; the rest, off the hot paths, are the `libm` crate's.
//! `clippy.toml` keeps the platform's out of the crate's code.

mod exp;
mod log;
mod log_each;

pub use exp::exp;
pub use log::ln;
pub use log_each::ln_each;

/// e^x - 1, accurate where x is near 0 (`libm::expm1`).
#[inline]
pub fn exp_m1(x: f64) -> f64 {
    libm::expm1(x)
}

/// ln(1 + x), accurate where x is near 0 (`libm::log1p`).
#[inline]
pub fn ln_1p(x: f64) -> f64 {
    libm::log1p(x)
}

/// The base-10 logarithm (`libm::log10`).
#[inline]
pub fn log10(x: f64) -> f64 {
    libm::log10(x)
}

/// x^y (`libm::pow`).
#[inline]
pub fn powf(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}

/// The hyperbolic tangent (`libm::tanh`).
#[inline]
pub fn tanh(x: f64) -> f64 {
    libm::tanh(x)
}

/// The sine, x in radians (`libm::sin`).
#[inline]
pub fn sin(x: f64) -> f64 {
    libm::sin(x)
}

/// The arctangent, in radians (`libm::atan`).
#[inline]
pub fn atan(x: f64) -> f64 {
    libm::atan(x)
}

/// 10^k, exact where it is a double and correctly rounded for |k| <= 22:
/// `powi`'s products of exact powers of ten (and one division for k < 0),
/// where `powf(10, k)` from `libm` may miss by an ulp (10^-5 read
/// 4.9999999999999996e-5). Beyond, `powf` (10^-321 is subnormal, where
/// `powi`'s 1 / 10^321 would be 1 / inf).
#[inline]
pub fn pow10(k: i32) -> f64 {
    if (-22..=22).contains(&k) {
        10f64.powi(k)
    } else {
        powf(10.0, f64::from(k))
    }
}

/// The decade of x > 0: the k with 10^k <= x < 10^(k+1), as `pow10` gives
/// them (`log10` may land an ulp the wrong side of a whole number: 0.001
/// must be in decade -3). Not finite or not positive: `log10`'s floor, as
/// an integer (0 for NaN, the extremes for the infinities).
pub fn decade(x: f64) -> i32 {
    let k = log10(x).floor() as i32;
    if !x.is_finite() || x <= 0.0 || !(-300..=300).contains(&k) {
        return k;
    }
    if pow10(k) > x {
        k - 1
    } else if pow10(k + 1) <= x {
        k + 1
    } else {
        k
    }
}

/// Checks `ours` against the platform's function at `args`: within one ulp
/// at every one (NaN where it gives NaN), and equal at all but 1 in 200.
#[cfg(test)]
fn within_one_ulp(
    name: &str,
    ours: fn(f64) -> f64,
    theirs: fn(f64) -> f64,
    args: impl Iterator<Item = f64>,
) {
    let (mut n, mut differ) = (0, 0);
    for x in args {
        let (a, b) = (ours(x), theirs(x));
        n += 1;
        if a.is_nan() && b.is_nan() {
            continue;
        }
        let ulps = (a.to_bits() as i64 - b.to_bits() as i64).abs();
        assert!(ulps <= 1, "{name}({x:?}): {a:e} against {b:e}");
        differ += usize::from(ulps != 0);
    }
    assert!(differ < n / 200, "{name}: {differ} of {n} differ");
}

#[cfg(test)]
mod tests {
    use super::{decade, pow10};

    #[test]
    fn powers_of_ten_are_the_literals() {
        for (k, literal) in [
            (-5, 1e-5),
            (-3, 1e-3),
            (-1, 0.1),
            (0, 1.0),
            (3, 1e3),
            (22, 1e22),
        ] {
            assert_eq!(pow10(k), literal, "10^{k}");
        }
        // Past the exact ones, within rounding, into the subnormals.
        for (k, literal) in [(-300, 1e-300), (-23, 1e-23), (23, 1e23), (308, 1e308)] {
            assert!((pow10(k) - literal).abs() <= 2.3e-16 * literal, "10^{k}");
        }
        assert!((pow10(-321) - 1e-321).abs() <= 5e-324);
        assert_eq!(pow10(309), f64::INFINITY);
    }

    #[test]
    fn decades() {
        let cases = [
            (0.001, -3),
            (0.00099999, -4),
            (5e-5, -5),
            (1e-5, -5),
            (0.025, -2),
            (1.0, 0),
            (9.999999999999998, 0),
            (10.0, 1),
            (1e22, 22),
            (123456.0, 5),
        ];
        for (x, k) in cases {
            assert_eq!(decade(x), k, "decade({x:e})");
        }
        // Every power of ten a double holds exactly, and its neighbours.
        for k in -22..=22 {
            let p = pow10(k);
            assert_eq!(decade(p), k);
            assert_eq!(decade(f64::from_bits(p.to_bits() - 1)), k - 1);
            assert_eq!(decade(f64::from_bits(p.to_bits() + 1)), k);
        }
        assert_eq!(decade(f64::NAN), 0);
        assert_eq!(decade(0.0), i32::MIN);
        assert_eq!(decade(f64::INFINITY), i32::MAX);
    }
}
