//! The bundled presets, compiled into the binary so that they work from any
//! directory. `tests/presets.rs` checks that this table lists exactly the
//! files in `presets/`.

/// (name, TOML text), in the order `spikescope presets` lists them.
pub const BUNDLED: &[(&str, &str)] = &[
    (
        "hh-repetitive",
        include_str!("../../presets/hh-repetitive.toml"),
    ),
    (
        "lif-constant",
        include_str!("../../presets/lif-constant.toml"),
    ),
    (
        "network-abc",
        include_str!("../../presets/network-abc.toml"),
    ),
    (
        "network-benchmark",
        include_str!("../../presets/network-benchmark.toml"),
    ),
    (
        "rate-logistic",
        include_str!("../../presets/rate-logistic.toml"),
    ),
];

/// The built-in default opened without a preset: HH with an adjustable
/// current.
pub const DEFAULT_PRESET: &str = include_str!("../../presets/hh-repetitive.toml");

/// A bundled preset's text by name. Names are `[A-Za-z0-9_-]+`; anything else
/// (a path) is never looked up here.
pub fn get(name: &str) -> Option<&'static str> {
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    BUNDLED.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

pub fn names() -> impl Iterator<Item = &'static str> {
    BUNDLED.iter().map(|(n, _)| *n)
}
