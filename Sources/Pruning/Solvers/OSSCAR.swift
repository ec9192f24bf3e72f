import COpenBLAS
import TensorModule

/// OSSCAR: structured pruning of whole input groups (channels, or blocks of `width`
/// consecutive inputs such as attention heads) of one linear layer, as a combinatorial
/// least-squares problem: backward elimination with exact low-rank updates of the inverse
/// Hessian, a local search by swaps, and a fresh least-squares refit of the survivors.
///
/// Paper: Meng et al., "OSSCAR: One-Shot Structured Pruning in Vision and Language Models with
/// Combinatorial Optimization", arXiv 2403.12983. Exact semantics: algorithms.md §7.
///
/// With `B = Wᵀ` `[in, out]`, `H = XᵀX`, `H_r = H + λ·mean(diag H)·I` (λ = 0.01; a mean ≤ 0
/// counts as 1) and `G = H_r B0`, it minimizes `f(B) = ½tr(BᵀH_rB) − tr(BᵀG)` over supports of
/// `keep` groups. Everything runs in f64.
public enum OSSCAR {
    /// The relative ridge: `H_r = H + ridge · mean(diag H) · I`.
    public static let ridge = 0.01
    /// The default number of groups removed per backward-elimination step for width 1.
    public static let defaultPerStep = 10
    /// The default number of groups removed per step for groups wider than one column.
    public static let defaultPerStepWide = 2
    /// The default cap on local-search iterations.
    public static let defaultMaxIterations = 30

    /// What `prune` returns: the refit weights `[out, in]` (row-major, removed columns 0), the
    /// keep-mask (false on every column of a removed group), the sorted kept group indices and
    /// the objective `f` of the returned weights.
    public struct Result: Sendable, Equatable {
        /// The refit weights, row-major `rows × columns`.
        public var weights: [Double]
        /// The keep-mask, row-major `rows × columns`.
        public var mask: [Bool]
        /// The kept group indices, ascending.
        public var kept: [Int]
        /// `f(B) = ½tr(BᵀH_rB) − tr(BᵀG)` of the returned weights (`B = Ŵᵀ`).
        public var objective: Double
    }

    /// The per-step default for groups of `width` columns: 10 for single columns, 2 for wider.
    public static func defaultPerStep(width: Int) -> Int { width == 1 ? defaultPerStep : defaultPerStepWide }

    /// Prunes `weights` `[out, in]` to `keep` groups of `width` consecutive inputs, given the
    /// Gram matrix `gram` `[in, in]` (`XᵀX`, any positive scale): refit weights (f32), the bool
    /// keep-mask, the kept group indices and the objective.
    public static func prune(weights: Tensor, gram: Tensor, keep: Int, width: Int = 1, perStep: Int? = nil,
                             localSearch: Bool = true, swap: Int? = nil,
                             maxIterations: Int = defaultMaxIterations) throws(PruningError) -> (weights: Tensor, mask: Tensor, kept: [Int], objective: Double) {
        let (rows, columns) = try checkTensors(weights, gram)
        let result = try prune(weights: weights.doubles(), rows: rows, columns: columns, gram: gram.doubles(), keep: keep,
                               width: width, perStep: perStep, localSearch: localSearch, swap: swap,
                               maxIterations: maxIterations)
        return (Tensor(shape: [rows, columns], f32: result.weights.map { Float($0) }),
                Tensor(shape: [rows, columns], bool: result.mask), result.kept, result.objective)
    }

    /// `prune` on row-major f64 storage: `weights` holds `rows × columns` values, `gram`
    /// `columns × columns` (read as symmetric). `perStep` defaults to `defaultPerStep(width:)`
    /// and `swap` to `perStep`.
    public static func prune(weights: [Double], rows: Int, columns: Int, gram: [Double], keep: Int, width: Int = 1,
                             perStep: Int? = nil, localSearch: Bool = true, swap: Int? = nil,
                             maxIterations: Int = defaultMaxIterations) throws(PruningError) -> Result {
        precondition(weights.count == rows * columns && gram.count == columns * columns,
                     "storage does not match the given shape")
        let step = perStep ?? defaultPerStep(width: width)
        try checkOptions(columns: columns, keep: keep, width: width, perStep: step, swap: swap ?? step,
                         maxIterations: maxIterations)
        try checkFinite(weights, columns: columns, what: "w has")
        try checkFinite(gram, columns: columns, what: "gram has")
        let problem = Problem(weights: weights, rows: rows, columns: columns, gram: gram, width: width)
        let survivors = try problem.backwardElimination(keep: keep, perStep: step)
        var best = try problem.refit(groups: survivors, inverse: localSearch)
        if localSearch {
            best = try problem.localSearch(from: best, swap: swap ?? step, maxIterations: maxIterations)
        }
        return problem.result(best)
    }

