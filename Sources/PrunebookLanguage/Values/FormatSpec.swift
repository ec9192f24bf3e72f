import Foundation

/// An f-string format spec, Python's mini-language subset:
/// `[[fill]align][sign][,][width][.precision][type]` with align `<` `>` `^`, sign `+` `-`
/// or space, `,` thousands separators, and type `f` `e` `g` `%` `d` `s`.
struct FormatSpec: Sendable {
    var fill: Character = " "
    var align: Character?
    var sign: Character = "-"
    var grouping = false
    var width = 0
    var precision: Int?
    var type: Character?

    /// Parses `spec` (the text after `:`).
    init(parsing spec: String) throws {
        var chars = Array(spec)
        var i = 0
        func isAlign(_ c: Character) -> Bool { c == "<" || c == ">" || c == "^" }
        if chars.count >= 2, isAlign(chars[1]) {
            fill = chars[0]; align = chars[1]; i = 2
        } else if let first = chars.first, isAlign(first) {
            align = first; i = 1
        }
        if i < chars.count, "+- ".contains(chars[i]) { sign = chars[i]; i += 1 }
        if i < chars.count, chars[i] == "0", align == nil { fill = "0"; align = "="; i += 1 }
        var widthText = ""
        while i < chars.count, chars[i].isASCII, chars[i].isNumber { widthText.append(chars[i]); i += 1 }
        width = Int(widthText) ?? 0
        if i < chars.count, chars[i] == "," { grouping = true; i += 1 }
        if i < chars.count, chars[i] == "." {
            i += 1
            var digits = ""
            while i < chars.count, chars[i].isASCII, chars[i].isNumber { digits.append(chars[i]); i += 1 }
            guard let p = Int(digits) else { throw PrunebookError(.value, "invalid format spec `\(spec)`: expected digits after `.`") }
            precision = p
        }
        if i < chars.count, "feg%ds".contains(chars[i]) { type = chars[i]; i += 1 }
        guard i == chars.count else {
            throw PrunebookError(.value, "invalid format spec `\(spec)` (examples: `.3f`, `.2e`, `>8`, `,`, `%`)")
        }
        chars = []
    }

    /// Formats `value` by this spec.
    func format(_ value: Value) throws -> String {
        switch value {
        case .number(let n): return pad(try formatNumberBody(n), numeric: true)
        case .duration(let d):
            return type == nil ? pad(formatDuration(d), numeric: false) : pad(try formatNumberBody(d), numeric: true)
        case .string(let s):
            if let type, type != "s" { throw PrunebookError(.type, "format type `\(type)` needs a number, got string") }
            return pad(s, numeric: false)
        case .bool:
            if type != nil { throw PrunebookError(.type, "format type `\(type.map(String.init) ?? "")` needs a number, got bool") }
            return pad(value.printText, numeric: false)
        default:
            if type != nil || precision != nil {
                throw PrunebookError(.type, "format spec with a type or precision needs a number, got \(value.typeName)")
            }
            return pad(value.printText, numeric: false)
        }
    }

    func formatNumberBody(_ n: Double) throws -> String {
        var body: String
        switch type {
        case "f": body = fixedDecimal(n, decimals: precision ?? 6)
        case "%": body = fixedDecimal(n * 100, decimals: precision ?? 6) + "%"
        case "e": body = scientific(n, decimals: precision ?? 6)
        case "d":
            guard n == n.rounded() else { throw PrunebookError(.value, "format type `d` needs an integer, got \(formatNumber(n))") }
            body = fixedDecimal(n, decimals: 0)
        case "g": body = general(n, precision: precision ?? 6)
        default:
            if let precision { body = general(n, precision: max(precision, 1)) } else { body = formatNumber(n) }
        }
        if grouping { body = group(body) }
        if sign == "+" && !body.hasPrefix("-") && !n.isNaN { body = "+" + body }
        if sign == " " && !body.hasPrefix("-") { body = " " + body }
        return body
    }

    func pad(_ text: String, numeric: Bool) -> String {
        guard text.count < width else { return text }
        let padding = width - text.count
        switch align ?? (numeric ? ">" : "<") {
        case "<": return text + String(repeating: fill, count: padding)
        case "^":
            let left = padding / 2
            return String(repeating: fill, count: left) + text + String(repeating: fill, count: padding - left)
        case "=":
            if text.hasPrefix("-") || text.hasPrefix("+") {
                return String(text.first ?? "-") + String(repeating: fill, count: padding) + text.dropFirst()
            }
            return String(repeating: fill, count: padding) + text
        default: return String(repeating: fill, count: padding) + text
        }
    }

    func group(_ body: String) -> String {
        var integer = body
        var rest = ""
        if let dot = body.firstIndex(where: { $0 == "." || $0 == "e" || $0 == "%" }) {
            integer = String(body[..<dot])
            rest = String(body[dot...])
        }
        let negative = integer.hasPrefix("-")
        if negative { integer.removeFirst() }
        guard integer.allSatisfy(\.isNumber) else { return body }
        var out = ""
        for (i, c) in integer.enumerated() {
            if i > 0 && (integer.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (negative ? "-" : "") + out + rest
    }
}

/// `d.ddde±XX` with `decimals` digits after the point (Python's `e` format, via printf).
func scientific(_ n: Double, decimals: Int) -> String {
    if n.isNaN { return "nan" }
    if n.isInfinite { return n < 0 ? "-inf" : "inf" }
    return String(format: "%.\(max(0, min(decimals, 40)))e", n)
}

/// Python's `g` format: `precision` significant digits, trailing zeros removed (C's `%g`).
func general(_ n: Double, precision: Int) -> String {
    if n.isNaN { return "nan" }
    if n.isInfinite { return n < 0 ? "-inf" : "inf" }
    return String(format: "%.\(max(1, min(precision, 40)))g", n)
}

/// Formats `value` by an f-string spec (`format(x, spec)` in the language).
public func formatValue(_ value: Value, spec: String) throws -> String {
    try FormatSpec(parsing: spec).format(value)
}
