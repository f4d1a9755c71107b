//! A preset that is wrong, as a user meets it from the command line: `check`
//! and `run` refuse it with status 2 and a message that names the file,
//! line, column, key, value and what is valid; hostile files (huge, binary,
//! deep) are refused as cleanly. Times as written (a bare number, a negative
//! time with its unit): preset_times.rs; the rest of the command line: cli.rs.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::{run, stderr};

/// A preset file in a fresh directory.
fn preset(dir: &tempfile::TempDir, text: &str) -> PathBuf {
    let p = dir.path().join("p.toml");
    std::fs::write(&p, text).unwrap();
    p
}

/// `check` and `run` both reject the preset with status 2 and a message that
/// contains every one of `needles`.
fn rejects(text: &str, needles: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let p = preset(&dir, text);
    let path = p.to_str().unwrap();
    for args in [vec!["check", path], vec!["run", path]] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        let e = stderr(&o);
        for n in needles {
            assert!(e.contains(n), "{args:?}: message lacks {n:?}:\n{e}");
        }
        assert!(e.contains(path), "names the file: {e}");
        assert!(!e.contains("panicked"), "{e}");
    }
}

#[test]
fn malformed_toml() {
    rejects("model = \"lif\"\n[lif\ntau_m = 1\n", &[":2:", "[lif"]);
}

