//! Key handling as sequences of events against the app's state.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use spikescope::model::{AnyModel, ModelKind};
use spikescope::preset::{self, TriggerMode};
use spikescope::ui::app::{App, EntryFor, Overlay};
use spikescope::ui::command::Pane;

fn app(name: &str) -> App {
    App::new(preset::load(name, &[]).unwrap())
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
            sets: EntryFor::Neuron,
            ..
        }
    ));
    chars(&mut a, "5x3.7");
    press(&mut a, &[KeyCode::Enter]);
    assert_eq!(a.selected, 537, "only digits are typed");
    assert_eq!(a.overlay, Overlay::None);
    chars(&mut a, "g1000");
    press(&mut a, &[KeyCode::Enter]);
    assert_eq!(a.selected, 537, "past the last neuron changes nothing");
    assert!(a.message.is_some());
    chars(&mut a, "g");
    press(&mut a, &[KeyCode::Enter]);
    assert_eq!(a.selected, 537, "nothing typed changes nothing");
    chars(&mut a, "g999");
    press(&mut a, &[KeyCode::Backspace]);
    press(&mut a, &[KeyCode::Enter]);
    assert_eq!(a.selected, 99);
    chars(&mut a, "g5");
    press(&mut a, &[KeyCode::Esc]);
    assert_eq!(a.selected, 99, "Esc cancels");
    press(&mut a, &[KeyCode::Tab]);
    assert_eq!(a.selected, 100);
}

/// Past the first 32 neurons, the selected one's v and s are recorded from
/// when it was selected, in the probes' two last places.
#[test]
fn a_selected_neuron_past_the_traced_ones_is_recorded_from_then() {
    let mut a = app("network-benchmark");
    assert_eq!(a.traces_of(5), Some((5, 37, None)));
    assert_eq!(a.traces_of(537), None);
    a.advance(100);
    chars(&mut a, "g537");
    press(&mut a, &[KeyCode::Enter]);
    let (kv, ks, since) = a.traces_of(537).expect("recorded");
    assert_eq!((kv, ks), (64, 65));
    assert_eq!(since, Some(a.sim.time_s()));
    assert_eq!(a.columns[a.probes.columns[kv]], "v_537");
    assert_eq!(a.columns[a.probes.columns[ks]], "s_537");
    let before = a.probes.len();
    a.advance(50);
    let v: Vec<f64> = a.probes.values(kv).collect();
    assert!(v[..before].iter().all(|x| x.is_nan()));
    assert!(v[before..].iter().all(|x| x.is_finite()));
    assert_eq!(
        a.traces_of(5),
        Some((5, 37, None)),
        "the first 32 keep theirs"
    );
}

#[test]
fn lif_steps_are_a_tenth_and_a_hundredth() {
    let mut a = app("lif-constant");
    press(&mut a, &[KeyCode::Up, KeyCode::Right, KeyCode::Right]);
    assert_eq!(a.input_level(), 1.62);
}

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
    chars(&mut a, "6.25x");
    press(&mut a, &[KeyCode::Enter]);
    assert_eq!(a.input_level(), 6.25);
    assert_eq!(a.overlay, Overlay::None);
    chars(&mut a, "i");
    chars(&mut a, "--");
    press(&mut a, &[KeyCode::Enter]);
    assert_eq!(a.input_level(), 6.25, "a bad number changes nothing");
    chars(&mut a, "=9");
    press(&mut a, &[KeyCode::Esc]);
    assert_eq!(a.input_level(), 6.25, "Esc cancels");
}

#[test]
fn pause_step_and_sweep() {
    let mut a = app("hh-repetitive");
    assert!(a.running);
    chars(&mut a, " ");
    assert!(!a.running);
    chars(&mut a, "...");
    assert_eq!(a.sim.step_index(), 3);
    chars(&mut a, ">>>");
    a.run_pending();
    // One window (100 ms) of 50 µs steps, however often > was pressed.
    assert_eq!(a.sim.step_index(), 3 + 2000);
    assert!(!a.running);
    chars(&mut a, " ");
    assert!(a.running);
}

