//! Finds, for each HH method, the largest dt (on a grid) that stays stable for
//! 1 s at currents from 0 to 1000 µA/cm², for the classic parameters and for
//! variants (doubled g_Na and g_K, halved C): the margin behind the default dt.
//!
//! Usage: cargo run --release --example hh_stability

use spikescope::model::AnyModel;
use spikescope::model::hh::{HhMethod, HhNeuron, HhParams};

fn stable(params: &HhParams, method: HhMethod, dt_ms: f64, j: f64) -> bool {
    let mut model = AnyModel::Hh(HhNeuron::new(params.clone(), None, method));
    let mut spikes = Vec::new();
    let steps = (1000.0 / dt_ms) as u64;
    for k in 0..steps {
        let t = k as f64 * dt_ms * 1e-3;
        model.step(t, dt_ms * 1e-3, &[j], &[], &mut spikes);
        if model.check(t).is_err() {
            return false;
        }
    }
    true
}

fn main() {
    let classic = HhParams::default();
    let variants = [
        ("classic", classic.clone()),
        (
            "2x g_Na, g_K",
            HhParams {
                g_na: 240.0,
                g_k: 72.0,
                ..classic.clone()
            },
        ),
        (
            "C = 0.5",
            HhParams {
                c_m: 0.5,
                ..classic.clone()
            },
        ),
        (
            "T = 20 C",
            HhParams {
                temperature: 20.0,
                ..classic.clone()
            },
        ),
    ];
    for (name, p) in &variants {
        let mut largest = 0.0;
        for dt in [0.01, 0.02, 0.025, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08] {
            let ok = [0.0, 5.0, 10.0, 50.0, 200.0, 1000.0]
                .iter()
                .all(|&j| stable(p, HhMethod::Rk4, dt, j));
            if ok {
                largest = dt;
            } else {
                break;
            }
        }
        println!(
            "{name:<14} largest stable RK4 dt {largest} ms; estimate {:.4} ms",
            HhMethod::Rk4.max_dt_ms(p)
        );
    }
}
