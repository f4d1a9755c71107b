//! Screens of rate networks of many neurons at 80x24: the SoftMax table
//! around the selected neuron, and the scope's traces, where past eight
//! only the selected one is named, drawn over the others and bold, and past
//! the first 32 the selected one is recorded and drawn too.
#![allow(clippy::disallowed_methods)] // the platform's functions: an independent check

mod common;

use common::drawn::{draw, rows};
use spikescope::preset;
use spikescope::ui::app::{App, RunState};
use spikescope::ui::theme::Theme;
use spikescope::view::Pane;

/// A SoftMax vector longer than the table shows the neurons around the
/// selected one and names them: at 80 columns the table of 30 neurons
/// showed 0-6 whoever was selected, and the maximum's One-Hot 1 (#29)
/// never.
#[test]
fn the_softmax_table_follows_the_selected_neuron() {
    let bias: Vec<f64> = (0..30).map(|i| -3.0 + 0.2 * i as f64).collect();
    let mut a = rate_network("softmax", &bias);
    a.view.pane = Pane::Activation;
    for (selected, first) in [(0, 0), (12, 9), (28, 23)] {
        a.select(selected);
        let text = rows(&a, 80, 24).join("\n");
        let last = first + 6;
        assert!(
            text.contains(&format!("neurons {first}-{last} ─")),
            "{text}"
        );
        let row = |label: &str| -> Vec<String> {
            let line = text
                .lines()
                .find(|l| l.starts_with(&format!("│ {label} ")))
                .unwrap_or_else(|| panic!("{label}:\n{text}"));
            line.trim_matches('│')
                .split_whitespace()
                .skip(1)
                .map(str::to_string)
                .collect()
        };
        let spikescope::model::AnyModel::Rate(r) = &a.sim.model else {
            panic!()
        };
        // The engine's z of those neurons, to the four digits shown.
        let shown: Vec<f64> = row("z").iter().map(|w| w.parse().unwrap()).collect();
        assert_eq!(shown.len(), 7, "{text}");
        for (s, z) in shown.iter().zip(&r.z[first..=last]) {
            assert!(
                (s - z).abs() <= 5e-4 * z.abs() + 1e-12,
                "{s} for {z}\n{text}"
            );
        }
        let one_hot = row("One-Hot(z)");
        assert_eq!(one_hot.contains(&"1.000".to_string()), last == 29, "{text}");
    }
}

/// What rate-softmax's and rate-onehot's look-at promise: the activation
/// view tabulates the function; Up/Down add an input x to all five nodes,
/// which shifts z and changes neither SoftMax nor One-Hot (a shift common
/// to all inputs cancels), and the live y stays on its row. Read off the
/// screen at 80x24 against the engine's z.
#[test]
fn a_shift_common_to_all_inputs_leaves_softmax_and_one_hot_as_they_were() {
    for (preset, settles_on) in [
        ("rate-softmax", "SoftMax(z)"),
        ("rate-onehot", "One-Hot(z)"),
    ] {
        let mut a = common::drawn::app(preset, 500);
        let guide = a.preset.guide.replace('\n', " ");
        assert!(
            guide.contains("z shifts, and neither SoftMax nor One-Hot changes"),
            "{preset}: {guide}"
        );
        let row = |a: &App, label: &str| -> Vec<String> {
            let text = rows(a, 80, 24);
            let line = text
                .iter()
                .find(|l| l.starts_with(&format!("│ {label} ")))
                .unwrap_or_else(|| panic!("{preset}: {label}\n{}", text.join("\n")));
            line.trim_matches('│')
                .split_whitespace()
                .skip(1 + label.matches(' ').count())
                .map(str::to_string)
                .collect()
        };
        let before: Vec<Vec<String>> = ["SoftMax(z)", "One-Hot(z)", "y (live)"]
            .iter()
            .map(|l| row(&a, l))
            .collect();
        assert!(before.iter().all(|r| r.len() == 5), "{preset}: {before:?}");
        assert_eq!(before[2], row(&a, settles_on), "{preset}");
        for _ in 0..5 {
            a.apply(spikescope::ui::command::Command::AdjustInput { fine_steps: 10 });
        }
        a.advance(500);
        let spikescope::model::AnyModel::Rate(r) = &a.sim.model else {
            panic!()
        };
        // z = b + x with x = 0.5 now.
        let z: Vec<f64> = row(&a, "z").iter().map(|w| w.parse().unwrap()).collect();
        assert_eq!(z.len(), 5, "{preset}: {z:?}");
        for (shown, (engine, b)) in z.iter().zip(r.z.iter().zip([-2.0, -1.0, 0.0, 1.0, 2.0])) {
            assert!((shown - engine).abs() < 5e-4 && (engine - (b + 0.5)).abs() < 1e-12);
        }
        let after: Vec<Vec<String>> = ["SoftMax(z)", "One-Hot(z)", "y (live)"]
            .iter()
            .map(|l| row(&a, l))
            .collect();
        assert_eq!(after, before, "{preset}");
    }
}

