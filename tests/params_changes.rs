//! What the oscilloscope says of the parameters panel's changes once they
//! are made: the guidance's note of what changed since the preset opened,
//! the command line for a change the run's dt cannot take, and the header
//! naming what the command line set (the panel itself: params_panel.rs).
#![allow(clippy::disallowed_methods)] // the platform's functions: an independent check

mod common;

use common::params::{choose, hh_state};
use common::screen;

use spikescope::model::AnyModel;
use spikescope::preset::PresetSource;
use spikescope::ui::app::{App, RunState};
use spikescope::ui::command::Command;

fn app(name: &str, steps: u64) -> App {
    common::paused_app(name, steps)
}

/// The guidance (`a`) as drawn, its wrapped lines joined: the text between
/// its title and its closing line.
fn guidance(a: &mut App) -> String {
    a.apply(Command::ShowGuide);
    let text = screen(a);
    a.apply(Command::Back);
    let rows: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.contains("look at:"))
        .skip(1)
        .take_while(|l| !l.contains("Esc closes"))
        .map(|l| l.trim_matches(|c| c == '│' || c == '"').trim())
        .collect();
    rows.join(" ")
}

/// What `(Changed while running: ...)` lists, or None.
fn changes(guide: &str) -> Option<String> {
    let (_, rest) = guide.split_once("(Changed while running: ")?;
    let (list, tail) = rest.split_once(": where the words above")?;
    assert!(
        tail.starts_with(" give the preset's values, this run's differ.)"),
        "{tail}"
    );
    Some(list.to_string())
}

/// The neurons whose biases the note lists, each read against the
/// engine's bias to the four digits the screen shows.
fn biases_said(guide: &str, engine: &[f64]) -> Vec<usize> {
    let list = changes(guide).expect("a note");
    list.split(", ")
        .map(|part| {
            let (neuron, value) = part
                .strip_prefix('#')
                .and_then(|p| p.split_once("'s bias "))
                .unwrap_or_else(|| panic!("{part}"));
            let (i, said): (usize, f64) = (neuron.parse().unwrap(), value.parse().unwrap());
            assert!(
                (said - engine[i]).abs() <= 5e-4 * engine[i].abs(),
                "#{i}: {said} against {}",
                engine[i]
            );
            i
        })
        .collect()
}

/// Once the keys or the panel change the run, the guidance, which gives the
/// preset's values and what pressing keys from them does, ends by saying
/// what changed, each value the engine's; changed back, the note goes.
#[test]
fn the_guidance_says_what_changed_since_the_preset_opened() {
    let mut a = app("hh-repetitive", 100);
    let bare = guidance(&mut a);
    assert!(bare.ends_with("This is the built-in default."), "{bare}");
    assert_eq!(changes(&bare), None);
    a.apply(Command::AdjustInput { fine_steps: 20 });
    choose(&mut a, 0);
    a.apply(Command::SetParam("30".into()));
    let g_na = hh_state(&a).4;
    let guide = guidance(&mut a);
    assert!(guide.starts_with(&bare), "{guide}");
    assert_eq!(
        changes(&guide).as_deref(),
        Some(format!("J_in {} µA/cm², hh.g_na={g_na}", a.input_level()).as_str()),
        "{guide}"
    );
    assert_eq!((a.input_level(), g_na), (12.0, 30.0));
    // The input back where the preset had it: the panel's change stays.
    a.apply(Command::AdjustInput { fine_steps: -20 });
    assert_eq!(changes(&guidance(&mut a)).as_deref(), Some("hh.g_na=30"));
    // A level off the keys' grid (a thousandth of a µA/cm²) comes back
    // whole, not rounded onto it.
    let set = ["stimulus.amplitude=6.2375".to_string()];
    let mut a = App::from_source(PresetSource::resolve("hh-repetitive", &set).unwrap()).unwrap();
    a.apply(Command::AdjustInput { fine_steps: 10 });
    assert_eq!(a.input_level(), 7.238);
    a.apply(Command::AdjustInput { fine_steps: -10 });
    assert_eq!(a.input_level(), 6.2375);
    assert_eq!(changes(&guidance(&mut a)), None);

    let mut a = app("network-ei", 100);
    let opened = a.biases().unwrap().to_vec();
    a.apply(Command::AdjustBias { tenths: 1 });
    a.apply(Command::Select(3));
    a.apply(Command::AdjustBias { tenths: -2 });
    let now = a.biases().unwrap().to_vec();
    assert!((now[0] - opened[0] - 0.1).abs() < 1e-6);
    let guide = guidance(&mut a);
    assert_eq!(biases_said(&guide, &now), [0, 3]);
    // #0 back to its drawn bias: only #3 differs.
    a.apply(Command::Select(0));
    a.apply(Command::AdjustBias { tenths: -1 });
    assert_eq!(a.biases().unwrap()[0], opened[0]);
    let guide = guidance(&mut a);
    assert_eq!(biases_said(&guide, a.biases().unwrap()), [3]);
}

