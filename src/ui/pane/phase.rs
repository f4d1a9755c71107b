//! The phase plane. HH: n against V with the nullclines of the reduced
//! two-variable system (model::hh::reduced: m = m_inf(V), h = 0.89 - 1.1 n),
//! its fixed points and their stability at the input now, and the full
//! model's trajectory over the window drawn over them, so the limit cycle is
//! seen to appear as J rises. A network neuron: its synaptic current s
//! against v, with the v-nullcline v = b + x + s and the threshold. A single
//! LIF neuron has one variable: its phase line, dv/dt against v.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;

use super::scope::note;
use super::{draw, round_out, sample};
use crate::model::AnyModel;
use crate::model::hh::HhNeuron;
use crate::model::hh::reduced::Reduced;
use crate::model::lif::LifParams;
use crate::model::recordable::{Quantity, Recordable};
use crate::ui::app::App;
use crate::ui::format::{compact, sig4};
use crate::ui::lines::Segment;
use crate::ui::plot::{Axis, Cursor, Curve, Glyph, IF_ROOM, Marks, Pattern, Plot};
use crate::ui::status::neuron_label;
use crate::ui::theme::Theme;

/// V range of the HH plane (mV): below E_K to above the spikes' peak.
const HH_V: [f64; 2] = [-90.0, 60.0];

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    match &app.sim.model {
        AnyModel::Hh(n) if !n.clamp => hh(frame, area, app, n, theme),
        AnyModel::Hh(_) => note(
            frame,
            area,
            "phase plane",
            "Under a voltage clamp V is held: the state does not move in the (V, n) \
             plane. A clamp's lesson is in its currents (views 1 and 3).",
            theme,
        ),
        AnyModel::Lif(n) => lif(frame, area, app, &n.params, theme),
        AnyModel::Network(_) => network(frame, area, app, theme),
        AnyModel::Rate(_) | AnyModel::Synapse(_) => note(
            frame,
            area,
            "phase plane",
            "Rate neurons and PSC filters have no membrane potential: their phase \
             plane is not this view's. View 5 draws y = σ(z); view 4 the filters.",
            theme,
        ),
    }
}

/// The trajectory of (x, y) over the window: the samples of two recorded
/// quantities at the same times. A LIF neuron's reset (`resets_of`: its
/// spikes) is a jump, not a path: the line breaks between the samples
/// either side of each spike. (Read off v alone, a fall from near the
/// threshold to 0, a reset went unseen wherever v had left 0 by the next
/// sample: with tau_ref 0, or shorter than the sampling, a line ran from
/// the threshold back across the plane.)
fn trajectory(
    app: &App,
    (x, y): (Recordable, Recordable),
    resets_of: Option<usize>,
) -> Vec<(f64, f64)> {
    let probes = &app.traces.probes;
    let (Some(px), Some(py)) = (probes.place_of(x), probes.place_of(y)) else {
        return Vec::new();
    };
    let now = app.sim.time_s();
    let from = probes.index_at(now - app.window_s());
    let resets: Vec<f64> = resets_of.map_or_else(Vec::new, |i| {
        probes
            .spikes_from(now - app.window_s() - app.sim.dt_s())
            .filter(|s| s.neuron == i)
            .map(|s| s.time_s)
            .collect()
    });
    let mut next_reset = 0;
    let mut path: Vec<(f64, f64)> = Vec::new();
    let mut last_t = f64::NEG_INFINITY;
    for ((t, a), (_, b)) in probes
        .samples_between(px, from, now)
        .zip(probes.samples_between(py, from, now))
    {
        // A spike from the last sample's time to this one's, both ends
        // included: an event-exact spike at t resets v by t, one on the
        // step grid (stamped with its step's start, a sample's time) by
        // the step's end, after that sample.
        while next_reset < resets.len() && resets[next_reset] < last_t {
            next_reset += 1;
        }
        let reset = resets.get(next_reset).is_some_and(|&ts| ts <= t);
        if reset && !path.is_empty() {
            path.push((f64::NAN, f64::NAN));
        }
        path.push((a, b));
        last_t = t;
    }
    path
}

