//! The real binary in a pseudo-terminal: it opens, runs, takes keys, and on
//! quitting leaves the terminal as it found it (main screen, cursor shown)
//! with a one-line summary. The screen is read through a vt100 parser.

mod session;

use std::time::{Duration, Instant};

use session::{Session, spawn, spawn_program};

#[test]
fn opens_runs_takes_keys_and_restores_the_terminal() {
    let mut s = Session::start(&["lif-constant"], &[]);
    s.wait_for("▶ RUN");
    s.wait_for("LIF: constant input");
    assert!(
        s.parser.screen().alternate_screen(),
        "draws on the alternate screen"
    );
    s.keys(b" ");
    s.wait_for("PAUSED");
    s.keys(b"kkk");
    s.wait_for("→ 1.800 next step");
    s.keys(b"?");
    s.wait_for("keys (Esc or ? closes)");
    // A lone Esc: it counts once its wait for a sequence's rest is over.
    s.keys(b"\x1b");
    s.wait_gone("keys (Esc or ? closes)");
    s.keys(b"3");
    s.wait_for("LIF rate G(v_in)");
    s.keys(b"q");
    assert_eq!(s.exit_code(), 0);
    let screen = s.parser.screen();
    assert!(!screen.alternate_screen(), "back on the main screen");
    assert!(!screen.hide_cursor(), "the cursor is shown");
    assert!(
        s.screen().contains("spikescope: LIF: constant input"),
        "{}",
        s.screen()
    );
}

/// `--set` overrides a key of the preset the oscilloscope opens, as for
/// `run`; a bad one is refused before the terminal is touched.
#[test]
fn set_overrides_a_key_of_the_opened_preset() {
    let mut s = Session::start(&["network-abc", "--set", "network.spike_timing=grid"], &[]);
    s.wait_for("(grid timing)");
    // The first q closes the preset's opening guidance, the second quits.
    s.keys(b"qq");
    assert_eq!(s.exit_code(), 0);
    let mut s = Session::start(&["network-abc", "--set", "network.spike_timing=late"], &[]);
    assert_eq!(s.exit_code(), 2);
    assert!(!s.parser.screen().alternate_screen());
    assert!(
        s.screen().contains("one of \"exact\", \"grid\""),
        "{}",
        s.screen()
    );
}

#[test]
fn a_bad_preset_fails_before_touching_the_terminal() {
    let mut s = Session::start(&["no-such-preset"], &[]);
    assert_eq!(s.exit_code(), 2);
    assert!(!s.parser.screen().alternate_screen());
    assert!(s.screen().contains("no bundled preset"), "{}", s.screen());
}

#[test]
fn dumb_terminal_is_refused_with_a_hint() {
    let mut s = Session::start(&[], &[("TERM", "dumb")]);
    assert_eq!(s.exit_code(), 2);
    assert!(s.screen().contains("spikescope run"), "{}", s.screen());
}

/// The Linux console under a UTF-8 locale (its fonts have no Braille) and
/// a VT100 draw in ASCII, as a non-UTF-8 locale does; `--unicode` draws
/// the Braille curves there still.
#[test]
fn the_linux_console_and_a_vt_draw_in_ascii() {
    for term in ["linux", "vt100"] {
        let mut s = Session::start(&["lif-constant"], &[("TERM", term)]);
        s.wait_for("> RUN");
        let screen = s.screen();
        assert!(screen.is_ascii(), "{term}:\n{screen}");
        assert!(
            screen.contains("+ membrane potential v"),
            "{term}:\n{screen}"
        );
        // The first q closes what the preset says to look at.
        s.keys(b"q");
        s.wait_gone("look at -");
        s.keys(b"q");
        assert_eq!(s.exit_code(), 0);
    }
    let mut s = Session::start(&["lif-constant", "--unicode"], &[("TERM", "linux")]);
    s.wait_for("▶ RUN");
    assert!(
        s.screen().contains("┌ membrane potential v"),
        "{}",
        s.screen()
    );
    s.keys(b"q");
    s.wait_gone("look at ─");
    s.keys(b"q");
    assert_eq!(s.exit_code(), 0);
}

