//! Overlays on top of the main screen: the help (generated from the key
//! table), the preset's guidance, the preset picker and typed entries. An
//! open overlay takes the keys; what it decides is returned as a `Command`
//! for `App::apply`, like any other key.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::app::App;
use super::command::Command;
use super::line_edit::edit_line;
use super::model_info::input_label;
use super::theme::{Theme, ascii_glyph};
use super::words::wrap_words;

mod picker;
mod reading;

/// What a typed entry sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryFor {
    /// The input level (a number).
    Input,
    /// The selected neuron (its number, below `count`).
    Neuron { count: usize },
}

/// An overlay on top of the main screen; it takes the keys while open.
#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    None,
    /// The keys; `page` counts round the pages a small screen needs.
    Help {
        page: i32,
    },
    /// The preset's "look at" guidance, paged likewise.
    Guide {
        page: i32,
    },
    /// The preset list; `typed` the start of a name typed to choose in
    /// it, `path` Some while a path is being typed; `error` holds why the
    /// last choice did not open, `note` what Tab found.
    Picker {
        index: usize,
        typed: String,
        path: Option<String>,
        error: Option<String>,
        note: Option<String>,
    },
    /// Typing a value: the input, or the number of the neuron to select;
    /// `error` says why the last Enter was refused.
    Entry {
        text: String,
        sets: EntryFor,
        error: Option<String>,
    },
    /// The live parameters panel: the chosen row, its field while a value
    /// is typed, and why the last change was refused.
    Params {
        index: usize,
        text: Option<String>,
        error: Option<String>,
    },
}

/// What a key in an overlay leads to.
#[derive(Debug, Clone, PartialEq)]
pub enum OverlayOutcome {
    Stay,
    Close,
    Command(Command),
}

/// Longest text an entry or a path takes.
pub(super) const ENTRY_MAX: usize = 32;

impl Overlay {
    pub fn entry_for_input() -> Self {
        Overlay::Entry {
            text: String::new(),
            sets: EntryFor::Input,
            error: None,
        }
    }

    /// The neuron entry of a model of `count` neurons.
    pub fn entry_for_neuron(count: usize) -> Self {
        Overlay::Entry {
            text: String::new(),
            sets: EntryFor::Neuron { count },
            error: None,
        }
    }

    /// The preset list, on the preset open now where it is a bundled one
    /// (`origin`, as the preset was named).
    pub fn picker(origin: &str) -> Self {
        let index = crate::preset::bundled::BUNDLED
            .iter()
            .position(|(name, _)| *name == origin)
            .unwrap_or(0);
        Overlay::Picker {
            index,
            typed: String::new(),
            path: None,
            error: None,
            note: None,
        }
    }

    /// Takes pasted text into the open text field: a value, a neuron's
    /// number, a path (a paste in the preset list starts one). Its control
    /// characters (a pasted line break) are dropped, and it is cut at the
    /// field's length. Returns whether a field took it.
    pub fn on_paste(&mut self, pasted: &str) -> bool {
        let clean = pasted.chars().filter(|c| !c.is_control());
        match self {
            Overlay::Entry { text, error, .. } => {
                let room = ENTRY_MAX.saturating_sub(text.chars().count());
                text.extend(clean.take(room));
                *error = None;
                true
            }
            Overlay::Picker {
                index,
                typed,
                path,
                error,
                note,
            } => {
                let state = picker::PickerState {
                    index,
                    typed,
                    path,
                    error,
                    note,
                };
                picker::on_paste(state, clean);
                true
            }
            Overlay::Params {
                text: Some(text),
                error,
                ..
            } => {
                let room = ENTRY_MAX.saturating_sub(text.chars().count());
                text.extend(clean.take(room));
                *error = None;
                true
            }
            Overlay::None
            | Overlay::Help { .. }
            | Overlay::Guide { .. }
            | Overlay::Params { .. } => false,
        }
    }

