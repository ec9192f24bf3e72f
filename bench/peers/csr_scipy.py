"""SciPy CSR SpMV, the peer of the CSR rows in bench/programs/sparse_lib.prb.

Prints the median seconds of 20 calls of `A @ x` (after one warm-up) for a 4096×4096 f32
matrix magnitude-pruned per row to 50, 75, 90 and 95% sparsity, one line each. SciPy's CSR
matrix-vector product runs on one thread.
"""
import sys
import time

import numpy as np
import scipy.sparse


def median_seconds(f, reps=20):
    f()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    times.sort()
    middle = reps // 2
    return (times[middle - 1] + times[middle]) / 2 if reps % 2 == 0 else times[middle]


def main():
    rng = np.random.default_rng(1)
    w = rng.standard_normal((4096, 4096), dtype=np.float32)
    x = rng.standard_normal(4096, dtype=np.float32)
    order = np.argsort(np.abs(w), axis=1, kind="stable")
    for s in (0.5, 0.75, 0.9, 0.95):
        pruned = w.copy()
        removed = int(s * 4096 + 1e-9)
        np.put_along_axis(pruned, order[:, :removed], 0, axis=1)
        a = scipy.sparse.csr_matrix(pruned)
        print(median_seconds(lambda: a @ x))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
