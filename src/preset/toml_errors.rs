//! The TOML reader's and serde's errors in the preset's own words: each
//! names the key (or, for broken syntax, the line and column), the value as
//! written, and what would be valid. serde says "invalid type: floating
//! point `1e308`, expected a string"; a student needs "`model` = 1e308: a
//! number is not valid here; valid: one of "hh", "lif", ...".

use std::ops::Range;

use super::error::{PresetError, did_you_mean};
use super::sections::{expected_fields, section_for};
use crate::file_kind::OwnFile;
use crate::model::ModelKind;
use crate::model::activation::Activation;
use crate::model::hh::HhMethod;
use crate::model::network::{InStepResolve, SpikeTiming};
use crate::named::Named;
use crate::sim::stimulus::StimulusKind;
use crate::view::{Pane, TriggerMode};

/// Separates a custom deserialization error's problem from what is valid
/// (`time::parse_time` writes it), so the two reach their own lines.
pub const VALID_SEPARATOR: &str = "; valid: ";

/// Turns a TOML or serde error into a `PresetError` with the key it
/// concerns, the value as written and what is valid.
pub(super) fn toml_error(origin: &str, src: &str, e: &toml::de::Error) -> PresetError {
    let msg = e.message().trim().to_string();
    let mut err = PresetError::new(origin, msg.clone());
    let Some(span) = e.span() else {
        return err.valid(syntax_hint(&msg, ""));
    };
    err = err.at(src, span.clone());
    let on_line = line_at(src, span.start);
    let header = header_name(on_line).is_some();
    let (key, assigned) = match key_value_at(src, span.start).filter(|_| !header) {
        Some((key, value)) => (Some(key), Some(src[value].trim().to_string())),
        None => (
            key_at(src, span.start),
            on_line.split_once('=').map(|(_, v)| v.trim().to_string()),
        ),
    };
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let unknown = rest.split('`').next().unwrap_or("");
        let expected = expected_fields(&msg);
        err.problem = if header {
            format!("unknown section [{unknown}]")
        } else {
            format!("unknown key `{unknown}`")
        };
        // A section's key written at the top level (`tau_m` for
        // `lif.tau_m`) is named with its section; else the closest key.
        let top_level = !header && expected.contains(&"model");
        let meant = top_level
            .then(|| section_for(unknown, src))
            .flatten()
            .or_else(|| did_you_mean(unknown, expected.iter().copied()).map(str::to_string));
        if let Some(close) = meant {
            err.problem.push_str(&format!("; did you mean `{close}`?"));
        }
        err.key = key;
        err.value = assigned;
        return err.valid(format!("one of {}", expected.join(", ")));
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or("");
        let table = header_at(src, span.start);
        err.key = Some(match &table {
            Some(t) => format!("{t}.{field}"),
            None => field.to_string(),
        });
        err.value = None;
        err.problem = format!("missing `{field}`");
        let place = table.map_or("the preset".to_string(), |t| format!("[{t}]"));
        return err.valid(format!("`{field} = ...` in {place}"));
    }
    let list_of_tables = on_line.trim().starts_with("[[") && header;
    if list_of_tables && msg.starts_with("invalid ") {
        // serde reads a list of one table into a section field by field
        // (its first field got the whole table): the header is what is
        // wrong, not that field.
        let name = header_name(on_line).unwrap_or("");
        err.key = Some(name.to_string());
        err.value = None;
        err.problem = format!("[[{name}]] makes a list of tables");
        return err.valid(format!("one [{name}] section"));
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        let (found, expected) = rest.rsplit_once(", expected ").unwrap_or((rest, "?"));
        let value = err.value.clone().unwrap_or_default();
        let kind = found_kind(found, &value);
        err.problem = format!("{kind} is not valid here");
        if kind == "a table" && !value.starts_with('{') {
            // The text at the span is the dotted key's name, not a value.
            err.value = None;
        }
        err.key = key.clone();
        // TOML reads `1e3` and `1000.0` as floats, which a count does not
        // take: said so, with the whole number to write instead.
        if found.starts_with("floating") && is_integer_type(expected) {
            err.problem = "a floating-point number is not valid here".into();
            return err.valid(whole_number_for(&value));
        }
        // A matrix's item that is not a row (`[[0, 0.5], 0.5]`): a row is
        // what is valid there, not the matrix the key holds.
        let last = key.as_deref().and_then(|k| k.rsplit('.').next());
        if matches!(last, Some("weights" | "augmented"))
            && expected == "a sequence"
            && err.value != assigned
        {
            return err.valid("a row in brackets, e.g. [0, 0.5]: the matrix is a list of rows");
        }
        return err.valid(valid_for(key.as_deref(), expected));
    }
    // An integer TOML reads but an i64 cannot hold (the schema's whole
    // numbers are all i64).
    if msg.starts_with("invalid value: integer `") && msg.ends_with("expected i64") {
        err.key = key;
        err.value = assigned;
        return too_large(err);
    }
    if let Some(rest) = msg.strip_prefix("invalid length ") {
        // A list where a section of keys, or another length, was expected.
        let expected = rest.split_once(", expected ").map_or("?", |(_, x)| x);
        let expected = expected.split(" with ").next().unwrap_or(expected);
        err.problem = if expected.starts_with("struct ") {
            "a list is not valid here".into()
        } else {
            format!(
                "a list of {} is not valid here",
                rest.split(',').next().unwrap_or("?")
            )
        };
        err.key = key.clone();
        return err.valid(valid_for(key.as_deref(), expected));
    }
    if msg.starts_with("duplicate key") {
        return duplicate(err, on_line, key, assigned);
    }
    if let Some((problem, valid)) = msg.split_once(VALID_SEPARATOR) {
        err.problem = problem.to_string();
        err.key = key;
        return err.valid(valid);
    }
    // Broken syntax: the line and column say where, and the excerpt shows
    // the text (a key from the line could be one inside a broken list).
    err.problem = format!("not valid TOML: {msg}");
    err.key = None;
    err.value = None;
    let path = std::path::Path::new(origin);
    // A spike file or a journal given for a preset: said which, and what
    // reads it.
    let own = crate::file_kind::own_file(src).filter(|&own| own != OwnFile::Preset);
    if let Some(own) = own.filter(|_| path.is_file()) {
        err.problem = format!("{}, not a preset", own.what());
        let valid = own.read_by(origin);
        return err.valid(valid.unwrap_or_else(|| "a preset: a TOML file".to_string()));
    }
    // A file not named .toml that is not TOML at all (README.md given for
    // a preset) is likelier the wrong file than a broken preset.
    if path.extension().is_some_and(|x| x != "toml") && path.is_file() {
        err.problem
            .push_str(" (the file is not named .toml: is it the preset meant?)");
    }
    let line_start = src[..span.start.min(src.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let before = &src[line_start..span.start.clamp(line_start, src.len())];
    err.valid(syntax_hint(&msg, before))
}

/// A key or a section given twice.
fn duplicate(
    mut err: PresetError,
    line: &str,
    key: Option<String>,
    assigned: Option<String>,
) -> PresetError {
    let trimmed = line.trim();
    if let Some(section) = header_name(trimmed) {
        err.key = Some(section.to_string());
        err.value = None;
        err.problem = format!("the [{section}] section is given twice");
        return err.valid("each section once (a list of tables is written [[name]])");
    }
    err.key = key;
    err.value = assigned;
    err.problem = "this key is given twice in its section".into();
    err.valid("each key once per section")
}

/// What serde found, for a person: "a number", "a list", ... A TOML date
/// reaches serde as a table; its text (digits, then `-` or `:`) says which
/// it is. A table made by a dotted key (`tau_m.x = 3`) is its key's name.
fn found_kind(found: &str, value: &str) -> &'static str {
    let word = found.split_whitespace().next().unwrap_or("");
    let date = value.starts_with(|c: char| c.is_ascii_digit()) && value.contains(['-', ':']);
    match word {
        "integer" | "floating" => "a number",
        "string" => "a string",
        "sequence" => "a list",
        "boolean" => "true or false",
        "map" if date => "a date or time",
        "map" => "a table",
        _ => "a value of this kind",
    }
}

