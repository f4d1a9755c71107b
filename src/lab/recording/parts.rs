//! Several files read as one recording must be its parts: NEST's threads
//! and MPI's ranks each write their own neurons' spikes, and a long run may
//! be kept a stretch of time a file. Two files that hold spikes of one
//! neuron over the same time are two recordings (the same file twice, a
//! merged file beside its ranks' files, or two runs to compare): merged,
//! each such neuron's spikes would count twice in every rate on the screen,
//! so they are refused with what was meant to be done instead.

use std::path::Path;

use super::Columns;

use crate::preset::PresetError;

/// What several files must be, said with each refusal.
const VALID: &str = "files that are the parts of one recording, each holding some of its \
                     neurons (NEST's threads, MPI's ranks) or a later stretch of its time; to \
                     compare two runs, view each on its own";

/// Refuses a file given twice (also through a link or by another
/// spelling), before anything is read.
pub(super) fn given_twice(paths: &[&Path]) -> Result<(), String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let mut seen = std::collections::HashMap::new();
        for p in paths {
            // A file that cannot be read is refused by the reading, which
            // says why.
            let Ok(m) = std::fs::metadata(p) else {
                continue;
            };
            if let Some(first) = seen.insert((m.dev(), m.ino()), p) {
                let problem = format!("the same file as {}, given before it", first.display());
                return Err(PresetError::new(&p.display().to_string(), problem)
                    .valid(VALID)
                    .to_string());
            }
        }
    }
    #[cfg(not(unix))]
    let _ = paths;
    Ok(())
}

/// The first and last spike time of each file (s), whatever their order.
fn span_of(times_s: &[f64]) -> (f64, f64) {
    times_s
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &t| {
            (lo.min(t), hi.max(t))
        })
}

/// Whether two files' stretches of time overlap. Files that follow each
/// other may meet at one instant; two files of one spike each at the same
/// time are the same stretch.
fn overlap(a: (f64, f64), b: (f64, f64)) -> bool {
    (a.0 < b.1 && b.0 < a.1) || a == b
}

/// Several files' spikes, each file's as it was read.
pub(super) struct Parts<'a> {
    pub(super) paths: &'a [&'a Path],
    pub(super) columns: &'a [Columns],
}

impl Parts<'_> {
    /// Refuses files of which two hold one neuron's spikes over an
    /// overlapping stretch of time, naming the neuron, a spike of it in each
    /// file and the two stretches. One pass over the spikes, with the file
    /// that first held each neuron number in a table as long as the
    /// numbers' range (at most 2^24 neurons, 4 bytes each).
    pub(super) fn check(&self) -> Result<(), String> {
        let numbers = self.columns.iter().flat_map(|c| c.neurons.iter().copied());
        let (lo, hi) = numbers.fold((u32::MAX, 0), |(lo, hi), n| (lo.min(n), hi.max(n)));
        if self.columns.len() < 2 || lo > hi {
            return Ok(());
        }
        let spans: Vec<(f64, f64)> = self.columns.iter().map(|c| span_of(&c.times_s)).collect();
        const NONE: u32 = u32::MAX;
        let mut holder = vec![NONE; (hi - lo) as usize + 1];
        for (f, c) in self.columns.iter().enumerate() {
            for (k, &n) in c.neurons.iter().enumerate() {
                let slot = &mut holder[(n - lo) as usize];
                if *slot == NONE {
                    *slot = f as u32;
                } else if *slot != f as u32 && overlap(spans[*slot as usize], spans[f]) {
                    return Err(self.refusal((*slot as usize, f), k, &spans));
                }
            }
        }
        Ok(())
    }

    /// The message for the neuron of row `k` of file `f`, found in file
    /// `g` before it.
    fn refusal(&self, (g, f): (usize, usize), k: usize, spans: &[(f64, f64)]) -> String {
        let (here, there) = (&self.columns[f], &self.columns[g]);
        let n = here.neurons[k];
        let earlier = there
            .neurons
            .iter()
            .position(|&m| m == n)
            .expect("the file that first held the neuron has a spike of it");
        let stretch = |(lo, hi): (f64, f64)| format!("{lo} s to {hi} s");
        let problem = format!(
            "neuron {n} spikes here (at {} s) and in {} (at {} s), over the same time ({} \
             here, {} there): its spikes would count twice",
            here.times_s[k],
            self.paths[g].display(),
            there.times_s[earlier],
            stretch(spans[f]),
            stretch(spans[g]),
        );
        PresetError::new(&self.paths[f].display().to_string(), problem)
            .valid(VALID)
            .to_string()
    }
}

