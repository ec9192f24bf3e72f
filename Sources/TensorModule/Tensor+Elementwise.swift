// Elementwise operations: binary (with broadcasting, scalar and in-place forms), unary, clip
// and where. Over 600 lines: the three forms share the operand, kernel and storage helpers
// here, and splitting them would scatter the type rules across files.
import RealModule

/// A binary elementwise operation; `symbol` is how error messages name it.
public enum BinaryOp: String, Sendable, CaseIterable {
    case add, sub, mul, div, mod, pow, maximum, minimum, eq, ne, lt, le, gt, ge, and, or

    /// The operator as the language writes it: "+", "-", "*", "/", "%", "**", "==", "!=",
    /// "<", "<=", ">", ">=", "and", "or", or the builtin name for `maximum`/`minimum`.
    public var symbol: String {
        switch self {
        case .add: return "+"
        case .sub: return "-"
        case .mul: return "*"
        case .div: return "/"
        case .mod: return "%"
        case .pow: return "**"
        case .maximum: return "maximum"
        case .minimum: return "minimum"
        case .eq: return "=="
        case .ne: return "!="
        case .lt: return "<"
        case .le: return "<="
        case .gt: return ">"
        case .ge: return ">="
        case .and: return "and"
        case .or: return "or"
        }
    }

    /// Whether the operation compares and gives a bool tensor.
    public var isComparison: Bool {
        switch self {
        case .eq, .ne, .lt, .le, .gt, .ge: return true
        default: return false
        }
    }

    /// Whether the operation is `and`/`or`, which need bool operands.
    public var isLogical: Bool { self == .and || self == .or }
}

/// A unary elementwise operation. `neg`, `abs` and `sign` keep i32 (bools count as i32 0/1),
/// `not` needs bool, `isnan`/`isfinite` give bool, every other operation gives f32.
public enum UnaryOp: String, Sendable, CaseIterable {
    case neg, abs, sqrt, exp, log, log1p, sign, floor, ceil, round, relu, silu, gelu, sigmoid, tanh,
         sin, cos, not, isnan, isfinite
}

/// One side of a binary operation: a tensor, or a language number that never becomes a tensor.
enum BinaryOperand {
    case tensor(Tensor)
    case scalar(Double)

    /// The dtype the operand computes in: a scalar counts as i32 when it is integral and fits
    /// in i32, otherwise f32.
    var kind: DType {
        switch self {
        case .tensor(let t): return t.dtype
        case .scalar(let s): return Int32(exactly: s) != nil ? .i32 : .f32
        }
    }

    /// Calls `body` with a pointer to the operand's elements as Float.
    @inline(__always)
    func withFloats<R>(_ body: (UnsafePointer<Float>) throws -> R) rethrows -> R {
        switch self {
        case .tensor(let t): return try withBase(t.floats(), body)
        case .scalar(let s): return try withUnsafePointer(to: Float(s), body)
        }
    }

    /// Calls `body` with a pointer to the operand's elements as Int32 (bools as 0/1); the
    /// operand must not be f32.
    @inline(__always)
    func withInt32s<R>(_ body: (UnsafePointer<Int32>) throws -> R) rethrows -> R {
        switch self {
        case .tensor(let t):
            switch t.data {
            case .i32(let a): return try withBase(a, body)
            case .bool(let a): return try withBase(a.map { $0 ? 1 : 0 }, body)
            case .f32: preconditionFailure("f32 operand in an i32 kernel")
            }
        case .scalar(let s): return try withUnsafePointer(to: saturatingInt32(s), body)
        }
    }

    /// Calls `body` with a pointer to the operand's elements as Bool (nonzero is true).
    @inline(__always)
    func withBools<R>(_ body: (UnsafePointer<Bool>) throws -> R) rethrows -> R {
        switch self {
        case .tensor(let t):
            switch t.data {
            case .bool(let a): return try withBase(a, body)
            case .i32(let a): return try withBase(a.map { $0 != 0 }, body)
            case .f32(let a): return try withBase(a.map { $0 != 0 }, body)
            }
        case .scalar(let s): return try withUnsafePointer(to: s != 0, body)
        }
    }

