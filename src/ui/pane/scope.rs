//! The oscilloscope: live traces of the selected neuron and the spike raster,
//! on one time axis (the raster's columns are the traces' columns).
//!
//! ```text
//! HH:       V (mV, 0 mV threshold) / gates m h n | currents I_Na I_K I_L / raster
//! LIF:      v (threshold 1, spikes as strokes)   / input v_in          / raster
//! network:  v of the selected neuron             / its s(t)            / raster
//! synapse:  s(t) of every filter                                       / raster
//! rate:     activities y (the selected on top)   / inputs z
//! ```
//!
//! Free-running, the trace sweeps left to right over a fixed axis and starts
//! again at the left edge, erasing a small gap ahead of itself (a frame then
//! changes only the columns the sweep advanced: cheap over SSH). Triggered,
//! each sweep starts the pre-trigger before a spike of the selected neuron
//! and the last sweeps are drawn on top of each other (older ones dim);
//! single shot holds one. Rolling, the window scrolls and ends at the present.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::widgets::{Block, Paragraph};

use super::raster::{RASTER_MIN, raster_rows, render_raster};
use super::timebase::{Sweep, look};
use super::{bounds_of, draw};
use crate::model::hh::Gate;
use crate::model::recordable::{Quantity, Recordable};
use crate::model::{AnyModel, ModelKind};
use crate::ui::app::App;
use crate::ui::format::{compact, sim_time};
use crate::ui::plot::{Axis, Curve, LabelAt, Level, Pattern, Plot};
use crate::ui::status::neuron_label;
use crate::ui::theme::Theme;
use crate::ui::traces::MAX_TRACED_NEURONS;

/// The smallest heights that keep a plot's axes: the main trace and the
/// one under it.
const TOP_MIN: u16 = 7;
const MIDDLE_MIN: u16 = 5;

/// From this width a network's scope has its [W | b] beside the traces
/// (the weights view, with the selected row marked), as the design's
/// sketch has it: at 200 columns the traces of three neurons took the
/// whole width and the weights were a key away.
pub const SIDE_PANE_FROM: u16 = 160;

/// The traces' part of `area` and, in a wide one, the side pane's.
fn with_side_pane(app: &App, area: Rect) -> (Rect, Option<Rect>) {
    let network = matches!(app.kind(), ModelKind::Network | ModelKind::Rate);
    if !network || app.neuron_count() < 2 || area.width < SIDE_PANE_FROM {
        return (area, None);
    }
    let [traces, side] = Layout::horizontal([Constraint::Fill(3), Constraint::Fill(2)]).areas(area);
    (traces, Some(side))
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let (area, side) = with_side_pane(app, area);
    if let Some(side) = side {
        super::weights::render_beside_scope(frame, side, app, theme);
    }
    let kind = app.kind();
    let raster = match kind {
        ModelKind::Rate => 0,
        ModelKind::Synapse => RASTER_MIN,
        _ => raster_rows(app.neuron_count(), area.height, TOP_MIN + MIDDLE_MIN),
    };
    let middle = match kind {
        ModelKind::Synapse => 0,
        _ => (area.height.saturating_sub(raster) * 2 / 5).max(MIDDLE_MIN),
    };
    // A pane too short for all three leaves out the plots under the main
    // trace, then the raster, rather than draw boxes with no room inside.
    let (middle, raster) = if area.height >= TOP_MIN + middle + raster {
        (middle, raster)
    } else if area.height >= TOP_MIN + raster {
        (0, raster)
    } else {
        (0, 0)
    };
    let [top, middle, raster_area] = Layout::vertical([
        Constraint::Min(TOP_MIN),
        Constraint::Length(middle),
        Constraint::Length(raster),
    ])
    .areas(area);
    // Dot columns to decimate to: at least the plots' own.
    let sweep = Sweep::of(app, 2 * top.width as usize);
    let plots = plots(app, &sweep, theme);
    // The full-width plots and the raster share one margin, so their time
    // columns line up.
    let (top_plot, lower) = plots;
    let mut margin = top_plot.label_width(top, theme).max(5);
    if raster > 0 {
        margin = margin.max(super::raster::label_width(app, raster, theme));
    }
    if let Lower::One(p) = &lower {
        margin = margin.max(p.label_width(middle, theme));
    }
    let mut top_plot = top_plot;
    top_plot.margin = Some(margin);
    if let Some(c) = &app.cursors {
        super::cursors::annotate(&mut top_plot, app, &sweep, c, theme);
    }
    let geometry = draw(frame, top, &top_plot, theme);
    match lower {
        _ if middle.height == 0 => {}
        Lower::None => {}
        Lower::One(mut p) => {
            p.margin = Some(margin);
            draw(frame, middle, &p, theme);
        }
        Lower::Two(a, b) => {
            let [l, r] =
                Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                    .areas(middle);
            draw(frame, l, &a, theme);
            draw(frame, r, &b, theme);
        }
    }
    if let (true, Some(g)) = (raster > 0, geometry) {
        render_raster(frame, raster_area, app, &sweep, g, margin, theme);
    }
}

