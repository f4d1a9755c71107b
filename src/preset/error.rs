//! Preset errors that say where (file, line, column), which key, which value,
//! and what would be valid.

use std::fmt;
use std::ops::Range;

use crate::text::printable;

/// The dt a model's parameters allow at most, and the one they take when
/// the preset gives none (s).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DtBounds {
    pub max_s: f64,
    pub default_s: f64,
}

/// A problem with a preset or a `--set` override.
#[derive(Debug, Clone, PartialEq)]
pub struct PresetError {
    /// The file (or `--set KEY=VALUE`, or the bundled preset's name).
    pub origin: String,
    /// 1-based line and column, where known.
    pub position: Option<(usize, usize)>,
    /// The dotted key, e.g. `network.tau_m`.
    pub key: Option<String>,
    /// The offending value as written.
    pub value: Option<String>,
    pub problem: String,
    /// What would be valid.
    pub valid: Option<String>,
    /// The source line and the span's columns on it, for a caret.
    pub excerpt: Option<(String, usize, usize)>,
    /// Where the error is a dt larger than the parameters allow: the
    /// largest they allow and the one they take by default (s), for a
    /// caller that can say how to go on.
    pub dt_bounds: Option<DtBounds>,
}

impl PresetError {
    pub fn new(origin: &str, problem: impl Into<String>) -> Self {
        Self {
            origin: origin.to_string(),
            position: None,
            key: None,
            value: None,
            problem: problem.into(),
            valid: None,
            excerpt: None,
            dt_bounds: None,
        }
    }

    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    pub fn value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }

    pub fn valid(mut self, valid: impl Into<String>) -> Self {
        self.valid = Some(valid.into());
        self
    }

    pub fn dt_bounds(mut self, bounds: DtBounds) -> Self {
        self.dt_bounds = Some(bounds);
        self
    }

    /// Locates the error at byte range `span` of `source`.
    pub fn at(mut self, source: &str, span: Range<usize>) -> Self {
        let start = span.start.min(source.len());
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[start..]
            .find('\n')
            .map_or(source.len(), |i| start + i);
        let line_no = source[..start].matches('\n').count() + 1;
        let col = source[line_start..start].chars().count() + 1;
        let text = source[line_start..line_end]
            .trim_end_matches('\r')
            .to_string();
        let width = source[start..span.end.clamp(start, line_end)]
            .chars()
            .count()
            .max(1);
        self.position = Some((line_no, col));
        if self.value.is_none() {
            let v = source[start..span.end.clamp(start, line_end)].trim();
            if !v.is_empty() {
                self.value = Some(v.to_string());
            }
        }
        self.excerpt = Some((text, col, width));
        self
    }
}

/// The longest value echoed in a message, and the widest source excerpt
/// (characters): a 1000-entry list is named by its start, not printed whole.
const VALUE_CHARS: usize = 40;
const EXCERPT_CHARS: usize = 100;

/// `text` cut to `max` characters, "..." marking the cut.
fn elide(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let head: String = text.chars().take(max.saturating_sub(3)).collect();
    format!("{head}...")
}

/// The part of a source line shown under the message: the whole line when
/// short, else a window from a little before the error's column, marked
/// "..." where cut. Returns the text and the caret's column and width in it.
fn excerpt_window(text: &str, col: usize, width: usize) -> (String, usize, usize) {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= EXCERPT_CHARS {
        return (text.to_string(), col, width);
    }
    let from = col.saturating_sub(1).saturating_sub(20).min(chars.len());
    let (lead, caret_col) = if from == 0 {
        (String::new(), col)
    } else {
        ("...".to_string(), col - from + 3)
    };
    let room = EXCERPT_CHARS - lead.len();
    let shown: String = chars[from..].iter().take(room).collect();
    let tail = if from + room < chars.len() { "..." } else { "" };
    // The caret stays under the shown text, not under a "...".
    let visible = lead.len() + shown.chars().count();
    let caret_width = width.min(visible + 1 - caret_col.min(visible)).max(1);
    (format!("{lead}{shown}{tail}"), caret_col, caret_width)
}

impl fmt::Display for PresetError {
    /// Everything quoted from the user (the file's name, a value, a source
    /// line) is shown with its control characters made visible.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = String::new();
        self.write_plain(&mut text, true)?;
        f.write_str(&printable(&text, true))
    }
}

impl PresetError {
    /// The error where the value was typed into a running oscilloscope
    /// (a parameter changed, or its journal): without the origin when it
    /// is only the preset with its overrides (`hh-repetitive with --set
    /// hh.g_na=-5`), which the user typed as `g_Na = -5`; a position in a
    /// file keeps it.
    pub fn of_typed_value(&self) -> String {
        let mut text = String::new();
        let _ = self.write_plain(&mut text, self.position.is_some());
        printable(&text, true).into_owned()
    }

