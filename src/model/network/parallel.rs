//! How a first-order step is shared between threads: a network of at least
//! `PARALLEL_NEURONS` is cut in two parts at a cache-line boundary; each
//! part integrates its neurons on its own thread, then each delivers all the
//! step's spikes, in the same order, to its own neurons, so every sum is
//! formed as on one thread and the results are the same to the last bit.
//! The exact step hands its two phases over at once
//! (`ForkJoin::join_phased`): each part sorts its own spikes and merges
//! both lists itself, so nothing of the step runs on one thread alone.

use std::sync::Arc;

use super::Step;
use super::connections::Connections;
use super::delivery::{DeliveryPart, SuspectFinder, over_all};
use super::first_order::{FirstOrderPropagator, Part};
use super::fork_join::ForkJoin;
use super::solve::StepSpike;
use super::state::Rest;
use crate::model::runaway_spikes;

/// Networks from this size share the first-order step with a helper thread:
/// below it, handing work over costs about as much as it saves, and a busy
/// second core makes it slower (measured with `examples/net_speed`).
pub(super) const PARALLEL_NEURONS: usize = 4096;

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
            // The cores are only asked (`sysmem::cores`, which reads the
            // process's cgroup files) where a step may use two.
            threads: if n >= PARALLEL_NEURONS {
                crate::sysmem::cores().min(2)
            } else {
                1
            },
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

    /// How many two-part steps the helper took part in, of how many.
    pub(super) fn helper_share(&self) -> Option<(u64, u64)> {
        self.helper
            .as_ref()
            .map(|h| h.helper_share())
            .filter(|&(_, all)| all > 0)
    }

    /// Where each neuron's targets in the second part start.
    pub(super) fn second_part_targets(&self) -> &[usize] {
        &self.second_part_targets
    }

    /// The first-order pass and event paths of a step on one part
    /// (`Part::integrate`): whether every state stayed finite.
    pub(super) fn integrate_one_part(step: &mut Step, c: &FirstOrderPropagator) -> bool {
        let n = step.state.v.len();
        let scratch = &mut *step.scratch;
        let state = &mut *step.state;
        Part {
            first: 0,
            v: &state.v,
            s: &state.stages,
            drive: step.drive,
            next_v: &mut scratch.next_v,
            next_s: &mut scratch.next_s,
            rest: state.rest.as_mut(),
            last_event: state.last_event.as_mut(),
            event: &mut scratch.event,
            event_index: &mut scratch.event_index,
            event_count: &mut scratch.event_counts[0],
            spikes: &mut scratch.spikes,
            spike_limit: runaway_spikes(n),
        }
        .integrate(c)
    }

    /// A first-order step on two parts, each on its thread: each part's
    /// pass and event paths, its spikes sorted; then, once both are done,
    /// each merges the two lists into the step's time order and delivers
    /// them all to its own neurons, into the state at the step's end (in
    /// `next_v`, `next_s`, swapped in after). One hand-over a step: the
    /// parts meet between the phases without the caller. The step's
    /// spikes are left in `spikes`, in time order. Returns whether every
    /// state stayed finite.
    pub(super) fn step_in_two_parts(
        &self,
        helper: &ForkJoin,
        step: &mut Step,
        split: usize,
        c: &FirstOrderPropagator,
    ) -> bool {
        let n = step.state.v.len();
        let connections = step.connections;
        let mid = &self.second_part_targets[..];
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
        let (merged, merged2) = (
            &mut scratch.spikes_merged,
            &mut scratch.spikes_second_merged,
        );
        scratch.spikes_second.clear();
        let spike_limit = runaway_spikes(n);
        let first = Part {
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
        let second = Part {
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
        let mut finite = true;
        helper.join_phased(
            (
                || first.integrate_sorted(c),
                |part: DeliveryPart,
                 (finite_a, a): &(bool, &[StepSpike]),
                 (finite_b, b): &(bool, &[StepSpike])| {
                    finite = *finite_a && *finite_b;
                    merge_in_time_order(a, b, merged);
                    if merged.len() < spike_limit {
                        part.deliver(
                            c,
                            connections,
                            |j| connections.range(j).start..mid[j],
                            merged,
                        );
                    }
                },
            ),
            (
                || second.integrate_sorted(c),
                |part: DeliveryPart,
                 (_, a): &(bool, &[StepSpike]),
                 (_, b): &(bool, &[StepSpike])| {
                    merge_in_time_order(a, b, merged2);
                    if merged2.len() < spike_limit {
                        part.deliver(
                            c,
                            connections,
                            |j| mid[j]..connections.range(j).end,
                            merged2,
                        );
                    }
                },
            ),
        );
        std::mem::swap(&mut scratch.spikes, &mut scratch.spikes_merged);
        finite
    }

    /// The first-order delivery of a step on one part, with the re-solve's
    /// tests where it re-solves.
    pub(super) fn deliver_first_order(step: &mut Step, c: &FirstOrderPropagator) {
        let connections = step.connections;
        let spikes = &step.scratch.spikes[..];
        let find_suspects = step.resolve.enabled();
        let targets = |j: usize| connections.range(j);
        let suspects = &mut step.resolve.suspects;
        let (mut all, mut finder) =
            over_all(c, connections, targets, step.state, step.drive, suspects);
        if find_suspects {
            all.deliver::<true>(spikes, 1.0, &mut finder);
        } else {
            all.deliver::<false>(spikes, 1.0, &mut finder);
        }
    }
}

/// `a` and `b`, each in time order (`StepSpike::order`), merged into `out`
/// in that order: the list a sort of both gives, the order being total.
fn merge_in_time_order(a: &[StepSpike], b: &[StepSpike], out: &mut Vec<StepSpike>) {
    out.clear();
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if StepSpike::order(&b[j], &a[i]).is_lt() {
            out.push(b[j]);
            j += 1;
        } else {
            out.push(a[i]);
            i += 1;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
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
