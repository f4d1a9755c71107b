//! The rate against the input (notes 1.2.2: "below is the graph of the
//! firing rate as a function of v_in"): for LIF the analytic G(v_in) with
//! the operating point; for every spiking model the measured points (mean
//! input over an interval, 1/ISI), which trace the model's own f-I curve as
//! the input changes. HH has no closed form: only its measured points.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;

use super::scope::note;
use super::{draw, round_out, sample_rising_from};
use crate::lab::sweep::Leg;
use crate::model::AnyModel;
use crate::model::activation::Activation;
use crate::model::lif::LifParams;
use crate::ui::app::{App, FiCurve};
use crate::ui::format::{compact, duration, sig4, sig4_apart};
use crate::ui::lines::Segment;
use crate::ui::model_info::input_label;
use crate::ui::plot::{Axis, Cursor, Curve, Glyph, Marks, Pattern, Plot};
use crate::ui::status::neuron_label;
use crate::ui::theme::Theme;
use crate::ui::traces::RateEstimate;

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    match &app.sim.model {
        AnyModel::Lif(n) => spiking(frame, area, app, Some(n.params), theme),
        AnyModel::Network(net) => {
            let params = LifParams {
                tau_m_s: net.params().tau_m_s,
                tau_ref_s: net.params().tau_ref_s,
                ..LifParams::default()
            };
            spiking(frame, area, app, Some(params), theme)
        }
        AnyModel::Hh(hh) if !hh.clamp => spiking(frame, area, app, None, theme),
        AnyModel::Hh(hh) => super::clamp::render(frame, area, app, hh, theme),
        AnyModel::Rate(r) => match r.activation {
            Activation::LifRate { .. } => super::activation::render(frame, area, app, theme),
            _ => note(
                frame,
                area,
                "rate vs input",
                "Rate neurons do not spike: their activity y = σ(z) is the rate. \
                 View 5 draws this preset's σ with its neurons on it.",
                theme,
            ),
        },
        AnyModel::Synapse(_) => note(
            frame,
            area,
            "rate vs input",
            "PSC filters have no firing rate: they turn an input spike train into a \
             current. View 4 draws their h(t).",
            theme,
        ),
    }
}

