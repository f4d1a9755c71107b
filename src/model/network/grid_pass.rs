//! The grid step's first-order pass (grid.rs), the loop a grid-timing run
//! spends most of its time in: written once for the compiler to vectorize
//! (for the build's target), once with AVX2 intrinsics and once with
//! AVX-512 ones; the widest the CPU has is chosen when the program runs
//! (`kernel::Isa`). A build for a generic x86-64 (`cargo run --release`)
//! would otherwise use 128-bit vectors, and a build for the local CPU 256-bit
//! ones (LLVM's tuning for Intel's server cores). All do the same IEEE
//! operations in the same order, so the results are the same to the last
//! bit, a NaN's sign and payload aside (Rust leaves them open; a test
//! compares the rest).

use super::kernel::{
    Isa, SIGN_BIT, VectorPass, for_blocks_of_8, gather_marked, push_marked, run_pass,
};
#[cfg(target_arch = "x86_64")]
use super::kernel::{last_block_of_4, or_lanes};

/// The grid step's propagator over dt for the first-order filter, and the
/// step's index.
#[derive(Debug, Clone, Copy)]
pub(super) struct GridStep {
    pub(super) e_m: f64,
    pub(super) e_s: f64,
    pub(super) g: f64,
    pub(super) step: u64,
}

/// One part of the neurons in a first-order grid step: their v, s and
/// drive term (1 - e^(-dt/tau_m)) I, the step each wakes in, and scratch
/// for the marks.
pub(super) struct GridPart<'a> {
    pub(super) v: &'a mut [f64],
    pub(super) s: &'a mut [f64],
    pub(super) drive_term: &'a [f64],
    pub(super) wake_step: &'a [u64],
    pub(super) event: &'a mut [u64],
    pub(super) event_index: &'a mut [u32],
}

impl GridPart<'_> {
    /// The first-order step (n = 0) of the part's neurons in place: where
    /// integrating, v' = e^(-dt/tau_m) v + (1 - e^(-dt/tau_m)) I + g_0(dt) s
    /// (v kept where resting); s' = e^(-dt/tau_s) s; a spike where v' > 1,
    /// and v' set to 0. Returns how many spiked (their part indices, in
    /// order, at the start of `event_index`) and whether every v and s is
    /// finite.
    pub(super) fn pass(&mut self, c: GridStep) -> (usize, bool) {
        run_pass(self, Isa::detected(), c)
    }
}

impl GridPart<'_> {
    /// How many neurons, every array checked to hold them (the intrinsic
    /// bodies read and write by pointer).
    #[cfg(target_arch = "x86_64")]
    fn checked_len(&self) -> usize {
        let n = self.v.len();
        assert!(
            self.s.len() == n
                && self.drive_term.len() == n
                && self.wake_step.len() == n
                && self.event_index.len() >= n
        );
        n
    }
}

