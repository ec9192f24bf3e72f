import Foundation
import Testing
@testable import TensorModule

/// NumPy reference results from `Fixtures/make_linalg_fixtures.py` (`Fixtures/linalg.json`).
struct LinalgFixtures {
    let entries: [String: (shape: [Int], data: [Double])]

    static func load() throws -> LinalgFixtures {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/linalg.json")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        let root = try #require(object as? [String: Any])
        var entries: [String: (shape: [Int], data: [Double])] = [:]
        for (name, value) in root {
            let record = try #require(value as? [String: Any])
            let shape = try #require(record["shape"] as? [Int])
            let data = try #require(record["data"] as? [NSNumber]).map(\.doubleValue)
            entries[name] = (shape, data)
        }
        return LinalgFixtures(entries: entries)
    }

    /// The entry as an f32 tensor (inputs are exactly representable in f32).
    func tensor(_ name: String) throws -> Tensor {
        let entry = try #require(entries[name], "missing fixture \(name)")
        return Tensor(shape: entry.shape, f32: entry.data.map { Float($0) })
    }

    func entry(_ name: String) throws -> (shape: [Int], data: [Double]) {
        try #require(entries[name], "missing fixture \(name)")
    }
}

/// Checks shape and `|x − y| ≤ atol + rtol·|y|` elementwise against `expected`.
func linalgExpectClose(_ actual: Tensor, _ expected: (shape: [Int], data: [Double]),
                       rtol: Double, atol: Double,
                       sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.shape == expected.shape, sourceLocation: sourceLocation)
    let values = actual.doubles()
    guard values.count == expected.data.count else {
        Issue.record("count \(values.count) != \(expected.data.count)", sourceLocation: sourceLocation)
        return
    }
    for (index, (x, y)) in zip(values, expected.data).enumerated() where !(abs(x - y) <= atol + rtol * abs(y)) {
        Issue.record("element \(index): \(x) != \(y)", sourceLocation: sourceLocation)
        return
    }
}

/// `linalgExpectClose` against another tensor.
func linalgExpectClose(_ actual: Tensor, _ expected: Tensor, rtol: Double, atol: Double,
                       sourceLocation: SourceLocation = #_sourceLocation) {
    linalgExpectClose(actual, (expected.shape, expected.doubles()), rtol: rtol, atol: atol,
                      sourceLocation: sourceLocation)
}

/// The n×n identity as f32.
func linalgIdentity(_ n: Int) -> Tensor {
    var values = [Float](repeating: 0, count: n * n)
    for i in 0..<n { values[i * n + i] = 1 }
    return Tensor(shape: [n, n], f32: values)
}

/// The transpose of a 2-D tensor (test-side reference).
func linalgTranspose(_ t: Tensor) -> Tensor {
    let rows = t.shape[0], cols = t.shape[1]
    let v = t.floats()
    var out = [Float](repeating: 0, count: v.count)
    for i in 0..<rows { for j in 0..<cols { out[j * rows + i] = v[i * cols + j] } }
    return Tensor(shape: [cols, rows], f32: out)
}

// Tolerances: LAPACK works in f64 and results are rounded to f32 once, so well-conditioned
// fixtures (condition numbers below 10) agree with NumPy's f64 to a few f32 ulps: rtol 1e-5
// leaves a 100× margin; atol 1e-6 covers entries that are exactly or nearly zero.
// Reconstructions multiply f32 factors in f32, hence atol 1e-5 on O(1) entries.
@Suite struct TensorLinearAlgebraTests {
    let nonSymmetric = Tensor(shape: [3, 3], f32: [4, 1, 2, 0, 3, -1, 2, 5, 6])

    @Test func choleskyOfTwoByTwoMatchesHandComputation() throws {
        let a = Tensor(shape: [2, 2], f32: [4, 2, 2, 3])
        let l = try a.cholesky()
        linalgExpectClose(l, ([2, 2], [2, 0, 1, 2.0.squareRoot()]), rtol: 1e-6, atol: 1e-7)
    }

