//! Opening another preset from inside the oscilloscope (`o`, `m`). Building
//! a preset can take seconds (a random network of 100,000 neurons draws its
//! 2e8 synapses in about 4), so an open is planned (what to build, from the
//! app as it is, and what becomes of it), built (`App::from_source`, the
//! slow part, which touches nothing of the running app) and finished (the
//! app built takes over, or the error is said). In the loop an open (a
//! key's, or a replayed journal's) waits for a frame that says "opening
//! ...", then builds on a thread of its own while the loop counts its
//! seconds and Esc stops waiting for it (ui/loading.rs). Without the loop
//! (tests, a replay without a screen) it happens at once.

use super::App;
use super::switch::{Home, NextModel};
use crate::preset::{PresetError, PresetSource};
use crate::ui::command::Command;
use crate::ui::overlay::{Overlay, expand_home};

/// An open a key asked for, and whether opens wait for the loop.
#[derive(Debug, Default)]
pub struct Opening {
    /// Set by the loop, which draws the frame before the open and builds it.
    pub deferred: bool,
    due: Option<PlannedOpen>,
}

/// An open planned: what it opens (for the messages), the preset to build,
/// and what becomes of the app built.
#[derive(Debug)]
pub struct PlannedOpen {
    pub what: String,
    pub source: PresetSource,
    pub finish: Finish,
}

/// What an app built becomes, or how its failure is said.
#[derive(Debug)]
pub enum Finish {
    /// `o`: "opened NAME"; a failure goes to the picker, if it is open.
    Opened,
    /// `m` back to the preset the user opened, from t = 0, with the
    /// parameters changed in its panel made again.
    BackHome { changed: Vec<(String, String)> },
    /// `m` to a kind's bundled preset; `m` comes back to `home`.
    StandIn { home: Option<Home> },
    /// A replay's opening, at the journal's `line`: the app built takes
    /// over as the session's did; a failure stops the replay there.
    Replayed { line: usize },
}

impl App {
    /// Whether `cmd` opens a preset and the loop builds it: then it is
    /// planned and kept, the message says what is opening (or why it
    /// cannot), and true is returned.
    pub(super) fn defer_open(&mut self, cmd: &Command) -> bool {
        if !self.opening.deferred || !matches!(cmd, Command::OpenPreset(_) | Command::SwitchModel) {
            return false;
        }
        if let Some(plan) = self.plan_open(cmd) {
            self.say(format!("opening {}...", plan.what));
            self.opening.due = Some(plan);
        }
        true
    }

    /// Whether an open waits for the loop (after the frame that says so).
    pub fn open_due(&self) -> bool {
        self.opening.due.is_some()
    }

    /// The open that waits, for the loop to build.
    pub fn take_due_open(&mut self) -> Option<PlannedOpen> {
        self.opening.due.take()
    }

    /// A replay's opening, kept for the loop to build (journal.rs).
    pub(super) fn defer_replayed_open(&mut self, source: PresetSource, line: usize) {
        self.say(format!("opening {}...", source.origin));
        self.opening.due = Some(PlannedOpen {
            what: source.origin.clone(),
            source,
            finish: Finish::Replayed { line },
        });
    }

    /// Opens what a key asked for, if anything waits, at once.
    pub fn open_pending(&mut self) {
        if let Some(plan) = self.take_due_open() {
            self.open_now(plan);
        }
    }

    /// `o` with `arg` (a bundled name or a path, `~` expanded), at once.
    pub fn open_preset(&mut self, arg: &str) {
        if let Some(plan) = self.plan_open(&Command::OpenPreset(arg.to_string())) {
            self.open_now(plan);
        }
    }

    /// `m`, at once.
    pub(super) fn switch_model(&mut self) {
        if let Some(plan) = self.plan_open(&Command::SwitchModel) {
            self.open_now(plan);
        }
    }

    fn open_now(&mut self, plan: PlannedOpen) {
        let built = App::from_source(plan.source.clone());
        self.finish_open(built, plan);
    }

    /// What `cmd` (an open) builds, read now: a path that cannot be read
    /// is said at once (in the picker, if it is open), and there is nothing
    /// to build.
    fn plan_open(&mut self, cmd: &Command) -> Option<PlannedOpen> {
        let (arg, finish) = match cmd {
            Command::OpenPreset(name) => (expand_home(name), Finish::Opened),
            Command::SwitchModel => match self.next_model() {
                NextModel::Back(home) => {
                    return Some(PlannedOpen {
                        what: home.source.origin.clone(),
                        source: home.source,
                        finish: Finish::BackHome {
                            changed: home.changed,
                        },
                    });
                }
                NextModel::StandIn { name, home } => (name.to_string(), Finish::StandIn { home }),
            },
            _ => return None,
        };
        match PresetSource::resolve(&arg, &[]) {
            Ok(source) => Some(PlannedOpen {
                what: arg,
                source,
                finish,
            }),
            Err(e) => {
                self.say_open_error(&e, &finish);
                None
            }
        }
    }

    /// The app a planned open built takes over and says so, or the error
    /// is said; the "opening ..." message goes either way.
    pub fn finish_open(&mut self, built: Result<App, PresetError>, plan: PlannedOpen) {
        self.message = None;
        let mut app = match (built, &plan.finish) {
            (Ok(app), _) => app,
            (Err(e), Finish::Replayed { line }) => {
                return self.stop_replay_at(*line, e.to_string());
            }
            (Err(e), finish) => return self.say_open_error(&e, finish),
        };
        let what = plan.what;
        match plan.finish {
            Finish::Opened => self.show_opened(app, &format!("opened {what}")),
            Finish::BackHome { changed } => {
                self.show_opened(app, &format!("back to {what} (from t = 0)"));
                for (key, value) in &changed {
                    if let Err(e) = self.change_param(key, Some(value)) {
                        self.say_error(e);
                    }
                }
            }
            Finish::StandIn { home } => {
                let back = home
                    .as_ref()
                    .map(|h| format!(" (m comes back to {})", h.source.origin))
                    .unwrap_or_default();
                app.home = home;
                self.show_opened(app, &format!("opened {what}{back}"));
            }
            Finish::Replayed { .. } => self.take_over(app),
        }
    }

    /// Esc stopped waiting for a planned open's build: the app goes on as
    /// it was, and says so; a replay cannot go on without the preset its
    /// journal opened, and holds there.
    pub fn stop_open(&mut self, plan: &PlannedOpen) {
        let stopped = format!("stopped opening {}", plan.what);
        match plan.finish {
            Finish::Replayed { line } => self.stop_replay_at(line, stopped),
            _ => self.say(stopped),
        }
    }

    /// An open that failed: `o`'s in the picker while it is open (the
    /// whole error), else its first line as the message.
    fn say_open_error(&mut self, e: &PresetError, finish: &Finish) {
        let text = e.to_string();
        if let (Finish::Opened, Overlay::Picker { error, .. }) = (finish, &mut self.overlay) {
            *error = Some(text);
        } else {
            self.say_error(text.lines().next().unwrap_or(""));
        }
    }
}
