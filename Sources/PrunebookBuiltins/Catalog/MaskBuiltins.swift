import PrunebookLanguage
import TensorModule

/// Mask builtins: sparsity (of a tensor and per layer), applying masks, top-k and N:M masks
/// and N:M checks. Counts and ties follow algorithms.md §0; the engine functions live in
/// `Tensor+Masks.swift`.
enum MaskBuiltins {
    static let all: [Builtin] = [sparsity, density, layerSparsity, applyMask, maskTopK, maskNM, isNM, isTransposableNM]

    static let category = "Masks and sparsity"

    /// `sparsity(t)`: the fraction of zeros.
    static let sparsity = Builtin(
        name: "sparsity", category: category,
        parameters: [.required("t", .tensor)],
        returns: "number",
        summary: "the fraction of elements that are zero (false for a bool tensor)",
        doc: "A number between 0 and 1; NaN does not count as zero; an empty tensor has sparsity 0.",
        example: "sparsity([[0, 1], [0, 0]])",
        output: "0.75\n"
    ) { args, _ in
        .number(try args.tensor("t").sparsity())
    }

    /// `density(t)`: the fraction of nonzeros.
    static let density = Builtin(
        name: "density", category: category,
        parameters: [.required("t", .tensor)],
        returns: "number",
        summary: "the fraction of elements that are nonzero (true), `1 - sparsity(t)`",
        doc: "A number between 0 and 1; NaN counts as nonzero; an empty tensor has density 1.",
        example: "density([true, false, true, true])",
        output: "0.75\n"
    ) { args, _ in
        .number(try args.tensor("t").density())
    }

    /// `layer_sparsity(model_or_record)`: name → sparsity.
    static let layerSparsity = Builtin(
        name: "layer_sparsity", category: category,
        parameters: [.required("model_or_record", .any)],
        returns: "record",
        summary: "the sparsity of each prunable layer: a record name → fraction of zeros",
        doc: "For a model: every block linear `\"layers.{i}.{name}\"` (wq wk wv wo w1 w2 w3) in model order, as "
            + "pruning reports it (the embedding, classifier and norms are never pruned). For a record of tensors "
            + "(weights or bool masks, e.g. `prune_model`'s `masks`): each entry in order, a mask's sparsity being "
            + "its fraction of `false`. No overall entry: `mean(values(...))` is the mean over layers, not over "
            + "weights.",
        example: "print(layer_sparsity({a: [[0, 1], [2, 0]], b: [true, true, false, true]}))\n"
            + "m = init_model({dim: 8, hidden_dim: 16, n_layers: 1, n_heads: 2, vocab_size: 10, seq_len: 8})\n"
            + "keys(layer_sparsity(m))",
        output: "{a: 0.5, b: 0.25}\n[\"layers.0.wq\", \"layers.0.wk\", \"layers.0.wv\", \"layers.0.wo\", \"layers.0.w1\", \"layers.0.w2\", \"layers.0.w3\"]\n"
    ) { args, _ in
        let entries: [(String, Tensor)]
        switch args["model_or_record"] {
        case .handle(let h as ModelHandle):
            entries = h.blockLinears.map { ($0.name, $0.weight) }
        case .record(let r):
            entries = try r.fields.map { name, value in
                do {
                    return (name, try value.asTensor())
                } catch {
                    throw args.error("model_or_record", "entry `\(name)` must be a tensor (weights or a mask), got \(value.typeName)")
                }
            }
        case let other:
            throw args.error("model_or_record", "`model_or_record` expects a model or a record of tensors, got \(other.typeName)")
        }
        return .record(Record(entries.map { ($0.0, Value.number($0.1.sparsity())) }))
    }

