//! Colours and glyphs. Only the named ANSI colours are used, which look the
//! same in 16-colour, 256-colour and true-colour terminals; how many the
//! terminal has comes from its terminfo entry (`max_colors`): none (a VT100,
//! xterm-mono), 8 (no bright ones) or 16 and more. With NO_COLOR every colour
//! becomes the terminal's default while bold and reverse stay. Nothing is
//! carried by colour alone: curves are named on the plot, spikes are glyphs.

use ratatui::style::{Color, Modifier, Style};

/// How many colours the terminal shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorDepth {
    None,
    /// The eight basic colours (no bright ones).
    Ansi8,
    /// Sixteen or more: the named colours.
    Ansi16,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
    pub depth: ColorDepth,
    /// Draw with ASCII only (a non-UTF-8 locale, a terminal whose font has
    /// no Braille, or --ascii).
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

/// The Linux console by its terminfo name (`linux`, `linux-16color`), or
/// GNU screen inside it (`screen.linux`, as screen names it there).
fn is_linux_console(term: &str) -> bool {
    let base = term.split_once('.').map_or(term, |(_, outer)| outer);
    base == "linux" || base.starts_with("linux-")
}

/// A DEC VT by its terminfo name: `vt` and a model number (vt52, vt100,
/// vt220-8bit), not GNOME's `vte-256color`.
fn is_dec_vt(term: &str) -> bool {
    term.strip_prefix("vt")
        .is_some_and(|model| model.starts_with(|c: char| c.is_ascii_digit()))
}

impl Theme {
    /// From the environment: NO_COLOR (non-empty) turns colour off; the
    /// terminfo entry of TERM gives the number of colours; a locale without
    /// UTF-8, the Linux console or a DEC VT chooses ASCII; `--ascii` /
    /// `--unicode` override.
    pub fn from_env(force_ascii: bool, force_unicode: bool) -> Self {
        let var = |k: &str| std::env::var(k).ok();
        let colors = terminfo::Database::from_env().ok().map(|db| {
            db.get::<terminfo::capability::MaxColors>()
                .map_or(0, |c| c.0)
        });
        Self::from_vars(&var, colors, force_ascii, force_unicode)
    }

    /// `from_env` over any source of variables and the terminfo entry's
    /// number of colours (`None`: no entry for TERM), for tests.
    pub fn from_vars(
        var: &dyn Fn(&str) -> Option<String>,
        terminfo_colors: Option<i32>,
        force_ascii: bool,
        force_unicode: bool,
    ) -> Self {
        let set = |k: &str| var(k).filter(|v| !v.is_empty());
        let utf8 = crate::text::locale_is_utf8(var);
        let term = set("TERM").unwrap_or_default();
        // Without a terminfo entry the name is all there is: monochrome
        // terminals say so or are the DEC VTs.
        let colors = terminfo_colors.unwrap_or_else(|| {
            let mono = term.contains("mono") || is_dec_vt(&term);
            if mono { 0 } else { 16 }
        });
        let depth = if set("NO_COLOR").is_some() || colors < 8 {
            ColorDepth::None
        } else if colors < 16 {
            ColorDepth::Ansi8
        } else {
            ColorDepth::Ansi16
        };
        // The Linux console's fonts hold 256 or 512 glyphs, box drawing
        // but no Braille (a curve there was a row of replacement marks
        // under a UTF-8 locale), and a DEC VT shows no UTF-8 at all: both
        // draw in ASCII unless --unicode says the terminal can do better.
        let no_braille = is_linux_console(&term) || is_dec_vt(&term);
        Self {
            color: depth != ColorDepth::None,
            depth,
            ascii: force_ascii || (!force_unicode && (!utf8 || no_braille)),
        }
    }

    pub fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    /// Frames, axes, hints: dark grey where the terminal has 16 colours,
    /// the terminal's own dim where it has 8, plain without colour.
    pub fn dim(&self) -> Style {
        match self.depth {
            ColorDepth::Ansi16 => Style::new().fg(Color::DarkGray),
            ColorDepth::Ansi8 => Style::new().add_modifier(Modifier::DIM),
            ColorDepth::None => Style::new(),
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

    /// Colours of successive traces: the named ANSI colours only, which
    /// every colour terminal shows the same way, 16 or 256 or true colour
    /// (the bright ones only where the terminal has 16).
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
        let colors = if self.depth == ColorDepth::Ansi8 {
            6
        } else {
            8
        };
        self.fg(NAMED[k % colors])
    }

    /// `unicode`, or in ASCII the words for it where a one-cell stand-in
    /// would read as something else: `^v` and `><` for the arrow keys are
    /// the keys `v` and `>`, and `>` before a level reads "greater than".
    pub fn spelled<'a>(&self, unicode: &'a str, ascii: &'a str) -> &'a str {
        if self.ascii { ascii } else { unicode }
    }
}

impl Theme {
    /// `text` as words for this theme: in ASCII each symbol by its written
    /// stand-in before the text is laid out (`σ(z)` as `sigma(z)`, `Σ` as
    /// `Sum`), where the one-cell stand-ins the screen falls back on would
    /// read as other things (`s(z)`, the synaptic current's name).
    pub fn words<'a>(&self, text: &'a str) -> std::borrow::Cow<'a, str> {
        if self.ascii {
            crate::text::for_locale(text, false)
        } else {
            std::borrow::Cow::Borrowed(text)
        }
    }
}

