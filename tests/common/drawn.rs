//! Screens drawn from a bundled preset's app: advanced and paused, drawn
//! on a TestBackend at a size in a theme, read as text or as rows.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use spikescope::preset;
use spikescope::ui::app::{App, RunState};
use spikescope::ui::render::render;
use spikescope::ui::theme::{ColorDepth, Theme};

pub fn app(name: &str, steps: u64) -> App {
    let mut a = App::new(preset::load(name, &[]).unwrap());
    a.guide_until = None;
    a.advance(steps);
    a.run = RunState::Paused;
    a
}

pub fn draw(a: &App, w: u16, h: u16, theme: &Theme) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| render(f, a, theme)).unwrap();
    t
}

pub fn screen(a: &App, w: u16, h: u16) -> String {
    draw(a, w, h, &Theme::default()).backend().to_string()
}

pub const NO_COLOR: Theme = Theme {
    color: false,
    depth: ColorDepth::None,
    ascii: false,
};

/// The rows of a rendered screen, one string per row.
pub fn rows_with(a: &App, w: u16, h: u16, theme: &Theme) -> Vec<String> {
    let t = draw(a, w, h, theme);
    let buf = t.backend().buffer();
    (0..h)
        .map(|y| (0..w).map(|x| buf[(x, y)].symbol().to_string()).collect())
        .collect()
}

/// The rows of the screen at 80x24 in ASCII without colour.
pub fn ascii_rows(a: &App) -> Vec<String> {
    rows_with(
        a,
        80,
        24,
        &Theme {
            ascii: true,
            ..NO_COLOR
        },
    )
}

pub fn rows(a: &App, w: u16, h: u16) -> Vec<String> {
    rows_with(a, w, h, &Theme::default())
}

/// The picker with a typed path longer than its line (twenty folders deep),
/// whose end, where the typing is, must show.
pub fn long_path_picker() -> spikescope::ui::overlay::Overlay {
    spikescope::ui::overlay::Overlay::Picker {
        index: 0,
        typed: String::new(),
        path: Some(format!("/tmp/{}end-of-it.toml", "folder/".repeat(20))),
        error: None,
        note: None,
    }
}
