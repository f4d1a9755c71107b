//! One event-exact neuron step, used by every exact path: the first-order
//! event path, the general-order one, and both re-solves. Inside a step a
//! neuron rests out its refractory time, integrates, crosses the threshold
//! (a spike: v = 0, refractory again), possibly several times, with inputs
//! at known offsets kicking its filter; between events its state follows a
//! closed form. What that closed form is, and its arithmetic, belongs to the
//! trajectory (`Trajectory`: general order on `Segment`, first order on
//! scalars); the order of events belongs here, once.
//!
//! ```text
//! t = 0: above the threshold already (a late delivery)?  spike at 0
//! until the next input (or dt):
//!     refractory through it? rest to it
//!     else rest out the refractory time, integrate to it or to a crossing
//!     a crossing: spike, v = 0, the neuron's own connection kicks, rest again
//! the input kicks stage 0; on to the next
//! ```

use crate::model::MAX_SPIKES_PER_STEP;

/// A spike of the current step: its neuron and its time from the step's
/// start (s).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct StepSpike {
    pub(super) neuron: usize,
    pub(super) offset_s: f64,
}

impl StepSpike {
    /// Time order, then neuron order: the order spikes are delivered in.
    pub(super) fn order(a: &StepSpike, b: &StepSpike) -> std::cmp::Ordering {
        a.offset_s
            .total_cmp(&b.offset_s)
            .then(a.neuron.cmp(&b.neuron))
    }
}

/// An input reaching a neuron inside the step: when, and its weight.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct Input {
    pub(super) offset_s: f64,
    pub(super) weight: f64,
}

/// A spike that a re-solve moved: taken back (`new` false) or placed anew.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Move {
    pub(super) neuron: usize,
    pub(super) offset_s: f64,
    pub(super) new: bool,
}

/// One neuron's state between events, advanced in closed form.
pub(super) trait Trajectory {
    /// The membrane potential now.
    fn v(&self) -> f64;
    /// Rests (v held at 0, the filter decaying) for `span` from `at`.
    fn rest(&mut self, at: f64, span: f64);
    /// Integrates for `span` from `at`: without a crossing, to the span's
    /// end (None); else to the first crossing, whose time from `at` it gives.
    fn integrate(&mut self, at: f64, span: f64) -> Option<f64>;
    /// v = 0 after a spike.
    fn reset(&mut self);
    /// An input of `weight` w: stage 0 of the filter gains w/tau_s.
    fn kick(&mut self, weight: f64);
}

/// How a neuron's step ended: the refractory time left at its end, and the
/// offset from which it integrated without interruption to the end (dt
/// when refractory then).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct StepEnd {
    pub(super) refractory_left: f64,
    pub(super) from: f64,
}

/// What a neuron's step starts from and meets: its length, the refractory
/// period, how much of it is left at the start, the inputs in time order,
/// and (re-solves) the weight of its connection to itself, which kicks it
/// at each of its own spikes.
#[derive(Debug, Clone, Copy)]
pub(super) struct StepRule<'a> {
    pub(super) dt: f64,
    pub(super) tau_ref: f64,
    pub(super) refractory: f64,
    pub(super) inputs: &'a [Input],
    pub(super) self_weight: Option<f64>,
}

impl StepRule<'_> {
    /// A step without inputs within it (the first pass of every neuron).
    pub(super) fn without_inputs(dt: f64, tau_ref: f64, refractory: f64) -> Self {
        Self {
            dt,
            tau_ref,
            refractory,
            inputs: &[],
            self_weight: None,
        }
    }
}

/// A neuron's step under `rule`. Each spike's offset goes to `on_spike`.
#[inline]
pub(super) fn solve_step<T: Trajectory>(
    neuron: &mut T,
    rule: &StepRule,
    mut on_spike: impl FnMut(f64),
) -> StepEnd {
    let StepRule {
        dt,
        tau_ref,
        mut refractory,
        inputs,
        self_weight,
    } = *rule;
    let (mut t, mut from) = (0.0, 0.0);
    let mut emitted = 0usize;
    let mut spike = |neuron: &mut T, at: f64, emitted: &mut usize| {
        *emitted += 1;
        on_spike(at);
        neuron.reset();
        if let Some(w) = self_weight {
            neuron.kick(w);
        }
    };
    // A late delivery in the previous step pushed v over the threshold: the
    // crossing happened at that step's end.
    if refractory == 0.0 && neuron.v() > 1.0 {
        spike(neuron, 0.0, &mut emitted);
        refractory = tau_ref;
    }
    let mut next = 0;
    'step: loop {
        let until = inputs.get(next).map_or(dt, |i| i.offset_s.clamp(t, dt));
        // Each pass reaches `until` or emits a spike and moves on; a spike
        // advances time by at least tau_ref, and a zero tau_ref still needs
        // a rise time, so the loop is bounded. The cap, on the whole step
        // (a re-solve's thousands of inputs each begin a span), guards
        // degenerate input: the step ends there, and the network's check
        // reports it (`check_step_spikes`).
        loop {
            if emitted >= MAX_SPIKES_PER_STEP {
                break 'step;
            }
            let left = until - t;
            if left <= 0.0 {
                break;
            }
            if refractory >= left {
                neuron.rest(t, left);
                refractory -= left;
                t = until;
                if refractory == 0.0 {
                    from = t;
                }
                break;
            }
            if refractory > 0.0 {
                neuron.rest(t, refractory);
                t += refractory;
                refractory = 0.0;
                from = t;
            }
            match neuron.integrate(t, until - t) {
                None => {
                    t = until;
                    break;
                }
                Some(t_cross) => {
                    t += t_cross;
                    spike(neuron, t, &mut emitted);
                    refractory = tau_ref;
                }
            }
        }
        let Some(input) = inputs.get(next) else {
            break;
        };
        neuron.kick(input.weight);
        next += 1;
    }
    StepEnd {
        refractory_left: refractory,
        from: if refractory > 0.0 { dt } else { from },
    }
}
