//! `--set` overrides: applied to a preset's TOML before it is checked, so
//! that one can mend a preset as well as change it, with the mistakes an
//! override makes named as the override's, not the file's.

use super::error::PresetError;
use super::set::apply_override;
use super::{Scenario, guide_of, parse, toml_errors};
use crate::model::ModelKind;
use crate::named::Named;
use crate::text::printable;

/// Parses `text` (from `origin`) with `overrides` (at least one) applied
/// first.
pub(super) fn load_with_overrides(
    origin: &str,
    text: &str,
    overrides: &[String],
) -> Result<Scenario, PresetError> {
    let mut table: toml::Table =
        toml::from_str(text).map_err(|e| toml_errors::toml_error(origin, text, &e))?;
    let file_tables = table_paths(&table, "");
    for o in overrides {
        apply_override(&mut table, o)?;
    }
    another_models_section(origin, &table, &file_tables, overrides)?;
    // Tables the overrides made (`--set network.random.p=0.1` on a network
    // of given weights makes [network.random]): a key missing from one is
    // missing from what the override began.
    let made: Vec<String> = table_paths(&table, "")
        .into_iter()
        .filter(|t| !file_tables.contains(t))
        .collect();
    let new_text = toml::to_string(&table).map_err(|e| {
        PresetError::new(origin, format!("cannot apply --set: {e}"))
            .value(describe_overrides(overrides))
            .valid("values TOML can hold: numbers, strings, booleans, lists, tables")
    })?;
    let label = format!("{origin} with {}", describe_overrides(overrides));
    let set_keys: Vec<&str> = overrides
        .iter()
        .filter_map(|o| Some(o.split_once('=')?.0.trim()))
        .collect();
    let parsed = parse(&label, &new_text).map(|mut scenario| {
        // The guidance is the file's opening comments, which the rewritten
        // text has lost (a preset opened with --set, or changed in the
        // panel, said it had none): the file's, with a word that this run
        // is not the preset as written.
        let guide = guide_of(text);
        if !guide.is_empty() {
            let note = format!(
                "({}: where the words above give the preset's values, this run's differ.)",
                describe_overrides(overrides)
            );
            scenario.meta.guide = printable(&format!("{guide}\n{note}"), true).into_owned();
        }
        // The rewritten text's lines are not the file's: a bare time the
        // file gives is said where the file has it, as written there (the
        // file read alone, which it can be unless a `--set` mends it).
        let bare = &mut scenario.meta.bare_times;
        for b in bare.iter_mut() {
            b.line = None;
            b.by_set = set_keys.contains(&b.key.as_str());
        }
        if bare.iter().any(|b| !b.by_set)
            && let Ok(alone) = parse(origin, text)
        {
            for b in bare.iter_mut().filter(|b| !b.by_set) {
                if let Some(in_file) = alone.meta.bare_times.iter().find(|f| f.key == b.key) {
                    b.line = in_file.line;
                    b.written.clone_from(&in_file.written);
                }
            }
        }
        scenario
    });
    parsed.map_err(|with_set| {
        // A problem the file has by itself is shown where it is in the file;
        // one the overrides made is named by its key (positions in the
        // rewritten text would mean nothing to the user). The file's is the
        // same key and problem, with the same value where an override set
        // that key (it may have set another wrong value); where none did,
        // the value may only be written otherwise in the rewritten text
        // (an inline `{ ... }` becomes a [table]).
        // An override's key by its index (`stimuli[0].kind`) is the
        // error's without it: serde's path has none.
        let touched = |key: &Option<String>| {
            key.as_deref().is_some_and(|key| {
                set_keys.iter().map(|set| without_indices(set)).any(|set| {
                    set == without_indices(key) || inside(&set, key) || inside(key, &set)
                })
            })
        };
        // The rewritten text may write a list of tables inline, where
        // serde's path has no index: `stimuli.neurons` for `stimuli[0].neurons`.
        let unindexed = |key: &Option<String>| key.as_deref().map(without_indices);
        match parse(origin, text) {
            Err(in_file)
                if (unindexed(&in_file.key), &in_file.problem)
                    == (unindexed(&with_set.key), &with_set.problem)
                    && (in_file.value == with_set.value || !touched(&in_file.key)) =>
            {
                in_file
            }
            _ => {
                let key = with_set.key.as_deref();
                // A key that is itself a table the overrides began
                // (`--set stimuli.start=...` where `stimuli` is a list):
                // the table they made is its value.
                let made_here = key
                    .filter(|k| made.iter().any(|t| t == k))
                    .and_then(|k| Some((k, setter_within(k, overrides)?)));
                let problem = match (
                    key.and_then(|k| table_begun_for(k, &made, overrides)),
                    made_here,
                ) {
                    (Some((table, setter)), _) => format!(
                        "{}; {origin} has no [{table}]: setting {setter} began one",
                        with_set.problem
                    ),
                    (None, Some((_, setter))) => {
                        format!("{} (setting {setter} made it one)", with_set.problem)
                    }
                    (None, None) => with_set.problem.clone(),
                };
                // The value as typed, where the error is an override's: the
                // rewritten text writes 1e300 out in 301 digits.
                let typed = key.and_then(|key| typed_override(overrides, key));
                let (set_key, typed) = typed.unzip();
                let typed = typed.flatten();
                // Where an item of a list typed whole has the wrong type
                // (the error's own value is that item), the item is named:
                // the list's value alone read as if the list were refused.
                let problem = match (&typed, &with_set.value) {
                    (Some(list), Some(item))
                        if list.starts_with('[')
                            && item != list
                            && problem.ends_with("is not valid here") =>
                    {
                        format!("the item {item}: {problem}")
                    }
                    _ => problem,
                };
                PresetError {
                    position: None,
                    excerpt: None,
                    key: set_key.or(with_set.key.clone()),
                    value: typed
                        .or(with_set.value.clone())
                        .or_else(|| made_here.and_then(|(k, _)| typed_table(k, overrides))),
                    problem,
                    ..with_set
                }
            }
        }
    })
}

