"""PSC filters of order 2 and 3 from Nengo, beside h(t) and its bin average.

h(t) = t^n e^(-t/tau_s) / (n! tau_s^(n+1)) has the transfer function
1/(tau_s s + 1)^(n+1): Nengo's `LinearFilter([1], coefficients of
(tau_s s + 1)^(n+1))`, discretized by its zero-order hold (with n = 1 this
reproduces `nengo.Alpha` to the last printed digit). Inputs, output columns
and sampling as in impulse.csv and spiketrain.csv: dt = 1e-4 s, 0.5 s,
t_k = k dt; each spike one sample of height 1/dt. Per filter `_nengo`
(Nengo's output), `_cont` (h(t_k) summed over the spikes) and `_binavg`
((1/dt) times the integral of h over [t_k, t_k + dt), summed over the
spikes; the incomplete gamma function in 30 digits by mpmath), printed to 9 significant digits.

Run: python3 higher_orders.py   (writes higher_impulse.csv,
higher_spiketrain.csv and prints the largest differences)
Made with Nengo 4.1.0, numpy 1.26.4, mpmath 1.3.0, Python 3.11.
"""
import csv
import json
import os

import mpmath
import nengo
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DT, T = 1e-4, 0.5
STEPS = int(round(T / DT))
FILTERS = [(2, 0.005), (2, 0.05), (3, 0.005), (3, 0.05)]
mpmath.mp.dps = 30


def h(n, tau, t):
    t = mpmath.mpf(t)
    if t < 0:
        return mpmath.mpf(0)
    return t**n * mpmath.exp(-t / tau) / (mpmath.factorial(n) * mpmath.mpf(tau) ** (n + 1))


def bin_average(n, tau, t):
    """(1/dt) times the integral of h over [t, t + dt) (h = 0 before 0): the
    difference of the regularized incomplete gamma function P(n + 1, .)."""
    if t + DT <= 0:
        return mpmath.mpf(0)
    lo = max(mpmath.mpf(t), mpmath.mpf(0)) / tau
    hi = (mpmath.mpf(t) + DT) / tau
    return mpmath.gammainc(n + 1, lo, hi, regularized=True) / DT


def write(name, spike_steps):
    x = np.zeros(STEPS)
    for k in spike_steps:
        x[k] += 1 / DT
    cols, header = [np.arange(STEPS) * DT, x], ["t_s", "input"]
    worst = {}
    for n, tau in FILTERS:
        den = np.poly1d([tau, 1.0]) ** (n + 1)
        out = nengo.LinearFilter([1.0], den.coeffs).filt(x, dt=DT)
        cont = np.array([float(sum(h(n, tau, (k - s) * DT) for s in spike_steps if s <= k))
                         for k in range(STEPS)])
        binavg = np.array([float(sum(bin_average(n, tau, (k - s) * DT) for s in spike_steps if s <= k))
                           for k in range(STEPS)])
        key = f"order{n}_{tau:g}"
        cols += [out, cont, binavg]
        header += [f"{key}_nengo", f"{key}_cont", f"{key}_binavg"]
        worst[key] = float(np.max(np.abs(out - binavg) / np.maximum(np.abs(binavg), 1e-300)))
    with open(os.path.join(HERE, name), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for k in range(STEPS):
            w.writerow([f"{cols[0][k]:.4f}"] + [f"{c[k]:.9g}" for c in cols[1:]])
    return worst


impulse = write("higher_impulse.csv", [0])
with open(os.path.join(HERE, "spike_times.json")) as f:
    spikes = json.load(f)["spike_times_s"]
train = write("higher_spiketrain.csv", [int(round(t / DT)) for t in spikes])
print(json.dumps({"largest relative |nengo - binavg|": {"impulse": impulse, "spiketrain": train}}, indent=1))
