//! `spikescope run`: a preset simulated without a screen, its traces and
//! spikes written as CSV (each file whole or not at all), then a summary.
//! A run in progress shows how far it is on a terminal, and a signal ends
//! it between two steps with its temporary files removed.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};

use super::progress::Progress;
use super::{Failure, RunArgs};
use crate::figure::{Figure, Format};
use crate::model::AnyModel;
use crate::preset::time::{format_time, in_time_unit};
use crate::preset::{self, Meta, Scenario, bundled};
use crate::sim::csv::{CsvMonitor, StoppedOutputs};
use crate::sim::probe::SpikeCounts;
use crate::sim::sink::{Sink, same_file};
use crate::sim::{RunError, Simulation};
use crate::text::{err_line, out_line, plural};

/// A chunk of steps between two looks at the signals and the progress line
/// takes about this long (the chunk's size adapts).
const CHUNK_TIME: Duration = Duration::from_millis(20);

/// Loads the preset of `run`, with `--dt` applied and checked like the
/// preset's own `dt`.
#[allow(clippy::result_large_err)] // the preset module's error, as there
fn scenario_for_run(args: &RunArgs) -> Result<Scenario, Failure> {
    let mut overrides = args.set.clone();
    // A time with its unit, so that it is not a bare number told as read
    // ("read as 200 µs"); `{:e}` keeps every digit of the f64.
    let dt_override = args.dt.map(|dt| format!("dt=\"{dt:e} s\""));
    overrides.extend(dt_override.clone());
    let name = args.preset.as_deref().unwrap_or(bundled::DEFAULT_ORIGIN);
    let loaded = crate::waiting::while_loading(name, || match &args.preset {
        Some(p) => preset::load(p, &overrides),
        None => preset::load_text(bundled::DEFAULT_ORIGIN, bundled::DEFAULT_PRESET, &overrides),
    });
    if let Ok(scenario) = &loaded {
        let meta = &scenario.meta;
        let origin = preset::origin_without_overrides(&meta.origin, &overrides);
        super::note_bare_times(
            args.preset.as_deref(),
            &args.set,
            (origin, &meta.bare_times),
        );
    }
    // The error names the flag typed, `--dt 1 ms`, not the override it
    // became (`--set dt=1e-3`, a flag the user never gave).
    loaded.map_err(|mut e| {
        // The last: a `--set dt=...` the user gave stays theirs.
        let set = dt_override.as_ref().map(|o| format!("--set {o}"));
        if let (Some(dt), Some(set)) = (args.dt, set)
            && let Some(at) = e.origin.rfind(&set)
        {
            e.origin
                .replace_range(at..at + set.len(), &format!("--dt {}", format_time(dt)));
            // Its value as typed too: `dt` = 200 µs, not the override's
            // "2e-4 s".
            if e.key.as_deref() == Some("dt") {
                e.value = Some(format_time(dt));
            }
        }
        e.into()
    })
}

/// The steps of the run: `--duration` (or the preset's) at the preset's dt,
/// by the rule `check` applies to the preset's own duration (`export` too).
pub(super) fn steps_of(asked: Option<f64>, meta: &Meta, neurons: usize) -> Result<u64, Failure> {
    let duration = asked.unwrap_or(meta.duration_s);
    preset::run_steps(duration, meta.dt_s, neurons).map_err(|e| {
        let what = match asked {
            Some(d) => format!("--duration {}", format_time(d)),
            None => format!("{}: `duration` {}", meta.origin, format_time(duration)),
        };
        Failure::Usage(format!("{what}: {}; valid: {}", e.problem, e.valid))
    })
}