/// A spiking model's rate view: G when there is a closed form (`lif`), the
/// measured trail always.
fn spiking(frame: &mut Frame, area: Rect, app: &App, lif: Option<LifParams>, theme: &Theme) {
    let i = app.view.selected;
    let (input_name, unit) = input_label(&app.sim);
    let network = matches!(app.sim.model, AnyModel::Network(_));
    let drive_name = if network { "v_in" } else { input_name };
    let drive = app.sim.whole_input(i);
    let trail: Vec<(f64, f64)> = app.traces.trail.points().copied().collect();
    let swept = swept_points(app);
    // The x range: the input and the points, from 0, rounded out.
    let widest = trail
        .iter()
        .chain(swept.iter().flat_map(|(_, p)| p))
        .map(|p| p.0)
        .chain([drive])
        .fold(0.0f64, |a, b| a.max(b.abs()));
    // LIF: five times the threshold, where G has risen most of its way.
    let x_default = lif.map_or(20.0, |p| (5.0 * p.v_threshold).max(5.0));
    let x = round_out([0.0, (1.25 * widest).max(x_default)]);
    let title = match (lif, network) {
        (Some(_), false) => "LIF rate G(v_in) and measured 1/ISI (Hz)".to_string(),
        (Some(_), true) => format!(
            "rate of {} (Hz): G(v_in) and measured",
            neuron_label(app, i, theme)
        ),
        (None, _) => "HH f-I: measured rate (Hz) against J_in".to_string(),
    };
    let x_title = if unit.is_empty() || unit == "per spike" {
        drive_name.to_string()
    } else {
        format!("{drive_name} ({unit})")
    };
    let landmarks: Vec<f64> = lif.map(|p| p.v_threshold).into_iter().collect();
    let x_axis = Axis::new(x, x_title).landmarks(&landmarks);
    let mut plot = Plot::new(title, x_axis, Axis::new([0.0, 1.0], ""));
    let mut top: f64 = 10.0;
    match lif {
        Some(p) => {
            let g_max = rate_curve(&mut plot, p, (drive_name, network), drive, x, theme);
            top = top.max(g_max);
        }
        None => {
            let now = format!("{drive_name} {} {unit}", sig4(drive));
            plot.readout.push(Segment::new(9, vec![Span::raw(now)]));
            plot.cursors.push(Cursor {
                x: drive,
                label: "now".into(),
            });
        }
    }
    top = trail
        .iter()
        .chain(swept.iter().flat_map(|(_, p)| p))
        .map(|p| p.1)
        .fold(top, f64::max);
    if let Some(fi) = &app.fi {
        sweep_readout(&mut plot, fi, lif.is_none(), network);
    }
    // Without hysteresis (LIF) the down leg lies under the up leg: the up
    // leg's label names both, or the down leg's would name marks not seen.
    let down_on_up = down_leg_on_up_leg(&swept);
    // A sweep of another neuron than the one this view is of (Tab after F)
    // says whose its points are.
    let of = match &app.fi {
        Some(fi) if fi.neuron != i => format!("f-I #{}", fi.neuron),
        _ => "f-I".to_string(),
    };
    let sweep_marks: Vec<Marks> = swept
        .into_iter()
        .rev()
        .filter(|(_, points)| !points.is_empty())
        .map(|(leg, points)| {
            let (glyph, label) = match leg {
                Leg::Up if down_on_up => (Glyph::Diamond, Some(format!("{of} up = down"))),
                Leg::Up => (Glyph::Diamond, Some(format!("{of} up"))),
                Leg::Down if down_on_up => (Glyph::Square, None),
                Leg::Down => (Glyph::Square, Some(format!("{of} down"))),
            };
            Marks {
                points,
                glyph,
                style: theme.bold(),
                label,
            }
        })
        .collect();
    let measured = match app.traces.stats.rate_at(i, app.sim.time_s()) {
        RateEstimate::Interval { isi_s } => format!(" · measured {} Hz", sig4(1.0 / isi_s)),
        RateEstimate::AtMost { silent_s } => format!(" · measured < {} Hz", sig4(1.0 / silent_s)),
        RateEstimate::Stopped { silent_s } => {
            format!(" · measured – (silent {})", duration(silent_s))
        }
        RateEstimate::Unknown => " · measured – (fewer than 2 spikes)".to_string(),
    };
    plot.readout
        .push(Segment::new(8, vec![Span::raw(measured)]));
    plot.readout
        .push(Segment::new(4, vec![Span::raw(trail_count(&trail))]));
    // Until a sweep has run, where the rest of the curve comes from (HH's
    // view is empty at rest but for its cursor).
    if app.fi.is_none() {
        let hint = format!(" · F sweeps {input_name}");
        plot.readout.push(Segment::new(3, vec![Span::raw(hint)]));
    }
    if !trail.is_empty() {
        plot.marks.insert(
            0,
            Marks {
                points: trail,
                glyph: Glyph::Cross,
                style: theme.trace(4),
                label: Some("measured".into()),
            },
        );
    }
    // The sweep's points first, under the live marks (measured, G now)
    // that sit among them: drawn over them, they hid both.
    plot.marks.splice(0..0, sweep_marks);
    plot.y = Axis::new(round_out([0.0, top * 1.05]), "");
    draw(frame, area, &plot, theme);
}

/// How many intervals the trail holds and at how many inputs, told apart
/// as the readout writes them (4 digits): at a constant input every 1/ISI
/// falls on one mark, and "15 points" beside one mark misled.
fn trail_count(trail: &[(f64, f64)]) -> String {
    let inputs: std::collections::BTreeSet<String> = trail.iter().map(|p| sig4(p.0)).collect();
    match (trail.len(), inputs.len()) {
        (0, _) => " · no ISI measured".to_string(),
        (1, _) => " · 1 ISI measured".to_string(),
        (n, 1) => format!(" · {n} ISIs at 1 input"),
        (n, k) => format!(" · {n} ISIs at {k} inputs"),
    }
}

