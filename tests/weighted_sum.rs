//! The weights view's sum over time (notes 1.3.4), where a large screen
//! leaves room below W: x_j(t) = (a_j * h)(t) from X's recorded spikes and
//! z_i(t) = Σ_j w_ij x_j(t) + b_i, checked against the engine's own input
//! s_i + b_i as it was recorded at each sample, and drawn as a user sees it;
//! and the table's word on z and s_i + b_i after W is changed.

mod common;

use common::drawn::{NO_COLOR, app, rows_with};
use spikescope::model::AnyModel;
use spikescope::model::recordable::{Quantity, Recordable};
use spikescope::model::weights::populations;
use spikescope::ui::command::Command;
use spikescope::ui::pane::weighted_sum::{Trains, sample_times};
use spikescope::view::Pane;

/// For every Y neuron of both population presets, and every neuron of the
/// winner-take-all network (its s recorded from the start, selected),
/// z_i(t) from the spikes equals s_i(t) + b_i as the engine had it, at
/// every sample of the last 400 ms: the plot draws the engine's input, not
/// an estimate of it.
#[test]
fn z_over_time_is_the_engines_input_at_every_sample() {
    for (name, receivers) in [
        ("network-populations", 2..5),
        ("network-populations-augmented", 2..5),
        ("network-wta", 0..4),
    ] {
        // How far each neuron's input moved over the window.
        let mut moved = Vec::new();
        for i in receivers {
            let mut a = app(name, 0);
            a.apply(Command::Select(i));
            a.advance(12_000);
            let AnyModel::Network(net) = &a.sim.model else {
                panic!("{name} is a network")
            };
            let dense = net.connections().to_dense();
            // Two populations' senders, or every neuron of any other network.
            let x = match populations(&dense) {
                Some((x, y)) => {
                    assert_eq!((x.as_slice(), y.as_slice()), (&[0, 1][..], &[2, 3, 4][..]));
                    x
                }
                None => (0..net.len()).collect(),
            };
            let trains = Trains::of(&a, &x).expect("a network's spike trains");
            let probes = &a.traces.probes;
            let s = probes
                .place_of(Recordable::at(Quantity::S, i))
                .expect("the selected neuron's s is recorded");
            let now = a.sim.time_s();
            let mut checked = 0;
            let mut spread = (f64::INFINITY, f64::NEG_INFINITY);
            for (t, s) in probes.times().zip(probes.values(s)) {
                if t < now - 0.4 {
                    continue;
                }
                let xs: Vec<f64> = (0..x.len()).map(|j| trains.x_at(j, t)).collect();
                let z = trains.z(&[i], t, false)[0];
                // With W and b as they were throughout, z is the notes' sum.
                let notes: f64 = x.iter().zip(&xs).map(|(&j, xj)| dense[i][j] * xj).sum();
                assert!((z - (notes + net.bias()[i])).abs() <= 1e-12 * z.abs().max(1.0));
                let engine = s + net.bias()[i];
                assert!(
                    (z - engine).abs() <= 1e-12 * engine.abs().max(1.0),
                    "{name} #{i} at {t} s: z {z}, engine's s + b {engine}"
                );
                spread = (spread.0.min(z), spread.1.max(z));
                checked += 1;
            }
            assert!(checked > 100, "{name} #{i}: {checked} samples");
            moved.push(spread.1 - spread.0);
        }
        // Spikes arrive: the check is of a signal (the winner C of
        // network-wta alone receives none, its rivals silenced).
        assert!(
            moved.iter().filter(|&&m| m > 0.1).count() >= 2,
            "{name}: {moved:?}"
        );
    }
}

