//! The screen against the engine: for every bundled preset, the oscilloscope
//! is driven headlessly for a stretch, every view is drawn at 60x16 (the
//! smallest), 80x24, 120x30 and 200x50, in colour, without it, and in ASCII (a LANG=C terminal), and
//! every number the status lines and the views' readouts show is
//! read off the screen and compared with what `spikescope run` wrote for the
//! same time (its traces and spikes CSV) or, where `run` writes nothing of it,
//! with the closed forms of the notes computed here. A number passes when it
//! equals the truth to the digits it shows.

use std::collections::HashMap;
use std::process::Command;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use regex::Regex;
use spikescope::model::AnyModel;
use spikescope::model::synapse::PscFilter;
use spikescope::named::Named;
use spikescope::preset::{self, bundled};
use spikescope::ui::app::{App, RunState};
use spikescope::ui::render::render;
use spikescope::ui::theme::{ColorDepth, Theme};
use spikescope::view::Pane;

/// What `spikescope run` wrote: the last trace row by column, and the spikes.
struct RunOutput {
    last: HashMap<String, f64>,
    spikes: Vec<(usize, f64)>,
}

fn run(name: &str, duration_s: f64) -> RunOutput {
    outputs(&["run", name, "--duration", &format!("{duration_s:e}")])
}

/// What `spikescope ARGS --out T --spikes S` wrote (`run` or `replay`).
fn outputs(args: &[&str]) -> RunOutput {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("t.csv");
    let spikes = dir.path().join("s.csv");
    let status = Command::new(env!("CARGO_BIN_EXE_spikescope"))
        .args(args)
        .arg("--out")
        .arg(&out)
        .arg("--spikes")
        .arg(&spikes)
        .output()
        .unwrap();
    assert!(status.status.success(), "{args:?}: {status:?}");
    let mut traces = csv::Reader::from_path(&out).unwrap();
    let header: Vec<String> = traces.headers().unwrap().iter().map(String::from).collect();
    let last = traces.records().last().unwrap().unwrap();
    let last = header
        .into_iter()
        .zip(last.iter().map(|x| x.parse::<f64>().unwrap()))
        .collect();
    let spikes = csv::Reader::from_path(&spikes)
        .unwrap()
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].parse().unwrap(), r[1].parse().unwrap())
        })
        .collect();
    RunOutput { last, spikes }
}

/// Whether the shown text `shown` equals `truth` to the digits it shows.
fn agrees(shown: &str, truth: f64) -> bool {
    let value: f64 = match shown.parse() {
        Ok(v) => v,
        Err(_) => return false,
    };
    let (mantissa, exponent) = match shown.split_once('e') {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (shown, 0),
    };
    let decimals = mantissa.split_once('.').map_or(0, |(_, d)| d.len()) as i32;
    let half_unit = 0.5 * 10f64.powi(exponent - decimals);
    (value - truth).abs() <= half_unit * (1.0 + 1e-9) + 1e-12 * truth.abs()
}

/// The numbers on a screen that follow `pattern` (one capture group).
fn numbers(screen: &str, pattern: &str) -> Vec<String> {
    Regex::new(pattern)
        .unwrap()
        .captures_iter(screen)
        .map(|c| c[1].to_string())
        .collect()
}

/// The rate and ISI the spikes allow one to state at `now`: the status's
/// rule, written again here from the spike times alone.
enum Rate {
    Unknown,
    Interval(f64),
    AtMost(f64),
    Stopped,
}

fn rate_of(times: &[f64], now: f64) -> Rate {
    let n = times.len();
    if n < 2 {
        return Rate::Unknown;
    }
    let isi = times[n - 1] - times[n - 2];
    let silent = now - times[n - 1];
    if silent <= isi {
        Rate::Interval(isi)
    } else if silent <= 2.0 * isi {
        Rate::AtMost(silent)
    } else {
        Rate::Stopped
    }
}

/// HH steady states and time constants from the notes' rate functions
/// (SPEC section 4), written here independently of the model's code.
fn hh_gate(gate: char, v: f64, temperature: f64) -> (f64, f64) {
    let exprel = |x: f64| if x == 0.0 { 1.0 } else { x.exp_m1() / x };
    let (a, b) = match gate {
        'm' => (
            1.0 / exprel(-(v + 40.0) / 10.0),
            4.0 * (-(v + 65.0) / 18.0).exp(),
        ),
        'h' => (
            0.07 * (-(v + 65.0) / 20.0).exp(),
            1.0 / (1.0 + (-(v + 35.0) / 10.0).exp()),
        ),
        _ => (
            0.1 / exprel(-(v + 55.0) / 10.0),
            0.125 * (-(v + 65.0) / 80.0).exp(),
        ),
    };
    let phi = 3f64.powf((temperature - 6.3) / 10.0);
    (a / (a + b), 1.0 / (phi * (a + b)))
}

fn lif_g(v_in: f64, tau_m: f64, tau_ref: f64) -> f64 {
    if v_in > 1.0 {
        1.0 / (tau_ref - tau_m * (1.0 - 1.0 / v_in).ln())
    } else {
        0.0
    }
}

/// A network's dense W (row i post), biases and names.
type Weights = (Vec<Vec<f64>>, Vec<f64>, Vec<String>);

/// The loaded network's weights, for a network of at most `most` neurons
/// or a rate network.
fn weights(app: &App, most: usize) -> Option<Weights> {
    match &app.sim.model {
        AnyModel::Network(net) if net.len() <= most => Some((
            net.connections().to_dense(),
            net.bias().to_vec(),
            net.names().to_vec(),
        )),
        AnyModel::Rate(r) => Some((r.weights.clone(), r.bias.clone(), r.names.clone())),
        _ => None,
    }
}

