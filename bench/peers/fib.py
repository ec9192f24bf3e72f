"""Peer for fib(27): naive recursion; prints the median seconds of 5 timed calls."""
from timing import print_median


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def main():
    assert fib(20) == 6765
    print_median(lambda: fib(27))


main()
