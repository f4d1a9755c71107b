//! The leaky integrate-and-fire neuron, normalized (notes 1.2).
//!
//! ```text
//! tau_m dv/dt = v_in - v      while v < 1 and not refractory
//! v reaches 1: a spike; v resets to 0 and is held there for tau_ref
//! G(v_in) = 1 / (tau_ref - tau_m ln(1 - 1/v_in))   for v_in > 1, else 0
//! ```
//!
//! The threshold and reset may be moved (`v_threshold`, `v_reset`, defaults
//! 1 and 0, as the notes); the rate is then
//! 1 / (tau_ref + tau_m ln((v_in - v_reset)/(v_in - v_threshold))).
//!
//! The step is exact for input held over the step, as Nengo's `LIF.step`:
//! the linear part is integrated in closed form, a refractory period that ends
//! inside the step shortens the integrated span, and the threshold crossing is
//! located inside the step from the closed form, so the measured rate equals
//! G(v_in) at any dt. Unlike Nengo's, the step also allows several spikes in
//! one step (a dt longer than tau_ref).

use super::{MAX_SPIKES_PER_STEP, Spike};
use crate::model::elementary::{exp, ln_1p};

/// LIF parameters (seconds).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LifParams {
    /// Membrane time constant tau_m = RC (s).
    pub tau_m_s: f64,
    /// Refractory period tau_ref (s).
    pub tau_ref_s: f64,
    /// Threshold (1 in the notes' normalization).
    pub v_threshold: f64,
    /// Reset potential (0 in the notes' normalization), below the threshold.
    pub v_reset: f64,
}

impl Default for LifParams {
    /// The notes' cortical values: tau_m = 20 ms, tau_ref = 2 ms, threshold
    /// 1, reset 0.
    fn default() -> Self {
        Self {
            tau_m_s: 0.020,
            tau_ref_s: 0.002,
            v_threshold: 1.0,
            v_reset: 0.0,
        }
    }
}

impl LifParams {
    /// The firing rate G(v_in) in Hz for constant input (notes 1.2.2).
    pub fn firing_rate(&self, v_in: f64) -> f64 {
        match self.time_to_threshold_s(v_in) {
            Some(t) => 1.0 / (self.tau_ref_s + t),
            None => 0.0,
        }
    }

    /// The time t* to rise from the reset to the threshold,
    /// tau_m ln((v_in - v_reset)/(v_in - v_threshold)) (-tau_m ln(1 - 1/v_in)
    /// in the notes' normalization), or `None` when v_in <= v_threshold and
    /// the neuron never fires.
    pub fn time_to_threshold_s(&self, v_in: f64) -> Option<f64> {
        (v_in > self.v_threshold).then(|| {
            self.tau_m_s * ln_1p((self.v_threshold - self.v_reset) / (v_in - self.v_threshold))
        })
    }
}

