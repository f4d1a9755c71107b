//! The spike raster, on the traces' time axis: a spike's mark sits in the
//! column where the trace above shows it (`Geometry::dot_column`).
//!
//! Where every neuron has a row: one row per neuron with a `|` in each column
//! where it spiked once, the count where it spiked 2 to 9 times (a burst
//! narrower than a column is not one spike) and `+` for more, the selected
//! one reversed. A larger network gets the selected neuron's row first,
//! then a dense raster of the page of neurons that holds it: four neurons
//! to a text row, one per dot row of a Braille cell, and the cell's two dot
//! columns as two time bins.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::timebase::Sweep;
use crate::ui::app::App;
use crate::ui::format::sim_time;
use crate::ui::plot::Geometry;
use crate::ui::status::neuron_label;
use crate::ui::theme::Theme;

/// Neurons per text row of the dense raster: the four dot rows of a
/// Braille cell.
const DOTS_PER_CELL: usize = 4;
/// A Braille cell's dots 1-2-3-7 (left) and 4-5-6-8 (right), top to
/// bottom: a dense row's four neurons in its two time bins.
const LEFT: [u8; DOTS_PER_CELL] = [0x01, 0x02, 0x04, 0x40];
const RIGHT: [u8; DOTS_PER_CELL] = [0x08, 0x10, 0x20, 0x80];
/// The smallest raster: one row and its border.
pub const RASTER_MIN: u16 = 3;

/// The raster's height with its border: one row per neuron while they fit in
/// a quarter of the pane; a larger network is drawn dense in a quarter of a
/// small pane, up to a third of a tall one; never so tall that the plots
/// above lose the `reserved` rows their axes need.
pub fn raster_rows(n: usize, pane_height: u16, reserved: u16) -> u16 {
    let quarter = pane_height / 4;
    let rows = if n <= quarter as usize {
        n
    } else {
        let most = pane_height
            .saturating_sub(30)
            .clamp(quarter, pane_height / 3);
        (1 + n.div_ceil(DOTS_PER_CELL)).min(most as usize)
    };
    let room = pane_height.saturating_sub(reserved + 2).max(1);
    (rows as u16).clamp(1, room) + 2
}

/// Which neurons the raster shows in `rows` rows: whether it is dense, the
/// first neuron and how many.
fn shown(app: &App, rows: usize) -> (bool, usize, usize) {
    let n = app.neuron_count();
    let selected = app.view.selected;
    let dense = n > rows && rows >= 2;
    // The neurons of the dense rows: a whole page, so that Tab turns pages;
    // the last page ends at the last neuron (overlapping the one before), so
    // that no row is left empty.
    let page = DOTS_PER_CELL * rows.saturating_sub(1).max(1);
    if dense {
        let first = (selected / page * page).min(n.saturating_sub(page));
        (true, first, page.min(n - first))
    } else if selected >= rows {
        (false, selected + 1 - rows, rows)
    } else {
        (false, 0, rows.min(n))
    }
}

/// The labels of the raster's rows when it is `height` high (with border).
fn labels(app: &App, height: u16, theme: &Theme) -> Vec<String> {
    let rows = height.saturating_sub(2) as usize;
    let (dense, first, shown) = shown(app, rows);
    if dense {
        let mut out = vec![neuron_label(app, app.view.selected, theme)];
        for r in 0..shown.div_ceil(DOTS_PER_CELL) {
            let a = first + DOTS_PER_CELL * r;
            let b = (a + DOTS_PER_CELL).min(first + shown) - 1;
            // A row of one neuron is named as a sparse row is (`#4 y3`,
            // not `#4-4`).
            out.push(if a == b {
                neuron_label(app, a, theme)
            } else {
                format!("#{a}-{b}")
            });
        }
        out
    } else {
        (first..first + shown)
            .map(|i| neuron_label(app, i, theme))
            .collect()
    }
}

