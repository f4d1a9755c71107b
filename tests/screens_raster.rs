//! The spike raster under the traces: its marks column for column under
//! the spikes the traces show (triggered sweeps too), a dense raster's dot
//! for each spike in its neuron's row (in ASCII a digit, how many fired),
//! the last page filled, and the title saying which neurons of how many it
//! shows.

mod common;

use common::drawn::{NO_COLOR, app, ascii_rows, rows, rows_with};
use spikescope::ui::app::App;
use spikescope::ui::theme::Theme;
use spikescope::view::{Pane, TriggerMode};

/// Triggered sweeps overlap in time, and the raster marks each spike in
/// every sweep whose trace shows it, at its time from that sweep's trigger:
/// LIF firing regularly (ISI 1/G(1.5) = 23.97 ms) has a mark every ISI
/// from the pre-trigger's start to as far as the oldest sweep reaches, and
/// where several sweeps have one at the same time from their trigger the
/// mark counts them (`6`: six sweeps). The newest sweep alone had none
/// after the trigger.
#[test]
fn triggered_sweeps_mark_every_spike_their_traces_show() {
    let mut a = app("lif-constant", 10_000);
    a.view.trigger = TriggerMode::Spike;
    a.view.set_window(0.5);
    let (w, pre) = (0.5, 0.5 * a.view.pre_trigger);
    let spikes = a.traces.probes.spike_times_of(0);
    let now = a.sim.time_s();
    let mut at: Vec<i64> = Vec::new();
    for &trigger in &spikes[spikes.len() - 6..] {
        for &t in &spikes {
            if t >= trigger - pre && t <= (trigger - pre + w).min(now) {
                at.push(((t - trigger) * 1e4).round() as i64);
            }
        }
    }
    at.sort_unstable();
    // How many sweeps show a spike at each time from their trigger: the
    // count the mark there gives (`|` for one).
    let mut sweeps: Vec<usize> = Vec::new();
    let mut times = at.clone();
    times.dedup();
    for t in &times {
        sweeps.push(at.iter().filter(|&x| x == t).count());
    }
    assert!(times.iter().filter(|&&x| x > 0).count() >= 4, "{times:?}");
    assert!(sweeps.iter().any(|&k| k > 1), "{sweeps:?}");
    let screen = rows(&a, 80, 24);
    let row = screen.iter().find(|r| r.starts_with("│#0")).unwrap();
    let (marks, counts): (Vec<usize>, String) = row
        .chars()
        .skip("│#0   │".chars().count())
        .enumerate()
        .filter(|&(_, c)| c != ' ' && c != '│')
        .unzip();
    let expected: String = sweeps
        .iter()
        .map(|&k| {
            if k == 1 {
                '|'
            } else {
                char::from_digit(k as u32, 10).unwrap()
            }
        })
        .collect();
    assert_eq!(counts, expected, "{row}\n{times:?}");
    // Evenly spaced: an ISI is 3.4 columns of 7 ms.
    for pair in marks.windows(2) {
        assert!((3..=4).contains(&(pair[1] - pair[0])), "{row}");
    }
}

/// A spike on a triggered sweep's end is on it in every sweep: psc-orders
/// at 80 Hz puts a spike 12.5 ms apart, so under a pre-trigger of 75 ms
/// (10% of 750) each sweep starts on one. Rounding of the times left it
/// in three sweeps of six and out of the others, and the raster counted 54
/// of the 57 spikes the six sweeps hold.
#[test]
fn a_spike_on_a_sweeps_edge_is_in_every_sweep() {
    let source = spikescope::preset::PresetSource::resolve(
        "psc-orders",
        &["stimulus.rate=80".into(), "view.window=0.75".into()],
    )
    .unwrap();
    let mut a = App::from_source(source).unwrap();
    a.guide_until = None;
    a.advance(7238);
    a.view.trigger = TriggerMode::Spike;
    a.view.pre_trigger = 0.1;
    let spikes = a.traces.probes.spike_times_of(0);
    let now = a.sim.time_s();
    // Spikes from 20 ms, 12.5 ms apart, the last at 720 ms; a sweep from
    // each of the last six, from the spike six before it to now.
    assert_eq!(spikes.len(), 57);
    let held: usize = spikes[51..]
        .iter()
        .map(|&ts| {
            let first = ((ts - 0.075 - 0.02) / 0.0125).round() as usize;
            (first..spikes.len()).filter(|&k| spikes[k] <= now).count()
        })
        .sum();
    assert_eq!(held, 12 + 11 + 10 + 9 + 8 + 7);
    let screen = rows(&a, 80, 24);
    let (_, marks) = raster_row(&screen, "input");
    assert_eq!(spikes_counted(&marks), held, "{marks}");
    // The sweeps' first column: all six start on a spike.
    assert!(marks.starts_with('6'), "{marks}");
}

