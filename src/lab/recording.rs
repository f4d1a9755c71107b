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

use std::ops::Range;
use std::path::Path;

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
    /// Spikes per neuron.
    pub counts: Vec<u64>,
    /// The file's format, as named to the user.
    pub format: &'static str,
}

/// A line that is not a spike: where and why.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordingError {
    pub line: usize,
    pub text: String,
    pub problem: String,
}

/// The columns' meaning in a file's format.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Layout {
    /// `neuron,time_s`.
    Csv,
    /// NEST: `sender<TAB>time_ms`, node IDs from 1.
    Nest,
}

/// The latest spike time a file may hold (about 31.7 years): below it an
/// f64 resolves a tenth of a microsecond, so the viewer's windows and bins
/// stay exact; a time of 1e300 s left a window of no width (`1e300 - 1` is
/// 1e300) and the population rate NaN.
const LATEST_TIME_S: f64 = 1e9;

/// Neurons a recording may number, from 0 (a count of 8 bytes each), and
/// so NEST's node IDs from 1.
const MOST_NEURONS: u32 = 1 << 24;

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
    fn add(&mut self, block: &[u8]) -> Result<(), RecordingError> {
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
        let rb = rb.map_err(|_| RecordingError {
            line,
            text: String::new(),
            problem: "the parser failed".into(),
        })?;
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
    /// thread (`spike_recorder-ID-VP.dat`), MPI a file per rank. With
    /// `chosen`, only those neurons.
    pub fn open_all(paths: &[&Path], chosen: Option<NeuronRange>) -> Result<Self, String> {
        let mut all: Option<Columns> = None;
        for p in paths {
            let c = read_columns(p)?;
            match &mut all {
                None => all = Some(c),
                Some(a) if a.layout == c.layout => {
                    a.times_s.extend_from_slice(&c.times_s);
                    a.neurons.extend_from_slice(&c.neurons);
                }
                Some(_) => {
                    return Err(format!(
                        "{}: a different format from the files before it; valid: files of \
                         one format (spikescope CSV, or NEST's ASCII)",
                        p.display()
                    ));
                }
            }
        }
        all.map(|c| Self::index(c, chosen))
            .ok_or_else(|| "no file given".to_string())
    }
}