/// A rate network of neurons with `activation` and these biases (W = 0),
/// run 200 steps (1 ms each) and paused on the scope.
fn rate_network(activation: &str, bias: &[f64]) -> App {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("{activation}{}.toml", bias.len()));
    let bias: Vec<String> = bias.iter().map(|b| format!("{b}")).collect();
    std::fs::write(
        &path,
        format!(
            "model = \"rate\"\n[rate]\nactivation = \"{activation}\"\ntau = \"10 ms\"\nbias = [{}]\n",
            bias.join(", ")
        ),
    )
    .unwrap();
    let mut a = App::new(preset::load(path.to_str().unwrap(), &[]).unwrap());
    a.guide_until = None;
    a.advance(200);
    a.run = RunState::Paused;
    a
}

/// A rate network of `n` tanh neurons, biases evenly from -2 to 2.
fn tanh_network(n: usize) -> App {
    let bias: Vec<f64> = (0..n)
        .map(|i| -2.0 + 4.0 * i as f64 / (n - 1) as f64)
        .collect();
    rate_network("tanh", &bias)
}

/// The names drawn in the plots' rows (`#k` inside a box, not the status
/// lines under it), and the row of each.
fn names_in_plots(text: &[String]) -> Vec<(usize, String)> {
    let status = text.iter().rposition(|l| l.starts_with('└')).unwrap();
    let name = regex::Regex::new(r"#\d+").unwrap();
    text[..status]
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with('│'))
        .flat_map(|(r, l)| name.find_iter(l).map(move |m| (r, m.as_str().to_string())))
        .collect()
}

/// Thirty rate neurons' traces are not all named: thirty names in a plot
/// of seven rows covered the traces and ran together (`#13+#11+#1++#10`).
/// The selected neuron's is the one named, in both plots, and the title
/// says so; five (the bundled presets) are each named.
#[test]
fn a_rate_network_of_many_neurons_names_the_selected_one() {
    let mut a = tanh_network(30);
    a.select(25);
    let text = rows(&a, 80, 24);
    assert!(
        text[1].contains("activities y of all 30 neurons; #25 named"),
        "{}",
        text.join("\n")
    );
    let names = names_in_plots(&text);
    assert_eq!(names.len(), 2, "{}", text.join("\n"));
    assert!(names.iter().all(|(_, n)| n == "#25"), "{names:?}");
    let five = tanh_network(5);
    let text = rows(&five, 80, 24);
    assert!(text[1].contains("activities y ─"), "{}", text.join("\n"));
    assert_eq!(names_in_plots(&text).len(), 10, "{}", text.join("\n"));
}

/// Past the first 32 neurons (the traced ones) the selected neuron's y and
/// z are recorded from when it is selected and drawn over the others, as a
/// spiking network's selected neuron: #40 of 50 was drawn nowhere while the
/// status line read its y.
#[test]
fn a_rate_networks_selected_neuron_past_the_traced_ones_is_drawn() {
    let mut a = tanh_network(50);
    a.select(40);
    let since = spikescope::ui::format::sim_time(a.sim.time_s());
    a.advance(50);
    let text = rows(&a, 80, 24);
    let title = format!("activities y of neurons 0-31 (of 50) and #40 (from {since}); #40 named");
    assert!(text[1].contains(&title), "{}", text.join("\n"));
    let names = names_in_plots(&text);
    assert_eq!(names.len(), 2, "{}", text.join("\n"));
    assert!(names.iter().all(|(_, n)| n == "#40"), "{names:?}");
    // #40's y is tanh(1.265) = 0.85 > 0: its name is above the row of 0.
    let spikescope::model::AnyModel::Rate(r) = &a.sim.model else {
        panic!()
    };
    assert!((r.y[40] - 1.265f64.tanh()).abs() < 1e-3, "{}", r.y[40]);
    let zero = text.iter().position(|l| l.contains(" 0┤")).unwrap();
    assert!(names[0].0 < zero, "{}", text.join("\n"));
    // And its y and z go into an export of the window, which says so.
    let dir = tempfile::tempdir().unwrap();
    a.export_dir = dir.path().to_path_buf();
    a.apply(spikescope::ui::command::Command::Export);
    let said = a.message.as_ref().unwrap().text.clone();
    assert!(
        said.contains("y and z of neurons 0-31 and #40 (of 50; others not recorded)"),
        "{said}"
    );
}

