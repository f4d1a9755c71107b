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

use super::Spike;

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

/// The six rate functions of SPEC section 4, in 1/ms at 6.3 °C.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rates {
    pub alpha_m: f64,
    pub beta_m: f64,
    pub alpha_h: f64,
    pub beta_h: f64,
    pub alpha_n: f64,
    pub beta_n: f64,
}

/// `(e^x - 1) / x`, continuous at 0 where it is 1. `exp_m1` keeps full
/// precision for small |x|, so only x = 0 itself needs the limit.
#[inline]
pub fn exprel(x: f64) -> f64 {
    if x == 0.0 { 1.0 } else { x.exp_m1() / x }
}

impl Rates {
    /// Evaluates all six rates at `v_mv`. alpha_m and alpha_n are written as
    /// `k / exprel(-(V - V0)/10)`, which removes their 0/0 at V = -40 and
    /// V = -55 mV (limits 1.0 and 0.1).
    #[inline]
    pub fn at(v_mv: f64) -> Self {
        Self {
            alpha_m: 1.0 / exprel(-(v_mv + 40.0) / 10.0),
            beta_m: 4.0 * (-(v_mv + 65.0) / 18.0).exp(),
            alpha_h: 0.07 * (-(v_mv + 65.0) / 20.0).exp(),
            beta_h: 1.0 / (1.0 + (-(v_mv + 35.0) / 10.0).exp()),
            alpha_n: 0.1 / exprel(-(v_mv + 55.0) / 10.0),
            beta_n: 0.125 * (-(v_mv + 65.0) / 80.0).exp(),
        }
    }
}

/// The six rates tabulated as piecewise cubics, for the integrator's inner
/// loop: four exact samples per interval of `RATE_TABLE_STEP_MV` (Lagrange
/// interpolation, error O(h^4): below 1e-9 relative over the physiological
/// range, see the test), so a step evaluates polynomials instead of six
/// exponentials. Outside the table the rates are computed exactly.
pub struct RateTable {
    v_min: f64,
    inv_h: f64,
    /// Per interval and rate: c0 + u (c1 + u (c2 + u c3)), u in [0, 1).
    coef: Vec<[[f64; 4]; 6]>,
}

impl std::fmt::Debug for RateTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "RateTable({} intervals from {} mV)",
            self.coef.len(),
            self.v_min
        )
    }
}

/// Table range and step (mV).
pub const RATE_TABLE_RANGE_MV: (f64, f64) = (-200.0, 200.0);
pub const RATE_TABLE_STEP_MV: f64 = 0.125;

impl RateTable {
    fn build() -> Self {
        let (lo, hi) = RATE_TABLE_RANGE_MV;
        let h = RATE_TABLE_STEP_MV;
        let n = ((hi - lo) / h).round() as usize;
        let sample = |v: f64| {
            let r = Rates::at(v);
            [
                r.alpha_m, r.beta_m, r.alpha_h, r.beta_h, r.alpha_n, r.beta_n,
            ]
        };
        let coef = (0..n)
            .map(|k| {
                let v0 = lo + k as f64 * h;
                let y: [[f64; 6]; 4] = std::array::from_fn(|j| sample(v0 + h * j as f64 / 3.0));
                std::array::from_fn(|r| {
                    // The cubic through (0, y0), (1/3, y1), (2/3, y2), (1, y3).
                    let (y0, y1, y2, y3) = (y[0][r], y[1][r], y[2][r], y[3][r]);
                    let c1 = (-11.0 * y0 + 18.0 * y1 - 9.0 * y2 + 2.0 * y3) / 2.0;
                    let c2 = 9.0 * (2.0 * y0 - 5.0 * y1 + 4.0 * y2 - y3) / 2.0;
                    let c3 = 9.0 * (-y0 + 3.0 * y1 - 3.0 * y2 + y3) / 2.0;
                    [y0, c1, c2, c3]
                })
            })
            .collect();
        Self {
            v_min: lo,
            inv_h: 1.0 / h,
            coef,
        }
    }

    /// The shared table, built on first use.
    pub fn get() -> &'static RateTable {
        static TABLE: std::sync::OnceLock<RateTable> = std::sync::OnceLock::new();
        TABLE.get_or_init(RateTable::build)
    }

    /// The six rates at `v_mv`.
    #[inline(always)]
    pub fn at(&self, v_mv: f64) -> Rates {
        let x = (v_mv - self.v_min) * self.inv_h;
        // Truncation is floor for x >= 0 and needs no libm call; NaN and
        // anything outside the table take the exact path.
        if !(x >= 0.0 && x < self.coef.len() as f64) {
            return Rates::at(v_mv);
        }
        let k = x as usize;
        let u = x - k as f64;
        let c = &self.coef[k];
        let p = |r: usize| c[r][0] + u * (c[r][1] + u * (c[r][2] + u * c[r][3]));
        Rates {
            alpha_m: p(0),
            beta_m: p(1),
            alpha_h: p(2),
            beta_h: p(3),
            alpha_n: p(4),
            beta_n: p(5),
        }
    }
}

