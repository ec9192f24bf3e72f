import COpenBLAS
import Dispatch
import Foundation

/// The cores work is spread over, read once (`activeProcessorCount` reads the cgroup files
/// on every call on Linux: measured as a visible share of a training step).
let coreCount = ProcessInfo.processInfo.activeProcessorCount

/// Runs `body(i)` for `i in 0..<count` on every core, with OpenBLAS held to one thread
/// meanwhile: the windows are already parallel, and OpenBLAS's own threads would fight
/// Dispatch's for the same cores (measured: a third slower, with most time in the kernel).
/// The thread count is restored when the last of any overlapping callers finishes.
func concurrentWindows(_ count: Int, _ body: @Sendable (Int) -> Void) {
    OpenBLASHold.shared.enter()
    defer { OpenBLASHold.shared.leave() }
    DispatchQueue.concurrentPerform(iterations: count, execute: body)
}

/// Counts the callers holding OpenBLAS to one thread: the first saves the thread count and the
/// last restores it, so overlapping callers (tests run in parallel) never leave it at one.
private final class OpenBLASHold: @unchecked Sendable {
    static let shared = OpenBLASHold()
    private let lock = NSLock()
    private var holders = 0
    private var savedThreads: Int32 = 1

    func enter() {
        lock.withLock {
            if holders == 0 {
                savedThreads = openblas_get_num_threads()
                openblas_set_num_threads(1)
            }
            holders += 1
        }
    }

    func leave() {
        lock.withLock {
            holders -= 1
            if holders == 0 { openblas_set_num_threads(savedThreads) }
        }
    }
}

/// `compute(k, &scratch)` for every window `k in 0..<count`, in batches of 32 spread over one
/// lane per core; each lane makes its scratch (a workspace) once and reuses it, and each
/// result goes to its own slot, so the results never depend on scheduling. `progress(done,
/// count)` runs on the caller's thread after each batch and may throw to stop.
func computeWindows<R: Sendable, S>(_ count: Int, filler: R, scratch: @Sendable () -> S,
                                    progress: (Int, Int) throws -> Void,
                                    _ compute: @Sendable (Int, inout S) -> R) throws -> [R] {
    let lanes = max(1, min(coreCount, count))
    var results = [R](repeating: filler, count: count)
    var scratches: [S?] = Array(repeating: nil, count: lanes)
    let batch = 32
    for first in stride(from: 0, to: count, by: batch) {
        let size = min(batch, count - first)
        results.withUnsafeMutableBufferPointer { buffer in
            scratches.withUnsafeMutableBufferPointer { lanesBuffer in
                // Each lane writes only its own scratch and its own windows' slots.
                nonisolated(unsafe) let out = buffer, own = lanesBuffer
                concurrentWindows(lanes) { lane in
                    // Taken out (not copied), so writing to it never copies the buffer.
                    var mine = own[lane].take() ?? scratch()
                    for j in stride(from: lane, to: size, by: lanes) { out[first + j] = compute(first + j, &mine) }
                    own[lane] = mine
                }
            }
        }
        try progress(first + size, count)
    }
    return results
}

/// `body(window, scratch)` for every window in `0..<count`, spread over one lane per core
/// (windows `lane, lane + lanes, …`) with OpenBLAS held to one thread; each lane owns a
/// scratch buffer of `scratchCount` floats, reused across its windows. `body` must write only
/// what belongs to its window, so results never depend on scheduling.
func concurrentWindows(_ count: Int, scratchCount: Int,
                       _ body: @Sendable (_ window: Int, _ scratch: UnsafeMutablePointer<Float>) -> Void) {
    let lanes = max(1, min(coreCount, count))
    concurrentWindows(lanes) { lane in
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: max(1, scratchCount))
        defer { scratch.deallocate() }
        for window in stride(from: lane, to: count, by: lanes) { body(window, scratch) }
    }
}
