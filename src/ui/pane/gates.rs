//! HH gate functions x_inf(V) and tau_x(V) (notes 1.1.4: "below is a graph
//! showing how h(V), m(V), n(V) change"), at the model's temperature, with
//! the live V marked and the values there.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Span;

use super::scope::note;
use super::timebase::look;
use super::{bounds_of, draw, sample};
use crate::model::hh::Gate;
use crate::model::{AnyModel, ModelKind};
use crate::ui::app::App;
use crate::ui::format::{compact, sig4};
use crate::ui::lines::Segment;
use crate::ui::plot::{Axis, Cursor, Curve, Plot};
use crate::ui::theme::Theme;

/// Why the loaded model (not HH) has no gates to draw, in its own terms,
/// and where they are.
fn no_gates(kind: ModelKind) -> &'static str {
    match kind {
        ModelKind::Rate => {
            "A rate neuron has no gates and no membrane: its activity is y = σ(z) of its \
             input (notes 1.2.3; view 5 draws σ). Only the Hodgkin-Huxley neuron opens and \
             closes ion channels (notes 1.1.4). Press o to open an HH preset (hh-clamp \
             shows the gates relax at V = -40 mV)."
        }
        ModelKind::Synapse => {
            "PSC filters have no gates: they turn an input spike train into a current \
             (notes 1.3.2; view 4 draws h(t)). Only the Hodgkin-Huxley neuron opens and \
             closes ion channels (notes 1.1.4). Press o to open an HH preset (hh-clamp \
             shows the gates relax at V = -40 mV)."
        }
        _ => {
            "The LIF neuron has no gates: it models the potential below threshold only, \
             and a spike is a reset (notes 1.2). Only the Hodgkin-Huxley neuron opens and \
             closes ion channels (notes 1.1.4). Press o to open an HH preset (hh-clamp \
             shows the gates relax at V = -40 mV)."
        }
    }
}

/// The voltage range drawn (mV).
const V_RANGE: [f64; 2] = [-100.0, 50.0];

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let AnyModel::Hh(hh) = &app.sim.model else {
        note(
            frame,
            area,
            "gates x_inf(V), tau_x(V)",
            no_gates(app.sim.model.kind()),
            theme,
        );
        return;
    };
    let v = hh.state.v_mv;
    let temperature = hh.params.temperature;
    let [a, b] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
    let curves = |f: &dyn Fn(Gate, f64) -> f64, suffix: &str| -> Vec<Curve> {
        Gate::ALL
            .iter()
            .enumerate()
            .map(|(k, &g)| {
                // Each gate's colour and pattern as on the scope's gates
                // plot, so m reads the same in both.
                let (colour, pattern) = look(k + 1, theme);
                Curve::new(
                    sample(|x| f(g, x), V_RANGE[0], V_RANGE[1], 300),
                    theme.trace(colour),
                    pattern,
                )
                .named(format!("{}{suffix}", g.name()))
            })
            .collect()
    };
    let cursor = |at: f64| Cursor {
        x: at,
        label: format!("V {}", compact(at)),
    };
    let in_range = (V_RANGE[0]..=V_RANGE[1]).contains(&v);

    let mut inf = Plot::new(
        "x_inf(V): the equilibrium each gate converges to",
        Axis::new(V_RANGE, "V (mV)").landmarks(&[0.0]),
        Axis::new([0.0, 1.0], "").landmarks(&[0.0, 1.0]),
    );
    inf.short_titles = vec!["x_inf(V): equilibrium".into(), "x_inf(V)".into()];
    inf.curves = curves(&|g, x| g.x_inf(x), "_inf");
    inf.readout = vec![Segment::new(
        9,
        vec![Span::raw(format!("at V = {} mV:", sig4(v)))],
    )];
    for g in Gate::ALL {
        inf.readout.push(Segment::new(
            8,
            vec![Span::raw(format!(" {}_inf {}", g.name(), sig4(g.x_inf(v))))],
        ));
    }
    if in_range {
        inf.cursors.push(cursor(v));
    }
    draw(frame, a, &inf, theme);

    let tau_curves = curves(&|g, x| g.tau_ms(x, temperature), "");
    let y = bounds_of(tau_curves.iter(), [0.0, 1.0]);
    let mut tau = Plot::new(
        format!("tau_x(V) (ms) at {} °C", compact(temperature)),
        Axis::new(V_RANGE, "V (mV)").landmarks(&[0.0]),
        Axis::new(y, "").landmarks(&[0.0]),
    );
    tau.short_titles = vec!["tau_x(V) (ms)".into()];
    tau.curves = tau_curves
        .into_iter()
        .map(|c| {
            let name = format!("tau_{}", c.label.clone().unwrap_or_default());
            c.named(name)
        })
        .collect();
    // Each time constant with its unit: a lone "ms:" before them read as
    // a label of its own.
    tau.readout = Gate::ALL
        .iter()
        .map(|g| {
            let text = format!(" tau_{} {} ms", g.name(), sig4(g.tau_ms(v, temperature)));
            Segment::new(8, vec![Span::raw(text)])
        })
        .collect();
    if in_range {
        tau.cursors.push(cursor(v));
    }
    draw(frame, b, &tau, theme);
}
