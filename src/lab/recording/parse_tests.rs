//! The spike file parser's tests: a bad cell named by line, column and value;
//! the message as a preset's errors read; a header without rows; line ends.

use super::super::Recording;

/// A bad row's error: line, column and width, key, value, problem.
type Found = (
    usize,
    Option<(usize, usize)>,
    Option<&'static str>,
    Option<String>,
    String,
);

fn error_of(text: &str) -> Found {
    let e = Recording::parse(text.as_bytes()).unwrap_err();
    (e.line, e.column, e.key, e.value, e.problem)
}

#[test]
fn a_bad_cell_is_named_by_line_column_and_value() {
    let some = |s: &str| Some(s.to_string());
    let cases = [
        (
            "neuron,time_s\n0,0.1\n1,x\n",
            (3, Some((3, 1)), Some("time_s"), some("x"), "not a number"),
        ),
        (
            "neuron,time_s\n0,0.1,4\n",
            (2, Some((7, 1)), None, None, "a third column"),
        ),
        (
            "neuron,time_s\n 7\n",
            (
                2,
                Some((3, 1)),
                None,
                None,
                "one column: `time_s` is missing after `neuron`",
            ),
        ),
        (
            "neuron,time_s\n0, -0.5\n",
            (
                2,
                Some((4, 4)),
                Some("time_s"),
                some("-0.5"),
                "negative: a recording starts at 0",
            ),
        ),
        (
            "neuron,time_s\n0,0.1\n1,1e300\n",
            (
                3,
                Some((3, 5)),
                Some("time_s"),
                some("1e300"),
                "past 31.7 years, the latest a recording may hold",
            ),
        ),
        (
            "neuron,time_s\n1,inf\n",
            (2, Some((3, 3)), Some("time_s"), some("inf"), "not finite"),
        ),
        (
            "neuron,time_s\n-1,0.1\n",
            (2, Some((1, 2)), Some("neuron"), some("-1"), "negative"),
        ),
        (
            "neuron,time_s\n1.5,0.1\n",
            (
                2,
                Some((1, 3)),
                Some("neuron"),
                some("1.5"),
                "not a whole number",
            ),
        ),
        (
            "neuron,time_s\n16777216,0.1\n",
            (
                2,
                Some((1, 8)),
                Some("neuron"),
                some("16777216"),
                "above 16777215, the most neurons the viewer shows (2^24)",
            ),
        ),
        // NEST's node IDs run from 1 to 2^24.
        (
            "sender\ttime_ms\n16777217\t1.0\n",
            (
                2,
                Some((1, 8)),
                Some("sender"),
                some("16777217"),
                "above 16777216, the most node IDs the viewer shows (2^24)",
            ),
        ),
        (
            "sender\ttime_ms\n0\t1.0\n",
            (
                2,
                Some((1, 1)),
                Some("sender"),
                some("0"),
                "NEST's node IDs start at 1",
            ),
        ),
        (
            "sender\ttime_ms\n2\tsoon\n",
            (
                2,
                Some((3, 4)),
                Some("time_ms"),
                some("soon"),
                "not a number",
            ),
        ),
        (
            "time,v\n0,1\n",
            (1, None, None, None, "not a spike file's header"),
        ),
        // Widths are in characters: `µ` is one, in two bytes.
        (
            "neuron,time_s\nµ,0.1\n",
            (
                2,
                Some((1, 1)),
                Some("neuron"),
                some("µ"),
                "not a whole number",
            ),
        ),
    ];
    for (text, want) in cases {
        let (line, column, key, value, problem) = want;
        assert_eq!(
            error_of(text),
            (line, column, key, value, problem.to_string()),
            "{text:?}"
        );
    }
    let bytes = b"neuron,time_s\n0,0.\xff1\n";
    let e = Recording::parse(bytes).unwrap_err();
    assert_eq!(
        (e.line, e.column, e.problem.as_str()),
        (2, Some((5, 1)), "not UTF-8 text")
    );
    // -0 is the start, 1e9 s the latest; NEST's 16777216 the last node.
    let r = Recording::parse(b"neuron,time_s\n0,-0.0\n0,1e9\n").unwrap();
    assert_eq!(r.len(), 2);
    let r = Recording::parse(b"sender\ttime_ms\n16777216\t1.0\n").unwrap();
    assert_eq!((r.first, r.neuron_count), (1 << 24, 1));
}