    /// The keys this overlay takes, as the status line's key row shows
    /// them while it is open (the scope's keys do not reach it: q closes
    /// the help, where the row said `q quit`, and types a letter into a
    /// value); None with no overlay. `on_key` is what they do.
    pub fn key_hints(&self) -> Option<&'static [&'static str]> {
        Some(match self {
            Overlay::None => return None,
            // Their pages' keys are in their titles, where there are pages.
            Overlay::Help { .. } => &["Esc ? q close", "C-c quit"],
            Overlay::Guide { .. } => &["Esc a q close", "C-c quit"],
            // Enter types a value or ticks a box: the panel's border says
            // "Enter change" too.
            Overlay::Params { text: None, .. } => &[
                "Up Down choose",
                "Enter change",
                "Esc p q close",
                "C-c quit",
            ],
            Overlay::Params { text: Some(_), .. } | Overlay::Entry { .. } => {
                &["Enter apply", "Esc cancel", "C-c quit"]
            }
            // The list takes the whole height, the status line too, and
            // says its keys in its border.
            Overlay::Picker { .. } => &[],
        })
    }

    /// Handles a key while this overlay is open.
    /// `input_unit`: the unit the input entry shows after the value (a
    /// typed value may carry it).
    pub fn on_key(&mut self, key: &KeyEvent, input_unit: &str) -> OverlayOutcome {
        use OverlayOutcome::{Close, Stay};
        match self {
            Overlay::None => Stay,
            Overlay::Help { page } | Overlay::Guide { page } => match key.code {
                KeyCode::Esc | KeyCode::Char('?' | 'q' | 'a') | KeyCode::Enter => Close,
                KeyCode::Char(' ' | 'j') | KeyCode::Down | KeyCode::PageDown => {
                    *page += 1;
                    Stay
                }
                KeyCode::Char('k') | KeyCode::Up | KeyCode::PageUp => {
                    *page -= 1;
                    Stay
                }
                _ => Stay,
            },
            Overlay::Entry { text, sets, error } => match key.code {
                KeyCode::Esc => Close,
                KeyCode::Enter => match parse_entry(*sets, text.trim(), input_unit) {
                    Ok(c) => OverlayOutcome::Command(c),
                    Err(why) => {
                        *error = Some(why);
                        Stay
                    }
                },
                _ => {
                    if edit_line(text, key, |t, _| t.chars().count() < ENTRY_MAX) {
                        *error = None;
                    }
                    Stay
                }
            },
            Overlay::Params { text, error, .. } => super::params::on_key(key, text, error),
            Overlay::Picker {
                index,
                typed,
                path,
                error,
                note,
            } => picker::on_key(
                key,
                picker::PickerState {
                    index,
                    typed,
                    path,
                    error,
                    note,
                },
            ),
        }
    }
}

/// A typed value as a command, or why it is refused (in the user's own
/// words: the text they typed is quoted back).
fn parse_entry(sets: EntryFor, text: &str, input_unit: &str) -> Result<Command, String> {
    match sets {
        EntryFor::Input => parse_in_unit(text, input_unit).map(Command::SetInput),
        // A number past the last neuron is refused here, the entry open to
        // mend it (it closed, and the complaint went to the status line).
        EntryFor::Neuron { count } => match text.parse::<usize>() {
            Ok(i) if i < count => Ok(Command::Select(i)),
            Ok(i) => Err(format!(
                "no neuron {i}: neurons are numbered 0 to {}",
                count.saturating_sub(1)
            )),
            Err(_) => Err(format!("\"{text}\" is not a neuron number (0, 1, 2, ...)")),
        },
    }
}

/// The unit shown after a value being typed, as a hint (a space, then the
/// unit): none once the text carries a unit of its own (`10 ms`, `0.01
/// s`), which the hint would contradict (`= 0.01 s_ ms`). A letter other
/// than an exponent's `e` is taken for the start of a unit.
pub fn unit_hint(text: &str, unit: &str) -> String {
    let typed_a_unit = text
        .chars()
        .any(|c| c.is_alphabetic() && !matches!(c, 'e' | 'E'));
    if typed_a_unit || unit.is_empty() {
        String::new()
    } else {
        format!(" {unit}")
    }
}

/// A number as `parse_number` reads it, alone or followed by `unit` as the
/// screen shows it (`-40 mV`, `12 µA/cm²`, in ASCII `12 uA/cm2`).
pub fn parse_in_unit(text: &str, unit: &str) -> Result<f64, String> {
    let plain = parse_number(text);
    if plain.is_ok() || unit.is_empty() || text.is_empty() || overflows(text) {
        return plain;
    }
    let ascii: String = unit
        .chars()
        .map(|c| {
            if c.is_ascii() {
                c.to_string()
            } else {
                ascii_glyph(&c.to_string()).to_string()
            }
        })
        .collect();
    for unit in [unit, ascii.as_str()] {
        if let Some(number) = text.strip_suffix(unit) {
            let number = number.trim_end();
            let read = parse_number(number);
            if read.is_ok() || overflows(number) {
                return read;
            }
        }
    }
    // A number then another unit (`15 uA`, `14 mV`): say which unit this
    // is, with the number typed, rather than call it no number.
    if let Some((number, rest)) = number_then_rest(text) {
        return Err(format!(
            "\"{text}\": the value is in {unit}, not {rest}: type {number} or {number} {unit}"
        ));
    }
    plain.map_err(|e| format!("{e} (in {unit}, which may follow: 10 {unit})"))
}

