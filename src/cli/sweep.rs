//! `spikescope sweep`: a preset key stepped through values, each from the
//! state the last one ended in, and the firing rate at each written as CSV
//! `direction,value,rate_hz,spikes` (an f-I curve, and its hysteresis where
//! the model is bistable). Rows go out as each value is measured; a file is
//! written whole or not at all, as for `run`.

use std::io::Write;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};

use super::progress::Progress;
use super::run::{catch_signals, io_failure, open_plot, refuse_plot_over_csv};
use super::{Failure, SweepArgs};
use crate::figure::{self, SweptCurve};
use crate::lab::lone::LoneNeuron;
use crate::lab::sweep::{
    DEFAULT_MEASURE_S, DEFAULT_SETTLE_S, Direction, Leg, PresetSource, Sweep, SweepError,
    SweepPoint, SweepSpec, sweep_values_said,
};
use crate::model::AnyModel;
use crate::model::lif::LifParams;
use crate::named::Named;
use crate::preset::takes_a_time;
use crate::preset::time::{format_time, parse_time};
use crate::sim::Simulation;
use crate::sim::csv::{StoppedOutputs, push_f64};
use crate::sim::sink::Sink;
use crate::sim::stimulus::Shape;
use crate::text::{command_line, err_line, exact_number, plural, printable};
use crate::ui::model_info::input_label;

/// About this much work between two looks at the signals.
const CHUNK_TIME: Duration = Duration::from_millis(20);

/// A value of `--from`, `--to` or `--step`: a number, or a time with its
/// unit (in seconds) for a key that takes a time.
#[derive(Debug, Clone)]
pub struct Bound {
    pub(super) value: f64,
    /// The text typed, where it carried a unit.
    pub(super) with_unit: Option<String>,
}

pub(super) fn bound_arg(s: &str) -> Result<Bound, String> {
    if let Ok(value) = s.trim().parse::<f64>() {
        return Ok(Bound {
            value,
            with_unit: None,
        });
    }
    match parse_time(s) {
        Ok(value) => Ok(Bound {
            value,
            with_unit: Some(s.to_string()),
        }),
        Err(_) => Err(format!(
            "\"{s}\" is not a number; valid: a number, or for a key that takes a time a \
             time with its unit (\"1 ms\")"
        )),
    }
}

/// Refuses a bound typed with a unit for a key that does not take a time.
pub(super) fn units_only_for_a_time(
    (flag, key): (&str, &str),
    time_key: bool,
    bounds: &[(&str, &Bound)],
) -> Result<(), Failure> {
    match bounds
        .iter()
        .find_map(|(flag, b)| b.with_unit.as_ref().map(|t| (flag, t)))
        .filter(|_| !time_key)
    {
        Some((bound, typed)) => Err(Failure::Usage(format!(
            "{bound} \"{typed}\": a time, but {flag} {key} does not take one; valid: a number \
             in the key's own unit"
        ))),
        None => Ok(()),
    }
}

/// The bounds of a time key given as bare numbers, said in a line as
/// `--set`'s are (`note_bare_times`): they are seconds.
pub(super) fn note_bare_bounds(time_key: bool, bounds: &[(&str, &Bound)]) {
    let bare: Vec<_> = bounds
        .iter()
        .filter(|(_, b)| time_key && b.with_unit.is_none())
        .collect();
    if !bare.is_empty() {
        // A flag's second value (`--between A B`) comes without it.
        let typed: Vec<String> = bare
            .iter()
            .map(|(f, b)| match f {
                &"" => b.value.to_string(),
                f => format!("{f} {}", b.value),
            })
            .collect();
        let read: Vec<String> = bare.iter().map(|(_, b)| format_time(b.value)).collect();
        err_line(&format!(
            "note: {}: read as {}, a time without a unit being in seconds",
            typed.join(" "),
            read.join(", ")
        ));
    }
}

/// `--out` and `--plot` may name neither the preset read nor each other
/// (refused before anything runs).
pub(super) fn refuse_outputs_over_inputs(
    preset: &str,
    out: Option<&str>,
    plot: Option<&std::path::Path>,
) -> Result<(), Failure> {
    let plot_path = plot.map(|p| p.display().to_string());
    super::run::refuse_input_as_output(
        ("preset", Some(preset)),
        &[("--out", out), ("--plot", plot_path.as_deref())],
    )?;
    refuse_plot_over_csv(plot, &[("--out", out)])
}

