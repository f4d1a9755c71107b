//! The preset fuzzer: bundled presets mutated as an adversarial user would
//! (values of every kind and size, keys deleted, doubled, misspelt or moved,
//! sections renamed, files cut short, `--set` overrides), each loaded as
//! `check` and `run` load it, and, when accepted, run for a few hundred
//! steps. It asserts what the README's Reliability section promises:
//!
//! - no panic, in loading or in running;
//! - every refusal names where (line and column, or the key), the value when
//!   there is one, and what is valid;
//! - what loads runs: `check` and `run` take the same path, so a preset that
//!   loads must build and step.
//!
//! `cargo test --release` runs a short round with a fixed seed, and the
//! corpus of cases earlier rounds found (`tests/fuzz/*.toml`). A full round:
//!
//! ```text
//! FUZZ_CASES=12000 cargo test --release --test fuzz -- --ignored --nocapture
//! ```
//!
//! (`FUZZ_SEED` picks the seed; the failures are written to
//! `target/fuzz-found/` as preset files, ready to join the corpus. A case
//! still running after `STUCK_AFTER` is named on standard error and written
//! there as `running.toml`: a loop that never ends, or memory filling, is a
//! fault the round itself cannot report.)

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod common;

use rand::prelude::*;
use rand_pcg::Pcg64Mcg;
use spikescope::preset::bundled::BUNDLED;
use spikescope::preset::{self, PresetError};

/// Values of every TOML kind, in range and far out of it.
const VALUES: &[&str] = &[
    "0",
    "-1",
    "1",
    "2",
    "3.5",
    "-0.0",
    "1e308",
    "-1e308",
    "1e-300",
    "5e-324",
    "nan",
    "inf",
    "-inf",
    "9223372036854775807",
    "-9223372036854775808",
    "0x7f",
    "true",
    "\"\"",
    "\"abc\"",
    "\"20 ms\"",
    "\"0 s\"",
    "\"-5 ms\"",
    "\"1e400 ms\"",
    "\"nan ms\"",
    "\"inf s\"",
    "\"5 µs\"",
    "\"3 parsecs\"",
    "\"20ms\"",
    "\"20 MS\"",
    "\"\\u001b[2J\"",
    "\"constant\"",
    "\"spikes\"",
    "\"network\"",
    "\"lif\"",
    "\"exact\"",
    "\"grid\"",
    "[]",
    "[1]",
    "[1, 2, 3]",
    "[[1, 2], [3]]",
    "[[1, 2], [3, 4]]",
    "[[]]",
    "[\"a\"]",
    "[1, \"a\"]",
    "[\"10 ms\", \"5 ms\"]",
    "[1e308, -1e308]",
    "{}",
    "{ kind = \"constant\" }",
    "{ a = 1 }",
    "{ low = 0, high = 1 }",
    "{ high = 0, low = 1 }",
    "{ low = nan, high = 1 }",
    "1979-05-27",
    "07:32:00",
];

/// A mutated preset: its text and `--set` overrides, and what was done.
struct Case {
    text: String,
    overrides: Vec<String>,
    what: Vec<String>,
}

fn pick<'a>(rng: &mut impl Rng, from: &[&'a str]) -> &'a str {
    from[rng.random_range(0..from.len())]
}

/// Indices of lines that assign a value (`key = value`).
fn assignments(lines: &[String]) -> Vec<usize> {
    lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.trim_start().starts_with('#') && l.contains('='))
        .map(|(i, _)| i)
        .collect()
}

/// A number scaled by a power of ten and maybe negated, to reach the far
/// ends of each parameter's range.
fn scaled(rng: &mut impl Rng, value: &str) -> Option<String> {
    let (number, unit) = match value.trim().strip_prefix('"') {
        Some(q) => {
            let q = q.strip_suffix('"')?;
            let (n, u) = q.split_once(' ')?;
            (n.to_string(), format!(" {u}"))
        }
        None => (value.trim().to_string(), String::new()),
    };
    let x: f64 = number.parse().ok()?;
    let k: i32 = rng.random_range(-20..=20);
    let sign = if rng.random_bool(0.2) { -1.0 } else { 1.0 };
    let y = sign * x * 10f64.powi(k);
    Some(if unit.is_empty() {
        format!("{y:e}")
    } else {
        format!("\"{y:e}{unit}\"")
    })
}

