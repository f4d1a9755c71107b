//! The live parameters panel (`p`): the running model's numeric parameters
//! (HH's conductances, reversal potentials, C and temperature with TTX and
//! TEA as HHsim's blocker boxes; LIF's tau_m, tau_ref, threshold and reset; a
//! network's tau_m, tau_ref, tau_s, PSC order and the selected neuron's
//! bias). A change is a preset override (`--set KEY=VALUE`), validated as a
//! preset, whose model takes over the running state (`App::change_param`);
//! the panel marks what was changed and shows the `--set` that reproduces
//! it.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::app::App;
use super::command::Command;
use super::format::compact;
use super::line_edit::edit_line;
use super::overlay::{
    ENTRY_MAX, OverlayOutcome, parse_in_unit, parse_number, rows_shown, scroll_to_show, unit_hint,
};
use super::theme::Theme;
use super::words::wrap_words;
use crate::model::AnyModel;
use crate::preset::time::parse_time;

/// What choosing an item does.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ItemKind {
    /// A number typed in the item's unit; `seconds` keys take it in ms.
    Number { ms: bool },
    /// A blocker: the key set to 0, or back to the preset's value.
    Block { on: bool },
    /// The selected network neuron's bias, set on the model directly (as
    /// the keyboard's + and -).
    Bias,
    /// The weight onto the selected neuron from neuron `from`: the whole
    /// matrix is overridden (`network.weights`, or `network.augmented`
    /// with the biases as they are).
    Weight { from: usize },
}

/// Most neurons whose incoming weights the panel lists (one row each).
pub const MAX_WEIGHT_ROWS: usize = 12;

/// One row of the panel.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// The preset key it overrides.
    pub key: &'static str,
    pub label: String,
    pub unit: &'static str,
    pub value: f64,
    pub kind: ItemKind,
}

fn number(key: &'static str, label: &str, unit: &'static str, value: f64) -> Item {
    Item {
        key,
        label: label.into(),
        unit,
        value,
        kind: ItemKind::Number { ms: false },
    }
}

fn millis(key: &'static str, label: &str, value_s: f64) -> Item {
    Item {
        key,
        label: label.into(),
        unit: "ms",
        value: value_s * 1e3,
        kind: ItemKind::Number { ms: true },
    }
}

/// The running model's parameters, as they are now.
pub fn items(app: &App) -> Vec<Item> {
    match &app.sim.model {
        AnyModel::Hh(n) => {
            let p = &n.params;
            let block = |key, label: &str, on| Item {
                key,
                label: label.into(),
                unit: "",
                value: 0.0,
                kind: ItemKind::Block { on },
            };
            vec![
                number("hh.g_na", "g_Na", "mS/cm²", p.g_na),
                number("hh.g_k", "g_K", "mS/cm²", p.g_k),
                number("hh.g_l", "g_L", "mS/cm²", p.g_l),
                number("hh.e_na", "E_Na", "mV", p.e_na),
                number("hh.e_k", "E_K", "mV", p.e_k),
                number("hh.e_l", "E_L", "mV", p.e_l),
                number("hh.c_m", "C", "µF/cm²", p.c_m),
                number("hh.temperature", "T", "°C", p.temperature),
                block(
                    "hh.g_na",
                    "TTX: Na channels blocked (g_Na = 0)",
                    p.g_na == 0.0,
                ),
                block("hh.g_k", "TEA: K channels blocked (g_K = 0)", p.g_k == 0.0),
            ]
        }
        AnyModel::Lif(n) => vec![
            millis("lif.tau_m", "tau_m", n.params.tau_m_s),
            millis("lif.tau_ref", "tau_ref", n.params.tau_ref_s),
            number("lif.v_threshold", "v_threshold", "", n.params.v_threshold),
            number("lif.v_reset", "v_reset", "", n.params.v_reset),
        ],
        AnyModel::Network(net) => {
            let p = net.params();
            let i = app.view.selected;
            let mut list = vec![
                millis("network.tau_m", "tau_m", p.tau_m_s),
                millis("network.tau_ref", "tau_ref", p.tau_ref_s),
                millis("network.tau_s", "tau_s", p.filter.tau_s_s),
                number(
                    "network.psc_order",
                    "PSC order n",
                    "",
                    p.filter.order as f64,
                ),
                Item {
                    key: "bias",
                    label: format!("bias b of #{i}"),
                    unit: "",
                    value: net.bias()[i],
                    kind: ItemKind::Bias,
                },
            ];
            // A drawn (random) network's weights are its recipe's, and a
            // large one's rows too many to list.
            if app.preset_has_weights() && net.len() <= MAX_WEIGHT_ROWS {
                let row = &net.connections().to_dense()[i];
                for (j, &w) in row.iter().enumerate() {
                    list.push(Item {
                        key: if app.preset.augmented {
                            "network.augmented"
                        } else {
                            "network.weights"
                        },
                        label: format!("w {}<-{}", short_name(app, i), short_name(app, j)),
                        unit: "",
                        value: w,
                        kind: ItemKind::Weight { from: j },
                    });
                }
            }
            list
        }
        AnyModel::Rate(_) | AnyModel::Synapse(_) => Vec::new(),
    }
}