/// Ctrl-Z from an interactive shell, as a user has it: the terminal goes
/// back to the shell (main screen, cursor shown) and the job stops; `fg`
/// gives it back, and the whole screen is drawn again (xterm clears the
/// alternate screen as it is entered: that is done here to the parser while
/// the job is stopped, so a screen not drawn anew would stay blank).
#[test]
fn ctrl_z_suspends_to_the_shell_and_fg_draws_the_screen_again() {
    let mut s = Session::on(spawn_program(
        "bash",
        &["--norc", "--noprofile", "-i"],
        &[("PS1", "$ ")],
    ));
    s.wait_for("$ ");
    s.keys(format!("{} lif-constant\r", env!("CARGO_BIN_EXE_spikescope")).as_bytes());
    s.wait_for("▶ RUN");
    s.keys(b" ");
    s.wait_for("PAUSED");
    s.keys(b"\x1a");
    s.wait_for("Stopped");
    assert!(!s.parser.screen().alternate_screen(), "{}", s.screen());
    assert!(!s.parser.screen().hide_cursor());
    s.parser.process(b"\x1b[?1049h\x1b[2J\x1b[?1049l");
    s.keys(b"fg\r");
    s.wait_for("PAUSED");
    assert!(s.parser.screen().alternate_screen());
    let screen = s.screen();
    for shown in ["LIF: constant input", "membrane", "v_in 1.500", "? help"] {
        assert!(
            screen.contains(shown),
            "{shown:?} is not drawn again:\n{screen}"
        );
    }
    s.keys(b"q");
    // The shell's prompt after the quit line, before it is told to exit:
    // typed sooner, the line can reach the oscilloscope or be dropped.
    s.wait_for("spikescope: LIF: constant input");
    s.wait_for("frames)\n$");
    s.keys(b"exit\r");
    assert_eq!(s.exit_code(), 0);
}

/// Ctrl-L draws the whole screen again: a paused screen that another
/// program's output garbled (here written to the parser, as a `wall`
/// message reaches the terminal) is mended, in the oscilloscope and in
/// `view`.
#[test]
fn ctrl_l_draws_a_garbled_screen_again() {
    let dir = tempfile::tempdir().unwrap();
    let spikes = dir.path().join("s.csv");
    std::fs::write(&spikes, "neuron,time_s\n0,0.01\n1,0.02\n0,0.03\n").unwrap();
    for (args, shown) in [
        (vec!["lif-constant"], "v_in 1.500"),
        (
            vec!["view", spikes.to_str().unwrap()],
            "over the file (3 spikes)",
        ),
    ] {
        let mut s = Session::start(&args, &[]);
        s.wait_for(shown);
        s.keys(b" ");
        s.wait_for("PAUSED");
        s.parser
            .process(b"\x1b[2J\x1b[HBroadcast message from root: going down");
        s.pump(Duration::from_millis(300));
        assert!(!s.screen().contains(shown), "{}", s.screen());
        s.keys(b"\x0c");
        s.wait_for(shown);
        s.wait_for("PAUSED");
        assert!(!s.screen().contains("Broadcast"), "{}", s.screen());
        s.keys(b"q");
        assert_eq!(s.exit_code(), 0);
    }
}

#[test]
fn sigterm_restores_the_terminal() {
    let mut s = Session::start(&["hh-repetitive"], &[]);
    s.wait_for("▶ RUN");
    s.signal("-TERM");
    assert_eq!(s.exit_code(), 128 + 15);
    assert!(!s.parser.screen().alternate_screen());
    assert!(!s.parser.screen().hide_cursor());
}

