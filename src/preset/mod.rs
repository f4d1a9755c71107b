//! Presets: TOML scenario files (SPEC section 2) turned into simulations.
//!
//! ```text
//! name or path --resolve--> text --serde (deny unknown keys)--> PresetFile
//!     --validate (ranges, shapes, limits)--> Scenario --> Simulation
//! ```
//!
//! Every error is a `PresetError` naming the file, line and column, the key,
//! the value and what would be valid.

// A PresetError carries every part of its message (file, position, key,
// value, what is valid, the source line); it is built at most once per load,
// on a cold path, so its size costs nothing worth boxing for.
#![allow(clippy::result_large_err)]

pub mod bundled;
pub mod error;
mod models;
mod networks;
mod not_found;
mod overrides;
pub mod schema;
mod sections;
mod set;
mod source;
mod stimulus;
pub mod time;
mod toml_errors;
mod validate;
mod view;

use crate::model::{AnyModel, ModelKind};
use crate::named::Named;
use crate::sim::Simulation;
use crate::sim::stimulus::{Stimulus, TargetedStimulus};
use crate::text::printable;
pub use crate::view::{DEFAULT_PRE_TRIGGER, Pane, TriggerMode, ViewSettings};
pub use error::{DtBounds, PresetError, did_you_mean};
pub use networks::redraws_connections;
pub use overrides::{origin_without_overrides, takes_a_time};
use schema::PresetFile;
pub use source::{
    PresetSource, description_of, guide_of, load, load_text, read_preset_file, resolve,
};
use time::format_time;
use validate::{R, Validator};

/// Largest preset file read, in bytes; larger files are refused unread.
pub const MAX_PRESET_BYTES: u64 = 1 << 20;
/// Smallest dt accepted (s).
pub const MIN_DT_S: f64 = 1e-9;
/// Largest number of rate neurons (their weights are a dense matrix).
pub const MAX_RATE_NEURONS: usize = 1000;
/// Most steps one run may take, and most steps times neurons: beyond them a
/// run would not end within a day (one HH neuron takes about 1e7 steps a
/// second here, a network about 3e8 neuron-steps), and a derived dt from
/// extreme parameters would otherwise run for ever.
pub const MAX_STEPS: f64 = 1e11;
pub const MAX_NEURON_STEPS: f64 = 1e13;

/// Why a duration cannot be run at a dt: the problem and what is valid.
#[derive(Debug, Clone, PartialEq)]
pub struct StepsError {
    pub problem: String,
    pub valid: String,
}

/// The whole steps a run of `duration_s` takes at `dt_s` over `neurons`
/// neurons: the nearest whole number (the run's summary says the time it
/// simulated), at least one, and no more than a run may take. The preset's
/// own duration and `run --duration` are checked by this one rule, so
/// `check` refuses what `run` would.
pub fn run_steps(duration_s: f64, dt_s: f64, neurons: usize) -> Result<u64, StepsError> {
    let steps = (duration_s / dt_s).round();
    let dt = format_time(dt_s);
    if steps.is_nan() || steps < 1.0 {
        return Err(StepsError {
            problem: format!("shorter than half a step of dt = {dt}"),
            valid: format!("a duration of at least one step ({dt})"),
        });
    }
    let work = steps * neurons as f64;
    if steps > MAX_STEPS || work > MAX_NEURON_STEPS {
        let n = if neurons > 1 {
            format!(" of {neurons} neurons")
        } else {
            String::new()
        };
        return Err(StepsError {
            problem: format!(
                "{steps:.3e} steps of dt = {dt}{n}: more than a run can take (at most \
                 {MAX_STEPS:.0e} steps and {MAX_NEURON_STEPS:.0e} steps × neurons)"
            ),
            valid: "a shorter duration or a larger dt (parameters that allow one)".into(),
        });
    }
    Ok(steps as u64)
}