    /// `apply_mask(w, m)`: w with the masked-out entries zeroed.
    static let applyMask = Builtin(
        name: "apply_mask", category: category,
        parameters: [.required("w", .tensor), .required("m", .tensor)],
        returns: "tensor",
        summary: "`w` with the entries where the bool mask `m` is false set to zero",
        doc: "`m` must be a bool tensor of the same shape as `w` (`true` = kept). The dtype of `w` is kept.",
        example: "apply_mask([[1, 2], [3, 4]], [[true, false], [false, true]])",
        output: "tensor([[1, 0],\n        [0, 4]], f32)\n"
    ) { args, _ in
        let w = try args.tensor("w")
        let m = try args.tensor("m")
        guard m.dtype == .bool else {
            throw args.error("m", "`m` must be a bool mask, got \(m.dtype.rawValue) (make one with `m != 0`)")
        }
        guard m.shape == w.shape else {
            throw args.error("m", "the mask's shape \(formatShape(m.shape)) does not match `w`'s \(formatShape(w.shape))")
        }
        return .tensor(try w.applyingMask(m))
    }

    /// `mask_topk(scores, keep: f, axis: 1)`: keep the largest scores per slice.
    static let maskTopK = Builtin(
        name: "mask_topk", category: category,
        parameters: [.required("scores", .tensor), .required("keep", .number),
                     .optional("axis", .optional(.integer), .number(1))],
        returns: "tensor",
        summary: "a bool mask keeping the largest scores per row (`axis: 1`), per column (`axis: 0`) or overall (`axis: nil`)",
        doc: "`keep` is a fraction `0 < f < 1`, keeping `L - floor((1-f)·L + 1e-9)` of each slice of length `L` "
            + "(so `keep: 0.43` of 100 keeps 43), or an integer `f ≥ 1` counting entries (`keep: 1` keeps one), "
            + "or 0 (keeps none). Ties: the lower index is kept first (row-major for `axis: nil`); NaN scores "
            + "rank last. Errors: a non-integer `keep` above 1, or more entries than a slice holds. A 1-D "
            + "tensor needs `axis: 0` or `axis: nil`.",
        example: "mask_topk([[3, 1, 2], [0, 5, 5]], keep: 2)",
        output: "tensor([[ true, false,  true],\n        [false,  true,  true]], bool)\n"
    ) { args, _ in
        let scores = try args.tensor("scores")
        let axis = try args.axis("axis", ndim: scores.ndim)
        let keep = try args.number("keep")
        let length = axis.map { scores.ndim == 0 ? 1 : scores.shape[$0] } ?? scores.count
        do {
            _ = try Tensor.maskKeptCount(keep: keep, length: length)
        } catch let error as TensorError {
            throw args.error("keep", error.message + (axis == nil ? "" : " (axis \(axis ?? 0) of shape \(formatShape(scores.shape)))"))
        }
        if scores.ndim == 0 && axis != nil {
            throw args.error("axis", "a 0-d tensor has no axis; use `axis: nil`")
        }
        return .tensor(try scores.maskTopK(keep: keep, axis: axis))
    }

    /// `mask_nm(scores, n, m, axis: 1)`: keep the n largest of every m consecutive scores.
    static let maskNM = Builtin(
        name: "mask_nm", category: category,
        parameters: [.required("scores", .tensor), .required("n", .integer), .required("m", .integer),
                     .optional("axis", .integer, .number(1))],
        returns: "tensor",
        summary: "a bool mask keeping the `n` largest of every `m` consecutive scores along `axis` (N:M sparsity)",
        doc: "Groups are `[0, m)`, `[m, 2m)`, … along `axis` (default 1: consecutive inputs of a row). `n` counts "
            + "kept entries (2:4 keeps 2 of 4). Ties: the lower index wins; NaN ranks last. Errors: unless "
            + "`0 < n ≤ m`, or when the axis length is not a multiple of `m` (the message lists the m that fit).",
        example: "mask_nm([[1, 4, 3, 2, 8, 5, 6, 7]], 2, 4)",
        output: "tensor([[false,  true,  true, false,  true, false, false,  true]], bool)\n"
    ) { args, _ in
        let scores = try args.tensor("scores")
        let (n, m, axis) = try nmArguments(args, scores)
        return .tensor(try scores.maskNM(n: n, m: m, axis: axis))
    }

