//! The live parameters panel (`p`): a change is validated as a preset, the
//! run goes on from its state with the new parameters, blockers toggle as
//! HHsim's boxes, and what changed is shown with the `--set` that
//! reproduces it (panel, title, export message, quit line).
#![allow(clippy::disallowed_methods)] // the platform's functions: an independent check

mod common;

use common::params::{choose, hh_state};
use common::screen;

use spikescope::model::AnyModel;
use spikescope::ui::app::{App, RunState};
use spikescope::ui::command::Command;
use spikescope::ui::overlay::Overlay;

fn app(name: &str, steps: u64) -> App {
    common::paused_app(name, steps)
}

#[test]
fn ttx_blocks_firing_from_the_running_state_and_toggles_back() {
    let mut a = app("hh-repetitive", 4000);
    let before = hh_state(&a);
    let (t, spikes) = (a.sim.time_s(), a.sim.spike_count);
    assert!(spikes > 5);
    choose(&mut a, 8);
    let after = hh_state(&a);
    assert_eq!(
        (after.0, after.1, after.2, after.3),
        (before.0, before.1, before.2, before.3)
    );
    assert_eq!(after.4, 0.0);
    assert_eq!(a.sim.time_s(), t, "the same clock");
    assert_eq!(a.changed, [("hh.g_na".to_string(), "0".to_string())]);
    a.advance(4000);
    assert!(a.sim.spike_count <= spikes + 1, "no firing under TTX");
    let text = screen(&a);
    assert!(
        text.contains("›* TTX: Na channels blocked (g_Na = 0) [x]"),
        "{text}"
    );
    assert!(text.contains("to reproduce: --set hh.g_na=0"), "{text}");
    assert!(text.contains("changed: g_na"), "{text}");
    insta::assert_snapshot!(text);
    // Enter again lifts the block: the preset's own g_Na, nothing changed,
    // and nothing offered to reproduce (it read "(to reproduce:)").
    a.apply(Command::EditParam);
    assert_eq!(hh_state(&a).4, 120.0);
    assert!(a.changed.is_empty());
    assert_eq!(
        common::message(&a),
        "TTX: Na channels blocked (g_Na = 0): off; the run goes on with the preset's own \
         parameters"
    );
    // A reset starts at t = 0 with the parameters now in force.
    choose(&mut a, 9);
    a.apply(Command::Back);
    a.apply(Command::Reset);
    assert_eq!(a.sim.time_s(), 0.0);
    match &a.sim.model {
        AnyModel::Hh(n) => assert_eq!(n.params.g_k, 0.0),
        _ => unreachable!(),
    }
}

#[test]
fn a_preset_that_blocks_is_unblocked_to_the_squid_axons_value() {
    let mut a = app("hh-ttx", 100);
    assert_eq!(hh_state(&a).4, 0.0);
    choose(&mut a, 8);
    assert_eq!(hh_state(&a).4, 120.0);
    assert_eq!(a.changed, [("hh.g_na".to_string(), "120".to_string())]);
}

#[test]
fn a_typed_value_is_validated_as_a_preset() {
    let mut a = app("lif-constant", 1000);
    choose(&mut a, 0);
    assert!(matches!(a.overlay, Overlay::Params { text: Some(_), .. }));
    a.apply(Command::SetParam("-5".into()));
    let Overlay::Params { error: Some(e), .. } = &a.overlay else {
        panic!("refused in the panel: {:?}", a.overlay)
    };
    // What was typed, not a command line the user did not type (it read
    // "lif-constant with --set lif.tau_m="-5 ms": `lif.tau_m` = ...").
    assert!(
        e.starts_with("`lif.tau_m` = \"-5 ms\": must be greater than 0\n  valid: "),
        "{e}"
    );
    assert!(a.changed.is_empty());
    // A unit after the number, as the panel shows it or another of time,
    // is read as a preset reads it; one that is not a time is refused.
    a.apply(Command::SetParam("1.001 s".into()));
    assert_eq!(
        a.changed,
        [("lif.tau_m".to_string(), "1.001 s".to_string())]
    );
    match &a.sim.model {
        AnyModel::Lif(n) => assert_eq!(n.params.tau_m_s, 1.001, "the decimal typed"),
        _ => unreachable!(),
    }
    choose(&mut a, 0);
    choose(&mut a, 0);
    a.apply(Command::SetParam("10 mV".into()));
    let Overlay::Params { error: Some(e), .. } = &a.overlay else {
        panic!("refused in the panel: {:?}", a.overlay)
    };
    assert!(
        e.contains("\"10 mV\" is not a number")
            && e.contains("(in ms, or with a unit: 10 ms, 0.01 s)"),
        "{e}"
    );
    a.apply(Command::SetParam("10 ms".into()));
    assert_eq!(a.changed, [("lif.tau_m".to_string(), "10 ms".to_string())]);
    match &a.sim.model {
        AnyModel::Lif(n) => assert_eq!(n.params.tau_m_s, 0.01),
        _ => unreachable!(),
    }
    // The run's rate is G with the new tau_m.
    a.advance(20_000);
    let g = 1.0 / (0.002 + 0.01 * 3f64.ln());
    let text = screen(&a);
    assert!(text.contains(&format!("G(v_in) {:.2} Hz", g)), "{text}");
    assert!(
        a.message
            .as_ref()
            .unwrap()
            .text
            .contains("--set 'lif.tau_m=10 ms'")
    );
}

