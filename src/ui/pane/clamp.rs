//! A clamped HH neuron's view 3: the voltage-clamp family and its I-V
//! curves, as HHsim's clamp screen. Above, the clamp current of each step
//! overlaid from its onset, labelled with its voltage; below, side by side,
//! the peak I_Na and I_K at the step's end measured in each completed step
//! at every step of the run (`ClampRecorder`), on the model's closed-form
//! I-V curves from the hold's steady state.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Span;

use super::{bounds_of, decimate, draw, round_out, sample};
use crate::lab::clamp::{ClampMeasure, ClampRecorder, ClampStep, protocol};
use crate::model::hh::HhNeuron;
use crate::model::recordable::{Quantity, Recordable};
use crate::ui::app::App;
use crate::ui::format::{compact, sig4};
use crate::ui::lines::Segment;
use crate::ui::plot::{Axis, Curve, Glyph, LabelAt, Marks, Pattern, Plot};
use crate::ui::theme::Theme;

/// Time shown before each step's onset and after its end (ms).
const BEFORE_MS: f64 = 1.0;
const AFTER_MS: f64 = 3.0;

pub fn render(frame: &mut Frame, area: Rect, app: &App, neuron: &HhNeuron, theme: &Theme) {
    let Some((hold, mut steps)) = app.sim.stimuli.first().and_then(|s| protocol(&s.stimulus))
    else {
        return;
    };
    // A step without an end (one clamp step held for the rest of the run)
    // is shown up to now: its peak I_Na so far, I_K now, as the recorder
    // measures them at every step. Not to the newest sample: at dt = 100 ns
    // the screen keeps one step in many, and "I_K after 54.98 ms" stood
    // over I_K at 55 ms.
    let now_s = app.sim.time_s();
    for step in steps.iter_mut().filter(|s| !s.width_s.is_finite()) {
        step.width_s = (now_s - step.onset_s).max(0.0);
    }
    let [top, bottom] =
        Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
    let dots = 2 * top.width as usize;
    draw(frame, top, &family(app, &steps, dots, theme), theme);
    let measured = app
        .traces
        .clamp
        .as_ref()
        .map_or_else(Vec::new, ClampRecorder::measured);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(bottom);
    for (which, part) in [
        (Current::PeakSodium, left),
        (Current::PotassiumAtEnd, right),
    ] {
        draw(
            frame,
            part,
            &iv(neuron, which, hold, &steps, &measured, theme),
            theme,
        );
    }
}

/// The recorded samples of `q` over a step, from before its onset to after
/// its end (time s, value).
fn samples(app: &App, q: Quantity, step: &ClampStep) -> Vec<(f64, f64)> {
    let probes = &app.traces.probes;
    let Some(place) = probes.place_of(Recordable::of(q)) else {
        return Vec::new();
    };
    // Half a step early: the sample 1 ms before a 12.3 ms onset, at 11.3 ms
    // (step 226 of 50 µs), lies below 0.0123 - 0.001 = 0.011300000000000001
    // and was left out (the decimation keeps it, at the axis' end).
    let from = probes.index_at(step.onset_s - BEFORE_MS * 1e-3 - 0.5 * app.sim.dt_s());
    let to = step.onset_s + step.width_s + AFTER_MS * 1e-3;
    probes.samples_between(place, from, to).collect()
}

/// The clamp current of every step that has begun, from its onset.
fn family<'a>(app: &App, steps: &[ClampStep], dots: usize, theme: &Theme) -> Plot<'a> {
    let width_ms = steps.iter().map(|s| s.width_s).fold(0.0, f64::max) * 1e3;
    let x = [-BEFORE_MS, width_ms + AFTER_MS];
    let mut curves = Vec::new();
    // Each named at the level it was clamped to, which a key may have
    // moved since.
    let levels = app.traces.clamp.as_ref().map(ClampRecorder::levels);
    for (k, step) in steps.iter().enumerate() {
        let run = samples(app, Quantity::Input, step);
        if run.is_empty() {
            continue;
        }
        let pts = decimate(
            run.into_iter().map(|(t, i)| ((t - step.onset_s) * 1e3, i)),
            x[0],
            x[1],
            dots,
        );
        let mut curve = Curve::new(pts, theme.trace(k + 1), Pattern::nth(k, theme)).named(format!(
            "{} mV",
            compact(levels.as_ref().map_or(step.v_mv, |l| l[k]))
        ));
        // Named where the step ends: after it every current falls back to
        // the hold's, and five names by one end read as anyone's.
        curve.label_at = LabelAt::Before(step.width_s * 1e3);
        curves.push(curve);
    }
    let y = bounds_of(curves.iter(), [-100.0, 100.0]);
    let mut plot = Plot::new(
        "clamp current I_clamp (µA/cm², out +) of each step, from its onset",
        Axis::new(x, "ms from onset").landmarks(&[0.0]),
        Axis::new(y, "").landmarks(&[0.0]),
    );
    plot.short_titles = vec![
        "clamp current I_clamp (µA/cm², out +) of each step".into(),
        "I_clamp (µA/cm², out +) from each step's onset".into(),
        "I_clamp (µA/cm², out +)".into(),
    ];
    plot.curves = curves;
    plot
}

