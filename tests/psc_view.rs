//! The PSC view (4): h(t) on a linear scale or, with `y`, a log one, its
//! time axis zoomed by `z` and `x`; read off the screen (ASCII, no colour,
//! 80x24) by its tick labels, as a student reads it, against the filters'
//! own h(t); and the status line's s of each filter.
#![allow(clippy::disallowed_methods)] // the platform's functions: an independent check

mod common;

use common::drawn::{app, ascii_rows};
use spikescope::model::AnyModel;
use spikescope::model::synapse::PscFilter;
use spikescope::ui::app::App;
use spikescope::ui::command::Command;
use spikescope::view::Pane;

/// The plot as read off the screen: where its axes are and what its tick
/// labels say.
struct Read {
    rows: Vec<Vec<char>>,
    /// The y axis's column, and the x axis's row.
    y_axis: usize,
    x_axis: usize,
    /// The y ticks: (row, value as labelled).
    y_ticks: Vec<(usize, f64)>,
    /// The x ticks: (column, value as labelled).
    x_ticks: Vec<(usize, f64)>,
}

fn read(a: &App) -> Read {
    let rows: Vec<Vec<char>> = ascii_rows(a).iter().map(|r| r.chars().collect()).collect();
    let text = |r: &[char]| r.iter().collect::<String>();
    // A y tick: `|  100+` (its label, then the axis).
    let mut y_ticks = Vec::new();
    let mut y_axis = 0;
    for (r, row) in rows.iter().enumerate() {
        let s = text(row);
        let Some(at) = s[1..].find('+').map(|k| k + 1) else {
            continue;
        };
        if let Ok(v) = s[1..at].trim().parse::<f64>() {
            y_ticks.push((r, v));
            y_axis = at;
        }
    }
    let x_axis = rows
        .iter()
        .position(|row| {
            row.len() > y_axis + 2 && row[y_axis..row.len() - 1].iter().all(|c| "+-".contains(*c))
        })
        .expect("the x axis");
    // The x ticks: a `+` on the axis, its label under it (the last tick's
    // may give way to the axis's title).
    let labels = text(&rows[x_axis + 1]);
    let x_ticks = (y_axis + 1..rows[x_axis].len())
        .filter(|&c| rows[x_axis][c] == '+')
        .filter_map(|c| {
            let start = labels[..=c].rfind(' ').map_or(0, |k| k + 1);
            let end = labels[c..].find(' ').map_or(labels.len(), |k| c + k);
            Some((c, labels[start..end].parse::<f64>().ok()?))
        })
        .collect();
    Read {
        rows,
        y_axis,
        x_axis,
        y_ticks,
        x_ticks,
    }
}

impl Read {
    /// The time at column c, from the first and last x ticks.
    fn t_at(&self, c: usize) -> f64 {
        let (c0, t0) = self.x_ticks[0];
        let (c1, t1) = *self.x_ticks.last().unwrap();
        t0 + (c as f64 - c0 as f64) * (t1 - t0) / (c1 as f64 - c0 as f64)
    }

    /// The row where `value` lies, from the first and last y ticks, their
    /// labels mapped by `scale` (log10 on a log scale).
    fn row_of(&self, value: f64, scale: impl Fn(f64) -> f64) -> f64 {
        let (r0, v0) = self.y_ticks[0];
        let (r1, v1) = *self.y_ticks.last().unwrap();
        let (v0, v1) = (scale(v0), scale(v1));
        r0 as f64 + (value - v0) * (r1 as f64 - r0 as f64) / (v1 - v0)
    }

    /// The rows of column c where `mark` is drawn, inside the plot.
    fn marks_in(&self, c: usize, mark: char) -> Vec<usize> {
        (0..self.x_axis)
            .filter(|&r| self.rows[r].get(c) == Some(&mark))
            .collect()
    }
}

fn filters(a: &App) -> Vec<PscFilter> {
    match &a.sim.model {
        AnyModel::Synapse(bank) => bank.filters.iter().map(|f| f.filter).collect(),
        _ => panic!("a PSC preset"),
    }
}

