//! `spikescope view FILE`: a recorded spike file in the oscilloscope. The
//! numbers on its screen are the file's (rates, counts, ISI), and the keys
//! move the window as for a live run. Which files open and how they are
//! read: view_files.rs; how the screen is laid out: view_layout.rs.

mod common;

use common::viewer::{abc, key, screen};
use crossterm::event::KeyCode;
use spikescope::lab::recording::Recording;
use spikescope::ui::format::significant;
use spikescope::ui::viewer::Viewer;

#[test]
fn the_view_says_what_the_file_holds() {
    let (_dir, path, text) = abc();
    let rows: Vec<(usize, f64)> = text
        .lines()
        .skip(1)
        .map(|l| {
            let (i, t) = l.split_once(',').unwrap();
            (i.parse().unwrap(), t.parse().unwrap())
        })
        .collect();
    let mut v = Viewer::new(Recording::open(&path).unwrap(), "abc.csv");
    v.running = false;
    let end = rows.last().unwrap().1;
    let s = screen(&v, 80, 24);
    let whole = rows.len() as f64 / 3.0 / end;
    assert!(
        s.contains(&format!(
            "{} Hz over the file ({} spikes)",
            significant(whole, 4),
            rows.len()
        )),
        "{s}"
    );
    // Neuron 0's count, rate and ISI from the file.
    let t0: Vec<f64> = rows.iter().filter(|r| r.0 == 0).map(|r| r.1).collect();
    let isi: Vec<f64> = t0.windows(2).map(|w| w[1] - w[0]).collect();
    let mean = isi.iter().sum::<f64>() / isi.len() as f64;
    assert!(
        s.contains(&format!(
            "#0: {} spikes, {} Hz over the file; ISI mean {:.2} ms",
            t0.len(),
            significant(t0.len() as f64 / end, 4),
            mean * 1e3
        )),
        "{s}"
    );
    // C (#2), driven by A and B, fires irregularly: its CV, the intervals'
    // standard deviation over their mean, from the file.
    let mut c = Viewer::new(Recording::open(&path).unwrap(), "abc.csv");
    c.running = false;
    key(&mut c, KeyCode::Tab);
    key(&mut c, KeyCode::Tab);
    let t2: Vec<f64> = rows.iter().filter(|r| r.0 == 2).map(|r| r.1).collect();
    let isi: Vec<f64> = t2.windows(2).map(|w| w[1] - w[0]).collect();
    let mean_c = isi.iter().sum::<f64>() / isi.len() as f64;
    let var = isi.iter().map(|x| (x - mean_c).powi(2)).sum::<f64>() / isi.len() as f64;
    let cv = var.sqrt() / mean_c;
    assert!(cv > 0.01, "{cv}");
    let sc = screen(&c, 80, 24);
    assert!(
        sc.contains(&format!(
            "#2: {} spikes, {} Hz over the file; ISI mean {:.2} ms, CV {}",
            t2.len(),
            significant(t2.len() as f64 / end, 4),
            mean_c * 1e3,
            spikescope::ui::format::compact(cv)
        )),
        "{sc}"
    );
    // In the window [t - w, t): its spikes per neuron per second.
    let (a, b) = (v.t_s - v.window_s, v.t_s);
    let k = rows.iter().filter(|r| r.1 >= a && r.1 < b).count();
    assert!(
        s.contains(&format!(
            "population {} Hz in the window",
            significant(k as f64 / 3.0 / (b - a), 4)
        )),
        "{s}"
    );
    // The status line's time span is the file's: its last spike.
    assert!(
        s.contains(&format!(
            "last spike {}",
            spikescope::ui::format::duration(end)
        )),
        "{s}"
    );
    // At 80x24 the time axis, the only one on the screen, keeps its
    // numbers: the window's 0 to 50 ms.
    let axis = s
        .lines()
        .find(|l| l.contains("t (ms)"))
        .unwrap_or_else(|| panic!("no time axis:\n{s}"));
    let ticks: Vec<&str> = axis
        .split(|c: char| !c.is_ascii_digit())
        .filter(|w| !w.is_empty())
        .collect();
    assert_eq!(ticks, ["0", "10", "20", "30", "40"], "{s}");
    insta::assert_snapshot!(s);
    // A message longer than the screen is wrapped, not cut.
    key(&mut v, KeyCode::Char('?'));
    let s = screen(&v, 80, 24);
    let words: Vec<&str> = s
        .lines()
        .rev()
        .take(2)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .flat_map(|l| l.trim_matches('"').split_whitespace())
        .collect();
    assert_eq!(
        words.join(" "),
        "keys: Space pause ] [ speed z Z zoom Left Right seek PgUp PgDn Home End Tab g neuron q quit",
        "{s}"
    );
}