/// The raster shares the traces' time axis column for column: in
/// spike-train-convolution each PSC jump sits above its spike's stroke.
#[test]
fn the_raster_sits_under_the_traces_column_for_column() {
    for (w, h) in [(80u16, 24u16), (200, 50)] {
        let a = app("spike-train-convolution", 4900);
        let screen = rows(&a, w, h);
        let raster_row = screen
            .iter()
            .position(|r| r.contains("│input"))
            .expect("the raster row");
        let raster = &screen[raster_row];
        let strokes: Vec<usize> = raster
            .chars()
            .enumerate()
            .filter(|(_, c)| *c == '|')
            .map(|(k, _)| k)
            .collect();
        // Where the PSC trace jumps: its top dot row rises from the column
        // before.
        let top_dot_row = |col: usize| -> Option<usize> {
            screen
                .iter()
                .enumerate()
                .take(raster_row)
                .skip(1)
                .find_map(|(r, row)| {
                    let c = row.chars().nth(col)?;
                    let bits = u32::from(c).checked_sub(0x2800).filter(|b| *b <= 0xff)?;
                    (bits != 0).then(|| {
                        let top = [0x09, 0x12, 0x24, 0xc0].iter().position(|m| bits & m != 0);
                        4 * r + top.unwrap_or(3)
                    })
                })
        };
        let mut jumps = Vec::new();
        for col in 2..w as usize {
            if let (Some(a), Some(b)) = (top_dot_row(col - 1), top_dot_row(col))
                && b + 2 <= a
            {
                jumps.push(col);
            }
        }
        assert!(!strokes.is_empty());
        for s in &strokes {
            assert!(
                jumps.contains(s) || jumps.contains(&(s + 1)) && !strokes.contains(&(s + 1)),
                "{w}x{h}: the stroke at column {s} has no jump above it: jumps {jumps:?}, strokes {strokes:?}"
            );
        }
    }
}

/// The dense raster's last page ends at the last neuron, so that its rows
/// are all drawn: in network-ei (40 neurons, three rows of four at 80x24),
/// neuron 37's page is 28 to 39, not 36 to 39 over two empty rows.
#[test]
fn the_last_page_of_the_raster_fills_its_rows() {
    let labels = |a: &App| -> Vec<String> {
        rows(a, 80, 24)
            .iter()
            .filter_map(|r| r.strip_prefix("│#"))
            .map(|r| format!("#{}", r.split([' ', '│']).next().unwrap()))
            .collect()
    };
    let mut a = app("network-ei", 3000);
    a.select(37);
    assert_eq!(labels(&a), ["#37", "#28-31", "#32-35", "#36-39"]);
    a.select(5);
    assert_eq!(labels(&a), ["#5", "#0-3", "#4-7", "#8-11"]);
    // Five neurons over two rows of four: the second holds neuron 4 alone,
    // named as a row of its own is (it read `#4-4`).
    let mut a = app("network-populations-augmented", 3000);
    a.view.pane = Pane::Scope;
    let raster: Vec<String> = rows(&a, 80, 24)
        .into_iter()
        .filter(|r| r.starts_with("│#"))
        .collect();
    assert_eq!(raster.len(), 3, "{raster:?}");
    assert!(
        raster[1].starts_with("│#0-3 │") && raster[2].starts_with("│#4 y3│"),
        "{raster:?}"
    );
}