impl VectorPass for GridPart<'_> {
    type Step = GridStep;

    /// The pass, branch-free so that it vectorizes; the spikes are marked,
    /// then gathered.
    #[inline(always)]
    fn portable(&mut self, c: GridStep) -> (usize, bool) {
        let n = self.v.len();
        let (e_m, g, e_s) = (c.e_m, c.g, c.e_s);
        let mut not_finite = 0u64;
        let (v, s) = (&mut self.v[..n], &mut self.s[..n]);
        let (drive_term, wake_step) = (&self.drive_term[..n], &self.wake_step[..n]);
        let event = &mut self.event[..n];
        for i in 0..n {
            let (v0, s0) = (v[i], s[i]);
            let integrated = e_m * v0 + drive_term[i] + g * s0;
            let vn = if wake_step[i] <= c.step {
                integrated
            } else {
                v0
            };
            let sn = e_s * s0;
            let spike = vn > 1.0;
            v[i] = if spike { 0.0 } else { vn };
            s[i] = sn;
            event[i] = if spike { u64::MAX } else { 0 };
            // As in `Part::integrate`: the bits of x * 0 are at most the
            // sign bit exactly when x is finite, and vn + sn is finite
            // exactly when both are.
            not_finite |= ((vn + sn) * 0.0).to_bits();
        }
        let count = gather_marked(event, self.event_index);
        (count, not_finite & !SIGN_BIT == 0)
    }

    /// The pass on 8 neurons at a time in 512-bit registers (the last few
    /// under a mask), the same operations as `portable`; a block's
    /// spikes come out of the comparison as a bit mask, so there are no
    /// marks to write and scan.
    ///
    /// # Safety
    /// The CPU must have AVX-512F.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f")]
    unsafe fn avx512(&mut self, c: GridStep) -> (usize, bool) {
        use std::arch::x86_64::*;
        let n = self.checked_len();
        let e_m = _mm512_set1_pd(c.e_m);
        let (g, e_s) = (_mm512_set1_pd(c.g), _mm512_set1_pd(c.e_s));
        let (one, zero) = (_mm512_set1_pd(1.0), _mm512_setzero_pd());
        let step = _mm512_set1_epi64(c.step as i64);
        let mut not_finite = _mm512_setzero_si512();
        let mut count = 0;
        // Whole blocks of 8 under a full mask, then the rest under a mask of
        // its lanes: the same loop body either way.
        let block = |first: usize, lanes: __mmask8| {
            // SAFETY: lanes past `n` are masked out, and a masked-out lane
            // is neither read nor written (nor can it fault).
            let (v0, s0, term, wake) = unsafe {
                (
                    _mm512_maskz_loadu_pd(lanes, self.v.as_ptr().add(first)),
                    _mm512_maskz_loadu_pd(lanes, self.s.as_ptr().add(first)),
                    _mm512_maskz_loadu_pd(lanes, self.drive_term.as_ptr().add(first)),
                    _mm512_maskz_loadu_epi64(lanes, self.wake_step.as_ptr().add(first).cast()),
                )
            };
            let integrated = _mm512_add_pd(
                _mm512_add_pd(_mm512_mul_pd(e_m, v0), term),
                _mm512_mul_pd(g, s0),
            );
            let awake = _mm512_cmple_epu64_mask(wake, step);
            let vn = _mm512_mask_blend_pd(awake, v0, integrated);
            let sn = _mm512_mul_pd(e_s, s0);
            let spike = _mm512_mask_cmp_pd_mask::<_CMP_GT_OQ>(lanes, vn, one);
            // SAFETY: as for the loads.
            unsafe {
                let v_out = _mm512_mask_blend_pd(spike, vn, zero);
                _mm512_mask_storeu_pd(self.v.as_mut_ptr().add(first), lanes, v_out);
                _mm512_mask_storeu_pd(self.s.as_mut_ptr().add(first), lanes, sn);
            }
            let bits = _mm512_castpd_si512(_mm512_mul_pd(_mm512_add_pd(vn, sn), zero));
            not_finite = _mm512_or_si512(not_finite, bits);
            push_marked(u64::from(spike), first, self.event_index, &mut count);
        };
        for_blocks_of_8(n, block);
        let not_finite = _mm512_reduce_or_epi64(not_finite) as u64;
        (count, not_finite & !SIGN_BIT == 0)
    }

    /// The pass on 4 neurons at a time in 256-bit registers, the same
    /// operations as `portable`; a block's spikes come out of the comparison
    /// as a bit mask (`movemask`), so there are no marks to write and scan
    /// (as in the exact pass's AVX2 body, first_order_pass.rs, whose padded
    /// last block this one shares the reason for).
    ///
    /// # Safety
    /// The CPU must have AVX2.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn avx2(&mut self, c: GridStep) -> (usize, bool) {
        use std::arch::x86_64::*;
        let n = self.checked_len();
        let e_m = _mm256_set1_pd(c.e_m);
        let (g, e_s) = (_mm256_set1_pd(c.g), _mm256_set1_pd(c.e_s));
        let (one, zero) = (_mm256_set1_pd(1.0), _mm256_setzero_pd());
        // Unsigned order as signed, both sides' sign bits flipped (AVX2
        // compares 64-bit integers only as signed).
        let flip = _mm256_set1_epi64x(SIGN_BIT as i64);
        let step_flipped = _mm256_set1_epi64x((c.step ^ SIGN_BIT) as i64);
        let mut not_finite = _mm256_setzero_si256();
        // Four neurons from `first` of the arrays given, v and s in place:
        // their spikes returned as bits.
        let mut block = |first: usize, vs: [*mut f64; 2], term: *const f64, wake: *const u64| {
            // SAFETY: each array holds 4 values from `first` (the caller's
            // promise below).
            let (v0, s0, term, wake) = unsafe {
                (
                    _mm256_loadu_pd(vs[0].add(first)),
                    _mm256_loadu_pd(vs[1].add(first)),
                    _mm256_loadu_pd(term.add(first)),
                    _mm256_loadu_si256(wake.add(first).cast()),
                )
            };
            let integrated = _mm256_add_pd(
                _mm256_add_pd(_mm256_mul_pd(e_m, v0), term),
                _mm256_mul_pd(g, s0),
            );
            let wake_flipped = _mm256_xor_si256(wake, flip);
            let resting = _mm256_castsi256_pd(_mm256_cmpgt_epi64(wake_flipped, step_flipped));
            let vn = _mm256_blendv_pd(integrated, v0, resting);
            let sn = _mm256_mul_pd(e_s, s0);
            let spike = _mm256_cmp_pd::<_CMP_GT_OQ>(vn, one);
            // SAFETY: as for the loads.
            unsafe {
                _mm256_storeu_pd(vs[0].add(first), _mm256_blendv_pd(vn, zero, spike));
                _mm256_storeu_pd(vs[1].add(first), sn);
            }
            let bits = _mm256_castpd_si256(_mm256_mul_pd(_mm256_add_pd(vn, sn), zero));
            not_finite = _mm256_or_si256(not_finite, bits);
            _mm256_movemask_pd(spike) as u64
        };
        let mut count = 0;
        let whole = n - n % 4;
        let vs = [self.v.as_mut_ptr(), self.s.as_mut_ptr()];
        let (term, wake) = (self.drive_term.as_ptr(), self.wake_step.as_ptr());
        for first in (0..whole).step_by(4) {
            // Every array holds n values (the assertion above).
            let spikes = block(first, vs, term, wake);
            push_marked(spikes, first, self.event_index, &mut count);
        }
        if whole < n {
            // Padded with neurons resting through the step at 0: no spike,
            // finite.
            let rest = n - whole;
            let (mut v, mut s) = (last_block_of_4(self.v, 0.0), last_block_of_4(self.s, 0.0));
            let term = last_block_of_4(self.drive_term, 0.0);
            let wake = last_block_of_4(self.wake_step, u64::MAX);
            // Arrays of 4: the promise holds.
            let spikes = block(
                0,
                [v.as_mut_ptr(), s.as_mut_ptr()],
                term.as_ptr(),
                wake.as_ptr(),
            );
            self.v[whole..].copy_from_slice(&v[..rest]);
            self.s[whole..].copy_from_slice(&s[..rest]);
            push_marked(spikes, whole, self.event_index, &mut count);
        }
        (count, or_lanes(not_finite) & !SIGN_BIT == 0)
    }
}

