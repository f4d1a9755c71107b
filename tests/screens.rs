//! Whole screens as a user sees them: ratatui's TestBackend, snapshotted with
//! insta (tests/snapshots/, committed; under CI a missing snapshot fails).
//! Rendering is a pure function of the state, so each screen is made from a
//! preset advanced by a fixed number of steps, paused. Beside the snapshots,
//! assertions on what a screen must show: names on every curve without
//! colour, the raster under its traces column for column, whole help texts
//! and picker hints at 80x24, distinct glyphs in ASCII.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::{Color, Modifier};
use spikescope::model::AnyModel;
use spikescope::named::Named;
use spikescope::preset;
use spikescope::ui::app::{App, RunState};
use spikescope::ui::keymap::BINDINGS;
use spikescope::ui::overlay::{EntryFor, Overlay};
use spikescope::ui::render::render;
use spikescope::ui::theme::{ColorDepth, Theme};
use spikescope::view::{Pane, TriggerMode};

fn app(name: &str, steps: u64) -> App {
    let mut a = App::new(preset::load(name, &[]).unwrap());
    a.guide_until = None;
    a.advance(steps);
    a.run = RunState::Paused;
    a
}

fn draw(a: &App, w: u16, h: u16, theme: &Theme) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| render(f, a, theme)).unwrap();
    t
}

fn screen(a: &App, w: u16, h: u16) -> String {
    draw(a, w, h, &Theme::default()).backend().to_string()
}

const NO_COLOR: Theme = Theme {
    color: false,
    depth: ColorDepth::None,
    ascii: false,
};

/// The rows of a rendered screen, one string per row.
fn rows_with(a: &App, w: u16, h: u16, theme: &Theme) -> Vec<String> {
    let t = draw(a, w, h, theme);
    let buf = t.backend().buffer();
    (0..h)
        .map(|y| (0..w).map(|x| buf[(x, y)].symbol().to_string()).collect())
        .collect()
}

/// The rows of the screen at 80x24 in ASCII without colour.
fn ascii_rows(a: &App) -> Vec<String> {
    rows_with(
        a,
        80,
        24,
        &Theme {
            ascii: true,
            ..NO_COLOR
        },
    )
}

fn rows(a: &App, w: u16, h: u16) -> Vec<String> {
    rows_with(a, w, h, &Theme::default())
}

#[test]
fn hh_scope_80x24() {
    insta::assert_snapshot!(screen(&app("hh-repetitive", 4000), 80, 24));
}

#[test]
fn hh_scope_200x50() {
    insta::assert_snapshot!(screen(&app("hh-repetitive", 6000), 200, 50));
}

#[test]
fn hh_triggered_sweeps() {
    let mut a = app("hh-repetitive", 8000);
    a.view.trigger = TriggerMode::Spike;
    a.view.set_window(0.02);
    insta::assert_snapshot!(screen(&a, 100, 30));
}

/// Triggered sweeps overlap in time, and the raster marks each spike in
/// every sweep whose trace shows it, at its time from that sweep's trigger:
/// LIF firing regularly (ISI 1/G(1.5) = 23.97 ms) has a mark every ISI
/// from the pre-trigger's start to as far as the oldest sweep reaches. The
/// newest sweep alone had none after the trigger.
#[test]
fn triggered_sweeps_mark_every_spike_their_traces_show() {
    let mut a = app("lif-constant", 10_000);
    a.view.trigger = TriggerMode::Spike;
    a.view.set_window(0.5);
    let (w, pre) = (0.5, 0.5 * a.view.pre_trigger);
    let spikes = a.traces.probes.spike_times_of(0);
    let now = a.sim.time_s();
    let mut at: Vec<i64> = Vec::new();
    for &trigger in &spikes[spikes.len() - 6..] {
        for &t in &spikes {
            if t >= trigger - pre && t <= (trigger - pre + w).min(now) {
                at.push(((t - trigger) * 1e4).round() as i64);
            }
        }
    }
    at.sort_unstable();
    at.dedup();
    assert!(at.iter().filter(|&&x| x > 0).count() >= 4, "{at:?}");
    let screen = rows(&a, 80, 24);
    let row = screen.iter().find(|r| r.starts_with("│#0")).unwrap();
    let marks: Vec<usize> = row
        .chars()
        .enumerate()
        .filter_map(|(k, c)| (c == '|').then_some(k))
        .collect();
    assert_eq!(marks.len(), at.len(), "{row}\n{at:?}");
    // Evenly spaced: an ISI is 3.4 columns of 7 ms.
    for pair in marks.windows(2) {
        assert!((3..=4).contains(&(pair[1] - pair[0])), "{row}");
    }
}

