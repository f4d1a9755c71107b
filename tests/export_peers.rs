//! The exported scripts run in NEST and PyNN against `spikescope run`: the
//! same spikes per neuron, each within the effect of NEST's one-step
//! synaptic delay on exact timing; on grid timing, and for PyNN's alpha
//! filter, as the scripts say; a network of one neuron; and under MPI.
//!
//! They use `SPIKESCOPE_PYTHON` (default `python3`); without NEST each says
//! so and passes. The full comparison:
//! `SPIKESCOPE_PYTHON=/path/to/venv/bin/python cargo test --release --test export_peers -- --nocapture`

mod common;

use std::process::Command;

use common::export::{
    OFF_GRID_PULSES, abc_with, both, compare, export_into, poisson_into_c, python_with, spikes,
};
use common::stderr;

/// NEST's precise models against the event-exact network. With a delay d
/// of one step, a spike's input acts d later in NEST; in network-abc A and
/// B have no inputs (their times agree to rounding) and C's inputs all come
/// d late, so its spikes are at most d late, through either filter (order
/// 0 and 1). Measured at dt = 10 µs (d = 10 µs) over 1 s.
#[test]
fn exported_networks_run_in_nest_as_in_spikescope() {
    let Some(python) = python_with("nest") else {
        return;
    };
    // The exponential filter (iaf_psc_exp_ps) and the alpha one
    // (psc_order = 1, iaf_psc_alpha_ps).
    for (order, model) in [
        ("network.psc_order=0", "exp"),
        ("network.psc_order=1", "alpha"),
    ] {
        let abc = both(&python, "nest", "network-abc", &["dt=1e-5", order]);
        for (i, (ours, theirs)) in abc.iter().enumerate().take(2) {
            for (a, b) in ours.iter().zip(theirs) {
                assert!((a - b).abs() < 1e-12, "{model}: neuron {i}: {a} vs {b}");
            }
        }
        let worst = compare(&format!("network-abc, {model}"), &abc);
        eprintln!(
            "network-abc ({model}) in NEST: same counts, times within {worst:e} s (delay 1e-5 s)"
        );
        assert!(worst <= 1e-5 + 1e-12, "{model}: {worst}");
        // On grid timing NEST's intervals are each a step longer: A's and
        // B's k-th spikes come k steps later (the scripts say so), C's are
        // moved by its inputs too; the counts are the same.
        let grid = both(
            &python,
            "nest",
            "network-abc",
            &["dt=1e-5", order, "network.spike_timing=grid"],
        );
        compare(&format!("network-abc, {model}, grid"), &grid);
        for (i, (ours, theirs)) in grid.iter().enumerate().take(2) {
            for (k, (a, b)) in ours.iter().zip(theirs).enumerate() {
                let later = (k + 1) as f64 * 1e-5;
                assert!(
                    (b - a - later).abs() < 1e-12,
                    "{model}, grid: neuron {i}'s spike {k}: {a} vs {b}"
                );
            }
        }
    }
    // A dt that divides no whole second (1 s at 370 µs runs 2,703 steps)
    // and a refractory period of ten of them: the script stopped on NEST's
    // "simulation time must be a multiple of the resolution" before. The
    // same counts, within the delay.
    let odd = both(
        &python,
        "nest",
        "network-abc",
        &["dt=0.37e-3", "network.tau_ref=3.7e-3"],
    );
    let worst = compare("network-abc at dt = 370 µs", &odd);
    assert!(worst <= 0.37e-3 + 1e-12, "{worst}");
    // A pulse input off the step grid (from 5.05 ms, 2.02 ms wide, every
    // 10.01 ms) on C: NEST refused its times before. It acts at the run's
    // steps, and A's and B's spikes a delay d late: C's crossings move by
    // about d (1.17 d measured, d = 1e-4 s), not all of its input by d.
    let dir = tempfile::tempdir().unwrap();
    let pulses = dir.path().join("abc-pulses.toml");
    std::fs::write(&pulses, abc_with(OFF_GRID_PULSES)).unwrap();
    let driven = both(&python, "nest", pulses.to_str().unwrap(), &[]);
    let worst = compare("network-abc with off-grid pulses", &driven);
    assert!(worst <= 2e-4, "{worst}");
    // The pulses alone (no connections, so no delay): NEST's generator is
    // told each change a step early and the spikes are the run's to 1e-12 s
    // (each input acted a step late, 1e-4 s, before); from the first step's
    // end too, through I_e after a first step run alone.
    for start in ["5.05 ms", "0.1 ms"] {
        let driven = both(&python, "nest", &pulses_alone(&pulses, start), &UNCONNECTED);
        let worst = compare(&format!("pulses alone from {start}"), &driven);
        assert!(driven[1].0.len() > 10 && worst < 1e-12, "{start}: {worst}");
    }
    // A Poisson train into C alone, on grid timing: NEST's grid
    // spike_generator refused its times before. Sent at the start of the
    // step the run takes each spike in, C's first spike comes exactly one
    // step after ours (NEST stamps a spike at its step's end).
    let train = dir.path().join("abc-train.toml");
    std::fs::write(&train, abc_with(&poisson_into_c("100 ms"))).unwrap();
    let grid = both(
        &python,
        "nest",
        train.to_str().unwrap(),
        &[
            "network.spike_timing=grid",
            "network.weights=[[0,0,0],[0,0,0],[0,0,0]]",
        ],
    );
    let (ours, theirs) = (&grid[2].0, &grid[2].1);
    assert!(
        ours.len() > 20 && (theirs[0] - ours[0] - 1e-4).abs() < 1e-12,
        "{ours:?} {theirs:?}"
    );
    // 100 neurons, 10% connections (10 inputs each), 100 ms: every input
    // comes d late, and the differences add up along chains of spikes (the
    // network is chaotic over longer runs). The bound is 10 delays, and it
    // shrinks with the delay: the difference is the delay's.
    let mut worst_at = Vec::new();
    for (dt, delay) in [("dt=1e-5", 1e-5), ("dt=1e-6", 1e-6)] {
        let random = [
            dt,
            "network.random.n=100",
            "network.random.p=0.1",
            "duration=0.1",
        ];
        let per_neuron = both(&python, "nest", "network-benchmark", &random);
        let worst = compare("random 100", &per_neuron);
        let spikes: usize = per_neuron.iter().map(|p| p.0.len()).sum();
        eprintln!(
            "100 random neurons in NEST, delay {delay:e} s: {spikes} spikes, each neuron's count as \
             spikescope's, times within {worst:e} s"
        );
        assert!(spikes > 300);
        assert!(worst < 10.0 * delay, "{worst}");
        worst_at.push(worst);
    }
    assert!(worst_at[1] < worst_at[0] / 5.0, "{worst_at:?}");
}

