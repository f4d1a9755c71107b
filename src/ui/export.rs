//! `e`: the visible window written as CSV, atomically, in SPEC's formats:
//! the recorded traces (`time_s` and the model's columns that the
//! oscilloscope records) and the kept spikes in the window (every neuron's,
//! or a large network's around the selected one; a rate model has none,
//! and no spikes file). The message says which neurons' traces and spikes
//! went in when a network has more than are recorded.

use super::app::App;
use super::format::plural;
use crate::model::ModelKind;
use crate::model::recordable::Quantity;
use crate::sim::csv;
use crate::sim::sink::Sink;

/// The file name's stem for the preset: its bundled name or file stem, with
/// anything but letters, digits, `-` and `_` replaced.
pub fn file_stem(origin: &str) -> String {
    origin
        .rsplit('/')
        .next()
        .unwrap_or("preset")
        .trim_end_matches(".toml")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Which neurons' traces are recorded, in words.
fn recorded_neurons(app: &App) -> String {
    let n = app.neuron_count();
    if app.kind() != ModelKind::Network && app.kind() != ModelKind::Rate {
        return String::new();
    }
    let mut traced: Vec<usize> = app
        .traces
        .probes
        .recordables
        .iter()
        .filter(|r| matches!(r.quantity, Quantity::V | Quantity::Y))
        .map(|r| r.index)
        .collect();
    traced.sort_unstable();
    traced.dedup();
    if traced.len() == n {
        return match n {
            1 => " of its one neuron".to_string(),
            n => format!(" of all {n} neurons"),
        };
    }
    // The run from neuron 0 as a range (`0-32`, not `0-31 and #32`), then
    // the followed neuron past it.
    let run_end = traced
        .iter()
        .enumerate()
        .take_while(|&(k, &i)| k == i)
        .count();
    let mut text = format!(" of neurons 0-{}", run_end.saturating_sub(1));
    for i in &traced[run_end..] {
        text.push_str(&format!(" and #{i}"));
    }
    text.push_str(&format!(" (of {n}; others not recorded)"));
    text
}

/// The name exports share: `spikescope-<preset>-<t>ms`, after the preset
/// as named (not the overrides given with it).
pub fn base_name(app: &App) -> String {
    let origin = match &app.source {
        Some(source) => source.origin.as_str(),
        None => &app.preset.origin,
    };
    format!(
        "spikescope-{}-{:.0}ms",
        file_stem(origin),
        app.sim.time_s() * 1e3
    )
}

/// Writes `spikescope-<preset>-<t>ms.csv` (traces) and
/// `spikescope-<preset>-<t>ms-spikes.csv` (spikes) for the time window.
pub fn export(app: &mut App) {
    let now = app.sim.time_s();
    let from = now - app.window_s();
    let base = base_name(app);
    let traces_file = app.export_dir.join(format!("{base}.csv"));
    let spikes_file = app.export_dir.join(format!("{base}-spikes.csv"));
    let probes = &app.traces.probes;
    let header: Vec<String> = std::iter::once("time_s".to_string())
        .chain(
            probes
                .recordables
                .iter()
                .map(|&r| app.sim.model.column_name(r)),
        )
        .collect();
    let start = probes.index_at(from - 1e-12);
    let values: Vec<Vec<f64>> = (0..probes.recordables.len())
        .map(|k| {
            probes
                .samples_between(k, start, now)
                .map(|(_, v)| v)
                .collect()
        })
        .collect();
    let times: Vec<f64> = probes
        .samples_between(0, start, now)
        .map(|(t, _)| t)
        .collect();
    let rows = times.iter().enumerate().map(|(r, &t)| {
        std::iter::once(t)
            .chain(values.iter().map(|v| v[r]))
            .collect::<Vec<f64>>()
    });
    let row_count = times.len();
    // The kept neurons' spikes (those of neurons kept before a change of
    // the selection stay in the ring until it wraps).
    let watch = probes.spike_watch();
    let spikes: Vec<_> = probes
        .spikes()
        .filter(|s| s.time_s >= from && s.time_s <= now)
        .filter(|s| watch.as_ref().is_none_or(|w| w.contains(&s.neuron)))
        .copied()
        .collect();
    // A rate model has no spikes: no spikes file (it was written empty,
    // and the message counted "0 spikes" of a model that has none).
    let fires = app.fires();
    // The traces and the spikes are written together or not at all (a
    // traces file left by a failed export read as an export done).
    let result = csv::csv_file(&traces_file, &header, rows).and_then(|traces| {
        let mut files = vec![traces];
        if fires {
            files.push(csv::spikes_file(&spikes_file, &spikes)?);
        }
        Sink::commit_all(files)
    });
    let what = match app.kind() {
        ModelKind::Network => format!("v and s{}", recorded_neurons(app)),
        ModelKind::Rate => format!("y and z{}", recorded_neurons(app)),
        _ => header[1..].join(","),
    };
    match result {
        Ok(()) => {
            // Changed parameters go with the files' description: the run
            // that reproduces them needs the same `--set`s.
            let changed = if app.changed.is_empty() {
                String::new()
            } else {
                format!(" (parameters changed:{})", app.reproduce_as_set())
            };
            // A large network keeps the spikes of the neurons around the
            // selected one (traces.rs), whole from some time.
            let kept = match &watch {
                Some(w) => format!(" of neurons {}-{}", w.start, w.end - 1),
                None => String::new(),
            };
            let kept_from = match probes.spikes_whole_from(watch.clone().unwrap_or(0..usize::MAX)) {
                Some(t) if t > from => format!(" (kept from {})", super::format::sim_time(t)),
                _ => String::new(),
            };
            let spikes_part = if fires {
                format!(
                    " and {}{kept}{kept_from} to {}",
                    plural(spikes.len() as u64, "spike", "spikes"),
                    spikes_file.display()
                )
            } else {
                String::new()
            };
            // The rows' span where the window no longer reaches back to
            // the run's start (the spikes are of it too: a network's 20476
            // in 350-850 ms read as its whole run's), and their spacing
            // where it is not every step (the probes sample every few
            // steps: a window holds about 2000 samples).
            let span = match (times.first(), times.last()) {
                (Some(&first), Some(&last)) if first > 0.0 => Some(format!(
                    "{} to {}",
                    super::format::time_point(first),
                    super::format::time_point(last)
                )),
                _ => None,
            };
            let every = app.traces.probes.sample_every;
            let every = (every > 1).then(|| {
                format!(
                    "every {}",
                    super::format::duration(every as f64 * app.sim.dt_s())
                )
            });
            let spacing = match [span, every].into_iter().flatten().collect::<Vec<_>>() {
                parts if parts.is_empty() => String::new(),
                parts => format!(" ({})", parts.join(", ")),
            };
            app.say(format!(
                "exported {}{spacing} of {what} to {}{spikes_part}{changed}",
                plural(row_count as u64, "row", "rows"),
                traces_file.display(),
            ))
        }
        Err(e) => app.say_error(format!("export failed, no file written: {e}")),
    }
}
