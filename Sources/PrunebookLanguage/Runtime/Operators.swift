import Foundation
import TensorModule

/// Arithmetic and comparison on two numbers; nil for `@` (not defined on numbers).
@inline(__always)
func numberOperation(_ op: BinaryOperator, _ x: Double, _ y: Double) -> Value? {
    switch op {
    case .add: return .number(x + y)
    case .subtract: return .number(x - y)
    case .multiply: return .number(x * y)
    case .divide: return .number(x / y)
    case .modulo:
        let r = x.truncatingRemainder(dividingBy: y)
        return .number(r != 0 && (r < 0) != (y < 0) ? r + y : r)
    case .power: return .number(Foundation.pow(x, y))
    case .equal: return .bool(x == y)
    case .notEqual: return .bool(x != y)
    case .less: return .bool(x < y)
    case .lessEqual: return .bool(x <= y)
    case .greater: return .bool(x > y)
    case .greaterEqual: return .bool(x >= y)
    case .matmul: return nil
    }
}

/// The longest string `*` may build (1 GiB).
let maximumStringBytes = 1 << 30

/// The tensor operation for a language operator.
func tensorOp(_ op: BinaryOperator) -> BinaryOp? {
    switch op {
    case .add: return .add
    case .subtract: return .sub
    case .multiply: return .mul
    case .divide: return .div
    case .modulo: return .mod
    case .power: return .pow
    case .equal: return .eq
    case .notEqual: return .ne
    case .less: return .lt
    case .lessEqual: return .le
    case .greater: return .gt
    case .greaterEqual: return .ge
    case .matmul: return nil
    }
}

/// Tensor-tensor and tensor-number elementwise operations without the general dispatch
/// (no intermediate copies of the operands); nil for every other combination.
@inline(__always)
func tensorFastPath(_ op: BinaryOp, _ a: Value, _ b: Value) throws -> Value? {
    guard case .tensor(let x) = a else {
        if case .number(let n) = a, case .tensor(let y) = b {
            return .tensor(try Tensor.binary(op, y, scalar: n, scalarOnLeft: true))
        }
        return nil
    }
    switch b {
    case .tensor(let y): return .tensor(try Tensor.binary(op, x, y))
    case .number(let n): return .tensor(try Tensor.binary(op, x, scalar: n, scalarOnLeft: false))
    default: return nil
    }
}

/// Applies a binary operator to any two values (numbers handled by the fast path first);
/// public so handles can fall back to it on plain values.
public func binaryOperation(_ op: BinaryOperator, _ a: Value, _ b: Value) throws -> Value {
    switch (a, b) {
    case (.handle(let h), _):
        if let result = try h.binary(op, b, handleOnLeft: true) { return result }
    case (_, .handle(let h)):
        if let result = try h.binary(op, a, handleOnLeft: false) { return result }
    default:
        break
    }
    if op == .equal { return try equality(a, b, negate: false) }
    if op == .notEqual { return try equality(a, b, negate: true) }
    switch (a, b) {
    case (.number(let x), .number(let y)):
        if let r = numberOperation(op, x, y) { return r }
    case (.string(let x), .string(let y)):
        switch op {
        case .add: return .string(x + y)
        case .less: return .bool(x < y)
        case .lessEqual: return .bool(x <= y)
        case .greater: return .bool(x > y)
        case .greaterEqual: return .bool(x >= y)
        default: break
        }
    case (.string(let s), .number(let n)) where op == .multiply, (.number(let n), .string(let s)) where op == .multiply:
        guard n >= 0, let times = exactInteger(n) else {
            throw PrunebookError(.value, "a string can only be repeated a non-negative integer number of times")
        }
        let bytes = Double(s.utf8.count) * n
        guard bytes <= Double(maximumStringBytes) else {
            throw PrunebookError(.limit, "repeating a string of \(s.utf8.count) bytes \(formatNumber(n)) times would make \(formatNumber(bytes)) bytes, more than the string limit of \(maximumStringBytes)")
        }
        return .string(String(repeating: s, count: times))
    case (.list(let x), .list(let y)) where op == .add:
        return .list(x + y)
    case (.duration, _), (_, .duration):
        return try durationOperation(op, a, b)
    default:
        break
    }
    if isTensorLike(a, b) || isListPair(a, b) {
        return try tensorOperation(op, a, b)
    }
    throw PrunebookError(.type, "`\(op.rawValue)` is not defined for \(a.typeName) and \(b.typeName)\(operatorHint(op, a, b))")
}