/// Among thirty traces the selected one is bold, in both plots, with and
/// without colour: its colour (or its ASCII character) is another's too,
/// and without colour thirty traces in braille were one blur. Five traces,
/// each named, are not.
#[test]
fn a_rate_networks_selected_trace_among_many_is_bold() {
    use common::drawn::NO_COLOR;
    use ratatui::style::Modifier;
    // The bold drawn cells of each box's inside rows (between its borders),
    // the scope's two plots first.
    let bold_dots = |a: &App, theme: &Theme| {
        let t = draw(a, 80, 24, theme);
        let buf = t.backend().buffer();
        let mut boxes: Vec<usize> = Vec::new();
        let mut inside = false;
        for y in 0..24 {
            let edge = buf[(0, y)].symbol();
            if edge != "│" && edge != "|" {
                inside = false;
                continue;
            }
            if !inside {
                boxes.push(0);
                inside = true;
            }
            // A name's key (`(+) #3 b=1`, in ASCII without colour) and the
            // `=` of its bias are a name's, bold as names are, not dots.
            let key = |x: u16| buf[(x - 1, y)].symbol() == "(" && buf[(x + 1, y)].symbol() == ")";
            let bias = |x: u16| buf[(x - 1, y)].symbol() == "b" && buf[(x, y)].symbol() == "=";
            let bold = (1..79)
                .filter(|&x| !key(x) && !bias(x))
                .map(|x| &buf[(x, y)])
                .filter(|cell| {
                    let dot = cell.symbol().chars().next().unwrap();
                    let drawn = ('\u{2801}'..='\u{28ff}').contains(&dot) || "*+.=~:".contains(dot);
                    drawn && cell.modifier.contains(Modifier::BOLD)
                })
                .count();
            *boxes.last_mut().unwrap() += bold;
        }
        (boxes[0], boxes[1])
    };
    let mut thirty = tanh_network(30);
    thirty.select(25);
    let ascii = Theme {
        ascii: true,
        ..NO_COLOR
    };
    for theme in [Theme::default(), NO_COLOR, ascii] {
        let (top, lower) = bold_dots(&thirty, &theme);
        // About one cell a column of the 74 the plots are wide, less its
        // name's (`#25 b=1.448`, its bias).
        assert!(
            top >= 55 && lower >= 55,
            "{top} {lower} ascii {}",
            theme.ascii
        );
        assert_eq!(bold_dots(&tanh_network(5), &theme), (0, 0));
    }
}

