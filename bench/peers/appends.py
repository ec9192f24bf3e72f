"""Peer for list append, 1 M `xs.append(i)` inside a function; median seconds of 5 calls."""
from timing import print_median

N = 1000000


def f(n):
    xs = []
    for i in range(n):
        xs.append(i)
    return len(xs)


def main():
    assert f(1000) == 1000
    print_median(lambda: f(N))


main()
