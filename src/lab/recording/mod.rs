//! A recorded spike file, opened for viewing (`spikescope view FILE`):
//! spikescope's `neuron,time_s` CSV (also merged from MPI ranks), or
//! NEST's `spike_recorder` ASCII output (`sender time_ms`, tab-separated
//! after `#` comment lines; node IDs from 1). Parsed once, a chunk at a
//! time on both cores, into two columns sorted by time (12 bytes a spike),
//! so that a frame finds its window by binary search and never parses
//! again. The neurons keep the file's numbers: spikescope's from 0, NEST's
//! node IDs from the first that spiked (a NEST script creates its
//! generators and recorders beside its neurons, and those nodes never
//! spike), or the range `--neurons` names.

mod parse;
mod parts;

use std::ops::Range;
use std::path::Path;

pub use parse::RecordingError;
use parse::{A_SPIKE_FILE, Layout, MOST_NEURONS, header, parse_lines};
use parts::Parts;

/// The spikes of a file, in time order.
#[derive(Debug, Clone, Default)]
pub struct Recording {
    pub times_s: Vec<f64>,
    /// Each spike's neuron, counted from the first (`number` gives its
    /// number in the file).
    pub neurons: Vec<u32>,
    /// The file's number of the first neuron: 0 for spikescope's CSV, the
    /// first node ID that spiked for NEST's, or where `--neurons` starts.
    pub first: u64,
    /// Neurons first..first + count (to the largest number seen, or to
    /// where `--neurons` ends).
    pub neuron_count: usize,
    /// Spikes of neurons outside `--neurons`, left out.
    pub left_out: usize,
    /// Without `--neurons`, where three neurons or more spiked and all of
    /// their numbers lie a whole multiple of g >= 2 apart: g. A file of one
    /// of g threads or ranks (NEST deals the neurons to them in turn) holds
    /// every g-th neuron, and the others, in the other files, count as
    /// silent here.
    pub stride: Option<u64>,
    /// Spikes per neuron.
    pub counts: Vec<u64>,
    /// The file's format, as named to the user.
    pub format: &'static str,
}

/// The neurons to view, `--neurons FIRST-LAST`, in the file's own numbers
/// (NEST's node IDs): a recorder's other populations, and the nodes that
/// never spike, are told apart from the neurons that stayed silent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NeuronRange {
    pub first: u64,
    pub last: u64,
}

impl std::str::FromStr for NeuronRange {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let valid = "FIRST-LAST, whole numbers with FIRST <= LAST (NEST's node IDs for its \
                     files), at most 16777216 neurons";
        let number = |t: &str| t.trim().parse::<u64>().ok();
        // One number is a range of one neuron.
        let (a, b) = text.split_once('-').unwrap_or((text, text));
        let problem = match (number(a), number(b)) {
            (Some(first), Some(last)) if first > last => format!("{first} is above {last}"),
            (Some(first), Some(last)) if last - first >= MOST_NEURONS as u64 => {
                format!("{} neurons", last - first + 1)
            }
            (Some(first), Some(last)) => return Ok(Self { first, last }),
            _ => "not a range of neurons".to_string(),
        };
        Err(format!("`{text}`: {problem}; valid: {valid}"))
    }
}

/// Bytes read and parsed at a time: memory stays the columns' 12 bytes a
/// spike plus this, whatever the file's size.
const CHUNK: usize = 8 << 20;

/// The longest line a spike file may have (a row is some 30 bytes, a NEST
/// comment line some 100).
const LONGEST_LINE: usize = 1 << 20;

/// Columns being filled, block by block.
struct Columns {
    times_s: Vec<f64>,
    neurons: Vec<u32>,
    layout: Layout,
    /// The number of the next block's first line.
    line: usize,
}

impl Columns {
    /// Parses a block of whole lines, its two halves on two threads.
    fn add(&mut self, block: &[u8]) -> Result<(), Box<RecordingError>> {
        let mid = block.len() / 2;
        let cut = block[mid..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(block.len(), |p| mid + p + 1);
        let (a, b) = block.split_at(cut);
        let lines_in_a = a.iter().filter(|&&c| c == b'\n').count();
        let lines_in_b = b.iter().filter(|&&c| c == b'\n').count();
        let (layout, line) = (self.layout, self.line);
        let (ra, rb) = std::thread::scope(|s| {
            let hb = s.spawn(|| parse_lines(b, layout, line + lines_in_a));
            (parse_lines(a, layout, line), hb.join())
        });
        let rb =
            rb.map_err(|_| Box::new(RecordingError::of_line(line, "", "the parser failed")))?;
        for (t, n) in [ra?, rb?] {
            self.times_s.extend_from_slice(&t);
            self.neurons.extend_from_slice(&n);
        }
        self.line += lines_in_a + lines_in_b;
        Ok(())
    }
}

impl Recording {
    /// Reads and indexes `path`, a chunk at a time.
    pub fn open(path: &Path) -> Result<Self, String> {
        Ok(Self::index(read_columns(path)?, None))
    }

