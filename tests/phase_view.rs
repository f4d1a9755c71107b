//! View 7, the phase plane: what its readout says is the reduced HH
//! system's at the input the model receives now (fixed point, stability),
//! at 80x24 without colour; a LIF neuron's phase line and its rest.

mod common;

use common::screen;

use spikescope::model::AnyModel;
use spikescope::model::hh::reduced::Reduced;
use spikescope::ui::app::App;
use spikescope::ui::command::Command;
use spikescope::view::Pane;

fn app(name: &str, steps: u64) -> App {
    let mut a = common::paused_app(name, steps);
    a.apply(Command::ShowPane(Pane::Phase));
    a
}

/// The readout's fixed point, as the reduced system computes it for the
/// live input.
fn expected(a: &App) -> String {
    let AnyModel::Hh(n) = &a.sim.model else {
        panic!("HH")
    };
    let r = Reduced {
        params: &n.params,
        j_in: a.live_input(),
    };
    let fps = r.fixed_points(-100.0, 60.0);
    assert_eq!(fps.len(), 1);
    let fp = fps[0];
    let sig4 = spikescope::ui::format::sig4;
    format!(
        "reduced: {} at V {} mV, n {}",
        fp.stability.name(),
        sig4(fp.v_mv),
        sig4(fp.n)
    )
}

#[test]
fn hh_firing_circles_an_unstable_focus() {
    let mut a = app("hh-repetitive", 4000);
    let text = screen(&a);
    let want = expected(&a);
    assert_eq!(want, "reduced: unstable focus at V -59.34 mV, n 0.4068");
    assert!(text.contains(&want), "{text}");
    assert!(text.contains("trajectory") && text.contains("dV/dt = 0"));
    insta::assert_snapshot!(text);
    // The view follows the keyboard: J = 0 (after a step) gives a stable rest.
    a.set_input_level(0.0);
    a.advance(1);
    let want = expected(&a);
    assert!(
        want.starts_with("reduced: stable focus") && !want.contains("unstable"),
        "{want}"
    );
    assert!(screen(&a).contains(&want));
}

/// Under TEA the full model rests at +8 mV, h 0.0018, where the
/// reduction's h = 0.89 - 1.1 n is 0: the reduced system has no fixed
/// point, and the readout says it is the reduction's (a bare `no fixed
/// point` beside a neuron at rest read as the neuron's), with the full
/// model's state now beside it. At 60x16 that `now` line gives way to the
/// plot's fourth row and its tick labels.
#[test]
fn the_reductions_fixed_points_are_told_from_the_neurons_state() {
    let a = app("hh-tea", 4000);
    let AnyModel::Hh(n) = &a.sim.model else {
        panic!("HH")
    };
    let (v, gate_n) = (n.state.v_mv, n.state.n);
    assert!((v - 8.186).abs() < 5e-4, "{v}");
    let sig4 = spikescope::ui::format::sig4;
    let now = format!("now V {} mV, n {}", sig4(v), sig4(gate_n));
    let text = screen(&a);
    assert!(
        text.contains("reduced: no fixed point") && text.contains(&now),
        "{text}"
    );
    assert!(!text.contains("· no fixed point"), "{text}");
    let small = common::rows(&a, 60, 16);
    let all = small.join("\n");
    assert!(!all.contains(&now), "{all}");
    // Four rows, two of them with their n tick, and the V ticks below.
    let ticks = small.iter().filter(|r| r.contains("┤")).count();
    assert!(ticks >= 2 && all.contains("-50"), "{all}");
}

#[test]
fn lif_phase_line_and_other_models() {
    let a = app("lif-below", 3000);
    let text = screen(&a);
    assert!(text.contains("rests at v = v_in = 0.9 (stable)"), "{text}");
    let a = app("lif-constant", 3000);
    assert!(screen(&a).contains("no rest below threshold"));
    let a = app("hh-clamp", 100);
    assert!(screen(&a).contains("Under a voltage clamp V is held"));
}

/// A network neuron's plane: s on the vertical axis (its unit in the
/// title, the axis has no room for it), v along the bottom, as the title
/// names them (it read "v against s", the axes the other way round).
#[test]
fn the_network_plane_names_its_axes_as_drawn() {
    let mut a = app("network-abc", 3000);
    a.view.selected = 2;
    let rows = common::rows(&a, 80, 24);
    assert!(
        rows[1].starts_with("┌ phase plane (v, s) of #2 C, s in 1/s ─"),
        "{}",
        rows[1]
    );
    // The plot's axis line, inside the pane's border.
    let axis = rows
        .iter()
        .position(|r| r.starts_with("│") && r.contains("└"))
        .unwrap();
    let below = rows[axis + 1].trim_end_matches('│').trim_end();
    assert!(below.ends_with(" v"), "{}", rows.join("\n"));
}

/// Where the reduction's V-nullcline has no n in [0, 1] it is not drawn.
/// With g_Na 0.8 and g_K 0 mS/cm² at J = 0, C dV/dt = -g_Na m_inf³ h (V -
/// E_Na) - g_L (V - E_L) is negative at every n for V between -52.31 and
/// -47.18 mV: the nullcline falls to n = 0 at the one and rises from it at
/// the other, and the line had joined them along n = 0.
#[test]
fn the_v_nullcline_is_not_drawn_where_it_has_no_n() {
    let sets = ["hh.g_na=0.8".to_string(), "hh.g_k=0".to_string()];
    let source = spikescope::preset::PresetSource::resolve("hh-rest", &sets).unwrap();
    let mut a = App::from_source(source).unwrap();
    a.guide_until = None;
    a.advance(10);
    a.apply(Command::ShowPane(Pane::Phase));
    let rows = common::rows(&a, 120, 30);
    let all = rows.join("\n");
    let bottom = rows.iter().position(|r| r.contains("0.0┤")).expect(&all);
    // V by column, from the x axis' labels -60 and -40 (centred on their
    // ticks).
    let labels = &rows[bottom + 2];
    let centre = |label: &str| {
        let at = labels.find(&format!(" {label} ")).expect(&all) + 1;
        labels[..at].chars().count() as f64 + (label.len() as f64 - 1.0) / 2.0
    };
    let (c60, c40) = (centre("-60"), centre("-40"));
    let column = |v: f64| (c60 + (v + 60.0) / 20.0 * (c40 - c60)).round() as usize;
    let row: Vec<char> = rows[bottom].chars().collect();
    let gap: String = row[column(-51.5)..=column(-49.5)].iter().collect();
    assert!(gap.trim().is_empty(), "{gap:?}\n{all}");
    // Either side of the gap it is drawn down to its last points (at
    // -52.5 and -47 mV, the view's points 0.5 mV apart), in the two rows
    // above n = 0.
    let near = |v: f64| {
        rows[bottom - 1..=bottom].iter().any(|r| {
            let r: Vec<char> = r.chars().collect();
            r[column(v) - 1..=column(v) + 1].iter().any(|c| *c != ' ')
        })
    };
    assert!(near(-52.5) && near(-47.0), "{all}");
}
