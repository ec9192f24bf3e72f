import TensorModule

/// One evaluated subscript: a value (integer, list, tensor, key) or a slice.
enum IndexValue {
    case value(Value)
    case slice(Int?, Int?, Int?)
}

/// Python-style slice bounds resolved against a length.
func sliceIndices(_ start: Int?, _ stop: Int?, _ step: Int?, count: Int) throws -> [Int] {
    let step = step ?? 1
    guard step != 0 else { throw PrunebookError(.value, "slice step cannot be zero") }
    func clamp(_ v: Int?, _ defaultValue: Int, low: Int, high: Int) -> Int {
        guard var v else { return defaultValue }
        if v < 0 { v += count }
        return min(max(v, low), high)
    }
    var result: [Int] = []
    if step > 0 {
        let a = clamp(start, 0, low: 0, high: count)
        let b = clamp(stop, count, low: 0, high: count)
        var i = a
        while i < b { result.append(i); i += step }
    } else {
        let a = clamp(start, count - 1, low: -1, high: count - 1)
        let b = clamp(stop, -1, low: -1, high: count - 1)
        var i = a
        while i > b { result.append(i); i += step }
    }
    return result
}

/// `n` as an `Int` when it is an integer of magnitude below 2⁵³ (every position or count
/// Prunebook can hold), nil otherwise: converting a larger, infinite or NaN number would trap.
func exactInteger(_ n: Double) -> Int? {
    n == n.rounded() && abs(n) < 9.0e15 ? Int(n) : nil
}

/// A single integer position checked against `count` (negative counts from the end).
func position(_ value: Value, count: Int, what: String) throws -> Int {
    guard case .number(let n) = value else {
        throw PrunebookError(.type, "\(what) index must be an integer, got \(value.typeName)")
    }
    guard n == n.rounded() else { throw PrunebookError(.type, "\(what) index must be an integer, got \(formatNumber(n))") }
    guard let i = exactInteger(n) else {
        throw PrunebookError(.value, "index \(formatNumber(n)) is out of bounds for a \(what) of length \(count)")
    }
    let resolved = i < 0 ? i + count : i
    guard resolved >= 0 && resolved < count else {
        throw PrunebookError(.value, "index \(i) is out of bounds for a \(what) of length \(count)")
    }
    return resolved
}

/// Converts subscripts to tensor indices.
func tensorIndices(_ indices: [IndexValue], for tensor: Tensor) throws -> [TensorIndex] {
    try indices.map { index in
        switch index {
        case .slice(let a, let b, let c):
            return .slice(start: a, stop: b, step: c)
        case .value(.number(let n)):
            guard n == n.rounded() else { throw PrunebookError(.type, "tensor index must be an integer, got \(formatNumber(n))") }
            guard let i = exactInteger(n) else {
                throw PrunebookError(.value, "index \(formatNumber(n)) is out of bounds for a tensor of shape \(formatShape(tensor.shape))")
            }
            return .at(i)
        case .value(.nilValue):
            return .all
        case .value(let v):
            let t = try v.asTensor()
            guard t.ndim == 1, t.dtype != .bool else {
                throw PrunebookError(.type, "a tensor index must be an integer, a slice, a 1-D list of integers or a bool mask of the same shape")
            }
            let values = t.doubles()
            guard values.allSatisfy({ $0 == $0.rounded() }) else { throw PrunebookError(.type, "gather indices must be integers") }
            return .gather(values.map { Int($0) })
        }
    }
}

/// The bool mask when `indices` is exactly one bool tensor.
func maskIndex(_ indices: [IndexValue]) -> Tensor? {
    if indices.count == 1, case .value(.tensor(let t)) = indices[0], t.dtype == .bool { return t }
    return nil
}

