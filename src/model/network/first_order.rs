//! The first-order filter's step (n = 0), the network's fast path: scalar
//! closed forms, a vectorized first pass, and a part of the neurons per
//! thread (see `LifNetwork::step_first_order`).

use super::super::hh::hermite_root;
use super::{
    Connections, NetworkParams, Synapse, end_event_step, late_start_gain, phi1, refractory_at_start,
};

/// What the first-order step (n = 0) of every neuron shares, read-only.
#[derive(Debug, Clone, Copy)]
pub(super) struct FirstOrderStep {
    pub(super) params: NetworkParams,
    pub(super) dt: f64,
    /// The index of the step.
    pub(super) step: u64,
    /// Over dt: e^(-dt/tau_m), e^(-dt/tau_s) and g_0(dt).
    pub(super) e_m: f64,
    pub(super) e_s: f64,
    pub(super) g: f64,
}

impl FirstOrderStep {
    /// e^(-τ/tau_m), e^(-τ/tau_s) and g_0(τ) = e^(-τ/tau_s) (τ/tau_m)
    /// φ_1(τ/tau_s - τ/tau_m) over τ = `delta`.
    fn coef(&self, delta: f64) -> (f64, f64, f64) {
        if delta == self.dt {
            return (self.e_m, self.e_s, self.g);
        }
        let (x, y) = (
            delta / self.params.filter.tau_s_s,
            delta / self.params.tau_m_s,
        );
        let e_s = (-x).exp();
        ((-y).exp(), e_s, e_s * y * phi1(x - y))
    }
}

/// One thread's share of a first-order step: neurons `first..first + len`,
/// their state at the step's start (`v`, `s`) and at its end (`v_next`,
/// `s_next`), their event scratch and their spikes (network indices).
pub(super) struct Part<'a> {
    pub(super) first: usize,
    pub(super) v: &'a [f64],
    pub(super) s: &'a [f64],
    pub(super) v_next: &'a mut [f64],
    pub(super) s_next: &'a mut [f64],
    pub(super) drive: &'a [f64],
    pub(super) wake_step: &'a mut [u64],
    pub(super) refractory_s: &'a mut [f64],
    pub(super) active_from: &'a mut [f64],
    pub(super) event: &'a mut [u64],
    /// The part's marked neurons (part indices), the first `event_count`
    /// of them from the last step.
    pub(super) event_index: &'a mut [u32],
    pub(super) event_count: &'a mut usize,
    pub(super) spikes: &'a mut Vec<(usize, f64)>,
}

