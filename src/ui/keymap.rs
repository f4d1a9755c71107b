//! One table of key bindings: it maps keys to commands and generates the help
//! overlay, so the two cannot disagree. Keys are data, one binding a line.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::command::Command;
use crate::view::Pane;

/// A key as the table names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Code(KeyCode),
    Char(char),
}

/// A binding: its keys, the help row (keys as shown, what they do; empty
/// for the second half of a pair that the first row already describes)
/// and the command.
pub struct Binding {
    pub keys: &'static [Key],
    pub label: &'static str,
    pub help: &'static str,
    pub command: Command,
}

use Key::{Char as C, Code};

const fn bind(
    keys: &'static [Key],
    label: &'static str,
    help: &'static str,
    command: Command,
) -> Binding {
    Binding {
        keys,
        label,
        help,
        command,
    }
}

/// Every binding, in help order.
#[rustfmt::skip]
pub static BINDINGS: &[Binding] = &[
    bind(&[Code(KeyCode::Up), C('k')], "↑↓ k j", "input + / - coarse step", Command::AdjustInput { fine_steps: 10 }),
    bind(&[Code(KeyCode::Down), C('j')], "", "", Command::AdjustInput { fine_steps: -10 }),
    bind(&[Code(KeyCode::Right), C('l')], "→← l h", "input + / - fine step", Command::AdjustInput { fine_steps: 1 }),
    bind(&[Code(KeyCode::Left), C('h')], "", "", Command::AdjustInput { fine_steps: -1 }),
    bind(&[C('='), C('i')], "= i", "type an exact input value", Command::EnterInput),
    bind(&[C(' ')], "Space", "pause / run (re-arm single)", Command::TogglePause),
    bind(&[C('.')], ".", "one integration step", Command::StepOnce),
    bind(&[C('>')], ">", "one window of steps", Command::StepSweep),
    bind(&[C(']')], "] [", "faster / slower (x2, /2)", Command::Faster),
    bind(&[C('[')], "", "", Command::Slower),
    bind(&[C('z')], "z Z x", "zoom in / out (time axis)", Command::ZoomIn),
    bind(&[C('Z'), C('x')], "", "", Command::ZoomOut),
    bind(&[C('t')], "t", "sweep free/spike/single/roll", Command::ToggleTrigger),
    bind(&[C('s')], "s", "single shot: capture a sweep", Command::SingleShot),
    bind(&[C(')')], ") (", "pre-trigger + / - 10%", Command::AdjustPreTrigger { tenths: 1 }),
    bind(&[C('(')], "", "", Command::AdjustPreTrigger { tenths: -1 }),
    bind(&[Code(KeyCode::Tab)], "Tab", "next neuron/filter (S-Tab)", Command::SelectNext),
    bind(&[Code(KeyCode::BackTab)], "", "", Command::SelectPrevious),
    bind(&[C('g')], "g", "go to a neuron by number", Command::SelectNeuron),
    bind(&[C('+')], "+ -", "selected neuron: bias +/-0.1", Command::AdjustBias { tenths: 1 }),
    bind(&[C('-')], "", "", Command::AdjustBias { tenths: -1 }),
    bind(&[C('1')], "1 2 3", "views: scope, gates, rate", Command::ShowPane(Pane::Scope)),
    bind(&[C('2')], "", "", Command::ShowPane(Pane::Gates)),
    bind(&[C('3')], "", "", Command::ShowPane(Pane::Rate)),
    bind(&[C('4')], "4 5 6", "views: PSC h(t), σ(z), W", Command::ShowPane(Pane::Psc)),
    bind(&[C('5')], "", "", Command::ShowPane(Pane::Activation)),
    bind(&[C('6')], "", "", Command::ShowPane(Pane::Weights)),
    bind(&[C('7')], "7 8", "views: phase plane, ISI", Command::ShowPane(Pane::Phase)),
    bind(&[C('8')], "", "", Command::ShowPane(Pane::Isi)),
    bind(&[C('F')], "F", "f-I sweep: input up, down", Command::FiSweep),
    bind(&[C('p')], "p", "parameters (TTX, TEA, tau)", Command::OpenParams),
    bind(&[C('f')], "f", "freeze / clear a reference", Command::ToggleReference),
    bind(&[C('c')], "c H L", "cursors A, B, off; move", Command::CycleCursors),
    bind(&[C('H')], "", "", Command::MoveCursor(-1)),
    bind(&[C('L')], "", "", Command::MoveCursor(1)),
    bind(&[C('v')], "v", "next view", Command::NextPane),
    bind(&[C('n')], "n N", "PSC order n + 1 / - 1", Command::AdjustOrder { by: 1 }),
    bind(&[C('N')], "", "", Command::AdjustOrder { by: -1 }),
    bind(&[C('}')], "} {", "PSC tau_s up / down (x1.41)", Command::AdjustTauS { halves: 1 }),
    bind(&[C('{')], "", "", Command::AdjustTauS { halves: -1 }),
    bind(&[C('y')], "y", "PSC h(t): log / linear y", Command::TogglePscLogScale),
    bind(&[C('m')], "m", "switch model: HH, LIF, net", Command::SwitchModel),
    bind(&[C('r')], "r", "reset to t = 0 (replay)", Command::Reset),
    bind(&[C('o')], "o", "open a preset (list or path)", Command::OpenPicker),
    bind(&[C('e')], "e w", "export CSV / write screen", Command::Export),
    bind(&[C('w')], "", "", Command::WriteScreen),
    bind(&[C('a')], "a", "what to look at (the preset)", Command::ShowGuide),
    bind(&[C('?')], "?", "this help", Command::ToggleHelp),
    bind(&[Code(KeyCode::Esc)], "Esc", "close overlay, message, view", Command::Back),
    bind(&[C('q')], "q C-c", "quit (C-z shell, C-l redraw)", Command::Quit),
];