/// Steps between trace rows: `--sample` as a whole number of steps.
pub(super) fn rows_every(sample: Option<f64>, dt: f64) -> Result<u64, Failure> {
    let Some(t) = sample else { return Ok(1) };
    let k = (t / dt).round();
    if k < 1.0 || ((k * dt - t).abs() > 1e-9 * t) {
        // The multiples on either side of it (dt itself below it).
        let below = (t / dt).floor().max(1.0);
        let above = (t / dt).ceil().max(below + 1.0);
        let nearest = if t <= dt {
            format!(
                "{} (dt itself) or {}",
                format_time(dt),
                format_time(2.0 * dt)
            )
        } else {
            format!("{} or {}", format_time(below * dt), format_time(above * dt))
        };
        return Err(Failure::Usage(format!(
            "--sample {} is not a whole number of steps of dt = {}; valid: a multiple of dt, \
             such as {nearest}",
            format_time(t),
            format_time(dt)
        )));
    }
    Ok(k as u64)
}

/// The outputs asked for, refused when two would be one.
pub(super) fn open_outputs(
    out: Option<&str>,
    spikes: Option<&str>,
) -> Result<(Option<Sink>, Option<Sink>), Failure> {
    if let (Some(out), Some(spikes)) = (out, spikes) {
        if out == "-" && spikes == "-" {
            return Err(Failure::Usage(
                "--out and --spikes cannot both be standard output; valid: give one of them a file"
                    .into(),
            ));
        }
        if same_file(out, spikes) {
            return Err(Failure::Usage(format!(
                "--out {out} and --spikes {spikes} are the same file (one would overwrite the \
                 other); valid: two different files"
            )));
        }
    }
    let open = |path: Option<&str>, option: &str| {
        path.map(Sink::open)
            .transpose()
            .with_context(|| option.to_string())
            .map_err(Failure::Run)
    };
    Ok((open(out, "--out")?, open(spikes, "--spikes")?))
}

/// The signals that end a run between two steps: the one caught (0: none).
/// A second signal ends the process at once.
pub(super) fn catch_signals() -> Arc<AtomicUsize> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    use signal_hook::flag;
    let caught = Arc::new(AtomicUsize::new(0));
    let once = Arc::new(AtomicBool::new(false));
    for sig in [SIGINT, SIGTERM, SIGHUP] {
        // The conditional exit first: on the first signal `once` is still
        // false, and the handlers after it set it.
        let _ = flag::register_conditional_shutdown(sig, 128 + sig, once.clone());
        let _ = flag::register(sig, once.clone());
        let _ = flag::register_usize(sig, caught.clone(), sig as usize);
    }
    caught
}

pub(super) fn run(args: &RunArgs) -> Result<(), Failure> {
    let started = Instant::now();
    let (meta, mut sim) = scenario_for_run(args)?.into_simulation();
    let n = sim.model.neuron_count();
    let steps = steps_of(args.duration, &meta, n)?;
    let every = rows_every(args.sample, meta.dt_s)?;
    refuse_plot_over_csv(
        args.plot.as_deref(),
        &[
            ("--out", args.out.as_deref()),
            ("--spikes", args.spikes.as_deref()),
        ],
    )?;
    let plot_path = args.plot.as_ref().map(|p| p.display().to_string());
    refuse_input_as_output(
        ("preset", args.preset.as_deref()),
        &[
            ("--out", args.out.as_deref()),
            ("--spikes", args.spikes.as_deref()),
            ("--plot", plot_path.as_deref()),
        ],
    )?;
    if let (Some(t), AnyModel::Network(net)) = (args.threads, &mut sim.model) {
        net.set_threads(t.into())
            .map_err(|e| Failure::Usage(format!("--threads {t}: {e}")))?;
    }
    let plot = open_plot(args.plot.as_deref())?;
    let (out_sink, spike_sink) = open_outputs(args.out.as_deref(), args.spikes.as_deref())?;
    let mut figure = args
        .plot
        .as_ref()
        .map(|_| Figure::start(&meta, &sim, steps as f64 * meta.dt_s));
    let caught = catch_signals();
    let mut counts = SpikeCounts::new(n);
    let (setup, simulation);
    let sinks = {
        let mut csv = CsvMonitor::new(out_sink, spike_sink, &sim, every)
            .map_err(|e| io_failure(e, "writing CSV"))?;
        csv.write_row(&sim)
            .map_err(|e| io_failure(e, "writing CSV"))?;
        let mut monitors = (
            &mut csv,
            (&mut counts, figure.as_mut().map(|f| &mut f.envelopes)),
        );
        setup = started.elapsed();
        match advance(&mut sim, steps, &mut monitors, &caught) {
            Ok(took) => simulation = took,
            Err(Stop::Signal(signal)) => {
                return Err(Failure::Signal {
                    signal,
                    at: format!("t = {}", format_time(sim.time_s())),
                    left: csv.stop_early(),
                });
            }
            Err(Stop::Run(RunError::Io(e))) => {
                return Err(write_failure(e, &csv.stop_early()));
            }
            Err(Stop::Run(RunError::Unstable(i))) => {
                let hint = input_outside_stable_range(&sim).unwrap_or_default();
                return Err(Failure::Run(anyhow!(
                    "{}: {i}{hint}; {}",
                    meta.origin,
                    super::left_behind(&csv.stop_early())
                )));
            }
        }
        csv.finish().map_err(|(e, left)| write_failure(e, &left))?
    };
    // The files together or neither; the error names the file.
    Sink::commit_all(sinks).map_err(|e| Failure::Run(anyhow!("{e}; no file was written")))?;
    if let (Some(fig), Some((sink, format))) = (&mut figure, plot) {
        fig.write(sink, format, &figure_subtitle(args, &meta, &sim))
            .map_err(Failure::Run)?;
    }
    let output = started.elapsed().saturating_sub(setup + simulation);
    let to_stdout = args.out.is_none() && args.spikes.is_none() && args.plot.is_none();
    summary(&meta, &sim, &counts, to_stdout);
    if args.timing {
        let updates = (n.max(1) as u64).saturating_mul(sim.step_index());
        let helper = match &sim.model {
            AnyModel::Network(net) => net.helper_share(),
            _ => None,
        };
        err_line(&timing_line(
            [setup, simulation, output, started.elapsed()],
            updates,
            n <= 1,
            helper,
        ));
    }
    Ok(())
}

