//! The guidance (`a`) against the run: it gives the preset's values, so once
//! the keys or the panel have changed the run it must end by saying what
//! changed, each value the engine's, and say nothing of the kind while the
//! run is the preset's. The truth of "the preset's" is the preset opened
//! afresh from the same source (its `--set`s, none of this session's
//! changes); read through every page of the overlay at each size.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use regex::Regex;
use spikescope::ui::app::App;
use spikescope::ui::overlay::Overlay;
use spikescope::ui::render::render;
use spikescope::ui::theme::Theme;

use crate::check::{Found, agrees};

/// The guidance's text as drawn at `w` x `h`, every page, its wrapped
/// lines joined.
fn drawn_guidance(app: &mut App, (w, h): (u16, u16), theme: &Theme) -> String {
    let was = app.overlay.clone();
    let mut words = Vec::new();
    let pages = Regex::new(r"(\d+)/(\d+), Space: more").unwrap();
    let mut page = 0;
    loop {
        app.overlay = Overlay::Guide { page };
        let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
        term.draw(|f| render(f, app, theme)).unwrap();
        let buf = term.backend().buffer();
        let cells: Vec<Vec<&str>> = (0..h)
            .map(|y| (0..w).map(|x| buf[(x, y)].symbol()).collect())
            .collect();
        // The overlay's box: its title row, and its columns from the
        // corner before the title to the one after it.
        let top = cells
            .iter()
            .position(|r| r.concat().contains("look at:"))
            .expect("the guidance's title");
        let title = (0..cells[top].len())
            .find(|&k| cells[top][k..].concat().starts_with("look at:"))
            .unwrap();
        let corner = |c: &&str| ["┌", "┐", "+"].contains(c);
        let left = cells[top][..title].iter().rposition(corner).unwrap();
        let right = title + cells[top][title..].iter().position(corner).unwrap();
        let body: Vec<String> = cells[top + 1..]
            .iter()
            .map(|r| r[left + 1..right].concat().trim().to_string())
            .collect();
        let closing = body
            .iter()
            .position(|r| r.contains("Esc closes"))
            .expect("the guidance's closing line");
        words.extend(body[..closing].iter().cloned());
        match pages.captures(&body[closing]) {
            Some(c) if c[1] != c[2] => page += 1,
            _ => break,
        }
    }
    app.overlay = was;
    words.join(" ")
}

/// Checks the guidance's note at every size and theme given.
pub fn check(name: &str, app: &mut App, sizes: &[(u16, u16)], themes: &[Theme]) -> Vec<String> {
    let Some(source) = app.source.clone() else {
        return Vec::new();
    };
    if app.preset.guide.is_empty() {
        return Vec::new();
    }
    let fresh = App::from_source(source).unwrap();
    let mut out = Vec::new();
    for &size in sizes {
        for theme in themes {
            let text = drawn_guidance(app, size, theme);
            let found = check_note(app, &fresh, &text);
            out.extend(
                found
                    .wrong
                    .into_iter()
                    .map(|p| format!("{name} guidance {}x{}: {p}\n{text}", size.0, size.1)),
            );
        }
    }
    out
}

/// The note against the engine now and the preset opened afresh.
fn check_note(app: &App, fresh: &App, text: &str) -> Found {
    let mut found = Found::default();
    let note = Regex::new(concat!(
        r"\(Changed while running: (.*): where the words above give the preset's ",
        r"values, this run's differ\.\)"
    ))
    .unwrap();
    let parts: Vec<String> = note
        .captures(text)
        .map(|c| c[1].split(", ").map(str::to_string).collect())
        .unwrap_or_default();
    let mut said = parts.iter().map(String::as_str).peekable();
    // The input's level first, where it is not the preset's.
    let level = app.input_level();
    let input = Regex::new(r"^\S+ (-?[0-9.e+-]+)( [^=]+)?$").unwrap();
    if level != fresh.input_level() {
        match said.next_if(|p| input.is_match(p) && !p.contains('=')) {
            Some(p) => found.expect("the input's level", &input.captures(p).unwrap()[1], level),
            None => found
                .wrong
                .push(format!("no input level {level} in {parts:?}")),
        }
    }
    // Then each panel change as `--set` gives it.
    for (key, value) in &app.changed {
        let expected = [format!("{key}={value}"), format!("{key} (in the panel)")];
        if said.next_if(|p| expected.iter().any(|e| e == p)).is_none() {
            found.wrong.push(format!("no {key}={value} in {parts:?}"));
        }
    }
    // Then each neuron's bias where it is not the preset's, by number.
    let (now, was) = (app.biases().unwrap_or(&[]), fresh.biases().unwrap_or(&[]));
    let bias = Regex::new(r"^#(\d+)'s bias (\S+)$").unwrap();
    for (i, (&b, &b0)) in now.iter().zip(was).enumerate() {
        if b == b0 {
            continue;
        }
        match said.next_if(|p| bias.is_match(p)) {
            Some(p) => {
                let c = bias.captures(p).unwrap();
                if c[1].parse::<usize>() != Ok(i) {
                    found
                        .wrong
                        .push(format!("#{i}'s bias {b} missing, {p} instead"));
                } else if !agrees(&c[2], b) {
                    found.expect(&format!("#{i}'s bias"), &c[2], b);
                }
            }
            None => found.wrong.push(format!("no #{i}'s bias {b} in {parts:?}")),
        }
    }
    let rest: Vec<&str> = said.collect();
    if !rest.is_empty() {
        found.wrong.push(format!("said but not so: {rest:?}"));
    }
    found
}
