//! Probes: bounded recent history of chosen variables, for the oscilloscope.
//!
//! One shared ring buffer of sample times and one per recorded variable, all
//! of the same capacity, plus a ring buffer of recent spikes. Nothing grows:
//! capacities are fixed when the probes are made and capped by
//! `MAX_PROBE_CAPACITY` before anything is allocated (ringbuffer 0.16 does not
//! check huge allocations).

use std::ops::Range;

use ringbuffer::{AllocRingBuffer, RingBuffer};

use super::{Monitor, Simulation};
use crate::model::Spike;
use crate::model::recordable::Recordable;

/// Largest number of samples a probe keeps per variable.
pub const MAX_PROBE_CAPACITY: usize = 1 << 20;
/// Every neuron, as a range.
const ALL_NEURONS: Range<usize> = 0..usize::MAX;
/// Largest number of variables recorded at once.
pub const MAX_PROBE_VARIABLES: usize = 256;

/// Recent history of some of the model's recordables.
#[derive(Debug)]
pub struct Probes {
    /// What each place records.
    pub recordables: Vec<Recordable>,
    /// Record every this many steps.
    pub sample_every: u64,
    times: AllocRingBuffer<f64>,
    values: Vec<AllocRingBuffer<f64>>,
    spikes: AllocRingBuffer<Spike>,
    /// The neurons whose spikes are kept (all where None): a large
    /// network's every spike would push the shown neurons' out of the ring
    /// within milliseconds.
    spike_watch: Option<Range<usize>>,
    /// The watched neurons in parts, each with the time from which it has
    /// been watched without a break (None: from the start of the history).
    watched_since: Vec<(Range<usize>, Option<f64>)>,
    /// The time of the newest spike the ring dropped: it holds every
    /// watched spike after it.
    dropped_until_s: Option<f64>,
    /// One sample of every place, before it goes into the rings.
    scratch: Vec<f64>,
}

impl Probes {
    /// Probes of `recordables` keeping `capacity` samples (clamped to
    /// 1..=MAX_PROBE_CAPACITY) and `spike_capacity` spikes.
    pub fn new(
        mut recordables: Vec<Recordable>,
        capacity: usize,
        spike_capacity: usize,
        sample_every: u64,
    ) -> Self {
        let capacity = capacity.clamp(1, MAX_PROBE_CAPACITY);
        recordables.truncate(MAX_PROBE_VARIABLES);
        Self {
            values: recordables
                .iter()
                .map(|_| AllocRingBuffer::new(capacity))
                .collect(),
            scratch: vec![0.0; recordables.len()],
            recordables,
            sample_every: sample_every.max(1),
            times: AllocRingBuffer::new(capacity),
            spikes: AllocRingBuffer::new(spike_capacity.clamp(1, MAX_PROBE_CAPACITY)),
            spike_watch: None,
            watched_since: vec![(ALL_NEURONS, None)],
            dropped_until_s: None,
        }
    }

    /// Keeps the spikes of `neurons` only (all with None) from `now_s` on.
    /// Those watched before go on being watched without a break; the others
    /// are whole from now, once there is a history.
    pub fn watch_spikes(&mut self, neurons: Option<Range<usize>>, now_s: f64) {
        if self.spike_watch == neurons {
            return;
        }
        let new = neurons.clone().unwrap_or(ALL_NEURONS);
        let old = self.spike_watch.clone().unwrap_or(ALL_NEURONS);
        let since = (!self.times.is_empty()).then_some(now_s);
        let mut parts: Vec<(Range<usize>, Option<f64>)> = self
            .watched_since
            .iter()
            .map(|(r, t)| (r.start.max(new.start)..r.end.min(new.end), *t))
            .collect();
        parts.push((new.start..old.start.min(new.end), since));
        parts.push((old.end.max(new.start)..new.end, since));
        parts.retain(|(r, _)| !r.is_empty());
        self.watched_since = parts;
        self.spike_watch = neurons;
    }

