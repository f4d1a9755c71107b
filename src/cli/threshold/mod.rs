//! `spikescope threshold`: where firing starts, by bisection of a preset
//! key between a silent value and a firing one, each trial a run from the
//! preset's start; against a second key stepped through values, a curve
//! (the strength-duration curve of a pulse). CSV `value,threshold` (or
//! `threshold` alone), a row as each search ends; a file is written whole or
//! not at all, as for `run`.

use std::io::Write;
use std::sync::atomic::Ordering;

use anyhow::{Context, anyhow};

use super::progress::Progress;
use super::run::{catch_signals, io_failure, open_plot};
use super::sweep::{Bound, note_bare_bounds, refuse_outputs_over_inputs, units_only_for_a_time};
use super::{Failure, ThresholdArgs};
use crate::figure::{self, CLOSED_FORM_POINTS, SweptCurve};
use crate::lab::sweep::{PresetSource, sweep_values};
use crate::lab::threshold::{
    Found, RELATIVE_PRECISION, Threshold, ThresholdError, ThresholdPoint, ThresholdSpec,
    TracedTrial,
};
use crate::model::AnyModel;
use crate::preset::takes_a_time;
use crate::preset::time::format_time;
use crate::sim::csv::{StoppedOutputs, push_f64};
use crate::sim::sink::Sink;
use crate::sim::stimulus::Shape;
use crate::text::{err_line, plural, printable};

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
            if to.value < from.value {
                return Err(Failure::Usage(format!(
                    "--from {} --to {}: --from is above --to; valid: from <= to",
                    crate::text::exact_number(from.value),
                    crate::text::exact_number(to.value)
                )));
            }
            let values = sweep_values(from.value, to.value, step.value).map_err(Failure::Usage)?;
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
        "spikescope threshold".to_string(),
        args.preset.clone(),
        format!("--param {}", args.param.trim()),
        format!(
            "--between {} {}",
            bound(&args.between[0]),
            bound(&args.between[1])
        ),
    ];
    if let (Some(k), Some(from), Some(to), Some(step)) =
        (&args.against, &args.from, &args.to, &args.step)
    {
        words.push(format!(
            "--against {} --from {} --to {} --step {}",
            k.trim(),
            bound(from),
            bound(to),
            bound(step)
        ));
    }
    if let Some(k) = args.neuron {
        words.push(format!("--neuron {k}"));
    }
    words.extend(args.set.iter().map(|o| format!("--set {o}")));
    printable(&words.join(" "), false).into_owned()
}

/// The figure: the thresholds found against the values of the key they
/// are against, and a LIF neuron's closed form under them where it has one.
fn threshold_curve(
    origin: &str,
    search: &Threshold,
    said: &Said,
    points: &[ThresholdPoint],
) -> SweptCurve {
    let (key, key_time) = (&said.key.0, said.key.1);
    let (against, against_time) = said.against.clone().unwrap_or_default();
    let found: Vec<(f64, f64)> = points
        .iter()
        .filter_map(|p| match (p.value, p.found) {
            (Some(v), Found::Boundary { firing, .. }) => Some((v, firing)),
            _ => None,
        })
        .collect();
    let closed_form = ClosedForm::of(search).and_then(|c| {
        let (lo, hi) = found
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
                (a.min(p.0), b.max(p.0))
            });
        (lo <= hi).then(|| {
            (
                format!(
                    "closed form\n{}\ntau_m {}\nT in whole steps",
                    c.legend(),
                    format_time(c.tau_m_s)
                ),
                c.at_whole_steps(lo, hi),
            )
        })
    });
    let unit = |time: bool| if time { " (s)" } else { "" };
    let y_name = search
        .preset_at(0, search.spec().between[0])
        .ok()
        .filter(|_| key == "stimulus.amplitude")
        .map(|s| {
            let (_, sim) = s.into_simulation();
            match crate::ui::model_info::input_label(&sim) {
                (name, "") => format!(": {name}"),
                (name, unit) => format!(": {name} ({unit})"),
            }
        })
        .unwrap_or_else(|| unit(key_time).to_string());
    SweptCurve {
        title: format!(
            "{}: threshold of {key} against {against}",
            printable(origin, false)
        ),
        x_label: format!("{against}{}", unit(against_time)),
        y_label: format!("threshold of {key}{y_name}"),
        legs: vec![("threshold (found)".to_string(), found)],
        marked: true,
        closed_form,
    }
}

