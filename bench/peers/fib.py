"""Peer for fib(27): naive recursion; prints the median seconds of 5 timed calls."""
import statistics
import time

REPS = 5


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def main():
    assert fib(20) == 6765
    times = []
    for _ in range(REPS):
        t0 = time.perf_counter()
        fib(27)
        times.append(time.perf_counter() - t0)
    print(repr(statistics.median(times)))


main()
