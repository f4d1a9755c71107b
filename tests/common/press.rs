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

/// Keys, then, once the loop would wait, `q`; each wait it asked for is
/// kept.
pub struct Keys {
    pub keys: Vec<char>,
    pub waits: Vec<Option<std::time::Duration>>,
}

impl spikescope::ui::EventSource for Keys {
    fn next(
        &mut self,
        timeout: Option<std::time::Duration>,
    ) -> std::io::Result<Option<crossterm::event::Event>> {
        use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
        let key = |c| Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        self.waits.push(timeout);
        if !self.keys.is_empty() {
            return Ok(Some(key(self.keys.remove(0))));
        }
        let waits = timeout.is_none_or(|t| t > std::time::Duration::from_millis(50));
        Ok(waits.then(|| key('q')))
    }
}