#[test]
fn a_networks_psc_order_and_tau_s_change_while_it_runs() {
    let mut a = app("network-abc", 3000);
    let v: Vec<f64> = match &a.sim.model {
        AnyModel::Network(n) => n.v().to_vec(),
        _ => panic!(),
    };
    choose(&mut a, 3);
    a.apply(Command::SetParam("2".into()));
    match &a.sim.model {
        AnyModel::Network(n) => {
            assert_eq!(n.params().filter.order, 2);
            assert_eq!(n.v(), &v[..], "the potentials go on");
            assert_eq!(
                n.synaptic_current(0),
                0.0,
                "filters of a new order start at 0"
            );
        }
        _ => unreachable!(),
    }
    assert_eq!(a.view.psc.order, 2, "view 4 explores the new filter");
    a.advance(3000);
    a.apply(Command::Reset);
    a.advance(100);
    assert!(!matches!(a.run, RunState::Unstable(_)));
    // The bias typed for the selected neuron is the model's at once.
    choose(&mut a, 4);
    a.apply(Command::SetParam("1.25".into()));
    match &a.sim.model {
        AnyModel::Network(n) => assert_eq!(n.bias()[a.view.selected], 1.25),
        _ => unreachable!(),
    }
}

/// A bias typed in the panel is set as + and - set it, at a time in the
/// run: the message says so, and offers no `--set` for it (it read "bias b
/// of #2 changed; the run goes on (to reproduce:)", and beside a changed
/// tau_m offered that one's `--set` alone, as if it gave the bias too, in a
/// drawn network where no `--set` can). The quit line names it.
#[test]
fn a_bias_typed_in_the_panel_is_said_to_be_an_input_set_in_the_run() {
    for (preset, steps) in [("network-abc", 3000), ("network-ei", 2500)] {
        let mut a = app(preset, steps);
        choose(&mut a, 0);
        a.apply(Command::SetParam("30".into()));
        let i = a.view.selected;
        choose(&mut a, 4);
        a.apply(Command::SetParam("1.2".into()));
        match &a.sim.model {
            AnyModel::Network(n) => assert_eq!(n.bias()[i], 1.2),
            _ => unreachable!(),
        }
        let t = spikescope::preset::time::format_time(a.sim.time_s());
        assert_eq!(
            common::message(&a),
            format!(
                "bias b of #{i} set to 1.2 at t = {t}, as + and - set it; the run goes on \
                 (--record keeps such changes)"
            ),
            "{preset}"
        );
        assert!(matches!(a.overlay, Overlay::Params { text: None, .. }));
        assert_eq!(a.reproduce_as_set(), " --set 'network.tau_m=30 ms'");
        let quit = spikescope::ui::quit_line(&a, 1, None);
        assert!(
            quit.ends_with(&format!(
                "parameters changed: --set 'network.tau_m=30 ms'; at the end, from the \
                 keyboard: #{i}'s bias 1.2"
            )),
            "{quit}"
        );
    }
}

/// network-abc's tau_s is 5 ms: typing 5 ms changes nothing, and nothing
/// is marked changed nor offered as a `--set` (it read `changed: tau_s`).
#[test]
fn a_value_typed_as_it_is_changes_nothing() {
    let mut a = app("network-abc", 3000);
    choose(&mut a, 2);
    a.apply(Command::SetParam("5 ms".into()));
    assert_eq!(
        common::message(&a),
        "tau_s is 5 ms already: nothing changed"
    );
    assert!(a.changed.is_empty() && a.reproduce_as_set().is_empty());
    let text = screen(&a);
    assert!(
        !text.contains("changed:") && !text.contains("* changed"),
        "{text}"
    );
    // A new value is a change.
    a.apply(Command::SetParam("0.006 s".into()));
    assert_eq!(a.reproduce_as_set(), " --set 'network.tau_s=0.006 s'");
}

#[test]
fn models_without_parameters_here_say_so() {
    let mut a = app("rate-relu", 10);
    a.apply(Command::OpenParams);
    assert_eq!(a.overlay, Overlay::None);
    assert!(
        a.message
            .as_ref()
            .unwrap()
            .text
            .contains("no parameters to change here")
    );
}

