//! CSV outputs (SPEC section 3): traces and spikes, streamed while the
//! simulation runs, written to a temporary file beside the target and renamed
//! over it at the end, so a target is written whole or not at all. A target
//! that exists and is not a regular file (/dev/null, a FIFO, a terminal) is
//! written in place: a rename would replace the device or pipe with a file.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::{Monitor, Simulation};
use crate::model::Spike;

/// Where a CSV goes: a file (atomically), an existing device or pipe (in
/// place), or standard output.
pub enum Sink {
    File {
        target: PathBuf,
        temp: tempfile::NamedTempFile,
    },
    Stream {
        target: PathBuf,
        file: std::fs::File,
    },
    Stdout,
}

impl Sink {
    /// `-` is standard output; anything else a file, created as a temporary
    /// file in the target's directory (so the final rename stays on one file
    /// system).
    pub fn open(path: &str) -> io::Result<Self> {
        if path == "-" {
            return Ok(Sink::Stdout);
        }
        let target = PathBuf::from(path);
        if target.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{path} is a directory; give a file name"),
            ));
        }
        if std::fs::metadata(&target).is_ok_and(|m| !m.is_file()) {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(&target)
                .map_err(|e| io::Error::new(e.kind(), format!("cannot write {path}: {e}")))?;
            return Ok(Sink::Stream { target, file });
        }
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        // A new file gets the mode the umask gives (0666 less the umask, as
        // any program's output); a file written over keeps its own mode.
        let mut builder = tempfile::Builder::new();
        builder.prefix(".spikescope-").suffix(".csv.tmp");
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        let temp = builder.tempfile_in(&dir).map_err(|e| {
            io::Error::new(e.kind(), format!("cannot write in {}: {e}", dir.display()))
        })?;
        if let Ok(existing) = std::fs::metadata(&target) {
            temp.as_file().set_permissions(existing.permissions())?;
        }
        Ok(Sink::File { target, temp })
    }

    fn writer(&mut self) -> io::Result<Box<dyn Write + '_>> {
        Ok(match self {
            Sink::File { temp, .. } => Box::new(temp.as_file_mut()),
            Sink::Stream { file, .. } => Box::new(file),
            Sink::Stdout => Box::new(io::stdout().lock()),
        })
    }

    /// Renames the finished temporary file over the target (a stream is
    /// already written).
    pub fn commit(self) -> io::Result<()> {
        match self {
            Sink::File { target, temp } => {
                temp.as_file().sync_all()?;
                temp.persist(&target).map_err(|e| {
                    io::Error::new(
                        e.error.kind(),
                        format!("cannot write {}: {}", target.display(), e.error),
                    )
                })?;
                Ok(())
            }
            Sink::Stream { .. } | Sink::Stdout => Ok(()),
        }
    }

    pub fn target(&self) -> Option<&Path> {
        match self {
            Sink::File { target, .. } | Sink::Stream { target, .. } => Some(target),
            Sink::Stdout => None,
        }
    }
}

/// Shortest round-trip text of an f64 (`ryu`), so a value read back is the
/// value written.
fn push_f64(out: &mut Vec<u8>, x: f64) {
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

/// A CSV writer over a buffered sink, one reused line buffer.
pub struct CsvWriter<W: Write> {
    out: BufWriter<W>,
    line: Vec<u8>,
}

impl<W: Write> CsvWriter<W> {
    pub fn new(inner: W, header: &[String]) -> io::Result<Self> {
        let mut w = Self {
            out: BufWriter::with_capacity(1 << 16, inner),
            line: Vec::with_capacity(256),
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

    pub fn spike_row(&mut self, s: &Spike) -> io::Result<()> {
        self.line.clear();
        write!(self.line, "{},", s.neuron)?;
        push_f64(&mut self.line, s.time_s);
        self.line.push(b'\n');
        self.out.write_all(&self.line)
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

/// Streams trace rows every `every` steps, and every spike.
pub struct CsvMonitor<'a> {
    pub traces: Option<CsvWriter<Box<dyn Write + 'a>>>,
    pub spikes: Option<CsvWriter<Box<dyn Write + 'a>>>,
    pub every: u64,
    scratch: Vec<f64>,
}

impl<'a> CsvMonitor<'a> {
    pub fn new(
        traces: Option<Box<dyn Write + 'a>>,
        spikes: Option<Box<dyn Write + 'a>>,
        sim: &Simulation,
        every: u64,
    ) -> io::Result<Self> {
        let header: Vec<String> = std::iter::once("time_s".to_string())
            .chain(sim.model.columns())
            .collect();
        let traces = traces.map(|w| CsvWriter::new(w, &header)).transpose()?;
        let spike_header = ["neuron".to_string(), "time_s".to_string()];
        let spikes = spikes
            .map(|w| CsvWriter::new(w, &spike_header))
            .transpose()?;
        Ok(Self {
            traces,
            spikes,
            every: every.max(1),
            scratch: Vec::new(),
        })
    }

    /// Writes the row of the current state (used for t = 0).
    pub fn write_row(&mut self, sim: &Simulation) -> io::Result<()> {
        if let Some(w) = self.traces.as_mut() {
            sim.model.record(sim.input(), &mut self.scratch);
            let t = step_time_s(sim.step_index(), sim.dt_s());
            w.row(std::iter::once(t).chain(self.scratch.iter().copied()))?;
        }
        Ok(())
    }

    pub fn finish(self) -> io::Result<()> {
        if let Some(w) = self.traces {
            w.finish()?;
        }
        if let Some(w) = self.spikes {
            w.finish()?;
        }
        Ok(())
    }
}

impl Monitor for CsvMonitor<'_> {
    fn on_step(&mut self, sim: &Simulation, spikes: &[Spike]) -> io::Result<()> {
        if let Some(w) = self.spikes.as_mut() {
            for s in spikes {
                w.spike_row(s)?;
            }
        }
        if sim.step_index().is_multiple_of(self.every) {
            self.write_row(sim)?;
        }
        Ok(())
    }
}

/// Opens a sink's writer as a boxed `Write` borrowing the sink.
pub fn sink_writer(sink: &mut Sink) -> io::Result<Box<dyn Write + '_>> {
    sink.writer()
}

/// Writes a whole CSV file atomically from already known rows (used by the
/// oscilloscope's export).
pub fn write_csv_atomically(
    path: &Path,
    header: &[String],
    rows: impl IntoIterator<Item = Vec<f64>>,
) -> io::Result<()> {
    let mut sink = Sink::open(&path.to_string_lossy())?;
    {
        let w = sink.writer()?;
        let mut csv = CsvWriter::new(w, header)?;
        for r in rows {
            csv.row(r)?;
        }
        csv.finish()?;
    }
    sink.commit()
}

/// Writes spikes as the spikes CSV (`neuron,time_s`) atomically (used by
/// the oscilloscope's export).
pub fn write_spikes_atomically(path: &Path, spikes: &[Spike]) -> io::Result<()> {
    let mut sink = Sink::open(&path.to_string_lossy())?;
    {
        let w = sink.writer()?;
        let mut csv = CsvWriter::new(w, &["neuron".to_string(), "time_s".to_string()])?;
        for s in spikes {
            csv.spike_row(s)?;
        }
        csv.finish()?;
    }
    sink.commit()
}
