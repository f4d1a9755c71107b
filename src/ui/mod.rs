//! The oscilloscope (terminal UI): ratatui 0.30 on crossterm 0.29.
//!
//! ```text
//! main: TTY check -> preset -> signal thread -> terminal guard -> run_app
//! run_app loop:
//!     wait for a key (blocking while paused: no CPU), drain every pending key
//!     at the frame deadline: clock -> whole steps -> probes
//!     draw only when something changed
//! ```
//!
//! The simulation clock is independent of the frame rate: a slow terminal
//! makes the batches of steps bigger, never skips or slows a step.

pub mod app;
pub mod clock;
pub mod command;
pub mod export;
pub mod format;
pub mod input;
pub mod input_history;
pub mod keymap;
pub mod line_edit;
pub mod lines;
mod loading;
pub mod model_info;
pub mod overlay;
pub mod pane;
pub mod params;
pub mod plot;
pub mod render;
pub mod snapshot;
pub mod status;
mod terminal;
pub mod theme;
pub mod traces;
pub mod viewer;
pub mod words;

use std::io::{self, IsTerminal};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyEventKind};
use ratatui::Terminal;
use ratatui::backend::Backend;

use crate::exit::{EXIT_FAILURE, EXIT_USAGE};
use crate::preset::{self, PresetSource, bundled};
use crate::text::{self, err_line, out_line};
use app::App;
use terminal::{
    enter_for_session, leave_terminal, session_exit, spawn_signal_handler, suspend_to_shell,
};
use theme::Theme;

/// Options of the oscilloscope (the command line flattens them in).
#[derive(Debug, clap::Args, Clone, Default)]
pub struct Options {
    #[command(flatten)]
    pub screen: ScreenOptions,
    /// Override one preset key, as `run --set` does: KEY=VALUE, KEY dotted
    /// (network.spike_timing=grid).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Record the session into FILE (a journal: the preset, then each change
    /// with its step), which `spikescope replay FILE` plays back.
    #[arg(long, value_name = "FILE")]
    pub record: Option<std::path::PathBuf>,
}

/// How the oscilloscope draws, live or replaying.
#[derive(Debug, clap::Args, Clone, Default)]
pub struct ScreenOptions {
    /// Frames drawn per second (1-60); lower it on slow links.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=60))]
    pub fps: u32,
    /// Exit after drawing this many frames (for measurements).
    #[arg(long)]
    pub frames: Option<u64>,
    /// Draw with ASCII characters only.
    #[arg(long, conflicts_with = "unicode")]
    pub ascii: bool,
    /// Draw with Unicode (braille, box drawing) even if the locale is not
    /// UTF-8 or the terminal is the Linux console (TERM=linux) or a VT.
    #[arg(long)]
    pub unicode: bool,
}

/// Where key and resize events come from: the terminal, or a script in tests.
pub trait EventSource {
    /// The next event, waiting at most `timeout` (`None`: as long as needed).
    fn next(&mut self, timeout: Option<Duration>) -> io::Result<Option<Event>>;
}

/// How the loop is paced.
#[derive(Debug, Clone, Copy)]
pub struct LoopOptions {
    pub fps: u32,
    /// Stop after this many frames (measurements, tests).
    pub frames: Option<u64>,
    /// Panic after the first frame: the fault test of the panic path,
    /// switched on by the environment variable `SPIKESCOPE_FAULT=panic`.
    pub panic_after_first_frame: bool,
    /// What Ctrl-Z does: hand the terminal to the shell and return when the
    /// program is resumed (`fg`). None: the key says it cannot here.
    pub suspend: Option<fn()>,
}

