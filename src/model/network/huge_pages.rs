//! A large network's connection list on the kernel's huge pages (2 MiB)
//! rather than its 4 KiB ones, where the kernel gives them on request (Linux
//! with transparent huge pages set to `madvise`, its usual default).
//!
//! Why: building the connections of N = 100,000 at p = 0.02 writes 2.4 GB,
//! and with 4 KiB pages the kernel takes a fault for each of its 590,000
//! pages; with huge pages 512 times fewer. On the 2-vCPU AMD EPYC machine of
//! 2026-12-04 that made the whole run 0.87 of its time before (a `run` of
//! 0.1 ms simulated, 7 interleaved pairs; benches/HISTORY.md). What is left
//! of the build is drawing the synapses and the kernel clearing the pages.
//! Where the kernel refuses or has no huge pages, nothing changes: the
//! advice is a hint, and the results are the same either way.

/// Below this many bytes the list is left on small pages: a huge page
/// would be mostly empty, and the faults saved are few.
const FROM_BYTES: usize = 4 << 20;

/// The kernel's page size, to which the advised range is rounded inward.
const PAGE: usize = 4096;

/// Asks the kernel to back `v`'s reserved memory with huge pages as it is
/// first written. Call it on a freshly reserved, still empty `Vec`: pages
/// already touched keep their size.
pub(super) fn advise<T>(v: &mut Vec<T>) {
    let bytes = v.capacity() * size_of::<T>();
    if bytes < FROM_BYTES {
        return;
    }
    let start = v.as_mut_ptr() as usize;
    let first = start.next_multiple_of(PAGE);
    let end = (start + bytes) / PAGE * PAGE;
    advise_range(first, end - first);
}

#[cfg(target_os = "linux")]
fn advise_range(first: usize, len: usize) {
    // SAFETY: `first..first + len` lies inside the Vec's own allocation
    // (rounded inward to whole pages), which stays mapped while the Vec
    // lives; MADV_HUGEPAGE changes how the range's pages are backed, not
    // what they hold, so no memory Rust sees changes.
    let advised =
        unsafe { rustix::mm::madvise(first as *mut _, len, rustix::mm::Advice::LinuxHugepage) };
    // Refused (a kernel without transparent huge pages): small pages, as
    // without the advice.
    let _ = advised;
}

#[cfg(not(target_os = "linux"))]
fn advise_range(_first: usize, _len: usize) {}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// The flags of the mapping that holds `addr`, from /proc/self/smaps.
    fn vm_flags(addr: usize) -> String {
        let smaps = std::fs::read_to_string("/proc/self/smaps").expect("smaps");
        let mut inside = false;
        for line in smaps.lines() {
            if let Some((range, _)) = line.split_once(' ')
                && let Some((lo, hi)) = range.split_once('-')
                && let (Ok(lo), Ok(hi)) =
                    (usize::from_str_radix(lo, 16), usize::from_str_radix(hi, 16))
            {
                inside = (lo..hi).contains(&addr);
            } else if inside && let Some(flags) = line.strip_prefix("VmFlags:") {
                return flags.to_string();
            }
        }
        panic!("no mapping holds {addr:#x}")
    }

    /// A large list's mapping carries the huge-page advice ("hg"), where
    /// the kernel has transparent huge pages; a small one's is left alone.
    #[test]
    fn a_large_list_is_advised_and_a_small_one_is_not() {
        let thp = std::fs::read_to_string("/sys/kernel/mm/transparent_hugepage/enabled");
        if thp.is_err() {
            eprintln!("no transparent huge pages here: nothing to check");
            return;
        }
        let mut large: Vec<u64> = Vec::with_capacity(FROM_BYTES / 8 * 4);
        advise(&mut large);
        let middle = large.as_ptr() as usize + FROM_BYTES * 2;
        assert!(vm_flags(middle).split_whitespace().any(|f| f == "hg"));
        large.extend((0..FROM_BYTES as u64 / 2).map(|x| x * 3));
        assert_eq!(large[12345], 12345 * 3);

        let mut small: Vec<u64> = Vec::with_capacity(16);
        advise(&mut small);
        assert!(
            !vm_flags(small.as_ptr() as usize)
                .split_whitespace()
                .any(|f| f == "hg")
        );
    }
}
