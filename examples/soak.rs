//! Soak: an hour of simulated time at full speed with the screen drawn, the
//! process's resident memory sampled every simulated five minutes. Memory
//! must be flat: the ring buffers are allocated at start and nothing grows.
//! Not part of `cargo test` (it takes about a minute per preset).
//!
//! Usage: cargo run --release --example soak [PRESET] [SIMULATED_SECONDS]

use std::time::Instant;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use spikescope::preset;
use spikescope::ui::app::App;
use spikescope::ui::render::render;
use spikescope::ui::theme::Theme;

/// Resident set size in KiB, from /proc/self/statm.
fn rss_kib() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4
}

fn main() {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "hh-repetitive".into());
    let seconds: f64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(3600.0);
    let mut app = App::new(preset::load(&name, &[]).expect("a preset"));
    let mut term = Terminal::new(TestBackend::new(200, 50)).expect("a test terminal");
    let theme = Theme::default();
    // One frame per 100 ms of simulated time, a memory sample every 5 min.
    let frame_steps = (0.1 / app.sim.dt_s()).round() as u64;
    let frames = (seconds / 0.1).round() as u64;
    let sample_every = 3000;
    let started = Instant::now();
    println!("{name}: {seconds} s simulated, a 200x50 frame every 100 ms");
    println!("simulated_s  wall_s  rss_kib  spikes");
    for f in 0..=frames {
        if f % sample_every == 0 {
            println!(
                "{:>11.0}  {:>6.1}  {:>7}  {}",
                app.sim.time_s(),
                started.elapsed().as_secs_f64(),
                rss_kib(),
                app.sim.spike_count
            );
        }
        app.advance(frame_steps);
        term.draw(|fr| render(fr, &app, &theme)).expect("draws");
        assert!(
            !matches!(app.run, spikescope::ui::app::RunState::Unstable(_)),
            "stable for the whole soak"
        );
    }
}