/// An ASCII stand-in for a non-ASCII glyph drawn by a widget (one cell:
/// `crate::text::ascii_cell`).
pub fn ascii_glyph(s: &str) -> &'static str {
    let Some(c) = s.chars().next() else {
        return " ";
    };
    // A letter without a stand-in reads `?`, as in a line of text; a
    // glyph (a block, a shape) `#`.
    crate::text::ascii_cell(c).unwrap_or(if c.is_ascii() || c.is_alphabetic() {
        "?"
    } else {
        "#"
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme(vars: &[(&str, &str)], colors: Option<i32>) -> Theme {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        Theme::from_vars(
            &|k| vars.iter().find(|(a, _)| a == k).map(|(_, b)| b.clone()),
            colors,
            false,
            false,
        )
    }

    #[test]
    fn depth_and_glyphs_from_the_environment() {
        let t = theme(&[("TERM", "xterm"), ("LANG", "en_US.UTF-8")], Some(8));
        assert_eq!((t.depth, t.ascii), (ColorDepth::Ansi8, false));
        assert_eq!(t.trace(0).fg, Some(Color::Yellow));
        assert_eq!(t.trace(6).fg, Some(Color::Yellow), "no bright colours");
        let t = theme(
            &[("TERM", "xterm-256color"), ("LC_ALL", "C.UTF-8")],
            Some(256),
        );
        assert_eq!(t.depth, ColorDepth::Ansi16);
        assert_eq!(
            t.trace(6).fg,
            Some(Color::LightYellow),
            "named colours only"
        );
        // Terminals without colours, by their terminfo entry or, without
        // one, by name: a VT100 reads colour codes as blink.
        for (term, colors) in [("vt100", Some(0)), ("xterm-mono", Some(0)), ("vt220", None)] {
            let t = theme(&[("TERM", term), ("LANG", "C.UTF-8")], colors);
            assert_eq!((t.color, t.depth), (false, ColorDepth::None), "{term}");
            assert_eq!(t.trace(0).fg, None);
        }
        let t = theme(
            &[
                ("TERM", "xterm-256color"),
                ("NO_COLOR", "1"),
                ("LANG", "C.UTF-8"),
            ],
            Some(256),
        );
        assert_eq!((t.color, t.depth), (false, ColorDepth::None));
        assert_eq!(t.trace(0).fg, None);
        assert_eq!(t.selected().add_modifier, Modifier::REVERSED);
        // An empty NO_COLOR does not count; a non-UTF-8 locale draws ASCII.
        let t = theme(&[("NO_COLOR", ""), ("LANG", "C")], Some(8));
        assert!(t.color && t.ascii);
        let t = Theme::from_vars(&|_| None, None, false, true);
        assert!(!t.ascii, "--unicode overrides the locale");
        // The Linux console and the DEC VTs have no Braille whatever the
        // locale says; --unicode overrides that too; a terminal whose name
        // only starts like one keeps Unicode.
        for term in ["linux", "linux-16color", "screen.linux", "vt100", "vt220"] {
            let t = theme(&[("TERM", term), ("LANG", "C.UTF-8")], Some(8));
            assert!(t.ascii, "{term}");
            let utf8_term = |k: &str| match k {
                "TERM" => Some(term.to_string()),
                "LANG" => Some("C.UTF-8".to_string()),
                _ => None,
            };
            assert!(!Theme::from_vars(&utf8_term, Some(8), false, true).ascii);
        }
        for term in [
            "linuxconsole-like",
            "vte-256color",
            "vt",
            "screen.xterm-256color",
        ] {
            let t = theme(&[("TERM", term), ("LANG", "C.UTF-8")], None);
            assert!(!t.ascii && t.color, "{term}");
        }
        let t = Theme::from_vars(&|_| Some("en_US.UTF-8".into()), None, true, false);
        assert!(t.ascii, "--ascii overrides the locale");
    }

    /// A cell holds one character: every stand-in is one, so ASCII mode
    /// never shifts or covers a neighbour (`±` once became `+-`).
    #[test]
    fn every_ascii_stand_in_is_one_character() {
        for c in (0x80u32..0x3000).filter_map(char::from_u32) {
            let s = ascii_glyph(&c.to_string());
            assert!(s.len() == 1 && s.is_ascii(), "{c:?} -> {s:?}");
        }
        // A letter without one is `?`, as in a line of text; a shape `#`.
        assert_eq!(ascii_glyph("ж"), "?");
        assert_eq!(ascii_glyph("█"), "#");
    }

    /// The terminfo entries of the machine say what the names promise.
    #[test]
    fn terminfo_entries_give_the_colours() {
        let colors = |name: &str| {
            terminfo::Database::from_name(name).ok().map(|db| {
                db.get::<terminfo::capability::MaxColors>()
                    .map_or(0, |c| c.0)
            })
        };
        if let (Some(mono), Some(xterm)) = (colors("vt100"), colors("xterm-256color")) {
            assert_eq!(mono, 0);
            assert_eq!(xterm, 256);
        }
    }
}