/// A neuron's name, or its number.
fn short_name(app: &App, i: usize) -> String {
    match &app.sim.model {
        AnyModel::Network(net) => net
            .names()
            .get(i)
            .filter(|n| !n.is_empty())
            .cloned()
            .unwrap_or_else(|| format!("#{i}")),
        _ => format!("#{i}"),
    }
}

/// The value typed for `item`, in the item's unit: a number (`10`, `1,5`),
/// or the number with that unit after it (`10 ms`, `-77mV`), as the panel
/// shows it; a time also in another unit of time (`0.01 s`, `500 us`), as
/// presets write it.
pub fn typed_value(item: &Item, typed: &str) -> Result<f64, String> {
    let typed = typed.trim();
    let in_unit = parse_in_unit(typed, item.unit);
    if in_unit.is_ok() || typed.is_empty() {
        return in_unit;
    }
    match item.kind {
        ItemKind::Number { ms: true } => match parse_time(typed) {
            Ok(seconds) => Ok(seconds * 1e3),
            Err(_) => Err(format!(
                "{} (in ms, or with a unit: 10 ms, 0.01 s)",
                parse_number(typed).unwrap_err()
            )),
        },
        _ => in_unit,
    }
}

/// A typed number as the override's value: times with their unit.
pub fn override_text(item: &Item, value: f64) -> String {
    let number = crate::text::exact_number(value);
    match item.kind {
        ItemKind::Number { ms: true } => format!("{number} ms"),
        _ => number,
    }
}

/// A key in the parameters panel: choosing a row, or typing its value.
pub(super) fn on_key(
    key: &KeyEvent,
    text: &mut Option<String>,
    error: &mut Option<String>,
) -> OverlayOutcome {
    use OverlayOutcome::{Close, Command as Do, Stay};
    let Some(t) = text else {
        return match key.code {
            KeyCode::Esc | KeyCode::Char('p' | 'q') => Close,
            KeyCode::Up | KeyCode::Char('k') => Do(Command::MoveParam(-1)),
            KeyCode::Down | KeyCode::Char('j') => Do(Command::MoveParam(1)),
            KeyCode::Enter | KeyCode::Char('=' | 'i') => Do(Command::EditParam),
            _ => Stay,
        };
    };
    match key.code {
        KeyCode::Esc => {
            *text = None;
            *error = None;
            Stay
        }
        KeyCode::Enter => Do(Command::SetParam(t.clone())),
        _ => {
            if edit_line(t, key, |t, _| t.chars().count() < ENTRY_MAX) {
                *error = None;
            }
            Stay
        }
    }
}

