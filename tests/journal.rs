//! Record and replay (`--record FILE`, `spikescope replay FILE`): a
//! session driven by keys is journaled as it runs; the headless replay's
//! CSV holds, bit for bit, what the live session's export holds, and the
//! oscilloscope's replay ends in the live session's state. A damaged or
//! truncated journal is named by line and what came before it plays.

mod common;

use std::collections::HashMap;
use std::path::Path;

use common::{run, stderr};
use spikescope::session::Journal;
use spikescope::ui::app::{App, Hold, RunState};
use spikescope::ui::command::Command;

/// A live app on a bundled preset, recording into `journal`, running.
fn recording(name: &str, journal: &Path, export_dir: &Path) -> App {
    let mut a = common::paused_app(name, 0);
    a.export_dir = export_dir.to_path_buf();
    a.record_to(journal).unwrap();
    a.run = RunState::Running;
    a
}

/// Advances as frames of uneven sizes would (the live clock never gives
/// the same batches twice).
fn frames(a: &mut App, steps: u64) {
    let mut left = steps;
    let mut k = 7;
    while left > 0 {
        let n = k.min(left);
        a.advance(n);
        left -= n;
        k = k * 3 % 1001 + 1;
    }
}

/// The rows of a CSV by their first column's text, each a map column ->
/// value text.
fn rows(path: &Path) -> (Vec<String>, HashMap<String, Vec<String>>) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header: Vec<String> = lines.next().unwrap().split(',').map(String::from).collect();
    let rows = lines
        .map(|l| {
            let cells: Vec<String> = l.split(',').map(String::from).collect();
            (cells[0].clone(), cells)
        })
        .collect();
    (header, rows)
}

/// Every row and spike of the export `base` is in the replay's CSVs with
/// the same text in every column: the same numbers to the last bit.
fn export_is_in_replay(dir: &Path, base: &str, traces: &Path, spikes: &Path) -> usize {
    let (eh, erows) = rows(&dir.join(format!("{base}.csv")));
    let (rh, rrows) = rows(traces);
    assert!(erows.len() > 10, "{} rows exported", erows.len());
    for (t, cells) in &erows {
        let replayed = rrows
            .get(t)
            .unwrap_or_else(|| panic!("time {t} is not in the replay"));
        for (c, name) in eh.iter().enumerate() {
            let k = rh.iter().position(|h| h == name).expect(name);
            assert_eq!(replayed[k], cells[c], "{name} at t = {t}");
        }
    }
    let exported = std::fs::read_to_string(dir.join(format!("{base}-spikes.csv"))).unwrap();
    let replayed = std::fs::read_to_string(spikes).unwrap();
    let replayed: Vec<&str> = replayed.lines().collect();
    for s in exported.lines() {
        assert!(replayed.contains(&s), "spike {s} is not in the replay");
    }
    erows.len()
}

/// Replays `journal` headless into the directory; returns the process.
fn replay(journal: &Path, dir: &Path) -> std::process::Output {
    run(&[
        "replay",
        journal.to_str().unwrap(),
        "--out",
        dir.join("r.csv").to_str().unwrap(),
        "--spikes",
        dir.join("r-spikes.csv").to_str().unwrap(),
    ])
}

