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
        parts.extend(self.input_set_by_keys());
        for (key, value) in &self.changed {
            if value.chars().count() <= LONGEST_VALUE {
                parts.push(format!("{key}={value}"));
            } else {
                parts.push(format!("{key} (in the panel)"));
            }
        }
        parts.extend(self.biases_set_by_keys());
        (!parts.is_empty()).then(|| {
            format!(
                "(Changed while running: {}: where the words above give the preset's values, \
                 this run's differ.)",
                parts.join(", ")
            )
        })
    }

    /// The input's level and the biases as the keys left them, where they
    /// differ from the preset's (`J_in 12 µA/cm²`, `#2's bias 1.8`): what
    /// the line left after quitting adds to the parameters' `--set`s, which
    /// cannot give them (the keys change them at a time in the run).
    pub fn set_by_keys(&self) -> Vec<String> {
        self.input_set_by_keys()
            .into_iter()
            .chain(self.biases_set_by_keys())
            .collect()
    }

    fn input_set_by_keys(&self) -> Option<String> {
        let level = self.input_level();
        (level != self.opened.input).then(|| {
            let (name, unit) = input_label(&self.sim);
            format!("{name} {} {unit}", compact(level))
                .trim_end()
                .to_string()
        })
    }

    fn biases_set_by_keys(&self) -> Vec<String> {
        let biases = self.biases().unwrap_or(&[]);
        self.opened
            .biases
            .iter()
            .filter_map(|(&i, &was)| {
                let now = *biases.get(i).filter(|&&now| now != was)?;
                Some(format!("#{i}'s bias {}", compact(now)))
            })
            .collect()
    }

    /// Notes neuron i's bias as the preset opened it, before its first change.
    pub(super) fn keep_opened_bias(&mut self, i: usize) {
        if let Some(&b) = self.biases().and_then(|b| b.get(i)) {
            self.opened.biases.entry(i).or_insert(b);
        }
    }
}
