//! The simulation clock of the oscilloscope, decoupled from the frame rate
//! ("fix your timestep"): real time elapsed times the speed gives simulated
//! time due; whole steps of the fixed dt are taken from it, the remainder is
//! carried to the next frame. dt never varies.

use std::time::Duration;

/// Simulated time owed is capped at this much real time, so that a stall
/// (a suspended terminal, a slow machine) does not turn into a long catch-up.
const MAX_BACKLOG: Duration = Duration::from_millis(250);

/// Of each frame, the steps take what drawing leaves, less this slack for
/// keys and the system's jitter ...
const FRAME_SLACK: Duration = Duration::from_millis(2);
/// ... between these shares of the frame: a slow draw (a slow link: the
/// frame's bytes written are part of it) still leaves the steps half, and a
/// fast one leaves the frame room to start on time.
const STEP_SHARE: (f64, f64) = (0.5, 0.85);

/// The time a frame's steps may take, given the time drawing a frame takes
/// (smoothed): what a faster speed than the machine keeps up with gets.
/// Half the frame had left the core idle while drawing took a tenth.
pub fn step_time(frame: Duration, draw: Duration) -> Duration {
    let left = frame.saturating_sub(draw.mul_f64(1.5) + FRAME_SLACK);
    left.clamp(frame.mul_f64(STEP_SHARE.0), frame.mul_f64(STEP_SHARE.1))
}

#[derive(Debug, Clone)]
pub struct SimClock {
    /// Simulated seconds per real second.
    pub speed: f64,
    /// Simulated time owed but not yet stepped (s).
    owed_s: f64,
    /// Measured simulated seconds per real second (smoothed).
    pub achieved: f64,
}

impl SimClock {
    pub fn new(speed: f64) -> Self {
        Self {
            speed,
            owed_s: 0.0,
            achieved: 0.0,
        }
    }

    /// Whole steps due after `real` elapsed, at most `budget`; the rest is
    /// carried (capped at MAX_BACKLOG of real time).
    pub fn steps_due(&mut self, real: Duration, dt_s: f64, budget: u64) -> u64 {
        let real = real.min(MAX_BACKLOG);
        self.owed_s += real.as_secs_f64() * self.speed;
        self.owed_s = self.owed_s.min(MAX_BACKLOG.as_secs_f64() * self.speed);
        // A whisker of slack so that 3.3 ms / 0.1 ms counts as 33 steps.
        let due = (self.owed_s / dt_s + 1e-9).floor();
        let steps = if due >= budget as f64 {
            budget
        } else {
            due as u64
        };
        self.owed_s -= steps as f64 * dt_s;
        steps
    }

    /// Records that `sim_s` of simulated time took `real` (for the status).
    pub fn measure(&mut self, sim_s: f64, real: Duration) {
        if real.is_zero() {
            return;
        }
        let now = sim_s / real.as_secs_f64();
        self.achieved = if self.achieved == 0.0 {
            now
        } else {
            0.8 * self.achieved + 0.2 * now
        };
    }

    /// Forget any owed time (after a pause).
    pub fn clear(&mut self) {
        self.owed_s = 0.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_take_what_drawing_leaves_of_a_frame() {
        let ms = Duration::from_millis;
        let frame = Duration::from_secs_f64(1.0 / 30.0);
        // A fast draw: the steps' share is capped, the frame starts on time.
        assert_eq!(step_time(frame, ms(1)), frame.mul_f64(0.85));
        // 8 ms to draw: 33.3 - 12 - 2 ms.
        let left = step_time(frame, ms(8)).as_secs_f64();
        assert!((left - (1.0 / 30.0 - 0.014)).abs() < 1e-9, "{left}");
        // A slow link: half the frame still.
        assert_eq!(step_time(frame, ms(40)), frame / 2);
    }

    #[test]
    fn carries_the_remainder() {
        let mut c = SimClock::new(0.1);
        let dt = 1e-4;
        // 33 ms real at 0.1x = 3.3 ms simulated = 33 steps; 0.3 carried.
        assert_eq!(c.steps_due(Duration::from_millis(33), dt, 1000), 33);
        assert_eq!(c.steps_due(Duration::from_millis(7), dt, 1000), 7);
        assert_eq!(c.steps_due(Duration::from_millis(33), dt, 10), 10);
        assert_eq!(c.steps_due(Duration::from_millis(0), dt, 1000), 23);
    }
}