/// What goes under the main trace.
enum Lower<'a> {
    None,
    One(Box<Plot<'a>>),
    Two(Box<Plot<'a>>, Box<Plot<'a>>),
}

/// The plots of the model's scope.
fn plots<'a>(app: &App, sweep: &Sweep, theme: &Theme) -> (Plot<'a>, Lower<'a>) {
    match &app.sim.model {
        AnyModel::Hh(hh) => hh_plots(app, sweep, hh.clamp, theme),
        AnyModel::Lif(n) => {
            // The neuron's own threshold and reset (1 and 0 in the notes'
            // normalization; the parameters panel may change them).
            let (v_th, v_reset) = (n.params.v_threshold, n.params.v_reset);
            let v = Recordable::of(Quantity::V);
            let span = v_th - v_reset;
            let mut v = sweep.curves(app, v, "v", look(0, theme), theme);
            v.push(sweep.spike_strokes(app, 0, [v_th, v_th + 0.4 * span], theme));
            let title = format!(
                "membrane potential v (threshold {}, reset {})",
                compact(v_th),
                compact(v_reset)
            );
            let range = [v_reset.min(0.0) - 0.1 * span, v_th + 0.5 * span];
            let mut top = trace_plot(
                title,
                sweep.axis(app, theme),
                v,
                range,
                "",
                &[v_reset, v_th],
            );
            top.short_titles = vec![format!(
                "v (threshold {}, reset {})",
                compact(v_th),
                compact(v_reset)
            )];
            top.levels.push(threshold(v_th));
            let input = Recordable::of(Quantity::Input);
            let input = sweep.curves(app, input, "v_in", (1, Pattern::Solid), theme);
            let range = [0.0, v_th.max(1.0)];
            let lower = trace_plot(
                "input v_in",
                sweep.axis(app, theme),
                input,
                range,
                "",
                &[v_th],
            );
            (top, Lower::One(Box::new(lower)))
        }
        AnyModel::Network(_) => network_plots(app, sweep, theme),
        AnyModel::Synapse(bank) => {
            let mut curves = Vec::new();
            for (k, name) in bank.names.iter().enumerate() {
                let r = Recordable::at(Quantity::Psc, k);
                curves.extend(sweep.curves(app, r, name, look(k, theme), theme));
            }
            let title = "PSC s(t) = Σ_p w h(t - t_p), 1/s: the spike train filtered";
            let mut top = trace_plot(
                title,
                sweep.axis(app, theme),
                curves,
                [0.0, 1.0],
                "",
                &[0.0],
            );
            top.short_titles = vec!["PSC s(t) = Σ_p w h(t - t_p), 1/s".into()];
            (top, Lower::None)
        }
        AnyModel::Rate(_) => rate_plots(app, sweep, theme),
    }
}

/// A rate network's traces are named one by one up to this many; past it
/// only the selected neuron's is (thirty names in a plot of seven rows
/// covered the traces and ran together: `#13+#11+#1++#10`).
const NAMED_TRACES_MOST: usize = 8;

