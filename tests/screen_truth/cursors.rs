//! The scope's time cursors: each reads the trace the status line's neuron
//! is (HH's V, a LIF neuron's v, a network neuron's v and s, a rate
//! network's selected y, a filter bank's filter that Tab picked) at a
//! sample's time, and that is the run's row at that time; Δt, the
//! difference and 1/Δt are of those rows; HH's last spike's shape beside
//! them is the lab's measure of the run's rows of V.

use regex::Regex;
use spikescope::lab::spike_shape::{AHP_WINDOW_S, spike_shape as lab_spike_shape};
use spikescope::model::AnyModel;
use spikescope::model::recordable::{Quantity, Recordable};
use spikescope::view::Pane;

use crate::check::{Found, Screen, numbers, unit_s};

/// The columns of the run the cursors read: the main trace's, and a
/// network neuron's s beside its v.
fn columns(s: &Screen) -> (String, Option<String>) {
    let (model, i) = (&s.app.sim.model, s.i);
    let name = |q, k| model.column_name(Recordable::at(q, k));
    match model {
        AnyModel::Hh(_) | AnyModel::Lif(_) => (name(Quantity::V, 0), None),
        AnyModel::Network(_) => (name(Quantity::V, i), Some(name(Quantity::S, i))),
        AnyModel::Rate(_) => (name(Quantity::Y, i), None),
        AnyModel::Synapse(_) => (name(Quantity::Psc, s.app.view.cursor_filter), None),
    }
}

/// The name a readout reads its value with (none where the unit says it).
fn read_as(s: &Screen) -> String {
    match &s.app.sim.model {
        AnyModel::Hh(_) => String::new(),
        AnyModel::Lif(_) | AnyModel::Network(_) => "v ".into(),
        AnyModel::Rate(_) if s.app.neuron_count() == 1 => "y ".into(),
        AnyModel::Rate(_) => format!("#{} y ", s.i),
        AnyModel::Synapse(b) if b.names.len() > 1 => {
            format!("s({}) ", b.names[s.app.view.cursor_filter])
        }
        AnyModel::Synapse(_) => String::new(),
    }
}

/// The cursors' readouts of one screen against the run's rows.
pub fn check(s: &Screen) -> Found {
    let mut found = Found::default();
    if s.app.cursors.is_none() || s.app.view.pane != Pane::Scope {
        return found;
    }
    let (main, beside) = columns(s);
    let (Some(rows), beside) = (
        s.run.traces.column(&main),
        beside.and_then(|c| s.run.traces.column(&c)),
    ) else {
        found.misnamed.push(format!("no column {main} in the run"));
        return found;
    };
    let pattern = format!(
        r"(?:^|[\s│|·])([AB]) (-?[0-9.]+) (ms|s) {}(-?[0-9.e-]+)(?: mV| 1/s)?(?:, s (-?[0-9.e-]+))?",
        regex::escape(&read_as(s))
    );
    let read = Regex::new(&pattern).unwrap();
    let mut seen = Vec::new();
    for c in read.captures_iter(s.text) {
        let t = c[2].parse::<f64>().unwrap() * if &c[3] == "ms" { 1e-3 } else { 1.0 };
        // The row at the time shown: a sample's time, written to the grid's
        // last digit.
        let k = rows.partition_point(|r| r.0 < t - 1e-9);
        let Some(&(t_row, value)) = rows.get(k).filter(|r| (r.0 - t).abs() < 1e-9) else {
            found
                .wrong
                .push(format!("cursor {} at {t} s: no row of the run then", &c[1]));
            continue;
        };
        found.expect(&format!("cursor {} at {t_row} s", &c[1]), &c[4], value);
        if let (Some(shown), Some(b)) = (c.get(5), &beside) {
            found.expect(&format!("cursor {}'s s", &c[1]), shown.as_str(), b[k].1);
        }
        seen.push((c[1].to_string(), t_row, value));
    }
    // Between them: Δt, the difference of the values, and 1/Δt.
    if let [(_, ta, a), (_, tb, b)] = seen[..] {
        let delta = r"(?:Δ|delta )";
        let between = Regex::new(&format!(
            r"{delta}t ([0-9.]+) (µs|us|ms|s) {delta}\w+ (-?[0-9.e-]+)"
        ))
        .unwrap();
        for c in between.captures_iter(s.text) {
            found.expect("Δt", &c[1], (tb - ta).abs() / unit_s(&c[2]));
            found.expect("the cursors' difference", &c[3], b - a);
        }
        for shown in numbers(s.text, &format!(r"1/{delta}t ([0-9.e-]+) Hz")) {
            found.expect("1/Δt", &shown, 1.0 / (tb - ta).abs());
        }
    }
    spike_shape(s, &mut found);
    // On a screen 80 wide each cursor reads out whole, or reads nothing.
    let wide = s.text.lines().any(|l| l.chars().count() >= 80);
    for label in ["A", "B"] {
        let nothing = ["–", "-"]
            .iter()
            .any(|dash| s.text.contains(&format!("{label} {dash} ")));
        if wide && !nothing && !seen.iter().any(|l| l.0 == label) {
            found
                .misplaced
                .push(format!("cursor {label}: no readout of {main} found"));
        }
    }
    found
}

/// HH: the shape of the last spike measured whole, beside the cursors: the
/// lab's measure (`lab::spike_shape`) of the run's own rows of V. A spike
/// is measured once the next one has come, or 25 ms after it (the AHP's
/// window and 5 ms), as the oscilloscope does while it runs.
fn spike_shape(s: &Screen, found: &mut Found) {
    let shown =
        Regex::new(r"spike (-?[0-9.]+) (ms|s): peak (-?[0-9.e-]+) mV, half-width ([0-9.e-]+) ms,")
            .unwrap();
    let ahp = Regex::new(r"AHP (-?[0-9.e-]+) mV \+([0-9.e-]+) ms").unwrap();
    if !matches!(s.app.sim.model, AnyModel::Hh(_)) || !shown.is_match(s.text) {
        return;
    }
    let v = s.run.traces.column("v_mV").expect("V");
    let times: Vec<f64> = s.run.spikes.iter().map(|&(_, t)| t).collect();
    let measured_after_s = AHP_WINDOW_S + 0.005;
    let last = times
        .iter()
        .enumerate()
        .filter_map(|(k, &t)| {
            let next = times.get(k + 1).copied().filter(|&n| n <= s.now);
            let due = next.is_some() || t + measured_after_s <= s.now + 1e-12;
            due.then(|| lab_spike_shape(&v, t, next)).flatten()
        })
        .next_back();
    let Some(last) = last else {
        found
            .wrong
            .push("a spike's shape shown, where the run measured none".into());
        return;
    };
    for c in shown.captures_iter(s.text) {
        found.expect("the spike's time", &c[1], last.crossing_s / unit_s(&c[2]));
        found.expect("the spike's peak (mV)", &c[3], last.peak_mv);
        found.expect(
            "the spike's half-width (ms)",
            &c[4],
            last.half_width_s * 1e3,
        );
    }
    for c in ahp.captures_iter(s.text) {
        found.expect("the AHP (mV)", &c[1], last.ahp_mv);
        found.expect(
            "the AHP's time after the peak (ms)",
            &c[2],
            last.ahp_after_s * 1e3,
        );
    }
}
