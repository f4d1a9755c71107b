//! The panes of the main area, one file per kind, and the chart helpers they
//! share. Panes only read the app.

pub mod curves;
pub mod scope;
pub mod weights;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Chart, Dataset, GraphType, LegendPosition};

use super::theme::Theme;

/// One curve of a chart.
pub struct Series {
    pub name: String,
    pub points: Vec<(f64, f64)>,
    pub style: Style,
    pub graph: GraphType,
    pub marker: Marker,
}

impl Series {
    pub fn line(name: impl Into<String>, points: Vec<(f64, f64)>, style: Style) -> Self {
        Self {
            name: name.into(),
            points,
            style,
            graph: GraphType::Line,
            marker: Marker::Braille,
        }
    }

    pub fn scatter(name: impl Into<String>, points: Vec<(f64, f64)>, style: Style) -> Self {
        Self {
            name: name.into(),
            points,
            style,
            graph: GraphType::Scatter,
            marker: Marker::Braille,
        }
    }

    /// A few points drawn as whole-cell dots, to be seen at a glance.
    pub fn points(name: impl Into<String>, points: Vec<(f64, f64)>, style: Style) -> Self {
        Self {
            marker: Marker::Dot,
            ..Self::scatter(name, points, style)
        }
    }
}

/// Min/max decimation: at most two points per column, in time order, so that
/// any history length draws in time proportional to the width and the
/// picture keeps every peak.
pub fn decimate(
    points: impl Iterator<Item = (f64, f64)>,
    x0: f64,
    x1: f64,
    columns: usize,
) -> Vec<(f64, f64)> {
    let columns = columns.max(1);
    let span = (x1 - x0).max(f64::MIN_POSITIVE);
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(2 * columns + 2);
    // The current column and its lowest and highest points.
    type Bucket = (usize, (f64, f64), (f64, f64));
    let mut bucket: Option<Bucket> = None;
    let flush = |out: &mut Vec<(f64, f64)>, lo: (f64, f64), hi: (f64, f64)| {
        if lo.0 <= hi.0 {
            out.push(lo);
            if hi != lo {
                out.push(hi);
            }
        } else {
            out.push(hi);
            out.push(lo);
        }
    };
    for (x, y) in points {
        if x < x0 || x > x1 || !y.is_finite() {
            continue;
        }
        let c = (((x - x0) / span) * columns as f64) as usize;
        match &mut bucket {
            Some((bc, lo, hi)) if *bc == c => {
                if y < lo.1 {
                    *lo = (x, y);
                }
                if y > hi.1 {
                    *hi = (x, y);
                }
            }
            _ => {
                if let Some((_, lo, hi)) = bucket.take() {
                    flush(&mut out, lo, hi);
                }
                bucket = Some((c, (x, y), (x, y)));
            }
        }
    }
    if let Some((_, lo, hi)) = bucket {
        flush(&mut out, lo, hi);
    }
    out
}

/// y bounds covering `default` and the data, with a small margin.
pub fn bounds_of<'a>(series: impl Iterator<Item = &'a Series>, default: [f64; 2]) -> [f64; 2] {
    let (mut lo, mut hi) = (default[0], default[1]);
    for s in series {
        for &(_, y) in &s.points {
            lo = lo.min(y);
            hi = hi.max(y);
        }
    }
    if hi - lo < 1e-12 {
        hi = lo + 1.0;
    }
    let pad = 0.05 * (hi - lo);
    [
        if lo < default[0] { lo - pad } else { lo },
        if hi > default[1] { hi + pad } else { hi },
    ]
}

/// Three axis labels: the bounds and the middle.
pub fn labels(b: [f64; 2], fmt: fn(f64) -> String) -> Vec<Line<'static>> {
    vec![
        Line::raw(fmt(b[0])),
        Line::raw(fmt(0.5 * (b[0] + b[1]))),
        Line::raw(fmt(b[1])),
    ]
}

pub fn short(x: f64) -> String {
    let a = x.abs();
    if a == 0.0 {
        "0".into()
    } else if a >= 100.0 {
        format!("{x:.0}")
    } else if a >= 10.0 {
        format!("{x:.1}")
    } else if a >= 0.1 {
        format!("{x:.2}")
    } else {
        format!("{x:.3}")
    }
}

/// A chart of `series` in a titled block.
#[allow(clippy::too_many_arguments)]
pub fn chart(
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    title: &str,
    x_title: &str,
    x: [f64; 2],
    y: [f64; 2],
    series: &[Series],
) {
    let datasets: Vec<Dataset> = series
        .iter()
        .map(|s| {
            Dataset::default()
                .name(s.name.clone())
                .marker(s.marker)
                .graph_type(s.graph)
                .style(s.style)
                .data(&s.points)
        })
        .collect();
    let block = Block::bordered()
        .border_style(theme.dim())
        .title(Line::from(Span::styled(format!(" {title} "), theme.bold())));
    let show_labels = area.height >= 7 && area.width >= 30;
    let mut x_axis = Axis::default().bounds(x).style(theme.dim());
    let mut y_axis = Axis::default().bounds(y).style(theme.dim());
    if show_labels {
        x_axis = x_axis.title(x_title.to_string()).labels(labels(x, short));
        y_axis = y_axis.labels(labels(y, short));
    }
    let chart = Chart::new(datasets)
        .block(block)
        .x_axis(x_axis)
        .y_axis(y_axis)
        .legend_position(Some(LegendPosition::TopRight))
        .hidden_legend_constraints((
            ratatui::layout::Constraint::Ratio(1, 2),
            ratatui::layout::Constraint::Ratio(2, 3),
        ));
    frame.render_widget(chart, area);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimation_keeps_extremes_and_order() {
        let pts = (0..100_000).map(|k| {
            let x = k as f64 * 1e-3;
            (x, (x * 7.0).sin())
        });
        let d = decimate(pts, 0.0, 100.0, 50);
        assert!(d.len() <= 100);
        assert!(d.windows(2).all(|w| w[0].0 <= w[1].0));
        let max = d.iter().map(|p| p.1).fold(f64::MIN, f64::max);
        assert!(max > 0.9999);
    }
}
