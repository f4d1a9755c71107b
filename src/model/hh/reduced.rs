//! The two-variable reduction of the HH model that its (V, n) phase plane
//! draws (Izhikevich 2007, "Dynamical Systems in Neuroscience", section
//! 5.2.1, after Krinsky & Kokoz 1973 and Rinzel 1985): m is fast, so it sits
//! at m_inf(V); along the trajectory h and n are nearly linearly related,
//! h = 0.89 - 1.1 n. What is left:
//!
//! ```text
//! C dV/dt = J - g_Na m_inf(V)^3 (0.89 - 1.1 n) (V - E_Na) - g_K n^4 (V - E_K) - g_L (V - E_L)
//! dn/dt   = phi (alpha_n(V) (1 - n) - beta_n(V) n)
//! ```
//!
//! Its nullclines, fixed points and their stability are the reduced
//! system's; the full model's trajectory is drawn over them (its rest loses
//! stability near, not at, the same input).

use super::{Gate, HhParams, phi};

/// h as the reduction takes it from n (clamped to a gate's range).
pub fn h_of_n(n: f64) -> f64 {
    (0.89 - 1.1 * n).clamp(0.0, 1.0)
}

/// What a fixed point does to trajectories near it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stability {
    StableNode,
    StableFocus,
    UnstableNode,
    UnstableFocus,
    Saddle,
}

impl Stability {
    pub fn name(self) -> &'static str {
        match self {
            Stability::StableNode => "stable node",
            Stability::StableFocus => "stable focus",
            Stability::UnstableNode => "unstable node",
            Stability::UnstableFocus => "unstable focus",
            Stability::Saddle => "saddle",
        }
    }

    pub fn is_stable(self) -> bool {
        matches!(self, Stability::StableNode | Stability::StableFocus)
    }
}

/// A fixed point of the reduced system, (V mV, n).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FixedPoint {
    pub v_mv: f64,
    pub n: f64,
    pub stability: Stability,
}

/// The reduced system at input `j_in` (µA/cm²).
pub struct Reduced<'a> {
    pub params: &'a HhParams,
    pub j_in: f64,
}

