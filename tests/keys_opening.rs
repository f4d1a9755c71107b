//! Opening a preset from inside the oscilloscope's loop (`run_app` on a
//! `TestBackend`, with keys from a script): the build on a thread of its
//! own while the loop goes on, Esc that stops waiting for it, Ctrl-C that
//! quits, and keys typed meanwhile that apply, in order, to the preset
//! opened.

mod common;

use std::collections::VecDeque;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use common::press::app;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use spikescope::model::ModelKind;
use spikescope::ui::app::{App, RunState};
use spikescope::ui::overlay::Overlay;
use spikescope::ui::{EventSource, LoopOptions, run_app};

/// What the script gives the loop at its next wait.
enum Step {
    Key(KeyCode),
    /// Nothing within the wait (a real one, up to 20 ms: a build goes on).
    Quiet,
    /// Nothing, until the loop waits as it does during a build (the
    /// count's 100 ms), then the key.
    KeyInBuild(KeyCode),
}

/// How long the loop waits for a key while a build goes on.
const BUILD_WAIT: Duration = Duration::from_millis(100);

/// The loop's events from a script, then Ctrl-C; each wait it asked for is
/// kept.
struct Script {
    steps: VecDeque<Step>,
    waits: Vec<Option<Duration>>,
}

impl Script {
    /// `o`, the path typed, Enter, then `then`.
    fn open(path: &Path, then: impl IntoIterator<Item = Step>) -> Self {
        let typed = format!("o{}", path.display());
        let mut steps: VecDeque<Step> =
            typed.chars().map(|c| Step::Key(KeyCode::Char(c))).collect();
        steps.push_back(Step::Key(KeyCode::Enter));
        steps.extend(then);
        Script {
            steps,
            waits: Vec::new(),
        }
    }
}

impl Script {
    /// The loop waited as it does during a build (the count's waits), not
    /// blocked on one.
    fn assert_a_build_was_waited_for(&self) {
        assert!(self.waits.contains(&Some(BUILD_WAIT)), "{:?}", self.waits);
    }
}

impl EventSource for Script {
    fn next(&mut self, timeout: Option<Duration>) -> std::io::Result<Option<Event>> {
        self.waits.push(timeout);
        if let Some(Step::KeyInBuild(code)) = self.steps.front()
            && timeout == Some(BUILD_WAIT)
        {
            let code = *code;
            self.steps.pop_front();
            return Ok(Some(Event::Key(KeyEvent::new(code, KeyModifiers::NONE))));
        }
        match self.steps.pop_front() {
            Some(Step::Key(code)) => Ok(Some(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))),
            // A build that never comes (5 s) leaves the key out: the test
            // fails on what it asserts, rather than hangs.
            Some(step @ Step::KeyInBuild(_)) => {
                if self.waits.len() < 1000 {
                    self.steps.push_front(step);
                }
                std::thread::sleep(Duration::from_millis(5));
                Ok(None)
            }
            Some(Step::Quiet) => {
                let wait = Duration::from_millis(20);
                std::thread::sleep(timeout.map_or(wait, |t| t.min(wait)));
                Ok(None)
            }
            None => Ok(Some(Event::Key(KeyEvent::new(
                KeyCode::Char('c'),
                KeyModifiers::CONTROL,
            )))),
        }
    }
}