pub(super) fn sweep(args: &SweepArgs) -> Result<(), Failure> {
    refuse_outputs_over_inputs(&args.preset, args.out.as_deref(), args.plot.as_deref())?;
    let source = PresetSource::resolve(&args.preset, &args.set)?;
    let origin = source.origin.clone();
    let time_key = takes_a_time(&source.text, args.param.trim());
    let bounds = [
        ("--from", &args.from),
        ("--to", &args.to),
        ("--step", &args.step),
    ];
    units_only_for_a_time(("--param", args.param.trim()), time_key, &bounds)?;
    let spec = SweepSpec {
        key: args.param.clone(),
        from: args.from.value,
        to: args.to.value,
        step: args.step.value,
        direction: args.direction,
        settle_s: args.settle.unwrap_or(DEFAULT_SETTLE_S),
        measure_s: args.measure.unwrap_or(DEFAULT_MEASURE_S),
        neuron: args.neuron,
    };
    if time_key {
        // Said as the times they are: `--from 10ms` had come back as 0.01.
        sweep_values_said(spec.from, spec.to, spec.step, format_time).map_err(Failure::Usage)?;
    }
    let mut sweep =
        Sweep::new(source, &spec).map_err(|e| failure(e, &StoppedOutputs::default()))?;
    super::note_bare_times(Some(&args.preset), &args.set, (&origin, sweep.bare_times()));
    note_bare_bounds(time_key, &bounds);
    let plot = open_plot(args.plot.as_deref())?;
    let mut sink = Sink::open(args.out.as_deref().unwrap_or("-"))
        .context("--out")
        .map_err(Failure::Run)?;
    // The points go out as they are measured: on a stream they stay there
    // whatever stops the sweep; a file is given up.
    let left = StoppedOutputs {
        streams: sink.stream_name().into_iter().collect(),
        streams_whole: false,
        files_given_up: sink.stream_name().is_none(),
    };
    let caught = catch_signals();
    let dt_s = sweep.simulation().dt_s();
    let mut progress = Progress::new(sweep.steps_total(), dt_s);
    let mut points = Vec::with_capacity(sweep.schedule().len());
    {
        let mut out = sink.writer().map_err(|e| io_failure(e, "--out"))?;
        let written = |e| io_failure(e, "writing the sweep's CSV");
        out.write_all(b"direction,value,rate_hz,spikes\n")
            .map_err(written)?;
        let mut chunk = 256u64;
        while !sweep.is_done() {
            let started = Instant::now();
            for p in sweep.advance(chunk).map_err(|e| failure(e, &left))? {
                out.write_all(&row(&p)).map_err(written)?;
                out.flush().map_err(written)?;
                points.push(p);
            }
            let signal = caught.load(Ordering::Relaxed);
            if signal != 0 {
                progress.clear();
                return Err(Failure::Signal {
                    signal: signal as i32,
                    at: format!("t = {}", format_time(sweep.simulation().time_s())),
                    left,
                });
            }
            progress.show(sweep.steps_done());
            let took = started.elapsed();
            if took < CHUNK_TIME / 2 {
                chunk = chunk.saturating_mul(2);
            } else if took > CHUNK_TIME * 2 {
                chunk = (chunk / 2).max(1);
            }
        }
        out.flush().map_err(written)?;
    }
    progress.clear();
    let target = sink.target().map(|p| p.display().to_string());
    sink.commit()
        .with_context(|| target.unwrap_or_default())
        .map_err(Failure::Run)?;
    let summary = summary(&origin, &spec, time_key, &sweep, &points);
    if let Some((sink, format)) = plot {
        let curve = rate_curve(&origin, &spec, time_key, &sweep, &points);
        figure::write(&curve, sink, format, &plot_subtitle(args, &summary))
            .map_err(Failure::Run)?;
    }
    err_line(&summary);
    Ok(())
}