/// `base[indices]`.
func getIndex(_ base: Value, _ indices: [IndexValue]) throws -> Value {
    switch base {
    case .tensor(let t):
        if let mask = maskIndex(indices) { return .tensor(try t.masked(mask)) }
        let result = try t.indexed(try tensorIndices(indices, for: t))
        return Value(tensorOrScalar: result)
    case .list(let items):
        guard indices.count == 1 else {
            if case .value = indices[0] {
                var inner = try getIndex(base, [indices[0]])
                inner = try getIndex(inner, Array(indices.dropFirst()))
                return inner
            }
            throw PrunebookError(.type, "a list takes one index, got \(indices.count)")
        }
        switch indices[0] {
        case .value(let v): return items[try position(v, count: items.count, what: "list")]
        case .slice(let a, let b, let c): return .list(try sliceIndices(a, b, c, count: items.count).map { items[$0] })
        }
    case .string(let s):
        let characters = Array(s)
        guard indices.count == 1 else { throw PrunebookError(.type, "a string takes one index, got \(indices.count)") }
        switch indices[0] {
        case .value(let v): return .string(String(characters[try position(v, count: characters.count, what: "string")]))
        case .slice(let a, let b, let c): return .string(String(try sliceIndices(a, b, c, count: characters.count).map { characters[$0] }))
        }
    case .record(let r):
        guard indices.count == 1, case .value(.string(let key)) = indices[0] else {
            throw PrunebookError(.type, "a record is indexed by one string key")
        }
        guard let value = r.fields[key] else { throw missingField(key, in: r) }
        return value
    case .range(let range):
        guard indices.count == 1, case .value(let v) = indices[0] else { throw PrunebookError(.type, "a range takes one integer index") }
        return .number(range.element(try position(v, count: range.count, what: "range")))
    case .handle(let h):
        if indices.count == 1, case .value(.string(let key)) = indices[0], let value = h.field(key) { return value }
        if let traced = h as? any TracedTensorValue {
            // Index a tensor of flat positions the same way, then gather those elements.
            let shape = traced.primal.shape
            let positions = Tensor(shape: shape, i32: (0..<Int32(shape.reduce(1, *))).map { $0 })
            switch try getIndex(.tensor(positions), indices) {
            case .tensor(let picked): return try traced.gathering(flatPositions: picked)
            case .number(let n): return try traced.gathering(flatPositions: Tensor(shape: [], i32: [Int32(n)]))
            case let other: throw PrunebookError(.type, "cannot index a traced tensor to get a \(other.typeName)")
            }
        }
        throw PrunebookError(.type, "cannot index a \(h.typeName)")
    default:
        throw PrunebookError(.type, "cannot index a \(base.typeName)")
    }
}

func missingField(_ key: String, in record: Record) -> PrunebookError {
    let suggestion = closestName(to: key, among: Array(record.fields.keys)).map { " (did you mean `\($0)`?)" } ?? ""
    return PrunebookError(.name, "record has no field `\(key)`\(suggestion)")
}

/// `base[indices] = value`, in place.
func setIndex(_ base: inout Value, _ indices: [IndexValue], _ value: Value) throws {
    switch base {
    case .tensor(var t):
        let newValue = try value.asTensor()
        base = .nilValue
        defer { base = .tensor(t) }
        if let mask = maskIndex(indices) {
            try t.assignMasked(mask, newValue)
        } else {
            try t.assign(try tensorIndices(indices, for: t), newValue)
        }
    case .record(var r):
        guard indices.count == 1, case .value(.string(let key)) = indices[0] else {
            throw PrunebookError(.type, "a record is indexed by one string key")
        }
        base = .nilValue
        r.fields[key] = value
        base = .record(r)
    case .list:
        try modifyIndex(&base, indices) { $0 = value }
    default:
        throw PrunebookError(.type, "cannot assign into a \(base.typeName) by index")
    }
}

