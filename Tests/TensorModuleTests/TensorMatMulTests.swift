import Testing
@testable import TensorModule

/// A deterministic f32 tensor with entries in [-1, 1] that are multiples of 1/64.
private func patterned(_ shape: [Int], seed: Int) -> Tensor {
    let count = Tensor.elementCount(shape)
    return Tensor(shape: shape, f32: (0..<count).map { Float((($0 * 37 + seed * 11) % 129) - 64) / 64 })
}

/// Reference NumPy-style matmul in f64 with explicit loops, for operands of rank ≥ 2 whose
/// batch axes broadcast.
private func referenceMatMul(_ a: Tensor, _ b: Tensor) -> Tensor {
    let m = a.shape[a.ndim - 2], k = a.shape[a.ndim - 1], n = b.shape[b.ndim - 1]
    let aBatch = Array(a.shape.dropLast(2)), bBatch = Array(b.shape.dropLast(2))
    let rank = max(aBatch.count, bBatch.count)
    let pa = [Int](repeating: 1, count: rank - aBatch.count) + aBatch
    let pb = [Int](repeating: 1, count: rank - bBatch.count) + bBatch
    let batch = zip(pa, pb).map { max($0, $1) }
    let av = a.doubles(), bv = b.doubles()
    var out: [Float] = []
    for flat in 0..<Tensor.elementCount(batch) {
        var rest = flat, ai = 0, bi = 0, aStride = 1, bStride = 1
        for axis in stride(from: rank - 1, through: 0, by: -1) {
            let position = rest % batch[axis]
            rest /= batch[axis]
            ai += (pa[axis] == 1 ? 0 : position) * aStride
            bi += (pb[axis] == 1 ? 0 : position) * bStride
            aStride *= pa[axis]
            bStride *= pb[axis]
        }
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k { sum += av[ai * m * k + i * k + p] * bv[bi * k * n + p * n + j] }
                out.append(Float(sum))
            }
        }
    }
    return Tensor(shape: batch + [m, n], f32: out)
}

// Tolerances: f32 BLAS sums k products with rounding error below k·2⁻²⁴ relative to Σ|aᵢbᵢ|;
// with k ≤ 65 and O(1) entries that is under 4e-6 absolute, so rtol 1e-5 with atol 1e-5 holds
// with margin even where terms cancel. Small integer cases are exact.
@Suite struct TensorMatMulTests {
    @Test func twoByTwoProductMatchesHandComputation() throws {
        let a = Tensor(shape: [2, 2], f32: [1, 2, 3, 4])
        let b = Tensor(shape: [2, 2], f32: [5, 6, 7, 8])
        #expect(try Tensor.matmul(a, b) == Tensor(shape: [2, 2], f32: [19, 22, 43, 50]))
    }

    @Test func nonSquareProductMatchesReference() throws {
        let a = patterned([33, 65], seed: 1), b = patterned([65, 17], seed: 2)
        linalgExpectClose(try Tensor.matmul(a, b), referenceMatMul(a, b), rtol: 1e-5, atol: 1e-5)
    }

    @Test func vectorDotVectorIsZeroDimensional() throws {
        let a = Tensor(shape: [3], f32: [1, 2, 3]), b = Tensor(shape: [3], f32: [4, 5, 6])
        #expect(try Tensor.matmul(a, b) == Tensor(shape: [], f32: [32]))
        #expect(try Tensor.dot(a, b) == Tensor(shape: [], f32: [32]))
    }

    @Test func matrixVectorPathsDropTheVectorAxis() throws {
        let a = Tensor(shape: [2, 3], f32: [1, 2, 3, 4, 5, 6])
        let x = Tensor(shape: [3], f32: [1, 0, -1])
        #expect(try Tensor.matmul(a, x) == Tensor(shape: [2], f32: [-2, -2]))
        let y = Tensor(shape: [2], f32: [1, -1])
        #expect(try Tensor.matmul(y, a) == Tensor(shape: [3], f32: [-3, -3, -3]))
        // A single-row left matrix and a single-column right matrix keep their axes.
        let row = Tensor(shape: [1, 2], f32: [1, -1])
        #expect(try Tensor.matmul(row, a) == Tensor(shape: [1, 3], f32: [-3, -3, -3]))
        let column = Tensor(shape: [3, 1], f32: [1, 0, -1])
        #expect(try Tensor.matmul(a, column) == Tensor(shape: [2, 1], f32: [-2, -2]))
        #expect(try Tensor.matmul(row, Tensor(shape: [2, 1], f32: [3, 1])) == Tensor(shape: [1, 1], f32: [2]))
    }

    @Test func batchedProductsBroadcastBatchAxes() throws {
        let cases: [([Int], [Int])] = [
            ([2, 3, 4], [2, 4, 5]),        // equal batches
            ([2, 1, 3, 4], [3, 4, 2]),     // broadcast on both sides
            ([2, 3, 4], [4, 5]),           // shared right matrix
            ([3, 4], [2, 4, 5]),           // shared left matrix
            ([2, 1, 4], [2, 4, 1]),        // single rows and columns per batch
        ]
        for (index, (sa, sb)) in cases.enumerated() {
            let a = patterned(sa, seed: index), b = patterned(sb, seed: index + 7)
            linalgExpectClose(try Tensor.matmul(a, b), referenceMatMul(a, b), rtol: 1e-5, atol: 1e-5)
        }
    }