/// Runs the app until it quits (or `frames` frames are drawn). Returns the
/// number of frames drawn.
pub fn run_app<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    events: &mut dyn EventSource,
    theme: &Theme,
    opts: LoopOptions,
) -> io::Result<u64>
where
    B::Error: Send + Sync + 'static,
{
    let frame = Duration::from_secs_f64(1.0 / opts.fps.max(1) as f64);
    let mut last_tick = Instant::now();
    let mut last_seen = last_tick;
    let mut next_frame = last_tick;
    let mut frames = 0u64;
    // Time one step takes, and drawing a frame (smoothed), so that a
    // frame's batch of steps fits in what drawing leaves of it.
    let mut step_cost_s = 1e-7f64;
    let mut draw_cost = Duration::ZERO;
    app.opening.deferred = true;
    let mut opens = loading::Opens::default();
    loop {
        if app.dirty {
            let started = Instant::now();
            let frame = terminal
                .draw(|f| render::render(f, app, theme))
                .map_err(io::Error::other)?;
            draw_cost = draw_cost.mul_f64(0.7) + started.elapsed().mul_f64(0.3);
            // `w` asked for the screen: the frame just drawn, as shown.
            let screen = std::mem::take(&mut app.screen_due).then(|| frame.buffer.clone());
            app.dirty = false;
            if let Some(buf) = screen {
                snapshot::write(app, &buf);
                // Its message (where the files went) is the next frame.
                app.dirty = true;
            }
            frames += 1;
            if opts.frames.is_some_and(|n| frames >= n) {
                return Ok(frames);
            }
            if opts.panic_after_first_frame {
                panic!("SPIKESCOPE_FAULT=panic: a deliberate panic after the first frame");
            }
        }
        // Paused, the loop sleeps until a key, or until a message or the
        // opening guidance is due to go; something to show since the frame
        // (the message of the screen `w` wrote) is drawn first.
        let timeout = if app.dirty {
            Some(Duration::ZERO)
        } else if app.running() {
            Some(next_frame.saturating_duration_since(Instant::now()))
        } else if app.fi_busy() {
            Some(Duration::ZERO)
        } else {
            app.next_timeout()
        };
        // Keys typed while an open was built come first. The drain stops at
        // an open, so that the keys after it wait for its build too.
        let mut event = match opens.queued.pop_front() {
            Some(e) => Some(e),
            None => events.next(timeout)?,
        };
        while let Some(e) = event {
            handle_event(app, e);
            if app.run == app::RunState::Quit {
                return Ok(frames);
            }
            if app.open_due() {
                break;
            }
            event = match opens.queued.pop_front() {
                Some(e) => Some(e),
                None => events.next(Some(Duration::ZERO))?,
            };
        }
        opens.check_stopped();
        // A preset to open: the frame that says so first, then the build,
        // which may take seconds, on a thread while the loop waits for it
        // (loading.rs). Its time is not simulated (nor counted against the
        // message that says what opened), as a suspension's is not.
        if app.open_due() {
            terminal
                .draw(|f| render::render(f, app, theme))
                .map_err(io::Error::other)?;
            frames += 1;
            if opts.frames.is_some_and(|n| frames >= n) {
                return Ok(frames);
            }
            frames += loading::load_due(terminal, app, events, theme, &mut opens)?;
            if app.run == app::RunState::Quit {
                return Ok(frames);
            }
            app.dirty = true;
            last_seen = Instant::now();
            last_tick = last_seen;
            next_frame = last_seen;
        }
        if std::mem::take(&mut app.suspend_due) {
            match opts.suspend {
                Some(suspend) => {
                    suspend();
                    // Back from the shell: the screen is drawn anew, and
                    // the time away is not simulated (nor counted against
                    // messages) any more than a pause's.
                    app.repaint_due = true;
                    last_seen = Instant::now();
                    last_tick = last_seen;
                    next_frame = last_seen;
                }
                None => app.say("Ctrl-Z: this oscilloscope has no shell to suspend to"),
            }
        }
        if std::mem::take(&mut app.repaint_due) {
            repaint(terminal)?;
            app.dirty = true;
        }
        let seen = Instant::now();
        app.elapse(seen - last_seen);
        last_seen = seen;
        // Work keys asked for (a sweep of steps) runs once after the keys
        // are drained, so a held key never queues more than one batch.
        app.run_pending();
        app.replay_held_changes();
        // An f-I sweep takes half of each frame, the live run the rest.
        if app.fi_busy() {
            app.work_fi(frame / 2);
        }
        let now = Instant::now();
        if !app.running() {
            last_tick = now;
            next_frame = now;
            continue;
        }
        if now >= next_frame {
            // Beside an f-I sweep (half of each frame), the other half.
            let step_time = if app.fi_busy() {
                frame / 2
            } else {
                clock::step_time(frame, draw_cost)
            }
            .as_secs_f64();
            let budget = (step_time / step_cost_s).max(1.0) as u64;
            let started = Instant::now();
            let steps = app.tick(now - last_tick, budget);
            if steps > 0 {
                let cost = started.elapsed().as_secs_f64() / steps as f64;
                step_cost_s = 0.7 * step_cost_s + 0.3 * cost.max(1e-9);
            }
            last_tick = now;
            next_frame += frame;
            if next_frame < now {
                next_frame = now + frame;
            }
        }
    }
}

