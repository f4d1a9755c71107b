//! Numerics the models share: the functions of exponential integrators,
//! Poisson terms, and one safeguarded Newton search that locates every
//! threshold crossing (network neurons, their peaks, the HH spike inside a
//! step).

use crate::model::elementary::{decade, exp, exp_m1, pow10};

/// `(e^x - 1) / x`, continuous at 0 where it is 1. `exp_m1` keeps full
/// precision for small |x|, so only x = 0 itself needs the limit.
#[inline]
pub fn exprel(x: f64) -> f64 {
    if x == 0.0 { 1.0 } else { exp_m1(x) / x }
}

/// φ_1(z) = (e^z - 1)/z. Between a network's events z = Δ/tau_s - Δ/tau_m is
/// small (Δ <= dt), where the Taylor series to z^6 is exact to rounding (the
/// first omitted term, z^7/8!, is below 2^-53 for |z| <= 0.02) and costs a
/// few multiply-adds instead of a call of expm1.
#[inline]
pub fn phi1(z: f64) -> f64 {
    if z.abs() <= 0.02 {
        1.0 + z
            * (1.0 / 2.0
                + z * (1.0 / 6.0
                    + z * (1.0 / 24.0 + z * (1.0 / 120.0 + z * (1.0 / 720.0 + z / 5040.0)))))
    } else {
        exprel(z)
    }
}

/// φ_k(z) = Σ_{i>=0} z^i / (i + k)!, k = 0..count, the functions of
/// exponential integrators: φ_0 = e^z and φ_{k+1}(z) = (φ_k(z) - 1/k!) / z.
/// For |z| <= 1 the highest is summed as a series and the others follow by
/// the backward recursion φ_k = z φ_{k+1} + 1/k!, which only damps rounding
/// errors (|z| <= 1); beyond, the forward recursion from e^z (whose error
/// growth is then bounded by k!/|z|^k, small for the few orders used there).
pub fn phi_functions(z: f64, count: usize, out: &mut [f64]) {
    assert!((1..=64).contains(&count) && out.len() >= count);
    if z.abs() <= 1.0 {
        let top = count - 1;
        // 1/k! for k = 0..=top, by a running product.
        let mut inv_fact = [0.0; 64];
        inv_fact[0] = 1.0;
        for k in 1..=top {
            inv_fact[k] = inv_fact[k - 1] / k as f64;
        }
        // Σ z^i/(i+top)!: the first omitted term of 40 is below 1/40! ≈ 1e-48.
        let mut term = inv_fact[top];
        let mut sum = term;
        for i in 1..40 {
            term *= z / (i + top) as f64;
            sum += term;
            if term.abs() <= 1e-17 * sum.abs() {
                break;
            }
        }
        out[top] = sum;
        for k in (0..top).rev() {
            out[k] = z * out[k + 1] + inv_fact[k];
        }
    } else {
        let mut prev = exp(z);
        let mut inv_fact = 1.0;
        for (k, o) in out.iter_mut().enumerate().take(count) {
            if k > 0 {
                prev = (prev - inv_fact) / z;
                inv_fact /= k as f64;
            }
            *o = prev;
        }
    }
}

/// e^-x x^k / k!, computed as a running product so it stays finite for any k.
pub fn poisson_term(k: usize, x: f64) -> f64 {
    let mut term = exp(-x);
    for j in 1..=k {
        term *= x / j as f64;
    }
    term
}

pub fn factorial(n: usize) -> f64 {
    (1..=n).map(|k| k as f64).product()
}

/// The largest of 1, 2, 2.5 or 5 times a power of ten that is <= `x`, so that
/// steps chosen for the user are round numbers.
pub fn nice_step_below(x: f64) -> f64 {
    let p = pow10(decade(x));
    for m in [5.0, 2.5, 2.0, 1.0] {
        if m * p <= x * (1.0 + 1e-12) {
            return m * p;
        }
    }
    p
}

/// What a root search reads at a point: the function, its slope and (for
/// `Stop::ErrorBound`) its curvature.
#[derive(Debug, Clone, Copy)]
pub struct Point {
    pub f: f64,
    pub slope: f64,
    pub curvature: f64,
}

impl Point {
    pub fn new(f: f64, slope: f64) -> Self {
        Self {
            f,
            slope,
            curvature: 0.0,
        }
    }
}

/// When a root search ends.
#[derive(Debug, Clone, Copy)]
pub enum Stop {
    /// Two successive points within `abs + rel |x|`, or the bracket no
    /// wider than `bracket` (negative: never): the newest point.
    Steps { abs: f64, rel: f64, bracket: f64 },
    /// A Newton step whose own error bound, |f''| h² / (2 f'), is at most
    /// `tol` (given as 2 `tol` f' >= |f''| h²); a bisection once the bracket
    /// is no wider than `bracket`; a point where f is 0.
    ErrorBound { tol: f64, bracket: f64 },
    /// Bisection only, this many halvings: the middle of the bracket.
    Halvings(usize),
}