#[test]
fn an_hh_session_replays_bit_for_bit() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("hh.journal");
    let mut a = recording("hh-repetitive", &journal, dir.path());
    frames(&mut a, 1500);
    a.apply(Command::AdjustInput { fine_steps: 10 });
    frames(&mut a, 999);
    a.apply(Command::AdjustInput { fine_steps: -3 });
    a.apply(Command::StepOnce);
    a.apply(Command::TogglePause);
    // TTX from the parameters panel, then lifted again.
    a.apply(Command::OpenParams);
    a.apply(Command::MoveParam(8));
    a.apply(Command::EditParam);
    assert_eq!(a.changed.len(), 1, "{:?}", a.message);
    frames(&mut a, 2001);
    a.apply(Command::EditParam);
    a.apply(Command::Back);
    a.apply(Command::SetInput(7.25));
    frames(&mut a, 3000);
    a.apply(Command::Export);
    let base = spikescope::ui::export::base_name(&a);
    assert!(a.finish_journal().is_none());
    let text = std::fs::read_to_string(&journal).unwrap();
    let events: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_digit()))
        .map(|l| l.split("  #").next().unwrap())
        .collect();
    assert_eq!(
        events,
        [
            "1500 input 11.0",
            "2499 input 10.7",
            "2500 param hh.g_na=0",
            "4501 unset hh.g_na",
            "4501 input 7.25",
            "7501 end"
        ]
    );
    let out = replay(&journal, dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let compared = export_is_in_replay(
        dir.path(),
        &base,
        &dir.path().join("r.csv"),
        &dir.path().join("r-spikes.csv"),
    );
    assert_eq!(compared, 2001, "the window of 100 ms at 50 µs");
    // The summary is the live session's.
    assert!(
        stderr(&out).contains(&format!("{} spikes", a.sim.spike_count)),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_network_session_with_a_reset_and_biases_replays_its_last_run() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("net.journal");
    let mut a = recording("network-abc", &journal, dir.path());
    frames(&mut a, 700);
    a.apply(Command::Select(1));
    a.apply(Command::AdjustBias { tenths: 5 });
    frames(&mut a, 300);
    a.apply(Command::Reset);
    frames(&mut a, 450);
    a.apply(Command::AdjustBias { tenths: -2 });
    a.apply(Command::AdjustInput { fine_steps: 4 });
    frames(&mut a, 1234);
    a.apply(Command::Export);
    let base = spikescope::ui::export::base_name(&a);
    a.finish_journal();
    let out = replay(&journal, dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("2 runs (resets or presets opened); the CSV holds the last"),
        "{}",
        stderr(&out)
    );
    export_is_in_replay(
        dir.path(),
        &base,
        &dir.path().join("r.csv"),
        &dir.path().join("r-spikes.csv"),
    );
    // The replayed CSV starts at 0 (the reset) and ends where the session did.
    let (_, r) = rows(&dir.path().join("r.csv"));
    assert!(r.contains_key("0.0"));
    assert_eq!(r.len() as u64, a.sim.step_index() + 1);
}

/// A session recorded into `journal`: HH for 100 frames, then LIF opened
/// and run for 40.
fn hh_then_lif(journal: &Path, dir: &Path) -> App {
    let mut a = recording("hh-repetitive", journal, dir);
    frames(&mut a, 100);
    a.apply(Command::OpenPreset("lif-constant".into()));
    a.run = RunState::Running;
    frames(&mut a, 40);
    a
}

#[test]
fn a_preset_opened_in_the_session_is_in_the_journal() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("open.journal");
    let mut a = hh_then_lif(&journal, dir.path());
    a.apply(Command::AdjustInput { fine_steps: -2 });
    frames(&mut a, 900);
    a.apply(Command::Export);
    let base = spikescope::ui::export::base_name(&a);
    a.finish_journal();
    let j = Journal::read(&journal).unwrap();
    assert_eq!(j.entries.len(), 3);
    // Its header gives the first run's dt as that run's alone.
    let text = std::fs::read_to_string(&journal).unwrap();
    assert!(
        text.lines().nth(2).unwrap().ends_with(
            "in the run's dt (50 µs for this preset; an opened one may differ: each line's \
             comment has its time)."
        ),
        "{text}"
    );
    // The oscilloscope's replay names the runs, and no time: the LIF
    // run's steps are not HH's 50 µs (its end was given in them).
    let r = App::from_journal(j).unwrap();
    assert_eq!(
        common::message(&r),
        format!(
            "replaying {}: 3 entries in 2 runs (resets or presets opened)",
            journal.display()
        )
    );
    let out = replay(&journal, dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    export_is_in_replay(
        dir.path(),
        &base,
        &dir.path().join("r.csv"),
        &dir.path().join("r-spikes.csv"),
    );
}

/// A preset opened in the session whose text in the journal does not load
/// is named once by the journal's line of the opening, then by its own
/// line, and the sentence on what was written stands on a line of its own
/// (it was: the journal's place twice, and the sentence after the caret).
#[test]
fn an_opened_preset_that_does_not_load_is_named_once() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("open.journal");
    let mut a = hh_then_lif(&journal, dir.path());
    a.finish_journal();
    let text = std::fs::read_to_string(&journal).unwrap();
    let open_line = text
        .lines()
        .position(|l| l.contains(" open lif-constant"))
        .expect("the opening")
        + 1;
    let damaged = text.replace("| tau_m = \"20 ms\"", "| tau_mx = \"20 ms\"");
    assert_ne!(damaged, text, "the LIF preset's tau_m is in the journal");
    let path = dir.path().join("damaged.journal");
    std::fs::write(&path, damaged).unwrap();
    let out = replay(&path, dir.path());
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let place = format!("{}:{open_line}: ", path.display());
    assert!(
        err.starts_with(&format!(
            "error: {place}the preset does not load: lif-constant:"
        )),
        "{err}"
    );
    assert_eq!(err.matches(&place).count(), 1, "{err}");
    assert!(err.contains("unknown key `tau_mx`"), "{err}");
    assert!(
        err.contains(
            "\n  play stopped before the last run (the one the CSV holds): no output was written"
        ),
        "{err}"
    );
    assert!(!dir.path().join("r.csv").exists());
}

