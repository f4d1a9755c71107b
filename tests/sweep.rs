//! `spikescope sweep`: the LIF rates are the notes' G(v_in) (1.2.2) at any
//! dt, HH's agree with long runs of its own, the up and down sweeps of HH
//! at 6.3 °C differ exactly where it is bistable, as NEURON's do under the
//! same schedule, and the command line writes its CSV and refuses what
//! cannot be swept (a time key's values: sweep_times.rs).
#![allow(clippy::disallowed_methods)] // the platform's functions: an independent check

mod common;

use common::{g, run, stderr, stdout};
use spikescope::lab::firing::window_rate;
use spikescope::lab::sweep::{Direction, Leg, PresetSource, Sweep, SweepPoint, SweepSpec};
use spikescope::preset::{self, bundled};

fn source(name: &str, overrides: &[&str]) -> PresetSource {
    PresetSource {
        origin: name.to_string(),
        text: bundled::get(name).expect("a bundled preset").to_string(),
        overrides: overrides.iter().map(|s| s.to_string()).collect(),
    }
}

fn spec(key: &str, from: f64, to: f64, step: f64, direction: Direction) -> SweepSpec {
    SweepSpec {
        key: key.into(),
        from,
        to,
        step,
        direction,
        settle_s: 0.5,
        measure_s: 2.0,
        neuron: None,
    }
}

fn points(source: PresetSource, spec: &SweepSpec) -> Vec<SweepPoint> {
    let mut sweep = Sweep::new(source, spec).expect("a sweep");
    let mut points = Vec::new();
    while !sweep.is_done() {
        points.extend(sweep.advance(10_000).expect("no instability"));
    }
    assert_eq!(points.len(), sweep.schedule().len());
    points
}

#[test]
fn lif_rates_are_g_at_any_dt() {
    for dt in ["1e-3", "1e-4", "3.7e-5", "2.5e-3"] {
        let set = format!("dt={dt}");
        let spec = spec("stimulus.amplitude", 0.5, 6.0, 0.25, Direction::Up);
        for p in points(source("lif-constant", &[&set]), &spec) {
            let want = g(p.value, 0.02, 0.002);
            if want == 0.0 {
                assert_eq!(p.rate_hz, 0.0, "dt {dt}, v_in {}", p.value);
            } else {
                let rel = (p.rate_hz - want).abs() / want;
                assert!(
                    rel < 1e-9,
                    "dt {dt}, v_in {}: {} vs G {want}",
                    p.value,
                    p.rate_hz
                );
            }
        }
    }
}

/// A sweep of tau_ref: G follows it, as the notes' formula says.
#[test]
fn lif_rates_follow_tau_ref() {
    let spec = spec("lif.tau_ref", 0.0, 0.01, 0.001, Direction::Both);
    for p in points(source("lif-constant", &[]), &spec) {
        let want = g(1.5, 0.02, p.value);
        assert!((p.rate_hz - want).abs() / want < 1e-9, "{p:?} vs {want}");
    }
}

/// The rate of a long run from rest at one input: 20 s, the first 2 s
/// left to settle.
fn hh_long_run_rate(j: f64) -> f64 {
    let set = format!("stimulus.amplitude={j}");
    let scenario = preset::load("hh-repetitive", &[set]).unwrap();
    let (_, mut sim) = scenario.into_simulation();
    let mut times = Vec::new();
    for _ in 0..400_000 {
        times.extend(sim.step().unwrap().iter().map(|s| s.time_s));
    }
    window_rate(&times, 2.0, 20.0).rate_hz
}

#[test]
fn hh_rates_agree_with_long_runs() {
    let spec = spec("stimulus.amplitude", 10.0, 40.0, 15.0, Direction::Up);
    let swept = points(source("hh-repetitive", &[]), &spec);
    assert_eq!(swept.len(), 3);
    for p in swept {
        let long = hh_long_run_rate(p.value);
        assert!(long > 60.0, "{long}");
        let rel = (p.rate_hz - long).abs() / long;
        assert!(
            rel < 1e-6,
            "J = {}: swept {} vs run {long}",
            p.value,
            p.rate_hz
        );
    }
}

