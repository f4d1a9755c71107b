//! What a lab measures on one action potential, from samples of V: the
//! threshold crossing (the spike's time, 0 mV going up), the peak, the
//! half-width (time above half the amplitude from the trough before the
//! spike to the peak, crossings interpolated linearly between samples) and
//! the after-hyperpolarization (the lowest V after the peak, before the
//! next spike or within `AHP_WINDOW_S`, and when).

use ringbuffer::{AllocRingBuffer, RingBuffer};

use crate::model::{AnyModel, Spike};
use crate::sim::{Monitor, Simulation};

/// How long after the peak the after-hyperpolarization is looked for,
/// unless the next spike comes first.
pub const AHP_WINDOW_S: f64 = 0.02;
/// How long before the crossing the trough (the spike's base) is looked for.
pub const BASE_WINDOW_S: f64 = 0.005;

/// The shape of one spike (times in s, V in mV).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpikeShape {
    pub crossing_s: f64,
    pub peak_mv: f64,
    pub peak_s: f64,
    pub half_width_s: f64,
    pub ahp_mv: f64,
    /// From the peak to the AHP's lowest point.
    pub ahp_after_s: f64,
}

/// The first time after index `from` (going by `dir`) where the samples
/// cross `level`, linearly interpolated.
fn crossing(v: &[(f64, f64)], from: usize, level: f64, forward: bool) -> Option<f64> {
    let pairs: Box<dyn Iterator<Item = usize>> = if forward {
        Box::new(from..v.len().saturating_sub(1))
    } else {
        Box::new((0..from).rev())
    };
    for k in pairs {
        let ((t0, y0), (t1, y1)) = (v[k], v[k + 1]);
        if (y0 - level) * (y1 - level) <= 0.0 && y0 != y1 {
            return Some(t0 + (level - y0) / (y1 - y0) * (t1 - t0));
        }
    }
    None
}

/// The shape of the spike that crossed 0 mV at `crossing_s`, from samples
/// (time s, V mV) that hold it and what follows; `next_s` is the next
/// spike's time, if any. None when the samples do not hold the spike whole
/// (its base, peak and fall).
pub fn spike_shape(v: &[(f64, f64)], crossing_s: f64, next_s: Option<f64>) -> Option<SpikeShape> {
    let at = v.partition_point(|s| s.0 < crossing_s);
    if at == 0 || at >= v.len() {
        return None;
    }
    let base_from = v.partition_point(|s| s.0 < crossing_s - BASE_WINDOW_S);
    let trough = v[base_from..at]
        .iter()
        .map(|s| s.1)
        .fold(f64::INFINITY, f64::min);
    // The peak: the highest sample from the first at or above 0 mV to
    // where V falls back below it.
    let up = (at.saturating_sub(1)..v.len()).find(|&k| v[k].1 >= 0.0)?;
    let at = up;
    let fall = (up..v.len()).find(|&k| v[k].1 < 0.0)?;
    let (peak_s, peak_mv) = v[at..fall]
        .iter()
        .copied()
        .max_by(|a, b| a.1.total_cmp(&b.1))?;
    let peak_k = at + v[at..fall].iter().position(|s| s.0 == peak_s)?;
    let half = 0.5 * (trough + peak_mv);
    let rise = crossing(v, peak_k, half, false)?;
    let drop = crossing(v, peak_k, half, true)?;
    let ahp_end = next_s.map_or(peak_s + AHP_WINDOW_S, |n| n.min(peak_s + AHP_WINDOW_S));
    let ahp_to = v.partition_point(|s| s.0 <= ahp_end);
    // The samples must reach the window's end (or the next spike).
    let cut_short = v.last().is_none_or(|l| l.0 < ahp_end);
    if ahp_to <= fall || cut_short {
        return None;
    }
    let (ahp_s, ahp_mv) = v[fall..ahp_to]
        .iter()
        .copied()
        .min_by(|a, b| a.1.total_cmp(&b.1))?;
    Some(SpikeShape {
        crossing_s,
        peak_mv,
        peak_s,
        half_width_s: drop - rise,
        ahp_mv,
        ahp_after_s: ahp_s - peak_s,
    })
}

/// The most samples of V kept (4 MiB): 40 ms down to a dt of 150 ns;
/// below, no spike is measured whole.
const MAX_SAMPLES: usize = 1 << 18;

/// How long after a crossing its shape is measured, unless the next spike
/// comes first: the AHP window after the peak, which an HH spike reaches
/// within a few milliseconds of its crossing.
const MEASURED_AFTER_S: f64 = AHP_WINDOW_S + 0.005;

/// The shape of an HH neuron's last spike, measured from V at every step of
/// the run: not from the screen's samples, which at a window of 1 s keep one
/// step in ten (hh-repetitive's peak read 27.70 mV for 30.35, its
/// half-width 1.450 ms for 1.336). V is kept over the span one spike needs,
/// each spike measured once its after-hyperpolarization window has passed
/// or the next spike has come.
#[derive(Debug, Clone)]
pub struct LastSpikeShape {
    /// (time s, V mV) over the last span one spike needs (`of`).
    v: AllocRingBuffer<(f64, f64)>,
    /// The crossing not yet measured.
    pending_s: Option<f64>,
    /// The newest spike measured whole.
    pub last: Option<SpikeShape>,
}

