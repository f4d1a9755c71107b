//! Grid-constrained spike timing (`SpikeTiming::Grid`): the clock-driven
//! step of Brian2 with `method='exact'`, so that its networks can be
//! reproduced spike for spike (`tests/refdata.rs` against `refdata/net`).
//!
//! Each step, from t_k to t_k + dt:
//!
//! ```text
//! 1. (v, s_0..s_n) propagated exactly over dt with the drive held, as in the
//!    exact mode (v held while refractory: Brian2's "unless refractory");
//! 2. v > 1 at the step's end: a spike, stamped t_k (the step's start, as
//!    Brian2 records it), and v = 0;
//! 3. each spike adds w_ij / tau_s to stage 0 of its targets at the step's
//!    end (Brian2's synapses run after the threshold): it acts from the
//!    next step on; input trains arriving inside the step likewise.
//! ```
//!
//! Refractoriness counts whole steps from the stamp, as Brian2's
//! `timestep(t - lastspike, dt) >= timestep(tau_ref, dt)` does with
//! timestep(τ, dt) = floor((τ + 10⁻³ dt)/dt) = R: a neuron that spikes in
//! step k holds v at 0 through steps k+1..k+R-1 and integrates again from
//! step k + max(R, 1).

use super::connections::Connections;
use super::fork_join::ForkJoin;
use super::grid_pass::{GridPart, GridStep};
use super::parallel::Exec;
use super::propagator::Segment;
use super::solve::StepSpike;
use super::state::Rest;
use super::{NetworkParams, Step};
use crate::model::Arrival;

/// R = timestep(tau_ref, dt): the whole steps of the refractory period, a
/// multiple of dt not lost to rounding (Brian2's `_timestep`).
fn rest_steps(p: &NetworkParams, dt: f64) -> u64 {
    ((p.tau_ref_s + 1e-3 * dt) / dt) as u64
}

/// A change of dt on the grid: the rest left, in whole steps of the new dt
/// that cover it (a multiple of dt not lost to rounding, as `rest_steps`).
pub(super) fn change_dt(rest: &mut Rest, next: u64, old_dt: f64, dt: f64) {
    for wake in rest.wake_step.iter_mut() {
        if *wake > next {
            let left = (*wake - next) as f64 * old_dt;
            *wake = next + (left / dt - 1e-3).ceil() as u64;
        }
    }
}

