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

use super::first_order::{SIGN_BIT, gather_marked};
use super::{LifNetwork, Segment};
use crate::model::Arrival;

impl LifNetwork {
    /// The step in grid mode: propagate and test the threshold (first order
    /// on a vectorized pass, other orders per neuron), then deliver.
    pub(super) fn step_grid(&mut self, arrivals: &[Arrival]) {
        if self.params.stages() == 1 {
            self.grid_pass_first_order();
        } else {
            self.grid_pass_any_order();
        }
        let rest_steps = self.grid_rest_steps().max(1);
        for &(i, _) in &self.step_spikes {
            self.wake_step[i] = self.step_index + rest_steps;
        }
        let ns = self.params.stages();
        let jump = 1.0 / self.params.filter.tau_s_s;
        let c = &self.connections;
        for &(j, _) in &self.step_spikes {
            for syn in &c.synapses[c.start[j]..c.start[j + 1]] {
                self.stages[syn.target as usize * ns] += syn.weight * jump;
            }
        }
        for a in arrivals {
            match a.target {
                Some(i) if i < self.len() => self.stages[i * ns] += a.weight * jump,
                Some(_) => {}
                None => {
                    for i in 0..self.len() {
                        self.stages[i * ns] += a.weight * jump;
                    }
                }
            }
        }
    }

    /// R = timestep(tau_ref, dt): the whole steps of the refractory period,
    /// a multiple of dt not lost to rounding (Brian2's `_timestep`).
    pub(super) fn grid_rest_steps(&self) -> u64 {
        ((self.params.tau_ref_s + 1e-3 * self.dt_s) / self.dt_s) as u64
    }

    /// The first-order step (n = 0) of every neuron in place, branch-free so
    /// that it vectorizes: where integrating, v' = e^(-dt/tau_m) v +
    /// (1 - e^(-dt/tau_m)) I + g_0(dt) s (v kept where resting); s' =
    /// e^(-dt/tau_s) s; a spike marked where v' > 1, and v' set to 0.
    /// Spikes go to `step_spikes` in neuron order.
    fn grid_pass_first_order(&mut self) {
        let n = self.len();
        let c = &self.step_coef;
        let (e_m, a, g, e_s) = (c.e_m, 1.0 - c.e_m, c.v_from_stage[0], c.stage[0]);
        let step = self.step_index;
        let mut not_finite = 0u64;
        {
            let (v, s) = (&mut self.v[..n], &mut self.stages[..n]);
            let (drive, wake_step) = (&self.drive[..n], &self.wake_step[..n]);
            let event = &mut self.event[..n];
            for i in 0..n {
                let (v0, s0) = (v[i], s[i]);
                let integrated = e_m * v0 + a * drive[i] + g * s0;
                let vn = if wake_step[i] <= step { integrated } else { v0 };
                let sn = e_s * s0;
                let spike = vn > 1.0;
                v[i] = if spike { 0.0 } else { vn };
                s[i] = sn;
                event[i] = if spike { u64::MAX } else { 0 };
                // As in `Part::integrate`: the bits of x * 0 are at most the
                // sign bit exactly when x is finite, and vn + sn is finite
                // exactly when both are.
                not_finite |= ((vn + sn) * 0.0).to_bits();
            }
        }
        let count = gather_marked(&self.event[..n], &mut self.event_index);
        self.step_spikes
            .extend(self.event_index[..count].iter().map(|&i| (i as usize, 0.0)));
        self.state_finite = not_finite & !SIGN_BIT == 0;
    }

    /// The step of every neuron for any filter order, per neuron on the
    /// general propagator.
    fn grid_pass_any_order(&mut self) {
        let ns = self.params.stages();
        let step = self.step_index;
        let mut finite = true;
        for i in 0..self.len() {
            let stages = &mut self.stages[i * ns..(i + 1) * ns];
            let integrating = self.wake_step[i] <= step;
            let drive = if integrating { self.drive[i] } else { 0.0 };
            let mut end = Segment::load(self.v[i], stages).propagate(&self.step_coef, ns, drive);
            if !integrating {
                end.v = self.v[i];
            }
            finite &= end.v.is_finite() && end.stages[..ns].iter().all(|x| x.is_finite());
            if end.v > 1.0 {
                self.step_spikes.push((i, 0.0));
                end.v = 0.0;
            }
            self.v[i] = end.v;
            stages.copy_from_slice(&end.stages[..ns]);
        }
        self.state_finite = finite;
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Connections, NetworkParams, SpikeTiming};
    use super::*;
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
            net.v[0] = 0.9999;
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
            assert_eq!(net.stages[ns], 0.3 / 0.005, "order {order}");
            assert_eq!(net.stages[ns + 1..2 * ns].iter().sum::<f64>(), 0.0);
            assert_eq!(net.v[1], 0.0);
            net.step(dt, &[], &mut spikes);
            assert!(net.v[1] > 0.0, "order {order}");
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
            net.v[0] = 0.9999;
            let mut spikes = Vec::new();
            net.step(0.0, &[], &mut spikes);
            assert_eq!(spikes.len(), 1);
            for k in 1..5 {
                net.step(k as f64 * dt, &[], &mut spikes);
            }
            net.prepare(new_dt);
            for k in 0..rest_steps {
                net.step(5.0 * dt + k as f64 * new_dt, &[], &mut spikes);
                assert_eq!(net.v[0], 0.0, "dt {new_dt}: step {k}");
            }
            net.step(5.0 * dt + rest_steps as f64 * new_dt, &[], &mut spikes);
            assert!(net.v[0] > 0.0, "dt {new_dt}");
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
            net.bias[1] = f64::INFINITY;
            net.step(1e-4, &[], &mut Vec::new());
            assert!(!net.state_finite(), "order {order}");
        }
    }
}