/// The dt the preset loads at when opened as the panel's error for
/// parameters the run's dt cannot take says: `spikescope [PRESET] --set
/// KEY=VALUE...` (no preset: the built-in default).
fn dt_of_command_in(e: &str) -> f64 {
    let at = e
        .find("spikescope")
        .unwrap_or_else(|| panic!("no command in {e}"));
    let words = shell_words::split(&e[at..].replace('\n', " ")).unwrap();
    let (preset, sets) = match words.get(1).map(String::as_str) {
        Some("--set") => (None, &words[1..]),
        _ => (Some(&words[1]), &words[2..]),
    };
    assert!(sets.chunks(2).all(|w| w[0] == "--set"), "{words:?}");
    let overrides: Vec<String> = sets.chunks(2).map(|w| w[1].clone()).collect();
    let scenario = match preset {
        Some(p) => PresetSource::resolve(p, &overrides).unwrap().load(),
        None => spikescope::preset::load_text(
            spikescope::preset::bundled::DEFAULT_ORIGIN,
            spikescope::preset::bundled::DEFAULT_PRESET,
            &overrides,
        ),
    };
    scenario.unwrap().meta.dt_s
}

/// A run keeps its dt, so a change that needs a smaller one is refused,
/// with the command that opens the preset with it. HH at 30 °C is unstable
/// at the built-in default's 50 µs (rk4's limit there is 20.6 µs): the
/// command sets its own dt, the one these parameters take (2.5 µs); a
/// preset with no dt of its own (hh-fast) takes it by itself, and the
/// command line's overrides go with the change, each key once. Where the
/// parameters' own dt is beyond their limit, a round one within it.
#[test]
fn a_change_the_runs_dt_cannot_take_says_how_to_run_it() {
    let mut a = App::from_source(PresetSource {
        origin: spikescope::preset::bundled::DEFAULT_ORIGIN.into(),
        text: spikescope::preset::bundled::DEFAULT_PRESET.into(),
        overrides: vec![],
    })
    .unwrap();
    a.advance(100);
    let t = a.sim.time_s();
    assert_eq!(a.change_param("hh.temperature", Some("20")), Ok(()));
    let e = a.change_param("hh.temperature", Some("30")).unwrap_err();
    assert!(
        e.starts_with(
            "these parameters need dt <= 20.59969 µs and this run's dt is 50 µs: open the preset \
             again with them: spikescope --set hh.temperature=30 --set dt=2.5us"
        ),
        "{e}"
    );
    // Nothing changed: the run goes on at 20 °C.
    assert_eq!(a.changed, [("hh.temperature".into(), "20".into())]);
    assert_eq!(a.sim.time_s(), t);
    assert_eq!(dt_of_command_in(&e), 2.5e-6);

    let mut a = App::from_source(
        PresetSource::resolve(
            "hh-fast",
            &["hh.temperature=6.3".into(), "hh.g_k=30".into()],
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(a.sim.dt_s(), 5e-5);
    let e = a.change_param("hh.temperature", Some("30")).unwrap_err();
    assert!(
        e.starts_with(
            "these parameters take dt = 2.5 µs and this run's dt is 50 µs: open the preset \
             again with them: spikescope hh-fast --set hh.g_k=30 --set hh.temperature=30"
        ),
        "{e}"
    );
    assert_eq!(dt_of_command_in(&e), 2.5e-6);

    // A LIF neuron takes 0.1 ms whatever its tau_m, but no step longer
    // than tau_m: the command's dt is the round one within the limit.
    let mut a = app("lif-constant", 100);
    let e = a.change_param("lif.tau_m", Some("0.05 ms")).unwrap_err();
    assert!(
        e.starts_with(
            "these parameters need dt <= 50 µs and this run's dt is 100 µs: open the preset \
             again with them: spikescope lif-constant --set 'lif.tau_m=0.05 ms' --set dt=50us"
        ),
        "{e}"
    );
    assert_eq!(dt_of_command_in(&e), 5e-5);

    // A path as typed goes into the command quoted, its control characters
    // made visible: the panel prints it.
    let mut a = App::from_source(PresetSource {
        origin: "/tmp/a b\u{1b}[2J.toml".into(),
        text: std::fs::read_to_string("presets/lif-constant.toml").unwrap(),
        overrides: vec![],
    })
    .unwrap();
    let e = a.change_param("lif.tau_m", Some("0.05 ms")).unwrap_err();
    assert!(
        e.contains("spikescope '/tmp/a b^[[2J.toml' --set 'lif.tau_m=0.05 ms' --set dt=50us"),
        "{e}"
    );
}

/// A random network's time constant changed while it runs takes the
/// running network's connections as they are, not drawn again: the same
/// weights (their id), the run going on from its state. At N = 100,000 the
/// draw again froze the screen for seconds, beside a second copy of 2.4 GB.
/// A seed of its own: no other test holds these connections.
#[test]
fn a_random_network_changed_keeps_its_connections() {
    let set = ["network.random.seed=7400001".to_string()];
    let mut a =
        App::from_source(PresetSource::resolve("network-benchmark", &set).unwrap()).unwrap();
    a.advance(50);
    let (id, v) = match &a.sim.model {
        AnyModel::Network(n) => (n.connections().id(), n.v().to_vec()),
        _ => panic!("a network"),
    };
    assert_eq!(a.change_param("network.tau_m", Some("25 ms")), Ok(()));
    match &a.sim.model {
        AnyModel::Network(n) => {
            assert_eq!(n.params().tau_m_s, 0.025);
            assert_eq!(n.connections().id(), id);
            assert_eq!(n.v(), &v[..], "the potentials go on");
        }
        _ => unreachable!(),
    }
}

/// What the command line set is said in the header, as what the panel
/// changes is: rate-tanh's name stood over the logistic `--set` chose, and
/// nothing on the screen said so but the legend.
#[test]
fn the_header_says_what_the_command_line_set() {
    let open = |name: &str, sets: &[&str]| {
        let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
        let mut a = App::from_source(PresetSource::resolve(name, &sets).unwrap()).unwrap();
        a.guide_until = None;
        a
    };
    let mut a = open("rate-tanh", &["rate.activation=logistic"]);
    a.advance(100);
    a.run = RunState::Paused;
    let text = screen(&a);
    let header = text.lines().next().unwrap();
    assert!(header.contains("Rate: tanh(z)"), "{header}");
    assert!(
        header.contains("rate network · set: activation ·"),
        "{header}"
    );
    assert!(text.contains("this preset's logistic"), "{text}");
    let header = |a: &App| screen(a).lines().next().unwrap().to_string();
    assert!(!header(&open("network-abc", &[])).contains("set:"));
    let b = open("network-abc", &["network.bias[2]=1.2", "dt=50e-6"]);
    assert!(header(&b).contains("set: bias[2], dt"), "{}", header(&b));
    let twice = open("hh-rest", &["hh.temperature=10", "hh.temperature=20"]);
    assert!(
        header(&twice).contains("set: temperature ·"),
        "{}",
        header(&twice)
    );
    // What reproduces a change holds what the command line set too (it
    // gave the change alone, another run), each word as a shell reads it.
    let mut c = open("hh-repetitive", &["hh.temperature=10"]);
    choose(&mut c, 8);
    let both = " --set hh.temperature=10 --set hh.g_na=0";
    assert_eq!(c.reproduce_as_set(), both);
    assert!(common::message(&c).ends_with(&format!("(to reproduce:{both})")));
    let b = open("network-abc", &["network.bias[2]=1.2"]);
    assert_eq!(b.reproduce_as_set(), " --set 'network.bias[2]=1.2'");
}
