//! Whether a step's second part goes to the helper thread or runs on the
//! caller after its first: decided by the steps' own measured times.
//!
//! On a quiet machine the helper halves a large network's step. Where
//! another process keeps the second core busy, the scheduler takes the
//! helper off it in the middle of its part, and the caller waits for it a
//! slice of the scheduler's time: at N = 10,000 beside one busy loop on two
//! cores, a simulated second took 0.87-0.97 s with the helper, 0.54-0.61 s
//! without it and 0.31 s with it on a quiet machine (2026-12-07). So the
//! steps are timed in windows of `WINDOW` joins, and now and then one window
//! is run the other way (a probe); the faster way by the probe and the
//! windows just before it, of like activity, is kept. The helper is kept
//! only where it saves a tenth (`KEEP`): two cores the same speed, it saves
//! half. Probes grow rarer while they confirm the way taken (a quiet run's
//! alone windows cost twice theirs), and helper windows much slower than
//! those before them (`JUMP`: a busy core from now on) call a probe at once.
//! The helper's figure is the median of its last three windows: on a quiet
//! machine one window in a few hundred took two to three times the others
//! (the helper off its core for a millisecond, the spikes file's writer
//! thread or another process on it), and one such window had sent the steps
//! alone for eight windows. Which way a step runs does not change its result
//! (`ForkJoin::join_phased`).

use std::time::Duration;

/// Joins timed together: long enough that a timer tick is a small part of
/// them, short enough that a probe costs little.
const WINDOW: u32 = 32;
/// The helper is kept while its windows take at most this share of alone ones.
const KEEP: f64 = 0.9;
/// The helper's figure this much above its smoothed run since the last
/// probe calls a probe.
const JUMP: f64 = 1.5;
/// Windows before the first probe, after a change of way; each probe that
/// confirms the way taken makes the next `SPACING_GROWTH` times as far, up
/// to `FARTHEST`.
const NEAREST: u32 = 8;
const SPACING_GROWTH: u32 = 4;
const FARTHEST: u32 = 1024;

#[derive(Debug, Clone)]
pub(super) struct Pace {
    /// The way taken: with the helper, or alone.
    helper: bool,
    /// The current window runs the other way.
    probing: bool,
    joins: u32,
    took: Duration,
    /// Seconds per join of the last three windows with the helper (the
    /// latest last), and of the last alone.
    recent_helper: Vec<f64>,
    last_alone: Option<f64>,
    /// The helper's figure since the last probe, smoothed.
    helper_trend: Option<f64>,
    /// Windows until the next probe, and between probes now.
    until_probe: u32,
    spacing: u32,
    /// Joins run with the helper, and in all.
    on_helper: u64,
    all: u64,
}

impl Default for Pace {
    fn default() -> Self {
        Self {
            helper: true,
            probing: false,
            joins: 0,
            took: Duration::ZERO,
            recent_helper: Vec::with_capacity(3),
            last_alone: None,
            helper_trend: None,
            until_probe: NEAREST,
            spacing: NEAREST,
            on_helper: 0,
            all: 0,
        }
    }
}

impl Pace {
    /// Whether the next join uses the helper.
    pub(super) fn use_helper(&self) -> bool {
        self.helper != self.probing
    }

    /// How many joins used the helper, of how many.
    pub(super) fn helper_share(&self) -> (u64, u64) {
        (self.on_helper, self.all)
    }

    /// Records a join that took `took`, run the way `use_helper` said.
    pub(super) fn record(&mut self, took: Duration) {
        let on_helper = self.use_helper();
        self.on_helper += u64::from(on_helper);
        self.all += 1;
        self.joins += 1;
        self.took += took;
        if self.joins < WINDOW {
            return;
        }
        let per_join = self.took.as_secs_f64() / f64::from(self.joins);
        self.joins = 0;
        self.took = Duration::ZERO;
        if on_helper {
            if self.recent_helper.len() == 3 {
                self.recent_helper.remove(0);
            }
            self.recent_helper.push(per_join);
        } else {
            self.last_alone = Some(per_join);
        }
        if self.probing {
            self.end_probe();
            return;
        }
        if let Some(helper) = self.helper_figure().filter(|_| self.helper) {
            let trend = self.helper_trend.unwrap_or(helper);
            if helper > JUMP * trend {
                self.until_probe = 0;
            }
            self.helper_trend = Some(0.75 * trend + 0.25 * helper);
        }
        self.until_probe = self.until_probe.saturating_sub(1);
        self.probing = self.until_probe == 0;
    }

