//! `w`, the screen written as the user sees it: a text file of the rows
//! drawn and an SVG of the same cells, both or neither, and said at once
//! even when paused.

mod common;

use common::press::Keys;

use spikescope::ui::app::App;
use spikescope::ui::command::Command;

fn app(name: &str, steps: u64) -> App {
    common::paused_app(name, steps)
}

/// The app drawn at 80x24 without colour: the buffer, and its text as the
/// TestBackend gives it.
fn drawn_at_80x24(a: &spikescope::ui::app::App) -> (ratatui::buffer::Buffer, String) {
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    let buf = t
        .draw(|f| spikescope::ui::render::render(f, a, &common::NO_COLOR))
        .unwrap()
        .buffer
        .clone();
    (buf, t.backend().to_string())
}

/// The screen is written as both files or neither: where the SVG cannot
/// be (a link to /dev/full, a disk always full), the text is not left
/// behind under "screen not written".
#[test]
fn a_screen_that_cannot_be_written_leaves_no_file() {
    if !common::has_dev_full() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut a = app("hh-repetitive", 2000);
    a.export_dir = dir.path().to_path_buf();
    let base = dir.path().join("spikescope-hh-repetitive-100ms-screen");
    std::os::unix::fs::symlink("/dev/full", base.with_extension("svg")).unwrap();
    let (buf, _) = drawn_at_80x24(&a);
    spikescope::ui::snapshot::write(&mut a, &buf);
    assert_eq!(
        a.message.unwrap().text,
        format!(
            "screen not written, no file: cannot write {}: No space left on device (os error \
             28)",
            base.with_extension("svg").display()
        )
    );
    assert!(!base.with_extension("txt").exists());
}

/// `w` writes the screen as shown: the text file holds the rows a
/// TestBackend drew, the SVG the same cells.
#[test]
fn the_screen_is_written_as_text_and_svg() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app("hh-repetitive", 2000);
    a.export_dir = dir.path().to_path_buf();
    a.apply(Command::WriteScreen);
    assert!(a.screen_due);
    let (buf, text) = drawn_at_80x24(&a);
    let drawn: Vec<String> = text
        .lines()
        .map(|l| l.trim_matches('"').trim_end().to_string())
        .collect();
    spikescope::ui::snapshot::write(&mut a, &buf);
    let base = dir.path().join("spikescope-hh-repetitive-100ms-screen");
    let text = std::fs::read_to_string(base.with_extension("txt")).unwrap();
    let written: Vec<&str> = text.lines().collect();
    assert_eq!(written, drawn);
    let svg = std::fs::read_to_string(base.with_extension("svg")).unwrap();
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    assert!(svg.contains(">V</text>"), "the trace's name is in the SVG");
    assert!(a.message.unwrap().text.starts_with("screen written to "));
}

/// Paused, `w` says where it wrote the screen at once: the loop drew the
/// frame it wrote, then slept until the next key with the message unseen.
#[test]
fn a_paused_screen_written_says_so_at_once() {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    let dir = tempfile::tempdir().unwrap();
    let mut a = app("hh-repetitive", 2000);
    a.export_dir = dir.path().to_path_buf();
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let mut keys = Keys {
        keys: vec!['w'],
        waits: Vec::new(),
    };
    let opts = spikescope::ui::LoopOptions {
        fps: 30,
        frames: None,
        panic_after_first_frame: false,
        suspend: None,
    };
    spikescope::ui::run_app(&mut t, &mut a, &mut keys, &common::NO_COLOR, opts).unwrap();
    let shown = t.backend().to_string();
    assert!(
        shown.contains("screen written to "),
        "{shown}\nwaits: {:?}",
        keys.waits
    );
    assert!(
        dir.path()
            .join("spikescope-hh-repetitive-100ms-screen.txt")
            .exists()
    );
}
