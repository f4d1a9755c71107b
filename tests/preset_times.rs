//! Times in a preset and on the command line as a user writes them: a bare
//! number is seconds, and where one looks meant in ms (`tau_m = 20`) or is
//! set by `--set` the run says how it read it; a negative time with its
//! unit is refused as a time. Other wrong presets: preset_errors.rs.

mod common;

use std::path::PathBuf;

use common::{run, stderr};

/// A preset file in a fresh directory.
fn preset(dir: &tempfile::TempDir, text: &str) -> PathBuf {
    let p = dir.path().join("p.toml");
    std::fs::write(&p, text).unwrap();
    p
}

/// A `--set` of a time key to a bare number says how it was read (seconds),
/// once the preset loads: `lif.tau_m=20` meant as ms had run a 20 s
/// membrane without a word. A unit, or a key that takes no time, says
/// nothing; so does a run refused.
#[test]
fn a_bare_number_for_a_time_says_it_is_seconds() {
    let note = |set: &str, read: &str| {
        format!("note: --set {set}: read as {read}, a time without a unit being in seconds\n")
    };
    let o = run(&[
        "run",
        "lif-constant",
        "--duration",
        "0.01",
        "--set",
        "lif.tau_m=20",
        "--set",
        "lif.tau_ref=\"2 ms\"",
        "--set",
        "stimulus.amplitude=2",
        "--set",
        "dt=1e-5",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let want = note("lif.tau_m=20", "20 s") + &note("dt=1e-5", "10 µs");
    assert_eq!(stderr(&o), want);
    let o = run(&["run", "lif-constant", "--set", "lif.tau_m=-1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!stderr(&o).contains("note:"), "{}", stderr(&o));
    let sweep = "sweep lif-constant --param stimulus.amplitude --from 1.5 --to 1.5 --step 1 \
                 --settle 0.01 --measure 0.1 --set lif.tau_ref=0.004";
    let o = run(&sweep.split_whitespace().collect::<Vec<_>>());
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stderr(&o).starts_with(&note("lif.tau_ref=0.004", "4 ms")),
        "{}",
        stderr(&o)
    );
    // A sweep of a time key with bare bounds says how it read them, in a
    // line, as it starts (its closing summary says so too).
    let sweep = "sweep lif-constant --param lif.tau_ref --from 0.002 --to 0.002 --step 0.001 \
                 --settle 0.01 --measure 0.1";
    let o = run(&sweep.split_whitespace().collect::<Vec<_>>());
    assert_eq!(o.status.code(), Some(0));
    let want = "note: --from 0.002 --to 0.002 --step 0.001: read as 2 ms, 2 ms, 1 ms, a time \
                without a unit being in seconds\n";
    assert!(stderr(&o).starts_with(want), "{}", stderr(&o));
}

/// A preset file's own time written as a bare number of a second or more
/// where the key's times are milliseconds (`tau_m = 20`: a 20 s membrane,
/// a silent run) is said as it is read, with its line, by `check`, `run`
/// and `sweep` (without the line once an override rewrote the text); one in
/// seconds that reads as meant (`tau_m = 0.02`), one with a unit, or a long
/// time (`duration = 2`) says nothing; set again by `--set`, only the
/// `--set`'s own note is said.
#[test]
fn a_bare_time_in_a_file_that_looks_meant_in_ms_is_said() {
    let dir = tempfile::tempdir().unwrap();
    let text = |tau_m: &str| {
        format!(
            "model = \"lif\"\nduration = 2\n\n[lif]\ntau_m = {tau_m}\n\n[stimulus]\n\
             kind = \"constant\"\namplitude = 1.5\n"
        )
    };
    let p = preset(&dir, &text("20"));
    let path = p.to_str().unwrap();
    let note = |at: &str| {
        format!(
            "note: {at}: `lif.tau_m` = 20: read as 20 s, a time without a unit being in \
             seconds; write \"20 ms\" if milliseconds were meant\n"
        )
    };
    let o = run(&["check", path]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stderr(&o), note(&format!("{path}:5")));
    let o = run(&["run", path, "--duration", "0.01"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stderr(&o), note(&format!("{path}:5")));
    let o = run(&[
        "run",
        path,
        "--duration",
        "0.01",
        "--set",
        "lif.tau_ref=0.004",
    ]);
    assert_eq!(
        stderr(&o),
        note(&format!("{path}:5"))
            + "note: --set lif.tau_ref=0.004: read as 4 ms, a time without a unit being in \
               seconds\n"
    );
    let sweep = format!(
        "sweep {path} --param stimulus.amplitude --from 1.5 --to 1.5 --step 1 --settle 0.01 \
         --measure 0.1"
    );
    let o = run(&sweep.split_whitespace().collect::<Vec<_>>());
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stderr(&o).starts_with(&note(&format!("{path}:5"))),
        "{}",
        stderr(&o)
    );
    // The number as the file writes it, where a `--set` rewrote the text.
    let p = preset(&dir, &text("2e1"));
    let o = run(&[
        "run",
        p.to_str().unwrap(),
        "--duration",
        "0.01",
        "--set",
        "stimulus.amplitude=1.6",
    ]);
    assert_eq!(
        stderr(&o),
        note(&format!("{}:5", p.display()))
            .replace("= 20:", "= 2e1:")
            .replace("\"20 ms", "\"2e1 ms")
    );
    let o = run(&["run", path, "--duration", "0.01", "--set", "lif.tau_m=30"]);
    assert_eq!(
        stderr(&o),
        "note: --set lif.tau_m=30: read as 30 s, a time without a unit being in seconds\n"
    );
    for quiet in ["0.02", "\"20 ms\""] {
        let p = preset(&dir, &text(quiet));
        let o = run(&["check", p.to_str().unwrap()]);
        assert_eq!(
            (o.status.code(), stderr(&o).as_str()),
            (Some(0), ""),
            "{quiet}"
        );
    }
}

/// A negative time with its unit glued on (`-1ms`) is a time refused as one,
/// not an unknown flag with clap's misleading "use -- -1" tip.
#[test]
fn a_negative_time_with_its_unit_is_refused_as_a_time() {
    for (args, says) in [
        (
            vec!["run", "--duration", "-1ms"],
            "\"-1ms\" must be a time greater than 0",
        ),
        (
            vec!["run", "--dt", "-5us"],
            "\"-5us\" must be a time greater than 0",
        ),
        (
            vec![
                "sweep",
                "lif-constant",
                "--param",
                "lif.tau_ref",
                "--from",
                "-1ms",
                "--to",
                "3ms",
                "--step",
                "1ms",
            ],
            "`lif.tau_ref` = -0.001: must not be negative",
        ),
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("tip:"), "{}", stderr(&o));
    }
}
