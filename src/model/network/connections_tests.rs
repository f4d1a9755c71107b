//! Drawing a random network's connections: in time proportional to the
//! synapses whatever p, stopped when the oscilloscope stops waiting for the
//! build, and shared with a live network that holds the same draws.

use super::tests::params;
use super::*;

fn uniform(low: f64, high: f64) -> Uniform {
    Uniform { low, high }
}

/// A connection probability too small for 1 - p to differ from 1 draws no
/// (or almost no) synapses, at once: the gaps between connections use
/// ln_1p(-p), never a log of 1 that made every gap -inf and the draw endless.
#[test]
fn a_tiny_connection_probability_draws_at_once() {
    use rand::SeedableRng;
    for p in [1e-17, 5.6e-17, 1e-300, 5e-324] {
        let mut rng = rand_pcg::Pcg64::seed_from_u64(1);
        let c = Connections::random(100_000, p, |_| uniform(0.0, 1.0), &mut rng).unwrap();
        assert!(c.len() <= 1, "p = {p}: {} synapses", c.len());
    }
    // Ordinary probabilities draw what they drew before (N² p expected).
    let mut rng = rand_pcg::Pcg64::seed_from_u64(1);
    let c = Connections::random(1000, 0.02, |_| uniform(0.0, 1.0), &mut rng).unwrap();
    assert!((19_000..21_000).contains(&c.len()), "{}", c.len());
}

/// A build that may be stopped (the oscilloscope's, model/stop.rs) draws
/// the network any other build draws while its flag is down, and once it
/// is up ends before drawing any further connections (N = 50,000 at
/// p = 0.02: 5e7 synapses, a second's drawing, if it drew them).
#[test]
fn a_stopped_build_ends_and_an_unstopped_one_draws_the_same_network() {
    use crate::model::stop::{Stopped, stoppable};
    use rand::SeedableRng;
    use std::sync::{Arc, atomic::AtomicBool};
    let draw = |n, p| {
        let mut rng = rand_pcg::Pcg64::seed_from_u64(3);
        Connections::random(n, p, |_| uniform(-1.0, 1.0), &mut rng)
    };
    let free = draw(500, 0.1).unwrap();
    let under_flag = stoppable(Arc::new(AtomicBool::new(false)), || draw(500, 0.1)).unwrap();
    assert_eq!(under_flag, free);
    assert!(free.len() > 20_000);
    let stopped = stoppable(Arc::new(AtomicBool::new(true)), || draw(50_000, 0.02));
    assert_eq!(stopped.map(|c| c.len()), Err(Stopped));
}

/// A recipe whose connections a live network holds shares them, whatever
/// else it changes (biases, potentials, the time constants): no second
/// draw, no second copy. Once nothing holds them, they are drawn anew, the
/// same weights under another id. A recipe that draws other numbers (p,
/// the seed, the weights; the inhibitory weights where some neurons
/// inhibit) draws its own. Seeds of their own, so that no other test's
/// networks are shared.
#[test]
fn a_recipe_shares_the_connections_a_live_network_holds() {
    let recipe = |seed: u64, excitatory: Option<usize>| RandomNetwork {
        n: 300,
        p: 0.1,
        weight: uniform(-0.01, 0.01),
        excitatory,
        weight_inhibitory: uniform(-0.02, 0.0),
        bias: uniform(1.0, 2.0),
        v_init: uniform(0.0, 1.0),
        seed,
    };
    let build = |r: RandomNetwork, tau_m_s: f64| {
        let p = NetworkParams {
            tau_m_s,
            ..params(0, 0.01)
        };
        r.build(p, 1e-4).expect("nothing stops it")
    };
    let base = recipe(7_300_001, None);
    assert!(!base.connections_held());
    let first = build(base, 0.02);
    assert!(base.connections_held());
    let id = first.connections().id();
    let shares = |r: RandomNetwork| {
        let built = build(r, 0.03);
        assert_eq!(built.connections(), first.connections());
        built.connections().id() == id
    };
    // The same draws: the biases' and potentials' ranges, the other
    // neurons' weights where none inhibits.
    assert!(shares(base));
    assert!(shares(RandomNetwork {
        bias: uniform(0.0, 3.0),
        v_init: uniform(0.5, 0.9),
        weight_inhibitory: uniform(-1.0, 0.0),
        ..base
    }));
    assert!(shares(RandomNetwork {
        excitatory: Some(300),
        ..base
    }));
    // Other draws.
    for other in [
        RandomNetwork {
            p: 0.1000001,
            ..base
        },
        RandomNetwork {
            seed: 7_300_002,
            ..base
        },
        RandomNetwork {
            weight: uniform(-0.01, 0.02),
            ..base
        },
    ] {
        assert_ne!(build(other, 0.02).connections().id(), id);
    }
    let split = recipe(7_300_003, Some(150));
    let held = build(split, 0.02);
    let other_inhibition = RandomNetwork {
        weight_inhibitory: uniform(-0.03, 0.0),
        ..split
    };
    assert_ne!(
        build(other_inhibition, 0.02).connections().id(),
        held.connections().id()
    );
    drop(first);
    assert!(!base.connections_held());
    let again = build(base, 0.02);
    assert_ne!(again.connections().id(), id);
    assert_eq!(again.connections(), build(base, 0.02).connections());
}

