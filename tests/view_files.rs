//! `spikescope view FILE`: which files open and how they are read.
//! spikescope's CSV and NEST's ASCII output give the same view, NEST's
//! node ids are kept, several files open as one recording (and files that
//! are not its parts are refused), a byte order
//! mark and CRLF lines read as the plain file; what is not a spike file is
//! refused by line and column, and no file of any grammar's rows, damaged
//! or not, makes the viewer fail (proptest). The screen: view.rs.

mod common;

use common::viewer::{abc, key, screen};
use crossterm::event::KeyCode;
use proptest::prelude::*;
use spikescope::lab::recording::{NeuronRange, Recording};
use spikescope::ui::viewer::Viewer;

/// NEST's file gives the view of the same spikes in spikescope's CSV,
/// its neurons by their node IDs (here 1 to 3, CSV's 0 to 2): the CSV
/// opened with `--neurons 1-3` after its numbers are raised by one.
#[test]
fn nest_ascii_output_gives_the_same_view_as_the_csv() {
    let (dir, _, text) = abc();
    // NEST's spike_recorder file: node IDs from 1, ms, tab-separated, not
    // in time order (one thread's spikes after another's).
    let mut nest = String::from(
        "# NEST version: 3.10.0\n# RecordingBackendASCII\n# Recorder label: spike_recorder\n\
         # Start: 0.000\n# Stop: inf\n# Columns:\nsender\ttime_ms\n",
    );
    let rows: Vec<&str> = text.lines().skip(1).collect();
    for parity in [0, 1] {
        for (k, l) in rows.iter().enumerate() {
            if k % 2 == parity {
                let (i, t) = l.split_once(',').unwrap();
                let t: f64 = t.parse().unwrap();
                nest.push_str(&format!("{}\t{}\n", i.parse::<u32>().unwrap() + 1, t * 1e3));
            }
        }
    }
    let nest_path = dir.path().join("spike_recorder-4-0.dat");
    std::fs::write(&nest_path, nest).unwrap();
    let raised: String = std::iter::once("neuron,time_s\n".to_string())
        .chain(rows.iter().map(|l| {
            let (i, t) = l.split_once(',').unwrap();
            format!("{},{t}\n", i.parse::<u32>().unwrap() + 1)
        }))
        .collect();
    let path = dir.path().join("raised.csv");
    std::fs::write(&path, raised).unwrap();
    let from_1 = Some(NeuronRange { first: 1, last: 3 });
    let a = Recording::open_all(&[&path], from_1).unwrap();
    let b = Recording::open(&nest_path).unwrap();
    assert_eq!((a.first, b.first, b.neuron_count), (1, 1, 3));
    assert_eq!(a.neurons, b.neurons);
    for (x, y) in a.times_s.iter().zip(&b.times_s) {
        assert!((x - y).abs() < 1e-15, "{x} {y}");
    }
    let mut va = Viewer::new(a, "f");
    let mut vb = Viewer::new(b, "f");
    for v in [&mut va, &mut vb] {
        v.running = false;
        v.message = None;
    }
    let trimmed = |s: String, format: &str| -> Vec<String> {
        s.replace(format, "FORMAT")
            .lines()
            .map(|l| l.trim_end_matches(['"', ' ']).to_string())
            .collect()
    };
    assert_eq!(
        trimmed(screen(&va, 80, 24), "spikescope CSV"),
        trimmed(screen(&vb, 80, 24), "NEST spike_recorder ASCII")
    );
}