    /// Whether any element is zero (used to reject integer modulo by zero).
    var containsZero: Bool {
        switch self {
        case .scalar(let s): return s == 0
        case .tensor(let t):
            switch t.data {
            case .i32(let a): return a.contains(0)
            case .bool(let a): return a.contains(false)
            case .f32(let a): return a.contains(0)
            }
        }
    }

    /// Whether any element is negative (i32 `**` with a negative exponent computes in f32).
    var containsNegative: Bool {
        switch self {
        case .scalar(let s): return s < 0
        case .tensor(let t):
            switch t.data {
            case .i32(let a): return a.contains { $0 < 0 }
            case .bool: return false
            case .f32(let a): return a.contains { $0 < 0 }
            }
        }
    }
}

/// Calls `body` with the base address of a non-empty array.
@inline(__always)
func withBase<T, R>(_ a: [T], _ body: (UnsafePointer<T>) throws -> R) rethrows -> R {
    try a.withUnsafeBufferPointer { buf in
        guard let p = buf.baseAddress else { preconditionFailure("empty operand in a non-empty loop") }
        return try body(p)
    }
}

/// A new array of `count` elements filled by `body` through a pointer to its start.
@inline(__always)
func makeArray<T: BitwiseCopyable>(_ count: Int, _ body: (UnsafeMutablePointer<T>) throws -> Void) rethrows -> [T] {
    if count <= smallArrayLimit {
        // `Array(unsafeUninitializedCapacity:)` allocates through a generic, unspecialised
        // standard-library entry point that looks up the storage class's metadata on every
        // call (~500 instructions, more than a tiny tensor's whole arithmetic); growing an
        // empty array is specialised for T here. So small results are made on the stack and
        // appended.
        return try withUnsafeTemporaryAllocation(of: T.self, capacity: Swift.max(count, 1)) { scratch in
            guard count > 0, let p = scratch.baseAddress else { return [] }
            try body(p)
            var out: [T] = []
            out.reserveCapacity(count)
            out.append(contentsOf: UnsafeBufferPointer(start: p, count: count))
            return out
        }
    }
    return try [T](unsafeUninitializedCapacity: count) { buf, initialized in
        if let p = buf.baseAddress { try body(p) }
        initialized = count
    }
}

/// Results of at most this many elements are built by `makeArray` on the stack first.
let smallArrayLimit = 64

/// Python/NumPy floor modulo on floats: the result has the divisor's sign.
@inline(__always)
func floorMod(_ a: Float, _ b: Float) -> Float {
    let r = a.truncatingRemainder(dividingBy: b)
    return (r != 0 && (r < 0) != (b < 0)) ? r + b : r
}

/// Python/NumPy floor modulo on integers (the divisor must be nonzero).
@inline(__always)
func floorMod(_ a: Int32, _ b: Int32) -> Int32 {
    let r = a.remainderReportingOverflow(dividingBy: b).partialValue
    return (r != 0 && (r < 0) != (b < 0)) ? r &+ b : r
}

/// `a ** b` on floats as NumPy computes it: integral exponents work for negative bases and
/// `0 ** 0` is 1.
@inline(__always)
func floatPow(_ a: Float, _ b: Float) -> Float {
    if b.rounded(.towardZero) == b, Swift.abs(b) < 16_777_216 { return Float.pow(a, Int(b)) }
    if a < 0 { return .nan }
    return Float.pow(a, b)
}

/// `a ** b` on integers with a nonnegative exponent, by squaring, wrapping on overflow.
@inline(__always)
func intPow(_ a: Int32, _ b: Int32) -> Int32 {
    var result: Int32 = 1
    var base = a
    var e = b
    while e > 0 {
        if e & 1 == 1 { result = result &* base }
        base = base &* base
        e >>= 1
    }
    return result
}

/// Larger of two floats, NaN if either is NaN (NumPy's `maximum`).
@inline(__always)
func nanMax(_ a: Float, _ b: Float) -> Float { (a.isNaN || b.isNaN) ? .nan : (a > b ? a : b) }

/// Smaller of two floats, NaN if either is NaN (NumPy's `minimum`).
@inline(__always)
func nanMin(_ a: Float, _ b: Float) -> Float { (a.isNaN || b.isNaN) ? .nan : (a < b ? a : b) }

