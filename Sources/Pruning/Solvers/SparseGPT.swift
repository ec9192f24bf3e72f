import COpenBLAS
import TensorModule

/// SparseGPT: prunes a linear layer and re-solves each row's surviving weights so the layer's
/// output on the calibration inputs moves as little as possible (Optimal Brain Surgeon, swept
/// over the columns left to right so one Cholesky factor serves every row).
///
/// Paper: Frantar & Alistarh, "SparseGPT: Massive Language Models Can Be Accurately Pruned in
/// One-Shot", arXiv 2301.00774 (Algorithm 1). Exact semantics: algorithms.md §4.
///
/// Everything runs in f64: dead inputs (`H_jj = 0`) get `H_jj = 1` and zero weights; `H` is
/// damped by `damp · mean(diag H)`; `U` is the upper Cholesky factor of `H⁻¹`. Each block of
/// `blocksize` columns selects its pruned weights (unstructured: the `⌊s·out·width + 1e-9⌋`
/// smallest `V²/U_jj²` over the whole block; N:M: the `m − n` smallest of each group, scored
/// on the updated weights when the sweep reaches the group), sweeps its columns with one
/// rank-1 update each, and passes its errors to the later columns with one GEMM.
public enum SparseGPT {
    /// What to remove: a fraction of each block (`sparsity`) or all but `n` of every `m`
    /// consecutive inputs of a row (`nm`).
    public enum Pattern: Sendable, Equatable {
        /// Removes `⌊s·out·width + 1e-9⌋` weights of each `out × width` block, `0 ≤ s < 1`.
        case sparsity(Double)
        /// Keeps `n` of every `m` consecutive inputs of each row, `0 < n ≤ m`.
        case nm(n: Int, m: Int)
    }

    /// The default number of columns per block.
    public static let defaultBlocksize = 128
    /// The default relative damping: `H += damp · mean(diag H) · I`.
    public static let defaultDamp = 0.01

    /// Prunes `weights` `[out, in]` with the Hessian `hessian` `[in, in]` (`XᵀX`, any positive
    /// scale): the updated weights (f32) and the bool keep-mask. Dead inputs' weights are zero
    /// even where the mask keeps them. Damping retries are reported through `warn`.
    public static func prune(weights: Tensor, hessian: Tensor, pattern: Pattern,
                             blocksize: Int = defaultBlocksize, damp: Double = defaultDamp,
                             warn: (String) -> Void = { _ in }) throws(PruningError) -> (weights: Tensor, mask: Tensor) {
        let (rows, columns) = try checkTensors(weights, hessian)
        let result = try prune(weights: weights.doubles(), rows: rows, columns: columns, hessian: hessian.doubles(),
                               pattern: pattern, blocksize: blocksize, damp: damp, warn: warn)
        return (Tensor(shape: [rows, columns], f32: result.weights.map { Float($0) }),
                Tensor(shape: [rows, columns], bool: result.mask))
    }

    /// `prune` on row-major f64 storage: `weights` holds `rows × columns` values, `hessian`
    /// `columns × columns`. Returns the updated weights in f64 and the keep-mask.
    public static func prune(weights: [Double], rows: Int, columns: Int, hessian: [Double], pattern: Pattern,
                             blocksize: Int = defaultBlocksize, damp: Double = defaultDamp,
                             warn: (String) -> Void = { _ in }) throws(PruningError) -> (weights: [Double], mask: [Bool]) {
        let result = try pruneWithLosses(weights: weights, rows: rows, columns: columns, hessian: hessian,
                                         pattern: pattern, blocksize: blocksize, damp: damp, warn: warn)
        return (result.weights, result.mask)
    }

    /// `prune` that also returns each row's `Σ_j e_j²`, which equals `ΔW_r H_damped ΔW_rᵀ`.
    static func pruneWithLosses(weights: [Double], rows: Int, columns: Int, hessian: [Double], pattern: Pattern,
                                blocksize: Int, damp: Double,
                                warn: (String) -> Void) throws(PruningError) -> (weights: [Double], mask: [Bool], losses: [Double]) {
        precondition(weights.count == rows * columns && hessian.count == columns * columns,
                     "storage does not match the given shape")
        try checkOptions(pattern: pattern, rows: rows, columns: columns, blocksize: blocksize, damp: damp)
        try checkFinite(weights, rows: rows, columns: columns, hessian: hessian)
        var w = weights
        var mask = [Bool](repeating: true, count: rows * columns)
        guard rows > 0, columns > 0 else { return (w, mask, [Double](repeating: 0, count: rows)) }
        let h = preparedHessian(hessian, weights: &w, rows: rows, columns: columns)
        let u = try dampedInverseUpperFactor(hessian: h, n: columns, damp: damp, warn: warn).factor
        let losses = sweep(&w, &mask, rows: rows, columns: columns, factor: u, pattern: pattern, blocksize: blocksize)
        return (w, mask, losses)
    }

