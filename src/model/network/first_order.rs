//! The first-order filter's step (n = 0), the network's fast path: a
//! branch-free first pass over all neurons that vectorizes, the few neurons
//! with an event in the step on scalars and closed forms (`solve_step`), then
//! the delivery, each in a part of the neurons per thread (parallel.rs).
//!
//! ```text
//! over τ with constant drive I:  v(τ) = I + (v - I) e^(-τ/tau_m) + s g(τ)
//!                                s(τ) = s e^(-τ/tau_s)
//! g(τ) = e^(-τ/tau_s) (τ/tau_m) φ_1(τ/tau_s - τ/tau_m)
//! ```

use super::delivery::DeliveryPart;
use super::first_order_pass::{MarkPass, MarkStep};
use super::parallel::Exec;
use super::solve::{StepEnd, StepRule, StepSpike, Trajectory, solve_step};
use super::state::{LastEventMut, RestMut};
use super::{NetworkParams, Step};
use crate::model::elementary::exp;
use crate::model::math::{Point, Stop, phi1, safeguarded_newton};

/// The first-order propagator over the step, and any span on demand.
#[derive(Debug, Clone, Copy)]
pub(super) struct FirstOrderPropagator {
    pub(super) params: NetworkParams,
    pub(super) dt: f64,
    /// The index of the step.
    pub(super) step: u64,
    /// Over dt: e^(-dt/tau_m), e^(-dt/tau_s) and g_0(dt).
    pub(super) e_m: f64,
    pub(super) e_s: f64,
    pub(super) g: f64,
    /// 1/tau_m and 1/tau_s: a multiply, not a division, ahead of each exp.
    pub(super) rate_m: f64,
    pub(super) rate_s: f64,
}

impl FirstOrderPropagator {
    pub(super) fn of(step: &Step) -> Self {
        Self {
            params: *step.p,
            dt: step.prop.dt_s,
            step: step.state.step_index,
            e_m: step.prop.step.e_m,
            e_s: step.prop.step.stage[0],
            g: step.prop.step.v_from_stage[0],
            rate_m: 1.0 / step.p.tau_m_s,
            rate_s: 1.0 / step.p.filter.tau_s_s,
        }
    }

    /// e^(-τ/tau_m), e^(-τ/tau_s) and g_0(τ) = e^(-τ/tau_s) (τ/tau_m)
    /// φ_1(τ/tau_s - τ/tau_m) over τ = `delta`.
    pub(super) fn coef(&self, delta: f64) -> (f64, f64, f64) {
        if delta == self.dt {
            return (self.e_m, self.e_s, self.g);
        }
        let (e_s, g) = self.input_coef(delta);
        (exp(-(delta * self.rate_m)), e_s, g)
    }

    /// `coef`'s e^(-τ/tau_s) and g_0(τ) alone: what an input reaching s
    /// and v needs (a spike's delivery), without the exp for v's own decay,
    /// which `coef` is not inlined to drop. Inlined into `coef` too, so
    /// that `coef` computes its two exps side by side as before.
    #[inline(always)]
    pub(super) fn input_coef(&self, delta: f64) -> (f64, f64) {
        if delta == self.dt {
            return (self.e_s, self.g);
        }
        let (x, y) = (delta * self.rate_s, delta * self.rate_m);
        let e_s = exp(-x);
        (e_s, e_s * y * phi1(x - y))
    }

    /// The effect on v at the step's end of a unit impulse at `offset` on a
    /// target that wakes later in the step, at `from`: the filter decays
    /// from the impulse, s = e^(-(from - offset)/tau_s)/tau_s at `from`, and
    /// v integrates only from there, g_0(dt - from) s. The general
    /// `propagator::late_start_gain` for n = 0, the same operations in the
    /// same order and so the same bits (a test compares them), without its
    /// two propagators of every stage: a network with tau_ref below dt,
    /// whose targets wake inside most steps, spent a third of its run
    /// building and copying them.
    #[inline]
    pub(super) fn late_start_gain(&self, offset: f64, from: f64) -> f64 {
        let p = &self.params;
        let tau_s = p.filter.tau_s_s;
        let s_from = exp(-((from - offset) / tau_s)) * (1.0 / tau_s);
        let rest = self.dt - from;
        let (x, y) = (rest / tau_s, rest / p.tau_m_s);
        let g = exp(-x) * y * phi1(x - y);
        0.0 + g * s_from
    }

    /// `reach` = e^(dt/tau_s) - 1: how far s at a step's end reaches back.
    pub(super) fn reach(&self) -> f64 {
        1.0 / self.e_s - 1.0
    }
}