#[test]
fn a_burst_of_thousands_of_keys_is_applied_whole() {
    let mut s = Session::start(&["lif-constant"], &[]);
    s.wait_for("▶ RUN");
    s.keys(b" ");
    s.wait_for("PAUSED");
    // 3000 fine steps of +0.01 in one write: v_in 1.5 -> 31.5, and 2000
    // arrow-key sequences of -0.1: -> 11.5.
    s.keys(&b"l".repeat(3000));
    s.keys(&b"\x1b[B".repeat(200));
    s.wait_for("→ 11.50 next step");
    s.keys(b"q");
    assert_eq!(s.exit_code(), 0);
}

#[test]
fn a_storm_of_resizes_leaves_a_correct_layout() {
    let mut s = Session::start(&["hh-repetitive"], &[]);
    s.wait_for("▶ RUN");
    let mut x: u32 = 12345;
    for _ in 0..300 {
        x = x.wrapping_mul(1103515245).wrapping_add(12345);
        let cols = 1 + (x >> 16) as u16 % 200;
        let rows = 1 + (x >> 8) as u16 % 60;
        s.resize(cols, rows);
    }
    s.resize(1, 1);
    s.resize(20, 5);
    s.wait_for("need 60x16");
    s.resize(80, 24);
    s.wait_for("membrane voltage V (mV)");
    s.wait_for("J_in 10.00 µA/cm²");
    s.keys(b"qq");
    assert_eq!(s.exit_code(), 0);
}