    /// SparseGPT's no-update scores `W²/diag(U)²` on the original weights (dead inputs' weights
    /// count as zero), the OBS saliency of removing each weight alone: what
    /// `scores("sparsegpt", w, hessian)` shows and MaskLLM's default prior. f32, shaped like `w`.
    public static func scores(weights: Tensor, hessian: Tensor, damp: Double = defaultDamp,
                              warn: (String) -> Void = { _ in }) throws(PruningError) -> Tensor {
        let (rows, columns) = try checkTensors(weights, hessian)
        let s = try scores(weights: weights.doubles(), rows: rows, columns: columns, hessian: hessian.doubles(),
                           damp: damp, warn: warn)
        return Tensor(shape: [rows, columns], f32: s.map { Float($0) })
    }

    /// `scores` on row-major f64 storage, in f64.
    public static func scores(weights: [Double], rows: Int, columns: Int, hessian: [Double],
                              damp: Double = defaultDamp, warn: (String) -> Void = { _ in }) throws(PruningError) -> [Double] {
        precondition(weights.count == rows * columns && hessian.count == columns * columns,
                     "storage does not match the given shape")
        try checkDamp(damp)
        try checkFinite(weights, rows: rows, columns: columns, hessian: hessian)
        var w = weights
        guard rows > 0, columns > 0 else { return w }
        let h = preparedHessian(hessian, weights: &w, rows: rows, columns: columns)
        let u = try dampedInverseUpperFactor(hessian: h, n: columns, damp: damp, warn: warn).factor
        for r in 0..<rows {
            for j in 0..<columns {
                let d = u[j * columns + j]
                w[r * columns + j] = w[r * columns + j] * w[r * columns + j] / (d * d)
            }
        }
        return w
    }

    /// Step 1: the symmetrized f64 Hessian with dead inputs' diagonal set to 1, and those
    /// inputs' weights zeroed. (Symmetrizing is exact for a symmetric input.)
    static func preparedHessian(_ hessian: [Double], weights w: inout [Double], rows: Int, columns n: Int) -> [Double] {
        var h = hessian
        for i in 0..<n {
            for j in (i + 1)..<max(n, i + 1) {
                let s = (h[i * n + j] + h[j * n + i]) / 2
                h[i * n + j] = s
                h[j * n + i] = s
            }
        }
        for j in 0..<n where h[j * n + j] == 0 {
            h[j * n + j] = 1
            for r in 0..<rows { w[r * n + j] = 0 }
        }
        return h
    }

