//! Where a CSV goes, written whole or not at all. A file is written to a
//! temporary file beside it and renamed over it at the end, so a failed or
//! interrupted run leaves the target as it was (the temporary file is
//! removed as the sink is dropped). Links are followed: a symbolic link's
//! target is written, the link stays; a file with other hard links is
//! copied into at the end, so every name keeps seeing it. A target that
//! exists and is not a regular file (/dev/null, a FIFO, a terminal) is
//! written in place: a rename would replace the device or pipe.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// An error writing `path`, named, of the same kind.
pub fn cannot_write(path: &Path, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("cannot write {}: {e}", path.display()))
}

/// How many symbolic links a path may pass through (as the kernel's limit).
const MAX_LINKS: usize = 40;

/// Where a CSV goes.
pub enum Sink {
    File {
        target: PathBuf,
        temp: tempfile::NamedTempFile,
        /// Other hard links share the target: copy into it rather than
        /// renaming over it.
        in_place: bool,
    },
    Stream {
        target: PathBuf,
        file: fs::File,
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
        // What the kernel reaches by the name given, if it is not a regular
        // file (a device, a FIFO; `/dev/stdout`, whose last link names a
        // pipe or a terminal that has no path to follow by hand), is written
        // in place by that name.
        if let Ok(m) = fs::metadata(path)
            && !m.is_file()
            && !m.is_dir()
        {
            let file = fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(|e| io::Error::new(e.kind(), format!("cannot write {path}: {e}")))?;
            let target = PathBuf::from(path);
            return Ok(Sink::Stream { target, file });
        }
        let target = follow_links(Path::new(path))?;
        if target.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{path} is a directory; give a file name"),
            ));
        }
        let existing = fs::metadata(&target).ok();
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
            // In the user's terms: the folder, not the temporary file's name
            // (tempfile adds "at path ..." to the system's reason).
            let why = if !dir.exists() {
                "no such folder".to_string()
            } else {
                let text = e.to_string();
                match text.rsplit_once(" at path ") {
                    Some((reason, _)) => reason.to_string(),
                    None => text,
                }
            };
            // A bare file name's folder is the current one: named, not
            // `.` (the TUI's `w` in a read-only folder said "cannot write
            // in .").
            let folder = match std::env::current_dir() {
                Ok(cwd) if dir == Path::new(".") => {
                    format!("{} (the current folder)", cwd.display())
                }
                _ => dir.display().to_string(),
            };
            io::Error::new(e.kind(), format!("cannot write in {folder}: {why}"))
        })?;
        if let Some(m) = &existing {
            temp.as_file().set_permissions(m.permissions())?;
        }
        let in_place = existing.as_ref().is_some_and(|m| links(m) > 1);
        Ok(Sink::File {
            target,
            temp,
            in_place,
        })
    }

    /// The sink's writer, borrowing it.
    pub fn writer(&mut self) -> io::Result<Box<dyn Write + '_>> {
        Ok(match self {
            Sink::File { temp, .. } => Box::new(Writeback::new(temp.as_file_mut())),
            Sink::Stream { file, .. } => Box::new(file),
            Sink::Stdout => Box::new(io::stdout().lock()),
        })
    }

    /// Puts files that go together in place, all or none as far as the
    /// file system allows: each is first made durable in its temporary
    /// file (where a full disk shows), and only then is each renamed over
    /// its target (which does not fail for want of room). On an error in
    /// the first step none has been put in place, and the temporary files
    /// are removed.
    pub fn commit_all(sinks: Vec<Sink>) -> io::Result<()> {
        sinks.iter().try_for_each(Sink::make_durable)?;
        sinks.into_iter().try_for_each(Sink::put_in_place)
    }

    /// Puts the finished file in place: renamed over the target, or copied
    /// into it when it has other hard links (a stream is already written).
    pub fn commit(self) -> io::Result<()> {
        self.make_durable()?;
        self.put_in_place()
    }

    /// The temporary file's bytes on the disk: where a full disk (or one
    /// that refuses a write) shows, after the writes themselves.
    fn make_durable(&self) -> io::Result<()> {
        match self {
            Sink::File { target, temp, .. } => temp
                .as_file()
                .sync_all()
                .map_err(|e| cannot_write(target, e)),
            _ => Ok(()),
        }
    }

    /// The durable temporary file put in place (`commit`).
    fn put_in_place(self) -> io::Result<()> {
        let Sink::File {
            target,
            temp,
            in_place,
        } = self
        else {
            return Ok(());
        };
        let cannot = |e: io::Error| cannot_write(&target, e);
        if in_place {
            let mut out = fs::OpenOptions::new()
                .write(true)
                .truncate(true)
                .open(&target)
                .map_err(cannot)?;
            io::copy(&mut fs::File::open(temp.path())?, &mut out).map_err(cannot)?;
            return out.sync_all().map_err(cannot);
        }
        temp.persist(&target).map_err(|e| cannot(e.error))?;
        Ok(())
    }

    /// What a stream is called where nothing written to it can be taken
    /// back (standard output, a pipe or a device): a run stopped early
    /// leaves there what it wrote. None for a file, which is written whole
    /// or not at all.
    pub fn stream_name(&self) -> Option<String> {
        match self {
            Sink::File { .. } => None,
            Sink::Stream { target, .. } => Some(target.display().to_string()),
            Sink::Stdout => Some("standard output".to_string()),
        }
    }

    pub fn target(&self) -> Option<&Path> {
        match self {
            Sink::File { target, .. } | Sink::Stream { target, .. } => Some(target),
            Sink::Stdout => None,
        }
    }
}

