//! The network's state, neuron by neuron in arrays (so the first-order pass
//! vectorizes): v, the filter stages, when each neuron rests, and what its
//! last event step was. A refractory neuron rests through whole steps at no
//! cost: only the step it wakes in is an event.

use aligned_vec::{AVec, ConstAlign};

/// Values neuron by neuron, every array starting on a page (4096 bytes).
/// On a cache line (64 bytes) at least: the vectorized passes load and
/// store 8 neurons at a time, a whole line of an array that starts on one;
/// an array starting inside a line (where the allocator puts a `Vec`, 16
/// bytes in) splits every such access across two lines (the benchmark
/// network ran 6–8% slower at N = 1,000 and 10,000, benches/HISTORY.md,
/// "Time to result"). On a page, so that neuron i lies at the same offset modulo 4096
/// in every array: a CPU matches a load against the stores still on their
/// way by the address's low 12 bits first, and a load from one array that
/// meets a store just made to another 4096 bytes apart waits for it (4K
/// aliasing). Where the allocator put v and s one line apart modulo 4096
/// (it did when a spikes file was opened before the network was built),
/// each block's load of v met the store of s just before it, and the
/// grid pass took a third to a half longer at N = 1,000. With every array
/// on a page, a pass's loads of a block come before its stores to that
/// block, and the next store at the same low 12 bits is 4096 bytes, 64
/// blocks, on.
pub(super) type Aligned<T> = AVec<T, ConstAlign<PAGE>>;

/// Where each `Aligned` array starts.
const PAGE: usize = 4096;

/// `values` in an `Aligned`.
pub(super) fn aligned<T: Clone>(values: &[T]) -> Aligned<T> {
    AVec::from_slice(PAGE, values)
}

/// `n` times `value` in an `Aligned`.
pub(super) fn aligned_of<T: Clone>(value: T, n: usize) -> Aligned<T> {
    AVec::from_iter(PAGE, std::iter::repeat_n(value, n))
}

/// When each neuron rests: a refractory neuron holds v = 0 through every
/// step before `wake_step[i]` and is still refractory for `refractory_s[i]`
/// at the start of that step; both change only in a step with an event, so
/// the steps in between cost nothing. Steps count from 1, so 0 never wakes.
/// `active_from[i]` is the offset in the current step from which neuron i
/// integrates without interruption to the step's end (dt when refractory at
/// the end), and `active_kind[i]` says the same in a byte (`Active`), kept
/// with it by every write (`set_active_from`): the delivery reads the byte
/// for each target, from a line of the cache that holds 64 neurons, and the
/// f64 only for the few that wake inside the step.
#[derive(Debug, Clone)]
pub(super) struct Rest {
    pub(super) wake_step: Aligned<u64>,
    pub(super) refractory_s: Vec<f64>,
    active_from: Vec<f64>,
    active_kind: Vec<u8>,
}

/// Where in the step a neuron integrates from, as a byte: the whole step
/// (`active_from` 0: every input of the step reaches v), none of it
/// (dt: resting at the step's end), or from inside it (`active_from` says
/// where).
pub(super) struct Active;

impl Active {
    pub(super) const WHOLE_STEP: u8 = 0;
    pub(super) const AT_REST: u8 = 1;
    pub(super) const FROM_INSIDE: u8 = 2;

    /// The byte for `from` in a step of `dt`.
    #[inline]
    pub(super) fn kind(from: f64, dt: f64) -> u8 {
        if from == 0.0 {
            Self::WHOLE_STEP
        } else if from == dt {
            Self::AT_REST
        } else {
            Self::FROM_INSIDE
        }
    }
}

/// A run of neurons' `active_from` and `active_kind`, read.
#[derive(Clone, Copy)]
pub(super) struct ActiveFrom<'a> {
    pub(super) from: &'a [f64],
    pub(super) kind: &'a [u8],
}

/// Each neuron's last event step (its own event path, or a re-solve), its
/// refractory time at that step's start, and the offset of its last spike
/// in that step (-inf: none): what a re-solve starts from, and what tells a
/// delivery whether an input came before a spike of its target.
#[derive(Debug, Clone)]
pub(super) struct LastEvent {
    pub(super) step: Vec<u64>,
    pub(super) start_refractory: Vec<f64>,
    pub(super) last_spike_s: Vec<f64>,
}

/// Every neuron's state.
#[derive(Debug, Clone)]
pub(super) struct NeuronArrays {
    /// Membrane potentials v_i.
    pub(super) v: Aligned<f64>,
    /// Filter stages, neuron-major: neuron i's are `stages[i*(n+1)..(i+1)*(n+1)]`.
    pub(super) stages: Aligned<f64>,
    pub(super) rest: Rest,
    pub(super) last_event: LastEvent,
    /// The index of the last step taken, counted in substeps
    /// (substeps.rs): in steps of dt / `substeps`.
    pub(super) step_index: u64,
    /// How many substeps a step is taken as now, and the network's spike
    /// rate lately (none before the first step), from which the next
    /// step's are chosen (substeps.rs).
    pub(super) substeps: u32,
    pub(super) spike_rate_hz: Option<f64>,
}

