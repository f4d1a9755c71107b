#!/usr/bin/env python3
"""Time to result, as a user waits for it: the whole process, side by side,
and beside it the simulation loop alone, as each program times its own.

For N = 1,000, 10,000 (and 100,000 with --sizes) neurons of the benchmark
network (presets/network-benchmark.toml: 2% random connections, ~40 Hz, 1 s
at dt = 0.1 ms), interleaved, REPS times each:

  Brian2 2.9 C++ standalone: its compiled binary run as a whole (start-up,
      network build, 1 s, writing the recorded spikes); its compile, done
      once before, is reported on its own line
  spikescope run network-benchmark --set network.random.n=N --duration 1
      --spikes FILE, event-exact timing and grid timing (two threads where
      N >= 4,096), the whole process: start-up, build, simulation, CSV
  NEST 3.10, iaf_psc_exp in normalized units (benches/peers/t_nest_lif.py),
      one thread and two: the whole Python process (import, build, 1 s)

then the medians and their ratios to Brian2's binary (higher is faster than
Brian2), and to Brian2 with its compile. Then, from the same runs, each
program's simulation loop as it times it: Brian2's binary's own run time
(results/last_run_info.txt, its network's run), spikescope's (`run
--timing`: the steps, with the spikes handed to the CSV writer), NEST's
(`nest.Run`, sim_s in the script's JSON), and their ratios to Brian2's.
Before each run, untimed, the file system's pending writes are flushed
(`sync`), so that no run pays for the writes of the one before it.

Usage: python3 benches/whole.py PYTHON [--reps R] [--sizes 1000,10000,100000]
At N = 1,000 a run takes 12 to 40 ms, and on a shared machine 5 runs do not
settle a median: use --reps 21 there.
NEST runs up to N = 10,000: at 100,000 its pairwise_bernoulli rule draws 1e10
coin flips to build the network.
  PYTHON  a Python with Brian2 2.9 and NEST 3.10 (a venv outside the
          repository, see benches/peers/README.md); the peers run with HOME
          set to a scratch folder (NEST and Brian2 write there).
spikescope is built for the local CPU first (RUSTFLAGS=-C target-cpu=native
into target/native), as Brian2 compiles for it. Not part of `cargo test`: it
measures wall time.
"""
import json, os, re, shutil, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PEERS = os.path.join(HERE, "peers")
TARGET = os.path.join(ROOT, "target", "native")
SPIKESCOPE = os.path.join(TARGET, "release", "spikescope")


def wall(cmd, cwd=None, env=None):
    """The whole process's wall time, and its standard output and error."""
    # Each run starts with no other program's writes pending: ext4 commits
    # every file's pending data with a file's fsync, so our spikes file's
    # fsync would otherwise also write out the results Brian2's binary had
    # just left unsynced (1.1 MB at N = 1,000): 0.6 to 1.6 ms of another
    # program's work in a run of 11 to 17 ms (benches/HISTORY.md).
    os.sync()
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, check=True, capture_output=True, text=True)
    return time.perf_counter() - t0, done.stdout, done.stderr


UNITS = {"ns": 1e-9, "µs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0}


def brian2_binary(b2dir, env):
    whole, _, _ = wall(["./main"], cwd=b2dir, env=env)
    with open(os.path.join(b2dir, "results", "last_run_info.txt")) as f:
        return whole, float(f.read().split()[0])


def spikescope(cmd):
    whole, _, err = wall(cmd)
    m = re.search(r"simulation ([0-9.]+) (ns|µs|us|ms|s) ", err)
    return whole, float(m.group(1)) * UNITS[m.group(2)]


def nest(cmd, env):
    whole, out, _ = wall(cmd, env=env)
    return whole, json.loads(out.strip().splitlines()[-1])["sim_s"]


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    python = args[0]
    reps = int(args[args.index("--reps") + 1]) if "--reps" in args else 5
    sizes = [int(n) for n in args[args.index("--sizes") + 1].split(",")] \
        if "--sizes" in args else [1000, 10000]
    env = dict(os.environ, RUSTFLAGS="-C target-cpu=native", CARGO_TARGET_DIR=TARGET)
    subprocess.run(["cargo", "build", "--release"], cwd=ROOT, env=env, check=True)
    work = tempfile.mkdtemp(prefix="spikescope-whole-")
    spikes = os.path.join(work, "spikes.csv")
    peer_env = dict(os.environ, HOME=work)
    for n in sizes:
        b2dir = os.path.join(work, f"brian2-{n}")
        out = subprocess.run([python, os.path.join(PEERS, "b2_build_lif.py"), str(n), b2dir],
                             check=True, capture_output=True, text=True, env=peer_env).stdout
        compile_s = json.loads(out.strip().splitlines()[-1])["compile_s"]
        threads = ["--threads", "2"] if n >= 4096 else []
        run = [SPIKESCOPE, "run", "network-benchmark", "--set", f"network.random.n={n}",
               "--duration", "1", "--spikes", spikes, "--timing"] + threads
        t_nest = os.path.join(PEERS, "t_nest_lif.py")
        nests = [] if n > 10000 else [
            ("NEST 1 thread", lambda: nest([python, t_nest, str(n), "1"], peer_env)),
            ("NEST 2 threads", lambda: nest([python, t_nest, str(n), "2"], peer_env)),
        ]
        contenders = [
            ("Brian2 C++ binary", lambda: brian2_binary(b2dir, peer_env)),
            ("spikescope exact", lambda: spikescope(run)),
            ("spikescope grid", lambda: spikescope(run + ["--set", 'network.spike_timing="grid"'])),
        ] + nests
        times = {name: [] for name, _ in contenders}
        loops = {name: [] for name, _ in contenders}
        for _ in range(reps):
            for name, f in contenders:
                whole, loop = f()
                times[name].append(whole)
                loops[name].append(loop)
        base = statistics.median(times["Brian2 C++ binary"])
        print(f"N = {n}: {reps} interleaved runs each, medians of the whole process")
        print(f"  {'Brian2 compile (once)':<24} {compile_s:8.3f} s")
        for name, ts in times.items():
            m = statistics.median(ts)
            print(f"  {name:<24} {m:9.4f} s   {base / m:5.2f}x Brian2's binary, "
                  f"{(compile_s + base) / m:6.2f}x Brian2 with its compile")
        base = statistics.median(loops["Brian2 C++ binary"])
        print(f"N = {n}: the same runs, medians of the simulation loop as each program times it")
        for name, ts in loops.items():
            m = statistics.median(ts)
            print(f"  {name:<24} {m:9.4f} s   {base / m:5.2f}x Brian2's loop, "
                  f"{n * 10000 / m:.3e} neuron-updates/s")
        sys.stdout.flush()
    # Brian2's generated projects and the spikes files are scratch.
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
