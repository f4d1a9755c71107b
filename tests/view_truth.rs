//! The viewer's screen against the files it opened, off the beaten track:
//! random spike files (spikescope's CSV or NEST's ASCII with node IDs, one
//! file or two read as one, with and without `--neurons`, one neuron to
//! hundreds, spans from 2 ms to hours, spikes at 0 and at one time),
//! random keys, ticks of play and screen sizes, in ASCII and in Unicode.
//! After every key, every number of the status lines and the file's line
//! is worked out from the files' text as this test reads it (the window's
//! and the file's rates, the selected neuron's count, rate, mean ISI and
//! CV), and every raster row's marks, read by the title's legend (or its
//! Braille dots), hold the spikes of the row's neurons in the window. The
//! viewer's own state says only where the window is and which neuron is
//! chosen.

mod common;

use std::time::Duration;

use common::viewer::key;
use crossterm::event::KeyCode;
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use spikescope::lab::recording::{NeuronRange, Recording};
use spikescope::ui::format::{compact, duration, plural, significant, sim_time};
use spikescope::ui::theme::Theme;
use spikescope::ui::viewer::{Viewer, render};

/// A file's name from deep in a student's folders.
const LONG_NAME: &str = "/home/student/experiments/2026-12-05/network-benchmark-n10000/\
                         after-the-lecture/spike_recorder-10002-0.dat";

/// What the test does to the viewer: a key, or play for some milliseconds.
#[derive(Debug, Clone)]
enum Act {
    Key(KeyCode),
    Play(u64),
}

fn act() -> impl Strategy<Value = Act> {
    let keys = [
        KeyCode::Char(' '),
        KeyCode::Char(']'),
        KeyCode::Char('['),
        KeyCode::Char('z'),
        KeyCode::Char('Z'),
        KeyCode::Char('x'),
        KeyCode::Left,
        KeyCode::Right,
        KeyCode::PageUp,
        KeyCode::PageDown,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::Char('?'),
        KeyCode::Esc,
    ];
    prop_oneof![
        3 => prop::sample::select(keys.to_vec()).prop_map(Act::Key),
        1 => (0u64..4000).prop_map(Act::Play),
    ]
}

/// A spikescope CSV: rows of (neuron, time) in time order, written with
/// the shortest text that reads back as the same f64.
fn spike_file() -> impl Strategy<Value = Vec<(u64, f64)>> {
    let span = prop::sample::select(vec![0.002, 0.03, 0.5, 3.0, 40.0, 4000.0]);
    // Half the files hold every k-th neuron only, from one of k (one
    // thread's or rank's file of a run on k).
    let dealt = prop_oneof![
        Just((1u64, 0u64)),
        (2u64..5).prop_flat_map(|k| (Just(k), 0..k))
    ];
    (1u64..300, span, 1usize..500, any::<bool>(), 0u32..4, dealt).prop_flat_map(
        |(neurons, span, count, on_grid, zeros, (stride, from))| {
            prop::collection::vec((0..neurons, 0.0..1.0f64), count).prop_map(move |rows| {
                let mut rows: Vec<(u64, f64)> = rows
                    .into_iter()
                    .enumerate()
                    .map(|(k, (i, u))| {
                        // Some spikes at 0, and on a grid of a tenth of a
                        // millisecond (ties between neurons), as a
                        // simulation's are.
                        let t = if (k as u32) < zeros { 0.0 } else { u * span };
                        let t = if on_grid { (t * 1e4).round() / 1e4 } else { t };
                        (i * stride + from, t)
                    })
                    .collect();
                rows.sort_by(|a, b| a.1.total_cmp(&b.1));
                rows
            })
        },
    )
}

/// How the file is written: spikescope's CSV, or NEST's spike_recorder
/// ASCII (node IDs from `first`, times in ms to the microsecond, the rows
/// not in time order, as one thread's spikes follow another's).
#[derive(Debug, Clone, Copy)]
enum Format {
    Csv,
    Nest { first: u64 },
}

fn format() -> impl Strategy<Value = Format> {
    prop_oneof![
        Just(Format::Csv),
        (1u64..50).prop_map(|first| Format::Nest { first })
    ]
}

