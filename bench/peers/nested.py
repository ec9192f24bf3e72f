"""Peer for a 1000×1000 nested loop with an `if` inside a function; median seconds of 5 calls."""
from timing import print_median

N = 1000


def f(n):
    c = 0
    for i in range(n):
        for j in range(n):
            if i < j:
                c += 1
    return c


def main():
    assert f(100) == 4950
    print_median(lambda: f(N))


main()
