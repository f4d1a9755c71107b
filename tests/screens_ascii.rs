//! Screens without colour and in ASCII (NO_COLOR, LANG=C): every curve
//! named and told apart by its characters, reverse and bold kept, the
//! arrows, Greek names and cuts spelled out, the raster's rule apart from
//! its spikes.

mod common;

use common::drawn::{NO_COLOR, app, ascii_rows, draw, long_path_picker, rows_with};
use ratatui::style::{Color, Modifier};
use spikescope::named::Named;
use spikescope::preset;
use spikescope::ui::app::{App, RunState};
use spikescope::ui::theme::Theme;
use spikescope::view::Pane;

/// In ASCII the raster's rule after the labels is `:`: as `|` it doubled a
/// spike in the first column (hh-block's one spike, at 0.31 ms, read `||`).
#[test]
fn an_ascii_raster_keeps_its_rule_apart_from_the_spikes() {
    let a = app("hh-block", 1800);
    assert_eq!(a.traces.probes.spikes().count(), 1);
    let rows = ascii_rows(&a);
    let raster = rows.iter().find(|r| r.starts_with("|#0")).unwrap();
    assert_eq!(raster.matches('|').count(), 3, "{raster}");
    assert!(raster.starts_with("|#0   :|  "), "{raster}");
}

/// In ASCII the arrows are spelled where a one-cell stand-in would read as
/// something else: the help's `^v k j` and `>< l h` named the keys `v` (next
/// view) and `>` (a window of steps), and `> -65.00 next step` on the
/// status line read "greater than -65".
#[test]
fn ascii_spells_the_arrows() {
    use spikescope::ui::command::Command;
    let text = |a: &App| ascii_rows(a).join("\n");
    let mut a = app("hh-clamp-family", 1800);
    assert!(text(&a).contains("  -> -65.00 next step  "), "{}", text(&a));
    a.apply(Command::ToggleHelp);
    let help = text(&a);
    assert!(
        help.contains("| Up/Dn kj input + / - coarse step")
            && help.contains("| Rt/Lt lh input + / - fine step")
            && !help.contains("^v"),
        "{help}"
    );
    a.apply(Command::ToggleHelp);
    a.apply(Command::OpenParams);
    assert!(text(&a).contains(" parameters | Up/Down choose | Enter change "));
    a.apply(Command::OpenPicker);
    // The paging keys where the hint line has room (80 columns), not at 60.
    assert!(text(&a).contains(" Up/Down PgUp/PgDn Home/End choose | Enter open "));
    let ascii = Theme {
        ascii: true,
        ..NO_COLOR
    };
    let narrow = rows_with(&a, 60, 16, &ascii).join("\n");
    assert!(
        narrow.contains("| Up/Down choose | Enter open | type name/path | Esc close |"),
        "{narrow}"
    );
}

/// In ASCII σ and Σ are spelled: their one-cell stand-ins made the
/// activation σ(z) read `s(z)`, the synaptic current's name, and the
/// softmax's Σ e^z_j `S e^z_j`, in the views' titles, their notes, the
/// help and the status line of a noisy input.
#[test]
fn ascii_spells_sigma() {
    use spikescope::ui::command::Command;
    let text = |a: &App| ascii_rows(a).join("\n");
    let mut a = app("rate-softmax", 100);
    let activation = text(&a);
    assert!(
        activation.contains("+ sigma(z): this preset's softmax acts on the whole vector")
            && activation.contains("SoftMax(z)_i = e^z_i / Sum e^z_j"),
        "{activation}"
    );
    a.apply(Command::ShowPane(spikescope::view::Pane::Gates));
    let note = text(&a);
    assert!(note.contains("y = sigma(z)"), "{note}");
    a.apply(Command::ToggleHelp);
    let help = text(&a);
    assert!(help.contains("views: PSC h(t), sigma(z), W"), "{help}");
    let a = app("psc-orders", 10);
    assert!(
        text(&a).contains("PSC s(t) = Sum_p w h(t - t_p)"),
        "{}",
        text(&a)
    );
    for screen in [activation, note, help] {
        assert!(!screen.contains("s(z)"), "{screen}");
    }
    // A preset's own guidance, as its author wrote it.
    let source = preset::PresetSource {
        origin: "mine.toml".into(),
        text: "# Look at: y = σ(z) settles where Σ_j w_j y_j + b = z.\nname = \"σ demo\"\n\
               model = \"rate\"\n[rate]\nbias = [0.5]\n"
            .into(),
        overrides: Vec::new(),
    };
    let mut a = App::from_source(source).unwrap();
    a.apply(Command::ShowGuide);
    let guide = text(&a);
    assert!(
        guide.contains("y = sigma(z) settles where Sum_j w_j y_j + b = z.")
            && guide.starts_with(" spikescope - sigma demo "),
        "{guide}"
    );
    let sets = [
        "stimulus.kind=\"noise\"".to_string(),
        "stimulus.sigma=0.02".to_string(),
    ];
    let mut a = App::new(preset::load("lif-constant", &sets).unwrap());
    a.guide_until = None;
    a.advance(10);
    assert!(
        text(&a).contains("(mean 1.500, noise sigma 0.02000)"),
        "{}",
        text(&a)
    );
}

