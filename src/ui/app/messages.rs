//! Feedback under the screen and the opening guidance, each shown until a
//! moment of the app's real time.

use std::time::Duration;

use super::App;
use crate::ui::overlay::Overlay;

/// How long a message stays under the screen (real time).
pub const INFO_FOR: Duration = Duration::from_secs(6);
pub const ERROR_FOR: Duration = Duration::from_secs(15);
/// How long a preset's guidance shows after it opens, unless a key is pressed.
pub const GUIDE_FOR: Duration = Duration::from_secs(12);

/// A line of feedback under the screen, until `until` (app real time).
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub text: String,
    pub error: bool,
    pub until: Duration,
}

impl App {
    pub fn say(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: false,
            until: self.real_time + INFO_FOR,
        });
    }

    pub fn say_error(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: true,
            until: self.real_time + ERROR_FOR,
        });
    }

    /// A time the preset wrote as a bare number that looks meant in
    /// milliseconds (`preset::time::BareTime`: `tau_m = 20`, a 20 s
    /// membrane), said under the screen as it is read, after `before`, and
    /// as long as an error: the run on screen is most likely not the one
    /// meant. Nothing where the preset has none.
    pub(super) fn say_bare_times(&mut self, before: &str) {
        let Some(first) = self.preset.bare_times.first() else {
            return;
        };
        let more = match self.preset.bare_times.len() - 1 {
            0 => String::new(),
            k => format!(" (and {k} more: `spikescope check` lists them)"),
        };
        self.message = Some(Message {
            text: format!("{before}{}{more}", first.short_note()),
            error: false,
            until: self.real_time + ERROR_FOR,
        });
    }

    /// Real time passes: messages and the opening guidance time out.
    pub fn elapse(&mut self, real: Duration) {
        self.real_time += real;
        if self
            .message
            .as_ref()
            .is_some_and(|m| self.real_time >= m.until)
        {
            self.message = None;
            self.dirty = true;
        }
        if self.guide_until.is_some_and(|t| self.real_time >= t) {
            self.guide_until = None;
            self.dirty = true;
        }
    }

    /// How long until something on screen times out, if anything will.
    pub fn next_timeout(&self) -> Option<Duration> {
        [self.message.as_ref().map(|m| m.until), self.guide_until]
            .into_iter()
            .flatten()
            .min()
            .map(|t| t.saturating_sub(self.real_time))
    }

    /// Whether the opening guidance is on screen.
    pub fn guide_shown(&self) -> bool {
        self.guide_until.is_some() && self.overlay == Overlay::None
    }
}
