//! Activation functions (notes 1.2.3): the single-neuron σ(z) drawn
//! together, the loaded rate network's own σ named and its neurons' live
//! (z, y) on it; SoftMax and One-Hot of the live input vector below. With G
//! as the activation, G itself in Hz.

use crate::model::elementary::atan;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::{draw, round_out, sample, sample_rising_from};
use crate::model::AnyModel;
use crate::model::activation::{Activation, one_hot, softmax};
use crate::ui::app::App;
use crate::ui::format::{compact, fit_number, sig4};
use crate::ui::plot::{Axis, Curve, Glyph, LabelAt, Marks, Pattern, Plot};
use crate::ui::theme::Theme;

const SINGLES: [Activation; 5] = [
    Activation::Logistic,
    Activation::Tanh,
    Activation::Arctan,
    Activation::Threshold,
    Activation::Relu,
];

/// Neurons listed in the table below the plot.
const TABLE_NEURONS: usize = 8;
/// The width of a cell of that table, its leading blank included.
const TABLE_CELL: usize = 9;

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let rate = match &app.sim.model {
        AnyModel::Rate(r) => Some(r),
        _ => None,
    };
    let own = rate.map(|r| r.activation);
    // The plot over the SoftMax / One-Hot table (its four rows and border).
    // A short screen keeps what the preset is about: the table for a
    // SoftMax or One-Hot network (the plot takes the rest, if it can hold a
    // curve), else the plot alone.
    const TABLE: u16 = 6;
    const PLOT_MIN: u16 = 7;
    let table_first = matches!(own, Some(Activation::Softmax | Activation::OneHot));
    let table_h = if area.height >= PLOT_MIN + TABLE {
        TABLE
    } else if table_first {
        let rest = area.height.saturating_sub(TABLE);
        if rest >= 5 { TABLE } else { area.height }
    } else {
        0
    };
    let [top, table] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(table_h)]).areas(area);
    // The neurons' live (z, y).
    let points: Vec<(f64, f64)> = rate
        .map(|r| r.z.iter().copied().zip(r.y.iter().copied()).collect())
        .unwrap_or_default();
    let mut plot = match own {
        Some(Activation::LifRate { tau_m_s, tau_ref_s }) => {
            let widest = points.iter().fold(5.0f64, |a, p| a.max(p.0 * 1.25));
            let x = round_out([0.0, widest]);
            let g = sample_rising_from(|z| own.map_or(0.0, |a| a.scalar(z)), x[0], x[1], 400, 1.0);
            let top_y = g.iter().map(|p| p.1).fold(1.0, f64::max);
            let constants = format!(
                "σ = G(z) (Hz), tau_m {} ms, tau_ref {} ms",
                compact(tau_m_s * 1e3),
                compact(tau_ref_s * 1e3)
            );
            let mut p = Plot::new(
                format!("{constants}: this preset's activation"),
                Axis::new(x, "z = W y + b + x").landmarks(&[1.0]),
                Axis::new(round_out([0.0, top_y * 1.05]), "").landmarks(&[0.0]),
            );
            p.short_titles = vec![constants, "σ = G(z) (Hz)".into()];
            p.curves.push(
                Curve::new(
                    g,
                    theme.trace(1).add_modifier(Modifier::BOLD),
                    Pattern::Solid,
                )
                .named("G(z)"),
            );
            p
        }
        _ => {
            let widest = points.iter().fold(4.0f64, |a, p| a.max(p.0.abs() * 1.1));
            let x = [-widest.ceil(), widest.ceil()];
            let (title, short) = match own {
                Some(a @ (Activation::Softmax | Activation::OneHot)) => (
                    format!(
                        "σ(z): this preset's {} acts on the whole vector (table below)",
                        a.name()
                    ),
                    vec![
                        format!("σ(z): {} acts on the whole vector (below)", a.name()),
                        format!("σ(z), and {} below", a.name()),
                    ],
                ),
                Some(a) => (
                    format!("σ(z): this preset's {} and the others (dim)", a.name()),
                    vec![format!("σ(z): {} and the others (dim)", a.name())],
                ),
                None => (
                    "activation functions σ(z) (notes 1.2.3)".to_string(),
                    vec![],
                ),
            };
            let mut p = Plot::new(
                title,
                Axis::new(x, "z").landmarks(&[0.0]),
                Axis::new([-2.0, 2.0], "").landmarks(&[0.0, 1.0]),
            );
            p.short_titles = short;
            let own_k = SINGLES.iter().position(|f| own == Some(*f));
            for (k, f) in SINGLES.iter().enumerate() {
                let mine = own_k == Some(k);
                let style = if mine {
                    theme.trace(k).add_modifier(Modifier::BOLD)
                } else if own.is_some() {
                    theme.trace(k).add_modifier(Modifier::DIM)
                } else {
                    theme.trace(k)
                };
                // This preset's own is solid; the one solid otherwise (the
                // first) takes the own one's pattern, so that without colour
                // no two curves share a character (bold is lost in ASCII).
                let pattern = match own_k {
                    Some(_) if mine => Pattern::Solid,
                    Some(o) if k == 0 => Pattern::nth(o, theme),
                    _ => Pattern::nth(k, theme),
                };
                let name = if mine {
                    format!("{} ◀", f.name())
                } else {
                    f.name().to_string()
                };
                let mut curve =
                    Curve::new(sample(|z| f.scalar(z), x[0], x[1], 400), style, pattern)
                        .named(name);
                curve.label_at = if mine {
                    LabelAt::EndOnItsRow
                } else {
                    LabelAt::EndOrAnyPoint
                };
                // The others under this preset's own: where they cross it,
                // its dots show (in ASCII a cell holds one curve's
                // character), and its name is placed before theirs.
                p.curves.push(if own.is_some() && !mine {
                    curve.beneath()
                } else {
                    curve
                });
            }
            p
        }
    };
    if theme.ascii && !matches!(own, Some(Activation::LifRate { .. })) {
        // arctan, the lowest of the five, at the axis's left end.
        let lowest = atan(plot.x.bounds[0]);
        plot.y.bounds = ascii_sigma_range(plot.plot_rows(top, theme), lowest);
        // tanh's floor, numbered too now that it has a row of its own.
        plot.y.landmarks.push(-1.0);
    }
    if let Some(r) = rate
        && !matches!(r.activation, Activation::Softmax | Activation::OneHot)
    {
        plot.legend_marks.push(Marks {
            points,
            glyph: Glyph::Disc,
            style: theme.bold(),
            label: Some("neurons (z, y)".into()),
        });
    }
    if top.height > 0 {
        draw(frame, top, &plot, theme);
    }
    if table.height > 0 {
        vector_table(frame, table, app, theme);
    }
}

