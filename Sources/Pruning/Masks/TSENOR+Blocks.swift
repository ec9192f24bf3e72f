import Foundation
import TensorModule

// The m×m block layout shared by TSENOR and the exact reference (algorithms.md §9): a
// `[rows, cols]` score matrix is tiled into aligned m×m blocks, stored block after block in
// one flat buffer (block b, local cell (i, j) at `b·m² + i·m + j`), so every per-block loop
// runs over contiguous memory and no block allocates.

/// The aligned m×m blocks of a `[rows, columns]` matrix.
struct BlockLayout: Sendable {
    let rows: Int
    let columns: Int
    let m: Int

    /// Blocks per block-row.
    var blocksPerRow: Int { columns / m }
    /// The number of blocks.
    var count: Int { (rows / m) * (columns / m) }
    /// Cells per block.
    var cells: Int { m * m }

    /// Where row-major entry `(r, c)` sits in block order: block by block, each row-major.
    @inline(__always)
    func blockedIndex(_ r: Int, _ c: Int) -> Int {
        ((r / m) * blocksPerRow + c / m) * cells + (r % m) * m + c % m
    }

    /// `|values|` (row-major `[rows, columns]`) in block order.
    func pack(_ values: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { v in
            out.withUnsafeMutableBufferPointer { o in
                for r in 0..<rows {
                    for c in 0..<columns { o[blockedIndex(r, c)] = abs(v[r * columns + c]) }
                }
            }
        }
        return out
    }

    /// A block-ordered buffer (a mask, a plan) back in row-major order.
    func unpack<T>(_ blocked: [T]) -> [T] {
        var out = blocked
        blocked.withUnsafeBufferPointer { k in
            out.withUnsafeMutableBufferPointer { o in
                for r in 0..<rows {
                    for c in 0..<columns { o[r * columns + c] = k[blockedIndex(r, c)] }
                }
            }
        }
        return out
    }

    /// Runs `body` on consecutive ranges of blocks covering all of them, concurrently when
    /// there are at least `parallelThreshold` blocks. Blocks are independent, so the result
    /// does not depend on the split.
    func forEachChunk(_ body: @Sendable (Range<Int>) -> Void) {
        let total = count
        guard total >= TSENOR.parallelThreshold else {
            body(0..<total)
            return
        }
        let chunks = min(total / 1024, ProcessInfo.processInfo.activeProcessorCount * 4)
        DispatchQueue.concurrentPerform(iterations: chunks) { k in
            body((total * k / chunks)..<(total * (k + 1) / chunks))
        }
    }
}

/// Checks shared by `TSENOR` and `TransposableExact`.
enum TransposableInputs {
    /// Requires `0 < n ≤ m`, both dimensions multiples of m, and no NaN score.
    static func check(_ scores: ScoreMatrix, n: Int, m: Int) throws(PruningError) {
        guard n > 0, m > 0, n <= m else {
            throw PruningError("an n:m pattern keeps n of every m and needs 0 < n ≤ m, got n = \(n), m = \(m)")
        }
        for (axis, length) in [(0, scores.rows), (1, scores.columns)] where length % m != 0 {
            throw PruningError("a transposable \(n):\(m) mask tiles the matrix into \(m)×\(m) blocks, but axis \(axis) "
                               + "of shape \(formatShape(scores.shape)) has length \(length), not a multiple of \(m)",
                               kind: .shape)
        }
        if let i = scores.values.firstIndex(where: { $0.isNaN }) {
            throw PruningError("scores must not hold NaN (at flat index \(i), row \(i / max(scores.columns, 1)), "
                               + "column \(i % max(scores.columns, 1)))")
        }
    }
}
