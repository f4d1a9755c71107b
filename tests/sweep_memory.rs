//! A `sweep` of a key that draws a random network anew at each value (its
//! seed, p, n, weights) holds one network at a time, as `run` does: it
//! checked every value while holding the first value's network, and at each
//! value built the next beside the last, twice the memory (at N = 100,000,
//! 4.8 GB for a network of 2.4). Measured as the children's peak resident
//! set (getrusage), in a test binary of its own so that no other test's
//! children count.

mod common;

use common::rusage::peak_kib_after;

/// 20,000 neurons at p = 0.02: 8e6 connections, 96 MB. Three seeds: the
/// sweep's peak is the run's within a quarter of it (holding two networks,
/// it was twice it: 210 against 106 MB).
#[test]
fn a_sweep_over_the_seed_holds_one_network_at_a_time() {
    let network = ["network-benchmark", "--set", "network.random.n=20000"];
    let run = peak_kib_after(&[&["run"], &network[..], &["--duration", "6ms"]].concat());
    let sweep = peak_kib_after(
        &[
            &["sweep"],
            &network[..],
            &[
                "--param",
                "network.random.seed",
                "--from",
                "1",
                "--to",
                "3",
                "--step",
                "1",
                "--settle",
                "1ms",
                "--measure",
                "1ms",
            ],
        ]
        .concat(),
    );
    assert!(
        sweep - run < run / 4,
        "peak {run} KiB for the run, {sweep} KiB for the sweep"
    );
}
