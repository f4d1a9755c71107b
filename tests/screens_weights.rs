//! The weights view of a network wider than the screen: under the window of
//! [W | b], the selected neuron's row of W (who sends to it) and its column
//! (whom it sends to), read off the screen and checked against the
//! engine's dense matrix, at 80x24 and 200x50, in Unicode and in ASCII.

mod common;

use common::drawn::{NO_COLOR, app, rows_with};
use spikescope::model::AnyModel;
use spikescope::preset::PresetSource;
use spikescope::ui::app::App;
use spikescope::ui::command::Command;
use spikescope::ui::format::{compact, fit_number};
use spikescope::ui::overlay::Overlay;
use spikescope::ui::theme::Theme;
use spikescope::view::Pane;

/// What the screen lists under a heading: the heading, the entries
/// (neuron, weight as written) and how many it says are left out.
struct Listed {
    heading: String,
    entries: Vec<(usize, String)>,
    more: usize,
}

fn listed(rows: &[String], starts: &str) -> Listed {
    let inside = |r: &String| {
        r.trim_start_matches(['│', '|'])
            .trim_end_matches(['│', '|'])
            .to_string()
    };
    let at = rows
        .iter()
        .position(|r| inside(r).starts_with(starts))
        .unwrap_or_else(|| panic!("{starts:?} in\n{}", rows.join("\n")));
    let mut out = Listed {
        heading: inside(&rows[at]).trim_end().to_string(),
        entries: Vec::new(),
        more: 0,
    };
    for row in rows[at + 1..].iter().map(inside) {
        if !row.starts_with(" #") && !row.starts_with(" …") && !row.starts_with(" ...") {
            break;
        }
        let words: Vec<&str> = row.split_whitespace().collect();
        let mut k = 0;
        while k < words.len() {
            if let Some(j) = words[k].strip_prefix('#') {
                out.entries
                    .push((j.parse().unwrap(), words[k + 1].to_string()));
                k += 2;
            } else {
                assert!(
                    ["…", "..."].contains(&words[k]) && words[k + 2] == "more",
                    "{row}"
                );
                out.more = words[k + 1].parse().unwrap();
                k += 3;
            }
        }
    }
    out
}

/// Each neuron and weight listed is the dense matrix's, in order; with the
/// ones left out, there are as many as the matrix has not 0, as the
/// heading says, with their sum.
fn agrees(l: &Listed, matrix: &[(usize, f64)], word: &str, sizes: &str) {
    let expected: Vec<(usize, String)> =
        matrix.iter().map(|&(j, w)| (j, fit_number(w, 8))).collect();
    assert_eq!(l.entries, expected[..l.entries.len()], "{sizes}");
    assert_eq!(l.entries.len() + l.more, matrix.len(), "{sizes}");
    let sum: f64 = matrix.iter().map(|&(_, w)| w).sum();
    let says = format!(
        "{word} {} neurons, weights summing to {}",
        matrix.len(),
        compact(sum)
    );
    assert!(l.heading.ends_with(&says), "{says:?}: {}", l.heading);
}