impl Part<'_> {
    /// The step of the part's neurons, in two passes. The first is
    /// branch-free, so it vectorizes: every neuron is propagated over the
    /// whole step, and kept where nothing happens inside the step; a neuron
    /// whose refractory period ends in the step, that crosses the threshold
    /// (or may cross and return), or that starts above it keeps its old
    /// state and is marked. The second pass handles the marked ones, on
    /// scalars and closed forms (`step_with_events`). Returns whether every v
    /// and s stayed finite.
    pub(super) fn integrate(&mut self, c: &FirstOrderStep) -> bool {
        let n = self.v.len();
        let dt = c.dt;
        let (e_m, a, g, e_s) = (c.e_m, 1.0 - c.e_m, c.g, c.e_s);
        let k_peak = dt / c.params.tau_m_s;
        let step = c.step;
        let mut finite = true;
        // Last step's event neurons that woke inside it integrate from the
        // start of this one (the others' `active_from` is already right).
        for &k in &self.event_index[..*self.event_count] {
            let from = &mut self.active_from[k as usize];
            if *from < dt {
                *from = 0.0;
            }
        }
        {
            let (v, s, drive) = (&self.v[..n], &self.s[..n], &self.drive[..n]);
            let (v_next, s_next) = (&mut self.v_next[..n], &mut self.s_next[..n]);
            let (wake_step, event) = (&self.wake_step[..n], &mut self.event[..n]);
            for i in 0..n {
                let (v0, s0, x, wake) = (v[i], s[i], drive[i], wake_step[i]);
                let vn = e_m * v0 + a * x + g * s0;
                let sn = e_s * s0;
                let d0 = s0 + x - v0;
                let d1 = sn + x - vn;
                // Plain selects rather than f64::max (which orders NaN): one
                // instruction each in the vector loop; a NaN is caught below.
                let v_hi = if v0 > vn { v0 } else { vn };
                let slope = if d0 > -d1 { d0 } else { -d1 };
                let peak = (d0 > 0.0) & (d1 < 0.0) & (v_hi + slope * k_peak >= 1.0);
                // Refractory through the whole step: v stays 0, s decays.
                let resting = wake > step;
                let e = (wake == step) | (!resting & ((vn > 1.0) | (v0 > 1.0) | peak));
                v_next[i] = if resting | e { v0 } else { vn };
                s_next[i] = if e { s0 } else { sn };
                event[i] = if e { u64::MAX } else { 0 };
                // d1 is finite exactly when vn and sn are (an infinity
                // stays one, two of them give NaN), and d1 * 0 is 0 exactly
                // when d1 is finite: one test for both.
                finite &= d1 * 0.0 == 0.0;
            }
        }
        // The marked neurons: few, so eight flags are tested at once and
        // only a word with a mark is looked into.
        let mut count = 0;
        for (w, chunk) in self.event.chunks(8).enumerate() {
            let any = chunk.iter().fold(0, |acc, &e| acc | e);
            if any == 0 {
                continue;
            }
            for (k, &e) in chunk.iter().enumerate() {
                if e != 0 {
                    self.event_index[count] = (w * 8 + k) as u32;
                    count += 1;
                }
            }
        }
        for j in 0..count {
            let k = self.event_index[j] as usize;
            self.step_with_events(c, k);
            finite &= self.v_next[k].is_finite() && self.s_next[k].is_finite();
        }
        *self.event_count = count;
        finite
    }

    /// `step_neuron_with_events` for the first-order filter and the part's
    /// neuron k, on scalars and closed forms: over τ with constant drive I,
    /// v(τ) = I + (v - I) e^(-τ/tau_m) + s g(τ), s(τ) = s e^(-τ/tau_s),
    /// g(τ) = e^(-τ/tau_s) (τ/tau_m) φ_1(τ/tau_s - τ/tau_m). Same events,
    /// same order, as the general path (a test compares them). The marked
    /// neuron's start state is in `v_next`, `s_next` (the first pass kept it).
    fn step_with_events(&mut self, c: &FirstOrderStep, k: usize) {
        let p = c.params;
        let dt = c.dt;
        let drive = self.drive[k];
        let (tau_m, tau_s) = (p.tau_m_s, p.filter.tau_s_s);
        let mut v = self.v_next[k];
        // s only decays through the step, whatever v does: at τ it is
        // s0 e^(-τ/tau_s), at the end s0 e^(-dt/tau_s) as in the first pass.
        let s0 = self.s_next[k];
        let mut refractory = refractory_at_start(self.wake_step[k], self.refractory_s[k], c.step)
            .expect("a neuron resting through the step has no event");
        let mut offset = 0.0;
        // A late delivery in the previous step pushed v over the threshold:
        // the crossing happened at that step's end.
        if refractory == 0.0 && v > 1.0 {
            self.spikes.push((self.first + k, 0.0));
            v = 0.0;
            refractory = p.tau_ref_s;
        }
        // Each pass either ends the step or emits a spike and moves on (see
        // `step_neuron_with_events`).
        for _ in 0..10_000 {
            let left = dt - offset;
            if refractory >= left {
                refractory -= left;
                v = 0.0;
                offset = dt;
                break;
            }
            if refractory > 0.0 {
                v = 0.0;
                offset += refractory;
                refractory = 0.0;
            }
            let s = if offset == 0.0 {
                s0
            } else {
                s0 * (-offset / tau_s).exp()
            };
            let span = dt - offset;
            let at = |tau: f64| {
                let (e_m, e_s, g) = c.coef(tau);
                let vt = e_m * v + (1.0 - e_m) * drive + g * s;
                (vt, e_s * s)
            };
            let (v_end, s_end) = at(span);
            let d0 = s + drive - v;
            let d1 = s_end + drive - v_end;
            let crossing = if v_end > 1.0 {
                Some(newton_crossing(
                    &at,
                    tau_m,
                    drive,
                    v,
                    d0 / tau_m,
                    v_end,
                    d1 / tau_m,
                    span,
                ))
            } else if d0 > 0.0 && d1 < 0.0 && v.max(v_end) + d0.max(-d1) * span / tau_m >= 1.0 {
                // The peak, where dv/dt = (s(τ) + I - v(τ))/tau_m = 0: bisection.
                let (mut a, mut b) = (0.0, span);
                for _ in 0..60 {
                    let mid = 0.5 * (a + b);
                    let (vm, sm) = at(mid);
                    if sm + drive - vm > 0.0 {
                        a = mid
                    } else {
                        b = mid
                    }
                }
                let t_peak = 0.5 * (a + b);
                let (v_peak, _) = at(t_peak);
                (v_peak > 1.0)
                    .then(|| newton_crossing(&at, tau_m, drive, v, d0 / tau_m, v_peak, 0.0, t_peak))
            } else {
                None
            };
            match crossing {
                None => {
                    v = v_end;
                    break;
                }
                Some(t_cross) => {
                    offset += t_cross;
                    self.spikes.push((self.first + k, offset));
                    v = 0.0;
                    refractory = p.tau_ref_s;
                }
            }
        }
        self.v_next[k] = v;
        self.s_next[k] = s0 * c.e_s;
        end_event_step(
            c.step,
            dt,
            refractory,
            offset,
            (
                &mut self.wake_step[k],
                &mut self.refractory_s[k],
                &mut self.active_from[k],
            ),
        );
    }
}

