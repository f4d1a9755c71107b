//! `run`'s output files under faults: signals, one file named twice, the
//! file being read, links and modes, durations that are not whole steps,
//! sizes bounded before anything is allocated. Each file is written whole
//! or not at all (standard output and standard error: tests/stdout.rs).

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

mod common;

use common::{bin, run, stderr, stdout};

/// The names in a directory, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// A signal in the middle of a long run ends it with 128 + the signal's
/// number, removes its temporary files and leaves an existing target as
/// it was.
#[test]
fn a_signal_ends_a_run_without_leaving_temporary_files() {
    for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("traces.csv");
        std::fs::write(&out, "keep me\n").unwrap();
        let spikes = dir.path().join("spikes.csv");
        let child = bin()
            .args(["run", "network-benchmark", "--duration", "600 s", "--out"])
            .arg(&out)
            .arg("--spikes")
            .arg(&spikes)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Both temporary files exist once writing has begun.
        let started = Instant::now();
        while names(dir.path())
            .iter()
            .filter(|n| n.ends_with(".tmp"))
            .count()
            < 2
        {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "no temporary files"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        std::thread::sleep(Duration::from_millis(200));
        // SAFETY: a signal to our own child process.
        assert_eq!(unsafe { libc::kill(child.id() as libc::pid_t, sig) }, 0);
        let o = child.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(128 + sig), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("no output was written"),
            "{}",
            stderr(&o)
        );
        assert_eq!(names(dir.path()), ["traces.csv"], "signal {sig}");
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me\n");
    }
}

/// One file for both outputs (by name, through a symbolic link, through a
/// hard link) is refused before anything is written.
#[test]
fn the_same_file_twice_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("both.csv");
    let link = dir.path().join("link.csv");
    let hard = dir.path().join("hard.csv");
    let fresh = dir.path().join("new.csv");
    std::fs::write(&f, "keep me\n").unwrap();
    std::os::unix::fs::symlink(&f, &link).unwrap();
    std::fs::hard_link(&f, &hard).unwrap();
    let dotted = dir.path().join(".").join("new.csv");
    for (a, b) in [(&f, &f), (&f, &link), (&hard, &f), (&fresh, &dotted)] {
        let o = bin()
            .args(["run", "lif-constant", "--out"])
            .arg(a)
            .arg("--spikes")
            .arg(b)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{a:?} {b:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("are the same file"), "{}", stderr(&o));
        assert_eq!(std::fs::read_to_string(&f).unwrap(), "keep me\n");
        assert!(!fresh.exists());
    }
    // The figure and a CSV likewise.
    let figure = dir.path().join("run.svg");
    for csv in ["--out", "--spikes"] {
        let o = bin()
            .args(["run", "lif-constant", "--plot"])
            .arg(&figure)
            .arg(csv)
            .arg(dir.path().join(".").join("run.svg"))
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{csv}: {}", stderr(&o));
        assert!(stderr(&o).contains("are the same file"), "{}", stderr(&o));
        assert!(!figure.exists());
    }
}

/// An output naming the file the command reads (the preset, the journal),
/// by its name or through a link, is refused before anything is written:
/// `run my.toml --out my.toml` replaced the preset with its CSV.
#[test]
fn the_file_being_read_is_never_an_output() {
    let dir = tempfile::tempdir().unwrap();
    let preset = dir.path().join("mine.toml");
    let text = "model = \"lif\"\n";
    std::fs::write(&preset, text).unwrap();
    let link = dir.path().join("link.toml");
    std::os::unix::fs::symlink(&preset, &link).unwrap();
    let p = preset.to_str().unwrap();
    let l = link.to_str().unwrap();
    for args in [
        vec!["run", p, "--out", p],
        vec!["run", l, "--spikes", p],
        vec![
            "sweep",
            p,
            "--param",
            "stimulus.amplitude",
            "--from",
            "1",
            "--to",
            "2",
            "--step",
            "1",
            "--out",
            l,
        ],
    ] {
        let o = bin().args(&args).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("is the preset being read"),
            "{}",
            stderr(&o)
        );
        assert_eq!(std::fs::read_to_string(&preset).unwrap(), text);
    }
    let journal = dir.path().join("s.journal");
    std::fs::write(
        &journal,
        "spikescope journal 1\npreset lif-constant\n0 end\n",
    )
    .unwrap();
    let j = journal.to_str().unwrap();
    let o = bin().args(["replay", j, "--out", j]).output().unwrap();
    assert!(
        stderr(&o).contains("is the journal being read"),
        "{}",
        stderr(&o)
    );
    assert!(
        std::fs::read_to_string(&journal)
            .unwrap()
            .starts_with("spikescope journal 1")
    );
}

