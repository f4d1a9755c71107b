//! Recording a session into a journal (`--record FILE`, journal.rs has
//! the format): the preset as loaded, then each change with its step,
//! flushed as it is made, and the step the session ended at (also when
//! a signal ends it: `JournalEnd`).

use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

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
    // Its start, as much as tells what it is (a preset's comments may run
    // long before its `model`).
    let mut head = Vec::new();
    let read = File::open(path)
        .and_then(|f| io::Read::read_to_end(&mut io::Read::take(f, 64 << 10), &mut head));
    if read.is_ok() && head.starts_with(MAGIC.as_bytes()) {
        return Ok(());
    }
    // Which of spikescope's own files it is, said: the slip is likeliest
    // the preset being opened.
    let what = crate::file_kind::own_file(&String::from_utf8_lossy(&head))
        .map_or(String::new(), |own| format!(" ({})", own.what()));
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!(
            "the file exists and is not a journal{what}, so it is left as it is; valid: a new \
             file, or an earlier journal to replace"
        ),
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
    tail: Arc<Mutex<Tail>>,
}

/// The journal's file and where the session stands in it: what an `end`
/// line needs, shared with the thread that ends the journal on a signal
/// (`JournalEnd`), so that a session killed by SIGHUP (an SSH drop) or
/// SIGTERM still says how far it ran, and the two never write at once.
#[derive(Debug)]
struct Tail {
    file: File,
    /// The present run's dt: an end line's comment gives its time.
    dt_s: f64,
    /// The step the present run has reached, counted from its start.
    step: u64,
    /// Ended, or given up after a write failed: nothing more is written.
    closed: bool,
}

impl Tail {
    fn write(&mut self, text: &str) -> io::Result<()> {
        if self.closed {
            return Err(io::Error::other("the journal is closed"));
        }
        let written = self
            .file
            .write_all(text.as_bytes())
            .and_then(|()| self.file.flush());
        // After a failed write the journal may end inside a line, which a
        // later line would be joined to.
        self.closed = written.is_err();
        written
    }

    /// Writes the end line at the step reached; `why` goes in its comment.
    fn end(&mut self, why: &str) -> io::Result<(u64, f64)> {
        let (step, t_s) = (self.step, self.step as f64 * self.dt_s);
        self.write(&format!("{step} end  # t = {}{why}\n", format_time(t_s)))?;
        self.closed = true;
        Ok((step, t_s))
    }
}

/// Locks the tail whatever a panicking holder left: its fields stay
/// consistent (each write sets `closed` itself).
fn lock(tail: &Mutex<Tail>) -> MutexGuard<'_, Tail> {
    tail.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Recorder {
    /// Creates the journal at `path` (or replaces an earlier one) and writes its header
    /// and the preset as loaded.
    pub fn create(path: &Path, source: &PresetSource, dt_s: f64) -> io::Result<Self> {
        check_path(path)?;
        let file = File::create(path)
            .map_err(|e| io::Error::new(e.kind(), format!("cannot write the journal: {e}")))?;
        let r = Self {
            path: path.to_path_buf(),
            tail: Arc::new(Mutex::new(Tail {
                file,
                dt_s,
                step: 0,
                closed: false,
            })),
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
        lock(&r.tail).write(&head)?;
        Ok(r)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Records `change` at `step`; `dt_s` is the step of the run it is in
    /// (an opened preset may have another).
    pub fn change(&mut self, step: u64, change: &Change, dt_s: f64) -> io::Result<()> {
        let mut tail = lock(&self.tail);
        let time = format_time(step as f64 * tail.dt_s);
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
        tail.dt_s = dt_s;
        // A reset or an opened preset starts a run whose steps count from 0.
        tail.step = if matches!(change, Change::Reset | Change::Open(_)) {
            0
        } else {
            step
        };
        tail.write(&line)
    }

    /// The present run has reached `step`: where an end written by a
    /// signal's thread (`JournalEnd`) puts it.
    pub fn reached(&self, step: u64) {
        lock(&self.tail).step = step;
    }

    /// Records the end of the session at `step`.
    pub fn end(&mut self, step: u64) -> io::Result<()> {
        let mut tail = lock(&self.tail);
        tail.step = step;
        tail.end("").map(drop)
    }

    /// What another thread needs to end this journal.
    pub fn end_handle(&self) -> JournalEnd {
        JournalEnd {
            path: self.path.clone(),
            tail: Arc::clone(&self.tail),
        }
    }
}

/// Ends a journal from another thread: a signal's, which exits the process
/// without returning to the loop that holds the `Recorder`.
#[derive(Debug, Clone)]
pub struct JournalEnd {
    path: PathBuf,
    tail: Arc<Mutex<Tail>>,
}

/// A journal ended by `JournalEnd::end_for_good`, held so that nothing
/// follows its end line: the holder exits the process holding it.
pub struct EndedJournal<'a> {
    _tail: MutexGuard<'a, Tail>,
    /// Where it ended (step and time of the present run), or why it could
    /// not; nothing where it had ended already, or been given up after a
    /// failed write (which the session said).
    pub ended: Option<io::Result<(u64, f64)>>,
}

impl JournalEnd {
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Ends the journal at the step the session reached, with `why` in the
    /// line's comment (`, SIGHUP`), unless it has ended already; the lock
    /// it returns keeps the session from writing any further change.
    pub fn end_for_good(&self, why: &str) -> EndedJournal<'_> {
        let mut tail = lock(&self.tail);
        let ended = (!tail.closed).then(|| tail.end(why));
        EndedJournal { _tail: tail, ended }
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