/// Runs an f32 arithmetic op (not a comparison or logical op) over `loop`.
func floatArithmetic(
    _ op: BinaryOp, _ loop: StridedLoop, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
    _ out: UnsafeMutablePointer<Float>
) {
    switch op {
    case .add: applyBinary(loop, a, b, out) { $0 + $1 }
    case .sub: applyBinary(loop, a, b, out) { $0 - $1 }
    case .mul: applyBinary(loop, a, b, out) { $0 * $1 }
    case .div: applyBinary(loop, a, b, out) { $0 / $1 }
    case .mod: applyBinary(loop, a, b, out) { floorMod($0, $1) }
    case .pow: applyBinary(loop, a, b, out) { floatPow($0, $1) }
    case .maximum: applyBinary(loop, a, b, out) { nanMax($0, $1) }
    case .minimum: applyBinary(loop, a, b, out) { nanMin($0, $1) }
    default: preconditionFailure("\(op) is not f32 arithmetic")
    }
}

/// `a op b` for same-length f32 arrays and the four basic operations, straight into one new
/// array (the small-tensor fast path: no loop plan, no intermediate arrays); nil for other ops.
@inline(__always)
func contiguousFloatArithmetic(_ op: BinaryOp, _ a: [Float], _ b: [Float]) -> [Float]? {
    let n = a.count
    switch op {
    case .add, .sub, .mul, .div: break
    default: return nil
    }
    return makeArray(n) { out in
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                switch op {
                case .add: for i in 0..<n { out[i] = pa[i] + pb[i] }
                case .sub: for i in 0..<n { out[i] = pa[i] - pb[i] }
                case .mul: for i in 0..<n { out[i] = pa[i] * pb[i] }
                default: for i in 0..<n { out[i] = pa[i] / pb[i] }
                }
            }
        }
    }
}

/// Runs an i32 arithmetic op that stays i32 (`div` and negative `pow` do not) over `loop`;
/// `mod` divisors must be nonzero. Overflow wraps, as in NumPy.
func intArithmetic(
    _ op: BinaryOp, _ loop: StridedLoop, _ a: UnsafePointer<Int32>, _ b: UnsafePointer<Int32>,
    _ out: UnsafeMutablePointer<Int32>
) {
    switch op {
    case .add: applyBinary(loop, a, b, out) { $0 &+ $1 }
    case .sub: applyBinary(loop, a, b, out) { $0 &- $1 }
    case .mul: applyBinary(loop, a, b, out) { $0 &* $1 }
    case .mod: applyBinary(loop, a, b, out) { floorMod($0, $1) }
    case .pow: applyBinary(loop, a, b, out) { intPow($0, $1) }
    case .maximum: applyBinary(loop, a, b, out) { Swift.max($0, $1) }
    case .minimum: applyBinary(loop, a, b, out) { Swift.min($0, $1) }
    default: preconditionFailure("\(op) is not i32 arithmetic")
    }
}

/// Runs a comparison over `loop`.
@inline(__always)
func compareKernel<T: Comparable>(
    _ op: BinaryOp, _ loop: StridedLoop, _ a: UnsafePointer<T>, _ b: UnsafePointer<T>,
    _ out: UnsafeMutablePointer<Bool>
) {
    switch op {
    case .eq: applyBinary(loop, a, b, out) { $0 == $1 }
    case .ne: applyBinary(loop, a, b, out) { $0 != $1 }
    case .lt: applyBinary(loop, a, b, out) { $0 < $1 }
    case .le: applyBinary(loop, a, b, out) { $0 <= $1 }
    case .gt: applyBinary(loop, a, b, out) { $0 > $1 }
    case .ge: applyBinary(loop, a, b, out) { $0 >= $1 }
    default: preconditionFailure("\(op) is not a comparison")
    }
}

/// Runs `and`, `or`, `==` or `!=` on bools over `loop`.
func boolKernel(
    _ op: BinaryOp, _ loop: StridedLoop, _ a: UnsafePointer<Bool>, _ b: UnsafePointer<Bool>,
    _ out: UnsafeMutablePointer<Bool>
) {
    switch op {
    case .and: applyBinary(loop, a, b, out) { $0 && $1 }
    case .or: applyBinary(loop, a, b, out) { $0 || $1 }
    case .eq: applyBinary(loop, a, b, out) { $0 == $1 }
    case .ne: applyBinary(loop, a, b, out) { $0 != $1 }
    default: preconditionFailure("\(op) is not a bool kernel")
    }
}