/// HH at 6.3 °C: between about 6.3 and 9.8 µA/cm² the resting state and the
/// firing cycle are both stable. Going up it rests until the rest is lost
/// (at 9.8); coming down it fires until the cycle is lost (at 6.3).
#[test]
fn hh_up_and_down_differ_where_it_is_bistable() {
    let spec = spec("stimulus.amplitude", 4.0, 12.0, 1.0, Direction::Both);
    let all = points(source("hh-repetitive", &[]), &spec);
    let rate = |leg: Leg, j: f64| {
        all.iter()
            .find(|p| p.leg == leg && p.value == j)
            .map(|p| p.rate_hz)
            .unwrap()
    };
    for j in [4.0, 5.0, 6.0] {
        assert_eq!(
            (rate(Leg::Up, j), rate(Leg::Down, j)),
            (0.0, 0.0),
            "J = {j}"
        );
    }
    for j in [7.0, 8.0, 9.0] {
        assert_eq!(rate(Leg::Up, j), 0.0, "J = {j} going up rests");
        assert!(rate(Leg::Down, j) > 50.0, "J = {j} coming down fires");
    }
    for j in [10.0, 11.0, 12.0] {
        let (up, down) = (rate(Leg::Up, j), rate(Leg::Down, j));
        assert!(
            up > 60.0 && (up - down).abs() / up < 1e-6,
            "J = {j}: {up} {down}"
        );
    }
}

/// The sweep both ways, 0 to 15 µA/cm² in steps of 0.5, 200 ms settling
/// and 500 ms measured, against NEURON under the same schedule
/// (`tests/refdata/hh/sweep_neuron.*`: CVODE at atol 1e-10, crossings
/// interpolated, each change an event): every window's spike count equal,
/// so the same hysteresis (up: silent at 9.5, firing from 10; down: firing
/// to 7, silent at 6.5), and each rate within 5e-6 of NEURON's spikes' by
/// the same rule (RK4 at 50 µs is 1.2e-6 off). A window with a NEURON spike
/// within 0.05 ms of an edge may count one more or fewer (`down 15`, 21.9 s
/// into the sweep, has one 0.006 ms after its start; the step's error
/// carried over 20 s of phase is of that order).
#[test]
fn hh_sweep_both_ways_matches_neuron_under_its_schedule() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/refdata/hh/sweep_neuron.json"
    );
    let neuron: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let values: Vec<f64> = serde_json::from_value(neuron["values_uA_cm2"].clone()).unwrap();
    let spikes_ms: Vec<f64> = serde_json::from_value(neuron["spikes_ms"].clone()).unwrap();
    let (settle_s, measure_s) = (
        neuron["settle_ms"].as_f64().unwrap() / 1e3,
        neuron["measure_ms"].as_f64().unwrap() / 1e3,
    );
    let spec = SweepSpec {
        settle_s,
        measure_s,
        ..spec("stimulus.amplitude", 0.0, 15.0, 0.5, Direction::Both)
    };
    let swept = points(source("hh-repetitive", &[]), &spec);
    assert_eq!(
        swept.iter().map(|p| p.value).collect::<Vec<_>>(),
        values,
        "the schedule"
    );
    let hold = settle_s + measure_s;
    let mut near_an_edge = 0;
    for (k, p) in swept.iter().enumerate() {
        // NEURON's spikes while this value held, in s (a value's rate reads
        // only its own spikes, as the sweep's).
        let t0 = k as f64 * hold;
        let times: Vec<f64> = spikes_ms
            .iter()
            .map(|t| t / 1e3)
            .filter(|t| (t0..t0 + hold).contains(t))
            .collect();
        let (start, end) = (t0 + settle_s, t0 + hold);
        let peer = window_rate(&times, start, end);
        let what = format!(
            "{:?} {}: {} {} against NEURON's {} {}",
            p.leg, p.value, p.spikes, p.rate_hz, peer.spikes, peer.rate_hz
        );
        if times
            .iter()
            .any(|t| (t - start).abs() < 5e-5 || (t - end).abs() < 5e-5)
        {
            near_an_edge += 1;
            assert!(p.spikes.abs_diff(peer.spikes) <= 1, "{what}");
            continue;
        }
        assert_eq!(p.spikes, peer.spikes, "{what}");
        if peer.spikes == 0 {
            assert_eq!(p.rate_hz, 0.0, "{what}");
        } else {
            assert!(
                (p.rate_hz - peer.rate_hz).abs() <= 5e-6 * peer.rate_hz,
                "{what}"
            );
        }
    }
    assert_eq!(near_an_edge, 1, "down 15 only");
    let fires = |leg: Leg, j: f64| {
        swept
            .iter()
            .any(|p| p.leg == leg && p.value == j && p.spikes > 0)
    };
    assert!(!fires(Leg::Up, 9.5) && fires(Leg::Up, 10.0));
    assert!(fires(Leg::Down, 7.0) && !fires(Leg::Down, 6.5));
}

