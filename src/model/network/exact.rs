//! The event-exact step for filters of order 1 and up, on `Segment` (the
//! first order has its scalar fast path in first_order.rs): the common
//! cases (integrating, or resting, through the whole step with no crossing)
//! inline, compiled per order for orders 1-3; a neuron with an event in the
//! step through `solve_step`. Then each spike's exact effect is delivered to
//! its targets.

use super::first_order_pass::MARK_FROM;
use super::propagator::{
    Coefficients, Segment, first_crossing, impulse_response, late_start_gain, s_range, v_bound,
    v_reached_before,
};
use super::solve::{StepEnd, StepRule, StepSpike, Trajectory, solve_step};
use super::state::{Rest, rest_from};
use super::{NetworkParams, Step};
use crate::model::Arrival;

/// A neuron of any filter order on its closed form, as `solve_step` drives it.
pub(super) struct SegmentTrajectory<'a> {
    pub(super) seg: Segment,
    pub(super) p: &'a NetworkParams,
    pub(super) drive: f64,
    /// The prepared step's coefficients (a span of dt reads them).
    pub(super) step: &'a super::propagator::Propagator,
}

/// A spike's unit effect at the step's end (`response`: the impulse
/// 1/tau_s into stage 0 at its offset, followed to the end) and the
/// propagator over the rest of the step from it.
pub(super) struct AtEnd {
    pub(super) response: Segment,
    pub(super) rest: Coefficients,
}

impl SegmentTrajectory<'_> {
    fn over(&self, span: f64) -> Coefficients {
        self.step.over(self.p, span)
    }
}

impl Trajectory for SegmentTrajectory<'_> {
    fn v(&self) -> f64 {
        self.seg.v
    }

    fn rest(&mut self, _at: f64, span: f64) {
        self.seg = self.seg.propagate(&self.over(span), self.p.stages(), 0.0);
        self.seg.v = 0.0;
    }

    fn integrate(&mut self, _at: f64, span: f64) -> Option<f64> {
        let (crossing, end) = first_crossing(self.p, &self.seg, self.drive, span, &self.over(span));
        match crossing {
            None => self.seg = end,
            Some(t) => {
                self.seg = self
                    .seg
                    .propagate(&self.p.coefficients(t), self.p.stages(), self.drive)
            }
        }
        crossing
    }

    fn reset(&mut self) {
        self.seg.v = 0.0;
    }

    fn kick(&mut self, weight: f64) {
        self.seg.stages[0] += weight / self.p.filter.tau_s_s;
    }
}

/// A change of dt in exact timing: the rest counted in steps of the old dt
/// becomes time left, then whole steps of the new one; where each neuron
/// integrates from is said anew in the new step's terms.
pub(super) fn change_dt(rest: &mut Rest, next: u64, old_dt: f64, dt: f64) {
    rest.restate_active_from(old_dt, dt);
    for i in 0..rest.wake_step.len() {
        if rest.wake_step[i] > next {
            let left = rest.refractory_s[i] + (rest.wake_step[i] - next) as f64 * old_dt;
            rest.wake_step[i] = next;
            rest.refractory_s[i] = left;
        }
    }
    for i in 0..rest.wake_step.len() {
        if rest.wake_step[i] == next {
            (rest.wake_step[i], rest.refractory_s[i]) = rest_from(next, rest.refractory_s[i], dt);
        }
    }
}

