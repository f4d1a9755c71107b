//! PSC filters h(t) = t^n e^(-t/tau_s) / (n! tau_s^(n+1)) (notes 1.3.2:
//! "some synapses are fast (~10 ms) while some are slow (~300 ms)"): the
//! model's own filters, named, and one to explore from the keyboard (order
//! n / N, tau_s } / {), each drawn to where its area is all but delivered,
//! on a linear scale or (y) a log one.

use crate::model::elementary::log10;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;

use super::{draw, round_out, sample};
use crate::model::AnyModel;
use crate::model::synapse::PscFilter;
use crate::ui::app::App;
use crate::ui::format::{compact, duration, sig4};
use crate::ui::lines::Segment;
use crate::ui::plot::{Axis, Curve, LabelAt, Pattern, Plot};
use crate::ui::theme::Theme;

/// Time by which filter f has delivered all but 0.5% of its area: the whole
/// curve is drawn up to it.
fn tail_s(f: &PscFilter) -> f64 {
    let mut t = f.tau_s_s * (f.order as f64 + 1.0);
    while f.integral_to(t) < 0.995 {
        t *= 1.25;
    }
    t
}

/// The model's own filters, with their names.
fn own_filters(app: &App) -> Vec<(String, PscFilter)> {
    match &app.sim.model {
        AnyModel::Network(net) => vec![("network".to_string(), net.params().filter)],
        AnyModel::Synapse(bank) => bank
            .names
            .iter()
            .zip(&bank.filters)
            .map(|(n, f)| (n.clone(), f.filter))
            .collect(),
        _ => Vec::new(),
    }
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let own = own_filters(app);
    let explore = PscFilter::new(app.view.psc.order, app.view.psc.tau_s);
    // The explored filter, when it is one of the model's, is drawn once, as
    // the model's: the readout says so, so that a key that made it so
    // (n, N, }, {) is seen to have done something.
    let explored_as = own.iter().find(|(_, f)| *f == explore).map(|(n, _)| n);
    let mut shown: Vec<(String, PscFilter, bool)> =
        own.iter().map(|(n, f)| (n.clone(), *f, true)).collect();
    if explored_as.is_none() {
        shown.push((
            format!("n={} tau_s {}", explore.order, duration(explore.tau_s_s)),
            explore,
            false,
        ));
    }
    let t_end =
        shown.iter().map(|(_, f, _)| tail_s(f)).fold(0.0, f64::max) * 2f64.powi(app.view.psc_zoom);
    // ms up to 2 s, then s.
    let unit = if t_end <= 2.0 { 1e3 } else { 1.0 };
    let x = round_out([0.0, t_end * unit]);
    let mut curves = Vec::new();
    // The filter to explore is dashed beside the model's own solid ones;
    // without colour the own ones take the patterns in turn and the
    // explored one the next (dashed, it read as psc-orders' n = 1).
    let own_count = shown.iter().filter(|s| s.2).count();
    let explore_pattern = if theme.color {
        Pattern::Dashed
    } else {
        Pattern::nth(own_count, theme)
    };
    // On a log scale the curves are drawn as log10 h (an order above 0
    // starts at h(0) = 0, below any decade: it enters from the bottom).
    let log = app.view.psc_log_scale;
    let value = |h: f64| if log { log10(h) } else { h };
    let mut top = if log { f64::NEG_INFINITY } else { 0.0 };
    for (k, (name, f, is_own)) in shown.iter().enumerate() {
        let pts = sample(|t| value(f.h(t / unit)), 0.0, x[1], 600);
        top = pts.iter().map(|p| p.1).fold(top, f64::max);
        let style = if *is_own {
            theme.trace(k).add_modifier(ratatui::style::Modifier::BOLD)
        } else {
            theme.trace(k)
        };
        let pattern = if *is_own {
            Pattern::nth(k, theme)
        } else {
            explore_pattern
        };
        let mut curve = Curve::new(pts, style, pattern).named(name.clone());
        curve.label_at = LabelAt::Peak;
        curves.push(curve);
    }
    // The unit and scale, and the key that changes it, as the readout
    // names the explored filter's keys.
    let scale = if log {
        "1/s, log scale (y)"
    } else {
        "1/s, linear scale (y)"
    };
    let title = if own.is_empty() {
        format!("PSC filter h(t): this model has no synapses; an example to explore; {scale}")
    } else {
        format!("PSC filters h(t) of this model, and one to explore; {scale}")
    };
    // Five decades down from the one above the highest peak (a peak on a
    // decade, 100, is drawn under the top, not on it); from 1 where no
    // sample is above 0 (none is drawn).
    let y = if log {
        let upper = if top.is_finite() {
            (top + 0.02).ceil()
        } else {
            0.0
        };
        Axis::new([upper - 5.0, upper], "").decades()
    } else {
        Axis::new(round_out([0.0, top * 1.05]), "").landmarks(&[0.0])
    };
    let mut plot = Plot::new(
        title,
        Axis::new(x, if unit == 1e3 { "t (ms)" } else { "t (s)" }),
        y,
    );
    plot.short_titles = if own.is_empty() {
        vec![
            format!("PSC filter h(t): no synapses here; an example; {scale}"),
            format!("PSC filter h(t): an example; {scale}"),
            format!("PSC filter h(t); {scale}"),
        ]
    } else {
        vec![
            format!("PSC filters h(t), and one to explore; {scale}"),
            format!("PSC filters h(t); {scale}"),
        ]
    };
    plot.curves = curves;
    for (name, f, is_own) in &shown {
        let who = if *is_own {
            name.clone()
        } else {
            "explore (n N } {)".to_string()
        };
        // The peak's time n tau_s to tau_s's own digits: beside `tau_s
        // 7.071 ms` a point's two decimals read `at 7.07 ms`.
        let peak_at = if f.order == 0 {
            "0 ms".to_string()
        } else {
            duration(f.peak_time_s())
        };
        plot.readout.push(Segment::new(
            if *is_own { 9 } else { 8 },
            vec![Span::raw(format!(
                "{who}: n {}, tau_s {}, peak {} 1/s at {peak_at}, area {}   ",
                f.order,
                duration(f.tau_s_s),
                sig4(f.h(f.peak_time_s())),
                compact(f.integral_to(1e6 * f.tau_s_s))
            ))],
        ));
    }
    if let Some(name) = explored_as {
        plot.readout.push(Segment::raw(
            8,
            format!(
                "explore (n N }} {{): n {}, tau_s {}, as {name} above   ",
                explore.order,
                duration(explore.tau_s_s)
            ),
        ));
    }
    draw(frame, area, &plot, theme);
}
