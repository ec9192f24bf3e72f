import PrunebookLanguage
import Pruning
import TensorModule

/// `osscar`: OSSCAR (arXiv 2403.12983), structured pruning of whole input groups of one layer
/// with a least-squares refit (algorithms.md §7; engine: `Pruning.OSSCAR`). The model form
/// `osscar(model, calib, ...)` runs the stdlib's `osscar_model` (stdlib/osscar.prb), which
/// calls the matrix form block by block and then `shrink`.
enum OSSCARBuiltins {
    static let all: [Builtin] = [osscar]

    /// `osscar(w, gram, keep: k | sparsity: s, group: "input" | width, per_step:, local_search: true, swap:, max_iter: 30)`,
    /// or `osscar(model, calib, sparsity: s | keep: f, samples: 128, seqlen:, ...)`.
    static let osscar = Builtin(
        name: "osscar", category: PruningBuiltins.category,
        parameters: [.required("w", .any), .optional("gram", .any, .nilValue),
                     .optional("keep", .optional(.number), .nilValue), .optional("sparsity", .optional(.number), .nilValue),
                     .optional("group", .either(.string, .integer), .string("input")),
                     .optional("per_step", .optional(.integer), .nilValue),
                     .optional("local_search", .bool, .bool(true)),
                     .optional("swap", .optional(.integer), .nilValue),
                     .optional("max_iter", .integer, .number(Double(OSSCAR.defaultMaxIterations)))]
            + CalibrationBuiltins.windowParameters,
        returns: "record",
        summary: "OSSCAR: remove whole input groups of `w` `[out, in]` and refit the rest by least squares: `{weights, mask, kept}`",
        doc: "Structured pruning as combinatorial least squares (Meng et al., arXiv 2403.12983). `gram` is `[in, in]`, "
            + "`XᵀX` of the layer's inputs. Groups are single input columns (`group: \"input\"`) or blocks of `group: width` "
            + "consecutive columns (e.g. a head size; `in` must be a multiple). Give `keep: k` (a whole number of groups, "
            + "`keep: 1` keeps one, or a fraction in (0, 1)) or `sparsity: s` (`n_groups − ⌊s·n_groups + 1e-9⌋` kept). "
            + "In f64, with `B = wᵀ` (dead inputs, `H_jj = 0`, zeroed) and `H_r = H + 0.01·mean(diag H)·I`, it minimizes "
            + "`½tr(BᵀH_rB) − tr(BᵀH_rB0)`: backward elimination removes the cheapest groups jointly with an exact low-rank "
            + "update of `H_r⁻¹`, in `max(1, ⌊R/per_step⌋)` near-equal steps (`per_step` 10 for single columns, 2 for wider "
            + "groups); the survivors are refit from scratch; then, with `local_search`, up to `max_iter` rounds drop the "
            + "`swap` (default `per_step`) cheapest groups, add back the best by gain, refit, and keep the swap only if the "
            + "objective improves. Returns the refit weights (f32), the bool mask (false on every column of a removed group) "
            + "and `kept`, the sorted kept group indices. `samples` and `seqlen` are for the model form. "
            + "Model form: `osscar(model, calib, sparsity: s | keep: f)` → `{model, kept, report}` prunes every block's "
            + "FFN neurons (inputs of `w2`, width 1) and, separately, its key/value groups (inputs of `wo`, width "
            + "n_rep·head_size: a key/value head with the query heads reading it), the same fraction in each (`keep` "
            + "a fraction in (0, 1) here), and shrinks the model physically (`shrink`: per-layer widths in the "
            + "config, no masks). `calib` is a 1-D token stream cut into `samples` windows of `seqlen` tokens; "
            + "blocks are calibrated in order on the outputs of the already pruned blocks (one pass of each dense "
            + "block gives both Grams). `kept` maps `\"layers.{i}.w2\"` / `\"layers.{i}.wo\"` to the kept neuron / "
            + "group indices, `report` the same keys to `{sparsity, recon_error}` (fraction of groups removed; "
            + "`recon_error` of the refit at the original shape). `per_step`, `local_search`, `swap`, `max_iter` "
            + "apply to every layer. The driver is the stdlib function `osscar_model` (stdlib/osscar.prb): read it, "
            + "or redefine it to change the recipe.",
        example: "w = [[1, 1, 2, 0.5], [2, 2, -1, 1]]\n"
            + "g = [[1, 1, 0, 0], [1, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]\n"
            + "r = osscar(w, g, keep: 3)\nprint(r.kept)\nprint(r.mask)\nprint(r.weights)",
        output: "[0, 2, 3]\ntensor([[ true, false,  true,  true],\n        [ true, false,  true,  true]], bool)\n"
            + "tensor([[ 1.9901,  0.0000,  2.0000,  0.5000],\n        [ 3.9802,  0.0000, -1.0000,  1.0000]], f32)\n"
    ) { args, context in
        if case .handle(let handle) = args["w"], handle is ModelHandle { return try modelLevel(args, context) }
        guard !args.isNil("gram") else {
            throw args.error("gram", "`osscar(w, gram, ...)` needs `gram`, the `[in, in]` Gram XᵀX of the layer's inputs "
                             + "(e.g. `calibrate(model, tokens)[\"layers.0.w2\"].gram`)", kind: .value)
        }
        let w = try args.tensor("w"), gram = try args.tensor("gram")
        let (_, columns) = try PruningBuiltins.engine(args, "w") { () throws(PruningError) in try OSSCAR.checkTensors(w, gram) }
        for (name, tensor) in [("w", w), ("gram", gram)] where tensor.doubles().contains(where: { !$0.isFinite }) {
            throw args.error(name, "`\(name)` holds a non-finite value (nan or inf)", kind: .value)
        }
        let width = try groupWidth(args)
        guard width >= 1, columns % width == 0 else {
            throw args.error("group", "group width \(width) must be at least 1 and divide in = \(columns)", kind: .value)
        }
        let groups = columns / width
        let keepName = args.isNil("keep") ? "sparsity" : "keep"
        let keepValue = try args.optionalNumber("keep"), sparsity = try args.optionalNumber("sparsity")
        let keep = try PruningBuiltins.engine(args, keepName) { () throws(PruningError) in
            try OSSCAR.keptCount(keep: keepValue, sparsity: sparsity, groups: groups)
        }
        let perStep = try args.optionalInt("per_step") ?? OSSCAR.defaultPerStep(width: width)
        guard perStep >= 1 else { throw args.error("per_step", "per_step must be at least 1, got \(perStep)", kind: .value) }
        let swap = try args.optionalInt("swap") ?? perStep
        guard swap >= 1 else { throw args.error("swap", "swap must be at least 1, got \(swap)", kind: .value) }
        let maxIterations = try args.int("max_iter")
        guard maxIterations >= 0 else {
            throw args.error("max_iter", "max_iter must be at least 0, got \(maxIterations)", kind: .value)
        }
        let localSearch = try args.bool("local_search")
        let result = try PruningBuiltins.engine(args, "gram") { () throws(PruningError) in
            try OSSCAR.prune(weights: w, gram: gram, keep: keep, width: width, perStep: perStep, localSearch: localSearch,
                             swap: swap, maxIterations: maxIterations)
        }
        return .record(Record([("weights", .tensor(result.weights)), ("mask", .tensor(result.mask)),
                               ("kept", .list(result.kept.map { .number(Double($0)) }))]))
    }

