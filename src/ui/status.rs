//! The title bar and the status lines: every number is the engine's at this
//! instant (the input of the step that just ended, the spikes so far, the
//! rate the spikes allow one to state now). Lines are built from segments
//! that are dropped whole, least important first, so a number is never cut.
//!
//! ```text
//! ▶ RUN  t = 152.30 ms  ×5 (got ×3.1)  dt 50 µs  window 100 ms  sweep free
//! J_in 10.00 µA/cm²  → 0 at 150.00 ms                ↑↓ ±1 ←→ ±0.1 = type
//! #0: V -67.01 mV  10 spikes  rate 68.32 Hz  ISI 14.64 ms  m 0.0331 ...
//! ? help  Space pause  . step  ...            (or a message, for a while)
//! ```

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Color, Modifier};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::app::{App, Hold, RunState};
use super::format::{
    compact, duration, plural, sig4, sig4_apart, significant, sim_time, time_point,
};
use super::lines::{Segment, clip_words, fit, wrap_words};
use super::model_info::{fine_step, input_label};
use super::theme::Theme;
use super::traces::RateEstimate;
use crate::model::network::SpikeTiming;
use crate::model::recordable::{Quantity, Recordable};
use crate::model::{AnyModel, ModelKind};
use crate::named::Named;
use crate::sim::stimulus::{Shape, Stimulus};
use crate::view::TriggerMode;

/// Rows the status takes: a rule and four lines.
pub const STATUS_HEIGHT: u16 = 5;

/// The achieved speed is shown where it is off the speed asked for by more
/// than this fraction.
const ACHIEVED_SHOWN_OFF_BY: f64 = 0.05;

fn model_label(kind: ModelKind) -> &'static str {
    match kind {
        ModelKind::Hh => "Hodgkin-Huxley",
        ModelKind::Lif => "LIF",
        ModelKind::Network => "LIF network",
        ModelKind::Rate => "rate network",
        ModelKind::Synapse => "PSC filters",
    }
}

/// The name of neuron i for networks (empty when it is just its index),
/// in the theme's words: a preset's own names (`γ`) are spelled in ASCII
/// (`gamma`) wherever they are drawn, as its title is, not one cell each
/// (`#2 #` in the raster, `#2 ?` above it).
pub fn neuron_name(app: &App, i: usize, theme: &Theme) -> String {
    let name: String = match &app.sim.model {
        AnyModel::Network(n) => n.names()[i].clone(),
        AnyModel::Rate(r) => r.names[i].clone(),
        _ => String::new(),
    };
    if name == i.to_string() {
        String::new()
    } else {
        theme.words(&name).into_owned()
    }
}

/// `#i name`, or `#i` when the name is the index; the synapse model's one
/// row is its input spike train.
pub fn neuron_label(app: &App, i: usize, theme: &Theme) -> String {
    if app.kind() == ModelKind::Synapse {
        return "input".into();
    }
    format!("#{i} {}", neuron_name(app, i, theme))
        .trim_end()
        .to_string()
}

/// Neurons by their labels, up to three; more by their count.
fn neuron_list(app: &App, neurons: &[usize], theme: &Theme) -> String {
    if neurons.len() > 3 {
        return plural(neurons.len() as u64, "neuron", "neurons");
    }
    let labels: Vec<String> = neurons
        .iter()
        .map(|&j| neuron_label(app, j, theme))
        .collect();
    labels.join(", ")
}

