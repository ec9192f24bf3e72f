import COpenBLAS

// Factorizations and solves through LAPACK in f64; results are f32. LAPACK is column-major:
// a row-major buffer read column-major is the transpose, which each routine below either
// exploits (symmetric inputs, inverses, SVD) or undoes with one transposing copy.

extension Tensor {
    /// The lower-triangular Cholesky factor `L` with `A = L Lᵀ` (LAPACK `dpotrf`).
    ///
    /// Like NumPy, only the lower triangle and diagonal of `A` are read; the strict upper
    /// triangle of the result is zero. Throws when `A` is not square or not positive definite.
    public func cholesky() throws -> Tensor {
        let n = try linalgSquareSide("cholesky")
        // Row-major lower triangle = column-major upper triangle: factor that as `UᵀU`, whose
        // column-major `U` read row-major is `L`.
        var a = doubles()
        if n > 0 {
            var uplo = linalgChar("U"), order = Int32(n), lda = Int32(n), info: Int32 = 0
            dpotrf_(&uplo, &order, &a, &lda, &info)
            try linalgCheckPositiveDefinite(info)
            for i in 0..<n { for j in (i + 1)..<n { a[i * n + j] = 0 } }
        }
        return Tensor(shape: [n, n], f32: a.map { Float($0) })
    }

    /// The inverse of a square matrix (LAPACK `dgesv` against the identity). Throws
    /// "matrix is singular" when a pivot is exactly zero.
    public func inv() throws -> Tensor {
        let n = try linalgSquareSide("inv")
        guard n > 0 else { return Tensor(shape: [0, 0], f32: []) }
        // Column-major, the buffer is Aᵀ; solving Aᵀ X = I gives X = A⁻ᵀ, which read
        // row-major is A⁻¹.
        var a = doubles()
        var b = [Double](repeating: 0, count: n * n)
        for i in 0..<n { b[i * n + i] = 1 }
        try linalgSolveColumnMajor(&a, &b, n: n, rhs: n)
        return Tensor(shape: [n, n], f32: b.map { Float($0) })
    }

    /// The solution `x` of `a x = b` for a square `a` (LAPACK `dgesv`); `b` is 1-D `[n]`
    /// (result `[n]`) or 2-D `[n, k]` (result `[n, k]`).
    public static func solve(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        let n = try a.linalgSquareSide("solve")
        guard b.ndim == 1 || b.ndim == 2 else {
            throw TensorError("solve needs a 1-d or 2-d right-hand side, got \(formatShape(b.shape))")
        }
        guard b.shape[0] == n else {
            throw TensorError(
                "shape mismatch in solve: \(formatShape(a.shape)) and \(formatShape(b.shape)) (matrix has \(n) rows, right-hand side has \(b.shape[0]))")
        }
        let rhs = b.ndim == 1 ? 1 : b.shape[1]
        guard n > 0, rhs > 0 else {
            return Tensor(shape: b.shape, f32: [Float](repeating: 0, count: b.count))
        }
        var am = linalgTransposed(a.doubles(), rows: n, cols: n)
        var bm = linalgTransposed(b.doubles(), rows: n, cols: rhs)
        try linalgSolveColumnMajor(&am, &bm, n: n, rhs: rhs)
        let x = linalgTransposed(bm, rows: rhs, cols: n)
        return Tensor(shape: b.shape, f32: x.map { Float($0) })
    }