/// The oscilloscope and the viewer alike, each ended by the hang-up.
#[test]
fn the_terminal_vanishing_ends_the_program_within_a_second() {
    let dir = tempfile::tempdir().unwrap();
    let spikes = dir.path().join("s.csv");
    std::fs::write(&spikes, "neuron,time_s\n0,0.001\n1,0.5\n").unwrap();
    for args in [
        vec!["hh-repetitive"],
        vec!["view", spikes.to_str().unwrap()],
    ] {
        // A session of its own with no reader thread, so that dropping the
        // master closes the terminal for good, as an SSH drop or a killed
        // tmux does.
        let (master, mut child) = spawn(&args, &[]);
        // The hang-up comes once the program draws: its signal handler is
        // in place by then (a fixed half second, under a loaded machine,
        // let SIGHUP's default end a program still starting). One read, on
        // a thread that ends with it, so no reader outlives the master.
        let mut reader = master.try_clone_reader().unwrap();
        let (sent, drawn) = std::sync::mpsc::channel();
        let first_read = std::thread::spawn(move || {
            let mut buf = [0u8; 64];
            let _ = sent.send(std::io::Read::read(&mut reader, &mut buf));
        });
        let read = drawn.recv_timeout(Duration::from_secs(10));
        assert!(
            matches!(read, Ok(Ok(n)) if n > 0),
            "{args:?}: nothing drawn: {read:?}"
        );
        first_read.join().unwrap();
        assert!(
            child.try_wait().unwrap().is_none(),
            "{args:?}: running before the hang-up"
        );
        drop(master);
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            assert!(
                started.elapsed() < Duration::from_secs(1),
                "{args:?}: still running a second after the hang-up"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        // A hang-up (129) or a failure (1); never an abort (134) from a
        // panic while restoring the dead terminal.
        assert!(
            status.signal().is_none() && [1, 129].contains(&status.exit_code()),
            "{args:?}: exit status {status:?}"
        );
    }
}

#[test]
fn sigint_and_sighup_restore_the_terminal() {
    for (sig, n) in [("-INT", 2), ("-HUP", 1)] {
        let mut s = Session::start(&["lif-constant"], &[]);
        s.wait_for("▶ RUN");
        s.signal(sig);
        assert_eq!(s.exit_code(), 128 + n);
        assert!(!s.parser.screen().alternate_screen());
        assert!(!s.parser.screen().hide_cursor());
    }
}

#[test]
fn a_panic_restores_the_terminal_and_exits_101() {
    let mut s = Session::start(&["lif-constant"], &[("SPIKESCOPE_FAULT", "panic")]);
    assert_eq!(s.exit_code(), 101);
    assert!(!s.parser.screen().alternate_screen());
    assert!(!s.parser.screen().hide_cursor());
    assert!(s.screen().contains("a deliberate panic"), "{}", s.screen());
}

#[test]
fn unset_term_is_refused_and_no_color_keeps_reverse() {
    let mut cmd_env: Vec<(&str, &str)> = vec![("TERM", "")];
    let mut s = Session::start(&[], &cmd_env);
    assert_eq!(s.exit_code(), 2);
    assert!(s.screen().contains("spikescope run"), "{}", s.screen());
    cmd_env.clear();
    let mut s = Session::start(&["lif-constant"], &[("NO_COLOR", "1")]);
    s.wait_for("▶ RUN");
    s.keys(b" ");
    s.wait_for("PAUSED");
    let screen = s.parser.screen();
    let (rows, cols) = screen.size();
    let mut reversed = false;
    for r in 0..rows {
        for c in 0..cols {
            let cell = screen.cell(r, c).unwrap();
            assert_eq!(
                cell.fgcolor(),
                vt100::Color::Default,
                "no colour at {r},{c}"
            );
            reversed |= cell.inverse();
        }
    }
    assert!(reversed, "PAUSED stays reversed under NO_COLOR");
    s.keys(b"q");
    assert_eq!(s.exit_code(), 0);
}

/// The terminal is asked for bracketed paste while the oscilloscope runs
/// (and not after): a paste of keys (q, o, e, Enter) runs none of them and
/// says where a paste goes; in an open field it is typed.
#[test]
fn a_paste_is_not_keystrokes() {
    let mut s = Session::start(&["lif-constant"], &[]);
    s.wait_for("▶ RUN");
    assert!(s.parser.screen().bracketed_paste());
    s.keys(b"\x1b[200~qoee\rq\x1b[201~");
    s.wait_for("a paste goes into a text field");
    assert!(s.child.try_wait().unwrap().is_none(), "the paste quit");
    // In the value entry it is typed, its line break dropped.
    s.keys(b"i\x1b[200~1.25\r\x1b[201~");
    s.wait_for("1.25");
    s.keys(b"\r");
    s.wait_for("v_in 1.25");
    s.keys(b"q");
    assert_eq!(s.exit_code(), 0);
    assert!(!s.parser.screen().bracketed_paste());
}

/// A long `run` at a terminal shows how far it is (simulated time, speed,
/// time left) on standard error; Ctrl-C ends it with 130 and the line gone.
#[test]
fn a_long_run_shows_its_progress_and_ends_on_ctrl_c() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("traces.csv");
    let mut s = Session::start(
        &[
            "run",
            "hh-repetitive",
            "--duration",
            "1e5 s",
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    );
    s.wait_for(" left");
    // One row of the 80 holds it all: a line that wrapped left its first row
    // on the screen after Ctrl-C.
    let row = s
        .screen()
        .lines()
        .find(|l| l.contains(" left"))
        .unwrap()
        .to_string();
    assert!(
        row.contains("t = ") && row.contains(" of 100000 s, "),
        "{row}"
    );
    assert!(row.contains("/s, "), "{row}");
    s.keys(b"\x03");
    assert_eq!(s.exit_code(), 130);
    assert!(s.screen().contains("stopped by SIGINT"), "{}", s.screen());
    assert!(!s.screen().contains(" left"), "{}", s.screen());
    assert!(!out.exists(), "no output, no temporary file");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

/// A run that blows up once its progress line is drawn says why on a line
/// of its own: the error was written after the bar, on its row.
#[test]
fn an_error_after_the_progress_line_starts_on_a_clean_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ramp.toml");
    // J_in ramps down through -16.38 µA/cm², past what RK4 holds at 50 µs,
    // at 410 s of HH: seconds after the line appears (1 s in), at 75 to 150
    // simulated seconds a second here. At 870 s, as before, a loaded machine
    // (74 s/s) took longer than the 10 s the test waits for the exit.
    std::fs::write(
        &path,
        "model = \"hh\"\nduration = \"1000 s\"\n[stimulus]\nkind = \"ramp\"\n\
         amplitude = -40.0\nstart = \"0 s\"\nstop = \"1000 s\"\n",
    )
    .unwrap();
    let mut s = Session::start(&["run", path.to_str().unwrap(), "--out", "/dev/null"], &[]);
    s.wait_for(" left");
    assert_eq!(s.exit_code(), 1);
    let screen = s.screen();
    let error = screen.lines().find(|l| l.contains("error:")).unwrap();
    assert!(error.starts_with("error: "), "{screen}");
    assert!(!screen.contains(" left"), "{screen}");
}

/// A preset name with escape codes, shown on quitting, is visible text: it
/// neither sets the window title nor clears the screen.
#[test]
fn escape_codes_in_a_name_do_not_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("evil.toml");
    std::fs::write(&path, "name = \"A\\u001b[2JB\"\nmodel = \"lif\"\n").unwrap();
    let mut s = Session::start(&[path.to_str().unwrap()], &[]);
    s.wait_for("▶ RUN");
    s.keys(b"q");
    assert_eq!(s.exit_code(), 0);
    assert!(s.screen().contains("spikescope: A^[[2JB"), "{}", s.screen());
}