fn hh(frame: &mut Frame, area: Rect, app: &App, neuron: &HhNeuron, theme: &Theme) {
    let j = app.live_input();
    let reduced = Reduced {
        params: &neuron.params,
        j_in: j,
    };
    let x = Axis::new(HH_V, "V (mV)").landmarks(&[0.0]);
    let mut plot = Plot::new(
        "phase plane (V, n): reduced nullclines, full trajectory",
        x,
        Axis::new([0.0, 1.0], "n").landmarks(&[0.0, 1.0]),
    );
    let v_null = sample(
        |v| reduced.v_nullcline(v).unwrap_or(f64::NAN),
        HH_V[0],
        HH_V[1],
        300,
    );
    let n_null = sample(|v| reduced.n_nullcline(v), HH_V[0], HH_V[1], 300);
    plot.curves
        .push(Curve::new(v_null, theme.trace(1), Pattern::Dotted).named("dV/dt = 0"));
    plot.curves
        .push(Curve::new(n_null, theme.trace(3), Pattern::Dashed).named("dn/dt = 0"));
    let path = trajectory(
        app,
        (
            Recordable::of(Quantity::V),
            Recordable::of(Quantity::gate(crate::model::hh::Gate::N)),
        ),
        None,
    );
    plot.curves
        .push(Curve::new(path, theme.trace(0), Pattern::Solid).named("trajectory"));
    let s = neuron.state;
    plot.marks.push(Marks {
        points: vec![(s.v_mv, s.n)],
        glyph: Glyph::Cross,
        style: theme.bold(),
        label: Some("now".into()),
    });
    let points = reduced.fixed_points(-100.0, 60.0);
    for fp in &points {
        plot.marks.push(Marks {
            points: vec![(fp.v_mv, fp.n)],
            glyph: if fp.stability.is_stable() {
                Glyph::Disc
            } else {
                Glyph::Square
            },
            style: theme.bold(),
            label: Some(fp.stability.name().into()),
        });
    }
    plot.readout.push(Segment::new(
        9,
        vec![Span::raw(format!("J_in {} µA/cm²", sig4(j)))],
    ));
    // The fixed points are the reduction's, and say so: under TEA the
    // full model rests at +8 mV (h 0.0018) where the reduction's h = 0.89
    // - 1.1 n is 0, and `no fixed point` beside a neuron at rest read as
    // the neuron's; its state now is read out beside them.
    let fixed = match points.as_slice() {
        [] => " · reduced: no fixed point".to_string(),
        [fp] => format!(
            " · reduced: {} at V {} mV, n {}",
            fp.stability.name(),
            sig4(fp.v_mv),
            sig4(fp.n)
        ),
        many => format!(" · reduced: {} fixed points", many.len()),
    };
    plot.readout.push(Segment::new(8, vec![Span::raw(fixed)]));
    plot.readout.push(Segment::new(
        4,
        vec![Span::raw(" · reduction: m = m_inf(V), h = 0.89 - 1.1 n")],
    ));
    plot.readout.push(Segment::new(
        IF_ROOM,
        vec![Span::raw(format!(
            " · now V {} mV, n {}",
            sig4(s.v_mv),
            sig4(s.n)
        ))],
    ));
    draw(frame, area, &plot, theme);
}