/// `--timing`'s line: set-up, simulation, output and the whole command, and
/// the simulation's speed in neuron-updates (steps, for one neuron) per
/// second of wall time, as the peers report theirs (N x steps / loop time).
/// The process's own start before the command (a millisecond or so) is not
/// in it. A network stepped in two halves says in what share of its steps
/// the helper thread took one (`helper`: how many, of how many); the
/// others ran both here, where its core was busy.
fn timing_line(
    [setup, simulation, output, all]: [Duration; 4],
    updates: u64,
    one: bool,
    helper: Option<(u64, u64)>,
) -> String {
    let wall = |d: Duration| in_time_unit(d.as_secs_f64(), |x| format!("{x:.2}"));
    let per_s = updates as f64 / simulation.as_secs_f64().max(f64::MIN_POSITIVE);
    let unit = if one { "steps/s" } else { "neuron-updates/s" };
    // A share, not a count: a step of many spikes is taken in substeps,
    // each stepped in two halves.
    let threads = helper.map_or(String::new(), |(on, of)| {
        format!(
            "; the helper thread in {:.1}% of the steps",
            100.0 * on as f64 / of.max(1) as f64
        )
    });
    format!(
        "timing: set-up {}, simulation {} ({per_s:.2e} {unit}{threads}), output {}, in all {}",
        wall(setup),
        wall(simulation),
        wall(output),
        wall(all)
    )
}

/// An output naming the file the command reads (the preset, the journal)
/// would overwrite it: `run my.toml --out my.toml` replaced the preset with
/// its CSV. Refused before anything is written.
pub(super) fn refuse_input_as_output(
    (what, input): (&str, Option<&str>),
    outputs: &[(&str, Option<&str>)],
) -> Result<(), Failure> {
    let Some(input) = input.filter(|p| std::path::Path::new(p).is_file()) else {
        return Ok(());
    };
    for (option, path) in outputs {
        if let Some(path) = path
            && same_file(input, path)
        {
            let named = if *path == input {
                String::new()
            } else {
                format!(" ({input})")
            };
            return Err(Failure::Usage(format!(
                "{option} {path} is the {what} being read{named}: it would be overwritten; \
                 valid: another file"
            )));
        }
    }
    Ok(())
}

