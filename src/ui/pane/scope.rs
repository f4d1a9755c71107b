//! The oscilloscope: live traces of the selected neuron and the spike raster,
//! on one time axis (the raster's columns are the traces' columns).
//!
//! ```text
//! HH:       V (mV, 0 mV threshold) / gates m h n | currents I_Na I_K I_L / raster
//! LIF:      v (threshold 1, spikes as strokes)   / input v_in          / raster
//! network:  v of the selected neuron             / its s(t)            / raster
//! synapse:  s(t) of every filter                                       / raster
//! rate:     activities y                         / inputs z
//! ```
//!
//! Free-running, the trace sweeps left to right over a fixed axis and starts
//! again at the left edge, erasing a small gap ahead of itself (a frame then
//! changes only the columns the sweep advanced: cheap over SSH). Triggered,
//! each sweep starts the pre-trigger before a spike of the selected neuron
//! and the last sweeps are drawn on top of each other (older ones dim);
//! single shot holds one. Rolling, the window scrolls and ends at the present.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::widgets::{Block, Paragraph};

use super::raster::{RASTER_MIN, raster_rows, render_raster};
use super::{bounds_of, decimate, draw};
use crate::model::hh::Gate;
use crate::model::recordable::{Quantity, Recordable};
use crate::model::{AnyModel, ModelKind};
use crate::ui::app::App;
use crate::ui::format::{compact, plural, sim_time, time_point};
use crate::ui::plot::{Axis, Curve, Level, Pattern, Plot};
use crate::ui::status::neuron_label;
use crate::ui::theme::Theme;
use crate::ui::traces::MAX_TRACED_NEURONS;
use crate::view::TriggerMode;

/// Sweeps overlaid in trigger mode.
pub const SWEEPS: usize = 6;

/// The smallest heights that keep a plot's axes: the main trace and the
/// one under it.
const TOP_MIN: u16 = 7;
const MIDDLE_MIN: u16 = 5;

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let kind = app.kind();
    let raster = match kind {
        ModelKind::Rate => 0,
        ModelKind::Synapse => RASTER_MIN,
        _ => raster_rows(app.neuron_count(), area.height, TOP_MIN + MIDDLE_MIN),
    };
    let middle = match kind {
        ModelKind::Synapse => 0,
        _ => (area.height.saturating_sub(raster) * 2 / 5).max(MIDDLE_MIN),
    };
    // A pane too short for all three leaves out the plots under the main
    // trace, then the raster, rather than draw boxes with no room inside.
    let (middle, raster) = if area.height >= TOP_MIN + middle + raster {
        (middle, raster)
    } else if area.height >= TOP_MIN + raster {
        (0, raster)
    } else {
        (0, 0)
    };
    let [top, middle, raster_area] = Layout::vertical([
        Constraint::Min(TOP_MIN),
        Constraint::Length(middle),
        Constraint::Length(raster),
    ])
    .areas(area);
    // Dot columns to decimate to: at least the plots' own.
    let sweep = Sweep::of(app, 2 * top.width as usize);
    let plots = plots(app, &sweep, theme);
    // The full-width plots and the raster share one margin, so their time
    // columns line up.
    let (top_plot, lower) = plots;
    let mut margin = top_plot.label_width(top).max(5);
    if raster > 0 {
        margin = margin.max(super::raster::label_width(app, raster));
    }
    if let Lower::One(p) = &lower {
        margin = margin.max(p.label_width(middle));
    }
    let mut top_plot = top_plot;
    top_plot.margin = Some(margin);
    if let Some(c) = &app.cursors {
        super::cursors::annotate(&mut top_plot, app, &sweep, c);
    }
    let geometry = draw(frame, top, &top_plot, theme);
    match lower {
        _ if middle.height == 0 => {}
        Lower::None => {}
        Lower::One(mut p) => {
            p.margin = Some(margin);
            draw(frame, middle, &p, theme);
        }
        Lower::Two(a, b) => {
            let [l, r] =
                Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                    .areas(middle);
            draw(frame, l, &a, theme);
            draw(frame, r, &b, theme);
        }
    }
    if let (true, Some(g)) = (raster > 0, geometry) {
        render_raster(frame, raster_area, app, &sweep, g, margin, theme);
    }
}

/// What goes under the main trace.
enum Lower<'a> {
    None,
    One(Box<Plot<'a>>),
    Two(Box<Plot<'a>>, Box<Plot<'a>>),
}

