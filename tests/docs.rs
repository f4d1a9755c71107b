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
