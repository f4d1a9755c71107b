//! What the machine has: the memory available to a new allocation, which
//! bounds the largest network a run may build (preset validation asks
//! before anything is allocated), and the cores a run may use.

use std::sync::OnceLock;

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
/// reads the process's cgroup files, some 30-45 µs each time, and a run
/// asks as it builds its network and again as it opens its spikes file.
pub fn cores() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |c| c.get()))
}

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
}