/// The plots of the model's scope.
fn plots<'a>(app: &App, sweep: &Sweep, theme: &Theme) -> (Plot<'a>, Lower<'a>) {
    match &app.sim.model {
        AnyModel::Hh(hh) => hh_plots(app, sweep, hh.clamp, theme),
        AnyModel::Lif(n) => {
            // The neuron's own threshold and reset (1 and 0 in the notes'
            // normalization; the parameters panel may change them).
            let (v_th, v_reset) = (n.params.v_threshold, n.params.v_reset);
            let v = Recordable::of(Quantity::V);
            let mut v = sweep.curves(app, v, "v", 0, theme);
            v.push(sweep.spike_strokes(app, 0, theme));
            let title = format!(
                "membrane potential v (threshold {}, reset {})",
                compact(v_th),
                compact(v_reset)
            );
            let span = v_th - v_reset;
            let range = [v_reset.min(0.0) - 0.1 * span, v_th + 0.5 * span];
            let mut top = trace_plot(title, sweep, v, range, "", &[v_reset, v_th]);
            top.short_titles = vec![format!(
                "v (threshold {}, reset {})",
                compact(v_th),
                compact(v_reset)
            )];
            top.levels.push(threshold(v_th));
            let input = Recordable::of(Quantity::Input);
            let input = sweep.curves(app, input, "v_in", 1, theme);
            let range = [0.0, v_th.max(1.0)];
            let lower = trace_plot("input v_in", sweep, input, range, "", &[v_th]);
            (top, Lower::One(Box::new(lower)))
        }
        AnyModel::Network(_) => network_plots(app, sweep, theme),
        AnyModel::Synapse(bank) => {
            let mut curves = Vec::new();
            for (k, name) in bank.names.iter().enumerate() {
                let r = Recordable::at(Quantity::Psc, k);
                curves.extend(sweep.curves(app, r, name, k, theme));
            }
            let title = "PSC s(t) = Σ_p w h(t - t_p), 1/s: the spike train filtered";
            let mut top = trace_plot(title, sweep, curves, [0.0, 1.0], "", &[0.0]);
            top.short_titles = vec!["PSC s(t) = Σ_p w h(t - t_p), 1/s".into()];
            (top, Lower::None)
        }
        AnyModel::Rate(_) => {
            let k = app.neuron_count().min(MAX_TRACED_NEURONS);
            let (mut ys, mut zs) = (Vec::new(), Vec::new());
            for i in 0..k {
                let name = neuron_label(app, i);
                let (y, z) = (
                    Recordable::at(Quantity::Y, i),
                    Recordable::at(Quantity::Z, i),
                );
                ys.extend(sweep.curves(app, y, &name, i, theme));
                zs.extend(sweep.curves(app, z, &name, i, theme));
            }
            let top = trace_plot("activities y", sweep, ys, [0.0, 1.0], "", &[0.0]);
            let title = "inputs z = W y + b + x";
            let lower = trace_plot(title, sweep, zs, [-1.0, 1.0], "", &[0.0]);
            (top, Lower::One(Box::new(lower)))
        }
    }
}

/// A plot of `curves` over the sweep's time axis, its y range the curves'
/// (at least `default`), with `landmarks` among the y ticks.
fn trace_plot<'a>(
    title: impl Into<String>,
    sweep: &Sweep,
    curves: Vec<Curve>,
    default: [f64; 2],
    unit: &str,
    landmarks: &[f64],
) -> Plot<'a> {
    let y = bounds_of(curves.iter(), default);
    let mut plot = Plot::new(title, sweep.axis(), Axis::new(y, unit).landmarks(landmarks));
    plot.curves = curves;
    plot
}

/// The LIF threshold as a level line.
fn threshold(v_th: f64) -> Level {
    Level {
        y: v_th,
        label: "threshold".into(),
    }
}

