import PrunebookLanguage

/// The options of a code cell, read from the words after `prb` in its fence's info string.
public struct CellOptions: Sendable, Equatable {
    /// `nocheck`: the output is stored but not compared on replay (timings, entropy).
    public var nocheck = false
    /// `skip`: the cell is not run.
    public var skip = false
    /// `error`: the cell is expected to fail; replay checks the stored message.
    public var expectsError = false
    /// `parameters`: the cell holds default assignments that `-p name=value` replaces.
    public var isParameters = false
    /// `requires=data`: the notebook needs the `PRUNEBOOK_DATA` folder.
    public var requiresData = false
    /// `id=NAME`: a stable name for messages and `--only`.
    public var id: String?

    /// No options: a plain `prb` cell.
    public init() {}

    /// The option words a cell accepts, for messages and suggestions.
    static let catalogue = ["error", "id=NAME", "nocheck", "parameters", "requires=data", "skip"]

    /// The options in `words` (the info string's words after `prb`). Grammar:
    ///
    ///     option := "nocheck" | "skip" | "error" | "parameters" | "requires=data" | "id=" NAME
    ///     NAME   := [A-Za-z0-9_.-]+
    ///
    /// An unknown word is an error at `line`, the opening fence's line.
    static func parse(_ words: [String], line: Int) throws(NotebookError) -> CellOptions {
        var options = CellOptions()
        for word in words {
            switch word {
            case "nocheck": options.nocheck = true
            case "skip": options.skip = true
            case "error": options.expectsError = true
            case "parameters": options.isParameters = true
            case "requires=data": options.requiresData = true
            default:
                if word.hasPrefix("id=") {
                    options.id = try parseID(String(word.dropFirst(3)), line: line)
                } else if word.hasPrefix("requires=") {
                    throw NotebookError("unknown requirement `\(word)`: expected `requires=data`", line: line)
                } else {
                    let guess = closestName(to: word, among: catalogue).map { " (did you mean `\($0)`?)" } ?? ""
                    let expected = catalogue.map { "`\($0)`" }.joined(separator: ", ")
                    throw NotebookError("unknown cell option `\(word)`\(guess): expected one of \(expected)", line: line)
                }
            }
        }
        return options
    }

    /// A cell id: one or more ASCII letters, digits, `_`, `.` or `-`.
    private static func parseID(_ name: String, line: Int) throws(NotebookError) -> String {
        guard !name.isEmpty else { throw NotebookError("empty cell id: expected `id=NAME`", line: line) }
        let allowed = name.unicodeScalars.allSatisfy { s in
            s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "_" || s == "." || s == "-")
        }
        guard allowed else {
            throw NotebookError("invalid cell id `\(name)`: expected letters, digits, `_`, `.` or `-`", line: line)
        }
        return name
    }
}
