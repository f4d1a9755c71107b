//! Keys that open something or type into it, as sequences of events
//! against the app's state: a neuron's number and an exact input typed,
//! export, switching models, the quit line. The picker and its paths:
//! keys_picker.rs; the help, the guidance and the key row:
//! keys_overlays.rs.
#![allow(clippy::disallowed_methods)] // the platform's functions: an independent check

mod common;

use common::message;
use common::press::{app, chars, press};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use spikescope::model::{AnyModel, ModelKind};
use spikescope::preset;
use spikescope::ui::app::App;
use spikescope::ui::overlay::{EntryFor, Overlay};

#[test]
fn going_to_a_neuron_by_its_number() {
    let mut a = app("network-benchmark");
    chars(&mut a, "g");
    assert!(matches!(
        a.overlay,
        Overlay::Entry {
            sets: EntryFor::Neuron { count: 1000 },
            ..
        }
    ));
    chars(&mut a, "537");
    press(&mut a, &[KeyCode::Enter]);
    assert_eq!(a.view.selected, 537);
    assert_eq!(a.overlay, Overlay::None);
    chars(&mut a, "g5x3");
    press(&mut a, &[KeyCode::Enter]);
    assert_eq!(a.view.selected, 537, "not a number changes nothing");
    match &a.overlay {
        Overlay::Entry { error: Some(e), .. } => assert!(e.starts_with("\"5x3\""), "{e}"),
        o => panic!("the entry stays open with the complaint: {o:?}"),
    }
    press(&mut a, &[KeyCode::Esc]);
    chars(&mut a, "g1000");
    press(&mut a, &[KeyCode::Enter]);
    assert_eq!(a.view.selected, 537, "past the last neuron changes nothing");
    // Refused in the entry, which stays open to mend the number.
    match &a.overlay {
        Overlay::Entry { error: Some(e), .. } => {
            assert_eq!(e, "no neuron 1000: neurons are numbered 0 to 999")
        }
        o => panic!("the entry stays open with the complaint: {o:?}"),
    }
    press(&mut a, &[KeyCode::Esc]);
    chars(&mut a, "g999");
    press(&mut a, &[KeyCode::Backspace]);
    press(&mut a, &[KeyCode::Enter]);
    assert_eq!(a.view.selected, 99);
    chars(&mut a, "g5");
    press(&mut a, &[KeyCode::Esc]);
    assert_eq!(a.view.selected, 99, "Esc cancels");
    press(&mut a, &[KeyCode::Tab]);
    assert_eq!(a.view.selected, 100);
}

