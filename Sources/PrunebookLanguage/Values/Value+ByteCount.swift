extension Value {
    /// The bytes of the data, as `nbytes` and the REPL's `:vars` report it: 4 per f32 or i32
    /// element and 1 per bool, 8 per number, the UTF-8 length of a string, summed through
    /// lists and records; a handle's own `byteCount` (a compressed matrix's storage); nil
    /// for functions, ranges and handles without a size.
    public var byteCount: Int? {
        switch self {
        case .nilValue: return 0
        case .number, .duration: return 8
        case .bool: return 1
        case .string(let s): return s.utf8.count
        case .tensor(let t): return t.count * (t.dtype == .bool ? 1 : 4)
        case .list(let items): return items.reduce(0) { $0 + ($1.byteCount ?? 0) }
        case .record(let r): return r.fields.values.reduce(0) { $0 + ($1.byteCount ?? 0) }
        case .handle(let h): return h.byteCount
        case .function, .range: return nil
        }
    }
}

/// A byte count for people: `512 B`, `1.5 KiB`, `3.2 MiB`, `1.1 GiB`.
public func formatByteCount(_ bytes: Int) -> String {
    let units = ["KiB", "MiB", "GiB", "TiB"]
    guard bytes >= 1024 else { return "\(bytes) B" }
    var value = Double(bytes) / 1024
    var unit = 0
    while value >= 1024 && unit < units.count - 1 {
        value /= 1024
        unit += 1
    }
    return fixedDecimal(value, decimals: 1) + " " + units[unit]
}
