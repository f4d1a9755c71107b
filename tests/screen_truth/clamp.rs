//! The voltage clamp's lab readouts (the rate view's place in a clamp
//! preset): the last completed step's level, its peak I_Na and when, its
//! I_K at the end, how many steps are done, and the time the I_K plot is
//! read at, each from the run's rows of V, I_Na and I_K. A step's level is
//! the clamped V of its last row; a key that moved the level during the
//! step began its measurement again from the row before the new level.

use regex::Regex;
use spikescope::lab::clamp::protocol;
use spikescope::model::AnyModel;
use spikescope::view::Pane;

use crate::check::{Found, Screen};

/// What the run measured in one step of the protocol.
struct Measured {
    v_mv: f64,
    peak_i_na: f64,
    peak_after_ms: f64,
    i_k_end: f64,
}

pub fn check(s: &Screen) -> Found {
    let mut found = Found::default();
    let (app, screen, now) = (s.app, s.text, s.now);
    let clamped = matches!(&app.sim.model, AnyModel::Hh(n) if n.clamp);
    let Some((_, steps)) = app.sim.stimuli.first().and_then(|s| protocol(&s.stimulus)) else {
        return found;
    };
    if !clamped || app.view.pane != Pane::Rate {
        return found;
    }
    let column = |name: &str| s.run.traces.column(name).expect(name);
    let (v, i_na, i_k) = (column("v_mV"), column("i_na"), column("i_k"));
    // Each step's rows, from its onset to its end or now, and whether it
    // is done (a step held to the run's end is, so far).
    let mut measured = Vec::new();
    for step in &steps {
        let end = (step.onset_s + step.width_s).min(now);
        let done = !step.width_s.is_finite() || step.onset_s + step.width_s <= now + 1e-9;
        let rows: Vec<usize> = (0..v.len())
            .filter(|&k| v[k].0 >= step.onset_s - 1e-12 && v[k].0 <= end + 1e-12)
            .collect();
        let (Some(&first), Some(&last)) = (rows.first(), rows.last()) else {
            continue;
        };
        // Held to the run's end, a step is measured once a sample after its
        // onset has come: the one at an onset on the step grid is the hold's.
        let begun = v[last].0 > step.onset_s + 1e-12;
        if !done || !step.width_s.is_finite() && !begun {
            continue;
        }
        let level = v[last].1;
        // The rows at the level the step ended at, and the row before them
        // (where a moved level's measurement begins); from the onset where
        // the level is the hold's too.
        let mut from = last;
        while from > first && (v[from - 1].1 - level).abs() < 1e-9 {
            from -= 1;
        }
        let onset_s = if from > first {
            v[from - 1].0
        } else {
            v[first].0
        };
        let mut peak = from;
        for k in from..=last {
            if i_na[k].1.abs() > i_na[peak].1.abs() {
                peak = k;
            }
        }
        measured.push(Measured {
            v_mv: level,
            peak_i_na: i_na[peak].1,
            peak_after_ms: (i_na[peak].0 - onset_s) * 1e3,
            i_k_end: i_k[last].1,
        });
    }
    for c in Regex::new(r"(\d+)/(\d+) steps")
        .unwrap()
        .captures_iter(screen)
    {
        found.expect("clamp steps done", &c[1], measured.len() as f64);
        found.expect("clamp steps", &c[2], steps.len() as f64);
    }
    let readout = Regex::new(r"(-?[0-9.]+) mV: (-?[0-9.e-]+)(?: at ([0-9.e-]+) ms)?").unwrap();
    for c in readout.captures_iter(screen) {
        let Some(m) = measured.last() else {
            found.wrong.push(format!(
                "a step's readout {} before any step is done",
                &c[0]
            ));
            continue;
        };
        found.expect("clamp step's level (mV)", &c[1], m.v_mv);
        match c.get(3) {
            Some(at) => {
                found.expect("peak I_Na", &c[2], m.peak_i_na);
                found.expect("peak I_Na's time (ms)", at.as_str(), m.peak_after_ms);
            }
            None => found.expect("I_K at the step's end", &c[2], m.i_k_end),
        }
    }
    // The I_K plot reads each step at its end: the first step's width, or,
    // held to the run's end, the time since its onset.
    for c in Regex::new(r"I_K after ([0-9.e-]+) ms")
        .unwrap()
        .captures_iter(screen)
    {
        let first = steps[0];
        let width_s = if first.width_s.is_finite() {
            first.width_s
        } else {
            (now - first.onset_s).max(0.0)
        };
        found.expect("I_K read after (ms)", &c[1], width_s * 1e3);
    }
    found
}
