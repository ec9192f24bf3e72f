import Sparse
import Testing

/// The compressed n:m format round-trips, counts its bytes, rejects what is not n:m, and its
/// kernels equal the dense product.
@Suite struct NMMatrixTests {
    static let patterns: [(n: Int, m: Int)] = [(2, 4), (1, 4), (3, 4), (4, 8), (2, 8), (1, 2), (8, 16), (5, 7)]

    @Test(arguments: patterns.indices)
    func roundTripsAndEqualsTheDenseProduct(_ p: Int) throws {
        let (n, m) = Self.patterns[p]
        for (rows, columns) in [(1, m), (7, 3 * m), (33, 13 * m), (64, 32 * m)] {
            let w = SparseTestMatrices.nm(rows: rows, columns: columns, n: n, m: m, seed: UInt64(rows * 31 + columns))
            let a = try NMMatrix(dense: w, rows: rows, columns: columns, n: n, m: m)
            #expect(a.dense() == w, "\(n):\(m) [\(rows), \(columns)]")
            let x = SparseTestMatrices.values(columns, seed: 7)
            for threads in [1, 2] {
                #expect(SparseTestMatrices.close(try a.multiply(vector: x, threads: threads),
                                                 SparseTestMatrices.product(w, rows: rows, inner: columns, x, k: 1)))
            }
            for k in [1, 3, 8, 16, 17] {
                let xs = SparseTestMatrices.values(columns * k, seed: UInt64(k))
                #expect(SparseTestMatrices.close(try a.multiply(matrix: xs, k: k),
                                                 SparseTestMatrices.product(w, rows: rows, inner: columns, xs, k: k)),
                        "\(n):\(m) [\(rows), \(columns)] k \(k)")
            }
        }
    }

    @Test func largeProductsThreadWithoutChangingTheResult() throws {
        let (rows, columns) = (512, 1024)
        let w = SparseTestMatrices.nm(rows: rows, columns: columns, n: 2, m: 4, seed: 3)
        let a = try NMMatrix(dense: w, rows: rows, columns: columns, n: 2, m: 4)
        let x = SparseTestMatrices.values(columns, seed: 4)
        let one = try a.multiply(vector: x, threads: 1), two = try a.multiply(vector: x, threads: 2)
        #expect(one == two)
        #expect(SparseTestMatrices.close(one, SparseTestMatrices.product(w, rows: rows, inner: columns, x, k: 1)))
    }

    @Test func sparserGroupsAndAllZeroMatricesStoreExplicitZeros() throws {
        let w: [Float] = [0, 0, 0, 5, 0, 0, 0, 0]
        let a = try NMMatrix(dense: w, rows: 2, columns: 4, n: 2, m: 4)
        #expect(a.dense() == w)
        #expect(try a.multiply(vector: [1, 2, 3, 4]) == [20, 0])
        let zeros = try NMMatrix(dense: [Float](repeating: 0, count: 64), rows: 4, columns: 16, n: 2, m: 4)
        #expect(try zeros.multiply(vector: [Float](repeating: 1, count: 16)) == [0, 0, 0, 0])
    }

    @Test func bytesAreValuesPlusPackedPositions() throws {
        let w = SparseTestMatrices.nm(rows: 16, columns: 64, n: 2, m: 4, seed: 1)
        // 32 kept per row: 128 bytes of f32 values + 32 × 2 bits = 8 bytes of positions.
        #expect(try NMMatrix(dense: w, rows: 16, columns: 64, n: 2, m: 4).nbytes == 16 * (128 + 8))
        #expect(try NMMatrix(dense: w, rows: 16, columns: 64, n: 2, m: 4, storage: .f16).nbytes == 16 * (64 + 8))
        // 4:8 uses 3 bits per position: 32 kept × 3 bits = 12 bytes per row.
        let w48 = SparseTestMatrices.nm(rows: 8, columns: 64, n: 4, m: 8, seed: 1)
        #expect(try NMMatrix(dense: w48, rows: 8, columns: 64, n: 4, m: 8).nbytes == 8 * (128 + 12))
        // Rows are stored in blocks of 8: 2 rows take a block padded with zero rows.
        #expect(try NMMatrix(dense: Array(w48[0..<128]), rows: 2, columns: 64, n: 4, m: 8).nbytes == 8 * (128 + 12))
    }

    @Test func halfStorageRoundsValuesToF16() throws {
        let w = SparseTestMatrices.nm(rows: 8, columns: 32, n: 2, m: 4, seed: 9)
        let a = try NMMatrix(dense: w, rows: 8, columns: 32, n: 2, m: 4, storage: .f16)
        let rounded = w.map { Float(Float16($0)) }
        #expect(a.dense() == rounded)
        let x = SparseTestMatrices.values(32, seed: 2)
        #expect(SparseTestMatrices.close(try a.multiply(vector: x), SparseTestMatrices.product(rounded, rows: 8, inner: 32, x, k: 1)))
    }

    @Test func aMatrixThatIsNotNMIsAnErrorCountingTheGroupsUnlessPruned() throws {
        let w: [Float] = [1, 2, 3, 0, 1, 0, 0, 0, 4, 3, 2, 1]
        #expect(NMMatrix.violations(w, rows: 1, columns: 12, n: 2, m: 4) == 2)
        #expect(throws: SparseError.self) { try NMMatrix(dense: w, rows: 1, columns: 12, n: 2, m: 4) }
        do {
            _ = try NMMatrix(dense: w, rows: 1, columns: 12, n: 2, m: 4)
        } catch {
            #expect(error.message.hasPrefix("the matrix is not 2:4: 2 of its 3 groups of 4 have more than 2 nonzeros"))
        }
        let pruned = try NMMatrix(dense: w, rows: 1, columns: 12, n: 2, m: 4, prune: true)
        #expect(pruned.dense() == [0, 2, 3, 0, 1, 0, 0, 0, 4, 3, 0, 0])
    }

    @Test func badPatternsAndShapesAreErrors() {
        #expect(throws: SparseError.self) { try NMMatrix(dense: [1, 2, 3], rows: 1, columns: 3, n: 2, m: 4) }
        #expect(throws: SparseError.self) { try NMMatrix(dense: [1, 2, 3, 4], rows: 1, columns: 4, n: 5, m: 4) }
        #expect(throws: SparseError.self) { try NMMatrix(dense: [1, 2, 3, 4], rows: 1, columns: 4, n: 0, m: 4) }
        #expect(throws: SparseError.self) { try NMMatrix(dense: [Float](repeating: 1, count: 32), rows: 1, columns: 32, n: 2, m: 32) }
        #expect(throws: SparseError.self) { try NMMatrix(dense: [1, 2], rows: 1, columns: 4, n: 2, m: 4) }
        let a = try? NMMatrix(dense: [1, 0, 0, 1], rows: 1, columns: 4, n: 2, m: 4)
        #expect(throws: SparseError.self) { try a?.multiply(vector: [1, 2, 3]) }
        #expect(throws: SparseError.self) { try a?.multiply(matrix: [1, 2, 3], k: 1) }
    }
}
