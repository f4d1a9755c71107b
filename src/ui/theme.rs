//! Colours and glyphs. Only the 16 named ANSI colours are used, so every
//! terminal (16, 256 or true colour) shows the same; with NO_COLOR every
//! colour becomes the terminal's default while bold and reverse stay. Nothing
//! is carried by colour alone: traces have legends, spikes are glyphs.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
    /// Draw with ASCII only (a non-UTF-8 locale or --ascii).
    pub ascii: bool,
}

impl Default for Theme {
    fn default() -> Self {
        Self {
            color: true,
            ascii: false,
        }
    }
}

impl Theme {
    /// From the environment: NO_COLOR (non-empty) turns colour off; a locale
    /// without UTF-8 chooses ASCII; `--ascii` / `--unicode` override.
    pub fn from_env(force_ascii: bool, force_unicode: bool) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let locale = ["LC_ALL", "LC_CTYPE", "LANG"]
            .iter()
            .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
            .unwrap_or_default()
            .to_ascii_uppercase();
        let utf8 = locale.contains("UTF-8") || locale.contains("UTF8");
        Self {
            color: !no_color,
            ascii: force_ascii || (!force_unicode && !utf8),
        }
    }

    pub fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    pub fn dim(&self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new()
        }
    }

    pub fn bold(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    /// Colours of successive traces.
    pub fn trace(&self, k: usize) -> Style {
        const C: [Color; 8] = [
            Color::Yellow,
            Color::Cyan,
            Color::Magenta,
            Color::Green,
            Color::Red,
            Color::Blue,
            Color::LightYellow,
            Color::LightCyan,
        ];
        self.fg(C[k % C.len()])
    }
}

/// An ASCII stand-in for a non-ASCII glyph drawn by a widget.
pub fn ascii_glyph(s: &str) -> &'static str {
    let Some(c) = s.chars().next() else {
        return " ";
    };
    match c {
        '─' | '━' | '╌' | '┄' => "-",
        '│' | '┃' | '╎' | '┆' => "|",
        '┌' | '┐' | '└' | '┘' | '├' | '┤' | '┬' | '┴' | '┼' | '╭' | '╮' | '╰' | '╯' => {
            "+"
        }
        '•' | '·' => "*",
        '▶' => ">",
        '⏸' => "=",
        'µ' => "u",
        '²' => "2",
        '↑' => "^",
        '↓' => "v",
        '←' => "<",
        '→' => ">",
        '±' => "+-",
        '\u{2800}' => " ",
        '\u{2801}'..='\u{28FF}' => "*",
        _ if c.is_ascii() => "?",
        _ => "#",
    }
}