#[test]
fn the_selected_neurons_row_and_column_are_the_engines() {
    let mut a = app("network-benchmark", 10);
    a.apply(Command::ShowPane(Pane::Weights));
    let AnyModel::Network(net) = &a.sim.model else {
        panic!()
    };
    let dense = net.connections().to_dense();
    let ascii = Theme {
        ascii: true,
        ..NO_COLOR
    };
    for i in [0, 2, 500, 999] {
        a.apply(Command::Select(i));
        let row: Vec<(usize, f64)> = (0..1000)
            .map(|j| (j, dense[i][j]))
            .filter(|&(_, w)| w != 0.0)
            .collect();
        let column: Vec<(usize, f64)> = (0..1000)
            .map(|k| (k, dense[k][i]))
            .filter(|&(_, w)| w != 0.0)
            .collect();
        for (w, h, theme) in [
            (80, 24, Theme::default()),
            (80, 24, ascii),
            (200, 50, Theme::default()),
        ] {
            let rows = rows_with(&a, w, h, &theme);
            let sizes = format!("#{i} at {w}x{h}:\n{}", rows.join("\n"));
            let into = listed(&rows, &format!("row #{i} (into #{i}): "));
            agrees(&into, &row, "from", &sizes);
            let out = listed(&rows, &format!("column #{i} (from #{i}): "));
            agrees(&out, &column, "to", &sizes);
            // A large screen lists them all; 80x24 what fits, the rest
            // counted.
            if h == 50 {
                assert_eq!(into.more + out.more, 0, "{sizes}");
            } else {
                assert!(
                    into.entries.len() >= 10 && out.entries.len() >= 10,
                    "{sizes}"
                );
            }
            // The window of [W | b] keeps the selected row above them.
            let label = format!("#{i} ");
            let shown = |r: &String| r.trim_start_matches(['│', '|']).starts_with(&label);
            assert!(rows.iter().any(shown), "{sizes}");
        }
    }
}

/// A network whose whole row fits the screen lists nothing under it: the
/// row is in the matrix.
#[test]
fn a_matrix_as_wide_as_the_screen_lists_no_row() {
    let mut a = app("network-wta", 10);
    a.apply(Command::ShowPane(Pane::Weights));
    let text = rows_with(&a, 80, 24, &Theme::default()).join("\n");
    assert!(
        text.contains("[W | b]") && !text.contains("row #0 (into"),
        "{text}"
    );
}

/// The 80x24 screen of the benchmark network's weights, its listing under
/// the window.
#[test]
fn the_weights_of_a_large_network_at_80x24() {
    let mut a = app("network-benchmark", 10);
    a.apply(Command::ShowPane(Pane::Weights));
    a.apply(Command::Select(500));
    insta::assert_snapshot!(rows_with(&a, 80, 24, &NO_COLOR).join("\n"));
}

/// A weight changed in the panel is listed at once: the view keeps the row
/// it last read only while the weights it read are the network's.
#[test]
fn a_weight_changed_in_the_panel_is_listed_at_once() {
    // Each neuron i has one sender, i + 1.
    let n = 12;
    let mut a = network_from_file(n, |i, j| j == (i + 1) % n, |_| "1.5");
    a.apply(Command::ShowPane(Pane::Weights));
    a.apply(Command::Select(2));
    let listed_now = |a: &App| listed(&rows_with(a, 80, 24, &NO_COLOR), "row #2 (into #2)").entries;
    assert_eq!(listed_now(&a), [(3, "0.01".to_string())]);
    // The panel's rows of incoming weights start at its sixth: w from #7.
    a.apply(Command::OpenParams);
    a.apply(Command::MoveParam(-100));
    a.apply(Command::MoveParam(5 + 7));
    a.apply(Command::EditParam);
    a.apply(Command::SetParam("0.04".into()));
    a.overlay = Overlay::None;
    let AnyModel::Network(net) = &a.sim.model else {
        panic!()
    };
    assert_eq!(net.connections().weight(2, 7), 0.04);
    assert_eq!(
        listed_now(&a),
        [(3, "0.01".to_string()), (7, "0.04".to_string())]
    );
}

/// A network of two populations from a file: X = neurons 0..nx, each
/// sending 0.01 to every Y neuron, nx..nx + ny; biases 1.5 in X, 0.5 in Y.
fn populations(nx: usize, ny: usize) -> App {
    let bias = move |i: usize| if i < nx { "1.5" } else { "0.5" };
    network_from_file(nx + ny, |i, j| i >= nx && j < nx, bias)
}

