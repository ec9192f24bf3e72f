import Foundation
import TensorModule

// Steps 2–3 of TSENOR (algorithms.md §9): log-domain Dykstra on every m×m block. Four blocks
// at a time share SIMD lanes (lane w holds block b₀ + w, cell by cell), so every step, the
// row/column maxima, the exps and the logs, is lane-wise vector arithmetic over contiguous
// memory, with no horizontal reductions; a group's L and Q (2·m² vectors, 16 KB at m = 16)
// stay in L1 for all the iterations. Lanes never mix, so each block's plan is the same
// whatever the grouping, the chunking or the thread count.

extension TSENOR {
    /// Blocks per SIMD lane group.
    static let lanes = 4
    typealias Lanes = SIMD4<Double>

    /// Steps 2–3 on block-ordered `|scores|`: the plan `exp(L)` in the same layout.
    static func dykstra(_ raw: [Double], layout: BlockLayout, n: Int, iterations: Int, epsilon: Double) -> [Double] {
        var plan = [Double](repeating: 0, count: raw.count)
        let m = layout.m, cells = layout.cells, tau = 1 / epsilon, logN = Lanes(repeating: log(Double(n)))
        raw.withUnsafeBufferPointer { rp in
            plan.withUnsafeMutableBufferPointer { pp in
                nonisolated(unsafe) let (source, target) = (rp, pp)
                layout.forEachChunk { blocks in
                    var l = [Lanes](repeating: .zero, count: cells)
                    var q = [Lanes](repeating: .zero, count: cells)
                    l.withUnsafeMutableBufferPointer { lv in
                        q.withUnsafeMutableBufferPointer { qv in
                            for first in stride(from: blocks.lowerBound, to: blocks.upperBound, by: lanes) {
                                let group = first..<min(first + lanes, blocks.upperBound)
                                load(source, blocks: group, cells: cells, tau: tau, into: lv)
                                for k in 0..<cells { qv[k] = .zero }
                                for _ in 0..<iterations {
                                    for i in 0..<m { normalise(lv, start: i * m, stride: 1, m: m, logN: logN) }
                                    for j in 0..<m { normalise(lv, start: j, stride: m, m: m, logN: logN) }
                                    for k in 0..<cells {
                                        let t = lv[k] + qv[k]
                                        lv[k] = pointwiseMin(t, .zero)
                                        qv[k] = t - lv[k]
                                    }
                                }
                                for k in 0..<cells {
                                    let p = vectorExp(lv[k])
                                    for (w, b) in group.enumerated() { target[b * cells + k] = p[w] }
                                }
                            }
                        }
                    }
                }
            }
        }
        return plan
    }

    /// Step 2 for a group of ≤ 4 blocks: `L = τ·|s| / max|s|` per block (0 when the block's
    /// max is 0 or not finite), lane w = block `group.lowerBound + w`; missing lanes are 0.
    @inline(__always)
    static func load(_ raw: UnsafeBufferPointer<Double>, blocks group: Range<Int>, cells: Int, tau: Double,
                     into l: UnsafeMutableBufferPointer<Lanes>) {
        var scale = Lanes.zero
        for (w, b) in group.enumerated() {
            var top = 0.0
            for k in (b * cells)..<((b + 1) * cells) { top = max(top, raw[k]) }
            scale[w] = top > 0 && top.isFinite ? tau / top : 0
        }
        for k in 0..<cells {
            var v = Lanes.zero
            for (w, b) in group.enumerated() { v[w] = raw[b * cells + k] }
            l[k] = v * scale
        }
    }

    /// `L −= logsumexp(L) − log n` over the m entries `start, start + stride, …`, lane-wise.
    @inline(__always)
    static func normalise(_ l: UnsafeMutableBufferPointer<Lanes>, start: Int, stride: Int, m: Int, logN: Lanes) {
        var top = l[start]
        for k in 1..<m { top = pointwiseMax(top, l[start + k * stride]) }
        var sum = Lanes.zero
        for k in 0..<m { sum += vectorExp(l[start + k * stride] - top) }
        let shift = top + vectorLog(sum) - logN
        for k in 0..<m { l[start + k * stride] -= shift }
    }
}
