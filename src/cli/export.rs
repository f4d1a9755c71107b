//! `spikescope export PRESET --to nest|pynn [--set KEY=VALUE]... [--out
//! FILE]`: the network as a standalone script for NEST or PyNN and its data
//! file beside it (`FILE` with `.data` for `.py`), each written whole or
//! not at all.

use std::path::Path;

use std::io::Write as _;

use anyhow::Context;

use super::{ExportArgs, Failure};
use crate::export::{Names, Target, export};
use crate::named::Named;
use crate::preset::{self, time::format_time};
use crate::sim::sink::Sink;
use crate::text::{err_line, plural, printable};

#[allow(clippy::result_large_err)] // the preset module's error, as there
pub(super) fn run(args: &ExportArgs) -> Result<(), Failure> {
    let scenario =
        crate::waiting::while_loading(&args.preset, || preset::load(&args.preset, &args.set))?;
    let origin = preset::origin_without_overrides(&scenario.meta.origin, &args.set);
    super::note_bare_times(
        Some(&args.preset),
        &args.set,
        (origin, &scenario.meta.bare_times),
    );
    let (meta, sim) = scenario.into_simulation();
    // The run's whole steps, as `run` takes them: NEST simulates a whole
    // number of its resolution steps, and refuses any other time.
    let steps = super::run::steps_of(args.duration, &meta, sim.model.neuron_count())?;
    let duration = steps as f64 * sim.dt_s();
    let default = format!(
        "spikescope-{}-{}.py",
        crate::ui::export::file_stem(preset::origin_without_overrides(&meta.origin, &args.set)),
        args.to.name()
    );
    let script_path = args.out.clone().unwrap_or(default);
    // The data file and the spikes the script writes are named from the
    // script's name without its one `.py` (`a.py.py` keeps `a.py`).
    let stem = match script_path.strip_suffix(".py") {
        Some(stem) if !stem.is_empty() && !stem.ends_with(std::path::is_separator) => stem,
        _ => {
            return Err(Failure::Usage(format!(
                "--out {}: not a Python script's name; valid: a name ending in .py, e.g. \
                 network.py (its data file goes beside it: network.data)",
                printable(&script_path, false)
            )));
        }
    };
    let data_path = format!("{stem}.data");
    let file_name = |p: &str| {
        Path::new(p)
            .file_name()
            .map_or(p.to_string(), |f| f.to_string_lossy().into_owned())
    };
    let names = Names {
        script: &file_name(&script_path),
        data: &file_name(&data_path),
        spikes: &file_name(&format!("{stem}-spikes.csv")),
    };
    let exported =
        export(&meta, &sim, &args.set, duration, args.to, &names).map_err(Failure::Usage)?;
    // The script and its data, both or neither: a script left without its
    // data would fail when run.
    let script = file_with(&script_path, |w| w.write_all(exported.script.as_bytes()))
        .with_context(|| script_path.clone())
        .map_err(Failure::Run)?;
    let data = file_with(&data_path, |w| exported.data.write_to(w))
        .with_context(|| data_path.clone())
        .map_err(Failure::Run)?;
    Sink::commit_all(vec![script, data])
        .context("no file written")
        .map_err(Failure::Run)?;
    let to = match args.to {
        Target::Nest => "NEST 3",
        Target::Pynn => "PyNN 0.13 on NEST",
    };
    err_line(&format!(
        "{}: {}, {}, {} at dt = {} for {to}: wrote {} and {}; run \
         `python3 {}` (threads: --threads T; MPI: mpirun -np K python3 {})",
        meta.name,
        plural(exported.neurons as u64, "neuron", "neurons"),
        plural(exported.connections as u64, "connection", "connections"),
        format_time(duration),
        format_time(sim.dt_s()),
        printable(&script_path, false),
        printable(&data_path, false),
        printable(&script_path, false),
        printable(&script_path, false),
    ));
    Ok(())
}

/// What `write` writes into `path`'s temporary file, to be put in place
/// with the other file (`Sink::commit_all`).
fn file_with(
    path: &str,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> std::io::Result<Sink> {
    let mut sink = Sink::open(path)?;
    {
        let mut w = sink.writer()?;
        write(&mut w)?;
        w.flush()?;
    }
    Ok(sink)
}
