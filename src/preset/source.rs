//! Where a preset's text comes from: a bundled name or a file (regular, at
//! most `MAX_PRESET_BYTES`, UTF-8), loaded with its `--set` overrides
//! (overrides.rs), and the comment block that opens the file (its guidance).

use std::io::Read;
use std::path::Path;

use super::error::PresetError;
use super::{MAX_PRESET_BYTES, Scenario, bundled, not_found, parse};

/// A preset's text, where it came from and the `--set` overrides on it:
/// what can be loaded again with more overrides (a sweep's next value, a
/// parameter changed in the oscilloscope).
#[derive(Debug, Clone, PartialEq)]
pub struct PresetSource {
    pub origin: String,
    pub text: String,
    pub overrides: Vec<String>,
}

impl PresetSource {
    /// A bundled name or a path, with `overrides`.
    pub fn resolve(arg: &str, overrides: &[String]) -> Result<Self, PresetError> {
        let (origin, text) = resolve(arg)?;
        Ok(Self {
            origin,
            text,
            overrides: overrides.to_vec(),
        })
    }

    pub fn load(&self) -> Result<Scenario, PresetError> {
        load_text(&self.origin, &self.text, &self.overrides)
    }

    /// Loads with `more` overrides after the source's own.
    pub fn load_with(&self, more: &[String]) -> Result<Scenario, PresetError> {
        let mut overrides = self.overrides.clone();
        overrides.extend_from_slice(more);
        load_text(&self.origin, &self.text, &overrides)
    }

    /// What `key` (dotted, with indices) holds in the preset with its
    /// overrides applied: None where it holds nothing, or the text or an
    /// override does not apply (loading says why).
    pub fn value_of(&self, key: &str) -> Option<toml::Value> {
        let mut table = toml::from_str::<toml::Table>(&self.text).ok()?;
        for o in &self.overrides {
            super::set::apply_override(&mut table, o).ok()?;
        }
        super::set::value_at(&table, key).cloned()
    }
}

/// Reads a preset by bundled name or by path and applies `--set` overrides.
pub fn load(arg: &str, overrides: &[String]) -> Result<Scenario, PresetError> {
    let (origin, text) = resolve(arg)?;
    load_text(&origin, &text, overrides)
}

/// Parses `text` (from `origin`) with the overrides applied first, so a
/// `--set` can mend a preset as well as change it.
pub fn load_text(origin: &str, text: &str, overrides: &[String]) -> Result<Scenario, PresetError> {
    if overrides.is_empty() {
        return parse(origin, text);
    }
    super::overrides::load_with_overrides(origin, text, overrides)
}

/// Finds the preset: a path (anything with a `/`, a `.toml` ending, or an
/// existing file) or a bundled name (`[A-Za-z0-9_-]+`). Files must be regular
/// and at most `MAX_PRESET_BYTES`.
pub fn resolve(arg: &str) -> Result<(String, String), PresetError> {
    let looks_like_path = arg.contains('/') || arg.ends_with(".toml") || arg.contains('\\');
    if !looks_like_path {
        if let Some(text) = bundled::get(arg) {
            return Ok((arg.to_string(), text.to_string()));
        }
        if !Path::new(arg).is_file() {
            return Err(not_found::no_such_preset(arg));
        }
    }
    read_preset_file(Path::new(arg)).map(|t| (arg.to_string(), t))
}

/// Reads a preset file: a regular file, at most `MAX_PRESET_BYTES`, UTF-8.
pub fn read_preset_file(path: &Path) -> Result<String, PresetError> {
    let origin = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| not_found::unreadable(path, &e))?;
    if !meta.is_file() {
        return Err(PresetError::new(&origin, "not a regular file")
            .valid("a regular .toml file (not a directory, device or pipe)"));
    }
    if meta.len() > MAX_PRESET_BYTES {
        return Err(PresetError::new(
            &origin,
            format!("the file is {} bytes, over the limit", meta.len()),
        )
        .valid(format!("a preset of at most {MAX_PRESET_BYTES} bytes")));
    }
    let file = std::fs::File::open(path)
        .map_err(|e| PresetError::new(&origin, format!("cannot read the preset: {e}")))?;
    let mut bytes = Vec::new();
    file.take(MAX_PRESET_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| PresetError::new(&origin, format!("cannot read the preset: {e}")))?;
    if bytes.len() as u64 > MAX_PRESET_BYTES {
        return Err(
            PresetError::new(&origin, "the file grew over the size limit while read")
                .valid(format!("a preset of at most {MAX_PRESET_BYTES} bytes")),
        );
    }
    if let Some(what) = crate::file_kind::not_text(&bytes) {
        return Err(PresetError::new(&origin, what.problem)
            .valid(what.valid(&origin, "a preset: a TOML file, in UTF-8 text")));
    }
    String::from_utf8(bytes).map_err(|e| {
        // The line shown as far as it reads, each byte that is not UTF-8
        // as U+FFFD, the caret under the first (the line was cut there,
        // blank when it began the line).
        let at = e.utf8_error().valid_up_to();
        let lossy = String::from_utf8_lossy(e.as_bytes());
        let mut e = PresetError::new(&origin, format!("invalid UTF-8 at byte {at}"))
            .valid("a UTF-8 text file")
            .at(&lossy, at..at + char::REPLACEMENT_CHARACTER.len_utf8());
        e.value = None;
        e
    })
}

/// The comment block that opens a preset file, its `#` marks removed; each
/// run of lines is one paragraph.
pub fn guide_of(src: &str) -> String {
    let mut paragraphs: Vec<String> = vec![String::new()];
    for line in src.lines() {
        let Some(text) = line.trim_start().strip_prefix('#') else {
            break;
        };
        let text = text.trim();
        let last = paragraphs.last_mut().expect("one paragraph at least");
        if text.is_empty() {
            if !last.is_empty() {
                paragraphs.push(String::new());
            }
        } else {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(text);
        }
    }
    paragraphs.retain(|p| !p.is_empty());
    paragraphs.join("\n")
}

/// The name and description of a preset text, read without building its
/// model (for lists: `spikescope presets`, the picker).
pub fn description_of(text: &str) -> (Option<String>, String) {
    #[derive(serde::Deserialize)]
    struct Head {
        name: Option<String>,
        description: Option<String>,
    }
    let head: Option<Head> = toml::from_str::<toml::Table>(text).ok().and_then(|t| {
        let keep = |k: &str| t.get(k).cloned().map(|v| (k.to_string(), v));
        let table: toml::Table = ["name", "description"]
            .iter()
            .filter_map(|k| keep(k))
            .collect();
        table.try_into().ok()
    });
    match head {
        Some(h) => (h.name, h.description.unwrap_or_default()),
        None => (None, String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_description_is_read_without_the_model() {
        let (name, description) = description_of("name = \"A\"\ndescription = \"B\"\nmodel = 5\n");
        assert_eq!((name.as_deref(), description.as_str()), (Some("A"), "B"));
    }
}