/// The table an override began (one of `made`) that `key` lies in, and
/// the key set that began it (`--set` or a sweep's `--param`), where `key`
/// is not itself set: a key the table lacks.
fn table_begun_for<'a>(
    key: &str,
    made: &'a [String],
    overrides: &'a [String],
) -> Option<(&'a str, &'a str)> {
    let set_keys = || {
        overrides
            .iter()
            .filter_map(|o| Some(o.split_once('=')?.0.trim()))
    };
    if set_keys().any(|k| k == key) {
        return None;
    }
    let table = made.iter().find(|t| inside(key, t))?;
    let setter = set_keys().find(|k| inside(k, table))?;
    Some((table, setter))
}

/// Whether dotted `key` lies inside `table` (`network.random.p` in
/// `network`).
fn inside(key: &str, table: &str) -> bool {
    key.strip_prefix(table).is_some_and(|r| r.starts_with('.'))
}

/// The first key set (`--set` or a sweep's `--param`) inside `table`.
fn setter_within<'a>(table: &str, overrides: &'a [String]) -> Option<&'a str> {
    overrides
        .iter()
        .filter_map(|o| Some(o.split_once('=')?.0.trim()))
        .find(|k| inside(k, table))
}

/// The table the overrides made at `table`, from their values as typed
/// (`{ start = 1e-300 }`; TOML would write that number out in 300 digits).
fn typed_table(table: &str, overrides: &[String]) -> Option<String> {
    let entries: Vec<String> = overrides
        .iter()
        .filter_map(|o| o.split_once('='))
        .filter_map(|(k, v)| {
            let inner = k.trim().strip_prefix(table)?.strip_prefix('.')?;
            Some(format!("{inner} = {}", v.trim()))
        })
        .collect();
    (!entries.is_empty()).then(|| format!("{{ {} }}", entries.join(", ")))
}

/// The dotted paths of the tables in `table` (a section, a section's
/// table: `network`, `network.random`), under `prefix`.
fn table_paths(table: &toml::Table, prefix: &str) -> Vec<String> {
    let mut paths = Vec::new();
    for (key, value) in table {
        if let toml::Value::Table(inner) = value {
            let path = format!("{prefix}{key}");
            paths.extend(table_paths(inner, &format!("{path}.")));
            paths.push(path);
        }
    }
    paths
}

