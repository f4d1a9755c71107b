//! What the drawing keeps: the y range (and in ASCII half a row past its
//! ends), every peak and trough of a broken pattern, cursor names clear.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use super::super::{Axis, Curve, Pattern, Plot};
use crate::ui::theme::Theme;

/// Every cell of `buf`, row by row, as one string.
fn text_of(buf: &Buffer) -> String {
    let area = buf.area;
    (area.y..area.bottom())
        .flat_map(|r| (area.x..area.right()).map(move |x| (x, r)))
        .map(|p| buf[p].symbol().to_string())
        .collect()
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
    let text = text_of(&buf);
    assert!(text.contains("rises") && !text.contains("below"), "{text}");
}

/// In ASCII a row stands for the values nearer it than any other row,
/// so the end rows take those up to half a row past the range: a
/// curve 0.4 of a row below the bottom is drawn in the bottom row, and
/// named; one 0.6 of a row below is not drawn (σ's arctan at -1.33,
/// under a range ending at -1.3 in tenths, was left out).
#[test]
fn in_ascii_the_end_rows_take_values_up_to_half_a_row_past_the_range() {
    let ascii = Theme {
        ascii: true,
        ..Theme::default()
    };
    let area = Rect::new(0, 0, 60, 14);
    let mut plot = Plot::new("t", Axis::new([0.0, 10.0], "x"), Axis::new([0.0, 5.0], ""));
    let rows = plot.plot_rows(area, &ascii);
    let row_step = 5.0 / f64::from(rows - 1);
    let flat = |x0: f64, y: f64| -> Vec<(f64, f64)> {
        (0..=40).map(|j| (x0 + j as f64 / 10.0, y)).collect()
    };
    plot.curves
        .push(Curve::new(flat(0.0, -0.4 * row_step), Style::new(), Pattern::Solid).named("near"));
    plot.curves
        .push(Curve::new(flat(5.0, -0.6 * row_step), Style::new(), Pattern::Solid).named("far"));
    let mut buf = Buffer::empty(area);
    let g = plot.render(area, &mut buf, &ascii).unwrap();
    let bottom = g.area.bottom() - 1;
    let starred = |from: f64, to: f64| {
        let (a, b) = (g.column(from).unwrap(), g.column(to).unwrap());
        (a..=b)
            .filter(|&x| buf[(x, bottom)].symbol() == "*")
            .count()
    };
    assert!(starred(0.5, 3.5) > 10, "the near curve in the bottom row");
    assert_eq!(starred(5.5, 8.5), 0, "the far curve is not drawn");
    let text = text_of(&buf);
    assert!(text.contains("near") && !text.contains("far"), "{text}");
}

/// A broken curve (every pattern but solid) keeps every peak and
/// trough: a regular train of spikes from 0 to 1 reaches the top dot
/// row at each spike and comes back to the bottom one between them,
/// whatever the phase of the pattern there (a dash's gap drew some
/// peaks lower).
#[test]
fn patterns_keep_every_peak_and_trough() {
    for pattern in Pattern::ALL.into_iter().skip(1) {
        let mut plot = Plot::new("t", Axis::new([0.0, 100.0], "x"), Axis::new([0.0, 1.0], ""));
        // A spike every 10 at 5, 15, ..., a sample every 0.25.
        let points: Vec<(f64, f64)> = (0..=400)
            .map(|k| k as f64 / 4.0)
            .map(|x| {
                (
                    x,
                    if (x - 5.0).rem_euclid(10.0) < 0.1 {
                        1.0
                    } else {
                        0.0
                    },
                )
            })
            .collect();
        plot.curves.push(Curve::new(points, Style::new(), pattern));
        let area = Rect::new(0, 0, 60, 10);
        let mut buf = Buffer::empty(area);
        let g = plot.render(area, &mut buf, &Theme::default()).unwrap();
        // Braille dot bits of a cell's top and bottom dot rows.
        let bits = |x: u16, y: u16| -> u32 {
            let c = buf[(x, y)].symbol().chars().next().unwrap_or(' ');
            if ('\u{2800}'..='\u{28ff}').contains(&c) {
                c as u32 - 0x2800
            } else {
                0
            }
        };
        let (top, bottom) = (g.area.y, g.area.bottom() - 1);
        for spike in 0..10 {
            let x = 5.0 + 10.0 * spike as f64;
            let col = g.column(x).unwrap();
            assert!(
                bits(col, top) & (0x01 | 0x08) != 0,
                "{pattern:?}: the spike at {x} lower than 1"
            );
            let between = g.column(x + 5.0).filter(|&c| c < g.area.right());
            if let Some(c) = between.filter(|_| spike < 9) {
                // The trough between two spikes lies on 0 all along;
                // some dot of it is drawn near the middle.
                assert!(
                    (c - 2..=c + 2).any(|c| bits(c, bottom) & (0x40 | 0x80) != 0),
                    "{pattern:?}: nothing at 0 after the spike at {x}"
                );
            }
        }
    }
}