/// `m` around the cycle and back: the preset opened comes back with the
/// parameter changed in its panel, and the journal holds that too (the
/// opening, then the change), so the replay ends in the live state.
#[test]
fn coming_back_to_the_preset_by_m_replays_with_its_changes() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("m.journal");
    let mut live = recording("network-wta", &journal, dir.path());
    live.change_param("network.tau_s", Some("4 ms")).unwrap();
    frames(&mut live, 300);
    for _ in 0..3 {
        live.apply(Command::SwitchModel);
        frames(&mut live, 50);
    }
    assert_eq!(live.preset.name, "Network: winner-take-all");
    frames(&mut live, 2000);
    live.finish_journal();

    let mut r = App::from_journal(Journal::read(&journal).unwrap()).unwrap();
    r.run = RunState::Running;
    while r.run == RunState::Running {
        r.advance(997);
    }
    assert_eq!(r.run, RunState::Held(Hold::JournalEnd));
    assert_eq!(r.sim.step_index(), live.sim.step_index());
    assert_eq!(r.sim.spike_count, live.sim.spike_count);
    assert!(format!("{:?}", r.sim.model).contains("tau_s_s: 0.004"));
    assert_eq!(
        format!("{:?}", r.sim.model),
        format!("{:?}", live.sim.model)
    );
}

/// The oscilloscope's replay: the journal's changes at their steps, in
/// batches of any size, ending held in the live session's state; keys
/// that would change the simulation are refused.
#[test]
fn the_oscilloscope_replays_to_the_live_state() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("hh.journal");
    let mut live = recording("hh-repetitive", &journal, dir.path());
    frames(&mut live, 800);
    live.apply(Command::AdjustInput { fine_steps: 25 });
    frames(&mut live, 1600);
    live.apply(Command::Reset);
    frames(&mut live, 50);
    live.apply(Command::AdjustInput { fine_steps: -40 });
    frames(&mut live, 1111);
    live.finish_journal();

    let mut r = App::from_journal(Journal::read(&journal).unwrap()).unwrap();
    // After resets alone the last run steps in the first preset's dt.
    assert!(
        common::message(&r).ends_with(&format!(
            " in 2 runs (resets), the last to t = {}",
            spikescope::preset::time::format_time(live.sim.time_s())
        )),
        "{}",
        common::message(&r)
    );
    r.guide_until = None;
    r.run = RunState::Running;
    r.apply(Command::AdjustInput { fine_steps: 10 });
    assert!(
        r.message
            .as_ref()
            .unwrap()
            .text
            .contains("keys that change"),
        "{:?}",
        r.message
    );
    let mut batches = 0;
    while r.run == RunState::Running {
        r.advance(997);
        batches += 1;
        assert!(batches < 100);
    }
    assert_eq!(r.run, RunState::Held(Hold::JournalEnd));
    assert_eq!(r.sim.step_index(), live.sim.step_index());
    assert_eq!(r.sim.spike_count, live.sim.spike_count);
    assert_eq!(r.input_level(), live.input_level());
    assert_eq!(
        format!("{:?}", r.sim.model),
        format!("{:?}", live.sim.model)
    );
    let text = common::screen(&r);
    assert!(text.contains("■ END"), "{text}");
    assert!(text.contains("replay done: r again"), "{text}");
    // Another step, or Space, stays at the end and says so; r plays it
    // again from the start.
    r.apply(Command::StepOnce);
    assert_eq!(r.sim.step_index(), live.sim.step_index());
    r.apply(Command::TogglePause);
    assert_eq!(r.run, RunState::Held(Hold::JournalEnd));
    assert_eq!(
        common::message(&r),
        "the replay is done: r plays it again from the start"
    );
    r.apply(Command::Reset);
    assert_eq!(r.sim.step_index(), 0);
    assert!(r.replay.as_ref().unwrap().next().is_some());
}

