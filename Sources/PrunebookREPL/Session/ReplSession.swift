import Foundation
import PrunebookBuiltins
import PrunebookLanguage
import PrunebookNotebook

/// What the REPL loop does after an input.
public enum ReplAction: Equatable, Sendable {
    /// Read the next input.
    case proceed
    /// End the session (`:quit`).
    case quit
}

/// One interactive session: a run context (builtins, stdlib, random seed 0) and the record
/// of what ran, which `:save` writes as a notebook. The terminal side (`ReplMain`) reads
/// complete inputs and hands each to `handle`; code runs on the calling thread, which
/// should have a large stack (`runOnLargeStack`).
///
/// Printed and displayed text goes to `output` as it is produced; errors (rendered, red
/// when `colour`) and `interrupted` go to `errors`. Nothing ends the session but `:quit`.
public final class ReplSession {
    /// Where printed and displayed text goes.
    let output: (String) -> Void
    /// Where errors and `interrupted` go.
    let errors: (String) -> Void
    /// Whether errors are shown in red.
    let colour: Bool
    /// The flag Ctrl-C sets; cleared before each input.
    let interrupt: InterruptFlag
    /// The folder relative paths are resolved against.
    let baseDirectory: URL
    /// Folders besides `baseDirectory` that code may write inside (`--allow-write`).
    let writableFolders: [URL]
    /// Resource limits of every context the session makes (`--max-memory`).
    let limits: Limits
    /// Captures what the running code prints, and forwards it to `output`.
    let capture: OutputCapture
    /// The session's globals, random stream and settings (replaced by `:reset`).
    private(set) var context: RunContext
    /// The globals a fresh context defines, with the function each holds (nil for other
    /// values), to tell user variables from builtins and stdlib functions.
    private var baseline: [String: ObjectIdentifier?] = [:]
    /// What `:save` writes.
    var record = SessionRecord()
    /// Code inputs run so far (numbers the `<repl>` cells in diagnostics).
    var inputCount = 0

    /// A session with builtins and the stdlib loaded and the random stream at seed 0.
    /// Throws when the stdlib fails to load.
    public init(output: @escaping (String) -> Void, errors: @escaping (String) -> Void, colour: Bool,
                interrupt: InterruptFlag, baseDirectory: URL, writableFolders: [URL] = [], limits: Limits = Limits()) throws {
        self.output = output
        self.errors = errors
        self.colour = colour
        self.interrupt = interrupt
        self.baseDirectory = baseDirectory
        self.writableFolders = writableFolders
        self.limits = limits
        let capture = OutputCapture(forward: output)
        self.capture = capture
        self.context = try Self.makeContext(capture: capture, baseDirectory: baseDirectory,
                                            writableFolders: writableFolders, limits: limits, interrupt: interrupt)
        self.baseline = Self.snapshot(context)
    }

    /// Handles one complete input: a `:command`, `?name`, or code. Never throws: errors
    /// are printed to `errors` and the session goes on.
    public func handle(_ input: String) -> ReplAction {
        interrupt.clear()
        let command: MetaCommand
        do {
            command = try MetaCommand.parse(input)
        } catch {
            report(error)
            return .proceed
        }
        switch command {
        case .code(let code):
            guard !code.allSatisfy(\.isWhitespace) else { return .proceed }
            inputCount += 1
            _ = runCell(code, source: SourceFile(name: "<repl>", text: code, cell: inputCount))
        case .help:
            output(Self.helpText)
        case .builtinHelp(let name):
            showHelp(name)
        case .time(let code):
            time(code)
        case .vars:
            output(Vars.table(userVariableNames, lookup: context.global))
        case .reset:
            reset()
        case .save(let path):
            save(path)
        case .note(let text):
            record.recordNote(text)
        case .load(let path):
            load(path)
        case .quit:
            return .quit
        }
        return .proceed
    }

    /// True when `input` is a whole input for `handle`, false when more lines must be read
    /// (`...> `). A `:command` or `?name` is whole at once (so `:note Ends with a dot.`
    /// does not wait for a continuation line), except that the code after `:time` may
    /// continue over lines like any code; code is whole unless `isIncompleteInput` says
    /// a bracket is open or the last line ends in an operator or a comma.
    public static func isCompleteInput(_ input: String) -> Bool {
        let trimmed = input.trimmingWhitespace()
        if trimmed.hasPrefix(":time") && trimmed.dropFirst(5).first?.isWhitespace == true {
            return !isIncompleteInput(String(trimmed.dropFirst(5)))
        }
        if trimmed.hasPrefix(":") || trimmed.hasPrefix("?") { return true }
        return !isIncompleteInput(input)
    }