/// A rate network: the activities y over the inputs z of the traced
/// neurons, the selected one's among them (recorded from when it was
/// selected if past the first MAX_TRACED_NEURONS) and, where not every
/// trace is named, drawn last, over the others, bold, and the only one
/// named.
fn rate_plots<'a>(app: &App, sweep: &Sweep, theme: &Theme) -> (Plot<'a>, Lower<'a>) {
    let (n, selected) = (app.neuron_count(), app.view.selected);
    let k = n.min(MAX_TRACED_NEURONS);
    let followed = app
        .traces
        .place_of(Recordable::at(Quantity::Y, selected))
        .filter(|_| selected >= k)
        .map(|(_, since)| since);
    let count = k + usize::from(followed.is_some());
    let name_all = count <= NAMED_TRACES_MOST;
    let mut drawn: Vec<usize> = (0..k).filter(|&i| name_all || i != selected).collect();
    if !name_all || followed.is_some() {
        drawn.push(selected);
    }
    let (mut ys, mut zs) = (Vec::new(), Vec::new());
    for i in drawn {
        let name = neuron_label(app, i, theme);
        let (y, z) = (
            Recordable::at(Quantity::Y, i),
            Recordable::at(Quantity::Z, i),
        );
        let (mut y, mut z) = (
            sweep.curves(app, y, &name, look(i, theme), theme),
            sweep.curves(app, z, &name, look(i, theme), theme),
        );
        if !name_all && i != selected {
            y.iter_mut().chain(&mut z).for_each(|c| c.label = None);
        }
        // Flat where they end (a rate network settles), the traces are
        // named on their own rows: a row off is a sixth of the pane.
        y.iter_mut()
            .chain(&mut z)
            .for_each(|c| c.label_at = LabelAt::EndOnItsRow);
        // Among many traces the selected one's cells are bold: its colour,
        // or its ASCII character, is shared with others, and without colour
        // 30 traces in braille were one blur with no way to follow it.
        if !name_all && i == selected {
            y.iter_mut()
                .chain(&mut z)
                .for_each(|c| c.style = c.style.add_modifier(Modifier::BOLD));
        }
        ys.extend(y);
        zs.extend(z);
    }
    let mut top = trace_plot(
        "activities y",
        sweep.axis(app, theme),
        ys,
        [0.0, 1.0],
        "",
        &[0.0],
    );
    if !name_all || count < n {
        let mut shown = match k {
            _ if k == n => format!("all {n} neurons"),
            k => format!("neurons 0-{} (of {n})", k - 1),
        };
        if let Some(since) = followed {
            let since = since.map_or(String::new(), |t| format!(" (from {})", sim_time(t)));
            shown.push_str(&format!(" and #{selected}{since}"));
        }
        let named = if name_all {
            String::new()
        } else {
            format!("; #{selected} named")
        };
        top.title = format!("activities y of {shown}{named}");
        top.short_titles = vec![format!("activities y{named}"), "activities y".into()];
    }
    let title = "inputs z = W y + b + x";
    let lower = trace_plot(title, sweep.axis(app, theme), zs, [-1.0, 1.0], "", &[0.0]);
    (top, Lower::One(Box::new(lower)))
}

/// A plot of `curves` over the sweep's `time` axis, its y range the curves'
/// (at least `default`), with `landmarks` among the y ticks.
fn trace_plot<'a>(
    title: impl Into<String>,
    time: Axis,
    curves: Vec<Curve>,
    default: [f64; 2],
    unit: &str,
    landmarks: &[f64],
) -> Plot<'a> {
    let y = bounds_of(curves.iter(), default);
    let mut plot = Plot::new(title, time, Axis::new(y, unit).landmarks(landmarks));
    plot.curves = curves;
    plot
}

/// The LIF threshold as a level line.
fn threshold(v_th: f64) -> Level {
    Level {
        y: v_th,
        label: "threshold".into(),
    }
}