    @Test func vectorOperandsAgainstBatchedMatrices() throws {
        let v = Tensor(shape: [4], f32: [1, 2, 3, 4])
        let b = patterned([2, 4, 3], seed: 3)
        var vRow = v
        vRow.setShape([1, 4])
        var expected = referenceMatMul(vRow, b)
        expected.setShape([2, 3])
        linalgExpectClose(try Tensor.matmul(v, b), expected, rtol: 1e-5, atol: 1e-5)
        let a = patterned([2, 3, 4], seed: 4)
        var vColumn = v
        vColumn.setShape([4, 1])
        var expectedRight = referenceMatMul(a, vColumn)
        expectedRight.setShape([2, 3])
        linalgExpectClose(try Tensor.matmul(a, v), expectedRight, rtol: 1e-5, atol: 1e-5)
    }

    @Test func innerDimensionMismatchNamesBothShapes() {
        let a = Tensor(shape: [4, 8], f32: [Float](repeating: 1, count: 32))
        #expect(throws: TensorError("shape mismatch in `@`: [4, 8] @ [4, 8] (inner dimensions 8 and 4 differ)")) {
            try Tensor.matmul(a, a)
        }
        #expect(throws: TensorError("shape mismatch in `@`: [3] @ [4] (inner dimensions 3 and 4 differ)")) {
            try Tensor.matmul(Tensor(shape: [3], f32: [1, 2, 3]), Tensor(shape: [4], f32: [1, 2, 3, 4]))
        }
        #expect(throws: TensorError("shape mismatch in `@`: [2, 1, 2] @ [3, 2, 1] (batch dimensions [2] and [3] cannot broadcast)")) {
            try Tensor.matmul(patterned([2, 1, 2], seed: 0), patterned([3, 2, 1], seed: 0))
        }
        #expect(throws: TensorError("`@` needs operands with at least 1 dimension, got [] @ [1]")) {
            try Tensor.matmul(Tensor(shape: [], f32: [1]), Tensor(shape: [1], f32: [1]))
        }
    }

    @Test func emptyDimensionsGiveEmptyOrZeroResults() throws {
        let zeroK = try Tensor.matmul(Tensor(shape: [2, 0], f32: []), Tensor(shape: [0, 3], f32: []))
        #expect(zeroK == Tensor(shape: [2, 3], f32: [Float](repeating: 0, count: 6)))
        #expect(try Tensor.matmul(Tensor(shape: [0, 3], f32: []), patterned([3, 4], seed: 1)).shape == [0, 4])
        #expect(try Tensor.matmul(patterned([3], seed: 1), Tensor(shape: [3, 0], f32: [])).shape == [0])
        #expect(try Tensor.dot(Tensor(shape: [0], f32: []), Tensor(shape: [0], f32: [])) == Tensor(shape: [], f32: [0]))
        #expect(try Tensor.matmul(Tensor(shape: [0, 2, 3], f32: []), patterned([3, 2], seed: 1)).shape == [0, 2, 2])
    }

    @Test func integerAndBoolOperandsMultiplyAsFloats() throws {
        let a = Tensor(shape: [2, 2], i32: [1, 2, 3, 4])
        let mask = Tensor(shape: [2, 2], bool: [true, false, false, true])
        let product = try Tensor.matmul(a, mask)
        #expect(product == Tensor(shape: [2, 2], f32: [1, 2, 3, 4]))
        #expect(product.dtype == .f32)
    }

    @Test func dotRequiresEqualLengthVectors() {
        #expect(throws: TensorError("dot needs two 1-d tensors, got [2, 3] and [3]")) {
            try Tensor.dot(patterned([2, 3], seed: 0), patterned([3], seed: 0))
        }
        #expect(throws: TensorError("shape mismatch in dot: [3] and [4] (lengths 3 and 4 differ)")) {
            try Tensor.dot(patterned([3], seed: 0), patterned([4], seed: 0))
        }
    }

    @Test func outerProductFlattensOperands() throws {
        let a = Tensor(shape: [2], f32: [1, 2]), b = Tensor(shape: [3], i32: [3, 4, 5])
        #expect(try Tensor.outer(a, b) == Tensor(shape: [2, 3], f32: [3, 4, 5, 6, 8, 10]))
        let grid = Tensor(shape: [1, 2], f32: [1, -1])
        #expect(try Tensor.outer(grid, grid) == Tensor(shape: [2, 2], f32: [1, -1, -1, 1]))
        #expect(try Tensor.outer(Tensor(shape: [0], f32: []), a).shape == [0, 2])
    }

    @Test func productsMatchNumPyFixtures() throws {
        let f = try LinalgFixtures.load()
        let a = try f.tensor("matmul_a"), b = try f.tensor("matmul_b"), v = try f.tensor("vec7")
        linalgExpectClose(try Tensor.matmul(a, b), try f.entry("matmul_ab"), rtol: 1e-5, atol: 1e-6)
        linalgExpectClose(try Tensor.matmul(a, v), try f.entry("matmul_a_vec"), rtol: 1e-5, atol: 1e-6)
        linalgExpectClose(try Tensor.matmul(v, b), try f.entry("matmul_vec_b"), rtol: 1e-5, atol: 1e-6)
        linalgExpectClose(try Tensor.matmul(try f.tensor("batch_a"), try f.tensor("batch_b")),
                          try f.entry("batch_ab"), rtol: 1e-5, atol: 1e-6)
    }
}