/// A NEST file keeps its node IDs: a script creates its generators and
/// recorders beside its neurons, so they start past 1 (nodes 1 and 2 never
/// spike, and were counted as silent neurons, the population rate diluted,
/// and neuron "#0" was node 1). The raster, the selected neuron and `g`
/// read node IDs; `--neurons` names the population, its silent neurons
/// counted and the other nodes' spikes left out.
#[test]
fn nest_files_keep_their_node_ids() {
    let head = "# NEST version: 3.10.0\n# RecordingBackendASCII version: 2\nsender\ttime_ms\n";
    let text = format!("{head}3\t10.0\n5\t20.0\n3\t30.0\n9\t40.0\n");
    let r = Recording::parse(text.as_bytes()).unwrap();
    assert_eq!((r.first, r.neuron_count, r.last_number()), (3, 7, 9));
    assert_eq!(r.counts, [2, 0, 1, 0, 0, 0, 1]);
    let mut v = Viewer::new(r, "f.dat");
    v.running = false;
    let s = screen(&v, 80, 24);
    assert!(s.contains("│#3 "), "{s}");
    assert!(s.contains("│#9 "), "{s}");
    assert!(!s.contains("#0") && !s.contains("#10"), "{s}");
    assert!(
        s.contains("#3: 2 spikes, 50.00 Hz over the file; ISI mean 20 ms"),
        "{s}"
    );
    assert!(
        s.contains("f.dat: 4 spikes of 7 neurons (3-9) over 40 ms"),
        "{s}"
    );
    // Population: 4 spikes / 7 neurons / 40 ms.
    assert!(s.contains("14.29 Hz over the file"), "{s}");
    key(&mut v, KeyCode::Char('g'));
    assert!(screen(&v, 80, 24).contains("go to neuron (3-9): _"));
    // As many digits as node 9 has: "10" is read as "1".
    for c in ['1', '0'] {
        key(&mut v, KeyCode::Char(c));
    }
    key(&mut v, KeyCode::Enter);
    assert_eq!(
        v.message.as_deref(),
        Some("no neuron 1: the neurons are numbered 3 to 9")
    );
    key(&mut v, KeyCode::Backspace);
    key(&mut v, KeyCode::Char('5'));
    key(&mut v, KeyCode::Enter);
    assert_eq!(v.selected, 2);
    assert!(screen(&v, 80, 24).contains("#5: 1 spike, 25.00 Hz"));
    // The population named: nodes 1 to 5, node 9's spike left out.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.dat");
    std::fs::write(&path, &text).unwrap();
    let r = Recording::open_all(&[&path], Some(NeuronRange { first: 1, last: 5 })).unwrap();
    assert_eq!((r.first, r.neuron_count, r.left_out), (1, 5, 1));
    assert_eq!(r.counts, [0, 0, 2, 0, 1]);
    let v = Viewer::new(r, "f.dat");
    assert!(
        v.message
            .as_deref()
            .unwrap()
            .contains("3 spikes of 5 neurons (1-5) over 30 ms; 1 spike of other neurons left out"),
        "{:?}",
        v.message
    );
    // One neuron is named as one.
    let one = format!("{head}7\t10.0\n7\t20.0\n");
    let v = Viewer::new(Recording::parse(one.as_bytes()).unwrap(), "f.dat");
    assert!(
        v.message
            .as_deref()
            .unwrap()
            .starts_with("f.dat: 2 spikes of 1 neuron (#7) over "),
        "{:?}",
        v.message
    );
    // On the command line: a range, and one that holds no spike.
    let p = path.to_str().unwrap();
    for (range, says) in [
        ("9-3", "`9-3`: 9 is above 3; valid: FIRST-LAST"),
        ("x", "`x`: not a range of neurons"),
        (
            "0-16777216",
            "`0-16777216`: 16777217 neurons; valid: FIRST-LAST, whole numbers with FIRST <= LAST \
             (NEST's node IDs for its files), at most 16777216 neurons",
        ),
        // One number is one neuron (a range of one).
        ("25", "f.dat: no spikes of neuron 25 (4 spikes of others)"),
        (
            "20-30",
            "f.dat: no spikes of neurons 20-30 (4 spikes of others)",
        ),
    ] {
        let o = common::run(&["view", p, "--neurons", range]);
        assert_eq!(o.status.code(), Some(2), "{range}");
        assert!(
            common::stderr(&o).contains(says),
            "{range}: {}",
            common::stderr(&o)
        );
    }
}

#[test]
fn a_file_that_is_not_spikes_is_named_by_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.csv");
    std::fs::write(&path, "neuron,time_s\n0,0.1\n1,soon\n").unwrap();
    let e = Recording::open(&path).unwrap_err();
    assert!(
        e.ends_with(
            "bad.csv:3:3: `time_s` = soon: not a number\n  valid: seconds from 0 to 1e9 \
             (31.7 years), as 0.0123 or 1.23e-2\n   |\n 3 | 1,soon\n   |   ^^^^"
        ),
        "{e}"
    );
}

