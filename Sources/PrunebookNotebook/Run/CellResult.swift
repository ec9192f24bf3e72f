import PrunebookLanguage

/// What running one code cell produced.
public struct CellResult: Sendable {
    /// How the cell ended.
    public enum Status: Sendable, Equatable {
        /// Ran to the end (or, for a `prb error` cell, failed as expected).
        case ok
        /// Raised an error it was not expected to raise, or a `prb error` cell that succeeded.
        case failed
        /// Not run: `prb skip`, or after an earlier failure, or past `--only`.
        case notRun
    }

    /// 0-based index among the notebook's code cells.
    public let index: Int
    /// How the cell ended.
    public let status: Status
    /// What it printed, then its displayed value.
    public let printed: String
    /// The error it raised, if any.
    public let error: PrunebookError?

    /// The cell's output: what it printed, then the rendered error if it raised one.
    public var output: String { printed + (error?.rendered() ?? "") }

    /// The same result with the error's locations renumbered by `transform`.
    func relocated(_ transform: (SourceLocation) -> SourceLocation) -> CellResult {
        CellResult(index: index, status: status, printed: printed, error: error?.relocated(transform))
    }
}

/// The outcome of running a whole notebook.
public struct NotebookRunResult: Sendable {
    /// One result per code cell, in order.
    public let cells: [CellResult]
    /// True when the notebook needs `PRUNEBOOK_DATA` and it is absent (nothing ran).
    public let skippedForMissingData: Bool

    /// The first cell that failed, if any.
    public var firstFailure: CellResult? { cells.first { $0.status == .failed } }
}
