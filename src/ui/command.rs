//! What a key asks the app to do. Keys map to commands (keymap.rs) and only
//! `App::apply` changes state.

/// Which picture the main area shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    /// The live traces, gates or synaptic current, and the raster.
    Scope,
    /// HH gate functions x_inf(V) and tau_x(V), the current V marked.
    Gates,
    /// The LIF rate curve G(v_in), the operating point and measured rate.
    Rate,
    /// The PSC filter h(t) for the current tau_s and order n.
    Psc,
    /// The activation functions.
    Activation,
    /// The weight matrix with its bias column, [W | b].
    Weights,
}

impl Pane {
    pub const ALL: [Pane; 6] = [
        Pane::Scope,
        Pane::Gates,
        Pane::Rate,
        Pane::Psc,
        Pane::Activation,
        Pane::Weights,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Pane::Scope => "scope",
            Pane::Gates => "gates",
            Pane::Rate => "rate",
            Pane::Psc => "psc",
            Pane::Activation => "activation",
            Pane::Weights => "weights",
        }
    }

    pub fn from_name(name: &str) -> Option<Pane> {
        Pane::ALL.into_iter().find(|p| p.name() == name)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Quit,
    /// Change the input by this many coarse (±10) or fine (±1) units.
    AdjustInput {
        fine_steps: i32,
    },
    /// Open the field to type an exact input value.
    EnterInput,
    TogglePause,
    /// One integration step.
    StepOnce,
    /// One screen width (the time window) of steps.
    StepSweep,
    Faster,
    Slower,
    ZoomIn,
    ZoomOut,
    SwitchModel,
    /// Type the number of the neuron to select.
    SelectNeuron,
    SelectNext,
    SelectPrevious,
    /// Change the selected neuron's bias by this many tenths.
    AdjustBias {
        tenths: i32,
    },
    ToggleTrigger,
    ShowPane(Pane),
    NextPane,
    /// Change the PSC order shown (psc view and networks).
    AdjustOrder {
        by: i32,
    },
    Reset,
    OpenPicker,
    ToggleHelp,
    Export,
    /// Close an overlay or a message.
    Back,
}
