//! The Hodgkin-Huxley neuron (notes 1.1.4, SPEC section 4).
//!
//! ```text
//! C dV/dt = J_in - g_L (V - E_L) - g_Na m^3 h (V - E_Na) - g_K n^4 (V - E_K)
//! dx/dt   = phi (alpha_x(V) (1 - x) - beta_x(V) x),   x in {m, h, n}
//! phi     = 3^((T - 6.3)/10)
//! ```
//!
//! V is in mV and time in ms inside this module (the rate functions are written
//! for those units); the public step takes seconds like every other model.
//!
//! Integration is classic RK4 on (V, m, h, n) with the rate functions evaluated
//! exactly; `README.md` ("Choice of the HH integrator") has the measured error
//! against NEURON's converged CVODE run and the cost of the alternatives.
//! Spike times are found on the cubic Hermite interpolant of V over the step
//! (V and dV/dt at both ends), which is fourth-order like the integrator.

mod clamp;
mod method;
mod rates;
pub mod reduced;

pub use method::HhMethod;
pub use rates::{Gate, RATE_TABLE_RANGE_MV, RATE_TABLE_STEP_MV, RateTable, Rates, phi};

use super::Spike;
use super::elementary::exp;
use super::math::{hermite_interior_crossing, hermite_root};

/// Parameters of the Hodgkin-Huxley membrane, in the units of the classic
/// model: µF/cm², mS/cm², mV and °C.
#[derive(Debug, Clone, PartialEq)]
pub struct HhParams {
    /// Membrane capacitance C (µF/cm²).
    pub c_m: f64,
    /// Maximum sodium conductance g_Na (mS/cm²).
    pub g_na: f64,
    /// Maximum potassium conductance g_K (mS/cm²).
    pub g_k: f64,
    /// Leak conductance g_L (mS/cm²).
    pub g_l: f64,
    /// Sodium reversal (zero-current) potential E_Na (mV).
    pub e_na: f64,
    /// Potassium reversal potential E_K (mV).
    pub e_k: f64,
    /// Leak reversal potential E_L (mV).
    pub e_l: f64,
    /// Temperature T (°C); the gate rates scale by phi = 3^((T - 6.3)/10).
    pub temperature: f64,
}

impl Default for HhParams {
    /// The classic squid-axon values, as NEURON's `hh` but with E_L = -54.387 mV
    /// so that the rest is -65 mV.
    fn default() -> Self {
        Self {
            c_m: 1.0,
            g_na: 120.0,
            g_k: 36.0,
            g_l: 0.3,
            e_na: 50.0,
            e_k: -77.0,
            e_l: -54.387,
            temperature: 6.3,
        }
    }
}

/// Lowest and highest temperature (°C) the model accepts: beyond these the
/// squid-axon kinetics are meaningless (and the gates too fast to integrate).
pub const TEMPERATURE_RANGE_C: (f64, f64) = (-10.0, 45.0);
/// The state variables: V (mV) and the gate open fractions m, h, n.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HhState {
    pub v_mv: f64,
    pub m: f64,
    pub h: f64,
    pub n: f64,
}

/// The three ionic currents in µA/cm², written as g·gates·(V - E) so that an
/// outward current is positive (SPEC section 3).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IonicCurrents {
    pub i_na: f64,
    pub i_k: f64,
    pub i_l: f64,
}

impl HhParams {
    pub fn phi(&self) -> f64 {
        phi(self.temperature)
    }

    pub fn currents(&self, s: &HhState) -> IonicCurrents {
        IonicCurrents {
            i_na: self.g_na * s.m * s.m * s.m * s.h * (s.v_mv - self.e_na),
            i_k: self.g_k * s.n * s.n * s.n * s.n * (s.v_mv - self.e_k),
            i_l: self.g_l * (s.v_mv - self.e_l),
        }
    }

    /// The steady state with every gate at x_inf(V).
    pub fn steady_state(&self, v_mv: f64) -> HhState {
        HhState {
            v_mv,
            m: Gate::M.x_inf(v_mv),
            h: Gate::H.x_inf(v_mv),
            n: Gate::N.x_inf(v_mv),
        }
    }

    /// Net steady-state membrane current at `v_mv` with input `j_in`:
    /// J_in minus the ionic currents with the gates at x_inf(V).
    fn steady_current(&self, v_mv: f64, j_in: f64) -> f64 {
        let c = self.currents(&self.steady_state(v_mv));
        j_in - c.i_na - c.i_k - c.i_l
    }