/// A network of one neuron (no connections, so no delay between the two)
/// runs in NEST and in PyNN: the same spikes, to rounding. NEST gives a
/// single node's `local` as one bool, not a list of one; the script used
/// to index the population with it and stop.
#[test]
fn a_network_of_one_neuron_runs_in_nest_and_pynn() {
    for (module, to) in [("nest", "nest"), ("pyNN.nest", "pynn")] {
        let Some(python) = python_with(module) else {
            continue;
        };
        let one = both(
            &python,
            to,
            "network-benchmark",
            &["network.random.n=1", "duration=0.2"],
        );
        assert_eq!(one.len(), 1, "{to}");
        assert!(one[0].0.len() >= 5, "{to}: {} spikes", one[0].0.len());
        let worst = compare("one neuron", &one);
        assert!(worst < 1e-12, "{to}: {worst}");
    }
}

#[test]
fn exported_networks_run_in_pynn_as_in_spikescope() {
    let Some(python) = python_with("pyNN.nest") else {
        return;
    };
    // The exponential filter keeps exact timing (the times within the
    // delay); the alpha one runs on NEST's grid model whatever the
    // precision, each interval up to a step longer: A's and B's (no
    // inputs) k-th spikes up to k steps later, never earlier, and C's
    // within as many steps as a neuron has spikes.
    for (order, model) in [
        ("network.psc_order=0", "exp"),
        ("network.psc_order=1", "alpha"),
    ] {
        let per_neuron = both(&python, "pynn", "network-abc", &["dt=1e-5", order]);
        let worst = compare(&format!("network-abc, {model}, in PyNN"), &per_neuron);
        eprintln!("network-abc ({model}) in PyNN: same counts, times within {worst:e} s");
        if model == "exp" {
            assert!(worst <= 1e-5 + 1e-12, "{model}: {worst}");
            continue;
        }
        for (i, (ours, theirs)) in per_neuron.iter().enumerate().take(2) {
            for (k, (a, b)) in ours.iter().zip(theirs).enumerate() {
                let late = b - a;
                assert!(
                    late > -1e-12 && late <= (k + 1) as f64 * 1e-5 + 1e-12,
                    "alpha: neuron {i}'s spike {k}: {a} vs {b}"
                );
            }
        }
        let most = per_neuron.iter().map(|p| p.0.len()).max().unwrap_or(0);
        assert!(worst <= most as f64 * 1e-5, "alpha: {worst}");
    }
    // Pulses alone: PyNN moves each change back a step itself, and the
    // spikes are the run's to 1e-12 s.
    let dir = tempfile::tempdir().unwrap();
    let path = pulses_alone(&dir.path().join("pulses.toml"), "5.05 ms");
    let driven = both(&python, "pynn", &path, &UNCONNECTED);
    let worst = compare("pulses alone in PyNN", &driven);
    assert!(driven[1].0.len() > 10 && worst < 1e-12, "{worst}");
}

