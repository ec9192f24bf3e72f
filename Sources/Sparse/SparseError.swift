/// An error from a sparse format or kernel: a pattern that does not fit, a matrix that is not
/// n:m, operands whose shapes do not match. The message says what to change.
public struct SparseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, so callers can classify the error.
    public enum Kind: Sendable {
        /// A bad option value (n > m, an unknown storage type) or a matrix that breaks the pattern.
        case value
        /// Operands whose shapes do not fit together.
        case shape
    }

    /// The full message.
    public let message: String
    /// The class of the error.
    public let kind: Kind

    /// An error with the given message.
    public init(_ message: String, kind: Kind = .value) {
        self.message = message
        self.kind = kind
    }

    /// The message.
    public var description: String { message }
}