/// The files' texts for `rows` (their spikes dealt to one file or two by
/// neuron, as NEST's threads and MPI's ranks hold them), and the rows as
/// the files say them, by the neurons' numbers in the files: a NEST
/// file's times are the decimals written, read as the f64 nearest them.
fn texts_of(rows: &[(u64, f64)], format: Format, files: usize) -> (Vec<String>, Vec<(u64, f64)>) {
    let (header, numbered): (&str, Vec<(u64, f64, String)>) = match format {
        Format::Csv => (
            "neuron,time_s\n",
            rows.iter()
                .map(|&(i, t)| (i, t, format!("{i},{t}\n")))
                .collect(),
        ),
        Format::Nest { first } => (
            "# NEST version: 3.10.0\n# RecordingBackendASCII\n# Columns:\nsender\ttime_ms\n",
            rows.iter()
                .map(|&(i, t)| {
                    let us = (t * 1e6).round() as u64;
                    let read = format!("{}.{:06}", us / 1_000_000, us % 1_000_000);
                    let line = format!("{}\t{}.{:03}\n", i + first, us / 1000, us % 1000);
                    (i + first, read.parse().unwrap(), line)
                })
                .collect(),
        ),
    };
    let mut texts = vec![header.to_string(); files];
    for (i, _, line) in &numbered {
        texts[*i as usize % files].push_str(line);
    }
    (
        texts,
        numbered.into_iter().map(|(i, t, _)| (i, t)).collect(),
    )
}

/// What the viewer should read from the files: the spikes of the neurons
/// it shows, by index from `first` (the number of its neuron 0), `n` of
/// them, and how many spikes of other neurons `--neurons` left out.
#[derive(Debug)]
struct Expected {
    rows: Vec<(u64, f64)>,
    first: u64,
    n: u64,
    left_out: usize,
    /// The format's name as the viewer gives it.
    format: &'static str,
    /// Without `--neurons`, where three neurons or more spiked, every one
    /// of them a multiple of g >= 2 from the lowest: g.
    stride: Option<u64>,
}

/// Without `--neurons` the neurons run from 0 (spikescope's CSV) or from
/// the first node that spiked (NEST's) to the last that spiked; with it,
/// they are the range, its silent neurons counted.
fn expected(numbered: &[(u64, f64)], format: Format, chosen: Option<(u64, u64)>) -> Expected {
    let (lo, hi) = match (chosen, format) {
        (Some(range), _) => range,
        (None, Format::Csv) => (0, numbered.iter().map(|r| r.0).max().unwrap()),
        (None, Format::Nest { .. }) => (
            numbered.iter().map(|r| r.0).min().unwrap(),
            numbered.iter().map(|r| r.0).max().unwrap(),
        ),
    };
    let mut rows: Vec<(u64, f64)> = numbered
        .iter()
        .filter(|r| (lo..=hi).contains(&r.0))
        .map(|&(i, t)| (i - lo, t))
        .collect();
    rows.sort_by(|a, b| a.1.total_cmp(&b.1));
    let mut spiked: Vec<u64> = numbered.iter().map(|r| r.0).collect();
    spiked.sort_unstable();
    spiked.dedup();
    // Every distance from the lowest is a multiple of g exactly when g
    // divides each: the largest such g, by trying each from the smallest
    // distance down.
    let stride = match (chosen, &spiked[..]) {
        (None, [lowest, second, _, ..]) => (2..=second - lowest)
            .rev()
            .find(|g| spiked.iter().all(|i| (i - lowest) % g == 0)),
        _ => None,
    };
    Expected {
        stride,
        format: match format {
            Format::Csv => "spikescope CSV",
            Format::Nest { .. } => "NEST spike_recorder ASCII",
        },
        left_out: numbered.len() - rows.len(),
        rows,
        first: lo,
        n: hi - lo + 1,
    }
}

/// The screen as rows of characters.
fn screen_rows(v: &Viewer, (w, h): (u16, u16), theme: &Theme) -> Vec<String> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| render(f, v, theme)).unwrap();
    let buf = t.backend().buffer();
    (0..h)
        .map(|y| (0..w).map(|x| buf[(x, y)].symbol()).collect())
        .collect()
}

/// A status line: its parts in order, the first always there and any other
/// whole or dropped (a narrow screen drops parts, never a part of one);
/// with `all`, on a screen wide enough for them, every part there.
fn check_parts(line: &str, parts: &[String], (all, screen): (bool, &str)) {
    let line = line.trim_end();
    assert!(line.starts_with(&parts[0]), "{:?} in\n{screen}", parts[0]);
    let mut rest = &line[parts[0].len()..];
    for part in &parts[1..] {
        match rest.strip_prefix(part.as_str()) {
            Some(after) => rest = after,
            None => assert!(!all, "{part:?} is missing:\n{screen}"),
        }
    }
    assert!(
        rest.is_empty(),
        "{rest:?} is not one of {parts:?}:\n{screen}"
    );
}

