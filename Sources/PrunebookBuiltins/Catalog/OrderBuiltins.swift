import PrunebookLanguage
import TensorModule

/// Order builtins: sorting, top-k, k-th value, quantiles and unique values. All rest on the
/// engine's stable sort: among equal values the lower index comes first; NaN sorts last.
enum OrderBuiltins {
    static let all: [Builtin] = [sort, argsort, topk, kthvalue, quantile, unique]

    static let category = "Tensors: order"

    /// `sort(t, axis: -1, descending: false)`: the elements sorted along an axis.
    static let sort = Builtin(
        name: "sort", category: category,
        parameters: [.required("t", .tensor), .optional("axis", .integer, .number(-1)),
                     .optional("descending", .bool, .bool(false))],
        returns: "tensor",
        summary: "the elements sorted along `axis` (default the last), ascending unless `descending`",
        doc: "Stable: equal values keep their order. NaN sorts last in both directions. The dtype is kept; "
            + "`axis` counts from the end when negative.",
        example: "sort([[3, 1, 2], [0, 5, -1]], descending: true)",
        output: "tensor([[ 3,  2,  1],\n        [ 5,  0, -1]], f32)\n"
    ) { args, _ in
        let t = try args.tensor("t")
        let axis = try orderAxis(args, t)
        return .tensor(try t.sorted(axis: axis, descending: try args.bool("descending")))
    }

    /// `argsort(t, axis: -1, descending: false)`: the positions that sort the elements.
    static let argsort = Builtin(
        name: "argsort", category: category,
        parameters: [.required("t", .tensor), .optional("axis", .integer, .number(-1)),
                     .optional("descending", .bool, .bool(false))],
        returns: "tensor",
        summary: "the i32 positions along `axis` that sort the elements (`t[argsort(t)]` is `sort(t)` for 1-D `t`)",
        doc: "Stable in both directions: among equal values the lower index comes first. NaN sorts last. "
            + "The result is i32 and has the shape of `t`.",
        example: "argsort([3, 1, 3, 2], descending: true)",
        output: "tensor([0, 2, 3, 1], i32)\n"
    ) { args, _ in
        let t = try args.tensor("t")
        let axis = try orderAxis(args, t)
        return .tensor(try t.argsort(axis: axis, descending: try args.bool("descending")))
    }

    /// `topk(t, k, axis: -1)`: the k largest values and their positions.
    static let topk = Builtin(
        name: "topk", category: category,
        parameters: [.required("t", .tensor), .required("k", .integer), .optional("axis", .integer, .number(-1))],
        returns: "record",
        summary: "the `k` largest elements along `axis`, largest first, as `{values, indices}`",
        doc: "`values` keeps the dtype of `t`, `indices` is i32; both have length `k` along `axis`. Among equal "
            + "values the lower index comes first; NaN counts as smaller than every number. An error unless "
            + "`0 ≤ k ≤` the length of the axis.",
        example: "r = topk([4, 9, 1, 9], 2)\nprint(r.values, r.indices)",
        output: "tensor([9, 9], f32) tensor([1, 3], i32)\n"
    ) { args, _ in
        let t = try args.tensor("t")
        let axis = try orderAxis(args, t)
        let k = try args.int("k")
        let length = t.shape[axis]
        guard k >= 0, k <= length else {
            throw args.error("k", "`k` must be between 0 and \(length) (the length of axis \(axis) of shape \(formatShape(t.shape))), got \(k)")
        }
        let result = try t.topk(k, axis: axis)
        return .record(Record([("values", .tensor(result.values)), ("indices", .tensor(result.indices))]))
    }

