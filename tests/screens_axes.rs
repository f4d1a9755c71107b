//! An axis's numbers read as a linear axis: where a landmark (the rate
//! view's threshold, v_in = 1) lies between the round ticks, the axis
//! steps through it evenly when its numbers fit, rather than reading
//! `0 1 2 4`, which looks logarithmic.

mod common;

use common::drawn::rows;
use spikescope::preset;
use spikescope::ui::app::{App, RunState};
use spikescope::view::Pane;

/// The numbers of a plot's x axis whose title is `title`, in order: read
/// from the row that ends with the title, the row under the axis line or,
/// on a short plot, the axis line itself (`└ 0.0 ─── 1.1 ───`).
fn x_axis_numbers(rows: &[String], title: &str) -> Vec<f64> {
    let row = rows
        .iter()
        .rfind(|r| r.trim_end_matches('│').trim_end().ends_with(title))
        .unwrap_or_else(|| panic!("no x axis titled {title}:\n{}", rows.join("\n")));
    let cells: Vec<char> = row.chars().collect();
    let apart = |c: char| c.is_whitespace() || "│└┴─".contains(c);
    let mut out = Vec::new();
    let mut at = 0;
    while at < cells.len() {
        if apart(cells[at]) {
            at += 1;
            continue;
        }
        let start = at;
        while at < cells.len() && !apart(cells[at]) {
            at += 1;
        }
        let word: String = cells[start..at].iter().collect();
        if let Ok(value) = word.parse::<f64>() {
            out.push(value);
        }
    }
    out
}

/// lif-constant's rate view, G(v_in) against v_in with the threshold as a
/// landmark: at 60x16 its axis read 0, 1, 2, 4 (ticks 2 apart and the
/// threshold 1); with a threshold of 1.1 at 80x24, 0.0, 1.1, 4.0. Now the
/// round numbers step evenly from 0, one of them at most left out where
/// the threshold took its place (where each number stands against its
/// value: screen_truth's pictures, `picture/functions.rs`).
#[test]
fn the_rate_views_v_in_axis_steps_evenly_through_the_threshold() {
    for threshold in ["1", "1.1"] {
        let scenario =
            preset::load("lif-constant", &[format!("lif.v_threshold={threshold}")]).unwrap();
        let mut a = App::new(scenario);
        a.guide_until = None;
        a.advance(100);
        a.run = RunState::Paused;
        a.view.pane = Pane::Rate;
        let threshold: f64 = threshold.parse().unwrap();
        for (w, h) in [(60, 16), (80, 24), (120, 40)] {
            let screen = rows(&a, w, h);
            let said = format!("{w}x{h}, threshold {threshold}");
            let numbers = x_axis_numbers(&screen, "v_in");
            let round: Vec<f64> = numbers
                .iter()
                .copied()
                .filter(|v| *v != threshold || v.fract() == 0.0)
                .collect();
            let shown = || format!("{said}: {numbers:?}\n{}", screen.join("\n"));
            assert!(numbers.contains(&threshold), "{}", shown());
            assert!(round.len() >= 3 && round[0] == 0.0, "{}", shown());
            let gaps: Vec<f64> = round.windows(2).map(|p| p[1] - p[0]).collect();
            let step = gaps.iter().copied().fold(f64::INFINITY, f64::min);
            let wide: Vec<&f64> = gaps.iter().filter(|g| **g != step).collect();
            assert!(
                wide.is_empty() || (wide.len() == 1 && *wide[0] == 2.0 * step),
                "{}",
                shown()
            );
        }
    }
}
