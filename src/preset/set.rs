//! One `--set KEY=VALUE` applied to a preset's table: KEY dotted, with a
//! list's element by its index from 0 (`network.weights[2][0]`,
//! `stimuli[1].amplitude`); VALUE a TOML value or a bare string.

use super::error::PresetError;

/// Digits, with a sign or TOML's `_` between them.
fn is_whole_number(text: &str) -> bool {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    digits.starts_with(|c: char| c.is_ascii_digit())
        && digits.chars().all(|c| c.is_ascii_digit() || c == '_')
}

/// Whether `text` is a number written in digits (a point, an exponent)
/// past an f64's range, as `1e400`: TOML refuses it ("floating-point
/// number overflowed"), and it is no string.
fn is_number_past_f64(text: &str) -> bool {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    digits.starts_with(|c: char| c.is_ascii_digit())
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || "_.eE+-".contains(c))
        && digits
            .replace('_', "")
            .parse::<f64>()
            .is_ok_and(f64::is_infinite)
}

/// `KEY=VALUE` with a dotted KEY; VALUE is a TOML value, or a bare string.
pub(super) fn apply_override(table: &mut toml::Table, text: &str) -> Result<(), PresetError> {
    let origin = format!("--set {text}");
    let (key, value) = text.split_once('=').ok_or_else(|| {
        PresetError::new(&origin, "missing `=`")
            .value(text)
            .valid("KEY=VALUE, e.g. stimulus.amplitude=12")
    })?;
    let key = key.trim();
    let value_text = value.trim();
    let value = match toml::from_str::<toml::Table>(&format!("v = {value_text}")) {
        Ok(mut t) => t
            .remove("v")
            .unwrap_or(toml::Value::String(value_text.into())),
        // A list, a table or a quoted string that does not parse is not a
        // bare string (`[1,2,3` read as the text "[1,2,3"): its syntax is
        // what is wrong.
        Err(e) if value_text.starts_with(['[', '{', '"', '\'']) => {
            return Err(PresetError::new(
                &origin,
                format!("not valid TOML: {}", e.message().trim()),
            )
            .key(key.trim())
            .value(value_text)
            .valid(
                "a list [1.0, 2.0], a table { low = 0, high = 1 } or a string \"text\", closed",
            ));
        }
        // Digits TOML refused are a whole number past what it holds.
        Err(_) if is_whole_number(value_text) => {
            let err = PresetError::new(&origin, "").key(key).value(value_text);
            return Err(super::toml_errors::too_large(err));
        }
        Err(_) if is_number_past_f64(value_text) => {
            return Err(PresetError::new(
                &origin,
                format!(
                    "out of range: past the largest number a preset holds ({:e})",
                    f64::MAX
                ),
            )
            .key(key)
            .value(value_text)
            .valid("a finite number, within the key's own range"));
        }
        Err(_) => toml::Value::String(value_text.to_string()),
    };
    let parts: Vec<&str> = key.split('.').map(str::trim).collect();
    let mut named = Vec::with_capacity(parts.len());
    for part in &parts {
        let Some(p) = key_part(part) else {
            let problem = if part.is_empty() {
                "empty part in the key".to_string()
            } else {
                format!("`{part}` is not a key name")
            };
            return Err(PresetError::new(&origin, problem)
                .key(key)
                .value(value_text)
                .valid(
                    "a dotted key of letters, digits and _, such as stimulus.amplitude or \
                     hh.g_na, an element of a list by its index from 0 (network.bias[2], \
                     network.weights[2][0], stimuli[1].amplitude)",
                ));
        };
        named.push(p);
    }
    let mut value = Some(value);
    let mut cur = table;
    for (i, (name, indices)) in named.iter().enumerate() {
        let path = || parts[..=i].join(".");
        let last = i + 1 == named.len();
        if last && indices.is_empty() {
            cur.insert((*name).to_string(), value.take().expect("set once"));
            break;
        }
        let mut entry = if indices.is_empty() {
            cur.entry((*name).to_string())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()))
        } else {
            // A random network's biases and starting values are drawn,
            // each from a range under `random`: that range is what sets them.
            let drawn = cur
                .get("random")
                .and_then(|random| random.get(*name))
                .map(|range| {
                    let table = parts[..i].join(".");
                    // low before high, as a preset writes them (a table
                    // prints its keys sorted).
                    let range = match (range.get("low"), range.get("high")) {
                        (Some(low), Some(high)) => format!("{{ low = {low}, high = {high} }}"),
                        _ => range.to_string(),
                    };
                    format!(
                        "this network's {name} values are drawn from {table}.random.{name} = \
                         {range}: --set {table}.random.{name}.low=... and .high=... set the range"
                    )
                });
            // An element is set in a list the preset has: there is no
            // length to make one of.
            cur.get_mut(*name).ok_or_else(|| {
                PresetError::new(&origin, format!("the preset has no list `{name}` to index"))
                    .key(path())
                    .value(value_text)
                    .valid(drawn.unwrap_or_else(|| {
                        "an index into a list the preset gives, or the whole list (KEY=[...])"
                            .to_string()
                    }))
            })?
        };
        for (depth, &k) in indices.iter().enumerate() {
            let at = || {
                format!(
                    "{name}{}",
                    indices[..depth]
                        .iter()
                        .map(|j| format!("[{j}]"))
                        .collect::<String>()
                )
            };
            let toml::Value::Array(list) = entry else {
                return Err(PresetError::new(
                    &origin,
                    format!("`{}` is {entry}, not a list", at()),
                )
                .key(path())
                .value(value_text)
                .valid("an index into a list, e.g. network.bias[0]"));
            };
            let len = list.len();
            entry = list.get_mut(k).ok_or_else(|| {
                PresetError::new(
                    &origin,
                    format!(
                        "`{}` has {len} element{}",
                        at(),
                        if len == 1 { "" } else { "s" }
                    ),
                )
                .key(path())
                .value(value_text)
                .valid(match len {
                    0 => "an index into a list that has elements".to_string(),
                    _ => format!("an index from 0 to {}", len - 1),
                })
            })?;
        }
        if last {
            *entry = value.take().expect("set once");
            break;
        }
        cur = match entry {
            toml::Value::Table(t) => t,
            _ => {
                return Err(
                    PresetError::new(&origin, "this key is a value, not a table")
                        .key(path())
                        .value(entry.to_string())
                        .valid("a dotted path through tables, e.g. network.tau_s"),
                );
            }
        };
    }
    Ok(())
}

