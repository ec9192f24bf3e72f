import Foundation
import PrunebookLanguage

/// The REPL on a terminal: reads inputs with `ReadlineEditor` (`prb> `, then `...> ` while
/// `ReplSession.isCompleteInput` fails), hands each complete input to the session, and records it in
/// the history as one entry.
///
/// - Ctrl-C while typing abandons the whole input, even several lines in, and shows a
///   fresh `prb> `. A blank line inside an incomplete input keeps waiting.
/// - Ctrl-C while a statement runs interrupts it; the session prints `interrupted` and
///   keeps its variables.
/// - Ctrl-D on an empty line (or `:quit`) leaves with status 0.
enum InteractiveLoop {
    /// Runs until the user quits; returns the exit status (0, or 1 when the session
    /// cannot be created).
    static func run(baseDirectory: URL, writableFolders: [URL], limits: Limits, colour: Bool) -> Int32 {
        let output = TerminalOutput(descriptor: STDOUT_FILENO, buffered: false)
        let errors = TerminalOutput(descriptor: STDERR_FILENO, buffered: false)
        let session: ReplSession
        do {
            session = try ReplSession(output: output.write, errors: errors.write, colour: colour,
                                      interrupt: sigintFlag, baseDirectory: baseDirectory,
                                      writableFolders: writableFolders, limits: limits)
        } catch {
            let message = asPrunebookError(error).rendered()
            errors.write(message.hasSuffix("\n") ? message : message + "\n")
            return 1
        }
        SignalHandling.installInterruptHandler()
        let editor = ReadlineEditor(session: session, history: HistoryFile.standard())
        let prompts = Prompts(colour: colour)
        var lines: [String] = []
        while true {
            switch editor.readLine(prompt: lines.isEmpty ? prompts.primary : prompts.continuation) {
            case .endOfInput:
                output.write("\n")
                return 0
            case .cancelled:
                lines.removeAll()
            case .line(let line):
                if lines.isEmpty && line.allSatisfy(\.isWhitespace) { continue }
                lines.append(line)
                let input = lines.joined(separator: "\n")
                if !ReplSession.isCompleteInput(input) { continue }
                lines.removeAll()
                editor.remember(input)
                // The flag is not cleared here: Ctrl-C pressed just after Return interrupts
                // the statement. `readLine` clears it before the next prompt.
                let action = TerminalMode.withoutControlEcho { session.handle(input) }
                if action == .quit { return 0 }
            }
        }
    }
}