    /// `(L Lᵀ)⁻¹` from a lower-triangular Cholesky factor `L` (this tensor), like
    /// `torch.cholesky_inverse` (LAPACK `dpotri`). Only the lower triangle is read; the
    /// result is exactly symmetric.
    public func choleskyInverse() throws -> Tensor {
        let n = try linalgSquareSide("cholesky_inverse")
        guard n > 0 else { return Tensor(shape: [0, 0], f32: []) }
        // Row-major L is column-major U = Lᵀ with U ᵀU = L Lᵀ; dpotri fills the column-major
        // upper triangle, i.e. the row-major lower one, which is mirrored afterwards.
        var a = doubles()
        var uplo = linalgChar("U"), order = Int32(n), lda = Int32(n), info: Int32 = 0
        dpotri_(&uplo, &order, &a, &lda, &info)
        precondition(info >= 0, "dpotri: illegal argument \(-info)")
        guard info == 0 else { throw TensorError("matrix is singular") }
        for i in 0..<n { for j in (i + 1)..<n { a[i * n + j] = a[j * n + i] } }
        return Tensor(shape: [n, n], f32: a.map { Float($0) })
    }

    /// The least-squares solution `x` minimising `‖a x − b‖₂` (minimum norm when `a` is
    /// rank-deficient), LAPACK `dgelsd` with NumPy's default cutoff `rcond = eps · max(m, n)`.
    /// `a` is `[m, n]`, `b` is `[m]` (result `[n]`) or `[m, k]` (result `[n, k]`).
    public static func lstsq(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        guard a.ndim == 2 else {
            throw TensorError("lstsq needs a 2-d matrix, got \(formatShape(a.shape))")
        }
        guard b.ndim == 1 || b.ndim == 2 else {
            throw TensorError("lstsq needs a 1-d or 2-d right-hand side, got \(formatShape(b.shape))")
        }
        let m = a.shape[0], n = a.shape[1]
        guard b.shape[0] == m else {
            throw TensorError(
                "shape mismatch in lstsq: \(formatShape(a.shape)) and \(formatShape(b.shape)) (matrix has \(m) rows, right-hand side has \(b.shape[0]))")
        }
        let rhs = b.ndim == 1 ? 1 : b.shape[1]
        let outShape = b.ndim == 1 ? [n] : [n, rhs]
        guard m > 0, n > 0, rhs > 0 else {
            return Tensor(shape: outShape, f32: [Float](repeating: 0, count: n * rhs))
        }
        var am = linalgTransposed(a.doubles(), rows: m, cols: n)
        // B is `[max(m, n), rhs]` column-major; its first n rows receive the solution.
        let ldb = Swift.max(m, n)
        var bm = [Double](repeating: 0, count: ldb * rhs)
        let bv = b.doubles()
        for i in 0..<m { for j in 0..<rhs { bm[j * ldb + i] = bv[i * rhs + j] } }
        var mi = Int32(m), ni = Int32(n), nrhs = Int32(rhs), lda = Int32(m), ldbi = Int32(ldb)
        var s = [Double](repeating: 0, count: Swift.min(m, n))
        var rcond = Double.ulpOfOne * Double(Swift.max(m, n))
        var rank: Int32 = 0, info: Int32 = 0
        var lwork: Int32 = -1
        var workSize = [Double](repeating: 0, count: 1)
        var iworkSize = [Int32](repeating: 0, count: 1)
        dgelsd_(&mi, &ni, &nrhs, &am, &lda, &bm, &ldbi, &s, &rcond, &rank,
                &workSize, &lwork, &iworkSize, &info)
        precondition(info == 0, "dgelsd workspace query failed: \(info)")
        lwork = Int32(workSize[0].rounded(.up))
        var work = [Double](repeating: 0, count: Swift.max(1, Int(lwork)))
        var iwork = [Int32](repeating: 0, count: Swift.max(Int(iworkSize[0]), linalgLsdIworkSize(m: m, n: n)))
        dgelsd_(&mi, &ni, &nrhs, &am, &lda, &bm, &ldbi, &s, &rcond, &rank,
                &work, &lwork, &iwork, &info)
        precondition(info >= 0, "dgelsd: illegal argument \(-info)")
        guard info == 0 else { throw TensorError("lstsq did not converge") }
        var x = [Float](repeating: 0, count: n * rhs)
        for i in 0..<n { for j in 0..<rhs { x[i * rhs + j] = Float(bm[j * ldb + i]) } }
        return Tensor(shape: outShape, f32: x)
    }

