//! The six HH rate functions of SPEC section 4 (1/ms at 6.3 °C), the gates'
//! steady states and time constants, and the table of piecewise cubics the
//! integrator's inner loop reads them from.

use crate::model::elementary::{exp, powf};
use crate::model::math::exprel;

/// The six rate functions of SPEC section 4, in 1/ms at 6.3 °C.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rates {
    pub alpha_m: f64,
    pub beta_m: f64,
    pub alpha_h: f64,
    pub beta_h: f64,
    pub alpha_n: f64,
    pub beta_n: f64,
}

impl Rates {
    /// Evaluates all six rates at `v_mv`. alpha_m and alpha_n are written as
    /// `k / exprel(-(V - V0)/10)`, which removes their 0/0 at V = -40 and
    /// V = -55 mV (limits 1.0 and 0.1).
    #[inline]
    pub fn at(v_mv: f64) -> Self {
        Self {
            alpha_m: 1.0 / exprel(-(v_mv + 40.0) / 10.0),
            beta_m: 4.0 * exp(-(v_mv + 65.0) / 18.0),
            alpha_h: 0.07 * exp(-(v_mv + 65.0) / 20.0),
            beta_h: 1.0 / (1.0 + exp(-(v_mv + 35.0) / 10.0)),
            alpha_n: 0.1 / exprel(-(v_mv + 55.0) / 10.0),
            beta_n: 0.125 * exp(-(v_mv + 65.0) / 80.0),
        }
    }
}

/// The six rates tabulated as piecewise cubics, for the integrator's inner
/// loop: four exact samples per interval of `RATE_TABLE_STEP_MV` (Lagrange
/// interpolation, error O(h^4): below 1e-9 relative over the physiological
/// range, see the test), so a step evaluates polynomials instead of six
/// exponentials. Outside the table the rates are computed exactly.
pub struct RateTable {
    v_min: f64,
    inv_h: f64,
    /// Per interval and rate: c0 + u (c1 + u (c2 + u c3)), u in [0, 1).
    coef: Vec<[[f64; 4]; 6]>,
}

impl std::fmt::Debug for RateTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "RateTable({} intervals from {} mV)",
            self.coef.len(),
            self.v_min
        )
    }
}

/// Table range and step (mV).
pub const RATE_TABLE_RANGE_MV: (f64, f64) = (-200.0, 200.0);
pub const RATE_TABLE_STEP_MV: f64 = 0.125;

impl RateTable {
    fn build() -> Self {
        let (lo, hi) = RATE_TABLE_RANGE_MV;
        let h = RATE_TABLE_STEP_MV;
        let n = ((hi - lo) / h).round() as usize;
        // Each interval's ends are its neighbours' too: lo + k h is exact (h
        // is a power of two), so each end is evaluated once, a quarter of
        // the exponentials fewer.
        let ends: Vec<[f64; 6]> = (0..=n).map(|k| sample(lo + k as f64 * h)).collect();
        let coef = (0..n)
            .map(|k| {
                let v0 = lo + k as f64 * h;
                cubics([
                    ends[k],
                    sample(v0 + h / 3.0),
                    sample(v0 + h * 2.0 / 3.0),
                    ends[k + 1],
                ])
            })
            .collect();
        Self {
            v_min: lo,
            inv_h: 1.0 / h,
            coef,
        }
    }

    /// The shared table, built on first use.
    pub fn get() -> &'static RateTable {
        static TABLE: std::sync::OnceLock<RateTable> = std::sync::OnceLock::new();
        TABLE.get_or_init(RateTable::build)
    }

    /// The six rates at `v_mv`.
    #[inline(always)]
    pub fn at(&self, v_mv: f64) -> Rates {
        let x = (v_mv - self.v_min) * self.inv_h;
        // Truncation is floor for x >= 0 and needs no libm call; NaN and
        // anything outside the table take the exact path.
        if !(x >= 0.0 && x < self.coef.len() as f64) {
            return Rates::at(v_mv);
        }
        let k = x as usize;
        let u = x - k as f64;
        let c = &self.coef[k];
        let p = |r: usize| c[r][0] + u * (c[r][1] + u * (c[r][2] + u * c[r][3]));
        Rates {
            alpha_m: p(0),
            beta_m: p(1),
            alpha_h: p(2),
            beta_h: p(3),
            alpha_n: p(4),
            beta_n: p(5),
        }
    }
}

/// The six rates at `v_mv` in the table's order.
fn sample(v_mv: f64) -> [f64; 6] {
    let r = Rates::at(v_mv);
    [
        r.alpha_m, r.beta_m, r.alpha_h, r.beta_h, r.alpha_n, r.beta_n,
    ]
}