/// New files follow the umask; a file written over keeps its mode; a
/// symbolic link's target is written and the link stays; a file with
/// another hard link is written in place, so both names see the result.
#[test]
fn modes_and_links_are_kept() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = tempfile::tempdir().unwrap();
    let spikescope = env!("CARGO_BIN_EXE_spikescope");
    let fresh = dir.path().join("fresh.csv");
    let o = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "umask 027 && exec '{spikescope}' run lif-constant --spikes '{}'",
            fresh.display()
        ))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::metadata(&fresh).unwrap().mode() & 0o777, 0o640);
    let want = stdout(&run(&["run", "lif-constant", "--spikes", "-"]));

    let kept = dir.path().join("kept.csv");
    std::fs::write(&kept, "old\n").unwrap();
    std::fs::set_permissions(&kept, std::fs::Permissions::from_mode(0o604)).unwrap();
    let target = dir.path().join("target.csv");
    std::fs::write(&target, "old\n").unwrap();
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink("target.csv", &link).unwrap();
    let original = dir.path().join("original.csv");
    std::fs::write(&original, "old\n").unwrap();
    let other_name = dir.path().join("other-name.csv");
    std::fs::hard_link(&original, &other_name).unwrap();
    for path in [&kept, &link, &original] {
        let o = bin()
            .args(["run", "lif-constant", "--spikes"])
            .arg(path)
            .output()
            .unwrap();
        assert!(o.status.success(), "{path:?}: {}", stderr(&o));
    }
    assert_eq!(std::fs::metadata(&kept).unwrap().mode() & 0o777, 0o604);
    assert_eq!(std::fs::read_to_string(&kept).unwrap(), want);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), want);
    assert_eq!(std::fs::read_to_string(&other_name).unwrap(), want);
    assert_eq!(
        std::fs::metadata(&original).unwrap().ino(),
        std::fs::metadata(&other_name).unwrap().ino()
    );
}

