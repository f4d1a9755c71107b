//! Recording a session into a journal (`--record FILE`, journal.rs has
//! the format): the preset as loaded, then each change with its step,
//! flushed as it is made.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::change::Change;
use super::journal::MAGIC;
use crate::preset::PresetSource;
use crate::preset::time::format_time;

/// A file that holds something and is not a journal is not replaced by
/// one: `--record` naming the preset being opened (or any other file by a
/// slip) overwrote it. An earlier journal, an empty file, a pipe or a
/// device may be written.
fn refuse_to_overwrite(path: &Path) -> io::Result<()> {
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(());
    };
    if !meta.is_file() || meta.len() == 0 {
        return Ok(());
    }
    let mut head = vec![0; MAGIC.len()];
    let read = File::open(path).and_then(|mut f| io::Read::read_exact(&mut f, &mut head));
    if read.is_ok() && head == MAGIC.as_bytes() {
        return Ok(());
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "the file exists and is not a journal, so it is left as it is; valid: a new file, \
         or an earlier journal to replace",
    ))
}

/// Whether a journal can be begun at `path`, said in the user's terms
/// before anything is written: not a directory, in a folder that exists,
/// and not a file that holds something else. The oscilloscope asks this
/// before it looks for a terminal, so that what is wrong with the path is
/// said either way, and begins no journal for a session that cannot run.
pub fn check_path(path: &Path) -> io::Result<()> {
    if path.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "a directory; valid: a file name",
        ));
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("cannot write in {}: no such folder", dir.display()),
        ));
    }
    refuse_to_overwrite(path)
}

/// Writes a session's journal as it happens, a line at a time.
#[derive(Debug)]
pub struct Recorder {
    path: PathBuf,
    file: File,
    dt_s: f64,
}

impl Recorder {
    /// Creates the journal at `path` (or replaces an earlier one) and writes its header
    /// and the preset as loaded.
    pub fn create(path: &Path, source: &PresetSource, dt_s: f64) -> io::Result<Self> {
        check_path(path)?;
        let file = File::create(path)
            .map_err(|e| io::Error::new(e.kind(), format!("cannot write the journal: {e}")))?;
        let mut r = Self {
            path: path.to_path_buf(),
            file,
            dt_s,
        };
        let mut head = format!(
            "{MAGIC}\n# Recorded by spikescope {}. Replay: spikescope replay {}\n\
             # Each change is at the start of a step counted from its run's start, in the run's \
             dt ({} for this preset; an opened one may differ: each line's comment has its time).\n\
             preset {}\n",
            env!("CARGO_PKG_VERSION"),
            path.display(),
            format_time(dt_s),
            one_line(&source.origin)
        );
        head.push_str(&preset_lines(source));
        r.write(&head)?;
        Ok(r)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Records `change` at `step`; `dt_s` is the step of the run it is in
    /// (an opened preset may have another).
    pub fn change(&mut self, step: u64, change: &Change, dt_s: f64) -> io::Result<()> {
        let time = format_time(step as f64 * self.dt_s);
        let line = match change {
            Change::Input(x) => format!("{step} input {x:?}  # t = {time}\n"),
            Change::Bias { neuron, value } => {
                format!("{step} bias {neuron} {value:?}  # t = {time}\n")
            }
            Change::Param {
                key,
                value: Some(v),
            } => format!("{step} param {key}={}  # t = {time}\n", one_line(v)),
            Change::Param { key, value: None } => format!("{step} unset {key}  # t = {time}\n"),
            Change::Reset => format!("{step} reset  # t = {time}\n"),
            Change::Open(source) => {
                let mut s = format!("{step} open {}  # t = {time}\n", one_line(&source.origin));
                s.push_str(&preset_lines(source));
                s
            }
        };
        self.dt_s = dt_s;
        self.write(&line)
    }

    /// Records the end of the session at `step`.
    pub fn end(&mut self, step: u64) -> io::Result<()> {
        let time = format_time(step as f64 * self.dt_s);
        self.write(&format!("{step} end  # t = {time}\n"))
    }

    fn write(&mut self, text: &str) -> io::Result<()> {
        self.file.write_all(text.as_bytes())?;
        self.file.flush()
    }
}

/// A preset's `set` and `|` lines.
fn preset_lines(source: &PresetSource) -> String {
    let mut s = String::new();
    for o in &source.overrides {
        let _ = writeln!(s, "set {}", one_line(o));
    }
    for l in source.text.lines() {
        if l.is_empty() {
            s.push_str("|\n");
        } else {
            let _ = writeln!(s, "| {l}");
        }
    }
    s
}

/// A value on one line (a newline in it would break the journal's lines).
fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}