/// `text` as a number followed by a word (a unit: a letter, not followed
/// by a digit, so that `0x10` stays no number), if it is one: the number as
/// typed and the rest.
fn number_then_rest(text: &str) -> Option<(&str, &str)> {
    let (i, _) = text.char_indices().find(|&(_, c)| c.is_alphabetic())?;
    let (number, rest) = (text[..i].trim_end(), &text[i..]);
    let unit_like = !rest.chars().nth(1).is_some_and(|c| c.is_ascii_digit());
    (unit_like && parse_number(number).is_ok()).then_some((number, rest.trim_end()))
}

/// A decimal number as people type it: `1.5`, `-2`, `1e-3`, or with a
/// decimal comma (`1,5`). Anything else (`0x10`, `abc`, `1,5,2`, `inf`) is
/// refused with the text typed.
pub fn parse_number(text: &str) -> Result<f64, String> {
    let refuse = || {
        Err(format!(
            "\"{text}\" is not a number: type digits with . or , for decimals (1.5, -2, 1e-3)"
        ))
    };
    if text.is_empty() {
        return Err("type a number, then Enter (Esc cancels)".into());
    }
    match as_typed(text) {
        Some(x) if x.is_finite() => Ok(x),
        // Digits that overflow (`1e400`) are a number, too large to hold:
        // "not a number" would send the user looking for a typing mistake.
        Some(_) => Err(format!(
            "\"{text}\" is too large a number (the largest is about 1.8e308)"
        )),
        None => refuse(),
    }
}

/// `text` read as digits with a decimal point or comma and an exponent, if
/// it is that (an overflow reads as infinite).
fn as_typed(text: &str) -> Option<f64> {
    let decimal = if text.matches(',').count() == 1 && !text.contains('.') {
        text.replace(',', ".")
    } else {
        text.to_string()
    };
    let plain = decimal
        .chars()
        .all(|c| c.is_ascii_digit() || "+-.eE".contains(c));
    decimal.parse::<f64>().ok().filter(|_| plain)
}

/// Whether `text` is digits too large for any number (`1e400`).
fn overflows(text: &str) -> bool {
    as_typed(text).is_some_and(f64::is_infinite)
}

/// `~` or `~/...` at the start of a typed path means the home directory.
pub fn expand_home(path: &str) -> String {
    let home = std::env::var("HOME").unwrap_or_default();
    if home.is_empty() {
        return path.to_string();
    }
    match path.strip_prefix('~') {
        Some("") => home,
        Some(rest) if rest.starts_with('/') => format!("{home}{rest}"),
        _ => path.to_string(),
    }
}

/// The first of `len` rows to draw in `visible` rows so that row `index`
/// is in view with `after` rows after it where the list has them: a list
/// longer than its box scrolls with the choice.
pub fn scroll_to_show(index: usize, len: usize, visible: u16, after: usize) -> u16 {
    let visible = visible as usize;
    if len <= visible {
        return 0;
    }
    let first = (index + after + 1)
        .saturating_sub(visible)
        .min(index)
        .min(len - visible);
    u16::try_from(first).unwrap_or(u16::MAX)
}

/// Where a list that scrolls in its box is, for the box's bottom border:
/// which rows show of how many, and where the rest lie (` 1-8 of 10 · more
/// below `); None where every row shows. At 60x16 HH's parameters showed
/// eight rows of ten, and nothing said TTX and TEA lay below.
pub fn rows_shown(first: usize, shown: usize, len: usize) -> Option<String> {
    let last = (first + shown).min(len);
    let rest = match (first > 0, last < len) {
        (false, false) => return None,
        (false, true) => "below",
        (true, false) => "above",
        (true, true) => "above and below",
    };
    Some(format!(" {}-{last} of {len} · more {rest} ", first + 1))
}

