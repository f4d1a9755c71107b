//! Connection weights (notes 1.3.4). A network of two populations X -> Y is
//! written as the notes write it: W (M x N) and b, or the augmented
//! [W | b] with the input vector [x; 1] and its constant-1 node, and
//! z = W x + b computed from the live x beside the engine's own input,
//! its Y neurons around the selected one where not all fit. Any other
//! network, and two populations too wide for the pane, get a window of
//! their whole [W | b] (matrix.rs).

mod matrix;

pub use matrix::Senders;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::connections;
use super::scope::note;
use super::weighted_sum::{self, Row, Trains, Whose};
use crate::model::AnyModel;
use crate::model::network::SpikeTiming;
use crate::model::synapse::PscFilter;
use crate::model::weights::populations;
use crate::ui::app::App;
use crate::ui::format::{fit_number, sig4};
use crate::ui::status::{neuron_label, neuron_name};
use crate::ui::theme::Theme;
use crate::ui::words::wrap_words;

/// Width of one matrix cell (a compact number is at most 8 characters).
const CELL: usize = 9;
/// Largest network shown in the populations form (it reads W densely).
const POPULATIONS_UP_TO: usize = 64;

/// Why a model of one neuron (or the PSC filters) draws no weight matrix,
/// and where one is.
fn no_matrix(app: &App) -> String {
    let network = "A weight matrix joins the neurons of a network (notes 1.3.4): press m \
                   for the A, B -> C network or o for network-populations (X -> Y with W and b).";
    match app.sim.model {
        AnyModel::Synapse(_) => format!(
            "These PSC filters take one spike train through one connection weight, w = {} \
             (the input line: Up/Down changes it); each spike adds w h(t - t_k) to s. {network}",
            sig4(app.input_level())
        ),
        _ => format!("A single neuron has no connection weights. {network}"),
    }
}

/// The weights view: the table, the notes' pictures of it and, where a
/// large screen leaves room, the weighted sums over time.
pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    draw(frame, area, app, With::Sums, theme);
}

/// The weights beside the scope (scope.rs): the table and the notes'
/// pictures, without the sums over time (their time axis is not the
/// traces' beside them).
pub fn render_beside_scope(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    draw(frame, area, app, With::TableOnly, theme);
}

/// Whether the weighted sums over time go under the table where they fit.
#[derive(Clone, Copy, PartialEq)]
enum With {
    Sums,
    TableOnly,
}

fn draw(frame: &mut Frame, area: Rect, app: &App, with: With, theme: &Theme) {
    let (n, dense) = match &app.sim.model {
        AnyModel::Network(net) if net.len() <= POPULATIONS_UP_TO => {
            (net.len(), Some(net.connections().to_dense()))
        }
        AnyModel::Network(net) => (net.len(), None),
        AnyModel::Rate(r) => (r.len(), Some(r.weights.clone())),
        _ => {
            note(frame, area, "weights [W | b]", &no_matrix(app), theme);
            return;
        }
    };
    // Two populations whose W and b are wider than the pane are drawn as
    // any network is: a window of [W | b], its cut columns marked, the
    // selected row listed (the populations' table lost its last columns
    // and b without a mark).
    let inside = area.width.saturating_sub(2) as usize;
    match dense.as_ref().and_then(|w| populations(w).map(|p| (w, p))) {
        Some((w, (x, y))) if label_width(app, &y, theme) + w_and_b_width(&x) <= inside => {
            let layers = Layers { w, x: &x, y: &y };
            populations_view(frame, area, app, (&layers, with), theme)
        }
        _ => matrix::render(frame, area, app, (n, dense.as_deref(), with), theme),
    }
}

/// The populations table's rows that fit under its header in `inner`
/// (with a line saying where they are, and one for groups left out when
/// `cut`): all, or those around the selected Y neuron.
fn rows_in_view(
    app: &App,
    y: &[usize],
    total: usize,
    inner: Rect,
    cut: bool,
) -> std::ops::Range<usize> {
    let room = (inner.height as usize).saturating_sub(1 + usize::from(cut));
    if total <= room {
        return 0..total;
    }
    let fit = room.saturating_sub(1).clamp(1, total);
    let selected = y.iter().position(|&i| i == app.view.selected).unwrap_or(0);
    let first = selected.saturating_sub(fit / 2).min(total - fit);
    first..first + fit
}

/// The populations table's label column: the widest Y neuron's label and
/// a space.
fn label_width(app: &App, y: &[usize], theme: &Theme) -> usize {
    y.iter()
        .map(|&i| neuron_label(app, i, theme).chars().count())
        .max()
        .unwrap_or(2)
        + 1
}

