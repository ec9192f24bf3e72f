import PrunebookLanguage

/// `help`: documentation from the registry.
enum HelpBuiltins {
    static let all: [Builtin] = [help]

    /// `help(x)`: the signature, summary, doc and example of a builtin or documented function.
    static let help = Builtin(
        name: "help", category: "Help",
        parameters: [.optional("x", .optional(.either(.function, .string)), .nilValue)],
        returns: "nil",
        summary: "print the documentation of a builtin or function; `help()` lists all builtins",
        doc: "`help(f)` or `help(\"name\")` prints the signature, a one-line summary, the full description and an example. A user function shows its `##` doc comment.",
        example: "help(\"ndim\")",
        output: "ndim(t: tensor) -> number\n  the number of axes (0 for a number)\n\nExample:\n  prb> ndim([[1, 2], [3, 4]])\n  2\n"
    ) { args, context in
        switch args["x"] {
        case .nilValue:
            context.output(HelpText.overview(in: context))
        case .function(let f):
            context.output(HelpText.render(f))
        case .string(let name):
            guard let text = HelpText.render(named: name, in: context) else {
                let suggestion = closestName(to: name, among: Registry.builtins.map(\.name)).map { " (did you mean `\($0)`?)" } ?? ""
                throw args.error("x", "no builtin or function named `\(name)`\(suggestion)")
            }
            context.output(text)
        default:
            break
        }
        return .nilValue
    }
}