/// σ's y range in ASCII, where a value is drawn in the row nearest it: one
/// row a step of 1/k, so that 0, 1 and every whole value are a row's own.
/// Over -2..2, 0 fell halfway between two rows at 80x24 (eight rows, a step
/// of 4/7): the logistic's 0.02 went to the row above it and relu's 0 to
/// the row below, and 1 was read off the row of 0.86. The finest step of 1,
/// 1/2, 1/4, 1/10 or 1/20 (on which the ticks' halves and quarters land)
/// whose bottom row holds `lowest` and top row `-lowest` (arctan at the
/// axis's ends, within half a step of the rows) and 1; the range ends at 2
/// and starts at -2 where the rows leave a choice. At z from -4 to 4, 80x24
/// has -1.5..2 in halves, 60x16 -2..3 in whole steps, 200x50 -1.3..2 in
/// tenths; with z out to ±11, 200x50 has -1.5..1.8.
fn ascii_sigma_range(rows: u16, lowest: f64) -> [f64; 2] {
    let gaps = i32::from(rows.max(2) - 1);
    let highest = (-lowest).max(1.0);
    [20, 10, 4, 2, 1]
        .into_iter()
        .find_map(|k| {
            let kf = f64::from(k);
            // The highest bottom row that holds `lowest`, the lowest that
            // leaves the top row holding `highest`.
            let b_max = ((2.0 * kf * lowest + 1.0) / 2.0).floor() as i32;
            let b_min = (kf * highest - 0.5).ceil() as i32 - gaps;
            (b_min <= b_max).then(|| {
                let b = (2 * k - gaps).max(-2 * k).clamp(b_min, b_max);
                [f64::from(b) / kf, f64::from(b + gaps) / kf]
            })
        })
        .unwrap_or([-2.0, 2.0])
}