/// What is valid for `key`, which serde described as `expected`: the names
/// a string key accepts, else the kind in words.
fn valid_for(key: Option<&str>, expected: &str) -> String {
    let last = key.and_then(|k| k.rsplit('.').next()).unwrap_or("");
    let names: Option<Vec<&str>> = match last {
        "model" => Some(ModelKind::names()),
        "kind" => Some(StimulusKind::names()),
        "method" => Some(HhMethod::names()),
        "spike_timing" => Some(SpikeTiming::names()),
        "in_step_resolve" => Some(InStepResolve::names()),
        "activation" => Some(Activation::NAMES.to_vec()),
        "pane" => Some(Pane::names()),
        "trigger" => Some(TriggerMode::names()),
        _ => None,
    };
    if let Some(names) = names {
        let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
        return format!("one of {}", quoted.join(", "));
    }
    match expected {
        "f64" | "a number" => match number_unit(key.unwrap_or("")) {
            Some((unit, example)) => format!(
                "a number in {unit}, e.g. {example} (a bare number: only times are written \
                 with a unit)"
            ),
            None => "a number, e.g. 1.5".into(),
        },
        e if is_integer_type(e) => "a whole number, e.g. 3".into(),
        "a string" => "a string in quotes, e.g. \"text\"".into(),
        "a boolean" => "true or false".into(),
        "a sequence" if last == "filters" => {
            "a list of filters, e.g. [{ name = \"AMPA\", tau_s = \"5 ms\", order = 1 }]".into()
        }
        "a sequence" if last == "stimuli" => {
            "a list of stimuli added to [stimulus]: [[stimuli]] tables, or in one value \
             [{ kind = \"pulses\", amplitude = 10, start = \"100 ms\", width = \"2 ms\" }]"
                .into()
        }
        "a sequence" if last == "neurons" => "a list of neuron numbers, e.g. [0, 2]".into(),
        "a sequence" if last == "times" => "a list of times, e.g. [\"10 ms\", \"25 ms\"]".into(),
        "a sequence" if last == "names" => "a list of names, e.g. [\"A\", \"B\"]".into(),
        "a sequence" if last == "weights" || last == "augmented" => {
            "a matrix, a list of rows, e.g. [[0, 0.5], [-0.5, 0]]".into()
        }
        "a sequence" => "a list in brackets, e.g. [1.0, 2.0]".into(),
        "struct FilterSpec" => {
            "a filter, e.g. { name = \"AMPA\", tau_s = \"5 ms\", order = 1 }".into()
        }
        "struct RangeSection" => "a range, e.g. { low = 0.0, high = 1.0 }".into(),
        e if e.starts_with("struct ") => "a section of keys, e.g. { key = 1.0 }".into(),
        other => other.to_string(),
    }
}

