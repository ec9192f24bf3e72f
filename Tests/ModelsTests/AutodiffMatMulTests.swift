import COpenBLAS
import Testing
import TensorModule
@testable import Models

@Suite struct AutodiffMatMulTests {
    @Test(arguments: [([3, 4], [4, 5]), ([2, 3, 4], [2, 4, 5]), ([2, 3, 4], [4, 5]), ([3, 4], [2, 4, 5])])
    func matmulMatchesFiniteDifferences(a: [Int], b: [Int]) throws {
        let x = uniform(a, seed: 41), y = uniform(b, seed: 42)
        let error = try gradientError([x, y]) { tape, v in try tape.matmul(v[0], v[1]) }
        #expect(error < 1e-3, "\(a) @ \(b): relative error \(error)")
    }

    @Test func matmulAgreesWithTensorMatmul() throws {
        let x = uniform([2, 3, 4], seed: 43), y = uniform([2, 4, 5], seed: 44)
        let tape = Tape()
        let product = tape.value(try tape.matmul(tape.leaf(x), tape.leaf(y)))
        let expected = try Tensor.matmul(x, y)
        #expect(product.shape == expected.shape)
        #expect(zip(floats(product), floats(expected)).allSatisfy { Swift.abs($0 - $1) <= 1e-5 })
        #expect(throws: ModelError.self) { try tape.matmul(tape.leaf(x), tape.leaf(x)) }
    }

    @Test func linearIsXTimesWTransposed() throws {
        let x = uniform([5, 4], seed: 45), w = uniform([3, 4], seed: 46)
        #expect(try gradientError([x, w]) { tape, v in try tape.linear(v[0], v[1]) } < 1e-3)
        let tape = Tape()
        let y = tape.value(try tape.linear(tape.leaf(x), tape.leaf(w)))
        let expected = try Tensor.matmul(x, try w.transposed())
        #expect(zip(floats(y), floats(expected)).allSatisfy { Swift.abs($0 - $1) <= 1e-5 })
        #expect(throws: ModelError.self) { try tape.linear(tape.leaf(Tensor.ones([5, 3])), tape.leaf(w)) }
    }

    /// Products big enough to split across cores (all four transpose cases, an odd row count)
    /// equal one whole sgemm.
    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func splitProductsEqualOneWholeProduct(transA: Bool, transB: Bool) {
        let m = 301, n = 96, k = 80
        #expect(m * n * k >= parallelGemmWork)
        let a = floats(uniform(transA ? [k, m] : [m, k], seed: 50)), b = floats(uniform(transB ? [n, k] : [k, n], seed: 51))
        let lda = transA ? m : k, ldb = transB ? k : n
        var split = [Float](repeating: 0.5, count: m * n), whole = split
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in
            split.withUnsafeMutableBufferPointer { c in
                gemm(transA, transB, m, n, k, 0.75, pa.baseAddress!, lda, pb.baseAddress!, ldb, 1, c.baseAddress!, n)
            }
            whole.withUnsafeMutableBufferPointer { c in
                cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                            Int32(m), Int32(n), Int32(k), 0.75, pa.baseAddress!, Int32(lda), pb.baseAddress!, Int32(ldb),
                            1, c.baseAddress!, Int32(n))
            }
        } }
        #expect(zip(split, whole).allSatisfy { Swift.abs($0 - $1) <= 1e-5 * max(1, Swift.abs($1)) })
    }
}