extension Tensor {
    /// `a op b` elementwise with NumPy broadcasting.
    ///
    /// Types: comparisons give bool; `and`/`or` need bool operands; arithmetic gives f32 if
    /// either side is f32, else i32 (bools count as i32 0/1), except `/` (true division) and
    /// `**` with any negative exponent, which give f32. `%` takes the divisor's sign (Python);
    /// i32 `%` by zero is an error. i32 `+ - * **` wrap on overflow like NumPy.
    public static func binary(_ op: BinaryOp, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        if a.shape == b.shape, case .f32(let x) = a.data, case .f32(let y) = b.data, !op.isLogical {
            let n = x.count
            if let out = contiguousFloatArithmetic(op, x, y) { return Tensor(shape: a.shape, f32: out) }
            let loop = StridedLoop(contiguous: n)
            if op.isComparison {
                let out: [Bool] = makeArray(n) { o in
                    withBase(x) { px in withBase(y) { py in compareKernel(op, loop, px, py, o) } }
                }
                return Tensor(shape: a.shape, bool: out)
            }
            let out: [Float] = makeArray(n) { o in
                withBase(x) { px in withBase(y) { py in floatArithmetic(op, loop, px, py, o) } }
            }
            return Tensor(shape: a.shape, f32: out)
        }
        if op.isLogical, let bad = [a, b].first(where: { $0.dtype != .bool }) {
            throw TensorError("`\(op.symbol)` needs bool tensors, got \(bad.dtype.rawValue)")
        }
        let outShape = try broadcastShapes(a.shape, b.shape, op: op.symbol)
        let loop = a.shape == b.shape
            ? StridedLoop(contiguous: a.count)
            : StridedLoop(outShape: outShape, operands: [a.shape, b.shape])
        return try evaluate(op, .tensor(a), .tensor(b), loop: loop, outShape: outShape)
    }

    /// `t op scalar` (or `scalar op t` when `scalarOnLeft`) elementwise, without making a
    /// tensor of the scalar. Same type rules as the tensor form; the scalar counts as i32 when
    /// integral and in range (so an i32 tensor stays i32), otherwise as f32. For `and`/`or`
    /// the scalar is true when nonzero.
    public static func binary(_ op: BinaryOp, _ a: Tensor, scalar: Double, scalarOnLeft: Bool) throws -> Tensor {
        let n = a.count
        if scalarOnLeft {
            return try evaluate(op, .scalar(scalar), .tensor(a), loop: StridedLoop(scalarFirst: n), outShape: a.shape)
        }
        return try evaluate(op, .tensor(a), .scalar(scalar), loop: StridedLoop(scalarSecond: n), outShape: a.shape)
    }

