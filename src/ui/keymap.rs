//! One table of key bindings: it maps keys to commands and generates the help
//! overlay, so the two cannot disagree.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::command::{Command, Pane};

/// A binding: the keys as shown in the help, a matcher and the command.
pub struct Binding {
    pub keys: &'static str,
    pub help: &'static str,
    pub matches: fn(&KeyEvent) -> bool,
    pub command: Command,
}

fn ch(k: &KeyEvent, c: char) -> bool {
    k.code == KeyCode::Char(c) && !k.modifiers.contains(KeyModifiers::CONTROL)
}

fn bind(
    keys: &'static str,
    help: &'static str,
    matches: fn(&KeyEvent) -> bool,
    command: Command,
) -> Binding {
    Binding {
        keys,
        help,
        matches,
        command,
    }
}

/// Every binding, in help order.
pub fn bindings() -> Vec<Binding> {
    vec![
        bind(
            "Up k",
            "input + coarse step",
            |k| k.code == KeyCode::Up || ch(k, 'k'),
            Command::AdjustInput { fine_steps: 10 },
        ),
        bind(
            "Down j",
            "input - coarse step",
            |k| k.code == KeyCode::Down || ch(k, 'j'),
            Command::AdjustInput { fine_steps: -10 },
        ),
        bind(
            "Right l",
            "input + fine step",
            |k| k.code == KeyCode::Right || ch(k, 'l'),
            Command::AdjustInput { fine_steps: 1 },
        ),
        bind(
            "Left h",
            "input - fine step",
            |k| k.code == KeyCode::Left || ch(k, 'h'),
            Command::AdjustInput { fine_steps: -1 },
        ),
        bind(
            "= i",
            "type an exact input value",
            |k| ch(k, '=') || ch(k, 'i'),
            Command::EnterInput,
        ),
        bind(
            "Space",
            "pause / resume",
            |k| ch(k, ' '),
            Command::TogglePause,
        ),
        bind(
            ".",
            "one integration step",
            |k| ch(k, '.'),
            Command::StepOnce,
        ),
        bind(
            ">",
            "one screen width of steps",
            |k| ch(k, '>'),
            Command::StepSweep,
        ),
        bind(
            "]",
            "faster (x2 simulated time per second)",
            |k| ch(k, ']'),
            Command::Faster,
        ),
        bind("[", "slower (/2)", |k| ch(k, '['), Command::Slower),
        bind(
            "z",
            "zoom in (shorter time window)",
            |k| ch(k, 'z'),
            Command::ZoomIn,
        ),
        bind(
            "Z x",
            "zoom out (longer time window)",
            |k| ch(k, 'Z') || ch(k, 'x'),
            Command::ZoomOut,
        ),
        bind(
            "t",
            "sweep: free-running / on spike / scroll",
            |k| ch(k, 't'),
            Command::ToggleTrigger,
        ),
        bind(
            "Tab",
            "select the next neuron",
            |k| k.code == KeyCode::Tab,
            Command::SelectNext,
        ),
        bind(
            "S-Tab",
            "select the previous neuron",
            |k| k.code == KeyCode::BackTab,
            Command::SelectPrevious,
        ),
        bind(
            "g",
            "go to a neuron: type its number",
            |k| ch(k, 'g'),
            Command::SelectNeuron,
        ),
        bind(
            "+",
            "selected neuron's bias + 0.1",
            |k| ch(k, '+'),
            Command::AdjustBias { tenths: 1 },
        ),
        bind(
            "-",
            "selected neuron's bias - 0.1",
            |k| ch(k, '-'),
            Command::AdjustBias { tenths: -1 },
        ),
        bind(
            "1",
            "view: oscilloscope",
            |k| ch(k, '1'),
            Command::ShowPane(Pane::Scope),
        ),
        bind(
            "2",
            "view: HH gates x_inf(V), tau_x(V)",
            |k| ch(k, '2'),
            Command::ShowPane(Pane::Gates),
        ),
        bind(
            "3",
            "view: LIF rate curve G(v_in)",
            |k| ch(k, '3'),
            Command::ShowPane(Pane::Rate),
        ),
        bind(
            "4",
            "view: PSC filter h(t)",
            |k| ch(k, '4'),
            Command::ShowPane(Pane::Psc),
        ),
        bind(
            "5",
            "view: activation functions",
            |k| ch(k, '5'),
            Command::ShowPane(Pane::Activation),
        ),
        bind(
            "6",
            "view: weights [W | b]",
            |k| ch(k, '6'),
            Command::ShowPane(Pane::Weights),
        ),
        bind("v", "next view", |k| ch(k, 'v'), Command::NextPane),
        bind(
            "n N",
            "PSC order n + 1 / - 1",
            |k| ch(k, 'n'),
            Command::AdjustOrder { by: 1 },
        ),
        bind("", "", |k| ch(k, 'N'), Command::AdjustOrder { by: -1 }),
        bind(
            "m",
            "switch model: HH, LIF, network",
            |k| ch(k, 'm'),
            Command::SwitchModel,
        ),
        bind("r", "reset to t = 0", |k| ch(k, 'r'), Command::Reset),
        bind(
            "o",
            "open a preset (list, or a path)",
            |k| ch(k, 'o'),
            Command::OpenPicker,
        ),
        bind(
            "e",
            "export the visible traces to CSV",
            |k| ch(k, 'e'),
            Command::Export,
        ),
        bind("?", "this help", |k| ch(k, '?'), Command::ToggleHelp),
        bind(
            "Esc",
            "close a view or message",
            |k| k.code == KeyCode::Esc,
            Command::Back,
        ),
        bind(
            "q C-c",
            "quit",
            |k| {
                ch(k, 'q')
                    || (k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL))
            },
            Command::Quit,
        ),
    ]
}

/// The command of a key press in the main screen, if any.
pub fn command_for(key: &KeyEvent) -> Option<Command> {
    bindings()
        .into_iter()
        .find(|b| (b.matches)(key))
        .map(|b| b.command)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::render::{HELP_KEYS_WIDTH, HELP_TEXT_WIDTH};

    /// The help overlay cuts a line at its column: every binding must fit.
    #[test]
    fn every_binding_fits_its_column_of_the_help() {
        for b in bindings() {
            assert!(b.keys.chars().count() < HELP_KEYS_WIDTH, "{:?}", b.keys);
            assert!(b.help.chars().count() <= HELP_TEXT_WIDTH, "{:?}", b.help);
        }
    }
}
