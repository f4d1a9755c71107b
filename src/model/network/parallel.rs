//! How a first-order step is shared between threads: a network of at least
//! `PARALLEL_NEURONS` is cut in two parts at a cache-line boundary; each
//! part integrates its neurons on its own thread, then each delivers all the
//! step's spikes, in the same order, to its own neurons, so every sum is
//! formed as on one thread and the results are the same to the last bit.

use std::sync::Arc;

use super::Step;
use super::connections::Connections;
use super::delivery::{Delivery, SuspectFinder, over_all};
use super::first_order::{FirstOrderPropagator, Part};
use super::fork_join::ForkJoin;
use super::state::Rest;
use crate::model::runaway_spikes;

/// Networks from this size share the first-order step with a helper thread:
/// below it, handing work over costs about as much as it saves, and a busy
/// second core makes it slower (measured with `examples/net_speed`).
pub(super) const PARALLEL_NEURONS: usize = 4096;
/// The delivery of a step is shared from this many synapses.
pub(super) const PARALLEL_SYNAPSES: usize = 2048;

/// The threads a network's step may use.
#[derive(Debug, Clone)]
pub(super) struct Exec {
    /// How many threads the step may use (1 or 2), and the helper thread
    /// once a step has used two.
    threads: usize,
    helper: Option<Arc<ForkJoin>>,
    /// Where the second part started in the last step (N: no second part),
    /// and where each neuron's targets in it start in the connections.
    last_split: usize,
    second_part_targets: Vec<usize>,
}

impl Exec {
    pub(super) fn new(n: usize) -> Self {
        Self {
            threads: crate::sysmem::cores().min(2),
            helper: None,
            last_split: n,
            second_part_targets: Vec::new(),
        }
    }

    /// How many threads a step of `n` neurons uses (first order; the
    /// other orders step on one).
    pub(super) fn threads_for(&self, n: usize) -> usize {
        if self.threads > 1 && n >= PARALLEL_NEURONS {
            2
        } else {
            1
        }
    }

    pub(super) fn set_threads(&mut self, threads: usize) {
        self.threads = threads.clamp(1, 2);
        if self.threads == 1 {
            self.helper = None;
        }
    }

    /// Where the second part of a first-order step starts: N (one part)
    /// below `PARALLEL_NEURONS` neurons or on one thread, else half way, on
    /// a whole cache line of every array, with the helper thread started.
    /// On a change it finds where each neuron's targets in the second part
    /// start, and the exact step's event lists, kept per part, start afresh
    /// (see `Part::integrate`).
    pub(super) fn split_parts(
        &mut self,
        connections: &Connections,
        rest: &mut Rest,
        dt: f64,
        event_counts: &mut [usize; 2],
    ) -> usize {
        let n = rest.wake_step.len();
        if self.threads > 1 && n >= PARALLEL_NEURONS && self.helper.is_none() {
            self.helper = ForkJoin::start().map(Arc::new);
            if self.helper.is_none() {
                self.threads = 1;
            }
        }
        let split = if self.helper.is_some() && n >= PARALLEL_NEURONS {
            (n / 2) & !7
        } else {
            n
        };
        if split != self.last_split {
            rest.awake_from_start(dt);
            *event_counts = [0; 2];
            self.last_split = split;
            self.second_part_targets = connections.first_targets_from(split);
        }
        split
    }

    /// The helper thread, where the step has two parts.
    pub(super) fn helper_for(&self, split: usize, n: usize) -> Option<&Arc<ForkJoin>> {
        self.helper.as_ref().filter(|_| split < n)
    }

    /// Where each neuron's targets in the second part start.
    pub(super) fn second_part_targets(&self) -> &[usize] {
        &self.second_part_targets
    }

