/// A light scan of the code before the cursor, for completion: whether the cursor sits in
/// an open string literal or a comment, and the brackets still open. Strings are `"…"`
/// with backslash escapes (f-strings are treated as plain strings); `#` comments run to
/// the end of the line.
struct CodeScan {
    /// The position just after the opening quote of a string still open at the end.
    private(set) var openStringStart: Int?
    /// True when the end lies in a comment.
    private(set) var inComment = false
    /// The brackets still open at the end: the character and its position, outermost first.
    private(set) var openBrackets: [(character: Character, position: Int)] = []

    /// The position of the innermost open bracket when it is a `(`.
    var innermostOpenParen: Int? {
        guard let last = openBrackets.last, last.character == "(" else { return nil }
        return last.position
    }

    /// Scans `code` from its start to its end.
    init(_ code: [Character]) {
        var i = 0
        while i < code.count {
            let c = code[i]
            if openStringStart != nil {
                if c == "\\" {
                    i += 2
                    continue
                }
                if c == "\"" || c == "\n" { openStringStart = nil }
            } else if inComment {
                if c == "\n" { inComment = false }
            } else {
                switch c {
                case "\"": openStringStart = i + 1
                case "#": inComment = true
                case "(", "[", "{": openBrackets.append((c, i))
                case ")", "]", "}": if !openBrackets.isEmpty { openBrackets.removeLast() }
                default: break
                }
            }
            i += 1
        }
    }

    /// The names given as `name:` at the top level of `arguments` (the text of a call
    /// after its `(`), skipping nested brackets and strings.
    static func namedArguments(_ arguments: [Character]) -> Set<String> {
        var names: Set<String> = []
        var depth = 0
        var inString = false
        var i = 0
        while i < arguments.count {
            let c = arguments[i]
            if inString {
                if c == "\\" { i += 1 } else if c == "\"" { inString = false }
                i += 1
                continue
            }
            switch c {
            case "\"": inString = true
            case "(", "[", "{": depth += 1
            case ")", "]", "}": depth = max(0, depth - 1)
            default:
                if depth == 0 && isIdentifierCharacter(c) && (i == 0 || !isIdentifierCharacter(arguments[i - 1])) {
                    var end = i
                    while end < arguments.count && isIdentifierCharacter(arguments[end]) { end += 1 }
                    var colon = end
                    while colon < arguments.count && arguments[colon] == " " { colon += 1 }
                    if colon < arguments.count && arguments[colon] == ":" { names.insert(String(arguments[i..<end])) }
                    i = end
                    continue
                }
            }
            i += 1
        }
        return names
    }
}