/// The selected neuron's incoming weights: one row each, set through the
/// whole matrix (W, or [W | b] for an augmented preset), which `--set`
/// then reproduces; a drawn network lists none.
#[test]
fn incoming_weights_are_changed_through_the_matrix() {
    let mut a = app("network-abc", 1000);
    choose(&mut a, 6);
    a.apply(Command::SetParam("0.03".into()));
    let AnyModel::Network(n) = &a.sim.model else {
        panic!()
    };
    assert_eq!(n.connections().to_dense()[2], [0.02, 0.03, 0.0]);
    let (key, value) = a.changed[0].clone();
    assert_eq!(key, "network.weights");
    let again = spikescope::preset::load("network-abc", &[format!("{key}={value}")]).unwrap();
    let AnyModel::Network(m) = &again.model else {
        panic!()
    };
    assert_eq!(m.connections().to_dense(), n.connections().to_dense());
    // Augmented: [W | b], the biases as they are.
    let mut a = app("network-populations-augmented", 100);
    a.apply(Command::Select(2));
    a.apply(Command::AdjustBias { tenths: 1 });
    choose(&mut a, 5);
    a.apply(Command::SetParam("0.05".into()));
    assert_eq!(a.changed[0].0, "network.augmented");
    let AnyModel::Network(n) = &a.sim.model else {
        panic!()
    };
    assert_eq!(n.connections().to_dense()[2][0], 0.05);
    assert!((n.bias()[2] - 1.0).abs() < 1e-12, "{}", n.bias()[2]);
    // A random network: no weight rows.
    let mut a = app("network-ei", 10);
    a.apply(Command::OpenParams);
    let text = screen(&a);
    assert!(
        !text.contains("w #0<-") && text.contains("bias b of #0"),
        "{text}"
    );
}

/// A LIF neuron's threshold and reset changed in the panel: the scope's
/// title and threshold line, the phase line's rest and the rate view's G
/// follow them (v_in 1.5 is below a threshold of 2: no firing, a rest).
#[test]
fn a_lif_threshold_changed_is_the_one_every_view_draws() {
    use spikescope::view::Pane;
    let mut a = app("lif-constant", 1000);
    choose(&mut a, 2);
    a.apply(Command::SetParam("2".into()));
    choose(&mut a, 3);
    a.apply(Command::SetParam("0.5".into()));
    a.apply(Command::Back);
    a.advance(10_000);
    let text = screen(&a);
    assert!(
        text.contains("membrane potential v (threshold 2, reset 0.5)"),
        "{text}"
    );
    // The threshold's dashes on the row of the tick 2.
    let row = text
        .lines()
        .find(|l| l.contains(" 2.0┤"))
        .unwrap_or_else(|| panic!("a tick at 2:\n{text}"));
    assert!(row.contains("╌╌╌╌"), "{text}");
    assert!(text.contains("rate –"), "no spike at v_in 1.5: {text}");
    a.apply(Command::ShowPane(Pane::Phase));
    let text = screen(&a);
    assert!(text.contains("rests at v = v_in = 1.5 (stable)"), "{text}");
    a.apply(Command::ShowPane(Pane::Rate));
    let text = screen(&a);
    // G's constants name the moved threshold and reset, as G is theirs.
    assert!(
        text.contains("v_in 1.500: G 0 Hz (tau_m 20 ms, tau_ref 2 ms, threshold 2, reset 0.5)"),
        "{text}"
    );
    // The rate axis reaches five thresholds, where G has risen (its ticks
    // to 8 here), and the points measured at the old threshold (41 Hz at
    // v_in 1.5) are gone with it: only the silence since.
    assert!(
        text.lines()
            .any(|l| l.contains("   2   ") && l.contains(" 8 ")),
        "{text}"
    );
    assert!(
        text.contains("measured – (silent") && text.contains("no ISI measured"),
        "{text}"
    );
}

/// In a small terminal the rows scroll to keep the chosen one in view, and
/// what changed stays under them: at 60x16 HH's tenth row (TEA) was chosen
/// out of sight.
#[test]
fn the_chosen_row_stays_in_view_in_a_small_terminal() {
    let mut a = app("hh-repetitive", 10);
    a.apply(Command::OpenParams);
    a.apply(Command::MoveParam(9));
    let text = common::rows(&a, 60, 16).join("\n");
    assert!(
        text.contains("›  TEA: K channels blocked (g_K = 0) [ ]"),
        "{text}"
    );
    a.apply(Command::EditParam);
    let text = common::rows(&a, 60, 16).join("\n");
    assert!(
        text.contains("›* TEA: K channels blocked (g_K = 0) [x]"),
        "{text}"
    );
    assert!(
        text.contains("* changed; to reproduce: --set hh.g_k=0"),
        "{text}"
    );
    a.apply(Command::MoveParam(-9));
    let text = common::rows(&a, 60, 16).join("\n");
    assert!(text.contains("›  g_Na"), "{text}");
}
