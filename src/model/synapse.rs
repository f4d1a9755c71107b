//! Post-synaptic current filters (notes 1.3.2-1.3.4).
//!
//! ```text
//! h(t) = t^n e^(-t/tau_s) / (n! tau_s^(n+1))   for t >= 0, else 0
//! ```
//!
//! Order n is realized as a cascade of n + 1 first-order stages:
//!
//! ```text
//! tau_s ds_0/dt = -s_0              (a spike of weight w: s_0 += w / tau_s)
//! tau_s ds_k/dt = s_{k-1} - s_k     k = 1..n,   and s = s_n
//! ```
//!
//! so that a spike at t = 0 gives s_k(t) = w h_k(t). The cascade is linear
//! with a nilpotent coupling, so its propagator over Δ is exact:
//! `s_k(Δ) = e^(-Δ/tau_s) Σ_{j<=k} s_j(0) (Δ/tau_s)^(k-j) / (k-j)!`.

use super::math::{factorial, poisson_term};

/// A PSC filter h(t) of order `order` (n) and time constant `tau_s_s` (s).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PscFilter {
    pub order: usize,
    pub tau_s_s: f64,
}

/// Highest filter order accepted: beyond it the peak sits at n tau_s and the
/// factorials in h grow without teaching anything new.
pub const MAX_PSC_ORDER: usize = 16;

impl PscFilter {
    pub fn new(order: usize, tau_s_s: f64) -> Self {
        Self { order, tau_s_s }
    }

    /// The normalization k = 1 / (n! tau_s^(n+1)), so that ∫ h = 1.
    pub fn k(&self) -> f64 {
        1.0 / (factorial(self.order) * self.tau_s_s.powi(self.order as i32 + 1))
    }

    /// h(t) in 1/s; 0 for t < 0. Evaluated as (t/tau)^n / n! e^(-t/tau) / tau
    /// so that large n neither overflows nor underflows early.
    pub fn h(&self, t_s: f64) -> f64 {
        if t_s < 0.0 {
            return 0.0;
        }
        let x = t_s / self.tau_s_s;
        poisson_term(self.order, x) / self.tau_s_s
    }

    /// ∫_0^t h: the fraction of a spike's charge delivered by time t (the
    /// regularized lower incomplete gamma P(n + 1, t / tau_s)).
    pub fn integral_to(&self, t_s: f64) -> f64 {
        if t_s <= 0.0 {
            return 0.0;
        }
        let x = t_s / self.tau_s_s;
        // P(n+1, x) = 1 - e^-x Σ_{k<=n} x^k/k!
        let tail: f64 = (0..=self.order).map(|k| poisson_term(k, x)).sum();
        1.0 - tail
    }

    /// Time of the peak of h: n tau_s (0 for the first-order filter).
    pub fn peak_time_s(&self) -> f64 {
        self.order as f64 * self.tau_s_s
    }

    /// The filtered spike train s(t) = (a * h)(t) = Σ_p w h(t - t_p)
    /// (notes 1.3.3), in closed form.
    pub fn convolve(&self, spike_times_s: &[f64], weight: f64, t_s: f64) -> f64 {
        spike_times_s
            .iter()
            .map(|&tp| weight * self.h(t_s - tp))
            .sum()
    }

    /// (1/dt) ∫_{t}^{t+dt} h: what a zero-order-hold discretization (Nengo's
    /// `LinearFilter(method="zoh")`) outputs at sample t for a unit impulse at 0.
    pub fn bin_average(&self, t_s: f64, dt_s: f64) -> f64 {
        (self.integral_to(t_s + dt_s) - self.integral_to(t_s)) / dt_s
    }

    /// The exact propagator of the cascade over `delta_s`.
    pub fn propagator(&self, delta_s: f64) -> CascadePropagator {
        CascadePropagator::new(self.order, delta_s / self.tau_s_s)
    }
}

/// The propagator of the n+1 cascaded stages over one interval: entry
/// `coef[d]` = e^(-x) x^d / d! multiplies stage k - d into stage k
/// (x = Δ / tau_s). Lower-triangular Toeplitz, so n + 1 numbers hold it.
#[derive(Debug, Clone, PartialEq)]
pub struct CascadePropagator {
    pub coef: Vec<f64>,
}