/// Draws the panel over the main area.
pub fn render(
    frame: &mut Frame,
    main: Rect,
    app: &App,
    index: usize,
    text: Option<&str>,
    error: Option<&str>,
    theme: &Theme,
) {
    let list = items(app);
    let width = main.width.min(64);
    let mut body: Vec<Line> = Vec::new();
    if list.is_empty() {
        body.push(Line::raw(
            " This model's parameters are its preset's weights and filters: open the \
             preset with --set to change them.",
        ));
    }
    let changed = |key: &str| app.changed.iter().any(|(k, _)| k == key);
    for (k, item) in list.iter().enumerate() {
        let mark = if item.kind != ItemKind::Bias && changed(item.key) {
            "*"
        } else {
            " "
        };
        let value = match item.kind {
            ItemKind::Block { on } => if on { "[x]" } else { "[ ]" }.to_string(),
            _ => format!("{} {}", compact(item.value), item.unit),
        };
        // The chosen row is reversed and pointed at (without colour or
        // reverse video the pointer still says which).
        let row = match (k == index, text) {
            (true, Some(t)) => Line::from(vec![
                Span::raw(format!("›{mark} {:<12} = ", item.label)),
                Span::styled(format!("{t}_"), theme.selected()),
                Span::raw(unit_hint(t, item.unit)),
            ]),
            (true, None) => Line::styled(
                format!("›{mark} {:<12} {value}", item.label),
                theme.selected(),
            ),
            _ => Line::raw(format!(" {mark} {:<12} {value}", item.label)),
        };
        body.push(row);
    }
    let inner_width = width.saturating_sub(4) as usize;
    // Under the rows, what was refused and what changed: always in view;
    // the rows scroll to keep the chosen one in view (HH's ten rows, a
    // network's incoming weights, in a small terminal).
    let mut foot: Vec<Line> = Vec::new();
    if let Some(e) = error {
        foot.extend(
            wrap_words(e, inner_width)
                .into_iter()
                .map(|l| Line::styled(format!(" {l}"), theme.error())),
        );
    }
    if !app.changed.is_empty() {
        let text = format!("* changed; to reproduce:{}", app.reproduce_as_set());
        foot.extend(
            wrap_words(&text, inner_width)
                .into_iter()
                .map(|l| Line::styled(format!(" {l}"), theme.dim())),
        );
    }
    let title = if text.is_some() {
        " type a value · Enter applies · Esc cancels ".to_string()
    } else {
        format!(
            " parameters · {} choose · Enter change · Esc close ",
            theme.spelled("↑↓", "Up/Down")
        )
    };
    let h = ((body.len() + foot.len()) as u16 + 2).min(main.height);
    let r = Rect {
        x: main.x + main.width.saturating_sub(width) / 2,
        y: main.y + main.height.saturating_sub(h) / 2,
        width,
        height: h,
    };
    frame.render_widget(Clear, r);
    let block = Block::bordered().title(title);
    let inner = block.inner(r);
    let foot_h = (foot.len() as u16).min(inner.height.saturating_sub(1));
    let [rows_area, foot_area] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(foot_h)]).areas(inner);
    let scroll = scroll_to_show(index, body.len(), rows_area.height, 0);
    let shown = usize::from(rows_area.height);
    let block = match rows_shown(usize::from(scroll), shown, body.len()) {
        Some(where_) => block.title_bottom(where_),
        None => block,
    };
    frame.render_widget(block, r);
    frame.render_widget(Paragraph::new(body).scroll((scroll, 0)), rows_area);
    frame.render_widget(Paragraph::new(foot), foot_area);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_may_carry_its_unit() {
        let e_k = number("hh.e_k", "E_K", "mV", -77.0);
        assert_eq!(typed_value(&e_k, "-72,5"), Ok(-72.5));
        assert_eq!(typed_value(&e_k, "-72 mV"), Ok(-72.0));
        assert_eq!(typed_value(&e_k, "-72mV"), Ok(-72.0));
        let e = typed_value(&e_k, "-72 V").unwrap_err();
        assert_eq!(
            e,
            "\"-72 V\": the value is in mV, not V: type -72 or -72 mV"
        );
        let e = typed_value(&e_k, "-72x").unwrap_err();
        assert_eq!(e, "\"-72x\": the value is in mV, not x: type -72 or -72 mV");
        // 1e-3 is a number, not 1 in the unit e-3.
        assert_eq!(typed_value(&e_k, "1e-3"), Ok(1e-3));
        let e = typed_value(&e_k, "abc").unwrap_err();
        assert!(e.ends_with("(in mV, which may follow: 10 mV)"), "{e}");
        let g = number("hh.g_na", "g_Na", "mS/cm²", 120.0);
        assert_eq!(typed_value(&g, "0 mS/cm²"), Ok(0.0));
        assert_eq!(
            typed_value(&g, "0,3 mS/cm2"),
            Ok(0.3),
            "as an ASCII screen shows it"
        );
        let tau = millis("lif.tau_ref", "tau_ref", 0.002);
        assert_eq!(typed_value(&tau, "500 us"), Ok(0.5));
        assert_eq!(typed_value(&tau, "3 ms"), Ok(3.0));
        let n = number("network.psc_order", "PSC order n", "", 0.0);
        assert!(typed_value(&n, "2 ms").is_err());
        assert!(
            typed_value(&n, "")
                .unwrap_err()
                .starts_with("type a number")
        );
    }

    /// The override a typed value becomes reads back as the value, and is
    /// short: plain digits where they are, an exponent where they run long.
    #[test]
    fn an_override_is_the_value_short() {
        let g = number("hh.g_na", "g_Na", "mS/cm²", 120.0);
        let tau = millis("lif.tau_ref", "tau_ref", 0.002);
        for (value, text) in [
            (120.0, "120"),
            (0.3, "0.3"),
            (-54.387, "-54.387"),
            (1e300, "1e300"),
            (-2.5e-7, "-0.00000025"),
            (1e-20, "1e-20"),
            (1e-4, "0.0001"),
            (0.1 + 0.2, "0.30000000000000004"),
        ] {
            assert_eq!(override_text(&g, value), text);
            assert_eq!(text.parse::<f64>(), Ok(value));
            assert_eq!(override_text(&tau, value), format!("{text} ms"));
        }
    }
}
