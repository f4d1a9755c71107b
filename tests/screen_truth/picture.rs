//! The picture: the scope's traces against the run's samples. A trace is
//! read off the screen dot by dot (each Braille cell's eight dots; in
//! ASCII each cell of the curve's character), and each dot must lie where
//! the samples of its time put the curve, by the plot's own y axis: the
//! rows its ticks are on, and the values they say. A trace of another
//! neuron, of another time, or on another scale than its axis says is
//! caught here, where every number on the status lines can be right.
//!
//! Where a dot may lie: the drawing joins the samples it keeps (a
//! column's lowest and highest) by straight lines, so the dots of a dot
//! column lie between the lowest and highest samples from the nearest
//! column with samples on its left to the nearest on its right (a LIF
//! spike's stroke, from the threshold up, is one of them). A value
//! v goes to dot row round(L(v)), L linear; a tick's value lies in its
//! row, so L of it is known to half a dot past the row's dots, and L of
//! any value between two ticks to the same width, by interpolation.
//! Where the run has samples, each dot column has a dot (or a name, a
//! cursor, or a mark covers it).

use spikescope::model::AnyModel;
use spikescope::model::recordable::{Quantity, Recordable};
use spikescope::ui::traces::PROBE_CAPACITY;
use spikescope::view::{Pane, TriggerMode};

use crate::check::{Found, Screen};

/// A plot found on the screen: its plotting area and its y ticks.
struct Area {
    top: usize,
    rows: usize,
    left: usize,
    width: usize,
    /// (row in the area, value), top first.
    ticks: Vec<(usize, f64)>,
}

/// One stretch of samples on the axis: times from `from_s` to `to_s`, x
/// = t - `origin_s` (seconds from the axis' left end).
struct Span {
    from_s: f64,
    to_s: f64,
    origin_s: f64,
}

pub fn check(s: &Screen) -> Found {
    let mut found = Found::default();
    let app = s.app;
    if app.view.pane != Pane::Scope || app.reference.is_some() {
        return found;
    }
    let Some(spans) = spans(s) else {
        return found;
    };
    let grid: Vec<Vec<char>> = s.text.lines().map(|l| l.chars().collect()).collect();
    let areas = areas(&grid, s.ascii);
    let i = s.i;
    // The plots of one trace each, top first: the column of the run that
    // is its truth and whether the neuron's spikes are strokes on it.
    // Its level line, if any, keeps a dot of its own in the cells the
    // curve takes. The strokes rise from the threshold by 0.4 of the span
    // from the reset (the notes' 1 to 1.4).
    let traces: Vec<(String, Option<[f64; 2]>, Option<f64>)> = match &app.sim.model {
        AnyModel::Hh(_) => vec![("v_mV".into(), None, Some(0.0))],
        AnyModel::Lif(n) => {
            let (v_th, v_reset) = (n.params.v_threshold, n.params.v_reset);
            let stroke = [v_th, v_th + 0.4 * (v_th - v_reset)];
            vec![
                ("v".into(), Some(stroke), Some(v_th)),
                ("v_in".into(), None, None),
            ]
        }
        AnyModel::Network(_) => vec![
            (format!("v_{i}"), Some([1.0, 1.4]), Some(1.0)),
            (format!("s_{i}"), None, None),
        ],
        _ => Vec::new(),
    };
    // A network neuron past the traced ones is recorded from when it was
    // selected (or not at all: then its plot says so, and has no trace).
    let since = match &app.sim.model {
        AnyModel::Network(_) => match app.traces.place_of(Recordable::at(Quantity::V, i)) {
            Some((_, since)) => since.unwrap_or(f64::NEG_INFINITY),
            None => return found,
        },
        _ => f64::NEG_INFINITY,
    };
    let kept_from = (s.now - (PROBE_CAPACITY - 1) as f64 * app.sim.dt_s()).max(since);
    let strokes: Vec<f64> = s
        .run
        .spikes
        .iter()
        .filter(|&&(k, t)| k == i && t <= s.now)
        .map(|&(_, t)| t)
        .collect();
    for (area, (column, stroke, level)) in areas.iter().zip(traces) {
        let Some(samples) = s.run.traces.column(&column) else {
            found
                .wrong
                .push(format!("picture: the run has no column {column}"));
            continue;
        };
        let strokes = if stroke.is_some() { &strokes[..] } else { &[] };
        let trace = Trace {
            samples: &samples,
            strokes,
            spans: &spans,
            window_s: app.window_s(),
            kept_from_s: kept_from,
            level,
            stroke: stroke.unwrap_or_default(),
            every: app.traces.probes.sample_every,
            dt_s: app.sim.dt_s(),
        };
        check_area(&mut found, &column, &grid, s.ascii, area, &trace);
    }
    found
}