#[test]
fn speed_and_zoom() {
    let mut a = app("lif-constant");
    let (speed, window) = (a.clock.speed, a.window_s);
    chars(&mut a, "]]");
    assert_eq!(a.clock.speed, 4.0 * speed);
    chars(&mut a, "[");
    assert_eq!(a.clock.speed, 2.0 * speed);
    chars(&mut a, "z");
    assert_eq!(a.window_s, window / 2.0);
    chars(&mut a, "xZ");
    assert_eq!(a.window_s, window * 2.0);
    for _ in 0..100 {
        chars(&mut a, "z");
    }
    assert!(a.window_s >= 50.0 * a.sim.dt_s(), "zoom stops at 50 steps");
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

#[test]
fn select_a_neuron_and_change_its_bias() {
    let mut a = app("network-abc");
    press(&mut a, &[KeyCode::Tab, KeyCode::Tab]);
    assert_eq!(a.selected, 2);
    chars(&mut a, "+++-");
    let AnyModel::Network(n) = &a.sim.model else {
        panic!()
    };
    assert_eq!(n.bias, vec![1.5, 2.0, 1.2]);
    press(&mut a, &[KeyCode::Tab]);
    assert_eq!(a.selected, 0);
    press(&mut a, &[KeyCode::BackTab]);
    assert_eq!(a.selected, 2);
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
        assert_eq!(a.pane, p);
    }
    chars(&mut a, "v");
    assert_eq!(a.pane, Pane::Gates);
    press(&mut a, &[KeyCode::Esc]);
    assert_eq!(a.pane, Pane::Scope);
    chars(&mut a, "t");
    assert_eq!(a.trigger, TriggerMode::Spike);
    chars(&mut a, "?");
    assert_eq!(a.overlay, Overlay::Help);
    chars(&mut a, "m");
    assert_eq!(
        a.kind(),
        ModelKind::Hh,
        "keys go to the overlay while it is open"
    );
    press(&mut a, &[KeyCode::Esc]);
    assert_eq!(a.overlay, Overlay::None);
    chars(&mut a, "nnN");
    assert_eq!(a.psc_order, 1);
}

#[test]
fn reset_goes_back_to_zero() {
    let mut a = app("lif-constant");
    a.advance(5000);
    assert!(a.stats.count[0] > 0);
    chars(&mut a, "r");
    assert_eq!(a.sim.step_index(), 0);
    assert_eq!(a.stats.count[0], 0);
    assert_eq!(a.probes.len(), 1);
}

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
    assert_eq!(a.scenario.origin, "lif-constant");
    a.advance(10);
    chars(&mut a, "o/");
    chars(&mut a, "/no/such/file.toml");
    press(&mut a, &[KeyCode::Enter]);
    assert_eq!(a.kind(), ModelKind::Lif);
    assert_eq!(a.sim.step_index(), 10, "the running simulation is kept");
    let msg = format!("{:?}", a.message);
    assert!(msg.contains("/no/such/file.toml"), "{msg}");
}

#[test]
fn quit_with_q_or_ctrl_c() {
    let mut a = app("hh-repetitive");
    chars(&mut a, "q");
    assert!(a.quit);
    let mut a = app("hh-repetitive");
    chars(&mut a, "?");
    a.on_key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert!(a.quit, "Ctrl-C quits even from an overlay");
}

#[test]
fn export_writes_the_visible_traces() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app("lif-constant");
    a.export_dir = dir.path().to_path_buf();
    a.advance(2000);
    chars(&mut a, "e");
    let file = dir.path().join("spikescope-lif-constant-200ms.csv");
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{e}: {:?}", a.message));
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("time_s,v,v_in"));
    // The probes sample every 0.2 ms (2 steps) for the 500 ms window.
    assert_eq!(lines.clone().count(), 1001, "samples from t = 0 to 200 ms");
    assert!(lines.next().unwrap().starts_with("0.0,0.0,1.5"));
}

#[test]
fn instability_pauses_and_says_where() {
    let mut a = app("hh-repetitive");
    chars(&mut a, "=");
    chars(&mut a, "1e300");
    press(&mut a, &[KeyCode::Enter]);
    a.advance(10);
    assert!(!a.running);
    let i = a.unstable.clone().expect("unstable");
    assert_eq!(i.variable, "V (mV)");
    assert_eq!(a.sim.step_index(), 1);
    // The probes keep the last good state.
    let v: Vec<f64> = a.probes.values(0).collect();
    assert!(v.iter().all(|x| x.is_finite()));
    chars(&mut a, " ");
    assert!(!a.running, "cannot resume an unstable state");
    chars(&mut a, "r");
    assert!(a.unstable.is_none());
}
