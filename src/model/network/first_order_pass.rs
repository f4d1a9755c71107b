//! The exact step's first pass for the first-order filter (first_order.rs):
//! every neuron propagated over the whole step and kept, unless something
//! happens inside the step, when it is marked for the event path. The loop
//! an exact-timing run spends most of its time in: written once for the
//! compiler to vectorize (for the build's target), once with AVX2
//! intrinsics and once with AVX-512 ones; the widest the CPU has is chosen
//! when the program runs (`kernel::Isa`, as for the grid pass, grid_pass.rs). The
//! same IEEE operations in the same order, so the same results to the last
//! bit, a NaN's sign and payload aside (a test compares the rest).

use super::kernel::{
    Isa, SIGN_BIT, VectorPass, for_blocks_of_8, gather_marked, push_marked, run_pass,
};
#[cfg(target_arch = "x86_64")]
use super::kernel::{last_block_of_4, or_lanes};

/// A neuron whose v may reach this inside the step is marked for the event
/// path. What v can reach: with s > 0, v'' = (-s/tau_s - v')/tau_m < 0
/// wherever v' >= 0, so v is concave while it rises and never rises again
/// once it falls: below v0 + v'(0) dt, v'(0) dt = (s0 + I - v0) dt/tau_m,
/// when rising at the start, else below v0. With s <= 0, v'' >= 0 wherever
/// v' = 0: v never turns from rising to falling, its highest is at an end.
/// So every v in the step is at most max(v0 + max(v'(0), 0) dt, vn). The
/// event path decides what happens on its own closed forms; it only has to
/// see every neuron that may reach the threshold, and a neuron marked
/// needlessly leaves it exactly as the pass would have (the same
/// operations). The margin below 1 keeps rounding of either path's
/// arithmetic (1e-16 of the values) from hiding a peak that ends a hair
/// above the threshold; the neurons marked for nothing lie within about
/// v'' dt²/2 (1e-5 in the benchmark network) of it.
pub(super) const MARK_FROM: f64 = 1.0 - 1e-9;

/// The pass's constants over dt: e^(-dt/tau_m), e^(-dt/tau_s), g_0(dt),
/// dt/tau_m (how far the slope at the start reaches), and the step's index.
#[derive(Debug, Clone, Copy)]
pub(super) struct MarkStep {
    pub(super) e_m: f64,
    pub(super) e_s: f64,
    pub(super) g: f64,
    pub(super) k_peak: f64,
    pub(super) step: u64,
}

/// One part's neurons for the pass: their state at the step's start, the
/// drive, the step each wakes in; where the state at the step's end goes
/// (for a marked neuron: s decayed, its end whatever v does, and v
/// propagated or kept, which the event path overwrites), and scratch for
/// the marks.
pub(super) struct MarkPass<'a> {
    pub(super) v: &'a [f64],
    pub(super) s: &'a [f64],
    pub(super) drive: &'a [f64],
    pub(super) wake_step: &'a [u64],
    pub(super) next_v: &'a mut [f64],
    pub(super) next_s: &'a mut [f64],
    pub(super) event: &'a mut [u64],
    pub(super) event_index: &'a mut [u32],
}

impl MarkPass<'_> {
    /// The pass. A neuron whose refractory period ends in the step, or
    /// that may reach the threshold in it (`MARK_FROM`: it starts above
    /// it, crosses, or may cross and return), is marked; a resting one
    /// keeps v and its s decays; any other is propagated. Every s decays
    /// (s has no threshold: the event path's s at the step's end is the
    /// same product), and v is propagated where the neuron is awake through
    /// the whole step (the event path overwrites a marked one's). No select
    /// on the marks for the outputs: one blend fewer a block, and a marked
    /// neuron's start state is where the pass read it. Returns how many are
    /// marked (their part indices, in order, at the start of
    /// `event_index`) and whether every propagated v and s is finite.
    pub(super) fn run(&mut self, c: MarkStep) -> (usize, bool) {
        run_pass(self, Isa::detected(), c)
    }
}

