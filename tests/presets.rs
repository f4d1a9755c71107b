//! Every bundled preset loads, runs headless for its whole duration, and shows
//! what its description claims.

use spikescope::model::AnyModel;
use spikescope::model::activation::logistic;
use spikescope::model::lif::firing_rate;
use spikescope::preset::{self, bundled};
use spikescope::sim::probe::SpikeList;

/// Runs a bundled preset for its duration; returns the simulation's spikes.
fn run(name: &str) -> (preset::Meta, spikescope::sim::Simulation, SpikeList) {
    let scenario = preset::load(name, &[]).unwrap_or_else(|e| panic!("{name}: {e}"));
    let (meta, mut sim) = scenario.into_simulation();
    let mut list = SpikeList::default();
    let steps = (meta.duration_s / meta.dt_s).round() as u64;
    sim.advance(steps, &mut list)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    (meta, sim, list)
}

#[test]
fn the_table_lists_exactly_the_files_in_presets() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("presets");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            (p.extension()? == "toml")
                .then(|| p.file_stem().unwrap().to_string_lossy().into_owned())
        })
        .collect();
    files.sort();
    let mut names: Vec<String> = bundled::names().map(String::from).collect();
    names.sort();
    assert_eq!(names, files);
    for (name, text) in bundled::BUNDLED {
        let on_disk = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("presets/{name}.toml")),
        )
        .unwrap();
        assert_eq!(*text, on_disk, "{name} is compiled from its file");
        let s = preset::parse(name, text).unwrap();
        assert!(!s.meta.description.is_empty(), "{name} has a description");
        assert_eq!(
            preset::description_of(text),
            (Some(s.meta.name.clone()), s.meta.description.clone()),
            "{name}: the list reads the description the preset loads with"
        );
        assert!(text.starts_with('#'), "{name} opens with a comment block");
    }
}

#[test]
fn every_bundled_preset_runs_for_its_duration() {
    for name in bundled::names() {
        let (meta, sim, _) = run(name);
        assert!((sim.time_s() - meta.duration_s).abs() < 1e-9, "{name}");
    }
}

#[test]
fn hh_repetitive_fires_at_a_steady_rate() {
    let (_, _, list) = run("hh-repetitive");
    let t = list.times_of(0);
    assert_eq!(t.len(), 14);
    let isis: Vec<f64> = t.windows(2).map(|w| w[1] - w[0]).collect();
    let last = isis[isis.len() - 1];
    // Converged rate at J = 10: 68.32 Hz (refdata timings note).
    assert!((1.0 / last - 68.3).abs() < 0.3, "rate {}", 1.0 / last);
    for isi in &isis[2..] {
        assert!((isi - last).abs() < 1e-4, "steady ISIs: {isis:?}");
    }
}

#[test]
fn lif_constant_fires_at_g() {
    let (_, _, list) = run("lif-constant");
    let t = list.times_of(0);
    let g = firing_rate(1.5, 0.02, 0.002);
    assert_eq!(t.len(), g.floor() as usize);
    assert!((1.0 / (t[1] - t[0]) - g).abs() < 1e-9 * g);
}

#[test]
fn network_abc_counts() {
    let (_, _, list) = run("network-abc");
    assert_eq!([0, 1, 2].map(|i| list.times_of(i).len()), [41, 63, 41]);
}

#[test]
fn rate_logistic_settles_on_sigma() {
    let (_, sim, _) = run("rate-logistic");
    let AnyModel::Rate(r) = &sim.model else {
        panic!("a rate model")
    };
    let x = logistic(0.5);
    assert!((r.y[0] - x).abs() < 1e-6);
    assert!((r.y[1] - logistic(2.0 * x - 1.0)).abs() < 1e-6);
}

#[test]
fn network_benchmark_fires_at_about_40_hz() {
    let (meta, sim, list) = run("network-benchmark");
    let n = sim.model.neuron_count();
    assert_eq!(n, 1000);
    let rate = list.spikes.len() as f64 / n as f64 / meta.duration_s;
    // Brian2 on the same recipe (other random streams): 39.6 to 41.1 Hz.
    assert!((38.5..42.5).contains(&rate), "mean rate {rate} Hz");
}