/// An override that made a section for another model than the preset's
/// (`--set lif.tau_m=0.01` on an HH preset): named as the override's
/// mistake. Validation would blame the preset's `model` for a section the
/// file does not have.
fn another_models_section(
    origin: &str,
    table: &toml::Table,
    file_tables: &[String],
    overrides: &[String],
) -> Result<(), PresetError> {
    let model = table.get("model").and_then(|m| m.as_str()).unwrap_or("hh");
    let made = overrides.iter().find_map(|o| {
        let (key, value) = o.split_once('=')?;
        let section = key.split('.').next()?.trim();
        let another = ModelKind::ALL
            .iter()
            .any(|k| k.name() == section && section != model);
        (another && !file_tables.iter().any(|t| t == section)).then(|| (key.trim(), value, section))
    });
    let Some((key, value, section)) = made else {
        return Ok(());
    };
    Err(PresetError::new(
        &format!("{origin} with {}", describe_overrides(overrides)),
        format!("the preset's model is \"{model}\", which has no [{section}] section"),
    )
    .key(key)
    .value(value.trim())
    .valid(format!(
        "a key of the model's own section ({model}.*) or another the preset takes (stimulus.*, \
         view.*, dt, duration)"
    )))
}

/// The last override of `key`: its key as typed, and its value as typed
/// if that is TOML as typed (`-5 ms` is read as the string "-5 ms", and
/// shown so). One by an index (`stimuli[0].kind` for serde's `stimuli.kind`)
/// where it is the only key of that path: of two (`bias[0]`, `bias[2]`)
/// the error's could be either.
fn typed_override(overrides: &[String], key: &str) -> Option<(String, Option<String>)> {
    let sets = || {
        overrides
            .iter()
            .rev()
            .filter_map(|o| o.split_once('='))
            .map(|(k, v)| (k.trim(), v))
    };
    let indexed = || sets().filter(|(k, _)| without_indices(k) == without_indices(key));
    let (set_key, typed) = sets().find(|(k, _)| *k == key).or_else(|| {
        let (first, value) = indexed().next()?;
        indexed().all(|(k, _)| k == first).then_some((first, value))
    })?;
    let typed = typed.trim();
    let toml = toml::from_str::<toml::Table>(&format!("v = {typed}")).is_ok();
    Some((set_key.to_string(), toml.then(|| typed.to_string())))
}

/// A dotted key without its indices: `stimuli.kind` of `stimuli[0].kind`.
fn without_indices(key: &str) -> String {
    let mut plain = String::with_capacity(key.len());
    let mut in_index = false;
    for c in key.chars() {
        match c {
            '[' => in_index = true,
            ']' => in_index = false,
            c if !in_index => plain.push(c),
            _ => {}
        }
    }
    plain
}

/// Whether `key` holds a time in `text` (a number of seconds, or a string
/// with a unit): the schema reads `"1 s"` there. Only parsed, nothing built,
/// so it costs nothing beside a large network's build.
pub fn takes_a_time(text: &str, key: &str) -> bool {
    let Ok(table) = toml::from_str::<toml::Table>(text) else {
        return false;
    };
    // A time reads both; a string key (`stimulus.kind`) reads the string
    // only, and a number key the number only.
    ["\"1 s\"", "1"].iter().all(|value| {
        let mut table = table.clone();
        apply_override(&mut table, &format!("{key}={value}")).is_ok()
            && toml::to_string(&table)
                .is_ok_and(|t| toml::from_str::<super::schema::PresetFile>(&t).is_ok())
    })
}

/// The preset as it was named, without the overrides a scenario's origin
/// carries after it (`x.toml with --set a=1`): what a file is named after.
pub fn origin_without_overrides<'a>(origin: &'a str, overrides: &[String]) -> &'a str {
    if overrides.is_empty() {
        return origin;
    }
    origin
        .strip_suffix(&format!(" with {}", describe_overrides(overrides)))
        .unwrap_or(origin)
}

