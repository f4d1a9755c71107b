#!/usr/bin/env python3
"""The LIF network benchmark of issue 6 side by side with Brian2's C++
standalone on this machine: for N = 1,000 and 10,000, Brian2's own script
(../shared/refdata/gen/timing/t_brian2_lif.py, its loop time) and
spikescope's `net_speed` example on one and two threads, interleaved, then
the medians and their ratios.

Usage: python3 benches/peers.py PYTHON [REPS]
  PYTHON  a Python with Brian2 2.9 and numpy < 2, for example a venv made by
          `python3 -m venv /tmp/b2 && /tmp/b2/bin/pip install brian2 "numpy<2"`
  REPS    runs of each (default 3); each Brian2 run compiles for ~10 s.

Not part of `cargo test` (it measures wall time and needs Brian2).
"""
import json, os, statistics, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SCRIPT = os.path.join(ROOT, "..", "shared", "refdata", "gen", "timing", "t_brian2_lif.py")
NET_SPEED = os.path.join(ROOT, "target", "release", "examples", "net_speed")


def brian2(python, n):
    out = subprocess.run([python, SCRIPT, str(n), "cpp_standalone"], capture_output=True,
                         text=True, check=True).stdout
    d = json.loads(out.strip().splitlines()[-1])
    return d["N"] * d["steps_per_run"] / d["main_loop_s"], d["n_spikes"] / d["N"]


def spikescope(n, threads):
    out = subprocess.run([NET_SPEED, str(n), str(threads)], capture_output=True, text=True,
                         check=True).stdout
    words = out.split()
    return float(words[words.index("neuron-updates/s,") - 1]), float(words[-2])


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    python, reps = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3
    subprocess.run(["cargo", "build", "--release", "--example", "net_speed"], cwd=ROOT,
                   check=True)
    for n in (1000, 10000):
        # Below 4,096 neurons spikescope uses one thread whatever it is allowed.
        contenders = [("Brian2 C++ (1 thread)", lambda: brian2(python, n)),
                      ("spikescope, 1 thread", lambda: spikescope(n, 1))]
        if n >= 4096:
            contenders.append(("spikescope, 2 threads", lambda: spikescope(n, 2)))
        runs = {name: [] for name, _ in contenders}
        rates = {}
        for _ in range(reps):
            for name, f in contenders:
                speed, rate = f()
                runs[name].append(speed)
                rates[name] = rate
        base = statistics.median(runs["Brian2 C++ (1 thread)"])
        for name, speeds in runs.items():
            m = statistics.median(speeds)
            print(f"N = {n:>6}  {name:<22} median {m:.3e} neuron-updates/s "
                  f"({base and m / base:.2f}x Brian2), mean rate {rates[name]:.2f} Hz")


if __name__ == "__main__":
    main()