#[test]
fn lif_scope() {
    insta::assert_snapshot!(screen(&app("lif-constant", 3000), 80, 24));
}

#[test]
fn network_scope() {
    insta::assert_snapshot!(screen(&app("network-abc", 3000), 80, 24));
}

#[test]
fn synapse_and_clamp_scopes() {
    insta::assert_snapshot!("psc_scope", screen(&app("psc-orders", 3000), 80, 24));
    insta::assert_snapshot!("clamp_scope", screen(&app("hh-clamp", 600), 80, 24));
}

#[test]
fn rate_scope() {
    insta::assert_snapshot!(screen(&app("rate-logistic", 100), 80, 24));
}

/// Each view at 80x24 on the preset whose lesson it draws.
#[test]
fn views() {
    for (name, pane, steps) in [
        ("hh-repetitive", Pane::Gates, 300),
        ("hh-repetitive", Pane::Rate, 8000),
        ("lif-ramp", Pane::Rate, 60_000),
        ("psc-ampa-nmda", Pane::Psc, 10),
        ("psc-orders", Pane::Psc, 10),
        ("rate-logistic", Pane::Activation, 100),
        ("rate-relu", Pane::Activation, 100),
        ("rate-lif-rate", Pane::Activation, 100),
        ("network-abc", Pane::Weights, 3000),
        ("network-populations", Pane::Weights, 3000),
        ("network-populations-augmented", Pane::Weights, 3000),
        ("network-wta", Pane::Weights, 3000),
        ("hh-repetitive", Pane::Weights, 10),
    ] {
        let mut a = app(name, steps);
        a.view.pane = pane;
        insta::assert_snapshot!(format!("view_{}_{}", pane.name(), name), screen(&a, 80, 24));
    }
}

#[test]
fn overlays() {
    let mut a = app("hh-repetitive", 10);
    a.overlay = Overlay::Help { page: 0 };
    insta::assert_snapshot!("help", screen(&a, 80, 24));
    a.overlay = Overlay::picker("hh-repetitive");
    insta::assert_snapshot!("picker", screen(&a, 80, 24));
    a.overlay = Overlay::Entry {
        sets: EntryFor::Input,
        text: "12,5".into(),
        error: None,
    };
    insta::assert_snapshot!("entry", screen(&a, 80, 24));
    a.overlay = Overlay::Guide { page: 0 };
    insta::assert_snapshot!("guide", screen(&a, 80, 24));
}

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
    let long = format!("/tmp/{}end-of-it.toml", "folder/".repeat(20));
    a.overlay = Overlay::Picker {
        index: 0,
        typed: String::new(),
        path: Some(long),
        error: None,
        note: None,
    };
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

/// ASCII mode: only ASCII, and the threshold line (`-`) is not the trace
/// (`*`).
#[test]
fn ascii_mode_draws_only_ascii() {
    let a = app("hh-repetitive", 4000);
    let theme = Theme {
        ascii: true,
        ..Theme::default()
    };
    let text = draw(&a, 80, 24, &theme).backend().to_string();
    assert!(text.is_ascii(), "{text}");
    assert!(text.contains("membrane voltage V (mV)"));
    let rows = rows_with(&a, 80, 24, &theme);
    let threshold = rows
        .iter()
        .find(|r| r.contains("    0+"))
        .expect("the 0 mV tick");
    let plot: String = threshold.chars().skip(7).take(70).collect();
    assert!(plot.contains("---"), "dashes: {plot}");
    assert!(plot.contains('*'), "the trace crosses it: {plot}");
    insta::assert_snapshot!(text);
}

