//! A chart drawn cell by cell: axes with ticks at round values (and the
//! landmarks a pane names, such as 0 mV or the threshold 1), units on both
//! axes, curves in Braille dots, level lines as dashes under the curves, and
//! every curve named where it ends, so nothing depends on colour.
//!
//! ```text
//! ┌ title ──────────────────────────────┐
//! │ readout (live values, wrapped)      │
//! │  40┤        ⡇      ⡇                │
//! │   0┤╌╌╌╌╌╌╌╌⡇╌╌╌╌╌╌⡇╌╌╌ V           │   <- level line, direct label
//! │ -80┤⣀⣀⣀⣀⣀⣀⡠⠃ ⠑⠒⠒⠒⡠⠃                  │
//! │    └──┴────────┴────────┴───────────│
//! │       20       40       60    t (ms)│   <- x title below, right
//! └─────────────────────────────────────┘
//! ```
//!
//! Time maps to columns through `Geometry::dot_column`, which the raster
//! shares, so a spike's stroke sits under the trace column for column.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget};

use super::format::{Segment, wrap};
use super::theme::Theme;

/// One axis: its range, its title with the unit, and values that must be
/// ticks.
#[derive(Debug, Clone)]
pub struct Axis {
    pub bounds: [f64; 2],
    pub title: String,
    pub landmarks: Vec<f64>,
}

impl Axis {
    pub fn new(bounds: [f64; 2], title: impl Into<String>) -> Self {
        Self {
            bounds,
            title: title.into(),
            landmarks: Vec::new(),
        }
    }

    pub fn landmarks(mut self, values: &[f64]) -> Self {
        self.landmarks = values.to_vec();
        self
    }
}

/// How a curve's dots are laid: solid, or broken so that curves can be told
/// apart without colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    Solid,
    Dashed,
    Dotted,
}

impl Pattern {
    /// The k-th curve's pattern: all solid in colour; without colour each
    /// of three neighbours gets its own.
    pub fn nth(k: usize, theme: &Theme) -> Self {
        if theme.color {
            Pattern::Solid
        } else {
            [Pattern::Solid, Pattern::Dashed, Pattern::Dotted][k % 3]
        }
    }

    fn draws(self, dot: usize) -> bool {
        match self {
            Pattern::Solid => true,
            Pattern::Dashed => (dot / 4).is_multiple_of(2),
            Pattern::Dotted => dot.is_multiple_of(3),
        }
    }
}

/// A curve through points (NaN breaks it), named where it ends.
#[derive(Debug, Clone)]
pub struct Curve {
    pub points: Vec<(f64, f64)>,
    pub style: Style,
    pub pattern: Pattern,
    /// Written next to the curve's last point; `None` for unnamed parts
    /// (an older sweep of a named trace).
    pub label: Option<String>,
    /// Name the curve at its highest point instead (filters that all end
    /// at zero are told apart by their peaks).
    pub label_at_peak: bool,
}

impl Curve {
    pub fn new(points: Vec<(f64, f64)>, style: Style, pattern: Pattern) -> Self {
        Self {
            points,
            style,
            pattern,
            label: None,
            label_at_peak: false,
        }
    }

    pub fn named(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }
}

/// A marker glyph with its ASCII stand-in, distinct from the curves' dots
/// (which are `*` in ASCII) and from each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Glyph {
    Disc,
    Cross,
    Diamond,
    Square,
}

impl Glyph {
    pub fn symbol(self, ascii: bool) -> &'static str {
        match (self, ascii) {
            (Glyph::Disc, false) => "●",
            (Glyph::Disc, true) => "o",
            (Glyph::Cross, false) => "×",
            (Glyph::Cross, true) => "x",
            (Glyph::Diamond, false) => "◆",
            (Glyph::Diamond, true) => "#",
            (Glyph::Square, false) => "■",
            (Glyph::Square, true) => "@",
        }
    }
}

/// Points drawn as a glyph each, on top of the curves.
#[derive(Debug, Clone)]
pub struct Marks {
    pub points: Vec<(f64, f64)>,
    pub glyph: Glyph,
    pub style: Style,
    /// Named next to the last point.
    pub label: Option<String>,
}