/// The message reads as a preset's: file, line and column, the
/// column's name and value, what is valid, and the line with a caret
/// under the cell (a tab shown as a space, so it stays under it).
#[test]
fn the_message_points_at_the_cell() {
    let e = Recording::parse(b"# NEST\nsender\ttime_ms\n12\t4.5e\n").unwrap_err();
    assert_eq!(
        e.message("spikes.dat"),
        "spikes.dat:3:4: `time_ms` = 4.5e: not a number\n  \
         valid: milliseconds from 0 to 1e12 (31.7 years), as 12.3\n   |\n \
         3 | 12 4.5e\n   |    ^^^^"
    );
    // NEST 3.10's header with `time_in_steps` = True.
    let e = Recording::parse(
        b"# NEST version: 3.10.0\n# RecordingBackendASCII version: 2\n\
          sender\ttime_step\ttime_offset\n1\t139\t0.000\n",
    )
    .unwrap_err();
    assert_eq!(
        e.message("steps-3-0.dat"),
        "steps-3-0.dat:3:1: NEST's spike_recorder with `time_in_steps` = True: its times \
         are step numbers, and the file does not hold the resolution that makes them times\n  \
         valid: NEST's default, `time_in_steps` = False, whose file holds \
         `sender<TAB>time_ms`\n   |\n 3 | sender time_step time_offset\n   | \
         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^"
    );
    let e = Recording::parse(b"time_s,v_mV,m,h,n\n0.0,-65,0.05,0.6,0.32\n").unwrap_err();
    assert_eq!(
        e.message("trace.csv"),
        "trace.csv:1:1: a run's traces (`run --out`), not a spike file\n  valid: the run's \
         spikes, which `run --spikes FILE` writes as `neuron,time_s` rows\n   |\n \
         1 | time_s,v_mV,m,h,n\n   | ^^^^^^^^^^^^^^^^^"
    );
    // A preset and a journal are said to be, with what reads them.
    let e = Recording::parse(b"# LIF\nname = \"x\"\nmodel = \"lif\"\n").unwrap_err();
    assert_eq!(
        e.message("lif.toml"),
        "lif.toml:2:1: a preset, not a spike file\n  valid: `spikescope lif.toml` opens it; \
         `spikescope run lif.toml --spikes FILE` writes the spikes `view` reads\n   |\n \
         2 | name = \"x\"\n   | ^^^^^^^^^^"
    );
    let e = Recording::parse(b"spikescope journal 1\npreset lif-ramp\n").unwrap_err();
    assert_eq!(
        (e.problem.as_str(), e.message("a b.journal").lines().nth(1)),
        (
            "a journal (`--record`), not a spike file",
            Some("  valid: `spikescope replay 'a b.journal'` plays it")
        )
    );
    let e = Recording::parse(b"time,v\n").unwrap_err();
    assert_eq!(
        e.message("v.csv"),
        "v.csv:1:1: not a spike file's header\n  valid: `neuron,time_s` rows \
         (spikescope's CSV) or NEST's spike_recorder ASCII (`sender<TAB>time_ms` after `#` \
         lines)\n   |\n 1 | time,v\n   | ^^^^^^"
    );
}

/// A file of the header alone without an end of line (what a tool that
/// recorded no spikes may write) holds no spikes, in either format,
/// read whole or from its path block by block: it stopped the program
/// before, the rows taken to start past the file's end (and NEST's
/// header after its comments was read as a CSV row).
#[test]
fn a_header_alone_without_an_end_of_line_holds_no_spikes() {
    let dir = tempfile::tempdir().unwrap();
    for text in [
        "neuron,time_s",
        "neuron,time_s\r",
        "sender\ttime_ms",
        "# NEST\nsender\ttime_ms",
    ] {
        assert!(
            Recording::parse(text.as_bytes()).unwrap().is_empty(),
            "{text:?}"
        );
        let path = dir.path().join("header.csv");
        std::fs::write(&path, text).unwrap();
        assert!(Recording::open(&path).unwrap().is_empty(), "{text:?}");
    }
    // Lines ended by a carriage return alone are one line: said so.
    let e = Recording::parse(b"neuron,time_s\r0,0.1\r").unwrap_err();
    let said = e.message("mac.csv");
    assert!(
        said.starts_with("mac.csv:1:1: its lines end in a carriage return alone"),
        "{said}"
    );
}

/// Lines ended by a carriage return alone are said to be, whatever the
/// first line is: a NEST file's (its comments first) read as one comment
/// and so as a file without spikes. A line with a \r inside that does not
/// read as a spike file's is no header, and a NUL byte before the first row
/// is binary: an ELF program's first line, a lone \r in it, was said to end
/// its lines as classic Mac OS did.
#[test]
fn lines_ended_by_a_carriage_return_alone_are_told_from_binary() {
    let problem = |bytes: &[u8]| Recording::parse(bytes).unwrap_err().problem;
    let classic = "its lines end in a carriage return alone (\\r, classic Mac OS)";
    for text in [
        &b"# NEST version: 3.10.0\rsender\ttime_ms\r1\t2.0\r"[..],
        b"neuron,time_s\r0,0.1\r",
        b"0,0.1\r1,0.2\r",
        b"\n\nsender time_ms\r1 2.0\r",
    ] {
        assert_eq!(problem(text), classic, "{text:?}");
    }
    assert_eq!(problem(b"5*S:\rX?`|Vl"), "not a spike file's header");
    assert_eq!(problem(b"0,0.1,7\rx"), "not a spike file's header");
    let e = Recording::parse(b"\x7fGLF\x02\x01\x00\r\x00\n").unwrap_err();
    assert_eq!(
        e.message("a.out"),
        "a.out: binary, not text: a NUL byte before its first row\n  valid: a spike file: \
         spikescope's CSV (`run --spikes`) or NEST's spike_recorder ASCII"
    );
    // In a headerless file's first row, the NUL is placed as in any row.
    let e = Recording::parse(b"0,0.1\0\0\n").unwrap_err();
    assert_eq!((e.line, e.column), (1, Some((6, 1))));
    assert!(
        e.problem.starts_with("a NUL byte, which no text holds"),
        "{}",
        e.problem
    );
    // \r\n, and a comment ended by two, are lines as any.
    let r = Recording::parse(b"# NEST\r\r\nsender\ttime_ms\r\n1\t2.0\r\n").unwrap();
    assert_eq!(r.len(), 1);
}
