"""NEURON 9.0.2 on the classic cell (classic_cell.py) from rest (V =
-64.99637933119206 mV, gates at x_inf) at J = 10 uA/cm2 for 200 ms, at 20 and
30 C. Writes temperature_neuron.json: the spike times (ms, upward crossings of
0 mV) per temperature. Run: python3 temperature_neuron.py >
temperature_neuron.json (made 2026-12-04, Python 3.11.7)."""
import json
import sys

from classic_cell import classic_cell, h

cell = classic_cell()
cell.stim.amp = 10e-3
runs = {}
for celsius in (20.0, 30.0):
    h.celsius = celsius
    h.finitialize(-64.99637933119206)
    h.continuerun(200.0)
    runs[str(int(celsius))] = list(cell.spikes)
json.dump({
    "simulator": "NEURON 9.0.2, CVODE atol 1e-10, condition_order 2, usetable_hh = 0",
    "j_uA_cm2": 10.0,
    "runs": runs,
}, sys.stdout)
