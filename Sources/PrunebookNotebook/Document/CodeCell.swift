/// A code cell of a notebook: a fence whose info string starts with `prb`, and the
/// `output` fence that directly follows it, if any.
public struct CodeCell: Sendable, Equatable {
    /// The position among the notebook's code cells, from 0.
    public let index: Int
    /// The position among the notebook's code cells, from 1, as messages show it.
    public var number: Int { index + 1 }
    /// The options after `prb` in the fence's info string.
    public let options: CellOptions
    /// The code between the fences, line endings normalised to `\n`; every line, the last
    /// included, ends with `\n` (empty for an empty cell).
    public let source: String
    /// The 1-based file line of the first code line (for diagnostics).
    public let firstLine: Int
    /// The 1-based file line of the opening fence.
    public let fenceLine: Int
    /// The stored output text, line endings normalised to `\n` and ending with `\n` unless
    /// empty; nil when the cell has no `output` fence.
    public let output: String?
}
