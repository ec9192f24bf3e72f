import Foundation
import Models
import PrunebookLanguage

/// File access shared by the file and model builtins: reading (memory-mapped, so large
/// weight files are not copied before parsing), tokenizer files and atomic writes, with
/// errors that name the path as the user wrote it.
enum ModelFiles {
    /// The doc sentence of every builtin that writes a file (`RunContext.resolveWritePath`).
    static let writeConfinement = " Files are written only inside the notebook's folder (the current directory for scripts "
        + "and the REPL) and folders given with `--allow-write PATH`; any other path is an error."

    /// The contents of the file at `url`; `path` is how the user wrote it.
    static func read(_ url: URL, path: String) throws -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw PrunebookError(.io, "cannot load \(path): no such file (looked for \(url.path))")
        }
        guard !isDirectory.boolValue else {
            throw PrunebookError(.io, "cannot load \(path): it is a folder, not a file")
        }
        do {
            return try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw PrunebookError(.io, "cannot load \(path): the file cannot be read (check its permissions)")
        }
    }

    /// The llama2.c tokenizer file at `url`, holding `vocabSize` pieces when given.
    static func tokenizer(at url: URL, path: String, vocabSize: Int?) throws -> Tokenizer {
        let bytes = [UInt8](try read(url, path: path))
        if let vocabSize { return try Tokenizer.load(bytes, name: url.lastPathComponent, vocabSize: vocabSize) }
        return try Tokenizer.load(bytes, name: url.lastPathComponent)
    }

    /// Writes `bytes` to `url` atomically (temporary file, fsync, rename).
    static func write(_ bytes: [UInt8], to url: URL, path: String) throws {
        let folder = url.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw PrunebookError(.io, "cannot save \(path): the folder \(folder.path) does not exist")
        }
        do {
            try AtomicFile.write(bytes, to: url)
        } catch {
            throw PrunebookError(.io, "cannot save \(path): \(error.message)")
        }
    }
}