/// The populations table's [W | b] group beside its labels: a cell for
/// each X neuron, the rule and b's cell.
fn w_and_b_width(x: &[usize]) -> usize {
    CELL * (x.len() + 1) + 2
}

fn bias_of(app: &App, i: usize) -> f64 {
    match &app.sim.model {
        AnyModel::Network(net) => net.bias()[i],
        AnyModel::Rate(r) => r.bias[i],
        _ => 0.0,
    }
}

fn short_name(app: &App, i: usize, theme: &Theme) -> String {
    let name = neuron_name(app, i, theme);
    if name.is_empty() {
        format!("#{i}")
    } else {
        name
    }
}

fn cell(text: &str) -> String {
    format!("{text:>w$} ", w = CELL - 1)
}

/// A weight in its cell, never wider.
fn number(x: f64) -> String {
    cell(&fit_number(x, CELL - 1))
}

/// The live input of population X as the notes' x: each sending neuron's
/// filtered spike train (a_j * h)(t) in 1/s (networks), or its activity y_j
/// (rate networks).
fn live_x(app: &App, x: &[usize]) -> Vec<f64> {
    match &app.sim.model {
        AnyModel::Network(net) => {
            let filter: PscFilter = net.params().filter;
            let now = app.sim.time_s();
            x.iter()
                .map(|&j| filter.convolve(&weighted_sum::delivered(app, j), 1.0, now))
                .collect()
        }
        AnyModel::Rate(r) => x.iter().map(|&j| r.y[j]).collect(),
        _ => Vec::new(),
    }
}

/// The engine's own input to neuron i without its external stimulus:
/// s_i + b_i (networks), z_i (rate networks, from the last step's y).
fn engine_z(app: &App, i: usize) -> f64 {
    match &app.sim.model {
        AnyModel::Network(net) => net.synaptic_current(i) + net.bias()[i],
        AnyModel::Rate(r) => r.z[i] - app.sim.input().get(i).copied().unwrap_or(0.0),
        _ => 0.0,
    }
}

/// Two populations of a network: X feeding Y through the dense W.
struct Layers<'a> {
    w: &'a [Vec<f64>],
    x: &'a [usize],
    y: &'a [usize],
}

