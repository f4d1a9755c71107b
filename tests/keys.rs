//! Key handling as sequences of events against the app's state: the input,
//! the neuron, the time base and sweeps. The views and their instruments:
//! keys_views.rs; typed entries, export and switching models:
//! keys_entry.rs; the help, the guidance and the key row: keys_overlays.rs;
//! the picker: keys_picker.rs.
#![allow(clippy::disallowed_methods)] // the platform's functions: an independent check

mod common;

use common::message;
use common::press::{app, chars, press, read};
use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use spikescope::model::recordable::{Quantity, Recordable};
use spikescope::model::{AnyModel, Unstable};
use spikescope::preset;
use spikescope::ui::app::{App, Hold, RunState};
use spikescope::ui::format::{sim_time, time_point};
use spikescope::ui::overlay::Overlay;
use spikescope::view::TriggerMode;

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

/// Past the first 32 neurons, the selected one's v and s are recorded from
/// when it was selected, in the probes' two last places: the sample of that
/// moment is theirs (it was unknown, and the trace began a step late).
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
    let mut then = [f64::NAN];
    model.values(&[v(537)], a.sim.input(), &mut then);
    let before = a.traces.probes.len();
    a.advance(50);
    // Unknown before, and from the sample of the moment it was selected on:
    // "recorded from" that time has its sample there.
    let values: Vec<f64> = a.traces.probes.values(kv).collect();
    assert!(values[..before - 1].iter().all(|x| x.is_nan()));
    assert_eq!(values[before - 1].to_bits(), then[0].to_bits());
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
fn reset_goes_back_to_zero() {
    let mut a = app("lif-constant");
    a.advance(5000);
    assert!(a.traces.stats.count[0] > 0);
    chars(&mut a, "r");
    assert_eq!(a.sim.step_index(), 0);
    assert_eq!(a.traces.stats.count[0], 0);
    assert_eq!(a.traces.probes.len(), 1);
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
    // Esc then q in one read (over SSH, one packet; a terminal's Alt-q is
    // the same bytes): the overlay closes and the oscilloscope quits, as
    // for the two keys.
    let mut a = app("hh-repetitive");
    chars(&mut a, "?");
    read(&mut a, b"\x1bq");
    assert_eq!(a.run, RunState::Quit, "Esc q quits from an overlay");
    let mut a = app("hh-repetitive");
    chars(&mut a, "p");
    read(&mut a, b"\x1b?");
    assert_eq!(
        a.overlay,
        Overlay::Help { page: 0 },
        "Esc ? goes to the keys"
    );
    // From a typed value: Esc cancels it and q quits; the reader dropped
    // the Esc and typed the q (`J_in = 5q`).
    let mut a = app("hh-repetitive");
    chars(&mut a, "=5");
    read(&mut a, b"\x1bq");
    assert_eq!(a.run, RunState::Quit, "Esc q quits from a typed value");
    assert_eq!(
        a.sim.main_stimulus().unwrap().amplitude,
        10.0,
        "nothing applied"
    );
    // Alt+Backspace in a typed value deletes its last word, as Ctrl-W (as
    // Esc then Backspace it would cancel the value).
    let mut a = app("hh-repetitive");
    chars(&mut a, "=7 uA/cm2");
    read(&mut a, b"\x1b\x7f");
    press(&mut a, &[KeyCode::Enter]);
    assert_eq!(a.sim.main_stimulus().unwrap().amplitude, 7.0);
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
    assert!(matches!(
        i.cause,
        Unstable::Value {
            variable: "V (mV)",
            ..
        }
    ));
    assert_eq!(a.sim.step_index(), 1);
    // The probes keep the last good state.
    let v: Vec<f64> = a.traces.probes.values(0).collect();
    assert!(v.iter().all(|x| x.is_finite()));
    chars(&mut a, " ");
    assert!(!a.running(), "cannot resume an unstable state");
    chars(&mut a, "r");
    assert!(!matches!(a.run, RunState::Unstable(_)));
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
    let RunState::Held(Hold::Sweep { trigger_s, .. }) = a.run else {
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

/// A held sweep is the spike of the neuron selected when it was captured:
/// with another selected since (its v drawn around that spike), the axis
/// and the status name whose spike it is.
#[test]
fn a_held_sweep_names_its_neuron_once_another_is_selected() {
    // network-abc opens on C, #2.
    let mut a = app("network-abc");
    chars(&mut a, "s");
    a.advance(100_000);
    let Some((trigger_s, 2)) = a.held_trigger() else {
        panic!("held on #2: {:?}", a.run)
    };
    let text = common::screen(&a);
    let own = format!("from the spike at {} (held)", time_point(trigger_s));
    assert!(text.contains(&own), "{own}\n{text}");
    assert!(text.contains(&format!("single: held, spike at {}", sim_time(trigger_s))));
    press(&mut a, &[KeyCode::Tab]);
    assert_eq!(
        (a.view.selected, a.held_trigger()),
        (0, Some((trigger_s, 2)))
    );
    let text = common::screen(&a);
    let named = format!("from the #2 C's spike at {} (held)", time_point(trigger_s));
    assert!(text.contains(&named), "{named}\n{text}");
    let status = format!("single: held, #2 C's spike at {}", sim_time(trigger_s));
    assert!(text.contains(&status), "{status}\n{text}");
}

/// lif-below's v rests at 0.9: v_in lowered to 0.8, then the threshold to
/// 0.7 from the panel, puts v above v_in above the threshold. It fires at
/// once and then at G(0.8) with that threshold (the crossing's closed form
/// was NaN there, and the next step's clamp to a NaN span panicked).
#[test]
fn a_threshold_lowered_under_v_fires_at_once() {
    // Opened from its source, as the command line opens it: the panel
    // changes a parameter as a --set would.
    let source = preset::PresetSource::resolve("lif-below", &[]).unwrap();
    let mut a = App::from_source(source).unwrap();
    a.guide_until = None;
    a.advance(5000);
    press(&mut a, &[KeyCode::Down]);
    a.advance(10);
    let AnyModel::Lif(n) = &a.sim.model else {
        panic!()
    };
    assert!(n.v > 0.8 && a.input_level() == 0.8, "{}", n.v);
    chars(&mut a, "p");
    press(&mut a, &[KeyCode::Down, KeyCode::Down, KeyCode::Enter]);
    chars(&mut a, "0.7");
    press(&mut a, &[KeyCode::Enter, KeyCode::Esc]);
    let AnyModel::Lif(n) = &a.sim.model else {
        panic!()
    };
    assert_eq!(n.params.v_threshold, 0.7, "{:?}", a.message);
    let t = a.sim.time_s();
    a.advance(20_000);
    let spikes: Vec<f64> = a.traces.probes.spikes().map(|s| s.time_s).collect();
    assert!(
        (spikes[0] - t).abs() < 1e-12,
        "the first at once: {spikes:?} from {t}"
    );
    let isi = spikes[spikes.len() - 1] - spikes[spikes.len() - 2];
    let g = 1.0 / (0.002 - 0.02 * (1.0 - 0.7 / 0.8f64).ln());
    assert!(
        (1.0 / isi - g).abs() < 1e-6 * g,
        "{} against G = {g}",
        1.0 / isi
    );
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

/// A filter bank has one input: Tab picks the filter the time cursors read,
/// round and back (they read only the first, whatever the user wanted).
#[test]
fn tab_in_a_filter_bank_picks_the_filter_the_cursors_read() {
    let mut a = app("psc-orders");
    press(&mut a, &[KeyCode::Tab]);
    assert_eq!(a.view.cursor_filter, 1);
    assert_eq!(
        message(&a),
        "the time cursors (c) read s(n = 1); Tab: the next filter"
    );
    press(&mut a, &[KeyCode::Tab, KeyCode::Tab]);
    assert_eq!(a.view.cursor_filter, 0);
    press(&mut a, &[KeyCode::BackTab]);
    assert_eq!(a.view.cursor_filter, 2);
    assert_eq!(a.view.selected, 0);
}
