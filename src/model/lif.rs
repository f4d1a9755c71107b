//! The leaky integrate-and-fire neuron, normalized (notes 1.2).
//!
//! ```text
//! tau_m dv/dt = v_in - v      while v < 1 and not refractory
//! v reaches 1: a spike; v resets to 0 and is held there for tau_ref
//! G(v_in) = 1 / (tau_ref - tau_m ln(1 - 1/v_in))   for v_in > 1, else 0
//! ```
//!
//! The step is exact for input held over the step, as Nengo's `LIF.step`:
//! the linear part is integrated in closed form, a refractory period that ends
//! inside the step shortens the integrated span, and the threshold crossing is
//! located inside the step from the closed form, so the measured rate equals
//! G(v_in) at any dt. Unlike Nengo's, the step also allows several spikes in
//! one step (a dt longer than tau_ref).

use super::Spike;

/// LIF parameters (seconds).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LifParams {
    /// Membrane time constant tau_m = RC (s).
    pub tau_m_s: f64,
    /// Refractory period tau_ref (s).
    pub tau_ref_s: f64,
}

impl Default for LifParams {
    /// The notes' cortical values: tau_m = 20 ms, tau_ref = 2 ms.
    fn default() -> Self {
        Self {
            tau_m_s: 0.020,
            tau_ref_s: 0.002,
        }
    }
}

impl LifParams {
    /// The firing rate G(v_in) in Hz for constant input (notes 1.2.2).
    pub fn firing_rate(&self, v_in: f64) -> f64 {
        firing_rate(v_in, self.tau_m_s, self.tau_ref_s)
    }

    /// The time t* to rise from v = 0 to the threshold, -tau_m ln(1 - 1/v_in),
    /// or `None` when v_in <= 1 and the neuron never fires.
    pub fn time_to_threshold_s(&self, v_in: f64) -> Option<f64> {
        (v_in > 1.0).then(|| -self.tau_m_s * (-1.0 / v_in).ln_1p())
    }
}

/// G(v_in) = 1 / (tau_ref - tau_m ln(1 - 1/v_in)) for v_in > 1, else 0 (Hz).
/// `ln_1p` keeps the precision where v_in is large and 1/v_in small.
pub fn firing_rate(v_in: f64, tau_m_s: f64, tau_ref_s: f64) -> f64 {
    if v_in > 1.0 {
        1.0 / (tau_ref_s - tau_m_s * (-1.0 / v_in).ln_1p())
    } else {
        0.0
    }
}

/// A single LIF neuron.
#[derive(Debug, Clone)]
pub struct LifNeuron {
    pub params: LifParams,
    /// Normalized membrane potential v (threshold 1, reset 0).
    pub v: f64,
    /// Refractory time left at the start of the next step (s).
    pub refractory_s: f64,
    /// e^(-dt/tau_m) for the prepared dt.
    decay: f64,
    dt_s: f64,
}

impl LifNeuron {
    pub fn new(params: LifParams, v_init: f64, dt_s: f64) -> Self {
        let mut n = Self {
            params,
            v: v_init,
            refractory_s: 0.0,
            decay: 0.0,
            dt_s: 0.0,
        };
        n.prepare(dt_s);
        n
    }

    /// Precomputes the propagator for `dt_s`; call after changing dt or tau_m.
    pub fn prepare(&mut self, dt_s: f64) {
        self.dt_s = dt_s;
        self.decay = (-dt_s / self.params.tau_m_s).exp();
    }

    pub fn is_refractory(&self) -> bool {
        self.refractory_s > 0.0
    }

    /// Advances one prepared step starting at `t0_s` with input `v_in` held
    /// over the step; appends any spikes (neuron 0) with their exact times.
    #[inline]
    pub fn step(&mut self, t0_s: f64, v_in: f64, spikes: &mut Vec<Spike>) {
        let dt = self.dt_s;
        if self.refractory_s <= 0.0 {
            // The common case: integrating over the whole step.
            let v_end = v_in + (self.v - v_in) * self.decay;
            if v_end <= 1.0 {
                self.v = v_end;
                return;
            }
        }
        self.step_with_events(t0_s, dt, v_in, spikes);
    }

    /// The rest of a step from `offset` (s after the step's start): a
    /// refractory end or threshold crossings inside it.
    fn step_with_events(&mut self, t0_s: f64, dt: f64, v_in: f64, spikes: &mut Vec<Spike>) {
        let tau_m = self.params.tau_m_s;
        let mut offset = 0.0;
        loop {
            let left = dt - offset;
            if self.refractory_s >= left {
                self.refractory_s -= left;
                self.v = 0.0;
                return;
            }
            let start = offset + self.refractory_s.max(0.0);
            self.refractory_s = 0.0;
            let span = dt - start;
            let decay = if start == 0.0 {
                self.decay
            } else {
                (-span / tau_m).exp()
            };
            let v_end = v_in + (self.v - v_in) * decay;
            if v_end <= 1.0 {
                self.v = v_end;
                return;
            }
            // v(t) = v_in + (v - v_in) e^(-t/tau) = 1 at
            // t = tau ln((v_in - v)/(v_in - 1)) = tau ln1p((1 - v)/(v_in - 1)).
            let t_cross = (tau_m * ((1.0 - self.v) / (v_in - 1.0)).ln_1p()).clamp(0.0, span);
            let t_spike = start + t_cross;
            spikes.push(Spike {
                neuron: 0,
                time_s: t0_s + t_spike,
            });
            self.v = 0.0;
            self.refractory_s = self.params.tau_ref_s;
            offset = t_spike;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn below_threshold_follows_closed_form() {
        let p = LifParams::default();
        let dt = 0.0007;
        let mut n = LifNeuron::new(p, 0.0, dt);
        let mut spikes = Vec::new();
        for k in 0..1000 {
            n.step(k as f64 * dt, 0.8, &mut spikes);
            let t = (k + 1) as f64 * dt;
            let want = 0.8 * (1.0 - (-t / p.tau_m_s).exp());
            assert!((n.v - want).abs() < 1e-12);
        }
        assert!(spikes.is_empty());
    }

    #[test]
    fn several_spikes_in_one_long_step() {
        let p = LifParams {
            tau_m_s: 0.02,
            tau_ref_s: 0.0,
        };
        let dt = 0.1;
        let mut n = LifNeuron::new(p, 0.0, dt);
        let mut spikes = Vec::new();
        n.step(0.0, 3.0, &mut spikes);
        let isi = p.time_to_threshold_s(3.0).unwrap();
        assert_eq!(spikes.len(), (dt / isi).floor() as usize);
        for (k, s) in spikes.iter().enumerate() {
            assert!((s.time_s - (k + 1) as f64 * isi).abs() < 1e-12);
        }
    }
}
