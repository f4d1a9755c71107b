//! What the vectorized passes share: the choice, when the program runs, of
//! the instructions they run on (`Isa`, `VectorPass`, `run_pass`), their
//! blocks of 8 and the indices of a block's marks, the portable scan for
//! marked neurons, and a prefetch of connection lists.

/// The instructions a vectorized pass runs on: the widest the CPU has,
/// found when the program runs, so that a build for any x86-64 (SSE2 only)
/// still uses 256- or 512-bit vectors where they are.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Isa {
    Portable,
    /// Code written for AVX2.
    Avx2,
    /// Code written for AVX-512F.
    Avx512,
}

impl Isa {
    /// The widest this CPU has (a cached test after the first).
    #[inline]
    pub(super) fn detected() -> Self {
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx512f") {
                return Isa::Avx512;
            }
            if std::arch::is_x86_feature_detected!("avx2") {
                return Isa::Avx2;
            }
        }
        Isa::Portable
    }

    /// Every one this CPU can run, for tests that compare them.
    #[cfg(test)]
    pub(super) fn available() -> Vec<Self> {
        let widest = Self::detected();
        [Isa::Portable, Isa::Avx2, Isa::Avx512]
            .into_iter()
            .filter(|&isa| match isa {
                Isa::Portable => true,
                Isa::Avx2 => widest != Isa::Portable,
                Isa::Avx512 => widest == Isa::Avx512,
            })
            .collect()
    }
}

/// A vectorized pass over a part's neurons, written once portably (for the
/// compiler to vectorize), once with AVX2 intrinsics and once with AVX-512
/// ones: `run_pass` runs it on the widest instructions the CPU has. Every
/// body returns how many neurons it marked (their indices first in the
/// part's index list) and whether every state it made is finite.
pub(super) trait VectorPass {
    /// The pass's constants over the step.
    type Step: Copy;
    /// The portable body.
    fn portable(&mut self, c: Self::Step) -> (usize, bool);
    /// The AVX-512 body.
    ///
    /// # Safety
    /// The CPU must have AVX-512F.
    #[cfg(target_arch = "x86_64")]
    unsafe fn avx512(&mut self, c: Self::Step) -> (usize, bool);
    /// The AVX2 body.
    ///
    /// # Safety
    /// The CPU must have AVX2.
    #[cfg(target_arch = "x86_64")]
    unsafe fn avx2(&mut self, c: Self::Step) -> (usize, bool);
}

/// `pass` on the instructions given, which the CPU must have
/// (`Isa::detected`, `Isa::available`).
pub(super) fn run_pass<P: VectorPass>(pass: &mut P, isa: Isa, c: P::Step) -> (usize, bool) {
    match isa {
        Isa::Portable => pass.portable(c),
        // SAFETY: `isa` is one the CPU has.
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => unsafe { pass.avx2(c) },
        // SAFETY: as above.
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => unsafe { pass.avx512(c) },
        #[cfg(not(target_arch = "x86_64"))]
        _ => pass.portable(c),
    }
}

/// Calls `block(first, lanes)` for each block of 8 of `n` neurons, the
/// AVX-512 passes' unit: whole blocks under a full mask, then the rest
/// under a mask of its lanes.
#[inline(always)]
pub(super) fn for_blocks_of_8(n: usize, mut block: impl FnMut(usize, u8)) {
    let whole = n - n % 8;
    for first in (0..whole).step_by(8) {
        block(first, 0xff);
    }
    if whole < n {
        block(whole, (1 << (n - whole)) - 1);
    }
}

/// Writes the indices of the neurons a block's mask marks (bit k: neuron
/// `first + k`), in order, to `index` from `count` on, and counts them: the
/// set bits one by one, no branch per neuron to mispredict.
#[inline(always)]
pub(super) fn push_marked(mut marks: u64, first: usize, index: &mut [u32], count: &mut usize) {
    while marks != 0 {
        index[*count] = (first + marks.trailing_zeros() as usize) as u32;
        *count += 1;
        marks &= marks - 1;
    }
}

