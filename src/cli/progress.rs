//! How far a long `run` is, on standard error when it is a terminal: the
//! simulated time, how fast it goes and the time left. Nothing is drawn for
//! a run that ends within a second, or when standard error is a file or a
//! pipe.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::preset::time::format_time;

/// A run shorter than this shows no progress line.
const SHOW_AFTER: Duration = Duration::from_secs(1);

pub(super) struct Progress {
    steps: u64,
    dt_s: f64,
    started: Instant,
    /// Whether standard error is a terminal.
    terminal: bool,
    bar: Option<ProgressBar>,
}

impl Progress {
    pub(super) fn new(steps: u64, dt_s: f64) -> Self {
        Self {
            steps,
            dt_s,
            started: Instant::now(),
            terminal: std::io::stderr().is_terminal(),
            bar: None,
        }
    }

    /// `done` of the steps are taken.
    pub(super) fn show(&mut self, done: u64) {
        let elapsed = self.started.elapsed();
        if !self.terminal || elapsed < SHOW_AFTER {
            return;
        }
        let steps = self.steps;
        let bar = self.bar.get_or_insert_with(|| {
            let style = ProgressStyle::with_template("{bar:24} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> ");
            ProgressBar::with_draw_target(Some(steps), ProgressDrawTarget::stderr())
                .with_style(style)
        });
        bar.set_position(done);
        let simulated = done as f64 * self.dt_s;
        let speed = simulated / elapsed.as_secs_f64();
        let left_s = elapsed.as_secs_f64() * (steps - done) as f64 / done.max(1) as f64;
        bar.set_message(format!(
            "t = {} of {}, {} simulated per second, {} left",
            format_time(simulated),
            format_time(steps as f64 * self.dt_s),
            format_time(speed),
            format_time(left_s.round())
        ));
    }

    /// Removes the progress line (the summary follows).
    pub(super) fn clear(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
