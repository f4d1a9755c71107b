//! A spike file's text: its header, which tells the format, and its rows,
//! parsed into columns; a row that is not a spike is named by line,
//! column, the column's name and the value, with what would be valid.

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

/// A line that is not a spike: where (the line; the column and width of
/// the cell at fault, in characters, when it is one cell), which column
/// and value, why, and what would be valid.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordingError {
    pub line: usize,
    pub column: Option<(usize, usize)>,
    pub text: String,
    pub key: Option<&'static str>,
    pub value: Option<String>,
    pub problem: String,
    pub valid: String,
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
        }
    }

    /// The message, as a preset's errors read: `FILE:LINE:COLUMN: `key` =
    /// value: problem`, what is valid, and the line with a caret under the
    /// cell (under the whole line, from column 1, when no cell is at
    /// fault).
    pub fn message(&self, file: &str) -> String {
        let mut e = PresetError::new(file, self.problem.as_str()).valid(self.valid.as_str());
        e.key = self.key.map(str::to_string);
        e.value = self.value.clone();
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
            if t.contains('\r') {
                return Err(Box::new(RecordingError {
                    valid: "lines that end in a line feed (\\n), or \\r\\n, as `run --spikes` \
                            and NEST write them"
                        .to_string(),
                    ..RecordingError::of_line(
                        line,
                        t,
                        "its lines end in a carriage return alone (\\r, classic Mac OS)",
                    )
                }));
            }
            return Err(Box::new(RecordingError::of_line(
                line,
                text.trim_end_matches('\r'),
                "not a spike file's header",
            )));
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
        let mut cells = text.split([',', '\t', ' ']).filter(|c| !c.is_empty());
        let (i, t) = match (cells.next(), cells.next(), cells.next()) {
            (Some(i), Some(t), None) => (i, t),
            (_, _, Some(third)) => {
                let mut e = row.cell(None, third, "a third column", layout.row());
                e.value = None;
                return Err(e);
            }
            _ => return Err(row.missing_time()),
        };
        let i = row.neuron(i)?;
        let t = row.time_s(t)?;
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
mod tests {
    use super::super::Recording;

    /// A bad row's error: line, column and width, key, value, problem.
    type Found = (
        usize,
        Option<(usize, usize)>,
        Option<&'static str>,
        Option<String>,
        String,
    );

    fn error_of(text: &str) -> Found {
        let e = Recording::parse(text.as_bytes()).unwrap_err();
        (e.line, e.column, e.key, e.value, e.problem)
    }

    #[test]
    fn a_bad_cell_is_named_by_line_column_and_value() {
        let some = |s: &str| Some(s.to_string());
        let cases = [
            (
                "neuron,time_s\n0,0.1\n1,x\n",
                (3, Some((3, 1)), Some("time_s"), some("x"), "not a number"),
            ),
            (
                "neuron,time_s\n0,0.1,4\n",
                (2, Some((7, 1)), None, None, "a third column"),
            ),
            (
                "neuron,time_s\n 7\n",
                (
                    2,
                    Some((3, 1)),
                    None,
                    None,
                    "one column: `time_s` is missing after `neuron`",
                ),
            ),
            (
                "neuron,time_s\n0, -0.5\n",
                (
                    2,
                    Some((4, 4)),
                    Some("time_s"),
                    some("-0.5"),
                    "negative: a recording starts at 0",
                ),
            ),
            (
                "neuron,time_s\n0,0.1\n1,1e300\n",
                (
                    3,
                    Some((3, 5)),
                    Some("time_s"),
                    some("1e300"),
                    "past 31.7 years, the latest a recording may hold",
                ),
            ),
            (
                "neuron,time_s\n1,inf\n",
                (2, Some((3, 3)), Some("time_s"), some("inf"), "not finite"),
            ),
            (
                "neuron,time_s\n-1,0.1\n",
                (2, Some((1, 2)), Some("neuron"), some("-1"), "negative"),
            ),
            (
                "neuron,time_s\n1.5,0.1\n",
                (
                    2,
                    Some((1, 3)),
                    Some("neuron"),
                    some("1.5"),
                    "not a whole number",
                ),
            ),
            (
                "neuron,time_s\n16777216,0.1\n",
                (
                    2,
                    Some((1, 8)),
                    Some("neuron"),
                    some("16777216"),
                    "above 16777215, the most neurons the viewer shows (2^24)",
                ),
            ),
            // NEST's node IDs run from 1 to 2^24.
            (
                "sender\ttime_ms\n16777217\t1.0\n",
                (
                    2,
                    Some((1, 8)),
                    Some("sender"),
                    some("16777217"),
                    "above 16777216, the most node IDs the viewer shows (2^24)",
                ),
            ),
            (
                "sender\ttime_ms\n0\t1.0\n",
                (
                    2,
                    Some((1, 1)),
                    Some("sender"),
                    some("0"),
                    "NEST's node IDs start at 1",
                ),
            ),
            (
                "sender\ttime_ms\n2\tsoon\n",
                (
                    2,
                    Some((3, 4)),
                    Some("time_ms"),
                    some("soon"),
                    "not a number",
                ),
            ),
            (
                "time,v\n0,1\n",
                (1, None, None, None, "not a spike file's header"),
            ),
            // Widths are in characters: `µ` is one, in two bytes.
            (
                "neuron,time_s\nµ,0.1\n",
                (
                    2,
                    Some((1, 1)),
                    Some("neuron"),
                    some("µ"),
                    "not a whole number",
                ),
            ),
        ];
        for (text, want) in cases {
            let (line, column, key, value, problem) = want;
            assert_eq!(
                error_of(text),
                (line, column, key, value, problem.to_string()),
                "{text:?}"
            );
        }
        let bytes = b"neuron,time_s\n0,0.\xff1\n";
        let e = Recording::parse(bytes).unwrap_err();
        assert_eq!(
            (e.line, e.column, e.problem.as_str()),
            (2, Some((5, 1)), "not UTF-8 text")
        );
        // -0 is the start, 1e9 s the latest; NEST's 16777216 the last node.
        let r = Recording::parse(b"neuron,time_s\n0,-0.0\n0,1e9\n").unwrap();
        assert_eq!(r.len(), 2);
        let r = Recording::parse(b"sender\ttime_ms\n16777216\t1.0\n").unwrap();
        assert_eq!((r.first, r.neuron_count), (1 << 24, 1));
    }

    /// The message reads as a preset's: file, line and column, the
    /// column's name and value, what is valid, and the line with a caret
    /// under the cell (a tab shown as a space, so it stays under it).
    #[test]
    fn the_message_points_at_the_cell() {
        let e = Recording::parse(b"# NEST\nsender\ttime_ms\n12\t4.5e\n").unwrap_err();
        assert_eq!(
            e.message("spikes.dat"),
            "spikes.dat:3:4: `time_ms` = 4.5e: not a number\n  \
             valid: milliseconds from 0 to 1e12 (31.7 years), as 12.3\n   |\n \
             3 | 12 4.5e\n   |    ^^^^"
        );
        // NEST 3.10's header with `time_in_steps` = True.
        let e = Recording::parse(
            b"# NEST version: 3.10.0\n# RecordingBackendASCII version: 2\n\
              sender\ttime_step\ttime_offset\n1\t139\t0.000\n",
        )
        .unwrap_err();
        assert_eq!(
            e.message("steps-3-0.dat"),
            "steps-3-0.dat:3:1: NEST's spike_recorder with `time_in_steps` = True: its times \
             are step numbers, and the file does not hold the resolution that makes them times\n  \
             valid: NEST's default, `time_in_steps` = False, whose file holds \
             `sender<TAB>time_ms`\n   |\n 3 | sender time_step time_offset\n   | \
             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^"
        );
        let e = Recording::parse(b"time,v\n").unwrap_err();
        assert_eq!(
            e.message("v.csv"),
            "v.csv:1:1: not a spike file's header\n  valid: `neuron,time_s` rows \
             (spikescope's CSV) or NEST's spike_recorder ASCII (`sender<TAB>time_ms` after `#` \
             lines)\n   |\n 1 | time,v\n   | ^^^^^^"
        );
    }

    /// A file of the header alone without an end of line (what a tool that
    /// recorded no spikes may write) holds no spikes, in either format,
    /// read whole or from its path block by block: it stopped the program
    /// before, the rows taken to start past the file's end (and NEST's
    /// header after its comments was read as a CSV row).
    #[test]
    fn a_header_alone_without_an_end_of_line_holds_no_spikes() {
        let dir = tempfile::tempdir().unwrap();
        for text in [
            "neuron,time_s",
            "neuron,time_s\r",
            "sender\ttime_ms",
            "# NEST\nsender\ttime_ms",
        ] {
            assert!(
                Recording::parse(text.as_bytes()).unwrap().is_empty(),
                "{text:?}"
            );
            let path = dir.path().join("header.csv");
            std::fs::write(&path, text).unwrap();
            assert!(Recording::open(&path).unwrap().is_empty(), "{text:?}");
        }
        // Lines ended by a carriage return alone are one line: said so.
        let e = Recording::parse(b"neuron,time_s\r0,0.1\r").unwrap_err();
        let said = e.message("mac.csv");
        assert!(
            said.starts_with("mac.csv:1:1: its lines end in a carriage return alone"),
            "{said}"
        );
    }
}
