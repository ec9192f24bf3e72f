"""Peer for list append, 1 M `xs.append(i)` inside a function; median seconds of 5 calls."""
import statistics
import time

N = 1000000
REPS = 5


def f(n):
    xs = []
    for i in range(n):
        xs.append(i)
    return len(xs)


def main():
    assert f(1000) == 1000
    times = []
    for _ in range(REPS):
        t0 = time.perf_counter()
        f(N)
        times.append(time.perf_counter() - t0)
    print(repr(statistics.median(times)))


main()
