"""Peer for the loop: sum of i * i for i < 10 M inside a function; median seconds of 5 calls."""
import statistics
import time

N = 10_000_000
REPS = 5


def loop(n):
    s = 0
    for i in range(n):
        s += i * i
    return s


def main():
    assert loop(1000) == 332833500
    times = []
    for _ in range(REPS):
        t0 = time.perf_counter()
        loop(N)
        times.append(time.perf_counter() - t0)
    print(repr(statistics.median(times)))


main()
