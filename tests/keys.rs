//! Key handling as sequences of events against the app's state.

mod common;

use common::message;
use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use spikescope::model::recordable::{Quantity, Recordable};
use spikescope::model::{AnyModel, ModelKind};
use spikescope::preset;
use spikescope::ui::app::{App, Hold, RunState};
use spikescope::ui::format::sim_time;
use spikescope::ui::overlay::{EntryFor, Overlay};
use spikescope::view::{Pane, TriggerMode};

fn app(name: &str) -> App {
    let mut a = App::new(preset::load(name, &[]).unwrap());
    a.guide_until = None;
    a
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn press(app: &mut App, keys: &[KeyCode]) {
    for &k in keys {
        app.on_key(key(k));
    }
}

fn chars(app: &mut App, s: &str) {
    for c in s.chars() {
        app.on_key(key(KeyCode::Char(c)));
    }
}

#[test]
fn five_presses_raise_j_in_by_exactly_five_steps() {
    let mut a = app("hh-repetitive");
    assert_eq!(a.input_level(), 10.0);
    press(&mut a, &[KeyCode::Up; 5]);
    assert_eq!(a.input_level(), 15.0);
    chars(&mut a, "jj");
    assert_eq!(a.input_level(), 13.0);
    press(&mut a, &[KeyCode::Right; 7]);
    assert_eq!(a.input_level(), 13.7);
    chars(&mut a, "hhh");
    assert_eq!(a.input_level(), 13.4);
    press(&mut a, &[KeyCode::Left; 134]);
    assert_eq!(a.input_level(), 0.0);
}

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

/// Past the first 32 neurons, the selected one's v and s are recorded from
/// when it was selected, in the probes' two last places.
#[test]
fn a_selected_neuron_past_the_traced_ones_is_recorded_from_then() {
    let v = |i| Recordable::at(Quantity::V, i);
    let s = |i| Recordable::at(Quantity::S, i);
    let mut a = app("network-benchmark");
    assert_eq!(a.traces.place_of(v(5)), Some((5, None)));
    assert_eq!(a.traces.place_of(s(5)), Some((37, None)));
    assert_eq!(a.traces.place_of(v(537)), None);
    a.advance(100);
    chars(&mut a, "g537");
    press(&mut a, &[KeyCode::Enter]);
    let (kv, since) = a.traces.place_of(v(537)).expect("recorded");
    let (ks, _) = a.traces.place_of(s(537)).expect("recorded");
    assert_eq!((kv, ks), (64, 65));
    assert_eq!(since, Some(a.sim.time_s()));
    let model = &a.sim.model;
    assert_eq!(model.column_name(a.traces.probes.recordables[kv]), "v_537");
    assert_eq!(model.column_name(a.traces.probes.recordables[ks]), "s_537");
    let before = a.traces.probes.len();
    a.advance(50);
    let values: Vec<f64> = a.traces.probes.values(kv).collect();
    assert!(values[..before].iter().all(|x| x.is_nan()));
    assert!(values[before..].iter().all(|x| x.is_finite()));
    assert_eq!(
        a.traces.place_of(v(5)),
        Some((5, None)),
        "the first 32 keep theirs"
    );
}

#[test]
fn lif_steps_are_a_tenth_and_a_hundredth() {
    let mut a = app("lif-constant");
    press(&mut a, &[KeyCode::Up, KeyCode::Right, KeyCode::Right]);
    assert_eq!(a.input_level(), 1.62);
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
fn pause_step_and_sweep() {
    let mut a = app("hh-repetitive");
    assert!(a.running());
    chars(&mut a, " ");
    assert!(!a.running());
    chars(&mut a, "...");
    assert_eq!(a.sim.step_index(), 3);
    chars(&mut a, ">>>");
    a.run_pending();
    // One window (100 ms) of 50 µs steps, however often > was pressed.
    assert_eq!(a.sim.step_index(), 3 + 2000);
    assert!(!a.running());
    chars(&mut a, " ");
    assert!(a.running());
}

/// Zoom steps by two and returns exactly to where it started, also after
/// it met a limit.
#[test]
fn speed_and_zoom() {
    let mut a = app("lif-constant");
    let (speed, window) = (a.clock.speed, a.window_s());
    chars(&mut a, "]]");
    assert_eq!(a.clock.speed, 4.0 * speed);
    chars(&mut a, "[");
    assert_eq!(a.clock.speed, 2.0 * speed);
    chars(&mut a, "z");
    assert_eq!(a.window_s(), window / 2.0);
    chars(&mut a, "xZ");
    assert_eq!(a.window_s(), window * 2.0);
    chars(&mut a, "z");
    let mut presses = 0;
    while a.message.is_none() {
        chars(&mut a, "z");
        presses += 1;
    }
    assert!(
        a.window_s() >= 50.0 * a.sim.dt_s(),
        "zoom stops at 50 steps"
    );
    assert!(message(&a).contains("the window stays"), "{}", message(&a));
    for _ in 0..presses - 1 {
        chars(&mut a, "x");
    }
    assert_eq!(a.window_s(), window, "back where it started");
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
    assert_eq!(a.changed_as_set(), " --set network.tau_m=\"30 ms\"");
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

#[test]
fn select_a_neuron_and_change_its_bias() {
    let mut a = app("network-wta");
    press(&mut a, &[KeyCode::Tab]);
    assert_eq!(a.view.selected, 3);
    chars(&mut a, "+++-");
    let AnyModel::Network(n) = &a.sim.model else {
        panic!()
    };
    assert_eq!(n.bias(), &[1.5, 1.45, 1.6, 1.6]);
    press(&mut a, &[KeyCode::Tab]);
    assert_eq!(a.view.selected, 0);
    press(&mut a, &[KeyCode::BackTab]);
    assert_eq!(a.view.selected, 3);
}

#[test]
fn tab_on_a_single_neuron_says_why_nothing_happens() {
    let mut a = app("hh-repetitive");
    press(&mut a, &[KeyCode::Tab]);
    assert_eq!(a.view.selected, 0);
    assert!(message(&a).contains("one neuron"), "{}", message(&a));
}

#[test]
fn views_trigger_help_and_back() {
    let mut a = app("hh-repetitive");
    for (c, p) in [
        ('2', Pane::Gates),
        ('3', Pane::Rate),
        ('4', Pane::Psc),
        ('5', Pane::Activation),
        ('6', Pane::Weights),
        ('1', Pane::Scope),
    ] {
        chars(&mut a, &c.to_string());
        assert_eq!(a.view.pane, p);
    }
    chars(&mut a, "v");
    assert_eq!(a.view.pane, Pane::Gates);
    press(&mut a, &[KeyCode::Esc]);
    assert_eq!(a.view.pane, Pane::Scope);
    chars(&mut a, "t");
    assert_eq!(a.view.trigger, TriggerMode::Spike);
    chars(&mut a, "?");
    assert_eq!(a.overlay, Overlay::Help { page: 0 });
    chars(&mut a, "m");
    assert_eq!(
        a.kind(),
        ModelKind::Hh,
        "keys go to the overlay while it is open"
    );
    press(&mut a, &[KeyCode::Esc]);
    assert_eq!(a.overlay, Overlay::None);
    chars(&mut a, "a");
    assert_eq!(a.overlay, Overlay::Guide { page: 0 });
    press(&mut a, &[KeyCode::Esc]);
    chars(&mut a, "nnN");
    assert_eq!(a.view.psc.order, 1);
}

/// tau_s of the explored filter moves by √2 a press and comes back exactly;
/// the view starts from the preset's own filter.
#[test]
fn psc_view_starts_at_the_presets_filter_and_tau_s_is_keyed() {
    let mut a = app("spike-train-convolution");
    assert_eq!((a.view.psc.order, a.view.psc.tau_s), (0, 0.020));
    chars(&mut a, "}}");
    assert!((a.view.psc.tau_s - 0.040).abs() < 1e-15);
    chars(&mut a, "{{");
    assert!((a.view.psc.tau_s - 0.020).abs() < 1e-15);
    let a = app("network-benchmark");
    assert_eq!(a.view.psc.tau_s, 0.010);
}

#[test]
fn reset_goes_back_to_zero() {
    let mut a = app("lif-constant");
    a.advance(5000);
    assert!(a.traces.stats.count[0] > 0);
    chars(&mut a, "r");
    assert_eq!(a.sim.step_index(), 0);
    assert_eq!(a.traces.stats.count[0], 0);
    assert_eq!(a.traces.probes.len(), 1);
}

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

#[test]
fn quit_with_q_or_ctrl_c() {
    let mut a = app("hh-repetitive");
    chars(&mut a, "q");
    assert_eq!(a.run, RunState::Quit);
    let mut a = app("hh-repetitive");
    chars(&mut a, "?");
    a.on_key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert_eq!(a.run, RunState::Quit, "Ctrl-C quits even from an overlay");
    // Esc then q in one read (over SSH, one packet) arrives as Alt-q: the
    // overlay closes and the oscilloscope quits, as for the two keys.
    let mut a = app("hh-repetitive");
    chars(&mut a, "?");
    a.on_key(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::ALT));
    assert_eq!(a.run, RunState::Quit, "Esc q quits from an overlay");
    let mut a = app("hh-repetitive");
    chars(&mut a, "p");
    a.on_key(KeyEvent::new(KeyCode::Char('?'), KeyModifiers::ALT));
    assert_eq!(
        a.overlay,
        Overlay::Help { page: 0 },
        "Esc ? goes to the keys"
    );
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
    // (a path wider than the screen broken across lines, not cut).
    let screen: String = common::screen(&a)
        .lines()
        .map(|l| l.trim_matches('"').trim_end())
        .collect::<Vec<_>>()
        .join("\n");
    let shown: String = m.split_whitespace().collect();
    let on_screen: String = screen.split_whitespace().collect();
    assert!(on_screen.contains(&shown), "{m}\n{screen}");
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

#[test]
fn instability_pauses_and_says_where() {
    let mut a = app("hh-repetitive");
    // Past what the keyboard allows, straight into the stimulus.
    a.sim.main_stimulus().unwrap().amplitude = 1e300;
    a.advance(10);
    assert!(!a.running());
    let RunState::Unstable(i) = a.run.clone() else {
        panic!("unstable: {:?}", a.run)
    };
    assert_eq!(i.variable, "V (mV)");
    assert_eq!(a.sim.step_index(), 1);
    // The probes keep the last good state.
    let v: Vec<f64> = a.traces.probes.values(0).collect();
    assert!(v.iter().all(|x| x.is_finite()));
    chars(&mut a, " ");
    assert!(!a.running(), "cannot resume an unstable state");
    chars(&mut a, "r");
    assert!(!matches!(a.run, RunState::Unstable(_)));
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

/// Single shot: armed, it runs until the first spike's sweep is complete
/// and holds there; Space re-arms. A preset's pre-trigger longer than the
/// history still gives the sweep (hh-single-spike: the spike at ~6.5 ms).
#[test]
fn single_shot_captures_one_sweep_and_holds() {
    let mut a = app("hh-repetitive");
    chars(&mut a, "s");
    assert!(a.armed());
    let status = |a: &App| common::screen(a).lines().nth(20).unwrap().to_string();
    assert!(status(&a).contains("single: armed"), "{}", status(&a));
    // The status says what the scope's axis does: waiting, then capturing
    // the sweep of the spike found, then holding it.
    while a.traces.probes.spikes().next().is_none() {
        a.advance(20);
    }
    let first_spike = a.traces.probes.spikes().next().expect("a spike").time_s;
    let want = format!("single: capturing, spike at {}", sim_time(first_spike));
    assert!(status(&a).contains(&want), "{want}: {}", status(&a));
    a.advance(100_000);
    let RunState::Held(Hold::Sweep { trigger_s }) = a.run else {
        panic!("{:?}", a.run)
    };
    assert_eq!(trigger_s, first_spike, "the first spike since arming");
    let want = format!("single: held, spike at {}", sim_time(first_spike));
    assert!(status(&a).contains(&want), "{want}: {}", status(&a));
    let end = trigger_s - a.view.pre_trigger * a.window_s() + a.window_s();
    assert!(
        (a.sim.time_s() - end).abs() <= a.sim.dt_s(),
        "held at the sweep's end: {} vs {end}",
        a.sim.time_s()
    );
    assert_eq!(a.tick(Duration::from_millis(100), 1_000_000), 0, "held");
    chars(&mut a, " ");
    assert!(a.running() && a.armed(), "Space re-arms");
    chars(&mut a, "))");
    assert_eq!(a.view.pre_trigger, 0.4);
    chars(&mut a, "(((((((");
    assert_eq!(a.view.pre_trigger, 0.0);
}

/// A one-shot preset pauses at its duration with its protocol on screen.
#[test]
fn one_shot_presets_hold_their_result() {
    let mut a = app("hh-single-spike");
    a.advance(1_000_000);
    assert_eq!(a.run, RunState::Held(Hold::ProtocolDone));
    assert!((a.sim.time_s() - a.preset.duration_s).abs() < 1e-12);
    assert_eq!(a.traces.stats.count[0], 1, "the single spike");
    // Space cannot run on past the protocol: it says how to go on (it did
    // nothing), and so does the status line at 80 columns (it was dropped).
    chars(&mut a, " ");
    assert_eq!(a.run, RunState::Held(Hold::ProtocolDone));
    assert_eq!(
        common::message(&a),
        "the protocol's 50 ms are done: r runs it again from t = 0"
    );
    // The step keys likewise.
    a.message = None;
    chars(&mut a, ".");
    assert!(common::message(&a).starts_with("the protocol's 50 ms are done"));
    let status = common::rows(&a, 80, 24)[20].clone();
    assert!(
        status.contains("END") && status.contains("protocol done: r replays"),
        "{status}"
    );
    chars(&mut a, "r");
    assert_eq!(a.sim.step_index(), 0);
    assert!(a.running());
}

/// The lab instruments by their keys, as a user types them: the panel
/// (p, arrows, Enter, digits), the reference (f), the cursors (c, H, L),
/// the f-I sweep (F) and views 7 and 8.
#[test]
fn the_instruments_by_their_keys() {
    let mut a =
        App::from_source(preset::PresetSource::resolve("lif-constant", &[]).unwrap()).unwrap();
    a.guide_until = None;
    a.advance(2000);
    chars(&mut a, "p");
    assert!(matches!(
        a.overlay,
        Overlay::Params {
            index: 0,
            text: None,
            ..
        }
    ));
    press(&mut a, &[KeyCode::Down, KeyCode::Enter]);
    chars(&mut a, "5");
    press(&mut a, &[KeyCode::Enter]);
    match &a.sim.model {
        AnyModel::Lif(n) => assert_eq!(n.params.tau_ref_s, 0.005),
        _ => unreachable!(),
    }
    press(&mut a, &[KeyCode::Esc]);
    assert_eq!(a.overlay, Overlay::None);
    chars(&mut a, "f");
    assert!(a.reference.is_some());
    chars(&mut a, "cLLc");
    let c = a.cursors.unwrap();
    assert!((c.a - (1.0 / 3.0 + 0.02)).abs() < 1e-12);
    chars(&mut a, "HHH");
    assert!((a.cursors.unwrap().b - (2.0 / 3.0 - 0.03)).abs() < 1e-12);
    chars(&mut a, "c");
    assert!(a.cursors.is_none());
    chars(&mut a, "7");
    assert_eq!(a.view.pane, Pane::Phase);
    chars(&mut a, "8");
    assert_eq!(a.view.pane, Pane::Isi);
    chars(&mut a, "F");
    assert!(a.fi_busy() && a.view.pane == Pane::Rate);
    chars(&mut a, "F");
    assert!(!a.fi_busy());
    assert!(
        message(&a).starts_with("f-I sweep stopped"),
        "{}",
        message(&a)
    );
}

/// In the PSC view every press of n, N, } and { shows: the explored filter
/// is read out (and drawn dashed), or, where it is one of the model's own,
/// said to be that one.
/// `]` and `[` stop at the ends of their range and say so; a preset's
/// speed beyond what the keys reached (1e4) is never turned back.
#[test]
fn the_speed_keys_stop_at_their_ends_and_say_so() {
    let from = |speed: &str| {
        let mut a =
            App::new(preset::load("lif-constant", &[format!("view.speed={speed}")]).unwrap());
        a.guide_until = None;
        a
    };
    // ] took a preset's 5e5 down to 1e4, [ took its 1e-5 up to 1e-4.
    let mut a = from("5e5");
    chars(&mut a, "]");
    assert_eq!(a.clock.speed, 1e6);
    assert!(a.message.is_none());
    chars(&mut a, "]");
    assert_eq!(a.clock.speed, 1e6);
    assert_eq!(
        message(&a),
        "the speed stays ×1000000: the keys go from ×0.000001 to ×1000000"
    );
    let mut a = from("1e-5");
    chars(&mut a, "[");
    assert_eq!(a.clock.speed, 5e-6);
    chars(&mut a, "[[[");
    assert_eq!(a.clock.speed, 1e-6);
    assert!(a.message.is_none());
    chars(&mut a, "[");
    assert!(
        message(&a).starts_with("the speed stays ×0.000001"),
        "{}",
        message(&a)
    );
    chars(&mut a, "]");
    assert_eq!(a.clock.speed, 2e-6);
}

/// `(` and `)` in a sweep whose status line does not show the
/// pre-trigger say what it is now; at its ends it stays and says so.
#[test]
fn the_pre_trigger_keys_say_what_they_set() {
    let mut a = app("hh-repetitive");
    assert_eq!(a.view.trigger, TriggerMode::Free);
    assert_eq!(a.view.pre_trigger, 0.2);
    chars(&mut a, ")");
    assert_eq!(a.view.pre_trigger, 0.3);
    assert_eq!(
        message(&a),
        "pre-trigger 30% of the window (spike and single sweeps: t)"
    );
    for _ in 0..10 {
        chars(&mut a, ")");
    }
    assert_eq!(a.view.pre_trigger, 0.9);
    assert_eq!(
        message(&a),
        "the pre-trigger stays 90%: it may be 0% to 90% of the window"
    );
    // In a spike sweep the status line shows it: no message.
    chars(&mut a, "t");
    a.message = None;
    chars(&mut a, "(");
    assert!(a.message.is_none());
    assert!(common::screen(&a).contains("sweep spike, pre 80%"));
}

#[test]
fn the_explored_filter_follows_its_keys() {
    let mut a = app("psc-orders");
    chars(&mut a, "4");
    let readout = |a: &App| {
        common::screen(a)
            .lines()
            .find(|l| l.contains("explore (n N } {)"))
            .unwrap_or_default()
            .to_string()
    };
    assert!(
        readout(&a).contains("n 0, tau_s 10 ms, as n = 0 above"),
        "{}",
        readout(&a)
    );
    chars(&mut a, "n");
    assert!(
        readout(&a).contains("n 1, tau_s 10 ms, as n = 1 above"),
        "{}",
        readout(&a)
    );
    chars(&mut a, "}");
    assert!(
        readout(&a).contains("n 1, tau_s 14.14 ms, peak 26.01 1/s at 14.14 ms"),
        "{}",
        readout(&a)
    );
    // Its curve is named in the readout's words (an ASCII screen has no τ).
    assert!(
        common::screen(&a).contains("n=1 tau_s 14.14 ms"),
        "{}",
        common::screen(&a)
    );
    // The peak's time n tau_s to tau_s's digits (a time point's two
    // decimals read 7.07 ms).
    chars(&mut a, "{{");
    assert!(
        readout(&a).contains("n 1, tau_s 7.071 ms, peak 52.03 1/s at 7.071 ms"),
        "{}",
        readout(&a)
    );
    chars(&mut a, "}}{N");
    assert!(
        readout(&a).contains("n 0, tau_s 10 ms, as n = 0 above"),
        "{}",
        readout(&a)
    );
    // At its ends a key says why nothing moved (N at n = 0 did nothing).
    chars(&mut a, "N");
    assert_eq!(
        message(&a),
        "the explored filter's order stays n = 0: view 4 draws n = 0 to 8 \
         (a preset's filters may have any order)"
    );
    // From another view the filter changes out of sight: the message says
    // what it is now and where it is drawn.
    chars(&mut a, "1n}");
    assert_eq!(
        message(&a),
        "explored filter: n = 1, tau_s 14.14 ms (press 4 to see it)"
    );
    for _ in 0..40 {
        chars(&mut a, "{");
    }
    assert_eq!(a.view.psc.tau_s, 1e-4);
    assert_eq!(
        message(&a),
        "the explored filter's tau_s stays 100 µs: view 4 draws 100 µs to 10 s"
    );
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

/// A rate model has no spikes: `t` goes between the free and the rolling
/// sweep and says why, `s` refuses, and a preset cannot ask for a spike
/// sweep. (A spike sweep of rate-softmax drew empty plots, "0 sweeps",
/// for as long as it ran.)
#[test]
fn a_rate_model_has_no_spike_sweeps() {
    let mut a = app("rate-softmax");
    assert_eq!(a.view.trigger, TriggerMode::Free);
    chars(&mut a, "t");
    assert_eq!(a.view.trigger, TriggerMode::Roll);
    assert!(message(&a).starts_with("a rate model has no spikes to trigger a sweep on"));
    chars(&mut a, "t");
    assert_eq!(a.view.trigger, TriggerMode::Free);
    chars(&mut a, "s");
    assert_eq!(a.view.trigger, TriggerMode::Free);
    assert!(!a.armed());
    let e = preset::load("rate-softmax", &["view.trigger=single".into()]).unwrap_err();
    assert!(
        e.to_string()
            .contains("`view.trigger` = \"single\": a rate model has no spikes to trigger on"),
        "{e}"
    );
    // A network still cycles through all four.
    let mut a = app("network-abc");
    chars(&mut a, "tt");
    assert_eq!(a.view.trigger, TriggerMode::Single);
}

/// One neuron: `g` and Tab say there is nothing to choose (g opened a
/// prompt for "neuron (0-0)").
#[test]
fn one_neuron_has_nothing_to_go_to() {
    let mut a = app("hh-rest");
    chars(&mut a, "g");
    assert_eq!(a.overlay, Overlay::None);
    assert_eq!(
        message(&a),
        "one neuron only: g goes to one of a network's neurons"
    );
    press(&mut a, &[KeyCode::Tab]);
    assert_eq!(
        message(&a),
        "one neuron only: Tab selects among a network's neurons"
    );
    let mut a = app("network-abc");
    chars(&mut a, "g");
    assert!(
        matches!(a.overlay, Overlay::Entry { .. }),
        "{:?}",
        a.overlay
    );
}

/// The time cursors and the reference are the scope's: pressed in another
/// view, the message says where they show (they changed out of sight).
#[test]
fn scope_instruments_from_another_view_say_where_they_show() {
    let mut a = app("network-abc");
    a.advance(2000);
    chars(&mut a, "6c");
    assert!(
        message(&a).ends_with("(press 1 to see them)"),
        "{}",
        message(&a)
    );
    chars(&mut a, "f");
    assert!(
        message(&a).ends_with("f clears (press 1 to see it)"),
        "{}",
        message(&a)
    );
    chars(&mut a, "1cf");
    assert!(!message(&a).contains("press 1"), "{}", message(&a));
}