/// One thread's share of a first-order step: neurons `first..first + len`,
/// their state at the step's start (`v`, `s`), where the pass writes it at
/// the step's end (`next_v`, `next_s`), their rest and last events, their
/// marks, and their spikes (network indices).
pub(super) struct Part<'a> {
    pub(super) first: usize,
    pub(super) v: &'a [f64],
    pub(super) s: &'a [f64],
    pub(super) drive: &'a [f64],
    pub(super) next_v: &'a mut [f64],
    pub(super) next_s: &'a mut [f64],
    pub(super) rest: RestMut<'a>,
    pub(super) last_event: LastEventMut<'a>,
    pub(super) event: &'a mut [u64],
    /// The part's marked neurons (part indices), the first `event_count`
    /// of them from the last step.
    pub(super) event_index: &'a mut [u32],
    pub(super) event_count: &'a mut usize,
    pub(super) spikes: &'a mut Vec<StepSpike>,
    /// The network's `runaway_spikes`: the part's event path stops once
    /// its own spikes reach them.
    pub(super) spike_limit: usize,
}

impl<'a> Part<'a> {
    /// The step of the part's neurons, in two passes. The first is
    /// branch-free, so it vectorizes: every neuron is propagated over the
    /// whole step, and kept where nothing happens inside the step; a neuron
    /// whose refractory period ends in the step, that crosses the threshold
    /// (or may cross and return), or that starts above it is marked. The
    /// second pass handles the marked ones from their start state, on
    /// scalars and closed forms (`step_with_events`). Returns whether every v
    /// and s stayed finite.
    pub(super) fn integrate(&mut self, c: &FirstOrderPropagator) -> bool {
        let dt = c.dt;
        // Last step's event neurons that woke inside it integrate from the
        // start of this one (the others' `active_from` is already right).
        for &k in &self.event_index[..*self.event_count] {
            self.rest.awake_from_start(k as usize, dt);
        }
        let (count, mut finite) = MarkPass {
            v: self.v,
            s: self.s,
            drive: self.drive,
            wake_step: self.rest.wake_step,
            next_v: self.next_v,
            next_s: self.next_s,
            event: self.event,
            event_index: self.event_index,
        }
        .run(MarkStep {
            e_m: c.e_m,
            e_s: c.e_s,
            g: c.g,
            k_peak: c.dt / c.params.tau_m_s,
            step: c.step,
        });
        for j in 0..count {
            let k = self.event_index[j] as usize;
            // A runaway: reported as it stands, the rest kept as they began.
            if self.spikes.len() >= self.spike_limit {
                (self.next_v[k], self.next_s[k]) = (self.v[k], self.s[k]);
                continue;
            }
            self.step_with_events(c, k);
            finite &= self.next_v[k].is_finite() && self.next_s[k].is_finite();
        }
        *self.event_count = count;
        finite
    }

    /// `integrate`, then the part's spikes sorted in time order: whether
    /// every state stayed finite, the spikes, and the part's neurons as a
    /// delivery needs them (their state at the step's end, and where each
    /// integrates from).
    pub(super) fn integrate_sorted(
        mut self,
        c: &FirstOrderPropagator,
    ) -> ((bool, &'a [StepSpike]), DeliveryPart<'a>) {
        let finite = self.integrate(c);
        self.spikes.sort_unstable_by(StepSpike::order);
        let Part {
            first,
            next_v,
            next_s,
            rest,
            spikes,
            ..
        } = self;
        let spikes: &'a Vec<StepSpike> = spikes;
        let part = DeliveryPart {
            first,
            s: next_s,
            v: next_v,
            active: rest.into_active(),
        };
        ((finite, &spikes[..]), part)
    }

    /// The event step of the part's neuron k, on scalars and closed forms.
    /// Same events, same order, as the general path (a test compares them).
    /// s at the step's end is already in `next_s`: the first pass decayed
    /// it (without inputs s only decays through the step, whatever v does).
    fn step_with_events(&mut self, c: &FirstOrderPropagator, k: usize) {
        let mut neuron = WithoutInputs {
            c,
            drive: self.drive[k],
            v: self.v[k],
            s0: self.s[k],
        };
        let refractory = self
            .rest
            .at_start(k, c.step)
            .expect("a neuron resting through the step has no event");
        self.last_event.begin(k, c.step, refractory);
        let (spikes, last_spike_s, first) = (
            &mut *self.spikes,
            &mut *self.last_event.last_spike_s,
            self.first,
        );
        let StepEnd {
            refractory_left,
            from,
        } = solve_step(
            &mut neuron,
            &StepRule::without_inputs(c.dt, c.params.tau_ref_s, refractory),
            |offset_s| {
                spikes.push(StepSpike {
                    neuron: first + k,
                    offset_s,
                });
                last_spike_s[k] = offset_s;
            },
        );
        self.next_v[k] = neuron.v;
        self.rest
            .end_event_step(k, c.step, c.dt, refractory_left, from);
    }
}

/// A first-order neuron through a step without inputs: s is s0 e^(-τ/tau_s)
/// at any offset τ whatever v does, so only v is carried.
struct WithoutInputs<'a> {
    c: &'a FirstOrderPropagator,
    drive: f64,
    v: f64,
    s0: f64,
}

