//! The picture: the scope's traces against the run's samples. Every plot
//! of the scope (HH's V, gates and currents; LIF's v and v_in; a network
//! neuron's v and s; each filter's s; a rate network's y and z), free,
//! rolling or triggered, is read off the screen dot by dot (each Braille
//! cell's eight dots; in ASCII each cell of a curve's character), and
//! each dot must lie where the samples of its time put one of the plot's
//! curves, by the plot's own y axis: the rows its ticks are on, and the
//! values they say. A trace of another neuron, of another time, or on
//! another scale than its axis says is caught here, where every number on
//! the status lines can be right.
//!
//! Where a dot may lie: the drawing joins the samples it keeps (each
//! bucket's first, lowest, highest and last of those the oscilloscope
//! records) by straight lines, so the dots of a dot column lie between the
//! lowest and highest samples from the nearest column with samples on its
//! left to the nearest on its right (a LIF spike's stroke, from the
//! threshold up, is one of them). A value v goes to dot row round(L(v)),
//! L linear; a tick's value lies in its row, so L of it is known to half a
//! dot past the row's dots, and L of any value between two ticks to the
//! same width, by interpolation. Where a solid curve has samples apart
//! from the others', its dot column has a dot there (or a name, a cursor
//! or a mark covers it).
//!
//! The notes' graphs are read against their closed forms (functions.rs),
//! the phase planes' paths against the run's and their nullclines against
//! theirs (phase.rs), a voltage clamp's family against the run's I_clamp
//! of each step (clamp.rs).

mod axes;
mod clamp;
mod curves;
mod functions;
mod phase;
mod raster;

use spikescope::model::AnyModel;
use spikescope::model::recordable::{Quantity, Recordable};
use spikescope::ui::pane::scope::SIDE_PANE_FROM;
use spikescope::ui::pane::timebase::SWEEPS;
use spikescope::ui::plot::Pattern;
use spikescope::ui::traces::{MAX_TRACED_NEURONS, PROBE_CAPACITY};
use spikescope::view::{Pane, TriggerMode};

use crate::check::{Found, Screen};
use axes::{areas, holds_every_plot};
use curves::{Trace, check_area};

/// One stretch of samples on the axis: times from `from_s` to `to_s`, x
/// = t - `origin_s` (seconds from the axis' left end).
struct Span {
    from_s: f64,
    to_s: f64,
    origin_s: f64,
    /// How far past its ends a spike is still on it: on a triggered sweep a
    /// billionth of the window, as times equal in exact arithmetic (a
    /// train's spike and a trigger's pre-trigger start) differ here by a
    /// rounding either way; none where a free sweep's two spans meet at
    /// the sample that opens the new one.
    edge_s: f64,
}

impl Span {
    /// Whether a spike at `t` is on the span.
    fn holds_spike(&self, t: f64) -> bool {
        t >= self.from_s - self.edge_s && t <= self.to_s + self.edge_s
    }
}

/// One curve of a plot: the run's column that is its truth, the spikes
/// stroked on it (from where to where they rise), and whether its line is
/// solid (a dashed or dotted one leaves dot columns out by design).
struct Series {
    column: String,
    stroke: Option<[f64; 2]>,
    solid: bool,
}

/// What one plot of the scope shows: its curves and the value of its level
/// line, if any (which keeps a dot of its own in the cells the curves take).
struct Shown {
    series: Vec<Series>,
    level: Option<f64>,
}

