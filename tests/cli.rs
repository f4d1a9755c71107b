//! The command line as a user meets it: exit statuses, options and their
//! errors, the CSV and the other outputs, the lists and summaries. A
//! wrong preset's messages (file, line, column, key, value, what is
//! valid): preset_errors.rs; a network's runs: cli_network.rs; without a
//! terminal, and the locale: cli_terminal.rs.
#![allow(clippy::disallowed_methods)] // the platform's functions: an independent check

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;

mod common;

use common::{bin, run, stderr, stdout};

#[test]
fn bad_options_exit_2() {
    let o = run(&["run", "lif-constant", "--set", "lif.tau_x=3"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("--set lif.tau_x=3") && e.contains("did you mean `tau_m`?"),
        "{e}"
    );
    let o = run(&["run", "lif-constant", "--set", "lif.tau_m=-1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("`lif.tau_m` = -1"), "{}", stderr(&o));
    let o = run(&["run", "lif-constant", "--dt", "ten"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a time"), "{}", stderr(&o));
    let o = run(&["run", "lif-constant", "--sample", "0.15ms"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("valid: a multiple of dt, such as 100 µs or 200 µs"),
        "{}",
        stderr(&o)
    );
    let o = run(&["run", "lif-constant", "--sample", "20us"]);
    assert!(
        stderr(&o).contains("such as 100 µs (dt itself) or 200 µs"),
        "{}",
        stderr(&o)
    );
    let o = run(&["run", "no-such-preset"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["run", "lif-constnt"]);
    assert!(
        stderr(&o).contains("did you mean `lif-constant`?"),
        "{}",
        stderr(&o)
    );
    let o = run(&["run", "hh-repetitive", "--dt", "0.2ms"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("too large"), "{}", stderr(&o));
    // Named by the flag typed, not the override it becomes; a `--set dt`
    // the user gave as well stays as given.
    assert!(
        stderr(&o).starts_with("error: hh-repetitive with --dt 200 µs: `dt` = 200 µs: too large"),
        "{}",
        stderr(&o)
    );
    let o = run(&["run", "hh-repetitive", "--set", "dt=2e-4", "--dt", "0.2ms"]);
    assert!(
        stderr(&o).starts_with("error: hh-repetitive with --set dt=2e-4 --dt 200 µs: `dt`"),
        "{}",
        stderr(&o)
    );
    let o = run(&["run", "network-benchmark", "--threads", "3"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--threads"), "{}", stderr(&o));
    // A list left open is its syntax's error, not "a string is not valid
    // here" of the text "[1,2,3".
    let o = run(&["run", "network-abc", "--set", "network.bias=[1,2,3"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o)
            .contains("`network.bias` = [1,2,3: not valid TOML: unclosed array, expected `]`"),
        "{}",
        stderr(&o)
    );
    // One neuron: valid is 0, not "from 0 to 0".
    let o = run(&["run", "hh-rest", "--set", "view.selected=5"]);
    assert!(
        stderr(&o).contains("valid: 0, the only one"),
        "{}",
        stderr(&o)
    );
}

/// A misspelled command, or an option of `run` given to the oscilloscope,
/// is named as such (clap had said "the subcommand 'a.toml' cannot be used
/// with '[PRESET]'", and "to pass '--duration' as a value, use '--
/// --duration'"), with status 2, before any screen is needed.
#[test]
fn a_misspelled_command_is_named() {
    let o = run(&["chek", "a.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error: `chek` is neither a command nor a preset; did you mean `spikescope check`? \
         (`spikescope --help` lists the commands)\n"
    );
    let o = run(&["rn"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean `spikescope run`?"),
        "{}",
        stderr(&o)
    );
    let o = run(&["lif-constant", "--duration", "1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with(
            "error: `--duration` is an option of `run`, which simulates without a screen: \
             `spikescope run lif-constant --duration 1`;"
        ),
        "{}",
        stderr(&o)
    );
}

#[test]
fn nan_state_stops_with_status_1_naming_time_and_variable() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("t.csv");
    std::fs::write(&out, "keep me\n").unwrap();
    let o = run(&[
        "run",
        "hh-repetitive",
        "--set",
        "stimulus.amplitude=1e300",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("numerical instability at t = 0.050000 ms in neuron 0: V (mV) = "),
        "{e}"
    );
    // Written whole or not at all: the old file is untouched.
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me\n");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
}

#[test]
fn csv_outputs_follow_spec_section_3() {
    let dir = tempfile::tempdir().unwrap();
    let (t, s) = (dir.path().join("t.csv"), dir.path().join("s.csv"));
    let o = run(&[
        "run",
        "lif-constant",
        "--duration",
        "100 ms",
        "--sample",
        "1 ms",
        "--out",
        t.to_str().unwrap(),
        "--spikes",
        s.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let traces = std::fs::read_to_string(&t).unwrap();
    let lines: Vec<&str> = traces.lines().collect();
    assert_eq!(lines[0], "time_s,v,v_in");
    assert_eq!(lines[1], "0.0,0.0,1.5");
    assert_eq!(lines.len(), 1 + 101);
    assert!(lines[100].starts_with("0.099,"), "{}", lines[100]);
    let spikes = std::fs::read_to_string(&s).unwrap();
    let rows: Vec<&str> = spikes.lines().collect();
    assert_eq!(rows[0], "neuron,time_s");
    // First spike at t* = -tau_m ln(1 - 1/1.5).
    let t1: f64 = rows[1].split(',').nth(1).unwrap().parse().unwrap();
    assert!((t1 - 0.02 * 3f64.ln()).abs() < 1e-12);
    assert_eq!(rows.len(), 1 + 4);

    let o = run(&["run", "hh-repetitive", "--duration", "1ms", "--out", "-"]);
    let text = stdout(&o);
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("time_s,v_mV,m,h,n,i_na,i_k,i_l,j_in"));
    // 1 ms at the default 50 µs: the row at t = 0 and 20 more.
    assert_eq!(lines.count(), 21);

    let o = run(&[
        "run",
        "network-abc",
        "--duration",
        "30ms",
        "--out",
        "-",
        "--spikes",
        t.to_str().unwrap(),
    ]);
    assert!(stdout(&o).starts_with("time_s,v_0,v_1,v_2,s_0,s_1,s_2\n"));
    let spikes = std::fs::read_to_string(&t).unwrap();
    let times: Vec<(usize, f64)> = spikes
        .lines()
        .skip(1)
        .map(|l| {
            let (n, t) = l.split_once(',').unwrap();
            (n.parse().unwrap(), t.parse().unwrap())
        })
        .collect();
    assert!(
        times
            .windows(2)
            .all(|w| w[0].1 < w[1].1 || (w[0].1 == w[1].1 && w[0].0 < w[1].0))
    );
}

#[test]
fn closed_pipe_exits_0_quietly() {
    let mut child = bin()
        .args(["run", "hh-repetitive", "--duration", "10 s", "--out", "-"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("time_s,"));
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stderr(&o), "");
}

#[test]
fn unwritable_output_is_a_clear_error() {
    let o = run(&["run", "lif-constant", "--out", "/nonexistent-dir/x.csv"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("--out: cannot write in /nonexistent-dir: no such folder\n"),
        "{}",
        stderr(&o)
    );
}

/// A bare file name in a folder that cannot be written (sysfs refuses new
/// files, to root too) names the folder: it said "cannot write in .".
#[cfg(target_os = "linux")]
#[test]
fn an_unwritable_current_folder_is_named() {
    let o = bin()
        .args(["run", "lif-constant", "--out", "x.csv"])
        .current_dir("/sys")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("--out: cannot write in /sys (the current folder): "),
        "{}",
        stderr(&o)
    );
}

/// A disk that fills while the rows are written: the error names the
/// output (it read only "writing CSV: No space left on device"), and says
/// what the others hold: the one to standard output has its rows up to the
/// stop. /dev/full is Linux's device that is always full.
#[test]
fn a_full_disk_names_the_output_and_what_the_others_hold() {
    if !common::has_dev_full() {
        return;
    }
    let o = run(&["run", "hh-repetitive", "--out", "/dev/full"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "error: writing CSV: /dev/full: No space left on device (os error 28); no output was \
         written\n"
    );
    // The writer thread's error reaches the run at a batch, or at the end
    // if the run is through first (a busy machine): the spikes on standard
    // output are then all there, else those up to the stop.
    let o = run(&["run", "network-abc", "--out", "/dev/full", "--spikes", "-"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    let rows = stdout(&o).lines().count();
    assert!(stdout(&o).starts_with("neuron,time_s\n"), "{}", stdout(&o));
    let full = "error: writing CSV: /dev/full: No space left on device (os error 28); standard \
                output has";
    if err.ends_with(&format!("{full} all its rows\n")) {
        assert_eq!(rows, 1 + 145, "network-abc's 145 spikes");
    } else {
        assert!(
            err.ends_with(&format!("{full} the rows up to then (cut short there)\n")),
            "{err}"
        );
        assert!(rows <= 1 + 145);
    }
}

#[test]
fn presets_lists_name_then_description() {
    let o = run(&["presets"]);
    assert!(o.status.success());
    let text = stdout(&o);
    assert!(
        text.lines()
            .any(|l| l == "lif-constant\tLIF neuron at v_in = 1.5: fires at G(1.5) = 41.7 Hz")
    );
    for line in text.lines() {
        let (name, description) = line.split_once('\t').unwrap();
        assert!(!name.is_empty() && !description.is_empty(), "{line}");
    }
    // At a terminal 80 columns wide: two columns, each description wrapped
    // at words beside its name (the tab lines broke inside words), a name
    // too long for the column on a line of its own.
    let lines = spikescope::cli::presets_listing(Some(80));
    assert!(lines.iter().all(|l| l.chars().count() <= 80), "{lines:#?}");
    assert!(lines.contains(&format!(
        "{:<22}LIF neuron at v_in = 1.5: fires at G(1.5) = 41.7 Hz",
        "lif-constant"
    )));
    let long = lines
        .iter()
        .position(|l| l == "network-populations-augmented")
        .unwrap();
    assert_eq!(
        lines[long + 1],
        format!(
            "{:22}X (2) -> Y (3) written as one augmented matrix [W | b]",
            ""
        )
    );
    // The words are the descriptions', in order, none lost.
    let words = |t: &str| t.split_whitespace().map(String::from).collect::<Vec<_>>();
    let listed: Vec<String> = lines.iter().flat_map(|l| words(l)).collect();
    let expected: Vec<String> = text
        .lines()
        .flat_map(|l| words(&l.replace('\t', " ")))
        .collect();
    assert_eq!(listed, expected);
}

#[test]
fn check_passes_every_bundled_preset_file() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("presets");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert!(!files.is_empty());
    let mut args = vec!["check".to_string()];
    args.extend(files);
    let o = bin().args(&args).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("hh-repetitive.toml: ok (hh, 1 neuron)\n"),
        "{out}"
    );
    assert!(
        out.contains("network-benchmark.toml: ok (network, 1000 neurons)\n"),
        "{out}"
    );
}

/// An output that exists and is not a regular file (a FIFO here; /dev/null
/// alike) is written in place: renaming the finished temporary file over it,
/// as for a file, replaced the pipe (or /dev/null itself) with a regular
/// file. A reader on the FIFO gets the CSV, and the FIFO stays a FIFO.
#[test]
fn an_output_that_is_a_pipe_stays_a_pipe() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("traces");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    let reader = {
        let fifo = fifo.clone();
        // Blocks until a writer opens the pipe; left behind if none does.
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let o = run(&[
        "run",
        "lif-constant",
        "--duration",
        "10 ms",
        "--out",
        fifo.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let kind = std::fs::metadata(&fifo).unwrap().file_type();
    assert!(kind.is_fifo(), "the output path is now {kind:?}");
    let csv = reader.join().unwrap();
    assert!(csv.starts_with("time_s,v,v_in\n"), "{csv:.80}");
    assert_eq!(csv.lines().count(), 1 + 101, "header and 101 rows");
}

/// `/dev/stdout` when standard output is a pipe (`run ... --spikes
/// /dev/stdout | sort`, a shell's `<(...)`): its last link names
/// `pipe:[inode]`, which is no path, so following the links by hand looked
/// for a directory `/proc/self/fd/` to put a temporary file in and failed.
/// The pipe gets byte for byte the CSV a file gets, and `--out` to the same
/// pipe by another name is refused as two CSVs in one file.
#[cfg(target_os = "linux")]
#[test]
fn dev_stdout_to_a_pipe_gets_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("spikes.csv");
    let args = ["run", "network-abc", "--duration", "50 ms", "--spikes"];
    let o = run(&[&args[..], &[file.to_str().unwrap()]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let csv = std::fs::read_to_string(&file).unwrap();
    assert!(csv.starts_with("neuron,time_s\n"), "{csv}");
    assert_eq!(csv.lines().count(), 1 + 7, "A, B, C's 7 spikes:\n{csv}");

    let o = run(&[&args[..], &["/dev/stdout"]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), csv);

    let o = run(&[&args[..], &["/dev/stdout", "--out", "/dev/fd/1"]].concat());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("same file"), "{}", stderr(&o));
}

/// `--help` points at the oscilloscope's own help and guidance, in lines a
/// terminal holds; the run summary says "1 spike".
#[test]
fn help_mentions_the_keys_and_one_spike_is_singular() {
    let o = run(&["--help"]);
    assert!(o.status.success());
    assert!(
        stdout(&o).contains("press ? for the keys"),
        "{}",
        stdout(&o)
    );
    // Wrapped to the terminal, or to 100 columns through a pipe (a line
    // of `run --help` ran to 191).
    for args in [&["--help"][..], &["run", "--help"], &["view", "--help"]] {
        let o = run(args);
        let widest = stdout(&o).lines().map(|l| l.chars().count()).max();
        assert!(widest <= Some(100), "{args:?}: {widest:?} columns");
    }
    let o = run(&["run", "hh-single-spike"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("; 1 spike\n"), "{}", stdout(&o));
    assert!(stdout(&o).contains("neuron 0: 1 spike, "), "{}", stdout(&o));
}

/// The summary names what it counts as the screen does: the PSC filters'
/// one row is their input train, a network's neurons carry their preset's
/// names; each filter's s at the end is the sum of one h(t - t_p) per spike
/// (notes 1.3.3), h(t) = e^(-t/tau_s)/tau_s.
#[test]
fn the_summary_names_the_input_train_and_the_neurons() {
    let o = run(&["run", "spike-train-convolution"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("\n  input: 18 spikes, 36.000 Hz\n"), "{text}");
    assert!(!text.contains("neuron 0"), "{text}");
    let t_ms = [
        10.0, 50.0, 52.0, 54.0, 100.0, 101.5, 150.0, 200.0, 200.2, 200.4, 200.6, 250.0, 300.0,
        301.0, 330.0, 400.0, 401.0, 450.0,
    ];
    let expected: f64 = t_ms
        .iter()
        .map(|t| 50.0 * (-(500.0 - t) / 20.0f64).exp())
        .sum();
    let s: f64 = text
        .split("s(a * h) at the end: ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no final s in {text}"));
    assert!(
        (s - expected).abs() < 1e-12 * expected,
        "{s} against {expected}"
    );
    // The spikes file gives each input spike at its time as the preset
    // writes it, to the last digit: one at a step's end (200 ms, 0.1 ms
    // steps) was written 0.19999999999999998, the step's start plus dt.
    let o = run(&["run", "spike-train-convolution", "--spikes", "-"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let written: Vec<String> = stdout(&o)
        .lines()
        .skip(1)
        .map(|row| row.strip_prefix("0,").unwrap_or(row).to_string())
        .collect();
    let given: Vec<String> = t_ms.iter().map(|t| format!("{}", t / 1e3)).collect();
    assert_eq!(written, given);
    let o = run(&["run", "network-abc"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    for name in ["neuron 0 A: ", "neuron 1 B: ", "neuron 2 C: "] {
        assert!(text.contains(name), "{name} in {text}");
    }
    // A rate network has no spikes: none are counted ("0 spikes" was),
    // and past its first 20 neurons it says how many there are.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rates.toml");
    let bias = vec!["0.5"; 25].join(", ");
    std::fs::write(
        &path,
        format!("model = \"rate\"\n[rate]\nbias = [{bias}]\n"),
    )
    .unwrap();
    let o = run(&["run", path.to_str().unwrap(), "--duration", "10ms"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    let first = text.lines().next().unwrap();
    assert!(first.ends_with("simulated in 10 steps of 1 ms"), "{text}");
    assert!(!text.contains("spike"), "{text}");
    assert!(text.ends_with("\n  ... 25 neurons\n"), "{text}");
}

/// `check` on a folder checks the .toml files in it, in name order (a
/// collection of presets at once; a folder was "not a regular file"); a
/// folder without one is said to be so.
#[test]
fn check_takes_a_folder_of_presets() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("b-good.toml"), "model = \"lif\"\n").unwrap();
    std::fs::write(
        dir.path().join("a-bad.toml"),
        "model = \"lif\"\n[lif]\ntau_m = -1\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a preset").unwrap();
    let folder = dir.path().to_str().unwrap();
    let o = run(&["check", folder]);
    assert_eq!(o.status.code(), Some(2));
    let (out, err) = (common::stdout(&o), stderr(&o));
    assert_eq!(out, format!("{folder}/b-good.toml: ok (lif, 1 neuron)\n"));
    assert!(
        err.starts_with(&format!("error: {folder}/a-bad.toml:3:9: `lif.tau_m`")),
        "{err}"
    );
    assert!(err.ends_with("1 of 2 presets invalid\n"), "{err}");
    let empty = tempfile::tempdir().unwrap();
    let o = run(&["check", empty.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no .toml file in this folder"),
        "{}",
        stderr(&o)
    );
}

/// A list's element is a key of its own, for `--set` and for a search's
/// `--param`: the run with `network.bias[2]` set is the run with the whole
/// list set, and the threshold of C's bias, alone (no weights) for 100 ms
/// from v = 0, is where it first reaches 1 at the end:
/// b (1 - e^(-T/tau_m)) = 1, b = e^5 / (e^5 - 1) at T = 100 ms, tau_m = 20 ms.
#[test]
fn a_lists_element_is_set_and_searched_by_its_index() {
    let csv = |set: &str| {
        stdout(&run(&[
            "run",
            "network-abc",
            "--set",
            set,
            "--duration",
            "0.2",
            "--out",
            "-",
        ]))
    };
    let one = csv("network.bias[2]=1.25");
    assert!(one.lines().count() > 100);
    assert_eq!(one, csv("network.bias=[1.5, 2.0, 1.25]"));
    let o = run(&[
        "threshold",
        "network-abc",
        "--param",
        "network.bias[2]",
        "--between",
        "0.5",
        "2",
        "--neuron",
        "2",
        "--set",
        "network.weights=[[0,0,0],[0,0,0],[0,0,0]]",
        "--set",
        "duration=0.1",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let found: f64 = stdout(&o).lines().nth(1).unwrap().parse().unwrap();
    let e5 = 5f64.exp();
    assert!((found - e5 / (e5 - 1.0)).abs() < 3e-9, "{found}");
    // C alone is the notes' LIF neuron at v_in = b: the summary says how
    // far the search is from that closed form.
    let closed_form = "of the closed form 1 / (1 - e^(-T/tau_m)), T the run's duration";
    assert!(stderr(&o).contains(closed_form), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("threshold: network.bias[2] = 1.00678"),
        "{}",
        stderr(&o)
    );
}
