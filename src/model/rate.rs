//! Rate neurons: a small network whose nodes carry an activity y_i instead of
//! spikes (notes 1.2.3 and 1.3.4), stepped in time.
//!
//! ```text
//! tau dy/dt = σ(W y + b + x(t)) - y
//! ```
//!
//! With W = 0 each node relaxes to σ(b + x), the activation of its input; with
//! a feed-forward W the steady state is y = σ(W x' + b) layer by layer, as in
//! the notes. The step holds σ(·) over the step and relaxes y towards it
//! exactly (exponential Euler): y ← σ + (y - σ) e^(-dt/tau), stable at any dt.

use super::activation::Activation;
use crate::model::elementary::exp;

#[derive(Debug, Clone)]
pub struct RateNetwork {
    pub activation: Activation,
    /// Time constant tau (s).
    pub tau_s: f64,
    pub names: Vec<String>,
    /// N x N, row i = post.
    pub weights: Vec<Vec<f64>>,
    pub bias: Vec<f64>,
    /// Activities y_i.
    pub y: Vec<f64>,
    /// The input of the last step: z = W y + b + x.
    pub z: Vec<f64>,
    target: Vec<f64>,
    decay: f64,
}

/// A rate network's activities y and inputs z at one instant.
#[derive(Debug, Clone)]
pub struct RateState {
    y: Vec<f64>,
    z: Vec<f64>,
}

impl RateNetwork {
    pub fn new(
        activation: Activation,
        tau_s: f64,
        names: Vec<String>,
        weights: Vec<Vec<f64>>,
        bias: Vec<f64>,
        y_init: Vec<f64>,
        dt_s: f64,
    ) -> Self {
        let n = bias.len();
        let mut net = Self {
            activation,
            tau_s,
            names,
            weights,
            bias,
            y: y_init,
            z: vec![0.0; n],
            target: vec![0.0; n],
            decay: 0.0,
        };
        net.prepare(dt_s);
        net
    }

    /// Node i's name: the preset's, or, where it gives none, its bias now
    /// (`b=-2`, the number as `number` writes it). A rate network's nodes
    /// are told apart by their biases, and a name that holds one must be
    /// the bias the node has: the bundled presets named theirs `b=-2` and
    /// so on, which stayed on the screen after a key or `--set` moved the
    /// bias (`#0 b=-2: z -1.500  b -1.500`).
    pub fn name(&self, i: usize, number: impl Fn(f64) -> String) -> String {
        if self.names[i] == i.to_string() {
            format!("b={}", number(self.bias[i]))
        } else {
            self.names[i].clone()
        }
    }

    pub fn prepare(&mut self, dt_s: f64) {
        self.decay = exp(-dt_s / self.tau_s);
    }

    /// The activities and inputs now, without the weights.
    pub fn state(&self) -> RateState {
        RateState {
            y: self.y.clone(),
            z: self.z.clone(),
        }
    }

    /// Back to a state taken from this network.
    pub fn restore(&mut self, s: &RateState) {
        self.y.copy_from_slice(&s.y);
        self.z.copy_from_slice(&s.z);
    }

    pub fn len(&self) -> usize {
        self.bias.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bias.is_empty()
    }

    /// Sets the inputs z = W y + b + x from the activities now and the
    /// external input `x` (empty: none), as a step starts (notes 1.2.3).
    pub fn set_inputs(&mut self, x: &[f64]) {
        for (i, zi) in self.z.iter_mut().enumerate() {
            let wy: f64 = self.weights[i]
                .iter()
                .zip(&self.y)
                .map(|(w, y)| w * y)
                .sum();
            *zi = wy + self.bias[i] + x.get(i).copied().unwrap_or(0.0);
        }
    }

    /// One step with external input `x` (empty: none): y relaxes towards
    /// σ(z) with time constant tau over the step.
    pub fn step(&mut self, x: &[f64]) {
        self.set_inputs(x);
        self.activation.apply(&self.z, &mut self.target);
        for (yi, &ti) in self.y.iter_mut().zip(&self.target) {
            *yi = ti + (*yi - ti) * self.decay;
        }
    }
}

// The platform's elementary functions, an independent computation to check
// against.
#[cfg(test)]
#[allow(clippy::disallowed_methods)]
mod tests {
    use super::*;

    #[test]
    fn relaxes_to_the_activation_of_the_bias() {
        let mut net = RateNetwork::new(
            Activation::Logistic,
            0.01,
            vec!["a".into()],
            vec![vec![0.0]],
            vec![2.0],
            vec![0.0],
            0.001,
        );
        for _ in 0..2000 {
            net.step(&[]);
        }
        assert!((net.y[0] - 1.0 / (1.0 + (-2.0f64).exp())).abs() < 1e-12);
    }
}
