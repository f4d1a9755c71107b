//! Whole screens as a user sees them: ratatui's TestBackend, snapshotted with
//! insta (tests/snapshots/, committed; under CI a missing snapshot fails).
//! Rendering is a pure function of the state, so each screen is made from a
//! preset advanced by a fixed number of steps, paused. Beside the snapshots,
//! assertions on what a screen must show: whole help texts and picker hints,
//! the input line, the weights' selected row, the phase plane's state now.
//! ASCII and no colour: screens_ascii.rs; small screens: screens_small.rs;
//! the raster under the traces: screens_raster.rs.

mod common;

use common::drawn::{NO_COLOR, app, draw, rows, rows_with, screen};
use spikescope::model::AnyModel;
use spikescope::named::Named;
use spikescope::preset;
use spikescope::ui::app::{App, RunState};
use spikescope::ui::overlay::{EntryFor, Overlay};
use spikescope::ui::theme::Theme;
use spikescope::view::{Pane, TriggerMode};

#[test]
fn hh_scope_80x24() {
    insta::assert_snapshot!(screen(&app("hh-repetitive", 4000), 80, 24));
}

#[test]
fn hh_scope_200x50() {
    insta::assert_snapshot!(screen(&app("hh-repetitive", 6000), 200, 50));
}

#[test]
fn hh_triggered_sweeps() {
    let mut a = app("hh-repetitive", 8000);
    a.view.trigger = TriggerMode::Spike;
    a.view.set_window(0.02);
    insta::assert_snapshot!(screen(&a, 100, 30));
}

#[test]
fn lif_scope() {
    insta::assert_snapshot!(screen(&app("lif-constant", 3000), 80, 24));
}

#[test]
fn network_scope() {
    insta::assert_snapshot!(screen(&app("network-abc", 3000), 80, 24));
}

#[test]
fn synapse_and_clamp_scopes() {
    insta::assert_snapshot!("psc_scope", screen(&app("psc-orders", 3000), 80, 24));
    insta::assert_snapshot!("clamp_scope", screen(&app("hh-clamp", 600), 80, 24));
}

#[test]
fn rate_scope() {
    insta::assert_snapshot!(screen(&app("rate-logistic", 100), 80, 24));
}

/// Each view at 80x24 on the preset whose lesson it draws.
#[test]
fn views() {
    for (name, pane, steps) in [
        ("hh-repetitive", Pane::Gates, 300),
        ("hh-repetitive", Pane::Rate, 8000),
        ("lif-ramp", Pane::Rate, 60_000),
        ("psc-ampa-nmda", Pane::Psc, 10),
        ("psc-orders", Pane::Psc, 10),
        ("rate-logistic", Pane::Activation, 100),
        ("rate-relu", Pane::Activation, 100),
        ("rate-lif-rate", Pane::Activation, 100),
        ("network-abc", Pane::Weights, 3000),
        ("network-populations", Pane::Weights, 3000),
        ("network-populations-augmented", Pane::Weights, 3000),
        ("network-wta", Pane::Weights, 3000),
        ("hh-repetitive", Pane::Weights, 10),
    ] {
        let mut a = app(name, steps);
        a.view.pane = pane;
        insta::assert_snapshot!(format!("view_{}_{}", pane.name(), name), screen(&a, 80, 24));
    }
}

#[test]
fn overlays() {
    let mut a = app("hh-repetitive", 10);
    a.overlay = Overlay::Help { page: 0 };
    insta::assert_snapshot!("help", screen(&a, 80, 24));
    a.overlay = Overlay::picker("hh-repetitive");
    insta::assert_snapshot!("picker", screen(&a, 80, 24));
    a.overlay = Overlay::Entry {
        sets: EntryFor::Input,
        text: "12,5".into(),
        error: None,
    };
    insta::assert_snapshot!("entry", screen(&a, 80, 24));
    a.overlay = Overlay::Guide { page: 0 };
    insta::assert_snapshot!("guide", screen(&a, 80, 24));
}