/// The benchmark network with Brian2's grid timing: the rate of the exact
/// run within a fraction of a percent (grid stamps are O(dt) early, and
/// the rest counts from the stamp), and every spike on the step grid.
#[test]
fn network_benchmark_on_the_grid_fires_as_the_exact_one() {
    let rate_of = |sets: &[String]| {
        let (meta, mut sim) = preset::load("network-benchmark", sets)
            .expect("bundled")
            .into_simulation();
        let mut list = SpikeList::default();
        let steps = (meta.duration_s / meta.dt_s).round() as u64;
        sim.advance(steps, &mut list).expect("stable");
        let dt = meta.dt_s;
        let on_grid = list
            .spikes
            .iter()
            .all(|s| (s.time_s / dt - (s.time_s / dt).round()).abs() < 1e-6);
        (list.spikes.len() as f64 / 1000.0 / meta.duration_s, on_grid)
    };
    let (exact, _) = rate_of(&[]);
    let (grid, on_grid) = rate_of(&["network.spike_timing=\"grid\"".to_string()]);
    assert!(on_grid);
    assert!(
        (grid / exact - 1.0).abs() < 0.01,
        "grid {grid} Hz, exact {exact} Hz"
    );
}

// ---------------------------------------------------------------- the library

use spikescope::model::hh::Gate;
use spikescope::model::synapse::PscFilter;

/// A trace row: the time and the value of every column.
type Row = (f64, Vec<f64>);

/// The columns, trace rows and spikes of a preset run.
fn trace(name: &str) -> (Vec<String>, Vec<Row>, SpikeList) {
    trace_with(name, &[])
}

/// `trace` with `--set` overrides.
fn trace_with(name: &str, sets: &[&str]) -> (Vec<String>, Vec<Row>, SpikeList) {
    struct Rows(Vec<Row>, SpikeList);
    impl spikescope::sim::Monitor for Rows {
        fn on_step(
            &mut self,
            sim: &spikescope::sim::Simulation,
            spikes: &[spikescope::model::Spike],
        ) -> std::io::Result<()> {
            let mut v = Vec::new();
            sim.model.record(sim.input(), &mut v);
            self.0.push((sim.time_s(), v));
            self.1.spikes.extend_from_slice(spikes);
            Ok(())
        }
    }
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    let (meta, mut sim) = preset::load(name, &sets).unwrap().into_simulation();
    let mut rows = Rows(Vec::new(), SpikeList::default());
    sim.advance((meta.duration_s / meta.dt_s).round() as u64, &mut rows)
        .unwrap();
    (sim.model.columns(), rows.0, rows.1)
}

#[test]
fn hh_rest_stays_at_rest() {
    let (_, rows, spikes) = trace("hh-rest");
    assert!(spikes.spikes.is_empty());
    let rest = -64.99637933119206;
    for (_, r) in &rows {
        assert!((r[0] - rest).abs() < 1e-6, "V = {}", r[0]);
        assert!((r[1] - Gate::M.x_inf(rest)).abs() < 1e-9);
        assert!((r[2] - Gate::H.x_inf(rest)).abs() < 1e-9);
        assert!((r[3] - Gate::N.x_inf(rest)).abs() < 1e-9);
    }
}

#[test]
fn hh_below_threshold_and_single_spike() {
    let (_, rows, spikes) = trace("hh-subthreshold");
    assert!(spikes.spikes.is_empty());
    assert!(rows.iter().all(|(_, r)| r[0] < -55.0));
    let (_, _, spikes) = trace("hh-single-spike");
    let t = spikes.times_of(0);
    assert_eq!(t.len(), 1);
    assert!((0.005..0.008).contains(&t[0]), "spike at {}", t[0]);
}

