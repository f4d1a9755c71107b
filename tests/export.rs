//! `spikescope export PRESET --to nest|pynn`: the scripts of the network
//! presets (snapshots), the data file holding the network as drawn here,
//! clear refusals for what NEST cannot run the same way, names that stay
//! text in the script, and the ranks' merge. The scripts run in NEST and
//! PyNN against `spikescope run` in `export_peers.rs`.

mod common;

use std::path::Path;
use std::process::Command;

use common::export::{OFF_GRID_PULSES, abc_with, export_into, poisson_into_c};
use common::{run, stderr};
use spikescope::export::{Names, Target, export};
use spikescope::model::AnyModel;
use spikescope::preset;
use spikescope::sim::Simulation;

#[test]
fn the_network_presets_export_to_nest_and_pynn() {
    let dir = tempfile::tempdir().unwrap();
    for (preset, to) in [
        ("network-abc", "nest"),
        ("network-abc", "pynn"),
        ("network-ei", "nest"),
        ("network-benchmark", "nest"),
    ] {
        let script = export_into(dir.path(), &[preset, "--to", to]);
        insta::assert_snapshot!(format!("{preset}-{to}"), script);
    }
    let grid = export_into(
        dir.path(),
        &[
            "network-abc",
            "--to",
            "nest",
            "--set",
            "network.spike_timing=grid",
            "--set",
            "network.psc_order=1",
        ],
    );
    assert!(grid.contains("MODEL = \"iaf_psc_alpha\""), "{grid}");
    assert!(grid.contains("Grid timing: NEST stamps a spike"), "{grid}");
    // The preset once, then its overrides once.
    assert!(
        grid.contains(
            "the network of spikescope's preset `network-abc` --set network.spike_timing=grid \
             --set network.psc_order=1, exported"
        ),
        "{grid}"
    );
    // Without --out, the files are named after the preset, not its overrides.
    let out = common::bin()
        .args([
            "export",
            "network-abc",
            "--to",
            "pynn",
            "--set",
            "network.psc_order=1",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    for file in [
        "spikescope-network-abc-pynn.py",
        "spikescope-network-abc-pynn.data",
    ] {
        assert!(dir.path().join(file).is_file(), "{file}: {}", stderr(&out));
    }
}

/// The data file's header of the preset at `path` with `sets`, exported
/// for `duration_s`, and the simulation it was exported from.
fn header_of(path: &Path, sets: &[String], duration_s: f64) -> (serde_json::Value, Simulation) {
    let (header, _, sim) = data_of(path, sets, duration_s, Target::Nest);
    (header, sim)
}

/// The data file's header and bytes for `target`, and the simulation.
fn data_of(
    path: &Path,
    sets: &[String],
    duration_s: f64,
    target: Target,
) -> (serde_json::Value, Vec<u8>, Simulation) {
    let (meta, sim) = preset::load(path.to_str().unwrap(), sets)
        .unwrap()
        .into_simulation();
    let names = Names {
        script: "x.py",
        data: "x.data",
        spikes: "x-spikes.csv",
    };
    let data = export(&meta, &sim, sets, duration_s, target, &names)
        .unwrap()
        .data
        .bytes();
    let header = serde_json::from_slice(data.splitn(3, |&b| b == b'\n').nth(1).unwrap()).unwrap();
    (header, data, sim)
}

/// A pulse input whose times fall off the step grid (from 5.05 ms, 2.02 ms
/// wide, every 10.01 ms) goes to NEST at the steps the run takes it: each
/// change where the run's own input to the neuron changes, step by step (a
/// step holds the level at its middle). NEST takes times on its grid only
/// and stopped on 5.05 ms; a change at a step's very middle (87.15 ms) was
/// then lost to rounding and the rest of the train moved by a pulse. NEST's
/// generator is told each change a step early, as its connection's delay
/// brings it a step late (it acted a step late); PyNN's, at the step, as
/// PyNN moves it back itself.
#[test]
fn a_current_input_goes_to_nest_at_the_steps_the_run_takes_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("abc-pulses.toml");
    std::fs::write(&path, abc_with(OFF_GRID_PULSES)).unwrap();
    for (target, told_steps_early) in [(Target::Nest, 1.0), (Target::Pynn, 0.0)] {
        let (header, _, mut sim) = data_of(&path, &[], 0.2, target);
        let numbers = |key: &str| -> Vec<f64> {
            let list = header["currents"][0][key].as_array().unwrap();
            list.iter().map(|x| x.as_f64().unwrap()).collect()
        };
        let exported: Vec<(f64, f64)> = numbers("times_ms")
            .into_iter()
            .zip(numbers("values"))
            .collect();
        let dt_ms = sim.dt_s() * 1e3;
        let mut run_changes = Vec::new();
        let mut held = 0.0;
        for k in 0..2000 {
            sim.step().unwrap();
            let x = sim.input().get(2).copied().unwrap_or(0.0);
            if x != held {
                run_changes.push(((k as f64 - told_steps_early) * dt_ms, x));
                held = x;
            }
        }
        assert_eq!(exported.len(), run_changes.len(), "{target:?} {exported:?}");
        assert!(run_changes.len() >= 38 && run_changes[0].1 == 0.8);
        for (&(t, x), &(t_run, x_run)) in exported.iter().zip(&run_changes) {
            assert!(
                (t - t_run).abs() < 1e-9 && x == x_run,
                "{target:?}: {t} {x} against {t_run} {x_run}"
            );
        }
    }
}

/// An input that changes at the first step's end: NEST's generator would
/// have to be told at time 0, which NEST refuses, so the script runs the
/// first step alone and then sets I_e to the biases with the input's level
/// from the second step (the data file's last array). PyNN cannot run one
/// step alone (its first run goes a step further): its source takes the
/// change, a step late, and its data carries no such array.
#[test]
fn an_input_that_changes_after_the_first_step_goes_to_nest_through_i_e() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("abc-first-step.toml");
    let pulses = OFF_GRID_PULSES.replace("5.05 ms", "0.1 ms");
    std::fs::write(&path, abc_with(&pulses)).unwrap();
    let (header, data, sim) = data_of(&path, &[], 0.2, Target::Nest);
    let arrays = header["arrays"].as_array().unwrap();
    assert_eq!(arrays.last().unwrap()[0], "bias_after_first_step");
    let tail: Vec<f64> = data[data.len() - 24..]
        .chunks(8)
        .map(|b| f64::from_le_bytes(b.try_into().unwrap()))
        .collect();
    let spikescope::model::AnyModel::Network(net) = &sim.model else {
        panic!()
    };
    let bias = net.bias();
    assert_eq!(tail, [bias[0], bias[1], bias[2] + 0.8]);
    // The generator takes the changes from the pulse's end on: the first
    // at 2.12 ms, which the run takes at step 21 (2.1 ms), told at 2.0 ms.
    let times = header["currents"][0]["times_ms"].as_array().unwrap();
    assert!((times[0].as_f64().unwrap() - 2.0).abs() < 1e-9, "{times:?}");
    assert_eq!(header["currents"][0]["values"][0], -0.8);

    let (header, _, _) = data_of(&path, &[], 0.2, Target::Pynn);
    let arrays = header["arrays"].as_array().unwrap();
    assert_eq!(arrays.len(), 5, "{arrays:?}");
    assert_eq!(header["currents"][0]["times_ms"][0], 0.1);
}

