//! A spike file's text: its header, which tells the format, and its rows,
//! parsed into columns; a row that is not a spike is named by line,
//! column, the column's name and the value, with what would be valid.

use crate::file_kind::{OwnFile, not_text, own_file};
use crate::preset::PresetError;

/// The columns' meaning in a file's format.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Layout {
    /// `neuron,time_s`.
    Csv,
    /// NEST: `sender<TAB>time_ms`, node IDs from 1.
    Nest,
}

impl Layout {
    /// The names of the two columns, as the header writes them.
    fn columns(self) -> [&'static str; 2] {
        match self {
            Layout::Csv => ["neuron", "time_s"],
            Layout::Nest => ["sender", "time_ms"],
        }
    }

    /// What a row holds, said when a row does not.
    fn row(self) -> &'static str {
        match self {
            Layout::Csv => "two columns, `neuron,time_s`: 0,0.0123",
            Layout::Nest => "two columns, `sender<TAB>time_ms`: 3<TAB>12.3",
        }
    }
}

/// The latest spike time a file may hold (about 31.7 years): below it an
/// f64 resolves a tenth of a microsecond, so the viewer's windows and bins
/// stay exact; a time of 1e300 s left a window of no width (`1e300 - 1` is
/// 1e300) and the population rate NaN.
const LATEST_TIME_S: f64 = 1e9;

/// Neurons a recording may number, from 0 (a count of 8 bytes each), and
/// so NEST's node IDs from 1.
pub(super) const MOST_NEURONS: u32 = 1 << 24;

/// What a file of either format may hold, said when its start is not one.
const EITHER_FORMAT: &str = "`neuron,time_s` rows (spikescope's CSV) or NEST's spike_recorder \
                             ASCII (`sender<TAB>time_ms` after `#` lines)";

/// What is valid in place of a file that is none: a device, an empty file,
/// a file that is not text.
pub(super) const A_SPIKE_FILE: &str =
    "a spike file: spikescope's CSV (`run --spikes`) or NEST's spike_recorder ASCII";

/// A line that is not a spike: where (the line; the column and width of
/// the cell at fault, in characters, when it is one cell), which column
/// and value, why, and what would be valid.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordingError {
    pub line: usize,
    pub column: Option<(usize, usize)>,
    /// The line as written; empty for a problem of the file as a whole
    /// (`of_file`), which shows no line.
    pub text: String,
    pub key: Option<&'static str>,
    pub value: Option<String>,
    pub problem: String,
    pub valid: String,
    /// Another of spikescope's files given for a spike file: what reads
    /// it, naming the file, is what the message says is valid.
    pub own: Option<OwnFile>,
}

impl RecordingError {
    /// A problem with the line as a whole.
    pub(super) fn of_line(line: usize, text: &str, problem: &str) -> Self {
        Self {
            line,
            column: None,
            text: text.to_string(),
            key: None,
            value: None,
            problem: problem.to_string(),
            valid: EITHER_FORMAT.to_string(),
            own: None,
        }
    }

    /// A problem of the file as a whole, with what would be valid.
    pub(super) fn of_file(problem: &str, valid: &str) -> Self {
        Self {
            valid: valid.to_string(),
            ..Self::of_line(1, "", problem)
        }
    }

    /// The message, as a preset's errors read: `FILE:LINE:COLUMN: `key` =
    /// value: problem`, what is valid, and the line with a caret under the
    /// cell (under the whole line, from column 1, when no cell is at
    /// fault). A problem of the file as a whole shows no line, and the
    /// `FILE` in what to do about it (`gunzip -k FILE`) is the file's name.
    pub fn message(&self, file: &str) -> String {
        let valid = self.own.and_then(|own| own.read_by(file));
        let mut e = PresetError::new(file, self.problem.as_str())
            .valid(valid.unwrap_or_else(|| self.valid.clone()));
        e.key = self.key.map(str::to_string);
        e.value = self.value.clone();
        if self.text.is_empty() {
            let file_named = self.valid.replace("FILE", &crate::text::shell_word(file));
            return e.valid(file_named).to_string();
        }
        // One character for one: a tab between NEST's columns is shown as
        // the space it looks like, so the caret stays under its cell.
        let text = self.text.replace('\t', " ");
        let (column, width) = self.column.unwrap_or((1, text.chars().count().max(1)));
        e.position = Some((self.line, column));
        e.excerpt = Some((text, column, width));
        e.to_string()
    }
}