/// `hh-rebound` does what its guidance says: the pulse of -5 µA/cm² (20 to
/// 40 ms) holds V between -73 and -72 mV once it has fallen, h rises from
/// 0.60 to 0.79 and n falls from 0.32 to 0.22, and the release fires one
/// spike, at 44.8 ms; at -2 µA/cm² V falls only to -68 mV and, released,
/// rises to -62.5 mV without a spike.
#[test]
fn hh_rebound_fires_on_the_release_of_a_strong_enough_pulse() {
    let at = |rows: &[Row], t_ms: f64| {
        let k = rows
            .iter()
            .position(|(t, _)| (t * 1e3 - t_ms).abs() < 1e-6)
            .unwrap();
        rows[k].1.clone()
    };
    let (_, rows, spikes) = trace("hh-rebound");
    let round = |x: f64, digits: i32| (x * 10f64.powi(digits)).round() / 10f64.powi(digits);
    let (start, end) = (at(&rows, 20.0), at(&rows, 40.0));
    assert_eq!((round(start[2], 2), round(end[2], 2)), (0.60, 0.79), "h");
    assert_eq!((round(start[3], 2), round(end[3], 2)), (0.32, 0.22), "n");
    let held: Vec<f64> = rows
        .iter()
        .filter(|(t, _)| (0.025..=0.04).contains(t))
        .map(|(_, r)| r[0])
        .collect();
    assert!(held.iter().all(|v| (-73.0..=-72.0).contains(v)), "{held:?}");
    let t = spikes.times_of(0);
    assert_eq!(t.len(), 1);
    assert_eq!(round(t[0] * 1e3, 1), 44.8);
    let (_, rows, spikes) = trace_with("hh-rebound", &["stimulus.amplitude=-2"]);
    assert!(spikes.spikes.is_empty());
    let lowest = rows.iter().map(|(_, r)| r[0]).fold(f64::INFINITY, f64::min);
    assert_eq!(lowest.round(), -68.0);
    let after = rows
        .iter()
        .filter(|(t, _)| *t > 0.04)
        .map(|(_, r)| r[0])
        .fold(f64::NEG_INFINITY, f64::max);
    assert_eq!(round(after, 1), -62.5);
}

#[test]
fn hh_fires_faster_at_a_larger_current() {
    let isi = |name: &str| {
        let (_, _, s) = trace(name);
        let t = s.times_of(0);
        t[t.len() - 1] - t[t.len() - 2]
    };
    let (slow, fast) = (isi("hh-repetitive"), isi("hh-fast"));
    assert!(
        1.0 / fast > 1.2 / slow,
        "{} Hz vs {} Hz",
        1.0 / fast,
        1.0 / slow
    );
}

#[test]
fn hh_block_stops_firing_after_the_first_spike() {
    let (_, rows, spikes) = trace("hh-block");
    let t = spikes.times_of(0);
    assert_eq!(t.len(), 1);
    assert!(t[0] < 0.002);
    let (_, last) = rows.last().unwrap();
    assert!(
        last[0] > -45.0 && last[0] < -35.0,
        "V stays depolarized: {}",
        last[0]
    );
    assert!(last[2] < 0.1, "h inactivated: {}", last[2]);
}

#[test]
fn hh_clamp_reaches_the_notes_values() {
    let (cols, rows, spikes) = trace("hh-clamp");
    assert!(spikes.spikes.is_empty());
    let (_, last) = rows.last().unwrap();
    assert_eq!(last[0], -40.0);
    assert!((last[1] - 0.50065).abs() < 1e-5, "m = {}", last[1]);
    assert!((last[2] - 0.05044).abs() < 1e-5, "h = {}", last[2]);
    assert!((last[1] - Gate::M.x_inf(-40.0)).abs() < 1e-12);
    // The input column holds the clamp current: the ionic currents' sum.
    assert_eq!(cols[7], "j_in");
    assert!((last[7] - (last[4] + last[5] + last[6])).abs() < 1e-9);
    // Held at -65 mV before the step at 5 ms.
    let before = rows
        .iter()
        .find(|(t, _)| (*t - 0.004).abs() < 1e-9)
        .unwrap();
    assert_eq!(before.1[0], -65.0);
}

