//! Peak memory as a user would see it: the children's peak resident set
//! (getrusage of the waited-for children), which is the whole process. The
//! largest of every child the test binary waited for, so a test that reads
//! it is alone in its binary.

use std::process::{Command, Stdio};

/// The largest peak resident set (KiB) of any child this test binary has
/// waited for, after running spikescope with `args` to a successful end.
pub fn peak_kib_after(args: &[&str]) -> i64 {
    let status = Command::new(env!("CARGO_BIN_EXE_spikescope"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("the binary runs");
    assert!(status.success(), "{args:?}: {status}");
    // SAFETY: an all-zero rusage is a valid value of the plain C struct,
    // and getrusage writes only into it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    assert_eq!(r, 0, "getrusage: {}", std::io::Error::last_os_error());
    usage.ru_maxrss
}
