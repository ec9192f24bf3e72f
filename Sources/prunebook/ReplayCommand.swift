import ArgumentParser
import Foundation
import PrunebookNotebook

/// `prunebook replay NB.md...`: runs notebooks and checks their stored outputs still hold.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Run notebooks and compare each cell's output with the stored one.",
        discussion: "Text must match exactly; numbers match when |a-b| <= atol + rtol*|b| (integers exactly); durations (~12 ms) are ignored. Prints a unified diff per differing cell. Exit status: 0 all match, 1 a difference or a failed cell, 2 unreadable input."
    )

    @Argument(help: "The notebooks to replay.")
    var files: [String]

    @Option(help: "Relative tolerance for numbers.")
    var rtol: Double = 1e-3

    @Option(help: "Absolute tolerance for numbers.")
    var atol: Double = 1e-6

    @Option(help: ArgumentHelp("Stop a cell that runs longer than this many seconds.", valueName: "S"))
    var timeout: Double?

    @OptionGroup var writeOptions: WriteOptions

    @OptionGroup var limitOptions: LimitOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one notebook to replay") }
        if !(rtol >= 0) || !(atol >= 0) { throw ValidationError("--rtol and --atol must be non-negative") }
    }

    func run() throws {
        var options = NotebookRunOptions()
        options.timeout = timeout
        options.writableFolders = writeOptions.folders
        options.maxMemory = limitOptions.bytes
        let status = NotebookCommands.replay(paths: files, options: options, rtol: rtol, atol: atol)
        if status != 0 { throw ExitCode(status) }
    }
}