impl CascadePropagator {
    pub fn new(order: usize, x: f64) -> Self {
        Self {
            coef: (0..=order).map(|d| poisson_term(d, x)).collect(),
        }
    }

    /// Applies the propagator in place (highest stage first, so each stage
    /// reads the lower stages' old values).
    #[inline]
    pub fn apply(&self, stages: &mut [f64]) {
        for k in (0..stages.len()).rev() {
            let mut acc = 0.0;
            for d in 0..=k {
                acc += self.coef[d] * stages[k - d];
            }
            stages[k] = acc;
        }
    }
}

/// A single synapse's filter state stepped in time: the discrete, exact
/// implementation of h. Spikes are added at their time within the step, so
/// the output at every step boundary equals Σ_p w h(t - t_p) exactly.
#[derive(Debug, Clone)]
pub struct FilterState {
    pub filter: PscFilter,
    pub stages: Vec<f64>,
    step: CascadePropagator,
    dt_s: f64,
}

impl FilterState {
    pub fn new(filter: PscFilter, dt_s: f64) -> Self {
        Self {
            filter,
            stages: vec![0.0; filter.order + 1],
            step: filter.propagator(dt_s),
            dt_s,
        }
    }

    /// The filter output s = s_n.
    pub fn output(&self) -> f64 {
        self.stages[self.filter.order]
    }

    /// Advances one step and adds the spikes that arrived during it, each
    /// given as (weight, time from the step's start in s). A spike exactly at
    /// the end of the step (offset = dt) shows at full height w / tau_s.
    pub fn step(&mut self, arrivals: &[(f64, f64)]) {
        self.step.apply(&mut self.stages);
        for &(w, offset) in arrivals {
            let remaining = (self.dt_s - offset).max(0.0);
            let x = remaining / self.filter.tau_s_s;
            let impulse = w / self.filter.tau_s_s;
            for (k, s) in self.stages.iter_mut().enumerate() {
                *s += impulse * poisson_term(k, x);
            }
        }
    }

    /// Adds a spike at the current instant (a step boundary).
    pub fn add_spike(&mut self, weight: f64) {
        self.stages[0] += weight / self.filter.tau_s_s;
    }
}

/// Several PSC filters driven by the same input spike train (notes 1.3.2
/// and 1.3.3): each output is s_k(t) = Σ_p w h_k(t - t_p), the spike train
/// convolved with filter k.
#[derive(Debug, Clone)]
pub struct FilterBank {
    pub names: Vec<String>,
    pub filters: Vec<FilterState>,
    scratch: Vec<(f64, f64)>,
}

impl FilterBank {
    pub fn new(names: Vec<String>, filters: &[PscFilter], dt_s: f64) -> Self {
        Self {
            names,
            filters: filters.iter().map(|&f| FilterState::new(f, dt_s)).collect(),
            scratch: Vec::new(),
        }
    }

    pub fn prepare(&mut self, dt_s: f64) {
        for f in &mut self.filters {
            *f = FilterState::new(f.filter, dt_s);
        }
    }

    /// One step: every filter decays and receives the arrivals at their
    /// offsets. The input spikes are reported as spikes of neuron 0, so that
    /// they show in the raster and the spikes CSV.
    pub fn step(&mut self, arrivals: &[super::Arrival], spikes: &mut Vec<super::Spike>) {
        self.scratch.clear();
        self.scratch
            .extend(arrivals.iter().map(|a| (a.weight, a.offset_s)));
        for f in &mut self.filters {
            f.step(&self.scratch);
        }
        spikes.extend(arrivals.iter().map(|a| super::Spike {
            neuron: 0,
            time_s: a.time_s,
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cascade_step_matches_h_at_boundaries() {
        let f = PscFilter::new(2, 0.01);
        let dt = 1e-4;
        let mut st = FilterState::new(f, dt);
        st.add_spike(1.0);
        for k in 1..=500 {
            st.step(&[]);
            let t = k as f64 * dt;
            let want = f.h(t);
            assert!((st.output() - want).abs() <= 1e-12 * want.abs().max(1.0));
        }
    }
}
