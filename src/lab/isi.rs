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
    // The longest interval falls in the last bin, not past it.
    let bin_s = (longest * (1.0 + 1e-9)).max(f64::MIN_POSITIVE) / bins as f64;
    let mut hist = vec![0; bins];
    for &x in isi {
        hist[((x / bin_s) as usize).min(bins - 1)] += 1;
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
        let s = isi_stats(&[0.01, 0.03], 3).unwrap();
        assert!((s.cv - 0.5).abs() < 1e-12);
        assert_eq!(s.bins, [1, 0, 1]);
        assert_eq!(isi_stats(&[], 3), None);
    }
}