/// Pulses from `start` into all three of network-abc, written to `path`
/// (with `UNCONNECTED`, B fires only in them).
fn pulses_alone(path: &std::path::Path, start: &str) -> String {
    let pulses = OFF_GRID_PULSES
        .replace("5.05 ms", start)
        .replace("neurons = [2]", "neurons = [0, 1, 2]");
    std::fs::write(path, abc_with(&pulses)).unwrap();
    path.to_str().unwrap().to_string()
}

const UNCONNECTED: [&str; 2] = [
    "network.weights=[[0,0,0],[0,0,0],[0,0,0]]",
    "network.bias=[0.5,0.9,1.1]",
];

/// Under MPI (`mpirun -np 2`, where `mpirun` is found and the NEST that
/// SPIKESCOPE_PYTHON imports was built with MPI): each rank writes its own
/// neurons' spikes, and the ranks' files merged as the README says are the
/// single process's spikes, for the NEST and the PyNN script.
#[test]
fn exported_scripts_run_unchanged_under_mpi() {
    let Some(python) = python_with("nest") else {
        return;
    };
    let have_mpi = Command::new(&python)
        .args([
            "-c",
            "import nest; print(nest.GetKernelStatus('build_info')['have_mpi'])",
        ])
        .env("HOME", std::env::temp_dir())
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("True"));
    let mpirun = Command::new("mpirun").arg("--version").output().is_ok();
    if !(have_mpi && mpirun) {
        eprintln!(
            "no MPI run: mpirun found {mpirun}, NEST built with MPI {have_mpi} (the PyPI wheel \
             is built without it)"
        );
        return;
    }
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    let sets = [
        "dt=1e-5",
        "network.random.n=100",
        "network.random.p=0.1",
        "duration=0.1",
    ];
    for to in ["nest", "pynn"] {
        let dir = tempfile::tempdir().unwrap();
        let mut args = vec!["network-benchmark", "--to", to];
        for s in &sets {
            args.extend(["--set", s]);
        }
        export_into(dir.path(), &args);
        let script = dir.path().join("net.py");
        let single = Command::new(&python)
            .arg(&script)
            .args(["--out", dir.path().join("one.csv").to_str().unwrap()])
            .env("HOME", dir.path())
            .output()
            .unwrap();
        assert!(single.status.success(), "{}", stderr(&single));
        let mut mpi = Command::new("mpirun");
        if root {
            mpi.arg("--allow-run-as-root");
        }
        let out = mpi
            .args([
                "--oversubscribe",
                "-np",
                "2",
                "-x",
                "HOME",
                "-x",
                "PYTHONPATH",
            ])
            .arg(&python)
            .arg(&script)
            .env("HOME", dir.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let rank = |r: usize| {
            spikes(
                &std::fs::read_to_string(dir.path().join(format!("net-spikes-rank{r}.csv")))
                    .unwrap(),
            )
        };
        let (r0, r1) = (rank(0), rank(1));
        assert!(!r0.is_empty() && !r1.is_empty(), "both ranks hold neurons");
        let mut merged: Vec<(usize, f64)> = r0.into_iter().chain(r1).collect();
        let mut one = spikes(&std::fs::read_to_string(dir.path().join("one.csv")).unwrap());
        let key = |s: &(usize, f64)| (s.0, s.1.to_bits());
        merged.sort_by_key(key);
        one.sort_by_key(key);
        assert_eq!(merged, one, "{to}: two ranks merged against one process");
        eprintln!(
            "{to} under MPI, 2 ranks: the same {} spikes as one process",
            one.len()
        );
    }
}
