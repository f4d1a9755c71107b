//! The oscilloscope's state and the one place that changes it (`apply`,
//! `tick`). Rendering only reads it.
//!
//! ```text
//! key -> keymap -> Command -> App::apply       (overlays take keys first)
//! frame deadline -> App::tick(real elapsed) -> whole steps -> probes
//! ```

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::clock::SimClock;
use super::command::{Command, Pane};
use super::keymap::command_for;
use crate::model::lif::firing_rate;
use crate::model::{AnyModel, Instability, ModelKind, Spike};
use crate::preset::{self, Scenario, TriggerMode, bundled};
use crate::sim::csv::write_csv_atomically;
use crate::sim::probe::Probes;
use crate::sim::{Monitor, RunError, Simulation};

/// Samples kept per recorded variable: enough for the longest window.
pub const PROBE_CAPACITY: usize = 1 << 16;
/// Network neurons whose v and s are recorded for the traces.
pub const MAX_TRACED_NEURONS: usize = 32;
/// Most steps one frame may take, so keys stay responsive.
pub const MAX_STEPS_PER_FRAME: u64 = 2_000_000;

/// An overlay on top of the main screen; it takes the keys while open.
#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    None,
    Help,
    /// The preset list; `path` is Some while a path is being typed.
    Picker {
        index: usize,
        path: Option<String>,
    },
    /// Typing a value: the input, or the number of the neuron to select.
    Entry {
        text: String,
        sets: EntryFor,
    },
}

/// What a typed entry sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryFor {
    /// The input level (a number).
    Input,
    /// The selected neuron (its number).
    Neuron,
}

impl EntryFor {
    fn accepts(self, c: char) -> bool {
        match self {
            EntryFor::Input => c.is_ascii_digit() || "+-.eE".contains(c),
            EntryFor::Neuron => c.is_ascii_digit(),
        }
    }
}

/// Counts and the last two spike times of every neuron.
#[derive(Debug, Clone, Default)]
pub struct SpikeStats {
    pub count: Vec<u64>,
    pub last: Vec<[f64; 2]>,
}

impl SpikeStats {
    fn new(n: usize) -> Self {
        Self {
            count: vec![0; n],
            last: vec![[f64::NAN; 2]; n],
        }
    }

    /// The last inter-spike interval of neuron i (s).
    pub fn last_isi(&self, i: usize) -> Option<f64> {
        let [a, b] = self.last[i];
        (a.is_finite() && b.is_finite()).then_some(b - a)
    }
}

/// The monitors the oscilloscope feeds: ring buffers and spike statistics.
struct UiMonitor<'a> {
    probes: &'a mut Probes,
    stats: &'a mut SpikeStats,
}

impl Monitor for UiMonitor<'_> {
    fn on_step(&mut self, sim: &Simulation, spikes: &[Spike]) -> std::io::Result<()> {
        for s in spikes {
            self.stats.count[s.neuron] += 1;
            let l = &mut self.stats.last[s.neuron];
            *l = [l[1], s.time_s];
        }
        self.probes.on_step(sim, spikes)
    }
}

/// A line of feedback under the screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Info(String),
    Error(String),
}

pub struct App {
    pub scenario: Scenario,
    pub sim: Simulation,
    pub probes: Probes,
    pub stats: SpikeStats,
    /// Names of all the model's columns, and which of them are recorded.
    pub columns: Vec<String>,
    pub clock: SimClock,
    pub running: bool,
    pub window_s: f64,
    pub selected: usize,
    pub pane: Pane,
    pub trigger: TriggerMode,
    pub overlay: Overlay,
    pub message: Option<Message>,
    pub unstable: Option<Instability>,
    /// PSC order shown in the psc view (networks: their own).
    pub psc_order: usize,
    pub quit: bool,
    /// Something changed since the last frame.
    pub dirty: bool,
    /// Directory for exported CSV files.
    pub export_dir: std::path::PathBuf,
    /// Steps asked for by a key, run after the pending keys are handled.
    pub pending_steps: u64,
    /// When the probes began to record the selected neuron in their two
    /// last places (see `select`), if after the start of their history.
    pub traced_since_s: Option<f64>,
}

