//! Record and replay (`--record FILE`, `spikescope replay FILE`): a
//! session driven by keys is journaled as it runs; the headless replay's
//! CSV holds, bit for bit, what the live session's export holds, and the
//! oscilloscope's replay ends in the live session's state. Journals that
//! are damaged or not journals: journal_damage.rs.

mod common;

use std::path::Path;

use common::journal::{frames, recording, replay, rows};
use common::stderr;
use spikescope::session::Journal;
use spikescope::ui::app::{App, Hold, RunState};
use spikescope::ui::command::Command;

/// Every row and spike of the export `base` is in the replay's CSVs with
/// the same text in every column: the same numbers to the last bit.
fn export_is_in_replay(dir: &Path, base: &str, traces: &Path, spikes: &Path) -> usize {
    let (eh, erows) = rows(&dir.join(format!("{base}.csv")));
    let (rh, rrows) = rows(traces);
    assert!(erows.len() > 10, "{} rows exported", erows.len());
    for (t, cells) in &erows {
        let replayed = rrows
            .get(t)
            .unwrap_or_else(|| panic!("time {t} is not in the replay"));
        for (c, name) in eh.iter().enumerate() {
            let k = rh.iter().position(|h| h == name).expect(name);
            assert_eq!(replayed[k], cells[c], "{name} at t = {t}");
        }
    }
    let exported = std::fs::read_to_string(dir.join(format!("{base}-spikes.csv"))).unwrap();
    let replayed = std::fs::read_to_string(spikes).unwrap();
    let replayed: Vec<&str> = replayed.lines().collect();
    for s in exported.lines() {
        assert!(replayed.contains(&s), "spike {s} is not in the replay");
    }
    erows.len()
}

