//! The views' readouts: the ISI histogram, the gates' x_inf and tau_x,
//! each PSC filter's peak, the activation view's SoftMax table, the phase
//! line and planes, and the parameters a view states (the preset's own).

use regex::Regex;
use spikescope::model::AnyModel;
use spikescope::model::synapse::PscFilter;
use spikescope::ui::app::App;
use spikescope::view::Pane;

use crate::check::{Found, Screen, agrees, numbers, times_of, unit_s};

/// HH steady states and time constants from the notes' rate functions
/// (SPEC section 4), written here independently of the model's code.
pub fn hh_gate(gate: char, v: f64, temperature: f64) -> (f64, f64) {
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

/// The model's own PSC filters by the names the PSC view gives them.
pub fn model_filters(app: &App) -> Vec<(String, PscFilter)> {
    match &app.sim.model {
        AnyModel::Network(net) => vec![("network".to_string(), net.params().filter)],
        AnyModel::Synapse(bank) => bank
            .names
            .iter()
            .cloned()
            .zip(bank.filters.iter().map(|f| f.filter))
            .collect(),
        _ => Vec::new(),
    }
}

/// The spike times the ISI histogram is of: the run's, of the selected
/// neuron; where the oscilloscope's spike ring dropped older ones (a
/// network of 1,000 firing fast), those it kept, "from" the time the
/// screen gives. A spike at that very time was kept if the ring holds it.
pub fn isi_times(s: &Screen) -> Vec<f64> {
    let probes = &s.app.traces.probes;
    let whole_from = probes.spikes_whole_from(s.i..s.i + 1);
    let kept = probes.spike_times_of(s.i);
    times_of(s)
        .into_iter()
        .filter(|&t| whole_from.is_none_or(|x| t > x || (t == x && kept.contains(&t))))
        .collect()
}

/// The views' readouts of one screen against the truth.
pub fn check(s: &Screen) -> Found {
    let Screen {
        app,
        text: screen,
        run,
        i,
        ..
    } = *s;
    let mut found = Found::default();
    let whole_from = app.traces.probes.spikes_whole_from(i..i + 1);
    let isi_times = isi_times(s);
    if let (Some(x), Pane::Isi) = (whole_from, app.view.pane) {
        for c in Regex::new(r"[·|] from ([0-9.]+) (µs|us|ms|s)\b")
            .unwrap()
            .captures_iter(screen)
        {
            found.expect("intervals from", &c[1], x / unit_s(&c[2]));
        }
    }
    let isi_view =
        Regex::new(r"(\d+) intervals? [·|] mean ([0-9.]+) ms \(([0-9.]+) Hz\) [·|] CV (\S+)")
            .unwrap();
    for c in isi_view.captures_iter(screen) {
        let isi: Vec<f64> = isi_times.windows(2).map(|w| w[1] - w[0]).collect();
        let mean = isi.iter().sum::<f64>() / isi.len() as f64;
        let sd = (isi.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / isi.len() as f64).sqrt();
        found.expect("intervals", &c[1], isi.len() as f64);
        found.expect("mean ISI (ms)", &c[2], mean * 1e3);
        found.expect("1/mean ISI", &c[3], 1.0 / mean);
        // One interval has no spread to measure: no CV.
        match isi.len() {
            1 if ["–", "-"].contains(&&c[4]) => {}
            1 => found
                .wrong
                .push(format!("CV of one interval: shows {}", &c[4])),
            _ => found.expect("CV", &c[4], sd / mean),
        }
    }
    // Gates view: x_inf and tau_x at the live V.
    if let AnyModel::Hh(hh) = &app.sim.model {
        let v = run.last["v_mV"];
        for shown in numbers(screen, r"at V = (-?[0-9.e-]+) mV:") {
            found.expect("V", &shown, v);
        }
        // A number starts with a digit: a curve's name in the plots can
        // stand before the dots of another curve (`m_inf ....` in ASCII).
        for gate in ['m', 'h', 'n'] {
            let (x_inf, tau) = hh_gate(gate, v, hh.params.temperature);
            for shown in numbers(screen, &format!(r"{gate}_inf (-?[0-9][0-9.e-]*)")) {
                found.expect(&format!("{gate}_inf"), &shown, x_inf);
            }
            for shown in numbers(screen, &format!(r"tau_{gate} (-?[0-9][0-9.e-]*)")) {
                found.expect(&format!("tau_{gate}"), &shown, tau);
            }
        }
    }
    // PSC view: each filter's peak, its time and its area.
    // A narrow screen wraps the line: its words may be parted by a line's
    // end and the box's borders.
    let peaks = Regex::new(
        &r"n (\d+), tau_s ([0-9.]+) (µs|us|ms|s), peak ([0-9.e-]+) 1/s at ([0-9.]+) (µs|us|ms|s), area ([0-9.]+)"
            .replace(' ', r"[ │|\n]+"),
    )
    .unwrap();
    for c in peaks.captures_iter(screen) {
        let order: i32 = c[1].parse().unwrap();
        // The filter shown is the model's or the explored one: its tau_s
        // as the engine has it, not as rounded on the screen.
        let shown_tau = c[2].parse::<f64>().unwrap() * unit_s(&c[3]);
        let filters = model_filters(app)
            .into_iter()
            .map(|(_, f)| f)
            .chain([PscFilter::new(app.view.psc.order, app.view.psc.tau_s)]);
        let Some(tau) = filters
            .filter(|f| f.order as i32 == order)
            .map(|f| f.tau_s_s)
            .find(|&tau| agrees(&c[2], tau / unit_s(&c[3])))
        else {
            found.misnamed.push(format!(
                "a filter of n {order}, tau_s {shown_tau} s: neither the model's nor the explored one"
            ));
            continue;
        };
        let peak_t = order as f64 * tau;
        let factorial: f64 = (1..=order).map(f64::from).product();
        let h = if order == 0 {
            1.0 / tau
        } else {
            peak_t.powi(order) * (-peak_t / tau).exp() / (factorial * tau.powi(order + 1))
        };
        found.expect("PSC peak", &c[4], h);
        found.expect("PSC peak time", &c[5], peak_t / unit_s(&c[6]));
        found.expect("PSC area", &c[7], 1.0);
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
            found.expect(&format!("z_{k} in the SoftMax table"), shown, z[k]);
        }
        for (k, shown) in softmax.iter().enumerate() {
            found.expect(&format!("SoftMax(z)_{k}"), shown, (z[k] - top).exp() / sum);
        }
        for (k, shown) in row("One-Hot(z)").into_iter().flatten().enumerate() {
            let one_hot = if z[k] == top { 1.0 } else { 0.0 };
            found.expect(&format!("One-Hot(z)_{k}"), shown, one_hot);
        }
        for (k, shown) in row("y (live)").into_iter().flatten().enumerate() {
            found.expect(
                &format!("y_{k} in the SoftMax table"),
                shown,
                run.last[&format!("y_{k}")],
            );
        }
    }
    // Phase line (LIF): the rest at v_in.
    for c in numbers(screen, r"rests at v = v_in = (-?[0-9.]+)") {
        found.expect("LIF rest", &c, run.last["v_in"]);
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
                found
                    .misnamed
                    .push(format!("one fixed point shown, {} found", points.len()));
                continue;
            };
            found.expect("fixed point V", &c[2], fp.v_mv);
            found.expect("fixed point n", &c[3], fp.n);
            if &c[1] != fp.stability.name() {
                found.misnamed.push(format!(
                    "stability: shows {}, is {}",
                    &c[1],
                    fp.stability.name()
                ));
            }
        }
        for c in numbers(screen, r"reduced: (\d+) fixed points") {
            found.expect("fixed points", &c, points.len() as f64);
        }
        if screen.contains("reduced: no fixed point") && !points.is_empty() {
            found
                .misnamed
                .push(format!("no fixed point shown, {} found", points.len()));
        }
        let now = Regex::new(r"now V (-?[0-9.e-]+) mV, n ([0-9.e-]+)").unwrap();
        for c in now.captures_iter(screen) {
            found.expect("phase plane V now", &c[1], run.last["v_mV"]);
            found.expect("phase plane n now", &c[2], run.last["n"]);
        }
    }
    // Phase plane (network neuron): its (v, s) now.
    if let AnyModel::Network(_) = &app.sim.model {
        let now = Regex::new(r"now v (-?[0-9.e-]+), s (-?[0-9.e-]+)").unwrap();
        for c in now.captures_iter(screen) {
            found.expect("phase plane v now", &c[1], run.last[&format!("v_{i}")]);
            found.expect("phase plane s now", &c[2], run.last[&format!("s_{i}")]);
        }
    }
    // The loaded preset's own parameters where a view states them: the LIF
    // time constants (the rate view, G as an activation), HH's temperature
    // (the gates' tau_x), each model filter's order and tau_s (PSC view).
    let seconds = |x: &str, unit: &str| x.parse::<f64>().unwrap() * unit_s(unit);
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
                found.expect("tau_m (s)", &c[1], tau_m / seconds("1", &c[2]));
                found.expect("tau_ref (s)", &c[3], tau_ref / seconds("1", &c[4]));
            }
            None => found
                .misnamed
                .push(format!("LIF time constants shown: {}", &c[0])),
        }
    }
    if let AnyModel::Hh(n) = &app.sim.model {
        for c in numbers(screen, r"at (-?[0-9.]+) (?:°C|oC)") {
            found.expect("temperature", &c, n.params.temperature);
        }
    }
    let filters = model_filters(app);
    for (label, filter) in &filters {
        let own = Regex::new(&format!(
            r"(?:^|[│| ]){}: n (\d+), tau_s ([0-9.]+) (µs|us|ms|s)",
            regex::escape(label)
        ))
        .unwrap();
        for c in own.captures_iter(screen) {
            found.expect(&format!("{label}'s order"), &c[1], filter.order as f64);
            found.expect(
                &format!("{label}'s tau_s"),
                &c[2],
                filter.tau_s_s / seconds("1", &c[3]),
            );
        }
    }
    found
}
