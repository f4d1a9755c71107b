//! Where the names go: by their own curves, past each other, never
//! between two curves.
#![allow(clippy::disallowed_methods)] // the platform's functions: an independent check

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use super::super::{Axis, Curve, LabelAt, Pattern, Plot};
use crate::ui::theme::Theme;

type Shape = (&'static str, fn(f64) -> f64);

/// One curve's name as drawn: its row and columns, and the cells its
/// curve's points fall in (the last is its end).
struct Named {
    name: &'static str,
    row: u16,
    cols: std::ops::Range<u16>,
    cells: Vec<(u16, u16)>,
}

/// Draws `shapes` over x in [0, 10] (drawn up to `x_end`) in a `w` x `h`
/// plot: where each name went, and the plot's text.
fn names_drawn(
    shapes: &[Shape],
    (y, x_end): ([f64; 2], f64),
    (w, h): (u16, u16),
) -> (Vec<Named>, String) {
    names_drawn_at(shapes, (y, x_end), (w, h), LabelAt::EndOrAlong)
}

/// As `names_drawn`, each name by `at`.
fn names_drawn_at(
    shapes: &[Shape],
    (y, x_end): ([f64; 2], f64),
    (w, h): (u16, u16),
    at: LabelAt,
) -> (Vec<Named>, String) {
    names_drawn_in(shapes, (y, x_end), (w, h), at, &Theme::default())
}

/// As `names_drawn_at`, drawn in `theme`.
fn names_drawn_in(
    shapes: &[Shape],
    (y, x_end): ([f64; 2], f64),
    (w, h): (u16, u16),
    at: LabelAt,
    theme: &Theme,
) -> (Vec<Named>, String) {
    let mut plot = Plot::new("t", Axis::new([0.0, 10.0], "x"), Axis::new(y, ""));
    for (k, &(name, f)) in shapes.iter().enumerate() {
        let points = (0..=200)
            .map(|j| j as f64 / 20.0)
            .filter(|&x| x <= x_end)
            .map(|x| (x, f(x)))
            .collect();
        let mut curve = Curve::new(points, Style::new(), Pattern::nth(k, theme)).named(name);
        curve.label_at = at;
        plot.curves.push(curve);
    }
    let area = Rect::new(0, 0, w, h);
    let mut buf = Buffer::empty(area);
    let g = plot.render(area, &mut buf, theme).unwrap();
    let text: Vec<String> = (0..h)
        .map(|r| (0..w).map(|x| buf[(x, r)].symbol()).collect())
        .collect();
    let named = shapes
        .iter()
        .zip(&plot.curves)
        .map(|(&(name, _), curve)| {
            let (row, start) = (0..h)
                .find_map(|r| {
                    let row = &text[r as usize];
                    row.find(name).map(|c| (r, row[..c].chars().count() as u16))
                })
                .unwrap_or_else(|| panic!("{name} not drawn:\n{}", text.join("\n")));
            let cells = curve
                .points
                .iter()
                .map(|&(x, y)| (g.column(x).unwrap(), g.row(y)))
                .collect();
            Named {
                name,
                row,
                cols: start..start + name.len() as u16,
                cells,
            }
        })
        .collect();
    (named, text.join("\n"))
}

/// Checks that each name sits beside a cell its own curve passes
/// through, within a row of it.
fn names_by_their_curves(shapes: &[Shape], y: [f64; 2], size: (u16, u16)) {
    let (named, text) = names_drawn(shapes, (y, 10.0), size);
    for n in named {
        let near = n.cells.iter().any(|&(col, row)| {
            col + 1 >= n.cols.start && col <= n.cols.end && row.abs_diff(n.row) <= 1
        });
        assert!(near, "{} at row {}:\n{text}", n.name, n.row);
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

/// A name steps past the names in its way on either side, the only
/// one there included (it stopped at that one: rate-logistic's `#1 y`
/// went over its own trace before `#0 x` rather than after it).
#[test]
fn a_name_steps_past_the_only_name_in_its_way() {
    use super::{Side, Taken, past_names};
    let one = [Taken::curve_name(5, 51, 58, false)];
    assert_eq!(past_names(&one, (5, 51, 7), Side::Before, true), Some(43));
    assert_eq!(past_names(&one, (5, 52, 4), Side::After, true), Some(59));
    let two = [
        Taken::curve_name(5, 51, 58, false),
        Taken::curve_name(5, 59, 62, false),
    ];
    assert_eq!(past_names(&two, (5, 52, 4), Side::After, true), Some(63));
    // Nothing in its way: no step (the name goes beside its anchor).
    assert_eq!(past_names(&one, (6, 51, 7), Side::Before, true), None);
    // A mark in its way: a mark's name sits by it.
    let mark = [Taken::mark(5, 55)];
    assert_eq!(past_names(&mark, (5, 51, 7), Side::Before, true), None);
    // A cursor's name (or a mark's) in its way, first or past a curve's:
    // it is not one of the list's curves.
    let cursor = [Taken::label(5, 51, 58)];
    assert_eq!(past_names(&cursor, (5, 51, 7), Side::Before, true), None);
    let after_one = [Taken::curve_name(5, 51, 58, false), Taken::label(5, 40, 50)];
    assert_eq!(past_names(&after_one, (5, 52, 7), Side::Before, true), None);
}

/// rate-tanh's five activities, tanh(b) for b = -2..2, in plots of 5
/// to 13 rows, in braille and in ASCII without colour (each curve in
/// whole rows): a name a row off its trace never has another trace on
/// the row past it, where it would stand as near to that one (at 80x24
/// in ASCII `#1 b=-1` stood between the traces at 0 and -0.96).
#[test]
fn a_name_a_row_off_is_not_between_two_curves() {
    let shapes: [Shape; 5] = [
        ("#0 b=-2", |_| (-2.0f64).tanh()),
        ("#1 b=-1", |_| (-1.0f64).tanh()),
        ("#2 b=0", |_| 0.0),
        ("#3 b=1", |_| 1.0f64.tanh()),
        ("#4 b=2", |_| 2.0f64.tanh()),
    ];
    let ascii = Theme {
        color: false,
        ascii: true,
        ..Theme::default()
    };
    let sizes = [(60, 7), (60, 9), (80, 9), (80, 11), (80, 13), (120, 15)];
    for ((w, h), theme) in sizes
        .into_iter()
        .flat_map(|s| [(s, Theme::default()), (s, ascii)])
    {
        let (named, text) = names_drawn_in(
            &shapes,
            ([-1.0, 1.0], 10.0),
            (w, h),
            LabelAt::EndOrAlong,
            &theme,
        );
        let rows_of_others = |me: &str, row: u16| {
            named
                .iter()
                .filter(|o| o.name != me)
                .any(|o| o.cells.iter().any(|c| c.1 == row))
        };
        for n in &named {
            let own = n.cells.last().unwrap().1;
            assert!(n.row.abs_diff(own) <= 1, "{}:\n{text}", n.name);
            if n.row != own {
                let past = if n.row < own { n.row - 1 } else { n.row + 1 };
                assert!(!rows_of_others(n.name, past), "{}:\n{text}", n.name);
            }
        }
    }
}

/// The currents at rest in a three-row pane, a sweep's first
/// twentieth drawn (a clamp scope's first frame): I_Na and I_L end in
/// one cell of the middle row; the second name goes past the first on
/// that row ("I_Na I_L"), not a row down, where it read as I_L = -10.
#[test]
fn names_of_curves_ending_in_one_cell_share_its_row() {
    for (w, h) in [(40, 6), (80, 6)] {
        let (named, text) = names_drawn(
            &[
                ("I_K", |_| 4.404),
                ("I_Na", |_| -1.221),
                ("I_L", |_| -3.184),
            ],
            ([-10.0, 10.0], 0.5),
            (w, h),
        );
        for n in named {
            let end = *n.cells.last().unwrap();
            let right = n.cols.start > end.0;
            assert!(right && n.row == end.1, "{}:\n{text}", n.name);
        }
    }
}

/// hh-ttx's gates in a pane of three rows, and of six: n 0.40 and h
/// 0.35 share a row, m 0.05 the bottom. Each name goes on its own
/// curve's row (over its dots if it must): a row off is a sixth of the
/// range or more, and `n` on the top row read n = 1.
#[test]
fn in_a_short_plot_names_stay_on_their_curves_rows() {
    for (w, h) in [(40, 6), (80, 6), (40, 10), (80, 10)] {
        let (named, text) = names_drawn(
            &[("m", |_| 0.05), ("h", |_| 0.35), ("n", |_| 0.40)],
            ([0.0, 1.0], 10.0),
            (w, h),
        );
        for n in named {
            let row = n.cells.last().unwrap().1;
            assert_eq!(n.row, row, "{}:\n{text}", n.name);
        }
    }
}

/// The clamp family's steps: each current apart from the others during
/// its step, all back at the hold's after it. Named by their points at
/// the step's end (`LabelAt::Before`), each name is on the row of its
/// own curve there; by their common end, five names were stacked rows
/// around it and read as each other's (`-30 mV` on the row where the
/// -10 mV step ended).
#[test]
fn names_before_a_point_sit_on_their_curves_rows_there() {
    let shapes: [Shape; 4] = [
        ("a", |x| if x <= 6.0 { 0.2 } else { 0.1 }),
        ("b", |x| if x <= 6.0 { 1.4 } else { 0.1 }),
        ("c", |x| if x <= 6.0 { 2.6 } else { 0.1 }),
        ("d", |x| if x <= 6.0 { 3.8 } else { 0.1 }),
    ];
    for (w, h) in [(60, 7), (80, 10)] {
        let (named, text) =
            names_drawn_at(&shapes, ([0.0, 4.0], 10.0), (w, h), LabelAt::Before(6.0));
        for n in named {
            // The curve's cell at x = 6: the last at or before it.
            let at = n.cells[120];
            assert_eq!(n.row, at.1, "{}:\n{text}", n.name);
            assert!(n.cols.start.abs_diff(at.0) <= 8, "{}:\n{text}", n.name);
        }
    }
}

/// A cell shows the curve drawn last in it (its highest bit): a name's own
/// curve under another's does not show; where the owners are unknown, or
/// the curve has no bit (past the 64th), nothing is said to show another.
#[test]
fn a_cell_shows_the_curve_drawn_last_in_it() {
    use super::super::canvas::Geometry;
    use super::shows_another;
    let g = Geometry {
        area: Rect::new(3, 2, 5, 1),
        x: [0.0, 1.0],
        y: [0.0, 1.0],
        whole_rows: true,
    };
    // Curve 0 alone; 0 under 1; 1 alone; nothing; 0 under 2.
    let owners = [0b001, 0b011, 0b010, 0b000, 0b101];
    let shows = |mine: u64| -> Vec<bool> {
        (3..8)
            .map(|x| shows_another(&g, Some((&owners[..], mine)), (x, 2)))
            .collect()
    };
    assert_eq!(shows(0b001), [false, true, true, false, true]);
    assert_eq!(shows(0b010), [true, false, false, false, true]);
    assert_eq!(shows(0b100), [true, true, true, false, false]);
    assert_eq!(shows(0), [false; 5]);
    assert!(!shows_another(&g, None, (4, 2)));
}

/// A frozen reference's name (`OnItsRowInShortPlots`) in a short plot
/// stands on its curve's row or nowhere: three currents flat at 0 in a
/// plot of ±800 whose names fill the row of 0 left `ref I_L` no room
/// there, and it went to the row of +800 or -800, a third of the range
/// off; where the row has room, it is named there.
#[test]
fn a_references_name_in_a_short_plot_is_on_its_row_or_left_out() {
    let drawn = |w: u16| -> Vec<String> {
        let mut plot = Plot::new(
            "t",
            Axis::new([0.0, 10.0], "x"),
            Axis::new([-800.0, 800.0], ""),
        );
        let flat: Vec<(f64, f64)> = (0..=100).map(|j| (j as f64 / 10.0, 0.0)).collect();
        for name in ["I_Na", "I_K", "I_L"] {
            plot.curves
                .push(Curve::new(flat.clone(), Style::new(), Pattern::Solid).named(name));
        }
        let mut reference = Curve::new(flat.clone(), Style::new(), Pattern::SparseDotted)
            .named("ref I_L")
            .beneath();
        reference.label_at = LabelAt::OnItsRowInShortPlots;
        plot.curves.push(reference);
        let area = Rect::new(0, 0, w, 6);
        let mut buf = Buffer::empty(area);
        let g = plot.render(area, &mut buf, &Theme::default()).unwrap();
        assert!(g.area.height < super::SHORT_PLOT_ROWS);
        (g.area.y..g.area.bottom())
            .map(|r| (0..w).map(|x| buf[(x, r)].symbol()).collect())
            .collect()
    };
    let row_of_zero = |rows: &[String]| rows.iter().position(|r| r.contains("I_Na")).unwrap();
    let narrow = drawn(22);
    let zero = row_of_zero(&narrow);
    for (r, row) in narrow.iter().enumerate() {
        assert!(
            r == zero || !row.contains("ref I_L"),
            "{}",
            narrow.join("\n")
        );
    }
    let wide = drawn(48);
    let zero = row_of_zero(&wide);
    assert!(wide[zero].contains("ref I_L"), "{}", wide.join("\n"));
}
