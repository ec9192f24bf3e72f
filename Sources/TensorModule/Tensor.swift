/// The element type of a tensor: 32-bit floats (values), 32-bit integers (indices) or
/// booleans (masks).
public enum DType: String, Sendable, CaseIterable {
    case f32, i32, bool
}

/// The elements of a tensor, one contiguous row-major Swift array per dtype. Swift arrays
/// are copy-on-write, so tensors have value semantics without aliasing.
public enum TensorData: Sendable, Equatable {
    case f32([Float])
    case i32([Int32])
    case bool([Bool])
}

/// An n-dimensional array: a shape and contiguous row-major storage. Transposes and slices
/// copy; there are no strided views.
public struct Tensor: Sendable, Equatable {
    /// The length of each axis; `[]` for a 0-d tensor holding one element.
    public private(set) var shape: [Int]
    /// The elements in row-major order.
    public var data: TensorData

    /// A tensor over the given elements; the product of `shape` must equal their count.
    public init(shape: [Int], data: TensorData) {
        let tensor = Tensor(unchecked: shape, data: data)
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        precondition(Tensor.elementCount(shape) == tensor.count,
                     "shape \(shape) does not hold \(tensor.count) elements")
        self = tensor
    }

    /// A tensor over `data` whose element count the caller knows matches `shape`.
    init(unchecked shape: [Int], data: TensorData) {
        self.shape = shape
        self.data = data
    }

    /// An f32 tensor.
    public init(shape: [Int], f32 values: [Float]) { self.init(shape: shape, data: .f32(values)) }
    /// An i32 tensor.
    public init(shape: [Int], i32 values: [Int32]) { self.init(shape: shape, data: .i32(values)) }
    /// A bool tensor.
    public init(shape: [Int], bool values: [Bool]) { self.init(shape: shape, data: .bool(values)) }

    /// The element type.
    public var dtype: DType {
        switch data {
        case .f32: return .f32
        case .i32: return .i32
        case .bool: return .bool
        }
    }

    /// The number of elements.
    public var count: Int {
        switch data {
        case .f32(let a): return a.count
        case .i32(let a): return a.count
        case .bool(let a): return a.count
        }
    }

    /// The number of axes.
    public var ndim: Int { shape.count }

    /// The product of the extents of `shape` (1 for `[]`); `Int.max` when the product
    /// overflows, so callers comparing counts fail cleanly instead of trapping.
    public static func elementCount(_ shape: [Int]) -> Int {
        // A zero extent empties the tensor even when the other extents overflow together.
        if shape.contains(0) { return 0 }
        var count = 1
        for extent in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: extent)
            if overflow { return Int.max }
            count = product
        }
        return count
    }

    /// Row-major strides (in elements) for `shape`.
    public static func strides(of shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = running
            running *= shape[axis]
        }
        return strides
    }

    /// Replaces the shape without touching the elements; the element count must match.
    public mutating func setShape(_ newShape: [Int]) {
        precondition(Tensor.elementCount(newShape) == count, "setShape changes the element count")
        shape = newShape
    }

    /// The element at flat position `i` as a Double (bools as 0/1).
    @inlinable
    public func element(at i: Int) -> Double {
        switch data {
        case .f32(let a): return Double(a[i])
        case .i32(let a): return Double(a[i])
        case .bool(let a): return a[i] ? 1 : 0
        }
    }

    /// All elements converted to Double (bools as 0/1), row-major.
    public func doubles() -> [Double] {
        switch data {
        case .f32(let a): return a.map(Double.init)
        case .i32(let a): return a.map(Double.init)
        case .bool(let a): return a.map { $0 ? 1 : 0 }
        }
    }

    /// All elements as Float, converting i32 and bool.
    public func floats() -> [Float] {
        switch data {
        case .f32(let a): return a
        case .i32(let a): return a.map(Float.init)
        case .bool(let a): return a.map { $0 ? 1 : 0 }
        }
    }
}

/// An error from a tensor operation: what went wrong, in lowercase, expected vs got. The
/// language adds the source location.
public struct TensorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The message, e.g. "shape mismatch in `+`: [2, 3] and [4] cannot broadcast".
    public let message: String
    /// An error with the given message.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Formats a shape the way messages show it: `[4, 8]`.
public func formatShape(_ shape: [Int]) -> String {
    "[" + shape.map(String.init).joined(separator: ", ") + "]"
}
