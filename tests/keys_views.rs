//! Keys of the views and their instruments as sequences of events against
//! the app's state: the views and back, the help, the PSC view's explored
//! filter, the cursors and the reference, zoom where a view has no time.
//! The input, the neuron, the time base and sweeps: keys.rs.

mod common;

use common::message;
use common::press::{app, chars, press};

use crossterm::event::KeyCode;
use spikescope::model::{AnyModel, ModelKind};
use spikescope::preset;
use spikescope::ui::app::App;
use spikescope::ui::overlay::Overlay;
use spikescope::view::{Pane, TriggerMode};

#[test]
fn views_trigger_help_and_back() {
    let mut a = app("hh-repetitive");
    for (c, p) in [
        ('2', Pane::Gates),
        ('3', Pane::Rate),
        ('4', Pane::Psc),
        ('5', Pane::Activation),
        ('6', Pane::Weights),
        ('1', Pane::Scope),
    ] {
        chars(&mut a, &c.to_string());
        assert_eq!(a.view.pane, p);
    }
    chars(&mut a, "v");
    assert_eq!(a.view.pane, Pane::Gates);
    press(&mut a, &[KeyCode::Esc]);
    assert_eq!(a.view.pane, Pane::Scope);
    chars(&mut a, "t");
    assert_eq!(a.view.trigger, TriggerMode::Spike);
    chars(&mut a, "?");
    assert_eq!(a.overlay, Overlay::Help { page: 0 });
    chars(&mut a, "m");
    assert_eq!(
        a.kind(),
        ModelKind::Hh,
        "keys go to the overlay while it is open"
    );
    press(&mut a, &[KeyCode::Esc]);
    assert_eq!(a.overlay, Overlay::None);
    chars(&mut a, "a");
    assert_eq!(a.overlay, Overlay::Guide { page: 0 });
    press(&mut a, &[KeyCode::Esc]);
    chars(&mut a, "nnN");
    assert_eq!(a.view.psc.order, 1);
}

/// tau_s of the explored filter moves by √2 a press and comes back exactly;
/// the view starts from the preset's own filter.
#[test]
fn psc_view_starts_at_the_presets_filter_and_tau_s_is_keyed() {
    let mut a = app("spike-train-convolution");
    assert_eq!((a.view.psc.order, a.view.psc.tau_s), (0, 0.020));
    chars(&mut a, "}}");
    assert!((a.view.psc.tau_s - 0.040).abs() < 1e-15);
    chars(&mut a, "{{");
    assert!((a.view.psc.tau_s - 0.020).abs() < 1e-15);
    let a = app("network-benchmark");
    assert_eq!(a.view.psc.tau_s, 0.010);
}

/// The lab instruments by their keys, as a user types them: the panel
/// (p, arrows, Enter, digits), the reference (f), the cursors (c, H, L),
/// the f-I sweep (F) and views 7 and 8.
#[test]
fn the_instruments_by_their_keys() {
    let mut a =
        App::from_source(preset::PresetSource::resolve("lif-constant", &[]).unwrap()).unwrap();
    a.guide_until = None;
    a.advance(2000);
    chars(&mut a, "p");
    assert!(matches!(
        a.overlay,
        Overlay::Params {
            index: 0,
            text: None,
            ..
        }
    ));
    press(&mut a, &[KeyCode::Down, KeyCode::Enter]);
    chars(&mut a, "5");
    press(&mut a, &[KeyCode::Enter]);
    match &a.sim.model {
        AnyModel::Lif(n) => assert_eq!(n.params.tau_ref_s, 0.005),
        _ => unreachable!(),
    }
    press(&mut a, &[KeyCode::Esc]);
    assert_eq!(a.overlay, Overlay::None);
    chars(&mut a, "f");
    assert!(a.reference.is_some());
    chars(&mut a, "cLLc");
    let c = a.cursors.unwrap();
    assert!((c.a - (1.0 / 3.0 + 0.02)).abs() < 1e-12);
    chars(&mut a, "HHH");
    assert!((a.cursors.unwrap().b - (2.0 / 3.0 - 0.03)).abs() < 1e-12);
    chars(&mut a, "c");
    assert!(a.cursors.is_none());
    chars(&mut a, "7");
    assert_eq!(a.view.pane, Pane::Phase);
    chars(&mut a, "8");
    assert_eq!(a.view.pane, Pane::Isi);
    chars(&mut a, "F");
    assert!(a.fi_busy() && a.view.pane == Pane::Rate);
    chars(&mut a, "F");
    assert!(!a.fi_busy());
    assert!(
        message(&a).starts_with("f-I sweep stopped"),
        "{}",
        message(&a)
    );
}

