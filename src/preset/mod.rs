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
pub mod schema;
pub mod time;

use std::io::Read;
use std::path::Path;

use toml::Spanned;

use crate::model::AnyModel;
use crate::model::activation::Activation;
use crate::model::hh::{HhMethod, HhNeuron, HhParams, TEMPERATURE_RANGE_C};
use crate::model::lif::{LifNeuron, LifParams};
use crate::model::network::{
    Connections, LifNetwork, MAX_NEURONS, MAX_SYNAPSES, NetworkParams, RandomNetwork, SpikeTiming,
    Uniform,
};
use crate::model::rate::RateNetwork;
use crate::model::synapse::{FilterBank, MAX_PSC_ORDER, PscFilter};
use crate::model::weights::split_augmented;
use crate::named::Named;
use crate::sim::Simulation;
use crate::sim::stimulus::{Shape, SpikeTrain, Stimulus, TargetedStimulus};
pub use error::{PresetError, did_you_mean};
use schema::*;
use time::{Seconds, TIME_FORMS, format_time};

/// Largest preset file read, in bytes; larger files are refused unread.
pub const MAX_PRESET_BYTES: u64 = 1 << 20;
/// Smallest dt accepted (s).
pub const MIN_DT_S: f64 = 1e-9;
/// Largest number of rate neurons (their weights are a dense matrix).
pub const MAX_RATE_NEURONS: usize = 1000;

pub use crate::view::{DEFAULT_PRE_TRIGGER, Pane, TriggerMode, ViewSettings};

/// A validated preset: everything needed to build and run a simulation.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    /// Where it came from (file path or bundled name).
    pub origin: String,
    pub duration_s: f64,
    pub dt_s: f64,
    pub model: AnyModel,
    pub stimuli: Vec<TargetedStimulus>,
    pub view: ViewSettings,
    /// What to look at and which keys to press: the comment block that opens
    /// the preset file, without its `#` marks.
    pub guide: String,
    /// The weights were given as the augmented matrix [W | b] (notes 1.3.4),
    /// so the weights view writes them that way.
    pub augmented: bool,
}

impl Scenario {
    pub fn simulation(&self) -> Simulation {
        Simulation::new(self.model.clone(), self.stimuli.clone(), self.dt_s)
    }

    /// The built-in default: a Hodgkin-Huxley neuron at rest with an
    /// adjustable constant input current of 10 µA/cm² (repetitive firing).
    pub fn default_hh() -> Self {
        parse("built-in default", bundled::DEFAULT_PRESET)
            .expect("the built-in default preset is valid")
    }
}

/// Reads a preset by bundled name or by path and applies `--set` overrides.
pub fn load(arg: &str, overrides: &[String]) -> Result<Scenario, PresetError> {
    let (origin, text) = resolve(arg)?;
    load_text(&origin, &text, overrides)
}

/// Parses `text` (from `origin`) and applies overrides.
pub fn load_text(origin: &str, text: &str, overrides: &[String]) -> Result<Scenario, PresetError> {
    let scenario = parse(origin, text)?;
    if overrides.is_empty() {
        return Ok(scenario);
    }
    let mut table: toml::Table =
        toml::from_str(text).map_err(|e| PresetError::new(origin, e.message().to_string()))?;
    for o in overrides {
        apply_override(&mut table, o)?;
    }
    let new_text = toml::to_string(&table)
        .map_err(|e| PresetError::new(origin, format!("cannot apply --set: {e}")))?;
    let label = format!("{origin} with {}", describe_overrides(overrides));
    parse(&label, &new_text).map_err(|mut e| {
        // Positions refer to the rewritten text; the key and value still hold.
        e.position = None;
        e.excerpt = None;
        e
    })
}

fn describe_overrides(overrides: &[String]) -> String {
    overrides
        .iter()
        .map(|o| format!("--set {o}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Finds the preset: a path (anything with a `/`, a `.toml` ending, or an
/// existing file) or a bundled name (`[A-Za-z0-9_-]+`). Files must be regular
/// and at most `MAX_PRESET_BYTES`.
pub fn resolve(arg: &str) -> Result<(String, String), PresetError> {
    let looks_like_path = arg.contains('/') || arg.ends_with(".toml") || arg.contains('\\');
    if !looks_like_path {
        if let Some(text) = bundled::get(arg) {
            return Ok((arg.to_string(), text.to_string()));
        }
        if !Path::new(arg).is_file() {
            let mut e = PresetError::new(
                arg,
                "no bundled preset has this name and no such file exists",
            )
            .valid(
                "a bundled preset name (`spikescope presets` lists them) or a path to a .toml file",
            );
            if let Some(close) = did_you_mean(arg, bundled::names()) {
                e.problem.push_str(&format!("; did you mean `{close}`?"));
            }
            return Err(e);
        }
    }
    read_preset_file(Path::new(arg)).map(|t| (arg.to_string(), t))
}

/// Reads a preset file: a regular file, at most `MAX_PRESET_BYTES`, UTF-8.
pub fn read_preset_file(path: &Path) -> Result<String, PresetError> {
    let origin = path.display().to_string();
    let meta = std::fs::metadata(path)
        .map_err(|e| PresetError::new(&origin, format!("cannot read the preset: {e}")))?;
    if !meta.is_file() {
        return Err(PresetError::new(&origin, "not a regular file")
            .valid("a regular .toml file (not a directory, device or pipe)"));
    }
    if meta.len() > MAX_PRESET_BYTES {
        return Err(PresetError::new(
            &origin,
            format!("the file is {} bytes, over the limit", meta.len()),
        )
        .valid(format!("a preset of at most {MAX_PRESET_BYTES} bytes")));
    }
    let file = std::fs::File::open(path)
        .map_err(|e| PresetError::new(&origin, format!("cannot read the preset: {e}")))?;
    let mut bytes = Vec::new();
    file.take(MAX_PRESET_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| PresetError::new(&origin, format!("cannot read the preset: {e}")))?;
    if bytes.len() as u64 > MAX_PRESET_BYTES {
        return Err(
            PresetError::new(&origin, "the file grew over the size limit while read")
                .valid(format!("a preset of at most {MAX_PRESET_BYTES} bytes")),
        );
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let valid = String::from_utf8_lossy(&e.as_bytes()[..at]).into_owned();
        PresetError::new(&origin, format!("invalid UTF-8 at byte {at}"))
            .valid("a UTF-8 text file")
            .at(&valid, at..at)
    })
}

/// `KEY=VALUE` with a dotted KEY; VALUE is a TOML value, or a bare string.
fn apply_override(table: &mut toml::Table, text: &str) -> Result<(), PresetError> {
    let origin = format!("--set {text}");
    let (key, value) = text.split_once('=').ok_or_else(|| {
        PresetError::new(&origin, "missing `=`").valid("KEY=VALUE, e.g. stimulus.amplitude=12")
    })?;
    let key = key.trim();
    let value_text = value.trim();
    let value = match toml::from_str::<toml::Table>(&format!("v = {value_text}")) {
        Ok(mut t) => t
            .remove("v")
            .unwrap_or(toml::Value::String(value_text.into())),
        Err(_) => toml::Value::String(value_text.to_string()),
    };
    let parts: Vec<&str> = key.split('.').map(str::trim).collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err(PresetError::new(&origin, "empty part in the key")
            .key(key)
            .valid("a dotted key such as stimulus.amplitude or hh.g_na"));
    }
    let mut cur = table;
    for (i, part) in parts.iter().enumerate() {
        if i + 1 == parts.len() {
            cur.insert((*part).to_string(), value);
            break;
        }
        let entry = cur
            .entry((*part).to_string())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        cur = match entry {
            toml::Value::Table(t) => t,
            _ => {
                return Err(
                    PresetError::new(&origin, "this key is a value, not a table")
                        .key(parts[..=i].join("."))
                        .valid("a dotted path through tables, e.g. network.tau_s"),
                );
            }
        };
    }
    Ok(())
}

/// Parses and validates a preset text.
pub fn parse(origin: &str, text: &str) -> Result<Scenario, PresetError> {
    let file: PresetFile = toml::from_str(text).map_err(|e| toml_error(origin, text, &e))?;
    Validator { origin, src: text }.scenario(file)
}

/// Turns a TOML or serde error into a `PresetError` with the key it concerns
/// and, for unknown keys, a suggestion.
fn toml_error(origin: &str, src: &str, e: &toml::de::Error) -> PresetError {
    let msg = e.message().trim().to_string();
    let mut err = PresetError::new(origin, msg.clone());
    if let Some(span) = e.span() {
        err = err.at(src, span.clone());
        if let Some(key) = key_at(src, span.start) {
            err = err.key(key);
        }
    }
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let unknown = rest.split('`').next().unwrap_or("");
        let expected: Vec<&str> = msg
            .split("expected")
            .nth(1)
            .unwrap_or("")
            .split('`')
            .skip(1)
            .step_by(2)
            .collect();
        err.problem = format!("unknown key `{unknown}`");
        if let Some(close) = did_you_mean(unknown, expected.iter().copied()) {
            err.problem.push_str(&format!("; did you mean `{close}`?"));
        }
        err.value = None;
        err.valid = Some(format!("one of {}", expected.join(", ")));
    }
    err
}

