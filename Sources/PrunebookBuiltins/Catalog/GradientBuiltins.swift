import Models
import PrunebookLanguage
import TensorModule

/// Reverse-mode gradients of Prunebook functions: `grad`, `value_and_grad` and `detach`.
/// A call of the function `grad(f)` returns marks its argument's tensors as leaves of a
/// fresh tape (engine: `Models.Tape`), runs `f` on traced values (`TracedTensor`), and walks
/// the tape back from `f`'s scalar result.
enum GradientBuiltins {
    static let all: [Builtin] = [grad, valueAndGrad, detach]

    static let category = "Gradients"

    static let differentiable = "Traced values flow through `+ - * / @`, `**` with a number exponent, unary `-`, "
        + "`abs sqrt exp log relu silu sigmoid tanh`, `sum` and `mean` (any axes), `softmax` (last axis), "
        + "`matmul`, `transpose` (2-D), `reshape` and indexing (`x[i]`, slices, masks); comparisons read the value. Any other "
        + "builtin given a traced value is an error (wrap it in `detach` to use the value as a constant). "
        + "Gradients of gradients are not supported."

    /// `grad(f)`: the function computing ∂f/∂(first argument).
    static let grad = Builtin(
        name: "grad", category: category,
        parameters: [.required("f", .function)],
        returns: "function",
        summary: "the function computing the gradient of the scalar-valued `f` with respect to its first argument",
        doc: "`grad(f)(x, ...)` calls `f(x, ...)` with `x` traced and returns ∂f/∂x shaped like `x`: a tensor "
            + "for a tensor, a number for a number, and a record or list of gradients for a record or list of "
            + "tensors (every f32 tensor in it is a leaf). Further arguments pass through untraced. `f` must "
            + "return one number (a one-element tensor); a result that does not depend on `x` gives zeros. "
            + differentiable,
        example: "t = tensor([1, -2, 3])\ngrad(fn(x) => sum(x ** 2))(t)",
        output: "tensor([ 2, -4,  6], f32)\n"
    ) { args, _ in
        let f = try args.function("f")
        return .function(Callable(builtin: gradientFunction(f, withValue: false)))
    }

    /// `value_and_grad(f)`: the function returning `{value, grad}`.
    static let valueAndGrad = Builtin(
        name: "value_and_grad", category: category,
        parameters: [.required("f", .function)],
        returns: "function",
        summary: "like `grad`, but the function returns `{value, grad}`: f's value and its gradient, from one call",
        doc: "One forward run and one backward walk give both, so a training loop needs no second call. "
            + differentiable,
        example: "loss = fn(w, x) => mean((x @ w - 1) ** 2)\n"
            + "r = value_and_grad(loss)(tensor([[1], [2]]), tensor([[1, 0], [0, 1]]))\nprint(r.value)\nr.grad",
        output: "0.5\ntensor([[0],\n        [1]], f32)\n"
    ) { args, _ in
        let f = try args.function("f")
        return .function(Callable(builtin: gradientFunction(f, withValue: true)))
    }

    /// `detach(x)`: a traced value's tensor, as a constant.
    static let detach = Builtin(
        name: "detach", category: category,
        parameters: [.required("x", .any)],
        returns: "any",
        summary: "the value of a traced tensor as a plain tensor that carries no gradient; other values unchanged",
        doc: "Inside `grad(f)` it stops the gradient (PyTorch's `detach`) and lets any builtin read the value.",
        example: "grad(fn(x) => sum(x * detach(x)))(tensor([1, 2]))",
        output: "tensor([1, 2], f32)\n"
    ) { args, _ in
        TracedTensor.from(args["x"]).map { .tensor($0.primal) } ?? args["x"]
    }

    /// The builtin `grad(f)` (or `value_and_grad(f)`) returns.
    static func gradientFunction(_ f: Callable, withValue: Bool) -> Builtin {
        Builtin(
            name: "\(withValue ? "value_and_grad" : "grad")(\(f.name))", category: category,
            parameters: [.required("x", .any), .variadic("rest", .any)],
            returns: withValue ? "record" : "any",
            summary: "the gradient of `\(f.name)` with respect to its first argument",
            example: "", output: ""
        ) { args, context in
            let tape = Tape()
            var leaves: [Variable] = []
            let traced = try trace(args["x"], on: tape, leaves: &leaves)
            let rest = try args.list("rest")
            let result = try context.call(f, [traced] + rest)
            let (value, loss) = try scalarResult(result, f: f, tape: tape)
            let gradients = try loss.map { try tape.gradients(of: $0, withRespectTo: leaves) }
                ?? leaves.map { Tensor.zeros(tape.shape($0)) }
            var next = gradients.makeIterator()
            let gradient = rebuild(args["x"], from: &next)
            guard withValue else { return gradient }
            return .record(Record([("value", .number(value)), ("grad", gradient)]))
        }
    }

    /// `value` with every f32 tensor (and number) replaced by a traced leaf, in order.
    static func trace(_ value: Value, on tape: Tape, leaves: inout [Variable]) throws -> Value {
        switch value {
        case .number(let n):
            let leaf = tape.leaf(Tensor(shape: [], f32: [Float(n)]))
            leaves.append(leaf)
            return .handle(TracedTensor(tape: tape, variable: leaf))
        case .tensor(let t):
            guard t.dtype == .f32 else { return value }
            let leaf = tape.leaf(t)
            leaves.append(leaf)
            return .handle(TracedTensor(tape: tape, variable: leaf))
        case .list(let items):
            return .list(try items.map { try trace($0, on: tape, leaves: &leaves) })
        case .record(var r):
            for key in r.fields.keys { r.fields[key] = try trace(r.fields[key]!, on: tape, leaves: &leaves) }
            return .record(r)
        default:
            return value
        }
    }

    /// The gradient shaped like `value`: the next gradient for each traced leaf `trace` made.
    static func rebuild(_ value: Value, from gradients: inout IndexingIterator<[Tensor]>) -> Value {
        switch value {
        case .number: return .number(gradients.next().map { $0.element(at: 0) } ?? 0)
        case .tensor(let t) where t.dtype == .f32: return .tensor(gradients.next() ?? t)
        case .list(let items): return .list(items.map { rebuild($0, from: &gradients) })
        case .record(var r):
            for key in r.fields.keys { r.fields[key] = rebuild(r.fields[key]!, from: &gradients) }
            return .record(r)
        default: return value
        }
    }

    /// `f`'s result as a number and, when it is traced, the tape node to walk back from.
    static func scalarResult(_ result: Value, f: Callable, tape: Tape) throws -> (Double, Variable?) {
        if case .number(let n) = result { return (n, nil) }
        if let traced = TracedTensor.from(result), traced.tape === tape {
            let value = traced.primal
            guard value.count == 1 else {
                throw PrunebookError(.shape, "grad: `\(f.name)` must return one number, got a tensor of shape \(value.shape)")
            }
            return (value.element(at: 0), traced.variable)
        }
        if case .tensor(let t) = result, t.count == 1 { return (t.element(at: 0), nil) }
        throw PrunebookError(.type, "grad: `\(f.name)` must return one number, got \(result.typeName)")
    }
}
