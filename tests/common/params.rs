//! The parameters panel driven as a user does, and the HH state it changes.

use spikescope::model::AnyModel;
use spikescope::ui::app::App;
use spikescope::ui::command::Command;

/// Chooses row `row` of the open panel and presses Enter.
pub fn choose(a: &mut App, row: i32) {
    a.apply(Command::OpenParams);
    a.apply(Command::MoveParam(-100));
    a.apply(Command::MoveParam(row));
    a.apply(Command::EditParam);
}

/// V (mV), m, h, n and g_Na of an HH preset's neuron.
pub fn hh_state(a: &App) -> (f64, f64, f64, f64, f64) {
    match &a.sim.model {
        AnyModel::Hh(n) => (n.state.v_mv, n.state.m, n.state.h, n.state.n, n.params.g_na),
        _ => panic!("an HH preset"),
    }
}
