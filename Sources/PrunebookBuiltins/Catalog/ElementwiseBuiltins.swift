import Foundation
import PrunebookLanguage
import TensorModule

/// Elementwise builtins: the unary math functions (one shared builder over the engine's
/// `UnaryOp`), `clip`, `where`, `maximum`, `minimum`, `isnan` and `isfinite`. A plain number
/// gives a number, computed in Double like the language's arithmetic; a tensor or list gives a
/// tensor computed by the engine (f32, keeping i32 where the operation allows).
enum ElementwiseBuiltins {
    static let all: [Builtin] = [
        abs, sqrt, exp, log, log1p, sign, floor, ceil, round, relu, silu, gelu, sigmoid, tanh, sin, cos,
        clip, where_, maximum, minimum, isnan, isfinite,
    ]

    static let category = "Tensors: elementwise"

    /// `abs(x)`: the absolute value.
    static let abs = unary(.abs, "the absolute value |x|",
                           doc: "i32 (and bool) tensors stay i32; f32 stays f32.",
                           example: "abs([-2, 0, 3.5])",
                           output: "tensor([2.0000, 0.0000, 3.5000], f32)\n")

    /// `sqrt(x)`: the square root.
    static let sqrt = unary(.sqrt, "the square root; negative inputs give nan",
                           example: "[sqrt(16), sqrt(2)]",
                           output: "[4, 1.4142135623730951]\n")

    /// `exp(x)`: e to the power x.
    static let exp = unary(.exp, "e raised to the power x",
                           example: "exp([0, 1])",
                           output: "tensor([1.0000, 2.7183], f32)\n")

    /// `log(x)`: the natural logarithm.
    static let log = unary(.log, "the natural logarithm; 0 gives -inf, negative inputs nan",
                           example: "log([1, 0])",
                           output: "tensor([   0, -inf], f32)\n")

    /// `log1p(x)`: log(1 + x), accurate for small x.
    static let log1p = unary(.log1p, "log(1 + x), accurate when x is tiny",
                             example: "log1p(1e-10)",
                             output: "9.999999999500001e-11\n")

    /// `sign(x)`: -1, 0 or 1.
    static let sign = unary(.sign, "-1 for negative, 0 for zero, 1 for positive values (nan stays nan)",
                            doc: "i32 (and bool) tensors give i32; f32 stays f32.",
                            example: "sign([-3, 0, 2])",
                            output: "tensor([-1,  0,  1], f32)\n")

    /// `floor(x)`: rounded down.
    static let floor = unary(.floor, "rounded down to an integer value",
                             example: "floor([-1.5, 1.5])",
                             output: "tensor([-2,  1], f32)\n")

    /// `ceil(x)`: rounded up.
    static let ceil = unary(.ceil, "rounded up to an integer value",
                            example: "ceil([-1.5, 1.5])",
                            output: "tensor([-1,  2], f32)\n")

    /// `round(x)`: rounded to the nearest integer, ties to even.
    static let round = unary(.round, "rounded to the nearest integer value, halves to even (like NumPy)",
                             example: "round([0.5, 1.5, 2.5, -0.7])",
                             output: "tensor([ 0,  2,  2, -1], f32)\n")

    /// `relu(x)`: max(x, 0).
    static let relu = unary(.relu, "max(x, 0); nan stays nan",
                            example: "relu([-1, 0.5])",
                            output: "tensor([0.0000, 0.5000], f32)\n")

    /// `silu(x)`: x · sigmoid(x).
    static let silu = unary(.silu, "x · sigmoid(x) (also called swish)",
                            example: "silu([-1, 0, 1])",
                            output: "tensor([-0.2689,  0.0000,  0.7311], f32)\n")

    /// `gelu(x)`: the exact Gaussian error linear unit.
    static let gelu = unary(.gelu, "the exact GELU, 0.5·x·(1 + erf(x/√2))",
                            doc: "The erf form (PyTorch's default), not the tanh approximation.",
                            example: "gelu([-1, 0, 1])",
                            output: "tensor([-0.1587,  0.0000,  0.8413], f32)\n")

    /// `sigmoid(x)`: 1 / (1 + e^-x).
    static let sigmoid = unary(.sigmoid, "the logistic function 1 / (1 + e^-x), without overflow for large |x|",
                               example: "sigmoid([-2, 0, 2])",
                               output: "tensor([0.1192, 0.5000, 0.8808], f32)\n")

    /// `tanh(x)`: the hyperbolic tangent.
    static let tanh = unary(.tanh, "the hyperbolic tangent",
                            example: "tanh([0, 1])",
                            output: "tensor([0.0000, 0.7616], f32)\n")

