"""NEURON 9.0.2 (CVODE, atol 1e-10, crossings interpolated): the classic HH neuron
from rest (V = -64.99637933119206 mV, gates at x_inf) at J = 10 uA/cm2 for 200 ms,
at 20 and 30 C. Writes temperature_neuron.json: the spike times (ms, upward
crossings of 0 mV) per temperature. Run: python3 temperature_neuron.py >
temperature_neuron.json (made 2026-12-04, Python 3.11.7)."""
import json
import sys

from neuron import h

h.load_file("stdrun.hoc")
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
stim = h.IClamp(s(0.5))
stim.delay, stim.dur, stim.amp = 0.0, 1e9, 10e-3
cv = h.CVode()
cv.active(1)
cv.atol(1e-10)
cv.condition_order(2)
nc = h.NetCon(s(0.5)._ref_v, None, sec=s)
nc.threshold = 0.0
spikes = h.Vector()
nc.record(spikes)
runs = {}
for celsius in (20.0, 30.0):
    h.celsius = celsius
    h.finitialize(-64.99637933119206)
    h.continuerun(200.0)
    runs[str(int(celsius))] = list(spikes)
json.dump({
    "simulator": "NEURON 9.0.2, CVODE atol 1e-10, condition_order 2, usetable_hh = 0",
    "j_uA_cm2": 10.0,
    "runs": runs,
}, sys.stdout)