/// The input's name and units: per model, and for a clamp or a spike train
/// per stimulus.
pub fn input_label(sim: &Simulation) -> (&'static str, &'static str) {
    if sim
        .stimuli
        .first()
        .is_some_and(|s| s.stimulus.is_spike_train())
    {
        return ("w (spike weight)", "");
    }
    match &sim.model {
        AnyModel::Hh(n) if n.clamp => ("V_clamp", "mV"),
        AnyModel::Hh(_) => ("J_in", "µA/cm²"),
        AnyModel::Lif(_) => ("v_in", ""),
        AnyModel::Network(_) | AnyModel::Rate(_) => ("x", ""),
        AnyModel::Synapse(_) => ("w (spike weight)", ""),
    }
}

/// The fine input step per model (coarse is 10 of them).
pub fn fine_step(kind: ModelKind) -> f64 {
    match kind {
        ModelKind::Hh => 0.1,
        _ => 0.01,
    }
}

/// The default time window per model.
fn default_window(kind: ModelKind) -> f64 {
    match kind {
        ModelKind::Hh => 0.1,
        ModelKind::Lif | ModelKind::Network | ModelKind::Synapse => 0.5,
        ModelKind::Rate => 0.2,
    }
}

impl App {
    pub fn new(scenario: Scenario) -> Self {
        let sim = scenario.simulation();
        let kind = scenario.model.kind();
        let window_s = scenario
            .view
            .window_s
            .unwrap_or_else(|| default_window(kind));
        let n = scenario.model.neuron_count();
        let columns = scenario.model.columns();
        let probes = make_probes(&sim, &columns, window_s);
        let psc_order = match &scenario.model {
            AnyModel::Network(net) => net.params.filter.order,
            _ => 0,
        };
        let speed = scenario.view.speed.unwrap_or(match kind {
            ModelKind::Hh => 0.05,
            _ => 0.25,
        });
        let mut app = Self {
            selected: scenario.view.selected.unwrap_or(0).min(n - 1),
            pane: scenario
                .view
                .pane
                .as_deref()
                .and_then(Pane::from_name)
                .unwrap_or(Pane::Scope),
            trigger: scenario.view.trigger,
            running: !scenario.view.paused,
            clock: SimClock::new(speed),
            stats: SpikeStats::new(n),
            columns,
            probes,
            sim,
            scenario,
            window_s,
            overlay: Overlay::None,
            message: None,
            unstable: None,
            psc_order,
            quit: false,
            dirty: true,
            export_dir: std::path::PathBuf::from("."),
            pending_steps: 0,
            traced_since_s: None,
        };
        app.select(app.selected);
        app.traced_since_s = None;
        app.probes.record(&app.sim);
        app
    }

    pub fn kind(&self) -> ModelKind {
        self.sim.model.kind()
    }

    pub fn neuron_count(&self) -> usize {
        self.sim.model.neuron_count()
    }

    /// The main stimulus's amplitude (the input the keyboard adjusts).
    pub fn input_level(&self) -> f64 {
        self.sim
            .stimuli
            .first()
            .map_or(0.0, |s| s.stimulus.amplitude)
    }

    pub fn set_input_level(&mut self, x: f64) {
        // Rounded to a hundredth of the fine step, so that repeated steps
        // land on round numbers (10 presses of +0.1 give exactly +1).
        let per_unit = (100.0 / fine_step(self.kind())).round();
        if let Some(s) = self.sim.main_stimulus() {
            s.amplitude = (x * per_unit).round() / per_unit;
        }
    }

    /// Applies a typed entry, or says why it cannot (nothing changes then).
    fn apply_entry(&mut self, sets: EntryFor, t: &str) {
        let n = self.neuron_count();
        let error = match sets {
            EntryFor::Input => match t.parse::<f64>() {
                Ok(x) if x.is_finite() => {
                    self.set_input_level(x);
                    None
                }
                _ => Some(format!("\"{t}\" is not a number; the input is unchanged")),
            },
            EntryFor::Neuron => match t.parse::<usize>() {
                Ok(i) if i < n => {
                    self.select(i);
                    None
                }
                _ => Some(format!(
                    "no neuron \"{t}\": neurons are numbered 0 to {}",
                    n - 1
                )),
            },
        };
        self.message = error.map(Message::Error);
    }

