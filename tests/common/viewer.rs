//! `spikescope view`'s tests share: a viewer's screen without colour, a
//! key pressed, and network-abc's spikes written to a file.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use spikescope::ui::viewer::{Viewer, render};

/// The viewer drawn at w x h without colour.
pub fn screen(v: &Viewer, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| render(f, v, &super::NO_COLOR)).unwrap();
    t.backend().to_string()
}

pub fn key(v: &mut Viewer, code: KeyCode) {
    v.on_key(KeyEvent::new(code, KeyModifiers::NONE));
}

/// network-abc's spikes in a file: its folder, path and text.
pub fn abc() -> (tempfile::TempDir, std::path::PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("abc.csv");
    let out = super::run(&["run", "network-abc", "--spikes", path.to_str().unwrap()]);
    assert!(out.status.success());
    let text = std::fs::read_to_string(&path).unwrap();
    (dir, path, text)
}