/// A file's spikes as read, not yet sorted or counted.
fn read_columns(path: &Path) -> Result<Columns, String> {
    use std::io::Read;
    let cannot = |e: std::io::Error| format!("{}: cannot read: {e}", path.display());
    let mut file = std::fs::File::open(path).map_err(cannot)?;
    let size = file.metadata().map_err(cannot)?.len() as usize;
    let described = |e: RecordingError| {
        format!(
            "{}:{}: {}\n  line: {}\n  valid: `neuron,time_s` rows (spikescope's CSV) or \
                 NEST's spike_recorder ASCII (`sender<TAB>time_ms` after `#` lines)",
            path.display(),
            e.line,
            e.problem,
            crate::text::printable(&e.text, false)
        )
    };
    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK + 4096);
    let mut columns: Option<Columns> = None;
    loop {
        let before = buf.len();
        let got = (&mut file)
            .take(CHUNK as u64)
            .read_to_end(&mut buf)
            .map_err(cannot)?;
        let at_end = got == 0;
        // The whole lines read so far (all of it at the end).
        let upto = if at_end {
            buf.len()
        } else {
            match buf[before..].iter().rposition(|&b| b == b'\n') {
                Some(p) => before + p + 1,
                None => continue,
            }
        };
        let mut block = &buf[..upto];
        let cols = match &mut columns {
            Some(c) => c,
            None => {
                let (layout, start, line) = header(block).map_err(described)?;
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
    pub fn parse(bytes: &[u8]) -> Result<Self, RecordingError> {
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
        if !times_s.is_sorted() {
            // NEST writes each thread's spikes in turn: sort by time (then
            // neuron), once.
            let mut order: Vec<u32> = (0..times_s.len() as u32).collect();
            order.sort_unstable_by(|&i, &j| {
                let (i, j) = (i as usize, j as usize);
                times_s[i]
                    .total_cmp(&times_s[j])
                    .then(neurons[i].cmp(&neurons[j]))
            });
            times_s = order.iter().map(|&i| times_s[i as usize]).collect();
            neurons = order.iter().map(|&i| neurons[i as usize]).collect();
        }
        let neuron_count = if before == 0 {
            0
        } else {
            (last - first + 1) as usize
        };
        let mut counts = vec![0u64; neuron_count];
        for &i in &neurons {
            counts[i as usize] += 1;
        }
        Self {
            left_out: before - times_s.len(),
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

/// The format, where the spike rows start (byte) and their first line's
/// number.
fn header(bytes: &[u8]) -> Result<(Layout, usize, usize), RecordingError> {
    // A byte order mark (a spreadsheet's "CSV UTF-8") is no part of the
    // header.
    let mut at = if bytes.starts_with(b"\xef\xbb\xbf") {
        3
    } else {
        0
    };
    let mut line = 1;
    let mut nest = false;
    while at < bytes.len() {
        let end = bytes[at..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |p| at + p);
        let text = String::from_utf8_lossy(&bytes[at..end]);
        let t = text.trim();
        if t.starts_with('#') {
            nest |= t.contains("NEST") || t.contains("RecordingBackendASCII");
        } else if t == "neuron,time_s" {
            return Ok((Layout::Csv, end + 1, line + 1));
        } else if t.split_whitespace().collect::<Vec<_>>() == ["sender", "time_ms"] {
            return Ok((Layout::Nest, end + 1, line + 1));
        } else if !t.is_empty() {
            let layout = if nest || t.contains('\t') {
                Layout::Nest
            } else {
                Layout::Csv
            };
            if t.starts_with(|c: char| c.is_ascii_digit()) {
                return Ok((layout, at, line));
            }
            return Err(RecordingError {
                line,
                text: t.to_string(),
                problem: "not a spike file's header".into(),
            });
        }
        at = end + 1;
        line += 1;
    }
    Ok((Layout::Csv, bytes.len(), line))
}

fn parse_lines(
    bytes: &[u8],
    layout: Layout,
    first_line: usize,
) -> Result<(Vec<f64>, Vec<u32>), RecordingError> {
    let rows = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
    let (mut times, mut neurons) = (Vec::with_capacity(rows), Vec::with_capacity(rows));
    for (k, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.is_empty() || raw[0] == b'#' {
            continue;
        }
        let bad = |problem: &str| RecordingError {
            line: first_line + k,
            text: String::from_utf8_lossy(raw).into_owned(),
            problem: problem.to_string(),
        };
        let text = std::str::from_utf8(raw).map_err(|_| bad("not UTF-8 text"))?;
        let mut cells = text.split([',', '\t', ' ']).filter(|c| !c.is_empty());
        let (Some(i), Some(t), None) = (cells.next(), cells.next(), cells.next()) else {
            return Err(bad("not two columns (neuron and time)"));
        };
        let i: u64 = i
            .parse()
            .map_err(|_| bad("the neuron is not a whole number"))?;
        // NEST's times are in ms: read as the decimal they write with the
        // exponent moved, so "27.8" ms is the f64 nearest 0.0278 s, as
        // spikescope's own CSV would hold it (27.8 / 1000 is not).
        let t: f64 = match layout {
            Layout::Csv => t.parse(),
            Layout::Nest => milliseconds(t),
        }
        .map_err(|_| bad("the time is not a number"))?;
        if !t.is_finite() {
            return Err(bad("the time is not finite"));
        }
        // A recording starts at 0, as a simulation does: before it there is
        // no window to show a spike in, and rates over the file would count
        // it in a span that leaves it out.
        if t < 0.0 {
            return Err(bad("the time is negative (a recording starts at 0 s)"));
        }
        if t > LATEST_TIME_S {
            return Err(bad(
                "the time is past 1e9 s (31.7 years), the latest a recording may hold",
            ));
        }
        // The viewer keeps a count a neuron from the first: a number far
        // past a file's neurons would size that (4e9 asked for 32 GB and
        // aborted).
        match layout {
            Layout::Csv if i >= MOST_NEURONS as u64 => {
                return Err(bad(
                    "the neuron number is above 16777215 (the viewer shows neurons 0 to 2^24 - 1)",
                ));
            }
            Layout::Nest if i == 0 => return Err(bad("NEST's node IDs start at 1")),
            Layout::Nest if i > MOST_NEURONS as u64 => {
                return Err(bad(
                    "the node ID is above 16777216 (the viewer shows node IDs 1 to 2^24)",
                ));
            }
            _ => {}
        }
        let i = i as u32;
        times.push(t);
        neurons.push(i);
    }
    Ok((times, neurons))
}

/// A time written in ms, as seconds: its decimal text with `e-3`, parsed
/// once (no second rounding); on the stack, as a file has millions.
fn milliseconds(text: &str) -> Result<f64, std::num::ParseFloatError> {
    let mut buf = [0u8; 64];
    let bytes = text.as_bytes();
    if bytes.len() + 3 > buf.len() || bytes.contains(&b'e') || bytes.contains(&b'E') {
        return text.parse::<f64>().map(|ms| ms / 1e3);
    }
    buf[..bytes.len()].copy_from_slice(bytes);
    buf[bytes.len()..bytes.len() + 3].copy_from_slice(b"e-3");
    std::str::from_utf8(&buf[..bytes.len() + 3])
        .unwrap_or(text)
        .parse()
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
    fn a_bad_line_is_named() {
        let e = Recording::parse(b"neuron,time_s\n0,0.1\n1,x\n").unwrap_err();
        assert_eq!(
            (e.line, e.problem.as_str()),
            (3, "the time is not a number")
        );
        let e = Recording::parse(b"neuron,time_s\n0,0.1,4\n").unwrap_err();
        assert_eq!(e.line, 2);
        let e = Recording::parse(b"neuron,time_s\n0,-0.5\n").unwrap_err();
        assert_eq!(
            (e.line, e.problem.as_str()),
            (2, "the time is negative (a recording starts at 0 s)")
        );
        let e = Recording::parse(b"neuron,time_s\n0,0.1\n1,1e300\n").unwrap_err();
        assert_eq!(
            (e.line, e.problem.as_str()),
            (
                3,
                "the time is past 1e9 s (31.7 years), the latest a recording may hold"
            )
        );
        let e = Recording::parse(b"neuron,time_s\n16777216,0.1\n").unwrap_err();
        assert_eq!(
            (e.line, e.problem.as_str()),
            (
                2,
                "the neuron number is above 16777215 (the viewer shows neurons 0 to 2^24 - 1)"
            )
        );
        // NEST's node IDs run from 1 to 2^24, numbered from the first that
        // spiked.
        let nest = b"sender\ttime_ms\n16777216\t1.0\n";
        let r = Recording::parse(nest).unwrap();
        assert_eq!((r.first, r.neuron_count), (1 << 24, 1));
        for (row, problem) in [
            (
                "16777217\t1.0",
                "the node ID is above 16777216 (the viewer shows node IDs 1 to 2^24)",
            ),
            ("0\t1.0", "NEST's node IDs start at 1"),
        ] {
            let e = Recording::parse(format!("sender\ttime_ms\n{row}\n").as_bytes()).unwrap_err();
            assert_eq!((e.line, e.problem.as_str()), (2, problem));
        }
        // -0 is the start, 1e9 s the latest.
        let r = Recording::parse(b"neuron,time_s\n0,-0.0\n0,1e9\n").unwrap();
        assert_eq!(r.len(), 2);
        let e = Recording::parse(b"time,v\n0,1\n").unwrap_err();
        assert_eq!(
            (e.line, e.problem.as_str()),
            (1, "not a spike file's header")
        );
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
}
