//! The names on a plot: each curve's by its end (or at its peak, or by its
//! last point before a given x), or where the end is crowded by one of its
//! points at a few fixed columns, each mark's beside it, on the row where it
//! hides the fewest drawn cells (another curve's costing most, its own
//! least) and no earlier name.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};

use super::canvas::Geometry;
use super::draw::LEVEL_DASH;
use super::{LabelAt, Plot};

mod cells;
mod taken;
use cells::{
    another_curve_beside, another_curve_past, curve_cell, drawn_cell, on_top, read_as_anothers,
    shows_another,
};
pub(super) use taken::Taken;
use taken::{PAST_NAMES_COST, Side, follows_key, gaps_to_names, past_names};

impl Plot<'_> {
    /// The curves' names; `owners` says which curve drew each cell (a name
    /// may cover its own curve, as inline labels do, not another's). With
    /// `keyed` (ASCII without colour, where only a curve's character tells
    /// it apart), a name that may read as another curve's carries its
    /// curve's character (`Name::key`).
    pub(super) fn draw_labels(
        &self,
        buf: &mut Buffer,
        g: &Geometry,
        owners: &[u64],
        keyed: bool,
        taken: &mut Vec<Taken>,
    ) {
        // The live curves' names first, then those of the curves drawn
        // under them (a frozen reference, drawn first, took the places
        // by the live ones' ends: `I_Na` went to the row of +800).
        let (over, under): (Vec<_>, Vec<_>) =
            self.curves.iter().enumerate().partition(|(_, c)| !c.under);
        for (k, curve) in over.into_iter().chain(under) {
            // Its own cells are those of every part of its trace (a free
            // sweep's older part, a triggered scope's older sweeps): over
            // them a name covers its own trace, not another's.
            let kin = self
                .curves
                .iter()
                .enumerate()
                .filter(|(j, c)| *j == k || (curve.trace.is_some() && c.trace == curve.trace))
                .fold(0, |bits, (j, _)| bits | owner_bit(j));
            let own = Some((owners, kin));
            let Some(label) = &curve.label else { continue };
            // Points drawn: finite, and inside both ranges.
            let [lo, hi] = g.drawn_y();
            let visible = |p: &&(f64, f64)| p.1 >= lo && p.1 <= hi && g.dot_column(p.0).is_some();
            let cell = |&(x, y): &(f64, f64)| (g.column(x).unwrap_or(g.area.x), g.row(y));
            let style = curve.style.add_modifier(Modifier::BOLD);
            // A key tells a curve from others: not a plot's only one (G's),
            // nor one whose character another shares (a rate network's
            // seventh trace's `*`). Curves drawn under the others need
            // theirs too: the activation view's other functions, three
            // ending at 1 by z = 4 under relu's dots, where `logistic`
            // stood before threshold's `=`; a frozen reference under the
            // live trace (`(:) ref V`, its dots where they show). A curve
            // wholly under others keeps its key, which says it is not the
            // character beside its name.
            let others = || {
                let all = self.curves.iter().enumerate();
                all.filter(move |(j, _)| kin & owner_bit(*j) == 0)
            };
            // Another curve's character on the screen: a phase plane's
            // nullcline out of range left its trajectory alone, keyed.
            let told_apart = || {
                owners.iter().any(|&drew| on_top(drew) & !kin != 0)
                    && others().all(|(_, c)| c.pattern != curve.pattern)
            };
            let key = (keyed && told_apart()).then(|| curve.pattern.ascii());
            let entry_key = keyed.then(|| curve.pattern.ascii());
            let anchor = match curve.label_at {
                LabelAt::EndOrAlong
                | LabelAt::EndOrAnyPoint
                | LabelAt::EndOnItsRow
                | LabelAt::OnItsRowInShortPlots => None,
                LabelAt::Peak => Some(
                    curve
                        .points
                        .iter()
                        .filter(visible)
                        .max_by(|a, b| a.1.total_cmp(&b.1)),
                ),
                LabelAt::Before(x) => Some(curve.points.iter().filter(visible).rfind(|p| p.0 <= x)),
            };
            if let Some(at) = anchor {
                if let Some(p) = at {
                    let name = Name {
                        key,
                        entry_key,
                        ..Name::of_curve(label, style, g)
                    };
                    place_label(buf, g, &[(cell(p), 0)], name, own, taken);
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
            if curve.label_at == LabelAt::EndOnItsRow {
                let name = Name {
                    on_its_row: true,
                    key,
                    entry_key,
                    ..Name::of_curve(label, style, g)
                };
                if place_label(buf, g, &[(cell(end), 0)], name, own, taken) {
                    continue;
                }
            }
            // The cell of the first point in each column (or `None`),
            // unless another curve shows there: beside it, a name reads as
            // that curve's (HH's `tau_h` before tau_n's `====`).
            let mut first = vec![None; g.area.width as usize];
            for p in curve.points.iter().filter(visible) {
                if let Some(col) = g.column(p.0)
                    && let Some(slot) = col
                        .checked_sub(g.area.x)
                        .and_then(|k| first.get_mut(usize::from(k)))
                    && slot.is_none()
                {
                    *slot = Some(cell(p));
                }
            }
            let own_cell = |k: usize| {
                first
                    .get(k)
                    .copied()
                    .flatten()
                    .filter(|&at| !shows_another(g, own, at))
            };
            let width = g.area.width as usize;
            let along: Vec<(u16, u16)> = if curve.label_at == LabelAt::EndOrAnyPoint {
                // By either end of each run of its own cells along a row:
                // a name goes beside a run, and by its middle it covers
                // more of it (every column as an anchor made the activation
                // view's frame at 200x50 ten times slower).
                let cells: Vec<_> = (0..width).map(own_cell).collect();
                let in_run = |k: Option<usize>, row: u16| {
                    k.and_then(|k| cells.get(k).copied().flatten())
                        .is_some_and(|(_, r)| r == row)
                };
                (0..width)
                    .filter_map(|k| {
                        let (col, row) = cells[k]?;
                        let end = !in_run(k.checked_sub(1), row) || !in_run(Some(k + 1), row);
                        end.then_some((col, row))
                    })
                    .collect()
            } else {
                (1..ALONG)
                    .filter_map(|k| own_cell(k * width / ALONG))
                    .collect()
            };
            let along = along.into_iter().map(|at| (at, ALONG_COST));
            let anchors: Vec<_> = std::iter::once((cell(end), 0)).chain(along).collect();
            // A frozen reference's name in a short plot goes on its own
            // curve's row or nowhere: a row off, a third of the range at
            // 80x24, `ref I_L` stood on the row of +800 by its trace at 0
            // (that row's names left it no room) and `ref V` on the row of
            // -100 by its trace at -62. Its dotted trace is the live one's
            // of the same name, drawn beside it.
            let name = Name {
                on_its_row: curve.label_at == LabelAt::OnItsRowInShortPlots
                    && g.area.height < SHORT_PLOT_ROWS,
                key,
                entry_key,
                ..Name::of_curve(label, style, g)
            };
            place_label(buf, g, &anchors, name, own, taken);
        }
    }
}

/// Curve k's bit in the cells' owners (none past the 64th: its cells count
/// as others').
pub(super) fn owner_bit(k: usize) -> u64 {
    1u64.checked_shl(k as u32).unwrap_or(0)
}

/// How many points along a curve, besides its end, its name may go by,
/// and what going by one of them rather than the end costs (in rows away).
const ALONG: usize = 8;
const ALONG_COST: usize = 1;

/// What covering its own curve costs a name at most, however long: less
/// than two rows away (by its end or along the curve), more than one.
const OWN_COST_MOST: usize = 2;

/// A plot of fewer rows than this is short: a row off, a seventh of the
/// range or more, costs a name more than covering its own curve (the
/// activation view at 80x24, eight rows over -2..2 then, named threshold
/// and tanh, at 1, a row below, where it read 0.43).
const SHORT_PLOT_ROWS: u16 = 9;

/// A name to write: its text and style, the cells kept between it and its
/// anchor, and whether it keeps a blank from every mark (a curve's name:
/// `Taken::clashes`).
pub(super) struct Name<'a> {
    pub(super) text: &'a str,
    pub(super) style: Style,
    pub(super) gap: u16,
    pub(super) off_marks: bool,
    /// Only on its anchor's row (`LabelAt::EndOnItsRow`).
    pub(super) on_its_row: bool,
    /// A curve's name, not a mark's (`Taken::curve_name`).
    pub(super) of_curve: bool,
    /// The curve's character in ASCII without colour, written in brackets
    /// before a name set a row off its anchor, or by an anchor another
    /// curve's character covers (`(+) -30 mV`): there only the character
    /// tells whose it is (a clamp family's five steps in five rows at 80x24
    /// put `-30 mV` by the end of the -10 mV step's `.`). In brackets, as a
    /// legend's key: bare, it read as the curve's last cell.
    pub(super) key: Option<char>,
    /// The curve's character in ASCII without colour, written as `key` is
    /// before a name right after another's keyed one: bare, it read as part
    /// of that entry (`(.) h n`, `(+) I_K I_L`).
    pub(super) entry_key: Option<char>,
}

