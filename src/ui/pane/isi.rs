//! The ISI histogram of the selected neuron over the recorded history: the
//! intervals' count, mean (and its rate) and CV, in bins of a round width
//! from 0 to the longest interval.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;

use super::scope::note;
use super::{draw, round_out};
use crate::lab::isi::{intervals, isi_stats};
use crate::model::AnyModel;
use crate::ui::app::App;
use crate::ui::format::{compact, sig4, sim_time};
use crate::ui::lines::Segment;
use crate::ui::plot::{Axis, Curve, Pattern, Plot};
use crate::ui::status::neuron_label;
use crate::ui::theme::Theme;

/// Bins of the histogram, at most.
const BINS: usize = 30;

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let no_spikes = match &app.sim.model {
        AnyModel::Rate(_) => Some(
            "Rate neurons have no spikes, so no intervals: each neuron's output is its \
             rate y, drawn in view 1.",
        ),
        AnyModel::Hh(n) if n.clamp => Some(
            "Under a voltage clamp V is held, so the membrane makes no spikes and there \
             are no intervals. A clamp's lesson is in its currents (views 1 and 3).",
        ),
        _ => None,
    };
    if let Some(why) = no_spikes {
        return note(frame, area, "ISI histogram", why, theme);
    }
    let i = app.view.selected;
    let times = app.traces.probes.spike_times_of(i);
    let Some(stats) = isi_stats(&intervals(&times), BINS) else {
        return note(
            frame,
            area,
            "ISI histogram",
            &format!(
                "{} has fewer than two recorded spikes: no interval yet.",
                neuron_label(app, i, theme)
            ),
            theme,
        );
    };
    // The bars as one outline: up, across and down each bin (ms).
    let w = stats.bin_s * 1e3;
    let mut outline = vec![(0.0, 0.0)];
    for (k, &n) in stats.bins.iter().enumerate() {
        let (x0, x1) = (k as f64 * w, (k + 1) as f64 * w);
        outline.extend([(x0, n as f64), (x1, n as f64), (x1, 0.0)]);
    }
    let top = stats.bins.iter().copied().max().unwrap_or(1);
    let mut plot = Plot::new(
        format!(
            "ISI histogram of {} (intervals per bin)",
            neuron_label(app, i, theme)
        ),
        Axis::new(round_out([0.0, stats.bins.len() as f64 * w]), "ISI (ms)"),
        Axis::new([0.0, count_end(top)], "").counts(),
    );
    // Unnamed: the title says what the bars count, and a name at the
    // outline's end sat on the baseline over the bars beside it.
    plot.curves
        .push(Curve::new(outline, theme.trace(0), Pattern::Solid));
    plot.readout.push(Segment::new(
        9,
        vec![Span::raw(format!(
            "{} · mean {} ms ({} Hz) · CV {}",
            crate::ui::format::plural(stats.count as u64, "interval", "intervals"),
            sig4(stats.mean_s * 1e3),
            sig4(1.0 / stats.mean_s),
            sig4(stats.cv)
        ))],
    ));
    plot.readout.push(Segment::new(
        5,
        vec![Span::raw(format!(" · bins of {} ms", compact(w)))],
    ));
    // The intervals of the kept spikes: where they start later than the
    // run's history, from when.
    if let Some(t) = app.traces.probes.spikes_whole_from(i..i + 1) {
        plot.readout.push(Segment::new(
            7,
            vec![Span::raw(format!(" · from {}", sim_time(t)))],
        ));
    }
    draw(frame, area, &plot, theme);
}

/// The count axis's end: a whole number above the tallest bin (a twentieth
/// to spare, rounded out) that a round step (1 to 8, or 25, × 10^k) cuts
/// into two to six equal parts, so that whole ticks fall evenly on it. An
/// end of 7 has no such step: network-ei's histogram at 80x24 read 0 and 7
/// alone, where 8 reads 0, 2, 4, 6, 8.
fn count_end(tallest: usize) -> f64 {
    let first = round_out([0.0, tallest as f64 * 1.05])[1].ceil() as usize;
    let round = |mut step: usize| {
        while step >= 10 && step.is_multiple_of(10) {
            step /= 10;
        }
        (1..=8).contains(&step) || step == 25
    };
    let even = |end: usize| (2..=6).any(|parts| end.is_multiple_of(parts) && round(end / parts));
    (first..=2 * first).find(|&end| even(end)).unwrap_or(first) as f64
}

#[cfg(test)]
mod tests {
    use super::count_end;

    #[test]
    fn the_count_axis_ends_where_whole_ticks_fall_evenly() {
        // The tallest bin, then the end: 7, 11 and 13 have no round step
        // into two to six parts.
        for (tallest, end) in [(1, 2.0), (4, 5.0), (6, 8.0), (10, 12.0), (11, 12.0)] {
            assert_eq!(count_end(tallest), end, "tallest {tallest}");
        }
        for (tallest, end) in [(12, 14.0), (26, 30.0), (70, 80.0), (900, 1000.0)] {
            assert_eq!(count_end(tallest), end, "tallest {tallest}");
        }
        for tallest in 1..5000 {
            let end = count_end(tallest);
            assert!(end >= tallest as f64 * 1.05 && end <= 2.2 * tallest as f64 + 2.0);
        }
    }
}
