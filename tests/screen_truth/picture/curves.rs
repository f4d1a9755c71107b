//! Each curve's places against the dots drawn: where the samples of each
//! dot column let a curve pass, and what the area shows there.

use super::Span;
use super::axes::{Area, dots_of, near_a_name, place, unit};
use crate::check::Found;

/// Each dot column's rows (or values) where a curve may pass, if any.
type Places = Vec<Option<(f64, f64)>>;

/// What one curve should show: the run's samples of its quantity, the
/// spikes stroked on it, the stretches of time on its axis, and from when
/// the oscilloscope keeps samples.
pub(super) struct Trace<'a> {
    pub(super) name: &'a str,
    pub(super) samples: &'a [(f64, f64)],
    pub(super) strokes: &'a [f64],
    /// From where to where the strokes rise.
    pub(super) stroke: [f64; 2],
    /// Whether every dot of its line is drawn (else only its places are
    /// checked, not that it is there).
    pub(super) solid: bool,
    pub(super) spans: &'a [Span],
    pub(super) window_s: f64,
    pub(super) kept_from_s: f64,
    /// The oscilloscope records every this many steps of `dt_s` (so that
    /// its window has some 2,000 samples): the drawn samples are those.
    pub(super) every: u64,
    pub(super) dt_s: f64,
}

/// Each dot column's range of values (lowest, highest) where the curve
/// may pass, and whether samples lie in it from when they are kept.
fn envelopes(trace: &Trace, dots: usize) -> (Places, Vec<bool>) {
    let mut env: Places = vec![None; dots];
    let mut kept = vec![false; dots];
    let widen = |env: &mut [Option<(f64, f64)>], d: usize, (lo, hi): (f64, f64)| {
        env[d] = Some(env[d].map_or((lo, hi), |(a, b)| (a.min(lo), b.max(hi))));
    };
    // The fraction of the axis a time lies at, as the scope's own
    // arithmetic may round it: rolling, now's sample (0.11175 s) lay at
    // 1 + 2e-16 of the window that ends with it (0.08675 to 0.11175 s);
    // and a time halfway between two dot columns may go to either (45 ms
    // of a 50 ms window over 106 dots, at 94.5: here 94, there 95).
    let column = |t: f64, span: &Span| {
        let x = (t - span.origin_s) / trace.window_s;
        (-1e-9..=1.0 + 1e-9).contains(&x).then(|| {
            let at = x.clamp(0.0, 1.0) * (dots - 1) as f64;
            let d = at.round() as usize;
            let other = ((at - 1e-6).round() as usize).min(dots - 1);
            let other = if other == d {
                ((at + 1e-6).round() as usize).min(dots - 1)
            } else {
                other
            };
            (d, other)
        })
    };
    let mut halfway = Vec::new();
    for span in trace.spans {
        let from = trace.samples.partition_point(|&(t, _)| t < span.from_s);
        let to = trace
            .samples
            .partition_point(|&(t, _)| t <= span.to_s)
            .max(from);
        // The samples of each column with any, in time order.
        let mut cols: Vec<(usize, f64, f64)> = Vec::new();
        for &(t, y) in &trace.samples[from..to] {
            let Some((d, other)) = column(t, span) else {
                continue;
            };
            let recorded = ((t / trace.dt_s).round() as u64).is_multiple_of(trace.every);
            if !y.is_finite() || !recorded {
                continue;
            }
            // A sample halfway between two columns requires no dot in
            // either: the scope may round it into the other (a clamp
            // step's newest sample, 11.2 ms on an axis of -1 to 13 ms over
            // 386 dots, lay at 335.5 and was drawn in 335, not 336).
            if t >= trace.kept_from_s && other == d {
                kept[d] = true;
            }
            if other != d {
                halfway.push((d, other));
            }
            match cols.last_mut() {
                Some(last) if last.0 == d => {
                    last.1 = last.1.min(y);
                    last.2 = last.2.max(y);
                }
                _ => cols.push((d, y, y)),
            }
        }
        for k in 0..cols.len() {
            let lo = k.saturating_sub(1);
            let hi = (k + 1).min(cols.len() - 1);
            let range = cols[lo..=hi]
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), c| {
                    (a.min(c.1), b.max(c.2))
                });
            // The columns from this one to the next with samples, which
            // the line between them crosses.
            let next = if k + 1 < cols.len() {
                cols[k + 1].0
            } else {
                cols[k].0
            };
            for d in cols[k].0..next.max(cols[k].0 + 1) {
                widen(&mut env, d, range);
            }
        }
        for &t in trace.strokes {
            if span.holds_spike(t)
                && let Some((d, other)) = column(t, span)
            {
                widen(&mut env, d, (trace.stroke[0], trace.stroke[1]));
                widen(&mut env, other, (trace.stroke[0], trace.stroke[1]));
            }
        }
    }
    // A sample halfway between two columns lets its column's curve into
    // the other.
    for (d, other) in halfway {
        if let Some(range) = env[d] {
            widen(&mut env, other, range);
        }
    }
    (env, kept)
}

