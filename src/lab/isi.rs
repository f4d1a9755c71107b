//! Inter-spike intervals of one neuron and their histogram: the count, the
//! mean, the coefficient of variation (0 for a regular train, about 1 for a
//! Poisson one) and bins of equal width from 0.

use crate::model::elementary::{decade, pow10};

/// The statistics of a list of intervals (s).
#[derive(Debug, Clone, PartialEq)]
pub struct IsiStats {
    pub count: usize,
    pub mean_s: f64,
    /// Standard deviation over the mean; None from one interval (it has
    /// no spread to measure: 0 read as a perfectly regular train) or
    /// intervals all of 0 s (0/0).
    pub cv: Option<f64>,
    /// Bin width (s) and the number of intervals in each bin from 0.
    pub bin_s: f64,
    pub bins: Vec<usize>,
}

/// How far below a bin's edge, in bins, an interval still counts as on
/// it: far above the rounding of a difference of spike times (1e-16 of
/// it), far below their precision (1e-12 s, 1e-9 of a 1 ms bin).
const EDGE_BINS: f64 = 1e-9;

/// The intervals between consecutive spike times (sorted).
pub fn intervals(times: &[f64]) -> Vec<f64> {
    times.windows(2).map(|w| w[1] - w[0]).collect()
}

/// The statistics and histogram of `isi` in at most `bins` bins up to the
/// longest interval, of a round width (1, 2, 2.5 or 5 × 10^k s, so that
/// their edges fall on the axis's ticks: "bins of 0.4974 ms" read as an
/// accident); None without intervals.
pub fn isi_stats(isi: &[f64], bins: usize) -> Option<IsiStats> {
    let count = isi.len();
    if count == 0 || bins == 0 {
        return None;
    }
    let mean_s = isi.iter().sum::<f64>() / count as f64;
    let var = isi.iter().map(|x| (x - mean_s).powi(2)).sum::<f64>() / count as f64;
    let longest = isi
        .iter()
        .copied()
        .fold(0.0, f64::max)
        .max(f64::MIN_POSITIVE);
    let bin_s = round_width(longest / bins as f64);
    let bins = ((longest / bin_s - EDGE_BINS).ceil() as usize).clamp(1, bins);
    let mut hist = vec![0; bins];
    for &x in isi {
        // Bins are [k w, (k + 1) w): an interval on an edge counts in the
        // bin it opens, though the difference of two spike times misses it
        // by an ulp (401 ms to 450 ms is 0.04899999999999999 s); the
        // longest falls in the last bin, not past it.
        let k = (x / bin_s + EDGE_BINS) as usize;
        hist[k.min(bins - 1)] += 1;
    }
    Some(IsiStats {
        count,
        mean_s,
        cv: (count > 1 && mean_s > 0.0).then(|| var.sqrt() / mean_s),
        bin_s,
        bins: hist,
    })
}

/// The smallest of 1, 2, 2.5 and 5 × 10^k that is at least `least` (itself
/// where no power of ten can be formed).
fn round_width(least: f64) -> f64 {
    let mag = pow10(decade(least));
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|w| *w >= least * (1.0 - 1e-12))
        .filter(|w| w.is_finite() && *w > 0.0)
        .unwrap_or(least)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_and_irregular_trains() {
        let regular: Vec<f64> = (0..11).map(|k| k as f64 * 0.01).collect();
        let s = isi_stats(&intervals(&regular), 4).unwrap();
        assert_eq!(s.count, 10);
        assert!((s.mean_s - 0.01).abs() < 1e-12 && s.cv.unwrap() < 1e-9);
        assert_eq!(s.bins, [0, 0, 0, 10]);
        // Bins of 10 ms: [0, 10), [10, 20), [20, 30] ms.
        let s = isi_stats(&[0.01, 0.03], 3).unwrap();
        assert!((s.cv.unwrap() - 0.5).abs() < 1e-12);
        assert_eq!(s.bins, [0, 1, 1]);
        assert_eq!(isi_stats(&[], 3), None);
        // One interval has a mean and no spread to measure; intervals of
        // 0 s no CV either.
        let s = isi_stats(&[0.02], 3).unwrap();
        assert_eq!((s.count, s.mean_s, s.cv), (1, 0.02, None));
        assert_eq!(isi_stats(&[0.0, 0.0], 3).unwrap().cv, None);
    }

    /// spike-train-convolution's input train: bins of a round 2.5 ms
    /// (70 ms / 30 is 2.33), 28 of them up to the longest, 70 ms. Its 50
    /// ms interval from 250 to 300 ms (0.04999999999999999 s) opens the
    /// 21st bin, [50, 52.5) ms, with the other 50 ms; 48.5, 49 and 49.4 ms
    /// are in [47.5, 50).
    #[test]
    fn an_interval_on_a_bins_edge_counts_in_the_bin_it_opens() {
        let ms = [
            10.0, 50.0, 52.0, 54.0, 100.0, 101.5, 150.0, 200.0, 200.2, 200.4, 200.6, 250.0, 300.0,
            301.0, 330.0, 400.0, 401.0, 450.0,
        ];
        let times: Vec<f64> = ms.iter().map(|t| t / 1e3).collect();
        assert!(times[12] - times[11] < 0.05);
        let s = isi_stats(&intervals(&times), 30).unwrap();
        assert_eq!(s.bin_s, 0.0025);
        assert_eq!(s.bins.len(), 28);
        assert_eq!((s.bins[19], s.bins[20]), (3, 2));
        assert_eq!((s.bins[0], s.bins[27], s.bins.iter().sum()), (8, 1, 17));
    }

    #[test]
    fn bins_are_of_a_round_width() {
        assert_eq!(round_width(0.4886e-3), 0.5e-3);
        assert_eq!(round_width(2.0), 2.0);
        assert_eq!(round_width(2.01), 2.5);
        assert_eq!(round_width(0.07 / 30.0), 0.0025);
        assert_eq!(round_width(6.0), 10.0);
        // An HH train at 68 Hz: 14.66 ms over 30 bins is 0.5 ms each.
        let s = isi_stats(&[0.01466; 14], 30).unwrap();
        assert_eq!((s.bin_s, s.bins.len(), s.bins[29]), (0.0005, 30, 14));
        // Intervals of 0 s (two spikes at once) still count, in bins of a
        // width greater than 0.
        let s = isi_stats(&[0.0], 30).unwrap();
        assert!(s.bin_s > 0.0 && s.bins[0] == 1 && s.bins.len() <= 30);
    }
}
