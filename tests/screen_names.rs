//! Where curves' names stand, in ASCII without colour at 80x24 and 60x16
//! (NO_COLOR, LANG=C): each by its own curve, on the row where it ends
//! where that reads as its value, and apart from the marks; and each curve
//! in a character of its own.

mod common;

use common::drawn::{NO_COLOR, app, rows_with};
use spikescope::ui::theme::Theme;
use spikescope::view::Pane;

/// `preset` after `steps` steps showing `pane`, drawn at `w` x `h` in ASCII
/// without colour: its rows, and their text for messages.
fn ascii_screen(preset: &str, steps: u64, pane: Pane, size: (u16, u16)) -> (Vec<String>, String) {
    let mut a = app(preset, steps);
    a.view.pane = pane;
    ascii_screen_of(&a, size)
}

/// The index of the first row that starts with `start` (a plot's row of
/// a y tick), or a failure showing the screen.
fn row_starting(rows: &[String], start: &str, text: &str) -> usize {
    rows.iter()
        .position(|r| r.starts_with(start))
        .unwrap_or_else(|| panic!("no row starts with {start:?}\n{text}"))
}

/// ASCII without colour (NO_COLOR, LANG=C).
fn ascii() -> Theme {
    Theme {
        ascii: true,
        ..NO_COLOR
    }
}

/// `a` drawn at `w` x `h` in ASCII without colour: its rows, and their text.
fn ascii_screen_of(a: &spikescope::ui::app::App, (w, h): (u16, u16)) -> (Vec<String>, String) {
    let rows = rows_with(a, w, h, &ascii());
    let text = rows.join("\n");
    (rows, text)
}

/// The activation view in ASCII at 80x24, for each rate preset of one σ:
/// its neurons' marks are named in the legend on the title's row (`o
/// neurons (z, y)`), and no function's name touches a mark. Named beside
/// the marks, `threshold neurons (z, y)` read as one phrase on the rate-tanh
/// screen, and `relu <o neurons (z, y)` and `otanh` ran the marks' `o`
/// into the names.
#[test]
fn the_activation_views_names_stand_apart_from_the_neurons_marks() {
    let names = ["logistic", "tanh", "arctan", "threshold", "relu"];
    for preset in [
        "rate-logistic",
        "rate-tanh",
        "rate-arctan",
        "rate-threshold",
        "rate-relu",
    ] {
        let (rows, text) = ascii_screen(preset, 100, Pane::Activation, (80, 24));
        assert!(
            rows[1].ends_with("- o neurons (z, y) +"),
            "{preset}: the legend\n{text}"
        );
        assert_eq!(
            text.matches("neurons (z, y)").count(),
            1,
            "{preset}\n{text}"
        );
        for name in names {
            assert!(
                text.contains(name)
                    && !text.contains(&format!("o{name}"))
                    && !text.contains(&format!("{name} <o"))
                    && !text.contains(&format!("{name}o")),
                "{preset}: {name}\n{text}"
            );
        }
    }
}

/// Whether `name` stands by its curve, drawn in `pattern` on `rows`: a cell
/// of it within two columns of the name, on the name's row or the ones
/// above and below, or its key before it (`(+) m_inf`) is its pattern. Returns the name's row and whether it does, for each
/// place the name is written from row `top` on (the plots, not the
/// readouts above them).
fn by_its_curve(rows: &[String], name: &str, pattern: char, top: usize) -> Vec<(usize, bool)> {
    let cells: Vec<Vec<char>> = rows.iter().map(|r| r.chars().collect()).collect();
    let mut found = Vec::new();
    for (r, row) in rows.iter().enumerate().skip(top) {
        let Some(at) = row.find(name) else {
            continue;
        };
        // A name with its curve's key (`(+) m_inf`) is by its curve if the
        // key is its pattern, wherever it stands.
        let start = at + name.len() - name.trim_start().len();
        if let [' ', ')', key, '('] = row[..start].chars().rev().take(4).collect::<Vec<_>>()[..] {
            found.push((r, key == pattern));
            continue;
        }
        let span = at.saturating_sub(2)..at + name.len() + 2;
        let near = (r.saturating_sub(1)..=r + 1).any(|rr| {
            cells
                .get(rr)
                .is_some_and(|row| span.clone().any(|c| row.get(c) == Some(&pattern)))
        });
        found.push((r, near));
    }
    found
}

