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
//!
//! Here: what a plot is (axes, curves, levels, marks, cursors) and where
//! its parts go; `ticks` the round tick values, `canvas` the geometry and
//! the Braille dots, `draw` the drawing of each part, `labels` where the
//! names go.

mod canvas;
mod draw;
mod labels;
mod ticks;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget};

use super::lines::{Segment, wrap};
use super::theme::Theme;
pub use canvas::Geometry;
use ticks::y_ticks;
pub use ticks::{decade_label, tick_labels, ticks};

/// One axis: its range, its title with the unit, and values that must be
/// ticks.
#[derive(Debug, Clone)]
pub struct Axis {
    pub bounds: [f64; 2],
    pub title: String,
    /// A shorter title, for an x axis where the whole one leaves room for
    /// fewer than two numbers.
    pub short_title: Option<String>,
    pub landmarks: Vec<f64>,
    /// Whether the axis counts (whole numbers only at its round ticks).
    pub counts: bool,
    /// Whether the values are decades, log10 of what the axis measures
    /// (a y axis only): its ticks at whole decades, each labelled with the
    /// value it stands for (0.01, 1, 100).
    pub decades: bool,
}

impl Axis {
    pub fn new(bounds: [f64; 2], title: impl Into<String>) -> Self {
        Self {
            bounds,
            title: title.into(),
            short_title: None,
            landmarks: Vec::new(),
            counts: false,
            decades: false,
        }
    }

    /// An axis of counts: its round ticks at whole numbers only (the ISI
    /// histogram's read 1.0, 2.0, 3.0 and 4.5 over bars of 1 to 4).
    pub fn counts(mut self) -> Self {
        self.counts = true;
        self
    }

    /// An axis of decades (see `decades`): a log scale for values the
    /// pane gives as their log10.
    pub fn decades(mut self) -> Self {
        self.decades = true;
        self
    }

    pub fn short_title(mut self, title: impl Into<String>) -> Self {
        self.short_title = Some(title.into());
        self
    }

    pub fn landmarks(mut self, values: &[f64]) -> Self {
        self.landmarks = values.to_vec();
        self
    }
}

/// How a curve's dots are laid: solid, or broken so that curves can be told
/// apart without colour. Six, as the figures have: a plot draws up to six
/// curves side by side (the activation functions, a clamp family's steps,
/// a rate network's neurons on the scope).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    Solid,
    Dashed,
    Dotted,
    LongDashed,
    DashDotted,
    SparseDotted,
}

impl Pattern {
    /// Every pattern, in the order neighbouring curves take them.
    pub const ALL: [Pattern; 6] = [
        Pattern::Solid,
        Pattern::Dashed,
        Pattern::Dotted,
        Pattern::LongDashed,
        Pattern::DashDotted,
        Pattern::SparseDotted,
    ];

    /// The k-th curve's pattern: all solid in colour; without colour each
    /// of six neighbours gets its own.
    pub fn nth(k: usize, theme: &Theme) -> Self {
        if theme.color {
            Pattern::Solid
        } else {
            Self::ALL[k % Self::ALL.len()]
        }
    }

    /// The pattern in one ASCII character, where a cell cannot show its
    /// dots: `*` solid, `+` dashed, `.` dotted, `=` long dashes, `~` dashes
    /// and dots, `:` sparse dots (marks are `o x # @`, level lines `-`).
    pub fn ascii(self) -> char {
        match self {
            Pattern::Solid => '*',
            Pattern::Dashed => '+',
            Pattern::Dotted => '.',
            Pattern::LongDashed => '=',
            Pattern::DashDotted => '~',
            Pattern::SparseDotted => ':',
        }
    }

