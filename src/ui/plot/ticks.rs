//! Tick values at round numbers (1, 2 or 5 × 10^k) and the landmarks a
//! pane names, and their labels with one number of decimals per axis.

use crate::model::elementary::{decade, pow10};

/// Round tick values covering `bounds`: multiples of 1, 2 or 5 × 10^k, at
/// most `most` of them, plus the landmarks (a round tick closer than a
/// quarter of a step to a landmark gives way to it).
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
    let step = round_step(span, most, &[1.0, 2.0, 2.5, 5.0, 10.0], whole).unwrap_or_else(|| {
        let mag = pow10(decade(span / most as f64));
        if whole {
            (10.0 * mag).max(1.0)
        } else {
            10.0 * mag
        }
    });
    let step = step_through_landmarks(bounds, step, most, landmarks, whole).unwrap_or(step);
    ticks_at(bounds, step, landmarks)
}

/// Half of `step` where a landmark lies between its ticks, a round step
/// (2 to 1, 5 to 2.5, 1 to 0.5, not 2.5 to 1.25) giving at most half as
/// many ticks again as `most`: the ticks a landmark displaces are then
/// closer to it and the rest step evenly. The rate view's v_in = 1 among
/// ticks 2 apart read `0 1 2 4` at 60x16, an axis that looked
/// logarithmic, where `0 1 2 3 4` fits; a threshold of 1.1 read `0.0 1.1
/// 4.0` at 80x24, where `0.0 1.1 2.0 3.0 4.0 5.0` fits.
fn step_through_landmarks(
    [lo, hi]: [f64; 2],
    step: f64,
    most: usize,
    landmarks: &[f64],
    whole: bool,
) -> Option<f64> {
    let on_step = |x: f64| {
        let k = x / step;
        (k - k.round()).abs() <= 1e-9 * k.abs().max(1.0)
    };
    let between = landmarks.iter().any(|&l| l >= lo && l <= hi && !on_step(l));
    let finer = step / 2.0;
    let mantissa = step / pow10(decade(step));
    let round = (mantissa - 2.5).abs() > 1e-9 && (!whole || (finer >= 1.0 && finer.fract() == 0.0));
    let count = (hi / finer).floor() - (lo / finer).ceil() + 1.0;
    (between && round && count <= (most + most / 2) as f64).then_some(finer)
}

/// The smallest step `m` × 10^k (m from `mantissas`, whole with `whole`)
/// that cuts `span` into fewer than `most` parts.
fn round_step(span: f64, most: usize, mantissas: &[f64], whole: bool) -> Option<f64> {
    let mag = pow10(decade(span / most.max(1) as f64));
    [mag, 10.0 * mag]
        .iter()
        .flat_map(|m| mantissas.iter().map(move |x| x * m))
        .filter(|s| !whole || (*s >= 1.0 && s.fract() == 0.0))
        .find(|s| ((span / s).floor() as usize) < most.max(2))
}