/// The two characters just before and the two just after `name` on its
/// row (nearest first), where it is written from row `top` on.
fn beside(rows: &[String], name: &str, top: usize) -> Vec<(String, String)> {
    rows.iter()
        .skip(top)
        .filter_map(|row| {
            let at = row.find(name)?;
            let before = row[..at].chars().rev().take(2).collect();
            let after = row[at + name.len()..].chars().take(2).collect();
            Some((before, after))
        })
        .collect()
}

/// HH's gates view in ASCII at 80x24: each equilibrium x_inf(V) and time
/// constant tau_x(V) is named by its own curve, and not right by a run of
/// another curve's cells, where it reads as that one's inline name (one
/// cell is allowed: where two curves end in one cell, it shows the one on
/// top, and both names stand by it). With the cursor at V = -41 mV,
/// `n_inf`, ending with `m_inf` at the top right, stepped past that name
/// and the cursor's `|V -41.24` to stand 20 columns from its curve, at V =
/// -62 mV, where n_inf is 0.3, on the row of 1; `tau_h`, a row above its
/// end (at +50 mV, with tau_n's), followed tau_n's `=` there, and by a
/// point along its curve under tau_n's it stood before `====`.
#[test]
fn the_gates_views_curves_are_named_by_their_curves() {
    let (rows, text) = ascii_screen("hh-repetitive", 3300, Pane::Gates, (80, 24));
    assert!(text.contains("|V -41.24"), "the cursor\n{text}");
    let top = row_starting(&rows, "|1.0+", &text);
    // As drawn without colour: m `+`, h `.`, n `=`, in both panes.
    let patterns = [('+', "m"), ('.', "h"), ('=', "n")];
    for (pattern, gate) in patterns {
        for name in [format!("{gate}_inf"), format!("tau_{gate}")] {
            let places = by_its_curve(&rows, &name, pattern, top);
            assert!(
                !places.is_empty() && places.iter().all(|p| p.1),
                "{name} ({pattern}) at {places:?}\n{text}"
            );
            let others: Vec<char> = patterns
                .iter()
                .map(|p| p.0)
                .filter(|&p| p != pattern)
                .collect();
            let run = |s: &String| s.len() == 2 && s.chars().all(|c| others.contains(&c));
            for (before, after) in beside(&rows, &name, top) {
                assert!(
                    !run(&before) && !run(&after),
                    "{name} ({pattern}) beside {before:?} {after:?}\n{text}"
                );
            }
        }
    }
}

/// The activation view in ASCII without colour draws its five functions in
/// five characters: this preset's own in `*` (solid, named `NAME <`), the
/// others each in its own pattern. The own one took `*` from logistic,
/// which kept it too: on rate-threshold's screen logistic and threshold
/// were both `*`, told apart only by bold, which the characters lose.
#[test]
fn the_activation_views_five_functions_are_drawn_apart() {
    for preset in [
        "rate-tanh",
        "rate-arctan",
        "rate-threshold",
        "rate-relu",
        "rate-logistic",
    ] {
        let (rows, text) = ascii_screen(preset, 100, Pane::Activation, (80, 24));
        let top = rows.iter().position(|r| r.starts_with("| 2.0+"));
        let axis = rows.iter().position(|r| r.starts_with("|    ++"));
        let (Some(top), Some(axis)) = (top, axis) else {
            panic!("{preset}: the plot\n{text}")
        };
        // The plot's cells, right of the y axis and inside the border.
        let drawn: String = rows[top..axis]
            .iter()
            .map(|r| {
                r.chars()
                    .skip(7)
                    .take(r.chars().count() - 8)
                    .collect::<String>()
            })
            .collect();
        for pattern in ['*', '+', '.', '=', '~'] {
            assert!(drawn.contains(pattern), "{preset}: no {pattern}\n{text}");
        }
    }
}

/// rate-tanh's activation view at 60x16 in ASCII: `threshold`, named by a
/// point along its curve (its step's foot at z = 0), stepped past `arctan`
/// beside it into the blank cells of the row of 0 at z = 2, where the
/// threshold is 1; by a point along its curve a name steps past another
/// only over its own curve.
#[test]
fn at_60x16_threshold_is_not_named_where_it_is_not() {
    let (rows, text) = ascii_screen("rate-tanh", 100, Pane::Activation, (60, 16));
    let zero = row_starting(&rows, "| 0+", &text);
    assert!(!rows[zero].contains("arctan threshold"), "{text}");
    assert!(text.contains("threshold"), "{text}");
}

