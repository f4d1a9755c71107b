//! The command line (SPEC section 1) and the headless commands.

mod check;
mod export;
mod misread;
mod progress;
mod replay;
mod run;
mod sweep;
mod threshold;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::named::Named;
use crate::preset::{self, PresetError, bundled, time::parse_time};
use crate::sim::csv::StoppedOutputs;
use crate::text::{err_line, out_line, printable};

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

impl Cli {
    /// The command line, or the exit status after saying why it is not
    /// one (clap's help and version printed, or its error, or where the
    /// words most likely meant something else, what: `misread`).
    pub fn parse_or_explain() -> Result<Self, ExitCode> {
        let args: Vec<String> = std::env::args_os()
            .skip(1)
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        let said = |message: &str| {
            err_line(&format!("error: {message}"));
            ExitCode::from(2)
        };
        match Cli::try_parse() {
            Ok(cli) if cli.command.is_none() => match misread::misread(&args) {
                Some(message) => Err(said(&message)),
                None => Ok(cli),
            },
            Ok(cli) => Ok(cli),
            Err(e) if e.use_stderr() => Err(match misread::misread(&args) {
                Some(message) => said(&message),
                // clap's errors quote our parsers' messages, which name units
                // (`500 µs`): outside a UTF-8 locale they go out in ASCII, as
                // every other line does (clap's own help and version are ASCII).
                None if !crate::text::utf8_output() => {
                    err_line(e.to_string().trim_end());
                    ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2))
                }
                None => e.exit(),
            }),
            Err(e) => e.exit(),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate without a screen and write CSV.
    Run(RunArgs),
    /// Validate preset files and print what is wrong.
    Check {
        /// Preset files or bundled names; a folder checks the .toml files in it.
        #[arg(required = true)]
        presets: Vec<String>,
    },
    /// List the bundled presets: name, then description.
    Presets,
    /// Step a preset key through values, each from the state the last one
    /// ended in, and write the firing rate at each (an f-I curve).
    Sweep(SweepArgs),
    /// Find where firing starts: the value of a preset key between silence
    /// and a spike, by bisection, each trial a run from the preset's start;
    /// against a second key, a curve (strength-duration).
    Threshold(ThresholdArgs),
    /// Play a session recorded with --record: in the oscilloscope, or
    /// without a screen into CSV with --out and --spikes.
    Replay(ReplayArgs),
    /// Write a network preset as a standalone Python script for NEST 3 or
    /// PyNN 0.13, with its drawn network in a data file beside it.
    Export(ExportArgs),
    /// Open a recorded spike file in the oscilloscope: spikescope's CSV
    /// (`run --spikes`, merged MPI output) or NEST's spike_recorder ASCII.
    View {
        /// The spike file, or several read as one (NEST's file per thread,
        /// the ranks' files of an MPI run, stretches of one run's time); two
        /// runs are viewed each on its own.
        #[arg(required = true)]
        files: Vec<String>,
        /// The neurons to view, FIRST-LAST (or one number), by their
        /// numbers in the file (NEST's node IDs): the others' spikes are
        /// left out. Default:
        /// spikescope's from 0, NEST's from the first node that spiked; to
        /// the last that spiked
        #[arg(long, value_name = "FIRST-LAST")]
        neurons: Option<crate::lab::recording::NeuronRange>,
        #[command(flatten)]
        screen: crate::ui::ScreenOptions,
    },
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// A bundled preset name or a .toml path (a LIF network).
    pub preset: String,
    /// nest (PyNEST 3) or pynn (PyNN 0.13 on NEST).
    #[arg(long, value_parser = named_arg::<crate::export::Target>)]
    pub to: crate::export::Target,
    /// Override one preset key: KEY=VALUE.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Simulated time (default: the preset's duration).
    #[arg(long, value_parser = time_arg, allow_hyphen_values = true)]
    pub duration: Option<f64>,
    /// The script (default spikescope-PRESET-TO.py); its data goes
    /// beside it with .data for .py.
    #[arg(long)]
    pub out: Option<String>,
}

#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// The journal a session recorded (`spikescope PRESET --record FILE`).
    pub journal: String,
    /// Traces CSV of the last run (`-` for standard output); with --out or
    /// --spikes the replay runs without a screen.
    #[arg(long)]
    pub out: Option<String>,
    /// Spikes CSV of the last run (`-` for standard output).
    #[arg(long)]
    pub spikes: Option<String>,
    /// Interval between trace rows (default: every step); a multiple of dt.
    #[arg(long, value_parser = time_arg, allow_hyphen_values = true)]
    pub sample: Option<f64>,
    #[command(flatten)]
    pub screen: crate::ui::ScreenOptions,
}