#[test]
fn an_hh_session_replays_bit_for_bit() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("hh.journal");
    let mut a = recording("hh-repetitive", &journal, dir.path());
    frames(&mut a, 1500);
    a.apply(Command::AdjustInput { fine_steps: 10 });
    frames(&mut a, 999);
    a.apply(Command::AdjustInput { fine_steps: -3 });
    a.apply(Command::StepOnce);
    a.apply(Command::TogglePause);
    // TTX from the parameters panel, then lifted again.
    a.apply(Command::OpenParams);
    a.apply(Command::MoveParam(8));
    a.apply(Command::EditParam);
    assert_eq!(a.changed.len(), 1, "{:?}", a.message);
    frames(&mut a, 2001);
    a.apply(Command::EditParam);
    a.apply(Command::Back);
    a.apply(Command::SetInput(7.25));
    frames(&mut a, 3000);
    a.apply(Command::Export);
    let base = spikescope::ui::export::base_name(&a);
    assert!(a.finish_journal().is_none());
    let text = std::fs::read_to_string(&journal).unwrap();
    let events: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_digit()))
        .map(|l| l.split("  #").next().unwrap())
        .collect();
    assert_eq!(
        events,
        [
            "1500 input 11.0",
            "2499 input 10.7",
            "2500 param hh.g_na=0",
            "4501 unset hh.g_na",
            "4501 input 7.25",
            "7501 end"
        ]
    );
    let out = replay(&journal, dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let compared = export_is_in_replay(
        dir.path(),
        &base,
        &dir.path().join("r.csv"),
        &dir.path().join("r-spikes.csv"),
    );
    assert_eq!(compared, 2001, "the window of 100 ms at 50 µs");
    // The summary is the live session's.
    assert!(
        stderr(&out).contains(&format!("{} spikes", a.sim.spike_count)),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_network_session_with_a_reset_and_biases_replays_its_last_run() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("net.journal");
    let mut a = recording("network-abc", &journal, dir.path());
    frames(&mut a, 700);
    a.apply(Command::Select(1));
    a.apply(Command::AdjustBias { tenths: 5 });
    frames(&mut a, 300);
    a.apply(Command::Reset);
    frames(&mut a, 450);
    a.apply(Command::AdjustBias { tenths: -2 });
    a.apply(Command::AdjustInput { fine_steps: 4 });
    frames(&mut a, 1234);
    a.apply(Command::Export);
    let base = spikescope::ui::export::base_name(&a);
    a.finish_journal();
    let out = replay(&journal, dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("2 runs (resets or presets opened); the CSV holds the last"),
        "{}",
        stderr(&out)
    );
    export_is_in_replay(
        dir.path(),
        &base,
        &dir.path().join("r.csv"),
        &dir.path().join("r-spikes.csv"),
    );
    // The replayed CSV starts at 0 (the reset) and ends where the session did.
    let (_, r) = rows(&dir.path().join("r.csv"));
    assert!(r.contains_key("0.0"));
    assert_eq!(r.len() as u64, a.sim.step_index() + 1);
}

/// A session recorded into `journal`: HH for 100 frames, then LIF opened
/// and run for 40.
fn hh_then_lif(journal: &Path, dir: &Path) -> App {
    let mut a = recording("hh-repetitive", journal, dir);
    frames(&mut a, 100);
    a.apply(Command::OpenPreset("lif-constant".into()));
    a.run = RunState::Running;
    frames(&mut a, 40);
    a
}

#[test]
fn a_preset_opened_in_the_session_is_in_the_journal() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("open.journal");
    let mut a = hh_then_lif(&journal, dir.path());
    a.apply(Command::AdjustInput { fine_steps: -2 });
    frames(&mut a, 900);
    a.apply(Command::Export);
    let base = spikescope::ui::export::base_name(&a);
    a.finish_journal();
    let j = Journal::read(&journal).unwrap();
    assert_eq!(j.entries.len(), 3);
    // Its header gives the first run's dt as that run's alone.
    let text = std::fs::read_to_string(&journal).unwrap();
    assert!(
        text.lines().nth(2).unwrap().ends_with(
            "in the run's dt (50 µs for this preset; an opened one may differ: each line's \
             comment has its time)."
        ),
        "{text}"
    );
    // The oscilloscope's replay names the runs, and no time: the LIF
    // run's steps are not HH's 50 µs (its end was given in them).
    let r = App::from_journal(j).unwrap();
    assert_eq!(
        common::message(&r),
        format!(
            "replaying {}: 3 entries in 2 runs (resets or presets opened)",
            journal.display()
        )
    );
    let out = replay(&journal, dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    export_is_in_replay(
        dir.path(),
        &base,
        &dir.path().join("r.csv"),
        &dir.path().join("r-spikes.csv"),
    );
}

/// A preset opened in the session whose text in the journal does not load
/// is named once by the journal's line of the opening, then by its own
/// line, and the sentence on what was written stands on a line of its own
/// (it was: the journal's place twice, and the sentence after the caret).
#[test]
fn an_opened_preset_that_does_not_load_is_named_once() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("open.journal");
    let mut a = hh_then_lif(&journal, dir.path());
    a.finish_journal();
    let text = std::fs::read_to_string(&journal).unwrap();
    let open_line = text
        .lines()
        .position(|l| l.contains(" open lif-constant"))
        .expect("the opening")
        + 1;
    let damaged = text.replace("| tau_m = \"20 ms\"", "| tau_mx = \"20 ms\"");
    assert_ne!(damaged, text, "the LIF preset's tau_m is in the journal");
    let path = dir.path().join("damaged.journal");
    std::fs::write(&path, damaged).unwrap();
    let out = replay(&path, dir.path());
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let place = format!("{}:{open_line}: ", path.display());
    assert!(
        err.starts_with(&format!(
            "error: {place}the preset does not load: lif-constant:"
        )),
        "{err}"
    );
    assert_eq!(err.matches(&place).count(), 1, "{err}");
    assert!(err.contains("unknown key `tau_mx`"), "{err}");
    assert!(
        err.contains(
            "\n  play stopped before the last run (the one the CSV holds): no output was written"
        ),
        "{err}"
    );
    assert!(!dir.path().join("r.csv").exists());
}

/// `m` around the cycle and back: the preset opened comes back with the
/// parameter changed in its panel, and the journal holds that too (the
/// opening, then the change), so the replay ends in the live state.
#[test]
fn coming_back_to_the_preset_by_m_replays_with_its_changes() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("m.journal");
    let mut live = recording("network-wta", &journal, dir.path());
    live.change_param("network.tau_s", Some("4 ms")).unwrap();
    frames(&mut live, 300);
    for _ in 0..3 {
        live.apply(Command::SwitchModel);
        frames(&mut live, 50);
    }
    assert_eq!(live.preset.name, "Network: winner-take-all");
    frames(&mut live, 2000);
    live.finish_journal();

    let mut r = App::from_journal(Journal::read(&journal).unwrap()).unwrap();
    r.run = RunState::Running;
    while r.run == RunState::Running {
        r.advance(997);
    }
    assert_eq!(r.run, RunState::Held(Hold::JournalEnd));
    assert_eq!(r.sim.step_index(), live.sim.step_index());
    assert_eq!(r.sim.spike_count, live.sim.spike_count);
    assert!(format!("{:?}", r.sim.model).contains("tau_s_s: 0.004"));
    assert_eq!(
        format!("{:?}", r.sim.model),
        format!("{:?}", live.sim.model)
    );
}

