#!/usr/bin/env python3
"""{{NAME}}: the network of spikescope's preset `{{ORIGIN}}`{{SETS}}, exported for
NEST 3 (PyNEST) by `spikescope export`. The same network, not a similar one: the
connections drawn, the biases and the initial voltages are in {{DATA}} beside
this script.

Run:  python3 {{SCRIPT}} [--threads T] [--out FILE]
MPI:  mpirun -np K python3 {{SCRIPT}} [--threads T] [--out FILE]
Writes the spikes as `neuron,time_s` CSV (the format of `spikescope run
--spikes`), default {{OUT}}; under MPI each rank writes its own neurons'
spikes to FILE with `-rankR` before `.csv`; merge them with
  (head -n 1 OUT-rank0.csv; tail -q -n +2 OUT-rank*.csv | LC_ALL=C sort -t, -k2,2g -k1,1n) > OUT.csv

Mapping (spikescope's normalized LIF network -> NEST): tau_m dv/dt = s + b + x - v
is {{MODEL}} with C_m = 1 pF, E_L = V_reset = 0 mV, V_th = 1 mV, tau_m, t_ref and
tau_syn = tau_s in ms; the input b + x is the current (b + x) C_m / tau_m (pA); a
weight w (s jumps by w/tau_s) is the current {{WEIGHT_RULE}}. NEST needs a
synaptic delay of at least one resolution step: every connection here has
{{DELAY_MS}} ms, where spikescope's spikes reach their targets at once, so in
NEST each spike acts {{DELAY_MS}} ms later than in spikescope.
{{TIMING_NOTE}}
"""
import argparse
import json
import os

import numpy as np
import nest

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = "{{MODEL}}"
RESOLUTION_MS = {{RESOLUTION_MS}}
DELAY_MS = {{DELAY_MS}}
DURATION_MS = {{DURATION_MS}}
TAU_M_MS = {{TAU_M_MS}}
TAU_SYN_MS = {{TAU_SYN_MS}}
T_REF_MS = {{T_REF_MS}}
C_M_PF = 1.0
# pA of current jump (exponential) or peak (alpha) per unit of spikescope's w.
WEIGHT_PA = {{WEIGHT_PA}}


{{LOAD}}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=1, help="local_num_threads")
    parser.add_argument("--out", default=os.path.join(HERE, "{{OUT}}"))
    args = parser.parse_args()
    header, a = load(os.path.join(HERE, "{{DATA}}"))
    n = header["neurons"]

    nest.verbosity = nest.VerbosityLevel.ERROR
    nest.ResetKernel()
    nest.SetKernelStatus({"resolution": RESOLUTION_MS, "local_num_threads": args.threads})
    pop = nest.Create(MODEL, n, params={
        "C_m": C_M_PF, "E_L": 0.0, "V_reset": 0.0, "V_th": 1.0, "tau_m": TAU_M_MS,
        "t_ref": T_REF_MS, "tau_syn_ex": TAU_SYN_MS, "tau_syn_in": TAU_SYN_MS})
    first = pop[0].global_id
    # Each rank (MPI) sets the neurons it holds; on one process, all.
    # `pop.local` is one bool for a single neuron, a list of them otherwise.
    mine = np.flatnonzero(np.atleast_1d(pop.local))
    if len(mine):
        local = pop[mine.tolist()]
        local.set(V_m=a["v0"][mine].tolist(), I_e=(a["bias"][mine] * C_M_PF / TAU_M_MS).tolist())
    if len(a["pre"]):
        nest.Connect(a["pre"].astype(np.int64) + first, a["post"].astype(np.int64) + first,
                     "one_to_one", {"synapse_model": "static_synapse",
                                    "weight": a["weight"] * WEIGHT_PA,
                                    "delay": np.full(len(a["pre"]), DELAY_MS)})
    for g in header["currents"]:
        # A piecewise-constant input x(t): its changes, as current, each told
        # a step early, as the connection's delay brings it a step late.
        gen = nest.Create("step_current_generator", params={
            "amplitude_times": g["times_ms"],
            "amplitude_values": [x * C_M_PF / TAU_M_MS for x in g["values"]]})
        targets = pop if g["neurons"] is None else pop[g["neurons"]]
        nest.Connect(gen, targets, syn_spec={"delay": DELAY_MS})
    for t in header["trains"]:
        # A spike train a(t): its spikes, each of weight w on its targets.
        gen = nest.Create("spike_generator", params={
            "spike_times": t["times_ms"], "precise_times": {{PRECISE}}})
        targets = pop if t["neurons"] is None else pop[t["neurons"]]
        nest.Connect(gen, targets, syn_spec={"weight": t["weight"] * WEIGHT_PA,
                                             "delay": DELAY_MS})
    recorder = nest.Create("spike_recorder")
    nest.Connect(pop, recorder)
    if "bias_after_first_step" in a:
        # An input that changes at the first step's end: no generator can
        # act then (it would be told at 0), so I_e takes the change.
        nest.Simulate(RESOLUTION_MS)
        if len(mine):
            local.set(I_e=(a["bias_after_first_step"][mine] * C_M_PF / TAU_M_MS).tolist())
        nest.Simulate(DURATION_MS - RESOLUTION_MS)
    else:
        nest.Simulate(DURATION_MS)

    events = recorder.get("events")
    neurons = np.asarray(events["senders"], dtype=np.int64) - first
    times_s = np.asarray(events["times"], dtype=float) / 1000.0
    order = np.lexsort((neurons, times_s))
    out = args.out
    if nest.NumProcesses() > 1:
        stem, ext = os.path.splitext(out)
        out = f"{stem}-rank{nest.Rank()}{ext}"
    with open(out, "w") as f:
        f.write("neuron,time_s\n")
        for i, t in zip(neurons[order], times_s[order]):
            f.write(f"{int(i)},{float(t)!r}\n")


if __name__ == "__main__":
    main()