/// ASCII mode: only ASCII, and the threshold line (`-`) is not the trace
/// (`*`).
#[test]
fn ascii_mode_draws_only_ascii() {
    let a = app("hh-repetitive", 4000);
    let theme = Theme {
        ascii: true,
        ..Theme::default()
    };
    let text = draw(&a, 80, 24, &theme).backend().to_string();
    assert!(text.is_ascii(), "{text}");
    assert!(text.contains("membrane voltage V (mV)"));
    let rows = rows_with(&a, 80, 24, &theme);
    let threshold = rows
        .iter()
        .find(|r| r.contains("    0+"))
        .expect("the 0 mV tick");
    let plot: String = threshold.chars().skip(7).take(70).collect();
    assert!(plot.contains("---"), "dashes: {plot}");
    assert!(plot.contains('*'), "the trace crosses it: {plot}");
    insta::assert_snapshot!(text);
}

/// What the input does next, on the status line: a rising ramp changes
/// every step by itself, so it says where it goes (`→ 5.000 at 10 s`, the
/// preset's amplitude at its stop) rather than each next value (it read
/// `v_in 3.000  → 3.000 next step`); a protocol's jump still says its next
/// step.
#[test]
fn the_input_line_says_where_a_ramp_goes() {
    let a = app("lif-ramp", 30_000);
    let line = &rows(&a, 80, 24)[21];
    assert!(line.starts_with("v_in 1.500  → 5.000 at 10 s  "), "{line}");
    let a = app("hh-clamp-family", 1800);
    let line = &rows(&a, 80, 24)[21];
    assert!(line.contains("  → -65.00 next step  "), "{line}");
}

/// In the first sweep, past its middle, the scope still names its traces:
/// in free mode a name goes on the longer of the two sweeps drawn, and it
/// went on the old sweep's part, before the run began, which has no
/// samples (hh-bistable at 90 ms of its 200 ms window had no name at all).
#[test]
fn the_first_sweep_names_its_traces_past_its_middle() {
    let a = app("hh-bistable", 1800);
    let text = rows_with(&a, 80, 24, &NO_COLOR).join("\n");
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .collect();
    for name in ["V", "m", "h", "n", "I_Na", "I_K", "I_L"] {
        assert!(words.contains(&name), "{name} missing\n{text}");
    }
}

/// A rate network's inputs z = W y + b + x (W = 0, x = 0: z = b) are five
/// flat traces in four rows: each name is on its own trace's row, the
/// engine's z (`#0 b=-2` had been by z = 2, two of the five right).
#[test]
fn stacked_traces_are_named_on_their_own_rows() {
    let mut a = app("rate-softmax", 3000);
    a.view.pane = Pane::Scope;
    let AnyModel::Rate(r) = &a.sim.model else {
        panic!("a rate network")
    };
    assert_eq!(r.z, [-2.0, -1.0, 0.0, 1.0, 2.0]);
    let rows = rows_with(&a, 80, 24, &NO_COLOR);
    let pane = rows.iter().position(|r| r.contains("inputs z")).unwrap();
    let row_of = |tick: &str| {
        rows[pane..]
            .iter()
            .find(|r| r.starts_with(&format!("│{tick:>5}┤")))
            .unwrap_or_else(|| panic!("tick {tick}: {}", rows.join("\n")))
    };
    for (tick, name) in [("2", "#4 b=2"), ("0", "#2 b=0"), ("-2", "#0 b=-2")] {
        assert!(row_of(tick).contains(name), "{name}: {}", rows.join("\n"));
    }
}

/// The screen's cost over SSH, deterministic: bytes crossterm writes per
/// frame in steady running (HH at its default speed and 30 fps), and for an
/// identical redraw. The free-running sweep changes only the columns it
/// advanced (README: about 200 bytes a frame at 80x24, 550 at 200x50).
#[test]
fn bytes_per_frame_stay_low() {
    use spikescope::ui::bytes_per_frame;
    for (w, h, budget) in [(80u16, 24u16, 600.0), (200, 50, 1400.0)] {
        let mut a = App::new(preset::load("hh-repetitive", &[]).unwrap());
        a.guide_until = None;
        a.advance(4000);
        let steps = (a.clock.speed / 30.0 / a.sim.dt_s()).round() as u64;
        let bytes = bytes_per_frame(&mut a, &Theme::default(), w, h, 120, steps).unwrap();
        let mean = bytes[20..].iter().sum::<usize>() as f64 / 100.0;
        assert!(mean < budget, "{w}x{h}: {mean} bytes per frame");
        assert!(bytes[0] > 4000, "the first frame draws the whole screen");
        let again = bytes_per_frame(&mut a, &Theme::default(), w, h, 2, 0).unwrap();
        assert!(
            again[1] <= 64,
            "an unchanged frame costs {} bytes",
            again[1]
        );
    }
}