impl Trajectory for WithoutInputs<'_> {
    #[inline]
    fn v(&self) -> f64 {
        self.v
    }

    fn rest(&mut self, _at: f64, _span: f64) {
        self.v = 0.0;
    }

    #[inline]
    fn integrate(&mut self, at: f64, span: f64) -> Option<f64> {
        let c = self.c;
        let coef = c.coef(span);
        // s at the offset, s0 e^(-offset/tau_s), is s0 e^(-dt/tau_s) /
        // e^(-span/tau_s) (the span runs to the step's end): one exp fewer,
        // unless e^(-dt/tau_s) underflows.
        let s = if at == 0.0 {
            self.s0
        } else if c.e_s >= f64::MIN_POSITIVE {
            self.s0 * (c.e_s / coef.1)
        } else {
            self.s0 * exp(-at * c.rate_s)
        };
        let (crossing, v_end, _) = crossing_in_span(c, self.drive, (self.v, s), span, coef);
        if crossing.is_none() {
            self.v = v_end;
        }
        crossing
    }

    fn reset(&mut self) {
        self.v = 0.0;
    }

    fn kick(&mut self, _weight: f64) {
        unreachable!("a step without inputs has no kick")
    }
}

/// A first-order neuron with inputs inside the step (a re-solve): v and s
/// carried piecewise between the inputs.
pub(super) struct WithInputs<'a> {
    pub(super) c: &'a FirstOrderPropagator,
    pub(super) drive: f64,
    pub(super) v: f64,
    pub(super) s: f64,
}

impl WithInputs<'_> {
    fn decay(&self, tau: f64) -> f64 {
        exp(-tau * self.c.rate_s)
    }
}

impl Trajectory for WithInputs<'_> {
    fn v(&self) -> f64 {
        self.v
    }

    fn rest(&mut self, _at: f64, span: f64) {
        self.s *= self.decay(span);
        self.v = 0.0;
    }

    fn integrate(&mut self, _at: f64, span: f64) -> Option<f64> {
        let coef = self.c.coef(span);
        let (crossing, v_end, s_end) =
            crossing_in_span(self.c, self.drive, (self.v, self.s), span, coef);
        match crossing {
            None => (self.v, self.s) = (v_end, s_end),
            Some(t) => self.s *= self.decay(t),
        }
        crossing
    }

    fn reset(&mut self) {
        self.v = 0.0;
    }

    fn kick(&mut self, weight: f64) {
        self.s += weight * self.c.rate_s;
    }
}

/// The first threshold crossing in a span of `span` from v, s with drive I
/// (over the span: e^(-span/tau_m), e^(-span/tau_s), g_0(span) in `coef`), if
/// any: where v ends above 1, by Newton; where v may rise above 1 and fall
/// back inside the span (rising at its start, falling at its end, and the
/// largest excursion reaching 1), at its peak, found by bisection. With v
/// and s at the span's end.
#[inline(always)]
fn crossing_in_span(
    c: &FirstOrderPropagator,
    drive: f64,
    (v, s): (f64, f64),
    span: f64,
    (e_m_span, e_s_span, g_span): (f64, f64, f64),
) -> (Option<f64>, f64, f64) {
    let p = &c.params;
    let at = |tau: f64| {
        let (e_m, e_s, g) = c.coef(tau);
        let vt = e_m * v + (1.0 - e_m) * drive + g * s;
        (vt, e_s * s)
    };
    let v_end = e_m_span * v + (1.0 - e_m_span) * drive + g_span * s;
    let s_end = e_s_span * s;
    let d0 = s + drive - v;
    let d1 = s_end + drive - v_end;
    let crossing = if v_end > 1.0 {
        Some(newton_crossing(&at, c, drive, v, s, span))
    } else if d0 > 0.0 && d1 < 0.0 && v.max(v_end) + d0.max(-d1) * span / p.tau_m_s >= 1.0 {
        // The peak, where dv/dt = (s(τ) + I - v(τ))/tau_m falls through 0:
        // 60 halvings.
        let minus_slope = |tau: f64| {
            let (vt, st) = at(tau);
            Point::new(-(st + drive - vt), f64::NAN)
        };
        let t_peak =
            safeguarded_newton(minus_slope, (0.0, span), 0.5 * span, Stop::Halvings(60), 60);
        let (v_peak, _) = at(t_peak);
        (v_peak > 1.0).then(|| newton_crossing(&at, c, drive, v, s, t_peak))
    } else {
        None
    };
    (crossing, v_end, s_end)
}

