//! The cells already used on a plot's rows, by marks and names, and the
//! names' ways past one another: a list of curves ending together.

/// A cell span already used on a row: a mark's glyph, or a name.
#[derive(Debug, Clone, Copy)]
pub(in super::super) struct Taken {
    pub(super) row: u16,
    pub(super) start: u16,
    pub(super) end: u16,
    label: bool,
    /// A curve's name: the name of another curve ending in the same cell
    /// may step past it, making a list.
    of_curve: bool,
    /// A curve's name written with its key, as a legend's entry (`(+) I_K`).
    keyed: bool,
}

impl Taken {
    pub(in super::super) fn mark(row: u16, col: u16) -> Self {
        Taken {
            row,
            start: col,
            end: col + 1,
            label: false,
            of_curve: false,
            keyed: false,
        }
    }

    /// A cursor's name, or a mark's.
    pub(in super::super) fn label(row: u16, start: u16, end: u16) -> Self {
        Taken {
            row,
            start,
            end,
            label: true,
            of_curve: false,
            keyed: false,
        }
    }

    /// A curve's name, `keyed` where it is written with its key.
    pub(in super::super) fn curve_name(row: u16, start: u16, end: u16, keyed: bool) -> Self {
        Taken {
            of_curve: true,
            keyed,
            ..Self::label(row, start, end)
        }
    }

    /// Whether `start..end` on `row` covers this or touches it (a cursor's
    /// name keeps a cell from marks as from names).
    pub(in super::super) fn touches(&self, row: u16, start: u16, end: u16) -> bool {
        self.row == row && self.start < end + 1 && start < self.end + 1
    }

    /// Whether a name at `start..end` on `row` would cover this, or run
    /// into it: two names keep a blank between them, and a curve's name
    /// keeps one from a mark (`off_marks`; `●threshold`, in ASCII
    /// `othreshold`, read as one word), while a mark's name may touch a
    /// mark (the one it names sits right beside it).
    pub(super) fn clashes(&self, row: u16, start: u16, end: u16, off_marks: bool) -> bool {
        let gap = u16::from(self.label || off_marks);
        self.row == row && self.start < end + gap && start < self.end + gap
    }

    /// Whether this holds the cell at `(col, row)`.
    pub(super) fn holds(&self, col: u16, row: u16) -> bool {
        self.row == row && self.start <= col && col < self.end
    }

    /// Whether this is a mark at `(col, row)`.
    pub(super) fn is_mark_at(&self, col: u16, row: u16) -> bool {
        !self.label && self.row == row && self.start == col
    }
}

/// The cells between a name at `cols` on `row` and the names and marks a
/// cell from it there (`Taken::clashes` keeps that one cell between two
/// names, and between a curve's name and a mark), those no mark or name
/// holds (a mark's name touching its mark has the mark a cell from the
/// next one).
pub(super) fn gaps_to_names(taken: &[Taken], row: u16, cols: std::ops::Range<u16>) -> Vec<u16> {
    let held = |x: u16| taken.iter().any(|t| t.holds(x, row));
    taken
        .iter()
        .filter(|t| t.row == row)
        .filter_map(|t| {
            if t.end + 1 == cols.start {
                Some(t.end)
            } else if cols.end + 1 == t.start {
                Some(cols.end)
            } else {
                None
            }
        })
        .filter(|&x| !held(x) && !cols.contains(&x))
        .collect()
}

/// What going past the names beside an anchor costs: a row away's cost,
/// and on a tie the row wins (it comes first).
pub(super) const PAST_NAMES_COST: usize = 1;

#[derive(Clone, Copy)]
pub(super) enum Side {
    After,
    Before,
}

/// Where a name `w` wide starting at `start` on `row` goes once it steps
/// past the curves' names in its way on `side` (a blank between each), a
/// list of curves ending together; `None` where no name is in its way, or
/// a mark is (a mark's name sits by it), or a cursor's or a mark's name
/// (the list would run on past what is not one of its curves: HH's
/// `n_inf`, ending beside `m_inf` at the top right of the gates view,
/// stepped past it and the cursor's `|V -41.24` to stand 20 columns from
/// its curve, beside the cursor), or the row ends.
pub(super) fn past_names(
    taken: &[Taken],
    (row, start, w): (u16, u16, u16),
    side: Side,
    off_marks: bool,
) -> Option<u16> {
    let mut at = start;
    let mut moved = false;
    // Each round steps past one name or ends: one round more than there
    // are names, for the test after the last step.
    for _ in 0..=taken.len() {
        let Some(t) = taken.iter().find(|t| t.clashes(row, at, at + w, off_marks)) else {
            return moved.then_some(at);
        };
        if !t.of_curve {
            return None;
        }
        at = match side {
            Side::After => t.end + 1,
            Side::Before => t.start.checked_sub(w + 1)?,
        };
        moved = true;
    }
    None
}

/// Whether a keyed curve's name ends a blank before `col` on `row`: a name
/// starting there would read as part of that legend entry.
pub(super) fn follows_key(taken: &[Taken], row: u16, col: u16) -> bool {
    taken
        .iter()
        .any(|t| t.keyed && t.row == row && t.end + 1 == col)
}
