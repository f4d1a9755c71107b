//! The graphs the notes draw, against their closed forms written here: HH's
//! x_inf(V) and tau_x(V) (view 2), LIF's G(v_in) (view 3, and a rate
//! network's G(z) in view 5), the PSC filters h(t) of their orders (view 4,
//! on either scale), the activation functions (view 5), LIF's phase line
//! dv/dt = (v_in - v) / tau_m (view 7), the ISI histogram of the run's
//! intervals (view 8), and a voltage clamp's I-V curves (its view 3).
//! Both axes are read off the screen: a dot column stands for the values
//! of x its ticks put within two dot columns of it, and each dot must lie
//! where one of the plot's functions takes a value there, by the y ticks.

use spikescope::lab::clamp::protocol;
use spikescope::model::AnyModel;
use spikescope::model::activation::Activation;
use spikescope::view::Pane;

use super::axes::{Area, areas, dots_of, holds_every_plot, near_a_name, place, unit, x_ticks};
use crate::check::{Found, Screen, numbers};
use crate::status::lif_g_between;
use crate::views::{hh_gate, isi_times, model_filters};

/// A function of x drawn in a plot.
pub(super) type Function = Box<dyn Fn(f64) -> f64>;

/// A plot's functions, whether its y axis is in decades (the PSC view's
/// log scale: the curves are log10 of the functions, the ticks numbered
/// with what they stand for), the x where the drawing also falls to 0
/// (the histogram's outline between its bars), and x where a function
/// peaks within a dot column (a 10 ms filter's h(0) over 1.9 s of axis).
struct Graph {
    functions: Vec<Function>,
    decades: bool,
    drops: Vec<f64>,
    knots: Vec<f64>,
}

pub(super) fn check(s: &Screen) -> Found {
    let mut found = Found::default();
    let grid: Vec<Vec<char>> = s.text.lines().map(|l| l.chars().collect()).collect();
    let Some(graphs) = graphs(s, &grid) else {
        return found;
    };
    let areas = areas(&grid, s.ascii);
    if holds_every_plot(&grid) && areas.len() < graphs.len() {
        found.wrong.push(format!(
            "picture: {} plots found of the {} the view draws",
            areas.len(),
            graphs.len()
        ));
    }
    for (area, graph) in areas.iter().zip(graphs) {
        if let Some(graph) = graph {
            check_graph(&mut found, &grid, s.ascii, area, &graph, s.app.view.pane);
        }
    }
    found
}

/// The plots of the view shown, top to bottom and left to right, each
/// with the graph it draws (None for a plot of the run's samples, read
/// elsewhere); None where it draws none of the notes' functions.
fn graphs(s: &Screen, grid: &[Vec<char>]) -> Option<Vec<Option<Graph>>> {
    if let (Pane::Rate, AnyModel::Hh(hh)) = (s.app.view.pane, &s.app.sim.model)
        && hh.clamp
    {
        return clamp_graphs(s);
    }
    Some(notes_graphs(s, grid)?.into_iter().map(Some).collect())
}