fn describe_overrides(overrides: &[String]) -> String {
    overrides
        .iter()
        .map(|o| format!("--set {o}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preset::{bundled, load_text};

    /// A `--set` into another model's section is its own mistake, named by
    /// its key (it read as the preset's `model` being wrong for a section
    /// the file does not have); with `model` switched too, it is the new
    /// model's section, and a section the file has is the file's.
    #[test]
    fn an_override_into_another_models_section_is_named() {
        let hh = "model = \"hh\"\n[stimulus]\nkind = \"constant\"\n";
        let e = load_text("x.toml", hh, &["lif.tau_m=0.01".into()]).unwrap_err();
        assert_eq!(e.origin, "x.toml with --set lif.tau_m=0.01");
        assert_eq!(
            (e.key.as_deref(), e.value.as_deref(), e.problem.as_str()),
            (
                Some("lif.tau_m"),
                Some("0.01"),
                "the preset's model is \"hh\", which has no [lif] section"
            )
        );
        assert!(
            e.valid
                .unwrap()
                .starts_with("a key of the model's own section (hh.*) or another")
        );
        let switched = ["model=lif".into(), "lif.tau_m=0.01".into()];
        assert!(load_text("x.toml", hh, &switched).is_ok());
        let both = "model = \"hh\"\n[lif]\ntau_m = 0.02\n";
        let e = load_text("x.toml", both, &["lif.tau_m=0.01".into()]).unwrap_err();
        assert_eq!(e.key.as_deref(), Some("model"));
    }

    /// An override by an index whose value the schema refuses is named by
    /// its key as typed, with its value: serde's path has no index
    /// (`stimuli.kind`), and a table's value went unsaid. Of two elements
    /// set, the error's could be either: its path alone.
    #[test]
    fn an_indexed_overrides_refusal_is_named_as_typed() {
        let bistable = bundled::get("hh-bistable").unwrap();
        let set = ["stimuli[0].kind={ low = 0, high = 1 }".to_string()];
        let e = load_text("b", bistable, &set).unwrap_err();
        assert_eq!(
            (e.key.as_deref(), e.value.as_deref()),
            (Some("stimuli[0].kind"), Some("{ low = 0, high = 1 }"))
        );
        let abc = bundled::get("network-abc").unwrap();
        let e = load_text("abc", abc, &["network.bias[0]=abc".into()]).unwrap_err();
        assert_eq!(e.key.as_deref(), Some("network.bias[0]"));
        let two = ["network.bias[0]=abc".into(), "network.bias[2]=1".into()];
        let e = load_text("abc", abc, &two).unwrap_err();
        assert_eq!(e.key.as_deref(), Some("network.bias"));
    }

    /// A key missing from a table an override began (`network.random` on
    /// a network of given weights) says the preset has no such table, and
    /// which key set began it: it read only "missing `n`", of a section the
    /// user never wrote.
    #[test]
    fn a_table_an_override_began_is_named() {
        let abc = bundled::get("network-abc").unwrap();
        let e = load_text("abc", abc, &["network.random.p=0.1".into()]).unwrap_err();
        assert_eq!(e.key.as_deref(), Some("network.random.n"));
        assert_eq!(
            e.problem,
            "missing `n`; abc has no [network.random]: setting network.random.p began one"
        );
        // A table the preset has is its own: no such word.
        let bench = bundled::get("network-benchmark").unwrap();
        let e = load_text("b", bench, &["network.random.n=-1".into()]).unwrap_err();
        assert!(!e.problem.contains("began"), "{e}");
    }

    /// A list typed whole whose item has the wrong type names the item (it
    /// read "`rate.names` = [1, 2]: a number is not valid here", as if the
    /// list were); a list refused as a whole is said as before.
    #[test]
    fn an_item_of_a_list_typed_whole_is_named() {
        let softmax = bundled::get("rate-softmax").unwrap();
        let e = load_text("s", softmax, &["rate.names=[1, 2]".into()]).unwrap_err();
        assert_eq!(e.value.as_deref(), Some("[1, 2]"));
        assert_eq!(e.problem, "the item 1: a number is not valid here");
        let abc = bundled::get("network-abc").unwrap();
        let e = load_text("abc", abc, &["network.weights=[[1, 2], [3]]".into()]).unwrap_err();
        assert_eq!(e.problem, "the matrix has 2 rows of lengths [2, 1]");
    }

    /// A `--set` applies before validation: it can mend a preset; what the
    /// file gets wrong by itself is still shown where it is in the file.
    #[test]
    fn overrides_apply_before_validation() {
        let bad = "model = \"lif\"\n[lif]\ntau_m = -5\n";
        assert!(load_text("x.toml", bad, &[]).is_err());
        assert!(load_text("x.toml", bad, &["lif.tau_m=0.01".into()]).is_ok());
        let e = load_text("x.toml", bad, &["lif.tau_ref=0.001".into()]).unwrap_err();
        assert_eq!(e.origin, "x.toml");
        assert_eq!(e.position, Some((3, 9)));
        let e = load_text("x.toml", bad, &["lif.tau_m=-7".into()]).unwrap_err();
        assert_eq!(e.origin, "x.toml with --set lif.tau_m=-7");
        assert_eq!((e.position, e.value.as_deref()), (None, Some("-7")));
        // The value as typed, not as the rewritten text has it (1e300 in
        // 301 digits), the last override of the key winning.
        let sets = ["lif.tau_m = 1".into(), "lif.tau_m = -1e300".into()];
        let e = load_text("x.toml", bad, &sets).unwrap_err();
        assert_eq!(e.value.as_deref(), Some("-1e300"));
        // So in what the problem says of it.
        let lif = "model = \"lif\"\n";
        let e = load_text("x.toml", lif, &["lif.v_reset=1e300".into()]).unwrap_err();
        assert_eq!(e.problem, "v_reset 1e300 is not below v_threshold 1");
        let clamp = "model = \"hh\"\n[stimulus]\nkind = \"clamp\"\nlevels = [0.0]\n";
        let e = load_text("x.toml", clamp, &["stimulus.levels=[-1e300]".into()]).unwrap_err();
        assert_eq!(e.problem, "level -1e300 mV");
        // Digits past an i64, and a number past an f64's range, are out of
        // range, as in a file (they read as a string: "a string is not
        // valid here").
        let whole = "out of range: past the largest whole number a preset holds";
        let real = "out of range: past the largest number a preset holds (1.7976931348623157e308)";
        let cases = [
            (
                "network",
                "network.random.seed",
                "18446744073709551615",
                whole,
            ),
            (
                "network",
                "network.random.seed",
                "-9_223_372_036_854_775_809",
                whole,
            ),
            ("hh", "hh.temperature", "1e400", real),
            ("hh", "hh.temperature", "-1.5E+309", real),
            ("hh", "hh.temperature", "1_0e999", real),
        ];
        for (model, key, big, problem) in cases {
            let text = format!("model = \"{model}\"\n");
            let e = load_text("x.toml", &text, &[format!("{key}={big}")]).unwrap_err();
            assert_eq!(
                (e.key.as_deref(), e.value.as_deref(), e.problem.as_str()),
                (Some(key), Some(big), problem)
            );
        }
    }

    /// Files are named after the preset, not after the overrides its
    /// scenario's origin carries (a value may hold a `/`).
    #[test]
    fn the_origin_without_its_overrides() {
        let sets = ["lif.tau_m=0.01".to_string(), "a.b=\"x/y\"".to_string()];
        let ok = "model = \"lif\"\n";
        let with = load_text("dir/x.toml", ok, &sets[..1]).unwrap();
        assert_eq!(with.meta.origin, "dir/x.toml with --set lif.tau_m=0.01");
        assert_eq!(
            origin_without_overrides(&with.meta.origin, &sets[..1]),
            "dir/x.toml"
        );
        let named = "x.toml with --set lif.tau_m=0.01 --set a.b=\"x/y\"";
        assert_eq!(origin_without_overrides(named, &sets), "x.toml");
        assert_eq!(origin_without_overrides("x.toml", &[]), "x.toml");
    }

    /// Time keys are told from the others by the schema alone.
    #[test]
    fn time_keys_are_known_without_a_model() {
        let text = "model = \"lif\"\n[lif]\ntau_m = \"20 ms\"\n";
        for key in [
            "lif.tau_m",
            "lif.tau_ref",
            "network.tau_s",
            "duration",
            "dt",
        ] {
            assert!(takes_a_time(text, key), "{key}");
        }
        for key in [
            "stimulus.amplitude",
            "hh.g_na",
            "lif.v_threshold",
            "nonsense",
        ] {
            assert!(!takes_a_time(text, key), "{key}");
        }
    }
}
