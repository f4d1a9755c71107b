//! Below a small network's W, where a large screen leaves room: the notes'
//! weighted sum over time (1.3.4). The filtered spike trains x_j(t) =
//! (a_j * h)(t) and the inputs z_i(t) = Σ_j w_ij x_j(t) + b_i over the last
//! window (X's and Y's for two populations, every neuron's otherwise), from
//! the recorded spikes as the populations table's live x and z are: the
//! table gives their values now, this their history up to now. Where W or
//! b was changed inside the window, each spike counts with the w_ij it was
//! delivered under and each instant with the b_i it had, as the engine's
//! input did (`InputHistory`).

use ratatui::Frame;
use ratatui::layout::Rect;

use super::{draw, round_out};
use crate::model::AnyModel;
use crate::model::network::SpikeTiming;
use crate::model::synapse::PscFilter;
use crate::ui::app::App;
use crate::ui::format::sig4;
use crate::ui::input_history::InputHistory;
use crate::ui::plot::{Axis, Curve, Level, Pattern, Plot};
use crate::ui::theme::Theme;

/// Fewest rows (borders included) a plot of these is drawn in.
pub(super) const LEAST_ROWS: u16 = 8;
/// Most neurons a population may have for its curves to be drawn: past
/// eight, curves of three patterns and eight colours cannot be told apart.
pub(super) const MOST_CURVES: usize = 8;
/// Narrowest screen that puts the two plots side by side.
const SIDE_BY_SIDE_FROM: u16 = 100;

/// The instants each X neuron's spikes reach their targets, and how far
/// back a spike still adds to x_j: past `tail_s` its h(t) is below 1e-20
/// of its peak, for any order up to the largest (16). With them, W and b
/// over the run.
pub struct Trains<'a> {
    filter: PscFilter,
    /// The X neurons (network indices), in X's order.
    x: Vec<usize>,
    /// When each X neuron's spikes reach their targets: at the spike in
    /// exact timing; in grid timing at the end of the step it is stamped
    /// at the start of (the engine's delivery, as Brian2's).
    times_s: Vec<Vec<f64>>,
    tail_s: f64,
    history: &'a InputHistory,
}

impl<'a> Trains<'a> {
    /// The recorded spikes of the neurons `x` of a small network; `None`
    /// for any other model (a rate network's x_j is its activity, whose
    /// history is not recorded).
    pub fn of(app: &'a App, x: &[usize]) -> Option<Self> {
        let AnyModel::Network(net) = &app.sim.model else {
            return None;
        };
        let history = app.traces.inputs.as_ref()?;
        let filter: PscFilter = net.params().filter;
        let n = filter.order as f64;
        Some(Self {
            filter,
            x: x.to_vec(),
            times_s: x.iter().map(|&j| delivered(app, j)).collect(),
            tail_s: filter.tau_s_s * (n + 50.0 + 10.0 * (n + 1.0).sqrt()),
            history,
        })
    }

    /// x_j(t) = Σ_p h(t - t_p) (notes 1.3.3) over X neuron j's spikes up to
    /// t.
    pub fn x_at(&self, j: usize, t_s: f64) -> f64 {
        self.x_between(j, t_s, true, (f64::NEG_INFINITY, f64::INFINITY))
    }

    /// x_j just before t: without a spike at t (its left limit, where a
    /// first-order filter's x_j jumps by h(0) = 1/tau_s).
    pub fn x_before(&self, j: usize, t_s: f64) -> f64 {
        self.x_between(j, t_s, false, (f64::NEG_INFINITY, f64::INFINITY))
    }

    /// z_i(t) = Σ_j Σ_p w_ij(t_p) h(t - t_p) + b_i(t) for each Y neuron i
    /// of `y`: its input from X, each spike weighted by the w_ij it was
    /// delivered under and b_i as it was at t (with W and b unchanged,
    /// Σ_j w_ij x_j(t) + b_i); with `before`, just before t (without a
    /// spike at t, and b_i before a change at t).
    pub fn z(&self, y: &[usize], t_s: f64, before: bool) -> Vec<f64> {
        self.x_and_z(y, t_s, before).1
    }

    /// Each x_j(t) and each z_i(t) of `y` (see `z`): each X neuron's spikes
    /// over each span of one W are summed once, for its x_j and for all
    /// of Y.
    fn x_and_z(&self, y: &[usize], t_s: f64, before: bool) -> (Vec<f64>, Vec<f64>) {
        let mut x = vec![0.0; self.x.len()];
        let mut z: Vec<f64> = y
            .iter()
            .map(|&i| self.history.bias(i, t_s, before))
            .collect();
        for (k, &j) in self.x.iter().enumerate() {
            for (era, (after, upto)) in self.history.spans().enumerate() {
                // Only the spans with spikes that still reach t.
                if upto < t_s - self.tail_s || after >= t_s {
                    continue;
                }
                let part = self.x_between(k, t_s, !before, (after, upto));
                x[k] += part;
                if part != 0.0 {
                    for (z_i, &i) in z.iter_mut().zip(y) {
                        *z_i += self.history.weight(era, i, j) * part;
                    }
                }
            }
        }
        (x, z)
    }