/// The activation view names this preset's own function (`NAME <` in
/// ASCII) on the row where its curve ends at z = 4, not a row below it:
/// rate-logistic's and rate-threshold's ended at 1 and were named on the
/// row of 0.5. tanh, logistic and threshold end at 1, relu past the top
/// (drawn to 2).
#[test]
fn the_activation_views_own_function_is_named_where_it_ends() {
    for (preset, name, tick) in [
        ("rate-logistic", "logistic <", "| 1.0+"),
        ("rate-tanh", "tanh <", "| 1.0+"),
        ("rate-threshold", "threshold <", "| 1.0+"),
        ("rate-relu", "relu <", "| 2.0+"),
    ] {
        let (rows, text) = ascii_screen(preset, 100, Pane::Activation, (80, 24));
        let row = rows
            .iter()
            .find(|r| r.contains(name))
            .unwrap_or_else(|| panic!("{preset}: {name}\n{text}"));
        assert!(
            row.starts_with(tick),
            "{preset}: {name} on its end's row\n{text}"
        );
    }
}

/// A rate network's activities on the scope, in ASCII at 80x24 without
/// colour: each trace is named on its own row, by its end (the traces are
/// flat there), not a row off, where in this pane a row is a sixth of the
/// range (rate-logistic's `#0 x` stood a row above its trace, rate-tanh's
/// were a row off where nothing was past them). Each neuron's trace keeps
/// its pattern (`*` `+` `.` `=` `~` for #0 to #4), so the name's row holds
/// a run of it.
#[test]
fn a_rate_networks_traces_are_named_on_their_own_rows() {
    for (preset, names) in [
        (
            "rate-tanh",
            &["#0 b=-2", "#1 b=-1", "#2 b=0", "#3 b=1", "#4 b=2"][..],
        ),
        ("rate-logistic", &["#0 x", "#1 y"][..]),
    ] {
        let (rows, text) = ascii_screen(preset, 1000, Pane::Scope, (80, 24));
        let pane = rows
            .iter()
            .position(|r| r.contains("activities y"))
            .unwrap_or_else(|| panic!("{preset}\n{text}"));
        for (k, name) in names.iter().enumerate() {
            let pattern = ["*****", "+++++", ".....", "=====", "~~~~~"][k];
            let row = rows[pane..pane + 10]
                .iter()
                .find(|r| {
                    r.contains(&format!("{name}{}", &pattern[..1]))
                        || r.ends_with(&format!("{name} |"))
                })
                .unwrap_or_else(|| panic!("{preset}: {name}\n{text}"));
            assert!(
                row.contains(pattern),
                "{preset}: {name} off its trace\n{text}"
            );
        }
    }
}

/// Curves ending in one cell are named in a list with a blank between the
/// names, also where a third curve's cell lay between them: in ASCII it
/// joined them, HH's tau_x at 60x16 read `tau_h=tau_m` (an equation) and
/// its currents at 80x24 `I_L*I_K`. So are a mark and a name a cell from
/// it: the phase planes read `o+stable focus` and `o*rest`.
#[test]
fn names_stand_apart_from_names_and_marks_by_a_blank() {
    for (preset, size, name) in [
        ("hh-ttx", (80, 24), "stable focus"),
        ("lif-ramp", (60, 16), "rest"),
    ] {
        let (_, text) = ascii_screen(preset, 6000, Pane::Phase, size);
        assert!(
            text.contains(&format!("o {name}")),
            "{preset}: {name}\n{text}"
        );
        for between in ['*', '+', '.', '=', '~', ':'] {
            let joined = format!("o{between}{name}");
            assert!(!text.contains(&joined), "{preset}: {joined}\n{text}");
        }
    }
    let names = [
        "tau_m", "tau_h", "tau_n", "m_inf", "h_inf", "n_inf", "I_Na", "I_K", "I_L",
    ];
    // In colour too (every curve `*`), where no name carries a key: without
    // colour HH's tau_m, its end under tau_n's `=`, is `(+) tau_m` apart.
    let colour = Theme {
        ascii: true,
        ..Theme::default()
    };
    for (preset, steps, pane, size, list, theme) in [
        (
            "hh-clamp",
            1200,
            Pane::Gates,
            (60, 16),
            "tau_h tau_m",
            colour,
        ),
        (
            "hh-repetitive",
            4000,
            Pane::Scope,
            (80, 24),
            "I_L I_K",
            colour,
        ),
        (
            "hh-repetitive",
            4000,
            Pane::Scope,
            (80, 24),
            "I_L (+) I_K",
            ascii(),
        ),
    ] {
        let mut a = app(preset, steps);
        a.view.pane = pane;
        let text = rows_with(&a, size.0, size.1, &theme).join("\n");
        assert!(text.contains(list), "{preset}: {list}\n{text}");
        for a in names {
            for between in ['*', '+', '.', '=', '~', ':'] {
                let keyed = format!("{a}{between}(");
                assert!(!text.contains(&keyed), "{preset}: {keyed}\n{text}");
            }
            for b in names {
                for between in ['*', '+', '.', '=', '~', ':'] {
                    let joined = format!("{a}{between}{b}");
                    assert!(!text.contains(&joined), "{preset}: {joined}\n{text}");
                }
            }
        }
    }
}