/// A voltage clamp's view 3: the family of clamp currents (the run's), and
/// the I-V curves from the hold's steady state, written here from the
/// notes' gates (SPEC section 4): under a clamp to V each gate relaxes
/// from its value at the hold, x(t) = x_inf(V) + (x_0 - x_inf(V))
/// e^(-t/tau_x(V)). Left, the peak of I_Na = g_Na m^3 h (V - E_Na) over
/// the step (the largest magnitude, with its sign); right, I_K = g_K n^4
/// (V - E_K) at the step's end and in the steady state, n = n_inf(V).
fn clamp_graphs(s: &Screen) -> Option<Vec<Option<Graph>>> {
    let AnyModel::Hh(hh) = &s.app.sim.model else {
        return None;
    };
    let (hold, steps) = protocol(&s.app.sim.stimuli.first()?.stimulus)?;
    let first = steps.first()?;
    // A step without an end is shown up to now.
    let width_ms = if first.width_s.is_finite() {
        first.width_s
    } else {
        (s.app.sim.time_s() - first.onset_s).max(0.0)
    } * 1e3;
    let p = hh.params.clone();
    let temperature = p.temperature;
    // Gate g at the clamp to v, over time: x(t) from its value at the hold.
    let relax = move |g: char, v: f64| {
        let (x0, (x_inf, tau)) = (hh_gate(g, hold, temperature).0, hh_gate(g, v, temperature));
        move |t_ms: f64| x_inf + (x0 - x_inf) * (-t_ms / tau).exp()
    };
    let q = p.clone();
    // The peak comes within 0.07 ms at 25 °C and within milliseconds at
    // 6.3 °C, in steps up to 55 ms: times from 0 and then spaced by ratio
    // (a millionth of the step to all of it), the largest narrowed down
    // by golden section between its neighbours.
    let peak_i_na: Function = Box::new(move |v| {
        let (m, h) = (relax('m', v), relax('h', v));
        let i_na = |t: f64| q.g_na * m(t).powi(3) * h(t) * (v - q.e_na);
        let times: Vec<f64> = std::iter::once(0.0)
            .chain((0..=300).map(|k| width_ms * 10f64.powf(-6.0 + 6.0 * k as f64 / 300.0)))
            .collect();
        let k = (0..times.len())
            .max_by(|&a, &b| i_na(times[a]).abs().total_cmp(&i_na(times[b]).abs()))
            .unwrap_or(0);
        let (mut lo, mut hi) = (
            times[k.saturating_sub(1)],
            times[(k + 1).min(times.len() - 1)],
        );
        let golden = (5f64.sqrt() - 1.0) / 2.0;
        for _ in 0..60 {
            let (a, b) = (hi - golden * (hi - lo), lo + golden * (hi - lo));
            if i_na(a).abs() < i_na(b).abs() {
                lo = a;
            } else {
                hi = b;
            }
        }
        [times[k], 0.5 * (lo + hi)]
            .map(i_na)
            .into_iter()
            .fold(0.0, |a: f64, i| if i.abs() > a.abs() { i } else { a })
    });
    let q = p.clone();
    let i_k_end: Function =
        Box::new(move |v| q.g_k * relax('n', v)(width_ms).powi(4) * (v - q.e_k));
    let i_k_steady: Function =
        Box::new(move |v| p.g_k * hh_gate('n', v, p.temperature).0.powi(4) * (v - p.e_k));
    let linear = |functions: Vec<Function>| Graph {
        functions,
        decades: false,
        drops: Vec::new(),
        knots: Vec::new(),
    };
    Some(vec![
        None,
        Some(linear(vec![peak_i_na])),
        Some(linear(vec![i_k_end, i_k_steady])),
    ])
}

