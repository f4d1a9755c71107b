//! The preset picker (`o`) as a user drives it: a bundled name chosen from
//! the list or by typing, a path typed and completed by Tab, a bad path
//! named while the simulation goes on. Other keys that type: keys_entry.rs.

mod common;

use common::press::{Keys, app, chars, press};

use crossterm::event::KeyCode;
use spikescope::model::ModelKind;
use spikescope::preset;
use spikescope::ui::app::App;
use spikescope::ui::overlay::Overlay;

/// A failed open keeps the running simulation and shows the whole error in
/// the picker, which stays open; a path typed into the list begins with its
/// first character (`/`, `~`), and `~` is the home directory.
#[test]
fn picker_opens_a_preset_and_a_bad_path_keeps_the_simulation() {
    let mut a = app("hh-repetitive");
    chars(&mut a, "o");
    let index = spikescope::preset::bundled::names()
        .position(|n| n == "lif-constant")
        .unwrap();
    press(&mut a, &vec![KeyCode::Down; index]);
    press(&mut a, &[KeyCode::Enter]);
    assert_eq!(a.kind(), ModelKind::Lif);
    assert_eq!(a.preset.origin, "lif-constant");
    // The list opens on the preset open now, and moves by pages and to its
    // ends (31 presets, 11 rows at 60x16).
    let count = spikescope::preset::bundled::names().count();
    let at = |a: &App| match &a.overlay {
        Overlay::Picker { index, .. } => *index,
        o => panic!("{o:?}"),
    };
    chars(&mut a, "o");
    assert_eq!(at(&a), index);
    press(&mut a, &[KeyCode::End]);
    assert_eq!(at(&a), count - 1);
    press(&mut a, &[KeyCode::PageUp]);
    assert_eq!(at(&a), count - 11);
    press(&mut a, &[KeyCode::Home, KeyCode::PageDown]);
    assert_eq!(at(&a), 10);
    press(&mut a, &[KeyCode::Esc]);
    a.advance(10);
    // A path typed into the list starts with what is typed: its `/` too.
    chars(&mut a, "o/no/such/file.toml");
    match &a.overlay {
        Overlay::Picker { path: Some(p), .. } => assert_eq!(p, "/no/such/file.toml"),
        o => panic!("{o:?}"),
    }
    press(&mut a, &[KeyCode::Enter]);
    assert_eq!(a.kind(), ModelKind::Lif);
    assert_eq!(a.sim.step_index(), 10, "the running simulation is kept");
    match &a.overlay {
        Overlay::Picker { error: Some(e), .. } => assert!(e.contains("/no/such/file.toml"), "{e}"),
        o => panic!("{o:?}"),
    }
    let home = tempfile::tempdir().unwrap();
    let preset = home.path().join("mine.toml");
    std::fs::write(&preset, "model = \"lif\"\n").unwrap();
    // SAFETY: no other thread of this test reads HOME.
    unsafe { std::env::set_var("HOME", home.path()) };
    press(&mut a, &[KeyCode::Esc]);
    chars(&mut a, "~/mine.toml");
    press(&mut a, &[KeyCode::Enter]);
    assert_eq!(a.preset.origin, preset.display().to_string());
}

/// Tab in a typed path completes it as a shell does: as far as the names
/// agree, listing them when several fit; then to the one left, which opens.
#[test]
fn tab_completes_a_typed_path() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["ei-one.toml", "ei-two.toml"] {
        std::fs::write(dir.path().join(name), "model = \"lif\"\n").unwrap();
    }
    let folder = dir.path().to_str().unwrap().to_string();
    let mut a = app("hh-repetitive");
    chars(&mut a, &format!("o{folder}/e"));
    press(&mut a, &[KeyCode::Tab]);
    match &a.overlay {
        Overlay::Picker { path: Some(p), .. } => assert_eq!(p, &format!("{folder}/ei-")),
        o => panic!("{o:?}"),
    }
    let screen = common::rows(&a, 80, 24).join("\n");
    assert!(
        screen.contains("2 fit: ei-one.toml, ei-two.toml"),
        "{screen}"
    );
    // At 60 columns the hints wrap between hints, none cut by the border.
    let screen = common::rows(&a, 60, 16).join("\n");
    assert!(screen.contains("│ ~ is your home "), "{screen}");
    chars(&mut a, "t");
    press(&mut a, &[KeyCode::Tab]);
    let screen = common::rows(&a, 80, 24).join("\n");
    assert!(
        !screen.contains(" fit: "),
        "typing on clears the list:\n{screen}"
    );
    assert!(screen.contains("/ei-two.toml_"), "{screen}");
    press(&mut a, &[KeyCode::Enter]);
    assert_eq!(a.kind(), ModelKind::Lif);
    assert_eq!(a.preset.origin, format!("{folder}/ei-two.toml"));
}

