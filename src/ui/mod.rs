//! The oscilloscope (terminal UI).

use std::process::ExitCode;

use crate::cli::UiOptions;

/// Opens the oscilloscope on `preset` (or the built-in default).
pub fn main(preset: Option<&str>, _opts: &UiOptions) -> ExitCode {
    let _ = preset;
    eprintln!("spikescope: the oscilloscope is under construction; use `spikescope run`");
    ExitCode::from(2)
}
