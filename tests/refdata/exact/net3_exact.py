#!/usr/bin/env python3
"""Exact event-driven spike times of the three-neuron network of
tests/refdata/net/net3_tau_s0.005.json (A and B on bias alone, C receives A
with +0.02 and B with -0.005; tau_m = 20 ms, tau_ref = 2 ms, first-order filter), for any
tau_s: closed form between events, each crossing solved in 40-digit
arithmetic (mpmath). Written for tests/refdata.rs, independently of spikescope's
code (tau_s = tau_m by its own closed form); at tau_s = 5 ms it agrees with refdata's exact solver to 5e-14 s.

Usage: python3 net3_exact.py TAU_S [T] > net3_tau_s<TAU_S>.json
"""
import json, sys
import mpmath as mp

mp.mp.dps = 40
TAU_M, TAU_REF = mp.mpf("0.02"), mp.mpf("0.002")
W = [[0, 0, 0], [0, 0, 0], [mp.mpf("0.02"), mp.mpf("-0.005"), 0]]
B = [mp.mpf("1.5"), mp.mpf("2.0"), mp.mpf("1.0")]


def evolve(tau_s, i, v0, s0, span, resting):
    """(v, s) after `span` from (v0, s0): tau_m v' = s + b - v, tau_s s' = -s."""
    s1 = s0 * mp.e ** (-span / tau_s)
    if resting:
        return mp.mpf(0), s1
    if tau_s == TAU_M:
        decay = mp.e ** (-span / TAU_M)
        return B[i] + (v0 - B[i]) * decay + s0 * (span / TAU_M) * decay, s1
    a = s0 * tau_s / (tau_s - TAU_M)
    return B[i] + a * mp.e ** (-span / tau_s) + (v0 - B[i] - a) * mp.e ** (-span / TAU_M), s1


def crossing(tau_s, i, v0, s0, span):
    """The first τ in (0, span] with v(τ) = 1, or None. v is b plus two
    exponentials, so it has at most one extremum: test up to it, then to span."""
    f = lambda x: evolve(tau_s, i, v0, s0, x, False)[0] - 1
    ends = [span]
    if tau_s == TAU_M:
        # v' = e^(-t/tau) (s0 (1 - t/tau) - (v0 - b)) / tau.
        if s0 != 0:
            t_ext = TAU_M * (1 - (v0 - B[i]) / s0)
            if 0 < t_ext < span:
                ends = [t_ext, span]
        a = c = 0
    else:
        a = s0 * tau_s / (tau_s - TAU_M)
        c = v0 - B[i] - a
    if a != 0 and c != 0:
        ratio = -(c * tau_s) / (a * TAU_M)
        if ratio > 0:
            t_ext = mp.log(ratio) / (1 / TAU_M - 1 / tau_s)
            if 0 < t_ext < span:
                ends = [t_ext, span]
    lo = mp.mpf(0)
    for hi in ends:
        if f(hi) >= 0:
            for _ in range(200):
                mid = (lo + hi) / 2
                if f(mid) < 0:
                    lo = mid
                else:
                    hi = mid
            return hi
        lo = hi
    return None


def main():
    tau_s = mp.mpf(sys.argv[1])
    t_end = mp.mpf(sys.argv[2]) if len(sys.argv) > 2 else mp.mpf(1)
    n = 3
    v, s, wake = [mp.mpf(0)] * n, [mp.mpf(0)] * n, [mp.mpf(-1)] * n
    t, spikes = mp.mpf(0), [[] for _ in range(n)]
    while t < t_end:
        step, kind, who = t_end - t, None, None
        for i in range(n):
            if wake[i] > t:
                if wake[i] - t < step:
                    step, kind, who = wake[i] - t, "wake", i
            else:
                c = crossing(tau_s, i, v[i], s[i], step)
                if c is not None and c < step:
                    step, kind, who = c, "spike", i
        for i in range(n):
            v[i], s[i] = evolve(tau_s, i, v[i], s[i], step, wake[i] > t)
        t += step
        if kind == "wake":
            v[who] = mp.mpf(0)
        elif kind == "spike":
            spikes[who].append(t)
            v[who], wake[who] = mp.mpf(0), t + TAU_REF
            for i in range(n):
                s[i] += W[i][who] / tau_s
    json.dump({
        "made_by": "tests/exact/net3_exact.py " + " ".join(sys.argv[1:]),
        "tau_m": 0.02, "tau_ref": 0.002, "tau_s": float(tau_s), "T": float(t_end),
        "W": [[float(x) for x in row] for row in W], "b": [float(x) for x in B],
        "spikes": [[float(x) for x in row] for row in spikes],
    }, sys.stdout, indent=1)
    print()


main()
