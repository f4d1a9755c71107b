//! When a network's spikes fall in time, and whether exact timing works
//! out the inputs that land inside a crossing's own step (preset keys
//! `network.spike_timing` and `network.in_step_resolve`).

use crate::named::Named;

/// Where a network's spikes fall in time (preset key `network.spike_timing`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SpikeTiming {
    /// Event-exact: a crossing is located inside its step and its input
    /// reaches the targets at that time (the module's doc); spike times do
    /// not depend on dt.
    #[default]
    Exact,
    /// Grid-constrained (clock-driven), as Brian2 with `method='exact'` and
    /// NEST's grid models: each step is propagated exactly without its
    /// inputs, the threshold is tested at the step's end, a spike is stamped
    /// at the step's start and reaches its targets at the step's end
    /// (`grid.rs`). Cheaper, and an O(dt) error in every spike time.
    Grid,
}

impl Named for SpikeTiming {
    const ALL: &'static [SpikeTiming] = &[SpikeTiming::Exact, SpikeTiming::Grid];

    fn name(self) -> &'static str {
        match self {
            SpikeTiming::Exact => "exact",
            SpikeTiming::Grid => "grid",
        }
    }
}

/// Whether event-exact timing solves a neuron again when an input of the
/// step lands before its crossing in the same step (resolve.rs); preset
/// key `network.in_step_resolve`. Grid timing has no in-step inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InStepResolve {
    /// Below `EXACT_IN_STEP_BELOW` neurons (network/mod.rs), where it costs
    /// little.
    #[default]
    Auto,
    /// At every size, on one thread (the two-thread step does not look
    /// for the neurons to solve again): spike times that do not depend on
    /// dt however large the network.
    Always,
    /// Never: the crossing is located without such an input, which acts
    /// from the step's end (an error in the spike time within the step).
    Never,
}

impl Named for InStepResolve {
    const ALL: &'static [InStepResolve] = &[
        InStepResolve::Auto,
        InStepResolve::Always,
        InStepResolve::Never,
    ];

    fn name(self) -> &'static str {
        match self {
            InStepResolve::Auto => "auto",
            InStepResolve::Always => "always",
            InStepResolve::Never => "never",
        }
    }
}
