//! `check`: each preset file, bundled name or folder of presets loaded as
//! `run` would load it, so what `check` passes `run` accepts.

use std::process::ExitCode;

use super::{EXIT_USAGE, note_bare_times};
use crate::named::Named;
use crate::preset;
use crate::text::{err_line, out_line, printable};

/// The `.toml` files of `arg`, sorted, where it names a folder (`check
/// presets/` checks a collection at once); None where it does not.
fn toml_files_in(arg: &str) -> Option<std::io::Result<Vec<String>>> {
    let dir = std::path::Path::new(arg);
    if !dir.is_dir() {
        return None;
    }
    let listed = std::fs::read_dir(dir).and_then(|entries| {
        let mut files = Vec::new();
        for entry in entries {
            let path = entry?.path();
            let is_toml = path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
            if is_toml && path.is_file() {
                files.push(path.to_string_lossy().into_owned());
            }
        }
        files.sort();
        Ok(files)
    });
    Some(listed)
}

/// Checks each preset as `run` would load it, so what `check` passes `run`
/// accepts (the same validation, the same messages).
#[allow(clippy::result_large_err)] // the preset module's error, as there
pub(super) fn check(args: &[String]) -> ExitCode {
    let mut presets = Vec::new();
    for a in args {
        match toml_files_in(a) {
            Some(Ok(files)) if !files.is_empty() => presets.extend(files),
            Some(Ok(_)) => {
                err_line(&format!(
                    "error: {}: no .toml file in this folder; valid: a folder that holds \
                     presets, a preset file or a bundled name",
                    printable(a, false)
                ));
                return ExitCode::from(EXIT_USAGE);
            }
            Some(Err(e)) => {
                err_line(&format!(
                    "error: {}: cannot list this folder: {e}",
                    printable(a, false)
                ));
                return ExitCode::from(EXIT_USAGE);
            }
            None => presets.push(a.clone()),
        }
    }
    let mut bad = 0;
    for p in &presets {
        match crate::waiting::while_loading(p, || preset::load(p, &[])) {
            Ok(s) => {
                note_bare_times(None, &[], (&s.meta.origin, &s.meta.bare_times));
                let n = s.model.neuron_count();
                let plural = if n == 1 { "" } else { "s" };
                let p = printable(p, false);
                out_line(&format!(
                    "{p}: ok ({}, {n} neuron{plural})",
                    s.model.kind().name()
                ));
            }
            Err(e) => {
                bad += 1;
                err_line(&format!("error: {e}"));
            }
        }
    }
    if bad == 0 {
        ExitCode::SUCCESS
    } else {
        err_line(&format!("{bad} of {} presets invalid", presets.len()));
        ExitCode::from(EXIT_USAGE)
    }
}
