//! The HH integration methods, their stability limits and default steps, and
//! the inputs each holds stably.

use super::{Gate, HhParams};
use crate::model::math::nice_step_below;
use crate::named::Named;

/// The integration methods on offer. `Rk4` is the default (see the module doc);
/// the others exist so that the choice can be measured and for teaching.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HhMethod {
    /// Classic fourth-order Runge-Kutta on all four variables.
    #[default]
    Rk4,
    /// Exponential (Rush-Larsen) Euler: each gate relaxes exactly towards
    /// x_inf(V) with V held over the step, V by forward Euler. First order.
    ExpEuler,
    /// Forward Euler on all four variables. First order; for comparison.
    Euler,
}

impl Named for HhMethod {
    const ALL: &'static [HhMethod] = &[HhMethod::Rk4, HhMethod::ExpEuler, HhMethod::Euler];

    fn name(self) -> &'static str {
        match self {
            HhMethod::Rk4 => "rk4",
            HhMethod::ExpEuler => "exp_euler",
            HhMethod::Euler => "euler",
        }
    }
}

impl HhMethod {
    /// The largest dt (ms) for which the method stays stable with `params`.
    ///
    /// Two limits, whichever is smaller. The membrane: with the classic
    /// values RK4 is stable up to 0.06 ms for currents from 0 to 1000 µA/cm²
    /// and unstable at 0.07 ms, and the limit scales as C / (g_Na + g_K + g_L)
    /// (doubling the conductances or halving C halves it; measured by
    /// `examples/hh_stability.rs`). The
    /// gates: dt times the fastest gate rate phi (alpha + beta) over the
    /// voltages a membrane visits (-80..+60 mV) must stay inside the method's
    /// real-axis stability interval (RK4 2.785, forward Euler 2; exponential
    /// Euler's gates are unconditionally stable).
    pub fn max_dt_ms(self, params: &HhParams) -> f64 {
        let g_sum = params.g_na + params.g_k + params.g_l;
        let classic_limit = match self {
            HhMethod::Rk4 => 0.06,
            // Forward Euler on V: 2 / 2.785 of RK4's interval.
            HhMethod::Euler | HhMethod::ExpEuler => 0.043,
        };
        let membrane = classic_limit * params.c_m * (156.3 / g_sum.max(1e-9));
        let p = params.phi();
        let mut fastest: f64 = 0.0;
        let mut v = -80.0;
        while v <= 60.0 {
            for g in Gate::ALL {
                let (a, b) = g.alpha_beta(v);
                fastest = fastest.max(p * (a + b));
            }
            v += 0.5;
        }
        let gates = match self {
            HhMethod::Rk4 => 2.785 / fastest,
            HhMethod::Euler => 2.0 / fastest,
            HhMethod::ExpEuler => f64::INFINITY,
        };
        membrane.min(gates)
    }

    /// The input currents (µA/cm²) the method integrates stably at `dt_ms`:
    /// those whose steady state lies between the lowest and the highest
    /// voltage (within -200..+100 mV) at which dt times the fastest gate rate
    /// stays within 85% of the method's stability interval. Hyperpolarizing
    /// currents are the tight side: beta_m grows as e^(-V/18), so at the
    /// default 0.05 ms RK4 holds down to -16.38 µA/cm² (-17.5 fails). The
    /// upper end, 6148, is the current that holds V at +100 mV, where the
    /// scan stops at any step (7000 still runs at 0.05 ms, 7500 fails;
    /// tested below).
    pub fn stable_input_range(self, params: &HhParams, dt_ms: f64) -> (f64, f64) {
        let interval = match self {
            HhMethod::Rk4 => 2.785,
            HhMethod::Euler => 2.0,
            HhMethod::ExpEuler => f64::INFINITY,
        };
        let p = params.phi();
        let stable = |v: f64| {
            Gate::ALL.iter().all(|g| {
                let (a, b) = g.alpha_beta(v);
                dt_ms * p * (a + b) <= 0.85 * interval
            })
        };
        let mut lo = params.e_l.min(-65.0);
        while lo - 0.5 >= -200.0 && stable(lo - 0.5) {
            lo -= 0.5;
        }
        let mut hi = params.e_l.max(-65.0);
        while hi + 0.5 <= 100.0 && stable(hi + 0.5) {
            hi += 0.5;
        }
        (
            -params.steady_current(lo, 0.0),
            -params.steady_current(hi, 0.0),
        )
    }

    /// The default dt (ms): for RK4 0.05 ms at 6.3 °C, where the spike times
    /// are within 2.5e-4 ms of NEURON's converged reference (README, measured
    /// by `examples/hh_integrators.rs`), divided by phi at higher
    /// temperatures (every gate speeds up by phi; `examples/hh_temperature.rs`
    /// measures at most 1.1e-4 ms from -10 to 45 °C), and at most 85% of the
    /// stability limit. The first-order methods need 0.001 ms for 0.05 ms.
    pub fn default_dt_ms(self, params: &HhParams) -> f64 {
        let accurate = match self {
            HhMethod::Rk4 => 0.05,
            HhMethod::ExpEuler | HhMethod::Euler => 0.001,
        } / params.phi().max(1.0);
        nice_step_below(accurate.min(0.85 * self.max_dt_ms(params)))
    }
}

#[cfg(test)]
mod tests {
    use super::super::{HhNeuron, HhParams};
    use super::HhMethod;
    use crate::model::GATE_SLACK;

    /// Whether RK4 at `dt_ms` runs the classic neuron from rest for 200 ms
    /// at input `j_in` (µA/cm²) without the run's instability check
    /// stopping it: V finite, every gate in [0, 1] but for rounding.
    fn holds(j_in: f64, dt_ms: f64) -> bool {
        let mut n = HhNeuron::new(HhParams::default(), None, HhMethod::Rk4);
        let mut spikes = Vec::new();
        let gate = -GATE_SLACK..=1.0 + GATE_SLACK;
        (0..(200.0 / dt_ms).round() as u64).all(|k| {
            n.step_ms(k as f64 * dt_ms, dt_ms, j_in, &mut spikes);
            let s = n.state;
            s.v_mv.is_finite() && [s.m, s.h, s.n].iter().all(|x| gate.contains(x))
        })
    }

    /// The inputs the keyboard may set (the oscilloscope's "J_in = 7000
    /// µA/cm² is outside -16.38 to 6148"): RK4 holds both ends. Below, the
    /// limit is the integrator's: at 0.05 ms -17.5 already fails (beta_m's
    /// e^(-V/18) outgrows the step), at 0.025 ms the range reaches -20.1
    /// and -22 fails. Above, it is the +100 mV the scan stops at, whatever
    /// the step: RK4 at 0.05 ms still holds 7000 and fails at 7500.
    #[test]
    fn the_stable_inputs_hold_and_past_them_rk4_fails() {
        let range = |dt_ms: f64| {
            let (lo, hi) = HhMethod::Rk4.stable_input_range(&HhParams::default(), dt_ms);
            (format!("{lo:.2}"), format!("{hi:.0}"))
        };
        assert_eq!(range(0.05), ("-16.38".into(), "6148".into()));
        assert!(holds(-16.38, 0.05) && holds(6148.0, 0.05) && holds(7000.0, 0.05));
        assert!(!holds(-17.5, 0.05) && !holds(7500.0, 0.05));
        assert_eq!(range(0.025), ("-20.13".into(), "6148".into()));
        assert!(holds(-20.13, 0.025) && !holds(-22.0, 0.025));
    }
}
