//! Text from users (preset names, descriptions, file paths, values quoted
//! in errors) on its way to a terminal, and lines written to standard
//! output and error. A control character in a name could set the window
//! title or clear the screen, so each is shown as a visible stand-in; a
//! closed standard output or error must not end the program in a panic.
//! In a locale that is not UTF-8 (`LANG=C`, as SSH often leaves it) the
//! lines are written in ASCII, as the oscilloscope draws: `100 µs` would
//! reach such a terminal as `100 Âµs`.

use std::borrow::Cow;
use std::io::{self, Write};
use std::sync::OnceLock;

/// Plain digits longer than this give way to an exponent, if it is shorter.
const PLAIN_DIGITS_AT_MOST: usize = 12;

/// A number as a user would type it back, exactly and short: plain digits
/// (`120`, `0.0001`), or with an exponent where plain digits run long
/// (`1e300` and `1e-300` were written out in some 300 digits in a `--set`
/// and an error). TOML and `--set` read both forms.
pub fn exact_number(value: f64) -> String {
    let plain = format!("{value}");
    let exponent = format!("{value:e}");
    if plain.len() > PLAIN_DIGITS_AT_MOST && exponent.len() < plain.len() {
        exponent
    } else {
        plain
    }
}

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

/// Writes `text` and a line break to standard output, in the locale's
/// character set. A reader that has gone (`| head`) is not an error: the
/// result says whether it was written.
pub fn out_line(text: &str) -> bool {
    let text = for_locale(text, utf8_output());
    let mut out = io::stdout().lock();
    writeln!(out, "{text}").and_then(|()| out.flush()).is_ok()
}

/// Writes `text` and a line break to standard error, in the locale's
/// character set; a closed standard error is ignored (there is nowhere
/// left to say anything).
pub fn err_line(text: &str) {
    let text = for_locale(text, utf8_output());
    let mut err = io::stderr().lock();
    let _ = writeln!(err, "{text}");
}

/// Whether the locale's character set is UTF-8: the first of LC_ALL,
/// LC_CTYPE and LANG that is set (POSIX's order) names it.
pub fn locale_is_utf8(var: &dyn Fn(&str) -> Option<String>) -> bool {
    let locale = ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|k| var(k).filter(|v| !v.is_empty()))
        .unwrap_or_default()
        .to_ascii_uppercase();
    locale.contains("UTF-8") || locale.contains("UTF8")
}

/// This process's locale is UTF-8 (read once).
pub fn utf8_output() -> bool {
    static UTF8: OnceLock<bool> = OnceLock::new();
    *UTF8.get_or_init(|| locale_is_utf8(&|k| std::env::var(k).ok()))
}

/// `text` as a terminal in the locale's character set shows it: unchanged
/// in UTF-8; else each non-ASCII character by its ASCII stand-in (`µs` as
/// `us`, `µA/cm²` as `uA/cm2`, `τ` as `tau`), `?` where there is none.
pub fn for_locale(text: &str, utf8: bool) -> Cow<'_, str> {
    if utf8 || text.is_ascii() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(ascii_text(c).unwrap_or("?"));
        }
    }
    Cow::Owned(out)
}

/// An ASCII stand-in for a character in a line of text, where it may take
/// several (`…` as `...`, `→` as `->`, `τ` as `tau`), else as on the screen.
fn ascii_text(c: char) -> Option<&'static str> {
    Some(match c {
        '…' => "...",
        '→' => "->",
        '←' => "<-",
        '±' => "+/-",
        '≤' => "<=",
        '≥' => ">=",
        '≈' => "~",
        '−' => "-",
        'μ' => "u",
        '³' => "3",
        '√' => "sqrt",
        'τ' => "tau",
        'σ' => "sigma",
        'φ' => "phi",
        'π' => "pi",
        'Δ' => "Delta",
        'Σ' => "Sum",
        // Resistance (MΩ): the Greek capital and the ohm sign.
        'Ω' | '\u{2126}' => "Ohm",
        _ => return greek_name(c).or_else(|| ascii_cell(c)),
    })
}

/// A Greek letter by its name, as a preset's neurons may be named (`α`,
/// `β`, `γ`): in ASCII `alpha`, not `?` (μ is a micro sign above, Σ a sum).
fn greek_name(c: char) -> Option<&'static str> {
    const LOWER: [&str; 25] = [
        "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
        "lambda", "mu", "nu", "xi", "omicron", "pi", "rho", "sigma", "sigma", "tau", "upsilon",
        "phi", "chi", "psi", "omega",
    ];
    const UPPER: [&str; 25] = [
        "Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta", "Eta", "Theta", "Iota", "Kappa",
        "Lambda", "Mu", "Nu", "Xi", "Omicron", "Pi", "Rho", "", "Sigma", "Tau", "Upsilon", "Phi",
        "Chi", "Psi", "Omega",
    ];
    // α to ω run from U+03B1 with final ς at U+03C2; Α to Ω from U+0391,
    // with no capital at U+03A2.
    let name = match c {
        'α'..='ω' => LOWER[c as usize - 'α' as usize],
        'Α'..='Ω' => UPPER[c as usize - 'Α' as usize],
        _ => return None,
    };
    (!name.is_empty()).then_some(name)
}