/// A spike-train input on grid timing: the run takes each spike into its
/// targets at the end of the step it falls in, so the script sends it at
/// that step's start, on NEST's grid (whose spike_generator refused a
/// Poisson train's times before); exact timing keeps the times as drawn.
/// A spike in the first step would have to leave at time 0 (on exact
/// timing, one at 0 itself): refused.
#[test]
fn a_spike_train_goes_to_nest_on_the_grid_where_the_run_takes_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("abc-train.toml");
    let train = |start: &str| abc_with(&poisson_into_c(start));
    std::fs::write(&path, train("100 ms")).unwrap();
    let times = |timing: &str| -> (Vec<f64>, Vec<f64>) {
        let (header, sim) = header_of(&path, &[format!("network.spike_timing={timing}")], 0.3);
        let list = header["trains"][0]["times_ms"].as_array().unwrap();
        let mut drawn = Vec::new();
        let mut s = sim.stimuli[0].stimulus.clone();
        s.reset();
        s.spikes_in(0.0, 0.3, &mut drawn);
        (list.iter().map(|x| x.as_f64().unwrap()).collect(), drawn)
    };
    let (exact, drawn) = times("exact");
    // (serde_json reads a float to within a unit of its last place.)
    assert!(drawn.len() > 20 && exact.len() == drawn.len());
    for (e, t) in exact.iter().zip(&drawn) {
        assert!((e - t * 1e3).abs() <= 1e-12 * e, "{t} s went to {e} ms");
    }
    let (grid, _) = times("grid");
    assert_eq!(grid.len(), drawn.len());
    for (g, t) in grid.iter().zip(&drawn) {
        let step_start = (t * 1e4).floor() / 10.0;
        assert!((g - step_start).abs() < 1e-9, "{t} s went to {g} ms");
    }
    // Refused, with the reason, where the train starts as `text` has it.
    let script = dir.path().join("x.py");
    let refused = |text: String, sets: &[&str], why: &str| {
        std::fs::write(&path, text).unwrap();
        let args = ["export", path.to_str().unwrap(), "--to", "nest"];
        let out = ["--out", script.to_str().unwrap()];
        let o = run(&[&args[..], sets, &out].concat());
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains(why), "{}", stderr(&o));
    };
    refused(
        train("0.05 ms"),
        &[
            "--set",
            "network.spike_timing=grid",
            "--set",
            "stimulus.rate=1e4",
        ],
        "falls in the first step",
    );
    // On exact timing only a spike at 0 itself cannot be sent.
    refused(
        train("0 ms").replace("poisson = true\nseed = 4", "poisson = false"),
        &[],
        "a spike-train input at 0 s: NEST's spike_generator cannot send",
    );
}

