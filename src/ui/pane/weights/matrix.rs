//! The whole [W | b] of a network that is not two populations (rows =
//! post, columns = pre), a window of it around the selected neuron; and
//! where the window cannot show the selected neuron's whole row, that row
//! and its column listed by the weights that are not 0. A random network
//! of 1,000 neurons has about 20 connections in each row of 1,000: its
//! window is mostly zeros, and the row the notes' z_i = sum_j w_ij x_j + b_i
//! adds (1.3.4) is the list of the neurons that send to i.

use std::cell::RefCell;
use std::ops::Range;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::{CELL, Layers, Sums, With, bias_of, cell, connections, number, short_name, sums_below};
use crate::model::AnyModel;
use crate::model::network::Connections;
use crate::ui::app::App;
use crate::ui::format::{compact, fit_number, plural};
use crate::ui::pane::weighted_sum::{self, Whose};
use crate::ui::status::neuron_label;
use crate::ui::theme::Theme;

/// The part of [W | b] in view, and the widths of its label and bias
/// columns.
struct Window {
    rows: Range<usize>,
    cols: Range<usize>,
    label_w: usize,
    b_w: usize,
}

/// The rows and columns around the selected neuron that fit `rows_fit`
/// rows and `width` columns.
fn window(app: &App, n: usize, rows_fit: usize, width: usize, theme: &Theme) -> Window {
    let selected = app.view.selected;
    let rows_fit = rows_fit.max(1).min(n);
    let r0 = selected.saturating_sub(rows_fit / 2).min(n - rows_fit);
    let rows = r0..r0 + rows_fit;
    // The labels shown, and at least the widest number (so the column keeps
    // its width as the rows scroll): a frame of a network of a million
    // neurons does not format a million labels.
    let label_w = rows
        .clone()
        .map(|i| neuron_label(app, i, theme).chars().count())
        .max()
        .unwrap_or(2)
        .max(format!("#{}", n - 1).len())
        .clamp(4, 14)
        + 1;
    // The bias column is as wide as its widest value: never cut.
    let b_w = rows
        .clone()
        .map(|i| fit_number(bias_of(app, i), CELL - 1).chars().count())
        .max()
        .unwrap_or(1)
        .max(1)
        + 1;
    let cols_fit = (width.saturating_sub(label_w + b_w + 4) / CELL)
        .max(1)
        .min(n);
    let c0 = if selected < cols_fit {
        0
    } else {
        selected.saturating_sub(cols_fit / 2).min(n - cols_fit)
    };
    Window {
        rows,
        cols: c0..c0 + cols_fit,
        label_w,
        b_w,
    }
}

