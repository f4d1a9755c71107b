//! Curves' names that carry their keys, in ASCII without colour (NO_COLOR,
//! LANG=C): where a bare name would read as another curve's, beside
//! another's keyed entry or by another's character alone, it carries its
//! own curve's character in brackets; and nothing joins two names.

mod common;

use common::drawn::{NO_COLOR, app, rows_with};
use spikescope::ui::app::App;
use spikescope::ui::theme::Theme;
use spikescope::view::Pane;

/// `a` drawn at `w` x `h` in ASCII without colour: its rows, and their text.
fn ascii_screen_of(a: &App, (w, h): (u16, u16)) -> (Vec<String>, String) {
    let theme = Theme {
        ascii: true,
        ..NO_COLOR
    };
    let rows = rows_with(a, w, h, &theme);
    let text = rows.join("\n");
    (rows, text)
}

/// The row holding `needle` of `preset` after `steps` steps showing
/// `pane` at `size` in ASCII without colour, and the screen's text.
fn row_of(
    preset: &str,
    (steps, pane): (u64, Pane),
    size: (u16, u16),
    needle: &str,
) -> (String, String) {
    let mut a = app(preset, steps);
    a.view.pane = pane;
    let (rows, text) = ascii_screen_of(&a, size);
    let row = rows
        .iter()
        .find(|r| r.contains(needle))
        .unwrap_or_else(|| panic!("{needle}\n{text}"))
        .clone();
    (row, text)
}

/// In ASCII without colour a name set apart from its curve carries its
/// curve's character in brackets, as a legend's entry (`(.) h`); a bare
/// name right after such an entry read as part of it: HH's gates `(.) h
/// n`, n's name by the end of its `=` trace beside h's entry, and the
/// currents' `(+) I_K I_L`. Every frame of a sweep over the first 200 ms
/// of hh-rebound and of the default hh-repetitive, at 80x24 and 60x16:
/// after an entry, the next curve's name carries its key too (`(.) h (=)
/// n`), or stands before it (`n (.) h`).
#[test]
fn no_bare_name_follows_a_keyed_one() {
    let names = ["m", "h", "n", "I_K", "I_Na", "I_L"];
    let word = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut entries = 0;
    for preset in ["hh-rebound", "hh-repetitive"] {
        let mut a = app(preset, 0);
        for _ in 0..200 {
            a.advance(20);
            for size in [(80, 24), (60, 16)] {
                let (rows, text) = ascii_screen_of(&a, size);
                for row in &rows {
                    let chars: Vec<char> = row.chars().collect();
                    for k in 0..chars.len().saturating_sub(4) {
                        if !(chars[k] == '(' && chars[k + 2] == ')' && chars[k + 3] == ' ') {
                            continue;
                        }
                        let rest: String = chars[k + 4..].iter().collect();
                        let name = word(&rest);
                        if !names.contains(&name.as_str()) {
                            continue;
                        }
                        entries += 1;
                        let next = rest[name.len()..]
                            .strip_prefix(' ')
                            .map(word)
                            .unwrap_or_default();
                        assert!(
                            !names.contains(&next.as_str()),
                            "{preset} at t = {:.2} ms, {size:?}: `{next}` after `({}) {name}`\n{text}",
                            a.sim.time_s() * 1e3,
                            chars[k + 1]
                        );
                    }
                }
            }
        }
    }
    // The frames hold such entries: the test looks at some.
    assert!(entries > 100, "{entries} keyed names");
}

/// The cell between two names is blank over a level line too: on the
/// threshold's row of the weights view's inputs z_i (network-wta at 40.7
/// ms, 120x40) the names of the traces ending there read `D-(+) B-(*) A`,
/// the line's dashes joining them.
#[test]
fn a_level_lines_dash_does_not_join_two_names() {
    let (row, text) = row_of("network-wta", (407, Pane::Weights), (120, 40), "|| 1+---");
    assert!(row.ends_with("-D (+) B (*) A=||"), "{row}\n{text}");
}

/// Without colour a bare name touching only another curve's character reads
/// as that curve's inline name: on HH's scope `+++h (+) m`, h's name after
/// m's run of `+`, named the `+` curve twice, and `*I_L (*) I_Na` the `*`
/// curve. Such a name carries its key, or stands by its own character.
/// Every frame of sweeps of hh-repetitive, hh-fast and hh-rebound at 80x24
/// and 100x30, each name of the gates (m `+`, h `.`, n `=`) and currents
/// (I_K `+`, I_Na `*`, I_L `.`).
#[test]
fn a_bare_name_does_not_stand_by_another_curves_character_alone() {
    let own = [
        ("m", '+'),
        ("h", '.'),
        ("n", '='),
        ("I_K", '+'),
        ("I_Na", '*'),
        ("I_L", '.'),
    ];
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut names = 0;
    for preset in ["hh-repetitive", "hh-fast", "hh-rebound"] {
        let mut a = app(preset, 0);
        for _ in 0..150 {
            a.advance(27);
            for size in [(80, 24), (100, 30)] {
                let (rows, text) = ascii_screen_of(&a, size);
                for row in rows.iter().filter(|r| r.contains("||")) {
                    let c: Vec<char> = row.chars().collect();
                    for (name, mine) in own {
                        let n: Vec<char> = name.chars().collect();
                        for k in 1..c.len().saturating_sub(n.len() + 1) {
                            let (left, right) = (c[k - 1], c[k + n.len()]);
                            let keyed = k >= 4 && c[k - 4] == '(' && c[k - 2] == ')';
                            if c[k..k + n.len()] != n[..] || is_word(left) || is_word(right) {
                                continue;
                            }
                            names += 1;
                            let other = |x: char| "+.=*".contains(x) && x != mine;
                            assert!(
                                keyed
                                    || left == mine
                                    || right == mine
                                    || !(other(left) || other(right)),
                                "{preset} at t = {:.2} ms, {size:?}: `{left}{name}{right}`\n{text}",
                                a.sim.time_s() * 1e3
                            );
                        }
                    }
                }
            }
        }
    }
    assert!(names > 1000, "{names} names");
}

/// A name that ends in a digit keeps the cell after it blank (a dot there
/// read as a decimal point), so that cell is not its own character beside
/// it: the LIF network's phase plane at 60x16 named its `+` nullcline
/// `***dv/dt = 0` after the trajectory's `*`, its own `+` past the blank.
#[test]
fn a_blank_kept_after_a_name_does_not_count_as_its_curve() {
    let (row, text) = row_of(
        "network-benchmark",
        (7750, Pane::Phase),
        (60, 16),
        "dv/dt = 0",
    );
    assert!(
        row.contains("+dv/dt = 0") || row.contains("(+) dv/dt = 0"),
        "{row}\n{text}"
    );
}
