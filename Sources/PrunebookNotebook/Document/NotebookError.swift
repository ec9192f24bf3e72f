/// An error in a notebook file or while writing one: a lowercase message (expected vs got)
/// and, when known, the 1-based line of the file it is about.
public struct NotebookError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, e.g. "unknown cell option `nochek` (did you mean `nocheck`?)".
    public let message: String
    /// The 1-based line of the notebook file, or nil when the error is not about a line
    /// (for example a file that cannot be written).
    public let line: Int?

    /// An error with `message`, about `line` when given.
    public init(_ message: String, line: Int? = nil) {
        self.message = message
        self.line = line
    }

    /// `line N: message`, or the bare message when there is no line.
    public var description: String {
        guard let line else { return message }
        return "line \(line): \(message)"
    }
}
