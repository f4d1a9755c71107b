//! Recording a session (`--record FILE`) and playing one back
//! (`spikescope replay FILE`): every change to the simulation goes into
//! the journal with the step at which it applied; a replay applies the
//! journal's changes at the same steps, so it reproduces the session bit
//! for bit, while the keys that only look (pause, speed, step, views,
//! cursors, export) work as in a live run.

use std::path::Path;

use super::{App, Hold, RunState};
use crate::session::change::{set_bias, set_input};
use crate::session::{Change, Event, Journal, JournalError, Recorder, Replay};
use crate::ui::command::Command;

impl App {
    /// Starts recording this session into `path` (created or replaced):
    /// the preset as loaded, then each change as it is made.
    pub fn record_to(&mut self, path: &Path) -> std::io::Result<()> {
        let Some(source) = &self.source else {
            return Err(std::io::Error::other(
                "this oscilloscope was not opened from a preset",
            ));
        };
        self.journal = Some(Recorder::create(path, source, self.sim.dt_s())?);
        Ok(())
    }

    /// Writes `change` into the journal, if one is recorded, at the present
    /// step. A journal that cannot be written stops recording, said once.
    pub(super) fn record(&mut self, change: Change) {
        let dt = self.sim.dt_s();
        self.record_then_dt(change, dt);
    }

    /// Records `change`, after which the run's step is `dt_s` (another
    /// preset opened may have its own).
    pub(super) fn record_then_dt(&mut self, change: Change, dt_s: f64) {
        let step = self.sim.step_index();
        if let Some(j) = &mut self.journal
            && let Err(e) = j.change(step, &change, dt_s)
        {
            let path = j.path().display().to_string();
            self.journal = None;
            self.say_error(format!("recording stopped: cannot write {path}: {e}"));
        }
    }

    /// Ends the journal at the present step (the session is over).
    pub fn finish_journal(&mut self) -> Option<std::io::Error> {
        let step = self.sim.step_index();
        self.journal.take().and_then(|mut j| j.end(step).err())
    }

    /// The oscilloscope playing `journal`: its preset as recorded, its
    /// changes applied as the steps reach them.
    pub fn from_journal(journal: Journal) -> Result<Self, String> {
        let mut app = App::from_source(journal.preset.clone())
            .map_err(|e| format!("{}: the journal's preset does not load: {e}", journal.file))?;
        let (_, total) = Replay::new(journal.clone()).progress();
        // The last entry's step counts from its own run's start, in that
        // run's dt: a time only where that is the first preset's (after
        // resets alone); an opened preset may step otherwise (the time of
        // a session's LIF run had been given in HH's 50 µs steps).
        let runs = 1 + journal.entries.iter().filter(|e| e.starts_run()).count();
        let opened = journal
            .entries
            .iter()
            .any(|e| matches!(e.event, Event::Change(Change::Open(_))));
        let end = crate::preset::time::format_time(journal.last_step() as f64 * app.sim.dt_s());
        let mut note = match (runs, opened) {
            (1, _) => format!("replaying {}: {total} entries to t = {end}", journal.file),
            (_, false) => format!(
                "replaying {}: {total} entries in {runs} runs (resets), the last to t = {end}",
                journal.file
            ),
            (_, true) => format!(
                "replaying {}: {total} entries in {runs} runs (resets or presets opened)",
                journal.file
            ),
        };
        if let Some(e) = &journal.damage {
            let place = match e.at {
                Some((column, _)) => format!("line {}, column {column}", e.line),
                None => format!("line {}", e.line),
            };
            note = format!("{note}; it stops at {place}: {}", e.problem);
        }
        app.replay = Some(Replay::new(journal));
        app.apply_due_journal();
        // What applying the first changes said (a step its comment
        // contradicts, a change refused) goes after the note, not over it.
        match app.message.take() {
            Some(said) if said.error => app.say_error(format!("{note}; {}", said.text)),
            Some(said) => app.say(format!("{note}; {}", said.text)),
            None => app.say(note),
        }
        Ok(app)
    }

