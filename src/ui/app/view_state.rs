//! What the oscilloscope shows and how: the pane, the time window and its
//! zoom, the trigger, the selected neuron and the explored PSC filter.

use super::App;
use crate::ui::format::{compact, duration};
use crate::view::{FASTEST, Pane, TriggerMode};

/// The speeds the keys reach, simulated seconds per real second: as far
/// as a preset's `view.speed` may go up, and as far down.
const SPEED_RANGE: (f64, f64) = (1.0 / FASTEST, FASTEST);

/// The explored filter's order and tau_s, as far as the view draws them.
const EXPLORED_ORDER_MOST: usize = 8;
const EXPLORED_TAU_S_RANGE: (f64, f64) = (1e-4, 10.0);

/// How far `z` and `x` zoom the PSC view's time axis: 2^-6 to 2^2.
const PSC_ZOOM_RANGE: (i32, i32) = (-6, 2);

/// The explored PSC filter of the psc view: starts as the model's own.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PscView {
    pub order: usize,
    pub tau_s: f64,
}

/// What is shown and how.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewState {
    pub pane: Pane,
    /// The time window: the preset's (or the model's default) times 2^zoom,
    /// so zooming in and out again returns exactly where it started.
    pub(super) base_window_s: f64,
    pub(super) zoom: i32,
    pub trigger: TriggerMode,
    /// Fraction of the window before the trigger.
    pub pre_trigger: f64,
    pub selected: usize,
    /// The filter of a filter bank the time cursors read: Tab picks it,
    /// as it picks a network's neuron.
    pub cursor_filter: usize,
    pub psc: PscView,
    /// The PSC view draws h(t) on a log scale (`y`): a fast and a slow
    /// filter, 100 and 3.3 1/s at their peaks, both read as lines of slope
    /// -1/tau_s (order 0), where on a linear scale the slow one lay flat.
    pub psc_log_scale: bool,
    /// The PSC view's time axis: to where its filters have delivered all
    /// but 0.5% of their area, times 2^psc_zoom (`z` and `x` there).
    pub psc_zoom: i32,
}

impl ViewState {
    pub fn window_s(&self) -> f64 {
        self.base_window_s * 2f64.powi(self.zoom)
    }

    /// Sets the window directly (tests, presets); zoom steps from there.
    pub fn set_window(&mut self, window_s: f64) {
        self.base_window_s = window_s;
        self.zoom = 0;
    }
}

impl App {
    /// `]` and `[`: the speed doubles or halves, within `SPEED_RANGE`; at
    /// an end it stays and says so (a preset's speed beyond the keys' range
    /// is never moved the wrong way).
    pub(super) fn change_speed(&mut self, by: f64) {
        let (lo, hi) = SPEED_RANGE;
        let now = self.clock.speed;
        let next = (now * by).clamp(lo, hi);
        if (by > 1.0 && next > now) || (by < 1.0 && next < now) {
            self.clock.speed = next;
        } else {
            self.say(format!(
                "the speed stays ×{}: the keys go from ×{} to ×{}",
                compact(now),
                compact(lo),
                compact(hi)
            ));
        }
    }

    /// `(` and `)`: the pre-trigger, 0 to 90% of the window in tenths.
    /// The status line shows it in spike sweeps only: in any other sweep
    /// the message says what it is now and where it counts.
    pub(super) fn adjust_pre_trigger(&mut self, tenths: i32) {
        let now = (self.view.pre_trigger * 10.0).round() as i32;
        let next = (now + tenths).clamp(0, 9);
        if next == now {
            self.say(format!(
                "the pre-trigger stays {}%: it may be 0% to 90% of the window",
                10 * now
            ));
            return;
        }
        self.view.pre_trigger = f64::from(next) / 10.0;
        if self.view.trigger != TriggerMode::Spike {
            self.say(format!(
                "pre-trigger {}% of the window (spike and single sweeps: t)",
                10 * next
            ));
        }
    }

    /// `n` and `N`: the explored filter's order (notes 1.3.2), 0 to 8.
    pub(super) fn adjust_explored_order(&mut self, by: i32) {
        let order = self.view.psc.order as i64 + i64::from(by);
        let next = order.clamp(0, EXPLORED_ORDER_MOST as i64) as usize;
        if next == self.view.psc.order {
            self.say(format!(
                "the explored filter's order stays n = {next}: view 4 draws n = 0 to \
                 {EXPLORED_ORDER_MOST} (a preset's filters may have any order)"
            ));
            return;
        }
        self.view.psc.order = next;
        self.say_explored_elsewhere();
    }

    /// `}` and `{`: the explored filter's tau_s, √2 a press (two presses
    /// double, and back again exactly), 0.1 ms to 10 s.
    pub(super) fn adjust_explored_tau_s(&mut self, halves: i32) {
        let (lo, hi) = EXPLORED_TAU_S_RANGE;
        let now = self.view.psc.tau_s;
        let next = (now * 2f64.sqrt().powi(halves)).clamp(lo, hi);
        if (halves > 0 && next > now) || (halves < 0 && next < now) {
            self.view.psc.tau_s = next;
            self.say_explored_elsewhere();
        } else {
            self.say(format!(
                "the explored filter's tau_s stays {}: view 4 draws {} to {}",
                duration(now),
                duration(lo),
                duration(hi)
            ));
        }
    }

    /// `z` and `x` in the PSC view: its time axis halves or doubles, from
    /// 1/64 of the filters' whole time to 4 times it.
    pub(super) fn zoom_psc(&mut self, by: i32) {
        let zoom = self.view.psc_zoom + by;
        if (PSC_ZOOM_RANGE.0..=PSC_ZOOM_RANGE.1).contains(&zoom) {
            self.view.psc_zoom = zoom;
        } else {
            let times = match self.view.psc_zoom {
                z if z >= 0 => format!("{}", 1u32 << z),
                z => format!("1/{}", 1u32 << -z),
            };
            self.say(format!(
                "the time axis stays at {times}× the filters' time (it may be 1/64× to 4×)"
            ));
        }
    }

    /// `y`: the PSC view's h(t) on a log scale, or back to a linear one;
    /// from another view, it says where it is seen.
    pub(super) fn toggle_psc_log_scale(&mut self) {
        self.view.psc_log_scale = !self.view.psc_log_scale;
        let (now, other) = if self.view.psc_log_scale {
            ("a log scale", "linear")
        } else {
            ("a linear scale", "log")
        };
        if self.view.pane == Pane::Psc {
            self.say(format!("h(t) on {now}; y: back to {other}"));
        } else {
            self.say(format!(
                "the PSC view draws h(t) on {now} (press 4 to see it)"
            ));
        }
    }

    /// The explored filter is drawn in the PSC view only: changed from
    /// another view, where it is goes with what it is now.
    fn say_explored_elsewhere(&mut self) {
        if self.view.pane != Pane::Psc {
            let psc = self.view.psc;
            self.say(format!(
                "explored filter: n = {}, tau_s {} (press 4 to see it)",
                psc.order,
                duration(psc.tau_s)
            ));
        }
    }
}
