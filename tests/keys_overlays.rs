//! The opening guidance, the help and the other overlays, and what the
//! status line's key row says of their keys, checked by doing it: on the
//! scope, under the opening guidance and in each overlay, the keys the row
//! says close (or cancel) do, and q does what the row says (it said `q
//! quit` where q closed the help and the guidance, and typed a letter into
//! a value). The guidance's time, and the pages of a small screen.

mod common;

use common::press::{app, chars, press};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use spikescope::model::ModelKind;
use spikescope::preset;
use spikescope::ui::app::{App, RunState};
use spikescope::ui::overlay::Overlay;
use spikescope::view::Pane;
use std::time::Duration;

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
            "Up Down choose  Enter change  Esc p q close  C-c quit",
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

/// Messages time out; the opening guidance too, and any key closes it.
#[test]
fn messages_and_guidance_time_out() {
    let mut a = App::new(preset::load("hh-repetitive", &[]).unwrap());
    assert!(a.guide_shown());
    a.elapse(Duration::from_secs(5));
    assert!(a.guide_shown());
    a.elapse(Duration::from_secs(8));
    assert!(!a.guide_shown());
    press(&mut a, &[KeyCode::Tab]);
    assert!(a.message.is_some());
    a.elapse(Duration::from_secs(7));
    assert!(a.message.is_none(), "an info message goes after 6 s");
    let mut a = App::new(preset::load("hh-repetitive", &[]).unwrap());
    press(&mut a, &[KeyCode::Esc]);
    assert!(!a.guide_shown(), "Esc closes the guidance");
    assert_eq!(a.view.pane, Pane::Scope);
}

/// Any key closes the opening guidance and acts, so that keys pressed at
/// once work (`m` through the models, each opening its own guidance); Esc
/// and q only close it: a `q` pressed to close it ended the run. `a`
/// opens it whole; C-c quits as anywhere.
#[test]
fn q_closes_the_guidance_and_other_keys_act_through_it() {
    use spikescope::ui::app::RunState;
    let fresh = || App::new(preset::load("hh-repetitive", &[]).unwrap());
    let mut a = fresh();
    chars(&mut a, "q");
    assert!(!a.guide_shown(), "q closes the guidance");
    assert_eq!(a.run, RunState::Running, "and the run goes on");
    chars(&mut a, "q");
    assert_eq!(a.run, RunState::Quit, "pressed again, q quits");
    let mut a = fresh();
    let window = a.window_s();
    chars(&mut a, "x");
    assert!(!a.guide_shown(), "x closes the guidance");
    assert_eq!(a.window_s(), 2.0 * window, "and zooms out");
    let mut a = fresh();
    press(&mut a, &[KeyCode::Up]);
    assert_eq!(
        a.input_level(),
        11.0,
        "Up closes the guidance and raises J_in"
    );
    let mut a = fresh();
    chars(&mut a, "mm");
    assert_eq!(
        a.kind(),
        ModelKind::Network,
        "m, m: HH to LIF to the network"
    );
    let mut a = fresh();
    chars(&mut a, "a");
    assert_eq!(
        a.overlay,
        Overlay::Guide { page: 0 },
        "a opens the whole guidance"
    );
    let mut a = fresh();
    a.on_key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert_eq!(a.run, RunState::Quit, "C-c quits");
    let mut a = fresh();
    chars(&mut a, "?q");
    assert_eq!(a.overlay, Overlay::None, "q closes the help");
    assert_eq!(a.run, RunState::Running);
}

/// On a small screen (60x16) the help and the guidance come in pages that
/// Space (or ↓) turns, round: together the help's pages show every key and
/// the guidance's every line; ↑ turns back.
#[test]
fn help_and_guidance_turn_pages_on_a_small_screen() {
    use spikescope::ui::keymap::BINDINGS;
    let mut a = app("hh-repetitive");
    let screen = |a: &App| common::rows(a, 60, 16).join("\n");
    chars(&mut a, "?");
    let first = screen(&a);
    assert!(first.contains("keys 1/"), "{first}");
    let mut pages = vec![first.clone()];
    loop {
        chars(&mut a, " ");
        let next = screen(&a);
        if next == first {
            break;
        }
        assert!(pages.len() < 9, "the pages come round");
        pages.push(next);
    }
    assert!(pages.len() >= 2);
    for b in BINDINGS.iter().filter(|b| !b.label.is_empty()) {
        assert!(
            pages.iter().any(|p| p.contains(b.help)),
            "{:?} on no page",
            b.help
        );
    }
    press(&mut a, &[KeyCode::Up]);
    assert_eq!(&screen(&a), pages.last().unwrap(), "↑ turns back");
    press(&mut a, &[KeyCode::Esc]);
    assert_eq!(a.overlay, Overlay::None);
    // The guidance of every bundled preset, and of a preset file whose
    // comment block is longer than the screen: its words, page after page,
    // are the whole text.
    let dir = tempfile::tempdir().unwrap();
    let long = dir.path().join("long.toml");
    let comment: String = (1..=40)
        .map(|k| format!("# Line {k} of a long guide.\n"))
        .collect();
    std::fs::write(
        &long,
        format!("{comment}name = \"long\"\nmodel = \"lif\"\n"),
    )
    .unwrap();
    let names: Vec<String> = preset::bundled::names()
        .map(str::to_string)
        .chain([long.to_str().unwrap().to_string()])
        .collect();
    let mut paged = 0;
    for name in &names {
        let mut a = App::from_source(preset::PresetSource::resolve(name, &[]).unwrap()).unwrap();
        a.guide_until = None;
        chars(&mut a, "a");
        let first = screen(&a);
        let mut words = String::new();
        let mut pages = 0;
        loop {
            let text = screen(&a);
            if pages > 0 && text == first {
                break;
            }
            let inside = text
                .lines()
                .skip_while(|l| !l.starts_with("┌ look at:"))
                .skip(1)
                .take_while(|l| !l.starts_with('└'));
            for line in inside {
                let line = line.trim_matches('│').trim();
                if !line.contains("Space: more") && !line.contains("Esc closes") {
                    words.push_str(line);
                    words.push(' ');
                }
            }
            pages += 1;
            assert!(pages < 9, "{name}: the pages come round");
            chars(&mut a, " ");
        }
        paged += usize::from(pages > 1);
        let want: Vec<&str> = a.preset.guide.split_whitespace().collect();
        let got: Vec<&str> = words.split_whitespace().collect();
        assert_eq!(got, want, "{name}");
    }
    assert_eq!(paged, 1, "only the long guide needs pages at 60x16");
}
