#!/usr/bin/env python3
"""{{NAME}}: the network of spikescope's preset `{{ORIGIN}}`{{SETS}}, exported for
PyNN 0.13 (on NEST) by `spikescope export`. The same network, not a similar one:
the connections drawn, the biases and the initial voltages are in {{DATA}}
beside this script.

Run:  python3 {{SCRIPT}} [--threads T] [--out FILE]
MPI:  mpirun -np K python3 {{SCRIPT}} [--threads T] [--out FILE]
Writes the spikes as `neuron,time_s` CSV (the format of `spikescope run
--spikes`), default {{OUT}}; under MPI each rank writes its own neurons'
spikes to FILE with `-rankR` before `.csv`; merge them with
  (head -n 1 OUT-rank0.csv; tail -q -n +2 OUT-rank*.csv | LC_ALL=C sort -t, -k2,2g -k1,1n) > OUT.csv

Mapping (spikescope's normalized LIF network -> PyNN): tau_m dv/dt = s + b + x - v
is {{CELL}} with cm = 1 nF, v_rest = v_reset = 0 mV, v_thresh = 1 mV, tau_m,
tau_refrac and tau_syn_E = tau_syn_I = tau_s in ms, spike_precision "{{PRECISION}}"
(NEST's {{MODEL}}); the input b + x is i_offset = (b + x) cm / tau_m (nA); a weight
w is the current {{WEIGHT_RULE}}, excitatory and inhibitory connections as two
projections (PyNN's signs). Every connection has a delay of {{DELAY_MS}} ms (NEST's
least, one resolution step), where spikescope's spikes reach their targets at
once.
{{TIMING_NOTE}}
"""
import argparse
import json
import os

import numpy as np
import pyNN.nest as sim

HERE = os.path.dirname(os.path.abspath(__file__))
RESOLUTION_MS = {{RESOLUTION_MS}}
DELAY_MS = {{DELAY_MS}}
DURATION_MS = {{DURATION_MS}}
TAU_M_MS = {{TAU_M_MS}}
TAU_SYN_MS = {{TAU_SYN_MS}}
T_REF_MS = {{T_REF_MS}}
CM_NF = 1.0
# nA of current jump (exponential) or peak (alpha) per unit of spikescope's w.
WEIGHT_NA = {{WEIGHT_PA}}


{{LOAD}}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--out", default=os.path.join(HERE, "{{OUT}}"))
    args = parser.parse_args()
    header, a = load(os.path.join(HERE, "{{DATA}}"))
    n = header["neurons"]

    sim.setup(timestep=RESOLUTION_MS, min_delay=DELAY_MS, max_delay=DELAY_MS,
              spike_precision="{{PRECISION}}", threads=args.threads, verbosity="error")
    cell = sim.{{CELL}}(cm=CM_NF, v_rest=0.0, v_reset=0.0, v_thresh=1.0, tau_m=TAU_M_MS,
                        tau_refrac=T_REF_MS, tau_syn_E=TAU_SYN_MS, tau_syn_I=TAU_SYN_MS,
                        i_offset=a["bias"] * CM_NF / TAU_M_MS)
    pop = sim.Population(n, cell, initial_values={"v": a["v0"].copy()})
    w = a["weight"] * WEIGHT_NA
    for receptor, chosen in (("excitatory", w > 0), ("inhibitory", w < 0)):
        if chosen.any():
            pairs = np.column_stack((a["pre"][chosen], a["post"][chosen], w[chosen],
                                     np.full(chosen.sum(), DELAY_MS)))
            sim.Projection(pop, pop, sim.FromListConnector(pairs, column_names=["weight", "delay"]),
                           synapse_type=sim.StaticSynapse(), receptor_type=receptor)
    for g in header["currents"]:
        source = sim.StepCurrentSource(times=g["times_ms"],
                                       amplitudes=[x * CM_NF / TAU_M_MS for x in g["values"]])
        targets = pop if g["neurons"] is None else pop[g["neurons"]]
        source.inject_into(targets)
    for t in header["trains"]:
        train = sim.Population(1, sim.SpikeSourceArray(spike_times=t["times_ms"]))
        targets = list(range(n)) if t["neurons"] is None else t["neurons"]
        receptor = "excitatory" if t["weight"] >= 0 else "inhibitory"
        pairs = [(0, i, t["weight"] * WEIGHT_NA, DELAY_MS) for i in targets]
        sim.Projection(train, pop, sim.FromListConnector(pairs, column_names=["weight", "delay"]),
                       synapse_type=sim.StaticSynapse(), receptor_type=receptor)
    pop.record("spikes")
    sim.run(DURATION_MS)

    rows = []
    for st in pop.get_data("spikes", gather=False).segments[0].spiketrains:
        i = int(st.annotations["source_index"])
        rows.extend((float(t) / 1000.0, i) for t in st.magnitude)
    rows.sort()
    out = args.out
    if sim.num_processes() > 1:
        stem, ext = os.path.splitext(out)
        out = f"{stem}-rank{sim.rank()}{ext}"
    with open(out, "w") as f:
        f.write("neuron,time_s\n")
        for t, i in rows:
            f.write(f"{i},{t!r}\n")
    sim.end()


if __name__ == "__main__":
    main()
