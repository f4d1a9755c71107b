//! The exact propagator of one network neuron (NEST's `Variables_`): between
//! events, (v, s_0..s_n) is linear with constant drive I and is carried over
//! any interval Δ in closed form,
//!
//! ```text
//! v(Δ) = e^(-Δ/tau_m) v + (1 - e^(-Δ/tau_m)) I + Σ_k s_k g_{n-k}(Δ)
//! g_j(Δ) = e^(-Δ/tau_s) (Δ/tau_m) (Δ/tau_s)^j φ_{j+1}(Δ/tau_s - Δ/tau_m)
//! s_k(Δ) = e^(-Δ/tau_s) Σ_{j<=k} s_j (Δ/tau_s)^(k-j)/(k-j)!
//! ```
//!
//! (φ_k as in exponential integrators: no division by tau_s - tau_m, so equal
//! time constants need no special case); and the first threshold crossing
//! of such a segment, by safeguarded Newton on the closed form.

use super::{MAX_STAGES, NetworkParams};
use crate::model::math::{Point, Stop, phi_functions, phi1, safeguarded_newton};

/// Propagator coefficients of one neuron over one interval Δ.
#[derive(Debug, Clone, Copy)]
pub(super) struct Coefficients {
    /// e^(-Δ/tau_m)
    pub(super) e_m: f64,
    /// e^(-x) x^d / d!, x = Δ/tau_s: stage k - d into stage k.
    pub(super) stage: [f64; MAX_STAGES],
    /// g_{n-k}(Δ): stage k into v.
    pub(super) v_from_stage: [f64; MAX_STAGES],
}

impl NetworkParams {
    /// Filter stages per neuron: n + 1.
    pub(super) fn stages(&self) -> usize {
        self.filter.order + 1
    }

    /// The propagator over `delta`.
    pub(super) fn coefficients(&self, delta: f64) -> Coefficients {
        let n = self.filter.order;
        let tau_s = self.filter.tau_s_s;
        let x = delta / tau_s;
        let y = delta / self.tau_m_s;
        let e_s = (-x).exp();
        let mut stage = [0.0; MAX_STAGES];
        stage[0] = e_s;
        for d in 1..=n {
            stage[d] = stage[d - 1] * x / d as f64;
        }
        let mut v_from_stage = [0.0; MAX_STAGES];
        let z = x - y;
        if n == 0 {
            // g_0 = e_s y φ_1(z).
            v_from_stage[0] = e_s * y * phi1(z);
        } else {
            let mut phis = [0.0; MAX_STAGES + 1];
            phi_functions(z, n + 2, &mut phis);
            let base = e_s * y;
            let mut x_pow = 1.0;
            for j in 0..=n {
                // g_j = e_s (Δ/tau_m) x^j φ_{j+1}: multiplies stage n - j.
                v_from_stage[n - j] = base * x_pow * phis[j + 1];
                x_pow *= x;
            }
        }
        Coefficients {
            e_m: (-y).exp(),
            stage,
            v_from_stage,
        }
    }
}

/// The propagator over one step, prepared for dt, and any other interval on
/// demand.
#[derive(Debug, Clone, Copy)]
pub(super) struct Propagator {
    pub(super) dt_s: f64,
    pub(super) step: Coefficients,
}

impl Propagator {
    pub(super) fn new(params: &NetworkParams, dt_s: f64) -> Self {
        Self {
            dt_s,
            step: params.coefficients(dt_s),
        }
    }

    /// The coefficients over `delta`: the prepared step's for dt.
    pub(super) fn over(&self, params: &NetworkParams, delta: f64) -> Coefficients {
        if delta == self.dt_s {
            self.step
        } else {
            params.coefficients(delta)
        }
    }
}

/// One neuron's linear state over a segment: v and its filter stages.
#[derive(Debug, Clone, Copy)]
pub(super) struct Segment {
    pub(super) v: f64,
    pub(super) stages: [f64; MAX_STAGES],
}

impl Segment {
    pub(super) fn load(v: f64, stages: &[f64]) -> Self {
        let mut s = [0.0; MAX_STAGES];
        s[..stages.len()].copy_from_slice(stages);
        Self { v, stages: s }
    }

    pub(super) fn propagate(&self, c: &Coefficients, ns: usize, drive: f64) -> Segment {
        let mut v = c.e_m * self.v + (1.0 - c.e_m) * drive;
        for (g, s) in c.v_from_stage.iter().zip(&self.stages).take(ns) {
            v += g * s;
        }
        let mut stages = [0.0; MAX_STAGES];
        for (k, out) in stages.iter_mut().enumerate().take(ns) {
            *out = (0..=k).map(|d| c.stage[d] * self.stages[k - d]).sum();
        }
        Segment { v, stages }
    }

    /// dv/dt = (s_n + I - v) / tau_m.
    fn dvdt(&self, p: &NetworkParams, drive: f64) -> f64 {
        (self.stages[p.filter.order] + drive - self.v) / p.tau_m_s
    }

