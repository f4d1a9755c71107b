//! Rendering: a pure function of the app's state.
//!
//! ```text
//! ┌ title: spikescope ─ preset name ───────────────── model ─┐
//! │ main area: the pane of the current view                   │
//! │   scope: traces (V / gates / currents or s) + raster      │
//! │   gates | rate | psc | activation | weights               │
//! ├ status: run state, t, speed, input ───────────────────────┤
//! │ selected neuron: spikes, rate, ISI (G) │ window, trigger   │
//! │ message or key hints                                       │
//! └────────────────────────────────────────────────────────────┘
//! ```

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::app::{App, EntryFor, Message, Overlay, fine_step, input_label};
use super::command::Pane;
use super::keymap::bindings;
use super::pane;
use super::theme::{Theme, ascii_glyph};
use crate::model::ModelKind;
use crate::model::network::SpikeTiming;
use crate::preset::{bundled, time::format_time};

/// Smallest screen the layout needs; below it a single line says so.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// Draws the whole screen.
pub fn render(frame: &mut Frame, app: &App, theme: &Theme) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, area);
    } else {
        let [title, main, status] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(6),
            Constraint::Length(4),
        ])
        .areas(area);
        render_title(frame, title, app, theme);
        match app.pane {
            Pane::Scope => pane::scope::render(frame, main, app, theme),
            Pane::Gates => pane::curves::gates(frame, main, app, theme),
            Pane::Rate => pane::curves::rate_curve(frame, main, app, theme),
            Pane::Psc => pane::curves::psc(frame, main, app, theme),
            Pane::Activation => pane::curves::activations(frame, main, app, theme),
            Pane::Weights => pane::weights::render(frame, main, app, theme),
        }
        render_status(frame, status, app, theme);
        match &app.overlay {
            Overlay::None => {}
            Overlay::Help => help(frame, main, theme),
            Overlay::Picker { index, path } => picker(frame, main, *index, path.as_deref(), theme),
            Overlay::Entry { text, sets } => entry(frame, main, app, text, *sets, theme),
        }
    }
    if theme.ascii {
        to_ascii(frame.buffer_mut());
    }
}

fn too_small(frame: &mut Frame, area: Rect) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    // The longest form that fits the width.
    let text = [
        format!(
            "spikescope needs {MIN_WIDTH}x{MIN_HEIGHT} (now {}x{})",
            area.width, area.height
        ),
        format!(
            "need {MIN_WIDTH}x{MIN_HEIGHT} (now {}x{})",
            area.width, area.height
        ),
        format!("need {MIN_WIDTH}x{MIN_HEIGHT}"),
    ]
    .into_iter()
    .find(|t| t.len() <= area.width as usize)
    .unwrap_or_else(|| "small".into());
    let y = area.y + area.height / 2;
    let line = Rect::new(area.x, y, area.width, 1);
    frame.render_widget(Paragraph::new(text).alignment(Alignment::Center), line);
}

/// Replaces every non-ASCII glyph in the buffer with an ASCII stand-in.
fn to_ascii(buf: &mut Buffer) {
    for cell in buf.content.iter_mut() {
        if !cell.symbol().is_ascii() {
            let s = ascii_glyph(cell.symbol());
            cell.set_symbol(s);
        }
    }
}

fn model_label(kind: ModelKind) -> &'static str {
    match kind {
        ModelKind::Hh => "Hodgkin-Huxley",
        ModelKind::Lif => "LIF",
        ModelKind::Network => "LIF network",
        ModelKind::Rate => "rate network",
        ModelKind::Synapse => "PSC filters",
    }
}

fn render_title(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let left = Line::from(vec![
        Span::styled(" spikescope ", theme.bold()),
        Span::raw("─ "),
        Span::styled(app.scenario.name.clone(), theme.bold()),
        Span::raw(" "),
    ]);
    // Grid timing (Brian2's clock-driven step) said where it applies: its
    // spikes sit on the step grid, not at their crossings.
    let grid = matches!(
        &app.sim.model,
        crate::model::AnyModel::Network(n) if n.params.spike_timing == SpikeTiming::Grid
    );
    let right = Line::from(vec![Span::raw(format!(
        " {}{} · {} neuron{} · view {} ",
        model_label(app.kind()),
        if grid { " (grid timing)" } else { "" },
        app.neuron_count(),
        if app.neuron_count() == 1 { "" } else { "s" },
        app.pane.name()
    ))])
    .alignment(Alignment::Right);
    frame.render_widget(Paragraph::new(left), area);
    frame.render_widget(Paragraph::new(right), area);
}