impl NeuronArrays {
    /// Neurons at `v_init`, empty filters of `ns` stages, none refractory.
    pub(super) fn new(v_init: &[f64], ns: usize) -> Self {
        let n = v_init.len();
        Self {
            stages: aligned_of(0.0, n * ns),
            v: aligned(v_init),
            rest: Rest {
                wake_step: aligned_of(0, n),
                refractory_s: vec![0.0; n],
                active_from: vec![0.0; n],
                active_kind: vec![Active::WHOLE_STEP; n],
            },
            last_event: LastEvent {
                step: vec![0; n],
                start_refractory: vec![0.0; n],
                last_spike_s: vec![f64::NEG_INFINITY; n],
            },
            step_index: 0,
            substeps: 1,
            spike_rate_hz: None,
        }
    }
}

/// A run of neurons' rest record, borrowed: all of it, or one thread's part.
pub(super) struct RestMut<'a> {
    pub(super) wake_step: &'a mut [u64],
    pub(super) refractory_s: &'a mut [f64],
    active_from: &'a mut [f64],
    active_kind: &'a mut [u8],
}

impl Rest {
    pub(super) fn as_mut(&mut self) -> RestMut<'_> {
        RestMut {
            wake_step: &mut self.wake_step,
            refractory_s: &mut self.refractory_s,
            active_from: &mut self.active_from,
            active_kind: &mut self.active_kind,
        }
    }

    /// Where each neuron integrates from in the current step.
    pub(super) fn active(&self) -> ActiveFrom<'_> {
        ActiveFrom {
            from: &self.active_from,
            kind: &self.active_kind,
        }
    }

    /// Neuron i integrates from `from` in the current step of `dt`.
    pub(super) fn set_active_from(&mut self, i: usize, from: f64, dt: f64) {
        self.as_mut().set_active_from(i, from, dt);
    }

    /// Every neuron that woke inside the last step integrates from the
    /// start of the next one, of `dt`.
    pub(super) fn awake_from_start(&mut self, dt: f64) {
        let mut rest = self.as_mut();
        for i in 0..rest.active_from.len() {
            rest.awake_from_start(i, dt);
        }
    }

    /// After a change of dt from `old_dt`: where each neuron integrates
    /// from, said in the new step's terms. A neuron awake at the last
    /// step's end integrates from the next one's start (0); one resting
    /// then, from its end (the new dt) unless it wakes inside the step,
    /// which its event path records. Left in the old step's terms, a
    /// wake-up later than the new dt read as resting (inputs early in the
    /// next steps missed v), and a rest's old dt inside a longer new step
    /// as awake.
    pub(super) fn restate_active_from(&mut self, old_dt: f64, dt: f64) {
        for i in 0..self.active_from.len() {
            let from = if self.active_from[i] < old_dt {
                0.0
            } else {
                dt
            };
            self.set_active_from(i, from, dt);
        }
    }
}

impl<'a> RestMut<'a> {
    /// The neurons before `mid` and those from it.
    pub(super) fn split_at_mut(self, mid: usize) -> (RestMut<'a>, RestMut<'a>) {
        let (wake_step, wake_step2) = self.wake_step.split_at_mut(mid);
        let (refractory_s, refractory_s2) = self.refractory_s.split_at_mut(mid);
        let (active_from, active_from2) = self.active_from.split_at_mut(mid);
        let (active_kind, active_kind2) = self.active_kind.split_at_mut(mid);
        (
            RestMut {
                wake_step,
                refractory_s,
                active_from,
                active_kind,
            },
            RestMut {
                wake_step: wake_step2,
                refractory_s: refractory_s2,
                active_from: active_from2,
                active_kind: active_kind2,
            },
        )
    }