pub fn render_title(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let width = area.width as usize;
    // Grid timing (Brian2's clock-driven step) is said where it applies: its
    // spikes sit on the step grid, not at their crossings.
    let grid = matches!(
        &app.sim.model,
        AnyModel::Network(n) if n.params().spike_timing == SpikeTiming::Grid
    );
    let n = app.neuron_count();
    let mut right_segments = vec![
        Segment::new(
            9,
            vec![Span::raw(format!(
                " {}{}",
                model_label(app.kind()),
                if grid { " (grid timing)" } else { "" }
            ))],
        ),
        Segment::new(
            5,
            vec![Span::raw(format!(
                " · {}",
                plural(n as u64, "neuron", "neurons")
            ))],
        ),
        Segment::new(
            3,
            vec![Span::raw(format!(" · view {} ", app.view.pane.name()))],
        ),
    ];
    // Parameters changed in the panel are said beside the model, so no
    // screen passes for the preset's own.
    if !app.changed.is_empty() {
        let keys: Vec<&str> = app
            .changed
            .iter()
            .map(|(k, _)| k.rsplit('.').next().unwrap_or(k))
            .collect();
        let text = format!(" · changed: {}", keys.join(", "));
        right_segments.insert(1, Segment::new(8, vec![Span::styled(text, theme.bold())]));
    }
    // The preset's name first; the right side drops its parts to make room,
    // and only then is the name shortened.
    let fixed = " spikescope ─  ".chars().count();
    // A user's preset may name itself with symbols: spelled in ASCII.
    let name = theme.words(&app.preset.name).into_owned();
    let model_w = right_segments[0].width();
    let room_for_right = width.saturating_sub(fixed + name.chars().count());
    let right = fit(room_for_right.max(model_w), right_segments);
    let room = width.saturating_sub(fixed + right.width());
    let name = if name.chars().count() > room {
        clip_words(&name, room, theme.spelled("…", "..."))
    } else {
        name
    };
    let left = Line::from(vec![
        Span::styled(" spikescope ", theme.bold()),
        Span::raw("─ "),
        Span::styled(name, theme.bold()),
        Span::raw(" "),
    ]);
    frame.render_widget(Paragraph::new(left), area);
    frame.render_widget(Paragraph::new(right).alignment(Alignment::Right), area);
}