#[test]
fn the_command_writes_its_csv_and_says_where_firing_starts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fi.csv");
    let o = run(&[
        "sweep",
        "lif-constant",
        "--param",
        "stimulus.amplitude",
        "--from",
        "0.5",
        "--to",
        "1.5",
        "--step",
        "0.5",
        "--direction",
        "both",
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    let csv = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "direction,value,rate_hz,spikes");
    let rows: Vec<Vec<&str>> = lines[1..].iter().map(|l| l.split(',').collect()).collect();
    let legs: Vec<(&str, &str)> = rows.iter().map(|r| (r[0], r[1])).collect();
    assert_eq!(
        legs,
        [
            ("up", "0.5"),
            ("up", "1.0"),
            ("up", "1.5"),
            ("down", "1.5"),
            ("down", "1.0"),
            ("down", "0.5")
        ]
    );
    let rate: f64 = rows[2][2].parse().unwrap();
    assert!((rate - g(1.5, 0.02, 0.002)).abs() < 1e-9 * rate, "{rate}");
    assert_eq!(rows[0][2..], ["0.0", "0"]);
    assert!(
        err.contains("up: fires at stimulus.amplitude = 1.5"),
        "{err}"
    );
    // How far the measured rates are from G(v_in) in closed form, said.
    let off = off_closed_form(&err);
    assert!(off < 1e-9, "{off}: {err}");
    // With the threshold and reset moved, G is theirs: 1 / (tau_ref + tau_m
    // ln((v_in - v_reset)/(v_in - v_threshold))), swept by the input or by
    // the threshold itself.
    let g_moved = |v: f64, th: f64, r: f64| 1.0 / (0.002 + 0.02 * ((v - r) / (v - th)).ln());
    for (args, want) in [
        (
            "stimulus.amplitude --from 2 --to 2 --step 1 --set lif.v_threshold=1.2",
            g_moved(2.0, 1.2, 0.5),
        ),
        (
            "lif.v_threshold --from 1.2 --to 1.2 --step 1",
            g_moved(1.5, 1.2, 0.5),
        ),
    ] {
        let all = format!("sweep lif-constant --param {args} --set lif.v_reset=0.5");
        let o = run(&all.split_whitespace().collect::<Vec<_>>());
        let (out, err) = (stdout(&o), stderr(&o));
        let row = out.lines().nth(1).unwrap_or_else(|| panic!("{err}"));
        let rate: f64 = row.split(',').nth(2).unwrap().parse().unwrap();
        assert!(
            (rate - want).abs() < 1e-9 * want,
            "{args}: {rate} against {want}"
        );
        assert!(off_closed_form(&err) < 1e-9, "{err}");
    }
    // HH has no closed form to say it against.
    let o = run(&[
        "sweep",
        "hh-repetitive",
        "--param",
        "stimulus.amplitude",
        "--from",
        "9",
        "--to",
        "10",
        "--step",
        "1",
        "--measure",
        "0.5",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success() && !err.contains("closed form"), "{err}");
}

#[test]
fn what_cannot_be_swept_is_refused() {
    let cases: [(&[&str], &str); 6] = [
        (
            &[
                "sweep",
                "hh-repetitive",
                "--param",
                "hh.g_nax",
                "--from",
                "0",
                "--to",
                "1",
                "--step",
                "1",
            ],
            "unknown key `g_nax`; did you mean `g_na`?",
        ),
        (
            &[
                "sweep",
                "rate-relu",
                "--param",
                "rate.tau",
                "--from",
                "0.01",
                "--to",
                "0.02",
                "--step",
                "0.01",
            ],
            "a rate model does not fire",
        ),
        (
            &[
                "sweep",
                "lif-constant",
                "--param",
                "dt",
                "--from",
                "0.001",
                "--to",
                "0.002",
                "--step",
                "0.001",
            ],
            "does not change the model",
        ),
        (
            &[
                "sweep",
                "lif-constant",
                "--param",
                "lif.tau_m",
                "--from",
                "-1",
                "--to",
                "1",
                "--step",
                "1",
            ],
            "`lif.tau_m` = -1",
        ),
        (
            &[
                "sweep",
                "network-abc",
                "--param",
                "network.psc_order",
                "--from",
                "0",
                "--to",
                "1",
                "--step",
                "1",
            ],
            // One space between words (18 stood before "order").
            "a network of 3 neurons with PSC order 1 cannot go on from one of 3 with order 0; \
             valid: a key whose values keep the model's neurons and filters",
        ),
        (
            &[
                "sweep",
                "network-benchmark",
                "--param",
                "network.random.n",
                "--from",
                "10",
                "--to",
                "20",
                "--step",
                "10",
            ],
            // The order is not named where it is the same (it read "with PSC
            // order 0 cannot go on from one of 10 with order 0").
            "--param network.random.n = 20: a network of 20 neurons cannot go on from one of 10; \
             valid:",
        ),
    ];
    for (args, want) in cases {
        let o = run(args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(
            o.stdout.is_empty(),
            "nothing written before the check: {args:?}"
        );
    }
}

/// `hh-bistable` does what its guidance says: silent at 8 µA/cm² until the
/// 2 ms pulse at 100 ms, then firing to the end at the same input; and its
/// sweep shows the loop from 7 to 10.
#[test]
fn the_bistable_preset_switches_with_its_pulse() {
    let scenario = preset::load("hh-bistable", &[]).unwrap();
    let (_, mut sim) = scenario.into_simulation();
    let mut times = Vec::new();
    for _ in 0..8000 {
        times.extend(sim.step().unwrap().iter().map(|s| s.time_s));
    }
    assert!(times.iter().all(|&t| t > 0.1), "{times:?}");
    assert!(times.iter().filter(|&&t| t > 0.3).count() >= 5, "{times:?}");
    let spec = spec("stimulus.amplitude", 6.0, 10.0, 1.0, Direction::Both);
    let all = points(source("hh-bistable", &[]), &spec);
    let fires = |leg: Leg, j: f64| {
        all.iter()
            .any(|p| p.leg == leg && p.value == j && p.rate_hz > 0.0)
    };
    assert!(!fires(Leg::Up, 9.0) && fires(Leg::Up, 10.0));
    assert!(fires(Leg::Down, 7.0) && !fires(Leg::Down, 6.0));
}

/// How far the summary says the measured rates are from G(v_in) in closed
/// form (Hz).
fn off_closed_form(err: &str) -> f64 {
    err.split("the measured rates are within ")
        .nth(1)
        .and_then(|rest| rest.split(" Hz of G(v_in) in closed form").next())
        .unwrap_or_else(|| panic!("no closed-form line: {err}"))
        .parse()
        .unwrap()
}

/// A key that holds a list, a matrix's row or a section, given to sweep or
/// threshold, is said to hold it, with the keys of its numbers to step: it
/// read "`network.bias` = 0: a number is not valid here; valid: a list in
/// brackets, e.g. [1.0, 2.0]", how to replace the list.
#[test]
fn a_key_that_holds_a_list_or_a_section_names_the_keys_of_its_numbers() {
    let sweep = |key: &'static str| {
        vec![
            "sweep",
            "network-abc",
            "--param",
            key,
            "--from",
            "0",
            "--to",
            "1",
            "--step",
            "1",
        ]
    };
    let cases: [(Vec<&str>, &str); 4] = [
        (
            sweep("network.bias"),
            "error: network-abc with --param network.bias = 0: `network.bias`: it holds a list \
             of 3 numbers, not one number\n  valid: one of them by its index from 0: \
             network.bias[0] to network.bias[2]\n",
        ),
        (
            sweep("network"),
            "error: network-abc with --param network = 0: `network`: it holds a section of \
             keys, not one number\n  valid: one of its keys: network.psc_order, network.tau_m, \
             network.tau_ref, network.tau_s\n",
        ),
        (
            vec![
                "threshold",
                "network-abc",
                "--param",
                "network.weights[2]",
                "--between",
                "0",
                "0.05",
            ],
            "error: network-abc with --between network.weights[2] = 0: `network.weights[2]`: \
             it holds a list of 3 numbers, not one number\n  valid: one of them by its index \
             from 0: network.weights[2][0] to network.weights[2][2]\n",
        ),
        (
            vec![
                "threshold",
                "hh-bistable",
                "--param",
                "stimulus.amplitude",
                "--between",
                "0",
                "20",
                "--against",
                "stimuli",
                "--from",
                "0",
                "--to",
                "1",
                "--step",
                "1",
            ],
            "`stimuli`: it holds a list of 1 table, not one number\n  valid: a key of one of \
             them by its index from 0, e.g. stimuli[0].amplitude\n",
        ),
    ];
    for (args, want) in cases {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = stderr(&o);
        assert!(err.ends_with(want), "{args:?}:\n{err}");
    }
    // A list of names is not stepped: the preset's own error says so.
    let o = run(&sweep("network.names"));
    assert!(
        stderr(&o).contains("a number is not valid here"),
        "{}",
        stderr(&o)
    );
}
