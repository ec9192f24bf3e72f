"""Peer for a 1000×1000 nested loop with an `if` inside a function; median seconds of 5 calls."""
import statistics
import time

N = 1000
REPS = 5


def f(n):
    c = 0
    for i in range(n):
        for j in range(n):
            if i < j:
                c += 1
    return c


def main():
    assert f(100) == 4950
    times = []
    for _ in range(REPS):
        t0 = time.perf_counter()
        f(N)
        times.append(time.perf_counter() - t0)
    print(repr(statistics.median(times)))


main()
