//! The scope's cursors (`c`, `H`, `L`) at 80x24 without colour: each
//! reads the recorded samples of the trace it names, and the last spike,
//! to the last digit the screen shows. The lab's other readouts:
//! lab_views.rs.

mod common;

use common::screen;

use spikescope::lab::spike_shape::spike_shape;
use spikescope::model::recordable::{Quantity, Recordable};
use spikescope::ui::app::{Active, App};
use spikescope::ui::command::Command;
use spikescope::ui::format::{sig4, time_point};
use spikescope::view::Pane;

fn app(name: &str, steps: u64) -> App {
    common::paused_app(name, steps)
}

#[test]
fn cursors_read_the_recorded_trace_and_the_last_spike() {
    // 120 ms into hh-repetitive: the sweep from 100 ms, the old one beyond.
    let mut a = app("hh-repetitive", 2400);
    a.apply(Command::CycleCursors);
    for _ in 0..4 {
        a.apply(Command::MoveCursor(1));
    }
    a.apply(Command::CycleCursors);
    a.apply(Command::MoveCursor(-2));
    let c = a.cursors.unwrap();
    assert_eq!(c.active, Active::B);
    // The hint says which cursor the keys move now.
    assert_eq!(common::message(&a), "cursors: H / L move B, c hides them");
    assert!((c.a - (1.0 / 3.0 + 0.04)).abs() < 1e-12 && (c.b - (2.0 / 3.0 - 0.02)).abs() < 1e-12);
    let text = screen(&a);
    // A at 37.33 ms into the window: after the write head at 20 ms, so the
    // previous sweep's 37.33 ms; B likewise at 64.67 ms.
    let probes = &a.traces.probes;
    let v = probes.place_of(Recordable::of(Quantity::V)).unwrap();
    // Each reads the sample it stands on (every 0.1 ms here), at that
    // sample's time: 37.3 ms for the column's 37.33.
    let sample = |t: f64| probes.samples_between(v, 0, t + 1e-12).last().unwrap();
    let (a_at, b_at) = (sample(0.1 / 3.0 + 0.004), sample(0.2 / 3.0 - 0.002));
    assert_eq!(time_point(a_at.0), "37.3 ms");
    let want = format!("A {} {} mV", time_point(a_at.0), sig4(a_at.1));
    assert!(text.contains(&want), "{want}\n{text}");
    let want = format!("B {} {} mV", time_point(b_at.0), sig4(b_at.1));
    assert!(text.contains(&want), "{want}\n{text}");
    // In ASCII Δ is spelled: its one-cell stand-in made `Dt`, which read
    // as the status line's `dt` (the step).
    let ascii = common::ascii_screen(&a);
    assert!(!ascii.contains("Dt"), "{ascii}");
    for (screen, delta) in [(&text, "Δ"), (&ascii, "delta ")] {
        let want = format!(
            "{delta}t {} {delta}V {} mV",
            time_point(b_at.0 - a_at.0),
            sig4(b_at.1 - a_at.1)
        );
        assert!(screen.contains(&want), "{want}\n{screen}");
        let want = format!("1/{delta}t {} Hz", sig4(1.0 / (b_at.0 - a_at.0)));
        assert!(screen.contains(&want), "{want}\n{screen}");
    }
    // The last spike whole in the record, measured by lab::spike_shape.
    let spikes: Vec<f64> = probes.spikes().map(|s| s.time_s).collect();
    let samples: Vec<(f64, f64)> = probes.samples_between(v, 0, f64::INFINITY).collect();
    let shape = spikes
        .iter()
        .enumerate()
        .rev()
        .find_map(|(k, &t)| spike_shape(&samples, t, spikes.get(k + 1).copied()))
        .unwrap();
    assert!(
        shape.peak_mv > 20.0 && shape.half_width_s > 5e-4 && shape.ahp_mv < -70.0,
        "{shape:?}"
    );
    let want = format!(
        "peak {} mV, half-width {} ms",
        sig4(shape.peak_mv),
        sig4(shape.half_width_s * 1e3)
    );
    assert!(text.contains(&want), "{want}\n{text}");
    // The AHP's time is after the peak, said so by its sign (`at 2.550 ms`
    // beside `spike 104.65 ms` read as a time in the run).
    let want = format!(
        "AHP {} mV +{} ms",
        sig4(shape.ahp_mv),
        sig4(shape.ahp_after_s * 1e3)
    );
    assert!(text.contains(&want), "{want}\n{text}");
    insta::assert_snapshot!(text);
    a.apply(Command::CycleCursors);
    assert!(a.cursors.is_none() && !screen(&a).contains("Δt"));
}