/// A frame that ends on the step a change was made at shows the change,
/// as the live screen did right after the key (it showed the old input and
/// "replay 0/2" until the next step).
#[test]
fn a_replay_shows_a_change_at_the_step_it_was_made() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("lif.journal");
    let mut live = recording("lif-constant", &journal, dir.path());
    frames(&mut live, 800);
    live.apply(Command::AdjustInput { fine_steps: 25 });
    let after_key = common::screen(&live);
    frames(&mut live, 100);
    live.finish_journal();

    let mut r = App::from_journal(Journal::read(&journal).unwrap()).unwrap();
    r.guide_until = None;
    r.run = RunState::Running;
    r.advance(800);
    assert_eq!(r.sim.step_index(), 800);
    let text = common::screen(&r);
    assert!(
        after_key.contains("v_in 1.500  → 1.750 next step"),
        "{after_key}"
    );
    assert!(text.contains("v_in 1.500  → 1.750 next step"), "{text}");
    assert!(text.contains("replay 1/2"), "{text}");
}

/// A journal cut in the middle of a line, and one with a line damaged by
/// hand: the error names the line, and what came before it plays.
/// A byte that is not UTF-8 in a comment (an editor's Latin-1 `é`) does
/// not stop a journal: it plays as without it. Outside a comment its line
/// is refused, pointed at.
#[test]
fn a_latin1_comment_plays_and_a_latin1_event_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("lif.journal");
    let mut a = recording("lif-constant", &journal, dir.path());
    frames(&mut a, 100);
    a.apply(Command::AdjustInput { fine_steps: 10 });
    frames(&mut a, 100);
    a.finish_journal();
    let bytes = std::fs::read(&journal).unwrap();
    let played = |bytes: &[u8]| {
        std::fs::write(dir.path().join("x.journal"), bytes).unwrap();
        let out = replay(&dir.path().join("x.journal"), dir.path());
        (out.clone(), std::fs::read(dir.path().join("r.csv")).ok())
    };
    let (plain, plain_rows) = played(&bytes);
    assert_eq!(plain.status.code(), Some(0), "{}", stderr(&plain));
    // The change's line, `100 input 1.6  # t = 10 ms`, with `é` after it.
    let text = String::from_utf8(bytes.clone()).unwrap();
    let change = text
        .lines()
        .find(|l| l.starts_with(|c: char| c.is_ascii_digit()) && l.contains(" input "))
        .unwrap();
    let at = text.find(change).unwrap() + change.find(" input ").unwrap();
    let end = at + bytes[at..].iter().position(|&b| b == b'\n').unwrap();
    let mut commented = bytes[..end].to_vec();
    commented.extend_from_slice(b" caf\xe9");
    commented.extend_from_slice(&bytes[end..]);
    let (out, rows) = played(&commented);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(rows, plain_rows);
    // The same byte in the change's word.
    let mut broken = bytes.clone();
    broken[at + 3] = 0xe9;
    let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count();
    let column = at - bytes[..at].iter().rposition(|&b| b == b'\n').unwrap() + 3;
    let (out, _) = played(&broken);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let want = format!("x.journal:{line}:{column}: not UTF-8 text");
    assert!(stderr(&out).contains(&want), "{want}\n{}", stderr(&out));
}

