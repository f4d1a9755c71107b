//! What a model records, by name and type (NEST's recordables): a quantity
//! of the notes and, where a model has many, which neuron or filter. The
//! CSV's columns (SPEC section 3) are the recordables in order, and a pane
//! asks the probes for `I_Na` or `s` of neuron 7, never for a position.

use super::AnyModel;
use super::hh::Gate;

/// A quantity a model records. HH's come first, in the CSV's order, so
/// that their discriminants are their columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Quantity {
    /// The membrane potential: HH's V (mV), a LIF neuron's v (threshold 1).
    V,
    /// HH's gate variables m, h and n.
    M,
    H,
    N,
    /// HH's sodium, potassium and leak currents (µA/cm², outward positive).
    INa,
    IK,
    IL,
    /// The input: HH's J_in (µA/cm²; under a voltage clamp the clamp
    /// current that holds V), or a LIF neuron's v_in.
    Input,
    /// A network neuron's synaptic current s_i (1/s).
    S,
    /// A rate neuron's activity y_i and its input z_i = Σ_j w_ij y_j + b_i + x_i.
    Y,
    Z,
    /// The output s of the synapse model's filter k (1/s).
    Psc,
}

impl Quantity {
    /// The quantity of an HH gate.
    pub fn gate(g: Gate) -> Self {
        match g {
            Gate::M => Quantity::M,
            Gate::H => Quantity::H,
            Gate::N => Quantity::N,
        }
    }
}

/// A quantity of one neuron (or filter, for `Psc`); 0 in one-neuron models.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recordable {
    pub quantity: Quantity,
    pub index: usize,
}

impl Recordable {
    /// A quantity of a one-neuron model.
    pub const fn of(quantity: Quantity) -> Self {
        Self::at(quantity, 0)
    }

    /// A quantity of neuron (or filter) `index`.
    pub const fn at(quantity: Quantity, index: usize) -> Self {
        Self { quantity, index }
    }
}

/// HH's recordables, in the CSV's order, with their column names.
const HH: [(Quantity, &str); 8] = [
    (Quantity::V, "v_mV"),
    (Quantity::M, "m"),
    (Quantity::H, "h"),
    (Quantity::N, "n"),
    (Quantity::INa, "i_na"),
    (Quantity::IK, "i_k"),
    (Quantity::IL, "i_l"),
    (Quantity::Input, "j_in"),
];

impl AnyModel {
    /// Everything the model records, in the CSV's column order.
    pub fn recordables(&self) -> Vec<Recordable> {
        let per_neuron = |quantities: [Quantity; 2], n: usize| -> Vec<Recordable> {
            quantities
                .iter()
                .flat_map(|&q| (0..n).map(move |i| Recordable::at(q, i)))
                .collect()
        };
        match self {
            AnyModel::Hh(_) => HH.iter().map(|&(q, _)| Recordable::of(q)).collect(),
            AnyModel::Lif(_) => vec![Recordable::of(Quantity::V), Recordable::of(Quantity::Input)],
            AnyModel::Network(n) => per_neuron([Quantity::V, Quantity::S], n.len()),
            AnyModel::Rate(r) => per_neuron([Quantity::Y, Quantity::Z], r.len()),
            AnyModel::Synapse(b) => (0..b.filters.len())
                .map(|k| Recordable::at(Quantity::Psc, k))
                .collect(),
        }
    }

    /// The trace columns after `time_s` (SPEC section 3): the recordables'
    /// names.
    pub fn columns(&self) -> Vec<String> {
        match self {
            AnyModel::Synapse(b) => synapse_columns(&b.names),
            _ => self
                .recordables()
                .into_iter()
                .map(|r| self.column_name(r))
                .collect(),
        }
    }

    /// The CSV column of a recordable of this model.
    pub fn column_name(&self, r: Recordable) -> String {
        let i = r.index;
        match (self, r.quantity) {
            (AnyModel::Hh(_), q) => HH
                .iter()
                .find(|(hq, _)| *hq == q)
                .map_or_else(|| format!("{q:?}"), |(_, name)| name.to_string()),
            (AnyModel::Lif(_), Quantity::Input) => "v_in".into(),
            (AnyModel::Lif(_), _) => "v".into(),
            (AnyModel::Synapse(b), _) => synapse_columns(&b.names)
                .into_iter()
                .nth(i)
                .unwrap_or_else(|| format!("s_{i}")),
            (_, Quantity::S) => format!("s_{i}"),
            (_, Quantity::Y) => format!("y_{i}"),
            (_, Quantity::Z) => format!("z_{i}"),
            (_, _) => format!("v_{i}"),
        }
    }

