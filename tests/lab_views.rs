//! What the lab's readouts say, at 80x24 without colour: view 8, the ISI
//! histogram, reads the recorded spikes; the rate view's marks, the gates'
//! readout and the weights view's name the values now. The scope's cursors:
//! lab_cursors.rs; writing the screen (`w`): screen_write.rs.

mod common;

use common::screen;

use spikescope::lab::spike_shape::spike_shape;
use spikescope::model::AnyModel;
use spikescope::model::lif::firing_rate;
use spikescope::preset;
use spikescope::ui::app::App;
use spikescope::ui::command::Command;
use spikescope::ui::format::{sig4, time_point};
use spikescope::view::Pane;

fn app(name: &str, steps: u64) -> App {
    common::paused_app(name, steps)
}

#[test]
fn the_isi_histogram_of_a_network_neuron() {
    let mut a = app("network-ei", 11_000);
    a.apply(Command::ShowPane(Pane::Isi));
    let text = screen(&a);
    assert!(
        text.contains("ISI histogram of #0") && text.contains("CV"),
        "{text}"
    );
    insta::assert_snapshot!(text);
    let mut a = app("hh-rest", 100);
    a.apply(Command::ShowPane(Pane::Isi));
    assert!(screen(&a).contains("fewer than two recorded spikes"));
    // Two spikes: one interval ("1 intervals" before).
    let mut a = app("hh-repetitive", 600);
    a.apply(Command::ShowPane(Pane::Isi));
    assert_eq!(a.traces.probes.spike_times_of(0).len(), 2);
    // Its CV is none: one interval has no spread (it read 0, a perfectly
    // regular train).
    let text = screen(&a);
    let cv = regex::Regex::new(r"│1 interval · mean [0-9.]+ ms \([0-9.]+ Hz\) · CV –").unwrap();
    assert!(cv.is_match(&text), "{text}");
    // A model without spikes says why it has no intervals, in its own terms.
    let mut a = app("rate-tanh", 100);
    a.apply(Command::ShowPane(Pane::Isi));
    let text = screen(&a).replace("│\n│", " ");
    assert!(text.contains("Rate neurons have no spikes"), "{text}");
    assert!(!text.contains("clamp"), "{text}");
    let mut a = app("hh-clamp", 100);
    a.apply(Command::ShowPane(Pane::Isi));
    let text = screen(&a).replace("│\n│", " ");
    assert!(text.contains("Under a voltage clamp V is held"), "{text}");
    assert!(!text.contains("Rate neurons"), "{text}");
}

/// The ISI histogram counts intervals: its axis ends on a whole number at
/// or above the tallest bin and its ticks are whole numbers (bars of 1 to 4
/// read against ticks 1.0, 2.0, 3.0 and 4.5 in psc-ampa-nmda at 1.5 s),
/// evenly spaced, with one between the ends from 18 rows of screen up
/// (network-ei's #0 at 600 ms, its tallest bin 6, read 0 and 7 alone at
/// 80x24; hh-repetitive's 0, 10, 20, 25 at 90x20), checked at six sizes
/// against the engine's histogram.
#[test]
fn the_isi_histogram_counts_in_whole_numbers() {
    use spikescope::lab::isi::{intervals, isi_stats};
    for (name, steps) in [
        ("psc-ampa-nmda", 15_000),
        ("network-ei", 15_000),
        ("network-ei", 6000),
        // Bins to 22 or 23: an end of 25 is five parts, more than the
        // seven rows of 90x20 hold evenly (it read 0, 10, 20, 25 there).
        ("hh-repetitive", 6000),
    ] {
        let mut a = app(name, steps);
        a.apply(Command::ShowPane(Pane::Isi));
        let times = a.traces.probes.spike_times_of(0);
        let tallest = *isi_stats(&intervals(&times), 30)
            .unwrap()
            .bins
            .iter()
            .max()
            .unwrap();
        for (w, h) in [(80, 24), (60, 16), (90, 20), (70, 18), (80, 21), (100, 30)] {
            // The y ticks: the number before a row's `┤` inside the plot.
            let ticks: Vec<String> = common::rows(&a, w, h)
                .iter()
                .filter_map(|r| {
                    let (left, _) = r.strip_prefix('│')?.split_once('┤')?;
                    Some(left.trim().to_string()).filter(|t| !t.is_empty())
                })
                .collect();
            assert!(ticks.len() >= 2, "{name} {w}x{h}: {ticks:?}");
            let values: Vec<u64> = ticks
                .iter()
                .map(|t| {
                    t.parse()
                        .unwrap_or_else(|_| panic!("{name} {w}x{h}: tick {t:?}"))
                })
                .collect();
            assert_eq!(values.last(), Some(&0), "{name} {w}x{h}: {ticks:?}");
            let gaps: Vec<u64> = values.windows(2).map(|p| p[0] - p[1]).collect();
            assert!(
                gaps.iter().all(|g| *g == gaps[0]) && (h < 18 || values.len() >= 3),
                "{name} {w}x{h}: {ticks:?}"
            );
            assert!(
                values[0] >= tallest as u64,
                "{name} {w}x{h}: {ticks:?}, tallest {tallest}"
            );
        }
    }
}

