//! `spikescope threshold --plot` without `--against`: the two trials
//! either side of the threshold, run whole. Their inputs differ by 1e-9 of
//! the bracket, yet one fires and the other does not: a LIF neuron's silent
//! side is the notes' closed form v = v_in (1 - e^(-t/tau_m)) (1.2) to the
//! last digits, its firing side crosses where the closed form says; HH's
//! two traces are one until the spike, and the figure names both values as
//! the CSV has them.
#![allow(clippy::disallowed_methods)] // the platform's functions: an independent check

mod common;

use common::svg::{circles, texts};
use common::{run, stderr, stdout};
use spikescope::lab::sweep::PresetSource;
use spikescope::lab::threshold::{Found, Threshold, ThresholdSpec, TracedTrial};
use spikescope::preset::bundled;

/// The search's one point and its two traced trials, firing first.
fn traced(name: &str, between: [f64; 2]) -> (Found, [TracedTrial; 2]) {
    let source = PresetSource {
        origin: name.into(),
        text: bundled::get(name).expect("a bundled preset").into(),
        overrides: Vec::new(),
    };
    let spec = ThresholdSpec {
        key: "stimulus.amplitude".into(),
        between,
        against: None,
        neuron: None,
    };
    let mut search = Threshold::new(source, spec).expect("a search");
    let point = search.next_point(&mut || false).unwrap().unwrap();
    let ends = search.traced_ends(point.found).expect("two runs");
    (point.found, ends)
}

/// lif-constant (tau_m 20 ms, from v = 0, v_in constant): the threshold
/// of v_in is 1. Below it v = v_in (1 - e^(-t/tau_m)) never reaches 1; just
/// above it, v reaches 1 at t1 = tau_m ln(v_in / (v_in - 1)), some 400 ms
/// in for v_in - 1 = 2e-9.
#[test]
fn a_lif_neurons_two_sides_are_its_closed_form() {
    let (found, [firing, silent]) = traced("lif-constant", [0.0, 2.0]);
    let Found::Boundary {
        firing: above,
        silent: below,
    } = found
    else {
        panic!("a boundary: {found:?}")
    };
    assert_eq!((firing.value, silent.value), (above, below));
    assert!(firing.fires && !silent.fires);
    assert!(below <= 1.0 && above > 1.0 && above - below <= 2e-9 * 2.0);
    let tau_m = 0.02;
    let closed = |v_in: f64, t: f64| -v_in * (-t / tau_m).exp_m1();
    for &(t, v) in &silent.trace {
        assert!((v - closed(below, t)).abs() < 1e-12, "v({t}) = {v}");
    }
    // The firing side: on the closed form until its first reset, which
    // comes at t1 (the trace keeps each 1/1500 of the second's extremes).
    let t1 = tau_m * (above / (above - 1.0)).ln();
    let reset = firing
        .trace
        .windows(2)
        .find(|w| w[1].1 < w[0].1)
        .map(|w| w[1].0)
        .expect("a reset");
    assert!((reset - t1).abs() <= 1.0 / 1500.0, "reset {reset}, t1 {t1}");
    for &(t, v) in firing.trace.iter().take_while(|p| p.0 < reset) {
        assert!((v - closed(above, t)).abs() < 1e-12, "v({t}) = {v}");
    }
}

/// hh-single-spike: the two sides of the pulse's threshold (6.919 µA/cm²)
/// are the same trace, a hair apart, until the firing one's upstroke:
/// both rise to about -50 mV over 10 ms after the pulse, one turns into a
/// spike past 0 mV and the other falls back without crossing it.
#[test]
fn hhs_two_sides_part_only_at_the_spike() {
    let (_, [firing, silent]) = traced("hh-single-spike", [0.0, 20.0]);
    assert!(firing.fires && !silent.fires);
    assert!((firing.value - 6.9189).abs() < 1e-4, "{}", firing.value);
    let peak = |t: &TracedTrial| t.trace.iter().map(|p| p.1).fold(f64::MIN, f64::max);
    assert!(peak(&firing) > 0.0 && peak(&silent) < -45.0);
    assert_eq!(firing.trace.len(), silent.trace.len());
    let apart_from = firing
        .trace
        .iter()
        .zip(&silent.trace)
        .find(|(f, s)| (f.1 - s.1).abs() > 1.0)
        .map(|(f, _)| f.0)
        .expect("they part");
    assert!(
        (0.013..0.018).contains(&apart_from),
        "apart from {apart_from} s"
    );
}

/// The command line: the CSV as before, and the figure of the two sides,
/// named with the CSV's own threshold (every digit), unmarked, with the
/// spike's level (a LIF neuron's own threshold); where there is no
/// threshold the title says so.
#[test]
fn the_figure_names_both_sides_as_the_csv_has_them() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("sides.svg");
    // `threshold PRESET --param stimulus.amplitude --between A B`, `more`,
    // and the figure.
    let plot = |preset: &str, between: [&str; 2], more: &[&str]| {
        let args = [
            "threshold",
            preset,
            "--param",
            "stimulus.amplitude",
            "--between",
        ];
        let plot = ["--plot", svg.to_str().unwrap()];
        let o = run(&[&args[..], &between, more, &plot].concat());
        assert!(o.status.success(), "{}", stderr(&o));
        (stdout(&o), texts(&std::fs::read_to_string(&svg).unwrap()))
    };
    let (csv, text) = plot("hh-rebound", ["0", "-10"], &[]);
    let threshold = csv.lines().nth(1).expect("a row");
    assert_eq!(csv.lines().next(), Some("threshold"));
    for label in [
        "hh-rebound: either side of the threshold of stimulus.amplitude",
        "V (mV)",
        "t (ms)",
        "spike threshold",
        threshold,
        "fires",
        "silent",
    ] {
        assert!(text.iter().any(|t| t == label), "{label:?} not in {text:?}");
    }
    let svg_text = std::fs::read_to_string(&svg).unwrap();
    assert!(circles(&svg_text).is_empty(), "traces carry no marks");
    assert!(
        text.iter()
            .any(|t| t.contains("--between 0 -10 --plot FILE")),
        "the command that draws it again"
    );

    let (_, text) = plot("hh-rebound", ["-1", "-2"], &[]);
    assert!(
        text.iter().any(
            |t| t == "hh-rebound: stimulus.amplitude at both ends: no threshold, neither fires"
        ),
        "{text:?}"
    );

    // A LIF neuron's level is its own threshold, moved or not.
    let (csv, text) = plot("lif-constant", ["0", "4"], &["--set", "lif.v_threshold=2"]);
    let found: f64 = csv.lines().nth(1).unwrap().parse().unwrap();
    assert!(found > 2.0 && found - 2.0 <= 4e-9, "{found}");
    for label in ["threshold v = 2", "v (threshold 2)"] {
        assert!(text.iter().any(|t| t == label), "{label:?} not in {text:?}");
    }
    // One neuron is not named (it said "of neuron 0"); a network's is.
    assert!(!text.iter().any(|t| t.contains("of neuron")), "{text:?}");
    let (_, text) = plot("network-wta", ["0", "3"], &["--neuron", "1"]);
    assert!(
        text.iter().any(|t| t == "v (threshold 1) of neuron 1"),
        "{text:?}"
    );
}
