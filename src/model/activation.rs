//! Activation functions (notes 1.2.3): single-neuron σ(z) and the
//! multi-neuron SoftMax and One-Hot, plus the LIF rate curve G as an
//! activation.

use super::lif::firing_rate;
use crate::model::elementary::{atan, exp, tanh};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Activation {
    /// 1 / (1 + e^-z)
    Logistic,
    /// arctan(z)
    Arctan,
    /// tanh(z)
    Tanh,
    /// 0 for z < 0, 1 for z >= 0
    Threshold,
    /// max(0, z)
    Relu,
    /// e^(z_i) / Σ_j e^(z_j)
    Softmax,
    /// 1 where z_i is the maximum, else 0 (notes 1.2.3: every element equal
    /// to max z is 1, so a tie gives several).
    OneHot,
    /// The LIF firing rate G(z) in Hz (notes 1.2.2).
    LifRate { tau_m_s: f64, tau_ref_s: f64 },
}

impl Activation {
    pub const NAMES: [&'static str; 8] = [
        "logistic",
        "arctan",
        "tanh",
        "threshold",
        "relu",
        "softmax",
        "onehot",
        "lif_rate",
    ];

    /// The function a preset names; `lif_rate` takes the LIF time constants.
    pub fn from_name(name: &str, tau_m_s: f64, tau_ref_s: f64) -> Option<Self> {
        Some(match name {
            "logistic" => Activation::Logistic,
            "arctan" => Activation::Arctan,
            "tanh" => Activation::Tanh,
            "threshold" => Activation::Threshold,
            "relu" => Activation::Relu,
            "softmax" => Activation::Softmax,
            "onehot" => Activation::OneHot,
            "lif_rate" => Activation::LifRate { tau_m_s, tau_ref_s },
            _ => return None,
        })
    }

    pub fn name(&self) -> &'static str {
        match self {
            Activation::Logistic => "logistic",
            Activation::Arctan => "arctan",
            Activation::Tanh => "tanh",
            Activation::Threshold => "threshold",
            Activation::Relu => "relu",
            Activation::Softmax => "softmax",
            Activation::OneHot => "onehot",
            Activation::LifRate { .. } => "lif_rate",
        }
    }

    /// σ of one input, for the single-neuron functions. SoftMax and One-Hot of
    /// a single element are 1.
    pub fn scalar(&self, z: f64) -> f64 {
        match *self {
            Activation::Logistic => logistic(z),
            Activation::Arctan => atan(z),
            Activation::Tanh => tanh(z),
            Activation::Threshold => {
                if z >= 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Activation::Relu => z.max(0.0),
            Activation::Softmax | Activation::OneHot => 1.0,
            Activation::LifRate { tau_m_s, tau_ref_s } => firing_rate(z, tau_m_s, tau_ref_s),
        }
    }

    /// y = σ(z) for a whole layer.
    pub fn apply(&self, z: &[f64], y: &mut [f64]) {
        match self {
            Activation::Softmax => softmax(z, y),
            Activation::OneHot => one_hot(z, y),
            _ => {
                for (yi, &zi) in y.iter_mut().zip(z) {
                    *yi = self.scalar(zi);
                }
            }
        }
    }
}

/// 1/(1 + e^-z), written to stay finite for large |z|.
pub fn logistic(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + exp(-z))
    } else {
        let e = exp(z);
        e / (1.0 + e)
    }
}

/// SoftMax, shifted by max(z) so that no exponential overflows.
pub fn softmax(z: &[f64], y: &mut [f64]) {
    let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut sum = 0.0;
    for (yi, &zi) in y.iter_mut().zip(z) {
        *yi = exp(zi - max);
        sum += *yi;
    }
    for yi in y.iter_mut() {
        *yi /= sum;
    }
}

/// One-Hot(z)_i = 1 where z_i = max z, else 0 (notes 1.2.3): every maximum
/// is 1, so [1, 2, 2, 0, -1] gives [0, 1, 1, 0, 0].
pub fn one_hot(z: &[f64], y: &mut [f64]) {
    let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    for (yi, &zi) in y.iter_mut().zip(z) {
        *yi = if zi == max { 1.0 } else { 0.0 };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_from_the_notes() {
        assert_eq!(Activation::Logistic.scalar(0.0), 0.5);
        assert_eq!(Activation::Threshold.scalar(0.0), 1.0);
        assert_eq!(Activation::Threshold.scalar(-1e-300), 0.0);
        assert_eq!(Activation::Relu.scalar(-2.0), 0.0);
        assert_eq!(Activation::Arctan.scalar(1.0), std::f64::consts::FRAC_PI_4);
        let mut y = [0.0; 5];
        one_hot(&[1.0, 2.0, 2.0, 0.0, -1.0], &mut y);
        assert_eq!(y, [0.0, 1.0, 1.0, 0.0, 0.0]);
        softmax(&[0.0, 0.0], &mut y[..2]);
        assert_eq!(&y[..2], &[0.5, 0.5]);
    }
}
