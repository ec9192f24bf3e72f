import TensorModule

// Shape operations on the tape: a reshape keeps the elements, a transpose copies them.
extension Tape {
    /// The elements of `x` under a new shape with the same element count (one extent may be -1).
    public func reshape(_ x: Variable, _ shape: [Int]) throws(ModelError) -> Variable {
        let input = value(x)
        let out: Tensor
        do {
            out = try input.reshaped(shape)
        } catch {
            throw ModelError("reshape: cannot reshape \(input.shape) to \(shape)", kind: .shape)
        }
        return record(out, inputs: [x]) { up, _ in [up] }
    }

    /// `x` with its last two axes swapped (a 2-d matrix transposed; each matrix of a batch).
    public func transpose(_ x: Variable) throws(ModelError) -> Variable {
        let input = value(x)
        guard input.ndim >= 2 else {
            throw ModelError("transpose: expected at least 2 axes, got shape \(input.shape)", kind: .shape)
        }
        let n = input.ndim
        let rows = input.shape[n - 2], columns = input.shape[n - 1]
        let out = Tensor(shape: Array(input.shape.dropLast(2)) + [columns, rows],
                         f32: transposeMatrices(floatValues(input), rows: rows, columns: columns))
        return record(out, inputs: [x]) { up, _ in [transposeMatrices(up, rows: columns, columns: rows)] }
    }
}

/// Each consecutive `rows × columns` matrix of `a` transposed.
func transposeMatrices(_ a: [Float], rows: Int, columns: Int) -> [Float] {
    let size = rows * columns
    guard size > 0 else { return a }
    return withFloats(a) { src in makeFloats(a.count) { dst in
        for m in stride(from: 0, to: a.count, by: size) {
            for r in 0..<rows {
                for c in 0..<columns { dst[m + c * rows + r] = src[m + r * columns + c] }
            }
        }
    } }
}