func operatorHint(_ op: BinaryOperator, _ a: Value, _ b: Value) -> String {
    if case .string = a, op == .add { return " (use an f-string: f\"{x}\")" }
    if case .string = b, op == .add { return " (use an f-string: f\"{x}\")" }
    return ""
}

/// Two lists combined by anything but `+` (concatenation) or `==`/`!=` act as tensors.
func isListPair(_ a: Value, _ b: Value) -> Bool {
    if case .list = a, case .list = b { return true }
    return false
}

/// True when the operation is a tensor operation: one side is a tensor, or lists are
/// combined with numbers or tensors.
func isTensorLike(_ a: Value, _ b: Value) -> Bool {
    switch (a, b) {
    case (.tensor, _), (_, .tensor): return true
    case (.list, .number), (.number, .list): return true
    default: return false
    }
}

func tensorOperation(_ op: BinaryOperator, _ a: Value, _ b: Value) throws -> Value {
    if op == .matmul {
        let result = try Tensor.matmul(try a.asTensor(), try b.asTensor())
        return Value(tensorOrScalar: result)
    }
    guard let tensorOp = tensorOp(op) else {
        throw PrunebookError(.type, "`\(op.rawValue)` is not defined for \(a.typeName) and \(b.typeName)")
    }
    switch (a, b) {
    case (.tensor(let t), .number(let n)):
        return .tensor(try Tensor.binary(tensorOp, t, scalar: n, scalarOnLeft: false))
    case (.number(let n), .tensor(let t)):
        return .tensor(try Tensor.binary(tensorOp, t, scalar: n, scalarOnLeft: true))
    default:
        return .tensor(try Tensor.binary(tensorOp, try a.asTensor(), try b.asTensor()))
    }
}

/// `==` / `!=`: elementwise for tensors, deep equality otherwise.
func equality(_ a: Value, _ b: Value, negate: Bool) throws -> Value {
    if isTensorLike(a, b) {
        if case .tensor = a {} else if case .tensor = b {} else {
            return .bool(valuesEqual(a, b) != negate)
        }
        return try tensorOperation(negate ? .notEqual : .equal, a, b)
    }
    return .bool(valuesEqual(a, b) != negate)
}

/// Deep structural equality (tensors: same shape, dtype and elements).
public func valuesEqual(_ a: Value, _ b: Value) -> Bool {
    switch (a, b) {
    case (.nilValue, .nilValue): return true
    case (.number(let x), .number(let y)): return x == y
    case (.bool(let x), .bool(let y)): return x == y
    case (.string(let x), .string(let y)): return x == y
    case (.tensor(let x), .tensor(let y)): return x == y
    case (.list(let x), .list(let y)): return x.count == y.count && zip(x, y).allSatisfy { valuesEqual($0, $1) }
    case (.record(let x), .record(let y)):
        return x.fields.count == y.fields.count && x.fields.allSatisfy { key, value in
            y.fields[key].map { valuesEqual(value, $0) } ?? false
        }
    case (.function(let x), .function(let y)): return x === y
    case (.range(let x), .range(let y)): return x == y
    case (.duration(let x), .duration(let y)): return x == y
    default: return false
    }
}

/// Durations: added and subtracted with durations, scaled by numbers, compared with
/// durations or numbers (seconds); duration / duration is a plain number.
func durationOperation(_ op: BinaryOperator, _ a: Value, _ b: Value) throws -> Value {
    func seconds(_ v: Value) -> Double? {
        switch v {
        case .duration(let d): return d
        case .number(let n): return n
        default: return nil
        }
    }
    guard let x = seconds(a), let y = seconds(b) else {
        throw PrunebookError(.type, "`\(op.rawValue)` is not defined for \(a.typeName) and \(b.typeName)")
    }
    let bothDurations: Bool = { if case .duration = a, case .duration = b { return true } else { return false } }()
    switch op {
    case .add, .subtract:
        return .duration(op == .add ? x + y : x - y)
    case .multiply:
        if bothDurations { break }
        return .duration(x * y)
    case .divide:
        if bothDurations { return .number(x / y) }
        if case .duration = a { return .duration(x / y) }
    case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual:
        return numberOperation(op, x, y) ?? .bool(false)
    default:
        break
    }
    throw PrunebookError(.type, "`\(op.rawValue)` is not defined for \(a.typeName) and \(b.typeName)")
}

