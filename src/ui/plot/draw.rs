//! Drawing a plot's parts into the buffer: the axes, the level lines, the
//! curves in Braille dots, the glyph marks and the curves' names, each
//! placed where it hides the fewest drawn cells.

use ratatui::buffer::Buffer;
use ratatui::style::{Modifier, Style};

use super::canvas::{Dots, Geometry};
use super::ticks::{tick_labels, ticks};
use super::{LabelAt, Parts, Plot};
use crate::ui::theme::Theme;

impl Plot<'_> {
    /// The y axis, its ticks and their labels right-aligned in the
    /// `margin` columns left of it.
    pub(super) fn draw_y_axis(
        &self,
        buf: &mut Buffer,
        theme: &Theme,
        g: &Geometry,
        parts: &Parts,
        margin: u16,
    ) {
        let x0 = parts.rest.x;
        let axis_x = g.area.x - 1;
        for row in g.area.y..g.area.bottom() {
            buf[(axis_x, row)].set_symbol("│").set_style(theme.dim());
        }
        let mut last_row = None;
        for (t, label) in parts.y_ticks.iter().zip(&parts.y_labels) {
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

    pub(super) fn draw_x_axis(
        &self,
        buf: &mut Buffer,
        theme: &Theme,
        g: &Geometry,
        with_labels: bool,
    ) {
        let row = g.area.bottom();
        buf[(g.area.x - 1, row)]
            .set_symbol("└")
            .set_style(theme.dim());
        for x in g.area.x..g.area.right() {
            buf[(x, row)].set_symbol("─").set_style(theme.dim());
        }
        let label_row = row + 1;
        // The axis title sits at the right end of the label row (or of the
        // axis line when there is no label row), outside the data. About one
        // tick per 12 columns, at most 8; where fewer than two of their
        // numbers fit beside the title, the short title if it has one, then
        // closer steps.
        let base = (g.area.width as usize / 12).clamp(2, 8);
        let closest = (g.area.width as usize / 3).max(base);
        // In the axis line the title keeps a space before it, as the
        // numbers do: a tick against it read as part of it ("┴ms").
        let pad = u16::from(!with_labels);
        let layout = |title: &str, count: usize| {
            let title_at = g
                .area
                .right()
                .saturating_sub(title.chars().count() as u16 + pad);
            let x_ticks = ticks(self.x.bounds, count, &self.x.landmarks);
            let placed = self.place_x_labels(&x_ticks, g, title_at, with_labels);
            (x_ticks, placed, title_at)
        };
        let titles: Vec<&String> = std::iter::once(&self.x.title)
            .chain(&self.x.short_title)
            .collect();
        let (x_ticks, placed, title_at, title) = (base..=closest)
            .flat_map(|count| titles.iter().map(move |&title| (title, count)))
            .map(|(title, count)| {
                let (x_ticks, placed, title_at) = layout(title, count);
                (x_ticks, placed, title_at, title)
            })
            .find(|(_, placed, _, _)| placed.len() >= 2)
            .unwrap_or_else(|| {
                let (x_ticks, placed, title_at) = layout(&self.x.title, base);
                (x_ticks, placed, title_at, &self.x.title)
            });
        for t in &x_ticks {
            if let Some(col) = g.column(*t) {
                buf[(col, row)].set_symbol("┴").set_style(theme.dim());
            }
        }
        let at_row = if with_labels { label_row } else { row };
        for (start, text) in placed {
            buf.set_string(start, at_row, &text, Style::new());
        }
        let title_w = title.chars().count() as u16;
        if title_w + pad <= g.area.width {
            if pad == 1 {
                buf[(title_at, at_row)].set_symbol(" ");
            }
            buf.set_string(title_at + pad, at_row, title, theme.dim());
        }
    }

    /// Where the numbers of `x_ticks` go: under their ticks, or without a
    /// label row in the axis line itself, a space either side (a dash
    /// before a number would read as its minus on an ASCII screen), so that
    /// a short pane keeps its times. Each is centred on its tick, or slid
    /// left (still over it) to end before the axis title; one that would
    /// touch another (a landmark's goes first) or the title is left out.
    fn place_x_labels(
        &self,
        x_ticks: &[f64],
        g: &Geometry,
        title_at: u16,
        with_labels: bool,
    ) -> Vec<(u16, String)> {
        let leftmost = if with_labels {
            g.area.x.saturating_sub(1)
        } else {
            g.area.x
        };
        // In the axis line a number's spaces and one dash apart would read
        // as a minus before the next ("-25 - 0"): two cells apart there.
        let gap = if with_labels { 1 } else { 2 };
        let mut placed: Vec<(u16, String)> = Vec::new();
        // The landmarks' numbers first (0 ms, the spike), then the rest
        // where they leave room.
        let labels = tick_labels(x_ticks);
        let mut order: Vec<usize> = (0..x_ticks.len()).collect();
        order.sort_by_key(|&k| !self.x.landmarks.contains(&x_ticks[k]));
        for k in order {
            let Some(col) = g.column(x_ticks[k]) else {
                continue;
            };
            let text = if with_labels {
                labels[k].clone()
            } else {
                format!(" {} ", labels[k])
            };
            let w = text.chars().count() as u16;
            let start = col
                .saturating_sub(w / 2)
                .min(title_at.saturating_sub(w + 1))
                .max((col + 1).saturating_sub(w))
                .max(leftmost);
            let end = start + w;
            let clear = placed.iter().all(|(s, t)| {
                let e = s + t.chars().count() as u16;
                end + gap <= *s || start >= e + gap
            });
            if clear && end < title_at && end <= g.area.right() {
                placed.push((start, text));
            }
        }
        placed.sort_by_key(|p| p.0);
        placed
    }

    pub(super) fn draw_levels(&self, buf: &mut Buffer, theme: &Theme, g: &Geometry) {
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
        }
    }

    /// The cursors' names, at the top beside their lines: drawn over the
    /// curves (a curve drawn after would cut them, "hold" for
    /// "threshold"), and kept clear of the curves' names.
    pub(super) fn draw_cursor_labels(
        &self,
        buf: &mut Buffer,
        theme: &Theme,
        g: &Geometry,
        taken: &mut Vec<Taken>,
    ) {
        for c in &self.cursors {
            let Some(col) = g.column(c.x) else { continue };
            let w = c.label.chars().count() as u16;
            let start = if col + 1 + w <= g.area.right() {
                col + 1
            } else {
                col.saturating_sub(w)
            };
            buf.set_string(start, g.area.y, &c.label, theme.bold());
            taken.push(Taken::label(g.area.y, start, start + w));
        }
    }

    /// Draws the curves; returns which curves drew each cell of the area,
    /// row by row (bit k for curve k, the first 64).
    pub(super) fn draw_curves(&self, buf: &mut Buffer, g: &Geometry) -> Vec<u64> {
        let (w, h) = (g.area.width as usize, g.area.height as usize);
        let mut dots = Dots::new(w, h);
        for (k, curve) in self.curves.iter().enumerate() {
            let owner = owner_bit(k);
            let mut prev: Option<(f64, f64)> = None;
            let mut count = 0usize;
            for &(x, y) in &curve.points {
                if g.dot_column(x).is_none() || !y.is_finite() {
                    prev = None;
                    continue;
                }
                // Only what lies inside the y range is drawn, a segment
                // that leaves it up to the edge: pinned to the edge, a
                // curve beyond it read as one at the edge's value (relu
                // flat at 2 from z = 2 on, a nullcline below s = 0 along
                // s = 0).
                let (a, b) = match prev {
                    Some(a) => (a, (x, y)),
                    None => ((x, y), (x, y)),
                };
                if let Some((a, b)) = inside_y(a, b, g.y) {
                    let dot = |(x, y): (f64, f64)| {
                        let x = x.clamp(g.x[0], g.x[1]);
                        (g.dot_column(x).unwrap_or(0) as i64, g.dot_row(y) as i64)
                    };
                    dots.line(
                        dot(a),
                        dot(b),
                        (curve.style, owner),
                        curve.pattern,
                        &mut count,
                    );
                }
                prev = Some((x, y));
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
        dots.owners
    }

    pub(super) fn draw_marks(
        &self,
        buf: &mut Buffer,
        theme: &Theme,
        g: &Geometry,
        taken: &mut Vec<Taken>,
    ) {
        // Every mark first, then their names: a name placed before a later
        // group's marks were drawn could be covered by them, or sit beside
        // another group's mark rather than its own.
        let mut last = Vec::with_capacity(self.marks.len());
        for m in &self.marks {
            let mut at = None;
            for &(x, y) in &m.points {
                let Some(col) = g.column(x) else { continue };
                if !(y >= g.y[0] && y <= g.y[1]) {
                    continue;
                }
                let row = g.row(y);
                buf[(col, row)]
                    .set_symbol(m.glyph.symbol(theme.ascii))
                    .set_style(m.style);
                taken.push(Taken::mark(row, col));
                at = Some((col, row));
            }
            last.push(at);
        }
        for (m, at) in self.marks.iter().zip(last) {
            if let (Some(label), Some(at)) = (&m.label, at) {
                let style = m.style.add_modifier(Modifier::BOLD);
                place_label(buf, g, &[(at, 0)], (label, style), None, taken);
            }
        }
    }

    /// The curves' names; `owners` says which curve drew each cell (a name
    /// may cover its own curve, as inline labels do, not another's).
    pub(super) fn draw_labels(
        &self,
        buf: &mut Buffer,
        g: &Geometry,
        owners: &[u64],
        taken: &mut Vec<Taken>,
    ) {
        for (k, curve) in self.curves.iter().enumerate() {
            let own = Some((owners, owner_bit(k)));
            let Some(label) = &curve.label else { continue };
            // Points drawn: finite, and inside both ranges.
            let visible =
                |p: &&(f64, f64)| p.1 >= g.y[0] && p.1 <= g.y[1] && g.dot_column(p.0).is_some();
            let cell = |&(x, y): &(f64, f64)| (g.column(x).unwrap_or(g.area.x), g.row(y));
            let style = curve.style.add_modifier(Modifier::BOLD);
            if curve.label_at == LabelAt::Peak {
                let peak = curve
                    .points
                    .iter()
                    .filter(visible)
                    .max_by(|a, b| a.1.total_cmp(&b.1));
                if let Some(p) = peak {
                    place_label(buf, g, &[(cell(p), 0)], (label, style), own, taken);
                }
                continue;
            }
            // The name goes by the curve's end, or where the end is crowded
            // (curves ending together, as the activation functions at z =
            // 4) by one of its points at a few fixed columns: rows away from
            // the end it would name another curve. Fixed columns, not
            // fractions of the points: a scope's sweep grows every frame,
            // and its names would hop.
            let Some(end) = curve.points.iter().rev().find(visible) else {
                continue;
            };
            let width = g.area.width as usize;
            let columns = (1..ALONG).map(|k| g.area.x + (k * width / ALONG) as u16);
            let along = columns.filter_map(|col| {
                curve
                    .points
                    .iter()
                    .filter(visible)
                    .find(|p| g.column(p.0) == Some(col))
                    .map(|p| (cell(p), ALONG_COST))
            });
            let anchors: Vec<_> = std::iter::once((cell(end), 0)).chain(along).collect();
            place_label(buf, g, &anchors, (label, style), own, taken);
        }
    }
}

/// The part of the segment from `a` to `b` whose y lies in `[y0, y1]`, if
/// any (a point when `a` is `b`).
fn inside_y(a: (f64, f64), b: (f64, f64), [y0, y1]: [f64; 2]) -> Option<((f64, f64), (f64, f64))> {
    let inside = |y: f64| y >= y0 && y <= y1;
    if a.1 == b.1 {
        return inside(a.1).then_some((a, b));
    }
    let at = |t: f64| (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1));
    let (t0, t1) = ((y0 - a.1) / (b.1 - a.1), (y1 - a.1) / (b.1 - a.1));
    let (enter, leave) = (t0.min(t1).max(0.0), t0.max(t1).min(1.0));
    if enter > leave {
        return None;
    }
    // The ends that are inside stay exact; the others are on the edge.
    let from = if inside(a.1) { a } else { at(enter) };
    let to = if inside(b.1) { b } else { at(leave) };
    Some((from, to))
}

/// Curve k's bit in the cells' owners (none past the 64th: its cells count
/// as others').
fn owner_bit(k: usize) -> u64 {
    1u64.checked_shl(k as u32).unwrap_or(0)
}

/// How many points along a curve, besides its end, its name may go by,
/// and what going by one of them rather than the end costs (in rows away).
const ALONG: usize = 8;
const ALONG_COST: usize = 1;

/// What covering its own curve costs a name at most, however long: less
/// than two rows away (by its end or along the curve), more than one.
const OWN_COST_MOST: usize = 2;

/// A cell span already used on a row: a mark's glyph, or a name.
#[derive(Debug, Clone, Copy)]
pub(super) struct Taken {
    row: u16,
    start: u16,
    end: u16,
    label: bool,
}

impl Taken {
    fn mark(row: u16, col: u16) -> Self {
        Taken {
            row,
            start: col,
            end: col + 1,
            label: false,
        }
    }

    fn label(row: u16, start: u16, end: u16) -> Self {
        Taken {
            row,
            start,
            end,
            label: true,
        }
    }

    /// Whether a name at `start..end` on `row` would cover this, or run
    /// into it: two names keep a blank between them, while a name may
    /// touch a mark (the one it names sits right beside it).
    fn clashes(&self, row: u16, start: u16, end: u16) -> bool {
        let gap = u16::from(self.label);
        self.row == row && self.start < end + gap && start < self.end + gap
    }
}

/// Writes `label` beside one of the cells `anchors` (each with what it costs
/// to use it): after it or before it, on its row or the nearest one,
/// wherever it hides the fewest drawn cells (curve dots, marks; of its own
/// curve, `own`: the cells each curve drew and its index, they count less)
/// and no earlier label.
fn place_label(
    buf: &mut Buffer,
    g: &Geometry,
    anchors: &[((u16, u16), usize)],
    (label, style): (&str, Style),
    own: Option<(&[u64], u64)>,
    taken: &mut Vec<Taken>,
) {
    let w = label.chars().count() as u16;
    if w + 1 > g.area.width {
        return;
    }
    let drawn = |x: u16, y: u16| {
        let symbol = buf[(x, y)].symbol();
        symbol
            .chars()
            .next()
            .is_some_and(|c| ('\u{2801}'..='\u{28ff}').contains(&c) || "●×◆■┆".contains(c))
    };
    let mut best: Option<(usize, u16, u16, u16)> = None;
    for &((col, row), anchor_cost) in anchors {
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
                    let clash = taken.iter().any(|t| t.clashes(r, start, end));
                    if clash {
                        continue;
                    }
                    // A row away costs 1, two rows 4 and each further row
                    // 2 more (two rows away a name reads as another
                    // curve's, and as its value); a hidden cell of other
                    // curves 6 (three rows away), of its own 2, of its own
                    // and others 3, but those together no more than
                    // OWN_COST_MOST: where it must cover data, a name is
                    // best on its own curve, as an inline label (three flat
                    // traces in one row are named on it, not two rows
                    // above, where they would read as half their value).
                    let (others, own_cost) = (start..end)
                        .filter(|&x| drawn(x, r))
                        .map(|x| {
                            let cell = (r - g.area.y) as usize * g.area.width as usize
                                + (x - g.area.x) as usize;
                            // Bits of the curves that drew the cell, and the
                            // name's own (0 past the 64th curve: others').
                            let (drew, mine) = own.map_or((0, 0), |(owners, bit)| {
                                (owners.get(cell).copied().unwrap_or(0), bit)
                            });
                            match drew & mine {
                                0 => (6, 0),
                                _ if drew == mine => (0, 2),
                                _ => (0, 3),
                            }
                        })
                        .fold((0, 0), |(a, b), (x, y)| (a + x, b + y));
                    let hidden = others + own_cost.min(OWN_COST_MOST);
                    let rows_away = match offset {
                        0 => 0,
                        1 => 1,
                        far => 2 * far as usize,
                    };
                    let cost = anchor_cost + hidden + rows_away;
                    if best.is_none_or(|b| cost < b.0) {
                        best = Some((cost, r, start, end));
                    }
                }
            }
        }
    }
    if let Some((_, r, start, end)) = best {
        buf.set_string(start, r, label, style);
        taken.push(Taken::label(r, start, end));
    }
}