    /// Applies the journal's changes due at the present step; holds at its
    /// end (or where it is damaged). Returns the steps to its next change.
    pub(super) fn apply_due_journal(&mut self) -> Option<u64> {
        // A preset the journal opened, still being built by the loop: the
        // changes after it are its own.
        if self.open_due() {
            return Some(0);
        }
        loop {
            let step = self.sim.step_index();
            let entry = self.replay.as_mut()?.take_due(step);
            let Some(entry) = entry else { break };
            let result = match entry.event {
                Event::End => {
                    self.hold_journal_end(None);
                    return Some(0);
                }
                // In the loop an opening is built as a key's is, while the
                // screen says so (opening.rs).
                Event::Change(Change::Open(source)) if self.opening.deferred => {
                    self.defer_replayed_open(source, entry.line);
                    return Some(0);
                }
                Event::Change(change) => self.apply_journal_change(change),
            };
            if let Err(problem) = result {
                self.stop_replay_at(entry.line, problem);
                return Some(0);
            }
        }
        let dt_s = self.sim.dt_s();
        if let Some(unlike) = self.replay.as_mut()?.unlike_ahead(dt_s) {
            self.say_error(unlike);
        }
        let replay = self.replay.as_ref()?;
        match replay.next() {
            Some(next) => Some(next.step.saturating_sub(self.sim.step_index())),
            None => {
                let shortfall = replay.shortfall();
                self.hold_journal_end(shortfall);
                Some(0)
            }
        }
    }

    /// A replay held at the end of a one-shot preset's protocol applies
    /// the change the session made there (a reset, another preset).
    pub fn replay_held_changes(&mut self) {
        let due = self
            .replay
            .as_ref()
            .and_then(|r| r.next())
            .is_some_and(|e| e.step <= self.sim.step_index());
        if due && self.run == RunState::Held(Hold::ProtocolDone) {
            self.apply_due_journal();
        }
    }

    fn apply_journal_change(&mut self, change: Change) -> Result<(), String> {
        match change {
            Change::Input(x) => set_input(&mut self.sim, x),
            Change::Bias { neuron, value } => set_bias(&mut self.sim, neuron, value),
            Change::Param { key, value } => self.change_param(&key, value.as_deref()),
            Change::Reset => {
                self.reset();
                Ok(())
            }
            Change::Open(source) => {
                let app = App::from_source(source).map_err(|e| e.to_string())?;
                self.take_over(app);
                Ok(())
            }
        }
    }

    /// The replay stops at the journal's `line`, which cannot be played
    /// (`problem`), and holds there, saying so.
    pub(super) fn stop_replay_at(&mut self, line: usize, problem: String) {
        let Some(replay) = &mut self.replay else {
            return;
        };
        let e = JournalError {
            file: replay.journal.file.clone(),
            line,
            at: None,
            text: String::new(),
            problem,
            valid: String::new(),
        };
        replay.stop_at(e.clone());
        self.hold_journal_end(Some(e));
    }

    fn hold_journal_end(&mut self, shortfall: Option<JournalError>) {
        self.run = RunState::Held(Hold::JournalEnd);
        if let Some(e) = shortfall {
            let first = e.to_string().lines().next().unwrap_or("").to_string();
            self.say_error(first);
        }
    }

    /// Whether `cmd` would change the simulation while a journal plays
    /// (refused, said why); `r` plays the journal again from its start.
    pub(super) fn replay_refuses(&mut self, cmd: &Command) -> bool {
        let Some(replay) = &self.replay else {
            return false;
        };
        let changes = matches!(
            cmd,
            Command::AdjustInput { .. }
                | Command::EnterInput
                | Command::SetInput(_)
                | Command::AdjustBias { .. }
                | Command::SwitchModel
                | Command::OpenPicker
                | Command::OpenPreset(_)
                | Command::OpenParams
                | Command::EditParam
                | Command::SetParam(_)
        );
        if *cmd == Command::Reset {
            let journal = replay.journal.clone();
            match App::from_journal(journal) {
                Ok(mut app) => {
                    app.clock.speed = self.clock.speed;
                    self.take_over(app);
                    self.say("replaying again from the start");
                }
                Err(e) => self.say_error(e),
            }
            return true;
        }
        if changes {
            self.say(
                "a replay makes the journal's changes: keys that change the simulation are \
                 off (r plays it again; open the preset itself to change it)",
            );
        }
        changes
    }
}