    /// Σ h(t - t_p) over X neuron k's spikes up to t (with one at t or
    /// not), of those fired in `after < t_p <= upto`: the spikes are in
    /// time order, so those that count are found by bisection.
    fn x_between(&self, k: usize, t_s: f64, with_t: bool, (after, upto): (f64, f64)) -> f64 {
        let times = &self.times_s[k];
        let from = times
            .partition_point(|&tp| tp < t_s - self.tail_s)
            .max(times.partition_point(|&tp| tp <= after));
        let to = times
            .partition_point(|&tp| tp < t_s || (with_t && tp == t_s))
            .min(times.partition_point(|&tp| tp <= upto));
        if from >= to {
            return 0.0;
        }
        self.filter.convolve(&times[from..to], 1.0, t_s)
    }

    /// Whether z over a window from t0 differs from the engine's input for
    /// the filter having changed: the engine carried its filters' state
    /// into the new h (or restarted them), where this sums the h of now
    /// over every spike, up to `tail_s` before t0.
    pub(super) fn h_as_now(&self, t0: f64) -> bool {
        self.history
            .filter_changed_at()
            .is_some_and(|t_f| t_f > t0 - self.tail_s)
    }

    /// The spikes of all X neurons within [t0, t1], and the instants W or b
    /// changed there, in time order.
    fn events_within(&self, t0: f64, t1: f64) -> Vec<f64> {
        let mut all: Vec<f64> = self
            .times_s
            .iter()
            .flat_map(|times| {
                let from = times.partition_point(|&tp| tp < t0);
                let to = times.partition_point(|&tp| tp <= t1);
                times[from..to].iter().copied()
            })
            .chain(self.history.changes_within(t0, t1))
            .collect();
        all.sort_by(f64::total_cmp);
        all
    }
}

/// When network neuron j's recorded spikes reached their targets, in time
/// order: at the spike in exact timing; in grid timing at the end of the
/// step whose start it is stamped at (the engine's delivery, as Brian2's).
/// Without that step, grid timing's z = W x + b read 3.171 beside the
/// engine's s + b of 3.193 under the words "(equal)".
pub fn delivered(app: &App, j: usize) -> Vec<f64> {
    let mut times = app.traces.probes.spike_times_of(j);
    if let AnyModel::Network(net) = &app.sim.model
        && net.params().spike_timing == SpikeTiming::Grid
    {
        let dt = app.sim.dt_s();
        times.iter_mut().for_each(|t| *t += dt);
    }
    times
}

/// One Y neuron whose sum is drawn.
pub struct Row {
    pub neuron: usize,
    pub name: String,
}

/// Whose sum is drawn: Y's from X (two populations), or every neuron's
/// from every neuron (any other small network).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Whose {
    Populations,
    Network,
}

