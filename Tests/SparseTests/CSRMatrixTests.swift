import Sparse
import Testing

/// CSR round-trips, counts its bytes, and its kernels equal the dense product on random,
/// empty-row and all-zero matrices.
@Suite struct CSRMatrixTests {
    @Test(arguments: [0.0, 0.5, 0.9, 0.99, 1.0])
    func roundTripsAndEqualsTheDenseProduct(_ sparsity: Double) throws {
        for (rows, columns) in [(1, 1), (5, 3), (37, 29), (128, 257)] {
            let w = SparseTestMatrices.sparse(rows * columns, seed: UInt64(rows + columns), threshold: Float(sparsity))
            let a = try CSRMatrix(dense: w, rows: rows, columns: columns)
            #expect(a.dense() == w)
            #expect(a.nonzeros == w.filter { $0 != 0 }.count)
            let x = SparseTestMatrices.values(columns, seed: 5)
            for threads in [1, 2] {
                #expect(SparseTestMatrices.close(try a.multiply(vector: x, threads: threads),
                                                 SparseTestMatrices.product(w, rows: rows, inner: columns, x, k: 1)))
            }
            for k in [1, 4, 16, 19] {
                let xs = SparseTestMatrices.values(columns * k, seed: UInt64(k) + 100)
                #expect(SparseTestMatrices.close(try a.multiply(matrix: xs, k: k),
                                                 SparseTestMatrices.product(w, rows: rows, inner: columns, xs, k: k)))
            }
        }
    }

    @Test func emptyRowsAndBytes() throws {
        let w: [Float] = [0, 0, 0, 1, 0, 2, 0, 0, 0]
        let a = try CSRMatrix(dense: w, rows: 3, columns: 3)
        #expect(try a.multiply(vector: [1, 10, 100]) == [0, 201, 0])
        #expect(a.nbytes == 2 * 8 + 4 * 4)
    }

    @Test func largeProductsThreadWithoutChangingTheResult() throws {
        let w = SparseTestMatrices.sparse(512 * 1024, seed: 11, threshold: 0.5)
        let a = try CSRMatrix(dense: w, rows: 512, columns: 1024)
        let x = SparseTestMatrices.values(1024, seed: 12)
        #expect(try a.multiply(vector: x, threads: 1) == a.multiply(vector: x, threads: 2))
    }

    @Test func shapeMismatchIsAnError() throws {
        let a = try CSRMatrix(dense: [1, 0, 0, 1], rows: 2, columns: 2)
        #expect(throws: SparseError.self) { try a.multiply(vector: [1, 2, 3]) }
        #expect(throws: SparseError.self) { try CSRMatrix(dense: [1, 2, 3], rows: 2, columns: 2) }
    }
}
