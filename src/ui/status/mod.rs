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
//!
//! Here the title, the run line and the key hints; the input line in
//! input.rs, the neuron line in neuron.rs.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Color, Modifier};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::app::{App, Hold, RunState};
use super::format::{compact, duration, plural, significant, sim_time};
use super::lines::{Segment, fit};
use super::theme::Theme;
use super::words::{clip_words, wrap_words};
use crate::model::network::SpikeTiming;
use crate::model::{AnyModel, ModelKind};
use crate::named::Named;
use crate::view::TriggerMode;

mod input;
mod neuron;

use input::input_line;
use neuron::neuron_line;

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
        AnyModel::Rate(r) => r.name(i, compact),
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

/// The held single shot's spike (its time written by `time`), named by
/// its neuron where another is selected now: `spike at 1.5 s`, or `#0's
/// spike at 1.5 s` (the sweep drawn is the selected neuron's, around
/// another's spike).
pub fn held_spike(app: &App, time: impl Fn(f64) -> String, theme: &Theme) -> Option<String> {
    let (ts, neuron) = app.held_trigger()?;
    Some(if neuron == app.view.selected {
        format!("spike at {}", time(ts))
    } else {
        format!(
            "{}'s spike at {}",
            neuron_label(app, neuron, theme),
            time(ts)
        )
    })
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
    // Parameters changed in the panel are said beside the model, and so
    // are those the command line set, so no screen passes for the preset's
    // own (rate-tanh's name over a logistic set by --set).
    let last_part = |k: &str| k.trim().rsplit('.').next().unwrap_or(k).to_string();
    // A key given twice (the last one counts) is named once.
    let mut set: Vec<String> = Vec::new();
    for key in app
        .source
        .iter()
        .flat_map(|s| &s.overrides)
        .filter_map(|o| Some(last_part(o.split_once('=')?.0)))
    {
        if !set.contains(&key) {
            set.push(key);
        }
    }
    let changed: Vec<String> = app.changed.iter().map(|(k, _)| last_part(k)).collect();
    for (label, keys) in [(" · set: ", set), (" · changed: ", changed)] {
        if !keys.is_empty() {
            let text = format!("{label}{}", keys.join(", "));
            right_segments.insert(1, Segment::new(8, vec![Span::styled(text, theme.bold())]));
        }
    }
    // The preset's name first; the right side drops its parts to make room,
    // and only then is the name shortened. What the command line set and
    // the panel changed are kept before the name's tail, down to a name of
    // `NAME_FLOOR` characters: at 80 columns hh-repetitive's name stood
    // whole beside `changed: g_k` while the `set: temperature` the run
    // was started with had gone, a screen that passed for the preset's.
    const NAME_FLOOR: usize = 12;
    let fixed = " spikescope ─  ".chars().count();
    // A user's preset may name itself with symbols: spelled in ASCII.
    let name = theme.words(&app.preset.name).into_owned();
    // The model's name (priority 9) and the set and changed keys (8).
    let kept_w: usize = right_segments
        .iter()
        .filter(|s| s.priority >= 8)
        .map(Segment::width)
        .sum();
    let room_for_right = width.saturating_sub(fixed + name.chars().count());
    let room_beside_floor = width.saturating_sub(fixed + NAME_FLOOR.min(name.chars().count()));
    let model_w = right_segments[0].width();
    let right = fit(
        room_for_right
            .max(kept_w.min(room_beside_floor))
            .max(model_w),
        right_segments,
    );
    let room = width.saturating_sub(fixed + right.width());
    let name = if name.chars().count() > room {
        let ellipsis = theme.spelled("…", "...");
        let at_words = clip_words(&name, room, ellipsis);
        // Where a cut between words leaves much of the room empty (`HH...`
        // in sixteen columns), it falls inside a word, as far as the room
        // goes.
        if at_words.chars().count() + 4 < room {
            let keep = room.saturating_sub(ellipsis.chars().count());
            let head: String = name.chars().take(keep).collect();
            format!("{}{ellipsis}", head.trim_end())
        } else {
            at_words
        }
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
        key_hints(app, theme, width),
    ];
    // A message takes the last line for a while, and the ones above it
    // when it needs them (an export's two paths): wrapped, not cut. One of
    // four lines takes the run line too, for the while it shows (a
    // network's export of a window that no longer starts at 0, its span
    // said, ended `and 20480 spikes to` on three).
    if let Some(m) = &app.message {
        let style = if m.error { theme.error() } else { theme.bold() };
        let mut text = wrap_words(&m.text, width);
        let shown = text.len().min(lines.len());
        // Longer still (a path as long as the screen is wide), it says
        // where it is cut.
        if text.len() > shown {
            let rest = text[shown - 1..].join(" ");
            text[shown - 1] = clip_words(&rest, width, theme.spelled("…", "..."));
        }
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
        TriggerMode::Single => match held_spike(app, sim_time, theme) {
            Some(spike) => format!("  single: held, {spike}"),
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

/// The keys of what takes them now: an open overlay's (`Overlay::key_hints`,
/// the first kept longest), else the scope's. While the opening guidance
/// shows, the scope's keys close it and act, but q only closes it.
fn key_hints<'a>(app: &App, theme: &Theme, width: usize) -> Line<'a> {
    let hint = |p: u8, t: &'static str| Segment::new(p, vec![Span::styled(t, theme.dim())]);
    if let Some(overlay) = app.overlay.key_hints() {
        let last = overlay.len().saturating_sub(1);
        let segments = overlay.iter().enumerate().map(|(k, &t)| {
            // C-c quit, at the end, is kept with the first.
            let priority = if k == 0 || k == last { 10 } else { 9 - k as u8 };
            let gap = if k == 0 { "" } else { "  " };
            Segment::new(
                priority,
                vec![Span::styled(format!("{gap}{t}"), theme.dim())],
            )
        });
        return fit(width, segments.collect());
    }
    let q = if app.guide_shown() {
        "  q close"
    } else {
        "  q quit"
    };
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
            hint(9, q),
        ],
    )
}
