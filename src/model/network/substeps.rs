//! A long exact step taken as equal substeps. The re-solve (resolve.rs)
//! works out each step's in-step interactions in rounds, and its work grows
//! as the square of the step's spikes: in the benchmark network at N = 1,000
//! a second took 33 ms at dt = 0.1 ms, 73 ms at 1 ms and 1.56 s at 10 ms
//! (each spike moved 6.6 times on average, 17 rounds a step). Exact spike
//! times do not depend on the step, so a step of a re-solving network that
//! held many more spikes than it is best taken with is taken as 2^k
//! substeps, each an ordinary exact step of dt / 2^k: the same spikes (to
//! the re-solve's 1e-12 of a step), found in a fraction of the time; v and
//! s at the step's end may differ from one whole step's in their last bits
//! (propagated in pieces).
//!
//! How many: at each step's start, the power of two that brings the spikes
//! expected in it to `aim` a substep or below, changed only where a
//! substep's share leaves [aim / 2, 2 aim] (each change restates the rest
//! of every neuron, `exact::change_dt`). Expected: the network's spike rate
//! averaged over the last 10 ms of simulated time (kept in the state, so
//! that a state restored steps as it did; before the first step, the rates
//! of the biases alone), times dt; a burst of one step does not split the
//! next. A pass over the neurons costs about as much as re-solving a few
//! in-step interactions, which a step holds about S² K / N of for S spikes
//! (K inputs a neuron): the cost a unit of time, (a N + b S² K / N) / S, is
//! least at S ∝ N / √K. `aim` = (N + 64) / (40 √K) is that optimum as
//! measured, with a step's fixed cost as 64 neurons' (README "LIF network":
//! least time at 4 to 10 spikes a step in the benchmark network at
//! N = 1,000, K = 20, where aim is 6.0; 6 to 12 at N = 3,000, K = 60, aim
//! 9.9; about 1 at K = 200 and 500, aim 1.9 and 1.2; 0.3 to 0.6 with every
//! neuron sending to every other, aim 0.84). The benchmark at dt = 0.1 ms
//! (4 spikes a step) is never split and steps as it always did, to the
//! last bit, as do the bundled presets.

use super::solve::StepSpike;
use super::{LifNetwork, Propagator, SpikeTiming, Step};
use crate::model::lif::firing_rate;
use crate::model::{Arrival, Spike, runaway_spikes};

/// Most substeps a step is taken as (a runaway's step, 10 spikes a neuron,
/// is taken whole).
pub(super) const MAX_SUBSTEPS: u32 = 2048;

/// Simulated time over which the network's spike rate is averaged for the
/// choice (each step weighs dt / this, at most 1).
const RATE_AVERAGED_OVER_S: f64 = 0.01;

/// A substep's fixed cost, in neurons of the pass: a step of 3 neurons took
/// 0.165 µs, of 10 0.18 µs, of 100 0.71 µs (at dt = 0.1 ms).
const STEP_COST_NEURONS: usize = 64;

/// The least `aim` of any network: (n + 64) / (40 √n) at n = 64, every
/// neuron sending to every one (K is at most n).
const LEAST_AIM: f64 = 0.4;

/// The spikes a substep is best taken with in a network of `n` neurons and
/// `synapses` connections (the module's doc).
pub(super) fn aim(n: usize, synapses: usize) -> f64 {
    let inputs_per_neuron = synapses as f64 / n.max(1) as f64;
    (n + STEP_COST_NEURONS) as f64 / (40.0 * inputs_per_neuron.max(1.0).sqrt())
}

/// How many substeps the next step is taken as, `now` the last one's, for
/// `spikes` expected in it (the module's doc). A runaway's step (`runaway`
/// spikes or more) is taken whole: it is reported as such, whole or split,
/// and one neuron's `MAX_SPIKES_PER_STEP` is a whole step's.
pub(super) fn substeps_for(spikes: f64, now: u32, aim: f64, runaway: f64) -> u32 {
    // A NaN (no bound at all) takes one too.
    if spikes.is_nan() || spikes >= runaway {
        return 1;
    }
    let per_substep = spikes / f64::from(now);
    if (aim / 2.0..=2.0 * aim).contains(&per_substep) || now == 1 && per_substep < aim {
        return now;
    }
    let wanted = (spikes / aim).ceil().min(f64::from(MAX_SUBSTEPS));
    (wanted as u32).max(1).next_power_of_two()
}

