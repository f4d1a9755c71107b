//! Preset errors that say where (file, line, column), which key, which value,
//! and what would be valid.

use std::fmt;
use std::ops::Range;

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

impl fmt::Display for PresetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.origin)?;
        if let Some((line, col)) = self.position {
            write!(f, ":{line}:{col}")?;
        }
        write!(f, ": ")?;
        if let Some(k) = &self.key {
            write!(f, "`{k}`")?;
            if let Some(v) = &self.value {
                write!(f, " = {v}")?;
            }
            write!(f, ": ")?;
        } else if let Some(v) = &self.value {
            write!(f, "{v}: ")?;
        }
        write!(f, "{}", self.problem)?;
        if let Some(v) = &self.valid {
            write!(f, "\n  valid: {v}")?;
        }
        if let (Some((line, _)), Some((text, col, width))) = (self.position, &self.excerpt) {
            let gutter = line.to_string().len();
            write!(f, "\n {:gutter$} |", "")?;
            write!(f, "\n {line} | {text}")?;
            write!(
                f,
                "\n {:gutter$} | {}{}",
                "",
                " ".repeat(col - 1),
                "^".repeat(*width)
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

    #[test]
    fn suggests_close_names() {
        let keys = ["tau_m", "tau_ref", "tau_s", "psc_order"];
        assert_eq!(did_you_mean("tau_x", keys), Some("tau_m"));
        assert_eq!(did_you_mean("psc_ordr", keys), Some("psc_order"));
        assert_eq!(did_you_mean("zzzzzz", keys), None);
    }
}