/// Changes `base[indices]` in place through `body` (for nested targets and `+=`).
func modifyIndex(_ base: inout Value, _ indices: [IndexValue], _ body: (inout Value) throws -> Void) throws {
    switch base {
    case .list(var items):
        guard indices.count == 1 else {
            try modifyIndex(&base, [indices[0]]) { inner in try modifyIndex(&inner, Array(indices.dropFirst()), body) }
            return
        }
        switch indices[0] {
        case .value(let v):
            let i = try position(v, count: items.count, what: "list")
            base = .nilValue
            defer { base = .list(items) }
            try body(&items[i])
        case .slice(let a, let b, let c):
            let positions = try sliceIndices(a, b, c, count: items.count)
            var slice = Value.list(positions.map { items[$0] })
            try body(&slice)
            guard case .list(let replaced) = slice, replaced.count == positions.count else {
                throw PrunebookError(.value, "slice assignment needs a list of \(positions.count) items")
            }
            for (p, item) in zip(positions, replaced) { items[p] = item }
            base = .list(items)
        }
    case .record(var r):
        guard indices.count == 1, case .value(.string(let key)) = indices[0] else {
            throw PrunebookError(.type, "a record is indexed by one string key")
        }
        guard var inner = r.fields[key] else { throw missingField(key, in: r) }
        base = .nilValue
        r.fields[key] = .nilValue
        try body(&inner)
        r.fields[key] = inner
        base = .record(r)
    default:
        var inner = try getIndex(base, indices)
        try body(&inner)
        try setIndex(&base, indices, inner)
    }
}

/// `base.name`.
func getField(_ base: Value, _ name: String, context: RunContext) throws -> Value {
    switch base {
    case .record(let r):
        guard let value = r.fields[name] else { throw missingField(name, in: r) }
        return value
    case .handle(let h):
        if let value = h.field(name) { return value }
        let suggestion = closestName(to: name, among: h.fieldNames).map { " (did you mean `\($0)`?)" } ?? ""
        throw PrunebookError(.name, "\(h.typeName) has no field `\(name)`\(suggestion)")
    case .tensor(let t) where name == "T":
        return .tensor(try t.transposed(nil))
    case .list where name == "T":
        return .tensor(try base.asTensor().transposed(nil))
    default:
        var hint = ""
        if context.global(name) != nil { hint = " (to call `\(name)` on it write `x.\(name)()`)" }
        throw PrunebookError(.name, "\(base.typeName) has no field `\(name)`\(hint)")
    }
}

/// Record field `name` of `record`, created if missing.
func setField(_ base: inout Value, _ name: String, _ value: Value) throws {
    switch base {
    case .record(var r):
        base = .nilValue
        r.fields[name] = value
        base = .record(r)
    case .handle(let h):
        base = .handle(try h.settingField(name, to: value))
    default:
        throw PrunebookError(.type, "cannot set field `\(name)` on a \(base.typeName)")
    }
}

/// Changes field `name` in place through `body`.
func modifyField(_ base: inout Value, _ name: String, context: RunContext, _ body: (inout Value) throws -> Void) throws {
    if case .record(var r) = base {
        guard var inner = r.fields[name] else { throw missingField(name, in: r) }
        base = .nilValue
        r.fields[name] = .nilValue
        defer { r.fields[name] = inner; base = .record(r) }
        try body(&inner)
        return
    }
    var inner = try getField(base, name, context: context)
    try body(&inner)
    try setField(&base, name, inner)
}

/// The closest of `candidates` to `name` by edit distance, if close enough to suggest.
public func closestName(to name: String, among candidates: [String]) -> String? {
    guard name.count >= 2 else { return nil }
    let limit = max(1, name.count / 3)
    var best: (String, Int)?
    for candidate in candidates.sorted() where candidate != name {
        let d = editDistance(name, candidate)
        if d <= limit, d < (best?.1 ?? Int.max) { best = (candidate, d) }
    }
    return best?.0
}

/// Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of
/// adjacent letters each cost 1 (so `bais` is one edit from `bias`).
func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a.lowercased())
    let y = Array(b.lowercased())
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var beforePrevious = [Int](repeating: 0, count: y.count + 1)
    var previous = Array(0...y.count)
    var current = [Int](repeating: 0, count: y.count + 1)
    for i in 1...x.count {
        current[0] = i
        for j in 1...y.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            if i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1] {
                current[j] = min(current[j], beforePrevious[j - 2] + 1)
            }
        }
        (beforePrevious, previous, current) = (previous, current, beforePrevious)
    }
    return previous[y.count]
}