/// What a preset says beside its model: its name, where it came from, its
/// run's duration and step, what the oscilloscope shows and the guidance.
#[derive(Debug, Clone)]
pub struct Meta {
    pub name: String,
    pub description: String,
    /// Where it came from (file path or bundled name).
    pub origin: String,
    pub duration_s: f64,
    pub dt_s: f64,
    pub view: ViewSettings,
    /// What to look at and which keys to press: the comment block that opens
    /// the preset file, without its `#` marks.
    pub guide: String,
    /// The weights were given as the augmented matrix [W | b] (notes 1.3.4),
    /// so the weights view writes them that way.
    pub augmented: bool,
    /// Times written as bare numbers that look meant in milliseconds.
    pub bare_times: Vec<time::BareTime>,
}

/// A validated preset: everything needed to build and run a simulation.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub meta: Meta,
    pub model: AnyModel,
    pub stimuli: Vec<TargetedStimulus>,
}

impl Scenario {
    /// The simulation of the preset, which takes its model (one copy of a
    /// network's connections), and what the preset says beside it.
    pub fn into_simulation(self) -> (Meta, Simulation) {
        let sim = Simulation::new(self.model, self.stimuli, self.meta.dt_s);
        (self.meta, sim)
    }

    /// The built-in default: a Hodgkin-Huxley neuron at rest with an
    /// adjustable constant input current of 10 µA/cm² (repetitive firing).
    pub fn default_hh() -> Self {
        parse(bundled::DEFAULT_ORIGIN, bundled::DEFAULT_PRESET)
            .expect("the built-in default preset is valid")
    }
}

/// What a model section builds: the model, the dt it takes unless the
/// preset says, the largest dt it allows, and why that limit.
pub(crate) struct ModelSpec {
    pub(crate) model: AnyModel,
    pub(crate) default_dt_s: f64,
    pub(crate) max_dt_s: f64,
    pub(crate) dt_limit: String,
}

/// Parses and validates a preset text.
pub fn parse(origin: &str, text: &str) -> Result<Scenario, PresetError> {
    let file: PresetFile =
        toml::from_str(text).map_err(|e| toml_errors::toml_error(origin, text, &e))?;
    Validator {
        origin,
        src: text,
        bare_times: Default::default(),
    }
    .scenario(file)
}