/// Typed values are taken as typed or refused with the user's own text: a
/// decimal comma is a decimal point, hex and words are not numbers, and an
/// HH current the integrator cannot hold at this dt is refused before it
/// blows up.
#[test]
fn typing_an_exact_value() {
    let mut a = app("hh-repetitive");
    chars(&mut a, "=");
    assert!(matches!(
        a.overlay,
        Overlay::Entry {
            sets: EntryFor::Input,
            ..
        }
    ));
    chars(&mut a, "6.25");
    press(&mut a, &[KeyCode::Enter]);
    assert_eq!(a.input_level(), 6.25);
    assert_eq!(a.overlay, Overlay::None);
    chars(&mut a, "=1,5");
    press(&mut a, &[KeyCode::Enter]);
    assert_eq!(a.input_level(), 1.5, "a decimal comma");
    for bad in ["0x10", "abc", "--", "1,5,2"] {
        chars(&mut a, "i");
        chars(&mut a, bad);
        press(&mut a, &[KeyCode::Enter]);
        assert_eq!(a.input_level(), 1.5, "{bad} changes nothing");
        match &a.overlay {
            Overlay::Entry { error: Some(e), .. } => {
                assert!(e.starts_with(&format!("\"{bad}\" is not a number")), "{e}")
            }
            o => panic!("{bad}: {o:?}"),
        }
        press(&mut a, &[KeyCode::Esc]);
    }
    chars(&mut a, "=1e300");
    press(&mut a, &[KeyCode::Enter]);
    assert_eq!(a.input_level(), 1.5, "outside the stable range");
    assert!(message(&a).contains("outside"), "{}", message(&a));
    chars(&mut a, "=-50");
    press(&mut a, &[KeyCode::Enter]);
    assert_eq!(a.input_level(), 1.5, "-50 µA/cm² blows up at 50 µs");
    chars(&mut a, "=9");
    press(&mut a, &[KeyCode::Esc]);
    assert_eq!(a.input_level(), 1.5, "Esc cancels");
    // The unit the entry shows may follow the number, as shown or in ASCII;
    // another unit is refused, naming the one expected.
    for (typed, level) in [("12 µA/cm²", 12.0), ("13uA/cm2", 13.0)] {
        chars(&mut a, "=");
        chars(&mut a, typed);
        press(&mut a, &[KeyCode::Enter]);
        assert_eq!(a.input_level(), level, "{typed}");
    }
    chars(&mut a, "=14 mV");
    press(&mut a, &[KeyCode::Enter]);
    match &a.overlay {
        Overlay::Entry { error: Some(e), .. } => {
            assert_eq!(
                e,
                "\"14 mV\": the value is in µA/cm², not mV: type 14 or 14 µA/cm²"
            )
        }
        o => panic!("14 mV: {o:?}"),
    }
    press(&mut a, &[KeyCode::Esc]);
    assert_eq!(a.input_level(), 13.0);
    chars(&mut a, "=1.5");
    press(&mut a, &[KeyCode::Enter]);
    // Control keys edit the line as in a shell, never type their letter:
    // Ctrl-U clears it, Ctrl-W takes the last word (leaving the space
    // before it), Ctrl-A types nothing.
    let ctrl = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
    chars(&mut a, "=12");
    a.on_key(ctrl('u'));
    chars(&mut a, "3 4");
    a.on_key(ctrl('w'));
    a.on_key(ctrl('a'));
    press(&mut a, &[KeyCode::Backspace]);
    chars(&mut a, ".5");
    press(&mut a, &[KeyCode::Enter]);
    assert_eq!(a.input_level(), 3.5, "{:?}", a.overlay);
}

#[test]
fn switch_model_cycles_hh_lif_network() {
    let mut a = app("hh-repetitive");
    chars(&mut a, "m");
    assert_eq!(a.kind(), ModelKind::Lif);
    chars(&mut a, "m");
    assert_eq!(a.kind(), ModelKind::Network);
    chars(&mut a, "m");
    assert_eq!(a.kind(), ModelKind::Hh);
}

/// m, m, m comes back to the preset opened, with its overrides and the
/// parameters changed in its panel, not to
/// the bundled network or HH that stand in for its kind; a rate preset
/// takes a fourth turn after the network.
#[test]
fn switch_model_comes_back_to_the_preset_opened() {
    let opened = |name: &str, sets: &[&str]| {
        let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
        let mut a = App::from_source(preset::PresetSource::resolve(name, &sets).unwrap()).unwrap();
        a.guide_until = None;
        a
    };
    let bias = |a: &App| match &a.sim.model {
        AnyModel::Network(n) => n.bias().to_vec(),
        _ => panic!("not a network: {}", a.preset.name),
    };
    let mut a = opened("network-wta", &["network.bias=[1.5, 1.45, 1.6, 1.7]"]);
    a.change_param("network.tau_m", Some("30 ms")).unwrap();
    let mut shown = Vec::new();
    for _ in 0..3 {
        chars(&mut a, "m");
        shown.push(a.preset.name.clone());
    }
    assert_eq!(
        shown,
        [
            "HH: repetitive firing",
            "LIF: constant input",
            "Network: winner-take-all"
        ]
    );
    assert_eq!(bias(&a), [1.5, 1.45, 1.6, 1.7]);
    match &a.sim.model {
        AnyModel::Network(n) => assert_eq!(n.params().tau_m_s, 0.03),
        _ => unreachable!(),
    }
    // What gives the parameters: the command line's --set with the change.
    assert_eq!(
        a.reproduce_as_set(),
        " --set 'network.bias=[1.5, 1.45, 1.6, 1.7]' --set 'network.tau_m=30 ms'"
    );
    assert_eq!(message(&a), "back to network-wta (from t = 0)");
    // Back home, the cycle starts from it again.
    chars(&mut a, "m");
    assert_eq!(
        message(&a),
        "opened hh-repetitive (m comes back to network-wta)"
    );

    let mut a = opened("rate-relu", &[]);
    let mut kinds = Vec::new();
    for _ in 0..4 {
        chars(&mut a, "m");
        kinds.push(a.kind());
    }
    assert_eq!(
        kinds,
        [
            ModelKind::Hh,
            ModelKind::Lif,
            ModelKind::Network,
            ModelKind::Rate
        ]
    );
    assert_eq!(a.preset.name, opened("rate-relu", &[]).preset.name);
}