impl MarkPass<'_> {
    /// How many neurons, every array checked to hold them (the intrinsic
    /// bodies read and write by pointer).
    #[cfg(target_arch = "x86_64")]
    fn checked_len(&self) -> usize {
        let n = self.v.len();
        assert!(
            self.s.len() == n
                && self.drive.len() == n
                && self.wake_step.len() == n
                && self.next_v.len() == n
                && self.next_s.len() == n
                && self.event_index.len() >= n
        );
        n
    }
}

impl VectorPass for MarkPass<'_> {
    type Step = MarkStep;

    /// The pass, branch-free so that it vectorizes; the neurons are marked,
    /// then gathered.
    #[inline(always)]
    fn portable(&mut self, c: MarkStep) -> (usize, bool) {
        let n = self.v.len();
        let (e_m, a, g, e_s, k_peak, step) = (c.e_m, 1.0 - c.e_m, c.g, c.e_s, c.k_peak, c.step);
        let mut not_finite = 0u64;
        let (v, s, drive) = (&self.v[..n], &self.s[..n], &self.drive[..n]);
        let (next_v, next_s) = (&mut self.next_v[..n], &mut self.next_s[..n]);
        let (wake_step, event) = (&self.wake_step[..n], &mut self.event[..n]);
        for i in 0..n {
            let (v0, s0, x, wake) = (v[i], s[i], drive[i], wake_step[i]);
            let vn = e_m * v0 + a * x + g * s0;
            let sn = e_s * s0;
            // The highest v can reach inside the step (`reach`, see
            // `MARK_FROM`): v0 + v'(0) dt with v'(0) tau_m = s0 + I - v0
            // when rising, and vn. Plain selects rather than f64::max
            // (which orders NaN): one instruction each in the vector loop;
            // a NaN is caught below.
            let d0 = s0 + x - v0;
            let rise = if d0 > 0.0 { d0 } else { 0.0 };
            let reach = v0 + rise * k_peak;
            let v_hi = if reach > vn { reach } else { vn };
            // Refractory through the whole step: v stays 0, s decays.
            let resting = wake > step;
            let waking = wake == step;
            let e = waking | (!resting & (v_hi >= MARK_FROM));
            next_v[i] = if resting | waking { v0 } else { vn };
            next_s[i] = sn;
            event[i] = if e { u64::MAX } else { 0 };
            // vn * 0 is +-0 when vn is finite, NaN otherwise: the bits of
            // it, ORed over the neurons, are at most the sign bit exactly
            // when every vn is finite (an integer OR vectorizes, a float sum
            // would not). That covers sn: it is finite exactly when s0 is
            // (0 <= e_s <= 1), and a non-finite s0 makes g s0, and so vn,
            // non-finite (g > 0, or 0 times it, NaN).
            not_finite |= (vn * 0.0).to_bits();
        }
        let count = gather_marked(event, self.event_index);
        (count, not_finite & !SIGN_BIT == 0)
    }

    /// The pass on 8 neurons at a time in 512-bit registers (the last few
    /// under a mask), the operations of `portable` one for one; a
    /// block's marks come out of the comparisons as a bit mask, so there
    /// are no flags to write and scan.
    ///
    /// # Safety
    /// The CPU must have AVX-512F.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f")]
    unsafe fn avx512(&mut self, c: MarkStep) -> (usize, bool) {
        use std::arch::x86_64::*;
        let n = self.checked_len();
        let (e_m, a) = (_mm512_set1_pd(c.e_m), _mm512_set1_pd(1.0 - c.e_m));
        let (g, e_s) = (_mm512_set1_pd(c.g), _mm512_set1_pd(c.e_s));
        let k_peak = _mm512_set1_pd(c.k_peak);
        let (mark_from, zero) = (_mm512_set1_pd(MARK_FROM), _mm512_setzero_pd());
        let step = _mm512_set1_epi64(c.step as i64);
        let mut not_finite = _mm512_setzero_si512();
        let mut count = 0;
        let block = |first: usize, lanes: __mmask8| {
            // SAFETY: lanes past `n` are masked out, and a masked-out lane
            // is neither read nor written (nor can it fault).
            let (v0, s0, x, wake) = unsafe {
                (
                    _mm512_maskz_loadu_pd(lanes, self.v.as_ptr().add(first)),
                    _mm512_maskz_loadu_pd(lanes, self.s.as_ptr().add(first)),
                    _mm512_maskz_loadu_pd(lanes, self.drive.as_ptr().add(first)),
                    _mm512_maskz_loadu_epi64(lanes, self.wake_step.as_ptr().add(first).cast()),
                )
            };
            let vn = _mm512_add_pd(
                _mm512_add_pd(_mm512_mul_pd(e_m, v0), _mm512_mul_pd(a, x)),
                _mm512_mul_pd(g, s0),
            );
            let sn = _mm512_mul_pd(e_s, s0);
            let d0 = _mm512_sub_pd(_mm512_add_pd(s0, x), v0);
            // max_pd(a, b) is `if a > b { a } else { b }`, NaN and signed
            // zeros included: the portable selects.
            let rise = _mm512_max_pd(d0, zero);
            let reach = _mm512_add_pd(v0, _mm512_mul_pd(rise, k_peak));
            let v_hi = _mm512_max_pd(reach, vn);
            // The marks as `portable` has them, in three comparisons: a
            // neuron awake through the whole step is marked where it may
            // reach the threshold, one waking in it always, one resting
            // through it never; v is propagated where it is awake.
            let awake = _mm512_mask_cmplt_epu64_mask(lanes, wake, step);
            let waking = _mm512_mask_cmpeq_epi64_mask(lanes, wake, step);
            let hit = _mm512_mask_cmp_pd_mask::<_CMP_GE_OQ>(awake, v_hi, mark_from);
            let e = waking | hit;
            let v_out = _mm512_mask_blend_pd(awake, v0, vn);
            // SAFETY: as for the loads.
            unsafe {
                _mm512_mask_storeu_pd(self.next_v.as_mut_ptr().add(first), lanes, v_out);
                _mm512_mask_storeu_pd(self.next_s.as_mut_ptr().add(first), lanes, sn);
            }
            let bits = _mm512_castpd_si512(_mm512_mul_pd(vn, zero));
            not_finite = _mm512_or_si512(not_finite, bits);
            push_marked(u64::from(e), first, self.event_index, &mut count);
        };
        for_blocks_of_8(n, block);
        let not_finite = _mm512_reduce_or_epi64(not_finite) as u64;
        (count, not_finite & !SIGN_BIT == 0)
    }

    /// The pass on 4 neurons at a time in 256-bit registers, the operations
    /// of `portable` one for one, as `avx512` has them: a block's marks come
    /// out of the comparisons as a bit mask (`movemask`), so there are no
    /// flags to write and scan. The portable body compiled for AVX2 wrote
    /// them and `gather_marked` read them back, 8% of an exact run's time at
    /// N = 1,000 on an AMD EPYC without AVX-512; with this body the run's
    /// loop took 0.944 of its time there. The last n % 4 neurons go through
    /// the same code from a block padded with neurons resting through the
    /// step (never marked, finite), their outputs copied back
    /// (`last_block_of_4`).
    ///
    /// # Safety
    /// The CPU must have AVX2.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn avx2(&mut self, c: MarkStep) -> (usize, bool) {
        use std::arch::x86_64::*;
        let n = self.checked_len();
        let (e_m, a) = (_mm256_set1_pd(c.e_m), _mm256_set1_pd(1.0 - c.e_m));
        let (g, e_s) = (_mm256_set1_pd(c.g), _mm256_set1_pd(c.e_s));
        let k_peak = _mm256_set1_pd(c.k_peak);
        let (mark_from, zero) = (_mm256_set1_pd(MARK_FROM), _mm256_setzero_pd());
        // The wake steps are unsigned and AVX2 compares 64-bit integers only
        // as signed: with both sides' sign bits flipped the signed order is
        // the unsigned one.
        let flip = _mm256_set1_epi64x(SIGN_BIT as i64);
        let step_flipped = _mm256_set1_epi64x((c.step ^ SIGN_BIT) as i64);
        let mut not_finite = _mm256_setzero_si256();
        // Four neurons from `first` of the arrays given: their end states
        // stored, their marks returned as bits.
        let mut block =
            |first: usize, from: [*const f64; 3], wake: *const u64, to: [*mut f64; 2]| {
                // SAFETY: each array holds 4 values from `first` (the caller's
                // promise below).
                let (v0, s0, x, wake) = unsafe {
                    (
                        _mm256_loadu_pd(from[0].add(first)),
                        _mm256_loadu_pd(from[1].add(first)),
                        _mm256_loadu_pd(from[2].add(first)),
                        _mm256_loadu_si256(wake.add(first).cast()),
                    )
                };
                let vn = _mm256_add_pd(
                    _mm256_add_pd(_mm256_mul_pd(e_m, v0), _mm256_mul_pd(a, x)),
                    _mm256_mul_pd(g, s0),
                );
                let sn = _mm256_mul_pd(e_s, s0);
                let d0 = _mm256_sub_pd(_mm256_add_pd(s0, x), v0);
                // max_pd(a, b) is `if a > b { a } else { b }`, NaN and signed
                // zeros included: the portable selects.
                let rise = _mm256_max_pd(d0, zero);
                let reach = _mm256_add_pd(v0, _mm256_mul_pd(rise, k_peak));
                let v_hi = _mm256_max_pd(reach, vn);
                // The marks as `avx512` has them: a neuron awake through the
                // whole step is marked where it may reach the threshold, one
                // waking in it always, one resting through it never; v is
                // propagated where it is awake. All ones or zero in each lane.
                let wake_flipped = _mm256_xor_si256(wake, flip);
                let awake = _mm256_castsi256_pd(_mm256_cmpgt_epi64(step_flipped, wake_flipped));
                let waking = _mm256_castsi256_pd(_mm256_cmpeq_epi64(wake_flipped, step_flipped));
                let hit = _mm256_and_pd(awake, _mm256_cmp_pd::<_CMP_GE_OQ>(v_hi, mark_from));
                let e = _mm256_or_pd(waking, hit);
                let v_out = _mm256_blendv_pd(v0, vn, awake);
                // SAFETY: as for the loads.
                unsafe {
                    _mm256_storeu_pd(to[0].add(first), v_out);
                    _mm256_storeu_pd(to[1].add(first), sn);
                }
                let bits = _mm256_castpd_si256(_mm256_mul_pd(vn, zero));
                not_finite = _mm256_or_si256(not_finite, bits);
                _mm256_movemask_pd(e) as u64
            };
        let mut count = 0;
        let whole = n - n % 4;
        let from = [self.v.as_ptr(), self.s.as_ptr(), self.drive.as_ptr()];
        let to = [self.next_v.as_mut_ptr(), self.next_s.as_mut_ptr()];
        for first in (0..whole).step_by(4) {
            // Every array holds n values (the assertion above).
            let marks = block(first, from, self.wake_step.as_ptr(), to);
            push_marked(marks, first, self.event_index, &mut count);
        }
        if whole < n {
            let rest = n - whole;
            let (v, s) = (last_block_of_4(self.v, 0.0), last_block_of_4(self.s, 0.0));
            let x = last_block_of_4(self.drive, 0.0);
            let wake = last_block_of_4(self.wake_step, u64::MAX);
            let (mut next_v, mut next_s) = ([0.0; 4], [0.0; 4]);
            let from = [v.as_ptr(), s.as_ptr(), x.as_ptr()];
            let to = [next_v.as_mut_ptr(), next_s.as_mut_ptr()];
            // Arrays of 4: the promise holds.
            let marks = block(0, from, wake.as_ptr(), to);
            self.next_v[whole..].copy_from_slice(&next_v[..rest]);
            self.next_s[whole..].copy_from_slice(&next_s[..rest]);
            push_marked(marks, whole, self.event_index, &mut count);
        }
        (count, or_lanes(not_finite) & !SIGN_BIT == 0)
    }
}

