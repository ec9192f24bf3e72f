import PrunebookLanguage
import Pruning
import TensorModule

/// `tsenor` and `transposable_exact`: transposable n:m masks (TSENOR, Meng, Makni, Mazumder,
/// arXiv 2505.23949; algorithms.md §9; engine: `Pruning.TSENOR`, `Pruning.TransposableExact`).
enum TSENORBuiltins {
    static let all: [Builtin] = [tsenor, transposableExact]

    static let category = PruningBuiltins.category

    /// `tsenor(scores, n, m, iters: 100, eps: 1/30, rounding: "greedy+local")`.
    static let tsenor = Builtin(
        name: "tsenor", category: category,
        parameters: [.required("scores", .tensor), .required("n", .integer), .required("m", .integer),
                     .optional("iters", .integer, .number(Double(TSENOR.defaultIterations))),
                     .optional("eps", .number, .number(TSENOR.defaultEpsilon)),
                     .optional("rounding", .string, .string(TSENOR.Rounding.greedyLocal.rawValue))],
        returns: "tensor",
        summary: "TSENOR: a bool mask keeping exactly `n` per row and per column of every aligned `m × m` block "
            + "(transposable N:M), chosen by large `|scores|`",
        doc: "Both the mask and its transpose are N:M, so backward GEMMs accelerate too (Meng, Makni, Mazumder, "
            + "arXiv 2505.23949). Each block is scaled by its max `|score|`; log-domain Dykstra projections "
            + "(`iters` steps, entropy `eps`, τ = 1/eps) solve the entropic transport relaxation for all blocks at "
            + "once; the plan is rounded greedily (ties broken by `|score|`, then row-major) and repaired to "
            + "exactly `n` per row and column. `rounding: \"greedy+local+2opt\"` adds 2-opt swaps "
            + "(a,b),(c,d) → (a,d),(c,b) while they gain. `scores` is any 2-D numeric tensor (`|scores|` is "
            + "used); both dimensions must be multiples of `m`, `0 < n ≤ m` (`n = m` keeps all); NaN is an error.",
        example: "s = [[4, 3, 2, 1], [3, 9, 1, 2], [1, 2, 8, 3], [2, 1, 3, 7]]\n"
            + "k = tsenor(s, 2, 4)\nprint(k)\nprint(is_transposable_nm(k, 2, 4), sum(apply_mask(s, k)))",
        output: "tensor([[ true,  true, false, false],\n        [ true,  true, false, false],\n        [false, false,  true,  true],\n        [false, false,  true,  true]], bool)\ntrue 40\n"
    ) { args, _ in
        let scores = try scoreMatrix(args)
        let n = try args.int("n"), m = try args.int("m")
        let iterations = try args.int("iters"), epsilon = try args.number("eps")
        let roundingName = try args.string("rounding")
        let rounding = try PruningBuiltins.engine(args, "rounding") { () throws(PruningError) in try TSENOR.Rounding(name: roundingName) }
        try checkPattern(args, scores, n: n, m: m)
        if iterations < 0 { throw args.error("iters", "`iters` must be ≥ 0, got \(iterations)") }
        if !(epsilon > 0 && epsilon.isFinite) { throw args.error("eps", "`eps` must be a positive number, got \(epsilon)") }
        let mask = try PruningBuiltins.engine(args, "scores") { () throws(PruningError) in
            try TSENOR.mask(scores, n: n, m: m, iterations: iterations, epsilon: epsilon, rounding: rounding)
        }
        return .tensor(Tensor(shape: scores.shape, bool: mask))
    }

    /// `transposable_exact(scores, n, m)`: the optimal transposable mask per block.
    static let transposableExact = Builtin(
        name: "transposable_exact", category: category,
        parameters: [.required("scores", .tensor), .required("n", .integer), .required("m", .integer)],
        returns: "tensor",
        summary: "the optimal transposable N:M bool mask: per `m × m` block the pattern with exactly `n` per row "
            + "and column of largest total `|score|`",
        doc: "A reference for `tsenor` on small problems. For `m ≤ 5` every valid pattern is enumerated (90 at "
            + "2:4); for `m ≤ 8` a min-cost flow finds the optimum; larger `m` is an error. Same inputs and "
            + "checks as `tsenor`.",
        example: "s = [[4, 3, 2, 1], [3, 9, 1, 2], [1, 2, 8, 3], [2, 1, 3, 7]]\n"
            + "e = transposable_exact(s, 2, 4)\nprint(e)\nsum(apply_mask(s, e))",
        output: "tensor([[ true,  true, false, false],\n        [ true,  true, false, false],\n        [false, false,  true,  true],\n        [false, false,  true,  true]], bool)\n40\n"
    ) { args, _ in
        let scores = try scoreMatrix(args)
        let n = try args.int("n"), m = try args.int("m")
        try checkPattern(args, scores, n: n, m: m)
        let mask = try PruningBuiltins.engine(args, "m") { () throws(PruningError) in try TransposableExact.mask(scores, n: n, m: m) }
        return .tensor(Tensor(shape: scores.shape, bool: mask))
    }

    /// The 2-D `scores` argument in f64.
    private static func scoreMatrix(_ args: Arguments) throws -> ScoreMatrix {
        let t = try args.tensor("scores")
        guard t.ndim == 2 else {
            throw args.error("scores", "`scores` must be 2-d, got shape \(formatShape(t.shape))")
        }
        let values = t.doubles()
        if let i = values.firstIndex(where: { $0.isNaN }) {
            throw args.error("scores", "`scores` must not hold NaN (at row \(i / t.shape[1]), column \(i % t.shape[1]))")
        }
        return ScoreMatrix(rows: t.shape[0], columns: t.shape[1], values: values)
    }

    /// Requires `0 < n ≤ m` and both dimensions multiples of `m`.
    private static func checkPattern(_ args: Arguments, _ scores: ScoreMatrix, n: Int, m: Int) throws {
        try MaskBuiltins.checkNM(args, n: n, m: m)
        try MaskBuiltins.checkBlocks(args, shape: scores.shape, m: m)
    }

}