/// An export is both files or neither: where the spikes file cannot be
/// written (here a link to /dev/full, a disk always full), the traces file
/// is not left behind as if the export were done, and the message names
/// the file that failed.
#[test]
fn an_export_that_fails_leaves_no_file() {
    if !common::has_dev_full() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut a = app("lif-constant");
    a.export_dir = dir.path().to_path_buf();
    a.advance(2000);
    let spikes = dir.path().join("spikescope-lif-constant-200ms-spikes.csv");
    std::os::unix::fs::symlink("/dev/full", &spikes).unwrap();
    chars(&mut a, "e");
    assert_eq!(
        message(&a),
        format!(
            "export failed, no file written: cannot write {}: No space left on device (os \
             error 28)",
            spikes.display()
        )
    );
    assert!(
        !dir.path()
            .join("spikescope-lif-constant-200ms.csv")
            .exists()
    );
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 1, "only the link: {left:?}");
}

/// `e` writes the visible traces and the spikes, with the umask's mode, and
/// a large network says which neurons' traces went in.
#[test]
fn export_writes_the_visible_traces_and_spikes() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app("lif-constant");
    a.export_dir = dir.path().to_path_buf();
    a.advance(2000);
    chars(&mut a, "e");
    let file = dir.path().join("spikescope-lif-constant-200ms.csv");
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{e}: {}", message(&a)));
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("time_s,v,v_in"));
    // The probes sample every 0.2 ms (2 steps) for the 500 ms window.
    assert_eq!(lines.clone().count(), 1001, "samples from t = 0 to 200 ms");
    assert!(lines.next().unwrap().starts_with("0.0,0.0,1.5"));
    // The message says the rows' spacing (the CSV of `run` has every step).
    assert!(
        message(&a).starts_with("exported 1001 rows (every 200 µs) of v,v_in to "),
        "{}",
        message(&a)
    );
    let spikes =
        std::fs::read_to_string(dir.path().join("spikescope-lif-constant-200ms-spikes.csv"))
            .unwrap();
    let times: Vec<f64> = spikes
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap().parse().unwrap())
        .collect();
    assert_eq!(spikes.lines().next(), Some("neuron,time_s"));
    // G(1.5) = 41.71 Hz from v = 0: spikes at 21.97 ms + k 23.97 ms.
    assert_eq!(times.len(), 8);
    assert!((times[0] - 0.02 * 3f64.ln()).abs() < 1e-12);
    // Later, the window only, which the message says (the rows' span,
    // where they no longer start at 0): the spikes from 300 ms on are
    // k = 12 to 32.
    let mut later = app("lif-constant");
    later.export_dir = dir.path().to_path_buf();
    later.advance(8000);
    chars(&mut later, "e");
    let m = message(&later);
    assert!(
        m.starts_with("exported 2501 rows (300 ms to 800 ms, every 200 µs) of v,v_in to ")
            && m.contains(" and 21 spikes to "),
        "{m}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_ne!(mode, 0o600, "the umask's mode, not a temporary file's");
        assert_eq!(mode & 0o600, 0o600);
    }
    let mut a = app("network-benchmark");
    a.export_dir = dir.path().to_path_buf();
    a.advance(100);
    // Before a neuron past the first 32 is followed, its places hold #32:
    // one run of neurons (it read `0-31 and #32`).
    chars(&mut a, "e");
    assert!(
        message(&a).contains("neurons 0-32 (of 1000; others not recorded)"),
        "{}",
        message(&a)
    );
    chars(&mut a, "g537");
    press(&mut a, &[KeyCode::Enter]);
    chars(&mut a, "e");
    let m = message(&a);
    assert!(
        m.contains("neurons 0-31 and #537 (of 1000; others not recorded)"),
        "{m}"
    );
    // At 80x24 the message is on the screen whole, both paths included
    // (a path wider than the screen broken across lines, not cut), also
    // where it says the window's span and takes four lines.
    let on_screen_whole = |a: &spikescope::ui::app::App, m: &str| {
        let screen: String = common::screen(a)
            .lines()
            .map(|l| l.trim_matches('"').trim_end())
            .collect::<Vec<_>>()
            .join("\n");
        let shown: String = m.split_whitespace().collect();
        let on_screen: String = screen.split_whitespace().collect();
        assert!(on_screen.contains(&shown), "{m}\n{screen}");
    };
    on_screen_whole(&a, &m);
    a.advance(5900);
    chars(&mut a, "e");
    let m = message(&a);
    assert!(m.contains("rows (100 ms to 600 ms, every 200 µs)"), "{m}");
    on_screen_whole(&a, &m);
    // A rate model has no spikes: no spikes file, and none counted.
    let mut a = app("rate-softmax");
    a.export_dir = dir.path().to_path_buf();
    a.advance(100);
    chars(&mut a, "e");
    assert_eq!(
        message(&a),
        format!(
            "exported 101 rows of y and z of all 5 neurons to {}",
            dir.path()
                .join("spikescope-rate-softmax-100ms.csv")
                .display()
        )
    );
    assert!(
        !dir.path()
            .join("spikescope-rate-softmax-100ms-spikes.csv")
            .exists()
    );
}

