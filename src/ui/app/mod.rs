//! The oscilloscope's state and the one place that changes it (`apply`,
//! `tick`, `elapse`). Rendering only reads it.
//!
//! ```text
//! key -> overlay or keymap -> Command -> App::apply
//! frame deadline -> App::tick(real elapsed) -> whole steps -> traces
//! ```
//!
//! Here: the state and the commands; `run` how it advances and holds,
//! `messages` the feedback and guidance that time out, `view_state` what is
//! shown, `input` the input level, the selected neuron and its bias, `fi`
//! the f-I curve builder, `params` parameters changed while running,
//! `reference` a frozen reference trace, `cursors` the time cursors,
//! `journal` recording and replaying a session, `switch` the model cycle.

use std::path::PathBuf;
use std::time::Duration;

use crossterm::event::KeyEvent;

use crate::ui::pane::weights::Senders;

mod cursors;
mod fi;
mod input;
mod journal;
mod messages;
mod opened;
mod opening;
mod params;
mod reference;
mod run;
mod switch;
mod view_state;

pub use cursors::{Active, Cursors};
pub use fi::FiCurve;
pub use messages::{ERROR_FOR, GUIDE_FOR, INFO_FOR, Message};
pub use opened::Opened;
pub use opening::Opening;
pub use reference::Reference;
pub use run::{Hold, MAX_STEPS_PER_FRAME, RunState};
pub use switch::Home;
pub use view_state::{PscView, ViewState};

use super::clock::SimClock;
use super::command::Command;
use super::format::duration;
use super::keymap::command_for;
use super::model_info::{default_window, fine_step};
use super::overlay::{Overlay, OverlayOutcome};
use super::traces::Traces;
use crate::model::{AnyModel, ModelKind};
use crate::named::Named;
use crate::preset::{self, Meta, PresetSource, Scenario};
use crate::session::Change;
use crate::sim::Simulation;
use crate::view::{DEFAULT_PRE_TRIGGER, Pane, TriggerMode};

pub struct App {
    /// What the loaded preset says beside its model.
    pub preset: Meta,
    pub sim: Simulation,
    pub traces: Traces,
    pub view: ViewState,
    pub clock: SimClock,
    pub run: RunState,
    pub overlay: Overlay,
    pub message: Option<Message>,
    /// Real time the app has run (advanced by `elapse`): what messages and
    /// the opening guidance time out against.
    pub real_time: Duration,
    /// The guidance shows until then (real time), unless a key closes it.
    pub guide_until: Option<Duration>,
    /// Something changed since the last frame.
    pub dirty: bool,
    /// Directory for exported CSV files.
    pub export_dir: PathBuf,
    /// Steps asked for by a key, run after the pending keys are handled.
    pub pending_steps: u64,
    /// Single shot: armed since this time (s), until a sweep is held.
    armed_since_s: Option<f64>,
    /// The f-I curve builder's sweep and points, once started.
    pub fi: Option<FiCurve>,
    /// Where the preset came from, with the overrides given and those made
    /// here (a parameter changed in the panel): what rebuilds the model
    /// for a change, and what `--set` reproduces. None for an app made from
    /// a scenario alone.
    pub source: Option<PresetSource>,
    /// The overrides made here, in the order made (one per key).
    pub changed: Vec<(String, String)>,
    /// A frozen reference trace, drawn under the live one.
    pub reference: Option<Reference>,
    /// The scope's two time cursors, when shown.
    pub cursors: Option<Cursors>,
    /// `w` asked for the screen to be written after the next frame.
    pub screen_due: bool,
    /// Ctrl-Z asked for the terminal to go back to the shell, Ctrl-L for
    /// the whole screen to be drawn again (the loop, which owns the
    /// terminal, does both).
    pub suspend_due: bool,
    pub repaint_due: bool,
    /// The journal this session is recorded into (`--record`).
    pub journal: Option<crate::session::Recorder>,
    /// The journal this oscilloscope plays (`spikescope replay`).
    pub replay: Option<crate::session::Replay>,
    /// The preset the user opened, while `m` shows another kind's: the
    /// cycle comes back to it. None while it is the one shown.
    pub home: Option<Home>,
    /// The run as the preset opened it, where the keys change it.
    pub opened: Opened,
    /// The selected neuron's senders as the weights view last read them.
    pub senders: Senders,
    /// An open a key asked for, waiting for the loop's frame.
    pub opening: Opening,
}