/// A network neuron's rate view reads G at its whole input v_in = s + b + x
/// (notes 1.3.5: the rate model's input is sum_j w_ij a_j + b_i), and its
/// measured points at the mean v_in over each interval: they lie by G.
/// Against b + x alone (the synaptic current left out) network-ei's #0 read
/// G 17.74 Hz beside a measured 36.72 Hz, and network-populations' y1 G 0
/// beside 79 Hz. Each mark is named beside it: `measured` the trail's last
/// point, `G now` the disc at v_in now, a row lower.
#[test]
fn each_rate_mark_is_named_beside_it() {
    let mut a = app("network-ei", 7500);
    a.apply(Command::ShowPane(Pane::Rate));
    let (mean_v_in, measured) = *a.traces.trail.points().last().unwrap();
    assert!((measured - 36.72).abs() < 0.005, "{measured}");
    let AnyModel::Network(net) = &a.sim.model else {
        unreachable!()
    };
    let (tau_m, tau_ref) = (net.params().tau_m_s, net.params().tau_ref_s);
    let v_in = net.bias()[0] + a.sim.input()[0] + net.synaptic_current(0);
    let g = firing_rate(v_in, tau_m, tau_ref);
    let text = common::rows(&a, 80, 24);
    assert!(
        text[1].contains("rate of #0 (Hz): G(v_in) and measured"),
        "{}",
        text[1]
    );
    assert!(
        text[2].contains(&format!(
            "v_in {}: G {} Hz (v_in = s + b + x; tau_m 20 ms",
            sig4(v_in),
            sig4(g)
        )) && text[3].contains("measured 36.72 Hz"),
        "{}",
        text.join("\n")
    );
    assert!(
        text[22].contains(&format!("G(v_in) {} Hz", sig4(g))),
        "{}",
        text[22]
    );
    // The measured points by G: within a fifth of it on the mean, where
    // G(b + x) is a third of what the neuron fires at.
    let points: Vec<(f64, f64)> = a.traces.trail.points().copied().collect();
    let off = points
        .iter()
        .map(|&(x, rate)| (firing_rate(x, tau_m, tau_ref) - rate).abs() / rate)
        .sum::<f64>()
        / points.len() as f64;
    assert!(off < 0.2, "{off}");
    assert!(firing_rate(net.bias()[0], tau_m, tau_ref) < 0.5 * measured);
    let row_of = |s: &str| text.iter().position(|r| r.contains(s));
    let (m, g) = (row_of("measured"), row_of("G now●"));
    assert!(
        m.is_some() && g.is_some() && m < g,
        "{mean_v_in}: {}",
        text.join("\n")
    );
}

/// LIF on its ramp, 3 s in at 60x16: the trail's newest point lies under
/// G now's disc (the rate measured at v_in now). `G now` goes beside its
/// disc, and `measured` by the last cross still seen, never beside the
/// disc, where it read as the disc's name (`×××××●measured G now`).
#[test]
fn a_mark_under_another_is_not_named_there() {
    let mut a = app("lif-ramp", 30_000);
    a.apply(Command::ShowPane(Pane::Rate));
    let text = common::rows(&a, 60, 16);
    let all = text.join("\n");
    assert!(
        all.contains("×●G now") && !all.contains("●measured"),
        "{all}"
    );
    // `measured` stands within a row of a cross, touching or over it.
    let (r, row) = text
        .iter()
        .enumerate()
        .find(|(r, row)| *r > 3 && row.contains("measured "))
        .unwrap_or_else(|| panic!("{all}"));
    let start = row[..row.find("measured").unwrap()].chars().count();
    let near = (r - 1..=r + 1).any(|k| {
        text[k]
            .chars()
            .enumerate()
            .any(|(c, ch)| ch == '×' && c + 1 >= start && c <= start + 8)
    });
    assert!(near, "{all}");
}