pub(super) fn render(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    (n, dense, with): (usize, Option<&[Vec<f64>]>, With),
    theme: &Theme,
) {
    let block = Block::bordered()
        .border_style(theme.dim())
        .title(Line::from(Span::styled(
            " [W | b]: row i post, column j pre ",
            theme.bold(),
        )));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let selected = app.view.selected;
    let (height, width) = (inner.height as usize, inner.width as usize);
    // The header and the line saying where the window is take two rows.
    let mut win = window(app, n, height.saturating_sub(2), width, theme);
    // Where the selected row is cut, its list takes up to half the rows,
    // leaving the window at least three.
    let listed = if win.cols.len() < n {
        let room = (height / 2).min(height.saturating_sub(5));
        row_and_column(app, selected, room, width, theme)
    } else {
        Vec::new()
    };
    if !listed.is_empty() {
        win = window(app, n, height - 2 - listed.len(), width, theme);
    }
    let Window {
        rows,
        cols,
        label_w,
        b_w,
    } = win;
    let w = match &app.sim.model {
        AnyModel::Network(net) => net.weight_block(rows.clone(), cols.clone()),
        AnyModel::Rate(r) => rows
            .clone()
            .map(|i| r.weights[i][cols.clone()].to_vec())
            .collect(),
        _ => Vec::new(),
    };
    let mut lines = Vec::new();
    // Columns left out either side are marked `…`; in ASCII `..` (one `.`
    // read as a value's decimal point), taking the space beside it.
    let (before, after) = if theme.ascii {
        ("..", "..│")
    } else {
        (" …", "… │")
    };
    let mut header = format!("{:w$}", "", w = label_w - 1);
    header.push_str(if cols.start > 0 { before } else { "  " });
    for j in cols.clone() {
        header.push_str(&cell(
            &short_name(app, j, theme)
                .chars()
                .take(CELL - 2)
                .collect::<String>(),
        ));
    }
    header.push_str(if cols.end < n { after } else { "  │" });
    header.push_str(&format!("{:>b_w$}", "b"));
    lines.push(Line::styled(header, theme.bold()));
    for (r, i) in rows.clone().enumerate() {
        let mut text = format!(
            "{:<label_w$}",
            neuron_label(app, i, theme)
                .chars()
                .take(label_w - 1)
                .collect::<String>()
        );
        text.push(' ');
        for x in &w[r] {
            text.push_str(&number(*x));
        }
        text.push_str(if cols.end < n { after } else { "  │" });
        text.push_str(&format!("{:>b_w$}", fit_number(bias_of(app, i), CELL - 1)));
        let style = if i == selected {
            theme.selected()
        } else {
            Style::new()
        };
        lines.push(Line::styled(text, style));
    }
    if cols.len() < n || rows.len() < n {
        // Where the window is, then the keys that move it, as they fit (a
        // network of a million neurons has long numbers).
        let place = format!(
            " {n} x {}: rows {}-{}, columns {}-{} and b",
            n + 1,
            rows.start,
            rows.end - 1,
            cols.start,
            cols.end - 1
        );
        let text = ["; Tab or g moves the selected row", "; Tab, g: select", ""]
            .iter()
            .map(|keys| format!("{place}{keys}"))
            .find(|t| t.chars().count() <= width)
            .unwrap_or(place);
        lines.push(Line::styled(text, theme.dim()));
    }
    lines.extend(listed);
    // Below, where there is room, the connections as the notes draw them:
    // into each neuron, from every neuron that sends to it.
    // (Not even formatted where no row is left: a 64-neuron matrix's 4,096
    // numbers each frame.)
    let rows_left = height.saturating_sub(lines.len() + 1);
    if let Some(w) = dense.filter(|_| rows_left >= 2) {
        let names: Vec<String> = (0..n).map(|i| short_name(app, i, theme)).collect();
        let weights: Vec<Vec<String>> = w
            .iter()
            .map(|row| row.iter().map(|&x| fit_number(x, CELL - 1)).collect())
            .collect();
        let connected: Vec<Vec<bool>> = w
            .iter()
            .map(|row| row.iter().map(|&x| x != 0.0).collect())
            .collect();
        connections::append_below(
            &mut lines,
            &connections::Populations {
                x_names: &names,
                y_names: &names,
                weights: &weights,
                biases: None,
                selected: Some(selected),
                connected: Some(&connected),
                first_number: 0,
            },
            inner,
            theme,
        );
    }
    let used = lines.len() as u16 + 1;
    frame.render_widget(Paragraph::new(lines), inner);
    // Below, where a large screen leaves room, each neuron's weighted sum
    // over the last window.
    if let Some(w) = dense.filter(|_| with == With::Sums && n <= weighted_sum::MOST_CURVES) {
        let all: Vec<usize> = (0..n).collect();
        let names: Vec<String> = all.iter().map(|&i| short_name(app, i, theme)).collect();
        let layers = Layers {
            w,
            x: &all,
            y: &all,
        };
        let sums = Sums {
            layers: &layers,
            x_names: &names,
            y_names: &names,
            whose: Whose::Network,
        };
        sums_below(frame, inner, used, app, &sums, theme);
    }
}

/// Neurons with their weights to or from one neuron, those not 0.
type Weights = Vec<(usize, f64)>;

/// A network's row of W as last read: the weights it was read from (by
/// their id), the neuron, and its senders with their weights.
#[derive(Debug, Default)]
pub struct Senders(RefCell<Option<(u64, usize, Weights)>>);

impl Senders {
    /// Neuron i's senders: read from the storage by sender only when the
    /// weights or the neuron changed since the last frame (one bisection
    /// for each neuron: 21 ms a frame at N = 31,622 and 72 ms at 100,000,
    /// where a step takes 2 ms).
    fn of(&self, connections: &Connections, i: usize) -> Weights {
        let mut read = self.0.borrow_mut();
        match &*read {
            Some((id, neuron, senders)) if *id == connections.id() && *neuron == i => {
                senders.clone()
            }
            _ => {
                let senders: Weights = connections.sources(i).collect();
                *read = Some((connections.id(), i, senders.clone()));
                senders
            }
        }
    }
}

/// Neuron i's row of W (the neurons j that send to it, with w_ij) and its
/// column (the neurons k it sends to, with w_ki), in order.
fn row_and_column_of(app: &App, i: usize) -> (Weights, Weights) {
    let not_zero = |&(_, w): &(usize, f64)| w != 0.0;
    match &app.sim.model {
        AnyModel::Network(net) => (
            app.senders.of(net.connections(), i),
            net.connections().targets(i).filter(not_zero).collect(),
        ),
        AnyModel::Rate(r) => (
            r.weights[i]
                .iter()
                .copied()
                .enumerate()
                .filter(not_zero)
                .collect(),
            r.weights
                .iter()
                .map(|row| row[i])
                .enumerate()
                .filter(not_zero)
                .collect(),
        ),
        _ => (Weights::new(), Weights::new()),
    }
}

