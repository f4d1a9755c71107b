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

/// Every binding, in help order.
pub fn bindings() -> Vec<Binding> {
    vec![
        Binding {
            keys: "Up k",
            help: "input + coarse step",
            matches: |k| k.code == KeyCode::Up || ch(k, 'k'),
            command: Command::AdjustInput { fine_steps: 10 },
        },
        Binding {
            keys: "Down j",
            help: "input - coarse step",
            matches: |k| k.code == KeyCode::Down || ch(k, 'j'),
            command: Command::AdjustInput { fine_steps: -10 },
        },
        Binding {
            keys: "Right l",
            help: "input + fine step",
            matches: |k| k.code == KeyCode::Right || ch(k, 'l'),
            command: Command::AdjustInput { fine_steps: 1 },
        },
        Binding {
            keys: "Left h",
            help: "input - fine step",
            matches: |k| k.code == KeyCode::Left || ch(k, 'h'),
            command: Command::AdjustInput { fine_steps: -1 },
        },
        Binding {
            keys: "= i",
            help: "type an exact input value",
            matches: |k| ch(k, '=') || ch(k, 'i'),
            command: Command::EnterInput,
        },
        Binding {
            keys: "Space",
            help: "pause / resume",
            matches: |k| ch(k, ' '),
            command: Command::TogglePause,
        },
        Binding {
            keys: ".",
            help: "one integration step",
            matches: |k| ch(k, '.'),
            command: Command::StepOnce,
        },
        Binding {
            keys: ">",
            help: "one screen width of steps",
            matches: |k| ch(k, '>'),
            command: Command::StepSweep,
        },
        Binding {
            keys: "]",
            help: "faster (x2 simulated time per second)",
            matches: |k| ch(k, ']'),
            command: Command::Faster,
        },
        Binding {
            keys: "[",
            help: "slower (/2)",
            matches: |k| ch(k, '['),
            command: Command::Slower,
        },
        Binding {
            keys: "z",
            help: "zoom in (shorter time window)",
            matches: |k| ch(k, 'z'),
            command: Command::ZoomIn,
        },
        Binding {
            keys: "Z x",
            help: "zoom out (longer time window)",
            matches: |k| ch(k, 'Z') || ch(k, 'x'),
            command: Command::ZoomOut,
        },
        Binding {
            keys: "t",
            help: "sweep: free-running / on a spike / scrolling",
            matches: |k| ch(k, 't'),
            command: Command::ToggleTrigger,
        },
        Binding {
            keys: "Tab",
            help: "select the next neuron",
            matches: |k| k.code == KeyCode::Tab,
            command: Command::SelectNext,
        },
        Binding {
            keys: "S-Tab",
            help: "select the previous neuron",
            matches: |k| k.code == KeyCode::BackTab,
            command: Command::SelectPrevious,
        },
        Binding {
            keys: "+",
            help: "selected neuron's bias + 0.1",
            matches: |k| ch(k, '+'),
            command: Command::AdjustBias { tenths: 1 },
        },
        Binding {
            keys: "-",
            help: "selected neuron's bias - 0.1",
            matches: |k| ch(k, '-'),
            command: Command::AdjustBias { tenths: -1 },
        },
        Binding {
            keys: "1",
            help: "view: oscilloscope",
            matches: |k| ch(k, '1'),
            command: Command::ShowPane(Pane::Scope),
        },
        Binding {
            keys: "2",
            help: "view: HH gates x_inf(V), tau_x(V)",
            matches: |k| ch(k, '2'),
            command: Command::ShowPane(Pane::Gates),
        },
        Binding {
            keys: "3",
            help: "view: LIF rate curve G(v_in)",
            matches: |k| ch(k, '3'),
            command: Command::ShowPane(Pane::Rate),
        },
        Binding {
            keys: "4",
            help: "view: PSC filter h(t)",
            matches: |k| ch(k, '4'),
            command: Command::ShowPane(Pane::Psc),
        },
        Binding {
            keys: "5",
            help: "view: activation functions",
            matches: |k| ch(k, '5'),
            command: Command::ShowPane(Pane::Activation),
        },
        Binding {
            keys: "6",
            help: "view: weights [W | b]",
            matches: |k| ch(k, '6'),
            command: Command::ShowPane(Pane::Weights),
        },
        Binding {
            keys: "v",
            help: "next view",
            matches: |k| ch(k, 'v'),
            command: Command::NextPane,
        },
        Binding {
            keys: "n N",
            help: "PSC order n + 1 / - 1",
            matches: |k| ch(k, 'n'),
            command: Command::AdjustOrder { by: 1 },
        },
        Binding {
            keys: "",
            help: "",
            matches: |k| ch(k, 'N'),
            command: Command::AdjustOrder { by: -1 },
        },
        Binding {
            keys: "m",
            help: "switch model: HH, LIF, network",
            matches: |k| ch(k, 'm'),
            command: Command::SwitchModel,
        },
        Binding {
            keys: "r",
            help: "reset to t = 0",
            matches: |k| ch(k, 'r'),
            command: Command::Reset,
        },
        Binding {
            keys: "o",
            help: "open a preset (list, or a path)",
            matches: |k| ch(k, 'o'),
            command: Command::OpenPicker,
        },
        Binding {
            keys: "e",
            help: "export the visible traces to CSV",
            matches: |k| ch(k, 'e'),
            command: Command::Export,
        },
        Binding {
            keys: "?",
            help: "this help",
            matches: |k| ch(k, '?'),
            command: Command::ToggleHelp,
        },
        Binding {
            keys: "Esc",
            help: "close a view or message",
            matches: |k| k.code == KeyCode::Esc,
            command: Command::Back,
        },
        Binding {
            keys: "q C-c",
            help: "quit",
            matches: |k| {
                ch(k, 'q')
                    || (k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL))
            },
            command: Command::Quit,
        },
    ]
}

/// The command of a key press in the main screen, if any.
pub fn command_for(key: &KeyEvent) -> Option<Command> {
    bindings()
        .into_iter()
        .find(|b| (b.matches)(key))
        .map(|b| b.command)
}
