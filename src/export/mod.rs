//! `spikescope export PRESET --to nest|pynn`: a network preset as a
//! standalone Python script for NEST 3 (PyNEST) or PyNN 0.13, with the
//! network as drawn here (connections, biases, initial voltages) in a data
//! file beside it, so that a user moves from a preset to a cluster run
//! without rewriting the experiment. The scripts are `nest.py` and
//! `pynn.py` beside this file, filled in.
//!
//! Mapping of the normalized LIF network (`tau_m dv/dt = s + b + x - v`,
//! threshold 1, reset 0, a spike of weight w adds w/tau_s to s) onto NEST's
//! current-based LIF with C_m = 1 pF, E_L = V_reset = 0, V_th = 1 mV:
//! I_e = (b + x) C_m / tau_m, and a weight w is the synaptic current
//! (w / tau_s) C_m / tau_m (pA): the jump of `iaf_psc_exp` (order 0), or
//! that over e as the peak of `iaf_psc_alpha` (order 1, whose
//! t e^(-t/tau_s) / tau_s^2 peaks at 1/(e tau_s)).

use crate::model::network::SpikeTiming;
use crate::model::{AnyModel, ModelKind};
use crate::named::Named;
use crate::preset::Meta;
use crate::preset::time::format_time;
use crate::sim::Simulation;
use crate::sim::stimulus::Shape;

mod data;
mod inputs;

pub use data::DataFile;

const NEST_SCRIPT: &str = include_str!("nest.py");
const PYNN_SCRIPT: &str = include_str!("pynn.py");
/// The scripts' reader of the data file (both scripts carry it).
const LOAD_DATA: &str = include_str!("load.py");

/// Where a preset is exported to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Nest,
    Pynn,
}

impl Named for Target {
    const ALL: &'static [Target] = &[Target::Nest, Target::Pynn];
    fn name(self) -> &'static str {
        match self {
            Target::Nest => "nest",
            Target::Pynn => "pynn",
        }
    }
}

/// The script and its data file (written as a stream: `DataFile::write_to`).
#[derive(Debug)]
pub struct Exported<'a> {
    pub script: String,
    pub data: DataFile<'a>,
    pub neurons: usize,
    pub connections: usize,
}

/// The files' names the script refers to.
pub struct Names<'a> {
    pub script: &'a str,
    pub data: &'a str,
    pub spikes: &'a str,
}

/// NEST's clock: its resolution is a whole number of tics (1 µs unless
/// set otherwise), and its LIF models count the refractory period in whole
/// steps of it, rounding up (`Time(Time::ms(t_ref)).get_steps()`: 0.25 ms
/// at 0.1 ms lasts 0.3 ms), at least one in the precise models. Where the
/// network's dt or tau_ref is not kept so, NEST would run another network
/// (or refuse to start): refused here, with the reason.
fn times_nest_keeps(meta: &Meta, tau_ref_s: f64, dt_s: f64, exact: bool) -> Result<(), String> {
    let whole = |x: f64| (x - x.round()).abs() <= 1e-9 * x.abs().max(1.0);
    let dt_us = dt_s * 1e6;
    if dt_us < 1.0 - 1e-9 || !whole(dt_us) {
        return Err(format!(
            "{}: dt = {}: NEST's resolution is a whole number of its tics, 1 µs; valid: a dt of \
             whole microseconds (--set dt=\"10 us\")",
            meta.origin,
            format_time(dt_s)
        ));
    }
    let steps = tau_ref_s / dt_s;
    if !whole(steps) {
        return Err(format!(
            "{}: network.tau_ref = {} is {} steps of dt = {}: NEST counts the refractory \
             period in whole steps, rounding up, and would rest {} instead; valid: a tau_ref of \
             a whole number of steps",
            meta.origin,
            format_time(tau_ref_s),
            crate::text::exact_number(steps),
            format_time(dt_s),
            format_time(steps.ceil() * dt_s)
        ));
    }
    if exact && steps.round() < 1.0 {
        return Err(format!(
            "{}: network.tau_ref = 0: NEST's precise models (exact timing) need a refractory \
             period of at least one step; valid: tau_ref of dt = {} or more, or grid timing \
             (--set network.spike_timing=grid), whose iaf_psc_exp takes 0",
            meta.origin,
            format_time(dt_s)
        ));
    }
    Ok(())
}

