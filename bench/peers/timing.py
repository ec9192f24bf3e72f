"""The timing shared by the interpreter peers (fib, loop, nested, strings, fields, appends):
call a function REPS times and print the median wall-clock seconds, as run.sh expects."""
import statistics
import time

REPS = 5


def print_median(call, reps=REPS):
    """Times `call()` `reps` times with time.perf_counter and prints the median seconds."""
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        call()
        times.append(time.perf_counter() - t0)
    print(repr(statistics.median(times)))
