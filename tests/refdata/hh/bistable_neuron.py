"""NEURON 9.0.2 (CVODE, atol 1e-10, crossings interpolated) running the preset
`hh-bistable`: the classic HH neuron from V = -60.353 mV (gates at x_inf there) at
J = 8 uA/cm2, with a pulse of +10 uA/cm2 from 100 to 102 ms (each edge a CVODE
event), for 400 ms. Writes bistable_neuron.json: every spike time (ms, upward
crossings of 0 mV). Run: python3 bistable_neuron.py > bistable_neuron.json (made
2026-12-04, Python 3.11.7)."""
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
h.celsius = 6.3
stim = h.IClamp(s(0.5))
stim.delay, stim.dur, stim.amp = 0.0, 1e9, 8e-3
cv = h.CVode()
cv.active(1)
cv.atol(1e-10)
cv.condition_order(2)
nc = h.NetCon(s(0.5)._ref_v, None, sec=s)
nc.threshold = 0.0
spikes = h.Vector()
nc.record(spikes)


def set_amp(nanoamps):
    def apply():
        stim.amp = nanoamps
        cv.re_init()
    return apply


def pulse():
    cv.event(100.0, set_amp(18e-3))
    cv.event(102.0, set_amp(8e-3))


handler = h.FInitializeHandler(pulse)
h.finitialize(-60.353)
h.continuerun(400.0)
json.dump({
    "simulator": "NEURON 9.0.2, CVODE atol 1e-10, condition_order 2, usetable_hh = 0, 6.3 C",
    "spikes_ms": list(spikes),
}, sys.stdout)