/// One of the three gates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    M,
    H,
    N,
}

impl Gate {
    pub const ALL: [Gate; 3] = [Gate::M, Gate::H, Gate::N];

    pub fn name(self) -> &'static str {
        match self {
            Gate::M => "m",
            Gate::H => "h",
            Gate::N => "n",
        }
    }

    /// (alpha_x, beta_x) at `v_mv`, in 1/ms at 6.3 °C.
    pub fn alpha_beta(self, v_mv: f64) -> (f64, f64) {
        let r = Rates::at(v_mv);
        match self {
            Gate::M => (r.alpha_m, r.beta_m),
            Gate::H => (r.alpha_h, r.beta_h),
            Gate::N => (r.alpha_n, r.beta_n),
        }
    }

    /// Steady state x_inf(V) = alpha_x / (alpha_x + beta_x).
    pub fn x_inf(self, v_mv: f64) -> f64 {
        let (a, b) = self.alpha_beta(v_mv);
        a / (a + b)
    }

    /// Time constant tau_x(V) = 1 / (phi (alpha_x + beta_x)), in ms.
    pub fn tau_ms(self, v_mv: f64, temperature: f64) -> f64 {
        let (a, b) = self.alpha_beta(v_mv);
        1.0 / (phi(temperature) * (a + b))
    }
}

/// Temperature factor phi = 3^((T - 6.3)/10) (Q10 = 3).
pub fn phi(temperature: f64) -> f64 {
    3f64.powf((temperature - 6.3) / 10.0)
}

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

    /// The resting potential for input `j_in`: the root of the steady-state
    /// current nearest to E_L in [-100, E_L + 30] mV, by bisection to machine
    /// precision. Returns `None` when there is no sign change there (then the
    /// membrane has no rest near the leak potential).
    pub fn resting_potential(&self, j_in: f64) -> Option<f64> {
        // The steady-state current is decreasing through the physiological
        // rest; scan upward from -100 mV for its first downward sign change.
        let mut lo = -100.0;
        let mut f_lo = self.steady_current(lo, j_in);
        let top = self.e_l + 30.0;
        let step = 0.5;
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
        let m3h = s.m * s.m * s.m * s.h;
        let n4 = (s.n * s.n) * (s.n * s.n);
        let i_ion = self.g_na * m3h * (s.v_mv - self.e_na)
            + self.g_k * n4 * (s.v_mv - self.e_k)
            + self.g_l * (s.v_mv - self.e_l);
        HhState {
            v_mv: (j_in - i_ion) / self.c_m,
            m: phi * (r.alpha_m * (1.0 - s.m) - r.beta_m * s.m),
            h: phi * (r.alpha_h * (1.0 - s.h) - r.beta_h * s.h),
            n: phi * (r.alpha_n * (1.0 - s.n) - r.beta_n * s.n),
        }
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

impl HhMethod {
    pub const ALL: [HhMethod; 3] = [HhMethod::Rk4, HhMethod::ExpEuler, HhMethod::Euler];

    pub fn name(self) -> &'static str {
        match self {
            HhMethod::Rk4 => "rk4",
            HhMethod::ExpEuler => "exp_euler",
            HhMethod::Euler => "euler",
        }
    }

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
    /// default 0.05 ms RK4 holds down to about -17 µA/cm² (measured: -15
    /// runs, -20 blows up) and up to about 6400 (7000 measured stable).
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

/// The largest of 1, 2, 2.5 or 5 times a power of ten that is <= `x`, so that
/// default steps are round numbers.
fn nice_step_below(x: f64) -> f64 {
    let p = 10f64.powf(x.log10().floor());
    for m in [5.0, 2.5, 2.0, 1.0] {
        if m * p <= x * (1.0 + 1e-12) {
            return m * p;
        }
    }
    p
}

/// A Hodgkin-Huxley neuron: parameters, state and the chosen method.
#[derive(Debug, Clone)]
pub struct HhNeuron {
    pub params: HhParams,
    pub state: HhState,
    pub method: HhMethod,
    /// phi for the current temperature, kept so the step does no `powf`.
    phi: f64,
    /// dV/dt (mV/ms) at the start of the next step, reused by the spike
    /// interpolation; `None` until computed.
    dvdt_start: Option<f64>,
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
            dvdt_start: None,
            clamp: false,
            table: RateTable::get(),
        }
    }

    /// Re-reads the parameters after a change (for example the temperature).
    pub fn set_params(&mut self, params: HhParams) {
        self.phi = params.phi();
        self.params = params;
        self.dvdt_start = None;
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
                let r = Rates::at(s0.v_mv);
                let relax = |x: f64, a: f64, b: f64| {
                    let inf = a / (a + b);
                    inf + (x - inf) * (-phi * (a + b) * dt_ms).exp()
                };
                let s1 = HhState {
                    v_mv: s0.v_mv + dt_ms * d.v_mv,
                    m: relax(s0.m, r.alpha_m, r.beta_m),
                    h: relax(s0.h, r.alpha_h, r.beta_h),
                    n: relax(s0.n, r.alpha_n, r.beta_n),
                };
                (s1, d.v_mv)
            }
            HhMethod::Euler => {
                let d = p.derivatives(t, &s0, j_in, phi);
                (axpy(&s0, &d, dt_ms), d.v_mv)
            }
        };
        self.state = s1;
        self.dvdt_start = None;
        if s0.v_mv < 0.0 && s1.v_mv >= 0.0 {
            let d1 = p.derivatives(t, &s1, j_in, phi).v_mv;
            self.dvdt_start = Some(d1);
            let frac = hermite_root(s0.v_mv, k1_v * dt_ms, s1.v_mv, d1 * dt_ms);
            spikes.push(Spike {
                neuron: 0,
                time_s: (t0_ms + frac * dt_ms) * 1e-3,
            });
        }
    }
}