/// A device or a folder is refused by what it is (reading /dev/zero never
/// ended, and held its bytes: memory without bound), where a pipe is read
/// to its end (`view <(ssh host cat spikes.csv)`), unless a line of it runs
/// past any row's length. A journal is refused the same way.
#[test]
fn devices_and_folders_are_refused_and_a_pipe_is_read() {
    for (path, what) in [
        ("/dev/zero", "a device, not a file"),
        ("/tmp", "a folder, not a file"),
    ] {
        let e = Recording::open(std::path::Path::new(path)).unwrap_err();
        assert!(e.starts_with(&format!("{path}: {what}")), "{e}");
        let e = spikescope::session::Journal::read(std::path::Path::new(path)).unwrap_err();
        assert!(e.to_string().starts_with(&format!("{path}: {what}")), "{e}");
    }
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("spikes.pipe");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("no mkfifo here: the pipe's half of this test is skipped");
        return;
    }
    // The reading, and whether the writer could write all of it (not where
    // the reader stopped early: the pipe breaks).
    let pipe_with = |bytes: Vec<u8>| {
        let to = fifo.clone();
        let writer = std::thread::spawn(move || std::fs::write(to, bytes));
        let read = Recording::open(&fifo);
        (read, writer.join().unwrap().is_ok())
    };
    let (r, written) = pipe_with(b"neuron,time_s\n0,0.25\n1,0.5\n".to_vec());
    assert!(written);
    let r = r.unwrap();
    assert_eq!((r.len(), r.neuron_count, r.end_s()), (2, 2, 0.5));
    let mut endless = b"neuron,time_s\n0,0.25\n".to_vec();
    endless.resize(endless.len() + (20 << 20), b'7');
    let e = pipe_with(endless).0.unwrap_err();
    assert!(
        e.contains("spikes.pipe:3:1: a line of over 1 MiB: not a spike file's row"),
        "{e}"
    );
}

/// A file saved by a spreadsheet as "CSV UTF-8" starts with a byte order
/// mark and ends its lines with CR LF: it reads as the plain file does (it
/// was refused as "not a spike file's header" on a header that looked
/// right), with or without its header line.
#[test]
fn a_byte_order_mark_and_crlf_lines_read_as_the_plain_file() {
    let dir = tempfile::tempdir().unwrap();
    let plain = Recording::parse(b"neuron,time_s\n0,0.1\n1,0.2\n0,0.3\n").unwrap();
    for text in [
        &b"\xef\xbb\xbfneuron,time_s\r\n0,0.1\r\n1,0.2\r\n0,0.3\r\n"[..],
        &b"\xef\xbb\xbf0,0.1\n1,0.2\n0,0.3\n"[..],
    ] {
        let path = dir.path().join("excel.csv");
        std::fs::write(&path, text).unwrap();
        let r = Recording::open(&path).unwrap();
        assert_eq!((&r.times_s, &r.neurons), (&plain.times_s, &plain.neurons));
        assert_eq!(r.counts, [2, 1]);
    }
}

/// NEST writes a file per thread (and MPI one per rank): several files
/// open as one recording, in time order; files of two formats, and an
/// empty file, are refused.
#[test]
fn several_files_open_as_one_recording() {
    let dir = tempfile::tempdir().unwrap();
    let head = "# NEST version: 3.10.0\n# RecordingBackendASCII version: 2\nsender\ttime_ms\n";
    let a = dir.path().join("spike_recorder-11-0.dat");
    let b = dir.path().join("spike_recorder-11-1.dat");
    std::fs::write(&a, format!("{head}2\t27.800\n4\t27.800\n2\t57.600\n")).unwrap();
    std::fs::write(&b, format!("{head}1\t27.800\n3\t30.100\n")).unwrap();
    let r = Recording::open_all(&[&a, &b], None).unwrap();
    assert_eq!(r.neurons, [0, 1, 3, 2, 1]);
    assert_eq!(r.times_s, [0.0278, 0.0278, 0.0278, 0.0301, 0.0576]);
    assert_eq!(r.counts, [1, 2, 1, 1]);
    let csv = dir.path().join("c.csv");
    std::fs::write(&csv, "neuron,time_s\n0,0.01\n").unwrap();
    let e = Recording::open_all(&[&a, &csv], None).unwrap_err();
    assert!(e.contains("c.csv: a different format"), "{e}");
    // An empty file (a thread or rank that never wrote its header) is said
    // to be empty, beside either format and alone: it was "a different
    // format" beside NEST's files and a part without spikes beside ours.
    let empty = dir.path().join("spike_recorder-11-2.dat");
    std::fs::write(&empty, "").unwrap();
    let (a, csv, empty) = (a.as_path(), csv.as_path(), empty.as_path());
    for files in [&[a, empty][..], &[csv, empty], &[empty]] {
        let e = Recording::open_all(files, None).unwrap_err();
        assert!(
            e.contains("spike_recorder-11-2.dat: empty (0 bytes)"),
            "{e}"
        );
    }
}

