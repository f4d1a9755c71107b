//! `spikescope threshold`: a LIF neuron's threshold amplitude against a
//! pulse's width is the notes' closed form (1.2: v = v_in (1 - e^(-t/tau_m))
//! reaches 1 by the pulse's end), HH's strength-duration curve is NEURON's,
//! a boundary on the negative side (`hh-rebound`) is found as one on the
//! positive, and the command line writes its CSV and refuses what cannot be
//! searched.
#![allow(clippy::disallowed_methods)] // the platform's functions: an independent check

mod common;

use common::refdata::json;
use common::svg::{
    at_ticks, circles, marks_where_the_rows_put_them, on_the_closed_form, texts, x_ticks, y_ticks,
};
use common::{run, stderr, stdout};
use spikescope::lab::sweep::PresetSource;
use spikescope::lab::threshold::{Found, Threshold, ThresholdPoint, ThresholdSpec};
use spikescope::preset::bundled;

/// A LIF neuron from v = 0, one pulse at 10 ms, tau_m = 20 ms.
const LIF_PULSE: &str = r#"
name = "LIF: one pulse"
model = "lif"
duration = "100 ms"
dt = "0.1 ms"

[lif]
tau_m = "20 ms"
tau_ref = "2 ms"

[stimulus]
kind = "pulses"
amplitude = 2.0
start = "10 ms"
width = "5 ms"
period = "1 s"
count = 1
"#;

fn source(origin: &str, text: &str, overrides: &[&str]) -> PresetSource {
    PresetSource {
        origin: origin.to_string(),
        text: text.to_string(),
        overrides: overrides.iter().map(|s| s.to_string()).collect(),
    }
}

fn bundled_source(name: &str) -> PresetSource {
    source(name, bundled::get(name).expect("a bundled preset"), &[])
}

fn search(source: PresetSource, spec: ThresholdSpec) -> Vec<ThresholdPoint> {
    let mut t = Threshold::new(source, spec).expect("a search");
    let mut points = Vec::new();
    while !t.is_done() {
        points.push(t.next_point(&mut || false).unwrap().expect("not stopped"));
    }
    points
}

fn amplitude_against_width(between: [f64; 2], widths_s: &[f64]) -> ThresholdSpec {
    ThresholdSpec {
        key: "stimulus.amplitude".into(),
        between,
        against: Some(("stimulus.width".into(), widths_s.to_vec())),
        neuron: None,
    }
}

/// The firing end of a search's bracket, which is at most 1e-9 of
/// `interval` wide.
fn firing(p: &ThresholdPoint, interval: f64) -> f64 {
    match p.found {
        Found::Boundary { firing, silent } => {
            assert!((firing - silent).abs() <= 1e-9 * interval, "{p:?}");
            firing
        }
        Found::NoBoundary { .. } => panic!("no boundary: {p:?}"),
    }
}

/// `spikescope threshold hh-single-spike --param stimulus.amplitude
/// --between A B` and `more`.
fn single_spike(between: [&str; 2], more: &[&str]) -> std::process::Output {
    let args = [
        "threshold",
        "hh-single-spike",
        "--param",
        "stimulus.amplitude",
        "--between",
        between[0],
        between[1],
    ];
    run(&[&args[..], more].concat())
}

