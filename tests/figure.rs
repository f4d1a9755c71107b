//! Figures of a run (`run --plot FILE.svg|.png`): the panes of each model
//! with labelled axes, units and legends named in text (not colour), the
//! numbers drawn the engine's own (every plotted point is a row of the
//! run's CSV, every extreme kept), PNG as a real image, and bad names
//! refused before anything runs.

mod common;

use std::collections::HashMap;

use common::svg::{circles, marks_where_the_rows_put_them, on_the_closed_form, texts};
use common::{run, stderr};
use spikescope::figure::{Figure, Format, render};
use spikescope::preset;

fn svg(args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.svg");
    let mut all = vec!["run"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--plot", path.to_str().unwrap()]);
    let out = run(&all);
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn each_model_draws_its_panes_with_labels_units_and_legends() {
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["hh-repetitive", "--duration", "50ms"],
            &[
                "HH: repetitive firing",
                "membrane voltage V",
                "V (mV)",
                "spike threshold 0 mV",
                "gate variables",
                "m",
                "h",
                "n",
                "ionic currents (outward +)",
                "I (µA/cm²)",
                "I_Na",
                "I_K",
                "I_L",
                "input current J_in",
                "J_in",
                "time (ms)",
            ],
        ),
        (
            &["hh-clamp-family"],
            &[
                "clamped voltage V",
                "clamp current (holds V, outward +)",
                "I_clamp",
            ],
        ),
        (
            &["lif-constant", "--duration", "3s"],
            &[
                "membrane potential v",
                "threshold",
                "reset",
                "input v_in",
                "time (s)",
            ],
        ),
        (
            &["network-abc", "--duration", "200ms"],
            &[
                "v #0 A",
                "v #1 B",
                "v #2 C",
                "s #2 C",
                "synaptic current s",
                "s (1/s)",
                "neuron",
            ],
        ),
        // Five neurons, all drawn as lines (the last, y3, is the
        // network's output); the raster's rows by the neurons' names.
        (
            &["network-populations-augmented", "--duration", "100ms"],
            &[
                "membrane potential v",
                "synaptic current s",
                "v #3 y2",
                "v #4 y3",
                "s #4 y3",
                "0 x1",
                "4 y3",
            ],
        ),
        // SoftMax's winner is its last neuron (b = 2).
        (
            &["rate-softmax"],
            &[
                "activity y",
                "input z = W y + b + x",
                "y #4 b=2",
                "z #4 b=2",
            ],
        ),
        // Forty neurons: six drawn as lines, which the titles say.
        (
            &["network-ei", "--duration", "50ms"],
            &[
                "membrane potential v (6 of 40 neurons)",
                "synaptic current s (6 of 40 neurons)",
                "v #5",
            ],
        ),
        (
            &["psc-orders"],
            &[
                "s: n = 0",
                "s: n = 2",
                "input spike train (10 spikes drawn)",
                // Its one row named as the oscilloscope's raster names it
                // (it read "0", under the axis name "train").
                "input",
            ],
        ),
    ];
    for (args, want) in cases {
        let t = texts(&svg(args));
        for w in *want {
            assert!(t.iter().any(|x| x == w), "{args:?}: no {w:?} in {t:?}");
        }
        // A rate network's subtitle counts no spikes: it has none.
        let subtitle = &t[1];
        assert_eq!(
            subtitle.contains(" spikes."),
            !args[0].starts_with("rate-"),
            "{subtitle}"
        );
        // The command that draws it again is on the figure.
        assert!(
            t.iter()
                .any(|x| x.contains(&format!("Drawn by: spikescope run {}", args[0]))),
            "{t:?}"
        );
    }
    // The clamp's current is the ionic current it holds V against, on the
    // ionic currents' axis (it read J, an input current's letter).
    let t = texts(&svg(&["hh-clamp-family"]));
    let axes = |name: &str| t.iter().filter(|x| *x == name).count();
    assert_eq!((axes("I (µA/cm²)"), axes("J (µA/cm²)")), (2, 0), "{t:?}");
}

