//! The weight matrix with its bias column, the augmented matrix [W | b]
//! (notes 1.3.4), rows = post-synaptic neurons, the selected row reversed.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::model::AnyModel;
use crate::model::weights::augmented;
use crate::ui::app::App;
use crate::ui::render::compact;
use crate::ui::theme::Theme;

/// Width of one matrix cell.
const CELL: usize = 9;

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let (w_hat, names) = match &app.sim.model {
        AnyModel::Network(net) => (net.augmented_matrix_for_display(), net.names.clone()),
        AnyModel::Rate(r) => (augmented(&r.weights, &r.bias), r.names.clone()),
        _ => {
            frame.render_widget(
                Paragraph::new(
                    " a single neuron has no weights: switch to a network (m) or open one (o)",
                )
                .block(Block::bordered().title(" weights [W | b] ")),
                area,
            );
            return;
        }
    };
    // Rows and columns of W on hand (a large network's display is cut).
    let total = names.len();
    let n = w_hat.len();
    let block = Block::bordered()
        .border_style(theme.dim())
        .title(Line::from(Span::styled(
            " augmented matrix [W | b]: row i post, column j pre; z = W x + b = [W | b] [x; 1] ",
            theme.bold(),
        )));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let label_w = 10usize;
    let fit_cols = ((inner.width as usize).saturating_sub(label_w + CELL + 3) / CELL).max(1);
    let fit_rows = (inner.height as usize).saturating_sub(2).max(1);
    let first_row = if app.selected >= fit_rows {
        app.selected + 1 - fit_rows
    } else {
        0
    };
    let cols = n.min(fit_cols);
    let mut lines = Vec::new();
    let mut header = format!("{:label_w$}", "");
    for name in names.iter().take(cols) {
        header.push_str(&format!("{:>w$} ", clip(name, CELL - 2), w = CELL - 1));
    }
    if cols < n {
        header.push_str(&format!("{:>CELL$}", "…"));
    }
    header.push_str(&format!(" │{:>CELL$}", "b"));
    lines.push(Line::styled(header, theme.bold()));
    for (i, row) in w_hat.iter().enumerate().skip(first_row).take(fit_rows) {
        let mut text = format!(
            "{:<label_w$}",
            clip(&format!("#{i} {}", names[i]), label_w - 1)
        );
        for x in row.iter().take(cols) {
            text.push_str(&format!("{:>w$} ", compact(*x), w = CELL - 1));
        }
        if cols < n {
            text.push_str(&format!("{:>CELL$}", "…"));
        }
        text.push_str(&format!(" │{:>CELL$}", compact(row[row.len() - 1])));
        let style = if i == app.selected {
            theme.selected()
        } else {
            Style::new()
        };
        lines.push(Line::styled(text, style));
    }
    if cols < total || first_row + fit_rows < total {
        lines.push(Line::styled(
            format!(
                " {total} x {}: showing {cols} columns; Tab moves the selected row",
                total + 1
            ),
            theme.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn clip(s: &str, w: usize) -> String {
    s.chars().take(w).collect()
}
