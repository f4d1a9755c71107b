//! No input makes spikescope panic: arbitrary bytes and arbitrary TOML into
//! the preset parser, random keys and screen sizes into the oscilloscope's
//! update and render, with their invariants held (proptest).

mod common;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use spikescope::preset;
use spikescope::ui::app::App;
use spikescope::ui::render::render;
use spikescope::ui::theme::Theme;

/// Keys of the format and values of every kind, good and bad.
fn toml_line() -> impl Strategy<Value = String> {
    let keys = prop::sample::select(common::PRESET_KEYS.to_vec());
    let values = prop::sample::select(vec![
        "0",
        "-1",
        "1e308",
        "-1e308",
        "nan",
        "inf",
        "-inf",
        "0.0001",
        "2",
        "1.5",
        "\"20 ms\"",
        "\"0 s\"",
        "\"-5 ms\"",
        "\"10 parsecs\"",
        "\"hh\"",
        "\"lif\"",
        "\"network\"",
        "\"rate\"",
        "\"synapse\"",
        "\"spikes\"",
        "\"clamp\"",
        "\"noise\"",
        "\"softmax\"",
        "\"grid\"",
        "[]",
        "[[]]",
        "[1.0, 2.0]",
        "[[0.0, 1.0], [1.0, 0.0]]",
        "[[0.1]]",
        "[\"1 ms\", \"2 ms\"]",
        "{ low = 0.0, high = 1.0 }",
        "[{ tau_s = \"1 ms\" }]",
        "true",
        "9999999999999",
    ]);
    let tables = prop::sample::select(
        std::iter::once("")
            .chain(common::PRESET_SECTIONS.iter().copied())
            .collect::<Vec<_>>(),
    );
    (tables, keys, values).prop_map(|(t, k, v)| {
        if t.is_empty() {
            format!("{k} = {v}\n")
        } else {
            format!("{t}\n{k} = {v}\n")
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = preset::parse("fuzz", &text);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.toml");
        std::fs::write(&path, &bytes).unwrap();
        let _ = preset::load(path.to_str().unwrap(), &[]);
    }

    /// Presets assembled from real keys and hostile values either fail with
    /// a located message or run without panicking.
    #[test]
    fn arbitrary_toml_never_panics(
        model in prop::sample::select(vec!["hh", "lif", "network", "rate", "synapse"]),
        lines in prop::collection::vec(toml_line(), 0..8),
    ) {
        let text = format!("model = \"{model}\"\n{}", lines.concat());
        match preset::parse("fuzz.toml", &text) {
            Err(e) => prop_assert!(e.to_string().starts_with("fuzz.toml")),
            Ok(s) => {
                let (_, mut sim) = s.into_simulation();
                for _ in 0..50 {
                    if sim.step().is_err() {
                        break;
                    }
                }
            }
        }
    }

    /// Random keys and screen sizes: no panic, the ring buffers stay within
    /// their capacity, time never runs backwards, the state stays finite
    /// (or the app says it is not and has paused).
    #[test]
    fn random_keys_and_sizes_keep_the_invariants(
        preset_name in prop::sample::select(vec!["hh-repetitive", "lif-constant", "network-abc", "network-abc grid", "network-ei", "rate-softmax", "psc-orders", "hh-clamp"]),
        keys in prop::collection::vec(prop::sample::select(vec![
            'k', 'j', 'l', 'h', ' ', '.', '>', ']', '[', 'z', 'x', 't', '+', '-', '1', '2', '3', '4',
            '5', '6', 'v', 'n', 'N', 'r', 'e', '?', '=', '9', 'i', 'o', 'm', 's', '(', ')', '{', '}',
            'a', ',', 'g',
        ]), 0..60),
        sizes in prop::collection::vec((0u16..220, 0u16..70), 1..6),
    ) {
        let dir = tempfile::tempdir().unwrap();
        // "NAME grid": the preset on grid spike timing.
        let (name, sets) = match preset_name.split_once(' ') {
            Some((name, _)) => (name, vec!["network.spike_timing=grid".to_string()]),
            None => (preset_name, vec![]),
        };
        let mut app = App::new(preset::load(name, &sets).unwrap());
        app.export_dir = dir.path().to_path_buf();
        let mut last_t = app.sim.time_s();
        let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
        for (n, c) in keys.iter().enumerate() {
            let code = match c {
                'x' if n % 7 == 0 => KeyCode::Esc,
                'h' if n % 5 == 0 => KeyCode::Enter,
                'j' if n % 3 == 0 => KeyCode::Tab,
                c => KeyCode::Char(*c),
            };
            app.on_key(KeyEvent::new(code, KeyModifiers::NONE));
            // Reset, a model switch and opening a preset start time again.
            if matches!(code, KeyCode::Char('r') | KeyCode::Char('m') | KeyCode::Enter) {
                last_t = 0.0;
            }
            app.run_pending();
            app.advance(37);
            let (w, h) = sizes[n % sizes.len()];
            term.backend_mut().resize(w, h);
            term.resize(ratatui::layout::Rect::new(0, 0, w, h)).unwrap();
            term.draw(|f| render(f, &app, &Theme::default())).unwrap();
            prop_assert!(app.traces.probes.len() <= app.traces.probes.capacity());
            prop_assert!(app.sim.time_s() >= last_t, "time ran backwards");
            last_t = app.sim.time_s();
            let mut v = Vec::new();
            app.sim.model.record(app.sim.input(), &mut v);
            prop_assert!(
                v.iter().all(|x| x.is_finite())
                    || matches!(app.run, spikescope::ui::app::RunState::Unstable(_))
            );
            if app.run == spikescope::ui::app::RunState::Quit {
                break;
            }
        }
    }
}
