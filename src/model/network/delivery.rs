//! The first-order delivery: each spike of the step reaches its targets'
//! s and v at its exact offset, in closed form, and (below
//! `EXACT_IN_STEP_BELOW` neurons) the targets an input may have made cross
//! are listed for the re-solve (resolve.rs).

use super::connections::{Connections, Synapse};
use super::first_order::FirstOrderPropagator;
use super::kernel::prefetch;
use super::solve::StepSpike;
use super::state::{Active, ActiveFrom, NeuronArrays};

/// Where a first-order delivery goes: neurons `first..first + v.len()`
/// (their s, v and where each integrates from in the step), `targets(j)` indexing neuron j's targets
/// among them in the connections.
pub(super) struct Delivery<'a, F: Fn(usize) -> std::ops::Range<usize>> {
    pub(super) c: &'a FirstOrderPropagator,
    pub(super) connections: &'a Connections,
    pub(super) targets: F,
    pub(super) first: usize,
    pub(super) s: &'a mut [f64],
    pub(super) v: &'a mut [f64],
    pub(super) active: ActiveFrom<'a>,
}

/// One part's neurons at the step's end, as a delivery to them needs
/// them: from neuron `first`, their s and v, and where each integrates from.
pub(super) struct DeliveryPart<'a> {
    pub(super) first: usize,
    pub(super) s: &'a mut [f64],
    pub(super) v: &'a mut [f64],
    pub(super) active: ActiveFrom<'a>,
}

impl DeliveryPart<'_> {
    /// Delivers `spikes`, in time order, to the part's neurons, with
    /// `targets(j)` indexing neuron j's targets among them; no re-solve
    /// (a network on two parts does not re-solve, `EXACT_IN_STEP_BELOW`).
    pub(super) fn deliver(
        self,
        c: &FirstOrderPropagator,
        connections: &Connections,
        targets: impl Fn(usize) -> std::ops::Range<usize>,
        spikes: &[StepSpike],
    ) {
        let mut none = Vec::new();
        let mut delivery = Delivery {
            c,
            connections,
            targets,
            first: self.first,
            s: self.s,
            v: self.v,
            active: self.active,
        };
        delivery.deliver::<false>(spikes, 1.0, &mut SuspectFinder::none(&mut none));
    }
}

/// What tells a delivery which targets to re-solve: each neuron's last
/// event step and its last spike then, and its drive; the list they go to.
pub(super) struct SuspectFinder<'a> {
    pub(super) event_step: &'a [u64],
    pub(super) last_spike_s: &'a [f64],
    pub(super) drive: &'a [f64],
    pub(super) suspects: &'a mut Vec<u32>,
}

/// A delivery to every neuron of `state` and the finder of its suspects,
/// borrowing the state's parts each needs.
pub(super) fn over_all<'a, F: Fn(usize) -> std::ops::Range<usize>>(
    c: &'a FirstOrderPropagator,
    connections: &'a Connections,
    targets: F,
    state: &'a mut NeuronArrays,
    drive: &'a [f64],
    suspects: &'a mut Vec<u32>,
) -> (Delivery<'a, F>, SuspectFinder<'a>) {
    let delivery = Delivery {
        c,
        connections,
        targets,
        first: 0,
        s: &mut state.stages,
        v: &mut state.v,
        active: state.rest.active(),
    };
    let finder = SuspectFinder {
        event_step: &state.last_event.step,
        last_spike_s: &state.last_event.last_spike_s,
        drive,
        suspects,
    };
    (delivery, finder)
}

