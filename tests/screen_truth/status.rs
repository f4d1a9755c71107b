//! The status lines: the time, the input and what it does next, the
//! selected neuron's state, spikes, rate and ISI, G at its input, its
//! bias (a rate neuron's y, z and b, a synapse's outputs), and the input
//! as the views' readouts restate it.

use regex::Regex;
use spikescope::model::AnyModel;

use crate::check::{Found, Screen, neuron_line, numbers, times_of, unit_s};

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

pub fn lif_g(v_in: f64, tau_m: f64, tau_ref: f64) -> f64 {
    lif_g_between(v_in, (tau_m, tau_ref), (1.0, 0.0))
}

/// G with the threshold and reset moved: from `v_reset` to `v_threshold`
/// under v_in takes tau_m ln((v_in - v_reset) / (v_in - v_threshold)).
pub fn lif_g_between(
    v_in: f64,
    (tau_m, tau_ref): (f64, f64),
    (v_threshold, v_reset): (f64, f64),
) -> f64 {
    if v_in > v_threshold {
        1.0 / (tau_ref + tau_m * ((v_in - v_reset) / (v_in - v_threshold)).ln())
    } else {
        0.0
    }
}

/// The status lines of one screen against the truth.
pub fn check(s: &Screen) -> Found {
    let Screen {
        name,
        app,
        text: screen,
        ascii,
        run,
        now,
        i,
        ..
    } = *s;
    let mut found = Found::default();
    // Status: time.
    for t in numbers(screen, r"t = (-?[0-9.]+) ms ") {
        found.expect("t (ms)", &t, now * 1e3);
    }
    for t in numbers(screen, r"t = (-?[0-9.]+) s ") {
        found.expect("t (s)", &t, now);
    }
    // Status: the speed asked for, the step the engine takes, by the run's
    // own rows (their spacing), and the window the scope spans.
    // A run of one row (a session that ended at a reset) has no spacing:
    // the engine's own dt.
    let dt_of_run = run
        .traces
        .column("time_s")
        .filter(|t| t.len() > 1)
        .map_or(app.sim.dt_s(), |t| t[1].0 - t[0].0);
    for c in Regex::new(r"  dt ([0-9.]+) (µs|us|ms|s)\b")
        .unwrap()
        .captures_iter(screen)
    {
        let truth = dt_of_run / unit_s(&c[2]);
        found.expect("dt", &c[1], truth);
    }
    for c in numbers(screen, r"t = -?[0-9.]+ (?:ms|s)  (?:×|x)([0-9.e-]+)") {
        found.expect("speed", &c, app.clock.speed);
    }
    for c in Regex::new(r"  window ([0-9.]+) (µs|us|ms|s)\b")
        .unwrap()
        .captures_iter(screen)
    {
        found.expect("window", &c[1], app.window_s() / unit_s(&c[2]));
    }
    // Status: the input of the last step. A clamp holds V at its level over
    // each step, so the run's V is V_clamp after one; at t = 0, before any,
    // V is the rest for no input the model starts from (+0.44 mV with E_K =
    // 0.5 mV under hh-clamp's hold of -65 mV) and the status shows the level
    // the first step holds, as it does every input there.
    let first_step_level = || app.sim.stimuli[0].stimulus.level_at(0.5 * app.sim.dt_s());
    let input = match &app.sim.model {
        AnyModel::Hh(n) if n.clamp && app.sim.step_index() == 0 => {
            Some(("V_clamp", first_step_level()))
        }
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
        found.expect(label, &shown[0], truth);
    }
    // Status: the input's next level and when, from the protocol, beside
    // the input it is about (in a clamp, before I_clamp: after it, it read
    // as the current's next level).
    let next = numbers(screen, r"(?:→|->) (-?[0-9.e-]+) (?:at |next step)");
    if let Some((label, _)) = input {
        let beside = Regex::new(&format!(
            r"(?m)^{label} -?[0-9.e-]+(?: \S+)?  (?:→|->) (-?[0-9.e-]+) (?:at ([0-9.]+) (ms|s)\b|next step)"
        ))
        .unwrap();
        let shown: Vec<_> = beside.captures_iter(screen).collect();
        if shown.len() != next.len() {
            found
                .misplaced
                .push(format!("the next level is not beside {label}"));
        }
        // The input's next level is of the neurons it drives only.
        let driven = app.sim.stimuli[0]
            .neurons
            .as_deref()
            .is_none_or(|ns| ns.contains(&i));
        if !driven && !next.is_empty() {
            found.misplaced.push(format!(
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
                    found.expect("next level", &c[1], level);
                    found.expect("next change at", t_shown.as_str(), t / unit);
                }
                _ => found.expect(
                    "next step's level",
                    &c[1],
                    stimulus.level_at(now + 0.5 * app.sim.dt_s()),
                ),
            }
        }
    }
    // HH's currents from the run's last state with the conductances and
    // reversal potentials in force now (notes 1.1.2): a change at the
    // run's last step (the panel's g_Na at a protocol's end) acts on them
    // at once, where `run`'s last row was written before it.
    let current = |label: &str| -> Option<f64> {
        let AnyModel::Hh(hh) = &app.sim.model else {
            return None;
        };
        let p = &hh.params;
        let col = |c: &str| run.last[c];
        let v = col("v_mV");
        match label {
            "I_Na" => Some(p.g_na * col("m").powi(3) * col("h") * (v - p.e_na)),
            "I_K" => Some(p.g_k * col("n").powi(4) * (v - p.e_k)),
            "I_L" => Some(p.g_l * (v - p.e_l)),
            _ => None,
        }
    };
    // The clamp's current is the ionic current it holds V against.
    for c in numbers(screen, r"I_clamp (-?[0-9.e-]+) (?:µA/cm²|uA/cm2)") {
        let ionic: Option<f64> = ["I_Na", "I_K", "I_L"].iter().map(|c| current(c)).sum();
        found.expect("I_clamp", &c, ionic.unwrap_or(run.last["j_in"]));
    }
    // Status: the selected neuron's spikes, rate and ISI, on its own line
    // (the one that names it).
    let line = neuron_line(screen);
    let times = times_of(s);
    if !matches!(app.sim.model, AnyModel::Rate(_)) {
        let count = numbers(line, r"[: ] (\d+) spikes?\b");
        let count = if matches!(app.sim.model, AnyModel::Synapse(_)) {
            numbers(screen, r"input: (\d+) spikes?")
        } else {
            count
        };
        assert_eq!(count.len(), 1, "{name}: the spike count:\n{screen}");
        found.expect("spikes", &count[0], times.len() as f64);
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
            found.misplaced.push(format!(
                "the membrane potential {label} not on the neuron's line"
            ));
        }
        for x in shown {
            found.expect(label, &x, current(label).unwrap_or(run.last[column]));
        }
    }
    // Status: the rate and ISI the spikes allow one to state now.
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
            found.expect("rate", &rate[0], 1.0 / isi_s);
            for isi in isi {
                found.expect("ISI", &isi, isi_s * 1e3);
            }
        }
        Rate::AtMost(silent) => {
            assert!(
                rate_bound.len() == 1 && isi_bound.len() <= 1,
                "{name}:\n{screen}"
            );
            found.expect("rate bound", &rate_bound[0], 1.0 / silent);
            for isi in isi_bound {
                found.expect("ISI bound", &isi, silent * 1e3);
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
        AnyModel::Lif(n) => Some(lif_g_between(
            run.last["v_in"],
            (n.params.tau_m_s, n.params.tau_ref_s),
            (n.params.v_threshold, n.params.v_reset),
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
            found.expect("G", &shown, g);
        }
    }
    for shown in numbers(screen, r"measured (-?[0-9.e-]+) Hz") {
        match rate_of(&times, now) {
            Rate::Interval(isi_s) => found.expect("measured rate", &shown, 1.0 / isi_s),
            // A measured rate with no current interval is stale.
            _ => found.expect("measured rate (none now)", &shown, f64::NAN),
        }
    }
    // Status: networks' bias, rate neurons' y and z, synapse outputs.
    if let AnyModel::Network(net) = &app.sim.model {
        for b in numbers(screen, r"bias (-?[0-9.e-]+)") {
            found.expect("bias", &b, net.bias()[i]);
        }
    }
    if let AnyModel::Rate(r) = &app.sim.model {
        // A node the preset leaves unnamed is named by its bias, wherever
        // its label stands (`#0 b=-2`): the bias it has now.
        let label = Regex::new(r"#(\d+) b=(-?[0-9.e-]+)").unwrap();
        for c in label.captures_iter(screen) {
            let k: usize = c[1].parse().unwrap();
            match r.bias.get(k) {
                Some(&b) if r.names[k] == k.to_string() => found.expect("#k's name b=", &c[2], b),
                _ => found
                    .wrong
                    .push(format!("{} names no node by its bias", &c[0])),
            }
        }
        for y in numbers(screen, r": y (-?[0-9.e-]+)") {
            found.expect("y", &y, run.last[&format!("y_{i}")]);
        }
        for z in numbers(screen, r"  z (-?[0-9.e-]+)") {
            found.expect("z", &z, run.last[&format!("z_{i}")]);
        }
    }
    if let AnyModel::Synapse(bank) = &app.sim.model {
        let columns = app.sim.model.columns();
        for (k, name) in bank.names.iter().enumerate() {
            // The status line's (a cursor's readout names its filter too,
            // with its value at the cursor).
            let pattern = format!(
                r"(?m)^input: .*s\({}\) (-?[0-9.e-]+) 1/s",
                regex::escape(name)
            );
            for s in numbers(screen, &pattern) {
                found.expect(name, &s, run.last[&columns[k]]);
            }
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
            Some(v) => found.expect("v_in in the rate view", &c, v),
            None => found
                .misnamed
                .push(format!("v_in {c} shown for no LIF neuron")),
        }
    }
    for c in numbers(screen, r"[│|]J_in (-?[0-9.e-]+) (?:µA/cm²|uA/cm2) [·|] ") {
        found.expect("J_in in a view", &c, run.last["j_in"]);
    }
    for c in numbers(screen, r"[│|]v_in (-?[0-9.e-]+) [·|] ") {
        found.expect("v_in over the phase line", &c, run.last["v_in"]);
    }
    if let AnyModel::Network(net) = &app.sim.model {
        for c in numbers(screen, r"[│|]b \+ x (-?[0-9.e-]+): ") {
            found.expect("b + x over the phase plane", &c, net.bias()[i] + x_now);
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
        found.expect("w per spike", &shown[0], w);
        for c in numbers(screen, r"connection weight, w = (-?[0-9.e-]+)") {
            found.expect("w in the weights view", &c, w);
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
        found.expect("b", &shown[0], r.bias[i]);
    }
    found
}