/// HH: V over the spike threshold, the gates beside the ionic currents
/// (and under a clamp the clamp current).
fn hh_plots<'a>(app: &App, sweep: &Sweep, clamp: bool, theme: &Theme) -> (Plot<'a>, Lower<'a>) {
    let v = sweep.curves(app, Recordable::of(Quantity::V), "V", 0, theme);
    let title = "membrane voltage V (mV)";
    let mut top = trace_plot(title, sweep, v, [-90.0, 50.0], "mV", &[0.0]);
    top.levels.push(Level {
        y: 0.0,
        label: "0 mV: spike threshold".into(),
    });
    let mut gates = Vec::new();
    for (k, gate) in Gate::ALL.into_iter().enumerate() {
        let r = Recordable::of(Quantity::gate(gate));
        gates.extend(sweep.curves(app, r, gate.name(), k + 1, theme));
    }
    let mut g = Plot::new(
        "gates m h n",
        sweep.axis(),
        Axis::new([0.0, 1.0], "").landmarks(&[0.0, 1.0]),
    );
    g.curves = gates;
    let mut which = vec![
        (Quantity::INa, "I_Na"),
        (Quantity::IK, "I_K"),
        (Quantity::IL, "I_L"),
    ];
    if clamp {
        which.push((Quantity::Input, "I_clamp"));
    }
    let mut currents = Vec::new();
    for (k, (q, name)) in which.into_iter().enumerate() {
        currents.extend(sweep.curves(app, Recordable::of(q), name, k + 4, theme));
    }
    let title = if clamp {
        "currents (µA/cm², out +), I_clamp"
    } else {
        "ionic currents (µA/cm², out +)"
    };
    let c = trace_plot(title, sweep, currents, [-10.0, 10.0], "", &[0.0]);
    (top, Lower::Two(Box::new(g), Box::new(c)))
}

/// A network: the selected neuron's v and s, or why they are not there.
fn network_plots<'a>(app: &App, sweep: &Sweep, theme: &Theme) -> (Plot<'a>, Lower<'a>) {
    let i = app.view.selected;
    let who = neuron_label(app, i);
    let (v, s) = (
        Recordable::at(Quantity::V, i),
        Recordable::at(Quantity::S, i),
    );
    let Some((_, since)) = app.traces.place_of(v) else {
        let title = format!(
            "{who}: traces recorded for neurons 0-{} only",
            MAX_TRACED_NEURONS - 1
        );
        let mut top = Plot::new(title, sweep.axis(), Axis::new([0.0, 1.0], ""));
        top.readout = Vec::new();
        return (top, Lower::None);
    };
    let since = since.map_or(String::new(), |t| {
        format!(" (recorded from {})", sim_time(t))
    });
    let mut vs = sweep.curves(app, v, "v", 0, theme);
    vs.push(sweep.spike_strokes(app, i, theme));
    let title = format!("v of {who}{since}");
    let mut top = trace_plot(title, sweep, vs, [-0.1, 1.5], "", &[0.0, 1.0]);
    top.levels.push(threshold(1.0));
    let ss = sweep.curves(app, s, "s", 1, theme);
    let title = format!("synaptic current s of {who} (1/s){since}");
    let lower = trace_plot(title, sweep, ss, [0.0, 1.0], "", &[0.0]);
    (top, Lower::One(Box::new(lower)))
}

/// The time range on screen and how it maps samples.
pub struct Sweep {
    pub mode: TriggerMode,
    /// Axis units per second: 1e3 (ms) or 1 (s).
    unit: f64,
    /// x range in axis units: time into the sweep (free), since the spike
    /// (spike, single) or absolute (roll).
    pub x: [f64; 2],
    dots: usize,
    /// Triggered sweeps: the spike times (s) they align on, newest last.
    sweeps: Vec<f64>,
    pre_s: f64,
    window_s: f64,
    now_s: f64,
    /// Free mode: the start of the current sweep (s) and the erased gap
    /// ahead of the write head (s).
    sweep_start_s: f64,
    gap_s: f64,
    title: String,
}

/// A contiguous run of samples and the shift that maps its times to x.
struct Span {
    from_s: f64,
    to_s: f64,
    /// x = (t - origin_s) * unit
    origin_s: f64,
}

/// Where the free-running sweep showing time `now` began: sweeps are
/// [k w, (k + 1) w], and the sample at a sweep's end closes it rather than
/// opening the next, so that a run paused there (a one-shot preset's end)
/// shows its whole sweep under its own time axis.
fn free_sweep_start(now: f64, w: f64) -> f64 {
    // A time counted in whole steps may land a rounding past k w: within
    // 1e-12 of it, it is still that sweep's end.
    let k = ((now / w) * (1.0 - 1e-12)).ceil() - 1.0;
    k.max(0.0) * w
}