    /// The general binary evaluation: picks the compute type, converts operands that need it
    /// and runs one kernel into a fresh buffer of `loop.count` elements.
    static func evaluate(
        _ op: BinaryOp, _ lhs: BinaryOperand, _ rhs: BinaryOperand, loop: StridedLoop, outShape: [Int]
    ) throws -> Tensor {
        let n = loop.count
        if op.isLogical {
            for side in [lhs, rhs] {
                if case .tensor(let t) = side, t.dtype != .bool {
                    throw TensorError("`\(op.symbol)` needs bool tensors, got \(t.dtype.rawValue)")
                }
            }
            let out: [Bool] = makeArray(n) { o in
                lhs.withBools { pa in rhs.withBools { pb in boolKernel(op, loop, pa, pb, o) } }
            }
            return Tensor(shape: outShape, bool: out)
        }
        let (ka, kb) = (lhs.kind, rhs.kind)
        if ka == .bool && kb == .bool && (op == .eq || op == .ne) {
            let out: [Bool] = makeArray(n) { o in
                lhs.withBools { pa in rhs.withBools { pb in boolKernel(op, loop, pa, pb, o) } }
            }
            return Tensor(shape: outShape, bool: out)
        }
        var compute: DType = (ka == .f32 || kb == .f32) ? .f32 : .i32
        if compute == .i32 && op == .pow && rhs.containsNegative { compute = .f32 }
        if compute == .f32 {
            if op.isComparison {
                let out: [Bool] = makeArray(n) { o in
                    lhs.withFloats { pa in rhs.withFloats { pb in compareKernel(op, loop, pa, pb, o) } }
                }
                return Tensor(shape: outShape, bool: out)
            }
            let out: [Float] = makeArray(n) { o in
                lhs.withFloats { pa in rhs.withFloats { pb in floatArithmetic(op, loop, pa, pb, o) } }
            }
            return Tensor(shape: outShape, f32: out)
        }
        if op.isComparison {
            let out: [Bool] = makeArray(n) { o in
                lhs.withInt32s { pa in rhs.withInt32s { pb in compareKernel(op, loop, pa, pb, o) } }
            }
            return Tensor(shape: outShape, bool: out)
        }
        if op == .div {
            let out: [Float] = makeArray(n) { o in
                lhs.withInt32s { pa in
                    rhs.withInt32s { pb in applyBinary(loop, pa, pb, o) { Float(Double($0) / Double($1)) } }
                }
            }
            return Tensor(shape: outShape, f32: out)
        }
        if op == .mod && n > 0 && rhs.containsZero { throw TensorError("integer modulo by zero") }
        let out: [Int32] = makeArray(n) { o in
            lhs.withInt32s { pa in rhs.withInt32s { pb in intArithmetic(op, loop, pa, pb, o) } }
        }
        return Tensor(shape: outShape, i32: out)
    }

    /// In-place `self op= other` (`x += y`). When the result has this tensor's shape and dtype
    /// (f32 arithmetic; i32 arithmetic other than `/` and negative `**` with an i32 or bool
    /// operand; `and`/`or` on bools) the elements are updated in place, without allocating
    /// when the storage is uniquely referenced. Otherwise `self` becomes `binary(op, self, other)`.
    public mutating func formBinary(_ op: BinaryOp, _ other: Tensor) throws {
        let outShape = try Tensor.broadcastShapes(shape, other.shape, op: op.symbol)
        guard outShape == shape, !op.isComparison else {
            self = try Tensor.binary(op, self, other)
            return
        }
        let loop = other.shape == shape
            ? StridedLoop(contiguous: count)
            : StridedLoop(outShape: shape, operands: [shape, other.shape])
        let rhs = BinaryOperand.tensor(other)
        switch dtype {
        case .f32 where !op.isLogical && count == 0, .bool where op.isLogical && other.dtype == .bool && count == 0:
            return
        case .f32 where !op.isLogical:
            withF32Storage { x in
                rhs.withFloats { pb in
                    x.withUnsafeMutableBufferPointer { buf in
                        guard let p = buf.baseAddress else { return }
                        floatArithmetic(op, loop, UnsafePointer(p), pb, p)
                    }
                }
            }
        case .i32 where other.dtype != .f32 && op != .div && !op.isLogical
            && !(op == .pow && rhs.containsNegative):
            if op == .mod && count > 0 && rhs.containsZero { throw TensorError("integer modulo by zero") }
            if count == 0 { return }
            withI32Storage { x in
                rhs.withInt32s { pb in
                    x.withUnsafeMutableBufferPointer { buf in
                        guard let p = buf.baseAddress else { return }
                        intArithmetic(op, loop, UnsafePointer(p), pb, p)
                    }
                }
            }
        case .bool where op.isLogical && other.dtype == .bool:
            withBoolStorage { x in
                rhs.withBools { pb in
                    x.withUnsafeMutableBufferPointer { buf in
                        guard let p = buf.baseAddress else { return }
                        boolKernel(op, loop, UnsafePointer(p), pb, p)
                    }
                }
            }
        default:
            self = try Tensor.binary(op, self, other)
        }
    }

    /// Runs `body` on the f32 elements in place. The storage is taken out of `data` first, so
    /// it is uniquely referenced (no copy) unless another tensor shares it. Must be f32.
    mutating func withF32Storage<R>(_ body: (inout [Float]) throws -> R) rethrows -> R {
        guard case .f32(var a) = data else { preconditionFailure("expected f32 storage") }
        data = .f32([])
        defer { data = .f32(a) }
        return try body(&a)
    }