/// A network too large for a row per neuron: the selected neuron's row,
/// then the page of neurons that holds it, four to a Braille row.
#[test]
fn network_dense_raster() {
    let mut a = app("network-benchmark", 3000);
    a.select(30);
    insta::assert_snapshot!(screen(&a, 100, 30));
}

/// A trace in a level line's row keeps the line visible at its own height
/// within the cells: lif-below's v, at 0.9 below the threshold 1, lay in
/// the threshold's row, its braille replaced the dashes, and it read as
/// sitting on the threshold. Each cell of that row the trace takes holds two
/// rows of dots: the level's and the trace's.
#[test]
fn a_trace_in_a_level_lines_row_keeps_the_line_in_its_cells() {
    let a = app("lif-below", 20_000);
    let AnyModel::Lif(n) = &a.sim.model else {
        panic!("lif-below is a LIF neuron")
    };
    assert!(n.v > 0.85 && n.v < 0.95, "v {}", n.v);
    let screen = rows_with(&a, 100, 30, &NO_COLOR);
    let row = screen
        .iter()
        .find(|r| r.starts_with("│  1.0┤"))
        .unwrap_or_else(|| panic!("{}", screen.join("\n")));
    let dot_rows = |c: char| {
        let mask = c as u32 - 0x2800;
        [0x09, 0x12, 0x24, 0xc0]
            .iter()
            .filter(|&&bits| mask & bits != 0)
            .count()
    };
    let cells: Vec<char> = row
        .chars()
        .filter(|c| ('\u{2801}'..='\u{28ff}').contains(c))
        .collect();
    assert!(cells.len() > 60, "{row}");
    assert!(cells.iter().all(|&c| dot_rows(c) >= 2), "{row}");
}

/// A network on grid timing says so in the title; an event-exact one does
/// not.
#[test]
fn grid_timing_is_named_in_the_title() {
    let title = |sets: &[String]| {
        let a = App::new(preset::load("network-benchmark", sets).unwrap());
        rows(&a, 100, 30)[0].clone()
    };
    let grid = title(&["network.spike_timing=\"grid\"".to_string()]);
    assert!(
        grid.contains("LIF network (grid timing) · 1000 neurons"),
        "{grid}"
    );
    assert!(!title(&[]).contains("grid"));
}

/// The achieved speed has two significant digits, a rounding that carries
/// too: 0.0996 of real time reads `got ×0.10` (it read `×0.100`, seen live
/// beside `×0.10` a moment before), 0.05 `×0.050`. It is shown where it is
/// not the speed asked for: `×0.25 (got ×0.25)` said one number twice.
#[test]
fn the_achieved_speed_keeps_two_digits() {
    let mut a = app("spike-train-convolution", 100);
    a.run = RunState::Running;
    a.clock.speed = 0.25;
    for (achieved, shown) in [(0.0996, "(got ×0.10)"), (0.05, "(got ×0.050)")] {
        a.clock.achieved = achieved;
        let text = rows(&a, 80, 24).join("\n");
        assert!(text.contains(shown), "{achieved}: {shown}\n{text}");
    }
    for achieved in [0.25, 0.2499, 0.24, 0.26] {
        a.clock.achieved = achieved;
        let text = rows(&a, 80, 24).join("\n");
        assert!(text.contains("×0.25  dt"), "{achieved}:\n{text}");
        assert!(!text.contains("got"), "{achieved}:\n{text}");
    }
}

/// Plurals: one spike, one sweep.
#[test]
fn one_spike_and_one_sweep_are_singular() {
    let mut a = app("hh-single-spike", 1000);
    let text = rows(&a, 80, 24).join("\n");
    assert!(text.contains("1 spike "), "{text}");
    a.view.trigger = TriggerMode::Spike;
    let text = rows(&a, 80, 24).join("\n");
    assert!(text.contains("(1 sweep)"), "{text}");
}

