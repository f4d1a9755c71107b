//! Exit statuses (SPEC section 1), shared by the headless commands and the
//! oscilloscope.

/// A failure while running: an output that cannot be written, a state that
/// stopped being finite, a terminal that cannot be set up.
pub const EXIT_FAILURE: u8 = 1;
/// Bad arguments or an invalid preset.
pub const EXIT_USAGE: u8 = 2;
