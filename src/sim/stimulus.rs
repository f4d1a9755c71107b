//! Input stimuli: the current J_in (HH, µA/cm²), the input v_in (LIF) or the
//! external input x_i (network neurons), as a function of time.
//!
//! Every kind has an `amplitude`, the level the keyboard adjusts, and an
//! `offset` added everywhere. A stimulus is sampled once per step, at the
//! step's midpoint, and held over the step.

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

use crate::model::elementary::{ln, sin};
use crate::named::Named;

/// The kinds a preset names (`kind = "..."`), one per shape; a clamp with
/// levels is the clamp kind's family form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StimulusKind {
    Constant,
    Step,
    Pulses,
    Ramp,
    Sine,
    Noise,
    Clamp,
    Spikes,
}

impl Named for StimulusKind {
    const ALL: &'static [StimulusKind] = &[
        StimulusKind::Constant,
        StimulusKind::Step,
        StimulusKind::Pulses,
        StimulusKind::Ramp,
        StimulusKind::Sine,
        StimulusKind::Noise,
        StimulusKind::Clamp,
        StimulusKind::Spikes,
    ];

    fn name(self) -> &'static str {
        match self {
            StimulusKind::Constant => "constant",
            StimulusKind::Step => "step",
            StimulusKind::Pulses => "pulses",
            StimulusKind::Ramp => "ramp",
            StimulusKind::Sine => "sine",
            StimulusKind::Noise => "noise",
            StimulusKind::Clamp => "clamp",
            StimulusKind::Spikes => "spikes",
        }
    }
}

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
    /// HH voltage clamp: V held at `amplitude` (mV) for start <= t < stop and
    /// at `hold_mv` elsewhere.
    Clamp {
        hold_mv: f64,
        start_s: f64,
        stop_s: f64,
    },
    /// HH voltage-clamp family: V at `levels[k]` + amplitude for `width_s`
    /// from start + k period, at `hold_mv` elsewhere.
    ClampSteps {
        hold_mv: f64,
        levels_mv: Vec<f64>,
        start_s: f64,
        width_s: f64,
        period_s: f64,
    },
    /// A spike train a(t) = Σ_p δ(t - t_p), each spike of weight `amplitude`
    /// delivered to the targets' PSC filters (or to the synapse model).
    Spikes(SpikeTrain),
}

/// Where a spike train's spike times come from.
#[derive(Debug, Clone, PartialEq)]
pub enum SpikeTrain {
    /// Given times (s), sorted.
    Times(Vec<f64>),
    /// Every 1/rate from start, before stop.
    Regular {
        rate_hz: f64,
        start_s: f64,
        stop_s: f64,
    },
    /// A Poisson process of `rate_hz` from start to stop, from a seed.
    Poisson {
        rate_hz: f64,
        start_s: f64,
        stop_s: f64,
        seed: u64,
    },
}

/// A stimulus: a shape, its adjustable amplitude and an offset.
#[derive(Debug, Clone)]
pub struct Stimulus {
    pub shape: Shape,
    pub amplitude: f64,
    pub offset: f64,
    rng: Option<Pcg64>,
    /// Spike trains: the index of the next given time, or the next Poisson
    /// spike time.
    next_index: usize,
    next_time_s: f64,
}

impl Stimulus {
    pub fn new(shape: Shape, amplitude: f64, offset: f64) -> Self {
        let mut s = Self {
            shape,
            amplitude,
            offset,
            rng: None,
            next_index: 0,
            next_time_s: f64::INFINITY,
        };
        s.reset();
        s
    }

    pub fn constant(amplitude: f64) -> Self {
        Self::new(Shape::Constant, amplitude, 0.0)
    }

    /// Whether this is a voltage clamp (HH only).
    pub fn is_clamp(&self) -> bool {
        matches!(self.shape, Shape::Clamp { .. } | Shape::ClampSteps { .. })
    }

    /// Whether this is a spike train (delivered to synapses, not a current).
    pub fn is_spike_train(&self) -> bool {
        matches!(self.shape, Shape::Spikes(_))
    }

    /// Starts the random sequences again (same seed, same values).
    pub fn reset(&mut self) {
        self.next_index = 0;
        self.next_time_s = f64::INFINITY;
        self.rng = None;
        match &self.shape {
            Shape::Noise { seed, .. } => self.rng = Some(Pcg64::seed_from_u64(*seed)),
            Shape::Spikes(SpikeTrain::Poisson {
                rate_hz,
                start_s,
                seed,
                ..
            }) => {
                let mut rng = Pcg64::seed_from_u64(*seed);
                self.next_time_s = start_s + exponential(&mut rng, *rate_hz);
                self.rng = Some(rng);
            }
            _ => {}
        }
    }