/// A horizontal line (threshold, 0 mV) drawn as dashes under the curves.
#[derive(Debug, Clone)]
pub struct Level {
    pub y: f64,
    pub label: String,
}

/// A vertical line (the live V on the gate functions).
#[derive(Debug, Clone)]
pub struct Cursor {
    pub x: f64,
    pub label: String,
}

/// A whole chart in a bordered block.
#[derive(Debug, Clone)]
pub struct Plot<'a> {
    pub title: String,
    /// Live values under the title, wrapped between segments.
    pub readout: Vec<Segment<'a>>,
    pub x: Axis,
    pub y: Axis,
    pub curves: Vec<Curve>,
    pub marks: Vec<Marks>,
    pub levels: Vec<Level>,
    pub cursors: Vec<Cursor>,
    /// Width of the y labels, when several plots must line up.
    pub margin: Option<u16>,
}

impl<'a> Plot<'a> {
    pub fn new(title: impl Into<String>, x: Axis, y: Axis) -> Self {
        Self {
            title: title.into(),
            readout: Vec::new(),
            x,
            y,
            curves: Vec::new(),
            marks: Vec::new(),
            levels: Vec::new(),
            cursors: Vec::new(),
            margin: None,
        }
    }
}

/// Round tick values covering `bounds`: multiples of 1, 2 or 5 × 10^k, at
/// most `most` of them, plus the landmarks (a round tick next to a landmark
/// gives way to it).
pub fn ticks(bounds: [f64; 2], most: usize, landmarks: &[f64]) -> Vec<f64> {
    let [lo, hi] = bounds;
    let span = hi - lo;
    if !(span > 0.0 && span.is_finite()) || most == 0 {
        return vec![lo];
    }
    let raw = span / most.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| ((span / s).floor() as usize) < most.max(2))
        .unwrap_or(10.0 * mag);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    let mut out: Vec<f64> = (first..=last).map(|k| k as f64 * step).collect();
    let near = 0.6 * step;
    for &l in landmarks.iter().filter(|l| **l >= lo && **l <= hi) {
        out.retain(|t| (t - l).abs() >= near || *t == l);
        if !out.contains(&l) {
            out.push(l);
        }
    }
    out.sort_by(f64::total_cmp);
    out
}

/// The y ticks of a plot `rows` high: its ends (round values, the bounds
/// being rounded out), its landmarks and round values between, no two on a
/// row (landmarks first, then the ends).
fn y_ticks(bounds: [f64; 2], rows: u16, landmarks: &[f64]) -> Vec<f64> {
    let [lo, hi] = bounds;
    let row_of = |y: f64| {
        let f = ((hi - y) / (hi - lo)).clamp(0.0, 1.0);
        (f * (4.0 * rows as f64 - 1.0)).round() as u16 / 4
    };
    let mut out: Vec<f64> = Vec::new();
    let mut rows_taken: Vec<u16> = Vec::new();
    let in_range: Vec<f64> = landmarks
        .iter()
        .copied()
        .filter(|l| *l >= lo && *l <= hi)
        .collect();
    let round = ticks(bounds, (rows as usize / 2).max(2), &[]);
    let marked = in_range.len();
    for (k, y) in in_range
        .into_iter()
        .chain([lo, hi])
        .chain(round)
        .enumerate()
    {
        let r = row_of(y);
        // Landmarks and the ends may sit on neighbouring rows; the round
        // ticks between keep a row free around them.
        let gap = if k < marked + 2 { 0 } else { 1 };
        if !rows_taken.iter().any(|&t| t.abs_diff(r) <= gap) && !out.contains(&y) {
            rows_taken.push(r);
            out.push(y);
        }
    }
    out.sort_by(f64::total_cmp);
    out
}

/// Tick labels with one number format for the axis: the fewest decimals
/// that write every tick exactly (0.25 steps get two, landmarks follow).
pub fn tick_labels(values: &[f64]) -> Vec<String> {
    let exact = |d: i32| {
        values.iter().all(|v| {
            let scaled = v * 10f64.powi(d);
            (scaled - scaled.round()).abs() <= 1e-6 * scaled.abs().max(1.0)
        })
    };
    let decimals = (0..=6).find(|&d| exact(d)).unwrap_or(6) as usize;
    values
        .iter()
        .map(|v| super::format::fixed(*v, decimals))
        .collect()
}

