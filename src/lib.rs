//! spikescope: a terminal oscilloscope for neuron models.
//!
//! The simulation core (`model`, `sim`) knows nothing of the terminal; the
//! preset loader (`preset`) turns TOML scenarios into simulations; `cli`
//! implements the headless commands; `session` records and replays the
//! changes a user makes while a simulation runs.

pub mod cli;
pub mod exit;
pub mod export;
pub mod figure;
pub mod file_kind;
pub mod lab;
pub mod model;
pub mod named;
pub mod preset;
pub mod session;
pub mod sim;
pub mod sysmem;
pub mod text;
pub mod ui;
pub mod view;
pub mod waiting;
