//! Parameters changed while running (the panel, `p`): each change is an
//! override of the preset, validated as the preset would be, whose model
//! takes over the running state on the same clock. The input and the
//! biases set from the keyboard stay; a reset goes back to t = 0 with the
//! changed parameters.

use super::App;
use crate::model::AnyModel;
use crate::preset::time::format_time;
use crate::session::Change;
use crate::session::change::change_param;
use crate::session::change::sets_in_force;
use crate::text::{printable, shell_word};
use crate::ui::format::compact;
use crate::ui::overlay::Overlay;
use crate::ui::params::{ItemKind, items, override_text};

/// g_Na or g_K when a blocker is lifted and the preset itself blocked it
/// (`hh-ttx`, `hh-tea`): the squid axon's values (Hodgkin & Huxley 1952).
const UNBLOCKED: [(&str, f64); 2] = [("hh.g_na", 120.0), ("hh.g_k", 36.0)];

impl App {
    /// Sets `key` to `value` (a preset value as `--set` takes it), or back
    /// to the preset's own with `None`; the running state goes on.
    pub fn change_param(&mut self, key: &str, value: Option<&str>) -> Result<(), String> {
        let Some(source) = &self.source else {
            return Err("this oscilloscope was not opened from a preset".into());
        };
        self.changed = change_param(&mut self.sim, source, &self.changed, key, value)?;
        self.record(Change::Param {
            key: key.to_string(),
            value: value.map(str::to_string),
        });
        if let AnyModel::Network(n) = &self.sim.model {
            self.view.psc.order = n.params().filter.order;
            self.view.psc.tau_s = n.params().filter.tau_s_s;
        }
        self.traces.follow(&self.sim, self.view.selected);
        self.traces.restart_trail();
        self.traces.note_inputs(&self.sim);
        Ok(())
    }

    /// What reproduces the parameters in force: the command line's `--set`s
    /// with the changes made here, each key once, as ` --set KEY=VALUE
    /// ...` (the changes alone left out what `--set` gave: the run they
    /// named was another).
    pub fn reproduce_as_set(&self) -> String {
        let changes: Vec<String> = self
            .changed
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let command_line = self.source.as_ref().map_or(&[][..], |s| &s.overrides[..]);
        // The command line's as typed, control characters made visible.
        sets_in_force(command_line, &changes)
            .into_iter()
            .map(|o| format!(" --set {}", shell_word(&printable(o, false))))
            .collect()
    }

    pub(super) fn open_params(&mut self) {
        if items(self).is_empty() {
            self.say("this model has no parameters to change here: its preset's --set does");
            return;
        }
        self.overlay = Overlay::Params {
            index: 0,
            text: None,
            error: None,
        };
    }

    pub(super) fn move_param(&mut self, by: i32) {
        let count = items(self).len();
        if let Overlay::Params { index, error, .. } = &mut self.overlay {
            *index = (*index as i64 + by as i64).clamp(0, count as i64 - 1) as usize;
            *error = None;
        }
    }

    /// Enter on an item: a blocker toggles, a number opens its field.
    pub(super) fn edit_param(&mut self) {
        let Overlay::Params { index, .. } = self.overlay else {
            return;
        };
        let Some(item) = items(self).into_iter().nth(index) else {
            return;
        };
        match item.kind {
            ItemKind::Block { on } => {
                let result = if on {
                    self.unblock(item.key)
                } else {
                    self.change_param(item.key, Some("0"))
                };
                let done = format!("{}: {}", item.label, if on { "off" } else { "on" });
                self.param_outcome(&done, result);
            }
            _ => {
                if let Overlay::Params { text, error, .. } = &mut self.overlay {
                    *text = Some(String::new());
                    *error = None;
                }
            }
        }
    }

    /// Lifts a blocker: back to the preset's value, or to the squid axon's
    /// where the preset itself blocks.
    fn unblock(&mut self, key: &str) -> Result<(), String> {
        self.change_param(key, None)?;
        let still = items(self)
            .iter()
            .any(|i| i.key == key && matches!(i.kind, ItemKind::Block { on: true }));
        match UNBLOCKED.iter().find(|(k, _)| *k == key) {
            Some((_, v)) if still => self.change_param(key, Some(&v.to_string())),
            _ => Ok(()),
        }
    }

