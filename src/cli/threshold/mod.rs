//! `spikescope threshold`: where firing starts, by bisection of a preset
//! key between a silent value and a firing one, each trial a run from the
//! preset's start; against a second key stepped through values, a curve
//! (the strength-duration curve of a pulse). CSV `value,threshold` (or
//! `threshold` alone), a row as each search ends; a file is written whole or
//! not at all, as for `run`.

use std::io::Write;
use std::sync::atomic::Ordering;

use crate::model::elementary::decade;
use anyhow::{Context, anyhow};

mod closed_form;
mod figures;

use super::progress::Progress;
use super::run::{catch_signals, io_failure, open_plot};
use super::sweep::{Bound, note_bare_bounds, refuse_outputs_over_inputs, units_only_for_a_time};
use super::{Failure, ThresholdArgs};
use closed_form::from_closed_form;
use figures::{threshold_curve, traces_figure};

use crate::figure;
use crate::lab::sweep::{PresetSource, sweep_values_said};
use crate::lab::threshold::{
    Found, RELATIVE_PRECISION, Threshold, ThresholdError, ThresholdPoint, ThresholdSpec,
};
use crate::preset::takes_a_time;
use crate::preset::time::format_time;
use crate::sim::csv::{StoppedOutputs, push_f64};
use crate::sim::sink::Sink;
use crate::text::{command_line, err_line, plural, printable};

pub(super) fn threshold(args: &ThresholdArgs) -> Result<(), Failure> {
    refuse_outputs_over_inputs(&args.preset, args.out.as_deref(), args.plot.as_deref())?;
    let source = PresetSource::resolve(&args.preset, &args.set)?;
    let origin = source.origin.clone();
    let key = args.param.trim().to_string();
    let key_time = takes_a_time(&source.text, &key);
    let between: Vec<(&str, &Bound)> = args.between.iter().map(|b| ("--between", b)).collect();
    units_only_for_a_time(("--param", &key), key_time, &between)?;
    let against = match (&args.against, &args.from, &args.to, &args.step) {
        (Some(k), Some(from), Some(to), Some(step)) => {
            let k = k.trim().to_string();
            let time = takes_a_time(&source.text, &k);
            let bounds = [("--from", from), ("--to", to), ("--step", step)];
            units_only_for_a_time(("--against", &k), time, &bounds)?;
            note_bare_bounds(time, &bounds);
            // A time key's bounds said as times (`--from 2 ms`, not 0.002).
            let say = |x: f64| {
                if time {
                    format_time(x)
                } else {
                    crate::text::exact_number(x)
                }
            };
            if to.value < from.value {
                return Err(Failure::Usage(format!(
                    "--from {} --to {}: --from is above --to; valid: from <= to",
                    say(from.value),
                    say(to.value)
                )));
            }
            let values =
                sweep_values_said(from.value, to.value, step.value, say).map_err(Failure::Usage)?;
            Some((k, values, time))
        }
        _ => None,
    };
    note_bare_bounds(key_time, &[between[0], ("", between[1].1)]);
    let spec = ThresholdSpec {
        key: key.clone(),
        between: [args.between[0].value, args.between[1].value],
        against: against.as_ref().map(|(k, v, _)| (k.clone(), v.clone())),
        neuron: args.neuron,
    };
    let mut search = Threshold::new(source, spec).map_err(|e| failure(e, None))?;
    super::note_bare_times(
        Some(&args.preset),
        &args.set,
        (&origin, search.bare_times()),
    );
    let said = Said {
        key: (key, key_time),
        against: against.as_ref().map(|(k, _, t)| (k.clone(), *t)),
    };
    let plot = open_plot(args.plot.as_deref())?;
    let mut sink = Sink::open(args.out.as_deref().unwrap_or("-"))
        .context("--out")
        .map_err(Failure::Run)?;
    let caught = catch_signals();
    let mut progress = Progress::of_searches(search.searches() as u64);
    let mut points = Vec::with_capacity(search.searches());
    let mut traced = None;
    {
        // The rows go out as each search ends: on a stream they stay there
        // whatever stops the search; a file is given up.
        let stopped = StoppedOutputs {
            streams: sink.stream_name().into_iter().collect(),
            streams_whole: false,
            files_given_up: sink.stream_name().is_none(),
        };
        let mut out = sink.writer().map_err(|e| io_failure(e, "--out"))?;
        let written = |e| io_failure(e, "writing the threshold's CSV");
        let header: &[u8] = if said.against.is_some() {
            b"value,threshold\n"
        } else {
            b"threshold\n"
        };
        out.write_all(header).map_err(written)?;
        let signal = || caught.load(Ordering::Relaxed);
        while !search.is_done() {
            let point = search
                .next_point(&mut || signal() != 0)
                .map_err(|e| failure(e, Some(&stopped)))?;
            let Some(point) = point.filter(|_| signal() == 0) else {
                progress.clear();
                return Err(Failure::Signal {
                    signal: signal() as i32,
                    at: format!("search {} of {}", points.len() + 1, search.searches()),
                    left: stopped,
                });
            };
            out.write_all(&row(&point)).map_err(written)?;
            out.flush().map_err(written)?;
            points.push(point);
            progress.show(points.len() as u64);
        }
        // Without a second key the figure is the two trials either side
        // of the threshold, run again whole: before the CSV is put in
        // place, so that a blow-up or a signal in them gives it up too.
        if plot.is_some() && said.against.is_none() {
            let ends = search
                .traced_ends(points[0].found)
                .map_err(|e| failure(e, Some(&stopped)))?;
            if signal() != 0 {
                progress.clear();
                return Err(Failure::Signal {
                    signal: signal() as i32,
                    at: "the figure's two runs".into(),
                    left: stopped,
                });
            }
            traced = Some(ends);
        }
    }
    progress.clear();
    let target = sink.target().map(|p| p.display().to_string());
    sink.commit()
        .with_context(|| target.unwrap_or_default())
        .map_err(Failure::Run)?;
    let summary = summary(&origin, &search, &said, &points);
    if let Some((sink, format)) = plot {
        let curve = match &traced {
            Some(ends) => traces_figure(&origin, &search, &said, ends),
            None => threshold_curve(&origin, &search, &said, &points),
        };
        let what = summary.lines().next().unwrap_or_default();
        let subtitle = format!("{what}. Drawn by: {} --plot FILE", command(args));
        figure::write(&curve, sink, format, &subtitle).map_err(Failure::Run)?;
    }
    err_line(&summary);
    Ok(())
}

