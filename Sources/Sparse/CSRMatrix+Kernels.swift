/// The CSR kernels, row ranges threaded by `RowThreads`: SpMV with four independent
/// accumulators per row, SpMM adding each stored value's multiple of a row of `X`.
extension CSRMatrix {
    public func gemv(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, accumulate: Bool, threads: Int) {
        withBuffers { v, c, s in
            nonisolated(unsafe) let (x, y, v, c, s) = (x, y, v, c, s)
            RowThreads.forEachRange(rows: rows, work: nonzeros, threads: threads) { range in
                for r in range {
                    var acc = SIMD4<Float>()
                    var i = Int(s[r])
                    let end = Int(s[r + 1])
                    while i + 4 <= end {
                        let xs = SIMD4(x[Int(c[i])], x[Int(c[i + 1])], x[Int(c[i + 2])], x[Int(c[i + 3])])
                        acc += UnsafeRawPointer(v + i).loadUnaligned(as: SIMD4<Float>.self) * xs
                        i += 4
                    }
                    var sum = acc.sum()
                    while i < end {
                        sum += v[i] * x[Int(c[i])]
                        i += 1
                    }
                    y[r] = accumulate ? y[r] + sum : sum
                }
            }
        }
    }

    public func spmm(_ x: UnsafePointer<Float>, k: Int, into y: UnsafeMutablePointer<Float>, threads: Int) {
        withBuffers { v, c, s in
            nonisolated(unsafe) let (x, y, v, c, s) = (x, y, v, c, s)
            RowThreads.forEachRange(rows: rows, work: nonzeros * k, threads: threads) { range in
                for r in range {
                    for i in Int(s[r])..<Int(s[r + 1]) { SparseKernels.addScaled(y + r * k, v[i], x + Int(c[i]) * k, count: k) }
                }
            }
        }
    }

    /// Runs `body` with base pointers to the values, column indices and row starts (shared
    /// read-only by the row threads).
    private func withBuffers(_ body: (UnsafePointer<Float>, UnsafePointer<Int32>, UnsafePointer<Int32>) -> Void) {
        values.withUnsafeBufferPointer { v in
            columnIndices.withUnsafeBufferPointer { c in
                rowStarts.withUnsafeBufferPointer { s in
                    // An empty matrix's arrays may have no storage; kernels then read nothing.
                    body(v.baseAddress ?? UnsafePointer(bitPattern: 8)!, c.baseAddress ?? UnsafePointer(bitPattern: 8)!, s.baseAddress!)
                }
            }
        }
    }
}
