import Foundation
import PrunebookLanguage

/// The REPL when stdin is not a terminal (`echo 'x = 2; x ** 10' | prunebook`): no prompts,
/// no readline, no history, no colour unless stdout and stderr are terminals. Lines are
/// accumulated until `ReplSession.isCompleteInput` holds and each complete input goes to
/// `ReplSession.handle`, exactly as if typed; text left at end of input is handled too.
///
/// Exit status: 0 when every input succeeded, 1 when any input reported an error (the
/// session wrote to its error stream); later inputs still run, as in the interactive REPL.
/// `:quit` stops reading. SIGINT keeps its default action (the process ends): with no
/// prompt to return to, Ctrl-C means "stop".
enum PipedInput {
    /// Reads stdin to the end (or `:quit`); returns the exit status.
    static func run(baseDirectory: URL, writableFolders: [URL], limits: Limits, colour: Bool) -> Int32 {
        let output = TerminalOutput(descriptor: STDOUT_FILENO, buffered: true)
        let errors = TerminalOutput(descriptor: STDERR_FILENO, buffered: true)
        let failures = FailureCount()
        defer {
            output.flush()
            errors.flush()
        }
        let session: ReplSession
        do {
            session = try ReplSession(output: output.write,
                                      errors: { text in
                                          failures.count += 1
                                          output.flush()
                                          errors.write(text)
                                      },
                                      colour: colour, interrupt: InterruptFlag(), baseDirectory: baseDirectory,
                                      writableFolders: writableFolders, limits: limits)
        } catch {
            let message = asPrunebookError(error).rendered()
            errors.write(message.hasSuffix("\n") ? message : message + "\n")
            return 1
        }
        var pending = ""
        func submit() -> ReplAction {
            let input = trimmingTrailingNewlines(pending)
            pending = ""
            if input.allSatisfy(\.isWhitespace) { return .proceed }
            let action = session.handle(input)
            output.flush()
            errors.flush()
            return action
        }
        while let line = readLine(strippingNewline: false) {
            pending += line
            if !ReplSession.isCompleteInput(pending) { continue }
            if submit() == .quit { break }
        }
        if !pending.isEmpty { _ = submit() }
        return failures.count == 0 ? 0 : 1
    }

    /// `text` without its final line breaks.
    static func trimmingTrailingNewlines(_ text: String) -> String {
        var result = Substring(text)
        while let last = result.last, last.isNewline { result = result.dropLast() }
        return String(result)
    }
}

/// How many errors the session reported during a piped run.
private final class FailureCount {
    var count = 0
}
