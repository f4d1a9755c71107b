use super::*;
use crate::session::Recorder;

const PRESET: &str = "# guide\nname = \"x\"\n\n[lif]\ntau_m = 0.02\n";

fn source() -> PresetSource {
    PresetSource {
        origin: "lif-constant".into(),
        text: PRESET.into(),
        overrides: vec!["stimulus.amplitude=1.5".into()],
    }
}

fn written(changes: &[(u64, Change)], end: Option<u64>) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.txt");
    let mut r = Recorder::create(&path, &source(), 1e-3).unwrap();
    for (step, c) in changes {
        r.change(*step, c, 1e-3).unwrap();
    }
    if let Some(s) = end {
        r.end(s).unwrap();
    }
    std::fs::read_to_string(&path).unwrap()
}

fn other() -> PresetSource {
    PresetSource {
        origin: "presets/my net.toml".into(),
        text: "name = \"y\"\n".into(),
        overrides: vec![],
    }
}

#[test]
fn what_is_written_reads_back_the_same() {
    let changes = vec![
        (0, Change::Input(1.25)),
        (40, Change::Input(-0.1 + 0.2)),
        (
            70,
            Change::Param {
                key: "lif.tau_m".into(),
                value: Some("0.01".into()),
            },
        ),
        (
            70,
            Change::Param {
                key: "network.weights".into(),
                value: Some("[[0.0, 1.5], [-2.0, 0.0]]".into()),
            },
        ),
        (
            90,
            Change::Bias {
                neuron: 3,
                value: 1e-300,
            },
        ),
        (
            95,
            Change::Param {
                key: "lif.tau_m".into(),
                value: None,
            },
        ),
        (100, Change::Reset),
        (5, Change::Open(other())),
        (6, Change::Input(2.0)),
    ];
    let text = written(&changes, Some(60));
    assert!(text.starts_with("spikescope journal 1\n"));
    assert!(text.contains("\n40 input 0.1  # t = 40 ms\n"), "{text}");
    let j = Journal::parse("j.txt", &text).unwrap();
    assert_eq!(j.preset, source());
    assert_eq!(j.damage, None);
    let got: Vec<(u64, Event)> = j
        .entries
        .iter()
        .map(|e| (e.step, e.event.clone()))
        .collect();
    let mut want: Vec<(u64, Event)> = changes
        .into_iter()
        .map(|(s, c)| (s, Event::Change(c)))
        .collect();
    want.push((60, Event::End));
    // Values go through text exactly (shortest round-trip decimals).
    assert_eq!(got, want);
    assert!(j.ended());
    assert_eq!(j.last_step(), 60);
    assert_eq!(j.shortfall(), None);
    // Line numbers point at the lines.
    let lines: Vec<&str> = text.lines().collect();
    for e in &j.entries {
        assert!(lines[e.line - 1].starts_with(&format!("{} ", e.step)));
    }
}

fn damage(text: &str) -> (Vec<Entry>, JournalError) {
    let j = Journal::parse("j.txt", text).unwrap();
    (j.entries, j.damage.expect("damaged"))
}

#[test]
fn a_damaged_line_is_named_and_what_came_before_it_stays() {
    let good = written(&[(0, Change::Input(1.0)), (10, Change::Input(2.0))], None);
    let head = good.lines().count();
    // Each damage, and the column and width of the part at fault.
    let cases = [
        (
            "20 inptu 3\n",
            "`inptu` is not a change a journal records",
            (4, 5),
        ),
        ("x input 3\n", "`x` is not a step number", (1, 1)),
        // Played, it would run for days, or to the end of u64.
        (
            "18446744073709551615 end\n",
            "step 18446744073709551615 is past what a run can take",
            (1, 20),
        ),
        (
            "5 input 3\n",
            "step 5 is before step 10 of the line above",
            (1, 1),
        ),
        (
            "20 input 1e999\n",
            "`1e999` is not a number (the input)",
            (10, 5),
        ),
        ("20 input\n", "the input is missing", (9, 1)),
        ("20 bias x 1\n", "`x` is not a neuron number", (9, 1)),
        ("20 bias 3  # b\n", "the bias is missing", (10, 1)),
        ("20 param hh.g_na\n", "`param` needs KEY=VALUE", (10, 7)),
        ("20 reset now\n", "`reset` takes nothing after it", (10, 3)),
        (
            "20 end\n30 input 1\n",
            "a line after the `end` on line",
            (1, 10),
        ),
        (
            "20 input 2.5",
            "the line is cut short (no end of line)",
            (1, 12),
        ),
    ];
    for (tail, problem, at) in cases {
        let (entries, e) = damage(&format!("{good}{tail}"));
        assert!(e.problem.starts_with(problem), "{tail:?}: {e}");
        assert_eq!(e.at, Some(at), "{tail:?}: {e}");
        let line = if tail.starts_with("20 end") {
            head + 2
        } else {
            head + 1
        };
        assert_eq!(e.line, line, "{tail:?}: {e}");
        assert!(!e.valid.is_empty(), "{tail:?}: {e}");
        // The two good events before it are kept (and `end` where it came first).
        assert_eq!(
            entries[0].event,
            Event::Change(Change::Input(1.0)),
            "{tail:?}"
        );
        assert_eq!(
            entries[1].event,
            Event::Change(Change::Input(2.0)),
            "{tail:?}"
        );
        let (column, width) = at;
        let shown = e.to_string();
        assert!(
            shown.starts_with(&format!("j.txt:{line}:{column}: ")),
            "{e}"
        );
        // The caret under the part, in the line shown below the message.
        let caret = format!(
            "| {}{}",
            " ".repeat(column as usize - 1),
            "^".repeat(width as usize)
        );
        assert!(shown.ends_with(&caret), "{e}");
    }
}