/// In ASCII a value is drawn in the row nearest it, so the activation
/// view's rows are whole steps of σ, 0 one of them: its numbered rows at
/// 80x24, 60x16 and 200x50 read the same step apart, and each neuron's mark
/// (`o`) stands in the row of the value nearest its y as the engine has it.
/// Over -2..2 at 80x24 the rows were sevenths, 0 halfway between two: the
/// row numbered 0 stood for -0.29, and tanh(1) = 0.76 was drawn on the row
/// numbered 1, 0.86. An arctan network's z out to ±10 widens the z axis to
/// ±11, where arctan reaches -1.48: the range takes it in (at 200x50 a
/// range ending at -1.3 left its curve and its neuron at z = -10 out).
#[test]
fn in_ascii_the_activation_views_rows_are_whole_steps_and_its_marks_the_engines() {
    let ascii = Theme {
        ascii: true,
        ..common::drawn::NO_COLOR
    };
    let tick = regex::Regex::new(r"^\| *(-?[0-9.]+)\+").unwrap();
    let z_axis = regex::Regex::new(r"^\| +\++-").unwrap();
    let wide = || rate_network("arctan", &[-10.0, -3.0, 0.0, 3.0, 10.0]);
    for (mut a, (w, h)) in [(80, 24), (60, 16), (200, 50)]
        .into_iter()
        .flat_map(|size| [(tanh_network(9), size), (wide(), size)])
    {
        a.view.pane = Pane::Activation;
        let ys: Vec<f64> = match &a.sim.model {
            spikescope::model::AnyModel::Rate(r) => r.y.clone(),
            _ => unreachable!("a rate network"),
        };
        let rows = common::drawn::rows_with(&a, w, h, &ascii);
        let text = rows.join("\n");
        let axis = rows
            .iter()
            .position(|r| z_axis.is_match(r))
            .unwrap_or_else(|| panic!("{w}x{h}: the z axis\n{text}"));
        let numbered: Vec<(usize, f64)> = rows[..axis]
            .iter()
            .enumerate()
            .filter_map(|(k, r)| tick.captures(r).map(|c| (k, c[1].parse().unwrap())))
            .collect();
        let (first, last) = (numbered[0], numbered[numbered.len() - 1]);
        let step = (first.1 - last.1) / (last.0 - first.0) as f64;
        for &(k, v) in &numbered {
            let expected = first.1 - step * (k - first.0) as f64;
            assert!(
                (v - expected).abs() < 1e-9,
                "{w}x{h}: row {k} reads {v}\n{text}"
            );
        }
        assert!(numbered.iter().any(|n| n.1 == 0.0), "{w}x{h}: 0\n{text}");
        // The marks in each row: an `o` that is not a letter of a name.
        let marks_in = |r: &str| {
            let c: Vec<char> = r.chars().collect();
            (1..c.len() - 1)
                .filter(|&i| c[i] == 'o' && !c[i - 1].is_alphabetic() && !c[i + 1].is_alphabetic())
                .count()
        };
        let mut expected = vec![0; axis];
        for &y in &ys {
            let k = first.0 as f64 + ((first.1 - y) / step).round();
            expected[k as usize] += 1;
        }
        let drawn: Vec<usize> = (0..axis)
            .map(|k| if k < first.0 { 0 } else { marks_in(&rows[k]) })
            .collect();
        assert_eq!(drawn, expected, "{w}x{h}: y = {ys:?}\n{text}");
    }
}

/// A rate preset's nodes are named by their biases, and the name is the
/// bias the node has: the bundled presets named theirs `b=-2` and so on,
/// which stood on the screen after `+` moved #0's bias to -1.5 (`#0 b=-2:
/// y -0.9051  z -1.500  b -1.500`) or `--set` to 0.7 before the run. Now
/// the label follows the bias, in both plots and the status line, and a
/// run names the node by the bias it was given.
#[test]
fn a_rate_nodes_name_is_its_bias_now() {
    use spikescope::ui::command::Command;
    let source = spikescope::preset::PresetSource::resolve("rate-tanh", &[]).unwrap();
    let mut a = App::from_source(source).unwrap();
    a.guide_until = None;
    for _ in 0..5 {
        a.apply(Command::AdjustBias { tenths: 1 });
    }
    a.advance(300);
    a.run = RunState::Paused;
    a.view.pane = Pane::Scope;
    let text = rows(&a, 80, 24).join("\n");
    assert_eq!(text.matches("#0 b=-1.5").count(), 3, "{text}");
    assert!(!text.contains("b=-2"), "{text}");
    assert!(
        text.contains("#0 b=-1.5: y -0.9051  z -1.500  b -1.500"),
        "{text}"
    );

    let set = ["rate.bias[0]=0.7".to_string()];
    let source = spikescope::preset::PresetSource::resolve("rate-tanh", &set).unwrap();
    let mut a = App::from_source(source).unwrap();
    a.guide_until = None;
    a.advance(300);
    a.view.pane = Pane::Scope;
    let text = rows(&a, 80, 24).join("\n");
    assert!(
        text.contains("#0 b=0.7") && !text.contains("b=-2"),
        "{text}"
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_spikescope"))
        .args(["run", "rate-tanh", "--duration", "0.1", "--set", &set[0]])
        .output()
        .unwrap();
    let summary = String::from_utf8(out.stdout).unwrap();
    assert!(
        summary.contains("\n  neuron 0 b=0.7: y 0.604340338862")
            && summary.contains("\n  neuron 1 b=-1: y -0.76155957963"),
        "{summary}"
    );
}