pub fn render_status(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(theme.dim());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let mut lines = vec![
        fit(width, run_line(app, theme)),
        fit(width, input_line(app, theme)),
        fit(width, neuron_line(app, width, theme)),
        key_hints(theme, width),
    ];
    // A message takes the last line for a while, and the ones above it
    // when it needs them (an export's two paths), up to all but the run
    // line: wrapped, not cut.
    if let Some(m) = &app.message {
        let style = if m.error { theme.error() } else { theme.bold() };
        let text = wrap_words(&m.text, width);
        let shown = text.len().min(3);
        for (k, l) in text.into_iter().take(shown).enumerate() {
            lines[4 - shown + k] = Line::from(Span::styled(l, style));
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn run_line<'a>(app: &App, theme: &Theme) -> Vec<Segment<'a>> {
    let state = match &app.run {
        RunState::Unstable(_) => Span::styled("■ UNSTABLE", theme.error()),
        RunState::Running => {
            Span::styled("▶ RUN", theme.fg(Color::Green).add_modifier(Modifier::BOLD))
        }
        RunState::Held(Hold::Sweep { .. }) => {
            Span::styled("■ HELD", theme.bold().add_modifier(Modifier::REVERSED))
        }
        RunState::Held(Hold::ProtocolDone | Hold::JournalEnd) => {
            Span::styled("■ END", theme.bold().add_modifier(Modifier::REVERSED))
        }
        RunState::Paused | RunState::Quit => {
            Span::styled("‖ PAUSED", theme.bold().add_modifier(Modifier::REVERSED))
        }
    };
    let mut out = vec![
        Segment::new(10, vec![state]),
        Segment::new(
            10,
            vec![Span::raw(format!("  t = {}", sim_time(app.sim.time_s())))],
        ),
        Segment::new(
            7,
            vec![Span::raw(format!("  ×{}", compact(app.clock.speed)))],
        ),
    ];
    // The achieved speed, where it is not the one asked for (the machine
    // falls behind): `×0.05 (got ×0.050)` said the same number twice on a
    // line with no room to spare. Two significant digits, so that it does
    // not flicker.
    let off_by = app.clock.achieved / app.clock.speed - 1.0;
    if app.running() && app.clock.achieved > 0.0 && off_by.abs() > ACHIEVED_SHOWN_OFF_BY {
        let a = significant(app.clock.achieved, 2);
        out.push(Segment::new(2, vec![Span::raw(format!(" (got ×{a})"))]));
    }
    out.push(Segment::new(
        6,
        vec![Span::raw(format!("  dt {}", duration(app.sim.dt_s())))],
    ));
    out.push(Segment::new(
        4,
        vec![Span::styled(
            format!("  window {}", duration(app.window_s())),
            theme.dim(),
        )],
    ));
    let sweep = match app.view.trigger {
        TriggerMode::Single => match app.held_trigger_s() {
            Some(ts) => format!("  single: held, spike at {}", sim_time(ts)),
            None if app.armed() => match app.single_trigger_s() {
                Some(ts) => format!("  single: capturing, spike at {}", sim_time(ts)),
                None => "  single: armed".to_string(),
            },
            None => "  single".to_string(),
        },
        TriggerMode::Spike => format!(
            "  sweep spike, pre {}%",
            (app.view.pre_trigger * 100.0).round()
        ),
        t => format!("  sweep {}", t.name()),
    };
    out.push(Segment::new(5, vec![Span::styled(sweep, theme.dim())]));
    // How to go on from the protocol's end: before the window and the sweep
    // mode, which are kept from before (at 80 columns it was dropped).
    if let RunState::Held(Hold::ProtocolDone) = app.run {
        out.push(Segment::new(
            8,
            vec![Span::styled("  protocol done: r replays", theme.dim())],
        ));
    }
    if let Some(replay) = &app.replay {
        let (done, total) = replay.progress();
        let text = match (&app.run, replay.shortfall()) {
            (RunState::Held(Hold::JournalEnd), Some(e)) => {
                format!("  replay stopped at line {}: r again", e.line)
            }
            (RunState::Held(Hold::JournalEnd), None) => "  replay done: r again".to_string(),
            _ => format!("  replay {done}/{total}"),
        };
        out.push(Segment::new(9, vec![Span::styled(text, theme.bold())]));
    }
    out
}

fn input_line<'a>(app: &App, theme: &Theme) -> Vec<Segment<'a>> {
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

fn neuron_line<'a>(app: &App, width: usize, theme: &Theme) -> Vec<Segment<'a>> {
    let i = app.view.selected;
    let label = format!("{}:", neuron_label(app, i, theme));
    let mut out = vec![Segment::new(10, vec![Span::styled(label, theme.bold())])];
    match &app.sim.model {
        AnyModel::Synapse(bank) => {
            out[0] = Segment::new(10, vec![Span::styled("input:", theme.bold())]);
            let spikes = plural(app.traces.stats.count[0], "spike", "spikes");
            out.push(Segment::raw(9, format!(" {spikes}")));
            let each: Vec<String> = bank
                .names
                .iter()
                .zip(&bank.filters)
                .map(|(name, f)| format!("  s({name}) {} 1/s", sig4(f.output())))
                .collect();
            // As many filters as fit, and how many more there are (the
            // scope draws them all): eight filters at 80 columns showed
            // three, the others dropped without a word.
            let used = "input: ".len() + spikes.chars().count();
            let shown = filters_that_fit(&each, width.saturating_sub(used));
            for (k, s) in each.iter().take(shown).enumerate() {
                out.push(Segment::raw(8 - k.min(6) as u8, s.clone()));
            }
            if shown < each.len() {
                out.push(Segment::raw(8, more_filters(each.len() - shown)));
            }
        }
        AnyModel::Rate(r) => {
            out.push(Segment::raw(9, format!(" y {}", sig4(r.y[i]))));
            out.push(Segment::raw(9, format!("  z {}", sig4(r.z[i]))));
            out.push(Segment::raw(6, format!("  b {}", sig4(r.bias[i]))));
        }
        _ => {
            let now = state_now(app, i);
            out.extend(now.first);
            let spikes = plural(app.traces.stats.count[i], "spike", "spikes");
            out.push(Segment::raw(10, format!(" {spikes}")));
            out.extend(rate_segments(app.traces.stats.rate_at(i, app.sim.time_s())));
            out.extend(now.last);
            if let Some(g) = app.analytic_rate() {
                let text = format!("  G(v_in) {} Hz", sig4(g));
                out.push(Segment::new(
                    8,
                    vec![Span::styled(text, theme.fg(Color::Cyan))],
                ));
            }
            // The bias before the ISI (which the rate restates): + and -
            // change it, and the change must show at 80 columns.
            if let Some(b) = app.selected_bias() {
                out.push(Segment::raw(8, format!("  bias {}", sig4(b))));
            }
        }
    }
    out
}

/// The selected neuron's state at this instant, as an oscilloscope reads
/// out its channels: the membrane potential first (HH's V in mV, a LIF
/// neuron's v against the threshold 1), then what is drawn under it, kept
/// where there is room (HH's gates and ionic currents, a network neuron's
/// synaptic current s).
struct StateNow<'a> {
    first: Vec<Segment<'a>>,
    last: Vec<Segment<'a>>,
}

fn state_now<'a>(app: &App, i: usize) -> StateNow<'a> {
    let value = |q: Quantity| app.sim.model.value(Recordable::at(q, i), app.sim.input());
    let v = value(Quantity::V);
    match &app.sim.model {
        AnyModel::Hh(_) => {
            let gates = format!(
                "  m {}  h {}  n {}",
                sig4(value(Quantity::M)),
                sig4(value(Quantity::H)),
                sig4(value(Quantity::N))
            );
            let currents = format!(
                "  I_Na {}  I_K {}  I_L {} µA/cm²",
                sig4(value(Quantity::INa)),
                sig4(value(Quantity::IK)),
                sig4(value(Quantity::IL))
            );
            StateNow {
                first: vec![Segment::raw(9, format!(" V {} mV ", sig4(v)))],
                last: vec![Segment::raw(5, gates), Segment::raw(3, currents)],
            }
        }
        AnyModel::Network(_) => StateNow {
            first: vec![
                Segment::raw(9, format!(" v {} ", sig4(v))),
                Segment::raw(6, format!(" s {} 1/s ", sig4(value(Quantity::S)))),
            ],
            last: Vec::new(),
        },
        _ => StateNow {
            first: vec![Segment::raw(9, format!(" v {} ", sig4(v)))],
            last: Vec::new(),
        },
    }
}

/// How many of the filters' `s(name) value` fit in `room` columns, with
/// the words for the rest where some do not.
fn filters_that_fit(each: &[String], room: usize) -> usize {
    let width = |s: &String| s.chars().count();
    if each.iter().map(width).sum::<usize>() <= room {
        return each.len();
    }
    let mut used = 0;
    let mut shown = 0;
    for s in each {
        let rest = each.len() - shown - 1;
        let more = if rest > 0 {
            more_filters(rest).chars().count()
        } else {
            0
        };
        if used + width(s) + more > room {
            break;
        }
        used += width(s);
        shown += 1;
    }
    shown
}

fn more_filters(rest: usize) -> String {
    format!("  +{rest} more")
}

/// The measured rate and ISI: from the last interval, a bound while the
/// neuron is silent for longer than it, or nothing once it has stopped.
fn rate_segments<'a>(estimate: RateEstimate) -> Vec<Segment<'a>> {
    match estimate {
        RateEstimate::Interval { isi_s } => vec![
            Segment::raw(9, format!("  rate {} Hz", sig4(1.0 / isi_s))),
            Segment::raw(7, format!("  ISI {} ms", sig4(isi_s * 1e3))),
        ],
        RateEstimate::AtMost { silent_s } => vec![
            Segment::raw(9, format!("  rate < {} Hz", sig4(1.0 / silent_s))),
            Segment::raw(7, format!("  ISI > {} ms", sig4(silent_s * 1e3))),
        ],
        RateEstimate::Stopped { silent_s } => vec![
            Segment::raw(9, "  rate –  ISI –"),
            Segment::raw(7, format!("  silent {}", duration(silent_s))),
        ],
        RateEstimate::Unknown => vec![Segment::raw(9, "  rate –  ISI –")],
    }
}

fn key_hints<'a>(theme: &Theme, width: usize) -> Line<'a> {
    let hint = |p: u8, t: &'static str| Segment::new(p, vec![Span::styled(t, theme.dim())]);
    fit(
        width,
        vec![
            hint(10, "? help"),
            hint(9, "  Space pause"),
            hint(6, "  . step"),
            hint(5, "  ][ speed"),
            hint(5, "  z x zoom"),
            hint(4, "  t sweep"),
            hint(7, "  1-8 views"),
            hint(3, "  m model"),
            hint(8, "  a look at"),
            hint(6, "  o open"),
            hint(2, "  e export"),
            hint(9, "  q quit"),
        ],
    )
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
