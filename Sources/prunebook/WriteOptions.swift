import ArgumentParser
import Foundation

/// `--allow-write PATH` (repeatable): folders that code may write inside besides the
/// notebook's folder (notebooks) or the current directory (scripts and the REPL). Reads are
/// never restricted; writes elsewhere are an error naming this option, so a notebook from
/// someone else cannot overwrite your files.
struct WriteOptions: ParsableArguments {
    @Option(name: .customLong("allow-write"),
            help: ArgumentHelp("Also let the code write inside this folder (repeatable). By default `save`, `save_model` and `save_tokenizer` write only inside the notebook's folder, or the current directory for scripts and the REPL.",
                               valueName: "PATH"))
    var allowWrite: [String] = []

    /// The folders as absolute URLs (relative paths against the current directory).
    var folders: [URL] {
        allowWrite.map { URL(fileURLWithPath: $0, isDirectory: true).standardizedFileURL }
    }

    func validate() throws {
        for (path, url) in zip(allowWrite, folders) {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("--allow-write \(path): no such folder (create it first, or give an existing folder)")
            }
        }
    }
}
