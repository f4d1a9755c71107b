//! The reference trace (`f`): the scope's traces frozen and drawn dim in
//! sparse dots, named "ref", under the live run until `f` clears them; a
//! control beside TTX is the lesson.

mod common;

use common::drawn::ascii_rows;
use common::screen;

use spikescope::model::recordable::{Quantity, Recordable};
use spikescope::preset::PresetSource;
use spikescope::ui::app::{App, RunState};
use spikescope::ui::command::Command;

#[test]
fn a_control_frozen_under_ttx() {
    let mut a = App::from_source(PresetSource::resolve("hh-repetitive", &[]).unwrap()).unwrap();
    a.guide_until = None;
    a.advance(5000);
    a.run = RunState::Paused;
    a.apply(Command::ToggleReference);
    let frozen = a.reference.clone().expect("frozen");
    assert_eq!(frozen.at_s, 0.25);
    // The frozen V is the window on screen: 50 ms of the sweep from 200 ms,
    // with the spikes in it.
    let v = frozen.of(Recordable::of(Quantity::V)).unwrap();
    let peak = v.iter().flatten().map(|p| p.1).fold(f64::MIN, f64::max);
    assert!(peak > 0.0, "{peak}");
    let span = v.iter().flatten().map(|p| p.0).fold(0.0, f64::max);
    assert!(span <= 0.1 && span > 0.04, "{span}");
    a.change_param("hh.g_na", Some("0")).unwrap();
    a.advance(2000);
    assert_eq!(a.reference, Some(frozen), "kept while the run goes on");
    let text = screen(&a);
    assert!(text.contains("ref V") && text.contains("ref m"), "{text}");
    insta::assert_snapshot!(text);
    a.apply(Command::ToggleReference);
    assert!(a.reference.is_none());
    assert!(!screen(&a).contains("ref V"));
}

/// The reference lies under the live traces: in ASCII without colour,
/// where a cell shows one curve's character, a cell both take shows the
/// live one's. hh-rest's V is flat at -65 mV, so the frozen V and the live
/// one take the same row end to end: it read `:` (the reference, drawn
/// after the live V) and no `*`.
#[test]
fn a_reference_lies_under_the_live_traces() {
    let mut a = App::from_source(PresetSource::resolve("hh-rest", &[]).unwrap()).unwrap();
    a.guide_until = None;
    a.advance(4000);
    a.apply(Command::ToggleReference);
    a.advance(2000);
    a.run = RunState::Paused;
    let rows = ascii_rows(&a);
    let text = rows.join("\n");
    assert!(text.contains("ref V"), "{text}");
    // The V plot's row that the two flat lines take: of its rows, the one
    // with the most curve characters.
    let first = rows
        .iter()
        .position(|r| r.contains("membrane voltage"))
        .unwrap();
    let curve_cells = |r: &String| r.chars().skip(7).filter(|c| "*:".contains(*c)).count();
    let v_row = rows[first + 1..first + 8]
        .iter()
        .max_by_key(|r| curve_cells(r))
        .unwrap();
    assert!(curve_cells(v_row) > 60, "{text}");
    // Its name carries its key (`(:) ref V`: by V's `*`, it would read as
    // V's), which is no cell of its curve.
    let cells = v_row.replace("(:) ref V", "");
    assert!(v_row.contains("(:) ref V"), "{text}");
    assert!(cells.contains('*') && !cells.contains(':'), "{text}");
}
