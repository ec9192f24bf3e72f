"""Peer for string building, 1 M appends of a two-character string inside a function; median seconds of 5 calls."""
from timing import print_median

N = 1000000


def f(n):
    s = ""
    for i in range(n):
        s += "ab"
    return len(s)


def main():
    assert f(1000) == 2000
    print_median(lambda: f(N))


main()