    /// The neurons whose spikes are kept (all where None).
    pub fn spike_watch(&self) -> Option<Range<usize>> {
        self.spike_watch.clone()
    }

    /// The time from which `spikes` holds every spike of the watched
    /// `neurons`, where that is later than the start of the history: the
    /// ring dropped older ones, or some of them were not watched before.
    pub fn spikes_whole_from(&self, neurons: Range<usize>) -> Option<f64> {
        self.watched_since
            .iter()
            .filter(|(r, _)| r.start < neurons.end && neurons.start < r.end)
            .map(|(_, t)| *t)
            .chain([self.dropped_until_s])
            .flatten()
            .reduce(f64::max)
    }

    /// The place that records `r`, if one does.
    pub fn place_of(&self, r: Recordable) -> Option<usize> {
        self.recordables.iter().position(|&x| x == r)
    }

    pub fn capacity(&self) -> usize {
        self.times.capacity()
    }

    pub fn len(&self) -> usize {
        self.times.len()
    }

    pub fn is_empty(&self) -> bool {
        self.times.is_empty()
    }

    /// The newest sample's time, if any.
    pub fn last_time(&self) -> Option<f64> {
        self.times
            .len()
            .checked_sub(1)
            .and_then(|i| self.times.get(i))
            .copied()
    }

    /// Sample times, oldest first.
    pub fn times(&self) -> impl ExactSizeIterator<Item = f64> + '_ {
        self.times.iter().copied()
    }

    /// Samples of the k-th place, oldest first.
    pub fn values(&self, k: usize) -> impl ExactSizeIterator<Item = f64> + '_ {
        self.values[k].iter().copied()
    }

    /// The index of the first sample at or after `t_s` (times increase, so a
    /// binary search): a window is drawn without walking the whole history.
    pub fn index_at(&self, t_s: f64) -> usize {
        let (mut lo, mut hi) = (0, self.times.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.times.get(mid).is_some_and(|&t| t < t_s) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// (time, value) of the k-th place from sample index `from`
    /// up to time `to_s`, oldest first.
    pub fn samples_between(
        &self,
        k: usize,
        from: usize,
        to_s: f64,
    ) -> impl Iterator<Item = (f64, f64)> + '_ {
        (from..self.times.len())
            .map(move |i| {
                (
                    *self.times.get(i).unwrap_or(&f64::INFINITY),
                    *self.values[k].get(i).unwrap_or(&f64::NAN),
                )
            })
            .take_while(move |&(t, _)| t <= to_s)
    }

    /// Records `r` in the k-th place from now on. Its earlier samples are
    /// unknown: NaN (a gap on screen), so that every place stays aligned
    /// with the sample times; a sample of now (the newest, where the step
    /// just taken was recorded) is `r`'s value now, so that a trace
    /// "recorded from" now has its sample there (a followed neuron's first
    /// sample was the next step's, a dot column late on the screen).
    pub fn retarget(&mut self, k: usize, r: Recordable, sim: &Simulation) {
        if self.recordables[k] == r {
            return;
        }
        self.recordables[k] = r;
        let now = (self.last_time() == Some(sim.time_s())).then(|| {
            let mut value = [f64::NAN];
            sim.model.values(&[r], sim.input(), &mut value);
            value[0]
        });
        let buf = &mut self.values[k];
        buf.clear();
        for _ in 0..self.times.len() - usize::from(now.is_some()) {
            buf.enqueue(f64::NAN);
        }
        if let Some(value) = now {
            buf.enqueue(value);
        }
    }

    /// Recent spikes, oldest first.
    pub fn spikes(&self) -> impl ExactSizeIterator<Item = &Spike> + '_ {
        self.spikes.iter()
    }

    /// Recent spikes at or after `t_s`, oldest first (spikes come in time
    /// order, so a binary search: a window is drawn without walking the
    /// whole ring).
    pub fn spikes_from(&self, t_s: f64) -> impl Iterator<Item = &Spike> + '_ {
        let (mut lo, mut hi) = (0, self.spikes.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.spikes.get(mid).is_some_and(|s| s.time_s < t_s) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        (lo..self.spikes.len()).filter_map(move |k| self.spikes.get(k))
    }

    /// The recent spike times (s) of one neuron, oldest first.
    pub fn spike_times_of(&self, neuron: usize) -> Vec<f64> {
        self.spikes
            .iter()
            .filter(|s| s.neuron == neuron)
            .map(|s| s.time_s)
            .collect()
    }

    pub fn clear(&mut self) {
        self.times.clear();
        self.values.iter_mut().for_each(|v| v.clear());
        self.spikes.clear();
        for (_, since) in &mut self.watched_since {
            *since = None;
        }
        self.dropped_until_s = None;
    }

    /// Records the current state now (used for t = 0 and after a reset).
    pub fn record(&mut self, sim: &Simulation) {
        self.times.enqueue(sim.time_s());
        sim.model
            .values(&self.recordables, sim.input(), &mut self.scratch);
        for (buf, &x) in self.values.iter_mut().zip(&self.scratch) {
            buf.enqueue(x);
        }
    }
}

