//! CSV outputs (SPEC section 3): traces and spikes, streamed while the
//! simulation runs into a `Sink` (sink.rs: whole or not at all), each on a
//! thread of its own (csv_thread.rs).

use std::io::{self, BufWriter, Write};
use std::path::Path;

use super::csv_thread::CsvThread;
use super::sink::{Sink, cannot_write};
use super::{Monitor, Simulation};
use crate::model::Spike;

/// Shortest round-trip text of an f64 (`ryu`), so a value read back is the
/// value written.
pub(crate) fn push_f64(out: &mut Vec<u8>, x: f64) {
    if x.is_finite() {
        out.extend_from_slice(ryu::Buffer::new().format_finite(x).as_bytes());
    } else if x.is_nan() {
        out.extend_from_slice(b"NaN");
    } else if x > 0.0 {
        out.extend_from_slice(b"inf");
    } else {
        out.extend_from_slice(b"-inf");
    }
}

/// The rows of the spikes CSV, `neuron,time_s`. itoa and ryu: a spike file
/// of millions of rows is written at the speed of the simulation, not of
/// `fmt`'s machinery. The spikes of a step share its time (in grid timing
/// all of them: four a step in the benchmark network), so the text of the
/// last time written is kept and copied while the time stays the same:
/// formatting it was most of the CSV thread's work, and that thread shares
/// the machine with the simulation (the grid pass took 9% more `perf`
/// samples beside it at N = 1,000, its arrays on pages; a fifth more before,
/// most of that the 4K aliasing of a layout the file's opening had moved,
/// network/state.rs).
#[derive(Debug, Default)]
pub(crate) struct SpikeRows {
    /// The last time formatted (its bits) and its text.
    time_bits: Option<u64>,
    time_text: Vec<u8>,
}

impl SpikeRows {
    /// Appends the row of spike `s` to `out`.
    pub(crate) fn push(&mut self, out: &mut Vec<u8>, s: &Spike) {
        out.extend_from_slice(itoa::Buffer::new().format(s.neuron).as_bytes());
        out.push(b',');
        let bits = s.time_s.to_bits();
        if self.time_bits != Some(bits) {
            self.time_text.clear();
            push_f64(&mut self.time_text, s.time_s);
            self.time_bits = Some(bits);
        }
        out.extend_from_slice(&self.time_text);
        out.push(b'\n');
    }
}

/// Spike rows formatted before they are written.
const SPIKE_ROWS_AT_ONCE: usize = 1024;

/// A CSV writer over a buffered sink, one reused line buffer.
pub struct CsvWriter<W: Write> {
    out: BufWriter<W>,
    line: Vec<u8>,
    spike_rows: SpikeRows,
}

impl<W: Write> CsvWriter<W> {
    pub fn new(inner: W, header: &[String]) -> io::Result<Self> {
        let mut w = Self {
            out: BufWriter::with_capacity(1 << 16, inner),
            line: Vec::with_capacity(256),
            spike_rows: SpikeRows::default(),
        };
        let mut wr = csv::Writer::from_writer(Vec::new());
        wr.write_record(header).map_err(io::Error::other)?;
        let bytes = wr
            .into_inner()
            .map_err(|e| io::Error::other(e.to_string()))?;
        w.out.write_all(&bytes)?;
        Ok(w)
    }

    pub fn row(&mut self, values: impl IntoIterator<Item = f64>) -> io::Result<()> {
        self.line.clear();
        for (k, x) in values.into_iter().enumerate() {
            if k > 0 {
                self.line.push(b',');
            }
            push_f64(&mut self.line, x);
        }
        self.line.push(b'\n');
        self.out.write_all(&self.line)
    }

    /// The spikes' rows, formatted a thousand at a time (a line buffer of
    /// some 20 KB however many are held) and written a thousand at once.
    pub fn spike_rows(&mut self, spikes: &[Spike]) -> io::Result<()> {
        for chunk in spikes.chunks(SPIKE_ROWS_AT_ONCE) {
            self.line.clear();
            for s in chunk {
                self.spike_rows.push(&mut self.line, s);
            }
            self.out.write_all(&self.line)?;
        }
        Ok(())
    }

    /// Rows already formatted (`SpikeRows`), written as they are.
    pub fn formatted_rows(&mut self, rows: &[u8]) -> io::Result<()> {
        self.out.write_all(rows)
    }