    /// The model form: the stdlib's `osscar_model(model, calib, sparsity, keep, samples, seqlen, per_step,
    /// local_search, swap, max_iter)`, looked up when called so a redefinition takes effect.
    private static func modelLevel(_ args: Arguments, _ context: RunContext) throws -> Value {
        guard case .string("input") = args["group"] else {
            throw args.error("group", "the model form chooses its groups itself (single FFN neurons, key/value head "
                             + "groups); leave `group` out", kind: .value)
        }
        guard case .function(let driver)? = context.global("osscar_model") else {
            throw args.error("w", "the model form runs the stdlib function `osscar_model` (stdlib/osscar.prb), "
                             + "which is not defined here", kind: .name)
        }
        let names = ["w", "gram", "sparsity", "keep", "samples", "seqlen", "per_step", "local_search", "swap", "max_iter"]
        return try context.call(driver, names.map { args[$0] })
    }

    /// `group: "input"` (width 1) or a whole number of columns.
    private static func groupWidth(_ args: Arguments) throws -> Int {
        if case .string(let s) = args["group"] {
            guard s == "input" else {
                throw args.error("group", "`group` is \"input\" (single columns) or a width, got \"\(s)\"", kind: .value)
            }
            return 1
        }
        return try args.int("group")
    }

}
