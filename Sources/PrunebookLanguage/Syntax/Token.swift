/// The kinds of token the lexer produces.
public enum TokenKind: Equatable, Sendable {
    case number(Double)
    case string(String)
    case formatString([FormatStringPart])
    case identifier(String)
    case keyword(Keyword)
    case symbol(Symbol)
    case newline
    case end
}

/// One piece of an f-string: literal text, or an embedded expression with its format spec.
public enum FormatStringPart: Equatable, Sendable {
    case text(String)
    /// The expression's source, the byte offset where it starts, and the spec after `:`.
    case expression(source: String, offset: Int, spec: String?)
}

/// The reserved words of the language.
public enum Keyword: String, CaseIterable, Sendable {
    case fn, `return`, `if`, `else`, `for`, `in`, `while`, `break`, `continue`
    case and, or, not, `true`, `false`, `nil`, `import`, `try`, `catch`
}

/// Punctuation and operators.
public enum Symbol: String, CaseIterable, Sendable {
    case leftParen = "(", rightParen = ")", leftBracket = "[", rightBracket = "]"
    case leftBrace = "{", rightBrace = "}", comma = ",", colon = ":", semicolon = ";", dot = "."
    case plus = "+", minus = "-", star = "*", slash = "/", percent = "%", at = "@", power = "**"
    case assign = "=", plusAssign = "+=", minusAssign = "-=", starAssign = "*=", slashAssign = "/="
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case arrow = "=>"
}

/// A token with its position and, for `##` doc comments directly above, their text.
public struct Token: Sendable {
    /// What the token is.
    public let kind: TokenKind
    /// Byte offset of its first character.
    public let offset: Int
    /// Byte offset just past its last character.
    public let end: Int
    /// Lines of `##` comments immediately above this token (only set on line starts).
    public var doc: String?
}

extension TokenKind {
    /// True for a token after which a newline does not end a statement (binary operators,
    /// commas, opening brackets).
    var continuesLine: Bool {
        switch self {
        case .symbol(let s):
            switch s {
            case .plus, .minus, .star, .slash, .percent, .at, .power, .assign, .plusAssign,
                 .minusAssign, .starAssign, .slashAssign, .equal, .notEqual, .less, .lessEqual,
                 .greater, .greaterEqual, .comma, .arrow, .leftParen, .leftBracket, .dot:
                return true
            default:
                return false
            }
        case .keyword(let k):
            return k == .and || k == .or || k == .not
        default:
            return false
        }
    }

    /// A short description for "expected …, got …" messages.
    var display: String {
        switch self {
        case .number(let n): return "number `\(formatNumber(n))`"
        case .string: return "a string"
        case .formatString: return "an f-string"
        case .identifier(let s): return "`\(s)`"
        case .keyword(let k): return "`\(k.rawValue)`"
        case .symbol(let s): return "`\(s.rawValue)`"
        case .newline: return "end of line"
        case .end: return "end of input"
        }
    }
}