    /// Eigenvalues and eigenvectors of a symmetric matrix (LAPACK `dsyevd`), like NumPy's
    /// `eigh`: only the lower triangle is read; `values` ascending, `vectors[:, i]` the unit
    /// eigenvector of `values[i]`.
    ///
    /// Eigenvectors are defined up to sign; to make the output identical on every machine each
    /// one is flipped so that its largest-magnitude component is positive (on ties, within a
    /// relative 1e-10, the first such). Within a repeated eigenvalue the basis is still
    /// LAPACK's choice.
    public func eigh() throws -> (values: Tensor, vectors: Tensor) {
        let n = try linalgSquareSide("eigh")
        guard n > 0 else { return (Tensor(shape: [0], f32: []), Tensor(shape: [0, 0], f32: [])) }
        // Row-major lower = column-major upper.
        var a = doubles()
        var jobz = linalgChar("V"), uplo = linalgChar("U")
        var order = Int32(n), lda = Int32(n), info: Int32 = 0
        var w = [Double](repeating: 0, count: n)
        var lwork: Int32 = -1, liwork: Int32 = -1
        var workSize = [Double](repeating: 0, count: 1)
        var iworkSize = [Int32](repeating: 0, count: 1)
        dsyevd_(&jobz, &uplo, &order, &a, &lda, &w, &workSize, &lwork, &iworkSize, &liwork, &info)
        precondition(info == 0, "dsyevd workspace query failed: \(info)")
        lwork = Int32(workSize[0].rounded(.up))
        liwork = Swift.max(1, iworkSize[0])
        var work = [Double](repeating: 0, count: Swift.max(1, Int(lwork)))
        var iwork = [Int32](repeating: 0, count: Int(liwork))
        dsyevd_(&jobz, &uplo, &order, &a, &lda, &w, &work, &lwork, &iwork, &liwork, &info)
        precondition(info >= 0, "dsyevd: illegal argument \(-info)")
        guard info == 0 else { throw TensorError("eigh did not converge") }
        // Column-major Z: vector j is a[j·n ..< (j+1)·n]; transpose into row-major columns.
        var vectors = [Float](repeating: 0, count: n * n)
        for j in 0..<n {
            let sign = linalgSignOfLargest(a, start: j * n, count: n, stride: 1)
            for i in 0..<n { vectors[i * n + j] = Float(sign * a[j * n + i]) }
        }
        return (Tensor(shape: [n], f32: w.map { Float($0) }), Tensor(shape: [n, n], f32: vectors))
    }