/// Where a plot's data go on the screen: the cells of the plotting area and
/// the data ranges they show.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Geometry {
    pub area: Rect,
    pub x: [f64; 2],
    pub y: [f64; 2],
}

impl Geometry {
    /// The Braille dot column of x (two per cell), if inside the range.
    pub fn dot_column(&self, x: f64) -> Option<usize> {
        let dots = 2 * self.area.width as usize;
        let [x0, x1] = self.x;
        if !(x >= x0 && x <= x1) || x1 <= x0 || dots == 0 {
            return None;
        }
        Some((((x - x0) / (x1 - x0)) * (dots - 1) as f64).round() as usize)
    }

    /// The Braille dot row of y (four per cell), clamped to the area.
    fn dot_row(&self, y: f64) -> usize {
        let dots = 4 * self.area.height as usize;
        let [y0, y1] = self.y;
        let f = ((y1 - y) / (y1 - y0)).clamp(0.0, 1.0);
        (f * (dots - 1) as f64).round() as usize
    }

    /// The cell column of x inside the area.
    pub fn column(&self, x: f64) -> Option<u16> {
        self.dot_column(x).map(|d| self.area.x + (d / 2) as u16)
    }

    /// The cell row of y inside the area (clamped).
    pub fn row(&self, y: f64) -> u16 {
        self.area.y + (self.dot_row(y) / 4) as u16
    }
}

/// Braille dots of one plot, merged per cell, with the style of the last
/// curve that touched each cell.
struct Dots {
    width: usize,
    height: usize,
    masks: Vec<u8>,
    styles: Vec<Style>,
}

impl Dots {
    fn new(width: usize, height: usize) -> Self {
        Self {
            width,
            height,
            masks: vec![0; width * height],
            styles: vec![Style::new(); width * height],
        }
    }

    fn set(&mut self, dx: usize, dy: usize, style: Style) {
        let (cx, cy) = (dx / 2, dy / 4);
        if cx >= self.width || cy >= self.height {
            return;
        }
        // Braille dots 1-2-3-7 (left column) and 4-5-6-8 (right), top down.
        const LEFT: [u8; 4] = [0x01, 0x02, 0x04, 0x40];
        const RIGHT: [u8; 4] = [0x08, 0x10, 0x20, 0x80];
        let bit = if dx.is_multiple_of(2) { LEFT } else { RIGHT }[dy % 4];
        let k = cy * self.width + cx;
        self.masks[k] |= bit;
        self.styles[k] = style;
    }

    /// A line of dots from (x0, y0) to (x1, y1) (Bresenham), continuing the
    /// pattern's count.
    fn line(
        &mut self,
        a: (i64, i64),
        b: (i64, i64),
        style: Style,
        pattern: Pattern,
        n: &mut usize,
    ) {
        let (mut x, mut y) = a;
        let dx = (b.0 - a.0).abs();
        let dy = -(b.1 - a.1).abs();
        let sx = if a.0 < b.0 { 1 } else { -1 };
        let sy = if a.1 < b.1 { 1 } else { -1 };
        let mut err = dx + dy;
        loop {
            if pattern.draws(*n) && x >= 0 && y >= 0 {
                self.set(x as usize, y as usize, style);
            }
            *n += 1;
            if x == b.0 && y == b.1 {
                break;
            }
            let e2 = 2 * err;
            if e2 >= dy {
                err += dy;
                x += sx;
            }
            if e2 <= dx {
                err += dx;
                y += sy;
            }
        }
    }
}

/// Where the parts of a plot go inside its block.
struct Parts {
    readout: Rect,
    /// The readout, the tick labels and the plotting rows.
    rest: Rect,
    with_labels: bool,
    plot_rows: u16,
    y_ticks: Vec<f64>,
    y_labels: Vec<String>,
    label_w: u16,
}

