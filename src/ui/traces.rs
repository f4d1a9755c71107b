//! What the oscilloscope keeps of the run: the probes' ring buffers, each
//! neuron's spike count and last two spikes, and the trail of measured rates
//! against input that the rate view draws. Everything is bounded.
//!
//! ```text
//! Simulation::advance -> UiMonitor::on_step -> Probes (ring buffers)
//!                                           -> SpikeStats (count, last two)
//!                                           -> RateTrail (selected neuron)
//! ```

use ringbuffer::{AllocRingBuffer, RingBuffer};

use super::input_history::InputHistory;
use crate::lab::clamp::ClampRecorder;
use crate::lab::spike_shape::LastSpikeShape;
use crate::model::recordable::{Quantity, Recordable};
use crate::model::{AnyModel, ModelKind, Spike};
use crate::sim::probe::Probes;
use crate::sim::{Monitor, Simulation};

/// Samples kept per recorded variable: enough for the longest window.
pub const PROBE_CAPACITY: usize = 1 << 16;
/// Spikes kept: seconds of the watched neurons' spikes (`spike_watch`) at
/// tens of Hz, 4 MiB.
pub const SPIKE_CAPACITY: usize = 1 << 18;
/// A network of more neurons keeps the spikes of the three blocks of this
/// many around the selected neuron only: the raster shows a page of at most
/// a few hundred neurons that holds it (raster.rs), inside them.
const SPIKE_WATCH_BLOCK: usize = 512;
/// Network neurons whose v and s are recorded for the traces.
pub const MAX_TRACED_NEURONS: usize = 32;
/// Measured (input, rate) points kept for the rate view.
pub const TRAIL_CAPACITY: usize = 2048;

/// Counts and the last two spike times of every neuron.
#[derive(Debug, Clone, Default)]
pub struct SpikeStats {
    pub count: Vec<u64>,
    pub last: Vec<[f64; 2]>,
}

/// The firing rate as the spikes so far allow one to state it at time t.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RateEstimate {
    /// Fewer than two spikes: no interval yet.
    Unknown,
    /// The last interval, still current: t − t_last ≤ ISI.
    Interval { isi_s: f64 },
    /// Silent for longer than the last interval: the interval in progress
    /// is at least `silent_s`, so the rate is at most 1/silent_s.
    AtMost { silent_s: f64 },
    /// Silent for more than twice the last interval: firing has stopped.
    Stopped { silent_s: f64 },
}

impl SpikeStats {
    pub fn new(n: usize) -> Self {
        Self {
            count: vec![0; n],
            last: vec![[f64::NAN; 2]; n],
        }
    }

    /// The last inter-spike interval of neuron i (s).
    pub fn last_isi(&self, i: usize) -> Option<f64> {
        let [a, b] = self.last[i];
        (a.is_finite() && b.is_finite()).then_some(b - a)
    }

    /// What can be said of neuron i's rate at time `now_s`: the last ISI
    /// while it is still running, then a bound 1/(time since the last
    /// spike), then nothing once the silence is twice the last interval.
    pub fn rate_at(&self, i: usize, now_s: f64) -> RateEstimate {
        let Some(isi) = self.last_isi(i) else {
            return RateEstimate::Unknown;
        };
        let silent_s = now_s - self.last[i][1];
        if silent_s <= isi {
            RateEstimate::Interval { isi_s: isi }
        } else if silent_s <= 2.0 * isi {
            RateEstimate::AtMost { silent_s }
        } else {
            RateEstimate::Stopped { silent_s }
        }
    }

    fn record(&mut self, spike: &Spike) {
        self.count[spike.neuron] += 1;
        let l = &mut self.last[spike.neuron];
        *l = [l[1], spike.time_s];
    }
}

/// The measured rate of one neuron against its input: at each spike after
/// the first, the point (mean input over the interval, 1/ISI). Along a slow
/// ramp the points trace the neuron's f-I curve (G for LIF).
#[derive(Debug, Clone)]
pub struct RateTrail {
    pub neuron: usize,
    points: AllocRingBuffer<(f64, f64)>,
    last_spike_s: f64,
    input_sum: f64,
    steps: u64,
}

impl RateTrail {
    pub fn new(neuron: usize) -> Self {
        Self {
            neuron,
            points: AllocRingBuffer::new(TRAIL_CAPACITY),
            last_spike_s: f64::NAN,
            input_sum: 0.0,
            steps: 0,
        }
    }

