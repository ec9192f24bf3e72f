import ArgumentParser
import Foundation
import PrunebookBuiltins
import PrunebookLanguage
import PrunebookNotebook

/// `prunebook run FILE`: runs a `.prb` script cell by cell (printing exactly what the
/// cells print and display) or a `.md` notebook (printing it with fresh outputs; `--write`
/// stores them). Exit status 0 on success, 1 when a cell fails, 2 for unreadable input.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a .prb script (cells split at `#%%` lines) or a .md notebook.",
        discussion: """
        A script prints exactly what its cells print and display. A notebook is printed with \
        fresh outputs; --write stores them in the file (atomically; a failed run writes \
        nothing unless --keep-going). Errors go to stderr with their location. Exit status: \
        0 success, 1 a cell failed, 2 the file cannot be read.
        """
    )

    @Argument(help: "The script (.prb) or notebook (.md) to run.")
    var file: String

    @Flag(help: "Store the new outputs in the notebook.")
    var write = false

    @Flag(help: "Run every cell even after a failure (and write all outputs, errors included).")
    var keepGoing = false

    @Option(help: ArgumentHelp("Stop a cell that runs longer than this many seconds.", valueName: "S"))
    var timeout: Double?

    @Option(name: .customShort("p"), help: ArgumentHelp("Override a parameter of the `prb parameters` cell (a Prunebook literal).", valueName: "name=value"))
    var parameters: [String] = []

    @Option(help: ArgumentHelp("Run the notebook up to and including the cell with this id.", valueName: "ID"))
    var only: String?

    @OptionGroup var writeOptions: WriteOptions

    @OptionGroup var limitOptions: LimitOptions

    @Flag(help: "Print only errors.")
    var quiet = false

    @Flag(help: "Draw charts in plain ASCII (scripts only; notebooks always use their own setting).")
    var ascii = false

    func validate() throws {
        if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be a positive number of seconds") }
        for parameter in parameters where !parameter.contains("=") {
            throw ValidationError("-p expects name=value, got `\(parameter)`")
        }
        if !file.hasSuffix(".md") && (write || keepGoing || only != nil || !parameters.isEmpty) {
            throw ValidationError("--write, --keep-going, --only and -p apply to .md notebooks, not to scripts")
        }
    }

    func run() throws {
        let status: Int32
        if file.hasSuffix(".md") {
            var options = NotebookRunOptions()
            options.keepGoing = keepGoing
            options.timeout = timeout
            options.only = only
            options.writableFolders = writeOptions.folders
            options.maxMemory = limitOptions.bytes
            options.parameters = parameters.map { entry in
                let parts = entry.split(separator: "=", maxSplits: 1)
                return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
            }
            status = NotebookCommands.run(path: file, options: options, write: write, quiet: quiet)
        } else {
            status = runScript(timeout: timeout, quiet: quiet)
        }
        if status != 0 { throw ExitCode(status) }
    }

    /// Runs a `.prb` script; returns the exit status.
    func runScript(timeout: Double?, quiet: Bool) -> Int32 {
        let url = URL(fileURLWithPath: file)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue,
              let data = FileManager.default.contents(atPath: url.path) else {
            NotebookCommands.standardError("error: cannot read \(file): no such file, a directory, or not readable\n")
            return 2
        }
        guard let text = String(data: data, encoding: .utf8) else {
            NotebookCommands.standardError("error: cannot read \(file): not UTF-8 text\n")
            return 2
        }
        return runOnLargeStack { () -> Int32 in
            let output = StandardOutput(quiet: quiet)
            do {
                var limits = limitOptions.limits
                limits.cellSeconds = timeout
                let context = try Interpreter.makeContext(output: output.write, writableFolders: writeOptions.folders, limits: limits,
                                                          asciiCharts: ascii || Interpreter.terminalIsPlain)
                try ScriptRunner.run(text, name: file, path: url.standardizedFileURL.path, in: context)
                output.flush()
                return 0
            } catch {
                output.flush()
                NotebookCommands.standardError(asPrunebookError(error).rendered())
                return 1
            }
        }
    }
}

/// Buffered writer to stdout.
final class StandardOutput: @unchecked Sendable {
    private var buffer: [UInt8] = []
    private let quiet: Bool

    init(quiet: Bool = false) { self.quiet = quiet }

    func write(_ text: String) {
        if quiet { return }
        buffer.append(contentsOf: text.utf8)
        if buffer.count > 1 << 16 || text.contains("\n") && isatty(1) != 0 { flush() }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(1, base + offset, raw.count - offset)
                if n <= 0 { break }
                offset += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
