"""NEURON 9.0.2 on the classic cell (classic_cell.py) under `spikescope sweep
hh-repetitive --param stimulus.amplitude --from 0 --to 15 --step 0.5 --direction
both --settle 200ms --measure 500ms`'s schedule: from rest at J = 0, each value
held 700 ms (up 0, 0.5, ..., 15, then down 15, 14.5, ..., 0), each change a CVODE
event (a run to each change with continuerun overshot it at rest, where CVODE's
steps grow to seconds: J = 0 held to 3109 ms, then 2.0). Writes
sweep_neuron.json: the protocol and every spike time (ms, upward crossings of
0 mV). Run: python3 sweep_neuron.py > sweep_neuron.json (made 2026-12-04, Python
3.11.7)."""
import json
import sys

from classic_cell import at_step, classic_cell, h

J_FROM, J_TO, J_STEP = 0.0, 15.0, 0.5
SETTLE_MS, MEASURE_MS = 200.0, 500.0
HOLD_MS = SETTLE_MS + MEASURE_MS
V_REST_MV = -64.99637933119206  # rest.json: the root of the steady-state current
n = int(round((J_TO - J_FROM) / J_STEP)) + 1
values = [J_FROM + k * J_STEP for k in range(n)] + [J_TO - k * J_STEP for k in range(n)]
cell = classic_cell()


def schedule():
    for k, j in enumerate(values[1:], start=1):
        at_step(cell, k * HOLD_MS, j * 1e-3)


handler = h.FInitializeHandler(schedule)
cell.stim.amp = values[0] * 1e-3
h.finitialize(V_REST_MV)
h.continuerun(len(values) * HOLD_MS)
json.dump({
    "simulator": "NEURON 9.0.2, CVODE atol 1e-10, condition_order 2, usetable_hh = 0, 6.3 C",
    "values_uA_cm2": values,
    "settle_ms": SETTLE_MS,
    "measure_ms": MEASURE_MS,
    "spikes_ms": list(cell.spikes),
}, sys.stdout)