pub fn check(s: &Screen) -> Found {
    let mut found = Found::default();
    let app = s.app;
    if app.view.pane == Pane::Phase
        && let Some(found) = phase::check(s)
    {
        return found;
    }
    if app.view.pane != Pane::Scope {
        let mut found = functions::check(s);
        if let (Pane::Rate, AnyModel::Hh(hh)) = (app.view.pane, &app.sim.model)
            && hh.clamp
        {
            let grid: Vec<Vec<char>> = s.text.lines().map(|l| l.chars().collect()).collect();
            if let Some(top) = areas(&grid, s.ascii).first() {
                clamp::check_family(&mut found, s, &grid, top);
            }
        }
        return found;
    }
    let Some(spans) = spans(s) else {
        return found;
    };
    let grid: Vec<Vec<char>> = s.text.lines().map(|l| l.chars().collect()).collect();
    let mut areas = areas(&grid, s.ascii);
    // From SIDE_PANE_FROM columns a network's scope has its weights on the
    // right, in the last two fifths.
    let width = grid.iter().map(Vec::len).max().unwrap_or(0);
    if app.neuron_count() > 1 && width >= usize::from(SIDE_PANE_FROM) {
        areas.retain(|a| a.left < 3 * width / 5);
    }
    if let Some(top) = areas.first() {
        raster::check(&mut found, s, &grid, top, &spans);
    }
    let Some(plots) = plots(s) else {
        return found;
    };
    if holds_every_plot(&grid) && areas.len() < plots.len() {
        found.wrong.push(format!(
            "picture: {} plots found of the {} the scope draws",
            areas.len(),
            plots.len()
        ));
    }
    if app.reference.is_some() {
        return found;
    }
    let i = s.i;
    // A network neuron past the traced ones is recorded from when it was
    // selected (or not at all: then its plot says so, and has no trace).
    let since = match &app.sim.model {
        AnyModel::Network(_) => match app.traces.place_of(Recordable::at(Quantity::V, i)) {
            Some((_, since)) => since.unwrap_or(f64::NEG_INFINITY),
            None => return found,
        },
        _ => f64::NEG_INFINITY,
    };
    let strokes: Vec<f64> = s
        .run
        .spikes
        .iter()
        .filter(|&&(k, t)| k == i && t <= s.now)
        .map(|&(_, t)| t)
        .collect();
    let kept_from = (s.now - (PROBE_CAPACITY - 1) as f64 * app.sim.dt_s()).max(since);
    for (area, shown) in areas.iter().zip(plots) {
        let mut traces = Vec::new();
        for series in &shown.series {
            let Some(samples) = s.run.traces.column(&series.column) else {
                found
                    .wrong
                    .push(format!("picture: the run has no column {}", series.column));
                return found;
            };
            traces.push((samples, series));
        }
        let traces: Vec<Trace> = traces
            .iter()
            .map(|(samples, series)| Trace {
                name: &series.column,
                samples,
                strokes: if series.stroke.is_some() {
                    &strokes
                } else {
                    &[]
                },
                stroke: series.stroke.unwrap_or_default(),
                solid: series.solid || s.ascii,
                spans: &spans,
                window_s: app.window_s(),
                kept_from_s: kept_from,
                every: app.traces.probes.sample_every,
                dt_s: app.sim.dt_s(),
            })
            .collect();
        check_area(&mut found, &grid, s.ascii, area, &traces, shown.level);
    }
    found
}