/// HH: V over the spike threshold, the gates beside the ionic currents
/// (and under a clamp the clamp current).
fn hh_plots<'a>(app: &App, sweep: &Sweep, clamp: bool, theme: &Theme) -> (Plot<'a>, Lower<'a>) {
    let v = sweep.curves(app, Recordable::of(Quantity::V), "V", look(0, theme), theme);
    let title = "membrane voltage V (mV)";
    let mut top = trace_plot(
        title,
        sweep.axis(app, theme),
        v,
        [-90.0, 50.0],
        "mV",
        &[0.0],
    );
    top.levels.push(Level {
        y: 0.0,
        label: "0 mV: spike threshold".into(),
    });
    let mut gates = Vec::new();
    for (k, gate) in Gate::ALL.into_iter().enumerate() {
        let r = Recordable::of(Quantity::gate(gate));
        gates.extend(sweep.curves(app, r, gate.name(), look(k + 1, theme), theme));
    }
    let mut g = Plot::new(
        "gates m h n",
        sweep.axis(app, theme),
        Axis::new([0.0, 1.0], "").landmarks(&[0.0, 1.0]),
    );
    g.curves = gates;
    let mut which = vec![
        (Quantity::INa, "I_Na"),
        (Quantity::IK, "I_K"),
        (Quantity::IL, "I_L"),
    ];
    if clamp {
        which.push((Quantity::Input, "I_clamp"));
    }
    let mut currents = Vec::new();
    for (k, (q, name)) in which.into_iter().enumerate() {
        // Colours go on from the gates'; the patterns start afresh in this
        // plot of its own, so that the currents take the plainest ones
        // (I_Na solid, I_K dashed, I_L dotted, I_clamp long dashes).
        let look = (k + 4, Pattern::nth(k, theme));
        currents.extend(sweep.curves(app, Recordable::of(q), name, look, theme));
    }
    let title = if clamp {
        "currents (µA/cm², out +), I_clamp"
    } else {
        "ionic currents (µA/cm², out +)"
    };
    let c = trace_plot(
        title,
        sweep.axis(app, theme),
        currents,
        [-10.0, 10.0],
        "",
        &[0.0],
    );
    (top, Lower::Two(Box::new(g), Box::new(c)))
}

/// A network: the selected neuron's v and s, or why they are not there.
fn network_plots<'a>(app: &App, sweep: &Sweep, theme: &Theme) -> (Plot<'a>, Lower<'a>) {
    let i = app.view.selected;
    let who = neuron_label(app, i, theme);
    let (v, s) = (
        Recordable::at(Quantity::V, i),
        Recordable::at(Quantity::S, i),
    );
    let Some((_, since)) = app.traces.place_of(v) else {
        let title = format!(
            "{who}: traces recorded for neurons 0-{} only",
            MAX_TRACED_NEURONS - 1
        );
        let mut top = Plot::new(title, sweep.axis(app, theme), Axis::new([0.0, 1.0], ""));
        top.readout = Vec::new();
        return (top, Lower::None);
    };
    let since = since.map_or(String::new(), |t| {
        format!(" (recorded from {})", sim_time(t))
    });
    let mut vs = sweep.curves(app, v, "v", look(0, theme), theme);
    // The network's neurons are in the notes' units: threshold 1, reset 0.
    vs.push(sweep.spike_strokes(app, i, [1.0, 1.4], theme));
    let title = format!("v of {who}{since}");
    let mut top = trace_plot(
        title,
        sweep.axis(app, theme),
        vs,
        [-0.1, 1.5],
        "",
        &[0.0, 1.0],
    );
    top.levels.push(threshold(1.0));
    let ss = sweep.curves(app, s, "s", (1, Pattern::Solid), theme);
    let title = format!("synaptic current s of {who} (1/s){since}");
    let lower = trace_plot(title, sweep.axis(app, theme), ss, [0.0, 1.0], "", &[0.0]);
    (top, Lower::One(Box::new(lower)))
}

/// A message in place of a pane that has nothing to draw.
pub fn note(frame: &mut Frame, area: Rect, title: &str, text: &str, theme: &Theme) {
    let text = theme.words(text);
    frame.render_widget(
        Paragraph::new(
            crate::ui::words::wrap_words(&text, area.width.saturating_sub(4) as usize).join("\n"),
        )
        .block(
            Block::bordered()
                .border_style(theme.dim())
                .title(format!(" {} ", theme.words(title))),
        ),
        area,
    );
}
