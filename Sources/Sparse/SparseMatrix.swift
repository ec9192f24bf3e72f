/// What every compressed format offers: its shape and storage, expansion to dense, and two
/// pointer kernels (`y (+)= A x` and `Y += A X`) from which the extension builds the array
/// products and the linear-layer form `out (+)= x Aᵀ` that the LLaMA forward calls.
public protocol SparseMatrix: Sendable {
    /// The matrix's shape.
    var rows: Int { get }
    var columns: Int { get }
    /// The bytes the compressed matrix occupies.
    var nbytes: Int { get }
    /// The number of values stored (explicit zeros of n:m padding included).
    var storedValues: Int { get }
    /// A short name of the format: `2:4 f32`, `csr`.
    var formatName: String { get }
    /// The dense row-major matrix.
    func dense() -> [Float]
    /// `y = A x` (or `y += A x` with `accumulate`) for `x` of `columns` and `y` of `rows`
    /// elements, over up to `threads` threads.
    func gemv(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, accumulate: Bool, threads: Int)
    /// `Y += A X` for `X` row-major `[columns, k]` and `Y` `[rows, k]`.
    func spmm(_ x: UnsafePointer<Float>, k: Int, into y: UnsafeMutablePointer<Float>, threads: Int)
}

extension SparseMatrix {
    /// `A x` for `x` of `columns` elements.
    public func multiply(vector x: [Float], threads: Int = 2) throws(SparseError) -> [Float] {
        try checkInner(x.count, "vector")
        var y = [Float](repeating: 0, count: rows)
        guard rows > 0, storedValues > 0 else { return y }
        x.withUnsafeBufferPointer { x in
            y.withUnsafeMutableBufferPointer { gemv(x.baseAddress!, into: $0.baseAddress!, accumulate: false, threads: threads) }
        }
        return y
    }

    /// `A X` for `X` row-major `[columns, k]`; the result is `[rows, k]`.
    public func multiply(matrix x: [Float], k: Int, threads: Int = 2) throws(SparseError) -> [Float] {
        guard k > 0, x.count % k == 0 else { throw SparseError("expected a right-hand side of k > 0 columns", kind: .shape) }
        try checkInner(x.count / k, "matrix")
        var y = [Float](repeating: 0, count: rows * k)
        guard rows > 0, storedValues > 0 else { return y }
        x.withUnsafeBufferPointer { x in
            y.withUnsafeMutableBufferPointer { spmm(x.baseAddress!, k: k, into: $0.baseAddress!, threads: threads) }
        }
        return y
    }

    /// A linear layer with this matrix as its weight `W` `[out, in]`: `out[n, rows] (+)= x[n,
    /// columns] · Wᵀ` for `n` positions, row-major. One position is a GEMV; several are
    /// transposed into `[columns, n]` for one SpMM, then transposed back.
    public func linear(_ out: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, positions n: Int, accumulate: Bool,
                       threads: Int) {
        guard rows > 0, n > 0 else { return }
        if n == 1 {
            if storedValues > 0 { gemv(x, into: out, accumulate: accumulate, threads: threads) }
            else if !accumulate { out.update(repeating: 0, count: rows) }
            return
        }
        var xt = [Float](repeating: 0, count: columns * n), y = [Float](repeating: 0, count: rows * n)
        for p in 0..<n {
            for c in 0..<columns { xt[c * n + p] = x[p * columns + c] }
        }
        if storedValues > 0 {
            xt.withUnsafeBufferPointer { xt in y.withUnsafeMutableBufferPointer { spmm(xt.baseAddress!, k: n, into: $0.baseAddress!, threads: threads) } }
        }
        for p in 0..<n {
            for r in 0..<rows { out[p * rows + r] = (accumulate ? out[p * rows + r] : 0) + y[r * n + p] }
        }
    }

    /// Checks that a right-hand side has `inner` rows, the matrix's column count.
    private func checkInner(_ inner: Int, _ what: String) throws(SparseError) {
        guard inner == columns else {
            throw SparseError("shape mismatch in `@`: the sparse matrix has \(columns) columns, the \(what) has \(inner) rows",
                              kind: .shape)
        }
    }
}

extension NMMatrix: SparseMatrix {
    public var storedValues: Int { rows * keptPerRow }
    public var formatName: String { "\(n):\(m) \(storage.rawValue)" }
}

extension CSRMatrix: SparseMatrix {
    public var storedValues: Int { nonzeros }
    public var formatName: String { "csr" }
}
