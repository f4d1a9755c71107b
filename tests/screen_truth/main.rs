//! The screen against the engine: for every bundled preset, the oscilloscope
//! is driven headlessly for a stretch (and through sessions of keys, and to
//! where a run ends), every view is drawn at 60x16 (the smallest), 80x24,
//! 120x30 and 200x50, in colour, without it, and in ASCII (a LANG=C
//! terminal), and every number the status lines and the views' readouts
//! show is read off the screen and compared with what `spikescope run` (or
//! `replay`) wrote for the same time (its traces and spikes CSV) or, where
//! it writes nothing of it, with the closed forms of the notes computed
//! here. A number passes when it equals the truth to the digits it shows.
//! What each part of the screen is checked against: status.rs, views.rs,
//! weights.rs, cursors.rs (the time cursors' readout), timebase.rs (where
//! the time axes say they start), clamp.rs (the voltage clamp's lab
//! readouts), guidance.rs (the note of what changed), picture/ (the
//! scope's traces, the clamp family and the phase paths dot by dot against
//! the run's samples, the notes' graphs against their closed forms); how:
//! check.rs. With `SCREEN_TRUTH_UNREAD=1` each screen line holding a
//! number no check read is printed (to find what the checks are blind to).
#![allow(clippy::disallowed_methods)] // the platform's functions: an independent check

mod check;
mod clamp;
mod cursors;
mod guidance;
mod picture;
mod random_sets;
mod status;
mod timebase;
mod views;
mod weights;

use std::process::Command;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use spikescope::model::{AnyModel, ModelKind};
use spikescope::named::Named;
use spikescope::preset::{self, bundled};
use spikescope::ui::app::{App, RunState};
use spikescope::ui::render::render;
use spikescope::ui::theme::{ColorDepth, Theme};
use spikescope::view::Pane;

use check::{RunOutput, Traces, agrees, check_screen, numbers};
use random_sets::sets_off_defaults;
use status::lif_g;

/// What `spikescope run NAME --duration T` wrote.
fn run(name: &str, duration_s: f64) -> RunOutput {
    outputs(&["run", name, "--duration", &format!("{duration_s:e}")])
}

/// What `spikescope ARGS --out T --spikes S` wrote (`run` or `replay`).
fn outputs(args: &[&str]) -> RunOutput {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("t.csv");
    let spikes = dir.path().join("s.csv");
    let status = Command::new(env!("CARGO_BIN_EXE_spikescope"))
        .args(args)
        .arg("--out")
        .arg(&out)
        .arg("--spikes")
        .arg(&spikes)
        .output()
        .unwrap();
    assert!(status.status.success(), "{args:?}: {status:?}");
    let mut traces = csv::Reader::from_path(&out).unwrap();
    let header: Vec<String> = traces.headers().unwrap().iter().map(String::from).collect();
    let last = traces.records().last().unwrap().unwrap();
    let last = header
        .into_iter()
        .zip(last.iter().map(|x| x.parse::<f64>().unwrap()))
        .collect();
    let spikes = csv::Reader::from_path(&spikes)
        .unwrap()
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].parse().unwrap(), r[1].parse().unwrap())
        })
        .collect();
    RunOutput {
        last,
        spikes,
        traces: Traces::new(dir, out),
    }
}

/// Every number on every view of every bundled preset, at four sizes,
/// with and without colour and in ASCII, equals the engine's at that
/// instant.
#[test]
fn every_number_on_screen_is_the_engines() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for name in bundled::names() {
        let scenario = preset::load(name, &[]).unwrap();
        let dt = scenario.meta.dt_s;
        // A stretch into the run: 60% of the preset's duration, at most 1 s
        // of a large network.
        let steps = ((0.6 * scenario.meta.duration_s / dt).round() as u64).max(1);
        let mut app = App::new(scenario);
        app.guide_until = None;
        app.advance(steps);
        app.run = RunState::Paused;
        let t = app.sim.time_s();
        let run = run(name, t);
        assert_eq!(run.last["time_s"], t, "{name}: run ends where the app is");
        let (wrong, drawn) = check_every_view(name, &mut app, &run);
        failures.extend(wrong);
        checked += drawn;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(checked, bundled::names().count() * Pane::ALL.len() * 4 * 3);
}

fn model_kind(name: &str) -> ModelKind {
    preset::load(name, &[]).unwrap().model.kind()
}

fn owned(sets: &[&str]) -> Vec<String> {
    sets.iter().map(|s| s.to_string()).collect()
}

