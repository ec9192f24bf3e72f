import COpenBLAS

// The factor of a damped Hessian that an OBS sweep from the first column to the last needs
// (SparseGPT, arXiv 2301.00774, §3 and Algorithm 1): `U`, the upper Cholesky factor of `H⁻¹`.
//
// The textbook route is three LAPACK calls: Cholesky of H, invert (dpotri), upper Cholesky of
// H⁻¹. One Cholesky suffices: with J the reversal permutation, JHJ = L̃L̃ᵀ gives H = R Rᵀ for
// the upper triangular R = J L̃ J, so H⁻¹ = (R⁻¹)ᵀ R⁻¹ and U = R⁻¹ (Cholesky factors are unique,
// and R⁻¹ is upper triangular with a positive diagonal). The sweep never needs U whole: it
// inverts R's diagonal blocks and works with R's off-diagonal blocks (SparseGPT.sweep), so no
// n × n inverse is formed at all, without squaring H's condition number. Reversing a
// row-major symmetric matrix's flat storage is JHJ.

/// The upper triangular `R` with `H + λ·mean(diag H)·I = R Rᵀ`, so that `U = R⁻¹` is the upper
/// Cholesky factor of the damped `H⁻¹` (`diag(U) = 1 / diag(R)`), row-major `n × n` with the
/// strict lower triangle zero, and the relative damping `λ` that made `H` positive definite:
/// `damp` first, then ×10 up to `retries` times (each retry reported through `warn`), then an
/// error. `hessian` is row-major `n × n` f32 or f64, read as symmetric (`(H_ij + H_ji)/2`, exact
/// for a symmetric input); inputs marked `dead` count as `H_jj = 1` (their rows and columns
/// are zero).
func dampedHessianFactor<T: BinaryFloatingPoint>(hessian h: UnsafeBufferPointer<T>, n: Int, dead: [Bool], damp: Double,
                                                 retries: Int = 3,
                                                 warn: (String) -> Void) throws(PruningError) -> (factor: [Double], damp: Double) {
    precondition(h.count == n * n && dead.count == n, "hessian storage does not hold n × n values")
    guard n > 0 else { return ([], damp) }
    var mean = 0.0
    for i in 0..<n { mean += dead[i] ? 1 : Double(h[i * n + i]) }
    mean /= Double(n)
    // Zero-filled once: only the lower triangle (row-major) is ever written, so after the final
    // reversal the strict lower triangle of R is zero.
    var a = [Double](repeating: 0, count: n * n)
    let attempts = damp > 0 ? retries + 1 : 1
    var lambda = damp
    for attempt in 0..<attempts {
        lambda = retryDamping(damp, attempt)
        if attempt > 0 {
            let previous = retryDamping(damp, attempt - 1)
            warn("the Hessian is not positive definite with damping \(previous)·mean(diag); retrying with \(lambda)·mean(diag)")
        }
        if reversedFactor(h, n: n, dead: dead, shift: lambda * mean, into: &a) {
            // a holds L̃ = J R J in its lower triangle: reverse to R.
            a.reverse()
            return (a, lambda)
        }
    }
    if damp > 0 {
        throw PruningError("the Hessian is not positive definite even with damping \(lambda)·mean(diag); "
                           + "the calibration data may be degenerate — give more samples")
    }
    throw PruningError("the Hessian is not positive definite without damping; use damp > 0 (the default is 0.01)")
}

/// `damp · 10^attempt`, the power of ten exact, so 0.01 becomes 0.1, 1.0, 10.0 as written.
private func retryDamping(_ damp: Double, _ attempt: Int) -> Double {
    var factor = 1.0
    for _ in 0..<attempt { factor *= 10 }
    return damp * factor
}

/// Fills the row-major lower triangle of `a` with the reversed, symmetrized, damped Hessian
/// (`a[r, c] = sym(H)[n−1−r, n−1−c] + shift·[r = c]`, which LAPACK reads as the column-major
/// upper triangle of `J H J`), then factors it in place (column-major `JHJ = RcᵀRc`, read
/// row-major `L̃ = Rcᵀ`); false when the matrix is not (numerically) positive definite or the
/// factor is not finite. The fill runs over tiles of 64 × 64 so the transposed reads stay in
/// cache.
private func reversedFactor<T: BinaryFloatingPoint>(_ h: UnsafeBufferPointer<T>, n: Int, dead: [Bool], shift: Double,
                                                    into a: inout [Double]) -> Bool {
    a.withUnsafeMutableBufferPointer { ap in
        guard let base = ap.baseAddress else { return false }
        let tile = 64
        for r0 in stride(from: 0, to: n, by: tile) {
            for c0 in stride(from: 0, through: r0, by: tile) {
                for r in r0..<min(r0 + tile, n) {
                    let i = n - 1 - r
                    for c in c0..<min(c0 + tile, r + 1) {
                        let j = n - 1 - c
                        ap[r * n + c] = (Double(h[i * n + j]) + Double(h[j * n + i])) / 2
                    }
                }
            }
        }
        for r in 0..<n {
            let i = n - 1 - r
            ap[r * n + r] = (dead[i] ? 1 : Double(h[i * n + i])) + shift
        }
        var uplo = CChar(UInt8(ascii: "U"))
        var order = Int32(n), lda = Int32(n), info: Int32 = 0
        dpotrf_(&uplo, &order, base, &lda, &info)
        guard info == 0 else { return false }
        for i in 0..<n {
            let d = ap[i * n + i]
            guard d.isFinite, d > 0 else { return false }
        }
        return true
    }
}
