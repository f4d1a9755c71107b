//! The single-neuron models' sections and the synapse model's: each builds
//! its model and says which dt it takes by default, how large a dt it
//! allows, and why.

use super::schema::{HhSection, LifSection, SynapseSection};
use super::time::format_time;
use super::validate::{R, Validator};
use super::{ModelSpec, PresetError};
use crate::model::AnyModel;
use crate::model::hh::{HhMethod, HhNeuron, HhParams, TEMPERATURE_RANGE_C};
use crate::model::lif::{LifNeuron, LifParams};
use crate::model::synapse::{FilterBank, MAX_PSC_ORDER, PscFilter};
use crate::named::Named;
use crate::text::{exact_number, printable};

impl Validator<'_> {
    pub(super) fn hh(&self, s: Option<&HhSection>) -> R<ModelSpec> {
        let d = HhParams::default();
        let (params, v_init, method) = match s {
            None => (d, None, HhMethod::default()),
            Some(s) => self.hh_section(s, &d)?,
        };
        let max_dt_s = method.max_dt_ms(&params) * 1e-3;
        Ok(ModelSpec {
            default_dt_s: method.default_dt_ms(&params) * 1e-3,
            max_dt_s,
            dt_limit: format!(
                "the {} integrator is stable up to {} with these conductances, C and temperature",
                method.name(),
                format_time(max_dt_s)
            ),
            model: AnyModel::Hh(HhNeuron::new(params, v_init, method)),
        })
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
        let method = self.named("hh.method", &s.method, HhMethod::default())?;
        Ok((params, v_init, method))
    }

    pub(super) fn lif(&self, s: Option<&LifSection>) -> R<ModelSpec> {
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
                            format!(
                                "v_reset {} is not below v_threshold {}",
                                exact_number(v_reset),
                                exact_number(v_threshold)
                            ),
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
                        .valid(format!(
                            "a potential below the threshold {}",
                            exact_number(v_threshold)
                        )));
                }
                (params, v)
            }
        };
        Ok(ModelSpec {
            model: AnyModel::Lif(LifNeuron::new(params, v_init, 1e-4)),
            default_dt_s: 1e-4,
            max_dt_s: params.tau_m_s,
            dt_limit: format!(
                "the input is held over a step, which must not exceed tau_m = {}",
                format_time(params.tau_m_s)
            ),
        })
    }

    pub(super) fn synapse(&self, s: Option<&SynapseSection>) -> R<ModelSpec> {
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
            names.push(match &f.name {
                Some(name) => printable(name, false).into_owned(),
                None => format!("n={order} {}", format_time(tau)),
            });
        }
        let max_dt_s = filters
            .iter()
            .map(|f| f.tau_s_s)
            .fold(f64::INFINITY, f64::min);
        let dt_s = 1e-4f64.min(max_dt_s);
        Ok(ModelSpec {
            model: AnyModel::Synapse(FilterBank::new(names, &filters, dt_s)),
            default_dt_s: dt_s,
            max_dt_s,
            dt_limit: format!(
                "a step must not exceed the shortest tau_s ({})",
                format_time(max_dt_s)
            ),
        })
    }
}