    /// Whether the curve's `dot`-th dot is drawn. The periods differ (8,
    /// 3, 12, 10, 6 dots), and so do the shares drawn, so that two broken
    /// curves side by side read apart.
    fn draws(self, dot: usize) -> bool {
        match self {
            Pattern::Solid => true,
            Pattern::Dashed => (dot / 4).is_multiple_of(2),
            Pattern::Dotted => dot.is_multiple_of(3),
            Pattern::LongDashed => dot % 12 < 9,
            Pattern::DashDotted => matches!(dot % 10, 0..=3 | 6),
            Pattern::SparseDotted => dot.is_multiple_of(6),
        }
    }
}

/// A curve through points (NaN breaks it), named where it ends.
#[derive(Debug, Clone)]
pub struct Curve {
    pub points: Vec<(f64, f64)>,
    pub style: Style,
    pub pattern: Pattern,
    /// Written next to the curve (where: `label_at`); `None` for unnamed
    /// parts (an older sweep of a named trace).
    pub label: Option<String>,
    pub label_at: LabelAt,
    /// Drawn under every curve that is not (a frozen reference: the live
    /// run draws over it, and in ASCII, where a cell shows one curve's
    /// character, the live one's shows).
    pub under: bool,
    /// The trace this curve is a part of (a sweep of it), if it is one of
    /// several: a name covering the other parts covers its own trace.
    pub trace: Option<String>,
}

/// Where a curve's name goes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LabelAt {
    /// By its last point, or where that is crowded by one of its points at
    /// a few fixed columns (curves ending together: the activation
    /// functions at z = 4, a rate network's flat traces; fixed columns, so
    /// that a scope's name does not hop as its sweep grows).
    EndOrAlong,
    /// As `EndOrAlong`, by any point that ends a run of its own cells
    /// along a row rather than those at the few columns: a still curve
    /// drawn under another may show its own
    /// character only between them (rate-tanh's threshold shows its `=`
    /// only from z = 0 to 0.5, under tanh's dots past that, and its name
    /// stood two rows above its end). Not for a growing trace, whose name
    /// would hop, nor a frozen reference, whose name by any of its dots
    /// stood on the row of another value (`ref n` on the gates' row of 1).
    EndOrAnyPoint,
    /// By its highest point: filters that all end at zero are told apart
    /// by their peaks.
    Peak,
    /// By its last point at or before this x: the clamp family's steps all
    /// end back at the hold, and are told apart at the steps' end.
    Before(f64),
    /// By its last point, on that point's row (over its own dots if it
    /// must), else as `EndOrAlong`: the activation view's own function,
    /// which ends at 1 among the others, named a row below its end read
    /// as 0.5.
    EndOnItsRow,
    /// As `EndOrAlong`, but in a short plot on the row of the point it
    /// goes by or not at all: a frozen reference, its dotted trace beside
    /// the live one of the same name, whose name a row off stood on another
    /// value (`SHORT_PLOT_ROWS` in labels.rs).
    OnItsRowInShortPlots,
}

impl Curve {
    pub fn new(points: Vec<(f64, f64)>, style: Style, pattern: Pattern) -> Self {
        Self {
            points,
            style,
            pattern,
            label: None,
            label_at: LabelAt::EndOrAlong,
            under: false,
            trace: None,
        }
    }

    /// The curve as a part of the trace `key` (`trace`).
    pub fn part_of(mut self, key: impl Into<String>) -> Self {
        self.trace = Some(key.into());
        self
    }

