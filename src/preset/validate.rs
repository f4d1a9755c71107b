//! The checks every section shares: numbers, times, ranges, choices among
//! an enum's names, counts, and the matrix block that networks and rate
//! networks both take (`weights` and `bias`, or `augmented`, with `names`).
//! Each error names the key, the value where it is written, and what is
//! valid.

use std::cell::RefCell;

use toml::Spanned;

use super::error::{PresetError, did_you_mean};
use super::schema::{MatrixBlock, S, StimulusSection};
use super::time::{BareTime, Seconds, TIME_FORMS, format_time};
use crate::model::weights::split_augmented;
use crate::named::Named;
use crate::text::{plural, printable};

pub(super) type R<T> = Result<T, PresetError>;

/// Checks values against the text they came from, and keeps the times it
/// read from bare numbers that look meant in milliseconds (`BareTime`).
pub(super) struct Validator<'a> {
    pub(super) origin: &'a str,
    pub(super) src: &'a str,
    pub(super) bare_times: RefCell<Vec<BareTime>>,
}

/// The length of a list given in the preset, and where it is written.
type LenAndSpan = (Option<usize>, std::ops::Range<usize>);

fn len_and_span<T>(v: &Option<S<Vec<T>>>) -> LenAndSpan {
    match v {
        Some(x) => (Some(x.get_ref().len()), x.span()),
        None => (None, 0..0),
    }
}