/// A long recording's low rates read to four significant digits: a
/// neuron's one spike in 1,000 s is 0.001000 Hz, not 0.00.
#[test]
fn low_rates_keep_their_digits() {
    let text = "neuron,time_s\n0,0.5\n1,1000\n";
    let mut v = Viewer::new(Recording::parse(text.as_bytes()).unwrap(), "f");
    v.running = false;
    let s = screen(&v, 100, 30);
    assert!(s.contains("0.001000 Hz over the file (2 spikes)"), "{s}");
    assert!(s.contains("#0: 1 spike, 0.001000 Hz"), "{s}");
}

/// One spike is singular; spikes all at t = 0 span no time, so they have
/// no rate over the file and no CV (the screen said "last spike 2.225e-308
/// s" and dropped the rates, 9e307 Hz too wide to show; and "(1 spikes)",
/// "1 neurons").
#[test]
fn a_file_of_one_spike_or_one_instant_says_so() {
    let text = "neuron,time_s\n0,0.5\n";
    let mut v = Viewer::new(Recording::parse(text.as_bytes()).unwrap(), "one.csv");
    v.running = false;
    let s = screen(&v, 80, 24);
    assert!(s.contains("spikes of 1 neuron; none in the window "), "{s}");
    assert!(s.contains("2.000 Hz over the file (1 spike)"), "{s}");
    assert!(
        s.contains("one.csv: 1 spike of 1 neuron over 500 ms"),
        "{s}"
    );
    // One interval has no spread to measure: no CV (it read 0).
    let text = "neuron,time_s\n0,0.5\n0,0.51\n";
    let mut v = Viewer::new(Recording::parse(text.as_bytes()).unwrap(), "two.csv");
    v.running = false;
    let s = screen(&v, 80, 24);
    assert!(s.contains("; ISI mean 10 ms, CV -"), "{s}");
    let text = "neuron,time_s\n0,0\n0,0\n";
    let mut v = Viewer::new(Recording::parse(text.as_bytes()).unwrap(), "f");
    v.running = false;
    let s = screen(&v, 80, 24);
    assert!(s.contains("last spike 0 s"), "{s}");
    assert!(s.contains(", - Hz over the file (2 spikes)"), "{s}");
    assert!(
        s.contains("#0: 2 spikes, - Hz over the file; ISI mean 0 s, CV -"),
        "{s}"
    );
}

