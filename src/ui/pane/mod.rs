//! The panes of the main area, one file per view, and the helpers they
//! share. Panes only read the app.

use crate::model::elementary::{decade, pow10};

pub mod activation;
pub mod clamp;
mod connections;
pub mod cursors;
pub mod gates;
pub mod isi;
pub mod phase;
pub mod psc;
pub mod raster;
pub mod rate;
pub mod scope;
pub mod timebase;
pub mod weighted_sum;
pub mod weights;

use ratatui::Frame;
use ratatui::layout::Rect;

use super::plot::{Curve, Geometry, Plot};
use super::theme::Theme;

/// Draws a plot into the frame and returns where its data went.
pub fn draw(frame: &mut Frame, area: Rect, plot: &Plot, theme: &Theme) -> Option<Geometry> {
    plot.render(area, frame.buffer_mut(), theme)
}

/// Decimation to the first, lowest, highest and last point of each bucket
/// (M4: Jugel et al., VLDB 2014), in time order, so that any history
/// length draws in time proportional to the width, the picture keeps
/// every peak, and a line leaves each bucket where its samples do. With the
/// lowest and highest alone the newest sample was dropped whenever it was
/// neither: hh-repetitive's trace ended at its spike's peak, 30.38 mV,
/// beside `V 11.57 mV` on the status line, the sample 0.45 ms later.
/// `buckets` is the number of dot columns.
pub fn decimate(
    points: impl Iterator<Item = (f64, f64)>,
    x0: f64,
    x1: f64,
    buckets: usize,
) -> Vec<(f64, f64)> {
    let buckets = buckets.max(1);
    let span = (x1 - x0).max(f64::MIN_POSITIVE);
    // A point at an end may lie a rounding past it: the clamp family's
    // sample 1 ms before a 55 ms onset, at 54 ms (step 2,700 of 20 µs), sat
    // at -1.0000000000000009 ms of its [-1, 13] ms axis and was left out.
    let slack = 1e-9 * span;
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(4 * buckets + 2);
    let mut bucket: Option<Bucket> = None;
    for (x, y) in points {
        if x < x0 - slack || x > x1 + slack {
            continue;
        }
        let x = x.clamp(x0, x1);
        if !y.is_finite() {
            // A gap (a neuron recorded only from its selection on) stays a gap.
            if let Some(b) = bucket.take() {
                b.flush(&mut out);
            }
            if out.last().is_some_and(|p| p.1.is_finite()) {
                out.push((x, f64::NAN));
            }
            continue;
        }
        let c = (((x - x0) / span) * buckets as f64) as usize;
        match &mut bucket {
            Some(b) if b.column == c => b.add((x, y)),
            _ => {
                if let Some(b) = bucket.take() {
                    b.flush(&mut out);
                }
                bucket = Some(Bucket::new(c, (x, y)));
            }
        }
    }
    if let Some(b) = bucket {
        b.flush(&mut out);
    }
    out
}

/// One bucket of `decimate`: its first, lowest, highest and last points.
struct Bucket {
    column: usize,
    first: (f64, f64),
    lowest: (f64, f64),
    highest: (f64, f64),
    last: (f64, f64),
}

impl Bucket {
    fn new(column: usize, p: (f64, f64)) -> Self {
        Self {
            column,
            first: p,
            lowest: p,
            highest: p,
            last: p,
        }
    }

    fn add(&mut self, p: (f64, f64)) {
        if p.1 < self.lowest.1 {
            self.lowest = p;
        }
        if p.1 > self.highest.1 {
            self.highest = p;
        }
        self.last = p;
    }

    /// Its points in time order, each once.
    fn flush(self, out: &mut Vec<(f64, f64)>) {
        let mut middle = [self.lowest, self.highest];
        middle.sort_by(|a, b| a.0.total_cmp(&b.0));
        out.push(self.first);
        for p in middle.into_iter().chain([self.last]) {
            if out.last() != Some(&p) {
                out.push(p);
            }
        }
    }
}

/// y bounds covering `default` and the data, widened to round values.
pub fn bounds_of<'a>(curves: impl Iterator<Item = &'a Curve>, default: [f64; 2]) -> [f64; 2] {
    let (mut lo, mut hi) = (default[0], default[1]);
    for c in curves {
        for &(_, y) in &c.points {
            if y.is_finite() {
                lo = lo.min(y);
                hi = hi.max(y);
            }
        }
    }
    round_out([lo, hi])
}

/// A range widened to multiples of a round step (a tenth of its span,
/// rounded to 1, 2 or 5 × 10^k), so the axis ends on tick values.
pub fn round_out(b: [f64; 2]) -> [f64; 2] {
    let [lo, hi] = b;
    let span = hi - lo;
    if !(span > 0.0 && span.is_finite()) {
        let v = if lo.is_finite() { lo } else { 0.0 };
        return [v - 1.0, v + 1.0];
    }
    let raw = span / 10.0;
    let mag = pow10(decade(raw));
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    [(lo / step).floor() * step, (hi / step).ceil() * step]
}

