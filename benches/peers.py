#!/usr/bin/env python3
"""The LIF network benchmark of issue 6 side by side with Brian2's C++
standalone on this machine: for N = 1,000 and 10,000, Brian2's own script
(benches/peers/t_brian2_lif.py, its loop time) and
spikescope's `net_speed` example, event-exact and on grid timing (Brian2's
own clock-driven step), on one thread and (N = 10,000) two, interleaved, then the
medians and their ratios.

Usage: python3 benches/peers.py PYTHON [REPS]
       python3 benches/peers.py PYTHON --rates SEEDS
  PYTHON  a Python with Brian2 2.9 and numpy < 2, for example a venv made by
          `python3 -m venv /tmp/b2 && /tmp/b2/bin/pip install brian2 "numpy<2"`
  REPS    runs of each (default 3); each Brian2 run compiles for ~10 s.
  --rates the mean rate at N = 1,000 over random networks of seeds 1..SEEDS,
          Brian2 (its script with seed(s)) and spikescope on both timings:
          one network's rate varies by about 1% with its seed, so the
          simulators are compared on the mean over seeds.

Not part of `cargo test` (it measures wall time and needs Brian2).
"""
import json, os, statistics, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SCRIPT = os.path.join(HERE, "peers", "t_brian2_lif.py")
NET_SPEED = os.path.join(ROOT, "target", "release", "examples", "net_speed")
GRID = 'network.spike_timing="grid"'


def brian2(python, n, script=SCRIPT):
    out = subprocess.run([python, script, str(n), "cpp_standalone"], capture_output=True,
                         text=True, check=True).stdout
    d = json.loads(out.strip().splitlines()[-1])
    return d["N"] * d["steps_per_run"] / d["main_loop_s"], d["n_spikes"] / d["N"]


def spikescope(n, threads, *sets):
    out = subprocess.run([NET_SPEED, str(n), str(threads), *sets], capture_output=True,
                         text=True, check=True).stdout
    words = out.split()
    return float(words[words.index("neuron-updates/s,") - 1]), float(words[-2])


def speeds(python, reps):
    for n in (1000, 10000):
        # Below 4,096 neurons spikescope uses one thread whatever it is allowed.
        contenders = [("Brian2 C++ (1 thread)", lambda: brian2(python, n)),
                      ("spikescope, 1 thread", lambda: spikescope(n, 1))]
        if n >= 4096:
            contenders.append(("spikescope, 2 threads", lambda: spikescope(n, 2)))
        contenders.append(("spikescope grid, 1 th.", lambda: spikescope(n, 1, GRID)))
        if n >= 4096:
            contenders.append(("spikescope grid, 2 th.", lambda: spikescope(n, 2, GRID)))
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


def rates(python, seeds):
    with open(SCRIPT) as f:
        text = f.read()
    assert "\nseed(1)\n" in text
    got = {"Brian2 C++": [], "spikescope exact": [], "spikescope grid": []}
    with tempfile.TemporaryDirectory() as d:
        for s in range(1, seeds + 1):
            script = os.path.join(d, f"t_brian2_lif_seed{s}.py")
            with open(script, "w") as f:
                f.write(text.replace("\nseed(1)\n", f"\nseed({s})\n"))
            got["Brian2 C++"].append(brian2(python, 1000, script)[1])
            seed = f"network.random.seed={s}"
            got["spikescope exact"].append(spikescope(1000, 1, seed)[1])
            got["spikescope grid"].append(spikescope(1000, 1, seed, GRID)[1])
    base = statistics.mean(got["Brian2 C++"])
    for name, r in got.items():
        m, se = statistics.mean(r), statistics.stdev(r) / len(r) ** 0.5
        print(f"N = 1000, seeds 1..{seeds}  {name:<17} mean rate {m:.2f} Hz "
              f"(standard error {se:.2f}), {100 * (m / base - 1):+.1f}% from Brian2")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    python = sys.argv[1]
    subprocess.run(["cargo", "build", "--release", "--example", "net_speed"], cwd=ROOT,
                   check=True)
    if len(sys.argv) > 3 and sys.argv[2] == "--rates":
        rates(python, int(sys.argv[3]))
    else:
        speeds(python, int(sys.argv[2]) if len(sys.argv) > 2 else 3)


if __name__ == "__main__":
    main()
