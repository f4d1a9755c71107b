//! The screen against the engine off the presets' defaults: the fixed
//! sets of overrides `every_number_on_screen_is_the_engines_under_sets`
//! uses, and overrides drawn at random. For every bundled preset (the
//! 1,000-neuron benchmark aside, for time), one to four `--set`s from its
//! model's pool of values a student might try; a stretch of 30%, 60% or
//! 120% of its duration, every view checked against `run` with the same
//! sets, then a session of 60 random keys from the same start checked
//! against its journal replayed. Not run by `cargo test`; a round by seed:
//! `SETS_SEED=7 SETS_ROUNDS=20 cargo test --release --test screen_truth --
//! --ignored --nocapture` (the seed defaults to the time).

use std::collections::BTreeMap;

use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;
use spikescope::model::ModelKind;
use spikescope::preset::{self, bundled};

use crate::{after_a_session_under, model_kind, random_keys, stretch_under};

/// Two sets of overrides a model, off its presets' defaults: each model's
/// constants, its filters and dt, as a student trying another neuron would
/// set them from the command line.
pub fn sets_off_defaults(kind: ModelKind) -> [&'static [&'static str]; 2] {
    match kind {
        ModelKind::Hh => [
            &[
                "hh.temperature=12",
                "hh.g_l=0.5",
                "hh.e_l=-58",
                "hh.c_m=1.2",
                "dt=2e-5",
            ],
            &[
                "hh.temperature=20",
                "hh.g_k=30",
                "hh.e_na=55",
                "hh.method=euler",
                "dt=1e-5",
            ],
        ],
        ModelKind::Lif => [
            &[
                "lif.tau_m=0.015",
                "lif.tau_ref=0.003",
                "lif.v_reset=0.2",
                "lif.v_threshold=1.1",
                "dt=5e-5",
            ],
            &[
                "lif.tau_m=0.03",
                "lif.tau_ref=0",
                "lif.v_reset=-0.3",
                "lif.v_threshold=0.6",
                "lif.v_init=0.5",
                "dt=2e-4",
            ],
        ],
        ModelKind::Network => [
            &[
                "network.tau_m=0.025",
                "network.tau_ref=0.003",
                "network.tau_s=0.007",
                "network.psc_order=1",
                "dt=5e-5",
            ],
            &[
                "network.spike_timing=grid",
                "network.tau_ref=0",
                "view.window=1",
                "network.psc_order=2",
                "network.tau_s=0.012",
                "dt=2e-4",
            ],
        ],
        ModelKind::Rate => [
            &["rate.tau=0.005", "dt=5e-4"],
            &["rate.tau=0.02", "dt=2e-3"],
        ],
        ModelKind::Synapse => [
            &[
                "synapse.filters[0].order=2",
                "synapse.filters[0].tau_s=0.015",
                "dt=5e-5",
            ],
            &["synapse.filters[0].order=4", "dt=2e-4"],
        ],
    }
}

