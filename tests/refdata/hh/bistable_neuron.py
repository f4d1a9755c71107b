"""NEURON 9.0.2 running the preset `hh-bistable` on the classic cell
(classic_cell.py): from V = -60.353 mV (gates at x_inf there) at J = 8 uA/cm2, a
pulse of +10 uA/cm2 from 100 to 102 ms (each edge a CVODE event), for 400 ms.
Writes bistable_neuron.json: every spike time (ms, upward crossings of 0 mV).
Run: python3 bistable_neuron.py > bistable_neuron.json (made 2026-12-04, Python
3.11.7)."""
import json
import sys

from classic_cell import at_step, classic_cell, h

cell = classic_cell()
cell.stim.amp = 8e-3


def pulse():
    at_step(cell, 100.0, 18e-3)
    at_step(cell, 102.0, 8e-3)


handler = h.FInitializeHandler(pulse)
h.finitialize(-60.353)
h.continuerun(400.0)
json.dump({
    "simulator": "NEURON 9.0.2, CVODE atol 1e-10, condition_order 2, usetable_hh = 0, 6.3 C",
    "spikes_ms": list(cell.spikes),
}, sys.stdout)
