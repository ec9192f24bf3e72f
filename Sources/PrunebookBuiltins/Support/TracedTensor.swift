import Models
import PrunebookLanguage
import TensorModule

/// A tensor inside `grad(f)`: a node of the call's tape. Arithmetic (`+ - * / ** @`, unary
/// `-`) and the differentiable builtins record onto the tape; comparisons read the value
/// (their results carry no gradient); every other builtin refuses it (see `Value.asTensor`).
/// Its type is `tensor`, so code written for tensors runs unchanged.
struct TracedTensor: TracedTensorValue {
    /// The tape of the `grad` call that made it.
    let tape: Tape
    /// Its node.
    let variable: Variable

    var primal: Tensor { tape.value(variable) }
    var typeName: String { "tensor" }

    func display() -> String { Value.tensor(primal).displayText + " (traced by grad)" }

    /// A traced value on the same tape.
    func traced(_ v: Variable) -> Value { .handle(TracedTensor(tape: tape, variable: v)) }

    func gathering(flatPositions positions: Tensor) throws -> Value {
        let flat = try tape.reshape(variable, [primal.count, 1])
        let picked = try tape.embedding(flat, ids: positions.doubles().map { Int32($0) })
        return traced(try tape.reshape(picked, positions.shape))
    }

    /// The traced tensor in `value`, if it is one.
    static func from(_ value: Value) -> TracedTensor? {
        if case .handle(let h) = value, let t = h as? TracedTensor { return t }
        return nil
    }

    /// `value` as a node of this tape: traced values of this tape as they are, plain tensors,
    /// numbers and lists as constants.
    func node(_ value: Value) throws -> Variable {
        if let other = TracedTensor.from(value) {
            guard other.tape === tape else {
                throw PrunebookError(.value, "values traced by two different grad() calls cannot be combined "
                                     + "(gradients of gradients are not supported)")
            }
            return other.variable
        }
        let t = try value.asTensor()
        return tape.leaf(t.dtype == .f32 ? t : t.astype(.f32), requiresGradient: false)
    }

    func binary(_ op: BinaryOperator, _ other: Value, handleOnLeft: Bool) throws -> Value? {
        let scalar: Double? = if case .number(let n) = other { n } else { nil }
        switch op {
        case .add, .subtract, .multiply, .divide:
            if let s = scalar { return traced(scalarOperation(op, s, handleOnLeft: handleOnLeft)) }
            let (a, b) = handleOnLeft ? (variable, try node(other)) : (try node(other), variable)
            switch op {
            case .add: return traced(try tape.add(a, b))
            case .subtract: return traced(try tape.subtract(a, b))
            case .multiply: return traced(try tape.multiply(a, b))
            default: return traced(try tape.divide(a, b))
            }
        case .power:
            guard handleOnLeft, let s = scalar else {
                throw PrunebookError(.type, "under grad, `**` needs a number exponent (x ** 2); for a traced "
                                     + "exponent write exp(y * log(x))")
            }
            return traced(tape.pow(variable, s))
        case .matmul:
            return handleOnLeft ? try matmul(.handle(self), other) : try matmul(other, .handle(self))
        case .modulo:
            throw TracedTensor.noGradient("%")
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            let mine = Value.tensor(primal)
            let plain = TracedTensor.from(other).map { Value.tensor($0.primal) } ?? other
            return try handleOnLeft ? binaryOperation(op, mine, plain) : binaryOperation(op, plain, mine)
        }
    }

    func unary(_ op: UnaryOperator) throws -> Value? {
        guard op == .negate else { return nil }
        return traced(tape.negate(variable))
    }

    private func scalarOperation(_ op: BinaryOperator, _ s: Double, handleOnLeft: Bool) -> Variable {
        switch (op, handleOnLeft) {
        case (.add, _): return tape.add(variable, s)
        case (.subtract, true): return tape.subtract(variable, s)
        case (.subtract, false): return tape.subtract(s, variable)
        case (.multiply, _): return tape.multiply(variable, s)
        case (.divide, true): return tape.divide(variable, s)
        default: return tape.divide(s, variable)
        }
    }
}