/// `deliver` for the first-order filter, on scalars, to the targets among
/// neurons `first..first + v.len()` (whose s, v and `active_from` are given;
/// `targets(j)` indexes neuron j's targets among them in `connections`):
/// each spike's impulse w/tau_s at offset τ reaches s as e^(-(dt-τ)/tau_s)
/// w/tau_s and v as g_0(dt - τ) w/tau_s by the step's end (closed forms of
/// `coefficients` for n = 0).
pub(super) fn deliver_first_order(
    c: &FirstOrderStep,
    connections: &Connections,
    spikes: &[(usize, f64)],
    targets: impl Fn(usize) -> std::ops::Range<usize>,
    first: usize,
    (s, v, active_from): (&mut [f64], &mut [f64], &[f64]),
) {
    let dt = c.dt;
    let tau_s = c.params.filter.tau_s_s;
    // The spikes' connection lists lie anywhere in a large network's memory:
    // each is requested two spikes ahead of its use (all at once would
    // overflow the queue of outstanding requests).
    let request = |k: usize| {
        if let Some(&(j, _)) = spikes.get(k) {
            let r = targets(j);
            prefetch(&connections.synapses[r]);
        }
    };
    request(0);
    request(1);
    for (k, &(j, offset)) in spikes.iter().enumerate() {
        request(k + 2);
        let r = targets(j);
        if r.is_empty() {
            continue;
        }
        let (_, e_s, g) = c.coef(dt - offset);
        let (gs, gv) = (e_s / tau_s, g / tau_s);
        for &Synapse { target, weight: w } in &connections.synapses[r] {
            let i = target as usize - first;
            s[i] += w * gs;
            let from = active_from[i];
            if from <= offset {
                v[i] += w * gv;
            } else if from < dt {
                v[i] += w * late_start_gain(&c.params, dt, offset, from);
            }
        }
    }
}

/// Asks the CPU to bring `data` into its caches ahead of use.
#[inline]
fn prefetch<T>(data: &[T]) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        let bytes = std::mem::size_of_val(data);
        let base = data.as_ptr().cast::<i8>();
        for line in (0..bytes).step_by(64) {
            // SAFETY: a prefetch never faults and has no effect on memory;
            // the address lies inside `data`.
            unsafe { _mm_prefetch::<_MM_HINT_T0>(base.add(line)) };
        }
    }
}

/// The τ in (0, hi] where v(τ) = 1 for the first-order neuron, given
/// v(0) = `v0` < 1 <= `v_hi` = v(hi) and the slopes there (`d0`, `d_hi`,
/// per second): safeguarded Newton with dv/dt = (s(τ) + I - v(τ))/tau_m,
/// from the root of the cubic Hermite interpolant (fourth-order accurate, so
/// one or two Newton steps reach machine precision). A Newton step below
/// 1e-9 of the interval ends it: quadratic convergence puts the next error
/// near the square of that.
#[allow(clippy::too_many_arguments)]
fn newton_crossing(
    at: &dyn Fn(f64) -> (f64, f64),
    tau_m: f64,
    drive: f64,
    v0: f64,
    d0: f64,
    v_hi: f64,
    d_hi: f64,
    hi: f64,
) -> f64 {
    let (mut a, mut b) = (0.0, hi);
    // The interpolant is only a start (it differs from v by ~(hi/tau)^4),
    // so its root is wanted to 1e-10, not to rounding.
    let mut tau = hi * hermite_root(v0 - 1.0, d0 * hi, v_hi - 1.0, d_hi * hi, 1e-10);
    for _ in 0..60 {
        let (vt, st) = at(tau);
        let f = vt - 1.0;
        if f < 0.0 {
            a = tau;
        } else {
            b = tau;
        }
        let slope = (st + drive - vt) / tau_m;
        let newton = tau - f / slope;
        let (next, converged) = if slope > 0.0 && newton > a && newton < b {
            (newton, (newton - tau).abs() <= 1e-9 * hi)
        } else {
            let mid = 0.5 * (a + b);
            (mid, b - a <= 1e-15 * hi)
        };
        if converged || f == 0.0 {
            return if f == 0.0 { tau } else { next };
        }
        tau = next;
    }
    tau
}