/// A centred box of at most `w` x `h` inside `area`.
pub(super) fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// Draws the open overlay over `screen` (the whole terminal).
pub fn render(frame: &mut Frame, screen: Rect, main: Rect, app: &App, theme: &Theme) {
    match &app.overlay {
        Overlay::None => {
            if app.guide_shown() {
                reading::guide_banner(frame, main, app, theme);
            }
        }
        Overlay::Help { page } => reading::help(frame, screen, main, *page, theme),
        Overlay::Guide { page } => reading::guide(frame, screen, app, *page, theme),
        Overlay::Picker {
            index,
            typed,
            path,
            error,
            note,
        } => picker::render(
            frame,
            screen,
            (*index, typed),
            path.as_deref(),
            picker::Said {
                note: note.as_deref(),
                error: error.as_deref(),
                message: app.message.as_ref(),
            },
            theme,
        ),
        Overlay::Entry { text, sets, error } => {
            entry(frame, main, app, text, *sets, error.as_deref(), theme)
        }
        Overlay::Params { index, text, error } => super::params::render(
            frame,
            main,
            app,
            *index,
            text.as_deref(),
            error.as_deref(),
            theme,
        ),
    }
}

fn entry(
    frame: &mut Frame,
    main: Rect,
    app: &App,
    text: &str,
    sets: EntryFor,
    error: Option<&str>,
    theme: &Theme,
) {
    let (prompt, unit, title) = match sets {
        EntryFor::Input => {
            let (name, unit) = input_label(&app.sim);
            (
                format!(" {name} = "),
                unit_hint(text, unit),
                " type a value · Enter applies · Esc cancels ",
            )
        }
        EntryFor::Neuron { count } => (
            format!(" neuron (0-{}): ", count.saturating_sub(1)),
            String::new(),
            " go to a neuron · Enter selects · Esc cancels ",
        ),
    };
    let width = main.width.min(76);
    let mut body = vec![Line::from(vec![
        Span::raw(prompt),
        Span::styled(format!("{text}_"), theme.selected()),
        Span::raw(unit),
    ])];
    if let Some(e) = error {
        body.extend(
            wrap_words(e, width.saturating_sub(4) as usize)
                .into_iter()
                .map(|l| Line::styled(format!(" {l}"), theme.error())),
        );
    }
    let r = centered(main, width, body.len() as u16 + 2);
    frame.render_widget(Clear, r);
    frame.render_widget(
        Paragraph::new(body).block(Block::bordered().title(title)),
        r,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_people_type_them() {
        assert_eq!(parse_number("1.5"), Ok(1.5));
        assert_eq!(parse_number("1,5"), Ok(1.5));
        assert_eq!(parse_number("-2"), Ok(-2.0));
        assert_eq!(parse_number("1e-3"), Ok(1e-3));
        for bad in ["0x10", "abc", "1,5,2", "inf", "NaN", "1.5.2", "12 mV"] {
            let e = parse_number(bad).unwrap_err();
            assert!(e.starts_with(&format!("\"{bad}\" is not a number")), "{e}");
        }
        for huge in ["1e400", "-1e400", "2e308"] {
            assert_eq!(
                parse_number(huge).unwrap_err(),
                format!("\"{huge}\" is too large a number (the largest is about 1.8e308)")
            );
        }
        // So with a unit, or where one may follow.
        assert_eq!(
            parse_in_unit("1e400 uA/cm2", "µA/cm²").unwrap_err(),
            "\"1e400\" is too large a number (the largest is about 1.8e308)"
        );
        assert_eq!(
            parse_in_unit("1e400", "µA/cm²").unwrap_err(),
            "\"1e400\" is too large a number (the largest is about 1.8e308)"
        );
        assert_eq!(parse_in_unit("12 uA/cm2", "µA/cm²"), Ok(12.0));
    }

    #[test]
    fn a_long_list_scrolls_with_the_choice() {
        // Fits: no scroll.
        assert_eq!(scroll_to_show(5, 8, 8, 1), 0);
        // The chosen row and one after it in view, to the list's end.
        assert_eq!(scroll_to_show(0, 30, 8, 1), 0);
        assert_eq!(scroll_to_show(6, 30, 8, 1), 0);
        assert_eq!(scroll_to_show(7, 30, 8, 1), 1);
        assert_eq!(scroll_to_show(29, 30, 8, 1), 22);
        assert_eq!(scroll_to_show(9, 10, 8, 0), 2);
        // A box of one row shows the chosen one.
        assert_eq!(scroll_to_show(4, 10, 1, 1), 4);
    }

    #[test]
    fn home_expands_at_the_start_only() {
        let home = std::env::var("HOME").unwrap_or_default();
        if !home.is_empty() {
            assert_eq!(expand_home("~/p.toml"), format!("{home}/p.toml"));
            assert_eq!(expand_home("a/~/p.toml"), "a/~/p.toml");
        }
    }
}
