#!/usr/bin/env python3
"""Two builds of spikescope side by side: the same command run by each in
turn, alternating which goes first, the whole process timed as a user waits
for it; prints each build's median and the ratio new/old.

  python3 benches/pair.py OLD NEW REPS ARGS...
  python3 benches/pair.py /tmp/before target/release/spikescope 21 \\
      run network-benchmark --set network.random.n=10000 --threads 2 --spikes /tmp/s.csv

Before each run the file system's pending writes are synced (as
benches/whole.py does), so that a run's fsync does not write out the other
build's output. Not part of `cargo test`: it measures wall time.
"""
import os, statistics, subprocess, sys, time


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    old, new, reps, args = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
    builds = [("old", old), ("new", new)]
    times = {name: [] for name, _ in builds}
    for rep in range(reps):
        for name, binary in builds if rep % 2 == 0 else builds[::-1]:
            os.sync()
            t0 = time.perf_counter()
            subprocess.run([binary] + args, check=True, capture_output=True)
            times[name].append(time.perf_counter() - t0)
    med = {name: statistics.median(t) for name, t in times.items()}
    print(f"old {med['old'] * 1e3:.2f} ms, new {med['new'] * 1e3:.2f} ms, "
          f"new/old {med['new'] / med['old']:.3f} ({reps} runs each)")


if __name__ == "__main__":
    main()
