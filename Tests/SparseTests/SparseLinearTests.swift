import Sparse
import Testing

/// `linear` — the form the LLaMA forward calls, `out[n, rows] (+)= x[n, columns] · Wᵀ` —
/// equals the dense product for both formats, one or many positions, with and without
/// accumulation.
@Suite struct SparseLinearTests {
    static func formats(_ w: [Float], rows: Int, columns: Int) throws -> [any SparseMatrix] {
        [try NMMatrix(dense: w, rows: rows, columns: columns, n: 2, m: 4), try CSRMatrix(dense: w, rows: rows, columns: columns)]
    }

    @Test(arguments: [1, 2, 7, 33])
    func linearEqualsXTimesWTransposed(_ positions: Int) throws {
        let (rows, columns) = (45, 36)
        let w = SparseTestMatrices.nm(rows: rows, columns: columns, n: 2, m: 4, seed: 21)
        let x = SparseTestMatrices.values(positions * columns, seed: 22)
        // x · Wᵀ = (W · xᵀ)ᵀ: the reference from the dense product with xᵀ.
        var xt = [Float](repeating: 0, count: columns * positions)
        for p in 0..<positions { for c in 0..<columns { xt[c * positions + p] = x[p * columns + c] } }
        let wx = SparseTestMatrices.product(w, rows: rows, inner: columns, xt, k: positions)
        let want = (0..<positions * rows).map { e in wx[(e % rows) * positions + e / rows] }
        for a in try Self.formats(w, rows: rows, columns: columns) {
            var out = [Float](repeating: 99, count: positions * rows)
            x.withUnsafeBufferPointer { x in
                out.withUnsafeMutableBufferPointer { a.linear($0.baseAddress!, x.baseAddress!, positions: positions, accumulate: false, threads: 2) }
            }
            #expect(SparseTestMatrices.close(out, want), "\(a.formatName)")
            x.withUnsafeBufferPointer { x in
                out.withUnsafeMutableBufferPointer { a.linear($0.baseAddress!, x.baseAddress!, positions: positions, accumulate: true, threads: 1) }
            }
            #expect(SparseTestMatrices.close(out, want.map { 2 * $0 }), "\(a.formatName) accumulated")
        }
    }

    @Test func anAllZeroMatrixGivesZerosOrLeavesTheSum() throws {
        let zeros = [Float](repeating: 0, count: 8 * 4)
        for a in try Self.formats(zeros, rows: 8, columns: 4) {
            var out = [Float](repeating: 5, count: 8)
            let x: [Float] = [1, 2, 3, 4]
            x.withUnsafeBufferPointer { x in
                out.withUnsafeMutableBufferPointer { a.linear($0.baseAddress!, x.baseAddress!, positions: 1, accumulate: true, threads: 1) }
            }
            #expect(out == [Float](repeating: 5, count: 8))
            x.withUnsafeBufferPointer { x in
                out.withUnsafeMutableBufferPointer { a.linear($0.baseAddress!, x.baseAddress!, positions: 1, accumulate: false, threads: 1) }
            }
            #expect(out == [Float](repeating: 0, count: 8))
        }
    }
}