/// One thread's file of a NEST run on two threads holds every second
/// neuron: the recording says so (the viewer's file line), as the
/// others count as silent in its rates; both files together, or the
/// population named with `--neurons`, say nothing.
#[test]
fn one_threads_file_is_told_by_its_stride() {
    let dir = tempfile::tempdir().unwrap();
    let head = "# NEST version: 3.10.0\n# RecordingBackendASCII version: 2\nsender\ttime_ms\n";
    let a = dir.path().join("spike_recorder-51-0.dat");
    let b = dir.path().join("spike_recorder-51-1.dat");
    std::fs::write(
        &a,
        format!("{head}2\t27.800\n4\t27.800\n6\t27.800\n2\t57.600\n"),
    )
    .unwrap();
    std::fs::write(&b, format!("{head}1\t27.800\n3\t27.800\n5\t30.100\n")).unwrap();
    assert_eq!(Recording::open(&a).unwrap().stride, Some(2));
    assert_eq!(Recording::open_all(&[&a, &b], None).unwrap().stride, None);
    let named = NeuronRange { first: 1, last: 6 };
    assert_eq!(
        Recording::open_all(&[&a], Some(named)).unwrap().stride,
        None
    );
    let v = Viewer::new(Recording::open(&a).unwrap(), "spike_recorder-51-0.dat");
    assert_eq!(
        v.message.as_deref(),
        Some(
            "spike_recorder-51-0.dat: 4 spikes of 5 neurons (2-6) over 57.6 ms; only every 2nd \
             neuron spiked, as in one thread's or rank's file"
        )
    );
    // Two neurons are no pattern.
    std::fs::write(&a, format!("{head}2\t27.800\n4\t27.800\n")).unwrap();
    assert_eq!(Recording::open(&a).unwrap().stride, None);
}

/// Files that are not the parts of one recording are refused before
/// anything is shown: a neuron's spikes in two files over the same time
/// (two runs to compare, or a merged file beside its ranks' files) would
/// count twice in every rate, and so would a file given twice (by a link
/// too). Files that each hold a later stretch of one run open as one.
#[test]
fn files_that_are_not_parts_of_one_recording_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, rows: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, format!("neuron,time_s\n{rows}")).unwrap();
        path
    };
    let ours = write("ours.csv", "0,0.1\n1,0.2\n0,0.4\n");
    let nest = write("nest.csv", "0,0.1000001\n1,0.15\n");
    let e = Recording::open_all(&[&ours, &nest], None).unwrap_err();
    let problem = "nest.csv: neuron 0 spikes here (at 0.1000001 s) and in ";
    assert!(e.contains(problem), "{e}");
    assert!(
        e.contains("(at 0.1 s), over the same time (0.1000001 s to 0.15 s here, 0.1 s to 0.4 s there): its spikes would count twice\n  valid: files that are the parts of one recording"),
        "{e}"
    );
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink(&ours, &link).unwrap();
    let e = Recording::open_all(&[&link, &nest, &ours], None).unwrap_err();
    assert!(e.contains("ours.csv: the same file as "), "{e}");
    assert!(e.contains("link.csv, given before it\n  valid: "), "{e}");
    // Stretches of one run: the same neurons, one after the other.
    let later = write("later.csv", "1,0.5\n0,0.7\n");
    let r = Recording::open_all(&[&later, &ours], None).unwrap();
    assert_eq!(r.times_s, [0.1, 0.2, 0.4, 0.5, 0.7]);
    assert_eq!(r.counts, [3, 2]);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_spikescope"))
        .args(["view".as_ref(), ours.as_os_str(), nest.as_os_str()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("error: ") && stderr.contains(problem),
        "{stderr}"
    );
}

