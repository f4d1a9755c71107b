//! `run`'s standard streams: a reader that leaves ends only its output
//! (and is never a panic), a run cut short by an instability or a signal
//! leaves whole rows on standard output and says so, and the progress line
//! is for a terminal only.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

mod common;

use common::{bin, run, stderr, stdout};

/// A reader of standard output that leaves early (`| head`) ends that
/// output only: the spikes file is written whole, and the run exits 0.
#[test]
fn a_reader_leaving_ends_only_its_output() {
    let dir = tempfile::tempdir().unwrap();
    let spikes = dir.path().join("spikes.csv");
    let mut child = bin()
        .args([
            "run",
            "hh-repetitive",
            "--duration",
            "20 s",
            "--out",
            "-",
            "--spikes",
        ])
        .arg(&spikes)
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
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let whole = run(&[
        "run",
        "hh-repetitive",
        "--duration",
        "20 s",
        "--spikes",
        "-",
    ]);
    let written = std::fs::read_to_string(&spikes).unwrap();
    assert!(
        written.lines().count() > 1000,
        "{} lines",
        written.lines().count()
    );
    assert_eq!(written, stdout(&whole));
}

/// A reader that has gone is no panic: `check ... | head` and an error
/// whose standard error nobody reads keep their exit codes (a write to a
/// pipe without a reader fails; it used to end in a panic, exit 101).
#[test]
fn readers_that_left_are_not_a_panic() {
    let names: Vec<String> = {
        let o = run(&["presets"]);
        stdout(&o)
            .lines()
            .map(|l| l.split('\t').next().unwrap().to_string())
            .collect()
    };
    // Every bundled preset, ten times: output long after the reader left.
    let mut args = vec!["check".to_string()];
    for _ in 0..10 {
        args.extend(names.iter().cloned());
    }
    let mut child = bin()
        .args(&args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    // An invalid preset, its error to a standard error nobody reads.
    let mut child = bin()
        .args(["check", "no-such-preset"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    assert_eq!(child.wait().unwrap().code(), Some(2));
    let mut child = bin()
        .args(["run", "hh-repetitive", "--duration", "1 us"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    assert_eq!(child.wait().unwrap().code(), Some(2));
}

/// The progress line is for a person at a terminal (tests/pty.rs shows it
/// there): with standard error a pipe, a run of over a second writes only
/// its summary.
#[test]
fn no_progress_line_off_a_terminal() {
    let o = run(&[
        "run",
        "hh-repetitive",
        "--duration",
        "400 s",
        "--out",
        "/dev/null",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(!e.contains('\r') && !e.contains("left"), "{e:?}");
    assert!(
        e.starts_with("HH: repetitive firing: 400 s simulated"),
        "{e:?}"
    );
}

/// A run that goes unstable writes no file, but what it sent to standard
/// output cannot be taken back: there it ends on the last step's row, whole
/// rows only, and the error says so rather than "no output was written".
#[test]
fn an_unstable_run_ends_standard_output_on_its_last_row() {
    let dir = tempfile::tempdir().unwrap();
    // Driven ever harder, HH's m leaves [0, 1] at t = 76.75 ms (dt 50 µs).
    let preset = dir.path().join("ramp.toml");
    std::fs::write(
        &preset,
        "name = \"hard ramp\"\nmodel = \"hh\"\nduration = \"100 ms\"\n\
         [stimulus]\nkind = \"ramp\"\namplitude = 3e4\nstart = \"0 ms\"\nstop = \"100 ms\"\n",
    )
    .unwrap();
    let spikes = dir.path().join("spikes.csv");
    let o = bin()
        .args(["run", preset.to_str().unwrap(), "--out", "-", "--spikes"])
        .arg(&spikes)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("numerical instability at t = 76.750000 ms"),
        "{e}"
    );
    // Why, as the oscilloscope refuses such an input: the ramp (sampled at
    // the step's middle, 76.725 ms) had passed what RK4 holds at 50 µs.
    assert!(
        e.contains(
            "; J_in was 23018 µA/cm², outside -16.38 to 6148 µA/cm², the inputs \
             hh.method = \"rk4\" holds stably at dt = 50 µs: lower the input or dt;"
        ),
        "{e}"
    );
    assert!(
        e.contains(
            "standard output has the rows up to then (cut short there); no file was written"
        ),
        "{e}"
    );
    assert!(!spikes.exists());
    let out = stdout(&o);
    let rows: Vec<&str> = out.lines().skip(1).collect();
    assert_eq!(rows.len(), 1535, "t = 0 to 76.70 ms");
    assert!(rows.iter().all(|r| r.split(',').count() == 9));
    assert!(
        rows.last().unwrap().starts_with("0.0767,"),
        "{:?}",
        rows.last()
    );
    // Files only: nothing was written.
    let o = bin()
        .args(["run", preset.to_str().unwrap(), "--spikes"])
        .arg(&spikes)
        .output()
        .unwrap();
    assert!(
        stderr(&o).ends_with("no output was written\n"),
        "{}",
        stderr(&o)
    );
    assert!(!spikes.exists());
}

/// A signal ends what went to standard output on whole rows, and says that
/// it is there, cut short.
#[test]
fn a_signal_leaves_standard_output_whole_rows() {
    let mut child = bin()
        .args([
            "run",
            "network-benchmark",
            "--duration",
            "600 s",
            "--spikes",
            "-",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    reader.read_line(&mut first).unwrap();
    assert_eq!(first, "neuron,time_s\n");
    // SAFETY: a signal to our own child process.
    assert_eq!(
        unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) },
        0
    );
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut reader, &mut rest).unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(128 + libc::SIGINT));
    assert!(
        stderr(&o).contains("; standard output has the rows up to then (cut short there)\n"),
        "{}",
        stderr(&o)
    );
    assert!(rest.is_empty() || rest.ends_with('\n'));
    assert!(rest.lines().all(|r| r.split(',').count() == 2), "{rest}");
}