/// The format, where the spike rows start (byte) and their first line's
/// number.
pub(super) fn header(bytes: &[u8]) -> Result<(Layout, usize, usize), Box<RecordingError>> {
    if let Some(what) = not_text(bytes) {
        let valid = what.remedy.unwrap_or(A_SPIKE_FILE);
        return Err(Box::new(RecordingError::of_file(what.problem, valid)));
    }
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
        // The rows start after the header's end of line, or at the end of
        // a file that holds the header alone without one.
        let rows = (end + 1).min(bytes.len());
        let text = String::from_utf8_lossy(&bytes[at..end]);
        let t = text.trim();
        // A row's NUL is the rows' reader's to place (a headerless file
        // cut short by a crash).
        if t.contains('\0') && !t.starts_with(|c: char| c.is_ascii_digit()) {
            return Err(Box::new(RecordingError::of_file(
                "binary, not text: a NUL byte before its first row",
                A_SPIKE_FILE,
            )));
        }
        // A carriage return inside a line: lines ended by \r alone, one
        // line to a reader of lines, where what comes before it reads as a
        // spike file's line (a NEST file's comments were one comment, its
        // spikes none).
        if let Some((first, _)) = t.split_once('\r') {
            let first = first.trim();
            let mut cells = first.split([',', '\t', ' ']).filter(|c| !c.is_empty());
            let a_row = match (cells.next(), cells.next(), cells.next()) {
                (Some(i), Some(t), None) => i.parse::<u64>().is_ok() && t.parse::<f64>().is_ok(),
                _ => false,
            };
            let reads = a_row
                || first.starts_with('#')
                || first == "neuron,time_s"
                || first.split_whitespace().eq(["sender", "time_ms"]);
            return Err(Box::new(if reads {
                RecordingError {
                    valid: "lines that end in a line feed (\\n), or \\r\\n, as `run --spikes` \
                            and NEST write them"
                        .to_string(),
                    ..RecordingError::of_line(
                        line,
                        t,
                        "its lines end in a carriage return alone (\\r, classic Mac OS)",
                    )
                }
            } else {
                RecordingError::of_line(line, t, "not a spike file's header")
            }));
        }
        if t.starts_with('#') {
            nest |= t.contains("NEST") || t.contains("RecordingBackendASCII");
        } else if t == "neuron,time_s" {
            return Ok((Layout::Csv, rows, line + 1));
        } else if t.split_whitespace().collect::<Vec<_>>() == ["sender", "time_ms"] {
            return Ok((Layout::Nest, rows, line + 1));
        } else if t.split_whitespace().collect::<Vec<_>>() == ["sender", "time_step", "time_offset"]
        {
            // NEST's `time_in_steps`: t = step x resolution - offset, and
            // the resolution is not in the file.
            return Err(Box::new(RecordingError {
                valid: "NEST's default, `time_in_steps` = False, whose file holds \
                        `sender<TAB>time_ms`"
                    .to_string(),
                ..RecordingError::of_line(
                    line,
                    text.trim_end_matches('\r'),
                    "NEST's spike_recorder with `time_in_steps` = True: its times are step \
                     numbers, and the file does not hold the resolution that makes them times",
                )
            }));
        } else if !t.is_empty() {
            let layout = if nest || t.contains('\t') {
                Layout::Nest
            } else {
                Layout::Csv
            };
            if t.starts_with(|c: char| c.is_ascii_digit()) {
                return Ok((layout, at, line));
            }
            let text = text.trim_end_matches('\r');
            // Another of spikescope's files (`run --out`'s beside its
            // `--spikes` one, a preset, a journal): said which, and what
            // reads it.
            let start = String::from_utf8_lossy(&bytes[..bytes.len().min(64 << 10)]);
            return Err(Box::new(match own_file(&start) {
                Some(own) => RecordingError {
                    valid: "the run's spikes, which `run --spikes FILE` writes as \
                            `neuron,time_s` rows"
                        .to_string(),
                    own: Some(own),
                    ..RecordingError::of_line(
                        line,
                        text,
                        &format!("{}, not a spike file", own.what()),
                    )
                },
                None => RecordingError::of_line(line, text, "not a spike file's header"),
            }));
        }
        at = end + 1;
        line += 1;
    }
    Ok((Layout::Csv, bytes.len(), line))
}