/// The rate in closed form as a function of the swept value, where the
/// model has it: a LIF neuron whose one input is constant fires at G(v_in) =
/// 1 / (tau_ref - tau_m ln(1 - 1/v_in)) (the notes, 1.2; with the threshold
/// or reset moved, 1 / (tau_ref + tau_m ln((v_in - v_reset)/(v_in -
/// v_threshold)))), a function of its input (`stimulus.amplitude`, v_in =
/// offset + amplitude), of `lif.tau_m`, `lif.tau_ref`, `lif.v_threshold` or
/// `lif.v_reset`, the others held where the preset has them.
struct ClosedForm {
    swept: Swept,
    /// The input's offset, v_in and the neuron's parameters as the sweep
    /// leaves them (the swept one of them is the value).
    offset: f64,
    v_in: f64,
    params: LifParams,
    /// The ones held, as the legend names them.
    held: String,
}

enum Swept {
    Input,
    TauM,
    TauRef,
    Threshold,
    Reset,
}

impl ClosedForm {
    fn of(spec: &SweepSpec, sim: &Simulation, neuron: usize) -> Option<Self> {
        if let AnyModel::Network(_) = &sim.model {
            return Self::of_network_neuron(spec, sim, neuron);
        }
        let (AnyModel::Lif(lif), [only]) = (&sim.model, sim.stimuli.as_slice()) else {
            return None;
        };
        if only.stimulus.shape != Shape::Constant {
            return None;
        }
        let offset = only.stimulus.offset;
        let v_in = offset + only.stimulus.amplitude;
        let params = lif.params;
        let (m, r) = (format_time(params.tau_m_s), format_time(params.tau_ref_s));
        let all = format!("v_in {v_in}\ntau_m {m}\ntau_ref {r}");
        let (swept, mut held) = match spec.key.trim() {
            "stimulus.amplitude" => (Swept::Input, format!("tau_m {m}\ntau_ref {r}")),
            "lif.tau_m" => (Swept::TauM, format!("v_in {v_in}\ntau_ref {r}")),
            "lif.tau_ref" => (Swept::TauRef, format!("v_in {v_in}\ntau_m {m}")),
            "lif.v_threshold" => (Swept::Threshold, all),
            "lif.v_reset" => (Swept::Reset, all),
            _ => return None,
        };
        // The threshold and reset held, where moved from the notes' 1 and 0.
        let notes = LifParams::default();
        let (threshold, reset) = (
            format!("\nthreshold {}", exact_number(params.v_threshold)),
            format!("\nreset {}", exact_number(params.v_reset)),
        );
        let moved = (
            params.v_threshold != notes.v_threshold,
            params.v_reset != notes.v_reset,
        );
        match (&swept, moved) {
            (Swept::Threshold, (_, true)) => held.push_str(&reset),
            (Swept::Reset, (true, _)) => held.push_str(&threshold),
            (Swept::Threshold | Swept::Reset, _) | (_, (false, false)) => {}
            _ => held.push_str(&format!("{threshold}{reset}")),
        }
        Some(Self {
            swept,
            offset,
            v_in,
            params,
            held,
        })
    }

    /// A network neuron that no weight reaches, its inputs constant, on
    /// exact timing (`LoneNeuron`): G of its bias, of the main input's
    /// amplitude, of network.tau_m or network.tau_ref.
    fn of_network_neuron(spec: &SweepSpec, sim: &Simulation, i: usize) -> Option<Self> {
        let lone = LoneNeuron::of(sim, i)?;
        let (b, x, v_in) = (lone.bias, lone.input, lone.v_in());
        let (m, r) = (
            format_time(lone.params.tau_m_s),
            format_time(lone.params.tau_ref_s),
        );
        let (swept, offset, held) = match spec.key.trim() {
            "stimulus.amplitude" if lone.main_input => {
                let amplitude = sim.stimuli[0].stimulus.amplitude;
                (
                    Swept::Input,
                    v_in - amplitude,
                    format!("v_in = b + x, b {b}"),
                )
            }
            k if k == format!("network.bias[{i}]") => {
                (Swept::Input, x, format!("v_in = b + x, x {x}"))
            }
            "network.tau_m" => (Swept::TauM, 0.0, format!("v_in {v_in}")),
            "network.tau_ref" => (Swept::TauRef, 0.0, format!("v_in {v_in}")),
            _ => return None,
        };
        let held = match swept {
            Swept::TauM => format!("{held}\ntau_ref {r}"),
            Swept::TauRef => format!("{held}\ntau_m {m}"),
            _ => format!("{held}\ntau_m {m}\ntau_ref {r}"),
        };
        Some(Self {
            swept,
            offset,
            v_in,
            params: lone.params,
            held,
        })
    }

