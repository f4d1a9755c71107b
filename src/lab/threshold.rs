//! Where firing starts: the value of a preset key at which the neuron goes
//! from silent to firing at least once within the preset's duration, found
//! by bisection between a value on each side, each trial a fresh run from
//! the preset's own start. Taken against a second key stepped through
//! values, it gives a strength–duration curve (the threshold amplitude of a
//! pulse against its width: rheobase and chronaxie) or any other boundary
//! of firing (the pulse of `hh-rebound`, whose threshold is negative).
//!
//! Unlike a sweep, nothing carries over from one trial to the next: each is
//! the preset as written, with the two keys set.

use std::fmt;

use super::firing::never_fires;
use super::set_values::load_with_values;
use super::sweep::{NOT_SWEPT, PresetSource};
use crate::figure::Envelopes;
use crate::model::Instability;
use crate::model::recordable::{Quantity, Recordable};
use crate::preset::time::BareTime;
use crate::preset::{PresetError, Scenario, run_steps};
use crate::sim::Simulation;
use crate::text::exact_number;

/// The bisection stops once the bracket is this fraction of the one given
/// (`--between`) or less, or where no float lies between its ends: about
/// 30 halvings, each a run.
pub const RELATIVE_PRECISION: f64 = 1e-9;

/// What to search for.
#[derive(Debug, Clone, PartialEq)]
pub struct ThresholdSpec {
    /// The key whose threshold is sought (`stimulus.amplitude`).
    pub key: String,
    /// A value on each side of the threshold, in either order.
    pub between: [f64; 2],
    /// The key stepped through values (`stimulus.width`), each value its
    /// own search; None: one search, the preset as it is.
    pub against: Option<(String, Vec<f64>)>,
    /// The neuron that must fire (default: the preset's selected neuron,
    /// else 0).
    pub neuron: Option<usize>,
}

/// Which side of the search's bracket fires, where the two differ; the
/// same outcome at both ends otherwise.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Found {
    /// The boundary: `firing` fires, `silent` does not, and no more than
    /// the precision lies between them.
    Boundary { firing: f64, silent: f64 },
    /// Both ends fire, or (false) neither does.
    NoBoundary { fires: bool },
}

/// One search: the value of the key it is against (None without one) and
/// what it found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ThresholdPoint {
    pub value: Option<f64>,
    pub found: Found,
    /// Runs the search took.
    pub trials: u32,
}

/// A trial run whole, for a figure: the key's value, whether the neuron
/// fired, and its membrane potential through the preset's whole duration
/// (not stopped at the first spike), as a figure keeps a run (the extremes
/// of each of `figure::record::BUCKETS` spans of time: no spike lost).
#[derive(Debug, Clone, PartialEq)]
pub struct TracedTrial {
    pub value: f64,
    pub fires: bool,
    /// (t_s, V): HH's V in mV, a LIF neuron's v (threshold 1).
    pub trace: Vec<(f64, f64)>,
}

/// Why a search cannot run or stopped.
#[derive(Debug)]
pub enum ThresholdError {
    /// What was asked for cannot be searched.
    Usage(String),
    /// A value makes an invalid preset.
    Preset(Box<PresetError>),
    /// The state blew up in a trial: where, why, and the simulation as it
    /// stopped (what drove it there).
    Unstable {
        at: String,
        cause: Instability,
        sim: Box<Simulation>,
    },
}

impl fmt::Display for ThresholdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ThresholdError::Usage(text) => f.write_str(text),
            ThresholdError::Preset(e) => write!(f, "{e}"),
            ThresholdError::Unstable { at, cause, .. } => write!(f, "{at}: {cause}"),
        }
    }
}

impl std::error::Error for ThresholdError {}

/// The searches, one value of the `against` key at a time.
pub struct Threshold {
    source: PresetSource,
    spec: ThresholdSpec,
    /// The next value's index (into `against`'s values, or 0 of 1).
    next: usize,
    neuron: usize,
    /// The preset's times written as bare numbers (`preset::time::BareTime`).
    bare_times: Vec<BareTime>,
    /// The first trial's duration and step, as the summary says them.
    duration_s: f64,
    dt_s: f64,
}

