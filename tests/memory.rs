//! `spikescope run` holds memory that does not grow with the simulated
//! time: it counts spikes per neuron rather than keeping them. Measured as
//! the child's peak resident set (getrusage of the waited-for children),
//! which is the whole process, as a user would see it.

mod common;

use common::rusage::peak_kib_after;

/// 1,000 neurons at about 40 Hz: 2 s is 80,000 spikes and 20 s 800,000,
/// which kept as a list would add about 12 MiB. The short run goes first,
/// so the second figure is the long run's peak (or the short one's, if
/// larger).
#[test]
fn run_memory_is_flat_in_the_duration() {
    let run = |duration| peak_kib_after(&["run", "network-benchmark", "--duration", duration]);
    let short = run("2");
    let long = run("20");
    assert!(
        long - short < 1024,
        "peak {short} KiB over 2 s, {long} KiB over 20 s"
    );
}