/// The figure without a second key: the membrane potential of the two
/// trials either side of the threshold against time (the last bracket's
/// ends, 1e-9 of `--between` apart: the same input, one spike or none; the
/// `--between` ends where there was no threshold), with the level a spike
/// crosses: HH's 0 mV, a LIF neuron's own threshold, a network's 1.
fn traces_figure(
    origin: &str,
    search: &Threshold,
    said: &Said,
    ends: &[TracedTrial; 2],
) -> SweptCurve {
    let (key, key_time) = (&said.key.0, said.key.1);
    // A LIF neuron's threshold may be moved (`lif.v_threshold`); a
    // network's is 1, HH's spike an upward crossing of 0 mV.
    let v_threshold = match search.preset_at(0, ends[0].value).map(|s| s.model) {
        Ok(AnyModel::Hh(_)) => None,
        Ok(AnyModel::Lif(lif)) => Some(lif.params.v_threshold),
        _ => Some(1.0),
    };
    let (y_label, level) = match v_threshold {
        None => (
            "V (mV)".into(),
            ("spike threshold\n0 mV, crossed upward".into(), 0.0),
        ),
        Some(th) => {
            let th_text = crate::text::exact_number(th);
            (
                format!("v (threshold {th_text})"),
                (format!("threshold v = {th_text}"), th),
            )
        }
    };
    let legs = ends
        .iter()
        .map(|end| {
            let value = crate::text::exact_number(end.value);
            let unit = if key_time { " s" } else { "" };
            let outcome = if end.fires { "fires" } else { "silent" };
            let trace = end.trace.iter().map(|&(t, v)| (1e3 * t, v)).collect();
            (format!("{key} =\n{value}{unit}\n{outcome}"), trace)
        })
        .collect();
    let end_ms = 1e3 * search.duration_and_dt_s().0;
    let what = match ends.each_ref().map(|end| end.fires) {
        [true, true] => format!("{key} at both ends: no threshold, both fire"),
        [false, false] => format!("{key} at both ends: no threshold, neither fires"),
        _ => format!("either side of the threshold of {key}"),
    };
    SweptCurve {
        title: format!("{}: {what}", printable(origin, false)),
        x_label: "t (ms)".into(),
        y_label: format!("{y_label} of neuron {}", search.neuron()),
        legs,
        marked: false,
        closed_form: Some((level.0, vec![(0.0, level.1), (end_ms, level.1)])),
    }
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
struct Said {
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
fn six_digits(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return x.to_string();
    }
    if !(1e-4..1e6).contains(&x.abs()) {
        return format!("{x:.5e}");
    }
    let decimals = (5 - x.abs().log10().floor() as i32).max(0) as usize;
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
            text.push_str(&format!("\n  no threshold: {what}{shown}{more}"));
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
    if let Some((off, formula)) = from_closed_form(search, &found) {
        text.push_str(&format!(
            "\n  within {off:.1e} of the closed form {formula}, T the pulse's \
             width in whole steps (the bisection's precision: {:.1e})",
            2.0 * RELATIVE_PRECISION * (0.5 * b - 0.5 * a).abs()
        ));
    }
    text
}

/// A LIF neuron's threshold amplitude in closed form, where it has one: one
/// pulse its only input, its amplitude sought (against its width, or at the
/// preset's). From v = 0 over the pulse v = I (1 - e^(-t/tau_m)) (notes
/// 1.2) reaches 1 by the pulse's end T when I >= 1 / (1 - e^(-T/tau_m)); from
/// v_s at its start (`lif.v_init` decayed until then), to a moved threshold,
/// when I >= (v_threshold - v_s e^(-T/tau_m)) / (1 - e^(-T/tau_m)). The input
/// is held over whole steps (its level at each step's middle), so T is the
/// steps whose middle lies in the pulse.
struct ClosedForm {
    tau_m_s: f64,
    v_threshold: f64,
    /// v when the pulse begins: v_init decayed over the steps before it.
    v_start: f64,
    start_s: f64,
    dt_s: f64,
}

impl ClosedForm {
    fn of(search: &Threshold) -> Option<Self> {
        let spec = search.spec();
        let against_ok = spec
            .against
            .as_ref()
            .is_none_or(|(k, _)| k.trim() == "stimulus.width");
        if spec.key.trim() != "stimulus.amplitude" || !against_ok {
            return None;
        }
        let scenario = search.preset_at(0, spec.between[0]).ok()?;
        let (AnyModel::Lif(lif), [only]) = (&scenario.model, scenario.stimuli.as_slice()) else {
            return None;
        };
        let Shape::Pulses {
            start_s,
            period_s,
            count,
            ..
        } = only.stimulus.shape
        else {
            return None;
        };
        let one_pulse = count == Some(1) || start_s + period_s >= scenario.meta.duration_s;
        let (tau_m_s, dt_s) = (lif.params.tau_m_s, scenario.meta.dt_s);
        // With no input, v decays from v_init over the steps before the
        // pulse's first (the input over a step is its level at the middle).
        let before = (start_s / dt_s - 0.5).ceil().max(0.0) * dt_s;
        (only.stimulus.offset == 0.0 && one_pulse).then_some(Self {
            tau_m_s,
            v_threshold: lif.params.v_threshold,
            v_start: lif.v * (-before / tau_m_s).exp(),
            start_s,
            dt_s,
        })
    }

    /// The threshold at widths of whole steps from `lo` to `hi` (at most
    /// `CLOSED_FORM_POINTS` of them): between two, a width's threshold is
    /// one of theirs, a stair the figure would draw as a jagged line.
    fn at_whole_steps(&self, lo: f64, hi: f64) -> Vec<(f64, f64)> {
        let (first, last) = ((lo / self.dt_s).ceil(), (hi / self.dt_s).floor());
        let stride = ((last - first) / CLOSED_FORM_POINTS as f64).ceil().max(1.0);
        let mut k = first;
        let mut points = Vec::new();
        while k <= last {
            let width = k * self.dt_s;
            points.push((width, self.threshold(width)));
            k += stride;
        }
        points
    }

    /// The threshold amplitude of a pulse `width_s` wide.
    fn threshold(&self, width_s: f64) -> f64 {
        let first = (self.start_s / self.dt_s - 0.5).ceil();
        let end = ((self.start_s + width_s) / self.dt_s - 0.5).ceil();
        let t = (end - first).max(0.0) * self.dt_s;
        let decay = (-t / self.tau_m_s).exp();
        (self.v_threshold - self.v_start * decay) / -(-t / self.tau_m_s).exp_m1()
    }

    /// The closed form in the figure's legend, in lines that fit it.
    fn legend(&self) -> String {
        if self.v_start == 0.0 {
            return self.formula();
        }
        format!(
            "(v_th - v_s e^(-T/tau_m))\n/ (1 - e^(-T/tau_m))\nv_th {}, v_s {}",
            crate::text::exact_number(self.v_threshold),
            six_digits(self.v_start)
        )
    }

    /// The closed form as the summary writes it.
    fn formula(&self) -> String {
        let v_threshold = crate::text::exact_number(self.v_threshold);
        if self.v_start == 0.0 {
            format!("{v_threshold} / (1 - e^(-T/tau_m))")
        } else {
            let sign = if self.v_start < 0.0 { '+' } else { '-' };
            format!(
                "({v_threshold} {sign} {} e^(-T/tau_m)) / (1 - e^(-T/tau_m))",
                six_digits(self.v_start.abs())
            )
        }
    }
}

/// The largest distance of the thresholds found from the closed form,
/// where there is one (`ClosedForm`), and the closed form.
fn from_closed_form(search: &Threshold, found: &[(Option<f64>, f64)]) -> Option<(f64, String)> {
    let c = ClosedForm::of(search)?;
    let preset_width = match search.preset_at(0, search.spec().between[0]).ok()?.stimuli[0]
        .stimulus
        .shape
    {
        Shape::Pulses { width_s, .. } => width_s,
        _ => return None,
    };
    found
        .iter()
        .map(|&(value, threshold)| (threshold - c.threshold(value.unwrap_or(preset_width))).abs())
        .reduce(f64::max)
        .map(|off| (off, c.formula()))
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
