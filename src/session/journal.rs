//! The journal of a session (`--record FILE`): a line-oriented text a
//! person can read and edit, which `spikescope replay` plays back.
//!
//! ```text
//! spikescope journal 1
//! # comments start with # at the start of a line
//! preset hh-repetitive              the preset's origin (name or path)
//! set stimulus.amplitude=12         its --set overrides, one a line
//! | # Hodgkin-Huxley: ...           its text as loaded, each line after "| "
//! | name = "..."
//! 0 input 10                        STEP CHANGE: at the start of step STEP
//! 4000 input 10.5  # t = 100 ms     (of dt, counted from the run's start)
//! 8000 param hh.g_na=0              a preset key changed (as --set takes it)
//! 9000 unset hh.g_na                back to the preset's own value
//! 9000 bias 3 1.2                   neuron 3's bias
//! 12000 reset                       back to t = 0: the steps count again
//! 500 open lif-constant             another preset (set and | lines follow)
//! 20000 end                         the session ended here
//! ```
//!
//! After a change, ` # ` starts a comment (the time, written for people;
//! after an `end` written on a signal, also the signal: `, SIGHUP`).
//! Every line ends with a newline: a last line without one was cut short.
//! Lines are flushed as they are made, so a session killed outright (no
//! signal it can answer) leaves a journal that plays up to its last change.

mod lines;

use std::path::Path;

use super::change::Change;
use crate::preset::time::format_time;
use crate::preset::{PresetError, PresetSource};
use lines::{Lines, strip_comment};

/// The first line of every journal.
pub const MAGIC: &str = "spikescope journal 1";

/// What happened at a step.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Change(Change),
    /// The session ended.
    End,
}

/// One event with where it is in the journal.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The line it starts on (1-based).
    pub line: usize,
    /// The step of its run at whose start it applied.
    pub step: u64,
    pub event: Event,
    /// The run's time its comment gives (`# t = 75 ms`, as the recorder
    /// writes it), if it gives one.
    pub comment_t_s: Option<f64>,
}

impl Entry {
    /// Where the step and the time its comment gives part at the run's
    /// `dt_s` (by more than a step and a thousandth): what to say of it. A
    /// step number edited, or damaged, to 4233000000 from 4233 plays 2.4
    /// days of simulated time at 50 µs, where the comment says 211.65 ms.
    pub fn step_unlike_its_comment(&self, dt_s: f64) -> Option<String> {
        let said = self.comment_t_s?;
        let at = self.step as f64 * dt_s;
        let apart = (at - said).abs();
        (apart > dt_s && apart > 1e-3 * said.abs()).then(|| {
            format!(
                "step {} is t = {} at dt = {}, where its comment says t = {}: \
                 was the step number changed?",
                self.step,
                format_time(at),
                format_time(dt_s),
                format_time(said)
            )
        })
    }

    /// Whether it starts a new run (time from 0 again): a reset, or
    /// another preset opened.
    pub fn starts_run(&self) -> bool {
        matches!(self.event, Event::Change(Change::Reset | Change::Open(_)))
    }
}

/// A damaged line: where (the line; the column and width, in characters,
/// of the part at fault), what it says, what is wrong, what is valid.
#[derive(Debug, Clone, PartialEq)]
pub struct JournalError {
    pub file: String,
    pub line: usize,
    /// Column and width (a line of 4e9 characters is read as that long).
    pub at: Option<(u32, u32)>,
    pub text: String,
    pub problem: String,
    pub valid: String,
}

impl std::fmt::Display for JournalError {
    /// As a preset's errors read: `FILE:LINE:COLUMN: problem`, what is
    /// valid, and the line with a caret under the part at fault.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some((column, width)) = self.at {
            let (column, width) = (column as usize, width as usize);
            let mut e = PresetError::new(&self.file, self.problem.as_str());
            if !self.valid.is_empty() {
                e = e.valid(self.valid.as_str());
            }
            e.position = Some((self.line, column));
            e.excerpt = Some((self.text.clone(), column, width));
            return write!(f, "{e}");
        }
        // Line 0: the file as a whole (it cannot be read).
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.problem)?;
        } else {
            write!(f, "{}:{}: {}", self.file, self.line, self.problem)?;
        }
        if !self.valid.is_empty() {
            write!(f, "\n  valid: {}", self.valid)?;
        }
        Ok(())
    }
}

/// A journal read: its first preset, the events up to the first damaged
/// line, and that line's error if there is one.
#[derive(Debug, Clone)]
pub struct Journal {
    pub file: String,
    pub preset: PresetSource,
    /// The line of `preset NAME`.
    pub preset_line: usize,
    pub entries: Vec<Entry>,
    pub damage: Option<JournalError>,
    /// Lines in the file.
    pub line_count: usize,
    /// Whether the file ends inside a preset's text: the recorder writes a
    /// preset whole, with a change or `end` after it in a session that went
    /// on, so the text may have been cut there.
    pub ends_in_preset: bool,
}

const EVENTS: &str = "STEP input X, STEP bias NEURON B, STEP param KEY=VALUE, STEP unset KEY, \
                      STEP reset, STEP open PRESET (then its set and | lines), STEP end";

