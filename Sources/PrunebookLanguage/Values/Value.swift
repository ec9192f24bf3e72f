import OrderedCollections
import TensorModule

/// A Prunebook value. Everything has value semantics: tensors, lists, records and handles
/// are copy-on-write, so assigning or passing never aliases.
public enum Value: Sendable {
    case nilValue
    case number(Double)
    case bool(Bool)
    case string(String)
    case tensor(Tensor)
    case list([Value])
    case record(Record)
    case function(Callable)
    indirect case range(RangeValue)
    /// A time in seconds; displays as `~1.23 ms` so replays ignore it.
    case duration(Double)
    indirect case handle(any HandleValue)
}

/// An insertion-ordered record of string keys to values.
///
/// The fields live in one shared, copy-on-write box, so copying a record (reading it from a
/// variable, passing it) costs one reference count instead of one per buffer of the
/// ordered dictionary (its keys, hash table and values).
public struct Record: Sendable {
    /// The box holding the fields.
    private final class Storage: @unchecked Sendable {
        var fields: OrderedDictionary<String, Value>
        init(_ fields: OrderedDictionary<String, Value>) { self.fields = fields }
    }

    private var storage: Storage

    /// The fields in insertion order.
    public var fields: OrderedDictionary<String, Value> {
        _read { yield storage.fields }
        _modify {
            if !isKnownUniquelyReferenced(&storage) { storage = Storage(storage.fields) }
            yield &storage.fields
        }
    }

    /// A record with the given fields.
    public init(_ fields: OrderedDictionary<String, Value> = [:]) { storage = Storage(fields) }

    /// A record from key-value pairs in order.
    public init(_ pairs: [(String, Value)]) {
        var fields = OrderedDictionary<String, Value>()
        for (key, value) in pairs { fields[key] = value }
        storage = Storage(fields)
    }

    /// The value of field `key`, if present.
    public subscript(key: String) -> Value? {
        get { fields[key] }
        set { fields[key] = newValue }
    }
}

/// `range(a, b, step)`: a lazy arithmetic sequence of numbers.
public struct RangeValue: Sendable, Equatable {
    /// First value.
    public let start: Double
    /// Bound (excluded).
    public let stop: Double
    /// Increment (not zero).
    public let step: Double

    /// A range from `start` up to (excluding) `stop` by `step`.
    public init(start: Double, stop: Double, step: Double) {
        self.start = start
        self.stop = stop
        self.step = step
    }

    /// The number of values.
    public var count: Int {
        let n = ((stop - start) / step).rounded(.up)
        return n > 0 ? Int(n) : 0
    }

    /// The value at position `i`.
    public func element(_ i: Int) -> Double { start + Double(i) * step }
}

/// An opaque value implemented outside the language (a model, a chart, a sparse matrix):
/// it names its type, prints a one-screen summary, and may expose fields.
public protocol HandleValue: Sendable {
    /// The name `type(x)` returns.
    var typeName: String { get }
    /// The display text.
    func display() -> String
    /// The field `name`, or nil when there is none.
    func field(_ name: String) -> Value?
    /// A copy with field `name` replaced (for `h.name = v`), or an error.
    func settingField(_ name: String, to value: Value) throws -> any HandleValue
    /// The field names, for completion and `keys`.
    var fieldNames: [String] { get }
    /// Applies `op` with `other`; `handleOnLeft` tells the operand order. Nil when the
    /// handle does not support the operator.
    func binary(_ op: BinaryOperator, _ other: Value, handleOnLeft: Bool) throws -> Value?
    /// Applies the unary operator `op`; nil when the handle does not support it.
    func unary(_ op: UnaryOperator) throws -> Value?
    /// The bytes the handle's data occupies (`nbytes`), nil when it has no meaningful size.
    var byteCount: Int? { get }
}

/// A handle standing in for a tensor while its operations are recorded for reverse-mode
/// gradients (the traced arguments inside `grad(f)`). Tensor parameters accept it; builtins
/// that know how to differentiate look for it, every other builtin refuses it (see
/// `Value.asTensor`) rather than silently dropping the gradient.
public protocol TracedTensorValue: HandleValue {
    /// The tensor the traced value currently holds.
    var primal: Tensor { get }
    /// The traced elements at `positions` (an i32 tensor of flat row-major positions into
    /// `primal`), shaped like `positions`: how indexing (`x[i]`, `x[a:b, j]`, `x[mask]`) is
    /// recorded, so its gradient scatters back.
    func gathering(flatPositions positions: Tensor) throws -> Value
}

extension HandleValue {
    /// No fields by default.
    public func field(_ name: String) -> Value? { nil }
    /// Handles are read-only by default.
    public func settingField(_ name: String, to value: Value) throws -> any HandleValue {
        throw PrunebookError(.type, "cannot set field `\(name)` of a \(typeName)")
    }
    /// No fields by default.
    public var fieldNames: [String] { [] }
    /// No operators by default.
    public func binary(_ op: BinaryOperator, _ other: Value, handleOnLeft: Bool) throws -> Value? { nil }
    /// No unary operators by default.
    public func unary(_ op: UnaryOperator) throws -> Value? { nil }
    /// No size by default.
    public var byteCount: Int? { nil }
}

extension Value {
    /// The name `type(x)` returns: `number`, `bool`, `string`, `nil`, `tensor`, `list`,
    /// `record`, `function`, `range`, `duration`, or the handle's type name.
    public var typeName: String {
        switch self {
        case .nilValue: return "nil"
        case .number: return "number"
        case .bool: return "bool"
        case .string: return "string"
        case .tensor: return "tensor"
        case .list: return "list"
        case .record: return "record"
        case .function: return "function"
        case .range: return "range"
        case .duration: return "duration"
        case .handle(let h): return h.typeName
        }
    }

    /// True for `nil`.
    public var isNil: Bool {
        if case .nilValue = self { return true }
        return false
    }
}