/// The τ in (0, hi] where v(τ) = 1 for the first-order neuron with drive I,
/// given v(0) = `v0` < 1 <= v(hi) and s(0) = `s0`: safeguarded Newton with
/// v' = (s + I - v)/tau_m, from the root of v's second-order Taylor
/// polynomial at 0 (v'' = (-s/tau_s - v')/tau_m). That start is off by about
/// v''' τ³ / (6 v'), ~1e-6 of the interval when hi is small against the time
/// constants, so one Newton step usually suffices: a step ends the search
/// once Newton's error bound for its result, |v''| step² / (2 v'), is below
/// 1e-12 of the interval (1e-16 s at dt = 0.1 ms), with |v''| the largest
/// it may be over the step, |v''| + |v'''| |step|: near an inflection,
/// where v'' is about 0, v''' alone sets the error (v''' = (s/tau_s² -
/// v'')/tau_m; a step of 20 ms at tau_m = 20 ms ended 1.75e-12 of it
/// short of the root on |v''| at the point alone, `first_order_tests`).
#[inline]
fn newton_crossing(
    at: &dyn Fn(f64) -> (f64, f64),
    c: &FirstOrderPropagator,
    drive: f64,
    v0: f64,
    s0: f64,
    hi: f64,
) -> f64 {
    // Multiplied by 1/tau_m and 1/tau_s (`rate_m`, `rate_s`) rather than
    // divided by the time constants: the search's arithmetic is a chain,
    // each division on it ~13 cycles against a multiply's 3. The start, the
    // error bound and so now and then the root found move by an ulp, far
    // inside the search's tolerance (2e-12 of the span).
    let (rate_m, rate_s) = (c.rate_m, c.rate_s);
    let rate_s2 = rate_s * rate_s;
    let curvature = |s: f64, slope: f64| (-s * rate_s - slope) * rate_m;
    let start = {
        let d0 = (s0 + drive - v0) * rate_m;
        let half_c = 0.5 * curvature(s0, d0);
        let gap = 1.0 - v0;
        // The root nearest 0 of v0 + d0 τ + c τ²/2 = 1, in the form that
        // does not cancel; the middle where it has none in (0, hi).
        let root = 2.0 * gap / (d0 + (d0 * d0 + 4.0 * half_c * gap).sqrt());
        if root > 0.0 && root < hi {
            root
        } else {
            0.5 * hi
        }
    };
    let v_minus_1 = |tau: f64| {
        let (vt, st) = at(tau);
        let slope = (st + drive - vt) * rate_m;
        let f = vt - 1.0;
        let v2 = curvature(st, slope);
        let v3 = (st * rate_s2 - v2) * rate_m;
        Point {
            f,
            slope,
            curvature: v2.abs() + v3.abs() * (f / slope).abs(),
        }
    };
    let stop = Stop::ErrorBound {
        tol: 2e-12 * hi,
        bracket: 1e-15 * hi,
    };
    safeguarded_newton(v_minus_1, (0.0, hi), start, stop, 100)
}

/// The first-order exact step. On two parts (parallel.rs), each integrates
/// its neurons on its thread, then each delivers all the step's spikes to its
/// own neurons; the spikes are delivered in the same order to every target
/// either way, so the sums, and the results, are the same on one thread or
/// two. On one part, the delivery finds the re-solve's suspects too.
pub(super) fn step(step: &mut Step, exec: &mut Exec) {
    let split = exec.split_parts(
        step.connections,
        &mut step.state.rest,
        step.prop.dt_s,
        &mut step.scratch.event_counts,
    );
    let c = FirstOrderPropagator::of(step);
    let two_parts = exec.helper_for(split, step.state.v.len());
    let finite = match two_parts {
        Some(helper) => exec.step_in_two_parts(helper, step, split, &c),
        None => Exec::integrate_one_part(step, &c),
    };
    if two_parts.is_none() {
        step.scratch.spikes.sort_unstable_by(StepSpike::order);
    }
    std::mem::swap(&mut step.state.v, &mut step.scratch.next_v);
    std::mem::swap(&mut step.state.stages, &mut step.scratch.next_s);
    step.scratch.finite = finite;
    if two_parts.is_none() && !step.runaway() {
        Exec::deliver_first_order(step, &c);
    }
}

#[cfg(test)]
#[path = "first_order_tests.rs"]
pub(super) mod tests;