/// A journal's bytes as text. A byte that is not UTF-8 inside a comment
/// (a Latin-1 `é` an editor wrote) is read as U+FFFD, comments not being
/// played; anywhere else its line is refused, pointed at.
fn text_of(file: &str, bytes: Vec<u8>) -> Result<String, JournalError> {
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return Ok(text),
        Err(e) => e.into_bytes(),
    };
    let mut lines = Vec::new();
    for (k, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        if let Err(e) = std::str::from_utf8(raw) {
            let before = &raw[..e.valid_up_to()];
            if !before.contains(&b'#') {
                let column = String::from_utf8_lossy(before).chars().count() + 1;
                return Err(JournalError {
                    file: file.to_string(),
                    line: k + 1,
                    at: Some((column as u32, 1)),
                    text: String::from_utf8_lossy(raw).into_owned(),
                    problem: "not UTF-8 text".into(),
                    valid: "a journal written by --record (text; other bytes only in a comment)"
                        .into(),
                });
            }
        }
        lines.push(String::from_utf8_lossy(raw));
    }
    Ok(lines.join("\n"))
}

impl Journal {
    pub fn read(path: &Path) -> Result<Self, JournalError> {
        let file = path.display().to_string();
        let refused = |problem: String| JournalError {
            file: file.clone(),
            line: 0,
            at: None,
            text: String::new(),
            problem,
            valid: "a journal written by --record".into(),
        };
        if let Some(problem) = crate::text::not_a_file_to_read(path) {
            return Err(refused(problem.into()));
        }
        let bytes = std::fs::read(path).map_err(|e| refused(crate::text::cannot_read(&e)))?;
        if let Some(what) = crate::file_kind::not_text(&bytes) {
            return Err(JournalError {
                valid: what.valid(&file, "a journal written by --record"),
                ..refused(what.problem.into())
            });
        }
        let text = text_of(&file, bytes)?;
        Self::parse(&file, &text)
    }

    /// Reads a journal's text. An error here means nothing can play (no
    /// header or no first preset); a damaged line later is kept in
    /// `damage`, with the events before it.
    pub fn parse(file: &str, text: &str) -> Result<Self, JournalError> {
        let mut lines = Lines::new(file, text);
        let first = lines.next_line();
        if first.as_ref().map(|(_, t)| t.trim()) != Some(MAGIC) {
            let (line, first_line) = first.unwrap_or((1, String::new()));
            // A preset or a spike file given for a journal: said which, and
            // what reads it.
            let own = crate::file_kind::own_file(text);
            let problem = own.map_or("not a spikescope journal".to_string(), |own| {
                format!("{}, not a journal", own.what())
            });
            let valid = own
                .and_then(|own| own.read_by(file))
                .unwrap_or_else(|| format!("the first line is `{MAGIC}`"));
            return Err(lines.error(line, &first_line, &first_line, &problem, &valid));
        }
        lines.skip_comments();
        let (preset_line, preset) = match lines.next_line() {
            Some((n, t)) => match t.strip_prefix("preset ") {
                Some(origin) => (n, lines.preset_block(strip_comment(origin).trim())?),
                None => {
                    return Err(lines.error(
                        n,
                        &t,
                        &t,
                        "the preset is missing",
                        "after the first line and comments, `preset NAME` and the preset's \
                         text in `| ` lines",
                    ));
                }
            },
            None => {
                let n = lines.count + 1;
                return Err(lines.error(
                    n,
                    "",
                    "",
                    "the journal ends before its preset",
                    "`preset NAME` and the preset's text in `| ` lines",
                ));
            }
        };
        let mut journal = Journal {
            file: file.to_string(),
            preset,
            preset_line,
            entries: Vec::new(),
            damage: None,
            line_count: 0,
            ends_in_preset: false,
        };
        if let Err(e) = lines.events(&mut journal.entries) {
            journal.damage = Some(e);
        }
        journal.line_count = lines.count;
        journal.ends_in_preset = lines.ended_in_preset;
        Ok(journal)
    }

    /// The step where play stops: the `end`, else the last event's.
    pub fn last_step(&self) -> u64 {
        self.entries.last().map_or(0, |e| e.step)
    }

    /// Whether the journal ends with `end` (a session that ended).
    pub fn ended(&self) -> bool {
        matches!(self.entries.last(), Some(e) if e.event == Event::End)
    }

    /// What was played short of a whole journal, to tell the user: the
    /// damaged line, or a missing `end`.
    pub fn shortfall(&self) -> Option<JournalError> {
        if let Some(d) = &self.damage {
            return Some(d.clone());
        }
        // A preset's text the file ends in may be cut: played as read, it
        // can be another experiment (a cut before `model` reads as HH).
        let problem = if self.ends_in_preset {
            "the journal ends inside a preset's text, with no `end` line: the text may be cut \
             there (a preset is recorded whole, then its changes), and it plays as read"
        } else {
            "the journal has no `end` line (the session was cut short?): it plays to its last \
             change"
        };
        (!self.ended()).then(|| JournalError {
            file: self.file.clone(),
            line: self.line_count,
            at: None,
            text: String::new(),
            problem: problem.into(),
            valid: String::new(),
        })
    }
}

#[cfg(test)]
mod tests;