/// `x op= y`, in place for uniquely held tensors.
func compoundOperation(_ op: BinaryOperator, _ current: inout Value, _ rhs: Value) throws {
    if op == .add, appendInPlace(&current, rhs) { return }
    if case .tensor(var t) = current, let tensorOp = tensorOp(op) {
        let other: Tensor
        switch rhs {
        case .tensor(let r): other = r
        case .number, .list, .bool: other = try rhs.asTensor()
        default: current = try binaryOperation(op, current, rhs); return
        }
        if let shape = try? Tensor.broadcastShapes(t.shape, other.shape, op: op.rawValue), shape == t.shape,
           resultDType(tensorOp, t.dtype, other) == t.dtype {
            current = .nilValue
            defer { current = .tensor(t) }
            try t.formBinary(tensorOp, other)
            return
        }
    }
    current = try binaryOperation(op, current, rhs)
}

/// `s += t` on strings and `xs += ys` on lists extend the target's own storage (the
/// caller has moved it out of its variable, so it is uniquely referenced): building a
/// string or list in a loop is linear, not quadratic. False for any other operands.
@inline(__always)
public func appendInPlace(_ current: inout Value, _ rhs: Value) -> Bool {
    if case .string(let t) = rhs, case .string(var s) = current {
        current = .nilValue
        s += t
        current = .string(s)
        return true
    }
    if case .list(let more) = rhs { return updatingList(&current) { $0.append(contentsOf: more) } }
    return false
}

/// Runs `change` on the list `value` holds, in place: moved out of `value` while it runs, the
/// list is uniquely referenced when `value` was its only holder, so it is not copied. False
/// (nothing changed) when `value` is not a list.
@inline(__always)
public func updatingList(_ value: inout Value, _ change: (inout [Value]) -> Void) -> Bool {
    guard case .list(var items) = value else { return false }
    value = .nilValue
    change(&items)
    value = .list(items)
    return true
}

func resultDType(_ op: BinaryOp, _ left: DType, _ right: Tensor) -> DType? {
    switch op {
    case .eq, .ne, .lt, .le, .gt, .ge, .and, .or: return .bool
    default: break
    }
    if left == .f32 || right.dtype == .f32 { return .f32 }
    if op == .div { return .f32 }
    return .i32
}

/// `-x` and `not x` on non-number values.
func unaryOperation(_ op: UnaryOperator, _ value: Value) throws -> Value {
    if case .handle(let h) = value, let result = try h.unary(op) { return result }
    switch (op, value) {
    case (.negate, .number(let n)): return .number(-n)
    case (.negate, .duration(let d)): return .duration(-d)
    case (.negate, .tensor(let t)): return .tensor(try Tensor.unary(.neg, t))
    case (.negate, .list): return .tensor(try Tensor.unary(.neg, try value.asTensor()))
    case (.not, .bool(let b)): return .bool(!b)
    case (.not, .tensor(let t)) where t.dtype == .bool: return .tensor(try Tensor.unary(.not, t))
    case (.not, .tensor): throw PrunebookError(.type, "`not` needs a bool or a bool tensor, got a \(valueDTypeName(value)) tensor")
    default:
        throw PrunebookError(.type, "`\(op.rawValue)` is not defined for \(value.typeName)")
    }
}

func valueDTypeName(_ value: Value) -> String {
    if case .tensor(let t) = value { return t.dtype.rawValue }
    return value.typeName
}

/// `and` / `or` between bool tensors (elementwise, no short-circuit).
func elementwiseLogical(isAnd: Bool, _ a: Value, _ b: Value) throws -> Value {
    let x = try a.asTensor()
    let y = try b.asTensor()
    guard x.dtype == .bool, y.dtype == .bool else {
        throw PrunebookError(.type, "`\(isAnd ? "and" : "or")` on tensors needs bool tensors, got \(x.dtype.rawValue) and \(y.dtype.rawValue) (for a condition use `any(t)` or `all(t)`)")
    }
    return .tensor(try Tensor.binary(isAnd ? .and : .or, x, y))
}