/// The network of `sim` for `duration_s` as a script for `target`, or why
/// it cannot be mapped.
pub fn export<'a>(
    meta: &Meta,
    sim: &'a Simulation,
    overrides: &[String],
    duration_s: f64,
    target: Target,
    names: &Names,
) -> Result<Exported<'a>, String> {
    let AnyModel::Network(net) = &sim.model else {
        let why = match sim.model.kind() {
            ModelKind::Hh => {
                "NEST's hh_psc_alpha has other rate functions, units and temperature than the \
                 notes' Hodgkin-Huxley neuron"
            }
            ModelKind::Rate => "a rate network has no spikes for NEST's spiking neurons",
            ModelKind::Lif => "a single LIF neuron without a network: `run` simulates it exactly",
            ModelKind::Synapse | ModelKind::Network => "the synapse model has no neurons",
        };
        return Err(format!(
            "{}: only LIF networks ([network]) are exported: {why}",
            meta.origin
        ));
    };
    let p = net.params();
    let order = p.filter.order;
    let exact = p.spike_timing == SpikeTiming::Exact;
    let (model, cell) = match (order, exact) {
        (0, true) => ("iaf_psc_exp_ps", "IF_curr_exp"),
        (0, false) => ("iaf_psc_exp", "IF_curr_exp"),
        (1, true) => ("iaf_psc_alpha_ps", "IF_curr_alpha"),
        (1, false) => ("iaf_psc_alpha", "IF_curr_alpha"),
        (n, _) => {
            return Err(format!(
                "{}: network.psc_order = {n}: NEST's current-based LIF neurons have PSC filters \
                 of order 0 (iaf_psc_exp) and 1 (iaf_psc_alpha) only; valid: psc_order 0 or 1 \
                 (--set network.psc_order=1)",
                meta.origin
            ));
        }
    };
    times_nest_keeps(meta, p.tau_ref_s, sim.dt_s(), exact)?;
    let tau_m_ms = p.tau_m_s * 1e3;
    let weight_pa = if order == 0 {
        1.0 / p.filter.tau_s_s / tau_m_ms
    } else {
        1.0 / p.filter.tau_s_s / tau_m_ms / std::f64::consts::E
    };
    let n = net.len();
    let inputs = inputs::inputs(meta, sim, net.bias(), duration_s, exact, target)?;
    let connections = net.connections().len();
    let mut arrays = serde_json::json!([
        ["v0", "<f8", n],
        ["bias", "<f8", n],
        ["pre", "<u4", connections],
        ["post", "<u4", connections],
        ["weight", "<f8", connections]
    ]);
    if inputs.bias_after_first_step.is_some() {
        arrays
            .as_array_mut()
            .expect("a list")
            .push(serde_json::json!(["bias_after_first_step", "<f8", n]));
    }
    let header = serde_json::json!({
        "neurons": n,
        "arrays": arrays,
        "currents": inputs.currents,
        "trains": inputs.trains,
    });
    let data = DataFile {
        header: header.to_string(),
        v0: net.v(),
        bias: inputs.bias,
        connections: net.connections(),
        bias_after_first_step: inputs.bias_after_first_step,
    };
    let dt_ms = sim.dt_s() * 1e3;
    // Each note a paragraph of the docstring, in lines of at most 80.
    let timing_note = match (exact, target, order) {
        (true, Target::Pynn, 1) => format!(
            "PyNN runs IF_curr_alpha on NEST's grid model iaf_psc_alpha whatever the\n\
             precision (spikescope's exact timing has no PyNN counterpart of order 1):\n\
             spike times fall on the {dt_ms} ms grid, at the end of the step of the\n\
             crossing, and each interval is up to a step longer than the exact one, so\n\
             the times drift later along the run; the NEST export keeps them exact."
        ),
        (true, _, _) => "Exact timing: the precise model places each spike between grid points\n\
                         as spikescope does."
            .to_string(),
        (false, _, _) => format!(
            "Grid timing: NEST stamps a spike at the end of the step in which v crosses\n\
             (spikescope at its start, as Brian2) and counts the refractory period from\n\
             there: each interval is one step longer, so a neuron's k-th spike comes k\n\
             times {dt_ms} ms later than in spikescope (inputs shift it further)."
        ),
    };
    let weight_rule = if order == 0 {
        "jump (w/tau_s) C_m/tau_m".to_string()
    } else {
        "peak (w/tau_s) C_m/(e tau_m) of the alpha function".to_string()
    };
    let sets: String = overrides.iter().map(|o| format!(" --set {o}")).collect();
    let number = |x: f64| format!("{x:?}");
    let script = match target {
        Target::Nest => NEST_SCRIPT,
        Target::Pynn => PYNN_SCRIPT,
    };
    let script = [
        // What the user named (the preset, its path, the overrides, the
        // files) stands inside the docstring or a string literal: escaped,
        // so that a `"""` or a `"` in it ends neither (a preset named
        // `x"""; import os` made a script that did not parse, or ran what
        // the name said).
        ("{{NAME}}", python_text(&meta.name)),
        (
            "{{ORIGIN}}",
            python_text(crate::preset::origin_without_overrides(
                &meta.origin,
                overrides,
            )),
        ),
        ("{{SETS}}", python_text(&sets)),
        ("{{SCRIPT}}", python_text(names.script)),
        ("{{DATA}}", python_text(names.data)),
        ("{{OUT}}", python_text(names.spikes)),
        ("{{MODEL}}", model.to_string()),
        ("{{CELL}}", cell.to_string()),
        (
            "{{PRECISION}}",
            if exact { "off_grid" } else { "on_grid" }.to_string(),
        ),
        ("{{WEIGHT_RULE}}", weight_rule),
        ("{{TIMING_NOTE}}", timing_note),
        ("{{RESOLUTION_MS}}", number(dt_ms)),
        ("{{DELAY_MS}}", number(dt_ms)),
        ("{{DURATION_MS}}", number(duration_s * 1e3)),
        ("{{TAU_M_MS}}", number(tau_m_ms)),
        ("{{TAU_SYN_MS}}", number(p.filter.tau_s_s * 1e3)),
        ("{{T_REF_MS}}", number(p.tau_ref_s * 1e3)),
        ("{{WEIGHT_PA}}", number(weight_pa)),
        (
            "{{PRECISE}}",
            if exact { "True" } else { "False" }.to_string(),
        ),
        ("{{LOAD}}", load_function()),
    ]
    .iter()
    .fold(script.to_string(), |s, (k, v)| s.replace(k, v));
    Ok(Exported {
        script,
        data,
        neurons: n,
        connections,
    })
}

/// `text` as the inside of a Python string literal, single or triple
/// quoted: backslashes and double quotes escaped, and every control
/// character (a line break too) as its escape, so the literal ends where the
/// script's own quotes end it and reads back as `text`.
fn python_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// `load.py` without its own comment lines: the function the scripts carry.
fn load_function() -> String {
    LOAD_DATA
        .lines()
        .skip_while(|l| l.starts_with('#') || l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn shape_name(shape: &Shape) -> &'static str {
    match shape {
        Shape::Constant => "constant",
        Shape::Step { .. } => "step",
        Shape::Pulses { .. } => "pulses",
        Shape::Ramp { .. } => "ramp",
        Shape::Sine { .. } => "sine",
        Shape::Noise { .. } => "noise",
        Shape::Clamp { .. } | Shape::ClampSteps { .. } => "voltage clamp",
        Shape::Spikes(_) => "spike train",
    }
}
