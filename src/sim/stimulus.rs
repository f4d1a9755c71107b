//! Input stimuli: the current J_in (HH, µA/cm²), the input v_in (LIF) or the
//! external input x_i (network neurons), as a function of time.
//!
//! Every kind has an `amplitude`, the level the keyboard adjusts, and an
//! `offset` added everywhere. A stimulus is sampled once per step, at the
//! step's midpoint, and held over the step.

use rand::SeedableRng;
use rand_distr::{Distribution, StandardNormal};
use rand_pcg::Pcg64;

/// The shape of a stimulus over time (times in seconds).
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// `amplitude` at all times.
    Constant,
    /// `amplitude` for start <= t < stop, 0 elsewhere.
    Step { start_s: f64, stop_s: f64 },
    /// Rectangular pulses of `amplitude`, `width_s` long, every `period_s`
    /// from `start_s`, `count` of them (None: without end).
    Pulses {
        start_s: f64,
        width_s: f64,
        period_s: f64,
        count: Option<u64>,
    },
    /// 0 until `start_s`, rising linearly to `amplitude` at `stop_s`, held
    /// after.
    Ramp { start_s: f64, stop_s: f64 },
    /// amplitude sin(2π f (t - start) + phase) from `start_s`.
    Sine {
        frequency_hz: f64,
        phase_rad: f64,
        start_s: f64,
    },
    /// Gaussian white noise around `amplitude`: each step's value is
    /// amplitude + sigma ξ / √dt with ξ ~ N(0, 1), so `sigma` (amplitude
    /// units × √s) sets the noise density independently of dt. Seeded: the
    /// same seed gives the same run.
    Noise { sigma: f64, seed: u64 },
}

/// A stimulus: a shape, its adjustable amplitude and an offset.
#[derive(Debug, Clone)]
pub struct Stimulus {
    pub shape: Shape,
    pub amplitude: f64,
    pub offset: f64,
    rng: Option<Pcg64>,
}

impl Stimulus {
    pub fn new(shape: Shape, amplitude: f64, offset: f64) -> Self {
        let rng = match shape {
            Shape::Noise { seed, .. } => Some(Pcg64::seed_from_u64(seed)),
            _ => None,
        };
        Self {
            shape,
            amplitude,
            offset,
            rng,
        }
    }

    pub fn constant(amplitude: f64) -> Self {
        Self::new(Shape::Constant, amplitude, 0.0)
    }

    pub fn kind_name(&self) -> &'static str {
        match self.shape {
            Shape::Constant => "constant",
            Shape::Step { .. } => "step",
            Shape::Pulses { .. } => "pulses",
            Shape::Ramp { .. } => "ramp",
            Shape::Sine { .. } => "sine",
            Shape::Noise { .. } => "noise",
        }
    }

    /// Starts the noise sequence again (same seed, same values).
    pub fn reset(&mut self) {
        if let Shape::Noise { seed, .. } = self.shape {
            self.rng = Some(Pcg64::seed_from_u64(seed));
        }
    }

    /// The deterministic part at time t (noise: its mean).
    pub fn level_at(&self, t_s: f64) -> f64 {
        let a = self.amplitude;
        self.offset
            + match self.shape {
                Shape::Constant | Shape::Noise { .. } => a,
                Shape::Step { start_s, stop_s } => {
                    if t_s >= start_s && t_s < stop_s {
                        a
                    } else {
                        0.0
                    }
                }
                Shape::Pulses {
                    start_s,
                    width_s,
                    period_s,
                    count,
                } => {
                    if t_s < start_s {
                        0.0
                    } else {
                        let since = t_s - start_s;
                        let k = (since / period_s).floor();
                        let within = since - k * period_s;
                        let counted = count.is_none_or(|c| k < c as f64);
                        if counted && within < width_s { a } else { 0.0 }
                    }
                }
                Shape::Ramp { start_s, stop_s } => {
                    if t_s <= start_s {
                        0.0
                    } else if t_s >= stop_s {
                        a
                    } else {
                        a * (t_s - start_s) / (stop_s - start_s)
                    }
                }
                Shape::Sine {
                    frequency_hz,
                    phase_rad,
                    start_s,
                } => {
                    if t_s < start_s {
                        0.0
                    } else {
                        a * (std::f64::consts::TAU * frequency_hz * (t_s - start_s) + phase_rad)
                            .sin()
                    }
                }
            }
    }

    /// The value held over the step [t0, t0 + dt): the level at the midpoint,
    /// plus a fresh noise sample for the noise kind.
    pub fn sample_step(&mut self, t0_s: f64, dt_s: f64) -> f64 {
        let level = self.level_at(t0_s + 0.5 * dt_s);
        match (&self.shape, self.rng.as_mut()) {
            (Shape::Noise { sigma, .. }, Some(rng)) => {
                let xi: f64 = StandardNormal.sample(rng);
                level + sigma * xi / dt_s.sqrt()
            }
            _ => level,
        }
    }
}

/// A stimulus and the neurons it drives (for single-neuron models: neuron 0).
#[derive(Debug, Clone)]
pub struct TargetedStimulus {
    pub stimulus: Stimulus,
    /// Neuron indices; `None` drives every neuron.
    pub neurons: Option<Vec<usize>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pulses_have_their_width_and_count() {
        let s = Stimulus::new(
            Shape::Pulses {
                start_s: 0.01,
                width_s: 0.002,
                period_s: 0.01,
                count: Some(2),
            },
            5.0,
            0.0,
        );
        assert_eq!(s.level_at(0.0099), 0.0);
        assert_eq!(s.level_at(0.0105), 5.0);
        assert_eq!(s.level_at(0.0125), 0.0);
        assert_eq!(s.level_at(0.0205), 5.0);
        assert_eq!(s.level_at(0.0305), 0.0);
    }

    #[test]
    fn noise_repeats_with_its_seed() {
        let shape = Shape::Noise {
            sigma: 0.1,
            seed: 7,
        };
        let mut a = Stimulus::new(shape.clone(), 1.0, 0.0);
        let mut b = Stimulus::new(shape, 1.0, 0.0);
        let xs: Vec<f64> = (0..10).map(|k| a.sample_step(k as f64, 1e-3)).collect();
        let ys: Vec<f64> = (0..10).map(|k| b.sample_step(k as f64, 1e-3)).collect();
        assert_eq!(xs, ys);
        a.reset();
        assert_eq!(a.sample_step(0.0, 1e-3), xs[0]);
    }
}