/// A spike file's rows as a grammar draws them: spikes of either format,
/// and in one file of three a damaged row among them, of any kind (a NaN,
/// a negative or far-off time, a neuron past the limit or below 0, text,
/// a blank).
fn spike_file() -> impl Strategy<Value = (bool, Vec<String>)> {
    let spike = (0u32..40, 0.0f64..5.0).prop_map(|(i, t)| (i.to_string(), format!("{t}")));
    let damage = prop_oneof![
        (0u32..40, -1.0f64..0.0).prop_map(|(i, t)| (i.to_string(), format!("{t}"))),
        Just(("3".to_string(), "nan".to_string())),
        Just(("3".to_string(), "1e300".to_string())),
        Just(("16777216".to_string(), "0.5".to_string())),
        Just(("-1".to_string(), "0.5".to_string())),
        Just(("x".to_string(), String::new())),
        Just((String::new(), String::new())),
    ];
    let rows = prop::collection::vec(spike, 0..60);
    let damaged = prop::option::weighted(1.0 / 3.0, (damage, any::<prop::sample::Index>()));
    (any::<bool>(), rows, damaged).prop_map(|(nest, mut rows, damaged)| {
        if let Some((row, at)) = damaged {
            let at = at.index(rows.len() + 1);
            rows.insert(at, row);
        }
        let lines = rows
            .into_iter()
            .map(|(i, t)| match nest {
                // NEST's node IDs from 1 (its times in ms, read as such).
                true => {
                    let id = i.parse::<u64>().map_or(i, |n| (n + 1).to_string());
                    format!("{id}\t{t}")
                }
                false => format!("{i},{t}"),
            })
            .collect();
        (nest, lines)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Whatever a file holds, it is refused with its line, or read into
    /// columns that keep their promises (time order, a neuron each that
    /// is counted, windows that find their spikes), and the viewer draws
    /// it at any size through any keys without a panic. Its lines end in
    /// \n or \r\n, the last with one or without (a header alone without
    /// one stopped the program), and read from its path block by block it
    /// is read as it is whole.
    #[test]
    fn any_spike_file_is_refused_by_line_or_viewed(
        (nest, lines) in spike_file(),
        (crlf, last_ended, nest_header) in (any::<bool>(), any::<bool>(), any::<bool>()),
        keys in prop::collection::vec(0usize..12, 0..12),
        (w, h) in (1u16..120, 1u16..40),
    ) {
        let head: &[&str] = match (nest, nest_header) {
            (true, true) => &["# NEST version: 3.10", "sender\ttime_ms"],
            (true, false) => &["# NEST version: 3.10", "# sender\ttime_ms"],
            (false, _) => &["neuron,time_s"],
        };
        let eol = if crlf { "\r\n" } else { "\n" };
        let all: Vec<&str> = head.iter().copied().chain(lines.iter().map(String::as_str)).collect();
        let text = format!("{}{}", all.join(eol), if last_ended { eol } else { "" });
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, &text).unwrap();
        let from_path = Recording::open(&path).map(|r| r.len());
        let whole = Recording::parse(text.as_bytes());
        prop_assert_eq!(from_path.is_ok(), whole.is_ok(), "{:?}", from_path);
        if let (Ok(n), Ok(r)) = (&from_path, &whole) {
            prop_assert_eq!(*n, r.len());
        }
        match whole {
            Err(e) => {
                let shown = e.message("f");
                prop_assert!(shown.starts_with(&format!("f:{}", e.line)), "{}", shown);
                prop_assert!(e.line >= 1 && e.line <= text.lines().count(), "{}", shown);
            }
            Ok(r) => {
                prop_assert!(r.times_s.is_sorted());
                prop_assert_eq!(r.counts.iter().sum::<u64>() as usize, r.len());
                prop_assert!(r.neurons.iter().all(|&i| (i as usize) < r.neuron_count));
                let (t0, t1) = (0.5, 2.0);
                let inside = r.times_s.iter().filter(|&&t| t >= t0 && t < t1).count();
                prop_assert_eq!(r.window(t0, t1).len(), inside);
                if r.is_empty() {
                    return Ok(());
                }
                let mut v = Viewer::new(r, "f");
                let codes = [
                    KeyCode::Char(' '), KeyCode::Char(']'), KeyCode::Char('['),
                    KeyCode::Char('z'), KeyCode::Char('Z'), KeyCode::Left, KeyCode::Right,
                    KeyCode::PageDown, KeyCode::End, KeyCode::Tab, KeyCode::BackTab,
                    KeyCode::Home,
                ];
                for k in keys {
                    key(&mut v, codes[k]);
                    v.tick(std::time::Duration::from_millis(40));
                    screen(&v, w, h);
                }
                screen(&v, w, h);
            }
        }
    }
}