    /// G at the swept value x (Hz).
    fn rate(&self, x: f64) -> f64 {
        let p = self.params;
        match self.swept {
            Swept::Input => p.firing_rate(self.offset + x),
            Swept::TauM => LifParams { tau_m_s: x, ..p }.firing_rate(self.v_in),
            Swept::TauRef => LifParams { tau_ref_s: x, ..p }.firing_rate(self.v_in),
            Swept::Threshold => LifParams {
                v_threshold: x,
                ..p
            }
            .firing_rate(self.v_in),
            Swept::Reset => LifParams { v_reset: x, ..p }.firing_rate(self.v_in),
        }
    }
}

/// The sweep's figure: each leg's measured rate against the value, and
/// where the model has it in closed form (`ClosedForm`), the rate there.
fn rate_curve(
    origin: &str,
    spec: &SweepSpec,
    time_key: bool,
    sweep: &Sweep,
    points: &[SweepPoint],
) -> SweptCurve {
    let legs = [Leg::Up, Leg::Down]
        .into_iter()
        .map(|leg| {
            let on_leg: Vec<(f64, f64)> = points
                .iter()
                .filter(|p| p.leg == leg)
                .map(|p| (p.value, p.rate_hz))
                .collect();
            (format!("{} (measured)", leg.name()), on_leg)
        })
        .filter(|(_, on_leg)| !on_leg.is_empty())
        .collect();
    let sim = sweep.simulation();
    let (lo, hi) = (spec.from.min(spec.to), spec.from.max(spec.to));
    let closed_form = ClosedForm::of(spec, sim, sweep.neuron()).map(|g| {
        (
            format!("G(v_in), closed form\n{}", g.held),
            SweptCurve::sample(lo, hi, |x| g.rate(x)),
        )
    });
    SweptCurve {
        title: format!(
            "{}: firing rate against {}",
            printable(origin, false),
            spec.key.trim()
        ),
        x_label: x_label(spec.key.trim(), time_key, sim),
        y_label: SweptCurve::y_label_of("rate (Hz)", sim.model.neuron_count(), sweep.neuron()),
        legs,
        marked: true,
        closed_form,
    }
    .times_in_ms(time_key, false)
}

/// The x axis: the key, with its unit where it has one: seconds for a
/// time, and the model's input and its unit for `stimulus.amplitude`
/// (J_in in µA/cm² for HH, v_in for LIF).
fn x_label(key: &str, time_key: bool, sim: &Simulation) -> String {
    if time_key {
        format!("{key} (s)")
    } else if key == "stimulus.amplitude" {
        match input_label(sim) {
            (name, "") => format!("{key}: {name}"),
            (name, unit) => format!("{key}: {name} ({unit})"),
        }
    } else {
        key.to_string()
    }
}

/// The figure's subtitle: what was swept (the summary's first line) and the
/// command that draws it again.
fn plot_subtitle(args: &SweepArgs, summary: &str) -> String {
    let what = summary.lines().next().unwrap_or_default();
    let bound = |b: &Bound| b.with_unit.clone().unwrap_or_else(|| b.value.to_string());
    let mut words = vec![
        "spikescope".to_string(),
        "sweep".into(),
        args.preset.clone(),
        "--param".into(),
        args.param.trim().into(),
        "--from".into(),
        bound(&args.from),
        "--to".into(),
        bound(&args.to),
        "--step".into(),
        bound(&args.step),
    ];
    if args.direction != Direction::Up {
        words.extend(["--direction".into(), args.direction.name().into()]);
    }
    for (flag, t) in [("--settle", args.settle), ("--measure", args.measure)] {
        if let Some(t) = t {
            words.extend([flag.into(), format_time(t).replace(' ', "")]);
        }
    }
    if let Some(k) = args.neuron {
        words.extend(["--neuron".into(), k.to_string()]);
    }
    for o in &args.set {
        words.extend(["--set".into(), o.clone()]);
    }
    let command = command_line(&words);
    format!("{what}. Drawn by: {command} --plot FILE")
}

