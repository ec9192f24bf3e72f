import TensorModule

extension Value {
    /// A 0-d tensor becomes a number (or bool); any other tensor stays a tensor.
    public init(tensorOrScalar t: Tensor) {
        guard t.ndim == 0 else {
            self = .tensor(t)
            return
        }
        switch t.data {
        case .bool(let b): self = .bool(b[0])
        case .f32(let f): self = .number(Value.decimalDouble(f[0]))
        case .i32(let i): self = .number(Double(i[0]))
        }
    }

    /// The number an f32 element becomes: the Double nearest to the float's shortest
    /// decimal form, so `0.1` stored as f32 reads back as `0.1`, not `0.10000000149011612`.
    public static func decimalDouble(_ f: Float) -> Double {
        guard f.isFinite, f != f.rounded() else { return Double(f) }
        return Double(f.description) ?? Double(f)
    }

    /// The value as a tensor: tensors as they are, numbers and bools as 0-d tensors,
    /// (nested) lists of numbers or bools as `tensor(list)` builds them.
    public func asTensor() throws -> Tensor {
        switch self {
        case .tensor(let t): return t
        case .number(let n): return Tensor(shape: [], f32: [Float(n)])
        case .bool(let b): return Tensor(shape: [], bool: [b])
        case .duration(let d): return Tensor(shape: [], f32: [Float(d)])
        case .list: return try Value.tensorFromList(self, dtype: nil)
        case .range(let r): return Tensor(shape: [r.count], f32: (0..<r.count).map { Float(r.element($0)) })
        case .handle(let h) where h is any TracedTensorValue:
            throw PrunebookError(.type, "this builtin has no gradient, so it cannot take a value traced by grad() "
                                 + "(use detach(x) to pass its value as a constant)")
        default: throw PrunebookError(.type, "expected a tensor or a list of numbers, got \(typeName)")
        }
    }

    /// Builds a tensor from nested lists; `dtype` nil infers bool for all-bool input, else f32.
    public static func tensorFromList(_ value: Value, dtype: DType?) throws -> Tensor {
        var shape: [Int] = []
        var probe = value
        while case .list(let items) = probe {
            shape.append(items.count)
            guard let first = items.first else { break }
            probe = first
        }
        if case .tensor(let inner) = probe { shape += inner.shape }
        var numbers: [Double] = []
        numbers.reserveCapacity(Tensor.elementCount(shape))
        var sawBool = false
        var sawNumber = false
        func collect(_ v: Value, depth: Int) throws {
            switch v {
            case .list(let items):
                guard depth < shape.count, items.count == shape[depth] else {
                    throw PrunebookError(.shape, "ragged nested list: expected \(depth < shape.count ? String(shape[depth]) : "no") items at depth \(depth + 1), got \(items.count)")
                }
                for item in items { try collect(item, depth: depth + 1) }
            case .number(let n):
                guard depth == shape.count else { throw PrunebookError(.shape, "ragged nested list: a number where a list was expected") }
                numbers.append(n)
                sawNumber = true
            case .bool(let b):
                guard depth == shape.count else { throw PrunebookError(.shape, "ragged nested list: a bool where a list was expected") }
                numbers.append(b ? 1 : 0)
                sawBool = true
            case .tensor(let t):
                guard Array(shape[depth...]) == t.shape else {
                    throw PrunebookError(.shape, "cannot stack tensors of shape \(formatShape(t.shape)) into \(formatShape(shape))")
                }
                numbers.append(contentsOf: t.doubles())
                if t.dtype == .bool { sawBool = true } else { sawNumber = true }
            default:
                throw PrunebookError(.type, "a tensor can only hold numbers or bools, got \(v.typeName)")
            }
        }
        try collect(value, depth: 0)
        let resolved = dtype ?? (sawBool && !sawNumber ? .bool : .f32)
        return Tensor(doubles: numbers, shape: shape, dtype: resolved)
    }
}
