//! The scope's timebase: which stretch of time is on screen (a free
//! sweep, triggered sweeps laid over each other, or a rolling window), how
//! a sample's time maps to x, and the traces of a recordable on it, each
//! sweep a curve (with a frozen reference's beside them). The scope, the
//! raster and the cursors all read it, so a spike's mark sits under the
//! trace where it happened.

use ratatui::style::Modifier;

use super::decimate;
use crate::model::recordable::Recordable;
use crate::ui::app::App;
use crate::ui::format::{plural, time_point};
use crate::ui::plot::{Axis, Curve, LabelAt, Pattern};
use crate::ui::status::held_spike;
use crate::ui::theme::Theme;
use crate::view::TriggerMode;

/// Sweeps overlaid in trigger mode.
pub const SWEEPS: usize = 6;

/// A triggered sweep's ends hold the spikes within this fraction of the
/// window of them: regular spikes 12.5 ms apart under a pre-trigger of 75
/// ms put one on every sweep's left end, and rounding left it in three
/// sweeps of six and out of the others (seed 2509 of the random rounds).
/// Far above a time's rounding (1e-16 of it), far below a dot column.
const EDGE: f64 = 1e-9;

/// The k-th trace's colour and pattern (without colour, up to six
/// neighbouring traces are told apart by their patterns: solid, dashed,
/// dotted, long dashes, dashes and dots, sparse dots).
pub(super) fn look(k: usize, theme: &Theme) -> (usize, Pattern) {
    (k, Pattern::nth(k, theme))
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
    /// How far past a triggered sweep's ends a spike still counts as on
    /// them: a spike at ts - pre in exact arithmetic is computed a rounding
    /// either side of it (`EDGE` of the window).
    edge_s: f64,
    /// The runs of samples on screen (`runs`), made once: a raster asks
    /// where each of its spikes goes.
    spans: Vec<Span>,
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
            edge_s: 0.0,
            spans: Vec::new(),
        };
        let pre = app.view.pre_trigger * w;
        let i = app.view.selected;
        match app.view.trigger {
            TriggerMode::Free => {}
            TriggerMode::Roll => {
                v.unit = if w <= 2.0 && now < 10.0 { 1e3 } else { 1.0 };
                v.x = [(now - w) * v.unit, now * v.unit];
            }
            TriggerMode::Spike => {
                let mut sweeps = app.traces.probes.spike_times_of(i);
                let keep = sweeps.len().saturating_sub(SWEEPS);
                sweeps.drain(..keep);
                v.x = [-pre * unit, (w - pre) * unit];
                v.sweeps = sweeps;
                v.pre_s = pre;
                v.edge_s = EDGE * w;
            }
            TriggerMode::Single => {
                v.x = [-pre * unit, (w - pre) * unit];
                v.pre_s = pre;
                v.edge_s = EDGE * w;
                let held = app.held_trigger().map(|(ts, _)| ts);
                v.sweeps = held
                    .or_else(|| app.single_trigger_s())
                    .into_iter()
                    .collect();
            }
        }
        v.spans = v.runs();
        v
    }

    /// The time axis, titled with what its zero is: the sweep's start, a
    /// spike (how many sweeps, or the held one's), or now.
    pub fn axis(&self, app: &App, theme: &Theme) -> Axis {
        let u = if self.unit == 1e3 { "ms" } else { "s" };
        let title = match self.mode {
            TriggerMode::Free => format!("{u} from {}", time_point(self.sweep_start_s)),
            TriggerMode::Roll => format!("t ({u})"),
            TriggerMode::Spike => format!(
                "{u} from spike ({})",
                plural(self.sweeps.len() as u64, "sweep", "sweeps")
            ),
            TriggerMode::Single => match held_spike(app, time_point, theme) {
                Some(spike) => format!("{u} from the {spike} (held)"),
                None if self.sweeps.is_empty() => "armed: waiting for a spike".to_string(),
                None => format!("{u} from spike (capturing)"),
            },
        };
        let axis = Axis::new(self.x, title);
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
    fn runs(&self) -> Vec<Span> {
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

    fn spans(&self) -> &[Span] {
        &self.spans
    }

    /// The earliest time the axis shows, if any.
    pub fn earliest_s(&self) -> Option<f64> {
        self.spans()
            .iter()
            .map(|p| p.from_s - self.edge_s)
            .reduce(f64::min)
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

    /// Where time t appears on the x axis: once in each run showing it.
    /// Triggered sweeps overlap in time, and their traces are all drawn: a
    /// spike in two of them is in both, at its time from each one's trigger
    /// (in the newest alone, the raster and the strokes missed the spikes
    /// the older sweeps' traces show, the next one after the trigger
    /// among them). A spike on a sweep's end, to rounding (`EDGE`), is
    /// on it, at the axis' end.
    pub fn xs_of(&self, t: f64) -> impl Iterator<Item = f64> + '_ {
        let [x0, x1] = self.x;
        self.spans()
            .iter()
            .filter(move |p| t >= p.from_s - self.edge_s && t <= p.to_s + self.edge_s)
            .map(move |p| ((t - p.origin_s) * self.unit).max(x0).min(x1))
    }

    /// The trace of `r`, named `name` by its newest sweep (at its end, or
    /// where that is crowded at one of a few fixed columns along it) and
    /// styled as the k-th trace, drawn in `pattern` (`look`: solid for the
    /// only trace of its plot, as there is no other to tell it from);
    /// older sweeps dim and unnamed. Nothing if `r` is not recorded.
    pub(super) fn curves(
        &self,
        app: &App,
        r: Recordable,
        name: &str,
        (k, pattern): (usize, Pattern),
        theme: &Theme,
    ) -> Vec<Curve> {
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
            let curve = Curve::new(pts, style, pattern).part_of(format!("{r:?}"));
            out.push(if p == named { curve.named(name) } else { curve });
        }
        out.extend(self.reference_curves(app, r, name, k, theme));
        out
    }

    /// The frozen reference of `r`, where the screen showed it when frozen:
    /// dim, in sparse dots (the last of the patterns, which no live trace of
    /// the HH scope takes: dotted, it read as the live h or I_L without
    /// colour), under every live trace, named "ref".
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
                let mut curve = Curve::new(pts, style, Pattern::SparseDotted).beneath();
                curve.label_at = LabelAt::OnItsRowInShortPlots;
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
    /// each spike of neuron `i` on screen shows that one happened, over
    /// `[from, to]` (from the neuron's own threshold: fixed at 1 to 1.4, a
    /// threshold lowered to 0.5 left the strokes floating half the range
    /// above the trace's peaks).
    pub(super) fn spike_strokes(
        &self,
        app: &App,
        i: usize,
        [from, to]: [f64; 2],
        theme: &Theme,
    ) -> Curve {
        let mut pts = Vec::new();
        let earliest = self.earliest_s().unwrap_or(f64::INFINITY);
        for s in app
            .traces
            .probes
            .spikes_from(earliest)
            .filter(|s| s.neuron == i)
        {
            for x in self.xs_of(s.time_s) {
                pts.extend([(x, f64::NAN), (x, from), (x, to)]);
            }
        }
        Curve::new(pts, theme.trace(4), Pattern::Solid)
    }
}
