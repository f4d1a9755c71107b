//! What the oscilloscope shows, in words a preset can use: the panes, the
//! sweep modes and the settings a preset opens with. No terminal code: the
//! preset reads these names and the UI draws them.

use crate::named::Named;

/// Which picture the main area shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    /// The live traces, gates or synaptic current, and the raster.
    Scope,
    /// HH gate functions x_inf(V) and tau_x(V), the current V marked.
    Gates,
    /// The rate against the input: G(v_in) for LIF, the measured f-I points
    /// for any spiking model.
    Rate,
    /// The PSC filter h(t): the model's own filters, and one to explore.
    Psc,
    /// The activation functions, the model's own marked.
    Activation,
    /// The weight matrix with its bias column, [W | b].
    Weights,
    /// The phase plane: HH's (V, n) with the reduced nullclines, a network
    /// neuron's (v, s), a LIF neuron's phase line.
    Phase,
    /// The selected neuron's inter-spike interval histogram.
    Isi,
}

impl Named for Pane {
    const ALL: &'static [Pane] = &[
        Pane::Scope,
        Pane::Gates,
        Pane::Rate,
        Pane::Psc,
        Pane::Activation,
        Pane::Weights,
        Pane::Phase,
        Pane::Isi,
    ];

    fn name(self) -> &'static str {
        match self {
            Pane::Scope => "scope",
            Pane::Gates => "gates",
            Pane::Rate => "rate",
            Pane::Psc => "psc",
            Pane::Activation => "activation",
            Pane::Weights => "weights",
            Pane::Phase => "phase",
            Pane::Isi => "isi",
        }
    }
}

/// How the oscilloscope sweeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TriggerMode {
    /// Free-running sweeps: the trace is written left to right over a fixed
    /// time axis and starts again at the left edge, erasing ahead of itself,
    /// so each frame changes only the columns the sweep advanced.
    #[default]
    Free,
    /// Each sweep starts at a spike of the selected neuron (less the
    /// pre-trigger); the last sweeps are drawn on top of each other.
    Spike,
    /// Single shot: armed, the first spike's sweep is captured and the
    /// simulation holds there until Space re-arms it.
    Single,
    /// Scrolling: the window always ends at the present.
    Roll,
}

impl Named for TriggerMode {
    const ALL: &'static [TriggerMode] = &[
        TriggerMode::Free,
        TriggerMode::Spike,
        TriggerMode::Single,
        TriggerMode::Roll,
    ];

    fn name(self) -> &'static str {
        match self {
            TriggerMode::Free => "free",
            TriggerMode::Spike => "spike",
            TriggerMode::Single => "single",
            TriggerMode::Roll => "roll",
        }
    }
}

/// Fraction of the window shown before the trigger, unless a preset says.
pub const DEFAULT_PRE_TRIGGER: f64 = 0.2;

/// The fastest the oscilloscope runs, simulated seconds per real second,
/// as a preset's `view.speed` asks or the keys reach (the machine may not
/// keep up: the status line says what it achieves).
pub const FASTEST: f64 = 1e6;

/// What the oscilloscope shows at start.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ViewSettings {
    pub window_s: Option<f64>,
    pub selected: Option<usize>,
    pub trigger: TriggerMode,
    /// Fraction of the window before the trigger (0 to 0.9).
    pub pre_trigger: Option<f64>,
    /// Simulated seconds per real second.
    pub speed: Option<f64>,
    pub pane: Option<Pane>,
    pub paused: bool,
    /// Pause when the preset's duration is reached, keeping the whole
    /// protocol on screen (a single spike, a clamp family).
    pub one_shot: bool,
}
