//! Drawing a figure with plotters: one panel under another, time on a
//! shared axis, lines told apart by dash patterns (and colours for those
//! who see them), each named in its panel's legend; the raster as ticks.
//! SVG keeps its text as text; PNG draws it with the DejaVu fonts carried
//! in the binary, so a machine without fonts draws the same picture, each
//! glyph on its baseline (png_text.rs). The
//! file is written as the CSV outputs are (`Sink`): whole or not at all.
//! Any `Picture` is written so: a run's `Figure`, a sweep's or a threshold's `SweptCurve`.

use std::io::Write;
use std::path::Path;
use std::sync::Once;

use anyhow::{Context, anyhow};
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

use super::png_text::PngBackend;
use super::{Figure, Panel};
use crate::sim::sink::Sink;

/// The figure's width and each panel's height (pixels): a page's width at
/// about 150 dpi.
pub(super) const WIDTH: u32 = 1200;
const PANEL_HEIGHT: u32 = 260;
const RASTER_HEIGHT: u32 = 240;
/// The title's band; each line of the subtitle adds `SUBTITLE_LINE`.
const TITLE_HEIGHT: u32 = 42;
const SUBTITLE_LINE: u32 = 22;
/// A subtitle line holds about this many characters at its size.
const SUBTITLE_CHARS: usize = 160;
/// The right-hand column that holds each panel's legend, beside the data.
pub(super) const LEGEND_WIDTH: u32 = 200;

/// A line's look: colour, dash and gap (pixels; no dash: solid). Six hues
/// apart (black, blue, vermilion, green, purple, ochre): a teal sixth, short
/// dashes beside the second's blue dashes, was not told from it in a
/// network's panel of v.
pub(super) const STYLES: [(RGBColor, i32, i32); super::MAX_LINES] = [
    (RGBColor(0, 0, 0), 0, 0),
    (RGBColor(0, 84, 166), 10, 5),
    (RGBColor(190, 70, 0), 2, 4),
    (RGBColor(0, 120, 60), 18, 5),
    (RGBColor(150, 30, 110), 2, 10),
    (RGBColor(200, 140, 0), 6, 10),
];
/// Reference levels (threshold, reset): grey, short dashes, thin.
pub(super) const LEVEL: (RGBColor, i32, i32) = (RGBColor(110, 110, 110), 5, 5);

/// Something drawn as a figure: its height in pixels under the title and
/// subtitle (the width is `WIDTH`), and its drawing on a backend's area
/// (`page` draws the title and subtitle).
pub trait Picture {
    fn body_height(&self) -> u32;
    fn draw_on<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        subtitle: &str,
        format: Format,
    ) -> anyhow::Result<()>;
}

/// The picture formats, by the file name's ending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Svg,
    Png,
}

impl Format {
    pub fn of(path: &Path) -> Result<Self, String> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("svg") => Ok(Format::Svg),
            Some("png") => Ok(Format::Png),
            _ => Err(format!(
                "--plot {}: the picture's format comes from its name; valid: a name ending in \
                 .svg or .png",
                path.display()
            )),
        }
    }
}

pub(super) fn register_fonts() {
    static FONTS: Once = Once::new();
    FONTS.call_once(|| {
        // The bundled bytes are valid TrueType: registration cannot fail.
        let _ = plotters::style::register_font(
            "sans-serif",
            FontStyle::Normal,
            dejavu::sans::regular(),
        );
        let _ = plotters::style::register_font("sans-serif", FontStyle::Bold, dejavu::sans::bold());
    });
}

/// Writes `fig` into `sink` (opened on the figure's file before the run,
/// so that a file that cannot be written stops it before it starts), whole
/// or not at all.
pub fn write(
    fig: &impl Picture,
    mut sink: Sink,
    format: Format,
    subtitle: &str,
) -> anyhow::Result<()> {
    let bytes = render(fig, subtitle, format)?;
    let name = sink
        .target()
        .map_or("-".to_string(), |p| p.display().to_string());
    sink.writer()
        .and_then(|mut w| w.write_all(&bytes).and_then(|()| w.flush()))
        .with_context(|| format!("--plot {name}"))?;
    sink.commit().with_context(|| format!("--plot {name}"))
}

