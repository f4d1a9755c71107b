//! The notes' missing figures, drawn from the analytic functions:
//! HH gate functions x_inf(V) and tau_x(V) (notes 1.1.4), the LIF rate curve
//! G(v_in) (1.2.2), the PSC filter h(t) (1.3.2) and the activation functions
//! (1.2.3). The live state is marked on each.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::{Series, bounds_of, chart};
use crate::model::AnyModel;
use crate::model::activation::{Activation, one_hot, softmax};
use crate::model::hh::Gate;
use crate::model::lif::LifParams;
use crate::model::synapse::PscFilter;
use crate::ui::app::App;
use crate::ui::render::{compact, sig4};
use crate::ui::theme::Theme;

/// A vertical marker line at x from y0 to y1.
fn marker(name: &str, x: f64, y0: f64, y1: f64, theme: &Theme) -> Series {
    let pts = (0..=24)
        .map(|k| (x, y0 + (y1 - y0) * k as f64 / 24.0))
        .collect();
    Series::scatter(name, pts, theme.bold())
}

fn sample(f: impl Fn(f64) -> f64, x0: f64, x1: f64, n: usize) -> Vec<(f64, f64)> {
    (0..=n)
        .map(|k| {
            let x = x0 + (x1 - x0) * k as f64 / n as f64;
            (x, f(x))
        })
        .filter(|p| p.1.is_finite())
        .collect()
}

pub fn gates(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let (v_now, temperature) = match &app.sim.model {
        AnyModel::Hh(n) => (Some(n.state.v_mv), n.params.temperature),
        _ => (None, 6.3),
    };
    let [a, b] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
    let (v0, v1) = (-100.0, 50.0);
    let mut inf: Vec<Series> = Gate::ALL
        .iter()
        .enumerate()
        .map(|(k, g)| {
            Series::line(
                format!("{}_inf", g.name()),
                sample(|v| g.x_inf(v), v0, v1, 300),
                theme.trace(k + 1),
            )
        })
        .collect();
    let mut tau: Vec<Series> = Gate::ALL
        .iter()
        .enumerate()
        .map(|(k, g)| {
            Series::line(
                format!("tau_{}", g.name()),
                sample(|v| g.tau_ms(v, temperature), v0, v1, 300),
                theme.trace(k + 1),
            )
        })
        .collect();
    let tau_b = bounds_of(tau.iter(), [0.0, 1.0]);
    let title_inf = match v_now {
        Some(v) => format!(
            "x_inf(V) at V = {} mV: m {} h {} n {}",
            sig4(v),
            sig4(Gate::M.x_inf(v)),
            sig4(Gate::H.x_inf(v)),
            sig4(Gate::N.x_inf(v))
        ),
        None => "x_inf(V) (open HH to mark V)".to_string(),
    };
    if let Some(v) = v_now.filter(|v| (v0..=v1).contains(v)) {
        inf.push(marker("V", v, 0.0, 1.0, theme));
        tau.push(marker("V", v, tau_b[0], tau_b[1], theme));
    }
    chart(
        frame,
        a,
        theme,
        &title_inf,
        "V (mV)",
        [v0, v1],
        [0.0, 1.0],
        &inf,
    );
    chart(
        frame,
        b,
        theme,
        &format!("tau_x(V) (ms) at {} °C", compact(temperature)),
        "V (mV)",
        [v0, v1],
        tau_b,
        &tau,
    );
}