/// Ctrl-C, which quits from anywhere (overlays included).
pub fn is_interrupt(key: &KeyEvent) -> bool {
    key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL)
}

/// Ctrl-Z, which suspends to the shell from anywhere, as in any terminal
/// program (raw mode turns off the terminal's own: the key arrives here).
pub fn is_suspend(key: &KeyEvent) -> bool {
    key.code == KeyCode::Char('z') && key.modifiers.contains(KeyModifiers::CONTROL)
}

/// Ctrl-L, which draws the whole screen again from anywhere, as in any
/// terminal program: a screen garbled by another program's output (`wall`,
/// a background job) or line noise is mended.
pub fn is_repaint(key: &KeyEvent) -> bool {
    key.code == KeyCode::Char('l') && key.modifiers.contains(KeyModifiers::CONTROL)
}

fn matches(k: Key, key: &KeyEvent) -> bool {
    match k {
        Key::Code(code) => key.code == code,
        Key::Char(c) => {
            key.code == KeyCode::Char(c) && !key.modifiers.contains(KeyModifiers::CONTROL)
        }
    }
}

/// The command of a key press in the main screen, if any.
pub fn command_for(key: &KeyEvent) -> Option<Command> {
    if is_interrupt(key) {
        return Some(Command::Quit);
    }
    BINDINGS
        .iter()
        .find(|b| b.keys.iter().any(|&k| matches(k, key)))
        .map(|b| b.command.clone())
}

/// Width of the keys column of the help, of its text column, and the blank
/// after the text (with the keys' leading space, two blanks part the
/// longest text from the next column's keys: `roll m` read as one): two
/// columns fit an 80-column screen.
pub const HELP_KEYS_WIDTH: usize = 10;
pub const HELP_TEXT_WIDTH: usize = 28;
pub const HELP_GAP: usize = 1;

#[cfg(test)]
mod tests {
    use super::*;

    /// The help overlay cuts a line at its column: every binding must fit,
    /// its keys with a space before their text (a leading space, the keys,
    /// a space).
    #[test]
    fn every_binding_fits_its_column_of_the_help() {
        for b in BINDINGS {
            assert!(
                b.label.chars().count() + 2 <= HELP_KEYS_WIDTH,
                "{:?}",
                b.label
            );
            assert!(b.help.chars().count() <= HELP_TEXT_WIDTH, "{:?}", b.help);
            assert_eq!(b.label.is_empty(), b.help.is_empty());
        }
    }

    /// No key is bound twice.
    #[test]
    fn no_key_is_bound_twice() {
        let keys: Vec<Key> = BINDINGS
            .iter()
            .flat_map(|b| b.keys.iter().copied())
            .collect();
        for (i, k) in keys.iter().enumerate() {
            assert!(!keys[i + 1..].contains(k), "{k:?} is bound twice");
        }
    }
}
