//! The same bits on every machine: no output depends on which code the C
//! library picks for the CPU. glibc runs code written for FMA where the CPU
//! has it, and its `exp`, `expm1` and `log` round 0.004% to 0.18% of their
//! values otherwise; the crate computes with its own elementary functions
//! (src/model/elementary), so a run with glibc's FMA code switched off
//! (`GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2,-FMA`, as on a CPU without FMA)
//! writes the same files byte for byte. Before 2026-12-06 the benchmark
//! network's spikes parted at 41 ms (one ulp, written out in full), the HH
//! neuron's traces within the first second.

use std::path::Path;

mod common;

use common::bin;

/// The traces and spikes of `preset` for `duration`, with glibc's FMA code
/// or without.
fn outputs(preset: &str, sets: &[&str], fma: bool, dir: &Path) -> (Vec<u8>, Vec<u8>) {
    let tag = if fma { "fma" } else { "plain" };
    let (out, spikes) = (
        dir.join(format!("{preset}-{tag}.csv")),
        dir.join(format!("{preset}-{tag}-spikes.csv")),
    );
    let mut cmd = bin();
    cmd.args(["run", preset, "--duration", "1 s", "--out"])
        .arg(&out)
        .arg("--spikes")
        .arg(&spikes);
    for set in sets {
        cmd.args(["--set", set]);
    }
    if !fma {
        cmd.env("GLIBC_TUNABLES", "glibc.cpu.hwcaps=-AVX2,-FMA");
    }
    let done = cmd.output().expect("the binary runs");
    assert!(done.status.success(), "{preset}: {:?}", done);
    (std::fs::read(out).unwrap(), std::fs::read(spikes).unwrap())
}

/// Where the CPU has FMA (else glibc runs its plain code either way, and
/// the comparison says so): the benchmark network (chaotic: an ulp grows
/// tenfold every quarter of a second), an HH neuron, a noise-driven one
/// (normal samples) and a network with Poisson inputs, with and without
/// glibc's FMA code, 1 s each, byte for byte.
#[test]
fn outputs_do_not_depend_on_the_c_librarys_fma_code() {
    #[cfg(target_arch = "x86_64")]
    if !std::arch::is_x86_feature_detected!("fma") {
        eprintln!("this CPU has no FMA: glibc's plain code runs either way");
    }
    let dir = tempfile::tempdir().unwrap();
    let noise: &[&str] = &["stimulus.kind=\"noise\"", "stimulus.sigma=0.5"];
    for (preset, sets) in [
        ("network-benchmark", &[][..]),
        ("hh-repetitive", &[][..]),
        ("hh-repetitive", noise),
        ("psc-ampa-nmda", &[][..]),
    ] {
        let with = outputs(preset, sets, true, dir.path());
        let without = outputs(preset, sets, false, dir.path());
        assert!(with.0.len() > 1000 && with.1.len() > 10, "{preset}");
        assert!(with == without, "{preset}: the outputs differ");
    }
}
