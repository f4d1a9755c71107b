//! The raster under the scope's traces: each neuron's marks in the columns
//! of its spikes on the traces' time axis, and nowhere else. A row of
//! strokes is one neuron's (`|` a spike, a digit 2 to 9 spikes in one
//! column, `+` more); a dense row's Braille cells hold four
//! neurons, one to a dot row, in two time bins (the cell's dot columns).
//! A mark may sit a column off its spike's computed place (a time on a
//! column's edge), not two. In ASCII a dense row's cell is a digit, how
//! many of its four neurons fired in the cell's two time bins.

use spikescope::model::ModelKind;

use super::Span;
use super::axes::Area;
use crate::check::{Found, Screen};

/// What one raster row shows: the neuron of a row of strokes, or the
/// first neuron of a dense row's four.
enum Row {
    Strokes(usize),
    Dense(usize),
}

pub(super) fn check(
    found: &mut Found,
    s: &Screen,
    grid: &[Vec<char>],
    plot: &Area,
    spans: &[Span],
) {
    let (border, rule) = if s.ascii { ('|', ':') } else { ('│', '│') };
    let Some(title) = grid.iter().position(|l| {
        l.first().is_some_and(|&c| c == '┌' || c == '+')
            && l.iter().collect::<String>().contains(" spikes")
    }) else {
        return;
    };
    let line: String = grid[title].iter().collect();
    // Spikes the ring dropped leave blanks that are no silence.
    if line.contains("spikes from") {
        return;
    }
    let dots = 2 * plot.width;
    let w = s.app.window_s();
    // The dot columns of neuron k's spikes on the axis.
    let spike_dots = |k: usize| -> Vec<usize> {
        let mut out = Vec::new();
        for &(n, t) in &s.run.spikes {
            if n != k || t > s.now {
                continue;
            }
            for p in spans.iter().filter(|p| p.holds_spike(t)) {
                let x = ((t - p.origin_s) / w).clamp(0.0, 1.0);
                out.push((x * (dots - 1) as f64).round() as usize);
            }
        }
        out
    };
    let rule_at = plot.left - 1;
    let mut wrong = Vec::new();
    let mut first_row = true;
    for line in grid[title + 1..]
        .iter()
        .take_while(|l| l.first() == Some(&border))
    {
        if line.get(rule_at) != Some(&rule) {
            break;
        }
        let label: String = line[1..rule_at].iter().collect();
        let label = label.trim();
        let cells: Vec<char> = (0..plot.width)
            .map(|c| line.get(plot.left + c).copied().unwrap_or(' '))
            .collect();
        // A dense row is of Braille cells, in ASCII of digits (its last
        // row, of one neuron, is named as a row of strokes is, `#4 y3`, and
        // counts it in 1s, which a row of strokes draws as `|`).
        let dense = cells
            .iter()
            .any(|&c| ('\u{2800}'..='\u{28ff}').contains(&c) || c == '1');
        let number = |text: &str| {
            text.split(|c: char| !c.is_ascii_digit())
                .find(|t| !t.is_empty())
                .and_then(|t| t.parse::<usize>().ok())
        };
        let row = match label.strip_prefix('#') {
            Some(rest) if dense || rest.contains('-') => number(rest).map(Row::Dense),
            Some(rest) => number(rest).map(Row::Strokes),
            // A filter bank's one row is its input train's.
            None if s.app.kind() == ModelKind::Synapse && first_row => Some(Row::Strokes(0)),
            None => None,
        };
        first_row = false;
        match row {
            Some(Row::Strokes(k)) => {
                let drawn: Vec<usize> = (0..plot.width).filter(|&c| cells[c] != ' ').collect();
                let expected: Vec<usize> = spike_dots(k)
                    .iter()
                    .map(|d| (d / 2).min(plot.width - 1))
                    .collect();
                compare(&mut wrong, &format!("#{k}"), &drawn, &expected, 1);
                strokes(&mut wrong, k, &cells, &expected);
            }
            Some(Row::Dense(first)) if s.ascii => {
                // The row's neurons as its name says (`#0-3`; `#4 y3`, one).
                let last = label.split_once('-').and_then(|(_, l)| number(l));
                let fired: Vec<Vec<usize>> = (first..=last.unwrap_or(first).min(first + 3))
                    .map(&spike_dots)
                    .collect();
                counts(&mut wrong, first, &cells, &fired);
            }
            Some(Row::Dense(first)) => {
                const LEFT: [u32; 4] = [0x01, 0x02, 0x04, 0x40];
                const RIGHT: [u32; 4] = [0x08, 0x10, 0x20, 0x80];
                for d in 0..4 {
                    let drawn: Vec<usize> = (0..plot.width)
                        .flat_map(|c| {
                            let bits = (cells[c] as u32).wrapping_sub(0x2800);
                            let bits = if bits < 0x100 { bits } else { 0 };
                            [
                                (bits & LEFT[d] != 0).then_some(2 * c),
                                (bits & RIGHT[d] != 0).then_some(2 * c + 1),
                            ]
                        })
                        .flatten()
                        .collect();
                    compare(
                        &mut wrong,
                        &format!("#{}", first + d),
                        &drawn,
                        &spike_dots(first + d),
                        1,
                    );
                }
            }
            None => {}
        }
    }
    if let Some(first) = wrong.first() {
        found
            .wrong
            .push(format!("raster ({} wrong): {first}", wrong.len()));
    }
}

