//! The loop's side of an open (app/opening.rs): the preset is built on a
//! thread of its own while the loop goes on drawing. The message counts the
//! seconds of a slow build, Esc stops waiting for it (and asks it to end),
//! Ctrl-C (and `q` outside an overlay) quits, a resize draws again, and
//! every other key is queued for the loop, which applies them, in order, to
//! the preset opened.

use std::collections::VecDeque;
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, TryRecvError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyCode, KeyEventKind};
use ratatui::Terminal;
use ratatui::backend::Backend;

use super::app::{App, RunState};
use super::command::Command;
use super::overlay::Overlay;
use super::theme::Theme;
use super::{EventSource, keymap, render};
use crate::model::stop::stoppable;

/// How long a build goes before the message counts its seconds, and how
/// often the count is drawn again.
const COUNT_FROM: Duration = Duration::from_millis(500);
const COUNT_EVERY: Duration = Duration::from_millis(100);

/// What the loop keeps of opens: the keys typed during a build, for the
/// loop to apply after it, and the last build Esc stopped waiting for.
#[derive(Default)]
pub(super) struct Opens {
    pub(super) queued: VecDeque<Event>,
    /// A stopped build is asked to end (model/stop.rs): a random network
    /// stops drawing its connections at the next neuron's, and gives its
    /// memory back; any other part of a build runs on to its end, and its
    /// app is dropped. The next build waits for it, so that two large
    /// networks are never built at once.
    stopped: Option<Stopped>,
}

/// A build Esc stopped waiting for, and what it opened.
struct Stopped {
    build: JoinHandle<()>,
    what: String,
}

impl Opens {
    /// A stopped build that panicked: the panic hook has put the terminal
    /// back and said why, so the process ends, as from any other panic.
    pub(super) fn check_stopped(&mut self) {
        if self.stopped.as_ref().is_some_and(|s| s.build.is_finished())
            && let Some(Err(panic)) = self.stopped.take().map(|s| s.build.join())
        {
            std::panic::resume_unwind(panic);
        }
    }
}

/// Builds the open that waits, if any, and finishes it (or not, if Esc
/// stopped it); the keys typed meanwhile are queued. Returns the frames
/// drawn meanwhile.
pub(super) fn load_due<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    events: &mut dyn EventSource,
    theme: &Theme,
    opens: &mut Opens,
) -> io::Result<u64>
where
    B::Error: Send + Sync + 'static,
{
    let Some(plan) = app.take_due_open() else {
        return Ok(0);
    };
    let (sender, built) = mpsc::channel();
    let source = plan.source.clone();
    let stopped = opens.stopped.take();
    let after = stopped.as_ref().map(|s| s.what.clone());
    let stopped_ended = Arc::new(AtomicBool::new(stopped.is_none()));
    let ended = stopped_ended.clone();
    let stop = Arc::new(AtomicBool::new(false));
    let asked = stop.clone();
    let builder = std::thread::Builder::new()
        .name("open".into())
        .spawn(move || {
            if let Some(Err(panic)) = stopped.map(|s| s.build.join()) {
                std::panic::resume_unwind(panic);
            }
            ended.store(true, Ordering::Release);
            stoppable(asked, || {
                let _ = sender.send(App::from_source(source));
            });
        })?;
    let started = Instant::now();
    let mut next_draw = started + COUNT_FROM;
    let mut frames = 0;
    loop {
        match built.try_recv() {
            Ok(result) => {
                app.finish_open(result, plan);
                return Ok(frames);
            }
            // The build panicked (or the stopped one it waited for), and
            // the panic hook has put the terminal back and said why: the
            // process ends as from any other panic.
            Err(TryRecvError::Disconnected) => match builder.join() {
                Err(panic) => std::panic::resume_unwind(panic),
                Ok(()) => unreachable!("a build that ended has sent its result"),
            },
            Err(TryRecvError::Empty) => {}
        }
        // The count, drawn every COUNT_EVERY however fast keys come.
        let now = Instant::now();
        if now >= next_draw {
            // Said while the build waits for a stopped one: a quick preset
            // taking seconds would otherwise look hung.
            let first = match &after {
                Some(old) if !stopped_ended.load(Ordering::Acquire) => {
                    format!(", once the stopped open of {old} ends")
                }
                _ => String::new(),
            };
            app.say(format!(
                "opening {}... {:.1} s{first} (Esc: stop waiting)",
                plan.what,
                (now - started).as_secs_f64()
            ));
            terminal
                .draw(|f| render::render(f, app, theme))
                .map_err(io::Error::other)?;
            frames += 1;
            next_draw = now + COUNT_EVERY;
        }
        let Some(e) = events.next(Some(COUNT_EVERY))? else {
            continue;
        };
        match e {
            Event::Key(k) if k.kind != KeyEventKind::Release && k.code == KeyCode::Esc => {
                stop.store(true, Ordering::Relaxed);
                app.stop_open(&plan);
                opens.stopped = Some(Stopped {
                    build: builder,
                    what: plan.what,
                });
                return Ok(frames);
            }
            // Ctrl-C quits from anywhere, and `q` where it is a key, not a
            // letter typed into an overlay (the picker's path).
            Event::Key(k)
                if keymap::is_interrupt(&k)
                    || (app.overlay == Overlay::None
                        && keymap::command_for(&k) == Some(Command::Quit)) =>
            {
                app.run = RunState::Quit;
                return Ok(frames);
            }
            Event::Resize(..) => app.dirty = true,
            e => opens.queued.push_back(e),
        }
    }
}
