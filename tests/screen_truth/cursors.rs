//! The scope's time cursors: each reads the trace the status line's neuron
//! is (HH's V, a LIF neuron's v, a network neuron's v and s, a rate
//! network's selected y, a filter bank's filter that Tab picked) at a
//! sample's time, and that is the run's row at that time.

use regex::Regex;
use spikescope::model::AnyModel;
use spikescope::model::recordable::{Quantity, Recordable};
use spikescope::view::Pane;

use crate::check::{Found, Screen};

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
        seen.push(c[1].to_string());
    }
    // On a screen 80 wide each cursor reads out whole, or reads nothing.
    let wide = s.text.lines().any(|l| l.chars().count() >= 80);
    for label in ["A", "B"] {
        let nothing = ["–", "-"]
            .iter()
            .any(|dash| s.text.contains(&format!("{label} {dash} ")));
        if wide && !nothing && !seen.iter().any(|l| l == label) {
            found
                .misplaced
                .push(format!("cursor {label}: no readout of {main} found"));
        }
    }
    found
}