    /// The value of a recordable now, given the input of the last step;
    /// NaN for one the model does not have.
    pub fn value(&self, r: Recordable, input: &[f64]) -> f64 {
        let mut out = [0.0];
        self.values(&[r], input, &mut out);
        out[0]
    }

    /// The values of `rs` now into `out` (as long as `rs`), given the input
    /// of the last step; NaN for one the model does not have. What several
    /// share (HH's currents) is computed once.
    pub fn values(&self, rs: &[Recordable], input: &[f64], out: &mut [f64]) {
        if let AnyModel::Hh(n) = self {
            let s = &n.state;
            let c = n.currents();
            // Under a voltage clamp the input is the clamp current, the
            // current that keeps V where it is held.
            let input = if n.clamp {
                c.i_na + c.i_k + c.i_l
            } else {
                super::first(input)
            };
            // In the order of `HH` (the quantities' discriminants); NaN
            // for what HH does not have.
            let row = [s.v_mv, s.m, s.h, s.n, c.i_na, c.i_k, c.i_l, input];
            for (x, r) in out.iter_mut().zip(rs) {
                *x = row.get(r.quantity as usize).copied().unwrap_or(f64::NAN);
            }
            return;
        }
        for (x, r) in out.iter_mut().zip(rs) {
            let i = r.index;
            *x = match (self, r.quantity) {
                (AnyModel::Lif(n), Quantity::V) => n.v,
                (AnyModel::Lif(_), Quantity::Input) => super::first(input),
                (AnyModel::Network(n), Quantity::V) if i < n.len() => n.v()[i],
                (AnyModel::Network(n), Quantity::S) if i < n.len() => n.synaptic_current(i),
                (AnyModel::Rate(r), Quantity::Y) => r.y.get(i).copied().unwrap_or(f64::NAN),
                (AnyModel::Rate(r), Quantity::Z) => r.z.get(i).copied().unwrap_or(f64::NAN),
                (AnyModel::Synapse(b), Quantity::Psc) => {
                    b.filters.get(i).map_or(f64::NAN, |f| f.output())
                }
                _ => f64::NAN,
            };
        }
    }

    /// The values of all recordables now (a CSV row), given the input of
    /// the last step: one pass, without a lookup per value.
    pub fn record(&self, input: &[f64], out: &mut Vec<f64>) {
        out.clear();
        match self {
            AnyModel::Hh(_) | AnyModel::Lif(_) => {
                let rs = self.recordables();
                out.resize(rs.len(), 0.0);
                self.values(&rs, input, out);
            }
            AnyModel::Network(n) => {
                out.extend_from_slice(n.v());
                out.extend((0..n.len()).map(|i| n.synaptic_current(i)));
            }
            AnyModel::Rate(r) => {
                out.extend_from_slice(&r.y);
                out.extend_from_slice(&r.z);
            }
            AnyModel::Synapse(b) => out.extend(b.filters.iter().map(|f| f.output())),
        }
    }
}

/// The synapse model's trace columns: `s_` and each filter's name, its runs
/// of other characters than letters and digits written `_` (`AMPA 10 ms` ->
/// `s_AMPA_10_ms`), `s_k` for a filter whose name gives nothing or repeats
/// an earlier column.
fn synapse_columns(names: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(names.len());
    for (k, name) in names.iter().enumerate() {
        let words: Vec<&str> = name
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let column = format!("s_{}", words.join("_"));
        if words.is_empty() || out.contains(&column) {
            out.push(format!("s_{k}"));
        } else {
            out.push(column);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::synapse_columns;

    #[test]
    fn synapse_columns_carry_the_filter_names() {
        let names = [
            "AMPA 10 ms",
            "NMDA 300 ms",
            "n = 0",
            "s = a * h",
            "???",
            "n = 0",
        ];
        let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        assert_eq!(
            synapse_columns(&names),
            [
                "s_AMPA_10_ms",
                "s_NMDA_300_ms",
                "s_n_0",
                "s_s_a_h",
                "s_4",
                "s_5"
            ]
        );
    }
}
