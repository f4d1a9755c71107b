//! The bundled presets, compiled into the binary so that they work from any
//! directory. `tests/presets.rs` checks that this table lists exactly the
//! files in `presets/`.

/// (name, TOML text), in the order `spikescope presets` lists them.
pub const BUNDLED: &[(&str, &str)] = &[
    (
        "hh-repetitive",
        include_str!("../../presets/hh-repetitive.toml"),
    ),
    ("hh-block", include_str!("../../presets/hh-block.toml")),
    (
        "hh-bistable",
        include_str!("../../presets/hh-bistable.toml"),
    ),
    ("hh-clamp", include_str!("../../presets/hh-clamp.toml")),
    (
        "hh-clamp-family",
        include_str!("../../presets/hh-clamp-family.toml"),
    ),
    ("hh-fast", include_str!("../../presets/hh-fast.toml")),
    ("hh-rebound", include_str!("../../presets/hh-rebound.toml")),
    ("hh-rest", include_str!("../../presets/hh-rest.toml")),
    (
        "hh-single-spike",
        include_str!("../../presets/hh-single-spike.toml"),
    ),
    (
        "hh-subthreshold",
        include_str!("../../presets/hh-subthreshold.toml"),
    ),
    ("hh-tea", include_str!("../../presets/hh-tea.toml")),
    ("hh-ttx", include_str!("../../presets/hh-ttx.toml")),
    ("lif-below", include_str!("../../presets/lif-below.toml")),
    (
        "lif-constant",
        include_str!("../../presets/lif-constant.toml"),
    ),
    ("lif-ramp", include_str!("../../presets/lif-ramp.toml")),
    (
        "network-abc",
        include_str!("../../presets/network-abc.toml"),
    ),
    (
        "network-benchmark",
        include_str!("../../presets/network-benchmark.toml"),
    ),
    ("network-ei", include_str!("../../presets/network-ei.toml")),
    (
        "network-populations",
        include_str!("../../presets/network-populations.toml"),
    ),
    (
        "network-populations-augmented",
        include_str!("../../presets/network-populations-augmented.toml"),
    ),
    (
        "network-wta",
        include_str!("../../presets/network-wta.toml"),
    ),
    (
        "psc-ampa-nmda",
        include_str!("../../presets/psc-ampa-nmda.toml"),
    ),
    ("psc-orders", include_str!("../../presets/psc-orders.toml")),
    (
        "rate-arctan",
        include_str!("../../presets/rate-arctan.toml"),
    ),
    (
        "rate-lif-rate",
        include_str!("../../presets/rate-lif-rate.toml"),
    ),
    (
        "rate-logistic",
        include_str!("../../presets/rate-logistic.toml"),
    ),
    (
        "rate-onehot",
        include_str!("../../presets/rate-onehot.toml"),
    ),
    ("rate-relu", include_str!("../../presets/rate-relu.toml")),
    (
        "rate-softmax",
        include_str!("../../presets/rate-softmax.toml"),
    ),
    ("rate-tanh", include_str!("../../presets/rate-tanh.toml")),
    (
        "rate-threshold",
        include_str!("../../presets/rate-threshold.toml"),
    ),
    (
        "spike-train-convolution",
        include_str!("../../presets/spike-train-convolution.toml"),
    ),
];

/// The built-in default opened without a preset: HH with an adjustable
/// current.
pub const DEFAULT_PRESET: &str = include_str!("../../presets/hh-repetitive.toml");
/// The origin the built-in default is known by (no preset was named).
pub const DEFAULT_ORIGIN: &str = "built-in default";

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