    /// The number of kept groups out of `groups` for `keep: k` or `sparsity: s` (exactly one,
    /// algorithms.md §0): an integer `1 ≤ k ≤ groups` counts groups, a fraction `0 < k < 1` keeps
    /// `groups − ⌊(1−k)·groups + 1e-9⌋`, and `s` in [0, 1) keeps `groups − ⌊s·groups + 1e-9⌋`.
    public static func keptCount(keep: Double?, sparsity: Double?, groups: Int) throws(PruningError) -> Int {
        switch (keep, sparsity) {
        case (.some, .some):
            throw PruningError("give either `keep: k` or `sparsity: s`, not both")
        case (nil, nil):
            throw PruningError("`keep: k` (groups kept, a count or a fraction) or `sparsity: s` is needed")
        case (nil, .some(let s)):
            guard s >= 0, s < 1 else {
                throw PruningError("sparsity must be at least 0 and below 1, got \(formatValue(s))")
            }
            return groups - SparseGPT.prunedCount(sparsity: s, length: groups)
        case (.some(let k), nil):
            if k > 0, k < 1 { return groups - SparseGPT.prunedCount(sparsity: 1 - k, length: groups) }
            guard k >= 1, k == k.rounded(), k <= Double(groups) else {
                throw PruningError("keep must be a whole number of groups from 1 to \(groups) or a fraction in (0, 1), "
                                   + "got \(formatValue(k))")
            }
            return Int(k)
        }
    }

    /// The objective `f(B) = ½tr(BᵀH_rB) − tr(BᵀG)` of pruned weights `[out, in]` (row-major,
    /// `B = prunedᵀ`) for the layer `weights` with Gram matrix `gram`; `G = H_r·weightsᵀ` with
    /// dead inputs' weights zeroed. `f(Ŵ) + ½tr(B0ᵀH_rB0)` is the ridge reconstruction error.
    public static func objective(pruned: [Double], weights: [Double], rows: Int, columns: Int, gram: [Double]) -> Double {
        let problem = Problem(weights: weights, rows: rows, columns: columns, gram: gram, width: 1)
        return problem.objective(transposing(pruned, rows: rows, columns: columns))
    }

    /// The refit on a fixed support: `B_S = (H_r)_SS⁻¹ G_S`, rest 0, returned as weights `[out,
    /// in]` (row-major) with its objective; `kept` lists group indices of `width` columns.
    public static func refit(weights: [Double], rows: Int, columns: Int, gram: [Double], kept: [Int],
                             width: Int = 1) throws(PruningError) -> (weights: [Double], objective: Double) {
        let problem = Problem(weights: weights, rows: rows, columns: columns, gram: gram, width: width)
        let fit = try problem.refit(groups: kept, inverse: false)
        return (transposing(fit.b, rows: columns, columns: rows), fit.objective)
    }

    /// The transpose of a row-major `rows × columns` matrix.
    static func transposing(_ a: [Double], rows: Int, columns: Int) -> [Double] {
        var t = [Double](repeating: 0, count: a.count)
        for r in 0..<rows { for c in 0..<columns { t[c * rows + r] = a[r * columns + c] } }
        return t
    }

    /// `(out, in)` for a 2-d numeric weight and a numeric `[in, in]` Gram matrix.
    public static func checkTensors(_ weights: Tensor, _ gram: Tensor) throws(PruningError) -> (rows: Int, columns: Int) {
        guard weights.ndim == 2 else {
            throw PruningError("w must be a 2-d [out, in] matrix, got shape \(formatShape(weights.shape))", kind: .shape)
        }
        guard weights.dtype != .bool else { throw PruningError("w must hold numbers, got a bool tensor") }
        let columns = weights.shape[1]
        guard gram.shape == [columns, columns] else {
            throw PruningError("gram must be [in, in] = [\(columns), \(columns)] for w \(formatShape(weights.shape)), "
                               + "got \(formatShape(gram.shape))", kind: .shape)
        }
        guard gram.dtype != .bool else { throw PruningError("gram must hold numbers, got a bool tensor") }
        return (weights.shape[0], columns)
    }

    /// The group width, the kept count and the search options against `columns` inputs.
    public static func checkOptions(columns: Int, keep: Int, width: Int, perStep: Int, swap: Int,
                                    maxIterations: Int) throws(PruningError) {
        guard width >= 1 else { throw PruningError("group width must be at least 1, got \(width)") }
        guard columns % width == 0 else {
            throw PruningError("group width \(width) does not divide in = \(columns); use a width that divides it", kind: .shape)
        }
        let groups = columns / width
        guard keep >= 0, keep <= groups else { throw PruningError("keep must be between 0 and \(groups) groups, got \(keep)") }
        guard perStep >= 1 else { throw PruningError("per_step must be at least 1, got \(perStep)") }
        guard swap >= 1 else { throw PruningError("swap must be at least 1, got \(swap)") }
        guard maxIterations >= 0 else { throw PruningError("max_iter must be at least 0, got \(maxIterations)") }
    }

    /// Every value must be finite; the message gives the first bad position.
    static func checkFinite(_ values: [Double], columns: Int, what: String) throws(PruningError) {
        guard let i = values.firstIndex(where: { !$0.isFinite }) else { return }
        throw PruningError("\(what) a non-finite value (\(formatValue(values[i]))) at [\(i / columns), \(i % columns)]")
    }
}