/// The command that draws the figure again.
fn command(args: &ThresholdArgs) -> String {
    let bound = |b: &Bound| b.with_unit.clone().unwrap_or_else(|| b.value.to_string());
    let mut words = vec![
        "spikescope".to_string(),
        "threshold".into(),
        args.preset.clone(),
        "--param".into(),
        args.param.trim().into(),
        "--between".into(),
        bound(&args.between[0]),
        bound(&args.between[1]),
    ];
    if let (Some(k), Some(from), Some(to), Some(step)) =
        (&args.against, &args.from, &args.to, &args.step)
    {
        words.extend([
            "--against".into(),
            k.trim().into(),
            "--from".into(),
            bound(from),
            "--to".into(),
            bound(to),
            "--step".into(),
            bound(step),
        ]);
    }
    if let Some(k) = args.neuron {
        words.extend(["--neuron".into(), k.to_string()]);
    }
    for o in &args.set {
        words.extend(["--set".into(), o.clone()]);
    }
    command_line(&words)
}

/// A CSV row: `value,threshold`, or `threshold` alone; the threshold empty
/// where both ends of the bracket fire or neither does.
fn row(p: &ThresholdPoint) -> Vec<u8> {
    let mut line = Vec::with_capacity(48);
    if let Some(v) = p.value {
        push_f64(&mut line, v);
        line.push(b',');
    }
    if let Found::Boundary { firing, .. } = p.found {
        push_f64(&mut line, firing);
    }
    line.push(b'\n');
    line
}

fn failure(e: ThresholdError, left: Option<&StoppedOutputs>) -> Failure {
    match e {
        ThresholdError::Usage(text) => Failure::Usage(text),
        ThresholdError::Preset(e) => Failure::Usage(e.to_string()),
        ThresholdError::Unstable { at, cause, sim } => {
            let left = left.map_or_else(|| "no output was written".into(), super::left_behind);
            let why = super::run::input_outside_stable_range(&sim).unwrap_or_default();
            Failure::Run(anyhow!("{at}: {cause}{why}; {left}"))
        }
    }
}

/// How the keys' values are said: a time key's as times (a bare number is
/// seconds, and `5 s` where `5 ms` was meant shows).
pub(super) struct Said {
    key: (String, bool),
    against: Option<(String, bool)>,
}

fn said_as(x: f64, time: bool) -> String {
    if time {
        format_time(x)
    } else {
        crate::text::exact_number(x)
    }
}

/// `x` to six significant digits, for a person (the CSV has every digit);
/// past a million or below 1e-4 in exponent form (a bracket of 0 to 1e300
/// wrote 291 digits).
pub(super) fn six_digits(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return x.to_string();
    }
    if !(1e-4..1e6).contains(&x.abs()) {
        return format!("{x:.5e}");
    }
    let decimals = (5 - decade(x.abs())).max(0) as usize;
    format!("{x:.decimals$}")
}