    /// Appends the times of the spikes in (t0, t1] (a train's first interval
    /// is [0, t1]): a spike at a step's end belongs to that step, so a filter
    /// read at that instant already shows it.
    pub fn spikes_in(&mut self, t0: f64, t1: f64, out: &mut Vec<f64>) {
        let Shape::Spikes(train) = &self.shape else {
            return;
        };
        let after = |t: f64| if t0 <= 0.0 { t >= t0 } else { t > t0 };
        match train {
            SpikeTrain::Times(times) => {
                while self.next_index < times.len() && times[self.next_index] <= t1 {
                    let t = times[self.next_index];
                    if after(t) {
                        out.push(t);
                    }
                    self.next_index += 1;
                }
            }
            SpikeTrain::Regular {
                rate_hz,
                start_s,
                stop_s,
            } => {
                let period = 1.0 / rate_hz;
                // The first k with start + k period in the interval.
                let mut k = ((t0 - start_s) / period).floor().max(0.0) as u64;
                loop {
                    let t = start_s + k as f64 * period;
                    if t > t1 || t >= *stop_s {
                        break;
                    }
                    if after(t) {
                        out.push(t);
                    }
                    k += 1;
                }
            }
            SpikeTrain::Poisson {
                rate_hz, stop_s, ..
            } => {
                let (rate, stop) = (*rate_hz, *stop_s);
                while self.next_time_s <= t1 && self.next_time_s < stop {
                    out.push(self.next_time_s);
                    let rng = self
                        .rng
                        .as_mut()
                        .expect("a Poisson train has its generator");
                    self.next_time_s += exponential(rng, rate);
                }
            }
        }
    }

    /// The deterministic part at time t (noise: its mean).
    pub fn level_at(&self, t_s: f64) -> f64 {
        let a = self.amplitude;
        self.offset
            + match self.shape {
                Shape::Constant | Shape::Noise { .. } => a,
                Shape::Spikes(_) => 0.0,
                Shape::Clamp {
                    hold_mv,
                    start_s,
                    stop_s,
                } => {
                    if t_s >= start_s && t_s < stop_s {
                        a
                    } else {
                        hold_mv
                    }
                }
                Shape::ClampSteps {
                    hold_mv,
                    ref levels_mv,
                    start_s,
                    width_s,
                    period_s,
                } => {
                    let k = ((t_s - start_s) / period_s).floor();
                    let within = t_s - start_s - k * period_s;
                    if k >= 0.0 && (k as usize) < levels_mv.len() && within < width_s {
                        levels_mv[k as usize] + a
                    } else {
                        hold_mv
                    }
                }
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
                        a * sin(std::f64::consts::TAU * frequency_hz * (t_s - start_s) + phase_rad)
                    }
                }
            }
    }

    /// The protocol's next change after `t_s`: the time it happens and the
    /// level from then on (the end of a ramp: the level it reaches). `None`
    /// for constant, sine and noise inputs, spike trains, and after the last
    /// change.
    pub fn next_change(&self, t_s: f64) -> Option<(f64, f64)> {
        let a = self.amplitude;
        let change = match self.shape {
            Shape::Constant | Shape::Noise { .. } | Shape::Sine { .. } | Shape::Spikes(_) => None,
            Shape::Step { start_s, stop_s } | Shape::Ramp { start_s, stop_s } => {
                let ramp = matches!(self.shape, Shape::Ramp { .. });
                if t_s < start_s && !ramp {
                    Some(start_s)
                } else if t_s < stop_s {
                    Some(stop_s)
                } else {
                    None
                }
            }
            Shape::Clamp {
                start_s, stop_s, ..
            } => [start_s, stop_s]
                .into_iter()
                .find(|&e| e > t_s && e.is_finite()),
            Shape::Pulses {
                start_s,
                width_s,
                period_s,
                count,
            } => {
                let k = ((t_s - start_s) / period_s).floor().max(0.0);
                let counted = |k: f64| count.is_none_or(|c| k < c as f64);
                [k, k + 1.0]
                    .into_iter()
                    .filter(|&k| counted(k))
                    .flat_map(|k| [start_s + k * period_s, start_s + k * period_s + width_s])
                    .find(|&e| e > t_s)
            }
            Shape::ClampSteps {
                ref levels_mv,
                start_s,
                width_s,
                period_s,
                ..
            } => {
                let k = ((t_s - start_s) / period_s).floor().max(0.0);
                [k, k + 1.0]
                    .into_iter()
                    .filter(|&k| (k as usize) < levels_mv.len())
                    .flat_map(|k| [start_s + k * period_s, start_s + k * period_s + width_s])
                    .find(|&e| e > t_s)
            }
        }?;
        // The level just after the change (the ramp's at its end).
        let level = if matches!(self.shape, Shape::Ramp { .. }) {
            self.offset + a
        } else {
            self.level_at(change + 1e-12 * change.abs().max(1e-3))
        };
        Some((change, level))
    }

    /// The value held over the step [t0, t0 + dt): the level at the midpoint,
    /// plus a fresh noise sample for the noise kind.
    pub fn sample_step(&mut self, t0_s: f64, dt_s: f64) -> f64 {
        let level = self.level_at(t0_s + 0.5 * dt_s);
        match (&self.shape, self.rng.as_mut()) {
            (Shape::Noise { sigma, .. }, Some(rng)) => {
                level + sigma * standard_normal(rng) / dt_s.sqrt()
            }
            _ => level,
        }
    }
}

