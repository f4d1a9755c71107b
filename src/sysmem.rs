//! What the machine has: the memory available to a new allocation, which
//! bounds the largest network a run may build (preset validation asks
//! before anything is allocated), and the cores a run may use; and a large
//! buffer's pages mapped by an idle core while it is filled.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

/// An allocation up to this size is made without asking the machine what
/// it has: every machine that runs the program has it. Asking (reading
/// /proc/meminfo) and finding the cores where one thread steps anyway (the
/// cgroup files, `cores`) were together 2% to 5% of the whole run of the
/// 1,000-neuron benchmark network with grid timing (`benches/pair.py`, 41
/// and 61 runs a build, 2026-12-07).
pub const NOT_WORTH_ASKING_BYTES: f64 = (64u64 << 20) as f64;

/// Bytes available now (Linux: `MemAvailable` of /proc/meminfo, what the
/// kernel estimates a new program can use without swapping); None where it
/// cannot be read.
pub fn available_bytes() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024.0)
}

/// The cores this process may run on (at least 1), read once: finding out
/// reads the process's cgroup files, some 30-45 µs each time, and a run of
/// a network that may step on two threads asks as it builds the network
/// and again as it opens its spikes file.
pub fn cores() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |c| c.get()))
}

/// From how many bytes a buffer's pages are mapped ahead of its filling
/// (`fill_with_pages_mapped`): below, the thread costs about what it saves.
const MAP_AHEAD_FROM: usize = 4 << 20;
/// Bytes mapped at a time: the filling, once done, stops the mapping within
/// one of these (some 3 ms).
const MAP_AHEAD_CHUNK: usize = 16 << 20;

/// Runs `fill` on `buf` while another thread has the kernel map the memory
/// of `buf`'s first `len` elements (of its capacity), so that the filling
/// does not stop at each new page for the kernel to find, zero and map it:
/// 2 million synapses (24 MB) drew in 18 ms instead of 25.5, the mapping
/// 5.5 ms on the otherwise idle core. On one core, for a small buffer, or
/// where the kernel does not map ahead (before Linux 5.14), it just fills.
pub fn fill_with_pages_mapped<T, R>(
    buf: &mut Vec<T>,
    len: usize,
    fill: impl FnOnce(&mut Vec<T>) -> R,
) -> R {
    let bytes = len.min(buf.capacity()).saturating_mul(size_of::<T>());
    if !cfg!(target_os = "linux") || bytes < MAP_AHEAD_FROM || cores() < 2 {
        return fill(buf);
    }
    let from = buf.as_mut_ptr() as usize;
    let filled = AtomicBool::new(false);
    std::thread::scope(|s| {
        // A thread that cannot start leaves the filling as it was.
        let _ = std::thread::Builder::new()
            .name("spikescope-pages".into())
            .spawn_scoped(s, || map_ahead(from, bytes, &filled));
        let out = fill(buf);
        filled.store(true, Ordering::Relaxed);
        out
    })
}

/// Maps the whole pages of `bytes` from address `from`, a chunk at a time,
/// until done or `filled`.
#[cfg(target_os = "linux")]
fn map_ahead(from: usize, bytes: usize, filled: &AtomicBool) {
    const PAGE: usize = 4096;
    let (mut at, end) = (from.next_multiple_of(PAGE), (from + bytes) & !(PAGE - 1));
    while at < end && !filled.load(Ordering::Relaxed) {
        let len = MAP_AHEAD_CHUNK.min(end - at);
        // SAFETY: MADV_POPULATE_WRITE only maps pages as a write would,
        // without writing: it changes no byte of memory, so it cannot race
        // with the filling's writes. Where the buffer grew and moved, the
        // old range is either no longer mapped (the call fails, and the
        // mapping stops) or put to another use, whose bytes it leaves as
        // they are.
        let done =
            unsafe { libc::madvise(at as *mut libc::c_void, len, libc::MADV_POPULATE_WRITE) };
        if done != 0 {
            return;
        }
        at += len;
    }
}

#[cfg(not(target_os = "linux"))]
fn map_ahead(_: usize, _: usize, _: &AtomicBool) {}

/// Bytes for people: "2.3 GiB", "310 MiB".
pub fn format_bytes(bytes: f64) -> String {
    let gib = bytes / (1u64 << 30) as f64;
    if gib >= 1024.0 {
        format!("{:.1} TiB", gib / 1024.0)
    } else if gib >= 1.0 {
        format!("{gib:.1} GiB")
    } else {
        format!("{:.0} MiB", bytes / (1u64 << 20) as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_this_machine_and_writes_for_people() {
        if cfg!(target_os = "linux") {
            assert!(available_bytes().is_some_and(|b| b > 1e6));
        }
        assert_eq!(format_bytes(2.5 * (1u64 << 30) as f64), "2.5 GiB");
        assert_eq!(format_bytes(310.0 * (1u64 << 20) as f64), "310 MiB");
        assert_eq!(format_bytes(2048.0 * (1u64 << 30) as f64), "2.0 TiB");
    }

    #[test]
    fn pages_mapped_ahead_leave_the_filling_as_it_was() {
        let len = 3 * MAP_AHEAD_CHUNK / 8 + 5;
        let fill = |v: &mut Vec<u64>| {
            v.extend((0..len as u64).map(|k| k.wrapping_mul(0x9e37_79b9_7f4a_7c15)));
            v.len()
        };
        let mut ahead = Vec::with_capacity(len);
        assert_eq!(fill_with_pages_mapped(&mut ahead, len, fill), len);
        let mut plain = Vec::new();
        fill(&mut plain);
        assert_eq!(ahead, plain);
        // Grown past what was mapped, and moved: still the same values.
        let mut grown = Vec::with_capacity(len / 2);
        assert_eq!(fill_with_pages_mapped(&mut grown, len, fill), len);
        assert_eq!(grown, plain);
    }
}
