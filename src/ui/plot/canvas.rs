//! Where data go on the screen (`Geometry`, shared with the raster so that
//! a spike sits under its trace column for column) and the Braille dot grid
//! curves are drawn into.

use ratatui::layout::Rect;
use ratatui::style::Style;

use super::Pattern;

/// Where a plot's data go on the screen: the cells of the plotting area and
/// the data ranges they show.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Geometry {
    pub area: Rect,
    pub x: [f64; 2],
    pub y: [f64; 2],
    /// Drawn in ASCII, one character a cell: a value goes to the row whose
    /// centre is nearest it (`dot_row`).
    pub whole_rows: bool,
}

impl Geometry {
    /// The Braille dot column of x (two per cell), if inside the range.
    #[inline]
    pub fn dot_column(&self, x: f64) -> Option<usize> {
        let dots = 2 * self.area.width as usize;
        let [x0, x1] = self.x;
        if !(x >= x0 && x <= x1) || x1 <= x0 || dots == 0 {
            return None;
        }
        Some((((x - x0) / (x1 - x0)) * (dots - 1) as f64).round() as usize)
    }

    /// The Braille dot row of y (four per cell), clamped to the area. In
    /// ASCII (`whole_rows`) a cell cannot show where in it a dot lies, so y
    /// goes to the top dot of the row whose centre is nearest: the rows
    /// stand for values evenly spaced from the top of the range to its
    /// bottom, and a value between two rows' goes to the nearer. By its dot,
    /// at 3 rows from 10 down to -10 (12 dots), 4.4 lay in the top row, the
    /// row of the tick at 10, being within its four dots.
    #[inline]
    pub(super) fn dot_row(&self, y: f64) -> usize {
        let rows = self.area.height as usize;
        let [y0, y1] = self.y;
        let f = ((y1 - y) / (y1 - y0)).clamp(0.0, 1.0);
        if self.whole_rows {
            4 * (f * rows.saturating_sub(1) as f64).round() as usize
        } else {
            (f * (4 * rows).saturating_sub(1) as f64).round() as usize
        }
    }

    /// The values a curve or a mark is drawn for: the range, and in ASCII
    /// half a row past each end, which lies nearer the end's row than any
    /// other (arctan's -1.33 under σ's range ending at -1.3 in tenths at
    /// 200x50 is that row's, and was left out, its curve starting at
    /// z = -3.6).
    pub fn drawn_y(&self) -> [f64; 2] {
        let [y0, y1] = self.y;
        let rows = self.area.height;
        if !self.whole_rows || rows < 2 {
            return self.y;
        }
        let half_row = (y1 - y0) / f64::from(rows - 1) / 2.0;
        [y0 - half_row, y1 + half_row]
    }

    /// The cell column of x inside the area.
    #[inline]
    pub fn column(&self, x: f64) -> Option<u16> {
        self.dot_column(x).map(|d| self.area.x + (d / 2) as u16)
    }

    /// The cell row of y inside the area (clamped).
    #[inline]
    pub fn row(&self, y: f64) -> u16 {
        self.area.y + (self.dot_row(y) / 4) as u16
    }

    /// Where the cell at `(x, y)` of the area is in its arrays laid out row
    /// by row (the curves' owners).
    #[inline]
    pub(super) fn cell_index(&self, (x, y): (u16, u16)) -> usize {
        (y - self.area.y) as usize * self.area.width as usize + (x - self.area.x) as usize
    }
}

/// Braille dots of one plot, merged per cell, with the style of the last
/// curve that touched each cell and which curves did (`owners`: bit k for
/// curve k, the first 64).
pub(super) struct Dots {
    pub(super) width: usize,
    pub(super) height: usize,
    pub(super) masks: Vec<u8>,
    pub(super) styles: Vec<Style>,
    pub(super) owners: Vec<u64>,
}

impl Dots {
    pub(super) fn new(width: usize, height: usize) -> Self {
        Self {
            width,
            height,
            masks: vec![0; width * height],
            styles: vec![Style::new(); width * height],
            owners: vec![0; width * height],
        }
    }

    #[inline]
    pub(super) fn set(&mut self, dx: usize, dy: usize, style: Style, owner: u64) {
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
        self.owners[k] |= owner;
    }

    /// A line of dots from (x0, y0) to (x1, y1) (Bresenham), continuing the
    /// pattern's count.
    #[inline]
    pub(super) fn line(
        &mut self,
        a: (i64, i64),
        b: (i64, i64),
        (style, owner): (Style, u64),
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
                self.set(x as usize, y as usize, style, owner);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_map_the_range_onto_dots() {
        let g = Geometry {
            area: Rect::new(10, 2, 50, 10),
            x: [0.0, 100.0],
            y: [0.0, 1.0],
            whole_rows: false,
        };
        assert_eq!(g.dot_column(0.0), Some(0));
        assert_eq!(g.dot_column(100.0), Some(99));
        assert_eq!(g.column(100.0), Some(59));
        assert_eq!(g.column(-1.0), None);
        assert_eq!(g.row(1.0), 2);
        assert_eq!(g.row(0.0), 11);
    }

    /// In ASCII each row stands for one value, evenly spaced from the top
    /// of the range to its bottom, and a value lies in the row whose value
    /// is nearest: at 3 rows from 10 down to -10 the rows are 10, 0 and
    /// -10, and the ionic current I_K = 4.4 at rest goes to the row of 0
    /// (by its Braille dot it lay in the row of 10).
    #[test]
    fn in_ascii_a_value_lies_in_the_row_nearest_it() {
        let braille = Geometry {
            area: Rect::new(0, 5, 20, 3),
            x: [0.0, 1.0],
            y: [-10.0, 10.0],
            whole_rows: false,
        };
        let ascii = Geometry {
            whole_rows: true,
            ..braille
        };
        assert_eq!(braille.row(4.4), 5);
        assert_eq!(ascii.row(4.4), 6);
        assert_eq!(
            [10.0, 5.1, 4.9, 0.0, -4.9, -5.1, -10.0].map(|y| ascii.row(y)),
            [5, 5, 6, 6, 6, 7, 7]
        );
    }

    proptest::proptest! {
        /// For any rows and value in range: the value of the row it goes
        /// to is within half a row's spacing of it.
        #[test]
        fn in_ascii_no_row_is_nearer(rows in 2u16..60, f in 0.0..=1.0f64) {
            let g = Geometry {
                area: Rect::new(3, 4, 10, rows),
                x: [0.0, 1.0],
                y: [-70.0, 50.0],
                whole_rows: true,
            };
            let y = 50.0 - 120.0 * f;
            let spacing = 120.0 / f64::from(rows - 1);
            let shown = 50.0 - spacing * f64::from(g.row(y) - 4);
            proptest::prop_assert!((shown - y).abs() <= 0.5 * spacing * (1.0 + 1e-12));
        }
    }
}
