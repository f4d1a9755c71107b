//! A recorded session: a live app journaling as it runs, advanced in
//! uneven frames, and the headless replay of its journal with the CSV it
//! writes read back.

use std::collections::HashMap;
use std::path::Path;

use spikescope::ui::app::{App, RunState};

use super::run;

/// A live app on a bundled preset, recording into `journal`, running.
pub fn recording(name: &str, journal: &Path, export_dir: &Path) -> App {
    let mut a = super::paused_app(name, 0);
    a.export_dir = export_dir.to_path_buf();
    a.record_to(journal).unwrap();
    a.run = RunState::Running;
    a
}

/// Advances as frames of uneven sizes would (the live clock never gives
/// the same batches twice).
pub fn frames(a: &mut App, steps: u64) {
    let mut left = steps;
    let mut k = 7;
    while left > 0 {
        let n = k.min(left);
        a.advance(n);
        left -= n;
        k = k * 3 % 1001 + 1;
    }
}

/// The rows of a CSV by their first column's text, each a map column ->
/// value text.
pub fn rows(path: &Path) -> (Vec<String>, HashMap<String, Vec<String>>) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header: Vec<String> = lines.next().unwrap().split(',').map(String::from).collect();
    let rows = lines
        .map(|l| {
            let cells: Vec<String> = l.split(',').map(String::from).collect();
            (cells[0].clone(), cells)
        })
        .collect();
    (header, rows)
}

/// Replays `journal` headless into the directory; returns the process.
pub fn replay(journal: &Path, dir: &Path) -> std::process::Output {
    run(&[
        "replay",
        journal.to_str().unwrap(),
        "--out",
        dir.join("r.csv").to_str().unwrap(),
        "--spikes",
        dir.join("r-spikes.csv").to_str().unwrap(),
    ])
}
