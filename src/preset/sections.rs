//! Which section a key belongs in, for a key written where it is not
//! taken: `tau_m = 0.02` at the top of a LIF preset (or `--set tau_m=0.02`)
//! is `lif.tau_m`. The sections' keys are the schema's own, read from the
//! error serde gives for a key a section lacks, so they cannot drift from
//! it.

use super::schema::PresetFile;

/// The sections a key may belong in: those every model takes, then the
/// models' own (the preset's model's are offered before all of them).
const SECTIONS: [&str; 8] = [
    "stimulus",
    "view",
    "hh",
    "lif",
    "network",
    "network.random",
    "rate",
    "synapse",
];

/// The names between backticks after "expected" in a serde error for an
/// unknown field: the fields the struct takes.
pub(super) fn expected_fields(msg: &str) -> Vec<&str> {
    msg.split("expected")
        .nth(1)
        .unwrap_or("")
        .split('`')
        .skip(1)
        .step_by(2)
        .collect()
}

/// The keys `section` takes.
fn keys_of(section: &str) -> Vec<String> {
    let probe = format!("[{section}]\nno_such_key_anywhere = 0\n");
    match toml::from_str::<PresetFile>(&probe) {
        Ok(_) => Vec::new(),
        Err(e) => expected_fields(e.message())
            .into_iter()
            .map(str::to_string)
            .collect(),
    }
}

/// The dotted key `key` stands for when written at the top level of the
/// preset `src`: the section that takes it, the preset's model's own first
/// (a network's `tau_m` is `network.tau_m`, a LIF neuron's `lif.tau_m`).
pub(super) fn section_for(key: &str, src: &str) -> Option<String> {
    let model = toml::from_str::<toml::Table>(src)
        .ok()
        .and_then(|t| t.get("model")?.as_str().map(str::to_string))
        .unwrap_or_default();
    let models_own = |s: &&&str| s.split('.').next() == Some(model.as_str());
    let own = SECTIONS.iter().filter(models_own);
    let others = SECTIONS.iter().filter(|s| !models_own(s));
    own.chain(others)
        .find(|s| keys_of(s).iter().any(|k| k == key))
        .map(|s| format!("{s}.{key}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_found_in_its_section_the_models_own_first() {
        let lif = "model = \"lif\"\n";
        assert_eq!(section_for("tau_m", lif).as_deref(), Some("lif.tau_m"));
        let net = "model = \"network\"\n";
        assert_eq!(section_for("tau_m", net).as_deref(), Some("network.tau_m"));
        assert_eq!(section_for("g_na", lif).as_deref(), Some("hh.g_na"));
        assert_eq!(
            section_for("amplitude", lif).as_deref(),
            Some("stimulus.amplitude")
        );
        assert_eq!(section_for("p", net).as_deref(), Some("network.random.p"));
        // A noise stimulus's seed for a neuron, the drawn network's for a
        // network.
        assert_eq!(section_for("seed", lif).as_deref(), Some("stimulus.seed"));
        assert_eq!(
            section_for("seed", net).as_deref(),
            Some("network.random.seed")
        );
        assert_eq!(section_for("zoom", lif), None);
        assert!(keys_of("hh").iter().any(|k| k == "temperature"));
    }
}
