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

/// `compute(k)` for every window `k in 0..<count`, in batches of 32 run by `concurrentWindows`,
/// each result in its own slot (so the order of the results never depends on scheduling);
/// `progress(done, count)` runs on the caller's thread after each batch and may throw to stop.
func computeWindows<R: Sendable>(_ count: Int, filler: R, progress: (Int, Int) throws -> Void,
                                 _ compute: @Sendable (Int) -> R) throws -> [R] {
    var results = [R](repeating: filler, count: count)
    let batch = 32
    for first in stride(from: 0, to: count, by: batch) {
        let size = min(batch, count - first)
        results.withUnsafeMutableBufferPointer { buffer in
            // Each iteration writes only its own slot, so the writes never overlap.
            nonisolated(unsafe) let out = buffer
            concurrentWindows(size) { j in out[first + j] = compute(first + j) }
        }
        try progress(first + size, count)
    }
    return results
}
