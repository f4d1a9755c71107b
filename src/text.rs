//! Text from users (preset names, descriptions, file paths, values quoted
//! in errors) on its way to a terminal, and lines written to standard
//! output and error. A control character in a name could set the window
//! title or clear the screen, so each is shown as a visible stand-in; a
//! closed standard output or error must not end the program in a panic.

use std::borrow::Cow;
use std::io::{self, Write};

/// `text` with every control character made visible: C0 and DEL in caret
/// notation (ESC is `^[`), C1 as `?`; tabs become spaces, and line breaks
/// stay only where `keep_lines` allows several lines.
pub fn printable(text: &str, keep_lines: bool) -> Cow<'_, str> {
    let needs = |c: char| c.is_control() && !(keep_lines && c == '\n');
    if !text.chars().any(needs) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' if keep_lines => out.push('\n'),
            '\t' | '\n' | '\r' => out.push(' '),
            '\u{7f}' => out.push_str("^?"),
            c if (c as u32) < 0x20 => {
                out.push('^');
                out.push(char::from(b'@' + c as u8));
            }
            c if c.is_control() => out.push('?'),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Writes `text` and a line break to standard output. A reader that has
/// gone (`| head`) is not an error: the result says whether it was written.
pub fn out_line(text: &str) -> bool {
    let mut out = io::stdout().lock();
    writeln!(out, "{text}").and_then(|()| out.flush()).is_ok()
}

/// Writes `text` and a line break to standard error; a closed standard
/// error is ignored (there is nowhere left to say anything).
pub fn err_line(text: &str) {
    let mut err = io::stderr().lock();
    let _ = writeln!(err, "{text}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_not_sent() {
        assert_eq!(printable("plain µA/cm²", false), "plain µA/cm²");
        assert_eq!(
            printable("a\u{1b}]0;owned\u{7}b\u{7f}c\u{9b}2J", false),
            "a^[]0;owned^Gb^?c?2J"
        );
        assert_eq!(
            printable("two\nlines\tand\rmore", false),
            "two lines and more"
        );
        assert_eq!(printable("two\nlines", true), "two\nlines");
        assert!(matches!(printable("clean", true), Cow::Borrowed(_)));
    }
}