    /// The resting potential for input `j_in`: the lowest root of the
    /// steady-state current where it falls through 0, from -100 mV (or just
    /// below the lowest reversal potential, if lower) to E_L + 30 mV (or just
    /// above the highest), by bisection to machine precision. Without input
    /// every steady state lies between the reversal potentials (the currents
    /// weighted by their conductances sum to 0 there), so the scan finds it
    /// wherever they are: with E_K = 0.5 mV the membrane rests at +0.44 mV,
    /// which a scan ending at E_L + 30 missed, and the neuron started at E_L
    /// and fired on its way up. Returns `None` when there is no such root
    /// (no conductance at all).
    pub fn resting_potential(&self, j_in: f64) -> Option<f64> {
        // The steady-state current is decreasing through the physiological
        // rest; scan upward for its first downward sign change, on the grid
        // of 0.5 mV from -100 mV (the same brackets, and so the same bits,
        // for every set of reversal potentials above -100 mV).
        let step = 0.5;
        let lowest = self.e_na.min(self.e_k).min(self.e_l) - 1.0;
        let mut lo = -100.0 - step * ((-100.0 - lowest) / step).ceil().max(0.0);
        let mut f_lo = self.steady_current(lo, j_in);
        let top = (self.e_l + 30.0).max(self.e_na.max(self.e_k).max(self.e_l) + 1.0);
        while lo < top {
            let hi = lo + step;
            let f_hi = self.steady_current(hi, j_in);
            if f_lo > 0.0 && f_hi <= 0.0 {
                let (mut a, mut b) = (lo, hi);
                for _ in 0..200 {
                    let mid = 0.5 * (a + b);
                    if mid == a || mid == b {
                        break;
                    }
                    if self.steady_current(mid, j_in) > 0.0 {
                        a = mid;
                    } else {
                        b = mid;
                    }
                }
                return Some(0.5 * (a + b));
            }
            lo = hi;
            f_lo = f_hi;
        }
        None
    }

    /// The state the model starts from: V_rest for zero input, gates at x_inf.
    pub fn rest_state(&self) -> HhState {
        let v = self.resting_potential(0.0).unwrap_or(self.e_l);
        self.steady_state(v)
    }

    /// Time derivatives (mV/ms, 1/ms) of the state under input `j_in`, the
    /// rates from `table`.
    #[inline(always)]
    pub fn derivatives(&self, table: &RateTable, s: &HhState, j_in: f64, phi: f64) -> HhState {
        let r = table.at(s.v_mv);
        HhState {
            v_mv: self.dv_dt(s, j_in),
            m: phi * (r.alpha_m * (1.0 - s.m) - r.beta_m * s.m),
            h: phi * (r.alpha_h * (1.0 - s.h) - r.beta_h * s.h),
            n: phi * (r.alpha_n * (1.0 - s.n) - r.beta_n * s.n),
        }
    }
}

impl HhParams {
    /// Whether V, at `v0` rising by `d0` per step at the start and at `v1`
    /// below 0 at the end of a step of `dt_ms`, can peak at 0 mV or above
    /// inside the step. The cubic Hermite interpolant rises at most
    /// 4/27 (d0 + max(-d1, 0)) above its higher end, and -dV/dt at the end is
    /// at most Σ g_x max(V - E_x, 0) - J over C, each gate fraction being at
    /// most 1: a bound without the gates, so most steps need nothing more.
    #[inline]
    fn may_peak_above_0(&self, v0: f64, d0: f64, v1: f64, j_in: f64, dt_ms: f64) -> bool {
        let over = |e: f64| (v1 - e).max(0.0);
        let outward =
            self.g_na * over(self.e_na) + self.g_k * over(self.e_k) + self.g_l * over(self.e_l);
        let fall = ((outward - j_in) / self.c_m).max(0.0) * dt_ms;
        v0.max(v1) + 4.0 / 27.0 * (d0 + fall) >= 0.0
    }

    /// dV/dt (mV/ms) = (J_in - I_Na - I_K - I_L) / C, with the currents as
    /// `currents` writes them.
    #[inline]
    pub fn dv_dt(&self, s: &HhState, j_in: f64) -> f64 {
        let m3h = s.m * s.m * s.m * s.h;
        let n4 = (s.n * s.n) * (s.n * s.n);
        let i_ion = self.g_na * m3h * (s.v_mv - self.e_na)
            + self.g_k * n4 * (s.v_mv - self.e_k)
            + self.g_l * (s.v_mv - self.e_l);
        (j_in - i_ion) / self.c_m
    }
}

