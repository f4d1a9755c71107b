"""NEURON 9.0.2 (CVODE, atol 1e-10) under `spikescope sweep hh-repetitive --param
stimulus.amplitude --from 0 --to 15 --step 0.5 --direction both --settle 200ms
--measure 500ms`'s schedule: from rest at J = 0, each value held 700 ms (up 0, 0.5, ...,
15, then down 15, 14.5, ..., 0), each change an event at which the solver starts afresh. Writes
sweep_neuron.json: the protocol and every spike time (ms, upward crossings of 0 mV).
Run: python3 sweep_neuron.py > sweep_neuron.json (made 2026-12-04, Python 3.11.7)."""
import json

from neuron import h

h.load_file("stdrun.hoc")
J_FROM, J_TO, J_STEP = 0.0, 15.0, 0.5
SETTLE_MS, MEASURE_MS = 200.0, 500.0
V_REST_MV = -64.99637933119206  # rest.json: the root of the steady-state current
n = int(round((J_TO - J_FROM) / J_STEP)) + 1
values = [J_FROM + k * J_STEP for k in range(n)] + [J_TO - k * J_STEP for k in range(n)]
s = h.Section(name="soma")
s.L = 10.0
s.diam = 10.0 / 3.141592653589793  # 100 um2, so 1 uA/cm2 is 1e-3 nA
s.nseg = 1
s.insert("hh")
s.cm = 1.0
h.usetable_hh = 0
for seg in s:
    seg.hh.gnabar, seg.hh.gkbar, seg.hh.gl, seg.hh.el = 0.12, 0.036, 0.0003, -54.387
s.ena, s.ek = 50.0, -77.0
h.celsius = 6.3
stim = h.IClamp(s(0.5))
stim.delay, stim.dur, stim.amp = 0.0, 1e9, 0.0
cv = h.CVode()
cv.active(1)
cv.atol(1e-10)
cv.condition_order(2)  # crossings interpolated, not the step's end
nc = h.NetCon(s(0.5)._ref_v, None, sec=s)
nc.threshold = 0.0
spikes = h.Vector()
nc.record(spikes)
HOLD_MS = SETTLE_MS + MEASURE_MS


def switch_to(j):
    # An event at the change: CVODE stops there exactly and starts afresh
    # (a run to each change with continuerun overshot it at rest, where
    # CVODE's steps grow to seconds: J = 0 held to 3109 ms, then 2.0).
    def apply():
        stim.amp = j * 1e-3  # uA/cm2 on 100 um2 is 1e-3 nA
        cv.re_init()
    return apply


def schedule():
    for k, j in enumerate(values[1:], start=1):
        cv.event(k * HOLD_MS, switch_to(j))


handler = h.FInitializeHandler(schedule)
stim.amp = values[0] * 1e-3
h.finitialize(V_REST_MV)
h.continuerun(len(values) * HOLD_MS)
json.dump({
    "simulator": "NEURON 9.0.2, CVODE atol 1e-10, condition_order 2, usetable_hh = 0, 6.3 C",
    "values_uA_cm2": values,
    "settle_ms": SETTLE_MS,
    "measure_ms": MEASURE_MS,
    "spikes_ms": list(spikes),
}, __import__("sys").stdout)
