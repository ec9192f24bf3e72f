import ArgumentParser
import Foundation
import PrunebookBuiltins
import PrunebookLanguage

/// `prunebook run FILE.prb`: runs a script cell by cell, printing what the cells print and
/// display. Exit status 0 on success, 1 when a cell fails, 2 when the file is unreadable.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a .prb script (cells split at `#%%` lines).",
        discussion: "Prints exactly what the cells print and display. Errors go to stderr with their location; the exit status is 1 when a cell fails and 2 when the file cannot be read."
    )

    @Argument(help: "The script to run.")
    var file: String

    func run() throws {
        let url = URL(fileURLWithPath: file)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            FileHandle.standardError.write(Data("error: cannot read \(file): no such file or not readable\n".utf8))
            throw ExitCode(2)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            FileHandle.standardError.write(Data("error: cannot read \(file): not UTF-8 text\n".utf8))
            throw ExitCode(2)
        }
        let status = runOnLargeStack { () -> Int32 in
            let output = StandardOutput()
            do {
                let context = try Interpreter.makeContext(output: output.write)
                try ScriptRunner.run(text, name: file, path: url.standardizedFileURL.path, in: context)
                output.flush()
                return 0
            } catch {
                output.flush()
                let rendered = asPrunebookError(error).rendered()
                FileHandle.standardError.write(Data(rendered.utf8))
                return 1
            }
        }
        if status != 0 { throw ExitCode(status) }
    }
}

/// Buffered writer to stdout.
final class StandardOutput: @unchecked Sendable {
    private var buffer: [UInt8] = []

    func write(_ text: String) {
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