impl HhNeuron {
    /// A voltage-clamp step: V is held at `v_mv` over the step, so each gate
    /// relaxes exactly, x(dt) = x_inf + (x - x_inf) e^(-dt/tau_x), at any dt.
    /// A clamped membrane makes no spikes.
    fn clamp_step_ms(&mut self, dt_ms: f64, v_mv: f64) {
        let r = Rates::at(v_mv);
        let phi = self.phi;
        let relax = |x: f64, a: f64, b: f64| {
            let inf = a / (a + b);
            inf + (x - inf) * (-phi * (a + b) * dt_ms).exp()
        };
        let s = self.state;
        self.state = HhState {
            v_mv,
            m: relax(s.m, r.alpha_m, r.beta_m),
            h: relax(s.h, r.alpha_h, r.beta_h),
            n: relax(s.n, r.alpha_n, r.beta_n),
        };
    }
}

/// The root in [0, 1] of the cubic Hermite interpolant through (0, y0) and
/// (1, y1) with end slopes d0, d1 (per unit of the interval), given
/// y0 < 0 <= y1. Safeguarded Newton: bisection whenever Newton leaves the
/// bracket, so it always converges to the crossing.
pub fn hermite_root(y0: f64, d0: f64, y1: f64, d1: f64) -> f64 {
    let eval = |u: f64| {
        let u2 = u * u;
        let u3 = u2 * u;
        let h00 = 2.0 * u3 - 3.0 * u2 + 1.0;
        let h10 = u3 - 2.0 * u2 + u;
        let h01 = -2.0 * u3 + 3.0 * u2;
        let h11 = u3 - u2;
        let f = h00 * y0 + h10 * d0 + h01 * y1 + h11 * d1;
        let df = (6.0 * u2 - 6.0 * u) * y0
            + (3.0 * u2 - 4.0 * u + 1.0) * d0
            + (-6.0 * u2 + 6.0 * u) * y1
            + (3.0 * u2 - 2.0 * u) * d1;
        (f, df)
    };
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    let mut u = y0 / (y0 - y1);
    for _ in 0..60 {
        let (f, df) = eval(u);
        if f < 0.0 {
            lo = u;
        } else {
            hi = u;
        }
        let newton = u - f / df;
        let next = if df > 0.0 && newton > lo && newton < hi {
            newton
        } else {
            0.5 * (lo + hi)
        };
        if (next - u).abs() <= 1e-15 {
            return next;
        }
        u = next;
    }
    u
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn singular_points_take_their_limits() {
        assert_eq!(Gate::M.alpha_beta(-40.0).0, 1.0);
        assert_eq!(Gate::N.alpha_beta(-55.0).0, 0.1);
        // Continuous across the singular point.
        let near = Gate::M.alpha_beta(-40.0 + 1e-9).0;
        assert!((near - 1.0).abs() < 1e-9);
    }

    #[test]
    fn rate_table_matches_the_exact_rates() {
        let t = RateTable::get();
        let mut worst: f64 = 0.0;
        let mut v = -120.0;
        while v < 80.0 {
            let (a, b) = (t.at(v), Rates::at(v));
            for (x, y) in [
                (a.alpha_m, b.alpha_m),
                (a.beta_m, b.beta_m),
                (a.alpha_h, b.alpha_h),
                (a.beta_h, b.beta_h),
                (a.alpha_n, b.alpha_n),
                (a.beta_n, b.beta_n),
            ] {
                worst = worst.max((x - y).abs() / y.abs());
            }
            v += 0.0173;
        }
        assert!(worst < 1e-9, "worst relative error {worst}");
        // Outside the table: exact.
        assert_eq!(t.at(250.0), Rates::at(250.0));
    }

    #[test]
    fn nice_steps() {
        assert_eq!(nice_step_below(0.025), 0.025);
        assert_eq!(nice_step_below(0.051), 0.05);
        assert_eq!(nice_step_below(0.024), 0.02);
        assert_eq!(nice_step_below(0.009), 0.005);
    }

    #[test]
    fn hermite_root_of_a_line_is_exact() {
        let u = hermite_root(-1.0, 3.0, 2.0, 3.0);
        assert!((u - 1.0 / 3.0).abs() < 1e-15);
    }
}