pub fn rate_curve(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let (params, v_in) = match &app.sim.model {
        AnyModel::Lif(n) => (n.params, app.input_level()),
        AnyModel::Network(net) => (
            LifParams {
                tau_m_s: net.params.tau_m_s,
                tau_ref_s: net.params.tau_ref_s,
                ..LifParams::default()
            },
            net.bias[app.selected] + app.sim.input()[app.selected],
        ),
        _ => (LifParams::default(), f64::NAN),
    };
    let (tau_m, tau_ref) = (params.tau_m_s, params.tau_ref_s);
    let x1 = if v_in.is_finite() {
        (2.0 * v_in).clamp(5.0, 50.0)
    } else {
        5.0
    };
    let mut series = vec![Series::line(
        "G(v_in)",
        sample(|v| params.firing_rate(v), 0.0, x1, 400),
        theme.trace(1),
    )];
    let measured = app.stats.last_isi(app.selected).map(|isi| 1.0 / isi);
    let mut title = format!(
        "LIF rate G(v_in), tau_m {} ms, tau_ref {} ms",
        compact(tau_m * 1e3),
        compact(tau_ref * 1e3)
    );
    if v_in.is_finite() {
        let g = params.firing_rate(v_in);
        series.push(Series::points("G at v_in", vec![(v_in, g)], theme.bold()));
        if let Some(m) = measured {
            series.push(Series::points(
                "measured 1/ISI",
                vec![(v_in, m)],
                theme.trace(4),
            ));
            title.push_str(&format!(
                ": v_in {}, G {} Hz, measured {} Hz",
                compact(v_in),
                sig4(g),
                sig4(m)
            ));
        } else {
            title.push_str(&format!(": v_in {}, G {} Hz", compact(v_in), sig4(g)));
        }
    }
    let y = bounds_of(series.iter(), [0.0, 1.0]);
    chart(frame, area, theme, &title, "v_in", [0.0, x1], y, &series);
}

pub fn psc(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let tau_s = match &app.sim.model {
        AnyModel::Network(net) => net.params.filter.tau_s_s,
        _ => 0.005,
    };
    let n = app.psc_order;
    let t1 = tau_s * (n as f64 + 6.0);
    let mut series = Vec::new();
    for order in 0..=n.max(2) {
        let f = PscFilter::new(order, tau_s);
        let style = if order == n {
            theme.trace(order).add_modifier(Modifier::BOLD)
        } else {
            theme.trace(order).add_modifier(Modifier::DIM)
        };
        series.push(Series::line(
            format!("n = {order}"),
            sample(|t| f.h(t * 1e-3), 0.0, t1 * 1e3, 300),
            style,
        ));
    }
    let f = PscFilter::new(n, tau_s);
    let title = format!(
        "PSC filter h(t) = t^n e^(-t/tau_s)/(n! tau_s^(n+1)), tau_s {} ms, n = {n} (n N): peak {} ms, area {}",
        compact(tau_s * 1e3),
        compact(f.peak_time_s() * 1e3),
        compact(f.integral_to(t1 * 10.0))
    );
    let y = bounds_of(series.iter(), [0.0, 1.0]);
    chart(
        frame,
        area,
        theme,
        &title,
        "t (ms)",
        [0.0, t1 * 1e3],
        y,
        &series,
    );
}

pub fn activations(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let [a, b] = Layout::vertical([Constraint::Min(6), Constraint::Length(6)]).areas(area);
    let singles = [
        Activation::Logistic,
        Activation::Tanh,
        Activation::Arctan,
        Activation::Threshold,
        Activation::Relu,
    ];
    let series: Vec<Series> = singles
        .iter()
        .enumerate()
        .map(|(k, f)| {
            Series::line(
                f.name(),
                sample(|z| f.scalar(z), -4.0, 4.0, 400),
                theme.trace(k),
            )
        })
        .collect();
    chart(
        frame,
        a,
        theme,
        "activation functions σ(z)",
        "z",
        [-4.0, 4.0],
        [-1.6, 2.0],
        &series,
    );
    // The multi-neuron functions of the rate network's current input, or of
    // an example vector.
    let z: Vec<f64> = match &app.sim.model {
        AnyModel::Rate(r) => r.z.clone(),
        _ => vec![1.0, 2.0, 3.0, 0.5],
    };
    let mut sm = vec![0.0; z.len()];
    let mut oh = vec![0.0; z.len()];
    softmax(&z, &mut sm);
    one_hot(&z, &mut oh);
    let row = |label: &str, v: &[f64]| {
        Line::from(vec![
            Span::styled(format!(" {label:<9}"), theme.bold()),
            Span::raw(
                v.iter()
                    .take(10)
                    .map(|x| format!("{:>8}", sig4(*x)))
                    .collect::<String>(),
            ),
        ])
    };
    frame.render_widget(
        Paragraph::new(vec![row("z", &z), row("SoftMax", &sm), row("One-Hot", &oh)]).block(
            Block::bordered()
                .border_style(theme.dim())
                .title(" multi-neuron: SoftMax(z)_i = e^z_i / Σ e^z_j, One-Hot (ties: first) "),
        ),
        b,
    );
}