/// The value `key` (dotted, a list's element by its index from 0, as
/// `apply_override` reads it) holds in `table`, where it holds one.
pub(super) fn value_at<'a>(table: &'a toml::Table, key: &str) -> Option<&'a toml::Value> {
    let mut here: Option<&toml::Value> = None;
    for part in key.split('.') {
        let (name, indices) = key_part(part.trim())?;
        let within = match here {
            None => table,
            Some(value) => value.as_table()?,
        };
        let mut at = within.get(name)?;
        for k in indices {
            at = at.as_array()?.get(k)?;
        }
        here = Some(at);
    }
    here
}

/// A key's part: its name and the list indices after it (`weights[2][0]`:
/// `weights`, 2, 0); None where the name is not bare or an index not a
/// whole number in brackets.
fn key_part(part: &str) -> Option<(&str, Vec<usize>)> {
    let (name, mut rest) = part.split_at(part.find('[').unwrap_or(part.len()));
    let bare = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !bare {
        return None;
    }
    let mut indices = Vec::new();
    while !rest.is_empty() {
        let (index, after) = rest.strip_prefix('[')?.split_once(']')?;
        indices.push(index.trim().parse().ok()?);
        rest = after;
    }
    Some((name, indices))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(text: &str, key: &str) -> Result<toml::Table, PresetError> {
        let mut table: toml::Table = toml::from_str(text).unwrap();
        apply_override(&mut table, key)?;
        Ok(table)
    }

    /// An element of a list, of a list in a list, and a key of a table in
    /// a list of tables (`[[stimuli]]`) is set where it is, the rest kept.
    #[test]
    fn a_lists_element_is_set_by_its_index() {
        let text = "[network]\nbias = [1.5, 2.0, 1.0]\nweights = [[0, 0], [0.02, 0]]\n\
                    [[stimuli]]\namplitude = 1.0\n[[stimuli]]\namplitude = 2.0\n";
        let t = set(text, "network.bias[2]=1.25").unwrap();
        assert_eq!(
            t["network"]["bias"],
            toml::Value::try_from([1.5, 2.0, 1.25]).unwrap()
        );
        let t = set(text, "network.weights[1][0] = -0.5").unwrap();
        assert_eq!(t["network"]["weights"][1][0].as_float(), Some(-0.5));
        assert_eq!(t["network"]["weights"][0][0].as_integer(), Some(0));
        let t = set(text, "stimuli[1].amplitude=3").unwrap();
        assert_eq!(t["stimuli"][1]["amplitude"].as_integer(), Some(3));
        assert_eq!(t["stimuli"][0]["amplitude"].as_float(), Some(1.0));
    }

    /// What cannot be indexed says why, with the key as typed and what is
    /// valid: past the end (the length), not a list (its value), no such
    /// list (nothing to index: no length to make one of), no index.
    #[test]
    fn what_cannot_be_indexed_is_named() {
        let text = "[network]\nbias = [1.5, 2.0, 1.0]\ntau_s = \"5 ms\"\n";
        let e = set(text, "network.bias[3]=1").unwrap_err();
        assert_eq!(
            (e.key.as_deref(), e.problem.as_str(), e.valid.as_deref()),
            (
                Some("network.bias[3]"),
                "`bias` has 3 elements",
                Some("an index from 0 to 2")
            )
        );
        let e = set(text, "network.tau_s[0]=1").unwrap_err();
        assert_eq!(e.problem, "`tau_s` is \"5 ms\", not a list");
        let e = set(text, "network.names[0]=A").unwrap_err();
        assert_eq!(e.problem, "the preset has no list `names` to index");
        for bad in [
            "network.bias[]=1",
            "network.bias[-1]=1",
            "network.bias[1=1",
            "network.[0]=1",
        ] {
            let e = set(text, bad).unwrap_err();
            assert!(
                e.problem.ends_with("is not a key name"),
                "{bad}: {}",
                e.problem
            );
        }
        let e = set(text, "network.bias[1][0]=1").unwrap_err();
        assert_eq!(e.problem, "`bias[1]` is 2.0, not a list");
    }

    /// A random network has no list of biases to index: the error names
    /// the range they are drawn from, and the keys that set it.
    #[test]
    fn a_drawn_bias_points_to_its_range() {
        let text = "[network.random]\nn = 4\nbias = { low = 0.9, high = 1.3 }\n";
        let e = set(text, "network.bias[0]=1.5").unwrap_err();
        assert_eq!(e.problem, "the preset has no list `bias` to index");
        assert_eq!(
            e.valid.as_deref(),
            Some(
                "this network's bias values are drawn from network.random.bias = \
                 { low = 0.9, high = 1.3 }: --set network.random.bias.low=... and .high=... \
                 set the range"
            )
        );
        let mut table: toml::Table = toml::from_str(text).unwrap();
        apply_override(&mut table, "network.random.bias.low=1.5").unwrap();
        assert_eq!(
            table["network"]["random"]["bias"]["low"].as_float(),
            Some(1.5)
        );
    }
}