/// A number without trailing zeros (up to 4 significant digits): 0.05, 1, 0.1.
pub fn compact(x: f64) -> String {
    let s = sig4(x);
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A number with 4 significant digits, for the status line.
pub fn sig4(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let digits = (3 - x.abs().log10().floor() as i32).clamp(0, 6) as usize;
    format!("{x:.digits$}")
}

fn render_status(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let block = Block::default()
        .borders(ratatui::widgets::Borders::TOP)
        .border_style(theme.dim());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let kind = app.kind();
    let (name, unit) = input_label(&app.sim);
    let state = if app.unstable.is_some() {
        Span::styled("■ UNSTABLE", theme.error())
    } else if app.running {
        Span::styled(
            "▶ RUN",
            theme
                .fg(ratatui::style::Color::Green)
                .add_modifier(ratatui::style::Modifier::BOLD),
        )
    } else {
        Span::styled(
            "‖ PAUSED",
            theme
                .bold()
                .add_modifier(ratatui::style::Modifier::REVERSED),
        )
    };
    let fine = fine_step(kind);
    // The achieved speed to two significant digits, so it does not flicker.
    let speed = if app.running && app.clock.achieved > 0.0 {
        let a = app.clock.achieved;
        let digits = (1 - a.log10().floor() as i32).max(0) as usize;
        format!("×{} (got ×{a:.digits$})", compact(app.clock.speed))
    } else {
        format!("×{}", compact(app.clock.speed))
    };
    let width = inner.width as usize;
    let mut line1 = vec![
        state,
        Span::raw(format!(
            "  t = {} ms  {speed}  dt {}",
            fmt_fixed(app.sim.time_s() * 1e3, 2),
            format_time(app.sim.dt_s())
        )),
        Span::styled(
            format!(
                "  window {}  trigger {}",
                format_time(app.window_s),
                app.trigger.name()
            ),
            theme.dim(),
        ),
    ];
    let hint = format!(
        "  │ ↑↓ ±{} ←→ ±{} = type",
        compact(10.0 * fine),
        compact(fine)
    );
    if Line::from(line1.clone()).width() + hint.chars().count() <= width {
        line1.push(Span::styled(hint, theme.dim()));
    }
    let i = app.selected;
    let neuron_name = neuron_name(app, i);
    let mut stats = vec![
        Span::styled(
            format!("{name} = {} {unit}", sig4(app.input_level()))
                .trim_end()
                .to_string(),
            theme.bold(),
        ),
        Span::raw(" │ "),
        Span::styled(
            format!("#{i} {neuron_name}").trim_end().to_string() + ":",
            theme.bold(),
        ),
    ];
    if kind == ModelKind::Synapse {
        if let crate::model::AnyModel::Synapse(b) = &app.sim.model {
            stats.push(Span::raw(format!(" input spikes {}", app.stats.count[0])));
            for (name, f) in b.names.iter().zip(&b.filters).take(4) {
                stats.push(Span::raw(format!("  {name} {}", sig4(f.output()))));
            }
        }
    } else if kind == ModelKind::Rate {
        if let crate::model::AnyModel::Rate(r) = &app.sim.model {
            stats.push(Span::raw(format!(
                " y {}  z {}",
                sig4(r.y[i]),
                sig4(r.z[i])
            )));
        }
    } else {
        let count = app.stats.count[i];
        stats.push(Span::raw(format!(" spikes {count}")));
        match app.stats.last_isi(i) {
            Some(isi) => stats.push(Span::raw(format!(
                "  rate {} Hz  ISI {} ms",
                sig4(1.0 / isi),
                sig4(isi * 1e3)
            ))),
            None => stats.push(Span::raw("  rate –  ISI –")),
        }
        if let Some(g) = app.analytic_rate() {
            let arg = if kind == ModelKind::Network {
                "b+x"
            } else {
                "v_in"
            };
            stats.push(Span::styled(
                format!("  G({arg}) {} Hz", sig4(g)),
                theme.fg(ratatui::style::Color::Cyan),
            ));
        }
        if let Some(b) = app.selected_bias() {
            stats.push(Span::raw(format!("  bias {}", sig4(b))));
        }
    }
    let line3 = match &app.message {
        Some(Message::Info(m)) => Line::from(Span::raw(m.clone())),
        Some(Message::Error(m)) => Line::from(Span::styled(m.clone(), theme.error())),
        None => Line::from(Span::styled(
            if width >= 104 {
                "? help  Space pause  . step  ][ speed  z x zoom  t trigger  1-6 views  m model  o open  e export  q quit"
            } else {
                "? help  Space pause  . step  ][ speed  z x zoom  1-6 views  o open  q quit"
            },
            theme.dim(),
        )),
    };
    let line1 = Line::from(line1);
    frame.render_widget(Paragraph::new(vec![line1, Line::from(stats), line3]), inner);
}

/// The name of neuron i for networks (empty when it is just its index).
pub fn neuron_name(app: &App, i: usize) -> String {
    let name: String = match &app.sim.model {
        crate::model::AnyModel::Network(n) => n.names[i].clone(),
        crate::model::AnyModel::Rate(r) => r.names[i].clone(),
        crate::model::AnyModel::Synapse(_) => "input".into(),
        _ => String::new(),
    };
    if name == i.to_string() {
        String::new()
    } else {
        name
    }
}

/// A fixed-point number without a negative zero.
pub fn fmt_fixed(x: f64, decimals: usize) -> String {
    let s = format!("{x:.decimals$}");
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s
    }
}