/// After b and W are changed while running, z_i(t) is still the engine's
/// input at every sample of the window: before the changes with the old b
/// and each spike with the w_ij it was delivered under, after them with
/// the new. Redone with W and b as they are now, y1's whole past z had
/// risen with `+`, and the spikes from before w_11 was doubled counted
/// twice as much.
#[test]
fn z_over_time_stays_the_engines_input_when_w_and_b_change() {
    let source = spikescope::preset::PresetSource::resolve("network-populations", &[]).unwrap();
    let mut a = spikescope::ui::app::App::from_source(source).unwrap();
    a.guide_until = None;
    let (y1, bias_was) = (2, 0.9);
    a.advance(3_000);
    a.apply(Command::Select(y1));
    a.apply(Command::AdjustBias { tenths: 1 });
    let bias_changed_at = a.sim.time_s();
    a.advance(1_500);
    let AnyModel::Network(net) = &a.sim.model else {
        panic!("a network")
    };
    assert_eq!(
        (net.bias()[y1], net.connections().weight(y1, 0)),
        (1.0, 0.03)
    );
    set_weight(&mut a, (y1, 0), 0.06);
    let w_changed_at = a.sim.time_s();
    a.advance(1_500);
    let trains = Trains::of(&a, &[0, 1]).unwrap();
    let probes = &a.traces.probes;
    let s = probes.place_of(Recordable::at(Quantity::S, y1)).unwrap();
    let now = a.sim.time_s();
    let (mut checked, mut before_both, mut after_both) = (0, 0, 0);
    for (t, s) in probes.times().zip(probes.values(s)) {
        if t < now - 0.5 {
            continue;
        }
        let b = if t < bias_changed_at { bias_was } else { 1.0 };
        let engine = s + b;
        let z = trains.z(&[y1], t, false)[0];
        assert!(
            (z - engine).abs() <= 1e-12 * engine.abs().max(1.0),
            "at {t} s: z {z}, the engine's s + b {engine}"
        );
        before_both += usize::from(t < bias_changed_at);
        after_both += usize::from(t > w_changed_at);
        checked += 1;
    }
    assert!(checked > 2_000 && before_both > 100 && after_both > 100);
    // Just before the bias's change z had the old b, from it the new.
    let jump =
        trains.z(&[y1], bias_changed_at, false)[0] - trains.z(&[y1], bias_changed_at, true)[0];
    assert!((jump - 0.1).abs() < 1e-12, "{jump}");
}

/// The engine carries its filters' state into a new h; a sum of the h of
/// now over the spikes does not redo that. After tau_s is changed the z
/// plot's title says its past is the sum with h as now, until the window
/// and the filter's memory have passed the change.
#[test]
fn after_h_changes_the_sum_says_its_past_uses_h_as_now() {
    let source = spikescope::preset::PresetSource::resolve("network-populations", &[]).unwrap();
    let mut a = spikescope::ui::app::App::from_source(source).unwrap();
    a.guide_until = None;
    a.advance(5_000);
    let title = |a: &spikescope::ui::app::App| {
        rows_with(a, 200, 50, &NO_COLOR)
            .into_iter()
            .find(|r| r.contains("z_i(t) = "))
            .unwrap_or_default()
    };
    let words = |a: &spikescope::ui::app::App| {
        let text = rows_with(a, 120, 30, &NO_COLOR).join(" ").replace('│', " ");
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    assert!(title(&a).contains("Y's input from X ─"), "{}", title(&a));
    assert!(words(&a).contains("s_i + b_i (equal)."), "{}", words(&a));
    a.change_param("network.tau_s", Some("\"20 ms\"")).unwrap();
    a.advance(10);
    assert!(
        title(&a).contains("Y's input from X, h as now"),
        "{}",
        title(&a)
    );
    // The table's words, and the shorter title of a smaller screen, say
    // so too: they read "(equal)" beside a z and an s + b apart, and
    // `z_i(t): Y's input` (network-abc at order 1 after 0: 1.672, 1.432).
    assert!(
        words(&a).contains(
            "s_i + b_i (equal once the spikes from before h was changed have faded: s_i \
             carried its filters' state into the new h, x sums the h of now over every spike)."
        ),
        "{}",
        words(&a)
    );
    let narrow = rows_with(&a, 120, 50, &NO_COLOR).join("\n");
    assert!(narrow.contains("z_i(t): Y's input, h as now"), "{narrow}");
    // A 500 ms window and 20 ms x 61 of the filter's memory later.
    a.advance(18_000);
    assert!(title(&a).contains("Y's input from X ─"), "{}", title(&a));
    assert!(words(&a).contains("s_i + b_i (equal)."), "{}", words(&a));
}

/// In grid timing a spike stamped at its step's start reaches its targets
/// at the step's end (as in Brian2): x_j counts it from there, so z is the
/// engine's input at every sample, and the table's z equals its s + b.
/// Counted from the stamp, z read 3.171 beside s + b of 3.193 under the
/// words "(equal)".
#[test]
fn in_grid_timing_z_counts_each_spike_from_the_end_of_its_step() {
    let scenario =
        spikescope::preset::load("network-populations", &["network.spike_timing=grid".into()])
            .unwrap();
    let mut a = spikescope::ui::app::App::new(scenario);
    a.guide_until = None;
    a.advance(8_000);
    let trains = Trains::of(&a, &[0, 1]).unwrap();
    let AnyModel::Network(net) = &a.sim.model else {
        panic!("a network")
    };
    let probes = &a.traces.probes;
    let now = a.sim.time_s();
    let mut checked = 0;
    for y in 2..5 {
        let s = probes.place_of(Recordable::at(Quantity::S, y)).unwrap();
        for (t, s) in probes.times().zip(probes.values(s)) {
            if t < now - 0.4 {
                continue;
            }
            let (z, engine) = (trains.z(&[y], t, false)[0], s + net.bias()[y]);
            assert!(
                (z - engine).abs() <= 1e-12 * engine.abs().max(1.0),
                "#{y} at {t} s: z {z}, the engine's s + b {engine}"
            );
            checked += 1;
        }
    }
    assert!(checked > 3_000, "{checked}");
    let text = rows_with(&a, 120, 40, &NO_COLOR)
        .join(" ")
        .replace('|', " ");
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("(1/s; in grid timing each spike from the end of its step)")
            && words.contains("s_i + b_i (equal)."),
        "{words}"
    );
    // The table's z and s + b columns, row by row.
    for row in rows_with(&a, 120, 40, &NO_COLOR)
        .iter()
        .filter(|r| r.contains("#2 y1") || r.contains("#3 y2") || r.contains("#4 y3"))
    {
        let cells: Vec<&str> = row.split_whitespace().collect();
        let n = cells.len();
        assert_eq!(cells[n - 3], cells[n - 2], "z and s + b: {row}");
    }
}