/// One mutation of `lines`, described.
fn mutate(rng: &mut impl Rng, lines: &mut Vec<String>, overrides: &mut Vec<String>) -> String {
    let assigned = assignments(lines);
    let any_line = rng.random_range(0..lines.len().max(1)).min(lines.len());
    match rng.random_range(0..12) {
        0 | 1 if !assigned.is_empty() => {
            let i = assigned[rng.random_range(0..assigned.len())];
            let key = lines[i].split('=').next().unwrap_or("").trim().to_string();
            let value = pick(rng, VALUES);
            lines[i] = format!("{key} = {value}");
            format!("line {}: {key} = {value}", i + 1)
        }
        2..=5 if !assigned.is_empty() => {
            let i = assigned[rng.random_range(0..assigned.len())];
            let (key, value) = lines[i].split_once('=').expect("an assignment");
            let key = key.trim().to_string();
            match scaled(rng, value) {
                Some(v) => {
                    lines[i] = format!("{key} = {v}");
                    format!("line {}: {key} = {v}", i + 1)
                }
                None => "nothing (not a number)".into(),
            }
        }
        6 if !lines.is_empty() => {
            let gone = lines.remove(any_line.min(lines.len() - 1));
            format!("deleted `{gone}`")
        }
        7 if !assigned.is_empty() => {
            let i = assigned[rng.random_range(0..assigned.len())];
            let copy = lines[i].clone();
            lines.insert(i + 1, copy.clone());
            format!("doubled `{copy}`")
        }
        8 if !assigned.is_empty() => {
            let i = assigned[rng.random_range(0..assigned.len())];
            let (key, value) = lines[i].split_once('=').expect("an assignment");
            let mut key: Vec<char> = key.trim().chars().collect();
            let at = rng.random_range(0..key.len().max(1)).min(key.len());
            key.insert(at, pick(rng, &["x", "_", "s"]).chars().next().unwrap());
            let key: String = key.into_iter().collect();
            lines[i] = format!("{key} ={value}");
            format!("line {}: key misspelt `{key}`", i + 1)
        }
        9 => {
            let line = format!("{} = {}", pick(rng, common::PRESET_KEYS), pick(rng, VALUES));
            lines.insert(any_line, line.clone());
            format!("inserted `{line}` at line {}", any_line + 1)
        }
        10 => {
            let section = match rng.random_range(0..=common::PRESET_SECTIONS.len()) {
                k if k < common::PRESET_SECTIONS.len() => common::PRESET_SECTIONS[k],
                _ => "[bogus]",
            };
            let headers: Vec<usize> = (0..lines.len())
                .filter(|&i| lines[i].trim_start().starts_with('['))
                .collect();
            if headers.is_empty() || rng.random_bool(0.3) {
                lines.insert(any_line, section.to_string());
                format!("inserted {section} at line {}", any_line + 1)
            } else {
                let i = headers[rng.random_range(0..headers.len())];
                lines[i] = section.to_string();
                format!("line {}: header {section}", i + 1)
            }
        }
        _ if !assigned.is_empty() => {
            let i = assigned[rng.random_range(0..assigned.len())];
            let key = lines[i].split('=').next().unwrap_or("").trim().to_string();
            // An array of tables (`[[stimuli]]`) by an index, and a key by
            // an index now and then (a list's element, or past its end, or
            // into what is no list).
            let index = |rng: &mut _| format!("[{}]", Rng::random_range(rng, 0..4));
            let section = (0..i)
                .rev()
                .find_map(|j| {
                    let l = lines[j].trim();
                    let table = l.strip_prefix('[')?;
                    let name = table.trim_matches(|c| c == '[' || c == ']').to_string();
                    Some(if table.starts_with('[') {
                        format!("{name}{}", index(rng))
                    } else {
                        name
                    })
                })
                .map_or(String::new(), |h| format!("{h}."));
            let key = if rng.random_bool(0.2) {
                format!("{key}{}", index(rng))
            } else {
                key
            };
            let value = lines[i].split_once('=').map_or("", |(_, v)| v);
            let value = match scaled(rng, value) {
                Some(v) if rng.random_bool(0.5) => v,
                _ => pick(rng, VALUES).to_string(),
            };
            let set = format!("{section}{key}={value}");
            overrides.push(set.clone());
            format!("--set {set}")
        }
        _ => "nothing".into(),
    }
}

