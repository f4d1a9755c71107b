"""The classic HH cell the scripts here run in NEURON 9.0.2: one compartment of
100 um2 (so 1 uA/cm2 is 1e-3 nA), SPEC section 4's parameters with the rates as
exact functions (usetable_hh = 0), a current clamp, CVODE at atol 1e-10 with the
threshold crossings interpolated (condition_order 2: otherwise a spike's time is
the end of the step that crossed), and the upward crossings of 0 mV recorded."""
from types import SimpleNamespace

from neuron import h

h.load_file("stdrun.hoc")


def classic_cell(celsius=6.3):
    soma = h.Section(name="soma")
    soma.L = 10.0
    soma.diam = 10.0 / 3.141592653589793
    soma.nseg = 1
    soma.insert("hh")
    soma.cm = 1.0
    h.usetable_hh = 0
    for seg in soma:
        seg.hh.gnabar, seg.hh.gkbar, seg.hh.gl, seg.hh.el = 0.12, 0.036, 0.0003, -54.387
    soma.ena, soma.ek = 50.0, -77.0
    h.celsius = celsius
    stim = h.IClamp(soma(0.5))
    stim.delay, stim.dur, stim.amp = 0.0, 1e9, 0.0
    cvode = h.CVode()
    cvode.active(1)
    cvode.atol(1e-10)
    cvode.condition_order(2)
    detector = h.NetCon(soma(0.5)._ref_v, None, sec=soma)
    detector.threshold = 0.0
    spikes = h.Vector()
    detector.record(spikes)
    return SimpleNamespace(soma=soma, stim=stim, cvode=cvode, detector=detector, spikes=spikes)


def at_step(cell, t_ms, nanoamps):
    """A change of the clamp's current at t_ms, as a CVODE event (the solver
    stops there and starts afresh)."""
    def apply():
        cell.stim.amp = nanoamps
        cell.cvode.re_init()
    cell.cvode.event(t_ms, apply)