/// In ASCII the raster's rule after the labels is `:`: as `|` it doubled a
/// spike in the first column (hh-tea's one spike, at 0.79 ms, read `||`).
#[test]
fn an_ascii_raster_keeps_its_rule_apart_from_the_spikes() {
    let a = app("hh-tea", 1800);
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
    assert!(text.contains("G now o*"), "{text}");
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
    let long = format!("/tmp/{}end-of-it.toml", "folder/".repeat(20));
    a.overlay = Overlay::Picker {
        index: 0,
        typed: String::new(),
        path: Some(long),
        error: None,
        note: None,
    };
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

/// What the input does next, on the status line: a rising ramp changes
/// every step by itself, so it says where it goes (`→ 5.000 at 10 s`, the
/// preset's amplitude at its stop) rather than each next value (it read
/// `v_in 3.000  → 3.000 next step`); a protocol's jump still says its next
/// step.
#[test]
fn the_input_line_says_where_a_ramp_goes() {
    let a = app("lif-ramp", 30_000);
    let line = &rows(&a, 80, 24)[21];
    assert!(line.starts_with("v_in 1.500  → 5.000 at 10 s  "), "{line}");
    let a = app("hh-clamp-family", 1800);
    let line = &rows(&a, 80, 24)[21];
    assert!(line.contains("  → -65.00 next step  "), "{line}");
}

/// In the first sweep, past its middle, the scope still names its traces:
/// in free mode a name goes on the longer of the two sweeps drawn, and it
/// went on the old sweep's part, before the run began, which has no
/// samples (hh-bistable at 90 ms of its 200 ms window had no name at all).
#[test]
fn the_first_sweep_names_its_traces_past_its_middle() {
    let a = app("hh-bistable", 1800);
    let text = rows_with(&a, 80, 24, &NO_COLOR).join("\n");
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .collect();
    for name in ["V", "m", "h", "n", "I_Na", "I_K", "I_L"] {
        assert!(words.contains(&name), "{name} missing\n{text}");
    }
}

/// A rate network's inputs z = W y + b + x (W = 0, x = 0: z = b) are five
/// flat traces in four rows: each name is on its own trace's row, the
/// engine's z (`#0 b=-2` had been by z = 2, two of the five right).
#[test]
fn stacked_traces_are_named_on_their_own_rows() {
    let mut a = app("rate-softmax", 3000);
    a.view.pane = Pane::Scope;
    let AnyModel::Rate(r) = &a.sim.model else {
        panic!("a rate network")
    };
    assert_eq!(r.z, [-2.0, -1.0, 0.0, 1.0, 2.0]);
    let rows = rows_with(&a, 80, 24, &NO_COLOR);
    let pane = rows.iter().position(|r| r.contains("inputs z")).unwrap();
    let row_of = |tick: &str| {
        rows[pane..]
            .iter()
            .find(|r| r.starts_with(&format!("│{tick:>5}┤")))
            .unwrap_or_else(|| panic!("tick {tick}: {}", rows.join("\n")))
    };
    for (tick, name) in [("2", "#4 b=2"), ("0", "#2 b=0"), ("-2", "#0 b=-2")] {
        assert!(row_of(tick).contains(name), "{name}: {}", rows.join("\n"));
    }
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
    named(
        "psc-ampa-nmda",
        Pane::Psc,
        10,
        &["AMPA 10 ms", "NMDA 300 ms"],
    );
    named(
        "rate-tanh",
        Pane::Activation,
        100,
        &["tanh ◀", "logistic", "arctan", "threshold", "relu"],
    );
}

/// The raster shares the traces' time axis column for column: in
/// spike-train-convolution each PSC jump sits above its spike's stroke.
#[test]
fn the_raster_sits_under_the_traces_column_for_column() {
    for (w, h) in [(80u16, 24u16), (200, 50)] {
        let a = app("spike-train-convolution", 4900);
        let screen = rows(&a, w, h);
        let raster_row = screen
            .iter()
            .position(|r| r.contains("│input"))
            .expect("the raster row");
        let raster = &screen[raster_row];
        let strokes: Vec<usize> = raster
            .chars()
            .enumerate()
            .filter(|(_, c)| *c == '|')
            .map(|(k, _)| k)
            .collect();
        // Where the PSC trace jumps: its top dot row rises from the column
        // before.
        let top_dot_row = |col: usize| -> Option<usize> {
            screen
                .iter()
                .enumerate()
                .take(raster_row)
                .skip(1)
                .find_map(|(r, row)| {
                    let c = row.chars().nth(col)?;
                    let bits = u32::from(c).checked_sub(0x2800).filter(|b| *b <= 0xff)?;
                    (bits != 0).then(|| {
                        let top = [0x09, 0x12, 0x24, 0xc0].iter().position(|m| bits & m != 0);
                        4 * r + top.unwrap_or(3)
                    })
                })
        };
        let mut jumps = Vec::new();
        for col in 2..w as usize {
            if let (Some(a), Some(b)) = (top_dot_row(col - 1), top_dot_row(col))
                && b + 2 <= a
            {
                jumps.push(col);
            }
        }
        assert!(!strokes.is_empty());
        for s in &strokes {
            assert!(
                jumps.contains(s) || jumps.contains(&(s + 1)) && !strokes.contains(&(s + 1)),
                "{w}x{h}: the stroke at column {s} has no jump above it: jumps {jumps:?}, strokes {strokes:?}"
            );
        }
    }
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

/// The screen's cost over SSH, deterministic: bytes crossterm writes per
/// frame in steady running (HH at its default speed and 30 fps), and for an
/// identical redraw. The free-running sweep changes only the columns it
/// advanced (README: about 200 bytes a frame at 80x24, 550 at 200x50).
#[test]
fn bytes_per_frame_stay_low() {
    use spikescope::ui::bytes_per_frame;
    for (w, h, budget) in [(80u16, 24u16, 600.0), (200, 50, 1400.0)] {
        let mut a = App::new(preset::load("hh-repetitive", &[]).unwrap());
        a.guide_until = None;
        a.advance(4000);
        let steps = (a.clock.speed / 30.0 / a.sim.dt_s()).round() as u64;
        let bytes = bytes_per_frame(&mut a, &Theme::default(), w, h, 120, steps).unwrap();
        let mean = bytes[20..].iter().sum::<usize>() as f64 / 100.0;
        assert!(mean < budget, "{w}x{h}: {mean} bytes per frame");
        assert!(bytes[0] > 4000, "the first frame draws the whole screen");
        let again = bytes_per_frame(&mut a, &Theme::default(), w, h, 2, 0).unwrap();
        assert!(
            again[1] <= 64,
            "an unchanged frame costs {} bytes",
            again[1]
        );
    }
}

/// A network too large for a row per neuron: the selected neuron's row,
/// then the page of neurons that holds it, four to a Braille row.
#[test]
fn network_dense_raster() {
    let mut a = app("network-benchmark", 3000);
    a.select(30);
    insta::assert_snapshot!(screen(&a, 100, 30));
}

/// The dense raster's last page ends at the last neuron, so that its rows
/// are all drawn: in network-ei (40 neurons, three rows of four at 80x24),
/// neuron 37's page is 28 to 39, not 36 to 39 over two empty rows.
#[test]
fn the_last_page_of_the_raster_fills_its_rows() {
    let labels = |a: &App| -> Vec<String> {
        rows(a, 80, 24)
            .iter()
            .filter_map(|r| r.strip_prefix("│#"))
            .map(|r| format!("#{}", r.split([' ', '│']).next().unwrap()))
            .collect()
    };
    let mut a = app("network-ei", 3000);
    a.select(37);
    assert_eq!(labels(&a), ["#37", "#28-31", "#32-35", "#36-39"]);
    a.select(5);
    assert_eq!(labels(&a), ["#5", "#0-3", "#4-7", "#8-11"]);
    // Five neurons over two rows of four: the second holds neuron 4 alone,
    // named as a row of its own is (it read `#4-4`).
    let mut a = app("network-populations-augmented", 3000);
    a.view.pane = Pane::Scope;
    let raster: Vec<String> = rows(&a, 80, 24)
        .into_iter()
        .filter(|r| r.starts_with("│#"))
        .collect();
    assert_eq!(raster.len(), 3, "{raster:?}");
    assert!(
        raster[1].starts_with("│#0-3 │") && raster[2].starts_with("│#4 y3│"),
        "{raster:?}"
    );
}

/// A trace in a level line's row keeps the line visible at its own height
/// within the cells: lif-below's v, at 0.9 below the threshold 1, lay in
/// the threshold's row, its braille replaced the dashes, and it read as
/// sitting on the threshold. Each cell of that row the trace takes holds two
/// rows of dots: the level's and the trace's.
#[test]
fn a_trace_in_a_level_lines_row_keeps_the_line_in_its_cells() {
    let a = app("lif-below", 20_000);
    let AnyModel::Lif(n) = &a.sim.model else {
        panic!("lif-below is a LIF neuron")
    };
    assert!(n.v > 0.85 && n.v < 0.95, "v {}", n.v);
    let screen = rows_with(&a, 100, 30, &NO_COLOR);
    let row = screen
        .iter()
        .find(|r| r.starts_with("│  1.0┤"))
        .unwrap_or_else(|| panic!("{}", screen.join("\n")));
    let dot_rows = |c: char| {
        let mask = c as u32 - 0x2800;
        [0x09, 0x12, 0x24, 0xc0]
            .iter()
            .filter(|&&bits| mask & bits != 0)
            .count()
    };
    let cells: Vec<char> = row
        .chars()
        .filter(|c| ('\u{2801}'..='\u{28ff}').contains(c))
        .collect();
    assert!(cells.len() > 60, "{row}");
    assert!(cells.iter().all(|&c| dot_rows(c) >= 2), "{row}");
}

/// A raster that shows only some of the neurons says which, of how many,
/// and how to reach the rest: at 80x24 network-ei's raster holds 12 of its
/// 40 neurons, and its bare title let them pass for the whole network. One
/// that shows every neuron keeps its short title.
#[test]
fn a_raster_of_some_neurons_says_which_of_how_many() {
    let title = |a: &App, w: u16, h: u16| -> String {
        rows(a, w, h)
            .into_iter()
            .find(|r| r.contains(" spikes ") || r.contains(" spikes: "))
            .expect("the raster's title")
    };
    let mut a = app("network-ei", 3000);
    a.select(37);
    assert!(
        title(&a, 80, 24).contains(" spikes: #28-39 of 40 neurons (Tab or g: the others) "),
        "{}",
        title(&a, 80, 24)
    );
    assert!(
        title(&a, 200, 50).contains("┌ spikes ─"),
        "{}",
        title(&a, 200, 50)
    );
    let mut a = app("network-benchmark", 3000);
    a.select(30);
    assert!(
        title(&a, 100, 30).contains(" spikes: #20-39 of 1000 neurons "),
        "{}",
        title(&a, 100, 30)
    );
}

/// In the dense raster each neuron's dot row has one dot per spike of the
/// neuron (0.3 s of the first sweep: every spike is on screen, and no
/// neuron spikes twice within a bin), and the selected neuron's own row a
/// stroke per spike.
#[test]
fn dense_raster_has_a_dot_per_spike_in_its_neurons_row() {
    const LEFT: [u32; 4] = [0x01, 0x02, 0x04, 0x40];
    const RIGHT: [u32; 4] = [0x08, 0x10, 0x20, 0x80];
    let mut a = app("network-benchmark", 3000);
    a.select(30);
    let screen = rows(&a, 100, 40);
    let mut dots_on_page = 0;
    let spikes_of = |i: usize| a.traces.probes.spikes().filter(|s| s.neuron == i).count();
    let selected_row = screen
        .iter()
        .find(|r| r.contains("│#30 "))
        .expect("the selected neuron's row");
    assert_eq!(selected_row.matches('|').count(), spikes_of(30));
    // The page of 30 at this size: 7 Braille rows of 4, neurons 28 to 55.
    for first in (28..56).step_by(4) {
        let label = format!("│#{first}-{}", first + 3);
        let row = screen.iter().find(|r| r.contains(&label)).expect(&label);
        let cells: Vec<u32> = row
            .chars()
            .map(u32::from)
            .filter(|c| (0x2800..=0x28ff).contains(c))
            .map(|c| c - 0x2800)
            .collect();
        for d in 0..4 {
            let dots: usize = cells
                .iter()
                .map(|c| usize::from(c & LEFT[d] != 0) + usize::from(c & RIGHT[d] != 0))
                .sum();
            assert_eq!(dots, spikes_of(first + d), "neuron {}", first + d);
            dots_on_page += dots;
        }
    }
    assert!(dots_on_page > 200, "{dots_on_page} spikes on the page");
    assert!(!screen.iter().any(|r| r.contains("│#56-")));
}

/// A network on grid timing says so in the title; an event-exact one does
/// not.
#[test]
fn grid_timing_is_named_in_the_title() {
    let title = |sets: &[String]| {
        let a = App::new(preset::load("network-benchmark", sets).unwrap());
        rows(&a, 100, 30)[0].clone()
    };
    let grid = title(&["network.spike_timing=\"grid\"".to_string()]);
    assert!(
        grid.contains("LIF network (grid timing) · 1000 neurons"),
        "{grid}"
    );
    assert!(!title(&[]).contains("grid"));
}

/// The achieved speed has two significant digits, a rounding that carries
/// too: 0.0996 of real time reads `got ×0.10` (it read `×0.100`, seen live
/// beside `×0.10` a moment before), 0.05 `×0.050`. It is shown where it is
/// not the speed asked for: `×0.25 (got ×0.25)` said one number twice.
#[test]
fn the_achieved_speed_keeps_two_digits() {
    let mut a = app("spike-train-convolution", 100);
    a.run = RunState::Running;
    a.clock.speed = 0.25;
    for (achieved, shown) in [(0.0996, "(got ×0.10)"), (0.05, "(got ×0.050)")] {
        a.clock.achieved = achieved;
        let text = rows(&a, 80, 24).join("\n");
        assert!(text.contains(shown), "{achieved}: {shown}\n{text}");
    }
    for achieved in [0.25, 0.2499, 0.24, 0.26] {
        a.clock.achieved = achieved;
        let text = rows(&a, 80, 24).join("\n");
        assert!(text.contains("×0.25  dt"), "{achieved}:\n{text}");
        assert!(!text.contains("got"), "{achieved}:\n{text}");
    }
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

/// Plurals: one spike, one sweep.
#[test]
fn one_spike_and_one_sweep_are_singular() {
    let mut a = app("hh-single-spike", 1000);
    let text = rows(&a, 80, 24).join("\n");
    assert!(text.contains("1 spike "), "{text}");
    a.view.trigger = TriggerMode::Spike;
    let text = rows(&a, 80, 24).join("\n");
    assert!(text.contains("(1 sweep)"), "{text}");
}

/// The weights view keeps the selected row in view with its bias whole,
/// however large the network (network-benchmark, `g 500`).
#[test]
fn the_selected_row_of_the_weights_is_always_in_view() {
    use spikescope::model::AnyModel;
    use spikescope::ui::format::fit_number;
    let mut a = app("network-benchmark", 10);
    a.view.pane = Pane::Weights;
    for i in [0, 500, 999] {
        a.select(i);
        let AnyModel::Network(net) = &a.sim.model else {
            panic!()
        };
        let bias = fit_number(net.bias()[i], 8);
        for (w, h) in [(80u16, 24u16), (200, 50)] {
            let screen = rows(&a, w, h);
            let row = screen
                .iter()
                .find(|r| r.starts_with(&format!("│#{i} ")))
                .unwrap_or_else(|| panic!("row {i} at {w}x{h}:\n{}", screen.join("\n")));
            let body = row.trim_end_matches('│').trim_end();
            assert!(body.ends_with(&format!(" {bias}")), "{row}");
            assert!(row.contains("│ "), "the b column after its rule: {row}");
        }
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

/// A preset file's error in the picker keeps its source excerpt as the
/// command line prints it: the carets under the value they point at.
#[test]
fn the_pickers_error_keeps_its_carets_under_the_value() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, "model = \"lif\"\n[lif]\ntau_m = \"-20 ms\"\n").unwrap();
    let e = preset::load(path.to_str().unwrap(), &[])
        .unwrap_err()
        .to_string();
    let mut a = app("lif-constant", 10);
    a.overlay = Overlay::Picker {
        index: 0,
        typed: String::new(),
        path: Some(path.to_str().unwrap().into()),
        error: Some(e),
        note: None,
    };
    let screen = rows(&a, 80, 24);
    let text = screen.join("\n");
    let source = screen
        .iter()
        .find(|r| r.contains("3 | tau_m = \"-20 ms\""))
        .unwrap_or_else(|| panic!("no excerpt:\n{text}"));
    let carets = screen
        .iter()
        .find(|r| r.contains('^'))
        .unwrap_or_else(|| panic!("no carets:\n{text}"));
    let column = |r: &str, c: char| r.chars().position(|x| x == c).unwrap();
    assert_eq!(column(carets, '^'), column(source, '"'), "{text}");
    assert_eq!(carets.matches('^').count(), "\"-20 ms\"".len(), "{text}");
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

/// A one-shot preset held at its end shows its whole protocol under its own
/// time axis: hh-clamp-family ends at 150 ms, its window's length, and the
/// sample there closes the sweep from 0 rather than opening one from 150
/// ms. Likewise any run paused at a sweep's end; a step later the next
/// sweep begins.
#[test]
fn a_sweep_ending_with_the_run_keeps_its_own_axis() {
    let a = app("hh-clamp-family", 1_000_000);
    assert!((a.sim.time_s() - a.window_s()).abs() < 1e-12);
    let text = rows(&a, 100, 30).join("\n");
    assert!(text.contains("ms from 0 ms"), "{text}");
    let mut a = app("hh-repetitive", 2000);
    assert!((a.sim.time_s() - a.window_s()).abs() < 1e-12);
    let text = rows(&a, 100, 30).join("\n");
    assert!(text.contains("ms from 0 ms"), "{text}");
    a.advance(1);
    let text = rows(&a, 100, 30).join("\n");
    assert!(text.contains("ms from 100 ms"), "{text}");
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

/// The network neuron's phase plane marks its state now, as the HH plane
/// and the LIF phase line do, and reads it out: the engine's v and s of
/// the selected neuron at that instant. Its name stands beside the mark
/// even in a dense trajectory (network-ei's `now` stood six rows above it).
#[test]
fn the_network_phase_plane_marks_and_reads_the_state_now() {
    use spikescope::ui::format::sig4;
    for (name, steps, selected) in [("network-abc", 2000, 2), ("network-ei", 7500, 0)] {
        let mut a = app(name, steps);
        a.select(selected);
        a.view.pane = Pane::Phase;
        let AnyModel::Network(net) = &a.sim.model else {
            panic!("{name} is a network")
        };
        let (v, s) = (net.v()[selected], net.synaptic_current(selected));
        let screen = rows_with(&a, 80, 24, &NO_COLOR);
        let text = screen.join("\n");
        assert!(
            text.contains(&format!("now v {}, s {}", sig4(v), sig4(s))),
            "{name}: v {v}, s {s}\n{text}"
        );
        // The mark, once in the plot (the status line's speed is `×0.25`),
        // and its name beside it: on its row or the next, within a column.
        let cells: Vec<Vec<char>> = screen.iter().map(|r| r.chars().collect()).collect();
        let marks: Vec<(usize, usize)> = (0..cells.len())
            .filter(|&r| cells[r].first() == Some(&'│'))
            .flat_map(|r| {
                let row = &cells[r];
                (0..row.len())
                    .filter(move |&c| row[c] == '×')
                    .map(move |c| (r, c))
            })
            .collect();
        assert_eq!(marks.len(), 1, "{name}\n{text}");
        let (r, c) = marks[0];
        let named = (r - 1..=r + 1).any(|r| {
            let row: String = cells[r].iter().collect();
            row.match_indices("now").any(|(byte, _)| {
                let start = row[..byte].chars().count();
                start <= c + 2 && start + 4 >= c
            })
        });
        assert!(named, "{name}: mark at row {r}, column {c}\n{text}");
    }
}

/// A cursor's name stays readable over the curves and the other labels:
/// the network phase plane's threshold at 60x16, the HH rate view's now.
#[test]
fn cursor_names_are_not_covered() {
    let mut a = app("network-abc", 2000);
    a.view.pane = Pane::Phase;
    let text = rows(&a, 60, 16).join("\n");
    assert!(
        text.contains("threshold┆") || text.contains("┆threshold"),
        "{text}"
    );
    let mut a = app("hh-repetitive", 4000);
    a.view.pane = Pane::Rate;
    let text = rows(&a, 80, 24).join("\n");
    assert!(text.contains("┆now"), "{text}");
}

/// A preset whose own time reads as far longer than its key's usual times
/// (`tau_m = 20`: 20 s) says so under the screen as it opens, from the
/// command line, from the picker's `o` or given by `--set`; a preset
/// without such a time says nothing there.
#[test]
fn a_bare_time_that_looks_meant_in_ms_is_said_under_the_screen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bare.toml");
    let text = std::fs::read_to_string("presets/lif-constant.toml")
        .unwrap()
        .replace("tau_m = \"20 ms\"", "tau_m = 20");
    std::fs::write(&path, text).unwrap();
    let path = path.to_str().unwrap();
    let note = "lif.tau_m = 20 is 20 s: a time without a unit is in seconds (\"20 ms\" for \
                milliseconds)";
    let mut a = App::new(preset::load(path, &[]).unwrap());
    a.guide_until = None;
    assert_eq!(a.message.as_ref().map(|m| m.text.as_str()), Some(note));
    let shown = screen(&a, 80, 24);
    assert!(
        shown.contains("lif.tau_m = 20 is 20 s: a time without a unit is in"),
        "{shown}"
    );
    let mut b = app("lif-constant", 0);
    assert_eq!(b.message, None);
    b.open_preset(path);
    let opened = format!("opened {path}: {note}");
    assert_eq!(
        b.message.as_ref().map(|m| m.text.as_str()),
        Some(opened.as_str())
    );
    // Given by `--set` (`spikescope lif-constant --set lif.tau_m=20`), the
    // same: the screen has no standard error to say it on.
    let c = App::new(preset::load("lif-constant", &["lif.tau_m=20".into()]).unwrap());
    assert_eq!(c.message.as_ref().map(|m| m.text.as_str()), Some(note));
}

/// `+` and `-` change the selected network neuron's bias: the change shows
/// on its line at 80x24 beside its v (the ISI, which the rate restates,
/// gives way first), whatever the neuron's name.
#[test]
fn a_bias_changed_by_a_key_shows_at_80x24() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    for (name, before) in [
        ("network-abc", 1.0),
        ("network-ei", 1.071),
        ("network-populations", 1.5),
    ] {
        let mut a = app(name, 3000);
        a.on_key(KeyEvent::new(KeyCode::Char('+'), KeyModifiers::NONE));
        let line = rows(&a, 80, 24)
            .into_iter()
            .find(|r| r.starts_with('#'))
            .unwrap();
        let AnyModel::Network(n) = &a.sim.model else {
            panic!("{name} is a network")
        };
        let bias = n.bias()[a.view.selected];
        assert!((bias - before - 0.1).abs() < 1e-3, "{name}: bias {bias}");
        let shown: f64 = line
            .split("  bias ")
            .nth(1)
            .and_then(|t| t.split_whitespace().next())
            .and_then(|t| t.parse().ok())
            .unwrap_or_else(|| panic!("{name}: no bias on {line}"));
        // Four significant digits, as every number on the status line.
        assert!((shown - bias).abs() <= 5e-4 * bias.abs(), "{name}: {line}");
        assert!(line.contains(" v "), "{name}: {line}");
    }
}

/// Without colour, curves are told apart by their patterns; in ASCII a
/// cell cannot show a pattern's dots, so each curve's cells read its own
/// character: `*` solid, `+` dashed, `.` dotted. Every curve read `*`, and
/// hh-clamp's three gate functions could not be told apart. Each gate has
/// its pattern on the scope too (m dashed, h dotted, n solid). At V = -100
/// mV (the plot's left edge) h_inf is 1 (`.`), m_inf and n_inf are near 0
/// (n, drawn last, on top: `*`).
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
    assert_eq!(after(&rows, "|0.0+"), '*', "{text}");
    let left_plot: String = rows
        .iter()
        .filter(|r| r.starts_with("|0.") || r.starts_with("|1.") || r.starts_with("|   |"))
        .map(|r| r.chars().skip(5).take(33).collect::<String>())
        .collect();
    for c in ['*', '+', '.'] {
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