impl App {
    pub fn new(scenario: Scenario) -> Self {
        let (preset, sim) = scenario.into_simulation();
        let kind = sim.model.kind();
        let window_s = preset.view.window_s.unwrap_or_else(|| default_window(kind));
        let n = sim.model.neuron_count();
        let selected = preset.view.selected.unwrap_or(0).min(n - 1);
        let psc = match &sim.model {
            AnyModel::Network(net) => PscView {
                order: net.params().filter.order,
                tau_s: net.params().filter.tau_s_s,
            },
            AnyModel::Synapse(bank) => PscView {
                order: bank.filters[0].filter.order,
                tau_s: bank.filters[0].filter.tau_s_s,
            },
            _ => PscView {
                order: 0,
                tau_s: 0.005,
            },
        };
        let speed = preset.view.speed.unwrap_or(match kind {
            ModelKind::Hh => 0.05,
            _ => 0.25,
        });
        let trigger = preset.view.trigger;
        let mut app = Self {
            traces: Traces::new(&sim, window_s, selected),
            view: ViewState {
                pane: preset.view.pane.unwrap_or(Pane::Scope),
                base_window_s: window_s,
                zoom: 0,
                trigger,
                pre_trigger: preset.view.pre_trigger.unwrap_or(DEFAULT_PRE_TRIGGER),
                selected,
                cursor_filter: 0,
                psc,
                psc_log_scale: false,
                psc_zoom: 0,
            },
            run: if preset.view.paused {
                RunState::Paused
            } else {
                RunState::Running
            },
            clock: SimClock::new(speed),
            sim,
            overlay: Overlay::None,
            message: None,
            real_time: Duration::ZERO,
            guide_until: (!preset.guide.is_empty()).then_some(GUIDE_FOR),
            dirty: true,
            export_dir: PathBuf::from("."),
            pending_steps: 0,
            armed_since_s: (trigger == TriggerMode::Single).then_some(0.0),
            fi: None,
            source: None,
            changed: Vec::new(),
            reference: None,
            cursors: None,
            screen_due: false,
            suspend_due: false,
            repaint_due: false,
            journal: None,
            replay: None,
            home: None,
            opened: Opened::default(),
            senders: Senders::default(),
            opening: Opening::default(),
            preset,
        };
        app.opened.input = app.input_level();
        app.traces.follow(&app.sim, selected);
        app.say_bare_times("");
        app
    }

    /// The oscilloscope on a preset source (a name or a path with its
    /// overrides), which it keeps for changes made while it runs.
    #[allow(clippy::result_large_err)] // the preset module's error, as there
    pub fn from_source(source: PresetSource) -> Result<Self, preset::PresetError> {
        let mut app = App::new(source.load()?);
        app.source = Some(source);
        Ok(app)
    }

    pub fn kind(&self) -> ModelKind {
        self.sim.model.kind()
    }

    pub fn neuron_count(&self) -> usize {
        self.sim.model.neuron_count()
    }

    pub fn running(&self) -> bool {
        self.run == RunState::Running
    }

    pub fn window_s(&self) -> f64 {
        self.view.window_s()
    }

    /// Handles a key: an open overlay first, then the key table. Any key
    /// closes the opening guidance.
    pub fn on_key(&mut self, key: KeyEvent) {
        self.dirty = true;
        // Any key closes the opening guidance and then acts, so that keys
        // pressed at once (Up, Space, m through the models, each preset's
        // guidance opening again) work. Esc and q only close it: q closes
        // the help and the whole guidance, and a `q` pressed to close this
        // one ended the run.
        let banner = self.guide_shown();
        self.guide_until = None;
        if banner
            && matches!(
                key.code,
                crossterm::event::KeyCode::Esc | crossterm::event::KeyCode::Char('q')
            )
            && !key
                .modifiers
                .contains(crossterm::event::KeyModifiers::CONTROL)
        {
            return;
        }
        if super::keymap::is_interrupt(&key) {
            self.run = RunState::Quit;
            return;
        }
        if super::keymap::is_suspend(&key) {
            self.suspend_due = true;
            return;
        }
        if super::keymap::is_repaint(&key) {
            self.repaint_due = true;
            self.dirty = true;
            return;
        }
        let command = if self.overlay == Overlay::None {
            command_for(&key)
        } else {
            let (_, input_unit) = super::model_info::input_label(&self.sim);
            match self.overlay.on_key(&key, input_unit) {
                OverlayOutcome::Stay => None,
                OverlayOutcome::Close => {
                    self.overlay = Overlay::None;
                    None
                }
                OverlayOutcome::Command(c) => Some(c),
            }
        };
        if let Some(c) = command {
            self.apply(c);
        }
    }