/// The root in [lo, hi] of a function increasing through it (f(lo) < 0 <=
/// f(hi)), from `start`: safeguarded Newton, each point narrowing the
/// bracket by the sign of f, a Newton step where the slope is positive and
/// the step stays inside the bracket, else the bracket's middle, so that it
/// always converges to the crossing. A function falling through its root is
/// searched as -f. At most `iterations` evaluations; the last point then.
/// Inlined, so that each caller's stopping rule is a constant.
#[inline]
pub fn safeguarded_newton(
    mut eval: impl FnMut(f64) -> Point,
    (lo, hi): (f64, f64),
    start: f64,
    stop: Stop,
    iterations: usize,
) -> f64 {
    let (mut a, mut b) = (lo, hi);
    let mut x = start;
    for _ in 0..iterations {
        let p = eval(x);
        if let Stop::ErrorBound { .. } = stop
            && p.f == 0.0
        {
            return x;
        }
        if p.f < 0.0 {
            a = x;
        } else {
            b = x;
        }
        if let Stop::Halvings(_) = stop {
            x = 0.5 * (a + b);
            continue;
        }
        let newton = x - p.f / p.slope;
        let inside = p.slope > 0.0 && newton > a && newton < b;
        match stop {
            Stop::Steps { abs, rel, bracket } => {
                let next = if inside { newton } else { 0.5 * (a + b) };
                if (next - x).abs() <= abs + rel * x.abs() || b - a <= bracket {
                    return next;
                }
                x = next;
            }
            Stop::ErrorBound { tol, bracket } => {
                if inside {
                    let h = newton - x;
                    if p.curvature.abs() * h * h <= tol * p.slope {
                        return newton;
                    }
                    x = newton;
                } else {
                    x = 0.5 * (a + b);
                    if b - a <= bracket {
                        return x;
                    }
                }
            }
            Stop::Halvings(_) => unreachable!("handled above"),
        }
    }
    x
}

/// The cubic Hermite interpolant through (0, y0) and (1, y1) with end
/// slopes d0, d1 (per unit of the interval): V over an HH step from its
/// values and derivatives at both ends. Its value and slope at u.
#[derive(Debug, Clone, Copy)]
struct Hermite {
    y0: f64,
    d0: f64,
    y1: f64,
    d1: f64,
}

impl Hermite {
    /// H(u) = a u³ + b u² + d0 u + y0.
    fn coefficients(&self) -> (f64, f64) {
        let (y0, d0, y1, d1) = (self.y0, self.d0, self.y1, self.d1);
        (
            2.0 * y0 + d0 - 2.0 * y1 + d1,
            -3.0 * y0 - 2.0 * d0 + 3.0 * y1 - d1,
        )
    }

    fn at(&self, u: f64) -> Point {
        let (a, b) = self.coefficients();
        let f = ((a * u + b) * u + self.d0) * u + self.y0;
        let df = (3.0 * a * u + 2.0 * b) * u + self.d0;
        Point::new(f, df)
    }

    /// The first u in [0, hi] where H reaches 0, given H(0) < 0 <= H(hi).
    fn root_before(&self, hi: f64) -> f64 {
        let stop = Stop::Steps {
            abs: 1e-15,
            rel: 0.0,
            bracket: -1.0,
        };
        let start = hi * self.y0 / (self.y0 - self.at(hi).f);
        safeguarded_newton(|u| self.at(u), (0.0, hi), start, stop, 60)
    }
}

/// The root in [0, 1] of the cubic Hermite interpolant through (0, y0) and
/// (1, y1) with end slopes d0, d1 (per unit of the interval), given
/// y0 < 0 <= y1: where V crosses the threshold inside an HH step.
pub fn hermite_root(y0: f64, d0: f64, y1: f64, d1: f64) -> f64 {
    Hermite { y0, d0, y1, d1 }.root_before(1.0)
}

