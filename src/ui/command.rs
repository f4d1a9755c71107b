//! What a key asks the app to do. Keys (keymap.rs) and overlays map to
//! commands, and only `App::apply` changes state.

use crate::view::Pane;

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Quit,
    /// Change the input by this many fine steps (10 make a coarse one).
    AdjustInput {
        fine_steps: i32,
    },
    /// Open the field to type an exact input value.
    EnterInput,
    /// Set the input to a typed value.
    SetInput(f64),
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
    /// Select neuron i.
    Select(usize),
    SelectNext,
    SelectPrevious,
    /// Change the selected neuron's bias by this many tenths.
    AdjustBias {
        tenths: i32,
    },
    /// Cycle the sweep: free, spike, single, roll.
    ToggleTrigger,
    /// Arm a single-shot sweep (and run until it is captured).
    SingleShot,
    /// Change the pre-trigger by this many tenths of the window.
    AdjustPreTrigger {
        tenths: i32,
    },
    ShowPane(Pane),
    NextPane,
    /// Change the explored PSC filter's order.
    AdjustOrder {
        by: i32,
    },
    /// Change the explored PSC filter's tau_s by this many factors √2.
    AdjustTauS {
        halves: i32,
    },
    /// The PSC view's h(t) on a log scale, or back on a linear one.
    TogglePscLogScale,
    Reset,
    OpenPicker,
    /// Open a preset by bundled name or path.
    OpenPreset(String),
    ToggleHelp,
    /// What the preset asks to look at.
    ShowGuide,
    Export,
    /// Write the screen as shown (text and SVG).
    WriteScreen,
    /// Start (or stop) an f-I sweep of the input, drawn in the rate view.
    FiSweep,
    /// Open the live parameters panel.
    OpenParams,
    /// Freeze the scope's traces as a reference, or clear it.
    ToggleReference,
    /// Time cursors: show A, switch to B, hide.
    CycleCursors,
    /// Move the active cursor by this many hundredths of the window.
    MoveCursor(i32),
    /// Choose the panel's row this many rows on.
    MoveParam(i32),
    /// Change the chosen parameter: toggle a blocker, or type a value.
    EditParam,
    /// Set the chosen parameter to a typed value.
    SetParam(String),
    /// Close an overlay, a message or a view.
    Back,
}