    /// The helper's seconds per join: the median of its last three
    /// windows, the faster of two, or the one there is.
    fn helper_figure(&self) -> Option<f64> {
        let mut recent = [0.0; 3];
        let recent = &mut recent[..self.recent_helper.len()];
        recent.copy_from_slice(&self.recent_helper);
        recent.sort_by(f64::total_cmp);
        recent.get(recent.len().saturating_sub(1) / 2).copied()
    }

    /// A probe's window is done: the faster way of it and the windows before.
    fn end_probe(&mut self) {
        self.probing = false;
        let (Some(helper), Some(alone)) = (self.helper_figure(), self.last_alone) else {
            return;
        };
        let keep_helper = helper <= KEEP * alone;
        if keep_helper == self.helper {
            self.spacing = (self.spacing * SPACING_GROWTH).min(FARTHEST);
        } else {
            self.helper = keep_helper;
            self.spacing = NEAREST;
            // The helper's windows from now on are of another way of running.
            self.recent_helper.clear();
        }
        self.helper_trend = None;
        self.until_probe = self.spacing;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `joins` joins through `pace`, each taking `helper_us` or
    /// `alone_us` microseconds by the way it runs; returns how many used
    /// the helper.
    fn run(pace: &mut Pace, joins: u32, helper_us: u64, alone_us: u64) -> u32 {
        (0..joins)
            .map(|_| {
                let on_helper = pace.use_helper();
                let us = if on_helper { helper_us } else { alone_us };
                pace.record(Duration::from_micros(us));
                u32::from(on_helper)
            })
            .sum()
    }

    #[test]
    fn a_quiet_machine_keeps_the_helper_and_probes_ever_more_rarely() {
        let mut pace = Pace::default();
        // Probes after 8 windows, then 32, 128 and 512 more: 4 windows of
        // 32 joins alone in the first 1,700, the next probe 1,024 on.
        let joins = 1700 * WINDOW;
        let on_helper = run(&mut pace, joins, 10, 19);
        assert_eq!(joins - on_helper, 4 * WINDOW);
        assert!(pace.helper);
        assert_eq!(
            pace.helper_share(),
            (u64::from(on_helper), u64::from(joins))
        );
    }

    #[test]
    fn a_busy_second_core_from_the_start_runs_alone() {
        let mut pace = Pace::default();
        // The first probe finds alone faster; then helper probes grow rare.
        let on_helper = run(&mut pace, 9 * WINDOW, 30, 19);
        assert_eq!(on_helper, 8 * WINDOW);
        assert!(!pace.helper);
        let on_helper = run(&mut pace, 1000 * WINDOW, 30, 19);
        assert!(on_helper <= 5 * WINDOW, "{on_helper}");
    }

    #[test]
    fn a_core_busy_from_now_on_is_left_within_three_windows() {
        let mut pace = Pace::default();
        run(&mut pace, 200 * WINDOW, 10, 19);
        assert!(pace.helper);
        // The second slow window makes the median slow and calls a probe,
        // which finds alone faster.
        let on_helper = run(&mut pace, 3 * WINDOW, 30, 19);
        assert_eq!(on_helper, 2 * WINDOW);
        assert!(!pace.helper);
    }

    #[test]
    fn one_slow_window_neither_calls_a_probe_nor_leaves_the_helper() {
        let mut pace = Pace::default();
        run(&mut pace, 200 * WINDOW, 10, 19);
        let before = pace.helper_share();
        // A window three times as slow (the helper off its core for a
        // while), then quiet again: every join on the helper.
        run(&mut pace, WINDOW, 30, 19);
        run(&mut pace, 5 * WINDOW, 10, 19);
        let after = pace.helper_share();
        assert_eq!(after.0 - before.0, 6 * u64::from(WINDOW));
        // Just before a probe, too: the probe keeps the helper.
        let mut pace = Pace::default();
        run(&mut pace, 7 * WINDOW, 10, 19);
        run(&mut pace, WINDOW, 30, 19);
        run(&mut pace, WINDOW, 10, 19);
        assert!(pace.helper);
        assert_eq!(pace.helper_share().0, 8 * u64::from(WINDOW));
    }

    #[test]
    fn the_helper_is_taken_again_once_the_core_is_free() {
        let mut pace = Pace::default();
        run(&mut pace, 9 * WINDOW, 30, 19);
        assert!(!pace.helper);
        // Free again: the next helper probe, 8 windows on, finds it faster.
        run(&mut pace, 9 * WINDOW, 10, 19);
        assert!(pace.helper);
    }

    #[test]
    fn a_helper_that_saves_less_than_a_tenth_is_left() {
        let mut pace = Pace::default();
        run(&mut pace, 9 * WINDOW, 18, 19);
        assert!(!pace.helper);
        let mut pace = Pace::default();
        run(&mut pace, 9 * WINDOW, 17, 19);
        assert!(pace.helper);
    }
}
