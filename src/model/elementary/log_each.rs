//! ln of many values at once, each to the bit of `ln` (log.rs): four at a
//! time in 256-bit registers where the CPU has AVX2 (found when the program
//! runs), the operations of `ln`'s common path lane by lane, its tables
//! read by gathers. A random network draws a logarithm for every synapse
//! (its geometric gaps, network/gaps.rs), the largest part of its build.
//! The lanes `ln` takes elsewhere (near 1, where it has a polynomial of its
//! own; not a normal positive number) are worked out by `ln` itself. The
//! algorithm is ARM's, as in log.rs (Optimized Routines, MIT License: the
//! notice is in LICENSE-optimized-routines beside this file).

use super::log::{A, LN2_HI, LN2_LO, N, OFF, TAB, TAB2, ln, near_one, not_normal};

/// Each of `x` replaced by its ln, the bits `ln` gives.
pub fn ln_each(x: &mut [f64]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        let mut blocks = x.chunks_exact_mut(4);
        for block in &mut blocks {
            let block: &mut [f64; 4] = block.try_into().expect("a block of 4");
            // SAFETY: the CPU has AVX2 (tested above).
            *block = unsafe { ln_4(*block) };
        }
        blocks.into_remainder().iter_mut().for_each(|v| *v = ln(*v));
        return;
    }
    x.iter_mut().for_each(|v| *v = ln(*v));
}

/// ln of four values: `ln`'s common path in each lane, then `ln` itself
/// in the lanes it does not cover (their gathers read some entry of the
/// tables, whatever the bits: the index is 7 bits).
///
/// # Safety
/// The CPU must have AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn ln_4(x: [f64; 4]) -> [f64; 4] {
    use std::arch::x86_64::*;
    const { assert!(N == 128) };
    let splat = _mm256_set1_pd;
    let ix = _mm256_castpd_si256(_mm256_set_pd(x[3], x[2], x[1], x[0]));
    // tmp = ix - OFF; i = (tmp >> 45) % N, the subinterval; k = tmp >> 52
    // as a signed number: AVX2 shifts 64-bit lanes only logically, so the
    // sign bit flipped first and 2^11 taken back after.
    let tmp = _mm256_sub_epi64(ix, _mm256_set1_epi64x(OFF as i64));
    let i = _mm256_and_si256(_mm256_srli_epi64::<45>(tmp), _mm256_set1_epi64x(127));
    let flipped = _mm256_xor_si256(tmp, _mm256_set1_epi64x(i64::MIN));
    let k = _mm256_sub_epi64(_mm256_srli_epi64::<52>(flipped), _mm256_set1_epi64x(2048));
    // k as f64 without a 64-bit conversion (AVX2 has none): |k| < 2^51,
    // so k added to the bits of 2^52 + 2^51 is that number plus k, exactly.
    let magic = 6_755_399_441_055_744.0;
    let kd = _mm256_sub_pd(
        _mm256_castsi256_pd(_mm256_add_epi64(k, _mm256_castpd_si256(splat(magic)))),
        splat(magic),
    );
    let top_12 = _mm256_set1_epi64x(0xfff << 52);
    let z = _mm256_castsi256_pd(_mm256_sub_epi64(ix, _mm256_and_si256(tmp, top_12)));
    // Each table holds N pairs: the pair of subinterval i is at 2i, 2i + 1.
    let at = _mm256_slli_epi64::<1>(i);
    let next = _mm256_add_epi64(at, _mm256_set1_epi64x(1));
    let (tab, tab2) = (TAB.as_ptr().cast::<f64>(), TAB2.as_ptr().cast::<f64>());
    // SAFETY: every index is below 2 N, inside each table of 2 N values.
    let (invc, logc, c_hi, c_lo) = unsafe {
        (
            _mm256_i64gather_pd::<8>(tab, at),
            _mm256_i64gather_pd::<8>(tab, next),
            _mm256_i64gather_pd::<8>(tab2, at),
            _mm256_i64gather_pd::<8>(tab2, next),
        )
    };
    let (add, sub, mul) = (_mm256_add_pd, _mm256_sub_pd, _mm256_mul_pd);
    let r = mul(sub(sub(z, c_hi), c_lo), invc);
    let w = add(mul(kd, splat(LN2_HI)), logc);
    let hi = add(w, r);
    let lo = add(add(sub(w, hi), r), mul(kd, splat(LN2_LO)));
    let r2 = mul(r, r);
    let inner = add(
        add(splat(A[1]), mul(r, splat(A[2]))),
        mul(r2, add(splat(A[3]), mul(r, splat(A[4])))),
    );
    let y = add(
        add(add(lo, mul(r2, splat(A[0]))), mul(mul(r, r2), inner)),
        hi,
    );
    let mut out = [0.0; 4];
    // SAFETY: `out` holds four values.
    unsafe { _mm256_storeu_pd(out.as_mut_ptr(), y) };
    for (o, &v) in out.iter_mut().zip(&x) {
        let bits = v.to_bits();
        if near_one(bits) || not_normal((bits >> 48) as u32) {
            *o = ln(v);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{ln, ln_each};
    use proptest::prelude::*;

    /// The bits of each, a NaN as any NaN.
    fn bits(x: &[f64]) -> Vec<u64> {
        x.iter()
            .map(|v| if v.is_nan() { u64::MAX } else { v.to_bits() })
            .collect()
    }

    fn ln_one_by_one(x: &[f64]) -> Vec<u64> {
        bits(&x.iter().map(|&v| ln(v)).collect::<Vec<_>>())
    }

    proptest! {
        /// Any values (the draws of a random network in (0, 1], near 1,
        /// every exponent, and the values `ln` takes elsewhere), any
        /// count (whole blocks of 4 and a rest): the bits of `ln`.
        #[test]
        fn each_is_what_ln_gives(
            x in prop::collection::vec(
                prop_oneof![
                    4 => (1u64..=1 << 53).prop_map(|m| m as f64 / (1u64 << 53) as f64),
                    1 => 0.9f64..1.1,
                    2 => any::<u64>().prop_map(f64::from_bits),
                    1 => prop::sample::select(vec![
                        0.0, -0.0, 1.0, -1.0, f64::MIN_POSITIVE, 5e-324, f64::MAX,
                        f64::INFINITY, f64::NEG_INFINITY, f64::NAN,
                        1.0 - f64::EPSILON / 2.0, 0.9375, 1.064_697_265_625,
                    ]),
                ],
                0..40,
            ),
        ) {
            let mut each = x.clone();
            ln_each(&mut each);
            prop_assert_eq!(bits(&each), ln_one_by_one(&x));
        }
    }

    /// Every subinterval of the tables, at its ends and centre, in each
    /// lane: the gathers read the entries `ln` reads.
    #[test]
    fn every_subinterval_in_every_lane_is_what_ln_gives() {
        let mut x = Vec::new();
        for i in 0..128u64 {
            let base = super::OFF + (i << 45);
            for bits in [base, base + (1 << 44), base + (1 << 45) - 1] {
                for scale in [1.0, 0.5, 2f64.powi(-30), 2f64.powi(40)] {
                    x.push(f64::from_bits(bits) * scale);
                }
            }
        }
        for shift in 0..4 {
            let shifted = &x[shift..];
            let mut each = shifted.to_vec();
            ln_each(&mut each);
            assert_eq!(bits(&each), ln_one_by_one(shifted), "from {shift}");
        }
    }
}
