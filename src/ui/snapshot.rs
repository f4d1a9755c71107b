//! `w`: what is on the screen now, written as plain text (the characters as
//! shown, one line a row) and as SVG (the same cells in a monospace font,
//! with their colours, bold, dim and reverse), named like the exports and
//! written whole or not at all.

use std::fmt::Write as _;
use std::io::{self, Write};

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

use super::app::App;
use super::export::base_name;
use crate::sim::sink::{Sink, cannot_write};

/// Cell size in the SVG (px): a monospace font of 14 px is 0.6 em wide.
const CELL_W: f64 = 8.4;
const CELL_H: f64 = 17.0;
const FONT_PX: f64 = 14.0;
/// The terminal's own colours where a cell has none.
const FOREGROUND: &str = "#d0d0d0";
const BACKGROUND: &str = "#101010";

/// The screen as text: each row's symbols, trailing blanks trimmed.
pub fn to_text(buf: &Buffer) -> String {
    let area = buf.area;
    let mut out = String::new();
    for y in area.top()..area.bottom() {
        let row: String = (area.left()..area.right())
            .map(|x| buf[(x, y)].symbol())
            .collect();
        out.push_str(row.trim_end());
        out.push('\n');
    }
    out
}

/// An xterm colour as `#rrggbb`: the 16 named ones, the 6x6x6 cube and the
/// grey ramp of the 256, or the colour itself.
fn hex(c: Color) -> Option<String> {
    const NAMED: [&str; 16] = [
        "#000000", "#cd0000", "#00cd00", "#cdcd00", "#0000ee", "#cd00cd", "#00cdcd", "#e5e5e5",
        "#7f7f7f", "#ff0000", "#00ff00", "#ffff00", "#5c5cff", "#ff00ff", "#00ffff", "#ffffff",
    ];
    let indexed = |i: u8| -> String {
        match i {
            0..=15 => NAMED[i as usize].to_string(),
            16..=231 => {
                let k = i - 16;
                let level = |v: u8| if v == 0 { 0 } else { 55 + 40 * v };
                format!(
                    "#{:02x}{:02x}{:02x}",
                    level(k / 36),
                    level(k / 6 % 6),
                    level(k % 6)
                )
            }
            _ => {
                let g = 8 + 10 * (i - 232);
                format!("#{g:02x}{g:02x}{g:02x}")
            }
        }
    };
    Some(match c {
        Color::Reset => return None,
        Color::Black => indexed(0),
        Color::Red => indexed(1),
        Color::Green => indexed(2),
        Color::Yellow => indexed(3),
        Color::Blue => indexed(4),
        Color::Magenta => indexed(5),
        Color::Cyan => indexed(6),
        Color::Gray => indexed(7),
        Color::DarkGray => indexed(8),
        Color::LightRed => indexed(9),
        Color::LightGreen => indexed(10),
        Color::LightYellow => indexed(11),
        Color::LightBlue => indexed(12),
        Color::LightMagenta => indexed(13),
        Color::LightCyan => indexed(14),
        Color::White => indexed(15),
        Color::Indexed(i) => indexed(i),
        Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
    })
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The screen as SVG: a background, each cell's background where it has
/// one, and each cell's symbol in its colour and weight, at its place.
pub fn to_svg(buf: &Buffer) -> String {
    let area = buf.area;
    let (w, h) = (area.width as f64 * CELL_W, area.height as f64 * CELL_H);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w:.0}\" height=\"{h:.0}\" \
         viewBox=\"0 0 {w:.1} {h:.1}\" font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\" \
         font-size=\"{FONT_PX}\">\n<rect width=\"100%\" height=\"100%\" fill=\"{BACKGROUND}\"/>\n"
    );
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            let cell = &buf[(x, y)];
            let reverse = cell.modifier.contains(Modifier::REVERSED);
            let (mut fg, mut bg) = (
                hex(cell.fg).unwrap_or_else(|| FOREGROUND.into()),
                hex(cell.bg),
            );
            if reverse {
                let back = bg.unwrap_or_else(|| BACKGROUND.into());
                bg = Some(fg);
                fg = back;
            }
            let (px, py) = (
                (x - area.left()) as f64 * CELL_W,
                (y - area.top()) as f64 * CELL_H,
            );
            if let Some(bg) = bg {
                let _ = writeln!(
                    out,
                    "<rect x=\"{px:.1}\" y=\"{py:.1}\" width=\"{CELL_W}\" height=\"{CELL_H}\" fill=\"{bg}\"/>"
                );
            }
            let symbol = cell.symbol();
            if symbol.trim().is_empty() {
                continue;
            }
            let bold = if cell.modifier.contains(Modifier::BOLD) {
                " font-weight=\"bold\""
            } else {
                ""
            };
            let dim = if cell.modifier.contains(Modifier::DIM) {
                " opacity=\"0.6\""
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "<text x=\"{px:.1}\" y=\"{:.1}\" fill=\"{fg}\"{bold}{dim}>{}</text>",
                py + 0.8 * CELL_H,
                escape(symbol)
            );
        }
    }
    out.push_str("</svg>\n");
    out
}