/// What was searched, the thresholds found and where there was none, and
/// where a LIF neuron's threshold has a closed form, how far from it they
/// are.
fn summary(origin: &str, search: &Threshold, said: &Said, points: &[ThresholdPoint]) -> String {
    let spec = search.spec();
    let (key, key_time) = (&said.key.0, said.key.1);
    let [a, b] = spec.between;
    let mut text = format!(
        "{}: the threshold of {key} between {} and {}",
        printable(origin, false),
        said_as(a, key_time),
        said_as(b, key_time)
    );
    if let (Some((against, time)), Some((_, values))) = (&said.against, &spec.against) {
        text.push_str(&format!(
            " against {against} from {} to {} ({})",
            said_as(values[0], *time),
            said_as(values[values.len() - 1], *time),
            plural(values.len() as u64, "value", "values")
        ));
    }
    let trials: u64 = points.iter().map(|p| u64::from(p.trials)).sum();
    let (duration_s, dt_s) = search.duration_and_dt_s();
    text.push_str(&format!(
        ": {}, each from the preset's start for {} (dt = {}) or until neuron {} fires; \
         bisection to {RELATIVE_PRECISION:e} of the interval",
        plural(trials, "run", "runs"),
        format_time(duration_s),
        format_time(dt_s),
        search.neuron()
    ));
    let found: Vec<(Option<f64>, f64)> = points
        .iter()
        .filter_map(|p| match p.found {
            Found::Boundary { firing, .. } => Some((p.value, firing)),
            Found::NoBoundary { .. } => None,
        })
        .collect();
    let at = |value: Option<f64>| match (value, &said.against) {
        (Some(v), Some((k, time))) => format!(" at {k} = {}", said_as(v, *time)),
        _ => String::new(),
    };
    let threshold = |x: f64| {
        if key_time {
            format_time(x)
        } else {
            six_digits(x)
        }
    };
    let by_threshold = |x: &&(Option<f64>, f64), y: &&(Option<f64>, f64)| x.1.total_cmp(&y.1);
    match (
        found.iter().min_by(by_threshold),
        found.iter().max_by(by_threshold),
    ) {
        (Some(lo), Some(hi)) if found.len() > 1 => text.push_str(&format!(
            "\n  thresholds from {key} = {}{} to {}{}",
            threshold(lo.1),
            at(lo.0),
            threshold(hi.1),
            at(hi.0)
        )),
        (Some(only), _) => text.push_str(&format!(
            "\n  threshold: {key} = {}{}",
            threshold(only.1),
            at(only.0)
        )),
        _ => {}
    }
    for (fires, what) in [(true, "fires at both ends"), (false, "silent at both ends")] {
        let none: Vec<String> = points
            .iter()
            .filter(|p| p.found == Found::NoBoundary { fires })
            .map(|p| at(p.value))
            .collect();
        if !none.is_empty() {
            let shown = none.iter().take(4).cloned().collect::<Vec<_>>().join(",");
            let more = if none.len() > 4 {
                format!(" and {} more", none.len() - 4)
            } else {
                String::new()
            };
            // Where a student goes next: the search only looks between
            // the two values given.
            text.push_str(&format!(
                "\n  no threshold: {what}{shown}{more}; it lies outside --between, if anywhere"
            ));
        }
    }
    // A stimulus's times act in whole steps (the input held over a step is
    // its level at the step's middle): a width's threshold is a step's.
    if key_time && key.starts_with("stimul") {
        text.push_str(&format!(
            "\n  {key} acts in whole steps (the input over a step is its level at the step's \
             middle): the threshold is one to within dt = {}",
            format_time(dt_s)
        ));
    }
    if let Some((off, formula, t_is)) = from_closed_form(search, &found) {
        text.push_str(&format!(
            "\n  within {off:.1e} of the closed form {formula}, {t_is} (the bisection's \
             precision: {:.1e})",
            2.0 * RELATIVE_PRECISION * (0.5 * b - 0.5 * a).abs()
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::six_digits;

    #[test]
    fn thresholds_read_to_six_digits_and_huge_ones_as_powers() {
        assert_eq!(six_digits(3.859358560293913), "3.85936");
        assert_eq!(six_digits(65.1272320188582), "65.1272");
        assert_eq!(six_digits(-2.791698472574353), "-2.79170");
        assert_eq!(six_digits(0.5000000018626451), "0.500000");
        assert_eq!(six_digits(9.313225746154786e290), "9.31323e290");
        assert_eq!(six_digits(3.25e-5), "3.25000e-5");
    }
}