/// A raster that shows only some of the neurons says which, of how many,
/// and how to reach the rest: at 80x24 network-ei's raster holds 12 of its
/// 40 neurons, and its bare title let them pass for the whole network. One
/// that shows every neuron keeps its short title.
#[test]
fn a_raster_of_some_neurons_says_which_of_how_many() {
    let title = |a: &App, w: u16, h: u16| -> String {
        rows(a, w, h)
            .into_iter()
            .find(|r| r.contains(" spikes ") || r.contains(" spikes: "))
            .expect("the raster's title")
    };
    let mut a = app("network-ei", 3000);
    a.select(37);
    assert!(
        title(&a, 80, 24).contains(" spikes: #28-39 of 40 neurons (Tab or g: the others) "),
        "{}",
        title(&a, 80, 24)
    );
    assert!(
        title(&a, 200, 50).contains("┌ spikes ─"),
        "{}",
        title(&a, 200, 50)
    );
    let mut a = app("network-benchmark", 3000);
    a.select(30);
    assert!(
        title(&a, 100, 30).contains(" spikes: #20-39 of 1000 neurons "),
        "{}",
        title(&a, 100, 30)
    );
}

/// In the dense raster each neuron's dot row has one dot per spike of the
/// neuron (0.3 s of the first sweep: every spike is on screen, and no
/// neuron spikes twice within a bin), and the selected neuron's own row a
/// stroke per spike.
#[test]
fn dense_raster_has_a_dot_per_spike_in_its_neurons_row() {
    const LEFT: [u32; 4] = [0x01, 0x02, 0x04, 0x40];
    const RIGHT: [u32; 4] = [0x08, 0x10, 0x20, 0x80];
    let mut a = app("network-benchmark", 3000);
    a.select(30);
    let screen = rows(&a, 100, 40);
    let mut dots_on_page = 0;
    let spikes_of = |i: usize| a.traces.probes.spikes().filter(|s| s.neuron == i).count();
    let selected_row = screen
        .iter()
        .find(|r| r.contains("│#30 "))
        .expect("the selected neuron's row");
    assert_eq!(selected_row.matches('|').count(), spikes_of(30));
    // The page of 30 at this size: 7 Braille rows of 4, neurons 28 to 55.
    for first in (28..56).step_by(4) {
        let label = format!("│#{first}-{}", first + 3);
        let row = screen.iter().find(|r| r.contains(&label)).expect(&label);
        let cells: Vec<u32> = row
            .chars()
            .map(u32::from)
            .filter(|c| (0x2800..=0x28ff).contains(c))
            .map(|c| c - 0x2800)
            .collect();
        for d in 0..4 {
            let dots: usize = cells
                .iter()
                .map(|c| usize::from(c & LEFT[d] != 0) + usize::from(c & RIGHT[d] != 0))
                .sum();
            assert_eq!(dots, spikes_of(first + d), "neuron {}", first + d);
            dots_on_page += dots;
        }
    }
    assert!(dots_on_page > 200, "{dots_on_page} spikes on the page");
    assert!(!screen.iter().any(|r| r.contains("│#56-")));
}

/// In ASCII a dense row's cell is a digit: how many of the row's four
/// neurons fired in it, the dot rows its Braille cell sets when the same
/// screen is drawn in Unicode (its one-cell stand-in `*` said only that
/// some did); the title says what the digits count.
#[test]
fn an_ascii_dense_row_counts_the_neurons_that_fired() {
    const ROWS: [u32; 4] = [0x01 | 0x08, 0x02 | 0x10, 0x04 | 0x20, 0x40 | 0x80];
    for name in ["network-ei", "network-benchmark"] {
        let a = app(name, 4000);
        let unicode = rows_with(&a, 80, 24, &NO_COLOR);
        let ascii = ascii_rows(&a);
        let title = ascii.iter().find(|r| r.contains(" spikes: #")).unwrap();
        assert!(title.contains("; 1-4: how many fired "), "{title}");
        // At 60 columns the key to the digits stays; the hint of the keys
        // (on the hints line too) goes.
        let ascii_theme = Theme {
            ascii: true,
            ..NO_COLOR
        };
        let narrow = rows_with(&a, 60, 30, &ascii_theme);
        let title = narrow.iter().find(|r| r.contains(" spikes: #")).unwrap();
        assert!(
            title.contains(" neurons; 1-4: how many fired ") && !title.contains("Tab or g"),
            "{title}"
        );
        let (mut cells, mut counted) = (0, [0; 5]);
        for (u, s) in unicode.iter().zip(&ascii) {
            let (u, s): (Vec<char>, Vec<char>) = (u.chars().collect(), s.chars().collect());
            // A dense row: `#a-b` before the rule, `│` in Unicode and `:`
            // in ASCII at the same column.
            let Some(rule) = s.iter().position(|&c| c == ':') else {
                continue;
            };
            let label: String = s[1..rule].iter().collect();
            if !label.trim().contains('-') || u[rule] != '│' {
                continue;
            }
            for x in rule + 1..s.len() - 1 {
                let bits = (u[x] as u32).wrapping_sub(0x2800);
                let fired = if bits < 0x100 {
                    ROWS.iter().filter(|&&r| bits & r != 0).count()
                } else {
                    0
                };
                let want = if fired == 0 {
                    ' '
                } else {
                    char::from_digit(fired as u32, 10).unwrap()
                };
                assert_eq!(s[x], want, "{name}, row {label}, column {x}: {}", u[x]);
                cells += 1;
                counted[fired] += 1;
            }
        }
        assert!(
            cells > 100 && counted[1] > 0 && counted[2] > 0,
            "{name}: {counted:?}"
        );
    }
}