#[test]
fn unknown_key_suggests_the_closest() {
    rejects(
        "model = \"lif\"\n[lif]\ntau_mm = \"20 ms\"\n",
        &[
            ":3:1:",
            "`lif.tau_mm`",
            "unknown key `tau_mm`",
            "did you mean `tau_m`?",
            "valid: one of tau_m, tau_ref, v_init",
        ],
    );
    rejects("modle = \"lif\"\n", &[":1:1:", "did you mean `model`?"]);
    // A section's key at the top level is named with its section, the
    // model's own first; on the command line too.
    rejects(
        "model = \"network\"\ntau_m = \"20 ms\"\n[network]\nweights = [[0]]\n",
        &[
            ":2:1:",
            "unknown key `tau_m`; did you mean `network.tau_m`?",
        ],
    );
    let o = run(&["run", "lif-constant", "--set", "amplitude=2"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("unknown key `amplitude`; did you mean `stimulus.amplitude`?"),
        "{e}"
    );
}

#[test]
fn wrong_type() {
    rejects(
        "model = \"hh\"\n[hh]\ng_na = \"lots\"\n",
        &[
            ":3:8:",
            "`hh.g_na` = \"lots\": a string is not valid here",
            "valid: a number in mS/cm², e.g. 120",
        ],
    );
}

#[test]
fn negative_and_zero_time_constants() {
    rejects(
        "model = \"lif\"\n[lif]\ntau_m = \"-20 ms\"\n",
        &[
            ":3:9:",
            "`lif.tau_m` = \"-20 ms\"",
            "must be greater than 0",
            "valid: a time > 0",
        ],
    );
    rejects(
        "model = \"network\"\n[network]\ntau_s = 0\nbias = [1.0]\n",
        &[":3:9:", "`network.tau_s` = 0", "must be greater than 0"],
    );
    rejects(
        "model = \"hh\"\n[hh]\nc_m = 0.0\n",
        &["`hh.c_m` = 0.0", "must be greater than 0", "µF/cm²"],
    );
}

#[test]
fn dt_too_large_for_the_integrator() {
    rejects(
        "model = \"hh\"\ndt = \"0.1 ms\"\n",
        &[
            ":2:6:",
            "`dt` = \"0.1 ms\"",
            "too large",
            "rk4",
            "at most 60 µs",
        ],
    );
    rejects(
        "model = \"hh\"\ndt = \"40 us\"\n[hh]\ng_na = 240.0\ng_k = 72.0\n",
        &["`dt`", "at most 30.028818 µs"],
    );
    rejects(
        "model = \"network\"\ndt = \"10 ms\"\n[network]\ntau_s = \"5 ms\"\nbias = [1.0]\n",
        &["`dt`", "at most 5 ms"],
    );
    // A bare number is seconds, and the limit is in ms: the error says
    // what it was read as. With a unit it needs no saying.
    rejects(
        "model = \"lif\"\ndt = 0.1\n",
        &["`dt` = 0.1: read as 100 ms: too large", "at most 20 ms"],
    );
    let dir = tempfile::tempdir().unwrap();
    let o = run(&[
        "check",
        preset(&dir, "model = \"lif\"\ndt = \"1 s\"\n")
            .to_str()
            .unwrap(),
    ]);
    assert!(!stderr(&o).contains("read as"), "{}", stderr(&o));
}

#[test]
fn weight_matrix_of_the_wrong_shape() {
    rejects(
        "model = \"network\"\n[network]\nweights = [[0.0, 1.0], [0.0]]\nbias = [1.0, 1.0]\n",
        &[":3:11:", "`network.weights`", "2 rows of 2 numbers each"],
    );
    // One neuron: one row of one number ("1 rows of 1 numbers each").
    rejects(
        "model = \"network\"\n[network]\nweights = [[0.0, 1.0]]\nbias = [1.0]\n",
        &[
            "the matrix has 1 row of lengths [2]",
            "valid: 1 row of 1 number each (1 x 1)",
        ],
    );
    rejects(
        "model = \"network\"\n[network]\nweights = [[0.0, 1.0], [1.0, 0.0]]\nbias = [1.0, 1.0, 1.0]\n",
        &[
            "`network.bias`",
            "has 3 entries",
            "2 numbers, one per neuron",
        ],
    );
    // One neuron: its one bias and one name ("1 numbers", "1 names" before).
    rejects(
        "model = \"network\"\n[network]\nweights = [[0.0]]\nbias = [1.0, 1.0]\n",
        &["has 2 entries", "valid: 1 number, one per neuron"],
    );
    rejects(
        "model = \"network\"\n[network]\nweights = [[0.0, 0.0], [0.0, 0.0]]\nbias = [1.0]\n",
        &["has 1 entry", "valid: 2 numbers, one per neuron"],
    );
    rejects(
        "model = \"network\"\n[network]\nweights = [[0.0]]\nbias = [1.0]\nnames = [\"A\", \"B\"]\n",
        &[
            "`network.names`",
            "has 2 names",
            "valid: 1 name, one per neuron",
        ],
    );
}

#[test]
fn network_larger_than_the_limit() {
    // Neuron indices are 32-bit; below that, the memory decides: the
    // neurons alone of the largest network need 2 TiB.
    rejects(
        "model = \"network\"\n[network.random]\nn = 4294967296\np = 0.0\nweight = { low = 0.0, high = 0.0 }\n",
        &[
            ":3:5:",
            "`network.random.n` = 4294967296",
            "from 1 to 4294967295",
        ],
    );
    rejects(
        "model = \"network\"\n[network.random]\nn = 4294967295\np = 0.0\nweight = { low = 0.0, high = 0.0 }\n",
        &[
            ":3:5:",
            "`network.random.n` = 4294967295: the neurons alone need about 2.0 TiB",
            "this machine has available now (512 bytes a neuron, 12 a synapse; fewer neurons)",
        ],
    );
    rejects(
        "model = \"network\"\n[network.random]\nn = 100000\np = 1.0\nweight = { low = 0.0, high = 0.0 }\n",
        &[
            "`network.random.p` = 1.0: about 1.000e10 synapses expected",
            "needs about 117.4 GiB at its peak",
            "this machine has available now",
        ],
    );
}

#[test]
fn nan_and_bad_choices() {
    rejects(
        "model = \"hh\"\n[hh]\ng_k = nan\n",
        &["`hh.g_k` = nan", "finite"],
    );
    rejects(
        "model = \"lif\"\n[stimulus]\nkind = \"stepp\"\n",
        &["`stimulus.kind`", "did you mean \"step\"?"],
    );
    rejects(
        "model = \"lif\"\n[stimulus]\nkind = \"step\"\nwidth = \"1 ms\"\n",
        &["`stimulus.width`", "does not apply to kind \"step\""],
    );
    rejects(
        "model = \"lif\"\n[lif]\nv_init = 1.0\n",
        &["`lif.v_init` = 1.0", "threshold"],
    );
    rejects(
        "model = \"lif\"\n[stimulus]\nkind = \"step\"\nstart = \"10 ms\"\nstop = \"5 ms\"\n",
        &[
            ":5:8:",
            "`stimulus.stop` = \"5 ms\"",
            "not after `start`",
            "valid: a time after start = 10 ms",
        ],
    );
    rejects(
        "model = \"lif\"\n[stimulus]\nkind = \"pulses\"\nwidth = \"20 ms\"\nperiod = \"10 ms\"\n",
        &[
            ":4:9:",
            "`stimulus.width` = \"20 ms\"",
            "longer than the period",
            "at most period = 10 ms",
        ],
    );
    rejects(
        "model = \"lif\"\n[lif]\nv_threshold = 0.5\nv_reset = 0.5\n",
        &[
            ":4:11:",
            "`lif.v_reset` = 0.5",
            "not below v_threshold",
            "valid: v_reset < v_threshold",
        ],
    );
}

/// One case per section's own checks: models, the shared matrix block,
/// random networks, each stimulus kind and how stimuli fit the model.
#[test]
fn each_section_says_what_is_wrong() {
    rejects(
        "model = \"lif\"\n[hh]\ng_na = 100\n",
        &["`model` = \"lif\"", "a [hh] section but model = \"lif\""],
    );
    rejects(
        "model = \"hh\"\n[hh]\nmethod = \"rk5\"\n",
        &["`hh.method` = \"rk5\"", "\"rk4\", \"exp_euler\", \"euler\""],
    );
    rejects(
        "model = \"network\"\n[network]\naugmented = [[0,1,0],[1,0,0]]\nbias = [0,0]\n",
        &["`network.augmented`", "given together with weights or bias"],
    );
    rejects(
        "model = \"network\"\n[network]\nbias = [0]\n[network.random]\nn = 10\np = 0.1\nweight = {low = 0, high = 1}\n",
        &["`network.bias`", "given together with [network.random]"],
    );
    rejects(
        "model = \"network\"\n[network.random]\nn = 10\np = 0.1\nweight = {low = 0, high = 1}\nv_init = {low = 0, high = 1.5}\n",
        &[
            "`network.random.v_init.high` = 1.5",
            "at or above the threshold",
        ],
    );
    // A range that is not one points at the whole range, in whichever
    // order its bounds were written or under a [table] header of its own,
    // with the bounds as written and which one is wrong.
    let random = "model = \"network\"\n[network.random]\nn = 10\np = 0.1\n";
    for (range, at) in [
        ("weight = { low = 2, high = 1 }\n", ":5:10:"),
        ("weight = { high = 1, low = 2 }\n", ":5:10:"),
        ("[network.random.weight]\nlow = 2\nhigh = 1\n", ":5:1:"),
    ] {
        rejects(
            &format!("{random}{range}"),
            &[
                at,
                "`network.random.weight` = { low = 2, high = 1 }: low is above high",
                "with finite a <= b",
            ],
        );
    }
    rejects(
        &format!("{random}weight = {{ low = 0, high = 1 }}\nbias = {{ low = -inf, high = 1 }}\n"),
        &[
            ":6:8:",
            "`network.random.bias` = { low = -inf, high = 1 }: low and high must be finite",
        ],
    );
    let big = format!(
        "model = \"rate\"\n[rate]\nbias = [{}]\n",
        vec!["0"; 1001].join(",")
    );
    rejects(
        &big,
        &[
            ":3:8:",
            "`rate.bias` = [0,0,0,",
            "...: 1001 neurons",
            "from 1 to 1000 neurons",
        ],
    );
    rejects(
        "model = \"rate\"\n[rate]\nactivation = \"logstic\"\nweights = [[0]]\n",
        &["`rate.activation`", "did you mean \"logistic\"?"],
    );
    rejects(
        "model = \"hh\"\n[stimulus]\nkind = \"clamp\"\nlevels = []\n",
        &[
            "`stimulus.levels` = []: 0 levels",
            "from 1 to 1000 clamp levels",
        ],
    );
    rejects(
        "model = \"hh\"\n[stimulus]\nkind = \"clamp\"\nwidth = \"5 ms\"\n",
        &["`stimulus.width`", "needs `levels`"],
    );
    rejects(
        "model = \"lif\"\n[[stimuli]]\nkind = \"constant\"\n[[stimuli]]\nkind = \"clamp\"\n",
        &[
            "`stimuli[1].kind`",
            "a voltage clamp holds an HH membrane's V by itself",
        ],
    );
    rejects(
        "model = \"network\"\n[network]\nweights = [[0]]\n[stimulus]\nkind = \"spikes\"\nrate = -1\n",
        &[
            "`stimulus.rate` = -1: out of range",
            "from above 0 to 100000 Hz",
        ],
    );
    rejects(
        "model = \"network\"\n[network]\nweights = [[0]]\n[stimulus]\nkind = \"spikes\"\ntimes = [\"1 ms\"]\nseed = 3\n",
        &["`stimulus.seed`", "goes with `rate`, not `times`"],
    );
    rejects(
        "model = \"synapse\"\n[synapse]\nfilters = [{tau_s = \"5 ms\"}]\n[stimulus]\nkind = \"step\"\n",
        &["`stimulus.kind`", "driven by spike trains"],
    );
    rejects(
        "model = \"network\"\n[network]\nweights = [[0,0],[0,0]]\n[stimulus]\nneurons = [0,2]\n",
        &[
            "`stimulus.neurons`",
            "neuron 2 does not exist",
            "indices from 0 to 1",
        ],
    );
}

/// Preset files that are not presets: each a clear error (status 2), no
/// hang, no panic, nothing read beyond the limit.
#[test]
fn hostile_preset_files() {
    let dir = tempfile::tempdir().unwrap();
    let check = |path: &str, needle: &str| {
        let o = run(&["check", path]);
        assert_eq!(o.status.code(), Some(2), "{path}: {}", stderr(&o));
        assert!(stderr(&o).contains(needle), "{path}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"));
    };
    check("/dev/zero", "not a regular file");
    // A folder is checked as the presets it holds: here none.
    check(dir.path().to_str().unwrap(), "no .toml file in this folder");
    let fifo = dir.path().join("fifo.toml");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    check(fifo.to_str().unwrap(), "not a regular file");
    let big = dir.path().join("big.toml");
    std::fs::write(&big, vec![b'#'; (1 << 20) + 1]).unwrap();
    check(big.to_str().unwrap(), "a preset of at most 1048576 bytes");
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, b"model = \"lif\"\nname = \"\xff\xfe\"\n").unwrap();
    check(bad.to_str().unwrap(), "invalid UTF-8 at byte 22");
    // The line is shown whole, the bytes that are not UTF-8 as U+FFFD
    // (`?` outside a UTF-8 locale), the caret under the first: it was cut
    // there, and a Latin-1 `café` read `caf` with the caret after it.
    check(
        bad.to_str().unwrap(),
        ":2:9: invalid UTF-8 at byte 22\n  valid: a UTF-8 text file\n   |\n 2 | name = \"\u{fffd}\u{fffd}\"\n   |         ^\n",
    );
    // A compressed preset is said to be one, with what makes it text: it
    // was "invalid UTF-8 at byte 1".
    let gz = dir.path().join("lif.toml.gz");
    std::fs::write(&gz, b"\x1f\x8b\x08\x08\x00\x00\x00\x00\x00\x03lif.toml\x00").unwrap();
    check(
        gz.to_str().unwrap(),
        &format!(
            "lif.toml.gz: gzip-compressed, not text\n  valid: the file inside it: `gunzip -k {}` \
             writes it beside the compressed one\n",
            gz.display()
        ),
    );
    // A spike file and a journal given for a preset are said to be, with
    // what reads them: a spike file was "not valid TOML: key with no value".
    let spikes = dir.path().join("spikes.csv");
    std::fs::write(&spikes, "neuron,time_s\n0,0.1\n").unwrap();
    check(
        spikes.to_str().unwrap(),
        &format!(
            "spikes.csv:1:7: a spike file, not a preset\n  valid: `spikescope view {}` shows it\n",
            spikes.display()
        ),
    );
    let journal = dir.path().join("j.journal");
    std::fs::write(&journal, "spikescope journal 1\npreset lif-ramp\n").unwrap();
    check(
        journal.to_str().unwrap(),
        "j.journal:1:12: a journal (`--record`), not a preset\n  valid: `spikescope replay ",
    );
    let dup = dir.path().join("dup.toml");
    std::fs::write(&dup, "model = \"lif\"\n[lif]\ntau_m = 0.02\ntau_m = 0.03\n").unwrap();
    check(dup.to_str().unwrap(), ":4:1:");
    let inf = dir.path().join("inf.toml");
    std::fs::write(&inf, "model = \"hh\"\n[hh]\ng_na = inf\n").unwrap();
    check(
        inf.to_str().unwrap(),
        "`hh.g_na` = inf: must be a finite number",
    );
    check("/no/such/preset.toml", "/no/such/preset.toml: no such file");
    // A bundled preset's file name typed outside its folder.
    check(
        "lif-constant.toml",
        "did you mean the bundled preset `lif-constant`?",
    );
    // A file that is no preset, named otherwise than .toml, is asked about.
    let notes = dir.path().join("notes.md");
    std::fs::write(&notes, "# Notes\n\nRun it twice.\n").unwrap();
    check(
        notes.to_str().unwrap(),
        "not valid TOML: key with no value, expected `=` (the file is not named .toml: is it \
         the preset meant?)",
    );
    // A spike file or a journal that is not there, or a folder, in words,
    // with what is valid (they read the system's `No such file or
    // directory (os error 2)`).
    let folder = dir.path().to_str().unwrap();
    for (args, needle) in [
        (
            ["view", "nothere.csv"],
            "nothere.csv: no such file\n  valid: a spike file",
        ),
        (
            ["replay", "nothere.journal"],
            "nothere.journal: no such file\n  valid: a journal",
        ),
        (
            ["view", folder],
            ": a folder, not a file\n  valid: a spike file",
        ),
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(needle), "{args:?}: {}", stderr(&o));
    }
    // A bundled name is a name: it is never turned into a path.
    let o = run(&["check", "..-..-etc-passwd"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no bundled preset"), "{}", stderr(&o));
}
