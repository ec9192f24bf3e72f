import PrunebookLanguage
import Foundation
import Models

/// Reads a notebook from disk, turning every way it can be unreadable (missing, a folder,
/// not UTF-8, broken fences) into one error with the path and line, for exit status 2.
public enum NotebookFile {
    /// An unreadable notebook: the message names the file (and line when known).
    public struct ReadError: Error, Sendable, CustomStringConvertible {
        /// `notebooks/x.md:12: unterminated ```prb fence`.
        public let description: String
    }

    /// The text and parsed notebook at `url` (`display` is the path as the user wrote it).
    public static func load(_ url: URL, display: String) throws(ReadError) -> (text: String, notebook: Notebook) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw ReadError(description: "\(display): no such file")
        }
        if isDirectory.boolValue { throw ReadError(description: "\(display): is a directory, not a notebook file") }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ReadError(description: "\(display): cannot be read (check its permissions)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ReadError(description: "\(display): is not UTF-8 text")
        }
        do {
            return (text, try Notebook.parse(text))
        } catch {
            let line = error.line.map { ":\($0)" } ?? ""
            throw ReadError(description: "\(display)\(line): \(error.message)")
        }
    }

    /// Throws unless `url` can be replaced by `--write` (the file and its folder writable).
    public static func checkWritable(_ url: URL, display: String) throws(ReadError) {
        do {
            try AtomicFile.checkWritable(url)
        } catch {
            throw ReadError(description: "\(display): --write cannot store outputs: \(error.message) (make it writable or drop --write)")
        }
    }

    /// The notebook text with every run cell's new output stored (cells not run keep theirs).
    /// A stored output that the new one matches under replay's comparison (durations,
    /// last-digit noise) is kept as it is, so a file only changes when a result does.
    /// Error outputs name file lines; inserting or resizing outputs above a cell moves its
    /// lines, so errors are renumbered to the cells' lines in the written file (a rendered
    /// error's line count does not depend on its numbers, so one pass settles them). This
    /// makes a second `--write` byte-identical.
    public static func withOutputs(_ notebook: Notebook, _ run: NotebookRunResult) -> String {
        var updated = notebook
        for result in run.cells where result.status != .notRun {
            if result.status == .ok, result.error == nil, let stored = notebook.cells[result.index].output,
               OutputComparison.matches(expected: stored, actual: result.output) {
                continue
            }
            updated.setOutput(result.output, ofCell: result.index)
        }
        guard run.cells.contains(where: { $0.error?.location != nil }) else { return updated.rendered() }
        let moved = updated.cells
        let transform = { (location: SourceLocation) -> SourceLocation in
            guard let cell = location.source.cell, cell >= 1, cell <= moved.count,
                  location.source.lineOffset == notebook.cells[cell - 1].firstLine - 1 else { return location }
            let source = location.source
            let renumbered = SourceFile(name: source.name, text: String(decoding: source.bytes, as: UTF8.self),
                                        path: source.path, cell: cell, lineOffset: moved[cell - 1].firstLine - 1)
            return SourceLocation(source: renumbered, offset: location.offset)
        }
        for result in run.cells where result.status != .notRun && result.error != nil {
            updated.setOutput(result.relocated(transform).output, ofCell: result.index)
        }
        return updated.rendered()
    }
}