    /// Runs `body` on the i32 elements in place, like `withF32Storage`. Must be i32.
    mutating func withI32Storage<R>(_ body: (inout [Int32]) throws -> R) rethrows -> R {
        guard case .i32(var a) = data else { preconditionFailure("expected i32 storage") }
        data = .i32([])
        defer { data = .i32(a) }
        return try body(&a)
    }

    /// Runs `body` on the bool elements in place, like `withF32Storage`. Must be bool.
    mutating func withBoolStorage<R>(_ body: (inout [Bool]) throws -> R) rethrows -> R {
        guard case .bool(var a) = data else { preconditionFailure("expected bool storage") }
        data = .bool([])
        defer { data = .bool(a) }
        return try body(&a)
    }

    /// `op(t)` elementwise. `neg`, `abs` and `sign` keep f32 or i32 (bool counts as i32);
    /// `not` needs bool; `isnan`/`isfinite` give bool; the rest compute in f32. `round` rounds
    /// half to even (NumPy); `gelu` is the exact form 0.5·x·(1 + erf(x/√2)); `sigmoid` and
    /// `silu` are evaluated without overflow for large |x|.
    public static func unary(_ op: UnaryOp, _ t: Tensor) throws -> Tensor {
        switch op {
        case .not:
            guard case .bool(let a) = t.data else {
                throw TensorError("`not` needs a bool tensor, got \(t.dtype.rawValue)")
            }
            return Tensor(shape: t.shape, bool: mapArray(a) { !$0 })
        case .isnan, .isfinite:
            guard case .f32(let a) = t.data else {
                return Tensor.full(t.shape, value: op == .isnan ? 0 : 1, dtype: .bool)
            }
            let out = op == .isnan ? mapArray(a) { $0.isNaN } : mapArray(a) { $0.isFinite }
            return Tensor(shape: t.shape, bool: out)
        case .neg, .abs, .sign:
            if t.dtype != .f32 {
                let a: [Int32]
                switch t.data {
                case .i32(let v): a = v
                default: a = t.astype(.i32).int32Storage
                }
                switch op {
                case .neg: return Tensor(shape: t.shape, i32: mapArray(a) { 0 &- $0 })
                case .abs: return Tensor(shape: t.shape, i32: mapArray(a) { $0 < 0 ? 0 &- $0 : $0 })
                default: return Tensor(shape: t.shape, i32: mapArray(a) { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) })
                }
            }
        default:
            break
        }
        let a = t.floats()
        let out: [Float]
        switch op {
        case .neg: out = mapArray(a) { -$0 }
        case .abs: out = mapArray(a) { Swift.abs($0) }
        case .sign: out = mapArray(a) { $0.isNaN ? .nan : ($0 > 0 ? 1 : ($0 < 0 ? -1 : 0)) }
        case .sqrt: out = mapArray(a) { $0.squareRoot() }
        case .exp: out = mapArray(a) { Float.exp($0) }
        case .log: out = mapArray(a) { Float.log($0) }
        case .log1p: out = mapArray(a) { Float.log(onePlus: $0) }
        case .floor: out = mapArray(a) { $0.rounded(.down) }
        case .ceil: out = mapArray(a) { $0.rounded(.up) }
        case .round: out = mapArray(a) { $0.rounded(.toNearestOrEven) }
        case .relu: out = mapArray(a) { $0 > 0 ? $0 : ($0.isNaN ? $0 : 0) }
        case .silu: out = mapArray(a) { $0 * stableSigmoid($0) }
        case .gelu: out = mapArray(a) { 0.5 * $0 * (1 + Float.erf($0 * 0.707_106_77)) }
        case .sigmoid: out = mapArray(a) { stableSigmoid($0) }
        case .tanh: out = mapArray(a) { Float.tanh($0) }
        case .sin: out = mapArray(a) { Float.sin($0) }
        case .cos: out = mapArray(a) { Float.cos($0) }
        case .not, .isnan, .isfinite: preconditionFailure("handled above")
        }
        return Tensor(shape: t.shape, f32: out)
    }

    /// The elements limited to `[lo, hi]` (either bound optional); NaN stays NaN. i32 stays
    /// i32 when both given bounds are integral, else the result is f32; bool counts as i32.
    public func clip(lo: Double?, hi: Double?) throws -> Tensor {
        if let lo, let hi, lo > hi {
            throw TensorError("clip needs lo <= hi, got lo \(describeNumber(lo)) and hi \(describeNumber(hi))")
        }
        let integral = [lo, hi].allSatisfy { $0 == nil || Int32(exactly: $0 ?? 0) != nil }
        if dtype != .f32 && integral {
            let a = astype(.i32).int32Storage
            let l = lo.map { Int32($0) } ?? .min
            let h = hi.map { Int32($0) } ?? .max
            return Tensor(shape: shape, i32: mapArray(a) { Swift.min(Swift.max($0, l), h) })
        }
        let l = lo.map { Float($0) } ?? -.infinity
        let h = hi.map { Float($0) } ?? .infinity
        return Tensor(shape: shape, f32: mapArray(floats()) { $0.isNaN ? $0 : Swift.min(Swift.max($0, l), h) })
    }

    /// Elementwise `cond ? a : b` with all three broadcast together (NumPy's `where`); `cond`
    /// must be bool; the result dtype is the promotion of `a` and `b` (bool < i32 < f32).
    public static func where_(_ cond: Tensor, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        guard case .bool(let c) = cond.data else {
            throw TensorError("`where` needs a bool condition, got \(cond.dtype.rawValue)")
        }
        let ab = try broadcastShapes(a.shape, b.shape, op: "where")
        let outShape = try broadcastShapes(cond.shape, ab, op: "where")
        let loop = StridedLoop(outShape: outShape, operands: [cond.shape, a.shape, b.shape])
        let dtype = DType.promoted(a.dtype, b.dtype)
        switch dtype {
        case .f32:
            return Tensor(shape: outShape, f32: selectKernel(loop, c, a.floats(), b.floats()))
        case .i32:
            return Tensor(shape: outShape, i32: selectKernel(loop, c, a.astype(.i32).int32Storage,
                                                             b.astype(.i32).int32Storage))
        case .bool:
            return Tensor(shape: outShape, bool: selectKernel(loop, c, a.boolStorage, b.boolStorage))
        }
    }

    /// The i32 elements; the tensor must be i32.
    var int32Storage: [Int32] {
        guard case .i32(let a) = data else { preconditionFailure("expected an i32 tensor") }
        return a
    }

    /// The bool elements; the tensor must be bool.
    var boolStorage: [Bool] {
        guard case .bool(let a) = data else { preconditionFailure("expected a bool tensor") }
        return a
    }
}