    /// `sin(x)`: the sine (radians).
    static let sin = unary(.sin, "the sine of an angle in radians",
                           example: "sin([0, 1])",
                           output: "tensor([0.0000, 0.8415], f32)\n")

    /// `cos(x)`: the cosine (radians).
    static let cos = unary(.cos, "the cosine of an angle in radians",
                           example: "cos([0, 1])",
                           output: "tensor([1.0000, 0.5403], f32)\n")

    /// `isnan(x)`: whether each element is nan.
    static let isnan = unary(.isnan, "true where the element is nan",
                             doc: "Gives a bool tensor (a bool for a number); i32 and bool tensors have no nan.",
                             example: "isnan([1, 0 / 0, 1 / 0])",
                             output: "tensor([false,  true, false], bool)\n")

    /// `isfinite(x)`: whether each element is finite.
    static let isfinite = unary(.isfinite, "true where the element is neither nan nor ±inf",
                                doc: "Gives a bool tensor (a bool for a number); i32 and bool elements are always finite.",
                                example: "isfinite([1, 0 / 0, -1 / 0])",
                                output: "tensor([ true, false, false], bool)\n")

    /// `clip(t, lo: nil, hi: nil)`: the elements limited to [lo, hi].
    static let clip = Builtin(
        name: "clip", category: category,
        parameters: [.required("t", .tensor), .optional("lo", .optional(.number), .nilValue),
                     .optional("hi", .optional(.number), .nilValue)],
        returns: "number | tensor",
        summary: "the elements limited to `[lo, hi]`; either bound may be nil (no limit on that side)",
        doc: "nan stays nan. An i32 tensor stays i32 when the given bounds are integers, otherwise the result "
            + "is f32. A number gives a number. `lo > hi` is an error.",
        example: "print(clip([-2, 0.5, 3], 0, 1))\nclip([-2, 5], lo: 0)",
        output: "tensor([0.0000, 0.5000, 1.0000], f32)\ntensor([0, 5], f32)\n"
    ) { args, _ in
        let lo = try args.optionalNumber("lo")
        let hi = try args.optionalNumber("hi")
        if let lo, let hi, lo > hi {
            throw args.error("hi", "`lo` must not exceed `hi`, got lo \(formatNumber(lo)) and hi \(formatNumber(hi))")
        }
        if case .number(let x) = args["t"] {
            if x.isNaN { return .number(x) }
            return .number(Swift.min(Swift.max(x, lo ?? -.infinity), hi ?? .infinity))
        }
        let t = try args.tensor("t")
        return Value(tensorOrScalar: try TensorArguments.engine(args, "t") { try t.clip(lo: lo, hi: hi) })
    }

    /// `where(c, a, b)`: `a` where `c` is true, else `b`.
    static let where_ = Builtin(
        name: "where", category: category,
        parameters: [.required("c", .tensor), .required("a", .tensor), .required("b", .tensor)],
        returns: "number | tensor",
        summary: "elementwise `c ? a : b`, with `c`, `a` and `b` broadcast together (NumPy's `where`)",
        doc: "`c` must be bool (a comparison such as `t > 0`). The result type promotes `a` and `b` (bool < i32 "
            + "< f32); a plain integer number next to an i32 tensor keeps i32. Shapes that do not broadcast are "
            + "an error showing them.",
        example: "t = tensor([-1, 2, -3])\nwhere(t > 0, t, 0)",
        output: "tensor([0, 2, 0], f32)\n"
    ) { args, _ in
        let c = try args.tensor("c")
        let (a, b) = try weakOperands(args, "a", "b")
        return Value(tensorOrScalar: try Tensor.where_(c, a, b))
    }

    /// `maximum(a, b)`: the elementwise larger value.
    static let maximum = binary(.maximum, "the elementwise larger of `a` and `b`, broadcast together (nan wins)",
                                example: "maximum([1, 5, 3], [4, 2, 3])",
                                output: "tensor([4, 5, 3], f32)\n")

    /// `minimum(a, b)`: the elementwise smaller value.
    static let minimum = binary(.minimum, "the elementwise smaller of `a` and `b`, broadcast together (nan wins)",
                                example: "minimum([[1, 5], [3, 0]], 2)",
                                output: "tensor([[1, 2],\n        [2, 0]], f32)\n")