/// f sampled at n + 1 evenly spaced points of [x0, x1]. A non-finite
/// value stays, and breaks the line drawn through them: where f is not
/// defined nothing is drawn (the reduced HH V-nullcline has no n in [0, 1]
/// over a stretch of V with g_K = 0, and the line joined its two ends
/// along n = 0, a nullcline where dV/dt < 0).
pub fn sample(f: impl Fn(f64) -> f64, x0: f64, x1: f64, n: usize) -> Vec<(f64, f64)> {
    (0..=n)
        .map(|k| {
            let x = x0 + (x1 - x0) * k as f64 / n as f64;
            (x, f(x))
        })
        .collect()
}

/// As `sample`, with points ever closer above `rise` (at 2^-k of the range,
/// k = 1 to 40), where f leaps from 0: LIF's G(v_in) (notes 1.2.2) is 0 at
/// the threshold and 1 / (tau_ref + tau_m ln(v_in / (v_in - 1))) above it,
/// already 36 Hz at 1 + 1e-11 with tau_m 1 ms and tau_ref 2 ms. From the
/// threshold's sample to the next, 0.02 on, the line drawn was a chord
/// below G: 131 Hz where G is at least 134.
pub fn sample_rising_from(
    f: impl Fn(f64) -> f64,
    x0: f64,
    x1: f64,
    n: usize,
    rise: f64,
) -> Vec<(f64, f64)> {
    let mut points = sample(&f, x0, x1, n);
    if (x0..x1).contains(&rise) {
        let near = (0..=40)
            .map(|k| {
                if k == 0 {
                    rise
                } else {
                    rise + (x1 - x0) * 0.5f64.powi(k)
                }
            })
            .filter(|&x| x < x1);
        points.extend(near.map(|x| (x, f(x))));
        points.sort_by(|a, b| a.0.total_cmp(&b.0));
        points.dedup_by(|a, b| a.0 == b.0);
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::elementary::sin;

    #[test]
    fn decimation_keeps_extremes_and_order() {
        let pts = (0..100_000).map(|k| {
            let x = k as f64 * 1e-3;
            (x, sin(x * 7.0))
        });
        let d = decimate(pts, 0.0, 100.0, 50);
        assert!(d.len() <= 200);
        assert!(d.windows(2).all(|w| w[0].0 < w[1].0));
        let max = d.iter().map(|p| p.1).fold(f64::MIN, f64::max);
        assert!(max > 0.9999);
    }

    /// A bucket keeps where its samples start and end beside its extremes:
    /// the newest sample, neither, is where the trace ends.
    #[test]
    fn decimation_keeps_each_buckets_first_and_last() {
        let pts = [(0.0, 1.0), (0.1, 5.0), (0.2, -3.0), (0.3, 2.0), (1.5, 0.5)];
        let d = decimate(pts.into_iter(), 0.0, 2.0, 2);
        assert_eq!(
            d,
            [(0.0, 1.0), (0.1, 5.0), (0.2, -3.0), (0.3, 2.0), (1.5, 0.5)]
        );
    }

    /// A sample at an end by its step's time, a rounding outside it, is
    /// drawn at the end; one a step outside is not.
    #[test]
    fn decimation_keeps_a_sample_a_rounding_past_an_end() {
        let onset_s = 0.005 + 2.0 * 0.025;
        let x_ms = |k: u64| (crate::sim::csv::step_time_s(k, 2e-5) - onset_s) * 1e3;
        let (outside, at_edge) = (x_ms(2_699), x_ms(2_700));
        assert!(at_edge < -1.0);
        let d = decimate(
            [(outside, 5.0), (at_edge, 1.0), (0.0, 2.0)].into_iter(),
            -1.0,
            13.0,
            10,
        );
        assert_eq!(d, [(-1.0, 1.0), (0.0, 2.0)]);
    }

    /// G (tau_m 1 ms, tau_ref 2 ms) drawn from 400 samples over [0, 8]:
    /// the line leaves the threshold upright, and between any two points
    /// above it stays within 2% of G at the nearer (the chord from (1, 0)
    /// to (1.02, 169 Hz) was at about half of G).
    #[test]
    fn g_is_drawn_upright_from_its_threshold() {
        let g = |v: f64| crate::model::lif::firing_rate(v, 1e-3, 2e-3);
        let pts = sample_rising_from(g, 0.0, 8.0, 400, 1.0);
        let k = pts.iter().position(|p| p.0 > 1.0).unwrap();
        assert_eq!(pts[k - 1], (1.0, 0.0));
        assert!(pts[k].0 - 1.0 < 1e-10 && pts[k].1 > 30.0, "{:?}", pts[k]);
        assert!(pts.windows(2).all(|w| w[0].0 < w[1].0));
        for w in pts[k..].windows(2) {
            let ((xa, ya), (xb, yb)) = (w[0], w[1]);
            let mid = 0.5 * (xa + xb);
            let drawn = 0.5 * (ya + yb);
            assert!(
                (drawn - g(mid)).abs() < 0.02 * g(xa),
                "at {mid}: {drawn} for {}",
                g(mid)
            );
        }
    }

    #[test]
    fn ranges_round_out_to_ticks() {
        assert_eq!(round_out([-77.3, 42.1]), [-80.0, 60.0]);
        assert_eq!(round_out([0.0, 0.93]), [0.0, 1.0]);
    }
}
