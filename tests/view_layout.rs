//! `spikescope view FILE`: how its screen is laid out at any size, in
//! Unicode and ASCII: the raster's rows and marks on the rate's time axis,
//! the title and the status lines kept whole, the keys named.

mod common;

use common::viewer::{abc, key, screen};
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use spikescope::lab::recording::Recording;
use spikescope::ui::viewer::{Viewer, render};

/// In ASCII, a row of a group of neurons says how many of them fired in
/// each column: `.` `+` `|` up to the busiest column, and the title how
/// many spikes each mark stands for in the window; the rule after the
/// labels is `:`, so that a spike in the first column reads as one mark
/// (it read `||`).
#[test]
fn ascii_rows_of_groups_show_the_density() {
    use spikescope::ui::theme::{ColorDepth, Theme};
    // 400 neurons (groups at 80x24); in the window's first column neuron
    // 0 to 29 fire, in a later one neuron 0 alone.
    let mut text = String::from("neuron,time_s\n");
    for i in 0..30 {
        text.push_str(&format!("{i},0.0001\n"));
    }
    text.push_str("0,0.03\n399,0.04\n");
    let r = Recording::parse(text.as_bytes()).unwrap();
    let mut v = Viewer::new(r, "f");
    v.running = false;
    v.window_s = 0.05;
    v.t_s = 0.05;
    let ascii = Theme {
        color: false,
        depth: ColorDepth::None,
        ascii: true,
    };
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    t.draw(|f| render(f, &v, &ascii)).unwrap();
    let s = t.backend().to_string();
    let first = s.lines().nth(2).unwrap();
    assert!(first.starts_with("\"|#0-49   :|"), "{s}");
    let marks: String = first
        .chars()
        .filter(|c| matches!(c, '|' | '.' | ':' | '+'))
        .collect();
    // The border, the label's rule, the busy column, the single spike and
    // the border.
    assert_eq!(marks, "|:|.|", "{s}");
    // The title says how to read the rows and their marks: the busiest
    // cell holds 30 spikes, the lone spike is one of the first third.
    let title = s.lines().nth(1).unwrap();
    assert!(
        title.contains(" spikes of 400 neurons, 50 a row; . 1-10  + 11-20  | 21-30 spikes "),
        "{title}"
    );
    // Paused, in the oscilloscope's ASCII words (it read `# PAUSED`).
    assert!(s.contains("\"= PAUSED  t = 50.00 ms"), "{s}");
}

/// On the smallest screen the oscilloscope takes (60x16) the raster keeps a
/// row for each of three neurons before the rate gets its own; below it,
/// one line says what size is needed, as in the oscilloscope.
#[test]
fn a_small_screen_keeps_the_raster_or_says_it_is_too_small() {
    let (_dir, path, _) = abc();
    let mut v = Viewer::new(Recording::open(&path).unwrap(), "abc.csv");
    v.running = false;
    let s = screen(&v, 60, 16);
    for label in ["#0", "#1", "#2"] {
        assert!(s.contains(&format!("│{label} ")), "{label}:\n{s}");
    }
    assert!(s.contains("population rate"), "{s}");
    let s = screen(&v, 60, 15);
    assert!(s.contains("spikescope needs 60x16 (now 60x15)"), "{s}");
}

/// The keys are named on the screen from the start: under the file's
/// message at 80x24 (it took their place there until a key cleared it),
/// and the full list `?` shows stands in for them; on the smallest screen
/// the message keeps its lines and the panes theirs.
#[test]
fn the_keys_are_named_under_the_files_message() {
    let (_dir, path, _) = abc();
    let mut v = Viewer::new(Recording::open(&path).unwrap(), "abc.csv");
    v.running = false;
    let hints = "? keys  Space pause  ] [ speed  z Z zoom  Left Right seek  Tab g neuron  q quit";
    let last = |s: &str, k: usize| -> Vec<String> {
        let lines: Vec<&str> = s.lines().collect();
        lines[lines.len() - k..]
            .iter()
            .map(|l| l.trim_matches('"').trim_end().to_string())
            .collect()
    };
    let s = screen(&v, 80, 24);
    assert_eq!(
        last(&s, 2),
        ["abc.csv: 145 spikes of 3 neurons over 997.4 ms", hints],
        "{s}"
    );
    let s = screen(&v, 60, 16);
    assert_eq!(
        last(&s, 2),
        [
            "#0: 41 spikes, 41.11 Hz over the file",
            "abc.csv: 145 spikes of 3 neurons over 997.4 ms"
        ],
        "{s}"
    );
    key(&mut v, KeyCode::Char('?'));
    let s = screen(&v, 80, 24);
    assert!(last(&s, 2)[0].starts_with("keys: Space pause"), "{s}");
    assert_eq!(s.matches("Space pause").count(), 1, "{s}");
    // Esc puts the list away, as in the oscilloscope (it quit the viewer);
    // with nothing to close it does nothing; q quits.
    key(&mut v, KeyCode::Esc);
    assert_eq!((v.message.as_deref(), v.quit), (None, false));
    assert_eq!(last(&screen(&v, 80, 24), 1), [hints]);
    key(&mut v, KeyCode::Esc);
    assert!(!v.quit);
    key(&mut v, KeyCode::Char('q'));
    assert!(v.quit);
}