impl Monitor for Probes {
    fn on_step(&mut self, sim: &Simulation, spikes: &[Spike]) -> std::io::Result<()> {
        for s in spikes {
            if let Some(w) = &self.spike_watch
                && !w.contains(&s.neuron)
            {
                continue;
            }
            if self.spikes.is_full()
                && let Some(oldest) = self.spikes.front()
            {
                self.dropped_until_s = Some(oldest.time_s);
            }
            self.spikes.enqueue(*s);
        }
        if sim.step_index().is_multiple_of(self.sample_every) {
            self.record(sim);
        }
        Ok(())
    }
}

/// Every spike of a run, in order (for `run` and tests).
#[derive(Debug, Default, Clone)]
pub struct SpikeList {
    pub spikes: Vec<Spike>,
}

impl Monitor for SpikeList {
    fn on_step(&mut self, _sim: &Simulation, spikes: &[Spike]) -> std::io::Result<()> {
        self.spikes.extend_from_slice(spikes);
        Ok(())
    }
}

impl SpikeList {
    /// The spike times (s) of one neuron.
    pub fn times_of(&self, neuron: usize) -> Vec<f64> {
        self.spikes
            .iter()
            .filter(|s| s.neuron == neuron)
            .map(|s| s.time_s)
            .collect()
    }
}

/// Each neuron's spike count: what a run's summary needs, in memory that
/// does not grow with the duration.
#[derive(Debug, Clone, Default)]
pub struct SpikeCounts {
    pub per_neuron: Vec<u64>,
}

impl SpikeCounts {
    pub fn new(neurons: usize) -> Self {
        Self {
            per_neuron: vec![0; neurons],
        }
    }
}

