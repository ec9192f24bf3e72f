import PrunebookLanguage

/// What one REPL input asks for: a `:` command, `?name`, or code to run.
///
/// Grammar (after trimming surrounding whitespace):
///
///     input   := ":" WORD (SPACE argument)?   a meta command
///              | "?" NAME?                    help for NAME (`help()` without one)
///              | anything else                code
enum MetaCommand: Equatable {
    /// `:help`: the meta commands and how to get builtin help.
    case help
    /// `?name`: the same as `help("name")`; `?` alone is `help()`.
    case builtinHelp(String)
    /// `:time EXPR`: the median duration of repeated runs of `EXPR`.
    case time(String)
    /// `:vars`: the table of user variables.
    case vars
    /// `:reset`: a fresh context and an empty session record.
    case reset
    /// `:save FILE.md`: the session so far as a notebook.
    case save(String)
    /// `:note TEXT`: a prose paragraph in the saved session.
    case note(String)
    /// `:load FILE`: runs a `.prb` script or an `.md` notebook into the session.
    case load(String)
    /// `:quit`: ends the session.
    case quit
    /// Code to run as a cell.
    case code(String)

    /// The meta command names with their usage and a one-line description, in the order
    /// `:help` lists them.
    static let catalogue: [(name: String, usage: String, summary: String)] = [
        ("help", ":help", "this list"),
        ("time", ":time EXPR", "run EXPR repeatedly and print the median duration"),
        ("vars", ":vars", "list your variables: name, type, shape, size"),
        ("reset", ":reset", "forget every variable and start the session record afresh"),
        ("save", ":save FILE.md", "write the session so far as a notebook (`prunebook replay` checks it)"),
        ("note", ":note TEXT", "add a prose paragraph to the saved session"),
        ("load", ":load FILE", "run a .prb script or the code cells of an .md notebook into the session"),
        ("quit", ":quit", "leave the REPL (Ctrl-D on an empty line does the same)"),
    ]

    /// The command names with their colon (`:help`, `:time`, …), sorted.
    static var names: [String] { catalogue.map { ":" + $0.name }.sorted() }

    /// Parses one complete input. Throws a `user` error for an unknown command (with a
    /// suggestion), a missing argument, or an argument given to a command taking none.
    static func parse(_ input: String) throws(PrunebookError) -> MetaCommand {
        let trimmed = input.trimmingWhitespace()
        if trimmed.hasPrefix("?") {
            return .builtinHelp(String(trimmed.dropFirst()).trimmingWhitespace())
        }
        guard trimmed.hasPrefix(":") else { return .code(input) }
        let body = trimmed.dropFirst()
        let word = String(body.prefix { !$0.isWhitespace })
        let argument = String(body.dropFirst(word.count)).trimmingWhitespace()
        switch word {
        case "help": try noArgument(word, argument); return .help
        case "vars": try noArgument(word, argument); return .vars
        case "reset": try noArgument(word, argument); return .reset
        case "quit": try noArgument(word, argument); return .quit
        case "time": return .time(try required(word, argument, "an expression"))
        case "save": return .save(try required(word, argument, "a file name"))
        case "note": return .note(try required(word, argument, "some text"))
        case "load": return .load(try required(word, argument, "a file name"))
        default:
            let names = catalogue.map(\.name)
            let guess = closestName(to: word, among: names)
                ?? names.first { !word.isEmpty && $0.hasPrefix(word) }
            let suggestion = guess.map { " (did you mean `:\($0)`?)" } ?? ""
            throw PrunebookError(.user, "unknown command `:\(word)`\(suggestion); `:help` lists the commands")
        }
    }

    /// Throws unless `argument` is empty.
    private static func noArgument(_ word: String, _ argument: String) throws(PrunebookError) {
        guard argument.isEmpty else {
            throw PrunebookError(.user, "`:\(word)` takes no argument, got `\(argument)`")
        }
    }

    /// `argument`, or an error naming what `:word` needs.
    private static func required(_ word: String, _ argument: String, _ what: String) throws(PrunebookError) -> String {
        guard !argument.isEmpty else {
            let usage = catalogue.first { $0.name == word }?.usage ?? ":\(word)"
            throw PrunebookError(.user, "`:\(word)` needs \(what): `\(usage)`")
        }
        return argument
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines.
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars = scalars.dropFirst() }
        while let last = scalars.last, last.isWhitespace { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