#[test]
fn a_journal_without_its_end_says_so_and_plays_to_its_last_change() {
    let text = written(&[(0, Change::Input(1.0)), (10, Change::Input(2.0))], None);
    let j = Journal::parse("j.txt", &text).unwrap();
    assert_eq!(j.last_step(), 10);
    let e = j.shortfall().unwrap();
    assert!(e.problem.contains("no `end` line"), "{e}");
}

#[test]
fn a_file_that_is_no_journal_or_has_no_preset_is_refused() {
    let e = Journal::parse("j.txt", "hello\n").unwrap_err();
    assert_eq!(
        (e.line, e.problem.as_str(), e.valid.as_str()),
        (
            1,
            "not a spikescope journal",
            "the first line is `spikescope journal 1`"
        )
    );
    // A preset and a spike file are said to be, with what reads them.
    let e = Journal::parse("p.toml", "# LIF\nname = \"x\"\nmodel = \"lif\"\n").unwrap_err();
    assert_eq!(
        (e.line, e.problem.as_str(), e.valid.as_str()),
        (
            1,
            "a preset, not a journal",
            "`spikescope p.toml` opens it; `spikescope run p.toml --spikes FILE` writes the \
             spikes `view` reads"
        )
    );
    let e = Journal::parse("s.csv", "neuron,time_s\n0,0.1\n").unwrap_err();
    assert_eq!(
        (e.problem.as_str(), e.valid.as_str()),
        (
            "a spike file, not a journal",
            "`spikescope view s.csv` shows it"
        )
    );
    let e = Journal::parse("j.txt", "spikescope journal 1\n# c\n0 input 1\n").unwrap_err();
    assert_eq!((e.line, e.problem.as_str()), (3, "the preset is missing"));
    let e = Journal::parse("j.txt", "spikescope journal 1\npreset x\n0 input 1\n").unwrap_err();
    assert_eq!(e.problem, "the preset `x` has no text");
    let e = Journal::parse("j.txt", "spikescope journal 1\n").unwrap_err();
    assert_eq!(e.problem, "the journal ends before its preset");
}

#[test]
fn a_person_can_edit_it() {
    let text = "spikescope journal 1\n# my demo\npreset mine\n| name = \"x\"\n|\n\n\
                # raise the input\n100 input 12   # a comment\n200\tend\n";
    let j = Journal::parse("j.txt", text);
    // A tab is not the separator: said, with the line.
    let e = j.unwrap().damage.unwrap();
    assert_eq!(e.line, 9);
    let j = Journal::parse("j.txt", &text.replace('\t', " ")).unwrap();
    assert_eq!(j.preset.text, "name = \"x\"\n\n");
    assert_eq!(j.entries.len(), 2);
    assert_eq!(j.entries[0].event, Event::Change(Change::Input(12.0)));
    assert_eq!((j.entries[1].line, j.entries[1].step), (9, 200));
}

mod damage_at_large {
    use super::*;
    use proptest::prelude::*;

    /// A line of a journal as damage draws it: a step and a change of any
    /// kind, well or badly formed, or text at large.
    fn line() -> impl Strategy<Value = String> {
        let step = prop_oneof![
            (0u64..200).prop_map(|s| s.to_string()),
            Just("18446744073709551616".to_string()),
            Just("100000000001".to_string()),
            Just("-1".to_string()),
            Just("x".to_string()),
        ];
        let change = prop_oneof![
            Just("input 1.5".to_string()),
            Just("input nan".to_string()),
            Just("bias 2 0.5".to_string()),
            Just("bias 99999999999999999999 1".to_string()),
            Just("param lif.tau_m=0.01".to_string()),
            Just("param".to_string()),
            Just("unset lif.tau_m".to_string()),
            Just("reset".to_string()),
            Just("open lif-below".to_string()),
            Just("end".to_string()),
            "[ -~]{0,20}",
        ];
        prop_oneof![
            4 => (step, change).prop_map(|(s, c)| format!("{s} {c}")),
            1 => Just("| name = \"z\"".to_string()),
            1 => Just("# a comment".to_string()),
            1 => "[ -~]{0,30}",
        ]
    }