impl LastSpikeShape {
    /// For an HH neuron (the one model with an action potential's shape),
    /// V now its first sample; None for another model.
    pub fn of(sim: &Simulation) -> Option<Self> {
        let AnyModel::Hh(neuron) = &sim.model else {
            return None;
        };
        // From the trough's window before the crossing (twice its search,
        // as the base may lie that far) to the measurement.
        let span_s = 2.0 * BASE_WINDOW_S + MEASURED_AFTER_S;
        let capacity = ((span_s / sim.dt_s()).ceil() as usize + 2).clamp(2, MAX_SAMPLES);
        let mut v = AllocRingBuffer::new(capacity);
        v.enqueue((sim.time_s(), neuron.state.v_mv));
        Some(Self {
            v,
            pending_s: None,
            last: None,
        })
    }

    fn measure(&mut self, crossing_s: f64, next_s: Option<f64>) {
        // Its base's window whole, or V since the start: at a dt so small
        // that the ring holds less, the trough would be another's.
        let whole = !self.v.is_full()
            || self
                .v
                .front()
                .is_some_and(|f| f.0 <= crossing_s - BASE_WINDOW_S);
        if !whole {
            return;
        }
        let v: Vec<(f64, f64)> = self.v.iter().copied().collect();
        if let Some(shape) = spike_shape(&v, crossing_s, next_s) {
            self.last = Some(shape);
        }
    }
}

impl Monitor for LastSpikeShape {
    fn on_step(&mut self, sim: &Simulation, spikes: &[Spike]) -> std::io::Result<()> {
        let AnyModel::Hh(neuron) = &sim.model else {
            return Ok(());
        };
        let t_s = sim.time_s();
        self.v.enqueue((t_s, neuron.state.v_mv));
        for s in spikes {
            if let Some(before) = self.pending_s.replace(s.time_s) {
                self.measure(before, Some(s.time_s));
            }
        }
        if let Some(crossing_s) = self.pending_s
            && t_s >= crossing_s + MEASURED_AFTER_S
        {
            self.pending_s = None;
            self.measure(crossing_s, None);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A triangle from -70 to +30 mV and back, then a dip to -80 mV: every
    /// figure is known exactly.
    fn triangle() -> Vec<(f64, f64)> {
        let dt = 1e-5;
        (0..4000)
            .map(|k| {
                let t = k as f64 * dt;
                let y = if t < 0.010 {
                    -70.0
                } else if t < 0.011 {
                    -70.0 + 100.0 * (t - 0.010) / 0.001
                } else if t < 0.012 {
                    30.0 - 100.0 * (t - 0.011) / 0.001
                } else if t < 0.015 {
                    -70.0 - 10.0 * (t - 0.012) / 0.003
                } else {
                    -80.0 + 10.0 * ((t - 0.015) / 0.005).min(1.0)
                };
                (t, y)
            })
            .collect()
    }

    #[test]
    fn a_triangle_spike_measures_as_drawn() {
        let v = triangle();
        let s = spike_shape(&v, 0.0107, None).unwrap();
        assert!((s.peak_mv - 30.0).abs() < 1e-9 && (s.peak_s - 0.011).abs() < 1e-9);
        // Half amplitude -20 mV: crossed at 10.5 and 11.5 ms.
        assert!((s.half_width_s - 0.001).abs() < 1e-9, "{}", s.half_width_s);
        assert!((s.ahp_mv + 80.0).abs() < 1e-9);
        assert!((s.ahp_after_s - 0.004).abs() < 1e-9, "{}", s.ahp_after_s);
        // Cut short before its AHP window ends: not whole.
        assert_eq!(spike_shape(&v[..1400], 0.0107, None), None);
    }

    /// The recorder measures a spike whose base window it holds, or whose
    /// samples go back to the start; where its ring (at a tiny dt) lost the
    /// base, it measures none rather than take another trough.
    #[test]
    fn a_spike_is_measured_only_with_its_base_whole() {
        let v = triangle();
        let recorder = |capacity: usize| {
            let mut ring = AllocRingBuffer::new(capacity);
            for &s in &v {
                ring.enqueue(s);
            }
            let mut r = LastSpikeShape {
                v: ring,
                pending_s: None,
                last: None,
            };
            r.measure(0.0107, None);
            r.last
        };
        assert_eq!(recorder(4000), spike_shape(&v, 0.0107, None));
        // Full, from 5.6 ms on: the base window, 5.7 to 10.7 ms, whole.
        assert_eq!(recorder(3440), spike_shape(&v, 0.0107, None));
        // Full from 8 ms: the trough's window cut.
        assert_eq!(recorder(3200), None);
    }
}