/// Each rate's cubic c0 + u (c1 + u (c2 + u c3)) through its samples `y` at
/// u = 0, 1/3, 2/3 and 1 (Lagrange).
fn cubics(y: [[f64; 6]; 4]) -> [[f64; 4]; 6] {
    std::array::from_fn(|r| {
        let (y0, y1, y2, y3) = (y[0][r], y[1][r], y[2][r], y[3][r]);
        let c1 = (-11.0 * y0 + 18.0 * y1 - 9.0 * y2 + 2.0 * y3) / 2.0;
        let c2 = 9.0 * (2.0 * y0 - 5.0 * y1 + 4.0 * y2 - y3) / 2.0;
        let c3 = 9.0 * (-y0 + 3.0 * y1 - 3.0 * y2 + y3) / 2.0;
        [y0, c1, c2, c3]
    })
}

/// One of the three gates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    M,
    H,
    N,
}

impl Gate {
    pub const ALL: [Gate; 3] = [Gate::M, Gate::H, Gate::N];

    pub fn name(self) -> &'static str {
        match self {
            Gate::M => "m",
            Gate::H => "h",
            Gate::N => "n",
        }
    }

    /// (alpha_x, beta_x) at `v_mv`, in 1/ms at 6.3 °C.
    pub fn alpha_beta(self, v_mv: f64) -> (f64, f64) {
        let r = Rates::at(v_mv);
        match self {
            Gate::M => (r.alpha_m, r.beta_m),
            Gate::H => (r.alpha_h, r.beta_h),
            Gate::N => (r.alpha_n, r.beta_n),
        }
    }

    /// Steady state x_inf(V) = alpha_x / (alpha_x + beta_x).
    pub fn x_inf(self, v_mv: f64) -> f64 {
        let (a, b) = self.alpha_beta(v_mv);
        a / (a + b)
    }

    /// Time constant tau_x(V) = 1 / (phi (alpha_x + beta_x)), in ms.
    pub fn tau_ms(self, v_mv: f64, temperature: f64) -> f64 {
        let (a, b) = self.alpha_beta(v_mv);
        1.0 / (phi(temperature) * (a + b))
    }
}

/// Temperature factor phi = 3^((T - 6.3)/10) (Q10 = 3).
pub fn phi(temperature: f64) -> f64 {
    powf(3.0, (temperature - 6.3) / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn singular_points_take_their_limits() {
        assert_eq!(Gate::M.alpha_beta(-40.0).0, 1.0);
        assert_eq!(Gate::N.alpha_beta(-55.0).0, 0.1);
        // Continuous across the singular point.
        let near = Gate::M.alpha_beta(-40.0 + 1e-9).0;
        assert!((near - 1.0).abs() < 1e-9);
    }

    /// Each interval's ends, evaluated once for it and its neighbour, are
    /// the values it would have evaluated for itself: the table is, bit for
    /// bit, the one with each interval's four samples its own.
    #[test]
    fn shared_ends_leave_each_interval_its_own_cubics() {
        let t = RateTable::get();
        let (lo, h) = (RATE_TABLE_RANGE_MV.0, RATE_TABLE_STEP_MV);
        for (k, c) in t.coef.iter().enumerate() {
            let v0 = lo + k as f64 * h;
            let own = cubics(std::array::from_fn(|j| sample(v0 + h * j as f64 / 3.0)));
            let bits = |c: &[[f64; 4]; 6]| c.map(|r| r.map(f64::to_bits));
            assert_eq!(bits(c), bits(&own), "interval {k} from {v0} mV");
        }
    }

    #[test]
    fn rate_table_matches_the_exact_rates() {
        let t = RateTable::get();
        let mut worst: f64 = 0.0;
        let mut v = -120.0;
        while v < 80.0 {
            let (a, b) = (t.at(v), Rates::at(v));
            for (x, y) in [
                (a.alpha_m, b.alpha_m),
                (a.beta_m, b.beta_m),
                (a.alpha_h, b.alpha_h),
                (a.beta_h, b.beta_h),
                (a.alpha_n, b.alpha_n),
                (a.beta_n, b.beta_n),
            ] {
                worst = worst.max((x - y).abs() / y.abs());
            }
            v += 0.0173;
        }
        assert!(worst < 1e-9, "worst relative error {worst}");
        // Outside the table: exact.
        assert_eq!(t.at(250.0), Rates::at(250.0));
    }
}