/// SoftMax and One-Hot of the rate network's live input z (or of an
/// example vector), beside the network's own y.
fn vector_table(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let (z, y, own): (Vec<f64>, Option<Vec<f64>>, Option<Activation>) = match &app.sim.model {
        AnyModel::Rate(r) => (r.z.clone(), Some(r.y.clone()), Some(r.activation)),
        _ => (vec![1.0, 2.0, 3.0, 0.5], None, None),
    };
    let mut sm = vec![0.0; z.len()];
    let mut oh = vec![0.0; z.len()];
    softmax(&z, &mut sm);
    one_hot(&z, &mut oh);
    let width = area.width.saturating_sub(12) as usize;
    let cells = (width / TABLE_CELL).clamp(1, TABLE_NEURONS).min(z.len());
    // The neurons around the selected one, where not all fit (the winner
    // of a long vector, its One-Hot 1, was never in view past the first).
    let selected = if own.is_some() { app.view.selected } else { 0 };
    let first = selected.saturating_sub(cells / 2).min(z.len() - cells);
    let shown = first..first + cells;
    let row = |label: &str, v: &[f64], bold: bool| {
        let style = if bold {
            theme.bold()
        } else {
            ratatui::style::Style::new()
        };
        Line::from(vec![
            Span::styled(format!(" {label:<10}"), theme.bold()),
            Span::styled(
                v[shown.clone()]
                    .iter()
                    .map(|&x| table_cell(x))
                    .collect::<String>(),
                style,
            ),
        ])
    };
    let mut lines = vec![
        row("z", &z, false),
        row("SoftMax(z)", &sm, own == Some(Activation::Softmax)),
        row("One-Hot(z)", &oh, own == Some(Activation::OneHot)),
    ];
    if let Some(y) = &y {
        lines.push(row("y (live)", y, true));
    }
    // The longest title that fits the border: the formulas, then whose z.
    let title = match own {
        Some(_) => {
            let formulas = " SoftMax(z)_i = e^z_i / Σ e^z_j, One-Hot: 1 at every maximum";
            let (first, last) = (shown.start, shown.end - 1);
            let whose = if cells == z.len() {
                format!("z of the {cells} neurons")
            } else {
                format!("z of neurons {first}-{last} of {}", z.len())
            };
            [
                format!("{formulas}; {whose} "),
                format!("{formulas}; neurons {first}-{last} "),
                format!(" SoftMax and One-Hot of z, neurons {first}-{last} "),
            ]
            .into_iter()
            .map(|t| theme.words(&t).into_owned())
            .find(|t| t.chars().count() + 3 <= area.width as usize)
            .unwrap_or_else(|| format!(" SoftMax, One-Hot: neurons {first}-{last} "))
        }
        None => [
            " SoftMax and One-Hot of an example z (a rate preset shows its own) ",
            " SoftMax and One-Hot of an example z ",
        ]
        .into_iter()
        .find(|t| t.chars().count() + 3 <= area.width as usize)
        .unwrap_or(" SoftMax, One-Hot: an example ")
        .to_string(),
    };
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .border_style(theme.dim())
                .title(Line::from(Span::styled(title, theme.bold()))),
        ),
        area,
    );
}

/// A cell of the SoftMax table, `TABLE_CELL` wide: four significant digits
/// where they fit (else fewer), after a blank that keeps it apart from the
/// cell before (`-0.01234` filled a cell of eight and ran into its
/// neighbour).
fn table_cell(x: f64) -> String {
    let w = TABLE_CELL - 1;
    let digits = sig4(x);
    let text = if digits.chars().count() <= w {
        digits
    } else {
        fit_number(x, w)
    };
    format!(" {text:>w$}")
}

#[cfg(test)]
mod tests {
    use super::{ascii_sigma_range, atan};

    proptest::proptest! {
        /// For any plot of five rows or more (60x16 has six) and any z axis
        /// from -4 out:
        /// the rows are whole steps (0, 1 and -1 each a row's own, where in
        /// range), and arctan's lowest and highest and 1 lie within half a
        /// row of the range.
        #[test]
        fn the_rows_are_whole_steps_holding_arctan_and_1(rows in 5u16..80, left in -50.0..=-4.0f64) {
            let lowest = atan(left);
            let [b, t] = ascii_sigma_range(rows, lowest);
            let step = (t - b) / f64::from(rows - 1);
            let on_a_row = |y: f64| {
                let k = (t - y) / step;
                (k - k.round()).abs() < 1e-9
            };
            for y in [-1.0, 0.0, 1.0] {
                proptest::prop_assert!(y < b || y > t || on_a_row(y), "{y} in {b}..{t}");
            }
            proptest::prop_assert!(on_a_row(0.0), "0 in {b}..{t}");
            let half = step / 2.0 + 1e-12;
            proptest::prop_assert!(b - half <= lowest && t + half >= (-lowest).max(1.0), "{b}..{t}");
        }
    }
}
