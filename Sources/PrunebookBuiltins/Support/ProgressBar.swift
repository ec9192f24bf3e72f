import Foundation
import PrunebookLanguage

/// A one-line progress bar on stderr for long builtins (perplexity, calibration), drawn only
/// when stderr is a terminal, so notebook outputs, pipes and CI logs never contain it.
/// Redraws at most ten times a second and erases itself when done.
struct ProgressBar {
    /// What is being done, e.g. `perplexity`.
    let label: String
    private let enabled: Bool
    private var lastDraw = Date.distantPast
    private var drawn = false

    /// A bar for `label`; silent unless stderr is a terminal and `TERM` is not `dumb`.
    init(_ label: String) {
        self.label = label
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        enabled = isatty(STDERR_FILENO) != 0 && term != "dumb"
    }

    /// Shows `done` of `total` units.
    mutating func update(_ done: Int, of total: Int, unit: String) {
        guard enabled, total > 0 else { return }
        let now = Date()
        guard done >= total || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        let width = 30
        let filled = min(width, done * width / total)
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        write("\r\(label) \(bar) \(done)/\(total) \(unit)\u{1B}[K")
        drawn = true
    }

    /// Erases the bar.
    mutating func finish() {
        guard drawn else { return }
        write("\r\u{1B}[K")
        drawn = false
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Runs an optimizer loop (`train`, `maskllm`): `body` gets a step callback `(done, loss)
    /// -> keepGoing` that draws the bar with the loss and returns false once Ctrl-C was
    /// pressed, so the loop stops cleanly after a finished step. After an interrupt the bar is
    /// erased and a warning says how many of `steps` ran (`completed(result)`) and that
    /// `returning` is what the call gives back.
    static func steps<R>(_ label: String, steps: Int, _ context: RunContext, returning: String,
                         completed: (R) -> Int, _ body: ((Int, Double) -> Bool) throws -> R) throws -> R {
        var bar = ProgressBar(label)
        defer { bar.finish() }
        var stopped = false
        let result = try body { done, loss in
            bar.update(done, of: steps, unit: "steps, loss \(formatNumber((loss * 1000).rounded() / 1000))")
            stopped = context.interrupt.isRequested
            return !stopped
        }
        if stopped {
            bar.finish()
            FileHandle.standardError.write(Data(("warning: \(label): interrupted after \(completed(result)) of \(steps) "
                + "steps; returning \(returning)\n").utf8))
        }
        return result
    }

    /// Runs `body` with a progress callback `(done, total)` that draws a bar for `label` in
    /// `unit`s and stops the run on Ctrl-C; the bar is erased when `body` returns or throws.
    static func reporting<R>(_ label: String, unit: String, _ context: RunContext,
                             _ body: ((Int, Int) throws -> Void) throws -> R) throws -> R {
        var bar = ProgressBar(label)
        defer { bar.finish() }
        return try body { done, total in
            bar.update(done, of: total, unit: unit)
            try context.checkInterrupt()
        }
    }
}