impl Sweep {
    pub fn of(app: &App, dots: usize) -> Self {
        let now = app.sim.time_s();
        let w = app.window_s();
        let unit = if w <= 2.0 { 1e3 } else { 1.0 };
        let u = if unit == 1e3 { "ms" } else { "s" };
        let mut v = Self {
            mode: app.view.trigger,
            unit,
            x: [0.0, w * unit],
            dots,
            sweeps: Vec::new(),
            pre_s: 0.0,
            window_s: w,
            now_s: now,
            sweep_start_s: free_sweep_start(now, w),
            gap_s: 0.04 * w,
            title: String::new(),
        };
        let pre = app.view.pre_trigger * w;
        let i = app.view.selected;
        match app.view.trigger {
            TriggerMode::Free => {
                v.title = format!("{u} from {}", time_point(v.sweep_start_s));
            }
            TriggerMode::Roll => {
                v.unit = if w <= 2.0 && now < 10.0 { 1e3 } else { 1.0 };
                let u = if v.unit == 1e3 { "ms" } else { "s" };
                v.x = [(now - w) * v.unit, now * v.unit];
                v.title = format!("t ({u})");
            }
            TriggerMode::Spike => {
                let mut sweeps: Vec<f64> = app
                    .traces
                    .probes
                    .spikes()
                    .filter(|s| s.neuron == i)
                    .map(|s| s.time_s)
                    .collect();
                let keep = sweeps.len().saturating_sub(SWEEPS);
                sweeps.drain(..keep);
                v.x = [-pre * unit, (w - pre) * unit];
                v.title = format!(
                    "{u} from spike ({})",
                    plural(sweeps.len() as u64, "sweep", "sweeps")
                );
                v.sweeps = sweeps;
                v.pre_s = pre;
            }
            TriggerMode::Single => {
                v.x = [-pre * unit, (w - pre) * unit];
                v.pre_s = pre;
                let trigger = app.held_trigger_s().or_else(|| app.single_trigger_s());
                v.title = match (app.held_trigger_s(), trigger) {
                    (Some(ts), _) => format!("{u} from the spike at {} (held)", time_point(ts)),
                    (None, Some(_)) => format!("{u} from spike (capturing)"),
                    (None, None) => "armed: waiting for a spike".to_string(),
                };
                v.sweeps = trigger.into_iter().collect();
            }
        }
        v
    }

    pub fn axis(&self) -> Axis {
        let u = if self.unit == 1e3 { "ms" } else { "s" };
        let axis = Axis::new(self.x, self.title.clone());
        let axis = match self.mode {
            TriggerMode::Spike | TriggerMode::Single => axis.short_title(format!("{u} from spike")),
            _ => axis,
        };
        axis.landmarks(match self.mode {
            TriggerMode::Spike | TriggerMode::Single => &[0.0],
            _ => &[],
        })
    }

    /// The runs of samples on screen, oldest first: in free mode the current
    /// sweep and what is left of the previous one after the gap; in spike
    /// mode one run per sweep; in roll mode the window.
    fn spans(&self) -> Vec<Span> {
        match self.mode {
            TriggerMode::Roll => vec![Span {
                from_s: self.now_s - self.window_s,
                to_s: self.now_s,
                origin_s: 0.0,
            }],
            TriggerMode::Free => {
                let start = self.sweep_start_s;
                vec![
                    // The old sweep ends before the sample at `start`, which
                    // is the new sweep's first.
                    Span {
                        from_s: self.now_s - self.window_s + self.gap_s,
                        to_s: start - 1e-9,
                        origin_s: start - self.window_s,
                    },
                    Span {
                        from_s: start,
                        to_s: self.now_s,
                        origin_s: start,
                    },
                ]
            }
            TriggerMode::Spike | TriggerMode::Single => self
                .sweeps
                .iter()
                .map(|&ts| Span {
                    from_s: ts - self.pre_s,
                    to_s: (ts - self.pre_s + self.window_s).min(self.now_s),
                    origin_s: ts,
                })
                .collect(),
        }
    }

    /// The time shown at `x` on the axis, in the newest run showing it.
    pub fn t_of(&self, x: f64) -> Option<f64> {
        self.spans()
            .iter()
            .rev()
            .map(|p| p.origin_s + x / self.unit)
            .zip(self.spans().iter().rev().map(|p| (p.from_s, p.to_s)))
            .find(|&(t, (from, to))| t >= from && t <= to)
            .map(|(t, _)| t)
    }

    /// Where time t appears on the x axis, in the newest run showing it.
    pub fn x_of(&self, t: f64) -> Option<f64> {
        self.spans()
            .iter()
            .rev()
            .find(|p| t >= p.from_s && t <= p.to_s)
            .map(|p| (t - p.origin_s) * self.unit)
    }