/// X -> Y as in the notes: W (M x N) with b, or [W | b] with [x; 1].
fn populations_view(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    (layers, with): (&Layers, With),
    theme: &Theme,
) {
    let augmented = app.preset.augmented;
    let network = matches!(app.sim.model, AnyModel::Network(_));
    let (x, y) = (layers.x, layers.y);
    let (m, nx) = (y.len(), x.len());
    let title = if augmented {
        // The longest that fits the border (the notes' words first).
        let shape = format!(" [W | b] ({m} x {}) [x; 1] = z: ", nx + 1);
        [
            "the bias is the weight of a constant-1 input node ",
            "the bias weighs a constant-1 input node ",
            "b weighs a constant 1 ",
        ]
        .into_iter()
        .map(|why| format!("{shape}{why}"))
        .find(|t| t.chars().count() + 3 <= area.width as usize)
        .unwrap_or(shape)
    } else {
        format!(" W ({m} x {nx}), b: z = W x + b, X ({nx}) -> Y ({m}) ")
    };
    let block = Block::bordered()
        .border_style(theme.dim())
        .title(Line::from(Span::styled(title, theme.bold())));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let label_w = label_width(app, y, theme);
    let sep = if augmented { " │" } else { "  " };
    // The table in column groups: [W | b], the input vector, z, the
    // engine's z. A screen too narrow for all of them loses whole groups
    // from the right (never part of a number) and says which.
    let mut header = vec![format!("{:label_w$}", "")];
    for &j in x {
        header[0].push_str(&cell(&short_name(app, j, theme)));
    }
    header[0].push_str(sep);
    header[0].push_str(&cell(if augmented { "1" } else { "b" }));
    // The input vector's group ends in a blank, as every cell does: a
    // full-width z beside it read `1-0.06108`.
    header.push(format!(
        "  {:>6} {:>10} ",
        "",
        if augmented { "[x; 1]" } else { "x" }
    ));
    header.push(cell("z"));
    header.push(cell(if network { "s + b" } else { "z engine" }));
    let xs = live_x(app, x);
    let rows: Vec<(Vec<String>, bool)> = (0..m.max(nx + usize::from(augmented)))
        .map(|r| populations_row(app, layers, &xs, r, label_w, sep, theme))
        .collect();
    let width = |k: usize, groups: &[String]| -> usize {
        groups.iter().take(k).map(|g| g.chars().count()).sum()
    };
    let fits = |k: usize| {
        std::iter::once(&header)
            .chain(rows.iter().map(|(g, _)| g))
            .all(|g| width(k, g) <= inner.width as usize)
    };
    let shown = (1..=header.len()).rev().find(|&k| fits(k)).unwrap_or(1);
    let mut lines = vec![Line::styled(header[..shown].concat(), theme.bold())];
    let in_view = rows_in_view(app, y, rows.len(), inner, shown < header.len());
    for (groups, selected) in &rows[in_view.clone()] {
        let text: String = groups.iter().take(shown).map(String::as_str).collect();
        let style = if *selected {
            theme.selected()
        } else {
            Style::new()
        };
        lines.push(Line::styled(text, style));
    }
    if in_view.len() < rows.len() {
        // Which Y neurons, then the keys that move them, as they fit.
        let first = in_view.start.min(m - 1);
        let last = in_view.end.min(m).saturating_sub(1).max(first);
        let place = format!(
            " Y neurons {}-{} of {m}",
            neuron_label(app, y[first], theme),
            neuron_label(app, y[last], theme)
        );
        let text = ["; Tab or g moves the selected row", "; Tab, g: select", ""]
            .iter()
            .map(|keys| format!("{place}{keys}"))
            .find(|t| t.chars().count() <= inner.width as usize)
            .unwrap_or(place);
        lines.push(Line::styled(text, theme.dim()));
    }
    if shown < header.len() {
        let left = ["the input vector", "z", "the engine's z"][shown - 1..].join(", ");
        lines.push(Line::styled(
            format!(" ({left}: on a wider screen)"),
            theme.dim(),
        ));
    }
    lines.push(Line::raw(""));
    // W changed in the panel: s_i holds the spikes that came before,
    // weighed by the W they arrived under, until they fade, so z from the W
    // now differs from s_i + b_i (in the digits shown) for some tau_s.
    let w_changed = app
        .changed
        .iter()
        .any(|(key, _)| key == "network.weights" || key == "network.augmented");
    // The filter h changed (tau_s, the order): s_i carried its state into
    // the new h, where x sums the h of now over the spikes that came
    // before it; network-abc at order 1 after 0 read z 1.672 beside s + b
    // 1.432 under "(equal)".
    let h_changed = Trains::of(app, x).is_some_and(|t| t.h_as_now(app.sim.time_s()));
    let differ = rows.iter().any(|(g, _)| g.len() == 4 && g[2] != g[3]);
    let equal = match (differ, h_changed, w_changed) {
        (true, true, _) => Equal::OnceHChangeFades,
        (true, false, true) => Equal::OnceEarlierSpikesFade,
        _ => Equal::Now,
    };
    for l in wrap_words(
        &populations_notes(nx, m, (timing(app), equal), augmented),
        inner.width.saturating_sub(2) as usize,
    ) {
        lines.push(Line::styled(format!(" {l}"), theme.dim()));
    }
    // Below, where there is room, the same W drawn as the notes' pictures.
    let x_names: Vec<String> = x.iter().map(|&j| short_name(app, j, theme)).collect();
    let y_names: Vec<String> = y.iter().map(|&i| short_name(app, i, theme)).collect();
    let weights: Vec<Vec<String>> = y
        .iter()
        .map(|&i| {
            x.iter()
                .map(|&j| fit_number(layers.w[i][j], CELL - 1))
                .collect()
        })
        .collect();
    let biases: Vec<String> = y
        .iter()
        .map(|&i| fit_number(bias_of(app, i), CELL - 1))
        .collect();
    connections::append_below(
        &mut lines,
        &connections::Populations {
            x_names: &x_names,
            y_names: &y_names,
            weights: &weights,
            biases: augmented.then_some(&biases[..]),
            selected: y.iter().position(|&i| i == app.view.selected),
            connected: None,
            first_number: 1,
        },
        inner,
        theme,
    );
    // Below all that, where a large screen leaves room, the same sum over
    // the last window.
    let used = lines.len() as u16 + 1;
    frame.render_widget(Paragraph::new(lines), inner);
    let sums = Sums {
        layers,
        x_names: &x_names,
        y_names: &y_names,
        whose: Whose::Populations,
    };
    if with == With::Sums {
        sums_below(frame, inner, used, app, &sums, theme);
    }
}

/// The weighted sums of a network drawn over time (weighted_sum.rs): its
/// senders and receivers, their names, and whose they are.
struct Sums<'a> {
    layers: &'a Layers<'a>,
    x_names: &'a [String],
    y_names: &'a [String],
    whose: Whose,
}

