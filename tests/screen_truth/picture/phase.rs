//! The phase planes that draw a path (view 7): HH's (V, n) over the
//! nullclines of its two-variable reduction, and a network neuron's (v, s)
//! beside its v-nullcline. Each dot must lie on a nullcline, by the closed
//! forms written here, or on the run's path of the two quantities over the
//! window: within the box of the samples between two that the
//! oscilloscope records a window apart, where the drawing's straight line
//! between them lies, by the axes' own ticks. And the path has a dot
//! wherever it is on the plot, unless a name or a mark covers it. A path of
//! another neuron, of another stretch of time, or off its axes' scale is
//! caught here, where the numbers over the plane can all be right.

use spikescope::model::AnyModel;
use spikescope::model::recordable::{Quantity, Recordable};
use spikescope::ui::traces::PROBE_CAPACITY;

use super::axes::{Area, areas, dots_of, holds_every_plot, near_a_name, place, unit, x_ticks};
use super::functions::{Function, XAxis, x_maps};
use crate::check::{Found, Screen};
use crate::views::hh_gate;

/// The points in x a view draws a nullcline through: `points` equal
/// steps from `from` to `to`, each x as `pane::sample` computes it.
#[derive(Clone, Copy)]
struct Grid {
    from: f64,
    to: f64,
    points: usize,
}

impl Grid {
    fn spacing(self) -> f64 {
        (self.to - self.from) / self.points as f64
    }

    /// The grid's x within [a, b].
    fn within(self, a: f64, b: f64) -> impl Iterator<Item = f64> {
        let k0 = ((a - self.from) / self.spacing()).floor().max(0.0) as usize;
        let k1 = (((b - self.from) / self.spacing()).ceil().max(0.0) as usize).min(self.points);
        (k0..=k1)
            .map(move |k| self.from + (self.to - self.from) * k as f64 / self.points as f64)
            .filter(move |&x| x >= a && x <= b)
    }
}

/// A phase plane: its nullclines (each with the points in x the view
/// draws it through), the run's columns of its x and y,
/// from when the path is recorded, and the times of the spikes whose
/// resets break it.
struct Plane {
    nullclines: Vec<(Function, Grid)>,
    x_column: String,
    y_column: String,
    since_s: f64,
    resets: Vec<f64>,
}

/// The plane of the view shown; None where view 7 draws no path.
fn plane(s: &Screen) -> Option<Plane> {
    let app = s.app;
    let model = &app.sim.model;
    let column = |q: Quantity, i: usize| model.column_name(Recordable::at(q, i));
    match model {
        AnyModel::Hh(hh) if !hh.clamp => {
            let p = hh.params.clone();
            let j = s.run.last[&column(Quantity::Input, 0)];
            // C dV/dt with m = m_inf(V) and h = 0.89 - 1.1 n (a gate's
            // range): the reduction (Rinzel 1985) the plane says it draws.
            let dv = move |v: f64, n: f64| {
                let m = hh_gate('m', v, p.temperature).0;
                let h = (0.89 - 1.1 * n).clamp(0.0, 1.0);
                j - p.g_na * m.powi(3) * h * (v - p.e_na)
                    - p.g_k * n.powi(4) * (v - p.e_k)
                    - p.g_l * (v - p.e_l)
            };
            let v_nullcline: Function = Box::new(move |v| only_root(|n| dv(v, n)));
            let n_nullcline: Function = Box::new(move |v| hh_gate('n', v, p.temperature).0);
            // The view draws each through 301 points of -90 to 60 mV.
            let grid = Grid {
                from: -90.0,
                to: 60.0,
                points: 300,
            };
            Some(Plane {
                nullclines: vec![(v_nullcline, grid), (n_nullcline, grid)],
                x_column: column(Quantity::V, 0),
                y_column: column(Quantity::N, 0),
                since_s: f64::NEG_INFINITY,
                resets: Vec::new(),
            })
        }
        AnyModel::Network(net) => {
            let i = s.i;
            // A neuron past the traced ones is recorded from when it was
            // selected, or not at all (the plane says so).
            let (_, since) = app.traces.place_of(Recordable::at(Quantity::V, i))?;
            let x_now = app.sim.input().get(i).copied().unwrap_or(0.0);
            let drive = net.bias()[i] + x_now;
            // dv/dt = 0 where v = b + x + s.
            let nullcline: Function = Box::new(move |v| v - drive);
            Some(Plane {
                // Drawn through 101 points 0.013 apart (a line: where
                // they lie does not matter).
                nullclines: vec![(
                    nullcline,
                    Grid {
                        from: 0.0,
                        to: 1.3,
                        points: 100,
                    },
                )],
                x_column: column(Quantity::V, i),
                y_column: column(Quantity::S, i),
                since_s: since.unwrap_or(f64::NEG_INFINITY),
                resets: s
                    .run
                    .spikes
                    .iter()
                    .filter(|&&(k, _)| k == i)
                    .map(|&(_, t)| t)
                    .collect(),
            })
        }
        _ => None,
    }
}

