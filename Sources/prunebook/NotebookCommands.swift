import Foundation
import Models
import PrunebookLanguage
import PrunebookNotebook

/// The notebook side of `prunebook run` and `prunebook replay`: load, run, print or write,
/// and the exit status of notebook.md (0 ok, 1 a cell failed or a replay differed, 2
/// unreadable input).
enum NotebookCommands {
    static func standardError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// `prunebook run NB.md`: runs, prints the notebook (or only errors with `quiet`), and
    /// with `write` stores the outputs atomically (nothing is written after a failure unless
    /// `keepGoing`).
    static func run(path: String, options: NotebookRunOptions, write: Bool, quiet: Bool) -> Int32 {
        let url = URL(fileURLWithPath: path)
        let loaded: (text: String, notebook: Notebook)
        do {
            loaded = try NotebookFile.load(url, display: path)
            if write { try NotebookFile.checkWritable(url, display: path) }
        } catch {
            standardError("error: \(error)\n")
            return 2
        }
        if let only = options.only, !loaded.notebook.cells.contains(where: { $0.options.id == only }) {
            let ids = loaded.notebook.cells.compactMap(\.options.id)
            standardError("error: \(path) has no cell with id=\(only)" + (ids.isEmpty ? "" : " (ids: \(ids.joined(separator: ", ")))") + "\n")
            return 2
        }
        let result = NotebookRunner.run(loaded.notebook, at: url, options: options)
        if result.skippedForMissingData {
            print("skipped: needs PRUNEBOOK_DATA (\(path))")
            return 0
        }
        let updated = NotebookFile.withOutputs(loaded.notebook, result)
        if !quiet { print(updated, terminator: updated.hasSuffix("\n") ? "" : "\n") }
        if let failure = result.firstFailure {
            standardError("\(path): cell \(failure.index + 1) failed\n")
            if let error = failure.error { standardError(error.rendered()) }
        }
        let failed = result.firstFailure != nil
        if write && (!failed || options.keepGoing) && updated != loaded.text {
            do {
                try AtomicFile.write(updated, to: url)
            } catch {
                standardError("error: cannot write \(path): \(error)\n")
                return 2
            }
        }
        return failed ? 1 : 0
    }

    /// `prunebook replay NB.md...`: runs each notebook and compares with its stored outputs.
    static func replay(paths: [String], options: NotebookRunOptions, rtol: Double, atol: Double) -> Int32 {
        var status: Int32 = 0
        for path in paths {
            let url = URL(fileURLWithPath: path)
            let loaded: (text: String, notebook: Notebook)
            do {
                loaded = try NotebookFile.load(url, display: path)
            } catch {
                standardError("error: \(error)\n")
                status = 2
                continue
            }
            let result = NotebookRunner.run(loaded.notebook, at: url, options: options)
            if result.skippedForMissingData {
                print("skipped: needs PRUNEBOOK_DATA (\(path))")
                continue
            }
            let differences = NotebookReplay.differences(loaded.notebook, result, rtol: rtol, atol: atol)
            if differences.isEmpty {
                print("ok: \(path) (\(loaded.notebook.cells.count) cells match)")
                continue
            }
            if status == 0 { status = 1 }
            print("FAILED: \(path)")
            for difference in differences {
                print("  \(difference.summary)")
                if !difference.diff.isEmpty { print(difference.diff, terminator: difference.diff.hasSuffix("\n") ? "" : "\n") }
            }
        }
        return status
    }
}