/// In ASCII a name that reads as a number keeps a blank before it: a clamp
/// family's steps, named where their currents end at 10 ms, read `~-30 mV`
/// (about -30 mV) by the end of a curve in `~`, at 60x16 `~30 mV` at the
/// head of a list, and a single clamp's `-40 mV` over its own curve
/// `*-40 mV`; `30 mV` would read `.30 mV` by a curve in `.`.
#[test]
fn a_name_that_reads_as_a_number_keeps_a_blank_from_its_curve() {
    let family = ["-50 mV", "-30 mV", "-10 mV", "10 mV", "30 mV"];
    for (preset, size, names) in [
        ("hh-clamp-family", (80, 24), &family[..]),
        ("hh-clamp-family", (60, 16), &family[..]),
        ("hh-clamp", (80, 24), &["-40 mV"][..]),
    ] {
        let (_, text) = ascii_screen(preset, 6000, Pane::Rate, size);
        for name in names {
            assert!(
                text.contains(&format!(" {name}")),
                "{preset}: {name}\n{text}"
            );
            for before in ['*', '+', '.', '=', '~', ':'] {
                let joined = format!("{before}{name}");
                assert!(!text.contains(&joined), "{preset}: {joined}\n{text}");
            }
        }
    }
}

/// Without colour a clamp family's five steps at 80x24 lie in five rows,
/// and a name by a cell another step's character covers, or a row off its
/// own, carries its curve's key: `-30 mV` stood by the end of the -10 mV
/// step's `.` (its own `+` ended there under it), and read as that one's.
/// Every name is by its own curve or carries its own key; none another's.
#[test]
fn a_clamp_familys_steps_are_told_apart_without_colour() {
    // As drawn without colour: steps 1 to 5 in `*`, `+`, `.`, `=`, `~`.
    let family = [
        ("-50 mV", '*'),
        ("-30 mV", '+'),
        ("-10 mV", '.'),
        ("10 mV", '='),
        ("30 mV", '~'),
    ];
    for size in [(80, 24), (60, 16)] {
        let (rows, text) = ascii_screen("hh-clamp-family", 6000, Pane::Rate, size);
        let top = rows
            .iter()
            .position(|r| r.contains("3500+"))
            .unwrap_or_else(|| panic!("the plot\n{text}"));
        for (name, pattern) in family {
            // ` 10 mV`, not the end of `-10 mV`.
            let places = by_its_curve(&rows, &format!(" {name}"), pattern, top);
            assert!(
                places.len() == 1 && places[0].1,
                "{name} ({pattern}) at {places:?}\n{text}"
            );
        }
        if size == (80, 24) {
            assert!(text.contains("(+) -30 mV"), "{text}");
            insta::assert_snapshot!("clamp_family_keys_ascii_no_colour", text);
        }
    }
    // In colour every step is `*`, and told apart by its colour: no keys.
    let mut a = app("hh-clamp-family", 6000);
    a.view.pane = Pane::Rate;
    let colour = Theme {
        ascii: true,
        ..Theme::default()
    };
    let text = rows_with(&a, 80, 24, &colour).join("\n");
    let keyed = "*+.=~:".chars().any(|c| text.contains(&format!("({c}) ")));
    assert!(text.contains("-30 mV -10 mV") && !keyed, "{text}");
}

/// A triggered scope draws each current in several sweeps, and names the
/// newest: over the older sweeps a name covers its own trace. HH's I_L,
/// about 0, was named on the row of +800 among I_K's peaks (in ASCII at
/// 80x24) or of -800 (100x30), where the older sweeps of the three
/// currents, counted as other curves, left it blank cells only.
#[test]
fn a_triggered_scopes_names_stand_on_their_traces() {
    let mut a = app("hh-repetitive", 8000);
    a.view.trigger = spikescope::view::TriggerMode::Spike;
    for size in [(80, 24), (100, 30)] {
        let (rows, text) = ascii_screen_of(&a, size);
        let row = rows
            .iter()
            .find(|r| r.contains("I_L"))
            .unwrap_or_else(|| panic!("I_L\n{text}"));
        let currents = &row[row.find("||").unwrap_or_else(|| panic!("{text}"))..];
        assert!(currents.starts_with("||   0+"), "I_L off 0\n{text}");
    }
}

