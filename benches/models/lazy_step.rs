//! What a lazy exact step would pay per input (benches/HISTORY.md, 2026-12-07): a
//! stand-alone model, not part of the crate. Each of 1,000 neurons is kept at
//! the step of its last input; an input advances it to its own step and adds its
//! effect, then (from the third variant on) bounds the earliest step it could
//! cross and files it in a ring of step buckets. 800,000 inputs (the benchmark
//! network's second: 1,000 neurons, ~820 inputs each), best of 15 runs.
//!
//!   rustc -O -C target-cpu=native benches/models/lazy_step.rs -o /tmp/lazy_step
//!   /tmp/lazy_step
use std::time::Instant;

const TAU_M: f64 = 0.02;
const TAU_S: f64 = 0.01;
const DT: f64 = 1e-4;

#[derive(Clone, Copy, PartialEq)]
enum Variant {
    /// Over the span since the last input in closed form: two exps and φ_1.
    ClosedForm,
    /// By whole steps from tables, the input's effect from shared coefficients.
    Tables,
    /// Tables, and the crossing bound's cost as one multiply: what it costs
    /// with a reciprocal estimate (AVX-512's `vrcp14sd`) in place of the
    /// division; the value here is not the bound, only its price.
    BoundByMultiply,
    /// The same, the neuron pushed into its bucket.
    BoundAndPush,
    /// The bound as a division with its guards, and the push.
    BoundByDivision,
}

struct Inputs {
    target: Vec<u32>,
    step: Vec<u32>,
    weight: Vec<f64>,
    drive: Vec<f64>,
}

struct Tables {
    e_m: Vec<f64>,
    e_s: Vec<f64>,
    g: Vec<f64>,
}

#[inline(never)]
fn deliver(
    x: &Inputs,
    t: &Tables,
    state: &mut [Vec<f64>; 2],
    last: &mut [u32],
    buckets: &mut [Vec<u32>],
    variant: Variant,
) -> f64 {
    let [v, s] = state;
    let (e_s_dt, g_dt, k_m) = ((-DT / TAU_S).exp(), 0.004, DT / TAU_M);
    let mut checksum = 0.0;
    for k in 0..x.target.len() {
        let i = x.target[k] as usize;
        let b = x.drive[i];
        let (e_m, e_s, g) = if variant == Variant::ClosedForm {
            let span = (x.step[k] - last[i]) as f64 * DT;
            let (a, c) = (span / TAU_S, span / TAU_M);
            let e_s = (-a).exp();
            let z = a - c;
            let phi1 = if z.abs() < 1e-3 {
                1.0 - z / 2.0
            } else {
                (1.0 - (-z).exp()) / z
            };
            ((-c).exp(), e_s, e_s * c * phi1)
        } else {
            let d = (x.step[k] - last[i]) as usize;
            if d < t.e_m.len() {
                (t.e_m[d], t.e_s[d], t.g[d])
            } else {
                (0.0, 0.0, 0.0)
            }
        };
        let vi = b + (v[i] - b) * e_m + g * s[i] + x.weight[k] * g_dt;
        let si = s[i] * e_s + x.weight[k] * e_s_dt;
        (v[i], s[i], last[i]) = (vi, si, x.step[k]);
        checksum += vi;
        // v rises no faster than its slope at the start while the drive only
        // falls: (1 - v) / ((b + s+ - v) dt/tau_m) steps at least.
        let rise = (b + si.max(0.0) - vi) * k_m;
        let steps = match variant {
            Variant::ClosedForm | Variant::Tables => continue,
            Variant::BoundByMultiply | Variant::BoundAndPush => (1.0 - vi) * rise,
            Variant::BoundByDivision if rise > 0.0 => ((1.0 - vi) / rise).clamp(0.0, 1e6),
            Variant::BoundByDivision => 1e6,
        };
        let at = x.step[k] + steps as u32;
        if variant == Variant::BoundByMultiply {
            checksum += (at & 7) as f64;
        } else {
            buckets[(at & 1023) as usize].push(i as u32);
        }
    }
    checksum
}

fn main() {
    let (n, m) = (1000usize, 800_000usize);
    let mut seed = 12345u64;
    let mut uniform = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    let x = Inputs {
        drive: (0..n).map(|_| 1.0 + uniform()).collect(),
        target: (0..m).map(|_| (uniform() * n as f64) as u32).collect(),
        step: (0..m).map(|k| (k * 10_000 / m) as u32).collect(),
        weight: (0..m).map(|_| (uniform() - 0.5) * 0.01).collect(),
    };
    let decay = |tau: f64| (0..4096).map(move |k| (-(k as f64) * DT / tau).exp());
    let t = Tables {
        e_m: decay(TAU_M).collect(),
        e_s: decay(TAU_S).collect(),
        g: decay(TAU_S).zip(decay(TAU_M)).map(|(a, b)| a - b).collect(),
    };
    let mut buckets: Vec<Vec<u32>> = (0..1024).map(|_| Vec::with_capacity(4096)).collect();
    for (name, variant) in [
        ("closed form over the span", Variant::ClosedForm),
        ("whole steps from tables", Variant::Tables),
        ("tables, bound by a multiply", Variant::BoundByMultiply),
        ("tables, bound, push", Variant::BoundAndPush),
        (
            "tables, bound by a division, push",
            Variant::BoundByDivision,
        ),
    ] {
        let mut best = f64::MAX;
        for _ in 0..15 {
            let mut state = [vec![0.5; n], vec![0.0; n]];
            let mut last = vec![0u32; n];
            buckets.iter_mut().for_each(Vec::clear);
            let start = Instant::now();
            let sum = deliver(&x, &t, &mut state, &mut last, &mut buckets, variant);
            best = best.min(start.elapsed().as_secs_f64());
            std::hint::black_box(sum);
        }
        println!(
            "{name:36} {:5.1} ns an input ({:.2} ms for {m})",
            best / m as f64 * 1e9,
            best * 1e3
        );
    }
}
