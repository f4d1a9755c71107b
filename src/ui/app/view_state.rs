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
    pub psc: PscView,
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