impl Monitor for SpikeCounts {
    fn on_step(&mut self, _sim: &Simulation, spikes: &[Spike]) -> std::io::Result<()> {
        for s in spikes {
            self.per_neuron[s.neuron] += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AnyModel;
    use crate::model::lif::{LifNeuron, LifParams};
    use crate::model::recordable::Quantity;
    use crate::sim::stimulus::{Stimulus, TargetedStimulus};

    const V: Recordable = Recordable::of(Quantity::V);
    const V_IN: Recordable = Recordable::of(Quantity::Input);

    /// A LIF neuron at v_in = 1.5 stepped at dt = 1 ms.
    fn lif_at_1_5() -> Simulation {
        let dt = 1e-3;
        let model = AnyModel::Lif(LifNeuron::new(LifParams::default(), 0.0, dt));
        let stim = TargetedStimulus {
            stimulus: Stimulus::constant(1.5),
            neurons: None,
        };
        Simulation::new(model, vec![stim], dt)
    }

    #[test]
    fn probes_stay_bounded() {
        let mut sim = lif_at_1_5();
        let mut probes = Probes::new(vec![V, V_IN], 100, 10, 1);
        sim.advance(1000, &mut probes).unwrap();
        assert_eq!(probes.len(), 128.min(probes.capacity()));
        assert!(probes.capacity() >= 100);
        let times: Vec<f64> = probes.times().collect();
        assert!(times.windows(2).all(|w| w[1] > w[0]));
        assert_eq!(*times.last().unwrap(), 1.0);
        assert_eq!(probes.spikes().len(), 10);
        // The ring dropped the older spikes: whole from the oldest dropped.
        let kept: Vec<f64> = probes.spikes().map(|s| s.time_s).collect();
        // From a time: the kept spikes at or after it, found by search.
        let later: Vec<f64> = probes.spikes_from(kept[4]).map(|s| s.time_s).collect();
        assert_eq!(later, kept[4..]);
        assert_eq!(probes.spikes_from(kept[4] + 1e-9).count(), 5);
        assert_eq!(probes.spikes_from(f64::INFINITY).count(), 0);
        let from = probes.spikes_whole_from(0..1).unwrap();
        assert!(from < kept[0] && kept[0] - from < 0.03, "{from} {kept:?}");
    }

    /// Watching some neurons keeps their spikes only: those watched before
    /// without a break keep their history, the others are whole from the
    /// change; a reset's clear makes them whole from the start again.
    #[test]
    fn watched_neurons_keep_their_spikes() {
        let mut sim = lif_at_1_5();
        let mut probes = Probes::new(vec![V], 100, 100, 1);
        // Before any history, nothing is lost.
        probes.watch_spikes(Some(0..10), 0.0);
        assert_eq!(probes.spikes_whole_from(0..10), None);
        probes.record(&sim);
        probes.watch_spikes(Some(1..15), 0.25);
        sim.advance(200, &mut probes).unwrap();
        assert_eq!(probes.spikes().len(), 0, "neuron 0 is not watched");
        assert_eq!(probes.spikes_whole_from(1..10), None, "watched throughout");
        assert_eq!(probes.spikes_whole_from(9..11), Some(0.25));
        assert_eq!(probes.spikes_whole_from(0..1), None, "not watched");
        probes.watch_spikes(Some(1..15), 0.5);
        assert_eq!(probes.spikes_whole_from(10..15), Some(0.25), "no change");
        probes.watch_spikes(Some(5..20), 0.75);
        assert_eq!(probes.spikes_whole_from(5..10), None);
        assert_eq!(probes.spikes_whole_from(10..15), Some(0.25));
        assert_eq!(probes.spikes_whole_from(15..20), Some(0.75));
        probes.watch_spikes(None, 1.0);
        assert_eq!(probes.spikes_whole_from(0..5), Some(1.0));
        assert_eq!(probes.spikes_whole_from(6..7), None);
        sim.advance(200, &mut probes).unwrap();
        assert!(probes.spikes().len() > 0);
        probes.clear();
        assert_eq!(probes.spikes_whole_from(0..usize::MAX), None);
    }

    /// A place switched to another recordable keeps its length: unknown (NaN)
    /// before the switch, the new one's values after it.
    #[test]
    fn a_retargeted_place_stays_aligned_with_the_times() {
        let mut sim = lif_at_1_5();
        let mut probes = Probes::new(vec![V, V], 1000, 10, 1);
        sim.advance(5, &mut probes).unwrap();
        probes.retarget(1, V_IN, &sim);
        sim.advance(3, &mut probes).unwrap();
        assert_eq!(probes.recordables, [V, V_IN]);
        assert_eq!(probes.place_of(V_IN), Some(1));
        let v_in: Vec<f64> = probes.values(1).collect();
        assert_eq!(v_in.len(), probes.len());
        // The newest sample at the switch was of its time: V_IN's then.
        assert!(v_in[..4].iter().all(|x| x.is_nan()));
        assert_eq!(v_in[4..], [1.5; 4]);
        assert_eq!(probes.values(0).filter(|x| x.is_finite()).count(), 8);
    }
}