    proptest! {
        /// Whatever follows a journal's preset, reading it never panics: it
        /// is refused by a line that is in the file, or read with its
        /// damage named by such a line, and what it keeps is played in
        /// order: steps within a run never go back, and none is past what
        /// a run can take.
        #[test]
        fn any_damage_is_named_by_a_line_of_the_file(
            lines in prop::collection::vec(line(), 0..12),
            cut in any::<bool>(),
        ) {
            let mut text = written(&[(0, Change::Input(1.0))], None);
            text.push_str(&lines.join("\n"));
            if !cut {
                text.push('\n');
            }
            let count = text.lines().count().max(1);
            match Journal::parse("j.txt", &text) {
                Err(e) => prop_assert!(e.line >= 1 && e.line <= count + 1, "{}", e),
                Ok(j) => {
                    if let Some(d) = &j.damage {
                        prop_assert!(d.line >= 1 && d.line <= count + 1, "{}", d);
                    }
                    let mut run_step = 0;
                    for e in &j.entries {
                        prop_assert!(e.step as f64 <= crate::preset::MAX_STEPS);
                        prop_assert!(e.step >= run_step, "step {} after {}", e.step, run_step);
                        run_step = if e.starts_run() { 0 } else { e.step };
                    }
                }
            }
        }
    }
}

/// A signal's thread ends the journal at the step the session reached (a
/// reset or an opened preset counts from 0 again), says why in the end
/// line's comment, and ends it once: a second end, or a change after it,
/// writes nothing.
#[test]
fn a_journal_ended_from_another_thread_ends_where_the_session_stood() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.txt");
    let mut r = Recorder::create(&path, &source(), 1e-3).unwrap();
    r.change(40, &Change::Input(2.0), 1e-3).unwrap();
    r.reached(250);
    r.change(250, &Change::Reset, 1e-3).unwrap();
    r.reached(75);
    let end = r.end_handle();
    let ended = std::thread::spawn(move || end.end_for_good(", SIGHUP").ended.map(|e| e.unwrap()))
        .join()
        .unwrap();
    assert_eq!(ended, Some((75, 0.075)));
    assert!(r.change(80, &Change::Input(3.0), 1e-3).is_err());
    assert!(r.end_handle().end_for_good(", SIGTERM").ended.is_none());
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.ends_with("\n250 reset  # t = 250 ms\n75 end  # t = 75 ms, SIGHUP\n"),
        "{text}"
    );
    let j = Journal::parse("j.txt", &text).unwrap();
    assert!(j.ended());
    assert_eq!((j.last_step(), j.shortfall()), (75, None));
}

/// Every step the recorder writes agrees with its comment's time, to the
/// digits the comment keeps (a signal's name after it too); one edited to
/// another time is told apart, by more than a step and a thousandth.
#[test]
fn a_step_is_checked_against_its_comment() {
    let dt = 50e-6;
    let text = written(
        &[(7933, Change::Input(1.0)), (123_456_789, Change::Reset)],
        None,
    );
    let j = Journal::parse("j.txt", &text).unwrap();
    assert_eq!(j.entries[0].comment_t_s, Some(7.933));
    for e in &j.entries {
        assert_eq!(e.step_unlike_its_comment(1e-3), None, "{text}");
    }
    let text =
        "spikescope journal 1\npreset x\n| name = \"x\"\n7933 end  # t = 396.65 ms, SIGHUP\n";
    let j = Journal::parse("j.txt", text).unwrap();
    assert_eq!(j.entries[0].comment_t_s, Some(0.39665));
    assert_eq!(j.entries[0].step_unlike_its_comment(dt), None);
    let moved = |step: u64| Entry {
        step,
        ..j.entries[0].clone()
    };
    // A step away, or a thousandth: the comment's rounding, not an edit.
    assert_eq!(moved(7934).step_unlike_its_comment(dt), None);
    assert_eq!(moved(7940).step_unlike_its_comment(dt), None);
    assert_eq!(
        moved(79330).step_unlike_its_comment(dt).as_deref(),
        Some(
            "step 79330 is t = 3.9665 s at dt = 50 µs, where its comment says t = 396.65 ms: \
             was the step number changed?"
        )
    );
    // No comment, nothing to check against.
    let text = "spikescope journal 1\npreset x\n| name = \"x\"\n79330 end\n";
    let j = Journal::parse("j.txt", text).unwrap();
    assert_eq!(j.entries[0].step_unlike_its_comment(dt), None);
}
