"""Peer for string building, 1 M appends of a two-character string inside a function; median seconds of 5 calls."""
import statistics
import time

N = 1000000
REPS = 5


def f(n):
    s = ""
    for i in range(n):
        s += "ab"
    return len(s)


def main():
    assert f(1000) == 2000
    times = []
    for _ in range(REPS):
        t0 = time.perf_counter()
        f(N)
        times.append(time.perf_counter() - t0)
    print(repr(statistics.median(times)))


main()
