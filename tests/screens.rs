//! Whole screens as a user sees them: ratatui's TestBackend, snapshotted with
//! insta (tests/snapshots/, committed; under CI a missing snapshot fails).
//! Rendering is a pure function of the state, so each screen is made from a
//! preset advanced by a fixed number of steps, paused.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::{Color, Modifier};
use spikescope::preset;
use spikescope::preset::TriggerMode;
use spikescope::ui::app::{App, EntryFor, Overlay};
use spikescope::ui::command::Pane;
use spikescope::ui::render::render;
use spikescope::ui::theme::Theme;

fn app(name: &str, steps: u64) -> App {
    let mut a = App::new(preset::load(name, &[]).unwrap());
    a.advance(steps);
    a.running = false;
    a
}

fn draw(a: &App, w: u16, h: u16, theme: &Theme) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| render(f, a, theme)).unwrap();
    t
}

fn screen(a: &App, w: u16, h: u16) -> String {
    draw(a, w, h, &Theme::default()).backend().to_string()
}

#[test]
fn hh_scope_80x24() {
    insta::assert_snapshot!(screen(&app("hh-repetitive", 4000), 80, 24));
}

#[test]
fn hh_scope_120x40() {
    insta::assert_snapshot!(screen(&app("hh-repetitive", 6000), 120, 40));
}

#[test]
fn hh_triggered_sweeps() {
    let mut a = app("hh-repetitive", 8000);
    a.trigger = TriggerMode::Spike;
    a.window_s = 0.02;
    insta::assert_snapshot!(screen(&a, 100, 30));
}

#[test]
fn lif_scope() {
    insta::assert_snapshot!(screen(&app("lif-constant", 3000), 80, 24));
}

#[test]
fn network_scope() {
    let mut a = app("network-abc", 3000);
    a.selected = 2;
    insta::assert_snapshot!(screen(&a, 100, 30));
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

#[test]
fn views() {
    for (name, pane, steps) in [
        ("hh-repetitive", Pane::Gates, 300),
        ("lif-constant", Pane::Rate, 3000),
        ("network-abc", Pane::Psc, 10),
        ("rate-logistic", Pane::Activation, 100),
        ("network-abc", Pane::Weights, 10),
        ("hh-repetitive", Pane::Weights, 10),
    ] {
        let mut a = app(name, steps);
        a.pane = pane;
        a.selected = a.neuron_count() - 1;
        insta::assert_snapshot!(
            format!("view_{}_{}", pane.name(), name),
            screen(&a, 100, 30)
        );
    }
}

#[test]
fn overlays() {
    let mut a = app("hh-repetitive", 10);
    a.overlay = Overlay::Help;
    insta::assert_snapshot!("help", screen(&a, 100, 30));
    a.overlay = Overlay::Picker {
        index: 1,
        path: None,
    };
    insta::assert_snapshot!("picker", screen(&a, 100, 30));
    a.overlay = Overlay::Entry {
        sets: EntryFor::Input,
        text: "12.5".into(),
    };
    insta::assert_snapshot!("entry", screen(&a, 80, 24));
}

#[test]
fn too_small_says_so() {
    let a = app("hh-repetitive", 10);
    let s = screen(&a, 40, 10);
    assert!(s.contains("spikescope needs 60x16 (now 40x10)"), "{s}");
    // Degenerate sizes draw without panicking.
    for (w, h) in [
        (0, 0),
        (1, 1),
        (20, 5),
        (300, 1),
        (1, 300),
        (59, 16),
        (60, 15),
        (60, 16),
    ] {
        let t = draw(&a, w, h, &Theme::default());
        assert_eq!(t.backend().buffer().area.width, w);
    }
    let s = screen(&a, 20, 5);
    assert!(s.contains("need 60x16"), "{s}");
    let s = screen(&a, 30, 5);
    assert!(s.contains("need 60x16 (now 30x5)"), "{s}");
}

#[test]
fn ascii_mode_draws_only_ascii() {
    let a = app("hh-repetitive", 4000);
    let t = draw(
        &a,
        80,
        24,
        &Theme {
            ascii: true,
            ..Theme::default()
        },
    );
    let text = t.backend().to_string();
    assert!(text.is_ascii(), "{text}");
    assert!(text.contains("membrane voltage V (mV)"));
    insta::assert_snapshot!(text);
}

#[test]
fn no_color_keeps_reverse_and_bold() {
    let a = app("network-abc", 3000);
    let t = draw(
        &a,
        80,
        24,
        &Theme {
            color: false,
            depth: spikescope::ui::theme::ColorDepth::None,
            ascii: false,
        },
    );
    let buf = t.backend().buffer();
    let mut reversed = 0;
    for cell in buf.content.iter() {
        assert!(
            cell.fg == Color::Reset && cell.bg == Color::Reset,
            "a colour under NO_COLOR"
        );
        if cell.modifier.contains(Modifier::REVERSED) {
            reversed += 1;
        }
    }
    assert!(reversed > 0, "the selected neuron and PAUSED stay reversed");
    let colored = draw(&a, 80, 24, &Theme::default());
    assert!(
        colored
            .backend()
            .buffer()
            .content
            .iter()
            .any(|c| c.fg != Color::Reset)
    );
}

/// The screen's cost over SSH, deterministic: bytes crossterm writes per
/// frame in steady running (HH at its default speed and 30 fps), and for an
/// identical redraw. The free-running sweep changes only the columns it
/// advanced (README: about 200 bytes a frame at 80x24, 550 at 200x50).
#[test]
fn bytes_per_frame_stay_low() {
    use spikescope::ui::bytes_per_frame;
    for (w, h, budget) in [(80u16, 24u16, 500.0), (200, 50, 1200.0)] {
        let mut a = App::new(preset::load("hh-repetitive", &[]).unwrap());
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

/// The rows of a rendered screen, one string per row.
fn rows(a: &App, w: u16, h: u16) -> Vec<String> {
    let t = draw(a, w, h, &Theme::default());
    let buf = t.backend().buffer();
    (0..h)
        .map(|y| (0..w).map(|x| buf[(x, y)].symbol().to_string()).collect())
        .collect()
}

/// A network too large for a row per neuron: the selected neuron's row,
/// then the page of neurons that holds it, four to a Braille row.
#[test]
fn network_dense_raster() {
    let mut a = app("network-benchmark", 3000);
    a.selected = 30;
    insta::assert_snapshot!(screen(&a, 100, 30));
}

/// In the dense raster each neuron's dot row has one dot per spike of the
/// neuron (0.3 s of the first sweep: every spike is on screen, and no
/// neuron spikes twice within a bin of 2.8 ms), and the selected neuron's
/// own row a stroke per spike.
#[test]
fn dense_raster_has_a_dot_per_spike_in_its_neurons_row() {
    const LEFT: [u32; 4] = [0x01, 0x02, 0x04, 0x40];
    const RIGHT: [u32; 4] = [0x08, 0x10, 0x20, 0x80];
    let mut a = app("network-benchmark", 3000);
    a.selected = 30;
    let screen = rows(&a, 100, 40);
    let mut dots_on_page = 0;
    let spikes_of = |i: usize| a.probes.spikes().filter(|s| s.neuron == i).count();
    let selected_row = screen
        .iter()
        .find(|r| r.contains("│#30 "))
        .expect("the selected neuron's row");
    assert_eq!(selected_row.matches('|').count(), spikes_of(30));
    // The page of 30 at this size: 7 Braille rows of 4, neurons 28 to 55.
    for first in (28..56).step_by(4) {
        let label = format!("│#{first}-{} ", first + 3);
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
