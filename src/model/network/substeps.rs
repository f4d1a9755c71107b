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
//! How many: at each step's start, from the spikes of the last one (kept in
//! the state, so that a state restored steps as it did; before the first,
//! those of the biases' rates), the power of two
//! that brings them to `aim` a substep or below; changed only where the last
//! step's spikes a substep left [aim / 4, 4 aim] (a network near a bound
//! does not switch back and forth: each change restates the rest of every
//! neuron, `exact::change_dt`). A pass over the neurons costs about as much
//! as re-solving a handful of in-step interactions, which a step holds about
//! (spikes)² K / N of (K inputs a neuron): the cost a unit of time,
//! (a N + b S² K / N) / S for S spikes a substep, is least at S ∝ N / √K.
//! `aim` = N / (40 √K), at least 8, is that optimum measured in the
//! benchmark network (README "LIF network": least time at 4 to 10 spikes a
//! step at N = 1,000, K = 20, and 6 to 12 at N = 3,000, K = 60). A step
//! with no more than 4 aim spikes is never split: the benchmark at
//! dt = 0.1 ms (4 spikes a step) steps as it always did, to the last bit.

use super::solve::StepSpike;
use super::{LifNetwork, Propagator, SpikeTiming, Step};
use crate::model::lif::firing_rate;
use crate::model::{Arrival, Spike, runaway_spikes};

/// Most substeps a step is taken as (a runaway's step, 10 spikes a neuron,
/// is taken whole).
pub(super) const MAX_SUBSTEPS: u32 = 2048;

/// The fewest spikes a substep is aimed at.
const LEAST_AIM: f64 = 8.0;

/// The spikes a substep is best taken with in a network of `n` neurons and
/// `synapses` connections (the module's doc).
pub(super) fn aim(n: usize, synapses: usize) -> f64 {
    let inputs_per_neuron = synapses as f64 / n.max(1) as f64;
    (n as f64 / (40.0 * inputs_per_neuron.max(1.0).sqrt())).max(LEAST_AIM)
}

/// How many substeps the next step is taken as, `now` the last step's, from
/// the last step's spikes (the module's doc). A runaway's (`runaway` spikes
/// or more) is taken whole: it is reported as such, whole or split, and one
/// neuron's `MAX_SPIKES_PER_STEP` is a whole step's.
pub(super) fn substeps_for(last_step_spikes: usize, now: u32, aim: f64, runaway: usize) -> u32 {
    if last_step_spikes >= runaway {
        return 1;
    }
    let per_substep = last_step_spikes as f64 / f64::from(now);
    if per_substep <= 4.0 * aim && (now == 1 || per_substep >= aim / 4.0) {
        return now;
    }
    let wanted = (last_step_spikes as f64 / aim)
        .ceil()
        .min(f64::from(MAX_SUBSTEPS));
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
            let last = match self.state.last_step_spikes {
                Some(spikes) => spikes,
                None => self.spikes_of_bias(),
            };
            // A whole step of 4 x 8 spikes or fewer stays whole whatever
            // the aim (8 or more): the common case, without the aim's root.
            if now == 1 && last as f64 <= 4.0 * LEAST_AIM {
                1
            } else {
                let aim = aim(self.len(), self.connections.len());
                substeps_for(last, now, aim, runaway_spikes(self.len()))
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
}

impl LifNetwork {
    /// The spikes a step would hold were each neuron driven by its bias
    /// alone, at its rate G(b_i) (notes 1.2.2): before the first step, the
    /// guess that takes it in substeps (a first step of 10 ms in the
    /// benchmark network at N = 3,000 took 0.3 s whole).
    fn spikes_of_bias(&self) -> usize {
        let (tau_m, tau_ref) = (self.params.tau_m_s, self.params.tau_ref_s);
        let rates: f64 = self
            .bias
            .iter()
            .map(|&b| firing_rate(b, tau_m, tau_ref))
            .sum();
        (rates * self.step_dt_s).min(1e15) as usize
    }
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
        spikes[first..].sort_by(|a, b| {
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
    /// `dt_ms`: about 60 spikes a step of 5 ms, taken in 16 substeps.
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
            assert!(most >= 8, "{most} substeps");
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

    /// The benchmark network's optimum (the module's doc): about 6 spikes a
    /// substep at N = 1,000 and K = 20, 10 at N = 3,000 and K = 60; at least
    /// 8.
    #[test]
    fn the_aim_is_the_measured_optimum() {
        assert_eq!(aim(1000, 20_000), 8.0);
        assert!((aim(3000, 180_000) - 3000.0 / (40.0 * 60f64.sqrt())).abs() < 1e-12);
        assert_eq!(aim(3, 0), 8.0);
        assert_eq!(aim(0, 0), 8.0);
    }

    /// A step of up to 4 aim spikes stays whole; beyond, the power of two
    /// that brings them to aim a substep or below; back down only below
    /// aim / 4 a substep; never above `MAX_SUBSTEPS`.
    #[test]
    fn substeps_follow_the_last_steps_spikes_with_a_margin() {
        let at = |spikes, now, aim| substeps_for(spikes, now, aim, 10_000_000_000);
        assert_eq!(at(0, 1, 8.0), 1);
        assert_eq!(at(32, 1, 8.0), 1);
        assert_eq!(at(33, 1, 8.0), 8);
        assert_eq!(at(400, 1, 8.0), 64);
        assert_eq!(at(380, 64, 8.0), 64);
        assert_eq!(at(128, 64, 8.0), 64);
        assert_eq!(at(127, 64, 8.0), 16);
        assert_eq!(at(0, 64, 8.0), 1);
        assert_eq!(at(10_000_000, 1, 8.0), MAX_SUBSTEPS);
        // A runaway's step whole.
        assert_eq!(substeps_for(9_999, 1, 8.0, 10_000), 2048);
        assert_eq!(substeps_for(10_000, 64, 8.0, 10_000), 1);
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