#[cfg(test)]
mod tests {
    use super::super::kernel::pass_tests::{bits, value};
    use super::{GridPart, GridStep, Isa, run_pass};
    use proptest::prelude::*;

    /// Runs one pass on copies of the state, on the instructions given.
    fn run(
        state: &(Vec<f64>, Vec<f64>, Vec<f64>, Vec<u64>),
        c: GridStep,
        isa: Isa,
    ) -> (Vec<u64>, Vec<u64>, Vec<u32>, bool) {
        let (mut v, mut s) = (state.0.clone(), state.1.clone());
        let n = v.len();
        let (mut event, mut event_index) = (vec![0; n], vec![0; n]);
        let mut part = GridPart {
            v: &mut v,
            s: &mut s,
            drive_term: &state.2,
            wake_step: &state.3,
            event: &mut event,
            event_index: &mut event_index,
        };
        let (count, finite) = run_pass(&mut part, isa, c);
        (bits(v), bits(s), event_index[..count].to_vec(), finite)
    }

    proptest! {
        /// Every pass this CPU can run (AVX2, AVX-512) leaves the same bits
        /// (a NaN as a NaN), the same spikes and the same finiteness as the
        /// portable one, for any length (whole blocks of 4 or 8 and a
        /// rest). On a CPU with neither there is nothing to compare.
        #[test]
        fn every_path_gives_the_same_bits(
            state in (0usize..40).prop_flat_map(|n| (
                prop::collection::vec(value(), n),
                prop::collection::vec(value(), n),
                prop::collection::vec(value(), n),
                // Wake steps around the step's, and past 2^63, where a
                // signed comparison would read one as long past.
                prop::collection::vec(
                    prop_oneof![0u64..6, Just(1 << 63), Just(u64::MAX)],
                    n,
                ),
            )),
            e_m in 0.5..1.0f64,
            g in 0.0..0.01f64,
            step in 0u64..6,
        ) {
            let c = GridStep { e_m, e_s: 0.99, g, step };
            let portable = run(&state, c, Isa::Portable);
            for isa in Isa::available() {
                prop_assert_eq!(&run(&state, c, isa), &portable, "{:?}", isa);
            }
        }
    }

    /// The lanes past the part's end are left alone, and a spike in the
    /// last, partial block is found.
    #[test]
    fn a_partial_block_is_masked() {
        let c = GridStep {
            e_m: 0.9,
            e_s: 0.5,
            g: 0.0,
            step: 0,
        };
        let mut v = [0.0; 12];
        (v[10], v[11]) = (2.0, 5.0);
        let mut s = [1.0; 12];
        let (drive_term, wake_step) = (vec![0.1; 11], vec![0; 11]);
        let (mut event, mut event_index) = (vec![0; 11], vec![0; 11]);
        let mut part = GridPart {
            v: &mut v[..11],
            s: &mut s[..11],
            drive_term: &drive_term,
            wake_step: &wake_step,
            event: &mut event,
            event_index: &mut event_index,
        };
        assert_eq!(part.pass(c), (1, true));
        assert_eq!(event_index[0], 10);
        assert_eq!((v[10], v[11], s[10], s[11]), (0.0, 5.0, 0.5, 1.0));
    }
}
