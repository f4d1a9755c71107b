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
//! After a change, ` # ` starts a comment (the time, written for people).
//! Every line ends with a newline: a last line without one was cut short.
//! Lines are flushed as they are made, so a session that is killed leaves a
//! journal that plays up to its last change.

use std::path::Path;

use super::change::Change;
use crate::preset::{PresetError, PresetSource};

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
}

impl Entry {
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
        let bytes = std::fs::read(path).map_err(|e| JournalError {
            file: file.clone(),
            line: 0,
            at: None,
            text: String::new(),
            problem: crate::text::cannot_read(&e),
            valid: "a journal written by --record".into(),
        })?;
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
            let (line, text) = first.unwrap_or((1, String::new()));
            return Err(lines.error(
                line,
                &text,
                &text,
                "not a spikescope journal",
                &format!("the first line is `{MAGIC}`"),
            ));
        }
        lines.skip_comments();
        let preset = match lines.next_line() {
            Some((n, t)) => match t.strip_prefix("preset ") {
                Some(origin) => lines.preset_block(strip_comment(origin).trim())?,
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

/// The journal's lines with their numbers.
struct Lines<'a> {
    file: &'a str,
    rest: &'a str,
    count: usize,
    pushed: Option<(usize, String)>,
    /// The last line, when it has no newline (it was cut short).
    cut_line: Option<usize>,
    /// Whether the lines ran out inside a preset's text.
    ended_in_preset: bool,
}

impl<'a> Lines<'a> {
    fn new(file: &'a str, text: &'a str) -> Self {
        Self {
            file,
            rest: text,
            count: 0,
            pushed: None,
            cut_line: None,
            ended_in_preset: false,
        }
    }

    /// An error at `part` of line `line` (`text`): a slice of it, or the
    /// place just past what the line says when the part is missing (empty,
    /// or not of the line).
    fn error(
        &self,
        line: usize,
        text: &str,
        part: &str,
        problem: &str,
        valid: &str,
    ) -> JournalError {
        let offset = (part.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
        let count = |s: &str| u32::try_from(s.chars().count()).unwrap_or(u32::MAX - 1);
        let at = if text.is_empty() {
            None
        } else if !part.is_empty() && offset < text.len() {
            Some((count(&text[..offset]) + 1, count(part)))
        } else {
            Some((count(strip_comment(text).trim_end()) + 1, 1))
        };
        JournalError {
            file: self.file.to_string(),
            line,
            at,
            text: text.to_string(),
            problem: problem.to_string(),
            valid: valid.to_string(),
        }
    }

    /// The next line (number, text without its newline). A last line with
    /// no newline is noted for `cut_short`.
    fn next_line(&mut self) -> Option<(usize, String)> {
        if let Some(p) = self.pushed.take() {
            return Some(p);
        }
        if self.rest.is_empty() {
            return None;
        }
        self.count += 1;
        let (line, rest) = match self.rest.split_once('\n') {
            Some((l, r)) => (l, r),
            None => {
                let l = self.rest;
                self.rest = "";
                self.cut_line = Some(self.count);
                return Some((self.count, l.to_string()));
            }
        };
        self.rest = rest;
        Some((
            self.count,
            line.strip_suffix('\r').unwrap_or(line).to_string(),
        ))
    }

    fn push_back(&mut self, line: (usize, String)) {
        self.pushed = Some(line);
    }

    fn skip_comments(&mut self) {
        while let Some(l) = self.next_line() {
            if !(l.1.trim().is_empty() || l.1.starts_with('#')) {
                self.push_back(l);
                return;
            }
        }
    }

    fn cut_short(&self, n: usize, text: &str) -> Option<JournalError> {
        (self.cut_line == Some(n)).then(|| {
            self.error(
                n,
                text,
                text,
                "the line is cut short (no end of line): the journal was truncated",
                "whole lines, each ending with a newline",
            )
        })
    }

    /// `set` lines then `|` lines: a preset's overrides and text.
    fn preset_block(&mut self, origin: &str) -> Result<PresetSource, JournalError> {
        let mut overrides = Vec::new();
        let mut text = String::new();
        let mut any_text = false;
        while let Some((n, t)) = self.next_line() {
            if let Some(e) = self.cut_short(n, &t) {
                return Err(e);
            }
            if let Some(o) = t.strip_prefix("set ") {
                if any_text {
                    return Err(self.error(
                        n,
                        &t,
                        &t[..3],
                        "a `set` line after the preset's text",
                        "`set KEY=VALUE` lines before the `| ` lines",
                    ));
                }
                overrides.push(strip_comment(o).trim().to_string());
            } else if let Some(body) = t.strip_prefix("| ").or((t == "|").then_some("")) {
                text.push_str(body);
                text.push('\n');
                any_text = true;
            } else {
                self.push_back((n, t));
                break;
            }
        }
        self.ended_in_preset = self.pushed.is_none() && self.rest.is_empty();
        if !any_text {
            let n = self.count;
            return Err(self.error(
                n,
                "",
                "",
                &format!("the preset `{origin}` has no text"),
                "the preset's text, each line after `| `",
            ));
        }
        Ok(PresetSource {
            origin: origin.to_string(),
            text,
            overrides,
        })
    }

    /// The events after the first preset, up to the first damaged line.
    fn events(&mut self, out: &mut Vec<Entry>) -> Result<(), JournalError> {
        let mut run_step = 0u64;
        while let Some((n, t)) = self.next_line() {
            if let Some(e) = self.cut_short(n, &t) {
                return Err(e);
            }
            if t.trim().is_empty() || t.starts_with('#') {
                continue;
            }
            if let Some(end) = out.last().filter(|e| e.event == Event::End) {
                return Err(self.error(
                    n,
                    &t,
                    &t,
                    &format!("a line after the `end` on line {}", end.line),
                    "nothing after `end`",
                ));
            }
            let body = strip_comment(&t).trim();
            let (step_text, rest) = body.split_once(' ').unwrap_or((body, ""));
            let step: u64 = step_text.parse().map_err(|_| {
                self.error(
                    n,
                    &t,
                    step_text,
                    &format!("`{step_text}` is not a step number"),
                    &format!("STEP (a whole number of steps) then a change: {EVENTS}"),
                )
            })?;
            if step < run_step {
                return Err(self.error(
                    n,
                    &t,
                    step_text,
                    &format!("step {step} is before step {run_step} of the line above"),
                    "steps that never go back within a run (a reset or an open starts again at 0)",
                ));
            }
            let rest = rest.trim();
            let (word, args) = rest.split_once(' ').unwrap_or((rest, ""));
            let args = args.trim();
            let event = self.event(n, &t, word, args)?;
            run_step = match &event {
                Event::Change(Change::Reset | Change::Open(_)) => 0,
                _ => step,
            };
            out.push(Entry {
                line: n,
                step,
                event,
            });
        }
        Ok(())
    }

    fn event(&mut self, n: usize, t: &str, word: &str, args: &str) -> Result<Event, JournalError> {
        let number = |s: &str, what: &str| -> Result<f64, JournalError> {
            s.parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| {
                    self.error(
                        n,
                        t,
                        s,
                        &if s.is_empty() {
                            format!("{what} is missing")
                        } else {
                            format!("`{s}` is not a number ({what})")
                        },
                        "a finite decimal number, e.g. 10.5 or -1e-3",
                    )
                })
        };
        let no_args = |e: Event| {
            if args.is_empty() {
                Ok(e)
            } else {
                Err(self.error(
                    n,
                    t,
                    args,
                    &format!("`{word}` takes nothing after it"),
                    &format!("STEP {word}"),
                ))
            }
        };
        Ok(match word {
            "input" => Event::Change(Change::Input(number(args, "the input")?)),
            "bias" => {
                let (i, b) = args.split_once(' ').unwrap_or((args, ""));
                let neuron = i.parse().map_err(|_| {
                    self.error(
                        n,
                        t,
                        i,
                        &format!("`{i}` is not a neuron number"),
                        "STEP bias NEURON B, e.g. 120 bias 3 1.2",
                    )
                })?;
                let value = number(b.trim(), "the bias")?;
                Event::Change(Change::Bias { neuron, value })
            }
            "param" => match args.split_once('=') {
                Some((k, v)) if !k.trim().is_empty() => Event::Change(Change::Param {
                    key: k.trim().to_string(),
                    value: Some(v.trim().to_string()),
                }),
                _ => {
                    return Err(self.error(
                        n,
                        t,
                        if args.is_empty() { word } else { args },
                        "`param` needs KEY=VALUE",
                        "STEP param KEY=VALUE, e.g. 800 param hh.g_na=0",
                    ));
                }
            },
            "unset" if !args.is_empty() && !args.contains(char::is_whitespace) => {
                Event::Change(Change::Param {
                    key: args.to_string(),
                    value: None,
                })
            }
            "unset" => {
                return Err(self.error(
                    n,
                    t,
                    if args.is_empty() { word } else { args },
                    "`unset` needs one KEY",
                    "STEP unset KEY, e.g. 900 unset hh.g_na",
                ));
            }
            "reset" => no_args(Event::Change(Change::Reset))?,
            "end" => no_args(Event::End)?,
            "open" if !args.is_empty() => Event::Change(Change::Open(self.preset_block(args)?)),
            _ => {
                return Err(self.error(
                    n,
                    t,
                    word,
                    &format!("`{word}` is not a change a journal records"),
                    EVENTS,
                ));
            }
        })
    }
}

/// The part of an event line before its comment (` # ...`).
fn strip_comment(s: &str) -> &str {
    match s.find(" #").or_else(|| s.find("\t#")) {
        Some(i) => &s[..i],
        None => s,
    }
}

#[cfg(test)]
mod tests;