/// Bytes written before the kernel is asked to start writing them out.
const WRITEBACK_EVERY: u64 = 1 << 16;

/// A file whose written bytes the kernel starts writing out to the disk as
/// they come, every `WRITEBACK_EVERY` (`sync_file_range`, as RocksDB's
/// `bytes_per_sync`), rather than all at the fsync that puts the file in
/// place: the writes go out while the run goes on, and the fsync waits
/// only for the last of them and the journal: the spikes
/// file of N = 1,000 (440 KB) 0.4 ms instead of 0.6, of N = 10,000 (4.7 MB)
/// 0.26 ms instead of 4.0. It only asks: the fsync still makes the whole
/// file durable, and a kernel that refuses is ignored.
struct Writeback<'a> {
    file: &'a mut fs::File,
    written: u64,
    /// Bytes already handed to the kernel's writeback (whole pages).
    started: u64,
}

impl<'a> Writeback<'a> {
    fn new(file: &'a mut fs::File) -> Self {
        Self {
            file,
            written: 0,
            started: 0,
        }
    }
}

impl Write for Writeback<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write(buf)?;
        self.written += n as u64;
        // Whole pages only: the page the next write continues stays in the
        // page cache, not under writeback the write would wait for.
        let ready = self.written & !4095;
        if ready - self.started >= WRITEBACK_EVERY {
            start_writeback(self.file, self.started, ready - self.started);
            self.started = ready;
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

#[cfg(target_os = "linux")]
fn start_writeback(file: &fs::File, from: u64, len: u64) {
    use std::os::fd::AsRawFd;
    // SAFETY: a plain system call on an open descriptor the borrow keeps
    // open; it reads no memory of ours.
    unsafe {
        libc::sync_file_range(
            file.as_raw_fd(),
            from as _,
            len as _,
            libc::SYNC_FILE_RANGE_WRITE,
        );
    }
}

#[cfg(not(target_os = "linux"))]
fn start_writeback(_: &fs::File, _: u64, _: u64) {}

/// The path a write to `path` reaches: its symbolic links followed (a
/// dangling one to the file it names).
fn follow_links(path: &Path) -> io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = fs::read_link(&p)?;
                // A relative link is relative to the link's directory; an
                // absolute one replaces the path.
                p = match p.parent() {
                    Some(dir) => dir.join(link),
                    None => link,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("{}: too many levels of symbolic links", path.display()),
    ))
}

#[cfg(unix)]
fn links(m: &fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::nlink(m)
}

#[cfg(not(unix))]
fn links(_: &fs::Metadata) -> u64 {
    1
}

/// Whether two output paths reach the same file: through links, or as two
/// spellings of one path not yet created.
pub fn same_file(a: &str, b: &str) -> bool {
    if a == "-" || b == "-" {
        return false;
    }
    // Both there: the kernel follows every link, even one with no path
    // (`/dev/stdout` to a pipe).
    #[cfg(unix)]
    if let (Ok(ma), Ok(mb)) = (fs::metadata(a), fs::metadata(b)) {
        use std::os::unix::fs::MetadataExt;
        return (ma.dev(), ma.ino()) == (mb.dev(), mb.ino());
    }
    let (Ok(pa), Ok(pb)) = (follow_links(Path::new(a)), follow_links(Path::new(b))) else {
        return false;
    };
    #[cfg(unix)]
    if let (Ok(ma), Ok(mb)) = (fs::metadata(&pa), fs::metadata(&pb)) {
        use std::os::unix::fs::MetadataExt;
        return (ma.dev(), ma.ino()) == (mb.dev(), mb.ino());
    }
    // Not created yet: the same name in the same directory.
    let place = |p: &Path| {
        let dir = match p.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        fs::canonicalize(dir).map(|d| d.join(p.file_name().unwrap_or_default()))
    };
    matches!((place(&pa), place(&pb)), (Ok(x), Ok(y)) if x == y)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What goes through is written as it came, whatever the pieces; the
    /// writeback asked for covers whole pages already written, each range
    /// once, and leaves less than `WRITEBACK_EVERY` and a page behind.
    #[test]
    fn writeback_passes_the_bytes_and_starts_whole_written_pages() {
        let mut file = tempfile::tempfile().unwrap();
        let bytes: Vec<u8> = (0..700_001u32).map(|k| (k % 251) as u8).collect();
        let mut w = Writeback::new(&mut file);
        let mut started = Vec::new();
        for piece in bytes.chunks(54_919) {
            w.write_all(piece).unwrap();
            started.push(w.started);
            assert!(w.started.is_multiple_of(4096) && w.started <= w.written);
        }
        assert_eq!(w.written, bytes.len() as u64);
        assert!(w.written - w.started < WRITEBACK_EVERY + 4096);
        assert!(started.windows(2).all(|p| p[0] <= p[1]));
        assert!(started.last() > started.first());
        w.flush().unwrap();
        let mut back = Vec::new();
        io::Seek::rewind(&mut file).unwrap();
        io::Read::read_to_end(&mut file, &mut back).unwrap();
        assert!(back == bytes);
    }
}
