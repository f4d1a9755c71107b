//! How far a long `run` is, on standard error when it is a terminal: the
//! simulated time, how fast it goes and the time left (a `threshold`: its
//! searches done and the time left), on one line that fits
//! an 80-column terminal (cut at its end in a narrower one). It leaves the
//! last columns free: the terminal echoes Ctrl-C as `^C` after it, and a
//! line that wraps keeps its first row on the screen when the line is
//! cleared for the signal's message. (Drawn here rather than by indicatif,
//! which pads every line to the terminal's full width, so that the echo
//! always wrapped it.) Nothing is drawn for a run that ends within a second,
//! or when standard error is a file or a pipe.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use crate::preset::time::{format_time, in_time_unit};
use crate::text::{for_locale, utf8_output};

/// A run shorter than this shows no progress line.
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// The line is redrawn at most this often.
const REDRAW: Duration = Duration::from_millis(100);

/// The bar's inside, in columns.
const BAR_COLUMNS: usize = 20;

/// Columns left free at the line's end for the echo of Ctrl-C (`^C`).
const ECHO_COLUMNS: usize = 3;

pub(super) struct Progress {
    steps: u64,
    /// Steps the run had taken before these (a replay's stretch between two
    /// of its journal's changes): the line gives the run's time, not the
    /// stretch's (`t = 529.2 s of 211649.855 s` for a run at 529.35 s of
    /// 211650).
    from: u64,
    /// The step, where a step is simulated time; None: each is one of
    /// `threshold`'s searches.
    dt_s: Option<f64>,
    started: Instant,
    /// Whether standard error is a terminal.
    terminal: bool,
    /// When the line was last drawn (none: not yet).
    drawn_at: Option<Instant>,
}

impl Progress {
    pub(super) fn new(steps: u64, dt_s: f64) -> Self {
        Self::counting(steps, Some(dt_s))
    }

    /// `searches` searches of `threshold`, counted one by one.
    pub(super) fn of_searches(searches: u64) -> Self {
        Self::counting(searches, None)
    }

    /// The steps are the run's from its step `from`.
    pub(super) fn after_step(self, from: u64) -> Self {
        Self { from, ..self }
    }

    fn counting(steps: u64, dt_s: Option<f64>) -> Self {
        Self {
            steps,
            from: 0,
            dt_s,
            started: Instant::now(),
            terminal: std::io::stderr().is_terminal(),
            drawn_at: None,
        }
    }

