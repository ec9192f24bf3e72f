import Foundation
import PrunebookBuiltins
import PrunebookLanguage

/// Tab completion for the REPL, from the registry and the session's context. What is
/// completed depends on where the cursor is:
///
/// - after a leading `:`: meta command names (`:sa` → `:save`); after `:load ` or `:save `,
///   file paths; after `:time `, code as below.
/// - inside an open string literal: file paths relative to the base directory, folders
///   with a trailing `/`.
/// - after `name.` where `name` holds a record (or a handle with fields): its fields.
/// - a name: builtins, stdlib and user globals, keywords; and, at the start of an argument
///   inside an open call to a known function `f(`, its parameters as `name: ` (those not
///   already given by name).
///
/// Positions are counted in characters. Candidates are the full replacement of the text
/// from `start` to the cursor, sorted and without duplicates.
struct Completer {
    /// The session's context: globals, and the base directory for paths.
    let context: RunContext

    /// The completions of the word ending at `cursor` in `line`.
    func completions(line: String, cursor: Int) -> (start: Int, candidates: [String]) {
        let characters = Array(line)
        let prefix = Array(characters[..<min(max(cursor, 0), characters.count)])
        let leading = prefix.firstIndex { !$0.isWhitespace } ?? prefix.count
        let result: (start: Int, candidates: [String])
        if leading < prefix.count && prefix[leading] == ":" {
            result = metaCompletions(prefix, from: leading)
        } else if leading < prefix.count && prefix[leading] == "?" {
            let start = identifierStart(prefix, before: prefix.count)
            let word = String(prefix[start...])
            result = (start, start == leading + 1 ? nameCandidates(word) : [])
        } else {
            result = codeCompletions(Array(prefix[leading...]), offset: leading)
        }
        return (result.start, Array(Set(result.candidates)).sorted())
    }

    /// Completions after a leading `:` at `colon`.
    private func metaCompletions(_ prefix: [Character], from colon: Int) -> (start: Int, candidates: [String]) {
        guard let space = prefix[colon...].firstIndex(where: \.isWhitespace) else {
            let word = String(prefix[colon...])
            return (colon, MetaCommand.names.filter { $0.hasPrefix(word) })
        }
        let command = String(prefix[(colon + 1)..<space])
        let argumentStart = prefix[space...].firstIndex { !$0.isWhitespace } ?? prefix.count
        switch command {
        case "load", "save":
            return (argumentStart, pathCandidates(String(prefix[argumentStart...])))
        case "time":
            return codeCompletions(Array(prefix[argumentStart...]), offset: argumentStart)
        default:
            return (prefix.count, [])
        }
    }

    /// Completions at the end of the code `code`, which starts at character `offset`.
    private func codeCompletions(_ code: [Character], offset: Int) -> (start: Int, candidates: [String]) {
        let scan = CodeScan(code)
        if scan.inComment { return (offset + code.count, []) }
        if let stringStart = scan.openStringStart {
            return (offset + stringStart, pathCandidates(String(code[stringStart...])))
        }
        let start = identifierStart(code, before: code.count)
        let word = String(code[start...])
        if let first = word.first, first.isNumber { return (offset + start, []) }
        if start > 0 && code[start - 1] == "." {
            return (offset + start, fieldCandidates(code, dot: start - 1, word: word))
        }
        var candidates = nameCandidates(word)
        if let call = scan.innermostOpenParen, isArgumentStart(code, before: start, in: scan) {
            // At the start of an argument a parameter name matching a typed prefix wins
            // (`mask_topk(w, ke` completes to `keep: ` at once); type more to reach others.
            let parameters = parameterCandidates(code, openParen: call, wordStart: start, word: word)
            candidates = word.isEmpty || parameters.isEmpty ? candidates + parameters : parameters
        }
        return (offset + start, candidates)
    }

    /// Builtins, globals and keywords starting with `word` (names starting with `_` only
    /// when `word` does).
    private func nameCandidates(_ word: String) -> [String] {
        let names = Registry.builtins.map(\.name) + context.globalNames + Keyword.allCases.map(\.rawValue)
        return names.filter { $0.hasPrefix(word) && (!$0.hasPrefix("_") || word.hasPrefix("_")) }
    }