/// An exponential waiting time of a Poisson process of `rate_hz`.
fn exponential(rng: &mut Pcg64, rate_hz: f64) -> f64 {
    let u: f64 = rng.random();
    -ln(1.0 - u) / rate_hz
}

/// A standard normal sample, by Marsaglia's polar method: (u, v) uniform in
/// the unit disc, s = u^2 + v^2, and u sqrt(-2 ln s / s) is N(0, 1) (v's
/// twin is not kept: a sample a step). Not `rand_distr`'s ziggurat, which
/// calls the platform's `exp` and `ln` in its rarer branches, whose last
/// bits differ between machines (model::elementary): this one's are the
/// same everywhere.
fn standard_normal(rng: &mut Pcg64) -> f64 {
    loop {
        let u = 2.0 * rng.random::<f64>() - 1.0;
        let v = 2.0 * rng.random::<f64>() - 1.0;
        let s = u * u + v * v;
        if s > 0.0 && s < 1.0 {
            return u * (-2.0 * ln(s) / s).sqrt();
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
    fn next_changes_follow_the_protocol() {
        let pulse = Stimulus::new(
            Shape::Pulses {
                start_s: 0.005,
                width_s: 0.001,
                period_s: 0.05,
                count: Some(1),
            },
            20.0,
            0.0,
        );
        assert_eq!(pulse.next_change(0.0), Some((0.005, 20.0)));
        assert_eq!(pulse.next_change(0.0055), Some((0.006, 0.0)));
        assert_eq!(pulse.next_change(0.007), None);
        let family = Stimulus::new(
            Shape::ClampSteps {
                hold_mv: -65.0,
                levels_mv: vec![-50.0, -30.0],
                start_s: 0.005,
                width_s: 0.01,
                period_s: 0.025,
            },
            0.0,
            0.0,
        );
        assert_eq!(family.next_change(0.0), Some((0.005, -50.0)));
        assert_eq!(family.next_change(0.006), Some((0.015, -65.0)));
        let (t, level) = family.next_change(0.02).unwrap();
        assert!((t - 0.03).abs() < 1e-15 && level == -30.0);
        assert_eq!(family.next_change(0.045), None);
        let ramp = Stimulus::new(
            Shape::Ramp {
                start_s: 0.0,
                stop_s: 10.0,
            },
            5.0,
            0.0,
        );
        assert_eq!(ramp.next_change(2.0), Some((10.0, 5.0)));
        assert_eq!(Stimulus::constant(1.0).next_change(0.0), None);
    }

    #[test]
    fn spike_trains_split_into_steps_without_loss() {
        for train in [
            SpikeTrain::Times(vec![0.0, 0.001, 0.0015, 0.002, 0.01]),
            SpikeTrain::Regular {
                rate_hz: 1000.0,
                start_s: 0.0,
                stop_s: 0.0105,
            },
            SpikeTrain::Poisson {
                rate_hz: 2000.0,
                start_s: 0.0,
                stop_s: 0.0105,
                seed: 3,
            },
        ] {
            let mut s = Stimulus::new(Shape::Spikes(train.clone()), 1.0, 0.0);
            let mut whole = Vec::new();
            s.spikes_in(0.0, 1.0, &mut whole);
            s.reset();
            let mut parts = Vec::new();
            for k in 0..200 {
                s.spikes_in(k as f64 * 1e-4, (k + 1) as f64 * 1e-4, &mut parts);
            }
            assert_eq!(whole.len(), parts.len(), "{train:?}");
            for (a, b) in whole.iter().zip(&parts) {
                assert!((a - b).abs() < 1e-12);
            }
        }
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

    /// The noise's samples are standard normal: over 200,000 of them the
    /// mean within 0.01 of 0 (5 standard errors), the variance within 0.02
    /// of 1, and the share beyond 1.96 and beyond 3 within 5 standard errors
    /// of 5% and 0.27%; the same samples from the same seed.
    #[test]
    fn noise_samples_are_standard_normal() {
        let n = 200_000;
        let draw = || {
            let mut rng = Pcg64::seed_from_u64(11);
            (0..n)
                .map(|_| standard_normal(&mut rng))
                .collect::<Vec<f64>>()
        };
        let xs = draw();
        assert_eq!(xs, draw());
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64;
        assert!(mean.abs() < 0.01, "mean {mean}");
        assert!((var - 1.0).abs() < 0.02, "variance {var}");
        let share = |z: f64| xs.iter().filter(|x| x.abs() > z).count() as f64 / n as f64;
        let within = |p: f64, q: f64| (p - q).abs() < 5.0 * (q * (1.0 - q) / n as f64).sqrt();
        assert!(within(share(1.96), 0.0500), "{}", share(1.96));
        assert!(within(share(3.0), 0.0027), "{}", share(3.0));
    }
}
