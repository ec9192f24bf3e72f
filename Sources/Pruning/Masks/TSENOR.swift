import Foundation

/// TSENOR: transposable n:m masks (Meng, Makni, Mazumder, "TSENOR: Highly-Efficient Algorithm
/// for Finding Transposable N:M Sparse Masks", arXiv 2505.23949; algorithms.md §9). Every
/// aligned m×m block keeps exactly n per row and per column, so `W` and `Wᵀ` are both n:m.
/// Per block the entropy-regularised transport relaxation is solved by log-domain Dykstra
/// projections (`TSENOR+Dykstra.swift`: eight blocks per SIMD lane group, all iterations while
/// they are in cache), then rounded greedily and repaired.
/// Masks are row-major `[Bool]` of `rows · columns`, `true` = kept; scores are used as `|s|`.
public enum TSENOR {
    /// How the transport plan becomes a mask.
    public enum Rounding: String, Sendable, CaseIterable {
        /// Greedy on the plan, then repair to exactly n per row and column (steps 4–5).
        case greedyLocal = "greedy+local"
        /// `greedyLocal`, then 2-opt swaps (a,b),(c,d) → (a,d),(c,b) while they gain (step 6).
        case greedyLocal2Opt = "greedy+local+2opt"

        /// The option from its name, or an error listing the valid ones.
        public init(name: String) throws(PruningError) {
            guard let rounding = Rounding(rawValue: name) else {
                let valid = Rounding.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
                throw PruningError("unknown rounding \"\(name)\"; valid: \(valid)")
            }
            self = rounding
        }
    }

    /// Dykstra iterations by default (100).
    public static let defaultIterations = 100
    /// The entropy weight ε by default (1/30, so τ = 1/ε = 30).
    public static let defaultEpsilon = 1.0 / 30
    /// From this many blocks on, blocks are processed concurrently (results do not change).
    public static let parallelThreshold = 4096

    /// The transposable n:m keep-mask of `scores` (steps 1–5, plus step 6 with `.greedyLocal2Opt`).
    public static func mask(_ scores: ScoreMatrix, n: Int, m: Int, iterations: Int = defaultIterations,
                            epsilon: Double = defaultEpsilon, rounding: Rounding = .greedyLocal) throws(PruningError) -> [Bool] {
        try checkOptions(scores, n: n, m: m, iterations: iterations, epsilon: epsilon)
        if n == m { return [Bool](repeating: true, count: scores.values.count) }
        let layout = BlockLayout(rows: scores.rows, columns: scores.columns, m: m)
        let raw = layout.pack(scores.values)
        let plan = dykstra(raw, layout: layout, n: n, iterations: iterations, epsilon: epsilon)
        let scale = globalScale(raw)
        var keys = plan
        for k in keys.indices { keys[k] += 1e-9 * raw[k] * scale }
        let kept = BlockRounding.round(raw, keys: keys, layout: layout, n: n,
                                       start: .greedy, twoOpt: rounding == .greedyLocal2Opt)
        return layout.unpack(kept)
    }

    /// The transport plan `P = exp(L)` after `iterations` Dykstra steps (step 3), row-major like
    /// `scores`: within each block every row and column sums to ≈ n and every entry is ≤ 1.
    public static func plan(_ scores: ScoreMatrix, n: Int, m: Int, iterations: Int = defaultIterations,
                            epsilon: Double = defaultEpsilon) throws(PruningError) -> [Double] {
        try checkOptions(scores, n: n, m: m, iterations: iterations, epsilon: epsilon)
        let layout = BlockLayout(rows: scores.rows, columns: scores.columns, m: m)
        return layout.unpack(dykstra(layout.pack(scores.values), layout: layout, n: n, iterations: iterations, epsilon: epsilon))
    }

    /// Baseline **greedy+repair**: steps 4–5 with the raw `|scores|` as the greedy key (no Dykstra).
    public static func greedyRepair(_ scores: ScoreMatrix, n: Int, m: Int) throws(PruningError) -> [Bool] {
        try TransposableInputs.check(scores, n: n, m: m)
        let layout = BlockLayout(rows: scores.rows, columns: scores.columns, m: m)
        let raw = layout.pack(scores.values)
        return layout.unpack(BlockRounding.round(raw, keys: raw, layout: layout, n: n, start: .greedy, twoOpt: false))
    }

    /// Baseline **row-first+repair**: every block row keeps its n largest, over-full columns drop
    /// their smallest kept cells (the higher row first on ties) down to n, then step 5 refills.
    public static func rowFirstRepair(_ scores: ScoreMatrix, n: Int, m: Int) throws(PruningError) -> [Bool] {
        try TransposableInputs.check(scores, n: n, m: m)
        let layout = BlockLayout(rows: scores.rows, columns: scores.columns, m: m)
        let raw = layout.pack(scores.values)
        return layout.unpack(BlockRounding.round(raw, keys: raw, layout: layout, n: n, start: .rowFirst, twoOpt: false))
    }

    /// The kept score `Σ |s|` of a row-major mask (for comparisons).
    public static func keptScore(_ scores: ScoreMatrix, mask: [Bool]) -> Double {
        var total = 0.0
        for (k, keep) in mask.enumerated() where keep { total += abs(scores.values[k]) }
        return total
    }

    /// The input checks plus `iterations ≥ 0` and a finite `epsilon > 0`.
    static func checkOptions(_ scores: ScoreMatrix, n: Int, m: Int, iterations: Int, epsilon: Double) throws(PruningError) {
        try TransposableInputs.check(scores, n: n, m: m)
        guard iterations >= 0 else { throw PruningError("iters must be ≥ 0, got \(iterations)") }
        guard epsilon > 0, epsilon.isFinite else { throw PruningError("eps must be a positive number, got \(formatValue(epsilon))") }
    }

    /// `1 / max|score|` over the whole matrix, or 0 when every score is 0 (step 4's tie-break scale).
    static func globalScale(_ raw: [Double]) -> Double {
        let top = raw.max() ?? 0
        return top > 0 && top.isFinite ? 1 / top : 0
    }
}
