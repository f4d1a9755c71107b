//! A voltage clamp's family (its view 3, the top plot): the clamp current
//! of each step, overlaid from its onset, read dot by dot against the
//! run's samples of I_clamp over that step, as the scope's traces are
//! (`curves.rs`). The axis runs from 1 ms before the onset to 3 ms after
//! the longest step's end (a step without an end is shown up to now), so
//! each step is a stretch of time whose x is t - (onset - 1 ms) over that
//! width. A step drawn from another onset, or another step's current under
//! its name's pattern, puts dots where no step's samples are.

use spikescope::lab::clamp::protocol;
use spikescope::model::AnyModel;
use spikescope::model::recordable::{Quantity, Recordable};
use spikescope::ui::plot::Pattern;
use spikescope::ui::traces::PROBE_CAPACITY;

use super::Span;
use super::axes::Area;
use super::curves::{Trace, check_area};
use crate::check::{Found, Screen};

/// Time the family shows before each onset and after the longest step's
/// end (s), as `src/ui/pane/clamp.rs` says.
const BEFORE_S: f64 = 1e-3;
const AFTER_S: f64 = 3e-3;

/// The family's dots in `area` against each begun step's samples.
pub(super) fn check_family(found: &mut Found, s: &Screen, grid: &[Vec<char>], area: &Area) {
    let app = s.app;
    if !matches!(app.sim.model, AnyModel::Hh(_)) {
        return;
    }
    let Some((_, steps)) = app.sim.stimuli.first().and_then(|x| protocol(&x.stimulus)) else {
        return;
    };
    let column = app.sim.model.column_name(Recordable::of(Quantity::Input));
    let Some(samples) = s.run.traces.column(&column) else {
        found
            .wrong
            .push(format!("picture: the run has no column {column}"));
        return;
    };
    let widths: Vec<f64> = steps
        .iter()
        .map(|step| {
            if step.width_s.is_finite() {
                step.width_s
            } else {
                (s.now - step.onset_s).max(0.0)
            }
        })
        .collect();
    let window_s = BEFORE_S + widths.iter().copied().fold(0.0, f64::max) + AFTER_S;
    let spans: Vec<[Span; 1]> = steps
        .iter()
        .zip(&widths)
        .map(|(step, width)| {
            // The sample at the axis' left end by its step (a rounding
            // before onset - 1 ms) is the step's first.
            [Span {
                from_s: step.onset_s - BEFORE_S - 0.5 * app.sim.dt_s(),
                to_s: (step.onset_s + width + AFTER_S).min(s.now),
                origin_s: step.onset_s - BEFORE_S,
                edge_s: 0.0,
            }]
        })
        .collect();
    let kept_from = s.now - (PROBE_CAPACITY - 1) as f64 * app.sim.dt_s();
    // Each step has its own pattern: the k-th, solid in colour.
    let names: Vec<String> = (1..=steps.len()).map(|k| format!("step {k}")).collect();
    let traces: Vec<Trace> = spans
        .iter()
        .zip(&names)
        .enumerate()
        .filter(|(_, (span, _))| span[0].from_s <= s.now)
        .map(|(k, (span, name))| Trace {
            name,
            samples: &samples,
            strokes: &[],
            stroke: [0.0; 2],
            solid: s.color || s.ascii || k.is_multiple_of(Pattern::ALL.len()),
            spans: span,
            window_s,
            kept_from_s: kept_from,
            every: app.traces.probes.sample_every,
            dt_s: app.sim.dt_s(),
        })
        .collect();
    if !traces.is_empty() {
        check_area(found, grid, s.ascii, area, &traces, None);
    }
}