/// The whole screen cleared and, at the next frame, drawn again at the size
/// the terminal has now (ratatui's `clear` would ask the terminal where its
/// cursor is, and the key thread would take the answer).
fn repaint<B: Backend>(terminal: &mut Terminal<B>) -> io::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    let size = terminal.size().map_err(io::Error::other)?;
    terminal.resize(size.into()).map_err(io::Error::other)
}

fn handle_event(app: &mut App, e: Event) {
    match e {
        Event::Key(k) if k.kind == KeyEventKind::Press || k.kind == KeyEventKind::Repeat => {
            app.on_key(k)
        }
        Event::Resize(..) => app.dirty = true,
        Event::Paste(text) => app.on_paste(&text),
        _ => {}
    }
}

/// Why the oscilloscope cannot start here, if it cannot.
fn terminal_problem() -> Option<&'static str> {
    if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
        return Some("standard input and output must be a terminal");
    }
    match std::env::var("TERM") {
        Err(_) => Some("TERM is not set"),
        Ok(t) if t.is_empty() || t == "dumb" => Some("TERM is dumb"),
        Ok(_) => None,
    }
}

/// Opens the oscilloscope on `preset` (or the built-in default), recording
/// the session if asked.
#[allow(clippy::result_large_err)] // the preset module's error, as there
pub fn run_terminal(preset_arg: Option<&str>, opts: &Options) -> ExitCode {
    let source = match preset_arg {
        Some(p) => PresetSource::resolve(p, &opts.set),
        None => Ok(PresetSource {
            origin: bundled::DEFAULT_ORIGIN.into(),
            text: bundled::DEFAULT_PRESET.into(),
            overrides: opts.set.clone(),
        }),
    };
    let name = preset_arg.unwrap_or(bundled::DEFAULT_ORIGIN);
    let mut app = match crate::waiting::while_loading(name, || source.and_then(App::from_source)) {
        Ok(app) => app,
        Err(e) => {
            err_line(&format!("error: {e}"));
            return ExitCode::from(EXIT_USAGE);
        }
    };
    // The preset and the journal's path are looked at first, so that what
    // is wrong with them is said with or without a terminal; no journal is
    // begun for a session that cannot run.
    let record_error = |path: &std::path::Path, e: std::io::Error| {
        let path = text::printable(&path.display().to_string(), false).into_owned();
        err_line(&format!("error: --record {path}: {e}"));
    };
    if let Some(path) = &opts.record
        && let Err(e) = crate::session::recorder::check_path(path)
    {
        record_error(path, e);
        return ExitCode::from(EXIT_USAGE);
    }
    if let Some(code) = refuse_without_terminal(WITHOUT_A_SCREEN) {
        return code;
    }
    if let Some(path) = &opts.record
        && let Err(e) = app.record_to(path)
    {
        record_error(path, e);
        return ExitCode::from(EXIT_FAILURE);
    }
    show(app, &opts.screen)
}

