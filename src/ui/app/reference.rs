//! A reference trace (`f`): what the scope shows now, frozen and drawn dim
//! under the live run (a control beside TTX, order 0 beside order 2), until
//! `f` clears it. It keeps the samples on screen, each at its place from
//! the window's left edge, so the live sweep draws over it in register.

use super::App;
use crate::model::recordable::Recordable;
use crate::preset::time::format_time;
use crate::ui::pane::timebase::Sweep;
use crate::view::Pane;

/// Runs of samples: (seconds from the window's left edge, value).
pub type Runs = Vec<Vec<(f64, f64)>>;

/// The frozen traces and when they were frozen.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    /// Each recorded quantity's runs of (seconds from the left edge, value).
    traces: Vec<(Recordable, Runs)>,
    /// Simulated time when frozen (s).
    pub at_s: f64,
}

impl Reference {
    /// The frozen runs of `r`, if it was on screen.
    pub fn of(&self, r: Recordable) -> Option<&Runs> {
        self.traces
            .iter()
            .find(|(q, _)| *q == r)
            .map(|(_, runs)| runs)
    }
}

impl App {
    /// Freezes the scope's traces as the reference, or clears it.
    pub(super) fn toggle_reference(&mut self) {
        if self.reference.take().is_some() {
            self.say("reference cleared");
            return;
        }
        let sweep = Sweep::of(self, 0);
        let traces = self
            .traces
            .probes
            .recordables
            .iter()
            .map(|&r| (r, sweep.on_screen(self, r)))
            .filter(|(_, runs)| !runs.is_empty())
            .collect();
        self.reference = Some(Reference {
            traces,
            at_s: self.sim.time_s(),
        });
        // The reference is drawn on the scope: from another view, said where.
        let seen = if self.view.pane == Pane::Scope {
            ""
        } else {
            " (press 1 to see it)"
        };
        self.say(format!(
            "reference frozen at t = {}: the live run draws over it (ref, dim, sparse dots); f \
             clears{seen}",
            format_time(self.sim.time_s())
        ));
    }
}