/// With both ends below 0 (y0, y1 < 0): where the interpolant rises through
/// 0 before an interior maximum that reaches it, if one does. A peak that
/// rises and falls back within one step is a crossing the two ends alone
/// do not show.
pub fn hermite_interior_crossing(y0: f64, d0: f64, y1: f64, d1: f64) -> Option<f64> {
    // H = h00 y0 + h01 y1 + h10 d0 + h11 d1 with h00 + h01 = 1, both >= 0,
    // 0 <= h10 <= 4/27 and -4/27 <= h11 <= 0: a bound that rules out most
    // steps before any root is sought.
    let bound = y0.max(y1) + 4.0 / 27.0 * (d0.max(0.0) + (-d1).max(0.0));
    if bound < 0.0 {
        return None;
    }
    let h = Hermite { y0, d0, y1, d1 };
    let (a, b) = h.coefficients();
    // H'(u) = 3a u² + 2b u + d0 = 0; a maximum where H'' = 6a u + 2b < 0.
    let (qa, qb, qc) = (3.0 * a, 2.0 * b, d0);
    let mut critical = [f64::NAN; 2];
    if qa == 0.0 {
        if qb != 0.0 {
            critical[0] = -qc / qb;
        }
    } else {
        let disc = qb * qb - 4.0 * qa * qc;
        if disc >= 0.0 {
            // The stable pair of roots: no cancellation in either.
            let q = -0.5 * (qb + qb.signum() * disc.sqrt());
            critical = [q / qa, if q != 0.0 { qc / q } else { f64::NAN }];
        }
    }
    critical
        .into_iter()
        .filter(|&u| u > 0.0 && u < 1.0 && 6.0 * a * u + 2.0 * b < 0.0)
        .filter(|&u| h.at(u).f >= 0.0)
        .reduce(f64::min)
        .map(|peak| h.root_before(peak))
}

// The platform's elementary functions, an independent computation to check
// against.
#[cfg(test)]
#[allow(clippy::disallowed_methods)]
mod tests {
    use super::*;

    #[test]
    fn nice_steps() {
        assert_eq!(nice_step_below(0.025), 0.025);
        assert_eq!(nice_step_below(0.051), 0.05);
        assert_eq!(nice_step_below(0.024), 0.02);
        assert_eq!(nice_step_below(0.009), 0.005);
        assert_eq!(nice_step_below(5e-5), 5e-5);
    }

    /// A parabola-like hump: both ends at -1, rising with slope 8 and
    /// falling with slope -8, peaks at u = 1/2 at +1; it crosses 0 where
    /// the cubic says (here symmetric: H(u) = -1 + 8u - 8u², u = (2 - √2)/4).
    /// A hump that stays below gives nothing, and a monotone step nothing.
    #[test]
    fn a_peak_inside_the_interval_is_found() {
        let u = hermite_interior_crossing(-1.0, 8.0, -1.0, -8.0).expect("a crossing");
        assert!((u - (2.0 - 2f64.sqrt()) / 4.0).abs() < 1e-15, "{u}");
        assert_eq!(hermite_interior_crossing(-1.0, 2.0, -1.0, -2.0), None);
        assert_eq!(hermite_interior_crossing(-2.0, 1.0, -1.0, 1.0), None);
        // A peak just reaching 0 still counts; one just below does not.
        assert!(hermite_interior_crossing(-1.0, 4.0, -1.0, -4.0).is_some());
        assert_eq!(hermite_interior_crossing(-1.0, 3.999, -1.0, -3.999), None);
    }

    #[test]
    fn phi_series_and_recursion_agree_near_one() {
        let mut a = [0.0; 5];
        let mut b = [0.0; 5];
        phi_functions(0.999_999, 5, &mut a);
        phi_functions(1.000_001, 5, &mut b);
        for k in 0..5 {
            assert!(
                (a[k] - b[k]).abs() < 1e-5 * a[k],
                "k={k}: {} {}",
                a[k],
                b[k]
            );
        }
        // φ_1(z) = (e^z - 1)/z exactly.
        let z: f64 = -0.3;
        phi_functions(z, 2, &mut a);
        assert!((a[1] - z.exp_m1() / z).abs() < 4e-16);
        assert!((a[0] - z.exp()).abs() < 4e-16);
    }

    #[test]
    fn phi1_series_agrees_with_expm1() {
        for k in -2000..=2000 {
            let z = k as f64 * 1e-5 + 3.7e-9;
            let exact = exprel(z);
            assert!((phi1(z) - exact).abs() <= 2.5e-16 * exact, "z = {z}");
        }
        assert_eq!(phi1(0.0), 1.0);
    }

    #[test]
    fn hermite_root_of_a_line_is_exact() {
        let u = hermite_root(-1.0, 3.0, 2.0, 3.0);
        assert!((u - 1.0 / 3.0).abs() < 1e-15);
    }

    /// Each stopping rule finds the root of a cubic with no Newton step
    /// leaving the bracket: e^x - 2 on [0, 1], root ln 2.
    #[test]
    fn every_stopping_rule_finds_the_root() {
        let f = |x: f64| Point {
            f: x.exp() - 2.0,
            slope: x.exp(),
            curvature: x.exp(),
        };
        for stop in [
            Stop::Steps {
                abs: 1e-16,
                rel: 1e-14,
                bracket: 1e-15,
            },
            Stop::ErrorBound {
                tol: 2e-12,
                bracket: 1e-15,
            },
            Stop::Halvings(60),
        ] {
            let x = safeguarded_newton(f, (0.0, 1.0), 0.5, stop, 100);
            assert!((x - 2f64.ln()).abs() < 1e-12, "{stop:?}: {x}");
        }
    }
}
