import Foundation
import TensorModule

/// Formats a number as the language displays it: integral values below 2⁵³ without a
/// decimal point, everything else in shortest round-trip form (`0.1`, `1e-07`).
public func formatNumber(_ n: Double) -> String {
    if n == n.rounded(), abs(n) < 9_007_199_254_740_992 {
        if n == 0 { return "0" }
        return String(Int64(n))
    }
    return n.description
}

/// Formats a duration for display: `~1.23 ms`, marked with `~` so replay ignores it.
public func formatDuration(_ seconds: Double) -> String {
    let magnitude = abs(seconds)
    let (value, unit): (Double, String)
    switch magnitude {
    case 1...: (value, unit) = (seconds, "s")
    case 1e-3...: (value, unit) = (seconds * 1e3, "ms")
    case 1e-6...: (value, unit) = (seconds * 1e6, "µs")
    default: (value, unit) = (seconds * 1e9, "ns")
    }
    return "~\(significant(value, digits: 3)) \(unit)"
}

/// `value` with about `digits` significant digits, fixed notation.
func significant(_ value: Double, digits: Int) -> String {
    let magnitude = abs(value)
    let decimals = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2
    return fixedDecimal(value, decimals: max(0, min(decimals, digits)))
}

/// `value` rounded to `decimals` places, as C's `printf("%.*f")` and Python's `f"{x:.nf}"`
/// do it: from the exact binary value, ties to even (so 2.675 → "2.67"). No locale is
/// involved, so the text is identical on every machine.
public func fixedDecimal(_ value: Double, decimals: Int) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value < 0 ? "-inf" : "inf" }
    return String(format: "%.\(max(0, min(decimals, 40)))f", value)
}

extension Value {
    /// The text shown when the value is displayed (strings quoted).
    public var displayText: String {
        switch self {
        case .nilValue: return "nil"
        case .number(let n): return formatNumber(n)
        case .bool(let b): return b ? "true" : "false"
        case .string(let s): return quotedLiteral(s)
        case .tensor(let t): return formatTensor(t)
        case .list(let items): return "[" + items.map(\.displayText).joined(separator: ", ") + "]"
        case .record(let r):
            let fields = r.fields.map { key, value in "\(recordKey(key)): \(value.displayText)" }
            return "{" + fields.joined(separator: ", ") + "}"
        case .function(let f):
            if case .builtin = f.kind { return "<builtin \(f.name)>" }
            return "<fn \(f.signature)>"
        case .range(let r):
            return "range(\(formatNumber(r.start)), \(formatNumber(r.stop)), \(formatNumber(r.step)))"
        case .duration(let d): return formatDuration(d)
        case .handle(let h): return h.display()
        }
    }

    /// The text `print` writes: strings without quotes, everything else as displayed.
    public var printText: String {
        if case .string(let s) = self { return s }
        return displayText
    }
}

func recordKey(_ key: String) -> String {
    let bytes = Array(key.utf8)
    if let first = bytes.first, isIdentifierStart(first), bytes.allSatisfy(isIdentifierPart), Keyword(rawValue: key) == nil {
        return key
    }
    return quotedLiteral(key)
}

/// `s` as a double-quoted string literal, escaped so the language's lexer (and Swift's,
/// whose escapes are the same) reads it back unchanged.
public func quotedLiteral(_ s: String) -> String {
    var out = "\""
    for ch in s.unicodeScalars {
        switch ch {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        default:
            if ch.value < 0x20 || ch.value == 0x7F {
                out += "\\u{\(String(ch.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(ch)
            }
        }
    }
    return out + "\""
}
