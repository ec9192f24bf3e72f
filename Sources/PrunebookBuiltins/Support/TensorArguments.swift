import Foundation
import PrunebookLanguage
import TensorModule

/// Argument helpers shared by the tensor builtins (creation, shape, elementwise and
/// reductions): dtype names, shapes of new tensors, axis lists, and engine errors turned
/// into errors about one parameter (so the message names the builtin and the caret points
/// at that argument).
enum TensorArguments {
    /// The dtype names a `dtype` parameter accepts, in the order `help` shows them.
    static let dtypeNames = DType.allCases.map(\.rawValue)

    /// The parameter type of a `dtype` argument.
    static let dtypeType = ParameterType.choice(dtypeNames)

    /// Runs an engine call, turning a `TensorError` into an error about parameter `name`.
    static func engine<R>(_ args: Arguments, _ name: String, _ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch let error as TensorError {
            throw args.error(name, error.message, kind: error.prunebookError.kind)
        }
    }

    /// Parameter `name` as a dtype, or nil when it is nil (the choice type has checked the
    /// spelling already).
    static func dtype(_ args: Arguments, _ name: String) throws -> DType? {
        guard case .string(let text) = args[name] else { return nil }
        guard let dtype = DType(rawValue: text) else {
            throw args.error(name, "`\(name)` must be one of \(dtypeNames.map { "\"\($0)\"" }.joined(separator: ", ")), got \"\(text)\"")
        }
        return dtype
    }

    /// Parameter `name` as the shape of a tensor about to be created with `dtype`: a list of
    /// non-negative integers whose element count fits the allocation limit.
    static func newShape(_ args: Arguments, _ context: RunContext, _ name: String, dtype: DType) throws -> [Int] {
        let shape = try extents(args, name)
        try checkSize(args, context, name, shape: shape, dtype: dtype)
        return shape
    }

    /// Parameter `name` as a list of extents: one integer, a list of integers or a 1-D
    /// tensor, each non-negative (or -1 when `allowInferred`, for `reshape`) and below 2^53.
    /// Unlike `Arguments.shape`, huge values are an error rather than a trap.
    static func extents(_ args: Arguments, _ name: String, allowInferred: Bool = false) throws -> [Int] {
        let numbers: [Double]
        switch args[name] {
        case .number(let n): numbers = [n]
        case .list(let items):
            numbers = try items.map { item in
                guard case .number(let n) = item else {
                    throw args.error(name, "`\(name)` expects a list of non-negative integers, got \(item.displayText) in it")
                }
                return n
            }
        case .tensor(let t) where t.ndim == 1: numbers = t.doubles()
        case let other:
            throw args.error(name, "`\(name)` expects a shape (a list of non-negative integers), got \(other.typeName)")
        }
        let lowest: Double = allowInferred ? -1 : 0
        return try numbers.map { n in
            guard n == n.rounded(), n >= lowest, n < 9.007_199_254_740_992e15 else {
                let expected = allowInferred ? "non-negative integers or -1" : "non-negative integers"
                throw args.error(name, "`\(name)` expects a list of \(expected), got \(formatNumber(n))")
            }
            return Int(n)
        }
    }

    /// Throws a resource-limit error when a tensor of `shape` and `dtype` would be larger
    /// than the run's allocation limit (`Limits.allocationBytes`) or its element count
    /// overflows.
    static func checkSize(_ args: Arguments, _ context: RunContext, _ name: String, shape: [Int], dtype: DType) throws {
        let allocationLimit = context.limits.allocationBytes
        let bytesPerElement = dtype == .bool ? 1 : 4
        var count = 1
        var overflow = false
        for extent in shape {
            let (product, didOverflow) = count.multipliedReportingOverflow(by: extent)
            count = product
            overflow = overflow || didOverflow
        }
        let (bytes, bytesOverflow) = count.multipliedReportingOverflow(by: bytesPerElement)
        if overflow || bytesOverflow || UInt64(bytes) > allocationLimit {
            let size = overflow || bytesOverflow ? "more than 2^63 bytes" : "\(bytes) bytes"
            throw PrunebookError(
                .limit,
                "`\(args.builtin.name)`: a \(dtype.rawValue) tensor of shape \(formatShape(shape)) needs \(size), more than the allocation limit of \(allocationLimit) bytes")
        }
    }

    /// Parameter `name` as a list of integers (for `transpose` axes and similar).
    static func integers(_ args: Arguments, _ name: String) throws -> [Int] {
        try args.list(name).map { item in
            guard case .number(let n) = item, n == n.rounded(), Swift.abs(n) < 9.0e15 else {
                throw args.error(name, "`\(name)` expects a list of integers, got \(item.displayText) in it")
            }
            return Int(n)
        }
    }

    /// Parameter `name` as one axis of a tensor with `ndim` dimensions, normalised
    /// (negative counts from the end), or nil when it is nil.
    static func axis(_ args: Arguments, _ name: String, ndim: Int) throws -> Int? {
        guard let axis = try args.optionalInt(name) else { return nil }
        return try normalize(args, name, axis, ndim: ndim)
    }

    /// Parameter `name` as reduction axes: nil (all axes), one integer, or a list of distinct
    /// integers; each normalised for `ndim` dimensions and returned in the order given.
    static func axes(_ args: Arguments, _ name: String, ndim: Int) throws -> [Int]? {
        let raw: [Int]
        switch args[name] {
        case .nilValue: return nil
        case .list: raw = try integers(args, name)
        default: raw = [try args.int(name)]
        }
        var seen: [Int] = []
        for axis in raw {
            let normalized = try normalize(args, name, axis, ndim: ndim)
            guard !seen.contains(normalized) else {
                throw args.error(name, "axis \(axis) is repeated in \(formatShape(raw))")
            }
            seen.append(normalized)
        }
        return seen
    }

    /// `axis` counted from the end when negative, checked against `ndim`.
    static func normalize(_ args: Arguments, _ name: String, _ axis: Int, ndim: Int) throws -> Int {
        let normalized = axis < 0 ? axis + ndim : axis
        guard normalized >= 0 && normalized < ndim else {
            if ndim == 0 {
                throw args.error(name, "axis \(axis) is out of range: `\(args.builtin.name)` got a 0-d value, which has no axes")
            }
            throw args.error(name, "axis \(axis) is out of range for a tensor with \(ndim) dimension\(ndim == 1 ? "" : "s")")
        }
        return normalized
    }
}
