//! Where a plot is on the screen and what its y axis says: its plotting
//! area, found by its axes' glyphs, its ticks, the row a value lies in by
//! them, and the dots a cell shows.

use spikescope::ui::plot::Pattern;

/// A plot found on the screen: its plotting area and its y ticks.
#[derive(Clone)]
pub(super) struct Area {
    pub(super) top: usize,
    pub(super) rows: usize,
    pub(super) left: usize,
    pub(super) width: usize,
    /// (row in the area, value), top first.
    pub(super) ticks: Vec<(usize, f64)>,
}

impl Area {
    /// The character in the area's cell at (row, col).
    pub(super) fn cell(&self, grid: &[Vec<char>], row: usize, col: usize) -> char {
        grid.get(self.top + row)
            .and_then(|l| l.get(self.left + col))
            .copied()
            .unwrap_or(' ')
    }

    /// Whether the area has no dot of a curve at dot column d between dot
    /// rows a and b (in rows, in ASCII, where a cell's character stands
    /// for its four dot rows) because a name, a mark or a cursor covers
    /// that stretch, or the blank that keeps a name apart does, up to two
    /// cells beside it. A level line lies under the curves and covers
    /// nothing.
    pub(super) fn covered(
        &self,
        grid: &[Vec<char>],
        ascii: bool,
        d: usize,
        (a, b): (f64, f64),
    ) -> bool {
        let unit = unit(ascii);
        let rows = (a / unit).floor().max(0.0) as usize
            ..=((b / unit).ceil().max(0.0) as usize).min(self.rows - 1);
        let beside = (d / 2).saturating_sub(2)..=(d / 2 + 2).min(self.width - 1);
        let level = if ascii { '-' } else { '╌' };
        rows.into_iter().any(|r| {
            beside.clone().any(|c| {
                let ch = self.cell(grid, r, c);
                ch != ' '
                    && ch != level
                    && dots_of(ch, ascii).is_empty()
                    && !('\u{2800}'..='\u{28ff}').contains(&ch)
            })
        })
    }
}

/// Dot rows to a cell: four in Braille; one in ASCII, where a cell's
/// character cannot say where in it a value lies.
pub(super) fn unit(ascii: bool) -> f64 {
    if ascii { 1.0 } else { 4.0 }
}

/// The plots on a screen, top to bottom and left to right: an axis corner
/// (`└`, in ASCII `+`) with only blanks between it and a pane's left
/// border, the y axis above it, the x axis to the pane's right border.
pub(super) fn areas(grid: &[Vec<char>], ascii: bool) -> Vec<Area> {
    let (corner, tick, axis, border) = if ascii {
        ('+', '+', '|', '|')
    } else {
        ('└', '┤', '│', '│')
    };
    let mut out = Vec::new();
    for (r, line) in grid.iter().enumerate() {
        for (c, &ch) in line.iter().enumerate() {
            if ch != corner || r == 0 {
                continue;
            }
            let Some(b) = line[..c].iter().rposition(|&x| x != ' ') else {
                continue;
            };
            if line[b] != border || !matches!(line.get(c + 1), Some('┴' | '─' | '+' | '-' | ' '))
            {
                continue;
            }
            let Some(right) = line[c + 1..].iter().position(|&x| x == border) else {
                continue;
            };
            // In ASCII a dashed curve's `+` in a plot's first column, after
            // the y axis's `|`, looks like a corner: there is no y axis
            // going on below a corner, and a y axis has numbered ticks
            // (the other's `+` above it have none).
            let below = grid.get(r + 1).and_then(|l| l.get(c)).copied();
            if matches!(below, Some(x) if x == tick || x == axis) {
                continue;
            }
            let mut top = r;
            while top > 0 && matches!(grid[top - 1].get(c), Some(&x) if x == tick || x == axis) {
                top -= 1;
            }
            if top == r {
                continue;
            }
            let ticks: Vec<(usize, f64)> = (top..r)
                .filter(|&row| grid[row][c] == tick)
                .filter_map(|row| {
                    let label: String = grid[row][..c].iter().collect();
                    let label = label.rsplit(border).next()?.trim();
                    label.parse::<f64>().ok().map(|v| (row - top, v))
                })
                .collect();
            if ticks.is_empty() {
                continue;
            }
            out.push(Area {
                top,
                rows: r - top,
                left: c + 1,
                width: right,
                ticks,
            });
        }
    }
    // In reading order: plots side by side (their rows overlap) left to
    // right, though one starts a row lower (the clamp's peak I_Na, under a
    // readout of two lines, beside I_K's of one).
    let band = |a: &Area| {
        out.iter()
            .filter(|b| b.top < a.top + a.rows && a.top < b.top + b.rows)
            .map(|b| b.top)
            .min()
            .unwrap_or(a.top)
    };
    let mut keyed: Vec<((usize, usize), Area)> =
        out.iter().map(|a| ((band(a), a.left), a.clone())).collect();
    keyed.sort_by_key(|k| k.0);
    keyed.into_iter().map(|k| k.1).collect()
}