    /// The builtin named after `op`: a number gives a number (computed in Double), a tensor
    /// or list a tensor (computed by `Tensor.unary`).
    static func unary(_ op: UnaryOp, _ summary: String, doc: String = "", example: String, output: String) -> Builtin {
        let returnsBool = op == .isnan || op == .isfinite
        let common = returnsBool
            ? "A number gives a bool."
            : "A number gives a number (computed in 64-bit); a tensor or (nested) list gives a tensor, f32 unless noted."
        return Builtin(
            name: op.rawValue, category: category,
            parameters: [.required("x", .tensor)],
            returns: returnsBool ? "bool | tensor" : "number | tensor",
            summary: summary,
            doc: doc.isEmpty ? common : common + " " + doc,
            example: example,
            output: output
        ) { args, _ in
            if let traced = TracedTensor.from(args["x"]) { return try traced.applying(op) }
            if case .number(let x) = args["x"] {
                if returnsBool { return .bool(op == .isnan ? x.isNaN : x.isFinite) }
                return .number(scalarUnary(op, x))
            }
            let t = try args.tensor("x")
            return Value(tensorOrScalar: try TensorArguments.engine(args, "x") { try Tensor.unary(op, t) })
        }
    }

    /// `maximum`/`minimum`: broadcasting through `Tensor.binary`; two numbers give a number.
    static func binary(_ op: BinaryOp, _ summary: String, example: String, output: String) -> Builtin {
        Builtin(
            name: op.symbol, category: category,
            parameters: [.required("a", .tensor), .required("b", .tensor)],
            returns: "number | tensor",
            summary: summary,
            doc: "NumPy broadcasting; shapes that do not broadcast are an error showing both. Types: f32 if "
                + "either side is f32, else i32 (bools count as 0/1); a plain integer number next to an i32 "
                + "tensor keeps i32. Two numbers give a number.",
            example: example,
            output: output
        ) { args, _ in
            switch (args["a"], args["b"]) {
            case (.number(let x), .number(let y)):
                if x.isNaN || y.isNaN { return .number(.nan) }
                return .number(op == .maximum ? Swift.max(x, y) : Swift.min(x, y))
            case (.number(let x), let other):
                return Value(tensorOrScalar: try Tensor.binary(op, try other.asTensor(), scalar: x, scalarOnLeft: true))
            case (let other, .number(let y)):
                return Value(tensorOrScalar: try Tensor.binary(op, try other.asTensor(), scalar: y, scalarOnLeft: false))
            default:
                return Value(tensorOrScalar: try Tensor.binary(op, try args.tensor("a"), try args.tensor("b")))
            }
        }
    }

    /// Parameters `a` and `b` as tensors, a plain number taking the dtype of the other side
    /// when that is i32 and the number is an integer (NumPy's weak scalars), else f32.
    static func weakOperands(_ args: Arguments, _ first: String, _ second: String) throws -> (Tensor, Tensor) {
        func convert(_ name: String, other: Value) throws -> Tensor {
            guard case .number(let n) = args[name] else { return try args.tensor(name) }
            if case .tensor(let t) = other, t.dtype == .i32, Int32(exactly: n) != nil {
                return Tensor.scalar(n, dtype: .i32)
            }
            return Tensor.scalar(n)
        }
        return (try convert(first, other: args[second]), try convert(second, other: args[first]))
    }
}

/// `op` applied to one Double, as the engine applies it to f32 elements (same nan, rounding
/// and stability rules). `not`, `isnan` and `isfinite` are not numeric and never reach here.
private func scalarUnary(_ op: UnaryOp, _ x: Double) -> Double {
    switch op {
    case .neg: return -x
    case .abs: return Swift.abs(x)
    case .sign: return x.isNaN ? .nan : (x > 0 ? 1 : (x < 0 ? -1 : 0))
    case .sqrt: return x.squareRoot()
    case .exp: return Foundation.exp(x)
    case .log: return Foundation.log(x)
    case .log1p: return Foundation.log1p(x)
    case .floor: return x.rounded(.down)
    case .ceil: return x.rounded(.up)
    case .round: return x.rounded(.toNearestOrEven)
    case .relu: return x > 0 ? x : (x.isNaN ? x : 0)
    case .silu: return x * stableSigmoid(x)
    case .gelu: return 0.5 * x * (1 + Foundation.erf(x / 2.0.squareRoot()))
    case .sigmoid: return stableSigmoid(x)
    case .tanh: return Foundation.tanh(x)
    case .sin: return Foundation.sin(x)
    case .cos: return Foundation.cos(x)
    case .not, .isnan, .isfinite: preconditionFailure("`\(op.rawValue)` has no numeric form")
    }
}

/// `1 / (1 + e^-x)` in Double without overflow for large |x|.
private func stableSigmoid(_ x: Double) -> Double {
    if x >= 0 { return 1 / (1 + Foundation.exp(-x)) }
    let e = Foundation.exp(x)
    return e / (1 + e)
}