/// The dotted key whose value or name is at byte `pos`: the nearest table
/// header above plus the key on that line.
fn key_at(src: &str, pos: usize) -> Option<String> {
    let pos = pos.min(src.len());
    let line_start = src[..pos].rfind('\n').map_or(0, |i| i + 1);
    let line_end = src[pos..].find('\n').map_or(src.len(), |i| pos + i);
    let line = &src[line_start..line_end];
    let key = line
        .split_once('=')
        .map(|(k, _)| k.trim().trim_matches('"').to_string());
    let header = src[..line_start].lines().rev().find_map(|l| {
        let l = l.trim();
        l.strip_prefix("[[")
            .and_then(|h| h.strip_suffix("]]"))
            .or_else(|| l.strip_prefix('[').and_then(|h| h.strip_suffix(']')))
            .map(|h| h.trim().to_string())
    });
    match (header, key) {
        (Some(h), Some(k)) if !k.starts_with('[') => Some(format!("{h}.{k}")),
        (None, Some(k)) if !k.starts_with('[') => Some(k),
        (Some(h), _) if line.trim_start().starts_with('[') => Some(h),
        _ => None,
    }
}

/// The length of a list given in the preset, and where it is written.
fn len_and_span<T>(v: &Option<S<Vec<T>>>) -> (Option<usize>, std::ops::Range<usize>) {
    match v {
        Some(x) => (Some(x.get_ref().len()), x.span()),
        None => (None, 0..0),
    }
}

struct Validator<'a> {
    origin: &'a str,
    src: &'a str,
}

type R<T> = Result<T, PresetError>;

const MODELS: [&str; 5] = ["hh", "lif", "network", "rate", "synapse"];
const STIMULUS_KINDS: [&str; 8] = [
    "constant", "step", "pulses", "ramp", "sine", "noise", "clamp", "spikes",
];