/// The raster's title and the marks of the row labelled `label` (between
/// its rule and the right border), from a screen's rows in Unicode or
/// ASCII.
fn raster_row(screen: &[String], label: &str) -> (String, String) {
    let title = screen
        .iter()
        .find(|r| r.starts_with("┌ spikes") || r.starts_with("+ spikes"))
        .expect("the raster's title");
    let row = screen
        .iter()
        .find(|r| r.chars().skip(1).collect::<String>().starts_with(label))
        .unwrap_or_else(|| panic!("no row {label}"));
    let mut marks: Vec<char> = row
        .chars()
        .skip(1)
        .skip_while(|&c| c != '│' && c != ':')
        .skip(1)
        .collect();
    marks.pop();
    (title.clone(), marks.into_iter().collect())
}

/// The spikes a row of strokes counts: `|` one, a digit that many.
fn spikes_counted(marks: &str) -> usize {
    marks
        .chars()
        .map(|c| match c {
            '|' => 1,
            c => c.to_digit(10).unwrap_or(0) as usize,
        })
        .sum()
}

/// A burst narrower than a column is not one spike: a neuron's row counts
/// the spikes that fall in a column (`|` one, 2 to 9 their number, `+`
/// more), and the title says so. spike-train-convolution's 18 input spikes
/// come in bursts (50, 52 and 54 ms; four from 200 to 200.6 ms), which at
/// 80x24 (7 ms a column) drew as 10 strokes beside a status line of 18.
#[test]
fn a_row_counts_the_spikes_that_share_a_column() {
    let a = app("spike-train-convolution", 5000);
    let (title, marks) = raster_row(&rows(&a, 80, 24), "input");
    assert!(
        title.contains(" spikes; 2-9: spikes in a column "),
        "{title}"
    );
    assert_eq!(marks.replace(' ', ""), "|32|4|2|2|", "{marks}");
}

/// Over a long window every column of a regular train holds several
/// spikes: lif-constant fires at G(1.5) = 41.71 Hz, so over 20 s (0.28 s a
/// column at 80x24) each column holds 11 or 12, drawn `+`, and the title's
/// key says what `+` is.
#[test]
fn a_column_of_more_than_nine_spikes_is_a_plus() {
    let mut a = app("lif-constant", 200_000);
    a.view.set_window(20.0);
    let (title, marks) = raster_row(&rows(&a, 80, 24), "#0");
    assert!(
        title.contains(" spikes; 2-9, + over 9: spikes in a column "),
        "{title}"
    );
    let plus = marks.chars().filter(|&c| c == '+').count();
    assert!(plus + 2 >= marks.chars().count(), "{marks}");
}

/// Over a dense raster the selected neuron's row is the only one whose
/// digits count spikes (the rows under it count neurons that fired), and
/// the title's key names it: network-ei over 4 s at 80x24 in ASCII puts
/// two or three of neuron 0's spikes in each column of 56 ms, and the
/// digits add up to its spikes in the window.
#[test]
fn a_dense_rasters_selected_row_keys_its_counts_by_name() {
    let mut a = app("network-ei", 20_000);
    a.view.set_window(4.0);
    let (title, marks) = raster_row(&ascii_rows(&a), "#0 ");
    assert!(
        title.contains("; 1-4: how many fired; #0: 2-9 spikes a column "),
        "{title}"
    );
    let spikes = a.traces.probes.spike_times_of(0).len();
    assert!(spikes > 60, "{spikes}");
    assert_eq!(spikes_counted(&marks), spikes, "{marks}");
}