#[derive(Debug, Args)]
pub struct SweepArgs {
    /// A bundled preset name or a .toml path.
    pub preset: String,
    /// The numeric preset key to sweep, dotted: stimulus.amplitude, hh.g_na,
    /// hh.temperature, lif.tau_ref (a time: in seconds, or with its unit);
    /// a list's element by its index from 0: `network.bias[2]`.
    #[arg(long, value_name = "KEY")]
    pub param: String,
    /// The first value (a time may carry its unit: "1 ms").
    #[arg(long, value_parser = sweep::bound_arg, allow_hyphen_values = true)]
    pub from: sweep::Bound,
    /// The last value.
    #[arg(long, value_parser = sweep::bound_arg, allow_hyphen_values = true)]
    pub to: sweep::Bound,
    /// The step between values (above 0).
    #[arg(long, value_parser = sweep::bound_arg, allow_hyphen_values = true)]
    pub step: sweep::Bound,
    /// up, down (from --to to --from), or both (up, then down from where up
    /// ended).
    #[arg(long, default_value = "up", value_parser = named_arg::<crate::lab::sweep::Direction>)]
    pub direction: crate::lab::sweep::Direction,
    /// Settling time after each change of value (default 500 ms).
    #[arg(long, value_parser = time_arg_or_zero, allow_hyphen_values = true)]
    pub settle: Option<f64>,
    /// Measurement window after the settling time (default 2 s).
    #[arg(long, value_parser = time_arg, allow_hyphen_values = true)]
    pub measure: Option<f64>,
    /// The neuron whose rate is measured (default: the preset's selected
    /// neuron, else 0).
    #[arg(long)]
    pub neuron: Option<usize>,
    /// Override one preset key: KEY=VALUE, applied before the swept key.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// The CSV (`-` or left out: standard output).
    #[arg(long)]
    pub out: Option<String>,
    /// Draw the rate against the swept value: FILE.svg or FILE.png (each
    /// leg its own line and marks; for a LIF neuron with a constant input,
    /// G(v_in) in closed form under the points).
    #[arg(long, value_name = "FILE")]
    pub plot: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct ThresholdArgs {
    /// A bundled preset name or a .toml path.
    pub preset: String,
    /// The numeric preset key whose threshold is sought, dotted:
    /// stimulus.amplitude, hh.g_na, lif.tau_ref (a time: in seconds, or
    /// with its unit); a list's element by its index from 0:
    /// `network.bias[2]`.
    #[arg(long, value_name = "KEY")]
    pub param: String,
    /// A value of --param on each side of the threshold, in either order:
    /// the search halves the interval between them.
    #[arg(long, num_args = 2, value_names = ["A", "B"], required = true,
          value_parser = sweep::bound_arg, allow_hyphen_values = true)]
    pub between: Vec<sweep::Bound>,
    /// A second key stepped from --from to --to by --step, a threshold at
    /// each value (stimulus.width: the strength-duration curve).
    #[arg(long, value_name = "KEY", requires_all = ["from", "to", "step"])]
    pub against: Option<String>,
    /// The first value of --against (a time may carry its unit: "1 ms").
    #[arg(long, value_parser = sweep::bound_arg, allow_hyphen_values = true, requires = "against")]
    pub from: Option<sweep::Bound>,
    /// The last value of --against.
    #[arg(long, value_parser = sweep::bound_arg, allow_hyphen_values = true, requires = "against")]
    pub to: Option<sweep::Bound>,
    /// The step between values of --against (above 0).
    #[arg(long, value_parser = sweep::bound_arg, allow_hyphen_values = true, requires = "against")]
    pub step: Option<sweep::Bound>,
    /// The neuron that must fire (default: the preset's selected neuron,
    /// else 0).
    #[arg(long)]
    pub neuron: Option<usize>,
    /// Override one preset key: KEY=VALUE (duration="50 ms": how long each
    /// trial may take to fire).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// The CSV (`-` or left out: standard output).
    #[arg(long)]
    pub out: Option<String>,
    /// Draw the thresholds against --against's values, FILE.svg or FILE.png
    /// (for a LIF neuron's one pulse, the closed form under them); without
    /// --against, the membrane potential of a trial either side of the
    /// threshold, one firing and one silent.
    #[arg(long, value_name = "FILE")]
    pub plot: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// A bundled preset name or a .toml path (default: the built-in HH).
    pub preset: Option<String>,
    /// Simulated time, e.g. 0.5 or "200 ms" (default: the preset's duration).
    #[arg(long, value_parser = time_arg, allow_hyphen_values = true)]
    pub duration: Option<f64>,
    /// Integration step (default: the preset's dt, else the model's default).
    #[arg(long, value_parser = time_arg, allow_hyphen_values = true)]
    pub dt: Option<f64>,
    /// Override one preset key: KEY=VALUE, KEY dotted (stimulus.amplitude=12),
    /// a list's element by its index from 0 (`network.weights[2][0]=0.05`).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Traces CSV (`-` for standard output).
    #[arg(long)]
    pub out: Option<String>,
    /// Spikes CSV (`-` for standard output).
    #[arg(long)]
    pub spikes: Option<String>,
    /// Interval between trace rows (default: every step); a multiple of dt.
    #[arg(long, value_parser = time_arg, allow_hyphen_values = true)]
    pub sample: Option<f64>,
    /// Draw the run as a figure: FILE.svg or FILE.png (the oscilloscope's
    /// panes for the model, labelled, for a page).
    #[arg(long, value_name = "FILE")]
    pub plot: Option<std::path::PathBuf>,
    /// Threads for a network of 4,096 neurons or more with a first-order PSC
    /// filter: 1, or 2 (the default where there are two cores). The results
    /// are the same either way. One only with network.in_step_resolve =
    /// "always".
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=2))]
    pub threads: Option<u8>,
    /// After the summary, say on standard error where the run's time went:
    /// set-up (preset, model, outputs opened), simulation (the steps),
    /// output (the files finished and put in place), and in all.
    #[arg(long)]
    pub timing: bool,
}

