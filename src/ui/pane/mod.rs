//! The panes of the main area, one file per view, and the helpers they
//! share. Panes only read the app.

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

/// Min/max decimation: at most two points per bucket, in time order, so
/// that any history length draws in time proportional to the width and the
/// picture keeps every peak. `buckets` is the number of dot columns.
pub fn decimate(
    points: impl Iterator<Item = (f64, f64)>,
    x0: f64,
    x1: f64,
    buckets: usize,
) -> Vec<(f64, f64)> {
    let buckets = buckets.max(1);
    let span = (x1 - x0).max(f64::MIN_POSITIVE);
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(2 * buckets + 2);
    // The current bucket and its lowest and highest points.
    type Bucket = (usize, (f64, f64), (f64, f64));
    let mut bucket: Option<Bucket> = None;
    let flush = |out: &mut Vec<(f64, f64)>, lo: (f64, f64), hi: (f64, f64)| {
        if lo.0 <= hi.0 {
            out.push(lo);
            if hi != lo {
                out.push(hi);
            }
        } else {
            out.push(hi);
            out.push(lo);
        }
    };
    for (x, y) in points {
        if x < x0 || x > x1 {
            continue;
        }
        if !y.is_finite() {
            // A gap (a neuron recorded only from its selection on) stays a gap.
            if let Some((_, lo, hi)) = bucket.take() {
                flush(&mut out, lo, hi);
            }
            if out.last().is_some_and(|p| p.1.is_finite()) {
                out.push((x, f64::NAN));
            }
            continue;
        }
        let c = (((x - x0) / span) * buckets as f64) as usize;
        match &mut bucket {
            Some((bc, lo, hi)) if *bc == c => {
                if y < lo.1 {
                    *lo = (x, y);
                }
                if y > hi.1 {
                    *hi = (x, y);
                }
            }
            _ => {
                if let Some((_, lo, hi)) = bucket.take() {
                    flush(&mut out, lo, hi);
                }
                bucket = Some((c, (x, y), (x, y)));
            }
        }
    }
    if let Some((_, lo, hi)) = bucket {
        flush(&mut out, lo, hi);
    }
    out
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
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    [(lo / step).floor() * step, (hi / step).ceil() * step]
}

/// f sampled at n + 1 evenly spaced points of [x0, x1] (non-finite values
/// dropped).
pub fn sample(f: impl Fn(f64) -> f64, x0: f64, x1: f64, n: usize) -> Vec<(f64, f64)> {
    (0..=n)
        .map(|k| {
            let x = x0 + (x1 - x0) * k as f64 / n as f64;
            (x, f(x))
        })
        .filter(|p| p.1.is_finite())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimation_keeps_extremes_and_order() {
        let pts = (0..100_000).map(|k| {
            let x = k as f64 * 1e-3;
            (x, (x * 7.0).sin())
        });
        let d = decimate(pts, 0.0, 100.0, 50);
        assert!(d.len() <= 100);
        assert!(d.windows(2).all(|w| w[0].0 <= w[1].0));
        let max = d.iter().map(|p| p.1).fold(f64::MIN, f64::max);
        assert!(max > 0.9999);
    }

    #[test]
    fn ranges_round_out_to_ticks() {
        assert_eq!(round_out([-77.3, 42.1]), [-80.0, 60.0]);
        assert_eq!(round_out([0.0, 0.93]), [0.0, 1.0]);
    }
}