/// The step's input-train arrivals, each in the substep it falls in, at its
/// time from that substep's start.
#[derive(Debug, Clone, Default)]
pub(super) struct SubstepArrivals {
    /// (substep, arrival), in substep order, then as they came.
    keyed: Vec<(u32, Arrival)>,
    list: Vec<Arrival>,
    /// Where each substep's arrivals start in `list`, and the end.
    starts: Vec<usize>,
}

impl SubstepArrivals {
    /// Sorts `arrivals` (offsets in (0, dt]) into `k` substeps of `h`: one
    /// at a substep's boundary ends the substep before (an offset is in
    /// (0, h] of its substep, as a step's are).
    fn split(&mut self, arrivals: &[Arrival], h: f64, k: u32) {
        self.keyed.clear();
        for &a in arrivals {
            let mut m = ((a.offset_s / h).ceil() as u32)
                .saturating_sub(1)
                .min(k - 1);
            let mut offset_s = a.offset_s - f64::from(m) * h;
            // The quotient is rounded: an arrival a hair past a boundary
            // that landed at or before it ends the substep before.
            if offset_s <= 0.0 && m > 0 {
                m -= 1;
                offset_s = a.offset_s - f64::from(m) * h;
            }
            let offset_s = offset_s.min(h);
            self.keyed.push((m, Arrival { offset_s, ..a }));
        }
        self.keyed.sort_by_key(|&(m, _)| m);
        self.list.clear();
        self.list.extend(self.keyed.iter().map(|&(_, a)| a));
        self.starts.clear();
        let mut at = 0;
        for m in 0..=k {
            at += self.keyed[at..].partition_point(|&(of, _)| of < m);
            self.starts.push(at);
        }
    }

    /// Substep m's arrivals.
    fn of(&self, m: u32) -> &[Arrival] {
        let m = m as usize;
        &self.list[self.starts[m]..self.starts[m + 1]]
    }
}

impl LifNetwork {
    /// Sets how many substeps the next step is taken as: in exact timing
    /// with the re-solve, as the module's doc says; otherwise one (a grid
    /// network may go on from an exact one's state, `carry_state_from`).
    pub(super) fn choose_substeps(&mut self) {
        let now = self.state.substeps;
        let substeps = if self.resolve.enabled() && self.params.spike_timing == SpikeTiming::Exact {
            let rate_hz = *self
                .state
                .spike_rate_hz
                .get_or_insert_with(|| rate_of_bias(&self.params, &self.bias));
            let spikes = rate_hz * self.step_dt_s;
            // The common case without the aim's root: a step that no aim
            // splits (`LEAST_AIM`).
            if now == 1 && spikes <= 2.0 * LEAST_AIM {
                1
            } else {
                let aim = aim(self.len(), self.connections.len());
                substeps_for(spikes, now, aim, runaway_spikes(self.len()) as f64)
            }
        } else {
            1
        };
        if substeps != now {
            let dt_s = self.step_dt_s / f64::from(substeps);
            self.restate_dt(dt_s);
            self.state.substeps = substeps;
            self.prop = Propagator::new(&self.params, dt_s);
        }
    }

    /// The network's spike rate averaged anew with a step of `dt_s` that
    /// held `spikes` (`RATE_AVERAGED_OVER_S`).
    pub(super) fn note_step_spikes(&mut self, spikes: usize, dt_s: f64) {
        let weight = (dt_s / RATE_AVERAGED_OVER_S).min(1.0);
        let rate_hz = spikes as f64 / dt_s;
        let average = self.state.spike_rate_hz.get_or_insert(rate_hz);
        *average += weight * (rate_hz - *average);
    }
}

/// The network's spike rate were each neuron driven by its bias alone, at
/// its rate G(b_i) (notes 1.2.2): before the first step, the guess that
/// takes it in substeps (a first step of 10 ms in the benchmark network at
/// N = 3,000 took 0.3 s whole).
fn rate_of_bias(p: &super::NetworkParams, bias: &[f64]) -> f64 {
    let (tau_m, tau_ref) = (p.tau_m_s, p.tau_ref_s);
    bias.iter().map(|&b| firing_rate(b, tau_m, tau_ref)).sum()
}

