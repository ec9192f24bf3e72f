"""Peer for the tiny tensor operations: per-op seconds in NumPy (f32).

Like bench/programs/tiny_ops.prb, a function runs one operation N times (interpreter
overhead included on both sides); prints, one line each, the median of 5 timed calls
(after one warm-up) divided by N for: adding two 4-element arrays, a 4×4 @ 4×4 product,
and slicing one row of a 4×4 array (`a[1]`, copied, since Prunebook slices copy).
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


def matmul_loop(a, b, n):
    for _ in range(n):
        c = a @ b
    return c


def slice_loop(a, n):
    for _ in range(n):
        c = a[1].copy()
    return c


def per_op(body):
    body(N)
    times = []
    for _ in range(REPS):
        t0 = time.perf_counter()
        body(N)
        times.append(time.perf_counter() - t0)
    return statistics.median(times) / N


def main():
    x = np.array([1, 2, 3, 4], dtype=np.float32)
    y = np.array([5, 6, 7, 8], dtype=np.float32)
    a = np.arange(16, dtype=np.float32).reshape(4, 4)
    b = a.T.copy()
    assert add_loop(x, y, 3)[3] == 12
    assert matmul_loop(a, b, 3)[1, 2] == 214
    assert slice_loop(a, 3)[2] == 6
    print(repr(per_op(lambda n: add_loop(x, y, n))))
    print(repr(per_op(lambda n: matmul_loop(a, b, n))))
    print(repr(per_op(lambda n: slice_loop(a, n))))


main()