/// An ASCII stand-in, one cell wide, for a non-ASCII character the screen
/// draws (a glyph of a widget, a unit, a symbol), if there is one.
pub fn ascii_cell(c: char) -> Option<&'static str> {
    Some(match c {
        '─' | '━' | '╌' | '┄' => "-",
        '│' | '┃' | '╎' | '┆' => "|",
        '┌' | '┐' | '└' | '┘' | '├' | '┤' | '┬' | '┴' | '┼' | '╭' | '╮' | '╰' | '╯' => {
            "+"
        }
        '•' => "*",
        // The separator as a bar: a dash beside signed numbers (`-70 mV - B`)
        // would read as one more minus.
        '·' => "|",
        '–' | '—' => "-",
        '›' => ">",
        '◂' => "<",
        'Δ' => "D",
        '▶' => ">",
        '◀' => "<",
        '⏸' | '‖' => "=",
        '■' => "#",
        '…' => ".",
        '×' => "x",
        '÷' => "/",
        'σ' => "s",
        'Σ' => "S",
        'τ' => "t",
        '°' => "o",
        'µ' => "u",
        '²' => "2",
        '↑' => "^",
        '↓' => "v",
        '←' => "<",
        '→' => ">",
        '±' => "~",
        '\u{2800}' => " ",
        '\u{2801}'..='\u{28FF}' => "*",
        _ => return None,
    })
}

/// `1 spike`, `2 spikes`.
/// `word` as a shell reads it back: bare where it holds nothing a shell
/// treats specially, else quoted (a key's index, `network.bias[2]`, is a
/// pattern to a shell: zsh stops on it, "no matches found").
pub fn shell_word(word: &str) -> Cow<'_, str> {
    let plain = |c: char| c.is_ascii_alphanumeric() || "._-=/:+,@%".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.into()
    } else {
        shell_words::quote(word)
    }
}

/// A command as a line to paste into a shell: each word as the shell reads
/// it back (`shell_word`), control characters made visible.
pub fn command_line<S: AsRef<str>>(words: &[S]) -> String {
    words
        .iter()
        .map(|w| shell_word(&printable(w.as_ref(), false)).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn plural(count: u64, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// Why a file named could not be read, in words rather than the system's
/// (`No such file or directory (os error 2)`).
pub fn cannot_read(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "no such file".into(),
        ErrorKind::IsADirectory => "a folder, not a file".into(),
        ErrorKind::PermissionDenied => "not allowed to read it (permission denied)".into(),
        _ => format!("cannot read it: {e}"),
    }
}

/// Why `path` is not something to read a recording from (a spike file, a
/// journal): a folder, or a device such as /dev/zero, whose reading never
/// ends. A regular file is, and so is a pipe (`view <(ssh host cat
/// spikes.csv)`, `/dev/stdin` from a pipe), which ends when its writer does.
pub fn not_a_file_to_read(path: &std::path::Path) -> Option<&'static str> {
    let kind = std::fs::metadata(path).ok()?.file_type();
    if kind.is_file() {
        return None;
    }
    if kind.is_dir() {
        return Some("a folder, not a file");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return None;
        }
        if kind.is_socket() {
            return Some("a socket, not a file");
        }
    }
    Some("a device, not a file (its reading would not end)")
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

    /// In a locale that is not UTF-8 a line is written in ASCII: units as
    /// the ASCII screen writes them, symbols spelled where a line has room.
    #[test]
    fn lines_are_written_in_the_locales_character_set() {
        let line = "1 ms simulated in 10 steps of 100 µs; J_in 10 µA/cm² · τ ≥ 2 ms → fires…";
        assert_eq!(for_locale(line, true), line);
        assert_eq!(
            for_locale(line, false),
            "1 ms simulated in 10 steps of 100 us; J_in 10 uA/cm2 | tau >= 2 ms -> fires..."
        );
        assert_eq!(for_locale("café ☃", false), "caf? ?");
        // Every character of the bundled presets (their look-at notes) has
        // a stand-in: rate-arctan's `±π/2` read `+/-?/2`.
        for (name, text) in crate::preset::bundled::BUNDLED {
            let ascii = for_locale(text, false);
            assert_eq!(
                ascii.matches('?').count(),
                text.matches('?').count(),
                "{name}"
            );
        }
        assert_eq!(for_locale("±π/2", false), "+/-pi/2");
        // Greek letters by name (a preset's neurons), μ as micro, Ω as ohm.
        assert_eq!(
            for_locale("α β γ ς Ψ ω 5 μs 10 MΩ", false),
            "alpha beta gamma sigma Psi omega 5 us 10 MOhm"
        );
        assert!(matches!(for_locale("plain", false), Cow::Borrowed(_)));
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(a, _)| *a == k)
                    .map(|(_, b)| b.to_string())
            }
        };
        assert!(locale_is_utf8(&vars(&[("LANG", "en_US.UTF-8")])));
        assert!(locale_is_utf8(&vars(&[
            ("LANG", "C"),
            ("LC_CTYPE", "C.utf8")
        ])));
        assert!(!locale_is_utf8(&vars(&[
            ("LANG", "en_US.UTF-8"),
            ("LC_ALL", "C")
        ])));
        assert!(!locale_is_utf8(&vars(&[("LC_ALL", ""), ("LANG", "POSIX")])));
        assert!(!locale_is_utf8(&vars(&[])));
    }
}