/// One spike is counted as one: "1 spikes" was the subtitle of
/// hh-single-spike, and of a raster's title with one spike drawn.
#[test]
fn one_spike_is_one_spike() {
    let t = texts(&svg(&["hh-single-spike"]));
    assert!(
        t[1].contains("simulated at dt = 50 µs, 1 spike. Drawn by"),
        "{}",
        t[1]
    );
    let t = texts(&svg(&["network-abc", "--duration", "15ms"]));
    assert!(t[1].contains(", 1 spike. Drawn by"), "{}", t[1]);
    assert!(
        t.iter().any(|x| x == "spike raster (1 spike drawn)"),
        "{t:?}"
    );
}

#[test]
fn a_large_network_draws_the_raster_of_its_first_neurons_and_counts_them() {
    let t = texts(&svg(&["network-benchmark", "--duration", "100ms"]));
    let raster = t
        .iter()
        .find(|x| x.starts_with("spike raster, neurons 0-59 of 1000"))
        .unwrap();
    // The spikes drawn are those of neurons 0-59 in the run's spike CSV.
    let out = run(&[
        "run",
        "network-benchmark",
        "--duration",
        "100ms",
        "--spikes",
        "-",
    ]);
    let drawn = String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip(1)
        .filter(|l| l.split(',').next().unwrap().parse::<usize>().unwrap() < 60)
        .count();
    assert!(drawn > 50);
    assert!(
        raster.ends_with(&format!("({drawn} spikes drawn)")),
        "{raster}"
    );
}

/// The figure's points are the engine's: each is a row of `run`'s CSV (the
/// same time, the same value to the last bit), and every trace's smallest
/// and largest value over the run is among them, however long the run.
#[test]
fn every_plotted_point_is_a_csv_value_and_no_extreme_is_lost() {
    for (name, duration) in [("hh-repetitive", 2.0), ("network-abc", 1.0)] {
        let (meta, mut sim) = preset::load(name, &[]).unwrap().into_simulation();
        let steps = (duration / meta.dt_s).round() as u64;
        let mut fig = Figure::start(&meta, &sim, duration);
        sim.advance(steps, &mut fig.envelopes).unwrap();
        fig.envelopes.finish();
        let out = run(&[
            "run",
            name,
            "--duration",
            &duration.to_string(),
            "--out",
            "-",
        ]);
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let rows: HashMap<u64, Vec<f64>> = lines
            .map(|l| {
                let v: Vec<f64> = l.split(',').map(|x| x.parse().unwrap()).collect();
                (v[0].to_bits(), v)
            })
            .collect();
        assert_eq!(rows.len() as u64, steps + 1);
        let recordables: Vec<_> = fig
            .panels
            .iter()
            .flat_map(|p| p.lines.iter().map(|(_, r)| *r))
            .collect();
        for (r, points) in recordables.iter().zip(&fig.envelopes.points) {
            let column = sim.model.column_name(*r);
            let k = header.iter().position(|h| *h == column).unwrap();
            assert!(points.len() <= 2 * spikescope::figure::record::BUCKETS + 1);
            for &(t, v) in points {
                let row = &rows[&t.to_bits()];
                assert_eq!(row[k].to_bits(), v.to_bits(), "{name} {column} at {t}");
            }
            let all = rows.values().map(|row| row[k]);
            let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
                (a.min(x), b.max(x))
            });
            let drawn = points.iter().map(|p| p.1);
            let (dlo, dhi) = drawn.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
                (a.min(x), b.max(x))
            });
            assert_eq!((dlo, dhi), (lo, hi), "{name} {column}");
        }
    }
}

#[test]
fn png_is_an_image_of_the_figure_with_its_text_drawn() {
    let (meta, mut sim) = preset::load("hh-repetitive", &[])
        .unwrap()
        .into_simulation();
    let mut fig = Figure::start(&meta, &sim, 0.1);
    sim.advance(2000, &mut fig.envelopes).unwrap();
    fig.envelopes.finish();
    let png = render(&fig, "a subtitle", Format::Png).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert_eq!((width, height), (1200, 64 + 4 * 260));
    let image = image::load_from_memory(&png).unwrap().to_rgb8();
    // Dark pixels in the title's row (text drawn with the bundled font) and
    // in each panel (its trace and axes), and white around them.
    let dark = |y0: u32, y1: u32| {
        (y0..y1)
            .flat_map(|y| (0..width).map(move |x| (x, y)))
            .filter(|&(x, y)| image.get_pixel(x, y).0.iter().all(|&c| c < 90))
            .count()
    };
    assert!(dark(8, 36) > 200, "the title is drawn");
    for p in 0..4 {
        let top = 64 + p * 260;
        assert!(dark(top, top + 260) > 2000, "panel {p}");
    }
    assert_eq!(image.get_pixel(width - 2, 2).0, [255, 255, 255]);
}