/// Neurons a preset names in Greek are spelled in ASCII wherever they are
/// drawn, as the title spells them: the raster and the status read `#2 #`
/// and the pane's title `#2 ?`, where the title had `gamma`.
#[test]
fn ascii_spells_a_presets_greek_names() {
    use spikescope::ui::command::Command;
    let names = ["network.names=[\"α\", \"β\", \"γ\"]".to_string()];
    let mut a = App::new(preset::load("network-abc", &names).unwrap());
    a.guide_until = None;
    a.advance(300);
    let text = ascii_rows(&a).join("\n");
    for shown in [
        "+ v of #2 gamma ---",
        "|#0 alpha: ",
        "|#1 beta : ",
        "|#2 gamma: ",
        "\n#2 gamma: ",
    ] {
        assert!(text.contains(shown), "{shown:?}\n{text}");
    }
    assert!(!text.contains("# :") && !text.contains("#2 ?"), "{text}");
    a.apply(Command::ShowPane(spikescope::view::Pane::Weights));
    let text = ascii_rows(&a).join("\n");
    assert!(
        text.contains("|            alpha     beta ") && text.contains("|#2 gamma     0.02 "),
        "{text}"
    );
}

/// In ASCII the weights' left-out columns are marked `..`: the one-cell
/// stand-in for `…`, a `.`, stood in the table like a value.
#[test]
fn ascii_weights_mark_left_out_columns_with_two_dots() {
    use spikescope::ui::command::Command;
    let mut a = app("network-benchmark", 10);
    a.apply(Command::ShowPane(spikescope::view::Pane::Weights));
    a.apply(Command::Select(500));
    let rows = ascii_rows(&a);
    let header = rows.iter().find(|r| r.contains("#500")).unwrap();
    assert!(
        header.starts_with("|    ..    #497") && header.ends_with(" ..|     b|"),
        "{header}"
    );
    let row = rows.iter().find(|r| r.starts_with("|#500 ")).unwrap();
    assert!(row.contains(" ..| "), "{row}");
}

/// In ASCII the marks are letters (`o` a disc, `x` a cross): a mark's name
/// keeps a blank from them. network-wta's rate view read `G nowo` for the
/// name `G now` beside its disc.
#[test]
fn ascii_mark_names_keep_a_blank_from_their_letters() {
    use spikescope::ui::command::Command;
    let mut a = app("network-wta", 10_000);
    a.apply(Command::ShowPane(spikescope::view::Pane::Rate));
    let text = ascii_rows(&a).join("\n");
    assert!(text.contains("G now "), "{text}");
    assert!(
        !text.contains("nowo") && !text.contains("xmeasured"),
        "{text}"
    );
}

