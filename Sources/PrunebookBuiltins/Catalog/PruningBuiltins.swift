import PrunebookLanguage
import Pruning
import TensorModule

/// Pruning builtins (builtins.md "Pruning", algorithms.md §2, §3, §5): the score-based matrix
/// pruners returning `{weights, mask}`, their scores, the layer metric `recon_error`, and
/// `apply_masks`, which puts masks into a model. The algorithms live in the Pruning module;
/// these bodies check arguments, call one engine function and wrap the result.
enum PruningBuiltins {
    static let all: [Builtin] = [magnitude, wanda, gblm, scores, reconError, applyMasks]

    static let category = "Pruning"

    /// `sparsity:` and `nm:`, shared by every score-based pruner (exactly one must be given).
    static let targetParameters: [Parameter] = [
        .optional("sparsity", .optional(.number), .nilValue), .optional("nm", .optional(.list), .nilValue),
    ]

    /// The sentence every pruner's doc shares about `sparsity:` and `nm:`.
    static let targetDoc = "Give exactly one of `sparsity: s` (the fraction removed, 0 ≤ s < 1) and `nm: [n, m]` "
        + "(keep n of every m consecutive inputs of a row; the number of inputs must be a multiple of m, else the "
        + "error lists the patterns among 1:2, 2:4, 4:8, 8:16 that fit). Counts are exact: each row loses "
        + "`floor(s·in + 1e-9)` weights. Ties: among equal scores the lower index is kept. Scores are computed in "
        + "f64; removed weights become exactly 0, kept ones are unchanged, and `mask` is bool (true = kept)."

    /// `magnitude(w, sparsity: s | nm: [n, m], scope: "row")`.
    static let magnitude = Builtin(
        name: "magnitude", category: category,
        parameters: [.required("w", .tensor)] + targetParameters
            + [.optional("scope", .choice(SelectionScope.allCases.map(\.rawValue)), .string("row"))],
        returns: "record",
        summary: "magnitude pruning: removes the weights of smallest `|w|`, returning `{weights, mask}`",
        doc: "`w` is `[out, in]` (y = W x). " + targetDoc + " With `scope: \"layer\"` the count is over the whole "
            + "matrix instead (`floor(s·out·in + 1e-9)` removed, ties in row-major order), so rows differ; "
            + "`nm` groups always lie within a row. Han et al., arXiv 1506.02626.",
        example: "w = [[5, -2, 0.1, 3], [1, -1, 4, 0.2]]\nr = magnitude(w, sparsity: 0.5)\nprint(r.mask)\n"
            + "print(r.weights)\nmagnitude(w, sparsity: 0.5, scope: \"layer\").mask",
        output: "tensor([[ true, false, false,  true],\n        [ true, false,  true, false]], bool)\n"
            + "tensor([[5, 0, 0, 3],\n        [1, 0, 4, 0]], f32)\n"
            + "tensor([[ true,  true, false,  true],\n        [false, false,  true, false]], bool)\n"
    ) { args, _ in
        let w = try args.tensor("w")
        let target = try pruningTarget(args)
        guard let scope = SelectionScope(rawValue: try args.string("scope")) else {
            throw args.error("scope", "`scope` must be \"row\" or \"layer\"")
        }
        if case .nm = target, scope == .layer {
            throw args.error("scope", "scope: \"layer\" applies to sparsity: only; n:m groups always lie within a row", kind: .value)
        }
        return try result(engine(args) { try Magnitude.prune(w, target: target, scope: scope) })
    }

    /// `wanda(w, act_norm, sparsity: s | nm: [n, m])`.
    static let wanda = Builtin(
        name: "wanda", category: category,
        parameters: [.required("w", .tensor), .required("act_norm", .tensor)] + targetParameters,
        returns: "record",
        summary: "Wanda: removes the weights of smallest `|w_ij|·act_norm_j` per row, returning `{weights, mask}`",
        doc: "`w` is `[out, in]`; `act_norm` is `[in]`, the inputs' norms as `calibrate` returns them "
            + "(`sqrt(Σ_t x_tj² / samples)`; only their ratios matter). Ranks within each output row (or each n:m "
            + "group), no weight update. " + targetDoc + " Sun et al., arXiv 2306.11695.",
        example: "w = [[1, 2, 3, 4], [4, 3, 2, 1]]\nr = wanda(w, [10, 1, 1, 1], sparsity: 0.5)\nprint(r.mask)\n"
            + "wanda(w, [10, 1, 1, 1], nm: [1, 2]).weights",
        output: "tensor([[ true, false, false,  true],\n        [ true,  true, false, false]], bool)\n"
            + "tensor([[1, 0, 0, 4],\n        [4, 0, 2, 0]], f32)\n"
    ) { args, _ in
        let w = try args.tensor("w"), actNorm = try args.tensor("act_norm")
        let target = try pruningTarget(args)
        return try result(engine(args) { try Wanda.prune(w, actNorm: actNorm, target: target) })
    }