impl Validator<'_> {
    fn err(
        &self,
        key: &str,
        span: std::ops::Range<usize>,
        problem: impl Into<String>,
    ) -> PresetError {
        PresetError::new(self.origin, problem)
            .key(key)
            .at(self.src, span)
    }

    fn number(&self, key: &str, v: &Option<S<f64>>, default: f64) -> R<f64> {
        match v {
            None => Ok(default),
            Some(s) => {
                let x = *s.get_ref();
                if x.is_finite() {
                    Ok(x)
                } else {
                    Err(self
                        .err(key, s.span(), "must be a finite number")
                        .valid("a finite number (not nan or inf)"))
                }
            }
        }
    }

    /// A finite number (or the default) that must pass `ok`; otherwise the
    /// error says `problem` and what is `valid`. Defaults always pass.
    fn checked(
        &self,
        key: &str,
        v: &Option<S<f64>>,
        default: f64,
        ok: impl Fn(f64) -> bool,
        problem: &str,
        valid: impl FnOnce() -> String,
    ) -> R<f64> {
        let x = self.number(key, v, default)?;
        match v {
            Some(s) if !ok(x) => Err(self.err(key, s.span(), problem).valid(valid())),
            _ => Ok(x),
        }
    }

    /// `width` and `period` of pulses or clamp steps (defaults given), the
    /// width no longer than the period.
    fn width_and_period(
        &self,
        key: &str,
        s: &StimulusSection,
        defaults: (f64, f64),
    ) -> R<(f64, f64)> {
        let k = |name: &str| format!("{key}.{name}");
        let width = self.time(&k("width"), &s.width, defaults.0, false)?;
        let period = self.time(&k("period"), &s.period, defaults.1, false)?;
        if width > period {
            let sp = s
                .width
                .as_ref()
                .or(s.period.as_ref())
                .map_or(0..0, |x| x.span());
            return Err(self
                .err(&k("width"), sp, "longer than the period")
                .valid(format!(
                    "a width of at most period = {}",
                    format_time(period)
                )));
        }
        Ok((width, period))
    }

    /// A `stop` time after `start` (default: never).
    fn stop_after(&self, key: &str, v: &Option<S<Seconds>>, start: f64) -> R<f64> {
        let stop = self.time(key, v, f64::INFINITY, true)?;
        match v {
            Some(s) if stop <= start => Err(self
                .err(key, s.span(), "not after `start`")
                .valid(format!("a time after start = {}", format_time(start)))),
            _ => Ok(stop),
        }
    }

    fn number_in(
        &self,
        key: &str,
        v: &Option<S<f64>>,
        default: f64,
        lo: f64,
        hi: f64,
        what: &str,
    ) -> R<f64> {
        let valid = || format!("{what} from {lo} to {hi}");
        self.checked(
            key,
            v,
            default,
            |x| (lo..=hi).contains(&x),
            "out of range",
            valid,
        )
    }

    fn non_negative(&self, key: &str, v: &Option<S<f64>>, default: f64, unit: &str) -> R<f64> {
        let valid = || format!("a number >= 0 ({unit})");
        self.checked(key, v, default, |x| x >= 0.0, "must not be negative", valid)
    }

    fn positive(&self, key: &str, v: &Option<S<f64>>, default: f64, unit: &str) -> R<f64> {
        let valid = || format!("a number > 0 ({unit})");
        self.checked(
            key,
            v,
            default,
            |x| x > 0.0,
            "must be greater than 0",
            valid,
        )
    }

    fn time(&self, key: &str, v: &Option<S<Seconds>>, default: f64, allow_zero: bool) -> R<f64> {
        let Some(s) = v else { return Ok(default) };
        let x = s.get_ref().0;
        let ok = x.is_finite() && if allow_zero { x >= 0.0 } else { x > 0.0 };
        if !ok {
            let problem = if !x.is_finite() {
                "must be a finite time"
            } else if allow_zero {
                "must not be negative"
            } else {
                "must be greater than 0"
            };
            let bound = if allow_zero { ">= 0" } else { "> 0" };
            return Err(self
                .err(key, s.span(), problem)
                .valid(format!("a time {bound}: {TIME_FORMS}")));
        }
        Ok(x)
    }

    fn choice<'c>(
        &self,
        key: &str,
        v: &Option<S<String>>,
        default: &'c str,
        options: &[&'c str],
    ) -> R<&'c str> {
        let Some(s) = v else { return Ok(default) };
        let text = s.get_ref().as_str();
        if let Some(o) = options.iter().find(|o| **o == text) {
            return Ok(o);
        }
        let mut e = self
            .err(key, s.span(), format!("unknown value \"{text}\""))
            .valid(format!(
                "one of {}",
                options
                    .iter()
                    .map(|o| format!("\"{o}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        if let Some(close) = did_you_mean(text, options.iter().copied()) {
            e.problem.push_str(&format!("; did you mean \"{close}\"?"));
        }
        Err(e)
    }

    /// A name of `T` (one list of names per enum), or `default` when left out.
    fn named<T: Named>(&self, key: &str, v: &Option<S<String>>, default: T) -> R<T> {
        let names = T::names();
        let name = self.choice(key, v, default.name(), &names)?;
        Ok(T::from_name(name).unwrap_or(default))
    }

    fn count(&self, key: &str, v: &Spanned<i64>, lo: i64, hi: i64) -> R<usize> {
        let x = *v.get_ref();
        if x < lo || x > hi {
            return Err(self
                .err(key, v.span(), "out of range")
                .valid(format!("a whole number from {lo} to {hi}")));
        }
        Ok(x as usize)
    }

    fn scenario(&self, f: PresetFile) -> R<Scenario> {
        let model_kind = self.choice("model", &f.model, "hh", &MODELS)?;
        // Sections for another model are most likely a mistake.
        let present = [
            ("hh", f.hh.is_some()),
            ("lif", f.lif.is_some()),
            ("network", f.network.is_some()),
            ("rate", f.rate.is_some()),
            ("synapse", f.synapse.is_some()),
        ];
        for (section, is_present) in present {
            if is_present && section != model_kind {
                let span = f.model.as_ref().map_or(0..0, |m| m.span());
                return Err(PresetError::new(
                    self.origin,
                    format!("the preset has a [{section}] section but model = \"{model_kind}\""),
                )
                .key("model")
                .valid(format!(
                    "model = \"{section}\", or remove the [{section}] section"
                ))
                .at(self.src, span));
            }
        }
        let name = f
            .name
            .as_ref()
            .map_or_else(|| self.origin.to_string(), |s| s.get_ref().clone());
        let description = f
            .description
            .as_ref()
            .map_or_else(String::new, |s| s.get_ref().clone());
        let default_duration = if model_kind == "hh" { 0.2 } else { 1.0 };
        let duration_s = self.time("duration", &f.duration, default_duration, false)?;

        let (model, default_dt, max_dt, dt_why) = match model_kind {
            "hh" => self.hh(f.hh.as_ref())?,
            "lif" => self.lif(f.lif.as_ref())?,
            "network" => self.network(f.network.as_ref())?,
            "synapse" => self.synapse(f.synapse.as_ref())?,
            _ => self.rate(f.rate.as_ref())?,
        };
        let dt_s = self.time("dt", &f.dt, default_dt, false)?;
        if let Some(s) = &f.dt {
            if dt_s > max_dt * (1.0 + 1e-9) {
                return Err(self
                    .err(
                        "dt",
                        s.span(),
                        format!("too large for this model: {dt_why}"),
                    )
                    .valid(format!(
                        "a dt of at most {} (default {})",
                        format_time(max_dt),
                        format_time(default_dt)
                    )));
            }
            if dt_s < MIN_DT_S {
                return Err(self
                    .err("dt", s.span(), "too small")
                    .valid(format!("a dt of at least {}", format_time(MIN_DT_S))));
            }
        }
        let mut model = model;
        model.prepare(dt_s);
        let n = model.neuron_count();
        let mut stimuli = Vec::new();
        match &f.stimulus {
            Some(s) => stimuli.push(self.stimulus("stimulus", s, n)?),
            None => stimuli.push(TargetedStimulus {
                stimulus: Stimulus::constant(0.0),
                neurons: None,
            }),
        }
        for (k, s) in f.stimuli.iter().flatten().enumerate() {
            stimuli.push(self.stimulus(&format!("stimuli[{k}]"), s, n)?);
        }
        self.check_stimuli_fit(&mut model, &stimuli, &f)?;
        let view = self.view(f.view.as_ref(), n)?;
        Ok(Scenario {
            name,
            description,
            origin: self.origin.to_string(),
            duration_s,
            dt_s,
            model,
            stimuli,
            view,
            guide: guide_of(self.src),
            augmented: f.network.as_ref().is_some_and(|n| n.augmented.is_some())
                || f.rate.as_ref().is_some_and(|r| r.augmented.is_some()),
        })
    }

    fn hh(&self, s: Option<&HhSection>) -> R<(AnyModel, f64, f64, String)> {
        let d = HhParams::default();
        let (params, v_init, method) = match s {
            None => (d, None, HhMethod::Rk4),
            Some(s) => self.hh_section(s, &d)?,
        };
        let why = format!(
            "the {} integrator is stable up to {} with these conductances, C and temperature",
            method.name(),
            format_time(method.max_dt_ms(&params) * 1e-3)
        );
        Ok((
            AnyModel::Hh(HhNeuron::new(params.clone(), v_init, method)),
            method.default_dt_ms(&params) * 1e-3,
            method.max_dt_ms(&params) * 1e-3,
            why,
        ))
    }

    fn hh_section(&self, s: &HhSection, d: &HhParams) -> R<(HhParams, Option<f64>, HhMethod)> {
        let unit_g = "mS/cm²";
        let params = HhParams {
            c_m: self.positive("hh.c_m", &s.c_m, d.c_m, "µF/cm²")?,
            g_na: self.non_negative("hh.g_na", &s.g_na, d.g_na, unit_g)?,
            g_k: self.non_negative("hh.g_k", &s.g_k, d.g_k, unit_g)?,
            g_l: self.non_negative("hh.g_l", &s.g_l, d.g_l, unit_g)?,
            e_na: self.number_in("hh.e_na", &s.e_na, d.e_na, -200.0, 200.0, "mV")?,
            e_k: self.number_in("hh.e_k", &s.e_k, d.e_k, -200.0, 200.0, "mV")?,
            e_l: self.number_in("hh.e_l", &s.e_l, d.e_l, -200.0, 200.0, "mV")?,
            temperature: self.number_in(
                "hh.temperature",
                &s.temperature,
                d.temperature,
                TEMPERATURE_RANGE_C.0,
                TEMPERATURE_RANGE_C.1,
                "°C",
            )?,
        };
        let v_init = match &s.v_init {
            None => None,
            Some(_) => Some(self.number_in("hh.v_init", &s.v_init, 0.0, -200.0, 200.0, "mV")?),
        };
        let method = match self.choice(
            "hh.method",
            &s.method,
            "rk4",
            &["rk4", "exp_euler", "euler"],
        )? {
            "exp_euler" => HhMethod::ExpEuler,
            "euler" => HhMethod::Euler,
            _ => HhMethod::Rk4,
        };
        Ok((params, v_init, method))
    }

    fn lif(&self, s: Option<&LifSection>) -> R<(AnyModel, f64, f64, String)> {
        let d = LifParams::default();
        let (params, v_init) = match s {
            None => (d, 0.0),
            Some(s) => {
                let v_threshold = self.number("lif.v_threshold", &s.v_threshold, 1.0)?;
                let v_reset = self.number("lif.v_reset", &s.v_reset, 0.0)?;
                if v_reset >= v_threshold {
                    let (key, sp) = match (&s.v_reset, &s.v_threshold) {
                        (Some(r), _) => ("lif.v_reset", r.span()),
                        (None, Some(t)) => ("lif.v_threshold", t.span()),
                        (None, None) => unreachable!("the defaults 0 < 1"),
                    };
                    return Err(self
                        .err(
                            key,
                            sp,
                            format!("v_reset {v_reset} is not below v_threshold {v_threshold}"),
                        )
                        .valid("v_reset < v_threshold (the notes' normalization: 0 and 1)"));
                }
                let params = LifParams {
                    tau_m_s: self.time("lif.tau_m", &s.tau_m, d.tau_m_s, false)?,
                    tau_ref_s: self.time("lif.tau_ref", &s.tau_ref, d.tau_ref_s, true)?,
                    v_threshold,
                    v_reset,
                };
                let v = self.number("lif.v_init", &s.v_init, v_reset)?;
                if v >= v_threshold {
                    let sp = s
                        .v_init
                        .as_ref()
                        .expect("the default, v_reset, is below threshold");
                    return Err(self
                        .err("lif.v_init", sp.span(), "at or above the threshold")
                        .valid(format!("a potential below the threshold {v_threshold}")));
                }
                (params, v)
            }
        };
        Ok((
            AnyModel::Lif(LifNeuron::new(params, v_init, 1e-4)),
            1e-4,
            params.tau_m_s,
            format!(
                "the input is held over a step, which must not exceed tau_m = {}",
                format_time(params.tau_m_s)
            ),
        ))
    }

    fn matrix(
        &self,
        key: &str,
        m: &S<Vec<Vec<f64>>>,
        rows: usize,
        cols: usize,
    ) -> R<Vec<Vec<f64>>> {
        let v = m.get_ref();
        let shape_ok = v.len() == rows && v.iter().all(|r| r.len() == cols);
        if !shape_ok {
            let got_cols = v.iter().map(Vec::len).collect::<Vec<_>>();
            return Err(self
                .err(
                    key,
                    m.span(),
                    format!("the matrix has {} rows of lengths {:?}", v.len(), got_cols),
                )
                .value(format!("{} x ?", v.len()))
                .valid(format!(
                    "{rows} rows of {cols} numbers each ({rows} x {cols})"
                )));
        }
        for (i, row) in v.iter().enumerate() {
            for (j, x) in row.iter().enumerate() {
                if !x.is_finite() {
                    return Err(self
                        .err(key, m.span(), format!("entry [{i}][{j}] is {x}"))
                        .valid("finite numbers only"));
                }
            }
        }
        Ok(v.clone())
    }

    fn vector(&self, key: &str, v: &S<Vec<f64>>, len: usize) -> R<Vec<f64>> {
        let x = v.get_ref();
        if x.len() != len {
            return Err(self
                .err(key, v.span(), format!("has {} entries", x.len()))
                .valid(format!("{len} numbers, one per neuron")));
        }
        if let Some((i, bad)) = x.iter().enumerate().find(|(_, x)| !x.is_finite()) {
            return Err(self
                .err(key, v.span(), format!("entry [{i}] is {bad}"))
                .valid("finite numbers only"));
        }
        Ok(x.clone())
    }

    fn names(&self, key: &str, names: &Option<S<Vec<String>>>, n: usize) -> R<Vec<String>> {
        match names {
            None => Ok((0..n).map(|i| i.to_string()).collect()),
            Some(s) => {
                if s.get_ref().len() != n {
                    return Err(self
                        .err(key, s.span(), format!("has {} names", s.get_ref().len()))
                        .valid(format!("{n} names, one per neuron")));
                }
                Ok(s.get_ref().clone())
            }
        }
    }

    /// Size of a network from whichever of weights / bias / augmented / names
    /// is given, before anything is allocated from it.
    fn network_size(
        &self,
        key: &str,
        candidates: &[(Option<usize>, std::ops::Range<usize>)],
    ) -> R<usize> {
        let (n, span) = candidates
            .iter()
            .find_map(|(n, s)| n.map(|n| (n, s.clone())))
            .ok_or_else(|| {
                PresetError::new(self.origin, "the network has no neurons")
                    .key(key)
                    .valid("give `weights` (N x N) and `bias` (N), or `augmented` (N x (N+1)), or a [network.random] table")
            })?;
        if n == 0 || n > MAX_NEURONS {
            return Err(self
                .err(key, span, format!("{n} neurons"))
                .valid(format!("from 1 to {MAX_NEURONS} neurons")));
        }
        Ok(n)
    }

    fn network(&self, s: Option<&NetworkSection>) -> R<(AnyModel, f64, f64, String)> {
        let Some(s) = s else {
            return Err(PresetError::new(
                self.origin,
                "model = \"network\" needs a [network] section",
            )
            .key("network")
            .valid("a [network] table with weights and bias, augmented, or random"));
        };
        self.choice("network.neuron", &s.neuron, "lif", &["lif"])?;
        let tau_m = self.time("network.tau_m", &s.tau_m, 0.02, false)?;
        let tau_ref = self.time("network.tau_ref", &s.tau_ref, 0.002, true)?;
        let tau_s = self.time("network.tau_s", &s.tau_s, 0.005, false)?;
        let order = match &s.psc_order {
            None => 0,
            Some(o) => self.count("network.psc_order", o, 0, MAX_PSC_ORDER as i64)?,
        };
        let spike_timing = match self.choice(
            "network.spike_timing",
            &s.spike_timing,
            "exact",
            &["exact", "grid"],
        )? {
            "grid" => SpikeTiming::Grid,
            _ => SpikeTiming::Exact,
        };
        let params = NetworkParams {
            tau_m_s: tau_m,
            tau_ref_s: tau_ref,
            filter: PscFilter::new(order, tau_s),
            spike_timing,
        };
        let max_dt = tau_m.min(tau_s);
        let why = format!(
            "the propagators are exact but a step must not exceed tau_m or tau_s (here {})",
            format_time(max_dt)
        );
        let dt = 1e-4f64.min(max_dt);
        if let Some(r) = &s.random {
            for (key, present) in [
                ("network.weights", s.weights.is_some()),
                ("network.bias", s.bias.is_some()),
                ("network.augmented", s.augmented.is_some()),
                ("network.v_init", s.v_init.is_some()),
            ] {
                if present {
                    return Err(PresetError::new(self.origin, "given together with [network.random]")
                        .key(key)
                        .valid("either explicit weights/bias/v_init or a [network.random] recipe, not both")
                        .at(self.src, r.n.span()));
                }
            }
            let n = self.count("network.random.n", &r.n, 1, MAX_NEURONS as i64)?;
            let p = *r.p.get_ref();
            if !(0.0..=1.0).contains(&p) || !p.is_finite() {
                return Err(self
                    .err("network.random.p", r.p.span(), "not a probability")
                    .valid("a connection probability from 0 to 1"));
            }
            let expected = n as f64 * n as f64 * p;
            if expected > MAX_SYNAPSES as f64 {
                return Err(self
                    .err(
                        "network.random.p",
                        r.p.span(),
                        format!("about {expected:.0} synapses expected"),
                    )
                    .valid(format!("at most {MAX_SYNAPSES} synapses (N² p)")));
            }
            let range = |key: &str, r: &RangeSection| -> R<Uniform> {
                let (lo, hi) = (*r.low.get_ref(), *r.high.get_ref());
                if !lo.is_finite() || !hi.is_finite() || lo > hi {
                    return Err(self
                        .err(key, r.low.span().start..r.high.span().end, "not a range")
                        .valid("{ low = a, high = b } with finite a <= b"));
                }
                Ok(Uniform { low: lo, high: hi })
            };
            let mut weight = range("network.random.weight", &r.weight)?;
            let mut weight_inhibitory = match &r.weight_inhibitory {
                Some(w) => range("network.random.weight_inhibitory", w)?,
                None => weight,
            };
            let excitatory = match &r.excitatory {
                None => {
                    if r.weight_inhibitory.is_some() {
                        return Err(PresetError::new(
                            self.origin,
                            "`weight_inhibitory` needs `excitatory`",
                        )
                        .key("network.random.weight_inhibitory")
                        .valid("excitatory = K: neurons 0..K excite, the others inhibit"));
                    }
                    None
                }
                Some(k) => Some(self.count("network.random.excitatory", k, 0, n as i64)?),
            };
            if let Some(k_ref) = &r.weight_ref_inputs {
                // Weights scale as sqrt(k_ref / K), K = p N expected inputs,
                // so that the input fluctuations keep their size as N grows.
                let k_ref_v = self.positive(
                    "network.random.weight_ref_inputs",
                    &Some(k_ref.clone()),
                    1.0,
                    "inputs",
                )?;
                let k = (p * n as f64).max(f64::MIN_POSITIVE);
                let scale = (k_ref_v / k).sqrt();
                weight = Uniform {
                    low: weight.low * scale,
                    high: weight.high * scale,
                };
                weight_inhibitory = Uniform {
                    low: weight_inhibitory.low * scale,
                    high: weight_inhibitory.high * scale,
                };
            }
            let bias = r
                .bias
                .as_ref()
                .map(|b| range("network.random.bias", b))
                .transpose()?
                .unwrap_or(Uniform {
                    low: 0.0,
                    high: 0.0,
                });
            let v_init = r
                .v_init
                .as_ref()
                .map(|b| range("network.random.v_init", b))
                .transpose()?
                .unwrap_or(Uniform {
                    low: 0.0,
                    high: 0.0,
                });
            // Draws are in [low, high), so high = 1 keeps every v below 1.
            if v_init.high > 1.0 {
                let sp = r.v_init.as_ref().expect("default is 0").high.span();
                return Err(self
                    .err(
                        "network.random.v_init.high",
                        sp,
                        "at or above the threshold",
                    )
                    .valid("initial potentials below the threshold 1 (draws are in [low, high))"));
            }
            let seed = match &r.seed {
                None => 1,
                Some(sd) => self.count("network.random.seed", sd, 0, i64::MAX)? as u64,
            };
            let recipe = RandomNetwork {
                n,
                p,
                weight,
                excitatory,
                weight_inhibitory,
                bias,
                v_init,
                seed,
            };
            return Ok((AnyModel::Network(recipe.build(params, dt)), dt, max_dt, why));
        }
        let n = self.network_size(
            "network",
            &[
                len_and_span(&s.weights),
                len_and_span(&s.augmented),
                len_and_span(&s.bias),
                len_and_span(&s.names),
            ],
        )?;
        let (weights, bias) =
            self.weights_and_bias("network", n, &s.weights, &s.bias, &s.augmented)?;
        let names = self.names("network.names", &s.names, n)?;
        let v_init = match &s.v_init {
            None => vec![0.0; n],
            Some(v) => {
                let v0 = self.vector("network.v_init", v, n)?;
                if v0.iter().any(|&x| x >= 1.0) {
                    return Err(self
                        .err(
                            "network.v_init",
                            v.span(),
                            "a potential at or above the threshold",
                        )
                        .valid("initial potentials below the threshold 1"));
                }
                v0
            }
        };
        let connections = Connections::from_dense(&weights);
        Ok((
            AnyModel::Network(LifNetwork::new(
                params,
                names,
                bias,
                connections,
                v_init,
                dt,
            )),
            dt,
            max_dt,
            why,
        ))
    }

    /// W (N x N) and b (N) from `weights` + `bias`, or from `augmented`
    /// [W | b] (N x (N+1)).
    fn weights_and_bias(
        &self,
        section: &str,
        n: usize,
        weights: &Option<S<Vec<Vec<f64>>>>,
        bias: &Option<S<Vec<f64>>>,
        augmented: &Option<S<Vec<Vec<f64>>>>,
    ) -> R<(Vec<Vec<f64>>, Vec<f64>)> {
        if let Some(a) = augmented {
            if weights.is_some() || bias.is_some() {
                return Err(self
                    .err(
                        &format!("{section}.augmented"),
                        a.span(),
                        "given together with weights or bias",
                    )
                    .valid("either `augmented` = [W | b], or `weights` and `bias`"));
            }
            let m = self.matrix(&format!("{section}.augmented"), a, n, n + 1)?;
            return Ok(split_augmented(&m));
        }
        let w = match weights {
            Some(w) => self.matrix(&format!("{section}.weights"), w, n, n)?,
            None => vec![vec![0.0; n]; n],
        };
        let b = match bias {
            Some(b) => self.vector(&format!("{section}.bias"), b, n)?,
            None => vec![0.0; n],
        };
        Ok((w, b))
    }

    fn rate(&self, s: Option<&RateSection>) -> R<(AnyModel, f64, f64, String)> {
        let Some(s) = s else {
            return Err(
                PresetError::new(self.origin, "model = \"rate\" needs a [rate] section")
                    .key("rate")
                    .valid("a [rate] table with activation, weights and bias"),
            );
        };
        let name = self.choice(
            "rate.activation",
            &s.activation,
            "logistic",
            &Activation::NAMES,
        )?;
        let tau_m = self.time("rate.tau_m", &s.tau_m, 0.02, false)?;
        let tau_ref = self.time("rate.tau_ref", &s.tau_ref, 0.002, true)?;
        let activation = match name {
            "logistic" => Activation::Logistic,
            "arctan" => Activation::Arctan,
            "tanh" => Activation::Tanh,
            "threshold" => Activation::Threshold,
            "relu" => Activation::Relu,
            "softmax" => Activation::Softmax,
            "onehot" => Activation::OneHot,
            _ => Activation::LifRate {
                tau_m_s: tau_m,
                tau_ref_s: tau_ref,
            },
        };
        let tau = self.time("rate.tau", &s.tau, 0.01, false)?;
        let n = self.network_size(
            "rate",
            &[
                len_and_span(&s.weights),
                len_and_span(&s.augmented),
                len_and_span(&s.bias),
                len_and_span(&s.names),
            ],
        )?;
        if n > MAX_RATE_NEURONS {
            return Err(PresetError::new(self.origin, format!("{n} rate neurons"))
                .key("rate")
                .valid(format!("at most {MAX_RATE_NEURONS} rate neurons")));
        }
        let (weights, bias) =
            self.weights_and_bias("rate", n, &s.weights, &s.bias, &s.augmented)?;
        let names = self.names("rate.names", &s.names, n)?;
        let y_init = match &s.y_init {
            None => vec![0.0; n],
            Some(v) => self.vector("rate.y_init", v, n)?,
        };
        let dt = 1e-3f64.min(tau / 10.0);
        Ok((
            AnyModel::Rate(RateNetwork::new(
                activation, tau, names, weights, bias, y_init, dt,
            )),
            dt,
            tau,
            format!("a step must not exceed tau = {}", format_time(tau)),
        ))
    }

    /// Clamps only for HH and only alone; spike trains only into synapses;
    /// the synapse model only spike trains. A clamp switches HH into clamp
    /// mode.
    fn check_stimuli_fit(
        &self,
        model: &mut AnyModel,
        stimuli: &[TargetedStimulus],
        f: &PresetFile,
    ) -> R<()> {
        let kind_span = |k: usize| {
            let sec = if k == 0 {
                f.stimulus.as_ref()
            } else {
                f.stimuli.as_ref().and_then(|v| v.get(k - 1))
            };
            sec.and_then(|s| s.kind.as_ref()).map_or(0..0, |x| x.span())
        };
        let key = |k: usize| {
            if k == 0 {
                "stimulus.kind".to_string()
            } else {
                format!("stimuli[{}].kind", k - 1)
            }
        };
        let is_hh = matches!(model, AnyModel::Hh(_));
        let takes_trains = matches!(model, AnyModel::Network(_) | AnyModel::Synapse(_));
        for (k, ts) in stimuli.iter().enumerate() {
            let st = &ts.stimulus;
            if st.is_clamp() && (!is_hh || stimuli.len() > 1) {
                return Err(self
                    .err(
                        &key(k),
                        kind_span(k),
                        "a voltage clamp holds an HH membrane's V by itself",
                    )
                    .valid("kind = \"clamp\" as the only stimulus of model = \"hh\""));
            }
            if st.is_spike_train() && !takes_trains {
                return Err(self
                    .err(
                        &key(k),
                        kind_span(k),
                        "a spike train drives synapses, and this model has none",
                    )
                    .valid("kind = \"spikes\" with model = \"network\" or \"synapse\""));
            }
            if matches!(model, AnyModel::Synapse(_)) && !st.is_spike_train() {
                return Err(self
                    .err(
                        &key(k),
                        kind_span(k),
                        "the synapse model is driven by spike trains",
                    )
                    .valid("kind = \"spikes\""));
            }
        }
        if let (AnyModel::Hh(n), Some(first)) = (model, stimuli.first()) {
            n.clamp = first.stimulus.is_clamp();
        }
        Ok(())
    }

    fn synapse(&self, s: Option<&SynapseSection>) -> R<(AnyModel, f64, f64, String)> {
        let Some(s) = s else {
            return Err(PresetError::new(
                self.origin,
                "model = \"synapse\" needs a [synapse] section",
            )
            .key("synapse")
            .valid(
                "[synapse] filters = [{ name = \"AMPA\", tau_s = \"10 ms\", order = 0 }, ...]",
            ));
        };
        let specs = s.filters.get_ref();
        if specs.is_empty() || specs.len() > 16 {
            return Err(self
                .err(
                    "synapse.filters",
                    s.filters.span(),
                    format!("{} filters", specs.len()),
                )
                .valid("from 1 to 16 filters"));
        }
        let mut filters = Vec::new();
        let mut names = Vec::new();
        for (k, f) in specs.iter().enumerate() {
            let tau = self.time(
                &format!("synapse.filters[{k}].tau_s"),
                &Some(f.tau_s.clone()),
                0.0,
                false,
            )?;
            let order = match &f.order {
                None => 0,
                Some(o) => self.count(
                    &format!("synapse.filters[{k}].order"),
                    o,
                    0,
                    MAX_PSC_ORDER as i64,
                )?,
            };
            filters.push(PscFilter::new(order, tau));
            names.push(
                f.name
                    .clone()
                    .unwrap_or_else(|| format!("n={order} {}", format_time(tau))),
            );
        }
        let max_dt = filters
            .iter()
            .map(|f| f.tau_s_s)
            .fold(f64::INFINITY, f64::min);
        let dt = 1e-4f64.min(max_dt);
        Ok((
            AnyModel::Synapse(FilterBank::new(names, &filters, dt)),
            dt,
            max_dt,
            format!(
                "a step must not exceed the shortest tau_s ({})",
                format_time(max_dt)
            ),
        ))
    }

    fn stimulus(&self, key: &str, s: &StimulusSection, n: usize) -> R<TargetedStimulus> {
        let kind = self.choice(&format!("{key}.kind"), &s.kind, "constant", &STIMULUS_KINDS)?;
        let k = |name: &str| format!("{key}.{name}");
        // Keys that only some kinds read: one given to another kind is an error.
        // Each optional key, where it is written, and the kinds that read it.
        fn at<T>(v: &Option<S<T>>) -> Option<std::ops::Range<usize>> {
            v.as_ref().map(|x| x.span())
        }
        type Applies<'a> = (&'a str, Option<std::ops::Range<usize>>, &'a [&'a str]);
        let applies: [Applies; 14] = [
            (
                "start",
                at(&s.start),
                &["step", "pulses", "ramp", "sine", "clamp", "spikes"],
            ),
            ("stop", at(&s.stop), &["step", "ramp", "clamp", "spikes"]),
            ("width", at(&s.width), &["pulses", "clamp"]),
            ("period", at(&s.period), &["pulses", "clamp"]),
            ("count", at(&s.count), &["pulses"]),
            ("frequency", at(&s.frequency), &["sine"]),
            ("phase", at(&s.phase), &["sine"]),
            ("sigma", at(&s.sigma), &["noise"]),
            ("seed", at(&s.seed), &["noise", "spikes"]),
            ("hold", at(&s.hold), &["clamp"]),
            ("levels", at(&s.levels), &["clamp"]),
            ("times", at(&s.times), &["spikes"]),
            ("rate", at(&s.rate), &["spikes"]),
            ("poisson", at(&s.poisson), &["spikes"]),
        ];
        for (name, span, kinds) in applies {
            if let Some(span) = span.filter(|_| !kinds.contains(&kind)) {
                return Err(self
                    .err(
                        &k(name),
                        span,
                        format!("`{name}` does not apply to kind \"{kind}\""),
                    )
                    .valid(format!("`{name}` is read by kind {}", kinds.join(", "))));
            }
        }
        // A spike train's amplitude is each spike's weight: 1 unless given.
        let default_amplitude = if kind == "spikes" { 1.0 } else { 0.0 };
        let amplitude = self.number(&k("amplitude"), &s.amplitude, default_amplitude)?;
        let offset = self.number(&k("offset"), &s.offset, 0.0)?;
        let start = self.time(&k("start"), &s.start, 0.0, true)?;
        let shape = match kind {
            "constant" => Shape::Constant,
            "step" | "ramp" => {
                let stop = self.stop_after(&k("stop"), &s.stop, start)?;
                if kind == "step" {
                    Shape::Step {
                        start_s: start,
                        stop_s: stop,
                    }
                } else {
                    if stop.is_infinite() {
                        return Err(PresetError::new(self.origin, "a ramp needs `stop`")
                            .key(k("stop"))
                            .valid("the time at which the ramp reaches `amplitude`"));
                    }
                    Shape::Ramp {
                        start_s: start,
                        stop_s: stop,
                    }
                }
            }
            "pulses" => {
                let (width, period) = self.width_and_period(key, s, (0.001, 0.01))?;
                let count = match &s.count {
                    None => None,
                    Some(c) => Some(self.count(&k("count"), c, 1, i64::MAX)? as u64),
                };
                Shape::Pulses {
                    start_s: start,
                    width_s: width,
                    period_s: period,
                    count,
                }
            }
            "clamp" => {
                let hold = self.number_in(&k("hold"), &s.hold, -65.0, -200.0, 200.0, "mV")?;
                match &s.levels {
                    Some(levels) => {
                        if levels.get_ref().is_empty() || levels.get_ref().len() > 1000 {
                            return Err(self
                                .err(&k("levels"), levels.span(), "no levels, or too many")
                                .valid("from 1 to 1000 clamp levels (mV)"));
                        }
                        if let Some(bad) = levels
                            .get_ref()
                            .iter()
                            .find(|v| !(-200.0..=200.0).contains(*v))
                        {
                            return Err(self
                                .err(&k("levels"), levels.span(), format!("level {bad} mV"))
                                .valid("levels from -200 to 200 mV"));
                        }
                        let (width, period) = self.width_and_period(key, s, (0.02, 0.04))?;
                        if s.stop.is_some() {
                            return Err(self
                                .err(
                                    &k("stop"),
                                    s.stop.as_ref().map_or(0..0, |x| x.span()),
                                    "a clamp family ends after its levels",
                                )
                                .valid("`stop` only with a single clamp step (no `levels`)"));
                        }
                        Shape::ClampSteps {
                            hold_mv: hold,
                            levels_mv: levels.get_ref().clone(),
                            start_s: start,
                            width_s: width,
                            period_s: period,
                        }
                    }
                    None => {
                        for (name, present) in
                            [("width", s.width.is_some()), ("period", s.period.is_some())]
                        {
                            if present {
                                return Err(PresetError::new(
                                    self.origin,
                                    format!("`{name}` needs `levels`"),
                                )
                                .key(k(name))
                                .valid("a clamp family: levels = [...] with width and period"));
                            }
                        }
                        self.number_in(
                            &k("amplitude"),
                            &s.amplitude,
                            0.0,
                            -200.0,
                            200.0,
                            "mV (the held V)",
                        )?;
                        let stop = self.stop_after(&k("stop"), &s.stop, start)?;
                        Shape::Clamp {
                            hold_mv: hold,
                            start_s: start,
                            stop_s: stop,
                        }
                    }
                }
            }
            "spikes" => {
                let train = match (&s.times, &s.rate) {
                    (Some(times), None) => {
                        let t: Vec<f64> = times.get_ref().iter().map(|x| x.0).collect();
                        if t.len() > 1_000_000 {
                            return Err(self
                                .err(&k("times"), times.span(), "too many spike times")
                                .valid("at most 1000000 times"));
                        }
                        if t.iter().any(|x| !x.is_finite() || *x < 0.0)
                            || t.windows(2).any(|w| w[1] < w[0])
                        {
                            return Err(self
                                .err(
                                    &k("times"),
                                    times.span(),
                                    "times must be finite, >= 0 and sorted",
                                )
                                .valid(format!("sorted times: {TIME_FORMS}")));
                        }
                        for (name, present) in [
                            ("poisson", s.poisson.is_some()),
                            ("seed", s.seed.is_some()),
                            ("start", s.start.is_some()),
                            ("stop", s.stop.is_some()),
                        ] {
                            if present {
                                return Err(PresetError::new(self.origin, format!("`{name}` goes with `rate`, not `times`"))
                                    .key(k(name))
                                    .valid("either times = [...] or rate = HZ with start, stop, poisson, seed"));
                            }
                        }
                        SpikeTrain::Times(t)
                    }
                    (None, Some(_)) => {
                        let rate = self.positive(&k("rate"), &s.rate, 10.0, "Hz")?;
                        if rate > 1e5 {
                            let sp = s.rate.as_ref().expect("given").span();
                            return Err(self
                                .err(&k("rate"), sp, "out of range")
                                .valid("a rate from above 0 to 100000 Hz"));
                        }
                        let stop = self.time(&k("stop"), &s.stop, f64::INFINITY, true)?;
                        if s.poisson.as_ref().is_some_and(|p| *p.get_ref()) {
                            let seed = match &s.seed {
                                None => 0,
                                Some(sd) => self.count(&k("seed"), sd, 0, i64::MAX)? as u64,
                            };
                            SpikeTrain::Poisson {
                                rate_hz: rate,
                                start_s: start,
                                stop_s: stop,
                                seed,
                            }
                        } else {
                            if let Some(sd) = &s.seed {
                                return Err(self
                                    .err(&k("seed"), sd.span(), "a regular train has no randomness")
                                    .valid("`seed` with poisson = true"));
                            }
                            SpikeTrain::Regular {
                                rate_hz: rate,
                                start_s: start,
                                stop_s: stop,
                            }
                        }
                    }
                    (Some(t), Some(_)) => {
                        return Err(self
                            .err(&k("times"), t.span(), "both `times` and `rate` given")
                            .valid("either times = [...] or rate = HZ"));
                    }
                    (None, None) => {
                        return Err(PresetError::new(self.origin, "a spike train needs `times` or `rate`")
                            .key(k("times"))
                            .valid("times = [\"10 ms\", \"50 ms\"] or rate = 20.0 (Hz, with poisson = true for a Poisson train)"));
                    }
                };
                Shape::Spikes(train)
            }
            "sine" => Shape::Sine {
                frequency_hz: self.non_negative(&k("frequency"), &s.frequency, 10.0, "Hz")?,
                phase_rad: self.number(&k("phase"), &s.phase, 0.0)?,
                start_s: start,
            },
            _ => Shape::Noise {
                sigma: self.non_negative(&k("sigma"), &s.sigma, 0.0, "input units × √s")?,
                seed: match &s.seed {
                    None => 0,
                    Some(sd) => self.count(&k("seed"), sd, 0, i64::MAX)? as u64,
                },
            },
        };
        let neurons = match &s.neurons {
            None => None,
            Some(list) => {
                let mut out = Vec::with_capacity(list.get_ref().len());
                for &i in list.get_ref() {
                    if i < 0 || i as usize >= n {
                        return Err(self
                            .err(
                                &k("neurons"),
                                list.span(),
                                format!("neuron {i} does not exist"),
                            )
                            .valid(format!("indices from 0 to {}", n - 1)));
                    }
                    out.push(i as usize);
                }
                Some(out)
            }
        };
        Ok(TargetedStimulus {
            stimulus: Stimulus::new(shape, amplitude, offset),
            neurons,
        })
    }

    fn view(&self, v: Option<&ViewSection>, n: usize) -> R<ViewSettings> {
        let Some(v) = v else {
            return Ok(ViewSettings::default());
        };
        let window_s = match &v.window {
            None => None,
            Some(_) => Some(self.time("view.window", &v.window, 0.1, false)?),
        };
        let selected = match &v.selected {
            None => None,
            Some(s) => Some(self.count("view.selected", s, 0, n as i64 - 1)?),
        };
        let trigger = self.named("view.trigger", &v.trigger, TriggerMode::Free)?;
        let pre_trigger = match &v.pre_trigger {
            None => None,
            Some(p) => {
                let x = *p.get_ref();
                if !(0.0..=0.9).contains(&x) {
                    return Err(self
                        .err("view.pre_trigger", p.span(), "out of range")
                        .valid("a fraction of the window from 0 to 0.9"));
                }
                Some(x)
            }
        };
        let speed = match &v.speed {
            None => None,
            Some(sp) => {
                let x = *sp.get_ref();
                if !(x.is_finite() && x > 0.0 && x <= 1e6) {
                    return Err(self
                        .err("view.speed", sp.span(), "out of range")
                        .valid("simulated seconds per real second, > 0 and at most 1e6"));
                }
                Some(x)
            }
        };
        let pane = match &v.pane {
            None => None,
            Some(_) => Some(self.named("view.pane", &v.pane, Pane::Scope)?),
        };
        Ok(ViewSettings {
            window_s,
            selected,
            trigger,
            speed,
            pane,
            paused: v.paused.as_ref().is_some_and(|p| *p.get_ref()),
            one_shot: v.one_shot.as_ref().is_some_and(|p| *p.get_ref()),
            pre_trigger,
        })
    }
}

/// The comment block that opens a preset file, its `#` marks removed; each
/// run of lines is one paragraph.
pub fn guide_of(src: &str) -> String {
    let mut paragraphs: Vec<String> = vec![String::new()];
    for line in src.lines() {
        let Some(text) = line.trim_start().strip_prefix('#') else {
            break;
        };
        let text = text.trim();
        let last = paragraphs.last_mut().expect("one paragraph at least");
        if text.is_empty() {
            if !last.is_empty() {
                paragraphs.push(String::new());
            }
        } else {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(text);
        }
    }
    paragraphs.retain(|p| !p.is_empty());
    paragraphs.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_at_names_table_and_key() {
        let src = "model = \"lif\"\n[lif]\ntau_m = -5\n";
        assert_eq!(key_at(src, 28).as_deref(), Some("lif.tau_m"));
        assert_eq!(key_at(src, 3).as_deref(), Some("model"));
    }
}