/// The sums over time in the rows of `inner` below its first `used`, where
/// they leave room for a plot and the network is small enough for its
/// curves to be told apart.
fn sums_below(frame: &mut Frame, inner: Rect, used: u16, app: &App, sums: &Sums, theme: &Theme) {
    let Layers { x, y, .. } = *sums.layers;
    let below = inner.height.saturating_sub(used);
    let room =
        below >= weighted_sum::LEAST_ROWS && x.len().max(y.len()) <= weighted_sum::MOST_CURVES;
    // The spike trains are gathered only where they are drawn.
    let Some(trains) = room.then(|| Trains::of(app, x)).flatten() else {
        return;
    };
    let rows: Vec<Row> = y
        .iter()
        .zip(sums.y_names)
        .map(|(&i, name)| Row {
            neuron: i,
            name: name.clone(),
        })
        .collect();
    let area = Rect::new(inner.x, inner.y + used, inner.width, below);
    weighted_sum::render(
        frame,
        area,
        app,
        (&trains, sums.x_names),
        (&rows, sums.whose),
        theme,
    );
}

/// Row r of the populations table in its column groups (as the header's):
/// Y neuron r's weights and bias, the r-th entry of the input vector, and
/// z from them beside the engine's; and whether it is the selected neuron's.
fn populations_row(
    app: &App,
    layers: &Layers,
    xs: &[f64],
    r: usize,
    label_w: usize,
    sep: &str,
    theme: &Theme,
) -> (Vec<String>, bool) {
    let (w, x, y) = (layers.w, layers.x, layers.y);
    let nx = x.len();
    let mut weights = String::new();
    if let Some(&i) = y.get(r) {
        weights.push_str(&format!("{:<label_w$}", neuron_label(app, i, theme)));
        for &j in x {
            weights.push_str(&number(w[i][j]));
        }
        weights.push_str(sep);
        weights.push_str(&number(bias_of(app, i)));
    } else {
        weights.push_str(&" ".repeat(label_w + CELL * (nx + 1) + 2));
    }
    // The input vector: x_j, then the constant-1 node when augmented.
    let input = if r < nx {
        format!(
            "{:>6} {:>10}",
            short_name(app, x[r], theme),
            fit_number(xs[r], 10)
        )
    } else if app.preset.augmented && r == nx {
        format!("{:>6} {:>10}", "1", "1")
    } else {
        format!("{:>6} {:>10}", "", "")
    };
    let mut groups = vec![weights, format!("  {input} ")];
    let Some(&i) = y.get(r) else {
        return (groups, false);
    };
    let z: f64 = x.iter().zip(xs).map(|(&j, xj)| w[i][j] * xj).sum::<f64>() + bias_of(app, i);
    groups.push(number(z));
    groups.push(number(engine_z(app, i)));
    (groups, i == app.view.selected)
}

/// When a network's z from the W now equals the engine's s_i + b_i.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Equal {
    Now,
    /// W was changed while running and they differ now.
    OnceEarlierSpikesFade,
    /// The filter h was changed while running and they differ now.
    OnceHChangeFades,
}

/// A LIF network's spike timing (None for a rate network).
fn timing(app: &App) -> Option<SpikeTiming> {
    match &app.sim.model {
        AnyModel::Network(net) => Some(net.params().spike_timing),
        _ => None,
    }
}

/// What the populations table shows, in words.
fn populations_notes(
    nx: usize,
    m: usize,
    (timing, equal): (Option<SpikeTiming>, Equal),
    augmented: bool,
) -> String {
    let equal = match equal {
        Equal::Now => "equal",
        Equal::OnceEarlierSpikesFade => {
            "equal once the spikes from before W was changed have faded: s_i weighs each \
             spike by the W it arrived under"
        }
        Equal::OnceHChangeFades => {
            "equal once the spikes from before h was changed have faded: s_i carried its \
             filters' state into the new h, x sums the h of now over every spike"
        }
    };
    let mut notes = format!(
        "X ({nx}) -> Y ({m}): row i is a Y neuron, column j an X neuron. {} ",
        if let Some(timing) = timing {
            let from = match timing {
                SpikeTiming::Exact => "",
                SpikeTiming::Grid => "; in grid timing each spike from the end of its step",
            };
            format!(
                "x_j = (a_j * h)(t) is X neuron j's filtered spike train (1/s{from}); z = W x + \
                 b from those x, beside the engine's own filtered input s_i + b_i ({equal})."
            )
        } else {
            "x_j = y_j is X neuron j's activity; z = W x + b from those x, beside the \
             engine's z from the last step's y (equal once settled)."
                .to_string()
        }
    );
    if augmented {
        notes.push_str(
            "The bias is the weight from an extra input node fixed at 1: W x + b = [W | b] [x; 1].",
        );
    }
    notes
}
