//! The time axes: where a free sweep's axis says it starts, and the spike
//! a single shot says it captures or holds.

use regex::Regex;
use spikescope::view::TriggerMode;

use crate::check::{Found, Screen, agrees, unit_s};

pub fn check(s: &Screen) -> Found {
    let mut found = Found::default();
    let (app, screen, now) = (s.app, s.text, s.now);
    match app.view.trigger {
        // "ms from 300 ms": the sweeps are [k w, (k + 1) w], and the one on
        // screen holds the run's time.
        TriggerMode::Free => {
            let w = app.window_s();
            let from = Regex::new(r"\b(?:ms|s) from (-?[0-9.]+) (µs|us|ms|s)\b").unwrap();
            for c in from.captures_iter(screen) {
                let unit = unit_s(&c[2]);
                let k = (c[1].parse::<f64>().unwrap() * unit / w).round();
                if k * w <= now + 1e-12 && now <= (k + 1.0) * w + 1e-12 {
                    found.expect("the sweep's start", &c[1], k * w / unit);
                } else {
                    found.wrong.push(format!(
                        "a sweep from {} {}: not the one of {w} s holding t = {now} s",
                        &c[1], &c[2]
                    ));
                }
            }
        }
        // "from the spike at 21.3 ms (held)" on the axis, "held, spike at
        // 21.30 ms" (or "capturing, spike at") on the run line: a spike of
        // the selected neuron, or of the one named ("#2 C's spike at").
        TriggerMode::Single => {
            let held = Regex::new(
                r"(?:from the|held,|capturing,) (?:#(\d+)[^'\n]*'s )?spike at (-?[0-9.]+) (µs|us|ms|s)",
            )
            .unwrap();
            for c in held.captures_iter(screen) {
                let neuron = c.get(1).map_or(s.i, |k| k.as_str().parse().unwrap());
                let times: Vec<f64> = s
                    .run
                    .spikes
                    .iter()
                    .filter(|&&(k, t)| k == neuron && t <= now)
                    .map(|&(_, t)| t)
                    .collect();
                let unit = unit_s(&c[3]);
                if !times.iter().any(|&t| agrees(&c[2], t / unit)) {
                    let shown = c[2].parse::<f64>().unwrap() * unit;
                    let nearest = times
                        .iter()
                        .min_by(|a, b| (*a - shown).abs().total_cmp(&(*b - shown).abs()));
                    found.wrong.push(format!(
                        "held on a spike at {} {}: #{neuron} has none then (the nearest at {nearest:?} s)",
                        &c[2], &c[3]
                    ));
                }
            }
        }
        _ => {}
    }
    found
}
