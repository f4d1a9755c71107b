//! Inter-spike intervals of one neuron and their histogram: the count, the
//! mean, the coefficient of variation (0 for a regular train, about 1 for a
//! Poisson one) and bins of equal width from 0.

/// The statistics of a list of intervals (s).
#[derive(Debug, Clone, PartialEq)]
pub struct IsiStats {
    pub count: usize,
    pub mean_s: f64,
    /// Standard deviation over the mean.
    pub cv: f64,
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

/// The statistics and histogram of `isi` in `bins` bins up to the longest
/// interval; None without intervals.
pub fn isi_stats(isi: &[f64], bins: usize) -> Option<IsiStats> {
    let count = isi.len();
    if count == 0 || bins == 0 {
        return None;
    }
    let mean_s = isi.iter().sum::<f64>() / count as f64;
    let var = isi.iter().map(|x| (x - mean_s).powi(2)).sum::<f64>() / count as f64;
    let longest = isi.iter().copied().fold(0.0, f64::max);
    let bin_s = longest.max(f64::MIN_POSITIVE) / bins as f64;
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
        cv: var.sqrt() / mean_s,
        bin_s,
        bins: hist,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_and_irregular_trains() {
        let regular: Vec<f64> = (0..11).map(|k| k as f64 * 0.01).collect();
        let s = isi_stats(&intervals(&regular), 4).unwrap();
        assert_eq!(s.count, 10);
        assert!((s.mean_s - 0.01).abs() < 1e-12 && s.cv < 1e-9);
        assert_eq!(s.bins, [0, 0, 0, 10]);
        // Bins of 10 ms: [0, 10), [10, 20), [20, 30] ms.
        let s = isi_stats(&[0.01, 0.03], 3).unwrap();
        assert!((s.cv - 0.5).abs() < 1e-12);
        assert_eq!(s.bins, [0, 1, 1]);
        assert_eq!(isi_stats(&[], 3), None);
    }

    /// spike-train-convolution's input train: its 49 ms interval (401 to
    /// 450 ms) opens the 22nd of 30 bins of 70 / 30 ms, [49, 51.33) ms, with
    /// 49.4 and twice 50 ms; 48.5 ms is alone in [46.67, 49).
    #[test]
    fn an_interval_on_a_bins_edge_counts_in_the_bin_it_opens() {
        let ms = [
            10.0, 50.0, 52.0, 54.0, 100.0, 101.5, 150.0, 200.0, 200.2, 200.4, 200.6, 250.0, 300.0,
            301.0, 330.0, 400.0, 401.0, 450.0,
        ];
        let times: Vec<f64> = ms.iter().map(|t| t / 1e3).collect();
        let s = isi_stats(&intervals(&times), 30).unwrap();
        assert!((s.bin_s - 0.07 / 30.0).abs() < 1e-15);
        assert_eq!((s.bins[20], s.bins[21]), (1, 4));
        assert_eq!((s.bins[0], s.bins[29], s.bins.iter().sum()), (8, 1, 17));
    }
}