/// Checks every number of one screen; returns what disagrees.
fn check_screen(
    name: &str,
    app: &App,
    (screen, ascii): (&str, bool),
    run: &RunOutput,
) -> Vec<String> {
    let mut wrong = Vec::new();
    let mut expect = |what: &str, shown: &str, truth: f64| {
        if !agrees(shown, truth) {
            wrong.push(format!("{what}: shows {shown}, the engine says {truth}"));
        }
    };
    let now = run.last["time_s"];
    let i = app.view.selected;
    // Status: time.
    for t in numbers(screen, r"t = (-?[0-9.]+) ms ") {
        expect("t (ms)", &t, now * 1e3);
    }
    for t in numbers(screen, r"t = (-?[0-9.]+) s ") {
        expect("t (s)", &t, now);
    }
    // Status: the input of the last step.
    let input = match &app.sim.model {
        AnyModel::Hh(n) if n.clamp => Some(("V_clamp", run.last["v_mV"])),
        AnyModel::Hh(_) => Some(("J_in", run.last["j_in"])),
        AnyModel::Lif(_) => Some(("v_in", run.last["v_in"])),
        AnyModel::Network(_) | AnyModel::Rate(_) => {
            Some(("x", app.sim.input().get(i).copied().unwrap_or(0.0)))
        }
        AnyModel::Synapse(_) => None,
    };
    if let Some((label, truth)) = input {
        let shown = numbers(screen, &format!(r"(?m)^{label} (-?[0-9.e-]+)"));
        assert_eq!(
            shown.len(),
            1,
            "{name}: the input {label} on the status line:\n{screen}"
        );
        expect(label, &shown[0], truth);
    }
    // Status: the input's next level and when, from the protocol, beside
    // the input it is about (in a clamp, before I_clamp: after it, it read
    // as the current's next level).
    let next = numbers(screen, r"(?:→|->) (-?[0-9.e-]+) (?:at |next step)");
    let mut misplaced = Vec::new();
    let mut misnamed = Vec::new();
    if let Some((label, _)) = input {
        let beside = Regex::new(&format!(
            r"(?m)^{label} -?[0-9.e-]+(?: \S+)?  (?:→|->) (-?[0-9.e-]+) (?:at ([0-9.]+) (ms|s)\b|next step)"
        ))
        .unwrap();
        let shown: Vec<_> = beside.captures_iter(screen).collect();
        if shown.len() != next.len() {
            misplaced.push(format!("the next level is not beside {label}"));
        }
        // The input's next level is of the neurons it drives only.
        let driven = app.sim.stimuli[0]
            .neurons
            .as_deref()
            .is_none_or(|ns| ns.contains(&i));
        if !driven && !next.is_empty() {
            misplaced.push(format!(
                "a next level of {label} for #{i}, which the input does not drive"
            ));
        }
        let stimulus = &app.sim.stimuli[0].stimulus;
        for c in shown {
            match (c.get(2), c.get(3)) {
                (Some(t_shown), Some(unit)) => {
                    let (t, level) = stimulus
                        .next_change(now)
                        .unwrap_or_else(|| panic!("{name}: no next change, yet shown:\n{screen}"));
                    let unit = if unit.as_str() == "ms" { 1e-3 } else { 1.0 };
                    expect("next level", &c[1], level);
                    expect("next change at", t_shown.as_str(), t / unit);
                }
                _ => expect(
                    "next step's level",
                    &c[1],
                    stimulus.level_at(now + 0.5 * app.sim.dt_s()),
                ),
            }
        }
    }
    for c in numbers(screen, r"I_clamp (-?[0-9.e-]+) (?:µA/cm²|uA/cm2)") {
        expect("I_clamp", &c, run.last["j_in"]);
    }
    // Status: the selected neuron's spikes, rate and ISI, on its own line
    // (the one that names it).
    let line = Regex::new(r"(?m)^#\d+[^:\n]*: .*$")
        .unwrap()
        .find(screen)
        .map_or("", |m| m.as_str());
    let times: Vec<f64> = run
        .spikes
        .iter()
        .filter(|s| s.0 == i && s.1 <= now)
        .map(|s| s.1)
        .collect();
    if !matches!(app.sim.model, AnyModel::Rate(_)) {
        let count = numbers(line, r"[: ] (\d+) spikes?\b");
        let count = if matches!(app.sim.model, AnyModel::Synapse(_)) {
            numbers(screen, r"input: (\d+) spikes?")
        } else {
            count
        };
        assert_eq!(count.len(), 1, "{name}: the spike count:\n{screen}");
        expect("spikes", &count[0], times.len() as f64);
    }
    // Status: the selected neuron's state now, the membrane potential on
    // every screen.
    let state: Vec<(&str, String)> = match &app.sim.model {
        AnyModel::Hh(_) => [
            ("V", "v_mV"),
            ("m", "m"),
            ("h", "h"),
            ("n", "n"),
            ("I_Na", "i_na"),
            ("I_K", "i_k"),
            ("I_L", "i_l"),
        ]
        .map(|(l, c)| (l, c.to_string()))
        .to_vec(),
        AnyModel::Lif(_) => vec![("v", "v".into())],
        AnyModel::Network(_) => vec![("v", format!("v_{i}")), ("s", format!("s_{i}"))],
        AnyModel::Rate(_) | AnyModel::Synapse(_) => Vec::new(),
    };
    for (k, (label, column)) in state.iter().enumerate() {
        let shown = numbers(line, &format!(r"\b{label} (-?[0-9.e-]+)"));
        if k == 0 && shown.len() != 1 {
            misplaced.push(format!(
                "the membrane potential {label} not on the neuron's line"
            ));
        }
        for x in shown {
            expect(label, &x, run.last[column]);
        }
    }
    // ISI histogram: the intervals of the run's spikes.
    let isi_view =
        Regex::new(r"(\d+) intervals [·|] mean ([0-9.]+) ms \(([0-9.]+) Hz\) [·|] CV ([0-9.e-]+)")
            .unwrap();
    for c in isi_view.captures_iter(screen) {
        let isi: Vec<f64> = times.windows(2).map(|w| w[1] - w[0]).collect();
        let mean = isi.iter().sum::<f64>() / isi.len() as f64;
        let sd = (isi.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / isi.len() as f64).sqrt();
        expect("intervals", &c[1], isi.len() as f64);
        expect("mean ISI (ms)", &c[2], mean * 1e3);
        expect("1/mean ISI", &c[3], 1.0 / mean);
        expect("CV", &c[4], sd / mean);
    }
    let rate = numbers(screen, r"rate (-?[0-9.e-]+) Hz");
    let isi = numbers(screen, r"ISI (-?[0-9.e-]+) ms");
    let rate_bound = numbers(screen, r"rate < (-?[0-9.e-]+) Hz");
    let isi_bound = numbers(screen, r"ISI > (-?[0-9.e-]+) ms");
    let spiking = !matches!(app.sim.model, AnyModel::Rate(_) | AnyModel::Synapse(_));
    match rate_of(&times, now) {
        _ if !spiking => assert!(rate.is_empty() && isi.is_empty(), "{name}:\n{screen}"),
        // The rate always; the ISI, which restates it, where there is room.
        Rate::Interval(isi_s) => {
            assert!(rate.len() == 1 && isi.len() <= 1, "{name}:\n{screen}");
            expect("rate", &rate[0], 1.0 / isi_s);
            for isi in isi {
                expect("ISI", &isi, isi_s * 1e3);
            }
        }
        Rate::AtMost(silent) => {
            assert!(
                rate_bound.len() == 1 && isi_bound.len() <= 1,
                "{name}:\n{screen}"
            );
            expect("rate bound", &rate_bound[0], 1.0 / silent);
            for isi in isi_bound {
                expect("ISI bound", &isi, silent * 1e3);
            }
        }
        Rate::Stopped | Rate::Unknown => {
            assert!(
                rate.is_empty() && rate_bound.is_empty(),
                "{name}: a stale rate\n{screen}"
            );
            let none = if ascii {
                "rate -  ISI -"
            } else {
                "rate –  ISI –"
            };
            assert!(screen.contains(none), "{name}:\n{screen}");
        }
    }
    // Status and rate view: G at the input, a network neuron's whole input
    // s + b + x (its s as `run` wrote it).
    let g_truth = match &app.sim.model {
        AnyModel::Lif(n) => Some(lif_g(
            run.last["v_in"],
            n.params.tau_m_s,
            n.params.tau_ref_s,
        )),
        AnyModel::Network(net) => Some(lif_g(
            net.bias()[i]
                + app.sim.input().get(i).copied().unwrap_or(0.0)
                + run.last[&format!("s_{i}")],
            net.params().tau_m_s,
            net.params().tau_ref_s,
        )),
        _ => None,
    };
    if let Some(g) = g_truth {
        for shown in numbers(screen, r"G\(v_in\) (-?[0-9.e-]+) Hz")
            .into_iter()
            .chain(numbers(screen, r": G (-?[0-9.e-]+) Hz"))
        {
            expect("G", &shown, g);
        }
    }
    for shown in numbers(screen, r"measured (-?[0-9.e-]+) Hz") {
        match rate_of(&times, now) {
            Rate::Interval(isi_s) => expect("measured rate", &shown, 1.0 / isi_s),
            // A measured rate with no current interval is stale.
            _ => expect("measured rate (none now)", &shown, f64::NAN),
        }
    }
    // Status: networks' bias, rate neurons' y and z, synapse outputs.
    if let AnyModel::Network(net) = &app.sim.model {
        for b in numbers(screen, r"bias (-?[0-9.e-]+)") {
            expect("bias", &b, net.bias()[i]);
        }
    }
    if let AnyModel::Rate(_) = &app.sim.model {
        for y in numbers(screen, r": y (-?[0-9.e-]+)") {
            expect("y", &y, run.last[&format!("y_{i}")]);
        }
        for z in numbers(screen, r"  z (-?[0-9.e-]+)") {
            expect("z", &z, run.last[&format!("z_{i}")]);
        }
    }
    if let AnyModel::Synapse(bank) = &app.sim.model {
        let columns = app.sim.model.columns();
        for (k, name) in bank.names.iter().enumerate() {
            let pattern = format!(r"s\({}\) (-?[0-9.e-]+) 1/s", regex::escape(name));
            for s in numbers(screen, &pattern) {
                expect(name, &s, run.last[&columns[k]]);
            }
        }
    }
    // Gates view: x_inf and tau_x at the live V.
    if let AnyModel::Hh(hh) = &app.sim.model {
        let v = run.last["v_mV"];
        for shown in numbers(screen, r"at V = (-?[0-9.e-]+) mV:") {
            expect("V", &shown, v);
        }
        for gate in ['m', 'h', 'n'] {
            let (x_inf, tau) = hh_gate(gate, v, hh.params.temperature);
            for shown in numbers(screen, &format!(r"{gate}_inf (-?[0-9.e-]+)")) {
                expect(&format!("{gate}_inf"), &shown, x_inf);
            }
            for shown in numbers(screen, &format!(r"tau_{gate} (-?[0-9.e-]+)")) {
                expect(&format!("tau_{gate}"), &shown, tau);
            }
        }
    }
    // PSC view: each filter's peak, its time and its area.
    let peaks = Regex::new(r"n (\d+), tau_s ([0-9.]+) (µs|us|ms|s), peak ([0-9.e-]+) 1/s at ([0-9.]+) (µs|us|ms|s), area ([0-9.]+)").unwrap();
    for c in peaks.captures_iter(screen) {
        let order: i32 = c[1].parse().unwrap();
        let unit = |u: &str| match u {
            "µs" | "us" => 1e-6,
            "ms" => 1e-3,
            _ => 1.0,
        };
        let tau: f64 = c[2].parse::<f64>().unwrap() * unit(&c[3]);
        let peak_t = order as f64 * tau;
        let factorial: f64 = (1..=order).map(f64::from).product();
        let h = if order == 0 {
            1.0 / tau
        } else {
            peak_t.powi(order) * (-peak_t / tau).exp() / (factorial * tau.powi(order + 1))
        };
        expect("PSC peak", &c[4], h);
        expect("PSC peak time", &c[5], peak_t / unit(&c[6]));
        expect("PSC area", &c[7], 1.0);
    }
    // Weights view ([W | b] of a recurrent or rate network): every cell of
    // the table, the column named in its header (`#j` or the neuron's
    // name), against the engine's weight w_ij and bias b_i.
    const W_TITLE: &str = "[W | b]: row i post";
    let table = screen.contains(W_TITLE).then(|| weights(app, usize::MAX));
    if let Some(Some((w, bias, names))) = table {
        let lines: Vec<&str> = screen.lines().collect();
        let title = lines.iter().position(|l| l.contains(W_TITLE)).unwrap();
        let parts = |line: &str| -> Vec<String> {
            line.split(['│', '|'])
                .map(|p| p.trim().to_string())
                .collect()
        };
        // The header: the columns' names, then b.
        let header = parts(lines[title + 1]);
        let column = |label: &str| -> Option<usize> {
            match label.strip_prefix('#') {
                Some(k) => k.parse().ok(),
                None => names.iter().position(|n| n == label),
            }
        };
        let columns: Vec<Option<usize>> = header[1]
            .split_whitespace()
            .filter(|t| *t != "…" && *t != "..")
            .map(column)
            .collect();
        if columns.is_empty()
            || columns.contains(&None)
            || header.get(2).map(String::as_str) != Some("b")
        {
            misnamed.push(format!("the [W | b] header: {}", lines[title + 1]));
        }
        for line in &lines[title + 2..] {
            let row = parts(line);
            let Some(i) = row
                .get(1)
                .and_then(|r| r.strip_prefix('#'))
                .and_then(|r| r.split_whitespace().next())
                .and_then(|k| k.parse::<usize>().ok())
            else {
                break;
            };
            let cells: Vec<&str> = row[1]
                .split_whitespace()
                .filter(|t| *t != "…" && *t != "..")
                .collect();
            let cells = &cells[cells.len().saturating_sub(columns.len())..];
            for (shown, j) in cells.iter().zip(&columns) {
                if let Some(j) = j {
                    expect(&format!("w_{i},{j} in [W | b]"), shown, w[i][*j]);
                }
            }
            expect(&format!("b_{i} in [W | b]"), &row[2], bias[i]);
        }
    }
    // Activation view: the SoftMax table. Its z is the engine's (a rate
    // network) or the example's; SoftMax and One-Hot are of the whole z;
    // y is the engine's.
    let table: Vec<(String, Vec<String>)> = screen
        .lines()
        .map(|l| l.trim_matches(['│', '|', ' ']))
        .filter_map(|l| {
            ["z", "SoftMax(z)", "One-Hot(z)", "y (live)"]
                .into_iter()
                .find(|label| l.starts_with(&format!("{label} ")))
                .map(|label| {
                    let cells = l[label.len()..].split_whitespace();
                    (label.to_string(), cells.map(String::from).collect())
                })
        })
        .collect();
    let row = |label: &str| table.iter().find(|(l, _)| l == label).map(|(_, c)| c);
    if let (Some(zs), Some(softmax)) = (row("z"), row("SoftMax(z)")) {
        let z: Vec<f64> = match &app.sim.model {
            AnyModel::Rate(r) => (0..r.z.len())
                .map(|k| run.last[&format!("z_{k}")])
                .collect(),
            _ => zs.iter().map(|c| c.parse().unwrap()).collect(),
        };
        let top = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let sum: f64 = z.iter().map(|zk| (zk - top).exp()).sum();
        for (k, shown) in zs.iter().enumerate() {
            expect(&format!("z_{k} in the SoftMax table"), shown, z[k]);
        }
        for (k, shown) in softmax.iter().enumerate() {
            expect(&format!("SoftMax(z)_{k}"), shown, (z[k] - top).exp() / sum);
        }
        for (k, shown) in row("One-Hot(z)").into_iter().flatten().enumerate() {
            let one_hot = if z[k] == top { 1.0 } else { 0.0 };
            expect(&format!("One-Hot(z)_{k}"), shown, one_hot);
        }
        for (k, shown) in row("y (live)").into_iter().flatten().enumerate() {
            expect(
                &format!("y_{k} in the SoftMax table"),
                shown,
                run.last[&format!("y_{k}")],
            );
        }
    }
    // Weights view (two populations X -> Y): the table W (or [W | b]) with
    // b, each X neuron's x beside it and each Y neuron's z = W x + b beside
    // the engine's s + b: every cell against w_ij, b_i, the filtered spike
    // train x_j = sum h(t - t_k) of the run's spikes (a rate network's y_j)
    // and s_i + b_i.
    let title = Regex::new(
        r"W \((\d+) x (\d+)\), b: z = W x \+ b|\[W \| b\] \((\d+) x (\d+)\) \[x; 1\] = z",
    )
    .unwrap();
    let lines: Vec<&str> = screen.lines().collect();
    let at = lines.iter().position(|l| title.is_match(l));
    if let (Some(at), Some((w, bias, names))) = (at, weights(app, usize::MAX)) {
        let augmented = lines[at].contains("[x; 1]");
        let (xs, ys) = spikescope::model::weights::populations(&w)
            .unwrap_or_else(|| panic!("{name}: a populations table of no populations"));
        let name_of = |k: usize| match names.get(k) {
            Some(n) if *n != k.to_string() => n.clone(),
            _ => format!("#{k}"),
        };
        let x_truth = |j: usize| -> f64 {
            match &app.sim.model {
                AnyModel::Network(net) => {
                    let f = net.params().filter;
                    let order = f.order as i32;
                    let factorial: f64 = (1..=order).map(f64::from).product();
                    run.spikes
                        .iter()
                        .filter(|&&(k, t)| k == j && t <= now)
                        .map(|&(_, t)| {
                            let age = now - t;
                            age.powi(order) * (-age / f.tau_s_s).exp()
                                / (factorial * f.tau_s_s.powi(order + 1))
                        })
                        .sum()
                }
                _ => run.last[&format!("y_{j}")],
            }
        };
        // A line's words inside the borders, the bar before [W | b]'s b
        // column left out.
        let words = |line: &str| -> Vec<String> {
            line.trim_matches(['│', '|', ' '])
                .split_whitespace()
                .filter(|t| !matches!(*t, "│" | "|" | "…" | ".."))
                .map(String::from)
                .collect()
        };
        // The header: the X neurons' names, then b (or the constant 1).
        let header = words(lines[at + 1]);
        let b_label = if augmented { "1" } else { "b" };
        let ncols = header.iter().position(|t| t == b_label).unwrap_or(0);
        // After b: x, then z and the engine's (`s + b`, or a rate
        // network's `z engine`) where the screen is wide enough.
        let rest = header.get(ncols + 1..).unwrap_or_default();
        let trailing =
            rest.iter().filter(|t| *t == "z").count() + usize::from(rest.iter().any(|t| t == "s"));
        let columns: Vec<Option<usize>> = header[..ncols]
            .iter()
            .map(|label| xs.iter().copied().find(|&j| name_of(j) == *label))
            .collect();
        if ncols == 0 || columns.contains(&None) {
            misnamed.push(format!("the populations header: {}", lines[at + 1]));
        }
        // (X neuron, x) as shown, checked after the rows.
        let mut x_cells: Vec<(String, String)> = Vec::new();
        let mut rows = 0;
        for line in &lines[at + 2..] {
            let t = words(line);
            let Some(i) = t
                .first()
                .and_then(|r| r.strip_prefix('#'))
                .and_then(|k| k.parse::<usize>().ok())
            else {
                // Below the rows, the X neurons past the Y neurons' count.
                match t.as_slice() {
                    [label, shown] if shown.parse::<f64>().is_ok() => {
                        x_cells.push((label.clone(), shown.clone()))
                    }
                    _ => break,
                }
                continue;
            };
            rows += 1;
            // #i, its name (unless it has none), its W cells, b, then
            // perhaps an X neuron and its x, then z and s + b.
            let named = name_of(i) != format!("#{i}");
            let cells = &t[1 + usize::from(named)..];
            if cells.len() < ncols + 1 + trailing || !ys.contains(&i) {
                misnamed.push(format!("a row of the populations table: {line}"));
                continue;
            }
            for (shown, j) in cells.iter().zip(&columns) {
                if let Some(j) = j {
                    expect(&format!("w_{i},{j} in W"), shown, w[i][*j]);
                }
            }
            expect(&format!("b_{i} in W, b"), &cells[ncols], bias[i]);
            if cells.len() == ncols + 3 + trailing {
                x_cells.push((cells[ncols + 1].clone(), cells[ncols + 2].clone()));
            }
            // A spiking network's z = W x + b is its s + b at every
            // instant; a rate network's, from the y now, is the engine's z
            // (from the last step's y, without the input) once settled.
            let (z, engine) = match &app.sim.model {
                AnyModel::Network(net) => {
                    let s_b = run.last[&format!("s_{i}")] + net.bias()[i];
                    (s_b, s_b)
                }
                _ => {
                    let w_y: f64 = xs
                        .iter()
                        .map(|&j| w[i][j] * run.last[&format!("y_{j}")])
                        .sum();
                    let x_i = app.sim.input().get(i).copied().unwrap_or(0.0);
                    (w_y + bias[i], run.last[&format!("z_{i}")] - x_i)
                }
            };
            let n = cells.len();
            // A narrow screen leaves out the engine's first, then z.
            for (k, (what, truth)) in [("z", z), ("the engine's z", engine)]
                .into_iter()
                .take(trailing)
                .enumerate()
            {
                expect(&format!("{what} of #{i}"), &cells[n - trailing + k], truth);
            }
        }
        let mut x_seen = 0;
        for (label, shown) in &x_cells {
            if augmented && label == "1" {
                expect("the constant input of [x; 1]", shown, 1.0);
                continue;
            }
            match xs.iter().copied().find(|&j| name_of(j) == *label) {
                Some(j) => expect(&format!("x of {label}"), shown, x_truth(j)),
                None => misnamed.push(format!("x of {label}: no X neuron")),
            }
            x_seen += 1;
        }
        if rows != ys.len() || x_seen != xs.len() {
            misnamed.push(format!(
                "the populations table: {rows} of {} Y rows, {x_seen} of {} x values",
                ys.len(),
                xs.len()
            ));
        }
    }
    // Weights view: the notes' picture of the connections, each line's
    // weight (or the constant-1 node's bias) the engine's, named post first
    // (w_CA from A to C; w_ij from X neuron j to Y neuron i).
    let dense = weights(app, 64);
    // Two populations X -> Y (every X node into every Y node, named by
    // their places from 1), or a recurrent network (every neuron into
    // every other it is connected to, by its number from 0).
    if let Some((w, bias, names)) = dense {
        let (xs, ys, first) = match spikescope::model::weights::populations(&w) {
            Some((xs, ys)) => (xs, ys, 1),
            None => ((0..w.len()).collect(), (0..w.len()).collect(), 0),
        };
        // A neuron named by its index alone is drawn as #k.
        let name_of = |k: usize| match names.get(k) {
            Some(n) if *n != k.to_string() => n.clone(),
            _ => format!("#{k}"),
        };
        // In ASCII the corners are `+` and the arrow `-->`.
        let edge = if ascii {
            r"^\| +(\S+) -- (\S+) += +(-?[0-9.e-]+) --(?:\+--> (\S+)|---> (\S+)|\+)"
        } else {
            r"^│ +(\S+) ── (\S+) += +(-?[0-9.e-]+) ──(?:[┐┤]|┴──▶ (\S+)|───▶ (\S+))"
        };
        let edge = Regex::new(edge).unwrap();
        let mut group = Vec::new();
        for line in screen.lines() {
            let Some(c) = edge.captures(line) else {
                continue;
            };
            group.push((c[1].to_string(), c[2].to_string(), c[3].to_string()));
            let Some(post) = c.get(4).or(c.get(5)) else {
                continue;
            };
            let i = *ys
                .iter()
                .find(|&&i| name_of(i) == post.as_str())
                .unwrap_or_else(|| panic!("{name}: no Y neuron {}:\n{screen}", post.as_str()));
            let yi = ys.iter().position(|&k| k == i).unwrap();
            for (from, label, value) in group.drain(..) {
                if from == "1" {
                    expect(&format!("{label} (bias)"), &value, bias[i]);
                    continue;
                }
                let j = *xs
                    .iter()
                    .find(|&&j| name_of(j) == from)
                    .unwrap_or_else(|| panic!("{name}: no X neuron {from}:\n{screen}"));
                let xj = xs.iter().position(|&k| k == j).unwrap();
                expect(
                    &format!("{label} from {from} to {}", post.as_str()),
                    &value,
                    w[i][j],
                );
                let letters = format!("w_{}{from}", post.as_str());
                let (yi, xj) = (yi + first, xj + first);
                let places = if yi < 10 && xj < 10 {
                    format!("w_{yi}{xj}")
                } else {
                    format!("w_{yi},{xj}")
                };
                if first == 0 && w[i][j] == 0.0 {
                    misnamed.push(format!("{label}: a weight of 0 drawn as a connection"));
                }
                if label != letters && label != places {
                    misnamed.push(format!(
                        "{label}: the weight from {from} to {}",
                        post.as_str()
                    ));
                }
            }
        }
    }
    // Phase line (LIF): the rest at v_in.
    for c in numbers(screen, r"rests at v = v_in = (-?[0-9.]+)") {
        expect("LIF rest", &c, run.last["v_in"]);
    }
    // Phase plane (HH): the reduced system's fixed points at the input of
    // the last step, from the run's CSV, and their stability by name; the
    // state now beside them.
    if let AnyModel::Hh(n) = &app.sim.model {
        let reduced = spikescope::model::hh::reduced::Reduced {
            params: &n.params,
            j_in: run.last["j_in"],
        };
        let points = reduced.fixed_points(-100.0, 60.0);
        let one = Regex::new(
            r"reduced: (stable node|stable focus|unstable node|unstable focus|saddle) at V (-?[0-9.e-]+) mV, n ([0-9.e-]+)",
        )
        .unwrap();
        for c in one.captures_iter(screen) {
            let Some(fp) = points.first().filter(|_| points.len() == 1) else {
                misnamed.push(format!("one fixed point shown, {} found", points.len()));
                continue;
            };
            expect("fixed point V", &c[2], fp.v_mv);
            expect("fixed point n", &c[3], fp.n);
            if &c[1] != fp.stability.name() {
                misnamed.push(format!(
                    "stability: shows {}, is {}",
                    &c[1],
                    fp.stability.name()
                ));
            }
        }
        for c in numbers(screen, r"reduced: (\d+) fixed points") {
            expect("fixed points", &c, points.len() as f64);
        }
        if screen.contains("reduced: no fixed point") && !points.is_empty() {
            misnamed.push(format!("no fixed point shown, {} found", points.len()));
        }
        let now = Regex::new(r"now V (-?[0-9.e-]+) mV, n ([0-9.e-]+)").unwrap();
        for c in now.captures_iter(screen) {
            expect("phase plane V now", &c[1], run.last["v_mV"]);
            expect("phase plane n now", &c[2], run.last["n"]);
        }
    }
    // Phase plane (network neuron): its (v, s) now.
    if let AnyModel::Network(_) = &app.sim.model {
        let now = Regex::new(r"now v (-?[0-9.e-]+), s (-?[0-9.e-]+)").unwrap();
        for c in now.captures_iter(screen) {
            expect("phase plane v now", &c[1], run.last[&format!("v_{i}")]);
            expect("phase plane s now", &c[2], run.last[&format!("s_{i}")]);
        }
    }
    // The loaded preset's own parameters where a view states them: the LIF
    // time constants (the rate view, G as an activation), HH's temperature
    // (the gates' tau_x), each model filter's order and tau_s (PSC view).
    let seconds = |x: &str, unit: &str| {
        x.parse::<f64>().unwrap()
            * match unit {
                "µs" | "us" => 1e-6,
                "ms" => 1e-3,
                _ => 1.0,
            }
    };
    let lif_taus = match &app.sim.model {
        AnyModel::Lif(n) => Some((n.params.tau_m_s, n.params.tau_ref_s)),
        AnyModel::Network(net) => Some((net.params().tau_m_s, net.params().tau_ref_s)),
        AnyModel::Rate(r) => match r.activation {
            spikescope::model::activation::Activation::LifRate { tau_m_s, tau_ref_s } => {
                Some((tau_m_s, tau_ref_s))
            }
            _ => None,
        },
        _ => None,
    };
    let taus = Regex::new(r"tau_m ([0-9.]+) (µs|us|ms|s), tau_ref ([0-9.]+) (µs|us|ms|s)").unwrap();
    for c in taus.captures_iter(screen) {
        match lif_taus {
            Some((tau_m, tau_ref)) => {
                expect("tau_m (s)", &c[1], tau_m / seconds("1", &c[2]));
                expect("tau_ref (s)", &c[3], tau_ref / seconds("1", &c[4]));
            }
            None => misnamed.push(format!("LIF time constants shown: {}", &c[0])),
        }
    }
    if let AnyModel::Hh(n) = &app.sim.model {
        for c in numbers(screen, r"at (-?[0-9.]+) (?:°C|oC)") {
            expect("temperature", &c, n.params.temperature);
        }
    }
    let filters: Vec<(String, PscFilter)> = match &app.sim.model {
        AnyModel::Network(net) => vec![("network".to_string(), net.params().filter)],
        AnyModel::Synapse(bank) => bank
            .names
            .iter()
            .cloned()
            .zip(bank.filters.iter().map(|f| f.filter))
            .collect(),
        _ => Vec::new(),
    };
    for (label, filter) in &filters {
        let own = Regex::new(&format!(
            r"(?:^|[│| ]){}: n (\d+), tau_s ([0-9.]+) (µs|us|ms|s)",
            regex::escape(label)
        ))
        .unwrap();
        for c in own.captures_iter(screen) {
            expect(&format!("{label}'s order"), &c[1], filter.order as f64);
            expect(
                &format!("{label}'s tau_s"),
                &c[2],
                filter.tau_s_s / seconds("1", &c[3]),
            );
        }
    }
    // The input as the views' readouts restate it: the rate view's v_in
    // (a network neuron's s + b + x), HH's J_in over the rate view and the
    // phase plane, LIF's v_in over its phase line, a network neuron's
    // b + x over its phase plane, a synapse's weight per spike.
    let x_now = app.sim.input().get(i).copied().unwrap_or(0.0);
    let v_in = match &app.sim.model {
        AnyModel::Lif(_) => Some(run.last["v_in"]),
        AnyModel::Network(net) => Some(net.bias()[i] + x_now + run.last[&format!("s_{i}")]),
        _ => None,
    };
    for c in numbers(screen, r"[│|]v_in (-?[0-9.e-]+): G ") {
        match v_in {
            Some(v) => expect("v_in in the rate view", &c, v),
            None => misnamed.push(format!("v_in {c} shown for no LIF neuron")),
        }
    }
    for c in numbers(screen, r"[│|]J_in (-?[0-9.e-]+) (?:µA/cm²|uA/cm2) [·|] ") {
        expect("J_in in a view", &c, run.last["j_in"]);
    }
    for c in numbers(screen, r"[│|]v_in (-?[0-9.e-]+) [·|] ") {
        expect("v_in over the phase line", &c, run.last["v_in"]);
    }
    if let AnyModel::Network(net) = &app.sim.model {
        for c in numbers(screen, r"[│|]b \+ x (-?[0-9.e-]+): ") {
            expect("b + x over the phase plane", &c, net.bias()[i] + x_now);
        }
    }
    if let AnyModel::Synapse(_) = &app.sim.model {
        let w = app.sim.stimuli[0].stimulus.amplitude;
        let shown = numbers(screen, r"(?m)^w (-?[0-9.e-]+) per spike");
        assert_eq!(
            shown.len(),
            1,
            "{name}: the weight on the input line:\n{screen}"
        );
        expect("w per spike", &shown[0], w);
        for c in numbers(screen, r"connection weight, w = (-?[0-9.e-]+)") {
            expect("w in the weights view", &c, w);
        }
    }
    // A rate neuron's bias on its line.
    if let AnyModel::Rate(r) = &app.sim.model {
        let shown = numbers(line, r"\bb (-?[0-9.e-]+)");
        assert_eq!(
            shown.len(),
            1,
            "{name}: the bias on the neuron's line:\n{screen}"
        );
        expect("b", &shown[0], r.bias[i]);
    }
    wrong.extend(misnamed);
    wrong.extend(misplaced);
    wrong
}