    /// Fields of the simple variable before the `.` at `dot`, starting with `word`.
    private func fieldCandidates(_ code: [Character], dot: Int, word: String) -> [String] {
        let baseStart = identifierStart(code, before: dot)
        guard baseStart < dot, !code[baseStart].isNumber, baseStart == 0 || code[baseStart - 1] != "." else { return [] }
        let fields: [String]
        switch context.global(String(code[baseStart..<dot])) {
        case .record(let record)?: fields = record.fields.keys.filter(isIdentifier)
        case .handle(let handle)?: fields = handle.fieldNames
        default: return []
        }
        return fields.filter { $0.hasPrefix(word) }
    }

    /// `name: ` for each parameter of the function called at `openParen` that starts with
    /// `word` and is not already given by name in the call.
    private func parameterCandidates(_ code: [Character], openParen: Int, wordStart: Int, word: String) -> [String] {
        var nameEnd = openParen
        while nameEnd > 0 && code[nameEnd - 1] == " " { nameEnd -= 1 }
        let nameStart = identifierStart(code, before: nameEnd)
        guard nameStart < nameEnd, !code[nameStart].isNumber else { return [] }
        let name = String(code[nameStart..<nameEnd])
        let parameters: [String]
        if case .function(let function)? = context.global(name) {
            if case .builtin(let builtin) = function.kind {
                parameters = builtin.parameters.filter { !$0.variadic }.map(\.name)
            } else {
                parameters = function.parameterNames
            }
        } else if let builtin = Registry.builtin(named: name) {
            parameters = builtin.parameters.filter { !$0.variadic }.map(\.name)
        } else {
            return []
        }
        let given = CodeScan.namedArguments(Array(code[(openParen + 1)..<wordStart]))
        return parameters.filter { $0.hasPrefix(word) && !given.contains($0) }.map { "\($0): " }
    }

    /// True when the word at `start` begins an argument of the innermost open `(`: the
    /// nearest non-blank character before it is that `(` or a `,`.
    private func isArgumentStart(_ code: [Character], before start: Int, in scan: CodeScan) -> Bool {
        var i = start - 1
        while i >= 0 && code[i].isWhitespace { i -= 1 }
        guard i >= 0, let paren = scan.innermostOpenParen else { return false }
        return i == paren || code[i] == ","
    }

    /// Paths starting with `partial` (relative to the base directory unless absolute):
    /// the entries of its folder part, folders with a trailing `/`, hidden entries only
    /// when the name part starts with `.`.
    private func pathCandidates(_ partial: String) -> [String] {
        let folderPart = partial.lastIndex(of: "/").map { String(partial[...$0]) } ?? ""
        let namePart = String(partial.dropFirst(folderPart.count))
        let folder = folderPart.isEmpty ? context.baseDirectory : context.resolvePath(folderPart)
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        return entries.filter { $0.hasPrefix(namePart) && (!$0.hasPrefix(".") || namePart.hasPrefix(".")) }.map { entry in
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: folder.appendingPathComponent(entry).path, isDirectory: &isDirectory)
            return folderPart + entry + (exists && isDirectory.boolValue ? "/" : "")
        }
    }

    /// The start of the run of identifier characters ending before `end`.
    private func identifierStart(_ text: [Character], before end: Int) -> Int {
        var start = end
        while start > 0 && isIdentifierCharacter(text[start - 1]) { start -= 1 }
        return start
    }
}

/// True for `[A-Za-z0-9_]`.
func isIdentifierCharacter(_ c: Character) -> Bool {
    c == "_" || (c.isASCII && (c.isLetter || c.isNumber))
}

/// True for a valid identifier: `[A-Za-z_][A-Za-z0-9_]*`.
func isIdentifier(_ name: String) -> Bool {
    guard let first = name.first, !first.isNumber else { return false }
    return name.allSatisfy(isIdentifierCharacter)
}