    /// Selects neuron i; in a network past the first MAX_TRACED_NEURONS its
    /// v and s are recorded from now on in the probes' two last places.
    pub fn select(&mut self, i: usize) {
        self.selected = i;
        let n = self.neuron_count();
        let last = 2 * MAX_TRACED_NEURONS;
        if self.kind() == ModelKind::Network
            && i >= MAX_TRACED_NEURONS
            && i < n
            && self.probes.columns[last] != i
        {
            self.probes.retarget(last, i);
            self.probes.retarget(last + 1, n + i);
            self.traced_since_s = Some(self.sim.time_s());
        }
    }

    /// Where neuron i's v and s are in the probes, and the time from which
    /// they were recorded if later than the rest; None if not recorded.
    pub fn traces_of(&self, i: usize) -> Option<(usize, usize, Option<f64>)> {
        let n = self.neuron_count();
        let k = n.min(MAX_TRACED_NEURONS);
        if i < k {
            return Some((i, k + i, None));
        }
        let last = 2 * MAX_TRACED_NEURONS;
        (self.probes.columns.get(last) == Some(&i)).then_some((last, last + 1, self.traced_since_s))
    }

    /// The selected neuron's bias (networks), else None.
    pub fn selected_bias(&self) -> Option<f64> {
        match &self.sim.model {
            AnyModel::Network(n) => Some(n.bias[self.selected]),
            AnyModel::Rate(r) => Some(r.bias[self.selected]),
            _ => None,
        }
    }

    /// The analytic LIF rate G at the current input (LIF) or at the selected
    /// network neuron's constant drive b_i + x (Hz).
    pub fn analytic_rate(&self) -> Option<f64> {
        match &self.sim.model {
            AnyModel::Lif(n) => Some(n.params.firing_rate(self.input_level())),
            AnyModel::Network(net) => Some(firing_rate(
                net.bias[self.selected] + self.sim.input()[self.selected],
                net.params.tau_m_s,
                net.params.tau_ref_s,
            )),
            _ => None,
        }
    }

