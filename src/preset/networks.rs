//! The network sections: a LIF network (explicit weights and biases, or a
//! `[network.random]` recipe) and a rate network, which share the matrix
//! block.

use super::schema::{NetworkSection, RandomSection, RangeSection, RateSection, S};
use super::time::format_time;
use super::validate::{R, Validator};
use super::{MAX_RATE_NEURONS, ModelSpec, PresetError};
use crate::model::AnyModel;
use crate::model::activation::Activation;
use crate::model::network::{
    Connections, InStepResolve, LifNetwork, MAX_NEURONS, MAX_NEURONS_UNMEASURED, MAX_SYNAPSES,
    MEMORY_SHARE, NEURON_BYTES, NetworkParams, RandomNetwork, SYNAPSE_BYTES, SpikeTiming, Uniform,
    peak_bytes,
};
use crate::model::rate::RateNetwork;
use crate::model::synapse::{MAX_PSC_ORDER, PscFilter};
use crate::sysmem;

/// Whether setting `key` may change the connections a `[network.random]`
/// recipe draws: any of its keys but the ranges of the biases and initial
/// potentials, which take one number each from the stream whatever they
/// are (`RandomNetwork::build`).
pub fn redraws_connections(key: &str) -> bool {
    key.strip_prefix("network.random.")
        .is_some_and(|k| !k.starts_with("bias") && !k.starts_with("v_init"))
}

/// Keys of `[network]` that a `[network.random]` recipe replaces.
const EXPLICIT_KEYS: [&str; 4] = ["weights", "bias", "augmented", "v_init"];