    /// A paste goes into an open text field, never through the key map
    /// (a pasted text is not a run of commands).
    pub fn on_paste(&mut self, text: &str) {
        self.dirty = true;
        self.guide_until = None;
        if !self.overlay.on_paste(text) {
            self.say(
                "a paste goes into a text field (i a value, g a neuron, o then / a path); ignored",
            );
        }
    }

    /// Becomes `app`, another preset opened (recorded in the journal), and
    /// says so with `said`.
    fn show_opened(&mut self, app: App, said: &str) {
        if let Some(source) = &app.source {
            self.record_then_dt(Change::Open(source.clone()), app.sim.dt_s());
        }
        self.take_over(app);
        self.say(said);
        self.say_bare_times(&format!("{said}: "));
    }

    /// Becomes `app` (another preset opened), keeping what belongs to the
    /// session: where exports go, the real time, the journal recorded or
    /// played.
    fn take_over(&mut self, app: App) {
        let old = std::mem::replace(self, app);
        self.export_dir = old.export_dir;
        self.real_time = old.real_time;
        self.guide_until = self.guide_until.map(|d| d + old.real_time);
        self.journal = self.journal.take().or(old.journal);
        self.replay = self.replay.take().or(old.replay);
        self.opening.deferred = old.opening.deferred;
    }

    pub fn apply(&mut self, cmd: Command) {
        self.dirty = true;
        if self.replay_refuses(&cmd) {
            return;
        }
        // An open still waiting happens first: what follows applies to it.
        self.open_pending();
        if self.defer_open(&cmd) {
            return;
        }
        match cmd {
            Command::Quit => self.run = RunState::Quit,
            Command::AdjustInput { fine_steps } => {
                let x = self.input_level() + fine_steps as f64 * fine_step(self.kind());
                self.set_input_level(x);
            }
            Command::SetInput(x) => {
                self.overlay = Overlay::None;
                self.set_input_level(x);
            }
            Command::EnterInput => self.overlay = Overlay::entry_for_input(),
            Command::TogglePause => self.toggle_pause(),
            Command::StepOnce | Command::StepSweep
                if matches!(
                    self.run,
                    RunState::Held(Hold::ProtocolDone | Hold::JournalEnd)
                ) =>
            {
                self.say_nothing_left();
            }
            Command::StepOnce => {
                self.pause_if_running();
                self.advance(1);
            }
            Command::StepSweep => {
                // Deferred and not summed: repeated presses before the next
                // frame ask for one sweep.
                self.pause_if_running();
                let steps = (self.window_s() / self.sim.dt_s()).round() as u64;
                self.pending_steps = self.pending_steps.max(steps.max(1));
            }
            Command::Faster => self.change_speed(2.0),
            Command::Slower => self.change_speed(0.5),
            Command::ZoomIn => self.zoom(-1),
            Command::ZoomOut => self.zoom(1),
            Command::SwitchModel => self.switch_model(),
            Command::SelectNeuron if self.neuron_count() == 1 => {
                self.say("one neuron only: g goes to one of a network's neurons");
            }
            Command::SelectNeuron => self.overlay = Overlay::entry_for_neuron(self.neuron_count()),
            Command::Select(i) => {
                self.overlay = Overlay::None;
                let n = self.neuron_count();
                if i < n {
                    self.select(i);
                } else {
                    self.say_error(format!(
                        "no neuron {i}: neurons are numbered 0 to {}",
                        n - 1
                    ));
                }
            }
            Command::SelectNext => self.select_by(1),
            Command::SelectPrevious => self.select_by(-1),
            Command::AdjustBias { tenths } => self.adjust_bias(tenths),
            Command::ToggleTrigger => self.next_trigger(),
            Command::SingleShot => self.arm_single_shot(),
            Command::AdjustPreTrigger { tenths } => self.adjust_pre_trigger(tenths),
            Command::ShowPane(p) => self.view.pane = p,
            Command::NextPane => self.view.pane = self.view.pane.next(),
            Command::AdjustOrder { by } => self.adjust_explored_order(by),
            Command::AdjustTauS { halves } => self.adjust_explored_tau_s(halves),
            Command::TogglePscLogScale => self.toggle_psc_log_scale(),
            Command::Reset => self.reset(),
            Command::OpenPicker => self.overlay = Overlay::picker(&self.preset.origin),
            Command::OpenPreset(name) => self.open_preset(&name),
            Command::ToggleHelp => {
                self.overlay = if matches!(self.overlay, Overlay::Help { .. }) {
                    Overlay::None
                } else {
                    Overlay::Help { page: 0 }
                }
            }
            Command::ShowGuide => {
                self.overlay = if matches!(self.overlay, Overlay::Guide { .. }) {
                    Overlay::None
                } else {
                    Overlay::Guide { page: 0 }
                }
            }
            Command::Export => super::export::export(self),
            Command::WriteScreen => self.screen_due = true,
            Command::FiSweep => self.toggle_fi(),
            Command::OpenParams => self.open_params(),
            Command::ToggleReference => self.toggle_reference(),
            Command::CycleCursors => self.cycle_cursors(),
            Command::MoveCursor(by) => self.move_cursor(by),
            Command::MoveParam(by) => self.move_param(by),
            Command::EditParam => self.edit_param(),
            Command::SetParam(text) => self.set_param(&text),
            Command::Back => {
                self.overlay = Overlay::None;
                if self.message.is_some() {
                    self.message = None;
                } else if self.view.pane != Pane::Scope {
                    self.view.pane = Pane::Scope;
                }
            }
        }
        // A bias or weight changed while paused holds from now, and the
        // weights view's sum shows it at once.
        self.traces.note_inputs(&self.sim);
    }

