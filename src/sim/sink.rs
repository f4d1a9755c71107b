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
            io::Error::new(
                e.kind(),
                format!("cannot write in {}: {why}", dir.display()),
            )
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
            Sink::File { temp, .. } => Box::new(temp.as_file_mut()),
            Sink::Stream { file, .. } => Box::new(file),
            Sink::Stdout => Box::new(io::stdout().lock()),
        })
    }

    /// Puts the finished file in place: renamed over the target, or copied
    /// into it when it has other hard links (a stream is already written).
    pub fn commit(self) -> io::Result<()> {
        let Sink::File {
            target,
            temp,
            in_place,
        } = self
        else {
            return Ok(());
        };
        let cannot = |e: io::Error| {
            io::Error::new(e.kind(), format!("cannot write {}: {e}", target.display()))
        };
        temp.as_file().sync_all().map_err(cannot)?;
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
