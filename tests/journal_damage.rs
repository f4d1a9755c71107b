//! Journals as they are met after the session: cut short, damaged by hand,
//! with a Latin-1 byte, given without a terminal, or a `--record` naming a
//! file that is not a journal. Each is named by line and what came before
//! the damage plays; nothing that is not a journal is overwritten.

mod common;

use std::path::Path;

use common::journal::{frames, recording, replay, rows};
use common::{run, stderr};
use spikescope::session::Journal;
use spikescope::ui::app::{App, RunState};
use spikescope::ui::command::Command;

/// A byte that is not UTF-8 in a comment (an editor's Latin-1 `é`) does
/// not stop a journal: it plays as without it. Outside a comment its line
/// is refused, pointed at.
#[test]
fn a_latin1_comment_plays_and_a_latin1_event_is_refused() {
    let (dir, journal) = one_change("lif-constant", 100);
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
    // The journal compressed is said to be: it was "not UTF-8 text" at 1:2.
    let mut gz = b"\x1f\x8b\x08\x00".to_vec();
    gz.extend_from_slice(&bytes);
    let (out, _) = played(&gz);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let want = "x.journal: gzip-compressed, not text\n  valid: the file inside it: `gunzip -k ";
    assert!(stderr(&out).contains(want), "{}", stderr(&out));
}

/// A journal cut in the middle of a line, and one with a line damaged by
/// hand: the error names the line, and what came before it plays.
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
    // Said before anything plays, with how far the lines before it go.
    assert!(
        err.starts_with(&format!(
            "note: {}:{n} is damaged: the lines before it play, to step 800 of their run",
            cut_path.display()
        )),
        "{err}"
    );
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

/// A step its own comment contradicts is said before it is played to: the
/// last line's 4233 damaged to 4233000000 (no line after it goes back)
/// played 2.4 days of simulated time at 50 µs, silently, off a terminal.
/// A step that agrees with its comment says nothing. The oscilloscope's
/// replay says it too, when play heads for it (its opening note gave only
/// the end's time).
#[test]
fn a_step_its_comment_contradicts_is_said_before_it_plays() {
    let (dir, journal) = one_change("hh-repetitive", 400);
    let text = std::fs::read_to_string(&journal).unwrap();
    let out = replay(&journal, dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("note:"), "{}", stderr(&out));
    // The last line's step made a hundred times as large: 40 ms becomes 4 s.
    let (n, line) = text.lines().enumerate().last().unwrap();
    assert_eq!(line, "800 end  # t = 40 ms");
    let edited = text.replace("\n800 end", "\n80000 end");
    let edited_path = dir.path().join("edited.journal");
    std::fs::write(&edited_path, edited).unwrap();
    let out = replay(&edited_path, dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.starts_with(&format!(
            "note: {}:{}: step 80000 is t = 4 s at dt = 50 µs, where its comment says \
             t = 40 ms: was the step number changed? Playing to it simulates that long \
             (Ctrl-C stops).",
            edited_path.display(),
            n + 1
        )),
        "{err}"
    );
    let said = |o: &App| {
        o.message
            .as_ref()
            .map(|m| m.text.clone())
            .unwrap_or_default()
    };
    let unlike = format!(
        "{}:{}: step 80000 is t = 4 s at dt = 50 µs, where its comment says t = 40 ms: \
         was the step number changed? Playing to it simulates that long.",
        edited_path.display(),
        n + 1
    );
    let mut o = App::from_journal(Journal::read(&edited_path).unwrap()).unwrap();
    assert!(!said(&o).contains("was the step number"), "{}", said(&o));
    o.run = RunState::Running;
    o.advance(400);
    assert_eq!(said(&o), unlike);
    // Said once: play goes on toward it.
    o.message = None;
    o.advance(400);
    assert_eq!((o.message.is_none(), o.sim.step_index()), (true, 800));
    // The first change contradicted: the opening note says it after its
    // own words.
    let first = text.lines().position(|l| l.starts_with("400 ")).unwrap();
    let early = text.replace("\n400 ", "\n40000 ");
    std::fs::write(&edited_path, early).unwrap();
    let o = App::from_journal(Journal::read(&edited_path).unwrap()).unwrap();
    let note = said(&o);
    assert!(
        note.starts_with("replaying ")
            && note.contains(&format!(
                "; {}:{}: step 40000 is t = 2 s at dt = 50 µs, where its comment says t = 20 ms",
                edited_path.display(),
                first + 1
            )),
        "{note}"
    );
    // The untouched journal says nothing of the kind.
    let mut o = App::from_journal(Journal::read(&journal).unwrap()).unwrap();
    o.run = RunState::Running;
    o.advance(800);
    assert!(!said(&o).contains("was the step number"), "{}", said(&o));
}

/// A session of `name` journaled in a new folder: `steps` steps, the input
/// raised a coarse step, `steps` more.
fn one_change(name: &str, steps: u64) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join(format!("{name}.journal"));
    let mut a = recording(name, &journal, dir.path());
    frames(&mut a, steps);
    a.apply(Command::AdjustInput { fine_steps: 10 });
    frames(&mut a, steps);
    a.finish_journal();
    (dir, journal)
}