/// The figure as the bytes of an SVG or a PNG file.
pub fn render(fig: &impl Picture, subtitle: &str, format: Format) -> anyhow::Result<Vec<u8>> {
    register_fonts();
    let height = header_height(subtitle) + fig.body_height();
    match format {
        Format::Svg => {
            let mut text = String::new();
            {
                let root = SVGBackend::with_string(&mut text, (WIDTH, height)).into_drawing_area();
                fig.draw_on(&root, subtitle, format)?;
                root.present()
                    .map_err(|e| anyhow!("drawing the figure: {e}"))?;
            }
            Ok(text.into_bytes())
        }
        Format::Png => {
            let mut pixels = vec![0u8; WIDTH as usize * height as usize * 3];
            {
                let root =
                    PngBackend::with_buffer(&mut pixels, (WIDTH, height)).into_drawing_area();
                fig.draw_on(&root, subtitle, format)?;
                root.present()
                    .map_err(|e| anyhow!("drawing the figure: {e}"))?;
            }
            let image = image::RgbImage::from_raw(WIDTH, height, pixels)
                .ok_or_else(|| anyhow!("drawing the figure: the pixels do not fill it"))?;
            let mut png = std::io::Cursor::new(Vec::new());
            image
                .write_to(&mut png, image::ImageFormat::Png)
                .map_err(|e| anyhow!("encoding the PNG: {e}"))?;
            Ok(png.into_inner())
        }
    }
}

/// Time on the x axis in ms up to 2 s, else in s.
fn time_unit(duration_s: f64) -> (&'static str, f64) {
    if duration_s <= 2.0 {
        ("ms", 1e3)
    } else {
        ("s", 1.0)
    }
}

/// The subtitle in lines that fit the page's width, broken after a
/// phrase's punctuation or before an option (`--plot`) where it can be, so
/// that a quantity (`50 µs`) or an option and its value stay on one line;
/// between any words where a phrase alone is too long.
fn subtitle_lines(subtitle: &str) -> Vec<String> {
    let mut phrases: Vec<String> = Vec::new();
    let mut ends_phrase = true;
    for word in subtitle.split(' ') {
        match phrases.last_mut() {
            Some(phrase) if !ends_phrase && !word.starts_with("--") => {
                phrase.push(' ');
                phrase.push_str(word);
            }
            _ => phrases.push(word.to_string()),
        }
        ends_phrase = word.ends_with([',', '.', ':', ';']);
    }
    let mut lines: Vec<String> = vec![String::new()];
    let mut put = |piece: &str| {
        let line = lines.last_mut().expect("one line at least");
        if !line.is_empty() && line.chars().count() + 1 + piece.chars().count() > SUBTITLE_CHARS {
            lines.push(piece.to_string());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(piece);
        }
    };
    for phrase in &phrases {
        if phrase.chars().count() > SUBTITLE_CHARS {
            phrase.split(' ').for_each(&mut put);
        } else {
            put(phrase);
        }
    }
    lines
}

/// The title's and subtitle's band: 64 pixels for a subtitle of one line.
pub(super) fn header_height(subtitle: &str) -> u32 {
    TITLE_HEIGHT + SUBTITLE_LINE * subtitle_lines(subtitle).len() as u32
}

/// A white page with the title and subtitle at its top; returns the area
/// below them.
pub(super) fn page<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: &str,
) -> Result<DrawingArea<DB, Shift>, DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let (header, body) = root.split_vertically(header_height(subtitle));
    header.draw(&Text::new(
        title.to_string(),
        (16, 10),
        ("sans-serif", 24).into_font().style(FontStyle::Bold),
    ))?;
    for (k, line) in subtitle_lines(subtitle).into_iter().enumerate() {
        header.draw(&Text::new(
            line,
            (16, 40 + SUBTITLE_LINE as i32 * k as i32),
            ("sans-serif", 15).into_font(),
        ))?;
    }
    Ok(body)
}

/// A line's width in pixels and the copies drawn of it (offsets in
/// pixels, right and down). plotters' bitmap backend joins thick lines
/// with unlimited miters, so a sharp peak (every spike) would shoot far out
/// of its panel (plotters issues #347, #549): in PNG a line is four
/// one-pixel lines, which have no joins, on the corners of a 2 x 2 pixel
/// square. A copy shifted across the line fills it out where the line is
/// steep (a shift right) or flat (a shift down); a single diagonal copy
/// left a line rising at 45 degrees (every f-I curve) as two hairlines with
/// a gap between them.
pub(super) fn strokes(format: Format) -> (u32, &'static [(f64, f64)]) {
    match format {
        Format::Svg => (2, &[(0.0, 0.0)]),
        Format::Png => (1, &[(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)]),
    }
}

impl Picture for Figure {
    fn body_height(&self) -> u32 {
        self.panels
            .iter()
            .map(|p| {
                if p.raster_rows > 0 {
                    RASTER_HEIGHT
                } else {
                    PANEL_HEIGHT
                }
            })
            .sum::<u32>()
    }