/// The LIF rate curve G over the x range (notes 1.2.2), G at the drive now
/// marked and read out (a network neuron's v_in said to be its whole
/// input); returns the curve's largest rate.
fn rate_curve(
    plot: &mut Plot,
    p: LifParams,
    (drive_name, network): (&str, bool),
    drive: f64,
    x: [f64; 2],
    theme: &Theme,
) -> f64 {
    let g = sample_rising_from(|v| p.firing_rate(v), x[0], x[1], 400, p.v_threshold);
    let g_max = g.iter().map(|q| q.1).fold(0.0, f64::max);
    let name = format!("G({drive_name})");
    plot.curves
        .push(Curve::new(g, theme.trace(1), Pattern::Solid).named(name));
    let g_now = p.firing_rate(drive);
    plot.marks.push(Marks {
        points: vec![(drive, g_now)],
        glyph: Glyph::Disc,
        style: theme.bold(),
        label: Some("G now".into()),
    });
    // Near the threshold G rises from 0 steeply: the drive shows the
    // digits that tell it from the threshold.
    let now = format!(
        "{drive_name} {}: G {} Hz",
        sig4_apart(drive, p.v_threshold),
        sig4(g_now)
    );
    plot.readout.push(Segment::new(9, vec![Span::raw(now)]));
    // A network neuron's v_in is its whole input, the synaptic current
    // with the bias and the input: said where its constants are.
    let whole = if network { "v_in = s + b + x; " } else { "" };
    // The threshold and reset too where moved from the notes' 1 and 0: G
    // is theirs (with the reset at 0.5, G(1.5) is 72.13 Hz, not 41.71).
    let notes = LifParams::default();
    let mut moved = String::new();
    if p.v_threshold != notes.v_threshold {
        moved.push_str(&format!(", threshold {}", compact(p.v_threshold)));
    }
    if p.v_reset != notes.v_reset {
        moved.push_str(&format!(", reset {}", compact(p.v_reset)));
    }
    let constants = format!(
        " ({whole}tau_m {} ms, tau_ref {} ms{moved})",
        compact(p.tau_m_s * 1e3),
        compact(p.tau_ref_s * 1e3)
    );
    plot.readout
        .push(Segment::new(5, vec![Span::raw(constants)]));
    g_max
}

/// The f-I sweep's points by leg, at the mean input the measured neuron
/// had over each point's interval (s + b_i + x for a network neuron).
fn swept_points(app: &App) -> Vec<(Leg, Vec<(f64, f64)>)> {
    let Some(fi) = &app.fi else {
        return Vec::new();
    };
    // Each point at the mean whole input it was measured at, on the axis
    // the trail and G share (a network neuron's synaptic current in it).
    [Leg::Up, Leg::Down]
        .into_iter()
        .map(|leg| {
            let points = fi
                .points
                .iter()
                .filter(|p| p.leg == leg)
                .map(|p| (p.mean_input, p.rate_hz))
                .collect();
            (leg, points)
        })
        .collect()
}

/// Whether the down leg has points and each lies on an up leg's point: the
/// same input, and a rate within 1e-6 of it (the two legs of a LIF sweep
/// differ by rounding, 1e-14 of the rate).
fn down_leg_on_up_leg(swept: &[(Leg, Vec<(f64, f64)>)]) -> bool {
    let leg = |l| swept.iter().find(|(leg, _)| *leg == l).map(|(_, p)| p);
    let (Some(up), Some(down)) = (leg(Leg::Up), leg(Leg::Down)) else {
        return false;
    };
    let near = |a: f64, b: f64| (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0);
    !down.is_empty()
        && down
            .iter()
            .all(|d| up.iter().any(|u| near(u.0, d.0) && near(u.1, d.1)))
}

/// How far the sweep is, and where firing starts going up (the onset, a
/// cursor for HH, whose curve has no closed form) and stops coming down.
fn sweep_readout(plot: &mut Plot, fi: &FiCurve, mark_onset: bool, network: bool) {
    let text = match &fi.sweep {
        Some(_) => format!(" · f-I sweep {}/{} (F stops)", fi.points.len(), fi.total),
        None => {
            let edge = |leg| fi.edge(leg).map_or("–".to_string(), compact);
            let found = match fi.without_edges() {
                Some(words) => words.to_string(),
                None => format!(
                    "fires from {} up, to {} down",
                    edge(Leg::Up),
                    edge(Leg::Down)
                ),
            };
            // A one-neuron model's only neuron is not named "neuron 0".
            if network {
                format!(" · f-I of neuron {}: {found}", fi.neuron)
            } else {
                format!(" · f-I: {found}")
            }
        }
    };
    plot.readout.push(Segment::new(7, vec![Span::raw(text)]));
    if let (true, Some(onset)) = (mark_onset, fi.edge(Leg::Up)) {
        plot.cursors.push(Cursor {
            x: onset,
            label: "onset".into(),
        });
    }
}