/// The graphs the notes draw in the view shown, top to bottom and left to
/// right; None where it draws none of them.
fn notes_graphs(s: &Screen, grid: &[Vec<char>]) -> Option<Vec<Graph>> {
    let app = s.app;
    let linear = |functions: Vec<Function>| Graph {
        functions,
        decades: false,
        drops: Vec::new(),
        knots: Vec::new(),
    };
    let g_of = |tau_m: f64, tau_ref: f64, v_th: f64, v_reset: f64| -> Function {
        Box::new(move |v| lif_g_between(v, (tau_m, tau_ref), (v_th, v_reset)))
    };
    Some(match (app.view.pane, &app.sim.model) {
        (Pane::Gates, AnyModel::Hh(hh)) => {
            let temperature = hh.params.temperature;
            let of = |tau: bool| -> Vec<Function> {
                ['m', 'h', 'n']
                    .into_iter()
                    .map(|g| -> Function {
                        Box::new(move |v| {
                            let (x_inf, tau_ms) = hh_gate(g, v, temperature);
                            if tau { tau_ms } else { x_inf }
                        })
                    })
                    .collect()
            };
            vec![linear(of(false)), linear(of(true))]
        }
        (Pane::Rate, AnyModel::Lif(n)) => {
            let p = n.params;
            vec![linear(vec![g_of(
                p.tau_m_s,
                p.tau_ref_s,
                p.v_threshold,
                p.v_reset,
            )])]
        }
        // A network neuron's G is of the notes' threshold 1 and reset 0.
        (Pane::Rate, AnyModel::Network(net)) => {
            let p = net.params();
            vec![linear(vec![g_of(p.tau_m_s, p.tau_ref_s, 1.0, 0.0)])]
        }
        (Pane::Rate | Pane::Activation, AnyModel::Rate(r))
            if matches!(r.activation, Activation::LifRate { .. }) =>
        {
            let Activation::LifRate { tau_m_s, tau_ref_s } = r.activation else {
                return None;
            };
            vec![linear(vec![g_of(tau_m_s, tau_ref_s, 1.0, 0.0)])]
        }
        (Pane::Activation, _) => {
            let sigma: Vec<Function> = vec![
                Box::new(|z: f64| 1.0 / (1.0 + (-z).exp())),
                Box::new(f64::tanh),
                Box::new(f64::atan),
                Box::new(|z: f64| if z >= 0.0 { 1.0 } else { 0.0 }),
                Box::new(|z: f64| z.max(0.0)),
            ];
            vec![linear(sigma)]
        }
        (Pane::Psc, _) => {
            // The model's own filters, and the explored one where it is
            // none of them; t in the axis's unit.
            let mut filters: Vec<(usize, f64)> = model_filters(app)
                .into_iter()
                .map(|(_, f)| (f.order, f.tau_s_s))
                .collect();
            let explored = (app.view.psc.order, app.view.psc.tau_s);
            if !filters.contains(&explored) {
                filters.push(explored);
            }
            let label_rows: String = grid.iter().flatten().collect();
            let unit_s = if label_rows.contains("t (ms)") {
                1e-3
            } else if label_rows.contains("t (s)") {
                1.0
            } else {
                return None;
            };
            let decades = app.view.psc_log_scale;
            // Each h starts at t = 0 and peaks at n tau_s.
            let knots = filters
                .iter()
                .flat_map(|&(n, tau)| [0.0, n as f64 * tau / unit_s])
                .collect();
            let functions = filters
                .into_iter()
                .map(|(n, tau)| -> Function {
                    Box::new(move |t| {
                        let h = h_of(n, tau, t * unit_s);
                        if decades { h.log10() } else { h }
                    })
                })
                .collect();
            vec![Graph {
                functions,
                decades,
                drops: Vec::new(),
                knots,
            }]
        }
        (Pane::Phase, AnyModel::Lif(n)) => {
            let (v_in, tau_m) = (s.run.last["v_in"], n.params.tau_m_s);
            vec![linear(vec![Box::new(move |v| (v_in - v) / tau_m)])]
        }
        (Pane::Isi, _) => vec![histogram(s, grid)?],
        _ => return None,
    })
}

/// The ISI histogram of the run's intervals in bins [k w, (k + 1) w) of
/// the width the view states, the longest in the last (x in ms): each bar
/// up from 0 and back down at its edges.
fn histogram(s: &Screen, grid: &[Vec<char>]) -> Option<Graph> {
    let text: String = grid
        .iter()
        .map(|l| l.iter().collect::<String>() + "\n")
        .collect();
    let width = numbers(&text, r"bins of ([0-9.]+) ms")
        .first()?
        .parse::<f64>()
        .ok()?;
    let isi_ms: Vec<f64> = isi_times(s)
        .windows(2)
        .map(|w| (w[1] - w[0]) * 1e3)
        .collect();
    let longest = isi_ms.iter().copied().fold(0.0, f64::max);
    let bins = ((longest / width - 1e-9).ceil() as usize).max(1);
    let mut counts = vec![0usize; bins];
    for x in &isi_ms {
        counts[((x / width + 1e-9) as usize).min(bins - 1)] += 1;
    }
    let count = move |x: f64| {
        if x < 0.0 || x > bins as f64 * width {
            return 0.0;
        }
        counts[((x / width) as usize).min(bins - 1)] as f64
    };
    Some(Graph {
        functions: vec![Box::new(count)],
        decades: false,
        drops: (0..=bins).map(|k| k as f64 * width).collect(),
        knots: Vec::new(),
    })
}