    /// (mean whole input over the interval, rate in Hz) points, oldest
    /// first.
    pub fn points(&self) -> impl ExactSizeIterator<Item = &(f64, f64)> + '_ {
        self.points.iter()
    }

    fn on_step(&mut self, sim: &Simulation, spikes: &[Spike]) {
        self.input_sum += sim.whole_input(self.neuron);
        self.steps += 1;
        for s in spikes.iter().filter(|s| s.neuron == self.neuron) {
            let isi = s.time_s - self.last_spike_s;
            if isi > 0.0 && self.steps > 0 {
                self.points
                    .enqueue((self.input_sum / self.steps as f64, 1.0 / isi));
            }
            self.last_spike_s = s.time_s;
            self.input_sum = 0.0;
            self.steps = 0;
        }
    }
}

/// The drive a neuron received over the last step besides any synaptic
/// current: J_in (HH), v_in (LIF), b_i + x_i (network: the phase plane's
/// v-nullcline v = b + x + s).
pub fn drive_of(sim: &Simulation, i: usize) -> f64 {
    let x = sim.input().get(i).copied().unwrap_or(0.0);
    match &sim.model {
        AnyModel::Network(net) => net.bias()[i] + x,
        _ => x,
    }
}

/// The monitors the oscilloscope feeds: ring buffers, spike statistics and
/// the rate trail.
struct UiMonitor<'a> {
    probes: &'a mut Probes,
    stats: &'a mut SpikeStats,
    trail: &'a mut RateTrail,
    clamp: Option<&'a mut ClampRecorder>,
    spike_shape: Option<&'a mut LastSpikeShape>,
}

impl Monitor for UiMonitor<'_> {
    fn on_step(&mut self, sim: &Simulation, spikes: &[Spike]) -> std::io::Result<()> {
        for s in spikes {
            self.stats.record(s);
        }
        self.trail.on_step(sim, spikes);
        if let Some(c) = &mut self.clamp {
            c.on_step(sim, spikes)?;
        }
        if let Some(shape) = &mut self.spike_shape {
            shape.on_step(sim, spikes)?;
        }
        self.probes.on_step(sim, spikes)
    }
}

/// Everything recorded for the screen.
#[derive(Debug)]
pub struct Traces {
    pub probes: Probes,
    pub stats: SpikeStats,
    pub trail: RateTrail,
    /// When the probes began to record the selected neuron in their two
    /// last places (see `follow`), if after the start of their history.
    pub traced_since_s: Option<f64>,
    /// A small network's W and b over the run (the weights view's sum).
    pub inputs: Option<InputHistory>,
    /// A voltage-clamp protocol's steps measured at every step (view 3).
    pub clamp: Option<ClampRecorder>,
    /// HH's last spike's shape, measured at every step (the cursors').
    pub spike_shape: Option<LastSpikeShape>,
}

/// The neurons whose spikes are kept when neuron i is selected: all in a
/// network of up to three blocks, else three blocks, from the one before
/// i's (the first or last three at the ends), so that a move by Tab keeps
/// them until it crosses a block, and most of them then.
fn spike_watch(n: usize, i: usize) -> Option<std::ops::Range<usize>> {
    let b = SPIKE_WATCH_BLOCK;
    (n > 3 * b).then(|| {
        let first = ((i / b).saturating_sub(1) * b).min(n - 3 * b);
        first..first + 3 * b
    })
}

/// The two quantities traced per neuron of a network (v and s; a rate
/// network's y and z); None for a single neuron or filter bank, whose every
/// column is recorded.
fn traced_pair(kind: ModelKind) -> Option<(Quantity, Quantity)> {
    match kind {
        ModelKind::Hh | ModelKind::Lif | ModelKind::Synapse => None,
        ModelKind::Network => Some((Quantity::V, Quantity::S)),
        ModelKind::Rate => Some((Quantity::Y, Quantity::Z)),
    }
}

impl Traces {
    /// Probes of the columns worth drawing (all for single neurons; v and s,
    /// or y and z, of the first MAX_TRACED_NEURONS network neurons, and in a
    /// larger network two more places for the selected neuron's), sampled
    /// so that PROBE_CAPACITY covers many windows and a window has ~2000
    /// samples.
    pub fn new(sim: &Simulation, window_s: f64, selected: usize) -> Self {
        let n = sim.model.neuron_count();
        let k = n.min(MAX_TRACED_NEURONS);
        let per_neuron = |q: Quantity| (0..k).map(move |i| Recordable::at(q, i));
        let recorded: Vec<Recordable> = match traced_pair(sim.model.kind()) {
            None => sim.model.recordables(),
            // Two more places, for a selected neuron past the first k.
            Some((a, b)) if n > k => per_neuron(a)
                .chain(per_neuron(b))
                .chain([Recordable::at(a, k), Recordable::at(b, k)])
                .collect(),
            Some((a, b)) => per_neuron(a).chain(per_neuron(b)).collect(),
        };
        let every = ((window_s / 2000.0) / sim.dt_s()).floor().max(1.0) as u64;
        let mut traces = Self {
            probes: Probes::new(recorded, PROBE_CAPACITY, SPIKE_CAPACITY, every),
            stats: SpikeStats::new(n),
            trail: RateTrail::new(selected),
            traced_since_s: None,
            inputs: InputHistory::of(sim),
            clamp: ClampRecorder::of(sim),
            spike_shape: LastSpikeShape::of(sim),
        };
        traces.follow(sim, selected);
        traces.traced_since_s = None;
        traces.probes.record(sim);
        traces
    }

