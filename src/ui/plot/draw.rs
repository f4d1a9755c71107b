//! Drawing a plot's parts into the buffer: the axes, the level lines, the
//! curves in Braille dots (inside the y range only) and the glyph marks;
//! the names go where `labels` places them.

use ratatui::buffer::Buffer;
use ratatui::style::{Modifier, Style};

use super::canvas::{Dots, Geometry};
use super::labels::{Name, Taken, blank_after_number, owner_bit, place_label};
use super::ticks::{tick_labels, ticks};
use super::{Parts, Pattern, Plot};
use crate::ui::theme::Theme;

/// A level line's cell (a threshold, a reset): dim dashes across its row.
pub(super) const LEVEL_DASH: &str = "╌";

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
                buf[(x, row)].set_symbol(LEVEL_DASH).set_style(theme.dim());
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
    /// "threshold"), and kept clear of the curves' names. Drawn after the
    /// marks and clear of them, a cell apart: a mark in a cursor's column
    /// at the top (HH's measured rate at the input now, at 60x16) read
    /// `measuredxnow` with the cursor's name against it, and a mark to its
    /// right would have replaced a letter. Where the top row is taken there,
    /// the name goes on the first row down where it is free, right of its
    /// line or else left.
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
            let right = col + 1;
            let left = col.checked_sub(w).filter(|&s| s >= g.area.x);
            let fits = |start: u16| start + w <= g.area.right();
            let first_choice = if fits(right) { Some(right) } else { left };
            let Some(first_choice) = first_choice else {
                continue;
            };
            let free = |start: u16, row: u16| {
                fits(start) && !taken.iter().any(|t| t.touches(row, start, start + w))
            };
            let (start, row) = (g.area.y..g.area.bottom())
                .flat_map(|row| {
                    [Some(right), left]
                        .into_iter()
                        .flatten()
                        .map(move |s| (s, row))
                })
                .find(|&(s, row)| free(s, row))
                .unwrap_or((first_choice, g.area.y));
            buf.set_string(start, row, &c.label, theme.bold());
            blank_after_number(buf, g, taken, &c.label, (row, start + w));
            taken.push(Taken::label(row, start, start + w));
        }
    }

    /// Draws the curves; returns which curves drew each cell of the area,
    /// row by row (bit k for curve k, the first 64).
    pub(super) fn draw_curves(&self, buf: &mut Buffer, g: &Geometry) -> Vec<u64> {
        let (w, h) = (g.area.width as usize, g.area.height as usize);
        let mut dots = Dots::new(w, h);
        let shown = g.drawn_y();
        for (k, curve) in self.curves.iter().enumerate() {
            let owner = owner_bit(k);
            // In ASCII the cell's character is the pattern (`curves_in_ascii`):
            // a dashed or dotted curve left cells out, and read as broken
            // (rate-onehot's winner, dashed at y = 1, had a blank cell in
            // every few at 80x24 with NO_COLOR and LANG=C).
            let pattern = if g.whole_rows {
                Pattern::Solid
            } else {
                curve.pattern
            };
            let mut prev: Option<(f64, f64)> = None;
            // Whether the curve last rose (or fell): where it turns, the
            // point before is a peak or a trough.
            let mut rising: Option<bool> = None;
            let mut count = 0usize;
            let dot = |(x, y): (f64, f64)| {
                let x = x.clamp(g.x[0], g.x[1]);
                (g.dot_column(x).unwrap_or(0) as i64, g.dot_row(y) as i64)
            };
            for &(x, y) in &curve.points {
                if g.dot_column(x).is_none() || !y.is_finite() {
                    prev = None;
                    rising = None;
                    continue;
                }
                // A dash's gap on a peak drew it lower, so without colour
                // the spikes of a regular train peaked at different
                // heights (`patterns_keep_every_peak_and_trough`). A peak
                // or a trough keeps its dot whatever the pattern.
                // (A solid line draws every dot already.)
                if let Some(p) = prev.filter(|p| p.1 != y && pattern != Pattern::Solid) {
                    let up = y > p.1;
                    if rising == Some(!up) && p.1 >= shown[0] && p.1 <= shown[1] {
                        let (dx, dy) = dot(p);
                        dots.set(dx as usize, dy as usize, curve.style, owner);
                    }
                    rising = Some(up);
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
                if let Some((a, b)) = inside_y(a, b, shown) {
                    dots.line(dot(a), dot(b), (curve.style, owner), pattern, &mut count);
                }
                prev = Some((x, y));
            }
        }
        // A level line is drawn as dashes in its row, and a curve's cells
        // replace them: a trace in that row hid it wholly (lif-below's v at
        // 0.9 lay in the threshold's row and read as at the threshold). In
        // the cells a curve took, the level keeps a dot at its own height,
        // so the two stay apart within the cell.
        let [y0, y1] = g.y;
        for level in self.levels.iter().filter(|l| l.y >= y0 && l.y <= y1) {
            let dy = g.dot_row(level.y);
            let cy = dy / 4;
            for cx in 0..w {
                if dots.masks[cy * w + cx] != 0 {
                    dots.set(2 * cx, dy, dots.styles[cy * w + cx], 0);
                }
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

    /// In ASCII, each cell of a curve still in view (`owners`: which curves
    /// took each cell) as its top curve's pattern (`Pattern::ascii`): one
    /// character cannot show a pattern's dots, so without colour the curves
    /// read apart by their characters. After the names are placed, which
    /// find the curves' cells by their Braille.
    pub(super) fn curves_in_ascii(&self, buf: &mut Buffer, g: &Geometry, owners: &[u64]) {
        let w = g.area.width as usize;
        for (k, &owner) in owners.iter().enumerate() {
            // The curve drawn last in the cell is the one on top (one past
            // the 64th has no bit, and reads solid).
            let Some(top) = (owner != 0).then(|| 63 - owner.leading_zeros() as usize) else {
                continue;
            };
            let cell = &mut buf[(g.area.x + (k % w) as u16, g.area.y + (k / w) as u16)];
            let braille = cell
                .symbol()
                .chars()
                .next()
                .is_some_and(|c| ('\u{2801}'..='\u{28ff}').contains(&c));
            if braille {
                let pattern = self.curves.get(top).map_or(Pattern::Solid, |c| c.pattern);
                cell.set_char(pattern.ascii());
            }
        }
    }

    /// The marks' glyphs; returns where each group's last one still seen
    /// is (where its name goes). Every mark first, then their names: a name
    /// placed before a later group's marks were drawn could be covered by
    /// them, or sit beside another group's mark rather than its own; and a
    /// group's last mark under a later group's is not its own to name (the
    /// rate view's newest measured × lies under `G now`'s ●, and
    /// `measured` beside the ● read as its name).
    pub(super) fn draw_marks(
        &self,
        buf: &mut Buffer,
        theme: &Theme,
        g: &Geometry,
        taken: &mut Vec<Taken>,
    ) -> Vec<Option<(u16, u16)>> {
        let mut drawn: Vec<Vec<(u16, u16)>> = Vec::with_capacity(self.marks.len());
        let shown = g.drawn_y();
        for m in self.marks.iter().chain(&self.legend_marks) {
            let mut cells = Vec::new();
            for &(x, y) in &m.points {
                let Some(col) = g.column(x) else { continue };
                if !(y >= shown[0] && y <= shown[1]) {
                    continue;
                }
                let row = g.row(y);
                buf[(col, row)]
                    .set_symbol(m.glyph.symbol(theme.ascii))
                    .set_style(m.style);
                taken.push(Taken::mark(row, col));
                cells.push((col, row));
            }
            drawn.push(cells);
        }
        (0..drawn.len())
            .map(|k| {
                let covered = |cell: &(u16, u16)| drawn[k + 1..].iter().any(|c| c.contains(cell));
                drawn[k].iter().rev().find(|c| !covered(c)).copied()
            })
            .collect()
    }

    /// The marks' names, beside each group's last mark (`last`); the legend
    /// marks are named in the legend.
    pub(super) fn draw_mark_names(
        &self,
        buf: &mut Buffer,
        g: &Geometry,
        owners: &[u64],
        last: Vec<Option<(u16, u16)>>,
        taken: &mut Vec<Taken>,
    ) {
        // A mark's name covers curves as a curve's name covers its own (a
        // mark sits on a curve, as `now` on the trajectory it ends): where
        // its row is crowded, the name goes beside it over the dots, not
        // rows off (the network plane's `now` stood six rows above its mark
        // in a dense trajectory). Other marks stay uncovered. A name
        // touches its mark, except where the mark is a letter (ASCII's o
        // and x): `G now` touching its `o` read `G nowo`.
        let any_curve = Some((owners, u64::MAX));
        for (m, at) in self.marks.iter().zip(last) {
            if let (Some(label), Some(at)) = (&m.label, at) {
                let style = m.style.add_modifier(Modifier::BOLD);
                let is_letter = buf[at].symbol().chars().all(|c| c.is_ascii_alphabetic());
                let gap = u16::from(is_letter);
                let name = Name {
                    text: label,
                    style,
                    gap,
                    off_marks: false,
                    on_its_row: false,
                    of_curve: false,
                    key: None,
                    entry_key: None,
                };
                place_label(buf, g, &[(at, 0)], name, any_curve, taken);
            }
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

#[cfg(test)]
mod tests;
