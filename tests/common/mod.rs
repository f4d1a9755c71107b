//! What several test files share: the preset keys and sections a fuzzer or
//! a property test puts in, the binary run to its end, and the
//! oscilloscope drawn without colour at 80x24 as a user with NO_COLOR sees
//! it.
#![allow(dead_code)] // each test file uses its part

pub mod drawn;
pub mod export;
pub mod journal;
pub mod params;
pub mod press;
pub mod refdata;
pub mod rusage;
pub mod svg;
pub mod viewer;

use std::process::{Command, Output};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use spikescope::preset;
use spikescope::ui::app::{App, RunState};
use spikescope::ui::render::render;
use spikescope::ui::theme::{ColorDepth, Theme};

/// Keys of the preset format (and a few of one section put in another).
pub const PRESET_KEYS: &[&str] = &[
    "model",
    "dt",
    "duration",
    "tau_m",
    "tau_ref",
    "tau_s",
    "psc_order",
    "spike_timing",
    "g_na",
    "g_k",
    "g_l",
    "c_m",
    "temperature",
    "v_init",
    "kind",
    "amplitude",
    "start",
    "stop",
    "width",
    "period",
    "count",
    "sigma",
    "seed",
    "weights",
    "bias",
    "augmented",
    "names",
    "n",
    "p",
    "rate",
    "times",
    "levels",
    "hold",
    "activation",
    "tau",
    "filters",
    "neurons",
    "method",
    "window",
    "pane",
    "trigger",
    "v_in",
    "e_na",
];

/// The sections of the preset format, as headers.
pub const PRESET_SECTIONS: &[&str] = &[
    "[hh]",
    "[lif]",
    "[network]",
    "[network.random]",
    "[rate]",
    "[synapse]",
    "[stimulus]",
    "[[stimuli]]",
    "[view]",
];

/// The binary under test, in a UTF-8 locale whatever the tests run in (its
/// lines are ASCII in any other: `cli.rs::lines_follow_the_locale`).
pub fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_spikescope"));
    cmd.env("LC_ALL", "C.UTF-8");
    cmd
}

/// Runs the binary with `args` to its end.
pub fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("the binary runs")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub const NO_COLOR: Theme = Theme {
    color: false,
    depth: ColorDepth::None,
    ascii: false,
};

/// The screen at 80x24 without colour, as text.
pub fn screen(a: &App) -> String {
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    t.draw(|f| render(f, a, &NO_COLOR)).unwrap();
    t.backend().to_string()
}

/// The screen at 80x24 in ASCII without colour (LANG=C), as text.
pub fn ascii_screen(a: &App) -> String {
    let ascii = Theme {
        ascii: true,
        ..NO_COLOR
    };
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    t.draw(|f| render(f, a, &ascii)).unwrap();
    t.backend().to_string()
}

/// The screen at `w` x `h` without colour, a string per row.
pub fn rows(a: &App, w: u16, h: u16) -> Vec<String> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| render(f, a, &NO_COLOR)).unwrap();
    let buf = t.backend().buffer();
    (0..h)
        .map(|y| (0..w).map(|x| buf[(x, y)].symbol().to_string()).collect())
        .collect()
}

/// The message on the status line, or "" without one.
pub fn message(a: &App) -> String {
    a.message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

/// A bundled preset in the oscilloscope, advanced `steps` and paused, its
/// guidance closed.
pub fn paused_app(name: &str, steps: u64) -> App {
    let mut a = App::from_source(preset::PresetSource::resolve(name, &[]).unwrap()).unwrap();
    a.guide_until = None;
    a.advance(steps);
    a.run = RunState::Paused;
    a
}

/// The notes' LIF rate in closed form (1.2.2): G(v_in) = 1 / (tau_ref -
/// tau_m ln(1 - 1/v_in)) for v_in > 1, else 0 (times in seconds).
#[allow(clippy::disallowed_methods)] // the platform's ln: an independent check
pub fn g(v_in: f64, tau_m: f64, tau_ref: f64) -> f64 {
    if v_in <= 1.0 {
        0.0
    } else {
        1.0 / (tau_ref - tau_m * (1.0 - 1.0 / v_in).ln())
    }
}

/// Whether this system has /dev/full, Linux's device that is always full,
/// for the tests of a full disk; where it has none, the test says so.
pub fn has_dev_full() -> bool {
    let has = std::path::Path::new("/dev/full").exists();
    if !has {
        eprintln!("no /dev/full here: a full disk is not tested");
    }
    has
}