impl Threshold {
    /// Checks the keys, the neuron and, for every value of the `against`
    /// key, that both ends of the bracket make a valid preset whose model
    /// fires, before any search runs.
    pub fn new(source: PresetSource, spec: ThresholdSpec) -> Result<Self, ThresholdError> {
        let key = spec.key.trim();
        let usage = |text: String| ThresholdError::Usage(text);
        let keys = std::iter::once(("--param", key))
            .chain(spec.against.iter().map(|(k, _)| ("--against", k.trim())));
        for (flag, k) in keys {
            if NOT_SWEPT.contains(&k) || k.starts_with("view.") {
                return Err(usage(format!(
                    "{flag} {k}: it does not change the model or its input; valid: a numeric \
                     key of the model or a stimulus, e.g. stimulus.amplitude, stimulus.width, \
                     hh.g_na"
                )));
            }
        }
        if let Some((against, values)) = &spec.against {
            if against.trim() == key {
                return Err(usage(format!(
                    "--against {key}: the key searched itself; valid: another key (the \
                     threshold of stimulus.amplitude against stimulus.width)"
                )));
            }
            if values.is_empty() {
                return Err(usage(format!("--against {}: no values", against.trim())));
            }
        }
        let [a, b] = spec.between;
        if !(a.is_finite() && b.is_finite()) || a == b {
            return Err(usage(format!(
                "--between {} {}: valid: two different finite values, one on each side of \
                 the threshold",
                exact_number(a),
                exact_number(b)
            )));
        }
        let mut this = Self {
            source,
            spec,
            next: 0,
            neuron: 0,
            bare_times: Vec::new(),
            duration_s: 0.0,
            dt_s: 0.0,
        };
        let mut first = true;
        for k in 0..this.searches() {
            for end in [a, b] {
                let scenario = this.preset_at(k, end)?;
                if let Some(what) = never_fires(&scenario.model) {
                    return Err(usage(format!(
                        "{}: {what} does not fire; valid: a threshold of firing is sought \
                         for an hh (unclamped), lif or network model",
                        this.source.origin
                    )));
                }
                if first {
                    this.neuron = this
                        .spec
                        .neuron
                        .or(scenario.meta.view.selected)
                        .unwrap_or(0);
                    this.bare_times = scenario.meta.bare_times.clone();
                    (this.duration_s, this.dt_s) = (scenario.meta.duration_s, scenario.meta.dt_s);
                    first = false;
                }
                this.check_run(&scenario)?;
            }
        }
        Ok(this)
    }

    /// How many searches: one per value of the `against` key, else one.
    pub fn searches(&self) -> usize {
        self.spec.against.as_ref().map_or(1, |(_, v)| v.len())
    }

    pub fn is_done(&self) -> bool {
        self.next >= self.searches()
    }

    /// The neuron that must fire.
    pub fn neuron(&self) -> usize {
        self.neuron
    }

    pub fn spec(&self) -> &ThresholdSpec {
        &self.spec
    }

    /// The duration and step of a trial (the first one's: `--against` may
    /// change them).
    pub fn duration_and_dt_s(&self) -> (f64, f64) {
        (self.duration_s, self.dt_s)
    }

    /// The preset's bare times (`preset::time::BareTime`), to be said.
    pub fn bare_times(&self) -> &[BareTime] {
        &self.bare_times
    }

    /// The preset for search `k` with the key at `x`.
    pub fn preset_at(&self, k: usize, x: f64) -> Result<Scenario, ThresholdError> {
        let key = self.spec.key.trim();
        let mut values = Vec::with_capacity(2);
        if let Some((against, v)) = &self.spec.against {
            values.push(("--against", against.trim(), v[k]));
        }
        values.push(("--between", key, x));
        load_with_values(&self.source, &values).map_err(ThresholdError::Preset)
    }

    /// The neuron exists and the preset's duration is a run.
    fn check_run(&self, s: &Scenario) -> Result<u64, ThresholdError> {
        let n = s.model.neuron_count();
        if self.neuron >= n {
            return Err(ThresholdError::Usage(format!(
                "--neuron {}: the model has {n} neuron{}; valid: 0 to {}",
                self.neuron,
                if n == 1 { "" } else { "s" },
                n - 1
            )));
        }
        run_steps(s.meta.duration_s, s.meta.dt_s, n).map_err(|e| {
            ThresholdError::Usage(format!(
                "{}: duration {}; valid: {}",
                self.source.origin, e.problem, e.valid
            ))
        })
    }