impl<'a> Name<'a> {
    /// A curve's name: right by its anchor, a blank from any mark. In
    /// ASCII a name that reads as a number keeps a blank from its anchor
    /// too: a curve's character there made a clamp family's step `-30 mV`
    /// read `~-30 mV` (about -30), and would make `30 mV` read `.30 mV`.
    fn of_curve(text: &'a str, style: Style, g: &Geometry) -> Self {
        let number = text.starts_with(|c: char| c.is_ascii_digit() || "+-.".contains(c));
        Self {
            text,
            style,
            gap: u16::from(g.whole_rows && number),
            off_marks: true,
            on_its_row: false,
            of_curve: true,
            key: None,
            entry_key: None,
        }
    }
}

/// Where a name goes: what it costs there, its row, its cells, the blanks
/// it keeps, and its text (with its key or not).
struct Place<'a> {
    cost: usize,
    row: u16,
    start: u16,
    end: u16,
    blanks: Vec<u16>,
    text: &'a str,
}

/// Writes the name beside one of the cells `anchors` (each with what it
/// costs to use it), `gap` cells from it (one more from a mark there, for a
/// name kept off marks): after it or before it, on its row or the nearest
/// one, wherever it hides the fewest drawn cells (curve dots, marks; of its
/// own curve, `own`: the cells each curve drew and its index, they count
/// less) and no earlier label (only on the anchor's row for a name kept
/// on it); with its key off the anchor's row, or by an anchor another
/// curve covers. Returns whether it found a place.
pub(super) fn place_label(
    buf: &mut Buffer,
    g: &Geometry,
    anchors: &[((u16, u16), usize)],
    name: Name,
    own: Option<(&[u64], u64)>,
    taken: &mut Vec<Taken>,
) -> bool {
    let Name {
        text: label,
        style,
        gap,
        off_marks,
        on_its_row,
        of_curve,
        key,
        entry_key,
    } = name;
    let with_key = key.map(|k| format!("({k}) {label}"));
    let as_entry = entry_key.map(|k| format!("({k}) {label}"));
    let width = |text: &str| text.chars().count() as u16;
    if width(label) + 1 > g.area.width {
        return false;
    }
    let offsets = if on_its_row { 1 } else { g.area.height as i32 };
    let drawn = |x: u16, y: u16| drawn_cell(buf, x, y);
    let mut best: Option<Place> = None;
    for &((col, row), anchor_cost) in anchors {
        for offset in 0..offsets {
            for r in [row as i32 - offset, row as i32 + offset] {
                if r < g.area.y as i32 || r >= g.area.bottom() as i32 {
                    continue;
                }
                let r = r as u16;
                let text = match &with_key {
                    Some(with_key) if r != row || shows_another(g, own, (col, row)) => {
                        with_key.as_str()
                    }
                    _ => label,
                };
                let w = width(text);
                if w + 1 > g.area.width {
                    continue;
                }
                // A blank from a mark at the anchor, for a name kept off
                // marks (the clash test below keeps it from the others).
                let away = gap + u16::from(off_marks && taken.iter().any(|t| t.is_mark_at(col, r)));
                // Beside the anchor, or past the names already beside it on
                // this row ("I_Na I_L" for two currents ending in one
                // cell): a row away would read as another value.
                let after = col + 1 + away;
                let before = col.saturating_sub(w + away).max(g.area.x);
                // Right after a keyed name a bare one reads as part of its
                // entry (`(.) h n`, `(+) I_K I_L`): there it carries its key
                // too (below), and so steps past the names beside its
                // anchor as wide as that.
                let after_past = match past_names(taken, (r, after, w), Side::After, off_marks) {
                    Some(at) if follows_key(taken, r, at) => {
                        as_entry.as_ref().map_or(Some(at), |keyed| {
                            past_names(taken, (r, after, width(keyed)), Side::After, off_marks)
                        })
                    }
                    at => at,
                };
                let past = [
                    after_past,
                    past_names(taken, (r, before, w), Side::Before, off_marks),
                ];
                let beside = [(Some(after), 0), (Some(before), 0)];
                let starts = beside.into_iter().chain(past.map(|s| (s, PAST_NAMES_COST)));
                for (start, slide_cost) in starts {
                    let Some(start) = start else { continue };
                    let start = start.max(g.area.x);
                    // Right after a keyed name, or touching only another
                    // curve's dots, a bare name carries its key.
                    let ends_in_digit =
                        g.whole_rows && text.ends_with(|c: char| c.is_ascii_digit());
                    let bare = start..start + width(text);
                    let bare_blanks = kept_blank(
                        (col, bare.start, bare.end),
                        (gap, ends_in_digit),
                        of_curve,
                        slide_cost > 0,
                        g.area,
                    );
                    let text = match &as_entry {
                        Some(keyed)
                            if text == label
                                && (follows_key(taken, r, start)
                                    || read_as_anothers(
                                        (buf, g),
                                        own,
                                        (taken, &bare_blanks),
                                        r,
                                        bare.clone(),
                                    )) =>
                        {
                            keyed.as_str()
                        }
                        _ => text,
                    };
                    let end = start + width(text);
                    if end > g.area.right() {
                        continue;
                    }
                    // A name kept from its mark keeps as far from the
                    // others (a letter touching it reads as part of it); a
                    // curve's keeps its blank from its anchor only.
                    let keep = if of_curve { 0 } else { gap };
                    let clash = taken
                        .iter()
                        .any(|t| t.clashes(r, start.saturating_sub(keep), end + keep, off_marks));
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
                    let blanks = if end == bare.end {
                        bare_blanks
                    } else {
                        kept_blank(
                            (col, start, end),
                            (gap, ends_in_digit),
                            of_curve,
                            slide_cost > 0,
                            g.area,
                        )
                    };
                    let (others, own_cost) = (start..end)
                        .chain(gaps_to_names(taken, r, start..end))
                        .chain(blanks.clone())
                        .filter(|&x| drawn(x, r))
                        .map(|x| {
                            let cell = g.cell_index((x, r));
                            // Bits of the curves that drew the cell, and the
                            // name's own (0 past the 64th curve: others').
                            let (drew, mine) = own.map_or((0, 0), |(owners, bit)| {
                                (owners.get(cell).copied().unwrap_or(0), bit)
                            });
                            match drew & mine {
                                0 => (6, 0),
                                _ if drew & !mine == 0 => (0, 2),
                                _ => (0, 3),
                            }
                        })
                        .fold((0, 0), |(a, b), (x, y)| (a + x, b + y));
                    // By a point along the curve a name goes past others'
                    // names only over its own curve: in blank cells it
                    // stood where the curve is not (at 60x16 rate-tanh's
                    // `threshold`, by its step's foot, went past `arctan`
                    // to the row of 0 at z = 2, where the threshold is 1).
                    // By the end it may (a list of curves ending together).
                    if anchor_cost > 0 && slide_cost > 0 && own_cost == 0 {
                        continue;
                    }
                    let hidden = others + own_cost.min(OWN_COST_MOST);
                    // In a plot of a few rows a row is a seventh of the
                    // range or more: a name a row off misreads its curve
                    // more than one over its own dots (hh-ttx's gates: `n`
                    // over the top row read n = 1 by its trace at 0.4).
                    // A name a row off with another curve on the row past
                    // it stands as near to that curve as to its own, and
                    // reads as either's (rate-tanh's `#1 b=-1` between the
                    // traces at 0 and -0.96 named the one at 0); so does
                    // one a row off right by another curve's cell on its
                    // own row, as that curve's inline name (HH's `tau_h`,
                    // a row above its end, followed tau_n's dashes): each
                    // costs what a row off does in a short plot.
                    let rows_away = match offset {
                        0 => 0,
                        1 if g.area.height < SHORT_PLOT_ROWS => OWN_COST_MOST + 1,
                        1 if another_curve_past(buf, g, own, (row, r), start..end)
                            || another_curve_beside(g, own, r, start..end) =>
                        {
                            OWN_COST_MOST + 1
                        }
                        1 => 1,
                        far => 2 * far as usize,
                    };
                    let cost = anchor_cost + slide_cost + hidden + rows_away;
                    if best.as_ref().is_none_or(|b| cost < b.cost) {
                        best = Some(Place {
                            cost,
                            row: r,
                            start,
                            end,
                            blanks,
                            text,
                        });
                    }
                }
            }
        }
    }
    let Some(Place {
        row: r,
        start,
        end,
        blanks,
        text,
        ..
    }) = best
    else {
        return false;
    };
    // The blanks a name keeps are blank on the screen too.
    for x in blanks {
        if curve_cell(buf, x, r) && !taken.iter().any(|t| t.holds(x, r)) {
            buf[(x, r)].set_symbol(" ");
        }
    }
    // The cell between two names, or a name and a mark, is blank ("tau_h
    // tau_m", "o rest"): a curve's character there joined them, in ASCII
    // as an equation ("tau_h=tau_m", a list of curves ending together, at
    // 60x16 in HH's gates view) or a product ("o*rest"); so did a level
    // line's dash (`D-(+) B-(*) A` on the threshold's row of the weights
    // view's inputs z_i).
    for x in gaps_to_names(taken, r, start..end) {
        if curve_cell(buf, x, r) || buf[(x, r)].symbol() == LEVEL_DASH {
            buf[(x, r)].set_symbol(" ");
        }
    }
    buf.set_string(start, r, text, style);
    taken.push(if of_curve {
        Taken::curve_name(r, start, end, text != label)
    } else {
        Taken::label(r, start, end)
    });
    true
}