    /// Handles a key: overlays first, then the key table.
    pub fn on_key(&mut self, key: KeyEvent) {
        self.dirty = true;
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            self.quit = true;
            return;
        }
        match &mut self.overlay {
            Overlay::None => {
                if let Some(cmd) = command_for(&key) {
                    self.apply(cmd);
                }
            }
            Overlay::Help => {
                if matches!(
                    key.code,
                    KeyCode::Esc | KeyCode::Char('?') | KeyCode::Char('q')
                ) {
                    self.overlay = Overlay::None;
                }
            }
            Overlay::Entry { text, sets } => {
                let sets = *sets;
                match key.code {
                    KeyCode::Esc => self.overlay = Overlay::None,
                    KeyCode::Backspace => {
                        text.pop();
                    }
                    KeyCode::Enter => {
                        let t = text.trim().to_string();
                        self.overlay = Overlay::None;
                        self.apply_entry(sets, &t);
                    }
                    KeyCode::Char(c) if text.len() < 32 && sets.accepts(c) => text.push(c),
                    _ => {}
                }
            }
            Overlay::Picker { index, path } => match path {
                Some(p) => match key.code {
                    KeyCode::Esc => *path = None,
                    KeyCode::Backspace => {
                        p.pop();
                    }
                    KeyCode::Enter => {
                        let p = p.clone();
                        self.open_preset(&p);
                    }
                    KeyCode::Char(c) if p.len() < 4096 => p.push(c),
                    _ => {}
                },
                None => {
                    let count = bundled::BUNDLED.len();
                    match key.code {
                        KeyCode::Esc | KeyCode::Char('q') => self.overlay = Overlay::None,
                        KeyCode::Up | KeyCode::Char('k') => *index = (*index + count - 1) % count,
                        KeyCode::Down | KeyCode::Char('j') => *index = (*index + 1) % count,
                        KeyCode::Char('/') | KeyCode::Char('f') => *path = Some(String::new()),
                        KeyCode::Enter => {
                            let name = bundled::BUNDLED[*index].0;
                            self.open_preset(name);
                        }
                        _ => {}
                    }
                }
            },
        }
    }

    /// Loads a preset by name or path; on failure the running simulation is
    /// kept and the error shown.
    pub fn open_preset(&mut self, arg: &str) {
        match preset::load(arg, &[]) {
            Ok(s) => {
                let export_dir = self.export_dir.clone();
                *self = App::new(s);
                self.export_dir = export_dir;
                self.message = Some(Message::Info(format!("opened {arg}")));
            }
            Err(e) => {
                let first = e.to_string().lines().next().unwrap_or("").to_string();
                self.message = Some(Message::Error(first));
                self.overlay = Overlay::None;
            }
        }
    }

    pub fn apply(&mut self, cmd: Command) {
        self.dirty = true;
        match cmd {
            Command::Quit => self.quit = true,
            Command::AdjustInput { fine_steps } => {
                let x = self.input_level() + fine_steps as f64 * fine_step(self.kind());
                self.set_input_level(x);
            }
            Command::EnterInput => {
                self.overlay = Overlay::Entry {
                    text: String::new(),
                    sets: EntryFor::Input,
                }
            }
            Command::TogglePause => {
                if self.unstable.is_some() {
                    self.message = Some(Message::Error(
                        "the state is not finite: reset (r) or open another preset (o)".into(),
                    ));
                    return;
                }
                self.running = !self.running;
                self.clock.clear();
            }
            Command::StepOnce => {
                self.running = false;
                self.advance(1);
            }
            Command::StepSweep => {
                // Deferred and not summed: repeated presses before the next
                // frame ask for one sweep.
                self.running = false;
                let steps = (self.window_s / self.sim.dt_s()).round() as u64;
                self.pending_steps = self.pending_steps.max(steps.max(1));
            }
            Command::Faster => self.clock.speed = (self.clock.speed * 2.0).min(1e4),
            Command::Slower => self.clock.speed = (self.clock.speed / 2.0).max(1e-4),
            Command::ZoomIn => self.window_s = (self.window_s / 2.0).max(self.min_window()),
            Command::ZoomOut => self.window_s = (self.window_s * 2.0).min(self.max_window()),
            Command::SwitchModel => {
                let next = match self.kind() {
                    ModelKind::Hh => "lif-constant",
                    ModelKind::Lif => "network-abc",
                    ModelKind::Network | ModelKind::Rate | ModelKind::Synapse => "hh-repetitive",
                };
                self.open_preset(next);
            }
            Command::SelectNeuron => {
                self.overlay = Overlay::Entry {
                    text: String::new(),
                    sets: EntryFor::Neuron,
                }
            }
            Command::SelectNext => self.select((self.selected + 1) % self.neuron_count()),
            Command::SelectPrevious => {
                let n = self.neuron_count();
                self.select((self.selected + n - 1) % n);
            }
            Command::AdjustBias { tenths } => {
                let i = self.selected;
                let delta = tenths as f64 * 0.1;
                let round = |b: f64| (b * 1e6).round() / 1e6;
                match &mut self.sim.model {
                    AnyModel::Network(n) => n.bias[i] = round(n.bias[i] + delta),
                    AnyModel::Rate(r) => r.bias[i] = round(r.bias[i] + delta),
                    _ => {
                        self.message = Some(Message::Info(
                            "biases belong to network neurons; Up/Down change the input".into(),
                        ))
                    }
                }
            }
            Command::ToggleTrigger => {
                self.trigger = match self.trigger {
                    TriggerMode::Free => TriggerMode::Spike,
                    TriggerMode::Spike => TriggerMode::Roll,
                    TriggerMode::Roll => TriggerMode::Free,
                }
            }
            Command::ShowPane(p) => self.pane = p,
            Command::NextPane => {
                let k = Pane::ALL.iter().position(|&p| p == self.pane).unwrap_or(0);
                self.pane = Pane::ALL[(k + 1) % Pane::ALL.len()];
            }
            Command::AdjustOrder { by } => {
                self.psc_order = (self.psc_order as i64 + by as i64).clamp(0, 8) as usize;
            }
            Command::Reset => {
                self.sim.reset();
                self.probes.clear();
                self.traced_since_s = None;
                self.probes.record(&self.sim);
                self.stats = SpikeStats::new(self.neuron_count());
                self.unstable = None;
                self.message = None;
                self.clock.clear();
            }
            Command::OpenPicker => {
                self.overlay = Overlay::Picker {
                    index: 0,
                    path: None,
                }
            }
            Command::ToggleHelp => {
                self.overlay = if self.overlay == Overlay::Help {
                    Overlay::None
                } else {
                    Overlay::Help
                }
            }
            Command::Export => self.export(),
            Command::Back => {
                self.overlay = Overlay::None;
                if self.pane != Pane::Scope && self.message.is_none() {
                    self.pane = Pane::Scope;
                }
                self.message = None;
            }
        }
    }

    /// Runs the steps keys asked for.
    pub fn run_pending(&mut self) {
        let steps = std::mem::take(&mut self.pending_steps);
        self.advance(steps);
    }

    /// The sampling interval of the probes (s).
    pub fn sample_interval_s(&self) -> f64 {
        self.probes.sample_every as f64 * self.sim.dt_s()
    }

    fn min_window(&self) -> f64 {
        (self.sim.dt_s() * 50.0).max(1e-4)
    }

    fn max_window(&self) -> f64 {
        self.sample_interval_s() * (PROBE_CAPACITY as f64 * 0.9)
    }

    /// Advances `steps` steps into the probes; an unstable state pauses the
    /// simulation and says where (the probes keep the last good samples).
    pub fn advance(&mut self, steps: u64) {
        if self.unstable.is_some() || steps == 0 {
            return;
        }
        self.dirty = true;
        let mut monitor = UiMonitor {
            probes: &mut self.probes,
            stats: &mut self.stats,
        };
        if let Err(RunError::Unstable(i)) = self.sim.advance(steps, &mut monitor) {
            self.running = false;
            self.message = Some(Message::Error(format!("paused: {i}")));
            self.unstable = Some(i);
        }
    }

    /// Advances by the simulated time due after `real` elapsed (running
    /// only), within the step budget.
    pub fn tick(&mut self, real: Duration, budget: u64) -> u64 {
        if !self.running {
            return 0;
        }
        let steps = self
            .clock
            .steps_due(real, self.sim.dt_s(), budget.min(MAX_STEPS_PER_FRAME));
        self.advance(steps);
        self.clock.measure(steps as f64 * self.sim.dt_s(), real);
        steps
    }

    /// Writes the visible samples (the time window) to
    /// `spikescope-<preset>-<t>ms.csv`, atomically.
    pub fn export(&mut self) {
        let now = self.sim.time_s();
        let from = now - self.window_s;
        let name: String = self
            .scenario
            .origin
            .rsplit('/')
            .next()
            .unwrap_or("preset")
            .trim_end_matches(".toml")
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let file = self
            .export_dir
            .join(format!("spikescope-{name}-{:.0}ms.csv", now * 1e3));
        let header: Vec<String> = std::iter::once("time_s".to_string())
            .chain(self.probes.columns.iter().map(|&c| self.columns[c].clone()))
            .collect();
        let times: Vec<f64> = self.probes.times().collect();
        let values: Vec<Vec<f64>> = (0..self.probes.columns.len())
            .map(|k| self.probes.values(k).collect())
            .collect();
        let rows = times
            .iter()
            .enumerate()
            .filter(|(_, t)| **t >= from - 1e-12)
            .map(|(r, &t)| {
                std::iter::once(t)
                    .chain(values.iter().map(|v| v[r]))
                    .collect()
            });
        self.message = Some(match write_csv_atomically(&file, &header, rows) {
            Ok(()) => Message::Info(format!("exported the visible traces to {}", file.display())),
            Err(e) => Message::Error(format!("export failed: {e}")),
        });
    }
}

/// Probes of the columns worth drawing (all for single neurons; v and s of
/// the first MAX_TRACED_NEURONS network neurons, and in a larger network two
/// more places for the selected neuron's, see `App::traces_of`), sampled so
/// that PROBE_CAPACITY covers several windows and a window has ~2000 samples.
fn make_probes(sim: &Simulation, columns: &[String], window_s: f64) -> Probes {
    let n = sim.model.neuron_count();
    let k = n.min(MAX_TRACED_NEURONS);
    let recorded: Vec<usize> = match sim.model.kind() {
        ModelKind::Hh | ModelKind::Lif | ModelKind::Synapse => (0..columns.len()).collect(),
        ModelKind::Network if n > k => (0..k).chain(n..n + k).chain([k, n + k]).collect(),
        ModelKind::Network | ModelKind::Rate => (0..k).chain(n..n + k).collect(),
    };
    let every = ((window_s / 2000.0) / sim.dt_s()).floor().max(1.0) as u64;
    Probes::new(recorded, PROBE_CAPACITY, PROBE_CAPACITY, every)
}
