import Foundation
import PrunebookBuiltins
import PrunebookLanguage
import PrunebookNotebook

/// `:load FILE`: runs a `.prb` script or an `.md` notebook's code cells into the session.
///
/// Each script cell (split at `#%%` as `ScriptRunner` does) or notebook code cell runs as
/// if typed, and is recorded with its code and output, so a saved session holds the loaded
/// code itself and replays without the file. Cells run in the session's context (paths
/// relative to the session's base directory; `import` relative to the loaded file), and
/// stop at the first error, except a notebook's `prb error` cells, which are expected to
/// fail. `prb skip` cells are not run; an interrupt stops the load.
extension ReplSession {
    /// Loads `path` (relative to the base directory unless absolute).
    func load(_ path: String) {
        let url = context.resolvePath(path)
        switch url.pathExtension {
        case "prb":
            loadScript(url, display: path)
        case "md":
            loadNotebook(url, display: path)
        default:
            report(PrunebookError(.user, "`:load` runs a `.prb` script or an `.md` notebook, got `\(path)`"))
        }
    }

    /// Runs the cells of the script at `url`.
    private func loadScript(_ url: URL, display: String) {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            report(PrunebookError(.io, "cannot read `\(display)`: \(Self.readFailure(url))"))
            return
        }
        let cells = ScriptRunner.cells(of: text)
        let numbered = cells.count > 1
        for cell in cells where !cell.text.allSatisfy(\.isWhitespace) {
            let source = SourceFile(name: display, text: cell.text, path: url.path,
                                    cell: numbered ? cell.number : nil, lineOffset: cell.lineOffset)
            guard runCell(cell.text, source: source) == .completed else { return }
        }
    }

    /// Runs the code cells of the notebook at `url`.
    private func loadNotebook(_ url: URL, display: String) {
        let notebook: Notebook
        do {
            notebook = try NotebookFile.load(url, display: display).notebook
        } catch {
            report(error)
            return
        }
        for cell in notebook.cells where !cell.options.skip {
            let source = SourceFile(name: display, text: cell.source, path: url.path,
                                    cell: cell.number, lineOffset: cell.firstLine - 1)
            switch runCell(cell.source, source: source) {
            case .completed: continue
            case .failed where cell.options.expectsError: continue
            case .failed, .interrupted: return
            }
        }
    }

    /// Why `url` could not be read as UTF-8 text.
    private static func readFailure(_ url: URL) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return "no such file" }
        if isDirectory.boolValue { return "it is a folder" }
        guard FileManager.default.isReadableFile(atPath: url.path) else { return "permission denied" }
        return "it is not UTF-8 text"
    }
}