#[cfg(test)]
mod tests {
    use super::super::kernel::pass_tests::{bits, value};
    use super::{Isa, MarkPass, MarkStep, run_pass};
    use proptest::prelude::*;

    type State = (Vec<f64>, Vec<f64>, Vec<f64>, Vec<u64>);

    /// Runs one pass on fresh outputs, on the instructions given.
    fn run(state: &State, c: MarkStep, isa: Isa) -> (Vec<u64>, Vec<u64>, Vec<u32>, bool) {
        let n = state.0.len();
        let (mut next_v, mut next_s) = (vec![7.0; n], vec![7.0; n]);
        let (mut event, mut event_index) = (vec![0; n], vec![0; n]);
        let mut pass = MarkPass {
            v: &state.0,
            s: &state.1,
            drive: &state.2,
            wake_step: &state.3,
            next_v: &mut next_v,
            next_s: &mut next_s,
            event: &mut event,
            event_index: &mut event_index,
        };
        let (count, finite) = run_pass(&mut pass, isa, c);
        (
            bits(next_v),
            bits(next_s),
            event_index[..count].to_vec(),
            finite,
        )
    }

    proptest! {
        /// Every pass this CPU can run (AVX2, AVX-512) leaves the same bits
        /// (a NaN as a NaN), the same marks and the same finiteness as the
        /// portable one, for any length (whole blocks of 4 or 8 and a
        /// rest) and any step, the first (0) included. On a CPU with
        /// neither there is nothing to compare.
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
            k_peak in 0.0..0.1f64,
            step in 0u64..6,
        ) {
            let c = MarkStep { e_m, e_s: 0.99, g, k_peak, step };
            let portable = run(&state, c, Isa::Portable);
            // Finite as the pass says exactly when every propagated v and
            // s is, though it tests only v.
            let propagated_finite = (0..state.0.len()).all(|i| {
                let (v0, s0, x) = (state.0[i], state.1[i], state.2[i]);
                (e_m * v0 + (1.0 - e_m) * x + g * s0).is_finite() && (c.e_s * s0).is_finite()
            });
            prop_assert_eq!(portable.3, propagated_finite);
            for isa in Isa::available() {
                prop_assert_eq!(&run(&state, c, isa), &portable, "{:?}", isa);
            }
        }
    }

    /// At step 0 the masked-out lanes (wake step 0 as loaded) would read as
    /// waking in the step: only the part's own neurons are marked, and the
    /// slots past its end are left alone.
    #[test]
    fn a_partial_block_marks_only_its_own_neurons() {
        let c = MarkStep {
            e_m: 0.9,
            e_s: 0.5,
            g: 0.0,
            k_peak: 0.005,
            step: 0,
        };
        let n = 11;
        let (v, s, drive, wake_step) = (vec![0.0; n], vec![0.0; n], vec![0.5; n], vec![1; n]);
        let (mut next_v, mut next_s) = (vec![7.0; 12], vec![7.0; 12]);
        let (mut event, mut event_index) = (vec![0; n], vec![0; n]);
        let mut pass = MarkPass {
            v: &v,
            s: &s,
            drive: &drive,
            wake_step: &wake_step,
            next_v: &mut next_v[..n],
            next_s: &mut next_s[..n],
            event: &mut event,
            event_index: &mut event_index,
        };
        assert_eq!(pass.run(c), (0, true));
        assert_eq!((next_v[10], next_v[11], next_s[11]), (0.0, 7.0, 7.0));
    }
}
