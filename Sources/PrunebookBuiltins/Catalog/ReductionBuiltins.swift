import PrunebookLanguage
import TensorModule

/// Reductions: the `sum`/`mean`/…/`count_nonzero` family (one shared builder over the
/// engine's `ReduceOp`), `norm`, `cumsum`, `logsumexp` and `softmax`. Axes follow NumPy:
/// `axis` nil reduces every axis (giving a number or bool), an integer or a list of integers
/// reduces those axes (negative counting from the end), and `keepdims` keeps them as size 1.
enum ReductionBuiltins {
    static let all: [Builtin] = [
        sum, mean, max, min, prod, variance, std, argmax, argmin, any, all_, countNonzero,
        norm, cumsum, logsumexp, softmax,
    ]

    static let category = "Tensors: reductions"

    /// `sum(t, axis: nil, keepdims: false)`.
    static let sum = reduction(.sum, "the sum of the elements over `axis` (all axes by default)",
                               doc: "f32 stays f32; i32 and bool give i32 (an error if the sum leaves the i32 range). "
                                   + "Accumulates in Double. The sum of nothing is 0.",
                               example: "print(sum([[1, 2], [3, 4]]))\nsum([[1, 2], [3, 4]], axis: 0)",
                               output: "10\ntensor([4, 6], f32)\n")

    /// `mean(t, axis: nil, keepdims: false)`.
    static let mean = reduction(.mean, "the arithmetic mean over `axis` (all axes by default)",
                                doc: "Gives f32 for every dtype. The mean of nothing is nan.",
                                example: "mean([[1, 2], [3, 5]], axis: 1)",
                                output: "tensor([1.5000, 4.0000], f32)\n")

    /// `max(t, axis: nil, keepdims: false)`.
    static let max = reduction(.max, "the largest element over `axis` (all axes by default)",
                               doc: "Keeps the dtype; nan propagates (any nan gives nan). The max of an empty "
                                   + "tensor is an error.",
                               example: "max([[1, 7], [3, 4]], axis: -1, keepdims: true)",
                               output: "tensor([[7],\n        [4]], f32)\n")

    /// `min(t, axis: nil, keepdims: false)`.
    static let min = reduction(.min, "the smallest element over `axis` (all axes by default)",
                               doc: "Keeps the dtype; nan propagates (any nan gives nan). The min of an empty "
                                   + "tensor is an error.",
                               example: "min([3, -1, 2])",
                               output: "-1\n")

    /// `prod(t, axis: nil, keepdims: false)`.
    static let prod = reduction(.prod, "the product of the elements over `axis` (all axes by default)",
                                doc: "f32 stays f32; i32 and bool give i32 (an error if the product leaves the "
                                    + "i32 range). The product of nothing is 1.",
                                example: "prod([[1, 2], [3, 4]], axis: 1)",
                                output: "tensor([ 2, 12], f32)\n")

    /// `var(t, axis: nil, keepdims: false)`.
    static let variance = reduction(.var_, "the population variance (ddof 0, like NumPy) over `axis`",
                                    doc: "`mean((x - mean(x))²)`; gives f32.",
                                    example: "var([1, 2, 3, 4])",
                                    output: "1.25\n")

    /// `std(t, axis: nil, keepdims: false)`.
    static let std = reduction(.std, "the population standard deviation (ddof 0, like NumPy) over `axis`",
                               doc: "The square root of `var`; gives f32.",
                               example: "std([[1, 3], [5, 5]], axis: 1)",
                               output: "tensor([1, 0], f32)\n")

    /// `argmax(t, axis: nil, keepdims: false)`.
    static let argmax = reduction(.argmax, "the position of the largest element along `axis`",
                                  doc: "With `axis` nil the position is the flat (row-major) index, as a number; "
                                      + "with an axis, an i32 tensor of positions along it. Ties give the first "
                                      + "occurrence. Takes one axis at most; an empty tensor is an error.",
                                  example: "print(argmax([[1, 9], [8, 2]]))\nargmax([[1, 9], [8, 2]], axis: 0)",
                                  output: "1\ntensor([1, 0], i32)\n")

    /// `argmin(t, axis: nil, keepdims: false)`.
    static let argmin = reduction(.argmin, "the position of the smallest element along `axis`",
                                  doc: "With `axis` nil the position is the flat (row-major) index, as a number; "
                                      + "with an axis, an i32 tensor of positions along it. Ties give the first "
                                      + "occurrence. Takes one axis at most; an empty tensor is an error.",
                                  example: "argmin([[4, 1], [0, 5]], axis: 1)",
                                  output: "tensor([1, 0], i32)\n")