/// In ASCII, the cell after a cursor's name that ends in a digit, where
/// a curve passed, is blank, as after a curve's name (`kept_blank`): HH's
/// gates view at 60x16 read `V 28.51====` and `V 16.8+==`, the curve's
/// characters going on from the number (a dotted one as more decimals).
pub(super) fn blank_after_number(
    buf: &mut Buffer,
    g: &Geometry,
    taken: &[Taken],
    text: &str,
    (row, end): (u16, u16),
) {
    let number_ends = g.whole_rows && text.ends_with(|c: char| c.is_ascii_digit());
    if number_ends
        && end < g.area.right()
        && curve_cell(buf, end, row)
        && !taken.iter().any(|t| t.holds(end, row))
    {
        buf[(end, row)].set_symbol(" ");
    }
}

/// The cells a name at `start..end` by its anchor's column `col` keeps
/// blank where a curve passed: the `gap` beside the anchor (none for a
/// name past others' names, `past`, whose blank is the one between them),
/// and before a curve's name that keeps a gap, one that reads as a number,
/// the cell before its first character on either side of the anchor
/// (`~30 mV` at the head of a list read as about 30 mV); after a curve's
/// name that ends in a digit (`ends_in_digit`, in ASCII), the cell after
/// it: a dotted curve going on from rate-arctan's `#1 b=-1` read
/// `b=-1......`, the dots a decimal point.
fn kept_blank(
    (col, start, end): (u16, u16, u16),
    (gap, ends_in_digit): (u16, bool),
    of_curve: bool,
    past: bool,
    area: Rect,
) -> Vec<u16> {
    let mut cells: Vec<u16> = match (gap, past) {
        (0, _) | (_, true) => Vec::new(),
        _ if start > col => (start - gap..start).collect(),
        _ => (end..end + gap).collect(),
    };
    if of_curve && gap > 0 && start > area.x && !cells.contains(&(start - 1)) {
        cells.push(start - 1);
    }
    if of_curve && ends_in_digit && !cells.contains(&end) {
        cells.push(end);
    }
    cells.retain(|&x| x >= area.x && x < area.right());
    cells
}

#[cfg(test)]
mod tests;