fn is_integer_type(expected: &str) -> bool {
    matches!(expected, "i64" | "u64" | "usize" | "u32")
}

/// What to write instead of the float `value` where a whole number is
/// wanted: its digits where it is one (`1e3` as 1000).
fn whole_number_for(value: &str) -> String {
    match value.replace('_', "").parse::<f64>() {
        Ok(x) if x.fract() == 0.0 && x.abs() < 2f64.powi(63) => {
            format!("a whole number written in digits only: {}", x as i64)
        }
        _ => "a whole number written in digits only, e.g. 3".into(),
    }
}

/// A whole number past what TOML holds (a preset's, or `--set`'s): said
/// as a range, not as a string or as broken syntax.
pub(super) fn too_large(err: PresetError) -> PresetError {
    let mut err = err;
    err.problem = "out of range: past the largest whole number a preset holds".into();
    err.valid(format!(
        "a whole number from {} to {} (TOML's), within the key's own range",
        i64::MIN,
        i64::MAX
    ))
}

/// The unit a number key is read in, and a value to show, for the keys
/// whose numbers have one: a student who writes `g_na = "120 mS/cm2"`, as
/// times are written, learns which unit the bare number is in.
fn number_unit(key: &str) -> Option<(&'static str, &'static str)> {
    Some(match key {
        "hh.c_m" => ("µF/cm²", "1"),
        "hh.g_na" => ("mS/cm²", "120"),
        "hh.g_k" => ("mS/cm²", "36"),
        "hh.g_l" => ("mS/cm²", "0.3"),
        "hh.e_na" => ("mV", "50"),
        "hh.e_k" => ("mV", "-77"),
        "hh.e_l" => ("mV", "-54.387"),
        "hh.v_init" | "stimulus.hold" => ("mV", "-65"),
        "hh.temperature" => ("°C", "6.3"),
        "stimulus.frequency" => ("Hz", "10"),
        "stimulus.rate" => ("Hz", "20"),
        "stimulus.phase" => ("radians", "1.5708"),
        "stimulus.amplitude" | "stimulus.offset" => ("µA/cm² for HH (v_in for LIF)", "10"),
        _ => return None,
    })
}