impl Reduced<'_> {
    /// dV/dt (mV/ms).
    pub fn dv_dt(&self, v: f64, n: f64) -> f64 {
        let p = self.params;
        let m = Gate::M.x_inf(v);
        let i_na = p.g_na * m * m * m * h_of_n(n) * (v - p.e_na);
        let i_k = p.g_k * n * n * n * n * (v - p.e_k);
        let i_l = p.g_l * (v - p.e_l);
        (self.j_in - i_na - i_k - i_l) / p.c_m
    }

    /// dn/dt (1/ms).
    pub fn dn_dt(&self, v: f64, n: f64) -> f64 {
        let (a, b) = Gate::N.alpha_beta(v);
        phi(self.params.temperature) * (a * (1.0 - n) - b * n)
    }

    /// The V-nullcline at `v`: the n in [0, 1] where dV/dt = 0. Between E_K
    /// and E_Na dV/dt falls as n rises, so there is at most one; None where
    /// there is none in [0, 1].
    pub fn v_nullcline(&self, v: f64) -> Option<f64> {
        let f = |n| self.dv_dt(v, n);
        let (mut lo, mut hi) = (0.0, 1.0);
        let (f_lo, f_hi) = (f(lo), f(hi));
        if f_lo.signum() == f_hi.signum() {
            return None;
        }
        for _ in 0..60 {
            let mid = 0.5 * (lo + hi);
            if f(mid).signum() == f_lo.signum() {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        Some(0.5 * (lo + hi))
    }

    /// The n-nullcline: n = n_inf(V).
    pub fn n_nullcline(&self, v: f64) -> f64 {
        Gate::N.x_inf(v)
    }

    /// The fixed points with V in [lo, hi] mV (where the nullclines cross),
    /// each classified by the eigenvalues of the Jacobian there.
    pub fn fixed_points(&self, lo: f64, hi: f64) -> Vec<FixedPoint> {
        let gap = |v: f64| self.v_nullcline(v).map(|n| n - self.n_nullcline(v));
        // Fine enough to part two fixed points half a millivolt apart (only
        // near a saddle-node are they closer), coarse enough for every frame.
        let step = 0.5;
        let count = ((hi - lo) / step).ceil() as usize;
        let mut points = Vec::new();
        let mut prev: Option<(f64, f64)> = None;
        for k in 0..=count {
            let v = lo + k as f64 * step;
            let Some(g) = gap(v) else {
                prev = None;
                continue;
            };
            if let Some((v0, g0)) = prev
                && g0.signum() != g.signum()
            {
                let (mut a, mut b) = (v0, v);
                for _ in 0..60 {
                    let mid = 0.5 * (a + b);
                    match gap(mid) {
                        Some(gm) if gm.signum() == g0.signum() => a = mid,
                        Some(_) => b = mid,
                        None => break,
                    }
                }
                let v = 0.5 * (a + b);
                let n = self.n_nullcline(v);
                points.push(FixedPoint {
                    v_mv: v,
                    n,
                    stability: self.stability_at(v, n),
                });
            }
            prev = Some((v, g));
        }
        points
    }

    /// The Jacobian's eigenvalues at (v, n), by central differences: trace
    /// and determinant say node, focus or saddle, stable or not.
    fn stability_at(&self, v: f64, n: f64) -> Stability {
        let (dv, dn) = (1e-5, 1e-7);
        let fv = (self.dv_dt(v + dv, n) - self.dv_dt(v - dv, n)) / (2.0 * dv);
        let fn_ = (self.dv_dt(v, n + dn) - self.dv_dt(v, n - dn)) / (2.0 * dn);
        let gv = (self.dn_dt(v + dv, n) - self.dn_dt(v - dv, n)) / (2.0 * dv);
        let gn = (self.dn_dt(v, n + dn) - self.dn_dt(v, n - dn)) / (2.0 * dn);
        let (trace, det) = (fv + gn, fv * gn - fn_ * gv);
        if det < 0.0 {
            return Stability::Saddle;
        }
        let focus = trace * trace < 4.0 * det;
        match (trace < 0.0, focus) {
            (true, true) => Stability::StableFocus,
            (true, false) => Stability::StableNode,
            (false, true) => Stability::UnstableFocus,
            (false, false) => Stability::UnstableNode,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn squid() -> HhParams {
        super::super::HhParams::default()
    }

    /// At rest the reduced system has one stable point near the full
    /// model's rest (-65 mV; the reduction's h differs from h_inf there by
    /// 0.06, so a few mV off); both derivatives vanish on it.
    #[test]
    fn one_stable_rest_without_input() {
        let p = squid();
        let r = Reduced {
            params: &p,
            j_in: 0.0,
        };
        let fps = r.fixed_points(-100.0, 60.0);
        assert_eq!(fps.len(), 1, "{fps:?}");
        let fp = fps[0];
        assert!(fp.stability.is_stable(), "{fp:?}");
        assert!((fp.v_mv + 65.0).abs() < 5.0, "{fp:?}");
        assert!(r.dv_dt(fp.v_mv, fp.n).abs() < 1e-6);
        assert!(r.dn_dt(fp.v_mv, fp.n).abs() < 1e-9);
    }

    /// A strong input leaves one fixed point, unstable: trajectories wind
    /// out to the limit cycle (the model fires).
    #[test]
    fn a_strong_input_makes_the_rest_unstable() {
        let p = squid();
        let r = Reduced {
            params: &p,
            j_in: 40.0,
        };
        let fps = r.fixed_points(-100.0, 60.0);
        assert_eq!(fps.len(), 1, "{fps:?}");
        assert!(!fps[0].stability.is_stable(), "{fps:?}");
    }

    /// The V-nullcline is where dV/dt = 0.
    #[test]
    fn the_v_nullcline_zeroes_dv_dt() {
        let p = squid();
        let r = Reduced {
            params: &p,
            j_in: 10.0,
        };
        for v in [-80.0, -60.0, -40.0, 0.0, 30.0] {
            if let Some(n) = r.v_nullcline(v) {
                assert!(r.dv_dt(v, n).abs() < 1e-9, "{v}: {}", r.dv_dt(v, n));
            }
        }
    }
}