#[test]
fn keys_seek_zoom_play_and_select() {
    let (_dir, path, _) = abc();
    let mut v = Viewer::new(Recording::open(&path).unwrap(), "abc.csv");
    let end = v.recording.end_s();
    assert_eq!(v.window_s, 0.05, "a round tenth of the recording");
    key(&mut v, KeyCode::End);
    // A little past the last spike, which the window then shows.
    assert_eq!(v.t_s, end + v.window_s / 20.0);
    assert!(v.recording.window(v.t_s - v.window_s, v.t_s).end == v.recording.len());
    key(&mut v, KeyCode::Home);
    assert_eq!(v.t_s, v.window_s);
    key(&mut v, KeyCode::Right);
    assert!((v.t_s - 0.055).abs() < 1e-12);
    key(&mut v, KeyCode::Char('z'));
    assert_eq!(v.window_s, 0.025);
    key(&mut v, KeyCode::Char(']'));
    assert_eq!(v.speed, 0.5);
    // Playing moves the window at the speed, and stops at the end.
    v.running = true;
    let t = v.t_s;
    v.tick(std::time::Duration::from_millis(100));
    assert!((v.t_s - (t + 0.05)).abs() < 1e-12);
    v.tick(std::time::Duration::from_secs(10));
    assert_eq!((v.t_s, v.running), (end + v.window_s / 20.0, false));
    key(&mut v, KeyCode::Tab);
    assert_eq!(v.selected, 1);
    assert!(screen(&v, 80, 24).contains("#1: 63 spikes"));
    key(&mut v, KeyCode::BackTab);
    key(&mut v, KeyCode::BackTab);
    assert_eq!(v.selected, 2);
    key(&mut v, KeyCode::Char('q'));
    assert!(v.quit);
}

/// `Z` widens the window and `z` narrows it, each up to a limit where the
/// window stays and the status says so. A file of 2 ms opens with a 10 ms
/// window, and `Z` narrowed it to the 2 ms span (the widest was the span).
#[test]
fn zoom_out_never_narrows_the_window() {
    let text = "neuron,time_s\n0,0.001\n1,0.002\n";
    let mut v = Viewer::new(Recording::parse(text.as_bytes()).unwrap(), "short.csv");
    v.running = false;
    assert_eq!(v.window_s, 0.01);
    key(&mut v, KeyCode::Char('Z'));
    assert_eq!(v.window_s, 0.01);
    let s = screen(&v, 80, 24);
    assert!(
        s.contains("the window stays 10 ms: it may be 100 µs to 10 ms"),
        "{s}"
    );
    assert!(s.contains("window 10 ms"), "{s}");
    // Down to 100 µs, then no further; back up to the widest in doublings
    // that end on it.
    for _ in 0..7 {
        key(&mut v, KeyCode::Char('z'));
    }
    assert_eq!(v.window_s, 1e-4);
    key(&mut v, KeyCode::Char('z'));
    assert_eq!(v.window_s, 1e-4);
    let s = screen(&v, 80, 24);
    assert!(
        s.contains("the window stays 100 µs: it may be 100 µs to 10 ms"),
        "{s}"
    );
    for _ in 0..7 {
        key(&mut v, KeyCode::Char('Z'));
    }
    assert_eq!(v.window_s, 0.01);
    // A recording longer than 10 ms zooms out to its span, and the window's
    // right edge stays within the recording.
    let (_dir, path, _) = abc();
    let mut v = Viewer::new(Recording::open(&path).unwrap(), "abc.csv");
    v.running = false;
    let end = v.recording.end_s();
    for _ in 0..10 {
        key(&mut v, KeyCode::Char('Z'));
        assert!(v.window_s <= end && v.t_s >= v.window_s && v.t_s <= v.last_t());
    }
    assert_eq!(v.window_s, end);
}

/// At the end (End leaves a margin past the last spike) the window's rate
/// is over the part the file covers, up to its last spike as the rate
/// over the file is: the margin is not silence the file recorded (it read
/// 46.67 Hz where 49.12 is right), and the rate curve stops at the last
/// spike's bin rather than falling to 0 across the margin.
#[test]
fn past_the_last_spike_is_not_counted_as_silence() {
    let (_dir, path, text) = abc();
    let times: Vec<f64> = text
        .lines()
        .skip(1)
        .map(|l| l.split_once(',').unwrap().1.parse().unwrap())
        .collect();
    let mut v = Viewer::new(Recording::open(&path).unwrap(), "abc.csv");
    v.running = false;
    key(&mut v, KeyCode::End);
    let end = *times.last().unwrap();
    let (a, b) = (v.t_s - v.window_s, v.t_s);
    assert!(b > end + v.window_s / 25.0, "the margin: {b} after {end}");
    let k = times.iter().filter(|&&t| t >= a && t < b).count();
    let s = screen(&v, 80, 24);
    assert!(
        s.contains(&format!(
            "population {} Hz in the window",
            significant(k as f64 / 3.0 / (end - a), 4)
        )),
        "{s}"
    );
    let zero_row = s.lines().find(|l| l.contains("   0┤")).unwrap();
    assert!(
        zero_row.trim_end_matches(['"', '│']).ends_with("   "),
        "nothing drawn past the last spike:\n{s}"
    );
}