/// Values off the defaults, each a `--set` of the model's.
fn pool(kind: ModelKind) -> &'static [&'static str] {
    match kind {
        ModelKind::Hh => &[
            "hh.temperature=3",
            "hh.temperature=25",
            "hh.g_na=80",
            "hh.g_k=20",
            "hh.g_l=0.1",
            "hh.e_l=-70",
            "hh.e_k=-85",
            "hh.c_m=0.5",
            "hh.c_m=2",
            "hh.method=exp_euler",
            "hh.v_init=-70",
            "stimulus.amplitude=15",
            "stimulus.amplitude=-3",
            "stimulus.start=0.0123",
            "stimulus.width=0.0005",
            "dt=1e-5",
            "dt=2.5e-5",
            "view.window=0.05",
            "view.window=1",
        ],
        ModelKind::Lif => &[
            "lif.tau_m=0.005",
            "lif.tau_m=0.1",
            "lif.tau_ref=0",
            "lif.tau_ref=0.01",
            "lif.v_reset=0.5",
            "lif.v_reset=-1",
            "lif.v_threshold=0.8",
            "lif.v_threshold=2",
            "lif.v_init=0.9",
            "stimulus.amplitude=1.05",
            "stimulus.amplitude=4",
            "stimulus.offset=0.7",
            "dt=1e-3",
            "dt=1e-5",
            "view.window=0.05",
            "view.window=2",
        ],
        ModelKind::Network => &[
            "network.tau_m=0.01",
            "network.tau_m=0.05",
            "network.tau_ref=0",
            "network.tau_ref=0.005",
            "network.tau_s=0.002",
            "network.tau_s=0.05",
            "network.psc_order=0",
            "network.psc_order=3",
            "network.spike_timing=grid",
            "network.in_step_resolve=never",
            "network.bias[0]=1.3",
            "network.bias[1]=0.4",
            "stimuli[0].amplitude=0.5",
            "dt=1e-3",
            "dt=2e-5",
            "view.window=0.1",
            "view.window=2",
        ],
        ModelKind::Rate => &[
            "rate.tau=0.001",
            "rate.tau=0.1",
            "rate.activation=relu",
            "rate.activation=logistic",
            "rate.activation=softmax",
            "rate.activation=threshold",
            "rate.bias[0]=0.7",
            "dt=1e-4",
            "dt=5e-3",
            "view.window=1",
        ],
        ModelKind::Synapse => &[
            "synapse.filters[0].order=0",
            "synapse.filters[0].order=5",
            "synapse.filters[0].tau_s=0.002",
            "synapse.filters[0].tau_s=0.2",
            "synapse.filters[1].order=1",
            "stimulus.rate=80",
            "dt=1e-3",
            "dt=1e-5",
            "view.window=0.05",
            "view.window=3",
        ],
    }
}

/// Sets drawn for `name` from its model's pool, one to four of them, each
/// key once; none where the preset refuses five draws (a dt too large for
/// the conductances drawn: the refusal is `check`'s to test, not the
/// screen's).
fn draw_sets(name: &str, rng: &mut Pcg64) -> Vec<String> {
    // A few draws before giving up: a key of the stimulus is refused
    // where the preset has another kind, or none.
    for _ in 0..5 {
        let mut sets: Vec<String> = Vec::new();
        for _ in 0..rng.random_range(1..=4) {
            let set = pool(model_kind(name)).choose(rng).unwrap().to_string();
            let key = set.split('=').next().unwrap();
            if !sets.iter().any(|s| s.split('=').next() == Some(key)) {
                sets.push(set);
            }
        }
        if preset::PresetSource::resolve(name, &sets).is_ok_and(|s| s.load().is_ok()) {
            return sets;
        }
    }
    Vec::new()
}

/// One round: every preset under sets drawn from `rng`, run for a stretch
/// and then through a session of random keys; what disagrees.
fn round(rng: &mut Pcg64, seed: u64) -> Vec<String> {
    let drawn: BTreeMap<&str, Vec<String>> = bundled::names()
        .filter(|&n| n != "network-benchmark")
        .map(|n| (n, draw_sets(n, rng)))
        .collect();
    let mut failures = Vec::new();
    for (&name, sets) in &drawn {
        let share = *[0.3, 0.6, 1.2].choose(rng).unwrap();
        failures.extend(stretch_under(name, sets, share));
    }
    let sets_of = |name: &str| drawn.get(name).cloned().unwrap_or_default();
    failures.extend(after_a_session_under(sets_of, random_keys(seed)));
    failures
}

#[test]
#[ignore]
fn every_number_on_screen_is_the_engines_under_random_sets() {
    let var = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
    let seed = var("SETS_SEED").unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
    });
    let rounds = var("SETS_ROUNDS").unwrap_or(10);
    for k in 0..rounds {
        // Said first, for a round that stops on a failed assertion.
        eprintln!("round SETS_SEED={}", seed + k);
        let mut rng = Pcg64::seed_from_u64(seed + k);
        let failures = round(&mut rng, seed + k);
        assert!(
            failures.is_empty(),
            "SETS_SEED={} SETS_ROUNDS=1:\n{}",
            seed + k,
            failures.join("\n")
        );
    }
    println!("{rounds} rounds from seed {seed}: every screen the engine's");
}
