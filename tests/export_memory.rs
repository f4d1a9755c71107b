//! `spikescope export` streams its data file from the network's own
//! connections: its peak memory is the network's, as `run`'s is, not the
//! network's again two or three times over (the connections gathered into
//! arrays, then into the file's bytes: 8.6 GB at N = 100,000 for a network
//! of 2.4). Measured as the children's peak resident set (getrusage), in a
//! test binary of its own so that no other test's children count.

mod common;

use common::rusage::peak_kib_after;

/// 10,000 neurons at p = 0.05: 5e6 connections, 60 MB of network and an
/// 80 MB data file. The export's peak is the run's within 16 MiB (gathered,
/// it was 150 MiB above it).
#[test]
fn export_holds_no_second_copy_of_the_connections() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("net.py");
    let script = script.to_str().unwrap();
    let network = [
        "network-benchmark",
        "--set",
        "network.random.n=10000",
        "--set",
        "network.random.p=0.05",
    ];
    let run = peak_kib_after(&[&["run"], &network[..], &["--duration", "0.1ms"]].concat());
    let export = peak_kib_after(
        &[
            &["export"],
            &network[..],
            &["--to", "nest", "--out", script],
        ]
        .concat(),
    );
    assert!(
        export - run < 16 * 1024,
        "run's peak {run} KiB, export's {export} KiB"
    );
    let data = std::fs::metadata(dir.path().join("net.data"))
        .unwrap()
        .len();
    assert!(data > 80_000_000, "{data} bytes");
}
