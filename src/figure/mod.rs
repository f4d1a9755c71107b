//! Figures of a run (`spikescope run PRESET --plot FILE.svg|.png`): the
//! panes the oscilloscope shows for the model, drawn with plotters for a
//! page. HH: the voltage with its spike threshold, the gates m, h, n, the
//! ionic currents and the input; LIF: v with its threshold and v_in; a
//! network: v and s of a few neurons and the raster; rate networks y and
//! z; the synapse model its filters' outputs. Every line is told apart by
//! its dash pattern and named in a legend, so nothing relies on colour.
//!
//! `record` keeps a run's envelope, `draw` draws it; `curve` is a sweep's
//! rate against the swept value. No terminal code.

pub mod curve;
mod draw;
mod png_text;
pub mod record;

use crate::model::AnyModel;
use crate::model::recordable::{Quantity, Recordable};
use crate::preset::Meta;
use crate::sim::Simulation;
use crate::text::exact_number;

pub use curve::{CLOSED_FORM_POINTS, SweptCurve};
pub use draw::{Format, Picture, render, write};
pub use record::Envelopes;

/// Lines in one panel, at most (the dash patterns that tell them apart):
/// six, so that the bundled presets' five-neuron networks (a SoftMax's
/// winner is its last neuron) are drawn whole.
pub const MAX_LINES: usize = 6;
/// Neurons in a raster, at most (the rest are named as left out).
pub const MAX_RASTER_ROWS: usize = 60;

/// A panel: a title, its y axis and what is drawn in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    pub title: String,
    pub y_label: String,
    /// Lines: the legend's name and the recordable.
    pub lines: Vec<(String, Recordable)>,
    /// Horizontal reference lines: the legend's name and the level.
    pub levels: Vec<(String, f64)>,
    /// A raster of the first this many neurons instead of lines.
    pub raster_rows: usize,
    /// The raster's rows by name, where the neurons have names (empty:
    /// by number).
    pub row_names: Vec<String>,
}

impl Panel {
    fn lines(title: &str, y_label: &str, lines: Vec<(String, Recordable)>) -> Self {
        Self {
            title: title.into(),
            y_label: y_label.into(),
            lines,
            levels: Vec::new(),
            raster_rows: 0,
            row_names: Vec::new(),
        }
    }

    fn raster(title: String, y_label: &str, rows: usize, row_names: Vec<String>) -> Self {
        Self {
            title,
            y_label: y_label.into(),
            lines: Vec::new(),
            levels: Vec::new(),
            raster_rows: rows,
            row_names,
        }
    }

    fn level(mut self, name: &str, y: f64) -> Self {
        self.levels.push((name.into(), y));
        self
    }
}

