//! `spikescope run` holds memory that does not grow with the simulated
//! time: it counts spikes per neuron rather than keeping them. Measured as
//! the child's peak resident set (wait4's ru_maxrss), which is the whole
//! process, as a user would see it.

use std::process::{Command, Stdio};

/// Peak resident set (KiB) of `spikescope run network-benchmark` over
/// `duration` simulated seconds.
fn peak_kib(duration: &str) -> i64 {
    let child = Command::new(env!("CARGO_BIN_EXE_spikescope"))
        .args(["run", "network-benchmark", "--duration", duration])
        .stdout(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value of the plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: wait4 on our own child, with valid pointers to locals; the
    // child is reaped here and `child` is not waited on again.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid, "wait4: {}", std::io::Error::last_os_error());
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "the run succeeds (status {status})"
    );
    usage.ru_maxrss
}

/// 1,000 neurons at about 40 Hz: 2 s is 80,000 spikes and 20 s 800,000,
/// which kept as a list would add about 12 MiB.
#[test]
fn run_memory_is_flat_in_the_duration() {
    let short = peak_kib("2");
    let long = peak_kib("20");
    assert!(
        long - short < 1024,
        "peak {short} KiB over 2 s, {long} KiB over 20 s"
    );
}