/// The differentiable builtins' side of a traced tensor.
extension TracedTensor {
    /// The tensor parameter `name` for a builtin that only reads shape or dtype: a traced
    /// value's tensor, else the argument as a tensor.
    static func readable(_ args: Arguments, _ name: String) throws -> Tensor {
        try from(args[name])?.primal ?? args.tensor(name)
    }

    /// The elementwise function `op` on the tape; an error for one without a gradient.
    func applying(_ op: UnaryOp) throws -> Value {
        switch op {
        case .neg: return traced(tape.negate(variable))
        case .abs: return traced(tape.abs(variable))
        case .sqrt: return traced(tape.sqrt(variable))
        case .exp: return traced(tape.exp(variable))
        case .log: return traced(tape.log(variable))
        case .relu: return traced(tape.relu(variable))
        case .silu: return traced(tape.silu(variable))
        case .sigmoid: return traced(tape.sigmoid(variable))
        case .tanh: return traced(tape.tanh(variable))
        default: throw TracedTensor.noGradient(op.rawValue)
        }
    }

    /// `sum` or `mean` over `axes` (nil: all) on the tape, one axis at a time from the last.
    func reduced(_ op: ReduceOp, axes: [Int]?, keepdims: Bool) throws -> Value {
        guard op == .sum || op == .mean else { throw TracedTensor.noGradient(op.name) }
        let ndim = primal.ndim
        guard let axes, !(axes.count == ndim && !keepdims) else {
            let all = op == .sum ? tape.sum(variable) : tape.mean(variable)
            guard keepdims else { return traced(all) }
            return traced(try tape.reshape(all, [Int](repeating: 1, count: ndim)))
        }
        var v = variable
        for axis in axes.sorted(by: >) {
            v = op == .sum ? try tape.sum(v, axis: axis, keepDims: keepdims) : try tape.mean(v, axis: axis, keepDims: keepdims)
        }
        return traced(v)
    }

    /// `a @ b` on the tape with NumPy's 1-D rules: a vector on the left is a row, on the right a
    /// column, and that axis is dropped from the result.
    func matmul(_ a: Value, _ b: Value) throws -> Value {
        var x = try node(a), y = try node(b)
        let rowVector = tape.shape(x).count == 1, columnVector = tape.shape(y).count == 1
        if rowVector { x = try tape.reshape(x, [1] + tape.shape(x)) }
        if columnVector { y = try tape.reshape(y, tape.shape(y) + [1]) }
        var product = try tape.matmul(x, y)
        if rowVector || columnVector {
            var shape = tape.shape(product)
            if columnVector { shape.removeLast() }
            if rowVector { shape.remove(at: shape.count - (columnVector ? 1 : 2)) }
            product = try tape.reshape(product, shape)
        }
        return traced(product)
    }

    /// The transpose on the tape: 2-D, or `axes` swapping the last two.
    func transposed(_ axes: [Int]?) throws -> Value {
        let ndim = primal.ndim
        let swapLast = ndim >= 2 ? Array(0..<(ndim - 2)) + [ndim - 1, ndim - 2] : nil
        guard ndim >= 2, axes == nil ? ndim == 2 : axes! == swapLast! else {
            throw PrunebookError(.value, "under grad, `transpose` swaps the last two axes of a matrix (or batch of matrices) only")
        }
        return traced(try tape.transpose(variable))
    }

    /// The error for a builtin without a gradient given a traced value.
    static func noGradient(_ name: String) -> PrunebookError {
        PrunebookError(.type, "`\(name)` has no gradient, so it cannot take a value traced by grad() "
                       + "(use detach(x) for its value as a constant)")
    }
}