/// The weights view keeps the selected row in view with its bias whole,
/// however large the network (network-benchmark, `g 500`).
#[test]
fn the_selected_row_of_the_weights_is_always_in_view() {
    use spikescope::model::AnyModel;
    use spikescope::ui::format::fit_number;
    let mut a = app("network-benchmark", 10);
    a.view.pane = Pane::Weights;
    for i in [0, 500, 999] {
        a.select(i);
        let AnyModel::Network(net) = &a.sim.model else {
            panic!()
        };
        let bias = fit_number(net.bias()[i], 8);
        for (w, h) in [(80u16, 24u16), (200, 50)] {
            let screen = rows(&a, w, h);
            let row = screen
                .iter()
                .find(|r| r.starts_with(&format!("│#{i} ")))
                .unwrap_or_else(|| panic!("row {i} at {w}x{h}:\n{}", screen.join("\n")));
            let body = row.trim_end_matches('│').trim_end();
            assert!(body.ends_with(&format!(" {bias}")), "{row}");
            assert!(row.contains("│ "), "the b column after its rule: {row}");
        }
    }
}

/// A preset file's error in the picker keeps its source excerpt as the
/// command line prints it: the carets under the value they point at.
#[test]
fn the_pickers_error_keeps_its_carets_under_the_value() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, "model = \"lif\"\n[lif]\ntau_m = \"-20 ms\"\n").unwrap();
    let e = preset::load(path.to_str().unwrap(), &[])
        .unwrap_err()
        .to_string();
    let mut a = app("lif-constant", 10);
    a.overlay = Overlay::Picker {
        index: 0,
        typed: String::new(),
        path: Some(path.to_str().unwrap().into()),
        error: Some(e),
        note: None,
    };
    let screen = rows(&a, 80, 24);
    let text = screen.join("\n");
    let source = screen
        .iter()
        .find(|r| r.contains("3 | tau_m = \"-20 ms\""))
        .unwrap_or_else(|| panic!("no excerpt:\n{text}"));
    let carets = screen
        .iter()
        .find(|r| r.contains('^'))
        .unwrap_or_else(|| panic!("no carets:\n{text}"));
    let column = |r: &str, c: char| r.chars().position(|x| x == c).unwrap();
    assert_eq!(column(carets, '^'), column(source, '"'), "{text}");
    assert_eq!(carets.matches('^').count(), "\"-20 ms\"".len(), "{text}");
}

/// A one-shot preset held at its end shows its whole protocol under its own
/// time axis: hh-clamp-family ends at 150 ms, its window's length, and the
/// sample there closes the sweep from 0 rather than opening one from 150
/// ms. Likewise any run paused at a sweep's end; a step later the next
/// sweep begins.
#[test]
fn a_sweep_ending_with_the_run_keeps_its_own_axis() {
    let a = app("hh-clamp-family", 1_000_000);
    assert!((a.sim.time_s() - a.window_s()).abs() < 1e-12);
    let text = rows(&a, 100, 30).join("\n");
    assert!(text.contains("ms from 0 ms"), "{text}");
    let mut a = app("hh-repetitive", 2000);
    assert!((a.sim.time_s() - a.window_s()).abs() < 1e-12);
    let text = rows(&a, 100, 30).join("\n");
    assert!(text.contains("ms from 0 ms"), "{text}");
    a.advance(1);
    let text = rows(&a, 100, 30).join("\n");
    assert!(text.contains("ms from 100 ms"), "{text}");
}

/// The network neuron's phase plane marks its state now, as the HH plane
/// and the LIF phase line do, and reads it out: the engine's v and s of
/// the selected neuron at that instant. Its name stands beside the mark
/// even in a dense trajectory (network-ei's `now` stood six rows above it).
#[test]
fn the_network_phase_plane_marks_and_reads_the_state_now() {
    use spikescope::ui::format::sig4;
    for (name, steps, selected) in [("network-abc", 2000, 2), ("network-ei", 7500, 0)] {
        let mut a = app(name, steps);
        a.select(selected);
        a.view.pane = Pane::Phase;
        let AnyModel::Network(net) = &a.sim.model else {
            panic!("{name} is a network")
        };
        let (v, s) = (net.v()[selected], net.synaptic_current(selected));
        let screen = rows_with(&a, 80, 24, &NO_COLOR);
        let text = screen.join("\n");
        assert!(
            text.contains(&format!("now v {}, s {}", sig4(v), sig4(s))),
            "{name}: v {v}, s {s}\n{text}"
        );
        // The mark, once in the plot (the status line's speed is `×0.25`),
        // and its name beside it: on its row or the next, within a column.
        let cells: Vec<Vec<char>> = screen.iter().map(|r| r.chars().collect()).collect();
        let marks: Vec<(usize, usize)> = (0..cells.len())
            .filter(|&r| cells[r].first() == Some(&'│'))
            .flat_map(|r| {
                let row = &cells[r];
                (0..row.len())
                    .filter(move |&c| row[c] == '×')
                    .map(move |c| (r, c))
            })
            .collect();
        assert_eq!(marks.len(), 1, "{name}\n{text}");
        let (r, c) = marks[0];
        let named = (r - 1..=r + 1).any(|r| {
            let row: String = cells[r].iter().collect();
            row.match_indices("now").any(|(byte, _)| {
                let start = row[..byte].chars().count();
                start <= c + 2 && start + 4 >= c
            })
        });
        assert!(named, "{name}: mark at row {r}, column {c}\n{text}");
    }
}