    /// `any(t, axis: nil, keepdims: false)`.
    static let any = reduction(.any, "whether any element is true (nonzero) over `axis`",
                               doc: "Numbers count as true when nonzero (nan is true). Over all axes gives a bool; "
                                   + "`any` of nothing is false.",
                               example: "t = tensor([[1, -2], [3, 4]])\n[any(t < 0), any(t < 0, axis: 1)]",
                               output: "[true, tensor([ true, false], bool)]\n")

    /// `all(t, axis: nil, keepdims: false)`.
    static let all_ = reduction(.all, "whether every element is true (nonzero) over `axis`",
                                doc: "Numbers count as true when nonzero (nan is true). Over all axes gives a bool; "
                                    + "`all` of nothing is true.",
                                example: "all([[1, 2], [0, 3]] > 0, axis: 0)",
                                output: "tensor([false,  true], bool)\n")

    /// `count_nonzero(t, axis: nil, keepdims: false)`.
    static let countNonzero = reduction(.countNonzero, "the number of nonzero (true) elements over `axis`",
                                        doc: "nan counts as nonzero. Over all axes gives a number, otherwise an i32 "
                                            + "tensor.",
                                        example: "count_nonzero([[0, 1, 2], [0, 0, 3]], axis: 1)",
                                        output: "tensor([2, 1], i32)\n")

    /// `norm(t, p: 2, axis: nil, keepdims: false)`: the vector p-norm.
    static let norm = Builtin(
        name: "norm", category: category,
        parameters: [.required("t", .tensor), .optional("p", .either(.number, .choice(["inf", "-inf"])), .number(2)),
                     .optional("axis", .optional(.either(.integer, .list)), .nilValue),
                     .optional("keepdims", .bool, .bool(false))],
        returns: "number | tensor",
        summary: "the vector p-norm over `axis` (all axes by default: the Frobenius norm of a matrix for p 2)",
        doc: "Like `torch.linalg.vector_norm`: `p` 2 (default) is the Euclidean norm, 1 the sum of |x|, 0 the "
            + "number of nonzeros, any other number `(Σ|x|^p)^(1/p)`; the strings \"inf\" and \"-inf\" give the "
            + "largest and smallest |x|. The elements are flattened over the reduced axes, so a matrix gives the "
            + "Frobenius norm, not the spectral norm. Gives f32, accumulated in Double.",
        example: "print(norm([3, 4]))\nprint(norm([3, -4], p: \"inf\"))\nnorm([[3, 4], [6, 8]], p: 1, axis: 1)",
        output: "5\n4\ntensor([ 7, 14], f32)\n"
    ) { args, _ in
        let t = try args.tensor("t")
        let p: Double
        switch args["p"] {
        case .string(let s): p = s == "inf" ? .infinity : -.infinity
        default:
            p = try args.number("p")
            guard !p.isNaN else { throw args.error("p", "`p` must be a number or \"inf\", got nan") }
        }
        let axes = try TensorArguments.axes(args, "axis", ndim: t.ndim)
        let keepdims = try args.bool("keepdims")
        return Value(tensorOrScalar: try TensorArguments.engine(args, "t") { try t.norm(p: p, axes: axes, keepdims: keepdims) })
    }

    /// `cumsum(t, axis: nil)`: running sums.
    static let cumsum = Builtin(
        name: "cumsum", category: category,
        parameters: [.required("t", .tensor), .optional("axis", .optional(.integer), .nilValue)],
        returns: "tensor",
        summary: "the running sums along `axis`, or over the flattened elements when `axis` is nil (giving 1-D)",
        doc: "The result has the shape of `t` (1-D for `axis` nil). f32 stays f32, accumulated in Double; i32 "
            + "and bool give i32 (an error if a sum leaves the i32 range).",
        example: "print(cumsum([[1, 2], [3, 4]]))\ncumsum([[1, 2], [3, 4]], axis: 0)",
        output: "tensor([ 1,  3,  6, 10], f32)\ntensor([[1, 2],\n        [4, 6]], f32)\n"
    ) { args, _ in
        let t = try args.tensor("t")
        let axis = try TensorArguments.axis(args, "axis", ndim: t.ndim)
        return .tensor(try TensorArguments.engine(args, "t") { try t.cumsum(axis: axis) })
    }

