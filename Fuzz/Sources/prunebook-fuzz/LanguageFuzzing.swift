import Foundation
import PrunebookBuiltins
import PrunebookLanguage

/// The language targets: the lexer and parser on any text, and the interpreter on any
/// program that parses, under a small time, depth and allocation budget. Both run on a
/// large stack as `prunebook` does (`runOnLargeStack`): sanitized frames are many times
/// bigger, and the main thread's 8 MB held only ~20 levels of nested parentheses.
enum LanguageFuzzing {
    /// Lexes and parses `bytes` as a script and renders any error (its location and source
    /// line); also asks the REPL's completeness check. Errors are fine, crashes are not.
    static func parse(_ bytes: [UInt8]) {
        runOnLargeStack(stackBytes: stackBytes) { parseOnThisStack(bytes) }
    }

    private static func parseOnThisStack(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let source = SourceFile(name: "fuzz.prb", text: text)
        _ = isIncompleteInput(text)
        var lexer = Lexer(source: source)
        do {
            _ = try lexer.tokenize()
            var parser = try Parser(source: source, maxDepth: budget.parserDepth)
            _ = try parser.parseProgram()
        } catch {
            _ = error.rendered()
        }
    }

    /// Runs `bytes` as a script in a fresh context holding the pure builtins, with a 30 ms
    /// deadline, and renders its displayed value or error. Running past `overrun` seconds
    /// is a violation: something does not check the deadline.
    static func interpret(_ bytes: [UInt8]) {
        runOnLargeStack(stackBytes: stackBytes) { interpretOnThisStack(bytes) }
    }

    private static func interpretOnThisStack(_ bytes: [UInt8]) {
        let source = SourceFile(name: "fuzz.prb", text: String(decoding: bytes, as: UTF8.self))
        let context = RunContext(output: { _ in }, baseDirectory: FileManager.default.temporaryDirectory, limits: budget)
        for builtin in pureBuiltins {
            context.setGlobal(builtin.name, .function(Callable(builtin: builtin)))
        }
        let started = Date()
        context.deadline = Date(timeIntervalSinceNow: budget.cellSeconds ?? 0)
        do {
            if let value = try context.run(source) { _ = value.displayText }
        } catch {
            _ = asPrunebookError(error).rendered()
        }
        let seconds = Date().timeIntervalSince(started)
        if seconds > overrun { violated("the input ran \(seconds) s on a \(budget.cellSeconds ?? 0) s budget") }
    }

    /// How long an input may run, deadline included, before it counts as a runaway: far
    /// above the budget, since sanitized builtins are slow and the machine is shared.
    static let overrun = 5.0

    /// The stack of one input's thread: room for `budget`'s depths in sanitized frames.
    static let stackBytes = 256 << 20

    /// The limits of one fuzz input: depths lower than the defaults (1,000 and 10,000, sized
    /// for unsanitized frames), 30 ms and 1 MB tensors.
    static let budget: Limits = {
        var limits = Limits()
        limits.parserDepth = 300
        limits.callDepth = 300
        limits.cellSeconds = 0.03
        limits.allocationBytes = 1 << 20
        return limits
    }()

    /// Builtin categories without side effects beyond the run: no files, models, timing,
    /// charts or help (which reads docs), so any input is safe to run.
    static let pureCategories: Set<String> = [
        "Core", "Strings", "Lists and records", "Tensors: creation", "Tensors: shape",
        "Tensors: elementwise", "Tensors: reductions", "Tensors: order", "Linear algebra",
        "Masks and sparsity",
    ]

    /// The builtins of `pureCategories`.
    static let pureBuiltins = Registry.builtins.filter { pureCategories.contains($0.category) }
}