    /// The thin singular value decomposition `A = U diag(S) Vᵀ` of an `[m, n]` matrix (LAPACK
    /// `dgesdd`), like NumPy's `svd(full_matrices=False)`: with `r = min(m, n)`, `u` is
    /// `[m, r]`, `s` is `[r]` descending, `vt` is `[r, n]`.
    ///
    /// Each column of `u` is sign-normalised so that its largest-magnitude component (on ties,
    /// within a relative 1e-10, the first such) is positive, with the matching row of `vt`
    /// flipped too.
    public func svd() throws -> (u: Tensor, s: Tensor, vt: Tensor) {
        guard ndim == 2 else {
            throw TensorError("svd needs a 2-d matrix, got \(formatShape(shape))")
        }
        let m = shape[0], n = shape[1], r = Swift.min(m, n)
        guard r > 0 else {
            return (Tensor(shape: [m, 0], f32: []), Tensor(shape: [0], f32: []),
                    Tensor(shape: [0, n], f32: []))
        }
        // Column-major, the buffer is Aᵀ `[n, m]` = U' S V'ᵀ, so A = V' S U'ᵀ: LAPACK's VT'
        // buffer (`[r, m]` column-major) read row-major is u `[m, r]`, and its U' buffer
        // (`[n, r]` column-major) read row-major is vt `[r, n]`.
        var a = doubles()
        var jobz = linalgChar("S")
        var rows = Int32(n), cols = Int32(m), lda = Int32(n), info: Int32 = 0
        var s = [Double](repeating: 0, count: r)
        var uPrime = [Double](repeating: 0, count: n * r)
        var vtPrime = [Double](repeating: 0, count: r * m)
        var ldu = Int32(n), ldvt = Int32(r)
        var iwork = [Int32](repeating: 0, count: 8 * r)
        var lwork: Int32 = -1
        var workSize = [Double](repeating: 0, count: 1)
        dgesdd_(&jobz, &rows, &cols, &a, &lda, &s, &uPrime, &ldu, &vtPrime, &ldvt,
                &workSize, &lwork, &iwork, &info)
        precondition(info == 0, "dgesdd workspace query failed: \(info)")
        lwork = Int32(workSize[0].rounded(.up))
        var work = [Double](repeating: 0, count: Swift.max(1, Int(lwork)))
        dgesdd_(&jobz, &rows, &cols, &a, &lda, &s, &uPrime, &ldu, &vtPrime, &ldvt,
                &work, &lwork, &iwork, &info)
        precondition(info >= 0, "dgesdd: illegal argument \(-info)")
        guard info == 0 else { throw TensorError("svd did not converge") }
        var u = [Float](repeating: 0, count: m * r)
        var vt = [Float](repeating: 0, count: r * n)
        for j in 0..<r {
            let sign = linalgSignOfLargest(vtPrime, start: j, count: m, stride: r)
            for i in 0..<m { u[i * r + j] = Float(sign * vtPrime[i * r + j]) }
            for i in 0..<n { vt[j * n + i] = Float(sign * uPrime[j * n + i]) }
        }
        return (Tensor(shape: [m, r], f32: u), Tensor(shape: [r], f32: s.map { Float($0) }),
                Tensor(shape: [r, n], f32: vt))
    }

    /// The sum of the main diagonal of a 2-D tensor (of its `min(m, n)` leading entries when
    /// not square), as a 0-d tensor: f32 for f32 input, i32 for i32 and bool input.
    public func trace() throws -> Tensor {
        guard ndim == 2 else {
            throw TensorError("trace needs a 2-d matrix, got \(formatShape(shape))")
        }
        let side = Swift.min(shape[0], shape[1]), cols = shape[1]
        switch data {
        case .f32(let values):
            var sum = 0.0
            for i in 0..<side { sum += Double(values[i * cols + i]) }
            return Tensor(shape: [], f32: [Float(sum)])
        case .i32, .bool:
            var sum: Int64 = 0
            for i in 0..<side { sum += Int64(element(at: i * cols + i)) }
            guard let total = Int32(exactly: sum) else {
                throw TensorError("trace \(sum) overflows i32")
            }
            return Tensor(shape: [], i32: [total])
        }
    }

    /// Like NumPy's `diag`: a 1-D tensor becomes the square matrix with it on the diagonal
    /// (zeros, or false, elsewhere); a 2-D tensor gives its main diagonal as 1-D. The dtype
    /// is kept.
    public func diag() throws -> Tensor {
        switch ndim {
        case 1:
            let n = shape[0]
            switch data {
            case .f32(let v): return Tensor(shape: [n, n], f32: linalgDiagMatrix(v, zero: 0))
            case .i32(let v): return Tensor(shape: [n, n], i32: linalgDiagMatrix(v, zero: 0))
            case .bool(let v): return Tensor(shape: [n, n], bool: linalgDiagMatrix(v, zero: false))
            }
        case 2:
            let side = Swift.min(shape[0], shape[1]), cols = shape[1]
            switch data {
            case .f32(let v): return Tensor(shape: [side], f32: (0..<side).map { v[$0 * cols + $0] })
            case .i32(let v): return Tensor(shape: [side], i32: (0..<side).map { v[$0 * cols + $0] })
            case .bool(let v): return Tensor(shape: [side], bool: (0..<side).map { v[$0 * cols + $0] })
            }
        default:
            throw TensorError("diag needs a 1-d or 2-d tensor, got \(formatShape(shape))")
        }
    }

