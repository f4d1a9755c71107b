//! What a lab measures on one action potential, from samples of V: the
//! threshold crossing (the spike's time, 0 mV going up), the peak, the
//! half-width (time above half the amplitude from the trough before the
//! spike to the peak, crossings interpolated linearly between samples) and
//! the after-hyperpolarization (the lowest V after the peak, before the
//! next spike or within `AHP_WINDOW_S`, and when), from the samples up to
//! `MEASURED_WITHIN_S` after the crossing.

use ringbuffer::{AllocRingBuffer, RingBuffer};

use crate::model::{AnyModel, Spike};
use crate::sim::{Monitor, Simulation};

/// How long after the peak the after-hyperpolarization is looked for,
/// unless the next spike comes first.
pub const AHP_WINDOW_S: f64 = 0.02;
/// How long before the crossing the trough (the spike's base) is looked for.
pub const BASE_WINDOW_S: f64 = 0.005;
/// How long after the crossing the samples that measure a spike go on: a
/// plateau, V held above the half level by a block of the potassium
/// current, has its half-width measured when V falls below it within this
/// time, and none after.
pub const MEASURED_WITHIN_S: f64 = 0.25;

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
/// (its base, peak and fall) within `MEASURED_WITHIN_S` of the crossing.
pub fn spike_shape(v: &[(f64, f64)], crossing_s: f64, next_s: Option<f64>) -> Option<SpikeShape> {
    shape_or_wait(v, crossing_s, next_s).ok()
}

/// What samples still to come must show before a spike's shape can be
/// measured, where those so far do not hold it whole.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Wait {
    /// V below 0 mV: the end of the peak.
    Fall,
    /// V at or below this level (mV): the end of the half-width.
    Below(f64),
    /// Samples up to this time (s): the end of the AHP window.
    Until(f64),
    /// None will: the samples miss the spike's base or its crossing.
    Never,
}

impl Wait {
    /// Whether the newest sample, V = `v_mv` at `t_s`, shows it.
    fn met(self, t_s: f64, v_mv: f64) -> bool {
        match self {
            Wait::Fall => v_mv < 0.0,
            Wait::Below(level) => v_mv <= level,
            Wait::Until(end_s) => t_s >= end_s,
            Wait::Never => false,
        }
    }
}

/// `spike_shape`, or what it waits for.
fn shape_or_wait(
    v: &[(f64, f64)],
    crossing_s: f64,
    next_s: Option<f64>,
) -> Result<SpikeShape, Wait> {
    let v = &v[..v.partition_point(|s| s.0 <= crossing_s + MEASURED_WITHIN_S)];
    let at = v.partition_point(|s| s.0 < crossing_s);
    if at == 0 || at >= v.len() {
        return Err(Wait::Never);
    }
    let base_from = v.partition_point(|s| s.0 < crossing_s - BASE_WINDOW_S);
    let trough = v[base_from..at]
        .iter()
        .map(|s| s.1)
        .fold(f64::INFINITY, f64::min);
    // The peak: the highest sample from the first at or above 0 mV to
    // where V falls back below it.
    let up = (at.saturating_sub(1)..v.len())
        .find(|&k| v[k].1 >= 0.0)
        .ok_or(Wait::Never)?;
    let at = up;
    let fall = (up..v.len()).find(|&k| v[k].1 < 0.0).ok_or(Wait::Fall)?;
    let (peak_k, &(peak_s, peak_mv)) = v[at..fall]
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.1.total_cmp(&b.1.1))
        .map(|(k, s)| (at + k, s))
        .ok_or(Wait::Never)?;
    let half = 0.5 * (trough + peak_mv);
    let rise = crossing(v, peak_k, half, false).ok_or(Wait::Never)?;
    let drop = crossing(v, peak_k, half, true).ok_or(Wait::Below(half))?;
    let ahp_end = next_s.map_or(peak_s + AHP_WINDOW_S, |n| n.min(peak_s + AHP_WINDOW_S));
    let ahp_to = v.partition_point(|s| s.0 <= ahp_end);
    // The samples must reach the window's end (or the next spike).
    if v.last().is_none_or(|l| l.0 < ahp_end) {
        return Err(Wait::Until(ahp_end));
    }
    if ahp_to <= fall {
        return Err(Wait::Never);
    }
    let (ahp_s, ahp_mv) = v[fall..ahp_to]
        .iter()
        .copied()
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .ok_or(Wait::Never)?;
    Ok(SpikeShape {
        crossing_s,
        peak_mv,
        peak_s,
        half_width_s: drop - rise,
        ahp_mv,
        ahp_after_s: ahp_s - peak_s,
    })
}

