//! The oscilloscope and `view` without a terminal (redirected, TERM dumb or
//! unset) refuse with a hint in their own words, after looking at their
//! input; what the command line writes follows the locale.

use std::process::Stdio;

mod common;

use common::{bin, stderr, stdout};

#[test]
fn without_a_terminal_the_oscilloscope_refuses_with_a_hint() {
    let o = bin()
        .arg("lif-constant")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("spikescope run"), "{}", stderr(&o));
    assert!(stderr(&o).contains("over SSH, `ssh -t`"), "{}", stderr(&o));
    assert!(o.stdout.is_empty(), "nothing written to stdout");
    // A preset that cannot load is said to be so first, terminal or not.
    let o = bin()
        .args(["lif-constant", "--set", "lif.tau_m=-1"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("`lif.tau_m` = -1: must be greater than 0")
            && !stderr(&o).contains("not a terminal"),
        "{}",
        stderr(&o)
    );
    // So is a journal's path that cannot be written (it said only "not a
    // terminal"); a good one is not begun for a session that cannot run.
    let dir = tempfile::tempdir().unwrap();
    let not_a_journal = dir.path().join("mine.toml");
    std::fs::write(&not_a_journal, "model = \"lif\"\n").unwrap();
    let missing = dir.path().join("no").join("s.journal");
    let record = |path: &std::path::Path| {
        bin()
            .arg("lif-constant")
            .arg("--record")
            .arg(path)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    for (path, says) in [
        (
            missing.clone(),
            format!(
                "cannot write in {}: no such folder",
                dir.path().join("no").display()
            ),
        ),
        (
            dir.path().to_path_buf(),
            "a directory; valid: a file name".to_string(),
        ),
        (
            not_a_journal.clone(),
            "the file exists and is not a journal (a preset), so it is left as it is".to_string(),
        ),
    ] {
        let o = record(&path);
        assert_eq!(o.status.code(), Some(2));
        let e = stderr(&o);
        assert!(
            e.contains(&format!("error: --record {}: {says}", path.display()))
                && !e.contains("not a terminal"),
            "{e}"
        );
    }
    let good = dir.path().join("s.journal");
    let o = record(&good);
    assert!(stderr(&o).contains("not a terminal"), "{}", stderr(&o));
    assert!(!good.exists(), "no journal begun");
    assert_eq!(
        std::fs::read_to_string(&not_a_journal).unwrap(),
        "model = \"lif\"\n"
    );
}

/// The lines written for people follow the locale: in `LANG=C` (as SSH
/// often leaves it) they are ASCII, `100 µs` as `100 us`, which such a
/// terminal showed as `100 Âµs`; in UTF-8 they keep their symbols. The CSV
/// is the same bytes either way.
#[test]
fn lines_follow_the_locale() {
    let dir = tempfile::tempdir().unwrap();
    let run_in = |locale: &str, args: &[&str], csv: &str| {
        let o = bin()
            .env_remove("LC_ALL")
            .env_remove("LC_CTYPE")
            .env("LANG", locale)
            .args(args)
            .arg("--out")
            .arg(dir.path().join(csv))
            .output()
            .unwrap();
        (stdout(&o), stderr(&o))
    };
    let args = ["run", "hh-repetitive", "--duration", "120 us"];
    // With --out the summary goes to standard error.
    let (_, c) = run_in("C", &args, "c.csv");
    assert!(
        c.is_ascii()
            && c.starts_with("HH: repetitive firing: 100 us simulated in 2 steps of 50 us;"),
        "{c}"
    );
    let (_, utf8) = run_in("en_US.UTF-8", &args, "u.csv");
    assert!(utf8.starts_with("HH: repetitive firing: 100 µs simulated in 2 steps of 50 µs;"));
    assert_eq!(
        std::fs::read(dir.path().join("c.csv")).unwrap(),
        std::fs::read(dir.path().join("u.csv")).unwrap()
    );
    let (_, e) = run_in(
        "POSIX",
        &["run", "hh-repetitive", "--set", "hh.c_m=0"],
        "e.csv",
    );
    assert!(e.is_ascii() && e.contains("uF/cm2"), "{e}");
    // An error the command line's parser reports (it quotes ours).
    let o = bin()
        .env("LC_ALL", "C")
        .args(["run", "--duration", "abc"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.is_ascii() && e.contains("\"abc\" is not a time") && e.contains("\"500 us\""),
        "{e}"
    );
    // Each valid form once: "500 µs" beside "500 us" read "500 us", "500 us".
    assert_eq!(e.matches("\"500 us\"").count(), 1, "{e}");
}

/// `view` without a terminal: a file with an error says what is wrong with
/// it (it read only "not a terminal"), and a good one is refused with the
/// viewer's own words, not a hint to simulate with `spikescope run`.
#[test]
fn without_a_terminal_view_checks_the_file_and_refuses_in_its_own_words() {
    let dir = tempfile::tempdir().unwrap();
    let view = |text: &str| {
        let path = dir.path().join("spikes.csv");
        std::fs::write(&path, text).unwrap();
        let o = bin()
            .arg("view")
            .arg(&path)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(o.stdout.is_empty(), "nothing written to stdout");
        stderr(&o)
    };
    let e = view("neuron,time_s\n1,0.5\n2,abc\n");
    assert!(
        e.contains("spikes.csv:3:3: `time_s` = abc: not a number") && !e.contains("not a terminal"),
        "{e}"
    );
    let e = view("neuron,time_s\n1,0.5\n2,0.7\n");
    assert!(
        e.contains("not a terminal")
            && e.contains("the viewer needs one")
            && !e.contains("spikescope run"),
        "{e}"
    );
}