/// The raster's title: where it shows only some of the neurons, which,
/// of how many, and (with `keys`) how to reach the others (a student at
/// 80x24 sees 12 of network-ei's 40 and would take them for the whole
/// network).
/// Where the kept spikes start inside the window (the ring dropped older
/// ones, or the neurons kept changed), the title says from when: before it
/// a blank is no silence.
fn title(first: usize, shown: usize, n: usize, whole_from: Option<f64>, keys: bool) -> String {
    let spikes = match whole_from {
        Some(t) => format!("spikes from {}", sim_time(t)),
        None => "spikes".to_string(),
    };
    let keys = if keys { " (Tab or g: the others)" } else { "" };
    if shown == 0 || shown >= n {
        format!(" {spikes} ")
    } else if shown == 1 {
        format!(" {spikes}: #{first} of {n} neurons{keys} ")
    } else {
        let last = first + shown - 1;
        format!(" {spikes}: #{first}-{last} of {n} neurons{keys} ")
    }
}

/// A neuron row's mark for `k` spikes in one column: `|` for one, the count
/// for 2 to 9, `+` for more.
fn stroke(k: u32) -> char {
    match k {
        0 => ' ',
        1 => '|',
        2..=9 => char::from_digit(k, 10).unwrap_or('+'),
        _ => '+',
    }
}

/// The raster's title with the keys to its digits where it has room for
/// them: in ASCII a dense row's cell is a digit, how many of the row's
/// neurons fired in it (a Braille cell shows which; its one-cell stand-in,
/// `*`, said only that some did); a neuron's row counts its spikes where a
/// column holds more than one (`most`: the most any does), and over a dense
/// raster, whose only such row is the selected neuron's, the key names it
/// (`#0: 2-9 spikes a column`), as its digits count spikes, not neurons.
/// The keys come before the hint to the other neurons, which the hints line
/// and `?` give too: a narrow screen drops the hint first, then the
/// selected row's key.
fn heading(
    title: impl Fn(bool) -> String,
    dense: Option<usize>,
    ascii: bool,
    most: u32,
    width: u16,
) -> String {
    let dense_ascii = dense.is_some() && ascii;
    let dense_key = dense_ascii.then(|| format!("1-{DOTS_PER_CELL}: how many fired"));
    let counts = if most > 9 { "2-9, + over 9" } else { "2-9" };
    let stroke_key = (most > 1).then(|| match dense {
        Some(selected) => format!("#{selected}: {counts} spikes a column"),
        None => format!("{counts}: spikes in a column"),
    });
    let with = |hint: bool, keys: &[&Option<String>]| {
        let mut out = title(hint).trim_end().to_string();
        for key in keys.iter().filter_map(|k| k.as_deref()) {
            out.push_str("; ");
            out.push_str(key);
        }
        out.push(' ');
        out
    };
    let (all, first_key) = (
        [&dense_key, &stroke_key],
        [if dense_ascii { &dense_key } else { &stroke_key }],
    );
    [with(true, &all), with(false, &all), with(false, &first_key)]
        .into_iter()
        .find(|h| h.chars().count() + 2 <= width as usize)
        .unwrap_or_else(|| title(true))
}

/// The label width the raster wants (at most 14 columns: a long name is
/// shortened, a number never).
pub fn label_width(app: &App, height: u16, theme: &Theme) -> u16 {
    labels(app, height, theme)
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0)
        .min(14) as u16
}