    /// `is_nm(mask, n, m, axis: 1)`: whether every group of m has at most n kept.
    static let isNM = Builtin(
        name: "is_nm", category: category,
        parameters: [.required("mask", .tensor), .required("n", .integer), .required("m", .integer),
                     .optional("axis", .integer, .number(1))],
        returns: "bool",
        summary: "whether every group of `m` consecutive entries along `axis` has at most `n` nonzero (true) entries",
        doc: "Works on bool masks and on weights (nonzero = kept). Checks at most `n`, which is what sparse "
            + "hardware needs. Errors like `mask_nm`'s when `n`, `m` or the axis length do not fit.",
        example: "is_nm([[true, false, false, true], [true, true, false, false]], 2, 4)",
        output: "true\n"
    ) { args, _ in
        let mask = try args.tensor("mask")
        let (n, m, axis) = try nmArguments(args, mask)
        return .bool(try mask.isNM(n: n, m: m, axis: axis))
    }

    /// `is_transposable_nm(mask, n, m)`: N:M along rows and columns of every m×m block.
    static let isTransposableNM = Builtin(
        name: "is_transposable_nm", category: category,
        parameters: [.required("mask", .tensor), .required("n", .integer), .required("m", .integer)],
        returns: "bool",
        summary: "whether every `m × m` block of a 2-D mask has at most `n` nonzero entries in each row and each column",
        doc: "Such a mask is N:M both as it is and transposed (TSENOR). Both dimensions must be multiples of `m` "
            + "and `0 < n ≤ m`.",
        example: "is_transposable_nm([[1, 0, 0, 1], [0, 1, 1, 0]], 1, 2)",
        output: "true\n"
    ) { args, _ in
        let mask = try args.tensor("mask")
        let n = try args.int("n"), m = try args.int("m")
        try checkNM(args, n: n, m: m)
        guard mask.ndim == 2 else {
            throw args.error("mask", "`mask` must be 2-d, got shape \(formatShape(mask.shape))")
        }
        try checkBlocks(args, shape: mask.shape, m: m)
        return .bool(try mask.isTransposableNM(n: n, m: m))
    }

    /// Requires both dimensions of a 2-D shape to be multiples of `m` (whole `m × m` blocks).
    static func checkBlocks(_ args: Arguments, shape: [Int], m: Int) throws {
        for axis in 0..<2 where shape[axis] % m != 0 {
            throw args.error("m", Tensor.nmLengthMessage(shape: shape, axis: axis, m: m))
        }
    }

    /// Checks `n`, `m` and `axis` of an N:M builtin, returning the normalised axis.
    private static func nmArguments(_ args: Arguments, _ t: Tensor) throws -> (n: Int, m: Int, axis: Int) {
        let n = try args.int("n"), m = try args.int("m")
        try checkNM(args, n: n, m: m)
        guard t.ndim > 0 else {
            throw args.error("axis", "a 0-d tensor has no axis to group along")
        }
        guard let axis = try args.axis("axis", ndim: t.ndim) else {
            throw args.error("axis", "`axis` must be an integer, got nil")
        }
        guard t.shape[axis] % m == 0 else {
            throw args.error("m", Tensor.nmLengthMessage(shape: t.shape, axis: axis, m: m))
        }
        return (n, m, axis)
    }

    /// Requires `0 < n ≤ m`.
    static func checkNM(_ args: Arguments, n: Int, m: Int) throws {
        guard n > 0, m > 0, n <= m else {
            throw args.error(m > 0 ? "n" : "m",
                             "an n:m pattern keeps n of every m and needs 0 < n ≤ m, got n = \(n), m = \(m)")
        }
    }
}