/// The benchmark network at 4,000 neurons and p = 0.25: 4e6 synapses, a
/// build of about 0.1 s (on one core of 2026), while the loop's first look
/// at it comes microseconds after it began.
///
/// Each call draws its own network (its own seed): a build shares the
/// connections of a live network drawn the same, which another test running
/// beside this one may hold, and would then be quick.
fn slow_preset(dir: &Path) -> std::path::PathBuf {
    static SEED: AtomicU64 = AtomicU64::new(101);
    let seed = SEED.fetch_add(1, Ordering::Relaxed);
    let text = spikescope::preset::bundled::get("network-benchmark")
        .unwrap()
        .replace("n = 1000", "n = 4000")
        .replace("p = 0.02", "p = 0.25")
        .replace("seed = 1\n", &format!("seed = {seed}\n"));
    assert!(text.contains("n = 4000") && text.contains("p = 0.25"));
    assert!(text.contains(&format!("seed = {seed}\n")));
    let path = dir.join("slow.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// Runs the loop at 80x24 until the script's end; the screen it left.
fn run(a: &mut App, script: &mut Script) -> String {
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let opts = LoopOptions {
        fps: 30,
        frames: None,
        panic_after_first_frame: false,
        suspend: None,
    };
    run_app(&mut t, a, script, &common::NO_COLOR, opts).unwrap();
    t.backend().to_string()
}

/// Esc while the build goes on stops waiting for it: the simulation that
/// ran goes on, the picker is still open, and the screen says so. Esc comes
/// in the same read as Enter: the keys after an open wait for its build.
#[test]
fn esc_stops_waiting_for_an_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = slow_preset(dir.path());
    let mut a = app("hh-repetitive");
    let mut script = Script::open(&path, [Step::Key(KeyCode::Esc)]);
    let shown = run(&mut a, &mut script);
    assert_eq!(a.kind(), ModelKind::Hh);
    assert_eq!(
        a.message.as_ref().unwrap().text,
        format!("stopped opening {}", path.display())
    );
    assert!(matches!(a.overlay, Overlay::Picker { .. }));
    assert!(shown.contains("stopped opening"), "{shown}");
    // The build was waited for in short waits (the count's), not blocked on.
    script.assert_a_build_was_waited_for();
}

/// An open stopped, then asked again (Enter in the picker, where its path
/// stays): the new build waits for the stopped one to end, then opens.
#[test]
fn an_open_stopped_then_asked_again_opens() {
    let dir = tempfile::tempdir().unwrap();
    let path = slow_preset(dir.path());
    let mut a = app("hh-repetitive");
    let mut then = vec![Step::Key(KeyCode::Esc), Step::Key(KeyCode::Enter)];
    then.extend((0..100).map(|_| Step::Quiet));
    run(&mut a, &mut Script::open(&path, then));
    assert_eq!(a.kind(), ModelKind::Network);
    assert_eq!(a.neuron_count(), 4000);
    assert_eq!(
        a.message.as_ref().unwrap().text,
        format!("opened {}", path.display())
    );
}

/// Keys typed while the build goes on wait for it, then apply to the
/// preset opened, in order; Ctrl-C then quits.
#[test]
fn keys_typed_during_an_open_apply_to_the_preset_opened() {
    let dir = tempfile::tempdir().unwrap();
    let path = slow_preset(dir.path());
    let mut a = app("hh-repetitive");
    // The loop's turn, faster, view 3 then view 6 (the weights), then the
    // build's time.
    let mut then = vec![Step::Quiet];
    then.extend("]36".chars().map(|c| Step::Key(KeyCode::Char(c))));
    then.extend((0..100).map(|_| Step::Quiet));
    let mut script = Script::open(&path, then);
    let shown = run(&mut a, &mut script);
    assert_eq!(a.kind(), ModelKind::Network);
    assert_eq!(a.neuron_count(), 4000);
    assert_eq!(a.run, RunState::Quit);
    // `]` doubled the speed of the preset opened (x0.25 as it opens), not
    // that of the one replaced; 3 then 6 left view 6.
    assert_eq!(a.clock.speed, 0.5);
    assert!(shown.contains("[W | b]"), "{shown}");
    assert!(shown.contains("×0.5 "), "{shown}");
    assert_eq!(
        a.message.as_ref().unwrap().text,
        format!("opened {}", path.display())
    );
}

/// Ctrl-C while the build goes on quits at once, as from anywhere.
#[test]
fn ctrl_c_quits_while_an_open_builds() {
    let dir = tempfile::tempdir().unwrap();
    let path = slow_preset(dir.path());
    let mut a = app("hh-repetitive");
    let mut script = Script::open(&path, []);
    run(&mut a, &mut script);
    assert_eq!(a.run, RunState::Quit);
    assert_eq!(a.kind(), ModelKind::Hh);
}

/// `q` while `m` comes back to a slow preset quits at once, as Ctrl-C
/// does: outside an overlay it is a key, not a letter typed.
#[test]
fn q_quits_while_m_builds() {
    let dir = tempfile::tempdir().unwrap();
    let path = slow_preset(dir.path());
    let source = spikescope::preset::PresetSource::resolve(&path.display().to_string(), &[]);
    // LIF, with the slow network as the preset the user opened: m goes
    // back to it.
    let mut a = app("lif-constant");
    a.home = Some(spikescope::ui::app::Home {
        kind: ModelKind::Network,
        source: source.unwrap(),
        changed: Vec::new(),
    });
    // m, q in its build, then time enough for the build to end (were q
    // queued, it would quit in the preset opened).
    let mut script = Script {
        steps: [
            Step::Key(KeyCode::Char('m')),
            Step::KeyInBuild(KeyCode::Char('q')),
        ]
        .into(),
        waits: Vec::new(),
    };
    script.steps.extend((0..100).map(|_| Step::Quiet));
    run(&mut a, &mut script);
    assert_eq!(a.run, RunState::Quit);
    assert_eq!(a.kind(), ModelKind::Lif);
    script.assert_a_build_was_waited_for();
    assert_eq!(script.steps.len(), 100, "the loop went on after q");
}

/// A journal whose session opened the slow preset after 200 steps of HH
/// (10 ms), with a change to it after, for `App::from_journal`.
fn journal_opening(path: &Path, dir: &Path) -> spikescope::session::Journal {
    let journal = dir.join("open.journal");
    let mut a = common::journal::recording("hh-repetitive", &journal, dir);
    common::journal::frames(&mut a, 200);
    a.apply(spikescope::ui::command::Command::OpenPreset(
        path.display().to_string(),
    ));
    a.run = RunState::Running;
    a.apply(spikescope::ui::command::Command::AdjustBias { tenths: 3 });
    common::journal::frames(&mut a, 20);
    assert!(a.finish_journal().is_none());
    spikescope::session::Journal::read(&journal).unwrap()
}

/// A replay in the loop builds a preset its journal opened as a key's open
/// is built, then goes on with the changes after it (the bias raised by
/// 0.3 on the preset opened).
#[test]
fn a_replay_builds_the_preset_its_journal_opened_then_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = slow_preset(dir.path());
    let j = journal_opening(&path, dir.path());
    let mut a = App::from_journal(j).unwrap();
    let bias_before = bias_0(
        &App::from_source(
            spikescope::preset::PresetSource::resolve(&path.display().to_string(), &[]).unwrap(),
        )
        .unwrap(),
    );
    let mut script = Script {
        steps: (0..100).map(|_| Step::Quiet).collect(),
        waits: Vec::new(),
    };
    run(&mut a, &mut script);
    assert_eq!(a.neuron_count(), 4000);
    // The opened run's 20 steps, to the journal's end.
    assert_eq!(a.sim.step_index(), 20);
    // As the key made it: to a millionth.
    assert_eq!(bias_0(&a), ((bias_before + 0.3) * 1e6).round() / 1e6);
    script.assert_a_build_was_waited_for();
}

/// Esc while a replay's opening builds holds the replay there, saying
/// where: it cannot go on without the preset its journal opened.
#[test]
fn esc_while_a_replay_opens_holds_the_replay() {
    let dir = tempfile::tempdir().unwrap();
    let path = slow_preset(dir.path());
    let j = journal_opening(&path, dir.path());
    let mut a = App::from_journal(j).unwrap();
    let mut script = Script {
        steps: [Step::KeyInBuild(KeyCode::Esc)].into(),
        waits: Vec::new(),
    };
    run(&mut a, &mut script);
    assert_eq!(a.kind(), ModelKind::Hh);
    assert_eq!(a.run, RunState::Quit);
    let said = &a.message.as_ref().unwrap().text;
    assert!(
        said.ends_with(&format!("stopped opening {}", path.display()))
            && said.contains("open.journal:"),
        "{said}"
    );
}

/// Neuron 0's bias in a network app.
fn bias_0(a: &App) -> f64 {
    match &a.sim.model {
        spikescope::model::AnyModel::Network(n) => n.bias()[0],
        other => panic!("not a network: {:?}", other.kind()),
    }
}