#[cfg(test)]
mod tests {
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    use super::super::{Axis, Curve, Pattern, Plot};
    use crate::ui::theme::Theme;

    /// Draws `shapes` over x in [0, 10] in a `w` x `h` plot and checks that
    /// each name sits within a row of a cell its own curve passes through.
    type Shape = (&'static str, fn(f64) -> f64);

    fn names_by_their_curves(shapes: &[Shape], y: [f64; 2], (w, h): (u16, u16)) {
        let mut plot = Plot::new("t", Axis::new([0.0, 10.0], "x"), Axis::new(y, ""));
        for (k, &(name, f)) in shapes.iter().enumerate() {
            let points = (0..=200)
                .map(|j| j as f64 / 20.0)
                .map(|x| (x, f(x)))
                .collect();
            plot.curves.push(
                Curve::new(points, Style::new(), Pattern::nth(k, &Theme::default())).named(name),
            );
        }
        let area = Rect::new(0, 0, w, h);
        let mut buf = Buffer::empty(area);
        let g = plot.render(area, &mut buf, &Theme::default()).unwrap();
        let text: Vec<String> = (0..h)
            .map(|r| (0..w).map(|x| buf[(x, r)].symbol()).collect())
            .collect();
        for curve in &plot.curves {
            let name = curve.label.as_deref().unwrap();
            let (r, start) = (0..h)
                .find_map(|r| {
                    let row = &text[r as usize];
                    row.find(name).map(|c| (r, row[..c].chars().count() as u16))
                })
                .unwrap_or_else(|| panic!("{name} not drawn"));
            let cols = start..start + name.len() as u16;
            let near = curve.points.iter().any(|&(x, y)| {
                let col = g.column(x).unwrap();
                col + 1 >= cols.start && col <= cols.end && g.row(y).abs_diff(r) <= 1
            });
            assert!(near, "{name} at row {r}:\n{}", text.join("\n"));
        }
    }

    /// Four curves ending in one cell, as the activation functions do at
    /// z = 4: each name goes by its own curve (by another of its points
    /// where the end is taken), not stacked rows away from the end where it
    /// would sit by another curve.
    #[test]
    fn names_of_curves_ending_together_stay_by_their_own_curve() {
        names_by_their_curves(
            &[
                ("flat", |_| 1.0),
                ("falls", |x| 1.0 + 3.0 * (1.0 - x / 10.0)),
                ("dips", |x| 1.0 - (x / 10.0 * std::f64::consts::PI).sin()),
                ("steps", |x| if x < 5.0 { 3.5 } else { 1.0 }),
            ],
            [0.0, 4.0],
            (60, 14),
        );
    }

    /// Only what lies inside the y range is drawn: y = x on [0, 10] under a
    /// range of [0, 5] stops at the top edge at x = 5 (it ran along the
    /// edge to x = 10, as if it levelled off at 5), and a curve wholly
    /// below the range draws nothing and has no name (a phase plane's
    /// nullcline below s = 0 lay along s = 0).
    #[test]
    fn a_curve_is_drawn_inside_the_y_range_only() {
        let mut plot = Plot::new("t", Axis::new([0.0, 10.0], "x"), Axis::new([0.0, 5.0], ""));
        let line = |f: fn(f64) -> f64| -> Vec<(f64, f64)> {
            (0..=100)
                .map(|j| j as f64 / 10.0)
                .map(|x| (x, f(x)))
                .collect()
        };
        plot.curves
            .push(Curve::new(line(|x| x), Style::new(), Pattern::Solid).named("rises"));
        plot.curves
            .push(Curve::new(line(|x| x - 20.0), Style::new(), Pattern::Solid).named("below"));
        let area = Rect::new(0, 0, 60, 14);
        let mut buf = Buffer::empty(area);
        let g = plot.render(area, &mut buf, &Theme::default()).unwrap();
        let drawn = |x: u16, y: u16| {
            buf[(x, y)]
                .symbol()
                .chars()
                .next()
                .is_some_and(|c| ('\u{2801}'..='\u{28ff}').contains(&c))
        };
        let past_five = g.column(5.2).unwrap();
        for y in g.area.y..g.area.bottom() {
            for x in past_five..g.area.right() {
                assert!(!drawn(x, y), "a dot at ({x}, {y}) past x = 5");
            }
        }
        // Up to x = 5 the line is there, to the top row.
        assert!((g.area.x..past_five).any(|x| drawn(x, g.area.y)));
        let text: String = (0..14)
            .flat_map(|r| (0..60).map(move |x| (x, r)))
            .map(|p| buf[p].symbol().to_string())
            .collect();
        assert!(text.contains("rises") && !text.contains("below"), "{text}");
    }

    /// A rate network's five activities (rate-softmax), three of them in
    /// the bottom row: those three are named on it, over their own traces,
    /// not two rows up, where they read as half the scale.
    #[test]
    fn flat_traces_sharing_a_row_are_named_on_it() {
        for (w, h) in [(60, 9), (80, 11)] {
            names_by_their_curves(
                &[
                    ("#0 b=-2", |_| 0.01166),
                    ("#1 b=-1", |_| 0.03168),
                    ("#2 b=0", |_| 0.08613),
                    ("#3 b=1", |_| 0.2341),
                    ("#4 b=2", |_| 0.6364),
                ],
                [0.0, 1.0],
                (w, h),
            );
        }
    }
}
