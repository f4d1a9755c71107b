//! The status's neuron line: the selected neuron's state now (V or v, s,
//! HH's gates and currents where there is room), its spikes, the rate they
//! allow one to state now, G(v_in) and the bias; a filter bank's filters.

use ratatui::style::Color;
use ratatui::text::Span;

use super::neuron_label;
use crate::model::AnyModel;
use crate::model::recordable::{Quantity, Recordable};
use crate::ui::app::App;
use crate::ui::format::{duration, plural, sig4};
use crate::ui::lines::Segment;
use crate::ui::theme::Theme;
use crate::ui::traces::RateEstimate;

pub(super) fn neuron_line<'a>(app: &App, width: usize, theme: &Theme) -> Vec<Segment<'a>> {
    let i = app.view.selected;
    let label = format!("{}:", neuron_label(app, i, theme));
    let mut out = vec![Segment::new(10, vec![Span::styled(label, theme.bold())])];
    match &app.sim.model {
        AnyModel::Synapse(bank) => {
            out[0] = Segment::new(10, vec![Span::styled("input:", theme.bold())]);
            let spikes = plural(app.traces.stats.count[0], "spike", "spikes");
            out.push(Segment::raw(9, format!(" {spikes}")));
            let each: Vec<String> = bank
                .names
                .iter()
                .zip(&bank.filters)
                .map(|(name, f)| format!("  s({name}) {} 1/s", sig4(f.output())))
                .collect();
            // As many filters as fit, and how many more there are (the
            // scope draws them all): eight filters at 80 columns showed
            // three, the others dropped without a word.
            let used = "input: ".len() + spikes.chars().count();
            let shown = filters_that_fit(&each, width.saturating_sub(used));
            for (k, s) in each.iter().take(shown).enumerate() {
                out.push(Segment::raw(8 - k.min(6) as u8, s.clone()));
            }
            if shown < each.len() {
                out.push(Segment::raw(8, more_filters(each.len() - shown)));
            }
        }
        AnyModel::Rate(r) => {
            out.push(Segment::raw(9, format!(" y {}", sig4(r.y[i]))));
            out.push(Segment::raw(9, format!("  z {}", sig4(r.z[i]))));
            out.push(Segment::raw(6, format!("  b {}", sig4(r.bias[i]))));
        }
        _ => {
            let now = state_now(app, i);
            out.extend(now.first);
            let spikes = plural(app.traces.stats.count[i], "spike", "spikes");
            out.push(Segment::raw(10, format!(" {spikes}")));
            out.extend(rate_segments(app.traces.stats.rate_at(i, app.sim.time_s())));
            out.extend(now.last);
            if let Some(g) = app.analytic_rate() {
                let text = format!("  G(v_in) {} Hz", sig4(g));
                out.push(Segment::new(
                    8,
                    vec![Span::styled(text, theme.fg(Color::Cyan))],
                ));
            }
            // The bias before the ISI (which the rate restates): + and -
            // change it, and the change must show at 80 columns.
            if let Some(b) = app.selected_bias() {
                out.push(Segment::raw(8, format!("  bias {}", sig4(b))));
            }
        }
    }
    out
}

/// The selected neuron's state at this instant, as an oscilloscope reads
/// out its channels: the membrane potential first (HH's V in mV, a LIF
/// neuron's v against the threshold 1), then what is drawn under it, kept
/// where there is room (HH's gates and ionic currents, a network neuron's
/// synaptic current s).
struct StateNow<'a> {
    first: Vec<Segment<'a>>,
    last: Vec<Segment<'a>>,
}

fn state_now<'a>(app: &App, i: usize) -> StateNow<'a> {
    let value = |q: Quantity| app.sim.model.value(Recordable::at(q, i), app.sim.input());
    let v = value(Quantity::V);
    match &app.sim.model {
        AnyModel::Hh(_) => {
            let gates = format!(
                "  m {}  h {}  n {}",
                sig4(value(Quantity::M)),
                sig4(value(Quantity::H)),
                sig4(value(Quantity::N))
            );
            let currents = format!(
                "  I_Na {}  I_K {}  I_L {} µA/cm²",
                sig4(value(Quantity::INa)),
                sig4(value(Quantity::IK)),
                sig4(value(Quantity::IL))
            );
            StateNow {
                first: vec![Segment::raw(9, format!(" V {} mV ", sig4(v)))],
                last: vec![Segment::raw(5, gates), Segment::raw(3, currents)],
            }
        }
        AnyModel::Network(_) => StateNow {
            first: vec![
                Segment::raw(9, format!(" v {} ", sig4(v))),
                Segment::raw(6, format!(" s {} 1/s ", sig4(value(Quantity::S)))),
            ],
            last: Vec::new(),
        },
        _ => StateNow {
            first: vec![Segment::raw(9, format!(" v {} ", sig4(v)))],
            last: Vec::new(),
        },
    }
}

/// How many of the filters' `s(name) value` fit in `room` columns, with
/// the words for the rest where some do not.
fn filters_that_fit(each: &[String], room: usize) -> usize {
    let width = |s: &String| s.chars().count();
    if each.iter().map(width).sum::<usize>() <= room {
        return each.len();
    }
    let mut used = 0;
    let mut shown = 0;
    for s in each {
        let rest = each.len() - shown - 1;
        let more = if rest > 0 {
            more_filters(rest).chars().count()
        } else {
            0
        };
        if used + width(s) + more > room {
            break;
        }
        used += width(s);
        shown += 1;
    }
    shown
}

fn more_filters(rest: usize) -> String {
    format!("  +{rest} more")
}

/// The measured rate and ISI: from the last interval, a bound while the
/// neuron is silent for longer than it, or nothing once it has stopped.
fn rate_segments<'a>(estimate: RateEstimate) -> Vec<Segment<'a>> {
    match estimate {
        RateEstimate::Interval { isi_s } => vec![
            Segment::raw(9, format!("  rate {} Hz", sig4(1.0 / isi_s))),
            Segment::raw(7, format!("  ISI {} ms", sig4(isi_s * 1e3))),
        ],
        RateEstimate::AtMost { silent_s } => vec![
            Segment::raw(9, format!("  rate < {} Hz", sig4(1.0 / silent_s))),
            Segment::raw(7, format!("  ISI > {} ms", sig4(silent_s * 1e3))),
        ],
        RateEstimate::Stopped { silent_s } => vec![
            Segment::raw(9, "  rate –  ISI –"),
            Segment::raw(7, format!("  silent {}", duration(silent_s))),
        ],
        RateEstimate::Unknown => vec![Segment::raw(9, "  rate –  ISI –")],
    }
}