/// The counts each mark stands for, from the raster's title: `. 1-2  + 3
/// | 4-5 spikes`; None where the title has no legend (Braille dots).
fn legend(title: &str) -> Option<Vec<(char, u64, u64)>> {
    let words: Vec<&str> = title.split_whitespace().collect();
    let mut marks = Vec::new();
    for pair in words.windows(2) {
        let mark: Vec<char> = pair[0].chars().collect();
        let range = pair[1].trim_end_matches(';');
        let bounds = match range.split_once('-') {
            Some((a, b)) => a.parse().ok().zip(b.parse().ok()),
            None => range.parse().ok().map(|a| (a, a)),
        };
        if let (&[m], Some((lo, hi))) = (&mark[..], bounds)
            && ".+:|".contains(m)
        {
            marks.push((m, lo, hi));
        }
    }
    (!marks.is_empty() || title.contains("none in the window")).then_some(marks)
}

/// Every number on the screen, worked out from the files' spikes.
fn check_screen(v: &Viewer, e: &Expected, size: (u16, u16), theme: &Theme) {
    let (rows, first, n) = (&e.rows[..], e.first, e.n);
    let lines = screen_rows(v, size, theme);
    let screen = lines.join("\n");
    let end = rows.last().unwrap().1;
    let (t0, t1) = (v.t_s - v.window_s, v.t_s);
    // Where the window may be: its right edge from the window (or the
    // file's end) to a twentieth of a window past the last spike.
    let last_t = (end + v.window_s / 20.0).max(v.window_s);
    assert!(
        v.t_s >= v.window_s.min(last_t) && v.t_s <= last_t,
        "t {} window {}",
        v.t_s,
        v.window_s
    );
    assert!(
        v.window_s >= 1e-4 && v.window_s <= end.max(0.01),
        "window {}",
        v.window_s
    );
    let h = lines.len();
    // Every line's parts fit in 100 columns.
    let all = size.0 >= 100;
    let x = if theme.ascii { "x" } else { "×" };
    let state = match (v.running, theme.ascii) {
        (true, true) => "> PLAY",
        (true, false) => "▶ PLAY",
        (false, true) => "= PAUSED",
        (false, false) => "‖ PAUSED",
    };
    let status = lines
        .iter()
        .position(|l| l.starts_with(state))
        .unwrap_or_else(|| panic!("no status line:\n{screen}"));
    assert!(status + 3 <= h, "{screen}");
    let words = |s: String| -> String { if theme.ascii { s.replace('µ', "u") } else { s } };
    check_parts(
        &lines[status],
        &[
            state.to_string(),
            format!("  t = {}", sim_time(v.t_s)),
            format!("  {x}{}", compact(v.speed)),
            words(format!("  window {}", duration(v.window_s))),
            words(format!("  last spike {}", duration(end))),
        ],
        (all, &screen),
    );
    let in_window = rows.iter().filter(|r| r.1 >= t0 && r.1 < t1).count();
    let covered = t1.min(end) - t0.max(0.0);
    let window_rate = if covered > 0.0 {
        significant(in_window as f64 / n as f64 / covered, 4)
    } else {
        "-".into()
    };
    let over_file = |count: f64| {
        if end > 0.0 {
            significant(count / end, 4)
        } else {
            "-".into()
        }
    };
    check_parts(
        &lines[status + 1],
        &[
            format!("population {window_rate} Hz in the window"),
            format!(
                ", {} Hz over the file",
                over_file(rows.len() as f64 / n as f64)
            ),
            format!(" ({})", plural(rows.len() as u64, "spike", "spikes")),
        ],
        (all, &screen),
    );
    // The selected neuron: its spikes, rate and intervals over the file.
    let mine: Vec<f64> = rows
        .iter()
        .filter(|r| r.0 == v.selected as u64)
        .map(|r| r.1)
        .collect();
    let isi: Vec<f64> = mine.windows(2).map(|w| w[1] - w[0]).collect();
    let isi_text = if isi.is_empty() {
        "no ISI (fewer than 2 spikes)".to_string()
    } else {
        let mean = isi.iter().sum::<f64>() / isi.len() as f64;
        let var = isi.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / isi.len() as f64;
        let cv = if isi.len() > 1 && mean > 0.0 {
            compact(var.sqrt() / mean)
        } else {
            "-".into()
        };
        words(format!("ISI mean {}, CV {cv}", duration(mean)))
    };
    check_parts(
        &lines[status + 2],
        &[
            format!(
                "#{}: {}, {} Hz over the file",
                first + v.selected as u64,
                plural(mine.len() as u64, "spike", "spikes"),
                over_file(mine.len() as f64)
            ),
            format!("; {isi_text}"),
        ],
        (all, &screen),
    );
    // The file's line, until a key replaces it: the file by its name (the
    // title has its folder), its spikes, neurons (by their numbers in the
    // file), span, the spikes `--neurons` left out, and the format where
    // the title has no room for it, wrapped at words.
    let name = v.file.rsplit('/').next().unwrap();
    if v.message
        .as_deref()
        .is_some_and(|m| m.starts_with(&format!("{name}:")))
    {
        let last = first + n - 1;
        let numbered = match first {
            0 => String::new(),
            _ if first == last => format!(" (#{first})"),
            _ => format!(" ({first}-{last})"),
        };
        let left_out = match e.left_out {
            0 => String::new(),
            k => format!(
                "; {} of other neurons left out",
                plural(k as u64, "spike", "spikes")
            ),
        };
        let strided = match e.stride {
            Some(g) => {
                let th = match (g % 10, g % 100) {
                    (_, 11..=13) => "th",
                    (1, _) => "st",
                    (2, _) => "nd",
                    (3, _) => "rd",
                    _ => "th",
                };
                format!("; only every {g}{th} neuron spiked, as in one thread's or rank's file")
            }
            None => String::new(),
        };
        // The format is said once: in the title where it fits, else after
        // the name here.
        let format = if lines[0].trim_end().ends_with(&format!("({})", e.format)) {
            String::new()
        } else {
            format!(" ({})", e.format)
        };
        let expected = words(format!(
            "{name}{format}: {} of {}{numbered} over {}{left_out}{strided}",
            plural(rows.len() as u64, "spike", "spikes"),
            plural(n, "neuron", "neurons"),
            duration(end),
        ));
        // The message's lines, up to the key hints under it.
        let shown = lines[status + 3..]
            .iter()
            .take_while(|l| !l.starts_with("? keys"))
            .cloned()
            .collect::<Vec<_>>()
            .join(" ");
        // Compared without the spaces: a word longer than the line (the
        // path) is broken across lines.
        let bare = |t: &str| t.split_whitespace().collect::<String>();
        let (shown, whole) = (bare(&shown), bare(&expected));
        // Cut where it is longer than three lines, and said to be, after a
        // whole word (a `;` after it dropped).
        let ellipsis = if theme.ascii { "..." } else { "…" };
        match shown.strip_suffix(ellipsis) {
            Some(cut) => {
                let mut ends = expected.split_whitespace().scan(0, |at, w| {
                    *at += w.len();
                    Some((*at, w))
                });
                assert!(
                    ends.any(|(at, w)| {
                        let trimmed = w.trim_end_matches([';', ',', ':']);
                        at - (w.len() - trimmed.len()) == cut.len()
                    }) && whole.starts_with(cut),
                    "{expected:?}:\n{screen}"
                );
            }
            None => assert!(shown == whole, "{expected:?}:\n{screen}"),
        }
    }
    check_raster(&lines, rows, (t0, t1), (first, n), theme);
}