/// The stretches of time on the axis: in a free sweep the current sweep
/// and what is left of the last one past the gap ahead of the write head,
/// rolling the window ending now; None in a triggered sweep.
fn spans(s: &Screen) -> Option<Vec<Span>> {
    let w = s.app.window_s();
    let now = s.now;
    match s.app.view.trigger {
        TriggerMode::Free => {
            // Sweeps are [k w, (k + 1) w]; the sample at a sweep's end closes it.
            let k = ((now / w) * (1.0 - 1e-12)).ceil() - 1.0;
            let start = k.max(0.0) * w;
            Some(vec![
                Span {
                    from_s: now - w + 0.04 * w,
                    to_s: start - 1e-9,
                    origin_s: start - w,
                },
                Span {
                    from_s: start,
                    to_s: now,
                    origin_s: start,
                },
            ])
        }
        TriggerMode::Roll => Some(vec![Span {
            from_s: now - w,
            to_s: now,
            origin_s: now - w,
        }]),
        TriggerMode::Spike | TriggerMode::Single => None,
    }
}

/// The plots on a screen, top to bottom and left to right: an axis corner
/// (`└`, in ASCII `+`) with only blanks between it and a pane's left
/// border, the y axis above it, the x axis to the pane's right border.
fn areas(grid: &[Vec<char>], ascii: bool) -> Vec<Area> {
    let (corner, tick, axis, border) = if ascii {
        ('+', '+', '|', '|')
    } else {
        ('└', '┤', '│', '│')
    };
    let mut out = Vec::new();
    for (r, line) in grid.iter().enumerate() {
        for (c, &ch) in line.iter().enumerate() {
            if ch != corner || r == 0 {
                continue;
            }
            let Some(b) = line[..c].iter().rposition(|&x| x != ' ') else {
                continue;
            };
            if line[b] != border || !matches!(line.get(c + 1), Some('┴' | '─' | '+' | '-' | ' '))
            {
                continue;
            }
            let Some(right) = line[c + 1..].iter().position(|&x| x == border) else {
                continue;
            };
            let mut top = r;
            while top > 0 && matches!(grid[top - 1].get(c), Some(&x) if x == tick || x == axis) {
                top -= 1;
            }
            if top == r {
                continue;
            }
            let ticks = (top..r)
                .filter(|&row| grid[row][c] == tick)
                .filter_map(|row| {
                    let label: String = grid[row][..c].iter().collect();
                    let label = label.rsplit(border).next()?.trim();
                    label.parse::<f64>().ok().map(|v| (row - top, v))
                })
                .collect();
            out.push(Area {
                top,
                rows: r - top,
                left: c + 1,
                width: right,
                ticks,
            });
        }
    }
    out
}

/// What one plot should show: the run's samples of its quantity, the
/// spikes stroked on it, the stretches of time on its axis, and from when
/// the oscilloscope keeps samples.
struct Trace<'a> {
    samples: &'a [(f64, f64)],
    strokes: &'a [f64],
    spans: &'a [Span],
    window_s: f64,
    kept_from_s: f64,
    level: Option<f64>,
    /// From where to where the strokes rise.
    stroke: [f64; 2],
    /// The oscilloscope records every this many steps of `dt_s` (so that
    /// its window has some 2,000 samples): the drawn samples are those.
    every: u64,
    dt_s: f64,
}

