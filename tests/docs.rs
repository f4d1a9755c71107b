//! The documentation's examples are real: every ```toml block of
//! presets/README.md and README.md is a complete preset that parses, and every
//! key of the format appears in presets/README.md.

use spikescope::preset;

fn toml_blocks(path: &str) -> Vec<(usize, String)> {
    let text = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap();
    let mut blocks = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (n, line) in text.lines().enumerate() {
        match (&mut current, line.trim_start()) {
            (None, l) if l.starts_with("```toml") => current = Some((n + 1, String::new())),
            (Some(_), l) if l.starts_with("```") => blocks.push(current.take().unwrap()),
            (Some((_, b)), _) => {
                b.push_str(line);
                b.push('\n');
            }
            _ => {}
        }
    }
    blocks
}

#[test]
fn every_example_parses() {
    for path in ["presets/README.md", "README.md"] {
        let blocks = toml_blocks(path);
        assert!(!blocks.is_empty(), "{path} has examples");
        for (line, block) in blocks {
            if let Err(e) = preset::parse(&format!("{path}:{line}"), &block) {
                panic!("the example at {path}:{line} does not parse:\n{e}");
            }
        }
    }
}

#[test]
fn every_key_is_documented() {
    let text: String = toml_blocks("presets/README.md")
        .into_iter()
        .map(|(_, b)| b)
        .collect();
    let keys = [
        "name",
        "description",
        "model",
        "duration",
        "dt",
        "[hh]",
        "c_m",
        "g_na",
        "g_k",
        "g_l",
        "e_na",
        "e_k",
        "e_l",
        "temperature",
        "v_init",
        "method",
        "[lif]",
        "tau_m",
        "tau_ref",
        "[stimulus]",
        "[[stimuli]]",
        "kind",
        "amplitude",
        "offset",
        "start",
        "stop",
        "width",
        "period",
        "count",
        "frequency",
        "phase",
        "sigma",
        "seed",
        "neurons",
        "hold",
        "levels",
        "times",
        "rate",
        "poisson",
        "[network]",
        "neuron",
        "tau_s",
        "psc_order",
        "names",
        "weights",
        "bias",
        "augmented",
        "[network.random]",
        "n =",
        "p =",
        "excitatory",
        "weight =",
        "weight_inhibitory",
        "weight_ref_inputs",
        "[rate]",
        "activation",
        "tau =",
        "y_init",
        "[synapse]",
        "filters",
        "order",
        "[view]",
        "window",
        "selected",
        "trigger",
        "speed",
        "pane",
        "paused",
    ];
    for k in keys {
        assert!(text.contains(k), "presets/README.md never shows `{k}`");
    }
    for kind in [
        "constant", "step", "pulses", "ramp", "sine", "noise", "clamp", "spikes",
    ] {
        assert!(
            text.contains(&format!("kind = \"{kind}\"")),
            "no example of kind {kind}"
        );
    }
}

/// The README's figure is what the command under it draws today: the same
/// image, pixel for pixel (a change to the figures must draw it again).
#[test]
fn the_readme_figure_is_what_run_plot_draws() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let command = "spikescope run hh-bistable --plot hh-bistable.png";
    assert!(readme.contains(command));
    assert!(readme.contains("](docs/hh-bistable.png)"));
    let dir = tempfile::tempdir().unwrap();
    let drawn = dir.path().join("hh-bistable.png");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_spikescope"))
        .args(["run", "hh-bistable", "--plot", drawn.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let pixels = |p: &std::path::Path| image::open(p).unwrap().to_rgb8().into_raw();
    assert!(
        pixels(&drawn) == pixels(&root.join("docs/hh-bistable.png")),
        "docs/hh-bistable.png is not what `{command}` draws: draw it again"
    );
}

/// The README's picture of the oscilloscope is what it draws today:
/// hh-repetitive paused at 150 ms in a terminal of 100x30 (a change to the
/// screen must draw it again; it showed `1-6 views` after views 7 and 8
/// had come).
#[test]
fn the_readme_screen_is_what_the_oscilloscope_draws() {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use spikescope::ui::app::{App, RunState};
    use spikescope::ui::render::render;
    use spikescope::ui::theme::Theme;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let start = readme
        .find("```\n spikescope ─ HH: repetitive firing")
        .expect("the README's screen")
        + 4;
    let shown: Vec<&str> = readme[start..]
        .lines()
        .take_while(|l| *l != "```")
        .collect();
    let mut app = App::new(preset::load("hh-repetitive", &[]).unwrap());
    app.guide_until = None;
    app.advance(3000);
    app.run = RunState::Paused;
    let mut t = Terminal::new(TestBackend::new(100, 30)).unwrap();
    t.draw(|f| render(f, &app, &Theme::default())).unwrap();
    let buf = t.backend().buffer();
    let drawn: Vec<String> = (0..30)
        .map(|y| {
            let row: String = (0..100).map(|x| buf[(x, y)].symbol()).collect();
            row.trim_end().to_string()
        })
        .collect();
    let shown: Vec<String> = shown.iter().map(|l| l.trim_end().to_string()).collect();
    assert!(
        shown == drawn,
        "README.md's screen is not what the oscilloscope draws; today:\n{}",
        drawn.join("\n")
    );
}