    /// Steps 4–5: the blocked OBS sweep over `w` in place, recording the keep-mask. Returns
    /// each row's `Σ_j e_j²` (twice the OBS loss the row's pruning adds).
    static func sweep(_ w: inout [Double], _ mask: inout [Bool], rows: Int, columns n: Int, factor u: [Double],
                      pattern: Pattern, blocksize: Int) -> [Double] {
        let block = min(blocksize, n)
        let nm: (n: Int, m: Int)? = if case .nm(let keep, let m) = pattern { (keep, m) } else { nil }
        let groupLength = nm?.m ?? 1
        // Scratch, allocated once: diag(U)² (the scores' denominators), the block's errors E
        // `[rows, width]`, and one N:M group's scores and order.
        let diagonal = UnsafeMutablePointer<Double>.allocate(capacity: n)
        let errors = UnsafeMutablePointer<Double>.allocate(capacity: rows * block)
        let groupScores = UnsafeMutablePointer<Double>.allocate(capacity: groupLength)
        let groupOrder = UnsafeMutablePointer<Int>.allocate(capacity: groupLength)
        defer {
            diagonal.deallocate()
            errors.deallocate()
            groupScores.deallocate()
            groupOrder.deallocate()
        }
        for j in 0..<n { diagonal[j] = u[j * n + j] * u[j * n + j] }
        var selection = BlockSelection(capacity: nm == nil ? rows * block : 0)
        var losses = [Double](repeating: 0, count: rows)
        w.withUnsafeMutableBufferPointer { wb in
            mask.withUnsafeMutableBufferPointer { mb in
                u.withUnsafeBufferPointer { ub in
                    guard let wp = wb.baseAddress, let mp = mb.baseAddress, let up = ub.baseAddress else { return }
                    var a = 0
                    while a < n {
                        let b = min(a + block, n), width = b - a
                        if case .sparsity(let s) = pattern {
                            let count = prunedCount(sparsity: s, length: rows * width)
                            selection.markSmallest(count, rows: rows, width: width, weights: wp + a, ld: n,
                                                   diagonal: diagonal + a, mask: mp + a)
                        }
                        for r in 0..<rows {
                            losses[r] += sweepRow(wp + r * n + a, keep: mp + r * n + a, errors: errors + r * width,
                                     factor: up + a * n + a, ld: n, diagonal: diagonal + a, width: width,
                                     nm: nm, order: groupOrder, scores: groupScores)
                        }
                        if b < n {
                            // Lazy update of the later columns: W[:, b:] −= E · U[a:b, b:].
                            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(n - b), Int32(width),
                                        -1, errors, Int32(width), up + a * n + b, Int32(n), 1, wp + b, Int32(n))
                        }
                        a = b
                    }
                }
            }
        }
        return losses
    }

    /// One row's sweep over one block: `v` the row's `width` weights from the block's first
    /// column, `factor` `U[a, a]` with leading dimension `ld`. For each column j in order: (N:M)
    /// select the group starting at j on the current weights; a pruned weight's error
    /// `e = v_j / U_jj` updates the rest of the block, `v[j+1..] −= e · U[j, j+1..]`, and is
    /// kept in `errors` for the lazy update; a kept weight has `e = 0`. Returns `Σ e²`.
    @inline(__always)
    static func sweepRow(_ v: UnsafeMutablePointer<Double>, keep: UnsafeMutablePointer<Bool>,
                         errors: UnsafeMutablePointer<Double>, factor: UnsafePointer<Double>, ld: Int,
                         diagonal: UnsafePointer<Double>, width: Int, nm: (n: Int, m: Int)?,
                         order: UnsafeMutablePointer<Int>, scores: UnsafeMutablePointer<Double>) -> Double {
        var loss = 0.0
        for c in 0..<width {
            if let nm, c % nm.m == 0 {
                selectGroup(v + c, keep: keep + c, diagonal: diagonal + c, n: nm.n, m: nm.m, order: order, scores: scores)
            }
            guard !keep[c] else {
                errors[c] = 0
                continue
            }
            let row = factor + c * ld
            let e = v[c] / row[c]
            errors[c] = e
            loss += e * e
            v[c] = 0
            if e != 0 {
                var k = c + 1
                while k < width {
                    v[k] -= e * row[k]
                    k += 1
                }
            }
        }
        return loss
    }

    /// Marks the `n` largest of the group's `m` scores `v²/diag` kept and the rest pruned;
    /// among equal scores the lower index is kept (so the higher one is removed first).
    @inline(__always)
    static func selectGroup(_ v: UnsafePointer<Double>, keep: UnsafeMutablePointer<Bool>, diagonal: UnsafePointer<Double>,
                            n: Int, m: Int, order: UnsafeMutablePointer<Int>, scores: UnsafeMutablePointer<Double>) {
        for i in 0..<m { scores[i] = v[i] * v[i] / diagonal[i] }
        if m <= 32 {
            // Insertion sort of positions by descending score; stable, so ties keep index order.
            for i in 0..<m {
                let s = scores[i]
                var p = i
                while p > 0 && scores[order[p - 1]] < s {
                    order[p] = order[p - 1]
                    p -= 1
                }
                order[p] = i
            }
        } else {
            for i in 0..<m { order[i] = i }
            var positions = UnsafeMutableBufferPointer(start: order, count: m)
            positions.sort { x, y in
                scores[x] > scores[y] || (scores[x] == scores[y] && x < y)
            }
        }
        for i in 0..<m { keep[order[i]] = i < n }
    }

    /// `⌊s·length + 1e-9⌋` (algorithms.md §0), for a sparsity already checked to lie in [0, 1).
    static func prunedCount(sparsity s: Double, length: Int) -> Int {
        (try? Tensor.maskPrunedCount(sparsity: s, length: length)) ?? 0
    }
}
