import ArgumentParser
import Foundation
import PrunebookBuiltins
import PrunebookLanguage

/// `prunebook help [NAME]`: builtin and stdlib documentation without starting a REPL.
struct HelpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "help",
        abstract: "Show the documentation of a builtin or stdlib function, or list them all."
    )

    @Argument(help: "A builtin or stdlib function name; omit to list them all by category.")
    var name: String?

    func run() throws {
        // A session with the stdlib loaded, so its documented functions have help too.
        let context = try Interpreter.makeContext(output: { _ in })
        guard let name else {
            print(HelpText.overview(in: context), terminator: "")
            return
        }
        guard let text = HelpText.render(named: name, in: context) else {
            var message = "error: no builtin or stdlib function named `\(name)`"
            if let guess = PrunebookLanguage.closestName(to: name, among: context.globalNames) {
                message += " (did you mean `\(guess)`?)"
            }
            FileHandle.standardError.write(Data((message + "\n").utf8))
            throw ExitCode(2)
        }
        print(text, terminator: "")
    }
}
