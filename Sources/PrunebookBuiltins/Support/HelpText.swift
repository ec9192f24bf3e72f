import PrunebookLanguage

/// Renders help for builtins and documented user functions, for `help(x)`, `?name` and
/// `prunebook help NAME`.
public enum HelpText {
    /// The full help of a builtin: signature, summary, doc, example and its output.
    public static func render(_ builtin: Builtin) -> String {
        var out = "\(builtin.signature)\n  \(builtin.summary)\n"
        if !builtin.doc.isEmpty {
            out += "\n" + builtin.doc.split(separator: "\n", omittingEmptySubsequences: false).map { "  \($0)" }.joined(separator: "\n") + "\n"
        }
        out += "\nExample:\n" + indent(builtin.example, "  prb> ", continuation: "  ...> ")
        if !builtin.exampleOutput.isEmpty { out += indent(builtin.exampleOutput, "  ") }
        return out
    }

    /// Help for a function value: builtins as above, user functions by signature and doc.
    public static func render(_ function: Callable) -> String {
        if case .builtin(let builtin) = function.kind { return render(builtin) }
        var out = "\(function.signature)\n"
        if let doc = function.doc {
            out += doc.split(separator: "\n", omittingEmptySubsequences: false).map { "  \($0)" }.joined(separator: "\n") + "\n"
        } else {
            out += "  (no documentation: add `##` comment lines above the `fn`)\n"
        }
        return out
    }

    /// The help for `name` as seen from `context`: a builtin, else a function the session
    /// defines (the stdlib's or the user's); nil when there is neither.
    public static func render(named name: String, in context: RunContext) -> String? {
        if let builtin = Registry.builtin(named: name) { return render(builtin) }
        if case .function(let f)? = context.global(name) { return render(f) }
        return nil
    }

    /// The overview of `help()` in `context`: every builtin, then the documented stdlib
    /// functions loaded in it.
    public static func overview(in context: RunContext) -> String {
        let stdlib = context.globalNames.compactMap { name -> (name: String, summary: String)? in
            guard case .function(let f)? = context.global(name), f.sourceName?.hasPrefix("stdlib/") == true,
                  let doc = f.doc else { return nil }
            return (name, String(doc.split(separator: "\n").first ?? ""))
        }
        return overview(stdlib: stdlib)
    }

    /// The list of builtins by category, with summaries, then the documented stdlib
    /// functions (`stdlib`: name and the first line of its doc).
    public static func overview(stdlib: [(name: String, summary: String)] = []) -> String {
        var out = "Builtins by category (help(name) or `prunebook help NAME` for details):\n"
        for category in Registry.categories {
            out += "\n\(category)\n"
            let members = Registry.builtins.filter { $0.category == category }
            let width = members.map(\.name.count).max() ?? 0
            for builtin in members {
                out += "  \(builtin.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(builtin.summary)\n"
            }
        }
        if !stdlib.isEmpty {
            out += "\nStdlib (written in Prunebook, see stdlib/)\n"
            let width = stdlib.map(\.name.count).max() ?? 0
            for entry in stdlib {
                out += "  \(entry.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(entry.summary)\n"
            }
        }
        return out
    }

    static func indent(_ text: String, _ prefix: String, continuation: String? = nil) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var out = ""
        for (i, line) in lines.enumerated() {
            if i == lines.count - 1 && line.isEmpty { break }
            out += (i == 0 || continuation == nil ? prefix : (line.hasPrefix(" ") || line.hasPrefix("}") ? continuation ?? prefix : prefix)) + line + "\n"
        }
        return out
    }
}
