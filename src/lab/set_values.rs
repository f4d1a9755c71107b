//! A preset loaded with the lab commands' keys set to numbers (`sweep
//! --param`, `threshold --param` and `--against`): an error is named by the
//! flag that chose the value, and a key that holds a list, a matrix or a
//! section says so, with the keys of its numbers. It read "`network.bias`
//! = 0: a number is not valid here; valid: a list in brackets", which tells
//! how to replace the list, not which key to step.

use super::sweep::PresetSource;
use crate::preset::time::parse_time;
use crate::preset::{PresetError, Scenario};

/// The most keys a section's readout names before "...".
const KEYS_NAMED: usize = 6;

/// Where `value`, what `key` holds in the preset, is a list or a section
/// with numbers in it: the problem (what it holds) and what is valid (the
/// keys of its numbers). None for anything else (a number, a string, a
/// list of names), which the preset's own error says best.
fn not_one_number(key: &str, value: &toml::Value) -> Option<(String, String)> {
    let (holds, valid) = match value {
        toml::Value::Array(items) => list(key, items)?,
        toml::Value::Table(table) => {
            let keys: Vec<String> = table
                .iter()
                .filter(|(_, v)| is_one_number(v))
                .map(|(k, _)| format!("{key}.{k}"))
                .collect();
            let valid = match keys.len() {
                0 => "a key of a number inside it".to_string(),
                n if n > KEYS_NAMED => {
                    format!("one of its keys: {}, ...", keys[..KEYS_NAMED].join(", "))
                }
                _ => format!("one of its keys: {}", keys.join(", ")),
            };
            ("a section of keys".to_string(), valid)
        }
        _ => return None,
    };
    Some((format!("it holds {holds}, not one number"), valid))
}

/// A number, or a time written with its unit.
fn is_one_number(value: &toml::Value) -> bool {
    match value {
        toml::Value::Integer(_) | toml::Value::Float(_) => true,
        toml::Value::String(text) => parse_time(text).is_ok(),
        _ => false,
    }
}

/// What a list holds and the keys of its numbers: a list of numbers by
/// index, a matrix by row and column, a list of tables by index and key.
fn list(key: &str, items: &[toml::Value]) -> Option<(String, String)> {
    let n = items.len();
    let last = n.checked_sub(1)?;
    Some(match &items[0] {
        toml::Value::Array(row) => {
            let columns = row.len();
            let to = columns
                .checked_sub(1)
                .map_or(String::new(), |c| format!(" to {key}[{last}][{c}]"));
            (
                format!("a matrix of {n} row{}", if n == 1 { "" } else { "s" }),
                format!("one of its numbers by row and column from 0: {key}[0][0]{to}"),
            )
        }
        toml::Value::Table(table) => {
            let first = table.iter().find(|(_, v)| is_one_number(v)).map(|(k, _)| k);
            (
                format!("a list of {n} table{}", if n == 1 { "" } else { "s" }),
                match first {
                    Some(k) => {
                        format!("a key of one of them by its index from 0, e.g. {key}[0].{k}")
                    }
                    None => format!("a key of one of them by its index from 0: {key}[0].KEY"),
                },
            )
        }
        number if is_one_number(number) => (
            format!("a list of {n} number{}", if n == 1 { "" } else { "s" }),
            if last == 0 {
                format!("its one element by its index: {key}[0]")
            } else {
                format!("one of them by its index from 0: {key}[0] to {key}[{last}]")
            },
        ),
        _ => return None,
    })
}

/// A value as a TOML number: a whole number as an integer (so that integer
/// keys such as `network.psc_order` take it), else in exponent form.
pub(crate) fn toml_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v:e}")
    }
}

/// The preset with each `(flag, key, value)` set in order, after the
/// source's own overrides; an error names the flag that chose the value
/// (`--param stimulus.amplitude = 0.5`), not a `--set` the user never typed.
pub(crate) fn load_with_values(
    source: &PresetSource,
    values: &[(&str, &str, f64)],
) -> Result<Scenario, Box<PresetError>> {
    let sets: Vec<String> = values
        .iter()
        .map(|(_, key, value)| format!("{key}={}", toml_number(*value)))
        .collect();
    source.load_with(&sets).map_err(|mut e| {
        for ((flag, key, value), set) in values.iter().zip(&sets) {
            let shown = crate::text::exact_number(*value);
            let typed = format!("--set {set}");
            if let Some(at) = e.origin.rfind(&typed) {
                e.origin
                    .replace_range(at..at + typed.len(), &format!("{flag} {key} = {shown}"));
            }
            if e.value.as_deref() == Some(&toml_number(*value)) {
                e.value = Some(shown);
            }
        }
        // A number refused where the key holds a list or a section: the
        // keys of its numbers are what to step.
        let refused = e.problem.ends_with("is not valid here");
        let whole = values.iter().filter(|_| refused).find_map(|&(_, key, _)| {
            let (problem, valid) = not_one_number(key, &source.value_of(key)?)?;
            Some((key, problem, valid))
        });
        if let Some((key, problem, valid)) = whole {
            e = PresetError {
                key: Some(key.to_string()),
                value: None,
                problem,
                valid: Some(valid),
                position: None,
                excerpt: None,
                ..e
            };
        }
        Box::new(e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(key: &str, value: &str) -> Option<(String, String)> {
        let table: toml::Table = toml::from_str(&format!("v = {value}")).unwrap();
        not_one_number(key, &table["v"])
    }

    #[test]
    fn a_value_is_a_toml_number() {
        assert_eq!(toml_number(2.0), "2");
        assert_eq!(toml_number(0.25), "2.5e-1");
    }

    #[test]
    fn a_list_a_matrix_and_a_section_name_the_keys_of_their_numbers() {
        assert_eq!(
            said("network.bias", "[1.5, 2.0, 1.0]"),
            Some((
                "it holds a list of 3 numbers, not one number".into(),
                "one of them by its index from 0: network.bias[0] to network.bias[2]".into()
            ))
        );
        assert_eq!(
            said("network.weights", "[[0.0, 0.0], [0.02, 0.0], [0.1, 0.2]]"),
            Some((
                "it holds a matrix of 3 rows, not one number".into(),
                "one of its numbers by row and column from 0: network.weights[0][0] to \
                 network.weights[2][1]"
                    .into()
            ))
        );
        assert_eq!(
            said("x", "[7]").unwrap().1,
            "its one element by its index: x[0]"
        );
        assert_eq!(
            said("stimuli", "[{ kind = \"pulses\", amplitude = 10 }]").unwrap(),
            (
                "it holds a list of 1 table, not one number".into(),
                "a key of one of them by its index from 0, e.g. stimuli[0].amplitude".into()
            )
        );
        assert_eq!(
            said(
                "network",
                "{ tau_m = \"20 ms\", neuron = \"lif\", bias = [1], psc_order = 0 }"
            )
            .unwrap()
            .1,
            "one of its keys: network.psc_order, network.tau_m"
        );
    }

    #[test]
    fn a_number_a_time_a_string_and_a_list_of_names_are_left_to_the_preset() {
        for value in [
            "1.5",
            "\"20 ms\"",
            "\"lif\"",
            "[]",
            "true",
            "[\"A\", \"B\"]",
        ] {
            assert_eq!(said("k", value), None, "{value}");
        }
    }
}
