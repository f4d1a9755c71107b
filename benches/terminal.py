#!/usr/bin/env python3
"""The oscilloscope in a real pseudo-terminal: time to the first frame, and
bytes written to the terminal per frame and per second in steady running.

Usage: python3 benches/terminal.py [BINARY]   (default target/release/spikescope)

It runs `spikescope PRESET --frames N` at 80x24 and 200x50 and counts every
byte the program writes. Not part of `cargo test` (it measures wall time).
"""
import fcntl, os, pty, select, struct, sys, termios, time

BIN = sys.argv[1] if len(sys.argv) > 1 else "target/release/spikescope"


def run(args, cols, rows):
    t0 = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.environ["LANG"] = "C.UTF-8"
        os.execv(args[0], args)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    out, first = b"", None
    while True:
        r, _, _ = select.select([fd], [], [], 10)
        if not r:
            break
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        out += data
        if first is None and b"RUN" in out:
            first = time.perf_counter() - t0
    os.waitpid(pid, 0)
    return first, time.perf_counter() - t0, len(out)


print("preset             size    first_frame_ms  bytes_per_frame  bytes_per_s")
for preset in ["hh-repetitive", "lif-constant", "network-benchmark"]:
    for cols, rows in [(80, 24), (200, 50)]:
        firsts = sorted(run([BIN, preset, "--frames", "1"], cols, rows)[0] for _ in range(5))
        # 30 frames to settle, then 300 more: the difference is steady running.
        _, t_short, b_short = run([BIN, preset, "--frames", "30"], cols, rows)
        _, t_long, b_long = run([BIN, preset, "--frames", "330"], cols, rows)
        per_frame = (b_long - b_short) / 300
        per_s = (b_long - b_short) / max(t_long - t_short, 1e-9)
        print(f"{preset:<18} {cols}x{rows:<5} {firsts[2] * 1e3:>14.1f}  {per_frame:>15.0f}  {per_s:>11.0f}")