/// Every number on every view of every bundled preset, at four sizes,
/// with and without colour and in ASCII, equals the engine's at that
/// instant.
#[test]
fn every_number_on_screen_is_the_engines() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for name in bundled::names() {
        let scenario = preset::load(name, &[]).unwrap();
        let dt = scenario.meta.dt_s;
        // A stretch into the run: 60% of the preset's duration, at most 1 s
        // of a large network.
        let steps = ((0.6 * scenario.meta.duration_s / dt).round() as u64).max(1);
        let mut app = App::new(scenario);
        app.guide_until = None;
        app.advance(steps);
        app.run = RunState::Paused;
        let t = app.sim.time_s();
        let run = run(name, t);
        assert_eq!(run.last["time_s"], t, "{name}: run ends where the app is");
        let (wrong, drawn) = check_every_view(name, &mut app, &run);
        failures.extend(wrong);
        checked += drawn;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(checked, bundled::names().count() * Pane::ALL.len() * 4 * 3);
}

/// And where a run ends: a protocol holds its picture at its end (`END`),
/// a run without one goes on past the preset's duration.
#[test]
fn every_number_on_screen_is_the_engines_at_the_end() {
    let mut failures = Vec::new();
    for name in bundled::names() {
        let scenario = preset::load(name, &[]).unwrap();
        let steps = (1.2 * scenario.meta.duration_s / scenario.meta.dt_s).round() as u64;
        let mut app = App::new(scenario);
        app.guide_until = None;
        app.advance(steps);
        let t = app.sim.time_s();
        let run = run(name, t);
        assert_eq!(run.last["time_s"], t, "{name}: run ends where the app is");
        failures.extend(check_every_view(name, &mut app, &run).0);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Draws every view of `app` at 60x16, 80x24, 120x30 and 200x50, in
/// colour, without it and in ASCII, and checks each against `run`; returns what disagrees and how
/// many screens were drawn.
fn check_every_view(name: &str, app: &mut App, run: &RunOutput) -> (Vec<String>, usize) {
    let themes = [
        Theme::default(),
        Theme {
            color: false,
            depth: ColorDepth::None,
            ascii: false,
        },
        Theme {
            color: false,
            depth: ColorDepth::None,
            ascii: true,
        },
    ];
    let mut failures = Vec::new();
    let mut checked = 0;
    for &pane in Pane::ALL {
        app.view.pane = pane;
        for (w, h) in [(60u16, 16u16), (80, 24), (120, 30), (200, 50)] {
            for theme in &themes {
                let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
                term.draw(|f| render(f, app, theme)).unwrap();
                let buf = term.backend().buffer();
                let screen: String = (0..h)
                    .map(|y| {
                        let row: String = (0..w).map(|x| buf[(x, y)].symbol()).collect();
                        row.trim_end().to_string() + "\n"
                    })
                    .collect();
                for problem in check_screen(name, app, (&screen, theme.ascii), run) {
                    failures.push(format!("{name} {pane:?} {w}x{h}: {problem}\n{screen}"));
                }
                checked += 1;
            }
        }
    }
    (failures, checked)
}

/// Drives every bundled preset through `keys` (given the app and the
/// preset's duration in steps) while recording, replays the journal
/// (`spikescope replay --out --spikes`: its last run is the truth) and
/// checks every view against it; returns what disagrees.
fn after_a_session(keys: impl Fn(&str, &mut App, u64)) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for name in bundled::names() {
        let source = preset::PresetSource::resolve(name, &[]).unwrap();
        let mut app = App::from_source(source).unwrap();
        app.guide_until = None;
        let journal = dir.path().join(format!("{name}.journal"));
        app.record_to(&journal).unwrap();
        app.run = RunState::Running;
        let steps = (app.preset.duration_s / app.sim.dt_s()).round() as u64;
        keys(name, &mut app, steps);
        app.run = RunState::Paused;
        assert!(app.finish_journal().is_none(), "{name}");
        let replayed = outputs(&["replay", journal.to_str().unwrap()]);
        assert_eq!(
            replayed.last["time_s"],
            app.sim.time_s(),
            "{name}: the replay ends where the session did"
        );
        failures.extend(check_every_view(name, &mut app, &replayed).0);
    }
    failures
}

/// The same after a session of keys, as a student would drive it: the
/// input raised a coarse step, another neuron selected and its bias raised
/// (networks), a parameter changed in the panel (HH's temperature, LIF's
/// tau_m, a network's PSC order and tau_s), a reset, the run going on
/// between.
#[test]
fn every_number_on_screen_is_the_engines_after_keys() {
    use spikescope::ui::command::Command as Key;
    let failures = after_a_session(|name, app, steps| {
        app.advance(3 * steps / 10);
        app.apply(Key::AdjustInput { fine_steps: 10 });
        app.advance(2 * steps / 10);
        if app.sim.model.neuron_count() > 1 {
            app.apply(Key::SelectNext);
            app.apply(Key::AdjustBias { tenths: 3 });
        }
        let changes: &[(i32, &str)] = match &app.sim.model {
            AnyModel::Hh(_) => &[(7, "5")],
            AnyModel::Lif(_) => &[(0, "30")],
            AnyModel::Network(_) => &[(3, "1"), (2, "8")],
            _ => &[],
        };
        for &(row, value) in changes {
            app.apply(Key::OpenParams);
            app.apply(Key::MoveParam(-100));
            app.apply(Key::MoveParam(row));
            app.apply(Key::EditParam);
            app.apply(Key::SetParam(value.into()));
            app.apply(Key::Back);
            assert_eq!(
                app.changed.len(),
                1 + changes.iter().position(|c| c.0 == row).unwrap(),
                "{name}: {:?}",
                app.message
            );
        }
        app.advance(steps / 10);
        app.apply(Key::Reset);
        app.advance(steps / 5);
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// And after the keys of the time base and the input's entry: faster, the
/// window zoomed in, the spike-triggered sweep, a value typed for the
/// input, a step at a time and a window of steps while paused, the last
/// neuron chosen by its number.
#[test]
fn every_number_on_screen_is_the_engines_after_time_keys() {
    use spikescope::ui::command::Command as Key;
    let failures = after_a_session(|_, app, steps| {
        app.apply(Key::Faster);
        app.apply(Key::ZoomIn);
        app.apply(Key::ToggleTrigger);
        app.advance(2 * steps / 5);
        let level = app.input_level();
        app.apply(Key::SetInput(if level == 0.0 { 0.5 } else { 0.8 * level }));
        app.advance(steps / 10);
        app.apply(Key::TogglePause);
        for _ in 0..7 {
            app.apply(Key::StepOnce);
        }
        app.apply(Key::StepSweep);
        app.apply(Key::Select(app.sim.model.neuron_count() - 1));
        app.apply(Key::TogglePause);
        app.advance(steps / 10);
        // As a few seconds later: at 60x16 a message of two lines (a rate
        // model's `t` says why it has no spike trigger) covers the
        // neuron's line for its while.
        app.message = None;
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The rate falls to a bound, then to –, once firing stops: lif-below, Up
/// twice (v_in 1.1 fires at G = 20.02 Hz), then Down twice.
#[test]
fn the_rate_is_not_stale_after_firing_stops() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let mut app = App::new(preset::load("lif-below", &[]).unwrap());
    app.guide_until = None;
    let key = |app: &mut App, k| app.on_key(KeyEvent::new(k, KeyModifiers::NONE));
    key(&mut app, KeyCode::Up);
    key(&mut app, KeyCode::Up);
    app.advance(5000);
    let status = |app: &App| {
        let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
        term.draw(|f| render(f, app, &Theme::default())).unwrap();
        term.backend().to_string()
    };
    assert!(status(&app).contains("rate 20.02 Hz"), "{}", status(&app));
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    app.advance(600);
    // The bounds are what the silence since the last spike allows: at most
    // 1/silence, an interval of at least the silence.
    let s = status(&app);
    let last = app
        .traces
        .probes
        .spikes_from(0.0)
        .map(|sp| sp.time_s)
        .fold(f64::NAN, f64::max);
    let silent_s = app.sim.time_s() - last;
    let rate = numbers(&s, r"rate < (-?[0-9.e-]+) Hz");
    let isi = numbers(&s, r"ISI > (-?[0-9.e-]+) ms");
    assert!(rate.len() == 1 && agrees(&rate[0], 1.0 / silent_s), "{s}");
    assert!(isi.len() == 1 && agrees(&isi[0], silent_s * 1e3), "{s}");
    app.advance(2000);
    let s = status(&app);
    assert!(
        s.contains("rate –  ISI –") && !s.contains("20.02 Hz"),
        "{s}"
    );
}

/// An input a hair above the threshold shows the digits that part them:
/// lif-ramp's step to t = 2.0001 s drives v_in = 1.000025 (the ramp at the
/// step's middle), where G is already 4.674 Hz; to four digits it read
/// `v_in 1.000` beside `G 4.674 Hz`, and G(1.000) is 0. The G shown is G
/// of the v_in shown, to its four digits.
#[test]
fn an_input_beside_the_threshold_shows_the_digits_that_part_them() {
    let mut app = App::new(preset::load("lif-ramp", &[]).unwrap());
    app.guide_until = None;
    app.advance(20001);
    app.run = RunState::Paused;
    app.view.pane = Pane::Rate;
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    term.draw(|f| render(f, &app, &Theme::default())).unwrap();
    let screen = term.backend().to_string();
    assert!(screen.contains("v_in 1.000025: G 4.674 Hz"), "{screen}");
    let g = lif_g(1.000025, 0.02, 0.002);
    assert!(agrees("4.674", g), "G(1.000025) = {g}");
    assert!(
        screen.contains("v_in 1.000025  → 5.000 at 10 s"),
        "{screen}"
    );
}