/// Over a pulse of amplitude I and width T from v = 0, v = I (1 -
/// e^(-t/tau_m)) (notes 1.2): it reaches the threshold 1 by the pulse's end
/// when I >= 1 / (1 - e^(-T/tau_m)). The bisection finds it to its own
/// precision, 1e-9 of the interval, at widths of whole steps (one step
/// needs 200.5), rheobase 1 as T grows.
#[test]
fn a_lif_neurons_threshold_is_the_closed_form_strength_duration_curve() {
    let widths: Vec<f64> = [0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0]
        .iter()
        .map(|ms| ms * 1e-3)
        .collect();
    let points = search(
        source("lif-pulse.toml", LIF_PULSE, &[]),
        amplitude_against_width([0.0, 1000.0], &widths),
    );
    for (p, &width) in points.iter().zip(&widths) {
        let want = 1.0 / (1.0 - (-width / 0.02).exp());
        let got = firing(p, 1000.0);
        assert!(
            got >= want && got - want <= 1e-9 * 1000.0,
            "T = {width}: {got} against {want}"
        );
    }
    // The command line says so too, in its summary.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lif-pulse.toml");
    std::fs::write(&path, LIF_PULSE).unwrap();
    let o = run(&[
        "threshold",
        path.to_str().unwrap(),
        "--param",
        "stimulus.amplitude",
        "--between",
        "0",
        "100",
        "--against",
        "stimulus.width",
        "--from",
        "1ms",
        "--to",
        "10ms",
        "--step",
        "1ms",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("of the closed form 1 / (1 - e^(-T/tau_m))"),
        "{err}"
    );
    let rows: Vec<String> = stdout(&o).lines().map(String::from).collect();
    assert_eq!(rows[0], "value,threshold");
    assert_eq!(rows.len(), 11);
    assert!(rows[1].starts_with("0.001,"), "{}", rows[1]);
    // A threshold moved to 2 doubles the closed form, 2 / (1 - e^(-T/tau_m))
    // at the preset's 5 ms; from v_init = 0.5, decayed to v_s = 0.5
    // e^(-10/20) by the pulse's start, it is (1 - v_s e^(-T/tau_m)) / (1 -
    // e^(-T/tau_m)).
    let (e, v_s) = ((-0.25f64).exp(), 0.5 * (-0.5f64).exp());
    for (set, want, formula) in [
        (
            "lif.v_threshold=2",
            2.0 / (1.0 - e),
            "2 / (1 - e^(-T/tau_m))",
        ),
        (
            "lif.v_init=0.5",
            (1.0 - v_s * e) / (1.0 - e),
            "(1 - 0.303265 e^(-T/tau_m)) / (1 - e^(-T/tau_m))",
        ),
    ] {
        let args = [
            "threshold",
            path.to_str().unwrap(),
            "--param",
            "stimulus.amplitude",
        ];
        let o = run(&[&args[..], &["--between", "0", "100", "--set", set]].concat());
        let (err, out) = (stderr(&o), stdout(&o));
        let got: f64 = out.lines().nth(1).unwrap().parse().unwrap();
        assert!(
            got >= want && got - want <= 1e-9 * 100.0,
            "{set}: {got} against {want}"
        );
        let off: f64 = err.split("within ").nth(1).unwrap()[..6].parse().unwrap();
        assert!(off <= 1e-7, "{err}");
        assert!(
            err.contains(&format!("of the closed form {formula}")),
            "{err}"
        );
    }
}

/// `hh-single-spike`'s pulse (from 5 ms, 50 ms a trial) at widths of 0.1 to
/// 5 ms against NEURON's CVODE under the same bisection
/// (`hh/strength_duration_neuron.json`): each threshold within 1e-5 of
/// NEURON's (measured 3.0e-6 at 0.1 ms, 7e-8 at 2 ms), falling with the
/// width from 65 to 2.35 µA/cm².
#[test]
fn hh_strength_duration_follows_neuron() {
    let data = json("hh/strength_duration_neuron.json");
    let widths_ms = [0.1, 0.2, 0.5, 1.0, 2.0, 5.0];
    let widths: Vec<f64> = widths_ms.iter().map(|ms| ms * 1e-3).collect();
    let points = search(
        bundled_source("hh-single-spike"),
        amplitude_against_width([0.0, 100.0], &widths),
    );
    let mut last = f64::INFINITY;
    for (p, ms) in points.iter().zip(widths_ms) {
        let want = data["thresholds_uA_cm2"][format!("{ms:?}")]["firing"]
            .as_f64()
            .unwrap();
        let got = firing(p, 100.0);
        assert!(
            ((got - want) / want).abs() < 1e-5,
            "{ms} ms: {got} against NEURON's {want}"
        );
        assert!(got < last);
        last = got;
    }
}

/// `hh-rebound`'s pulse is negative: its threshold, between 0 (silent) and
/// -10 µA/cm² (fires), is -2.79 as its guidance says, between -2 (no
/// rebound: NEURON's `hh/rebound_neuron.json` too) and -3; the firing end
/// is the one named.
#[test]
fn a_threshold_below_zero_is_found_as_one_above() {
    let points = search(
        bundled_source("hh-rebound"),
        ThresholdSpec {
            key: "stimulus.amplitude".into(),
            between: [0.0, -10.0],
            against: None,
            neuron: None,
        },
    );
    assert_eq!(points.len(), 1);
    let Found::Boundary { firing, silent } = points[0].found else {
        panic!("{points:?}")
    };
    assert!(
        firing < silent && (-3.0..-2.0).contains(&firing),
        "{firing}"
    );
}

/// A value where both ends fire, or neither, has no threshold: an empty
/// cell in the CSV, and the summary names it.
#[test]
fn no_threshold_in_the_interval_is_an_empty_cell_and_said() {
    let o = single_spike(
        ["0", "10"],
        &[
            "--against",
            "stimulus.width",
            "--from",
            "0.1ms",
            "--to",
            "1ms",
            "--step",
            "0.9ms",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().nth(1), Some("0.0001,"));
    let second = stdout(&o).lines().nth(2).unwrap().to_string();
    assert!(second.starts_with("0.001,6.918"), "{second}");
    let err = stderr(&o);
    assert!(
        err.contains(
            "no threshold: silent at both ends at stimulus.width = 100 µs; it lies outside \
             --between, if anywhere"
        ),
        "{err}"
    );
}

/// What cannot be searched is refused before any run, saying what is
/// valid: the same key against itself, a bracket of one value, a model
/// that does not fire, a unit on a key that is not a time, a value the
/// preset refuses (named by the flag that chose it).
#[test]
fn what_cannot_be_searched_is_refused() {
    let refused = |args: &[&str], says: &str| {
        let mut all = vec!["threshold"];
        all.extend_from_slice(args);
        let o = run(&all);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
        assert!(stdout(&o).is_empty(), "{args:?}");
    };
    let amp = ["hh-single-spike", "--param", "stimulus.amplitude"];
    let with = |more: &[&'static str]| [&amp[..], more].concat();
    refused(
        &with(&[
            "--between",
            "0",
            "10",
            "--against",
            "stimulus.amplitude",
            "--from",
            "1",
            "--to",
            "2",
            "--step",
            "1",
        ]),
        "the key searched itself",
    );
    refused(
        &with(&["--between", "5", "5"]),
        "two different finite values",
    );
    refused(
        &with(&[
            "--between",
            "0",
            "100",
            "--against",
            "stimulus.width",
            "--from",
            "2ms",
            "--to",
            "1ms",
            "--step",
            "0.1ms",
        ]),
        "--from 2 ms --to 1 ms: --from is above --to; valid: from <= to",
    );
    refused(
        &[
            "rate-tanh",
            "--param",
            "stimulus.amplitude",
            "--between",
            "0",
            "1",
        ],
        "does not fire",
    );
    refused(&with(&["--between", "0", "5ms"]), "does not take one");
    refused(
        &[
            "hh-single-spike",
            "--param",
            "stimulus.width",
            "--between",
            "-1ms",
            "1ms",
        ],
        "with --between stimulus.width = -0.001: `stimulus.width` = -0.001: must be greater",
    );
    refused(
        &[
            "hh-single-spike",
            "--param",
            "duration",
            "--between",
            "0.01",
            "0.02",
        ],
        "does not change the model",
    );
    // A string key takes no time: its bare numbers are not said to be
    // seconds (they were, `stimulus.kind` reading the string "1 s").
    let o = run(&[
        "threshold",
        "hh-single-spike",
        "--param",
        "stimulus.kind",
        "--between",
        "0",
        "1",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!stderr(&o).contains("note:"), "{}", stderr(&o));
    assert!(stderr(&o).contains("a number is not valid here"));
    // A time key's are, in one line: `--between A B`.
    let o = run(&[
        "threshold",
        "hh-single-spike",
        "--param",
        "stimulus.width",
        "--between",
        "0.0001",
        "0.002",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("note: --between 0.0001 0.002: read as 100 µs, 2 ms,"),
        "{}",
        stderr(&o)
    );
    // --from without --against is clap's to refuse.
    let o = run(&[
        &["threshold"][..],
        &amp[..],
        &["--between", "0", "1", "--from", "1"],
    ]
    .concat());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--against"), "{}", stderr(&o));
}

/// A trial that blows up stops the search with exit status 1, naming the
/// preset, the values and what drove it there; `--out` is not written.
#[test]
fn an_unstable_trial_stops_the_search_and_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sd.csv");
    let o = single_spike(["0", "-100"], &["--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("hh-single-spike with stimulus.amplitude = -100: numerical instability"),
        "{err}"
    );
    assert!(err.contains("outside -16.38 to 6148"), "{err}");
    assert!(err.contains("no output was written"), "{err}");
    assert!(!out.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

/// `--out` gets the CSV whole; the summary goes to standard error.
#[test]
fn the_csv_goes_to_its_file_whole() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sd.csv");
    let o = single_spike(["0", "100"], &["--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
    let text = std::fs::read_to_string(&out).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0], "threshold");
    let threshold: f64 = rows[1].parse().unwrap();
    // The preset's own 1 ms pulse: NEURON's 6.918925 µA/cm².
    assert!((threshold - 6.918925).abs() < 1e-4, "{threshold}");
    assert!(stderr(&o).contains("threshold: stimulus.amplitude = 6.91892"));
    // As the preset's guidance says.
    let guide = bundled::get("hh-single-spike").unwrap();
    assert!(guide.contains("it fires from 6.919 µA/cm² up"));
}

/// `--plot`: a mark for every threshold of the CSV, where its numbers put
/// it (one affine image of (width, threshold), to the pixel), on the LIF
/// closed form's grey line, the axes and legend named, and the command
/// that draws it again in the subtitle; a negative threshold (hh-rebound)
/// is drawn below 0.
#[test]
fn the_figure_draws_each_threshold_where_its_csv_puts_it() {
    let dir = tempfile::tempdir().unwrap();
    let (preset, svg_path, csv_path) = (
        dir.path().join("lif-pulse.toml"),
        dir.path().join("sd.svg"),
        dir.path().join("sd.csv"),
    );
    std::fs::write(&preset, LIF_PULSE).unwrap();
    let draw = |preset: &str, between: [&str; 2], widths: [&str; 3]| {
        let o = run(&[
            "threshold",
            preset,
            "--param",
            "stimulus.amplitude",
            "--between",
            between[0],
            between[1],
            "--against",
            "stimulus.width",
            "--from",
            widths[0],
            "--to",
            widths[1],
            "--step",
            widths[2],
            "--out",
            csv_path.to_str().unwrap(),
            "--plot",
            svg_path.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        let rows: Vec<(f64, f64)> = std::fs::read_to_string(&csv_path)
            .unwrap()
            .lines()
            .skip(1)
            .map(|l| {
                let (w, t) = l.split_once(',').unwrap();
                (w.parse().unwrap(), t.parse().unwrap())
            })
            .collect();
        (std::fs::read_to_string(&svg_path).unwrap(), rows)
    };
    let (svg, rows) = draw(
        preset.to_str().unwrap(),
        ["0", "100"],
        ["1ms", "20ms", "1ms"],
    );
    let marks = circles(&svg);
    marks_where_the_rows_put_them(&marks, &rows);
    on_the_closed_form(&svg, &marks[..rows.len()]);
    let text = texts(&svg);
    for label in [
        "lif-pulse.toml: threshold of stimulus.amplitude against stimulus.width",
        "stimulus.width (ms)",
        "threshold of stimulus.amplitude: v_in",
        "closed form",
        "1 / (1 - e^(-T/tau_m))",
        "tau_m 20 ms",
        "threshold (found)",
    ] {
        assert!(
            text.iter().any(|t| t.ends_with(label)),
            "{label:?} not in {text:?}"
        );
    }
    assert!(
        text.join(" ").contains(
            "--param stimulus.amplitude --between 0 100 --against stimulus.width --from 1ms \
             --to 20ms --step 1ms --plot FILE"
        ),
        "{text:?}"
    );
    // The widths, 1 to 20 ms, on an axis in ms as the command gave them
    // (it read 0.002 to 0.02 s): each mark where the x axis's numbers put
    // the row's width in ms, to 1.5 pixels; the CSV keeps seconds.
    let ticks = x_ticks(&svg);
    assert!(ticks.iter().any(|t| t.0 == 10.0), "{ticks:?}");
    for (&(w, _), &(cx, _)) in rows.iter().zip(&marks) {
        assert!(w < 0.021, "the CSV's widths in s: {w}");
        let x = at_ticks(&ticks, 1e3 * w);
        assert!(
            (cx - x).abs() <= 1.5,
            "{w} s at {cx}, its ticks put it at {x}"
        );
    }
    // Below 0: each negative threshold's mark at the height the y axis's
    // numbers give it (read off the two ticks around it), to 1.5 pixels.
    let (svg, rows) = draw("hh-rebound", ["0", "-10"], ["4ms", "20ms", "4ms"]);
    let marks = circles(&svg);
    assert!(rows.iter().all(|r| r.1 < 0.0), "{rows:?}");
    let ticks = y_ticks(&svg);
    assert!(ticks.iter().any(|t| t.0 < -4.0), "{ticks:?}");
    for (&(_, t), &(_, cy)) in rows.iter().zip(&marks) {
        let below = ticks
            .iter()
            .filter(|k| k.0 <= t)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        let above = ticks
            .iter()
            .filter(|k| k.0 > t)
            .min_by(|a, b| a.0.total_cmp(&b.0));
        let (Some(lo), Some(hi)) = (below, above) else {
            panic!("{t} outside the ticks {ticks:?}")
        };
        let y = lo.1 + (t - lo.0) / (hi.0 - lo.0) * (hi.1 - lo.1);
        assert!(
            (cy - y).abs() <= 1.5,
            "{t} at {cy}, its ticks put it at {y}"
        );
    }
    assert!(texts(&svg).iter().any(|t| t.ends_with("J_in (µA/cm²)")));
}

/// `--out` or `--plot` naming the preset read, or each other, is refused
/// before anything runs, and the preset is left as it was.
#[test]
fn outputs_over_the_preset_or_each_other_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let preset = dir.path().join("lif-pulse.toml");
    std::fs::write(&preset, LIF_PULSE).unwrap();
    let p = preset.to_str().unwrap();
    let other = dir.path().join("sd.svg");
    let o = other.to_str().unwrap();
    let base = [
        "threshold",
        p,
        "--param",
        "stimulus.amplitude",
        "--between",
        "0",
        "100",
        "--against",
        "stimulus.width",
        "--from",
        "1ms",
        "--to",
        "2ms",
        "--step",
        "1ms",
    ];
    for (extra, says) in [
        (vec!["--out", p], "--out"),
        (vec!["--plot", p], "--plot"),
        (vec!["--out", o, "--plot", o], "--plot"),
    ] {
        let out = run(&[&base[..], &extra[..]].concat());
        assert_eq!(out.status.code(), Some(2), "{extra:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{extra:?}: {}", stderr(&out));
        assert_eq!(std::fs::read_to_string(&preset).unwrap(), LIF_PULSE);
        assert!(!other.exists());
    }
}