/// The gates view reads, at the neuron's V now, each gate's equilibrium
/// and time constant as the model's rate functions give them (notes
/// 1.1.4), each time constant with its unit (a lone `ms:` led them).
#[test]
fn the_gates_readout_is_the_rate_functions_at_v_now() {
    use spikescope::model::AnyModel;
    use spikescope::model::hh::Gate;
    let mut a = app("hh-bistable", 2400);
    a.apply(Command::ShowPane(Pane::Gates));
    let AnyModel::Hh(hh) = &a.sim.model else {
        panic!("HH")
    };
    let (v, celsius) = (hh.state.v_mv, hh.params.temperature);
    let text = screen(&a).replace(['│', '"', '\n'], " ");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains(&format!("at V = {} mV:", sig4(v))), "{text}");
    for g in Gate::ALL {
        let inf = format!("{}_inf {}", g.name(), sig4(g.x_inf(v)));
        let tau = format!("tau_{} {} ms", g.name(), sig4(g.tau_ms(v, celsius)));
        assert!(
            text.contains(&inf) && text.contains(&tau),
            "{inf}, {tau}: {text}"
        );
    }
}

/// Without HH, the gates view says why in the loaded model's own terms: a
/// rate network was told about the LIF neuron's potential.
#[test]
fn the_gates_view_speaks_of_the_model_loaded() {
    for (preset, says) in [
        ("rate-softmax", "A rate neuron has no gates and no membrane"),
        ("psc-orders", "PSC filters have no gates"),
        ("lif-constant", "The LIF neuron has no gates"),
        ("network-abc", "The LIF neuron has no gates"),
    ] {
        let mut a = app(preset, 10);
        a.apply(Command::ShowPane(Pane::Gates));
        let text = screen(&a).replace(['│', '"', '\n'], " ");
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(text.contains(says), "{preset}: {text}");
    }
}

/// The weights view of the PSC filters names their one weight, the input the
/// keys change, at its value now (a single neuron has none).
#[test]
fn the_weights_view_of_the_filters_names_their_weight_now() {
    let mut a = app("psc-orders", 10);
    a.apply(Command::ShowPane(Pane::Weights));
    a.apply(Command::SetInput(1.25));
    let text = screen(&a).replace(['│', '"', '\n'], " ");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains("one connection weight, w = 1.250 (the input line"),
        "{text}"
    );
    let mut a = app("lif-constant", 10);
    a.apply(Command::ShowPane(Pane::Weights));
    let text = screen(&a).replace(['│', '"', '\n'], " ");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains("A single neuron has no connection weights. A weight matrix"),
        "{text}"
    );
}

/// A network of thousands keeps the spikes of the neurons around the
/// selected one, not every neuron's: the ring of the last 65,536 spikes of
/// all 8,000 held 0.2 s, so the raster's rows went blank over most of the
/// window and the ISI histogram of #0 counted 6 of its intervals. A neuron
/// selected far away has its spikes from then, and the raster says so.
#[test]
fn a_large_networks_shown_neurons_keep_their_spikes() {
    use spikescope::preset::PresetSource;
    let sets = ["network.random.n=8000".to_string()];
    let source = PresetSource::resolve("network-benchmark", &sets).unwrap();
    let mut a = App::from_source(source).unwrap();
    a.guide_until = None;
    a.advance(4000);
    a.run = spikescope::ui::app::RunState::Paused;
    let spikes = a.traces.stats.count[0];
    assert!(spikes > 10, "{spikes}");
    a.apply(Command::ShowPane(Pane::Isi));
    let text = common::screen(&a);
    let intervals = format!("{} intervals · mean", spikes - 1);
    assert!(text.contains(&intervals), "{intervals}\n{text}");
    assert!(!text.contains(" · from "), "{text}");
    // `e` writes the kept spikes and says whose.
    let dir = tempfile::tempdir().unwrap();
    a.export_dir = dir.path().to_path_buf();
    a.apply(Command::Export);
    let said = common::message(&a);
    assert!(said.contains(" spikes of neurons 0-1535 to "), "{said}");
    // Tab from #1023 to #1024 across a block of 512 keeps 512-1535 on:
    // its page's spikes are whole (the title said "spikes from 410.00 ms"
    // though their history was).
    a.apply(Command::ShowPane(Pane::Scope));
    a.apply(Command::Select(1023));
    a.run = spikescope::ui::app::RunState::Running;
    a.advance(100);
    a.apply(Command::Select(1024));
    let text = common::screen(&a);
    assert!(
        text.contains("┌ spikes: #1020-1031 of 8000 neurons"),
        "{text}"
    );
    // Far away: the spikes kept are that neuron's from now.
    a.apply(Command::Select(6000));
    a.advance(10);
    let text = common::screen(&a);
    assert!(
        text.contains("spikes from 410.00 ms: #6000-6011 of 8000 neurons"),
        "{text}"
    );
    a.apply(Command::Export);
    let said = common::message(&a);
    assert!(
        said.contains(" spikes of neurons 5120-6655 (kept from 410.00 ms) to "),
        "{said}"
    );
    // Theirs only: not those of 0-2047 still in the ring.
    let file = dir
        .path()
        .join("spikescope-network-benchmark-411ms-spikes.csv");
    let rows = std::fs::read_to_string(file).unwrap();
    let neurons: Vec<usize> = rows
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().parse().unwrap())
        .collect();
    assert!(!neurons.is_empty());
    assert!(neurons.iter().all(|n| (5120..6656).contains(n)), "{rows}");
}

