import Foundation
import PrunebookLanguage
import Pruning
import TensorModule

/// `sparsegpt`: SparseGPT (arXiv 2301.00774), pruning one layer from its Hessian and updating
/// the kept weights (algorithms.md §4; engine: `Pruning.SparseGPT`).
enum SparseGPTBuiltins {
    static let all: [Builtin] = [sparsegpt]

    static let category = "Pruning"

    /// `sparsegpt(w, hessian, sparsity: s | nm: [n, m], blocksize: 128, damp: 0.01)`.
    static let sparsegpt = Builtin(
        name: "sparsegpt", category: category,
        parameters: [.required("w", .tensor), .required("hessian", .tensor),
                     .optional("sparsity", .optional(.number), .nilValue), .optional("nm", .optional(.list), .nilValue),
                     .optional("blocksize", .integer, .number(Double(SparseGPT.defaultBlocksize))),
                     .optional("damp", .number, .number(SparseGPT.defaultDamp))],
        returns: "record",
        summary: "SparseGPT: prune `w` `[out, in]` and re-solve the kept weights from the Hessian `XᵀX`: `{weights, mask}`",
        doc: "Optimal Brain Surgeon swept over the inputs left to right in blocks of `blocksize` columns, so one "
            + "Cholesky factor serves every row (Frantar & Alistarh, arXiv 2301.00774). `hessian` is `[in, in]`, "
            + "`XᵀX` of the layer's inputs (any positive scale, e.g. `calibrate(...)[name].gram`). Give `sparsity: s` "
            + "(the fraction removed, `0 ≤ s < 1`) or `nm: [n, m]` (keep n of every m consecutive inputs of a row). "
            + "In f64: inputs with `H_jj = 0` are dead (their weights become 0); `H += damp · mean(diag H) · I`; "
            + "`U` is the upper Cholesky factor of `H⁻¹`. Each block removes the `⌊s·out·width + 1e-9⌋` smallest "
            + "`w²/U_jj²` of all its rows jointly, so rows differ in sparsity and only per-block counts are exact; "
            + "N:M scores each group on the already-updated weights when the sweep reaches it. Each removed weight's "
            + "error moves the later weights of its row, so kept weights change (`mask` applied to the original `w` is "
            + "another, worse model). Ties: the lower index is kept. If `H` is not positive definite the damping is "
            + "retried ×10 up to 3 times, with a warning on stderr, then an error. N:M needs `in` and `blocksize` to be "
            + "multiples of m; its result does not depend on `blocksize` (the unstructured mask does). Returns the "
            + "updated weights (f32) and the bool keep-mask.",
        example: "w = randn([8, 16], seed: 1)\nx = randn([64, 16], seed: 2)\nh = transpose(x) @ x\n"
            + "r = sparsegpt(w, h, nm: [2, 4])\nprint(shape(r.weights), is_nm(r.mask, 2, 4), sparsity(r.weights))\n"
            + "u = sparsegpt(w, h, sparsity: 0.5, blocksize: 8)\nprint(sparsity(u.mask), all(apply_mask(u.weights, u.mask) == u.weights))\n"
            + "any(apply_mask(w, u.mask) != u.weights)",
        output: "[8, 16] true 0.5\n0.5 true\ntrue\n"
    ) { args, _ in
        let w = try args.tensor("w"), hessian = try args.tensor("hessian")
        let (rows, columns) = try PruningBuiltins.engine(args, "w") { () throws(PruningError) in try SparseGPT.checkWeights(w) }
        try PruningBuiltins.engine(args, "hessian") { () throws(PruningError) in try SparseGPT.checkHessian(hessian, weightsShape: w.shape) }
        let (pattern, patternName) = try patternArgument(args)
        try PruningBuiltins.engine(args, patternName) { () throws(PruningError) in try SparseGPT.checkPattern(pattern, rows: rows, columns: columns) }
        let blocksize = try args.int("blocksize")
        try PruningBuiltins.engine(args, "blocksize") { () throws(PruningError) in try SparseGPT.checkBlocksize(blocksize, pattern: pattern) }
        let damp = try args.number("damp")
        try PruningBuiltins.engine(args, "damp") { () throws(PruningError) in try SparseGPT.checkDamp(damp) }
        try PruningBuiltins.engine(args, "w") { () throws(PruningError) in try SparseGPT.checkFinite(w, hessian: false) }
        try PruningBuiltins.engine(args, "hessian") { () throws(PruningError) in try SparseGPT.checkFinite(hessian, hessian: true) }
        let result = try PruningBuiltins.engine(args, "hessian") { () throws(PruningError) in
            try SparseGPT.prune(weights: w, hessian: hessian, pattern: pattern, blocksize: blocksize, damp: damp, warn: warn)
        }
        return .record(Record([("weights", .tensor(result.weights)), ("mask", .tensor(result.mask))]))
    }

    /// Writes a damping-retry warning to stderr.
    static func warn(_ message: String) {
        FileHandle.standardError.write(Data("warning: sparsegpt: \(message)\n".utf8))
    }

    /// The pattern from `sparsity:` or `nm: [n, m]` (exactly one), and the parameter it came from.
    private static func patternArgument(_ args: Arguments) throws -> (SparseGPT.Pattern, String) {
        switch (args.isNil("sparsity"), args.isNil("nm")) {
        case (false, false):
            throw args.error("nm", "give either `sparsity: s` or `nm: [n, m]`, not both", kind: .value)
        case (true, true):
            throw args.error("sparsity", "`sparsity: s` or `nm: [n, m]` is needed", kind: .value)
        case (false, true):
            return (.sparsity(try args.number("sparsity")), "sparsity")
        case (true, false):
            let items = try args.list("nm")
            let numbers = items.compactMap { item -> Int? in
                guard case .number(let x) = item, x == x.rounded(), abs(x) < 1e15 else { return nil }
                return Int(x)
            }
            guard items.count == 2, numbers.count == 2 else {
                throw args.error("nm", "`nm` expects a list of two integers [n, m] (keep n of every m), got \(Value.list(items).displayText)")
            }
            return (.nm(n: numbers[0], m: numbers[1]), "nm")
        }
    }

}
