//! Closed forms under a voltage clamp (Hodgkin & Huxley 1952): with V held,
//! the rates are constant and each gate relaxes exponentially from its value
//! at the step's onset, x(t) = x_inf(V) + (x0 - x_inf(V)) e^(-t/tau_x(V)),
//! so the currents of a clamp step are known at every instant. The peak of
//! I_Na and I_K at the step's end give the model's I-V curves.

use super::{HhParams, HhState, IonicCurrents, Rates, relax_gates};

impl HhParams {
    /// The state `t_ms` into a clamp step to `v_mv` that began in `onset`.
    pub fn clamped_state(&self, onset: &HhState, v_mv: f64, t_ms: f64) -> HhState {
        let gates = relax_gates(onset, &Rates::at(v_mv), self.phi(), t_ms);
        HhState { v_mv, ..gates }
    }

    /// The ionic currents `t_ms` into the step.
    pub fn clamped_currents(&self, onset: &HhState, v_mv: f64, t_ms: f64) -> IonicCurrents {
        self.currents(&self.clamped_state(onset, v_mv, t_ms))
    }

    /// The peak of I_Na (its largest magnitude, with its sign) over a step
    /// of `width_ms`, and when: a scan of the closed form, refined by golden
    /// section around the largest sample.
    pub fn clamp_peak_sodium(&self, onset: &HhState, v_mv: f64, width_ms: f64) -> (f64, f64) {
        // The rates at the clamp are computed once: only t changes.
        let (rates, phi) = (Rates::at(v_mv), self.phi());
        let i_na = |t: f64| {
            let s = relax_gates(onset, &rates, phi, t);
            self.g_na * s.m * s.m * s.m * s.h * (v_mv - self.e_na)
        };
        let size = |t: f64| i_na(t).abs();
        let samples = 400;
        let step = width_ms / samples as f64;
        let k = (0..=samples)
            .max_by(|&a, &b| size(a as f64 * step).total_cmp(&size(b as f64 * step)))
            .unwrap_or(0);
        let (mut lo, mut hi) = (
            (k as f64 - 1.0).max(0.0) * step,
            (k as f64 + 1.0).min(samples as f64) * step,
        );
        let golden = (5f64.sqrt() - 1.0) / 2.0;
        for _ in 0..48 {
            let a = hi - golden * (hi - lo);
            let b = lo + golden * (hi - lo);
            if size(a) < size(b) {
                lo = a;
            } else {
                hi = b;
            }
        }
        let t = 0.5 * (lo + hi);
        (t, i_na(t))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// From rest at -65 mV, a step to -10 mV: I_Na turns inward (negative)
    /// and peaks within about a millisecond, then inactivates; the peak is
    /// a maximum of the magnitude of the closed form.
    #[test]
    fn sodium_peaks_inward_early_then_inactivates() {
        let p = HhParams::default();
        let rest = p.steady_state(-65.0);
        let (t, peak) = p.clamp_peak_sodium(&rest, -10.0, 10.0);
        assert!(peak < -100.0 && t > 0.2 && t < 2.0, "{t} ms: {peak}");
        for dt in [-0.01, 0.01] {
            let near = p.clamped_currents(&rest, -10.0, t + dt).i_na;
            assert!(near.abs() <= peak.abs(), "{dt}");
        }
        assert!(p.clamped_currents(&rest, -10.0, 10.0).i_na.abs() < 0.2 * peak.abs());
    }

    /// Long into a step the state is the steady state at the clamp.
    #[test]
    fn a_long_step_reaches_the_steady_state() {
        let p = HhParams::default();
        let s = p.clamped_state(&p.steady_state(-65.0), 20.0, 500.0);
        let inf = p.steady_state(20.0);
        assert!((s.n - inf.n).abs() < 1e-12 && (s.h - inf.h).abs() < 1e-12);
    }
}