    /// `gblm(w, grad_norm, act_norm, sparsity: s | nm: [n, m], alpha: 100)`.
    static let gblm = Builtin(
        name: "gblm", category: category,
        parameters: [.required("w", .tensor), .required("grad_norm", .tensor), .required("act_norm", .tensor)]
            + targetParameters + [.optional("alpha", .number, .number(GBLM.defaultAlpha))],
        returns: "record",
        summary: "GBLM-Pruner: removes the weights of smallest `|w|·act_norm + alpha·|w|·grad_norm` per row, returning `{weights, mask}`",
        doc: "`w` is `[out, in]`; `grad_norm` is `[out, in]`, the per-weight ℓ2 norm of gradients over calibration "
            + "windows, unscaled (`calibrate(..., stats: [\"grad\"])`, from the dense model); `act_norm` is `[in]` "
            + "(`calibrate`'s). `alpha` (≥ 0) weighs the gradient term once. Selects as `wanda` does; `alpha: 0` "
            + "gives Wanda's mask. " + targetDoc + " Das et al., arXiv 2311.04902.",
        example: "w = [[1, 2, 3, 4]]\ng = [[0, 0.05, 0, 0]]\nprint(gblm(w, g, [1, 1, 1, 1], sparsity: 0.5).mask)\n"
            + "gblm(w, g, [1, 1, 1, 1], sparsity: 0.5, alpha: 0).mask",
        output: "tensor([[false,  true, false,  true]], bool)\ntensor([[false, false,  true,  true]], bool)\n"
    ) { args, _ in
        let w = try args.tensor("w"), gradNorm = try args.tensor("grad_norm"), actNorm = try args.tensor("act_norm")
        let target = try pruningTarget(args)
        let alpha = try args.number("alpha")
        return try result(engine(args) {
            try GBLM.prune(w, gradNorm: gradNorm, actNorm: actNorm, alpha: alpha, target: target)
        })
    }

    /// One method `scores` knows: the statistics it takes after `w` (positionally), the
    /// keyword options of `scores` it reads, and its score function.
    struct ScoreMethod: Sendable {
        let name: String
        let statistics: [String]
        let options: [String]
        let score: @Sendable (_ w: Tensor, _ statistics: [Tensor], _ args: Arguments) throws -> ScoreMatrix
    }

    /// `scores`' dispatch table: add a method with its statistics here (and its options to
    /// `scores`' keyword parameters).
    static let scoreMethods: [ScoreMethod] = [
        ScoreMethod(name: "magnitude", statistics: [], options: []) { w, _, _ in try Magnitude.scores(w) },
        ScoreMethod(name: "wanda", statistics: ["act_norm"], options: []) { w, stats, _ in
            try Wanda.scores(w, actNorm: stats[0])
        },
        ScoreMethod(name: "gblm", statistics: ["grad_norm", "act_norm"], options: ["alpha"]) { w, stats, args in
            try GBLM.scores(w, gradNorm: stats[0], actNorm: stats[1], alpha: try args.optionalNumber("alpha") ?? GBLM.defaultAlpha)
        },
        ScoreMethod(name: "sparsegpt", statistics: ["hessian"], options: ["damp"]) { w, stats, args in
            let damp = try args.optionalNumber("damp") ?? SparseGPT.defaultDamp
            let scores = try SparseGPT.scores(weights: w, hessian: stats[0], damp: damp, warn: SparseGPTBuiltins.warn)
            return ScoreMatrix(rows: scores.shape[0], columns: scores.shape[1], values: scores.doubles())
        },
    ]

    /// The keyword options of `scores` (each nil unless given, so a method that does not read
    /// one can refuse it).
    static let scoreOptions: [Parameter] = [.optional("alpha", .optional(.number), .nilValue),
                                            .optional("damp", .optional(.number), .nilValue)]