/// A title longer than the screen loses the format first (the message
/// then names it), then the path's start, never the file's name (it was cut
/// at the edge: `(NEST spike_recorder AS`).
#[test]
fn a_long_title_keeps_the_files_name() {
    let (_dir, path, _) = abc();
    let lines = |name: &str, w: u16| -> Vec<String> {
        let mut v = Viewer::new(Recording::open(&path).unwrap(), name);
        v.running = false;
        screen(&v, w, 24)
            .lines()
            .map(|l| l.trim_matches('"').trim_end().to_string())
            .collect()
    };
    let title = |name: &str, w: u16| lines(name, w)[0].clone();
    // The format is said once: in the title where it fits, else in the
    // file's summary.
    let summary = |name: &str, w: u16| {
        let lines = lines(name, w);
        lines
            .iter()
            .find(|l| l.starts_with("abc.csv"))
            .cloned()
            .unwrap_or_else(|| panic!("{lines:#?}"))
    };
    assert_eq!(
        summary("abc.csv", 80),
        "abc.csv: 145 spikes of 3 neurons over 997.4 ms"
    );
    assert_eq!(
        title("abc.csv", 80),
        " spikescope view ─ abc.csv (spikescope CSV)"
    );
    let two = "/tmp/nest/sr-31-0.dat and 1 more";
    assert_eq!(title(two, 60), format!(" spikescope view ─ {two}"));
    let deep = "/home/student/experiments/2026-12-03/run-7/abc.csv";
    assert_eq!(
        title(deep, 60),
        " spikescope view ─ …ent/experiments/2026-12-03/run-7/abc.csv"
    );
    assert_eq!(
        summary(deep, 60),
        "abc.csv (spikescope CSV): 145 spikes of 3 neurons over"
    );
    assert_eq!(
        summary(deep, 80),
        "abc.csv (spikescope CSV): 145 spikes of 3 neurons over 997.4 ms"
    );
    assert_eq!(
        title(deep, 100),
        format!(" spikescope view ─ {deep} (spikescope CSV)")
    );
    assert_eq!(
        summary(deep, 100),
        "abc.csv: 145 spikes of 3 neurons over 997.4 ms"
    );
}

/// The time the file took to read ends its summary as one phrase: a
/// summary too long for a line wraps before `read in`, not after it (at
/// 80 columns the time stood alone on the next line, `8.501 ms`).
#[test]
fn the_read_time_wraps_whole() {
    let (_dir, path, _) = abc();
    let deep = "/home/student/experiments/2026-12-03/run-7/abc.csv";
    let status = |w: u16| -> Vec<String> {
        let mut v = Viewer::new(Recording::open(&path).unwrap(), deep);
        v.running = false;
        v.add_read_time(0.008501);
        let s = screen(&v, w, 24);
        let lines: Vec<String> = s
            .lines()
            .map(|l| l.trim_matches('"').trim_end().to_string())
            .collect();
        let first = lines.iter().position(|l| l.starts_with("abc.csv")).unwrap();
        lines[first..lines.len() - 1].to_vec()
    };
    assert_eq!(
        status(80),
        [
            "abc.csv (spikescope CSV): 145 spikes of 3 neurons over 997.4 ms;",
            "read in 8.501 ms"
        ]
    );
    // On one line where it fits, its blanks drawn as blanks.
    assert_eq!(
        status(100),
        ["abc.csv: 145 spikes of 3 neurons over 997.4 ms; read in 8.501 ms"]
    );
}