/// The rate view counts its intervals and the inputs they were measured
/// at: at hh-repetitive's constant J_in every 1/ISI falls on one mark, and
/// "15 measured points" beside a single mark misled; along lif-ramp each
/// interval has its own mean v_in.
#[test]
fn the_rate_view_counts_intervals_and_the_inputs_they_were_measured_at() {
    for (name, steps, one_input) in [("hh-repetitive", 4600, true), ("lif-ramp", 40_000, false)] {
        let mut a = app(name, steps);
        a.apply(Command::ShowPane(Pane::Rate));
        let n = a.traces.trail.points().len();
        assert!(n >= 5, "{name}: {n}");
        let inputs = if one_input { 1 } else { n };
        let said = if one_input {
            format!("{n} ISIs at 1 input")
        } else {
            format!("{n} ISIs at {inputs} inputs")
        };
        let text = screen(&a);
        assert!(text.contains(&said), "{name}: {said}\n{text}");
    }
}

/// The last spike's shape is the engine's at every step, not the screen's
/// samples: at a window of 1 s they keep one step in ten, and the peak read
/// 27.70 mV for 30.35, the half-width 1.450 ms for 1.336.
#[test]
fn the_spike_shape_is_measured_at_every_step_of_the_run() {
    let sets = ["view.window=1s".to_string()];
    let mut a =
        App::from_source(preset::PresetSource::resolve("hh-repetitive", &sets).unwrap()).unwrap();
    a.guide_until = None;
    a.advance(3600);
    a.apply(Command::CycleCursors);
    assert!(a.traces.probes.sample_every >= 10);
    // The same run, V at every step.
    let (_, mut sim) = preset::load("hh-repetitive", &sets)
        .unwrap()
        .into_simulation();
    let (mut v, mut spikes) = (Vec::new(), Vec::new());
    for _ in 0..3600 {
        spikes.extend(sim.step().unwrap().iter().map(|s| s.time_s));
        let AnyModel::Hh(n) = &sim.model else {
            panic!()
        };
        v.push((sim.time_s(), n.state.v_mv));
    }
    let shape = (0..spikes.len())
        .rev()
        .find_map(|k| spike_shape(&v, spikes[k], spikes.get(k + 1).copied()))
        .unwrap();
    assert_eq!(a.traces.spike_shape.as_ref().unwrap().last, Some(shape));
    assert!(shape.peak_mv > 30.0, "{shape:?}");
    let want = format!(
        "peak {} mV, half-width {} ms",
        sig4(shape.peak_mv),
        sig4(shape.half_width_s * 1e3)
    );
    assert!(screen(&a).contains(&want), "{want}\n{}", screen(&a));
}

/// A spike into a plateau is measured once V falls below its half level:
/// g_K lowered to 0.5 mS/cm² at 55 ms holds the next spike's V above it
/// until g_K is put back at 105 ms. Its AHP window passes long before, and
/// the readout had gone on with the spike before the change.
#[test]
fn a_spike_into_a_plateau_is_measured_when_v_falls_below_its_half_level() {
    let mut a = app("hh-repetitive", 0);
    let mut v = Vec::new();
    let mut steps = |a: &mut App, n: usize| {
        for _ in 0..n {
            a.advance(1);
            let AnyModel::Hh(neuron) = &a.sim.model else {
                panic!("HH")
            };
            v.push((a.sim.time_s(), neuron.state.v_mv));
        }
    };
    let last = |a: &App| a.traces.spike_shape.as_ref().unwrap().last.unwrap();
    steps(&mut a, 1100);
    let set_g_k = |a: &mut App, g_k: &str| {
        common::params::choose(a, 1);
        a.apply(Command::SetParam(g_k.into()));
        a.apply(Command::Back);
    };
    set_g_k(&mut a, "0.5");
    steps(&mut a, 1000);
    let before = last(&a);
    assert!(before.crossing_s < 0.055, "{before:?}");
    set_g_k(&mut a, "36");
    steps(&mut a, 100);
    let plateau = last(&a);
    assert!(plateau.crossing_s > 0.055, "{plateau:?}");
    assert_eq!(Some(plateau), spike_shape(&v, plateau.crossing_s, None));
    assert!(plateau.half_width_s > 0.04, "{plateau:?}");
    let want = format!(
        "spike {}: peak {} mV, half-width {} ms",
        time_point(plateau.crossing_s),
        sig4(plateau.peak_mv),
        sig4(plateau.half_width_s * 1e3)
    );
    a.apply(Command::CycleCursors);
    assert!(screen(&a).contains(&want), "{want}\n{}", screen(&a));
}