/// A cursor's name keeps a cell from marks and from other names: with
/// a mark in its column at the top (HH's measured rate at the input
/// now) it read `measuredxnow`, and two cursors in one column (`now`
/// and `onset` at J = 10) wrote one name over the other. Without
/// anything near, it stays at the top right of its line.
#[test]
fn cursor_names_keep_clear_of_marks_and_each_other() {
    use super::super::{Cursor, Glyph, Marks};
    let rows_of = |plot: &Plot| -> Vec<String> {
        let area = Rect::new(0, 0, 60, 12);
        let mut buf = Buffer::empty(area);
        plot.render(area, &mut buf, &Theme::default()).unwrap();
        (0..12)
            .map(|r| (0..60).map(|x| buf[(x, r)].symbol().to_string()).collect())
            .collect()
    };
    let mut plot = Plot::new("t", Axis::new([0.0, 10.0], "x"), Axis::new([0.0, 10.0], ""));
    let cursor = |label: &str| Cursor {
        x: 5.0,
        label: label.into(),
    };
    plot.cursors.push(cursor("now"));
    let rows = rows_of(&plot);
    assert!(rows[1].contains("┆now "), "{rows:#?}");
    plot.marks.push(Marks {
        points: vec![(5.0, 10.0)],
        glyph: Glyph::Cross,
        style: Style::new(),
        label: Some("measured".into()),
    });
    plot.cursors.push(cursor("onset"));
    let text = rows_of(&plot).join("\n");
    for name in ["now", "onset", "measured"] {
        assert_eq!(text.matches(name).count(), 1, "{name}\n{text}");
    }
    assert!(
        !text.contains("×now") && !text.contains("now×") && !text.contains("onset×"),
        "{text}"
    );
}

/// In ASCII a cursor's name ending in a number keeps a blank from a curve
/// going on after it, as a curve's name does: HH's gates at 60x16 read `V
/// 28.51====`, n_inf's `=` run on from the number. A name ending in a
/// letter, or in Unicode, keeps no such blank.
#[test]
fn a_cursors_number_keeps_a_blank_from_a_curve_after_it() {
    use super::super::Cursor;
    let ascii = Theme {
        ascii: true,
        ..Theme::default()
    };
    let text = |label: &str, theme: &Theme| -> String {
        let mut plot = Plot::new("t", Axis::new([0.0, 10.0], "x"), Axis::new([0.0, 1.0], ""));
        let flat: Vec<(f64, f64)> = (0..=100).map(|j| (j as f64 / 10.0, 1.0)).collect();
        plot.curves
            .push(Curve::new(flat, Style::new(), Pattern::Solid));
        plot.cursors.push(Cursor {
            x: 2.0,
            label: label.into(),
        });
        let area = Rect::new(0, 0, 40, 10);
        let mut buf = Buffer::empty(area);
        plot.render(area, &mut buf, theme).unwrap();
        text_of(&buf)
    };
    let v = text("V 28.51", &ascii);
    assert!(v.contains("*V 28.51 ****"), "{v}");
    let onset = text("onset", &ascii);
    assert!(onset.contains("*onset****"), "{onset}");
    assert!(!text("V 28.51", &Theme::default()).contains("V 28.51 "));
}

/// A level line's row is numbered by the level's value: network-wta's
/// inputs z_i at 120x40 in ASCII, eight rows from -8 to 2 with landmarks
/// at 0 and at the firing line 1, drew the line on the row the tick 0 had
/// taken, and the inputs read as firing above 0.
#[test]
fn a_level_lines_row_is_numbered_by_its_value() {
    use super::super::Level;
    let ascii = Theme {
        ascii: true,
        ..Theme::default()
    };
    for theme in [&ascii, &Theme::default()] {
        let mut plot = Plot::new(
            "t",
            Axis::new([0.0, 10.0], "x"),
            Axis::new([-8.0, 2.0], "").landmarks(&[0.0, 1.0]),
        );
        plot.levels.push(Level {
            y: 1.0,
            label: "1: fires above".into(),
        });
        let area = Rect::new(0, 0, 60, 12);
        assert_eq!(plot.plot_rows(area, theme), 8);
        let mut buf = Buffer::empty(area);
        let g = plot.render(area, &mut buf, theme).unwrap();
        let row = g.row(1.0);
        // The tick's number, without the border and the tick's glyph.
        let number: String = (area.x..g.area.x)
            .map(|x| buf[(x, row)].symbol())
            .collect::<String>()
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '-' || *c == '.')
            .collect();
        assert_eq!(number, "1", "ascii {}: {}", theme.ascii, text_of(&buf));
    }
}
