"""Peer for the loop: sum of i * i for i < 10 M inside a function; median seconds of 5 calls."""
from timing import print_median

N = 10_000_000


def loop(n):
    s = 0
    for i in range(n):
        s += i * i
    return s


def main():
    assert loop(1000) == 332833500
    print_median(lambda: loop(N))


main()