impl Validator<'_> {
    pub(super) fn err(
        &self,
        key: &str,
        span: std::ops::Range<usize>,
        problem: impl Into<String>,
    ) -> PresetError {
        PresetError::new(self.origin, problem)
            .key(key)
            .at(self.src, span)
    }

    /// An error at a time the preset gave: one written as a bare number
    /// says the time it was read as (`dt` = 0.1: read as 100 ms: too large
    /// ...), a number without a unit being seconds where the limits are
    /// said in ms.
    pub(super) fn time_err(
        &self,
        key: &str,
        time: &S<Seconds>,
        problem: impl Into<String>,
    ) -> PresetError {
        let mut e = self.err(key, time.span(), problem);
        let bare = e.value.as_deref().is_some_and(|v| v.parse::<f64>().is_ok());
        if bare && time.get_ref().0.is_finite() {
            let read = format_time(time.get_ref().0);
            e.problem = format!("read as {read}: {}", e.problem);
        }
        e
    }

    pub(super) fn number(&self, key: &str, v: &Option<S<f64>>, default: f64) -> R<f64> {
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
    pub(super) fn checked(
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
    pub(super) fn width_and_period(
        &self,
        key: &str,
        s: &StimulusSection,
        defaults: (f64, f64),
    ) -> R<(f64, f64)> {
        let k = |name: &str| format!("{key}.{name}");
        let width = self.time(&k("width"), &s.width, defaults.0, false)?;
        let period = self.time(&k("period"), &s.period, defaults.1, false)?;
        if let (true, Some(given)) = (width > period, s.width.as_ref().or(s.period.as_ref())) {
            return Err(self
                .time_err(&k("width"), given, "longer than the period")
                .valid(format!(
                    "a width of at most period = {}",
                    format_time(period)
                )));
        }
        Ok((width, period))
    }

    /// A `stop` time after `start` (default: never).
    pub(super) fn stop_after(&self, key: &str, v: &Option<S<Seconds>>, start: f64) -> R<f64> {
        let stop = self.time(key, v, f64::INFINITY, true)?;
        match v {
            Some(s) if stop <= start => Err(self
                .time_err(key, s, "not after `start`")
                .valid(format!("a time after start = {}", format_time(start)))),
            _ => Ok(stop),
        }
    }

    pub(super) fn number_in(
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

    pub(super) fn non_negative(
        &self,
        key: &str,
        v: &Option<S<f64>>,
        default: f64,
        unit: &str,
    ) -> R<f64> {
        let valid = || format!("a number >= 0 ({unit})");
        self.checked(key, v, default, |x| x >= 0.0, "must not be negative", valid)
    }

    pub(super) fn positive(
        &self,
        key: &str,
        v: &Option<S<f64>>,
        default: f64,
        unit: &str,
    ) -> R<f64> {
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

    pub(super) fn time(
        &self,
        key: &str,
        v: &Option<S<Seconds>>,
        default: f64,
        allow_zero: bool,
    ) -> R<f64> {
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
        // A bare number of a second or more where the key's own times are
        // milliseconds (its default at most 100 ms): `tau_m = 20` is a 20 s
        // membrane, most likely meant as 20 ms, and a run of it is silent.
        let written = self.src.get(s.span()).unwrap_or("").trim();
        if x >= 1.0 && default > 0.0 && default <= 0.1 && written.parse::<f64>().is_ok() {
            self.bare_times.borrow_mut().push(BareTime {
                key: key.to_string(),
                written: written.to_string(),
                seconds: x,
                line: Some(self.src[..s.span().start].matches('\n').count() + 1),
                by_set: false,
            });
        }
        Ok(x)
    }

    pub(super) fn choice<'c>(
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
    pub(super) fn named<T: Named>(&self, key: &str, v: &Option<S<String>>, default: T) -> R<T> {
        let names = T::names();
        let name = self.choice(key, v, default.name(), &names)?;
        Ok(T::from_name(name).unwrap_or(default))
    }

    pub(super) fn count(&self, key: &str, v: &Spanned<i64>, lo: i64, hi: i64) -> R<usize> {
        let x = *v.get_ref();
        if x < lo || x > hi {
            let valid = if lo == hi {
                // One neuron: "from 0 to 0" read as a slip.
                format!("{lo}, the only one")
            } else {
                format!("a whole number from {lo} to {hi}")
            };
            return Err(self.err(key, v.span(), "out of range").valid(valid));
        }
        Ok(x as usize)
    }

    pub(super) fn matrix(
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
                    format!(
                        "the matrix has {} of lengths {:?}",
                        crate::text::plural(v.len() as u64, "row", "rows"),
                        got_cols
                    ),
                )
                .value(format!("{} x ?", v.len()))
                .valid(format!(
                    "{} of {} each ({rows} x {cols})",
                    crate::text::plural(rows as u64, "row", "rows"),
                    crate::text::plural(cols as u64, "number", "numbers")
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

    pub(super) fn vector(&self, key: &str, v: &S<Vec<f64>>, len: usize) -> R<Vec<f64>> {
        let x = v.get_ref();
        if x.len() != len {
            return Err(self
                .err(
                    key,
                    v.span(),
                    format!("has {}", plural(x.len() as u64, "entry", "entries")),
                )
                .valid(format!(
                    "{}, one per neuron",
                    plural(len as u64, "number", "numbers")
                )));
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
                        .err(
                            key,
                            s.span(),
                            format!("has {}", plural(s.get_ref().len() as u64, "name", "names")),
                        )
                        .valid(format!(
                            "{}, one per neuron",
                            plural(n as u64, "name", "names")
                        )));
                }
                Ok(s.get_ref()
                    .iter()
                    .map(|n| printable(n, false).into_owned())
                    .collect())
            }
        }
    }

    /// The neurons' names, W and b of a network section, its size taken
    /// from whichever of weights / augmented / bias / names is given before
    /// anything is allocated from it, and at most `max_neurons`.
    pub(super) fn matrix_block(
        &self,
        section: &str,
        block: MatrixBlock,
        max_neurons: usize,
    ) -> R<Weighted> {
        let n = self.network_size(
            section,
            &[
                ("weights", len_and_span(block.weights)),
                ("augmented", len_and_span(block.augmented)),
                ("bias", len_and_span(block.bias)),
                ("names", len_and_span(block.names)),
            ],
            max_neurons,
        )?;
        let (weights, bias) = self.weights_and_bias(section, n, &block)?;
        let names = self.names(&format!("{section}.names"), block.names, n)?;
        Ok(Weighted {
            names,
            weights,
            bias,
        })
    }

    fn network_size(
        &self,
        key: &str,
        candidates: &[(&str, LenAndSpan)],
        max_neurons: usize,
    ) -> R<usize> {
        let (n, span, from) = candidates
            .iter()
            .find_map(|(from, (n, s))| n.map(|n| (n, s.clone(), *from)))
            .ok_or_else(|| {
                let or_random = if key == "network" {
                    ", or a [network.random] table"
                } else {
                    ""
                };
                PresetError::new(self.origin, "missing the neurons: no weights, bias or size")
                    .key(key)
                    .valid(format!(
                        "give `weights` (N x N) and `bias` (N), or `augmented` (N x (N+1)){or_random}"
                    ))
            })?;
        if n == 0 || n > max_neurons {
            // The key the size was read from (`rate.bias` = []).
            return Err(self
                .err(&format!("{key}.{from}"), span, format!("{n} neurons"))
                .valid(format!("from 1 to {max_neurons} neurons")));
        }
        Ok(n)
    }

    /// W (N x N) and b (N) from `weights` + `bias`, or from `augmented`
    /// [W | b] (N x (N+1)).
    fn weights_and_bias(
        &self,
        section: &str,
        n: usize,
        block: &MatrixBlock,
    ) -> R<(Vec<Vec<f64>>, Vec<f64>)> {
        if let Some(a) = block.augmented {
            if block.weights.is_some() || block.bias.is_some() {
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
        let w = match block.weights {
            Some(w) => self.matrix(&format!("{section}.weights"), w, n, n)?,
            None => vec![vec![0.0; n]; n],
        };
        let b = match block.bias {
            Some(b) => self.vector(&format!("{section}.bias"), b, n)?,
            None => vec![0.0; n],
        };
        Ok((w, b))
    }
}

/// A network section's matrix block, checked.
pub(super) struct Weighted {
    pub(super) names: Vec<String>,
    pub(super) weights: Vec<Vec<f64>>,
    pub(super) bias: Vec<f64>,
}
