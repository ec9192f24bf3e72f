import Dispatch

/// Splits a kernel's rows over the cores: below `minimumWork` multiply-adds one thread does
/// everything (a thread hand-off costs more than it saves); above it, `threads` contiguous
/// row ranges run with `DispatchQueue.concurrentPerform`. Each range writes only its own
/// rows, so the result does not depend on the thread count.
enum RowThreads {
    /// Work (kept values × right-hand columns) below which kernels stay on one thread.
    static let minimumWork = 1 << 16

    /// Runs `body(rowRange)` over `0..<rows` in `threads` near-equal ranges (1 when the work is small).
    static func forEachRange(rows: Int, work: Int, threads: Int, _ body: @Sendable (Range<Int>) -> Void) {
        let count = work < minimumWork ? 1 : max(1, min(threads, rows))
        if count == 1 {
            body(0..<rows)
            return
        }
        DispatchQueue.concurrentPerform(iterations: count) { t in
            body(rows * t / count..<rows * (t + 1) / count)
        }
    }
}