    /// The first-order pass and event paths of both parts (`Part::integrate`),
    /// their spikes joined in `spikes`. Whether every state stayed finite.
    pub(super) fn integrate_parts(
        &self,
        step: &mut Step,
        split: usize,
        c: &FirstOrderPropagator,
    ) -> bool {
        let n = step.state.v.len();
        let helper = self.helper_for(split, n);
        let scratch = &mut *step.scratch;
        let state = &mut *step.state;
        let (v, v2) = state.v.split_at(split);
        let (s, s2) = state.stages.split_at(split);
        let (drive, drive2) = step.drive.split_at(split);
        let (next_v, next_v2) = scratch.next_v.split_at_mut(split);
        let (next_s, next_s2) = scratch.next_s.split_at_mut(split);
        let (rest, rest2) = state.rest.as_mut().split_at_mut(split);
        let (last_event, last_event2) = state.last_event.as_mut().split_at_mut(split);
        let (event, event2) = scratch.event.split_at_mut(split);
        let (event_index, event_index2) = scratch.event_index.split_at_mut(split);
        let [event_count, event_count2] = &mut scratch.event_counts;
        scratch.spikes_second.clear();
        let spike_limit = runaway_spikes(n);
        let mut first = Part {
            first: 0,
            v,
            s,
            drive,
            next_v,
            next_s,
            rest,
            last_event,
            event,
            event_index,
            event_count,
            spikes: &mut scratch.spikes,
            spike_limit,
        };
        let finite = match helper {
            None => first.integrate(c),
            Some(helper) => {
                let mut second = Part {
                    first: split,
                    v: v2,
                    s: s2,
                    drive: drive2,
                    next_v: next_v2,
                    next_s: next_s2,
                    rest: rest2,
                    last_event: last_event2,
                    event: event2,
                    event_index: event_index2,
                    event_count: event_count2,
                    spikes: &mut scratch.spikes_second,
                    spike_limit,
                };
                let (mut finite, mut finite2) = (true, true);
                helper.join(
                    || finite = first.integrate(c),
                    || finite2 = second.integrate(c),
                );
                finite && finite2
            }
        };
        scratch.spikes.extend_from_slice(&scratch.spikes_second);
        finite
    }

    /// The first-order delivery, shared between the parts only when there is
    /// enough of it to share. Two parts never re-solve
    /// (`EXACT_IN_STEP_BELOW`), so they look for no suspects.
    pub(super) fn deliver_first_order(
        &self,
        step: &mut Step,
        split: usize,
        c: &FirstOrderPropagator,
    ) {
        let n = step.state.v.len();
        let connections = step.connections;
        let spikes = &step.scratch.spikes[..];
        let shared = self.helper_for(split, n).filter(|_| {
            let synapses: usize = spikes.iter().map(|s| connections.fan_out(s.neuron)).sum();
            synapses >= PARALLEL_SYNAPSES
        });
        let state = &mut *step.state;
        match shared {
            Some(helper) => {
                let mid = &self.second_part_targets;
                let (s, s2) = state.stages.split_at_mut(split);
                let (v, v2) = state.v.split_at_mut(split);
                let (active, active2) = state.rest.active().split_at(split);
                let (mut none, mut none2) = (Vec::new(), Vec::new());
                helper.join(
                    || {
                        let mut first = Delivery {
                            c,
                            connections,
                            targets: |j: usize| connections.range(j).start..mid[j],
                            first: 0,
                            s,
                            v,
                            active,
                        };
                        first.deliver::<false>(spikes, 1.0, &mut SuspectFinder::none(&mut none));
                    },
                    || {
                        let mut second = Delivery {
                            c,
                            connections,
                            targets: |j: usize| mid[j]..connections.range(j).end,
                            first: split,
                            s: s2,
                            v: v2,
                            active: active2,
                        };
                        second.deliver::<false>(spikes, 1.0, &mut SuspectFinder::none(&mut none2));
                    },
                );
            }
            None => {
                let find_suspects = step.resolve.enabled();
                let targets = |j: usize| connections.range(j);
                let suspects = &mut step.resolve.suspects;
                let (mut all, mut finder) =
                    over_all(c, connections, targets, state, step.drive, suspects);
                if find_suspects {
                    all.deliver::<true>(spikes, 1.0, &mut finder);
                } else {
                    all.deliver::<false>(spikes, 1.0, &mut finder);
                }
            }
        }
    }
}

impl<'a> SuspectFinder<'a> {
    /// A finder for a delivery that looks for no suspects.
    pub(super) fn none(list: &'a mut Vec<u32>) -> Self {
        Self {
            event_step: &[],
            last_spike_s: &[],
            drive: &[],
            suspects: list,
        }
    }
}
