//! A firing rate measured from spike times inside a window, as a lab
//! measures one: from the intervals between spikes while the neuron fires,
//! so that a regular train gives its exact rate whatever the window's
//! phase (a count over the window would be off by up to one spike); and
//! which models fire at all.

use crate::model::{AnyModel, ModelKind};
use crate::named::Named;

/// The rate of one neuron over a measurement window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WindowRate {
    pub rate_hz: f64,
    /// Spikes inside the window.
    pub spikes: u64,
}

/// The firing rate in the window `[start_s, end_s)` from `times` (sorted;
/// those before the window are the history that gives its first interval).
///
/// - No spike in the window: 0.
/// - Intervals that end in the window, and the neuron still firing at its
///   end (the time since the last spike no longer than the longest of those
///   intervals): 1 / (mean interval) = k / (t_last - t_first), the rate of
///   the train; exact for a regular one.
/// - Otherwise (one spike without history, a burst that stopped): the
///   count over the window's length.
pub fn window_rate(times: &[f64], start_s: f64, end_s: f64) -> WindowRate {
    let first = times.partition_point(|&t| t < start_s);
    let last = times.partition_point(|&t| t < end_s);
    let inside = &times[first..last];
    let spikes = inside.len() as u64;
    let Some(&t_last) = inside.last() else {
        return WindowRate {
            rate_hz: 0.0,
            spikes: 0,
        };
    };
    // The train the intervals run over: the spike before the window, if
    // any, then those inside.
    let from = if first > 0 { first - 1 } else { first };
    let train = &times[from..last];
    let intervals = train.len() - 1;
    let longest = train
        .windows(2)
        .map(|w| w[1] - w[0])
        .fold(0.0_f64, f64::max);
    let rate_hz = if intervals > 0 && end_s - t_last <= longest {
        intervals as f64 / (t_last - train[0])
    } else {
        spikes as f64 / (end_s - start_s)
    };
    WindowRate { rate_hz, spikes }
}

/// What the model is, where it cannot fire (a clamped HH neuron, a rate
/// or synapse model); None for hh (not clamped), lif and network.
pub(crate) fn never_fires(model: &AnyModel) -> Option<String> {
    let kind = model.kind();
    let clamped = matches!(model, AnyModel::Hh(n) if n.clamp);
    if clamped {
        Some("a voltage-clamped neuron".to_string())
    } else if matches!(kind, ModelKind::Hh | ModelKind::Lif | ModelKind::Network) {
        None
    } else {
        Some(format!("a {} model", kind.name()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_train_gives_its_rate_at_any_phase() {
        let isi = 0.0123;
        let times: Vec<f64> = (0..400).map(|k| 0.001 + k as f64 * isi).collect();
        for start in [0.3, 0.3051, 0.31, 0.777] {
            let r = window_rate(&times, start, start + 2.0);
            assert!((r.rate_hz * isi - 1.0).abs() < 1e-12, "{start}: {r:?}");
            assert!(r.spikes == 162 || r.spikes == 163, "{r:?}");
        }
    }

    #[test]
    fn no_spike_one_spike_and_a_burst_that_stopped() {
        assert_eq!(window_rate(&[0.1], 0.5, 1.5).rate_hz, 0.0);
        // One spike, no history: the count.
        let r = window_rate(&[0.7], 0.5, 1.5);
        assert_eq!((r.rate_hz, r.spikes), (1.0, 1));
        // One spike after one in the settling time: their interval.
        let r = window_rate(&[0.25, 0.75], 0.5, 0.9);
        assert_eq!((r.rate_hz, r.spikes), (2.0, 1));
        // ... unless the window goes on past where the next was due.
        let r = window_rate(&[0.2, 0.7], 0.5, 1.5);
        assert_eq!((r.rate_hz, r.spikes), (1.0, 1));
        // A burst of three 10 ms apart, then silence for the rest of a
        // second: 3 spikes in 1 s, not 100 Hz.
        let r = window_rate(&[0.60, 0.61, 0.62], 0.5, 1.5);
        assert_eq!((r.rate_hz, r.spikes), (3.0, 3));
    }
}