/// In the first sweep, a cursor past the write head stands where a
/// previous sweep would be drawn and none was: it reads nothing, and there
/// is no Δt between it and the other (the time it stands for is before the
/// run began).
#[test]
fn a_cursor_over_no_trace_measures_nothing() {
    // 50 ms into hh-repetitive's 100 ms window: A at 33.33 ms on the trace,
    // B at 66.67 ms where nothing is drawn yet.
    let mut a = app("hh-repetitive", 1000);
    a.apply(Command::CycleCursors);
    let text = screen(&a);
    let probes = &a.traces.probes;
    let v = probes.place_of(Recordable::of(Quantity::V)).unwrap();
    let (ta, va) = probes
        .samples_between(v, 0, 0.1 / 3.0 + 1e-12)
        .last()
        .unwrap();
    // The readout ends with B's dash, no separator after it.
    let want = format!("A {} {} mV · B – ", time_point(ta), sig4(va));
    assert!(text.contains(&want), "{want}\n{text}");
    assert!(!text.contains("Δt") && !text.contains("– ·"), "{text}");
    // Once the write head passes B, both read, and Δt is between their
    // samples (33.3 and 66.65 ms: dt is 50 µs).
    let mut a = app("hh-repetitive", 1400);
    a.apply(Command::CycleCursors);
    let probes = &a.traces.probes;
    let at = |t: f64| probes.samples_between(v, 0, t + 1e-12).last().unwrap().0;
    let want = format!("Δt {}", time_point(at(0.2 / 3.0) - at(0.1 / 3.0)));
    assert_eq!(want, "Δt 33.35 ms");
    assert!(screen(&a).contains(&want), "{want}");
}

/// Past 1 s a sample's time is written to the grid's last digit: B stands
/// on the sample at 1.26665 s (dt 50 µs), which four decimals of a second
/// rounded to 1.2667 s, a time no sample has.
#[test]
fn a_cursors_time_past_a_second_is_its_samples_to_the_last_digit() {
    let mut a = app("hh-repetitive", 25_400);
    a.apply(Command::CycleCursors);
    let probes = &a.traces.probes;
    let v = probes.place_of(Recordable::of(Quantity::V)).unwrap();
    let (tb, vb) = probes
        .samples_between(v, 0, 1.2 + 0.2 / 3.0 + 1e-12)
        .last()
        .unwrap();
    assert!((tb - 1.26665).abs() < 1e-9, "{tb}");
    let want = format!("B 1.26665 s {} mV", sig4(vb));
    let text = screen(&a);
    assert!(text.contains(&want), "{want}\n{text}");
}

/// A network neuron's cursors read its v and its synaptic current s, the
/// recorded samples, set apart so that s does not read as seconds.
#[test]
fn network_cursors_read_v_and_s() {
    let mut a = app("network-ei", 8000);
    a.apply(Command::CycleCursors);
    let text = screen(&a);
    let probes = &a.traces.probes;
    let sample = |q: Quantity, t: f64| {
        let place = probes.place_of(Recordable::at(q, 0)).unwrap();
        probes.samples_between(place, 0, t + 1e-12).last().unwrap()
    };
    // 0.8 s into the 0.5 s window's second sweep: A at a third of it is
    // this sweep's, B at two thirds is past the write head, the last one's;
    // each at its sample's time, v and s of that one sample.
    assert_eq!(a.window_s(), 0.5);
    for (label, t, shown) in [
        ("A", 0.5 + 0.5 / 3.0, "666.6 ms"),
        ("B", 1.0 / 3.0, "333.2 ms"),
    ] {
        let (tv, v) = sample(Quantity::V, t);
        let (ts, s) = sample(Quantity::S, t);
        assert_eq!((time_point(tv).as_str(), tv), (shown, ts));
        let want = format!("{label} {shown} v {}, s {}", sig4(v), sig4(s));
        assert!(text.contains(&want), "{want}\n{text}");
    }
}

/// The cursors read the trace of the neuron the status line names: in a
/// rate network the selected neuron's y, named by its number (they read
/// #0's, unnamed, whoever was selected); in a bank of filters the first
/// filter's s, named as the status line names it.
#[test]
fn the_cursors_name_the_trace_they_read() {
    let mut a = app("rate-softmax", 1200);
    a.view.pane = Pane::Scope;
    a.select(4);
    a.apply(Command::CycleCursors);
    let c = a.cursors.unwrap();
    let text = screen(&a);
    let probes = &a.traces.probes;
    let y4 = probes.place_of(Recordable::at(Quantity::Y, 4)).unwrap();
    // The sweep's window is 200 ms: A at a third of it, in the sweep from
    // 1 s (the write head is at 1.2 s, the next sweep's start).
    let t = 1.0 + c.a * 0.2;
    let (ta, ya) = probes.samples_between(y4, 0, t + 1e-12).last().unwrap();
    let want = format!("A {} #4 y {}", time_point(ta), sig4(ya));
    assert!(text.contains(&want), "{want}\n{text}");
    let y0 = probes.place_of(Recordable::at(Quantity::Y, 0)).unwrap();
    let (_, y0a) = probes.samples_between(y0, 0, t + 1e-12).last().unwrap();
    assert!(
        (y0a - ya).abs() > 0.1,
        "#0's y {y0a} and #4's {ya} tell apart"
    );

    let mut a = app("psc-orders", 10_000);
    a.apply(Command::CycleCursors);
    let text = screen(&a);
    let probes = &a.traces.probes;
    let s0 = probes.place_of(Recordable::at(Quantity::Psc, 0)).unwrap();
    let c = a.cursors.unwrap();
    let t = 0.9 + c.a * 0.3;
    let (ta, sa) = probes.samples_between(s0, 0, t + 1e-12).last().unwrap();
    let want = format!("A {} s(n = 0) {} 1/s", time_point(ta), sig4(sa));
    assert!(text.contains(&want), "{want}\n{text}");
}
