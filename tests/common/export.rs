//! Exported scripts as the tests make and run them: exported into a
//! folder, run by a Python with NEST (and PyNN) where one is at hand, their
//! spikes read back and compared with `spikescope run`'s.

use std::path::Path;
use std::process::Command;

use super::{run, stderr};

/// `network-abc` with `stimulus` (a `[stimulus]` table's lines) added: the
/// inputs the bundled network presets do not have.
pub fn abc_with(stimulus: &str) -> String {
    let abc = spikescope::preset::bundled::get("network-abc").unwrap();
    format!("{abc}\n[stimulus]\n{stimulus}")
}

/// Pulses on C whose times fall off a 0.1 ms step grid.
pub const OFF_GRID_PULSES: &str = "kind = \"pulses\"\namplitude = 0.8\nstart = \"5.05 ms\"\n\
                                   width = \"2.02 ms\"\nperiod = \"10.01 ms\"\nneurons = [2]\n";

/// A Poisson train into C from `start`.
pub fn poisson_into_c(start: &str) -> String {
    format!(
        "kind = \"spikes\"\nrate = 150.0\npoisson = true\nseed = 4\nstart = \"{start}\"\n\
         amplitude = 0.02\nneurons = [2]\n"
    )
}

/// Exports `args` into `dir` as `net.py`; returns the script's text.
pub fn export_into(dir: &Path, args: &[&str]) -> String {
    let script = dir.join("net.py");
    let mut all = vec!["export"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--out", script.to_str().unwrap()]);
    let out = run(&all);
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::read_to_string(script).unwrap()
}

/// The Python to run the exported scripts with, if it has NEST (and PyNN).
pub fn python_with(module: &str) -> Option<String> {
    let python = std::env::var("SPIKESCOPE_PYTHON").unwrap_or_else(|_| "python3".into());
    let home = std::env::temp_dir();
    let ok = Command::new(&python)
        .args(["-c", &format!("import {module}")])
        .env("HOME", &home)
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        Some(python)
    } else {
        eprintln!(
            "{module} cannot be imported by {python}: the comparison with NEST is skipped \
             (SPIKESCOPE_PYTHON=/path/to/venv/bin/python runs it)"
        );
        None
    }
}

/// Spikes as (neuron, time_s), from a `neuron,time_s` CSV.
pub fn spikes(text: &str) -> Vec<(usize, f64)> {
    text.lines()
        .skip(1)
        .map(|l| {
            let (i, t) = l.split_once(',').unwrap();
            (i.parse().unwrap(), t.parse().unwrap())
        })
        .collect()
}

/// Runs `preset` with `sets` in spikescope and, exported, in `to`; returns
/// the two spike lists per neuron.
pub fn both(python: &str, to: &str, preset: &str, sets: &[&str]) -> Vec<(Vec<f64>, Vec<f64>)> {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec![preset, "--to", to];
    for s in sets {
        args.extend(["--set", s]);
    }
    export_into(dir.path(), &args);
    let out = Command::new(python)
        .arg(dir.path().join("net.py"))
        .env("HOME", dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let theirs = spikes(&std::fs::read_to_string(dir.path().join("net-spikes.csv")).unwrap());
    let mut run_args = vec!["run", preset, "--spikes", "-"];
    for s in sets {
        run_args.extend(["--set", s]);
    }
    let ours = spikes(&super::stdout(&run(&run_args)));
    let n = 1 + ours.iter().chain(&theirs).map(|s| s.0).max().unwrap();
    (0..n)
        .map(|i| {
            let of = |v: &[(usize, f64)]| v.iter().filter(|s| s.0 == i).map(|s| s.1).collect();
            (of(&ours), of(&theirs))
        })
        .collect()
}

/// The largest |t_NEST - t_spikescope| (s) over neurons with the same count.
pub fn compare(name: &str, per_neuron: &[(Vec<f64>, Vec<f64>)]) -> f64 {
    let mut worst = 0f64;
    for (i, (ours, theirs)) in per_neuron.iter().enumerate() {
        assert_eq!(ours.len(), theirs.len(), "{name}: neuron {i}'s spike count");
        for (a, b) in ours.iter().zip(theirs) {
            worst = worst.max((a - b).abs());
        }
    }
    worst
}
