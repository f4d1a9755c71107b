//! A line on standard error, when it is a terminal, while a preset loads
//! slowly: a random network of 100,000 neurons draws its 2e8 synapses in
//! about 4 s before the oscilloscope's first frame or a run's first step,
//! and a terminal that shows nothing for that long looks hung over SSH.
//! The line appears after `SHOW_AFTER`, counts the seconds, and is erased
//! when the load ends, so what follows (the screen, a summary, an error)
//! starts on a clean row.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::text::{for_locale, printable, utf8_output};

/// A load shorter than this shows nothing.
pub const SHOW_AFTER: Duration = Duration::from_millis(500);

/// The line is redrawn this often (its seconds count up).
const REDRAW: Duration = Duration::from_millis(250);

/// The most characters of the name shown (its end, where a path's file
/// name is): the line stays on one row of 80 columns, which `\r` and an
/// erase can clear.
const NAME_CHARS: usize = 48;

/// Runs `load`, naming `what` on standard error if it takes longer than
/// `SHOW_AFTER` and standard error is a terminal (in ASCII outside a UTF-8
/// locale, as every line for people).
pub fn while_loading<T>(what: &str, load: impl FnOnce() -> T) -> T {
    if !std::io::stderr().is_terminal() {
        return load();
    }
    let what = for_locale(what, utf8_output());
    show_while(&mut std::io::stderr(), &what, SHOW_AFTER, load)
}

/// `while_loading` into any writer, after any delay.
fn show_while<T, W: Write + Send>(
    out: &mut W,
    what: &str,
    after: Duration,
    load: impl FnOnce() -> T,
) -> T {
    let done = AtomicBool::new(false);
    let what = printable(what, false);
    let chars = what.chars().count();
    let what = if chars > NAME_CHARS {
        let end: String = what.chars().skip(chars - (NAME_CHARS - 3)).collect();
        format!("...{end}")
    } else {
        what.into_owned()
    };
    std::thread::scope(|scope| {
        let waiter = scope.spawn(|| {
            let started = Instant::now();
            let mut drawn = false;
            while !done.load(Ordering::Acquire) {
                let elapsed = started.elapsed();
                if elapsed >= after {
                    // Back to the line's start, the line, the rest erased.
                    let _ = write!(
                        out,
                        "\rspikescope: loading {what}... {:.1} s\x1b[K",
                        elapsed.as_secs_f64()
                    );
                    let _ = out.flush();
                    drawn = true;
                }
                let wait = if elapsed >= after {
                    REDRAW
                } else {
                    after - elapsed
                };
                std::thread::park_timeout(wait);
            }
            if drawn {
                let _ = write!(out, "\r\x1b[K");
                let _ = out.flush();
            }
        });
        let result = load();
        done.store(true, Ordering::Release);
        waiter.thread().unpark();
        // The line is erased before anything else is written.
        let _ = waiter.join();
        result
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A slow load is named, with its seconds, and the line is erased at
    /// its end; a quick one writes nothing.
    #[test]
    fn a_slow_load_is_named_then_erased() {
        let mut out = Vec::new();
        let got = show_while(
            &mut out,
            "big\u{1b}[2J.toml",
            Duration::from_millis(20),
            || {
                std::thread::sleep(Duration::from_millis(400));
                7
            },
        );
        assert_eq!(got, 7);
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.starts_with("\rspikescope: loading big^[[2J.toml... 0.0 s\x1b[K"),
            "{text:?}"
        );
        assert!(text.ends_with("\x1b[K\r\x1b[K"), "{text:?}");
        let long = format!("/home/someone/{}/net.toml", "x".repeat(80));
        let mut out = Vec::new();
        show_while(&mut out, &long, Duration::ZERO, || {
            std::thread::sleep(Duration::from_millis(100));
        });
        let text = String::from_utf8(out).unwrap();
        let first = text.split('\x1b').next().unwrap();
        assert_eq!(
            first,
            format!(
                "\rspikescope: loading ...{}/net.toml... 0.0 s",
                "x".repeat(36)
            )
        );
        let mut out = Vec::new();
        show_while(&mut out, "quick.toml", Duration::from_secs(60), || ());
        assert!(out.is_empty());
    }
}