impl Step<'_> {
    /// The step in grid mode: propagate and test the threshold (first order
    /// on a vectorized pass, in two parts on two threads in a large network
    /// as the exact step does; other orders per neuron), then deliver.
    pub(super) fn step_grid(&mut self, exec: &mut Exec, arrivals: &[Arrival]) {
        let ns = self.p.stages();
        let jump = 1.0 / self.p.filter.tau_s_s;
        if ns == 1 {
            self.grid_step_first_order(exec);
        } else {
            self.grid_pass_any_order();
            self.grid_start_rest();
            let all = GridDelivery {
                connections: self.connections,
                jump,
                first: 0,
                ns,
            };
            all.deliver(
                &self.scratch.spikes,
                |j| self.connections.range(j),
                &mut self.state.stages,
            );
        }
        let n = self.state.v.len();
        for a in arrivals {
            match a.target {
                Some(i) if i < n => self.state.stages[i * ns] += a.weight * jump,
                Some(_) => {}
                None => {
                    for i in 0..n {
                        self.state.stages[i * ns] += a.weight * jump;
                    }
                }
            }
        }
    }

    /// Marks this step's spikers refractory: each rests until step k + R
    /// (at least the next).
    fn grid_start_rest(&mut self) {
        let wake = self.state.step_index + rest_steps(self.p, self.prop.dt_s).max(1);
        for s in &self.scratch.spikes {
            self.state.rest.wake_step[s.neuron] = wake;
        }
    }

    /// The first-order grid step: the pass, then the delivery, each in two
    /// parts on two threads where the network is large enough (see
    /// `Exec::split_parts`); every target gets the same inputs in the same
    /// order either way, so the results are the same to the last bit.
    fn grid_step_first_order(&mut self, exec: &mut Exec) {
        let split = exec.split_parts(
            self.connections,
            &mut self.state.rest,
            self.prop.dt_s,
            &mut self.scratch.event_counts,
        );
        let c = GridStep {
            e_m: self.prop.step.e_m,
            e_s: self.prop.step.stage[0],
            g: self.prop.step.v_from_stage[0],
            step: self.state.step_index,
        };
        if let Some(helper) = exec.helper_for(split, self.state.v.len()) {
            return self.grid_step_in_two_parts(helper, exec.second_part_targets(), split, c);
        }
        let state = &mut *self.state;
        let scratch = &mut *self.scratch;
        let (count, finite) = GridPart {
            v: &mut state.v,
            s: &mut state.stages,
            drive_term: &scratch.grid_drive,
            wake_step: &state.rest.wake_step,
            event: &mut scratch.event,
            event_index: &mut scratch.event_index,
        }
        .pass(c);
        scratch.finite = finite;
        let at_start = |&i: &u32| StepSpike {
            neuron: i as usize,
            offset_s: 0.0,
        };
        scratch
            .spikes
            .extend(scratch.event_index[..count].iter().map(at_start));
        self.grid_start_rest();
        let all = GridDelivery {
            connections: self.connections,
            jump: 1.0 / self.p.filter.tau_s_s,
            first: 0,
            ns: 1,
        };
        let targets = |j| self.connections.range(j);
        all.deliver(&self.scratch.spikes, targets, &mut self.state.stages);
    }

    /// The first-order grid step on two parts, each on its thread, with one
    /// hand-over (`ForkJoin::join_phased`): each part's pass, its spikers
    /// marked refractory; then, once both are done, each lists the step's
    /// spikes in neuron order (the first part's, then the second's) and
    /// delivers them all to its own neurons. The list is left in `spikes`.
    fn grid_step_in_two_parts(
        &mut self,
        helper: &ForkJoin,
        mid: &[usize],
        split: usize,
        c: GridStep,
    ) {
        let connections = self.connections;
        let wake = self.state.step_index + rest_steps(self.p, self.prop.dt_s).max(1);
        let all = GridDelivery {
            connections,
            jump: 1.0 / self.p.filter.tau_s_s,
            first: 0,
            ns: 1,
        };
        let second_delivery = GridDelivery {
            first: split,
            ..all
        };
        let state = &mut *self.state;
        let scratch = &mut *self.scratch;
        let (v, v2) = state.v.split_at_mut(split);
        let (s, s2) = state.stages.split_at_mut(split);
        let (drive_term, drive_term2) = scratch.grid_drive.split_at(split);
        let (wake_step, wake_step2) = state.rest.wake_step.split_at_mut(split);
        let (event, event2) = scratch.event.split_at_mut(split);
        let (event_index, event_index2) = scratch.event_index.split_at_mut(split);
        let (spikes, spikes2) = (&mut scratch.spikes, &mut scratch.spikes_second_merged);
        let first = GridShare {
            v,
            s,
            drive_term,
            wake_step,
            event,
            event_index,
        };
        let second = GridShare {
            v: v2,
            s: s2,
            drive_term: drive_term2,
            wake_step: wake_step2,
            event: event2,
            event_index: event_index2,
        };
        let mut finite = true;
        type Marked<'a> = (bool, &'a [u32]);
        helper.join_phased(
            (
                || first.pass_and_rest(c, wake),
                |s: &mut [f64], (finite_a, a): &Marked, (finite_b, b): &Marked| {
                    finite = *finite_a && *finite_b;
                    list_in_neuron_order((a, b), split, spikes);
                    all.deliver(spikes, |j| connections.range(j).start..mid[j], s);
                },
            ),
            (
                || second.pass_and_rest(c, wake),
                |s: &mut [f64], (_, a): &Marked, (_, b): &Marked| {
                    list_in_neuron_order((a, b), split, spikes2);
                    second_delivery.deliver(spikes2, |j| mid[j]..connections.range(j).end, s);
                },
            ),
        );
        scratch.finite = finite;
    }

    /// The step of every neuron for any filter order, per neuron on the
    /// general propagator.
    fn grid_pass_any_order(&mut self) {
        let ns = self.p.stages();
        let step = self.state.step_index;
        let mut finite = true;
        for i in 0..self.state.v.len() {
            let stages = &mut self.state.stages[i * ns..(i + 1) * ns];
            let integrating = self.state.rest.wake_step[i] <= step;
            let drive = if integrating { self.drive[i] } else { 0.0 };
            let mut end =
                Segment::load(self.state.v[i], stages).propagate(&self.prop.step, ns, drive);
            if !integrating {
                end.v = self.state.v[i];
            }
            finite &= end.v.is_finite() && end.stages[..ns].iter().all(|x| x.is_finite());
            if end.v > 1.0 {
                self.scratch.spikes.push(StepSpike {
                    neuron: i,
                    offset_s: 0.0,
                });
                end.v = 0.0;
            }
            self.state.v[i] = end.v;
            stages.copy_from_slice(&end.stages[..ns]);
        }
        self.scratch.finite = finite;
    }
}