impl<F: Fn(usize) -> std::ops::Range<usize>> Delivery<'_, F> {
    /// Each spike's impulse w/tau_s at offset τ reaches s as e^(-(dt-τ)/tau_s)
    /// w/tau_s and v as g_0(dt - τ) w/tau_s by the step's end, times `scale`
    /// (-1 takes a delivery back). With FIND_SUSPECTS, the targets an input
    /// may have made cross, or whose crossing it may have moved, go to the
    /// finder's list (see resolve.rs). The spikes come in time order, so a
    /// target's state after a delivery is the end of its trajectory with the
    /// inputs so far, which has no other input up to the next one.
    #[inline]
    pub(super) fn deliver<const FIND_SUSPECTS: bool>(
        &mut self,
        spikes: &[StepSpike],
        scale: f64,
        finder: &mut SuspectFinder,
    ) {
        let c = self.c;
        let dt = c.dt;
        let reach = c.reach();
        let synapses = self.connections.synapses();
        // The spikes' connection lists lie anywhere in a large network's
        // memory: each is requested two spikes ahead of its use (all at once
        // would overflow the queue of outstanding requests).
        let request = |k: usize| {
            if let Some(spike) = spikes.get(k) {
                prefetch(&synapses[(self.targets)(spike.neuron)]);
            }
        };
        request(0);
        request(1);
        for (
            k,
            &StepSpike {
                neuron: j,
                offset_s: offset,
            },
        ) in spikes.iter().enumerate()
        {
            request(k + 2);
            let r = (self.targets)(j);
            if r.is_empty() {
                continue;
            }
            let (e_s, g) = c.input_coef(dt - offset);
            let (gs, gv) = (scale * e_s * c.rate_s, scale * g * c.rate_s);
            // The input reaches v of a target that integrates from before
            // it: of every one integrating the whole step, and, at the
            // step's very end, of one at rest from there too (those waking
            // inside the step are looked at one by one).
            let reaches_below = if offset >= dt {
                Active::FROM_INSIDE
            } else {
                Active::AT_REST
            };
            // One length for the arrays: one bounds check a target.
            let n = self.s.len();
            let (s, v) = (&mut self.s[..n], &mut self.v[..n]);
            let (active_from, active_kind) = (&self.active.from[..n], &self.active.kind[..n]);
            // The finder's arrays cut to the same length where it looks: a
            // bounds check each, each target, with its length read from
            // memory, was 7% of the delivery's instructions (callgrind, N =
            // 1,000).
            let looks = if FIND_SUSPECTS {
                finder.cut(n)
            } else {
                SuspectArrays::NONE
            };
            for &Synapse { target, weight: w } in &synapses[r] {
                let i = target as usize - self.first;
                let si = s[i] + w * gs;
                s[i] = si;
                let kind = active_kind[i];
                // No branch on whether the target rests at the input (one in
                // twelve does in the benchmark network, unpredictably: 14%
                // of a run at N = 10,000): a select on its kind, a byte (the
                // f64 `active_from` of a target was a third line of the cache
                // to wait for, 22% of the delivery at N = 10,000), then one
                // branch rarely taken, for a target that wakes inside the
                // step: it wakes after the input when min(from - offset,
                // dt - from) > 0 (the difference of two doubles is 0 only
                // where they are equal, so nothing is lost to underflow; a
                // NaN fails it, as it fails each comparison). `integrating`:
                // whether the target integrates at the input (from <= offset).
                let mut integrating = kind < reaches_below;
                let (v0, vi) = (v[i], v[i] + w * gv);
                v[i] = if integrating { vi } else { v0 };
                if kind == Active::FROM_INSIDE {
                    let from = active_from[i];
                    integrating = from <= offset;
                    v[i] = if integrating { vi } else { v0 };
                    if (from - offset).min(dt - from) > 0.0 {
                        v[i] += scale * w * c.late_start_gain(offset, from);
                    }
                }
                if FIND_SUSPECTS
                    && looks.is_suspect(i, (integrating, kind), (v[i], si), offset, (c, reach))
                {
                    finder.suspects.push(target);
                }
            }
        }
    }
}

/// The arrays a `SuspectFinder` reads, cut to the delivery's targets.
#[derive(Clone, Copy)]
struct SuspectArrays<'a> {
    event_step: &'a [u64],
    last_spike_s: &'a [f64],
    drive: &'a [f64],
}