/// The data file holds the network as drawn: every initial voltage, bias
/// and connection to the last bit, in the layout its header names.
#[test]
fn the_data_file_is_the_network_as_drawn() {
    let scenario = preset::load("network-benchmark", &[]).unwrap();
    let (meta, sim) = scenario.into_simulation();
    let names = Names {
        script: "x.py",
        data: "x.data",
        spikes: "x-spikes.csv",
    };
    let e = export(&meta, &sim, &[], 1.0, Target::Nest, &names).unwrap();
    let AnyModel::Network(net) = &sim.model else {
        panic!()
    };
    let data = e.data.bytes();
    let mut lines = data.splitn(3, |&b| b == b'\n');
    assert_eq!(lines.next().unwrap(), b"spikescope-export 1");
    let header: serde_json::Value = serde_json::from_slice(lines.next().unwrap()).unwrap();
    let body = lines.next().unwrap();
    let m: usize = (0..net.len())
        .map(|j| net.connections().targets(j).count())
        .sum();
    assert_eq!(header["neurons"], 1000);
    assert_eq!(e.connections, m);
    assert_eq!(body.len(), 1000 * 16 + m * 16);
    let f64s = |at: usize, k: usize| -> Vec<f64> {
        body[at..at + 8 * k]
            .chunks(8)
            .map(|c| f64::from_le_bytes(c.try_into().unwrap()))
            .collect()
    };
    let u32s = |at: usize, k: usize| -> Vec<u32> {
        body[at..at + 4 * k]
            .chunks(4)
            .map(|c| u32::from_le_bytes(c.try_into().unwrap()))
            .collect()
    };
    assert_eq!(f64s(0, 1000), net.v());
    assert_eq!(f64s(8000, 1000), net.bias());
    let (pre, post, w) = (
        u32s(16000, m),
        u32s(16000 + 4 * m, m),
        f64s(16000 + 8 * m, m),
    );
    let mut k = 0;
    for j in 0..1000 {
        for (i, wij) in net.connections().targets(j) {
            assert_eq!(
                (pre[k], post[k], w[k].to_bits()),
                (j as u32, i as u32, wij.to_bits())
            );
            k += 1;
        }
    }
}

