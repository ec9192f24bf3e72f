import TensorModule

// SparseGPT's argument checks (algorithms.md §0 and §4): each message says what to change.

extension SparseGPT {
    /// `(out, in)` for 2-d numeric weights and a numeric `[in, in]` Hessian.
    static func checkTensors(_ weights: Tensor, _ hessian: Tensor) throws(PruningError) -> (rows: Int, columns: Int) {
        let shape = try checkWeights(weights)
        try checkHessian(hessian, weightsShape: weights.shape)
        return shape
    }

    /// `(out, in)` of 2-d numeric weights.
    public static func checkWeights(_ weights: Tensor) throws(PruningError) -> (rows: Int, columns: Int) {
        guard weights.ndim == 2 else {
            throw PruningError("the weights must be a 2-d [out, in] matrix, got shape \(formatShape(weights.shape))", kind: .shape)
        }
        guard weights.dtype != .bool else { throw PruningError("the weights must be numbers, got a bool tensor") }
        return (weights.shape[0], weights.shape[1])
    }

    /// A numeric Hessian `[in, in]` for 2-d weights of shape `weightsShape` `[out, in]`.
    public static func checkHessian(_ hessian: Tensor, weightsShape: [Int]) throws(PruningError) {
        let columns = weightsShape.last ?? 0
        guard hessian.shape == [columns, columns] else {
            throw PruningError("the hessian must be [in, in] = [\(columns), \(columns)] for weights "
                               + "\(formatShape(weightsShape)), got \(formatShape(hessian.shape))", kind: .shape)
        }
        guard hessian.dtype != .bool else { throw PruningError("the hessian must be numbers, got a bool tensor") }
    }

    /// The pattern, the blocksize and the damping against a layer of `rows × columns` weights.
    static func checkOptions(pattern: Pattern, rows: Int, columns: Int, blocksize: Int, damp: Double) throws(PruningError) {
        try checkPattern(pattern, rows: rows, columns: columns)
        try checkBlocksize(blocksize, pattern: pattern)
        try checkDamp(damp)
    }

    /// A sparsity in [0, 1), or `0 < n ≤ m` with `m` dividing the number of inputs.
    public static func checkPattern(_ pattern: Pattern, rows: Int, columns: Int) throws(PruningError) {
        switch pattern {
        case .sparsity(let s):
            guard s >= 0, s < 1 else {
                throw PruningError("sparsity must be at least 0 and below 1, got \(formatValue(s))")
            }
        case .nm(let n, let m):
            guard n > 0, m > 0, n <= m else {
                throw PruningError("an n:m pattern keeps n of every m and needs 0 < n ≤ m, got n = \(n), m = \(m)")
            }
            // The divisibility message every pruner gives (MaskSelection.swift).
            do {
                try pattern.check(shape: [rows, columns])
            } catch let error as PruningError {
                throw error
            } catch {
                preconditionFailure("PruningTarget.check throws only PruningError")
            }
        }
    }

    /// At least 1, and for N:M a multiple of `m` (no group straddles two blocks).
    public static func checkBlocksize(_ blocksize: Int, pattern: Pattern) throws(PruningError) {
        guard blocksize >= 1 else { throw PruningError("blocksize must be at least 1, got \(blocksize)") }
        if case .nm(_, let m) = pattern, m > 0, blocksize % m != 0 {
            let below = blocksize / m * m, above = below + m
            let hint = below > 0 ? "\(below) or \(above)" : "\(above)"
            throw PruningError("blocksize \(blocksize) is not a multiple of m = \(m), so an n:m group would straddle "
                               + "two blocks; use a multiple of \(m) such as \(hint)")
        }
    }

    /// `damp` must be finite and at least 0.
    public static func checkDamp(_ damp: Double) throws(PruningError) {
        guard damp.isFinite, damp >= 0 else {
            throw PruningError("damp must be a finite number of at least 0 (a fraction of mean(diag(hessian))), got \(formatValue(damp))")
        }
    }

    /// Every weight and Hessian entry must be finite; the message gives the first bad position.
    static func checkFinite(_ weights: [Double], rows: Int, columns: Int, hessian: [Double]) throws(PruningError) {
        try checkFinite(weights, columns: columns, what: "the weights have")
        try checkFinite(hessian, columns: columns, what: "the hessian has")
    }

    /// Every entry of the weights (`hessian` false) or of the Hessian must be finite.
    public static func checkFinite(_ tensor: Tensor, hessian: Bool) throws(PruningError) {
        guard case .f32 = tensor.data, tensor.ndim == 2 else { return }
        try ScoreInputs.checkFinite(tensor.doubles(), columns: tensor.shape[1], what: hessian ? "the hessian has" : "the weights have")
    }

    private static func checkFinite(_ values: [Double], columns: Int, what: String) throws(PruningError) {
        try ScoreInputs.checkFinite(values, columns: columns, what: what)
    }
}