    /// Whether the neuron fires within the duration in search `k` with the
    /// key at `x`: the run stops at its first spike.
    fn fires(&self, k: usize, x: f64) -> Result<bool, ThresholdError> {
        let scenario = self.preset_at(k, x)?;
        let steps = self.check_run(&scenario)?;
        let (_, mut sim) = scenario.into_simulation();
        for _ in 0..steps {
            match sim.step() {
                Ok(spikes) if spikes.iter().any(|s| s.neuron == self.neuron) => return Ok(true),
                Ok(_) => {}
                Err(cause) => {
                    return Err(ThresholdError::Unstable {
                        at: self.describe(k, x),
                        cause,
                        sim: Box::new(sim),
                    });
                }
            }
        }
        Ok(false)
    }

    /// The two trials either side of the first search's threshold, run
    /// whole: the last bracket's ends, the firing one first; where the
    /// search found no boundary, the `--between` ends as given.
    pub fn traced_ends(&self, found: Found) -> Result<[TracedTrial; 2], ThresholdError> {
        let [a, b] = match found {
            Found::Boundary { firing, silent } => [firing, silent],
            Found::NoBoundary { .. } => self.spec.between,
        };
        Ok([self.traced(a)?, self.traced(b)?])
    }

    /// The first search's trial with the key at `x`, run whole.
    fn traced(&self, x: f64) -> Result<TracedTrial, ThresholdError> {
        let scenario = self.preset_at(0, x)?;
        let steps = self.check_run(&scenario)?;
        let duration_s = steps as f64 * scenario.meta.dt_s;
        let (_, mut sim) = scenario.into_simulation();
        let v = Recordable::at(Quantity::V, self.neuron);
        let mut trace = Envelopes::new(&sim, vec![v], duration_s, 0);
        let mut fires = false;
        for _ in 0..steps {
            match sim.step() {
                Ok(spikes) => fires |= spikes.iter().any(|s| s.neuron == self.neuron),
                Err(cause) => {
                    return Err(ThresholdError::Unstable {
                        at: self.describe(0, x),
                        cause,
                        sim: Box::new(sim),
                    });
                }
            }
            trace.record(&sim, &[]);
        }
        trace.finish();
        Ok(TracedTrial {
            value: x,
            fires,
            trace: std::mem::take(&mut trace.points[0]),
        })
    }

    /// The preset and the keys' values of a trial, as an error names them.
    fn describe(&self, k: usize, x: f64) -> String {
        let this = format!("{} = {}", self.spec.key.trim(), exact_number(x));
        let keys = match &self.spec.against {
            Some((against, v)) => format!("{} = {}, {this}", against.trim(), exact_number(v[k])),
            None => this,
        };
        format!("{} with {keys}", self.source.origin)
    }

    /// Runs the next search (`stop` is asked between its runs; true stops
    /// it, and None comes back).
    pub fn next_point(
        &mut self,
        stop: &mut dyn FnMut() -> bool,
    ) -> Result<Option<ThresholdPoint>, ThresholdError> {
        if stop() {
            return Ok(None);
        }
        let k = self.next;
        let value = self.spec.against.as_ref().map(|(_, v)| v[k]);
        let [a, b] = self.spec.between;
        let (fires_a, fires_b) = (self.fires(k, a)?, self.fires(k, b)?);
        let mut trials = 2;
        let found = if fires_a == fires_b {
            Found::NoBoundary { fires: fires_a }
        } else {
            let (mut firing, mut silent) = if fires_a { (a, b) } else { (b, a) };
            // In halves, so that ends near ±f64::MAX neither add nor
            // subtract to infinity.
            let half_width = |x: f64, y: f64| (0.5 * x - 0.5 * y).abs();
            let precision = RELATIVE_PRECISION * half_width(b, a);
            while half_width(firing, silent) > precision {
                let mid = 0.5 * firing + 0.5 * silent;
                if mid == firing || mid == silent {
                    break;
                }
                if stop() {
                    return Ok(None);
                }
                trials += 1;
                if self.fires(k, mid)? {
                    firing = mid;
                } else {
                    silent = mid;
                }
            }
            Found::Boundary { firing, silent }
        };
        self.next += 1;
        Ok(Some(ThresholdPoint {
            value,
            found,
            trials,
        }))
    }
}