fn failure(e: SweepError, left: &StoppedOutputs) -> Failure {
    match e {
        SweepError::Usage(text) => Failure::Usage(text),
        SweepError::Preset(e) => Failure::Usage(e.to_string()),
        e @ SweepError::Unstable { .. } => {
            Failure::Run(anyhow!("{e}; {}", super::left_behind(left)))
        }
    }
}

/// A CSV row: `direction,value,rate_hz,spikes`.
fn row(p: &SweepPoint) -> Vec<u8> {
    let mut line = Vec::with_capacity(48);
    line.extend_from_slice(p.leg.name().as_bytes());
    line.push(b',');
    push_f64(&mut line, p.value);
    line.push(b',');
    push_f64(&mut line, p.rate_hz);
    line.extend_from_slice(format!(",{}\n", p.spikes).as_bytes());
    line
}

/// What was swept, and where each leg starts or stops firing: the onset
/// (rheobase) going up, the offset coming down; a difference between the
/// two is the hysteresis of a bistable model.
fn summary(
    origin: &str,
    spec: &SweepSpec,
    time_key: bool,
    sweep: &Sweep,
    points: &[SweepPoint],
) -> String {
    // A key that takes a time reads a bare number as seconds: its values
    // are said as times (`lif.tau_m from 10 s`, `from 10 ms` for `10ms`),
    // so that milliseconds typed as a bare number do not pass unnoticed.
    let value = |x: f64| {
        if time_key {
            format_time(x)
        } else {
            x.to_string()
        }
    };
    let per_value_s = sweep.steps_per_value() as f64 * sweep.simulation().dt_s();
    // Both ways, each leg's values: the points are twice as many.
    let up = points.iter().filter(|p| p.leg == Leg::Up).count() as u64;
    let down = points.len() as u64 - up;
    let values = if up > 0 && down > 0 {
        format!("{up} values up and {down} down")
    } else {
        plural(up + down, "value", "values")
    };
    let mut text = format!(
        "{}: {} from {} to {} in steps of {} ({}): {values}, {} each ({} settling, {} \
         measured), dt = {}, neuron {}",
        printable(origin, false),
        spec.key,
        value(spec.from),
        value(spec.to),
        value(spec.step),
        spec.direction.name(),
        format_time(per_value_s),
        format_time(spec.settle_s),
        format_time(spec.measure_s),
        format_time(sweep.simulation().dt_s()),
        sweep.neuron()
    );
    for leg in [Leg::Up, Leg::Down] {
        let on_leg: Vec<&SweepPoint> = points.iter().filter(|p| p.leg == leg).collect();
        if let Some(edge) = on_leg
            .windows(2)
            .find(|w| (w[0].rate_hz > 0.0) != (w[1].rate_hz > 0.0))
        {
            let (silent, firing) = if edge[0].rate_hz > 0.0 {
                (edge[1], edge[0])
            } else {
                (edge[0], edge[1])
            };
            text.push_str(&format!(
                "\n  {}: fires at {} = {} ({:.3} Hz), silent at {}",
                leg.name(),
                spec.key,
                value(firing.value),
                firing.rate_hz,
                value(silent.value)
            ));
        }
    }
    // Against the rate in closed form, where there is one: the engine places
    // each LIF spike on the closed form, so a regular train's measured rate
    // is G to rounding; the line says how far it is at worst.
    if let Some(g) = ClosedForm::of(spec, sweep.simulation(), sweep.neuron()) {
        let off = points
            .iter()
            .map(|p| (p.rate_hz - g.rate(p.value)).abs())
            .fold(0.0, f64::max);
        text.push_str(&if off == 0.0 {
            "\n  every measured rate is G(v_in) in closed form".to_string()
        } else {
            format!("\n  the measured rates are within {off:.1e} Hz of G(v_in) in closed form")
        });
    }
    text
}
