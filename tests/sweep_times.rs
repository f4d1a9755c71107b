//! `spikescope sweep` over a key that takes a time: a bare number is read
//! as seconds and every value is said as the time it is, in the summary
//! and in what is refused, so that milliseconds typed as bare numbers show.
#![allow(clippy::disallowed_methods)] // the platform's functions: an independent check

mod common;

use std::process::Output;

use common::g;

/// `spikescope sweep lif-constant --param PARAM --from --to --step` and
/// `more`.
fn lif_constant_sweep(param: &str, [from, to, step]: [&str; 3], more: &[&str]) -> Output {
    let args = [
        "sweep",
        "lif-constant",
        "--param",
        param,
        "--from",
        from,
        "--to",
        to,
        "--step",
        step,
    ];
    common::run(&[&args[..], more].concat())
}

/// A key that takes a time reads a bare number as seconds, and the summary
/// says its values as times, so that milliseconds typed as bare numbers
/// show: from 0.01 (10 ms) `lif.tau_m` fires at G = 1 / (tau_ref + tau_m
/// ln 3) (v_in = 1.5); at 31 s (31 typed for milliseconds) it is silent,
/// and the edge is told in seconds too. A key that is not a time has no
/// unit.
#[test]
fn a_time_key_is_said_as_a_time() {
    // lif-constant swept over `param` from `from` to `to`: the CSV and the
    // summary.
    let sweep = |param: &str, from: &str, to: &str, step: &str| {
        let o = lif_constant_sweep(param, [from, to, step], &[]);
        let err = common::stderr(&o);
        assert!(o.status.success(), "{err}");
        (common::stdout(&o), err)
    };
    let (csv, err) = sweep("lif.tau_m", "0.01", "0.03", "0.01");
    assert!(
        err.contains("lif.tau_m from 10 ms to 30 ms in steps of 10 ms"),
        "{err}"
    );
    let rates: Vec<f64> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(2).unwrap().parse().unwrap())
        .collect();
    assert_eq!(rates.len(), 3, "{csv}");
    for (k, rate) in rates.iter().enumerate() {
        let tau_m = 0.01 * (k + 1) as f64;
        assert!((rate - g(1.5, tau_m, 0.002)).abs() < 1e-9 * rate, "{rate}");
    }
    let (_, err) = sweep("lif.tau_m", "1", "31", "30");
    assert!(err.contains("up: fires at lif.tau_m = 1 s"), "{err}");
    assert!(err.contains("silent at 31 s"), "{err}");
    let (_, err) = sweep("stimulus.amplitude", "1", "2", "1");
    assert!(
        err.contains("stimulus.amplitude from 1 to 2 in steps of 1 (up): 2 values, "),
        "{err}"
    );
    // One value is "1 value"; both ways, each leg's values ("8 values" were
    // 4 values twice).
    let (_, err) = sweep("stimulus.amplitude", "1", "1", "1");
    assert!(err.contains("(up): 1 value, 2.5 s each"), "{err}");
    let o = lif_constant_sweep(
        "stimulus.amplitude",
        ["0", "3", "1"],
        &["--direction", "both", "--measure", "0.2"],
    );
    assert!(
        common::stderr(&o).contains("(both): 4 values up and 4 down, 700 ms each"),
        "{}",
        common::stderr(&o)
    );
}

/// A key that takes a time takes its bounds with a unit, as `--duration`
/// does (`"1 ms"` was refused as "invalid float literal"); a unit on a key
/// that is not a time is refused by name. A value the key cannot take is
/// named as the sweep's, not as a `--set` the user never typed.
#[test]
fn time_bounds_take_a_unit_and_a_bad_value_is_the_sweeps() {
    let sweep = |param: &str, from: &str, to: &str, step: &str| {
        lif_constant_sweep(
            param,
            [from, to, step],
            &["--settle", "100 ms", "--measure", "1 s"],
        )
    };
    let with_unit = sweep("lif.tau_ref", "1 ms", "3 ms", "1 ms");
    let bare = sweep("lif.tau_ref", "0.001", "0.003", "0.001");
    assert!(with_unit.status.success(), "{}", common::stderr(&with_unit));
    assert_eq!(common::stdout(&with_unit), common::stdout(&bare));
    assert_eq!(common::stdout(&bare).lines().count(), 4);
    // A time key's bounds refused as the times they are, typed with a
    // unit or bare (seconds), not as 0.003 for `3 ms`.
    for (from, to, step) in [("3 ms", "1 ms", "1 ms"), ("0.003", "0.001", "0.001")] {
        let o = sweep("lif.tau_ref", from, to, step);
        assert_eq!(o.status.code(), Some(2));
        assert!(
            common::stderr(&o).contains(
                "--from 3 ms --to 1 ms --step 1 ms: --from is above --to; valid: from <= to"
            ),
            "{}",
            common::stderr(&o)
        );
    }
    let o = sweep("stimulus.amplitude", "1 ms", "2", "0.5");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        common::stderr(&o)
            .contains("--from \"1 ms\": a time, but --param stimulus.amplitude does not take one"),
        "{}",
        common::stderr(&o)
    );
    let o = common::run(&[
        "sweep",
        "network-abc",
        "--param",
        "network.psc_order",
        "--from",
        "0.5",
        "--to",
        "1",
        "--step",
        "0.5",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = common::stderr(&o);
    assert!(
        err.contains(
            "network-abc with --param network.psc_order = 0.5: `network.psc_order` = 0.5: a \
             floating-point number is not valid here"
        ),
        "{err}"
    );
    assert!(!err.contains("--set"), "{err}");
}