#[test]
fn a_damaged_journal_is_named_by_line_and_plays_to_there() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("hh.journal");
    let mut a = recording("hh-repetitive", &journal, dir.path());
    frames(&mut a, 400);
    a.apply(Command::AdjustInput { fine_steps: 10 });
    frames(&mut a, 400);
    a.apply(Command::AdjustInput { fine_steps: 10 });
    frames(&mut a, 400);
    a.finish_journal();
    let text = std::fs::read_to_string(&journal).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let n = lines.len();
    // Cut short: the last line loses its newline and half its text.
    let cut = format!("{}\n{}", lines[..n - 1].join("\n"), &lines[n - 1][..3]);
    let cut_path = dir.path().join("cut.journal");
    std::fs::write(&cut_path, cut).unwrap();
    let out = replay(&cut_path, dir.path());
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "cut.journal:{n}:1: the line is cut short (no end of line)"
        )),
        "{err}"
    );
    assert!(err.contains("played to t = 40 ms"), "{err}");
    let (_, r) = rows(&dir.path().join("r.csv"));
    assert_eq!(r.len(), 801, "the rows up to the last change");
    // Cut at a line's end inside the preset's text (before `model`, which
    // then reads as HH's default): said so, not only a missing `end`.
    let in_preset = lines.iter().position(|l| l.starts_with("| name")).unwrap() + 1;
    let cut = format!("{}\n", lines[..in_preset].join("\n"));
    std::fs::write(&cut_path, cut).unwrap();
    let out = replay(&cut_path, dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!(
            "cut.journal:{in_preset}: the journal ends inside a preset's text, with no `end` \
             line: the text may be cut there"
        )),
        "{}",
        stderr(&out)
    );
    // Cut after the preset's text and a change: only the `end` is missing.
    let cut = format!("{}\n", lines[..n - 1].join("\n"));
    std::fs::write(&cut_path, cut).unwrap();
    let out = replay(&cut_path, dir.path());
    assert!(
        stderr(&out).contains("the journal has no `end` line (the session was cut short?)"),
        "{}",
        stderr(&out)
    );
    // A line damaged by hand: the changes before it apply.
    let bad = text.replace(" input 12.0", " input twelve");
    let bad_path = dir.path().join("bad.journal");
    std::fs::write(&bad_path, bad).unwrap();
    let out = replay(&bad_path, dir.path());
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    // Its column: the value after the step and `input `.
    let column = lines[n - 2].find(" input").unwrap() + 8;
    assert!(
        err.contains(&format!(
            "bad.journal:{}:{column}: `twelve` is not a number (the input)",
            n - 1
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!("| {}^^^^^^\n", " ".repeat(column - 1))),
        "{err}"
    );
    let (_, r) = rows(&dir.path().join("r.csv"));
    assert_eq!(r.len(), 401);
    // The oscilloscope holds there and says so.
    let mut o = App::from_journal(Journal::read(&bad_path).unwrap()).unwrap();
    // The opening note names where play will stop, to the column.
    let note = &o.message.as_ref().unwrap().text;
    assert!(
        note.contains(&format!(
            "it stops at line {}, column {column}: `twelve` is not a number",
            n - 1
        )),
        "{note}"
    );
    o.run = RunState::Running;
    while o.run == RunState::Running {
        o.advance(300);
    }
    assert_eq!(o.sim.step_index(), 400);
    let msg = &o.message.as_ref().unwrap().text;
    assert!(msg.contains("`twelve` is not a number"), "{msg}");
    // A change the preset refuses stops play at its line.
    let refused = text.replace(" input 12.0", " bias 0 1");
    std::fs::write(&bad_path, refused).unwrap();
    let out = replay(&bad_path, dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("biases belong to network neurons"),
        "{}",
        stderr(&out)
    );
    // Not a journal at all: nothing plays (exit 2).
    let out = run(&["replay", "Cargo.toml", "--out", "-"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("Cargo.toml:1:1: not a spikescope journal"),
        "{}",
        stderr(&out)
    );
}

/// Without a terminal, `replay FILE` reads its journal first (what is
/// wrong with it is said, as `view` does with its file), and refuses in
/// its own words: the command that writes the replayed run without one.
#[test]
fn without_a_terminal_replay_checks_the_journal_and_refuses_in_its_own_words() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("lif.journal");
    let mut a = recording("lif-constant", &journal, dir.path());
    frames(&mut a, 100);
    a.finish_journal();
    let replay_without_a_terminal = |path: &Path| {
        let o = common::bin()
            .arg("replay")
            .arg(path)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(o.stdout.is_empty(), "nothing written to stdout");
        stderr(&o)
    };
    let e = replay_without_a_terminal(Path::new("Cargo.toml"));
    assert!(
        e.contains("Cargo.toml:1:1: not a spikescope journal") && !e.contains("not a terminal"),
        "{e}"
    );
    let e = replay_without_a_terminal(&journal);
    assert!(
        e.contains("not a terminal")
            && e.contains(&format!(
                "the replay needs one. To write the replayed run without a screen use \
                 `spikescope replay {} --out FILE`",
                journal.display()
            )),
        "{e}"
    );
}

/// A journal never replaces a file that is not one: `--record` naming the
/// preset being opened overwrote the preset. An earlier journal is
/// replaced, a new file made.
#[test]
fn recording_leaves_a_file_that_is_not_a_journal_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let preset = dir.path().join("mine.toml");
    let text = "model = \"lif\"\n";
    std::fs::write(&preset, text).unwrap();
    let source = spikescope::preset::PresetSource::resolve(preset.to_str().unwrap(), &[]).unwrap();
    let mut a = App::from_source(source).unwrap();
    let e = a.record_to(&preset).unwrap_err();
    assert!(e.to_string().contains("exists and is not a journal"), "{e}");
    assert_eq!(std::fs::read_to_string(&preset).unwrap(), text);
    let journal = dir.path().join("s.journal");
    a.record_to(&journal).unwrap();
    a.finish_journal();
    a.record_to(&journal).unwrap();
    assert!(Journal::read(&journal).is_ok());
}