impl Validator<'_> {
    pub(super) fn network(&self, s: Option<&NetworkSection>) -> R<ModelSpec> {
        let Some(s) = s else {
            return Err(PresetError::new(
                self.origin,
                "model = \"network\" needs a [network] section",
            )
            .key("network")
            .valid("a [network] table with weights and bias, augmented, or random"));
        };
        self.choice("network.neuron", &s.neuron, "lif", &["lif"])?;
        let params = self.network_params(s)?;
        // The propagators are exact, but the input is held over a step and a
        // spike's filter starts within one, so a step must not exceed either
        // time constant.
        let max_dt_s = params.tau_m_s.min(params.filter.tau_s_s);
        let dt_s = 1e-4f64.min(max_dt_s);
        let in_step_resolve = self.named(
            "network.in_step_resolve",
            &s.in_step_resolve,
            InStepResolve::Auto,
        )?;
        let mut network = match &s.random {
            Some(r) => self.random_network(s, r, params, dt_s)?,
            None => self.explicit_network(s, params, dt_s)?,
        };
        network.set_in_step_resolve(in_step_resolve);
        Ok(ModelSpec {
            model: AnyModel::Network(network),
            default_dt_s: dt_s,
            max_dt_s,
            dt_limit: format!(
                "the propagators are exact but a step must not exceed tau_m or tau_s (here {})",
                format_time(max_dt_s)
            ),
        })
    }

    fn network_params(&self, s: &NetworkSection) -> R<NetworkParams> {
        let tau_m_s = self.time("network.tau_m", &s.tau_m, 0.02, false)?;
        let tau_ref_s = self.time("network.tau_ref", &s.tau_ref, 0.002, true)?;
        let tau_s = self.time("network.tau_s", &s.tau_s, 0.005, false)?;
        let psc_order = match &s.psc_order {
            None => 0,
            Some(o) => self.count("network.psc_order", o, 0, MAX_PSC_ORDER as i64)?,
        };
        let spike_timing =
            self.named("network.spike_timing", &s.spike_timing, SpikeTiming::Exact)?;
        Ok(NetworkParams {
            tau_m_s,
            tau_ref_s,
            filter: PscFilter::new(psc_order, tau_s),
            spike_timing,
        })
    }

    /// W, b and initial potentials as written (notes 1.3.4).
    fn explicit_network(
        &self,
        s: &NetworkSection,
        params: NetworkParams,
        dt_s: f64,
    ) -> R<LifNetwork> {
        let block = self.matrix_block("network", s.matrix_block(), MAX_NEURONS)?;
        let n = block.names.len();
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
        let connections = Connections::from_dense(&block.weights);
        Ok(LifNetwork::new(
            params,
            block.names,
            block.bias,
            connections,
            v_init,
            dt_s,
        ))
    }

    /// A random network drawn from a seeded recipe: N neurons, each pair
    /// connected with probability p, weights, biases and initial potentials
    /// uniform in their ranges.
    fn random_network(
        &self,
        s: &NetworkSection,
        r: &RandomSection,
        params: NetworkParams,
        dt_s: f64,
    ) -> R<LifNetwork> {
        let given = [
            s.weights.is_some(),
            s.bias.is_some(),
            s.augmented.is_some(),
            s.v_init.is_some(),
        ];
        if let Some((key, _)) = EXPLICIT_KEYS.iter().zip(given).find(|(_, g)| *g) {
            return Err(
                PresetError::new(self.origin, "given together with [network.random]")
                    .key(format!("network.{key}"))
                    .valid(
                        "either explicit weights/bias/v_init or a [network.random] recipe, not both",
                    )
                    .at(self.src, r.n.span()),
            );
        }
        let n = self.count("network.random.n", &r.n, 1, MAX_NEURONS as i64)?;
        let p = *r.p.get_ref();
        if !(0.0..=1.0).contains(&p) || !p.is_finite() {
            return Err(self
                .err("network.random.p", r.p.span(), "not a probability")
                .valid("a connection probability from 0 to 1"));
        }
        let (weight, weight_inhibitory, excitatory) = self.random_weights(r, n, p)?;
        let zero = Uniform {
            low: 0.0,
            high: 0.0,
        };
        let bias = self
            .optional_range("network.random.bias", &r.bias)?
            .unwrap_or(zero);
        let v_init = self
            .optional_range("network.random.v_init", &r.v_init)?
            .unwrap_or(zero);
        // Draws are in [low, high), so high = 1 keeps every v below 1.
        if let (Some(given), true) = (&r.v_init, v_init.high > 1.0) {
            return Err(self
                .err(
                    "network.random.v_init.high",
                    given.get_ref().high.span(),
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
        // Connections a running network holds are shared, not drawn again
        // (a live parameter change, a sweep's next value): only the
        // neurons need memory then.
        let expected = if recipe.connections_held() {
            0.0
        } else {
            n as f64 * n as f64 * p
        };
        self.network_fits((n, r.n.span()), (expected, r.p.span()))?;
        // Stopped only where the oscilloscope stopped waiting for this
        // build (model/stop.rs): nobody reads the error then.
        recipe
            .build(params, dt_s)
            .map_err(|stopped| PresetError::new(self.origin, stopped.to_string()))
    }

    /// A random network of `n` neurons and `expected` synapses fits in the
    /// memory available now (or, where that cannot be read, has at most
    /// `MAX_NEURONS_UNMEASURED` neurons and `MAX_SYNAPSES` synapses):
    /// refused before anything is allocated, naming both, at the key that
    /// makes it too large (n where the neurons alone do not fit, else p).
    fn network_fits(
        &self,
        (n, n_span): (usize, std::ops::Range<usize>),
        (expected, p_span): (f64, std::ops::Range<usize>),
    ) -> R<()> {
        let needed = peak_bytes(n, expected);
        let too_many_synapses = |valid: String| {
            self.err(
                "network.random.p",
                p_span.clone(),
                format!(
                    "about {expected:.3e} synapses expected: the network needs about {} at its peak",
                    sysmem::format_bytes(needed)
                ),
            )
            .valid(valid)
        };
        // A network within what is checked where the memory cannot be read,
        // and small enough for any machine, is not asked about.
        let small = n <= MAX_NEURONS_UNMEASURED
            && expected <= MAX_SYNAPSES as f64
            && needed <= sysmem::NOT_WORTH_ASKING_BYTES;
        let available = if small {
            None
        } else {
            sysmem::available_bytes()
        };
        let Some(available) = available else {
            if n > MAX_NEURONS_UNMEASURED {
                return Err(self
                    .err(
                        "network.random.n",
                        n_span,
                        "more neurons than can be checked",
                    )
                    .valid(format!(
                        "at most {MAX_NEURONS_UNMEASURED} neurons where the memory cannot be read"
                    )));
            }
            if expected > MAX_SYNAPSES as f64 {
                return Err(too_many_synapses(format!(
                    "at most {MAX_SYNAPSES} synapses (N² p) where the memory cannot be read"
                )));
            }
            return Ok(());
        };
        let budget = MEMORY_SHARE * available;
        if needed <= budget {
            return Ok(());
        }
        let valid = |fewer: &str| {
            format!(
                "a network that fits: {} of the {} this machine has available now \
                 ({NEURON_BYTES} bytes a neuron, {SYNAPSE_BYTES} a synapse; {fewer})",
                sysmem::format_bytes(budget),
                sysmem::format_bytes(available)
            )
        };
        let neurons_alone = peak_bytes(n, 0.0);
        if neurons_alone > budget {
            return Err(self
                .err(
                    "network.random.n",
                    n_span,
                    format!(
                        "the neurons alone need about {}",
                        sysmem::format_bytes(neurons_alone)
                    ),
                )
                .valid(valid("fewer neurons")));
        }
        Err(too_many_synapses(valid("fewer neurons or a smaller p")))
    }

    /// The excitatory and inhibitory weight ranges and how many neurons
    /// excite, scaled by `weight_ref_inputs` if given.
    fn random_weights(
        &self,
        r: &RandomSection,
        n: usize,
        p: f64,
    ) -> R<(Uniform, Uniform, Option<usize>)> {
        let weight = self.range("network.random.weight", &r.weight)?;
        let weight_inhibitory = self
            .optional_range("network.random.weight_inhibitory", &r.weight_inhibitory)?
            .unwrap_or(weight);
        let excitatory = match &r.excitatory {
            Some(k) => Some(self.count("network.random.excitatory", k, 0, n as i64)?),
            None if r.weight_inhibitory.is_some() => {
                return Err(PresetError::new(
                    self.origin,
                    "missing `excitatory`: `weight_inhibitory` needs it",
                )
                .key("network.random.excitatory")
                .valid("excitatory = K: neurons 0..K excite, the others inhibit"));
            }
            None => None,
        };
        let Some(k_ref) = &r.weight_ref_inputs else {
            return Ok((weight, weight_inhibitory, excitatory));
        };
        // Weights scale as sqrt(k_ref / K), K = p N expected inputs, so that
        // the input fluctuations keep their size as N grows.
        let k_ref = self.positive(
            "network.random.weight_ref_inputs",
            &Some(k_ref.clone()),
            1.0,
            "inputs",
        )?;
        let scale = (k_ref / (p * n as f64).max(f64::MIN_POSITIVE)).sqrt();
        let scaled = |u: Uniform| Uniform {
            low: u.low * scale,
            high: u.high * scale,
        };
        Ok((scaled(weight), scaled(weight_inhibitory), excitatory))
    }

    /// A uniform range, its error pointing at the whole `{ low, high }`
    /// (in either order) and saying which bound is wrong.
    fn range(&self, key: &str, r: &S<RangeSection>) -> R<Uniform> {
        let (low, high) = (*r.get_ref().low.get_ref(), *r.get_ref().high.get_ref());
        let problem = if !low.is_finite() || !high.is_finite() {
            "low and high must be finite numbers"
        } else if low > high {
            "low is above high"
        } else {
            return Ok(Uniform { low, high });
        };
        // The bounds as written, whether inline or under a [table] header
        // (whose span is the header's line).
        let written = |v: &S<f64>| self.src.get(v.span()).unwrap_or_default().trim();
        let (low_text, high_text) = (written(&r.get_ref().low), written(&r.get_ref().high));
        Err(PresetError::new(self.origin, problem)
            .key(key)
            .value(format!("{{ low = {low_text}, high = {high_text} }}"))
            .at(self.src, r.span())
            .valid("{ low = a, high = b } with finite a <= b"))
    }

    fn optional_range(&self, key: &str, r: &Option<S<RangeSection>>) -> R<Option<Uniform>> {
        r.as_ref().map(|r| self.range(key, r)).transpose()
    }

    pub(super) fn rate(&self, s: Option<&RateSection>) -> R<ModelSpec> {
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
        let activation =
            Activation::from_name(name, tau_m, tau_ref).expect("a name from Activation::NAMES");
        let tau = self.time("rate.tau", &s.tau, 0.01, false)?;
        let block = self.matrix_block("rate", s.matrix_block(), MAX_RATE_NEURONS)?;
        let n = block.names.len();
        let y_init = match &s.y_init {
            None => vec![0.0; n],
            Some(v) => self.vector("rate.y_init", v, n)?,
        };
        let dt_s = 1e-3f64.min(tau / 10.0);
        Ok(ModelSpec {
            model: AnyModel::Rate(RateNetwork::new(
                activation,
                tau,
                block.names,
                block.weights,
                block.bias,
                y_init,
                dt_s,
            )),
            default_dt_s: dt_s,
            max_dt_s: tau,
            dt_limit: format!("a step must not exceed tau = {}", format_time(tau)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::redraws_connections;

    /// The keys of a random recipe that draw other connections, and those
    /// that leave them (a sweep of those shares the running network's).
    #[test]
    fn only_the_keys_that_fix_the_draw_redraw() {
        for key in [
            "network.random.seed",
            "network.random.p",
            "network.random.n",
            "network.random.weight.high",
            "network.random.weight_ref_inputs",
            "network.random.excitatory",
            "network.random.weight_inhibitory.low",
        ] {
            assert!(redraws_connections(key), "{key}");
        }
        for key in [
            "network.random.bias.high",
            "network.random.v_init.low",
            "network.tau_m",
            "network.bias",
            "stimulus.amplitude",
        ] {
            assert!(!redraws_connections(key), "{key}");
        }
    }
}