    fn draw_on<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        subtitle: &str,
        format: Format,
    ) -> anyhow::Result<()> {
        draw(self, root, subtitle, format)
    }
}

fn draw<DB: DrawingBackend>(
    fig: &Figure,
    root: &DrawingArea<DB, Shift>,
    subtitle: &str,
    format: Format,
) -> anyhow::Result<()> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| anyhow!("drawing the figure: {e}");
    let body = page(root, &fig.title, subtitle).map_err(err)?;
    let points = &fig.envelopes.points;
    let (t0, t1) = points
        .iter()
        .flatten()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &(t, _)| {
            (a.min(t), b.max(t))
        });
    let (t0, t1) = if t1 > t0 { (t0, t1) } else { (0.0, 1e-3) };
    let (unit, scale) = time_unit(t1 - t0);
    let mut rest = body;
    let mut series = 0;
    for panel in &fig.panels {
        let h = if panel.raster_rows > 0 {
            RASTER_HEIGHT
        } else {
            PANEL_HEIGHT
        };
        let (area, below) = rest.split_vertically(h);
        rest = below;
        let x = (t0 * scale)..(t1 * scale);
        if panel.raster_rows > 0 {
            draw_raster(fig, panel, &area, x, unit, scale).map_err(err)?;
        } else {
            let lines = &points[series..series + panel.lines.len()];
            series += panel.lines.len();
            draw_lines(panel, lines, &area, (x, unit, scale), format).map_err(err)?;
        }
    }
    Ok(())
}

/// The y range of a panel: its lines and levels, with a margin.
fn y_range(lines: &[Vec<(f64, f64)>], levels: &[(String, f64)]) -> std::ops::Range<f64> {
    let (lo, hi) = lines
        .iter()
        .flatten()
        .map(|&(_, y)| y)
        .chain(levels.iter().map(|(_, y)| *y))
        .filter(|y| y.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), y| {
            (a.min(y), b.max(y))
        });
    // Nothing finite to draw (lo stays +inf): a unit range around 0.
    if lo > hi {
        return -1.0..1.0;
    }
    let pad = if hi > lo {
        0.06 * (hi - lo)
    } else {
        lo.abs().max(1.0) * 0.1
    };
    (lo - pad)..(hi + pad)
}

fn draw_lines<DB: DrawingBackend>(
    panel: &Panel,
    lines: &[Vec<(f64, f64)>],
    area: &DrawingArea<DB, Shift>,
    (x, unit, scale): (std::ops::Range<f64>, &str, f64),
    format: Format,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (plot, legend) = area.split_horizontally(WIDTH - LEGEND_WIDTH);
    let mut chart = ChartBuilder::on(&plot)
        .margin_left(12)
        .margin_right(16)
        .margin_top(6)
        .caption(&panel.title, ("sans-serif", 17))
        .x_label_area_size(42)
        .y_label_area_size(78)
        .build_cartesian_2d(x, y_range(lines, &panel.levels))?;
    draw_mesh(&mut chart, &format!("time ({unit})"), &panel.y_label)?;
    let mut entries = Vec::new();
    for (name, level) in &panel.levels {
        let (color, dash, gap) = LEVEL;
        let style = color.stroke_width(1);
        let (a, b) = (chart.x_range().start, chart.x_range().end);
        chart.draw_series(DashedLineSeries::new(
            [(a, *level), (b, *level)],
            dash,
            gap,
            style,
        ))?;
        entries.push((name.as_str(), style, dash, gap));
    }
    // Each line as `strokes` has it, a copy shifted by whole pixels.
    let (w, h) = chart.plotting_area().dim_in_pixel();
    let (xr, yr) = (chart.x_range(), chart.y_range());
    let pixel = (
        (xr.end - xr.start) / w.max(1) as f64,
        (yr.start - yr.end) / h.max(1) as f64,
    );
    let (width, copies) = strokes(format);
    for (k, ((name, _), points)) in panel.lines.iter().zip(lines).enumerate() {
        let (color, dash, gap) = STYLES[k % STYLES.len()];
        let style = color.stroke_width(width);
        for &shift in copies {
            let data: Vec<(f64, f64)> = points
                .iter()
                .filter(|(_, y)| y.is_finite())
                .map(|&(t, y)| (t * scale + shift.0 * pixel.0, y + shift.1 * pixel.1))
                .collect();
            if dash == 0 {
                chart.draw_series(LineSeries::new(data, style))?;
            } else {
                chart.draw_series(DashedLineSeries::new(data, dash, gap, style))?;
            }
        }
        entries.push((name.as_str(), color.stroke_width(2), dash, gap));
    }
    // The legend beside the plot: each line's own pattern, then its name,
    // lines first (the order they are drawn in the plot from the top).
    entries.rotate_left(panel.levels.len());
    for (row, (name, style, dash, gap)) in entries.into_iter().enumerate() {
        let y = 40 + 22 * row as i32;
        let sample = [(4, y), (36, y)];
        if dash == 0 {
            legend.draw(&PathElement::new(sample, style))?;
        } else {
            legend.draw(&DashedPathElement::new(sample, dash, gap, style))?;
        }
        legend.draw(&Text::new(
            name.to_string(),
            (44, y - 8),
            ("sans-serif", 14).into_font(),
        ))?;
    }
    Ok(())
}

