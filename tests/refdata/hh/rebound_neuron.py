"""NEURON 9.0.2 running the preset `hh-rebound` on the classic cell
(classic_cell.py): from rest at J = 0, a pulse of -5 uA/cm2 from 20 to 40 ms
(each edge a CVODE event), for 100 ms; then, in a process of its own (a cell
left in the model would share CVODE's steps), the same with a pulse of -2
uA/cm2, under the rebound's threshold. Writes rebound_neuron.json: each run's
spike times (ms, upward crossings of 0 mV) and V (mV), h and n at the pulse's
end. Run: python3 rebound_neuron.py > rebound_neuron.json (made 2026-12-04,
Python 3.11.7)."""
import json
import subprocess
import sys

V_REST_MV = -64.99637933119206  # rest.json: the root of the steady-state current
AMPLITUDES = (-5.0, -2.0)


def run(amplitude):
    from classic_cell import at_step, classic_cell, h

    cell = classic_cell()

    def pulse():
        at_step(cell, 20.0, amplitude * 1e-3)
        at_step(cell, 40.0, 0.0)

    handler = h.FInitializeHandler(pulse)
    h.finitialize(V_REST_MV)
    h.continuerun(40.0)
    seg = cell.soma(0.5)
    at_release = {"v_mV": seg.v, "h": seg.hh.h, "n": seg.hh.n}
    h.continuerun(100.0)
    del handler
    return {"spikes_ms": list(cell.spikes), "at_40_ms": at_release}


if len(sys.argv) > 1:
    json.dump(run(float(sys.argv[1])), sys.stdout)
else:
    runs = {
        f"{a}": json.loads(subprocess.run(
            [sys.executable, __file__, f"{a}"], capture_output=True, text=True, check=True
        ).stdout)
        for a in AMPLITUDES
    }
    json.dump({
        "simulator": "NEURON 9.0.2, CVODE atol 1e-10, condition_order 2, usetable_hh = 0, 6.3 C",
        "runs": runs,
    }, sys.stdout)