/// The axes x = x0 + d step (d a dot column, from 0) that put each tick in
/// its cell: a value v goes to dot column round((v - x0) / step), so in
/// cell c, dot column 2c or 2c + 1, v lies between x0 + (2c - 0.5) step
/// and x0 + (2c + 1.5) step. The (x0, step) the ticks allow form a
/// polygon; over it a linear function of them is least and most at its
/// corners, which are returned.
pub(super) fn x_maps(ticks: &[(usize, f64)]) -> Vec<(f64, f64)> {
    // Each tick's two bounds as lines x0 + a step = v.
    let lines: Vec<(f64, f64)> = ticks
        .iter()
        .flat_map(|&(c, v)| [(2.0 * c as f64 - 0.5, v), (2.0 * c as f64 + 1.5, v)])
        .collect();
    let inside = |x0: f64, step: f64| {
        step > 0.0
            && ticks.iter().all(|&(c, v)| {
                let slack = 1e-9 * (1.0 + v.abs());
                x0 + (2.0 * c as f64 - 0.5) * step <= v + slack
                    && x0 + (2.0 * c as f64 + 1.5) * step >= v - slack
            })
    };
    let mut corners = Vec::new();
    for (k, &(a1, v1)) in lines.iter().enumerate() {
        for &(a2, v2) in &lines[k + 1..] {
            if a1 == a2 {
                continue;
            }
            let step = (v1 - v2) / (a1 - a2);
            let x0 = v1 - a1 * step;
            if inside(x0, step) {
                corners.push((x0, step));
            }
        }
    }
    corners
}

/// The x axis as its ticks allow it: every (x0, step), x = x0 + d step
/// at dot column d, that puts each tick in its cell (`x_maps`).
pub(super) struct XAxis {
    pub(super) maps: Vec<(f64, f64)>,
}

impl XAxis {
    /// The dot columns x may go to, least and most (unrounded).
    pub(super) fn columns(&self, x: f64) -> (f64, f64) {
        self.maps
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &(x0, step)| {
                let d = (x - x0) / step;
                (a.min(d), b.max(d))
            })
    }

    /// The least (or the most) x dot column d may stand for.
    pub(super) fn x(&self, d: f64, most: bool) -> f64 {
        let xs = self.maps.iter().map(|&(x0, step)| x0 + d * step);
        if most {
            xs.fold(f64::NEG_INFINITY, f64::max)
        } else {
            xs.fold(f64::INFINITY, f64::min)
        }
    }
}

/// The PSC filter of order n (notes 1.3.2): h(t) = t^n e^(-t/tau) / (n!
/// tau^(n+1)) for t >= 0, in 1/s.
fn h_of(n: usize, tau_s: f64, t_s: f64) -> f64 {
    if t_s < 0.0 {
        return 0.0;
    }
    let factorial: f64 = (1..=n).map(|k| k as f64).product();
    t_s.powi(n as i32) * (-t_s / tau_s).exp() / (factorial * tau_s.powi(n as i32 + 1))
}

