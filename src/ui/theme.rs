//! Colours and glyphs. The palette follows what the terminal says it can
//! show: 16 named ANSI colours (the default, safe over any SSH link), the 256
//! indexed colours when TERM mentions 256, RGB when COLORTERM says truecolor
//! or 24bit. With NO_COLOR every colour becomes the terminal's default while
//! bold and reverse stay. Nothing is carried by colour alone: traces have
//! legends, spikes are glyphs.

use ratatui::style::{Color, Modifier, Style};

/// How many colours the terminal shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorDepth {
    None,
    Ansi16,
    Indexed256,
    TrueColor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
    pub depth: ColorDepth,
    /// Draw with ASCII only (a non-UTF-8 locale or --ascii).
    pub ascii: bool,
}

impl Default for Theme {
    fn default() -> Self {
        Self {
            color: true,
            depth: ColorDepth::Ansi16,
            ascii: false,
        }
    }
}

impl Theme {
    /// From the environment: NO_COLOR (non-empty) turns colour off; COLORTERM
    /// and TERM choose the depth; a locale without UTF-8 chooses ASCII;
    /// `--ascii` / `--unicode` override.
    pub fn from_env(force_ascii: bool, force_unicode: bool) -> Self {
        let var = |k: &str| std::env::var(k).ok();
        Self::from_vars(&var, force_ascii, force_unicode)
    }

    /// `from_env` over any source of variables (for tests).
    pub fn from_vars(
        var: &dyn Fn(&str) -> Option<String>,
        force_ascii: bool,
        force_unicode: bool,
    ) -> Self {
        let set = |k: &str| var(k).filter(|v| !v.is_empty());
        let no_color = set("NO_COLOR").is_some();
        let locale = ["LC_ALL", "LC_CTYPE", "LANG"]
            .iter()
            .find_map(|k| set(k))
            .unwrap_or_default()
            .to_ascii_uppercase();
        let utf8 = locale.contains("UTF-8") || locale.contains("UTF8");
        let colorterm = set("COLORTERM").unwrap_or_default().to_ascii_lowercase();
        let term = set("TERM").unwrap_or_default();
        let depth = if no_color {
            ColorDepth::None
        } else if colorterm == "truecolor" || colorterm == "24bit" {
            ColorDepth::TrueColor
        } else if term.contains("256") {
            ColorDepth::Indexed256
        } else {
            ColorDepth::Ansi16
        };
        Self {
            color: !no_color,
            depth,
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

    /// Colours of successive traces, in the terminal's depth.
    pub fn trace(&self, k: usize) -> Style {
        const NAMED: [Color; 8] = [
            Color::Yellow,
            Color::Cyan,
            Color::Magenta,
            Color::Green,
            Color::Red,
            Color::Blue,
            Color::LightYellow,
            Color::LightCyan,
        ];
        // The same hues, brighter and easier to tell apart where available.
        const INDEXED: [u8; 8] = [220, 51, 207, 83, 203, 75, 229, 159];
        const RGB: [(u8, u8, u8); 8] = [
            (255, 204, 0),
            (0, 215, 255),
            (255, 95, 215),
            (95, 255, 95),
            (255, 95, 95),
            (95, 175, 255),
            (255, 255, 175),
            (175, 255, 255),
        ];
        let k = k % NAMED.len();
        self.fg(match self.depth {
            ColorDepth::None | ColorDepth::Ansi16 => NAMED[k],
            ColorDepth::Indexed256 => Color::Indexed(INDEXED[k]),
            ColorDepth::TrueColor => Color::Rgb(RGB[k].0, RGB[k].1, RGB[k].2),
        })
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
        '◀' => "<",
        '⏸' | '‖' => "=",
        '■' => "#",
        '…' => ".",
        '×' => "x",
        '÷' => "/",
        'σ' => "s",
        'Σ' => "S",
        'τ' => "t",
        '°' => "o",
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

#[cfg(test)]
mod tests {
    use super::*;

    fn theme(vars: &[(&str, &str)]) -> Theme {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        Theme::from_vars(
            &|k| vars.iter().find(|(a, _)| a == k).map(|(_, b)| b.clone()),
            false,
            false,
        )
    }

    #[test]
    fn depth_and_glyphs_from_the_environment() {
        let t = theme(&[("TERM", "xterm"), ("LANG", "en_US.UTF-8")]);
        assert_eq!((t.depth, t.ascii), (ColorDepth::Ansi16, false));
        assert_eq!(t.trace(0).fg, Some(Color::Yellow));
        let t = theme(&[("TERM", "xterm-256color"), ("LC_ALL", "C.UTF-8")]);
        assert_eq!(t.depth, ColorDepth::Indexed256);
        assert_eq!(t.trace(0).fg, Some(Color::Indexed(220)));
        let t = theme(&[
            ("TERM", "xterm-256color"),
            ("COLORTERM", "truecolor"),
            ("LANG", "C.UTF-8"),
        ]);
        assert_eq!(t.depth, ColorDepth::TrueColor);
        assert!(matches!(t.trace(1).fg, Some(Color::Rgb(..))));
        let t = theme(&[
            ("TERM", "xterm-256color"),
            ("NO_COLOR", "1"),
            ("LANG", "C.UTF-8"),
        ]);
        assert_eq!((t.color, t.depth), (false, ColorDepth::None));
        assert_eq!(t.trace(0).fg, None);
        assert_eq!(t.selected().add_modifier, Modifier::REVERSED);
        // An empty NO_COLOR does not count; a non-UTF-8 locale draws ASCII.
        let t = theme(&[("NO_COLOR", ""), ("LANG", "C")]);
        assert!(t.color && t.ascii);
        let t = Theme::from_vars(&|_| None, false, true);
        assert!(!t.ascii, "--unicode overrides the locale");
        let t = Theme::from_vars(&|_| Some("en_US.UTF-8".into()), true, false);
        assert!(t.ascii, "--ascii overrides the locale");
    }
}