    @Test func choleskyReconstructsMatrixAndReadsOnlyLowerTriangle() throws {
        let a = Tensor(shape: [3, 3], f32: [25, 15, -5, 15, 18, 0, -5, 0, 11])
        let l = try a.cholesky()
        linalgExpectClose(l, ([3, 3], [5, 0, 0, 3, 3, 0, -1, 1, 3]), rtol: 1e-6, atol: 1e-6)
        linalgExpectClose(try Tensor.matmul(l, linalgTranspose(l)), a, rtol: 1e-6, atol: 1e-5)
        // Garbage in the strict upper triangle is ignored, like NumPy.
        let lowerOnly = Tensor(shape: [3, 3], f32: [25, 99, 99, 15, 18, 99, -5, 0, 11])
        #expect(try lowerOnly.cholesky() == l)
    }

    @Test func choleskyRejectsNonSquareAndIndefiniteMatrices() {
        #expect(throws: TensorError("cholesky needs a square matrix, got [3, 4]")) {
            try Tensor(shape: [3, 4], f32: [Float](repeating: 1, count: 12)).cholesky()
        }
        #expect(throws: TensorError("cholesky needs a square matrix, got [3]")) {
            try Tensor(shape: [3], f32: [1, 2, 3]).cholesky()
        }
        #expect(throws: TensorError("matrix is not positive definite (leading minor 3 is not positive)")) {
            try Tensor(shape: [3, 3], f32: [1, 0, 0, 0, 1, 0, 0, 0, -1]).cholesky()
        }
        #expect(throws: TensorError("matrix is not positive definite (leading minor 2 is not positive)")) {
            try Tensor(shape: [2, 2], f32: [1, 2, 2, 1]).cholesky()
        }
    }

    @Test func inverseOfTwoByTwoMatchesHandComputation() throws {
        let a = Tensor(shape: [2, 2], f32: [4, 7, 2, 6])
        linalgExpectClose(try a.inv(), ([2, 2], [0.6, -0.7, -0.2, 0.4]), rtol: 1e-6, atol: 1e-7)
    }

    @Test func inverseTimesMatrixIsIdentityForNonSymmetricMatrix() throws {
        let inverse = try nonSymmetric.inv()
        linalgExpectClose(try Tensor.matmul(nonSymmetric, inverse), linalgIdentity(3), rtol: 0, atol: 1e-6)
        linalgExpectClose(try Tensor.matmul(inverse, nonSymmetric), linalgIdentity(3), rtol: 0, atol: 1e-6)
    }

    @Test func inverseOfSingularMatrixThrows() {
        #expect(throws: TensorError("matrix is singular")) {
            try Tensor(shape: [2, 2], f32: [1, 2, 2, 4]).inv()
        }
        #expect(throws: TensorError("inv needs a square matrix, got [2, 3]")) {
            try Tensor(shape: [2, 3], f32: [1, 2, 3, 4, 5, 6]).inv()
        }
    }

    @Test func emptyMatricesFactorToEmptyResults() throws {
        let empty = Tensor(shape: [0, 0], f32: [])
        #expect(try empty.cholesky().shape == [0, 0])
        #expect(try empty.inv().shape == [0, 0])
        #expect(try empty.eigh().values.shape == [0])
        let svd = try Tensor(shape: [3, 0], f32: []).svd()
        #expect(svd.u.shape == [3, 0] && svd.s.shape == [0] && svd.vt.shape == [0, 0])
    }

    @Test func solveHandlesVectorAndMatrixRightHandSides() throws {
        // Non-symmetric, so a row/column-major mix-up would give a wrong answer.
        let x = Tensor(shape: [3], f32: [1, -2, 3])
        let b = try Tensor.matmul(nonSymmetric, x)
        linalgExpectClose(try Tensor.solve(nonSymmetric, b), x, rtol: 1e-6, atol: 1e-6)
        let xs = Tensor(shape: [3, 2], f32: [1, 0, -2, 1, 3, 2])
        let bs = try Tensor.matmul(nonSymmetric, xs)
        linalgExpectClose(try Tensor.solve(nonSymmetric, bs), xs, rtol: 1e-6, atol: 1e-6)
    }

    @Test func solveReportsShapeErrorsAndSingularity() {
        #expect(throws: TensorError("shape mismatch in solve: [3, 3] and [4] (matrix has 3 rows, right-hand side has 4)")) {
            try Tensor.solve(nonSymmetric, Tensor(shape: [4], f32: [1, 2, 3, 4]))
        }
        #expect(throws: TensorError("solve needs a square matrix, got [2, 3]")) {
            try Tensor.solve(Tensor(shape: [2, 3], f32: [1, 2, 3, 4, 5, 6]), Tensor(shape: [2], f32: [1, 2]))
        }
        #expect(throws: TensorError("matrix is singular")) {
            try Tensor.solve(Tensor(shape: [2, 2], f32: [1, 2, 2, 4]), Tensor(shape: [2], f32: [1, 2]))
        }
    }

    @Test func choleskyInverseInvertsTheProductOfTheFactor() throws {
        let l = Tensor(shape: [3, 3], f32: [2, 0, 0, 1, 3, 0, -1, 0.5, 1.5])
        let expected = try Tensor.matmul(l, linalgTranspose(l)).inv()
        let result = try l.choleskyInverse()
        linalgExpectClose(result, expected, rtol: 1e-5, atol: 1e-6)
        #expect(result == linalgTranspose(result))
        // Only the lower triangle is read.
        let noisy = Tensor(shape: [3, 3], f32: [2, 7, 7, 1, 3, 7, -1, 0.5, 1.5])
        #expect(try noisy.choleskyInverse() == result)
        #expect(throws: TensorError("matrix is singular")) {
            try Tensor(shape: [2, 2], f32: [1, 0, 1, 0]).choleskyInverse()
        }
    }

    @Test func lstsqSolvesExactOverAndUnderdeterminedSystems() throws {
        let x = try Tensor.lstsq(nonSymmetric, try Tensor.matmul(nonSymmetric, Tensor(shape: [3], f32: [1, 2, 3])))
        linalgExpectClose(x, ([3], [1, 2, 3]), rtol: 1e-5, atol: 1e-6)
        // Fit y = 1 + 2t through four exact points; a matrix right-hand side keeps its columns.
        let design = Tensor(shape: [4, 2], f32: [1, 0, 1, 1, 1, 2, 1, 3])
        let ys = Tensor(shape: [4, 2], f32: [1, 0, 3, 1, 5, 2, 7, 3])
        linalgExpectClose(try Tensor.lstsq(design, ys), ([2, 2], [1, 0, 2, 1]), rtol: 1e-5, atol: 1e-6)
        // Underdetermined: the minimum-norm solution.
        let wide = try Tensor.lstsq(Tensor(shape: [1, 2], f32: [1, 1]), Tensor(shape: [1], f32: [2]))
        linalgExpectClose(wide, ([2], [1, 1]), rtol: 1e-6, atol: 1e-6)
        #expect(throws: TensorError("shape mismatch in lstsq: [4, 2] and [3] (matrix has 4 rows, right-hand side has 3)")) {
            try Tensor.lstsq(design, Tensor(shape: [3], f32: [1, 2, 3]))
        }
    }

    @Test func eighOfTwoByTwoIsAscendingWithNormalisedSigns() throws {
        let (values, vectors) = try Tensor(shape: [2, 2], f32: [2, 1, 1, 2]).eigh()
        let h = 0.5.squareRoot()
        linalgExpectClose(values, ([2], [1, 3]), rtol: 1e-6, atol: 1e-6)
        // Eigenvalue 1: ±[h, −h]; the first of the equal-magnitude components is made positive.
        linalgExpectClose(vectors, ([2, 2], [h, h, -h, h]), rtol: 1e-6, atol: 1e-6)
    }

    @Test func eighReconstructsAndIsOrthonormal() throws {
        let a = Tensor(shape: [3, 3], f32: [4, 1, -2, 1, 3, 0.5, -2, 0.5, 5])
        let (values, vectors) = try a.eigh()
        let w = values.floats()
        #expect(w == w.sorted())
        let scaled = try Tensor.matmul(vectors, try values.diag())
        linalgExpectClose(try Tensor.matmul(scaled, linalgTranspose(vectors)), a, rtol: 0, atol: 1e-5)
        linalgExpectClose(try Tensor.matmul(linalgTranspose(vectors), vectors), linalgIdentity(3), rtol: 0, atol: 1e-6)
        for j in 0..<3 {
            let column = (0..<3).map { vectors.floats()[$0 * 3 + j] }
            let largest = column.max { abs($0) < abs($1) } ?? 0
            #expect(largest > 0)
        }
    }

    @Test func svdReconstructsWideAndTallMatrices() throws {
        for a in [Tensor(shape: [2, 3], f32: [3, 2, 2, 2, 3, -2]), linalgTranspose(Tensor(shape: [2, 3], f32: [3, 2, 2, 2, 3, -2]))] {
            let (u, s, vt) = try a.svd()
            let r = min(a.shape[0], a.shape[1])
            #expect(u.shape == [a.shape[0], r] && s.shape == [r] && vt.shape == [r, a.shape[1]])
            linalgExpectClose(s, ([2], [5, 3]), rtol: 1e-6, atol: 1e-6)
            let rebuilt = try Tensor.matmul(try Tensor.matmul(u, try s.diag()), vt)
            linalgExpectClose(rebuilt, a, rtol: 0, atol: 1e-5)
            linalgExpectClose(try Tensor.matmul(linalgTranspose(u), u), linalgIdentity(r), rtol: 0, atol: 1e-6)
        }
        #expect(throws: TensorError("svd needs a 2-d matrix, got [4]")) {
            try Tensor(shape: [4], f32: [1, 2, 3, 4]).svd()
        }
    }

    @Test func traceAndDiagFollowNumPy() throws {
        let a = Tensor(shape: [2, 3], f32: [1, 2, 3, 4, 5, 6])
        #expect(try a.trace() == Tensor(shape: [], f32: [6]))
        #expect(try a.diag() == Tensor(shape: [2], f32: [1, 5]))
        #expect(try Tensor(shape: [2, 2], i32: [1, 2, 3, 4]).trace() == Tensor(shape: [], i32: [5]))
        #expect(try Tensor(shape: [2], i32: [7, 8]).diag() == Tensor(shape: [2, 2], i32: [7, 0, 0, 8]))
        #expect(try Tensor(shape: [2], bool: [true, true]).diag()
            == Tensor(shape: [2, 2], bool: [true, false, false, true]))
        #expect(throws: TensorError("diag needs a 1-d or 2-d tensor, got [1, 1, 1]")) {
            try Tensor(shape: [1, 1, 1], f32: [1]).diag()
        }
        #expect(throws: TensorError("trace needs a 2-d matrix, got [3]")) {
            try Tensor(shape: [3], f32: [1, 2, 3]).trace()
        }
    }

    @Test func factorizationsMatchNumPyFixtures() throws {
        let f = try LinalgFixtures.load()
        let spd = try f.tensor("spd")
        linalgExpectClose(try spd.cholesky(), try f.entry("cholesky"), rtol: 1e-5, atol: 1e-6)
        let (values, vectors) = try spd.eigh()
        linalgExpectClose(values, try f.entry("eigh_values"), rtol: 1e-5, atol: 1e-6)
        linalgExpectClose(vectors, try f.entry("eigh_vectors"), rtol: 1e-5, atol: 1e-6)
        linalgExpectClose(try f.tensor("cholesky_f32").choleskyInverse(), try f.entry("cholesky_inverse"),
                          rtol: 1e-5, atol: 1e-6)
        let (u, s, vt) = try f.tensor("matmul_a").svd()
        linalgExpectClose(s, try f.entry("svd_s"), rtol: 1e-5, atol: 1e-6)
        linalgExpectClose(u, try f.entry("svd_u"), rtol: 1e-5, atol: 1e-6)
        linalgExpectClose(vt, try f.entry("svd_vt"), rtol: 1e-5, atol: 1e-6)
    }

    @Test func solvesMatchNumPyFixtures() throws {
        let f = try LinalgFixtures.load()
        let a = try f.tensor("solve_a"), b = try f.tensor("solve_b")
        linalgExpectClose(try Tensor.solve(a, b), try f.entry("solve_x"), rtol: 1e-5, atol: 1e-6)
        let column = Tensor(shape: [4], f32: (0..<4).map { b.floats()[$0 * 2] })
        linalgExpectClose(try Tensor.solve(a, column), try f.entry("solve_x_vector"), rtol: 1e-5, atol: 1e-6)
        linalgExpectClose(try a.inv(), try f.entry("inv"), rtol: 1e-5, atol: 1e-6)
        linalgExpectClose(try Tensor.lstsq(try f.tensor("matmul_b"), try f.tensor("vec7")),
                          try f.entry("lstsq_x"), rtol: 1e-5, atol: 1e-6)
    }
}