#[test]
fn the_explored_filter_follows_its_keys() {
    let mut a = app("psc-orders");
    chars(&mut a, "4");
    let readout = |a: &App| {
        common::screen(a)
            .lines()
            .find(|l| l.contains("explore (n N } {)"))
            .unwrap_or_default()
            .to_string()
    };
    assert!(
        readout(&a).contains("n 0, tau_s 10 ms, as n = 0 above"),
        "{}",
        readout(&a)
    );
    chars(&mut a, "n");
    assert!(
        readout(&a).contains("n 1, tau_s 10 ms, as n = 1 above"),
        "{}",
        readout(&a)
    );
    chars(&mut a, "}");
    assert!(
        readout(&a).contains("n 1, tau_s 14.14 ms, peak 26.01 1/s at 14.14 ms"),
        "{}",
        readout(&a)
    );
    // Its curve is named in the readout's words (an ASCII screen has no τ).
    assert!(
        common::screen(&a).contains("n=1 tau_s 14.14 ms"),
        "{}",
        common::screen(&a)
    );
    // The peak's time n tau_s to tau_s's digits (a time point's two
    // decimals read 7.07 ms).
    chars(&mut a, "{{");
    assert!(
        readout(&a).contains("n 1, tau_s 7.071 ms, peak 52.03 1/s at 7.071 ms"),
        "{}",
        readout(&a)
    );
    chars(&mut a, "}}{N");
    assert!(
        readout(&a).contains("n 0, tau_s 10 ms, as n = 0 above"),
        "{}",
        readout(&a)
    );
    // At its ends a key says why nothing moved (N at n = 0 did nothing).
    chars(&mut a, "N");
    assert_eq!(
        message(&a),
        "the explored filter's order stays n = 0: view 4 draws n = 0 to 8 \
         (a preset's filters may have any order)"
    );
    // From another view the filter changes out of sight: the message says
    // what it is now and where it is drawn.
    chars(&mut a, "1n}");
    assert_eq!(
        message(&a),
        "explored filter: n = 1, tau_s 14.14 ms (press 4 to see it)"
    );
    for _ in 0..40 {
        chars(&mut a, "{");
    }
    assert_eq!(a.view.psc.tau_s, 1e-4);
    assert_eq!(
        message(&a),
        "the explored filter's tau_s stays 100 µs: view 4 draws 100 µs to 10 s"
    );
}

/// The time cursors and the reference are the scope's: pressed in another
/// view, the message says where they show (they changed out of sight).
#[test]
fn scope_instruments_from_another_view_say_where_they_show() {
    let mut a = app("network-abc");
    a.advance(2000);
    chars(&mut a, "6c");
    assert!(
        message(&a).ends_with("(press 1 to see them)"),
        "{}",
        message(&a)
    );
    chars(&mut a, "f");
    assert!(
        message(&a).ends_with("f clears (press 1 to see it)"),
        "{}",
        message(&a)
    );
    chars(&mut a, "1cf");
    assert!(!message(&a).contains("press 1"), "{}", message(&a));
}

/// z and x in a view drawn against no time (gates, rate, activations, ISI)
/// change the scope's time base all the same, and say so: the rate view
/// showed no change while the status line's window halved.
#[test]
fn the_zoom_keys_in_a_view_without_time_say_what_they_changed() {
    let mut a = app("lif-constant");
    a.view.pane = Pane::Rate;
    let before = a.window_s();
    chars(&mut a, "z");
    assert_eq!(a.window_s(), before / 2.0);
    assert_eq!(
        message(&a),
        "window 250 ms: the scope's time base (1); this view has no time axis"
    );
    a.message = None;
    a.view.pane = Pane::Scope;
    chars(&mut a, "x");
    assert_eq!(a.window_s(), before);
    assert_eq!(message(&a), "");
}