/// Each dot of the area on one of the curves; where a solid curve has
/// kept samples apart from the others', a dot of it there.
pub(super) fn check_area(
    found: &mut Found,
    grid: &[Vec<char>],
    ascii: bool,
    area: &Area,
    traces: &[Trace],
    level: Option<f64>,
) {
    let dots = 2 * area.width;
    let unit = unit(ascii);
    let cell = |row: usize, col: usize| area.cell(grid, row, col);
    // Each curve's dot rows (ASCII: rows) where dot column d may have its
    // dots, and where it has kept samples.
    let (allowed, kept): (Vec<Places>, Vec<Vec<bool>>) = traces
        .iter()
        .map(|trace| {
            let (env, kept) = envelopes(trace, dots);
            let allowed = env
                .iter()
                .map(|e| {
                    e.map(|(lo, hi)| {
                        let (top, _) = place(area, unit, hi);
                        let (_, bottom) = place(area, unit, lo);
                        (top - 1.0, bottom + 1.0)
                    })
                })
                .collect();
            (allowed, kept)
        })
        .unzip();
    let names: Vec<&str> = traces.iter().map(|t| t.name).collect();
    let what = names.join(", ");
    // The dots drawn in each dot column, by row.
    let mut drawn: Vec<Vec<f64>> = vec![Vec::new(); dots];
    let mut wrong = Vec::new();
    for row in 0..area.rows {
        for col in 0..area.width {
            // In ASCII a name's `=`, `+` or `*` (`#4 b=2`, `a * h`) is no
            // curve's: a character two cells or less from a letter or a
            // digit is taken for a name's.
            if ascii && near_a_name(&cell, row, col) {
                continue;
            }
            for (dc, dr) in dots_of(cell(row, col), ascii) {
                // In ASCII a cell stands for both its dot columns.
                let ds: Vec<usize> = if ascii {
                    vec![2 * col, 2 * col + 1]
                } else {
                    vec![2 * col + dc]
                };
                let y = unit * row as f64 + dr as f64;
                for &d in &ds {
                    drawn[d].push(y);
                }
                // A level's dot is in a cell a curve took: that cell shows
                // the curve, but which of its dots are the curve's the
                // screen cannot tell.
                let level_dot = level.is_some_and(|v| {
                    let (a, b) = place(area, unit, v);
                    !ascii && dc == 0 && y >= a && y <= b
                });
                let fits = ds.iter().any(|&d| {
                    allowed
                        .iter()
                        .any(|a| a[d].is_some_and(|(a, b)| y >= a && y <= b))
                });
                if !fits && !level_dot {
                    let d = ds[0];
                    let t = traces[0].spans.iter().rev().find_map(|p| {
                        let t = p.origin_s + d as f64 / (dots - 1) as f64 * traces[0].window_s;
                        (t >= p.from_s - 1e-9 && t <= p.to_s + 1e-9).then_some(t)
                    });
                    let ranges: Vec<_> = allowed.iter().map(|a| a[d]).collect();
                    wrong.push(format!(
                        "a dot at row {y} of column {d} (t {t:?} s), where {what} may take rows {ranges:?}"
                    ));
                }
            }
        }
    }
    // Every column where a solid curve has kept samples shows it, in rows
    // no other curve may take there, unless a name, a mark or a cursor
    // covers them (or the blank that keeps a name apart, or in ASCII what
    // is taken for a name's, up to two cells beside it).
    for (k, trace) in traces.iter().enumerate().filter(|(_, t)| t.solid) {
        for d in (0..dots).filter(|&d| kept[k][d]) {
            let Some((a, b)) = allowed[k][d] else {
                continue;
            };
            let shared = allowed
                .iter()
                .enumerate()
                .any(|(j, o)| j != k && o[d].is_some_and(|(c, e)| c <= b && e >= a));
            if shared || drawn[d].iter().any(|&y| y >= a && y <= b) {
                continue;
            }
            let covered = area.covered(grid, ascii, d, (a, b));
            if !covered {
                wrong.push(format!(
                    "no dot in column {d}, where {} has samples (dot rows {a} to {b})",
                    trace.name
                ));
            }
        }
    }
    if let Some(first) = wrong.first() {
        found.wrong.push(format!(
            "picture of {what} ({} of {} dot columns): {first}",
            wrong.len(),
            dots
        ));
    }
}
