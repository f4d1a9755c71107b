//! The f-I curve builder in the oscilloscope (`F`): its points are the
//! engine's (the same as `spikescope sweep` computes from the preset), the
//! view shows both legs and the onset at 80x24 without colour, and it
//! refuses models that do not fire.

mod common;

use common::screen;

use std::time::Duration;

use spikescope::lab::sweep::{
    DEFAULT_MEASURE_S, DEFAULT_SETTLE_S, Direction, Leg, PresetSource, Sweep, SweepPoint, SweepSpec,
};
use spikescope::model::lif::firing_rate;
use spikescope::preset::{self, bundled};
use spikescope::ui::app::{App, RunState};
use spikescope::ui::command::Command;
use spikescope::view::Pane;

fn app(name: &str) -> App {
    let mut a = App::new(preset::load(name, &[]).unwrap());
    a.guide_until = None;
    a
}

/// Runs the app's sweep to its end, as frames would.
fn finish(a: &mut App) {
    for _ in 0..10_000 {
        if !a.fi_busy() {
            return;
        }
        a.work_fi(Duration::from_millis(20));
    }
    panic!("the sweep did not end");
}

#[test]
fn hh_sweep_shows_the_engines_points_and_its_hysteresis() {
    let mut a = app("hh-repetitive");
    a.apply(Command::ShowPane(Pane::Rate));
    // Before a sweep the view says where the rest of the curve comes from.
    assert!(screen(&a).contains("F sweeps J_in"), "{}", screen(&a));
    a.apply(Command::FiSweep);
    assert!(a.fi_busy());
    assert_eq!(a.view.pane, Pane::Rate);
    assert_eq!(a.run, RunState::Paused, "the live run waits");
    finish(&mut a);
    assert_eq!(a.run, RunState::Running, "and goes on after");
    a.run = RunState::Paused;
    let fi = a.fi.as_ref().unwrap();
    // The same sweep from the preset file, as `spikescope sweep` runs it.
    let source = PresetSource {
        origin: "hh-repetitive".into(),
        text: bundled::get("hh-repetitive").unwrap().into(),
        overrides: vec![],
    };
    let spec = SweepSpec {
        key: "stimulus.amplitude".into(),
        from: 0.0,
        to: 15.0,
        step: 0.5,
        direction: Direction::Both,
        settle_s: DEFAULT_SETTLE_S,
        measure_s: DEFAULT_MEASURE_S,
        neuron: None,
    };
    let mut sweep = Sweep::new(source, &spec).unwrap();
    let mut want = Vec::new();
    while !sweep.is_done() {
        want.extend(sweep.advance(1 << 20).unwrap());
    }
    assert_eq!(fi.points, want, "bit for bit");
    assert_eq!(
        (fi.edge(Leg::Up), fi.edge(Leg::Down)),
        (Some(10.0), Some(7.0))
    );
    let text = screen(&a);
    assert!(text.contains("f-I: fires from 10 up, to 7 down"), "{text}");
    assert!(text.contains("onset") && text.contains("f-I up") && text.contains("f-I down"));
    assert!(!text.contains("F sweeps"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn lif_sweep_points_lie_on_g() {
    let mut a = app("lif-constant");
    a.apply(Command::FiSweep);
    finish(&mut a);
    let fi = a.fi.as_ref().unwrap();
    assert_eq!(fi.points.len(), 82);
    let AnyLif(p) = lif_params(&a);
    for point in &fi.points {
        let g = p.firing_rate(point.value);
        let err = (point.rate_hz - g).abs();
        assert!(err <= 1e-9 * g.max(1.0), "{point:?} vs G {g}");
    }
}

/// A network neuron driven by others: each f-I point stands at the mean
/// whole input it was measured at (s + b + x), on the axis G and the trail
/// share, so the points lie by G as the rate model says; at b + x, where
/// they stood, network-populations' y1 fired at 80 Hz over G(0.9) = 0.
#[test]
fn a_network_neurons_sweep_points_stand_at_their_whole_input() {
    let mut a = app("network-populations");
    a.apply(Command::Select(2));
    a.apply(Command::FiSweep);
    finish(&mut a);
    let fi = a.fi.as_ref().unwrap();
    let firing: Vec<_> = fi.points.iter().filter(|p| p.rate_hz > 10.0).collect();
    assert!(firing.len() > 10, "{}", fi.points.len());
    let (tau_m, tau_ref) = (0.02, 0.002);
    let off = |x: f64, rate: f64| (firing_rate(x, tau_m, tau_ref) - rate).abs() / rate;
    let mean_off = |at: &dyn Fn(&SweepPoint) -> f64| {
        firing.iter().map(|p| off(at(p), p.rate_hz)).sum::<f64>() / firing.len() as f64
    };
    let whole = mean_off(&|p| p.mean_input);
    let drive = mean_off(&|p| 0.9 + p.value);
    assert!(whole < 0.15 && drive > 0.5, "{whole} {drive}");
    // The view draws them there: the up leg's mark by its point.
    a.apply(Command::ShowPane(Pane::Rate));
    let text = screen(&a);
    assert!(text.contains("f-I up"), "{text}");
}

/// The live marks stay on top of the sweep's points among which they sit:
/// after a LIF sweep, G now (`●`, at v_in 1.5) was drawn over by the up
/// leg's point there, and the view lost the mark the status line reads.
#[test]
fn g_now_stays_visible_over_the_sweeps_points() {
    let mut a = app("lif-constant");
    a.apply(Command::FiSweep);
    finish(&mut a);
    a.run = RunState::Paused;
    let text = screen(&a);
    assert_eq!(text.matches('●').count(), 1, "{text}");
    assert!(text.contains("G now") && text.contains('◆'), "{text}");
    // LIF has no hysteresis: the down leg's points lie under the up leg's
    // (within 1e-14), and the up leg's label names both; a "f-I down"
    // label named marks no one could see.
    let fi = a.fi.as_ref().unwrap();
    let leg = |l: Leg| -> Vec<(f64, f64)> {
        let mut points: Vec<_> = fi
            .points
            .iter()
            .filter(|p| p.leg == l)
            .map(|p| (p.value, p.rate_hz))
            .collect();
        points.sort_by(|a, b| a.0.total_cmp(&b.0));
        points
    };
    for (u, d) in leg(Leg::Up).iter().zip(leg(Leg::Down)) {
        assert!(
            u.0 == d.0 && (u.1 - d.1).abs() <= 1e-12 * u.1.max(1.0),
            "{u:?} {d:?}"
        );
    }
    assert!(
        text.contains("f-I up = down") && !text.contains("f-I down"),
        "{text}"
    );
    assert!(!text.contains('■'), "{text}");
}

struct AnyLif(spikescope::model::lif::LifParams);

fn lif_params(a: &App) -> AnyLif {
    match &a.sim.model {
        spikescope::model::AnyModel::Lif(n) => AnyLif(n.params),
        _ => panic!("a LIF preset"),
    }
}

#[test]
fn f_again_stops_and_models_that_do_not_fire_are_refused() {
    let mut a = app("hh-repetitive");
    a.apply(Command::FiSweep);
    a.work_fi(Duration::from_millis(1));
    a.apply(Command::FiSweep);
    assert!(!a.fi_busy());
    assert!(
        a.message
            .as_ref()
            .unwrap()
            .text
            .starts_with("f-I sweep stopped"),
        "{:?}",
        a.message
    );
    for (name, why) in [
        ("rate-relu", "a rate model does not fire"),
        ("hh-clamp", "a voltage-clamped neuron does not fire"),
        ("psc-orders", "a synapse model does not fire"),
    ] {
        let mut a = app(name);
        a.apply(Command::FiSweep);
        assert!(!a.fi_busy(), "{name}");
        let m = a.message.as_ref().unwrap();
        assert!(m.error && m.text.contains(why), "{name}: {}", m.text);
    }
}

/// A network neuron driven by the rest of its network fires at every input
/// of the sweep: the view and the message say so, instead of an onset "–".
/// With another neuron selected after, the sweep's marks are named by their
/// neuron (they read "f-I up" under "rate of #0 A").
#[test]
fn a_sweep_without_an_edge_says_what_it_found() {
    let mut a = app("network-abc");
    a.apply(Command::FiSweep);
    finish(&mut a);
    a.run = RunState::Paused;
    let fi = a.fi.as_ref().unwrap();
    assert!(fi.points.iter().all(|p| p.rate_hz > 0.0), "C always fires");
    let text = screen(&a);
    assert!(
        text.contains("f-I of neuron 2: fires at every input swept"),
        "{text}"
    );
    assert!(
        text.contains("points: fires at every input swept"),
        "{text}"
    );
    assert!(!text.contains("fires from –"), "{text}");
    assert!(text.contains("f-I up") && !text.contains("f-I #"), "{text}");
    // Another neuron selected, the view is of it: the sweep's points say
    // whose they are.
    a.apply(Command::SelectNext);
    let text = screen(&a);
    assert!(text.contains("rate of #0 A"), "{text}");
    assert!(text.contains("f-I #2 up"), "{text}");
}
