/// Compares a fresh run of a notebook with the outputs stored in it (notebook.md, "Replay").
public enum NotebookReplay {
    /// One cell whose new output does not match the stored one, or that failed.
    public struct Difference: Sendable {
        /// The cell concerned.
        public let cell: CodeCell
        /// A one-line summary (`cell 3 (id=prune): output differs`).
        public let summary: String
        /// The unified diff of stored vs new output (empty for a failure without stored output).
        public let diff: String
    }

    /// The cells of `notebook` whose outputs in `run` differ from the stored ones, with
    /// numbers compared by `|a−b| ≤ atol + rtol·|b|`. `nocheck` and `skip` cells are not
    /// compared; a failed cell is always a difference.
    public static func differences(_ notebook: Notebook, _ run: NotebookRunResult, rtol: Double, atol: Double) -> [Difference] {
        var found: [Difference] = []
        for (cell, result) in zip(notebook.cells, run.cells) {
            let label = "cell \(cell.number)" + (cell.options.id.map { " (id=\($0))" } ?? "")
            let stored = cell.output ?? ""
            switch result.status {
            case .notRun:
                continue
            case .failed:
                found.append(Difference(cell: cell, summary: "\(label): failed",
                                        diff: OutputComparison.unifiedDiff(expected: stored, actual: result.output, label: label)))
                continue
            case .ok:
                break
            }
            if cell.options.nocheck { continue }
            guard cell.output != nil else {
                if !result.output.isEmpty {
                    found.append(Difference(cell: cell, summary: "\(label): no stored output (run with --write to store it)",
                                            diff: OutputComparison.unifiedDiff(expected: "", actual: result.output, label: label)))
                }
                continue
            }
            let matches = cell.options.expectsError
                ? OutputComparison.errorMatches(expected: stored, actual: result.output)
                : OutputComparison.matches(expected: stored, actual: result.output, rtol: rtol, atol: atol)
            if !matches {
                found.append(Difference(cell: cell, summary: "\(label): output differs",
                                        diff: OutputComparison.unifiedDiff(expected: stored, actual: result.output, label: label)))
            }
        }
        return found
    }
}