/// In ASCII a cut is `...`: the one-cell stand-in for `…`, a `.`, ended
/// the picker's clipped descriptions as sentences (`firing regularly at.`),
/// made the end of a long typed path read as the relative path `./…`, and
/// closed the guide's last line (`. a: read the rest`).
#[test]
fn ascii_cuts_read_as_cuts() {
    use spikescope::ui::command::Command;
    let mut a = app("hh-repetitive", 10);
    a.apply(Command::OpenPicker);
    let text = ascii_rows(&a).join("\n");
    // The chosen preset (the one open) pointed at, as in the parameters
    // panel: without reverse video the pointer says which, and only it.
    let first = text
        .lines()
        .find(|r| r.starts_with("|>hh-repetitive "))
        .unwrap_or_else(|| panic!("{text}"));
    assert_eq!(text.lines().filter(|r| r.starts_with("|>")).count(), 1);
    assert!(
        first
            .trim_end_matches(['|', ' '])
            .ends_with(" regularly at..."),
        "{first}"
    );
    a.overlay = long_path_picker();
    let text = ascii_rows(&a).join("\n");
    let row = text
        .lines()
        .find(|r| r.contains(" path: ...der/folder/"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(row.ends_with("folder/end-of-it.toml_|"), "{row}");
    let mut a = App::new(preset::load("hh-clamp-family", &[]).unwrap());
    a.run = RunState::Paused;
    let text = ascii_rows(&a).join("\n");
    assert!(
        text.contains("| ... a: read the rest | any key closes"),
        "{text}"
    );
}

#[test]
fn no_color_keeps_reverse_and_bold() {
    let a = app("network-abc", 3000);
    let t = draw(&a, 80, 24, &NO_COLOR);
    let buf = t.backend().buffer();
    let mut reversed = 0;
    for cell in buf.content.iter() {
        assert!(
            cell.fg == Color::Reset && cell.bg == Color::Reset,
            "a colour under NO_COLOR"
        );
        if cell.modifier.contains(Modifier::REVERSED) {
            reversed += 1;
        }
    }
    assert!(reversed > 0, "the selected neuron and PAUSED stay reversed");
    let colored = draw(&a, 80, 24, &Theme::default());
    assert!(
        colored
            .backend()
            .buffer()
            .content
            .iter()
            .any(|c| c.fg != Color::Reset)
    );
}

/// Without colour every curve is named on the plot at 80x24: gates, the
/// three currents (and I_clamp under a clamp), x_inf and tau_x, the PSC
/// filters, the activation functions.
#[test]
fn every_curve_is_named_without_colour_at_80x24() {
    let named = |name: &str, pane: Pane, steps: u64, labels: &[&str]| {
        let mut a = app(name, steps);
        a.view.pane = pane;
        let text = rows_with(&a, 80, 24, &NO_COLOR).join("\n");
        for l in labels {
            assert!(
                text.contains(l),
                "{name} {}: {l} missing\n{text}",
                pane.name()
            );
        }
    };
    named(
        "hh-repetitive",
        Pane::Scope,
        4000,
        &["V", " m", " h", " n", "I_Na", "I_K", "I_L"],
    );
    named("hh-clamp", Pane::Scope, 600, &["I_clamp", "I_Na", "I_K"]);
    named(
        "hh-repetitive",
        Pane::Gates,
        10,
        &["m_inf", "h_inf", "n_inf", "tau_m", "tau_h", "tau_n"],
    );
    named("psc-orders", Pane::Psc, 10, &["n = 0", "n = 1", "n = 2"]);
    named("psc-ampa-nmda", Pane::Psc, 10, &["AMPA", "NMDA"]);
    named(
        "rate-tanh",
        Pane::Activation,
        100,
        &["tanh ◀", "logistic", "arctan", "threshold", "relu"],
    );
}

/// Without colour, the only trace of a plot is drawn solid: LIF's constant
/// input read as a broken line (`⠒ ⠒⠐⠒⠐⠒⠐⠂`), the second trace's dashes,
/// though no other trace shares its plot.
#[test]
fn a_plots_only_trace_is_solid_without_colour() {
    let a = app("lif-constant", 3000);
    let screen = rows_with(&a, 80, 24, &NO_COLOR);
    let row = screen
        .iter()
        .skip_while(|r| !r.contains("input v_in"))
        .find(|r| r.contains('┤'))
        .unwrap_or_else(|| panic!("no input plot:\n{}", screen.join("\n")));
    let trace: String = row
        .chars()
        .skip_while(|&c| c != '┤')
        .skip(1)
        .take_while(|&c| c != 'v')
        .collect();
    let trace = trace.trim_end();
    assert!(trace.chars().count() > 30, "{row}");
    assert!(
        trace
            .chars()
            .all(|c| ('\u{2801}'..='\u{28ff}').contains(&c)),
        "a gap in the input's line: {row}"
    );
}

/// In ASCII a cell's character is its curve's pattern, so a broken curve
/// draws every cell it passes: drawn by its dots, rate-onehot's winner
/// (#4, then dashed, y = 1) left a blank cell in every few
/// (`1.0++++++ + +   +++`) and read as broken. It is dash-dotted now (`~`,
/// the fifth neuron's pattern).
#[test]
fn ascii_dashed_and_dotted_curves_have_no_gaps() {
    let mut a = app("rate-onehot", 700);
    a.apply(spikescope::ui::command::Command::ShowPane(Pane::Scope));
    let rows = ascii_rows(&a);
    let text = rows.join("\n");
    let cells = |tick: &str| -> String {
        let row = rows.iter().find(|r| r.contains(tick)).expect(tick);
        let from = row.find(tick).unwrap() + tick.len();
        row[from..].chars().take(20).collect()
    };
    // 0.7 s into a 200 ms window: its first 20 cells (55 ms) lie before
    // the names, which stand at the sweep's head.
    assert_eq!(
        cells("1.0+"),
        "~".repeat(20),
        "the dash-dotted winner, y = 1:\n{text}"
    );
    assert_eq!(
        cells("|    0+"),
        ".".repeat(20),
        "the dotted z = 0:\n{text}"
    );
}

/// Without colour, curves are told apart by their patterns; in ASCII a
/// cell cannot show a pattern's dots, so each curve's cells read its own
/// character: `*` solid, `+` dashed, `.` dotted, `=` long dashes. Every
/// curve read `*`, and hh-clamp's three gate functions could not be told
/// apart. Each gate has its pattern on the scope too (m dashed, h dotted, n
/// long dashes, V solid). At V = -100 mV (the plot's left edge) h_inf is 1
/// (`.`), m_inf and n_inf are near 0 (n, drawn last, on top: `=`).
#[test]
fn ascii_curves_without_colour_read_apart_by_their_characters() {
    use spikescope::model::hh::Gate;
    use spikescope::ui::command::Command;
    let mut a = app("hh-clamp", 10);
    a.apply(Command::ShowPane(spikescope::view::Pane::Gates));
    assert!(Gate::H.x_inf(-100.0) > 0.99);
    assert!(Gate::M.x_inf(-100.0) < 0.01 && Gate::N.x_inf(-100.0) < 0.1);
    let after = |rows: &[String], tick: &str| -> char {
        let row = rows.iter().find(|r| r.starts_with(tick)).expect(tick);
        row[tick.len()..].chars().next().unwrap()
    };
    let rows = ascii_rows(&a);
    let text = rows.join("\n");
    assert_eq!(after(&rows, "|1.0+"), '.', "{text}");
    assert_eq!(after(&rows, "|0.0+"), '=', "{text}");
    let left_plot: String = rows
        .iter()
        .filter(|r| r.starts_with("|0.") || r.starts_with("|1.") || r.starts_with("|   |"))
        .map(|r| r.chars().skip(5).take(33).collect::<String>())
        .collect();
    for c in ['=', '+', '.'] {
        assert!(left_plot.contains(c), "{c} in {text}");
    }
    // In colour every curve is solid, told apart by its colour.
    let colour = Theme {
        ascii: true,
        ..Theme::default()
    };
    let rows = rows_with(&a, 80, 24, &colour);
    let text = rows.join("\n");
    assert_eq!(after(&rows, "|1.0+"), '*', "{text}");
    assert_eq!(after(&rows, "|0.0+"), '*', "{text}");
}

/// The curve characters (`*` `+` `.` `=` `~` `:`) in the ASCII plot under
/// `title` at 80x24 without colour: its own cells only, right of its y
/// axis, between its title and its x axis, the curves' `names` left out.
fn plot_characters(a: &App, title: &str, names: &[&str]) -> std::collections::BTreeSet<char> {
    let rows = ascii_rows(a);
    let first = rows.iter().position(|r| r.contains(title)).expect(title) + 1;
    let axis = first
        + rows[first..]
            .iter()
            .position(|r| r.contains("+--"))
            .expect("axis");
    rows[first..axis]
        .iter()
        .flat_map(|r| {
            // The pane's border, then the y axis (`+` at a tick).
            let y_axis = 1 + r[1..].find(['+', '|']).expect("a y axis");
            let cells: String = r.chars().skip(y_axis + 1).collect();
            let cells = names.iter().fold(cells, |c, name| c.replace(name, ""));
            cells.chars().collect::<Vec<_>>()
        })
        .filter(|c| "*+.=~:".contains(*c))
        .collect()
}

/// Without colour a plot of up to six curves gives each its own pattern,
/// and in ASCII its own character (`*` `+` `.` `=` `~` `:`): the five
/// activation functions read `*` `+` `.` and again `*` and `+` (threshold
/// and logistic alike, ReLU and tanh alike), as did hh-clamp-family's
/// five steps of the clamp current.
#[test]
fn five_curves_without_colour_read_five_characters() {
    use spikescope::ui::command::Command;
    let want: std::collections::BTreeSet<char> = "*+.=~".chars().collect();
    let mut a = app("hh-rest", 10);
    a.apply(Command::ShowPane(Pane::Activation));
    let text = ascii_rows(&a).join("\n");
    assert_eq!(
        plot_characters(&a, "activation functions", &[]),
        want,
        "{text}"
    );
    let mut a = app("hh-clamp-family", 3000);
    a.apply(Command::ShowPane(Pane::Rate));
    let text = ascii_rows(&a).join("\n");
    assert_eq!(
        plot_characters(&a, "clamp current I_clamp", &[]),
        want,
        "{text}"
    );
}

/// The filter to explore (view 4) is dashed beside the model's own solid
/// filters; without colour it takes the pattern after theirs: dashed, it
/// read as psc-orders' second filter (n = 1, `+`).
#[test]
fn the_filter_to_explore_has_a_pattern_of_its_own_without_colour() {
    use spikescope::ui::command::Command;
    let mut a = app("psc-orders", 10);
    a.apply(Command::ShowPane(Pane::Psc));
    let names = ["n = 0", "n = 1", "n = 2", "n=3 tau_s 10 ms"];
    let own: std::collections::BTreeSet<char> = "*+.".chars().collect();
    let text = ascii_rows(&a).join("\n");
    assert_eq!(
        plot_characters(&a, "PSC filters h(t)", &names),
        own,
        "{text}"
    );
    a.view.psc.order = 3;
    let text = ascii_rows(&a).join("\n");
    let with_explored: std::collections::BTreeSet<char> = "*+.=".chars().collect();
    assert_eq!(
        plot_characters(&a, "PSC filters h(t)", &names),
        with_explored,
        "{text}"
    );
}

/// The y tick labels of each plot's axis column in ASCII rows, top to
/// bottom, one list per axis: the text before a `+` or `|` that opens a
/// box's row, in the same column row after row, with the plot after it
/// (a row of two boxes holds two axes), empty where the row has no label;
/// an axis ends at its x axis, a `+` with no number before it.
fn y_axes(rows: &[String]) -> Vec<Vec<String>> {
    let mut open: Vec<Option<(usize, Vec<String>)>> = Vec::new();
    let mut done = Vec::new();
    for row in rows {
        let Some(inside) = row.strip_prefix('|') else {
            done.extend(open.drain(..).flatten().map(|(_, l)| l));
            continue;
        };
        for (k, part) in inside.split("||").enumerate() {
            if open.len() <= k {
                open.resize(k + 1, None);
            }
            let part = part.strip_suffix('|').unwrap_or(part);
            let axis = part
                .find(|c: char| c != ' ' && c != '.' && c != '-' && !c.is_ascii_digit())
                .and_then(|at| {
                    let (label, rest) = part.split_at(at);
                    let c = rest.chars().next()?;
                    let label = label.trim();
                    let numeric = label.is_empty() || label.parse::<f64>().is_ok();
                    let x_axis = c == '+' && label.is_empty();
                    ((c == '+' || c == '|') && at > 0 && rest.len() > 1 && numeric && !x_axis)
                        .then(|| (at, label.to_string()))
                });
            match (axis, &mut open[k]) {
                (Some((at, label)), Some((column, labels))) if *column == at => labels.push(label),
                (Some((at, label)), slot) => {
                    done.extend(slot.take().map(|(_, l)| l));
                    *slot = Some((at, vec![label]));
                }
                (None, slot) => done.extend(slot.take().map(|(_, l)| l)),
            }
        }
    }
    done.extend(open.into_iter().flatten().map(|(_, l)| l));
    done.retain(|labels| labels.len() >= 3);
    done
}

/// In ASCII a plot's top and bottom rows carry their values: its y ticks
/// were kept apart by the rows Braille's dots put them on, not the rows
/// ASCII draws them in, so at 100x30 hh-clamp's peak I_Na (seven rows, 200
/// to -1400) had no number on its top row and a network's v (1.6 to -0.2)
/// none on its bottom one. Every bundled preset, every view, at 80x24,
/// 90x20 and 100x30.
#[test]
fn ascii_plots_number_their_top_and_bottom_rows() {
    let ascii = Theme {
        ascii: true,
        ..NO_COLOR
    };
    let mut axes = 0;
    for name in preset::bundled::names() {
        let mut a = app(name, 3000);
        for &pane in Pane::ALL {
            a.view.pane = pane;
            for (w, h) in [(80, 24), (90, 20), (100, 30)] {
                for labels in y_axes(&rows_with(&a, w, h, &ascii)) {
                    axes += 1;
                    assert!(
                        !labels[0].is_empty() && !labels[labels.len() - 1].is_empty(),
                        "{name} {pane:?} {w}x{h}: {labels:?}\n{}",
                        rows_with(&a, w, h, &ascii).join("\n")
                    );
                }
            }
        }
    }
    assert!(axes > 500, "{axes} axes");
}
