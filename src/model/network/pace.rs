//! Whether a step's second part goes to the helper thread or runs on the
//! caller after its first: decided by the steps' own measured times.
//!
//! On a quiet machine the helper halves a large network's step. Where
//! another process keeps the second core busy, the scheduler takes the
//! helper off it in the middle of its part, and the caller waits for it a
//! slice of the scheduler's time: at N = 10,000 beside one busy loop on two
//! cores, a simulated second took 0.87-0.97 s with the helper, 0.54-0.61 s
//! without it and 0.31 s with it on a quiet machine (2026-12-07). So the
//! steps are timed in windows of `WINDOW` joins, and now and then a shorter
//! one is run the other way (a probe); the faster way by the probe and the
//! windows just before it, of like activity, is kept: the helper is left
//! where its windows take over 30% longer than alone (`LEAVE`; beside a
//! busy loop 60% longer and more), and taken again where they take 3% less
//! (`TAKE`). Between the two the way stays: on this virtual machine the
//! second core had spells of running slow with nothing of ours beside it
//! (the host's other guests), and at N = 4,096 in grid timing, where the
//! helper saves 5-20% of a 4 µs step, the two ways' windows often came
//! within a tenth of each other; a pace that left the helper at that kept
//! runs alone for most of their steps, 1.06-1.11 of the loop's time.
//! Probes grow rarer while they confirm the way taken (a quiet run's alone
//! windows cost twice theirs), and helper windows much slower than
//! those before them (`JUMP`: a busy core from now on) call a probe at once.
//! The helper's figure is the median of its last three windows: on a quiet
//! machine one window in a few hundred took two to three times the others
//! (the helper off its core for a millisecond, the spikes file's writer
//! thread or another process on it), and one such window had sent the steps
//! alone for eight windows. Which way a step runs does not change its result
//! (`ForkJoin::join_phased`).

use std::time::Duration;