/// A centred box of at most `w` x `h` inside `area`.
fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// The help overlay's width: two columns of `HELP_KEYS_WIDTH` + `HELP_TEXT_WIDTH`
/// and the border (a test checks every binding fits).
pub const HELP_KEYS_WIDTH: usize = 9;
pub const HELP_TEXT_WIDTH: usize = 40;

fn help(frame: &mut Frame, area: Rect, theme: &Theme) {
    let rows: Vec<Line> = bindings()
        .iter()
        .filter(|b| !b.keys.is_empty())
        .map(|b| {
            Line::from(vec![
                Span::styled(
                    format!(" {:<w$}", b.keys, w = HELP_KEYS_WIDTH - 1),
                    theme.bold(),
                ),
                Span::raw(b.help),
            ])
        })
        .collect();
    let half = rows.len().div_ceil(2);
    let h = (half as u16 + 2).min(area.height);
    let w = 2 * (HELP_KEYS_WIDTH + HELP_TEXT_WIDTH) as u16 + 2;
    let r = centered(area, area.width.min(w), h);
    frame.render_widget(Clear, r);
    let block = Block::bordered().title(" keys (Esc or ? closes) ");
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let [a, b] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(inner);
    frame.render_widget(Paragraph::new(rows[..half].to_vec()), a);
    frame.render_widget(Paragraph::new(rows[half..].to_vec()), b);
}

fn picker(frame: &mut Frame, area: Rect, index: usize, path: Option<&str>, theme: &Theme) {
    let mut lines: Vec<Line> = bundled::BUNDLED
        .iter()
        .enumerate()
        .map(|(k, (name, text))| {
            let description = crate::preset::parse(name, text)
                .map(|s| s.description)
                .unwrap_or_default();
            let style = if k == index && path.is_none() {
                theme.selected()
            } else {
                ratatui::style::Style::new()
            };
            Line::from(vec![
                Span::styled(
                    format!(" {name:<22}"),
                    style.add_modifier(ratatui::style::Modifier::BOLD),
                ),
                Span::styled(format!(" {description}"), style),
            ])
        })
        .collect();
    lines.push(Line::raw(""));
    lines.push(match path {
        Some(p) => Line::from(vec![
            Span::styled(" path: ", theme.bold()),
            Span::styled(format!("{p}_"), theme.selected()),
            Span::styled("  (Enter opens, Esc back)", theme.dim()),
        ]),
        None => Line::styled(
            " ↑↓ choose  Enter open  / type a path  Esc close",
            theme.dim(),
        ),
    });
    let h = (lines.len() as u16 + 2).min(area.height);
    let r = centered(area, area.width.min(110), h);
    // Scroll so the chosen line stays in view, the hint line last.
    let visible = r.height.saturating_sub(2) as usize;
    let scroll = if lines.len() > visible {
        index
            .saturating_sub(visible.saturating_sub(3))
            .min(lines.len() - visible)
    } else {
        0
    };
    frame.render_widget(Clear, r);
    frame.render_widget(
        Paragraph::new(lines)
            .block(Block::bordered().title(" open a preset "))
            .scroll((scroll as u16, 0)),
        r,
    );
}

fn entry(frame: &mut Frame, area: Rect, app: &App, text: &str, sets: EntryFor, theme: &Theme) {
    let (prompt, unit, title) = match sets {
        EntryFor::Input => {
            let (name, unit) = input_label(&app.sim);
            (
                format!(" {name} = "),
                format!(" {unit}"),
                " type a value, Enter applies, Esc cancels ",
            )
        }
        EntryFor::Neuron => (
            format!(" neuron # (0-{}): ", app.neuron_count() - 1),
            String::new(),
            " go to a neuron, Enter selects, Esc cancels ",
        ),
    };
    let r = centered(area, 50, 3);
    frame.render_widget(Clear, r);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::raw(prompt),
            Span::styled(format!("{text}_"), theme.selected()),
            Span::raw(unit),
        ]))
        .block(Block::bordered().title(title)),
        r,
    );
}