/// The raster's rows: their labels cover the neurons once each, in order;
/// where a legend says what the marks count, each row's marks hold its
/// neurons' spikes in the window, and where Braille dots stand for them,
/// a row has a dot exactly when its neurons fired, and no more dots than
/// spikes.
fn check_raster(
    lines: &[String],
    rows: &[(u64, f64)],
    (t0, t1): (f64, f64),
    (first, n): (u64, u64),
    theme: &Theme,
) {
    let screen = lines.join("\n");
    let top = lines
        .iter()
        .position(|l| l.contains("spikes of") || l.contains(" neuron"))
        .unwrap_or_else(|| panic!("no raster:\n{screen}"));
    let title: String = lines[top].chars().skip(1).collect();
    let title = title.trim_end_matches(['-', '─', '+', '┐']);
    let marks = legend(title);
    let rule = if theme.ascii { ':' } else { '│' };
    let mut next = first;
    for line in &lines[top + 1..] {
        let chars: Vec<char> = line.chars().collect();
        if chars.len() < 3 || chars[1] != '#' {
            break;
        }
        let inner: String = chars[1..chars.len() - 1].iter().collect();
        let (label, cells) = inner.split_once(rule).unwrap();
        let label = label.trim().trim_start_matches('#');
        let (a, b): (u64, u64) = match label.split_once('-') {
            Some((a, b)) => (a.parse().unwrap(), b.parse().unwrap()),
            None => (label.parse().unwrap(), label.parse().unwrap()),
        };
        assert_eq!(a, next, "rows in order, every neuron once:\n{screen}");
        next = b + 1;
        let spikes = rows
            .iter()
            .filter(|r| (a..=b).contains(&(first + r.0)) && r.1 >= t0 && r.1 < t1)
            .count() as u64;
        let (lo, hi) = match &marks {
            // Braille: a dot for each group's spikes in a dot's column, so
            // at least one where the row's neurons fired and no more dots
            // than spikes.
            None => {
                assert!(
                    cells
                        .chars()
                        .all(|c| c == ' ' || ('\u{2800}'..='\u{28ff}').contains(&c)),
                    "{screen}"
                );
                let dots: u64 = cells
                    .chars()
                    .filter(|&c| c != ' ')
                    .map(|c| u64::from((c as u32 - 0x2800).count_ones()))
                    .sum();
                (dots, if dots == 0 { 0 } else { u64::MAX })
            }
            Some(marks) => cells
                .chars()
                .filter(|&c| c != ' ')
                .fold((0, 0), |(lo, hi), c| {
                    let &(_, l, h) = marks
                        .iter()
                        .find(|m| m.0 == c)
                        .unwrap_or_else(|| panic!("{c:?} is in no legend {marks:?}:\n{screen}"));
                    (lo + l, hi + h)
                }),
        };
        assert!(
            (lo..=hi).contains(&spikes),
            "#{a}-{b}: {spikes} spikes in the window, the marks {lo}-{hi} (window {t0} to {t1}):\n{screen}"
        );
    }
    assert_eq!(next, first + n, "every neuron has its row:\n{screen}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn every_number_on_the_viewers_screen_is_the_files(
        rows in spike_file(),
        acts in prop::collection::vec(act(), 0..30),
        size in prop::sample::select(vec![(60u16, 16u16), (72, 20), (80, 24), (100, 30), (200, 50)]),
        ascii in any::<bool>(),
        format in format(),
        files in 1usize..=2,
        chosen in prop::option::of((0.0..1.0f64, 0.0..1.0f64)),
        long_name in any::<bool>(),
    ) {
        let theme = Theme { ascii, ..common::NO_COLOR };
        let (texts, numbered) = texts_of(&rows, format, files);
        // `--neurons`: a range from below the first number to past the
        // last, silent neurons and all.
        let top = numbered.iter().map(|r| r.0).max().unwrap() + 5;
        let chosen = chosen.map(|(a, b)| {
            let lo = (a * top as f64) as u64;
            (lo, lo + (b * top as f64) as u64)
        });
        let e = expected(&numbered, format, chosen);
        if e.rows.is_empty() {
            // The viewer refuses it (`view`'s error says so): nothing to view.
            return Ok(());
        }
        let dir = tempfile::tempdir().unwrap();
        let paths: Vec<std::path::PathBuf> = texts
            .iter()
            .enumerate()
            .map(|(k, text)| {
                let path = dir.path().join(format!("spikes-{k}.dat"));
                std::fs::write(&path, text).unwrap();
                path
            })
            .collect();
        let paths: Vec<&std::path::Path> = paths.iter().map(|p| p.as_path()).collect();
        let chosen = chosen.map(|(first, last)| NeuronRange { first, last });
        // A path as long as the screen is wide, or more: the message's
        // lines run out, and the title keeps the file's name.
        let name = if long_name { LONG_NAME } else { "random" };
        let mut v = Viewer::new(Recording::open_all(&paths, chosen).unwrap(), name);
        // The file's line is up at the start, so its check runs.
        let named = format!("{}:", name.rsplit('/').next().unwrap());
        prop_assert!(v.message.as_deref().unwrap().starts_with(&named));
        check_screen(&v, &e, size, &theme);
        for act in acts {
            match act {
                Act::Key(code) => key(&mut v, code),
                Act::Play(ms) => v.tick(Duration::from_millis(ms)),
            }
            check_screen(&v, &e, size, &theme);
        }
    }
}