/// A spike counts from the instant it is fired: x_j jumps there by h(0) =
/// 1/tau_s (the first-order filter). And x_j sums h over every spike up
/// to t: leaving out the spikes fired longer ago than any h still reaches
/// changes nothing (within 1e-15).
#[test]
fn x_is_the_filtered_spike_train_up_to_each_instant() {
    let a = app("network-populations", 8_000);
    let AnyModel::Network(net) = &a.sim.model else {
        panic!("a network")
    };
    let filter = net.params().filter;
    assert_eq!(filter.order, 0);
    let trains = Trains::of(&a, &[0, 1]).unwrap();
    for j in 0..2 {
        let times = a.traces.probes.spike_times_of(j);
        assert!(times.len() > 20, "{times:?}");
        let tp = times[10];
        let jump = trains.x_at(j, tp) - trains.x_before(j, tp);
        assert!((jump - 1.0 / filter.tau_s_s).abs() < 1e-9, "{jump}");
        let just_before = trains.x_at(j, tp - 1e-12);
        assert!((trains.x_before(j, tp) - just_before).abs() < 1e-6);
        for k in 0..200 {
            let t = 0.004 * k as f64;
            let (mine, all) = (trains.x_at(j, t), filter.convolve(&times, 1.0, t));
            assert!(
                (mine - all).abs() <= 1e-15 * all.max(1.0),
                "{t}: {mine} {all}"
            );
        }
    }
}

/// The curves are sampled at each spike's instant, without it and then
/// with it, so that a jump of x_j is drawn whole, its peak at its height
/// (on the even instants alone it lay up to a sample's decay low); and
/// evenly between, from the window's start to now.
#[test]
fn the_samples_take_each_spike_without_it_then_with_it() {
    let a = app("network-populations", 8_000);
    let trains = Trains::of(&a, &[0, 1]).unwrap();
    let (t0, t1) = (0.3, 0.8);
    let times = sample_times(&trains, (t0, t1), 400);
    let spikes: Vec<f64> = (0..2)
        .flat_map(|j| a.traces.probes.spike_times_of(j))
        .filter(|t| (t0..=t1).contains(t))
        .collect();
    assert!(spikes.len() > 20, "{spikes:?}");
    for t in &spikes {
        let k = times.iter().position(|p| p == &(*t, false)).unwrap();
        assert_eq!(times[k + 1], (*t, true));
    }
    assert_eq!(times.len(), 400 + 2 * spikes.len());
    assert_eq!((times[0], times[times.len() - 1]), ((t0, true), (t1, true)));
    assert!(times.windows(2).all(|w| w[0].0 <= w[1].0));
    // A window reaching before t = 0 has no samples there.
    assert!(
        sample_times(&trains, (-0.1, 0.4), 400)
            .iter()
            .all(|p| p.0 >= 0.0)
    );
}