    /// Enter in an item's field: the typed number applied.
    pub(super) fn set_param(&mut self, typed: &str) {
        let Overlay::Params { index, .. } = self.overlay else {
            return;
        };
        let Some(item) = items(self).into_iter().nth(index) else {
            return;
        };
        let value = match crate::ui::params::typed_value(&item, typed) {
            Ok(v) => v,
            Err(e) => return self.param_error(e),
        };
        // The value it has already is no change: marked `changed` with a
        // `--set` to reproduce it, it read as a change made.
        if (value - item.value).abs() <= 1e-12 * item.value.abs() {
            if let Overlay::Params { text, error, .. } = &mut self.overlay {
                *text = None;
                *error = None;
            }
            let shown = format!("{} {}", compact(item.value), item.unit);
            return self.say(format!(
                "{} is {} already: nothing changed",
                item.label,
                shown.trim_end()
            ));
        }
        let result = match item.kind {
            ItemKind::Weight { from } => match self.weights_with(from, value) {
                Some(matrix) => self.change_param(item.key, Some(&matrix)),
                None => Err("this model has no weight matrix here".into()),
            },
            // A bias is an input the keys set too (+ and -), from a time in
            // the run: no `--set` gives it, and the parameters' would read as
            // if it did.
            ItemKind::Bias => {
                if let Err(e) = self.set_bias(self.view.selected, value) {
                    return self.param_error(e);
                }
                if let Overlay::Params { text, error, .. } = &mut self.overlay {
                    *text = None;
                    *error = None;
                }
                return self.say(format!(
                    "{} set to {} at t = {}, as + and - set it; the run goes on (--record \
                     keeps such changes)",
                    item.label,
                    compact(value),
                    format_time(self.sim.time_s())
                ));
            }
            // A time typed in another unit goes to the preset as typed, which
            // reads it as the decimal it is (1.001 s, not 1000.9999999999999 ms).
            ItemKind::Number { ms: true }
                if crate::ui::overlay::parse_in_unit(typed.trim(), item.unit).is_err() =>
            {
                self.change_param(item.key, Some(typed.trim()))
            }
            _ => self.change_param(item.key, Some(&override_text(&item, value))),
        };
        let done = format!("{} changed", item.label);
        self.param_outcome(&done, result);
    }

    /// Whether the preset gives its network's weights (`weights` or
    /// `augmented`), rather than a random recipe.
    pub fn preset_has_weights(&self) -> bool {
        let Some(source) = &self.source else {
            return false;
        };
        let table: Option<toml::Table> = source.text.parse().ok();
        table
            .as_ref()
            .and_then(|t| t.get("network"))
            .and_then(|n| n.as_table())
            .is_some_and(|n| n.contains_key("weights") || n.contains_key("augmented"))
    }

    /// The running network's weight matrix with `w[selected][from]` set to
    /// `w`, as a TOML value: W, or `[W | b]` (with the biases as they are)
    /// for a preset given in augmented form.
    fn weights_with(&self, from: usize, w: f64) -> Option<String> {
        let AnyModel::Network(net) = &self.sim.model else {
            return None;
        };
        let mut dense = net.connections().to_dense();
        *dense.get_mut(self.view.selected)?.get_mut(from)? = w;
        if self.preset.augmented {
            for (row, b) in dense.iter_mut().zip(net.bias()) {
                row.push(*b);
            }
        }
        let rows: Vec<String> = dense
            .iter()
            .map(|row| {
                let cells: Vec<String> = row.iter().map(|x| format!("{x:?}")).collect();
                format!("[{}]", cells.join(", "))
            })
            .collect();
        Some(format!("[{}]", rows.join(", ")))
    }

    fn param_outcome(&mut self, label: &str, result: Result<(), String>) {
        match result {
            Ok(()) => {
                if let Overlay::Params { text, error, .. } = &mut self.overlay {
                    *text = None;
                    *error = None;
                }
                let reproduce = self.reproduce_as_set();
                // Back to the preset's own: nothing to reproduce, and
                // "(to reproduce:)" read as a command cut off.
                if reproduce.is_empty() {
                    self.say(format!(
                        "{label}; the run goes on with the preset's own parameters"
                    ));
                } else {
                    self.say(format!(
                        "{label}; the run goes on (to reproduce:{reproduce})"
                    ));
                }
            }
            Err(e) => self.param_error(e),
        }
    }

    fn param_error(&mut self, e: String) {
        if let Overlay::Params { error, .. } = &mut self.overlay {
            *error = Some(e);
        }
    }
}