/// The script and its data file are written together or not at all: where
/// the data file cannot be (a link to /dev/full, a disk always full), no
/// script is left to fail when run.
#[test]
fn a_script_is_not_left_without_its_data() {
    if !common::has_dev_full() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("net.py");
    std::os::unix::fs::symlink("/dev/full", dir.path().join("net.data")).unwrap();
    let out = run(&[
        "export",
        "network-abc",
        "--to",
        "nest",
        "--out",
        script.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("net.data: No space left on device"),
        "{}",
        stderr(&out)
    );
    assert!(!script.exists());
}

#[test]
fn what_nest_cannot_run_the_same_way_is_refused_with_the_reason() {
    let cases = [
        (vec!["hh-repetitive"], "only LIF networks"),
        (vec!["rate-softmax"], "a rate network has no spikes"),
        (
            vec!["network-abc", "--set", "network.psc_order=2"],
            "network.psc_order = 2: NEST's current-based LIF neurons have PSC filters of order \
             0 (iaf_psc_exp) and 1 (iaf_psc_alpha) only",
        ),
        // NEST's clock: a refractory period of whole steps (rounded up), at
        // least one in the precise models; a resolution of whole tics.
        (
            vec!["network-abc", "--set", "network.tau_ref=0.25ms"],
            "network.tau_ref = 250 µs is 2.5 steps of dt = 100 µs: NEST counts the refractory \
             period in whole steps, rounding up, and would rest 300 µs instead",
        ),
        (
            vec!["network-abc", "--set", "network.tau_ref=0"],
            "network.tau_ref = 0: NEST's precise models (exact timing) need a refractory period \
             of at least one step",
        ),
        (
            vec!["network-abc", "--set", "dt=1.5us"],
            "dt = 1.5 µs: NEST's resolution is a whole number of its tics, 1 µs",
        ),
    ];
    for (args, why) in cases {
        let mut all = vec!["export"];
        all.extend(args.iter().copied());
        all.extend(["--to", "nest", "--out", "/nonexistent/x.py"]);
        let out = run(&all);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains(why), "{args:?}: {}", stderr(&out));
    }
    // --out names the script: a name ending in .py, with something before
    // it (`.py` was written with `.data` beside it, `-spikes.csv` inside).
    for out in ["x.txt", ".py", "dir/.py", "-"] {
        let o = run(&["export", "network-abc", "--to", "nest", "--out", out]);
        assert_eq!(o.status.code(), Some(2), "{out}");
        assert!(
            stderr(&o).contains(&format!(
                "--out {out}: not a Python script's name; valid: a name ending in .py"
            )),
            "{out}: {}",
            stderr(&o)
        );
    }
    // Only the one `.py` comes off for the data file's name.
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("a.py.py");
    let o = run(&[
        "export",
        "network-abc",
        "--to",
        "nest",
        "--out",
        script.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(dir.path().join("a.py.data").exists(), "{}", stderr(&o));
    // Grid timing takes a refractory period of 0; a duration of no whole
    // number of steps runs as `run` runs it, to the nearest step (NEST
    // simulates whole steps only): 2,703 steps of 370 µs for 1 s.
    let o = run(&[
        "export",
        "network-abc",
        "--to",
        "nest",
        "--set",
        "network.spike_timing=grid",
        "--set",
        "network.tau_ref=0",
        "--set",
        "dt=0.37ms",
        "--out",
        script.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&script).unwrap();
    assert!(text.contains("\nDURATION_MS = 1000.11\n"), "{text}");
    let out = run(&["export", "network-abc", "--to", "brian"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("valid: one of nest, pynn"),
        "{}",
        stderr(&out)
    );
}

/// What the user names stands in the script as text, whatever its quotes:
/// a preset named `"""; import os` (its control characters already shown
/// as `^[`) and files named with `"`, `\` and a line break leave
/// the script's docstring and string literals whole. Where Python is at
/// hand (`ast`, no NEST needed), the script parses and its docstring and
/// output file read back as named.
#[test]
fn names_with_quotes_stay_text_in_the_script() {
    let dir = tempfile::tempdir().unwrap();
    let name = r#"A"""; import os; '''\ "#.to_string() + "\u{1b}";
    let preset = dir.path().join("q\"x.toml");
    std::fs::write(
        &preset,
        format!(
            "name = {}\nmodel = \"network\"\nduration = \"10 ms\"\n[network]\n\
             weights = [[0.0, 0.1], [0.1, 0.0]]\nbias = [1.5, 1.2]\n",
            toml::Value::String(name)
        ),
    )
    .unwrap();
    let script = dir.path().join("s\"\\\n.py");
    let out = run(&[
        "export",
        preset.to_str().unwrap(),
        "--to",
        "nest",
        "--out",
        script.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&script).unwrap();
    let plain = export_into(dir.path(), &["network-abc", "--to", "nest"]);
    assert_eq!(
        text.matches(r#"""""#).count(),
        plain.matches(r#"""""#).count()
    );
    assert!(
        text.contains(r#"A\"\"\"; import os; '''\\ ^[: the network"#),
        "{text}"
    );
    let python = std::env::var("SPIKESCOPE_PYTHON").unwrap_or_else(|_| "python3".into());
    let read_back = Command::new(&python)
        .args([
            "-c",
            "import ast, sys\n\
             m = ast.parse(open(sys.argv[1]).read())\n\
             print(repr(ast.get_docstring(m).split(': the network')[0]))\n\
             print(repr([n.value for n in ast.walk(m) if isinstance(n, ast.Constant)\n\
             and isinstance(n.value, str) and n.value.endswith('.csv')][0]))",
        ])
        .arg(&script)
        .output();
    let Ok(read_back) = read_back else {
        eprintln!("{python} cannot be run: the script's parse is not checked");
        return;
    };
    assert!(
        read_back.status.success(),
        "{}",
        String::from_utf8_lossy(&read_back.stderr)
    );
    assert_eq!(
        String::from_utf8(read_back.stdout).unwrap(),
        r#"'A"""; import os; \'\'\'\\ ^['"#.to_string() + "\n" + r#"'s"\\\n-spikes.csv'"# + "\n"
    );
}

/// The merge the scripts' docstring gives for the ranks' files, run as a
/// user runs it (`sh`, coreutils): the spikes by time, then neuron, as one
/// process writes them, ties across ranks and Python's `1e-05` included.
#[test]
fn the_merge_command_orders_the_ranks_spikes_as_one_process_does() {
    let dir = tempfile::tempdir().unwrap();
    let script = export_into(dir.path(), &["network-abc", "--to", "nest"]);
    let merge = script
        .lines()
        .find(|l| l.contains("OUT-rank*.csv"))
        .expect("the merge line")
        .trim();
    let rank0 = "neuron,time_s\n0,1e-05\n10,0.0005\n2,0.0005\n4,0.25\n";
    let rank1 = "neuron,time_s\n9,0.0005\n1,0.0005\n3,0.125\n11,0.25\n";
    std::fs::write(dir.path().join("OUT-rank0.csv"), rank0).unwrap();
    std::fs::write(dir.path().join("OUT-rank1.csv"), rank1).unwrap();
    let out = Command::new("sh")
        .args(["-c", merge])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{merge}: {}", stderr(&out));
    let merged = std::fs::read_to_string(dir.path().join("OUT.csv")).unwrap();
    assert_eq!(
        merged,
        "neuron,time_s\n0,1e-05\n1,0.0005\n2,0.0005\n9,0.0005\n10,0.0005\n3,0.125\n\
         4,0.25\n11,0.25\n",
        "{merge}"
    );
}
