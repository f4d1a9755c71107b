//! The stimulus sections: each kind's shape from the keys it reads (a key
//! another kind reads is an error), the neurons it drives, and whether the
//! stimuli fit the model (a clamp only for HH and alone, spike trains only
//! into synapses).

use std::ops::Range;

use super::PresetError;
use super::schema::{PresetFile, S, StimulusSection};
use super::time::{Seconds, TIME_FORMS};
use super::validate::{R, Validator};
use crate::model::AnyModel;
use crate::named::Named;
use crate::sim::stimulus::{Shape, SpikeTrain, Stimulus, StimulusKind, TargetedStimulus};
use crate::text::exact_number;

use StimulusKind::{Clamp, Constant, Noise, Pulses, Ramp, Sine, Spikes, Step};

/// The most clamp levels in a family, and the most given spike times.
const MAX_CLAMP_LEVELS: usize = 1000;
const MAX_SPIKE_TIMES: usize = 1_000_000;
/// Clamped potentials and the holding potential (mV).
const CLAMP_RANGE_MV: (f64, f64) = (-200.0, 200.0);

/// Where a key of a stimulus section is written, if it is.
fn at<T>(v: &Option<S<T>>) -> Option<Range<usize>> {
    v.as_ref().map(|x| x.span())
}

/// A key only some kinds read, where it is written (if it is), and the
/// kinds that read it.
struct KindKey {
    name: &'static str,
    span: Option<Range<usize>>,
    kinds: &'static [StimulusKind],
}

/// Each key only some kinds read.
#[rustfmt::skip]
fn kind_keys(s: &StimulusSection) -> [KindKey; 14] {
    fn key(name: &'static str, span: Option<Range<usize>>, kinds: &'static [StimulusKind]) -> KindKey {
        KindKey { name, span, kinds }
    }
    [
        key("start", at(&s.start), &[Step, Pulses, Ramp, Sine, Clamp, Spikes]),
        key("stop", at(&s.stop), &[Step, Ramp, Clamp, Spikes]),
        key("width", at(&s.width), &[Pulses, Clamp]),
        key("period", at(&s.period), &[Pulses, Clamp]),
        key("count", at(&s.count), &[Pulses]),
        key("frequency", at(&s.frequency), &[Sine]),
        key("phase", at(&s.phase), &[Sine]),
        key("sigma", at(&s.sigma), &[Noise]),
        key("seed", at(&s.seed), &[Noise, Spikes]),
        key("hold", at(&s.hold), &[Clamp]),
        key("levels", at(&s.levels), &[Clamp]),
        key("times", at(&s.times), &[Spikes]),
        key("rate", at(&s.rate), &[Spikes]),
        key("poisson", at(&s.poisson), &[Spikes]),
    ]
}

/// One stimulus section being read: its key prefix and its keys.
struct Section<'s> {
    key: &'s str,
    s: &'s StimulusSection,
}

impl Section<'_> {
    fn key(&self, name: &str) -> String {
        format!("{}.{name}", self.key)
    }
}