/// Draws the raster under a plot whose data went to `g`; `margin` is the
/// plots' label width, so the marks start where the traces do.
pub fn render_raster(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    sweep: &Sweep,
    g: Geometry,
    margin: u16,
    theme: &Theme,
) {
    let rows = area.height.saturating_sub(2) as usize;
    let (dense, first, shown) = shown(app, rows);
    let whole_from = app
        .traces
        .probes
        .spikes_whole_from(first..first + shown)
        .filter(|&t| sweep.earliest_s().is_some_and(|e| t > e));
    let cols = g.area.width as usize;
    let selected = app.view.selected;
    let dense_rows = if dense {
        shown.div_ceil(DOTS_PER_CELL)
    } else {
        0
    };
    // The selected neuron's spikes per column (its own row when dense), and
    // per shown neuron (dense: per cell) those of its row.
    let mut selected_marks = vec![0u32; cols];
    let mut marks = vec![vec![0u32; cols]; if dense { 0 } else { shown }];
    let mut cells = vec![vec![0u8; cols]; dense_rows];
    let earliest = sweep.earliest_s().unwrap_or(f64::INFINITY);
    // None where the plot has no columns (a column is `cols - 1` at most).
    let spikes = app.traces.probes.spikes_from(earliest);
    for s in spikes.take_while(|_| cols > 0) {
        let in_rows = s.neuron >= first && s.neuron < first + shown;
        let selected_row = dense && s.neuron == selected;
        if !(in_rows || selected_row) {
            continue;
        }
        for dot in sweep.xs_of(s.time_s).filter_map(|x| g.dot_column(x)) {
            let col = (dot / 2).min(cols - 1);
            if selected_row {
                selected_marks[col] += 1;
            }
            if !in_rows {
                continue;
            }
            let k = s.neuron - first;
            if dense {
                let d = k % DOTS_PER_CELL;
                cells[k / DOTS_PER_CELL][col] |= if dot % 2 == 0 { LEFT[d] } else { RIGHT[d] };
            } else {
                marks[k][col] += 1;
            }
        }
    }
    let most = marks
        .iter()
        .chain(std::iter::once(&selected_marks))
        .flatten()
        .copied()
        .max()
        .unwrap_or(0);
    let heading = heading(
        |keys| title(first, shown, app.neuron_count(), whole_from, keys),
        dense.then_some(selected),
        theme.ascii,
        most,
        area.width,
    );
    let block = Block::bordered()
        .border_style(theme.dim())
        .title(Line::from(Span::styled(heading, theme.bold())));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if rows == 0 || cols == 0 || inner.x + margin + 1 != g.area.x {
        return;
    }
    let label_w = margin as usize;
    let names = labels(app, area.height, theme);
    let strokes = |m: &[u32]| -> String { m.iter().map(|&k| stroke(k)).collect() };
    // Labels keep the neuron's number whole; a long name is shortened.
    // In ASCII the rule after them is ':', as '|' would read as a spike
    // in the first column.
    let rule = if theme.ascii { ":" } else { "│" };
    let row = |label: &str, style: Style, text: String, text_style: Style| {
        let label: String = label.chars().take(label_w).collect();
        Line::from(vec![
            Span::styled(format!("{label:<label_w$}"), style),
            Span::styled(rule, theme.dim()),
            Span::styled(text, text_style),
        ])
    };
    let selected_style = theme.trace(4).add_modifier(Modifier::BOLD);
    let mut lines: Vec<Line> = Vec::with_capacity(rows);
    if dense {
        lines.push(row(
            &names[0],
            theme.selected(),
            strokes(&selected_marks),
            selected_style,
        ));
        for (r, cells) in cells.iter().enumerate() {
            let text: String = cells
                .iter()
                .map(|&c| {
                    if theme.ascii {
                        let fired = (0..DOTS_PER_CELL)
                            .filter(|&d| c & (LEFT[d] | RIGHT[d]) != 0)
                            .count();
                        match fired {
                            0 => ' ',
                            k => char::from_digit(k as u32, 10).unwrap_or('*'),
                        }
                    } else {
                        char::from_u32(0x2800 + u32::from(c)).unwrap_or(' ')
                    }
                })
                .collect();
            lines.push(row(&names[r + 1], Style::new(), text, theme.trace(0)));
        }
    } else {
        for (r, m) in marks.iter().enumerate() {
            let i = first + r;
            let (style, mark_style) = if i == selected {
                (theme.selected(), selected_style)
            } else {
                (Style::new(), theme.trace(0))
            };
            lines.push(row(&names[r], style, strokes(m), mark_style));
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