    /// Reads several files as one recording: NEST writes a file per
    /// thread (`spike_recorder-ID-VP.dat`), MPI a file per rank, and a long
    /// run may be kept a stretch of time a file; files that are not such
    /// parts are refused (parts.rs). With `chosen`, only those neurons.
    pub fn open_all(paths: &[&Path], chosen: Option<NeuronRange>) -> Result<Self, String> {
        parts::given_twice(paths)?;
        let mut columns: Vec<Columns> = Vec::with_capacity(paths.len());
        for p in paths {
            let c = read_columns(p)?;
            if columns.first().is_some_and(|a| a.layout != c.layout) {
                return Err(format!(
                    "{}: a different format from the files before it; valid: files of one \
                     format (spikescope CSV, or NEST's ASCII)",
                    p.display()
                ));
            }
            columns.push(c);
        }
        Parts {
            paths,
            columns: &columns,
        }
        .check()?;
        let all = parts::merged(columns).ok_or_else(|| "no file given".to_string())?;
        Ok(Self::index(all, chosen))
    }
}

/// The greatest common divisor of the distances between the neurons that
/// spiked (by their counts), where three or more did and it is 2 or more.
fn stride_of(counts: &[u64]) -> Option<u64> {
    let mut spiked = (0..counts.len() as u64).filter(|&i| counts[i as usize] > 0);
    let lowest = spiked.next()?;
    let gcd = |mut a: u64, mut b: u64| {
        while b != 0 {
            (a, b) = (b, a % b);
        }
        a
    };
    let (g, others) = spiked.fold((0, 0), |(g, k), i| (gcd(g, i - lowest), k + 1));
    (others >= 2 && g >= 2).then_some(g)
}

/// A file's spikes as read, not yet sorted or counted.
fn read_columns(path: &Path) -> Result<Columns, String> {
    use std::io::Read;
    let refused = |problem: &str| {
        crate::preset::PresetError::new(&path.display().to_string(), problem)
            .valid(A_SPIKE_FILE)
            .to_string()
    };
    let cannot = |e: std::io::Error| refused(&crate::text::cannot_read(&e));
    if let Some(problem) = crate::text::not_a_file_to_read(path) {
        return Err(refused(problem));
    }
    let mut file = std::fs::File::open(path).map_err(cannot)?;
    let size = file.metadata().map_err(cannot)?.len() as usize;
    let described = |e: Box<RecordingError>| e.message(&path.display().to_string());
    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK + 4096);
    let mut columns: Option<Columns> = None;
    let mut bytes_read = 0;
    loop {
        let before = buf.len();
        let got = (&mut file)
            .take(CHUNK as u64)
            .read_to_end(&mut buf)
            .map_err(cannot)?;
        let at_end = got == 0;
        bytes_read += got;
        // Both formats begin with a header, even for a run without spikes:
        // an empty file is neither (beside NEST's files it was refused as
        // "a different format", beside ours taken as a part without
        // spikes), most likely a run that never wrote it.
        if at_end && bytes_read == 0 {
            return Err(refused(
                "empty (0 bytes): not even the header a spike file starts with",
            ));
        }
        // The whole lines read so far (all of it at the end).
        let upto = if at_end {
            buf.len()
        } else {
            match buf[before..].iter().rposition(|&b| b == b'\n') {
                Some(p) => before + p + 1,
                // No row is this long: a pipe of bytes without an end of
                // line would otherwise be held whole.
                None if buf.len() > LONGEST_LINE => {
                    // A compressed file or a program said as what it is,
                    // as `header` says it where an end of line comes sooner.
                    if columns.is_none() {
                        header(&buf).map_err(described)?;
                    }
                    let line = columns.as_ref().map_or(1, |c| c.line);
                    let start = String::from_utf8_lossy(&buf[..200]);
                    return Err(described(Box::new(RecordingError::of_line(
                        line,
                        &start,
                        "a line of over 1 MiB: not a spike file's row",
                    ))));
                }
                None => continue,
            }
        };
        let mut block = &buf[..upto];
        let cols = match &mut columns {
            Some(c) => c,
            None => {
                let (layout, start, line) = header(block).map_err(described)?;
                // Nothing past the header's line yet, or no header yet (NEST's
                // comments only): the format is settled once a row, or the
                // file's end, is in.
                if start == block.len() && !at_end {
                    continue;
                }
                block = &block[start..];
                // Room for the whole file at this block's bytes a row.
                let rows = block.iter().filter(|&&b| b == b'\n').count().max(1);
                let estimate = size / (block.len() / rows).max(1) + rows;
                columns.insert(Columns {
                    times_s: Vec::with_capacity(estimate),
                    neurons: Vec::with_capacity(estimate),
                    layout,
                    line,
                })
            }
        };
        cols.add(block).map_err(described)?;
        buf.drain(..upto);
        if at_end {
            break;
        }
    }
    Ok(columns.unwrap_or(Columns {
        times_s: Vec::new(),
        neurons: Vec::new(),
        layout: Layout::Csv,
        line: 1,
    }))
}

