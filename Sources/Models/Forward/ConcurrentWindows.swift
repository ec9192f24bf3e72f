import COpenBLAS
import Dispatch

/// Runs `body(i)` for `i in 0..<count` on every core, with OpenBLAS held to one thread
/// meanwhile: the windows are already parallel, and OpenBLAS's own threads would fight
/// Dispatch's for the same cores (measured: a third slower, with most time in the kernel).
/// The previous thread count is restored afterwards.
func concurrentWindows(_ count: Int, _ body: @Sendable (Int) -> Void) {
    let threads = openblas_get_num_threads()
    openblas_set_num_threads(1)
    defer { openblas_set_num_threads(threads) }
    DispatchQueue.concurrentPerform(iterations: count, execute: body)
}
