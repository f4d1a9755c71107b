//! What a plot's cells show where a name may go: a curve's dots or a
//! mark, and whose curve, by the cells' owners (the bits of the curves that
//! drew each) and the buffer.

use ratatui::buffer::Buffer;

use super::super::canvas::Geometry;
use super::Taken;
use super::taken::gaps_to_names;

/// Whether another curve than the name's own drew a cell of `cols`, or
/// one beside them, on the row past `r` (seen from the anchor's row
/// `row`): by the owners where they are known, else by what is drawn
/// there. The cells beside count: a sparse curve's dots (a spike train's
/// filtered trace) stand around a short name, not above it.
pub(super) fn another_curve_past(
    buf: &Buffer,
    g: &Geometry,
    own: Option<(&[u64], u64)>,
    (row, r): (u16, u16),
    cols: std::ops::Range<u16>,
) -> bool {
    let Some(past) = (if r < row {
        r.checked_sub(1)
    } else {
        r.checked_add(1)
    })
    .filter(|&p| p >= g.area.y && p < g.area.bottom()) else {
        return false;
    };
    let cols =
        cols.start.saturating_sub(1).max(g.area.x)..cols.end.saturating_add(1).min(g.area.right());
    cols.into_iter().any(|x| {
        let cell = g.cell_index((x, past));
        match own {
            Some((owners, mine)) => owners.get(cell).copied().unwrap_or(0) & !mine != 0,
            None => drawn_cell(buf, x, past),
        }
    })
}

/// Whether the cell just before `cols` or just after them on row `r`
/// shows another curve than the name's own (`shows_another`).
pub(super) fn another_curve_beside(
    g: &Geometry,
    own: Option<(&[u64], u64)>,
    r: u16,
    cols: std::ops::Range<u16>,
) -> bool {
    let before = cols.start.checked_sub(1).filter(|&x| x >= g.area.x);
    let after = Some(cols.end).filter(|&x| x < g.area.right());
    [before, after]
        .into_iter()
        .flatten()
        .any(|x| shows_another(g, own, (x, r)))
}

/// Whether the cell at `(x, y)` shows another curve than the name's own
/// (`own`: the cells' owners and the name's bits): one drawn there on top
/// of it, or alone, whose character (in ASCII) or colour the cell takes.
/// Never where the owners are not known (nor a curve past the 64th, which
/// has no bit), nor for a name of every curve.
pub(super) fn shows_another(g: &Geometry, own: Option<(&[u64], u64)>, (x, y): (u16, u16)) -> bool {
    let Some((owners, mine)) = own.filter(|&(_, mine)| mine != 0) else {
        return false;
    };
    let drew = owners.get(g.cell_index((x, y))).copied().unwrap_or(0);
    drew & !mine != 0 && on_top(drew) & mine == 0
}

/// The bit of the curve a cell shows, of those that drew it (`drew`): the
/// one drawn last, its highest bit.
pub(super) fn on_top(drew: u64) -> u64 {
    drew & (1u64 << 63).checked_shr(drew.leading_zeros()).unwrap_or(0)
}

/// Whether a curve's dot or a mark is drawn at `(x, y)`.
pub(super) fn drawn_cell(buf: &Buffer, x: u16, y: u16) -> bool {
    curve_cell(buf, x, y) || buf[(x, y)].symbol().chars().any(|c| "●×◆■┆".contains(c))
}

/// Whether a curve's dots are drawn at `(x, y)`.
pub(super) fn curve_cell(buf: &Buffer, x: u16, y: u16) -> bool {
    buf[(x, y)]
        .symbol()
        .chars()
        .next()
        .is_some_and(|c| ('\u{2801}'..='\u{28ff}').contains(&c))
}

/// Whether a bare name at `cols` on row `r` reads as another curve's
/// inline name: a cell touching it shows another curve's dots (not under a
/// name already placed, `taken`, nor among the cells it keeps blank,
/// `blank`) and none shows its own. `+++h (+) m`, h's name after m's run
/// of `+`, named the `+` curve twice; so did `*I_L (*) I_Na` the `*` curve.
pub(super) fn read_as_anothers(
    (buf, g): (&Buffer, &Geometry),
    own: Option<(&[u64], u64)>,
    (taken, blank): (&[Taken], &[u16]),
    r: u16,
    cols: std::ops::Range<u16>,
) -> bool {
    let Some((owners, mine)) = own.filter(|&(_, mine)| mine != 0) else {
        return false;
    };
    let before = cols.start.checked_sub(1).filter(|&x| x >= g.area.x);
    let after = Some(cols.end).filter(|&x| x < g.area.right());
    // The curve a touching cell shows: the one drawn there last; none in a
    // cell left blank between the name and another (`gaps_to_names`).
    let gaps = gaps_to_names(taken, r, cols.clone());
    let shown = |x: u16| {
        let dots = curve_cell(buf, x, r)
            && !taken.iter().any(|t| t.holds(x, r))
            && !gaps.contains(&x)
            && !blank.contains(&x);
        dots.then(|| on_top(owners.get(g.cell_index((x, r))).copied().unwrap_or(0)))
    };
    let touching: Vec<u64> = [before, after]
        .into_iter()
        .flatten()
        .filter_map(shown)
        .collect();
    touching.iter().any(|&c| c != 0 && c & mine == 0) && touching.iter().all(|&c| c & mine == 0)
}