/// What well-formed TOML looks like where the reader stopped; `before` is
/// the line up to there (inside an open list, the list's form).
fn syntax_hint(msg: &str, before: &str) -> &'static str {
    let open_list = before.matches('[').count() > before.matches(']').count();
    if msg.contains("array") || (open_list && !before.trim_start().starts_with('[')) {
        "a list in brackets with commas between its values, e.g. [1.0, 2.0]"
    } else if msg.contains("string") {
        "a string in double quotes on one line, e.g. \"20 ms\""
    } else if msg.contains("table") && msg.contains(']') {
        "a section header on a line of its own, e.g. [stimulus]"
    } else if msg.contains("inline table") || msg.contains('{') {
        "an inline table, e.g. { low = 0.0, high = 1.0 }"
    } else {
        "TOML: one `key = value` per line, strings in quotes, sections as [name] (toml.io)"
    }
}

/// The whole line around byte `pos`.
fn line_at(src: &str, pos: usize) -> &str {
    let pos = pos.min(src.len());
    let start = src[..pos].rfind('\n').map_or(0, |i| i + 1);
    let end = src[pos..].find('\n').map_or(src.len(), |i| pos + i);
    &src[start..end]
}

/// A dotted path of bare or quoted keys, nothing else.
fn is_key_path(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '"' | ' '))
}

/// The section a `[name]` or `[[name]]` header line opens; a list such as
/// `[2.0, 0.0]` continuing a value is not one.
fn header_name(line: &str) -> Option<&str> {
    let l = line.trim();
    let inner = l
        .strip_prefix("[[")
        .and_then(|h| h.strip_suffix("]]"))
        .or_else(|| l.strip_prefix('[').and_then(|h| h.strip_suffix(']')))?
        .trim();
    let number = inner.parse::<f64>().is_ok();
    (is_key_path(inner) && !number).then_some(inner)
}

/// The section whose header is nearest above byte `pos` (or on its line).
fn header_at(src: &str, pos: usize) -> Option<String> {
    let pos = pos.min(src.len());
    let line_end = src[pos..].find('\n').map_or(src.len(), |i| pos + i);
    src[..line_end]
        .lines()
        .rev()
        .find_map(header_name)
        .map(str::to_string)
}

/// The dotted key whose value or name is at byte `pos`: the nearest section
/// header above plus the key on that line, or the section a header names.
/// Where the value is the document's own (it parses as TOML: a wrong type,
/// not broken syntax), the key is the one whose value holds `pos`, also on
/// a later line of a list written over several (a weight matrix's third
/// row).
pub(super) fn key_at(src: &str, pos: usize) -> Option<String> {
    let line = line_at(src, pos);
    if let Some(section) = header_name(line) {
        return Some(section.to_string());
    }
    if let Some((key, _)) = key_value_at(src, pos) {
        return Some(key);
    }
    let key = line
        .split_once('=')
        .map(|(k, _)| k.trim().trim_matches('"').to_string())
        .filter(|k| is_key_path(k))?;
    let line_start = src[..pos.min(src.len())].rfind('\n').map_or(0, |i| i + 1);
    match header_at(src, line_start.saturating_sub(1)).filter(|_| line_start > 0) {
        Some(h) => Some(format!("{h}.{key}")),
        None => Some(key),
    }
}

/// Where the document parses as TOML (a wrong type or key, not broken
/// syntax): the dotted key whose name or value holds byte `pos`, a table in
/// a list by its index as validation names it (`synapse.filters[2].order`),
/// and where its value is written.
fn key_value_at(src: &str, pos: usize) -> Option<(String, Range<usize>)> {
    let doc = toml::de::DeTable::parse(src).ok()?;
    key_value_in(doc.get_ref(), pos)
}