/// Each dot of the area where one of the graph's functions takes a value
/// within the x its dot column stands for; a lone function's column has a
/// dot where it takes it.
fn check_graph(
    found: &mut Found,
    grid: &[Vec<char>],
    ascii: bool,
    area: &Area,
    graph: &Graph,
    pane: Pane,
) {
    let ticks = x_ticks(grid, area, ascii);
    let (Some(&(c0, v0)), Some(&(c1, v1))) = (ticks.first(), ticks.last()) else {
        return;
    };
    if c1 <= c0 {
        return;
    }
    let maps = x_maps(&ticks);
    if maps.is_empty() {
        found.wrong.push(format!(
            "graph of {pane:?}: no linear axis puts its x ticks {ticks:?} in their columns"
        ));
        return;
    }
    // The x a dot column may stand for, from the least of its left edge to
    // the most of its right.
    let axis = XAxis { maps };
    let x_range = |d0: f64, d1: f64| (axis.x(d0, false), axis.x(d1, true));
    let x_of = |d: f64| axis.x(d, false);
    let mut area = area.clone();
    if graph.decades {
        area.ticks = area.ticks.iter().map(|&(r, v)| (r, v.log10())).collect();
    }
    let unit = unit(ascii);
    let cell = |row: usize, col: usize| area.cell(grid, row, col);
    // Where each function may take dot column d's dots: over the x of the
    // dot columns either side (a line between two samples crosses into
    // them), sampled finely (a step's both sides are in it). An ASCII cell,
    // at d = 2c + 0.5, is both its dot columns' (lif-ramp's G, rising from
    // the threshold at a cell's right edge, had half its climb in it).
    let reach = if ascii { 1.5 } else { 1.0 };
    let window = |d: f64| x_range(d - reach, d + reach);
    let compute = |d: f64, f: &Function| -> Option<(f64, f64)> {
        let (a, b) = window(d);
        let drops = graph
            .drops
            .iter()
            .filter(|&&x| x >= a && x <= b)
            .map(|_| 0.0);
        let knots = graph
            .knots
            .iter()
            .filter(|&&x| x >= a && x <= b)
            .map(|&x| f(x));
        let (lo, hi) = (0..=32)
            .map(|k| f(a + (b - a) * k as f64 / 32.0))
            .chain(knots)
            .chain(drops)
            .filter(|y| y.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), y| {
                (l.min(y), h.max(y))
            });
        (lo <= hi).then(|| {
            (
                place(&area, unit, hi).0 - 1.0,
                place(&area, unit, lo).1 + 1.0,
            )
        })
    };
    // Once a dot column and function (d in halves: an ASCII cell's is 2c +
    // 0.5): the clamp's peak I_Na scans its step at each x.
    let known = std::cell::RefCell::new(std::collections::HashMap::new());
    let allowed = |d: f64, f: &Function| -> Option<(f64, f64)> {
        let key = ((2.0 * d) as usize, std::ptr::from_ref(f) as usize);
        *known
            .borrow_mut()
            .entry(key)
            .or_insert_with(|| compute(d, f))
    };
    let mut wrong = Vec::new();
    let mut drawn: Vec<Vec<f64>> = vec![Vec::new(); 2 * area.width];
    for row in 0..area.rows {
        for col in 0..area.width {
            if ascii && near_a_name(&cell, row, col) {
                continue;
            }
            for (dc, dr) in dots_of(cell(row, col), ascii) {
                let y = unit * row as f64 + dr as f64;
                // In ASCII a cell stands for both its dot columns.
                let d = if ascii {
                    2.0 * col as f64 + 0.5
                } else {
                    (2 * col + dc) as f64
                };
                drawn[d as usize].push(y);
                if ascii {
                    drawn[d as usize + 1].push(y);
                }
                let fits = graph
                    .functions
                    .iter()
                    .any(|f| allowed(d, f).is_some_and(|(a, b)| y >= a && y <= b));
                if !fits {
                    let ranges: Vec<_> = graph.functions.iter().map(|f| allowed(d, f)).collect();
                    wrong.push(format!(
                        "a dot at row {y} of column {d} (x {:?}), where the functions may take rows {ranges:?}",
                        window(d)
                    ));
                }
            }
        }
    }
    // A lone function of the rate views (G) is drawn solid over its axis:
    // where its value is on the plot, its column has a dot there, or a name
    // or a mark covers it (or the blank beside a name). (The PSC view's
    // explored filter is dashed.)
    if let ([f], Pane::Rate | Pane::Activation) = (&graph.functions[..], pane) {
        for (d, dots) in drawn.iter().enumerate() {
            let x = x_of(d as f64);
            let Some((a, b)) = allowed(d as f64, f) else {
                continue;
            };
            if x < v0 || x > v1 || dots.iter().any(|&y| y >= a && y <= b) {
                continue;
            }
            let covered = area.covered(grid, ascii, d, (a, b));
            if !covered {
                wrong.push(format!(
                    "no dot in column {d} (x {x:.4}), dot rows {a} to {b}"
                ));
            }
        }
    }
    if let Some(first) = wrong.first() {
        found.wrong.push(format!(
            "graph of {pane:?} ({} of {} dot columns): {first}",
            wrong.len(),
            2 * area.width
        ));
    }
}
