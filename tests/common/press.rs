//! Keys pressed on an app: the app of a bundled preset, a key, a sequence
//! of keys, a string typed, the bytes a terminal sends in one read.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use spikescope::preset;
use spikescope::ui::app::App;
use spikescope::ui::input::KeyParser;

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

/// The keys of `bytes` as the terminal's reader parses them from one read
/// (a lone Esc at the end counted as Esc, as after its wait).
pub fn read(app: &mut App, bytes: &[u8]) {
    let (mut parser, mut events) = (KeyParser::default(), Vec::new());
    parser.feed(bytes, &mut events);
    parser.flush_escape(&mut events);
    for e in events {
        match e {
            Event::Key(k) => app.on_key(k),
            other => panic!("not a key: {other:?}"),
        }
    }
}
