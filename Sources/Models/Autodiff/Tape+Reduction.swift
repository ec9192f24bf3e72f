import TensorModule

// Sums and means on the tape (accumulated in Double by TensorModule); the backward spreads
// the gradient back over the reduced elements.
extension Tape {
    /// The sum of all elements, a 0-d value.
    public func sum(_ x: Variable) -> Variable { reduce(.sum, x, axis: nil, keepDims: false) }
    /// The mean of all elements, a 0-d value.
    public func mean(_ x: Variable) -> Variable { reduce(.mean, x, axis: nil, keepDims: false) }

    /// The sum over `axis` (negative counts from the end), keeping it as extent 1 when `keepDims`.
    public func sum(_ x: Variable, axis: Int, keepDims: Bool = false) throws(ModelError) -> Variable {
        reduce(.sum, x, axis: try checkedAxis(axis, x, "sum"), keepDims: keepDims)
    }

    /// The mean over `axis` (negative counts from the end), keeping it as extent 1 when `keepDims`.
    public func mean(_ x: Variable, axis: Int, keepDims: Bool = false) throws(ModelError) -> Variable {
        reduce(.mean, x, axis: try checkedAxis(axis, x, "mean"), keepDims: keepDims)
    }

    private func checkedAxis(_ axis: Int, _ x: Variable, _ name: String) throws(ModelError) -> Int {
        let shape = self.shape(x)
        guard axis >= -shape.count && axis < shape.count else {
            throw ModelError("\(name): axis \(axis) is out of range for shape \(shape)", kind: .shape)
        }
        return axis < 0 ? axis + shape.count : axis
    }

    private func reduce(_ op: ReduceOp, _ x: Variable, axis: Int?, keepDims: Bool) -> Variable {
        let input = value(x)
        let out = evaluate { try input.reduce(op, axes: axis.map { [$0] }, keepdims: keepDims) }
        return record(out, inputs: [x]) { up, _ in
            // View the input as [outer, length, inner]; the gradient of out[o, i] goes to every
            // input[o, ·, i].
            let shape = input.shape
            let length = axis.map { shape[$0] } ?? input.count
            let inner = axis.map { shape[($0 + 1)...].reduce(1, *) } ?? 1
            let outer = input.count / max(length * inner, 1)
            let scale: Float = op == .mean ? 1 / Float(length) : 1
            return [withFloats(up) { g in makeFloats(input.count) { o in
                for a in 0..<outer {
                    for l in 0..<length {
                        let dst = o + (a * length + l) * inner, src = g + a * inner
                        for i in 0..<inner { dst[i] = src[i] * scale }
                    }
                }
            } }]
        }
    }
}