/// Where value y lies in the area's rows by its ticks: L(y) in dots
/// (Braille, `unit` 4 to a row) or rows (ASCII, 1), as [low, high].
pub(super) fn place(area: &Area, unit: f64, y: f64) -> (f64, f64) {
    let band = |row: usize| (unit * row as f64 - 0.5, unit * row as f64 + unit - 0.5);
    let last = unit * area.rows as f64 - 1.0;
    let ticks = &area.ticks;
    let Some(&(top_row, top)) = ticks.first() else {
        return (-0.5, last + 0.5);
    };
    let &(bottom_row, bottom) = ticks.last().unwrap();
    if y >= top {
        return (-0.5, band(top_row).1);
    }
    if y <= bottom {
        return (band(bottom_row).0, last + 0.5);
    }
    let k = ticks.iter().position(|&(_, v)| v < y).unwrap();
    let ((ra, va), (rb, vb)) = (ticks[k - 1], ticks[k]);
    let f = (va - y) / (va - vb);
    let (a, b) = (band(ra), band(rb));
    (a.0 + f * (b.0 - a.0), a.1 + f * (b.1 - a.1))
}

/// The dots drawn in one cell: (dot column 0-1, dot row 0-3) of a Braille
/// character, or the whole cell (0, 0) for a curve's ASCII character (its
/// pattern's: `Pattern::ascii`).
pub(super) fn dots_of(ch: char, ascii: bool) -> Vec<(usize, usize)> {
    if ascii {
        let curve = Pattern::ALL.iter().any(|p| p.ascii() == ch);
        return if curve { vec![(0, 0)] } else { Vec::new() };
    }
    if !('\u{2801}'..='\u{28ff}').contains(&ch) {
        return Vec::new();
    }
    let bits = ch as u32 - 0x2800;
    // Dots 1-3 and 7 down the left column, 4-6 and 8 down the right.
    const PLACES: [(usize, usize); 8] = [
        (0, 0),
        (0, 1),
        (0, 2),
        (1, 0),
        (1, 1),
        (1, 2),
        (0, 3),
        (1, 3),
    ];
    (0..8)
        .filter(|b| bits & (1 << b) != 0)
        .map(|b| PLACES[b])
        .collect()
}

/// Whether the cell at (row, col) of an area is two cells or less from a
/// letter or a digit on its row, or a curve's key before its name (in ASCII
/// without colour, `(+) -30 mV`: the curve's character in brackets).
pub(super) fn near_a_name(cell: &impl Fn(usize, usize) -> char, row: usize, col: usize) -> bool {
    (col.saturating_sub(2)..=col + 2).any(|c| c != col && cell(row, c).is_alphanumeric())
        || (col > 0 && cell(row, col - 1) == '(' && cell(row, col + 1) == ')')
}

/// The x ticks of an area with a row of labels under its axis: (cell
/// column in the area, value) for each tick (`┴`, in ASCII `+`) with a
/// number over it in that row, left to right. A short plot numbers its
/// ticks in the axis line itself, over their glyphs: none are read there.
pub(super) fn x_ticks(grid: &[Vec<char>], area: &Area, ascii: bool) -> Vec<(usize, f64)> {
    let tick = if ascii { '+' } else { '┴' };
    let (Some(axis), Some(labels)) = (
        grid.get(area.top + area.rows),
        grid.get(area.top + area.rows + 1),
    ) else {
        return Vec::new();
    };
    let number = |ch: char| ch.is_ascii_digit() || matches!(ch, '.' | '-' | 'e');
    (0..area.width)
        .filter(|&c| axis.get(area.left + c) == Some(&tick))
        .filter_map(|c| {
            let at = area.left + c;
            if !labels.get(at).is_some_and(|&ch| number(ch)) {
                return None;
            }
            let start = labels[..at]
                .iter()
                .rposition(|&ch| !number(ch))
                .map_or(0, |p| p + 1);
            let end = labels[at..]
                .iter()
                .position(|&ch| !number(ch))
                .map_or(labels.len(), |p| at + p);
            let text: String = labels[start..end].iter().collect();
            text.parse::<f64>().ok().map(|v| (c, v))
        })
        .collect()
}

/// Whether a screen of `grid` is large enough (120x30 and over) that every
/// plot of its view is drawn with its axes: there, a plot the reading does
/// not find is a failure of its own, not a plot left out (a check that
/// found none would pass every screen).
pub(super) fn holds_every_plot(grid: &[Vec<char>]) -> bool {
    grid.len() >= 30 && grid.iter().map(Vec::len).max().unwrap_or(0) >= 120
}
