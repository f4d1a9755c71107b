//! Opening another preset from inside the oscilloscope (`o`, `m`), deferred
//! by one frame in its loop: building a preset can take seconds (a random
//! network of 100,000 neurons draws its 2e8 synapses in about 4), and the
//! frame that says "opening ..." shows that the oscilloscope is not hung.
//! Without the loop (tests, a journal's replay) an open happens at once.

use super::App;
use crate::ui::command::Command;

/// An open a key asked for, and whether opens wait for a frame.
#[derive(Debug, Default)]
pub struct Opening {
    /// Set by the loop, which draws the frame between the key and the open.
    pub deferred: bool,
    due: Option<Command>,
}

impl App {
    /// Whether `cmd` opens a preset and waits for the loop's frame: then it
    /// is kept, the message says what is opening, and true is returned.
    pub(super) fn defer_open(&mut self, cmd: &Command) -> bool {
        if !self.opening.deferred {
            return false;
        }
        let what = match cmd {
            Command::SwitchModel => self.next_model_origin(),
            Command::OpenPreset(name) => super::super::overlay::expand_home(name),
            _ => return false,
        };
        self.say(format!("opening {what}..."));
        self.opening.due = Some(cmd.clone());
        true
    }

    /// Whether an open waits for the loop (after the frame that says so).
    pub fn open_due(&self) -> bool {
        self.opening.due.is_some()
    }

    /// Opens what a key asked for, if anything waits. The "opening ..."
    /// message goes: the open says what happened (a failure in the picker
    /// says it there).
    pub fn open_pending(&mut self) {
        let Some(cmd) = self.opening.due.take() else {
            return;
        };
        self.message = None;
        match cmd {
            Command::SwitchModel => self.switch_model(),
            Command::OpenPreset(name) => self.open_preset(&name),
            _ => {}
        }
    }
}
