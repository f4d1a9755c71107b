//! What the run was when its preset opened, beside what it is now: the
//! guidance (`a`) describes the preset as written, so once the keys or the
//! panel have changed the run, its numbers and its "press Down four times"
//! are another run's. The guidance then ends with what changed.

use std::collections::BTreeMap;

use super::App;
use crate::ui::format::compact;
use crate::ui::model_info::input_label;

/// A panel value longer than this (a weight matrix) is named by its key
/// alone.
const LONGEST_VALUE: usize = 24;

/// The run as its preset opened it, where the keys can change it.
#[derive(Debug, Clone, Default)]
pub struct Opened {
    /// The main input's level.
    pub input: f64,
    /// The bias each neuron had before the keys or the panel first set
    /// it, for the neurons set since.
    pub biases: BTreeMap<usize, f64>,
}

impl App {
    /// What differs now from the run the preset opened (the input's level,
    /// the parameters changed in the panel, the biases set), in words for
    /// the guidance's last line; None where nothing does.
    pub fn changed_since_opened(&self) -> Option<String> {
        let mut parts = Vec::new();
        let level = self.input_level();
        if level != self.opened.input {
            let (name, unit) = input_label(&self.sim);
            parts.push(
                format!("{name} {} {unit}", compact(level))
                    .trim_end()
                    .to_string(),
            );
        }
        for (key, value) in &self.changed {
            if value.chars().count() <= LONGEST_VALUE {
                parts.push(format!("{key}={value}"));
            } else {
                parts.push(format!("{key} (in the panel)"));
            }
        }
        let biases = self.biases().unwrap_or(&[]);
        for (&i, &was) in &self.opened.biases {
            if let Some(&now) = biases.get(i).filter(|&&now| now != was) {
                parts.push(format!("#{i}'s bias {}", compact(now)));
            }
        }
        (!parts.is_empty()).then(|| {
            format!(
                "(Changed while running: {}: where the words above give the preset's values, \
                 this run's differ.)",
                parts.join(", ")
            )
        })
    }

    /// Notes neuron i's bias as the preset opened it, before its first change.
    pub(super) fn keep_opened_bias(&mut self, i: usize) {
        if let Some(&b) = self.biases().and_then(|b| b.get(i)) {
            self.opened.biases.entry(i).or_insert(b);
        }
    }
}
