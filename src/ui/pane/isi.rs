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
        Axis::new([0.0, top as f64], "").counts(),
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
            stats.cv.map_or("–".to_string(), sig4)
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
    // The count axis fits the rows the readout leaves the bars.
    plot.y.bounds[1] = count_end(top, plot.plot_rows(area, theme));
    draw(frame, area, &plot, theme);
}

/// The count axis's end: a whole number above the tallest bin (a twentieth
/// to spare, rounded out) that a round step cuts into equal parts, two to
/// six and at most one to two of the plot's `rows` (as `ticks_on_ends`
/// keeps them apart; any two to six where the rows hold only the ends), so
/// that whole ticks fall evenly on it. A step of 1, 2, 5 or 25 × 10^k is
/// worth an end up to 15% higher than one of 3, 4, 6, 7 or 8 × 10^k: 0, 5,
/// 10, 15 over 12 (not 0, 7, 14), 0, 10, 20, 30 over 23 (not 0, 7, ... 28),
/// but 12, not 15, over 10. An end of 7 has no such step: network-ei's
/// histogram at 80x24 read 0 and 7 alone, where 8 reads 0, 2, 4, 6, 8; and
/// an end of 25, five parts, read 0, 10, 20, 25 on the seven rows of 90x20.
fn count_end(tallest: usize, rows: u16) -> f64 {
    let first = round_out([0.0, tallest as f64 * 1.05])[1].ceil() as usize;
    let mantissa = |mut step: usize| {
        while step >= 10 && step.is_multiple_of(10) {
            step /= 10;
        }
        step
    };
    let most = match usize::from(rows.saturating_sub(1)) / 2 {
        0 | 1 => 6,
        most => most.min(6),
    };
    let cut = |end: usize, steps: &[usize]| {
        (2..=most).any(|parts| end.is_multiple_of(parts) && steps.contains(&mantissa(end / parts)))
    };
    let cost = |end: usize| {
        let weight = if cut(end, &[1, 2, 5, 25]) {
            1.0
        } else if cut(end, &[3, 4, 6, 7, 8]) {
            1.15
        } else {
            return None;
        };
        Some(weight * end as f64)
    };
    (first..=2 * first)
        .filter_map(|end| Some((end, cost(end)?)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map_or(first, |(end, _)| end) as f64
}

#[cfg(test)]
mod tests {
    use super::count_end;

    #[test]
    fn the_count_axis_ends_where_whole_ticks_fall_evenly() {
        // The tallest bin, then the end: 7, 11 and 13 have no round step
        // into two to six parts.
        // On 11 rows, as at 80x24 (up to five parts).
        for (tallest, end) in [(1, 2.0), (4, 5.0), (6, 8.0), (10, 12.0), (11, 12.0)] {
            assert_eq!(count_end(tallest, 11), end, "tallest {tallest}");
        }
        for (tallest, end) in [(12, 15.0), (26, 30.0), (70, 80.0), (900, 1000.0)] {
            assert_eq!(count_end(tallest, 11), end, "tallest {tallest}");
        }
        // On 7 rows, as at 90x20 (three parts at most): 5 and 25 give way
        // to 6 and 30.
        for (tallest, end) in [(4, 6.0), (6, 8.0), (23, 30.0), (12, 15.0)] {
            assert_eq!(count_end(tallest, 7), end, "tallest {tallest}");
        }
        for rows in [3, 7, 11, 40] {
            for tallest in 1..5000 {
                let end = count_end(tallest, rows);
                assert!(end >= tallest as f64 * 1.05 && end <= 2.2 * tallest as f64 + 2.0);
            }
        }
    }
}
