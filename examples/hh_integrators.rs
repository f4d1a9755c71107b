//! Measures each HH integration method against NEURON's converged CVODE spike
//! times (../shared/refdata/hh/spikes_neuron.json): the largest spike-time
//! error over 200 ms for every current, and the cost in steps per second.
//! This is how the default method and dt were chosen (README, "Choice of the
//! HH integrator").
//!
//! Usage: cargo run --release --example hh_integrators [REFDATA_DIR]

use std::time::Instant;

use spikescope::model::hh::{HhMethod, HhNeuron, HhParams};
use spikescope::named::Named;

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/refdata".to_string());
    let text = std::fs::read_to_string(format!("{dir}/hh/spikes_neuron.json"))
        .expect("refdata hh/spikes_neuron.json");
    let json: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let runs = json["runs"].as_object().expect("runs");
    println!("method     dt_ms   max_err_ms  count_ok  steps_per_s  sim_s_per_wall_s");
    for &method in HhMethod::ALL {
        let dts: &[f64] = match method {
            HhMethod::Rk4 => &[0.01, 0.02, 0.025, 0.04, 0.05, 0.1],
            _ => &[0.001, 0.005, 0.01, 0.025],
        };
        for &dt in dts {
            let mut max_err: f64 = 0.0;
            let mut count_ok = true;
            let mut steps = 0u64;
            let started = Instant::now();
            for (j, run) in runs {
                let j: f64 = j.parse().expect("J");
                let want: Vec<f64> = run["neuron_cvode_atol1e-10"]
                    .as_array()
                    .expect("spikes")
                    .iter()
                    .map(|x| x.as_f64().expect("time"))
                    .collect();
                let mut n = HhNeuron::new(HhParams::default(), None, method);
                let mut spikes = Vec::new();
                let k_max = (200.0 / dt).round() as u64;
                for k in 0..k_max {
                    n.step_ms(k as f64 * dt, dt, j, &mut spikes);
                }
                steps += k_max;
                if spikes.len() != want.len() {
                    count_ok = false;
                }
                for (s, w) in spikes.iter().zip(&want) {
                    max_err = max_err.max((s.time_s * 1e3 - w).abs());
                }
            }
            let secs = started.elapsed().as_secs_f64();
            println!(
                "{:<10} {:<7} {:<11.2e} {:<9} {:<12.3e} {:.1}",
                method.name(),
                dt,
                max_err,
                count_ok,
                steps as f64 / secs,
                steps as f64 * dt * 1e-3 / secs
            );
        }
    }
}