    /// `scores(method, w, stats..., alpha:, damp:)`.
    static let scores = Builtin(
        name: "scores", category: category,
        parameters: [.required("method", .string), .required("w", .tensor), .variadic("stats", .tensor)] + scoreOptions,
        returns: "tensor",
        summary: "the importance scores a pruning method ranks by, as an f32 tensor shaped like `w` (larger = kept first)",
        doc: "`method` and the statistics after `w`: \"magnitude\" (none) → `|w|`; \"wanda\" (`act_norm`) → "
            + "`|w|·act_norm`; \"gblm\" (`grad_norm`, `act_norm`; option `alpha`, default 100) → "
            + "`|w|·act_norm + alpha·|w|·grad_norm`; \"sparsegpt\" (`hessian` = XᵀX; option `damp`, default 0.01) → "
            + "`w² / diag(U)²` with U the upper Cholesky factor of the damped inverse Hessian, SparseGPT's saliency "
            + "without its weight update (MaskLLM's default prior). The pruners compute these in f64 and select on them; this "
            + "returns them rounded to f32, for teaching and plotting. `mask_topk(scores(...), keep: 1 - s)` "
            + "equals the pruner's mask whenever the f32 rounding creates no new ties.",
        example: "print(scores(\"magnitude\", [[1, -2], [3, -4]]))\nscores(\"wanda\", [[1, -2], [3, -4]], [2, 1])",
        output: "tensor([[1, 2],\n        [3, 4]], f32)\ntensor([[2, 2],\n        [6, 4]], f32)\n"
    ) { args, _ in
        let name = try args.string("method")
        guard let method = scoreMethods.first(where: { $0.name == name }) else {
            let names = scoreMethods.map(\.name)
            let hint = closestName(to: name, among: names).map { " (did you mean \"\($0)\"?)" } ?? ""
            throw args.error("method", "unknown method \"\(name)\"\(hint); scores knows "
                             + names.map { "\"\($0)\"" }.joined(separator: ", "), kind: .value)
        }
        let w = try args.tensor("w")
        let given = try args.list("stats")
        guard given.count == method.statistics.count else {
            let wanted = method.statistics.isEmpty ? "none" : method.statistics.joined(separator: ", ")
            throw args.error("stats", "\"\(name)\" takes \(method.statistics.count) statistic"
                             + "\(method.statistics.count == 1 ? "" : "s") after w (\(wanted)), got \(given.count)", kind: .value)
        }
        for option in scoreOptions.map(\.name) where !method.options.contains(option) && !args.isNil(option) {
            throw args.error(option, "`\(option)` is not an option of \"\(name)\"", kind: .value)
        }
        let stats = try given.enumerated().map { i, value in
            do {
                return try value.asTensor()
            } catch let error as PrunebookError {
                throw args.error("stats", "\(method.statistics[i]): \(error.message)")
            }
        }
        return .tensor(try engine(args) { try method.score(w, stats, args) }.tensor())
    }

    /// `recon_error(w, w_pruned, gram)`.
    static let reconError = Builtin(
        name: "recon_error", category: category,
        parameters: [.required("w", .tensor), .required("w_pruned", .tensor), .required("gram", .tensor)],
        returns: "number",
        summary: "the relative output error of a pruned layer, `‖X(W−Ŵ)ᵀ‖² / ‖XWᵀ‖²`, from the Gram matrix `gram` = XᵀX",
        doc: "Computed as `tr((W−Ŵ) G (W−Ŵ)ᵀ) / tr(W G Wᵀ)` in f64 (BLAS), so the scale of G cancels: `calibrate`'s "
            + "`gram` works as it is. `w` and `w_pruned` are `[out, in]`, `gram` `[in, in]`. 0 when `w_pruned` equals "
            + "`w`. When `tr(W G Wᵀ)` is 0 (the layer's output is zero on the data) the result is 0 if the numerator "
            + "is 0 too and `inf` otherwise.",
        example: "w = randn([4, 8], seed: 1)\nx = randn([32, 8], seed: 2)\ng = x.T @ x\n"
            + "p = magnitude(w, sparsity: 0.5).weights\nprint(recon_error(w, w, g), format(recon_error(w, p, g), \".4f\"))\n"
            + "print(format(sum((x @ (w - p).T) ** 2) / sum((x @ w.T) ** 2), \".4f\"))",
        output: "0 0.1448\n0.1448\n"
    ) { args, _ in
        let w = try args.tensor("w"), pruned = try args.tensor("w_pruned"), gram = try args.tensor("gram")
        return .number(try engine(args) { try ReconstructionError.relative(w, pruned, gram: gram) })
    }