/// The root in [0, 1] of f where f changes sign once there (found on a
/// grid of 100 and by bisection), else NaN: none, or more than one. Between
/// E_K and E_Na dV/dt falls as n rises, so there is at most one; below E_K
/// there may be two, where the view, bisecting [0, 1], draws none.
fn only_root(f: impl Fn(f64) -> f64) -> f64 {
    let grid = 100;
    let mut root = f64::NAN;
    let mut prev = f(0.0);
    for k in 1..=grid {
        let (a, b) = ((k - 1) as f64 / grid as f64, k as f64 / grid as f64);
        let fb = f(b);
        if (prev < 0.0) != (fb < 0.0) {
            if root.is_finite() {
                return f64::NAN;
            }
            let (mut lo, mut hi) = (a, b);
            for _ in 0..60 {
                let mid = 0.5 * (lo + hi);
                if (f(mid) < 0.0) == (prev < 0.0) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            root = 0.5 * (lo + hi);
        }
        prev = fb;
    }
    root
}

/// A stretch of the path in dots, whether every sample of it lies on the
/// plot's axes, and whether it is long enough (two recorded samples' time)
/// to hold one the oscilloscope recorded: the last few steps before a
/// reset may have none, and its line ends before them.
struct PathBox {
    cols: (f64, f64),
    rows: (f64, f64),
    inside: bool,
    whole: bool,
    start_s: f64,
}

pub(super) fn check(s: &Screen) -> Option<Found> {
    let plane = plane(s)?;
    let mut found = Found::default();
    let grid: Vec<Vec<char>> = s.text.lines().map(|l| l.chars().collect()).collect();
    let areas = areas(&grid, s.ascii);
    let Some(area) = areas.first() else {
        if holds_every_plot(&grid) {
            found.wrong.push("phase plane: no plot found".into());
        }
        return Some(found);
    };
    let ticks = x_ticks(&grid, area, s.ascii);
    if ticks.len() < 2 {
        return Some(found);
    }
    let maps = x_maps(&ticks);
    if maps.is_empty() {
        found.wrong.push(format!(
            "phase plane: no linear axis puts its x ticks {ticks:?} in their columns"
        ));
        return Some(found);
    }
    let axis = XAxis { maps };
    let x_of = |d: f64, most: bool| axis.x(d, most);
    let unit = unit(s.ascii);
    // The x the plot surely shows: of its first dot column to its last.
    let shown_x = (x_of(0.0, true), x_of(2.0 * area.width as f64 - 1.0, false));
    let boxes = match path_boxes(s, &plane, (area, unit), (&axis, shown_x)) {
        Ok(boxes) => boxes,
        Err(e) => {
            found.wrong.push(e);
            return Some(found);
        }
    };
    let cell = |row: usize, col: usize| area.cell(&grid, row, col);
    // Where a nullcline may take dot column d's dots (rows, each
    // nullcline's): over the x of the dot columns either side, and of the
    // points it is drawn through; computed once a column (d = k / 2).
    let reach = if s.ascii { 1.5 } else { 1.0 };
    let rows_of = |d: f64| -> Vec<(f64, f64)> {
        plane
            .nullclines
            .iter()
            .filter_map(|&(ref f, grid)| {
                let (lo, hi) = nullcline_range(
                    f,
                    x_of(d - reach, false) - grid.spacing(),
                    x_of(d + reach, true) + grid.spacing(),
                    grid,
                )?;
                Some((place(area, unit, hi).0 - 1.0, place(area, unit, lo).1 + 1.0))
            })
            .collect()
    };
    let nullcline_rows: Vec<Vec<(f64, f64)>> = (0..=4 * area.width)
        .map(|k| {
            let d = k as f64 / 2.0;
            // Braille: each dot column; ASCII: each cell, d = 2c + 0.5.
            let used = if s.ascii { k % 4 == 1 } else { k % 2 == 0 };
            if used { rows_of(d) } else { Vec::new() }
        })
        .collect();
    let on_nullcline = |d: f64, y: f64| {
        nullcline_rows[(2.0 * d) as usize]
            .iter()
            .any(|&(a, b)| y >= a && y <= b)
    };
    let mut wrong = Vec::new();
    let mut dots: Vec<(f64, f64, f64)> = Vec::new();
    for row in 0..area.rows {
        for col in 0..area.width {
            if s.ascii && near_a_name(&cell, row, col) {
                continue;
            }
            for (dc, dr) in dots_of(cell(row, col), s.ascii) {
                let y = unit * row as f64 + dr as f64;
                // In ASCII a cell stands for both its dot columns.
                let (d0, d1) = if s.ascii {
                    (2.0 * col as f64, 2.0 * col as f64 + 1.0)
                } else {
                    let d = (2 * col + dc) as f64;
                    (d, d)
                };
                dots.push((d0, d1, y));
                let on_path = boxes.iter().any(|b| {
                    d1 >= b.cols.0 - 1.0
                        && d0 <= b.cols.1 + 1.0
                        && y >= b.rows.0 - 1.0
                        && y <= b.rows.1 + 1.0
                });
                if !on_path && !on_nullcline(0.5 * (d0 + d1), y) {
                    wrong.push(format!(
                        "a dot at row {y} of column {d0} (x {:.4} to {:.4}) on neither the path nor a nullcline",
                        x_of(d0, false),
                        x_of(d1, true)
                    ));
                }
            }
        }
    }
    // The path is solid: each stretch of it on the plot has a dot.
    let every_s = s.app.traces.probes.sample_every as f64 * s.app.sim.dt_s();
    let kept_from = s.now - (PROBE_CAPACITY - 1) as f64 * every_s;
    let from = (s.now - s.app.window_s()).max(plane.since_s).max(kept_from) + every_s;
    for b in boxes
        .iter()
        .filter(|b| b.inside && b.whole && b.start_s >= from)
    {
        let hit = dots.iter().any(|&(d0, d1, y)| {
            d1 >= b.cols.0 - 1.0
                && d0 <= b.cols.1 + 1.0
                && y >= b.rows.0 - 1.0
                && y <= b.rows.1 + 1.0
        });
        let covered = || {
            let (c0, c1) = (
                b.cols.0.max(0.0) as usize,
                (b.cols.1.max(0.0) as usize).min(2 * area.width - 1),
            );
            (c0..=c1).any(|d| area.covered(&grid, s.ascii, d, b.rows))
        };
        if !hit && !covered() {
            wrong.push(format!(
                "no dot where the path is, dot columns {:.1} to {:.1}, rows {:.1} to {:.1}",
                b.cols.0, b.cols.1, b.rows.0, b.rows.1
            ));
        }
    }
    if let Some(first) = wrong.first() {
        found.wrong.push(format!(
            "phase plane of {} ({} found): {first}",
            s.name,
            wrong.len()
        ));
    }
    Some(found)
}

/// The path over the window (and two recorded samples before it) as boxes
/// of dots, each of the run's samples (every step) from one the
/// oscilloscope may record to two past it: every straight line the
/// drawing makes between two it recorded lies in one of them. A LIF
/// reset breaks the path, as it breaks the drawing.
fn path_boxes(
    s: &Screen,
    plane: &Plane,
    (area, unit): (&Area, f64),
    (axis, shown_x): (&XAxis, (f64, f64)),
) -> Result<Vec<PathBox>, String> {
    let column = |name: &str| {
        s.run
            .traces
            .column(name)
            .ok_or_else(|| format!("phase plane: the run has no column {name}"))
    };
    let (xs, ys) = (column(&plane.x_column)?, column(&plane.y_column)?);
    let every = s.app.traces.probes.sample_every as usize;
    let t0 = s.now - s.app.window_s() - 2.0 * every as f64 * s.app.sim.dt_s();
    let rows: Vec<usize> = (0..xs.len())
        .filter(|&k| xs[k].0 >= t0 && xs[k].0 <= s.now)
        .collect();
    // A reset breaks the path between the samples either side of its
    // spike (both ends included: a spike on the step grid is stamped with
    // its step's start, and resets v by its end).
    let mut pieces: Vec<&[usize]> = Vec::new();
    let mut start = 0;
    for k in 1..=rows.len() {
        let reset = k < rows.len() && {
            let (before, after) = (xs[rows[k - 1]].0, xs[rows[k]].0);
            plane.resets.iter().any(|&t| t >= before && t <= after)
        };
        if k == rows.len() || reset {
            pieces.push(&rows[start..k]);
            start = k;
        }
    }
    let (top, bottom) = (area.ticks[0].1, area.ticks[area.ticks.len() - 1].1);
    let mut boxes = Vec::new();
    for piece in pieces {
        for first in (0..piece.len()).step_by(every) {
            let group = &piece[first..(first + 2 * every + 1).min(piece.len())];
            let (mut x, mut y) = (
                (f64::INFINITY, f64::NEG_INFINITY),
                (f64::INFINITY, f64::NEG_INFINITY),
            );
            for &k in group {
                x = (x.0.min(xs[k].1), x.1.max(xs[k].1));
                y = (y.0.min(ys[k].1), y.1.max(ys[k].1));
            }
            boxes.push(PathBox {
                cols: (axis.columns(x.0).0 - 0.5, axis.columns(x.1).1 + 0.5),
                rows: (place(area, unit, y.1).0, place(area, unit, y.0).1),
                inside: x.0 >= shown_x.0 && x.1 <= shown_x.1 && y.0 >= bottom && y.1 <= top,
                whole: group.len() == 2 * every + 1,
                start_s: xs[group[0]].0,
            });
        }
    }
    Ok(boxes)
}

/// The least and most a nullcline takes over x in [a, b], sampled, and
/// where it ends inside them, the value it ends at: the V-nullcline's n
/// falls steeply to 0 where the input balances the other currents at n = 0
/// (under TTX, J = g_L (V - E_L)), and the last of the view's points,
/// 0.5 mV apart, may lie anywhere down to there. None where it is nowhere
/// defined. The view's own points are among those sampled: where a
/// nullcline exists over a hundredth of a millivolt only (a leak of 30
/// mS/cm² balancing g_K 0.05 at E_L = -70 mV), the view's point at -70 mV
/// draws it, and a sampling that missed it saw nothing there.
fn nullcline_range(f: &Function, a: f64, b: f64, grid: Grid) -> Option<(f64, f64)> {
    let mut xs: Vec<f64> = (0..=32)
        .map(|k| a + (b - a) * k as f64 / 32.0)
        .chain(grid.within(a, b))
        .collect();
    xs.sort_by(f64::total_cmp);
    let points: Vec<(f64, f64)> = xs.into_iter().map(|x| (x, f(x))).collect();
    let ends = points.windows(2).filter_map(|w| {
        let ((mut x0, y0), (mut x1, y1)) = (w[0], w[1]);
        let finite = y0.is_finite();
        if finite == y1.is_finite() {
            return None;
        }
        for _ in 0..50 {
            let mid = 0.5 * (x0 + x1);
            if f(mid).is_finite() == finite {
                x0 = mid;
            } else {
                x1 = mid;
            }
        }
        Some(if finite { f(x0) } else { f(x1) })
    });
    let (lo, hi) = points
        .iter()
        .map(|p| p.1)
        .chain(ends)
        .filter(|y| y.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), y| {
            (l.min(y), h.max(y))
        });
    (lo <= hi).then_some((lo, hi))
}