/// `1 / (1 + e^-x)` without overflow for large |x|.
@inline(__always)
func stableSigmoid(_ x: Float) -> Float {
    if x >= 0 { return 1 / (1 + Float.exp(-x)) }
    let e = Float.exp(x)
    return e / (1 + e)
}

/// `f` applied to every element into a new array, in one tight loop.
@inline(__always)
func mapArray<T, R>(_ a: [T], _ f: (T) -> R) -> [R] {
    let n = a.count
    return [R](unsafeUninitializedCapacity: n) { out, initialized in
        a.withUnsafeBufferPointer { src in
            for i in 0..<n { out[i] = f(src[i]) }
        }
        initialized = n
    }
}

/// The ternary select of `where`: `c ? a : b` over three broadcast operands.
func selectKernel<T: BitwiseCopyable>(_ loop: StridedLoop, _ c: [Bool], _ a: [T], _ b: [T]) -> [T] {
    let n = loop.rowLength
    let (sc, sa, sb) = loop.inner
    return makeArray(loop.count) { out in
        withBase(c) { pc in
            withBase(a) { pa in
                withBase(b) { pb in
                    loop.forEachRow { o, ic, ia, ib in
                        let (po, c0, a0, b0) = (out + o, pc + ic, pa + ia, pb + ib)
                        for k in 0..<n { po[k] = c0[k &* sc] ? a0[k &* sa] : b0[k &* sb] }
                    }
                }
            }
        }
    }
}
