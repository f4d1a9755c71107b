//! A session: the changes a user makes to a running simulation
//! (`change`), the journal that records them with the step at which each
//! applied (`journal`), and the order in which a replay applies them
//! (`Replay`). The oscilloscope records and replays through these; the
//! headless `replay` command plays a journal into CSV.

pub mod change;
pub mod journal;
pub mod recorder;

use std::collections::VecDeque;

pub use change::Change;
pub use journal::{Entry, Event, Journal, JournalError};
pub use recorder::{JournalEnd, Recorder};

/// A journal being played: the events still to apply, in order.
#[derive(Debug, Clone)]
pub struct Replay {
    pub journal: Journal,
    pending: VecDeque<Entry>,
    /// A change the journal holds that could not be applied (a parameter
    /// the preset refuses, a neuron it does not have): play stops there.
    stopped: Option<JournalError>,
    /// The line of the last entry said to contradict its comment's time.
    unlike_said: Option<usize>,
}

impl Replay {
    pub fn new(journal: Journal) -> Self {
        Self {
            pending: journal.entries.iter().cloned().collect(),
            journal,
            stopped: None,
            unlike_said: None,
        }
    }

    /// The next event still to apply.
    pub fn next(&self) -> Option<&Entry> {
        self.pending.front()
    }

    /// What to say, once, of the next entry where its step and its
    /// comment's time part at the run's `dt_s`
    /// (`Entry::step_unlike_its_comment`): said before play goes to it, as
    /// the headless replay does.
    pub fn unlike_ahead(&mut self, dt_s: f64) -> Option<String> {
        let next = self.pending.front()?;
        if self.unlike_said == Some(next.line) {
            return None;
        }
        let unlike = next.step_unlike_its_comment(dt_s)?;
        self.unlike_said = Some(next.line);
        Some(format!(
            "{}:{}: {unlike} Playing to it simulates that long.",
            self.journal.file, next.line
        ))
    }

    /// Takes the next event if it applies at `step` of the present run.
    pub fn take_due(&mut self, step: u64) -> Option<Entry> {
        if self.pending.front().is_some_and(|e| e.step <= step) {
            self.pending.pop_front()
        } else {
            None
        }
    }

    /// Events applied so far and in all.
    pub fn progress(&self) -> (usize, usize) {
        let total = self.journal.entries.len();
        (total - self.pending.len(), total)
    }

    /// Stops play at a change that could not be applied.
    pub fn stop_at(&mut self, e: JournalError) {
        self.pending.clear();
        self.stopped = Some(e);
    }

    /// Why play stops short of a whole session, if it does: a change that
    /// could not be applied, a damaged line, a missing `end`.
    pub fn shortfall(&self) -> Option<JournalError> {
        self.stopped.clone().or_else(|| self.journal.shortfall())
    }
}
