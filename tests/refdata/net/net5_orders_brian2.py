"""Reference spike trains of a recurrent five-neuron LIF network with PSC
filters of order 0, 1 and 2, from Brian2's clock-driven step.

The network (spikescope's normalized LIF network, SPEC section 4):
  tau_m dv_i/dt = s_i + b_i - v_i   (v held at 0 for tau_ref after a spike)
  order n: n + 1 first-order stages, tau_s ds_0/dt = -s_0,
           tau_s ds_k/dt = s_{k-1} - s_k, s = s_n (impulse response h(t) =
           t^n e^(-t/tau_s) / (n! tau_s^(n+1)))
  a spike of j adds W[i][j] / tau_s to s_0 of i, with no delay
  v = 0, s = 0, not refractory at t = 0; threshold 1, reset 0; T = 1 s.
Brian2 integrates every equation exactly (method "exact"), tests the
threshold after each step and stamps a spike at that step's start.

Run: python3 net5_orders_brian2.py > net5_orders_brian2.json
(Brian2 2.9.0, numpy 1.26.4, Python 3.11; runtime code generation "numpy",
so nothing is compiled.)
"""
import json
import sys

import numpy as np
from brian2 import NeuronGroup, SpikeMonitor, Synapses, defaultclock, ms, prefs, run, second
from brian2 import __version__ as brian2_version
from brian2 import start_scope

W = [
    [0.0, 0.0, -0.01, 0.0, 0.03],
    [0.02, 0.0, 0.0, 0.0, 0.0],
    [0.02, -0.005, 0.0, 0.01, 0.0],
    [0.0, 0.015, 0.0, 0.0, -0.02],
    [0.0, 0.0, 0.025, 0.0, 0.0],
]
B = [1.2, 1.05, 0.9, 1.1, 0.95]
TAU_M, TAU_REF, TAU_S, T = 0.02, 0.002, 0.005, 1.0

prefs.codegen.target = "numpy"


def spikes(order, dt):
    start_scope()
    defaultclock.dt = dt * second
    tau_m, tau_s = TAU_M * second, TAU_S * second
    stages = "".join(
        f"ds{k}/dt = -s{k}/tau_s : 1\n" if k == 0 else f"ds{k}/dt = (s{k - 1} - s{k})/tau_s : 1\n"
        for k in range(order + 1)
    )
    eqs = f"dv/dt = (s{order} + bias - v)/tau_m : 1 (unless refractory)\n{stages}bias : 1\n"
    group = NeuronGroup(len(B), eqs, threshold="v > 1", reset="v = 0",
                        refractory=TAU_REF * second, method="exact")
    group.bias = B
    w = np.array(W)
    post, pre = np.nonzero(w)
    syn = Synapses(group, group, "w : 1", on_pre=f"s0_post += w / {TAU_S!r}")
    syn.connect(i=pre, j=post)
    syn.w = w[post, pre]
    mon = SpikeMonitor(group)
    run(T * second, namespace={"tau_m": tau_m, "tau_s": tau_s})
    trains = mon.spike_trains()
    return [[float(t) for t in trains[i] / second] for i in range(len(B))]


out = {
    "description": "recurrent five-neuron LIF network, PSC filters of order 0, 1, 2",
    "W": W, "b": B, "tau_m": TAU_M, "tau_ref": TAU_REF, "tau_s": TAU_S, "T": T,
    "units": "seconds",
    "weight_convention": "W[i][j] = weight from presynaptic j to postsynaptic i; "
                         "s_0 of i += W[i][j]/tau_s on each spike of j",
    "simulator": f"Brian2 {brian2_version}, numpy {np.__version__}, method exact, "
                 "codegen numpy",
    "spikes": {},
}
for order in (0, 1, 2):
    for dt in (1e-4, 1e-5, 1e-6):
        out["spikes"][f"order{order}_dt{dt:g}"] = spikes(order, dt)
        print(f"order {order}, dt {dt:g}: done", file=sys.stderr)
json.dump(out, sys.stdout, indent=1)
print()
