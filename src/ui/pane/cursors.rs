//! The scope's time cursors drawn and read out: at each, the time and the
//! main trace's value there (the sample at or before it); between them Δt,
//! the difference and 1/Δt. For HH, the shape of the selected neuron's last
//! whole spike: peak, half-width, after-hyperpolarization (lab::spike_shape).

use ratatui::text::Span;

use super::timebase::Sweep;
use crate::model::AnyModel;
use crate::model::recordable::{Quantity, Recordable};
use crate::ui::app::{Active, App, Cursors};
use crate::ui::format::{sig4, time_point, time_point_on};
use crate::ui::lines::Segment;
use crate::ui::plot::{Cursor, Plot};
use crate::ui::theme::Theme;

/// The trace the cursors read: its recordable, its name in a difference
/// (`ΔV`), the name its values are read with (none where the unit says it:
/// mV is V; the neuron or filter where the plot has several: the status
/// line's names) and its unit.
fn main_trace(app: &App) -> (Recordable, &'static str, String, &'static str) {
    let i = app.view.selected;
    match &app.sim.model {
        AnyModel::Hh(_) => (Recordable::of(Quantity::V), "V", String::new(), " mV"),
        AnyModel::Lif(_) => (Recordable::of(Quantity::V), "v", "v".into(), ""),
        AnyModel::Network(_) => (Recordable::at(Quantity::V, i), "v", "v".into(), ""),
        AnyModel::Rate(_) if app.neuron_count() == 1 => {
            (Recordable::at(Quantity::Y, 0), "y", "y".into(), "")
        }
        AnyModel::Rate(_) => (Recordable::at(Quantity::Y, i), "y", format!("#{i} y"), ""),
        AnyModel::Synapse(bank) => {
            let k = app.view.cursor_filter.min(bank.names.len() - 1);
            let name = match bank.names.len() {
                1 => String::new(),
                _ => format!("s({})", bank.names[k]),
            };
            (Recordable::at(Quantity::Psc, k), "s", name, " 1/s")
        }
    }
}

/// The last recorded sample of `r` at or before `t`: its time and value.
pub fn sample_at(app: &App, r: Recordable, t: f64) -> Option<(f64, f64)> {
    let probes = &app.traces.probes;
    let place = probes.place_of(r)?;
    let from = probes.index_at(t - 2.0 * app.sample_interval_s());
    probes
        .samples_between(place, from, t + 1e-12)
        .last()
        .filter(|s| s.1.is_finite())
}

/// Adds the cursors and their readout to the scope's top plot.
pub fn annotate(plot: &mut Plot, app: &App, sweep: &Sweep, c: &Cursors, theme: &Theme) {
    let (r, name, read_as, unit) = main_trace(app);
    let x_at = |f: f64| sweep.x[0] + f * (sweep.x[1] - sweep.x[0]);
    let mut read = Vec::new();
    for (label, f, active) in [
        ("A", c.a, c.active == Active::A),
        ("B", c.b, c.active == Active::B),
    ] {
        let x = x_at(f);
        plot.cursors.push(Cursor {
            x,
            label: if active {
                format!("{label}◂")
            } else {
                label.into()
            },
        });
        // A cursor over no trace (before the run began, where a free sweep's
        // previous sweep would be) reads nothing, and measures nothing. It
        // reads the sample it stands on, at that sample's time (a column is
        // many samples wide: the column's own time, 666.67 ms, beside the
        // value at 666.6 ms, was off in its fourth digit).
        let at = sweep.t_of(x).and_then(|t| sample_at(app, r, t));
        read.push((label, at));
    }
    // A network neuron's synaptic current beside its v.
    let s_trace = matches!(app.sim.model, AnyModel::Network(_))
        .then(|| Recordable::at(Quantity::S, app.view.selected));
    // Times on the samples' grid, to its last digit.
    let step = app.sample_interval_s();
    for &(label, at) in &read {
        let s = match (s_trace, at) {
            (Some(r), Some((t, _))) => {
                sample_at(app, r, t).map_or(String::new(), |s| format!(", s {}", sig4(s.1)))
            }
            _ => String::new(),
        };
        let text = match at {
            Some((t, v)) if read_as.is_empty() => {
                format!("{label} {} {}{unit}{s} · ", time_point_on(t, step), sig4(v))
            }
            Some((t, v)) => {
                format!(
                    "{label} {} {read_as} {}{unit}{s} · ",
                    time_point_on(t, step),
                    sig4(v)
                )
            }
            None => format!("{label} – · "),
        };
        plot.readout.push(Segment::new(9, vec![Span::raw(text)]));
    }
    if let ((_, Some((ta, a))), (_, Some((tb, b)))) = (read[0], read[1]) {
        let dt = tb - ta;
        // In ASCII the word: Δ's one-cell stand-in made `Dt`, read beside
        // the status line's `dt` (the step) as the same thing.
        let delta = theme.spelled("Δ", "delta ");
        let text = format!(
            "{delta}t {} {delta}{name} {}{unit}",
            time_point_on(dt.abs(), step),
            sig4(b - a)
        );
        plot.readout.push(Segment::new(8, vec![Span::raw(text)]));
        if dt != 0.0 {
            let text = format!(" · 1/{delta}t {} Hz · ", sig4(1.0 / dt.abs()));
            plot.readout.push(Segment::new(8, vec![Span::raw(text)]));
        }
    }
    for (priority, text) in last_spike(app).into_iter().flatten() {
        plot.readout
            .push(Segment::new(priority, vec![Span::raw(text)]));
    }
}

/// HH: the shape of the last spike measured whole (at every step of the
/// run), in two parts that wrap apart (with their priorities).
fn last_spike(app: &App) -> Option<[(u8, String); 2]> {
    let s = app.traces.spike_shape.as_ref()?.last?;
    Some([
        (
            6,
            format!(
                "spike {}: peak {} mV, half-width {} ms,",
                time_point(s.crossing_s),
                sig4(s.peak_mv),
                sig4(s.half_width_s * 1e3)
            ),
        ),
        (
            6,
            format!(
                " AHP {} mV +{} ms",
                sig4(s.ahp_mv),
                sig4(s.ahp_after_s * 1e3)
            ),
        ),
    ])
}