/// The activation view at 80x24 in ASCII has eight rows, each a half
/// (from -1.5 to 2): a name a row off its curve misreads it as much as in
/// a shorter plot. Threshold, tanh and logistic end at 1 where z = 4
/// (threshold and tanh were named a row below, at 0.43, when the rows were
/// sevenths of -2..2); arctan ends at 1.33, on the row of 1.5, and was
/// named on the row of 2; now it is named beside its own dots (by its
/// end, or by its start at -1.33 in the row of -1.5). Without colour a
/// name goes by its own character or carries its key: the three ending
/// together at 1 stood as `threshold tanh logistic=` on rate-relu's
/// screen, where relu's dots cover the row of 1 from z = 0.5 to 1,
/// `logistic` before threshold's `=`; on rate-tanh's, where tanh's cover
/// it from z = 0.5 on, `threshold` stood two rows above its end. Each is
/// named by any of its points now, not only those at a few columns: by
/// the end of the run of its own character (`======threshold`,
/// `~logistic`), else keyed (`(+) tanh`).
#[test]
fn the_activation_views_functions_are_named_by_their_own_characters() {
    for (preset, on_one, below_one) in [
        ("network-ei", "======threshold (+) tanh=|", "*logistic "),
        ("rate-relu", "======threshold (+) tanh=|", "~logistic "),
        ("rate-tanh", "***********tanh <*|", "+logistic "),
    ] {
        let (rows, text) = ascii_screen(preset, 100, Pane::Activation, (80, 24));
        let one = row_starting(&rows, "| 1.0+", &text);
        assert!(rows[one].ends_with(on_one), "{preset}\n{text}");
        assert!(rows[one + 1].contains(below_one), "{preset}\n{text}");
        let arctan = rows
            .iter()
            .find(|r| r.contains("arctan"))
            .unwrap_or_else(|| panic!("{preset}: arctan\n{text}"));
        assert!(
            arctan.contains(".arctan") || arctan.contains("arctan."),
            "{preset}: arctan beside its dots\n{text}"
        );
    }
}

/// A key tells a curve from the others shown: where no other curve's
/// character is on the plot, a name needs none. The phase plane of
/// network-populations-augmented's x1, which has no inputs, has its
/// trajectory along s = 0 and its nullcline, s = v - 1.5, below the range:
/// the trajectory's name, a row above it, read `(*) trajectory`, a key
/// for the one curve there is.
#[test]
fn a_curve_alone_on_its_plot_is_named_without_a_key() {
    let (rows, text) = ascii_screen("network-populations-augmented", 8000, Pane::Phase, (80, 24));
    let zero = row_starting(&rows, "|0.0+", &text);
    assert!(rows[zero].contains("**********"), "{text}");
    assert!(
        rows[zero - 1].contains(" trajectory  now"),
        "the name a row above its curve, with no key\n{text}"
    );
    assert!(!text.contains("(*)"), "{text}");
}

/// In ASCII a name that ends in a digit keeps a blank after it: a dotted
/// curve going on from rate-arctan's `#1 b=-1` at 60x16 read `b=-1......`,
/// its dots a decimal point, and `#4 b=2~` read as about 2.
#[test]
fn a_name_ending_in_a_digit_keeps_a_blank_after_it() {
    let name = regex::Regex::new(r"#\d+ b=-?[0-9.]*[0-9](.)").unwrap();
    for preset in ["rate-arctan", "rate-tanh", "rate-lif-rate"] {
        for size in [(60, 16), (80, 24)] {
            let (rows, text) = ascii_screen(preset, 1000, Pane::Scope, size);
            // In the plots' rows (the status line's `#0 b=-2:` is no plot's).
            let plots = rows.iter().filter(|r| r.starts_with('|'));
            let names: Vec<_> = plots.flat_map(|r| name.captures_iter(r)).collect();
            assert!(names.len() >= 5, "{preset} {size:?}\n{text}");
            for c in names {
                assert!(
                    [" ", "|"].contains(&&c[1]),
                    "{preset} {size:?}: {}\n{text}",
                    &c[0]
                );
            }
        }
    }
}
