/// Products with a CSR matrix, row ranges threaded by `RowThreads`: `y = A x` (SpMV) with
/// four independent accumulators per row, and `Y = A X` for a row-major right-hand side (SpMM).
extension CSRMatrix {
    /// `A x` for `x` of `columns` elements.
    public func multiply(vector x: [Float], threads: Int = 2) throws(SparseError) -> [Float] {
        try SparseKernels.checkInner(columns, x.count, "vector")
        var y = [Float](repeating: 0, count: rows)
        guard rows > 0, nonzeros > 0 else { return y }
        y.withUnsafeMutableBufferPointer { out in
            withBuffers(x) { v, c, s, x in
                nonisolated(unsafe) let (y, v, c, s, x) = (out.baseAddress!, v, c, s, x)
                RowThreads.forEachRange(rows: rows, work: nonzeros, threads: threads) { range in
                    for r in range {
                        var acc = SIMD4<Float>()
                        var i = Int(s[r])
                        let end = Int(s[r + 1])
                        while i + 4 <= end {
                            let xs = SIMD4(x[Int(c[i])], x[Int(c[i + 1])], x[Int(c[i + 2])], x[Int(c[i + 3])])
                            acc.addProduct(UnsafeRawPointer(v + i).loadUnaligned(as: SIMD4<Float>.self), xs)
                            i += 4
                        }
                        var sum = acc.sum()
                        while i < end {
                            sum += v[i] * x[Int(c[i])]
                            i += 1
                        }
                        y[r] = sum
                    }
                }
            }
        }
        return y
    }

    /// `A X` for `X` row-major `[columns, k]`; the result is `[rows, k]`.
    public func multiply(matrix x: [Float], k: Int, threads: Int = 2) throws(SparseError) -> [Float] {
        guard k > 0, x.count % k == 0 else { throw SparseError("expected a right-hand side of k > 0 columns", kind: .shape) }
        try SparseKernels.checkInner(columns, x.count / k, "matrix")
        var y = [Float](repeating: 0, count: rows * k)
        guard rows > 0, nonzeros > 0 else { return y }
        y.withUnsafeMutableBufferPointer { out in
            withBuffers(x) { v, c, s, x in
                nonisolated(unsafe) let (y, v, c, s, x) = (out.baseAddress!, v, c, s, x)
                RowThreads.forEachRange(rows: rows, work: nonzeros * k, threads: threads) { range in
                    for r in range {
                        for i in Int(s[r])..<Int(s[r + 1]) { SparseKernels.addScaled(y + r * k, v[i], x + Int(c[i]) * k, count: k) }
                    }
                }
            }
        }
        return y
    }

    /// Runs `body` with base pointers to the values, column indices, row starts and `x`.
    private func withBuffers(_ x: [Float], _ body: (UnsafePointer<Float>, UnsafePointer<Int32>, UnsafePointer<Int32>,
                                                     UnsafePointer<Float>) -> Void) {
        values.withUnsafeBufferPointer { v in
            columnIndices.withUnsafeBufferPointer { c in
                rowStarts.withUnsafeBufferPointer { s in
                    x.withUnsafeBufferPointer { x in body(v.baseAddress!, c.baseAddress!, s.baseAddress!, x.baseAddress!) }
                }
            }
        }
    }
}
