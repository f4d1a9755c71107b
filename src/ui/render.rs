//! Rendering: a pure function of the app's state.
//!
//! ```text
//! ┌ title: spikescope ─ preset name ───────── model · neurons · view ┐
//! │ main area: the pane of the current view                           │
//! │   scope: traces (V / gates / currents or s) + raster              │
//! │   gates | rate | psc | activation | weights | phase | isi         │
//! ├ status ───────────────────────────────────────────────────────────┤
//! │ run state, t, speed, dt, window, sweep                            │
//! │ the input now, its next change                                    │
//! │ selected neuron: V, spikes, rate, ISI, G, gates, currents         │
//! │ a message for a while, or the key hints                           │
//! └───────────────────────────────────────────────────────────────────┘
//! ```

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::widgets::Paragraph;

use super::app::App;
use super::overlay;
use super::pane;
use super::status::{STATUS_HEIGHT, render_status, render_title};
use super::theme::{Theme, ascii_glyph};
use crate::view::Pane;

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
            Constraint::Length(STATUS_HEIGHT),
        ])
        .areas(area);
        render_title(frame, title, app, theme);
        match app.view.pane {
            Pane::Scope => pane::scope::render(frame, main, app, theme),
            Pane::Gates => pane::gates::render(frame, main, app, theme),
            Pane::Rate => pane::rate::render(frame, main, app, theme),
            Pane::Psc => pane::psc::render(frame, main, app, theme),
            Pane::Activation => pane::activation::render(frame, main, app, theme),
            Pane::Weights => pane::weights::render(frame, main, app, theme),
            Pane::Phase => pane::phase::render(frame, main, app, theme),
            Pane::Isi => pane::isi::render(frame, main, app, theme),
        }
        render_status(frame, status, app, theme);
        overlay::render(frame, area, main, app, theme);
    }
    if theme.ascii {
        to_ascii(frame.buffer_mut());
    }
}

pub(super) fn too_small(frame: &mut Frame, area: Rect) {
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
pub(super) fn to_ascii(buf: &mut Buffer) {
    for cell in buf.content.iter_mut() {
        if !cell.symbol().is_ascii() {
            let s = ascii_glyph(cell.symbol());
            cell.set_symbol(s);
        }
    }
}