impl Plot<'_> {
    fn parts(&self, inner: Rect) -> Parts {
        // Readout lines: as many as leave three rows to the plot.
        let lines = wrap(inner.width as usize, self.readout.clone()).len();
        let room = (inner.height as usize).saturating_sub(3).min(lines) as u16;
        let rest = Rect::new(inner.x, inner.y + room, inner.width, inner.height - room);
        // Tick labels under the axis once the plot keeps four rows.
        let with_labels = rest.height >= 6;
        let plot_rows = rest.height.saturating_sub(if with_labels { 2 } else { 1 });
        let y_ticks = y_ticks(self.y.bounds, plot_rows, &self.y.landmarks);
        let y_labels = tick_labels(&y_ticks);
        let label_w = y_labels
            .iter()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(1) as u16;
        Parts {
            readout: Rect::new(inner.x, inner.y, inner.width, room),
            rest,
            with_labels,
            plot_rows,
            y_ticks,
            y_labels,
            label_w,
        }
    }

    /// The block, its title on the left and the level lines' legend (the
    /// dashes and what they mark) on the right.
    fn block(&self, theme: &Theme) -> Block<'static> {
        let mut block = Block::bordered()
            .border_style(theme.dim())
            .title(Line::from(Span::styled(
                format!(" {} ", self.title),
                theme.bold(),
            )));
        for level in &self.levels {
            block = block.title_top(
                Line::from(Span::styled(format!(" ╌ {} ", level.label), theme.dim()))
                    .right_aligned(),
            );
        }
        block
    }

    /// The width the y tick labels need when drawn into `area`: plots that
    /// share a time axis take the largest as their common margin.
    pub fn label_width(&self, area: Rect) -> u16 {
        let inner = self.block(&Theme::default()).inner(area);
        if inner.width < 8 || inner.height < 2 {
            return 0;
        }
        self.parts(inner).label_w
    }

    /// Draws the plot into `area` and returns where its data went.
    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) -> Option<Geometry> {
        let block = self.block(theme);
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.width < 8 || inner.height < 2 {
            return None;
        }
        let f = self.parts(inner);
        if f.readout.height > 0 {
            let lines = wrap(inner.width as usize, self.readout.clone());
            Paragraph::new(lines[..f.readout.height as usize].to_vec()).render(f.readout, buf);
        }
        let rest = f.rest;
        let margin = self.margin.unwrap_or(0).max(f.label_w).min(rest.width / 3);
        if rest.width <= margin + 4 || f.plot_rows == 0 {
            return None;
        }
        let plot = Rect::new(
            rest.x + margin + 1,
            rest.y,
            rest.width - margin - 1,
            f.plot_rows,
        );
        let geometry = Geometry {
            area: plot,
            x: self.x.bounds,
            y: self.y.bounds,
        };
        self.draw_y_axis(
            buf,
            theme,
            &geometry,
            &f.y_ticks,
            &f.y_labels,
            rest.x,
            margin,
        );
        self.draw_x_axis(buf, theme, &geometry, f.with_labels);
        self.draw_levels(buf, theme, &geometry);
        self.draw_curves(buf, &geometry);
        let mut taken: Vec<(u16, u16, u16)> = Vec::new();
        self.draw_marks(buf, theme, &geometry, &mut taken);
        self.draw_labels(buf, &geometry, &mut taken);
        Some(geometry)
    }

    #[allow(clippy::too_many_arguments)]
    fn draw_y_axis(
        &self,
        buf: &mut Buffer,
        theme: &Theme,
        g: &Geometry,
        ticks: &[f64],
        labels: &[String],
        x0: u16,
        margin: u16,
    ) {
        let axis_x = g.area.x - 1;
        for row in g.area.y..g.area.bottom() {
            buf[(axis_x, row)].set_symbol("│").set_style(theme.dim());
        }
        let mut last_row = None;
        for (t, label) in ticks.iter().zip(labels) {
            let row = g.row(*t);
            if last_row == Some(row) {
                continue;
            }
            last_row = Some(row);
            buf[(axis_x, row)].set_symbol("┤").set_style(theme.dim());
            let w = label.chars().count() as u16;
            if w <= margin {
                buf.set_string(x0 + margin - w, row, label, Style::new());
            }
        }
    }

    fn draw_x_axis(&self, buf: &mut Buffer, theme: &Theme, g: &Geometry, with_labels: bool) {
        let row = g.area.bottom();
        buf[(g.area.x - 1, row)]
            .set_symbol("└")
            .set_style(theme.dim());
        for x in g.area.x..g.area.right() {
            buf[(x, row)].set_symbol("─").set_style(theme.dim());
        }
        let title = &self.x.title;
        let title_w = title.chars().count() as u16;
        // About one tick per 12 columns, at most 8.
        let x_ticks = ticks(
            self.x.bounds,
            (g.area.width as usize / 12).clamp(2, 8),
            &self.x.landmarks,
        );
        let labels = tick_labels(&x_ticks);
        let label_row = row + 1;
        // The axis title sits at the right end of the label row (or of the
        // axis line when there is no label row), outside the data.
        let title_at = g.area.right().saturating_sub(title_w);
        let mut free_from = g.area.x.saturating_sub(1);
        for (t, label) in x_ticks.iter().zip(&labels) {
            let Some(col) = g.column(*t) else { continue };
            buf[(col, row)].set_symbol("┴").set_style(theme.dim());
            if !with_labels {
                continue;
            }
            let w = label.chars().count() as u16;
            let start = col.saturating_sub(w / 2).max(g.area.x.saturating_sub(1));
            let end = start + w;
            if start >= free_from && end < title_at && end <= g.area.right() {
                buf.set_string(start, label_row, label, Style::new());
                free_from = end + 1;
            }
        }
        let at_row = if with_labels { label_row } else { row };
        if title_w <= g.area.width {
            buf.set_string(title_at, at_row, title, theme.dim());
        }
    }

    fn draw_levels(&self, buf: &mut Buffer, theme: &Theme, g: &Geometry) {
        let [y0, y1] = g.y;
        for level in self.levels.iter().filter(|l| l.y >= y0 && l.y <= y1) {
            let row = g.row(level.y);
            for x in g.area.x..g.area.right() {
                buf[(x, row)].set_symbol("╌").set_style(theme.dim());
            }
        }
        for c in &self.cursors {
            let Some(col) = g.column(c.x) else { continue };
            for y in g.area.y..g.area.bottom() {
                buf[(col, y)].set_symbol("┆").set_style(theme.bold());
            }
            let w = c.label.chars().count() as u16;
            let start = if col + 1 + w <= g.area.right() {
                col + 1
            } else {
                col.saturating_sub(w)
            };
            buf.set_string(start, g.area.y, &c.label, theme.bold());
        }
    }

    fn draw_curves(&self, buf: &mut Buffer, g: &Geometry) {
        let (w, h) = (g.area.width as usize, g.area.height as usize);
        let mut dots = Dots::new(w, h);
        for curve in &self.curves {
            let mut prev: Option<(i64, i64)> = None;
            let mut count = 0usize;
            for &(x, y) in &curve.points {
                let Some(dx) = g.dot_column(x).filter(|_| y.is_finite()) else {
                    prev = None;
                    continue;
                };
                let p = (dx as i64, g.dot_row(y) as i64);
                match prev {
                    Some(a) => dots.line(a, p, curve.style, curve.pattern, &mut count),
                    None => dots.line(p, p, curve.style, curve.pattern, &mut count),
                }
                prev = Some(p);
            }
        }
        for cy in 0..h {
            for cx in 0..w {
                let k = cy * w + cx;
                let mask = dots.masks[k];
                if mask == 0 {
                    continue;
                }
                let symbol = char::from_u32(0x2800 + u32::from(mask)).unwrap_or(' ');
                buf[(g.area.x + cx as u16, g.area.y + cy as u16)]
                    .set_char(symbol)
                    .set_style(dots.styles[k]);
            }
        }
    }

    fn draw_marks(
        &self,
        buf: &mut Buffer,
        theme: &Theme,
        g: &Geometry,
        taken: &mut Vec<(u16, u16, u16)>,
    ) {
        for m in &self.marks {
            let mut last = None;
            for &(x, y) in &m.points {
                let Some(col) = g.column(x) else { continue };
                if !(y >= g.y[0] && y <= g.y[1]) {
                    continue;
                }
                let row = g.row(y);
                buf[(col, row)]
                    .set_symbol(m.glyph.symbol(theme.ascii))
                    .set_style(m.style);
                taken.push((row, col, col + 1));
                last = Some((col, row));
            }
            if let (Some(label), Some(at)) = (&m.label, last) {
                place_label(
                    buf,
                    g,
                    at,
                    label,
                    m.style.add_modifier(Modifier::BOLD),
                    taken,
                );
            }
        }
    }

    fn draw_labels(&self, buf: &mut Buffer, g: &Geometry, taken: &mut Vec<(u16, u16, u16)>) {
        for curve in &self.curves {
            let Some(label) = &curve.label else { continue };
            let visible = |p: &&(f64, f64)| p.1.is_finite() && g.dot_column(p.0).is_some();
            let at = if curve.label_at_peak {
                curve
                    .points
                    .iter()
                    .filter(visible)
                    .max_by(|a, b| a.1.total_cmp(&b.1))
            } else {
                curve.points.iter().rev().find(visible)
            };
            let end = at.map(|&(x, y)| (g.column(x).unwrap_or(g.area.x), g.row(y)));
            if let Some(at) = end {
                place_label(
                    buf,
                    g,
                    at,
                    label,
                    curve.style.add_modifier(Modifier::BOLD),
                    taken,
                );
            }
        }
    }
}

