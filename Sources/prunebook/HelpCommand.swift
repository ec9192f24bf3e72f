import ArgumentParser
import Foundation
import PrunebookBuiltins
import PrunebookLanguage

/// `prunebook help [NAME]`: builtin documentation without starting a session.
struct HelpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "help",
        abstract: "Show the documentation of a builtin, or list all builtins."
    )

    @Argument(help: "A builtin name; omit to list every builtin by category.")
    var name: String?

    func run() throws {
        guard let name else {
            print(HelpText.overview(), terminator: "")
            return
        }
        guard let builtin = Registry.builtin(named: name) else {
            var message = "error: no builtin named `\(name)`"
            if let guess = closestBuiltinName(name) { message += " (did you mean `\(guess)`?)" }
            FileHandle.standardError.write(Data((message + "\n").utf8))
            throw ExitCode(2)
        }
        print(HelpText.render(builtin), terminator: "")
    }

    func closestBuiltinName(_ name: String) -> String? {
        PrunebookLanguage.closestName(to: name, among: Registry.builtins.map(\.name))
    }
}