#[test]
fn hh_clamp_family_steps_through_its_levels() {
    let (_, rows, spikes) = trace("hh-clamp-family");
    assert!(spikes.spikes.is_empty());
    for (k, level) in [-50.0, -30.0, -10.0, 10.0, 30.0].iter().enumerate() {
        let t = 0.005 + k as f64 * 0.025 + 0.005;
        let row = rows.iter().find(|(s, _)| (*s - t).abs() < 1e-9).unwrap();
        assert_eq!(row.1[0], *level);
    }
}

#[test]
fn hh_without_sodium_or_potassium() {
    let (_, _, spikes) = trace("hh-ttx");
    assert!(spikes.spikes.is_empty(), "no action potential without g_Na");
    let (_, rows, spikes) = trace("hh-tea");
    assert_eq!(spikes.spikes.len(), 1);
    let (_, last) = rows.last().unwrap();
    assert!(last[0] > 0.0, "without g_K V stays up: {}", last[0]);
}

#[test]
fn lif_below_threshold_never_fires() {
    let (_, rows, spikes) = trace("lif-below");
    assert!(spikes.spikes.is_empty());
    assert!(rows.iter().all(|(_, r)| r[0] < 0.9));
    assert!((rows.last().unwrap().1[0] - 0.9).abs() < 1e-4);
}

#[test]
fn lif_ramp_traces_g() {
    let (_, _, spikes) = trace("lif-ramp");
    let t = spikes.times_of(0);
    // v_in = t/2 passes 1 at t = 2 s.
    assert!(t[0] > 2.0, "first spike at {}", t[0]);
    // Each ISI late in the ramp is close to 1/G at its v_in.
    for w in t.windows(2).skip(100).step_by(50) {
        let v_in = 0.5 * (w[0] + w[1]) / 2.0;
        let g = firing_rate(v_in, 0.02, 0.002);
        assert!(
            (1.0 / (w[1] - w[0]) - g).abs() < 0.02 * g,
            "at v_in {v_in}: {} vs {g}",
            1.0 / (w[1] - w[0])
        );
    }
}

/// Every filter output of a synapse preset equals the closed-form
/// convolution of its spike train at every step.
fn check_convolution(name: &str, filters: &[(usize, f64)]) {
    let (_, rows, spikes) = trace(name);
    let times = spikes.times_of(0);
    assert!(!times.is_empty());
    for (t, r) in rows.iter().step_by(7) {
        for (k, &(order, tau)) in filters.iter().enumerate() {
            let want = PscFilter::new(order, tau).convolve(&times, 1.0, *t);
            assert!(
                (r[k] - want).abs() <= 1e-9 * want.abs().max(1.0),
                "{name} t = {t}, filter {k}: {} vs {want}",
                r[k]
            );
        }
    }
}

#[test]
fn psc_presets_convolve_exactly() {
    check_convolution("psc-ampa-nmda", &[(0, 0.01), (0, 0.3)]);
    check_convolution("psc-orders", &[(0, 0.01), (1, 0.01), (2, 0.01)]);
    check_convolution("spike-train-convolution", &[(0, 0.02)]);
    let (_, rows, _) = trace("psc-ampa-nmda");
    let peak = |k: usize| rows.iter().map(|(_, r)| r[k]).fold(0.0, f64::max);
    assert!(peak(0) > 5.0 * peak(1), "the fast synapse peaks higher");
    // What the look-at says: the spikes crowd at 50-54 ms and at 200-200.6
    // ms, where s reaches 142 and 202 1/s (one spike alone gives 50), the
    // second the largest of the run.
    let (_, rows, _) = trace("spike-train-convolution");
    let guide = preset::load("spike-train-convolution", &[])
        .unwrap()
        .meta
        .guide;
    assert!(
        guide.replace('\n', " ").contains(
            "three at 50-54 ms, four at 200-200.6 ms) the PSCs pile up into a large current, \
             as in the notes' demo: s reaches 142 and 202 1/s there, where one spike alone \
             gives 1/tau_s = 50"
        ),
        "{guide}"
    );
    let (t_max, top) = rows
        .iter()
        .max_by(|a, b| a.1[0].total_cmp(&b.1[0]))
        .unwrap();
    assert!((0.2..0.201).contains(t_max), "largest at {t_max}");
    let peak_in = |from: f64, to: f64| {
        rows.iter()
            .filter(|(t, _)| (from..to).contains(t))
            .map(|(_, r)| r[0])
            .fold(0.0, f64::max)
    };
    assert_eq!(format!("{:.0}", peak_in(0.05, 0.06)), "142");
    assert_eq!(format!("{:.0}", top[0]), "202");
    assert_eq!(format!("{:.0}", peak_in(0.01, 0.02)), "50");
}