/// A row of strokes of neuron k (`expected`: its spikes' columns): `|` is
/// one spike, a digit 2 to 9 that many, `+` ten or more, each no more than
/// the spikes within a column of its place; and the marks count all of them.
fn strokes(wrong: &mut Vec<String>, k: usize, cells: &[char], expected: &[usize]) {
    let mut total = 0;
    let mut over_nine = false;
    for (c, &mark) in cells.iter().enumerate() {
        let count = match mark {
            ' ' => 0,
            '|' => 1,
            '+' => 10,
            _ => match mark.to_digit(10) {
                Some(d @ 2..=9) => d as usize,
                _ => {
                    wrong.push(format!(
                        "#{k}: '{mark}' in column {c} is no count of spikes"
                    ));
                    continue;
                }
            },
        };
        over_nine |= mark == '+';
        total += count;
        let near = expected.iter().filter(|&&x| x.abs_diff(c) <= 1).count();
        if count > near {
            wrong.push(format!(
                "#{k}: '{mark}' in column {c}, where {near} spikes may be drawn"
            ));
        }
    }
    if total != expected.len() && !(over_nine && total < expected.len()) {
        wrong.push(format!(
            "#{k}: the marks count {total} spikes, the window holds {}",
            expected.len()
        ));
    }
}

/// An ASCII dense row of up to four neurons from `first` (`fired`: each
/// one's spikes' dot columns): each cell's digit counts those with a
/// spike that may be drawn in it (a mark may sit a dot column off its
/// spike's place, as a Braille dot may), no more; and each spike has a
/// digit in a cell it may be drawn in.
fn counts(wrong: &mut Vec<String>, first: usize, cells: &[char], fired: &[Vec<usize>]) {
    // The cells a spike at dot column x may be drawn in: those of x - 1
    // to x + 1 (a cell holds two dot columns).
    let cell = |d: usize| (d / 2).min(cells.len() - 1);
    let reach = |x: usize| cell(x.saturating_sub(1))..=cell(x + 1);
    for (c, &shown) in cells.iter().enumerate() {
        let count = match shown {
            ' ' => 0,
            _ => shown.to_digit(10).map_or(usize::MAX, |k| k as usize),
        };
        let may = fired
            .iter()
            .filter(|xs| xs.iter().any(|&x| reach(x).contains(&c)))
            .count();
        if count > may {
            wrong.push(format!(
                "#{first}-{}: '{shown}' in cell {c}, where {may} of them may have fired",
                first + fired.len() - 1
            ));
        }
    }
    for (d, xs) in fired.iter().enumerate() {
        for &x in xs.iter().filter(|&&x| reach(x).all(|c| cells[c] == ' ')) {
            wrong.push(format!(
                "#{}: no count for its spike at dot column {x} (cells {:?})",
                first + d,
                reach(x)
            ));
        }
    }
}

/// Each mark drawn within `fuzz` columns of one expected, and each expected
/// within `fuzz` of one drawn.
fn compare(wrong: &mut Vec<String>, who: &str, drawn: &[usize], expected: &[usize], fuzz: usize) {
    let near = |a: usize, set: &[usize]| set.iter().any(|&b| a.abs_diff(b) <= fuzz);
    for &c in drawn.iter().filter(|&&c| !near(c, expected)) {
        wrong.push(format!(
            "{who}: a mark in column {c}, where it has no spike (spikes at {expected:?})"
        ));
    }
    for &c in expected.iter().filter(|&&c| !near(c, drawn)) {
        wrong.push(format!(
            "{who}: no mark for its spike in column {c} (marks at {drawn:?})"
        ));
    }
}