/// Draws x_j(t) and z_i(t) over the window ending now into `area`: side by
/// side on a wide screen, else one above the other where both fit, else z
/// alone.
pub(super) fn render(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    (trains, x_names): (&Trains, &[String]),
    (rows, whose): (&[Row], Whose),
    theme: &Theme,
) {
    let now = app.sim.time_s();
    let w = app.window_s();
    let unit = if w <= 2.0 && now < 10.0 { 1e3 } else { 1.0 };
    let t_axis = if unit == 1e3 { "t (ms)" } else { "t (s)" };
    let x_range = [(now - w) * unit, now * unit];
    let times = sample_times(trains, (now - w, now), 2 * usize::from(area.width));
    let y: Vec<usize> = rows.iter().map(|r| r.neuron).collect();
    let (xs, zs): (Vec<Vec<f64>>, Vec<Vec<f64>>) = times
        .iter()
        .map(|&(t, with_t)| trains.x_and_z(&y, t, !with_t))
        .unzip();
    let curves = |per_sample: &[Vec<f64>], names: Vec<&str>| -> Vec<Curve> {
        names
            .into_iter()
            .enumerate()
            .map(|(k, name)| {
                let pts = times
                    .iter()
                    .zip(per_sample)
                    .map(|(&(t, _), v)| (t * unit, v[k]))
                    .collect();
                Curve::new(pts, theme.trace(k), Pattern::nth(k, theme)).named(name)
            })
            .collect()
    };
    let line = firing_line(app, rows);
    let line_y = line.as_ref().map_or(1.0, |l| l.y);
    let z_curves = curves(&zs, rows.iter().map(|r| r.name.as_str()).collect());
    let x_curves = curves(&xs, x_names.iter().map(String::as_str).collect());
    let (senders, input, inputs) = match whose {
        Whose::Populations => ("X's filtered spike trains", "Y's input from X", "Y's input"),
        Whose::Network => (
            "each neuron's filtered spike train",
            "each neuron's input",
            "the inputs",
        ),
    };
    // Where h was changed, its past is the sum with the h of now.
    let h_now = if trains.h_as_now(now - w) {
        ", h as now"
    } else {
        ""
    };
    let mut z_plot = Plot::new(
        format!("z_i(t) = Σ_j w_ij x_j(t) + b_i: {input}{h_now}"),
        Axis::new(x_range, t_axis),
        Axis::new(round_out(span(&z_curves, [0.0, line_y])), "").landmarks(&[0.0, line_y]),
    );
    // The short titles keep `h as now` too: at 120x30 the title was cut
    // to `z_i(t): Y's input` over a past summed with another h than the
    // engine's.
    z_plot.short_titles = vec![
        format!("z_i(t) = Σ_j w_ij x_j(t) + b_i: {inputs}{h_now}"),
        format!("z_i(t): {inputs}{h_now}"),
    ];
    z_plot.curves = z_curves;
    z_plot.levels = line.into_iter().collect();
    let mut x_plot = Plot::new(
        format!("x_j(t) = (a_j * h)(t): {senders} (1/s)"),
        Axis::new(x_range, t_axis),
        Axis::new(round_out(span(&x_curves, [0.0, 0.0])), "").landmarks(&[0.0]),
    );
    x_plot.short_titles = vec!["x_j(t) = (a_j * h)(t) (1/s)".into()];
    x_plot.curves = x_curves;
    if area.width >= SIDE_BY_SIDE_FROM {
        let half = area.width / 2;
        let left = Rect::new(area.x, area.y, half, area.height);
        let right = Rect::new(area.x + half, area.y, area.width - half, area.height);
        draw(frame, left, &x_plot, theme);
        draw(frame, right, &z_plot, theme);
    } else if area.height >= 2 * LEAST_ROWS {
        let half = area.height / 2;
        let top = Rect::new(area.x, area.y, area.width, half);
        let bottom = Rect::new(area.x, area.y + half, area.width, area.height - half);
        draw(frame, top, &x_plot, theme);
        draw(frame, bottom, &z_plot, theme);
    } else {
        draw(frame, area, &z_plot, theme);
    }
}

/// When x and z are sampled over [t0, t1]: `count` instants evenly
/// spaced, at least one a Braille dot column, none before the run's start
/// (t = 0, nothing has fired); and, where they are not more than those,
/// every spike's instant twice, without it (`false`) and then with it: a
/// first-order filter's x_j jumps there, and the even instants alone drew
/// each peak low by up to a sample's decay (12% at 500 ms over 400 samples
/// with tau_s = 10 ms). A change of b is sampled so too: z jumps there.
pub fn sample_times(trains: &Trains, (t0, t1): (f64, f64), count: usize) -> Vec<(f64, bool)> {
    let mut times: Vec<(f64, bool)> = (0..count)
        .map(|k| (t0 + (t1 - t0) * k as f64 / (count - 1).max(1) as f64, true))
        .filter(|&(t, _)| t >= 0.0)
        .collect();
    let events = trains.events_within(t0, t1);
    if events.len() <= count {
        times.extend(events.iter().flat_map(|&t| [(t, false), (t, true)]));
        times.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    }
    times
}

/// z is in the normalized units of v_in: a neuron held at a constant
/// input v_in = z + x (x its stimulus) fires where that is above 1
/// (G(v_in) > 0, notes 1.2.2), so where z is above 1 - x. x is the level
/// the next step gives it, as the input line says (a key pressed while
/// paused moves the line at once). Stimuli that differ between the Y
/// neurons have no one line.
fn firing_line(app: &App, rows: &[Row]) -> Option<Level> {
    let t = app.sim.time_s() + 0.5 * app.sim.dt_s();
    let stimulus = |i: usize| -> f64 {
        app.sim
            .stimuli
            .iter()
            .filter(|s| s.neurons.as_ref().is_none_or(|list| list.contains(&i)))
            .map(|s| s.stimulus.level_at(t))
            .sum()
    };
    let (first, rest) = rows.split_first()?;
    let x = stimulus(first.neuron);
    if rest.iter().any(|r| stimulus(r.neuron) != x) {
        return None;
    }
    Some(Level {
        y: 1.0 - x,
        label: if x == 0.0 {
            "1: fires above".into()
        } else {
            format!("1 - x = {}: fires above", sig4(1.0 - x))
        },
    })
}

/// The lowest and highest of the curves' values and of `within`.
fn span(curves: &[Curve], within: [f64; 2]) -> [f64; 2] {
    curves
        .iter()
        .flat_map(|c| c.points.iter().map(|p| p.1))
        .fold(within, |[lo, hi], y| [lo.min(y), hi.max(y)])
}