/// What a figure of `sim` shows: the oscilloscope's panes for its model.
/// `selected` is the preset's selected neuron (networks), drawn first.
pub fn panels(sim: &Simulation, selected: Option<usize>) -> Vec<Panel> {
    let of = |q: Quantity| Recordable::of(q);
    let named = |pairs: &[(&str, Quantity)]| -> Vec<(String, Recordable)> {
        pairs.iter().map(|(n, q)| (n.to_string(), of(*q))).collect()
    };
    let n = sim.model.neuron_count();
    // The selected neuron, then the first others, at most MAX_LINES.
    let neurons: Vec<usize> = selected
        .into_iter()
        .chain(0..n)
        .fold(Vec::new(), |mut v, i| {
            if !v.contains(&i) && v.len() < MAX_LINES {
                v.push(i);
            }
            v
        });
    // A panel of some of the neurons says so: its legend names which.
    let of_all = |title: &str| {
        if neurons.len() < n {
            format!("{title} ({} of {n} neurons)", neurons.len())
        } else {
            title.to_string()
        }
    };
    let per_neuron = |q: Quantity, names: &[String], symbol: &str| {
        neurons
            .iter()
            .map(|&i| {
                let label = match names.get(i) {
                    Some(name) if *name != i.to_string() => format!("{symbol} #{i} {name}"),
                    _ => format!("{symbol} #{i}"),
                };
                (label, Recordable::at(q, i))
            })
            .collect::<Vec<_>>()
    };
    match &sim.model {
        AnyModel::Hh(neuron) => {
            // The clamp's current by the oscilloscope's name for it
            // (`I_clamp` on its status line and currents pane); it is the
            // CSV's `j_in` column.
            // The clamp's current is the ionic current it holds V against
            // (J_in = I_Na + I_K + I_L, outward +), on the ionic currents'
            // axis; an input current is J.
            let (v_title, input_title, input_name, input_axis) = if neuron.clamp {
                (
                    "clamped voltage V",
                    "clamp current (holds V, outward +)",
                    "I_clamp",
                    "I (µA/cm²)",
                )
            } else {
                (
                    "membrane voltage V",
                    "input current J_in",
                    "J_in",
                    "J (µA/cm²)",
                )
            };
            let mut v = Panel::lines(v_title, "V (mV)", named(&[("V", Quantity::V)]));
            if !neuron.clamp {
                v = v.level("spike threshold 0 mV", 0.0);
            }
            vec![
                v,
                Panel::lines(
                    "gate variables",
                    "open fraction",
                    named(&[("m", Quantity::M), ("h", Quantity::H), ("n", Quantity::N)]),
                ),
                Panel::lines(
                    "ionic currents (outward +)",
                    "I (µA/cm²)",
                    named(&[
                        ("I_Na", Quantity::INa),
                        ("I_K", Quantity::IK),
                        ("I_L", Quantity::IL),
                    ]),
                ),
                Panel::lines(
                    input_title,
                    input_axis,
                    named(&[(input_name, Quantity::Input)]),
                ),
            ]
        }
        AnyModel::Lif(lif) => vec![
            Panel::lines("membrane potential v", "v", named(&[("v", Quantity::V)]))
                .level("threshold", lif.params.v_threshold)
                .level("reset", lif.params.v_reset),
            Panel::lines("input v_in", "v_in", named(&[("v_in", Quantity::Input)])),
        ],
        AnyModel::Network(net) => {
            let rows = n.min(MAX_RASTER_ROWS);
            let raster_title = if rows < n {
                format!("spike raster, neurons 0-{} of {n}", rows - 1)
            } else {
                "spike raster".to_string()
            };
            // Rows by name where the neurons have names other than their
            // numbers, as many as the axis labels (12).
            let names = net.names();
            let named = rows <= 12 && (0..rows).any(|i| names.get(i) != Some(&i.to_string()));
            let row_names = if named {
                (0..rows)
                    .map(|i| match names.get(i) {
                        Some(name) if *name != i.to_string() => format!("{i} {name}"),
                        _ => i.to_string(),
                    })
                    .collect()
            } else {
                Vec::new()
            };
            vec![
                Panel::lines(
                    &of_all("membrane potential v"),
                    "v",
                    per_neuron(Quantity::V, names, "v"),
                )
                .level("threshold", 1.0),
                Panel::lines(
                    &of_all("synaptic current s"),
                    "s (1/s)",
                    per_neuron(Quantity::S, names, "s"),
                ),
                Panel::raster(raster_title, "neuron", rows, row_names),
            ]
        }
        AnyModel::Rate(r) => {
            // As the run summary names them: a node the preset leaves
            // unnamed by its bias as given (`b=0.7` under `--set`).
            let names: Vec<String> = (0..n).map(|i| r.name(i, exact_number)).collect();
            vec![
                Panel::lines(
                    &of_all("activity y"),
                    "y",
                    per_neuron(Quantity::Y, &names, "y"),
                ),
                Panel::lines(
                    &of_all("input z = W y + b + x"),
                    "z",
                    per_neuron(Quantity::Z, &names, "z"),
                ),
            ]
        }
        AnyModel::Synapse(bank) => {
            let count = bank.filters.len();
            let lines = (0..count.min(MAX_LINES))
                .map(|k| {
                    let name = bank.names.get(k).cloned().unwrap_or_else(|| k.to_string());
                    (format!("s: {name}"), Recordable::at(Quantity::Psc, k))
                })
                .collect();
            let title = "post-synaptic current: filters h(t) * the spike train";
            let title = if count > MAX_LINES {
                format!("{title} ({MAX_LINES} of {count} filters)")
            } else {
                title.to_string()
            };
            vec![
                Panel::lines(&title, "s (1/s)", lines),
                Panel::raster("input spike train".into(), "", 1, vec!["input".into()]),
            ]
        }
    }
}

/// A figure being recorded: its panels and the envelopes of their data.
pub struct Figure {
    pub title: String,
    pub panels: Vec<Panel>,
    pub envelopes: Envelopes,
}

impl Figure {
    /// Starts a figure of the run of `sim` for `duration_s`.
    pub fn start(meta: &Meta, sim: &Simulation, duration_s: f64) -> Self {
        let panels = panels(sim, meta.view.selected);
        let recordables: Vec<Recordable> = panels
            .iter()
            .flat_map(|p| p.lines.iter().map(|(_, r)| *r))
            .collect();
        let rows = panels.iter().map(|p| p.raster_rows).max().unwrap_or(0);
        Self {
            title: meta.name.clone(),
            panels,
            envelopes: Envelopes::new(sim, recordables, duration_s, rows),
        }
    }

    /// Writes the figure as SVG or PNG into `sink`, whole or not at all.
    pub fn write(
        &mut self,
        sink: crate::sim::sink::Sink,
        format: Format,
        subtitle: &str,
    ) -> anyhow::Result<()> {
        self.envelopes.finish();
        write(self, sink, format, subtitle)
    }
}
