//! The status line's key row says what the keys do now, checked by doing
//! it: on the scope, under the opening guidance and in each overlay, the
//! keys the row says close (or cancel) do, and q does what the row says
//! (it said `q quit` where q closed the help and the guidance, and typed a
//! letter into a value).

mod common;

use common::press::{app, chars, press};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use spikescope::preset;
use spikescope::ui::app::{App, RunState};
use spikescope::ui::overlay::Overlay;

/// The key row as drawn: the screen's last line.
fn key_row(a: &App, (w, h): (u16, u16)) -> String {
    let rows = common::rows(a, w, h);
    rows.last().unwrap().trim_end().to_string()
}

/// The keys the row names before `word` (`Esc ? q close` -> Esc, ?, q).
fn keys_before(row: &str, word: &str) -> Vec<KeyCode> {
    let part = row
        .split("  ")
        .find(|p| p.ends_with(&format!(" {word}")))
        .unwrap_or_else(|| panic!("no `{word}` in `{row}`"));
    part.trim_end_matches(word)
        .split_whitespace()
        .map(|k| match k {
            "Esc" => KeyCode::Esc,
            "Enter" => KeyCode::Enter,
            c if c.chars().count() == 1 => KeyCode::Char(c.chars().next().unwrap()),
            other => panic!("a key the test does not know: {other}"),
        })
        .collect()
}

fn ctrl_c() -> KeyEvent {
    KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)
}

#[test]
fn q_is_said_as_it_acts_on_the_scope_and_under_the_opening_guidance() {
    let mut a = app("hh-repetitive");
    let row = key_row(&a, (80, 24));
    assert!(
        row.starts_with("? help  Space pause") && row.ends_with("q quit"),
        "{row}"
    );
    chars(&mut a, "q");
    assert_eq!(a.run, RunState::Quit);

    // The opening guidance: the scope's keys act through it, q only closes.
    let mut a = App::new(preset::load("hh-repetitive", &[]).unwrap());
    assert!(a.guide_shown());
    let row = key_row(&a, (80, 24));
    assert!(
        row.starts_with("? help  Space pause") && row.ends_with("q close"),
        "{row}"
    );
    chars(&mut a, "q");
    assert!(!a.guide_shown());
    assert_eq!(a.run, RunState::Running, "q closed the guidance only");
    assert!(key_row(&a, (80, 24)).ends_with("q quit"));
}

/// Each overlay as a user opens it: the row's closing keys close it, each
/// from a fresh opening, with the run going on; where the row does not
/// name q, q stays in the overlay (typed, or nothing); C-c, which every row
/// ends with, quits.
#[test]
fn every_overlay_row_names_the_keys_that_close_it() {
    let cases = [
        ("help", '?', "Esc ? q close  C-c quit"),
        ("guidance", 'a', "Esc a q close  C-c quit"),
        (
            "parameters",
            'p',
            "Up Down choose  Enter type a value  Esc p q close  C-c quit",
        ),
        ("input entry", '=', "Enter apply  Esc cancel  C-c quit"),
    ];
    for (name, open, expected) in cases {
        let opened = || {
            let mut a = app("hh-repetitive");
            press(&mut a, &[KeyCode::Char(open)]);
            assert_ne!(a.overlay, Overlay::None, "{name} opens");
            a
        };
        let row = key_row(&opened(), (80, 24));
        assert_eq!(row, expected, "{name}");
        let word = if row.contains(" close") {
            "close"
        } else {
            "cancel"
        };
        let closing = keys_before(&row, word);
        for &k in &closing {
            let mut a = opened();
            press(&mut a, &[k]);
            assert_eq!(a.overlay, Overlay::None, "{name}: {k:?} closes");
            assert_eq!(a.run, RunState::Running, "{name}: {k:?}");
        }
        if !closing.contains(&KeyCode::Char('q')) {
            let mut a = opened();
            chars(&mut a, "q");
            assert_ne!(a.overlay, Overlay::None, "{name}: q does not close");
            assert_eq!(a.run, RunState::Running, "{name}: nor quit");
        }
        let mut a = opened();
        a.on_key(ctrl_c());
        assert_eq!(a.run, RunState::Quit, "{name}: C-c quits");
    }
}

/// Typing in the parameters panel: Esc goes back to its rows, as the row
/// says, and q is typed.
#[test]
fn a_typed_value_says_esc_cancels_and_q_is_typed() {
    let mut a = app("hh-repetitive");
    press(&mut a, &[KeyCode::Char('p'), KeyCode::Enter]);
    assert_eq!(key_row(&a, (80, 24)), "Enter apply  Esc cancel  C-c quit");
    chars(&mut a, "q");
    assert!(
        matches!(&a.overlay, Overlay::Params { text: Some(t), .. } if t.ends_with('q')),
        "q typed: {:?}",
        a.overlay
    );
    press(&mut a, &[KeyCode::Esc]);
    assert!(matches!(a.overlay, Overlay::Params { text: None, .. }));
    assert!(key_row(&a, (80, 24)).starts_with("Up Down choose"));
}

/// The preset list has no key row: it covers the status line at any size
/// and says its keys in its border (were it to leave the row, the row
/// would need its keys).
#[test]
fn the_preset_list_covers_the_key_row() {
    let mut a = app("hh-repetitive");
    chars(&mut a, "o");
    for size in [(80, 24), (200, 50)] {
        let rows = common::rows(&a, size.0, size.1);
        let last = key_row(&a, size);
        assert!(
            last.trim_start().starts_with(['+', '└']),
            "{size:?}: {last}"
        );
        assert!(
            rows.iter()
                .any(|r| r.contains("Enter open") && r.contains("Esc close")),
            "{size:?}"
        );
    }
}