/// The same off the presets' defaults (the checks' own G had used the
/// preset's threshold and reset, and x in grid timing the stamp where the
/// engine delivers at the step's end), against `run` with the same `--set`s.
#[test]
fn every_number_on_screen_is_the_engines_under_sets() {
    let mut failures = Vec::new();
    for name in bundled::names() {
        for sets in sets_off_defaults(model_kind(name)) {
            failures.extend(stretch_under(name, &owned(sets), 0.6));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every view of `name` opened with `sets`, run for `share` of its
/// duration, against `run` with the same `--set`s; what disagrees.
fn stretch_under(name: &str, sets: &[String], share: f64) -> Vec<String> {
    let source = preset::PresetSource::resolve(name, sets).unwrap();
    let scenario = source.load().unwrap();
    let steps = ((share * scenario.meta.duration_s / scenario.meta.dt_s).round() as u64).max(1);
    let mut app = App::from_source(source).unwrap();
    app.guide_until = None;
    app.advance(steps);
    let mut args = vec!["run".to_string(), name.to_string()];
    for set in sets {
        args.extend(["--set".to_string(), set.clone()]);
    }
    let label = format!("{name} {}", sets.join(" "));
    // Sets that make the integration unstable (hh-rebound's -5 µA/cm² at
    // 25 oC with g_L 0.1, at dt = 25 µs): the oscilloscope pauses where
    // `run` stops, said in the same words, and there is no run to compare.
    if let RunState::Unstable(i) = &app.run {
        let t = steps as f64 * app.sim.dt_s();
        args.extend(["--duration".to_string(), format!("{t:e}")]);
        let out = Command::new(env!("CARGO_BIN_EXE_spikescope"))
            .args(&args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        let said = i.to_string();
        return if out.status.success() || !err.contains(&said) {
            vec![format!("{label}: the app stopped ({said}), run: {err}")]
        } else {
            Vec::new()
        };
    }
    app.run = RunState::Paused;
    // As a few seconds later: a note on a value's unit (`view.window = 1`
    // is read as 1 s) covers the neuron's line at 60x16 for its while.
    app.message = None;
    let t = app.sim.time_s();
    args.extend(["--duration".to_string(), format!("{t:e}")]);
    let run = outputs(&args.iter().map(String::as_str).collect::<Vec<_>>());
    if run.last["time_s"] != t {
        return vec![format!(
            "{label}: run ends at {}, the app at {t}",
            run.last["time_s"]
        )];
    }
    check_every_view(&label, &mut app, &run).0
}

/// And where a run ends: a protocol holds its picture at its end (`END`),
/// a run without one goes on past the preset's duration.
#[test]
fn every_number_on_screen_is_the_engines_at_the_end() {
    let mut failures = Vec::new();
    for name in bundled::names() {
        let scenario = preset::load(name, &[]).unwrap();
        let steps = (1.2 * scenario.meta.duration_s / scenario.meta.dt_s).round() as u64;
        let mut app = App::new(scenario);
        app.guide_until = None;
        app.advance(steps);
        let t = app.sim.time_s();
        let run = run(name, t);
        assert_eq!(run.last["time_s"], t, "{name}: run ends where the app is");
        failures.extend(check_every_view(name, &mut app, &run).0);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Draws every view of `app` at 60x16, 80x24, 120x30 and 200x50, in
/// colour, without it and in ASCII, and checks each against `run`; returns what disagrees and how
/// many screens were drawn.
fn check_every_view(name: &str, app: &mut App, run: &RunOutput) -> (Vec<String>, usize) {
    let themes = [
        Theme::default(),
        Theme {
            color: false,
            depth: ColorDepth::None,
            ascii: false,
        },
        Theme {
            color: false,
            depth: ColorDepth::None,
            ascii: true,
        },
    ];
    let sizes = [(60u16, 16u16), (80, 24), (120, 30), (200, 50)];
    // Named by the preset the session began with and, where the keys
    // opened another (`o`), the one open now: a failure on rate-arctan's
    // screen was headed `hh-clamp-family`.
    let origin = app
        .preset
        .origin
        .split(" with --set")
        .next()
        .unwrap_or_default();
    let label = if name.split(' ').next() == Some(origin) {
        name.to_string()
    } else {
        format!("{name} (now {origin})")
    };
    let name = label.as_str();
    let mut failures = guidance::check(name, app, &sizes, &themes);
    let mut checked = 0;
    for &pane in Pane::ALL {
        app.view.pane = pane;
        for (w, h) in sizes {
            for theme in &themes {
                let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
                term.draw(|f| render(f, app, theme)).unwrap();
                let buf = term.backend().buffer();
                let screen: String = (0..h)
                    .map(|y| {
                        let row: String = (0..w).map(|x| buf[(x, y)].symbol()).collect();
                        row.trim_end().to_string() + "\n"
                    })
                    .collect();
                for problem in check_screen(name, app, (&screen, theme), run) {
                    failures.push(format!("{name} {pane:?} {w}x{h}: {problem}\n{screen}"));
                }
                checked += 1;
            }
        }
    }
    (failures, checked)
}

/// Drives every bundled preset through `keys` (given the app and the
/// preset's duration in steps) while recording, replays the journal
/// (`spikescope replay --out --spikes`: its last run is the truth) and
/// checks every view against it; returns what disagrees.
fn after_a_session(keys: impl Fn(&str, &mut App, u64)) -> Vec<String> {
    after_a_session_under(|_| Vec::new(), keys)
}

/// `after_a_session`, each preset opened with the `--set`s given for it.
fn after_a_session_under(
    sets: impl Fn(&str) -> Vec<String>,
    keys: impl Fn(&str, &mut App, u64),
) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for name in bundled::names() {
        let sets = sets(name);
        let source = preset::PresetSource::resolve(name, &sets).unwrap();
        let mut app = App::from_source(source).unwrap();
        app.guide_until = None;
        let journal = dir.path().join(format!("{name}.journal"));
        app.record_to(&journal).unwrap();
        app.run = RunState::Running;
        let steps = (app.preset.duration_s / app.sim.dt_s()).round() as u64;
        keys(name, &mut app, steps);
        // A session the keys drove into a runaway (tau_ref 0 and weights
        // raised) ends its last run unstable, and the replay stops there
        // as the session did, writing nothing to compare.
        let unstable = matches!(app.run, RunState::Unstable(_));
        // Paused as a student reads a screen; a held sweep stays held.
        if app.running() {
            app.run = RunState::Paused;
        }
        assert!(app.finish_journal().is_none(), "{name}");
        if unstable {
            let out = Command::new(env!("CARGO_BIN_EXE_spikescope"))
                .args(["replay", journal.to_str().unwrap()])
                .arg("--out")
                .arg(dir.path().join("unstable.csv"))
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                !out.status.success() && err.contains("(as in the recorded session)"),
                "{name}: the session ended unstable, the replay: {err}"
            );
            continue;
        }
        let replayed = outputs(&["replay", journal.to_str().unwrap()]);
        assert_eq!(
            replayed.last["time_s"],
            app.sim.time_s(),
            "{name}: the replay ends where the session did"
        );
        failures.extend(check_every_view(name, &mut app, &replayed).0);
    }
    failures
}

/// The same after a session of keys, as a student would drive it: the
/// input raised a coarse step, another neuron selected and its bias raised
/// (networks; in a filter bank, Tab picks the filter the cursors read), a
/// parameter changed in the panel (HH's temperature, LIF's tau_m, a
/// network's PSC order and tau_s), a reset, the run going on between, and
/// at the end both time cursors moved.
#[test]
fn every_number_on_screen_is_the_engines_after_keys() {
    let failures = after_a_session(student_keys);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// And the same session started with `--set`s: a network on grid timing
/// with second-order filters, the other models with the first of their
/// sets off the defaults (the panel's changes differ from both).
#[test]
fn every_number_on_screen_is_the_engines_after_keys_under_sets() {
    let sets = |name: &str| {
        let kind = model_kind(name);
        owned(sets_off_defaults(kind)[usize::from(kind == ModelKind::Network)])
    };
    let failures = after_a_session_under(sets, student_keys);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The keys of `every_number_on_screen_is_the_engines_after_keys` over a
/// preset's `steps`.
fn student_keys(name: &str, app: &mut App, steps: u64) {
    use spikescope::ui::command::Command as Key;
    app.advance(3 * steps / 10);
    app.apply(Key::AdjustInput { fine_steps: 10 });
    app.advance(2 * steps / 10);
    if app.sim.model.neuron_count() > 1 {
        app.apply(Key::SelectNext);
        app.apply(Key::AdjustBias { tenths: 3 });
    }
    if matches!(&app.sim.model, AnyModel::Synapse(b) if b.names.len() > 1) {
        app.apply(Key::SelectNext);
    }
    let changes: &[(i32, &str)] = match &app.sim.model {
        AnyModel::Hh(_) => &[(7, "5")],
        AnyModel::Lif(_) => &[(0, "30")],
        AnyModel::Network(_) => &[(3, "1"), (2, "8")],
        _ => &[],
    };
    for &(row, value) in changes {
        app.apply(Key::OpenParams);
        app.apply(Key::MoveParam(-100));
        app.apply(Key::MoveParam(row));
        app.apply(Key::EditParam);
        app.apply(Key::SetParam(value.into()));
        app.apply(Key::Back);
        assert_eq!(
            app.changed.len(),
            1 + changes.iter().position(|c| c.0 == row).unwrap(),
            "{name}: {:?}",
            app.message
        );
    }
    app.advance(steps / 10);
    app.apply(Key::Reset);
    app.advance(steps / 5);
    // Both time cursors, moved off their places.
    app.apply(Key::CycleCursors);
    app.apply(Key::MoveCursor(3));
    app.apply(Key::CycleCursors);
    app.apply(Key::MoveCursor(-4));
}

/// And after the keys of the time base and the input's entry: faster, the
/// window zoomed in, the spike-triggered sweep, a value typed for the
/// input, a step at a time and a window of steps while paused, the last
/// neuron chosen by its number.
#[test]
fn every_number_on_screen_is_the_engines_after_time_keys() {
    use spikescope::ui::command::Command as Key;
    let failures = after_a_session(|_, app, steps| {
        app.apply(Key::Faster);
        app.apply(Key::ZoomIn);
        app.apply(Key::ToggleTrigger);
        app.advance(2 * steps / 5);
        let level = app.input_level();
        app.apply(Key::SetInput(if level == 0.0 { 0.5 } else { 0.8 * level }));
        app.advance(steps / 10);
        app.apply(Key::TogglePause);
        for _ in 0..7 {
            app.apply(Key::StepOnce);
        }
        app.apply(Key::StepSweep);
        app.apply(Key::Select(app.sim.model.neuron_count() - 1));
        app.apply(Key::TogglePause);
        app.advance(steps / 10);
        // A single shot, held once its sweep is captured.
        app.apply(Key::SingleShot);
        app.advance(steps / 5);
        // As a few seconds later: at 60x16 a message of two lines (a rate
        // model's `t` says why it has no spike trigger) covers the
        // neuron's line for its while.
        app.message = None;
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The rate falls to a bound, then to –, once firing stops: lif-below, Up
/// twice (v_in 1.1 fires at G = 20.02 Hz), then Down twice.
#[test]
fn the_rate_is_not_stale_after_firing_stops() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let mut app = App::new(preset::load("lif-below", &[]).unwrap());
    app.guide_until = None;
    let key = |app: &mut App, k| app.on_key(KeyEvent::new(k, KeyModifiers::NONE));
    key(&mut app, KeyCode::Up);
    key(&mut app, KeyCode::Up);
    app.advance(5000);
    let status = |app: &App| {
        let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
        term.draw(|f| render(f, app, &Theme::default())).unwrap();
        term.backend().to_string()
    };
    assert!(status(&app).contains("rate 20.02 Hz"), "{}", status(&app));
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    app.advance(600);
    // The bounds are what the silence since the last spike allows: at most
    // 1/silence, an interval of at least the silence.
    let s = status(&app);
    let last = app
        .traces
        .probes
        .spikes_from(0.0)
        .map(|sp| sp.time_s)
        .fold(f64::NAN, f64::max);
    let silent_s = app.sim.time_s() - last;
    let rate = numbers(&s, r"rate < (-?[0-9.e-]+) Hz");
    let isi = numbers(&s, r"ISI > (-?[0-9.e-]+) ms");
    assert!(rate.len() == 1 && agrees(&rate[0], 1.0 / silent_s), "{s}");
    assert!(isi.len() == 1 && agrees(&isi[0], silent_s * 1e3), "{s}");
    app.advance(2000);
    let s = status(&app);
    assert!(
        s.contains("rate –  ISI –") && !s.contains("20.02 Hz"),
        "{s}"
    );
}

/// An input a hair above the threshold shows the digits that part them:
/// lif-ramp's step to t = 2.0001 s drives v_in = 1.000025 (the ramp at the
/// step's middle), where G is already 4.674 Hz; to four digits it read
/// `v_in 1.000` beside `G 4.674 Hz`, and G(1.000) is 0. The G shown is G
/// of the v_in shown, to its four digits.
#[test]
fn an_input_beside_the_threshold_shows_the_digits_that_part_them() {
    let mut app = App::new(preset::load("lif-ramp", &[]).unwrap());
    app.guide_until = None;
    app.advance(20001);
    app.run = RunState::Paused;
    app.view.pane = Pane::Rate;
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    term.draw(|f| render(f, &app, &Theme::default())).unwrap();
    let screen = term.backend().to_string();
    assert!(screen.contains("v_in 1.000025: G 4.674 Hz"), "{screen}");
    let g = lif_g(1.000025, 0.02, 0.002);
    assert!(agrees("4.674", g), "G(1.000025) = {g}");
    assert!(
        screen.contains("v_in 1.000025  → 5.000 at 10 s"),
        "{screen}"
    );
}

/// And after sessions of 60 keys drawn at random (two seeds a preset): the
/// input stepped and typed, the neuron by Tab and by number, its bias, the
/// time base, the sweep and its trigger, single shots, the views, the
/// explored filter up and down, the PSC view's log scale, cursors, a reference, resets, steps while paused, f-I
/// sweeps, the model switched, presets opened, the panel's rows changed,
/// the run going on between; any overlay closed and any message gone
/// before the screens are read.
#[test]
fn every_number_on_screen_is_the_engines_after_random_keys() {
    for seed in [1u64, 2] {
        let failures = after_a_session(random_keys(seed));
        assert!(failures.is_empty(), "seed {seed}:\n{}", failures.join("\n"));
    }
}

/// A session of 60 keys drawn at random, the same for a preset and seed:
/// those above, and an f-I sweep, the model switched (`m` opens another
/// preset), another preset opened and a panel's row changed.
fn random_keys(seed: u64) -> impl Fn(&str, &mut App, u64) {
    use spikescope::ui::command::Command as Key;
    move |name, app, steps| {
        // A fixed sequence per preset and seed (xorshift).
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ name.len() as u64;
        let mut next = |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        for _ in 0..60 {
            let key = match next(32) {
                0 | 1 => Key::AdjustInput {
                    fine_steps: next(21) as i32 - 10,
                },
                2 => Key::SelectNext,
                3 => Key::SelectPrevious,
                4 => Key::AdjustBias {
                    tenths: next(5) as i32 - 2,
                },
                5 => Key::Faster,
                6 => Key::Slower,
                7 => Key::ZoomIn,
                8 => Key::ZoomOut,
                9 => Key::ToggleTrigger,
                10 => Key::StepOnce,
                11 => Key::StepSweep,
                12 => Key::TogglePause,
                13 => Key::ShowPane(Pane::ALL[next(Pane::ALL.len() as u64) as usize]),
                14 => Key::AdjustOrder { by: 1 },
                15 => Key::AdjustTauS { halves: 1 },
                16 => Key::CycleCursors,
                17 => Key::MoveCursor(next(11) as i32 - 5),
                18 => Key::ToggleReference,
                19 => Key::Reset,
                20 => Key::SingleShot,
                21 => Key::AdjustPreTrigger {
                    tenths: next(5) as i32 - 2,
                },
                22 => Key::Select(next(app.sim.model.neuron_count() as u64) as usize),
                23 => Key::FiSweep,
                24 => Key::SwitchModel,
                // Another bundled preset opened (the 1,000-neuron
                // benchmark aside, for time), or the view's next pane.
                26 => {
                    let names: Vec<&str> = bundled::names()
                        .filter(|&n| n != "network-benchmark")
                        .collect();
                    Key::OpenPreset(names[next(names.len() as u64) as usize].into())
                }
                27 => Key::NextPane,
                28 => Key::AdjustOrder { by: -1 },
                29 => Key::AdjustTauS { halves: -1 },
                30 => Key::TogglePscLogScale,
                // A row of the parameters panel given a value (refused
                // where it is out of the row's range), or toggled.
                25 => {
                    app.apply(Key::OpenParams);
                    app.apply(Key::MoveParam(-100));
                    app.apply(Key::MoveParam(next(10) as i32));
                    app.apply(Key::EditParam);
                    let value = [
                        "5", "12", "0.5", "30", "1", "2", "0.8", "0.05", "-0.5", "100", "0",
                    ][next(11) as usize];
                    app.apply(Key::SetParam(value.into()));
                    Key::Back
                }
                _ => Key::SetInput(app.input_level() * (0.5 + next(100) as f64 / 100.0)),
            };
            app.apply(key);
            app.advance(next(steps / 10 + 1));
        }
        app.apply(Key::Back);
        app.message = None;
        // A preset `m` opened shows its guidance for a while, as the first
        // one did before the session.
        app.guide_until = None;
    }
}