/// The rows of `bytes` (whole lines, the first numbered `first_line`) as
/// spike times (s) and neuron numbers, in the file's order.
pub(super) fn parse_lines(
    bytes: &[u8],
    layout: Layout,
    first_line: usize,
) -> Result<(Vec<f64>, Vec<u32>), Box<RecordingError>> {
    let rows = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
    let (mut times, mut neurons) = (Vec::with_capacity(rows), Vec::with_capacity(rows));
    for (k, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.is_empty() || raw[0] == b'#' {
            continue;
        }
        let line = first_line + k;
        let text = match std::str::from_utf8(raw) {
            Ok(text) => text,
            Err(e) => {
                // The caret under the first byte that is not UTF-8, shown
                // as U+FFFD.
                let lossy = String::from_utf8_lossy(raw);
                let valid = std::str::from_utf8(&raw[..e.valid_up_to()]).unwrap_or("");
                return Err(Box::new(RecordingError {
                    column: Some((valid.chars().count() + 1, 1)),
                    ..RecordingError::of_line(line, &lossy, "not UTF-8 text")
                }));
            }
        };
        let row = Row { text, line, layout };
        let (i, t) = row.spike().map_err(|e| row.nul().unwrap_or(e))?;
        times.push(t);
        neurons.push(i);
    }
    Ok((times, neurons))
}

/// A row being read, for its cells' errors.
struct Row<'a> {
    text: &'a str,
    line: usize,
    layout: Layout,
}

