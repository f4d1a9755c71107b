//! The status's input line: the input now, as the engine steps it, and
//! what it does next (a protocol's next change, a ramp's end, a level a
//! key set that acts at the next step), with the keys that change it.

use ratatui::text::Span;

use super::neuron_list;
use crate::model::AnyModel;
use crate::sim::stimulus::{Shape, Stimulus};
use crate::ui::app::App;
use crate::ui::format::{compact, sig4, sig4_apart, time_point};
use crate::ui::lines::Segment;
use crate::ui::model_info::{fine_step, input_label};
use crate::ui::theme::Theme;

pub(super) fn input_line<'a>(app: &App, theme: &Theme) -> Vec<Segment<'a>> {
    let (name, unit) = input_label(&app.sim);
    let unit_sp = if unit.is_empty() {
        String::new()
    } else {
        format!(" {unit}")
    };
    let mut out = Vec::new();
    let train = app
        .sim
        .stimuli
        .first()
        .is_some_and(|s| s.stimulus.is_spike_train());
    if train {
        out.push(Segment::new(
            10,
            vec![Span::styled(
                format!("{name} {}{unit_sp}", sig4(app.input_level())),
                theme.bold(),
            )],
        ));
    } else {
        out.push(Segment::new(
            10,
            vec![Span::styled(
                format!("{name} {}{unit_sp}", live_input_text(app)),
                theme.bold(),
            )],
        ));
        // What the input does next follows the input it is about: in a
        // clamp, V_clamp's next level before the current that holds it.
        // An input that drives other neurons only has no next level here
        // (rate-logistic's y read `x 0 → 0.6000 next step` for good, the
        // level of x, which the keys change): the line says whose it is.
        if let Some(s) = app.sim.stimuli.first() {
            match s.neurons.as_deref() {
                Some(ns) if !ns.contains(&app.view.selected) => out.push(Segment::new(
                    8,
                    vec![Span::raw(format!(
                        "  (the input drives {})",
                        neuron_list(app, ns, theme)
                    ))],
                )),
                _ => out.extend(what_comes(app, &s.stimulus, theme)),
            }
        }
        if let AnyModel::Hh(n) = &app.sim.model
            && n.clamp
        {
            let c = n.currents();
            out.push(Segment::new(
                8,
                vec![Span::raw(format!(
                    "  I_clamp {} µA/cm²",
                    sig4(c.i_na + c.i_k + c.i_l)
                ))],
            ));
        }
    }
    let fine = fine_step(app.kind());
    let hint = if app.replay.is_some() {
        "  set by the journal".to_string()
    } else if theme.ascii {
        format!(
            "  Up/Down +/-{} Left/Right +/-{} = type",
            compact(10.0 * fine),
            compact(fine)
        )
    } else {
        format!(
            "  ↑↓ ±{} ←→ ±{} = type",
            compact(10.0 * fine),
            compact(fine)
        )
    };
    out.push(Segment::new(1, vec![Span::styled(hint, theme.dim())]));
    out
}

/// What the input does next: the level of the next step when a key changed
/// it (paused, the change shows before it acts), the protocol's next
/// change, or the amplitude a finished protocol would use.
fn what_comes<'a>(app: &App, s: &Stimulus, theme: &Theme) -> Vec<Segment<'a>> {
    let then = theme.spelled("→", "->");
    let now = app.sim.time_s();
    let live = app.live_input();
    let differs = |x: f64| (x - live).abs() > 1e-12 * x.abs().max(1.0);
    if let Shape::Noise { sigma, .. } = s.shape {
        return vec![Segment::new(
            6,
            vec![Span::raw(format!(
                "  (mean {}, noise {} {})",
                sig4(s.level_at(now)),
                theme.spelled("σ", "sigma"),
                sig4(sigma)
            ))],
        )];
    }
    let mid_next = now + 0.5 * app.sim.dt_s();
    let next_step = s.level_at(mid_next);
    // A rising ramp or a sine changes every step by itself: what comes is
    // the ramp's end (or the sine's amplitude), not each next value.
    let continuous = match s.shape {
        Shape::Ramp { start_s, stop_s } => (start_s..stop_s).contains(&mid_next),
        Shape::Sine { .. } => true,
        _ => false,
    };
    // A change too small for four digits would read "→ 2.751" beside 2.751.
    if differs(next_step) && !continuous && sig4(next_step) != sig4(live) {
        return vec![Segment::new(
            8,
            vec![Span::raw(format!("  {then} {} next step", sig4(next_step)))],
        )];
    }
    if let Some((t, level)) = s.next_change(now) {
        return vec![Segment::new(
            7,
            vec![Span::raw(format!(
                "  {then} {} at {}",
                sig4(level),
                time_point(t)
            ))],
        )];
    }
    if let Shape::ClampSteps { .. } = s.shape {
        // A family's amplitude shifts its levels: said only when it does.
        return if s.amplitude == 0.0 {
            Vec::new()
        } else {
            vec![Segment::new(
                6,
                vec![Span::raw(format!(
                    "  (levels shifted {} mV)",
                    sig4(s.amplitude)
                ))],
            )]
        };
    }
    if differs(s.amplitude + s.offset) {
        return vec![Segment::new(
            6,
            vec![Span::raw(format!("  (amplitude {})", sig4(s.amplitude)))],
        )];
    }
    Vec::new()
}

/// The live input as the status line writes it: a LIF neuron's v_in with
/// the digits that tell it from the threshold, where G turns on (a ramp
/// at 1.00005 read `v_in 1.000` beside `G(v_in) 4.674 Hz`).
fn live_input_text(app: &App) -> String {
    match &app.sim.model {
        AnyModel::Lif(lif) => sig4_apart(app.live_input(), lif.params.v_threshold),
        _ => sig4(app.live_input()),
    }
}
