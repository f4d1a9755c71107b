//! A preset named that is not there: what it may have meant, a bundled
//! preset or a file beside the one named, by the closest name.

use std::io;
use std::path::Path;

use super::bundled;
use super::error::{PresetError, did_you_mean};

/// The error for a name that is no bundled preset and no file.
pub(super) fn no_such_preset(arg: &str) -> PresetError {
    let mut e = PresetError::new(
        arg,
        "no bundled preset has this name and no such file exists",
    )
    .valid("a bundled preset name (`spikescope presets` lists them) or a path to a .toml file");
    if let Some(close) = did_you_mean(arg, bundled::names()) {
        e.problem.push_str(&format!("; did you mean `{close}`?"));
    }
    e
}

/// The error for a preset file that cannot be read: where it does not
/// exist, the bundled preset of its name (`lif-constant.toml` typed outside
/// the presets folder) or the closest .toml file in its folder.
pub(super) fn unreadable(path: &Path, e: &io::Error) -> PresetError {
    let origin = path.display().to_string();
    let mut err = PresetError::new(&origin, crate::text::cannot_read(e)).valid(
        "a path to a preset file (.toml) or a bundled preset name (`spikescope presets` lists them)",
    );
    if e.kind() != io::ErrorKind::NotFound {
        return err;
    }
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let meant = if bundled::get(stem).is_some() {
        Some(format!("the bundled preset `{stem}`"))
    } else {
        closest_file(path).map(|f| format!("`{f}`"))
    };
    if let Some(meant) = meant {
        err.problem.push_str(&format!("; did you mean {meant}?"));
    }
    err
}

/// The .toml file in `path`'s folder whose name is closest to its own, as
/// a path written the way `path` was.
fn closest_file(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
    let entries = std::fs::read_dir(folder.unwrap_or(Path::new("."))).ok()?;
    let names: Vec<String> = entries
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    let close = did_you_mean(name, names.iter().map(String::as_str))?;
    Some(match folder {
        Some(f) => f.join(close).display().to_string(),
        None => close.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_names_what_it_may_have_meant() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("lif-ramp-fast.toml"), "").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "").unwrap();
        let missing = |name: &str| {
            let path = dir.path().join(name);
            let e = io::Error::from(io::ErrorKind::NotFound);
            unreadable(&path, &e).problem
        };
        let near = dir.path().join("lif-ramp-fast.toml");
        assert_eq!(
            missing("lif-ramp-fsat.toml"),
            format!("no such file; did you mean `{}`?", near.display())
        );
        assert_eq!(
            missing("lif-constant.toml"),
            "no such file; did you mean the bundled preset `lif-constant`?"
        );
        assert_eq!(missing("zzz.toml"), "no such file");
        let denied = io::Error::from(io::ErrorKind::PermissionDenied);
        let e = unreadable(Path::new("x.toml"), &denied);
        assert_eq!(e.problem, "not allowed to read it (permission denied)");
    }
}