/// Each dot column's range of values (lowest, highest) where the curve
/// may pass, and whether samples lie in it from when they are kept.
fn envelopes(trace: &Trace, dots: usize) -> (Vec<Option<(f64, f64)>>, Vec<bool>) {
    let mut env: Vec<Option<(f64, f64)>> = vec![None; dots];
    let mut kept = vec![false; dots];
    let widen = |env: &mut [Option<(f64, f64)>], d: usize, (lo, hi): (f64, f64)| {
        env[d] = Some(env[d].map_or((lo, hi), |(a, b)| (a.min(lo), b.max(hi))));
    };
    let column = |t: f64, span: &Span| {
        let x = (t - span.origin_s) / trace.window_s;
        (0.0..=1.0)
            .contains(&x)
            .then(|| (x * (dots - 1) as f64).round() as usize)
    };
    for span in trace.spans {
        let from = trace.samples.partition_point(|&(t, _)| t < span.from_s);
        let to = trace
            .samples
            .partition_point(|&(t, _)| t <= span.to_s)
            .max(from);
        // The samples of each column with any, in time order.
        let mut cols: Vec<(usize, f64, f64)> = Vec::new();
        for &(t, y) in &trace.samples[from..to] {
            let Some(d) = column(t, span) else { continue };
            let recorded = ((t / trace.dt_s).round() as u64).is_multiple_of(trace.every);
            if !y.is_finite() || !recorded {
                continue;
            }
            if t >= trace.kept_from_s {
                kept[d] = true;
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
            if t >= span.from_s
                && t <= span.to_s
                && let Some(d) = column(t, span)
            {
                widen(&mut env, d, (trace.stroke[0], trace.stroke[1]));
            }
        }
    }
    (env, kept)
}

/// Where value y lies in the area's rows by its ticks: L(y) in dots
/// (Braille, `unit` 4 to a row) or rows (ASCII, 1), as [low, high].
fn place(area: &Area, unit: f64, y: f64) -> (f64, f64) {
    let band = |row: usize| (unit * row as f64 - 0.5, unit * row as f64 + unit - 0.5);
    let last = unit * area.rows as f64 - 1.0;
    let ticks = &area.ticks;
    let Some(&(top_row, top)) = ticks.first() else {
        return (-0.5, last + 0.5);
    };
    let &(bottom_row, bottom) = ticks.last().unwrap();
    if y >= top {
        return (-0.5, band(top_row).1);
    }
    if y <= bottom {
        return (band(bottom_row).0, last + 0.5);
    }
    let k = ticks.iter().position(|&(_, v)| v < y).unwrap();
    let ((ra, va), (rb, vb)) = (ticks[k - 1], ticks[k]);
    let f = (va - y) / (va - vb);
    let (a, b) = (band(ra), band(rb));
    (a.0 + f * (b.0 - a.0), a.1 + f * (b.1 - a.1))
}

/// The dots drawn in one cell: (dot column 0-1, dot row 0-3) of a Braille
/// character, or the whole cell (0, 0) for the curve's ASCII `*`.
fn dots_of(ch: char, ascii: bool) -> Vec<(usize, usize)> {
    if ascii {
        return if ch == '*' { vec![(0, 0)] } else { Vec::new() };
    }
    if !('\u{2801}'..='\u{28ff}').contains(&ch) {
        return Vec::new();
    }
    let bits = ch as u32 - 0x2800;
    // Dots 1-3 and 7 down the left column, 4-6 and 8 down the right.
    const PLACES: [(usize, usize); 8] = [
        (0, 0),
        (0, 1),
        (0, 2),
        (1, 0),
        (1, 1),
        (1, 2),
        (0, 3),
        (1, 3),
    ];
    (0..8)
        .filter(|b| bits & (1 << b) != 0)
        .map(|b| PLACES[b])
        .collect()
}

fn check_area(
    found: &mut Found,
    what: &str,
    grid: &[Vec<char>],
    ascii: bool,
    area: &Area,
    trace: &Trace,
) {
    let dots = 2 * area.width;
    let (env, kept) = envelopes(trace, dots);
    let unit = if ascii { 1.0 } else { 4.0 };
    let cell = |row: usize, col: usize| {
        grid.get(area.top + row)
            .and_then(|l| l.get(area.left + col))
            .copied()
            .unwrap_or(' ')
    };
    // The dot rows (ASCII: rows) where dot column d may have its dots.
    let allowed = |d: usize| {
        env[d].map(|(lo, hi)| {
            let (top, _) = place(area, unit, hi);
            let (_, bottom) = place(area, unit, lo);
            (top - 1.0, bottom + 1.0)
        })
    };
    let mut drawn = vec![false; dots];
    let mut wrong = Vec::new();
    for row in 0..area.rows {
        for col in 0..area.width {
            for (dc, dr) in dots_of(cell(row, col), ascii) {
                // In ASCII a cell stands for both its dot columns.
                let ds: Vec<usize> = if ascii {
                    vec![2 * col, 2 * col + 1]
                } else {
                    vec![2 * col + dc]
                };
                let y = unit * row as f64 + dr as f64;
                let level_dot = trace.level.is_some_and(|v| {
                    let (a, b) = place(area, unit, v);
                    !ascii && dc == 0 && y >= a && y <= b
                });
                // A level's dot is in a cell the curve took: that cell
                // shows the curve, but which of its dots are the curve's
                // the screen cannot tell.
                if level_dot {
                    drawn[2 * col] = true;
                    continue;
                }
                for &d in &ds {
                    drawn[d] = true;
                }
                let fits = ds
                    .iter()
                    .any(|&d| allowed(d).is_some_and(|(a, b)| y >= a && y <= b));
                if !fits {
                    let d = ds[0];
                    let t = trace.spans.iter().rev().find_map(|p| {
                        let t = p.origin_s + d as f64 / (dots - 1) as f64 * trace.window_s;
                        (t >= p.from_s - 1e-9 && t <= p.to_s + 1e-9).then_some(t)
                    });
                    wrong.push(format!(
                        "a dot at row {y} of column {d} (t {t:?} s), where {what} lies in {:?} (rows {:?})",
                        env[d],
                        allowed(d)
                    ));
                }
            }
        }
    }
    // Every column with kept samples shows the curve, unless a name, a
    // mark or a cursor covers the rows it would take (or the blank that
    // keeps a name apart, beside it).
    for d in (0..dots).filter(|&d| kept[d] && !drawn[d]) {
        let Some((a, b)) = allowed(d) else { continue };
        let rows =
            (a / unit).floor().max(0.0) as usize..=((b / unit).ceil() as usize).min(area.rows - 1);
        let columns = (d / 2).saturating_sub(1)..=(d / 2 + 1).min(area.width - 1);
        let covered = rows.clone().any(|r| {
            columns.clone().any(|c| {
                let ch = cell(r, c);
                // A level line lies under the curve and covers nothing.
                let level = if ascii { '-' } else { '╌' };
                ch != ' '
                    && ch != level
                    && dots_of(ch, ascii).is_empty()
                    && !('\u{2800}'..='\u{28ff}').contains(&ch)
            })
        });
        if !covered {
            wrong.push(format!(
                "no dot in column {d}, where {what} has samples in {:?} (rows {rows:?})",
                env[d]
            ));
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