/// Multiples of `step` within `bounds`, and the landmarks (a multiple
/// closer than a quarter of a step to a landmark gives way to it: at half
/// a step a threshold of 1.1 took the 2 of ticks 2 apart, and the axis
/// read 0.0, 1.1, 4.0; the labels' own room is the plot's to find).
fn ticks_at(bounds: [f64; 2], step: f64, landmarks: &[f64]) -> Vec<f64> {
    let [lo, hi] = bounds;
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    // k × step to the step's own decimals: 3 × 0.1 is 0.30000000000000004.
    let scale = pow10(1 - decade(step));
    let mut out: Vec<f64> = (first..=last)
        .map(|k| {
            let tick = (k as f64 * step * scale).round() / scale;
            if tick.is_finite() {
                tick
            } else {
                k as f64 * step
            }
        })
        .collect();
    let near = 0.25 * step;
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
/// numbers only. A tick's row is the one the plot draws its value in: by
/// Braille dot, or with `whole_rows` (ASCII) the row whose value is nearest
/// (`Geometry::dot_row`). By dot, hh-clamp's peak I_Na at 100x30 (seven
/// rows, 200 to -1400) put 0 on the top row and dropped the 200 there, and
/// in ASCII the 0 went to the second row, the top row left unnumbered.
pub(super) fn y_ticks(
    bounds: [f64; 2],
    rows: u16,
    landmarks: &[f64],
    whole: bool,
    whole_rows: bool,
) -> Vec<f64> {
    let [lo, hi] = bounds;
    let row_of = |y: f64| {
        let f = ((hi - y) / (hi - lo)).clamp(0.0, 1.0);
        if whole_rows {
            (f * rows.saturating_sub(1) as f64).round() as u16
        } else {
            (f * (4.0 * rows as f64 - 1.0)).round() as u16 / 4
        }
    };
    let mut out: Vec<f64> = Vec::new();
    let mut rows_taken: Vec<u16> = Vec::new();
    let in_range: Vec<f64> = landmarks
        .iter()
        .copied()
        .filter(|l| *l >= lo && *l <= hi)
        .collect();
    let round = ticks_on_ends(bounds, rows, whole)
        .unwrap_or_else(|| round_ticks(bounds, (rows as usize / 2).max(2), &[], whole));
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

/// Round ticks that fall on both ends of the axis, where the plain round
/// step does not: an axis rounded out to 0..120 had 0, 25, 50, 75 and 120,
/// four rows from 75 to 120 and two between the others, and a curve's
/// peak at 100 read as 110. A step of 3, 4, 6, 7 or 8 × 10^k that
/// divides both ends reads evenly (0, 30, 60, 90, 120; a count to 14 as
/// 0, 7, 14, not 0, 5, 10, 14), with a tick between the ends (0..250 at
/// 11 rows read 0 and 250 alone, where 50 a tick lands on every other
/// row) and a row free between ticks; without one, None.
fn ticks_on_ends(bounds: [f64; 2], rows: u16, whole: bool) -> Option<Vec<f64>> {
    let [lo, hi] = bounds;
    let span = hi - lo;
    if !(span > 0.0 && span.is_finite()) {
        return None;
    }
    let on = |step: f64, x: f64| {
        let k = x / step;
        (k - k.round()).abs() <= 1e-9 * k.abs().max(1.0)
    };
    let lands = |step: f64| on(step, lo) && on(step, hi);
    let most = (rows as usize / 2).max(2);
    let plain = round_step(span, most, &[1.0, 2.0, 2.5, 5.0, 10.0], whole)?;
    if lands(plain) {
        return None;
    }
    // Parts of at least two rows each: `rows` rows are rows - 1 apart.
    let parts = 2..=(rows.saturating_sub(1) as usize / 2);
    let mantissas = [1.0, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 10.0];
    let mag = pow10(decade(span / most as f64));
    let step = [mag, 10.0 * mag]
        .iter()
        .flat_map(|m| mantissas.iter().map(move |x| x * m))
        .filter(|s| !whole || (*s >= 1.0 && s.fract() == 0.0))
        .filter(|s| parts.contains(&((span / s).round() as usize)))
        .find(|s| lands(*s))?;
    Some(ticks_at(bounds, step, &[]))
}

/// Tick labels with one number format for the axis: the fewest decimals
/// that write every tick exactly (0.25 steps get two, landmarks follow).
pub fn tick_labels(values: &[f64]) -> Vec<String> {
    let exact = |d: i32| {
        values.iter().all(|v| {
            let scaled = v * pow10(d);
            (scaled - scaled.round()).abs() <= 1e-6 * scaled.abs().max(1.0)
        })
    };
    let decimals = (0..=6).find(|&d| exact(d)).unwrap_or(6) as usize;
    values
        .iter()
        .map(|v| crate::ui::format::fixed(*v, decimals))
        .collect()
}

/// The label of the tick at decade `k` of a log scale: the value 10^k as
/// a number is written (0.001, 1, 1000), past six digits as a power of
/// ten (1e-7, 1e7).
pub fn decade_label(k: f64) -> String {
    let k = k.round() as i32;
    if (-6..=6).contains(&k) {
        crate::ui::format::fixed(pow10(k), (-k).max(0) as usize)
    } else {
        format!("1e{k}")
    }
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
        // Where half the step holds it with ticks enough, the axis steps
        // through it evenly (the rate view at 60x16 read 0, 1, 2, 4).
        assert_eq!(ticks([0.0, 5.1], 4, &[1.0]), [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(ticks([0.0, 9.0], 3, &[2.5]), [0.0, 2.5, 5.0, 7.5]);
        // A landmark half the step misses too displaces a closer tick (a
        // threshold of 1.1 read 0.0, 1.1, 4.0 at 80x24).
        assert_eq!(
            ticks([0.0, 6.0], 6, &[1.1]),
            [0.0, 1.1, 2.0, 3.0, 4.0, 5.0, 6.0]
        );
        // Not through a step that is not round, nor past half as many
        // ticks again (0 to 7 above), where a landmark leaves the round
        // ticks more than a quarter of a step away (a threshold of 1.1 took
        // the 2: 0.0, 1.1, 4.0 at 60x16).
        assert_eq!(ticks([0.0, 6.0], 4, &[1.25]), [0.0, 1.25, 2.0, 4.0, 6.0]);
        assert_eq!(ticks([0.0, 6.1], 4, &[1.1]), [0.0, 1.1, 2.0, 4.0, 6.0]);
        assert_eq!(ticks([0.0, 6.1], 4, &[1.9]), [0.0, 1.9, 4.0, 6.0]);
        assert_eq!(ticks([0.0, 8.0], 4, &[1.25]), [0.0, 1.25, 2.5, 5.0, 7.5]);
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
        assert_eq!(tick_labels(&[0.0, 0.3, 0.6]), ["0.0", "0.3", "0.6"]);
        assert_eq!(tick_labels(&[0.0, 0.25, 0.5]), ["0.00", "0.25", "0.50"]);
        assert_eq!(tick_labels(&[-80.0, -40.0, 0.0]), ["-80", "-40", "0"]);
    }

    #[test]
    fn decades_are_labelled_by_their_values() {
        let labels: Vec<String> = [-7.0, -3.0, -1.0, 0.0, 2.0, 6.0, 7.0]
            .map(decade_label)
            .to_vec();
        assert_eq!(
            labels,
            ["1e-7", "0.001", "0.1", "1", "100", "1000000", "1e7"]
        );
    }

    #[test]
    fn y_ticks_fall_evenly_between_the_ends() {
        // h(t) of a 10 ms filter, 11 rows: the axis is rounded out to
        // 0..120 and the plain step of 25 read 0, 25, 50, 75, 120.
        assert_eq!(
            y_ticks([0.0, 120.0], 11, &[0.0], false, false),
            [0.0, 30.0, 60.0, 90.0, 120.0]
        );
        assert_eq!(
            y_ticks([0.0, 1.2], 11, &[0.0], false, false),
            [0.0, 0.3, 0.6, 0.9, 1.2]
        );
        assert_eq!(
            y_ticks([0.0, 180.0], 11, &[], true, false),
            [0.0, 60.0, 120.0, 180.0]
        );
        // An ISI histogram's count axis, 12 rows.
        assert_eq!(y_ticks([0.0, 14.0], 12, &[], true, false), [0.0, 7.0, 14.0]);
        // A step that lands on both ends must leave a tick between them
        // (psc-ampa-nmda at 80x24 read 0 and 250 alone): 50, a tick every
        // other row of 11, at least two rows apart at 12. 0..70 has no
        // such step and keeps the plain one with its ends.
        assert_eq!(
            y_ticks([0.0, 250.0], 11, &[0.0], false, false),
            [0.0, 50.0, 100.0, 150.0, 200.0, 250.0]
        );
        assert_eq!(
            y_ticks([0.0, 250.0], 12, &[0.0], false, false),
            [0.0, 50.0, 100.0, 150.0, 200.0, 250.0]
        );
        assert_eq!(
            y_ticks([0.0, 70.0], 13, &[], false, false),
            [0.0, 20.0, 40.0, 70.0]
        );
        // Ticks on the rows they are drawn in: by Braille's dots 0 lies in
        // the top row of seven from 200 to -1400, and 200 gives way to it;
        // in ASCII 0 is the second row's value, and both are numbered.
        let peak_i_na = |ascii| y_ticks([-1400.0, 200.0], 7, &[0.0], false, ascii);
        assert!(peak_i_na(false).contains(&0.0) && !peak_i_na(false).contains(&200.0));
        assert!(peak_i_na(true).contains(&0.0) && peak_i_na(true).contains(&200.0));
        // A span too small for a decimal scale keeps its plain multiples.
        assert!(
            y_ticks([0.0, 1e-320], 11, &[], false, false)
                .iter()
                .all(|t| t.is_finite())
        );
        // Where the plain step lands on both ends, it stays.
        assert_eq!(
            y_ticks([0.0, 100.0], 11, &[0.0], false, false),
            [0.0, 25.0, 50.0, 75.0, 100.0]
        );
        // Where no step lands on both, the plain one with the ends.
        assert_eq!(
            y_ticks([-80.0, 60.0], 11, &[0.0], false, false),
            [-80.0, -50.0, 0.0, 60.0]
        );
    }
}
