//! The command line (SPEC section 1) and the headless commands.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::model::AnyModel;
use crate::preset::{self, PresetError, Scenario, bundled, time::parse_time};
use anyhow::{Context, anyhow};

use crate::named::Named;
use crate::preset::Meta;
use crate::sim::csv::{CsvMonitor, Sink, sink_writer};
use crate::sim::probe::SpikeCounts;
use crate::sim::{RunError, Simulation};

#[derive(Debug, Parser)]
#[command(
    name = "spikescope",
    version,
    about = "A terminal oscilloscope for neuron models: Hodgkin-Huxley, LIF and LIF networks",
    after_help = "In the oscilloscope press ? for the keys and a for what the preset shows.",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A preset to open: a bundled name (see `spikescope presets`) or a path
    /// to a .toml file. Without it the built-in default opens (HH).
    pub preset: Option<String>,
    #[command(flatten)]
    pub ui: crate::ui::Options,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate without a screen and write CSV.
    Run(RunArgs),
    /// Validate preset files and print what is wrong.
    Check {
        /// Preset files or bundled names.
        #[arg(required = true)]
        presets: Vec<String>,
    },
    /// List the bundled presets: name, then description.
    Presets,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// A bundled preset name or a .toml path (default: the built-in HH).
    pub preset: Option<String>,
    /// Simulated time, e.g. 0.5 or "200 ms" (default: the preset's duration).
    #[arg(long, value_parser = time_arg)]
    pub duration: Option<f64>,
    /// Integration step (default: the preset's dt, else the model's default).
    #[arg(long, value_parser = time_arg)]
    pub dt: Option<f64>,
    /// Override one preset key: KEY=VALUE, KEY dotted (stimulus.amplitude=12).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Traces CSV (`-` for standard output).
    #[arg(long)]
    pub out: Option<String>,
    /// Spikes CSV (`-` for standard output).
    #[arg(long)]
    pub spikes: Option<String>,
    /// Interval between trace rows (default: every step); a multiple of dt.
    #[arg(long, value_parser = time_arg)]
    pub sample: Option<f64>,
    /// Threads for a network of 4,096 neurons or more with a first-order PSC
    /// filter: 1, or 2 (the default where there are two cores). The results
    /// are the same either way.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=2))]
    pub threads: Option<u8>,
}

fn time_arg(s: &str) -> Result<f64, String> {
    let t = parse_time(s)?;
    if t.is_finite() && t > 0.0 {
        Ok(t)
    } else {
        Err(format!("\"{s}\" must be a time greater than 0"))
    }
}

pub use crate::exit::{EXIT_FAILURE, EXIT_USAGE};

/// Runs a headless command; the oscilloscope is dispatched by `main`.
pub fn run_command(cmd: Command) -> ExitCode {
    match cmd {
        Command::Presets => {
            let mut out = io::stdout().lock();
            for (name, text) in bundled::BUNDLED {
                let (_, description) = preset::description_of(text);
                if writeln!(out, "{name}\t{description}").is_err() {
                    break;
                }
            }
            ExitCode::SUCCESS
        }
        Command::Check { presets } => check(&presets),
        Command::Run(args) => match run(&args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(Failure::Usage(e)) => {
                eprintln!("error: {e}");
                ExitCode::from(EXIT_USAGE)
            }
            Err(Failure::Run(e)) => {
                eprintln!("error: {e:#}");
                ExitCode::from(EXIT_FAILURE)
            }
            Err(Failure::BrokenPipe) => ExitCode::SUCCESS,
        },
    }
}

fn check(presets: &[String]) -> ExitCode {
    let mut bad = 0;
    for p in presets {
        match preset::load(p, &[]) {
            Ok(s) => {
                let n = s.model.neuron_count();
                let plural = if n == 1 { "" } else { "s" };
                println!("{p}: ok ({}, {n} neuron{plural})", s.model.kind().name());
            }
            Err(e) => {
                bad += 1;
                eprintln!("error: {e}");
            }
        }
    }
    if bad == 0 {
        ExitCode::SUCCESS
    } else {
        eprintln!("{bad} of {} presets invalid", presets.len());
        ExitCode::from(EXIT_USAGE)
    }
}

enum Failure {
    /// What was asked for cannot be run (exit code 2).
    Usage(String),
    /// The run failed: the cause with what was being done (exit code 1).
    Run(anyhow::Error),
    /// The reader of standard output left: not an error.
    BrokenPipe,
}

impl From<PresetError> for Failure {
    fn from(e: PresetError) -> Self {
        Failure::Usage(e.to_string())
    }
}

fn io_failure(e: io::Error, what: &str) -> Failure {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Failure::BrokenPipe
    } else {
        Failure::Run(anyhow::Error::new(e).context(what.to_string()))
    }
}

