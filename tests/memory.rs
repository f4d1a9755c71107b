//! `spikescope run` holds memory that does not grow with the simulated
//! time: it counts spikes per neuron rather than keeping them. Measured as
//! the child's peak resident set (getrusage of the waited-for children),
//! which is the whole process, as a user would see it.

use std::process::{Command, Stdio};

/// The largest peak resident set (KiB) of any child this test binary has
/// waited for, after running `spikescope run network-benchmark` over
/// `duration` simulated seconds.
fn peak_kib_after(duration: &str) -> i64 {
    let status = Command::new(env!("CARGO_BIN_EXE_spikescope"))
        .args(["run", "network-benchmark", "--duration", duration])
        .stdout(Stdio::null())
        .status()
        .expect("the binary runs");
    assert!(status.success(), "{status}");
    // SAFETY: an all-zero rusage is a valid value of the plain C struct,
    // and getrusage writes only into it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    assert_eq!(r, 0, "getrusage: {}", std::io::Error::last_os_error());
    usage.ru_maxrss
}

/// 1,000 neurons at about 40 Hz: 2 s is 80,000 spikes and 20 s 800,000,
/// which kept as a list would add about 12 MiB. The short run goes first,
/// so the second figure is the long run's peak (or the short one's, if
/// larger).
#[test]
fn run_memory_is_flat_in_the_duration() {
    let short = peak_kib_after("2");
    let long = peak_kib_after("20");
    assert!(
        long - short < 1024,
        "peak {short} KiB over 2 s, {long} KiB over 20 s"
    );
}