/// A duration shorter than a step is refused; one between whole steps runs
/// the nearest whole number and the summary says what was simulated.
#[test]
fn durations_are_whole_steps_and_say_so() {
    let o = run(&["run", "hh-repetitive", "--duration", "20 us"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("--duration 20 µs: shorter than half a step of dt = 50 µs")
            && e.contains("valid: a duration of at least one step (50 µs)"),
        "{e}"
    );
    // A negative number reaches the check that says what is valid (not
    // clap's "unexpected argument" with a tip to pass it after `--`).
    for (args, needle) in [
        (
            &["run", "--duration", "-1"][..],
            "\"-1\" must be a time greater than 0",
        ),
        (
            &["run", "--dt", "-0.5"][..],
            "\"-0.5\" must be a time greater than 0",
        ),
        // A number too large for a float is not called "not above 0".
        (
            &["run", "--duration", "1e400"][..],
            "\"1e400\" is not a finite time (it overflows a 64-bit float)",
        ),
        (
            &[
                "sweep",
                "lif-constant",
                "--param",
                "stimulus.amplitude",
                "--from",
                "0",
                "--to",
                "1",
                "--step",
                "-0.1",
            ][..],
            "a step above 0",
        ),
    ] {
        let o = run(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(needle), "{args:?}: {}", stderr(&o));
    }
    let o = run(&["run", "hh-repetitive", "--duration", "120 us"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("HH: repetitive firing: 100 µs simulated in 2 steps of 50 µs;"),
        "{}",
        stdout(&o)
    );
}

/// What `run` refuses `check` refuses, with the same words: a dt the
/// parameters force below the floor, a run longer than any can take.
#[test]
fn check_refuses_what_run_refuses() {
    let dir = tempfile::tempdir().unwrap();
    for text in [
        "model = \"hh\"\n[hh]\ng_na = 1e15\n",
        "model = \"network\"\n[network]\ntau_s = \"1e-12 s\"\nbias = [1.0]\n",
        "model = \"rate\"\n[rate]\ntau = \"1e-9 ms\"\nbias = [1.0]\n",
        "model = \"hh\"\nduration = \"1e9 s\"\n",
        "model = \"lif\"\nduration = \"20 us\"\n",
    ] {
        let p = dir.path().join("p.toml");
        std::fs::write(&p, text).unwrap();
        let checked = bin().arg("check").arg(&p).output().unwrap();
        let ran = bin().arg("run").arg(&p).output().unwrap();
        assert_eq!(checked.status.code(), Some(2), "{text}");
        assert_eq!(ran.status.code(), Some(2), "{text}");
        let first = |o: &Output| stderr(o).lines().next().unwrap_or_default().to_string();
        assert_eq!(first(&checked), first(&ran), "{text}");
        assert!(stderr(&checked).contains("valid: "), "{}", stderr(&checked));
    }
}

/// A connection probability too small to tell from 0 in 1 - p checks and
/// runs at once (it used to allocate until memory ran out).
#[test]
fn a_tiny_connection_probability_runs() {
    for p in ["1e-17", "5e-324"] {
        let o = run(&[
            "run",
            "network-benchmark",
            "--duration",
            "10 ms",
            "--set",
            &format!("network.random.p={p}"),
        ]);
        assert!(o.status.success(), "p = {p}: {}", stderr(&o));
    }
}

/// A name with escape codes (a window title, a screen clear) reaches the
/// terminal as visible text in `run`'s summary, `check` and errors.
#[test]
fn escape_codes_in_names_are_shown_not_sent() {
    let dir = tempfile::tempdir().unwrap();
    let evil = "\\u001b]0;owned\\u0007\\u001b[2J";
    let path = dir.path().join("evil\u{1b}[2J.toml");
    std::fs::write(&path, format!("name = \"{evil}\"\nmodel = \"lif\"\n")).unwrap();
    let path = path.to_str().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        format!("name = \"{evil}\"\nmodel = \"lif\"\nduration = \"{evil}\"\n"),
    )
    .unwrap();
    for args in [
        vec!["run", path, "--duration", "10 ms"],
        vec!["check", path],
        vec!["check", bad.to_str().unwrap()],
    ] {
        let o = run(&args);
        let all = format!("{}{}", stdout(&o), stderr(&o));
        assert!(
            !all.contains('\u{1b}') && !all.contains('\u{7}'),
            "{args:?}: {all:?}"
        );
        assert!(all.contains("^["), "{args:?}: shown as ^[: {all:?}");
    }
}

/// A random network's size is bounded by the memory it needs against what
/// the machine has (before anything is allocated, naming both), not by a
/// fixed count: 32 million synapses run, 1e10 are refused, and a sparse
/// network of 300,000 neurons (beyond the 100,000 of before) runs.
#[test]
fn a_network_is_bounded_by_the_memory_it_needs() {
    let o = run(&[
        "run",
        "network-benchmark",
        "--set",
        "network.random.n=100000",
        "--set",
        "network.random.p=1",
        "--duration",
        "1 ms",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("`network.random.p` = 1: about 1.000e10 synapses expected: the network needs about 117.4 GiB at its peak"), "{e}");
    assert!(e.contains("this machine has available now"), "{e}");
    let o = run(&[
        "run",
        "network-benchmark",
        "--set",
        "network.random.n=40000",
        "--duration",
        "1 ms",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&[
        "run",
        "network-benchmark",
        "--set",
        "network.random.n=300000",
        "--set",
        "network.random.p=1e-6",
        "--duration",
        "1 ms",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("300000 neurons, mean rate"),
        "{}",
        stdout(&o)
    );
}