/// On a narrow screen the status lines lose whole parts, never part of a
/// number: at 60x16 every number on them is one the 120-column screen
/// shows whole (the file's spike count was cut to "(5").
#[test]
fn a_narrow_status_cuts_no_number() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ei.csv");
    let out = common::run(&["run", "network-ei", "--spikes", path.to_str().unwrap()]);
    assert!(out.status.success());
    let mut v = Viewer::new(Recording::open(&path).unwrap(), "ei.csv");
    v.running = false;
    let status = |s: &str| -> Vec<String> {
        s.lines()
            .filter(|l| l.contains("PAUSED") || l.contains("population") || l.contains("#0:"))
            .flat_map(|l| {
                l.trim_matches('"')
                    .split([' ', '(', ')', ',', ';'])
                    .filter(|w| w.parse::<f64>().is_ok())
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let wide = status(&screen(&v, 120, 30));
    let narrow_screen = screen(&v, 60, 16);
    let narrow = status(&narrow_screen);
    assert!(narrow.len() >= 6, "{narrow:?}");
    for n in &narrow {
        assert!(wide.contains(n), "{n} cut:\n{narrow_screen}");
    }
}

/// The raster's marks stand in the columns of the rate's time axis: spikes
/// at the axis's ticks (10, 20, 30, 40 ms of a 0-50 ms window) sit over
/// the ticks' marks, at 80 and 120 columns, with a neuron a row and with
/// groups of neurons (they stood up to three columns right of them, the
/// raster having its own label width and its own span).
#[test]
fn raster_marks_stand_over_the_rate_axis_ticks() {
    for (n, w, h) in [
        (3usize, 80u16, 24u16),
        (3, 120, 30),
        (400, 100, 40),
        (400, 120, 50),
    ] {
        let mut text = String::from("neuron,time_s\n");
        for (k, t) in [0.01, 0.02, 0.03, 0.04].iter().enumerate() {
            text.push_str(&format!("{},{t}\n", k % n));
        }
        text.push_str(&format!("{},0.06\n", n - 1));
        let mut v = Viewer::new(Recording::parse(text.as_bytes()).unwrap(), "f");
        v.running = false;
        (v.t_s, v.window_s) = (0.05, 0.05);
        let s = screen(&v, w, h);
        // Neuron 0's count, in words that agree with it (`1 spikes` before).
        let count = if n == 3 { "2 spikes" } else { "1 spike" };
        assert!(s.contains(&format!("#0: {count}, ")), "{s}");
        let lines: Vec<Vec<char>> = s
            .lines()
            .map(|l| l.trim_matches('"').chars().collect())
            .collect();
        let axis = lines
            .iter()
            .position(|l| l.iter().collect::<String>().contains("t (ms)"))
            .unwrap_or_else(|| panic!("no time axis:\n{s}"));
        let ticks: Vec<usize> = lines[axis - 1]
            .iter()
            .enumerate()
            .filter(|&(_, &c)| c == '┴')
            .map(|(k, _)| k)
            .collect();
        // The axis's numbers under its ticks: 0 10 20 30 40.
        let numbers: Vec<usize> = lines[axis]
            .iter()
            .collect::<String>()
            .split(|c: char| !c.is_ascii_digit())
            .filter(|w| !w.is_empty())
            .map(|w| w.parse().unwrap())
            .collect();
        assert_eq!(numbers, [0, 10, 20, 30, 40], "{n} neurons, {w}x{h}:\n{s}");
        // 0 to 50 ms: the last tick has no number, the axis's title is there.
        assert_eq!(ticks.len(), 6, "{n} neurons, {w}x{h}:\n{s}");
        // Every column with a mark in the raster (the box's first rows),
        // right of its rule, which is over the rate's y axis.
        let rule = lines[axis - 1].iter().position(|&c| c == '└').unwrap();
        assert!(
            lines[2..4].iter().all(|l| l[rule] == '│'),
            "{n} neurons, {w}x{h}:\n{s}"
        );
        let mut marked: Vec<usize> = lines[2..]
            .iter()
            .take_while(|l| l[0] != '└')
            .flat_map(|l| {
                l.iter()
                    .enumerate()
                    .skip(rule + 1)
                    .take_while(|&(k, _)| k < l.len() - 1)
                    .filter(|&(_, &c)| c != ' ' && c != '\u{2800}')
                    .map(|(k, _)| k)
                    .collect::<Vec<_>>()
            })
            .collect();
        marked.sort_unstable();
        assert_eq!(marked, ticks[1..5], "{n} neurons, {w}x{h}:\n{s}");
    }
}

/// The raster takes the rows its neurons fill and no more, the rate the
/// rest: 40 neurons, four to a Braille row, fill 10 rows of a 100x30
/// screen (there were 15, 5 of them empty); a row holding one neuron is
/// named by it (`#4`, not `#4-4`).
#[test]
fn the_raster_takes_the_rows_its_neurons_fill() {
    let rows_of = |n: usize, w: u16, h: u16| -> Vec<String> {
        let text: String = std::iter::once("neuron,time_s\n".to_string())
            .chain((0..n).map(|i| format!("{i},0.001\n")))
            .collect();
        let mut v = Viewer::new(Recording::parse(text.as_bytes()).unwrap(), "f");
        v.running = false;
        let s = screen(&v, w, h);
        s.lines()
            .skip(2)
            .take_while(|l| !l.contains('└'))
            .map(|l| l.trim_matches('"').to_string())
            .collect()
    };
    let rows = rows_of(40, 100, 30);
    let labels: Vec<&str> = rows
        .iter()
        .map(|l| l.trim_start_matches('│').split('│').next().unwrap().trim())
        .collect();
    let want: Vec<String> = (0..10)
        .map(|r| format!("#{}-{}", 4 * r, 4 * r + 3))
        .collect();
    assert_eq!(labels, want, "{rows:#?}");
    // Five neurons in three rows: four in the first, the fifth alone.
    let rows = rows_of(5, 60, 16);
    assert!(rows[0].starts_with("│#0-3 │"), "{rows:#?}");
    assert!(rows[1].starts_with("│#4   │"), "{rows:#?}");
    assert_eq!(rows.len(), 2, "{rows:#?}");
    // The last neuron a recording may number (2^24 - 1): each group's
    // label whole, eight digits on each side.
    let text = "neuron,time_s\n0,0.001\n16777215,0.001\n";
    let mut v = Viewer::new(Recording::parse(text.as_bytes()).unwrap(), "f");
    v.running = false;
    let s = screen(&v, 80, 24);
    assert!(s.contains("│#14680064-16777215│"), "{s}");
}