impl Recording {
    /// Parses a file's bytes (the format from its header).
    pub fn parse(bytes: &[u8]) -> Result<Self, Box<RecordingError>> {
        let (layout, body_start, line) = header(bytes)?;
        let mut c = Columns {
            times_s: Vec::new(),
            neurons: Vec::new(),
            layout,
            line,
        };
        c.add(&bytes[body_start..])?;
        Ok(Self::index(c, None))
    }

    /// Sorts the columns by time if they are not, numbers the neurons from
    /// the first (`first`) and counts per neuron; with `chosen`, the others'
    /// spikes are left out.
    fn index(c: Columns, chosen: Option<NeuronRange>) -> Self {
        let Columns {
            mut times_s,
            mut neurons,
            layout,
            ..
        } = c;
        let in_file = match layout {
            Layout::Csv => (0, neurons.iter().max().map_or(0, |&m| m as u64)),
            Layout::Nest => (
                neurons.iter().min().map_or(1, |&m| m as u64),
                neurons.iter().max().map_or(1, |&m| m as u64),
            ),
        };
        let (first, last) = chosen.map_or(in_file, |r| (r.first, r.last));
        let before = times_s.len();
        if chosen.is_some() {
            let mut kept = 0;
            for k in 0..before {
                let i = neurons[k] as u64;
                if (first..=last).contains(&i) {
                    (times_s[kept], neurons[kept]) = (times_s[k], neurons[k]);
                    kept += 1;
                }
            }
            times_s.truncate(kept);
            neurons.truncate(kept);
        }
        // Counted from the first: the per-neuron counts need no more room
        // than the neurons viewed (NEST's node IDs may start far from 1).
        for i in &mut neurons {
            *i -= first as u32;
        }
        times_s.shrink_to_fit();
        neurons.shrink_to_fit();
        // In time order: a file's spikes as they are, or sorted where they
        // are not (several files arrive merged in order, parts.rs).
        let (times_s, neurons) = parts::in_time_order(times_s, neurons);
        let neuron_count = if before == 0 {
            0
        } else {
            (last - first + 1) as usize
        };
        let mut counts = vec![0u64; neuron_count];
        for &i in &neurons {
            counts[i as usize] += 1;
        }
        let stride = match chosen {
            Some(_) => None,
            None => stride_of(&counts),
        };
        Self {
            left_out: before - times_s.len(),
            stride,
            times_s,
            neurons,
            first,
            neuron_count,
            counts,
            format: match layout {
                Layout::Csv => "spikescope CSV",
                Layout::Nest => "NEST spike_recorder ASCII",
            },
        }
    }

    pub fn len(&self) -> usize {
        self.times_s.len()
    }

    /// Neuron i's number in the file (a NEST node ID for NEST's).
    pub fn number(&self, i: usize) -> u64 {
        self.first + i as u64
    }

    /// The last neuron's number in the file.
    pub fn last_number(&self) -> u64 {
        self.number(self.neuron_count.max(1) - 1)
    }

    pub fn is_empty(&self) -> bool {
        self.times_s.is_empty()
    }

    /// The last spike's time (s), 0 when there is none.
    pub fn end_s(&self) -> f64 {
        self.times_s.last().copied().unwrap_or(0.0)
    }