/// G(v_in) = 1 / (tau_ref - tau_m ln(1 - 1/v_in)) for v_in > 1, else 0 (Hz).
/// `ln_1p` keeps the precision where v_in is large and 1/v_in small.
pub fn firing_rate(v_in: f64, tau_m_s: f64, tau_ref_s: f64) -> f64 {
    if v_in > 1.0 {
        1.0 / (tau_ref_s - tau_m_s * ln_1p(-1.0 / v_in))
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
    /// A step reached `MAX_SPIKES_PER_STEP` spikes (an input so large, with
    /// tau_ref so short, that the rate is beyond any step): `check` reports
    /// it, rather than the step looping for minutes or for ever.
    pub(crate) saturated: bool,
}

impl LifNeuron {
    pub fn new(params: LifParams, v_init: f64, dt_s: f64) -> Self {
        let mut n = Self {
            params,
            v: v_init,
            refractory_s: 0.0,
            decay: 0.0,
            dt_s: 0.0,
            saturated: false,
        };
        n.prepare(dt_s);
        n
    }

    /// Precomputes the propagator for `dt_s`; call after changing dt or tau_m.
    pub fn prepare(&mut self, dt_s: f64) {
        self.dt_s = dt_s;
        self.decay = exp(-dt_s / self.params.tau_m_s);
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
            // The common case: integrating over the whole step from below
            // the threshold.
            let v_end = v_in + (self.v - v_in) * self.decay;
            if v_end <= self.params.v_threshold && self.v < self.params.v_threshold {
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
        let (v_th, v_reset) = (self.params.v_threshold, self.params.v_reset);
        let mut offset = 0.0;
        for _ in 0..MAX_SPIKES_PER_STEP {
            let left = dt - offset;
            if self.refractory_s >= left {
                self.refractory_s -= left;
                self.v = v_reset;
                return;
            }
            let start = offset + self.refractory_s.max(0.0);
            self.refractory_s = 0.0;
            let span = dt - start;
            let decay = if start == 0.0 {
                self.decay
            } else {
                exp(-span / tau_m)
            };
            let v_end = v_in + (self.v - v_in) * decay;
            if v_end <= v_th && self.v < v_th {
                self.v = v_end;
                return;
            }
            // v(t) = v_in + (v - v_in) e^(-t/tau) = v_th at
            // t = tau ln((v_in - v)/(v_in - v_th)) = tau ln1p((v_th - v)/(v_in - v_th)).
            // A v at or above the threshold already (the threshold lowered
            // under it while it ran) fires at once: the closed form is of a
            // crossing from below (above v_in it is the log of a negative
            // number, NaN).
            let t_cross = if self.v >= v_th {
                0.0
            } else {
                (tau_m * ln_1p((v_th - self.v) / (v_in - v_th))).clamp(0.0, span)
            };
            // A NaN input gives no crossing to place: v is left NaN for
            // the run's check of the state to report, not a spike at NaN.
            if t_cross.is_nan() {
                self.v = v_end;
                return;
            }
            let t_spike = start + t_cross;
            spikes.push(Spike {
                neuron: 0,
                time_s: t0_s + t_spike,
            });
            self.v = v_reset;
            self.refractory_s = self.params.tau_ref_s;
            offset = t_spike;
        }
        self.saturated = true;
    }
}

// The platform's elementary functions, an independent computation to check
// against.
#[cfg(test)]
#[allow(clippy::disallowed_methods)]
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

    /// A threshold lowered under a running v (the parameters panel): it
    /// fires at once, whether v then falls toward a v_in above the new
    /// threshold (the closed form's log of a negative number was NaN, and
    /// the next crossing's clamp to a NaN span panicked) or below it.
    #[test]
    fn a_v_above_a_lowered_threshold_fires_at_once() {
        let dt = 1e-4;
        for (v0, v_in, v_th) in [(0.89, 0.8, 0.7), (0.851, 0.5, 0.85), (0.9, 0.9, 0.85)] {
            let p = LifParams {
                v_threshold: v_th,
                ..LifParams::default()
            };
            let mut n = LifNeuron::new(p, v0, dt);
            let mut spikes = Vec::new();
            n.step(0.5, v_in, &mut spikes);
            assert_eq!(spikes.len(), 1, "{v0} {v_in} {v_th}");
            assert_eq!(spikes[0].time_s, 0.5, "at the step's start");
            assert!(n.is_refractory() && n.v == p.v_reset);
            for k in 1..1000 {
                n.step(0.5 + k as f64 * dt, v_in, &mut spikes);
                assert!(n.v.is_finite());
            }
        }
    }

    /// A NaN input (no preset or key gives one: every input is checked
    /// finite) leaves v NaN, which the run reports as unstable, rather
    /// than a spike at a NaN time and a panic on the step's next span.
    #[test]
    fn a_nan_input_leaves_v_nan_without_a_spike() {
        let mut n = LifNeuron::new(LifParams::default(), 0.5, 1e-4);
        let mut spikes = Vec::new();
        n.step(0.0, f64::NAN, &mut spikes);
        assert!(n.v.is_nan() && spikes.is_empty());
    }

    #[test]
    fn moved_threshold_and_reset_give_the_general_rate() {
        let p = LifParams {
            v_threshold: 0.8,
            v_reset: 0.3,
            ..LifParams::default()
        };
        let dt = 1e-4;
        let mut n = LifNeuron::new(p, 0.3, dt);
        let mut spikes = Vec::new();
        for k in 0..20_000 {
            n.step(k as f64 * dt, 1.2, &mut spikes);
        }
        let want = 1.0 / (0.002 + 0.02 * ((1.2f64 - 0.3) / (1.2 - 0.8)).ln());
        assert!((p.firing_rate(1.2) - want).abs() < 1e-9 * want);
        let isi = spikes[5].time_s - spikes[4].time_s;
        assert!((1.0 / isi - want).abs() < 1e-9 * want);
        assert_eq!(
            LifParams::default().firing_rate(1.5),
            firing_rate(1.5, 0.02, 0.002)
        );
    }

    #[test]
    fn several_spikes_in_one_long_step() {
        let p = LifParams {
            tau_ref_s: 0.0,
            ..LifParams::default()
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

    /// An input of 9e12 with no refractory time fires about 4.5e14 times
    /// a second: the step stops at the cap and says so (fuzzing found it
    /// looping for five minutes over 300 steps).
    #[test]
    fn a_rate_beyond_the_step_is_reported_not_looped() {
        let p = LifParams {
            tau_ref_s: 0.0,
            ..LifParams::default()
        };
        let mut model = super::super::AnyModel::Lif(LifNeuron::new(p, 0.0, 1e-4));
        let mut spikes = Vec::new();
        model.step(0.0, 1e-4, &[9e12], &[], &mut spikes);
        assert_eq!(spikes.len(), MAX_SPIKES_PER_STEP);
        let e = model.check(1e-4).unwrap_err();
        assert_eq!(
            e.cause,
            super::super::Unstable::RateBeyondStep {
                spikes: MAX_SPIKES_PER_STEP
            }
        );
        assert!(
            e.to_string().contains("raise tau_ref or lower the drive"),
            "{e}"
        );
        // Below the cap nothing is reported.
        let mut model = super::super::AnyModel::Lif(LifNeuron::new(p, 0.0, 1e-4));
        model.step(0.0, 1e-4, &[1e3], &[], &mut spikes);
        assert!(model.check(1e-4).is_ok());
    }
}