    /// Advances the simulation `steps` steps into the traces.
    pub fn advance(
        &mut self,
        sim: &mut Simulation,
        steps: u64,
    ) -> Result<(), crate::sim::RunError> {
        self.note_inputs(sim);
        let mut monitor = UiMonitor {
            probes: &mut self.probes,
            stats: &mut self.stats,
            trail: &mut self.trail,
            clamp: self.clamp.as_mut(),
            spike_shape: self.spike_shape.as_mut(),
        };
        sim.advance(steps, &mut monitor)
    }

    /// Follows neuron i: its rate trail starts again, and in a network past
    /// the first MAX_TRACED_NEURONS its v and s (a rate network's y and z)
    /// are recorded from now on in the probes' two last places.
    pub fn follow(&mut self, sim: &Simulation, i: usize) {
        if self.trail.neuron != i {
            self.trail = RateTrail::new(i);
        }
        self.probes
            .watch_spikes(spike_watch(sim.model.neuron_count(), i), sim.time_s());
        let last = 2 * MAX_TRACED_NEURONS;
        let Some((a, b)) = traced_pair(sim.model.kind()) else {
            return;
        };
        let first = Recordable::at(a, i);
        if i >= MAX_TRACED_NEURONS
            && i < sim.model.neuron_count()
            && self.probes.recordables[last] != first
        {
            self.probes.retarget(last, first, sim);
            self.probes.retarget(last + 1, Recordable::at(b, i), sim);
            self.traced_since_s = Some(sim.time_s());
        }
    }

    /// Where `r` is in the probes, and the time from which it was recorded
    /// if later than the rest (a followed neuron's); None if not recorded.
    pub fn place_of(&self, r: Recordable) -> Option<(usize, Option<f64>)> {
        let place = self.probes.place_of(r)?;
        let since = (place >= 2 * MAX_TRACED_NEURONS).then_some(self.traced_since_s);
        Some((place, since.flatten()))
    }

    /// The rate trail starts again: its points, measured with other
    /// parameters, would not lie on the model's curve now.
    pub fn restart_trail(&mut self) {
        self.trail = RateTrail::new(self.trail.neuron);
    }

    /// Notes W and b where a change (a key, the panel, a journal's entry)
    /// made them other than last noted: they hold from now.
    pub fn note_inputs(&mut self, sim: &Simulation) {
        if !self.inputs.as_mut().is_some_and(|h| h.note(sim)) {
            self.inputs = InputHistory::of(sim);
        }
    }

    /// Forgets the history (after a reset) and records the state now.
    pub fn restart(&mut self, sim: &Simulation) {
        self.inputs = InputHistory::of(sim);
        self.clamp = ClampRecorder::of(sim);
        self.spike_shape = LastSpikeShape::of(sim);
        self.probes.clear();
        self.traced_since_s = None;
        self.probes.record(sim);
        self.stats = SpikeStats::new(sim.model.neuron_count());
        self.restart_trail();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_falls_to_a_bound_then_to_nothing_after_firing_stops() {
        let mut s = SpikeStats::new(1);
        for t in [0.1, 0.15] {
            s.record(&Spike {
                neuron: 0,
                time_s: t,
            });
        }
        assert_eq!(
            s.rate_at(0, 0.19),
            RateEstimate::Interval {
                isi_s: 0.05 - 0.0 + (0.15 - 0.1 - 0.05)
            }
        );
        assert!(
            matches!(s.rate_at(0, 0.22), RateEstimate::AtMost { silent_s } if (silent_s - 0.07).abs() < 1e-12)
        );
        assert!(matches!(s.rate_at(0, 0.3), RateEstimate::Stopped { .. }));
        assert_eq!(SpikeStats::new(1).rate_at(0, 1.0), RateEstimate::Unknown);
    }
}