/// Each own filter's curve (`*` the first, `+` the second) lies where its
/// h(t) is on the axes as labelled, in every column where it is inside
/// the plot (off its edge rows), to a row. Returns how many columns that
/// is.
fn curves_lie_on_their_h(a: &App, log: bool, unit_s: f64) -> usize {
    let read = read(a);
    let scale = |v: f64| if log { v.log10() } else { v };
    let text: Vec<String> = read.rows.iter().map(|r| r.iter().collect()).collect();
    let text = text.join("\n");
    let (top, bottom) = (read.y_ticks[0].0, read.y_ticks.last().unwrap().0);
    // The cells the curves' names take.
    let mut named: Vec<Vec<bool>> = read.rows.iter().map(|r| vec![false; r.len()]).collect();
    for (r, row) in read.rows.iter().enumerate() {
        let line: String = row.iter().collect();
        for name in ["AMPA", "NMDA"] {
            if let Some(at) = line[1..].find(name).map(|k| k + 1) {
                // Only inside the plot: the readout above names them too.
                if r < top {
                    continue;
                }
                named[r][at..at + name.len()].fill(true);
            }
        }
    }
    let is_named = |r: usize, c: usize| named[r][c];
    let mut checked = 0;
    for (f, (mark, other)) in filters(a).iter().zip([('*', '+'), ('+', '*')]) {
        for c in read.y_axis + 1..read.rows[0].len() - 1 {
            let t = read.t_at(c) * unit_s;
            let h = f.h(t);
            let want = read.row_of(scale(h), scale);
            if !(top as f64 + 1.0..=bottom as f64 - 1.0).contains(&want) {
                continue;
            }
            // A curve's name is written over its cells.
            let near = (want.round() as usize - 1)..=(want.round() as usize + 1);
            if near.clone().any(|r| is_named(r, c)) {
                continue;
            }
            // Where the curves cross, the one drawn later covers the other.
            if near.clone().any(|r| read.rows[r].get(c) == Some(&other)) {
                continue;
            }
            // A steep stretch fills rows between its ends: the row the
            // value is in must be one of them, or next to one.
            let drawn = read.marks_in(c, mark);
            assert!(
                drawn.iter().any(|&r| (r as f64 - want).abs() <= 1.0),
                "{mark} at column {c} (t = {t} s): h = {h}, row {want:.1}, drawn {drawn:?}\n{text}"
            );
            checked += 1;
        }
    }
    checked
}

#[test]
fn the_log_scale_draws_each_h_at_its_value() {
    let mut a = app("psc-ampa-nmda", 10);
    a.apply(Command::ShowPane(Pane::Psc));
    a.apply(Command::TogglePscLogScale);
    let labels = read_labels(&a);
    // Decades, from the one above the highest peak (AMPA's 100 1/s) down
    // five.
    assert_eq!(labels.first(), Some(&1000.0));
    assert_eq!(labels.last(), Some(&0.01));
    assert!(
        labels.iter().all(|v| v.log10().fract().abs() < 1e-12),
        "{labels:?}"
    );
    // Both curves, over most of the width.
    let on_log = curves_lie_on_their_h(&a, true, 1e-3);
    assert!(on_log > 40, "{on_log}");
    // `y` again: back on the linear scale, from 0, where the slow filter
    // (3.3 1/s at most) lies in the bottom row beside the fast one's 100.
    a.apply(Command::TogglePscLogScale);
    assert_eq!(read_labels(&a).last(), Some(&0.0));
    let on_linear = curves_lie_on_their_h(&a, false, 1e-3);
    assert!((1..10).contains(&on_linear), "{on_linear}");
}

fn read_labels(a: &App) -> Vec<f64> {
    read(a).y_ticks.iter().map(|t| t.1).collect()
}

/// `z` and `x` in the PSC view zoom its time axis (they changed the
/// scope's window there, which the view does not draw); the scope's window
/// stays.
#[test]
fn z_and_x_zoom_the_psc_views_time_axis() {
    let mut a = app("psc-ampa-nmda", 10);
    a.apply(Command::ShowPane(Pane::Psc));
    let window = a.window_s();
    let last_tick = |a: &App| read(a).x_ticks.last().unwrap().1;
    // The filters' whole time: NMDA's 300 ms to 99.5% of its area.
    assert_eq!(last_tick(&a), 1500.0);
    for _ in 0..3 {
        a.apply(Command::ZoomIn);
    }
    let zoomed = last_tick(&a);
    assert!((150.0..=200.0).contains(&zoomed), "{zoomed}");
    // `x` doubles it again.
    a.apply(Command::ZoomOut);
    let out = last_tick(&a);
    assert!((300.0..=400.0).contains(&out), "{out}");
    a.apply(Command::ZoomIn);
    a.apply(Command::TogglePscLogScale);
    let columns = curves_lie_on_their_h(&a, true, 1e-3);
    assert!(columns > 60, "{columns}");
    // At the end of the range, it stays and says so.
    for _ in 0..10 {
        a.apply(Command::ZoomIn);
    }
    let said = common::message(&a);
    assert!(said.contains("stays at 1/64×"), "{said}");
    assert_eq!(a.window_s(), window);
}

