import Foundation
import PrunebookLanguage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The REPL's entry point: what `prunebook` with no subcommand runs.
public enum ReplMain {
    /// The REPL: readline on a TTY (prompt `prb> `, continuation `...> `, history,
    /// completion via `ReplSession.completions`, Ctrl-C handling); plain line reading
    /// without prompts when stdin is not a TTY (see `PipedInput` for its exit status).
    ///
    /// Everything, readline included, runs on one large-stack thread, so deep recursion
    /// in the interpreter reaches the language's depth limit before the native stack ends.
    /// Code may write inside the current directory and `writableFolders` (`--allow-write`);
    /// `limits` carries `--max-memory`. Returns the process exit status.
    public static func run(writableFolders: [URL] = [], limits: Limits = Limits()) -> Int32 {
        let interactive = isatty(STDIN_FILENO) != 0
        let baseDirectory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        let colour = TerminalColour.isEnabled()
        SignalHandling.unblockTerminalSignals()
        return runOnLargeStack {
            interactive
                ? InteractiveLoop.run(baseDirectory: baseDirectory, writableFolders: writableFolders, limits: limits, colour: colour)
                : PipedInput.run(baseDirectory: baseDirectory, writableFolders: writableFolders, limits: limits, colour: colour)
        }
    }
}
