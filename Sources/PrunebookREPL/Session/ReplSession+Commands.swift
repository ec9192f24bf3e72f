import Foundation
import Models
import PrunebookBuiltins
import PrunebookLanguage
import PrunebookNotebook

/// The meta commands other than `:load`: `:help`, `?name`, `:time` and `:save`.
extension ReplSession {
    /// The text `:help` prints.
    static var helpText: String {
        let width = MetaCommand.catalogue.map(\.usage.count).max() ?? 0
        var out = "Commands:\n"
        for entry in MetaCommand.catalogue {
            out += "  \(entry.usage.padding(toLength: width, withPad: " ", startingAt: 0))  \(entry.summary)\n"
        }
        out += """

            Help on builtins and functions:
              ?name or help(name)   the signature, summary, description and an example
              help()                every builtin by category, then the stdlib

            Anything else is Prunebook code. Tab completes names, record fields after `.`,
            named arguments inside a call (`sparsity: `) and file paths inside strings.
            Ctrl-C interrupts a running statement; your variables are kept.

            """
        return out
    }

    /// `?name`: the same as `help("name")`, `help()` when `name` is empty. Not recorded.
    func showHelp(_ name: String) {
        guard let help = Registry.builtin(named: "help") else {
            preconditionFailure("the registry has no `help` builtin")
        }
        do {
            _ = try context.call(Callable(builtin: help), name.isEmpty ? [] : [.string(name)])
        } catch {
            report(error)
        }
    }

    /// `:time EXPR`: prints the median of repeated runs of `EXPR` (what it prints is not
    /// shown). Not recorded: timings differ on every run.
    func time(_ code: String) {
        inputCount += 1
        capture.muted = true
        defer { capture.muted = false }
        do {
            let function = try TimeCommand.compile(code, cell: inputCount, in: context)
            let timing = try TimeCommand.measure(function, in: context)
            capture.muted = false
            output(TimeCommand.report(median: timing.median, runs: timing.runs))
        } catch {
            let failure = asPrunebookError(error)
            if failure.kind == .interrupt { reportInterrupt() } else { report(failure) }
        }
    }

    /// `:save FILE.md`: writes the record as a notebook, atomically. A name without an
    /// extension gets `.md`; any other extension is an error.
    func save(_ path: String) {
        var target = path
        let fileExtension = URL(fileURLWithPath: path).pathExtension
        if fileExtension.isEmpty {
            target += ".md"
        } else if fileExtension != "md" {
            report(PrunebookError(.user, "`:save` writes a Markdown notebook: expected a file name ending in `.md`, got `\(path)`"))
            return
        }
        do {
            let text = try SessionNotebook.render(record)
            try AtomicFile.write(text, to: context.resolvePath(target))
            let count = record.cellCount
            output("saved \(count) \(count == 1 ? "cell" : "cells") to \(target)\n")
        } catch {
            report(error)
        }
    }
}