    pub fn named(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// The curve drawn under the others (`under`).
    pub fn beneath(mut self) -> Self {
        self.under = true;
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

/// A readout segment of this priority or lower is shown only where the
/// plot keeps four rows and its tick labels beside it.
pub const IF_ROOM: u8 = 3;

/// A whole chart in a bordered block.
#[derive(Debug, Clone)]
pub struct Plot<'a> {
    pub title: String,
    /// Shorter forms of the title, longest first: a block too narrow for
    /// the whole one takes the longest that fits.
    pub short_titles: Vec<String>,
    /// Live values under the title, wrapped between segments.
    pub readout: Vec<Segment<'a>>,
    pub x: Axis,
    pub y: Axis,
    pub curves: Vec<Curve>,
    pub marks: Vec<Marks>,
    /// Marks named in the legend on the block's top right (`● neurons (z,
    /// y)`) rather than beside their last point: where the curves' own
    /// names crowd the plot, a name beside them read as part of another
    /// (`threshold neurons (z, y)`). Drawn after `marks`.
    pub legend_marks: Vec<Marks>,
    pub levels: Vec<Level>,
    pub cursors: Vec<Cursor>,
    /// Width of the y labels, when several plots must line up.
    pub margin: Option<u16>,
}

impl<'a> Plot<'a> {
    pub fn new(title: impl Into<String>, x: Axis, y: Axis) -> Self {
        Self {
            title: title.into(),
            short_titles: Vec::new(),
            readout: Vec::new(),
            x,
            y,
            curves: Vec::new(),
            marks: Vec::new(),
            legend_marks: Vec::new(),
            levels: Vec::new(),
            cursors: Vec::new(),
            margin: None,
        }
    }
}

/// Where the parts of a plot go inside its block.
pub(super) struct Parts {
    pub(super) readout: Rect,
    /// The readout, the tick labels and the plotting rows.
    pub(super) rest: Rect,
    pub(super) with_labels: bool,
    pub(super) plot_rows: u16,
    pub(super) y_ticks: Vec<f64>,
    pub(super) y_labels: Vec<String>,
    pub(super) label_w: u16,
}

impl Plot<'_> {
    /// The readout wrapped to `inner`: where it would leave the plot fewer
    /// than four rows and its tick labels, its segments of priority
    /// `IF_ROOM` or lower go, the lowest first (HH's phase plane at 60x16
    /// drops its `now` line, not a plot row and the y-axis numbers).
    fn readout_lines(&self, inner: Rect) -> Vec<Line<'_>> {
        let budget = (inner.height as usize).saturating_sub(6).max(1);
        let mut segments = self.readout.clone();
        loop {
            let lines = wrap(inner.width as usize, segments.clone());
            let lowest = (0..segments.len())
                .rev()
                .filter(|&k| segments[k].priority <= IF_ROOM)
                .min_by_key(|&k| segments[k].priority);
            match lowest {
                Some(k) if lines.len() > budget => {
                    segments.remove(k);
                }
                _ => return lines,
            }
        }
    }

    /// With `whole_rows` (ASCII) the ticks are kept apart by the rows the
    /// geometry puts them on there (`Geometry::dot_row`), not by Braille's.
    fn parts(&self, inner: Rect, whole_rows: bool) -> Parts {
        // Readout lines: as many as leave three rows to the plot.
        let lines = self.readout_lines(inner).len();
        let room = (inner.height as usize).saturating_sub(3).min(lines) as u16;
        let rest = Rect::new(inner.x, inner.y + room, inner.width, inner.height - room);
        // Tick labels under the axis once the plot keeps four rows.
        let with_labels = rest.height >= 6;
        let plot_rows = rest.height.saturating_sub(if with_labels { 2 } else { 1 });
        let whole = self.y.counts || self.y.decades;
        // A level line's row is numbered by its own value, ahead of the
        // axis's landmarks: network-wta's inputs at 120x40 in ASCII, eight
        // rows from -8 to 2, put the firing line at 1 on the row the tick 0
        // took, and read as firing above 0.
        let landmarks: Vec<f64> = (self.levels.iter().map(|l| l.y))
            .chain(self.y.landmarks.iter().copied())
            .collect();
        let y_ticks = y_ticks(self.y.bounds, plot_rows, &landmarks, whole, whole_rows);
        let y_labels = if self.y.decades {
            y_ticks.iter().map(|&k| decade_label(k)).collect()
        } else {
            tick_labels(&y_ticks)
        };
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

    /// The block `width` wide, its title on the left (the longest form that
    /// fits beside the legend) and the legend on the right: the level
    /// lines' (the dashes and what they mark), then the legend marks' (the
    /// glyph in its style and the name).
    fn block(&self, theme: &Theme, width: u16) -> Block<'static> {
        let levels = self
            .levels
            .iter()
            .map(|level| Line::from(Span::styled(format!(" ╌ {} ", level.label), theme.dim())));
        let marks = self.legend_marks.iter().filter_map(|m| {
            let label = m.label.as_ref()?;
            Some(Line::from(vec![
                Span::raw(" "),
                Span::styled(m.glyph.symbol(theme.ascii), m.style),
                Span::styled(format!(" {} ", theme.words(label)), theme.dim()),
            ]))
        });
        let legends: Vec<Line<'static>> = levels.chain(marks).collect();
        let room = (width as usize)
            .saturating_sub(2)
            .saturating_sub(legends.iter().map(Line::width).sum::<usize>());
        let forms: Vec<String> = std::iter::once(&self.title)
            .chain(&self.short_titles)
            .map(|t| theme.words(t).into_owned())
            .collect();
        let title = forms
            .iter()
            // Its spaces either side, and a dash of border after it.
            .find(|t| t.chars().count() + 3 <= room)
            .or(forms.last())
            .cloned()
            .unwrap_or_default();
        let mut block = Block::bordered()
            .border_style(theme.dim())
            .title(Line::from(Span::styled(format!(" {title} "), theme.bold())));
        for legend in legends {
            block = block.title_top(legend.right_aligned());
        }
        block
    }

