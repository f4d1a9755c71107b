//! `threshold --plot`'s figures: the thresholds found against a second
//! key, or without one the two trials either side of the threshold.

use super::Said;
use super::closed_form::ClosedForm;
use crate::figure::SweptCurve;
use crate::lab::threshold::{Found, Threshold, ThresholdPoint, TracedTrial};
use crate::model::AnyModel;
use crate::preset::time::format_time;
use crate::text::printable;

/// The figure: the thresholds found against the values of the key they
/// are against, and a LIF neuron's closed form under them where it has one.
pub(super) fn threshold_curve(
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
    .times_in_ms(against_time, key_time)
}

/// The figure without a second key: the membrane potential of the two
/// trials either side of the threshold against time (the last bracket's
/// ends, 1e-9 of `--between` apart: the same input, one spike or none; the
/// `--between` ends where there was no threshold), with the level a spike
/// crosses: HH's 0 mV, a LIF neuron's own threshold, a network's 1.
pub(super) fn traces_figure(
    origin: &str,
    search: &Threshold,
    said: &Said,
    ends: &[TracedTrial; 2],
) -> SweptCurve {
    let (key, key_time) = (&said.key.0, said.key.1);
    // A LIF neuron's threshold may be moved (`lif.v_threshold`); a
    // network's is 1, HH's spike an upward crossing of 0 mV.
    let model = search.preset_at(0, ends[0].value).map(|s| s.model);
    let neurons = model.as_ref().map_or(1, AnyModel::neuron_count);
    let v_threshold = match model {
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
        y_label: SweptCurve::y_label_of(&y_label, neurons, search.neuron()),
        legs,
        marked: false,
        closed_form: Some((level.0, vec![(0.0, level.1), (end_ms, level.1)])),
    }
}