/// The parts' spikes as one recording in time order: each part sorted
/// (`in_time_order`) if its times are not in order (a NEST file may hold
/// each thread's spikes in turn), then the parts merged two at a time,
/// round by round; where times are equal, the lower neuron first across
/// parts, and a part's own order within it.
/// Each merge is one pass, and frees its two inputs as it ends: the whole
/// takes log2 of the number of parts passes, and holds the spikes at most
/// twice over (with the index of a part being sorted). Two files of 5 million spikes each opened in 1.7-1.9 s
/// so, against 3.0-3.5 s put end to end and sorted whole (README, `view`).
pub(super) fn merged(parts: Vec<Columns>) -> Option<Columns> {
    let mut round: Vec<Columns> = parts.into_iter().map(sorted).collect();
    while round.len() > 1 {
        let mut next = Vec::with_capacity(round.len().div_ceil(2));
        let mut it = round.into_iter();
        while let Some(a) = it.next() {
            next.push(match it.next() {
                Some(b) => merge_two(a, b),
                None => a,
            });
        }
        round = next;
    }
    round.pop()
}

/// Spikes in time order: as they are when their times are in order
/// already, else sorted by time, then neuron.
pub(super) fn in_time_order(times_s: Vec<f64>, neurons: Vec<u32>) -> (Vec<f64>, Vec<u32>) {
    if times_s.is_sorted() {
        return (times_s, neurons);
    }
    let mut order: Vec<u32> = (0..times_s.len() as u32).collect();
    order.sort_unstable_by(|&i, &j| {
        let (i, j) = (i as usize, j as usize);
        times_s[i]
            .total_cmp(&times_s[j])
            .then(neurons[i].cmp(&neurons[j]))
    });
    (
        order.iter().map(|&i| times_s[i as usize]).collect(),
        order.iter().map(|&i| neurons[i as usize]).collect(),
    )
}

/// A part in time order (`in_time_order`).
fn sorted(c: Columns) -> Columns {
    let (times_s, neurons) = in_time_order(c.times_s, c.neurons);
    Columns {
        times_s,
        neurons,
        ..c
    }
}