/// A row's or column's weights as the screen writes them: each neuron's
/// name and weight, and their sum.
struct Listing {
    entries: Vec<(String, String)>,
    sum: f64,
}

impl Listing {
    fn of(app: &App, weights: &[(usize, f64)], theme: &Theme) -> Self {
        Self {
            entries: weights
                .iter()
                .map(|&(j, w)| (short_name(app, j, theme), fit_number(w, CELL - 1)))
                .collect(),
            sum: weights.iter().map(|&(_, w)| w).sum(),
        }
    }

    /// "from 21 neurons, weights summing to 0.03123", or "from no neuron".
    fn says(&self, word: &str) -> String {
        if self.entries.is_empty() {
            format!("{word} no neuron")
        } else {
            format!(
                "{word} {}, weights summing to {}",
                plural(self.entries.len() as u64, "neuron", "neurons"),
                compact(self.sum)
            )
        }
    }
}

/// Neuron i's row and column in at most `rows` lines of `width`: each a
/// line saying how many and what they sum to, then its neurons and weights
/// as a table read across. Where both do not fit, the row keeps at least
/// half the lines and the column the rest; what is left out is counted.
fn row_and_column(
    app: &App,
    i: usize,
    rows: usize,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    if rows == 0 {
        return Vec::new();
    }
    let (row, column) = row_and_column_of(app, i);
    let (into, from) = (
        Listing::of(app, &row, theme),
        Listing::of(app, &column, theme),
    );
    let chars = |t: &String| t.chars().count();
    let all = || into.entries.iter().chain(&from.entries);
    let name_w = all().map(|(name, _)| chars(name)).max().unwrap_or(1);
    let value_w = all().map(|(_, value)| chars(value)).max().unwrap_or(1);
    let table = Table {
        name_w,
        value_w,
        per_line: ((width.saturating_sub(1) + 2) / (name_w + 1 + value_w + 2)).max(1),
        more: if theme.ascii { "..." } else { "…" },
    };
    let need = |l: &Listing| 1 + l.entries.len().div_ceil(table.per_line);
    let (need_row, need_column) = (need(&into), need(&from));
    let column_lines = need_column.min(rows / 2);
    let row_lines = need_row.min(rows - column_lines);
    let column_lines = need_column.min(rows - row_lines);
    let label = neuron_label(app, i, theme);
    let row_says = [
        format!("row {label} (into {label}): {}", into.says("from")),
        format!(
            "row {label}: {} senders, sum {}",
            row.len(),
            compact(into.sum)
        ),
    ];
    let column_says = [
        format!("column {label} (from {label}): {}", from.says("to")),
        format!(
            "column {label}: {} targets, sum {}",
            column.len(),
            compact(from.sum)
        ),
    ];
    let mut lines = table.part(&row_says, &into.entries, row_lines, width, theme);
    lines.extend(table.part(&column_says, &from.entries, column_lines, width, theme));
    lines
}

/// How the row's and column's neurons and weights are laid out: each
/// `name value` in columns of one width, `per_line` to a line.
struct Table {
    name_w: usize,
    value_w: usize,
    per_line: usize,
    more: &'static str,
}

impl Table {
    /// A heading (the first of `says` that fits) and the entries under it,
    /// in `lines` lines in all; where they do not all fit, the last place
    /// counts the rest.
    fn part(
        &self,
        says: &[String],
        entries: &[(String, String)],
        lines: usize,
        width: usize,
        theme: &Theme,
    ) -> Vec<Line<'static>> {
        if lines == 0 {
            return Vec::new();
        }
        let heading = says
            .iter()
            .find(|t| t.chars().count() <= width)
            .unwrap_or(&says[says.len() - 1]);
        let mut out = vec![Line::styled(heading.clone(), theme.bold())];
        let places = self.per_line * (lines - 1);
        let shown = if entries.len() <= places {
            entries.len()
        } else {
            places.saturating_sub(1)
        };
        let mut cells: Vec<String> = entries[..shown]
            .iter()
            .map(|(name, value)| {
                format!(
                    "{name:<nw$} {value:>vw$}",
                    nw = self.name_w,
                    vw = self.value_w
                )
            })
            .collect();
        if shown < entries.len() && places > 0 {
            cells.push(format!("{} {} more", self.more, entries.len() - shown));
        }
        for line in cells.chunks(self.per_line) {
            out.push(Line::raw(format!(" {}", line.join("  "))));
        }
        out
    }
}