/// A LIF neuron's phase line: tau_m dv/dt = v_in - v, its fixed point at
/// v = v_in (reached only below the threshold), the state now on it.
fn lif(frame: &mut Frame, area: Rect, app: &App, p: &LifParams, theme: &Theme) {
    let v_in = app.live_input();
    let v_now = match &app.sim.model {
        AnyModel::Lif(n) => n.v,
        _ => 0.0,
    };
    let (v_th, v_reset) = (p.v_threshold, p.v_reset);
    let span = v_th - v_reset;
    let x = [v_reset.min(0.0) - 0.1 * span, v_th + 0.2 * span];
    let rate = |v: f64| (v_in - v) / p.tau_m_s;
    let line = sample(rate, x[0], x[1], 200);
    let y = round_out([rate(x[1]).min(0.0), rate(x[0]).max(1.0)]);
    let mut plot = Plot::new(
        "phase line: dv/dt = (v_in - v) / tau_m (1/s)",
        Axis::new(x, "v").landmarks(&[v_reset, v_th]),
        Axis::new(y, "").landmarks(&[0.0]),
    );
    plot.curves
        .push(Curve::new(line, theme.trace(1), Pattern::Solid).named("dv/dt"));
    plot.cursors.push(Cursor {
        x: v_th,
        label: "threshold".into(),
    });
    plot.marks.push(Marks {
        points: vec![(v_now, rate(v_now))],
        glyph: Glyph::Cross,
        style: theme.bold(),
        label: Some("now".into()),
    });
    if v_in < v_th {
        plot.marks.push(Marks {
            points: vec![(v_in, 0.0)],
            glyph: Glyph::Disc,
            style: theme.bold(),
            label: Some("rest".into()),
        });
    }
    let fixed = if v_in < v_th {
        format!(" · rests at v = v_in = {} (stable)", compact(v_in))
    } else {
        format!(
            " · no rest below threshold: it fires, resets to {} and climbs again",
            compact(v_reset)
        )
    };
    plot.readout.push(Segment::new(
        9,
        vec![Span::raw(format!("v_in {}", sig4(v_in)))],
    ));
    plot.readout.push(Segment::new(8, vec![Span::raw(fixed)]));
    draw(frame, area, &plot, theme);
}

/// A network neuron: s against v over the window, the v-nullcline
/// v = b + x + s, the threshold where v resets.
fn network(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let i = app.view.selected;
    let path = trajectory(
        app,
        (
            Recordable::at(Quantity::V, i),
            Recordable::at(Quantity::S, i),
        ),
        Some(i),
    );
    let drive = super::super::traces::drive_of(&app.sim, i);
    // The engine's state now, marked as the HH plane and the LIF phase line
    // mark theirs (also for a neuron whose path is not recorded).
    let now = match &app.sim.model {
        AnyModel::Network(net) if i < net.len() => Some((net.v()[i], net.synaptic_current(i))),
        _ => None,
    };
    let s_range = path
        .iter()
        .map(|p| p.1)
        .chain(now.map(|p| p.1))
        .filter(|s| s.is_finite())
        .fold([0.0f64, 1.0f64], |r, s| [r[0].min(s), r[1].max(s)]);
    let y = round_out(s_range);
    let x = [-0.1, 1.2];
    let mut plot = Plot::new(
        format!(
            "phase plane (v, s) of {}, s in 1/s",
            neuron_label(app, i, theme)
        ),
        Axis::new(x, "v").landmarks(&[0.0, 1.0]),
        Axis::new(y, ""),
    );
    // dv/dt = 0 where v = b + x + s: the line s = v - (b + x).
    let null = sample(|v| v - drive, x[0], x[1], 100);
    plot.curves
        .push(Curve::new(null, theme.trace(1), Pattern::Dashed).named("dv/dt = 0"));
    if path.is_empty() {
        plot.readout.push(Segment::new(
            9,
            vec![Span::raw("its v and s are not recorded (neurons 0-31 are)")],
        ));
    } else {
        plot.curves
            .push(Curve::new(path, theme.trace(0), Pattern::Solid).named("trajectory"));
    }
    plot.cursors.push(Cursor {
        x: 1.0,
        label: "threshold".into(),
    });
    plot.readout.push(Segment::new(
        9,
        vec![Span::raw(format!(
            "b + x {}: v rises where s > v - (b + x), and resets to 0 at 1",
            sig4(drive)
        ))],
    ));
    if let Some((v, s)) = now {
        plot.marks.push(Marks {
            points: vec![(v, s)],
            glyph: Glyph::Cross,
            style: theme.bold(),
            label: Some("now".into()),
        });
        plot.readout.push(Segment::new(
            8,
            vec![Span::raw(format!(" · now v {}, s {}", sig4(v), sig4(s)))],
        ));
    }
    draw(frame, area, &plot, theme);
}