/// A seed draws the network it always drew: the count, the first and last
/// synapses and a digest of all 450,000 (5.4 MB, so their pages are mapped on
/// another thread as they are drawn, sysmem.rs), as drawn before that
/// thread existed.
#[test]
fn a_seed_draws_the_network_it_always_drew() {
    use rand::SeedableRng;
    let mut rng = rand_pcg::Pcg64::seed_from_u64(11);
    let c = Connections::random(3000, 0.05, |_| uniform(-1.0, 1.0), &mut rng).unwrap();
    let all = c.synapses();
    let digest = all.iter().fold(0u64, |h, s| {
        (h.rotate_left(7) ^ u64::from(s.target) ^ s.weight.to_bits())
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
    });
    let synapse = |target, weight| connections::Synapse { target, weight };
    assert_eq!(all.len(), 450_407);
    assert_eq!(all[0], synapse(31, -0.4565188493533232));
    assert_eq!(all[all.len() - 1], synapse(2995, -0.24110242204043342));
    assert_eq!(digest, 0x5949_51e5_6fa3_46a2);
}

proptest::proptest! {
    /// The search for where each neuron's targets from i on begin, which
    /// starts from where evenly spread targets would put i, finds what a
    /// bisection finds, for targets spread evenly or bunched anywhere.
    #[test]
    fn the_first_target_from_i_is_where_a_bisection_finds_it(
        n in 1usize..300,
        rows in proptest::collection::vec(
            (0.0f64..1.0, 0.0f64..1.0, 0.0f64..1.0),
            1..12,
        ),
        seed: u64,
    ) {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_pcg::Pcg64::seed_from_u64(seed);
        // Row j: each target in a window (from `at`, of width `width`)
        // with probability `density`.
        let m = n.min(rows.len());
        let mut w = vec![vec![0.0; n]; n];
        for (j, &(at, width, density)) in rows.iter().enumerate().take(m) {
            let from = (at * n as f64) as usize;
            let to = (from + (width * n as f64) as usize + 1).min(n);
            for row in &mut w[from..to] {
                if rng.random::<f64>() < density {
                    row[j] = 1.0;
                }
            }
        }
        let c = Connections::from_dense(&w);
        for first in 0..=n + 1 {
            let bisections: Vec<usize> = (0..n).map(|j| c.first_target_from(j, first)).collect();
            proptest::prop_assert_eq!(c.first_targets_from(first), bisections, "from {}", first);
        }
    }
}

/// The connections as drawn one number at a time (`gaps.rs` draws the
/// gaps ahead): a row's geometric gaps and its weights in the generator's
/// order, every candidate where p >= 1.
fn one_at_a_time(
    n: usize,
    p: f64,
    weight: impl Fn(usize) -> Uniform,
    rng: &mut rand_pcg::Pcg64,
) -> Vec<Vec<(u32, u64)>> {
    use crate::model::elementary::{ln, ln_1p};
    use rand::Rng;
    let ln_q = if 1.0 - p < 1.0 {
        ln(1.0 - p)
    } else {
        ln_1p(-p)
    };
    let mut rows = vec![Vec::new(); n];
    for (j, row) in rows.iter_mut().enumerate().filter(|_| p > 0.0) {
        let w = weight(j);
        let mut i: f64 = -1.0;
        loop {
            let gap = if p >= 1.0 {
                0.0
            } else {
                (ln(1.0 - rng.random::<f64>()) / ln_q).floor()
            };
            i += gap + 1.0;
            if i >= n as f64 {
                break;
            }
            let weight = w.low + (w.high - w.low) * rng.random::<f64>();
            row.push((i as u32, weight.to_bits()));
        }
    }
    rows
}

proptest::proptest! {
    /// Gaps drawn ahead draw the network of one number at a time, to the
    /// bit, and leave the generator where it would be: any size (rows
    /// ending inside a batch of gaps or past it), p from almost none to
    /// every candidate, rows of two weight ranges.
    #[test]
    fn gaps_drawn_ahead_draw_the_network_of_one_draw_at_a_time(
        n in 0usize..400,
        p in proptest::prop_oneof![
            0.0f64..=1.0,
            proptest::sample::select(vec![1e-300, 1e-17, 1e-3, 0.5, 0.999_999, 1.0]),
        ],
        seed: u64,
        excitatory in 0usize..400,
    ) {
        use rand::{RngCore, SeedableRng};
        let weight = |j: usize| if j < excitatory { uniform(0.0, 1.0) } else { uniform(-2.0, 0.0) };
        let mut rng = rand_pcg::Pcg64::seed_from_u64(seed);
        let c = Connections::random(n, p, weight, &mut rng).unwrap();
        let mut reference = rand_pcg::Pcg64::seed_from_u64(seed);
        let rows = one_at_a_time(n, p, weight, &mut reference);
        for (j, row) in rows.iter().enumerate() {
            let drawn: Vec<(u32, u64)> = c.synapses()[c.range(j)]
                .iter()
                .map(|s| (s.target, s.weight.to_bits()))
                .collect();
            proptest::prop_assert_eq!(&drawn, row, "row {}", j);
        }
        proptest::prop_assert_eq!(rng.next_u64(), reference.next_u64());
    }
}