fn time_arg(s: &str) -> Result<f64, String> {
    let t = finite_time(s)?;
    if t > 0.0 {
        Ok(t)
    } else {
        Err(format!("\"{s}\" must be a time greater than 0"))
    }
}

/// A time of 0 or more (a settling time may be none).
fn time_arg_or_zero(s: &str) -> Result<f64, String> {
    let t = finite_time(s)?;
    if t >= 0.0 {
        Ok(t)
    } else {
        Err(format!("\"{s}\" must be a time of 0 or more"))
    }
}

/// A time that is a number at all: `1e400` overflows to infinity, which
/// "must be greater than 0" would misname.
fn finite_time(s: &str) -> Result<f64, String> {
    let t = parse_time(s)?;
    if t.is_finite() {
        Ok(t)
    } else {
        Err(format!(
            "\"{s}\" is not a finite time (it overflows a 64-bit float)"
        ))
    }
}

/// A time given as a number without a unit, said on standard error as it
/// is read (SPEC 1: seconds): `--set lif.tau_m=20`, or `tau_m = 20` in the
/// preset itself (those of its times that look meant in milliseconds,
/// `preset::time::BareTime`), meant as milliseconds would otherwise run a
/// neuron with a 20 s membrane and say nothing. `file` is the preset as
/// named and the bare times its loading found.
pub(super) fn note_bare_times(
    preset_arg: Option<&str>,
    overrides: &[String],
    file: (&str, &[preset::time::BareTime]),
) {
    let (origin, in_file) = file;
    for b in in_file.iter().filter(|b| !b.by_set) {
        err_line(&printable(&b.note(origin), false));
    }
    let bare: Vec<(&str, &str, f64)> = overrides
        .iter()
        .filter_map(|o| {
            let (key, value) = o.split_once('=')?;
            let seconds = value.trim().parse::<f64>().ok()?;
            seconds
                .is_finite()
                .then_some((o.as_str(), key.trim(), seconds))
        })
        .collect();
    if bare.is_empty() {
        return;
    }
    let text = match preset_arg {
        Some(p) => match preset::PresetSource::resolve(p, &[]) {
            Ok(source) => source.text,
            Err(_) => return,
        },
        None => bundled::DEFAULT_PRESET.to_string(),
    };
    for (set, key, seconds) in bare {
        if preset::takes_a_time(&text, key) {
            err_line(&format!(
                "note: --set {}: read as {}, a time without a unit being in seconds",
                printable(set, false),
                preset::time::format_time(seconds)
            ));
        }
    }
}

/// One of an enum's names.
fn named_arg<T: Named>(s: &str) -> Result<T, String> {
    T::from_name(s).ok_or_else(|| format!("\"{s}\": valid: one of {}", T::names().join(", ")))
}

pub use crate::exit::{EXIT_FAILURE, EXIT_USAGE};

/// The bundled presets, a line each as `name<TAB>description`, or with a
/// terminal `width` in two columns, each description wrapped at words
/// beside its name (a name too long for the column on a line of its own):
/// at 80 columns the tab lines broke inside words.
pub fn presets_listing(width: Option<usize>) -> Vec<String> {
    let entries = bundled::BUNDLED
        .iter()
        .map(|(name, text)| (*name, preset::description_of(text).1));
    let Some(width) = width else {
        return entries
            .map(|(name, description)| format!("{name}\t{description}"))
            .collect();
    };
    const NAME_COLUMN: usize = 20;
    let indent = " ".repeat(NAME_COLUMN + 2);
    let mut lines = Vec::new();
    for (name, description) in entries {
        let wrapped = crate::ui::words::wrap_words(
            &description,
            width.saturating_sub(NAME_COLUMN + 2).max(20),
        );
        let mut rest = wrapped.iter();
        if name.chars().count() <= NAME_COLUMN {
            let first = rest.next().map_or("", String::as_str);
            lines.push(
                format!("{name:<NAME_COLUMN$}  {first}")
                    .trim_end()
                    .to_string(),
            );
        } else {
            lines.push(name.to_string());
        }
        lines.extend(rest.map(|l| format!("{indent}{l}")));
    }
    lines
}