    /// `kthvalue(t, k, axis: -1)`: the k-th smallest value and its position.
    static let kthvalue = Builtin(
        name: "kthvalue", category: category,
        parameters: [.required("t", .tensor), .required("k", .integer), .optional("axis", .integer, .number(-1))],
        returns: "record",
        summary: "the `k`-th smallest element along `axis` (1-based, like `torch.kthvalue`) as `{values, indices}`",
        doc: "The axis is removed; for a 1-D tensor both fields are numbers. Among equal values the lower index "
            + "is taken first. An error unless `1 ≤ k ≤` the length of the axis.",
        example: "kthvalue([[5, 1, 3], [2, 8, 6]], 2)",
        output: "{values: tensor([3, 6], f32), indices: tensor([2, 2], i32)}\n"
    ) { args, _ in
        let t = try args.tensor("t")
        let axis = try orderAxis(args, t)
        let k = try args.int("k")
        let length = t.shape[axis]
        guard k >= 1, k <= length else {
            throw args.error("k", "`k` must be between 1 and \(length) (the length of axis \(axis) of shape \(formatShape(t.shape))), got \(k)")
        }
        let result = try t.kthvalue(k, axis: axis)
        return .record(Record([("values", Value(tensorOrScalar: result.values)),
                               ("indices", Value(tensorOrScalar: result.indices))]))
    }

    /// `quantile(t, q, axis: nil)`: the q-quantile with linear interpolation.
    static let quantile = Builtin(
        name: "quantile", category: category,
        parameters: [.required("t", .tensor), .required("q", .number), .optional("axis", .optional(.integer), .nilValue)],
        returns: "number | tensor",
        summary: "the `q`-quantile (0 ≤ q ≤ 1) of all elements, or along `axis`, interpolating linearly like NumPy",
        doc: "Without `axis` the result is a number; with one, an f32 tensor with that axis removed. A slice "
            + "holding NaN gives NaN. An error when `q` is outside [0, 1] or the tensor is empty.",
        example: "quantile([1, 2, 3, 4], 0.5)",
        output: "2.5\n"
    ) { args, _ in
        let t = try args.tensor("t")
        let q = try args.number("q")
        guard q >= 0, q <= 1 else {
            throw args.error("q", "`q` must be between 0 and 1, got \(formatNumber(q))")
        }
        let axis = try args.axis("axis", ndim: t.ndim)
        if axis != nil && t.ndim == 0 {
            throw args.error("axis", "a 0-d tensor has no axis")
        }
        guard t.count > 0 || axis != nil else {
            throw args.error("t", "the quantile of an empty tensor is undefined (shape \(formatShape(t.shape)))")
        }
        return Value(tensorOrScalar: try t.quantile(q, axis: axis))
    }

    /// `unique(t, counts: false)`: the sorted distinct values.
    static let unique = Builtin(
        name: "unique", category: category,
        parameters: [.required("t", .tensor), .optional("counts", .bool, .bool(false))],
        returns: "tensor | record",
        summary: "the distinct elements in ascending order as a 1-D tensor; with `counts: true`, `{values, counts}`",
        doc: "The tensor is flattened first and the dtype kept. `0` and `-0` are one value; all NaNs are one "
            + "value, last. With `counts: true` the record's `counts` is an i32 tensor of how often each occurs.",
        example: "unique([3, 1, 3, 2, 1], counts: true)",
        output: "{values: tensor([1, 2, 3], f32), counts: tensor([2, 1, 2], i32)}\n"
    ) { args, _ in
        let t = try args.tensor("t")
        let result = t.unique()
        guard try args.bool("counts") else { return .tensor(result.values) }
        let counts = Tensor(shape: [result.counts.count], i32: result.counts.map { Int32(clamping: $0) })
        return .record(Record([("values", .tensor(result.values)), ("counts", .tensor(counts))]))
    }

    /// The normalised `axis` argument; a 0-d tensor has no axis to order along.
    private static func orderAxis(_ args: Arguments, _ t: Tensor) throws -> Int {
        guard t.ndim > 0 else {
            throw args.error("t", "`t` must have at least 1 dimension, got a 0-d tensor")
        }
        guard let axis = try args.axis("axis", ndim: t.ndim) else {
            throw args.error("axis", "`axis` must be an integer, got nil")
        }
        return axis
    }
}