/// The f-I sweep of `lif-constant` the sweep figures are drawn from: the
/// input from 0 to 3 (silent up to 1, then G(v_in)).
const LIF_SWEEP: [&str; 10] = [
    "sweep",
    "lif-constant",
    "--param",
    "stimulus.amplitude",
    "--from",
    "0",
    "--to",
    "3",
    "--step",
    "0.5",
];

/// A PNG's line is solid, two pixels across at any slope: the closed form
/// G(v_in) of a LIF sweep from where firing starts to the next measured
/// rate rises steeply, then at about 45 degrees, where a single diagonal
/// copy of the (anti-aliased) one-pixel line left two hairlines with a gap
/// between them. In every pixel column of the middle of that stretch,
/// above the straight line joining the two measured rates (G is concave),
/// its dark pixels are one unbroken run of at least two.
#[test]
fn a_png_line_is_solid_at_every_slope() {
    let dir = tempfile::tempdir().unwrap();
    let sweep = |name: &str| {
        let path = dir.path().join(name);
        let csv = dir.path().join("f.csv");
        let mut args = LIF_SWEEP.to_vec();
        args.extend_from_slice(&["--measure", "0.2", "--settle", "0.1"]);
        args.extend_from_slice(&["--out", csv.to_str().unwrap()]);
        args.extend_from_slice(&["--plot", path.to_str().unwrap()]);
        let out = run(&args);
        assert!(out.status.success(), "{}", stderr(&out));
        std::fs::read(path).unwrap()
    };
    // The SVG of the same sweep has the PNG's geometry: where the marks
    // at v_in = 1 (the last silent one) and 1.5 are.
    let marks = circles(&String::from_utf8(sweep("f.svg")).unwrap());
    let (from, to) = (marks[2], marks[3]);
    let image = image::load_from_memory(&sweep("f.png")).unwrap().to_rgb8();
    // Darker than the grid's lines (215 and 238).
    let dark = |x: u32, y: u32| image.get_pixel(x, y).0.iter().all(|&c| c < 200);
    let quarter = (to.0 - from.0) / 4.0;
    let columns = (from.0 + quarter) as u32..(to.0 - quarter) as u32;
    assert!(columns.len() > 50, "{from:?} {to:?}");
    for x in columns {
        let chord = from.1 + (f64::from(x) - from.0) / (to.0 - from.0) * (to.1 - from.1);
        let rows: Vec<u32> = (to.1 as u32 - 20..chord as u32 - 4)
            .filter(|&y| dark(x, y))
            .collect();
        assert!(rows.len() >= 2, "column {x}: {rows:?}");
        assert_eq!(
            rows.len() as u32,
            rows[rows.len() - 1] - rows[0] + 1,
            "column {x}: {rows:?}"
        );
    }
}

