//! Lab instruments without a screen: what the oscilloscope's instrument
//! views show and the headless commands write. Like `model` and `sim`, this
//! knows nothing of the terminal.

pub mod clamp;
pub mod firing;
pub mod isi;
pub mod lone;
pub mod recording;
mod set_values;
pub mod spike_shape;
pub mod sweep;
pub mod threshold;
