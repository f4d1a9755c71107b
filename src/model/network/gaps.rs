//! The geometric gaps between a random network's connections, worked out
//! ahead of the row that uses them.
//!
//! A row of N candidates with connection probability p is drawn as gaps of
//! floor(ln U / ln(1 - p)) non-connections, each connection followed by its
//! weight's draw: a row of k connections takes 2k + 1 numbers from the
//! generator, gap, weight, gap, ..., gap. A gap's logarithm, division and
//! floor are some 60 cycles of latency, and drawn one at a time the row's
//! next step waited on each (25 ns a synapse at N = 10,000, most of the
//! build). Here the gaps a row needs if it goes on (every other number
//! from where it is) are worked out `AHEAD` at a time, from numbers drawn
//! ahead from a copy of the generator: independent computations that the
//! CPU overlaps, their logarithms four at a time where it has AVX2
//! (`ln_each`). The same operations on the same numbers, so the same
//! network, and the generator is left where drawing one at a time leaves
//! it (`finish`).

use rand::RngCore;
use rand_pcg::Pcg64;

use crate::model::elementary::ln_each;

/// Gaps worked out at a time. A row that ends inside a batch leaves the
/// rest unused: about half a batch a row, against a row's N p + 1 gaps
/// (21 at N = 1,000 in the benchmark network, 201 at 10,000).
const AHEAD: usize = 8;

/// A generator's numbers for the rows of a random network, drawn ahead.
pub(super) struct GeometricGaps {
    /// A copy of the generator, ahead of the rows by `held`.
    ahead: Pcg64,
    /// The next numbers, `held` of them from the start.
    next: [u64; 2 * AHEAD],
    held: usize,
    /// How many numbers the rows have used.
    used: u128,
    /// ln(1 - p), p in (0, 1).
    ln_q: f64,
}

impl GeometricGaps {
    /// Rows drawn from `rng`'s next number on (`finish` moves it past
    /// them), with ln(1 - p) = `ln_q` < 0.
    pub(super) fn new(rng: &Pcg64, ln_q: f64) -> Self {
        Self {
            ahead: rng.clone(),
            next: [0; 2 * AHEAD],
            held: 0,
            used: 0,
            ln_q,
        }
    }

    /// One row of `n` candidates: `connect(target, u)` for each connection,
    /// in increasing order of target, with the number in [0, 1) its
    /// weight is drawn from.
    pub(super) fn row(&mut self, n: usize, mut connect: impl FnMut(u32, f64)) {
        let mut i: f64 = -1.0;
        loop {
            self.fill();
            let mut gaps: [f64; AHEAD] = std::array::from_fn(|m| 1.0 - unit(self.next[2 * m]));
            ln_each(&mut gaps);
            for gap in &mut gaps {
                *gap = (*gap / self.ln_q).floor();
            }
            for (m, gap) in gaps.iter().enumerate() {
                i += gap + 1.0;
                if i >= n as f64 {
                    self.take(2 * m + 1);
                    return;
                }
                connect(i as u32, unit(self.next[2 * m + 1]));
            }
            self.take(2 * AHEAD);
        }
    }

    /// Moves `rng` past the numbers the rows used.
    pub(super) fn finish(self, rng: &mut Pcg64) {
        rng.advance(self.used);
    }

    fn fill(&mut self) {
        // The generator's state in registers while it draws, not stored
        // back after each number.
        let mut ahead = self.ahead.clone();
        for x in &mut self.next[self.held..] {
            *x = ahead.next_u64();
        }
        self.ahead = ahead;
        self.held = self.next.len();
    }

    /// The first `k` numbers used.
    fn take(&mut self, k: usize) {
        self.next.copy_within(k.., 0);
        self.held -= k;
        self.used += k as u128;
    }
}

/// A generator's number as a value in [0, 1), as `rng.random::<f64>()`
/// makes it (rand's `StandardUniform`: the top 53 bits times 2^-53, both
/// exact, so the product is).
fn unit(x: u64) -> f64 {
    (x >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

#[cfg(test)]
mod tests {
    use super::unit;
    use rand::{Rng, RngCore, SeedableRng};
    use rand_pcg::Pcg64;

    /// `unit` is the generator's own `random::<f64>()`, bit for bit.
    #[test]
    fn a_unit_is_what_the_generator_draws() {
        let (mut a, mut b) = (Pcg64::seed_from_u64(9), Pcg64::seed_from_u64(9));
        for _ in 0..100_000 {
            assert_eq!(unit(a.next_u64()).to_bits(), b.random::<f64>().to_bits());
        }
        assert_eq!(unit(u64::MAX), 1.0 - f64::EPSILON / 2.0);
        assert_eq!(unit(0), 0.0);
    }
}
