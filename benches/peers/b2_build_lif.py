"""Brian2 2.9, cpp_standalone: the LIF network of t_brian2_lif.py (the same
equations, parameters and seed), its spikes recorded (SpikeMonitor), built
into DIR and compiled but not run, so that the binary DIR/main can be timed
as a whole process. argv: N DIR. Prints JSON: the compile time."""
import json, sys, time
import numpy as np
from brian2 import *

N = int(sys.argv[1]); d = sys.argv[2]
set_device("cpp_standalone", directory=d, build_on_run=False)
seed(1)
defaultclock.dt = 0.1 * ms
K = 0.02 * N
ns = dict(tau_m=20 * ms, tau_s=10 * ms, wscale=0.005 * np.sqrt(20.0 / K) * second)
G = NeuronGroup(N, """dv/dt = (s + b - v)/tau_m : 1 (unless refractory)
                      ds/dt = -s/tau_s : 1
                      b : 1 (constant)""",
                threshold="v > 1", reset="v = 0", refractory=2 * ms, method="exact", namespace=ns)
G.b = "1 + rand()"
G.v = "rand()"
S = Synapses(G, G, "w : second", on_pre="s_post += w/tau_s", namespace=ns)
S.connect(p=0.02)
S.w = "(2*rand() - 1) * wscale"
M = SpikeMonitor(G)
run(1 * second)
t0 = time.perf_counter()
device.build(directory=d, compile=True, run=False, with_output=False)
print(json.dumps({"N": N, "compile_s": time.perf_counter() - t0}))