/// The figure and a CSV in one file would overwrite each other.
/// The figure's file, opened before anything runs (so that a name that is
/// not `.svg` or `.png`, or a folder that does not exist, stops the command
/// before it starts), and its format.
pub(super) fn open_plot(path: Option<&std::path::Path>) -> Result<Option<(Sink, Format)>, Failure> {
    let Some(path) = path else {
        return Ok(None);
    };
    let format = Format::of(path).map_err(Failure::Usage)?;
    let sink = Sink::open(&path.display().to_string())
        .with_context(|| format!("--plot {}", path.display()))
        .map_err(Failure::Run)?;
    Ok(Some((sink, format)))
}

/// `--plot` naming a CSV output's file too is refused before anything runs.
pub(super) fn refuse_plot_over_csv(
    plot: Option<&std::path::Path>,
    csvs: &[(&str, Option<&str>)],
) -> Result<(), Failure> {
    let Some(plot) = plot else {
        return Ok(());
    };
    let plot = plot.to_string_lossy();
    for &(option, csv) in csvs {
        if let Some(csv) = csv
            && same_file(&plot, csv)
        {
            return Err(Failure::Usage(format!(
                "--plot {plot} and {option} {csv} are the same file (one would overwrite the \
                 other); valid: two different files"
            )));
        }
    }
    Ok(())
}

/// What the figure shows, and the command that draws it again.
fn figure_subtitle(args: &RunArgs, meta: &Meta, sim: &Simulation) -> String {
    let mut words = vec!["spikescope".to_string(), "run".into()];
    words.extend(args.preset.clone());
    words.extend([
        "--duration".into(),
        format_time(sim.time_s()).replace(' ', ""),
    ]);
    for o in &args.set {
        words.extend(["--set".into(), o.clone()]);
    }
    if let Some(dt) = args.dt {
        words.extend(["--dt".into(), format_time(dt).replace(' ', "")]);
    }
    let command = crate::text::command_line(&words);
    // A rate network has no spikes to count.
    let spikes = match sim.model {
        crate::model::AnyModel::Rate(_) => String::new(),
        _ => format!(", {}", plural(sim.spike_count, "spike", "spikes")),
    };
    format!(
        "{} simulated at dt = {}{spikes}. Drawn by: {command} --plot FILE",
        format_time(sim.time_s()),
        format_time(meta.dt_s),
    )
}

/// Why the loop stopped early.
pub(super) enum Stop {
    Run(RunError),
    Signal(i32),
}

/// Advances `steps` steps in chunks of about `CHUNK_TIME`, looking at the
/// signals and showing progress between chunks. Returns how long it took.
pub(super) fn advance(
    sim: &mut Simulation,
    steps: u64,
    monitors: &mut dyn crate::sim::Monitor,
    caught: &AtomicUsize,
) -> Result<Duration, Stop> {
    let began = Instant::now();
    let mut progress = Progress::new(steps, sim.dt_s()).after_step(sim.step_index());
    let (mut done, mut chunk) = (0u64, 16u64);
    while done < steps {
        let n = chunk.min(steps - done);
        let started = Instant::now();
        sim.advance(n, monitors).map_err(Stop::Run)?;
        done += n;
        let signal = caught.load(Ordering::Relaxed);
        if signal != 0 {
            progress.clear();
            return Err(Stop::Signal(signal as i32));
        }
        progress.show(done);
        let took = started.elapsed();
        if took < CHUNK_TIME / 2 {
            chunk = chunk.saturating_mul(2);
        } else if took > CHUNK_TIME * 2 {
            chunk = (chunk / 2).max(1);
        }
    }
    progress.clear();
    Ok(began.elapsed())
}

/// An output that could not be written (a full disk), named, with what the
/// outputs hold: the files are given up, a stream has the rows up to then.
pub(super) fn write_failure(e: io::Error, left: &StoppedOutputs) -> Failure {
    match io_failure(e, "writing CSV") {
        Failure::Run(e) => Failure::Run(anyhow!("{e:#}; {}", super::left_behind(left))),
        other => other,
    }
}