/// Joins timed together: long enough that a timer tick is a small part of
/// them; a probe's fewer, as it costs a quiet run twice their time, after
/// `WARM` untimed: the first steps the other way find the other thread's
/// half in the other core's cache (at N = 4,096 in grid timing, 4 µs a
/// step, probes of the helper timed from their first step kept runs alone
/// in 3 of 20).
const WINDOW: u32 = 32;
const PROBE: u32 = 8;
const WARM: u32 = 4;
/// Most joins a sleeping helper is waited for, untimed, at the run's start
/// and at a probe of it: an idle virtual core can take milliseconds to wake
/// (runs at N = 4,096 stayed alone, the helper's probes timed on joins it
/// had not woken for).
const WAKING: u32 = 8 * WINDOW;
/// The helper is left where its windows take more than `LEAVE` times an
/// alone one's, and taken again where they take at most `TAKE` times.
const LEAVE: f64 = 1.3;
const TAKE: f64 = 0.97;
/// The helper's figure this much above its smoothed run since the last
/// probe calls a probe.
const JUMP: f64 = 1.5;
/// A join with the helper this many times its way's figure, and at least
/// `SLOW_JOIN_S` (a scheduler's slice, not a timer tick: at N = 4,096 a
/// step of 4 µs often took four times that on a quiet machine), ends its
/// window.
const SLOW_JOIN: f64 = 4.0;
const SLOW_JOIN_S: f64 = 500e-6;
/// Windows before the run's first probe: soon, as a busy core is
/// most costly before it is found.
const FIRST: u32 = 2;
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
    /// Joins of a helper probe before the helper's first, and of a probe
    /// warming up, not timed.
    waking: u32,
    warming: u32,
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
            waking: 0,
            warming: 0,
            recent_helper: Vec::with_capacity(3),
            last_alone: None,
            helper_trend: None,
            until_probe: FIRST,
            spacing: NEAREST / SPACING_GROWTH,
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

    /// How many joins the helper took part in, of how many.
    pub(super) fn helper_share(&self) -> (u64, u64) {
        (self.on_helper, self.all)
    }

    /// Records a join that took `took`, run the way `use_helper` said, and
    /// whether the helper took its side (it may not have: asleep, or its
    /// core busy). A probe of the helper starts with it asleep since the
    /// last, as the run does: their joins before the helper's first are not
    /// its figure, up to `WAKING` of them (a helper that never takes one is
    /// timed so), nor a probe's first `WARM` after.
    #[inline]
    pub(super) fn record(&mut self, took: Duration, taken: bool) {
        self.on_helper += u64::from(taken);
        self.all += 1;
        // The common case inline, a few counts; a window's start and end
        // apart.
        if self.joins == 0 && self.skipped(taken) {
            return;
        }
        self.joins += 1;
        self.took += took;
        if self.joins >= if self.probing { PROBE } else { WINDOW } || self.slow_join(took) {
            self.end_window();
        }
    }

    /// A join with the helper `SLOW_JOIN` times its way's figure ends its
    /// window at once: the helper taken off its core makes a step wait a
    /// slice of the scheduler's time, milliseconds, and a window of such
    /// steps, or a probe's, cost more than the probes save.
    #[inline]
    fn slow_join(&self, took: Duration) -> bool {
        let figure = if self.probing {
            self.last_alone
        } else {
            self.helper_trend
        };
        let took = took.as_secs_f64();
        self.use_helper() && took > SLOW_JOIN_S && figure.is_some_and(|f| took > SLOW_JOIN * f)
    }

    /// At a window's first join: whether it is one not timed (the helper
    /// waking, a probe warming up).
    #[inline(never)]
    fn skipped(&mut self, taken: bool) -> bool {
        let starting = self.recent_helper.is_empty() && self.last_alone.is_none();
        if self.probing || starting {
            if self.use_helper() && !taken && self.waking < WAKING {
                self.waking += 1;
                return true;
            }
            if self.probing && self.warming < WARM {
                self.warming += 1;
                return true;
            }
        }
        self.waking = 0;
        self.warming = 0;
        false
    }

    /// A window's last join: its figure, and what it calls for.
    #[inline(never)]
    fn end_window(&mut self) {
        let on_helper = self.use_helper();
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
        let keep_helper = if self.helper {
            helper <= LEAVE * alone
        } else {
            helper <= TAKE * alone
        };
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

    /// Runs `count` windows (probes among them) through `pace`, each join
    /// taking `helper_us` or `alone_us` microseconds by the way it runs;
    /// returns how many joins used the helper.
    fn windows(pace: &mut Pace, count: u32, helper_us: u64, alone_us: u64) -> u32 {
        let mut on_helper = 0;
        for _ in 0..count {
            loop {
                let with_helper = pace.use_helper();
                let us = if with_helper { helper_us } else { alone_us };
                pace.record(Duration::from_micros(us), with_helper);
                on_helper += u32::from(with_helper);
                if pace.joins == 0 && pace.warming == 0 && pace.waking == 0 {
                    break;
                }
            }
        }
        on_helper
    }

    #[test]
    fn a_quiet_machine_keeps_the_helper_and_probes_ever_more_rarely() {
        let mut pace = Pace::default();
        // Probes after 2 windows, then 8, 32, 128 and 512 more: 5 in the
        // first 1,700 windows, the next 1,024 on.
        let on_helper = windows(&mut pace, 1700, 10, 19);
        assert_eq!(on_helper, (1700 - 5) * WINDOW);
        assert!(pace.helper);
        let all = on_helper + 5 * (WARM + PROBE);
        assert_eq!(pace.helper_share(), (u64::from(on_helper), u64::from(all)));
    }

    #[test]
    fn a_busy_second_core_from_the_start_runs_alone() {
        let mut pace = Pace::default();
        // The first probe, after 2 windows, finds alone faster; then helper
        // probes grow rare.
        let on_helper = windows(&mut pace, 3, 30, 19);
        assert_eq!(on_helper, 2 * WINDOW);
        assert!(!pace.helper);
        let on_helper = windows(&mut pace, 1000, 30, 19);
        assert_eq!(on_helper, 4 * (WARM + PROBE));
    }

    #[test]
    fn a_core_busy_from_now_on_is_left_within_three_windows() {
        let mut pace = Pace::default();
        windows(&mut pace, 200, 10, 19);
        assert!(pace.helper);
        // The second slow window makes the median slow and calls a probe,
        // which finds alone faster.
        let on_helper = windows(&mut pace, 3, 30, 19);
        assert_eq!(on_helper, 2 * WINDOW);
        assert!(!pace.helper);
    }

    #[test]
    fn one_slow_window_neither_calls_a_probe_nor_leaves_the_helper() {
        let mut pace = Pace::default();
        windows(&mut pace, 200, 10, 19);
        let before = pace.helper_share();
        // A window three times as slow (the helper off its core for a
        // while), then quiet again: every join on the helper.
        windows(&mut pace, 1, 30, 19);
        windows(&mut pace, 5, 10, 19);
        let after = pace.helper_share();
        assert_eq!(after.0 - before.0, 6 * u64::from(WINDOW));
        assert_eq!(after.1 - before.1, 6 * u64::from(WINDOW));
        // Just before a probe, too: the probe keeps the helper.
        let mut pace = Pace::default();
        windows(&mut pace, 7, 10, 19);
        windows(&mut pace, 1, 30, 19);
        windows(&mut pace, 1, 10, 19);
        assert!(pace.helper);
        assert_eq!(
            pace.helper_share(),
            (
                8 * u64::from(WINDOW),
                8 * u64::from(WINDOW) + u64::from(WARM + PROBE)
            )
        );
    }

    #[test]
    fn the_helper_is_taken_again_once_the_core_is_free() {
        let mut pace = Pace::default();
        windows(&mut pace, 9, 30, 19);
        assert!(!pace.helper);
        // Free again: the next helper probe, 8 windows on, finds it faster.
        windows(&mut pace, 9, 10, 19);
        assert!(pace.helper);
    }

    #[test]
    fn a_helper_probe_is_timed_from_the_helpers_first_join() {
        let mut pace = Pace::default();
        windows(&mut pace, 3, 30, 19);
        windows(&mut pace, 8, 10, 19);
        assert!(!pace.helper && pace.use_helper(), "a helper probe is due");
        // The helper asleep: its first 20 joins are taken back and run here,
        // slower than alone (the hand-over's cost besides), then on it.
        for _ in 0..20 {
            pace.record(Duration::from_micros(25), false);
        }
        windows(&mut pace, 1, 10, 19);
        assert!(pace.helper);
        // A helper that takes none is timed after `WAKING` of them: the
        // probe ends, alone kept.
        let mut pace = Pace::default();
        windows(&mut pace, 3, 30, 19);
        windows(&mut pace, 8, 10, 19);
        for _ in 0..WAKING + WARM + PROBE {
            pace.record(Duration::from_micros(25), false);
        }
        assert!(!pace.helper && !pace.use_helper());
    }

    /// The helper off its core in the middle of its half: the join waits
    /// milliseconds. Two such joins leave the helper, not two windows of
    /// them; one ends a helper probe.
    #[test]
    fn joins_that_wait_milliseconds_for_the_helper_end_their_window() {
        let mut pace = Pace::default();
        windows(&mut pace, 200, 10, 19);
        let before = pace.helper_share().1;
        for _ in 0..2 {
            pace.record(Duration::from_micros(3000), true);
        }
        // The probe that follows, alone, finds that way faster.
        windows(&mut pace, 1, 3000, 19);
        assert!(!pace.helper);
        assert_eq!(pace.helper_share().1 - before, u64::from(2 + WARM + PROBE));
        // A helper probe from alone ends at its first such join (after its
        // warm-up), alone kept.
        windows(&mut pace, 8, 10, 19);
        assert!(pace.use_helper(), "a helper probe is due");
        let before = pace.helper_share().1;
        windows(&mut pace, 1, 3000, 19);
        assert!(!pace.helper && !pace.use_helper());
        assert_eq!(pace.helper_share().1 - before, u64::from(WARM + 1));
    }

    #[test]
    fn a_helper_slow_to_wake_at_the_start_is_timed_once_awake() {
        let mut pace = Pace::default();
        // 250 joins taken back, the helper's core waking (slower than
        // alone), then the helper taking its half: the first probe, 8
        // windows of its own on, keeps it.
        for _ in 0..250 {
            pace.record(Duration::from_micros(25), false);
        }
        windows(&mut pace, 9, 10, 19);
        assert!(pace.helper);
        assert_eq!(pace.helper_share(), (8 * 32, 250 + 8 * 32 + 12));
    }

    #[test]
    fn the_helper_is_left_where_30_percent_slower_and_taken_where_3_percent_faster() {
        let mut pace = Pace::default();
        windows(&mut pace, 9, 129, 100);
        assert!(pace.helper, "not much slower: kept");
        let mut pace = Pace::default();
        windows(&mut pace, 9, 131, 100);
        assert!(!pace.helper);
        windows(&mut pace, 9, 98, 100);
        assert!(!pace.helper, "about as fast: still alone");
        windows(&mut pace, 33, 96, 100);
        assert!(pace.helper);
    }
}