/// A session recorded in the terminal (`--record`) is replayed in the
/// terminal to the same end, and without a screen into CSV: the replayed
/// run ends at the step and with the spikes the quit line reported.
#[test]
fn a_recorded_session_replays_in_the_terminal_and_headless() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("demo.journal");
    let j = journal.to_str().unwrap();
    let mut s = Session::start(&["lif-constant", "--record", j], &[]);
    s.wait_for("▶ RUN");
    s.keys(b"kk");
    s.wait_for("1.700");
    s.keys(b" ");
    s.wait_for("PAUSED");
    s.keys(b"j");
    s.wait_for("1.600");
    s.keys(b"q");
    assert_eq!(s.exit_code(), 0);
    let quit = s.screen();
    assert!(
        quit.contains(&format!("recorded in {j} (spikescope replay {j})")),
        "{quit}"
    );
    let text = std::fs::read_to_string(&journal).unwrap();
    assert!(text.starts_with("spikescope journal 1\n"), "{text}");
    assert!(text.contains(" input 1.6  # t = "), "{text}");
    let end = text.lines().last().unwrap().to_string();
    assert!(end.contains(" end  # t = "), "{text}");
    // The quit line's simulated time and spikes are the replay's.
    let line = quit
        .lines()
        .find(|l| l.starts_with("spikescope: LIF"))
        .unwrap()
        .to_string();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_spikescope"))
        // The same locale as the terminal's session, whose line it is
        // compared with.
        .env("LC_ALL", "C.UTF-8")
        .args([
            "replay",
            j,
            "--out",
            dir.path().join("t.csv").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let summary = String::from_utf8_lossy(&out.stderr);
    let first = summary.lines().next().unwrap();
    let simulated = line.split(" — ").nth(1).unwrap().split(" simulated").next();
    assert!(
        first.contains(&format!("{} simulated", simulated.unwrap())),
        "{first} vs {line}"
    );
    // In the terminal: plays to the end, held there.
    let mut r = Session::start(&["replay", j, "--fps", "60"], &[]);
    r.wait_for("replay");
    r.keys(b"]]]]]]]]");
    r.wait_for("replay done: r again");
    assert!(r.screen().contains("■ END"), "{}", r.screen());
    r.keys(b"q");
    assert_eq!(r.exit_code(), 0);
}

/// A recorded session ended by a signal (SIGHUP from an SSH drop, SIGTERM
/// from `kill`) ends its journal where it stood, not at its last change,
/// and says so once the terminal is restored.
#[test]
fn a_signal_ends_the_journal_where_the_session_stood() {
    for (sig, n, name) in [("-HUP", 1, "SIGHUP"), ("-TERM", 15, "SIGTERM")] {
        let dir = tempfile::tempdir().unwrap();
        let journal = dir.path().join("lesson.journal");
        let j = journal.to_str().unwrap();
        let mut s = Session::start(&["lif-constant", "--record", j], &[]);
        s.wait_for("▶ RUN");
        s.keys(b"k");
        s.wait_for("1.600");
        let read = || spikescope::session::Journal::read(&journal).unwrap();
        let input_step = read().entries[0].step;
        // The session runs on past its last change before the signal.
        std::thread::sleep(Duration::from_millis(400));
        s.signal(sig);
        assert_eq!(s.exit_code(), 128 + n);
        assert!(!s.parser.screen().alternate_screen());

        let j_read = read();
        assert!(j_read.ended() && j_read.shortfall().is_none(), "{name}");
        let end = j_read.entries.last().unwrap();
        assert_eq!(end.event, spikescope::session::Event::End);
        assert!(end.step > input_step, "{name}: {} {input_step}", end.step);
        // lif-constant steps by 100 µs.
        let t = spikescope::preset::time::format_time(end.step as f64 * 1e-4);
        let text = std::fs::read_to_string(&journal).unwrap();
        assert!(
            text.ends_with(&format!("\n{} end  # t = {t}, {name}\n", end.step)),
            "{text}"
        );
        let said = format!("spikescope: stopped by {name}; the journal {j} ends at t = {t}");
        assert!(s.screen().contains(&said), "{}", s.screen());
    }
}

/// `view FILE` in a terminal: a spike file opens, plays, pauses and quits,
/// leaving the terminal as it was; a file that is not spikes is refused
/// before the terminal is touched.
#[test]
fn a_spike_file_opens_in_the_viewer() {
    let dir = tempfile::tempdir().unwrap();
    let spikes = dir.path().join("abc.csv");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_spikescope"))
        .args(["run", "network-abc", "--spikes", spikes.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let f = spikes.to_str().unwrap();
    let mut s = Session::start(&["view", f], &[]);
    s.wait_for("▶ PLAY");
    s.wait_for("145 spikes of 3 neurons");
    // How long the file took to read, in a unit that shows it (a small
    // file read `0.00 s`); the number may wrap to the next line.
    s.wait_for("read in");
    let screen = s.screen();
    let mut read = screen.split("read in").nth(1).unwrap().split_whitespace();
    let number: f64 = read.next().unwrap().parse().unwrap();
    let unit = read.next().unwrap();
    assert!(
        number > 0.0 && ["ns", "µs", "ms", "s"].contains(&unit),
        "{screen}"
    );
    s.keys(b" ");
    s.wait_for("‖ PAUSED");
    s.keys(b"\t");
    s.wait_for("#1: 63 spikes");
    // Esc and q in one write (one packet over SSH): the go-to entry is
    // cancelled and the viewer quits. crossterm's reader, which the viewer
    // used, gave Alt-q, and the entry took it for nothing.
    s.keys(b"g1");
    s.wait_for("go to neuron (0-2): 1");
    s.keys(b"\x1bq");
    assert_eq!(s.exit_code(), 0);
    assert!(!s.parser.screen().alternate_screen());
    assert!(s.screen().contains("spikescope view:"), "{}", s.screen());
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "neuron,time_s\n0,x\n").unwrap();
    let mut s = Session::start(&["view", bad.to_str().unwrap()], &[]);
    assert_eq!(s.exit_code(), 2);
    assert!(!s.parser.screen().alternate_screen());
    assert!(
        s.screen()
            .contains("bad.csv:2:3: `time_s` = x: not a number"),
        "{}",
        s.screen()
    );
}