/// Two parts in time order as one: the earlier spike first, the lower
/// neuron where the times are equal, and `a`'s where both are.
fn merge_two(a: Columns, b: Columns) -> Columns {
    let n = a.times_s.len() + b.times_s.len();
    let (mut times_s, mut neurons) = (Vec::with_capacity(n), Vec::with_capacity(n));
    let (mut i, mut j) = (0, 0);
    while i < a.times_s.len() && j < b.times_s.len() {
        let order = a.times_s[i]
            .total_cmp(&b.times_s[j])
            .then(a.neurons[i].cmp(&b.neurons[j]));
        if order.is_le() {
            times_s.push(a.times_s[i]);
            neurons.push(a.neurons[i]);
            i += 1;
        } else {
            times_s.push(b.times_s[j]);
            neurons.push(b.neurons[j]);
            j += 1;
        }
    }
    for (t, k) in [
        (&a.times_s[i..], &a.neurons[i..]),
        (&b.times_s[j..], &b.neurons[j..]),
    ] {
        times_s.extend_from_slice(t);
        neurons.extend_from_slice(k);
    }
    Columns {
        times_s,
        neurons,
        layout: a.layout,
        line: a.line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns(rows: &[(u32, f64)]) -> Columns {
        Columns {
            times_s: rows.iter().map(|r| r.1).collect(),
            neurons: rows.iter().map(|r| r.0).collect(),
            layout: super::super::Layout::Csv,
            line: 1,
        }
    }

    /// The check on files of `rows` each, named f0.csv, f1.csv, ...
    fn check(files: &[&[(u32, f64)]]) -> Result<(), String> {
        let names: Vec<String> = (0..files.len()).map(|i| format!("f{i}.csv")).collect();
        let paths: Vec<&Path> = names.iter().map(Path::new).collect();
        let columns: Vec<Columns> = files.iter().map(|f| columns(f)).collect();
        Parts {
            paths: &paths,
            columns: &columns,
        }
        .check()
    }

    #[test]
    fn files_splitting_the_neurons_or_the_time_are_parts() {
        // Ranks: neurons dealt by turns, over the same time.
        assert_eq!(
            check(&[&[(0, 0.1), (2, 0.5)], &[(1, 0.2), (3, 0.4)]]),
            Ok(())
        );
        // Stretches of time, meeting at one instant, the same neurons.
        assert_eq!(
            check(&[&[(0, 0.1), (1, 1.0)], &[(2, 1.0), (0, 1.5)]]),
            Ok(())
        );
        // A file without spikes, and a single file, say nothing.
        assert_eq!(check(&[&[], &[(0, 0.1)]]), Ok(()));
        assert_eq!(check(&[&[(0, 0.1), (0, 0.1)]]), Ok(()));
    }

    #[test]
    fn one_neuron_over_the_same_time_in_two_files_is_refused() {
        let e = check(&[&[(4, 0.1), (7, 0.3)], &[(5, 0.15), (7, 0.25)]]).unwrap_err();
        assert_eq!(
            e,
            format!(
                "f1.csv: neuron 7 spikes here (at 0.25 s) and in f0.csv (at 0.3 s), over the \
                 same time (0.15 s to 0.25 s here, 0.1 s to 0.3 s there): its spikes would count \
                 twice\n  valid: {VALID}"
            )
        );
        // The same file of one spike twice.
        let e = check(&[&[(3, 0.2)], &[(3, 0.2)]]).unwrap_err();
        assert!(e.starts_with("f1.csv: neuron 3 spikes here (at 0.2 s) and in f0.csv"));
        // A third file meeting the first: the later one is named.
        let e = check(&[&[(1, 0.1)], &[(2, 0.1)], &[(1, 0.05), (9, 0.2)]]).unwrap_err();
        assert!(
            e.starts_with("f2.csv: neuron 1 spikes here (at 0.05 s) and in f0.csv"),
            "{e}"
        );
    }

    proptest::proptest! {
        /// Merged, any parts (in time order or not, ties within and
        /// across them) come out with the times of all their spikes in
        /// order, and each neuron's spikes at the times it had.
        #[test]
        fn the_merge_is_the_sort_of_all_the_spikes(
            parts in proptest::collection::vec(
                proptest::collection::vec((0u32..6, 0u32..8), 0..30),
                1..6,
            ),
            sort_some in proptest::collection::vec(proptest::bool::ANY, 6),
        ) {
            // Times on a coarse grid, so that ties are common.
            let parts: Vec<Vec<(u32, f64)>> = parts
                .iter()
                .zip(&sort_some)
                .map(|(rows, &sort)| {
                    let mut rows: Vec<(u32, f64)> =
                        rows.iter().map(|&(n, t)| (n, f64::from(t) * 0.25)).collect();
                    if sort {
                        rows.sort_by(|a, b| a.1.total_cmp(&b.1));
                    }
                    rows
                })
                .collect();
            let all: Vec<(u32, f64)> = parts.iter().flatten().copied().collect();
            let (times_s, neurons) = in_time_order(
                all.iter().map(|r| r.1).collect(),
                all.iter().map(|r| r.0).collect(),
            );
            let merged = merged(parts.iter().map(|p| columns(p)).collect()).unwrap();
            let mut expected: Vec<(f64, u32)> = all.iter().map(|r| (r.1, r.0)).collect();
            expected.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            proptest::prop_assert_eq!(&merged.times_s, &times_s);
            proptest::prop_assert!(merged.times_s.iter().copied().eq(expected.iter().map(|e| e.0)));
            // Sorted parts keep their own order within a tie; the times
            // are the sorted ones, and each neuron's spikes the same.
            for n in 0..6 {
                let of = |t: &[f64], k: &[u32]| -> Vec<f64> {
                    t.iter().zip(k).filter(|r| *r.1 == n).map(|r| *r.0).collect()
                };
                proptest::prop_assert_eq!(of(&merged.times_s, &merged.neurons), of(&times_s, &neurons));
            }
        }
    }
}