/// One part's neurons for the two-part grid step: the pass's arrays
/// (`GridPart`), and the rest record, which the part writes after its pass.
struct GridShare<'a> {
    v: &'a mut [f64],
    s: &'a mut [f64],
    drive_term: &'a [f64],
    wake_step: &'a mut [u64],
    event: &'a mut [u64],
    event_index: &'a mut [u32],
}

impl<'a> GridShare<'a> {
    /// The part's pass, then its spikers marked refractory until step
    /// `wake`: whether every state stayed finite, the spikers (part
    /// indices), and the part's s, for the delivery.
    fn pass_and_rest(self, c: GridStep, wake: u64) -> ((bool, &'a [u32]), &'a mut [f64]) {
        let GridShare {
            v,
            s,
            drive_term,
            wake_step,
            event,
            event_index,
        } = self;
        let (count, finite) = GridPart {
            v,
            s: &mut *s,
            drive_term,
            wake_step: &*wake_step,
            event,
            event_index: &mut *event_index,
        }
        .pass(c);
        let spikers: &'a [u32] = &event_index[..count];
        for &k in spikers {
            wake_step[k as usize] = wake;
        }
        ((finite, spikers), s)
    }
}

/// The step's spikes in neuron order from the two parts' spikers (the
/// second's from neuron `split`), into `out`.
fn list_in_neuron_order((a, b): (&[u32], &[u32]), split: usize, out: &mut Vec<StepSpike>) {
    let at = |first: usize| {
        move |&k: &u32| StepSpike {
            neuron: first + k as usize,
            offset_s: 0.0,
        }
    };
    out.clear();
    out.extend(a.iter().map(at(0)));
    out.extend(b.iter().map(at(split)));
}

/// A delivery on the grid: w/tau_s (`jump` w) into stage 0 of each target,
/// the targets being neurons `first..` of the stages given (`ns` per
/// neuron).
#[derive(Clone, Copy)]
struct GridDelivery<'a> {
    connections: &'a Connections,
    jump: f64,
    first: usize,
    ns: usize,
}