impl Row<'_> {
    /// The row's neuron and time (s).
    fn spike(&self) -> Result<(u32, f64), Box<RecordingError>> {
        let mut cells = self.text.split([',', '\t', ' ']).filter(|c| !c.is_empty());
        let (i, t) = match (cells.next(), cells.next(), cells.next()) {
            (Some(i), Some(t), None) => (i, t),
            (_, _, Some(third)) => {
                let mut e = self.cell(None, third, "a third column", self.layout.row());
                e.value = None;
                return Err(e);
            }
            _ => return Err(self.missing_time()),
        };
        Ok((self.neuron(i)?, self.time_s(t)?))
    }

    /// A row that holds a NUL byte, which no text does, said as that
    /// rather than as its cells' problem: the zeros a file cut short by a
    /// crash ends in, or binary data, were "one column: `time_s` is
    /// missing" at column 101.
    fn nul(&self) -> Option<Box<RecordingError>> {
        let at = self.text.find('\0')?;
        Some(Box::new(RecordingError {
            column: Some((self.text[..at].chars().count() + 1, 1)),
            valid: self.layout.row().to_string(),
            ..RecordingError::of_line(
                self.line,
                self.text,
                "a NUL byte, which no text holds: binary data, or the zeros a file cut short \
                 (by a crash, or a full disk) ends in",
            )
        }))
    }

    /// An error at `cell` (a slice of the row's text).
    fn cell(
        &self,
        key: Option<&'static str>,
        cell: &str,
        problem: &str,
        valid: &str,
    ) -> Box<RecordingError> {
        let at = cell.as_ptr() as usize - self.text.as_ptr() as usize;
        let column = self.text[..at].chars().count() + 1;
        Box::new(RecordingError {
            line: self.line,
            column: Some((column, cell.chars().count())),
            text: self.text.to_string(),
            key,
            value: Some(cell.to_string()),
            problem: problem.to_string(),
            valid: valid.to_string(),
            own: None,
        })
    }

    /// One cell where two belong: the caret just past the line's end.
    fn missing_time(&self) -> Box<RecordingError> {
        let [neuron, time] = self.layout.columns();
        let end = self.text.trim_end().chars().count() + 1;
        Box::new(RecordingError {
            column: Some((end, 1)),
            problem: format!("one column: `{time}` is missing after `{neuron}`"),
            valid: self.layout.row().to_string(),
            ..RecordingError::of_line(self.line, self.text, "")
        })
    }

    /// The neuron's number as the file writes it (a NEST node ID from 1),
    /// bounded: the viewer keeps a count a neuron from the first, and a
    /// number far past a file's neurons would size that (4e9 asked for
    /// 32 GB and aborted).
    fn neuron(&self, cell: &str) -> Result<u32, Box<RecordingError>> {
        let key = Some(self.layout.columns()[0]);
        let (lowest, valid) = match self.layout {
            Layout::Csv => (0, "a whole number from 0 to 16777215 (neurons from 0)"),
            Layout::Nest => (1, "a node ID, a whole number from 1 to 16777216"),
        };
        let bad = |problem: &str| self.cell(key, cell, problem, valid);
        let i: u64 = cell.parse().map_err(|_| {
            let negative = cell
                .strip_prefix('-')
                .is_some_and(|d| d.parse::<u64>().is_ok());
            bad(if negative {
                "negative"
            } else {
                "not a whole number"
            })
        })?;
        match self.layout {
            Layout::Csv if i >= MOST_NEURONS as u64 => Err(bad(
                "above 16777215, the most neurons the viewer shows (2^24)",
            )),
            Layout::Nest if i < lowest => Err(bad("NEST's node IDs start at 1")),
            Layout::Nest if i > MOST_NEURONS as u64 => Err(bad(
                "above 16777216, the most node IDs the viewer shows (2^24)",
            )),
            _ => Ok(i as u32),
        }
    }

    /// The spike's time in seconds, from 0 (a recording starts there, as a
    /// simulation does: before it there is no window to show a spike in,
    /// and rates over the file would count it in a span that leaves it
    /// out) to `LATEST_TIME_S`.
    fn time_s(&self, cell: &str) -> Result<f64, Box<RecordingError>> {
        let key = Some(self.layout.columns()[1]);
        let valid = match self.layout {
            Layout::Csv => "seconds from 0 to 1e9 (31.7 years), as 0.0123 or 1.23e-2",
            Layout::Nest => "milliseconds from 0 to 1e12 (31.7 years), as 12.3",
        };
        let bad = |problem: &str| self.cell(key, cell, problem, valid);
        // NEST's times are in ms: read as the decimal they write with the
        // exponent moved, so "27.8" ms is the f64 nearest 0.0278 s, as
        // spikescope's own CSV would hold it (27.8 / 1000 is not).
        let t: f64 = match self.layout {
            Layout::Csv => cell.parse(),
            Layout::Nest => milliseconds(cell),
        }
        .map_err(|_| bad("not a number"))?;
        if !t.is_finite() {
            return Err(bad("not finite"));
        }
        if t < 0.0 {
            return Err(bad("negative: a recording starts at 0"));
        }
        if t > LATEST_TIME_S {
            return Err(bad("past 31.7 years, the latest a recording may hold"));
        }
        Ok(t)
    }
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
#[path = "parse_tests.rs"]
mod tests;
