/// Factories (`zeros`, `arange`, `eye`, …), conversion from Doubles and dtype casts.
extension DType {
    /// The common dtype of two operands: bool < i32 < f32, like NumPy's promotion for the
    /// three types Prunebook has.
    public static func promoted(_ a: DType, _ b: DType) -> DType {
        if a == .f32 || b == .f32 { return .f32 }
        if a == .i32 || b == .i32 { return .i32 }
        return .bool
    }
}

/// Converts a Double to Int32 the way `astype` does: truncation toward zero, saturating at
/// the i32 range, NaN to 0 (NumPy leaves those cases undefined; we pick a total function).
@inline(__always)
func saturatingInt32(_ v: Double) -> Int32 {
    if v.isNaN { return 0 }
    if v >= 2_147_483_647 { return .max }
    if v <= -2_147_483_648 { return .min }
    return Int32(v.rounded(.towardZero))
}

/// Converts a Float to Int32 like `saturatingInt32(_:)`.
@inline(__always)
func saturatingInt32(_ v: Float) -> Int32 {
    saturatingInt32(Double(v))
}

extension Tensor {
    /// A tensor of `shape` filled with zeros (`false` for bool).
    public static func zeros(_ shape: [Int], dtype: DType = .f32) -> Tensor {
        full(shape, value: 0, dtype: dtype)
    }

    /// A tensor of `shape` filled with ones (`true` for bool).
    public static func ones(_ shape: [Int], dtype: DType = .f32) -> Tensor {
        full(shape, value: 1, dtype: dtype)
    }

    /// A tensor of `shape` with every element `value`, converted to `dtype` as `astype` does.
    public static func full(_ shape: [Int], value: Double, dtype: DType = .f32) -> Tensor {
        let n = elementCount(shape)
        switch dtype {
        case .f32: return Tensor(shape: shape, f32: [Float](repeating: Float(value), count: n))
        case .i32: return Tensor(shape: shape, i32: [Int32](repeating: saturatingInt32(value), count: n))
        case .bool: return Tensor(shape: shape, bool: [Bool](repeating: value != 0, count: n))
        }
    }

    /// The `n`×`n` f32 identity matrix.
    public static func eye(_ n: Int) -> Tensor {
        precondition(n >= 0, "eye of a negative size")
        var values = [Float](repeating: 0, count: n * n)
        values.withUnsafeMutableBufferPointer { buf in
            for i in 0..<n { buf[i * n + i] = 1 }
        }
        return Tensor(shape: [n, n], f32: values)
    }

    /// The f32 values `start, start + step, …` strictly before `stop` (NumPy's `arange`:
    /// `ceil((stop - start) / step)` elements, each computed as `start + i·step` in Double).
    public static func arange(_ start: Double, _ stop: Double, _ step: Double) throws -> Tensor {
        guard step != 0 else { throw TensorError("arange step must not be zero") }
        guard start.isFinite, stop.isFinite, step.isFinite else {
            throw TensorError("arange needs finite start, stop and step, got \(describeNumber(start)), \(describeNumber(stop)) and \(describeNumber(step))")
        }
        let n = Swift.max(0, ((stop - start) / step).rounded(.up))
        guard n < Double(Int32.max) else {
            throw TensorError("arange would make \(describeNumber(n)) elements, more than a tensor can hold")
        }
        let count = Int(n)
        let values = [Float](unsafeUninitializedCapacity: count) { buf, initialized in
            for i in 0..<count { buf[i] = Float(start + Double(i) * step) }
            initialized = count
        }
        return Tensor(shape: [count], f32: values)
    }

    /// `n` evenly spaced f32 values from `a` to `b`, both included (NumPy's `linspace`).
    public static func linspace(_ a: Double, _ b: Double, _ n: Int) throws -> Tensor {
        guard n >= 0 else { throw TensorError("linspace needs n >= 0, got \(n)") }
        let values = [Float](unsafeUninitializedCapacity: n) { buf, initialized in
            if n == 1 { buf[0] = Float(a) }
            if n > 1 {
                let step = (b - a) / Double(n - 1)
                for i in 0..<(n - 1) { buf[i] = Float(a + Double(i) * step) }
                buf[n - 1] = Float(b)
            }
            initialized = n
        }
        return Tensor(shape: [n], f32: values)
    }

    /// A 0-d tensor holding `v` converted to `dtype`.
    public static func scalar(_ v: Double, dtype: DType = .f32) -> Tensor {
        full([], value: v, dtype: dtype)
    }

    /// A tensor of `shape` over `doubles` converted to `dtype` (i32: truncation toward zero,
    /// saturating, NaN to 0; bool: nonzero is true). The count must match the shape.
    public init(doubles: [Double], shape: [Int], dtype: DType) {
        switch dtype {
        case .f32: self.init(shape: shape, f32: doubles.map { Float($0) })
        case .i32: self.init(shape: shape, i32: doubles.map { saturatingInt32($0) })
        case .bool: self.init(shape: shape, bool: doubles.map { $0 != 0 })
        }
    }

    /// This tensor converted to `dtype`, like NumPy's `astype`: f32 → i32 truncates toward
    /// zero (saturating at the i32 range, NaN to 0), anything → bool is `!= 0` (NaN is true),
    /// bool → numbers is 0/1. Converting to the same dtype returns the tensor unchanged.
    public func astype(_ dtype: DType) -> Tensor {
        if dtype == self.dtype { return self }
        switch (data, dtype) {
        case (.f32(let a), .i32): return Tensor(shape: shape, i32: a.map { saturatingInt32($0) })
        case (.f32(let a), .bool): return Tensor(shape: shape, bool: a.map { $0 != 0 })
        case (.i32(let a), .f32): return Tensor(shape: shape, f32: a.map { Float($0) })
        case (.i32(let a), .bool): return Tensor(shape: shape, bool: a.map { $0 != 0 })
        case (.bool(let a), .f32): return Tensor(shape: shape, f32: a.map { $0 ? 1 : 0 })
        case (.bool(let a), .i32): return Tensor(shape: shape, i32: a.map { $0 ? 1 : 0 })
        default: return self
        }
    }
}

/// The three element types, seen as numbers, so generic kernels specialise once per dtype.
protocol TensorElement {
    /// The element as a Double (bools as 0/1).
    var doubleValue: Double { get }
}

extension Float: TensorElement {
    @inline(__always) var doubleValue: Double { Double(self) }
}

extension Int32: TensorElement {
    @inline(__always) var doubleValue: Double { Double(self) }
}

extension Bool: TensorElement {
    @inline(__always) var doubleValue: Double { self ? 1 : 0 }
}

/// A number as messages show it: integral values without a decimal point (`3`), others in
/// shortest round-trip form (`2.5`), like the language's number display.
func describeNumber(_ v: Double) -> String {
    if v.isFinite && v.rounded(.towardZero) == v && Swift.abs(v) < 9.007_199_254_740_992e15 {
        return String(Int64(v))
    }
    return v.description
}
