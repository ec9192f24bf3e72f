import Dispatch
import PrunebookLanguage

/// `:time EXPR`: runs `EXPR` once to warm up, then again and again until the timed runs
/// took at least `minimumSeconds` in total (and at least `minimumRuns` of them), or
/// `maximumRuns` were made; reports the median as `~1.23 µs (median of 100 runs)`.
///
/// `EXPR` (one or more statements) becomes the body of a zero-argument function, compiled
/// once, so parsing is not timed and assignments inside it bind locals rather than
/// changing the session's variables.
enum TimeCommand {
    /// Timed runs stop once their total reaches this many seconds…
    static let minimumSeconds = 0.2
    /// …and at least this many were made…
    static let minimumRuns = 3
    /// …or when this many were made.
    static let maximumRuns = 100

    /// The function whose body is `code`: `code` is checked for syntax on its own first
    /// (so errors point into it), then wrapped as `fn() { code }` with its lines numbered
    /// as the user typed them. `cell` numbers the input in diagnostics.
    static func compile(_ code: String, cell: Int, in context: RunContext) throws -> Callable {
        var parser = try Parser(source: SourceFile(name: "<repl>", text: code, cell: cell), maxDepth: context.limits.parserDepth)
        _ = try parser.parseProgram()
        let wrapped = SourceFile(name: "<repl>", text: "fn() {\n\(code)\n}", cell: cell, lineOffset: -1)
        guard case .function(let function)? = try context.run(wrapped) else {
            preconditionFailure("a `fn() { … }` expression did not evaluate to a function")
        }
        return function
    }

    /// The median duration in seconds of repeated calls of `function` and the number of
    /// timed calls. Throws the function's errors, and `interrupted` between calls when the
    /// interrupt flag is set.
    static func measure(_ function: Callable, in context: RunContext) throws -> (median: Double, runs: Int) {
        _ = try context.call(function, [])
        var times: [Double] = []
        var total = 0.0
        while times.count < maximumRuns && (times.count < minimumRuns || total < minimumSeconds) {
            try context.checkInterrupt()
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try context.call(function, [])
            let seconds = Double(DispatchTime.now().uptimeNanoseconds &- start) / 1e9
            times.append(seconds)
            total += seconds
        }
        times.sort()
        let middle = times.count / 2
        let median = times.count % 2 == 1 ? times[middle] : (times[middle - 1] + times[middle]) / 2
        return (median, times.count)
    }

    /// `~1.23 µs (median of 100 runs)`.
    static func report(median: Double, runs: Int) -> String {
        "\(formatDuration(median)) (median of \(runs) runs)\n"
    }
}
