import COpenBLAS
import Dispatch
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
    /// What to remove, the target every pruner shares: for SparseGPT `sparsity: s` removes
    /// `⌊s·out·width + 1e-9⌋` weights of each `out × width` block (jointly over its rows), and
    /// `nm` keeps `n` of every `m` consecutive inputs of each row.
    public typealias Pattern = PruningTarget

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
        try checkOptions(pattern: pattern, rows: rows, columns: columns, blocksize: blocksize, damp: damp)
        try checkFinite(weights, hessian: false)
        try checkFinite(hessian, hessian: true)
        var w = weights.doubles()
        let (mask, _) = try withValues(of: weights) { (original: UnsafeBufferPointer<Float>) throws(PruningError) in
            try withValues(of: hessian) { (h: UnsafeBufferPointer<Float>) throws(PruningError) in
                try run(&w, original: original, rows: rows, columns: columns, hessian: h, pattern: pattern,
                        blocksize: blocksize, damp: damp, lanes: nil, warn: warn)
            }
        }
        return (Tensor(shape: [rows, columns], f32: w.map { Float($0) }), Tensor(shape: [rows, columns], bool: mask))
    }

    /// `prune` on row-major f64 storage: `weights` holds `rows × columns` values, `hessian`
    /// `columns × columns`. Returns the updated weights in f64 and the keep-mask.
    public static func prune(weights: consuming [Double], rows: Int, columns: Int, hessian: [Double],
                             pattern: Pattern, blocksize: Int = defaultBlocksize, damp: Double = defaultDamp,
                             warn: (String) -> Void = { _ in }) throws(PruningError) -> (weights: [Double], mask: [Bool]) {
        let result = try pruneWithLosses(weights: weights, rows: rows, columns: columns, hessian: hessian,
                                         pattern: pattern, blocksize: blocksize, damp: damp, warn: warn)
        return (result.weights, result.mask)
    }

    /// `prune` that also returns each row's `Σ_j e_j²`, which equals `ΔW_r H_damped ΔW_rᵀ`;
    /// `lanes` overrides the number of threads the rows are shared among (for tests).
    static func pruneWithLosses(weights: consuming [Double], rows: Int, columns: Int, hessian: [Double],
                                pattern: Pattern, blocksize: Int, damp: Double, lanes: Int? = nil,
                                warn: (String) -> Void) throws(PruningError) -> (weights: [Double], mask: [Bool], losses: [Double]) {
        precondition(weights.count == rows * columns && hessian.count == columns * columns,
                     "storage does not match the given shape")
        try checkOptions(pattern: pattern, rows: rows, columns: columns, blocksize: blocksize, damp: damp)
        try checkFinite(weights, rows: rows, columns: columns, hessian: hessian)
        let original = weights
        let (mask, losses) = try withValues(of: original) { w0 throws(PruningError) in
            try withValues(of: hessian) { h throws(PruningError) in
                try run(&weights, original: w0, rows: rows, columns: columns, hessian: h, pattern: pattern,
                        blocksize: blocksize, damp: damp, lanes: lanes, warn: warn)
            }
        }
        return (weights, mask, losses)
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
    public static func scores(weights: consuming [Double], rows: Int, columns n: Int, hessian: [Double],
                              damp: Double = defaultDamp, warn: (String) -> Void = { _ in }) throws(PruningError) -> [Double] {
        precondition(weights.count == rows * n && hessian.count == n * n, "storage does not match the given shape")
        try checkDamp(damp)
        try checkFinite(weights, rows: rows, columns: n, hessian: hessian)
        guard rows > 0, n > 0 else { return weights }
        let dead = (0..<n).map { hessian[$0 * n + $0] == 0 }
        let factor = try withValues(of: hessian) { h throws(PruningError) in
            try dampedHessianFactor(hessian: h, n: n, dead: dead, damp: damp, warn: warn).factor
        }
        for r in 0..<rows {
            for j in 0..<n {
                // diag(U) = 1 / diag(R).
                let d = 1 / factor[j * n + j], x = dead[j] ? 0 : weights[r * n + j]
                weights[r * n + j] = x * x / (d * d)
            }
        }
        return weights
    }

    /// Steps 1–5 on `w` in place (`original`: the same weights, f32 or f64, left as they are)
    /// with a Hessian of f32 or f64 values (read as symmetric: the mean of `H_ij` and `H_ji`):
    /// the keep-mask and each row's `Σ e²`.
    static func run<S: BinaryFloatingPoint & SendableMetatype, T: BinaryFloatingPoint>(
        _ w: inout [Double], original: UnsafeBufferPointer<S>, rows: Int, columns n: Int, hessian: UnsafeBufferPointer<T>,
        pattern: Pattern, blocksize: Int, damp: Double, lanes: Int?, warn: (String) -> Void
    ) throws(PruningError) -> (mask: [Bool], losses: [Double]) {
        var mask = [Bool](repeating: true, count: rows * n)
        guard rows > 0, n > 0 else { return (mask, [Double](repeating: 0, count: rows)) }
        // Dead inputs: H_jj = 1 (in the factorization) and W[:, j] = 0.
        let dead = (0..<n).map { hessian[$0 * n + $0] == 0 }
        for j in 0..<n where dead[j] {
            for r in 0..<rows { w[r * n + j] = 0 }
        }
        var factor = try dampedHessianFactor(hessian: hessian, n: n, dead: dead, damp: damp, warn: warn).factor
        let losses = sweep(&w, &mask, original: original, dead: dead, rows: rows, columns: n, factor: &factor,
                           pattern: pattern, blocksize: blocksize, lanes: lanes)
        return (mask, losses)
    }

    /// `body` over a tensor's f32 values.
    static func withValues<R>(of tensor: Tensor, _ body: (UnsafeBufferPointer<Float>) throws(PruningError) -> R) throws(PruningError) -> R {
        let values: [Float] = if case .f32(let v) = tensor.data { v } else { tensor.floats() }
        return try withValues(of: values, body)
    }

    /// `body` over an array's storage (typed-throws wrapper of `withUnsafeBufferPointer`).
    static func withValues<T, R>(of values: [T], _ body: (UnsafeBufferPointer<T>) throws(PruningError) -> R) throws(PruningError) -> R {
        var result: Result<R, PruningError> = .failure(PruningError("unreachable"))
        values.withUnsafeBufferPointer { buffer in
            do throws(PruningError) { result = .success(try body(buffer)) } catch { result = .failure(error) }
        }
        return try result.get()
    }

    /// Steps 4–5: the blocked OBS sweep over `w` in place, recording the keep-mask, given `R`
    /// with `H_damped = R Rᵀ` (so `U = R⁻¹`; `factor` is overwritten). Returns each row's
    /// `Σ_j e_j²` (twice the OBS loss the row's pruning adds).
    ///
    /// The paper's lazy update `W[:, b:] −= E_j · U[j, b:]` needs U's off-diagonal blocks. With
    /// `Y = E U`, `Y R = E` gives, for block j, `Σ_{i<j} E_i U_ij = −(Σ_{i<j} Y_i R_ij) U_jj`, so
    /// the same sums come from `M_ij = R_ij U_jj` and `Y_j = E_j U_jj + (W0_j − V_j)` (W0 the
    /// original weights, V_j the block's weights when the sweep reaches it):
    /// `W[:, b:] += Y_j · M[j, b:]`, one GEMM of the same size, after inverting only R's diagonal
    /// blocks. In place, `factor` ends up holding `U_jj` on its diagonal blocks and `M_ij` above.
    ///
    /// Within a block every row sweeps on its own (its selection is fixed or its own), so rows
    /// run in bands on `openblas_get_num_threads()` lanes while OpenBLAS is idle; a row's
    /// arithmetic does not depend on the band, so results are the same for any lane count
    /// (`lanes` overrides the count, for tests).
    static func sweep<S: BinaryFloatingPoint & SendableMetatype>(
        _ w: inout [Double], _ mask: inout [Bool], original: UnsafeBufferPointer<S>, dead: [Bool], rows: Int, columns n: Int,
        factor: inout [Double], pattern: Pattern, blocksize: Int, lanes: Int? = nil
    ) -> [Double] {
        let block = min(blocksize, n)
        let nm: (n: Int, m: Int)? = if case .nm(let keep, let m) = pattern { (keep, m) } else { nil }
        let groupLength = nm?.m ?? 1
        let lanes = max(1, min(lanes ?? Int(openblas_get_num_threads()), rows))
        // Scratch, allocated once: diag(U)² (the scores' denominators), the block's errors E and
        // Y `[rows, width]`, each row's loss, and per lane one N:M group's scores and order and
        // the four rows `sweepFourRows` works on.
        let diagonal = UnsafeMutablePointer<Double>.allocate(capacity: n)
        let errors = UnsafeMutablePointer<Double>.allocate(capacity: rows * block)
        let carried = UnsafeMutablePointer<Double>.allocate(capacity: rows * block)
        let losses = UnsafeMutablePointer<Double>.allocate(capacity: rows)
        let groupScores = UnsafeMutablePointer<Double>.allocate(capacity: lanes * 2 * groupLength)
        let rowLanes = UnsafeMutablePointer<SIMD4<Double>>.allocate(capacity: lanes * block)
        let groupOrder = UnsafeMutablePointer<Int>.allocate(capacity: lanes * groupLength)
        defer {
            diagonal.deallocate()
            errors.deallocate()
            carried.deallocate()
            losses.deallocate()
            groupScores.deallocate()
            rowLanes.deallocate()
            groupOrder.deallocate()
        }
        losses.initialize(repeating: 0, count: rows)
        var selection = BlockSelection(capacity: nm == nil ? rows * block : 0)
        w.withUnsafeMutableBufferPointer { wb in
            mask.withUnsafeMutableBufferPointer { mb in
                factor.withUnsafeMutableBufferPointer { fb in
                    guard let wp = wb.baseAddress, let mp = mb.baseAddress, let up = fb.baseAddress,
                          let op = original.baseAddress else { return }
                    // U_jj = R_jj⁻¹ in place (a row-major upper block is LAPACK's column-major lower
                    // one), then M_ij = R_ij U_jj for the blocks above it.
                    for a in stride(from: 0, to: n, by: block) {
                        let width = min(a + block, n) - a
                        var uplo = CChar(UInt8(ascii: "L")), unit = CChar(UInt8(ascii: "N"))
                        var order = Int32(width), lda = Int32(n), info: Int32 = 0
                        dtrtri_(&uplo, &unit, &order, up + a * n + a, &lda, &info)
                        precondition(info == 0, "a Cholesky factor with a positive diagonal is invertible")
                        if a > 0 {
                            cblas_dtrmm(CblasRowMajor, CblasRight, CblasUpper, CblasNoTrans, CblasNonUnit, Int32(a), Int32(width),
                                        1, up + a * n + a, Int32(n), up + a, Int32(n))
                        }
                    }
                    for j in 0..<n { diagonal[j] = up[j * n + j] * up[j * n + j] }
                    for a in stride(from: 0, to: n, by: block) {
                        let b = min(a + block, n), width = b - a
                        if case .sparsity(let s) = pattern {
                            let count = prunedCount(sparsity: s, length: rows * width)
                            selection.markSmallest(count, rows: rows, width: width, weights: wp + a, ld: n,
                                                   diagonal: diagonal + a, mask: mp + a, lanes: lanes)
                        }
                        // Rows in bands of a multiple of 4, one per lane (one lane when the block is too
                        // small to share), four rows at a time, the remainder one by one.
                        let bandLanes = rows * width * width >= 1 << 15 ? lanes : 1
                        let band = ((rows + bandLanes - 1) / bandLanes + 3) / 4 * 4
                        nonisolated(unsafe) let (wq, mq, eq, lq, dq) = (wp, mp, errors, losses, diagonal)
                        nonisolated(unsafe) let (uq, oq, sq, tq) = (UnsafePointer(up), groupOrder, groupScores, rowLanes)
                        nonisolated(unsafe) let (cq, w0) = (carried, op)
                        let deadHere = (a..<b).filter { dead[$0] }
                        inBands(bandLanes) { lane in
                            let last = min(rows, (lane + 1) * band)
                            if b < n {
                                // W0_j − V_j, what the earlier blocks moved this one by (dead inputs: W0 = 0).
                                for r in (lane * band)..<max(lane * band, last) {
                                    for c in 0..<width { cq[r * width + c] = Double(w0[r * n + a + c]) - wq[r * n + a + c] }
                                    for j in deadHere { cq[r * width + j - a] = -wq[r * n + j] }
                                }
                            }
                            var r = lane * band
                            while r + 4 <= last {
                                sweepFourRows(wq + r * n + a, keep: mq + r * n + a, ld: n, errors: eq + r * width,
                                              eld: width, losses: lq + r, factor: uq + a * n + a, diagonal: dq + a,
                                              width: width, nm: nm, order: oq + lane * groupLength,
                                              scores: sq + lane * 2 * groupLength, lanes: tq + lane * block)
                                r += 4
                            }
                            while r < last {
                                lq[r] += sweepRow(wq + r * n + a, keep: mq + r * n + a, errors: eq + r * width,
                                                  factor: uq + a * n + a, ld: n, diagonal: dq + a, width: width, nm: nm,
                                                  order: oq + lane * groupLength, scores: sq + lane * 2 * groupLength)
                                r += 1
                            }
                        }
                        if b < n {
                            // Y_j = E_j U_jj + (W0_j − V_j), then the lazy update W[:, b:] += Y_j · M[j, b:].
                            cblas_dtrmm(CblasRowMajor, CblasRight, CblasUpper, CblasNoTrans, CblasNonUnit, Int32(rows), Int32(width),
                                        1, up + a * n + a, Int32(n), errors, Int32(width))
                            inBands(bandLanes) { lane in
                                for i in (lane * band * width)..<max(lane * band * width, min(rows, (lane + 1) * band) * width) {
                                    cq[i] += eq[i]
                                }
                            }
                            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(n - b), Int32(width),
                                        1, carried, Int32(width), up + a * n + b, Int32(n), 1, wp + b, Int32(n))
                        }
                    }
                }
            }
        }
        return Array(UnsafeBufferPointer(start: losses, count: rows))
    }

    /// `⌊s·length + 1e-9⌋` (algorithms.md §0), for a sparsity already checked to lie in [0, 1).
    static func prunedCount(sparsity s: Double, length: Int) -> Int {
        (try? Tensor.maskPrunedCount(sparsity: s, length: length)) ?? 0
    }
}
