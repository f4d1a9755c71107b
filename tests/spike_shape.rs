//! The oscilloscope's shape of HH's last spike (`LastSpikeShape`, fed at
//! every step) is the lab's measure of the run's own rows of V at every
//! step: a spike measured once the next one has come or its AHP window has
//! passed, and only if the rows so far hold it whole. Under a change of
//! g_K or g_L while it runs, as the parameters panel makes it, some spikes
//! go into a plateau and are measured only when V falls below their half
//! level, long after their AHP window; the readout had gone on with the
//! spike before (found by the screen-truth rounds, seed 3119).

mod common;

use proptest::prelude::*;
use spikescope::lab::spike_shape::{AHP_WINDOW_S, SpikeShape, spike_shape};
use spikescope::model::AnyModel;
use spikescope::ui::app::App;
use spikescope::ui::command::Command;

/// Sets row `row` of the parameters panel (0 g_Na, 1 g_K, 2 g_L) to `value`.
fn set(a: &mut App, row: i32, value: f64) {
    common::params::choose(a, row);
    a.apply(Command::SetParam(value.to_string()));
    a.apply(Command::Back);
}

/// The lab's measure of the last spike due by `now_s`, from the rows so
/// far: `samples` (time s, V mV) and the spikes' times.
fn lab_last(samples: &[(f64, f64)], spikes: &[f64], now_s: f64) -> Option<SpikeShape> {
    spikes
        .iter()
        .enumerate()
        .filter_map(|(k, &t)| {
            let next = spikes.get(k + 1).copied();
            let due = next.is_some() || now_s >= t + (AHP_WINDOW_S + 0.005);
            due.then(|| spike_shape(samples, t, next)).flatten()
        })
        .next_back()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn the_last_spike_shape_is_the_labs_measure_at_every_step(
        row in 1i32..3,
        lowered in prop_oneof![0.1f64..1.0, 1.0f64..5.0, 5.0f64..30.0],
        at in 100usize..2000,
        held in 50usize..4000,
        j_in in 6.0f64..20.0,
    ) {
        let mut a = common::paused_app("hh-repetitive", 0);
        a.apply(Command::SetInput(j_in));
        let AnyModel::Hh(neuron) = &a.sim.model else { panic!("HH") };
        let preset_value = [neuron.params.g_na, neuron.params.g_k, neuron.params.g_l][row as usize];
        let mut samples = vec![(a.sim.time_s(), neuron.state.v_mv)];
        let mut spikes: Vec<f64> = Vec::new();
        for step in 0..6000 {
            if step == at {
                set(&mut a, row, lowered);
            }
            if step == at + held {
                set(&mut a, row, preset_value);
            }
            let count = a.traces.stats.count[0];
            a.advance(1);
            if a.traces.stats.count[0] > count {
                spikes.push(a.traces.stats.last[0][1]);
            }
            let AnyModel::Hh(neuron) = &a.sim.model else { panic!("HH") };
            samples.push((a.sim.time_s(), neuron.state.v_mv));
            let shown = a.traces.spike_shape.as_ref().unwrap().last;
            prop_assert_eq!(shown, lab_last(&samples, &spikes, a.sim.time_s()), "step {}", step);
        }
    }
}
