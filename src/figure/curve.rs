//! A value against a swept key, as a figure: `sweep --plot`'s measured
//! firing rate, each leg (up, down) its own line with a mark at every
//! measured value, so a bistable model's hysteresis shows as two branches,
//! and where the model has its rate in closed form (a LIF neuron driven by
//! a constant input, the swept value being that input), the curve G(v_in) =
//! 1 / (tau_ref - tau_m ln(1 - 1/v_in)) under the points: the notes' "graph
//! of the firing rate as a function of v_in" (1.2), with the measurement on
//! it. `threshold --plot` draws its thresholds against the key it is
//! against the same way (the strength-duration curve), with a LIF neuron's
//! closed form under them; without a second key, the two trials either side
//! of its threshold against time, unmarked, the spike threshold's level as
//! the grey line.

use anyhow::anyhow;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

use super::draw::{Format, LEGEND_WIDTH, LEVEL, Picture, STYLES, WIDTH, draw_mesh, page, strokes};

/// The plot's height under the title and subtitle (pixels).
const PLOT_HEIGHT: u32 = 560;
/// Points of the closed-form curve across the swept range.
pub const CLOSED_FORM_POINTS: usize = 600;

/// A curve against a swept key: the measured legs and the closed form, if
/// any.
#[derive(Debug, Clone, PartialEq)]
pub struct SweptCurve {
    pub title: String,
    /// The x axis: the swept key, with its unit where it has one.
    pub x_label: String,
    /// The y axis: whose rate (a threshold: of which key).
    pub y_label: String,
    /// Each leg's name and its (value, y) in the order measured.
    pub legs: Vec<(String, Vec<(f64, f64)>)>,
    /// A mark at each of the legs' points (measured values); false for
    /// traces through time, whose points are a run's envelope.
    pub marked: bool,
    /// y in closed form, where the model has it: its name (a second line
    /// under it in the legend after a line break) and its (value, y) at
    /// `CLOSED_FORM_POINTS` values across the range.
    pub closed_form: Option<(String, Vec<(f64, f64)>)>,
}

impl SweptCurve {
    /// `y` sampled at `CLOSED_FORM_POINTS` evenly spaced values from
    /// `lo` to `hi`, both included.
    pub fn sample(lo: f64, hi: f64, y: impl Fn(f64) -> f64) -> Vec<(f64, f64)> {
        let last = (CLOSED_FORM_POINTS - 1) as f64;
        (0..CLOSED_FORM_POINTS)
            .map(|i| {
                let x = lo + (hi - lo) * i as f64 / last;
                (x, y(x))
            })
            .collect()
    }

    /// `what` of neuron `i` for the y axis, the neuron named only where the
    /// model has more than one: a LIF or HH figure said "of neuron 0".
    pub fn y_label_of(what: &str, neurons: usize, i: usize) -> String {
        match neurons {
            1 => what.to_string(),
            _ => format!("{what} of neuron {i}"),
        }
    }

    /// The axes that are times, given in seconds with labels ending in
    /// ` (s)`, drawn in milliseconds where every value on them is below a
    /// second: a pulse's widths from 0.5 to 20 ms read 0.002 to 0.02 on an
    /// axis in seconds, not as the command gave them. The CSV keeps
    /// seconds, the unit of SPEC.md's keys.
    pub fn times_in_ms(mut self, x_time: bool, y_time: bool) -> Self {
        let below_a_second = |on: fn(&(f64, f64)) -> f64| {
            let most = self.points().map(|p| on(p).abs()).fold(0.0, f64::max);
            most > 0.0 && most < 1.0
        };
        let x_short = x_time && below_a_second(|p| p.0);
        let y_short = y_time && below_a_second(|p| p.1);
        // An axis's numbers change only with the label that names their
        // unit, so the two cannot disagree.
        let in_ms = |label: &mut String, short: bool| match label.strip_suffix(" (s)") {
            Some(name) if short => {
                *label = format!("{name} (ms)");
                true
            }
            _ => false,
        };
        let x_ms = in_ms(&mut self.x_label, x_short);
        let y_ms = in_ms(&mut self.y_label, y_short);
        let (sx, sy) = (if x_ms { 1e3 } else { 1.0 }, if y_ms { 1e3 } else { 1.0 });
        for points in self
            .legs
            .iter_mut()
            .map(|(_, p)| p)
            .chain(self.closed_form.iter_mut().map(|(_, p)| p))
        {
            for p in points.iter_mut() {
                *p = (p.0 * sx, p.1 * sy);
            }
        }
        self
    }

    fn points(&self) -> impl Iterator<Item = &(f64, f64)> {
        self.legs
            .iter()
            .flat_map(|(_, p)| p)
            .chain(self.closed_form.iter().flat_map(|(_, p)| p))
            .filter(|(x, y)| x.is_finite() && y.is_finite())
    }
}

impl Picture for SweptCurve {
    fn body_height(&self) -> u32 {
        PLOT_HEIGHT
    }