/// `g` goes to a neuron by its number, as in the oscilloscope: Tab through
/// a large recording is no way to reach one. A number past the last is
/// refused with the range, the entry kept to mend it; Esc leaves the choice.
#[test]
fn g_goes_to_a_neuron_by_its_number() {
    let text: String = std::iter::once("neuron,time_s\n".to_string())
        .chain((0..500).map(|i| format!("{i},{}\n", 0.001 * (i + 1) as f64)))
        .chain(std::iter::once("345,0.9\n".to_string()))
        .collect();
    let mut v = Viewer::new(Recording::parse(text.as_bytes()).unwrap(), "f");
    v.running = false;
    for c in "g9999".chars() {
        key(&mut v, KeyCode::Char(c));
    }
    let s = screen(&v, 80, 24);
    assert!(
        s.contains("go to neuron (0-499): 999_"),
        "digits past the most a number has are not typed:\n{s}"
    );
    key(&mut v, KeyCode::Enter);
    // The entry, and below it why it was refused, each on its own line (at
    // 60 columns too), as the oscilloscope's entry shows them.
    for width in [80, 60] {
        let s = screen(&v, width, 24);
        let lines: Vec<&str> = s.lines().map(|l| l.trim_matches('"').trim_end()).collect();
        assert_eq!(
            lines[lines.len() - 2..],
            [
                "go to neuron (0-499): 999_  Enter selects, Esc cancels",
                "no neuron 999: the neurons are numbered 0 to 499"
            ],
            "{s}"
        );
    }
    assert_eq!(v.selected, 0);
    for code in [KeyCode::Backspace, KeyCode::Backspace, KeyCode::Backspace] {
        key(&mut v, code);
    }
    for c in "345".chars() {
        key(&mut v, KeyCode::Char(c));
    }
    key(&mut v, KeyCode::Enter);
    assert_eq!((v.selected, v.going_to.clone()), (345, None));
    let s = screen(&v, 80, 24);
    assert!(s.contains("#345: 2 spikes"), "{s}");
    assert!(!s.contains("go to neuron"), "{s}");
    key(&mut v, KeyCode::Char('g'));
    key(&mut v, KeyCode::Enter);
    let s = screen(&v, 80, 24).replace('"', " ");
    let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("Esc cancels type the neuron's number first"),
        "{s}"
    );
    key(&mut v, KeyCode::Char('7'));
    key(&mut v, KeyCode::Esc);
    assert_eq!((v.selected, v.quit, v.going_to.clone()), (345, false, None));
    // A paste goes into the entry as its digits would be typed (it was
    // dropped); elsewhere it is said to be ignored.
    key(&mut v, KeyCode::Char('g'));
    v.on_paste("12 \n");
    assert_eq!(v.going_to.as_deref(), Some("12"));
    key(&mut v, KeyCode::Enter);
    assert_eq!((v.selected, v.going_to.clone()), (12, None));
    v.on_paste("7");
    assert!(v.message.as_deref().is_some_and(|m| m.contains("ignored")));
    assert_eq!(v.selected, 12);
    // The keys' hint, with g in it, is one line at 80 columns.
    v.message = None;
    let s = screen(&v, 80, 24);
    let last = s.lines().last().unwrap();
    assert!(
        last.contains("Space pause  ] [ speed") && last.contains("Tab g neuron  q quit"),
        "{s}"
    );
}