    fn toggle_pause(&mut self) {
        self.run = match &self.run {
            RunState::Unstable(_) => {
                self.say_error("the state is not finite: reset (r) or open another preset (o)");
                return;
            }
            RunState::Running => RunState::Paused,
            // Running on would hold again at once: the protocol has no
            // step left.
            RunState::Held(Hold::ProtocolDone | Hold::JournalEnd) => {
                self.say_nothing_left();
                return;
            }
            RunState::Held(Hold::Sweep { .. }) => {
                self.armed_since_s = Some(self.sim.time_s());
                RunState::Running
            }
            RunState::Paused | RunState::Quit => RunState::Running,
        };
        self.clock.clear();
    }

    /// Running or stepping on from a one-shot protocol's end, or a
    /// replay's, holds again at once: said rather than nothing.
    fn say_nothing_left(&mut self) {
        if self.run == RunState::Held(Hold::JournalEnd) {
            self.say("the replay is done: r plays it again from the start");
            return;
        }
        self.say(format!(
            "the protocol's {} are done: r runs it again from t = 0",
            duration(self.preset.duration_s)
        ));
    }

    fn pause_if_running(&mut self) {
        if self.run == RunState::Running {
            self.run = RunState::Paused;
        }
    }

    /// `z` and `x`: the window of time the traces show, or in the PSC
    /// view its own time axis.
    fn zoom(&mut self, by: i32) {
        if self.view.pane == Pane::Psc {
            self.zoom_psc(by);
            return;
        }
        let zoom = self.view.zoom + by;
        let window = self.view.base_window_s * 2f64.powi(zoom);
        let (lo, hi) = self.window_limits();
        if window >= lo * (1.0 - 1e-9) && window <= hi * (1.0 + 1e-9) {
            self.view.zoom = zoom;
            // A view drawn against no time shows no change: say what did.
            if matches!(
                self.view.pane,
                Pane::Gates | Pane::Rate | Pane::Activation | Pane::Isi
            ) {
                self.say(format!(
                    "window {}: the scope's time base (1); this view has no time axis",
                    super::format::duration(window)
                ));
            }
        } else {
            self.say(format!(
                "the window stays {}: it may be {} to {}",
                super::format::duration(self.window_s()),
                super::format::duration(lo),
                super::format::duration(hi)
            ));
        }
    }

    /// The shortest and longest windows: 50 steps, and 90% of the history.
    fn window_limits(&self) -> (f64, f64) {
        let sample_s = self.traces.probes.sample_every as f64 * self.sim.dt_s();
        (
            (self.sim.dt_s() * 50.0).max(1e-4),
            sample_s * (super::traces::PROBE_CAPACITY as f64 * 0.9),
        )
    }

    fn reset(&mut self) {
        self.record(Change::Reset);
        self.sim.reset();
        self.traces.restart(&self.sim);
        if !matches!(self.run, RunState::Paused) {
            self.run = RunState::Running;
        }
        self.armed_since_s = (self.view.trigger == TriggerMode::Single).then_some(0.0);
        self.message = None;
        self.clock.clear();
    }
}
