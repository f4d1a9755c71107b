//! Tick values at round numbers (1, 2 or 5 × 10^k) and the landmarks a
//! pane names, and their labels with one number of decimals per axis.

/// Round tick values covering `bounds`: multiples of 1, 2 or 5 × 10^k, at
/// most `most` of them, plus the landmarks (a round tick closer than half
/// a step to a landmark gives way to it).
pub fn ticks(bounds: [f64; 2], most: usize, landmarks: &[f64]) -> Vec<f64> {
    round_ticks(bounds, most, landmarks, false)
}

/// `ticks`, and with `whole` only at whole numbers (an axis of counts: no
/// step below 1, none of 2.5).
fn round_ticks(bounds: [f64; 2], most: usize, landmarks: &[f64], whole: bool) -> Vec<f64> {
    let [lo, hi] = bounds;
    let span = hi - lo;
    if !(span > 0.0 && span.is_finite()) || most == 0 {
        return vec![lo];
    }
    let raw = span / most.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .filter(|s| !whole || (*s >= 1.0 && s.fract() == 0.0))
        .find(|s| ((span / s).floor() as usize) < most.max(2))
        .unwrap_or(if whole {
            (10.0 * mag).max(1.0)
        } else {
            10.0 * mag
        });
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    let mut out: Vec<f64> = (first..=last).map(|k| k as f64 * step).collect();
    let near = 0.5 * step;
    for &l in landmarks.iter().filter(|l| **l >= lo && **l <= hi) {
        out.retain(|t| (t - l).abs() >= near || *t == l);
        if !out.contains(&l) {
            out.push(l);
        }
    }
    out.sort_by(f64::total_cmp);
    out
}

/// The y ticks of a plot `rows` high: its ends (round values, the bounds
/// being rounded out), its landmarks and round values between, no two on a
/// row (landmarks first, then the ends); with `whole`, round values at whole
/// numbers only.
pub(super) fn y_ticks(bounds: [f64; 2], rows: u16, landmarks: &[f64], whole: bool) -> Vec<f64> {
    let [lo, hi] = bounds;
    let row_of = |y: f64| {
        let f = ((hi - y) / (hi - lo)).clamp(0.0, 1.0);
        (f * (4.0 * rows as f64 - 1.0)).round() as u16 / 4
    };
    let mut out: Vec<f64> = Vec::new();
    let mut rows_taken: Vec<u16> = Vec::new();
    let in_range: Vec<f64> = landmarks
        .iter()
        .copied()
        .filter(|l| *l >= lo && *l <= hi)
        .collect();
    let round = round_ticks(bounds, (rows as usize / 2).max(2), &[], whole);
    let marked = in_range.len();
    for (k, y) in in_range
        .into_iter()
        .chain([lo, hi])
        .chain(round)
        .enumerate()
    {
        let r = row_of(y);
        // Landmarks and the ends may sit on neighbouring rows; the round
        // ticks between keep a row free around them.
        let gap = if k < marked + 2 { 0 } else { 1 };
        if !rows_taken.iter().any(|&t| t.abs_diff(r) <= gap) && !out.contains(&y) {
            rows_taken.push(r);
            out.push(y);
        }
    }
    out.sort_by(f64::total_cmp);
    out
}

/// Tick labels with one number format for the axis: the fewest decimals
/// that write every tick exactly (0.25 steps get two, landmarks follow).
pub fn tick_labels(values: &[f64]) -> Vec<String> {
    let exact = |d: i32| {
        values.iter().all(|v| {
            let scaled = v * 10f64.powi(d);
            (scaled - scaled.round()).abs() <= 1e-6 * scaled.abs().max(1.0)
        })
    };
    let decimals = (0..=6).find(|&d| exact(d)).unwrap_or(6) as usize;
    values
        .iter()
        .map(|v| crate::ui::format::fixed(*v, decimals))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_include_landmarks() {
        assert_eq!(ticks([-90.0, 50.0], 4, &[0.0]), [-50.0, 0.0, 50.0]);
        assert_eq!(ticks([-0.1, 1.5], 4, &[0.0, 1.0]), [0.0, 0.5, 1.0, 1.5]);
        assert!(ticks([0.0, 3.0], 2, &[1.0]).contains(&1.0));
        // A landmark halfway between two round ticks leaves both (the rate
        // view's b+x axis read 1, 4, 6 with 0 and 2 gone).
        assert_eq!(ticks([0.0, 7.0], 4, &[1.0]), [0.0, 1.0, 2.0, 4.0, 6.0]);
        // Counts: whole numbers only, where round values would be 0.5 or 2.5
        // apart.
        assert_eq!(
            round_ticks([0.0, 2.0], 6, &[], false),
            [0.0, 0.5, 1.0, 1.5, 2.0]
        );
        assert_eq!(round_ticks([0.0, 2.0], 6, &[], true), [0.0, 1.0, 2.0]);
        assert_eq!(
            round_ticks([0.0, 10.0], 5, &[], false),
            [0.0, 2.5, 5.0, 7.5, 10.0]
        );
        assert_eq!(round_ticks([0.0, 10.0], 5, &[], true), [0.0, 5.0, 10.0]);
        assert_eq!(round_ticks([0.0, 3.0], 2, &[], true), [0.0, 2.0]);
        assert_eq!(tick_labels(&[0.0, 0.5, 1.0]), ["0.0", "0.5", "1.0"]);
        assert_eq!(tick_labels(&[0.0, 0.25, 0.5]), ["0.00", "0.25", "0.50"]);
        assert_eq!(tick_labels(&[-80.0, -40.0, 0.0]), ["-80", "-40", "0"]);
    }
}