    /// The completions of the word ending at character `cursor` of `line`: `start` is the
    /// character offset where that word begins, `candidates` (sorted, no duplicates)
    /// replace the text from `start` to the cursor.
    public func completions(line: String, cursor: Int) -> (start: Int, candidates: [String]) {
        Completer(context: context).completions(line: line, cursor: cursor)
    }

    /// The global names the user defined (or redefined), in definition order.
    var userVariableNames: [String] {
        context.globalNames.filter { name in
            guard let entry = baseline[name] else { return true }
            guard let identity = entry else { return false }
            guard case .function(let function)? = context.global(name) else { return true }
            return ObjectIdentifier(function) != identity
        }
    }

    /// How one piece of code ended.
    enum CellOutcome {
        case completed, failed, interrupted
    }

    /// Runs `source` (whose text is `code`) as one cell and records it: completed with its
    /// output, failed as an error cell (except resource-limit errors, which a replay could
    /// not expect), interrupted not at all.
    func runCell(_ code: String, source: SourceFile) -> CellOutcome {
        capture.text = ""
        do {
            try Interpreter.runCell(source, in: context)
            record.recordCompleted(code, output: capture.text)
            return .completed
        } catch {
            let failure = asPrunebookError(error)
            if failure.kind == .interrupt {
                reportInterrupt()
                return .interrupted
            }
            report(failure)
            if failure.kind != .limit {
                record.recordFailed(code, printed: capture.text, renderedError: failure.rendered())
            }
            return .failed
        }
    }

    /// Prints `error` to `errors`: a language error as rendered (message, location, caret,
    /// trace), a notebook or file error as `error: <description>`.
    func report(_ error: any Error) {
        let text: String
        switch error {
        case let failure as NotebookError: text = "error: \(failure.description)\n"
        case let failure as NotebookFile.ReadError: text = "error: \(failure.description)\n"
        default: text = asPrunebookError(error).rendered()
        }
        errors(colour ? "\u{1B}[31m\(text.dropLast())\u{1B}[0m\n" : text)
    }

    /// Prints `interrupted`.
    func reportInterrupt() {
        errors("interrupted\n")
    }

    /// `:reset`: a fresh context (variables gone, random seed 0) and an empty record.
    private func reset() {
        do {
            context = try Self.makeContext(capture: capture, baseDirectory: baseDirectory,
                                           writableFolders: writableFolders, limits: limits, interrupt: interrupt)
            baseline = Self.snapshot(context)
            record.clear()
            output("session reset: variables cleared, random seed 0\n")
        } catch {
            report(error)
        }
    }

    /// A fresh context writing through `capture`.
    private static func makeContext(capture: OutputCapture, baseDirectory: URL, writableFolders: [URL], limits: Limits,
                                    interrupt: InterruptFlag) throws -> RunContext {
        try Interpreter.makeContext(output: { capture.write($0) }, baseDirectory: baseDirectory,
                                    writableFolders: writableFolders, limits: limits, interrupt: interrupt,
                                    asciiCharts: Interpreter.terminalIsPlain)
    }

    /// The globals of `context` and the functions they hold.
    private static func snapshot(_ context: RunContext) -> [String: ObjectIdentifier?] {
        var names: [String: ObjectIdentifier?] = [:]
        for name in context.globalNames {
            if case .function(let function)? = context.global(name) {
                names[name] = ObjectIdentifier(function)
            } else {
                names[name] = .some(nil)
            }
        }
        return names
    }
}

/// Collects what running code prints (for the session record) while forwarding it to the
/// terminal; muted while `:time` repeats an expression.
final class OutputCapture {
    /// Text printed since the last reset.
    var text = ""
    /// When true, printed text is dropped.
    var muted = false
    /// The terminal sink.
    private let forward: (String) -> Void

    /// A capture forwarding to `forward`.
    init(forward: @escaping (String) -> Void) {
        self.forward = forward
    }

    /// Records and forwards `piece` unless muted.
    func write(_ piece: String) {
        guard !muted else { return }
        text += piece
        forward(piece)
    }
}