impl Validator<'_> {
    pub(super) fn stimulus(&self, key: &str, s: &StimulusSection, n: usize) -> R<TargetedStimulus> {
        let sec = Section { key, s };
        let kind = self.named(&sec.key("kind"), &s.kind, Constant)?;
        for KindKey { name, span, kinds } in kind_keys(s) {
            if let Some(span) = span.filter(|_| !kinds.contains(&kind)) {
                let readers: Vec<_> = kinds.iter().map(|k| k.name()).collect();
                return Err(self
                    .err(
                        &sec.key(name),
                        span,
                        format!("`{name}` does not apply to kind \"{}\"", kind.name()),
                    )
                    .valid(format!("`{name}` is read by kind {}", readers.join(", "))));
            }
        }
        // A spike train's amplitude is each spike's weight: 1 unless given.
        let default_amplitude = if kind == Spikes { 1.0 } else { 0.0 };
        let amplitude = self.number(&sec.key("amplitude"), &s.amplitude, default_amplitude)?;
        let offset = self.number(&sec.key("offset"), &s.offset, 0.0)?;
        let start_s = self.time(&sec.key("start"), &s.start, 0.0, true)?;
        let shape = match kind {
            Constant => Shape::Constant,
            Step => Shape::Step {
                start_s,
                stop_s: self.stop_after(&sec.key("stop"), &s.stop, start_s)?,
            },
            Ramp => self.ramp(&sec, start_s)?,
            Pulses => self.pulses(&sec, start_s)?,
            Sine => Shape::Sine {
                frequency_hz: self.non_negative(&sec.key("frequency"), &s.frequency, 10.0, "Hz")?,
                phase_rad: self.number(&sec.key("phase"), &s.phase, 0.0)?,
                start_s,
            },
            Noise => Shape::Noise {
                sigma: self.non_negative(&sec.key("sigma"), &s.sigma, 0.0, "input units × √s")?,
                seed: self.seed(&sec.key("seed"), &s.seed)?,
            },
            Clamp if s.levels.is_some() => self.clamp_family(&sec, start_s)?,
            Clamp => self.clamp_step(&sec, start_s)?,
            Spikes => Shape::Spikes(self.spike_train(&sec, start_s)?),
        };
        Ok(TargetedStimulus {
            stimulus: Stimulus::new(shape, amplitude, offset),
            neurons: self.targets(&sec, n)?,
        })
    }

    fn seed(&self, key: &str, v: &Option<S<i64>>) -> R<u64> {
        match v {
            None => Ok(0),
            Some(sd) => Ok(self.count(key, sd, 0, i64::MAX)? as u64),
        }
    }

    fn ramp(&self, sec: &Section, start_s: f64) -> R<Shape> {
        let stop_s = self.stop_after(&sec.key("stop"), &sec.s.stop, start_s)?;
        if stop_s.is_infinite() {
            return Err(
                PresetError::new(self.origin, "missing `stop`: a ramp needs one")
                    .key(sec.key("stop"))
                    .valid("the time at which the ramp reaches `amplitude`"),
            );
        }
        Ok(Shape::Ramp { start_s, stop_s })
    }

    fn pulses(&self, sec: &Section, start_s: f64) -> R<Shape> {
        let (width_s, period_s) = self.width_and_period(sec.key, sec.s, (0.001, 0.01))?;
        let count = match &sec.s.count {
            None => None,
            Some(c) => Some(self.count(&sec.key("count"), c, 1, i64::MAX)? as u64),
        };
        Ok(Shape::Pulses {
            start_s,
            width_s,
            period_s,
            count,
        })
    }

    fn hold(&self, sec: &Section) -> R<f64> {
        let (lo, hi) = CLAMP_RANGE_MV;
        self.number_in(&sec.key("hold"), &sec.s.hold, -65.0, lo, hi, "mV")
    }

    /// A clamp family: V at each of `levels` in turn for `width`, every
    /// `period`, at `hold` between.
    fn clamp_family(&self, sec: &Section, start_s: f64) -> R<Shape> {
        let s = sec.s;
        let hold_mv = self.hold(sec)?;
        let levels = s.levels.as_ref().expect("a family has levels");
        let n = levels.get_ref().len();
        if n == 0 || n > MAX_CLAMP_LEVELS {
            return Err(self
                .err(&sec.key("levels"), levels.span(), format!("{n} levels"))
                .valid(format!("from 1 to {MAX_CLAMP_LEVELS} clamp levels (mV)")));
        }
        let (lo, hi) = CLAMP_RANGE_MV;
        if let Some(bad) = levels.get_ref().iter().find(|v| !(lo..=hi).contains(*v)) {
            return Err(self
                .err(
                    &sec.key("levels"),
                    levels.span(),
                    format!("level {} mV", exact_number(*bad)),
                )
                .valid(format!("levels from {lo} to {hi} mV")));
        }
        let (width_s, period_s) = self.width_and_period(sec.key, s, (0.02, 0.04))?;
        if let Some(stop) = &s.stop {
            return Err(self
                .err(
                    &sec.key("stop"),
                    stop.span(),
                    "a clamp family ends after its levels",
                )
                .valid("`stop` only with a single clamp step (no `levels`)"));
        }
        Ok(Shape::ClampSteps {
            hold_mv,
            levels_mv: levels.get_ref().clone(),
            start_s,
            width_s,
            period_s,
        })
    }

    /// A single clamp step: V at `amplitude` from start to stop, at `hold`
    /// before and after.
    fn clamp_step(&self, sec: &Section, start_s: f64) -> R<Shape> {
        let s = sec.s;
        let hold_mv = self.hold(sec)?;
        for (name, given) in [("width", &s.width), ("period", &s.period)] {
            if let Some(v) = given {
                return Err(self
                    .err(&sec.key(name), v.span(), format!("`{name}` needs `levels`"))
                    .valid("a clamp family: levels = [...] with width and period"));
            }
        }
        let (lo, hi) = CLAMP_RANGE_MV;
        self.number_in(
            &sec.key("amplitude"),
            &s.amplitude,
            0.0,
            lo,
            hi,
            "mV (the held V)",
        )?;
        Ok(Shape::Clamp {
            hold_mv,
            start_s,
            stop_s: self.stop_after(&sec.key("stop"), &s.stop, start_s)?,
        })
    }

    fn spike_train(&self, sec: &Section, start_s: f64) -> R<SpikeTrain> {
        match (&sec.s.times, &sec.s.rate) {
            (Some(times), None) => self.given_times(sec, times),
            (None, Some(_)) => self.rate_train(sec, start_s),
            (Some(t), Some(_)) => Err(self
                .err(&sec.key("times"), t.span(), "both `times` and `rate` given")
                .valid("either times = [...] or rate = HZ")),
            (None, None) => Err(PresetError::new(
                self.origin,
                "missing `times` or `rate`: a spike train needs one",
            )
            .key(sec.key("times"))
            .valid("times = [\"10 ms\", \"50 ms\"] or rate = 20.0 (Hz, with poisson = true for a Poisson train)")),
        }
    }

    fn given_times(&self, sec: &Section, times: &S<Vec<Seconds>>) -> R<SpikeTrain> {
        let s = sec.s;
        let t: Vec<f64> = times.get_ref().iter().map(|x| x.0).collect();
        if t.len() > MAX_SPIKE_TIMES {
            return Err(self
                .err(&sec.key("times"), times.span(), "too many spike times")
                .valid(format!("at most {MAX_SPIKE_TIMES} times")));
        }
        if t.iter().any(|x| !x.is_finite() || *x < 0.0) || t.windows(2).any(|w| w[1] < w[0]) {
            return Err(self
                .err(
                    &sec.key("times"),
                    times.span(),
                    "times must be finite, >= 0 and sorted",
                )
                .valid(format!("sorted times: {TIME_FORMS}")));
        }
        let rate_keys = [
            ("poisson", s.poisson.as_ref().map(|v| v.span())),
            ("seed", s.seed.as_ref().map(|v| v.span())),
            ("start", s.start.as_ref().map(|v| v.span())),
            ("stop", s.stop.as_ref().map(|v| v.span())),
        ];
        if let Some((name, Some(span))) = rate_keys.into_iter().find(|(_, v)| v.is_some()) {
            return Err(self
                .err(
                    &sec.key(name),
                    span,
                    format!("`{name}` goes with `rate`, not `times`"),
                )
                .valid("either times = [...] or rate = HZ with start, stop, poisson, seed"));
        }
        Ok(SpikeTrain::Times(t))
    }

    /// A regular or Poisson train of `rate` Hz from start to stop.
    fn rate_train(&self, sec: &Section, start_s: f64) -> R<SpikeTrain> {
        let s = sec.s;
        let rate_hz = self.checked(
            &sec.key("rate"),
            &s.rate,
            10.0,
            |x| x > 0.0 && x <= 1e5,
            "out of range",
            || "a rate from above 0 to 100000 Hz".to_string(),
        )?;
        let stop_s = self.time(&sec.key("stop"), &s.stop, f64::INFINITY, true)?;
        if s.poisson.as_ref().is_some_and(|p| *p.get_ref()) {
            return Ok(SpikeTrain::Poisson {
                rate_hz,
                start_s,
                stop_s,
                seed: self.seed(&sec.key("seed"), &s.seed)?,
            });
        }
        if let Some(sd) = &s.seed {
            return Err(self
                .err(
                    &sec.key("seed"),
                    sd.span(),
                    "a regular train has no randomness",
                )
                .valid("`seed` with poisson = true"));
        }
        Ok(SpikeTrain::Regular {
            rate_hz,
            start_s,
            stop_s,
        })
    }

    /// The neurons a stimulus drives (None: all).
    fn targets(&self, sec: &Section, n: usize) -> R<Option<Vec<usize>>> {
        let Some(list) = &sec.s.neurons else {
            return Ok(None);
        };
        match list.get_ref().iter().find(|&&i| i < 0 || i as usize >= n) {
            Some(i) => Err(self
                .err(
                    &sec.key("neurons"),
                    list.span(),
                    format!("neuron {i} does not exist"),
                )
                .valid(format!("indices from 0 to {}", n - 1))),
            None => Ok(Some(list.get_ref().iter().map(|&i| i as usize).collect())),
        }
    }

    /// Clamps only for HH and only alone; spike trains only into synapses;
    /// the synapse model only spike trains.
    pub(super) fn fit(
        &self,
        model: &AnyModel,
        stimuli: &[TargetedStimulus],
        f: &PresetFile,
    ) -> R<()> {
        let is_hh = matches!(model, AnyModel::Hh(_));
        let is_synapse = matches!(model, AnyModel::Synapse(_));
        let takes_trains = is_synapse || matches!(model, AnyModel::Network(_));
        for (k, ts) in stimuli.iter().enumerate() {
            let st = &ts.stimulus;
            let misfit = if st.is_clamp() && (!is_hh || stimuli.len() > 1) {
                Some((
                    "a voltage clamp holds an HH membrane's V by itself",
                    "kind = \"clamp\" as the only stimulus of model = \"hh\"",
                ))
            } else if st.is_spike_train() && !takes_trains {
                Some((
                    "a spike train drives synapses, and this model has none",
                    "kind = \"spikes\" with model = \"network\" or \"synapse\"",
                ))
            } else if is_synapse && !st.is_spike_train() {
                Some((
                    "the synapse model is driven by spike trains",
                    "kind = \"spikes\"",
                ))
            } else {
                None
            };
            if let Some((problem, valid)) = misfit {
                // Stimulus 0 is `[stimulus]`, the others `[[stimuli]]`.
                let (key, section) = match k {
                    0 => ("stimulus.kind".to_string(), f.stimulus.as_ref()),
                    _ => (
                        format!("stimuli[{}].kind", k - 1),
                        f.stimuli.as_ref().and_then(|v| v.get(k - 1)),
                    ),
                };
                let e = match section.and_then(|s| at(&s.kind)) {
                    Some(span) => self.err(&key, span, problem),
                    // No `kind` written: the default, a constant input.
                    None => PresetError::new(self.origin, problem)
                        .key(&key)
                        .value("\"constant\" (the default)"),
                };
                return Err(e.valid(valid));
            }
        }
        Ok(())
    }
}