/// The line left after quitting counts spikes in words that agree with
/// the count ("1 spikes" was), and a rate network's none ("0 spikes" was).
#[test]
fn the_quit_line_counts_what_the_model_has() {
    let mut a = common::paused_app("lif-constant", 0);
    while a.sim.spike_count == 0 {
        a.advance(1);
    }
    let line = spikescope::ui::quit_line(&a, 1, None);
    assert!(
        line.starts_with("spikescope: LIF: constant input — ")
            && line.ends_with(" simulated, 1 spike (1 frame)"),
        "{line}"
    );
    let a = common::paused_app("rate-softmax", 10);
    assert_eq!(
        spikescope::ui::quit_line(&a, 3, Some("s.journal")),
        "spikescope: Rate: SoftMax — 10 ms simulated (3 frames); recorded in s.journal \
         (spikescope replay s.journal)"
    );
}

/// The line left after quitting names the input and the biases the keys
/// left, beside the panel's `--set`s: a student who stepped J_in down to
/// find where firing stops read only the preset and its spikes. Steps back
/// to the preset's values leave nothing to name.
#[test]
fn the_quit_line_names_the_input_and_biases_the_keys_left() {
    let line = |a: &App| spikescope::ui::quit_line(a, 1, None);
    let mut a = common::paused_app("hh-repetitive", 0);
    press(&mut a, &[KeyCode::Down; 4]);
    assert_eq!(a.input_level(), 6.0);
    assert!(
        line(&a).ends_with("(1 frame); at the end, from the keyboard: J_in 6 µA/cm²"),
        "{}",
        line(&a)
    );
    press(&mut a, &[KeyCode::Up; 4]);
    assert!(line(&a).ends_with("(1 frame)"), "{}", line(&a));
    let mut a = common::paused_app("network-wta", 0);
    press(&mut a, &[KeyCode::Tab, KeyCode::Right, KeyCode::Right]);
    chars(&mut a, "+");
    assert!(
        line(&a).ends_with("; at the end, from the keyboard: x 0.02, #3's bias 1.5"),
        "{}",
        line(&a)
    );
}

/// What hh-ttx's look-at says, keys pressed as a user would: Up raises the
/// current 1 µA/cm² at a time (to 30) and V only settles higher, no spike;
/// a step to 500 typed at once carries V past 0 mV for an instant, which
/// the 0 mV rule counts as one spike, and V settles below 0 mV again (g_Na
/// is 0: no sodium current, a passive overshoot). From 30 a typed 200 no
/// longer crosses 0 mV: n is open further there.
#[test]
fn without_sodium_up_fires_nothing_and_a_typed_step_overshoots_0_mv() {
    let mut a = app("hh-ttx");
    assert!(
        a.preset
            .guide
            .replace('\n', " ")
            .contains("A large step at once (type = 500)"),
        "{}",
        a.preset.guide
    );
    let v_mv = |a: &App| match &a.sim.model {
        AnyModel::Hh(n) => (n.state.v_mv, n.params.g_na),
        _ => panic!("an HH preset"),
    };
    a.advance(2000);
    for _ in 0..20 {
        press(&mut a, &[KeyCode::Up]);
        a.advance(400);
    }
    let (v_at_30, g_na) = v_mv(&a);
    assert_eq!((a.sim.spike_count, g_na), (0, 0.0), "V {v_at_30} mV");
    chars(&mut a, "=500");
    press(&mut a, &[KeyCode::Enter]);
    a.advance(2000);
    let (v_settled, _) = v_mv(&a);
    assert_eq!(a.sim.spike_count, 1, "V {v_settled} mV");
    assert!(
        v_at_30 < v_settled && v_settled < 0.0,
        "{v_at_30} then {v_settled} mV"
    );
}