    /// The width the y tick labels need when drawn into `area`: plots that
    /// share a time axis take the largest as their common margin.
    pub fn label_width(&self, area: Rect, theme: &Theme) -> u16 {
        self.parts_in(area, theme).map_or(0, |p| p.label_w)
    }

    /// The rows the plot's data gets when drawn into `area` (its readout
    /// and axes aside): a pane that fits its axis to them asks first.
    pub fn plot_rows(&self, area: Rect, theme: &Theme) -> u16 {
        self.parts_in(area, theme).map_or(0, |p| p.plot_rows)
    }

    /// The parts of the plot drawn into `area`, where it has room for any.
    fn parts_in(&self, area: Rect, theme: &Theme) -> Option<Parts> {
        let inner = self.block(theme, area.width).inner(area);
        (inner.width >= 8 && inner.height >= 2).then(|| self.parts(inner, theme.ascii))
    }

    /// Draws the plot into `area` and returns where its data went.
    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) -> Option<Geometry> {
        // The curves go in the order they are drawn in, the one drawn last
        // on top: those `under` first (a stable sort keeps the rest's order).
        if self.curves.iter().skip_while(|c| c.under).any(|c| c.under) {
            let mut layered = self.clone();
            layered.curves.sort_by_key(|c| !c.under);
            return layered.render(area, buf, theme);
        }
        let block = self.block(theme, area.width);
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.width < 8 || inner.height < 2 {
            return None;
        }
        let f = self.parts(inner, theme.ascii);
        if f.readout.height > 0 {
            let lines = self.readout_lines(inner);
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
            whole_rows: theme.ascii,
        };
        self.draw_y_axis(buf, theme, &geometry, &f, margin);
        self.draw_x_axis(buf, theme, &geometry, f.with_labels);
        self.draw_levels(buf, theme, &geometry);
        let owners = self.draw_curves(buf, &geometry);
        let mut taken = Vec::new();
        let last_marks = self.draw_marks(buf, theme, &geometry, &mut taken);
        self.draw_cursor_labels(buf, theme, &geometry, &mut taken);
        self.draw_mark_names(buf, &geometry, &owners, last_marks, &mut taken);
        let keyed = theme.ascii && !theme.color;
        self.draw_labels(buf, &geometry, &owners, keyed, &mut taken);
        if theme.ascii {
            self.curves_in_ascii(buf, &geometry, &owners);
        }
        Some(geometry)
    }
}
