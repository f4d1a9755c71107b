//! Two time cursors on the scope (`c` cycles: A, then B, then off; `H` and
//! `L` move the active one), as a hardware scope's: each a place on the
//! screen, a fraction of the window, read out with the time and the trace's
//! value there.

use super::App;
use crate::view::Pane;

/// Which cursor the keys move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Active {
    A,
    B,
}

/// The two cursors, as fractions of the window from its left edge.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cursors {
    pub a: f64,
    pub b: f64,
    pub active: Active,
}

/// A press of H or L moves the active cursor by this much of the window.
const STEP: f64 = 0.01;

impl App {
    /// Off, A, B, off.
    pub(super) fn cycle_cursors(&mut self) {
        // The cursors are the scope's: from another view, said where.
        let seen = if self.view.pane == Pane::Scope {
            ""
        } else {
            " (press 1 to see them)"
        };
        self.cursors = match self.cursors {
            None => {
                self.say(format!(
                    "cursors: H / L move A, c switches to B (and then off){seen}"
                ));
                Some(Cursors {
                    a: 1.0 / 3.0,
                    b: 2.0 / 3.0,
                    active: Active::A,
                })
            }
            Some(c) if c.active == Active::A => {
                self.say(format!("cursors: H / L move B, c hides them{seen}"));
                Some(Cursors {
                    active: Active::B,
                    ..c
                })
            }
            Some(_) => {
                self.say("cursors hidden (c shows them again)");
                None
            }
        };
    }

    pub(super) fn move_cursor(&mut self, steps: i32) {
        match &mut self.cursors {
            Some(c) => {
                let x = match c.active {
                    Active::A => &mut c.a,
                    Active::B => &mut c.b,
                };
                *x = (*x + steps as f64 * STEP).clamp(0.0, 1.0);
            }
            None => self.say("no cursors: c shows them"),
        }
    }
}