impl Step<'_> {
    /// Keeps the state at the step's start for a re-solve (the first-order
    /// step leaves it there by its double buffer).
    fn keep_start(&mut self) {
        if self.resolve.enabled() {
            self.scratch.next_v.copy_from_slice(&self.state.v);
            self.scratch.next_s.copy_from_slice(&self.state.stages);
        }
    }

    /// The exact step for a filter of NS = n + 1 stages.
    pub(super) fn exact_order<const NS: usize>(&mut self) {
        self.keep_start();
        self.integrate::<NS>();
        self.sort_spikes();
        if !self.runaway() {
            self.deliver::<NS>();
        }
    }

    /// The exact step for any filter order, through the general event path
    /// (orders above 3 are for exploring h, not for speed).
    pub(super) fn exact_any_order(&mut self) {
        self.keep_start();
        let ns = self.p.stages();
        let mut sum = 0.0;
        for i in 0..self.state.v.len() {
            if self.runaway() {
                break;
            }
            self.step_neuron_with_events(i);
            sum += self.state.v[i] + self.state.stages[i * ns + ns - 1];
        }
        self.scratch.finite = sum.is_finite();
        self.sort_spikes();
        if !self.runaway() {
            self.deliver_any_order();
        }
    }

    /// The step of every neuron for a filter of NS stages: the common cases
    /// (integrating, or refractory, through the whole step with no crossing)
    /// inline; anything with an event inside the step goes to
    /// `step_neuron_with_events`.
    fn integrate<const NS: usize>(&mut self) {
        let n = self.state.v.len();
        let dt = self.prop.dt_s;
        let c = self.prop.step;
        let (e_m, one_minus_e_m) = (c.e_m, 1.0 - c.e_m);
        let v_from: [f64; NS] = std::array::from_fn(|k| c.v_from_stage[k]);
        let cascade: [f64; NS] = std::array::from_fn(|d| c.stage[d]);
        let step = self.state.step_index;
        let mut sum = 0.0;
        for i in 0..n {
            let drive = self.drive[i];
            let refractory = self.state.rest.as_mut().at_start(i, step);
            let st: &mut [f64; NS] = (&mut self.state.stages[i * NS..(i + 1) * NS])
                .try_into()
                .expect("NS stages per neuron");
            let old = *st;
            for k in (0..NS).rev() {
                let mut acc = 0.0;
                for d in 0..=k {
                    acc += cascade[d] * old[k - d];
                }
                st[k] = acc;
            }
            let v = self.state.v[i];
            if refractory.is_none() {
                self.state.rest.set_active_from(i, dt, dt);
                sum += st[NS - 1];
                continue;
            }
            if refractory == Some(0.0) && v <= 1.0 {
                let mut v_end = e_m * v + one_minus_e_m * drive;
                for k in 0..NS {
                    v_end += v_from[k] * old[k];
                }
                // v may cross and return inside the step, even more than
                // once and from falling at its start: the step is the event
                // path's unless v is bounded below the threshold throughout.
                let (_, s_hi) = s_range(&old, &c);
                if v_end <= 1.0 && v_bound(v, s_hi, drive, &c) <= 1.0 {
                    self.state.v[i] = v_end;
                    self.state.rest.set_active_from(i, 0.0, dt);
                    sum += v_end + st[NS - 1];
                    continue;
                }
            }
            *st = old;
            // A runaway: reported as it stands, the rest kept as they began.
            if self.runaway() {
                continue;
            }
            self.step_neuron_with_events(i);
            sum += self.state.v[i] + self.state.stages[i * NS + NS - 1];
        }
        self.scratch.finite = sum.is_finite();
    }

    /// The general step of neuron i: refractory ends, crossings (possibly
    /// several), each located exactly (`solve_step`).
    fn step_neuron_with_events(&mut self, i: usize) {
        let p = self.p;
        let ns = p.stages();
        let dt = self.prop.dt_s;
        let step = self.state.step_index;
        let mut neuron = SegmentTrajectory {
            seg: Segment::load(self.state.v[i], &self.state.stages[i * ns..(i + 1) * ns]),
            p,
            drive: self.drive[i],
            step: self.prop,
        };
        let mut rest = self.state.rest.as_mut();
        let Some(refractory) = rest.at_start(i, step) else {
            // Resting through the whole step: only the filter moves.
            let seg = neuron.seg.propagate(&self.prop.step, ns, 0.0);
            self.state.stages[i * ns..(i + 1) * ns].copy_from_slice(&seg.stages[..ns]);
            rest.set_active_from(i, dt, dt);
            return;
        };
        let mut last = self.state.last_event.as_mut();
        last.begin(i, step, refractory);
        let spikes = &mut self.scratch.spikes;
        let StepEnd {
            refractory_left,
            from,
        } = solve_step(
            &mut neuron,
            &StepRule::without_inputs(dt, p.tau_ref_s, refractory),
            |offset_s| {
                spikes.push(StepSpike {
                    neuron: i,
                    offset_s,
                });
                last.last_spike_s[i] = offset_s;
            },
        );
        self.state.v[i] = neuron.seg.v;
        self.state.stages[i * ns..(i + 1) * ns].copy_from_slice(&neuron.seg.stages[..ns]);
        rest.end_event_step(i, step, dt, refractory_left, from);
    }

    /// Delivers this step's spikes to their targets at their exact offsets:
    /// the impulse w/tau_s into stage 0 at offset τ, propagated to the step's
    /// end, and its effect on v over the part of (τ, dt] in which the target
    /// integrated. The propagated impulse depends only on τ, so it is computed
    /// once per spike with the propagator over the rest of the step; each
    /// target then costs NS + 1 multiply-adds, and after an excitatory
    /// input a bound on v over that rest (NS terms) that says whether to
    /// solve it again (`add_to_v`).
    fn deliver<const NS: usize>(&mut self) {
        self.each_spike(|step, j, offset_s, at_end| {
            let stage_gain: [f64; NS] = std::array::from_fn(|k| at_end.response.stages[k]);
            for idx in step.connections.range(j) {
                let syn = step.connections.synapses()[idx];
                let (i, w) = (syn.target as usize, syn.weight);
                let st: &mut [f64; NS] = (&mut step.state.stages[i * NS..(i + 1) * NS])
                    .try_into()
                    .expect("NS stages per neuron");
                for k in 0..NS {
                    st[k] += w * stage_gain[k];
                }
                step.add_to_v(i, w, offset_s, at_end);
            }
        });
    }

    fn deliver_any_order(&mut self) {
        self.each_spike(|step, j, offset_s, at_end| {
            for idx in step.connections.range(j) {
                let syn = step.connections.synapses()[idx];
                step.deliver_to(syn.target as usize, syn.weight, offset_s, at_end);
            }
        });
    }

    /// Each spike of the step (its neuron and offset) with the impulse
    /// response from its offset to the step's end.
    #[inline]
    fn each_spike(&mut self, mut deliver: impl FnMut(&mut Self, usize, f64, &AtEnd)) {
        for s in 0..self.scratch.spikes.len() {
            let StepSpike {
                neuron: j,
                offset_s,
            } = self.scratch.spikes[s];
            let at_end = self.impulse_to_end(offset_s);
            deliver(self, j, offset_s, &at_end);
        }
    }

    /// The spikes of input trains inside the step, each to its targets'
    /// filters at its offset, as a network spike. They come after the
    /// network's spikes are delivered, so one that raises v may land before
    /// an input a target's state holds already, make v cross, and the later
    /// input bring it back or hide the peak, with nothing to see at the end
    /// (the delivery's tests read a target's state at the step's end, the
    /// end of its trajectory with the inputs so far only where they came in
    /// time order: delivery.rs). So a target that may reach the threshold in
    /// the step at all (`may_reach_threshold`) and holds a later input (a
    /// spike of the step from a neuron that sends to it, or a train's spike
    /// delivered already: later_inputs.rs) is solved again.
    pub(super) fn deliver_arrivals(&mut self, arrivals: &[Arrival]) {
        let n = self.state.v.len();
        if self.resolve.enabled() && !arrivals.is_empty() {
            let held = (&self.scratch.spikes[..], &[][..], &[][..]);
            self.resolve.later.begin_round(held, self.connections, n);
        }
        for a in arrivals {
            let at_end = self.impulse_to_end(a.offset_s);
            let targets = match a.target {
                Some(i) if i < n => i..i + 1,
                Some(_) => 0..0,
                None => 0..n,
            };
            let later = a.weight > 0.0 && self.resolve.enabled() && {
                let held = (&self.scratch.spikes[..], &[][..]);
                self.resolve
                    .later
                    .gather(a.offset_s, held, self.connections)
            };
            let bound = later.then(|| self.threshold_bound(arrivals));
            for i in targets {
                self.deliver_to(i, a.weight, a.offset_s, &at_end);
                if let Some(bound) = bound
                    && self.may_reach_threshold(i, bound)
                    && (self.resolve.later).holds(i, self.connections.synapses())
                {
                    self.resolve.suspect(i);
                }
            }
            if self.resolve.enabled() {
                self.resolve.later.delivered(a, n);
            }
        }
    }

    /// Makes ready what `may_reach_threshold` reads, once for a delivery.
    pub(super) fn threshold_bound(&mut self, arrivals: &[Arrival]) -> ThresholdBound {
        let (n, p) = (self.state.v.len(), self.p);
        let constants = (self.prop.dt_s, p.tau_ref_s, p.filter.tau_s_s);
        let bounded = (self.resolve.excitation).reach(n, self.connections, constants);
        let arriving = bounded && self.resolve.excitation.excitatory_arrivals(arrivals, n);
        ThresholdBound { bounded, arriving }
    }

    /// Whether neuron i's v may reach the threshold anywhere in the step,
    /// whatever its inputs' order, by a bound from its state at the step's
    /// start (kept for the re-solve). v' = (I + s_n - v)/tau_m, so with s_n
    /// at most S over the step v stays below the solution for s_n = S,
    /// v0 + max(I + S - v0, 0)(1 - e^(-dt/tau_m)) (a rest holds v at 0,
    /// below it). Each stage's response to a unit of another stage or to an
    /// impulse's w/tau_s is at most 1 of it, so S is at most the start's
    /// positive stages plus w/tau_s for every excitatory input: the step's
    /// excitatory arrivals for i, and the network's, first what all its
    /// excitatory senders could send (`ExcitationBounds::reach`:
    /// in the benchmark network only a neuron within about 0.03 of the
    /// threshold at the step's start passes), and where that passes, what
    /// the spikes it may hold now send, when less
    /// (`ExcitationBounds::sum_held_excitation`, summed once a round where
    /// asked; a change to those spikes asks again).
    pub(super) fn may_reach_threshold(&mut self, i: usize, bound: ThresholdBound) -> bool {
        if !bound.bounded {
            return true;
        }
        let reach = self.resolve.excitation.reach_of(i);
        if !self.reaches_threshold(i, reach, bound) {
            return false;
        }
        let of = (self.state.v.len(), self.p.filter.tau_s_s);
        let may_hold = (&self.scratch.spikes[..], &self.resolve.moves[..]);
        (self.resolve.excitation).sum_held_excitation(may_hold, self.connections, of);
        let held = self.resolve.excitation.held_excitation_of(i);
        held >= reach || self.reaches_threshold(i, held, bound)
    }

    /// `may_reach_threshold`'s bound with the network's excitatory input
    /// to neuron i at most `network` (over tau_s).
    fn reaches_threshold(&self, i: usize, network: f64, bound: ThresholdBound) -> bool {
        let (ns, tau_s) = (self.p.stages(), self.p.filter.tau_s_s);
        let arriving = if bound.arriving {
            self.resolve.excitation.excitatory_arrivals_of(i)
        } else {
            0.0
        };
        let stages = &self.scratch.next_s[i * ns..(i + 1) * ns];
        let s_most = stages.iter().map(|x| x.max(0.0)).sum::<f64>() + network + arriving / tau_s;
        let (v0, drive) = (self.scratch.next_v[i], self.drive[i]);
        let v_most = v0 + (drive + s_most - v0).max(0.0) * (1.0 - self.prop.step.e_m);
        // A margin for the rounding of the bound and of the paths' own
        // arithmetic (1e-16 of the values), as the first pass's; a state
        // that is not finite is no bound.
        v_most >= MARK_FROM || v_most.is_nan()
    }
}