/// `text` written into `path`'s temporary file, to be put in place with
/// the other (`Sink::commit_all`).
fn text_file(path: &std::path::Path, text: &str) -> io::Result<Sink> {
    let mut sink = Sink::open(&path.to_string_lossy())?;
    let written = sink.writer().and_then(|mut w| w.write_all(text.as_bytes()));
    written.map_err(|e| cannot_write(path, e))?;
    Ok(sink)
}

/// Writes the screen `buf` as `<base>-screen.txt` and `.svg` beside the
/// exports, and says so.
pub fn write(app: &mut App, buf: &Buffer) {
    let base = base_name(app);
    let txt = app.export_dir.join(format!("{base}-screen.txt"));
    let svg = app.export_dir.join(format!("{base}-screen.svg"));
    // Both or neither (the text was left when the SVG failed, under "screen
    // not written").
    let result = text_file(&txt, &to_text(buf))
        .and_then(|t| Ok(vec![t, text_file(&svg, &to_svg(buf))?]))
        .and_then(Sink::commit_all);
    match result {
        Ok(()) => app.say(format!(
            "screen written to {} and {}",
            txt.display(),
            svg.display()
        )),
        Err(e) => app.say_error(format!("screen not written, no file: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    #[test]
    fn text_and_svg_of_a_small_screen() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 6, 2));
        buf.set_string(0, 0, "a<b&", Style::default().fg(Color::Indexed(196)));
        buf.set_string(0, 1, "µ", Style::default().add_modifier(Modifier::REVERSED));
        assert_eq!(to_text(&buf), "a<b&\nµ\n");
        let svg = to_svg(&buf);
        assert!(
            svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"50\" height=\"34\"")
        );
        assert!(svg.contains("fill=\"#ff0000\">a</text>"), "{svg}");
        assert!(svg.contains(">&lt;</text>") && svg.contains(">&amp;</text>"));
        // Reversed: the cell's background is the foreground colour.
        assert!(
            svg.contains(&format!("height=\"17\" fill=\"{FOREGROUND}\"/>")),
            "{svg}"
        );
        assert!(
            svg.contains(&format!("fill=\"{BACKGROUND}\">µ</text>")),
            "{svg}"
        );
        assert!(svg.trim_end().ends_with("</svg>"));
    }

    #[test]
    fn the_xterm_palette() {
        assert_eq!(hex(Color::Indexed(16)).unwrap(), "#000000");
        assert_eq!(hex(Color::Indexed(21)).unwrap(), "#0000ff");
        assert_eq!(hex(Color::Indexed(232)).unwrap(), "#080808");
        assert_eq!(hex(Color::Rgb(1, 2, 3)).unwrap(), "#010203");
        assert_eq!(hex(Color::Reset), None);
    }
}