/// The oscilloscope on a network of n neurons read from a preset file
/// (so that the panel may change its weights): w_ij = 0.01 where
/// `connected(i, j)`, else 0, and b_i as `bias(i)` writes it.
fn network_from_file(
    n: usize,
    connected: impl Fn(usize, usize) -> bool,
    bias: impl Fn(usize) -> &'static str,
) -> App {
    let matrix: Vec<String> = (0..n)
        .map(|i| {
            let row: Vec<&str> = (0..n)
                .map(|j| if connected(i, j) { "0.01" } else { "0.0" })
                .collect();
            format!("[{}]", row.join(", "))
        })
        .collect();
    let bias: Vec<&str> = (0..n).map(bias).collect();
    let text = format!(
        "model = \"network\"\n[network]\nweights = [{}]\nbias = [{}]\n",
        matrix.join(", "),
        bias.join(", ")
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("network.toml");
    std::fs::write(&path, text).unwrap();
    let source = PresetSource::resolve(path.to_str().unwrap(), &[]).unwrap();
    let mut a = App::from_source(source).unwrap();
    a.guide_until = None;
    a
}

/// Two populations whose W and b are wider than the screen are drawn as a
/// window of [W | b], its cut columns marked and b whole; where they fit,
/// as the notes write them (W (M x N), b). The populations' table had lost
/// its last columns and b without a mark.
#[test]
fn populations_wider_than_the_screen_are_drawn_as_a_window() {
    let mut a = populations(10, 10);
    a.apply(Command::ShowPane(Pane::Weights));
    a.apply(Command::Select(12));
    let narrow = rows_with(&a, 80, 24, &NO_COLOR);
    let text = narrow.join("\n");
    assert!(
        text.contains("[W | b]: row i post") && !text.contains("W (10 x 10)"),
        "{text}"
    );
    // The header under the title: columns cut either side, then b.
    let header = narrow[2].trim_end_matches('│').trim_end();
    assert!(
        header.contains(" … ") && header.ends_with("… │   b"),
        "{text}"
    );
    let row = listed(&narrow, "row #12 (into #12)");
    let senders: Vec<(usize, String)> = (0..10).map(|j| (j, "0.01".to_string())).collect();
    assert_eq!(row.entries, senders, "{text}");
    let wide = rows_with(&a, 130, 30, &NO_COLOR).join("\n");
    assert!(wide.contains("W (10 x 10), b: z = W x + b"), "{wide}");
    assert!(!wide.contains("row #12 (into"), "{wide}");
}

/// Two populations with more Y neurons than the screen has rows show those
/// around the selected one, and say which: the table's last rows, the
/// selected one among them, were cut without a mark.
#[test]
fn a_populations_table_taller_than_the_screen_keeps_the_selected_row() {
    let mut a = populations(3, 40);
    a.advance(3000);
    a.apply(Command::ShowPane(Pane::Weights));
    a.apply(Command::Select(38));
    let rows = rows_with(&a, 80, 24, &NO_COLOR);
    let text = rows.join("\n");
    assert!(text.contains("W (40 x 3), b: z = W x + b"), "{text}");
    let selected = rows
        .iter()
        .find(|r| r.starts_with("│#38 "))
        .unwrap_or_else(|| panic!("#38 in view:\n{text}"));
    // Its z from W and the live x (80 columns leave out the engine's
    // beside it) is the engine's s + b.
    let AnyModel::Network(net) = &a.sim.model else {
        panic!()
    };
    let engine = fit_number(net.synaptic_current(38) + net.bias()[38], 8);
    let numbers: Vec<&str> = selected.trim_matches('│').split_whitespace().collect();
    assert_eq!(numbers.last(), Some(&engine.as_str()), "{selected}");
    let place = rows
        .iter()
        .find(|r| r.contains(" Y neurons #"))
        .unwrap_or_else(|| panic!("where the rows are:\n{text}"));
    assert!(
        place.contains(" of 40; Tab or g moves the selected row"),
        "{place}"
    );
}

/// From 160 columns a network's scope has its [W | b] beside the traces
/// (the design's side pane), the selected row marked in reverse video and
/// its numbers the engine's; without the weighted sums over time, whose
/// time axis is not the traces'. Narrower, or for one neuron, the traces
/// take the width.
#[test]
fn a_wide_scope_has_the_weights_beside_the_traces() {
    use ratatui::style::Modifier;
    let a = app("network-abc", 3000);
    assert_eq!(a.view.pane, Pane::Scope);
    let t = common::drawn::draw(&a, 200, 50, &NO_COLOR);
    let buf = t.backend().buffer();
    let rows = rows_with(&a, 200, 50, &NO_COLOR);
    // The traces' box and the weights' side by side on one row.
    let top = &rows[1];
    let (v, w) = (
        top.find("v of #2 C").unwrap(),
        top.find("W (1 x 2), b: z = W x + b").unwrap(),
    );
    assert!(v < w, "{top}");
    let AnyModel::Network(net) = &a.sim.model else {
        panic!()
    };
    let dense = net.connections().to_dense();
    let row = rows
        .iter()
        .position(|r| r.contains("│#2 C "))
        .unwrap_or_else(|| panic!("{}", rows.join("\n")));
    let want = format!(
        "#2 C {:>8} {:>8} {:>10}",
        fit_number(dense[2][0], 8),
        fit_number(dense[2][1], 8),
        compact(net.bias()[2])
    );
    assert!(rows[row].contains(&want), "{want}\n{}", rows[row]);
    // The selected row (#2 C) in reverse video, from its label on.
    let col = rows[row][..rows[row].find("#2 C").unwrap()].chars().count() as u16;
    assert!(
        buf[(col, row as u16)]
            .style()
            .add_modifier
            .contains(Modifier::REVERSED),
        "{}",
        rows[row]
    );
    assert!(
        !rows.iter().any(|r| r.contains("x_j(t) =")),
        "{}",
        rows.join("\n")
    );
    for (a, w) in [
        (app("network-abc", 3000), 159),
        (app("hh-repetitive", 3000), 200),
    ] {
        let rows = rows_with(&a, w, 50, &NO_COLOR);
        assert!(
            !rows.iter().any(|r| r.contains("W (")),
            "{}",
            rows.join("\n")
        );
    }
    // A rate network's too.
    let a = app("rate-logistic", 300);
    let rows = rows_with(&a, 160, 40, &NO_COLOR);
    assert!(
        rows[1].contains("activities y") && rows[1].contains("W (1 x 1), b"),
        "{}",
        rows[1]
    );
}

/// A network without connections says so under its matrix of zeros
/// (rate-softmax's W is the engine's zeros): the rows below were left
/// blank, a picture that seemed not to draw. A weight set in the panel
/// brings the picture back.
#[test]
fn a_network_without_connections_says_so_under_its_zeros() {
    let mut a = app("rate-softmax", 10);
    a.apply(Command::ShowPane(Pane::Weights));
    let AnyModel::Rate(r) = &a.sim.model else {
        panic!("rate-softmax is a rate network");
    };
    assert!(r.weights.iter().flatten().all(|&w| w == 0.0));
    let rows = rows_with(&a, 80, 24, &NO_COLOR);
    let text = rows.join("\n");
    assert!(
        text.contains(
            "│ connections (notes 1.3.4): none, every weight is 0: no neuron's input comes  │\n\
             │ from another"
        ),
        "{text}"
    );
    let AnyModel::Rate(r) = &mut a.sim.model else {
        unreachable!()
    };
    r.weights[0][1] = 0.5;
    let text = rows_with(&a, 80, 24, &NO_COLOR).join("\n");
    assert!(!text.contains("none, every weight is 0"), "{text}");
    // One weight, from #1 to #0: two populations of one neuron each.
    assert!(text.contains("b=-1 ── w_11 = 0.5 ─────▶ b=-2"), "{text}");
}