    /// The indices of the spikes in [t0, t1).
    pub fn window(&self, t0: f64, t1: f64) -> Range<usize> {
        let a = self.times_s.partition_point(|&t| t < t0);
        let b = self.times_s.partition_point(|&t| t < t1);
        a..b.max(a)
    }

    /// Neuron i's spike times.
    pub fn times_of(&self, i: usize) -> Vec<f64> {
        self.neurons
            .iter()
            .zip(&self.times_s)
            .filter(|(n, _)| **n as usize == i)
            .map(|(_, &t)| t)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_and_nest_files_read_the_same_spikes() {
        let csv = b"neuron,time_s\n0,0.001\n2,0.0025\n0,0.004\n";
        let nest = b"# NEST version: 3.10.0\n# RecordingBackendASCII\n# Recorder label: \
                     spike_recorder\n# Start: 0.000\n# Stop: inf\n# Columns:\nsender\ttime_ms\n\
                     3\t2.5\n1\t1.0\n1\t4.0\n";
        let a = Recording::parse(csv).unwrap();
        let b = Recording::parse(nest).unwrap();
        assert_eq!(a.times_s, [0.001, 0.0025, 0.004]);
        assert_eq!(b.times_s, a.times_s);
        assert_eq!(b.neurons, a.neurons);
        assert_eq!((a.neuron_count, a.counts.clone()), (3, vec![2, 0, 1]));
        assert_eq!(b.format, "NEST spike_recorder ASCII");
        assert_eq!(a.window(0.002, 0.004), 1..2);
        assert_eq!(a.times_of(0), [0.001, 0.004]);
    }

    #[test]
    fn a_long_file_is_split_between_threads_and_stays_in_order() {
        let mut text = String::from("neuron,time_s\n");
        for k in 0..100_001 {
            text.push_str(&format!("{},{}\n", k % 7, k as f64 * 1e-4));
        }
        let r = Recording::parse(text.as_bytes()).unwrap();
        assert_eq!(r.len(), 100_001);
        assert!(r.times_s.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(r.counts.iter().sum::<u64>(), 100_001);
        let e = Recording::parse(format!("{text}3,oops\n").as_bytes()).unwrap_err();
        assert_eq!(e.line, 100_003);
    }

    /// A file that is not text is said to be what it is, without a line of
    /// it, and the command that makes it text names the file; an ELF
    /// program (its first line holds a lone \r) was said to end its lines
    /// as classic Mac OS did.
    #[test]
    fn a_file_that_is_not_text_is_said_to_be_what_it_is() {
        let e = Recording::parse(b"\x1f\x8b\x08\x08\x00\x00\x00\r\n").unwrap_err();
        assert_eq!(
            e.message("my spikes.csv.gz"),
            "my spikes.csv.gz: gzip-compressed, not text\n  valid: the file inside it: \
             `gunzip -k 'my spikes.csv.gz'` writes it beside the compressed one"
        );
        let e = Recording::parse(b"\x7fELF\x02\x01\x01\x00\r\x00\n").unwrap_err();
        assert_eq!(
            e.message("ls"),
            format!("ls: a program (ELF), not text\n  valid: {A_SPIKE_FILE}")
        );
        // From its path too, and with no end of line in its first MiB: it
        // was "a line of over 1 MiB".
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.gz");
        let mut bytes = b"\x1f\x8b".to_vec();
        bytes.resize(LONGEST_LINE + 2, b'a');
        std::fs::write(&path, &bytes).unwrap();
        let said = Recording::open(&path).unwrap_err();
        assert!(said.contains("s.gz: gzip-compressed, not text"), "{said}");
    }

    /// A row holding a NUL byte, as the zeros a file cut short by a crash
    /// ends in, is said to, the caret at its first NUL; it was "not a
    /// number" at its time's cell.
    #[test]
    fn a_row_with_a_nul_byte_is_said_to_hold_one() {
        let e = Recording::parse(b"neuron,time_s\n0,0.1\n0,0.15\n3,0.2\0\0\0\n").unwrap_err();
        assert_eq!((e.line, e.column), (4, Some((6, 1))));
        assert!(
            e.problem.starts_with("a NUL byte, which no text holds"),
            "{}",
            e.problem
        );
        let e = Recording::parse(b"neuron,time_s\n3,0.2x\n").unwrap_err();
        assert_eq!(e.problem, "not a number");
    }
}