impl Step<'_> {
    /// An exact step of dt from `t0_s` taken as the state's substeps: their
    /// spikes are appended to `spikes` in time order. A substep that leaves
    /// v or s not finite, or brings the step's spikes to a runaway's, ends
    /// the step as it stands (the check reports it), its clock moved on by
    /// the substeps not taken.
    pub(super) fn exact_in_substeps(
        &mut self,
        exec: &mut super::Exec,
        t0_s: f64,
        arrivals: (&[Arrival], &mut SubstepArrivals),
        spikes: &mut Vec<Spike>,
    ) {
        let (k, h) = (self.state.substeps, self.prop.dt_s);
        let (arrivals, split) = arrivals;
        split.split(arrivals, h, k);
        let (first, limit) = (spikes.len(), runaway_spikes(self.state.v.len()));
        let mut finite = true;
        for m in 0..k {
            self.exact(exec, split.of(m));
            let t_s = t0_s + f64::from(m) * h;
            spikes.extend(self.scratch.spikes.iter().map(|s| Spike {
                neuron: s.neuron,
                time_s: t_s + s.offset_s,
            }));
            finite &= self.scratch.finite;
            if !finite || spikes.len() - first >= limit {
                self.state.step_index += u64::from(k - m - 1);
                break;
            }
        }
        self.scratch.finite = finite;
        // A spike at a substep's very end and one at the next one's start
        // (a late delivery's) may meet out of order in the last bit.
        spikes[first..].sort_unstable_by(|a, b| {
            let (a, b) = (
                StepSpike {
                    neuron: a.neuron,
                    offset_s: a.time_s,
                },
                StepSpike {
                    neuron: b.neuron,
                    offset_s: b.time_s,
                },
            );
            StepSpike::order(&a, &b)
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AnyModel;

    /// A random network of 300 neurons firing about 40 Hz (the benchmark's
    /// recipe with K = 30 inputs a neuron) with filters of `order`, at
    /// `dt_ms`: about 60 spikes a step of 5 ms, taken in 64 substeps (aim
    /// 1.66).
    fn busy_network(order: usize, dt_ms: f64) -> LifNetwork {
        let text = format!(
            "model = \"network\"\ndt = \"{dt_ms} ms\"\n[network]\ntau_m = \"20 ms\"\n\
             tau_ref = \"2 ms\"\ntau_s = \"10 ms\"\npsc_order = {order}\n\
             [network.random]\nn = 300\np = 0.1\nseed = 3\n\
             weight = {{ low = -0.01, high = 0.01 }}\nweight_ref_inputs = 20\n\
             bias = {{ low = 1.0, high = 2.0 }}\nv_init = {{ low = 0.0, high = 1.0 }}\n"
        );
        let scenario = crate::preset::load_text("t.toml", &text, &[]).unwrap();
        let AnyModel::Network(net) = scenario.into_simulation().1.model else {
            panic!("a network")
        };
        net
    }

    /// `steps` steps of the prepared dt from `t0_s`, with the input trains'
    /// `arrivals` (times) as each step holds them: the spikes as (neuron,
    /// time), and the most substeps a step was taken as.
    fn run(
        net: &mut LifNetwork,
        t0_s: f64,
        steps: usize,
        arrivals: &[(usize, f64, f64)],
    ) -> (Vec<(usize, f64)>, u32) {
        let dt = net.step_dt_s;
        let (mut spikes, mut most) = (Vec::new(), 0);
        for k in 0..steps {
            let t = t0_s + k as f64 * dt;
            let held: Vec<Arrival> = arrivals
                .iter()
                .filter(|a| a.1 > t && a.1 <= t + dt)
                .map(|&(i, time_s, weight)| Arrival {
                    target: Some(i),
                    weight,
                    offset_s: (time_s - t).min(dt),
                    time_s,
                })
                .collect();
            let mut step = Vec::new();
            net.step_with_arrivals(t, &[], &held, &mut step);
            assert!(step.windows(2).all(|w| w[0].time_s <= w[1].time_s));
            spikes.extend(step.iter().map(|s| (s.neuron, s.time_s)));
            most = most.max(net.state.substeps);
        }
        (spikes, most)
    }

    /// Spikes alike: the same neurons in the same order, each time within
    /// 1e-12 s.
    fn assert_alike(a: &[(usize, f64)], b: &[(usize, f64)]) {
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(b) {
            assert!(x.0 == y.0 && (x.1 - y.1).abs() < 1e-12, "{x:?} {y:?}");
        }
    }

    /// Steps of 5 ms taken in substeps, then of 2 ms after a change of dt
    /// (the rest restated in the new substeps), with input trains' spikes
    /// at boundaries and inside: the spikes of steps of 0.05 ms (taken
    /// whole), to 1e-12 s, for filters of order 0 (the vectorized path) and
    /// 1 (the path compiled per order).
    #[test]
    fn substeps_give_the_spikes_of_short_steps() {
        let arrivals: Vec<(usize, f64, f64)> = (1..40)
            .map(|k| {
                (
                    k * 7 % 300,
                    k as f64 * 1.25e-3,
                    0.02 * ((k % 3) as f64 - 0.5),
                )
            })
            .collect();
        for order in [0, 1] {
            let mut long = busy_network(order, 5.0);
            let (mut spikes, most) = run(&mut long, 0.0, 6, &arrivals);
            assert_eq!(most, 64);
            long.prepare(2e-3);
            spikes.extend(run(&mut long, 0.03, 10, &arrivals).0);
            let mut short = busy_network(order, 0.05);
            let (short_spikes, most) = run(&mut short, 0.0, 1000, &arrivals);
            assert_eq!(most, 1);
            assert!(spikes.len() > 400, "{} spikes", spikes.len());
            assert_alike(&spikes, &short_spikes);
        }
    }

    /// A state restored steps again as it did, to the last bit, whichever
    /// substeps the network took just before (the state keeps its own), in
    /// the same network or in one that has not stepped: with neurons
    /// refractory and neurons that woke inside the last step, for filters
    /// of order 0 and 1, in steps taken whole and in substeps.
    #[test]
    fn a_restored_state_steps_the_same_bits() {
        for (order, dt_ms, steps) in [(0, 5.0, 8), (0, 0.1, 40), (1, 0.1, 40), (1, 5.0, 8)] {
            let mut net = busy_network(order, dt_ms);
            let bits = |net: &mut LifNetwork| {
                let spikes = run(net, 0.0, steps, &[]).0;
                let v: Vec<u64> = net.v().iter().map(|x| x.to_bits()).collect();
                let spikes: Vec<(usize, u64)> =
                    spikes.iter().map(|s| (s.0, s.1.to_bits())).collect();
                (spikes, v)
            };
            let start = net.state();
            let first = bits(&mut net);
            // On to a state with a neuron that woke inside its last step.
            let woke_inside = |net: &LifNetwork| {
                let dt = net.prop.dt_s;
                let from = net.state.rest.active().from;
                from.iter().any(|&f| f > 0.0 && f < dt)
            };
            while !woke_inside(&net) {
                run(&mut net, 0.0, 1, &[]);
            }
            let middle = net.state();
            let second = bits(&mut net);
            let case = format!("order {order}, dt {dt_ms} ms");
            net.restore(&start);
            assert!(bits(&mut net) == first, "{case}: from the start");
            net.restore(&middle);
            assert!(bits(&mut net) == second, "{case}: from the middle");
            let refractory = middle
                .0
                .rest
                .wake_step
                .iter()
                .any(|&w| w > middle.0.step_index);
            assert!(refractory && (middle.0.substeps > 1) == (dt_ms > 1.0));
            let mut fresh = busy_network(order, dt_ms);
            fresh.restore(&middle);
            assert!(
                bits(&mut fresh) == second,
                "{case}: in a network not stepped"
            );
        }
    }

    /// The optimum measured (the module's doc): about 6 spikes a substep at
    /// N = 1,000 and K = 20, 10 at N = 3,000 and K = 60, below 1 with every
    /// neuron sending to every other; a small network's fixed cost counted.
    #[test]
    fn the_aim_is_the_measured_optimum() {
        assert!((aim(1000, 20_000) - 5.95).abs() < 0.01);
        assert!((aim(3000, 180_000) - 9.89).abs() < 0.01);
        assert!((aim(1000, 1_000_000) - 0.84).abs() < 0.01);
        assert_eq!(aim(3, 0), 67.0 / 40.0);
        assert_eq!(aim(0, 0), 64.0 / 40.0);
        assert_eq!(aim(64, 64 * 64), LEAST_AIM);
        let least = (1..3000)
            .map(|n| aim(n, n * n))
            .fold(f64::INFINITY, f64::min);
        assert_eq!(least, LEAST_AIM);
    }

    /// A step of up to 2 aim spikes stays whole; beyond, the power of two
    /// that brings them to aim a substep or below, kept while a substep's
    /// share stays within [aim / 2, 2 aim]; never above `MAX_SUBSTEPS`; a
    /// runaway's step whole.
    #[test]
    fn substeps_follow_the_expected_spikes_with_a_margin() {
        let at = |spikes, now, aim| substeps_for(spikes, now, aim, 1e12);
        assert_eq!(at(0.0, 1, 6.0), 1);
        assert_eq!(at(12.0, 1, 6.0), 1);
        assert_eq!(at(12.5, 1, 6.0), 4);
        assert_eq!(at(400.0, 1, 6.0), 128);
        assert_eq!(at(390.0, 128, 6.0), 128);
        assert_eq!(at(384.0, 128, 6.0), 128);
        assert_eq!(at(383.0, 128, 6.0), 64);
        assert_eq!(at(0.0, 128, 6.0), 1);
        assert_eq!(at(1e9, 1, 6.0), MAX_SUBSTEPS);
        assert_eq!(at(f64::NAN, 4, 6.0), 1);
        // An aim below one spike.
        assert_eq!(at(1.6, 1, 0.84), 1);
        assert_eq!(at(4.0, 1, 0.84), 8);
        assert_eq!(at(4.0, 8, 0.84), 8);
        assert_eq!(at(1.0, 8, 0.84), 2);
        assert_eq!(substeps_for(9_999.0, 1, 6.0, 10_000.0), 2048);
        assert_eq!(substeps_for(10_000.0, 64, 6.0, 10_000.0), 1);
    }

    /// The rate averaged over 10 ms of simulated time: a step of 10 ms or
    /// more is all of it, one of 0.1 ms a hundredth; the first step's
    /// starts it.
    #[test]
    fn the_rate_is_averaged_over_ten_milliseconds() {
        let mut net = busy_network(0, 0.1);
        net.state.spike_rate_hz = None;
        net.note_step_spikes(4, 1e-4);
        assert_eq!(net.state.spike_rate_hz, Some(40_000.0));
        net.note_step_spikes(5, 1e-4);
        assert!((net.state.spike_rate_hz.unwrap() - 40_100.0).abs() < 1e-9);
        net.note_step_spikes(300, 0.02);
        assert_eq!(net.state.spike_rate_hz, Some(15_000.0));
    }

    fn arrival(offset_s: f64) -> Arrival {
        Arrival {
            target: Some(0),
            weight: offset_s,
            offset_s,
            time_s: offset_s,
        }
    }

    /// Each arrival goes to the substep it falls in, at (0, h] of it, one at
    /// a boundary to the substep it ends, in the order they came within a
    /// substep.
    #[test]
    fn arrivals_go_to_their_substeps() {
        let (dt, k) = (1e-3, 4);
        let h = dt / f64::from(k);
        let offsets = [dt, 0.9e-3, h, 1e-9, 2.0 * h, 0.3e-3, 0.1e-3];
        let arrivals: Vec<Arrival> = offsets.iter().map(|&o| arrival(o)).collect();
        let mut split = SubstepArrivals::default();
        split.split(&arrivals, h, k);
        let weights = |m| -> Vec<f64> { split.of(m).iter().map(|a| a.weight).collect() };
        assert_eq!(weights(0), [h, 1e-9, 0.1e-3]);
        assert_eq!(weights(1), [2.0 * h, 0.3e-3]);
        assert_eq!(weights(2), Vec::<f64>::new());
        assert_eq!(weights(3), [dt, 0.9e-3]);
        for m in 0..k {
            for a in split.of(m) {
                assert!(a.offset_s > 0.0 && a.offset_s <= h);
                let back = f64::from(m) * h + a.offset_s;
                assert!((back - a.weight).abs() <= 1e-18, "{back} {}", a.weight);
            }
        }
    }
}