/// What psc-ampa-nmda's look-at promises: on the log scale, `z` four
/// times shows the first 100 ms, where the two filters are seen to cross at
/// 35 ms (h equal at ln(30) / (1/10 ms - 1/300 ms) = 35.2 ms). On the
/// screen the fast one (`*`) runs above the slow one's row (`+`) before
/// it and below after it.
#[test]
fn the_look_at_shows_where_the_two_filters_cross() {
    let mut a = app("psc-ampa-nmda", 10);
    let look_at = a.preset.guide.replace('\n', " ");
    assert!(
        look_at.contains("z four times shows the first 100 ms, where they cross at 35 ms"),
        "{look_at}"
    );
    let f = filters(&a);
    let crossing_ms =
        1e3 * (f[0].h(0.0) / f[1].h(0.0)).ln() / (1.0 / f[0].tau_s_s - 1.0 / f[1].tau_s_s);
    assert!((crossing_ms - 35.2).abs() < 0.05, "{crossing_ms}");
    a.apply(Command::ShowPane(Pane::Psc));
    a.apply(Command::TogglePscLogScale);
    for _ in 0..4 {
        a.apply(Command::ZoomIn);
    }
    let read = read(&a);
    assert_eq!(read.x_ticks.last().unwrap().1, 100.0);
    // The slow filter's row: where most of its `+` are.
    let slow_row = (0..read.x_axis)
        .max_by_key(|&r| read.rows[r].iter().filter(|&&c| c == '+').count())
        .unwrap();
    let columns = read.y_axis + 1..read.rows[0].len() - 1;
    let last_above = columns
        .clone()
        .filter(|&c| read.marks_in(c, '*').iter().any(|&r| r < slow_row))
        .max()
        .unwrap();
    let first_below = columns
        .filter(|&c| read.marks_in(c, '*').iter().any(|&r| r > slow_row))
        .min()
        .unwrap();
    let (before, after) = (read.t_at(last_above), read.t_at(first_below));
    assert!(
        before < crossing_ms && crossing_ms < after && after - before < 15.0,
        "above until {before} ms, below from {after} ms"
    );
}

/// `y` from another view changes the PSC view's scale and says where it is
/// seen; the view it is pressed in stays.
#[test]
fn y_elsewhere_says_where_the_scale_is_seen() {
    let mut a = app("psc-ampa-nmda", 10);
    a.apply(Command::TogglePscLogScale);
    assert_eq!(a.view.pane, Pane::Scope);
    let said = common::message(&a);
    assert!(
        said.contains("draws h(t) on a log scale (press 4"),
        "{said}"
    );
    a.apply(Command::ShowPane(Pane::Psc));
    assert_eq!(read_labels(&a).first(), Some(&1000.0));
}

/// Eight filters: the status line gives s of as many as fit, each the
/// engine's, and counts the rest (at 80 columns it showed three and dropped
/// five without a word); at 200 columns all eight.
#[test]
fn the_status_line_counts_the_filters_it_leaves_out() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("eight.toml");
    let filters: Vec<String> = (1..=8)
        .map(|k| {
            format!(
                "{{ name = \"f{k}\", tau_s = \"{} ms\", order = {} }}",
                5 * k,
                k % 3
            )
        })
        .collect();
    let text = format!(
        "model = \"synapse\"\n[synapse]\nfilters = [{}]\n[stimulus]\nkind = \"spikes\"\n\
         rate = 50.0\npoisson = true\nseed = 3\namplitude = 1.0\n",
        filters.join(", ")
    );
    std::fs::write(&path, text).unwrap();
    let mut a = App::new(spikescope::preset::load(path.to_str().unwrap(), &[]).unwrap());
    a.guide_until = None;
    a.advance(3000);
    let outputs: Vec<f64> = match &a.sim.model {
        AnyModel::Synapse(bank) => bank.filters.iter().map(|f| f.output()).collect(),
        _ => panic!(),
    };
    for (width, shown) in [(80u16, 3), (200, 8)] {
        let rows = common::drawn::rows_with(&a, width, 24, &common::drawn::NO_COLOR);
        let line = rows
            .iter()
            .find(|r| r.starts_with("input: "))
            .unwrap_or_else(|| panic!("{}", rows.join("\n")));
        for (k, s) in outputs.iter().enumerate() {
            let said = format!("s(f{}) {} 1/s", k + 1, spikescope::ui::format::sig4(*s));
            assert_eq!(line.contains(&said), k < shown, "{said}: {line}");
        }
        let more = format!("+{} more", 8 - shown);
        assert_eq!(line.contains(&more), shown < 8, "{line}");
    }
}