/// A bundled preset with one or two mutations, sometimes cut short.
fn case(rng: &mut impl Rng) -> (String, Case) {
    let (name, text) = BUNDLED[rng.random_range(0..BUNDLED.len())];
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let mut overrides = Vec::new();
    let mut what = Vec::new();
    for _ in 0..rng.random_range(1..=2) {
        what.push(mutate(rng, &mut lines, &mut overrides));
    }
    let mut text = lines.join("\n");
    text.push('\n');
    if rng.random_bool(0.03) {
        let mut cut = rng.random_range(0..text.len());
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        what.push(format!("cut at byte {cut}"));
    }
    (
        name.to_string(),
        Case {
            text,
            overrides,
            what,
        },
    )
}

/// What is wrong with an error message, if anything: it must say where (a
/// position or a key), the value when it concerns one, and what is valid.
fn message_fault(e: &PresetError) -> Option<String> {
    let shown = e.to_string();
    if e.valid.is_none() || !shown.contains("\n  valid: ") {
        return Some("no `valid:` line".into());
    }
    if e.key.is_none() && e.position.is_none() {
        return Some("neither a key nor a position".into());
    }
    if e.key.is_some() && e.value.is_none() && !missing_value(e) {
        return Some("a key without its value".into());
    }
    let valid = e.valid.as_deref().unwrap_or("");
    let impossible = ["at most 0 ", "at most -", "at least inf", "NaN"];
    if impossible.iter().any(|w| valid.contains(w)) {
        return Some(format!("an impossible range: {valid}"));
    }
    None
}

/// Errors that concern a key with no value: one that is missing, or a
/// section (whose value is a whole table).
fn missing_value(e: &PresetError) -> bool {
    e.problem.starts_with("missing")
        || e.problem.contains("is required")
        || e.problem.contains("section")
}

/// Loads a case as `check` and `run` do; runs it for a few steps when it
/// loads. Returns what went wrong, if anything, and whether it loaded.
fn try_case(origin: &str, case: &Case) -> (Option<String>, bool) {
    let mut loaded = false;
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        match preset::load_text(origin, &case.text, &case.overrides) {
            Ok(scenario) => {
                loaded = true;
                let (meta, mut sim) = scenario.into_simulation();
                let steps = ((meta.duration_s / meta.dt_s).round() as u64).min(300);
                // Instability is a result to report, not a fault.
                for _ in 0..steps {
                    if sim.step().is_err() {
                        break;
                    }
                }
                None
            }
            Err(e) => message_fault(&e).map(|fault| format!("{fault}:\n{e}")),
        }
    }));
    let fault = match outcome {
        Ok(fault) => fault,
        Err(panic) => Some(format!(
            "panic: {}",
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default()
        )),
    };
    (fault, loaded)
}

/// How long a case may run before the watchdog names it.
const STUCK_AFTER: Duration = Duration::from_secs(10);

/// Where found cases are written.
fn found_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("../fuzz-found")
}

/// A case as a preset file that shows it: what was done to which preset,
/// its overrides, its text.
fn case_file(name: &str, case: &Case) -> String {
    let mut file = format!(
        "# from {name}: {}\n",
        case.what.join("; ").replace('\n', " ")
    );
    for o in &case.overrides {
        file.push_str(&format!("# --set {}\n", o.replace('\n', " ")));
    }
    file.push_str(&case.text);
    file
}

/// The case being tried: its name, its file, when it began, and whether
/// the watchdog has named it.
type Current = Arc<Mutex<Option<(String, String, Instant, bool)>>>;

/// Names a case that runs past `STUCK_AFTER` (once), until `done`.
fn watchdog(current: Current, done: Arc<AtomicBool>) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        while !done.load(Ordering::Relaxed) {
            std::thread::park_timeout(Duration::from_millis(500));
            let mut slot = current.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((origin, file, started, named)) = slot.as_mut()
                && !*named
                && started.elapsed() > STUCK_AFTER
            {
                *named = true;
                let path = found_dir().join("running.toml");
                let _ = std::fs::create_dir_all(found_dir());
                let _ = std::fs::write(&path, &file);
                eprintln!(
                    "still running after {} s: {origin} (written to {})",
                    STUCK_AFTER.as_secs(),
                    path.display()
                );
            }
        }
    })
}