/// At 200x50 the weights of network-populations leave 28 rows below the
/// connections: x_j(t) and z_i(t) side by side over the window (zoomed to
/// 125 ms), y3 held below the firing line by x2's inhibition. At 80x24
/// there is no room, and no plot.
#[test]
fn the_sum_over_time_fills_a_large_screen() {
    let mut a = app("network-populations", 13_500);
    a.apply(Command::ShowPane(Pane::Weights));
    a.view.set_window(0.125);
    let screen = rows_with(&a, 200, 50, &NO_COLOR).join("\n");
    insta::assert_snapshot!(screen);
    let small = rows_with(&a, 80, 24, &NO_COLOR).join("\n");
    assert!(!small.contains("x_j(t)"), "{small}");
    // The stimulus x adds to every neuron's input: z fires above 1 - x.
    a.apply(Command::SetInput(0.25));
    let screen = rows_with(&a, 200, 50, &NO_COLOR).join("\n");
    assert!(
        screen.contains("╌ 1 - x = 0.7500: fires above ┐"),
        "{screen}"
    );
}

/// A network not of two populations has every neuron's sum: in the
/// winner-take-all network the winner C alone stays above the firing line,
/// the others pushed below 0 by its spikes. A network of more neurons than
/// eight curves can be told apart by has none.
#[test]
fn every_neuron_of_a_small_network_has_its_sum() {
    let mut a = app("network-wta", 10_000);
    a.apply(Command::ShowPane(Pane::Weights));
    let screen = rows_with(&a, 200, 50, &NO_COLOR).join("\n");
    insta::assert_snapshot!(screen);
    assert!(
        screen.contains("z_i(t) = Σ_j w_ij x_j(t) + b_i: each neuron's input"),
        "{screen}"
    );
    let mut a = app("network-ei", 10_000);
    a.apply(Command::ShowPane(Pane::Weights));
    let screen = rows_with(&a, 200, 50, &NO_COLOR).join("\n");
    assert!(!screen.contains("x_j(t)"), "{screen}");
}

/// The populations table says z = W x + b equals the engine's s_i + b_i.
/// After W is changed while running they differ until the spikes from
/// before the change fade (s_i weighs each by the W it arrived under), and
/// the words say so then, and only then.
#[test]
fn after_w_changes_the_table_says_when_z_is_s_plus_b_again() {
    // Opened from its source, as the panel needs to change it.
    let source = spikescope::preset::PresetSource::resolve("network-populations", &[]).unwrap();
    let mut a = spikescope::ui::app::App::from_source(source).unwrap();
    a.guide_until = None;
    a.advance(10_000);
    a.apply(Command::ShowPane(Pane::Weights));
    let words = |a: &spikescope::ui::app::App| {
        let text = rows_with(a, 120, 40, &NO_COLOR).join(" ").replace('│', " ");
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let z_and_s = |a: &spikescope::ui::app::App| {
        let AnyModel::Network(net) = &a.sim.model else {
            panic!("a network")
        };
        let dense = net.connections().to_dense();
        let trains = Trains::of(a, &[0, 1]).unwrap();
        let now = a.sim.time_s();
        let xs = [trains.x_at(0, now), trains.x_at(1, now)];
        let z = dense[2][0] * xs[0] + dense[2][1] * xs[1] + net.bias()[2];
        (z, net.synaptic_current(2) + net.bias()[2])
    };
    assert!(words(&a).contains("s_i + b_i (equal)."), "{}", words(&a));
    set_weight(&mut a, (2, 0), 0.06);
    a.advance(1);
    let (z, s_b) = z_and_s(&a);
    assert!((z - s_b).abs() > 0.01, "{z} {s_b}");
    assert!(
        words(&a).contains("s_i + b_i (equal once the spikes from before W was changed have faded: s_i weighs each spike by the W it arrived under)."),
        "{}",
        words(&a)
    );
    // 20 tau_s on, the spikes from before count for nothing.
    a.advance(2_000);
    let (z, s_b) = z_and_s(&a);
    assert!((z - s_b).abs() < 1e-9, "{z} {s_b}");
    assert!(words(&a).contains("s_i + b_i (equal)."), "{}", words(&a));
}

/// Sets w_ij as the parameter panel does: the whole matrix as a preset
/// value, one entry changed.
fn set_weight(a: &mut spikescope::ui::app::App, (i, j): (usize, usize), w_ij: f64) {
    let AnyModel::Network(net) = &a.sim.model else {
        panic!("a network")
    };
    let mut w = net.connections().to_dense();
    w[i][j] = w_ij;
    let rows: Vec<String> = w
        .iter()
        .map(|r| {
            let row: Vec<String> = r.iter().map(|x| format!("{x:?}")).collect();
            format!("[{}]", row.join(", "))
        })
        .collect();
    let matrix = format!("[{}]", rows.join(", "));
    a.change_param("network.weights", Some(&matrix)).unwrap();
}
