"""NEURON 9.0.2 on the classic cell (classic_cell.py) under `spikescope
threshold hh-single-spike --param stimulus.amplitude --between 0 100 --against
stimulus.width`: from rest at J = 0, one pulse from 5 ms (its edges CVODE
events) of each width, 50 ms (each trial solved to 50 ms with cvode.solve:
continuerun, run after run in one process, stopped some short); the threshold
amplitude (uA/cm2) bisected between 0 and 100 to 1e-9 of the interval, a spike
being an upward crossing of 0 mV. Writes strength_duration_neuron.json: per width (ms) the lowest amplitude
found to fire and the highest found silent. Run: python3
strength_duration_neuron.py > strength_duration_neuron.json (made 2026-12-04,
Python 3.11.7)."""
import json
import sys

from classic_cell import at_step, classic_cell, h

V_REST_MV = -64.99637933119206  # rest.json: the root of the steady-state current
WIDTHS_MS = (0.1, 0.2, 0.5, 1.0, 2.0, 5.0)
START_MS, STOP_MS = 5.0, 50.0
cell = classic_cell()
pulse = {}


def schedule():
    at_step(cell, START_MS, pulse["amplitude"] * 1e-3)
    at_step(cell, START_MS + pulse["width"], 0.0)


handler = h.FInitializeHandler(schedule)


def fires(width, amplitude):
    pulse["width"], pulse["amplitude"] = width, amplitude
    cell.stim.amp = 0.0
    h.finitialize(V_REST_MV)
    cell.cvode.solve(STOP_MS)
    return len(cell.spikes) > 0


thresholds = {}
for width in WIDTHS_MS:
    silent, firing = 0.0, 100.0
    assert not fires(width, silent) and fires(width, firing)
    while firing - silent > 1e-9 * 100.0:
        mid = 0.5 * (silent + firing)
        if fires(width, mid):
            firing = mid
        else:
            silent = mid
    thresholds[f"{width}"] = {"firing": firing, "silent": silent}
json.dump({
    "simulator": "NEURON 9.0.2, CVODE atol 1e-10, condition_order 2, usetable_hh = 0, 6.3 C",
    "start_ms": START_MS,
    "stop_ms": STOP_MS,
    "thresholds_uA_cm2": thresholds,
}, sys.stdout)
