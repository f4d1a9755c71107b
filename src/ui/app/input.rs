//! What the keyboard sets in the model: the main input's level, the
//! selected neuron and a network neuron's bias, each change recorded; and
//! what the status line reads of them (the input of the last step, G).

use super::App;
use crate::model::AnyModel;
use crate::model::lif::firing_rate;
use crate::session::Change;
use crate::session::change::set_bias;
use crate::ui::format;
use crate::ui::model_info::{self, fine_step, input_range};

impl App {
    /// The main stimulus's amplitude (the level the keyboard adjusts).
    pub fn input_level(&self) -> f64 {
        self.sim
            .stimuli
            .first()
            .map_or(0.0, |s| s.stimulus.amplitude)
    }

    /// What the selected neuron received over the last step (J_in, v_in,
    /// x; a clamp's voltage): the value the `run` CSV's input column holds
    /// at this time.
    pub fn live_input(&self) -> f64 {
        self.sim
            .input()
            .get(self.view.selected)
            .copied()
            .unwrap_or(0.0)
    }

    /// Sets the adjustable level, if the input it gives stays in the safe
    /// range; otherwise says why and changes nothing.
    pub fn set_input_level(&mut self, x: f64) {
        // Rounded to a hundredth of the fine step, so that repeated steps
        // land on round numbers (10 presses of +0.1 give exactly +1).
        let per_unit = (100.0 / fine_step(self.kind())).round();
        // Where the preset's own level is off that grid, steps back to it
        // give it again, not its rounding.
        let on_grid = (x * per_unit).round();
        let x = if on_grid == (self.opened.input * per_unit).round() {
            self.opened.input
        } else {
            on_grid / per_unit
        };
        let ((lo, hi), why) = input_range(&self.sim);
        let offset = self.sim.stimuli.first().map_or(0.0, |s| s.stimulus.offset);
        if !(x + offset >= lo && x + offset <= hi) {
            let (name, unit) = model_info::input_label(&self.sim);
            self.say_error(format!(
                "{name} = {} {unit} is outside {} to {} {unit} ({why}); unchanged",
                format::compact(x + offset),
                format::compact(lo),
                format::compact(hi)
            ));
            return;
        }
        if let Some(s) = self.sim.main_stimulus() {
            s.amplitude = x;
            self.record(Change::Input(x));
        }
    }

    /// Selects neuron i (its traces and rate trail follow it).
    pub fn select(&mut self, i: usize) {
        self.view.selected = i;
        self.traces.follow(&self.sim, i);
    }

    /// The selected neuron's bias (networks), else None.
    pub fn selected_bias(&self) -> Option<f64> {
        self.biases().map(|b| b[self.view.selected])
    }

    /// Every neuron's bias (networks), else None.
    pub fn biases(&self) -> Option<&[f64]> {
        match &self.sim.model {
            AnyModel::Network(n) => Some(n.bias()),
            AnyModel::Rate(r) => Some(&r.bias),
            _ => None,
        }
    }

    /// The analytic LIF rate G at the input of the last step (LIF), or at
    /// the selected network neuron's whole input s_i + b_i + x_i now (Hz).
    pub fn analytic_rate(&self) -> Option<f64> {
        match &self.sim.model {
            AnyModel::Lif(n) => Some(n.params.firing_rate(self.live_input())),
            // The whole input now, s + b + x, as the rate view's `G now`.
            AnyModel::Network(net) => Some(firing_rate(
                self.sim.whole_input(self.view.selected),
                net.params().tau_m_s,
                net.params().tau_ref_s,
            )),
            _ => None,
        }
    }

    /// Selects the neuron `by` places on, wrapping (in a filter bank, the
    /// filter the time cursors read); a single neuron says why nothing
    /// changes.
    pub(super) fn select_by(&mut self, by: i64) {
        let n = self.neuron_count();
        if let AnyModel::Synapse(bank) = &self.sim.model
            && bank.names.len() > 1
        {
            // A bank has one input and several filters: Tab picks the
            // filter the time cursors read.
            let k = bank.names.len() as i64;
            let i = (self.view.cursor_filter as i64 + by).rem_euclid(k) as usize;
            let name = format!("s({})", bank.names[i]);
            self.view.cursor_filter = i;
            self.say(format!(
                "the time cursors (c) read {name}; Tab: the next filter"
            ));
        } else if n == 1 {
            self.say("one neuron only: Tab selects among a network's neurons");
        } else {
            let i = (self.view.selected as i64 + by).rem_euclid(n as i64) as usize;
            self.select(i);
        }
    }

    pub(super) fn adjust_bias(&mut self, tenths: i32) {
        let i = self.view.selected;
        let delta = tenths as f64 * 0.1;
        let round = |b: f64| (b * 1e6).round() / 1e6;
        let value = match &mut self.sim.model {
            AnyModel::Network(n) => round(n.bias()[i] + delta),
            AnyModel::Rate(r) => round(r.bias[i] + delta),
            _ => return self.say("biases belong to network neurons; Up/Down change the input"),
        };
        // Steps back to where the preset had it give its bias again, not
        // the bias rounded (a drawn 1.0706207800 came back as 1.070621).
        let value = match self.opened.biases.get(&i) {
            Some(&was) if (value - was).abs() < 1e-6 => was,
            _ => value,
        };
        if let Err(e) = self.set_bias(i, value) {
            self.say_error(e);
        }
    }

    /// Sets neuron i's bias (recorded), or says why not.
    pub fn set_bias(&mut self, i: usize, value: f64) -> Result<(), String> {
        self.keep_opened_bias(i);
        set_bias(&mut self.sim, i, value)?;
        self.record(Change::Bias { neuron: i, value });
        self.traces.note_inputs(&self.sim);
        Ok(())
    }
}