/// The scope's plots, top to bottom and left to right, as `scope.rs`
/// draws them for the selected neuron; None where they are not checked
/// (a rate network's neuron past those traced).
fn plots(s: &Screen) -> Option<Vec<Shown>> {
    let (app, i) = (s.app, s.i);
    let model = &app.sim.model;
    // The k-th trace's pattern (`look`): solid in colour, else the k-th.
    let solid = |k: usize| s.color || k.is_multiple_of(Pattern::ALL.len());
    let series = |q: Quantity, k: usize, look: usize| Series {
        column: model.column_name(Recordable::at(q, k)),
        stroke: None,
        solid: solid(look),
    };
    let one = |series: Series, level: Option<f64>| Shown {
        series: vec![series],
        level,
    };
    Some(match model {
        AnyModel::Hh(hh) => {
            let gates = [Quantity::M, Quantity::H, Quantity::N];
            let mut currents = vec![Quantity::INa, Quantity::IK, Quantity::IL];
            if hh.clamp {
                currents.push(Quantity::Input);
            }
            vec![
                one(series(Quantity::V, 0, 0), Some(0.0)),
                Shown {
                    series: (0..3).map(|k| series(gates[k], 0, k + 1)).collect(),
                    level: None,
                },
                // The currents' patterns start afresh (I_Na solid).
                Shown {
                    series: (0..currents.len())
                        .map(|k| series(currents[k], 0, k))
                        .collect(),
                    level: None,
                },
            ]
        }
        AnyModel::Lif(n) => {
            // The strokes rise from the threshold by 0.4 of its height
            // over the reset (the notes' 1 to 1.4).
            let (v_th, v_reset) = (n.params.v_threshold, n.params.v_reset);
            let v = Series {
                stroke: Some([v_th, v_th + 0.4 * (v_th - v_reset)]),
                ..series(Quantity::V, 0, 0)
            };
            vec![one(v, Some(v_th)), one(series(Quantity::Input, 0, 0), None)]
        }
        AnyModel::Network(_) => {
            let v = Series {
                stroke: Some([1.0, 1.4]),
                ..series(Quantity::V, i, 0)
            };
            vec![one(v, Some(1.0)), one(series(Quantity::S, i, 0), None)]
        }
        AnyModel::Synapse(bank) => vec![Shown {
            series: (0..bank.names.len())
                .map(|k| series(Quantity::Psc, k, k))
                .collect(),
            level: None,
        }],
        AnyModel::Rate(_) => {
            let n = app.neuron_count();
            if n > MAX_TRACED_NEURONS {
                return None;
            }
            let of = |q: Quantity| Shown {
                series: (0..n).map(|k| series(q, k, k)).collect(),
                level: None,
            };
            vec![of(Quantity::Y), of(Quantity::Z)]
        }
    })
}

/// The stretches of time on the axis: in a free sweep the current sweep
/// and what is left of the last one past the gap ahead of the write head;
/// rolling, the window ending now; triggered, each sweep from the
/// pre-trigger before its spike (the last SWEEPS spikes of the selected
/// neuron, or the single shot's); each with the time at the axis' left end.
fn spans(s: &Screen) -> Option<Vec<Span>> {
    let app = s.app;
    let w = app.window_s();
    let now = s.now;
    let sweep_from = |ts: f64| {
        let pre = app.view.pre_trigger * w;
        Span {
            from_s: ts - pre,
            to_s: (ts - pre + w).min(now),
            origin_s: ts - pre,
            edge_s: 1e-9 * w,
        }
    };
    Some(match app.view.trigger {
        TriggerMode::Free => {
            // Sweeps are [k w, (k + 1) w]; the sample at a sweep's end closes it.
            let k = ((now / w) * (1.0 - 1e-12)).ceil() - 1.0;
            let start = k.max(0.0) * w;
            vec![
                Span {
                    from_s: now - w + 0.04 * w,
                    to_s: start - 1e-9,
                    origin_s: start - w,
                    edge_s: 0.0,
                },
                Span {
                    from_s: start,
                    to_s: now,
                    origin_s: start,
                    edge_s: 0.0,
                },
            ]
        }
        TriggerMode::Roll => vec![Span {
            from_s: now - w,
            to_s: now,
            origin_s: now - w,
            edge_s: 0.0,
        }],
        TriggerMode::Spike => {
            let times: Vec<f64> = s
                .run
                .spikes
                .iter()
                .filter(|&&(k, t)| k == s.i && t <= now)
                .map(|&(_, t)| t)
                .collect();
            let keep = times.len().saturating_sub(SWEEPS);
            times[keep..].iter().map(|&ts| sweep_from(ts)).collect()
        }
        TriggerMode::Single => {
            let held = app.held_trigger().map(|(ts, _)| ts);
            held.or_else(|| app.single_trigger_s())
                .map(sweep_from)
                .into_iter()
                .collect()
        }
    })
}