    fn write_plain(&self, f: &mut impl fmt::Write, with_origin: bool) -> fmt::Result {
        let one_line = |t: &str| printable(t, false).into_owned();
        if with_origin {
            write!(f, "{}", one_line(&self.origin))?;
            if let Some((line, col)) = self.position {
                write!(f, ":{line}:{col}")?;
            }
            write!(f, ": ")?;
        }
        if let Some(k) = &self.key {
            write!(f, "`{k}`")?;
            if let Some(v) = &self.value {
                write!(f, " = {}", one_line(&elide(v, VALUE_CHARS)))?;
            }
            write!(f, ": ")?;
        } else if let Some(v) = &self.value {
            write!(f, "{}: ", one_line(&elide(v, VALUE_CHARS)))?;
        }
        write!(f, "{}", one_line(&self.problem))?;
        if let Some(v) = &self.valid {
            write!(f, "\n  valid: {}", one_line(v))?;
        }
        if let (Some((line, _)), Some((text, col, width))) = (self.position, &self.excerpt) {
            // One character for one, so the caret stays under its column.
            let text: String = text
                .chars()
                .map(|c| if c.is_control() { '?' } else { c })
                .collect();
            let (text, col, width) = excerpt_window(&text, *col, *width);
            let gutter = line.to_string().len();
            write!(f, "\n {:gutter$} |", "")?;
            write!(f, "\n {line} | {text}")?;
            write!(
                f,
                "\n {:gutter$} | {}{}",
                "",
                " ".repeat(col - 1),
                "^".repeat(width)
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for PresetError {}

/// The closest of `candidates` to `word`, if close enough to be a likely
/// typo (Jaro-Winkler similarity >= 0.8, or a Levenshtein distance <= 2).
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| {
            (
                c,
                strsim::jaro_winkler(word, c),
                strsim::levenshtein(word, c),
            )
        })
        .filter(|&(_, jw, lev)| jw >= 0.8 || lev <= 2)
        .fold(None, |best: Option<(&str, f64)>, (c, jw, _)| match best {
            Some((_, b)) if b >= jw => best,
            _ => Some((c, jw)),
        })
        .map(|(c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_at_line_and_column() {
        let src = "model = \"lif\"\n[lif]\ntau_m = -5\n";
        let e = PresetError::new("x.toml", "must be greater than 0")
            .key("lif.tau_m")
            .at(src, 28..30);
        assert_eq!(e.position, Some((3, 9)));
        let text = e.to_string();
        assert!(text.starts_with("x.toml:3:9: `lif.tau_m` = -5: must be greater than 0"));
        assert!(text.contains(" 3 | tau_m = -5\n   |         ^^"));
    }

    /// A long value is named by its start, and a long line shown around
    /// the error with the caret under it.
    #[test]
    fn long_values_and_lines_are_cut() {
        let list = format!("[{}]", vec!["0"; 1001].join(","));
        let src = format!("model = \"rate\"\n[rate]\nbias={list}\n");
        let start = src.find('[').unwrap();
        let start = src[start + 1..].find('[').unwrap() + start + 1;
        let e = PresetError::new("x.toml", "1001 neurons")
            .key("rate")
            .at(&src, start..start + list.len());
        let text = e.to_string();
        let first = text.lines().next().unwrap();
        assert_eq!(
            first,
            format!("x.toml:3:6: `rate` = {}...: 1001 neurons", &list[..37])
        );
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[2], format!(" 3 | bias={}...", &list[..95]));
        assert_eq!(lines[3], format!("   |      {}", "^".repeat(95)));
        // Far along a long line: the window starts 20 characters before.
        let line = format!("x = [{}, 7e999]", vec!["1"; 200].join(", "));
        let at = line.find("7e999").unwrap();
        let e = PresetError::new("y.toml", "not finite").at(&line, at..at + 5);
        let lines: Vec<String> = e.to_string().lines().map(String::from).collect();
        assert_eq!(lines[2], format!(" 1 | ...{}", &line[at - 20..]));
        assert_eq!(lines[3], format!("   | {}^^^^^", " ".repeat(23)));
    }

    #[test]
    fn suggests_close_names() {
        let keys = ["tau_m", "tau_ref", "tau_s", "psc_order"];
        assert_eq!(did_you_mean("tau_x", keys), Some("tau_m"));
        assert_eq!(did_you_mean("psc_ordr", keys), Some("psc_order"));
        assert_eq!(did_you_mean("zzzzzz", keys), None);
    }
}