    /// The trace of `r`, named `name` by its newest sweep (at its end, or
    /// where that is crowded at one of a few fixed columns along it) and
    /// styled as the k-th trace; older sweeps dim and unnamed. Nothing if
    /// `r` is not recorded.
    fn curves(&self, app: &App, r: Recordable, name: &str, k: usize, theme: &Theme) -> Vec<Curve> {
        let probes = &app.traces.probes;
        let Some(place) = probes.place_of(r) else {
            return Vec::new();
        };
        let spans = self.spans();
        let points: Vec<Vec<(f64, f64)>> = spans
            .iter()
            .map(|span| {
                let from = probes.index_at(span.from_s);
                decimate(
                    probes
                        .samples_between(place, from, span.to_s)
                        .map(|(t, y)| ((t - span.origin_s) * self.unit, y)),
                    self.x[0],
                    self.x[1],
                    self.dots,
                )
            })
            .collect();
        // The name goes at the end of the newest run, or in free mode of the
        // longer of the two drawn, so it sits away from the write head's
        // fresh samples when the old sweep fills most of the screen. Drawn,
        // not spanned: in the first sweep the old one's part is before the
        // run began and has no samples to carry a name.
        let drawn = |p: &[(f64, f64)]| p.last().map_or(0.0, |l| l.0 - p[0].0);
        let named = match self.mode {
            TriggerMode::Free if spans.len() == 2 => {
                if drawn(&points[0]) > drawn(&points[1]) {
                    0
                } else {
                    1
                }
            }
            _ => spans.len().saturating_sub(1),
        };
        let mut out = Vec::new();
        for (p, pts) in points.into_iter().enumerate() {
            let newest = p + 1 == spans.len();
            let faded = matches!(self.mode, TriggerMode::Spike) && !newest;
            let style = if faded {
                theme.trace(k).add_modifier(Modifier::DIM)
            } else {
                theme.trace(k)
            };
            let curve = Curve::new(pts, style, Pattern::nth(k, theme));
            out.push(if p == named { curve.named(name) } else { curve });
        }
        out.extend(self.reference_curves(app, r, name, k, theme));
        out
    }

    /// The frozen reference of `r`, where the screen showed it when frozen:
    /// dim and dotted, named "ref" (and without colour still told apart).
    fn reference_curves(
        &self,
        app: &App,
        r: Recordable,
        name: &str,
        k: usize,
        theme: &Theme,
    ) -> Vec<Curve> {
        let Some(runs) = app.reference.as_ref().and_then(|f| f.of(r)) else {
            return Vec::new();
        };
        let longest = (0..runs.len()).max_by_key(|&j| runs[j].len());
        runs.iter()
            .enumerate()
            .map(|(j, run)| {
                let pts = decimate(
                    run.iter()
                        .map(|&(rel_s, y)| (self.x[0] + rel_s * self.unit, y)),
                    self.x[0],
                    self.x[1],
                    self.dots,
                );
                let style = theme.trace(k).add_modifier(Modifier::DIM);
                let curve = Curve::new(pts, style, Pattern::Dotted);
                if Some(j) == longest {
                    curve.named(format!("ref {name}"))
                } else {
                    curve
                }
            })
            .collect()
    }

    /// The samples of `r` on screen now, each run of them as (seconds from
    /// the window's left edge, value): what a frozen reference keeps.
    pub fn on_screen(&self, app: &App, r: Recordable) -> Vec<Vec<(f64, f64)>> {
        let probes = &app.traces.probes;
        let Some(place) = probes.place_of(r) else {
            return Vec::new();
        };
        let left_s = self.x[0] / self.unit;
        self.spans()
            .iter()
            .map(|span| {
                let from = probes.index_at(span.from_s);
                probes
                    .samples_between(place, from, span.to_s)
                    .map(|(t, y)| (t - span.origin_s - left_s, y))
                    .collect::<Vec<_>>()
            })
            .filter(|run| !run.is_empty())
            .collect()
    }

    /// LIF spikes have no shape: a vertical stroke from the threshold up at
    /// each spike of neuron `i` on screen shows that one happened.
    fn spike_strokes(&self, app: &App, i: usize, theme: &Theme) -> Curve {
        let mut pts = Vec::new();
        for s in app.traces.probes.spikes().filter(|s| s.neuron == i) {
            if let Some(x) = self.x_of(s.time_s) {
                pts.extend([(x, f64::NAN), (x, 1.0), (x, 1.4)]);
            }
        }
        Curve::new(pts, theme.trace(4), Pattern::Solid)
    }
}

/// A message in place of a pane that has nothing to draw.
pub fn note(frame: &mut Frame, area: Rect, title: &str, text: &str, theme: &Theme) {
    frame.render_widget(
        Paragraph::new(
            crate::ui::format::wrap_words(text, area.width.saturating_sub(4) as usize).join("\n"),
        )
        .block(
            Block::bordered()
                .border_style(theme.dim())
                .title(format!(" {title} ")),
        ),
        area,
    );
}