/// What hh-repetitive's look-at says, keys pressed as a user would: four
/// times Down (to 6 µA/cm²) and the firing stops; Up again, the neuron
/// stays at rest at 7, 8 and 9 (rest and firing both stable there) and
/// fires again at 10.
#[test]
fn hh_repetitive_stops_at_6_and_fires_again_only_at_10() {
    let mut a = app("hh-repetitive");
    let guide = a.preset.guide.replace('\n', " ");
    assert!(
        guide.contains("the neuron stays at rest at 7, 8 and 9 and fires again at 10"),
        "{guide}"
    );
    // 50 µs steps: 4,000 are 200 ms.
    let spikes_in = |a: &mut App, steps: u64| {
        let before = a.sim.spike_count;
        a.advance(steps);
        a.sim.spike_count - before
    };
    assert!(spikes_in(&mut a, 4000) > 10, "firing at 10");
    for _ in 0..4 {
        press(&mut a, &[KeyCode::Down]);
        a.advance(400);
    }
    assert_eq!(a.input_level(), 6.0);
    spikes_in(&mut a, 2000);
    assert_eq!(spikes_in(&mut a, 4000), 0, "stopped at 6");
    for level in [7.0, 8.0, 9.0] {
        press(&mut a, &[KeyCode::Up]);
        assert_eq!(a.input_level(), level);
        assert_eq!(spikes_in(&mut a, 6000), 0, "at rest at {level}");
    }
    press(&mut a, &[KeyCode::Up]);
    assert!(spikes_in(&mut a, 4000) > 10, "firing again at 10");
}

/// The unit after a value being typed is a hint, dropped once the text
/// carries a unit of its own: `J_in = 12 uA/cm2_` (it read `= 12 uA/cm2_
/// µA/cm²`), the panel's `tau_m = 0.01 s_` (it read `= 0.01 s_ ms`, the
/// value applied in seconds).
#[test]
fn a_unit_typed_replaces_the_units_hint() {
    let entry_row = |a: &App| {
        common::rows(a, 80, 24)
            .into_iter()
            .find(|r| r.contains(" = ") && r.contains('_'))
            .unwrap_or_default()
    };
    let mut a = app("hh-repetitive");
    chars(&mut a, "=12");
    assert!(
        entry_row(&a).contains("J_in = 12_ µA/cm²"),
        "{}",
        entry_row(&a)
    );
    chars(&mut a, " uA/cm2");
    assert!(
        entry_row(&a).contains("J_in = 12 uA/cm2_ ") && !entry_row(&a).contains("_ µA"),
        "{}",
        entry_row(&a)
    );
    press(&mut a, &[KeyCode::Esc]);
    chars(&mut a, "=1e3");
    assert!(
        entry_row(&a).contains("= 1e3_ µA/cm²"),
        "an exponent is no unit: {}",
        entry_row(&a)
    );
    let mut a =
        App::from_source(preset::PresetSource::resolve("lif-constant", &[]).unwrap()).unwrap();
    a.guide_until = None;
    chars(&mut a, "p");
    press(&mut a, &[KeyCode::Enter]);
    a.on_key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    chars(&mut a, "0.01 s");
    let row = entry_row(&a);
    assert!(
        row.contains("tau_m        = 0.01 s_ ") && !row.contains("_ ms"),
        "{row}"
    );
    press(&mut a, &[KeyCode::Enter]);
    match &a.sim.model {
        AnyModel::Lif(n) => assert_eq!(n.params.tau_m_s, 0.01, "0.01 s is tau_m in seconds"),
        _ => panic!("not LIF"),
    }
}
