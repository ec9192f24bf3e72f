/// The n:m kernels, row ranges threaded by `RowThreads`. A row reads its kept values in order
/// with four independent accumulators (SIMD4), its x entries gathered from the packed
/// positions; 2:4 decodes one byte into four columns.
extension NMMatrix {
    public func gemv(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, accumulate: Bool, threads: Int) {
        if storage == .f32 {
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

    private func gemv<V: KeptValues>(_ values: V, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                                     _ accumulate: Bool, _ threads: Int) {
        indices.withUnsafeBufferPointer { idx in
            nonisolated(unsafe) let (x, y, idx) = (x, y, idx.baseAddress!)
            RowThreads.forEachRange(rows: rows, work: rows * keptPerRow, threads: threads) { range in
                for r in range {
                    let dot = self.rowDot(r, values, x, idx)
                    y[r] = accumulate ? y[r] + dot : dot
                }
            }
        }
    }

    private func spmm<V: KeptValues>(_ values: V, _ x: UnsafePointer<Float>, _ k: Int, _ y: UnsafeMutablePointer<Float>,
                                     _ threads: Int) {
        indices.withUnsafeBufferPointer { idx in
            nonisolated(unsafe) let (x, y, idx) = (x, y, idx.baseAddress!)
            RowThreads.forEachRange(rows: rows, work: rows * keptPerRow * k, threads: threads) { range in
                for r in range {
                    let first = r * self.keptPerRow
                    for j in 0..<self.keptPerRow {
                        SparseKernels.addScaled(y + r * k, values[first + j], x + self.column(r, j, idx) * k, count: k)
                    }
                }
            }
        }
    }

    /// Row `r` of `A` dotted with `x`.
    @inline(__always)
    private func rowDot<V: KeptValues>(_ r: Int, _ values: V, _ x: UnsafePointer<Float>, _ idx: UnsafePointer<UInt8>) -> Float {
        let kept = keptPerRow, first = r * kept
        var acc = SIMD4<Float>()
        var k = 0
        if n == 2 && m == 4 {
            // One byte holds the positions of two groups: columns base + p0, base + p1, base + 4 + p2, base + 4 + p3.
            var byte = idx + r * indexBytesPerRow
            var base = 0
            while k + 4 <= kept {
                let b = Int(byte.pointee)
                let xs = SIMD4(x[base + (b & 3)], x[base + ((b >> 2) & 3)], x[base + 4 + ((b >> 4) & 3)], x[base + 4 + (b >> 6)])
                acc.addProduct(values.four(first + k), xs)
                byte += 1
                base += 8
                k += 4
            }
        } else {
            while k + 4 <= kept {
                let xs = SIMD4(x[column(r, k, idx)], x[column(r, k + 1, idx)], x[column(r, k + 2, idx)], x[column(r, k + 3, idx)])
                acc.addProduct(values.four(first + k), xs)
                k += 4
            }
        }
        var sum = acc.sum()
        while k < kept {
            sum += values[first + k] * x[column(r, k, idx)]
            k += 1
        }
        return sum
    }

    /// The column of kept value `k` of row `r`: its group's first column plus its packed position.
    @inline(__always)
    func column(_ r: Int, _ k: Int, _ idx: UnsafePointer<UInt8>) -> Int {
        let bits = bitsPerIndex, bit = k * bits
        let word = UnsafeRawPointer(idx + r * indexBytesPerRow + (bit >> 3)).loadUnaligned(as: UInt64.self)
        return k / n * m + Int(truncatingIfNeeded: (word >> UInt64(bit & 7)) & UInt64((1 << bits) - 1))
    }
}
