//! Editing a one-line text field (a typed value, a parameter, a preset's
//! path) with the keys a shell's line editor has taught people: a control
//! key edits, it never types its letter.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Applies `key` to `text` and says whether the text changed: a printable
/// character is appended while `fits(text, c)`; Backspace deletes the last
/// character, Ctrl-U the whole line, Ctrl-W the last word (with the spaces
/// after it). Any other key with Ctrl or Alt types nothing (Ctrl-U is not a
/// `u`); Enter and Esc are the caller's.
pub fn edit_line(text: &mut String, key: &KeyEvent, fits: impl Fn(&str, char) -> bool) -> bool {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    match key.code {
        KeyCode::Backspace => text.pop().is_some(),
        KeyCode::Char('u') if ctrl => {
            let changed = !text.is_empty();
            text.clear();
            changed
        }
        KeyCode::Char('w') if ctrl => {
            let before = text.len();
            let word_end = text.trim_end().len();
            let word_start = text[..word_end]
                .rfind(char::is_whitespace)
                .map_or(0, |i| i + 1);
            text.truncate(word_start);
            text.len() != before
        }
        KeyCode::Char(c) if !ctrl && !alt && !c.is_control() && fits(text, c) => {
            text.push(c);
            true
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(text: &str, code: KeyCode, modifiers: KeyModifiers) -> (String, bool) {
        let mut t = text.to_string();
        let changed = edit_line(&mut t, &KeyEvent::new(code, modifiers), |t, _| t.len() < 8);
        (t, changed)
    }

    #[test]
    fn keys_edit_the_line_as_a_shell_does() {
        let none = KeyModifiers::NONE;
        let ctrl = KeyModifiers::CONTROL;
        assert_eq!(press("10", KeyCode::Char('5'), none), ("105".into(), true));
        assert_eq!(
            press("10 ms", KeyCode::Backspace, none),
            ("10 m".into(), true)
        );
        assert_eq!(press("", KeyCode::Backspace, none), ("".into(), false));
        assert_eq!(press("10 ms", KeyCode::Char('u'), ctrl), ("".into(), true));
        assert_eq!(
            press("10 ms  ", KeyCode::Char('w'), ctrl),
            ("10 ".into(), true)
        );
        assert_eq!(press("10", KeyCode::Char('w'), ctrl), ("".into(), true));
        // Other control and Alt keys type nothing; the field has a limit.
        assert_eq!(press("10", KeyCode::Char('a'), ctrl), ("10".into(), false));
        assert_eq!(
            press("10", KeyCode::Char('b'), KeyModifiers::ALT),
            ("10".into(), false)
        );
        assert_eq!(
            press("12345678", KeyCode::Char('9'), none),
            ("12345678".into(), false)
        );
        // A capital letter comes with Shift, and is typed.
        assert_eq!(
            press("e", KeyCode::Char('E'), KeyModifiers::SHIFT),
            ("eE".into(), true)
        );
    }
}