#[test]
fn populations_in_block_and_augmented_form_are_the_same_network() {
    let (_, _, a) = trace("network-populations");
    let (_, _, b) = trace("network-populations-augmented");
    assert!(!a.spikes.is_empty());
    assert_eq!(a.spikes, b.spikes);
}

#[test]
fn winner_take_all_ends_with_one_active_neuron() {
    let (_, _, s) = trace("network-wta");
    let active: Vec<usize> = (0..4)
        .filter(|&i| s.times_of(i).iter().any(|&t| t > 0.5))
        .collect();
    assert_eq!(active, vec![2]);
}

#[test]
fn excitatory_inhibitory_network_is_active_and_irregular() {
    let (_, _, s) = trace("network-ei");
    let firing = (0..40).filter(|&i| !s.times_of(i).is_empty()).count();
    assert!(firing >= 20, "{firing} of 40 neurons fire");
    let rate = s.spikes.len() as f64 / 40.0;
    assert!((5.0..60.0).contains(&rate), "mean rate {rate} Hz");
    // Recurrent input makes the intervals irregular (a lone neuron's are
    // constant): some neuron has an ISI coefficient of variation above 0.2.
    let cv = |t: &[f64]| {
        let isi: Vec<f64> = t.windows(2).map(|w| w[1] - w[0]).collect();
        let m = isi.iter().sum::<f64>() / isi.len() as f64;
        (isi.iter().map(|x| (x - m).powi(2)).sum::<f64>() / isi.len() as f64).sqrt() / m
    };
    assert!(
        (0..40)
            .map(|i| s.times_of(i))
            .filter(|t| t.len() > 5)
            .any(|t| cv(&t) > 0.2)
    );
}

#[test]
fn rate_presets_settle_on_their_activation() {
    use spikescope::model::activation::{Activation, one_hot, softmax};
    let z = [-2.0, -1.0, 0.0, 1.0, 2.0];
    for (name, act) in [
        ("rate-arctan", Activation::Arctan),
        ("rate-tanh", Activation::Tanh),
        ("rate-threshold", Activation::Threshold),
        ("rate-relu", Activation::Relu),
    ] {
        let (_, rows, _) = trace(name);
        let (_, last) = rows.last().unwrap();
        for i in 0..5 {
            assert!((last[i] - act.scalar(z[i])).abs() < 1e-3, "{name}[{i}]");
        }
    }
    let mut want = [0.0; 5];
    softmax(&z, &mut want);
    let (_, rows, _) = trace("rate-softmax");
    let y = &rows.last().unwrap().1;
    assert!((y[..5].iter().sum::<f64>() - 1.0).abs() < 1e-3);
    for i in 0..5 {
        assert!((y[i] - want[i]).abs() < 1e-3);
    }
    one_hot(&z, &mut want);
    let (_, rows, _) = trace("rate-onehot");
    let y = &rows.last().unwrap().1;
    for i in 0..5 {
        assert!((y[i] - want[i]).abs() < 1e-3);
    }
    let (_, rows, _) = trace("rate-lif-rate");
    let y = &rows.last().unwrap().1;
    for (i, v) in [0.5, 1.0, 2.0, 3.0, 4.0].iter().enumerate() {
        let g = firing_rate(*v, 0.02, 0.002);
        assert!((y[i] - g).abs() < 1e-3 * g.max(1.0), "G({v})");
    }
}