    fn draw_on<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        subtitle: &str,
        format: Format,
    ) -> anyhow::Result<()> {
        draw(self, root, subtitle, format).map_err(|e| anyhow!("drawing the figure: {e}"))
    }
}

fn draw<DB: DrawingBackend>(
    curve: &SweptCurve,
    root: &DrawingArea<DB, Shift>,
    subtitle: &str,
    format: Format,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let body = page(root, &curve.title, subtitle)?;
    let (plot, legend) = body.split_horizontally(WIDTH - LEGEND_WIDTH);
    let (x_lo, x_hi, y_lo, y_hi) = curve.points().fold(
        (f64::INFINITY, f64::NEG_INFINITY, 0f64, 0f64),
        |(a, b, c, d), &(x, y)| (a.min(x), b.max(x), c.min(y), d.max(y)),
    );
    let (x_lo, x_hi) = if x_hi > x_lo {
        let pad = 0.03 * (x_hi - x_lo);
        (x_lo - pad, x_hi + pad)
    } else if x_hi == x_lo {
        (x_lo - 1.0, x_lo + 1.0)
    } else {
        (0.0, 1.0)
    };
    // From 0 (0 Hz: silence sits on the axis) to a little past the values
    // on either side of it (a threshold may be negative).
    let y_lo = 1.08 * y_lo;
    let y_hi = if y_hi > 0.0 || y_lo < 0.0 {
        1.08 * y_hi
    } else {
        1.0
    };
    let mut chart = ChartBuilder::on(&plot)
        .margin_left(12)
        .margin_right(16)
        .margin_top(12)
        .x_label_area_size(46)
        .y_label_area_size(78)
        .build_cartesian_2d(x_lo..x_hi, y_lo..y_hi)?;
    draw_mesh(&mut chart, &curve.x_label, &curve.y_label)?;
    // Whole pixels in data units, for the PNG's shifted copies (`strokes`).
    let (w, h) = chart.plotting_area().dim_in_pixel();
    let pixel = (
        (x_hi - x_lo) / w.max(1) as f64,
        -(y_hi - y_lo) / h.max(1) as f64,
    );
    let (width, copies) = strokes(format);
    let finite = |p: &&(f64, f64)| p.0.is_finite() && p.1.is_finite();
    if let Some((_, points)) = &curve.closed_form {
        let style = LEVEL.0.stroke_width(width);
        for &shift in copies {
            let data = points
                .iter()
                .filter(finite)
                .map(|&(x, y)| (x + shift.0 * pixel.0, y + shift.1 * pixel.1));
            chart.draw_series(LineSeries::new(data, style))?;
        }
    }
    for (k, (_, points)) in curve.legs.iter().enumerate() {
        let (color, dash, gap) = STYLES[k % STYLES.len()];
        let style = color.stroke_width(width);
        for &shift in copies {
            let data: Vec<(f64, f64)> = points
                .iter()
                .filter(finite)
                .map(|&(x, y)| (x + shift.0 * pixel.0, y + shift.1 * pixel.1))
                .collect();
            if dash == 0 {
                chart.draw_series(LineSeries::new(data, style))?;
            } else {
                chart.draw_series(DashedLineSeries::new(data, dash, gap, style))?;
            }
        }
        if curve.marked {
            chart.draw_series(points.iter().filter(finite).map(|&p| mark(k, p, color)))?;
        }
    }
    // The legend beside the plot: the closed form, then each leg with its
    // line and its mark.
    let mut y = 40;
    let name = |text: &str, y: &mut i32| {
        for line in text.lines() {
            legend.draw(&Text::new(
                line.to_string(),
                (44, *y - 8),
                ("sans-serif", 14).into_font(),
            ))?;
            *y += 18;
        }
        *y += 6;
        Ok(())
    };
    if let Some((text, _)) = &curve.closed_form {
        legend.draw(&PathElement::new(
            [(4, y), (36, y)],
            LEVEL.0.stroke_width(2),
        ))?;
        name(text, &mut y)?;
    }
    for (k, (text, _)) in curve.legs.iter().enumerate() {
        let (color, dash, gap) = STYLES[k % STYLES.len()];
        let style = color.stroke_width(2);
        if dash == 0 {
            legend.draw(&PathElement::new([(4, y), (36, y)], style))?;
        } else {
            legend.draw(&DashedPathElement::new([(4, y), (36, y)], dash, gap, style))?;
        }
        if curve.marked {
            legend.draw(&mark(k, (20, y), color))?;
        }
        name(text, &mut y)?;
    }
    Ok(())
}

/// A measured value's mark: filled on the first leg, open on the next, so
/// the two branches of a hysteresis read apart in black and white.
fn mark<C>(leg: usize, at: C, color: RGBColor) -> Circle<C, u32> {
    let style = if leg.is_multiple_of(2) {
        color.filled()
    } else {
        color.stroke_width(2)
    };
    Circle::new(at, 4, style)
}
