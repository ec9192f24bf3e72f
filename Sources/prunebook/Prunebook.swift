import ArgumentParser
import Foundation
import PrunebookBuiltins
import PrunebookLanguage
import PrunebookREPL

/// The `prunebook` command: run scripts and notebooks, show builtin docs; with no
/// subcommand, the interactive REPL (or piped input when stdin is not a terminal).
@main
struct Prunebook: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prunebook",
        abstract: "A literate scripting environment for exploring neural-network pruning.",
        discussion: "Run `prunebook` alone for the REPL, `prunebook run FILE.prb` to run a script, `prunebook help NAME` for a builtin's documentation.",
        version: PrunebookVersion.string,
        subcommands: [RunCommand.self, ReplayCommand.self, ConvertCommand.self, HelpCommand.self]
    )

    @OptionGroup var writeOptions: WriteOptions

    @OptionGroup var limitOptions: LimitOptions

    /// Parses the command line and maps usage errors to exit status 2 (the spec's code for
    /// bad command-line usage; ArgumentParser would use 64).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }

    /// No subcommand: the REPL; its status becomes the process's.
    func run() throws {
        let status = ReplMain.run(writableFolders: writeOptions.folders, limits: limitOptions.limits)
        if status != 0 { throw ExitCode(status) }
    }
}

/// The version reported by `prunebook --version`.
enum PrunebookVersion {
    static let string = "0.1.0"
}