/// `key_value_at` in one table (a section's value spans only its header, so
/// each is searched).
fn key_value_in(table: &toml::de::DeTable, pos: usize) -> Option<(String, Range<usize>)> {
    use toml::de::DeValue;
    table.iter().find_map(|(key, value)| {
        let name = key.get_ref().to_string();
        let within = |inner: &toml::de::DeTable, name: String| {
            key_value_in(inner, pos).map(|(rest, at)| (format!("{name}.{rest}"), at))
        };
        let here = key.span().contains(&pos) || value.span().contains(&pos);
        match value.get_ref() {
            DeValue::Table(inner) if !here || !key.span().contains(&pos) => {
                within(inner, name.clone()).or_else(|| here.then(|| (name, value.span())))
            }
            // A list's tables ([[name]], or inline): their keys, indexed.
            DeValue::Array(items) => items
                .iter()
                .enumerate()
                .find_map(|(i, item)| match item.get_ref() {
                    DeValue::Table(inner) => within(inner, format!("{name}[{i}]")),
                    _ => None,
                })
                .or_else(|| here.then(|| (name, value.span()))),
            _ => here.then(|| (name, value.span())),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(src: &str) -> PresetError {
        let e = toml::from_str::<crate::preset::schema::PresetFile>(src).unwrap_err();
        toml_error("x.toml", src, &e)
    }

    #[test]
    fn key_at_names_table_and_key() {
        let src = "model = \"lif\"\n[lif]\ntau_m = -5\n";
        assert_eq!(key_at(src, 28).as_deref(), Some("lif.tau_m"));
        assert_eq!(key_at(src, 3).as_deref(), Some("model"));
        // A header names its own section; a list's continuation line is no
        // header.
        let src = "[network]\nweights = [\n[2.0, 0.0]]\n[bogus]\n";
        assert_eq!(
            key_at(src, src.find("bogus").unwrap()).as_deref(),
            Some("bogus")
        );
        assert_eq!(
            header_at(src, src.find("2.0").unwrap()).as_deref(),
            Some("network")
        );
        // A value on a later line of a list names the list's key.
        let src = "[network]\nweights = [[0.0, 0.0],\n  [0.02, \"x\"]]\nbias = [1.0, 2.0]\n";
        assert_eq!(
            key_at(src, src.find("\"x\"").unwrap()).as_deref(),
            Some("network.weights")
        );
        assert_eq!(
            key_at(src, src.find("2.0]").unwrap()).as_deref(),
            Some("network.bias")
        );
        // `[[lif]]` for `[lif]`: the header is named, not the first field.
        let e = error_of("model = \"lif\"\n[[lif]]\ntau_m = 3\n");
        assert_eq!(e.key.as_deref(), Some("lif"));
        assert_eq!(e.problem, "[[lif]] makes a list of tables");
        assert_eq!(e.valid.as_deref(), Some("one [lif] section"));
        // A table in a list by its index, its value as written.
        let src = "[synapse]\nfilters = [{ order = 0 },\n  { tau_s = 1, ordr = 2 }]\n";
        let at = src.find("ordr").unwrap();
        let (key, value) = key_value_at(src, at).unwrap();
        assert_eq!(
            (key.as_str(), &src[value]),
            ("synapse.filters[1].ordr", "2")
        );
    }

    #[test]
    fn a_wrong_type_says_what_the_key_takes() {
        let e = error_of("model = 1e308\n");
        assert_eq!(e.key.as_deref(), Some("model"));
        assert_eq!(e.value.as_deref(), Some("1e308"));
        assert_eq!(e.problem, "a number is not valid here");
        assert_eq!(
            e.valid.as_deref(),
            Some("one of \"hh\", \"lif\", \"network\", \"rate\", \"synapse\"")
        );
        let e = error_of("model = \"network\"\n[network]\npsc_order = -inf\n");
        assert_eq!(e.key.as_deref(), Some("network.psc_order"));
        assert_eq!(e.problem, "a floating-point number is not valid here");
        assert_eq!(
            e.valid.as_deref(),
            Some("a whole number written in digits only, e.g. 3")
        );
        // `1e5` is how a count is often thought of: the digits to write.
        let e = error_of("[network.random]\nn = 1e5\n");
        assert_eq!(e.key.as_deref(), Some("network.random.n"));
        assert_eq!(
            e.valid.as_deref(),
            Some("a whole number written in digits only: 100000")
        );
        // Past an i64: out of range, not broken syntax.
        let e = error_of("[network.random]\nseed = 18446744073709551615\n");
        assert_eq!(e.key.as_deref(), Some("network.random.seed"));
        assert_eq!(e.value.as_deref(), Some("18446744073709551615"));
        assert_eq!(
            e.problem,
            "out of range: past the largest whole number a preset holds"
        );
        let e = error_of("[hh]\ntemperature = 1979-05-27\n");
        assert_eq!(e.problem, "a date or time is not valid here");
        let e = error_of("[hh]\ntemperature = 07:32:00\n");
        assert_eq!(e.problem, "a date or time is not valid here");
        // A dotted key makes a table: said so, not as a date, and the key's
        // name is not shown as its value.
        let e = error_of("[lif]\ntau_m.x = 3\n");
        assert_eq!(e.key.as_deref(), Some("lif.tau_m"));
        assert_eq!(e.problem, "a table is not valid here");
        assert_eq!(e.value, None);
        let e = error_of("[lif]\ntau_m = { x = 3 }\n");
        assert_eq!(e.problem, "a table is not valid here");
        assert_eq!(e.value.as_deref(), Some("{ x = 3 }"));
        // A matrix's item that is not a row wants a row; the whole matrix
        // a matrix.
        let e = error_of("[network]\nweights = [[0.0, 0.5], 0.5]\n");
        assert_eq!(
            (e.key.as_deref(), e.value.as_deref()),
            (Some("network.weights"), Some("0.5"))
        );
        assert_eq!(
            e.valid.as_deref(),
            Some("a row in brackets, e.g. [0, 0.5]: the matrix is a list of rows")
        );
        let e = error_of("[network]\nweights = 0.5\n");
        assert_eq!(
            e.valid.as_deref(),
            Some("a matrix, a list of rows, e.g. [[0, 0.5], [-0.5, 0]]")
        );
    }

    #[test]
    fn a_number_written_with_its_unit_is_told_the_unit() {
        let e = error_of("model = \"hh\"\n[hh]\ng_na = \"120 mS/cm2\"\n");
        assert_eq!(e.key.as_deref(), Some("hh.g_na"));
        assert_eq!(e.problem, "a string is not valid here");
        assert_eq!(
            e.valid.as_deref(),
            Some(
                "a number in mS/cm², e.g. 120 (a bare number: only times are written with a unit)"
            )
        );
        let e = error_of("[stimulus]\nkind = \"sine\"\nfrequency = \"10 Hz\"\n");
        assert_eq!(e.key.as_deref(), Some("stimulus.frequency"));
        assert!(e.valid.as_deref().unwrap().starts_with("a number in Hz,"));
        let e = error_of("model = \"lif\"\n[lif]\nv_init = \"0.5\"\n");
        assert_eq!(e.valid.as_deref(), Some("a number, e.g. 1.5"));
    }

    #[test]
    fn a_key_given_twice_is_named_with_its_value() {
        let e = error_of("model = \"hh\"\nmodel = \"lif\"\n");
        assert_eq!(e.key.as_deref(), Some("model"));
        assert_eq!(e.value.as_deref(), Some("\"lif\""));
        assert_eq!(e.position, Some((2, 1)));
        let e = error_of("[hh]\n[stimulus]\n[hh]\n");
        assert_eq!(e.problem, "the [hh] section is given twice");
    }

    #[test]
    fn unknown_and_missing_keys() {
        let e = error_of("[stimulus]\nkinxd = \"constant\"\n");
        assert_eq!(e.key.as_deref(), Some("stimulus.kinxd"));
        assert_eq!(e.value.as_deref(), Some("\"constant\""));
        assert!(e.problem.ends_with("did you mean `kind`?"), "{}", e.problem);
        let e = error_of("model = \"network\"\n[network.random]\nn = 10\np = 0.1\n");
        assert_eq!(e.key.as_deref(), Some("network.random.weight"));
        assert_eq!(
            e.valid.as_deref(),
            Some("`weight = ...` in [network.random]")
        );
    }

    #[test]
    fn broken_syntax_is_located_with_a_hint() {
        let e = error_of("[synapse]\nfilters = [\n  { name = \"A\" tau_s = 1 },\n]\n");
        assert_eq!(e.key, None);
        assert!(e.position.is_some());
        assert!(e.problem.starts_with("not valid TOML: "), "{}", e.problem);
        assert!(e.valid.is_some());
    }
}
