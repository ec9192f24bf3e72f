import Foundation
import PrunebookLanguage

/// Timing builtins: wall-clock durations of calls on a monotonic clock.
enum TimingBuiltins {
    static let all: [Builtin] = [timeit, bench]

    static let category = "Timing"

    /// `timeit(f)`: the duration of one call of `f`.
    static let timeit = Builtin(
        name: "timeit", category: category,
        parameters: [.required("f", .function)],
        returns: "duration",
        summary: "the duration of one call of the zero-argument function `f`: `timeit(fn() => w @ x)`",
        doc: "Measured on a monotonic clock. The result is a duration: it displays like `~1.23 ms`, works in "
            + "arithmetic and comparisons, and `num(d)` gives seconds. The value `f` returns is discarded.",
        example: "type(timeit(fn() => 1 + 1))",
        output: "\"duration\"\n"
    ) { args, context in
        let f = try args.function("f")
        return .duration(try timedCall(f, context))
    }

    /// `bench(f, reps: 10)`: median, min and max duration over several calls.
    static let bench = Builtin(
        name: "bench", category: category,
        parameters: [.required("f", .function), .optional("reps", .integer, .number(10))],
        returns: "record",
        summary: "time `reps` calls of the zero-argument function `f` after one untimed warm-up: `{median, min, max, reps}`",
        doc: "`median`, `min` and `max` are durations (the median of an even count is the mean of the middle two); "
            + "`reps` is the number of timed calls. Measured on a monotonic clock; Ctrl-C interrupts between "
            + "calls. An error unless `reps ≥ 1`.",
        example: "bench(fn() => 2 * 3, reps: 5).reps",
        output: "5\n"
    ) { args, context in
        let f = try args.function("f")
        let reps = try args.int("reps")
        guard reps >= 1 else {
            throw args.error("reps", "`reps` must be at least 1, got \(reps)")
        }
        _ = try context.call(f, [])
        var times: [Double] = []
        times.reserveCapacity(reps)
        for _ in 0..<reps {
            try context.checkInterrupt()
            times.append(try timedCall(f, context))
        }
        times.sort()
        let middle = times.count / 2
        let median = times.count % 2 == 1 ? times[middle] : (times[middle - 1] + times[middle]) / 2
        return .record(Record([
            ("median", .duration(median)),
            ("min", .duration(times[0])),
            ("max", .duration(times[times.count - 1])),
            ("reps", .number(Double(reps))),
        ]))
    }

    /// Seconds taken by one call of `f` with no arguments, on the monotonic clock.
    private static func timedCall(_ f: Callable, _ context: RunContext) throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        _ = try context.call(f, [])
        let end = DispatchTime.now().uptimeNanoseconds
        return Double(end &- start) / 1e9
    }
}