/// A cursor's name stays readable over the curves and the other labels:
/// the network phase plane's threshold at 60x16, the HH rate view's now.
#[test]
fn cursor_names_are_not_covered() {
    let mut a = app("network-abc", 2000);
    a.view.pane = Pane::Phase;
    let text = rows(&a, 60, 16).join("\n");
    assert!(
        text.contains("threshold┆") || text.contains("┆threshold"),
        "{text}"
    );
    let mut a = app("hh-repetitive", 4000);
    a.view.pane = Pane::Rate;
    let text = rows(&a, 80, 24).join("\n");
    assert!(text.contains("┆now"), "{text}");
}

/// A preset whose own time reads as far longer than its key's usual times
/// (`tau_m = 20`: 20 s) says so under the screen as it opens, from the
/// command line, from the picker's `o` or given by `--set`; a preset
/// without such a time says nothing there.
#[test]
fn a_bare_time_that_looks_meant_in_ms_is_said_under_the_screen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bare.toml");
    let text = std::fs::read_to_string("presets/lif-constant.toml")
        .unwrap()
        .replace("tau_m = \"20 ms\"", "tau_m = 20");
    std::fs::write(&path, text).unwrap();
    let path = path.to_str().unwrap();
    let note = "lif.tau_m = 20 is 20 s: a time without a unit is in seconds (\"20 ms\" for \
                milliseconds)";
    let mut a = App::new(preset::load(path, &[]).unwrap());
    a.guide_until = None;
    assert_eq!(a.message.as_ref().map(|m| m.text.as_str()), Some(note));
    let shown = screen(&a, 80, 24);
    assert!(
        shown.contains("lif.tau_m = 20 is 20 s: a time without a unit is in"),
        "{shown}"
    );
    let mut b = app("lif-constant", 0);
    assert_eq!(b.message, None);
    b.open_preset(path);
    let opened = format!("opened {path}: {note}");
    assert_eq!(
        b.message.as_ref().map(|m| m.text.as_str()),
        Some(opened.as_str())
    );
    // Given by `--set` (`spikescope lif-constant --set lif.tau_m=20`), the
    // same: the screen has no standard error to say it on.
    let c = App::new(preset::load("lif-constant", &["lif.tau_m=20".into()]).unwrap());
    assert_eq!(c.message.as_ref().map(|m| m.text.as_str()), Some(note));
}

/// `+` and `-` change the selected network neuron's bias: the change shows
/// on its line at 80x24 beside its v (the ISI, which the rate restates,
/// gives way first), whatever the neuron's name.
#[test]
fn a_bias_changed_by_a_key_shows_at_80x24() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    for (name, before) in [
        ("network-abc", 1.0),
        ("network-ei", 1.071),
        ("network-populations", 1.5),
    ] {
        let mut a = app(name, 3000);
        a.on_key(KeyEvent::new(KeyCode::Char('+'), KeyModifiers::NONE));
        let line = rows(&a, 80, 24)
            .into_iter()
            .find(|r| r.starts_with('#'))
            .unwrap();
        let AnyModel::Network(n) = &a.sim.model else {
            panic!("{name} is a network")
        };
        let bias = n.bias()[a.view.selected];
        assert!((bias - before - 0.1).abs() < 1e-3, "{name}: bias {bias}");
        let shown: f64 = line
            .split("  bias ")
            .nth(1)
            .and_then(|t| t.split_whitespace().next())
            .and_then(|t| t.parse().ok())
            .unwrap_or_else(|| panic!("{name}: no bias on {line}"));
        // Four significant digits, as every number on the status line.
        assert!((shown - bias).abs() <= 5e-4 * bias.abs(), "{name}: {line}");
        assert!(line.contains(" v "), "{name}: {line}");
    }
}
