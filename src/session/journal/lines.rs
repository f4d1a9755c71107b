//! A journal's lines read one by one: the header, a preset block (`preset`,
//! `set` and `| ` lines) and the events, each refused with its line and a
//! caret under the part at fault.

use super::{EVENTS, Entry, Event, JournalError};
use crate::preset::time::parse_time;
use crate::preset::{MAX_STEPS, PresetSource};
use crate::session::change::Change;

/// The journal's lines with their numbers.
pub(super) struct Lines<'a> {
    file: &'a str,
    rest: &'a str,
    pub(super) count: usize,
    pushed: Option<(usize, String)>,
    /// The last line, when it has no newline (it was cut short).
    cut_line: Option<usize>,
    /// Whether the lines ran out inside a preset's text.
    pub(super) ended_in_preset: bool,
}

impl<'a> Lines<'a> {
    pub(super) fn new(file: &'a str, text: &'a str) -> Self {
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
    pub(super) fn error(
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
    pub(super) fn next_line(&mut self) -> Option<(usize, String)> {
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

    pub(super) fn skip_comments(&mut self) {
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
    pub(super) fn preset_block(&mut self, origin: &str) -> Result<PresetSource, JournalError> {
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
    pub(super) fn events(&mut self, out: &mut Vec<Entry>) -> Result<(), JournalError> {
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
            // A step no run can reach (`run`'s bound): a damaged number
            // would otherwise be played for days, or to the end of u64.
            if step as f64 > MAX_STEPS {
                return Err(self.error(
                    n,
                    &t,
                    step_text,
                    &format!("step {step} is past what a run can take"),
                    &format!("a step number of at most {MAX_STEPS:.0e}"),
                ));
            }
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
                comment_t_s: comment_time(&t),
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

/// The time a line's comment gives, as the recorder writes it: `# t = 75
/// ms` or `# t = 396.65 ms, SIGHUP`.
fn comment_time(line: &str) -> Option<f64> {
    let comment = &line[strip_comment(line).len()..];
    let after = comment.split_once("# t = ")?.1;
    let time = after.split(',').next()?.trim();
    parse_time(time).ok().filter(|t| t.is_finite())
}

/// The part of an event line before its comment (` # ...`).
pub(super) fn strip_comment(s: &str) -> &str {
    match s.find(" #").or_else(|| s.find("\t#")) {
        Some(i) => &s[..i],
        None => s,
    }
}