/// The most samples of V kept (4 MiB): 260 ms down to a dt of 1 µs, 40 ms
/// down to 150 ns; below, no spike is measured whole.
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
/// or the next spike has come, and, where its samples do not hold it whole
/// then, again at the step that shows what it waits for (`Wait`): a spike
/// into a plateau (hh-repetitive with g_K and g_L lowered) has no
/// half-width until V falls below its half level, and the screen had gone
/// on showing the spike before it.
#[derive(Debug, Clone)]
pub struct LastSpikeShape {
    /// (time s, V mV) over the last span one spike needs (`of`).
    v: AllocRingBuffer<(f64, f64)>,
    /// The crossings not yet measured, in time order: each with the next
    /// one's time once it has come, and what it waits for once measured
    /// short of whole.
    awaiting: Vec<Awaiting>,
    /// The newest spike measured whole.
    pub last: Option<SpikeShape>,
}

#[derive(Debug, Clone, Copy)]
struct Awaiting {
    crossing_s: f64,
    next_s: Option<f64>,
    wait: Option<Wait>,
}

impl LastSpikeShape {
    /// For an HH neuron (the one model with an action potential's shape),
    /// V now its first sample; None for another model.
    pub fn of(sim: &Simulation) -> Option<Self> {
        let AnyModel::Hh(neuron) = &sim.model else {
            return None;
        };
        // From the trough's window before the crossing (twice its search,
        // as the base may lie that far) to the end of the samples that
        // measure it.
        let span_s = 2.0 * BASE_WINDOW_S + MEASURED_WITHIN_S;
        let capacity = ((span_s / sim.dt_s()).ceil() as usize + 2).clamp(2, MAX_SAMPLES);
        let mut v = AllocRingBuffer::new(capacity);
        v.enqueue((sim.time_s(), neuron.state.v_mv));
        Some(Self {
            v,
            awaiting: Vec::new(),
            last: None,
        })
    }

    /// The spike's shape, or what it waits for.
    fn measure(&self, crossing_s: f64, next_s: Option<f64>) -> Result<SpikeShape, Wait> {
        // Its base's window whole, or V since the start: at a dt so small
        // that the ring holds less, the trough would be another's.
        let whole = !self.v.is_full()
            || self
                .v
                .front()
                .is_some_and(|f| f.0 <= crossing_s - BASE_WINDOW_S);
        if !whole {
            return Err(Wait::Never);
        }
        // From twice the base's window before the crossing: the spike's
        // measure reads no sample before its base (the rise to the half
        // level lies after the trough).
        let v: Vec<(f64, f64)> = (self.v.iter())
            .skip_while(|s| s.0 < crossing_s - 2.0 * BASE_WINDOW_S)
            .copied()
            .collect();
        shape_or_wait(&v, crossing_s, next_s)
    }
}

impl Monitor for LastSpikeShape {
    fn on_step(&mut self, sim: &Simulation, spikes: &[Spike]) -> std::io::Result<()> {
        let AnyModel::Hh(neuron) = &sim.model else {
            return Ok(());
        };
        let (t_s, v_mv) = (sim.time_s(), neuron.state.v_mv);
        self.v.enqueue((t_s, v_mv));
        for s in spikes {
            // The next spike ends the one before's AHP window: measured anew.
            if let Some(before) = self.awaiting.last_mut()
                && before.next_s.is_none()
            {
                before.next_s = Some(s.time_s);
                before.wait = None;
            }
            self.awaiting.push(Awaiting {
                crossing_s: s.time_s,
                next_s: None,
                wait: None,
            });
        }
        let mut k = 0;
        while k < self.awaiting.len() {
            let a = self.awaiting[k];
            let due = a.next_s.is_some() || t_s >= a.crossing_s + MEASURED_AFTER_S;
            // Past its samples' end nothing more can show.
            let open = t_s < a.crossing_s + MEASURED_WITHIN_S;
            if !(due && a.wait.is_none_or(|w| w.met(t_s, v_mv))) {
                if open {
                    k += 1;
                } else {
                    self.awaiting.remove(k);
                }
                continue;
            }
            match self.measure(a.crossing_s, a.next_s) {
                Err(wait) if wait != Wait::Never && open => {
                    self.awaiting[k].wait = Some(wait);
                    k += 1;
                }
                shape => {
                    self.awaiting.remove(k);
                    // The newest spike measured: a plateau's may come after
                    // the next spike's.
                    if let Ok(shape) = shape
                        && self.last.is_none_or(|l| l.crossing_s < shape.crossing_s)
                    {
                        self.last = Some(shape);
                    }
                }
            }
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
            let r = LastSpikeShape {
                v: ring,
                awaiting: Vec::new(),
                last: None,
            };
            r.measure(0.0107, None).ok()
        };
        assert_eq!(recorder(4000), spike_shape(&v, 0.0107, None));
        // Full, from 5.6 ms on: the base window, 5.7 to 10.7 ms, whole.
        assert_eq!(recorder(3440), spike_shape(&v, 0.0107, None));
        // Full from 8 ms: the trough's window cut.
        assert_eq!(recorder(3200), None);
    }
}