/// Whether `may_reach_threshold` has a bound (tau_ref > 0), its numbers
/// made ready (`Step::threshold_bound`), and whether the step has
/// excitatory arrivals.
#[derive(Debug, Clone, Copy)]
pub(super) struct ThresholdBound {
    bounded: bool,
    arriving: bool,
}

impl Step<'_> {
    /// The response to a unit spike at `offset_s` at the step's end.
    pub(super) fn impulse_to_end(&self, offset_s: f64) -> AtEnd {
        let rest = self.prop.over(self.p, self.prop.dt_s - offset_s);
        AtEnd {
            response: impulse_response(self.p, &rest),
            rest,
        }
    }

    /// One spike of weight w at `offset` into neuron i, given the impulse
    /// response over the rest of the step.
    pub(super) fn deliver_to(&mut self, i: usize, w: f64, offset: f64, at_end: &AtEnd) {
        let ns = self.p.stages();
        for k in 0..ns {
            self.state.stages[i * ns + k] += w * at_end.response.stages[k];
        }
        self.add_to_v(i, w, offset, at_end);
    }

    /// A spike's effect on neuron i's v at the step's end (`at_end`'s per
    /// unit weight when the neuron integrates from before the spike), and
    /// whether the neuron must be re-solved (resolve.rs): where v ends above
    /// the threshold, or, after an excitatory input, may have been above it
    /// in the input-free rest of the step (`v_reached_before`: v can cross
    /// and return, from rising or falling, once or more); where it spiked
    /// after the input, whether or not it integrates from before the input
    /// by its rest: with tau_ref = 0 a neuron never rests, so one that spiked
    /// after the input integrates from the step's start, and an inhibitory
    /// input before its crossing, which undid it, went unseen while only a
    /// neuron resting at the input was asked.
    fn add_to_v(&mut self, i: usize, w: f64, offset: f64, at_end: &AtEnd) {
        let from = self.state.rest.active().from[i];
        let (ns, dt) = (self.p.stages(), self.prop.dt_s);
        let drive = self.drive[i];
        let reached_above = |v: f64, stages: &[f64], rest: &Coefficients| {
            w > 0.0 && v_reached_before(v, stages, drive, rest) > 1.0
        };
        let last = &self.state.last_event;
        let spiked_after = last.step[i] == self.state.step_index && offset < last.last_spike_s[i];
        let stages = &self.state.stages[i * ns..(i + 1) * ns];
        let v = &mut self.state.v[i];
        let above = if from <= offset {
            *v += w * at_end.response.v;
            *v > 1.0 || reached_above(*v, stages, &at_end.rest)
        } else {
            if from < dt {
                *v += w * late_start_gain(self.p, dt, offset, from);
            }
            *v > 1.0 || (from < dt && reached_above(*v, stages, &self.p.coefficients(dt - from)))
        };
        let suspect = above || spiked_after;
        if suspect {
            self.resolve.suspect(i);
        }
    }
}