#[inline]
fn axpy(s: &HhState, k: &HhState, a: f64) -> HhState {
    HhState {
        v_mv: s.v_mv + a * k.v_mv,
        m: s.m + a * k.m,
        h: s.h + a * k.h,
        n: s.n + a * k.n,
    }
}

/// A Hodgkin-Huxley neuron: parameters, state and the chosen method.
#[derive(Debug, Clone)]
pub struct HhNeuron {
    pub params: HhParams,
    pub state: HhState,
    pub method: HhMethod,
    /// phi for the current temperature, kept so the step does no `powf`.
    phi: f64,
    /// Voltage clamp: the input is the held V (mV), not a current.
    pub clamp: bool,
    table: &'static RateTable,
}

impl HhNeuron {
    pub fn new(params: HhParams, v_init_mv: Option<f64>, method: HhMethod) -> Self {
        let state = match v_init_mv {
            Some(v) => params.steady_state(v),
            None => params.rest_state(),
        };
        let phi = params.phi();
        Self {
            params,
            state,
            method,
            phi,
            clamp: false,
            table: RateTable::get(),
        }
    }

    /// Re-reads the parameters after a change (for example the temperature).
    pub fn set_params(&mut self, params: HhParams) {
        self.phi = params.phi();
        self.params = params;
    }

    pub fn currents(&self) -> IonicCurrents {
        self.params.currents(&self.state)
    }

    /// Advances one step of `dt_ms` with input `j_in` (µA/cm²) held over the
    /// step, which starts at `t0_ms`. Appends a spike (time in s) when V crosses
    /// 0 mV upwards inside the step.
    #[inline]
    pub fn step_ms(&mut self, t0_ms: f64, dt_ms: f64, j_in: f64, spikes: &mut Vec<Spike>) {
        if self.clamp {
            self.clamp_step_ms(dt_ms, j_in);
            return;
        }
        let p = &self.params;
        let t = self.table;
        let s0 = self.state;
        let phi = self.phi;
        let (s1, k1_v) = match self.method {
            HhMethod::Rk4 => {
                let k1 = p.derivatives(t, &s0, j_in, phi);
                let k2 = p.derivatives(t, &axpy(&s0, &k1, 0.5 * dt_ms), j_in, phi);
                let k3 = p.derivatives(t, &axpy(&s0, &k2, 0.5 * dt_ms), j_in, phi);
                let k4 = p.derivatives(t, &axpy(&s0, &k3, dt_ms), j_in, phi);
                let w = dt_ms / 6.0;
                let s1 = HhState {
                    v_mv: s0.v_mv + w * (k1.v_mv + 2.0 * (k2.v_mv + k3.v_mv) + k4.v_mv),
                    m: s0.m + w * (k1.m + 2.0 * (k2.m + k3.m) + k4.m),
                    h: s0.h + w * (k1.h + 2.0 * (k2.h + k3.h) + k4.h),
                    n: s0.n + w * (k1.n + 2.0 * (k2.n + k3.n) + k4.n),
                };
                (s1, k1.v_mv)
            }
            HhMethod::ExpEuler => {
                let d = p.derivatives(t, &s0, j_in, phi);
                let gates = relax_gates(&s0, &Rates::at(s0.v_mv), phi, dt_ms);
                let s1 = HhState {
                    v_mv: s0.v_mv + dt_ms * d.v_mv,
                    ..gates
                };
                (s1, d.v_mv)
            }
            HhMethod::Euler => {
                let d = p.derivatives(t, &s0, j_in, phi);
                (axpy(&s0, &d, dt_ms), d.v_mv)
            }
        };
        self.state = s1;
        // A spike is V rising through 0 mV: between the step's ends, or, at
        // a high input where the oscillation's peaks barely reach 0, at a
        // peak inside the step that V rose to and fell from (V rising at
        // the start is needed for one). Where, from the cubic Hermite
        // interpolant of V and dV/dt at both ends.
        if s0.v_mv < 0.0
            && (s1.v_mv >= 0.0
                || (k1_v > 0.0 && p.may_peak_above_0(s0.v_mv, k1_v * dt_ms, s1.v_mv, j_in, dt_ms)))
        {
            let d1 = p.dv_dt(&s1, j_in);
            let (y0, d0, y1, d1) = (s0.v_mv, k1_v * dt_ms, s1.v_mv, d1 * dt_ms);
            let frac = if y1 >= 0.0 {
                Some(hermite_root(y0, d0, y1, d1))
            } else {
                hermite_interior_crossing(y0, d0, y1, d1)
            };
            if let Some(frac) = frac {
                spikes.push(Spike {
                    neuron: 0,
                    time_s: (t0_ms + frac * dt_ms) * 1e-3,
                });
            }
        }
    }
}