    /// `done` of the steps are taken.
    pub(super) fn show(&mut self, done: u64) {
        let elapsed = self.started.elapsed();
        if !self.terminal
            || elapsed < SHOW_AFTER
            || self.drawn_at.is_some_and(|at| at.elapsed() < REDRAW)
        {
            return;
        }
        let width = terminal_size::terminal_size_of(std::io::stderr())
            .map_or(80, |(w, _)| usize::from(w.0));
        let line = progress_line(
            Stretch {
                from: self.from,
                done,
                steps: self.steps,
            },
            self.dt_s,
            elapsed.as_secs_f64(),
            width,
        );
        let line = for_locale(&line, utf8_output());
        // Back to the line's start, the line, the rest of the row erased: a
        // shorter line leaves nothing of a longer one behind.
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r{line}\x1b[K");
        let _ = err.flush();
        self.drawn_at = Some(Instant::now());
    }

    /// Removes the progress line (the summary follows).
    pub(super) fn clear(&mut self) {
        if self.drawn_at.take().is_some() {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[K");
            let _ = err.flush();
        }
    }
}

/// Whatever ends the run, the line goes: an error returned from inside the
/// loop (a state that blew up) was written after the bar, on its row.
impl Drop for Progress {
    fn drop(&mut self) {
        self.clear();
    }
}

/// `done` of `steps` steps taken, after `from` the run took before them.
struct Stretch {
    from: u64,
    done: u64,
    steps: u64,
}

/// The line for a stretch of steps of `dt_s` (None: searches) whose steps
/// done took `elapsed_s`, cut to `width` columns less the room for the echo
/// of Ctrl-C. The bar and the time are the run's; the speed and the time
/// left are the stretch's.
fn progress_line(stretch: Stretch, dt_s: Option<f64>, elapsed_s: f64, width: usize) -> String {
    let Stretch { from, done, steps } = stretch;
    let filled =
        (BAR_COLUMNS as f64 * (from + done) as f64 / (from + steps).max(1) as f64) as usize;
    let filled = filled.min(BAR_COLUMNS);
    let head = if filled < BAR_COLUMNS { ">" } else { "" };
    let bar = format!(
        "[{}{head}{}]",
        "=".repeat(filled),
        " ".repeat(BAR_COLUMNS - filled - head.len())
    );
    let left_s = elapsed_s * (steps - done) as f64 / done.max(1) as f64;
    let line = match dt_s {
        Some(dt_s) => {
            let simulated = done as f64 * dt_s;
            format!(
                "{bar} t = {} of {}, {}/s, {} left",
                in_time_unit((from + done) as f64 * dt_s, four_digits),
                format_time((from + steps) as f64 * dt_s),
                in_time_unit(simulated / elapsed_s, four_digits),
                time_left(left_s)
            )
        }
        None => format!("{bar} search {done} of {steps}, {} left", time_left(left_s)),
    };
    line.chars()
        .take(width.saturating_sub(ECHO_COLUMNS))
        .collect()
}

/// A changing figure to four significant digits, its decimals fixed for its
/// size so that it does not jitter as it counts (`5.906`, `59.06`, `590.6`,
/// `5906`: `in_time_unit` keeps it below 1000 but for seconds).
fn four_digits(x: f64) -> String {
    let decimals = match x.abs() {
        a if a < 10.0 => 3,
        a if a < 100.0 => 2,
        a if a < 1000.0 => 1,
        _ => 0,
    };
    format!("{x:.decimals$}")
}

/// The time a person waits, in the units of a clock: `42 s`, `16 min 33 s`,
/// `27 h 35 min` (993 s or 99,300 s read slowly).
fn time_left(seconds: f64) -> String {
    let s = seconds.max(0.0).round();
    if s < 60.0 {
        format!("{s} s")
    } else if s < 3600.0 {
        format!("{} min {} s", (s / 60.0).floor(), s % 60.0)
    } else {
        let minutes = (s / 60.0).round();
        format!("{} h {} min", (minutes / 60.0).floor(), minutes % 60.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(done: u64, steps: u64) -> Stretch {
        Stretch {
            from: 0,
            done,
            steps,
        }
    }

    /// A replay's stretch between two changes says the run's time: one at
    /// step 2,900 of a run at 50 µs, to step 4,233,000,000, read `t = 529.2 s
    /// of 211649.855 s` at the run's 529.35 s.
    #[test]
    fn a_stretch_says_the_run_s_time() {
        let stretch = Stretch {
            from: 2_900,
            done: 10_584_000,
            steps: 4_232_997_100,
        };
        assert_eq!(
            progress_line(stretch, Some(50e-6), 4.0, 80),
            "[>                   ] t = 529.3 s of 211650 s, 132.3 s/s, 26 min 36 s left"
        );
        let half = Stretch {
            from: 500,
            done: 0,
            steps: 500,
        };
        assert!(
            progress_line(half, Some(1e-3), 0.0, 80)
                .starts_with("[==========>         ] t = 500.0 ms of 1 s")
        );
    }

    #[test]
    fn the_line_leaves_room_for_the_echo_of_ctrl_c() {
        let line = progress_line(of(1_000, 4_000), Some(1e-3), 2.0, 80);
        assert_eq!(
            line,
            "[=====>              ] t = 1.000 s of 4 s, 500.0 ms/s, 6 s left"
        );
        let long = progress_line(of(1, 1_000_000_000_000), Some(1e-1), 1.5, 80);
        assert_eq!(long.chars().count(), 77, "{long}");
        assert!(
            long.starts_with("[>                   ] t = 100.0 ms of 100000000000 s"),
            "{long}"
        );
        assert_eq!(
            progress_line(of(10, 10), Some(1e-3), 1.0, 80),
            "[====================] t = 10.00 ms of 10 ms, 10.00 ms/s, 0 s left"
        );
        assert_eq!(
            progress_line(of(5, 10), Some(1e-3), 1.0, 20)
                .chars()
                .count(),
            17
        );
        assert_eq!(
            progress_line(of(322, 799), None, 1.0, 80),
            "[========>           ] search 322 of 799, 1 s left"
        );
    }

    #[test]
    fn figures_keep_their_width_and_waits_read_as_a_clock() {
        assert_eq!(in_time_unit(5.906416e-3, four_digits), "5.906 ms");
        assert_eq!(in_time_unit(0.05906416, four_digits), "59.06 ms");
        assert_eq!(in_time_unit(1.00126e-3, four_digits), "1.001 ms");
        assert_eq!(in_time_unit(2.0, four_digits), "2.000 s");
        assert_eq!(in_time_unit(12345.6, four_digits), "12346 s");
        assert_eq!(time_left(0.4), "0 s");
        assert_eq!(time_left(59.4), "59 s");
        assert_eq!(time_left(993.0), "16 min 33 s");
        assert_eq!(time_left(3599.6), "1 h 0 min");
        assert_eq!(time_left(99_300.0), "27 h 35 min");
        assert_eq!(time_left(-3.0), "0 s");
    }
}