/// The grid, the ticks and the axes' names of a chart of lines.
pub(super) fn draw_mesh<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    x_desc: &str,
    y_desc: &str,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    chart
        .configure_mesh()
        .x_desc(x_desc)
        .y_desc(y_desc)
        .x_label_formatter(&|v| tick(*v))
        .y_label_formatter(&|v| tick(*v))
        .label_style(("sans-serif", 13))
        .axis_desc_style(("sans-serif", 14))
        .light_line_style(RGBColor(238, 238, 238))
        .bold_line_style(RGBColor(215, 215, 215))
        .draw()
}

/// A tick label: the value to nine significant decimals, without a
/// trailing ".0" or the float's noise (0.30000000000000004 is 0.3).
pub(super) fn tick(v: f64) -> String {
    let r = (v * 1e9).round() / 1e9;
    if r == 0.0 { "0".into() } else { format!("{r}") }
}

fn draw_raster<DB: DrawingBackend>(
    fig: &Figure,
    panel: &Panel,
    area: &DrawingArea<DB, Shift>,
    x: std::ops::Range<f64>,
    unit: &str,
    scale: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let rows = panel.raster_rows;
    let (plot, _) = area.split_horizontally(WIDTH - LEGEND_WIDTH);
    let mut chart = ChartBuilder::on(&plot)
        .margin_left(12)
        .margin_right(16)
        .margin_top(6)
        .caption(
            format!(
                "{} ({} drawn)",
                panel.title,
                crate::text::plural(fig.envelopes.spikes.len() as u64, "spike", "spikes")
            ),
            ("sans-serif", 17),
        )
        .x_label_area_size(42)
        .y_label_area_size(78)
        .build_cartesian_2d(x, -0.5..(rows as f64 - 0.5))?;
    chart
        .configure_mesh()
        .x_desc(format!("time ({unit})"))
        .y_desc(panel.y_label.as_str())
        .y_labels(rows.min(12))
        .x_label_formatter(&|v| tick(*v))
        .y_label_formatter(&|y| {
            let i = y.round() as i64;
            usize::try_from(i)
                .ok()
                .and_then(|i| panel.row_names.get(i))
                .cloned()
                .unwrap_or_else(|| i.to_string())
        })
        .label_style(("sans-serif", 13))
        .axis_desc_style(("sans-serif", 14))
        .light_line_style(RGBColor(245, 245, 245))
        .bold_line_style(RGBColor(225, 225, 225))
        .draw()?;
    chart.draw_series(fig.envelopes.spikes.iter().map(|&(i, t)| {
        let y = i as f64;
        PathElement::new([(t * scale, y - 0.38), (t * scale, y + 0.38)], BLACK)
    }))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{SUBTITLE_CHARS, header_height, subtitle_lines};
    use proptest::prelude::*;

    proptest! {
        /// A subtitle is broken between words only: its lines joined by
        /// spaces are the subtitle, and a line is over the width only where
        /// one word is.
        #[test]
        fn a_subtitle_wraps_between_words(words in prop::collection::vec("[a-z]{1,30}", 1..80)) {
            let subtitle = words.join(" ");
            let lines = subtitle_lines(&subtitle);
            prop_assert_eq!(lines.join(" "), subtitle);
            for line in &lines {
                prop_assert!(line.len() <= SUBTITLE_CHARS || !line.contains(' '), "{line}");
            }
        }
    }

    #[test]
    fn one_line_of_subtitle_keeps_the_header_of_64_pixels() {
        assert_eq!(header_height("a subtitle"), 64);
        assert_eq!(header_height(&"word ".repeat(40)), 86);
        // A quantity stays whole; the break comes after the phrase.
        let lines = subtitle_lines(&format!("{}, dt = 50 µs, neuron 0", "a".repeat(150)));
        assert_eq!(lines[1], "dt = 50 µs, neuron 0");
    }
}