impl HhNeuron {
    /// A voltage-clamp step: V is held at `v_mv` over the step, so each gate
    /// relaxes exactly, x(dt) = x_inf + (x - x_inf) e^(-dt/tau_x), at any dt.
    /// A clamped membrane makes no spikes.
    fn clamp_step_ms(&mut self, dt_ms: f64, v_mv: f64) {
        let gates = relax_gates(&self.state, &Rates::at(v_mv), self.phi, dt_ms);
        self.state = HhState { v_mv, ..gates };
    }
}

/// Each gate relaxed exactly towards x_inf over `dt_ms` with the rates held
/// (Rush-Larsen: x(dt) = x_inf + (x - x_inf) e^(-phi (alpha + beta) dt),
/// Brian2's exponential Euler for the gates); V is left as it was.
pub(super) fn relax_gates(s: &HhState, r: &Rates, phi: f64, dt_ms: f64) -> HhState {
    let relax = |x: f64, a: f64, b: f64| {
        let inf = a / (a + b);
        inf + (x - inf) * exp(-phi * (a + b) * dt_ms)
    };
    HhState {
        v_mv: s.v_mv,
        m: relax(s.m, r.alpha_m, r.beta_m),
        h: relax(s.h, r.alpha_h, r.beta_h),
        n: relax(s.n, r.alpha_n, r.beta_n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The integrators agree on the single spike of a brief pulse: the
    /// fourth-order and first-order steps within what their orders promise.
    #[test]
    fn the_methods_agree_on_a_spike() {
        let first_spike = |method: HhMethod, dt_ms: f64| {
            let mut n = HhNeuron::new(HhParams::default(), None, method);
            let mut spikes = Vec::new();
            let mut k = 0u64;
            while spikes.is_empty() && k < 1_000_000 {
                n.step_ms(k as f64 * dt_ms, dt_ms, 10.0, &mut spikes);
                k += 1;
            }
            spikes[0].time_s
        };
        let rk4 = first_spike(HhMethod::Rk4, 0.01);
        assert!((first_spike(HhMethod::Rk4, 0.05) - rk4).abs() < 1e-7);
        assert!((first_spike(HhMethod::ExpEuler, 0.001) - rk4).abs() < 1e-4);
        assert!((first_spike(HhMethod::Euler, 0.001) - rk4).abs() < 1e-4);
    }

    /// The model starts at its rest wherever the reversal potentials put
    /// it: with E_K = 0.5 mV the steady-state current falls through 0 at
    /// +0.44 mV, above E_L + 30, and the neuron stays there (it started at
    /// E_L and fired on its way up); with E_K = -150 mV it rests below the
    /// classic -65 mV; the classic rest is the same to the bit.
    #[test]
    fn the_rest_is_found_between_the_reversal_potentials() {
        let rest_of = |e_k: f64| {
            let p = HhParams {
                e_k,
                ..HhParams::default()
            };
            (p.resting_potential(0.0).unwrap(), p)
        };
        let (v, p) = rest_of(0.5);
        assert!((v - 0.4419).abs() < 1e-4, "{v}");
        assert!(p.steady_current(v, 0.0).abs() < 1e-9);
        let mut n = HhNeuron::new(p, None, HhMethod::Rk4);
        let mut spikes = Vec::new();
        for k in 0..2000 {
            n.step_ms(k as f64 * 0.05, 0.05, 0.0, &mut spikes);
        }
        assert!(
            spikes.is_empty() && (n.state.v_mv - v).abs() < 1e-6,
            "{:?}",
            n.state
        );
        let (v, p) = rest_of(-150.0);
        assert!(v < -65.0 && p.steady_current(v, 0.0).abs() < 1e-9, "{v}");
        let (v, _) = rest_of(HhParams::default().e_k);
        assert_eq!(v.to_bits(), (-64.99637933119206f64).to_bits());
    }
}