/// What is typed into the preset list chooses among the names (`rate-s`:
/// rate-softmax; Backspace takes a letter back; Enter opens it), and what
/// no name starts with is typed whole as a path (`mine.toml` lost its
/// letters to the list, opening `.toml`); j, k and q move and close, but
/// inside a name they are letters of it.
#[test]
fn typing_in_the_list_chooses_a_name_or_begins_a_path() {
    let names: Vec<&str> = preset::bundled::names().collect();
    let first = |start: &str| names.iter().position(|n| n.starts_with(start)).unwrap();
    let chosen = |a: &App| match &a.overlay {
        Overlay::Picker {
            index,
            typed,
            path: None,
            ..
        } => (names[*index], typed.clone()),
        o => panic!("{o:?}"),
    };
    let mut a = app("hh-repetitive");
    chars(&mut a, "orate-s");
    assert_eq!(chosen(&a), ("rate-softmax", "rate-s".to_string()));
    let screen = common::rows(&a, 80, 24).join("\n");
    assert!(screen.contains(" name: rate-s_ · Enter open"), "{screen}");
    press(&mut a, &[KeyCode::Backspace, KeyCode::Backspace]);
    assert_eq!(chosen(&a), (names[first("rate")], "rate".to_string()));
    chars(&mut a, "-t");
    assert_eq!(chosen(&a), (names[first("rate-t")], "rate-t".to_string()));
    press(&mut a, &[KeyCode::Enter]);
    assert_eq!(a.preset.origin, names[first("rate-t")]);
    // The arrows, and j and k, move from there and forget the name typed.
    chars(&mut a, "ohh-b");
    assert_eq!(chosen(&a), ("hh-block", "hh-b".to_string()));
    press(&mut a, &[KeyCode::Down]);
    assert_eq!(chosen(&a).1, "");
    chars(&mut a, "kk");
    assert_eq!(chosen(&a).0, names[first("hh-b") - 1]);
    // A name no preset has is a path, typed whole; inside a name, q is a
    // letter (`hh-q`), and on its own it closes the list.
    press(&mut a, &[KeyCode::Esc]);
    for typed in ["mine.toml", "hh-q.toml"] {
        chars(&mut a, &format!("o{typed}"));
        match &a.overlay {
            Overlay::Picker { path: Some(p), .. } => assert_eq!(p, typed),
            o => panic!("{o:?}"),
        }
        press(&mut a, &[KeyCode::Enter]);
        match &a.overlay {
            Overlay::Picker { error: Some(e), .. } => assert!(e.contains(typed), "{e}"),
            o => panic!("{o:?}"),
        }
        press(&mut a, &[KeyCode::Esc, KeyCode::Esc]);
        assert_eq!(a.overlay, Overlay::None);
    }
    chars(&mut a, "oq");
    assert_eq!(a.overlay, Overlay::None);
}

/// In the oscilloscope's loop an open waits for a frame that says so
/// (building a large network takes seconds), then happens: `m` from HH
/// draws "opening lif-constant..." over the HH run, and the LIF follows.
/// Without the loop (the tests above, a replay) an open is at once.
#[test]
fn the_loop_says_what_is_opening_before_it_opens() {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    let mut a = app("hh-repetitive");
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let mut keys = Keys {
        keys: vec!['m'],
        waits: Vec::new(),
    };
    let opts = spikescope::ui::LoopOptions {
        fps: 30,
        frames: Some(2),
        panic_after_first_frame: false,
        suspend: None,
    };
    spikescope::ui::run_app(&mut t, &mut a, &mut keys, &common::NO_COLOR, opts).unwrap();
    let shown = t.backend().to_string();
    assert!(shown.contains("opening lif-constant..."), "{shown}");
    assert!(shown.contains("HH: repetitive firing"), "{shown}");
    assert_eq!(a.kind(), ModelKind::Hh);
    assert!(a.open_due());
    a.open_pending();
    assert_eq!(a.kind(), ModelKind::Lif);
    assert!(!a.open_due());
    assert_eq!(a.message.as_ref().unwrap().text, "opened lif-constant");
    // What comes from the loop keeps the wait: the next `m` waits again.
    a.apply(spikescope::ui::command::Command::SwitchModel);
    assert!(a.open_due());
    assert_eq!(a.kind(), ModelKind::Lif);
    // A path that cannot be read is said at once, in the picker: nothing
    // waits, and the simulation goes on.
    a.open_pending();
    chars(&mut a, "o/no/such.toml");
    press(&mut a, &[KeyCode::Enter]);
    assert!(!a.open_due());
    let Overlay::Picker { error, .. } = &a.overlay else {
        panic!("the picker stays open")
    };
    assert!(
        error
            .as_ref()
            .unwrap()
            .starts_with("/no/such.toml: no such file")
    );
    assert_eq!(a.kind(), ModelKind::Network);
    // A file that is read, then fails to load, fails when the open is
    // made: its "opening ..." goes, and the picker says what is wrong.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "model = \"lif\"\n[lif]\ntau_m = \"fast\"\n").unwrap();
    press(&mut a, &[KeyCode::Esc]);
    chars(&mut a, &bad.display().to_string());
    press(&mut a, &[KeyCode::Enter]);
    assert_eq!(
        a.message.as_ref().unwrap().text,
        format!("opening {}...", bad.display())
    );
    a.open_pending();
    assert!(a.message.is_none(), "{:?}", a.message);
    let Overlay::Picker { error, .. } = &a.overlay else {
        panic!("the picker stays open")
    };
    let error = error.as_ref().unwrap();
    assert!(
        error.starts_with(&format!("{}:3:", bad.display())) && error.contains("tau_m"),
        "{error}"
    );
    assert_eq!(a.kind(), ModelKind::Network);
}
