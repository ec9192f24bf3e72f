import COpenBLAS

// OSSCAR's backward elimination and local search (algorithms.md §7, steps 2 and 4): removal
// costs, the exact joint low-rank removal, and the gain of adding a group back.

extension OSSCAR.Problem {
    /// Step 2: from the full support, `groups − keep` removals in `max(1, ⌊R/perStep⌋)`
    /// near-equal steps (the first `R mod steps` one larger), each removing the cheapest groups
    /// by individual cost jointly. Returns the surviving groups, ascending.
    func backwardElimination(keep: Int, perStep: Int) throws(PruningError) -> [Int] {
        let removals = groups - keep
        guard removals > 0 else { return Array(0..<groups) }
        let full = try refit(groups: Array(0..<groups), inverse: true)
        var b = full.b, hinv = full.hinv
        var alive = Array(0..<groups)
        let steps = max(1, removals / perStep)
        for step in 0..<steps {
            let count = removals / steps + (step < removals % steps ? 1 : 0)
            let drop = cheapest(count, of: alive, b: b, hinv: hinv)
            try remove(drop, b: &b, hinv: &hinv)
            let dropped = Set(drop)
            alive.removeAll { dropped.contains($0) }
        }
        return alive
    }

    /// Step 4: from `start` (a refit with its `Hinv`), repeatedly drop the `t` cheapest groups
    /// jointly, add back the `t` excluded groups of largest gain, refit, and keep the new
    /// support only if `f` drops by more than `1e-9·|f_best|`; at most `maxIterations` rounds.
    func localSearch(from start: Fit, swap: Int, maxIterations: Int) throws(PruningError) -> Fit {
        let k = start.kept.count
        let t = min(swap, k, groups - k)
        guard t > 0 else { return start }
        var best = start
        for _ in 0..<maxIterations {
            var b = best.b, hinv = best.hinv
            let drop = cheapest(t, of: best.kept, b: b, hinv: hinv)
            try remove(drop, b: &b, hinv: &hinv)
            let dropped = Set(drop)
            let reduced = best.kept.filter { !dropped.contains($0) }
            let add = bestAdditions(t, support: reduced, b: b, hinv: hinv)
            let candidate = try refit(groups: reduced + add, inverse: true)
            guard candidate.objective < best.objective - 1e-9 * abs(best.objective) else { break }
            best = candidate
        }
        return best
    }

    /// The `count` groups of `candidates` with the smallest removal cost
    /// `δ_g = ½tr(B_gᵀ(Hinv_gg)⁻¹B_g)`; among equal costs the higher index goes first.
    func cheapest(_ count: Int, of candidates: [Int], b: [Double], hinv: [Double]) -> [Int] {
        var block = [Double](repeating: 0, count: width * width)
        var rhs = [Double](repeating: 0, count: width * max(m, 1))
        var solution = rhs
        let costs = candidates.map { group -> Double in
            let c0 = group * width
            for c in 0..<width { for r in 0..<width { block[c * width + r] = hinv[(c0 + r) * n + c0 + c] } }
            for c in 0..<m { for r in 0..<width { rhs[c * width + r] = b[(c0 + r) * m + c] } }
            return 0.5 * quadratic(&block, rhs, scratch: &solution)
        }
        let order = candidates.indices.sorted { (costs[$0], -candidates[$0]) < (costs[$1], -candidates[$1]) }
        return order.prefix(count).map { candidates[$0] }
    }

