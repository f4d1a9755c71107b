//! Bytes written to the terminal per frame and per second in steady running,
//! at 80x24 and 200x50, for the README ("The screen over SSH"). Drawn through
//! crossterm into a counting sink, stepping what a 30 fps frame steps at the
//! preset's default speed; the first 30 frames (filling the window) are left
//! out.
//!
//! Usage: cargo run --release --example screen_bytes

use spikescope::preset;
use spikescope::ui::app::App;
use spikescope::ui::bytes_per_frame;
use spikescope::ui::theme::Theme;

fn main() {
    let fps = 30.0;
    println!("preset             size     bytes/frame  bytes/s at {fps} fps  paused bytes/frame");
    for name in [
        "hh-repetitive",
        "lif-constant",
        "network-abc",
        "network-benchmark",
    ] {
        for (w, h) in [(80u16, 24u16), (200, 50)] {
            let mut app = App::new(preset::load(name, &[]).expect("bundled"));
            let steps = (app.clock.speed / fps / app.sim.dt_s()).round() as u64;
            let theme = Theme::default();
            // A window's worth first, so the traces fill the screen.
            let warm = (app.window_s() / app.sim.dt_s()) as u64;
            app.advance(warm);
            let bytes = bytes_per_frame(&mut app, &theme, w, h, 150, steps).expect("draws");
            let steady = &bytes[30..];
            let mean = steady.iter().sum::<usize>() as f64 / steady.len() as f64;
            app.run = spikescope::ui::app::RunState::Paused;
            let paused = bytes_per_frame(&mut app, &theme, w, h, 2, 0).expect("draws");
            println!(
                "{name:<18} {w}x{h:<5} {mean:>11.0}  {:>17.0}  {:>18}",
                mean * fps,
                paused[1]
            );
        }
    }
}