/// Loads the preset of `run`, with `--dt` applied and checked like the
/// preset's own `dt`.
fn scenario_for_run(args: &RunArgs) -> Result<Scenario, Failure> {
    let mut overrides = args.set.clone();
    if let Some(dt) = args.dt {
        overrides.push(format!("dt={dt:e}"));
    }
    Ok(match &args.preset {
        Some(p) => preset::load(p, &overrides)?,
        None => preset::load_text("built-in default", bundled::DEFAULT_PRESET, &overrides)?,
    })
}

fn run(args: &RunArgs) -> Result<(), Failure> {
    let (meta, mut sim) = scenario_for_run(args)?.into_simulation();
    let dt = meta.dt_s;
    let duration = args.duration.unwrap_or(meta.duration_s);
    let steps = (duration / dt).round();
    if steps > u64::MAX as f64 / 2.0 {
        return Err(Failure::Usage(format!(
            "--duration {duration} s at dt {dt} s is too many steps"
        )));
    }
    let steps = steps as u64;
    let every = match args.sample {
        None => 1,
        Some(t) => {
            let k = (t / dt).round();
            if k < 1.0 || ((k * dt - t).abs() > 1e-9 * t) {
                return Err(Failure::Usage(format!(
                    "--sample {t} s is not a whole number of steps of dt = {dt} s; valid: a multiple of dt"
                )));
            }
            k as u64
        }
    };
    if args.out.as_deref() == Some("-") && args.spikes.as_deref() == Some("-") {
        return Err(Failure::Usage(
            "--out and --spikes cannot both be standard output; valid: give one of them a file"
                .into(),
        ));
    }
    let open = |path: Option<&str>, option: &str| {
        path.map(Sink::open)
            .transpose()
            .with_context(|| option.to_string())
            .map_err(Failure::Run)
    };
    let mut out_sink = open(args.out.as_deref(), "--out")?;
    let mut spike_sink = open(args.spikes.as_deref(), "--spikes")?;
    if let (Some(t), AnyModel::Network(net)) = (args.threads, &mut sim.model) {
        net.set_threads(t.into());
    }
    let mut counts = SpikeCounts::new(sim.model.neuron_count());
    {
        let traces = out_sink
            .as_mut()
            .map(sink_writer)
            .transpose()
            .map_err(|e| io_failure(e, "--out"))?;
        let spikes = spike_sink
            .as_mut()
            .map(sink_writer)
            .transpose()
            .map_err(|e| io_failure(e, "--spikes"))?;
        let mut csv = CsvMonitor::new(traces, spikes, &sim, every)
            .map_err(|e| io_failure(e, "writing CSV"))?;
        csv.write_row(&sim)
            .map_err(|e| io_failure(e, "writing CSV"))?;
        match sim.advance(steps, &mut (&mut csv, &mut counts)) {
            Ok(()) => {}
            Err(RunError::Io(e)) => return Err(io_failure(e, "writing CSV")),
            Err(RunError::Unstable(i)) => {
                return Err(Failure::Run(anyhow!(
                    "{}: {i}; no output was written",
                    meta.origin
                )));
            }
        }
        csv.finish().map_err(|e| io_failure(e, "writing CSV"))?;
    }
    for sink in [out_sink, spike_sink].into_iter().flatten() {
        let target = sink.target().map(|p| p.display().to_string());
        sink.commit()
            .with_context(|| target.unwrap_or_default())
            .map_err(Failure::Run)?;
    }
    summary(
        &meta,
        &sim,
        &counts,
        duration,
        args.out.is_none() && args.spikes.is_none(),
    )
    .map_err(|e| io_failure(e, "writing the summary"))
}

/// One line per neuron (at most 20): spikes and mean rate; to stdout when no
/// CSV goes there, else to stderr.
fn summary(
    meta: &Meta,
    sim: &Simulation,
    counts: &SpikeCounts,
    duration: f64,
    to_stdout: bool,
) -> io::Result<()> {
    let mut text = format!(
        "{}: {} simulated in {} steps of {}; {} spike{}\n",
        meta.name,
        preset::time::format_time(sim.time_s()),
        sim.step_index(),
        preset::time::format_time(sim.dt_s()),
        sim.spike_count,
        if sim.spike_count == 1 { "" } else { "s" }
    );
    let n = sim.model.neuron_count();
    let counts = &counts.per_neuron;
    for (i, c) in counts.iter().enumerate().take(20) {
        text.push_str(&format!(
            "  neuron {i}: {c} spike{}, {:.3} Hz\n",
            if *c == 1 { "" } else { "s" },
            *c as f64 / duration.max(f64::MIN_POSITIVE)
        ));
    }
    if n > 20 {
        let total: u64 = counts.iter().sum();
        text.push_str(&format!(
            "  ... {} neurons, mean rate {:.3} Hz\n",
            n,
            total as f64 / n as f64 / duration.max(f64::MIN_POSITIVE)
        ));
    }
    if to_stdout {
        io::stdout().lock().write_all(text.as_bytes())
    } else {
        io::stderr().lock().write_all(text.as_bytes())
    }
}