/// The last `x.len() % 4` values of `x` in a block of 4, the rest `fill`:
/// the AVX2 bodies run their last, partial block as a whole one from such
/// copies (AVX2's masked stores are many micro-operations on AMD's cores,
/// by Agner Fog's instruction tables).
#[inline(always)]
pub(super) fn last_block_of_4<T: Copy>(x: &[T], fill: T) -> [T; 4] {
    let rest = &x[x.len() - x.len() % 4..];
    let mut block = [fill; 4];
    block[..rest.len()].copy_from_slice(rest);
    block
}

/// The OR of the four 64-bit lanes of `x`.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
pub(super) fn or_lanes(x: std::arch::x86_64::__m256i) -> u64 {
    use std::arch::x86_64::*;
    let half = _mm_or_si128(_mm256_castsi256_si128(x), _mm256_extracti128_si256::<1>(x));
    (_mm_cvtsi128_si64(half) | _mm_extract_epi64::<1>(half)) as u64
}

/// The sign bit of an f64.
pub(super) const SIGN_BIT: u64 = 1 << 63;

/// How many event flags the scan after the first pass tests at once.
const EVENT_BLOCK: usize = 16;

/// Writes the indices of the neurons marked in `event` (all ones, or zero)
/// to `index` in order, and returns how many there are. The marked
/// neurons are few, so a block of flags is tested at once and only a block
/// with a mark is looked into. Whole blocks (a short last chunk compiles to
/// masked loads in every chunk), then the rest.
#[inline]
pub(super) fn gather_marked(event: &[u64], index: &mut [u32]) -> usize {
    let mut count = 0;
    let mut gather = |first: usize, flags: &[u64]| {
        let marks = flags
            .iter()
            .enumerate()
            .fold(0u64, |m, (k, &e)| m | ((e & 1) << k));
        push_marked(marks, first, index, &mut count);
    };
    let blocks = event.chunks_exact(EVENT_BLOCK);
    let rest = blocks.remainder();
    for (b, block) in blocks.enumerate() {
        if block.iter().fold(0, |acc, &e| acc | e) != 0 {
            gather(b * EVENT_BLOCK, block);
        }
    }
    gather(event.len() - rest.len(), rest);
    count
}

/// Asks the CPU to bring `data` into its caches ahead of use.
#[inline]
pub(super) fn prefetch<T>(data: &[T]) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        let bytes = std::mem::size_of_val(data);
        let base = data.as_ptr().cast::<i8>();
        for line in (0..bytes).step_by(64) {
            // SAFETY: a prefetch never faults and has no effect on memory;
            // the address lies inside `data`.
            unsafe { _mm_prefetch::<_MM_HINT_T0>(base.add(line)) };
        }
    }
}

/// What the passes' tests share: the values a pass meets, and a state's
/// bits as they compare.
#[cfg(test)]
pub(super) mod pass_tests {
    use proptest::prelude::*;

    /// v, s and drive of every kind a pass meets: ordinary, at and around
    /// the threshold, signed zeros, infinities and NaN.
    pub(in super::super) fn value() -> impl Strategy<Value = f64> {
        prop_oneof![
            8 => -2.0..3.0f64,
            1 => prop::sample::select(vec![
                1.0,
                1.0 + f64::EPSILON,
                1.0 - f64::EPSILON / 2.0,
                0.0,
                -0.0,
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::NAN,
                -f64::NAN,
                f64::MAX,
            ]),
        ]
    }

    /// Every bit, but a NaN's sign and payload: the compiler may swap the
    /// operands of an addition, and x86 keeps the first one's NaN.
    pub(in super::super) fn bits(x: Vec<f64>) -> Vec<u64> {
        x.into_iter()
            .map(|x| if x.is_nan() { u64::MAX } else { x.to_bits() })
            .collect()
    }
}