pub(super) fn io_failure(e: io::Error, what: &str) -> Failure {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Failure::BrokenPipe
    } else {
        Failure::Run(anyhow::Error::new(e).context(what.to_string()))
    }
}

/// What was simulated and, per neuron (at most 20), its spikes and mean
/// rate, or a rate neuron's activity and input; to standard output when no
/// CSV goes there, else to standard error.
pub(super) fn summary(meta: &Meta, sim: &Simulation, counts: &SpikeCounts, to_stdout: bool) {
    let simulated = sim.time_s();
    // A rate network has no spikes to count: its neurons' y and z follow.
    let counted = match sim.model {
        AnyModel::Rate(_) => String::new(),
        _ => format!("; {}", plural(sim.spike_count, "spike", "spikes")),
    };
    let mut lines = vec![format!(
        "{}: {} simulated in {} of {}{counted}",
        meta.name,
        format_time(simulated),
        plural(sim.step_index(), "step", "steps"),
        format_time(sim.dt_s()),
    )];
    let per_s = 1.0 / simulated.max(f64::MIN_POSITIVE);
    let n = sim.model.neuron_count();
    for i in 0..n.min(20) {
        lines.push(match &sim.model {
            // By number and name, as a network's neurons are (`neuron 0
            // b=-2`: an unnamed node's name is its bias as given).
            AnyModel::Rate(r) => format!(
                "  neuron {i} {}: y {}, z {}",
                r.name(i, crate::text::exact_number),
                ryu::Buffer::new().format(r.y[i]),
                ryu::Buffer::new().format(r.z[i])
            ),
            model => {
                let c = counts.per_neuron[i];
                let spikes = plural(c, "spike", "spikes");
                // Named as the screen names them: the synapse model's one
                // row is its input train (neuron 0 in its spikes CSV), a
                // network's neurons carry their preset's names.
                let who = match model {
                    AnyModel::Synapse(_) => "input".to_string(),
                    AnyModel::Network(net) if net.names()[i] != i.to_string() => {
                        format!("neuron {i} {}", net.names()[i])
                    }
                    _ => format!("neuron {i}"),
                };
                format!("  {who}: {spikes}, {:.3} Hz", c as f64 * per_s)
            }
        });
    }
    if let AnyModel::Synapse(bank) = &sim.model {
        for (name, f) in bank.names.iter().zip(&bank.filters) {
            lines.push(format!(
                "  s({name}) at the end: {} 1/s",
                ryu::Buffer::new().format(f.output())
            ));
        }
    }
    if n > 20 {
        lines.push(if let AnyModel::Rate(_) = sim.model {
            format!("  ... {n} neurons")
        } else {
            let total: u64 = counts.per_neuron.iter().sum();
            let mean = total as f64 / n as f64 * per_s;
            format!("  ... {n} neurons, mean rate {mean:.3} Hz")
        });
    }
    let text = lines.join("\n");
    if to_stdout {
        out_line(&text);
    } else {
        err_line(&text);
    }
}

/// Where an HH neuron blew up driven outside the inputs its integrator
/// holds at this dt (`HhMethod::stable_input_range`), the input of the last
/// step and that range, as the oscilloscope refuses such an input: the
/// run cannot know it in advance (a stimulus may reach it late, and RK4
/// holds some inputs past the range from a carried state).
pub(super) fn input_outside_stable_range(sim: &Simulation) -> Option<String> {
    let AnyModel::Hh(n) = &sim.model else {
        return None;
    };
    if n.clamp {
        return None;
    }
    let x = sim.input().first().copied().unwrap_or(0.0);
    let ((lo, hi), _) = crate::ui::model_info::input_range(sim);
    if x >= lo && x <= hi {
        return None;
    }
    let (name, unit) = crate::ui::model_info::input_label(sim);
    let c = crate::ui::format::compact;
    Some(format!(
        "; {name} was {} {unit}, outside {} to {} {unit}, the inputs hh.method = \"{}\" holds \
         stably at dt = {}: lower the input or dt",
        c(x),
        c(lo),
        c(hi),
        crate::named::Named::name(n.method),
        format_time(sim.dt_s())
    ))
}
