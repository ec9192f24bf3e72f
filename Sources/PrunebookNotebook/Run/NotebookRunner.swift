import Foundation
import PrunebookBuiltins
import PrunebookLanguage

/// Runs a notebook's code cells top to bottom in one fresh session (builtins and stdlib
/// loaded, random seed 0, paths relative to the notebook's folder), capturing each cell's
/// output. Diagnostics name the notebook by its file name, so stored error outputs do not
/// depend on the folder the command was run from.
public enum NotebookRunner {
    /// Runs `notebook`, stored at `url`, with `options`. Never throws: failures are
    /// recorded in the cell results.
    public static func run(_ notebook: Notebook, at url: URL, options: NotebookRunOptions,
                           interrupt: InterruptFlag = InterruptFlag()) -> NotebookRunResult {
        let cells = notebook.cells
        if cells.first?.options.requiresData == true && options.dataFolder == nil {
            return NotebookRunResult(cells: cells.map { CellResult(index: $0.index, status: .notRun, printed: "", error: nil) },
                                     skippedForMissingData: true)
        }
        return runOnLargeStack {
            runCells(cells, at: url, options: options, interrupt: interrupt)
        }
    }

    static func runCells(_ cells: [CodeCell], at url: URL, options: NotebookRunOptions, interrupt: InterruptFlag) -> NotebookRunResult {
        var buffer = ""
        var limits = Limits()
        limits.cellSeconds = options.timeout
        if let maxMemory = options.maxMemory { limits.allocationBytes = maxMemory }
        let name = url.lastPathComponent
        let context: RunContext
        do {
            context = try Interpreter.makeContext(output: { buffer += $0 }, baseDirectory: url.deletingLastPathComponent(),
                                                  writableFolders: options.writableFolders, limits: limits, interrupt: interrupt)
        } catch {
            let failure = CellResult(index: 0, status: .failed, printed: "", error: asPrunebookError(error))
            return NotebookRunResult(cells: [failure], skippedForMissingData: false)
        }
        var results: [CellResult] = []
        var stopped = false
        for cell in cells {
            if stopped || cell.options.skip {
                results.append(CellResult(index: cell.index, status: .notRun, printed: cell.output ?? "", error: nil))
                continue
            }
            buffer = ""
            let error = runCell(cell, name: name, path: url.path, options: options, in: context)
            results.append(result(for: cell, output: buffer, error: error))
            if results.last?.status == .failed && !options.keepGoing { stopped = true }
            if let error, error.kind == .interrupt { stopped = true }
            if let only = options.only, cell.options.id == only { stopped = true }
        }
        return NotebookRunResult(cells: results, skippedForMissingData: false)
    }

    /// Runs one cell (and, after a `prb parameters` cell, the overrides); returns its error.
    static func runCell(_ cell: CodeCell, name: String, path: String, options: NotebookRunOptions, in context: RunContext) -> PrunebookError? {
        context.deadline = options.timeout.map { Date().addingTimeInterval($0) }
        defer { context.deadline = nil }
        do {
            let source = SourceFile(name: name, text: cell.source, path: path, cell: cell.number, lineOffset: cell.firstLine - 1)
            try Interpreter.runCell(source, in: context)
            if cell.options.isParameters {
                for (parameter, value) in options.parameters {
                    let assignment = try ParameterOverrides.assignment(name: parameter, value: value)
                    try context.run(SourceFile(name: "-p \(parameter)", text: assignment))
                }
            }
            return nil
        } catch {
            return asPrunebookError(error)
        }
    }

    /// The result of a cell from what it printed and the error it raised.
    static func result(for cell: CodeCell, output: String, error: PrunebookError?) -> CellResult {
        guard let error else {
            if cell.options.expectsError {
                let message = "cell \(cell.number) is marked `prb error` but ran without an error"
                return CellResult(index: cell.index, status: .failed, printed: output, error: PrunebookError(.user, message))
            }
            return CellResult(index: cell.index, status: .ok, printed: output, error: nil)
        }
        let failed = !cell.options.expectsError || error.kind == .interrupt || error.kind == .limit
        return CellResult(index: cell.index, status: failed ? .failed : .ok, printed: output, error: error)
    }
}
