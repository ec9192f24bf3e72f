"""Peer for the tiny add: per-op seconds of adding two 4-element f32 NumPy arrays.

A function runs `c = x + y` N times (interpreter overhead included, as on the Prunebook
side); prints the median of 5 timed calls (after one warm-up) divided by N.
"""
import statistics
import time

import numpy as np

N = 1_000_000
REPS = 5


def add_loop(x, y, n):
    for _ in range(n):
        c = x + y
    return c


def main():
    x = np.array([1, 2, 3, 4], dtype=np.float32)
    y = np.array([5, 6, 7, 8], dtype=np.float32)
    assert add_loop(x, y, 3)[3] == 12
    add_loop(x, y, N)
    times = []
    for _ in range(REPS):
        t0 = time.perf_counter()
        add_loop(x, y, N)
        times.append(time.perf_counter() - t0)
    print(repr(statistics.median(times) / N))


main()