    pub fn finish(mut self) -> io::Result<W> {
        self.out.flush()?;
        self.out.into_inner().map_err(|e| e.into_error())
    }
}

/// Simulated time of step k: k / (1/dt) when 1/dt is a whole number of steps
/// per second (then "0.3" stays 0.3 rather than 0.30000000000000004), else k dt.
pub fn step_time_s(k: u64, dt_s: f64) -> f64 {
    let per_second = 1.0 / dt_s;
    let rounded = per_second.round();
    if rounded >= 1.0 && (per_second - rounded).abs() <= 1e-9 * rounded {
        k as f64 / rounded
    } else {
        k as f64 * dt_s
    }
}

/// What a run that stopped early left: the streams (standard output, a pipe)
/// that hold what it wrote up to the stop, by name, whether they hold all of
/// it (the run had ended: a file failed at its last rows), and whether files
/// were given up (written whole or not at all, they were not written).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StoppedOutputs {
    pub streams: Vec<String>,
    pub streams_whole: bool,
    pub files_given_up: bool,
}

/// Streams trace rows every `every` steps, and every spike, each output
/// formatted and written on a thread of its own (csv_thread.rs). An output
/// whose reader has gone (a closed pipe: `| head`) ends there and the
/// others go on; when every output's reader has gone the run has nothing
/// left to write and stops (a broken-pipe error).
pub struct CsvMonitor {
    traces: Option<CsvThread>,
    spikes: Option<CsvThread>,
    every: u64,
    scratch: Vec<f64>,
    /// A reader of one of the outputs has gone.
    reader_left: bool,
}

/// A write whose reader has gone closes that output.
fn close_on_broken_pipe(
    output: &mut Option<CsvThread>,
    reader_left: &mut bool,
    result: io::Result<()>,
) -> io::Result<()> {
    match result {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
            *output = None;
            *reader_left = true;
            Ok(())
        }
        other => other,
    }
}

impl CsvMonitor {
    pub fn new(
        traces: Option<Sink>,
        spikes: Option<Sink>,
        sim: &Simulation,
        every: u64,
    ) -> io::Result<Self> {
        // The header only when traces are written: a network's 2N column
        // names are not made for a spikes file alone.
        let traces = traces
            .map(|sink| {
                let header: Vec<String> = std::iter::once("time_s".to_string())
                    .chain(sim.model.columns())
                    .collect();
                CsvThread::traces(sink, header)
            })
            .transpose()?;
        // A simulation stepping on every core would share them with the
        // writer thread: each batch it wakes for stalls a step (both halves
        // wait for the one it took the core from); written so, the spikes
        // file cost 12% of the run at N = 10,000. There the spikes are
        // held, in bounds, formatted in the step's waits for its helper
        // (`while_waiting` below), and what is left at the end on two cores
        // (csv_thread.rs).
        // (On one core there is nothing to share at the end either.)
        let threads = sim.model.step_threads();
        let hold = threads > 1 && threads >= crate::sysmem::cores();
        Ok(Self {
            traces,
            spikes: spikes
                .map(|sink| CsvThread::spikes(sink, hold))
                .transpose()?,
            every: every.max(1),
            scratch: Vec::new(),
            reader_left: false,
        })
    }

    /// Writes the row of the current state (used for t = 0).
    pub fn write_row(&mut self, sim: &Simulation) -> io::Result<()> {
        if let Some(w) = self.traces.as_mut() {
            sim.model.record(sim.input(), &mut self.scratch);
            let t = step_time_s(sim.step_index(), sim.dt_s());
            let r = w.push_row(t, &self.scratch);
            close_on_broken_pipe(&mut self.traces, &mut self.reader_left, r)?;
        }
        self.all_gone()
    }

    /// A broken pipe once every output's reader has gone.
    fn all_gone(&self) -> io::Result<()> {
        if self.reader_left && self.traces.is_none() && self.spikes.is_none() {
            return Err(io::ErrorKind::BrokenPipe.into());
        }
        Ok(())
    }

    /// A run that stops early: the outputs that are streams end on the last
    /// row the run made and the files are given up (`CsvThread::stop_early`).
    pub fn stop_early(self) -> StoppedOutputs {
        let outputs: Vec<CsvThread> = [self.traces, self.spikes].into_iter().flatten().collect();
        let files_given_up = outputs.iter().any(|o| !o.is_stream());
        StoppedOutputs {
            streams: outputs
                .into_iter()
                .filter_map(CsvThread::stop_early)
                .collect(),
            streams_whole: false,
            files_given_up,
        }
    }