    /// `logsumexp(t, axis: nil, keepdims: false)`: log Σ exp, computed stably.
    static let logsumexp = Builtin(
        name: "logsumexp", category: category,
        parameters: [.required("t", .tensor), .optional("axis", .optional(.integer), .nilValue),
                     .optional("keepdims", .bool, .bool(false))],
        returns: "number | tensor",
        summary: "`log(sum(exp(t)))` over `axis` (all axes by default), without overflow",
        doc: "Computed as `m + log(Σ exp(x - m))` with `m` the maximum, so large inputs do not overflow. All -inf "
            + "gives -inf, +inf gives +inf and nan propagates. Gives f32. Takes one axis or nil.",
        example: "print(logsumexp([1000, 1000]))\nlogsumexp([[0, 0], [1, 2]], axis: 1)",
        output: "1000.6932\ntensor([0.6931, 2.3133], f32)\n"
    ) { args, _ in
        let t = try args.tensor("t")
        let axis = try TensorArguments.axis(args, "axis", ndim: t.ndim)
        let keepdims = try args.bool("keepdims")
        return Value(tensorOrScalar: try TensorArguments.engine(args, "t") { try t.logsumexp(axis: axis, keepdims: keepdims) })
    }

    /// `softmax(t, axis: -1)`: exponentials normalised to sum 1 along an axis.
    static let softmax = Builtin(
        name: "softmax", category: category,
        parameters: [.required("t", .tensor), .optional("axis", .integer, .number(-1))],
        returns: "tensor",
        summary: "`exp(t) / sum(exp(t))` along `axis` (default the last), computed stably",
        doc: "The maximum is subtracted before exponentiating, so large inputs do not overflow. Gives an f32 "
            + "tensor of the same shape whose slices along `axis` sum to 1.",
        example: "softmax([[1, 2, 3], [0, 0, 0]])",
        output: "tensor([[0.0900, 0.2447, 0.6652],\n        [0.3333, 0.3333, 0.3333]], f32)\n"
    ) { args, _ in
        if let traced = TracedTensor.from(args["t"]) {
            guard try TensorArguments.axis(args, "axis", ndim: traced.primal.ndim) == traced.primal.ndim - 1 else {
                throw args.error("axis", "under grad, `softmax` runs over the last axis only")
            }
            return traced.traced(try traced.tape.softmax(traced.variable))
        }
        let t = try args.tensor("t")
        guard let axis = try TensorArguments.axis(args, "axis", ndim: t.ndim) else {
            throw args.error("axis", "`axis` must be an integer")
        }
        return .tensor(try TensorArguments.engine(args, "t") { try t.softmax(axis: axis) })
    }

    /// The builtin named after `op`, taking `(t, axis: nil, keepdims: false)`. Over every axis
    /// without `keepdims` the result is a number (a bool for `any`/`all`).
    static func reduction(_ op: ReduceOp, _ summary: String, doc: String, example: String, output: String) -> Builtin {
        let singleAxis = op == .argmax || op == .argmin
        let axisType: ParameterType = singleAxis ? .optional(.integer) : .optional(.either(.integer, .list))
        let axisDoc = singleAxis
            ? "`axis` is nil or one integer (negative counts from the end)."
            : "`axis` is nil (every axis), an integer or a list of integers (negative counts from the end)."
        let returns = op == .any || op == .all ? "bool | tensor" : "number | tensor"
        return Builtin(
            name: op.name, category: category,
            parameters: [.required("t", .tensor), .optional("axis", axisType, .nilValue),
                         .optional("keepdims", .bool, .bool(false))],
            returns: returns,
            summary: summary,
            doc: doc + " " + axisDoc + " `keepdims: true` keeps reduced axes as size 1.",
            example: example,
            output: output
        ) { args, _ in
            if let traced = TracedTensor.from(args["t"]) {
                let axes = try TensorArguments.axes(args, "axis", ndim: traced.primal.ndim)
                return try traced.reduced(op, axes: axes, keepdims: try args.bool("keepdims"))
            }
            let t = try args.tensor("t")
            let axes = try TensorArguments.axes(args, "axis", ndim: t.ndim)
            let keepdims = try args.bool("keepdims")
            return Value(tensorOrScalar: try TensorArguments.engine(args, "t") {
                try t.reduce(op, axes: axes, keepdims: keepdims)
            })
        }
    }
}
