import ArgumentParser
import Foundation
import Models
import PrunebookNotebook

/// `prunebook convert IN OUT`: a `.prb` script to a `.md` notebook or back, so script users
/// and notebook users share files.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a .prb script to a .md notebook, or a notebook to a script.",
        discussion: "Script to notebook: each `#%%` cell becomes a code cell; the marker's title becomes a heading and the comment lines directly after it become prose. Notebook to script: the reverse (stored outputs are dropped)."
    )

    @Argument(help: "The file to convert (.prb or .md).")
    var input: String

    @Argument(help: "The file to write (.md or .prb); it must not exist unless --force.")
    var output: String

    @Flag(help: "Replace the output file if it exists.")
    var force = false

    func validate() throws {
        let pair = (input.hasSuffix(".prb"), output.hasSuffix(".md"), input.hasSuffix(".md"), output.hasSuffix(".prb"))
        guard (pair.0 && pair.1) || (pair.2 && pair.3) else {
            throw ValidationError("convert goes from .prb to .md or from .md to .prb")
        }
    }

    func run() throws {
        let inputURL = URL(fileURLWithPath: input)
        let outputURL = URL(fileURLWithPath: output)
        if FileManager.default.fileExists(atPath: outputURL.path) && !force {
            NotebookCommands.standardError("error: \(output) exists (use --force to replace it)\n")
            throw ExitCode(2)
        }
        let converted: String
        if input.hasSuffix(".prb") {
            guard let data = FileManager.default.contents(atPath: inputURL.path), let text = String(data: data, encoding: .utf8) else {
                NotebookCommands.standardError("error: cannot read \(input): no such file or not UTF-8 text\n")
                throw ExitCode(2)
            }
            converted = ScriptConversion.notebook(fromScript: text)
        } else {
            do {
                converted = ScriptConversion.script(from: try NotebookFile.load(inputURL, display: input).notebook)
            } catch {
                NotebookCommands.standardError("error: \(error)\n")
                throw ExitCode(2)
            }
        }
        do {
            try AtomicFile.write(converted, to: outputURL)
        } catch {
            NotebookCommands.standardError("error: cannot write \(output): \(error)\n")
            throw ExitCode(2)
        }
    }
}
