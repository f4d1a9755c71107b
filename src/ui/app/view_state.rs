//! What the oscilloscope shows and how: the pane, the time window and its
//! zoom, the trigger, the selected neuron and the explored PSC filter.

use crate::view::{Pane, TriggerMode};

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