#[test]
fn a_bad_plot_name_is_refused_before_the_run_and_nothing_is_half_written() {
    let out = run(&["run", "hh-repetitive", "--plot", "figure.pdf"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("valid: a name ending in .svg or .png"),
        "{}",
        stderr(&out)
    );
    assert!(!std::path::Path::new("figure.pdf").exists());
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no/such/dir/f.svg");
    let out = run(&[
        "run",
        "hh-repetitive",
        "--duration",
        "10ms",
        "--plot",
        missing.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--plot"), "{}", stderr(&out));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

/// `sweep --plot`: the rate against the swept value. A mark for every row of
/// the sweep's CSV, where the CSV's numbers put it (all marks one affine
/// image of (value, rate), to the pixel), the legend's mark after them;
/// axes and legend named in text; a LIF neuron's constant input with the
/// closed form G(v_in) and its time constants, HH without one and with its
/// two legs named when it goes both ways.
#[test]
fn a_sweep_draws_each_measured_rate_where_its_csv_puts_it() {
    let dir = tempfile::tempdir().unwrap();
    let (svg_path, csv_path) = (dir.path().join("f.svg"), dir.path().join("f.csv"));
    let sweep = |args: &[&str]| {
        let mut all = vec!["sweep"];
        all.extend_from_slice(args);
        all.extend_from_slice(&[
            "--measure",
            "0.5",
            "--settle",
            "0.1",
            "--plot",
            svg_path.to_str().unwrap(),
            "--out",
            csv_path.to_str().unwrap(),
        ]);
        let out = run(&all);
        assert!(out.status.success(), "{}", stderr(&out));
        let csv = std::fs::read_to_string(&csv_path).unwrap();
        let rows: Vec<(f64, f64)> = csv
            .lines()
            .skip(1)
            .map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                (f[1].parse().unwrap(), f[2].parse().unwrap())
            })
            .collect();
        (std::fs::read_to_string(&svg_path).unwrap(), rows)
    };
    let (svg, rows) = sweep(&LIF_SWEEP[1..]);
    let marks = circles(&svg);
    marks_where_the_rows_put_them(&marks, &rows);
    assert!(
        rows[3].1 > 41.7 && rows[3].1 < 41.72,
        "G(1.5) = 41.71 Hz: {rows:?}"
    );
    let text = texts(&svg);
    for label in [
        "lif-constant: firing rate against stimulus.amplitude",
        "stimulus.amplitude: v_in",
        "rate (Hz)",
        "G(v_in), closed form",
        "tau_m 20 ms",
        "tau_ref 2 ms",
        "up (measured)",
    ] {
        assert!(text.iter().any(|t| t == label), "{label:?} not in {text:?}");
    }
    // The subtitle, over as many lines as it takes: what ran, and the
    // command that draws the figure again.
    let subtitle = text.join(" ");
    assert!(
        subtitle.contains(
            "Drawn by: spikescope sweep lif-constant --param stimulus.amplitude --from 0 --to 3 \
             --step 0.5 --settle 100ms --measure 500ms --plot FILE"
        ),
        "{text:?}"
    );

    // The closed form is G(v_in) itself: every measured rate (equal to G
    // to far better than a pixel) sits on its grey line, for the input and
    // for tau_ref swept.
    on_the_closed_form(&svg, &marks[..rows.len()]);
    let tau_ref = [
        "lif-constant",
        "--param",
        "lif.tau_ref",
        "--from",
        "0 ms",
        "--to",
        "10 ms",
        "--step",
        "1 ms",
    ];
    let (svg, rows) = sweep(&tau_ref);
    let marks = circles(&svg);
    assert_eq!(marks.len(), rows.len() + 1);
    on_the_closed_form(&svg, &marks[..rows.len()]);
    let text = texts(&svg);
    for label in ["lif.tau_ref (ms)", "v_in 1.5", "tau_m 20 ms"] {
        assert!(text.iter().any(|t| t == label), "{label:?} not in {text:?}");
    }

    let hh = [
        "hh-repetitive",
        "--param",
        "stimulus.amplitude",
        "--from",
        "8",
        "--to",
        "11",
        "--step",
        "1",
        "--direction",
        "both",
    ];
    let (svg, rows) = sweep(&hh);
    assert_eq!(
        circles(&svg).len(),
        rows.len() + 2,
        "two legs in the legend"
    );
    let text = texts(&svg);
    for label in [
        "stimulus.amplitude: J_in (µA/cm²)",
        "up (measured)",
        "down (measured)",
    ] {
        assert!(text.iter().any(|t| t == label), "{label:?} not in {text:?}");
    }
    assert!(!text.iter().any(|t| t.contains("closed form")), "{text:?}");
}

/// A sweep's `--plot` is refused before it runs where `run`'s would be: a
/// name that is not .svg or .png, the file `--out` names too.
#[test]
fn a_sweep_refuses_a_bad_plot_before_it_starts() {
    let dir = tempfile::tempdir().unwrap();
    let same = dir.path().join("f.svg");
    let same = same.to_str().unwrap();
    for (extra, says) in [
        (
            vec!["--plot", "f.pdf"],
            "valid: a name ending in .svg or .png",
        ),
        (
            vec!["--plot", same, "--out", same],
            "are the same file (one would overwrite the other)",
        ),
    ] {
        let mut args = LIF_SWEEP.to_vec();
        args.extend(extra);
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(stderr(&out).contains(says), "{}", stderr(&out));
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    assert!(!std::path::Path::new("f.pdf").exists());
}
