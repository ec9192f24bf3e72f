import Foundation

/// Turns source bytes into tokens. Newlines become `.newline` tokens (runs collapsed); the
/// parser decides where they end statements. `##` comment lines are attached as `doc` to
/// the first token of the next line.
public struct Lexer {
    let source: SourceFile
    let bytes: [UInt8]
    var position: Int
    let end: Int

    /// A lexer over the whole of `source`.
    public init(source: SourceFile) {
        self.init(source: source, range: 0..<source.bytes.count)
    }

    /// A lexer over a byte range of `source` (used for expressions inside f-strings).
    init(source: SourceFile, range: Range<Int>) {
        self.source = source
        self.bytes = source.bytes
        self.position = range.lowerBound
        self.end = range.upperBound
    }

    /// All tokens up to and including `.end`.
    public mutating func tokenize() throws(PrunebookError) -> [Token] {
        var tokens: [Token] = []
        var pendingDoc: [String] = []
        var atLineStart = true
        while true {
            skipSpaces()
            guard position < end else { break }
            let byte = bytes[position]
            if byte == UInt8(ascii: "#") {
                let start = position
                while position < end, bytes[position] != UInt8(ascii: "\n") { position += 1 }
                if atLineStart, position - start >= 2, bytes[start + 1] == UInt8(ascii: "#") {
                    var text = String(decoding: bytes[(start + 2)..<position], as: UTF8.self)
                    if text.hasPrefix(" ") { text.removeFirst() }
                    if text.hasSuffix("\r") { text.removeLast() }
                    pendingDoc.append(text)
                } else {
                    pendingDoc = []
                }
                continue
            }
            if byte == UInt8(ascii: "\n") {
                if atLineStart && lineIsBlank(before: position) { pendingDoc = [] }
                if case .newline? = tokens.last?.kind {} else if !tokens.isEmpty {
                    tokens.append(Token(kind: .newline, offset: position, end: position + 1))
                }
                position += 1
                atLineStart = true
                continue
            }
            if byte == UInt8(ascii: "\\"), position + 1 < end, bytes[position + 1] == UInt8(ascii: "\n") {
                position += 2
                continue
            }
            var token = try lexToken()
            if atLineStart {
                if !pendingDoc.isEmpty { token.doc = pendingDoc.joined(separator: "\n") }
                pendingDoc = []
            }
            atLineStart = false
            tokens.append(token)
        }
        var endOffset = end
        while endOffset > 0, endOffset - 1 < bytes.count,
              [UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: " "), UInt8(ascii: "\t")].contains(bytes[endOffset - 1]) {
            endOffset -= 1
        }
        let lastContent = tokens.last { if case .newline = $0.kind { return false } else { return true } }
        tokens.append(Token(kind: .end, offset: max(endOffset, lastContent.map { min($0.end, end) } ?? 0), end: end))
        return tokens
    }

    /// True when the line holding `offset` has nothing but spaces before it.
    func lineIsBlank(before offset: Int) -> Bool {
        var i = offset - 1
        while i >= 0, bytes[i] != UInt8(ascii: "\n") {
            if bytes[i] != UInt8(ascii: " ") && bytes[i] != UInt8(ascii: "\t") && bytes[i] != UInt8(ascii: "\r") { return false }
            i -= 1
        }
        return true
    }

    mutating func skipSpaces() {
        while position < end {
            let b = bytes[position]
            if b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\r") {
                position += 1
            } else {
                break
            }
        }
    }

    func location(_ offset: Int) -> SourceLocation { SourceLocation(source: source, offset: offset) }

    mutating func lexToken() throws(PrunebookError) -> Token {
        let start = position
        let byte = bytes[position]
        if isDigit(byte) || (byte == UInt8(ascii: ".") && position + 1 < end && isDigit(bytes[position + 1])) {
            return try lexNumber()
        }
        if byte == UInt8(ascii: "f"), position + 1 < end, bytes[position + 1] == UInt8(ascii: "\"") {
            position += 1
            return try lexFormatString(start: start)
        }
        if isIdentifierStart(byte) {
            while position < end, isIdentifierPart(bytes[position]) { position += 1 }
            let text = String(decoding: bytes[start..<position], as: UTF8.self)
            if let keyword = Keyword(rawValue: text) {
                return Token(kind: .keyword(keyword), offset: start, end: position)
            }
            return Token(kind: .identifier(text), offset: start, end: position)
        }
        if byte == UInt8(ascii: "\"") {
            let text = try lexStringBody()
            return Token(kind: .string(text), offset: start, end: position)
        }
        return try lexSymbol()
    }

    mutating func lexSymbol() throws(PrunebookError) -> Token {
        let start = position
        let two: [String: Symbol] = ["**": .power, "+=": .plusAssign, "-=": .minusAssign,
                                     "*=": .starAssign, "/=": .slashAssign, "==": .equal,
                                     "!=": .notEqual, "<=": .lessEqual, ">=": .greaterEqual,
                                     "=>": .arrow]
        if position + 1 < end {
            let pair = String(decoding: bytes[position..<(position + 2)], as: UTF8.self)
            if let symbol = two[pair] {
                position += 2
                return Token(kind: .symbol(symbol), offset: start, end: position)
            }
        }
        let single = String(UnicodeScalar(bytes[position]))
        if let symbol = Symbol(rawValue: single) {
            position += 1
            return Token(kind: .symbol(symbol), offset: start, end: position)
        }
        let character = String(decoding: bytes[position..<min(end, position + 4)], as: UTF8.self).first.map(String.init) ?? "?"
        let hint = character == "!" ? " (use `not` for negation)" : character == "'" ? " (strings use double quotes)" : ""
        // Control and other invisible characters (a NUL byte, a BOM) are named by code point.
        let scalar = character.unicodeScalars.first
        let visible = scalar.map { !$0.properties.isWhitespace && $0.properties.generalCategory != .control
                                   && $0.properties.generalCategory != .format } ?? true
        let shown = visible ? "`\(character)`" : String(format: "U+%04X", scalar?.value ?? 0)
        throw .syntax("unexpected character \(shown)\(hint)", location(start))
    }

    mutating func lexNumber() throws(PrunebookError) -> Token {
        let start = position
        if bytes[position] == UInt8(ascii: "0"), position + 1 < end,
           bytes[position + 1] == UInt8(ascii: "x") || bytes[position + 1] == UInt8(ascii: "X") {
            position += 2
            var value: Double = 0
            var digits = 0
            while position < end {
                let b = bytes[position]
                if b == UInt8(ascii: "_") { position += 1; continue }
                guard let d = hexValue(b) else { break }
                value = value * 16 + Double(d)
                digits += 1
                position += 1
            }
            if digits == 0 { throw .syntax("expected hexadecimal digits after `0x`", location(start)) }
            return Token(kind: .number(value), offset: start, end: position)
        }
        var text = ""
        func takeDigits(_ lexer: inout Lexer) {
            while lexer.position < lexer.end {
                let b = lexer.bytes[lexer.position]
                if isDigit(b) { text.append(Character(UnicodeScalar(b))) } else if b != UInt8(ascii: "_") { break }
                lexer.position += 1
            }
        }
        takeDigits(&self)
        if position + 1 < end, bytes[position] == UInt8(ascii: "."), isDigit(bytes[position + 1]) {
            text.append(".")
            position += 1
            takeDigits(&self)
        } else if position < end, bytes[position] == UInt8(ascii: "."), text.isEmpty {
            text.append("0.")
            position += 1
            takeDigits(&self)
        }
        if position < end, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            var look = position + 1
            if look < end, bytes[look] == UInt8(ascii: "+") || bytes[look] == UInt8(ascii: "-") { look += 1 }
            if look < end, isDigit(bytes[look]) {
                text.append("e")
                if bytes[position + 1] == UInt8(ascii: "-") { text.append("-") }
                position = look
                takeDigits(&self)
            }
        }
        if position < end, isIdentifierStart(bytes[position]) {
            throw .syntax("invalid number literal", location(start))
        }
        guard let value = Double(text) else { throw .syntax("invalid number literal", location(start)) }
        return Token(kind: .number(value), offset: start, end: position)
    }

    /// Reads `"…"` starting at the opening quote; returns the unescaped text.
    mutating func lexStringBody() throws(PrunebookError) -> String {
        let start = position
        position += 1
        var out: [UInt8] = []
        while true {
            guard position < end, bytes[position] != UInt8(ascii: "\n") else {
                throw .syntax("unterminated string", location(start))
            }
            let b = bytes[position]
            if b == UInt8(ascii: "\"") { position += 1; break }
            if b == UInt8(ascii: "\\") {
                try appendEscape(into: &out)
                continue
            }
            out.append(b)
            position += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    mutating func appendEscape(into out: inout [UInt8]) throws(PrunebookError) {
        let escapeStart = position
        position += 1
        guard position < end else { throw .syntax("unterminated string", location(escapeStart)) }
        let c = bytes[position]
        position += 1
        switch c {
        case UInt8(ascii: "n"): out.append(10)
        case UInt8(ascii: "t"): out.append(9)
        case UInt8(ascii: "r"): out.append(13)
        case UInt8(ascii: "0"): out.append(0)
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "{"), UInt8(ascii: "}"): out.append(c)
        case UInt8(ascii: "u"):
            guard position < end, bytes[position] == UInt8(ascii: "{") else {
                throw .syntax("expected `{` after `\\u`", location(escapeStart))
            }
            position += 1
            var scalarValue: UInt32 = 0
            var digits = 0
            while position < end, let d = hexValue(bytes[position]) {
                // Past 8 digits the escape is invalid anyway; stop before UInt32 overflows.
                if digits < 8 { scalarValue = scalarValue * 16 + UInt32(d) }
                digits += 1
                position += 1
            }
            guard digits > 0, digits <= 8, position < end, bytes[position] == UInt8(ascii: "}"),
                  let scalar = UnicodeScalar(scalarValue) else {
                throw .syntax("invalid unicode escape", location(escapeStart))
            }
            position += 1
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        default:
            throw .syntax("unknown escape `\\\(Character(UnicodeScalar(c)))`", location(escapeStart))
        }
    }

    /// Reads an f-string body; `position` is at the opening quote, `start` at the `f`.
    mutating func lexFormatString(start: Int) throws(PrunebookError) -> Token {
        position += 1
        var parts: [FormatStringPart] = []
        var text: [UInt8] = []
        func flush() {
            if !text.isEmpty { parts.append(.text(String(decoding: text, as: UTF8.self))) }
            text = []
        }
        while true {
            guard position < end, bytes[position] != UInt8(ascii: "\n") else {
                throw .syntax("unterminated string", location(start))
            }
            let b = bytes[position]
            if b == UInt8(ascii: "\"") { position += 1; break }
            if b == UInt8(ascii: "\\") { try appendEscape(into: &text); continue }
            if b == UInt8(ascii: "{"), position + 1 < end, bytes[position + 1] == UInt8(ascii: "{") {
                text.append(b); position += 2; continue
            }
            if b == UInt8(ascii: "}"), position + 1 < end, bytes[position + 1] == UInt8(ascii: "}") {
                text.append(b); position += 2; continue
            }
            if b == UInt8(ascii: "}") { throw .syntax("single `}` in f-string (write `}}`)", location(position)) }
            if b == UInt8(ascii: "{") {
                flush()
                parts.append(try lexInterpolation())
                continue
            }
            text.append(b)
            position += 1
        }
        flush()
        return Token(kind: .formatString(parts), offset: start, end: position)
    }

    /// Reads `{expr:spec}` at `position` (the `{`); the spec starts at the first `:` outside
    /// brackets, parentheses and strings.
    mutating func lexInterpolation() throws(PrunebookError) -> FormatStringPart {
        let open = position
        position += 1
        let exprStart = position
        var depth = 0
        var colon: Int?
        while true {
            guard position < end, bytes[position] != UInt8(ascii: "\n") else {
                throw .syntax("unterminated `{` in f-string", location(open))
            }
            let b = bytes[position]
            if b == UInt8(ascii: "\"") {
                position += 1
                while position < end, bytes[position] != UInt8(ascii: "\""), bytes[position] != UInt8(ascii: "\n") {
                    if bytes[position] == UInt8(ascii: "\\") { position += 1 }
                    position += 1
                }
                position += 1
                continue
            }
            if b == UInt8(ascii: "(") || b == UInt8(ascii: "[") || b == UInt8(ascii: "{") { depth += 1 }
            if b == UInt8(ascii: ")") || b == UInt8(ascii: "]") { depth -= 1 }
            if b == UInt8(ascii: "}") {
                if depth == 0 { break }
                depth -= 1
            }
            if b == UInt8(ascii: ":"), depth == 0, colon == nil { colon = position }
            position += 1
        }
        let exprEnd = colon ?? position
        let expression = String(decoding: bytes[exprStart..<exprEnd], as: UTF8.self)
        let spec = colon.map { String(decoding: bytes[($0 + 1)..<position], as: UTF8.self) }
        position += 1
        if expression.allSatisfy({ $0 == " " }) {
            throw .syntax("empty expression in f-string", location(open))
        }
        return .expression(source: expression, offset: exprStart, spec: spec)
    }
}

@inline(__always) func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
@inline(__always) func isIdentifierStart(_ b: UInt8) -> Bool {
    (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 95
}
@inline(__always) func isIdentifierPart(_ b: UInt8) -> Bool { isIdentifierStart(b) || isDigit(b) }
func hexValue(_ b: UInt8) -> Int? {
    switch b {
    case 48...57: return Int(b - 48)
    case 65...70: return Int(b - 55)
    case 97...102: return Int(b - 87)
    default: return nil
    }
}