    /// d²v/dt² from ds_n/dt = (s_{n-1} - s_n)/tau_s (s_{-1} = 0).
    fn d2vdt2(&self, p: &NetworkParams, drive: f64) -> f64 {
        let n = p.filter.order;
        let below = if n == 0 { 0.0 } else { self.stages[n - 1] };
        let dsn = (below - self.stages[n]) / p.filter.tau_s_s;
        (dsn - self.dvdt(p, drive)) / p.tau_m_s
    }
}

/// The state a unit impulse 1/tau_s into stage 0 reaches after `rest`, v
/// starting at 0 with no drive: a spike's effect on a target that
/// integrates through the rest of the step, per unit weight.
pub(super) fn impulse_response(p: &NetworkParams, c: &Coefficients) -> Segment {
    let mut st = [0.0; MAX_STAGES];
    st[0] = 1.0 / p.filter.tau_s_s;
    Segment { v: 0.0, stages: st }.propagate(c, p.stages(), 0.0)
}

/// The effect on v at the step's end of a unit impulse at `offset` on a
/// target whose refractory period ended later, at `from`: the filter runs
/// from the impulse, v only from `from`.
pub(super) fn late_start_gain(p: &NetworkParams, dt: f64, offset: f64, from: f64) -> f64 {
    let mut at_from = impulse_response(p, &p.coefficients(from - offset));
    at_from.v = 0.0;
    at_from
        .propagate(&p.coefficients(dt - from), p.stages(), 0.0)
        .v
}

/// The first threshold crossing within `span` of a segment from `seg` with
/// constant drive (`c`: the propagator over the span), if any, and the state
/// at the span's end: where v ends above 1, by safeguarded Newton; where it
/// may rise above 1 and fall back, at its peak.
pub(super) fn first_crossing(
    p: &NetworkParams,
    seg: &Segment,
    drive: f64,
    span: f64,
    c: &Coefficients,
) -> (Option<f64>, Segment) {
    let end = seg.propagate(c, p.stages(), drive);
    let crossing = if end.v > 1.0 {
        Some(find_crossing(p, seg, drive, span))
    } else if may_peak_above_threshold(p, seg, &end, drive, span) {
        peak_crossing(p, seg, drive, span)
    } else {
        None
    };
    (crossing, end)
}

/// Whether v may rise above 1 and fall back inside a span that starts at
/// `seg` and ends at `end`: v rising at the start, falling at the end, and the
/// largest possible excursion reaching the threshold.
#[inline]
fn may_peak_above_threshold(
    p: &NetworkParams,
    seg: &Segment,
    end: &Segment,
    drive: f64,
    span: f64,
) -> bool {
    let d0 = seg.dvdt(p, drive);
    if d0 <= 0.0 {
        return false;
    }
    let d1 = end.dvdt(p, drive);
    d1 < 0.0 && seg.v.max(end.v) + d0.max(-d1) * span >= 1.0
}

/// The segment τ into it.
fn eval_at(p: &NetworkParams, seg: &Segment, drive: f64, tau: f64) -> Segment {
    seg.propagate(&p.coefficients(tau), p.stages(), drive)
}

/// The first τ in [0, hi] with v(τ) = 1, given v(0) < 1 <= v(hi) and v
/// increasing through the crossing: from the linear interpolation between
/// the ends, to successive points 1e-14 apart.
fn find_crossing(p: &NetworkParams, seg: &Segment, drive: f64, hi: f64) -> f64 {
    let va = seg.v;
    let vb = eval_at(p, seg, drive, hi).v;
    let start = hi * ((1.0 - va) / (vb - va)).clamp(0.0, 1.0);
    let v_minus_1 = |tau: f64| {
        let at = eval_at(p, seg, drive, tau);
        Point::new(at.v - 1.0, at.dvdt(p, drive))
    };
    let stop = Stop::Steps {
        abs: 1e-16,
        rel: 1e-14,
        bracket: 1e-15 * hi.max(1e-300),
    };
    safeguarded_newton(v_minus_1, (0.0, hi), start, stop, 100)
}

/// The crossing inside a span where v rises then falls: locate the peak
/// (dv/dt = 0, falling through it: searched as -dv/dt, with d²v/dt²); if v
/// there reaches 1, the crossing lies between the start and the peak.
fn peak_crossing(p: &NetworkParams, seg: &Segment, drive: f64, span: f64) -> Option<f64> {
    let minus_slope = |tau: f64| {
        let at = eval_at(p, seg, drive, tau);
        Point::new(-at.dvdt(p, drive), -at.d2vdt2(p, drive))
    };
    let stop = Stop::Steps {
        abs: 1e-16,
        rel: 1e-14,
        bracket: -1.0,
    };
    let tau = safeguarded_newton(minus_slope, (0.0, span), 0.5 * span, stop, 100);
    (eval_at(p, seg, drive, tau).v > 1.0).then(|| find_crossing(p, seg, drive, tau))
}