impl<'a> SuspectFinder<'a> {
    /// Its arrays cut to the first `n` neurons.
    #[inline(always)]
    fn cut(&self, n: usize) -> SuspectArrays<'a> {
        SuspectArrays {
            event_step: &self.event_step[..n],
            last_spike_s: &self.last_spike_s[..n],
            drive: &self.drive[..n],
        }
    }
}

impl SuspectArrays<'_> {
    /// For a delivery that does not look.
    const NONE: Self = SuspectArrays {
        event_step: &[],
        last_spike_s: &[],
        drive: &[],
    };

    /// Whether target i, with v and s at the step's end after an input at
    /// `offset`, must be re-solved: integrating at the input, if it ends
    /// above the threshold or may peak above it inside the step; refractory
    /// at it, if it does so after waking inside the step (its kind is
    /// `FROM_INSIDE`); and whatever its kind, if it spiked after the input
    /// (its last event is this step's). With tau_ref = 0 a neuron never
    /// rests, so one that spiked after the input integrates from the step's
    /// start by its kind: an inhibitory input before its crossing, which
    /// undid it, went unseen while only targets resting at the input were
    /// asked. Each of the first needs v + max(s, 0) `reach` >= 1 (see
    /// `may_peak`), tested first, near the threshold only; the last reads
    /// the target's event step without a branch on whether it integrates
    /// (which one in twelve does not, unpredictably).
    #[inline(always)]
    fn is_suspect(
        &self,
        i: usize,
        (integrating, kind): (bool, u8),
        (v, s): (f64, f64),
        offset: f64,
        (c, reach): (&FirstOrderPropagator, f64),
    ) -> bool {
        let crosses = v + s.max(0.0) * reach >= 1.0
            && (v > 1.0
                || ((integrating || kind == Active::FROM_INSIDE)
                    && may_peak(c, reach, v, s, || self.drive[i])));
        crosses || (self.event_step[i] == c.step && offset < self.last_spike_s[i])
    }
}

/// Whether v, ending a span of at most dt without input below the threshold
/// at `v_end` with s at `s_end` and drive I (read only if needed), may have
/// peaked above it inside the span. A peak, where dv/dt = (s + I - v)/tau_m
/// = 0 and d²v/dt² = -s/(tau_s tau_m) < 0, needs s > 0 (and s keeps its sign
/// as it decays), v falling at the end (s_end + I < v_end), and v there is
/// s + I with s at most s_end e^(dt/tau_s): below the threshold if
/// I + s_end / e^(-dt/tau_s) is. The two bounds on I together need
/// v_end + s_end `reach` >= 1 with s_end > 0, `reach` = e^(dt/tau_s) - 1,
/// tested first: near the threshold only.
#[inline]
pub(super) fn may_peak(
    c: &FirstOrderPropagator,
    reach: f64,
    v_end: f64,
    s_end: f64,
    drive: impl FnOnce() -> f64,
) -> bool {
    v_end + s_end * reach >= 1.0 && s_end > 0.0 && {
        let drive = drive();
        s_end + drive < v_end && drive + s_end / c.e_s >= 1.0
    }
}

#[cfg(test)]
mod tests {
    use super::super::first_order::tests::propagator_for;
    use super::super::propagator::late_start_gain;
    use super::*;
    use proptest::prelude::*;

