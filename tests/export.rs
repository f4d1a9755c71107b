//! `spikescope export PRESET --to nest|pynn`: the scripts of the network
//! presets (snapshots), the data file holding the network as drawn here,
//! clear refusals for what NEST cannot run the same way, and, where a
//! Python with NEST is at hand, the exported networks run in NEST and
//! PyNN against `spikescope run`: the same spikes per neuron, each within
//! the effect of NEST's one-step synaptic delay.
//!
//! The comparison uses `SPIKESCOPE_PYTHON` (default `python3`); without
//! NEST it says so and passes. The full comparison:
//! `SPIKESCOPE_PYTHON=/path/to/venv/bin/python cargo test --release --test export -- --nocapture`

mod common;

use std::path::Path;
use std::process::Command;

use common::{run, stderr};
use spikescope::export::{Names, Target, export};
use spikescope::model::AnyModel;
use spikescope::preset;

/// Exports `args` into `dir` as `net.py`; returns the script's text.
fn export_into(dir: &Path, args: &[&str]) -> String {
    let script = dir.join("net.py");
    let mut all = vec!["export"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--out", script.to_str().unwrap()]);
    let out = run(&all);
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::read_to_string(script).unwrap()
}

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

/// The Python to run the exported scripts with, if it has NEST (and PyNN).
fn python_with(module: &str) -> Option<String> {
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
fn spikes(text: &str) -> Vec<(usize, f64)> {
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
fn both(python: &str, to: &str, preset: &str, sets: &[&str]) -> Vec<(Vec<f64>, Vec<f64>)> {
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
    let ours = spikes(&common::stdout(&run(&run_args)));
    let n = 1 + ours.iter().chain(&theirs).map(|s| s.0).max().unwrap();
    (0..n)
        .map(|i| {
            let of = |v: &[(usize, f64)]| v.iter().filter(|s| s.0 == i).map(|s| s.1).collect();
            (of(&ours), of(&theirs))
        })
        .collect()
}

/// The largest |t_NEST - t_spikescope| (s) over neurons with the same count.
fn compare(name: &str, per_neuron: &[(Vec<f64>, Vec<f64>)]) -> f64 {
    let mut worst = 0f64;
    for (i, (ours, theirs)) in per_neuron.iter().enumerate() {
        assert_eq!(ours.len(), theirs.len(), "{name}: neuron {i}'s spike count");
        for (a, b) in ours.iter().zip(theirs) {
            worst = worst.max((a - b).abs());
        }
    }
    worst
}

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
        // B's k-th spikes come k steps later (the scripts say so), C's
        // later still; the counts are the same.
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
            "100 random neurons in NEST, delay {delay:e} s: the same {spikes} spikes per \
             neuron, times within {worst:e} s"
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