    /// Writes what is left and returns the outputs' sinks, to be put in
    /// place; an output whose reader has gone is no error. On an error (a
    /// disk full at the last rows), with what the outputs hold: the files
    /// are given up, and the streams have what reached them.
    pub fn finish(self) -> Result<Vec<Sink>, (io::Error, StoppedOutputs)> {
        let outputs: Vec<CsvThread> = [self.traces, self.spikes].into_iter().flatten().collect();
        let left = StoppedOutputs {
            streams: Vec::new(),
            streams_whole: true,
            files_given_up: outputs.iter().any(|o| !o.is_stream()),
        };
        // Every output is finished, the others too where one fails: a
        // stream gets all its rows whatever befell a file.
        let mut sinks = Vec::new();
        let mut failed = None;
        for output in outputs {
            match output.finish() {
                Ok(sink) => sinks.push(sink),
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
                Err(e) => failed = failed.or(Some(e)),
            }
        }
        match failed {
            None => Ok(sinks),
            Some(e) => {
                let streams = sinks.iter().filter_map(Sink::stream_name).collect();
                Err((e, StoppedOutputs { streams, ..left }))
            }
        }
    }
}

impl Monitor for CsvMonitor {
    fn on_step(&mut self, sim: &Simulation, spikes: &[Spike]) -> io::Result<()> {
        if let Some(w) = self.spikes.as_mut() {
            let r = w.push_spikes(spikes);
            close_on_broken_pipe(&mut self.spikes, &mut self.reader_left, r)?;
        }
        if sim.step_index().is_multiple_of(self.every) {
            self.write_row(sim)?;
        }
        self.all_gone()
    }

    fn while_waiting(&mut self) -> bool {
        self.spikes
            .as_mut()
            .is_some_and(CsvThread::format_a_held_spike)
    }
}

/// A whole CSV file from already known rows (the oscilloscope's export),
/// written into its temporary file: `Sink::commit_all` puts it in place
/// with the files that go with it.
pub fn csv_file(
    path: &Path,
    header: &[String],
    rows: impl IntoIterator<Item = Vec<f64>>,
) -> io::Result<Sink> {
    let mut sink = Sink::open(&path.to_string_lossy())?;
    let written = (|| {
        let mut csv = CsvWriter::new(sink.writer()?, header)?;
        for r in rows {
            csv.row(r)?;
        }
        csv.finish().map(drop)
    })();
    written.map_err(|e| cannot_write(path, e))?;
    Ok(sink)
}

/// Spikes as the spikes CSV (`neuron,time_s`), as `csv_file`.
pub fn spikes_file(path: &Path, spikes: &[Spike]) -> io::Result<Sink> {
    let mut sink = Sink::open(&path.to_string_lossy())?;
    let written = (|| {
        let header = ["neuron".to_string(), "time_s".to_string()];
        let mut csv = CsvWriter::new(sink.writer()?, &header)?;
        csv.spike_rows(spikes)?;
        csv.finish().map(drop)
    })();
    written.map_err(|e| cannot_write(path, e))?;
    Ok(sink)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A spike row's time is the spike's own however the one before it
    /// was written: kept text is reused only for the same bits (0.0 and
    /// -0.0 are equal but read differently), and is the shortest
    /// round-trip text as any other number of the file.
    #[test]
    fn spike_rows_write_each_spikes_own_time() {
        let times = [0.25, 0.25, 0.0, -0.0, -0.0, 1e-4, 0.25, f64::NAN, 0.1 + 0.2];
        let spikes: Vec<Spike> = times
            .iter()
            .enumerate()
            .map(|(neuron, &time_s)| Spike { neuron, time_s })
            .collect();
        let mut csv = CsvWriter::new(Vec::new(), &["neuron".into(), "time_s".into()]).unwrap();
        csv.spike_rows(&spikes[..3]).unwrap();
        csv.spike_rows(&spikes[3..]).unwrap();
        let text = String::from_utf8(csv.finish().unwrap()).unwrap();
        assert_eq!(
            text,
            "neuron,time_s\n0,0.25\n1,0.25\n2,0.0\n3,-0.0\n4,-0.0\n5,0.0001\n6,0.25\n7,NaN\n\
             8,0.30000000000000004\n"
        );
    }
}