impl GridDelivery<'_> {
    /// Each spike's synapses `targets(j)`, in the spikes' order. Inlined
    /// where it is called: a call of its own cost each step about 16 ns
    /// (a grid run at N = 1,000 took 0.97 of its time inlined, 10 s
    /// simulated or 1 s; the same spikes).
    #[inline(always)]
    fn deliver(
        &self,
        spikes: &[StepSpike],
        targets: impl Fn(usize) -> std::ops::Range<usize>,
        stages: &mut [f64],
    ) {
        let synapses = self.connections.synapses();
        for spike in spikes {
            for syn in &synapses[targets(spike.neuron)] {
                stages[(syn.target as usize - self.first) * self.ns] += syn.weight * self.jump;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Connections, LifNetwork, NetworkParams, SpikeTiming};
    use crate::model::Spike;
    use crate::model::synapse::PscFilter;

    fn grid_network(
        order: usize,
        tau_ref_s: f64,
        bias: Vec<f64>,
        w: &[Vec<f64>],
        dt: f64,
    ) -> LifNetwork {
        let n = bias.len();
        let params = NetworkParams {
            tau_m_s: 0.02,
            tau_ref_s,
            filter: PscFilter::new(order, 0.005),
            spike_timing: SpikeTiming::Grid,
        };
        let names = (0..n).map(|i| format!("n{i}")).collect();
        LifNetwork::new(
            params,
            names,
            bias,
            Connections::from_dense(w),
            vec![0.0; n],
            dt,
        )
    }

    fn run(net: &mut LifNetwork, dt: f64, steps: usize) -> Vec<Spike> {
        let mut spikes = Vec::new();
        for k in 0..steps {
            net.step(k as f64 * dt, &[], &mut spikes);
        }
        spikes
    }

    /// A lone neuron with drive 1.5 crosses T = tau_m ln 3 = 21.97 ms after
    /// it starts from 0: stamped floor(T/dt) = 219 steps after it starts,
    /// then every R + 219 steps, R = timestep(tau_ref, dt) as in Brian2
    /// (20 for 2 ms, 2 for 0.25 ms, and at least 1: 0 s rests no step).
    #[test]
    fn a_lone_neuron_fires_on_brian2s_grid() {
        let dt = 1e-4;
        for order in [0, 1] {
            for (tau_ref, rest) in [(0.002, 20), (0.00025, 2), (0.0, 1)] {
                let mut net = grid_network(order, tau_ref, vec![1.5], &[vec![0.0]], dt);
                let spikes = run(&mut net, dt, 2000);
                let steps: Vec<u64> = spikes
                    .iter()
                    .map(|s| (s.time_s / dt).round() as u64)
                    .collect();
                let want: Vec<u64> = (0..steps.len() as u64)
                    .map(|m| 219 + m * (rest + 219))
                    .collect();
                assert_eq!(steps, want, "order {order}, tau_ref {tau_ref}");
                assert_eq!(steps.len() as u64, (2000 - 219 - 1) / (rest + 219) + 1);
                for s in &spikes {
                    assert_eq!(s.time_s, (s.time_s / dt).round() * dt);
                }
            }
        }
    }

    /// A spike's input reaches its target at its step's end: the target's
    /// filter holds w/tau_s after that step (first stage; the only one for
    /// order 0), and its v feels it only from the next step on.
    #[test]
    fn a_spike_reaches_its_targets_at_the_steps_end() {
        let dt = 1e-4;
        let w = [vec![0.0, 0.0], vec![0.3, 0.0]];
        for order in [0, 2] {
            let mut net = grid_network(order, 0.002, vec![1.5, 0.0], &w, dt);
            net.state.v[0] = 0.9999;
            let mut spikes = Vec::new();
            net.step(0.0, &[], &mut spikes);
            assert_eq!(
                spikes,
                vec![Spike {
                    neuron: 0,
                    time_s: 0.0
                }]
            );
            let ns = order + 1;
            assert_eq!(net.state.stages[ns], 0.3 / 0.005, "order {order}");
            assert_eq!(net.state.stages[ns + 1..2 * ns].iter().sum::<f64>(), 0.0);
            assert_eq!(net.state.v[1], 0.0);
            net.step(dt, &[], &mut spikes);
            assert!(net.state.v[1] > 0.0, "order {order}");
        }
    }

    /// Rest is kept when dt changes, in whole steps of the new dt that cover
    /// what was left: 1.5 ms left at dt = 0.4 ms is 4 steps (as Brian2's
    /// timestep test would count them), so the neuron integrates again
    /// 2.1 ms after its stamp; at 0.05 ms, 30 steps, 2 ms after it.
    #[test]
    fn the_rest_survives_a_change_of_dt() {
        let dt = 1e-4;
        for (new_dt, rest_steps) in [(4e-4, 4), (5e-5, 30)] {
            let mut net = grid_network(0, 0.002, vec![1.5], &[vec![0.0]], dt);
            net.state.v[0] = 0.9999;
            let mut spikes = Vec::new();
            net.step(0.0, &[], &mut spikes);
            assert_eq!(spikes.len(), 1);
            for k in 1..5 {
                net.step(k as f64 * dt, &[], &mut spikes);
            }
            net.prepare(new_dt);
            for k in 0..rest_steps {
                net.step(5.0 * dt + k as f64 * new_dt, &[], &mut spikes);
                assert_eq!(net.state.v[0], 0.0, "dt {new_dt}: step {k}");
            }
            net.step(5.0 * dt + rest_steps as f64 * new_dt, &[], &mut spikes);
            assert!(net.state.v[0] > 0.0, "dt {new_dt}");
        }
    }

    /// A state that is not finite is noticed by either pass.
    #[test]
    fn a_state_that_is_not_finite_is_noticed() {
        for order in [0, 1] {
            let mut net = grid_network(
                order,
                0.002,
                vec![1.0, 1.0],
                &[vec![0.0; 2], vec![0.0; 2]],
                1e-4,
            );
            net.step(0.0, &[], &mut Vec::new());
            assert!(net.state_finite());
            net.bias_mut()[1] = f64::INFINITY;
            net.step(1e-4, &[], &mut Vec::new());
            assert!(!net.state_finite(), "order {order}");
        }
    }
}