impl Validator<'_> {
    fn scenario(&self, f: PresetFile) -> R<Scenario> {
        let kind = self.named("model", &f.model, ModelKind::Hh)?;
        self.sections_fit(&f, kind)?;
        let default_duration = if kind == ModelKind::Hh { 0.2 } else { 1.0 };
        let duration_s = self.time("duration", &f.duration, default_duration, false)?;
        let spec = match kind {
            ModelKind::Hh => self.hh(f.hh.as_ref())?,
            ModelKind::Lif => self.lif(f.lif.as_ref())?,
            ModelKind::Network => self.network(f.network.as_ref())?,
            ModelKind::Rate => self.rate(f.rate.as_ref())?,
            ModelKind::Synapse => self.synapse(f.synapse.as_ref())?,
        };
        let dt_s = self.dt(&f.dt, &spec)?;
        let mut model = spec.model;
        model.prepare(dt_s);
        let n = model.neuron_count();
        if let Err(e) = run_steps(duration_s, dt_s, n) {
            return Err(match &f.duration {
                Some(d) => self.time_err("duration", d, e.problem).valid(e.valid),
                None => self
                    .err("duration", 0..0, e.problem)
                    .valid(e.valid)
                    .value(format!("{} (the default)", format_time(duration_s))),
            });
        }
        let mut stimuli = vec![match &f.stimulus {
            Some(s) => self.stimulus("stimulus", s, n)?,
            None => TargetedStimulus {
                stimulus: Stimulus::constant(0.0),
                neurons: None,
            },
        }];
        for (k, s) in f.stimuli.iter().flatten().enumerate() {
            stimuli.push(self.stimulus(&format!("stimuli[{k}]"), s, n)?);
        }
        self.fit(&model, &stimuli, &f)?;
        // A clamp (alone, as `fit` checks) switches HH into clamp mode.
        if let AnyModel::Hh(neuron) = &mut model {
            neuron.clamp = stimuli[0].stimulus.is_clamp();
        }
        // What the preset says goes to the terminal: shown, not obeyed.
        let line = |t: &str| printable(t, false).into_owned();
        let meta = Meta {
            name: line(f.name.as_ref().map_or(self.origin, |s| s.get_ref())),
            description: line(f.description.as_ref().map_or("", |s| s.get_ref())),
            origin: line(self.origin),
            duration_s,
            dt_s,
            view: self.view(f.view.as_ref(), n, model.kind() != ModelKind::Rate)?,
            guide: printable(&guide_of(self.src), true).into_owned(),
            augmented: f.network.as_ref().is_some_and(|n| n.augmented.is_some())
                || f.rate.as_ref().is_some_and(|r| r.augmented.is_some()),
            // Last: the view's window is a time too.
            bare_times: self.bare_times.take(),
        };
        Ok(Scenario {
            meta,
            model,
            stimuli,
        })
    }

    /// A section for another model than `model` is most likely a mistake.
    fn sections_fit(&self, f: &PresetFile, kind: ModelKind) -> R<()> {
        let present = [
            (ModelKind::Hh, f.hh.is_some()),
            (ModelKind::Lif, f.lif.is_some()),
            (ModelKind::Network, f.network.is_some()),
            (ModelKind::Rate, f.rate.is_some()),
            (ModelKind::Synapse, f.synapse.is_some()),
        ];
        let Some((other, _)) = present.iter().find(|(k, p)| *p && *k != kind) else {
            return Ok(());
        };
        let (section, model) = (other.name(), kind.name());
        let span = f.model.as_ref().map_or(0..0, |m| m.span());
        Err(PresetError::new(
            self.origin,
            format!("the preset has a [{section}] section but model = \"{model}\""),
        )
        .key("model")
        .valid(format!(
            "model = \"{section}\", or remove the [{section}] section"
        ))
        .at(self.src, span))
    }

    /// The preset's dt, or the model's default; at most the model's largest
    /// and at least `MIN_DT_S`.
    fn dt(&self, v: &Option<schema::S<time::Seconds>>, spec: &ModelSpec) -> R<f64> {
        let dt_s = self.time("dt", v, spec.default_dt_s, false)?;
        // The model's own dt, from its parameters, has the same floor as a
        // given one; so has the largest dt the parameters allow.
        let floor_broken =
            spec.max_dt_s.is_nan() || spec.max_dt_s < MIN_DT_S || (v.is_none() && dt_s < MIN_DT_S);
        if floor_broken {
            return Err(PresetError::new(
                self.origin,
                format!(
                    "these parameters need a dt of at most {}: {}",
                    format_time(spec.max_dt_s),
                    spec.dt_limit
                ),
            )
            .key("dt")
            .value(match v {
                Some(s) => format_time(s.get_ref().0),
                None => format!("{} (from the parameters)", format_time(dt_s)),
            })
            .valid(format!(
                "parameters that allow a dt of at least {}",
                format_time(MIN_DT_S)
            )));
        }
        let Some(s) = v else { return Ok(dt_s) };
        if dt_s > spec.max_dt_s * (1.0 + 1e-9) {
            return Err(self
                .time_err(
                    "dt",
                    s,
                    format!("too large for this model: {}", spec.dt_limit),
                )
                .valid(format!(
                    "a dt of at most {} (default {})",
                    format_time(spec.max_dt_s),
                    format_time(spec.default_dt_s)
                ))
                .dt_bounds(DtBounds {
                    max_s: spec.max_dt_s,
                    default_s: spec.default_dt_s,
                }));
        }
        if dt_s < MIN_DT_S {
            return Err(self
                .time_err("dt", s, "too small")
                .valid(format!("a dt of at least {}", format_time(MIN_DT_S))));
        }
        Ok(dt_s)
    }
}