    /// The exact joint removal of `drop` (algorithms.md §7): with R its columns,
    /// `B −= Hinv[:,R](Hinv_RR)⁻¹B_R`, `Hinv −= Hinv[:,R](Hinv_RR)⁻¹Hinv[R,:]`, then rows R of
    /// B and rows and columns R of Hinv set to 0.
    func remove(_ drop: [Int], b: inout [Double], hinv: inout [Double]) throws(PruningError) {
        let rows = columns(of: drop)
        let r = rows.count
        guard r > 0 else { return }
        // Column-major Hinv_RR and the right-hand side [B_R | Hinv[R, :]] `r × (m + n)`.
        var a = [Double](repeating: 0, count: r * r)
        for (c, j) in rows.enumerated() { for (i, k) in rows.enumerated() { a[c * r + i] = hinv[k * n + j] } }
        var rhs = [Double](repeating: 0, count: r * (m + n))
        for (i, k) in rows.enumerated() {
            for c in 0..<m { rhs[c * r + i] = b[k * m + c] }
            for c in 0..<n { rhs[(m + c) * r + i] = hinv[k * n + c] }
        }
        guard OSSCAR.choleskySolve(&a, order: r, &rhs, columns: m + n) else {
            throw PruningError("the inverse Hessian of the removed groups is not positive definite")
        }
        var p = [Double](repeating: 0, count: n * r)
        for i in 0..<n { for (c, k) in rows.enumerated() { p[i * r + c] = hinv[i * n + k] } }
        // rhs read row-major is Xᵀ `(m + n) × r`: its first m rows give (Hinv_RR)⁻¹B_R transposed.
        rhs.withUnsafeBufferPointer { x in
            guard let x = x.baseAddress else { return }
            if m > 0 {
                cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(m), Int32(r), -1, p, Int32(r),
                            x, Int32(r), 1, &b, Int32(m))
            }
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(n), Int32(r), -1, p, Int32(r),
                        x + m * r, Int32(r), 1, &hinv, Int32(n))
        }
        for k in rows {
            for c in 0..<m { b[k * m + c] = 0 }
            for c in 0..<n {
                hinv[k * n + c] = 0
                hinv[c * n + k] = 0
            }
        }
    }

    /// The `count` groups outside `support` with the largest gain
    /// `½tr(r_jᵀC_j⁻¹r_j)`, `r_j = G_j − (H_r)_jS B_S`, `C_j = (H_r)_jj − (H_r)_jS Hinv_SS (H_r)_Sj`;
    /// among equal gains the lower index is added first.
    func bestAdditions(_ count: Int, support: [Int], b: [Double], hinv: [Double]) -> [Int] {
        let inside = Set(support)
        let excluded = (0..<groups).filter { !inside.contains($0) }
        let s = columns(of: support), e = columns(of: excluded)
        // Compact (H_r)_SE `|S| × |E|`, Hinv_SS, Q = Hinv_SS (H_r)_SE and the residuals
        // r_E = G_E − (H_r)_ES B_S `|E| × m`.
        var hse = [Double](repeating: 0, count: s.count * e.count)
        for (i, k) in s.enumerated() { for (c, j) in e.enumerated() { hse[i * e.count + c] = hr[k * n + j] } }
        var residual = [Double](repeating: 0, count: e.count * m)
        for (c, j) in e.enumerated() { for o in 0..<m { residual[c * m + o] = g[j * m + o] } }
        if !s.isEmpty, !e.isEmpty, m > 0 {
            var bs = [Double](repeating: 0, count: s.count * m)
            for (i, k) in s.enumerated() { for o in 0..<m { bs[i * m + o] = b[k * m + o] } }
            cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(e.count), Int32(m), Int32(s.count), -1, hse,
                        Int32(e.count), bs, Int32(m), 1, &residual, Int32(m))
        }
        var hss = [Double](repeating: 0, count: s.count * s.count)
        for (i, k) in s.enumerated() { for (c, j) in s.enumerated() { hss[i * s.count + c] = hinv[k * n + j] } }
        var q = [Double](repeating: 0, count: s.count * e.count)
        if !s.isEmpty, !e.isEmpty {
            cblas_dsymm(CblasRowMajor, CblasLeft, CblasUpper, Int32(s.count), Int32(e.count), 1, hss, Int32(s.count),
                        hse, Int32(e.count), 0, &q, Int32(e.count))
        }
        var block = [Double](repeating: 0, count: width * width)
        var rhs = [Double](repeating: 0, count: width * max(m, 1))
        var solution = rhs
        let gains = excluded.enumerated().map { position, group -> Double in
            let c0 = group * width, p0 = position * width
            for c in 0..<width {
                for r in 0..<width {
                    var x = hr[(c0 + r) * n + c0 + c]
                    for l in 0..<s.count { x -= hse[l * e.count + p0 + r] * q[l * e.count + p0 + c] }
                    block[c * width + r] = x
                }
            }
            for c in 0..<m { for r in 0..<width { rhs[c * width + r] = residual[(p0 + r) * m + c] } }
            return 0.5 * quadratic(&block, rhs, scratch: &solution)
        }
        let order = excluded.indices.sorted { (-gains[$0], excluded[$0]) < (-gains[$1], excluded[$1]) }
        return order.prefix(count).map { excluded[$0] }
    }

    /// `tr(Yᵀ A⁻¹ Y)` for a column-major SPD `A` `width × width` (overwritten) and `Y`
    /// `width × m`; 0 when A is not numerically positive definite.
    private func quadratic(_ a: inout [Double], _ y: [Double], scratch x: inout [Double]) -> Double {
        for i in 0..<(width * m) { x[i] = y[i] }
        guard OSSCAR.choleskySolve(&a, order: width, &x, columns: m) else { return 0 }
        var total = 0.0
        for i in 0..<(width * m) { total += x[i] * y[i] }
        return total
    }
}