/// Runs `cases` mutations from `seed`; returns the faults found, each with
/// the preset that shows it, and how many cases loaded and ran.
fn round(seed: u64, cases: usize) -> (Vec<(String, String)>, usize) {
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let mut faults = Vec::new();
    let mut ran = 0;
    let current: Current = Arc::default();
    let done = Arc::new(AtomicBool::new(false));
    let watching = watchdog(current.clone(), done.clone());
    for k in 0..cases {
        let (name, case) = case(&mut rng);
        let origin = format!("fuzz-{seed}-{k}.toml");
        let started = Instant::now();
        *current.lock().unwrap_or_else(|e| e.into_inner()) = Some((
            format!("{origin} (from {name})"),
            case_file(&name, &case),
            started,
            false,
        ));
        let (fault, loaded) = try_case(&origin, &case);
        // A case that takes seconds is worth a look (a loop too long for its
        // work); it is shown, not failed, as machines here are shared.
        if started.elapsed().as_secs_f64() > 2.0 {
            eprintln!(
                "slow: {origin} (from {name}) {:.1} s: {}",
                started.elapsed().as_secs_f64(),
                case.what.join("; ")
            );
        }
        ran += usize::from(loaded);
        if let Some(fault) = fault {
            faults.push((
                format!("{origin} (from {name}): {fault}"),
                case_file(&name, &case),
            ));
        }
    }
    done.store(true, Ordering::Relaxed);
    watching.thread().unpark();
    watching.join().expect("the watchdog");
    (faults, ran)
}

fn report(faults: &[(String, String)]) -> String {
    let dir = found_dir();
    let _ = std::fs::create_dir_all(&dir);
    let mut text = String::new();
    for (k, (what, file)) in faults.iter().enumerate() {
        let _ = std::fs::write(dir.join(format!("case-{k}.toml")), file);
        text.push_str(&format!("{what}\n\n"));
    }
    format!(
        "{} faults (written to {}):\n{text}",
        faults.len(),
        dir.display()
    )
}

/// A short round, the same every time, in the test suite.
#[test]
fn a_short_round_finds_nothing() {
    let (faults, ran) = round(20_261_130, 600);
    assert!(faults.is_empty(), "{}", report(&faults));
    // The mutations leave enough presets valid for the runs to count.
    assert!(ran > 150, "only {ran} of 600 cases loaded");
}

/// A full round: `FUZZ_CASES` (12,000) mutations from `FUZZ_SEED` (the
/// time now).
#[test]
#[ignore = "a full fuzzing round: run it with --ignored"]
fn a_full_round_finds_nothing() {
    let cases = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(12_000);
    let seed = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        });
    let (faults, ran) = round(seed, cases);
    eprintln!(
        "fuzzed {cases} cases from seed {seed}: {ran} loaded and ran, {} refused, {} faults",
        cases - ran,
        faults.len()
    );
    assert!(faults.is_empty(), "{}", report(&faults));
}

/// What earlier rounds found, each case a preset in `tests/fuzz/` whose
/// opening comments say how to load it (`# set: KEY=VALUE`) and what the
/// refusal must say (`# expect: TEXT`, or `# expect: run: TEXT` for a
/// preset that loads and must stop its run with TEXT).
#[test]
fn the_corpus_of_found_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/fuzz")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 20, "{} cases", files.len());
    for path in files {
        let text = std::fs::read_to_string(&path).expect("a case");
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let header = |tag: &str| -> Vec<String> {
            text.lines()
                .filter_map(|l| l.strip_prefix(tag).map(|v| v.trim().to_string()))
                .collect()
        };
        let (overrides, expected) = (header("# set:"), header("# expect:"));
        assert!(!expected.is_empty(), "{name}: no `# expect:` line");
        let case = Case {
            text: text.clone(),
            overrides,
            what: vec![],
        };
        let (fault, _) = try_case(&name, &case);
        assert_eq!(fault, None, "{name}");
        match preset::load_text(&name, &text, &case.overrides) {
            Err(e) => {
                let shown = e.to_string();
                for want in &expected {
                    assert!(
                        shown.contains(want.as_str()),
                        "{name}: `{want}` not in\n{shown}"
                    );
                }
            }
            Ok(scenario) => {
                let (_, mut sim) = scenario.into_simulation();
                // A rate beyond the step is met at once, a runaway within
                // a hundred steps.
                let stopped = (0..300).find_map(|_| sim.step().err());
                let shown = stopped.map(|e| e.to_string()).unwrap_or_default();
                for want in &expected {
                    let want = want.strip_prefix("run: ").unwrap_or_else(|| {
                        panic!("{name} loaded; it expects `{want}` from loading")
                    });
                    assert!(shown.contains(want), "{name}: `{want}` not in `{shown}`");
                }
            }
        }
    }
}
