/// The n:m kernels, vectorised across rows: a block of 8 rows is one SIMD8 accumulator. For
/// kept slot k (group g) the 8 values load at once, the 8 positions unpack with vector
/// shifts, and each lane picks its x among the group's m entries with integer blends
/// (`LanePick`: 3 for 2:4), so no gather and no horizontal sum. Two blocks share each
/// group's picker; blocks are split over threads by `RowThreads`.
/// On x86-64 CPUs with AVX2 the GEMV runs the C kernel instead (`NMMatrix+NativeGEMV.swift`);
/// this one is the portable path.
extension NMMatrix {
    public func gemv(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, accumulate: Bool, threads: Int) {
        gemv(x, into: y, accumulate: accumulate, threads: threads, kernel: .best)
    }

    /// The GEMV with a chosen kernel (tests run both).
    func gemv(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, accumulate: Bool, threads: Int,
              kernel: GEMVKernel) {
        if kernel == .best && GEMVKernel.nativeAvailable {
            nativeGEMV(x, y, accumulate, threads)
        } else if storage == .f32 {
            values.withUnsafeBufferPointer { gemv(F32Values(base: $0.baseAddress!), x, y, accumulate, threads) }
        } else {
            halfValues.withUnsafeBufferPointer { gemv(F16Values(base: $0.baseAddress!), x, y, accumulate, threads) }
        }
    }

    public func spmm(_ x: UnsafePointer<Float>, k: Int, into y: UnsafeMutablePointer<Float>, threads: Int) {
        if storage == .f32 {
            values.withUnsafeBufferPointer { spmm(F32Values(base: $0.baseAddress!), x, k, y, threads) }
        } else {
            halfValues.withUnsafeBufferPointer { spmm(F16Values(base: $0.baseAddress!), x, k, y, threads) }
        }
    }

    @inline(__always)
    private func gemv<V: KeptValues>(_ values: V, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                                     _ accumulate: Bool, _ threads: Int) {
        indices.withUnsafeBufferPointer { idx in
            nonisolated(unsafe) let (x, y, idx) = (x, y, idx.baseAddress!)
            let (rows, n, m) = (rows, n, m)
            RowThreads.forEachRange(rows: blocks, work: rows * keptPerRow, threads: threads) { range in
                // Two blocks at a time share each group's picker; an odd last block pairs with itself.
                for first in stride(from: range.lowerBound, to: range.upperBound, by: 2) {
                    let second = min(first + 1, range.upperBound - 1)
                    // 2:4 with constant n and m, so the pick unrolls; any other pattern generically.
                    let dots = n == 2 && m == 4 ? self.pairDot(first, second, values, x, idx, n: 2, m: 4)
                                                : self.pairDot(first, second, values, x, idx, n: n, m: m)
                    self.store(dots.0, block: first, y, accumulate)
                    if second != first { self.store(dots.1, block: second, y, accumulate) }
                }
            }
        }
    }

    /// Writes (or adds) one block's 8 dot products to its rows of `y`.
    @inline(__always)
    private func store(_ dot: SIMD8<Float>, block: Int, _ y: UnsafeMutablePointer<Float>, _ accumulate: Bool) {
        let top = block * NMMatrix.lanes
        for lane in 0..<min(NMMatrix.lanes, rows - top) { y[top + lane] = accumulate ? y[top + lane] + dot[lane] : dot[lane] }
    }

    /// Rows `8·a ..< 8·a + 8` and `8·b ..< 8·b + 8` of `A` dotted with `x`, one row per lane.
    /// Kept slots alternate between two accumulators per block, so the adds do not wait on
    /// each other.
    @inline(__always)
    private func pairDot<V: KeptValues>(_ a: Int, _ b: Int, _ values: V, _ x: UnsafePointer<Float>, _ idx: UnsafePointer<UInt8>,
                                        n: Int, m: Int) -> (SIMD8<Float>, SIMD8<Float>) {
        let kept = keptPerRow, bits = bitsPerIndex
        var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), b0 = SIMD8<Float>(), b1 = SIMD8<Float>()
        var slotA = a * kept, slotB = b * kept
        for g in 0..<columns / m {
            let picker = LanePick(x + g * m, m: m)
            var j = 0
            while j < n {
                a0 += values.eight((slotA + j) * NMMatrix.lanes) * picker.pick(slotPositions(idx, slotA + j), bits: bits)
                b0 += values.eight((slotB + j) * NMMatrix.lanes) * picker.pick(slotPositions(idx, slotB + j), bits: bits)
                if j + 1 < n {
                    a1 += values.eight((slotA + j + 1) * NMMatrix.lanes) * picker.pick(slotPositions(idx, slotA + j + 1), bits: bits)
                    b1 += values.eight((slotB + j + 1) * NMMatrix.lanes) * picker.pick(slotPositions(idx, slotB + j + 1), bits: bits)
                }
                j += 2
            }
            slotA += n
            slotB += n
        }
        return (a0 + a1, b0 + b1)
    }

    @inline(__always)
    private func spmm<V: KeptValues>(_ values: V, _ x: UnsafePointer<Float>, _ k: Int, _ y: UnsafeMutablePointer<Float>,
                                     _ threads: Int) {
        indices.withUnsafeBufferPointer { idx in
            nonisolated(unsafe) let (x, y, idx) = (x, y, idx.baseAddress!)
            let (rows, kept) = (rows, keptPerRow)
            RowThreads.forEachRange(rows: blocks, work: rows * kept * k, threads: threads) { range in
                for block in range {
                    for lane in 0..<min(NMMatrix.lanes, rows - block * NMMatrix.lanes) {
                        let r = block * NMMatrix.lanes + lane
                        for j in 0..<kept {
                            let v = values[((block * kept) + j) * NMMatrix.lanes + lane]
                            SparseKernels.addScaled(y + r * k, v, x + self.column(r, j, idx) * k, count: k)
                        }
                    }
                }
            }
        }
    }
}