/// Opens the oscilloscope playing a recorded session.
pub fn run_replay(journal: &std::path::Path, opts: &ScreenOptions) -> ExitCode {
    // The journal is read first, as the viewer reads its file.
    let app = crate::session::Journal::read(journal)
        .map_err(|e| e.to_string())
        .and_then(|j| {
            let origin = j.preset.origin.clone();
            crate::waiting::while_loading(&origin, || App::from_journal(j))
        });
    match app {
        Ok(app) => {
            let needs = format!(
                "the replay needs one. To write the replayed run without a screen use \
                 `spikescope replay {} --out FILE`",
                text::printable(&journal.display().to_string(), false)
            );
            if let Some(code) = refuse_without_terminal(&needs) {
                return code;
            }
            show(app, opts)
        }
        Err(e) => {
            err_line(&format!("error: {e}"));
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// What the oscilloscope needs a terminal for, and what to do instead:
/// simulate without a screen.
const WITHOUT_A_SCREEN: &str = "the oscilloscope needs one. To simulate without a screen use \
     `spikescope run [PRESET] --out FILE` (a journal: `spikescope replay FILE --out FILE`)";

/// Refuses to start without a terminal, saying what needs one and what to
/// do instead (`needs`), and the commonest cause over SSH.
fn refuse_without_terminal(needs: &str) -> Option<ExitCode> {
    let why = terminal_problem()?;
    err_line(&format!(
        "spikescope: not a terminal ({why}); {needs}; over SSH, `ssh -t` gives a remote \
         command a terminal."
    ));
    Some(ExitCode::from(EXIT_USAGE))
}

/// Runs the oscilloscope on `app` until it quits, then says what ran.
fn show(mut app: App, opts: &ScreenOptions) -> ExitCode {
    let theme = Theme::from_env(opts.ascii, opts.unicode);
    crossterm::style::force_color_output(true);
    spawn_signal_handler(app.journal.as_ref().map(|j| j.end_handle()));
    let mut terminal = match enter_for_session() {
        Ok(t) => t,
        Err(exit) => return exit,
    };
    let result = run_app(
        &mut terminal,
        &mut app,
        &mut input::StdinEvents::start(),
        &theme,
        LoopOptions {
            fps: opts.fps,
            frames: opts.frames,
            panic_after_first_frame: std::env::var("SPIKESCOPE_FAULT").is_ok_and(|v| v == "panic"),
            suspend: Some(suspend_to_shell),
        },
    );
    leave_terminal();
    let journal = app.journal.as_ref().map(|j| j.path().display().to_string());
    if let (Some(path), Some(e)) = (&journal, app.finish_journal()) {
        err_line(&format!("spikescope: cannot end the journal {path}: {e}"));
    }
    session_exit(result, |frames| {
        out_line(&quit_line(&app, frames, journal.as_deref()));
    })
}

/// Bytes a terminal receives: the drawing of `frames` frames of `app` at
/// `width` x `height`, stepping `steps_per_frame` steps before each, through
/// crossterm into a counting sink. Deterministic (no clock, no terminal), so
/// it serves as a benchmark of the screen's cost and as a regression guard.
/// Returns the bytes of each frame.
pub fn bytes_per_frame(
    app: &mut App,
    theme: &Theme,
    width: u16,
    height: u16,
    frames: usize,
    steps_per_frame: u64,
) -> io::Result<Vec<usize>> {
    use ratatui::backend::CrosstermBackend;
    use ratatui::layout::Rect;
    use ratatui::{TerminalOptions, Viewport};

    struct Count(std::rc::Rc<std::cell::Cell<usize>>);
    impl io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.set(self.0.get() + buf.len());
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let written = std::rc::Rc::new(std::cell::Cell::new(0));
    let mut terminal = Terminal::with_options(
        CrosstermBackend::new(Count(written.clone())),
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, width, height)),
        },
    )?;
    let mut out = Vec::with_capacity(frames);
    for _ in 0..frames {
        app.advance(steps_per_frame);
        let before = written.get();
        terminal.draw(|f| render::render(f, app, theme))?;
        out.push(written.get() - before);
    }
    Ok(out)
}

/// The line left on the main screen after quitting: the preset, the time
/// simulated, its spikes (a rate network has none to count), the frames,
/// the parameters changed, the input and biases the keys left, and where
/// the session was recorded.
pub fn quit_line(app: &App, frames: u64, journal: Option<&str>) -> String {
    let spikes = match app.sim.model {
        crate::model::AnyModel::Rate(_) => String::new(),
        _ => format!(
            ", {}",
            format::plural(app.sim.spike_count, "spike", "spikes")
        ),
    };
    // The changes with the command line's --sets under them: the run that
    // gives the parameters.
    let changed = if app.changed.is_empty() {
        String::new()
    } else {
        app.reproduce_as_set()
    };
    let keyed = app.set_by_keys();
    format!(
        "spikescope: {} — {} simulated{spikes} ({}){}{}{}",
        app.preset.name,
        preset::time::format_time(app.sim.time_s()),
        format::plural(frames, "frame", "frames"),
        if changed.is_empty() {
            String::new()
        } else {
            format!("; parameters changed:{changed}")
        },
        if keyed.is_empty() {
            String::new()
        } else {
            // A replay's come from its journal, not the keys.
            let from = if app.replay.is_some() {
                "the journal"
            } else {
                "the keyboard"
            };
            format!("; at the end, from {from}: {}", keyed.join(", "))
        },
        journal.map_or(String::new(), |p| format!(
            "; recorded in {} (spikescope replay {})",
            text::printable(p, false),
            text::printable(p, false)
        ))
    )
}