    /// The side of a square matrix, or an error naming `operation`.
    fileprivate func linalgSquareSide(_ operation: String) throws -> Int {
        guard ndim == 2, shape[0] == shape[1] else {
            throw TensorError("\(operation) needs a square matrix, got \(formatShape(shape))")
        }
        guard shape[0] <= Int(Int32.max) else {
            throw TensorError("\(operation): matrix side \(shape[0]) exceeds the LAPACK limit of \(Int32.max)")
        }
        return shape[0]
    }
}

/// A Fortran character argument.
fileprivate func linalgChar(_ c: Unicode.Scalar) -> CChar {
    CChar(UInt8(ascii: c))
}

/// Maps `dpotrf`'s `info` to an error: positive means the leading minor of that order is not
/// positive.
fileprivate func linalgCheckPositiveDefinite(_ info: Int32) throws {
    precondition(info >= 0, "dpotrf: illegal argument \(-info)")
    if info > 0 {
        throw TensorError("matrix is not positive definite (leading minor \(info) is not positive)")
    }
}

/// Solves `A X = B` in place with `dgesv` on column-major `a` (`[n, n]`) and `b` (`[n, rhs]`),
/// `n > 0`; throws "matrix is singular" on a zero pivot.
fileprivate func linalgSolveColumnMajor(_ a: inout [Double], _ b: inout [Double], n: Int, rhs: Int) throws {
    var order = Int32(n), nrhs = Int32(rhs), lda = Int32(n), ldb = Int32(n), info: Int32 = 0
    var pivots = [Int32](repeating: 0, count: n)
    dgesv_(&order, &nrhs, &a, &lda, &pivots, &b, &ldb, &info)
    precondition(info >= 0, "dgesv: illegal argument \(-info)")
    if info > 0 { throw TensorError("matrix is singular") }
}

/// The `[cols, rows]` transpose of a row-major `[rows, cols]` matrix (equivalently, the
/// column-major copy of it).
fileprivate func linalgTransposed(_ values: [Double], rows: Int, cols: Int) -> [Double] {
    var out = [Double](repeating: 0, count: rows * cols)
    for i in 0..<rows { for j in 0..<cols { out[j * rows + i] = values[i * cols + j] } }
    return out
}

/// −1 when the sign-deciding element of `values[start + i·stride]`, `i < count`, is
/// negative, else 1. The deciding element is the first whose magnitude is within a relative
/// 1e-10 of the largest, so components equal up to rounding (e.g. ±1/√2) resolve to the first
/// on every machine.
fileprivate func linalgSignOfLargest(_ values: [Double], start: Int, count: Int, stride: Int) -> Double {
    var largest = 0.0
    for i in 0..<count { largest = max(largest, abs(values[start + i * stride])) }
    let threshold = largest * (1 - 1e-10)
    for i in 0..<count where abs(values[start + i * stride]) >= threshold {
        return values[start + i * stride] < 0 ? -1 : 1
    }
    return 1
}

/// A square row-major matrix with `diagonal` on its main diagonal and `zero` elsewhere.
fileprivate func linalgDiagMatrix<Element>(_ diagonal: [Element], zero: Element) -> [Element] {
    let n = diagonal.count
    var out = [Element](repeating: zero, count: n * n)
    for i in 0..<n { out[i * n + i] = diagonal[i] }
    return out
}

/// A safe `dgelsd` integer workspace size: LAPACK's documented minimum with its smallest
/// subproblem size 25, for when the query under-reports.
fileprivate func linalgLsdIworkSize(m: Int, n: Int) -> Int {
    let minmn = max(1, min(m, n))
    var levels = 1
    var size = minmn / 26
    while size > 0 { levels += 1; size /= 2 }
    return 3 * minmn * levels + 11 * minmn
}
