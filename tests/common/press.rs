//! Keys pressed on an app: the app of a bundled preset, a key, a sequence
//! of keys, a string typed.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use spikescope::preset;
use spikescope::ui::app::App;

/// A bundled preset's app, its guidance closed.
pub fn app(name: &str) -> App {
    let mut a = App::new(preset::load(name, &[]).unwrap());
    a.guide_until = None;
    a
}

pub fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

pub fn press(app: &mut App, keys: &[KeyCode]) {
    for &k in keys {
        app.on_key(key(k));
    }
}

pub fn chars(app: &mut App, s: &str) {
    for c in s.chars() {
        app.on_key(key(KeyCode::Char(c)));
    }
}