    /// Where each of the run's neurons integrates from, read for as long
    /// as the run was borrowed.
    pub(super) fn into_active(self) -> ActiveFrom<'a> {
        ActiveFrom {
            from: self.active_from,
            kind: self.active_kind,
        }
    }

    /// Neuron k integrates from `from` in the current step of `dt`: from 0
    /// to dt, dt where it rests through the step (the deliveries read a
    /// value between as waking inside it).
    #[inline]
    pub(super) fn set_active_from(&mut self, k: usize, from: f64, dt: f64) {
        self.active_from[k] = from;
        self.active_kind[k] = Active::kind(from, dt);
    }

    /// Neuron k, if it woke inside the last step, integrates from the
    /// start of the next one, of `dt`. Selects on the bits rather than a
    /// branch on whether it did: the last step's event neurons are asked,
    /// and whether one spiked (and rests) is a coin toss to a predictor.
    #[inline]
    pub(super) fn awake_from_start(&mut self, k: usize, dt: f64) {
        let from = self.active_from[k];
        let awake = from < dt;
        self.active_from[k] = f64::from_bits(if awake { 0 } else { from.to_bits() });
        let kind = self.active_kind[k];
        self.active_kind[k] = if awake { Active::WHOLE_STEP } else { kind };
    }

    /// Neuron k's refractory time at the start of step `step`: None when it
    /// rests through the whole step.
    #[inline]
    pub(super) fn at_start(&self, k: usize, step: u64) -> Option<f64> {
        refractory_at_start(self.wake_step[k], self.refractory_s[k], step)
    }

    /// Records the end of neuron k's event step `step` of `dt`: refractory
    /// for `refractory` after it, else integrating from `from`.
    #[inline]
    pub(super) fn end_event_step(
        &mut self,
        k: usize,
        step: u64,
        dt: f64,
        refractory: f64,
        from: f64,
    ) {
        if refractory > 0.0 {
            (self.wake_step[k], self.refractory_s[k]) = rest_from(step + 1, refractory, dt);
            self.set_active_from(k, dt, dt);
        } else {
            // Awake from this step on (a re-solve may undo a rest that an
            // event path had begun).
            self.wake_step[k] = self.wake_step[k].min(step);
            self.refractory_s[k] = 0.0;
            self.set_active_from(k, from, dt);
        }
    }
}

/// A run of neurons' last-event record, borrowed.
pub(super) struct LastEventMut<'a> {
    pub(super) step: &'a mut [u64],
    pub(super) start_refractory: &'a mut [f64],
    pub(super) last_spike_s: &'a mut [f64],
}

impl LastEvent {
    pub(super) fn as_mut(&mut self) -> LastEventMut<'_> {
        LastEventMut {
            step: &mut self.step,
            start_refractory: &mut self.start_refractory,
            last_spike_s: &mut self.last_spike_s,
        }
    }
}

impl<'a> LastEventMut<'a> {
    pub(super) fn split_at_mut(self, mid: usize) -> (LastEventMut<'a>, LastEventMut<'a>) {
        let (step, step2) = self.step.split_at_mut(mid);
        let (start_refractory, start_refractory2) = self.start_refractory.split_at_mut(mid);
        let (last_spike_s, last_spike_s2) = self.last_spike_s.split_at_mut(mid);
        (
            LastEventMut {
                step,
                start_refractory,
                last_spike_s,
            },
            LastEventMut {
                step: step2,
                start_refractory: start_refractory2,
                last_spike_s: last_spike_s2,
            },
        )
    }

    /// Neuron k begins an event step `step`, refractory for `refractory` at
    /// its start, with no spike yet.
    #[inline]
    pub(super) fn begin(&mut self, k: usize, step: u64, refractory: f64) {
        self.step[k] = step;
        self.start_refractory[k] = refractory;
        self.last_spike_s[k] = f64::NEG_INFINITY;
    }
}

/// A neuron's refractory time at the start of step `step`, given the step
/// it wakes in and the time it has left then: None when it rests through
/// the whole step.
#[inline]
pub(super) fn refractory_at_start(wake_step: u64, refractory_s: f64, step: u64) -> Option<f64> {
    match wake_step.cmp(&step) {
        std::cmp::Ordering::Greater => None,
        std::cmp::Ordering::Equal => Some(refractory_s.max(0.0)),
        std::cmp::Ordering::Less => Some(0.0),
    }
}

/// A neuron refractory for `left` from the start of step `from_step` rests
/// through m = floor(left/dt) whole steps and wakes in the next, with
/// left - m dt in [0, dt) still to rest: (that step, the time left then).
pub(super) fn rest_from(from_step: u64, left: f64, dt: f64) -> (u64, f64) {
    if left < dt {
        return (from_step, left);
    }
    let whole = (left / dt).floor();
    let (mut m, mut rest) = (whole as u64, left - whole * dt);
    // The quotient is rounded: one step back or on puts rest in [0, dt).
    if rest < 0.0 {
        m -= 1;
        rest += dt;
    } else if rest >= dt {
        m += 1;
        rest -= dt;
    }
    (from_step + m, rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rest_is_whole_steps_and_a_remainder_below_dt() {
        for dt in [1e-4, 0.7e-4, 0.1e-3 / 3.0, 0.02] {
            for k in 0..4000 {
                let left = k as f64 * 1.37e-6;
                let (wake, rest) = rest_from(10, left, dt);
                assert!((0.0..dt).contains(&rest), "dt {dt} left {left}: {rest}");
                let whole = (wake - 10) as f64 * dt;
                assert!((whole + rest - left).abs() <= 1e-15, "dt {dt} left {left}");
            }
        }
        assert_eq!(rest_from(3, 2e-3, 1e-3), (5, 0.0));
    }
}