/// The oscilloscope's replay: the journal's changes at their steps, in
/// batches of any size, ending held in the live session's state; keys
/// that would change the simulation are refused.
#[test]
fn the_oscilloscope_replays_to_the_live_state() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("hh.journal");
    let mut live = recording("hh-repetitive", &journal, dir.path());
    frames(&mut live, 800);
    live.apply(Command::AdjustInput { fine_steps: 25 });
    frames(&mut live, 1600);
    live.apply(Command::Reset);
    frames(&mut live, 50);
    live.apply(Command::AdjustInput { fine_steps: -40 });
    frames(&mut live, 1111);
    live.finish_journal();

    let mut r = App::from_journal(Journal::read(&journal).unwrap()).unwrap();
    // After resets alone the last run steps in the first preset's dt.
    assert!(
        common::message(&r).ends_with(&format!(
            " in 2 runs (resets), the last to t = {}",
            spikescope::preset::time::format_time(live.sim.time_s())
        )),
        "{}",
        common::message(&r)
    );
    r.guide_until = None;
    r.run = RunState::Running;
    r.apply(Command::AdjustInput { fine_steps: 10 });
    assert!(
        r.message
            .as_ref()
            .unwrap()
            .text
            .contains("keys that change"),
        "{:?}",
        r.message
    );
    let mut batches = 0;
    while r.run == RunState::Running {
        r.advance(997);
        batches += 1;
        assert!(batches < 100);
    }
    assert_eq!(r.run, RunState::Held(Hold::JournalEnd));
    assert_eq!(r.sim.step_index(), live.sim.step_index());
    assert_eq!(r.sim.spike_count, live.sim.spike_count);
    assert_eq!(r.input_level(), live.input_level());
    // The line left after quitting: the input the keys left, or the
    // journal.
    let quit = |a: &App| spikescope::ui::quit_line(a, 1, None);
    assert!(
        quit(&live).ends_with("; at the end, from the keyboard: J_in 8.5 µA/cm²"),
        "{}",
        quit(&live)
    );
    assert!(
        quit(&r).ends_with("; at the end, from the journal: J_in 8.5 µA/cm²"),
        "{}",
        quit(&r)
    );
    assert_eq!(
        format!("{:?}", r.sim.model),
        format!("{:?}", live.sim.model)
    );
    let text = common::screen(&r);
    assert!(text.contains("■ END"), "{text}");
    assert!(text.contains("replay done: r again"), "{text}");
    // Another step, or Space, stays at the end and says so; r plays it
    // again from the start.
    r.apply(Command::StepOnce);
    assert_eq!(r.sim.step_index(), live.sim.step_index());
    r.apply(Command::TogglePause);
    assert_eq!(r.run, RunState::Held(Hold::JournalEnd));
    assert_eq!(
        common::message(&r),
        "the replay is done: r plays it again from the start"
    );
    r.apply(Command::Reset);
    assert_eq!(r.sim.step_index(), 0);
    assert!(r.replay.as_ref().unwrap().next().is_some());
}

/// A frame that ends on the step a change was made at shows the change,
/// as the live screen did right after the key (it showed the old input and
/// "replay 0/2" until the next step).
#[test]
fn a_replay_shows_a_change_at_the_step_it_was_made() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("lif.journal");
    let mut live = recording("lif-constant", &journal, dir.path());
    frames(&mut live, 800);
    live.apply(Command::AdjustInput { fine_steps: 25 });
    let after_key = common::screen(&live);
    frames(&mut live, 100);
    live.finish_journal();

    let mut r = App::from_journal(Journal::read(&journal).unwrap()).unwrap();
    r.guide_until = None;
    r.run = RunState::Running;
    r.advance(800);
    assert_eq!(r.sim.step_index(), 800);
    let text = common::screen(&r);
    assert!(
        after_key.contains("v_in 1.500  → 1.750 next step"),
        "{after_key}"
    );
    assert!(text.contains("v_in 1.500  → 1.750 next step"), "{text}");
    assert!(text.contains("replay 1/2"), "{text}");
}

/// A run before the last in a preset with more neurons than the first: a
/// session on one LIF neuron opened network-abc's three, then reset. The
/// headless replay counted the network's spikes in the LIF run's one place
/// and panicked (`index out of bounds: the len is 1 but the index is 1`).
#[test]
fn a_run_in_a_larger_preset_before_the_last_replays() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("grow.journal");
    let mut a = recording("lif-constant", &journal, dir.path());
    frames(&mut a, 300);
    a.apply(Command::OpenPreset("network-abc".into()));
    a.run = RunState::Running;
    frames(&mut a, 2000);
    let spikes = a.sim.spike_count;
    assert!(spikes > 10, "the network's neurons fire before the reset");
    a.apply(Command::Reset);
    frames(&mut a, 500);
    a.finish_journal();
    let out = replay(&journal, dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let (_, r) = rows(&dir.path().join("r.csv"));
    assert_eq!(r.len() as u64, a.sim.step_index() + 1);
}