/// Writes `label` beside the cell `at`: after it or before it, on its row or
/// the nearest one, wherever it hides the fewest drawn cells (curve dots,
/// marks) and no earlier label.
fn place_label(
    buf: &mut Buffer,
    g: &Geometry,
    at: (u16, u16),
    label: &str,
    style: Style,
    taken: &mut Vec<(u16, u16, u16)>,
) {
    let w = label.chars().count() as u16;
    if w + 1 > g.area.width {
        return;
    }
    let (col, row) = at;
    let drawn = |x: u16, y: u16| {
        let symbol = buf[(x, y)].symbol();
        symbol
            .chars()
            .next()
            .is_some_and(|c| ('\u{2801}'..='\u{28ff}').contains(&c) || "●×◆■┆".contains(c))
    };
    let mut best: Option<(usize, u16, u16, u16)> = None;
    for offset in 0..g.area.height as i32 {
        for r in [row as i32 - offset, row as i32 + offset] {
            if r < g.area.y as i32 || r >= g.area.bottom() as i32 {
                continue;
            }
            let r = r as u16;
            for start in [col + 1, col.saturating_sub(w)] {
                let start = start.max(g.area.x);
                let end = start + w;
                if end > g.area.right() {
                    continue;
                }
                let clash = taken
                    .iter()
                    .any(|&(tr, ts, te)| tr == r && ts < end + 1 && start < te + 1);
                if clash {
                    continue;
                }
                let hidden = (start..end).filter(|&x| drawn(x, r)).count();
                // A hidden cell of data costs as much as four rows away.
                let cost = 4 * hidden + offset as usize;
                if best.is_none_or(|b| cost < b.0) {
                    best = Some((cost, r, start, end));
                }
            }
        }
    }
    if let Some((_, r, start, end)) = best {
        buf.set_string(start, r, label, style);
        taken.push((r, start, end));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_include_landmarks() {
        assert_eq!(ticks([-90.0, 50.0], 4, &[0.0]), [-50.0, 0.0, 50.0]);
        assert_eq!(ticks([-0.1, 1.5], 4, &[0.0, 1.0]), [0.0, 0.5, 1.0, 1.5]);
        assert!(ticks([0.0, 3.0], 2, &[1.0]).contains(&1.0));
        assert_eq!(tick_labels(&[0.0, 0.5, 1.0]), ["0.0", "0.5", "1.0"]);
        assert_eq!(tick_labels(&[0.0, 0.25, 0.5]), ["0.00", "0.25", "0.50"]);
        assert_eq!(tick_labels(&[-80.0, -40.0, 0.0]), ["-80", "-40", "0"]);
    }

    #[test]
    fn columns_map_the_range_onto_dots() {
        let g = Geometry {
            area: Rect::new(10, 2, 50, 10),
            x: [0.0, 100.0],
            y: [0.0, 1.0],
        };
        assert_eq!(g.dot_column(0.0), Some(0));
        assert_eq!(g.dot_column(100.0), Some(99));
        assert_eq!(g.column(100.0), Some(59));
        assert_eq!(g.column(-1.0), None);
        assert_eq!(g.row(1.0), 2);
        assert_eq!(g.row(0.0), 11);
    }
}
