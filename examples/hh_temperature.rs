//! Spike-time error of RK4 at a candidate default dt (0.05 ms / phi) against a
//! run at a sixteenth of it, for temperatures across the allowed range and
//! several currents: the measurement behind the default dt at every
//! temperature (README, "Choice of the HH integrator").
//!
//! Usage: cargo run --release --example hh_temperature [BASE_DT_MS]

use spikescope::model::hh::{HhMethod, HhNeuron, HhParams, phi};

fn spikes(t: f64, j: f64, dt: f64) -> Vec<f64> {
    let p = HhParams {
        temperature: t,
        ..HhParams::default()
    };
    let mut n = HhNeuron::new(p, None, HhMethod::Rk4);
    let mut s = Vec::new();
    let steps = (100.0 / dt).round() as u64;
    for k in 0..steps {
        n.step_ms(k as f64 * dt, dt, j, &mut s);
        assert!(
            n.state.v_mv.is_finite() && n.state.v_mv.abs() < 1000.0,
            "unstable at T={t} J={j} dt={dt}"
        );
    }
    s.iter().map(|x| x.time_s * 1e3).collect()
}

fn main() {
    let base: f64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0.05);
    println!("T_C    phi     dt_ms     J   spikes  max_err_ms");
    for t in [-10.0, 0.0, 6.3, 10.0, 15.0, 20.0, 25.0, 30.0, 37.0, 45.0] {
        let dt = base / phi(t).max(1.0);
        for j in [10.0, 20.0, 50.0, 200.0] {
            let coarse = spikes(t, j, dt);
            let fine = spikes(t, j, dt / 16.0);
            let err = coarse
                .iter()
                .zip(&fine)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f64::max);
            let same = coarse.len() == fine.len();
            println!(
                "{t:<6} {:<7.3} {dt:<9.5} {j:<4} {:<7} {err:.2e}{}",
                phi(t),
                coarse.len(),
                if same { "" } else { "  COUNT DIFFERS" }
            );
        }
    }
}