    /// A delivery's case: the weights (row = target), the spikes in time
    /// order, where each target integrates from, v at the start (s is 0.5
    /// for all), and the sign (-1 takes the delivery back).
    struct Case<'a> {
        w: &'a [Vec<f64>],
        spikes: &'a [StepSpike],
        active_from: &'a [f64],
        v0: &'a [f64],
        scale: f64,
        /// Each target's last event step (the step is 1) and its last spike
        /// then.
        event_step: &'a [u64],
        last_spike_s: &'a [f64],
        drive: &'a [f64],
    }

    impl Case<'_> {
        /// The propagator, the connections, s and v at the start.
        fn start(&self) -> (FirstOrderPropagator, Connections, Vec<f64>, Vec<f64>) {
            let c = propagator_for(0.02, 0.005, 1e-4);
            (
                c,
                Connections::from_dense(self.w),
                vec![0.5; self.w.len()],
                self.v0.to_vec(),
            )
        }
    }

    /// s and v, bit for bit.
    fn bits(s: Vec<f64>, v: Vec<f64>) -> (Vec<u64>, Vec<u64>) {
        let bits = |x: Vec<f64>| x.into_iter().map(f64::to_bits).collect();
        (bits(s), bits(v))
    }

    /// s and v of 8 targets after the spikes reach them from 4 sources,
    /// with or without the re-solve's tests, and the suspects found.
    fn deliver(find_suspects: bool, case: &Case) -> ((Vec<u64>, Vec<u64>), Vec<u32>) {
        let (c, connections, mut s, mut v) = case.start();
        let active_from = case.active_from;
        let kind: Vec<u8> = active_from.iter().map(|&f| Active::kind(f, c.dt)).collect();
        let mut delivery = Delivery {
            c: &c,
            connections: &connections,
            targets: |j| connections.range(j),
            first: 0,
            s: &mut s,
            v: &mut v,
            active: ActiveFrom {
                from: active_from,
                kind: &kind,
            },
        };
        let mut suspects = Vec::new();
        let mut finder = SuspectFinder {
            event_step: case.event_step,
            last_spike_s: case.last_spike_s,
            drive: case.drive,
            suspects: &mut suspects,
        };
        if find_suspects {
            delivery.deliver::<true>(case.spikes, case.scale, &mut finder);
        } else {
            delivery.deliver::<false>(case.spikes, case.scale, &mut finder);
        }
        (bits(s, v), suspects)
    }

    /// The same as `deliver`, written as the closed forms say it, target
    /// by target, from each target's f64 `active_from`; the suspects as
    /// resolve.rs defines them, case by case: integrating at the input and
    /// ending above the threshold or may peak above it; refractory at it
    /// and doing so after waking inside the step; spiking after it, whether
    /// integrating at it or not (tau_ref = 0, or a rest that ended before).
    fn deliver_as_written(case: &Case) -> ((Vec<u64>, Vec<u64>), Vec<u32>) {
        let (c, connections, mut s, mut v) = case.start();
        let (scale, reach) = (case.scale, c.reach());
        let mut suspects = Vec::new();
        for spike in case.spikes {
            let offset = spike.offset_s;
            let (_, e_s, g) = c.coef(c.dt - offset);
            let (gs, gv) = (scale * e_s * c.rate_s, scale * g * c.rate_s);
            for (i, w) in connections.targets(spike.neuron) {
                s[i] += w * gs;
                let from = case.active_from[i];
                // Integrating from before the input: its whole effect.
                if from <= offset {
                    v[i] += w * gv;
                }
                // Waking after it inside the step: its effect from then.
                if offset < from && from < c.dt {
                    v[i] += scale * w * late_start_gain(&c.params, c.dt, offset, from);
                }
                let may_peak = may_peak(&c, reach, v[i], s[i], || case.drive[i]);
                let spiked_after = case.event_step[i] == c.step && offset < case.last_spike_s[i];
                let suspect = spiked_after
                    || if from <= offset {
                        v[i] + s[i].max(0.0) * reach >= 1.0 && (v[i] > 1.0 || may_peak)
                    } else {
                        v[i] > 1.0 || (from < c.dt && may_peak)
                    };
                if suspect {
                    suspects.push(i as u32);
                }
            }
        }
        (bits(s, v), suspects)
    }

    proptest! {
        /// The delivery without the re-solve's tests and the one with them
        /// (a select on each target's kind, and one branch for a target
        /// that wakes inside the step) leave every target's s and v to the
        /// last bit as the closed forms written target by target from the
        /// f64 `active_from`, and the one with the tests finds the suspects
        /// written case by case: targets awake from the step's start,
        /// waking before, at or after an input (by as little as the
        /// smallest double), resting through the step, spiking before or
        /// after an input, an input at the step's very end; a delivery and
        /// its taking back.
        #[test]
        fn both_deliveries_reach_the_same_state(
            w in prop::collection::vec(
                prop::collection::vec(prop_oneof![Just(0.0), -0.5..0.5f64], 8),
                8,
            ),
            mut offsets in prop::collection::vec(
                (0usize..8, prop_oneof![Just(0.0), 0.0..1e-4f64, Just(1e-4)]),
                1..6,
            ),
            // From 0 to dt, dt for a target at rest through the step, as the
            // engine holds it (`solve_step`'s `from`); a value past dt,
            // which no state holds, read as waking inside the step to one
            // delivery and resting through it to the other (a random
            // seed's failure on 2026-12-06).
            from in prop::collection::vec(
                prop_oneof![
                    Just(0.0),
                    0.0..1e-4f64,
                    Just(1e-4),
                    Just(-1.0),
                    // Waking a hair after an input at the step's start.
                    Just(f64::from_bits(1)),
                ],
                8,
            ),
            at_input in prop::collection::vec(any::<bool>(), 8),
            v0 in prop::collection::vec(prop_oneof![-0.5..0.99f64, 0.99..1.0f64, 1.0..1.01f64], 8),
            scale in prop_oneof![Just(1.0), Just(-1.0)],
            event_step in prop::collection::vec(0u64..2, 8),
            last_spike_s in prop::collection::vec(
                prop_oneof![Just(f64::NEG_INFINITY), 0.0..1e-4f64],
                8,
            ),
            // Around 1 - s/e^(-dt/tau_s), where a target below the
            // threshold at the end may have peaked above it (`may_peak`).
            drive in prop::collection::vec(prop_oneof![Just(1.2), 0.485..0.5f64], 8),
        ) {
            offsets.sort_by(|a, b| a.1.total_cmp(&b.1));
            let spikes: Vec<StepSpike> = offsets
                .iter()
                .map(|&(neuron, offset_s)| StepSpike { neuron, offset_s })
                .collect();
            // Some targets wake exactly at an input (-1 draws one).
            let from: Vec<f64> = from
                .iter()
                .zip(&at_input)
                .map(|(&f, &at)| if f < 0.0 || at && f == 0.0 { spikes[0].offset_s } else { f })
                .collect();
            let case = Case {
                w: &w,
                spikes: &spikes,
                active_from: &from,
                v0: &v0,
                scale,
                event_step: &event_step,
                last_spike_s: &last_spike_s,
                drive: &drive,
            };
            let (written, suspects) = deliver_as_written(&case);
            prop_assert_eq!(&deliver(false, &case).0, &written);
            prop_assert_eq!(&deliver(true, &case), &(written, suspects));
        }
    }

    /// With v a hair below the threshold at the step's end, s > 0 and a
    /// drive that lets v peak above it inside the step (`may_peak`), a
    /// target integrating at the input and one waking after it inside the
    /// step are suspects; one resting from before the input to the step's
    /// end, in the same state, is not (it cannot cross before it wakes).
    #[test]
    fn targets_that_may_peak_above_the_threshold_are_suspects() {
        let dt = 1e-4;
        let w = |i: usize| {
            if i == 0 {
                vec![0.0; 4]
            } else {
                vec![1e-9, 0.0, 0.0, 0.0]
            }
        };
        let w: Vec<Vec<f64>> = (0..4).map(w).collect();
        let case = Case {
            w: &w,
            spikes: &[StepSpike {
                neuron: 0,
                offset_s: 0.0,
            }],
            active_from: &[0.0, 0.0, dt / 2.0, dt],
            v0: &[0.0, 0.995, 0.995, 0.995],
            scale: 1.0,
            event_step: &[0; 4],
            last_spike_s: &[f64::NEG_INFINITY; 4],
            drive: &[0.492; 4],
        };
        let (written, suspects) = deliver_as_written(&case);
        assert_eq!(suspects, [1, 2]);
        assert_eq!(deliver(true, &case), (written, suspects));
    }
}