    /// `apply_masks(model, masks)`.
    static let applyMasks = Builtin(
        name: "apply_masks", category: category,
        parameters: [.required("model", .any), .required("masks", .record)],
        returns: "model",
        summary: "the model with each block linear named in `masks` multiplied by its bool keep-mask, the masks recorded as `model.masks`",
        doc: "`masks` maps `\"layers.{i}.{name}\"` (name one of wq wk wv wo w1 w2 w3) to a bool mask shaped like that "
            + "weight (true = kept), as `prune_model` returns them; removed weights become exactly 0. The returned "
            + "model's `masks` holds the model's earlier masks plus these; a weight masked twice records both "
            + "(their `and`), since the weights the first zeroed stay zero. `train` keeps masked weights at zero. "
            + "The argument model is not changed. Errors: a name that is not a block linear of the model, a mask "
            + "that is not a bool tensor, or of the wrong shape.",
        example: "m = init_model({dim: 8, hidden_dim: 16, n_layers: 2, n_heads: 2, vocab_size: 10, seq_len: 8})\n"
            + "mask = magnitude(m.layers[1].w1, sparsity: 0.75).mask\np = apply_masks(m, {\"layers.1.w1\": mask})\n"
            + "print(sparsity(p.layers[1].w1), sparsity(m.layers[1].w1), keys(p.masks))",
        output: "0.75 0 [\"layers.1.w1\"]\n"
    ) { args, _ in
        let model = try args.model("model")
        var masks: [(name: String, mask: Tensor)] = []
        for (name, value) in try args.record("masks").fields {
            guard let location = model.linearLocation(name) else {
                let names = model.blockLinears.map(\.name)
                let hint = closestName(to: name, among: names).map { " (did you mean `\($0)`?)" } ?? ""
                let last = max(0, model.weights.layers.count - 1)
                throw args.error("masks", "`\(name)` is not a block linear of this model\(hint); masks name "
                                 + "`layers.{i}.{wq, wk, wv, wo, w1, w2, w3}` with i in 0...\(last)", kind: .name)
            }
            // Lists convert as `tensor(list)` would (builtins.md: lists as tensors).
            let converted: Tensor? = switch value {
            case .tensor, .list: try? value.asTensor()
            default: nil
            }
            guard let mask = converted, mask.dtype == .bool else {
                let got = converted.map { "an \($0.dtype.rawValue) tensor (make one with `m != 0`)" } ?? value.typeName
                throw args.error("masks", "the mask of `\(name)` must be a bool tensor (true = kept), got \(got)")
            }
            let weight = model.weights.layers[location.layer][keyPath: location.path]
            guard mask.shape == weight.shape else {
                throw args.error("masks", "the mask of `\(name)` has shape \(formatShape(mask.shape)), the weight "
                                 + "\(formatShape(weight.shape))", kind: .shape)
            }
            masks.append((name, mask))
        }
        return .handle(try model.applyingMasks(masks))
    }

    /// Option `name` as a list `[n, m]` of two integers (checked as a pattern by the caller).
    static func nmPair(_ args: Arguments, _ name: String) throws -> (n: Int, m: Int) {
        let items = try args.list(name)
        let numbers = items.compactMap { item -> Int? in
            guard case .number(let x) = item, x == x.rounded(), abs(x) < 9.0e15 else { return nil }
            return Int(x)
        }
        guard items.count == 2, numbers.count == 2 else {
            throw args.error(name, "`\(name)` expects a list [n, m] of two integers (n kept of every m), got "
                             + Value.list(items).displayText)
        }
        return (numbers[0], numbers[1])
    }

    /// The `sparsity:`/`nm:` options as a checked target, errors located at the option.
    static func pruningTarget(_ args: Arguments) throws -> PruningTarget {
        let sparsity = try args.optionalNumber("sparsity")
        let nm = args.isNil("nm") ? nil : try nmPair(args, "nm")
        do {
            return try PruningTarget(sparsity: sparsity, nm: nm)
        } catch let error as PruningError {
            let parameter: String? = switch (sparsity, nm) {
            case (.some, .some), (nil, .some): "nm"
            case (.some, nil): "sparsity"
            case (nil, nil): nil
            }
            var located = ArgumentError(parameter: parameter, message: "`\(args.builtin.name)`: \(error.message)")
            located.kind = .value
            throw located
        }
    }

    /// Runs an engine check or call, turning its typed error (`PruningError`, `SparseError`, …)
    /// into an error about parameter `name`.
    static func engine<R, E: LanguageErrorConvertible>(_ args: Arguments, _ name: String, _ body: () throws(E) -> R) throws -> R {
        do {
            return try body()
        } catch {
            let converted = error.prunebookError
            throw args.error(name, converted.message, kind: converted.kind)
        }
    }

    /// Runs an engine call, turning a `PruningError` into an error about the parameter its
    /// message starts with (`act_norm must …`, `nm: [4, 8] does not fit …`), so the caret
    /// points at that argument.
    static func engine<R>(_ args: Arguments, _ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch let error as PruningError {
            let lead = String(error.message.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
            let parameter = args.builtin.parameters.contains { $0.name == lead } ? lead : nil
            var located = ArgumentError(parameter: parameter, message: "`\(args.builtin.name)`: \(error.message)")
            located.kind = error.prunebookError.kind
            throw located
        }
    }

    /// The `{weights, mask}` record of a pruner.
    static func result(_ layer: PrunedLayer) -> Value {
        .record(Record([("weights", .tensor(layer.weights)), ("mask", .tensor(layer.mask))]))
    }
}