/// Which current an I-V plot is of.
#[derive(Clone, Copy, PartialEq)]
enum Current {
    /// The peak of I_Na in the step.
    PeakSodium,
    /// I_K at the step's end.
    PotassiumAtEnd,
}

/// One I-V relation against V: the measured points on the closed-form
/// curve from the hold's steady state.
fn iv<'a>(
    neuron: &HhNeuron,
    which: Current,
    hold: f64,
    steps: &[ClampStep],
    measured: &[ClampMeasure],
    theme: &Theme,
) -> Plot<'a> {
    let p = &neuron.params;
    let rest = p.steady_state(hold);
    let width_ms = steps.first().map_or(10.0, |s| s.width_s * 1e3);
    let lo = steps.iter().map(|s| s.v_mv).fold(hold, f64::min) - 15.0;
    let hi = steps.iter().map(|s| s.v_mv).fold(hold, f64::max) + 15.0;
    let x = round_out([lo, hi]);
    let (model, name, title, k, glyph): (Box<dyn Fn(f64) -> f64>, _, _, _, _) = match which {
        Current::PeakSodium => (
            Box::new(|v| p.clamp_peak_sodium(&rest, v, width_ms).1),
            "model",
            "peak I_Na (µA/cm²)".to_string(),
            4,
            Glyph::Cross,
        ),
        Current::PotassiumAtEnd => (
            Box::new(|v| p.clamped_currents(&rest, v, width_ms).i_k),
            "model",
            format!("I_K after {} ms (µA/cm²)", compact(width_ms)),
            5,
            Glyph::Diamond,
        ),
    };
    let curve = Curve::new(
        sample(model, x[0], x[1], 40),
        theme.trace(k),
        Pattern::Solid,
    )
    .named(name);
    let points: Vec<(f64, f64)> = measured
        .iter()
        .map(|m| match which {
            Current::PeakSodium => (m.v_mv, m.peak_i_na),
            Current::PotassiumAtEnd => (m.v_mv, m.i_k_end),
        })
        .collect();
    let y = round_out(bounds_of([&curve].into_iter(), [-100.0, 100.0]));
    let mut plot = Plot::new(
        title,
        Axis::new(x, "V (mV)").landmarks(&[0.0]),
        Axis::new(y, "").landmarks(&[0.0]),
    );
    plot.curves.push(curve);
    if which == Current::PotassiumAtEnd {
        // The steady state the step tends to: g_K n_inf(V)^4 (V - E_K).
        let steady = sample(|v| p.currents(&p.steady_state(v)).i_k, x[0], x[1], 80);
        plot.curves
            .push(Curve::new(steady, theme.trace(3), Pattern::Dashed).named("steady"));
    }
    if !points.is_empty() {
        plot.marks.push(Marks {
            points,
            glyph,
            style: theme.bold(),
            label: Some("measured".into()),
        });
    }
    let text = match (measured.last(), which) {
        (Some(m), Current::PeakSodium) => format!(
            "{} mV: {} at {} ms",
            compact(m.v_mv),
            sig4(m.peak_i_na),
            sig4(m.peak_after_s * 1e3)
        ),
        (Some(m), Current::PotassiumAtEnd) => {
            format!("{} mV: {}", compact(m.v_mv), sig4(m.i_k_end))
        }
        (None, _) => "no step completed yet".to_string(),
    };
    plot.readout.push(Segment::new(9, vec![Span::raw(text)]));
    plot.readout.push(Segment::new(
        5,
        vec![Span::raw(format!(
            " · {}/{} steps",
            measured.len(),
            steps.len()
        ))],
    ));
    plot
}
