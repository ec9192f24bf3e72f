import COpenBLAS

// OSSCAR's problem data and the fixed-support refit (algorithms.md §7, step 1 and 3).

extension OSSCAR {
    /// One layer's least-squares problem in f64: `H_r` `[n, n]`, `B0` and `G = H_r B0` `[n, m]`
    /// (row-major, `n` = inputs, `m` = outputs), in groups of `width` consecutive inputs.
    struct Problem {
        let n: Int, m: Int, width: Int
        /// Number of groups, `n / width`.
        let groups: Int
        /// `H + ridge·mean(diag H)·I`, symmetrized.
        var hr: [Double]
        /// `G = H_r B0`.
        var g: [Double]

        /// Step 1: `B0 = Wᵀ` with dead inputs (`H_jj = 0`) zeroed, `H_r` and `G`.
        init(weights: [Double], rows: Int, columns n: Int, gram: [Double], width: Int) {
            self.n = n
            self.m = rows
            self.width = width
            groups = n / width
            hr = [Double](repeating: 0, count: n * n)
            var mean = 0.0
            for i in 0..<n { mean += gram[i * n + i] }
            mean = n > 0 ? mean / Double(n) : 0
            let shift = OSSCAR.ridge * (mean > 0 ? mean : 1)
            for i in 0..<n {
                for j in 0..<n { hr[i * n + j] = (gram[i * n + j] + gram[j * n + i]) / 2 }
                hr[i * n + i] += shift
            }
            var b0 = OSSCAR.transposing(weights, rows: rows, columns: n)
            for j in 0..<n where gram[j * n + j] == 0 {
                for c in 0..<rows { b0[j * rows + c] = 0 }
            }
            g = Problem.product(hr, b0, n: n, m: rows)
        }

        /// `A B` for a symmetric `n × n` A and an `n × m` B (row-major).
        static func product(_ a: [Double], _ b: [Double], n: Int, m: Int) -> [Double] {
            var c = [Double](repeating: 0, count: n * m)
            guard n > 0, m > 0 else { return c }
            cblas_dsymm(CblasRowMajor, CblasLeft, CblasUpper, Int32(n), Int32(m), 1, a, Int32(n), b, Int32(m), 0, &c, Int32(m))
            return c
        }

        /// `f(B) = ½tr(BᵀH_rB) − tr(BᵀG)`.
        func objective(_ b: [Double]) -> Double {
            let hb = Problem.product(hr, b, n: n, m: m)
            var f = 0.0
            for i in 0..<(n * m) { f += b[i] * (0.5 * hb[i] - g[i]) }
            return f
        }

        /// The input columns of `groups`, in order.
        func columns(of groups: [Int]) -> [Int] {
            groups.flatMap { (($0 * width)..<(($0 + 1) * width)) }
        }

        /// A support with its optimal `B` (zero off the support), `f(B)`, and, when asked for,
        /// `Hinv`: `((H_r)_SS)⁻¹` on the support, 0 elsewhere (`n × n`).
        struct Fit {
            var kept: [Int]
            var b: [Double]
            var objective: Double
            var hinv: [Double]
        }

        /// Step 3: the refit from scratch `B_S = (H_r)_SS⁻¹ G_S` on the groups `kept` (one
        /// Cholesky solve), and `Hinv` on the support when `inverse` is set.
        func refit(groups kept: [Int], inverse: Bool) throws(PruningError) -> Fit {
            let support = columns(of: kept.sorted())
            let s = support.count
            var fit = Fit(kept: kept.sorted(), b: [Double](repeating: 0, count: n * m), objective: 0,
                          hinv: inverse ? [Double](repeating: 0, count: n * n) : [])
            guard s > 0 else { return fit }
            // Column-major (H_r)_SS (symmetric) and G_S `s × m`.
            var a = [Double](repeating: 0, count: s * s)
            for (c, j) in support.enumerated() { for (r, i) in support.enumerated() { a[c * s + r] = hr[i * n + j] } }
            var rhs = [Double](repeating: 0, count: s * max(m, 1))
            for c in 0..<m { for (r, i) in support.enumerated() { rhs[c * s + r] = g[i * m + c] } }
            guard OSSCAR.choleskySolve(&a, order: s, &rhs, columns: m) else {
                throw PruningError("the ridge Hessian is not positive definite on the kept inputs")
            }
            var f = 0.0
            for c in 0..<m {
                for (r, i) in support.enumerated() {
                    fit.b[i * m + c] = rhs[c * s + r]
                    f -= 0.5 * rhs[c * s + r] * g[i * m + c]
                }
            }
            fit.objective = f
            if inverse {
                var uplo = CChar(UInt8(ascii: "U"))
                var order = Int32(s), lda = Int32(s), info: Int32 = 0
                dpotri_(&uplo, &order, &a, &lda, &info)
                guard info == 0 else { throw PruningError("the ridge Hessian is not invertible on the kept inputs") }
                // The column-major upper triangle holds the inverse: entry (r, c), r ≤ c, at c·s + r.
                for c in 0..<s {
                    for r in 0...c {
                        let x = a[c * s + r]
                        fit.hinv[support[r] * n + support[c]] = x
                        fit.hinv[support[c] * n + support[r]] = x
                    }
                }
            }
            return fit
        }

        /// The record parts for a fit: weights `[out, in]`, mask, kept groups, objective.
        func result(_ fit: Fit) -> OSSCAR.Result {
            var mask = [Bool](repeating: false, count: m * n)
            for j in columns(of: fit.kept) { for r in 0..<m { mask[r * n + j] = true } }
            return OSSCAR.Result(weights: OSSCAR.transposing(fit.b, rows: n, columns: m), mask: mask,
                                 kept: fit.kept, objective: fit.objective)
        }
    }
}

extension OSSCAR {
    /// Solves `A X = Y` in place for a column-major SPD `A` `order × order` (overwritten by its
    /// upper Cholesky factor, `A = UᵀU`) and a column-major `Y` `order × columns`; false when
    /// A is not numerically positive definite.
    static func choleskySolve(_ a: inout [Double], order: Int, _ y: inout [Double], columns: Int) -> Bool {
        var uplo = CChar(UInt8(ascii: "U"))
        var size = Int32(order), lda = Int32(order), info: Int32 = 0
        dpotrf_(&uplo, &size, &a, &lda, &info)
        guard info == 0 else { return false }
        guard columns > 0 else { return true }
        cblas_dtrsm(CblasColMajor, CblasLeft, CblasUpper, CblasTrans, CblasNonUnit, size, Int32(columns), 1,
                    a, lda, &y, lda)
        cblas_dtrsm(CblasColMajor, CblasLeft, CblasUpper, CblasNoTrans, CblasNonUnit, size, Int32(columns), 1,
                    a, lda, &y, lda)
        return true
    }
}