/// A reset returns to t = 0 and the same run follows, value for value, for
/// every bundled preset (a network from its neuron state alone, its
/// connections never copied); a bias the keyboard changed stays.
#[test]
fn a_reset_runs_the_same_again() {
    struct Record(Vec<f64>);
    impl spikescope::sim::Monitor for Record {
        fn on_step(
            &mut self,
            sim: &spikescope::sim::Simulation,
            spikes: &[spikescope::model::Spike],
        ) -> std::io::Result<()> {
            sim.model.record(sim.input(), &mut self.0);
            self.0.extend(spikes.iter().map(|s| s.time_s));
            Ok(())
        }
    }
    for name in bundled::names() {
        let (meta, mut sim) = preset::load(name, &[]).unwrap().into_simulation();
        let steps = ((0.5 * meta.duration_s / meta.dt_s).round() as u64).clamp(1, 2000);
        let mut first = Record(Vec::new());
        sim.advance(steps, &mut first).unwrap();
        sim.reset();
        assert_eq!(sim.time_s(), 0.0, "{name}");
        assert_eq!(sim.spike_count, 0, "{name}");
        let mut again = Record(Vec::new());
        sim.advance(steps, &mut again).unwrap();
        assert!(first.0 == again.0, "{name}: the run after a reset differs");
    }
    let (_, mut sim) = preset::load("network-abc", &[]).unwrap().into_simulation();
    let AnyModel::Network(net) = &mut sim.model else {
        panic!("a network")
    };
    net.bias_mut()[1] = 0.75;
    sim.advance(100, &mut SpikeList::default()).unwrap();
    sim.reset();
    let AnyModel::Network(net) = &sim.model else {
        panic!("a network")
    };
    assert_eq!(net.bias()[1], 0.75);
}

/// The recordables are the CSV's columns: the same names in the same order,
/// and each one's value is the row's value, for every bundled preset some
/// way into its run.
#[test]
fn recordables_are_the_csv_columns() {
    for name in bundled::names() {
        let (meta, mut sim) = preset::load(name, &[]).unwrap().into_simulation();
        let steps = ((0.3 * meta.duration_s / meta.dt_s).round() as u64).clamp(1, 500);
        sim.advance(steps, &mut SpikeList::default()).unwrap();
        let recordables = sim.model.recordables();
        let names: Vec<String> = recordables
            .iter()
            .map(|&r| sim.model.column_name(r))
            .collect();
        assert_eq!(names, sim.model.columns(), "{name}");
        let mut row = Vec::new();
        sim.model.record(sim.input(), &mut row);
        let values: Vec<f64> = recordables
            .iter()
            .map(|&r| sim.model.value(r, sim.input()))
            .collect();
        assert_eq!(values.len(), row.len(), "{name}");
        for (k, (a, b)) in values.iter().zip(&row).enumerate() {
            assert!(a.to_bits() == b.to_bits(), "{name} {}: {a} {b}", names[k]);
        }
    }
}

/// The rate model's row at t = 0 shows z = W y + b + x of the first step
/// (rate-logistic: x = 0.5 into neuron 0, w = 2, b = [0, -1], y = 0), as
/// every later row shows the z of the step that led to it.
#[test]
fn the_rate_models_first_row_shows_its_inputs() {
    let (meta, sim) = preset::load("rate-logistic", &[])
        .unwrap()
        .into_simulation();
    assert_eq!(meta.dt_s, 1e-3);
    let mut row = Vec::new();
    sim.model.record(sim.input(), &mut row);
    assert_eq!(row, [0.0, 0.0, 0.5, -1.0]);
}

/// A preset opened with `--set` keeps its guidance (the rewritten text
/// had lost the comments, and `a` said the preset had none), with a word
/// that the run changes it.
#[test]
fn a_preset_with_overrides_keeps_its_guidance() {
    for name in bundled::names() {
        let bare = preset::load(name, &[]).unwrap().meta.guide;
        let set = [
            "duration=0.3".to_string(),
            "description=\"mine\"".to_string(),
        ];
        let guide = preset::load(name, &set).unwrap().meta.guide;
        if bare.is_empty() {
            assert_eq!(guide, "", "{name}");
        } else {
            assert_eq!(
                guide,
                format!(
                    "{bare}\n(--set duration=0.3 --set description=\"mine\": where the words \
                     above give the preset's values, this run's differ.)"
                ),
                "{name}"
            );
        }
    }
}
