//! Screens at 80x24 and the smallest, 60x16: overlays that fit, axes that
//! keep their numbers, titles and tables that cut no number, readouts
//! wrapped between words, and below 60x16 a line that says so.

mod common;

use common::drawn::{NO_COLOR, app, ascii_rows, draw, long_path_picker, rows, rows_with, screen};
use spikescope::named::Named;
use spikescope::preset;
use spikescope::ui::app::{App, RunState};
use spikescope::ui::keymap::BINDINGS;
use spikescope::ui::overlay::Overlay;
use spikescope::ui::theme::Theme;
use spikescope::view::{Pane, TriggerMode};

/// At 80x24 the help shows every binding's text whole, and the picker its
/// key hints, the path being typed and the whole error of a failed open.
#[test]
fn overlays_fit_80x24() {
    let mut a = app("hh-repetitive", 10);
    a.overlay = Overlay::Help { page: 0 };
    let text = rows(&a, 80, 24).join("\n");
    for b in BINDINGS.iter().filter(|b| !b.label.is_empty()) {
        assert!(text.contains(b.help), "{:?} cut:\n{text}", b.help);
    }
    a.overlay = Overlay::picker("hh-repetitive");
    let text = rows(&a, 80, 24).join("\n");
    assert!(
        text.contains("Enter open · type name/path · Esc close"),
        "{text}"
    );
    a.overlay = Overlay::Picker {
        index: 0,
        typed: String::new(),
        path: Some("~/my/preset.toml".into()),
        error: Some(
            "error: /home/u/my/preset.toml: cannot read the preset: No such file or directory (os error 2)"
                .into(),
        ),
        note: None,
    };
    let text = rows(&a, 80, 24).join("\n");
    assert!(text.contains("path: ~/my/preset.toml_"), "{text}");
    let words: Vec<&str> = text.split_whitespace().collect();
    let whole = words.join(" ").replace("│ ", "");
    assert!(
        whole.contains("No such file or directory (os error 2)"),
        "{text}"
    );
    // A path longer than the line shows its end, where the typing is.
    a.overlay = long_path_picker();
    let text = rows(&a, 80, 24).join("\n");
    let row = text
        .lines()
        .find(|r| r.contains(" path: …"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(row.ends_with("folder/end-of-it.toml_│"), "{row}");
}

/// The guidance shown at the foot of the scope when a preset opens gives
/// its first lines word for word, none cut by the box's border, at 80x24
/// and 200x50 and for a preset whose guidance fills whole lines.
#[test]
fn the_guide_banner_shows_whole_words() {
    for (name, w, h) in [
        ("hh-repetitive", 80, 24),
        ("hh-repetitive", 200, 50),
        ("network-abc", 80, 24),
        ("psc-orders", 80, 24),
    ] {
        let mut a = App::new(preset::load(name, &[]).unwrap());
        a.run = RunState::Paused;
        assert!(a.guide_shown());
        let rows = rows(&a, w, h);
        let top = rows
            .iter()
            .position(|r| r.contains("┌ look at "))
            .expect("the banner's title");
        // The box's columns, from its title row's corners.
        let title: Vec<char> = rows[top].chars().collect();
        let left = title.iter().position(|&c| c == '┌').unwrap();
        let right = left + title[left..].iter().position(|&c| c == '┐').unwrap();
        let inside: Vec<String> = rows[top + 1..]
            .iter()
            .map(|r| r.chars().collect::<Vec<char>>())
            .take_while(|r| r[left] == '│')
            .map(|r| {
                assert_eq!(r[right], '│');
                r[left + 1..right].iter().collect()
            })
            .collect();
        // The last line says how to read the rest.
        let shown: Vec<&str> = inside[..inside.len() - 1]
            .iter()
            .flat_map(|r| r.split_whitespace())
            .collect();
        let guide: Vec<&str> = a.preset.guide.split_whitespace().collect();
        assert!(shown.len() > 10, "{name} {w}x{h}: {inside:#?}");
        assert_eq!(
            shown,
            guide[..shown.len()],
            "{name} at {w}x{h}:\n{}",
            rows.join("\n")
        );
    }
}

#[test]
fn too_small_says_so() {
    let a = app("hh-repetitive", 10);
    let s = screen(&a, 40, 10);
    assert!(s.contains("spikescope needs 60x16 (now 40x10)"), "{s}");
    // Degenerate sizes draw without panicking.
    for (w, h) in [
        (0, 0),
        (1, 1),
        (20, 5),
        (300, 1),
        (1, 300),
        (59, 16),
        (60, 15),
        (60, 16),
    ] {
        let t = draw(&a, w, h, &Theme::default());
        assert_eq!(t.backend().buffer().area.width, w);
    }
    let s = screen(&a, 20, 5);
    assert!(s.contains("need 60x16"), "{s}");
    let s = screen(&a, 30, 5);
    assert!(s.contains("need 60x16 (now 30x5)"), "{s}");
}

/// Networks with several neurons keep their v pane's axes at 80x24.
#[test]
fn network_panes_keep_their_axes_at_80x24() {
    for name in ["network-wta", "network-ei", "network-populations"] {
        let mut a = app(name, 3000);
        a.view.pane = Pane::Scope;
        let screen = rows(&a, 80, 24);
        let text = screen.join("\n");
        assert!(text.contains("1.0┤"), "{name}: the threshold tick\n{text}");
        assert!(text.contains("0.0┤"), "{name}: the reset tick\n{text}");
        assert!(text.contains("ms from"), "{name}: the time axis\n{text}");
    }
}

/// A network beyond 100,000 neurons (the cap of before): at 80x24 the
/// weights view shows the last neuron's row with its bias, and says where
/// its window is in words that fit, never cut.
#[test]
fn the_weights_of_a_network_of_200000_neurons_fit_80x24() {
    use spikescope::model::AnyModel;
    use spikescope::ui::format::fit_number;
    let sets = [
        "network.random.n=200000".to_string(),
        "network.random.p=1e-9".to_string(),
    ];
    let mut a = App::new(preset::load("network-benchmark", &sets).unwrap());
    a.guide_until = None;
    a.run = RunState::Paused;
    a.view.pane = Pane::Weights;
    let last = 199_999;
    a.select(last);
    let AnyModel::Network(net) = &a.sim.model else {
        panic!()
    };
    let bias = fit_number(net.bias()[last], 8);
    let screen = rows(&a, 80, 24);
    let text = screen.join("\n");
    let row = screen
        .iter()
        .find(|r| r.starts_with(&format!("│#{last} ")))
        .unwrap_or_else(|| panic!("row {last}:\n{text}"));
    assert!(
        row.trim_end_matches('│')
            .trim_end()
            .ends_with(&format!(" {bias}")),
        "{text}"
    );
    let place = screen
        .iter()
        .find(|r| r.contains("200000 x 200001: rows "))
        .unwrap_or_else(|| panic!("no place line:\n{text}"));
    let place = place.trim_matches('│').trim_end();
    assert!(
        place.ends_with("and b; Tab, g: select") || place.ends_with("and b"),
        "{text}"
    );
}

/// No box's title is cut at 80x24, in any view of any bundled preset: a
/// title ends with a space before the border goes on (a cut one runs into
/// the corner, as "z of the first 5┐" did).
#[test]
fn no_title_is_cut_at_80x24() {
    for (name, (w, h)) in spikescope::preset::bundled::names()
        .flat_map(|name| [(80, 24), (60, 16)].map(|size| (name, size)))
    {
        let mut a = app(name, 200);
        for &pane in Pane::ALL {
            a.view.pane = pane;
            let screen = rows(&a, w, h);
            for row in screen.iter().filter(|r| r.contains('┌')) {
                let chars: Vec<char> = row.chars().collect();
                for (k, _) in chars.iter().enumerate().filter(|(_, c)| **c == '┐') {
                    // The top border from its corner: the title, then at
                    // least one dash of border before the corner or the
                    // legend (a title cut at a space has none).
                    let open = chars[..k].iter().rposition(|c| *c == '┌').unwrap_or(0);
                    let top = &chars[open + 1..k];
                    assert!(
                        k > 0 && matches!(chars[k - 1], '─' | ' ') && top.contains(&'─'),
                        "{name}, view {}, {w}x{h}: a title runs into its corner:\n{}",
                        pane.name(),
                        screen.join("\n")
                    );
                }
            }
        }
    }
}

/// Every time axis on the scope at 80x24 and 60x16, of every bundled
/// preset and in every sweep mode, carries numbers: under it, or, where the
/// pane has no row for them (a network's three panes, the HH gates), in the
/// axis line at the ticks; where the title leaves too little room, it is
/// shortened.
#[test]
fn every_time_axis_has_numbers_at_80x24_and_60x16() {
    let numbers = |cells: &[char]| {
        let text: String = cells.iter().collect();
        text.split(|c: char| !c.is_ascii_digit() && c != '.')
            .filter(|w| w.parse::<f64>().is_ok())
            .count()
    };
    let mut axes = 0;
    for (name, trigger) in spikescope::preset::bundled::names().flat_map(|name| {
        [
            TriggerMode::Free,
            TriggerMode::Roll,
            TriggerMode::Spike,
            TriggerMode::Single,
        ]
        .map(|t| (name, t))
    }) {
        let mut a = app(name, 2000);
        if a.view.pane != Pane::Scope {
            continue;
        }
        a.view.trigger = trigger;
        for (w, h) in [(80, 24), (60, 16)] {
            let screen: Vec<Vec<char>> =
                rows(&a, w, h).iter().map(|r| r.chars().collect()).collect();
            for (k, row) in screen.iter().enumerate() {
                let text: String = row.iter().collect();
                // Axis lines: from a corner to the title after the last tick
                // ("ms from 100 ms", "t (s)"), each pane's in turn.
                for corner in (0..row.len()).filter(|&c| row[c] == '└') {
                    let title = (corner..row.len())
                        .find(|&c| {
                            row[c] != '─'
                                && row[c] != '┴'
                                && row[c] != '└'
                                && !row[c].is_ascii_digit()
                                && row[c] != ' '
                                && row[c] != '.'
                                && row[c] != '-'
                        })
                        .unwrap_or(row.len());
                    if title == row.len() || row[title] == '┘' {
                        continue; // a box's bottom border
                    }
                    // A title in the axis line keeps a space from the
                    // line's last dash or tick ("┴ms from 0 ms" read as one).
                    assert!(
                        !row[title].is_alphabetic() || row[title - 1] == ' ',
                        "{name}, {trigger:?}, {w}x{h}: {text}"
                    );
                    let on_line = numbers(&row[corner..title]);
                    let under = screen.get(k + 1).map_or(0, |r| numbers(&r[corner..title]));
                    assert!(
                        on_line.max(under) >= 2,
                        "{name}, {trigger:?}, {w}x{h}: a time axis without numbers ({text}):\n{}",
                        screen
                            .iter()
                            .map(|r| r.iter().collect::<String>())
                            .collect::<Vec<_>>()
                            .join("\n")
                    );
                    axes += 1;
                }
            }
        }
    }
    assert!(axes > 40, "{axes} axes");
}

/// At the smallest size the oscilloscope draws (60x16), no view of any
/// bundled preset draws a box with nothing inside: a pane without room is
/// left out, and the others take its rows.
#[test]
fn no_box_is_empty_at_60x16() {
    for name in spikescope::preset::bundled::names() {
        let mut a = app(name, 2000);
        for &pane in Pane::ALL {
            a.view.pane = pane;
            let screen: Vec<Vec<char>> = rows(&a, 60, 16)
                .iter()
                .map(|r| r.chars().collect())
                .collect();
            for (k, row) in screen.iter().enumerate() {
                for (c, _) in row.iter().enumerate().filter(|(_, ch)| **ch == '┌') {
                    let below = screen.get(k + 1).and_then(|r| r.get(c));
                    assert!(
                        below != Some(&'└'),
                        "{name}, view {}: an empty box:\n{}",
                        pane.name(),
                        screen
                            .iter()
                            .map(|r| r.iter().collect::<String>())
                            .collect::<Vec<_>>()
                            .join("\n")
                    );
                }
            }
        }
    }
}

/// The populations' table on a narrow screen loses whole columns from the
/// right, never part of a number: at 60x16 every number in it is one the
/// table shows whole at 120 columns, and a line says what is left out.
#[test]
fn a_narrow_weights_table_cuts_no_number() {
    let numbers = |rows: &[String]| -> Vec<String> {
        rows.iter()
            .skip_while(|r| !r.contains("x1"))
            .take(5)
            .flat_map(|r| {
                r.split(['│', ' '])
                    .filter(|w| w.parse::<f64>().is_ok())
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    for name in ["network-populations", "network-populations-augmented"] {
        let mut a = app(name, 3000);
        a.view.pane = Pane::Weights;
        let wide = numbers(&rows(&a, 120, 30));
        let narrow_rows = rows(&a, 60, 16);
        let narrow = numbers(&narrow_rows);
        assert!(narrow.len() >= 9, "{name}: {narrow:?}");
        for n in &narrow {
            assert!(
                wide.contains(n),
                "{name}: {n} cut:\n{}",
                narrow_rows.join("\n")
            );
        }
        assert!(
            narrow_rows
                .iter()
                .any(|r| r.contains("(z, the engine's z: on a wider screen)")),
            "{name}:\n{}",
            narrow_rows.join("\n")
        );
    }
}

/// Every number in the populations table stands apart from its neighbours:
/// at 1.225 s of network-populations-augmented, y3's z is -0.06108, eight
/// characters, and it read `1-0.06108` against the constant-1 input.
#[test]
fn the_populations_table_keeps_its_numbers_apart() {
    let mut a = app("network-populations-augmented", 12250);
    a.view.pane = Pane::Weights;
    for (w, h) in [(80, 24), (120, 30), (200, 50)] {
        let screen = rows(&a, w, h);
        let table: Vec<&String> = screen
            .iter()
            .skip_while(|r| !r.contains("x1"))
            .take(5)
            .collect();
        let mut numbers = 0;
        for row in &table {
            for word in row.split(['│', ' ']).filter(|w| !w.is_empty()) {
                let label = word.starts_with('#')
                    || [
                        "x1", "x2", "y1", "y2", "y3", "[x;", "1]", "z", "s", "+", "b",
                    ]
                    .contains(&word);
                assert!(
                    label || word.parse::<f64>().is_ok(),
                    "{w}x{h}: {word:?} in\n{}",
                    screen.join("\n")
                );
                numbers += usize::from(!label);
            }
        }
        // Three rows of 2 weights, a bias, an input, z and s + b; the
        // constant-1 node's name (`1`, on the third row) and the header's
        // `1` column.
        assert_eq!(numbers, 3 * 6 + 1 + 1, "{w}x{h}:\n{}", screen.join("\n"));
    }
}

/// The SoftMax table's numbers stand apart whatever their sign and size:
/// biases a little below 0 gave z = -0.01234 and the like, eight characters
/// that filled their cell and ran into the one before.
#[test]
fn the_softmax_table_keeps_its_numbers_apart() {
    let sets = ["rate.bias = [-0.01234, -0.001234, -0.0001234, -2.5, 12345.6]".to_string()];
    let mut a = App::new(preset::load("rate-softmax", &sets).unwrap());
    a.guide_until = None;
    a.advance(200);
    a.run = RunState::Paused;
    let text = rows(&a, 80, 24).join("\n");
    let z_row = text
        .lines()
        .find(|l| l.contains("│ z "))
        .unwrap_or_else(|| panic!("no z row:\n{text}"));
    let numbers: Vec<f64> = z_row
        .trim_matches('│')
        .split_whitespace()
        .skip(1)
        .map(|w| w.parse().unwrap_or_else(|_| panic!("{w:?} in {z_row}")))
        .collect();
    assert_eq!(numbers.len(), 5, "{z_row}");
    let want = [-0.01234, -0.001234, -0.0001234, -2.5, 12345.6];
    // Four significant digits where they fit, never fewer than two.
    for (shown, z) in numbers.iter().zip(want) {
        assert!(
            (shown - z).abs() <= 0.05 * z.abs(),
            "{shown} for {z}: {z_row}"
        );
    }
    assert!(
        z_row.contains("-0.01234") && z_row.contains("-0.00123"),
        "{z_row}"
    );
}

/// On a short screen the activation view keeps what its preset is about:
/// for SoftMax and One-Hot networks the whole table (at 60x16 its SoftMax
/// and One-Hot rows had no room under the plot), for the others the plot.
#[test]
fn a_short_activation_view_keeps_what_the_preset_is_about() {
    for name in ["rate-softmax", "rate-onehot"] {
        let a = app(name, 200);
        let text = rows(&a, 60, 16).join("\n");
        for row in ["SoftMax(z)  0.01166", "One-Hot(z)", "y (live)"] {
            assert!(text.contains(row), "{name}: {row}\n{text}");
        }
    }
    let a = app("rate-tanh", 200);
    let text = rows(&a, 60, 16).join("\n");
    assert!(
        text.contains("tanh ◀") && !text.contains("SoftMax(z)"),
        "{text}"
    );
}

/// A readout longer than its line wraps between words rather than being
/// cut at the border: the network phase plane's at 60x16.
#[test]
fn a_long_readout_wraps_between_words() {
    let mut a = app("network-abc", 2000);
    a.view.pane = Pane::Phase;
    let text = rows(&a, 60, 16).join("\n");
    // The readout's words, read across its lines.
    let words: Vec<&str> = text
        .lines()
        .skip(2)
        .take(2)
        .flat_map(|l| l.trim_matches('│').split_whitespace())
        .collect();
    assert!(
        words
            .windows(6)
            .any(|w| w == ["and", "resets", "to", "0", "at", "1"]),
        "{text}"
    );
}

/// What the command line set and what the panel changed both stand in the
/// header at 80 columns, the preset's name cut to make room: hh-repetitive
/// started with `--set hh.temperature=10`, g_K then changed, showed
/// `changed: g_k` beside the whole name and nothing of the temperature.
#[test]
fn the_header_keeps_what_was_set_and_changed_at_80_columns() {
    use spikescope::preset::PresetSource;
    use spikescope::ui::command::Command;
    let sets = ["hh.temperature=10".to_string()];
    let mut a = App::from_source(PresetSource::resolve("hh-repetitive", &sets).unwrap()).unwrap();
    a.guide_until = None;
    a.apply(Command::OpenParams);
    a.apply(Command::MoveParam(-100));
    a.apply(Command::MoveParam(1));
    a.apply(Command::EditParam);
    a.apply(Command::SetParam("30".into()));
    a.apply(Command::Back);
    a.advance(10);
    a.run = RunState::Paused;
    assert_eq!(a.changed, [("hh.g_k".to_string(), "30".to_string())]);
    let header = &ascii_rows(&a)[0];
    assert_eq!(
        header,
        " spikescope - HH: repetitiv...  Hodgkin-Huxley | changed: g_k | set: temperature"
    );
    // Where the whole name fits beside them, it stays whole.
    let header = &rows_with(&a, 100, 24, &NO_COLOR)[0];
    assert!(
        header.starts_with(" spikescope ─ HH: repetitive firing  "),
        "{header}"
    );
    assert!(
        header.ends_with("changed: g_k · set: temperature · 1 neuron"),
        "{header}"
    );
}

/// A list that scrolls in its box says in its bottom border which rows show
/// of how many and where the rest lie: at 60x16 HH's parameters showed eight
/// rows of ten, and nothing said TTX and TEA lay below; the preset list
/// shows eleven of its presets.
#[test]
fn a_list_longer_than_its_box_says_where_the_rest_lie() {
    use spikescope::ui::command::Command;
    let mut a = app("hh-repetitive", 10);
    a.apply(Command::OpenParams);
    // The rows' names, and the bottom border.
    let shown = |a: &App| {
        let r = rows(a, 60, 16);
        let top = r.iter().position(|l| l.contains("parameters")).unwrap();
        let bottom = top + r[top..].iter().position(|l| l.starts_with('└')).unwrap();
        let names: Vec<String> = r[top + 1..bottom]
            .iter()
            .map(|l| {
                l.chars()
                    .skip(4)
                    .take_while(|c| *c != ' ' && *c != ':')
                    .collect()
            })
            .collect();
        (names.join(" "), r[bottom].clone())
    };
    // The rows shown after each move, and what the border says of them.
    for (moved, list, border) in [
        (0, "g_Na g_K g_L E_Na E_K E_L C T", "1-8 of 10 · more below"),
        (9, "g_L E_Na E_K E_L C T TTX TEA", "3-10 of 10 · more above"),
        (
            -1,
            "g_K g_L E_Na E_K E_L C T TTX",
            "2-9 of 10 · more above and below",
        ),
        (
            -4,
            "g_Na g_K g_L E_Na E_K E_L C T",
            "1-8 of 10 · more below",
        ),
    ] {
        a.apply(Command::MoveParam(moved));
        let (shown_list, shown_border) = shown(&a);
        assert_eq!(shown_list, list);
        let said = format!("└ {border} ─");
        assert!(shown_border.starts_with(&said), "{said}\n{shown_border}");
    }
    // Where every row shows, the border says nothing.
    let text = rows(&a, 80, 24).join("\n");
    assert!(!text.contains(" of 10 "), "{text}");

    a.overlay = Overlay::picker("hh-repetitive");
    let r = rows(&a, 60, 16);
    let names = preset::bundled::names().collect::<Vec<_>>();
    let listed = r
        .iter()
        .map(|l| l.chars().skip(2).collect::<String>())
        .filter(|l| names.iter().any(|n| l.starts_with(&format!("{n} "))))
        .count();
    let border = r.iter().rev().find(|l| l.starts_with('└')).unwrap();
    let said = format!("└ 1-{listed} of {} · more below ─", names.len());
    assert!(border.starts_with(&said), "{said}\n{}", r.join("\n"));
}
