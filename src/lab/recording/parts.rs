//! Several files read as one recording must be its parts: NEST's threads
//! and MPI's ranks each write their own neurons' spikes, and a long run may
//! be kept a stretch of time a file. Two files that hold spikes of one
//! neuron over the same time are two recordings (the same file twice, a
//! merged file beside its ranks' files, or two runs to compare): merged,
//! each such neuron's spikes would count twice in every rate on the screen,
//! so they are refused with what was meant to be done instead.

use std::ops::Range;
use std::path::Path;

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

/// The spikes of several files read one after the other: each file's
/// rows are `rows[f]` of `neurons` and `times_s`.
pub(super) struct Parts<'a> {
    pub(super) paths: &'a [&'a Path],
    pub(super) rows: &'a [Range<usize>],
    pub(super) neurons: &'a [u32],
    pub(super) times_s: &'a [f64],
}

impl Parts<'_> {
    /// Refuses files of which two hold one neuron's spikes over an
    /// overlapping stretch of time, naming the neuron, a spike of it in each
    /// file and the two stretches. One pass over the spikes, with the file
    /// that first held each neuron number in a table as long as the
    /// numbers' range (at most 2^24 neurons, 4 bytes each).
    pub(super) fn check(&self) -> Result<(), String> {
        if self.paths.len() < 2 || self.neurons.is_empty() {
            return Ok(());
        }
        let numbers = self.neurons.iter().copied();
        let (lo, hi) = numbers.fold((u32::MAX, 0), |(lo, hi), n| (lo.min(n), hi.max(n)));
        let spans: Vec<(f64, f64)> = self
            .rows
            .iter()
            .map(|r| span_of(&self.times_s[r.clone()]))
            .collect();
        const NONE: u32 = u32::MAX;
        let mut holder = vec![NONE; (hi - lo) as usize + 1];
        for (f, rows) in self.rows.iter().enumerate() {
            for k in rows.clone() {
                let n = self.neurons[k];
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
        let n = self.neurons[k];
        let earlier = self.rows[g]
            .clone()
            .find(|&j| self.neurons[j] == n)
            .expect("the file that first held the neuron has a spike of it");
        let stretch = |(lo, hi): (f64, f64)| format!("{lo} s to {hi} s");
        let problem = format!(
            "neuron {n} spikes here (at {} s) and in {} (at {} s), over the same time ({} \
             here, {} there): its spikes would count twice",
            self.times_s[k],
            self.paths[g].display(),
            self.times_s[earlier],
            stretch(spans[f]),
            stretch(spans[g]),
        );
        PresetError::new(&self.paths[f].display().to_string(), problem)
            .valid(VALID)
            .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The check on files of `rows` each, named f0.csv, f1.csv, ...
    fn check(files: &[&[(u32, f64)]]) -> Result<(), String> {
        let names: Vec<String> = (0..files.len()).map(|i| format!("f{i}.csv")).collect();
        let paths: Vec<&Path> = names.iter().map(Path::new).collect();
        let mut rows = Vec::new();
        let (mut neurons, mut times_s) = (Vec::new(), Vec::new());
        for file in files {
            rows.push(neurons.len()..neurons.len() + file.len());
            neurons.extend(file.iter().map(|r| r.0));
            times_s.extend(file.iter().map(|r| r.1));
        }
        Parts {
            paths: &paths,
            rows: &rows,
            neurons: &neurons,
            times_s: &times_s,
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
}