/// Runs a headless command; the oscilloscope is dispatched by `main`.
/// Nothing here panics on a closed standard output or error.
pub fn run_command(cmd: Command) -> ExitCode {
    match cmd {
        Command::Presets => {
            // Aligned and wrapped at words for a person at a terminal; a
            // tab between name and description for a pipe.
            let width = std::io::stdout()
                .is_terminal()
                .then(|| terminal_size::terminal_size_of(std::io::stdout()))
                .flatten()
                .map(|(w, _)| usize::from(w.0));
            for line in presets_listing(width) {
                if !out_line(&line) {
                    break;
                }
            }
            ExitCode::SUCCESS
        }
        Command::Check { presets } => check::check(&presets),
        Command::Run(args) => exit_code(run::run(&args)),
        Command::Sweep(args) => exit_code(sweep::sweep(&args)),
        Command::Threshold(args) => exit_code(threshold::threshold(&args)),
        Command::Replay(args) if args.out.is_none() && args.spikes.is_none() => {
            if args.sample.is_some() {
                err_line("error: --sample sets the CSV's rows; valid: with --out FILE");
                return ExitCode::from(EXIT_USAGE);
            }
            crate::ui::run_replay(std::path::Path::new(&args.journal), &args.screen)
        }
        Command::Replay(args) => exit_code(replay::replay(&args)),
        Command::Export(args) => exit_code(export::run(&args)),
        Command::View {
            files,
            neurons,
            screen,
        } => crate::ui::viewer::run_view(&files, neurons, &screen),
    }
}

/// The exit status of a headless command, its message on standard error.
fn exit_code(result: Result<(), Failure>) -> ExitCode {
    match result {
        Ok(()) | Err(Failure::BrokenPipe) => ExitCode::SUCCESS,
        Err(Failure::Usage(e)) => {
            err_line(&format!("error: {e}"));
            ExitCode::from(EXIT_USAGE)
        }
        Err(Failure::Run(e)) => {
            err_line(&format!("error: {e:#}"));
            ExitCode::from(EXIT_FAILURE)
        }
        Err(Failure::Signal { signal, at, left }) => {
            use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
            let name = match signal {
                SIGINT => "SIGINT".to_string(),
                SIGTERM => "SIGTERM".to_string(),
                SIGHUP => "SIGHUP".to_string(),
                other => format!("signal {other}"),
            };
            let kept = if left.files_given_up {
                " (files that existed are as they were)"
            } else {
                ""
            };
            err_line(&format!(
                "spikescope: stopped by {name} at {at}; {}{kept}",
                left_behind(&left)
            ));
            ExitCode::from(128 + signal as u8)
        }
    }
}

/// Why a command stopped.
enum Failure {
    /// What was asked for cannot be run (exit code 2).
    Usage(String),
    /// The run failed: the cause with what was being done (exit code 1).
    Run(anyhow::Error),
    /// The reader of every output left: not an error.
    BrokenPipe,
    /// SIGINT, SIGTERM or SIGHUP at `at` (the simulated time, `t = 1.2 s`,
    /// or a threshold's search, `search 3 of 20`; exit code 128 + the
    /// signal's number); the outputs' temporary files are removed, and
    /// `left` says what the streams hold.
    Signal {
        signal: i32,
        at: String,
        left: StoppedOutputs,
    },
}

/// What a run that stopped early (unstable, or a signal) says of its
/// outputs: a file is written whole or not at all, but what went to
/// standard output or a pipe cannot be taken back, and is there up to the
/// stop.
pub(super) fn left_behind(left: &StoppedOutputs) -> String {
    let names = match left.streams.as_slice() {
        [] => return "no output was written".to_string(),
        [one] => format!("{one} has"),
        [first, rest @ ..] => format!("{first} and {} have", rest.join(" and ")),
    };
    let files = if left.files_given_up {
        "; no file was written"
    } else {
        ""
    };
    let rows = if left.streams_whole {
        if left.streams.len() == 1 {
            "all its rows"
        } else {
            "all their rows"
        }
    } else {
        "the rows up to then (cut short there)"
    };
    format!("{names} {rows}{files}")
}

impl From<PresetError> for Failure {
    fn from(e: PresetError) -> Self {
        Failure::Usage(e.to_string())
    }
}
